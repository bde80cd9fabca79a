"""Drafts stay out of production builds.

A local preview writes each draft at DRAFT_SAVE_AS, so that the author can read it; a production
build (`JOURNAL_DRAFTS = False`: publishconf.py, `journal build --production`, `journal publish`)
writes none. Drafts are still read and counted (the build report, a link that points to a draft,
the numbering of `journal new`); they leave the generators' lists once every step that looks
across the site is done, so that no page, feed, sitemap entry, redirect or notebook file is made
for them whatever DRAFT_SAVE_AS says.
"""

from pathlib import PurePosixPath

from ..content_kinds import content_lists, drafts_built

DRAFT_LISTS = content_lists(statuses=("draft",))


def leave_drafts_out(generators, settings) -> None:
    """Empty every list of drafts, in place: Pelican's context holds the same list objects."""
    if drafts_built(settings):
        return
    for generator in generators:
        for name in DRAFT_LISTS:
            drafts = getattr(generator, name, None)
            if drafts:
                drafts.clear()


def draft_folder(settings) -> str | None:
    """The output folder drafts are written under (DRAFT_SAVE_AS's first part), if any."""
    parts = PurePosixPath(settings.get("DRAFT_SAVE_AS") or "").parts
    return parts[0] if len(parts) > 1 else None
