"""`journal check`: problems only a check looks for, added to what the build itself reports.

The build report (report.py) already holds every problem the reader, the URL claims and the
other build steps found. This module adds what a build does not look for: template code
from other engines left as raw text, links and images that lead nowhere, series names that
look like typos, positions given twice or skipped, drafts inside a series. When the build
already reported a problem (the same front matter key in the same file, or the same link or
name), the build's message is kept, with this module's line when it had none, so each
problem is said once.
"""

import dataclasses
import difflib
import logging
import os
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..content_kinds import ORIGINALS
from ..log_capture import not_taken
from ..problems import Problem
from ..read.source import SourceFile, load_source
from ..report import said_by_link_check
from ..site.urls import RESERVED_FOLDERS, site_outputs

SEVERITIES = ("error", "warning", "note")
GENERATED_FOLDERS = RESERVED_FOLDERS + ("archives/",)


@dataclass(frozen=True)
class Finding:
    """A problem, and the text it is about (a link target), to tell whether the build said it."""

    problem: Problem
    subject: str | None = None


class PageScan(HTMLParser):
    """The links and images of one rendered post."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.targets = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.targets.append(("link", attrs["href"]))
        elif tag in {"img", "source"} and attrs.get("src"):
            self.targets.append(("image", attrs["src"]))


def site_paths(read) -> set:
    """Every path the site will publish that a link can reach (index.html for folders)."""
    settings = read.settings
    paths = set(site_outputs(settings))
    for content in read.contents():
        paths.add(content.save_as)
        for name in getattr(content, "notebook_files", None) or {}:  # written beside the page
            paths.add(posixpath.join(posixpath.dirname(content.save_as), name))
        for alias in getattr(content, "aliases", None) or []:
            paths.add(alias + "index.html" if alias.endswith("/") else alias)
    for generator in read.generators:
        for static in getattr(generator, "staticfiles", None) or []:
            # A {static} link to a missing file still makes a Static object.
            if os.path.isfile(static.source_path):
                paths.add(static.save_as)
    return {path.lstrip("/") for path in paths if path}


def published_path(href: str, page_url: str, settings: dict) -> str | None:
    """The output path a link on `page_url` points at; None for other sites and anchors."""
    site_url = (settings.get("SITEURL") or "").rstrip("/")
    if site_url and href.startswith(site_url + "/"):
        href = href[len(site_url) :]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = urlsplit(urljoin("http://site/" + page_url, parts.path)).path
    path = posixpath.normpath(unquote(path)).lstrip("/") + ("/" if path.endswith("/") else "")
    # A site under a sub-path (https://me.github.io/blog): /blog/x/ is the output's x/.
    prefix = urlsplit(site_url).path.strip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) + 1 :]
    return path


def reaches(path: str, published: set) -> bool:
    """Whether a web server would find `path` ('x/' serves x/index.html, 'x' may be x.html)."""
    if path in {"", "./", "/"} or path.startswith(GENERATED_FOLDERS):
        return True
    if path.endswith("/"):
        return path + "index.html" in published
    return any(candidate in published for candidate in (path, path + "/index.html", path + ".html"))


def dead_links(source: SourceFile, content, targets: list, published: set, read) -> list:
    """Links and images whose target the site will not publish, with a hint to fix them."""
    findings = []
    content_dir = Path(read.settings["PATH"])
    for kind, href in targets:
        if href.startswith("{"):
            path = href
        else:
            path = published_path(href, content.url, read.settings)
            if path is None or reaches(path, published):
                continue
        hint = "fix the address or add what it points to"
        target = urlsplit(href)
        written = os.path.normpath(Path(content.source_path).parent / target.path)
        if href.endswith((".md", ".markdown")) and Path(written).is_file():
            relative = Path(written).relative_to(content_dir).as_posix()
            hint = f"it names a source file; write {{filename}}/{relative} to link to its page"
        where = "leads nowhere" if href.startswith("{") else f"resolves to /{path}, which the site does not publish"
        findings.append(
            Finding(
                Problem(
                    source.path,
                    source.line_of(href, target.path, posixpath.basename(target.path)),
                    None,
                    f"{kind} '{href}' {where}; {hint}",
                    code="broken-link",
                ),
                href,
            )
        )
    return findings


def page_findings(read, display) -> list:
    """Dead links, post by post, from the HTML Markdown made (the reader itself reports raw
    template code, for builds and checks alike)."""
    published = site_paths(read)
    findings = []
    for content in read.contents(*ORIGINALS):
        source = load_source(content.source_path, display(content.source_path))
        scan = PageScan()
        scan.feed(content.content or "")
        scan.close()
        findings += dead_links(source, content, scan.targets, published, read)
    return findings


@dataclass
class SeriesPart:
    """One post's membership of one series (a Member of the build's series model), and
    where its keys are written."""

    member: object  # site.series.Member
    source: SourceFile

    @property
    def written(self) -> str:
        return self.member.written

    def problem(self, keys, message, severity="warning", code="") -> Problem:
        line = next((self.source.key_lines[k] for k in keys if k in self.source.key_lines), None)
        return Problem(self.source.path, line, keys[0], message, severity, code)


def series_parts(read, display) -> list:
    """(series, its parts) for every series of the build's series model, drafts included."""
    sources = {}

    def source_of(path):
        if path not in sources:
            sources[path] = load_source(path, display(path))
        return sources[path]

    return [
        (series, [SeriesPart(member, source_of(member.article.source_path)) for member in series.members])
        for series in read.series_catalog.every_series
    ]


