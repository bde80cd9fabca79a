"""A Hugo site: its config (hugo.toml, config.*, or config/_default/), `permalinks` per section
(both the old and the page/section form), `uglyURLs`, sections, page bundles (index.md with its
images), `slug`, `url`, `aliases`, drafts and future posts. Feed ids: Hugo's RSS guid, the
absolute permalink (baseURL + path).
"""

import datetime
import posixpath
import re
import unicodedata
from pathlib import Path

from .old_site import OTHER_MARKUP, OTHER_MARKUP_REASON, OldPost, OldSite, join_url, split_base_url
from .source_files import date_of, front_matter, load_config, walk

NAME = "Hugo"
CONFIG_NAMES = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)
MARKUP = {".md", ".markdown", ".mdown", ".html", ".htm"}
TOKEN = re.compile(r":([a-z]+)")
NEEDS_DATE = re.compile(r":(?:year|month|monthname|day|weekday|weekdayname|yearday)\b")
THEME_LAYOUTS = {"archives", "archive", "search", "tags", "categories", "taxonomy", "list", "home"}
THEME_FOLDERS = {"layouts", "themes", "archetypes", "data", "i18n", "assets"}


def is_site(root: Path) -> bool:
    """hugo.toml, config/_default/, or a config.* beside content/ (a Jekyll site has _config.yml)."""
    if any((root / name).is_file() for name in CONFIG_NAMES if name.startswith("hugo.")):
        return True
    if (root / "config" / "_default").is_dir():
        return True
    jekyll = (root / "_config.yml").is_file() or (root / "_posts").is_dir()
    return not jekyll and any((root / name).is_file() for name in CONFIG_NAMES)


def read_config(root: Path) -> dict:
    """The site's configuration, top-level keys in lower case (Hugo ignores their case)."""
    config = {}
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            config = load_config(root / name)
            break
    folder = root / "config" / "_default"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            data = load_config(path) if path.suffix in {".toml", ".yaml", ".yml", ".json"} else {}
            if path.stem in {"hugo", "config"}:
                config = {**config, **data}
            elif data:
                config[path.stem] = data
    return {str(key).lower(): value for key, value in config.items()}


def urlize(text: str, lower: bool = True) -> str:
    """Hugo's path sanitising: letters, digits, marks and ./\\_#+~-@ stay, a run of spaces
    between kept characters becomes one '-', everything else goes; then lower case."""
    out, hyphen_due = [], False
    for character in str(text):
        category = unicodedata.category(character)
        if character in "./\\_#+~-@" or category[0] in "LM" or category == "Nd":
            if hyphen_due and character != "-":
                out.append("-")
            hyphen_due = False
            out.append(character)
        elif out and out[-1] != "-" and character.isspace():
            hyphen_due = True
    path = "".join(out)
    return path.lower() if lower else path


def page_date(data: dict, path: Path, from_file_name: bool):
    for key in ("date", "publishdate", "pubdate", "published"):
        for written, value in data.items():
            if str(written).lower() == key and not isinstance(value, bool):
                moment = date_of(value)
                if moment is not None:
                    return moment
    if from_file_name:
        match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", path.parent.name if path.stem == "index" else path.stem)
        if match:
            try:
                return datetime.datetime(*map(int, match.groups()))
            except ValueError:
                return None
    return None


def value_of(data: dict, key: str):
    return next((value for written, value in data.items() if str(written).lower() == key), None)


