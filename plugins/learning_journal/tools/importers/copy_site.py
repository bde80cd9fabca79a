"""Copy what an engine module read (an `OldSite`) into content/: posts and pages with the
front matter that keeps their old URLs and feed ids, the files they use, and a report.

Idempotent: a manifest (.journal-import.json beside pelicanconf.py) holds a hash of every file
written. Running again writes what changed in the old site, skips what is the same, and never
overwrites a file the author edited since, nor one that was not written by an import.
"""

import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ...read.metadata import Unusable, safe_site_path
from ...site.urls import RESERVED_FOLDERS
from .front_matter_images import front_matter_images
from .front_matter_keys import set_front_matter, split_fences
from .old_site import is_inside
from .references import Rewriter, url_key
from .site_address import adopt_address
from .source_files import front_matter, walk

MANIFEST = ".journal-import.json"
READ_AS_MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")
# Files the build would read as posts wherever they are: never placed outside the static folder.
READ_AS_CONTENT = (*READ_AS_MARKDOWN, ".html", ".htm", ".ipynb", ".mdx", ".rst")
# MDX lines that are JavaScript, not prose: imports of components, exports of values.
MDX_CODE_LINE = re.compile(
    r"^(?:import\s.+\sfrom\s.+|import\s+['\"].+['\"];?|export\s+(?:const|default|function)\s.*)$"
)


@dataclass
class ImportReport:
    """What one import did, worded for the author."""

    engine: str
    posts: int = 0
    pages: int = 0
    files: int = 0
    written: dict = field(default_factory=dict)  # "new" / "updated" / "unchanged" / "kept" -> [target]
    permalinks: int = 0
    redirects: int = 0
    lost_urls: list = field(default_factory=list)  # (target, old URL, why)
    left_behind: list = field(default_factory=list)  # (path, reason)
    notes: list = field(default_factory=list)
    address: list = field(default_factory=list)  # what was done about the production address
    files_at_old_urls: int = 0  # files the posts use, copied to the URL the old site served them at
    files_elsewhere: list = field(default_factory=list)  # the others: where they went

    def count(self, state: str, target: str) -> None:
        self.written.setdefault(state, []).append(target)

    def lines(self) -> list[str]:
        states = ", ".join(
            f"{len(self.written[s])} {s}" for s in ("new", "updated", "unchanged", "kept") if s in self.written
        )
        out = [
            f"Imported from {self.engine}: {self.posts} posts, {self.pages} pages, {self.files} files"
            + (f" ({states})" if states else ""),
            f"Old URLs kept: {self.permalinks} as the post's own URL, {self.redirects} more as redirect pages.",
        ]
        for target in self.written.get("kept", []):
            out.append(f"  content/{target}: edited since the last import, or not written by it; left as it is")
        if self.lost_urls:
            out.append(f"Old URLs that could not be kept ({len(self.lost_urls)}):")
            out += [f"  content/{target}: {old or '(unknown)'}: {why}" for target, old, why in self.lost_urls]
        else:
            out.append("Every published post keeps its old URL.")
        if self.files_elsewhere:
            moved = ", ".join(f"/{name}" for name in self.files_elsewhere[:5])
            more = f" and {len(self.files_elsewhere) - 5} more" if len(self.files_elsewhere) > 5 else ""
            out.append(
                f"Files the posts use: {self.files_at_old_urls} at their old URLs; "
                f"{len(self.files_elsewhere)} at new ones ({moved}{more}): the old build renamed them, "
                "their old URL is one this site uses for its own pages, or a file of yours is there"
            )
        elif self.files_at_old_urls:
            out.append(f"Files the posts use: all {self.files_at_old_urls} at their old URLs.")
        if self.left_behind:
            out.append(f"Left behind ({len(self.left_behind)} files):")
            out += [f"  {line}" for line in grouped(self.left_behind)]
        out += self.address
        out += [f"note: {note}" for note in self.notes]
        out.append("Check the result: journal check, then journal build --production.")
        return out


