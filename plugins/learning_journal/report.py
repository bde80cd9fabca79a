"""The build report: what was read, published, kept as draft or skipped, and why.

One report per build, kept in the settings under REPORT_KEY and replaced at the start of
every run, so nothing survives from one `--autoreload` build to the next.
"""

import logging
import os
from dataclasses import dataclass, field

from pelican.log import console

from .problems import Problem

logger = logging.getLogger(__name__)
REPORT_KEY = "JOURNAL_BUILD_REPORT"


@dataclass
class BuildReport:
    """Per-file facts gathered while Pelican reads; counted once all generators are done."""

    seen: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # source path -> Problem
    counts: dict = field(default_factory=dict)

    def saw(self, source_path: str) -> None:
        if source_path not in self.seen:
            self.seen.append(source_path)

    def warn(self, source_path: str, problem: Problem) -> None:
        """A problem in a post that is still published (severity "error" for URL clashes)."""
        self.warnings.append(problem)
        if problem.severity == "error":
            logger.error("%s", problem)
        else:
            logger.warning("%s", problem)

    def skip(self, source_path: str, problem: Problem) -> None:
        self.skipped[source_path] = problem
        logger.error("%s (skipped)", problem)

    def finish(self, generators) -> None:
        """Count what each generator kept; a file read but kept nowhere is reported as skipped."""
        kept = {"published": [], "hidden": [], "drafts": []}
        for generator in generators:
            for attribute, bucket in (
                ("articles", "published"),
                ("translations", "published"),
                ("pages", "published"),
                ("hidden_articles", "hidden"),
                ("hidden_translations", "hidden"),
                ("hidden_pages", "hidden"),
                ("drafts", "drafts"),
                ("drafts_translations", "drafts"),
                ("draft_pages", "drafts"),
                ("draft_translations", "drafts"),
            ):
                for content in getattr(generator, attribute, None) or []:
                    kept[bucket].append(content.source_path)
                    self.saw(content.source_path)
        settings = generators[0].settings if generators else {}
        base = os.path.dirname(os.path.abspath(settings.get("PATH", ".")))
        accounted = {os.path.abspath(path) for paths in kept.values() for path in paths}
        for source_path in self.seen:
            if os.path.abspath(source_path) in accounted or source_path in self.skipped:
                continue
            self.skipped[source_path] = Problem(
                os.path.relpath(source_path, base), None, None, "Pelican could not use it; see the error above", "error"
            )
        self.counts = {
            "read": len(self.seen),
            "published": len(kept["published"]),
            "hidden": len(kept["hidden"]),
            "drafts": len(kept["drafts"]),
            "skipped": len(self.skipped),
            "errors": sum(problem.severity == "error" for problem in self.warnings),
            "warnings": sum(problem.severity != "error" for problem in self.warnings),
        }

    def summary_lines(self) -> list[str]:
        counts = self.counts
        lines = [
            "Build report: {read} read, {published} published, {drafts} drafts, "
            "{hidden} hidden, {skipped} skipped, {errors} errors, {warnings} warnings".format(**counts)
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


def report_for(settings) -> BuildReport:
    """The current build's report (one is made for readers used outside a build)."""
    report = settings.get(REPORT_KEY)
    if not isinstance(report, BuildReport):
        report = BuildReport()
        settings[REPORT_KEY] = report
    return report


def start_report(pelican) -> None:
    """get_generators is sent at the start of every run: a fresh report for each build."""
    pelican.settings[REPORT_KEY] = BuildReport()
