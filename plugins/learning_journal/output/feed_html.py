"""Post HTML made fit for a feed reader: every link absolute, no scripts, no XML-illegal bytes.

A feed entry is read far from the site, so `../part-2/`, `img/x.png` and `#section` must be
resolved against the post's own URL, as a browser on the post's page would resolve them.
"""

import re
from functools import cache
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.html import defs

from ..read.html_fragments import inner_html
from ..read.metadata import CONTROL_CHARACTERS


@cache  # made when a post first needs it: most builds never load lxml_html_clean
def script_cleaner():
    """Only what can run code goes: <script>, on* attributes, javascript: URLs. Everything else
    (MathML, iframes, forms, styles) is the author's content and stays."""
    from lxml_html_clean import Cleaner

    return Cleaner(
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


# Most posts hold nothing that runs code and only plain links; for them the cleaner (which walks
# the whole tree several times) has nothing to remove, and lxml's link walk (over every element,
# in Python: thousands of MathML elements for a handful of links) is done on the link attributes
# alone. Anything unusual takes lxml's own thorough path:
# - elements that run or load code, or hold links beyond plain attributes (CSS, <object>
#   codebases, <meta> refresh, <base>);
UNUSUAL_ELEMENTS = etree.XPath(
    "boolean(.//script | .//style | .//link | .//meta | .//base | .//object | .//param | .//embed"
    " | .//applet | .//processing-instruction())"
)
# - event handlers, inline styles, and values naming a script or data URL. Entities are decoded
#   by then, and browsers skip control characters and spaces in a scheme (java\tscript:).
SCRIPT_LIKE_VALUE = re.compile(r"script|data:|expression", re.IGNORECASE)
IGNORED_IN_URLS = re.compile(r"[\x00-\x20]+")
ALL_ATTRIBUTES = etree.XPath(".//@*")
LINK_ATTRIBUTES = defs.link_attrs  # lxml's list of attributes that hold a URL
SRCSET_SEPARATOR = re.compile(r",\s+|,(?=\S)")


def xml_text(text: str) -> str:
    """Text without the characters XML 1.0 forbids (even escaped) or a feed reader should never
    get: controls and noncharacters."""
    return CONTROL_CHARACTERS.sub("", text or "")


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
    attributes = ALL_ATTRIBUTES(root)
    if UNUSUAL_ELEMENTS(root) or any(map(may_run_code, attributes)):
        script_cleaner()(root)
        for element in root.iterfind(".//*[@href='']"):
            del element.attrib["href"]  # a javascript: link the cleaner emptied: no link at all
        root.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    else:
        make_link_attributes_absolute(attributes, base_url)
    for element in root.iterfind(".//*[@srcset]"):
        if element.get("srcset"):
            element.set("srcset", absolute_srcset(element.get("srcset"), base_url))
    for element in root.iterfind(".//*[@poster]"):  # lxml's link list predates <video>
        if element.get("poster"):
            element.set("poster", urljoin(base_url, element.get("poster").strip()))
    return inner_html(root)


def may_run_code(attribute) -> bool:
    """An attribute the script cleaner would act on (see UNUSUAL_ELEMENTS)."""
    name = attribute.attrname.lower()
    if name.startswith("on") or name == "style":
        return True
    return ":" in attribute and SCRIPT_LIKE_VALUE.search(IGNORED_IN_URLS.sub("", attribute)) is not None


def make_link_attributes_absolute(attributes, base_url: str) -> None:
    """What lxml's make_links_absolute does to link attributes: each URL resolved against the
    post's URL, one that cannot be resolved dropped, one already absolute left as written."""
    for attribute in attributes:
        if attribute.attrname not in LINK_ATTRIBUTES:
            continue
        element, name, link = attribute.getparent(), attribute.attrname, str(attribute)
        try:
            absolute = urljoin(base_url, link.strip())
        except ValueError:
            del element.attrib[name]
            continue
        if absolute != link:
            element.set(name, absolute)


def plain_text(content: str) -> str:
    """The text a reader sees in `content`, on one line: for JSON Feed's plain `summary`."""
    content = xml_text(content)
    if not content.strip():
        return ""
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    return " ".join(root.text_content().split())
