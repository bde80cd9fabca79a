"""The feed formats the site offers, as files: name, file name in a feed folder, media type,
label, and which feed folders have one (the site's, a series', a tag's).

This is the one table of feed files. The series model, URL claims, link checks, `journal
check`, the feed plan and the templates read it; output/feed_formats.py adds to each row the
code that writes it.
"""

from dataclasses import dataclass

FOLLOWED = ("site", "series", "tag")  # what a feed folder belongs to


@dataclass(frozen=True)
class FeedFile:
    """One feed format as a file in a feed folder (the site's, a series', a tag's)."""

    name: str
    file_name: str
    media_type: str
    label: str
    followed: tuple = FOLLOWED  # the feed folders that have this format


FEED_FILES = {
    "atom": FeedFile("atom", "atom.xml", "application/atom+xml", "Atom"),
    "rss": FeedFile("rss", "rss.xml", "application/rss+xml", "RSS"),
    "json": FeedFile("json", "feed.json", "application/feed+json", "JSON Feed", ("site", "series")),
}


def feed_files_of(followed: str) -> list[FeedFile]:
    """The rows a site, series or tag feed folder has, in the table's order."""
    return [row for row in FEED_FILES.values() if followed in row.followed]
