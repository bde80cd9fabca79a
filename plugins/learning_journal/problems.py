"""One problem found in an author's file, worded the same way everywhere."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """`path:line: message`; `key` names the front matter key when there is one."""

    path: str
    line: int | None
    key: str | None
    message: str
    severity: str = "warning"  # "note" and "warning": the post is read; "error": URL clash or skipped

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "key": self.key,
            "message": self.message,
            "severity": self.severity,
        }
