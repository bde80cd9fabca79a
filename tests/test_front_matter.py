"""Every post an author brings is read and published, or reported with its reason."""

import os
import subprocess
from pathlib import Path

import pytest
from sitebuild import build_site, rebuild

CORPUS = Path(__file__).parent / "corpus" / "migration"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("migration"), copy_from=CORPUS)


def test_every_corpus_file_is_published_or_reported(migrated):
    sources = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.md"))
    kept = {
        os.path.relpath(c.source_path, migrated.content)
        for kind in ("articles", "drafts", "hidden_articles", "pages")
        for c in migrated.contents(kind)
    }
    skipped = {os.path.relpath(p, migrated.content) for p in migrated.report.skipped}
    assert kept.isdisjoint(skipped)
    assert sorted(kept | skipped) == sources
    counts = migrated.report.counts
    assert counts["read"] == len(sources)
    assert counts["published"] + counts["drafts"] + counts["skipped"] == len(sources)


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("bad/invalid-yaml.md", 2, "not valid YAML"),
        ("bad/unclosed-fence.md", 1, "never closed"),
        ("bad/not-a-mapping.md", 2, "must be a mapping"),
        ("bad/empty.md", None, "empty"),
    ],
)
def test_unreadable_front_matter_is_skipped_with_file_line_and_advice(migrated, name, line, words):
    [problem] = [p for p in migrated.report.skipped.values() if p.path.endswith(name)]
    assert words in problem.message
    assert problem.line == line
    assert problem.severity == "error"
    expected = f"content/{name}:{line}: " if line else f"content/{name}: "
    assert str(problem).startswith(expected)
    assert ";" in problem.message, "the message says what to do"


@pytest.mark.parametrize(
    "name, key, line, words, title",
    [
        ("bad/wrong-types.md", "series", 4, "must be a name", "Wrong types"),
        ("bad/wrong-types.md", "tags", 5, "must be a list of names", "Wrong types"),
        ("bad/unreadable-date.md", "published", 3, "is not a date", "Unreadable date"),
        ("bad/indented.md", None, 1, "indented", "Indented front matter"),
        ("bad/latin1.md", None, 2, "not UTF-8", "Caf\u00e9 notes"),
        ("bad/no-front-matter.md", "title", 1, "first heading", "Just a heading"),
    ],
)
def test_readable_problems_are_warned_and_the_post_still_published(migrated, name, key, line, words, title):
    matching = [p for p in migrated.report.warnings if p.path.endswith(name) and p.key == key and words in p.message]
    assert len(matching) == 1, [str(p) for p in migrated.report.warnings]
    assert matching[0].line == line
    post = migrated.article(title)
    assert post.status == "published"
    assert migrated.exists(post.url)


def test_unreadable_date_falls_back_to_a_dated_post(migrated):
    post = migrated.article("Unreadable date")
    assert post.date.tzinfo is not None
    # One message: what was written, what to write, and which date the post has meanwhile.
    [problem] = [p for p in migrated.report.warnings if p.path.endswith("unreadable-date.md")]
    assert problem.key == "published" and problem.line == 3
    assert "is not a date" in problem.message and "write published: 2024-05-25" in problem.message
    assert f"modification time ({post.date:%Y-%m-%d})" in problem.message


@pytest.mark.parametrize(
    "title, date, modified",
    [
        ("Notes on Linear Regression", "2019-04-02T21:15:00+02:00", None),
        ("Gradient checking", "2019-06-01T09:00:00+00:00", "2019-07-01T10:30:00+00:00"),
        ("Transformers, Part One", "2021-09-14T08:00:00-07:00", "2021-10-01T12:00:00-07:00"),
        ("Transformers, Part Two", "2021-09-21T00:00:00+00:00", None),
        ("First post in Astro", "2022-07-08T00:00:00+00:00", "2022-07-09T00:00:00+00:00"),
        ("Gatsby and Netlify CMS", "2020-05-26T10:11:12.345000+00:00", None),
        ("Notes in TOML", "2021-11-02T10:00:00+00:00", None),
        ("Pelican style metadata", "2015-05-03T18:00:00+00:00", None),
    ],
)
def test_dates_from_every_engine(migrated, title, date, modified):
    post = migrated.article(title)
    assert post.date.isoformat() == date
    assert (post.modified.isoformat() if hasattr(post, "modified") else None) == modified


