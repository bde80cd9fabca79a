"""A post's or page's own picture, `image:` in its front matter (the one link previews show):
a file under content/ is published with the site like an image of the body, wherever it is,
and the theme gives its absolute URL as og:image. A full address is used as it is.
"""

import os
import posixpath
import re
from urllib.parse import unquote, urlsplit

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
KINDS = ("articles", "drafts", "hidden_articles", "translations", "pages", "hidden_pages", "draft_pages")


def image_source(content, content_folder: str) -> str | None:
    """The path under content/ of the file `image:` names (`/images/a.png` from the content
    folder, `cover.png` or `{static}cover.png` beside the post), or None."""
    value = getattr(content, "image", None)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().removeprefix("{static}")
    if SCHEME.match(value) or value.startswith("//"):
        return None
    path = unquote(urlsplit(value).path)
    if not path.startswith("/"):
        path = posixpath.join(getattr(content, "relative_dir", "") or "", path)
    relative = posixpath.normpath(path.lstrip("/"))
    if relative in {".", ".."} or relative.startswith("../"):
        return None
    return relative if os.path.isfile(os.path.join(content_folder, relative)) else None


def publish_post_images(generator) -> None:
    """article/page_generator_finalized: each picture joins the files Pelican copies."""
    links = generator.context.setdefault("static_links", set())
    for kind in KINDS:
        for content in getattr(generator, kind, None) or []:
            source = image_source(content, generator.settings["PATH"])
            if source:
                links.add(source)
