"""`journal serve` in Chromium: a saved post shows in the open page without a manual refresh; a
build error is drawn over the page (as text) while the last good page stays served; `journal
build` output never holds the reload script."""

import subprocess
import sys
import time
import urllib.request

import pytest
from sitebuild import require
from test_browser import CHROMIUM, CHROMIUM_FLAGS, missing_tools
from test_cli import fetch, free_port, post, wait_for

playwright_api = pytest.importorskip("playwright.sync_api")
JOURNAL = [sys.executable, "-m", "learning_journal.tools.cli"]
POST = "content/first-steps/02-live.md"


@pytest.fixture
def served(tmp_path):
    """A blog from `journal init` with one more post and a local template folder, served."""
    require(missing_tools())
    blog = tmp_path / "blog"
    subprocess.run([*JOURNAL, "init", str(blog)], check=True, capture_output=True, timeout=60)
    (blog / POST).write_text(post("Live", "2024-03-01", series="First Steps", body="First words here."))
    (blog / "theme" / "templates").mkdir(parents=True)
    (blog / "theme" / "templates" / "404.html").write_text('{% extends "base.html" %}')
    port = free_port()
    server = subprocess.Popen(
        [*JOURNAL, "serve", "--port", str(port)], cwd=blog, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: "First words" in (fetch(f"{base}/02-live/") or ""), 60)
        time.sleep(1)  # the watcher starts after the first build
        yield blog, base, server
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()


@pytest.fixture
def page():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium.new_page()
        chromium.close()


def body_has(page, text: str, seconds: float = 30) -> None:
    page.wait_for_function("text => document.body.innerText.includes(text)", arg=text, timeout=seconds * 1000)


def test_a_saved_post_reloads_the_open_page(served, page):
    blog, base, _ = served
    page.goto(f"{base}/02-live/", wait_until="load")
    assert "First words" in page.inner_text("article")
    page.evaluate("window.notReloaded = true")  # gone once the page reloads
    (blog / POST).write_text(post("Live", "2024-03-01", series="First Steps", body="Second words, saved."))
    body_has(page, "Second words")
    assert page.evaluate("window.notReloaded === undefined")
    assert "First words" not in page.inner_text("article")


def test_a_build_error_is_drawn_over_the_page_and_the_old_page_stays(served, page):
    blog, base, server = served
    page.goto(f"{base}/02-live/", wait_until="load")
    broken = blog / "theme" / "templates" / "article.html"
    broken.write_text('{% extends "base.html" %}{% block content %}{% if <b>oops</b> %}{% endblock %}')
    overlay = page.wait_for_selector("#journal-build-errors", timeout=30000)
    text = overlay.inner_text()
    assert "the build failed" in text and "theme/templates/article.html:1" in text
    assert "unexpected '<'" in text  # the message as text ...
    assert overlay.query_selector("b") is None  # ... never parsed as HTML
    assert "First words" in fetch(f"{base}/02-live/")  # the last good page is still served
    # Fixed: the overlay goes and the page is the new build.
    broken.unlink()
    (blog / POST).write_text(post("Live", "2024-03-01", series="First Steps", body="Fixed words, now saved."))
    body_has(page, "Fixed words")
    assert page.query_selector("#journal-build-errors") is None


def test_the_reload_script_is_added_by_the_server_only(served):
    blog, base, _ = served
    served_html = fetch(f"{base}/02-live/")
    assert "data-journal-reload" in served_html
    assert "data-journal-reload" not in (blog / "output" / "02-live" / "index.html").read_text(encoding="utf-8")
    with urllib.request.urlopen(f"{base}/theme/css/main.css", timeout=10) as response:
        assert b"data-journal-reload" not in response.read()
