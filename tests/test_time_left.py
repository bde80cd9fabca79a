"""Time left in a series: on every part, on the series page and on /series/, from published
parts only (drafts, scheduled posts and planned parts count nothing)."""

from sitebuild import build_site

WORDS_PER_MINUTE = 220  # pelicanconf.py


def post(title, minutes, date, series="Learning Go", **keys):
    """A post whose prose takes exactly `minutes` at the configured pace."""
    lines = [f'title: "{title}"', f"date: {date}", f"series: {series}"]
    lines += [f"{key}: {value}" for key, value in keys.items()]
    body = " ".join(["word"] * (minutes * WORDS_PER_MINUTE))
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


SERIES = {
    "go/basics.md": post("Basics", 2, "2024-03-01"),
    "go/types.md": post("Types", 5, "2024-03-08"),
    "go/draft.md": post("Channels Draft", 10, "2024-03-10", status="draft"),
    "go/later.md": post("Scheduled Generics", 7, "2999-01-01"),
    "go/tests.md": post("Testing", 1, "2024-03-15"),
    "series/learning-go.md": """
        ---
        name: Learning Go
        parts:
          - basics
          - types
          - draft.md
          - tests
          - planned: Modules and Workspaces
        ---
        Go from the start.
    """,
    # A long one, to read hours: 50 + 20 minutes.
    "long/one.md": post("Long One", 50, "2024-01-01", series="Slow Reading"),
    "long/two.md": post("Long Two", 20, "2024-01-02", series="Slow Reading"),
    "single.md": post("Only Part", 3, "2024-02-01", series="One Shot"),
}


def left(page, series_name):
    [box] = [b for b in page.select("nav.series-box") if b.select_one("a.series-name").get_text() == series_name]
    found = box.select_one(".series-left")
    return None if found is None else " ".join(found.get_text().split())


def meta(page, series_name=None):
    """(part count, total time) as the series meta line shows them."""
    if series_name is None:
        lines = page.select(".series-meta")
        assert len(lines) == 1
        line = lines[0]
    else:
        [summary] = [
            s for s in page.select(".series-summary") if s.select_one(".series-title").get_text() == series_name
        ]
        line = summary.select_one(".series-meta")
    return line.select_one(".series-count").get_text(), line.select_one(".series-total-time").get_text()


def test_each_part_shows_the_parts_and_minutes_left_from_it_on(tmp_path):
    site = build_site(tmp_path, SERIES)
    # Published parts: Basics 2, Types 5, Testing 1; the draft, the scheduled post and the
    # planned part count nothing.
    assert left(site.html("basics/"), "Learning Go") == "3 parts, 8 min left"
    assert left(site.html("types/"), "Learning Go") == "2 parts, 6 min left"
    assert left(site.html("testing/"), "Learning Go") == "last part"
    assert left(site.html("long-one/"), "Slow Reading") == "2 parts, 1 h 10 min left"


def test_a_series_of_one_part_says_nothing_about_time_left(tmp_path):
    site = build_site(tmp_path, SERIES)
    assert left(site.html("only-part/"), "One Shot") is None


def test_series_page_and_index_show_total_time_and_parts(tmp_path):
    site = build_site(tmp_path, SERIES)
    assert meta(site.html("series/learning-go/")) == ("3 parts", "8 min read")
    assert meta(site.html("series/slow-reading/")) == ("2 parts", "1 h 10 min read")
    index = site.html("series/")
    assert meta(index, "Learning Go") == ("3 parts", "8 min read")
    assert meta(index, "Slow Reading") == ("2 parts", "1 h 10 min read")
    assert meta(index, "One Shot") == ("1 part", "3 min read")
    # The draft and the scheduled post are announced as coming, never counted.
    planned = [li.get_text(strip=True) for li in site.html("series/learning-go/").select(".series-planned li")]
    assert planned == ["Channels Draft", "Modules and Workspaces"]
