"""One problem found in an author's file, worded the same way everywhere."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """`path:line: severity[code]: message`, one line an editor or CI can jump to.

    `key` names the front matter key when there is one. `code` is the short, stable name of
    the kind of problem (README, "Messages"), by which JOURNAL_IGNORE acknowledges it; a
    problem made without one is named after its key (`series-index`), else `content`."""

    path: str
    line: int | None
    key: str | None
    message: str
    severity: str = "warning"  # "note" and "warning": the post is read; "error": URL clash or skipped
    code: str = field(default="")

    def __post_init__(self):
        if not self.code:
            default = self.key.replace("_", "-").lower() if self.key else "content"
            object.__setattr__(self, "code", default)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}[{self.code}]: {one_line(self.message)}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "key": self.key,
            "message": self.message,
            "severity": self.severity,
            "code": self.code,
        }


def one_line(text: str) -> str:
    """A message on one line whatever it quotes (a library's multi-line text)."""
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def line_of(text: str, needle: str, first_line: int = 1) -> int | None:
    """The line where `needle` first stands in `text` (whose first line is `first_line`);
    tries the needle's first line alone when the whole is not found (tabs, joined blocks)."""
    for candidate in (needle, needle.strip().split("\n", 1)[0].strip()):
        index = text.find(candidate) if candidate else -1
        if index != -1:
            return first_line + text.count("\n", 0, index)
    return None
