"""The build report: what was read, published, kept as draft or skipped, and why.

One report per build, part of the build's state (build_state.py), made afresh for every run.
"""

import fnmatch
import logging
import os
from dataclasses import dataclass, field

from pelican.log import console

from .content_kinds import CONTENT_TABLE, STATUSES, drafts_built
from .problems import Problem

logger = logging.getLogger(__name__)
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

    def saw(self, source_path: str) -> None:
        if source_path not in self.seen:
            self.seen.append(source_path)

    def warn(self, source_path: str, problem: Problem) -> None:
        """A problem in a post that is still published: "error" for URL clashes, "note" for
        harmless things worth knowing (CRLF line ends, a byte-order mark)."""
        self.warnings.append(problem)
        log = {"error": logger.error, "note": logger.info}.get(problem.severity, logger.warning)
        log("%s", problem)

    def skip(self, source_path: str, problem: Problem) -> None:
        self.skipped[source_path] = problem
        logger.error("%s (skipped)", problem)

    def finish(self, generators) -> None:
        """Count what each generator kept. A file read but kept nowhere, one Pelican gave up on,
        or a content-like file no reader takes is reported as skipped, with its reason."""
        settings = generators[0].settings
        context = generators[0].context
        self.drafts_written = drafts_built(settings)
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
            self.skipped[source_path] = Problem(os.path.relpath(source_path, base), None, None, message, "error")
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
            self.skipped[source_path] = Problem(os.path.relpath(source_path, base), None, None, message, "error")
        self.counts = {
            "read": len(self.seen),
            "published": len(kept["published"]),
            "hidden": len(kept["hidden"]),
            "drafts": len(kept["draft"]),
            "skipped": len(self.skipped),
            "errors": sum(problem.severity == "error" for problem in self.warnings),
            "warnings": sum(problem.severity == "warning" for problem in self.warnings),
        }

    def summary_lines(self) -> list[str]:
        counts = self.counts
        unwritten = " (not written: production build)" if counts["drafts"] and not self.drafts_written else ""
        lines = [
            "Build report: {read} read, {published} published, {drafts} drafts{unwritten}, {hidden} hidden, "
            "{skipped} skipped, {errors} errors, {warnings} warnings".format(**counts, unwritten=unwritten)
        ]
        lines += [f"  skipped {problem}" for problem in self.skipped.values()]
        return lines

    def print(self) -> None:
        for line in self.summary_lines():
            console.print(line, markup=False, highlight=False, soft_wrap=True)

    def as_dict(self) -> dict:
        return {
            "counts": self.counts,
            "skipped": [problem.as_dict() for problem in self.skipped.values()],
            "warnings": [problem.as_dict() for problem in self.warnings],
        }


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

