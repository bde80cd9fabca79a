"""Incremental output: a page whose bytes did not change is not written again.

The atomic build (atomic.py) renders into a staging folder that is then published into the
output. This writer renders as Pelican does, then compares the bytes with the same file in
the current output (OUTPUT_PATH): an equal file is left where it is (same bytes, same mtime,
for rsync and a browser's live reload) and only recorded, so publishing keeps it; a changed
one is written to the staging folder. Nothing is written in place into the live output.
"""

import copy
import io
import logging
import os
from functools import partial

from blinker import signal
from pelican.writers import FileOverwriteFailedError, Writer

from ..build_state import build_state
from .page_memo import MemoTemplate, mix_in, page_memo_for

logger = logging.getLogger(__name__)
# Sent (sender: the writer; name: the page's path in the output, data: its bytes) when the page of
# a post edited since the last build is written, before the rest of the build.
EDITED_PAGE_WRITTEN = signal("learning_journal.edited_page_written")
EDITED_FIRST_AT_MOST = 8  # more edited posts than this: a bulk change, written in Pelican's order


class JournalWriter(Writer):
    """Pelican's Writer, with the same overwrite guard, writing through UnlessUnchangedFile."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        settings = settings if settings is not None else {}
        # Pelican writes into output_path (the staging folder); the site being replaced is OUTPUT_PATH.
        self.previous_output = os.path.abspath(settings.get("OUTPUT_PATH") or output_path)
        self.changed = set()
        self.unchanged = set()  # relative paths, kept from the previous output
        self.urls_frozen = False
        self.memo = None  # page_memo.PageMemo, made when output starts
        self.written_first = None  # names of the edited posts' pages, once write_edited_first ran
        self.writing_first = False
        self.last_commit = None  # (relative path, bytes) of the last file written
        self.published = None  # relative paths published into the output (atomic.py), at the end
        build_state(settings).writer = self  # this build's writer, for publishing

    def write_file(self, name, template, context, *args, **kwargs):
        if self.writing_first:
            # Straight to the file: the page memo (a digest of the whole site) is made afterwards.
            self.last_commit = None
            result = super().write_file(name, template, context, *args, **kwargs)
            if self.last_commit is not None:
                self.written_first.add(name)
                relative, data = self.last_commit
                EDITED_PAGE_WRITTEN.send(self, name=relative, data=data)
            return result
        if self.written_first and name in self.written_first:
            return None  # written first, with the same context
        memo = self.memo_for(context)
        if memo is not None:
            template = MemoTemplate(template, memo)
        return super().write_file(name, template, context, *args, **kwargs)

    def memo_for(self, context):
        """This build's page memo (page_memo.py), made when output starts; None when it is off."""
        self.freeze_urls(context)
        if self.memo is None:
            self.memo = page_memo_for(self, context, self.settings) or False
        return self.memo or None

    def write_feed(self, elements, context, *args, **kwargs):
        self.freeze_urls(context)
        return super().write_feed(elements, context, *args, **kwargs)

    def freeze_urls(self, context) -> None:
        if not self.urls_frozen:
            self.urls_frozen = True
            freeze_urls(context)

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
        return UnlessUnchangedFile(self, filename, encoding)

    def commit(self, path: str, data: bytes) -> None:
        """Stage `data` for `path` (a path in the staging folder), unless the output already holds it."""
        relative = os.path.normpath(os.path.relpath(os.path.abspath(path), os.path.abspath(self.output_path)))
        self.last_commit = (relative, data)
        kept_size = self.memo.kept.pop(relative, None) if self.memo else None
        if kept_size == len(data) or same_bytes(os.path.join(self.previous_output, relative), data):
            self.unchanged.add(relative)
            self.changed.discard(relative)
            if os.path.lexists(path) and not os.path.samefile(path, os.path.join(self.previous_output, relative)):
                os.unlink(path)  # an earlier write of this build, overridden back to the old bytes
            return
        replace_file(path, data)
        self.changed.add(relative)
        self.unchanged.discard(relative)


class UnlessUnchangedFile(io.StringIO):
    """Collects what Pelican writes; on a clean close, hands the bytes to the writer."""

    def __init__(self, writer: JournalWriter, path: str, encoding: str):
        super().__init__()
        self.writer = writer
        self.path = path
        self.target_encoding = encoding

    def __exit__(self, kind, error, trace):
        if kind is None:
            text = self.getvalue()
            if os.linesep != "\n":
                text = text.replace("\n", os.linesep)
            self.writer.commit(self.path, text.encode(self.target_encoding))
        super().__exit__(kind, error, trace)


