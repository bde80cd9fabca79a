"""The theme's HTML, meta data, sitemap and calendar, read back from real builds."""

import json
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from lxml import etree
from sitebuild import PROJECT, SITEURL, build_site

HOSTILE_TITLE = '<script>alert(1)</script> & "quotes"'


def post(title, day, body="Some text.", **front_matter):
    lines = [f"title: '{title}'", f"date: {day}"]
    lines += [f"{key}: {value}" for key, value in front_matter.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The project's own sample blog, built once for the read-only tests below."""
    return build_site(tmp_path_factory.mktemp("sample"), copy_from=PROJECT / "content")


def html_pages(site):
    return [p for p in site.files() if p.endswith(".html")]


def test_hostile_title_is_escaped_in_title_meta_heading_and_json_ld(tmp_path):
    site = build_site(
        tmp_path,
        files={"x.md": post(HOSTILE_TITLE, "2024-05-01", description="'<b>bold</b> & co'", tags="[a]")},
    )
    url = site.article("alert(1)").url
    raw = site.text(url)
    assert "<script>alert(1)" not in raw
    assert "<b>bold" not in raw
    page = site.html(url)
    assert page.title.get_text().startswith(HOSTILE_TITLE)
    assert page.h1.get_text(strip=True) == HOSTILE_TITLE
    assert page.find("meta", property="og:title")["content"] == HOSTILE_TITLE
    assert page.find("meta", attrs={"name": "description"})["content"] == "<b>bold</b> & co"
    [ld_script] = page.find_all("script", type="application/ld+json")
    assert "<" not in ld_script.string and ">" not in ld_script.string and "&" not in ld_script.string
    data = json.loads(ld_script.string)
    assert data["headline"] == HOSTILE_TITLE
    assert data["description"] == "<b>bold</b> & co"
    home = site.html("")
    assert HOSTILE_TITLE in [h2.get_text(strip=True) for h2 in home.select("main h2")]
    assert "<script>alert(1)" not in site.text("") + site.text("archives/") + site.text("tags/a/")


def test_post_has_absolute_canonical_open_graph_and_blog_posting(sample):
    page = sample.html("gradient-descent-from-scratch/")
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == f"{SITEURL}/gradient-descent-from-scratch/"
    assert page.find("meta", property="og:url")["content"] == canonical
    assert page.find("meta", property="og:type")["content"] == "article"
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert page.find("meta", property="article:modified_time")["content"].startswith("2024-02-20")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "BlogPosting"
    assert data["url"] == canonical
    assert data["datePublished"].startswith("2024-02-12")
    assert data["dateModified"].startswith("2024-02-20")
    assert "python" in data["keywords"]


def test_json_ld_says_which_series_a_part_belongs_to(sample):
    page = sample.html("derivatives-and-the-chain-rule/")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "Math for Machine Learning",
        "url": f"{SITEURL}/series/math-for-machine-learning/",
    }
    assert data["position"] == 3
    standalone = sample.html("my-reading-list-for-2024/")
    assert "isPartOf" not in json.loads(standalone.find("script", type="application/ld+json").string)


def test_home_cards_carry_their_series_badge(sample):
    cards = {card.h2.get_text(strip=True): card for card in sample.html("").select("article.card")}
    badge = cards["Derivatives and the Chain Rule"].select_one(".series-badge")
    assert badge.a["href"] == f"{SITEURL}/series/math-for-machine-learning/"
    assert badge.a.get_text() == "Math for Machine Learning"
    assert badge.span.get_text() == "Part 3 of 4"
    assert cards["My Reading List for 2024"].select_one(".series-badge") is None


def test_post_shows_published_and_updated_dates(sample):
    page = sample.html("gradient-descent-from-scratch/")
    times = [t["datetime"][:10] for t in page.select(".post-header time")]
    assert times == ["2024-02-12", "2024-02-20"]


def test_post_outside_a_series_links_older_and_newer_posts(sample):
    page = sample.html("my-reading-list-for-2024/")
    links = {a["rel"][0]: a["href"] for a in page.select(".post-nav a")}
    assert links["prev"] == f"{SITEURL}/measuring-before-optimising/"
    assert links["next"] == f"{SITEURL}/why-i-am-learning-the-math-behind-machine-learning/"


