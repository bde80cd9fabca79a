"""Who gets which URL: permalinks claimed twice fall back, colliding slugs get -2, -3.

Runs once every generator has read its content and before anything is written, so that
Pelican never overwrites one output with another.
"""

import logging
import os
from datetime import UTC, datetime
from itertools import chain

from .feed_formats import FORMATS
from .problems import Problem
from .report import CONTENT_KINDS, report_for

logger = logging.getLogger(__name__)
OLDEST = datetime.min.replace(tzinfo=UTC)
# Folders whose pages the site itself writes (page/ holds the home page's pages 2, 3 ...).
RESERVED_FOLDERS = ("tags/", "series/", "drafts/", "theme/", "feeds/", "page/")


def contents_of(generators):
    """Every content object that will be written, in a stable order."""
    items = []
    for generator in generators:
        for attribute in CONTENT_KINDS:
            items.extend(getattr(generator, attribute, None) or [])
    return items


def claim_order(content):
    """The earlier post (by date, then path) keeps a contested URL."""
    return (getattr(content, "date", None) or OLDEST, content.source_path or "")


def display(content, settings) -> str:
    base = os.path.dirname(os.path.abspath(settings.get("PATH", ".")))
    return os.path.relpath(content.source_path, base)


def site_outputs(settings) -> set:
    """Files the site writes besides posts and pages."""
    names = {"index.html", "404.html", "sitemap.xml", "robots.txt"}
    names |= {feed_format.file_name for feed_format in FORMATS.values()}  # the site feeds
    for key in ("TAGS_SAVE_AS", "ARCHIVES_SAVE_AS", "INDEX_SAVE_AS"):
        if settings.get(key):
            names.add(settings[key])
    return names


def is_reserved(save_as: str, reserved: set) -> bool:
    """A site file, a site folder, or a folder named like a site file (`atom.xml/index.html`)."""
    top = save_as.split("/", 1)[0]
    return save_as in reserved or save_as.startswith(RESERVED_FOLDERS) or (top != save_as and top in reserved)


def resolve_url_claims(generators, settings) -> None:
    """Make every output path unique, warning with both files named."""
    report = report_for(settings)
    contents = sorted(contents_of(generators), key=claim_order)
    reserved = site_outputs(settings)

    def blocked(content, save_as):
        return content.status != "draft" and is_reserved(save_as, reserved)

    by_permalink = {}
    for content in contents:
        if content.status == "draft":
            # A draft never takes its public permalink: it stays under drafts/.
            for attribute in ("override_save_as", "override_url"):
                if hasattr(content, attribute):
                    delattr(content, attribute)
        if hasattr(content, "override_save_as"):
            by_permalink.setdefault(content.override_save_as, []).append(content)
    for save_as, claimants in by_permalink.items():
        clash = len(claimants) > 1 or blocked(claimants[0], save_as)
        if not clash:
            continue
        names = " and ".join(display(c, settings) for c in claimants)
        for content in claimants:
            report.warn(
                content.source_path,
                Problem(
                    display(content, settings),
                    None,
                    "permalink",
                    f"the URL /{save_as} is claimed by {names}"
                    + (" and by the site itself" if len(claimants) == 1 else "")
                    + "; the default URL is used instead, give each post its own permalink",
                    "error",
                ),
            )
            for attribute in ("override_save_as", "override_url"):
                if hasattr(content, attribute):
                    delattr(content, attribute)

    taken = {}
    for content in contents:
        save_as = content.save_as
        if save_as not in taken and not blocked(content, save_as):
            taken[save_as] = content
            continue
        owner = taken.get(save_as)
        base_slug = content.slug
        number = 2
        while True:
            content.slug = f"{base_slug}-{number}"
            if content.save_as not in taken and not blocked(content, content.save_as):
                break
            number += 1
        taken[content.save_as] = content
        who = f"{display(owner, settings)}" if owner else "the site itself"
        report.warn(
            content.source_path,
            Problem(
                display(content, settings),
                None,
                "slug",
                f"the URL /{save_as} is already taken by {who}; this post is published at "
                f"/{content.url} instead (give it its own slug: ...)",
                "error",
            ),
        )


def all_contents(generators):
    """Published and hidden content that readers can reach."""
    return chain.from_iterable(
        getattr(generator, attribute, None) or []
        for generator in generators
        for attribute in ("articles", "hidden_articles", "pages", "hidden_pages")
    )
