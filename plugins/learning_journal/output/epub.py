"""Every series with published parts as an EPUB 3 book: /series/<slug>/<slug>.epub.

A cover page (name, description, author), a table of contents (nav.xhtml, and toc.ncx for
older readers), then every published part in order with its title and date: MathML kept,
code highlighted with the site's Pygments colours, images inside the book, links between
parts pointing to their chapters. ebooklib writes the package; the bytes are the same for the
same parts (a fixed identifier, modification date and zip entry times).

The series page shows the book's size, so books are planned once every post is read, before
any page is written: a book whose parts, images and settings did not change since the last
build (the build cache remembers them) is taken from the output as it is, and not made again.
The others are made by a forked process while Pelican writes the posts (several of them), or
here (epub_book.py makes one book), and taken before the series pages are written.
"""

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pelican.utils import sanitised_join

from ..build.background import BackgroundTasks, can_fork
from ..build.build_cache import cache_for
from ..build.writer import write_output
from ..build_state import build_state
from ..problems import Problem
from ..site.links import url_key
from ..site.urls import display, site_url_of

logger = logging.getLogger(__name__)
BACKGROUND_WORTH_IT = 3  # books to make below which a forked process costs more than it saves


@dataclass(frozen=True)
class EbookLink:
    """What the series page shows of its book (`ebook` in series.html)."""

    url: str
    size: int

    @property
    def size_label(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / (1024 * 1024):.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


def ebook_path(series) -> str:
    return f"{series.url}{series.slug}.epub"


def plan_series_ebooks(generators, settings) -> None:
    """all_generators_finalized, after the series and links: each series' book kept as it is,
    or to be made; several books to make are made by a forked process on another core once
    Pelican starts writing the posts (background.py), and taken before the series pages."""
    context = generators[0].context
    state = build_state(settings)
    if not any(isinstance(g, EbookGenerator) for g in generators) or not settings.get("JOURNAL_EPUB", True):
        return
    books = SeriesBooks(SiteImages(context, settings), settings)
    for series in context.get("series_list") or []:
        if not series.parts:
            continue
        try:
            books.plan(series)
        except Exception as error:  # one book that cannot be made must not stop the site
            books.failed(series, error)
    state.books = books
    state.when_writing.append(books.start_making)


def take_series_ebooks(settings) -> list:
    """The books as (path in the output, bytes), in series order, their sizes in the build
    state for the series pages; made here what the forked process did not make."""
    books = build_state(settings).books
    return books.take() if books is not None else []


@dataclass
class PlannedBook:
    series: object
    parts: list
    key: bytes | None  # the build cache's key of its inputs
    data: bytes | None = None  # the bytes of a book kept as it is
    problems: tuple = ()


class SeriesBooks:
    """This build's books: which are kept, which are being made, and the bytes once taken."""

    def __init__(self, images, settings):
        self.images = images
        self.settings = settings
        self.cache = cache_for(settings)
        self.planned = []
        self.errors = []  # (series, error) of books that could not be planned
        self.background = None
        self.taken = None
        self.made = 0  # books made in this build (the rest were kept as they were)

    def plan(self, series) -> None:
        """Kept when the cache knows these inputs and the output still holds that very book."""
        site_url = site_url_of(self.settings)
        # series.links hold each part's URL, computed once (Pelican formats it on every access).
        parts = [Part(link.article, link.url, link.article.get_content(site_url)) for link in series.links]
        key = self.cache.key("epub", inputs_digest(series, parts)) if self.cache else None
        book = PlannedBook(series, parts, key)
        entry = self.cache.get(key) if self.cache else None
        if entry:
            output_digest, files, problems = entry
            if all(self.images.file_digest(path) == digest for path, digest in files):
                previous = Path(self.settings["OUTPUT_PATH"]) / ebook_path(series)
                try:
                    data = previous.read_bytes()
                except OSError:
                    data = b""
                if hashlib.blake2b(data, digest_size=20).hexdigest() == output_digest:
                    book.data, book.problems = data, problems  # told again, as long as the book holds them
        self.planned.append(book)

    def failed(self, series, error) -> None:
        self.errors.append((series, error))

    def start_making(self) -> None:
        to_make = [(book.series, book.parts) for book in self.planned if book.data is None]
        if len(to_make) >= BACKGROUND_WORTH_IT and can_fork(self.settings):
            self.background = BackgroundTasks(self.make, to_make)

    def make(self, task) -> tuple[bytes, list, list]:
        from .epub_book import make_book  # ebooklib is loaded only when a book is made

        series, parts = task
        return make_book(series, parts, self.images, self.settings)

    def take(self) -> list:
        if self.taken is not None:
            return self.taken
        state = build_state(self.settings)
        made_elsewhere = iter(self.background.results() if self.background else [])
        self.taken = []
        for series, error in self.errors:
            self.report_failure(series, error)
        for book in self.planned:
            data, problems = book.data, book.problems
            if data is None:
                result = next(made_elsewhere, None)
                try:
                    data, files, problems = result[1] if result else self.make((book.series, book.parts))
                except Exception as error:  # one book that cannot be made must not stop the site
                    self.report_failure(book.series, error)
                    continue
                self.made += 1
                if self.cache:
                    digest = hashlib.blake2b(data, digest_size=20).hexdigest()
                    self.cache.put(book.key, (digest, tuple(files), tuple(problems)))
            report(problems, self.settings)
            state.ebooks[book.series.slug] = EbookLink(url=ebook_path(book.series), size=len(data))
            self.taken.append((ebook_path(book.series), data))
        if self.taken:
            logger.info("E-books: %d made, %d unchanged", self.made, len(self.taken) - self.made)
        return self.taken

    def report_failure(self, series, error) -> None:
        where = series.source_path or display(series.parts[0], self.settings)
        message = f"the e-book of the series '{series.name}' could not be made ({type(error).__name__}: {error})"
        build_state(self.settings).report.warn(where, Problem(where, None, None, message, severity="error"))


def report(problems, settings) -> None:
    for path, message in problems:
        build_state(settings).report.warn(path, Problem(path, None, None, message))


@dataclass(frozen=True)
class Part:
    """A published part as the book shows it."""

    article: object
    url: str
    body: str  # its HTML, links resolved


def inputs_digest(series, parts) -> bytes:
    """Everything a book shows besides image files (settings and code are in the cache key)."""
    hasher = hashlib.blake2b(digest_size=20)
    fields = [series.name, series.slug, series.description or "", series.status]
    for part in parts:
        article = part.article
        modified = getattr(article, "modified", None)
        fields += [str(article.source_path), part.url, article.title, article.date.isoformat()]
        fields += [modified.isoformat() if modified else "", getattr(article, "locale_date", "")]
        fields += [str(author) for author in getattr(article, "authors", None) or []]
        fields += [f"{name}:{hashlib.blake2b(data).hexdigest()}" for name, data in notebook_files(article)]
        fields.append(part.body)
    for value in fields:
        data = str(value).encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little") + data)
    return hasher.digest()


def notebook_files(article) -> list:
    return sorted((getattr(article, "notebook_files", None) or {}).items())


class SiteImages:
    """Site-local image URLs found as files: static files, notebook images, the content and
    output folders. Remote images are never fetched."""

    def __init__(self, context, settings):
        self.statics = {
            url_key(static.url): static.source_path for static in (context.get("static_content") or {}).values()
        }
        self.roots = [Path(settings["PATH"]).resolve(), Path(settings["OUTPUT_PATH"]).resolve()]
        self.digests = {}

    def find(self, path: str, article) -> tuple[str | None, bytes | None]:
        """(file path, bytes) of the image at a site path such as /images/x.png."""
        if article is not None:
            for name, data in notebook_files(article):  # beside the post's page
                if posixpath_join("/" + os.path.dirname(article.save_as), name) == path:
                    return None, data
        candidates = []
        static = self.statics.get(url_key(path))
        if static:
            candidates.append(Path(static))
        candidates += [root / path.lstrip("/") for root in self.roots]
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file() and any(resolved.is_relative_to(root) for root in self.roots):
                return str(resolved), resolved.read_bytes()
        return None, None

    def file_digest(self, path: str) -> str | None:
        if path not in self.digests:
            try:
                self.digests[path] = hashlib.blake2b(Path(path).read_bytes(), digest_size=20).hexdigest()
            except OSError:
                self.digests[path] = None
        return self.digests[path]


def posixpath_join(folder: str, name: str) -> str:
    return f"{folder.rstrip('/')}/{name}"


class EbookGenerator:
    """A Pelican generator with only an output step: the books planned before pages were written."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.settings = settings
        self.output_path = output_path

    def generate_output(self, writer) -> None:
        for path, data in take_series_ebooks(self.settings):
            write_output(writer, sanitised_join(self.output_path, path), data)
