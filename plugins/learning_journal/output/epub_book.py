"""One series' EPUB 3 package, made with ebooklib: cover, contents, parts, images, styles.

Loaded only when a book must be made (epub.py decides which): a build whose books did not
change never imports ebooklib.
"""

import hashlib
import io
import zipfile
from datetime import UTC, datetime
from functools import cache
from html import escape
from urllib.parse import unquote, urlsplit
from uuid import NAMESPACE_URL, uuid5

from ebooklib import epub
from lxml import etree

from ..read.image_size import BadImage, parse_svg
from ..site.links import url_key
from ..site.series import comparable
from ..site.urls import display, site_url_of
from .epub_xhtml import BookLinks, image_note, parse_chapter
from .feed_html import plain_text
from .pygments_css import token_styles

MEDIA_TYPE = "application/epub+zip"
EARLIEST_ZIP_TIME = datetime(1980, 1, 1, tzinfo=UTC)  # zip cannot store an earlier date
# The image types every EPUB 3 reading system shows (core media types); others are linked.
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}
BOOK_CSS = """body { margin: 0 5%; line-height: 1.5; }
h1 { font-size: 1.6em; line-height: 1.25; margin: 1em 0 0.25em; }
.part-label, .part-date, .part-online, .cover-meta { color: #555; font-size: 0.9em; margin: 0.25em 0; }
.cover h1 { font-size: 2em; margin-top: 2em; }
img, svg { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; word-wrap: break-word; font-size: 0.85em; }
.highlight { background: #f8f8f8; padding: 0.5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.4em; }
math[display="block"] { display: block; margin: 0.5em 0; }
"""
CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">
<head>
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
<section epub:type="{kind}" class="{kind}">
{body}
</section>
</body>
</html>
"""


def media_type_of(data: bytes) -> str | None:
    """The image type from its first bytes (a name can lie); None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if b"<svg" in data[:4096]:
        try:
            root = parse_svg(data.decode("utf-8"))
        except (BadImage, UnicodeDecodeError):
            return None
        if root.find(".//{http://www.w3.org/2000/svg}script") is None:
            return "image/svg+xml"
    return None


class BookImages:
    """The images of one book, each once, named by its bytes."""

    def __init__(self, site_images, site_url: str, settings, series):  # site_images: epub.SiteImages
        self.site = site_images
        self.site_url = site_url
        self.settings = settings
        self.series = series
        self.items = {}  # file name -> EpubItem
        self.files = {}  # source file -> digest: what the build cache checks
        self.problems = []  # (post, message)

    def place(self, chapter, article) -> None:
        for use in chapter.images:
            path = self.site_path(use.url)
            if path is None:  # another site's image (never fetched), or a data: URL
                image_note(use.element, use.url, "Image online" if use.url.startswith("http") else "Image")
                continue
            source, data = self.site.find(path, article)
            media_type = media_type_of(data) if data is not None else None
            if media_type is None:
                # An image found nowhere is already reported by the link check.
                if data is not None and article is not None:
                    self.problems.append(
                        (
                            display(article, self.settings),
                            f"the image '{use.url}' is not a PNG, JPEG, GIF or SVG image (without scripts), "
                            "the types every e-reader shows; the e-book links to it instead",
                        )
                    )
                image_note(use.element, use.url, "Image")
                continue
            digest = hashlib.blake2b(data, digest_size=20).hexdigest()
            if source:
                self.files[source] = self.site.file_digest(source)
            name = f"images/{digest[:20]}.{IMAGE_TYPES[media_type]}"
            if name not in self.items:
                self.items[name] = epub.EpubItem(
                    uid=f"image-{digest[:20]}", file_name=name, media_type=media_type, content=data
                )
            use.element.set("src", name)
            if not use.element.get("alt"):
                use.element.set("alt", "")

    def site_path(self, url: str) -> str | None:
        if self.site_url and url.startswith(f"{self.site_url}/"):
            return unquote(urlsplit(url[len(self.site_url) :]).path)
        if url.startswith("/") and not url.startswith("//"):
            return unquote(urlsplit(url).path)
        return None


