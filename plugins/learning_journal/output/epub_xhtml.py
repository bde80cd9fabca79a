"""A post's HTML5 made into the XHTML an EPUB reading system expects.

A post is HTML5 written for a browser: `<br>`, `&nbsp;`, MathML without prefixes, ids such as
`fn:1` (Markdown footnotes) or `1-intro`, scripts and embedded players. A book needs well-formed
XML in the XHTML namespace, ids that are XML names, nothing that runs, links that work offline
(another part: its chapter file; any other page: its absolute address) and every image inside
the book. lxml's HTML parser reads the post (it forgives what browsers forgive); the tree is
cleaned here and written as XML into the chapter's body.
"""

import posixpath
import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..site.links import url_key
from .feed_html import xml_text

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Nothing that runs or needs a network goes into a book; a player becomes a link to its source.
DROPPED = ("script", "noscript", "style", "link", "meta", "base", "template", "object", "embed", "applet", "param")
LINKED = ("iframe", "video", "audio")
# Attributes a browser uses for loading and that EPUB's XHTML does not know.
DROPPED_ATTRIBUTES = {"srcset", "sizes", "loading", "decoding", "fetchpriority", "referrerpolicy", "crossorigin"}
ID_START = re.compile(r"^[A-Za-z_]")
NOT_IN_ID = re.compile(r"[^\w.-]+")
REFERENCING = frozenset(("for", "headers", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "list"))
LINKS = etree.XPath(".//a[@href] | .//area[@href]")
# HTML parsers fold names to lower case; SVG needs these back as written.
SVG_NAMES = {
    name.lower(): name
    for name in (
        "viewBox preserveAspectRatio gradientUnits gradientTransform patternUnits patternContentUnits "
        "patternTransform clipPathUnits maskUnits maskContentUnits markerWidth markerHeight markerUnits "
        "refX refY textLength lengthAdjust startOffset stdDeviation baseFrequency numOctaves "
        "stitchTiles filterUnits primitiveUnits kernelMatrix diffuseConstant specularExponent "
        "specularConstant surfaceScale tableValues pathLength spreadMethod attributeName repeatCount "
        "keyTimes keySplines calcMode linearGradient radialGradient clipPath textPath foreignObject "
        "feGaussianBlur feOffset feBlend feColorMatrix feComposite feFlood feMerge feMergeNode feImage "
        "feMorphology feTile feTurbulence animateTransform animateMotion"
    ).split()
}


@dataclass
class ImageUse:
    """An image a chapter shows: its absolute URL, to be replaced by a file of the book."""

    element: object
    url: str


@dataclass
class ChapterTree:
    """One post (or the series description) parsed, cleaned, with ids an EPUB accepts."""

    root: object
    base_url: str
    ids: dict = field(default_factory=dict)  # id as the post wrote it -> id in the book
    images: list = field(default_factory=list)

    @property
    def has_math(self) -> bool:
        return self.root.find(".//math") is not None

    @property
    def has_svg(self) -> bool:
        return self.root.find(".//svg") is not None

    def xhtml(self) -> str:
        """The cleaned content as XML text, for the body of a chapter."""
        text = etree.tostring(self.root, method="xml", encoding="unicode", with_tail=False)
        return text[len("<body>") : -len("</body>")] if text != "<body/>" else ""


HTML_PARSER = etree.HTMLParser(no_network=True)
XML_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript):", re.IGNORECASE)
KEEP, DROP, CHECK_URL = 0, 1, 2


def verdict_on(name: str) -> int:
    """What to do with an attribute of this name."""
    lower = name.lower()
    if lower.startswith("on") or lower in DROPPED_ATTRIBUTES or lower == "xmlns":
        return DROP
    if name == "xml:lang":
        return KEEP
    if not XML_NAME.match(name):
        return DROP
    return CHECK_URL if lower in ("href", "src") else KEEP


def parse_chapter(html: str, base_url: str) -> ChapterTree:
    """The post's HTML as a tree fit for XHTML; links and images are dealt with later,
    once every chapter's ids are known."""
    # The body is the root: a stray closing tag in the post cannot push content out of it.
    root = etree.fromstring(f"<html><body>{xml_text(html)}</body></html>", HTML_PARSER).find("body")
    root.attrib.clear()  # a <body class=...> written in the post lands on this body
    chapter = ChapterTree(root=root, base_url=base_url)
    drop_what_runs(root)
    with_id, referrers = fix_attributes(root)
    mark_namespaces(root)
    chapter.ids = fix_ids(with_id, referrers)
    for element in list(root.iter("img")):
        source = (element.get("src") or "").strip()
        if source:
            chapter.images.append(ImageUse(element, urljoin(base_url, source)))
        else:
            remove(element)
    return chapter


