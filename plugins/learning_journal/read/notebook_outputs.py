"""Saved notebook outputs as static HTML: text, images written as files, sanitised HTML.

Nothing here runs code: what the notebook saved is all there is. Images leave the page as files
named by their content hash (the page stays small, an unchanged image is not written again);
HTML from outputs goes through nh3 (Ammonia), so a pandas table stays a table and a script,
a style or an `onclick` does not survive.
"""

import base64
import binascii
import hashlib
import html
import re

import nh3
from lxml import etree

from .ansi import ansi_to_html, as_a_terminal_shows
from .image_size import BadImage, jpeg_size, parse_svg, png_size, svg_size

IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/svg+xml": ".svg"}
# The static form preferred when an output carries several: a picture over its text
# description, a table over its plain-text print, a formula over its source.
PREFERENCE = (
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "text/html",
    "text/markdown",
    "text/latex",
    "text/plain",
)
# Output HTML may not load anything: images there would be third-party requests or data URIs.
HTML_TAGS = nh3.ALLOWED_TAGS - {"img", "map", "area"}
HTML_ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items() if tag in HTML_TAGS},
    "*": {"class", "title", "lang", "dir"},
}
# Formulas as the Markdown reader writes them (latex2mathml), kept in Markdown and LaTeX outputs.
MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub",
    "msubsup", "mfrac", "msqrt", "mroot", "mstyle", "merror", "mpadded", "mphantom", "menclose", "munder",
    "mover", "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "xmlns", "display", "displaystyle", "scriptlevel", "mathvariant", "mathsize", "mathcolor", "mathbackground",
    "stretchy", "fence", "separator", "form", "largeop", "movablelimits", "accent", "accentunder", "lspace",
    "rspace", "minsize", "maxsize", "linethickness", "width", "height", "depth", "voffset", "notation",
    "columnalign", "columnspacing", "rowspacing", "rowalign", "columnlines", "rowlines", "frame", "columnspan",
    "rowspan", "linebreak", "encoding",
}  # fmt: skip
# pandas leaves the corner above its index an empty header cell; screen readers announce
# an empty header, so it becomes a plain cell.
EMPTY_HEADER = re.compile(r"<th(?P<attributes>[^>]*)>\s*</th>")
SVG_ACTIVE = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}


class BadOutput(ValueError):
    """An output whose data cannot be decoded: the output is skipped, the notebook is not."""


def joined(value) -> str:
    """nbformat stores multi-line strings as a list of lines, or as one string."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    if isinstance(value, str):
        return value
    raise BadOutput(f"expected text, got {type(value).__name__}")


def image_file(mime: str, value) -> tuple[str, bytes, tuple[int, int] | None]:
    """(file name, bytes, size) for an image output; the name is the hash of the bytes."""
    if mime == "image/svg+xml":
        data = sanitised_svg(joined(value))
        size = svg_size(parse_svg(data.decode("utf-8")))
    else:
        try:
            data = base64.b64decode("".join(joined(value).split()), validate=True)
        except (binascii.Error, ValueError) as error:
            raise BadOutput(f"its {mime} data is not valid base64 ({error})") from None
        try:
            size = png_size(data) if mime == "image/png" else jpeg_size(data)
        except BadImage as error:
            raise BadOutput(f"its {mime} data is {error}") from None
    name = hashlib.sha256(data).hexdigest()[:20] + IMAGE_TYPES[mime]
    return name, data, size


def sanitised_svg(text: str) -> bytes:
    """An SVG without scripts, event attributes or links out of it: served as a file from
    the site's own origin, it must be as harmless as an image even when opened directly."""
    try:
        root = parse_svg(text)
    except BadImage as error:
        raise BadOutput(str(error)) from None
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.getparent().remove(element)
            continue
        if etree.QName(element).localname in SVG_ACTIVE:
            element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            local = etree.QName(name).localname.lower()
            value = element.get(name).strip().lower()
            if local.startswith("on"):
                del element.attrib[name]
            elif local == "href" and not value.startswith("#"):
                del element.attrib[name]  # only links inside the image itself (gradients, symbols)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def sanitised_html(text: str, formulas: bool = False) -> str:
    """Output HTML with scripts, styles, event attributes and loaded resources removed; with
    `formulas`, MathML stays (a Markdown or LaTeX output, converted by the Markdown reader,
    which lets raw HTML through as an author's post may have it, but an output may not)."""
    tags, attributes = HTML_TAGS, HTML_ATTRIBUTES
    if formulas:
        tags = tags | MATHML_TAGS
        attributes = {**attributes, **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS}}
    cleaned = nh3.clean(
        text,
        tags=tags,
        attributes=attributes,
        clean_content_tags={"script", "style"},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
    return EMPTY_HEADER.sub(r"<td\g<attributes>></td>", cleaned)


def preformatted(text: str, limit: int, css_class: str) -> str:
    """Escaped, coloured text in a <pre>; beyond `limit` characters, cut at a line with a note."""
    text = as_a_terminal_shows(text)
    note = ""
    if limit and len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        hidden_lines = text.count("\n", cut) + (0 if text.endswith("\n") else 1)
        note = (
            f'<p class="nb-note note">Output truncated: {len(text) - cut:,} more characters '
            f"({hidden_lines:,} lines) are in the notebook.</p>"
        )
        text = text[:cut]
    shown = ansi_to_html(text.rstrip("\n"))
    if "<span" in shown:  # coloured: inside .highlight, the Pygments colours apply (see ansi.py)
        return f'<div class="highlight {css_class}"><pre>{shown}</pre></div>{note}'
    return f'<pre class="{css_class}">{shown}</pre>{note}'


def image_tag(name: str, size, alt: str) -> str:
    dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return f'<img class="nb-image" src="{html.escape(name)}" alt="{html.escape(alt)}"{dimensions} loading="lazy">'
