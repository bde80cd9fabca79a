"""Who gets which URL: permalinks claimed twice fall back, colliding slugs get -2, -3.

Runs once every generator has read its content and before anything is written, so that
Pelican never overwrites one output with another.
"""

import logging
import os

from pelican.paginator import Paginator

from ..build_state import build_state
from ..content_kinds import CONTENT_KINDS
from ..problems import Problem
from ..read.metadata import url_of
from .feed_files import FEED_FILES
from .order import order_key

logger = logging.getLogger(__name__)
# Folders whose pages the site itself writes (page/ holds the home page's pages 2, 3 ...).
RESERVED_FOLDERS = ("tags/", "series/", "drafts/", "theme/", "feeds/", "page/", "search/", "pagefind/")


def contents_of(generators):
    """Every content object that will be written, in a stable order."""
    items = []
    for generator in generators:
        for attribute in CONTENT_KINDS:
            items.extend(getattr(generator, attribute, None) or [])
    return items


def claim_order(content):
    """The earlier post (by date, then path) keeps a contested URL."""
    return order_key(content)


def site_url_of(settings) -> str:
    """SITEURL without its trailing slash: what absolute URLs (feeds, e-books) start with."""
    return (settings.get("SITEURL") or "").rstrip("/")


def display(content, settings) -> str:
    base = os.path.dirname(os.path.abspath(settings.get("PATH", ".")))
    return os.path.relpath(content.source_path, base)


def site_outputs(settings) -> set:
    """Files the site writes besides posts and pages."""
    names = {"index.html", "404.html", "sitemap.xml", "robots.txt"}
    names |= {feed_format.file_name for feed_format in FEED_FILES.values()}  # the site feeds
    for key in ("TAGS_SAVE_AS", "ARCHIVES_SAVE_AS", "INDEX_SAVE_AS"):
        if settings.get(key):
            names.add(settings[key])
    return names


def later_home_pages(articles, settings) -> set:
    """page/2/index.html, ...: the home page's later pages, named by Pelican's own Paginator."""
    per_page = (settings.get("PAGINATED_TEMPLATES") or {}).get("index", False)
    if per_page is False or not settings.get("INDEX_SAVE_AS"):
        return set()
    paginator = Paginator(
        settings["INDEX_SAVE_AS"],
        settings.get("INDEX_URL", ""),
        list(articles),
        settings,
        per_page or settings.get("DEFAULT_PAGINATION"),
    )
    return {paginator.page(number).save_as for number in range(2, paginator.num_pages + 1)}


def reserved_outputs(settings, articles, staticfiles) -> set:
    """Every file the site writes besides posts and pages: a post may not take its place.
    Static files (images ...) count: Pelican would copy them over a post without a word."""
    return site_outputs(settings) | later_home_pages(articles, settings) | {s.save_as for s in staticfiles}


def is_reserved(save_as: str, reserved: set) -> bool:
    """A site file, a site folder, or a folder named like a site file (`atom.xml/index.html`)."""
    top = save_as.split("/", 1)[0]
    return save_as in reserved or save_as.startswith(RESERVED_FOLDERS) or (top != save_as and top in reserved)


def folders_of(save_as: str) -> list[str]:
    """The folders a file needs: a/b/index.html -> a, a/b."""
    parts = save_as.split("/")[:-1]
    return ["/".join(parts[: number + 1]) for number in range(len(parts))]


class TakenPaths:
    """Output files claimed so far and the folders they need. A file and a folder cannot
    share a name: a permalink /atom.xml/ would leave no place for the feed atom.xml."""

    SITE = "the site itself"

    def __init__(self, reserved=()):
        self.files = {}  # save_as -> content (or SITE)
        self.folders = {}  # folder -> the first content inside it
        for save_as in sorted(reserved):
            self.add(save_as, self.SITE)

    def add(self, save_as: str, owner) -> None:
        self.files[save_as] = owner
        for folder in folders_of(save_as):
            self.folders.setdefault(folder, owner)

    def owner_of(self, save_as: str):
        """Who already holds save_as, its name as a folder or one of its folders as a file."""
        if save_as in self.files:
            return self.files[save_as]
        if save_as in self.folders:
            return self.folders[save_as]
        return next((self.files[f] for f in folders_of(save_as) if f in self.files), None)


