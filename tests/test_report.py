"""The build report as an author and a tool read it: one line per problem with its file and code,
a kind said once when many files share it, kinds acknowledged, nothing from Pelican or a
library printed without the file it is about, and no line wrapped when the output is piped."""

import logging
import re
import sys

from sitebuild import build_site
from test_cli import journal, make_project, post

# `path[:line]: severity[code]: message`, as editors and CI annotators read it.
PROBLEM_LINE = re.compile(
    r"^(?P<path>\S+?)(?::(?P<line>\d+))?: (?P<severity>error|warning|note)\[(?P<code>[a-z0-9-]+)\]: "
)

# Posts that make Pelican itself warn while it renders them: an indicator it does not know (as
# Hugo's `{ .URL }` leaves), a {filename} link to a post that is not there, a missing static file.
PELICAN_WARNINGS = {
    "posts/indicator.md": post("Indicator", "2024-01-01", body="See [the page]({ .URL }) here."),
    "posts/lost-link.md": post("Lost link", "2024-01-02", body="Read\n\n[the other]({filename}/nowhere.md) one."),
    "posts/lost-image.md": post("Lost image", "2024-01-03", body="![A chart]({static}/images/lost.png)"),
}


def test_pelicans_own_warnings_name_the_file_and_line(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    site = build_site(tmp_path, PELICAN_WARNINGS)
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    leaked = [message for message in logged if "content/" not in message]
    assert leaked == []
    by_code = {p.code: p for p in site.report.problems()}
    indicator = by_code["link-indicator"]
    assert indicator.path == "content/posts/indicator.md" and indicator.line == 5, indicator
    assert "Pelican" in indicator.message and ".URL" in indicator.message
    lost = [p for p in site.report.problems() if p.path == "content/posts/lost-link.md"]
    assert lost and all(p.line == 7 for p in lost), lost
    # Every line the build prints names a file and a code.
    lines = [line.strip() for line in site.report.summary_lines(verbose=True)[1:]]
    assert lines and all(PROBLEM_LINE.match(line) for line in lines), lines


def test_a_warning_many_files_share_is_one_line_with_a_count(tmp_path):
    files = {f"posts/undated-{n}.md": f"---\ntitle: Undated {n}\n---\nText.\n" for n in range(6)}
    files["posts/dated.md"] = post("Dated", "2024-01-01", extra="tags: 5")
    site = build_site(tmp_path, files)
    short = site.report.summary_lines()
    undated = [line for line in short if "[missing-date]" in line]
    assert len(undated) == 1, short
    assert "5 more missing-date in 6 files" in undated[0]
    assert PROBLEM_LINE.match(undated[0].strip()).group("path") == "content/posts/undated-0.md"
    full = site.report.summary_lines(verbose=True)
    listed = {PROBLEM_LINE.match(line.strip()).group("path") for line in full if "[missing-date]" in line}
    assert listed == {f"content/posts/undated-{n}.md" for n in range(6)}


def test_journal_ignore_acknowledges_a_kind_and_still_counts_it(tmp_path):
    files = {f"posts/undated-{n}.md": f"---\ntitle: Undated {n}\n---\nText.\n" for n in range(2)}
    files["posts/indicator.md"] = PELICAN_WARNINGS["posts/indicator.md"]
    site = build_site(tmp_path, files, JOURNAL_IGNORE=["missing-date"])
    short = site.report.summary_lines()
    assert not [line for line in short if "[missing-date]" in line]
    assert "2 ignored" in short[0] and "1 warnings" in short[0], short[0]
    assert any("[link-indicator]" in line for line in short)
    assert [line for line in site.report.summary_lines(verbose=True) if line.endswith("(ignored)")]


LONG_NAME = "why-state-separation-matters-when-you-write-a-parser-by-hand-part-two-of-seven"


def long_named_project(tmp_path):
    return make_project(
        tmp_path,
        {
            f"posts/{LONG_NAME}.md": f"---\ntitle: Long\ndate: 2024-01-01\n---\n{'word ' * 40}[x]({{ .URL }})\n",
            **{f"posts/undated-{n}.md": f"---\ntitle: Undated {n}\n---\nText.\n" for n in range(5)},
        },
    )


def test_journal_build_piped_prints_whole_lines(tmp_path):
    project = long_named_project(tmp_path)
    result = journal(project, "build")
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    problem_lines = [line.strip() for line in output.splitlines() if re.search(r"(warning|error|note)\[", line)]
    assert problem_lines, output
    assert all(PROBLEM_LINE.match(line) for line in problem_lines), problem_lines
    assert any(f"content/posts/{LONG_NAME}.md:5: warning[link-indicator]" in line for line in problem_lines)
    # Five undated posts: one line says them all; -v lists each.
    assert len([line for line in problem_lines if "[missing-date]" in line]) == 1
    verbose = journal(project, "build", "-v")
    listed = [line for line in (verbose.stdout + verbose.stderr).splitlines() if "[missing-date]" in line]
    assert len(listed) == 5, verbose.stdout


def test_plain_pelican_piped_prints_whole_lines(tmp_path):
    project = long_named_project(tmp_path)
    result = journal(project, "content", "-s", "pelicanconf.py", command=[sys.executable, "-m", "pelican"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"content/posts/{LONG_NAME}.md:5: warning[link-indicator]" in output
    assert not [line for line in output.splitlines() if "Replacement Indicator" in line and "content/" not in line]


def test_journal_check_lists_each_problem_once_and_ignores_a_kind(tmp_path):
    project = long_named_project(tmp_path)
    result = journal(project, "check")
    lines = [line for line in result.stdout.splitlines() if PROBLEM_LINE.match(line)]
    assert len(lines) == len(set(lines)) == 6, result.stdout
    assert len([line for line in lines if "[missing-date]" in line]) == 5
    ignoring = journal(project, "check", "--ignore", "missing-date")
    kept = [line for line in ignoring.stdout.splitlines() if PROBLEM_LINE.match(line)]
    assert len(kept) == 1 and "[link-indicator]" in kept[0], ignoring.stdout
    assert "5 ignored" in ignoring.stdout.splitlines()[-1]
    listed = journal(project, "check", "--ignore", "missing-date", "-v")
    assert len([line for line in listed.stdout.splitlines() if line.endswith("(ignored)")]) == 5
