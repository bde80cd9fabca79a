"""The series model on its own: plain objects in, series and navigation out, no Pelican run."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from learning_journal.site.series import (
    PartReference,
    SeriesFile,
    build_catalog,
    outline,
    series_slug,
)

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def article(slug, series=(), date=None, position=None, status="published", path=None):
    metadata = {"series": list(series)}
    if position is not None:
        metadata["series_index"] = position
    return SimpleNamespace(
        title=slug.replace("-", " ").title(),
        slug=slug,
        url=f"{slug}/",
        source_path=path or f"/site/content/{slug}.md",
        date=date or datetime(2024, 1, 1, tzinfo=UTC),
        status=status,
        metadata=metadata,
    )


def day(n, aware=True):
    moment = datetime(2024, 1, 1) + timedelta(days=n)
    return moment.replace(tzinfo=UTC) if aware else moment


def titles(series):
    return [part.slug for part in series.parts]


def test_slug_ignores_case_spacing_and_punctuation():
    assert series_slug("Math for ML") == series_slug("  math   FOR ml!! ") == series_slug("Math_for-ML")
    assert series_slug("Math for ML") != series_slug("Math for DL")
    assert series_slug("機械学習") != ""


def test_order_is_position_then_date_then_path():
    parts = [
        article("d", ["S"], day(1), position=4),
        article("a", ["S"], day(5), position=1),
        article("late", ["S"], day(9)),
        article("early", ["S"], day(2)),
        article("same-day-b", ["S"], day(3), path="/c/b.md"),
        article("same-day-a", ["S"], day(3), path="/c/a.md"),
    ]
    [series] = build_catalog(parts, now=NOW).series
    assert titles(series) == ["a", "d", "early", "same-day-a", "same-day-b", "late"]


def test_naive_and_aware_dates_sort_together():
    parts = [
        article("b", ["S"], day(3, aware=False)),
        article("a", ["S"], day(1, aware=True)),
    ]
    [series] = build_catalog(parts, now=NOW).series
    assert titles(series) == ["a", "b"]
    assert series.first_date == day(1) and series.latest.slug == "b"


def test_drafts_hidden_and_future_posts_are_not_parts():
    parts = [
        article("one", ["S"], day(1)),
        article("draft", ["S"], day(2), status="draft"),
        article("hidden", ["S"], day(3), status="hidden"),
        article("future", ["S"], NOW + timedelta(days=1)),
        article("two", ["S"], day(4)),
    ]
    catalog = build_catalog(parts, now=NOW)
    [series] = catalog.series
    assert titles(series) == ["one", "two"] and series.total == 2
    assert catalog.navigations_for(parts[1]) == []
    assert catalog.navigations_for(parts[3]) == []


def test_navigation_has_pelican_series_fields():
    parts = [article(slug, ["Series"], day(n)) for n, slug in enumerate(["p1", "p2", "p3"])]
    catalog = build_catalog(parts, now=NOW)
    first, middle, last = (catalog.navigations_for(p)[0] for p in parts)
    assert (middle.name, middle.index, middle.total, middle.slug) == (
        "Series",
        2,
        3,
        "series",
    )
    assert middle.all == parts and middle.all_previous == parts[:1] and middle.all_next == parts[2:]
    assert middle.previous is parts[0] and middle.next is parts[2]
    assert first.previous is None and first.all_previous == []
    assert last.next is None and last.all_next == []
    assert middle.url == "series/series/"
    assert middle.feeds == {
        "atom": "series/series/atom.xml",
        "rss": "series/series/rss.xml",
        "json": "series/series/feed.json",
    }
    assert middle.previous_link.url == "p1/" and middle.next_link.title == "P3"


def test_part_links_are_shared_by_every_post_of_a_series():
    parts = [article(f"p{n}", ["S"], day(n)) for n in range(5)]
    catalog = build_catalog(parts, now=NOW)
    navigations = [catalog.navigations_for(p)[0] for p in parts]
    assert all(nav.series is navigations[0].series for nav in navigations)
    assert all(nav.series.links is navigations[0].series.links for nav in navigations)


def test_post_in_two_series_keeps_its_primary_first():
    shared = article("shared", ["Zeta", "Alpha"], day(5), position=1)
    parts = [
        shared,
        article("alpha-1", ["Alpha"], day(1)),
        article("zeta-2", ["Zeta"], day(9)),
    ]
    catalog = build_catalog(parts, now=NOW)
    zeta, alpha = catalog.navigations_for(shared)
    assert (zeta.name, zeta.index) == ("Zeta", 1)
    # The position belongs to the primary series only: in Alpha, date order applies.
    assert (alpha.name, alpha.index) == ("Alpha", 2)


def test_near_duplicate_names_merge_under_the_most_used_spelling():
    parts = [
        article("a", ["Deep Learning"], day(1)),
        article("b", ["Deep Learning"], day(2)),
        article("c", ["deep-learning"], day(3)),
    ]
    catalog = build_catalog(parts, now=NOW)
    [series] = catalog.series
    assert series.name == "Deep Learning" and series.total == 3
    [problem] = catalog.problems
    assert problem.key == "series" and problem.path.endswith("c.md")


def test_duplicate_positions_are_reported_for_each_post():
    parts = [
        article("a", ["S"], day(1), position=1),
        article("b", ["S"], day(2), position=1),
    ]
    catalog = build_catalog(parts, now=NOW)
    assert titles(catalog.series[0]) == ["a", "b"]
    assert sorted(p.path for p in catalog.problems) == [
        "/site/content/a.md",
        "/site/content/b.md",
    ]
    assert {p.key for p in catalog.problems} == {"series_index"}


def test_description_file_lists_parts_adds_members_and_planned_titles():
    parts = [
        article("intro", [], day(9), path="/site/content/course/intro.md"),
        article("second", ["My Course"], day(1)),
        article("upcoming", [], day(3), status="draft"),
    ]
    description = SeriesFile(
        path="content/series/my-course.md",
        slug="my-course",
        name="My Course",
        status="complete",
        description="<p>Hi</p>",
        parts=[
            PartReference("course/intro.md"),
            PartReference("second"),
            PartReference("upcoming"),
            PartReference("The Finale", planned=True),
        ],
    )
    catalog = build_catalog(parts, [description], now=NOW)
    [series] = catalog.series
    assert titles(series) == ["intro", "second"]
    assert series.planned == ["Upcoming", "The Finale"]
    assert (series.status, series.description, series.source_path) == (
        "complete",
        "<p>Hi</p>",
        "content/series/my-course.md",
    )
    assert catalog.navigations_for(parts[0])[0].index == 1
    assert catalog.problems == []


def test_unknown_slug_in_a_description_file_is_reported():
    description = SeriesFile(
        path="content/series/s.md",
        slug="s",
        parts=[PartReference("no-such-post", line=4)],
    )
    catalog = build_catalog([article("real", ["S"], day(1))], [description], now=NOW)
    [problem] = catalog.problems
    assert (problem.path, problem.line, problem.key) == (
        "content/series/s.md",
        4,
        "parts",
    )
    assert catalog.series[0].planned == []


def test_series_without_public_parts_is_not_listed():
    catalog = build_catalog([article("d", ["Later"], day(1), status="draft")], now=NOW)
    assert catalog.series == []


def test_each_build_starts_from_nothing():
    first = build_catalog([article("a", ["Old Name"], day(1))], now=NOW)
    second = build_catalog([article("a", ["New Name"], day(1))], now=NOW)
    assert [s.name for s in first.series] == ["Old Name"]
    assert [s.name for s in second.series] == ["New Name"]


def test_outline_keeps_short_series_whole():
    assert outline(3, 5) == [(False, [1, 2, 3, 4, 5])]
    assert outline(1, 0) == []


def test_outline_folds_the_middle_of_long_series_around_the_current_part():
    runs = outline(15, 30)
    assert [folded for folded, _ in runs] == [False, True, False, True, False]
    shown = [i for folded, indexes in runs if not folded for i in indexes]
    assert shown == [1, 2, 13, 14, 15, 16, 17, 29, 30]
    assert sorted(i for _, indexes in runs for i in indexes) == list(range(1, 31))


def test_outline_never_folds_a_single_part():
    runs = outline(5, 25)
    assert [indexes for folded, indexes in runs if folded] == [list(range(8, 24))]
    assert all(len(indexes) > 1 for folded, indexes in runs if folded)


def test_description_file_name_wins_over_its_file_name_with_a_warning():
    description = SeriesFile(path="content/series/ml.md", slug="ml", name="Machine Learning", line_of={"name": 2})
    catalog = build_catalog([article("a", ["Machine Learning"], day(1))], [description], now=NOW)
    [series] = catalog.series
    assert (series.slug, series.source_path) == ("machine-learning", "content/series/ml.md")
    [problem] = catalog.problems
    assert (problem.key, problem.line) == ("name", 2) and "machine-learning.md" in problem.message


def test_second_description_of_the_same_series_is_ignored_with_a_warning():
    first = SeriesFile(path="content/series/a.md", slug="s", name="S", status="complete")
    second = SeriesFile(path="content/series/b.md", slug="s", name="s!", status="ongoing")
    catalog = build_catalog([article("a", ["S"], day(1))], [first, second], now=NOW)
    assert catalog.series[0].status == "complete"
    assert [p.path for p in catalog.problems if "already described" in p.message] == ["content/series/b.md"]


def test_time_left_sums_the_published_parts_from_each_one_on():
    timed = [
        (article("a", ["S"], day(1)), 4),
        (article("b", ["S"], day(2)), 7),
        (article("draft", ["S"], day(3), status="draft"), 30),
        (article("future", ["S"], datetime(2999, 1, 1, tzinfo=UTC)), 30),
        (article("c", ["S"], day(4)), 2),
    ]
    for post, minutes in timed:
        post.reading_time = minutes
    files = [SeriesFile(path="series/s.md", slug="s", parts=[PartReference("Planned One", planned=True)])]
    [series] = build_catalog([post for post, _ in timed], files, now=NOW).series
    assert series.reading_time == 13
    assert [link.minutes_left for link in series.links] == [13, 9, 2]
    assert series.planned == ["Planned One"]
