"""Liquid, run by a real Liquid engine (python-liquid), on posts that come from Jekyll, with a
context like Jekyll's: `site.*`, `page.*`, `site.posts`, and the tags and filters Jekyll adds.

Only Jekyll posts run it (a file under a `_posts` folder, or `liquid: true` in its front
matter; `JOURNAL_LIQUID = "all"` for a blog that is all Jekyll's, `False` for none), and never
inside code: fenced blocks, code spans, `{% highlight %}` and `{% raw %}` are set aside first and put back as written.
Set-aside text keeps its line breaks, so an error points at the line the author wrote.
"""

import datetime
import html
import json
import os
import re
import urllib.parse
from collections.abc import Mapping

import liquid
from liquid.ast import Node
from liquid.exceptions import LiquidError
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG

from ..problems import Problem
from .liquid_site import INCLUDES, as_datetime, posts_of, slugify
from .shortcode_templates import render_shortcode, shortcode_template
from .shortcodes import (
    CODE_SPAN,
    HIGHLIGHT_CLOSE,
    HIGHLIGHT_OPEN,
    RAW_CLOSE,
    RAW_OPEN,
    code_and_prose,
    highlighted,
    literal,
    replace_pairs,
)

SET_ASIDE = re.compile("\ue0b2(\\d+)\n*\ue0b3")
INCLUDE_ARGUMENT = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[\w.\[\]-]+)""")


def render_liquid(body: str, front_matter: dict, path: str, first_line: int, settings: dict):
    """The body with its Liquid run, and the problems found (file and line). What the engine
    cannot run (an unknown tag or filter, a missing include) is left out and reported; the
    rest of the post still renders."""
    if "{{" not in body and "{%" not in body:
        return body, []
    kept = []
    text = set_code_aside(body, kept)
    environment = jekyll_environment(settings.get("PATH", "."), settings.get("SITEURL", ""))
    environment.found = []
    environment.settings = settings
    context = {"site": SiteData(settings), "page": page_data(front_matter)}
    try:
        rendered = environment.from_string(text).render(**context)
    except LiquidError as error:  # what even a lenient engine cannot go on after
        return body, [problem_of(error, path, first_line)]
    problems = [problem_of(error, path, first_line) for error in environment.found]
    return SET_ASIDE.sub(lambda match: kept[int(match[1])], rendered), problems


class JekyllEnvironment(liquid.Environment):
    """A lenient engine that keeps each error (with its token, so its line) for the report."""

    found: list = []

    def error(self, exc, msg=None, token=None) -> None:
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        elif not exc.token:
            exc.token = token
        self.found.append(exc)


def problem_of(error: LiquidError, path: str, first_line: int) -> Problem:
    token = getattr(error, "token", None)
    line = None
    if token is not None and token.source is not None:
        line = first_line + token.source[: token.start_index].count("\n")
    message = getattr(error, "message", None) or str(error).split("\n")[0]
    return Problem(
        path,
        line,
        None,
        f"Liquid: {message}; it is left out of the page (write it as Markdown, or put "
        "`{% raw %}...{% endraw %}` around text that is not Liquid)",
        "error",
        code="liquid-error",
    )


def set_code_aside(body: str, kept: list) -> str:
    """Code, highlight and raw blocks as numbered markers holding their line breaks."""

    def aside(text: str) -> str:
        kept.append(text)
        return f"\ue0b2{len(kept) - 1}" + "\n" * text.count("\n") + "\ue0b3"

    pieces = []
    for text, is_code in code_and_prose(body):
        if is_code:
            pieces.append(aside(text))
            continue
        text = replace_pairs(
            text, HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE, lambda opening, code: aside(highlighted(opening, code))
        )
        text = replace_pairs(text, RAW_OPEN, RAW_CLOSE, lambda opening, inner: aside(literal(inner)))
        pieces.append(CODE_SPAN.sub(lambda match: aside(match.group(0)), text))
    return "".join(pieces)


def page_data(front_matter: dict) -> dict:
    return dict(front_matter) if isinstance(front_matter, dict) else {}


class SiteData(Mapping):
    """Jekyll's `site`: the settings it maps to, and `site.posts` read only when a post asks."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.values = {
            "baseurl": "",  # links stay root-relative; the reader resolves them like any link
            "url": settings.get("SITEURL", ""),
            "title": settings.get("SITENAME", ""),
            "description": settings.get("JOURNAL_DESCRIPTION", ""),
            "time": datetime.datetime(1970, 1, 1),
        }

    def __getitem__(self, key):
        if key == "posts":
            return posts_of(self.settings)
        return self.values[key]

    def __iter__(self):
        return iter([*self.values, "posts"])

    def __len__(self):
        return len(self.values) + 1


# Jekyll's tags


class WordsTag(Tag):
    """`{% post_url 2010-07-21-name %}`, `{% link _posts/x.md %}`: the path as written (not a
    Liquid expression); the reader resolves it like any link to a post."""

    block = False

    def parse(self, stream):
        token = stream.eat(TOKEN_TAG)
        # The parser steps past the last token itself (python-liquid's own tags do the same).
        words = stream.current.value.strip() if stream.current.kind == TOKEN_EXPRESSION else ""
        return WordsNode(token, words)


