"""Site and tag feeds: valid Atom, RSS 2.0 and JSON Feed, absolute links, ids that never change."""

import logging
import os
import shutil
import time
from urllib.parse import urljoin

import lxml.html
import pytest
from feedcheck import (
    ATOM,
    CONTENT_ENCODED,
    atom_entries,
    contents,
    entry_ids,
    entry_titles,
    feed_level_urls,
    json_items,
    parsed,
    rfc822,
    rfc3339,
    rss_items,
    urls_in_html,
    xml,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from sitebuild import SITEURL, build_site, rebuild

SITE_FEEDS = ("atom.xml", "rss.xml", "feed.json")
XML_FEEDS = ("atom.xml", "rss.xml")

BLOG = {
    "first.md": """
        ---
        title: First steps
        date: 2024-01-01T09:00:00Z
        tags: [python, notes]
        description: Where it all starts.
        ---
        The very first post.
        """,
    "second.md": """
        ---
        title: Second look
        date: 2024-01-05T09:00:00Z
        updated: 2024-02-01T12:30:00+01:00
        tags: [python]
        ---
        See [the first post](../first-steps/), ![a chart](img/chart.png) and
        [the details](#details).

        <img src="img/small.png" srcset="img/small.png 1x, img/big.png 2x" alt="sizes">
        <video src="clip.mp4" poster="img/poster.jpg" controls></video>

        ## Details {#details}

        Nothing more.
        """,
    "third.md": """
        ---
        title: Third time
        date: 2024-01-10T09:00:00Z
        tags: [notes]
        ---
        <p onclick="steal()">Click <a href="javascript:alert(1)">here</a>.</p>
        <script>alert("feeds must not run this")</script>

        The end.
        """,
    "drafts/fourth.md": """
        ---
        title: Unfinished fourth
        date: 2024-01-12T09:00:00Z
        draft: true
        tags: [python]
        ---
        Not yet.
        """,
}
NEWEST_FIRST = ["Third time", "Second look", "First steps"]


@pytest.fixture
def blog(tmp_path):
    return build_site(tmp_path, BLOG)


def feed_paths(site) -> list[str]:
    return sorted(name for name in site.files() if name.endswith(("atom.xml", "rss.xml", "feed.json")))


def test_site_feeds_list_published_posts_newest_first_in_every_format(blog):
    for path in SITE_FEEDS:
        assert entry_titles(blog, path) == NEWEST_FIRST, path
    for path in XML_FEEDS:
        assert [e.title for e in parsed(blog, path).entries] == NEWEST_FIRST, path


def test_tag_feeds_exist_in_atom_and_rss_and_hold_only_their_posts(blog):
    assert entry_titles(blog, "tags/python/atom.xml") == ["Second look", "First steps"]
    assert entry_titles(blog, "tags/python/rss.xml") == ["Second look", "First steps"]
    assert entry_titles(blog, "tags/notes/atom.xml") == ["Third time", "First steps"]
    assert not blog.exists("tags/python/feed.json")
    assert feed_paths(blog) == sorted(
        [
            *SITE_FEEDS,
            "tags/notes/atom.xml",
            "tags/notes/rss.xml",
            "tags/python/atom.xml",
            "tags/python/rss.xml",
        ]
    )


def test_atom_feed_has_what_rfc_4287_requires(blog):
    feed = xml(blog, "atom.xml")
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == f"{SITEURL}/atom.xml"
    assert feed.findtext(f"{ATOM}title") == "Learning Journal"
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{SITEURL}/atom.xml", "alternate": f"{SITEURL}/"}
    entries = atom_entries(blog, "atom.xml")
    for entry in entries:
        for required in ("id", "title", "updated", "published", "content", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}content").get("type") == "html"
        published = rfc3339(entry.findtext(f"{ATOM}published"))
        assert rfc3339(entry.findtext(f"{ATOM}updated")) >= published
    newest = max(rfc3339(entry.findtext(f"{ATOM}updated")) for entry in entries)
    assert rfc3339(feed.findtext(f"{ATOM}updated")) == newest


def test_rss_feed_has_what_rss_2_requires(blog):
    channel = xml(blog, "rss.xml").find("channel")
    assert channel.findtext("title") == "Learning Journal"
    assert channel.findtext("link") == f"{SITEURL}/"
    assert channel.findtext("description")
    [self_link] = channel.findall(f"{ATOM}link")
    assert (self_link.get("rel"), self_link.get("href")) == (
        "self",
        f"{SITEURL}/rss.xml",
    )
    items = rss_items(blog, "rss.xml")
    for item in items:
        assert item.findtext("title") and item.findtext("link").startswith(SITEURL)
        assert item.findtext("description")
        assert item.find(CONTENT_ENCODED).text
        rfc822(item.findtext("pubDate"))
    newest = max(rfc822(item.findtext("pubDate")) for item in items)
    assert rfc822(channel.findtext("lastBuildDate")) >= newest


def test_json_feed_has_what_json_feed_1_1_requires(blog):
    feed = blog.json("feed.json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{SITEURL}/feed.json"
    assert feed["home_page_url"] == f"{SITEURL}/"
    assert feed["title"] and feed["authors"][0]["name"]
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item["url"].startswith(f"{SITEURL}/")
        assert item["content_html"]
        assert rfc3339(item["date_modified"]) >= rfc3339(item["date_published"])
        assert None not in item.values()


def test_entries_carry_full_content_and_summary(blog):
    [atom_entry] = [e for e in atom_entries(blog, "atom.xml") if e.findtext(f"{ATOM}title") == "First steps"]
    # typogrify keeps the last two words of a paragraph together with a no-break space
    assert "The very first post." in atom_entry.findtext(f"{ATOM}content").replace("\xa0", " ")
    assert atom_entry.findtext(f"{ATOM}summary") == "Where it all starts."
    [rss_item] = [i for i in rss_items(blog, "rss.xml") if i.findtext("title") == "First steps"]
    assert rss_item.findtext("description") == "Where it all starts."
    assert "The very first post." in rss_item.find(CONTENT_ENCODED).text.replace("\xa0", " ")
    [json_item] = [i for i in json_items(blog, "feed.json") if i["title"] == "First steps"]
    assert json_item["summary"] == "Where it all starts."
    assert "The very first post." in json_item["content_html"].replace("\xa0", " ")


def test_updated_comes_from_the_modified_date(blog):
    entry = parsed(blog, "atom.xml").entries[1]
    assert entry.title == "Second look"
    assert rfc3339(entry.updated) == rfc3339("2024-02-01T12:30:00+01:00")
    assert rfc3339(entry.published) == rfc3339("2024-01-05T09:00:00+00:00")
    item = json_items(blog, "feed.json")[1]
    assert rfc3339(item["date_modified"]) == rfc3339("2024-02-01T12:30:00+01:00")


def test_relative_links_and_images_resolve_against_the_post_url(blog):
    post_url = f"{SITEURL}/second-look/"
    expected = {
        urljoin(post_url, "../first-steps/"),
        urljoin(post_url, "img/chart.png"),
        urljoin(post_url, "#details"),
        urljoin(post_url, "img/small.png"),
        urljoin(post_url, "img/big.png"),
        urljoin(post_url, "clip.mp4"),
        urljoin(post_url, "img/poster.jpg"),
    }
    assert expected == {
        f"{SITEURL}/first-steps/",
        f"{SITEURL}/second-look/img/chart.png",
        f"{SITEURL}/second-look/#details",
        f"{SITEURL}/second-look/img/small.png",
        f"{SITEURL}/second-look/img/big.png",
        f"{SITEURL}/second-look/clip.mp4",
        f"{SITEURL}/second-look/img/poster.jpg",
    }
    for path in SITE_FEEDS:
        full_content, *summary = [html for html in contents(blog, path) if "chart" in html]
        assert set(urls_in_html(full_content)) == expected, path
        for html in summary:
            assert set(urls_in_html(html)) <= expected, path


def test_no_relative_url_anywhere_in_any_feed(blog):
    for path in feed_paths(blog):
        urls = feed_level_urls(blog, path) + [u for html in contents(blog, path) for u in urls_in_html(html)]
        assert urls, path
        for url in urls:
            assert url.startswith(f"{SITEURL}/"), (path, url)


def test_feed_content_has_no_scripts_handlers_or_javascript_urls(blog):
    page = blog.text("third-time/")
    assert "feeds must not run this" in page  # the page keeps what the author wrote
    for path in feed_paths(blog):
        for html in contents(blog, path):
            lowered = html.lower()
            assert "<script" not in lowered and "onclick" not in lowered, path
            assert "javascript:" not in lowered, path
    [third] = [html for html in contents(blog, "atom.xml") if "Click" in html]
    assert "here" in third and "The end." in third.replace("\xa0", " ")
    [here] = [a for a in lxml.html.fragment_fromstring(third, create_parent="div").iter("a")]
    assert here.text == "here" and here.get("href") is None


def test_script_urls_hidden_by_entities_or_whitespace_are_removed_from_feeds(tmp_path):
    """A post with nothing else that runs code: each link alone must be found and cleaned."""
    head = "---\ntitle: {}\ndate: 2024-01-10T09:00:00Z\n---\n"
    site = build_site(
        tmp_path,
        {
            "encoded.md": head.format("Encoded") + '<p><a href="&#106;avascript:alert(2)">encoded</a></p>\n',
            "spaced.md": head.format("Spaced") + '<p><a href="javascr&#9;ipt:alert(3)">spaced</a></p>\n',
            "kept.md": head.format("Kept") + '<p><a href="../encoded/">kept</a></p>\n',
        },
    )
    for path in feed_paths(site):
        links = {}
        for html in contents(site, path):
            root = lxml.html.fragment_fromstring(html, create_parent="div")
            links.update((a.text, a.get("href")) for a in root.iter("a"))
        assert links == {"encoded": None, "spaced": None, "kept": f"{SITEURL}/encoded/"}, path


def test_drafts_stay_out_of_every_feed(blog):
    for path in feed_paths(blog):
        assert "Unfinished fourth" not in blog.text(path), path


def test_rss_guid_is_a_permalink_only_when_it_is_the_url(tmp_path):
    site = build_site(
        tmp_path,
        {
            "by-url.md": f"""
                ---
                title: By URL
                date: 2024-03-01
                id: {SITEURL}/by-url/
                ---
                Body.
                """,
            "by-urn.md": """
                ---
                title: By URN
                date: 2024-03-02
                ---
                Body.
                """,
        },
    )
    guids = {item.findtext("title"): item.find("guid") for item in rss_items(site, "rss.xml")}
    assert guids["By URL"].text == f"{SITEURL}/by-url/"
    assert guids["By URL"].get("isPermaLink") == "true"
    assert guids["By URN"].text.startswith("urn:uuid:")
    assert guids["By URN"].get("isPermaLink") == "false"
    readers_view = {e.title: e for e in parsed(site, "rss.xml").entries}
    assert readers_view["By URN"].guidislink is False


def test_explicit_id_in_front_matter_is_kept_in_every_format(tmp_path):
    site = build_site(
        tmp_path,
        {
            "kept.md": """
                ---
                title: Kept id
                date: 2024-03-01
                id: tag:blog.example.org,2019:old-post
                ---
                Body.
                """,
            "path-id.md": """
                ---
                title: Path id
                date: 2024-03-02
                id: /2019/05/03/old-jekyll-post
                ---
                Body.
                """,
        },
    )
    expected = [
        f"{SITEURL}/2019/05/03/old-jekyll-post",
        "tag:blog.example.org,2019:old-post",
    ]
    for path in SITE_FEEDS:
        assert entry_ids(site, path) == expected, path


def test_a_post_that_reuses_another_posts_id_gets_its_own_and_a_warning(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": "---\ntitle: Owner\ndate: 2024-03-01\nid: urn:x:same\n---\nA.\n",
            "b.md": "---\ntitle: Copycat\ndate: 2024-03-02\nid: urn:x:same\n---\nB.\n",
        },
    )
    ids = dict(zip(entry_titles(site, "atom.xml"), entry_ids(site, "atom.xml"), strict=True))
    assert ids["Owner"] == "urn:x:same"
    assert ids["Copycat"] != "urn:x:same"
    [warning] = [p for p in site.report.warnings if p.key == "id"]
    assert "b.md" in warning.path and "a.md" in warning.message


def all_ids(site) -> dict:
    return {path: entry_ids(site, path) for path in feed_paths(site)}


def test_ids_survive_rebuild_touch_and_fresh_clone(tmp_path, blog):
    before = all_ids(blog)
    assert all(ids for ids in before.values())
    assert len(set(entry_ids(blog, "atom.xml"))) == 3

    later = time.time() + 3600
    for path in blog.content.rglob("*.md"):
        os.utime(path, (later, later))
    assert all_ids(rebuild(blog)) == before

    clone = tmp_path / "clone"
    shutil.copytree(blog.content, clone / "content")
    assert all_ids(build_site(clone)) == before


def test_ids_survive_a_change_of_date_and_title(blog):
    [old_id] = [
        i
        for t, i in zip(entry_titles(blog, "atom.xml"), entry_ids(blog, "atom.xml"), strict=True)
        if t == "First steps"
    ]
    post = blog.content / "first.md"
    post.write_text(post.read_text().replace("First steps", "Very first steps").replace("2024-01-01", "2023-12-24"))
    rebuild(blog)
    for path in SITE_FEEDS:
        titles = entry_titles(blog, path)
        assert titles[-1] == "Very first steps", path
        assert entry_ids(blog, path)[-1] == old_id, path


def test_two_builds_write_the_same_bytes(tmp_path):
    first = build_site(tmp_path / "one", BLOG)
    second = build_site(tmp_path / "two", BLOG)
    paths = feed_paths(first)
    assert paths == feed_paths(second) and len(paths) == 7
    for path in paths:
        assert first.path(path).read_bytes() == second.path(path).read_bytes(), path
    first_bytes = {path: first.path(path).read_bytes() for path in paths}
    time.sleep(1.1)
    rebuild(first)
    assert {path: first.path(path).read_bytes() for path in paths} == first_bytes


def test_markup_characters_in_titles_and_tags_are_escaped(tmp_path):
    title = "Less <than> & \"quotes\" 'too'"
    site = build_site(
        tmp_path,
        {
            "odd.md": """
                ---
                title: "Less <than> & \\"quotes\\" 'too'"
                date: 2024-03-01
                tags: ["R&D", "a<b"]
                ---
                Body.
                """
        },
    )
    for path in SITE_FEEDS:
        assert entry_titles(site, path) == [title], path
    for path in XML_FEEDS:
        assert parsed(site, path).entries[0].title == title
        assert {tag.term for tag in parsed(site, path).entries[0].tags} == {
            "R&D",
            "a<b",
        }
    assert set(json_items(site, "feed.json")[0]["tags"]) == {"R&D", "a<b"}
    tag_feeds = [p for p in feed_paths(site) if p.startswith("tags/")]
    assert len(tag_feeds) == 4
    titles = {xml(site, p).findtext(f"{ATOM}title") for p in tag_feeds if p.endswith("atom.xml")}
    assert titles == {"Learning Journal: R&D", "Learning Journal: a<b"}


def test_feed_max_items_cuts_site_and_tag_feeds(tmp_path):
    site = build_site(tmp_path, BLOG, FEED_MAX_ITEMS=2)
    for path in SITE_FEEDS:
        assert entry_titles(site, path) == NEWEST_FIRST[:2], path
    assert entry_titles(site, "tags/python/atom.xml") == ["Second look", "First steps"]
    assert len(entry_titles(site, "tags/notes/rss.xml")) == 2


def link_tags(site, page: str) -> list:
    return site.html(page).select('head link[rel="alternate"]')


def test_every_page_links_the_site_feeds_and_the_links_point_at_files(blog):
    pages = [name for name in blog.files() if name.endswith(".html")]
    assert len(pages) > 5
    for page in pages:
        links = link_tags(blog, page)
        hrefs = [link["href"] for link in links]
        assert hrefs[:3] == [f"{SITEURL}/{name}" for name in SITE_FEEDS], page
        for link in links:
            assert link["href"].startswith(f"{SITEURL}/") and link["type"] and link["title"]
            assert blog.exists(link["href"].removeprefix(f"{SITEURL}/")), (
                page,
                link["href"],
            )


def test_tag_pages_link_their_own_feeds(blog):
    links = link_tags(blog, "tags/python/")
    own = [(link["type"], link["href"]) for link in links[3:]]
    assert own == [
        ("application/atom+xml", f"{SITEURL}/tags/python/atom.xml"),
        ("application/rss+xml", f"{SITEURL}/tags/python/rss.xml"),
    ]
    assert links[3]["title"] == "Learning Journal: python (Atom)"


def test_an_empty_blog_still_writes_stable_valid_feeds(tmp_path):
    first = build_site(tmp_path / "one", {"pages/about.md": "---\ntitle: About\n---\nHi.\n"})
    second = build_site(tmp_path / "two", {"pages/about.md": "---\ntitle: About\n---\nHi.\n"})
    for path in SITE_FEEDS:
        assert first.path(path).read_bytes() == second.path(path).read_bytes()
    assert parsed(first, "atom.xml").entries == []
    assert xml(first, "atom.xml").findtext(f"{ATOM}updated")


def test_pelican_own_feeds_are_switched_off_with_a_note(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    site = build_site(
        tmp_path,
        BLOG,
        FEED_ALL_ATOM="feeds/all.atom.xml",
        AUTHOR_FEED_ATOM="feeds/{slug}.atom.xml",
        CATEGORY_FEED_ATOM="feeds/{slug}.atom.xml",
        TAG_FEED_RSS="feeds/{slug}.tag.rss.xml",
    )
    assert not any(name.startswith("feeds/") for name in site.files())
    notes = [r.getMessage() for r in caplog.records if "Pelican's own feeds are switched off" in r.getMessage()]
    assert notes and "FEED_ALL_ATOM" in notes[0] and "AUTHOR_FEED_ATOM" in notes[0]
    assert entry_titles(site, "atom.xml") == NEWEST_FIRST


def test_a_post_cannot_take_the_site_feed_path(tmp_path):
    site = build_site(
        tmp_path,
        {
            **BLOG,
            "squatter.md": "---\ntitle: Squatter\ndate: 2024-03-01\npermalink: /atom.xml\n---\nMine.\n",
        },
    )
    assert xml(site, "atom.xml").tag == f"{ATOM}feed"
    assert entry_titles(site, "atom.xml")[0] == "Squatter"
    assert any(p.key == "permalink" and "squatter.md" in p.path for p in site.report.warnings)


def test_the_seed_posts_and_sample_blog_give_valid_absolute_feeds(tmp_path, seeds):
    from sitebuild import PROJECT

    shutil.copytree(PROJECT / "content", tmp_path / "content")
    for seed in seeds.glob("*.md"):
        if seed.name == "README.md":
            continue
        shutil.copy(seed, tmp_path / "content" / seed.name)
    site = build_site(tmp_path)
    paths = feed_paths(site)
    assert {"atom.xml", "rss.xml", "feed.json"} <= set(paths)
    assert any(path.startswith("series/") for path in paths)
    for path in paths:
        if path.endswith(".xml"):
            assert parsed(site, path).entries, path
        ids = entry_ids(site, path)
        assert ids and len(ids) == len(set(ids)), path
        urls = feed_level_urls(site, path)
        urls += [url for html in contents(site, path) for url in urls_in_html(html)]
        for url in urls:
            assert url.startswith(("https://", "http://", "mailto:", "data:")), (path, url)


def test_a_tag_without_a_usable_slug_gets_no_feed_and_breaks_nothing(tmp_path):
    site = build_site(
        tmp_path,
        {"odd.md": "---\ntitle: Odd tags\ndate: 2024-03-01\ntags: ['!!!', fine]\n---\nBody.\n"},
    )
    tag_feeds = [path for path in feed_paths(site) if path.startswith("tags/")]
    assert tag_feeds == ["tags/fine/atom.xml", "tags/fine/rss.xml"]
    assert entry_titles(site, "atom.xml") == ["Odd tags"]


LINKING = [
    '<a href="{}">t</a>',
    '<img src="{}" alt="">',
    '<math><mi xlink:href="{}">x</mi></math>',
    '<form action="{}"><button formaction="{}">b</button></form>',
    '<blockquote cite="{}">q</blockquote>',
    "<p>plain text</p>",
]
URLS = [
    "../part-2/",
    "img/x.png",
    "#s",
    " https://x.org/ ",
    "http://[bad",
    "",
    "mailto:a@b.c",
    "//cdn.org/x",
    "?q=1",
    "a b",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LINKING), st.sampled_from(URLS)), max_size=6))
