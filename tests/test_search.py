"""Search: the Pagefind index of a real build (read back from its fragment files), the
/search/ page with and without JavaScript or an index, and indexing only when posts change."""

import gzip
import json
from pathlib import Path

from learning_journal.build_state import build_state
from sitebuild import SITEURL, build_site, rebuild, write_files


def post(title, date, body, series=None, tags=None, **keys):
    lines = [f'title: "{title}"', f"date: {date}"]
    if series:
        lines.append(f"series: {series}")
    if tags:
        lines.append(f"tags: [{', '.join(tags)}]")
    lines += [f"{key}: {value}" for key, value in keys.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


BLOG = {
    "rust/one.md": post(
        "Ownership Basics",
        "2024-01-01",
        "Borrowing explained with a **zebrafish** example.",
        series="Learning Rust",
        tags=["rust", "memory"],
    ),
    "rust/two.md": post(
        "Lifetimes", "2024-01-08", "Lifetimes tie references together.", series="Learning Rust", tags=["rust"]
    ),
    "rust/draft.md": post("Async Draft", "2024-01-09", "An unfinished quokka.", series="Learning Rust", status="draft"),
    "misc/books.md": post("Books I Read", "2024-02-01", "A list with one axolotl.", tags=["books"]),
    "pages/about.md": "---\ntitle: About\n---\nThe about page mentions a narwhal.\n",
}


def fragments(site) -> dict:
    """URL -> what Pagefind stored for each indexed page (its fragment files are gzip'd JSON)."""
    found = {}
    for path in sorted((site.output / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd") :])
        found[record["url"]] = record
    return found


def indexed_build(tmp_path, files=BLOG, **overrides):
    return build_site(tmp_path, files, JOURNAL_SEARCH_INDEX=True, **overrides)


def test_only_published_posts_are_indexed_with_title_series_part_and_filters(tmp_path):
    site = indexed_build(tmp_path)
    records = fragments(site)
    assert sorted(records) == ["/books-i-read/", "/lifetimes/", "/ownership-basics/"]
    lifetimes = records["/lifetimes/"]
    assert lifetimes["meta"]["title"] == "Lifetimes"
    assert lifetimes["meta"]["series"] == "Learning Rust"
    assert lifetimes["meta"]["part"] == "Part 2 of 2"
    assert lifetimes["meta"]["series_url"] == f"{SITEURL}/series/learning-rust/"
    assert lifetimes["filters"] == {"series": ["learning-rust"], "tag": ["rust"]}
    assert sorted(records["/ownership-basics/"]["filters"]["tag"]) == ["memory", "rust"]
    books = records["/books-i-read/"]
    assert "series" not in books["meta"] and "series" not in books["filters"]
    # The words of the post, not its navigation, dates or tag list.
    assert "zebrafish" in records["/ownership-basics/"]["content"]
    assert "Ownership Basics" not in lifetimes["content"]
    assert "min read" not in lifetimes["content"]
    # Pagefind's own interfaces are not published; the theme has its own script.
    bundle = {path.name for path in (site.output / "pagefind").iterdir()}
    assert "pagefind.js" in bundle and "pagefind-entry.json" in bundle
    assert not [name for name in bundle if name.startswith("pagefind-ui")]


def test_search_page_loads_its_script_from_the_site_and_offers_every_series_and_tag(tmp_path):
    site = indexed_build(tmp_path)
    page = site.html("search/")
    [script] = page.find_all("script", src=True)
    assert script["src"] == f"{SITEURL}/theme/js/search.js"
    assert (site.output / "theme" / "js" / "search.js").is_file()
    form = page.select_one("form#search-form")
    assert form["data-bundle"] == f"{SITEURL}/pagefind/"
    options = {select["name"]: [o["value"] for o in select.find_all("option")] for select in form.find_all("select")}
    assert options == {"series": ["", "learning-rust"], "tag": ["", "books", "memory", "rust"]}
    # Without JavaScript: the series and tag indexes, as links.
    links = {a["href"] for a in page.select(".search-page ul a")}
    assert f"{SITEURL}/series/learning-rust/" in links
    assert {f"{SITEURL}/tags/{tag}/" for tag in ("books", "memory", "rust")} <= links
    assert page.find("noscript")
    # Only /search/ loads a script.
    for name in ("", "lifetimes/", "series/learning-rust/", "tags/"):
        assert not site.html(name).find_all("script", src=True), name


def test_a_series_page_searches_that_series(tmp_path):
    site = indexed_build(tmp_path)
    form = site.html("series/learning-rust/").select_one("form.series-search")
    assert form["action"] == f"{SITEURL}/search/"
    assert form.find("input", attrs={"name": "series"})["value"] == "learning-rust"
    assert form.find("input", attrs={"name": "q"})
    assert form.find("label")["for"] == form.find("input", attrs={"name": "q"})["id"]
    nav = [a.get_text() for a in site.html("lifetimes/").select("header nav a")]
    assert "Search" in nav


def test_a_preview_without_index_says_search_comes_with_the_production_build(tmp_path):
    site = build_site(tmp_path, BLOG)  # pelicanconf.py: no index
    page = site.html("search/")
    assert not page.find_all("script", src=True)
    assert not page.select_one("form#search-form")
    assert "production build" in page.select_one(".search-page .note").get_text()
    assert page.select(".search-page ul a")
    assert not (site.output / "pagefind").exists()


def test_search_off_writes_no_page_and_no_link(tmp_path):
    site = build_site(tmp_path, BLOG, JOURNAL_SEARCH=False, JOURNAL_SEARCH_INDEX=True)
    assert not site.exists("search/")
    assert not (site.output / "pagefind").exists()
    assert "Search" not in [a.get_text() for a in site.html("").select("header nav a")]
    assert not site.html("series/learning-rust/").select_one("form.series-search")


def bundle_files(site) -> dict:
    folder = site.output / "pagefind"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pagefind_runs_again_only_when_a_post_page_changed(tmp_path):
    site = indexed_build(tmp_path)
    first = build_state(site.settings).search
    assert (first.pages, first.indexed) == (3, True)
    before = bundle_files(site)

    rebuild(site)
    unchanged = build_state(site.settings).search
    assert (unchanged.pages, unchanged.changed, unchanged.indexed) == (3, 0, False)
    assert bundle_files(site) == before

    write_files(site.content, {"misc/books.md": BLOG["misc/books.md"] + "\nAlso a pangolin.\n"})
    rebuild(site)
    edited = build_state(site.settings).search
    assert (edited.changed, edited.indexed) == (1, True)
    assert "pangolin" in fragments(site)["/books-i-read/"]["content"]

    (site.content / "misc" / "books.md").unlink()
    rebuild(site)
    removed = build_state(site.settings).search
    assert (removed.pages, removed.changed, removed.indexed) == (2, 1, True)
    assert sorted(fragments(site)) == ["/lifetimes/", "/ownership-basics/"]


def stable_part(files: dict) -> dict:
    """The bundle without what Pagefind writes in an order of its own on every run (a known Pagefind
    limitation): its filter files, and the meta and entry files that name them by their hashes.
    Every page fragment and word index is compared byte for byte."""
    unstable = ("filter/", "pagefind-entry.json", "pagefind.en_")
    return {name: data for name, data in files.items() if not name.startswith(unstable)}


def test_the_index_is_the_same_bytes_from_a_clean_build(tmp_path):
    site = indexed_build(tmp_path / "a")
    write_files(site.content, {"misc/books.md": BLOG["misc/books.md"] + "\nAlso a pangolin.\n"})
    rebuild(site)
    clean = indexed_build(tmp_path / "b", {**BLOG, "misc/books.md": BLOG["misc/books.md"] + "\nAlso a pangolin.\n"})
    incremental, fresh = bundle_files(site), bundle_files(clean)
    assert any(name.endswith(".pf_fragment") for name in incremental)  # fragments are compared byte for byte
    assert stable_part(incremental) == stable_part(fresh)
    filters = [sum(name.startswith("filter/") for name in files) for files in (incremental, fresh)]
    assert filters[0] == filters[1] > 0
    assert Path(site.output / "pagefind").is_dir()


def test_a_failed_pagefind_run_is_a_build_error_and_publishes_no_index(tmp_path, monkeypatch):
    broken = tmp_path / "broken-pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: disk full while writing the index' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    site = indexed_build(tmp_path)
    [error] = [p for p in site.report.warnings if p.severity == "error"]
    assert "exit code 3" in error.message and "disk full while writing the index" in error.message
    assert not (site.output / "pagefind").exists()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    rebuild(site)  # the next build tries again, though no post changed
    assert build_state(site.settings).search.indexed
    assert fragments(site)
