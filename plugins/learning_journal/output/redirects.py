"""Redirect pages for `aliases` / `redirect_from`: old URLs keep leading to the post."""

import logging

from jinja2 import Environment

from ..build_state import build_state
from ..content_kinds import REACHABLE
from ..problems import Problem
from ..site.urls import TakenPaths, display, is_reserved, reserved_outputs

logger = logging.getLogger(__name__)

REDIRECT_PAGE = Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link rel="canonical" href="{{ target }}">
<meta http-equiv="refresh" content="0; url={{ target }}">
<meta name="robots" content="noindex">
</head>
<body>
<p>This page has moved to <a href="{{ target }}">{{ title }}</a>.</p>
</body>
</html>
"""
)


def alias_save_as(alias: str) -> str:
    return alias + "index.html" if alias.endswith("/") else alias


class RedirectGenerator:
    """Writes one small page per alias, after everything else claimed its URL."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings

    def generate_output(self, writer):
        report = build_state(self.settings).report
        contents = [
            content
            for name in REACHABLE
            for content in self.context.get(name, [])
        ]
        taken = TakenPaths(
            reserved_outputs(self.settings, self.context.get("articles", []), self.context.get("staticfiles", []))
        )
        for content in contents:
            taken.add(content.save_as, content)
        site_url = self.settings.get("SITEURL", "").rstrip("/")
        for content in contents:
            for alias in getattr(content, "aliases", None) or []:
                save_as = alias_save_as(alias)
                if taken.owner_of(save_as) is not None or is_reserved(save_as, set()):
                    report.warn(
                        content.source_path,
                        Problem(
                            display(content, self.settings),
                            None,
                            "aliases",
                            f"the old URL /{alias} is already used by another page; no redirect is written",
                            code="alias-clash",
                        ),
                    )
                    continue
                taken.add(save_as, content)
                writer.write_file(
                    save_as,
                    REDIRECT_PAGE,
                    self.context,
                    target=f"{site_url}/{content.url}",
                    title=content.title,
                    lang=getattr(content, "lang", "en"),
                )