def freeze_urls(context) -> None:
    """Compute each content's url and save_as once, as soon as the URL claims are settled
    (site/urls.py), and again when output starts for anything added since.

    Pelican recomputes them from the settings on every access (a metadata copy, a relative
    source path and a format each time), and the series model, link checks, templates and feeds
    ask for them thousands of times. After the claims no slug or URL changes any more;
    Pelican's own `override_url` / `override_save_as` then answer directly.
    """
    contents = {id(c): c for c in context.get("generated_content", {}).values()}
    contents.update((id(c), c) for c in context.get("static_content", {}).values())
    for content in contents.values():
        for key in ("url", "save_as"):
            if not hasattr(content, f"override_{key}"):
                try:
                    setattr(content, f"override_{key}", getattr(content, key))
                except AttributeError:  # not a Pelican Content (a plugin's own object)
                    break


RELATIVE_SOURCE_PATHS = {}  # (source path, PATH) -> Pelican's relative source path
SETTLED_CLASSES = {}


class SettledSourcePath:
    """Mixed into each content's class when it is made: its path relative to the content folder
    is worked out once. Pelican works it out again (two abspath and a relpath) on every url or
    save_as it formats, thousands of times per build."""

    def get_relative_source_path(self, source_path=None):
        root = self.settings["PATH"]
        key = (source_path or self.source_path, root if os.path.isabs(root) else os.path.abspath(root))
        known = RELATIVE_SOURCE_PATHS.get(key)
        if known is None:
            known = RELATIVE_SOURCE_PATHS[key] = super().get_relative_source_path(source_path)
        return known


def settle_source_path(content) -> None:
    """content_object_init: give the content the class above (same name and module as its own)."""
    mix_in(content, SettledSourcePath, SETTLED_CLASSES)


def replace_file(path: str, data: bytes) -> None:
    """A new file at `path`, never written through a link into the live output, never half written."""
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


def write_output(writer, path: str, data: bytes) -> None:
    """The one way the plugin's generators write a file of their own (feeds, sitemap.xml,
    robots.txt, notebook images): through the journal's writer, so an unchanged file keeps its
    place and mtime; through a plain atomic write when another plugin replaced the writer."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(writer, JournalWriter):
        writer.commit(path, data)
    else:
        replace_file(path, data)


def same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def same_file(new: str, old: str) -> bool:
    """Two regular files with the same bytes (read only when the sizes match)."""
    if os.path.islink(new) or os.path.islink(old) or not os.path.isfile(old):
        return False
    if os.path.getsize(new) != os.path.getsize(old):
        return False
    with open(new, "rb") as handle:
        return same_bytes(old, handle.read())


def carried_over(settings) -> set[str]:
    """Relative paths this build produced by keeping the previous output's file."""
    writer = build_state(settings).writer
    return set(writer.unchanged) if isinstance(writer, JournalWriter) else set()


def write_edited_first(generator, content=None) -> None:
    """article_generator_write_article, before the first post page is written: in `journal serve`,
    the pages of the few posts edited since the last build are written before every other page
    (and announced through EDITED_PAGE_WRITTEN), so the author sees the edit while the listings,
    feeds and other pages are still being made."""
    state = build_state(generator.settings)
    writer = state.writer
    if getattr(generator, "journal_ahead", False) or not isinstance(writer, JournalWriter):
        return  # a page written ahead of a build (ahead.py), not by one
    if writer.written_first is not None:
        return
    writer.written_first = set()
    cache = state.cache
    if cache is None or cache.memory is None or not 0 < len(cache.edited) <= EDITED_FIRST_AT_MOST:
        return
    view = copy.copy(generator)  # Pelican's own generate_articles, on the edited posts only
    for kind in ("translations", "articles", "hidden_translations", "hidden_articles"):
        setattr(view, kind, [item for item in getattr(generator, kind) if item.source_path in cache.edited])
    writer.writing_first = True
    try:
        view.generate_articles(partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"]))
    finally:
        writer.writing_first = False


def use_journal_writer(pelican):
    """get_writer: Pelican instantiates the class it receives."""
    return JournalWriter
