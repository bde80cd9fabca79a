"""What Pelican and the libraries log about an author's file becomes a problem of that file.

Pelican warns "Unable to find 'x.png'" or "Replacement Indicator '{ .URL ' not recognized"
without naming the post, Markdown extensions and typogrify warn without one either, and
Pelican drops a message it has said once, even when another post says it again. So each log
record is looked at as it is made (a record factory runs before any logger's filter): a
warning made while a file is read, or while Pelican renders one post's content, is added to
the build report as a problem of that file, with a code, and the record itself is then held
back from the console by a filter on the handlers. The report prints it with its file, is
grouped and acknowledged like every other problem, and a cached read brings it back.
"""

import logging
import os
import sys
from contextlib import contextmanager
from contextvars import ContextVar

from .build_state import build_state
from .problems import Problem, line_of

# (absolute source path, path as shown, the build report) of the file being read.
_reading: ContextVar = ContextVar("journal_reading", default=None)
TAKEN = "journal_taken"
# Pelican's messages about links, by their wording: (start of the message, code).
PELICAN_CODES = (
    ("Replacement Indicator", "link-indicator"),
    ("Unable to find", "link-target-missing"),
    ("{filename} used for linking to static", "filename-to-static"),
    ("The {attach} link", "attach-link"),
    ("Cannot get modification stamp", "static-file-missing"),
)


@contextmanager
def reading(source_path: str, shown: str, report):
    """While a file is read, what a library logs is about that file."""
    token = _reading.set((source_path, shown, report))
    try:
        yield
    finally:
        _reading.reset(token)


def code_of(record: logging.LogRecord) -> str:
    """A short, stable code for a library's message: Pelican's link messages by their
    wording, others by the library that logged them (`markdown`, `typogrify`, ...)."""
    message = str(record.msg)
    for start, code in PELICAN_CODES:
        if message.startswith(start):
            return code
    return record.name.split(".")[0].lower() or "library"


def shown_path(source_path: str, settings) -> str:
    """Relative to the content folder's parent, as the reader shows paths."""
    base = os.path.dirname(os.path.abspath(settings.get("PATH", ".")))
    relative = os.path.relpath(os.path.abspath(source_path), base)
    return source_path if relative.startswith("..") else relative


def file_in_stack(frame):
    """(source path, shown path, report) of the content Pelican is working on, found from
    the calling frames: a Content method renders it, or Pelican's read_file reads it. A static
    file a post links to is not what the author edits: the post is named instead."""
    from pelican.contents import Content, Static

    static = None
    while frame is not None:
        owner = frame.f_locals.get("self")
        if isinstance(owner, Content) and owner.source_path and getattr(owner, "settings", None):
            if isinstance(owner, Static):
                static = static or owner
                frame = frame.f_back
                continue
            report = build_state(owner.settings).report
            return owner.source_path, shown_path(owner.source_path, owner.settings), report
        if frame.f_code.co_name == "read_file" and isinstance(frame.f_locals.get("path"), str):
            readers = frame.f_locals.get("self")
            settings = getattr(readers, "settings", None)
            base = frame.f_locals.get("base_path") or ""
            if settings is not None:
                source_path = os.path.join(base, frame.f_locals["path"])
                return source_path, shown_path(source_path, settings), build_state(settings).report
        frame = frame.f_back
    if static is not None:
        return static.source_path, shown_path(static.source_path, static.settings), build_state(static.settings).report
    return None


def take(record: logging.LogRecord) -> None:
    """A warning or error from outside the plugin, about a file: into the report."""
    if record.levelno < logging.WARNING or record.name.split(".")[0] == __package__:
        return
    where = _reading.get() or file_in_stack(sys._getframe(2))
    if where is None:
        return
    source_path, shown, report = where
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a library's bad format string is still said
        message = str(record.msg)
    severity = "error" if record.levelno >= logging.ERROR else "warning"
    origin = "Pelican" if record.name.startswith("pelican") else record.name.split(".")[0]
    line = quoted_line(source_path, record.args)
    report.warn(source_path, Problem(shown, line, None, f"{origin}: {message}", severity, code_of(record)))
    setattr(record, TAKEN, True)


def quoted_line(source_path: str, args) -> int | None:
    """The line of the file that holds what the message quotes (a link's target)."""
    quoted = [arg for arg in args if isinstance(arg, str) and len(arg.strip()) > 2] if isinstance(args, tuple) else []
    if not quoted:
        return None
    try:
        with open(source_path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    return next((line for line in (line_of(text, arg) for arg in quoted) if line), None)


def start_capture() -> None:
    """Once per process: every record is looked at as it is made."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "journal_capture", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        if record.levelno >= logging.WARNING:
            take(record)
        return record

    factory.journal_capture = True
    logging.setLogRecordFactory(factory)


def not_taken(record: logging.LogRecord) -> bool:
    """Handler filter: a record the report took is printed by the report, not here."""
    return not getattr(record, TAKEN, False)


def hold_back_taken(handlers=None) -> None:
    """Put the filter on the root logger's handlers (once each)."""
    for handler in handlers if handlers is not None else logging.getLogger().handlers:
        if not_taken not in handler.filters:
            handler.addFilter(not_taken)


class PlainFormatter(logging.Formatter):
    """`warning: message`, on one line (a traceback follows on its own lines)."""

    def format(self, record):
        return f"{record.levelname.lower()}: {super().format(record)}"


def plain_when_piped() -> None:
    """Pelican's console handler draws a table as wide as the terminal, 80 columns when the
    output is piped or sent to a CI log, and wraps inside file names there. When the console is
    not a terminal, log lines are written plain instead, one per line, to the same stream."""
    from pelican.log import console
    from rich.logging import RichHandler

    if not console.is_terminal:
        console.soft_wrap = True  # Pelican's own closing line, unwrapped too
    root = logging.getLogger()
    for index, handler in enumerate(root.handlers):
        if isinstance(handler, RichHandler) and not handler.console.is_terminal:
            plain = logging.StreamHandler(handler.console.file)
            plain.setFormatter(PlainFormatter("%(message)s"))
            plain.setLevel(handler.level)
            for log_filter in handler.filters:
                plain.addFilter(log_filter)
            root.handlers[index] = plain


def start_logging(_pelican=None) -> None:
    """initialized: capture library messages about files, plain lines when piped."""
    start_capture()
    plain_when_piped()
    hold_back_taken()
