"""A Markdown reader for YAML (or TOML) front matter, as Jekyll, Hugo, Astro and Netlify CMS
write it. Files with Pelican's own `Key: value` lines, or no metadata at all, still work."""

import datetime
import logging
import os
import re
from dataclasses import replace

import lxml.html
from markdown import Markdown
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

# _DISCARD: Pelican's processors return it for empty values (an empty tag list, say).
from pelican.readers import _DISCARD, METADATA_PROCESSORS, HTMLReader, MarkdownReader
from pelican.utils import slugify

from ..build_state import build_state
from ..log_capture import reading
from ..problems import Problem
from . import dates
from .commonmark import markdown_options
from .front_matter import TOO_DEEP, FrontMatterError, Source, split_source
from .html_fragments import inner_html
from .liquid_site import runs_liquid
from .mathml import MathExtension, located
from .metadata import (
    PLACEHOLDER,
    Unusable,
    as_permalink,
    fill_placeholders,
    normalise,
    shorten_slug,
)
from .reading_time import reading_time
from .shortcodes import write_out_template_code
from .source import SourceFile, decode, quiet_template_links
from .source import raw_template_code as template_code_in
from .typography import typographic

logger = logging.getLogger(__name__)

ATX_HEADING = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")
PELICAN_META = "markdown.extensions.meta"
INLINE_CODE = re.compile(r"(`+).+?\1")
TOC = "markdown.extensions.toc"
YES = ("true", "yes", "on", "1")