def remove(element) -> None:
    """The element and what it holds go; the text after it stays."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def unwrap(element) -> None:
    """The element goes; what it holds stays in its place."""
    parent = element.getparent()
    index = parent.index(element)
    text = element.text or ""
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + (element.tail or "")
    else:
        text += element.tail or ""
    if text:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
    parent[index : index + 1] = children


def replace(element, markup: str) -> None:
    """`element` replaced by the one element written in `markup` (the tail stays)."""
    new = etree.fromstring(f"<html><body>{markup}</body></html>", HTML_PARSER).find("body")[0]
    new.tail = element.tail
    element.getparent().replace(element, new)
    return new


def drop_what_runs(root) -> None:
    """Scripts and their kin go; an embedded player or page becomes a link to what it showed."""
    for element in list(root.iter(*DROPPED, "source", "track")):
        remove(element)
    for element in list(root.iter(*LINKED)):
        source = (element.get("src") or "").strip()
        if source:
            link = f'<a href="{escape(source)}">{escape(source)}</a>'
            replace(element, f'<span class="embedded">Embedded {element.tag}: {link}</span>')
        else:
            remove(element)
    for element in list(root.iter("picture")):
        unwrap(element)  # its <img> stays; the <source> choices went above


def fix_attributes(root) -> tuple[list, list]:
    """Only attributes XML can carry; nothing that runs or loads. Returns the elements with an
    id, and those referring to ids (one walk: a post with math has thousands of elements)."""
    verdicts = {}
    with_id, referrers = [], []
    for element in root.iter(etree.Element):
        attributes = element.attrib
        names = attributes.keys()
        if not names:
            continue
        for name in names:
            verdict = verdicts.get(name)
            if verdict is None:
                verdict = verdicts[name] = verdict_on(name)
            if verdict == DROP or (verdict == CHECK_URL and SCRIPT_URL.match(attributes[name])):
                del attributes[name]
        if "name" in names and element.tag == "a":  # the old way to name an anchor
            name = attributes.pop("name")
            if "id" not in attributes:
                attributes["id"] = name
            with_id.append(element)
        elif "id" in names:
            with_id.append(element)
        if not REFERENCING.isdisjoint(names):
            referrers.append(element)
    return with_id, referrers


def mark_namespaces(root) -> None:
    """MathML and SVG are namespaced in XML: each top element declares its own."""
    for element in root.iter("math"):
        element.set("xmlns", MATHML_NS)
    for svg in root.iter("svg"):
        svg.set("xmlns", SVG_NS)
        for element in svg.iter(etree.Element):
            element.tag = SVG_NAMES.get(element.tag, element.tag)
            for name in list(element.attrib):
                if name in SVG_NAMES:
                    element.set(SVG_NAMES[name], element.attrib.pop(name))
            if "xlink:href" in element.attrib:
                svg.set("xmlns:xlink", XLINK_NS)


def fix_ids(with_id: list, referrers: list) -> dict:
    """Ids made XML names (`fn:1` -> `fn-1`, `1-intro` -> `id-1-intro`), unique in the chapter;
    what refers to them follows. Returns the old id -> new id."""
    renamed = {}
    taken = set()
    for element in with_id:
        old = element.get("id")
        new = NOT_IN_ID.sub("-", old.strip()) or "id"
        if not ID_START.match(new):
            new = f"id-{new}"
        candidate, number = new, 2
        while candidate in taken:
            candidate, number = f"{new}-{number}", number + 1
        taken.add(candidate)
        renamed.setdefault(old, candidate)
        element.set("id", candidate)
    for element in referrers:
        for name in [name for name in element.attrib.keys() if name in REFERENCING]:
            kept = [renamed[word] for word in element.get(name).split() if word in renamed]
            if kept:
                element.set(name, " ".join(kept))
            else:
                del element.attrib[name]
    return renamed


@dataclass
class BookLinks:
    """Where links go in the book: parts by their URL, the rest of the site by its address."""

    site_url: str  # SITEURL without its trailing slash ("" in a preview without one)
    chapters: dict  # url_key of a part's URL -> (chapter file, ChapterTree)

    def rewrite(self, chapter: ChapterTree, own_file: str) -> None:
        for element in LINKS(chapter.root):
            target = self.target(element.get("href").strip(), chapter, own_file)
            if target is None:
                element.attrib.pop("href")
                if element.tag == "a" and not len(element.attrib):
                    unwrap(element)
            else:
                element.set("href", target)

    def target(self, href: str, chapter: ChapterTree, own_file: str) -> str | None:
        """The link's target inside the book or on the web; None when it can go nowhere."""
        try:
            absolute = urljoin(chapter.base_url, href)
            parts = urlsplit(absolute)
        except ValueError:
            return None
        if href.startswith("#"):
            return self.fragment("", chapter, parts.fragment)
        local = self.site_path(absolute)
        if local is None:
            return absolute if parts.scheme else None
        found = self.chapters.get(url_key(urlsplit(local).path))
        if found is not None:
            file_name, target = found
            return self.fragment("" if file_name == own_file else file_name, target, parts.fragment)
        return absolute if self.site_url else None  # a preview without SITEURL: no address to give

    def site_path(self, absolute: str) -> str | None:
        """The path of a URL on this site (`/vectors/#x`), or None for another site."""
        if self.site_url and absolute.startswith(f"{self.site_url}/"):
            return absolute[len(self.site_url) :]
        if not self.site_url and absolute.startswith("/") and not absolute.startswith("//"):
            return absolute
        if absolute == self.site_url and self.site_url:
            return "/"
        return None

    @staticmethod
    def fragment(file_name: str, target: ChapterTree, fragment: str) -> str | None:
        if not fragment:
            return file_name or "#"
        renamed = target.ids.get(fragment)
        if renamed is None:  # an anchor the part does not have: the part itself
            return file_name or None
        return f"{file_name}#{renamed}"


def image_note(element, url: str, why: str) -> None:
    """An image the book cannot hold: a link to it, with its description, instead."""
    label = element.get("alt") or posixpath.basename(urlsplit(url).path) or url
    note = replace(element, f'<span class="image-note">[{escape(why)}: <a>{escape(label)}</a>]</span>')
    if urlsplit(url).scheme in ("http", "https"):
        note.find("a").set("href", url)
    else:
        unwrap(note.find("a"))