def grouped(left_behind: list) -> list[str]:
    """Files left for one reason in one folder read as one line: `_layouts/ (12 files): ...`."""
    by_folder = {}
    for path, reason in sorted(left_behind):
        folder = path.split("/", 1)[0] + "/" if "/" in path else path
        by_folder.setdefault((folder, reason), []).append(path)
    reasons_per_folder = {}
    for folder, reason in by_folder:
        reasons_per_folder.setdefault(folder, set()).add(reason)
    lines = []
    for (folder, reason), paths in sorted(by_folder.items()):
        if len(paths) > 3 and len(reasons_per_folder[folder]) == 1 and folder.endswith("/"):
            lines.append(f"{folder} ({len(paths)} files): {reason}")
        else:
            lines += [f"{path}: {reason}" for path in paths]
    return lines


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Destination:
    """content/ and the manifest: writes only what is new or changed, never an author's edit."""

    def __init__(self, content: Path, manifest: Path, report: ImportReport):
        self.content = content
        self.manifest_path = manifest
        self.report = report
        try:
            saved = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}
        saved = saved if isinstance(saved, dict) else {}
        self.manifest = saved.get("files") if isinstance(saved.get("files"), dict) else {}
        self.site_address = saved.get("site_address")  # what an import wrote into publishconf.py
        self.written = {}

    def is_foreign(self, target: str) -> bool:
        """A file there that no import wrote: the author's own, never replaced."""
        return (self.content / target).exists() and target not in self.manifest

    def write(self, target: str, data: bytes, mtime: float | None = None) -> None:
        path = self.content / target
        if path.is_file():
            current = path.read_bytes()
            if current == data:
                self.report.count("unchanged", target)
                self.written[target] = sha(data)
                return
            if self.manifest.get(target) != sha(current):
                self.report.count("kept", target)
                return
            state = "updated"
        else:
            state = "new"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if mtime is not None:  # a dateless post dates from its file, as it did in the old site
            os.utime(path, (mtime, mtime))
        self.written[target] = sha(data)
        self.report.count(state, target)

    def save(self) -> None:
        files = {**self.manifest, **self.written}
        saved = {"files": dict(sorted(files.items()))}
        if self.site_address:
            saved["site_address"] = self.site_address
        text = json.dumps(saved, indent=1, ensure_ascii=False) + "\n"
        self.manifest_path.write_text(text, encoding="utf-8")


def read_text(path: Path) -> tuple[str, str | None]:
    """The file's text; a file that is not UTF-8 is read as Windows-1252, with a note."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "not UTF-8; read as Windows-1252 and written as UTF-8"


def checked_url(path: str) -> tuple[str | None, str | None]:
    """(the URL as front matter writes it, None) or (None, why it cannot be a URL here)."""
    try:
        kept = safe_site_path(path, "permalink")
    except Unusable as error:
        return None, str(error)
    if kept.startswith(RESERVED_FOLDERS):
        return None, f"/{kept.split('/')[0]}/ is where this site writes its own pages"
    return "/" + kept, None


def free_target(target: str, taken: set, reserved: set, destination: Destination) -> str:
    """content/pages, content/images ... are not for posts: such a post goes under imported/.
    A name already used (by another imported post or by the author) gets -2, -3 ..."""
    top = PurePosixPath(target).parts[0]
    if top in reserved:
        target = "imported/" + target
    stem, suffix = posixpath.splitext(target)
    number = 2
    while target in taken or destination.is_foreign(target):
        target = f"{stem}-{number}{suffix}"
        number += 1
    taken.add(target)
    return target


def claim_urls(posts) -> dict:
    """url_key -> the post that keeps that URL: its own URL first, then as a redirect; the
    first post (by path) wins, so a URL is never claimed by two files."""
    claimed = {}
    for post in posts:
        if post.old_url and post.published:
            claimed.setdefault(url_key(post.old_url), post)
    for post in posts:
        for alias in post.aliases:
            claimed.setdefault(url_key(alias), post)
    return claimed


def assign_targets(posts, settings: dict, destination: Destination, report: ImportReport) -> None:
    """Where each post goes under content/: a Markdown name, pages under PAGE_PATHS, no post in
    a folder the build reads otherwise, no name taken twice, no file of the author replaced."""
    page_folder = (settings.get("PAGE_PATHS") or ["pages"])[0].strip("/")
    reserved = {
        *(settings.get("ARTICLE_EXCLUDES") or []),
        *(settings.get("STATIC_PATHS") or []),
        settings.get("JOURNAL_SERIES_PATH", "series"),
    } - {page_folder}
    taken = set()
    for post in posts:
        stem, suffix = posixpath.splitext(post.target)
        if suffix.lower() not in READ_AS_MARKDOWN:  # .mdx, .html: the Markdown reader reads them
            post.target = stem + ".md"
        if post.kind == "page" and not post.target.startswith(page_folder + "/"):
            post.target = f"{page_folder}/{post.target}"
        wanted = post.target
        post.target = free_target(wanted, taken, reserved if post.kind == "post" else set(), destination)
        if destination.is_foreign(wanted):
            report.notes.append(
                f"content/{wanted} is the author's own file; the import went to content/{post.target}"
            )


def file_placer(site, content: Path, static_folder: str, destination: Destination, placed: dict):
    """A function giving each used file its path under content/, recorded in `placed`: the
    path it was served at by the old site, so its old URL answers again (Pelican copies a
    linked file to its path under content/), else its old path (minus static/ or public/)
    under the static folder."""

    def taken(name: str, path: Path) -> bool:
        return name in placed.values() or (
            destination.is_foreign(name) and (content / name).read_bytes() != path.read_bytes()
        )

    def at_old_url(path: Path) -> str | None:
        url = site.url_of(path)
        name, _ = checked_url(url) if url else (None, None)
        if not name or name.endswith("/") or path.suffix.lower() in READ_AS_CONTENT:
            return None
        name = name.lstrip("/")
        return None if taken(name, path) else name

    def place_file(path: Path) -> str:
        if path not in placed and (kept := at_old_url(path)):
            placed[path] = kept
        if path not in placed:
            relative = site.relative(path)
            for prefix in site.strip_prefixes:
                if relative.startswith(prefix):
                    relative = relative[len(prefix) :]
                    break
            name, number = f"{static_folder}/{relative}", 2
            while taken(name, path):
                stem, suffix = posixpath.splitext(f"{static_folder}/{relative}")
                name, number = f"{stem}-{number}{suffix}", number + 1
            placed[path] = name
        return placed[path]

    return place_file


def body_text(post, rewriter: Rewriter, report: ImportReport, site) -> str:
    """The post's text with its links rewritten (front matter untouched, MDX code lines out)."""
    text, encoding_note = read_text(post.source)
    if encoding_note:
        report.notes.append(f"{site.relative(post.source)}: {encoding_note}")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    fence, _, body = split_fences(text)
    head = text[: len(text) - len(body)] if fence else ""
    if post.source.suffix.lower() == ".mdx":
        post.notes.append("MDX: its import and export lines were left out; its components stay as written")
        body = "\n".join(line for line in body.split("\n") if not MDX_CODE_LINE.match(line.strip()))
    return head + rewriter.rewrite(body, post)


