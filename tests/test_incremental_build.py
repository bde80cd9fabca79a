"""Rebuilds: only changed files are rewritten, stale ones removed, cached posts still report problems."""

import os

import pytest
from learning_journal.build_state import build_state
from learning_journal.read.reader import JournalReader
from sitebuild import build_site, rebuild


def post(title: str, date: str, body: str, tags: str = "notes", series: str | None = None) -> str:
    series_line = f"series: {series}\n" if series else ""
    return f"---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\n{series_line}---\n{body}\n"


POSTS = {
    "alpha.md": post("Alpha notes", "2024-01-01", "The first post, about *alpha*.", "greek"),
    "beta.md": post("Beta notes", "2024-01-02", "The second post, about beta.", "greek, letters"),
    "gamma.md": post("Gamma notes", "2024-01-03", "The third post, about gamma.", "letters"),
    "delta.md": post("Delta notes", "2024-01-04", "The fourth post, about delta.", "rivers"),
}


def snapshot(site) -> dict:
    """Each output file's bytes and mtime (ns)."""
    files = {}
    for path in site.output.rglob("*"):
        if path.is_file():
            files[str(path.relative_to(site.output))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return files


@pytest.fixture
def count_reads(monkeypatch):
    """How many files the project's reader really parses (not served from the cache)."""
    parsed = []
    original = JournalReader.read_source

    def counting(self, source_path, path, report):
        parsed.append(os.path.basename(source_path))
        return original(self, source_path, path, report)

    monkeypatch.setattr(JournalReader, "read_source", counting)
    return parsed


def test_rebuild_after_editing_one_post_rewrites_only_the_pages_that_show_it(tmp_path, count_reads):
    site = build_site(tmp_path, POSTS)
    before = snapshot(site)
    # Let a rewritten file get a visibly newer mtime even on coarse clocks.
    for path in site.output.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(before[str(path.relative_to(site.output))][1] - 10**9,) * 2)
    before = snapshot(site)
    count_reads.clear()

    (site.content / "delta.md").write_text(
        POSTS["delta.md"].replace("about delta.", "about the Delta of a river."), encoding="utf-8"
    )
    rebuild(site)
    after = snapshot(site)

    assert count_reads == ["delta.md"]
    assert "Delta of a river" in site.text("delta-notes/")
    assert set(after) == set(before)
    rewritten = {name for name in after if after[name][1] != before[name][1]}
    changed = {name for name in after if after[name][0] != before[name][0]}
    assert rewritten == changed
    assert "delta-notes/index.html" in changed
    # Every rewritten page shows the edited post; pages that do not show it are untouched.
    for name in changed:
        assert "delta-notes/" in after[name][0].decode("utf-8"), name
    assert "alpha-notes/index.html" not in changed
    assert "tags/greek/index.html" not in changed


def test_a_post_deleted_since_the_last_build_leaves_no_files_behind(tmp_path):
    site = build_site(tmp_path, POSTS, OUTPUT_RETENTION=["CNAME"])
    (site.output / "CNAME").write_text("blog.example.org\n")
    assert site.exists("delta-notes/") and site.exists("tags/rivers/")

    (site.content / "delta.md").unlink()
    rebuild(site)

    assert not site.exists("delta-notes/")
    assert not (site.output / "delta-notes").exists()
    assert not (site.output / "tags" / "rivers").exists()
    assert site.exists("alpha-notes/") and site.exists("tags/greek/")
    assert (site.output / "CNAME").read_text() == "blog.example.org\n"
    assert "Delta notes" not in site.text("/")


def test_a_post_read_from_the_cache_still_reports_its_problems(tmp_path, count_reads):
    files = {**POSTS, "untitled.md": "---\ndate: 2024-02-01\n---\n# A heading for a title\n\nBody text.\n"}
    first = build_site(tmp_path, files)
    first_messages = sorted(first.messages())
    assert any("untitled.md" in message and "title" in message for message in first_messages)

    count_reads.clear()
    # A new Pelican on the same folders, as a second `pelican` run would be.
    second = build_site(tmp_path)

    assert count_reads == []
    assert sorted(second.messages()) == first_messages
    assert second.report.counts == first.report.counts
    assert second.article("A heading for a title").title == "A heading for a title"
    # Tags come back as real Pelican tags with their URLs.
    assert [tag.url for tag in second.article("Beta notes").tags] == ["tags/greek/", "tags/letters/"]
    assert second.exists("tags/letters/")


def test_a_post_with_bad_front_matter_is_reported_on_every_build(tmp_path, count_reads):
    files = {**POSTS, "broken.md": "---\ntitle: [unclosed\ndate: 2024-02-01\n---\nBody.\n"}
    first = build_site(tmp_path, files)
    assert first.report.counts["skipped"] == 1

    count_reads.clear()
    second = build_site(tmp_path)

    assert count_reads == ["broken.md"]
    assert second.report.counts["skipped"] == 1
    assert any("broken.md" in message for message in second.messages())


