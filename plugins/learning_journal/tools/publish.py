"""`journal publish`: send a production build to GitHub Pages (ghp-import) or anywhere (rsync).

The build itself is `journal build --production --strict`; this module only checks what came out
(no drafts) and sends it. GitHub Pages gets `.nojekyll` (Jekyll would hide `_`-prefixed files)
and a `CNAME` when JOURNAL_CNAME names the custom domain.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..output.drafts import draft_folder

GITHUB_REMOTE = "origin"
GITHUB_BRANCH = "gh-pages"


class PublishError(Exception):
    """Publishing stopped; the message says why and what to do."""


@dataclass
class Plan:
    """What `journal publish` is about to do, said before it does it (and all of --dry-run)."""

    output: Path
    rsync_to: str | None
    cname: str | None

    def command(self) -> list[str]:
        return ["rsync", "-a", "--delete", f"{self.output}/", self.rsync_to]

    def describe(self) -> str:
        files = sum(1 for p in self.output.rglob("*") if p.is_file())
        if self.rsync_to:
            return f"send {files} files from {self.output} with: {' '.join(self.command())}"
        extra = " and CNAME (" + self.cname + ")" if self.cname else ""
        return (
            f"commit {files} files from {self.output} with .nojekyll{extra} to branch "
            f"{GITHUB_BRANCH} and push it to the remote {GITHUB_REMOTE}"
        )


def strip_drafts(output: Path, settings: dict) -> Path | None:
    """Drafts are never published: the production build writes none (JOURNAL_DRAFTS), and a
    draft folder left in the output by other means is removed; the removed path."""
    folder = draft_folder(settings)
    if folder and (output / folder).is_dir():
        shutil.rmtree(output / folder)
        return output / folder
    return None


def publish(plan: Plan, project: Path) -> None:
    if plan.rsync_to:
        if shutil.which("rsync") is None:
            raise PublishError("rsync is not installed; install it, or publish to GitHub Pages without --rsync")
        result = subprocess.run(plan.command(), capture_output=True, text=True)
        if result.returncode:
            raise PublishError(f"rsync failed: {result.stderr.strip()}")
        return
    from ghp_import import GhpError, ghp_import

    remotes = subprocess.run(["git", "remote"], cwd=project, capture_output=True, text=True)
    if remotes.returncode:
        raise PublishError(f"{project} is not a git repository; run git init and add a remote named {GITHUB_REMOTE}")
    if GITHUB_REMOTE not in remotes.stdout.split():
        raise PublishError(f"this repository has no remote named {GITHUB_REMOTE}; add it with git remote add")
    os.chdir(project)  # ghp-import works on the repository of the current folder
    try:
        ghp_import(
            str(plan.output),
            mesg="Publish the site (journal publish)",
            remote=GITHUB_REMOTE,
            branch=GITHUB_BRANCH,
            push=True,
            nojekyll=True,
            cname=plan.cname,
        )
    except GhpError as error:
        raise PublishError(f"ghp-import: {error.message}") from error
