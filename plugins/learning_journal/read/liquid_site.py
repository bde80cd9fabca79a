"""What Jekyll posts see of the site before any Liquid runs: which posts run Liquid, `site.posts`
(every post's front matter, read once per build), and `content/_includes/`.

Kept apart from the engine (liquid_posts.py), so that a build without Jekyll posts never loads
python-liquid: the build cache and the reader ask these questions of every post.
"""

import datetime
import hashlib
import json
import os
import re

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

from .front_matter import FrontMatterError, split_source

INCLUDES = "_includes"  # content/_includes/: a Jekyll blog's includes, never read as posts
FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


def runs_liquid(relative_path: str, front_matter: dict, settings: dict) -> bool:
    """Jekyll posts only: Hugo and plain posts never pay for (or get surprised by) Liquid."""
    switch = settings.get("JOURNAL_LIQUID", "jekyll")
    if not switch:
        return False
    marker = front_matter.get("liquid") if isinstance(front_matter, dict) else None
    if marker is not None:
        return str(marker).lower() in ("true", "yes", "on", "1")
    return switch == "all" or "_posts" in relative_path.replace("\\", "/").split("/")[:-1]


POSTS_CACHE: dict = {}


def forget_posts() -> None:
    """At the start of every build: `site.posts` is read again (an --autoreload build)."""
    POSTS_CACHE.clear()


def posts_of(settings: dict) -> list:
    """Every post's title, url, date, excerpt and series from its front matter, newest first
    (date, then source path: a total order). Read once per build and process."""
    content = os.path.abspath(settings.get("PATH", "."))
    key = (content, settings.get("ARTICLE_URL"))
    if key not in POSTS_CACHE:
        POSTS_CACHE[key] = read_posts(content, settings)
    return POSTS_CACHE[key]


def posts_digest(settings: dict) -> bytes:
    """What `site.posts` shows, as bytes for the build cache's key."""
    listed = [{key: str(value) for key, value in post.items()} for post in posts_of(settings)]
    return hashlib.sha256(json.dumps(listed, sort_keys=True).encode()).digest()


def includes_digest(settings: dict) -> str:
    """Every file of `content/_includes/`, by path and bytes."""
    hasher = hashlib.sha256()
    folder = os.path.join(os.path.abspath(settings.get("PATH", ".")), INCLUDES)
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(parent, name)
            with open(path, "rb") as handle:
                hasher.update(os.path.relpath(path, folder).encode() + b"\0" + handle.read() + b"\0")
    return hasher.hexdigest()


def read_posts(content: str, settings: dict) -> list:
    pages = tuple(folder.rstrip("/") + "/" for folder in settings.get("PAGE_PATHS", ["pages"]))
    found = []
    for folder, folders, files in os.walk(content):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name != INCLUDES)
        for name in sorted(files):
            if not name.endswith((".md", ".markdown", ".mkd", ".mdown")):
                continue
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, content).replace(os.sep, "/")
            if relative.startswith(pages):
                continue
            post = post_summary(full, relative, settings)
            if post is not None:
                found.append(post)
    found.sort(key=lambda post: (post["date"], post["path"]), reverse=True)
    return found


def post_summary(full: str, relative: str, settings: dict) -> dict | None:
    try:
        with open(full, encoding="utf-8", errors="replace") as handle:
            source = split_source(handle.read(), relative)
    except (OSError, FrontMatterError):
        return None
    data = source.data if isinstance(source.data, dict) else {}
    if str(data.get("status", "")).lower() == "draft" or data.get("draft") is True:
        return None
    stem = os.path.splitext(os.path.basename(relative))[0]
    title = str(data.get("title") or FILE_DATE.sub("", stem).replace("-", " "))
    date = as_datetime(data.get("date"), stem)
    slug = str(data.get("slug") or slugify(title, settings) or stem)
    url = settings.get("ARTICLE_URL", "{slug}.html").format(slug=slug, date=date)
    excerpt = data.get("excerpt") or data.get("summary") or data.get("description") or first_paragraph(source.body)
    return {
        "title": title,
        "url": "/" + url.lstrip("/"),
        "date": date,
        "excerpt": str(excerpt),
        "series": data.get("series"),
        "path": relative,
        "tags": data.get("tags") or [],
    }


def as_datetime(value, stem: str) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.strip()).replace(tzinfo=None)
        except ValueError:
            pass
    named = FILE_DATE.match(stem)
    if named:
        return datetime.datetime(*(int(part) for part in named.groups()))
    return datetime.datetime(1970, 1, 1)


def first_paragraph(body: str) -> str:
    for block in body.strip().split("\n\n"):
        if block.strip() and not block.lstrip().startswith(("#", "{%", "{{", "```", "<")):
            return " ".join(block.split())
    return ""


def slugify(value, settings: dict | None = None) -> str:
    """Pelican's slug, with the site's substitutions (spaces become dashes)."""
    substitutions = (settings or DEFAULT_CONFIG).get("SLUG_REGEX_SUBSTITUTIONS") or []
    return pelican_slugify(str(value if value is not None else ""), regex_subs=substitutions)


def keep_includes_out(pelican) -> None:
    """initialized: `content/_includes/` holds a Jekyll blog's includes, not posts."""
    ignores = pelican.settings.setdefault("IGNORE_FILES", [])
    if INCLUDES not in ignores:
        ignores.append(INCLUDES)
