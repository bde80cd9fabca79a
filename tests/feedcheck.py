"""Read the feeds a build wrote, the way a feed reader and a validator would.

Every feed is parsed twice: with feedparser (what readers see) and with lxml.etree or json
(what the file really says, since feedparser quietly repairs relative links and bad markup).
"""

import email.utils
import json
from datetime import datetime

import feedparser
import lxml.html
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
URL_ATTRIBUTES = ("href", "src", "poster")


def xml(site, path: str):
    """The feed's XML tree; parsing fails on anything that is not well-formed XML."""
    return etree.fromstring(site.path(path).read_bytes())


def parsed(site, path: str):
    """What feedparser makes of it; a feed it had to repair is a failure."""
    feed = feedparser.parse(site.path(path).read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def atom_entries(site, path: str) -> list:
    return xml(site, path).findall(f"{ATOM}entry")


def rss_items(site, path: str) -> list:
    return xml(site, path).findall("channel/item")


def json_items(site, path: str) -> list:
    return site.json(path)["items"]


def entry_ids(site, path: str) -> list[str]:
    """The ids of a feed's entries, in order, read from the file itself."""
    if path.endswith("atom.xml"):
        return [entry.findtext(f"{ATOM}id") for entry in atom_entries(site, path)]
    if path.endswith("rss.xml"):
        return [item.findtext("guid") for item in rss_items(site, path)]
    return [item["id"] for item in json_items(site, path)]


def entry_titles(site, path: str) -> list[str]:
    if path.endswith("atom.xml"):
        return [entry.findtext(f"{ATOM}title") for entry in atom_entries(site, path)]
    if path.endswith("rss.xml"):
        return [item.findtext("title") for item in rss_items(site, path)]
    return [item["title"] for item in json_items(site, path)]


def contents(site, path: str) -> list[str]:
    """The HTML of every entry's full content and summary, as the file carries it."""
    if path.endswith("atom.xml"):
        return [
            element.text or ""
            for entry in atom_entries(site, path)
            for element in (entry.find(f"{ATOM}content"), entry.find(f"{ATOM}summary"))
            if element is not None
        ]
    if path.endswith("rss.xml"):
        return [
            element.text or ""
            for item in rss_items(site, path)
            for element in (item.find(CONTENT_ENCODED), item.find("description"))
            if element is not None
        ]
    return [item.get("content_html", "") for item in json_items(site, path)]


def urls_in_html(html: str) -> list[str]:
    """Every href, src, poster and srcset URL in an HTML fragment."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [url for element in root.iter() for url in element_urls(element, URL_ATTRIBUTES)]


def element_urls(element, attributes) -> list[str]:
    """The URLs one element holds in `attributes` and in its srcset."""
    if not isinstance(element.tag, str):
        return []
    found = [element.get(name) for name in attributes if element.get(name) is not None]
    for candidate in (element.get("srcset") or "").split(","):
        if candidate.strip():
            found.append(candidate.split()[0])
    return found


def feed_level_urls(site, path: str) -> list[str]:
    """Links of the feed itself and of its entries, outside the content."""
    if path.endswith("atom.xml"):
        return [link.get("href") for link in xml(site, path).iter(f"{ATOM}link")]
    if path.endswith("rss.xml"):
        tree = xml(site, path)
        return [link.text for link in tree.iter("link")] + [link.get("href") for link in tree.iter(f"{ATOM}link")]
    feed = site.json(path)
    return [feed["home_page_url"], feed["feed_url"]] + [item["url"] for item in feed["items"]]


def rfc822(text: str) -> datetime:
    """An RSS date; parsing fails unless it is RFC 822 with a zone."""
    parsed_date = email.utils.parsedate_to_datetime(text)
    assert parsed_date.tzinfo is not None, text
    return parsed_date


def rfc3339(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, text
    return moment


def loads(site, path: str):
    return json.loads(site.text(path))
