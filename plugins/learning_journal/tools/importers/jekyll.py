"""A Jekyll site: `_config.yml` (permalink style or pattern, collections, defaults, url,
baseurl, timezone), posts under any `_posts/` (date and slug from the file name), drafts,
Markdown pages, `redirect_from`. Feed ids as jekyll-feed wrote them (the post's id, absolute).
"""

import datetime
import fnmatch
import posixpath
import re
from pathlib import Path

from .old_site import OTHER_MARKUP, OTHER_MARKUP_REASON, OldPost, OldSite, join_url, slug_characters, split_base_url
from .references import url_key
from .source_files import date_of, front_matter, has_front_matter, load_config, walk

NAME = "Jekyll"
MARKUP = {".md", ".markdown", ".mkdown", ".mkd", ".mdown", ".html", ".htm"}
POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
PLACEHOLDER = re.compile(r":([a-z_]+)")
# Pages the old theme filled itself: the journal writes its own archives, tags and search.
THEME_LAYOUTS = {"archive", "archives", "search", "tags", "tag", "categories", "category", "home", "blog"}
LISTING = re.compile(r"\{%-?\s*for\s+\w+\s+in\s+(?:site\.(?:posts|tags|categories)|paginator)")


def is_site(root: Path) -> bool:
    return (root / "_config.yml").is_file() or (root / "_config.yaml").is_file() or (root / "_posts").is_dir()


def jekyll_slugify(text: str, pretty: bool, cased: bool) -> str:
    slug = slug_characters(str(text), "._~!$&'()+,;=@" if pretty else "")
    return slug if cased else slug.lower()


def style_of(permalink) -> str:
    permalink = str(permalink or "date")
    return STYLES.get(permalink, permalink)


def suffix_for(style: str) -> str:
    """Jekyll's page and collection URLs follow the site's style: pretty ends in '/'."""
    return "/" if style.endswith("/") else ":output_ext"


def categories_of(data: dict, folders: list) -> list:
    """The folders above _posts/, then `categories`, then `category`; lower case, each once."""
    found = []
    for key in ("categories", "category"):
        value = data.get(key)
        items = value.split() if isinstance(value, str) and key == "categories" else value
        items = items if isinstance(items, list) else [items] if items else []
        folders = [*folders, *(str(item) for item in items if item is not None)]
    for name in folders:
        if name.lower() not in found:
            found.append(name.lower())
    return found


def fill(template: str, values: dict) -> str:
    url = PLACEHOLDER.sub(lambda m: str(values.get(m[1], m[0])), template)
    url = re.sub(r"/{2,}", "/", "/" + url.lstrip("/"))
    return url.replace("/./", "/")


def date_values(moment: datetime.datetime) -> dict:
    return {
        "year": f"{moment.year:04d}",
        "short_year": f"{moment:%y}",
        "month": f"{moment:%m}",
        "i_month": str(moment.month),
        "short_month": f"{moment:%b}",
        "long_month": f"{moment:%B}",
        "day": f"{moment:%d}",
        "i_day": str(moment.day),
        "y_day": f"{moment:%j}",
        "w_year": f"{moment:%G}",
        "week": f"{moment:%V}",
        "w_day": str(moment.isoweekday()),
        "short_day": f"{moment:%a}",
        "long_day": f"{moment:%A}",
        "hour": f"{moment:%H}",
        "minute": f"{moment:%M}",
        "second": f"{moment:%S}",
    }


