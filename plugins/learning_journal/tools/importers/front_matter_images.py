"""Images a post names only in its front matter: a cover, a teaser, the picture of its link
previews, as each engine's themes spell them. The first one found (by how surely it means the
post's picture) is copied like an image of the body and becomes the journal's own `image:`,
which the theme gives as og:image; other image keys stay as written.
"""

import re
from urllib.parse import unquote, urlsplit

# Where themes keep a post's picture, most specific first: jekyll-seo-tag and Open Graph keys,
# Hugo PaperMod's cover.image, Minimal Mistakes' header, Gatsby's featuredImage, Astro's
# heroImage, Hugo's images list. Steps match keys with case, `_` and `-` ignored.
IMAGE_KEYS = (
    ("ogimage",),
    ("socialimage",),
    ("image",),
    ("image", "path"),
    ("image", "src"),
    ("image", "url"),
    ("header", "ogimage"),
    ("cover", "image"),
    ("cover",),
    ("coverimage",),
    ("heroimage",),
    ("featuredimage",),
    ("featureimage",),
    ("header", "overlayimage"),
    ("header", "image"),
    ("thumbnail",),
    ("banner",),
    ("hero",),
    ("header", "teaser"),
    ("images", 0),
)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def squashed(key) -> str:
    return re.sub(r"[\s_-]+", "", str(key)).lower()


def value_at(data, steps):
    """(the key as written, the value) at `steps`, or None; keys compared squashed."""
    written, value = [], data
    for step in steps:
        if isinstance(step, int):
            if not isinstance(value, list) or len(value) <= step:
                return None
            written.append(f"[{step}]")
            value = value[step]
            continue
        if not isinstance(value, dict):
            return None
        key = next((key for key in value if squashed(key) == step), None)
        if key is None:
            return None
        written.append(("." if written else "") + str(key))
        value = value[key]
    return ("".join(written), value.strip()) if isinstance(value, str) and value.strip() else None


def front_matter_images(data: dict, post, rewriter) -> dict:
    """Front matter values to set: `image` (and the key it came from, when top-level) pointing
    at the copy of the post's picture. A named image that is not there is said in the post's
    notes, and the next key is tried."""
    done = set()
    for steps in IMAGE_KEYS:
        written = value_at(data, steps)
        if written is None or written[0] in done:
            continue
        key, value = written
        done.add(key)
        path = unquote(urlsplit(value).path) if not value.startswith("{") else ""
        located = rewriter.find(path, post) if path else None
        if located is None and path and not path.startswith("/") and not SCHEME.match(value):
            located = rewriter.at_url("/" + path)  # Jekyll's and Hugo's themes: from the site's root
        if located is not None and located[0] == "file":
            url = "/" + rewriter.place_file(located[1])
            return {"image": url, key: url} if len(steps) == 1 else {"image": url}
        if SCHEME.match(value) and rewriter.site.site_path(value) is None:
            return {"image": value}  # on another host (a CDN): used as it is
        post.notes.append(f"front matter {key}: '{value}' names no file of the old site; fix it or remove it")
    return {}
