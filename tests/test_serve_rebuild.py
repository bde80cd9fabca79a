"""`journal serve`'s rebuilds, in its own process as it runs them: what an edit changes in the
output, which posts are read again, the page written ahead of its rebuild, and a failed build
that leaves the last good output served. (The browser side is in test_live_reload.py.)"""

import io
import os
import zipfile

import pytest
from learning_journal.build import build_cache
from learning_journal.build.build_cache import BuildCache
from learning_journal.read.reader import JournalReader
from learning_journal.tools.init_blog import init_blog
from learning_journal.tools.serve import LiveSite, output_name

OLD_TITLE, NEW_TITLE = "Borrow Checker Basics", "Lifetimes Without Tears"


def post(title: str, date: str, series: str, tags: str, body: str, slug: str) -> str:
    return f'---\ntitle: "{title}"\ndate: {date}\nslug: {slug}\nseries: {series}\ntags: [{tags}]\n---\n{body}\n'


POSTS = {
    "rust/one.md": post("Cargo First Steps", "2024-01-01", "Learning Rust", "rust", "Cargo builds it.", "cargo"),
    "rust/two.md": post(OLD_TITLE, "2024-01-08", "Learning Rust", "rust", "The borrow checker says no.", "borrow"),
    "rust/three.md": post("Traits Tamed", "2024-01-15", "Learning Rust", "rust", "Traits are interfaces.", "traits"),
    "go/one.md": post("Goroutines Galore", "2024-02-01", "Learning Go", "go", "Goroutines are cheap.", "goroutines"),
    "go/two.md": post("Channels Calmly", "2024-02-08", "Learning Go", "go", "Channels carry values.", "channels"),
}


