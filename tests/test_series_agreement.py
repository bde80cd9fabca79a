"""`journal build`, `journal check` and `journal new` see the same series: one model (the
build's SeriesCatalog) decides which posts form a series, its name and its positions."""

import json

import frontmatter
from sitebuild import build_site
from test_cli import journal, make_project, post


def series_pages(site) -> dict:
    """Series page URL -> the part titles it lists, from the built /series/ pages."""
    index = site.html("series/")
    pages = {}
    for link in index.select("main a[href*='/series/']"):
        href = link["href"].split("blog.example.org", 1)[-1]
        if href.rstrip("/") in ("/series", ""):
            continue
        page = site.html(href)
        pages[href] = [item.get_text(" ", strip=True) for item in page.select("li.series-part a")]
    return pages


def check_problems(project):
    result = journal(project, "check", "--format", "json")
    return json.loads(result.stdout)["problems"]


def missing_part_messages(problems) -> list:
    return [p for p in problems if "missing" in p["message"] and "jumps from part" in p["message"]]


DEEP_LEARNING = {
    "dl/one.md": post("Tensors", "2024-01-01", "Deep Learning", 1),
    "dl/two.md": post("Gradients", "2024-01-08", "Deep Learning", 2),
    "dl/four.md": post("Optimisers", "2024-01-22", "Deep_Learning", 4),
}


def test_underscore_spelling_is_one_series_for_build_check_and_new(tmp_path):
    site = build_site(tmp_path / "site", DEEP_LEARNING)
    pages = series_pages(site)
    assert len(pages) == 1
    assert list(pages.values()) == [["Tensors", "Gradients", "Optimisers"]]

    project = make_project(tmp_path, DEEP_LEARNING)
    [missing] = missing_part_messages(check_problems(project))
    assert missing["path"] == "content/dl/four.md"
    assert "part 3 is missing" in missing["message"]
    assert "'Deep Learning'" in missing["message"]

    made = journal(project, "new", "Next", "--series", "Deep_Learning")
    assert made.returncode == 0, made.stderr
    written = frontmatter.load(project / made.stdout.strip())
    assert written["series_index"] == 5
    assert written["series"] == "Deep Learning"
    assert made.stdout.strip().startswith("content/dl/")


# Spellings the same series may be written with: case, spaces, `_`, `-`, punctuation.
SPELLINGS = [
    "Deep Learning",
    "deep learning",
    "DEEP  LEARNING",
    "Deep_Learning",
    "deep-learning",
    "Deep Learning!",
    "Deep: Learning?",
]


def test_every_spelling_is_the_same_series_everywhere(tmp_path):
    # Positions 1..7 except 5, one spelling per post; the most used spelling is the name.
    positions = [1, 2, 3, 4, 6, 7, 8]
    files = {
        f"s/part-{position}.md": post(f"Part {position}", f"2024-02-{position:02d}", f'"{spelling}"', position)
        for position, spelling in zip(positions, SPELLINGS, strict=True)
    }
    files["s/again.md"] = post("Again", "2024-03-01", '"deep learning"', 9)
    site = build_site(tmp_path / "site", files)
    [titles] = series_pages(site).values()
    assert len(titles) == 8
    [navigation_name] = {a.series.name for a in site.contents() if getattr(a, "series", None)}
    assert navigation_name == "deep learning"

    project = make_project(tmp_path, files)
    missing = missing_part_messages(check_problems(project))
    assert [p["message"].split("; ", 1)[1] for p in missing] == ["part 5 is missing"]
    assert "'deep learning'" in missing[0]["message"]

    # Each spelling given to `journal new` finds the series and numbers after its last part.
    for number, spelling in enumerate(SPELLINGS, start=10):
        made = journal(project, "new", f"New {number}", "--series", spelling)
        assert made.returncode == 0, made.stderr
        written = frontmatter.load(project / made.stdout.strip())
        assert (written["series"], written["series_index"]) == ("deep learning", number)

    # The build puts every new part in the same series.
    site = build_site(tmp_path / "rebuilt", copy_from=project / "content")
    [titles] = series_pages(site).values()
    assert len(titles) == 8 + len(SPELLINGS)


def test_different_names_stay_different_series_everywhere(tmp_path):
    files = {
        "a.md": post("Alpha one", "2024-01-01", "Deep Learning", 1),
        "b.md": post("Beta one", "2024-01-02", "Deep Learning Two", 1),
        "c.md": post("Beta three", "2024-01-03", "deep_learning_two", 3),
    }
    site = build_site(tmp_path / "site", files)
    assert sorted(len(titles) for titles in series_pages(site).values()) == [1, 2]

    project = make_project(tmp_path, files)
    [missing] = missing_part_messages(check_problems(project))
    assert missing["path"] == "content/c.md" and "part 2 is missing" in missing["message"]
    made = journal(project, "new", "Alpha two", "--series", "DEEP LEARNING")
    assert frontmatter.load(project / made.stdout.strip())["series_index"] == 2
