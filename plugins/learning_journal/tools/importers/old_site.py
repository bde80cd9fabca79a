"""What an importer learns from another engine's site: its posts, the URL and feed id each
had there, and the files it leaves behind. Plain data, filled by one module per engine."""

import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .site_address import is_not_public


@dataclass
class OldPost:
    """One post or page of the old site and where it answered."""

    source: Path  # the file in the old site
    target: str  # where it goes, relative to content/ (posix)
    kind: str = "post"  # "post" or "page"
    old_url: str | None = None  # "/2020/01/02/x.html": the path it answered at (None: unknown)
    feed_id: str | None = None  # the id the old feed gave it
    aliases: list = field(default_factory=list)  # other old paths that led to it
    set_keys: dict = field(default_factory=dict)  # front matter the engine needs (liquid, draft)
    drop_keys: tuple = ()  # front matter keys replaced by what is written here
    why_no_url: str | None = None  # why its old URL cannot be kept
    published: bool = True  # False: a draft, unpublished or future post (no old URL to keep)
    notes: list = field(default_factory=list)


@dataclass
class OldSite:
    """A whole site of another engine, as far as it can be read."""

    engine: str
    root: Path
    base_url: str = ""  # scheme://host, no trailing slash ("" when the old config does not say)
    base_path: str = ""  # "/blog" when the old site lived under a sub-path
    address_keys: str = "its configuration"  # where the engine keeps its address, for the report
    posts: list = field(default_factory=list)
    left_behind: list = field(default_factory=list)  # (path relative to root, reason)
    static_roots: list = field(default_factory=list)  # (URL prefix, folder): files served as they are
    served_files: dict = field(default_factory=dict)  # URL path -> file (page bundle resources ...)
    extra_files: dict = field(default_factory=dict)  # target under content/ -> file copied as it is
    strip_prefixes: tuple = ()  # source folders left out of a copied file's new path (static/ ...)
    notes: list = field(default_factory=list)
    reason_for: Callable = lambda relative: "not used by any imported post or page"

    def leave(self, path: Path, reason: str) -> None:
        self.left_behind.append((self.relative(path), reason))

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @property
    def public_base(self) -> str:
        """scheme://host of the published old site; "" when unknown or a local preview address."""
        return "" if not self.base_url or is_not_public(self.base_url) else self.base_url

    def absolute_url(self, path: str) -> str:
        """The old site's full address of a path: what Jekyll's and Hugo's feeds used as ids.
        Without a known public host, the path from the site's root: a feed id written so is
        completed with the production SITEURL (the old host and sub-path) when built."""
        return self.public_base + self.base_path + path if self.public_base else path

    def site_path(self, url: str) -> str | None:
        """`https://old.example/blog/x/` or `/blog/x/` -> `/x/`; None for another site's link."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if not self.base_url or parts.netloc.lower() != urlsplit(self.base_url).netloc.lower():
                return None
        path = unquote(parts.path)
        if not path.startswith("/"):
            return None
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            path = path[len(self.base_path) :] or "/"
        return path

    def file_at(self, path: str) -> Path | None:
        """The file the old site served at `path`, if it is one of its static files."""
        if path in self.served_files:
            return self.served_files[path]
        for prefix, folder in self.static_roots:
            if path.startswith(prefix):
                rest = path[len(prefix) :].lstrip("/")
                if any(part.startswith(("_", ".")) for part in rest.split("/")):
                    continue  # never served by the old engine
                candidate = folder / rest
                if candidate.is_file() and is_inside(candidate, folder):
                    return candidate
        return None


    @cached_property
    def urls_of_served_files(self) -> dict:
        """file -> its URL among served_files (the first in order when several), read once the
        engine module has filled served_files."""
        urls = {}
        for url, file in sorted(self.served_files.items()):
            urls.setdefault(file.resolve(), url)
        return urls

    def url_of(self, path: Path) -> str | None:
        """The URL path the old site served a file at ("/img/a.png"), None when it served none
        (an image beside a Gatsby post or in Astro's src/ was renamed by the build)."""
        served = self.urls_of_served_files.get(path.resolve())
        if served:
            return served
        for prefix, folder in self.static_roots:
            if is_inside(path, folder) and path.resolve() != folder.resolve():
                rest = path.resolve().relative_to(folder.resolve()).as_posix()
                if not any(part.startswith(("_", ".")) for part in rest.split("/")):
                    return prefix.rstrip("/") + "/" + rest
        return None


OTHER_MARKUP = (".org", ".adoc", ".asciidoc", ".rst", ".textile", ".pandoc", ".pdc")
OTHER_MARKUP_REASON = (
    "a post in a markup this engine does not read (Org, AsciiDoc, reStructuredText, Textile); "
    "convert it to Markdown (pandoc -t gfm) and import again"
)


def is_inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def split_base_url(url: str) -> tuple[str, str]:
    """`https://x.org/blog/` -> ("https://x.org", "/blog")."""
    if not url or not isinstance(url, str):
        return "", ""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return "", normal_base_path(url)
    return f"{parts.scheme}://{parts.netloc}", normal_base_path(parts.path)


def normal_base_path(path) -> str:
    """`blog/`, `/blog/` -> `/blog`; `/`, "" -> ""."""
    if not isinstance(path, str):
        return ""
    path = path.strip().strip("/")
    return "/" + path if path else ""


def join_url(*parts: str) -> str:
    """Path pieces joined with single slashes, as engines collapse `//` from empty values."""
    joined = re.sub("/{2,}", "/", "/" + "/".join(parts))
    collapsed = posixpath.normpath(joined) if joined.strip("/") else "/"
    if joined.endswith("/") and collapsed != "/":
        collapsed += "/"
    return collapsed


def slug_characters(text: str, keep: str = "") -> str:
    """Letters, marks and digits of any script (and `keep`) stay; every other run becomes '-'."""
    out, dash = [], False
    for character in text:
        category = unicodedata.category(character)
        if category[0] in "LM" or category == "Nd" or character in keep:
            out.append(character)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")