@pytest.fixture
def live(tmp_path, monkeypatch):
    """A blog from `journal init` with the posts above, built once by a LiveSite."""
    monkeypatch.chdir(tmp_path)  # load_settings moves into the project
    blog = tmp_path / "blog"
    init_blog(blog, "Live Notes", "Ada")
    for name, text in POSTS.items():
        (blog / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (blog / "content" / name).write_text(text, encoding="utf-8")
    messages = []
    site = LiveSite(blog, {}, messages.append)
    site.build_and_announce()
    assert site.state.errors == []
    site.messages = messages
    yield site
    build_cache.MEMORY.clear()


def output_files(site) -> dict:
    output = site.project / "output"
    return {
        str(path.relative_to(output)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in output.rglob("*")
        if path.is_file()
    }


def age_output(site) -> None:
    """Older mtimes, so that a rewritten file shows on any clock."""
    for path in (site.project / "output").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(path.stat().st_mtime_ns - 10**9,) * 2)


def readable(name: str, data: bytes) -> bytes:
    """A file's text as a reader sees it: an e-book's chapters unzipped."""
    if not name.endswith(".epub"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return b"".join(book.read(entry) for entry in book.namelist())


def edit(site, name: str, old: str, new: str) -> str:
    path = site.project / "content" / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return str(path)


def test_a_new_title_reaches_every_listing_and_feed_in_the_same_rebuild(live):
    age_output(live)
    before = output_files(live)
    showing = {name for name, (data, _) in before.items() if OLD_TITLE.encode() in readable(name, data)}
    assert {"index.html", "archives/index.html", "tags/rust/index.html", "atom.xml", "feed.json"} <= showing
    assert any(name.endswith(".epub") for name in showing)  # the series' e-book holds the title too
    assert any(name.startswith("series/") and name.endswith("index.html") for name in showing)
    assert any(name.startswith("series/") and name.endswith("atom.xml") for name in showing)

    path = edit(live, "rust/two.md", OLD_TITLE, NEW_TITLE)
    live.write_ahead([path])
    live.build_and_announce()
    after = output_files(live)

    assert live.state.errors == []
    assert set(after) == set(before)
    for name in showing:  # every page and feed that showed the title shows the new one
        text = readable(name, after[name][0])
        assert NEW_TITLE.encode() in text and OLD_TITLE.encode() not in text, name
    rewritten = {name for name in after if after[name][1] != before[name][1]}
    assert rewritten == {name for name in after if after[name][0] != before[name][0]}
    assert rewritten <= showing  # nothing else was written again
    assert "tags/go/index.html" not in rewritten and "goroutines/index.html" not in rewritten


def test_a_text_edit_reads_one_post_and_serves_its_page_before_the_rebuild(live, monkeypatch):
    parsed, decoded = [], []
    read_source, decode = JournalReader.read_source, BuildCache.decode
    monkeypatch.setattr(
        JournalReader, "read_source", lambda self, path, *rest: parsed.append(path) or read_source(self, path, *rest)
    )
    monkeypatch.setattr(BuildCache, "decode", lambda self, *args: decoded.append(decode(self, *args)) or decoded[-1])
    page = "borrow/index.html"
    opened_at = live.state.version  # a browser tab on the post's page, and one on another post
    path = edit(live, "rust/two.md", "says no.", "says no, then yes.")

    live.write_ahead([path])
    early = live.state.early[page][0]
    assert "then yes" in early.decode("utf-8")  # served from memory, already
    assert live.state.stale(opened_at, page) and not live.state.stale(opened_at, "goroutines/index.html")
    reloaded_at = live.state.version
    live.build_and_announce()

    assert (live.project / "output" / page).read_bytes() == early
    assert live.state.early == {}
    assert not live.state.stale(reloaded_at, page)  # the rebuild wrote the same bytes: no second reload
    assert live.state.stale(reloaded_at, "index.html")  # the home page shows the new summary
    assert "then yes" in (live.project / "output" / "index.html").read_text(encoding="utf-8")
    # Read again: the edited post once ahead of the rebuild and once in it; nothing else, and no
    # post unpickled from the cache file (only what pages showed, for the page memo).
    assert [os.path.basename(p) for p in parsed] == ["two.md", "two.md"]
    assert decoded and not [entry for entry in decoded if len(entry) == 3 and isinstance(entry[1], dict)]


def test_a_failed_rebuild_keeps_the_last_output_and_takes_back_the_early_page(live):
    page = "borrow/index.html"
    before = (live.project / "output" / page).read_bytes()
    template = live.project / "theme" / "templates" / "tag.html"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("{% extends 'base.html' %}{% block content %}{% if %}{% endblock %}")
    path = edit(live, "rust/two.md", "says no.", "says maybe.")

    live.write_ahead([path])  # the last good build's templates render the post's page
    assert b"says maybe" in live.state.early[page][0]
    shown_at = live.state.version
    live.build_and_announce()

    assert live.state.errors and "theme/templates/tag.html" in live.state.errors[0]
    assert any("build error" in message and "tag.html" in message for message in live.messages)
    assert (live.project / "output" / page).read_bytes() == before  # the last good output
    assert live.state.early == {} and live.state.stale(shown_at, page)  # the tab goes back to it


def test_output_names_of_urls():
    assert output_name("/") == "index.html"
    assert output_name("/borrow/") == "borrow/index.html"
    assert output_name("/tags/rust/index.html?x=1") == "tags/rust/index.html"
    assert output_name("/a%20b/") == "a b/index.html"
    assert output_name("/../../etc/passwd") == "etc/passwd"



def test_a_page_written_ahead_during_a_rebuild_outlives_that_rebuild(live):
    """A save while a rebuild runs: its page, written ahead, is newer than what that rebuild
    publishes, so it stays served and its tab is not sent back to the older text."""
    page = "borrow/index.html"
    state = live.state
    started = state.serial  # a rebuild starts (for some other save) ...
    path = edit(live, "rust/two.md", "says no.", "said during the rebuild.")
    live.write_ahead([path])  # ... and this save's page is written ahead meanwhile
    shown_at = state.version
    output = str(live.project / "output")
    state.publish([], {page, "index.html"}, output=output, started=started)  # that rebuild ends

    assert b"said during the rebuild" in state.early[page][0]
    assert not state.stale(shown_at, page) and state.stale(shown_at, "index.html")
    live.build_and_announce()  # the rebuild for the save publishes the page
    assert state.early == {} and not state.stale(shown_at + 1, page)
    assert b"said during the rebuild" in (live.project / "output" / page).read_bytes()