def test_engine_specific_keys_map_to_the_same_metadata(migrated):
    jekyll = migrated.article("Notes on Linear Regression")
    assert jekyll.url == "blog/linear-regression/"
    assert migrated.exists("blog/linear-regression/")
    assert jekyll.author.name == "Ada Example"
    assert [t.name for t in jekyll.tags] == ["regression", "statistics"]
    assert jekyll.category.name == "ml"
    assert jekyll.description == "Fitting a line, and what the residuals tell you."

    hugo = migrated.article("Transformers, Part Two")
    assert hugo.metadata["series"] == ["Attention Is All I Read", "NLP Notes"]
    assert hugo.series_index == 2
    assert [t.name for t in migrated.article("Gradient checking").tags] == ["deep-learning", "debugging"]
    assert [t.name for t in migrated.article("Written on Windows").tags] == ["windows"]
    assert migrated.article("Saved with a BOM").status == "published"
    assert migrated.article("Pelican style metadata").metadata["series"] == ["Old Series"]
    assert not hasattr(migrated.article("First post in Astro"), "layout")
    assert migrated.article("First post in Astro").heroimage == "/blog-placeholder-3.jpg"


def test_drafts_from_hugo_and_jekyll_are_not_published(migrated):
    for title in ("Transformers, Part Three", "Half-written thoughts"):
        post = migrated.article(title)
        assert post.status == "draft"
        assert post.url.startswith("drafts/")
    home = migrated.html("/")
    assert not home.find(string=lambda s: "Half-written" in s)


def test_aliases_write_redirect_pages_to_the_post(migrated):
    for old in ("posts/transformers-1/", "2019/04/02/notes-on-linear-regression.html"):
        page = migrated.html(old)
        assert page.find("link", rel="canonical")["href"].startswith("https://blog.example.org/")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = refresh.split("url=", 1)[1]
        assert migrated.exists(target.removeprefix("https://blog.example.org/"))


def test_crlf_bom_and_leading_indent_of_the_body_are_kept_right(tmp_path):
    site = build_site(
        tmp_path,
        {
            "code.md": b"---\r\ntitle: Code first\r\ndate: 2022-01-01\r\n---\r\n"
            b"    indented = True\r\n\r\nNote: a body line\r\n",
            "bom.md": "\ufeff---\ntitle: With BOM\ndate: 2022-01-02\n---\nbody\n".encode(),
        },
    )
    page = site.html(site.article("Code first").url)
    assert page.find("pre").get_text().strip() == "indented = True"
    assert page.find(string=lambda s: "Note: a body line" in s.replace("\xa0", " "))  # typogrify: no widow
    assert site.article("With BOM").title == "With BOM"
    notes = sorted((p.path, p.severity, p.message.split(";")[0]) for p in site.report.warnings)
    assert notes == [
        ("content/bom.md", "note", "the file starts with a byte-order mark"),
        ("content/code.md", "note", "the file has Windows (CRLF) line ends"),
    ]
    assert site.report.counts["warnings"] == 0


def test_yaml_words_stay_words(tmp_path):
    site = build_site(tmp_path, {"no.md": "---\ntitle: No\ndate: 2022-01-01\ntags: [on, off, 2020]\n---\nx\n"})
    post = site.article("No")
    assert post.title == "No"
    assert [t.name for t in post.tags] == ["on", "off", "2020"]


