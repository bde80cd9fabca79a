"""learning-journal: a Pelican plugin for blogs written in series.

Pelican's signals are the only way in: a reader for front matter, URL claims once all
content is read, extra generators for the pages Pelican does not know, a build report,
and an atomic swap of the output at the end.
"""

from pelican import signals

from .build.atomic import enforce_strict_mode, publish_staging, start_staging
from .build.background import start_background_work
from .build.build_cache import close_build_cache, finish_build_cache, keep_templates_in_memory, use_reader_cache
from .build.page_memo import log_page_memo
from .build.parallel_read import start_article_helpers, start_page_helpers
from .build.search_index import finish_search_index
from .build.writer import freeze_urls, settle_source_path, use_journal_writer, write_edited_first
from .build_state import build_state, start_build_state
from .log_capture import start_logging
from .output.drafts import leave_drafts_out
from .output.epub import EbookGenerator, plan_series_ebooks
from .output.feeds import FeedGenerator, attach_feed_links, plan_feeds, switch_off_pelican_feeds
from .output.notebook_files import NotebookFilesGenerator
from .output.redirects import RedirectGenerator
from .output.search_page import SearchGenerator
from .output.series_pages import SeriesGenerator, build_series
from .output.sitemap import SitemapGenerator
from .output.template_helpers import install_template_helpers
from .read.dates import take_over_file_name_dates
from .read.liquid_site import forget_posts, keep_includes_out
from .read.notebook import register_notebook_reader
from .read.reader import register_reader
from .read.typography import take_over_typogrify
from .site.calendar import add_learning_calendar
from .site.links import resolve_links
from .site.neighbours import link_neighbours
from .site.order import order_articles, order_lists, order_pages, read_in_path_order
from .site.post_images import publish_post_images
from .site.url_record import follow_moved_urls, write_url_record
from .site.urls import resolve_url_claims


def start_build(pelican):
    """get_generators is sent at the start of every run: fresh per-build state."""
    previous = start_build_state(pelican.settings)
    if previous is not None:
        close_build_cache(previous.cache)  # a build that failed: its entries are not kept
    forget_posts()
    start_staging(pelican)
    # SearchGenerator first: the search index starts as soon as Pelican has written the posts.
    # SeriesGenerator after the feeds: the e-books it shows are made meanwhile on another core.
    return [
        SearchGenerator,
        RedirectGenerator,
        FeedGenerator,
        SeriesGenerator,
        SitemapGenerator,
        NotebookFilesGenerator,
        EbookGenerator,
    ]


def readers_init(readers):
    """Our reader first, then the cache around it (blinker does not keep receivers in order)."""
    register_reader(readers)
    register_notebook_reader(readers)
    use_reader_cache(readers)


def all_generators_finalized(generators):
    """The single place where cross-content work happens, in a fixed order."""
    settings = generators[0].settings
    resolve_url_claims(generators, settings)
    follow_moved_urls(generators, settings)  # after the claims: every URL is settled
    freeze_urls(generators[0].context)  # settled: computed once from here on
    build_series(generators, settings)
    attach_feed_links(generators)  # after the series model: posts link their series feeds
    resolve_links(generators, settings)
    plan_series_ebooks(generators, settings)  # before any page: the series page shows its size
    build_state(settings).report.finish(generators)
    leave_drafts_out(generators, settings)  # last: drafts are counted and linked to, never written
    enforce_strict_mode(settings)
    plan_feeds(generators)  # the site is settled: feeds may be made on another core once writing begins


def finish_build(pelican):
    finish_search_index(pelican.settings)
    # Again before publishing: e-books, feeds and the search index are made while writing.
    enforce_strict_mode(pelican.settings)
    publish_staging(pelican)
    write_url_record(pelican.settings)
    log_page_memo(pelican.settings)
    finish_build_cache(pelican)
    build_state(pelican.settings).report.print(pelican.settings.get("JOURNAL_REPORT_IN_FULL") or None)


def register():
    signals.initialized.connect(start_logging)
    signals.initialized.connect(switch_off_pelican_feeds)
    signals.initialized.connect(take_over_typogrify)
    signals.initialized.connect(take_over_file_name_dates)
    signals.initialized.connect(keep_includes_out)
    signals.readers_init.connect(readers_init)
    signals.get_generators.connect(start_build)
    signals.get_writer.connect(use_journal_writer)
    signals.get_writer.connect(start_background_work)
    signals.article_generator_preread.connect(start_article_helpers)
    signals.page_generator_preread.connect(start_page_helpers)
    signals.generator_init.connect(install_template_helpers)
    signals.article_generator_init.connect(read_in_path_order)
    signals.page_generator_init.connect(read_in_path_order)
    signals.article_generator_pretaxonomy.connect(order_articles)
    signals.article_generator_finalized.connect(order_lists)
    signals.page_generator_finalized.connect(order_pages)
    signals.generator_init.connect(keep_templates_in_memory)
    signals.content_object_init.connect(settle_source_path)
    signals.article_generator_write_article.connect(write_edited_first)
    signals.article_generator_finalized.connect(add_learning_calendar)
    signals.article_generator_finalized.connect(link_neighbours)
    signals.article_generator_finalized.connect(publish_post_images)
    signals.page_generator_finalized.connect(publish_post_images)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finish_build)
