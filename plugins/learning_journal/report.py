"""The build report: what was read, published, kept as draft or skipped, and why.

One report per build, part of the build's state (build_state.py), made afresh for every run.
The console gets a short report at the end of the build: the counts, every skipped file and
error, and the warnings, one line each (`path:line: warning[code]: message`), where a code
that many files share is said once, on the line of its first file, with how many there are.
`-v` (Pelican's and `journal build`'s) lists every one, notes too; `journal check` always
does. Codes in JOURNAL_IGNORE are acknowledged: counted, not printed.
"""

import fnmatch
import logging
import os
import re
from dataclasses import dataclass, field

from pelican.log import console

from .content_kinds import CONTENT_TABLE, STATUSES, drafts_built
from .problems import Problem, one_line

logger = logging.getLogger(__name__)
# From this many problems of one code, the build prints them as one line (`journal check`: all).
GROUP_FROM = 4
SEVERITIES = ("error", "warning", "note")
# Extensions of files that are meant to be posts: found in content/ but read by nobody, they
# would vanish without a word (an Astro .mdx, a notebook, an AsciiDoc post).
CONTENT_LIKE = {".md", ".markdown", ".mkd", ".mdown", ".mdx", ".rst", ".ipynb", ".html", ".htm",
                ".txt", ".org", ".adoc", ".asciidoc", ".textile"}


@dataclass
class BuildReport:
    """Per-file facts gathered while Pelican reads; counted once all generators are done."""

    seen: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # source path -> Problem
    counts: dict = field(default_factory=dict)
    drafts_written: bool = True  # False in production: drafts are counted, never written
    ignore: frozenset = frozenset()  # codes the author acknowledged (JOURNAL_IGNORE)

    def saw(self, source_path: str) -> None:
        if source_path not in self.seen:
            self.seen.append(source_path)

    def warn(self, source_path: str, problem: Problem) -> None:
        """A problem in a post that is still published: "error" for URL clashes, "note" for
        harmless things worth knowing (CRLF line ends, a byte-order mark)."""
        self.warnings.append(problem)
        logger.debug("%s", problem)  # the console gets them in the report at the end

    def skip(self, source_path: str, problem: Problem) -> None:
        self.skipped[source_path] = problem
        logger.debug("%s (skipped)", problem)

    def finish(self, generators) -> None:
        """Count what each generator kept. A file read but kept nowhere, one Pelican gave up on,
        or a content-like file no reader takes is reported as skipped, with its reason."""
        settings = generators[0].settings
        context = generators[0].context
        self.drafts_written = drafts_built(settings)
        self.ignore = frozenset(settings.get("JOURNAL_IGNORE") or ())
        content_root = os.path.abspath(settings.get("PATH", "."))
        base = os.path.dirname(content_root)
        kept = {status: set() for status in STATUSES}
        for generator in generators:
            for kind in CONTENT_TABLE:
                for content in getattr(generator, kind.attribute, None) or []:
                    kept[kind.status].add(os.path.abspath(content.source_path))
                    self.saw(content.source_path)
        for relative, content in context.get("generated_content", {}).items():
            if content is None:  # Pelican's mark for a file it could not process
                self.saw(os.path.join(content_root, relative))
        accounted = set().union(*kept.values())
        for source_path in self.seen:
            if os.path.abspath(source_path) in accounted or source_path in self.skipped:
                continue
            message = "Pelican could not use it; see the error above"
            shown = os.path.relpath(source_path, base)
            self.skipped[source_path] = Problem(shown, None, None, message, "error", code="pelican-skipped")
        static = {os.path.join(content_root, path) for path in context.get("static_content", {})}
        for source_path in unread_content_files(content_root, settings):
            if source_path in accounted or source_path in static or source_path in self.skipped:
                continue
            self.saw(source_path)
            extension = os.path.splitext(source_path)[1]
            message = (
                f"not read: no reader for '{extension}' files here; "
                "rename it to .md if it is Markdown, or move it out of the content folder"
            )
            shown = os.path.relpath(source_path, base)
            self.skipped[source_path] = Problem(shown, None, None, message, "error", code="no-reader")
        self.counts = {
            "read": len(self.seen),
            "published": len(kept["published"]),
            "hidden": len(kept["hidden"]),
            "drafts": len(kept["draft"]),
            "skipped": len(self.skipped),
        }
        self.count_problems()

    def problems(self) -> list[Problem]:
        """Each problem once (a message Pelican gives for a post's content and its summary
        alike is one problem), by file and line."""
        unique = [p for p in dict.fromkeys(self.warnings) if not said_by_link_check(p, self.warnings)]
        return sorted(unique, key=lambda p: (p.path, p.line or 0, SEVERITIES.index(p.severity), p.code))

    def is_ignored(self, problem: Problem) -> bool:
        """Warnings and notes can be acknowledged; an error cannot."""
        return problem.code in self.ignore and problem.severity != "error"

    def count_problems(self) -> None:
        """Problems can still come while pages are written (Pelican's link messages)."""
        problems = self.problems()
        shown = [p for p in problems if not self.is_ignored(p)]
        self.counts.update(
            errors=sum(p.severity == "error" for p in shown),
            warnings=sum(p.severity == "warning" for p in shown),
            notes=sum(p.severity == "note" for p in shown),
            ignored=len(problems) - len(shown),
        )

    def summary_lines(self, verbose: bool = False) -> list[str]:
        self.count_problems()
        counts = {"read": 0, "published": 0, "drafts": 0, "hidden": 0, "skipped": 0, **self.counts}
        unwritten = " (not written: production build)" if counts["drafts"] and not self.drafts_written else ""
        head = (
            "Build report: {read} read, {published} published, {drafts} drafts{unwritten}, {hidden} hidden, "
            "{skipped} skipped, {errors} errors, {warnings} warnings".format(**counts, unwritten=unwritten)
        )
        if counts["ignored"]:
            head += f" ({counts['ignored']} ignored: JOURNAL_IGNORE)"
        lines = [head]
        lines += [f"  {problem} (skipped)" for problem in self.skipped.values()]
        lines += [f"  {line}" for line in problem_lines(self.problems(), self.is_ignored, verbose)]
        return lines

    def print(self, verbose: bool | None = None) -> None:
        if verbose is None:  # Pelican's -v / --verbose, and journal build -v
            verbose = logging.getLogger().getEffectiveLevel() <= logging.INFO
        for line in self.summary_lines(verbose):
            console.print(line, markup=False, highlight=False, soft_wrap=True)

    def as_dict(self) -> dict:
        self.count_problems()
        return {
            "counts": self.counts,
            "skipped": [problem.as_dict() for problem in self.skipped.values()],
            "warnings": [{**problem.as_dict(), "ignored": self.is_ignored(problem)} for problem in self.problems()],
        }