def test_every_page_has_one_main_one_h1_unique_ids_and_no_skipped_heading_level(sample):
    for name in html_pages(sample):
        if name.startswith("drafts/"):
            continue
        page = sample.html(name)
        assert len(page.find_all("main")) == 1, name
        assert len(page.find_all("h1")) == 1, name
        ids = Counter(tag["id"] for tag in page.find_all(id=True))
        assert [i for i, n in ids.items() if n > 1] == [], name
        levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels[0] == 1, name
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)
        assert page.find("a", class_="skip-link")["href"] == "#main", name


def test_pages_load_nothing_from_other_sites_and_the_theme_css_stays_small(sample):
    for name in html_pages(sample):
        page = sample.html(name)
        for tag in page.find_all(["link", "script", "img"]):
            address = tag.get("href") if tag.name == "link" and "stylesheet" in tag.get("rel", []) else tag.get("src")
            if address:
                assert address.startswith(SITEURL + "/"), (name, address)
        # JavaScript only on /search/ (and only when the search index is built: not here).
        assert not page.find_all("script", src=True), name
    # Every stylesheet a page can load, the theme's and the code colours, together.
    stylesheets = list(sample.output.rglob("*.css"))
    assert {p.name for p in stylesheets} >= {"main.css", "pygments.css"}
    assert sum(p.stat().st_size for p in stylesheets) < 15_000


def test_display_math_scrolls_in_a_box_the_keyboard_can_reach(sample):
    page = sample.html("derivatives-and-the-chain-rule/")
    displays = page.select(".content math[display=block]")
    assert displays
    for math in displays:
        assert math.parent.name == "span" and "math-scroll" in math.parent["class"]
        assert math.parent["tabindex"] == "0" and not math.has_attr("tabindex")
    assert not page.select(".content span.math-scroll math[display=inline]")


def test_time_elements_give_at_most_milliseconds(tmp_path):
    site = build_site(tmp_path, files={"x.md": post("Precise", "2020-05-25T02:50:54.615123Z", series="S")})
    for url in ("precise/", "series/s/", "series/", "archives/", ""):
        stamps = [t["datetime"] for t in site.html(url).find_all("time")]
        assert "2020-05-25T02:50:54.615+00:00" in stamps, url


def test_toc_true_shows_a_named_table_of_contents_above_the_body(sample):
    page = sample.html("gradient-descent-from-scratch/")
    [toc] = page.select("nav.toc")
    assert toc["aria-label"] == "Table of contents"
    assert toc.find_parent("article") is page.select_one("article.post")
    assert toc.find_next_sibling("div", class_="content") is not None
    headings = page.select(".content h2")
    assert [a["href"] for a in toc.select("a")] == [f"#{h['id']}" for h in headings]
    assert [a.get_text() for a in toc.select("a")] == [h.get_text() for h in headings]
    assert not sample.html("vectors-and-the-dot-product/").select("nav.toc")


def test_toc_marker_in_the_body_is_the_only_table_of_contents(tmp_path):
    body = "Intro.\n\n[TOC]\n\n## One\n\n### One and a half\n\n## Two\n"
    files = {
        "marker.md": post("Marker", "2024-01-01", body, toc="true"),
        "empty.md": post("No headings", "2024-01-02", "[TOC]\n\nJust text.", toc="true"),
    }
    site = build_site(tmp_path, files=files)
    page = site.html("marker/")
    [toc] = page.select("nav.toc")
    assert toc.parent["class"] == ["content"] and toc.find_previous_sibling("p").get_text() == "Intro."
    assert [a["href"] for a in toc.select("a")] == ["#one", "#one-and-a-half", "#two"]
    assert toc.select_one("li ul a")["href"] == "#one-and-a-half"
    assert not page.select("div.toc")
    empty = site.html("no-headings/")
    assert not empty.select("nav.toc, div.toc")


def test_a_page_can_ask_for_a_table_of_contents_too(tmp_path):
    body = "---\ntitle: Colophon\ntoc: true\n---\n## Tools\n\nText.\n\n## Fonts\n\nText.\n"
    site = build_site(tmp_path, files={"pages/colophon.md": body})
    [toc] = site.html("colophon/").select("main nav.toc")
    assert [a["href"] for a in toc.select("a")] == ["#tools", "#fonts"]


