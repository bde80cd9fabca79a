"""Escaping: markup, quotes, `&` and `]]>` written in titles, descriptions, tags, series names
(in posts and in series description files) and author names come out as the same text in
every page, feed, the sitemap and JSON-LD, and never as an element or an attribute.

Every output is parsed (html5lib as a browser does, lxml.etree, feedparser, json) and the
text a reader sees is compared with what the author wrote.
"""

import json

import feedparser
import pytest
import yaml
from feedcheck import ATOM, json_items, rss_items, xml
from learning_journal.site.series import series_slug
from outputcheck import foreign_urls, html_document, unreadable_outputs
from sitebuild import build_site, require
from test_containment import FIELDS, HostileBuilds
from test_html_validity import checker_problem, vnu_errors

INJECTION = "</script><script>x()</script><img src=x onerror=y()><b class=injected>"
TITLE = f"""Title {INJECTION} & "double" 'single' ]]> &amp; <!-- end"""
DESCRIPTION = f"""Description {INJECTION} & "q" ]]> <![CDATA[x]]>"""
TAG = f"""Tag {INJECTION} & "q" ]]>"""
SERIES = f"""Series {INJECTION} & "q" ]]>"""
DESCRIBED_SERIES = f"""Described {INJECTION} & "q" ]]>"""
AUTHOR = f"""Ann {INJECTION} & "Bo" ]]>"""
PLANNED = f"""Planned {INJECTION} & "q" ]]>"""
PAGE = f"""About {INJECTION} & "q" ]]>"""
SITENAME = "Learning Journal"


def front_matter(**values) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, width=1000) + "---\nPlain body.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    described = series_slug(DESCRIBED_SERIES)
    return build_site(
        tmp_path_factory.mktemp("escaping"),
        {
            "hostile.md": front_matter(
                title=TITLE,
                date="2024-02-01",
                description=DESCRIPTION,
                tags=[TAG],
                series=SERIES,
                author=AUTHOR,
                aliases=["/old-hostile/"],
            ),
            "second.md": front_matter(title="Second part", date="2024-02-02", series=[DESCRIBED_SERIES]),
            "pages/about.md": front_matter(title=PAGE),
            f"series/{described}.md": front_matter(
                name=DESCRIBED_SERIES, parts=["second-part", {"planned": PLANNED}]
            ).replace("Plain body.", 'About this series: Q&A, "quotes" and ]]> too.'),
        },
    )


def injected(document) -> list[str]:
    """Elements and attributes that only the injection could have made."""
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and element.get("type") != "application/ld+json":
            found.append("<script>")
        if element.tag == "img" or element.get("onerror") is not None or element.get("class") == "injected":
            found.append(f"<{element.tag} {dict(element.attrib)}>")
    return found


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_every_output_parses_and_no_link_leaves_the_site(site):
    assert unreadable_outputs(site) == []
    assert foreign_urls(site) == []


def test_no_page_holds_an_injected_element_or_attribute(site):
    pages = [name for name in site.files() if name.endswith(".html")]
    assert len(pages) > 8
    for name in pages:
        assert injected(html_document(site.text(name))) == [], name


def test_post_page_shows_every_hostile_text_as_written(site):
    post = site.article("Title")
    page = html_document(site.text(post.url))
    assert text(page.find(".//h1")) == TITLE
    assert text(page.find(".//title")) == f"{TITLE} · {SITENAME}"
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.iter("meta")}
    assert meta["og:title"] == meta["twitter:title"] == TITLE
    assert meta["description"] == meta["og:description"] == DESCRIPTION
    assert meta["article:tag"] == TAG
    assert [text(a) for a in page.iterfind(".//a[@rel='tag']")] == [TAG]
    assert text(page.find(".//a[@class='series-name']")) == SERIES
    assert page.find(".//nav[@class='series-box']").get("aria-label") == f"Series: {SERIES}"