def shorten(text: str, width: int = 60) -> str:
    """Source quoted in a one-line message."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


JEKYLL_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-(?=.)")
MORE_MARKER = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)


class JournalReader(MarkdownReader):
    """Pelican's Markdown reader, with front matter read through the one metadata table."""

    file_extensions = ["md", "markdown", "mkd", "mdown"]

    def read(self, source_path):
        path = self.display_path(source_path)
        report = build_state(self.settings).report
        report.saw(source_path)
        try:
            with reading(source_path, path, report):
                return self.read_source(source_path, path, report)
        except FrontMatterError as error:
            problem = Problem(**{**error.problem.as_dict(), "severity": "error"})
            report.skip(source_path, problem)
            raise
        except RecursionError:
            # Python's parsers (Markdown, TOML) recurse once per level of nesting.
            report.skip(source_path, Problem(path, None, None, TOO_DEEP, "error", code="too-deeply-nested"))
            raise
        except Exception as error:
            # A bug of ours must not hide the post: say which file and what went wrong.
            message = f"could not be read ({type(error).__name__}: {error}); please report this"
            report.skip(source_path, Problem(path, None, None, message, "error", code="read-failed"))
            raise

    def read_source(self, source_path, path, report):
        with open(source_path, "rb") as handle:
            text, problems = decode(handle.read(), path)
        source = split_source(text, path)
        problems += source.warnings
        if runs_liquid(path, source.data, self.settings):
            from .liquid_posts import render_liquid  # python-liquid is loaded by Jekyll posts only

            source.body, found = render_liquid(source.body, source.data, path, source.body_line, self.settings)
            problems += found
        source.body, guesses = write_out_template_code(source.body, source.data, self.settings, self.inner_html)
        problems += [
            Problem(path, source.body_line + line, None, message, code="unknown-shortcode") for line, message in guesses
        ]

        if source.style == "none":
            html, raw, key_lines = self.read_without_front_matter(source_path, source.body)
        else:
            html = self.convert(source.body)
            raw, key_lines = source.data, source.key_lines

        return self.complete(source_path, path, html, raw, key_lines, source, problems, report)

    def complete(self, source_path, path, html, raw, key_lines, source, problems, report):
        """The front matter through the one table, then what every post needs: title, slug,
        date, permalink, Pelican's own processors, rendering, and the problems reported."""
        normalised = normalise(raw, key_lines, path)
        problems += normalised.problems
        metadata = normalised.metadata

        if "template" in metadata and not self.template_exists(metadata["template"]):
            problems.append(
                Problem(
                    path,
                    key_lines.get("template"),
                    "template",
                    f"'template' names '{metadata.pop('template')}', which the theme does not have; "
                    "the default template is used (remove the key)",
                    code="unknown-template",
                )
            )

        if "title" not in metadata:
            title, warning, html = self.title_from_body(source.body, html, source_path)
            metadata["title"] = title
            problems.append(Problem(path, 1, "title", warning, code="missing-title"))

        if "slug" not in metadata:
            metadata["slug"] = self.default_slug(metadata["title"], source_path)

        if "date" not in metadata and not self.is_page(source_path):
            self.add_missing_date(metadata, source_path, path, problems, normalised.unreadable_date)

        if PLACEHOLDER.search(metadata.get("url") or metadata.get("save_as") or ""):
            self.fill_permalink(metadata, source_path, path, key_lines, problems)

        # Pelican's draft pages need a category even when categories are not published.
        metadata.setdefault("category", self.settings.get("DEFAULT_CATEGORY", "misc"))
        for name in ("tags", "category", "author", "authors", "slug", "status"):
            if name in metadata:
                metadata[name] = METADATA_PROCESSORS[name](metadata[name], self.settings)
        metadata = {name: value for name, value in metadata.items() if value is not _DISCARD}
        for tag in metadata.get("tags", []):
            # A tag page is a folder: Pelican's transliteration can make its slug too long.
            tag.slug = shorten_slug(tag.slug)
        if "{{" in source.body or "{%" in source.body:
            problems += raw_template_code(source, path)
        html = self.render(html, metadata, source, path, problems)

        for problem in problems:
            report.warn(source_path, problem)
        return html, metadata

    def fill_permalink(self, metadata, source_path, path, key_lines, problems) -> None:
        """Jekyll's and Hugo's `/:year/:slug/` placeholders, now that date and slug are known."""
        key = "url" if "url" in key_lines else "permalink"
        post = {
            "date": metadata.get("date") or datetime.datetime(1970, 1, 1),
            "slug": metadata["slug"],
            "stem": self.default_slug(os.path.splitext(os.path.basename(source_path))[0], source_path),
            "category": slugify(str(metadata.get("category") or "")),
        }
        written = metadata.pop("url", None) or metadata.pop("save_as")
        metadata.pop("save_as", None)
        try:
            metadata.update(as_permalink(fill_placeholders(written, post), key))
        except Unusable as unusable:
            problems.append(Problem(path, key_lines.get(key), key, str(unusable)))

    def default_slug(self, title: str, source_path: str) -> str:
        """The slug of the file name (SLUGIFY_SOURCE = "basename", as Hugo and Jekyll do: a
        title edit does not move the post), or of the title (Pelican's default, "title"),
        cut at a word to fit a file name."""
        options = {
            "regex_subs": self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            "preserve_case": self.settings.get("SLUGIFY_PRESERVE_CASE", False),
            "use_unicode": self.settings.get("SLUGIFY_USE_UNICODE", False),
        }
        stem = file_name_of(source_path)
        source = stem if self.settings.get("SLUGIFY_SOURCE") == "basename" else title
        return shorten_slug(slugify(source, **options) or slugify(stem, **options) or "post")

    def template_exists(self, name) -> bool:
        """Pelican stops the whole build on an unknown template: check it here instead."""
        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            return False
        folder = os.path.join(self.settings.get("THEME", ""), "templates")
        return os.path.isfile(os.path.join(folder, name + ".html"))

    def render(self, html, metadata, source, path, problems) -> str:
        """After Markdown: bad formulas reported, typography on prose, table of contents,
        reading time. HTML posts have no Markdown object: only typography and reading time."""
        md = getattr(self, "_md", None)
        for error, line in located(getattr(md, "math_errors", []), source.body, source.body_line):
            problems.append(
                Problem(
                    path,
                    line,
                    None,
                    f"the formula {shorten(error.written)} is not valid TeX "
                    f"({error.reason}); it is shown as code until it is fixed",
                    code="invalid-tex",
                )
            )
        html = typographic(quiet_template_links(html), self.settings)
        summary_before_marker(html, metadata)
        if str(metadata.get("toc", "")).lower() in YES and getattr(md, "toc_tokens", None):
            metadata["toc"] = Markup(typographic(md.toc, self.settings))
        else:
            metadata.pop("toc", None)
        metadata["reading_time"] = reading_time(html, self.settings)
        return html

    def is_page(self, source_path: str) -> bool:
        """Pages (About, ...) have no date; only posts need one."""
        content = os.path.abspath(self.settings.get("PATH", "."))
        relative = os.path.relpath(os.path.abspath(source_path), content)
        return any(
            relative == folder or relative.startswith(folder.rstrip("/") + "/")
            for folder in self.settings.get("PAGE_PATHS", [])
        )

    def display_path(self, source_path: str) -> str:
        """Paths in messages read as the author knows them: relative to the project."""
        base = os.path.dirname(os.path.abspath(self.settings.get("PATH", ".")))
        try:
            relative = os.path.relpath(source_path, base)
        except ValueError:
            return source_path
        return source_path if relative.startswith("..") else relative

    def markdown(self, with_pelican_metadata: bool) -> Markdown:
        """One Markdown per reader and kind, reset between files: building one (extensions,
        patterns, the highlighter) costs about as much as converting a short post."""
        if not hasattr(self, "_markdowns"):
            self._markdowns = {}
        if with_pelican_metadata not in self._markdowns:
            self._markdowns[with_pelican_metadata] = self.new_markdown(with_pelican_metadata)
        return self._markdowns[with_pelican_metadata].reset()

    def new_markdown(self, with_pelican_metadata: bool) -> Markdown:
        settings = markdown_options(self.settings["MARKDOWN"])
        extensions = [name for name in settings["extensions"] if name != PELICAN_META]
        if with_pelican_metadata:
            extensions.append(PELICAN_META)
        if TOC not in extensions:
            extensions.append(TOC)
        # Heading ids for deep links: stable, and readable in any script (not just ASCII).
        configs = dict(settings.get("extension_configs", {}))
        configs[TOC] = {"slugify": slugify_unicode, **configs.get(TOC, {})}
        settings["extension_configs"] = configs
        if self.settings.get("JOURNAL_MATH", True):
            extensions.append(MathExtension())
        settings["extensions"] = extensions
        return Markdown(**settings)

    def inner_html(self, markdown_text: str) -> str:
        """A shortcode's content, as the HTML its template receives."""
        return self.markdown(with_pelican_metadata=False).convert(markdown_text)

    def convert(self, body: str) -> str:
        self._md = self.markdown(with_pelican_metadata=False)
        return self._md.convert(body)

    def read_without_front_matter(self, source_path: str, body: str):
        return self.convert_with_pelican_metadata(body)

    def convert_with_pelican_metadata(self, body: str):
        """Pelican's `Key: value` header: its raw values go through the same table."""
        self._md = self.markdown(with_pelican_metadata=True)
        html = self._md.convert(body)
        meta = getattr(self._md, "Meta", {}) or {}
        raw = {}
        for key, values in meta.items():
            raw[key] = values[0] if len(values) == 1 else "\n".join(values)
        lines = {}
        for number, line in enumerate(body.split("\n"), start=1):
            if not line.strip():
                break
            key = line.split(":", 1)[0].strip().lower()
            if key in raw:
                lines.setdefault(key, number)
        return html, raw, lines

    def title_from_body(self, body: str, html: str, source_path: str):
        """The first `# heading` becomes the title (and leaves the body); else the file name."""
        for line in body.split("\n"):
            if not line.strip():
                continue
            match = ATX_HEADING.match(line)
            if match:
                heading_end = html.find("</h1>")
                if html.lstrip().startswith("<h1") and heading_end != -1:
                    html = html[heading_end + len("</h1>") :].lstrip("\n")
                return match["title"], "no 'title' in the front matter; the first heading is used", html
            break
        stem = os.path.splitext(os.path.basename(source_path))[0]
        name = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem).replace("-", " ").replace("_", " ").strip()
        name = name[:1].upper() + name[1:] if name else stem
        return name, f"no 'title' in the front matter; the file name is used ({name}); add title: ...", html

    def add_missing_date(self, metadata, source_path, path, problems, unreadable=None):
        """A date for a post without one, said in one message: the unreadable date's, when a
        date was written but is no date, else a message of its own."""

        def say(consequence: str, fallback: Problem) -> None:
            if unreadable is None:
                problems.append(fallback)
            else:
                merged = replace(unreadable, message=f"{unreadable.message}; {consequence}")
                problems[problems.index(unreadable)] = merged

        named = dates.file_name_date(source_path, self.settings.get("TIMEZONE", "UTC"))
        if named is not None:  # as Jekyll dates its posts: a date all the same, said as a note
            metadata["date"] = named
            note = Problem(path, None, "date", f"no 'date'; the file name gives {named:%Y-%m-%d}", "note",
                           code="date-from-file-name")
            say(f"until then the file name's date is used ({named:%Y-%m-%d})", note)
            return
        policy = self.settings.get("JOURNAL_MISSING_DATE", "git")
        moment, origin = dates.missing_date(source_path, policy, self.settings.get("TIMEZONE", "UTC"))
        if moment is None:
            if unreadable is not None:
                message = f"{unreadable.message}; JOURNAL_MISSING_DATE is 'error', so the post is skipped"
                raise FrontMatterError(replace(unreadable, message=message))
            raise FrontMatterError(
                Problem(
                    path,
                    None,
                    "date",
                    "no 'date' and JOURNAL_MISSING_DATE is 'error'; add date: 2024-05-25",
                    code="missing-date",
                )
            )
        metadata["date"] = moment
        metadata.setdefault("date_origin", origin)
        message = f"no 'date'; using {origin} ({moment:%Y-%m-%d}); add date: ... to fix it"
        missing = Problem(path, None, "date", message, code="missing-date")
        if metadata.get("status") != "draft" or unreadable is not None:
            say(f"until then the post is dated by {origin} ({moment:%Y-%m-%d})", missing)


