"""Links between posts written the way other engines write them, resolved once all is read.

`../vectors-and-the-dot-product/`, `what-is-a-neural-network` (a course page linking its next
chapter), `02-vectors.md`: each is looked up as a file beside the post, as a URL relative to
the post (ours, or the old site's without a trailing slash), then by slug and by file name.
A link that is found becomes Pelican's own `{filename}` / `{static}` link, so Pelican writes
the target's real URL; a link that is found nowhere is left as written and reported with the
line it stands on. External links and anchors are never touched.
"""

import html
import os
import posixpath
import re
from collections import defaultdict
from urllib.parse import quote, unquote

from pelican.contents import Content

from ..build_state import build_state
from ..content_kinds import drafts_built
from ..problems import Problem
from .urls import RESERVED_FOLDERS, contents_of, display, site_outputs

START_TAG = re.compile(r"<(?P<tag>a|img|source|video|audio)\b[^>]*>", re.IGNORECASE)
LINK_ATTRIBUTE = re.compile(r"(?P<before>\s(?:href|src)\s*=\s*)(?P<quote>[\"'])(?P<value>.*?)(?P=quote)", re.IGNORECASE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
PELICAN_LINK = re.compile(r"^\{(?P<what>filename|static|attach)\}(?P<path>[^?#]*)")
SOURCE_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
# Browsers ask for it on every site; a theme or a static file may provide it.
FAVICON = "favicon.ico"


def url_key(url: str) -> str:
    """One spelling for every way a URL may be written: no leading or trailing slash,
    no index.html, no .html."""
    key = unquote(url).strip("/")
    key = key.removesuffix("index.html").rstrip("/")
    return key.removesuffix(".html")


def name_of(path: str) -> str:
    """The last meaningful part of a link: `../2020-05-25-my-post.html` -> `my-post`."""
    name = url_key(path).rsplit("/", 1)[-1]
    for extension in SOURCE_EXTENSIONS:
        name = name.removesuffix(extension)
    return DATE_PREFIX.sub("", name)


class SiteLinks:
    """Everything a link may point to in this build, looked up by source path, URL and name."""

    def __init__(self, generators, settings):
        context = generators[0].context
        self.settings = settings
        self.sources = context.get("generated_content", {})
        self.statics = context.get("static_content", {})
        self.by_source_stem = {}
        self.by_url = {}
        self.by_name = defaultdict(list)
        self.contents = contents_of(generators)
        for content in self.contents:
            source = content.get_relative_source_path()
            self.by_source_stem[os.path.splitext(source)[0]] = content
            if content.status != "draft":
                self.by_url[url_key(content.url)] = content
            names = {content.slug, name_of(source)}
            for name in names:
                self.by_name[name].append(content)
        self.static_by_url = {url_key(static.url): static for static in self.statics.values() if static}
        self.site_urls = {url_key(name) for name in site_outputs(settings) | {FAVICON}}

    def is_site_page(self, key: str) -> bool:
        """tags/, series/, archives/, feeds: written by the site, not by a post."""
        return key in self.site_urls or (key + "/").startswith(RESERVED_FOLDERS)

    def find(self, path: str, content):
        """(kind, target) for a relative link path: kind is "filename", "static" or "site";
        (None, candidates) when it resolves to nothing public."""
        kind, target = self.lookup(path, content)
        if kind == "filename" and target.status == "draft":
            return None, [target]
        return kind, target

    def lookup(self, path: str, content):
        beside = posixpath.normpath(posixpath.join(content.relative_dir, path)).lstrip("/")
        if self.sources.get(beside):
            return "filename", self.sources[beside]
        if self.statics.get(beside):
            return "static", self.statics[beside]
        if beside.rstrip("/") in self.by_source_stem:
            return "filename", self.by_source_stem[beside.rstrip("/")]

        page = content.url
        own_folder = page if page.endswith("/") else posixpath.dirname(page) + "/"
        old_folder = posixpath.dirname(page.rstrip("/")) + "/"  # the old site's URL had no slash
        for folder in dict.fromkeys((own_folder, old_folder)):
            key = url_key(posixpath.normpath(posixpath.join(folder, path)))
            if key in self.by_url:
                return "filename", self.by_url[key]
            if key in self.static_by_url:
                return "static", self.static_by_url[key]
            if self.is_site_page(key):
                return "site", None

        named = self.by_name.get(name_of(path), [])
        if len(named) == 1:
            return "filename", named[0]
        return None, named

    def why_not(self, kind: str, value: str, path: str, content, candidates) -> str:
        """What the author reads when a link (or image) points to nothing; worded as
        `journal check` words its own findings: "link 'x' ...", so each is said once."""
        if len(candidates) > 1:
            names = ", ".join(sorted(display(c, self.settings) for c in candidates))
            return f"{kind} '{value}' could mean several posts ({names}); link one of them by file name"
        if len(candidates) == 1 and candidates[0].status == "draft":
            draft = display(candidates[0], self.settings)
            return f"{kind} '{value}' points to a draft ({draft}); it stays as written until that post is published"
        on_disk = os.path.join(self.settings["PATH"], content.relative_dir, path)
        if os.path.isfile(on_disk):
            folders = ", ".join(self.settings.get("STATIC_PATHS") or []) or "a static folder"
            return f"{kind} '{value}' names a file that is not published with the site; move it into {folders}"
        return (
            f"{kind} '{value}' points to nothing in this site (no post with that slug, "
            "permalink or file name, no file there); fix the link or remove it"
        )


def relative_path(value: str) -> str | None:
    """The path part of a link that may point inside the site, or None for any other link.
    `/posts/x.md` (Hugo's `ref` from the content root) names a source file, never a URL."""
    value = html.unescape(value).strip()
    if not value or value.startswith(("#", "?", "{")) or SCHEME.match(value):
        return None
    path = unquote(re.split(r"[?#]", value, maxsplit=1)[0])
    if path.startswith("/") and not path.lower().endswith(SOURCE_EXTENSIONS):
        return None
    return path or None


def resolve_links(generators, settings) -> None:
    """all_generators_finalized, step 3: rewrite links that resolve, report those that do not."""
    report = build_state(settings).report
    site = SiteLinks(generators, settings)
    changed = set()
    for content in site.contents:
        if not getattr(content, "_content", None):
            continue
        problems = []

        def rewrite(attribute, kind, content=content, problems=problems):
            value = attribute["value"]
            path = relative_path(value)
            if path is None:
                return check_pelican_link(attribute, content, site, problems)
            if path in (getattr(content, "notebook_files", None) or {}):
                return attribute[0]  # a notebook's output image, written beside its page
            found, target = site.find(path, content)
            if found == "site":
                return attribute[0]
            if found is None:
                problems.append((value, site.why_not(kind, value, path, content, target)))
                return attribute[0]
            rest = value[len(value.split("#", 1)[0].split("?", 1)[0]) :]
            link = f"{{{found}}}/{quote(target.get_relative_source_path(), safe='/')}{rest}"
            return f"{attribute['before']}{attribute['quote']}{link}{attribute['quote']}"

        def tag(match):
            kind = {"a": "link", "img": "image"}.get(match["tag"].lower(), "media")
            return LINK_ATTRIBUTE.sub(lambda attribute: rewrite(attribute, kind), match[0])

        updated = START_TAG.sub(tag, content._content)
        if updated != content._content:
            content._content = updated
            changed.add(id(content))
        report_problems(content, problems, report, settings)
    forget_rendered(changed)


def check_pelican_link(attribute, content, site: SiteLinks, problems) -> str:
    """`{filename}x.md` to a file that is not there: Pelican only logs it; we say where. To a
    draft in a build that writes no drafts (production): said too, and the link is left as
    written without `{filename}`, so that Pelican does not point it at a page never written.
    Returns the attribute as it is to be written."""
    value = attribute["value"]
    match = PELICAN_LINK.match(html.unescape(value))
    if not match:
        return attribute[0]
    path = unquote(match["path"])
    if path.startswith("/"):
        key = posixpath.normpath(path.lstrip("/"))
    else:
        key = posixpath.normpath(posixpath.join(content.relative_dir, path))
    table = site.sources if match["what"] == "filename" else site.statics
    target = table.get(key)
    if not target and not (match["what"] == "filename" and site.statics.get(key)):
        problems.append((value, f"link '{value}' names a file that is not in the content folder; fix the path"))
    elif match["what"] == "filename" and getattr(target, "status", None) == "draft" and not drafts_built(site.settings):
        problems.append((value, site.why_not("link", value, path, content, [target])))
        written = value.replace("{filename}", "", 1)
        return f"{attribute['before']}{attribute['quote']}{written}{attribute['quote']}"
    return attribute[0]


def report_problems(content, problems, report, settings) -> None:
    """One warning per broken link, on the line of the Markdown source where it stands."""
    if not problems:
        return
    try:
        with open(content.source_path, encoding="utf-8", errors="replace") as handle:
            source = handle.read()
    except OSError:
        source = ""
    where = display(content, settings)
    searched_from = defaultdict(int)
    for value, message in problems:
        written = html.unescape(value)
        line = None
        for needle in (f"]({written}", f'"{written}"', f"'{written}'", f"<{written}>", written):
            start = searched_from[needle]
            index = source.find(needle, start)
            if index != -1:
                searched_from[needle] = index + 1
                line = source.count("\n", 0, index) + 1
                break
        report.warn(content.source_path, Problem(where, line, None, message, code="broken-link"))


def forget_rendered(changed: set) -> None:
    """Pelican memoizes content and summary; drop what was computed before the rewrite."""
    for method in (Content.get_content, Content.get_summary):
        cache = getattr(method, "cache", {})
        for key in [key for key in cache if key and id(key[0]) in changed]:
            del cache[key]
