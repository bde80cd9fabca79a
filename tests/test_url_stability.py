"""A URL once published does not move silently: slugs come from file names, and a post whose
URL changes between builds is reported with both URLs and keeps a redirect from the old one."""

import json

from sitebuild import SITEURL, build_site, rebuild, write_files
from test_cli import journal, make_project, post


def redirect_target(site, url: str) -> str | None:
    """Where the page at `url` sends readers: its canonical link, which its refresh agrees with."""
    if not site.exists(url):
        return None
    page = site.html(url)
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})
    if refresh is None:
        return None
    canonical = page.find("link", rel="canonical")["href"]
    assert refresh["content"].split("url=", 1)[1] == canonical
    return canonical


def test_a_title_edit_does_not_move_a_post(tmp_path):
    files = {
        "rust/ownership-basics.md": post("Ownership, the Basics", "2024-01-01"),
        "bundle/index.md": post("A Post Bundle", "2024-01-02"),
        "2019-08-10-welcome.md": post("Welcome to the Blog", "2019-08-10"),
        "titled.md": post("Titled", "2024-01-03", extra="slug: my-own-slug"),
    }
    site = build_site(tmp_path, files, SLUGIFY_SOURCE="basename")  # as `journal init` blogs have it
    urls = {c.source_path.split("content/")[1]: c.url for c in site.contents()}
    assert urls == {
        "rust/ownership-basics.md": "ownership-basics/",
        "bundle/index.md": "bundle/",
        "2019-08-10-welcome.md": "welcome/",
        "titled.md": "my-own-slug/",
    }
    write_files(site.content, {"rust/ownership-basics.md": post("Ownership: Moves and Borrows", "2024-01-01")})
    rebuild(site)
    assert site.article("Moves and Borrows").url == "ownership-basics/"
    assert not [p for p in site.report.problems() if p.code == "url-moved"]


def test_with_title_slugs_a_title_edit_moves_the_post_with_a_redirect(tmp_path):
    site = build_site(tmp_path, {"rust/notes.md": post("Ownership, the Basics", "2024-01-01")}, SLUGIFY_SOURCE="title")
    assert site.article("Ownership").url == "ownership-the-basics/"
    write_files(site.content, {"rust/notes.md": post("Ownership: Moves and Borrows", "2024-01-01")})
    rebuild(site)
    assert site.article("Ownership").url == "ownership-moves-and-borrows/"
    [moved] = [p for p in site.report.problems() if p.code == "url-moved"]
    assert moved.path == "content/rust/notes.md" and "/ownership-the-basics/" in moved.message
    assert redirect_target(site, "ownership-the-basics/") == f"{SITEURL}/ownership-moves-and-borrows/"


def test_a_new_blog_takes_slugs_from_file_names(tmp_path):
    assert journal(tmp_path, "init", "blog").returncode == 0
    blog = tmp_path / "blog"
    write_files(blog / "content", {"notes-on-rust.md": post("A Title That Will Change", "2024-01-01")})
    built = journal(blog, "build")
    assert built.returncode == 0, built.stderr
    assert (blog / "output" / "notes-on-rust" / "index.html").is_file()


def test_a_moved_post_is_reported_and_keeps_a_redirect_in_every_later_build(tmp_path):
    files = {"notes/first.md": post("First", "2024-01-01"), "notes/other.md": post("Other", "2024-01-02")}
    site = build_site(tmp_path, files)
    assert site.exists("first/")
    write_files(site.content, {"notes/first.md": post("First", "2024-01-01", extra="slug: first-steps")})
    rebuild(site)
    [moved] = [p for p in site.report.problems() if p.code == "url-moved"]
    assert moved.path == "content/notes/first.md" and moved.severity == "warning"
    assert "/first/" in moved.message and "/first-steps/" in moved.message
    assert redirect_target(site, "first/") == f"{SITEURL}/first-steps/"
    assert site.exists("first-steps/")
    # A third build: nothing moved this time, the redirect is still written, the move remembered.
    rebuild(site)
    assert redirect_target(site, "first/") == f"{SITEURL}/first-steps/"
    [remembered] = [p for p in site.report.problems() if p.code == "url-moved"]
    assert remembered.severity == "note"
    # Moved again: both old URLs lead to the newest.
    write_files(site.content, {"notes/first.md": post("First", "2024-01-01", extra="slug: first-steps-in-rust")})
    rebuild(site)
    for old in ("first/", "first-steps/"):
        assert redirect_target(site, old) == f"{SITEURL}/first-steps-in-rust/"
    record = json.loads((tmp_path / "published-urls.json").read_text())
    assert record["urls"]["notes/first.md"] == "first-steps-in-rust/"
    assert record["moved"] == {"first-steps/": "notes/first.md", "first/": "notes/first.md"}


def test_a_moved_url_is_remembered_when_the_output_and_cache_are_gone(tmp_path):
    site = build_site(tmp_path, {"a.md": post("A", "2024-01-01")})
    write_files(site.content, {"a.md": post("A", "2024-01-01", extra="slug: a-new-name")})
    rebuild(site)
    # A fresh clone in CI: no output, no cache; the record is committed with the blog.
    fresh = tmp_path / "clone"
    fresh.mkdir()
    (fresh / "published-urls.json").write_bytes((tmp_path / "published-urls.json").read_bytes())
    clone = build_site(fresh, copy_from=site.content)
    assert redirect_target(clone, "a/") == f"{SITEURL}/a-new-name/"


def test_an_old_url_another_post_now_has_is_not_redirected(tmp_path):
    site = build_site(tmp_path, {"a.md": post("A", "2024-01-01")})
    write_files(
        site.content,
        {"a.md": post("A", "2024-01-01", extra="slug: b"), "c.md": post("C", "2024-01-02", extra="slug: a")},
    )
    rebuild(site)
    assert site.article("C").url == "a/"
    assert redirect_target(site, "a/") is None
    assert site.html("a/").find("h1").get_text(strip=True) == "C"
    [moved] = [p for p in site.report.problems() if p.code == "url-moved"]
    assert moved.path == "content/a.md" and "content/c.md" in moved.message


def test_moves_can_be_reported_without_redirects(tmp_path):
    site = build_site(tmp_path, {"a.md": post("A", "2024-01-01")}, JOURNAL_REDIRECT_MOVED=False)
    write_files(site.content, {"a.md": post("A", "2024-01-01", extra="slug: elsewhere")})
    rebuild(site)
    [moved] = [p for p in site.report.problems() if p.code == "url-moved"]
    assert "no redirect" in moved.message
    assert not site.exists("a/")


def test_journal_check_lists_a_move_and_writes_nothing(tmp_path):
    project = make_project(tmp_path, {"a.md": post("A", "2024-01-01")})
    assert journal(project, "build").returncode == 0
    record = (project / "published-urls.json").read_text()
    write_files(project / "content", {"a.md": post("A", "2024-01-01", extra="slug: renamed")})
    result = journal(project, "check")
    assert "content/a.md: warning[url-moved]:" in result.stdout, result.stdout
    assert "/a/" in result.stdout and "/renamed/" in result.stdout
    assert (project / "published-urls.json").read_text() == record
