"""Deterministic and atomic builds, strict mode."""

import os
import shutil
import subprocess

import pytest
from learning_journal.build.atomic import STAGING_PREFIX, StrictBuildError
from sitebuild import PROJECT, build_site, rebuild
from test_cli import journal, make_project
from test_cli import post as cli_post


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


def git(folder, *args):
    moment = "2023-03-04T05:06:07+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}
    identity = ["-c", "user.name=Author", "-c", "user.email=author@example.org", "-c", "init.defaultBranch=main"]
    subprocess.run(["git", *identity, *args], cwd=folder, env=env, check=True, capture_output=True)


def test_two_clones_of_one_blog_build_byte_identical_sites(tmp_path, seeds):
    """Seeds, undated posts dated by git, series files, tags, feeds, sitemap and calendar."""
    source = tmp_path / "source"
    shutil.copytree(PROJECT / "content", source / "content")
    for seed in seeds.glob("*.md"):
        if seed.name != "README.md":
            shutil.copy(seed, source / "content" / seed.name)
    (source / "content" / "undated-notes.md").write_text(
        "---\ntitle: Undated notes\nseries: Math for Machine Learning\ntags: [notes, math]\n---\nNo date here.\n"
    )
    git(source, "init", "-q")
    git(source, "add", ".")
    git(source, "commit", "-q", "-m", "The blog")

    builds = []
    for name in ("one", "two"):
        git(tmp_path, "clone", "-q", str(source), name)
        builds.append(build_site(tmp_path / name))
    one, two = (snapshot(site.output) for site in builds)
    assert {"sitemap.xml", "atom.xml", "feed.json", "archives/index.html", "tags/notes/rss.xml"} <= one.keys()
    assert builds[0].article("Undated notes").date.isoformat() == "2023-03-04T05:06:07+00:00"
    assert builds[0].report.counts["skipped"] == 0
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []

    rebuild(builds[0])  # the same build again, as `journal serve` does: caches warm
    assert snapshot(builds[0].output) == one


def test_journal_build_strict_fails_and_leaves_the_output_as_it_was(tmp_path):
    project = make_project(tmp_path, {"good.md": cli_post("Good Post", "2024-01-01")})
    assert journal(project, "build").returncode == 0
    before = snapshot(project / "output")
    (project / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    (project / "content" / "new.md").write_text(cli_post("New Post", "2024-02-01"))

    strict = journal(project, "build", "--strict")
    assert strict.returncode == 1
    assert "content/broken.md:2" in strict.stdout + strict.stderr
    assert snapshot(project / "output") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(STAGING_PREFIX)] == []

    relaxed = journal(project, "build")
    assert relaxed.returncode == 0
    assert (project / "output" / "new-post" / "index.html").is_file()


def test_journal_build_that_crashes_while_writing_leaves_the_output_as_it_was(tmp_path):
    project = make_project(tmp_path, {"a.md": cli_post("Post A", "2024-01-01")})
    assert journal(project, "build").returncode == 0
    before = snapshot(project / "output")
    (project / "theme" / "templates" / "tag.html").write_text("{{ tag.no_such_thing.boom() }}")
    (project / "content" / "b.md").write_text(cli_post("Post B", "2024-01-02", extra="tags: [crash]"))

    crashed = journal(project, "build")
    assert crashed.returncode == 1
    assert "no_such_thing" in crashed.stdout + crashed.stderr
    assert snapshot(project / "output") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(STAGING_PREFIX)] == []


@pytest.mark.parametrize("setting", ["DRAFT_SAVE_AS", "PAGE_SAVE_AS", "ARTICLE_SAVE_AS"])
def test_a_kind_of_content_without_a_url_builds_instead_of_looping(tmp_path, setting):
    """`DRAFT_SAVE_AS = ""` with two drafts once looped for ever looking for a free slug."""
    from test_determinism import pelican

    project = make_project(tmp_path, {
        "one.md": "---\ntitle: Draft one\ndate: 2024-01-01\nstatus: draft\n---\nx\n",
        "two.md": "---\ntitle: Draft two\ndate: 2024-01-02\nstatus: draft\n---\nx\n",
        "post.md": "---\ntitle: Post\ndate: 2024-01-03\n---\nx\n",
        "other.md": "---\ntitle: Other\ndate: 2024-01-04\n---\nx\n",
        "pages/about.md": "---\ntitle: About\n---\nx\n",
        "pages/now.md": "---\ntitle: Now\n---\nx\n",
    })
    pelican(project, 0, None, f'{setting}=""', timeout=120)

    written = {str(p.relative_to(project / "output")) for p in (project / "output").rglob("index.html")}
    expected = {"post/index.html", "other/index.html", "about/index.html", "now/index.html",
                "drafts/draft-one/index.html", "drafts/draft-two/index.html"}
    left_out = {
        "DRAFT_SAVE_AS": {"drafts/draft-one/index.html", "drafts/draft-two/index.html"},
        "PAGE_SAVE_AS": {"about/index.html", "now/index.html"},
        "ARTICLE_SAVE_AS": {"post/index.html", "other/index.html"},
    }[setting]
    assert written & expected == expected - left_out
