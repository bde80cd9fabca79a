"""Build a real site with Pelican into a temporary folder, and read what came out.

Every test goes through here: Markdown in, Pelican run with the project's own
pelicanconf.py and plugin, files out, parsed with BeautifulSoup / feedparser / lxml.
"""

import json
import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from learning_journal.build_state import build_state
from pelican import Pelican, signals
from pelican.settings import read_settings

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT.parent / "shared" / "seeds"
SITEURL = "https://blog.example.org"


@dataclass
class Site:
    """A finished build: its output folder, its settings and its build report."""

    content: Path
    output: Path
    settings: dict
    pelican: Pelican
    generators: list

    def contents(self, kind: str = "articles") -> list:
        """Content objects of the last build: articles, drafts, hidden_articles, pages ..."""
        return [c for g in self.generators for c in getattr(g, kind, None) or []]

    def article(self, title_part: str):
        """The one content object whose title contains `title_part`, whatever its status."""
        kinds = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")
        found = [c for kind in kinds for c in self.contents(kind) if title_part in c.title]
        assert len(found) == 1, f"{len(found)} contents titled like {title_part!r}"
        return found[0]

    @property
    def report(self):
        return build_state(self.settings).report

    def path(self, relative: str) -> Path:
        relative = relative.lstrip("/")
        target = self.output / relative
        if relative == "" or relative.endswith("/"):
            target = target / "index.html"
        return target

    def exists(self, relative: str) -> bool:
        return self.path(relative).is_file()

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(relative).read_text(encoding="utf-8"), "lxml")

    def text(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def json(self, relative: str):
        return json.loads(self.text(relative))

    def messages(self) -> list[str]:
        """Every warning and skip reason of the build, as the author reads them."""
        report = self.report
        return [str(p) for p in report.warnings] + [str(p) for p in report.skipped.values()]

    def files(self) -> list[str]:
        return sorted(str(p.relative_to(self.output)) for p in self.output.rglob("*") if p.is_file())


def write_files(folder: Path, files: dict) -> None:
    """`files` maps relative paths to text (dedented) or bytes (written as they are)."""
    for name, body in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            target.write_bytes(body)
        else:
            target.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")


def build_site(tmp_path: Path, files: dict | None = None, copy_from: Path | None = None, **overrides) -> Site:
    """Write `files` (and/or copy a content folder), build with the project's settings, return the Site."""
    content = tmp_path / "content"
    output = tmp_path / "output"
    if copy_from is not None:
        shutil.copytree(copy_from, content, dirs_exist_ok=True)
    content.mkdir(parents=True, exist_ok=True)
    write_files(content, files or {})
    settings = read_settings(
        str(PROJECT / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "SITEURL": SITEURL,
            "FEED_DOMAIN": SITEURL,
            "CACHE_PATH": str(tmp_path / "cache"),
            **overrides,
        },
    )
    pelican = Pelican(settings)
    site = Site(content=content, output=output, settings=settings, pelican=pelican, generators=[])
    run(site)
    return site


def run(site: Site) -> None:
    """One Pelican run, keeping its generators so tests can look at what was read."""

    def keep(generators):
        site.generators = list(generators)

    signals.all_generators_finalized.connect(keep)
    try:
        site.pelican.run()
    finally:
        signals.all_generators_finalized.disconnect(keep)


def rebuild(site: Site) -> Site:
    """Run Pelican again on the same settings, as `--autoreload` does."""
    run(site)
    return site


def require(problem: str) -> None:
    """A tool a test needs is missing (`problem` says which): a failure in CI, where .ci/run
    installs it, and a skip elsewhere. No problem: nothing happens."""
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
