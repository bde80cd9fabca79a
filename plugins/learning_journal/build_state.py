"""Everything one build makes for itself, in one typed object: the build report, the build
cache's view, the writer, the series model, the series e-books.

It is kept in the settings, the one object every reader, generator and signal handler is
given, under one key, and replaced at the start of every run, so nothing survives from one
`--autoreload` build to the next. Modules reach it only through `build_state(settings)`;
the build cache's fingerprint and the page memo leave it out by its type.
"""

from dataclasses import dataclass, field
from typing import Any

from .report import BuildReport

STATE_KEY = "JOURNAL_BUILD_STATE"


@dataclass(eq=False)
class BuildState:
    """One build's own objects (the layers below build/ cannot name the types of the last two)."""

    report: BuildReport = field(default_factory=BuildReport)
    series: Any = None  # site.series.SeriesCatalog, once every post is read
    cache: Any = None  # build.build_cache.BuildCache, made when the first read asks for it
    writer: Any = None  # build.writer.JournalWriter, once Pelican makes it
    search: Any = None  # build.search_index.SearchIndexRun, once the post pages are written
    # series slug -> output.epub.EbookLink: kept out of the page memo's site digest, so that a
    # book's new size renders its series page again, not every page.
    ebooks: dict = field(default_factory=dict)
    books: Any = None  # output.epub.SeriesBooks: the books kept, or being made, until written
    # Work handed to another core when writing begins (build/background.py): never in a run
    # that only reads, such as `journal check`.
    when_writing: list = field(default_factory=list)
    url_record: Any = None  # site.url_record.UrlRecord of this build, written when it is done


def build_state(settings) -> BuildState:
    """This build's state (one is made for readers and tools used outside a build)."""
    state = settings.get(STATE_KEY)
    if not isinstance(state, BuildState):
        state = BuildState()
        settings[STATE_KEY] = state
    return state


def start_build_state(settings) -> BuildState | None:
    """A fresh state for a new run; the previous one is returned, to be closed."""
    previous = settings.get(STATE_KEY)
    settings[STATE_KEY] = BuildState()
    return previous if isinstance(previous, BuildState) else None
