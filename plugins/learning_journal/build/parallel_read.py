"""Read posts on every core: forked helper processes read a share of the posts not in the cache.

Pelican reads one file after another, and reading (Markdown, math, highlighting, typography)
is most of a full build. Before a generator reads its first file, the files missing from the
build cache are dealt out: every other one (with two cores) to a forked helper process that
runs the same reader, while Pelican goes on reading in its own order. When Pelican reaches a
file a helper read, the reader takes the helper's result instead of reading it again; its
warnings come along and are reported as if read here. A file a helper could not read is read
again here, so errors are reported exactly as in a one-process build.

Helpers are forked (they share the reader, settings and plugins as they are, nothing is
pickled but results), on Linux only, and only when enough files are missing to be worth it.
JOURNAL_READ_PROCESSES sets how many processes read (default: the number of cores, at most
4); 1 reads in one process.
"""

import logging
import multiprocessing
import os
import pickle

from ..build_state import build_state
from .background import can_fork, fork_process, process_count, quiet_child

logger = logging.getLogger(__name__)
WORTH_IT = 24  # missing files below which a helper costs more than it saves


class Helpers:
    """The helper processes of one generator's reading, and what they sent back so far."""

    def __init__(self, shares: list[list[str]], readers: dict):
        self.results = {}  # absolute path -> ("ok", blob) or ("failed", None)
        self.pending = {}  # absolute path -> connection it will arrive on
        self.processes = []
        context = multiprocessing.get_context("fork")
        for share in shares:
            receiving, sending = context.Pipe(duplex=False)
            process = fork_process(read_share, (readers, share, sending))
            sending.close()
            self.processes.append((process, receiving))
            self.pending.update((path, receiving) for path in share)

    def take(self, path: str):
        """The helper's result for `path` (waiting for it), or None if no helper reads it."""
        if path in self.results:
            return self.results.pop(path)
        connection = self.pending.get(path)
        if connection is None:
            return None
        while path not in self.results:
            try:
                status, done, blob = pickle.loads(connection.recv_bytes())
            except EOFError:  # the helper died: whatever it did not send is read here
                for other, source in list(self.pending.items()):
                    if source is connection:
                        del self.pending[other]
                return None
            del self.pending[done]
            self.results[done] = (status, blob)
        return self.results.pop(path)

    def close(self) -> None:
        for process, connection in self.processes:
            connection.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        self.processes = []
        self.pending.clear()
        self.results.clear()


def read_share(readers: dict, paths: list[str], connection) -> None:
    """In a helper: read each file with its uncached reader (Markdown, notebook), send back what
    the cache would store."""
    from .build_cache import CachedRead, SettingsPickler, freeze

    # The parent reports every warning, once: nothing is printed here, but what a library logs
    # about a file still becomes a problem of its read (log_capture.py).
    quiet_child()
    report = build_state(next(iter(readers.values())).settings).report
    for path in paths:
        reader = readers[path]
        already = len(report.warnings)
        try:
            html, metadata = super(CachedRead, reader).read(path)
            blob = SettingsPickler.dumps(freeze((html, metadata, report.warnings[already:])))
            message = ("ok", path, blob)
        except BaseException:  # noqa: BLE001 - the parent reads it again and reports the error
            message = ("failed", path, None)
        connection.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    connection.close()


def start_helpers(generator, paths_setting: str, excludes_setting: str) -> None:
    """*_generator_preread, before the generator's first file: deal the missing files out."""
    from .build_cache import CachedRead, cache_for

    if getattr(generator, "journal_helpers_started", False):
        return
    generator.journal_helpers_started = True
    settings = generator.settings
    cache = cache_for(settings)
    processes = process_count(settings)
    if cache is None or not can_fork(settings):
        return
    missing, readers = [], {}
    for relative in generator.get_files(settings[paths_setting], exclude=settings[excludes_setting]):
        path = os.path.abspath(os.path.join(generator.path, relative))
        extension = os.path.splitext(path)[1][1:]
        candidate = generator.readers.readers.get(extension)
        if not isinstance(candidate, CachedRead):
            continue
        if not cache.has_read(path):
            missing.append(path)
            readers[path] = candidate
    if len(missing) < WORTH_IT:
        return
    # Pelican reads share 0 itself; helpers take the others, interleaved so all finish together.
    shares = [missing[index::processes] for index in range(1, processes)]
    cache.helpers.append(Helpers(shares, readers))
    logger.debug(
        "%d files to read: %d helper processes read %d of them", len(missing), processes - 1, sum(map(len, shares))
    )


def start_article_helpers(generator) -> None:
    start_helpers(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def start_page_helpers(generator) -> None:
    start_helpers(generator, "PAGE_PATHS", "PAGE_EXCLUDES")
