"""Post HTML made fit for a feed reader: every link absolute, no scripts, no XML-illegal bytes.

A feed entry is read far from the site, so `../part-2/`, `img/x.png` and `#section` must be
resolved against the post's own URL, as a browser on the post's page would resolve them.
"""

import html
import re
from urllib.parse import urljoin

import lxml.html
from lxml_html_clean import Cleaner

# Only what can run code goes: <script>, on* attributes, javascript: URLs. Everything else
# (MathML, iframes, forms, styles) is the author's content and stays.
SCRIPT_CLEANER = Cleaner(
    scripts=True,
    javascript=True,
    comments=False,
    style=False,
    inline_style=False,
    links=False,
    meta=False,
    page_structure=False,
    processing_instructions=True,
    embedded=False,
    frames=False,
    forms=False,
    annoying_tags=False,
    remove_unknown_tags=False,
    safe_attrs_only=False,
)
# What the cleaner would act on: elements that run or load code, event handlers, inline styles,
# processing instructions. Without any of these, and with no attribute value that names a
# script or data URL, the cleaner has nothing to remove and is not run (it walks the whole tree).
CODE_BEARING = (
    "boolean(.//script | .//style | .//link | .//meta | .//object | .//embed | .//applet"
    " | .//processing-instruction() | .//@style"
    " | .//@*[starts-with(translate(name(), 'ON', 'on'), 'on')])"
)
SCRIPT_LIKE_VALUE = re.compile(r"script|data:|expression", re.IGNORECASE)
# Browsers skip these inside a URL's scheme (java\tscript:), so they do not hide one here either.
IGNORED_IN_URLS = re.compile(r"[\x00-\x20]+")
# XML 1.0 forbids these characters anywhere, even escaped.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SRCSET_SEPARATOR = re.compile(r",\s+|,(?=\S)")


def xml_text(text: str) -> str:
    """Text without the control characters XML 1.0 cannot carry."""
    return XML_ILLEGAL.sub("", text or "")


def absolute_srcset(srcset: str, base_url: str) -> str:
    """`img/a.png 1x, img/b.png 2x` with each candidate URL made absolute."""
    candidates = []
    for candidate in SRCSET_SEPARATOR.split(srcset.strip()):
        url, _, descriptor = candidate.strip().partition(" ")
        if url:
            url = urljoin(base_url, url)
            candidates.append(f"{url} {descriptor.strip()}".strip())
    return ", ".join(candidates)


def feed_html(content: str, base_url: str) -> str:
    """The post's HTML with scripts removed and every href, src and srcset absolute."""
    content = xml_text(content)
    if not content.strip():
        return ""
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    if may_run_code(root):
        SCRIPT_CLEANER(root)
        for element in root.iterfind(".//*[@href='']"):
            del element.attrib["href"]  # a javascript: link the cleaner emptied: no link at all
    root.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    for element in root.iterfind(".//*[@srcset]"):
        if element.get("srcset"):
            element.set("srcset", absolute_srcset(element.get("srcset"), base_url))
    for element in root.iterfind(".//*[@poster]"):  # lxml's link list predates <video>
        if element.get("poster"):
            element.set("poster", urljoin(base_url, element.get("poster").strip()))
    inner = [lxml.html.tostring(child, encoding="unicode") for child in root]
    return html.escape(root.text or "", quote=False) + "".join(inner)


def may_run_code(root) -> bool:
    """Whether the fragment holds anything SCRIPT_CLEANER would remove (see CODE_BEARING)."""
    if root.xpath(CODE_BEARING):
        return True
    return any(SCRIPT_LIKE_VALUE.search(IGNORED_IN_URLS.sub("", value)) for value in root.xpath(".//@*"))


def plain_text(content: str) -> str:
    """The text a reader sees in `content`, on one line: for JSON Feed's plain `summary`."""
    content = xml_text(content)
    if not content.strip():
        return ""
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    return " ".join(root.text_content().split())
