"""Atomic builds: Pelican writes into a staging folder that is published into the output only
when the whole build succeeded, so a failed build leaves the previous site exactly as it was.

Publishing moves only what changed: the writer (writer.py) leaves pages whose bytes did not
change out of the staging folder, other files equal to the live ones are left in place, and
with DELETE_OUTPUT_DIRECTORY the files this build did not produce are removed. Swapping whole
trees instead would rewrite, and delete, thousands of files and folders on every rebuild.
The staging folder lives under CACHE_PATH and keeps its empty folders from one build to the
next, because creating and removing a thousand folders on every build costs seconds on a
busy disk.

Strict mode (JOURNAL_STRICT = True, or `journal build --strict`) turns any skipped post or
error of the build report into a failed build: before anything is written, and again before
publishing, for the errors of what is made while pages are written (an e-book, the search index).
"""

import errno
import hashlib
import logging
import os
import shutil

from ..build_state import build_state
from .writer import carried_over, same_file

logger = logging.getLogger(__name__)
STAGING_PREFIX = ".journal-staging-"


class StrictBuildError(RuntimeError):
    """Raised in strict mode when the build report holds errors or skipped posts."""


def start_staging(pelican) -> None:
    """At the start of a run: point Pelican's output at an empty staging folder."""
    # Pelican empties its output_path first when DELETE_OUTPUT_DIRECTORY is set; with staging,
    # publishing removes stale files instead, and the staging folders are kept for the next build.
    pelican.delete_outputdir = pelican.settings.get("DELETE_OUTPUT_DIRECTORY", False)
    if not pelican.settings.get("JOURNAL_ATOMIC_OUTPUT", True):
        return
    pelican.delete_outputdir = False
    target = os.path.abspath(pelican.settings["OUTPUT_PATH"])
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    remove_leftovers(parent, os.path.basename(target))
    staging = staging_folder(pelican.settings, target)
    remove_files(staging)  # what a failed or interrupted build left
    os.makedirs(staging, exist_ok=True)
    pelican.journal_output = target
    pelican.output_path = staging


def staging_folder(settings, target: str) -> str:
    """One staging folder per output folder, kept under CACHE_PATH between builds."""
    name = hashlib.sha256(target.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    cache = os.path.abspath(settings.get("CACHE_PATH") or os.path.join(os.path.dirname(target), "cache"))
    if os.path.commonpath([cache, target]) == target:  # a cache inside the output: stage beside it
        return os.path.join(os.path.dirname(target), f"{STAGING_PREFIX}{os.path.basename(target)}")
    return os.path.join(cache, "learning-journal", "staging", name)


def remove_files(folder: str) -> None:
    """Empty `folder` of files and links, keeping its folders for the next build."""
    for parent, folders, files in os.walk(folder):
        for name in files + [name for name in folders if os.path.islink(os.path.join(parent, name))]:
            os.unlink(os.path.join(parent, name))


def remove_leftovers(parent: str, name: str) -> None:
    """Staging folders of builds that failed or were interrupted."""
    for entry in os.scandir(parent):
        if entry.name.startswith(f"{STAGING_PREFIX}{name}-") and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def end_staging(pelican) -> tuple[str | None, str | None]:
    """Point Pelican back at the real output; return (staging, output), or Nones if not staging."""
    target = getattr(pelican, "journal_output", None)
    if target is None:
        return None, None
    staging = pelican.output_path
    pelican.output_path = target
    del pelican.journal_output
    return staging, target


def publish_staging(pelican) -> None:
    """At the end of a successful run: the staging folder's files go into the output."""
    staging, target = end_staging(pelican)
    if staging is None:
        return
    if os.path.lexists(target) and not os.path.isdir(target):
        os.unlink(target)
    os.makedirs(target, exist_ok=True)
    removed = []
    if pelican.settings.get("DELETE_OUTPUT_DIRECTORY"):
        built = files_under(staging) | carried_over(pelican.settings)
        cache = os.path.abspath(pelican.settings.get("CACHE_PATH") or "cache")
        removed = remove_stale_files(target, built, pelican.settings.get("OUTPUT_RETENTION", []), protected=cache)
    moved = merge_into(staging, target)
    writer = build_state(pelican.settings).writer
    if writer is not None:
        writer.published = {os.path.relpath(path, target) for path in moved + removed}


def discard_staging(pelican) -> None:
    """After a failed run: drop what the run staged; the output stays as it was."""
    staging, _ = end_staging(pelican)
    if staging is not None:
        remove_files(staging)  # its folders are kept for the next build


def files_under(folder: str) -> set[str]:
    """Relative paths of the files (and links) below `folder`."""
    found = set()
    for parent, folders, files in os.walk(folder):
        relative = os.path.relpath(parent, folder)
        for name in files + [name for name in folders if os.path.islink(os.path.join(parent, name))]:
            found.add(os.path.normpath(os.path.join(relative, name)))
    return found


def remove_stale_files(target: str, built: set[str], retained, protected: str = "") -> list[str]:
    """What a clean build would not have: files this build did not produce, and folders left empty.

    OUTPUT_RETENTION (a `.git` for GitHub Pages, a CNAME) names top-level entries to keep;
    `protected` is a folder never touched (the cache, when it lives in the output). Returns the
    paths of the files removed.
    """
    emptied, removed = set(), []
    for entry in os.scandir(target):
        if entry.name in (retained or []) or entry.path == protected:
            continue
        if entry.is_dir(follow_symlinks=False):
            for parent, folders, files in os.walk(entry.path):
                # A CACHE_PATH inside the output is not output.
                folders[:] = [name for name in folders if os.path.join(parent, name) != protected]
                for name in files:
                    path = os.path.join(parent, name)
                    if os.path.relpath(path, target) not in built:
                        os.unlink(path)
                        emptied.add(parent)
                        removed.append(path)
        elif entry.name not in built:
            os.unlink(entry.path)
            removed.append(entry.path)
    for folder in sorted(emptied, key=len, reverse=True):
        while folder != target and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
    return removed


def merge_into(staging: str, target: str) -> list[str]:
    """Move each staged file into the output; an equal file stays as it is, with its mtime.
    Returns the output paths of the files moved.

    Folders are created, never moved: the staging folders stay for the next build.
    """
    moved = []
    for entry in os.scandir(staging):
        destination = os.path.join(target, entry.name)
        live_folder = os.path.isdir(destination) and not os.path.islink(destination)
        if entry.is_dir(follow_symlinks=False):
            if live_folder:
                moved += merge_into(entry.path, destination)
            elif files_under(entry.path):
                if os.path.lexists(destination):
                    os.unlink(destination)
                os.mkdir(destination)
                moved += merge_into(entry.path, destination)
            else:  # the folder of an output that is no longer built
                shutil.rmtree(entry.path)
            continue
        if live_folder:
            shutil.rmtree(destination)
        elif same_file(entry.path, destination):
            os.unlink(entry.path)
            continue
        try:
            os.replace(entry.path, destination)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            shutil.move(entry.path, destination)  # the cache is on another disk
        moved.append(destination)
    return moved


def enforce_strict_mode(settings) -> None:
    """Fail the build (before writing, and before publishing) when strict mode is on and the
    report holds errors."""
    if not settings.get("JOURNAL_STRICT"):
        return
    report = build_state(settings).report
    errors = list(report.skipped.values()) + [p for p in report.warnings if p.severity == "error"]
    if errors:
        lines = "\n".join(f"  {problem}" for problem in errors)
        raise StrictBuildError(f"strict mode: {len(errors)} error(s), the output was left as it was:\n{lines}")