def test_a_date_taken_from_the_file_time_is_read_again(tmp_path):
    files = {**POSTS, "undated.md": "---\ntitle: Undated notes\n---\nNo date here.\n"}
    first = build_site(tmp_path, files, JOURNAL_MISSING_DATE="mtime")
    source = first.content / "undated.md"
    os.utime(source, (1_500_000_000, 1_500_000_000))  # 2017-07-14

    second = build_site(tmp_path, JOURNAL_MISSING_DATE="mtime")

    assert second.article("Undated notes").date.year == 2017


def test_changed_settings_read_every_post_again(tmp_path, count_reads):
    build_site(tmp_path, POSTS)
    count_reads.clear()

    site = build_site(tmp_path, TIMEZONE="Europe/Paris")

    assert sorted(count_reads) == sorted(POSTS)
    assert site.article("Alpha notes").date.utcoffset().total_seconds() == 3600


def test_a_rebuild_leaves_the_same_files_as_a_clean_build(tmp_path):
    image = bytes(range(256)) * 4
    site = build_site(tmp_path / "incremental", {**POSTS, "images/photo.png": image})
    image_mtime = (site.output / "images" / "photo.png").stat().st_mtime_ns

    (site.content / "beta.md").unlink()
    (site.content / "gamma.md").write_text(POSTS["gamma.md"].replace("letters", "rivers"), encoding="utf-8")
    (site.content / "epsilon.md").write_text(post("Epsilon notes", "2024-01-05", "A new one.", "vowels"))
    rebuild(site)
    clean = build_site(
        tmp_path / "clean",
        {
            name: (site.content / name).read_bytes()
            for name in ("alpha.md", "gamma.md", "delta.md", "epsilon.md", "images/photo.png")
        },
    )

    incremental_files = {name: data for name, (data, _) in snapshot(site).items()}
    clean_files = {name: data for name, (data, _) in snapshot(clean).items()}
    assert incremental_files == clean_files
    assert "tags/letters/index.html" not in incremental_files
    assert (site.output / "images" / "photo.png").stat().st_mtime_ns == image_mtime
    # The staging folders are kept for the next build, but no file stays behind in them.
    staging = tmp_path / "incremental" / "cache" / "learning-journal" / "staging"
    assert staging.is_dir()
    assert [path for path in staging.rglob("*") if not path.is_dir()] == []


def test_posts_read_by_helper_processes_build_the_same_site(tmp_path, monkeypatch):
    import sys

    from learning_journal.build import parallel_read
    from sitebuild import PROJECT

    sys.path.insert(0, str(PROJECT / "benchmarks"))
    import corpus

    started = []
    original = parallel_read.Helpers.__init__

    def counting(self, shares, reader):
        started.append(sum(map(len, shares)))
        original(self, shares, reader)

    monkeypatch.setattr(parallel_read.Helpers, "__init__", counting)
    extra = {
        "untitled.md": "---\ndate: 2024-02-01\ntags: [x]\n---\n# Heading as title\n\nBody.\n",
        "broken.md": "---\ntitle: [unclosed\ndate: 2024-02-01\n---\nBody.\n",
        "undated.md": "---\ntitle: Undated notes\n---\nNo date here.\n",
    }
    sites = {}
    for processes in (1, 2):
        folder = tmp_path / f"p{processes}"
        corpus.generate(folder / "content", 40)
        for name, text in extra.items():
            (folder / "content" / name).write_text(text, encoding="utf-8")
        os.utime(folder / "content" / "undated.md", (1_500_000_000, 1_500_000_000))
        sites[processes] = build_site(folder, JOURNAL_READ_PROCESSES=processes, JOURNAL_MISSING_DATE="mtime")

    assert started == [21]  # 43 files: Pelican reads every other one itself
    one, two = sites[1], sites[2]
    assert {n: d for n, (d, _) in snapshot(two).items()} == {n: d for n, (d, _) in snapshot(one).items()}
    assert sorted(two.messages()) == sorted(one.messages())
    assert any("untitled.md" in m for m in two.messages()) and any("broken.md" in m for m in two.messages())
    assert two.report.counts == one.report.counts
    assert two.report.counts["published"] == 42

    # The helpers' results went into the cache: a rebuild reads nothing again but the undated post.
    again = build_site(tmp_path / "p2", JOURNAL_READ_PROCESSES=2, JOURNAL_MISSING_DATE="mtime")
    assert started == [21]
    assert sorted(again.messages()) == sorted(one.messages())


