"""Search in headless Chromium, keyboard only: the sample blog built with its search index,
served locally; typing finds a post, the series filter narrows the list, axe finds nothing.

Reuses the theme's browser set-up (test_browser.py): Debian's Chromium, axe-core from npm.
"""

import http.server
import socket
import threading
from functools import partial

import pytest
from sitebuild import PROJECT, build_site, require
from test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_FLAGS,
    WIDTHS,
    QuietHandler,
    axe_violations,
    missing_tools,
    playwright_api,
    visit,
)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, started as the theme's browser tests start it."""
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    require(missing_tools())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    site = build_site(
        tmp_path_factory.mktemp("search"),
        copy_from=PROJECT / "content",
        SITEURL=base,
        FEED_DOMAIN=base,
        JOURNAL_SEARCH_INDEX=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(QuietHandler, directory=str(site.output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()
    server.server_close()


def results(page) -> list[tuple[str, str]]:
    """(title, series badge) of every result listed."""
    listed = page.evaluate(
        """() => [...document.querySelectorAll('#search-results > li')].map(li => [
            li.querySelector('h2').textContent,
            li.querySelector('.series-badge')?.textContent.replace(/\\s+/g, ' ').trim() ?? ''])"""
    )
    return [tuple(item) for item in listed]


def tab_to(page, element_id, presses=40):
    """Press Tab until `element_id` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with Tab")


def wait_for_status(page, text):
    page.wait_for_function("text => document.getElementById('search-status').textContent.includes(text)", arg=text)


@pytest.mark.parametrize("width", WIDTHS)
def test_typing_a_word_from_one_post_lists_that_post_and_axe_finds_nothing(chromium, search_site, width):
    page, context, problems = visit(chromium, search_site, "search/", width)
    try:
        tab_to(page, "search-words")
        page.keyboard.type("mocks")
        wait_for_status(page, "1 post found")
        assert results(page) == [("Tests That Build Real Things", "Python Notebook Part 2 of 3")]
        href = page.evaluate(
            "() => document.querySelector('#search-results a[href$=\"/tests-that-build-real-things/\"]')?.href"
        )
        assert href == f"{search_site}/tests-that-build-real-things/"
        assert "mocks" in page.evaluate("() => document.querySelector('#search-results mark').textContent").lower()
        assert page.evaluate("() => location.search") == "?q=mocks"
        overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-{width}-light.png"), full_page=True)
        violations = axe_violations(page)
    finally:
        context.close()
    assert problems == []
    assert overflow[0] <= overflow[1]
    assert violations == []


def test_the_series_filter_narrows_the_list_and_a_result_opens_with_the_keyboard(chromium, search_site):
    page, context, problems = visit(chromium, search_site, "search/", 1280)
    try:
        tab_to(page, "search-words")
        page.keyboard.type("python")
        wait_for_status(page, "posts found")
        everywhere = results(page)
        assert {badge.rsplit(" Part", 1)[0] for _, badge in everywhere} >= {
            "Python Notebook",
            "Math for Machine Learning",
        }
        tab_to(page, "search-series", presses=3)
        # Options in order: every series, Math for Machine Learning, Python Notebook.
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        wait_for_status(page, "in Python Notebook")
        narrowed = results(page)
        assert 0 < len(narrowed) < len(everywhere)
        assert all(badge.startswith("Python Notebook Part") for _, badge in narrowed)
        assert set(narrowed) <= set(everywhere)
        assert "series=python-notebook" in page.evaluate("() => location.search")
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("() => !!document.activeElement.closest('#search-results h2')"):
                break
        title = page.evaluate("() => document.activeElement.textContent")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.evaluate("() => document.querySelector('h1').textContent") == title
    finally:
        context.close()
    assert problems == []


def test_a_series_page_search_box_opens_search_in_that_series(chromium, search_site):
    page, context, problems = visit(chromium, search_site, "series/python-notebook/", 390)
    try:
        tab_to(page, "series-search-words")
        page.keyboard.type("python")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        wait_for_status(page, "in Python Notebook")
        listed = results(page)
        assert listed and all(badge.startswith("Python Notebook Part") for _, badge in listed)
        assert page.evaluate("() => document.getElementById('search-series').value") == "python-notebook"
        violations = axe_violations(page)
    finally:
        context.close()
    assert problems == []
    assert violations == []