def resolve_url_claims(generators, settings) -> None:
    """Make every output path unique, warning with both files named."""
    report = build_state(settings).report
    contents = sorted(contents_of(generators), key=claim_order)
    statics = [static for g in generators for static in getattr(g, "staticfiles", None) or []]
    for static in statics:
        # `images/my "best" photo.png`: Pelican pastes a static file's URL into links as it is.
        if url_of(static.url) != static.url:
            static.override_url = url_of(static.url)
    reserved = reserved_outputs(
        settings, [article for g in generators for article in getattr(g, "articles", None) or []], statics
    )

    def blocked(content, save_as):
        return content.status != "draft" and is_reserved(save_as, reserved)

    def drop_permalink(content):
        for attribute in ("override_save_as", "override_url"):
            if hasattr(content, attribute):
                delattr(content, attribute)

    def fall_back(content, clash):
        """A permalink that cannot be had: the post goes to its default URL, as an error."""
        drop_permalink(content)
        message = f"{clash}; the default URL is used instead, give this post its own permalink"
        shown = display(content, settings)
        report.warn(content.source_path, Problem(shown, None, "permalink", message, "error", code="url-clash"))

    by_permalink = {}
    for content in contents:
        if content.status == "draft":
            # A draft never takes its public permalink: it stays under drafts/.
            drop_permalink(content)
        if getattr(content, "override_save_as", None):
            by_permalink.setdefault(content.override_save_as, []).append(content)
    for save_as, claimants in by_permalink.items():
        clash = len(claimants) > 1 or blocked(claimants[0], save_as)
        if not clash:
            continue
        names = " and ".join(display(c, settings) for c in claimants)
        by_site = " and by the site itself" if len(claimants) == 1 else ""
        for content in claimants:
            fall_back(content, f"the URL /{save_as} is claimed by {names}{by_site}")

    taken = TakenPaths(reserved)

    def holder(content):
        """Who stands in the way of this content's output, or None."""
        owner = taken.owner_of(content.save_as)
        if owner is None and blocked(content, content.save_as):
            owner = TakenPaths.SITE
        return None if owner is None else owner if owner is TakenPaths.SITE else display(owner, settings)

    for content in contents:
        if not content.save_as:  # a kind whose *_SAVE_AS is "": Pelican writes nothing, nothing is claimed
            continue
        save_as, owner = content.save_as, holder(content)
        if owner is not None and hasattr(content, "override_save_as"):
            fall_back(content, f"the URL /{save_as} is already taken by {owner}")
            save_as, owner = content.save_as, holder(content)
        if owner is not None:
            base_slug, number = content.slug, 2
            content.slug = f"{base_slug}-{number}"
            while holder(content) is not None:
                number += 1
                content.slug = f"{base_slug}-{number}"
            report.warn(
                content.source_path,
                Problem(
                    display(content, settings),
                    None,
                    "slug",
                    f"the URL /{save_as} is already taken by {owner}; this post is published at "
                    f"/{content.url} instead (give it its own slug: ...)",
                    "error",
                    code="url-clash",
                ),
            )
        taken.add(content.save_as, content)
    warn_case_only_clashes(taken, report, settings)


def warn_case_only_clashes(taken: TakenPaths, report, settings) -> None:
    """/Notes/ and /notes/ are two pages here, one on macOS and Windows (the second overwrites
    the first when the site is copied or built there): a warning in each post's file."""
    by_folded = {}
    for save_as, owner in taken.files.items():
        by_folded.setdefault(save_as.casefold(), []).append((save_as, owner))
    for claims in by_folded.values():
        if len(claims) < 2:
            continue
        for save_as, owner in claims:
            if owner is TakenPaths.SITE:
                continue
            others = " and ".join(
                f"/{other} ({'the site' if holder is TakenPaths.SITE else display(holder, settings)})"
                for other, holder in claims
                if other != save_as
            )
            report.warn(
                owner.source_path,
                Problem(
                    display(owner, settings),
                    None,
                    "permalink",
                    f"the URL /{save_as} differs from {others} only in upper and lower case: on macOS "
                    "and Windows they are one file and one overwrites the other; give one of them another URL",
                    code="url-case-clash",
                ),
            )
