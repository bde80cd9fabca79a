"""A URL once published does not move silently.

Every build keeps the URL of each published post and page, by source file, in a small JSON
file beside the content folder (JOURNAL_URL_RECORD, `published-urls.json`): it is part of the
blog, committed with it, so a build on a fresh clone (CI) knows the URLs readers have, where a
cache or the output folder would be gone. When a post's URL differs from the one recorded
(its slug or permalink changed), the build says so with both URLs, and the old URL becomes
one of the post's `aliases`: the redirect page `aliases` make is written there
(output/redirects.py), in this build and every later one, since the record remembers the
move. JOURNAL_REDIRECT_MOVED = False keeps the warning and writes no redirect. `journal check`
reports the same, and writes nothing.
"""

import json
import os
from dataclasses import dataclass, field

from ..build_state import build_state
from ..content_kinds import REACHABLE
from ..problems import Problem
from .urls import display

FORMAT = 1


@dataclass
class UrlRecord:
    """Source path (relative to the content folder) -> URL, and old URL -> the source path of
    the post that moved away from it."""

    urls: dict = field(default_factory=dict)
    moved: dict = field(default_factory=dict)

    def as_json(self) -> str:
        data = {"format": FORMAT, "urls": dict(sorted(self.urls.items())), "moved": dict(sorted(self.moved.items()))}
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def record_path(settings) -> str | None:
    """Where the record is kept (relative names: beside the content folder); None: nowhere."""
    name = settings.get("JOURNAL_URL_RECORD", "published-urls.json")
    if not name:
        return None
    base = os.path.dirname(os.path.abspath(settings.get("PATH", ".")))
    return os.path.join(base, os.path.expanduser(name))


def load_record(path: str) -> UrlRecord | None:
    """The record of the last build; None when there is none, or it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    urls, moved = data.get("urls"), data.get("moved")
    text = lambda mapping: {k: v for k, v in mapping.items() if isinstance(k, str) and isinstance(v, str)}  # noqa: E731
    return UrlRecord(text(urls) if isinstance(urls, dict) else {}, text(moved) if isinstance(moved, dict) else {})


def reachable(generators) -> list:
    """Published and hidden posts and pages: what readers reach at its own URL."""
    return [
        content for generator in generators for name in REACHABLE for content in getattr(generator, name, None) or []
    ]


def follow_moved_urls(generators, settings) -> None:
    """all_generators_finalized, once every URL is settled: report each post whose URL moved
    since the last build and give it a redirect from each URL it had; the new record waits in
    the build state until the build is written (write_url_record)."""
    path = record_path(settings)
    if path is None:
        return
    content_root = os.path.abspath(settings.get("PATH", "."))
    by_source = {}
    for content in reachable(generators):
        source = os.path.relpath(os.path.abspath(content.source_path), content_root).replace(os.sep, "/")
        by_source[source] = content
    current = {source: content.url for source, content in sorted(by_source.items())}
    previous = load_record(path) or UrlRecord()
    newly = {old: source for source, old in previous.urls.items() if source in current and current[source] != old}
    published = {url: source for source, url in current.items()}
    moved = {
        old: source
        for old, source in sorted({**previous.moved, **newly}.items())
        if source in current and old != current[source] and (old not in published or old in newly)
    }
    report = build_state(settings).report
    redirect = settings.get("JOURNAL_REDIRECT_MOVED", True)
    for old, source in moved.items():
        content = by_source[source]
        if old in published:
            then = f"no redirect: /{old} is now the URL of {display(by_source[published[old]], settings)}"
        elif redirect:
            then = "a redirect page is written at the old URL" if old in newly else "its redirect page is kept"
        else:
            then = "no redirect (JOURNAL_REDIRECT_MOVED = False)"
        if old in newly:
            message = (
                f"the URL moved from /{old} to /{content.url} since the last build; {then}. "
                f"To keep the old URL instead, add permalink: /{old}"
            )
            severity = "warning"
        else:
            message, severity = f"moved earlier from /{old} to /{content.url}; {then}", "note"
        problem = Problem(display(content, settings), None, None, message, severity, "url-moved")
        report.warn(content.source_path, problem)
        aliases = list(getattr(content, "aliases", None) or [])
        if redirect and old not in published and old not in aliases:
            content.aliases = aliases + [old]  # a new list: the metadata may be shared with the cache
    moved = {old: source for old, source in moved.items() if old not in published}
    build_state(settings).url_record = UrlRecord(current, moved)


def write_url_record(settings) -> None:
    """finalized: the record of this build, written when it says something new."""
    record, path = build_state(settings).url_record, record_path(settings)
    if record is None or path is None:
        return
    text = record.as_json()
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                return
    except OSError:
        pass
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)
