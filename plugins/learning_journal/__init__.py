"""learning-journal: a Pelican plugin for blogs written in series.

Pelican's signals are the only way in: a reader for front matter, URL claims once all
content is read, extra generators for the pages Pelican does not know, a build report.
"""

from pelican import signals

from .calendar import add_learning_calendar
from .neighbours import link_neighbours
from .reader import register_reader
from .redirects import RedirectGenerator
from .report import report_for, start_report
from .series_pages import SeriesGenerator, build_series
from .sitemap import SitemapGenerator
from .template_helpers import install_template_helpers
from .urls import resolve_url_claims


def extra_generators(pelican):
    start_report(pelican)
    return [RedirectGenerator, SeriesGenerator, SitemapGenerator]


def all_generators_finalized(generators):
    """The single place where cross-content work happens, in a fixed order."""
    settings = generators[0].settings
    resolve_url_claims(generators, settings)
    build_series(generators, settings)
    report_for(settings).finish(generators)


def print_report(pelican):
    report_for(pelican.settings).print()


def register():
    signals.readers_init.connect(register_reader)
    signals.get_generators.connect(extra_generators)
    signals.generator_init.connect(install_template_helpers)
    signals.article_generator_finalized.connect(add_learning_calendar)
    signals.article_generator_finalized.connect(link_neighbours)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(print_report)
