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


def line_of(text: str, needle: str, first_line: int = 1) -> int | None:
    """The line where `needle` first stands in `text` (whose first line is `first_line`);
    tries the needle's first line alone when the whole is not found (tabs, joined blocks)."""
    for candidate in (needle, needle.strip().split("\n", 1)[0].strip()):
        index = text.find(candidate) if candidate else -1
        if index != -1:
            return first_line + text.count("\n", 0, index)
    return None
