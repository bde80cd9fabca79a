"""Jinja filters the theme needs, so URLs, dates and JSON-LD are made in Python, not in templates.

Filters read SITEURL from the template context (`pass_context`), so nothing is kept between
builds. Autoescape is on: a filter returns `Markup` only when it has escaped the text itself.
"""

import datetime
import html
import json
import re
from urllib.parse import quote

from jinja2 import pass_context
from markupsafe import Markup

from ..site.feed_files import FEED_FILES
from ..site.post_images import image_source

TAG = re.compile(r"<[^>]+>")
# Inside <script>, only these characters can end the element or start markup.
SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
# Boxes that scroll sideways on a phone (code, tables) and have no tabindex yet.
SCROLL_BOX = re.compile(r"<(pre|table)(?![^>]*\stabindex=)(?=[\s>])")
# Display math scrolls inside a span: HTML allows no tabindex on <math>, and a <div> could not
# sit in the <p> that holds the formula. MathML elements do not nest <math>, so the first
# </math> closes it.
DISPLAY_MATH = re.compile(r'<math(?=[\s>])[^>]*\sdisplay="block"[^>]*>.*?</math>', re.DOTALL)

# A table of contents as Markdown's toc extension writes it: a <div> that holds only lists.
TOC_BLOCK = re.compile(r'<div class="toc">((?:(?!</?div[\s>]).)*)</div>', re.DOTALL)


def join_url(siteurl: str, url: str) -> str:
    """SITEURL + a site-relative URL; with no SITEURL, a root-relative path."""
    path = (url or "").lstrip("/")
    base = (siteurl or "").rstrip("/")
    return f"{base}/{path}"


@pass_context
def site_url(context, url: str) -> str:
    """The link to a page of this site, as the theme writes it in href/src."""
    return join_url(context.get("SITEURL", ""), url)


@pass_context
def absolute_url(context, url: str) -> str:
    """An absolute URL for canonical links, Open Graph and JSON-LD (FEED_DOMAIN when SITEURL is relative)."""
    siteurl = context.get("SITEURL", "")
    if not siteurl.startswith(("http://", "https://")):
        siteurl = context.get("FEED_DOMAIN") or siteurl
    return join_url(siteurl, url)


@pass_context
def image_url(context, content) -> str:
    """The absolute URL of a post's `image:` (og:image), "" when it names nothing published."""
    value = str(getattr(content, "image", None) or "").strip()
    if value.startswith(("https://", "http://")):
        return value
    source = image_source(content, context.get("PATH", ""))
    return absolute_url(context, quote(source, safe="/")) if source else ""


def keyboard_scrollable(content_html) -> Markup:
    """Content HTML (already marked safe) whose scrolling boxes a keyboard can reach and scroll."""
    boxed = SCROLL_BOX.sub(r'<\1 tabindex="0"', str(content_html))
    return Markup(DISPLAY_MATH.sub(r'<span class="math-scroll" tabindex="0">\g<0></span>', boxed))


def toc_nav(match: re.Match) -> str:
    """One table of contents as a named navigation landmark; nothing when it lists no heading."""
    lists = match[1].strip()
    if "<a " not in lists:
        return ""
    title = '<p class="toc-title">Contents</p>'
    return f'<nav class="toc" aria-label="Table of contents" data-pagefind-ignore>{title}{lists}</nav>'


def toc_landmark(content_html) -> Markup:
    """Content HTML (already marked safe) whose `[TOC]` is a <nav> screen readers can jump to."""
    return Markup(TOC_BLOCK.sub(toc_nav, str(content_html)))


def table_of_contents(content) -> Markup:
    """The table of contents a post asks for with `toc: true`, to show above its body; nothing
    when it has none or when the body already shows it where the author wrote `[TOC]`."""
    toc = getattr(content, "toc", None)
    if not toc or TOC_BLOCK.search(str(content.content)):
        return Markup("")
    return toc_landmark(toc)


def plain_text(value) -> str:
    """Text without tags or entities, for meta descriptions (autoescape escapes it once again)."""
    if value is None:
        return ""
    return " ".join(html.unescape(TAG.sub(" ", str(value))).split())


def description_of(content) -> str:
    """What a post or page says about itself: its description (plain text), else its summary (HTML)."""
    description = getattr(content, "description", None)
    if description:
        return " ".join(str(description).split())
    return plain_text(getattr(content, "summary", None))


def iso_datetime(value) -> str:
    """A date or datetime as ISO 8601, for <time datetime> and structured data.

    HTML allows at most three digits of a second's fraction, so microseconds become milliseconds.
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and value.microsecond:
        return value.isoformat(timespec="milliseconds")
    return value.isoformat()


def duration(minutes) -> str:
    """Reading time as people say it: "38 min", "1 h 12 min", "2 h"."""
    hours, rest = divmod(int(minutes or 0), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def script_json(data) -> Markup:
    """JSON that is safe inside <script>: `<`, `>` and `&` become \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for character, escape in SCRIPT_UNSAFE.items():
        text = text.replace(character, escape)
    return Markup(text)


@pass_context
def blog_posting(context, article) -> Markup:
    """schema.org BlogPosting for one post, part of its series when it has one."""
    url = absolute_url(context, article.url)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": iso_datetime(article.date),
        "dateModified": iso_datetime(getattr(article, "modified", None) or article.date),
        "author": {
            "@type": "Person",
            "name": str(getattr(article, "author", "") or context.get("AUTHOR", "")),
        },
        "publisher": {"@type": "Organization", "name": context.get("SITENAME", "")},
    }
    description = description_of(article)
    if description:
        data["description"] = description
    tags = getattr(article, "tags", None) or []
    if tags:
        data["keywords"] = [str(tag) for tag in tags]
    navigation = getattr(article, "series", None)
    if navigation:
        data["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": navigation.name,
            "url": absolute_url(context, navigation.url),
        }
        data["position"] = navigation.index
    return script_json(data)


# JOURNAL_MERMAID = True: mermaid's own module from its CDN; a string: that module (self-hosted).
MERMAID_MODULE = "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs"


def mermaid_module(content, setting) -> str:
    """The diagram renderer a page loads: only when the author opted in (JOURNAL_MERMAID) and
    only on pages that have a ```mermaid diagram; no third-party request otherwise."""
    if not setting or 'class="mermaid"' not in (getattr(content, "content", None) or ""):
        return ""
    return setting if isinstance(setting, str) else MERMAID_MODULE


FILTERS = {
    "site_url": site_url,
    "absolute_url": absolute_url,
    "image_url": image_url,
    "plain_text": plain_text,
    "keyboard_scrollable": keyboard_scrollable,
    "toc_landmark": toc_landmark,
    "table_of_contents": table_of_contents,
    "description_of": description_of,
    "iso_datetime": iso_datetime,
    "duration": duration,
    "script_json": script_json,
    "blog_posting": blog_posting,
    "mermaid_module": mermaid_module,
}


# Tables templates loop over instead of spelling their rows out.
GLOBALS = {"feed_files": FEED_FILES}


def install_template_helpers(generator) -> None:
    """generator_init: give every generator's Jinja environment the theme's filters and tables."""
    generator.env.filters.update(FILTERS)
    generator.env.globals.update(GLOBALS)
