"""How `journal check` merges its own findings with what the build already reported."""

from learning_journal.problems import Problem
from learning_journal.tools.checks import Finding, merge_findings


def test_a_problem_the_build_reported_is_said_once_with_the_checks_line():
    built = Problem("content/a.md", None, "series_index", "part 1 of the series 'X' is claimed twice")
    found = Finding(Problem("content/a.md", 5, "series_index", "part 1 of 'X' is given to 2 posts"), "part 1")

    [merged] = merge_findings([built], [found])

    assert merged.message == built.message
    assert merged.line == 5


def test_a_link_is_matched_on_its_own_not_inside_a_longer_path():
    built = Problem("content/c.md", 7, None, "part 1 is claimed by content/s/a.md and content/s/c.md")
    link = Finding(Problem("content/c.md", 7, None, "link 'a.md' resolves to nothing"), "a.md")
    image = Finding(Problem("content/c.md", 7, None, "image 'x.png' resolves to nothing"), "x.png")

    merged = merge_findings([built], [link, image])

    assert [p.message for p in merged] == [built.message, link.problem.message, image.problem.message]


def test_the_same_link_reported_by_the_build_is_not_repeated():
    built = Problem("content/a.md", 7, None, "the link '../nowhere/' points to nothing in this site")
    found = Finding(Problem("content/a.md", 7, None, "link '../nowhere/' resolves to /nowhere/"), "../nowhere/")

    assert merge_findings([built], [found]) == [built]
