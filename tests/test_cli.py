"""The `journal` commands, run as an author runs them: subprocesses on a temporary project."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import frontmatter
import pytest
from sitebuild import PROJECT, write_files

JOURNAL = [sys.executable, "-m", "learning_journal.tools.cli"]


def make_project(tmp_path: Path, files: dict | None = None) -> Path:
    """A project as an author has it: pelicanconf.py, the theme, a content folder."""
    project = tmp_path / "blog"
    project.mkdir()
    shutil.copy(PROJECT / "pelicanconf.py", project)
    shutil.copy(PROJECT / "publishconf.py", project)
    shutil.copytree(PROJECT / "theme", project / "theme")
    (project / "content").mkdir()
    write_files(project / "content", files or {})
    return project


def journal(project: Path, *args, command=JOURNAL, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*command, *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def check_json(project: Path, *args) -> tuple[int, dict]:
    result = journal(project, "check", "--format", "json", *args)
    return result.returncode, json.loads(result.stdout)


def post(title, date, series=None, index=None, extra="", body="Some text."):
    lines = ["---", f'title: "{title}"', f"date: {date}"]
    if series:
        lines.append(f"series: {series}")
    if index is not None:
        lines.append(f"series_index: {index}")
    if extra:
        lines.append(extra)
    return "\n".join([*lines, "---", body, ""])


# journal new


def test_new_twice_in_one_series_gives_parts_one_and_two(tmp_path):
    project = make_project(tmp_path)
    first = journal(
        project,
        "new",
        "Ownership: Moves and Borrows",
        "--series",
        "Learning Rust",
        "--tags",
        "rust, memory",
    )
    assert first.returncode == 0, first.stderr
    assert "new series" in first.stderr
    second = journal(project, "new", "Lifetimes", "--series", "learning rust", "--draft")
    assert second.returncode == 0, second.stderr

    first_post = frontmatter.load(project / first.stdout.strip())
    second_post = frontmatter.load(project / second.stdout.strip())
    assert first.stdout.strip() == "content/learning-rust/ownership-moves-and-borrows.md"
    assert first_post["title"] == "Ownership: Moves and Borrows"
    assert first_post["series"] == "Learning Rust"
    assert first_post["series_index"] == 1
    assert first_post["tags"] == ["rust", "memory"]
    assert first_post["draft"] is False
    assert first_post["date"].utcoffset() is not None
    assert "description" in first_post.metadata  # to fill in
    assert second_post["series"] == "Learning Rust"
    assert second_post["series_index"] == 2
    assert second_post["draft"] is True


def test_new_refuses_to_overwrite(tmp_path):
    project = make_project(tmp_path)
    assert journal(project, "new", "Hello World").returncode == 0
    path = project / "content" / "hello-world.md"
    path.write_text("---\ntitle: Hello World\ndate: 2024-01-01\n---\nMy words.\n", encoding="utf-8")

    again = journal(project, "new", "Hello World")

    assert again.returncode != 0
    assert "not overwritten" in again.stderr
    assert path.read_text(encoding="utf-8").endswith("My words.\n")


def test_new_part_goes_beside_the_numbered_parts(tmp_path):
    project = make_project(
        tmp_path,
        {
            "math/01-vectors.md": post("Vectors", "2024-01-01", "Math for ML", 1),
            "math/02-matrices.md": post("Matrices", "2024-01-08", "Math for ML", 2),
        },
    )
    result = journal(project, "new", "Derivatives", "--series", "MATH FOR ML")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/math/03-derivatives.md"
    assert frontmatter.load(project / result.stdout.strip())["series_index"] == 3


def test_new_series_named_like_a_reserved_folder_is_still_read_as_posts(tmp_path):
    project = make_project(tmp_path)
    result = journal(project, "new", "Image Processing 101", "--series", "Images")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/images-posts/image-processing-101.md"
    code, report = check_json(project)
    assert report["read"]["published"] == 1


def test_new_part_counts_the_parts_a_description_file_lists(tmp_path, seeds):
    project = make_project(
        tmp_path,
        {
            "series/machine-learning-course.md": """
                ---
                name: Machine Learning Course
                parts:
                  - course-what-is-ml.md
                ---
                A course brought from another site.
                """,
        },
    )
    (project / "content" / "courses").mkdir()
    shutil.copy(seeds / "course-what-is-ml.md", project / "content" / "courses")

    result = journal(project, "new", "What is a Neural Network", "--series", "machine learning course")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/courses/what-is-a-neural-network.md"
    written = frontmatter.load(project / result.stdout.strip())
    assert written["series"] == "Machine Learning Course"
    assert written["series_index"] == 2
    assert "content/series/machine-learning-course.md" in result.stderr


def test_new_series_typo_is_answered_with_the_close_match(tmp_path):
    project = make_project(
        tmp_path,
        {
            "a.md": post("Why Math", "2024-01-01", "Math for Machine Learning", 1),
        },
    )
    typo = journal(project, "new", "Vectors", "--series", "Math for Machine Leaning")
    assert typo.returncode == 1
    assert "did you mean 'Math for Machine Learning'" in typo.stderr
    assert sorted(p.name for p in (project / "content").rglob("*.md")) == ["a.md"]

    forced = journal(
        project,
        "new",
        "Vectors",
        "--series",
        "Math for Machine Leaning",
        "--new-series",
    )
    assert forced.returncode == 0, forced.stderr
    assert frontmatter.load(project / forced.stdout.strip())["series_index"] == 1


# journal check

PLANTED = {
    "ml/part-1.md": post(
        "Part One",
        "2024-01-01",
        "Math for Machine Learning",
        1,
        body="See [the missing part](../no-such-post/) and ![a chart](/images/chart.png).\n\n"
        '{{< gallery dir="charts" >}}\n\n'
        "```\n{{< in a code block it is fine >}}\n```\n\n"
        "Jekyll leftovers: {% include note.html %} and `{% in code %}` and {{ site.title }}.\n\n"
        "~~~\n{% include note.html %}\n~~~\n\n"
        "And again: {% include note.html %}",
    ),
    "ml/part-2.md": post("Part Two", "2024-01-08", "Math for Machine Learning", 1),
    "ml/part-5.md": post("Part Five", "2024-01-15", "Math for Machine Learning", 5),
    "ml/typo.md": post("Typo", "2024-01-20", "Math for Machine Leaning", 1),
    "ml/draft.md": post("Draft", "2024-01-21", "Math for Machine Learning", 6, "draft: true"),
    "bad-date.md": post("Bad Date", "next tuesday-ish"),
    "bad-yaml.md": "---\ntitle: Broken\ndate: 2024-01-01\ntags: [one, two\n---\nBody\n",
    "weekly-1.md": post("Weekly", "2024-02-01"),
    "weekly-2.md": post("Weekly", "2024-02-08"),
}


def find(problems, path, *fragments):
    """The problem in `path` whose message holds every fragment (the build's wording or the
    check's: each problem is said once, by whichever found it)."""
    found = [p for p in problems if p["path"] == path and all(f in p["message"] for f in fragments)]
    assert found, f"nothing about {fragments!r} in {path}: {problems}"
    return found[0]


def test_check_finds_every_planted_problem_with_file_and_line(tmp_path, seeds):
    project = make_project(tmp_path, PLANTED)
    shutil.copy(seeds / "course-what-is-ml.md", project / "content")

    code, report = check_json(project)

    assert code == 1 and report["ok"] is False
    problems = report["problems"]
    part_1 = "content/ml/part-1.md"
    assert find(problems, "content/bad-yaml.md", "not valid YAML")["line"] == 4
    assert find(problems, "content/bad-yaml.md", "not valid YAML")["severity"] == "error"
    assert find(problems, "content/bad-date.md", "is not a date")["line"] == 3
    assert find(problems, "content/ml/typo.md", "typo of 'Math for Machine Learning'")["line"] == 4
    assert find(problems, part_1, "part 1 ", "'Math for Machine Learning'")["line"] == 5
    assert sum("part 1 " in p["message"] for p in problems if p["path"] == part_1) == 1
    assert find(problems, "content/ml/part-2.md", "part 1 ", "'Math for Machine Learning'")["line"] == 5
    assert find(problems, "content/ml/part-5.md", "parts 2, 3, 4 are missing")["line"] == 5
    assert find(problems, "content/weekly-2.md", "already taken")
    assert find(problems, part_1, "'../no-such-post/'")["line"] == 7
    assert find(problems, part_1, "'/images/chart.png'")["line"] == 7
    assert find(problems, part_1, "Hugo shortcode")["line"] == 9
    liquid_tags = [p["line"] for p in problems if p["path"] == part_1 and "Liquid tag" in p["message"]]
    assert liquid_tags == [15, 21]
    assert find(problems, part_1, "Liquid variable")["line"] == 15
    assert find(problems, "content/ml/draft.md", "draft in")["severity"] == "note"
    assert find(problems, "content/course-what-is-ml.md", "'what-is-a-neural-network'")["line"] == 26
    raw_code = [p for p in problems if p["path"] == part_1 and "raw text" in p["message"]]
    assert len(raw_code) == 4, "code blocks and inline code are not raw template code"


def test_check_follows_pelican_links_and_leaves_good_ones_alone(tmp_path):
    body = (
        "[part]({filename}other.md) [gone]({filename}/gone.md)\n"
        "![fine]({static}/images/real.png) ![lost]({static}/images/lost.png)\n"
        "[feed](/atom.xml) [tag](/tags/math/) [top](#top) [mail](mailto:me@example.org)\n"
        "[same site](http://127.0.0.1:8000/other/) [elsewhere](https://example.com/x/)"
    )
    project = make_project(
        tmp_path,
        {
            "links.md": post("Links", "2024-01-01", body=body),
            "other.md": post("Other", "2024-01-02"),
            "images/real.png": b"png",
        },
    )
    code, report = check_json(project)
    messages = {(p["line"], p["message"].split(" ")[1]) for p in report["problems"]}
    assert messages == {
        (5, "'{filename}/gone.md'"),
        (6, "'http://127.0.0.1:8000/images/lost.png'"),
    }
    assert code == 0


def test_check_knows_a_site_under_a_sub_path(tmp_path):
    project = make_project(
        tmp_path,
        {
            "a.md": post("A", "2024-01-01", body="[b](/blog/b/) [b again](https://me.example.io/blog/b/)"),
            "b.md": post("B", "2024-01-02", body="[gone](/blog/gone/)"),
        },
    )
    settings = project / "pelicanconf.py"
    settings.write_text(settings.read_text() + '\nSITEURL = "https://me.example.io/blog"\n')
    code, report = check_json(project)
    assert [(p["path"], p["line"]) for p in report["problems"]] == [("content/b.md", 5)]


def test_check_prints_file_line_severity_lines(tmp_path):
    project = make_project(tmp_path, {"bad-date.md": post("Bad Date", "someday")})
    result = journal(project, "check")
    assert result.returncode == 0
    assert "content/bad-date.md:3: warning[date]: 'date' is not a date" in result.stdout


def test_check_exits_0_on_the_sample_blog_and_writes_nothing(tmp_path):
    project = tmp_path / "sample"
    shutil.copytree(
        PROJECT,
        project,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "output",
            "cache",
            "__pycache__",
            "*.egg-info",
            ".pytest_cache",
        ),
    )

    code, report = check_json(project, "--strict")

    assert code == 0, report["problems"]
    assert report["counts"]["error"] == report["counts"]["warning"] == 0
    assert report["read"]["published"] > 5
    assert not (project / "output").exists()
    assert not (project / "cache").exists()


