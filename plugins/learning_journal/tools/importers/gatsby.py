"""A Gatsby site (also a Gatsby + Netlify CMS one): Markdown found through
gatsby-source-filesystem's `path`s in gatsby-config.js, URLs as gatsby-node.js makes them as far
as they can be read (createFilePath, a fixed prefix, front matter `slug` or `path`), static/ files.
Feed ids: gatsby-plugin-feed's usual guid, siteUrl + slug.
"""

import re
from pathlib import Path

from .old_site import OldPost, OldSite, join_url, normal_base_path, split_base_url
from .source_files import front_matter, load_config, walk

NAME = "Gatsby"
CONFIG_NAMES = ("gatsby-config.js", "gatsby-config.ts", "gatsby-config.mjs")
NODE_NAMES = ("gatsby-node.js", "gatsby-node.ts", "gatsby-node.mjs")
MARKUP = {".md", ".mdx", ".markdown"}
SOURCE_PATH = re.compile(r"""gatsby-source-filesystem['"`][\s\S]*?\bpath\s*:\s*([^\n]+)""")
QUOTED = re.compile(r"""['"`]([^'"`]*)['"`]""")
SLUG_PREFIX = re.compile(r"""value\s*:\s*`([^`$]*)\$\{\s*(?:value|slug|relativeFilePath|filePath)""")
PAGE_PREFIX = re.compile(r"""path\s*:\s*`([^`$]*)\$\{[^}]*slug[^}]*\}""")
THEME_FOLDERS = ("src/components", "src/templates", "src/styles", "src/cms", "src/img", "plugins")


def is_site(root: Path) -> bool:
    return any((root / name).is_file() for name in CONFIG_NAMES + NODE_NAMES)


def source_folders(config: str, root: Path) -> list[Path]:
    """gatsby-source-filesystem's folders: `${__dirname}/content/blog`, path.join(__dirname, "x")."""
    folders = []
    for expression in SOURCE_PATH.findall(config):
        pieces = [piece.replace("${__dirname}", "").strip("/") for piece in QUOTED.findall(expression)]
        relative = "/".join(piece for piece in pieces if piece and piece != ".")
        folder = (root / relative).resolve()
        if relative and folder.is_dir() and folder not in folders:
            folders.append(folder)
    return sorted(folders, key=lambda f: len(f.parts), reverse=True)


def file_path_slug(path: Path, folder: Path) -> str:
    """createFilePath: the path under the source folder without its extension, `index` dropped."""
    inside = path.resolve().relative_to(folder).with_suffix("")
    parts = list(inside.parts[:-1] if inside.name == "index" else inside.parts)
    return join_url(*parts, "") if parts else "/"


def read_site(root: Path) -> OldSite:
    config_path = next((root / name for name in CONFIG_NAMES if (root / name).is_file()), None)
    node_path = next((root / name for name in NODE_NAMES if (root / name).is_file()), None)
    config = config_path.read_text(encoding="utf-8", errors="replace") if config_path else ""
    node = node_path.read_text(encoding="utf-8", errors="replace") if node_path else ""
    site = OldSite(engine=NAME, root=root, static_roots=[("/", root / "static")])
    site.strip_prefixes = ("static/", "content/", "src/pages/", "src/")
    site.reason_for = reason_for
    match = re.search(r"""siteUrl\s*:\s*['"`]([^'"`]+)""", config)
    site.base_url, _ = split_base_url(match[1] if match else "")
    prefix = re.search(r"""pathPrefix\s*:\s*['"`]([^'"`]*)""", config)
    site.base_path = normal_base_path(prefix[1] if prefix else "")
    config_name = config_path.name if config_path else "gatsby-config.js"
    site.address_keys = f"siteMetadata.siteUrl and pathPrefix in {config_name}"
    # The feed plugin pasted siteUrl and the slug as they were; without a public siteUrl, the
    # slug alone, completed with the production SITEURL when built.
    site_url = match[1].strip() if match and site.public_base else ""
    folders = source_folders(config, root) or [root / "content", root / "src" / "pages"]
    readable = "createFilePath" in node or "frontmatter.slug" in node or "frontmatter.path" in node
    slug_prefix = (SLUG_PREFIX.search(node) or [None, ""])[1]
    page_prefix = (PAGE_PREFIX.search(node) or [None, ""])[1]
    if node and not readable:
        site.notes.append(
            f"{node_path.name} makes its URLs in a way this import cannot read; each post was given "
            "the URL createFilePath would give it: check them against the old site"
        )
    cms_posts = netlify_cms_folders(root)

    files = []
    for folder in folders:
        if folder.is_dir():
            files += [path for path in walk(folder)[0] if path.suffix.lower() in MARKUP and path not in files]
    for path in sorted(files):
        folder = next(f for f in folders if path.resolve().is_relative_to(f))
        data, _ = front_matter(path)
        relative = site.relative(path)
        target = relative
        for prefix in ("content/", "src/pages/", "src/"):
            if target.startswith(prefix):
                target = target[len(prefix) :]
                break
        slug = file_path_slug(path, folder)
        field_slug = join_url(slug_prefix + slug)  # fields.slug, made with createFilePath
        field_slug = field_slug if field_slug.endswith("/") or not slug.endswith("/") else field_slug + "/"
        if "frontmatter.path" in node and isinstance(data.get("path"), str):
            url = field_slug = "/" + data["path"].lstrip("/")
        elif "frontmatter.slug" in node and isinstance(data.get("slug"), str):
            url = field_slug = join_url(page_prefix, slug_prefix, data["slug"], "")
        else:
            url = join_url(page_prefix, field_slug)
            url = url if url.endswith("/") else url + "/"
        template = str(data.get("templateKey") or "")
        is_post = (
            bool(data.get("date"))
            or template.endswith("post")
            or any(path.resolve().is_relative_to(f) for f in cms_posts)
        )
        if url == "/" or template == "index-page":
            site.leave(path, "the home page; the journal writes its own")
            continue
        post = OldPost(source=path, target=target, kind="post" if is_post else "page", old_url=url)
        if data.get("draft") is True or data.get("published") is False:
            post.published = False
        if is_post:
            post.feed_id = site_url + field_slug  # gatsby-plugin-feed's guid: siteUrl + the slug
        site.posts.append(post)
    return site


def netlify_cms_folders(root: Path) -> list[Path]:
    """Netlify (Decap) CMS folder collections: what the author wrote in them are posts."""
    for name in ("static/admin/config.yml", "static/admin/config.yaml", "public/admin/config.yml"):
        config = load_config(root / name) if (root / name).is_file() else {}
        if config:
            return [
                (root / str(c["folder"])).resolve()
                for c in config.get("collections") or []
                if isinstance(c, dict) and c.get("folder")
            ]
    return []


def reason_for(relative: str) -> str:
    if "/" not in relative:
        return "the old site's settings or tooling"
    if relative.startswith(THEME_FOLDERS) or relative.endswith(
        (".js", ".jsx", ".ts", ".tsx", ".css", ".scss", ".sass")
    ):
        return "part of the old theme or its code (components, templates, styles); the journal has its own"
    if relative.startswith(("static/admin/", "public/admin/")):
        return "the Netlify CMS settings of the old site"
    return "not used by any imported post or page"