def test_json_ld_cannot_end_its_script_tag_and_reads_back_as_written(site):
    raw = site.text(site.article("Title").url)
    start = raw.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = raw[start : raw.index("</script>", start)]
    assert "<" not in body and ">" not in body and "&" not in body
    data = json.loads(body)
    assert data["headline"] == TITLE
    assert data["description"] == DESCRIPTION
    assert data["keywords"] == [TAG]
    assert data["isPartOf"]["name"] == SERIES
    assert data["author"]["name"] == AUTHOR


def test_lists_series_and_tag_pages_show_the_names_as_written(site):
    post = site.article("Title")
    home = html_document(site.text(""))
    assert TITLE in [text(h2) for h2 in home.iter("h2")]
    assert DESCRIPTION in [text(p) for p in home.iter("p")]
    assert SERIES in [text(a) for a in home.iterfind(".//p[@class='series-badge']/a")]
    series_page = html_document(site.text(post.series.url))
    assert text(series_page.find(".//h1")) == SERIES
    assert TITLE in [text(a) for a in series_page.iterfind(".//h2/a")]
    described = html_document(site.text(f"series/{series_slug(DESCRIBED_SERIES)}/"))
    assert text(described.find(".//h1")) == DESCRIBED_SERIES
    assert text(described.find(".//div[@class='series-description']")) == (
        'About this series: Q&A, "quotes" and ]]> too.'
    )
    assert PLANNED in [text(li) for li in described.iterfind(".//section[@class='series-planned']//li")]
    second = html_document(site.text("second-part/"))
    assert any(text(li).startswith(PLANNED) for li in second.iterfind(".//ul[@class='series-planned']/li"))
    assert PAGE in [text(a) for a in second.iterfind(".//nav//a")]
    page_url = site.article("About").url
    assert text(html_document(site.text(page_url)).find(".//h1")) == PAGE
    index = html_document(site.text("series/"))
    assert {SERIES, DESCRIBED_SERIES} <= {text(a) for a in index.iterfind(".//h2//a")}
    [tag] = post.tags
    tag_page = html_document(site.text(tag.url))
    assert text(tag_page.find(".//h1")) == f"Posts tagged “{TAG}”"
    assert TAG in [text(a) for a in html_document(site.text("tags/")).iter("a")]
    archives = html_document(site.text("archives/"))
    assert TITLE in [text(a) for a in archives.iter("a")]
    tooltips = [text(t) for t in archives.iter("title", "{http://www.w3.org/2000/svg}title")]
    assert any(t.endswith(f": {TITLE}") for t in tooltips)
    redirect = html_document(site.text("old-hostile/"))
    assert text(redirect.find(".//title")) == TITLE


def xml_feeds(site, folder=""):
    return [f"{folder}atom.xml", f"{folder}rss.xml"]


def test_feeds_carry_every_hostile_text_as_written(site):
    post = site.article("Title")
    [tag] = post.tags
    series_folder = post.series.url
    tag_folder = f"tags/{tag.slug}/"
    for path in xml_feeds(site) + xml_feeds(site, series_folder) + xml_feeds(site, tag_folder):
        tree = xml(site, path)
        if path.endswith("atom.xml"):
            [entry] = [e for e in tree.iter(f"{ATOM}entry") if "Title" in e.findtext(f"{ATOM}title")]
            title = entry.findtext(f"{ATOM}title")
            author = entry.findtext(f"{ATOM}author/{ATOM}name")
            categories = [c.get("term") for c in entry.iter(f"{ATOM}category")]
            summary = entry.findtext(f"{ATOM}summary") or entry.findtext(f"{ATOM}content")
        else:
            [entry] = [i for i in rss_items(site, path) if "Title" in i.findtext("title")]
            title = entry.findtext("title")
            author = entry.findtext("{http://purl.org/dc/elements/1.1/}creator") or entry.findtext("author")
            categories = [c.text for c in entry.iter("category")]
            summary = entry.findtext("description")
        expected_title = f"Part 1 of 1: {TITLE}" if path.startswith("series/") else TITLE
        assert title == expected_title, path
        assert AUTHOR in author, path
        assert categories == [TAG], path
        assert text(html_document(summary).getroot()) == DESCRIPTION, path

    atom = feedparser.parse(site.path("atom.xml").read_bytes())
    [entry] = [e for e in atom.entries if e.title.startswith("Title")]
    assert entry.title == TITLE
    assert entry.author == AUTHOR
    assert [t.term for t in entry.tags] == [TAG]
    assert feedparser.parse(site.path(f"{series_folder}atom.xml").read_bytes()).feed.title == SERIES
    assert xml(site, f"{tag_folder}atom.xml").findtext(f"{ATOM}title") == f"{SITENAME}: {TAG}"
    assert xml(site, f"{series_folder}rss.xml").findtext("channel/title") == SERIES