def name_findings(parts: list) -> list:
    """A name spelled two ways, or so close to a bigger series' name that it is a typo."""
    findings = []
    for series, members in parts:
        for other, other_members in parts:
            bigger = (len(other_members), series.slug) > (len(members), other.slug)
            similar = difflib.SequenceMatcher(None, series.name.lower(), other.name.lower()).ratio()
            if other is not series and bigger and similar >= 0.85:
                findings += [
                    Finding(
                        part.problem(
                            ("series",),
                            (
                                f"series '{part.written}' looks like a typo of '{other.name}' "
                                f"({len(other_members)} posts); as written they are two series"
                            ),
                            code="series-typo",
                        ),
                        part.written,
                    )
                    for part in members
                ]
        findings += [
            Finding(
                part.problem(
                    ("series",),
                    (
                        f"series '{part.written}' is written '{series.name}' in the other posts; "
                        "write it the same way everywhere"
                    ),
                    code="series-spelling",
                ),
                part.written,
            )
            for part in members
            if part.written != series.name
        ]
    return findings


def position_findings(series, members: list) -> list:
    """Two parts with one position, a skipped position, a part without one among numbered."""
    name = series.name
    part_of = {id(part.member): part for part in members}
    claimed = {position: [part_of[id(m)] for m in holders] for position, holders in series.claimed_positions().items()}
    findings = []
    for position, holders in claimed.items():
        if len(holders) > 1:
            names = ", ".join(sorted(part.source.path for part in holders))
            findings += [
                Finding(
                    part.problem(
                        ("series_index",),
                        (
                            f"part {position} of '{name}' is given to {len(holders)} posts ({names}); "
                            "give each part its own series_index"
                        ),
                        code="series-position-clash",
                    ),
                    f"part {position}",
                )
                for part in holders
            ]
    for before, after in series.gaps():
        gap = [str(n) for n in range(before + 1, after)]
        missing = f"parts {', '.join(gap)} are" if len(gap) > 1 else f"part {gap[0]} is"
        findings.append(
            Finding(
                claimed[after][0].problem(
                    ("series_index",),
                    (f"'{name}' jumps from part {before} to part {after}; {missing} missing"),
                    code="series-gap",
                ),
                f"part {gap[0]}",
            )
        )
    if claimed:
        findings += [
            Finding(
                part.problem(
                    ("series",),
                    (
                        f"no series_index while other parts of '{name}' have one; it is placed by "
                        "date among them, add series_index: N to place it yourself"
                    ),
                    code="series-index-missing",
                )
            )
            for part in members
            if part.member.primary and part.member.position is None
        ]
    return findings