def test_strict_turns_warnings_into_errors(tmp_path):
    project = make_project(tmp_path, {"a.md": post("A", "2024-01-01", body="[x](/nowhere/)")})
    assert check_json(project)[0] == 0
    code, report = check_json(project, "--strict")
    assert code == 1
    assert find(report["problems"], "content/a.md", "/nowhere/")["severity"] == "error"


def test_check_one_file_and_project_option(tmp_path):
    project = make_project(
        tmp_path,
        {
            "good.md": post("Good", "2024-01-01"),
            "bad.md": post("Bad", "2024-01-01", body="[x](/nowhere/)"),
        },
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = journal(
        elsewhere,
        "check",
        "--project",
        str(project),
        "--format",
        "json",
        str(project / "content" / "good.md"),
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["problems"] == []
    assert journal(elsewhere, "check").returncode == 2

    other_content = tmp_path / "other-content"
    shutil.copytree(project / "content", other_content)
    result = journal(elsewhere, "--project", str(project), "check", "--format", "json", str(other_content))
    [problem] = json.loads(result.stdout)["problems"]
    assert Path(elsewhere, problem["path"]).resolve() == other_content / "bad.md"


# journal build


def test_build_writes_the_site_and_strict_fails_on_skipped_posts(tmp_path):
    project = make_project(
        tmp_path,
        {
            "good.md": post("Good Post", "2024-01-01"),
            "broken.md": "---\ntitle: [unclosed\n---\nBody\n",
        },
    )
    plain = journal(project, "build")
    assert plain.returncode == 0, plain.stderr
    assert "1 skipped" in plain.stdout
    assert (project / "output" / "good-post" / "index.html").is_file()

    strict = journal(project, "build", "--strict")
    assert strict.returncode == 1


def test_installed_journal_script_builds_for_production(tmp_path):
    script = Path(sys.executable).parent / "journal"
    if not script.exists():
        pytest.skip("the journal script is not installed next to this Python")
    project = make_project(tmp_path, {"good.md": post("Good Post", "2024-01-01")})
    env = {**os.environ, "JOURNAL_SITEURL": "https://learning.example.net"}
    result = subprocess.run(
        [str(script), "build", "--production"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (project / "output" / "good-post" / "index.html").read_text(encoding="utf-8")
    assert "https://learning.example.net/good-post/" in page


@pytest.mark.parametrize("command", ["new", "check", "serve", "build"])
def test_every_command_has_help(tmp_path, command):
    result = journal(tmp_path, command, "--help")
    assert result.returncode == 0
    assert "--project" in result.stdout
    assert f"journal {command}" in result.stdout


# journal serve


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return None


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return None


def test_serve_says_when_the_port_is_taken(tmp_path):
    project = make_project(tmp_path, {"hello.md": post("Hello", "2024-01-01")})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = journal(project, "serve", "--port", str(port), timeout=60)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_serve_rebuilds_on_save_and_stops_on_ctrl_c(tmp_path):
    project = make_project(tmp_path, {"hello.md": post("Hello", "2024-01-01", body="First words.")})
    port = free_port()
    url = f"http://127.0.0.1:{port}/hello/"
    server = subprocess.Popen(
        [*JOURNAL, "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = wait_for(lambda: fetch(url), 60)
        assert first and "First words." in first.replace("&nbsp;", " ")  # typogrify: no widow
        assert fetch(f"http://127.0.0.1:{port}/no-such-page/") is None

        time.sleep(1)  # let the watcher settle before saving
        (project / "content" / "hello.md").write_text(
            post("Hello", "2024-01-01", body="Second words, after a save."),
            encoding="utf-8",
        )
        changed = wait_for(lambda: "Second words" in (fetch(url) or ""), 60)
        assert changed

        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stdout.close()


def test_settings_that_cannot_be_loaded_are_named_with_file_and_line(tmp_path):
    project = make_project(tmp_path, {"a.md": post("A", "2024-01-01")})
    settings_file = project / "pelicanconf.py"
    original = settings_file.read_text()

    settings_file.write_text(original.replace('THEME = "theme"', 'THEME = "no-such-theme"'))
    result = journal(project, "build")
    said = result.stdout + result.stderr
    assert result.returncode == 2
    assert "Traceback" not in said
    assert "pelicanconf.py: " in said and "no-such-theme" in said and 'THEME = "learning-journal"' in said
    assert not (project / "output").exists()

    settings_file.write_text(original + "\nDEFAULT_PAGINATION = pages_per_list\n")
    result = journal(project, "check")
    said = result.stdout + result.stderr
    assert result.returncode == 2
    assert "Traceback" not in said
    assert f"pelicanconf.py:{len(original.splitlines()) + 2}: " in said and "pages_per_list" in said