def test_plain_links_are_made_absolute_exactly_as_lxml_does(pieces):
    """feed_html resolves plain link attributes itself (lxml walks every element); same result."""
    from learning_journal.output import feed_html as module

    fragment = "".join(template.replace("{}", url) for template, url in pieces)
    ours = lxml.html.fragment_fromstring(fragment, create_parent="div")
    module.make_link_attributes_absolute(module.ALL_ATTRIBUTES(ours), "https://blog.example.org/post/")
    theirs = lxml.html.fragment_fromstring(fragment, create_parent="div")
    theirs.make_links_absolute("https://blog.example.org/post/", resolve_base_href=False, handle_failures="discard")
    assert lxml.html.tostring(ours, encoding="unicode") == lxml.html.tostring(theirs, encoding="unicode")


def feed_files(site) -> dict:
    names = ("atom.xml", "rss.xml", "feed.json")
    return {str(p.relative_to(site.output)): p.read_bytes() for p in sorted(site.output.rglob("*")) if p.name in names}


def feed_generator(site):
    from learning_journal.output.feeds import FeedGenerator

    [generator] = [g for g in site.generators if isinstance(g, FeedGenerator)]
    return generator


def test_feeds_made_on_another_core_are_those_one_process_makes(tmp_path):
    """A first build hands the feeds to a forked process while it writes the posts: every feed
    has the same bytes as in one process, a clashing id is reported once, and the feeds'
    folder in the cache is gone; a rebuild that read few posts makes its feeds itself."""
    if not os.uname().sysname == "Linux":
        pytest.skip("feeds are made in a forked process on Linux only")
    clash = "---\ntitle: Fourth\ndate: 2024-04-01\ntags: [python, rivers, lakes, seas]\nid: first-post\n---\nFourth.\n"
    files = {**BLOG, "fourth.md": clash, "fifth.md": clash.replace("Fourth", "Fifth")}
    alone = build_site(tmp_path / "alone", files, JOURNAL_READ_PROCESSES=1)
    forked = build_site(tmp_path / "forked", files, JOURNAL_READ_PROCESSES=2)
    assert feed_generator(alone).background is None
    assert feed_generator(forked).background is not None
    assert len(feed_files(forked)) >= 12
    assert feed_files(forked) == feed_files(alone)

    def clashes(site):
        return [p.message for p in site.report.problems() if p.code == "feed-id-clash"]

    assert len(clashes(forked)) == 1 and clashes(forked) == clashes(alone)
    assert not [p for p in (tmp_path / "forked" / "cache" / "learning-journal" / "feeds").rglob("*") if p.is_file()]

    (forked.content / "fifth.md").write_text(clash.replace("Fourth", "Fifth, edited"))
    rebuild(forked)
    assert feed_generator(forked).background is None
    assert "Fifth, edited" in (forked.output / "atom.xml").read_text()