def test_a_damaged_cache_file_is_replaced_and_the_build_goes_on(tmp_path):
    cache_file = tmp_path / "cache" / "learning-journal" / "cache.sqlite3"
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(b"this is not a database" * 100)

    site = build_site(tmp_path, POSTS)

    assert site.report.counts["published"] == len(POSTS)
    assert cache_file.read_bytes().startswith(b"SQLite format 3")


def test_a_cache_inside_the_output_folder_does_not_lose_changed_files(tmp_path):
    site = build_site(tmp_path, POSTS, CACHE_PATH=str(tmp_path / "output" / ".cache"))
    (site.content / "delta.md").write_text(POSTS["delta.md"].replace("about delta.", "about a delta."))

    rebuild(site)

    assert "about a delta." in site.text("delta-notes/")
    assert site.exists("alpha-notes/") and site.exists("tags/rivers/")
    assert (site.output / ".cache" / "learning-journal" / "cache.sqlite3").is_file()


def test_switching_between_setups_keeps_the_cache_of_each(tmp_path, count_reads):
    """`journal serve` (a preview SITEURL) and `journal build` each find their own cache again."""
    build_site(tmp_path, POSTS)
    build_site(tmp_path, SITEURL="http://127.0.0.1:8000")
    assert sorted(count_reads) == sorted(list(POSTS) * 2)
    count_reads.clear()

    site = build_site(tmp_path)
    assert count_reads == []
    assert "127.0.0.1" not in site.text("alpha-notes/")

    preview = build_site(tmp_path, SITEURL="http://127.0.0.1:8000")
    assert count_reads == []
    assert "http://127.0.0.1:8000/alpha-notes/" in preview.text("")


def test_a_changed_shortcode_template_or_include_reads_posts_again(tmp_path, count_reads):
    """Shortcodes and Liquid includes are written out when a post is read: a change to their
    template must reach the page, although the post's own bytes did not change."""
    overrides = tmp_path / "overrides"
    (overrides / "shortcodes").mkdir(parents=True)
    template = overrides / "shortcodes" / "quiz.html"
    template.write_text('<p class="quiz">{{ params.q }}</p>\n', encoding="utf-8")
    files = {
        **POSTS,
        "quiz.md": post("Quiz post", "2024-02-01", '{{< quiz q="Two plus two?" >}}'),
        "_posts/2024-02-02-listing.md": post(
            "Listing", "2024-02-02", "{% include sign.html %}{% for p in site.posts %}[{{ p.title }}]{% endfor %}"
        ),
        "_includes/sign.html": "<p class=\"sign\">Bye</p>\n",
    }
    site = build_site(tmp_path, files, THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert site.html("quiz-post/").select_one("p.quiz").get_text().replace("\xa0", " ") == "Two plus two?"
    count_reads.clear()
    rebuild(site)
    assert count_reads == []

    template.write_text('<p class="quiz changed">{{ params.q }}</p>\n', encoding="utf-8")
    rebuild(site)
    assert site.html("quiz-post/").select_one("p.quiz.changed") is not None

    count_reads.clear()
    (site.content / "_includes" / "sign.html").write_text('<p class="sign">Later</p>\n', encoding="utf-8")
    rebuild(site)
    assert site.html("listing/").select_one("p.sign").get_text() == "Later"

    count_reads.clear()
    (site.content / "epsilon.md").write_text(post("Epsilon notes", "2024-03-01", "New."), encoding="utf-8")
    rebuild(site)
    assert "[Epsilon notes]" in site.html("listing/").get_text()
    assert "alpha.md" not in count_reads  # a post that does not list the others is not read again


def test_every_file_the_plugin_writes_goes_through_the_writer(tmp_path):
    """sitemap.xml, robots.txt, feeds, redirect pages and notebook images: a rebuild with nothing
    changed finds each of them unchanged through the one writer, and no output file is touched."""
    from test_notebooks import lesson, write_notebook

    moved = post("Moved notes", "2024-01-05", "A post that moved.").replace("---\n", "---\naliases: [old/moved/]\n", 1)
    files = {**POSTS, "moved.md": moved, "ml/lesson.ipynb": write_notebook(lesson())}
    site = build_site(tmp_path, files)
    before = {name: (site.path(name).stat().st_mtime_ns, site.path(name).stat().st_ino) for name in site.files()}

    rebuild(site)
    writer = build_state(site.settings).writer
    own = {"sitemap.xml", "robots.txt", "atom.xml", "tags/greek/atom.xml", "old/moved/index.html"}
    own |= {name for name in site.files() if name.endswith(".png")}
    assert any(name.endswith(".png") for name in own)  # the notebook's image
    assert own <= writer.unchanged
    assert writer.changed == set()
    after = {name: (site.path(name).stat().st_mtime_ns, site.path(name).stat().st_ino) for name in site.files()}
    assert after == before  # theme files such as theme/css/pygments.css too