def series_findings(read, display) -> list:
    """Names that look like typos of another series, positions twice or skipped, drafts."""
    parts = series_parts(read, display)
    findings = name_findings(parts)
    for series, members in parts:
        findings += position_findings(series, members)
        findings += [
            Finding(
                part.problem(
                    ("draft", "published", "status", "series"),
                    (
                        f"draft in '{series.name}': it stays out of the series' navigation and count "
                        "until it is published"
                    ),
                    "note",
                    code="draft-in-series",
                )
            )
            for part in members
            if part.member.article.status == "draft"
        ]
    return findings


def mentions(message: str, subject: str) -> bool:
    """`subject` stands in `message` on its own ('a.md' is not in 'content/s/a.md')."""
    return re.search(rf"(?<![\w/.-]){re.escape(subject)}(?![\w/.-])", message) is not None


def said_by_build(finding: Finding, reported: list) -> int | None:
    """Index of the build's problem that already says this (the same front matter key in
    the same file, or the same link or name in its message), else None."""
    problem = finding.problem
    for index, known in enumerate(reported):
        if os.path.abspath(known.path) != os.path.abspath(problem.path):
            continue
        same_key = problem.key is not None and known.key == problem.key
        if same_key and known.line in (None, problem.line):
            return index
        if finding.subject and mentions(known.message, finding.subject):
            return index
    return None


def merge_findings(reported: list, findings: list) -> list:
    """The build's problems plus the findings it did not report; where it reported one
    without a line, the check's line is added to the build's message."""
    merged, extra = list(reported), []
    for finding in findings:
        index = said_by_build(finding, merged)
        if index is None:
            extra.append(finding.problem)
        elif merged[index].line is None and finding.problem.line is not None:
            merged[index] = dataclasses.replace(merged[index], line=finding.problem.line)
    return merged + extra


def check_findings(read, display, logged=()) -> list:
    """Every problem of the content: the build's own, what Pelican logged, then what only a
    check looks for. A skipped file is explained once: by the reader's own message when it
    has one, else by Pelican's error in place of the report's "see the error above"."""
    report = read.report
    # First the pages: Pelican's own messages about links come while it renders them.
    findings = page_findings(read, display) + series_findings(read, display)
    reported = [
        dataclasses.replace(p, path=display(p.path))
        for p in [*report.skipped.values(), *report.problems()]
    ]
    unexplained = {os.path.abspath(p.path) for p in reported if "see the error above" in p.message}
    explained = {os.path.abspath(display(path)) for path in report.skipped} - unexplained
    logged = [p for p in logged if not (p.severity == "error" and os.path.abspath(p.path) in explained)]
    by_pelican = {os.path.abspath(p.path) for p in logged if p.severity == "error"}
    reported = [
        p for p in reported if not ("see the error above" in p.message and os.path.abspath(p.path) in by_pelican)
    ] + logged
    merged = merge_findings(reported, findings)
    return sorted(
        dict.fromkeys(p for p in merged if not said_by_link_check(p, merged)),
        key=lambda p: (p.path, p.line or 0, SEVERITIES.index(p.severity)),
    )


class PelicanLog(logging.Handler):
    """Warnings and errors Pelican itself logs while reading (a file it could not process,
    a {filename} link to static content), kept as problems; the plugin's own are in the
    report. A warning that names no file (a link Pelican could not replace, a missing static
    file) is left out: the link checks report it with its file and line."""

    def __init__(self, content_dir: str, display):
        super().__init__(logging.WARNING)
        self.content_dir = content_dir
        self.display = display
        self.problems = []

    def emit(self, record):
        if record.name.split(".")[0] == __package__ or not not_taken(record):
            return  # the report has it, with its file
        args = record.args if isinstance(record.args, tuple) else ()
        files = [
            os.path.join(self.content_dir, arg)
            for arg in args
            if isinstance(arg, str) and os.path.isfile(os.path.join(self.content_dir, arg))
        ]
        if not files and record.levelno < logging.ERROR:
            return
        message = record.getMessage().splitlines()[0]
        if record.exc_info and record.exc_info[1] is not None:
            message += f": {record.exc_info[1]}"
        severity = "error" if record.levelno >= logging.ERROR else "warning"
        path = self.display(files[0] if files else self.content_dir)
        self.problems.append(Problem(path, None, None, message, severity, code="pelican"))
