"""Dates that cannot exist read like any unreadable date: one message naming the file, the
line, the key, what was written and what to write; the post is dated as if it had no date."""

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitebuild import build_site


def dated(value: str, title: str = "Post") -> str:
    return f"---\ntitle: {title}\ndate: {value}\n---\nBody.\n"


@pytest.mark.parametrize(
    "written, reason",
    [
        ("2020-02-30", "that month has no such day"),
        ("2021-13-01", "months go from 1 to 12"),
        ("2021-01-01 25:61", "hours go from 0 to 23"),
        ("2021-01-01T10:61:00", "minutes go from 0 to 59"),
        ("0000-01-01", "years start at 1"),
        ('"2021-02-29"', "that month has no such day"),
        ("2021-01-01T10:00:00+25:00", "a time zone offset lies between -23:59 and +23:59"),
        ("0001-01-01T00:00:00+01:00", "too near year 1 or year 9999"),
    ],
)
def test_an_impossible_date_gets_one_message_and_the_post_a_date(tmp_path, written, reason):
    site = build_site(tmp_path, {"post.md": dated(written)}, JOURNAL_MISSING_DATE="mtime")

    [post] = site.contents("articles")
    [problem] = site.report.warnings
    assert (problem.path, problem.line, problem.key) == ("content/post.md", 3, "date")
    assert f"'date' is not a date ('{written.strip(chr(34))}': {reason}" in problem.message
    assert "write date: 2024-05-25" in problem.message
    assert problem.message.endswith(f"until then the post is dated by the file's modification time ({post.date:%F})")
    mtime = os.stat(site.content / "post.md").st_mtime
    assert int(post.date.timestamp()) == int(mtime)
    assert site.report.skipped == {}


def test_an_impossible_date_with_missing_dates_refused_skips_the_post_with_one_reason(tmp_path):
    site = build_site(tmp_path, {"post.md": dated("2020-02-30"), "fine.md": dated("2020-02-28", "Fine")},
                      JOURNAL_MISSING_DATE="error")

    assert [a.source_path for a in site.contents("articles")] == [str(site.content / "fine.md")]
    [problem] = site.report.skipped.values()
    assert (problem.path, problem.line, problem.key) == ("content/post.md", 3, "date")
    assert "that month has no such day" in problem.message and "JOURNAL_MISSING_DATE is 'error'" in problem.message
    assert site.report.warnings == []


def test_an_impossible_update_date_is_left_out_with_one_message(tmp_path):
    site = build_site(tmp_path, {"post.md": "---\ntitle: Post\ndate: 2021-01-01\nupdated: 2021-02-30\n---\nx\n"})

    [post] = site.contents("articles")
    assert post.date.year == 2021 and not hasattr(post, "modified")
    [problem] = site.report.warnings
    assert (problem.line, problem.key) == (4, "updated")
    assert "that month has no such day" in problem.message and "no update date" in problem.message


def test_a_jekyll_post_with_an_impossible_date_keeps_its_file_name_date(tmp_path):
    site = build_site(tmp_path, {"2019-08-10-welcome.md": dated("2019-08-32")})

    [post] = site.contents("articles")
    assert f"{post.date:%Y-%m-%d}" == "2019-08-10"
    [problem] = site.report.warnings
    assert "until then the file name's date is used (2019-08-10)" in problem.message


digits = st.integers(min_value=0, max_value=99).map(str)
padded = st.integers(min_value=0, max_value=99).map(lambda n: f"{n:02d}")
years = st.integers(min_value=0, max_value=99999).map(lambda n: f"{n:04d}")
times = st.one_of(
    st.just(""),
    st.builds(lambda sep, h, m: f"{sep}{h}:{m}", st.sampled_from([" ", "T"]), padded | digits, padded),
    st.builds(lambda sep, h, m, s: f"{sep}{h}:{m}:{s}", st.sampled_from([" ", "T"]), padded, padded, padded),
    st.builds(lambda h, m, half: f" {h}:{m} {half}", digits, padded, st.sampled_from(["am", "pm", "AM"])),
)
zones = st.one_of(
    st.just(""),
    st.just("Z"),
    st.builds(lambda sign, h, m: f"{sign}{h}:{m}", st.sampled_from("+-"), padded, padded),
)
date_like = st.builds(
    lambda year, sep, month, day, time, zone: f"{year}{sep}{month}{sep}{day}{time}{zone}",
    years,
    st.sampled_from(["-", "/", "."]),
    padded | digits,
    padded | digits,
    times,
    zones,
)


@settings(max_examples=int(os.environ.get("JOURNAL_FUZZ_EXAMPLES", "12")))  # each example builds a site
@given(st.lists(st.tuples(date_like, st.booleans()), min_size=1, max_size=12))
def test_no_date_like_string_stops_a_post_or_asks_to_be_reported(written):
    files = {
        f"p{number}.md": dated(f'"{text}"' if quoted else text, f"Post {number}")
        for number, (text, quoted) in enumerate(written)
    }
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(Path(folder), files, JOURNAL_MISSING_DATE="mtime")
        kept = [c for kind in ("articles", "drafts", "hidden_articles") for c in site.contents(kind)]
        messages = [*site.report.warnings, *site.report.skipped.values()]
        assert [str(p) for p in messages if "please report" in p.message] == []
        assert site.report.skipped == {}
        assert len(kept) == len(files)
        for name in files:
            about_the_date = [p for p in messages if p.path == f"content/{name}"]
            assert len(about_the_date) <= 1, [str(p) for p in about_the_date]
            assert all(p.line == 3 and p.key == "date" for p in about_the_date)
