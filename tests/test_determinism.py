"""The same content builds to the same bytes: whatever the hash seed, the number of reading
processes or the order in which the files were created. Builds run in fresh Python processes,
as an author runs them, because the hash seed is fixed for the life of a process."""

import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from sitebuild import PROJECT, write_files
from test_cli import make_project

SAME_DAY = ["zeta", "apple", "notes/mango", "notes/banana", "kiwi", "older/fig", "cherry", "lime",
            "older/date-palm", "quince", "olive", "plum"]
SAME_MINUTE = ["walnut", "notes/almond", "hazel", "older/pecan"]


def post(title: str, date: str, tags: str, extra: str = "") -> str:
    return f'---\ntitle: "{title}"\ndate: {date}\ntags: [{tags}]\n{extra}---\nA post called {title}.\n'


def blog() -> dict:
    """Many posts on one date-only date, several on one full timestamp, a series whose parts
    share a date, drafts and pages that share one, tags everywhere."""
    files = {}
    for number, name in enumerate(SAME_DAY):
        files[f"{name}.md"] = post(f"Same day {number}", "2024-06-01", "shared, day" if number % 2 else "shared")
    for number, name in enumerate(SAME_MINUTE):
        files[f"{name}.md"] = post(f"Same minute {number}", "2024-06-02 09:30", "shared, minute")
    for number, name in enumerate(["tie-c", "tie-a", "tie-b", "tie-d"]):
        files[f"ties/{name}.md"] = post(f"Tied part {number}", "2024-06-03", "series", "series: Tied Parts\n")
    for number, name in enumerate(["draft-b", "draft-a", "draft-c"]):
        files[f"{name}.md"] = post(f"Draft {number}", "2024-06-01", "shared", "status: draft\n")
    for number, name in enumerate(["older/one", "older/two", "older/three", "four", "five", "six"]):
        files[f"{name}-early.md"] = post(f"Early {number}", f"2023-0{number + 1}-10", "early, shared")
    files["warned-a.md"] = post("Warned A", "2024-06-01", "shared", "colour: blue\n")
    files["warned-b.md"] = post("Warned B", "2024-06-01", "shared", "colour: red\n")
    files["pages/about.md"] = "---\ntitle: About\ndate: 2024-06-01\n---\nAbout.\n"
    files["pages/now.md"] = "---\ntitle: Now\ndate: 2024-06-01\n---\nNow.\n"
    return files


def make_blog(folder: Path, reverse: bool = False) -> Path:
    """The blog, its files created one by one (in reverse order when asked)."""
    folder.mkdir(parents=True)
    project = make_project(folder)
    files = list(blog().items())
    for name, text in reversed(files) if reverse else files:
        write_files(project / "content", {name: text})
    return project


def pelican(project: Path, seed: int, processes: int | None = None, *settings: str, timeout: int = 300):
    """A build in a fresh process, as `pelican content` runs it; `settings` as `-e KEY=VALUE`."""
    extra = [*settings, *([] if processes is None else [f"JOURNAL_READ_PROCESSES={processes}"])]
    environment = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(PROJECT / "plugins")}
    command = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output"]
    command += ["-e", *extra] if extra else []
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def messages(result: subprocess.CompletedProcess) -> list[str]:
    """What the author reads, without the timing line."""
    return [line for line in (result.stdout + result.stderr).splitlines() if " seconds" not in line]


def test_hash_seed_processes_and_creation_order_change_no_byte_of_the_site(tmp_path):
    first = make_blog(tmp_path / "a")
    first_run = pelican(first, seed=1)
    reference = tree(first / "output")
    assert {"index.html", "archives/index.html", "tags/shared/index.html", "sitemap.xml", "atom.xml"} <= set(reference)

    for name, seed, processes, reverse in [("b", 2, 1, True), ("c", 2, None, True), ("d", 3, None, False)]:
        project = make_blog(tmp_path / name, reverse=reverse)
        run = pelican(project, seed=seed, processes=processes)
        other = tree(project / "output")
        assert other.keys() == reference.keys()
        assert [path for path in reference if reference[path] != other[path]] == [], (name, seed, processes)
        assert messages(run) == messages(first_run)


def titles_in(page: Path, prefix: str) -> list[str]:
    links = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select("main a[href]")
    titles = [link.get_text(" ", strip=True) for link in links]
    return list(dict.fromkeys(title for title in titles if title.startswith(prefix)))


def test_posts_that_share_a_date_are_listed_by_source_path(tmp_path):
    project = make_blog(tmp_path / "a")
    pelican(project, seed=4)
    output = project / "output"

    newest_first = [f"Same day {SAME_DAY.index(name)}" for name in sorted(SAME_DAY, reverse=True)]
    assert titles_in(output / "archives" / "index.html", "Same day") == newest_first
    assert titles_in(output / "tags" / "day" / "index.html", "Same day") == [
        title for title in newest_first if int(title.split()[-1]) % 2
    ]
    # Parts of a series without positions go by date, then path: tie-a, tie-b, tie-c, tie-d.
    assert titles_in(output / "series" / "tied-parts" / "index.html", "Tied part") == [
        "Tied part 1", "Tied part 2", "Tied part 0", "Tied part 3"
    ]


def test_a_rebuild_under_another_hash_seed_rewrites_nothing(tmp_path):
    project = make_blog(tmp_path / "a")
    pelican(project, seed=1)
    before = {path: os.stat(project / "output" / path).st_mtime_ns for path in tree(project / "output")}
    for path in before:  # an older mtime, so that a file written again shows even on coarse clocks
        os.utime(project / "output" / path, ns=(before[path] - 10**9,) * 2)
    before = {path: os.stat(project / "output" / path).st_mtime_ns for path in before}

    pelican(project, seed=2)

    after = {path: os.stat(project / "output" / path).st_mtime_ns for path in tree(project / "output")}
    assert after.keys() == before.keys()
    assert [path for path in before if after[path] != before[path]] == []