def said_by_link_check(problem: Problem, problems: list) -> bool:
    """Pelican's "Unable to find 'x'" when the link check says the same of that file's link;
    a missing static file Pelican names by itself when a post's link to it is reported."""
    if problem.code == "link-target-missing":
        target = re.search(r"Unable to find '([^']+)'", problem.message)
    elif problem.code == "static-file-missing":
        target = re.search(r"modification stamp for \S*?([^/\s]+)(?:\s|$)", problem.message)
    else:
        return False
    same_file = problem.code == "link-target-missing"
    return target is not None and any(
        other.code == "broken-link" and target[1] in other.message and (other.path == problem.path or not same_file)
        for other in problems
    )


def problem_lines(problems: list, is_ignored, verbose: bool) -> list[str]:
    """One line per problem; unless `verbose`, notes and ignored codes are left out and a code
    with GROUP_FROM or more warnings is one line: its first problem and how many share it."""
    if verbose:
        return [f"{problem} (ignored)" if is_ignored(problem) else str(problem) for problem in problems]
    shown = [p for p in problems if p.severity != "note" and not is_ignored(p)]
    by_code = {}
    for problem in shown:
        if problem.severity == "warning":
            by_code.setdefault(problem.code, []).append(problem)
    lines = []
    for problem in shown:
        group = by_code.get(problem.code, ())
        if len(group) < GROUP_FROM or problem.severity == "error":
            lines.append(str(problem))
        elif problem is group[0]:
            files = len({p.path for p in group})
            lines.append(
                f"{problem.where}: warning[{problem.code}]: {one_line(problem.message)} "
                f"[and {len(group) - 1} more {problem.code} in {files} files: journal check lists them]"
            )
    return lines


def unread_content_files(content_root: str, settings):
    """Content-like files under the content folder, outside hidden folders and the series
    description folder, which the series module reads itself."""
    series_folder = os.path.join(content_root, settings.get("JOURNAL_SERIES_PATH", "series"))
    ignored = settings.get("IGNORE_FILES", [])  # Pelican skips these folders too (`_includes`, ...)
    for folder, subfolders, files in os.walk(content_root):
        subfolders[:] = sorted(
            name for name in subfolders
            if not name.startswith(".") and os.path.join(folder, name) != series_folder
            and not any(fnmatch.fnmatch(name, pattern) for pattern in ignored)
        )
        for name in sorted(files):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in CONTENT_LIKE:
                yield os.path.join(folder, name)