class WordsNode(Node):
    __slots__ = ("words",)

    def __init__(self, token, words):
        super().__init__(token)
        self.words = words

    def render_to_output(self, context, buffer) -> int:
        return buffer.write(self.words)


class PostUrlTag(WordsTag):
    name = "post_url"


class LinkTag(WordsTag):
    name = "link"


class IncludeTag(Tag):
    """Jekyll's `{% include name.html key=value %}`: the file from `content/_includes/`, with
    `include.key` set, rendered with the post's context."""

    name = "include"
    block = False

    def parse(self, stream):
        token = stream.eat(TOKEN_TAG)
        words = stream.current.value.strip() if stream.current.kind == TOKEN_EXPRESSION else ""
        name, _, arguments = words.partition(" ")
        return IncludeNode(token, name.strip("\"'"), arguments)


class IncludeNode(Node):
    __slots__ = ("name", "arguments")

    def __init__(self, token, name, arguments):
        super().__init__(token)
        self.name = name
        self.arguments = arguments

    def render_to_output(self, context, buffer) -> int:
        values = {}
        for key, value in INCLUDE_ARGUMENT.findall(self.arguments):
            if value[:1] in "\"'":
                values[key] = value[1:-1]
            else:
                values[key] = context.env.from_string("{{ " + value + " }}").render(**context.globals, **context.locals)
        folder = os.path.join(context.env.content_path, INCLUDES)
        target = os.path.realpath(os.path.join(folder, self.name))
        if target.startswith(os.path.realpath(folder) + os.sep) and os.path.isfile(target):
            with open(target, encoding="utf-8") as handle:
                template = context.env.from_string(handle.read())
            return buffer.write(template.render(**context.globals, **context.locals, include=values))
        # No imported file: a theme's shortcode template of that name serves it.
        stem = os.path.splitext(os.path.basename(self.name))[0]
        mapped = shortcode_template(context.env.settings, stem)
        if mapped is not None:
            page = context.globals.get("page", {})
            return buffer.write(render_shortcode(mapped, stem, values, "", "", page))
        message = (
            f"{{% include {self.name} %}} has no file {INCLUDES}/{self.name} in the content folder; "
            f"copy the blog's _includes/ there, or map it with a template THEME/templates/shortcodes/{stem}.html"
        )
        context.env.error(LiquidError(message, token=self.token))
        return 0


# Jekyll's filters (the ones python-liquid does not have)


def relative_url(value) -> str:
    return "/" + str(value).lstrip("/") if value not in (None, "") else "/"


def absolute_url_with(site_url: str):
    def absolute_url(value) -> str:
        return site_url.rstrip("/") + relative_url(value)

    return absolute_url


def as_date(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value
    return as_datetime(value, "")


def date_to_string(value, *_) -> str:
    return as_date(value).strftime("%d %b %Y").lstrip("0")


def date_to_long_string(value, *_) -> str:
    return as_date(value).strftime("%d %B %Y").lstrip("0")


def date_to_xmlschema(value) -> str:
    return as_date(value).isoformat()


def xml_escape(value) -> str:
    return html.escape(str(value if value is not None else ""), quote=True)


def jsonify(value) -> str:
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def markdownify(value) -> str:
    # The post's Markdown is converted after Liquid: the text is already Markdown there.
    return str(value if value is not None else "")


def number_of_words(value) -> int:
    return len(str(value or "").split())


ENVIRONMENTS: dict = {}


def jekyll_environment(content_path: str, site_url: str) -> liquid.Environment:
    """One environment per site and process: building one fills its tag and filter tables."""
    key = (content_path, site_url)
    if key not in ENVIRONMENTS:
        environment = JekyllEnvironment(tolerance=liquid.Mode.WARN)
        environment.content_path = os.path.abspath(content_path)
        for tag in (PostUrlTag, LinkTag, IncludeTag):
            environment.add_tag(tag)
        filters = {
            "relative_url": relative_url,
            "absolute_url": absolute_url_with(site_url),
            "date_to_string": date_to_string,
            "date_to_long_string": date_to_long_string,
            "date_to_xmlschema": date_to_xmlschema,
            "date_to_rfc822": lambda value: as_date(value).strftime("%a, %d %b %Y %H:%M:%S"),
            "xml_escape": xml_escape,
            "cgi_escape": lambda value: urllib.parse.quote_plus(str(value)),
            "uri_escape": lambda value: urllib.parse.quote(str(value), safe="/:?#[]@!$&'()*+,;="),
            "slugify": lambda value, *_: slugify(value),
            "jsonify": jsonify,
            "markdownify": markdownify,
            "number_of_words": number_of_words,
            "smartify": lambda value: str(value),
        }
        for name, function in filters.items():
            environment.filters.setdefault(name, function)
        ENVIRONMENTS[key] = environment
    return ENVIRONMENTS[key]
