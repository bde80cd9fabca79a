"""Series feeds: titled with the series, every published part, each entry saying which part."""

from feedcheck import ATOM, entry_ids, entry_titles, parsed, rss_items, xml
from sitebuild import SITEURL, build_site

SERIES_FEEDS = ("atom.xml", "rss.xml", "feed.json")


def post(title, date, series=None, **keys):
    lines = [f"title: {title!r}", f"date: {date}"]
    if series is not None:
        lines.append(f"series: {series}")
    lines += [f"{key}: {value}" for key, value in keys.items()]
    return "---\n" + "\n".join(lines) + "\n---\nBody of " + title + ".\n"


RUST = {
    "rust/one.md": post("Ownership", "2024-01-01", "Learning Rust", series_index=1),
    "rust/two.md": post("Borrowing", "2024-01-08", "Learning Rust", series_index=2),
    "rust/three.md": post("Lifetimes", "2024-01-15", "Learning Rust", series_index=3),
    "rust/four.md": post("Traits", "2024-01-22", "Learning Rust", series_index=4),
    "rust/five.md": post("Macros", "2024-01-29", "Learning Rust", series_index=5, draft="true"),
    "rust/six.md": post("Async", "2999-01-01", "Learning Rust", series_index=6),
    "elsewhere.md": post("Unrelated", "2024-02-01"),
}
RUST_FEEDS = [f"series/learning-rust/{name}" for name in SERIES_FEEDS]
NEWEST_PART_FIRST = [
    "Part 4 of 4: Traits",
    "Part 3 of 4: Lifetimes",
    "Part 2 of 4: Borrowing",
    "Part 1 of 4: Ownership",
]


def test_series_feeds_hold_every_published_part_labelled_latest_first(tmp_path):
    site = build_site(tmp_path, RUST, FEED_MAX_ITEMS=2)
    for path in RUST_FEEDS:
        assert entry_titles(site, path) == NEWEST_PART_FIRST, path
    assert entry_titles(site, "atom.xml") == [
        "Unrelated",
        "Traits",
    ]  # the site feed is cut


def test_series_feeds_are_where_the_series_model_says_and_titled_with_its_name(
    tmp_path,
):
    site = build_site(tmp_path, RUST)
    [series] = site.generators[0].context["series_list"]
    assert sorted(series.feeds.values()) == sorted(RUST_FEEDS)
    assert all(site.exists(path) for path in series.feeds.values())
    assert xml(site, RUST_FEEDS[0]).findtext(f"{ATOM}title") == "Learning Rust"
    assert parsed(site, RUST_FEEDS[1]).feed.title == "Learning Rust"
    assert site.json(RUST_FEEDS[2])["title"] == "Learning Rust"
    assert xml(site, RUST_FEEDS[1]).findtext("channel/link") == f"{SITEURL}/series/learning-rust/"
    self_links = [link.get("href") for link in xml(site, RUST_FEEDS[0]).findall(f"{ATOM}link[@rel='self']")]
    assert self_links == [f"{SITEURL}/series/learning-rust/atom.xml"]


def test_a_post_has_the_same_id_in_the_site_feed_and_its_series_feed(tmp_path):
    site = build_site(tmp_path, RUST)
    site_ids = dict(zip(entry_titles(site, "atom.xml"), entry_ids(site, "atom.xml"), strict=True))
    for path in RUST_FEEDS:
        for title, entry_id in zip(entry_titles(site, path), entry_ids(site, path), strict=True):
            assert site_ids[title.split(": ", 1)[1]] == entry_id, path
    guids = [item.find("guid") for item in rss_items(site, RUST_FEEDS[1])]
    assert {guid.get("isPermaLink") for guid in guids} == {"false"}


def test_series_description_becomes_the_feed_description(tmp_path):
    site = build_site(
        tmp_path,
        {
            **RUST,
            "series/learning-rust.md": "---\nname: Learning Rust\n---\nThe *borrow checker* & me.\n",
        },
    )
    assert site.json(RUST_FEEDS[2])["description"] == "The borrow checker & me."
    assert xml(site, RUST_FEEDS[0]).findtext(f"{ATOM}subtitle") == "The borrow checker & me."


def test_a_post_in_two_series_is_a_different_part_in_each_feed(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post("Alpha", "2024-01-01", "Tools"),
            "b.md": post("Shared", "2024-01-05", "[Tools, Habits]"),
            "c.md": post("Gamma", "2024-01-03", "Habits"),
        },
    )
    assert entry_titles(site, "series/tools/atom.xml") == [
        "Part 2 of 2: Shared",
        "Part 1 of 2: Alpha",
    ]
    assert entry_titles(site, "series/habits/atom.xml") == [
        "Part 2 of 2: Shared",
        "Part 1 of 2: Gamma",
    ]
    hrefs = [link["href"] for link in site.html("shared/").select('head link[rel="alternate"]')]
    assert hrefs == [
        f"{SITEURL}/atom.xml",
        f"{SITEURL}/rss.xml",
        f"{SITEURL}/feed.json",
        *(f"{SITEURL}/series/tools/{name}" for name in SERIES_FEEDS),
        *(f"{SITEURL}/series/habits/{name}" for name in SERIES_FEEDS),
    ]


def test_series_pages_and_parts_link_their_series_feeds_once(tmp_path):
    site = build_site(tmp_path, RUST)
    series_hrefs = [f"{SITEURL}/{path}" for path in RUST_FEEDS]
    for page in ("series/learning-rust/", "borrowing/"):
        links = site.html(page).select('head link[rel="alternate"]')
        hrefs = [link["href"] for link in links]
        assert hrefs[3:] == series_hrefs, page
        assert len(hrefs) == len(set(hrefs)), page
        assert links[3]["title"] == "Learning Rust (Atom)"
        for href in hrefs:
            assert site.exists(href.removeprefix(f"{SITEURL}/")), href
    unrelated = [link["href"] for link in site.html("unrelated/").select('head link[rel="alternate"]')]
    assert unrelated == [f"{SITEURL}/{name}" for name in SERIES_FEEDS]


def test_markup_characters_in_a_series_name_are_escaped(tmp_path):
    name = 'Q&A <live> "unplugged"'
    site = build_site(
        tmp_path,
        {
            "one.md": post("First", "2024-01-01", "'Q&A <live> \"unplugged\"'"),
            "two.md": post("Second", "2024-01-02", "'Q&A <live> \"unplugged\"'"),
        },
    )
    [series] = site.generators[0].context["series_list"]
    atom_path, rss_path, json_path = (
        series.feeds["atom"],
        series.feeds["rss"],
        series.feeds["json"],
    )
    assert xml(site, atom_path).findtext(f"{ATOM}title") == name
    assert parsed(site, rss_path).feed.title == name
    assert site.json(json_path)["title"] == name
    [link] = site.html("first/").select(f'head link[href="{SITEURL}/{atom_path}"]')
    assert link["title"] == f"{name} (Atom)"