def test_json_feeds_carry_every_hostile_text_as_written(site):
    post = site.article("Title")
    for path in ("feed.json", f"{post.series.url}feed.json"):
        [item] = [i for i in json_items(site, path) if "Title" in i["title"]]
        assert item["title"] in {TITLE, f"Part 1 of 1: {TITLE}"}
        assert item["summary"] == DESCRIPTION
        assert item["tags"] == [TAG]
        assert item["authors"] == [{"name": AUTHOR}]
    assert site.json(f"{post.series.url}feed.json")["title"] == SERIES


def test_control_characters_written_as_yaml_escapes_never_reach_a_page_or_feed(tmp_path):
    controls = "".join(map(chr, [0, 7, 8, 0x0B, 0x0C, 0x1B, 0x7F, 0x85, 0x9F, 0xFFFE]))
    built = build_site(
        tmp_path,
        {
            "controls.md": front_matter(
                title=f"Bell{controls} title",
                date="2024-02-01",
                description=f"Line{controls} description",
                tags=[f"tag{controls}name"],
                series=f"Series{controls} name",
            )
        },
    )
    assert unreadable_outputs(built) == []
    post = built.article("Bell")
    assert post.title == "Bell title"
    page = html_document(built.text(post.url))
    assert text(page.find(".//h1")) == "Bell title"
    assert [text(a) for a in page.iterfind(".//a[@rel='tag']")] == ["tagname"]
    assert text(page.find(".//a[@class='series-name']")) == "Series name"
    assert json_items(built, "feed.json")[0]["summary"] == "Line description"


def test_control_characters_in_a_post_body_are_removed_with_a_warning(tmp_path):
    built = build_site(
        tmp_path,
        {
            "body.md": "---\ntitle: Body\ndate: 2024-02-01\n---\nBell \x07 DEL \x7f C1 \x85 end.\n",
            "heading.md": "# Heading \x02 title\n\nText \x00 here.\n",
        },
    )
    assert unreadable_outputs(built) == []
    assert built.article("Heading").title == "Heading  title"
    assert "Bell DEL C1 end." in text(html_document(built.text(built.article("Body").url)).find(".//main"))
    warned = {p.path for p in built.report.warnings if "control characters" in p.message}
    assert warned == {"content/body.md", "content/heading.md"}


def test_hostile_pages_are_valid_for_the_nu_checker(site, tmp_path):
    """The independent checker agrees: the escaping build and one build per containment
    field (hostile permalinks, slugs, aliases, series and tag names) hold no HTML error."""
    require(checker_problem())
    builds = HostileBuilds(tmp_path)
    outputs = [site.output] + [builds(field)[1].output for field in FIELDS]
    pages = sorted(page for output in outputs for page in output.rglob("*.html"))
    assert len(pages) > 150
    errors = vnu_errors(pages)
    assert errors == [], "\n".join(errors)


