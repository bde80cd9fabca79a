"""learning-journal: a Pelican plugin for blogs written in series.

Pelican's signals are the only way in: a reader for front matter, URL claims once all
content is read, extra generators for the pages Pelican does not know, a build report.
"""

from pelican import signals

from .reader import register_reader
from .reader_cache import prune_reader_cache, start_reader_cache, use_reader_cache
from .redirects import RedirectGenerator
from .report import report_for, start_report
from .urls import resolve_url_claims
from .writer import prune_output, use_journal_writer


def extra_generators(pelican):
    start_report(pelican)
    start_reader_cache(pelican)
    return [RedirectGenerator]


def all_generators_finalized(generators):
    """The single place where cross-content work happens, in a fixed order."""
    settings = generators[0].settings
    resolve_url_claims(generators, settings)
    report_for(settings).finish(generators)


def readers_init(readers):
    """Our reader first, then the cache around it (blinker does not keep receivers in order)."""
    register_reader(readers)
    use_reader_cache(readers)


def finish_incremental_build(pelican):
    prune_output(pelican)
    prune_reader_cache(pelican)


def print_report(pelican):
    report_for(pelican.settings).print()


def register():
    signals.readers_init.connect(readers_init)
    signals.get_writer.connect(use_journal_writer)
    signals.finalized.connect(finish_incremental_build)
    signals.get_generators.connect(extra_generators)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(print_report)