def test_mixed_naive_and_aware_dates_build_in_order(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": "---\ntitle: Aware\ndate: 2020-05-25T02:50:54.615Z\nseries: S\n---\na\n",
            "b.md": "---\ntitle: Naive\ndate: 2020-06-01\nseries: S\n---\nb\n",
            "c.md": "---\ntitle: Spelled\ndate: 2015-05-03 6:00 pm\n---\nc\n",
            "d.md": "---\ntitle: Short\ndate: 2015-3-12 06:00\n---\nd\n",
        },
    )
    assert [a.title for a in site.contents("articles")] == ["Naive", "Aware", "Spelled", "Short"]
    assert site.article("Short").date.isoformat() == "2015-03-12T06:00:00+00:00"


def test_reserved_and_unknown_keys(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": "---\ntitle: Keys\ndate: 2022-01-01\ncontent: x\ntemplate: nosuch\n"
            "cover-image: a.png\nstatus: pending\n---\nbody\n",
        },
    )
    post = site.article("Keys")
    assert post.metadata["cover-image"] == "a.png"
    assert post.status == "draft"
    keys = {p.key for p in site.report.warnings}
    assert {"content", "template"} <= keys
    assert post.content.strip() == "<p>body</p>"


def test_two_posts_with_one_permalink_both_fall_back_with_a_warning(tmp_path):
    site = build_site(
        tmp_path,
        {
            "one.md": "---\ntitle: One\ndate: 2022-01-01\npermalink: /same/\n---\n1\n",
            "two.md": "---\ntitle: Two\ndate: 2022-01-02\npermalink: /same/\n---\n2\n",
        },
    )
    assert site.article("One").url == "one/"
    assert site.article("Two").url == "two/"
    assert not site.exists("same/")
    warnings = [str(p) for p in site.report.warnings if p.key == "permalink" and p.severity == "error"]
    assert len(warnings) == 2
    assert all("content/one.md" in w and "content/two.md" in w for w in warnings)


def test_urls_that_differ_only_in_case_are_both_published_with_a_warning_each(tmp_path):
    site = build_site(
        tmp_path,
        {
            "upper.md": "---\ntitle: Upper\ndate: 2022-01-01\npermalink: /Notes/\n---\n1\n",
            "lower.md": "---\ntitle: Lower\ndate: 2022-01-02\npermalink: /notes/\n---\n2\n",
            "other.md": "---\ntitle: Other\ndate: 2022-01-03\npermalink: /notes-2/\n---\n3\n",
        },
    )
    assert site.exists("Notes/") and site.exists("notes/")
    warnings = {p.path: str(p) for p in site.report.warnings if p.key == "permalink"}
    assert set(warnings) == {"content/upper.md", "content/lower.md"}
    assert "/notes/index.html (content/lower.md)" in warnings["content/upper.md"]
    assert "/Notes/index.html (content/upper.md)" in warnings["content/lower.md"]
    assert all("case" in warning for warning in warnings.values())


def test_colliding_slugs_get_numbered_and_nothing_is_overwritten(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a/weekly.md": "---\ntitle: Weekly notes\ndate: 2022-01-01\n---\nfirst\n",
            "b/weekly.md": "---\ntitle: Weekly notes\ndate: 2022-01-08\n---\nsecond\n",
            "c.md": "---\ntitle: Tags\ndate: 2022-01-09\n---\nnot the tag index\n",
            "pages/about.md": "---\ntitle: About\n---\nthe page\n",
            "about.md": "---\ntitle: About\ndate: 2022-01-10\n---\na post called About\n",
        },
    )
    assert site.html("weekly-notes/").find(string=lambda s: "first" in s)
    assert site.html("weekly-notes-2/").find(string=lambda s: "second" in s)
    assert site.article("Tags").url == "tags-2/"
    assert site.html("tags/").find(string=lambda s: "not the tag index" in s) is None
    about_post = [c for c in site.contents("articles") if c.title == "About"][0]
    assert about_post.url == "about-2/"
    slug_warnings = [str(p) for p in site.report.warnings if p.key == "slug"]
    assert any("content/b/weekly.md" in w and "content/a/weekly.md" in w for w in slug_warnings)


