"""The lists Pelican's generators keep content in, as one table: which list holds posts or
pages, translations or not, and with which status. Every loop over "all content", "every
post a series may hold" or "what readers can reach" picks its lists here."""

from dataclasses import dataclass

STATUSES = ("published", "hidden", "draft")


@dataclass(frozen=True)
class ContentKind:
    """One list a generator keeps (`generator.articles`, `generator.draft_pages` ...)."""

    attribute: str
    post: bool  # a post (ArticlesGenerator) or a page (PagesGenerator)
    status: str  # one of STATUSES
    translation: bool = False


CONTENT_TABLE = (
    ContentKind("articles", True, "published"),
    ContentKind("translations", True, "published", translation=True),
    ContentKind("pages", False, "published"),
    ContentKind("hidden_articles", True, "hidden"),
    ContentKind("hidden_translations", True, "hidden", translation=True),
    ContentKind("hidden_pages", False, "hidden"),
    ContentKind("drafts", True, "draft"),
    ContentKind("drafts_translations", True, "draft", translation=True),
    ContentKind("draft_pages", False, "draft"),
    ContentKind("draft_translations", False, "draft", translation=True),
)


def content_lists(*, posts=True, pages=True, statuses=STATUSES, translations=True) -> tuple:
    """The attribute names of the lists that hold what is asked for, in the table's order."""
    return tuple(
        kind.attribute
        for kind in CONTENT_TABLE
        if (posts if kind.post else pages) and kind.status in statuses and (translations or not kind.translation)
    )


CONTENT_KINDS = content_lists()  # every list a generator keeps content in
# Posts a series may hold: any status (drafts are counted by `journal new`, noted by check).
SERIES_CANDIDATES = content_lists(pages=False, translations=False)
# What readers can reach at its own URL: no drafts, no translations.
REACHABLE = content_lists(statuses=("published", "hidden"), translations=False)
# Every original (not a translation): what `journal check` reads for dead links.
ORIGINALS = content_lists(translations=False)


def drafts_built(settings) -> bool:
    """Whether this build writes drafts: yes unless JOURNAL_DRAFTS says no (production builds)."""
    return bool(settings.get("JOURNAL_DRAFTS", True))
