"""Drafts in production: a production build writes no draft and names none, a preview keeps them.

The sites are built with the real settings files (the project's publishconf.py, the starter's,
and `journal build --production` on a blog whose publishconf.py predates JOURNAL_DRAFTS), then
every file of the output is searched for the drafts' paths, titles, bodies and tags.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.robotparser import RobotFileParser

import feedparser
from pelican.settings import get_settings_from_file
from sitebuild import PROJECT, SITEURL, build_site

JOURNAL = [sys.executable, "-m", "learning_journal.tools.cli"]
# What only the drafts say: their titles, a sentence of a body, a tag no published post has.
DRAFT_WORDS = ("Quasar Whisper", "Xylophone seventeen", "Hidden Roadmap", "secret-tag")
FILES = {
    "night-sky/01-first-light.md": """
        ---
        title: First Light
        date: 2024-01-01
        series: Night Sky
        tags: [astronomy]
        ---
        Pointing a small telescope at the moon.
        """,
    "night-sky/02-quasar.md": """
        ---
        title: Quasar Whisper Notes
        date: 2024-02-01
        series: Night Sky
        tags: [astronomy, secret-tag]
        redirect_from: [/old-quasar/]
        draft: true
        ---
        Xylophone seventeen: what a quasar is.
        """,
    "night-sky/03-comet.md": """
        ---
        title: Comet Diary
        date: 2024-02-15
        series: Night Sky
        draft: true
        ---
        Not written yet.
        """,
    "night-sky/04-planets.md": """
        ---
        title: Planets at Dusk
        date: 2024-03-01
        series: Night Sky
        tags: [astronomy]
        ---
        Venus and Jupiter after sunset; see [the notes]({filename}02-quasar.md).
        """,
    "pages/roadmap.md": """
        ---
        title: Hidden Roadmap Page
        status: draft
        ---
        Plans.
        """,
    # The draft 02 is listed by file name: its title is the draft's own. Comet Diary is listed
    # by a title the description file itself writes, so it may be announced.
    "series/night-sky.md": """
        ---
        name: Night Sky
        parts:
          - night-sky/01-first-light.md
          - night-sky/02-quasar.md
          - planned: Comet Diary
          - night-sky/04-planets.md
        ---
        Looking up, one night at a time.
        """,
}


def output_texts(output: Path) -> dict[str, str]:
    """Every file of a build (relative path -> its text), binary files decoded leniently."""
    return {
        path.relative_to(output).as_posix(): path.read_bytes().decode("utf-8", "replace")
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def draft_traces(output: Path) -> list[str]:
    """Where a draft shows in a build: a path under drafts/ or of a draft, or a word of one."""
    found = []
    for name, text in output_texts(output).items():
        if name.startswith("drafts/") or "quasar" in name or "roadmap" in name or "comet" in name:
            found.append(name)
        found += [f"{name}: {word}" for word in (*DRAFT_WORDS, "/drafts/") if word.casefold() in text.casefold()]
    return found


def production_overrides(project: Path, monkeypatch) -> dict:
    """What a project's publishconf.py changes from its pelicanconf.py, read as Pelican reads them."""
    monkeypatch.chdir(project)
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.delitem(sys.modules, "pelicanconf", raising=False)
    preview = get_settings_from_file(str(project / "pelicanconf.py"))
    production = get_settings_from_file(str(project / "publishconf.py"))
    return {key: value for key, value in production.items() if preview.get(key, object()) != value}


