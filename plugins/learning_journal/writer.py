"""Incremental output: a file whose bytes did not change is carried over, not written again.

The atomic build (atomic.py) renders into a fresh staging folder that replaces the output.
Writing every page again there costs real time on each rebuild and makes every file look new
to rsync and to a browser's live reload. This writer renders as Pelican does, then compares
the bytes with the same file in the current output (OUTPUT_PATH): equal files are hard-linked
into the staging folder (same bytes, same mtime, no copy), others are written. Files never go
through an in-place write, so the live output is not touched before the swap.
"""

import io
import logging
import os
import shutil

from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)


class JournalWriter(Writer):
    """Pelican's Writer, with the same overwrite guard, writing through CarryOverFile."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        # Pelican writes into output_path (the staging folder); the site being replaced is OUTPUT_PATH.
        self.previous_output = os.path.abspath((settings or {}).get("OUTPUT_PATH") or output_path)
        self.changed = set()
        self.unchanged = set()

    def _open_w(self, filename, encoding, override=False):
        # The same guard as Pelican's Writer._open_w: one write per file, one override at most.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it '
                    "previously (set `override=True` if intended)"
                )
            logger.info('Overwriting "%s"', filename)
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        relative = os.path.relpath(os.path.abspath(filename), os.path.abspath(self.output_path))
        return CarryOverFile(filename, os.path.join(self.previous_output, relative), encoding, self.record)

    def record(self, path: str, changed: bool) -> None:
        (self.changed if changed else self.unchanged).add(path)
        (self.unchanged if changed else self.changed).discard(path)


class CarryOverFile(io.StringIO):
    """Collects what Pelican writes; on a clean close, carries the previous file over or writes."""

    def __init__(self, path: str, previous: str, encoding: str, on_close):
        super().__init__()
        self.path = path
        self.previous = previous
        self.target_encoding = encoding
        self.on_close = on_close

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.commit()
        super().__exit__(kind, error, trace)

    def commit(self) -> None:
        text = self.getvalue()
        if os.linesep != "\n":
            text = text.replace("\n", os.linesep)
        data = text.encode(self.target_encoding)
        unchanged = same_bytes(self.previous, data)
        if not unchanged:
            replace_with_bytes(self.path, data)
        elif os.path.abspath(self.previous) != os.path.abspath(self.path):
            replace_with_link(self.path, self.previous)
        self.on_close(self.path, not unchanged)


def same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def replace_with_bytes(path: str, data: bytes) -> None:
    """A new file in place of `path`: a hard link to the live output is never written through."""
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


def replace_with_link(path: str, previous: str) -> None:
    partial = f"{path}.{os.getpid()}.partial"
    try:
        os.link(previous, partial)
    except OSError:  # no hard links here (another device, some file systems): copy, keeping mtime
        shutil.copy2(previous, partial)
    os.replace(partial, path)


def use_journal_writer(pelican):
    """get_writer: Pelican instantiates the class it receives."""
    return JournalWriter