def test_home_is_paginated_with_clean_urls(tmp_path):
    files = {f"p{n}.md": post(f"Post {n}", f"2024-01-{n + 10}") for n in range(5)}
    site = build_site(tmp_path, files=files, DEFAULT_PAGINATION=2)
    assert site.exists("page/2/") and site.exists("page/3/") and not site.exists("page/4/")
    first = site.html("")
    assert [h.get_text(strip=True) for h in first.select("main h2")] == ["Post 4", "Post 3"]
    older = first.find("a", rel="next")["href"]
    assert older == f"{SITEURL}/page/2/"
    second = site.html("page/2/")
    assert second.find("link", rel="canonical")["href"] == older
    assert second.find("a", rel="prev")["href"] == f"{SITEURL}/"


def test_404_page_is_written_and_not_indexed(sample):
    page = sample.html("404.html")
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("a", href=f"{SITEURL}/archives/")


def test_sitemap_lists_public_pages_with_absolute_urls_and_no_drafts(sample):
    tree = etree.fromstring(sample.path("sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert tree.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locations = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    assert len(locations) == len(set(locations))
    assert all(urlsplit(loc).scheme == "https" and loc.startswith(SITEURL + "/") for loc in locations)
    paths = {loc[len(SITEURL) :] for loc in locations}
    expected = {"/", "/about/", "/archives/", "/tags/", "/tags/python/", "/vectors-and-the-dot-product/"}
    expected |= {"/series/", "/series/math-for-machine-learning/", "/series/python-notebook/"}
    assert expected <= paths
    published = {"/" + a.url for a in sample.contents("articles")}
    assert published <= paths
    assert not [p for p in paths if p.startswith("/drafts/")]
    assert "/probability-without-tears/" not in paths
    for path in paths:  # every listed page was written
        assert sample.exists(path), path
    for lastmod in tree.findall("s:url/s:lastmod", ns):
        assert lastmod.text[:4].isdigit() and "T" in lastmod.text


def test_robots_txt_points_at_the_sitemap(sample):
    lines = sample.text("robots.txt").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITEURL}/sitemap.xml" in lines


def test_no_sitemap_without_an_absolute_site_url(tmp_path):
    site = build_site(tmp_path, files={"a.md": post("A", "2024-01-01")}, SITEURL="", FEED_DOMAIN="")
    assert not site.exists("sitemap.xml") and not site.exists("robots.txt")
    assert any("SITEURL" in message for message in site.messages())


def test_learning_calendar_shows_the_year_up_to_the_newest_post(tmp_path):
    newest = date(2016, 6, 30)  # long ago: the calendar must not depend on today
    weeks_back = [0, 1, 5, 6, 7, 20]  # runs of 2 (current) and 3 (longest) weeks
    files = {f"w{n}.md": post(f"Week {n}", newest - timedelta(weeks=n)) for n in weeks_back}
    files["two.md"] = post("Same day", newest - timedelta(weeks=20))
    files["old.md"] = post("Too old", newest - timedelta(days=400))
    site = build_site(tmp_path, files=files)
    page = site.html("archives/")
    svg = page.select_one(".learning-calendar svg[role=img]")
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find("title", id=title_id).get_text() == "Learning calendar"
    description = svg.find("desc", id=desc_id).get_text()
    assert description.startswith("7 posts on 6 days")
    assert "longest weekly streak 3 weeks" in description and "current streak 2 weeks" in description
    marked = {rect.title.get_text() for rect in svg.select("rect[class^=day-]") if rect.title}
    assert len(marked) == 6
    assert not [m for m in marked if "Too old" in m]
    assert svg.select("rect.day-2")[0].title.get_text().count(";") == 1
    months = {row.th.get_text(): int(row.td.get_text()) for row in page.select(".learning-calendar tbody tr")}
    assert list(months)[0] == "July 2015" and len(months) == 12 and sum(months.values()) == 7
    assert months["June 2016"] == 2


def test_archives_group_posts_by_year_newest_first(sample):
    page = sample.html("archives/")
    years = [s.h2.contents[0].strip() for s in page.select("section.year")]
    assert years == ["2024", "2023"]
    assert len(page.select("section.year li")) == len(sample.contents("articles"))


class TagBalance(HTMLParser):
    """Every end tag closes the element opened last: no stray or crossed end tags."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.open, self.problems = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.problems.append(f"</{tag}> at line {self.getpos()[0]} while {self.open[-3:]} are open")


def test_every_page_closes_what_it_opens(sample):
    for name in html_pages(sample):
        checker = TagBalance()
        checker.feed(sample.text(name))
        checker.close()
        assert checker.problems == [], name
        assert checker.open == [], name
