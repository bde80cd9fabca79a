"""Every page type in headless Chromium: no console error, no horizontal scroll, no axe violation.

The sample blog is built with SITEURL pointing at a local http.server, so every link and
stylesheet resolves and any request to another host is caught. Screenshots go to
test-artifacts/. Chromium comes from Debian (/usr/bin/chromium), axe-core from npm
(package.json); outside CI the tests skip when either is missing.
"""

import http.server
import socket
import threading
from functools import partial
from pathlib import Path

import nbformat
import pytest
from sitebuild import PROJECT, build_site, require
from test_notebooks import lesson

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_TYPES = {
    "home": "",
    "post-in-series": "vectors-and-the-dot-product/",
    "post-with-toc-and-math": "gradient-descent-from-scratch/",
    "post": "a-year-of-learning-in-public-what-worked/",
    "page": "about/",
    "tags": "tags/",
    "tag": "tags/python/",
    "archives": "archives/",
    "404": "404.html",
    "series-index": "series/",
    "series": "series/math-for-machine-learning/",
    "notebook": "gradient-descent-by-hand/",
    "post-with-alerts-tasks-details": "building-a-cli-in-rust/",
    "post-with-callouts": "zettelkasten-after-one-year/",
    "search-preview": "search/",  # without an index; with one: test_search_browser.py
}
# Posts as GitHub and Obsidian authors write them: alerts, task lists, <details>, folded callouts.
HABITS = PROJECT / "tests" / "corpus" / "commonmark"
WIDTHS = (390, 1280)


def missing_tools() -> str:
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.is_file()]
    if not missing:
        return ""
    how = "apt-get install -y chromium; npm ci (as .ci/run does)"
    return f"browser tests need {', '.join(missing)}: {how}"


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """The sample blog, built for and served from a free local port."""
    require(missing_tools())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    files = {"notebooks/gradient-descent-by-hand.ipynb": nbformat.writes(lesson())}
    for name in ("github-readme-style.md", "obsidian-callouts.md"):
        files[name] = (HABITS / name).read_text(encoding="utf-8")
    site = build_site(
        tmp_path_factory.mktemp("browser"), files, copy_from=PROJECT / "content", SITEURL=base, FEED_DOMAIN=base
    )
    handler = partial(QuietHandler, directory=str(site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, base
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def visit(browser, base, url, width, color_scheme="light"):
    """Load one page; return (page, context, problems seen while loading)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=color_scheme)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))

    def only_this_site(route):
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            problems.append(f"request leaves the site: {route.request.url}")
            route.abort()

    page.route("**/*", only_this_site)
    response = page.goto(f"{base}/{url}", wait_until="load")
    assert response.status == 200, url
    return page, context, problems


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def check_page(browser, site, base, name, width, color_scheme="light"):
    url = PAGE_TYPES[name]
    page, context, problems = visit(browser, base, url, width, color_scheme)
    try:
        overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{color_scheme}.png"), full_page=True)
        violations = axe_violations(page)
    finally:
        context.close()
    assert problems == []
    assert overflow[0] <= overflow[1], f"horizontal scroll: page {overflow[0]}px wide in a {overflow[1]}px window"
    assert violations == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_renders_cleanly_and_accessibly(browser, served_site, name, width):
    site, base = served_site
    check_page(browser, site, base, name, width)


@pytest.mark.parametrize(
    "name",
    [
        "post-in-series",
        "post-with-toc-and-math",
        "archives",
        "home",
        "notebook",
        "post-with-alerts-tasks-details",
        "post-with-callouts",
    ],
)
def test_dark_scheme_is_accessible_too(browser, served_site, name):
    site, base = served_site
    check_page(browser, site, base, name, 390, color_scheme="dark")


def test_dark_scheme_changes_the_colours(browser, served_site):
    site, base = served_site
    colours = []
    for scheme in ("light", "dark"):
        page, context, _ = visit(browser, base, "", 390, scheme)
        colours.append(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
        context.close()
    assert colours[0] != colours[1]


def test_skip_link_is_first_in_tab_order_and_moves_focus_to_main(browser, served_site):
    site, base = served_site
    page, context, _ = visit(browser, base, "vectors-and-the-dot-product/", 1280)
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.className, getComputedStyle(document.activeElement).top]"
        )
        assert focused[0] == "skip-link"
        assert focused[1] != "-64px"  # visible while focused
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
    finally:
        context.close()


def test_a_wide_formula_scrolls_in_its_own_box_on_a_phone(browser, served_site):
    site, base = served_site
    page, context, _ = visit(browser, base, PAGE_TYPES["post-with-toc-and-math"], 390)
    try:
        boxes = page.evaluate(
            "() => [...document.querySelectorAll('.math-scroll')].map(b => [b.scrollWidth, b.clientWidth])"
        )
        page_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    finally:
        context.close()
    assert any(scroll > visible for scroll, visible in boxes), boxes
    assert page_width[0] <= page_width[1]
