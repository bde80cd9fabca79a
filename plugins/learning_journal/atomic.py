"""Atomic builds: Pelican writes into a staging folder that replaces the output only when
the whole build succeeded, so a failed build leaves the previous site exactly as it was.

Strict mode (JOURNAL_STRICT = True, or `journal build --strict`) turns any skipped post or
error of the build report into a failed build, before anything is written.
"""

import logging
import os
import shutil
import tempfile

from .report import report_for

logger = logging.getLogger(__name__)
STAGING_PREFIX = ".journal-staging-"


class StrictBuildError(RuntimeError):
    """Raised in strict mode when the build report holds errors or skipped posts."""


def start_staging(pelican) -> None:
    """At the start of a run: point Pelican's output at a fresh staging folder."""
    if not pelican.settings.get("JOURNAL_ATOMIC_OUTPUT", True):
        return
    target = os.path.abspath(pelican.settings["OUTPUT_PATH"])
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    remove_leftovers(parent, os.path.basename(target))
    staging = tempfile.mkdtemp(dir=parent, prefix=f"{STAGING_PREFIX}{os.path.basename(target)}-")
    if not pelican.settings.get("DELETE_OUTPUT_DIRECTORY") and os.path.isdir(target):
        # The author keeps files of their own in the output: start from a copy of it.
        shutil.copytree(target, staging, dirs_exist_ok=True, symlinks=True)
    pelican.journal_output = target
    pelican.output_path = staging


def remove_leftovers(parent: str, name: str) -> None:
    """Staging folders of builds that failed or were interrupted."""
    for entry in os.scandir(parent):
        if entry.name.startswith(f"{STAGING_PREFIX}{name}-") and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def publish_staging(pelican) -> None:
    """At the end of a successful run: the staging folder becomes the output."""
    target = getattr(pelican, "journal_output", None)
    if target is None:
        return
    staging = pelican.output_path
    pelican.output_path = target
    del pelican.journal_output
    previous = None
    if os.path.isdir(target):
        carry_retained_files(target, staging, pelican.settings.get("OUTPUT_RETENTION", []))
        prefix = f"{STAGING_PREFIX}{os.path.basename(target)}-old-"
        previous = tempfile.mkdtemp(dir=os.path.dirname(target), prefix=prefix)
        os.rename(target, os.path.join(previous, "output"))
    os.rename(staging, target)
    if previous:
        shutil.rmtree(previous, ignore_errors=True)


def discard_staging(pelican) -> None:
    """After a failed run: drop the half-written staging folder; the output stays as it was."""
    target = getattr(pelican, "journal_output", None)
    if target is None:
        return
    staging = pelican.output_path
    pelican.output_path = target
    del pelican.journal_output
    shutil.rmtree(staging, ignore_errors=True)


def carry_retained_files(old: str, new: str, retained) -> None:
    """OUTPUT_RETENTION (a `.git` for GitHub Pages, a CNAME) survives the swap."""
    for name in retained or []:
        source, destination = os.path.join(old, name), os.path.join(new, name)
        if os.path.lexists(source) and not os.path.lexists(destination):
            shutil.move(source, destination)


def enforce_strict_mode(settings) -> None:
    """Fail the build before writing when strict mode is on and the report holds errors."""
    if not settings.get("JOURNAL_STRICT"):
        return
    report = report_for(settings)
    errors = list(report.skipped.values()) + [p for p in report.warnings if p.severity == "error"]
    if errors:
        lines = "\n".join(f"  {problem}" for problem in errors)
        raise StrictBuildError(
            f"strict mode: {len(errors)} error(s), the output was left as it was:\n{lines}"
        )
