"""The /search/ page, and the start of the search index once the post pages are written.

JOURNAL_SEARCH (on by default) writes /search/ and links it from every page; it lists the series
and tags, so it is useful without JavaScript. JOURNAL_SEARCH_INDEX (on in publishconf.py)
builds the Pagefind index (build/search_index.py) and loads the page's script; without it
the page says that search comes with the production build.
"""

from pelican.generators import Generator

from ..build.search_index import start_search_index

SEARCH_URL = "search/"
SEARCH_SAVE_AS = f"{SEARCH_URL}index.html"


def search_on(settings) -> bool:
    return bool(settings.get("JOURNAL_SEARCH", True))


def search_indexed(settings) -> bool:
    return search_on(settings) and bool(settings.get("JOURNAL_SEARCH_INDEX", False))


class SearchGenerator(Generator):
    """Runs first of the plugin's generators: Pelican's own have written every post page."""

    def generate_context(self):
        if search_on(self.settings):
            self.context["search_url"] = SEARCH_URL
            self.context["search_indexed"] = search_indexed(self.settings)

    def generate_output(self, writer):
        if not search_on(self.settings):
            return
        if search_indexed(self.settings):
            start_search_index(writer, self.context, self.settings)
        writer.write_file(
            SEARCH_SAVE_AS,
            self.get_template("search"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            url=SEARCH_URL,
            page_name="search",
        )