def test_control_characters_in_a_series_description_file_never_reach_a_page(tmp_path):
    built = build_site(
        tmp_path,
        {
            "part.md": front_matter(title="Part", date="2024-02-01", series="Bell series"),
            "series/bell-series.md": front_matter(name="Bell\x07 series", parts=["part", {"planned": "Soon\x01 part"}]),
        },
    )
    assert unreadable_outputs(built) == []
    page = html_document(built.text("series/bell-series/"))
    assert text(page.find(".//h1")) == "Bell series"
    assert [text(li) for li in page.iterfind(".//section[@class='series-planned']//li")] == ["Soon part"]
    assert not [m for m in built.messages() if "taken to be" in m]


def noncharacters_in(output) -> dict:
    """Output file -> the Unicode noncharacters it holds (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF)."""
    found = {}
    for path in sorted(output.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt", ".js"}:
            written = path.read_text("utf-8")
            bad = {f"U+{ord(c):04X}" for c in written if 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE}
            if bad:
                found[str(path.relative_to(output))] = sorted(bad)
    return found


def test_noncharacters_of_every_plane_never_reach_a_page_or_feed(tmp_path):
    every_plane = "".join(chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF))
    odd = "\ufdd0\ufdef" + every_plane
    built = build_site(
        tmp_path,
        {
            "odd.md": front_matter(
                title=f"Odd{odd} title",
                date="2024-02-01",
                description=f"Odd{odd} description",
                tags=[f"odd{odd}tag"],
                series=f"Odd{odd} series",
            )
            + f"Body{odd} text, said \U0002fffe twice.\n",
            "series/odd-series.md": front_matter(name="Odd series", parts=["odd", {"planned": f"Soon{odd} part"}]),
        },
    )
    assert noncharacters_in(built.output) == {}
    assert unreadable_outputs(built) == []
    post = built.article("Odd")
    page = html_document(built.text(post.url))
    assert text(page.find(".//h1")) == "Odd title"
    assert [text(a) for a in page.iterfind(".//a[@rel='tag']")] == ["oddtag"]
    assert text(page.find(".//a[@class='series-name']")) == "Odd series"
    assert "Body text, said twice." in text(page.find(".//main"))
    assert json_items(built, "feed.json")[0]["summary"] == "Odd description"
    warned = {p.path for p in built.report.warnings if "noncharacters (first: U+FDD0)" in p.message}
    assert warned == {"content/odd.md", "content/series/odd-series.md"}


def test_noncharacters_and_controls_written_as_json_escapes_in_a_notebook_never_reach_a_page(tmp_path):
    odd = "\ufdd0\U0002fffe\uffff\x07"
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"title": f"Notebook{odd} title", "tags": [f"odd{odd}tag"], "date": "2024-01-01"},
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": f"Some{odd} text"},
            {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 1, "source": f"print('x{odd}')",
             "outputs": [{"output_type": "stream", "name": "stdout", "text": f"out{odd}put"}]},
        ],
    }
    built = build_site(tmp_path, {"odd.ipynb": json.dumps(notebook)})  # json.dumps writes \\u escapes

    assert noncharacters_in(built.output) == {}
    assert unreadable_outputs(built) == []
    page = html_document(built.text(built.article("Notebook").url))
    assert text(page.find(".//h1")) == "Notebook title"
    assert "Some text" in text(page.find(".//main"))
    assert "output" in text(page.find(".//main"))


def test_what_is_removed_is_exactly_the_controls_and_noncharacters_of_every_plane():
    """The fast pattern (one class and a lookbehind) against Unicode's own definition, over every
    code point: emoji, CJK extension letters and private-use characters next to a noncharacter stay."""
    import sys

    from learning_journal.read.metadata import CONTROL_CHARACTERS

    def forbidden(code: int) -> bool:
        control = code <= 0x1F and chr(code) not in "\t\n\r" or 0x7F <= code <= 0x9F
        return control or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE

    every = [code for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
    text = "".join(map(chr, every))
    assert [ord(c) for c in CONTROL_CHARACTERS.findall(text)] == [code for code in every if forbidden(code)]
    kept = "a\U0001f600\U00020000\U0010fffd\U0002fffd"
    assert CONTROL_CHARACTERS.sub("", f"\U0001fffe{kept}\U0010ffff\x00") == kept