def read_site(root: Path) -> OldSite:
    config_file = root / "_config.yml" if (root / "_config.yml").is_file() else root / "_config.yaml"
    config = load_config(config_file) if config_file.is_file() else {}
    site = OldSite(engine=NAME, root=root, static_roots=[("/", root)])
    written_order = {}  # post -> where Jekyll wrote it among the documents: (date, path)
    if not config and config_file.is_file() and config_file.read_text(encoding="utf-8", errors="replace").strip():
        site.notes.append(f"{config_file.name} cannot be read as YAML; URLs were made with Jekyll's defaults")
    site.base_url, path_from_url = split_base_url(config.get("url") or "")
    site.base_path = split_base_url(config.get("baseurl") or "")[1] or path_from_url
    site.address_keys = f"url and baseurl in {config_file.name}"
    site.reason_for = reason_for
    timezone = config.get("timezone")
    style = style_of(config.get("permalink"))
    collections = config.get("collections") or {}
    if isinstance(collections, list):
        collections = {str(label): {} for label in collections}
    collections = {
        str(label): options if isinstance(options, dict) else {}
        for label, options in (collections.items() if isinstance(collections, dict) else [])
    }
    posts_style = style_of((collections.get("posts") or {}).get("permalink") or style)
    feed_by_url = feed_uses_url(root)
    defaults = [entry for entry in config.get("defaults") or [] if isinstance(entry, dict)]
    today = datetime.datetime.now()
    show_future = bool(config.get("future"))
    collections_dir = str(config.get("collections_dir") or "").strip("/")

    def defaults_for(relative: str, kind: str) -> dict:
        merged = {}
        for entry in defaults:
            scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
            prefix = str(scope.get("path") or "").strip("/")
            if prefix and not (relative == prefix or relative.startswith(prefix + "/")):
                continue
            if scope.get("type") and scope["type"] != kind:
                continue
            values = entry.get("values")
            merged.update(values if isinstance(values, dict) else {})
        return merged

    def document_url(data, template, values) -> tuple[str, str]:
        """(URL, id) of a post or collection document, as Jekyll's Document gives them."""
        url = fill(style_of(data.get("permalink")) if data.get("permalink") else template, values)
        return url, posixpath.join(posixpath.dirname(url.rstrip("/")), str(values["raw_slug"]))

    def add_document(path: Path, relative: str, kind: str, label: str, folders: list, template: str):
        data, problem = front_matter(path)
        data = {**defaults_for(relative, label), **data}
        stem = path.stem
        named = POST_NAME.match(stem)
        notes = []
        if label == "posts" and not named:
            kind = "draft"  # Jekyll skipped it: kept, but only as a draft
            notes.append("its name does not start with a date (YYYY-MM-DD-name): Jekyll never published it; a draft")
        raw_slug = str(data.get("slug") or (named[4] if named else stem)).rstrip(".")
        moment = date_of(data.get("date"), timezone)
        if moment is None and named:
            try:
                moment = datetime.datetime(int(named[1]), int(named[2]), int(named[3]))
            except ValueError:
                moment = None
        post = OldPost(source=path, target=relative, kind="post", notes=notes)
        if path.suffix.lower() in {".html", ".htm"}:
            post.notes.append("an HTML post, kept as HTML inside Markdown")
        if problem:
            post.notes.append(f"its front matter cannot be read ({problem}); fix it, then run journal check")
        if label != "posts" or kind == "draft":
            post.set_keys["liquid"] = True
        if kind == "draft":
            post.set_keys["draft"] = True
            post.published = False
        if data.get("published") is False:
            post.published = False
        if moment is not None and moment.replace(tzinfo=None) > today and not show_future:
            post.published = False
        post.aliases = redirects_of(data)
        values = {
            **(date_values(moment) if moment else {}),
            "title": jekyll_slugify(raw_slug, pretty=True, cased=True),
            "slug": jekyll_slugify(raw_slug, pretty=False, cased=False),
            "name": jekyll_slugify(stem, pretty=False, cased=False),
            "categories": "/".join(categories_of(data, folders)),
            "output_ext": ".html",
            "collection": label,
            "path": relative_in_collection(relative, label, collections_dir),
            "raw_slug": raw_slug,
        }
        if moment is None and re.search(
            r":(?:year|month|day|y_day|i_month|i_day)", template + str(data.get("permalink") or "")
        ):
            post.why_no_url = "it has no date, and its old URL was made from one"
            site.posts.append(post)
            return
        url, document_id = document_url(data, template, values)
        post.old_url = url
        written_order[id(post)] = (moment.replace(tzinfo=None).isoformat() if moment else "", relative)
        if not url.endswith("/") and not posixpath.splitext(url)[1]:
            post.aliases.append(url + ".html")  # Jekyll wrote /name as name.html
        document_id = document_id if document_id.startswith("/") else "/" + document_id
        chosen = url if feed_by_url else document_id
        post.feed_id = site.absolute_url(chosen)
        site.posts.append(post)

    files, _ = walk(root)
    collection_folders = {
        (f"{collections_dir}/" if collections_dir else "") + f"_{label}": label
        for label in collections
        if label != "posts"
    }
    excluded = [str(pattern).strip("/") for pattern in config.get("exclude") or [] if isinstance(pattern, str)]
    for path in files:
        relative = site.relative(path)
        parts = relative.split("/")
        if path.suffix.lower() not in MARKUP:
            continue
        if any(fnmatch.fnmatch(relative, pattern) or relative.startswith(pattern + "/") for pattern in excluded):
            site.leave(path, "excluded from the old site (exclude in _config.yml)")
            continue
        if "_posts" in parts[:-1] and not any(p.startswith((".", "_")) for p in parts[: parts.index("_posts")]):
            folders = parts[: parts.index("_posts")]
            if collections_dir and relative.startswith(collections_dir + "/"):
                folders = folders[len(collections_dir.split("/")) :]
            add_document(path, relative, "post", "posts", folders, posts_style)
        elif parts[0] == "_drafts":
            add_document(path, relative, "draft", "drafts", [], posts_style)
        elif any(relative.startswith(folder + "/") for folder in collection_folders):
            folder = next(f for f in collection_folders if relative.startswith(f + "/"))
            label = collection_folders[folder]
            options = collections[label]
            if not options.get("output"):
                site.leave(path, f"in the collection '{label}', which had no pages of its own (output is not true)")
                continue
            template = (
                style_of(options.get("permalink"))
                if options.get("permalink")
                else "/:collection/:path" + suffix_for(style)
            )
            add_document(path, relative, "post", label, [], template)
        elif not any(p.startswith(("_", ".")) for p in parts) and has_front_matter(path):
            add_page(site, path, relative, style, defaults_for(relative, "pages"))
    for path in files:  # {% include %} reads them from content/_includes/
        relative = site.relative(path)
        if relative.startswith("_includes/") and relative not in site.extra_files:
            site.extra_files[relative] = path
    keep_the_url_for_the_last_written(site.posts, written_order)
    return site


