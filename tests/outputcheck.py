"""Read back everything a build wrote, the way browsers, feed readers and crawlers do.

Shared by the hostile-input tests: every file is parsed by a parser that reports errors
(html5lib for HTML, lxml.etree and feedparser for feeds and the sitemap, json for JSON),
and every URL a reader could follow is collected with the page it was found on.
"""

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import html5lib
from feedcheck import contents, element_urls, feed_level_urls, urls_in_html
from lxml import etree
from sitebuild import SITEURL

URL_ATTRIBUTES = ("href", "src", "poster", "action", "formaction", "cite", "data")
REFRESH_URL = re.compile(r"url=(.*)$", re.IGNORECASE)
FEED_FILES = ("atom.xml", "rss.xml", "feed.json")
HOME = urlsplit(SITEURL)


def html_errors(text: str) -> list:
    """Parse errors as the HTML standard defines them (a stray NUL, a bad tag, ...)."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"))
    parser.parse(text)
    return [f"line {line}, column {column}: {code} {data or ''}" for (line, column), code, data in parser.errors]


def html_document(text: str):
    """The document tree a browser builds (html5lib, no namespace prefixes)."""
    return html5lib.parse(text, treebuilder="lxml", namespaceHTMLElements=False)


def page_url(relative: str) -> str:
    """The address a file of the output is served at."""
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return f"{SITEURL}/{relative}"


def urls_in_page(text: str) -> list[str]:
    """Every URL a reader can follow from an HTML page: links, sources, refreshes, JSON-LD."""
    tree = html_document(text)
    found = []
    for element in tree.iter():
        found += element_urls(element, URL_ATTRIBUTES)
        if element.tag == "meta":
            content = element.get("content") or ""
            if (element.get("http-equiv") or "").lower() == "refresh" and REFRESH_URL.search(content):
                found.append(REFRESH_URL.search(content).group(1).strip())
            if (element.get("property") or "").endswith((":url", ":image")):
                found.append(content)
        if element.tag == "script" and element.get("type") == "application/ld+json":
            found += urls_in_json_ld(json.loads(element.text or "null"))
    return found


def urls_in_json_ld(data) -> list[str]:
    if isinstance(data, dict):
        urls = [v for k, v in data.items() if k in {"url", "mainEntityOfPage", "@id"} and isinstance(v, str)]
        return urls + [u for v in data.values() for u in urls_in_json_ld(v)]
    if isinstance(data, list):
        return [u for v in data for u in urls_in_json_ld(v)]
    return []


def urls_in_feed(site, relative: str) -> list[str]:
    return feed_level_urls(site, relative) + [u for html in contents(site, relative) for u in urls_in_html(html)]


def urls_in_sitemap(site) -> list[str]:
    tree = etree.fromstring(site.path("sitemap.xml").read_bytes())
    return [loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def followable_urls(site) -> list[tuple[str, str]]:
    """(file, absolute URL) for every URL in every HTML page, feed and the sitemap."""
    found = []
    for relative in site.files():
        if relative.endswith(".html"):
            urls = urls_in_page(site.text(relative))
        elif relative.endswith(FEED_FILES):
            urls = urls_in_feed(site, relative)
        elif relative == "sitemap.xml":
            urls = urls_in_sitemap(site)
        else:
            continue
        found += [(relative, urljoin(page_url(relative), url.strip())) for url in urls]
    return found


def foreign_urls(site, written_by_author=()) -> list[tuple[str, str]]:
    """URLs that leave the site, other than the external links the author wrote."""
    allowed = {urljoin(SITEURL, url) for url in written_by_author}
    foreign = []
    for relative, url in followable_urls(site):
        parts = urlsplit(url)
        if url == "data:,":  # the theme's empty favicon
            continue
        if (parts.scheme, parts.netloc) == (HOME.scheme, HOME.netloc) or url in allowed:
            continue
        foreign.append((relative, url))
    return foreign


def unreadable_outputs(site) -> list[str]:
    """Every file a parser refuses or had to repair, with the reason."""
    problems = []
    for relative in site.files():
        raw = site.path(relative).read_bytes()
        if relative.endswith(".html"):
            problems += [f"{relative}: {error}" for error in html_errors(raw.decode("utf-8"))]
        elif relative.endswith(".xml"):
            try:
                etree.fromstring(raw)
            except etree.XMLSyntaxError as error:
                problems.append(f"{relative}: {error}")
            if relative.endswith(FEED_FILES):
                feed = feedparser.parse(raw)
                if feed.bozo:
                    problems.append(f"{relative}: feedparser: {feed.get('bozo_exception')}")
        elif relative.endswith(".json"):
            try:
                json.loads(raw)
            except ValueError as error:
                problems.append(f"{relative}: {error}")
    return problems


def written_outside(root: Path, build: Path) -> list[str]:
    """Files under `root` that are not in the build's content, cache or output folders, nor its
    record of published URLs (beside the content folder)."""
    inside = [(build / name).resolve() for name in ("content", "cache", "output")]
    record = (build / "published-urls.json").resolve()
    return sorted(
        str(path)
        for path in root.rglob("*")
        if not path.is_dir()
        and path.resolve() != record
        and not any(path.resolve().is_relative_to(folder) for folder in inside)
    )


def escaping_output(site) -> list[str]:
    """Output files whose resolved path is not inside the output folder."""
    output = site.output.resolve()
    return sorted(str(p) for p in site.output.rglob("*") if not p.resolve().is_relative_to(output))
