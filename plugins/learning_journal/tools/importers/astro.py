"""An Astro site: `.md`/`.mdx` pages routed by their path under `src/pages/`, content collections
(`src/content/<name>/`, or a glob loader's `base`) shown by a `[slug].astro` route, `site`,
`base`, `trailingSlash` and `build.format` from astro.config.*. Feed ids: @astrojs/rss uses the
item's link as its guid, the absolute URL of the post.
"""

import posixpath
import re
from pathlib import Path

from .old_site import OldPost, OldSite, split_base_url
from .source_files import front_matter, walk

NAME = "Astro"
CONFIG_NAMES = ("astro.config.mjs", "astro.config.js", "astro.config.ts", "astro.config.mts", "astro.config.cjs")
MARKUP = {".md", ".mdx", ".markdown"}
CONFIG_STRING = r"""{key}\s*:\s*['"`]([^'"`]+)['"`]"""
COLLECTION_CALL = re.compile(r"""getCollection\(\s*['"]([\w-]+)['"]""")
PARAM_FROM_ENTRY = re.compile(r"""params\s*:\s*\{\s*(\w+)\s*:\s*\w+\.(slug|id)\b""")
LOADER_BASE = re.compile(
    r"""(?:const\s+)?(\w+)\s*=\s*defineCollection\(\s*\{[^;]*?base\s*:\s*['"]([^'"]+)['"]""", re.S
)
# Route parameters that name one entry: [slug].astro, [...id].astro (a [tag] or [page] route lists).
ENTRY_PARAMS = {"slug", "id", "post", "entry", "path"}
DATE_KEYS = ("pubdate", "date", "published", "publishdate", "pubdatetime")
THEME_FOLDERS = ("src/components", "src/layouts", "src/styles")


def is_site(root: Path) -> bool:
    return any((root / name).is_file() for name in CONFIG_NAMES)


def config_value(text: str, key: str) -> str | None:
    match = re.search(CONFIG_STRING.format(key=key), text)
    return match[1] if match else None


def github_slug(text: str) -> str:
    """Astro's entry slugs (github-slugger): lower case, spaces to '-', punctuation dropped."""
    kept = re.sub(r"[^\w\- ]", "", text.lower(), flags=re.UNICODE)
    return kept.replace(" ", "-")


class Routes:
    """How the old site turned a route into a URL."""

    def __init__(self, trailing: str, build_format: str):
        self.trailing, self.format = trailing, build_format

    def url(self, route: str, is_index: bool) -> str:
        """`posts/first` -> `/posts/first/`, or `/posts/first.html` with build.format 'file'."""
        route = route.strip("/")
        if not route:
            return "/"
        if self.format == "file" or (self.format == "preserve" and not is_index):
            return f"/{route}.html"
        return f"/{route}" if self.trailing == "never" else f"/{route}/"


def has_date(data: dict) -> bool:
    return any(str(key).lower() in DATE_KEYS for key in data)


def read_site(root: Path) -> OldSite:
    config_path = next(root / name for name in CONFIG_NAMES if (root / name).is_file())
    config = config_path.read_text(encoding="utf-8", errors="replace")
    site = OldSite(engine=NAME, root=root, static_roots=[("/", root / "public")])
    site.strip_prefixes = ("public/", "src/content/", "src/")
    site.base_url, _ = split_base_url(config_value(config, "site") or "")
    site.base_path = split_base_url(config_value(config, "base") or "")[1]
    site.address_keys = f"site and base in {config_path.name}"
    site.reason_for = reason_for
    routes = Routes(config_value(config, "trailingSlash") or "ignore", config_value(config, "format") or "directory")
    pages_dir = root / "src" / "pages"
    files, _ = walk(root / "src") if (root / "src").is_dir() else ([], [])

    collections = {}  # name -> folder
    content_dir = root / "src" / "content"
    if content_dir.is_dir():
        collections = {p.name: p for p in sorted(content_dir.iterdir()) if p.is_dir()}
    for name in ("src/content.config.ts", "src/content.config.js", "src/content.config.mjs", "src/content/config.ts"):
        if (root / name).is_file():
            text = (root / name).read_text(encoding="utf-8", errors="replace")
            for variable, base in LOADER_BASE.findall(text):
                collections[variable] = (root / base).resolve()

    collection_routes = {}  # collection -> route folder under src/pages (with the param's place)
    for path in files:
        if path.suffix != ".astro" or not path.is_relative_to(pages_dir) or "[" not in path.name:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        used = COLLECTION_CALL.findall(text)
        param = re.search(r"\[(?:\.\.\.)?([\w-]+)\]", path.name)
        entry_param = bool(param) and param[1] in ENTRY_PARAMS and "paginate(" not in text  # not a list
        if used and (PARAM_FROM_ENTRY.search(text) or entry_param):
            route = path.relative_to(pages_dir).with_suffix("").as_posix()
            collection_routes.setdefault(used[0], route)

    for path in files:
        if path.suffix.lower() not in MARKUP:
            continue
        if path.is_relative_to(pages_dir):
            route_path = path.relative_to(pages_dir)
            if any(part.startswith("_") for part in route_path.parts):
                site.leave(path, "a file starting with '_' under src/pages/: Astro gave it no page")
                continue
            data, _ = front_matter(path)
            is_index = route_path.stem == "index"
            route = route_path.parent.as_posix() if is_index else route_path.with_suffix("").as_posix()
            # posts/x.md, courses/ml/chapter.md: posts (a course becomes a series); about.md: a page
            kind = "post" if has_date(data) or len(route_path.parts) > 1 else "page"
            target = route_path.as_posix()
            post = OldPost(source=path, target=target, kind=kind, old_url=routes.url(route.strip("."), is_index))
            add(site, post, data)
            continue
        collection = next(
            (name for name, folder in collections.items() if path.resolve().is_relative_to(folder)), None
        )
        if collection is None:
            continue
        folder = collections[collection]
        data, _ = front_matter(path)
        inside = path.resolve().relative_to(folder)
        entry = data.get("slug") or "/".join(github_slug(part) for part in inside.with_suffix("").parts)
        entry = str(entry).removesuffix("/index")  # blog/series/index.md is the entry blog/series
        target = posixpath.join(collection, inside.as_posix())
        post = OldPost(source=path, target=target, kind="post")
        route = collection_routes.get(collection)
        if route is None:
            post.why_no_url = f"no page of the old site showed the collection '{collection}' ([slug].astro over it)"
        else:
            filled = re.sub(r"\[(?:\.\.\.)?\w+\]", str(entry), route, count=1)
            post.old_url = routes.url(filled.removesuffix("/index"), False)
        add(site, post, data)
    return site


def add(site: OldSite, post: OldPost, data: dict) -> None:
    if data.get("draft") is True:
        post.published = False
    if post.kind == "post" and post.old_url:
        post.feed_id = site.absolute_url(post.old_url)
    if post.old_url == "/":
        site.leave(post.source, "the home page; the journal writes its own")
        return
    site.posts.append(post)


def reason_for(relative: str) -> str:
    if "/" not in relative:
        return "the old site's settings or tooling"
    if relative.startswith(THEME_FOLDERS) or relative.endswith((".astro", ".css", ".ts", ".js", ".mjs")):
        return "part of the old theme or its code (components, layouts, styles, routes); the journal has its own"
    return "not used by any imported post or page"
