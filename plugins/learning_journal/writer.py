"""Incremental output: write only files whose bytes changed, then remove what is no longer built.

Emptying the output folder and writing every file again costs real time on each rebuild
(and makes every file look new to rsync and to a browser's live reload). With
DELETE_OUTPUT_DIRECTORY = False and JOURNAL_PRUNE_OUTPUT = True, the output still ends up
exactly as a clean build would leave it: unchanged files keep their bytes and mtime,
changed ones are rewritten, and files this build did not produce are deleted at the end.
"""

import io
import logging
import os
import tempfile
from pathlib import Path

from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)
WRITER_KEY = "JOURNAL_WRITER"


class ChangedOnlyFile(io.StringIO):
    """Collects what Pelican writes; on a clean close, replaces the file only if its bytes differ."""

    def __init__(self, path: str, encoding: str, on_close):
        super().__init__()
        self.path = path
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
        changed = not same_bytes(self.path, data)
        if changed:
            with open(self.path, "wb") as handle:
                handle.write(data)
        self.on_close(self.path, changed)


def same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


class JournalWriter(Writer):
    """Pelican's Writer, with the same overwrite guard, writing through ChangedOnlyFile."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        # Everything of this build is written after this moment (generate_output follows).
        self.started = filesystem_now(output_path)
        self.changed = set()
        self.unchanged = set()
        self.context = None
        if settings is not None:
            settings[WRITER_KEY] = self

    def write_file(self, name, template, context, *args, **kwargs):
        self.context = context
        return super().write_file(name, template, context, *args, **kwargs)

    def write_feed(self, elements, context, *args, **kwargs):
        self.context = context
        return super().write_feed(elements, context, *args, **kwargs)

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
        return ChangedOnlyFile(filename, encoding, self.record)

    def record(self, path: str, changed: bool) -> None:
        (self.changed if changed else self.unchanged).add(path)
        (self.unchanged if changed else self.changed).discard(path)

    def produced(self) -> set[str]:
        """Output files this build wrote or copied (static files come from the shared context)."""
        files = {os.path.abspath(path) for path in self._written_files}
        for static in (self.context or {}).get("static_content", {}).values():
            save_as = getattr(static, "save_as", None)
            if save_as:
                files.add(os.path.abspath(os.path.join(self.output_path, save_as)))
        return files


def filesystem_now(folder: str) -> int:
    """The output file system's clock (ns): file times come from it, not from time.time()."""
    os.makedirs(folder, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".journal-clock-") as probe:
        return os.fstat(probe.fileno()).st_mtime_ns


def use_journal_writer(pelican):
    """get_writer: Pelican instantiates the class it receives."""
    return JournalWriter


def prune_output(pelican) -> list[Path]:
    """finalized: delete output files this build did not produce; return them.

    Kept: what the writer wrote, static files, anything written since the writer started
    (a generator that writes on its own), and OUTPUT_RETENTION names at the top level.
    Nothing happens when the output folder holds the content, as with Pelican's own clean.
    """
    settings = pelican.settings
    writer = settings.get(WRITER_KEY)
    if not isinstance(writer, JournalWriter) or not settings.get("JOURNAL_PRUNE_OUTPUT"):
        return []
    # Absolute, not resolved: a static file may be a symlink into the content (STATIC_CREATE_LINKS).
    output = Path(os.path.abspath(writer.output_path))
    content = Path(settings["PATH"]).resolve()
    if not output.is_dir() or content.is_relative_to(output.resolve()):
        return []
    logger.info("%d files changed, %d unchanged and not rewritten", len(writer.changed), len(writer.unchanged))
    produced = writer.produced()
    retained = set(settings.get("OUTPUT_RETENTION", []))
    removed = []
    for top in sorted(output.iterdir()):
        if top.name in retained:
            continue
        candidates = [top] if not top.is_dir() or top.is_symlink() else sorted(top.rglob("*"))
        for path in candidates:
            if path.is_dir() and not path.is_symlink():
                continue
            if str(path) in produced or path.lstat().st_mtime_ns >= writer.started:
                continue
            path.unlink()
            removed.append(path)
        if top.is_dir() and not top.is_symlink():
            remove_empty_folders(top)
    if removed:
        logger.info("removed %d files no longer built", len(removed))
    return removed


def remove_empty_folders(folder: Path) -> None:
    for path in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()
    if not any(folder.iterdir()):
        folder.rmdir()