def test_a_build_with_publishconf_writes_and_names_no_draft(tmp_path, monkeypatch):
    overrides = production_overrides(PROJECT, monkeypatch)
    site = build_site(tmp_path, FILES, **overrides)
    assert draft_traces(site.output) == []
    # The published posts are all there, in the feeds and on the series page.
    assert site.exists("first-light/") and site.exists("planets-at-dusk/")
    feed = feedparser.parse(site.text("atom.xml"))
    assert sorted(entry.title for entry in feed.entries) == ["First Light", "Planets at Dusk"]
    series = site.html("series/night-sky/")
    assert [a.get_text(strip=True) for a in series.select("main ol a")][:2] == ["First Light", "Planets at Dusk"]
    assert "Comet Diary" in series.get_text()  # written in the series file: the author's announcement
    # A `{filename}` link to a draft would lead to a page never written: said, and left as written.
    assert site.html("planets-at-dusk/").find("a", string="the notes")["href"] == "02-quasar.md"
    assert [m for m in site.messages() if "'{filename}02-quasar.md' points to a draft" in m]
    # Drafts are still read and counted, and the report says they were not written.
    assert site.report.counts["drafts"] == 3
    assert "3 drafts (not written: production build)" in site.report.summary_lines()[0]
    robots = RobotFileParser()
    robots.parse(site.text("robots.txt").splitlines())
    assert robots.can_fetch("*", f"{overrides['SITEURL']}/drafts/quasar-whisper-notes/")  # nothing to hide


def test_a_preview_build_keeps_drafts_readable_and_out_of_reach_of_crawlers(tmp_path):
    site = build_site(tmp_path, FILES)
    draft = site.html("drafts/quasar-whisper-notes/")
    assert draft.find("h1").get_text(strip=True) == "Quasar Whisper Notes"
    assert "Hidden Roadmap Page" in site.html("drafts/pages/hidden-roadmap-page.html").get_text()
    assert "Quasar Whisper Notes" in site.html("series/night-sky/").get_text()  # announced to the author
    link = site.html("planets-at-dusk/").find("a", string="the notes")
    assert link["href"] == f"{SITEURL}/drafts/quasar-whisper-notes/"
    # Never listed, in a feed or in the sitemap, even in a preview.
    for listing in ("index.html", "atom.xml", "rss.xml", "feed.json", "sitemap.xml", "archives/index.html"):
        assert "Quasar Whisper" not in site.text(listing), listing
    robots = RobotFileParser()
    robots.parse(site.text("robots.txt").splitlines())
    assert not robots.can_fetch("*", f"{SITEURL}/drafts/quasar-whisper-notes/")
    assert robots.can_fetch("*", f"{SITEURL}/first-light/")


def journal(folder: Path, *args) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JOURNAL_")}
    return subprocess.run([*JOURNAL, *args], cwd=folder, capture_output=True, text=True, env=environment, timeout=180)


def starter_blog(tmp_path: Path) -> Path:
    """A blog written by `journal init`, with the drafts and posts above."""
    blog = tmp_path / "blog"
    result = journal(tmp_path, "init", str(blog))
    assert result.returncode == 0, result.stderr
    for name, text in FILES.items():
        target = blog / "content" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(line.strip() for line in text.strip().splitlines()) + "\n", encoding="utf-8")
    return blog


def test_the_starter_publishconf_leaves_drafts_out_when_pelican_builds_it_alone(tmp_path):
    blog = starter_blog(tmp_path)
    # Plain Pelican on the starter's publishconf.py: the settings file itself must say it
    # (only the theme's path is given, as the README tells plain Pelican users to).
    build = (
        "from learning_journal.package import theme_root; from pelican import Pelican; "
        "from pelican.settings import read_settings; "
        "Pelican(read_settings('publishconf.py', override={'THEME': str(theme_root())})).run()"
    )
    result = subprocess.run([sys.executable, "-c", build], cwd=blog, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert (blog / "output" / "01-first-light" / "index.html").is_file()
    assert draft_traces(blog / "output") == []


def test_journal_build_production_leaves_drafts_out_whatever_an_older_publishconf_says(tmp_path):
    blog = starter_blog(tmp_path)
    publishconf = blog / "publishconf.py"
    older = publishconf.read_text(encoding="utf-8").replace("JOURNAL_DRAFTS = False", "")
    publishconf.write_text(older.replace("DELETE_OUTPUT_DIRECTORY = True", "DELETE_OUTPUT_DIRECTORY = False"))
    preview = journal(blog, "build")
    assert preview.returncode == 0, preview.stderr
    assert (blog / "output" / "drafts" / "02-quasar" / "index.html").is_file()
    production = journal(blog, "build", "--production")
    assert production.returncode == 0, production.stderr
    assert (blog / "output" / "04-planets" / "index.html").is_file()
    assert draft_traces(blog / "output") == []  # none written, and the preview's drafts are gone