@pytest.mark.parametrize(
    "permalink",
    ["/../../escape/", "//evil.example/x/", "https://evil.example/", "/a/%2e%2e/%2e%2e/b/", "/a\\..\\b/", "/"],
)
def test_permalinks_cannot_leave_the_site(tmp_path, permalink):
    site = build_site(
        tmp_path,
        {"p.md": f"---\ntitle: Sneaky\ndate: 2022-01-01\npermalink: '{permalink}'\n---\nx\n"},
    )
    post = site.article("Sneaky")
    assert post.url == "sneaky/"
    assert [p.key for p in site.report.warnings] == ["permalink"]
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and site.output not in p.parents]
    assert all(site.content in p.parents or "cache" in p.parts or p.name == "published-urls.json" for p in outside)


def git(folder, *args, date=None):
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_missing_date_comes_from_the_first_git_commit_on_every_build(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    post = content / "undated.md"
    post.write_text("---\ntitle: Undated\n---\nfirst version\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "add", date="2021-03-04T05:06:07+01:00")
    post.write_text("---\ntitle: Undated\n---\nsecond version\n")
    git(tmp_path, "commit", "-qam", "edit", date="2022-01-01T00:00:00+00:00")

    site = build_site(tmp_path)
    assert site.article("Undated").date.isoformat() == "2021-03-04T05:06:07+01:00"
    os.utime(post, (1, 1))
    rebuild(site)
    assert site.article("Undated").date.isoformat() == "2021-03-04T05:06:07+01:00"
    [warning] = [p for p in site.report.warnings if p.key == "date"]
    assert "first git commit" in warning.message


def test_missing_date_policy_error_skips_with_the_reason(tmp_path):
    site = build_site(tmp_path, {"u.md": "---\ntitle: Undated\n---\nx\n"}, JOURNAL_MISSING_DATE="error")
    [problem] = site.report.skipped.values()
    assert problem.key == "date" and "content/u.md" in str(problem)
    assert site.report.counts["published"] == 0


def test_build_report_lists_every_skipped_file(tmp_path, capsys):
    site = build_site(
        tmp_path,
        {"good.md": "---\ntitle: Good\ndate: 2022-01-01\n---\nx\n", "bad.md": "---\ntitle: [\n---\nx\n"},
    )
    out = capsys.readouterr().out
    summary = [line for line in out.splitlines() if line.startswith("Build report:")]
    assert summary == ["Build report: 2 read, 1 published, 0 drafts, 0 hidden, 1 skipped, 0 errors, 0 warnings"]
    assert any(
        line.strip().startswith("content/bad.md:2: error[invalid-yaml]:") and line.endswith("(skipped)")
        for line in out.splitlines()
    )
    assert site.report.counts["skipped"] == 1


def test_content_files_no_reader_takes_are_reported_not_lost(tmp_path):
    site = build_site(
        tmp_path,
        {
            "post.md": "---\ntitle: Fine\ndate: 2022-01-01\n---\nx\n",
            "astro.mdx": "---\ntitle: MDX\n---\nimport X from './x.astro'\n",
            "notes.adoc": "= AsciiDoc\n\ntext\n",
            "jekyll.html": "---\ntitle: HTML post\n---\n<p>hi</p>\n",
            "images/photo.txt": "static file, copied",
            "notes/.hidden.md": "ignored: hidden files are not content",
        },
    )
    skipped = {p.path: p.message for p in site.report.skipped.values()}
    assert sorted(skipped) == ["content/astro.mdx", "content/notes.adoc"]
    assert "'.mdx'" in skipped["content/astro.mdx"]
    assert site.report.counts["read"] == 4
    assert site.report.counts["published"] == 2
    assert site.html(site.article("HTML post").url).find("p", string="hi")
    assert site.exists("images/photo.txt")


def test_posts_cannot_take_the_sites_own_paths(tmp_path):
    site = build_site(
        tmp_path,
        {
            "feed.md": "---\ntitle: Feed\ndate: 2022-01-01\nslug: atom.xml\n---\nx\n",
            "page.md": "---\ntitle: Paged\ndate: 2022-01-02\npermalink: /page/2/\n---\ny\n",
        },
        DEFAULT_PAGINATION=1,
    )
    assert site.article("Feed").url == "atom.xml-2/"
    assert site.article("Paged").url == "paged/"
    assert site.path("atom.xml").is_file()
    assert site.html("page/2/").find(string=lambda s: "y" == s.strip()) is None


def test_jekyll_and_hugo_permalink_placeholders_are_filled_in(tmp_path):
    site = build_site(
        tmp_path,
        {
            "python-module.md": "---\ntitle: Modules\ndate: 2022-06-17\n"
            "url: python-tutorial/:contentbasename\n---\nx\n",
            "dated.md": "---\ntitle: Dated Post\ndate: 2019-04-02 10:00\ncategories: [Notes]\n"
            "permalink: /:categories/:year/:month/:day/:title:output_ext\n---\ny\n",
            "odd.md": "---\ntitle: Odd\ndate: 2019-04-03\npermalink: /:nonsense/x/\n---\nz\n",
        },
    )
    assert site.article("Modules").url == "python-tutorial/python-module/"
    assert site.exists("python-tutorial/python-module/")
    assert site.article("Dated Post").url == "notes/2019/04/02/dated-post.html"
    assert site.exists("notes/2019/04/02/dated-post.html")
    assert site.article("Odd").url == "odd/"
    [problem] = [p for p in site.report.warnings if p.key == "permalink"]
    assert problem.line == 4 and ":nonsense" in problem.message


def test_hugo_shortcodes_and_liquid_tags_are_reported_by_the_build(tmp_path):
    """Built-ins become HTML (tests/test_shortcodes.py); what cannot be known is reported."""
    site = build_site(
        tmp_path,
        {
            "hugo.md": "---\ntitle: Hugo\ndate: 2022-01-01\n---\nIntro.\n\n{{< gallery dir=\"/photos\" >}}\n\n"
            "{{<sidenote>}}Careful.{{</sidenote>}}\n\n```go\n{{< not-a-problem-in-code >}}\n```\n\n"
            "Inline `{% raw %}` is fine.\n",
            "jekyll.md": "---\ntitle: Jekyll\ndate: 2022-01-02\n---\n"
            "{% include footer.html %}\n\nBy {{ page.author }}.\n",
        },
    )
    found = sorted((p.path, p.line) for p in site.report.warnings if "shows as raw text" in p.message)
    assert found == [("content/hugo.md", 7), ("content/jekyll.md", 5), ("content/jekyll.md", 7)]
    assert site.report.counts["errors"] == 3
    [guess] = [p for p in site.report.warnings if "not one of Hugo's own" in p.message]
    assert (guess.path, guess.line, guess.severity) == ("content/hugo.md", 9, "warning")
    assert site.article("Hugo").status == "published"


def test_a_jekyll_file_name_gives_a_dateless_post_its_date(tmp_path):
    site = build_site(
        tmp_path,
        {
            "_posts/2019-08-10-welcome-to-jekyll.md": "---\nlayout: post\ntitle: Welcome\n---\nHello.\n",
            "2020-01-02-dated.md": "---\ntitle: Dated\ndate: 2021-05-06\n---\nThe front matter wins.\n",
            "2019-13-45-not-a-date.md": "---\ntitle: Odd name\n---\nNo date in this name.\n",
        },
        TIMEZONE="Europe/Paris",
    )
    welcome = site.article("Welcome")
    assert (welcome.date.year, welcome.date.month, welcome.date.day, welcome.date.hour) == (2019, 8, 10, 0)
    assert welcome.date.utcoffset().total_seconds() == 7200
    assert site.article("Dated").date.date().isoformat() == "2021-05-06"
    by_file = {p.path: p for p in site.report.warnings if p.key == "date"}
    assert by_file["content/_posts/2019-08-10-welcome-to-jekyll.md"].severity == "note"
    assert "2019-08-10" in by_file["content/_posts/2019-08-10-welcome-to-jekyll.md"].message
    assert "content/2020-01-02-dated.md" not in by_file
    assert by_file["content/2019-13-45-not-a-date.md"].severity == "warning"
    assert site.report.counts["warnings"] == 1