def make_book(series, parts, site_images, settings) -> tuple[bytes, list, list]:
    """The EPUB's bytes, the image files it holds (path, digest), and what the author should know."""
    site_url = site_url_of(settings)
    lang = settings.get("DEFAULT_LANG") or "en"
    files = [f"part-{number:03d}.xhtml" for number in range(1, len(parts) + 1)]
    chapters = [parse_chapter(part.body, f"{site_url}/{part.url}") for part in parts]
    cover = parse_chapter(series.description or "", f"{site_url}/{series.url}")
    links = BookLinks(site_url, {url_key(p.url): (f, c) for p, f, c in zip(parts, files, chapters, strict=True)})
    images = BookImages(site_images, site_url, settings, series)
    images.place(cover, None)
    links.rewrite(cover, "cover.xhtml")
    for part, file_name, chapter in zip(parts, files, chapters, strict=True):
        images.place(chapter, part.article)
        links.rewrite(chapter, file_name)
    articles = [part.article for part in parts]

    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{uuid5(NAMESPACE_URL, f'{site_url}/{series.url}')}")
    book.set_title(series.name)
    book.set_language(lang)
    authors = authors_of(articles, settings)
    for number, author in enumerate(authors, 1):
        book.add_author(author, uid=f"creator-{number}")
    if settings.get("SITENAME"):
        book.add_metadata("DC", "publisher", settings["SITENAME"])
    if site_url.startswith(("http://", "https://")):
        book.add_metadata("DC", "source", f"{site_url}/{series.url}")
    description = plain_text(series.description or "")
    if description:
        book.add_metadata("DC", "description", description)
    modified = book_modified(articles)
    book.add_metadata("DC", "date", modified.strftime("%Y-%m-%dT%H:%M:%SZ"))

    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=book_css().encode()))
    cover_item = document(
        "cover", "cover.xhtml", series.name, cover_page(series, cover, authors, articles, settings), lang, cover
    )
    book.add_item(cover_item)
    nav = epub.EpubNav(title="Contents")
    nav.add_link(href="style.css", rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    items = []
    for number, (part, file_name, chapter) in enumerate(zip(parts, files, chapters, strict=True), 1):
        body = part_page(part, chapter, number, len(parts), site_url)
        items.append(document(f"part-{number}", file_name, part.article.title, body, lang, chapter, kind="chapter"))
    for item in items:
        book.add_item(item)
    for name in sorted(images.items):
        book.add_item(images.items[name])
    book.toc = [epub.Link("cover.xhtml", series.name, "toc-cover")] + [
        epub.Link(item.file_name, article.title, f"toc-{item.id}")
        for article, item in zip(articles, items, strict=True)
    ]
    book.spine = [cover_item, nav, *items]
    book.guide = [
        {"type": "cover", "href": "cover.xhtml", "title": "Cover"},
        {"type": "toc", "href": "nav.xhtml", "title": "Contents"},
        {"type": "text", "href": files[0], "title": articles[0].title},
    ]
    return write_book(book, modified), sorted(images.files.items()), images.problems


def authors_of(parts, settings) -> list[str]:
    """The parts' authors in order of appearance, else the site's AUTHOR, else its name."""
    found = [str(author) for article in parts for author in getattr(article, "authors", None) or []]
    found = list(dict.fromkeys(name for name in found if name.strip()))
    return found or [settings.get("AUTHOR") or settings.get("SITENAME") or "Unknown"]


def book_modified(parts) -> datetime:
    """The latest part's modification (or publication) date, in UTC: the book's own date."""
    moments = [comparable(getattr(article, "modified", None) or article.date) for article in parts]
    return max(max(moments).astimezone(UTC), EARLIEST_ZIP_TIME).replace(microsecond=0)


@cache  # the same text for every book and build: Pygments' styles are fixed
def book_css() -> str:
    """The book's styles, with the site's light code colours (e-readers have no dark query)."""
    rules = []
    for token, declarations in token_styles("default").items():
        selector = f".highlight {token}".strip()
        body = ";".join(f"{name}:{value}" for name, value in declarations.items())
        if body:
            rules.append(f"{selector} {{ {body} }}")
    return BOOK_CSS + "\n".join(rules) + "\n"


def document(uid, file_name, title, body, lang, chapter, kind="cover") -> epub.EpubItem:
    text = CHAPTER.format(lang=escape(lang), title=escape(title), body=body, kind=kind)
    data = text.encode("utf-8")
    etree.fromstring(data)  # well-formed, or the build says which part is not
    item = epub.EpubItem(uid=uid, file_name=file_name, media_type="application/xhtml+xml", content=data)
    item.properties = [name for name, present in (("mathml", chapter.has_math), ("svg", chapter.has_svg)) if present]
    return item


def part_page(part, chapter, number: int, total: int, site_url: str) -> str:
    article = part.article
    date = article.date
    shown = str(getattr(article, "locale_date", date.date()))
    online = f"{site_url}/{part.url}"
    lines = [
        "<header>",
        f'<p class="part-label">Part {number} of {total}</p>',
        f"<h1>{escape(article.title)}</h1>",
        f'<p class="part-date"><time datetime="{escape(date.isoformat())}">{escape(shown)}</time></p>',
        "</header>",
        chapter.xhtml(),
    ]
    if online.startswith(("http://", "https://")):
        lines.append(f'<p class="part-online">Online: <a href="{escape(online)}">{escape(online)}</a></p>')
    return "\n".join(lines)


def cover_page(series, description, authors, parts, settings) -> str:
    site_url = site_url_of(settings)
    first, last = parts[0], parts[-1]
    dates = str(getattr(first, "locale_date", first.date.date()))
    if len(parts) > 1:
        dates += f" – {getattr(last, 'locale_date', last.date.date())}"
    count = f"{len(parts)} part" + ("s" if len(parts) != 1 else "")
    lines = [
        f"<h1>{escape(series.name)}</h1>",
        f'<p class="cover-author">by {escape(", ".join(authors))}</p>',
        f'<p class="cover-meta">{escape(count)}, {escape(dates)}</p>',
        description.xhtml(),
    ]
    site_name = settings.get("SITENAME") or ""
    address = f"{site_url}/{series.url}"
    if address.startswith(("http://", "https://")):
        lines.append(
            f'<p class="cover-meta">From {escape(site_name)}: <a href="{escape(address)}">{escape(address)}</a></p>'
        )
    return "\n".join(lines)


class FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one date and the same attributes, whatever the machine."""

    def __init__(self, *args, fixed: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed.timetuple()[:6]

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        info = zipfile.ZipInfo(str(name), date_time=self.fixed)
        info.compress_type = zipfile.ZIP_DEFLATED if compress_type is None else compress_type
        info.create_system = 3
        info.external_attr = 0o100644 << 16
        super().writestr(info, data, compresslevel=compresslevel)


class FixedTimeWriter(epub.EpubWriter):
    """ebooklib's writer, into a FixedTimeZip (its own zip would stamp the current time)."""

    def __init__(self, name, book, modified: datetime):
        options = {"mtime": modified, "epub3_pages": False, "play_order": {"enabled": True, "start_from": 1}}
        super().__init__(name, book, options)
        self.modified = modified

    def write(self):
        self.out = FixedTimeZip(self.file_name, "w", zipfile.ZIP_DEFLATED, compresslevel=6, fixed=self.modified)
        self.out.writestr("mimetype", MEDIA_TYPE, compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


def write_book(book, modified: datetime) -> bytes:
    buffer = io.BytesIO()
    writer = FixedTimeWriter(buffer, book, modified)
    writer.process()
    writer.write()
    return buffer.getvalue()