def file_name_of(source_path: str) -> str:
    """The name a post's slug comes from: its file name without extension, the folder's name
    for a bundle (`my-post/index.md`), without Jekyll's date (`2019-08-10-welcome.md`)."""
    stem = os.path.splitext(os.path.basename(source_path))[0]
    if stem == "index":
        stem = os.path.basename(os.path.dirname(os.path.abspath(source_path))) or stem
    return JEKYLL_DATE_PREFIX.sub("", stem) or stem


def summary_before_marker(html: str, metadata: dict) -> None:
    """Hugo's `<!--more-->` (Jekyll's `excerpt_separator`): what comes before it is the summary,
    unless the front matter gives one."""
    if "summary" in metadata:
        return
    separator = metadata.get("excerpt_separator")
    if isinstance(separator, str) and separator.strip():
        index = html.find(separator.strip())
    else:
        found = MORE_MARKER.search(html)
        index = found.start() if found else -1
    if index > 0 and html[:index].strip():
        metadata["summary"] = closed_html(html[:index])


def closed_html(fragment: str) -> str:
    """An HTML fragment with the elements it leaves open closed (a marker inside a paragraph)."""
    return inner_html(lxml.html.fragment_fromstring(fragment, create_parent="div")).rstrip()


def raw_template_code(source: Source, path: str) -> list[Problem]:
    """Hugo shortcodes and Liquid tags that would reach readers as raw text. The Markdown
    is searched, not the HTML: `{{<note>}}` loses its `<note>` to the HTML parser."""
    body = SourceFile(path, list(enumerate(source.body.split("\n"), start=source.body_line)), {})
    prose = "\n".join(INLINE_CODE.sub(" ", text) for _, text in body.prose_lines())
    problems = [problem for problem, _ in template_code_in(body, prose)]
    return list(dict.fromkeys(problems))  # `{{< note >}}` and its `{{< /note >}}`: said once


class JournalHTMLReader(JournalReader):
    """HTML posts with front matter, as Jekyll allows; plain HTML files go to Pelican's reader."""

    file_extensions = ["html", "htm"]

    def convert(self, body: str) -> str:
        return body

    def read_without_front_matter(self, source_path: str, body: str):
        html, metadata = HTMLReader(self.settings).read(source_path)
        return html, metadata, {}


def register_reader(readers) -> None:
    """readers_init: our readers take Markdown, and HTML that may carry front matter."""
    for reader in (JournalReader, JournalHTMLReader):
        for extension in reader.file_extensions:
            readers.reader_classes[extension] = reader


__all__ = ["JournalReader", "Source", "register_reader"]