def read_site(root: Path) -> OldSite:
    config = read_config(root)
    site = OldSite(engine=NAME, root=root, strip_prefixes=("static/", "content/"))
    if not config:
        site.notes.append("the site's configuration cannot be read; URLs were made with Hugo's defaults")
    site.base_url, site.base_path = split_base_url(config.get("baseurl") or "")
    site.address_keys = "baseURL"
    site.reason_for = reason_for
    content_dir = root / str(config.get("contentdir") or "content")
    static_dirs = config.get("staticdir") or "static"
    for folder in static_dirs if isinstance(static_dirs, list) else [static_dirs]:
        site.static_roots.append(("/", root / str(folder)))
    ugly = bool(config.get("uglyurls"))
    lower = not config.get("disablepathtolower")
    permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
    permalinks = {str(k): v for k, v in permalinks.items()}
    if isinstance(permalinks.get("page"), dict):
        permalinks = {str(k): v for k, v in permalinks["page"].items()}
    front_matter_config = config.get("frontmatter") if isinstance(config.get("frontmatter"), dict) else {}
    date_config = front_matter_config.get("date") or []
    date_config = date_config if isinstance(date_config, list) else [date_config]
    from_file_name = any(str(item).startswith(":filename") for item in date_config)
    build_future, build_drafts = bool(config.get("buildfuture")), bool(config.get("builddrafts"))
    now = datetime.datetime.now()
    languages = (
        {str(k).lower() for k in config.get("languages") or {}}
        if isinstance(config.get("languages"), dict)
        else set()
    )
    default_language = str(config.get("defaultcontentlanguage") or "en").lower()
    in_subdir = bool(config.get("defaultcontentlanguageinsubdir"))

    pages = []
    for folder, folder_language in language_folders(config, root, content_dir):
        pages += [(path, relative, folder_language) for path, relative in pages_in(site, folder)]

    for path, relative, folder_language in pages:
        data, problem = front_matter(path)
        is_bundle = path.stem == "index"
        folder_parts = list(relative.parts[:-2] if is_bundle else relative.parts[:-1])
        section = folder_parts[0] if folder_parts else ""
        stem = path.parent.name if is_bundle else path.stem
        if from_file_name and re.match(r"^\d{4}-\d{2}-\d{2}-.", stem):
            stem = stem[11:]  # Hugo takes the date from the name and leaves the rest as the name
        language = folder_language
        if languages and "." in stem and stem.rsplit(".", 1)[1].lower() in languages:
            stem, language = stem.rsplit(".", 1)
        build = value_of(data, "build") or value_of(data, "_build") or {}
        if value_of(data, "headless") is True or (
            isinstance(build, dict) and str(build.get("render", "")).lower() in {"never", "false"}
        ):
            site.leave(path, "a headless page (build.render: never): it had no URL on the old site")
            continue
        layout = str(value_of(data, "layout") or value_of(data, "type") or "").lower()
        if layout in THEME_LAYOUTS:
            site.leave(path, f"a page the old theme filled itself (layout {layout}); the journal writes its own")
            continue
        moment = page_date(data, path, from_file_name)
        kind = "post" if section else "page"  # a section's pages are posts, even without dates (course chapters)
        target = f"{folder_language}/{relative.as_posix()}" if folder_language else relative.as_posix()
        post = OldPost(source=path, target=target, kind=kind)
        if problem:
            post.notes.append(f"its front matter cannot be read ({problem}); fix it, then run journal check")
        draft = value_of(data, "draft")
        if (draft is True or str(draft).lower() == "true") and not build_drafts:
            post.published = False
        if moment is not None and moment.replace(tzinfo=None) > now and not build_future:
            post.published = False
        expiry = date_of(value_of(data, "expirydate"))
        if expiry is not None and expiry.replace(tzinfo=None) < now:
            post.published = False
        title = str(value_of(data, "title") or "")
        slug = value_of(data, "slug")
        url_value = value_of(data, "url")
        if url_value:
            url = "/" + str(url_value).lstrip("/")
            if not url.endswith("/") and not posixpath.splitext(url)[1]:
                url += "/"
        else:
            pattern = permalinks.get(section) if section else permalinks.get("/")
            if pattern:
                moment = moment or datetime.datetime(1, 1, 1)  # Hugo's zero date
                values = tokens(moment, section, folder_parts, title, slug, stem, lower)
                url = urlize(TOKEN.sub(lambda m, values=values: values.get(m[1], m[0]), str(pattern)), lower)
                url = re.sub(r"/{2,}", "/", "/" + url.lstrip("/"))
                if ugly and url.endswith("/") and url != "/":
                    url = url.rstrip("/") + ".html"
                elif not ugly and not url.endswith("/") and not posixpath.splitext(url)[1]:
                    url += "/"
            else:
                name = urlize(slug, lower) if slug else urlize(stem, lower)
                folder = urlize("/".join(folder_parts), lower)
                url = join_url(folder, name + (".html" if ugly else "/"))
        if language and (language.lower() != default_language or in_subdir):
            url = join_url(language, url)
        post.old_url = url
        aliases = value_of(data, "aliases") or []
        for alias in aliases if isinstance(aliases, list) else [aliases]:
            if isinstance(alias, str) and alias.strip():
                alias = alias.strip()
                if not alias.startswith("/"):
                    alias = posixpath.join(posixpath.dirname(url.rstrip("/")), alias)
                post.aliases.append(alias)
        if kind == "post":
            post.feed_id = site.absolute_url(url)
        if is_bundle:
            for resource in sorted(path.parent.rglob("*")):
                if resource.is_file() and resource != path:
                    name = resource.relative_to(path.parent).as_posix()
                    base = url if url.endswith("/") else posixpath.dirname(url) + "/"
                    site.served_files[base + name] = resource
        site.posts.append(post)
    return site


