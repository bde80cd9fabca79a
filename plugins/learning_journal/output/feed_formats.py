"""How one feed becomes text: Atom 1.0 and RSS 2.0 through feedgenerator, JSON Feed 1.1 as JSON.

A feed here is plain data (`Feed`, `Entry`), built by feeds.py; nothing in this module reads
Pelican objects, so every format gets exactly the same titles, ids, dates and content.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgenerator import Atom1Feed, Rss201rev2Feed

from ..site.feed_files import FeedFile, feed_files_of
from .feed_html import plain_text, xml_text

# The `updated` of a feed with no entries: a fixed date, so an empty feed is built the same
# way twice (feedgenerator would use the build time).
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
RSS_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Entry:
    """One post as every feed format shows it; `content` and `summary` are absolute-linked HTML."""

    id: str
    id_is_url: bool
    url: str
    title: str
    content: str
    summary: str
    published: datetime
    updated: datetime
    authors: tuple
    categories: tuple


@dataclass(frozen=True)
class Feed:
    """One file to write: what it follows, where it lives and its entries in order."""

    path: str
    url: str
    home_url: str
    title: str
    description: str
    language: str
    author: str
    entries: tuple

    @property
    def updated(self) -> datetime:
        """The newest entry's update, never the build time: two builds give the same bytes."""
        return max((entry.updated for entry in self.entries), default=EMPTY_FEED_UPDATED)


class StableUpdated:
    """feedgenerator falls back to the clock for an empty feed; we use the feed's own date."""

    def latest_post_date(self):
        return self.feed["updated"]


class AtomFeed(StableUpdated, Atom1Feed):
    pass


class RssFeed(StableUpdated, Rss201rev2Feed):
    """RSS 2.0 with the summary in <description> and the full post in <content:encoded>."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": RSS_CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])


def render_xml(feed_class, feed: Feed, repeat_summary: bool) -> str:
    """Atom and RSS through feedgenerator, which escapes every text and attribute.

    RSS items always get a <description>; an Atom <summary> that only repeats the content
    is left out, as RFC 4287 intends.
    """
    document = feed_class(
        title=xml_text(feed.title),
        link=feed.home_url,
        description=xml_text(feed.description),
        subtitle=xml_text(feed.description),
        language=feed.language or None,
        author_name=xml_text(feed.author),
        feed_url=feed.url,
        feed_guid=feed.url,
        updated=feed.updated,
    )
    for entry in feed.entries:
        document.add_item(
            title=xml_text(entry.title),
            link=entry.url,
            description=entry.summary if repeat_summary or entry.summary != entry.content else None,
            content=entry.content or None,
            author_name=xml_text(", ".join(entry.authors)) or None,
            pubdate=entry.published,
            updateddate=entry.updated,
            unique_id=entry.id,
            unique_id_is_permalink=entry.id_is_url,
            categories=[xml_text(name) for name in entry.categories],
        )
    return document.writeString("utf-8")


def render_atom(feed: Feed) -> str:
    return render_xml(AtomFeed, feed, repeat_summary=False)


def render_rss(feed: Feed) -> str:
    return render_xml(RssFeed, feed, repeat_summary=True)


def render_json(feed: Feed) -> str:
    """JSON Feed 1.1: `summary` is plain text there, `content_html` the full post."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.url,
        "description": feed.description,
        "authors": [{"name": feed.author}],
        "language": feed.language or None,
        "items": [
            {
                "id": entry.id,
                "url": entry.url,
                "title": entry.title,
                "content_html": entry.content,
                "summary": plain_text(entry.summary) or None,
                "date_published": entry.published.isoformat(),
                "date_modified": entry.updated.isoformat(),
                "authors": [{"name": name} for name in entry.authors] or None,
                "tags": list(entry.categories) or None,
            }
            for entry in feed.entries
        ],
    }
    return json.dumps(drop_empty(document), ensure_ascii=False, indent=2) + "\n"


def drop_empty(value):
    """JSON Feed wants optional keys left out, not null."""
    if isinstance(value, dict):
        return {key: drop_empty(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [drop_empty(item) for item in value]
    return value


@dataclass(frozen=True)
class FeedFormat(FeedFile):
    """A row of the feed file table (site/feed_files.py) with the code that writes it."""

    render: Callable[[Feed], str] = None


RENDERERS = {"atom": render_atom, "rss": render_rss, "json": render_json}  # by FEED_FILES name


def feed_formats_of(followed: str) -> list[FeedFormat]:
    """The formats a site, series or tag feed folder has: its table rows, each with its renderer."""
    return [FeedFormat(**vars(row), render=RENDERERS[row.name]) for row in feed_files_of(followed)]
