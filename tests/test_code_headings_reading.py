"""Highlighted code, heading ids and a table of contents, reading time."""

import re

from learning_journal.output.pygments_css import stylesheet
from sitebuild import PROJECT, build_site, rebuild

POST = """
---
title: Structure
date: 2024-01-01
toc: true
---
## Setting up

```python
def dot(a, b):
    return sum(x * y for x, y in zip(a, b))
```

## Setting up

### Über die Ableitung

## "Quotes" & NASA
"""


def test_fenced_code_with_a_language_is_highlighted(tmp_path):
    page = build_site(tmp_path, files={"s.md": POST}).html("structure/")
    block = page.select_one("div.highlight pre")
    assert block is not None
    keywords = [span.get_text() for span in block.select("span.k")]
    assert "def" in keywords and "return" in keywords
    assert block.select_one("span.nf").get_text() == "dot"


def content_headings(page):
    return [h for h in page.select(".content h2, .content h3")]


def test_headings_get_unique_readable_ids_that_survive_a_rebuild(tmp_path):
    site = build_site(tmp_path, files={"s.md": POST})
    ids = [h["id"] for h in content_headings(site.html("structure/"))]
    assert ids == ["setting-up", "setting-up_1", "über-die-ableitung", "quotes-nasa"]
    rebuild(site)
    assert [h["id"] for h in content_headings(site.html("structure/"))] == ids


def test_front_matter_toc_gives_templates_the_table_of_contents(tmp_path):
    from bs4 import BeautifulSoup

    site = build_site(tmp_path, files={"s.md": POST, "plain.md": "---\ntitle: Plain\ndate: 2024-01-02\n---\n## A\n"})
    toc = BeautifulSoup(str(site.article("Structure").toc), "lxml")
    targets = [a["href"] for a in toc.find_all("a")]
    assert targets == ["#setting-up", "#setting-up_1", "#über-die-ableitung", "#quotes-nasa"]
    assert "\u201cQuotes\u201d" in toc.get_text()
    assert not hasattr(site.article("Plain"), "toc")


def test_toc_marker_in_the_body_puts_the_table_there(tmp_path):
    body = "---\ntitle: Marker\ndate: 2024-01-01\n---\n[TOC]\n\n## One\n\n## Two\n"
    site = build_site(tmp_path, files={"m.md": body})
    page = site.html("marker/")
    assert [a["href"] for a in page.select(".content nav.toc a")] == ["#one", "#two"]


def test_reading_time_counts_prose_not_code(tmp_path):
    prose = " ".join(["word"] * 660)
    code = "\n".join(f"    line_{n} = {n}" for n in range(2000))
    site = build_site(
        tmp_path,
        files={
            "long.md": f"---\ntitle: Long\ndate: 2024-01-01\n---\n{prose}\n\n{code}\n\n$$ x^2 + y^2 $$\n",
            "short.md": "---\ntitle: Short\ndate: 2024-01-01\n---\nHello.\n",
        },
    )
    assert site.article("Long").reading_time == 3
    assert site.article("Short").reading_time == 1


def test_reading_time_speed_is_a_setting(tmp_path):
    prose = " ".join(["word"] * 600)
    site = build_site(
        tmp_path, files={"p.md": f"---\ntitle: P\ndate: 2024-01-01\n---\n{prose}\n"}, JOURNAL_WORDS_PER_MINUTE=100
    )
    assert site.article("P").reading_time == 6


def test_pygments_stylesheet_is_current_and_has_a_dark_mode():
    written = (PROJECT / "theme/static/css/pygments.css").read_text(encoding="utf-8")
    assert written == stylesheet()
    light, dark = written.split("@media (prefers-color-scheme: dark)")
    assert re.search(r"^\.highlight (\.k|:is\([^)]*\.k[,)])[^{]*\{color:#008000;font-weight:bold\}", light, re.M)
    assert re.search(r"^  \.highlight (\.k|:is\([^)]*\.k[,)])[^{]*\{color:#FF7B72;font-weight:unset\}", dark, re.M)
    assert "  .highlight{background:#0d1117;" in dark


def test_pygments_stylesheet_writes_each_style_once_and_only_dark_changes_in_dark_mode():
    light, dark = stylesheet().split("@media (prefers-color-scheme: dark)")
    for part in (light, dark):
        bodies = re.findall(r"\{([^{}]*)\}", part.split("*/")[-1])
        assert len(bodies) == len(set(bodies))
    # Comments are italic grey-green in both; only their colour is written again for dark mode.
    dark_comment = re.search(r"^  \.highlight :is\([^)]*\.c1[,)][^{]*\{([^}]*)\}", dark, re.M)
    assert dark_comment[1] == "color:#8B949E"


def test_pygments_stylesheet_is_copied_with_the_theme(tmp_path):
    site = build_site(tmp_path, files={"s.md": POST})
    assert site.exists("theme/css/pygments.css")