def language_folders(config: dict, root: Path, content_dir: Path) -> list:
    """(content folder, language) pairs: one folder, or one per language with its contentDir."""
    languages = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    folders = []
    for language, options in sorted(languages.items()):
        options = {str(k).lower(): v for k, v in options.items()} if isinstance(options, dict) else {}
        if options.get("contentdir"):
            folders.append((root / str(options["contentdir"]), str(language)))
    return folders or [(content_dir, "")]


def pages_in(site: OldSite, content_dir: Path) -> list:
    """(file, path under content_dir) of every page: not list pages (_index.md), and not the
    files inside a page bundle other than its index.md (they are its resources)."""
    files, _ = walk(content_dir) if content_dir.is_dir() else ([], [])
    bundles = {path.parent for path in files if path.stem == "index" and path.suffix.lower() in MARKUP}
    pages = []
    for path in files:
        if path.suffix.lower() not in MARKUP:
            continue  # images and files: copied when a page uses them
        if path.stem == "_index":
            site.leave(path, "a section's or the home page's list page; the journal writes its own lists")
            continue
        inside = path.parents if path.stem != "index" else path.parent.parents
        if any(parent in bundles for parent in inside):
            continue  # a Markdown file inside a page bundle is a resource of that page
        pages.append((path, path.relative_to(content_dir)))
    return pages


def tokens(moment, section, folder_parts, title, slug, stem, lower) -> dict:
    title_part = urlize(title, lower) if title else ""
    slug_part = urlize(slug, lower) if slug else title_part
    return {
        "year": f"{moment.year:04d}",
        "month": f"{moment:%m}",
        "monthname": f"{moment:%B}",
        "day": f"{moment:%d}",
        "weekday": str(moment.isoweekday() % 7),
        "weekdayname": f"{moment:%A}",
        "yearday": str(moment.timetuple().tm_yday),
        "section": section,
        "sections": "/".join(folder_parts),
        "title": title_part,
        "slug": slug_part,
        "filename": stem,
        "contentbasename": stem,
        "slugorfilename": urlize(slug, lower) if slug else stem,
        "slugorcontentbasename": urlize(slug, lower) if slug else stem,
    }


def reason_for(relative: str) -> str:
    if relative.lower().endswith(OTHER_MARKUP):
        return OTHER_MARKUP_REASON
    top = relative.split("/", 1)[0]
    if top in THEME_FOLDERS:
        return "part of the old theme (layouts, assets, data); the journal has its own theme"
    if top in CONFIG_NAMES or top == "config":
        return "the old site's settings"
    if top == "public":
        return "the old site's build output"
    return "not used by any imported post or page"