def kept_urls(post, claimed: dict) -> tuple[str | None, list, str | None]:
    """(permalink, aliases, why the old URL is not the permalink) for one post."""
    permalink, why = checked_url(post.old_url) if post.old_url else (None, post.why_no_url)
    if permalink and claimed.get(url_key(permalink), post) is not post:
        why = f"content/{claimed[url_key(permalink)].target} had the same URL on the old site"
        permalink = None
    aliases = []
    for alias in post.aliases:
        kept, _ = checked_url(alias)
        if kept and claimed.get(url_key(kept), post) is post and kept != permalink and kept not in aliases:
            aliases.append(kept)
    return permalink, aliases, why


def import_site(site, content: Path, manifest: Path, settings: dict) -> ImportReport:
    """Copy `site` into `content`; returns the report (nothing is printed here)."""
    report = ImportReport(engine=site.engine, left_behind=list(site.left_behind), notes=list(site.notes))
    destination = Destination(content, manifest, report)
    outside = [post for post in site.posts if not is_inside(post.source, site.root)]
    for post in outside:  # a symbolic link to a file elsewhere on this computer
        site.leave(post.source, "a link to a file outside the old site; copy the file itself if it is a post")
    posts = sorted((post for post in site.posts if post not in outside), key=lambda p: p.target)
    assign_targets(posts, settings, destination, report)
    by_url = {}
    for post in posts:
        for path in [post.old_url, *post.aliases]:
            if path:
                by_url.setdefault(url_key(path), post)
    placed = {}
    static_folder = (settings.get("STATIC_PATHS") or ["images"])[0].strip("/")
    rewriter = Rewriter(site, by_url, file_placer(site, content, static_folder, destination, placed))
    claimed = claim_urls(posts)
    for post in posts:
        text = body_text(post, rewriter, report, site)
        permalink, aliases, why = kept_urls(post, claimed)
        values, drop = dict(post.set_keys), set(post.drop_keys)
        values.update(front_matter_images(front_matter(post.source)[0], post, rewriter))
        if permalink:
            values["permalink"] = permalink
            drop |= {"url", "permalink", "save_as"}
        elif post.published:
            report.lost_urls.append((post.target, post.old_url, why or "the old site gave it no URL"))
        if aliases or post.aliases:
            values["aliases"] = aliases
            drop |= {"aliases", "redirect_from"}
        if post.feed_id:
            values["id"] = post.feed_id
        destination.write(
            post.target, set_front_matter(text, values, drop).encode("utf-8"), post.source.stat().st_mtime
        )
        if post.kind == "page":
            report.pages += 1
        else:
            report.posts += 1
            report.permalinks += bool(permalink) and post.published
            report.redirects += len(aliases) if post.published else 0
        report.notes += [f"content/{post.target}: {note}" for note in post.notes]

    report.files_at_old_urls = sum(site.url_of(path) == "/" + name for path, name in placed.items())
    report.files_elsewhere = sorted(name for path, name in placed.items() if site.url_of(path) != "/" + name)
    for name, path in sorted(site.extra_files.items()):
        placed[path] = name
    for path, name in sorted(placed.items(), key=lambda item: item[1]):
        destination.write(name, path.read_bytes())
        report.files += 1
    # The manifest lives beside pelicanconf.py and publishconf.py.
    address_notes, destination.site_address = adopt_address(
        site, manifest.parent / "publishconf.py", destination.site_address
    )
    report.address = address_notes
    destination.save()
    report.left_behind = left_behind(site, posts, placed)
    return report


def left_behind(site, posts, placed) -> list:
    """Every file of the old site that was not imported, with the reason."""
    taken = {post.source for post in posts} | set(placed)
    said = {path: reason for path, reason in site.left_behind}
    files, tool_folders = walk(site.root)
    found = [(site.relative(folder) + "/", reason) for folder, reason in tool_folders]
    for path in files:
        relative = site.relative(path)
        if path not in taken:
            found.append((relative, said.get(relative) or site.reason_for(relative)))
    return sorted(found)