def keep_the_url_for_the_last_written(posts, written_order: dict) -> None:
    """Jekyll writes its documents in date order (then path), so of two posts with one URL
    the later one is what readers saw there: it keeps the URL and the feed id they shared,
    the other is reported and named by its file (so its new URL takes no other post's)."""
    by_url = {}
    for post in posts:
        if post.published and post.old_url and id(post) in written_order:
            by_url.setdefault(url_key(post.old_url), []).append(post)
    for same in by_url.values():
        *overwritten, shown = sorted(same, key=lambda post: written_order[id(post)])
        for post in overwritten:
            post.why_no_url = (
                f"its URL {post.old_url} shows content/{shown.target}, which Jekyll wrote there after it"
            )
            post.old_url = None
            # Never seen at any URL: its file name, date included, is a slug no other post has.
            post.set_keys["slug"] = post.source.stem
            if post.feed_id == shown.feed_id:
                post.feed_id = None


def relative_in_collection(relative: str, label: str, collections_dir: str) -> str:
    path = relative.removeprefix(f"{collections_dir}/" if collections_dir else "").removeprefix(f"_{label}/")
    return posixpath.splitext(path)[0]


def redirects_of(data: dict) -> list:
    value = data.get("redirect_from")
    items = value if isinstance(value, list) else [value] if value else []
    return ["/" + str(item).lstrip("/") for item in items if isinstance(item, str) and item.strip()]


def feed_uses_url(root: Path) -> bool:
    """A hand-written feed whose entry ids are the post's URL (jekyll-feed uses `post.id`)."""
    for name in ("feed.xml", "atom.xml", "rss.xml", "feed/index.xml"):
        path = root / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").split("for post in", 1)[-1]
            match = re.search(r"<(id|guid)\b[^>]*>(.*?)</\1>", text, re.S)
            if match:
                return "post.id" not in match[2] and "post.url" in match[2]
    return False


def add_page(site: OldSite, path: Path, relative: str, style: str, defaults: dict) -> None:
    """A Markdown page (about.md ...); HTML pages, the home page and lists are the theme's."""
    data, _ = front_matter(path)
    data = {**defaults, **data}
    text = path.read_text(encoding="utf-8", errors="replace")
    stem = path.stem
    if path.suffix.lower() in {".html", ".htm"}:
        site.leave(path, "an HTML page of the old theme (a layout or a list); the journal writes its own pages")
        return
    if relative in {"index.md", "index.markdown"} or stem == "404":
        site.leave(path, "the home page or the 404 page; the journal writes its own")
        return
    if LISTING.search(text) or str(data.get("layout") or "").lower() in THEME_LAYOUTS:
        site.leave(
            path, "a page listing posts with Liquid; the journal writes its own lists (archives, tags, series)"
        )
        return
    folder = posixpath.dirname(relative)
    values = {"path": folder, "basename": stem, "name": stem, "output_ext": ".html"}
    if data.get("permalink"):
        url = fill(style_of(data["permalink"]), values)
    elif stem == "index":
        url = join_url(folder) + "/"
    else:
        url = fill("/:path/:basename" + suffix_for(style), values)
    page = OldPost(source=path, target=relative, kind="page", old_url=url, aliases=redirects_of(data))
    page.set_keys["liquid"] = True
    if data.get("published") is False:
        page.published = False
    site.posts.append(page)


def reason_for(relative: str) -> str:
    if relative.lower().endswith(OTHER_MARKUP):
        return OTHER_MARKUP_REASON
    top = relative.split("/", 1)[0]
    if top in {"_layouts", "_includes", "_sass", "_data", "_plugins"}:
        return "part of the old theme (layouts, includes, styles, data); the journal has its own theme"
    if relative in {"feed.xml", "atom.xml", "rss.xml", "sitemap.xml", "robots.txt", "feed/index.xml"}:
        return "the old site's feed or sitemap; the journal writes its own (the posts keep their feed ids)"
    if top.startswith("_config") or top in {"Gemfile", "Gemfile.lock", "Rakefile", "CNAME"}:
        return "the old site's settings"
    return "not used by any imported post or page"
