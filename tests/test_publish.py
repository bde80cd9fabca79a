"""`journal publish`: a production build pushed to the gh-pages branch of a local bare repository
standing in for GitHub, or sent with rsync; nothing pushed on --dry-run, on a build that is not
clean, or without JOURNAL_SITEURL. Drafts never leave the machine."""

import os
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from test_cli import post

JOURNAL = [sys.executable, "-m", "learning_journal.tools.cli"]


def git(folder, *args) -> str:
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return result.stdout


def journal(folder, *args, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JOURNAL_")}
    environment.update(env)
    return subprocess.run([*JOURNAL, *args], cwd=folder, capture_output=True, text=True, env=environment, timeout=180)


@pytest.fixture
def blog(tmp_path):
    """A blog from `journal init` with one draft, in a git repository whose origin is a bare one."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    blog = tmp_path / "blog"
    assert journal(tmp_path, "init", str(blog)).returncode == 0
    (blog / "content" / "secret.md").write_text(post("Secret plans", "2024-02-01", extra="draft: true"))
    git(blog, "init", "-q", "-b", "main")
    git(blog, "-c", "user.name=T", "-c", "user.email=t@example.org", "add", ".")
    git(blog, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    git(blog, "remote", "add", "origin", str(origin))
    return blog, origin


def published_files(origin) -> list[str]:
    return git(origin, "ls-tree", "-r", "--name-only", "gh-pages").split()


def test_publish_pushes_the_site_to_gh_pages_with_nojekyll_and_cname(blog):
    folder, origin = blog
    result = journal(
        folder, "publish", JOURNAL_SITEURL="https://ada.example.org", JOURNAL_CNAME="ada.example.org"
    )
    assert result.returncode == 0, result.stderr
    files = published_files(origin)
    assert "index.html" in files and ".nojekyll" in files
    assert git(origin, "show", "gh-pages:CNAME").strip() == "ada.example.org"
    assert not [name for name in files if name.startswith("drafts/")]
    assert not [name for name in files if "secret" in name]
    titled = subprocess.run(["git", "grep", "-il", "secret plans", "gh-pages"], cwd=origin, capture_output=True)
    assert (titled.returncode, titled.stdout) == (1, b"")  # the draft's title is in no published file
    home = BeautifulSoup(git(origin, "show", "gh-pages:index.html"), "lxml")
    assert home.find("link", rel="canonical")["href"] == "https://ada.example.org/"
    # The author's branch is untouched; the build's record of published URLs is new, for the
    # author to commit (README, URLs: stable once published).
    assert git(folder, "status", "--porcelain") in ("", "?? published-urls.json\n")


def test_publish_without_cname_writes_none(blog):
    folder, origin = blog
    assert journal(folder, "publish", "--force", JOURNAL_SITEURL="https://ada.example.org").returncode == 0
    assert "CNAME" not in published_files(origin)


def test_dry_run_pushes_nothing(blog):
    folder, origin = blog
    result = journal(folder, "publish", "--dry-run", "--force", JOURNAL_SITEURL="https://ada.example.org")
    assert result.returncode == 0, result.stderr
    assert "gh-pages" in result.stdout and "nothing was sent" in result.stdout
    assert git(origin, "branch", "--list") == ""
    assert git(folder, "branch", "--list", "gh-pages") == ""


def test_refuses_without_siteurl(blog):
    folder, origin = blog
    result = journal(folder, "publish")
    assert result.returncode == 2
    assert "JOURNAL_SITEURL" in result.stderr
    assert git(origin, "branch", "--list") == ""


def test_refuses_a_build_that_is_not_clean_unless_forced(blog):
    folder, origin = blog
    (folder / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    result = journal(folder, "publish", JOURNAL_SITEURL="https://ada.example.org")
    assert result.returncode == 1
    assert "--force" in result.stderr
    assert git(origin, "branch", "--list") == ""
    forced = journal(folder, "publish", "--force", JOURNAL_SITEURL="https://ada.example.org")
    assert forced.returncode == 0, forced.stderr
    assert "index.html" in published_files(origin)


def test_rsync_sends_the_site_without_drafts(blog, tmp_path):
    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed")
    folder, origin = blog
    target = tmp_path / "www"
    result = journal(folder, "publish", "--force", "--rsync", str(target), JOURNAL_SITEURL="https://ada.example.org")
    assert result.returncode == 0, result.stderr
    assert (target / "index.html").is_file()
    assert not (target / "drafts").exists()
    assert git(origin, "branch", "--list") == ""
