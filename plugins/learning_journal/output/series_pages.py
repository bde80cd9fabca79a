"""Series in a Pelican build: the model is built once all content is read, its navigation
is attached to every part, and a generator writes /series/ and /series/<slug>/ through
Pelican's Writer (so no page is ever silently overwritten)."""

from datetime import UTC, datetime

from pelican.generators import Generator

from ..build_state import build_state
from ..content_kinds import SERIES_CANDIDATES, drafts_built
from ..site.series import COLLAPSE_AFTER, SERIES_INDEX_URL, build_catalog, series_slug
from ..site.series_files import display_path, read_series_files
from ..site.urls import contents_of
from .epub import take_series_ebooks

SERIES_INDEX_SAVE_AS = f"{SERIES_INDEX_URL}index.html"


def build_series(generators, settings) -> None:
    """Step 2 of all_generators_finalized: the series of this build, and nothing older."""
    context = generators[0].context
    label = display_path(settings)
    state = build_state(settings)
    report = state.report
    substitutions = settings.get("SLUG_REGEX_SUBSTITUTIONS")

    def slug_of(name):
        return series_slug(name, substitutions) if substitutions else series_slug(name)

    files, problems = read_series_files(settings, label)
    articles = [
        article
        for generator in generators
        for kind in SERIES_CANDIDATES
        for article in getattr(generator, kind, None) or []
    ]
    catalog = build_catalog(
        articles,
        files,
        now=datetime.now(UTC),
        label=lambda article: label(article.source_path),
        slug_of=slug_of,
        collapse_after=settings.get("JOURNAL_SERIES_COLLAPSE_AFTER", COLLAPSE_AFTER),
        announce_drafts=drafts_built(settings),
    )
    for problem in problems + catalog.problems:
        report.warn(problem.path, problem)

    # Pelican copied the raw `series` names onto every content object; only published
    # parts get navigation, everything else loses the attribute (drafts, hidden, pages).
    for content in contents_of(generators):
        navigations = catalog.navigations_for(content)
        if navigations:
            content.series = navigations[0]
            content.series_all = navigations
        else:
            for attribute in ("series", "series_all"):
                if attribute in vars(content):
                    delattr(content, attribute)
    context["series_list"] = catalog.series
    state.series = catalog  # every series, drafts too: for `journal check` and `journal new`
    context["series_index_url"] = SERIES_INDEX_URL


class SeriesGenerator(Generator):
    """Writes the page listing every series and one page per series."""

    def generate_output(self, writer):
        take_series_ebooks(self.settings)  # the books' sizes: waited for if still being made
        series_list = self.context.get("series_list") or []
        relative_urls = self.settings.get("RELATIVE_URLS", False)
        writer.write_file(
            SERIES_INDEX_SAVE_AS,
            self.get_template("series_index"),
            self.context,
            relative_urls=relative_urls,
            url=SERIES_INDEX_URL,
            page_name="series",
        )
        template = self.get_template("series")
        ebooks = build_state(self.settings).ebooks
        for series in series_list:
            ebook = ebooks.get(series.slug)
            writer.write_file(
                series.save_as,
                template,
                self.context,
                relative_urls=relative_urls,
                url=series.url,
                series=series,
                ebook=ebook,
                memo_inputs=ebook,
                page_name=series.url.rstrip("/"),
            )
