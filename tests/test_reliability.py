"""Deterministic and atomic builds, strict mode."""

import shutil

import pytest
from learning_journal.atomic import STAGING_PREFIX, StrictBuildError
from sitebuild import PROJECT, build_site, rebuild


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_clean_builds_give_byte_identical_output(tmp_path):
    first = build_site(tmp_path / "one", copy_from=PROJECT / "content")
    second = build_site(tmp_path / "two", copy_from=PROJECT / "content")
    one, two = snapshot(first.output), snapshot(second.output)
    assert len(one) > 20
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_strict_mode_fails_before_writing_and_keeps_the_previous_output(tmp_path):
    site = build_site(tmp_path, {"good.md": "---\ntitle: Good\ndate: 2022-01-01\n---\nx\n"})
    before = snapshot(site.output)
    (site.content / "bad.md").write_text("---\ntitle: [\n---\nbroken\n")
    site.settings["JOURNAL_STRICT"] = True
    with pytest.raises(StrictBuildError, match=r"content/bad.md:2"):
        rebuild(site)
    assert snapshot(site.output) == before

    site.settings["JOURNAL_STRICT"] = False
    rebuild(site)
    assert site.report.counts["skipped"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)] == []


def test_a_build_that_crashes_while_writing_leaves_the_output_as_it_was(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "theme", theme)
    site = build_site(tmp_path, {"a.md": "---\ntitle: A\ndate: 2022-01-01\n---\nx\n"}, THEME=str(theme))
    before = snapshot(site.output)
    assert before
    (theme / "templates" / "article.html").write_text("{{ article.no_such_thing.boom() }}")
    (site.content / "b.md").write_text("---\ntitle: B\ndate: 2022-01-02\n---\ny\n")
    with pytest.raises(Exception, match="no_such_thing"):  # noqa: B017 - any crash will do
        rebuild(site)
    assert snapshot(site.output) == before


def test_retained_files_survive_the_swap(tmp_path):
    site = build_site(tmp_path, {"a.md": "---\ntitle: A\ndate: 2022-01-01\n---\nx\n"}, OUTPUT_RETENTION=["CNAME"])
    (site.output / "CNAME").write_text("blog.example.org\n")
    rebuild(site)
    assert (site.output / "CNAME").read_text() == "blog.example.org\n"
    assert site.exists("a/")
