"""The feed file table (site/feed_files.py) is the only list of feed formats: pages, URL
claims and feeds follow it, so a format added to it (with its renderer) appears everywhere."""

import feedparser
import pytest
from learning_journal.output.feed_formats import RENDERERS, render_rss
from learning_journal.site.feed_files import FEED_FILES, FeedFile, feed_files_of
from sitebuild import SITEURL, build_site

EXTRA = FeedFile("extra", "extra.xml", "application/x-extra+xml", "Extra", ("site", "series", "tag"))
POSTS = {
    "one.md": "---\ntitle: One\ndate: 2024-01-01\nseries: Habits\ntags: [sleep]\n---\nOne.\n",
    "two.md": "---\ntitle: Two\ndate: 2024-01-02\nseries: Habits\ntags: [sleep]\n---\nTwo.\n",
    "claims.md": "---\ntitle: Claims\ndate: 2024-01-03\npermalink: /extra.xml\n---\nA feed's name.\n",
}


@pytest.fixture
def extra_format(monkeypatch):
    monkeypatch.setitem(FEED_FILES, EXTRA.name, EXTRA)
    monkeypatch.setitem(RENDERERS, EXTRA.name, render_rss)


def visible_feeds(site, page, selector):
    return [(a["type"], a.get_text(strip=True), a["href"]) for a in site.html(page).select(f"{selector} a")]


def expected(folder, followed):
    return [(row.media_type, row.label, f"{SITEURL}/{folder}{row.file_name}") for row in feed_files_of(followed)]


@pytest.mark.parametrize("with_extra", [False, True], ids=["table as shipped", "a format added"])
def test_every_feed_folder_offers_the_tables_formats_and_writes_them(tmp_path, request, with_extra):
    if with_extra:
        request.getfixturevalue("extra_format")
    site = build_site(tmp_path, POSTS)

    assert visible_feeds(site, "series/habits/", "p.series-feeds") == expected("series/habits/", "series")
    assert visible_feeds(site, "tags/sleep/", "main p.subscribe") == expected("tags/sleep/", "tag")
    assert visible_feeds(site, "one/", "footer p.subscribe") == expected("", "site")
    autodiscovery = [(link["type"], link["href"]) for link in site.html("one/").select('head link[rel="alternate"]')]
    assert autodiscovery == [(t, href) for t, _, href in expected("", "site") + expected("series/habits/", "series")]
    for folder, followed in (("", "site"), ("series/habits/", "series"), ("tags/sleep/", "tag")):
        for row in feed_files_of(followed):
            assert site.exists(folder + row.file_name), folder + row.file_name
    if with_extra:
        extra = feedparser.parse(site.path("series/habits/extra.xml").read_bytes())
        assert [entry.link for entry in extra.entries] == [f"{SITEURL}/two/", f"{SITEURL}/one/"]
    # A post may not take a feed's file name: its URL falls back, the feed keeps its place.
    claimed = site.article("Claims").save_as
    assert (claimed == "extra.xml") is not with_extra
