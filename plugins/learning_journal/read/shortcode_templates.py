"""A theme's own shortcodes, mapped once: `shortcodes/NAME.html` (a Jinja template) renders
every use of `{{< NAME ... >}}` (and of a Liquid `{% include NAME.html %}` that has no file
in `_includes/`).

Templates are found the way the theme's are: THEME_TEMPLATES_OVERRIDES first, then the
theme's `templates/`, then the shipped theme's (callout, notice, alert, admonition, note,
tip, warning), so another theme still has those. Shortcodes are written out when a post is read, so the build cache
keeps a digest of these templates with its read entries (`templates_digest`).
"""

import hashlib
import os
import re
from functools import lru_cache

import jinja2
from markupsafe import Markup

from ..package import theme_root

FOLDER = "shortcodes"
NAME = re.compile(r"^[\w-]{1,100}$")
PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)


def template_folders(settings: dict) -> tuple:
    theme = settings.get("THEME", "")
    overrides = settings.get("THEME_TEMPLATES_OVERRIDES") or []
    shipped = str(theme_root() / "templates")  # the callouts, for a theme that has none
    return (*overrides, os.path.join(theme, "templates"), shipped)


@lru_cache(maxsize=8)
def environment_for(folders: tuple) -> jinja2.Environment:
    """Autoescaped: arguments are the author's text; `inner` is HTML (Markup) already."""
    loader = jinja2.FileSystemLoader(list(folders))
    return jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=False)


def shortcode_template(settings: dict, name: str):
    """The template for a shortcode name, or None when no theme maps it."""
    name = name.lower()
    if not NAME.match(name):
        return None
    try:
        return environment_for(template_folders(settings)).get_template(f"{FOLDER}/{name}.html")
    except jinja2.TemplateNotFound:
        return None


def render_shortcode(template, name: str, arguments: dict, inner_html: str, inner_source: str, page: dict) -> str:
    """The template's HTML on one line (line breaks in <pre> kept as `&#10;`), so the post's
    later lines keep their numbers and Markdown takes it as one HTML block."""
    positional = [arguments[key] for key in sorted(key for key in arguments if isinstance(key, int))]
    named = {key: value for key, value in arguments.items() if isinstance(key, str)}
    written = template.render(
        name=name,
        args=positional,
        params=named,
        inner=Markup(inner_html),
        inner_source=inner_source,
        page=page,
        include=named,
    )
    return one_line(written)


def one_line(markup: str) -> str:
    pieces = PRE.split(markup.strip())
    return "".join(
        piece.replace("\n", "&#10;") if index % 2 else " ".join(piece.split("\n")) for index, piece in enumerate(pieces)
    )


def templates_digest(settings: dict) -> str:
    """Every shortcode template that could be used, by folder, name and bytes."""
    hasher = hashlib.sha256()
    for folder in template_folders(settings):
        shortcodes = os.path.join(folder, FOLDER)
        if not os.path.isdir(shortcodes):
            continue
        for name in sorted(os.listdir(shortcodes)):
            path = os.path.join(shortcodes, name)
            if os.path.isfile(path):
                with open(path, "rb") as handle:
                    hasher.update(f"{folder}\0{name}\0".encode() + handle.read() + b"\0")
    return hasher.hexdigest()
