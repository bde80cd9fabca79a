"""Links and images inside an imported post: each one that led to another imported post or
to a file of the old site is rewritten to Pelican's own `{filename}` / `{static}` link, so it
keeps working whatever URL the target has now. Fenced code is never touched.
"""

import posixpath
import re
from urllib.parse import quote, unquote

from ...read.shortcodes import CODE_SPAN, code_and_prose

# [text](target "title"), ![alt](<target>)
MARKDOWN_LINK = re.compile(r"(?P<before>\]\(\s*<?)(?P<target>[^)\s>]+)")
# [name]: target
REFERENCE = re.compile(r"(?m)^(?P<before> {0,3}\[[^\]]+\]:[ \t]*<?)(?P<target>[^\s>]+)")
# src="..", href='..', also inside Hugo shortcodes: {{< figure src="cover.jpg" >}}
ATTRIBUTE = re.compile(r"""(?P<before>\b(?:src|href|poster|data-src)\s*=\s*["'])(?P<target>[^"'\s]+)""", re.I)
# Jekyll's ways to write a site address in Liquid, which mean a plain path here.
LIQUID_PREFIX = re.compile(r"\{\{-?\s*site\.(?:url|baseurl)\s*-?\}\}(?=[/{])")  # only before a path
LIQUID_FILTERED = re.compile(
    r"""\{\{-?\s*(?P<quote>["'])(?P<path>[^"']*)(?P=quote)\s*\|\s*"""
    r"""(?:relative_url|absolute_url|prepend:\s*site\.(?:base)?url)\s*-?\}\}"""
)
PATH_AND_REST = re.compile(r"([^?#]*)(.*)", re.S)
LINK_BREAKING = re.compile(r"[\s()<>\"'%]")
LIQUID_LINK = re.compile(r"\{%-?\s*link\s+(?P<path>[^\s%]+)\s*-?%\}")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
CONTENT_EXTENSIONS = (".md", ".markdown", ".mdx", ".mkd", ".html", ".htm")


def link_safe(path: str) -> str:
    """A path that fits in a Markdown link or an attribute: only what would end it is escaped
    (Pelican looks the path up as written, then unquoted; letters of any script stay)."""
    return LINK_BREAKING.sub(lambda match: quote(match.group()), path)


def url_key(path: str) -> str:
    """One spelling of a URL path: no slashes at the ends, no index.html, no .html."""
    key = path.strip("/").removesuffix("index.html").rstrip("/")
    return key.removesuffix(".html")


def prose_pieces(body: str):
    """(text, is code) pieces; Liquid's {% raw %} and {% highlight %} blocks count as code."""
    return code_and_prose(body)


class Rewriter:
    """Knows every old URL of the imported posts and every file of the old site."""

    def __init__(self, site, posts_by_url: dict, place_file):
        self.site = site
        self.posts_by_url = posts_by_url  # url_key -> OldPost
        self.place_file = place_file  # Path -> new path under content/ ("images/...")

    def rewrite(self, body: str, post) -> str:
        pieces = []
        for text, is_code in prose_pieces(body):
            pieces.append(text if is_code else self.rewrite_prose(text, post))
        return "".join(pieces)

    def rewrite_prose(self, text: str, post) -> str:
        """Links in prose; code spans (`like this`) are kept as written."""
        out, start = [], 0
        for span in [*CODE_SPAN.finditer(text), None]:
            end = span.start() if span else len(text)
            part = LIQUID_LINK.sub(self.linked_file, text[start:end])
            part = LIQUID_FILTERED.sub(lambda m: m["path"], part)
            part = LIQUID_PREFIX.sub("", part)
            for pattern in (MARKDOWN_LINK, REFERENCE, ATTRIBUTE):
                part = pattern.sub(lambda m: m["before"] + self.new_target(m["target"], post), part)
            out.append(part)
            if span:
                out.append(span.group())
                start = span.end()
        return "".join(out)

    def linked_file(self, match) -> str:
        """`{% link assets/x.png %}` names a file of the old site: its copy here. Links to posts
        stay for the engine's own `link` tag."""
        path = self.site.root / match["path"].strip("\"'")
        try:
            is_file = path.is_file() and path.suffix.lower() not in CONTENT_EXTENSIONS
        except OSError:
            is_file = False
        if not is_file or not path.resolve().is_relative_to(self.site.root.resolve()):
            return match.group()
        return "{static}/" + link_safe(self.place_file(path))

    def new_target(self, target: str, post) -> str:
        if target.startswith(("#", "{", "mailto:", "data:")):
            return target
        path, suffix = PATH_AND_REST.match(target).groups()
        try:
            found = self.find(unquote(path), post)
        except (OSError, ValueError):  # a name too long for the file system, a broken address
            found = None
        if found is None:
            return target
        kind, value = found
        if kind == "post":
            return "{filename}/" + link_safe(value.target) + suffix
        return "{static}/" + link_safe(self.place_file(value)) + suffix

    def find(self, path: str, post):
        """("post", OldPost) or ("file", Path) for a link of the old site, else None."""
        if not path:
            return None
        if SCHEME.match(path) or path.startswith("//"):
            site_path = self.site.site_path(path if not path.startswith("//") else "https:" + path)
            return self.at_url(site_path) if site_path else None
        if path.startswith("/"):
            return self.at_url(self.site.site_path(path) or path)
        beside = (post.source.parent / path).resolve()
        if beside.is_file() and beside.is_relative_to(self.site.root.resolve()):
            if beside.suffix.lower() in CONTENT_EXTENSIONS:
                imported = next((p for p in self.posts_by_url.values() if p.source.resolve() == beside), None)
                return ("post", imported) if imported else None
            return "file", beside
        if post.old_url:
            folder = post.old_url if post.old_url.endswith("/") else posixpath.dirname(post.old_url) + "/"
            for base in dict.fromkeys((folder, posixpath.dirname(post.old_url.rstrip("/")) + "/")):
                found = self.at_url(
                    posixpath.normpath(posixpath.join(base, path)) + ("/" if path.endswith("/") else "")
                )
                if found:
                    return found
        return None

    def at_url(self, path: str):
        imported = self.posts_by_url.get(url_key(path))
        if imported is not None:
            return "post", imported
        served = self.site.file_at(path)
        if served is not None and served.suffix.lower() not in CONTENT_EXTENSIONS:
            return "file", served
        return None
