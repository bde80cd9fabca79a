"""sitemap.xml and robots.txt, written from Python with an XML library (never string-joined).

The sitemap lists what a reader can reach: the home page, published posts and pages, series,
tags and archives, each with an absolute URL. Drafts and hidden content are never in it.
"""

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from ..build.writer import write_output
from ..build_state import build_state
from ..content_kinds import drafts_built
from ..problems import Problem
from .drafts import draft_folder
from .template_helpers import join_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def newest(articles):
    """When the newest of these posts last changed, or None."""
    dates = [getattr(a, "modified", None) or a.date for a in articles]
    return max(dates) if dates else None


def sitemap_entries(context, settings) -> list[tuple[str, object]]:
    """(site-relative URL, last modification or None) for every public page, in a stable order."""
    articles = context.get("articles") or []
    entries = [("", newest(articles))]
    for article in articles:
        entries.append((article.url, getattr(article, "modified", None) or article.date))
    for page in context.get("pages") or []:
        entries.append((page.url, getattr(page, "modified", None)))
    series_list = context.get("series_list") or []
    if series_list and context.get("series_index_url"):
        entries.append((context["series_index_url"], newest([s.latest for s in series_list])))
    for series in series_list:
        entries.append((series.url, newest(series.parts)))
    tags = context.get("tags") or []
    if tags and settings.get("TAGS_SAVE_AS"):
        entries.append((settings.get("TAGS_URL", "tags/"), newest(articles)))
    for tag, tagged in tags:
        entries.append((tag.url, newest(tagged)))
    if articles and settings.get("ARCHIVES_SAVE_AS"):
        entries.append((settings.get("ARCHIVES_URL", "archives/"), newest(articles)))
    return entries


def sitemap_xml(entries, siteurl: str) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    seen = set()
    for url, modified in entries:
        location = join_url(siteurl, url)
        if location in seen:
            continue
        seen.add(location)
        item = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(item, f"{{{SITEMAP_NS}}}loc").text = location
        if modified is not None:
            ET.SubElement(item, f"{{{SITEMAP_NS}}}lastmod").text = modified.isoformat()
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(siteurl: str, disallowed: str | None = None) -> str:
    """Everything may be crawled, except a folder of drafts when this build writes drafts (first:
    some crawlers take the first rule that matches, others the longest)."""
    disallow = f"Disallow: {urlsplit(join_url(siteurl, disallowed + '/')).path}\n" if disallowed else ""
    return f"User-agent: *\n{disallow}Allow: /\n\nSitemap: {join_url(siteurl, 'sitemap.xml')}\n"


class SitemapGenerator:
    """Runs after the content generators: everything that will be published is known."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = Path(output_path)

    def generate_output(self, writer):
        siteurl = self.settings.get("SITEURL", "")
        if not siteurl.startswith(("http://", "https://")):
            siteurl = self.settings.get("FEED_DOMAIN") or ""
        if not siteurl.startswith(("http://", "https://")):
            build_state(self.settings).report.warn(
                "pelicanconf.py",
                Problem(
                    "pelicanconf.py",
                    None,
                    "SITEURL",
                    "no sitemap.xml or robots.txt: they need absolute URLs; set SITEURL = 'https://your.site'",
                    code="no-siteurl",
                ),
            )
            return
        entries = sitemap_entries(self.context, self.settings)
        write_output(writer, str(self.output_path / "sitemap.xml"), sitemap_xml(entries, siteurl))
        drafts = draft_folder(self.settings) if drafts_built(self.settings) else None
        write_output(writer, str(self.output_path / "robots.txt"), robots_txt(siteurl, drafts).encode("utf-8"))
