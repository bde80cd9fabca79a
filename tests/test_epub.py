"""Series e-books: every series with published parts as an EPUB 3 that epubcheck accepts,
its parts in order with their math, code, images and links working inside the book."""

import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree
from sitebuild import PROJECT, SITEURL, build_site, rebuild, require

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
BOOK = "series/linear-algebra/linear-algebra.epub"


def png(width: int, height: int, colour: bytes = b"\xff\x00\x00") -> bytes:
    """A real PNG image, made without an image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + colour * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b")
WEBP = bytes.fromhex("524946461a000000574542505650384c0d0000002f0000001007101111888888fe0700")
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10" viewBox="0 0 20 10">'
    '<rect width="20" height="10" fill="#036"/></svg>\n'
)

LINEAR_ALGEBRA = {
    "series/linear-algebra.md": """
        ---
        name: Linear Algebra
        parts:
          - vectors-and-spaces
          - matrices
          - planned: Eigenvalues
        ---
        Notes on **linear algebra**, from vectors to matrices.
        """,
    "images/plot.png": png(3, 2),
    "images/diagram.svg": SVG,
    "images/dot.gif": GIF,
    "images/photo.webp": WEBP,
    "pages/about.md": """
        ---
        title: About
        ---
        About this site.
        """,
    "la/01-vectors.md": """
        ---
        title: "Vectors & Spaces"
        slug: vectors-and-spaces
        date: 2024-03-01T09:00:00Z
        series: Linear Algebra
        ---
        A vector has a length $\\lVert v \\rVert = \\sqrt{v_1^2 + v_2^2}$ and a footnote[^1].

        ## 1. First heading

        ![A red plot](../images/plot.png)

        <img src="/images/diagram.svg" alt="A diagram">

        ![A dot]({static}/images/dot.gif)

        ![A remote picture](https://images.example.com/remote.png)

        ```python
        def norm(v):
            return sum(x * x for x in v) ** 0.5
        ```

        Next: [matrices](../matrices/). See [the about page](/about/).

        <script>alert("no")</script>
        <iframe src="https://www.youtube.com/embed/abc"></iframe>
        <p>one<br>two&nbsp;words</p>

        [^1]: The footnote.
        """,
    "la/02-matrices.md": """
        ---
        title: Matrices
        slug: matrices
        date: 2024-03-08T09:00:00Z
        modified: 2024-03-20T12:30:00Z
        series: Linear Algebra
        ---
        A matrix maps vectors: $$A x = b$$

        Back to the [first heading](../vectors-and-spaces/#1-first-heading) of
        [part one]({filename}01-vectors.md), and [below](#later).

        ## Later

        <a name="legacy"></a>An anchor [written the old way](#legacy).

        ![The plot again](/images/plot.png)

        ![A photo](/images/photo.webp)
        """,
    "la/03-draft.md": """
        ---
        title: Determinants
        date: 2024-03-15
        series: Linear Algebra
        draft: true
        ---
        Not ready.
        """,
}


def epubcheck_command() -> list[str] | None:
    """Debian's `epubcheck` is the jar itself (run through binfmt when jarwrapper is there)."""
    found = shutil.which("epubcheck")
    if found is None:
        return None
    if os.path.realpath(found).endswith(".jar"):
        # A short run: the quick JIT tier and the simple collector halve its CPU time.
        java = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", os.path.realpath(found)]
        return None if shutil.which("java") is None else java
    return [found]


def epubcheck(path: Path) -> None:
    command = epubcheck_command()
    require("" if command else "the e-book check needs epubcheck and java (apt-get install -y epubcheck)")
    result = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=300)
    messages = [line for line in (result.stdout + result.stderr).splitlines() if re.match(r"^(ERROR|FATAL)", line)]
    assert result.returncode == 0 and not messages, f"{path.name}:\n" + "\n".join(messages or [result.stdout])


class Book:
    """An EPUB opened as a reading system does: container, package, documents."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.folder = os.path.dirname(self.opf_path)
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.manifest = {item.get("id"): item for item in self.opf.iter(f"{OPF}item")}

    def name(self, href: str) -> str:
        return f"{self.folder}/{href}" if self.folder else href

    def read(self, href: str) -> bytes:
        return self.zip.read(self.name(href))

    def spine(self) -> list:
        return [self.manifest[ref.get("idref")] for ref in self.opf.iter(f"{OPF}itemref")]

    def chapters(self) -> list:
        """(href, parsed XHTML) of each chapter, in reading order."""
        return [
            (item.get("href"), etree.fromstring(self.read(item.get("href"))))
            for item in self.spine()
            if item.get("href").startswith("part-")
        ]

    def metadata(self, name: str) -> list[str]:
        return [element.text for element in self.opf.iter(f"{DC}{name}")]


def chapter_titles(book: Book) -> list[str]:
    return [document.findtext(f".//{XHTML}h1") for _, document in book.chapters()]


@pytest.fixture(scope="module")
def algebra(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("algebra"), LINEAR_ALGEBRA)


def test_every_ebook_of_the_sample_blog_passes_epubcheck(tmp_path):
    site = build_site(tmp_path, copy_from=PROJECT / "content")
    books = sorted(site.output.rglob("*.epub"))
    series = site.generators[0].context["series_list"]
    assert [str(book.relative_to(site.output)) for book in books] == sorted(
        f"series/{s.slug}/{s.slug}.epub" for s in series if s.parts
    )
    for book in books:
        epubcheck(book)


def test_the_test_series_passes_epubcheck(algebra):
    epubcheck(algebra.path(BOOK))


def test_published_parts_are_chapters_in_order_with_title_and_date(algebra):
    book = Book(algebra.path(BOOK))
    assert chapter_titles(book) == ["Vectors & Spaces", "Matrices"]  # no draft, no planned part
    articles = [algebra.article("Vectors"), algebra.article("Matrices")]
    for (_, document), article in zip(book.chapters(), articles, strict=True):
        time = document.find(f".//{XHTML}time")
        assert time.get("datetime") == article.date.isoformat()
        assert time.text == article.locale_date
    assert book.metadata("title") == ["Linear Algebra"]
    everything = b"".join(book.zip.read(name) for name in book.zip.namelist())
    assert b"Determinants" not in everything


def test_cover_and_table_of_contents(algebra):
    book = Book(algebra.path(BOOK))
    spine = [item.get("href") for item in book.spine()]
    cover = etree.fromstring(book.read(spine[0]))
    assert cover.findtext(f".//{XHTML}h1") == "Linear Algebra"
    assert "linear algebra" in etree.tostring(cover, method="text", encoding="unicode")
    assert book.metadata("creator") == [algebra.settings["AUTHOR"]]
    nav_item = next(item for item in book.manifest.values() if "nav" in (item.get("properties") or "").split())
    nav = etree.fromstring(book.read(nav_item.get("href")))
    toc = nav.find(f".//{XHTML}nav[@{EPUB_NS}type='toc']")
    links = [(a.get("href"), a.text) for a in toc.iter(f"{XHTML}a")]
    assert links[1:] == [(spine[2], "Vectors & Spaces"), (spine[3], "Matrices")]
    ncx_item = next(item for item in book.manifest.values() if item.get("media-type") == "application/x-dtbncx+xml")
    ncx = etree.fromstring(book.read(ncx_item.get("href")))
    labels = [text.text for text in ncx.iterfind(f".//{NCX}navPoint/{NCX}navLabel/{NCX}text")]
    assert labels[1:] == ["Vectors & Spaces", "Matrices"]


def test_math_stays_mathml_and_its_chapters_say_so(algebra):
    book = Book(algebra.path(BOOK))
    for href, document in book.chapters():
        assert document.find(f".//{MATHML}math") is not None, href
        item = next(item for item in book.manifest.values() if item.get("href") == href)
        assert "mathml" in item.get("properties").split()


def test_code_is_highlighted_with_the_pygments_colours(algebra):
    book = Book(algebra.path(BOOK))
    _, first = book.chapters()[0]
    keyword = first.find(f".//{XHTML}div[@class='highlight']//{XHTML}span[@class='k']")
    assert keyword is not None and keyword.text == "def"
    stylesheets = [item for item in book.manifest.values() if item.get("media-type") == "text/css"]
    css = b"".join(book.read(item.get("href")) for item in stylesheets).decode()
    assert re.search(r"\.highlight \.k \{[^}]*color", css)
    assert first.find(f".//{XHTML}link[@rel='stylesheet']").get("href") == stylesheets[0].get("href")


def test_local_images_are_inside_the_book_remote_ones_are_links(algebra):
    book = Book(algebra.path(BOOK))
    _, first = book.chapters()[0]
    images = {image.get("alt"): image.get("src") for image in first.iter(f"{XHTML}img")}
    assert set(images) == {"A red plot", "A diagram", "A dot"}
    expected = {
        "A red plot": ("image/png", "images/plot.png"),
        "A diagram": ("image/svg+xml", "images/diagram.svg"),
        "A dot": ("image/gif", "images/dot.gif"),
    }
    by_href = {item.get("href"): item for item in book.manifest.values()}
    for alt, (media_type, source) in expected.items():
        assert by_href[images[alt]].get("media-type") == media_type
        assert book.read(images[alt]) == (algebra.content / source).read_bytes()
    assert "remote" not in " ".join(by_href)
    remote = [a for a in first.iter(f"{XHTML}a") if a.get("href") == "https://images.example.com/remote.png"]
    assert remote and "A remote picture" in remote[0].text
    _, second = book.chapters()[1]
    assert [image.get("src") for image in second.iter(f"{XHTML}img")] == [images["A red plot"]]  # stored once


def test_an_image_no_e_reader_shows_is_a_link_and_reported(algebra):
    book = Book(algebra.path(BOOK))
    _, second = book.chapters()[1]
    assert f"{SITEURL}/images/photo.webp" in [a.get("href") for a in second.iter(f"{XHTML}a")]
    assert not [item for item in book.manifest.values() if "webp" in item.get("media-type")]
    [message] = [m for m in algebra.messages() if "photo.webp" in m]
    assert message.startswith("content/la/02-matrices.md: ") and "e-book links to it" in message


def test_links_between_parts_point_inside_the_book(algebra):
    book = Book(algebra.path(BOOK))
    chapters = dict(book.chapters())
    (first_href, first), (second_href, second) = book.chapters()
    ids = {
        href: {element.get("id") for element in document.iter() if element.get("id")}
        for href, document in chapters.items()
    }
    hrefs = [a.get("href") for a in second.iter(f"{XHTML}a") if a.get("href")]
    inside = [href for href in hrefs if not urlsplit(href).scheme]
    assert f"{first_href}" in inside
    heading = next(href for href in inside if href.startswith(f"{first_href}#"))
    target_id = heading.split("#", 1)[1]
    assert target_id in ids[first_href]
    assert first.find(f".//*[@id='{target_id}']").tag == f"{XHTML}h2"
    below = next(href for href in inside if href.startswith("#"))
    assert second.find(f".//*[@id='{below[1:]}']").text == "Later"
    first_links = [a.get("href") for a in first.iter(f"{XHTML}a") if a.get("href")]
    assert second_href in first_links
    assert f"{SITEURL}/about/" in first_links  # another page of the site: its address
    assert "#legacy" in hrefs and "legacy" in ids[second_href]  # an old <a name> anchor
    for own, document in chapters.items():  # footnotes, headings, anchors: every target exists
        for a in document.iter(f"{XHTML}a"):
            href = a.get("href") or "https://elsewhere"
            if not urlsplit(href).scheme:
                file_name, _, fragment = href.partition("#")
                assert (file_name or own) in chapters, (own, href)
                assert not fragment or fragment in ids[file_name or own], (own, href)


def test_nothing_runs_in_the_book_and_every_id_is_an_xml_name(algebra):
    book = Book(algebra.path(BOOK))
    for href, document in book.chapters():
        assert document.find(f".//{XHTML}script") is None
        assert document.find(f".//{XHTML}iframe") is None
        for element in document.iter():
            if element.get("id"):
                assert re.match(r"^[A-Za-z_][\w.-]*$", element.get("id")), (href, element.get("id"))
    _, first = book.chapters()[0]
    text = etree.tostring(first, method="text", encoding="unicode")
    assert "https://www.youtube.com/embed/abc" in text  # the embedded player is a link
    assert "two\u00a0words" in text


def test_series_page_links_the_book_with_its_size_and_feeds_do_not(algebra):
    page = algebra.html("series/linear-algebra/")
    link = page.select_one(f'a[href="{SITEURL}/{BOOK}"]')
    size = algebra.path(BOOK).stat().st_size
    assert link is not None and link.get("type") == "application/epub+zip"
    assert link.get_text(" ", strip=True) == f"Download the series as an e-book (EPUB, {max(1, round(size / 1024))} KB)"
    for feed in ("atom.xml", "rss.xml", "feed.json"):
        assert ".epub" not in algebra.text(f"series/linear-algebra/{feed}")


def test_the_book_has_a_stable_identifier_and_the_latest_parts_date(algebra):
    book = Book(algebra.path(BOOK))
    [identifier] = book.metadata("identifier")
    assert re.match(r"^urn:uuid:[0-9a-f-]{36}$", identifier)
    modified = book.opf.find(f".//{OPF}meta[@property='dcterms:modified']").text
    assert modified == "2024-03-20T12:30:00Z"  # the second part's `modified`
    assert {info.date_time for info in book.zip.infolist()} == {(2024, 3, 20, 12, 30, 0)}
    assert book.zip.namelist()[0] == "mimetype"
    assert book.zip.getinfo("mimetype").compress_type == zipfile.ZIP_STORED


BUILD_TWICE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from sitebuild import build_site
from test_epub import LINEAR_ALGEBRA
build_site(Path(sys.argv[1]), LINEAR_ALGEBRA)
"""


def test_same_parts_same_bytes_under_any_hash_seed(tmp_path):
    books = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", BUILD_TWICE, str(folder), str(Path(__file__).parent)],
            check=True,
            env=environment,
            cwd=PROJECT,
            capture_output=True,
        )
        books.append((folder / "output" / BOOK).read_bytes())
    assert books[0] == books[1]


def books_made(site) -> int:
    """How many books the last build made (the others it kept as they were)."""
    from learning_journal.build_state import build_state

    return build_state(site.settings).books.made


def test_a_book_is_made_again_only_when_a_part_or_image_changes(tmp_path):
    files = {
        **LINEAR_ALGEBRA,
        "other/one.md": "---\ntitle: Other one\ndate: 2024-01-01\nseries: Other\n---\nOther text.\n",
    }
    site = build_site(tmp_path, files)
    assert books_made(site) == 2
    book = site.path(BOOK)
    before = book.stat().st_mtime_ns, book.read_bytes()

    rebuild(site)
    assert books_made(site) == 0
    assert (book.stat().st_mtime_ns, book.read_bytes()) == before

    source = site.content / "la/02-matrices.md"
    source.write_text(source.read_text().replace("A matrix maps vectors", "A matrix maps vectors linearly"))
    rebuild(site)
    assert books_made(site) == 1  # this series only
    assert b"linearly" in b"".join(Book(book).read(href) for href, _ in Book(book).chapters())

    (site.content / "images/plot.png").write_bytes(png(4, 4, b"\x00\x80\x00"))
    rebuild(site)
    assert books_made(site) == 1
    inside = Book(book)
    assert png(4, 4, b"\x00\x80\x00") in [inside.zip.read(name) for name in inside.zip.namelist()]


def test_editing_a_part_renders_again_its_series_page_not_the_whole_site(tmp_path, monkeypatch):
    """The book's new size is shown on its series page only: other pages are kept as they were."""
    import jinja2

    site = build_site(tmp_path, LINEAR_ALGEBRA)
    rendered = []
    render = jinja2.Template.render

    def rendering(self, *args, **kwargs):
        rendered.append(str((args[0] if args else kwargs).get("output_file")))
        return render(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", rendering)
    source = site.content / "la/02-matrices.md"
    source.write_text(source.read_text().replace("A matrix maps vectors", "A matrix maps vectors linearly"))
    rebuild(site)
    assert "series/linear-algebra/index.html" in rendered
    assert "vectors-and-spaces/index.html" not in rendered
    assert "about/index.html" not in rendered
    size = site.path(BOOK).stat().st_size
    assert f"(EPUB, {max(1, round(size / 1024))} KB)" in site.text("series/linear-algebra/")


def test_the_setting_turns_books_off(tmp_path):
    site = build_site(tmp_path, LINEAR_ALGEBRA, JOURNAL_EPUB=False)
    assert not list(site.output.rglob("*.epub"))
    assert "e-book" not in site.text("series/linear-algebra/")


def test_a_notebook_part_keeps_its_outputs_and_images_and_passes_epubcheck(tmp_path):
    from test_notebooks import build_lesson

    site, _ = build_lesson(tmp_path)
    path = site.path("series/learning-ml/learning-ml.epub")
    epubcheck(path)
    book = Book(path)
    [notebook] = [
        document for _, document in book.chapters() if "Gradient descent" in document.findtext(f".//{XHTML}h1")
    ]
    page = site.html("gradient-descent-by-hand/")
    on_page = {Path(img["src"]).name for img in page.select(".content img") if not img["src"].startswith("http")}
    sources = [image.get("src") for image in notebook.iter(f"{XHTML}img")]
    assert len(sources) == len(on_page) > 0
    for src in sources:
        assert src.startswith("images/") and book.read(src)[:4] in (b"\x89PNG", b"<svg", b"<?xm")


def several_series(count: int) -> dict:
    """The linear algebra series and `count` more of one part each: books enough to be made
    by a forked process."""
    files = dict(LINEAR_ALGEBRA)
    for number in range(1, count + 1):
        files[f"other/{number}.md"] = (
            f"---\ntitle: Other {number}\ndate: 2024-02-0{number}\nseries: Other {number}\n---\n"
            f"Text of part {number}, with $x^{number}$ and ![plot](/images/plot.png).\n"
        )
    return files


def outputs_of(site, pattern: str) -> dict:
    return {str(p.relative_to(site.output)): p.read_bytes() for p in sorted(site.output.glob(pattern)) if p.is_file()}


def test_books_made_on_another_core_are_those_one_process_makes(tmp_path):
    """A full build hands the books to a forked process while it writes the posts: the books,
    the sizes on the series pages and what the build reports are the same as in one process."""
    files = several_series(3)
    alone = build_site(tmp_path / "alone", files, JOURNAL_READ_PROCESSES=1)
    forked = build_site(tmp_path / "forked", files, JOURNAL_READ_PROCESSES=2)
    if not sys.platform.startswith("linux"):
        pytest.skip("books are made in a forked process on Linux only")
    from learning_journal.build_state import build_state

    assert build_state(alone.settings).books.background is None
    assert build_state(forked.settings).books.background is not None
    assert books_made(alone) == books_made(forked) == 4
    books = outputs_of(forked, "series/*/*.epub")
    assert len(books) == 4
    assert books == outputs_of(alone, "series/*/*.epub")
    assert outputs_of(forked, "series/**/index.html") == outputs_of(alone, "series/**/index.html")

    def reported(site):
        return sorted((os.path.relpath(p.path, site.content), p.message) for p in site.report.problems())

    assert any("photo.webp" in message for _, message in reported(forked))
    assert reported(forked) == reported(alone)


def test_a_book_the_forked_process_cannot_make_is_made_again_and_its_error_reported(tmp_path, monkeypatch):
    """The build makes again what the other process could not, so the error is the build's own:
    one line naming the series; the other books and the site are written."""
    from learning_journal.output import epub_book

    make_book = epub_book.make_book

    def failing_for_other_two(series, parts, images, settings):
        if series.name == "Other 2":
            raise ValueError("no room for this book")
        return make_book(series, parts, images, settings)

    monkeypatch.setattr(epub_book, "make_book", failing_for_other_two)
    site = build_site(tmp_path, several_series(3), JOURNAL_READ_PROCESSES=2)
    errors = [p for p in site.report.problems() if p.severity == "error"]
    assert [p.message for p in errors] == [
        "the e-book of the series 'Other 2' could not be made (ValueError: no room for this book)"
    ]
    assert sorted(p.name for p in site.output.glob("series/*/*.epub")) == [
        "linear-algebra.epub",
        "other-1.epub",
        "other-3.epub",
    ]
    series_page = (site.output / "series/other-2/index.html").read_text()
    assert "Other 2" in series_page and ".epub" not in series_page


def test_in_strict_mode_a_book_that_cannot_be_made_fails_the_build_and_keeps_the_output(tmp_path, monkeypatch):
    from learning_journal.build.atomic import StrictBuildError
    from learning_journal.output import epub_book

    site = build_site(tmp_path, several_series(3), JOURNAL_READ_PROCESSES=2)
    before = outputs_of(site, "**/*")

    def failing(series, parts, images, settings):
        raise ValueError("no room for this book")

    monkeypatch.setattr(epub_book, "make_book", failing)
    (site.content / "other/2.md").write_text(several_series(3)["other/2.md"].replace("Text of", "New text of"))
    site.settings["JOURNAL_STRICT"] = True
    with pytest.raises(StrictBuildError, match="the e-book of the series 'Other 2' could not be made"):
        rebuild(site)
    assert outputs_of(site, "**/*") == before
