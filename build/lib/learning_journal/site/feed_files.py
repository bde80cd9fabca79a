"""The feed formats the site offers, as files: name, file name in a feed folder, media type, label.

This is the one table of feed files. URL claims, links, `journal check` and templates read it;
output/feed_formats.py adds to each row the code that writes it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FeedFile:
    """One feed format as a file in a feed folder (the site's, a series', a tag's)."""

    name: str
    file_name: str
    media_type: str
    label: str


FEED_FILES = {
    "atom": FeedFile("atom", "atom.xml", "application/atom+xml", "Atom"),
    "rss": FeedFile("rss", "rss.xml", "application/rss+xml", "RSS"),
    "json": FeedFile("json", "feed.json", "application/feed+json", "JSON Feed"),
}
