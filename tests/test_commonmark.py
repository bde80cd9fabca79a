"""Posts written as Hugo, Jekyll, Astro, Gatsby and GitHub authors write them come out with the
structure a CommonMark renderer gives them: lists (and how they nest), tables, code blocks and
headings. Our HTML is compared with markdown-it-py's CommonMark rendering of the same text."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from sitebuild import build_site

CORPUS = Path(__file__).parent / "corpus" / "commonmark"
FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)\n.*?\n(?:---|\+\+\+)\n", re.DOTALL)
TASK_MARK = re.compile(r"^\[[ xX]\]\s*")
# Not CommonMark: boxes (`!!!`, `> [!NOTE]`) are compared by what is inside them.
BOXES = ".admonition-title, details > summary"


def commonmark(markdown: str) -> BeautifulSoup:
    renderer = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    return BeautifulSoup(renderer.render(FRONT_MATTER.sub("", markdown, count=1)), "html.parser")


def words(text: str) -> str:
    """Text compared without punctuation, spaces or typography (curly quotes, dashes)."""
    return re.sub(r"[\W_]+", "", text)


def own_text(item) -> str:
    """An item's text without the lists nested in it."""
    parts = [
        piece if isinstance(piece, str) else piece.get_text()
        for piece in item.children
        if isinstance(piece, str) or piece.name not in {"ul", "ol"}
    ]
    return words(TASK_MARK.sub("", "".join(parts).strip()))


def written_link(link) -> bool:
    """A link the author wrote as one (`[text](url)`, `<url>`), not a bare URL turned into one
    (GitHub does, CommonMark does not) or a footnote's."""
    href, text = link["href"], link.get_text().strip()
    return not href.startswith("#") and href not in {text, "http://" + text, "mailto:" + text}


def structure(soup: BeautifulSoup) -> dict:
    """What must match: lists with their first number, depth, items, text and looseness; tables cell by cell; code
    blocks by their text; headings by level and text; links, images, emphasis, line breaks, code
    spans, and backslashes left in the prose."""
    for box_title in soup.select(BOXES):
        box_title.decompose()
    for footnotes in soup.select(".footnote"):
        footnotes.decompose()
    lists = [
        (
            element.name,
            element.get("start", "1"),
            len(element.find_parents(["ul", "ol"])),
            [own_text(item) for item in element.find_all("li", recursive=False)],
            # loose (its items' text in paragraphs) or tight, as a whole
            [item.find("p", recursive=False) is not None for item in element.find_all("li", recursive=False)],
        )
        for element in soup.find_all(["ul", "ol"])
    ]
    tables = [
        [[words(cell.get_text()) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]
        for table in soup.find_all("table")
    ]
    code = [" ".join(pre.get_text().split()) for pre in soup.find_all("pre")]
    headings = [(h.name, words(h.get_text())) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    links = [(words(a.get_text()), a["href"], a.get("title")) for a in soup.find_all("a", href=True) if written_link(a)]
    images = [(img.get("src"), img.get("alt"), img.get("title")) for img in soup.find_all("img")]
    emphasis = [  # markdown-it strikes through with <s>, we with <del>
        (tag.name.replace("del", "s"), words(tag.get_text())) for tag in soup.find_all(["em", "strong", "del", "s"])
    ]
    breaks = len(soup.find_all("br"))
    spans = [code.get_text() for code in soup.find_all("code") if code.find_parent("pre") is None]
    prose = [text for text in soup.find_all(string=True) if not text.find_parent(["code", "pre", "math"])]
    backslashes = sum(text.count("\\") for text in prose)  # an escape shows none
    return {
        "lists": lists,
        "tables": tables,
        "code": code,
        "headings": headings,
        "links": links,
        "images": images,
        "emphasis": emphasis,
        "breaks": breaks,
        "code spans": spans,
        "backslashes": backslashes,
    }


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md"))}
    return build_site(tmp_path_factory.mktemp("commonmark"), files)


def ours(site, name: str) -> BeautifulSoup:
    [post] = [post for post in site.contents() if Path(post.source_path).name == name]
    return BeautifulSoup(post.content, "html.parser")


def test_every_post_of_the_corpus_has_the_structure_commonmark_gives_it(corpus_site):
    names = sorted(path.name for path in CORPUS.glob("*.md"))
    assert len(names) >= 20
    differing = {}
    for name in names:
        expected = structure(commonmark((CORPUS / name).read_text(encoding="utf-8")))
        got = structure(ours(corpus_site, name))
        different = {part: (got[part], expected[part]) for part in expected if got[part] != expected[part]}
        if different:
            differing[name] = different
    matched = 1 - len(differing) / len(names)
    assert not differing, f"{matched:.0%} of posts match; differing: {differing}"


def test_a_list_right_after_a_paragraph_line_is_a_list(tmp_path):
    site = build_site(
        tmp_path,
        {
            "steps.md": """\
                ---
                title: Steps
                date: 2024-01-01
                ---
                My requirements were simple:
                - low power
                - quiet

                And numbered:
                1. first
                2. second

                A year in a sentence
                2019. stays prose.
                """
        },
    )
    page = site.html("steps/").select_one(".content")
    assert [" ".join(li.get_text().split()) for li in page.select("ul > li")] == ["low power", "quiet"]
    assert [" ".join(li.get_text().split()) for li in page.select("ol > li")] == ["first", "second"]
    assert "2019. stays prose." in " ".join(page.get_text().split())
    assert not any("- low" in p.get_text() for p in page.find_all("p"))


def test_two_space_nesting_nests_and_four_space_nesting_still_does(tmp_path):
    site = build_site(
        tmp_path,
        {
            "nest.md": """\
                ---
                title: Nesting
                date: 2024-01-01
                ---
                - two
                  - two-a
                    - two-a-i
                - four
                    - four-a
                1. ordered
                   - three spaces under 1.
                """
        },
    )
    page = site.html("nesting/").select_one(".content")
    deepest = page.find("li", string="two-a-i")
    assert deepest is not None, page
    assert len(deepest.find_parents("ul")) == 3
    assert len(page.find("li", string="four-a").find_parents("ul")) == 2
    assert page.find("li", string=re.compile("^three spaces")).find_parent("ol") is not None


def test_fences_inside_list_items_and_boxes_are_highlighted_code(tmp_path):
    site = build_site(
        tmp_path,
        {
            "fences.md": """\
                ---
                title: Fences
                date: 2024-01-01
                ---
                1. Install:
                   ```sh
                   pip install x
                   ```
                2. Run it

                !!! warning "Careful"
                    Before you run it:

                    ```python
                    import os
                    ```

                > [!TIP]
                > Or in a GitHub alert:
                > ```js
                > run()
                > ```
                """
        },
    )
    page = site.html("fences/").select_one(".content")
    first = page.select("ol > li")[0]
    assert first.select_one("div.highlight pre").get_text().strip() == "pip install x"
    assert len(page.select("ol > li")) == 2
    warning, tip = page.select("div.admonition")
    assert "warning" in warning["class"] and warning.select_one(".admonition-title").get_text() == "Careful"
    assert warning.select_one("div.highlight .kn").get_text() == "import"  # Pygments classes
    assert "tip" in tip["class"] and tip.select_one(".admonition-title").get_text() == "Tip"
    assert tip.select_one("pre").get_text().strip() == "run()"
    assert not page.find("blockquote")


def test_task_lists_strike_bare_links_and_details(tmp_path):
    site = build_site(
        tmp_path,
        {
            "habits.md": """\
                ---
                title: Habits
                date: 2024-01-01
                ---
                - [x] done thing
                - [ ] open thing

                It took ~~two~~ three days, ~5 minutes each. See https://example.org/a_b?x=1 for more.

                <details>
                <summary>The long version</summary>

                - hidden **point**

                </details>
                """
        },
    )
    page = site.html("habits/").select_one(".content")
    boxes = page.select("li.task-list-item input[type=checkbox]")
    assert [box.has_attr("checked") for box in boxes] == [True, False]
    assert all(box.has_attr("disabled") and box["aria-label"] for box in boxes)
    assert page.find("del").get_text() == "two"
    assert "~5 minutes" in page.get_text()
    assert page.find("a", href="https://example.org/a_b?x=1") is not None
    details = page.find("details")
    assert details.find("summary").get_text() == "The long version"
    assert details.select_one("ul > li strong").get_text() == "point"


def test_mermaid_fences_stay_escaped_diagram_source_and_load_nothing_by_default(tmp_path):
    diagram = "graph TD\n    A[<b>Client</b>] -->|HTTPS| B"
    body = f"---\ntitle: Diagram\ndate: 2024-01-01\n---\n\n```mermaid\n{diagram}\n```\n"
    site = build_site(tmp_path, {"diagram.md": body})
    page = site.html("diagram/")
    block = page.select_one(".content pre.mermaid")
    assert block.get_text() == diagram
    assert block.find("b") is None  # the author's HTML is shown, not run
    assert not page.find_all("script", src=True)
    assert "mermaid" not in " ".join(script.get_text() for script in page.find_all("script"))


def test_journal_mermaid_loads_the_renderer_only_on_pages_with_a_diagram(tmp_path):
    files = {
        "diagram.md": "---\ntitle: Diagram\ndate: 2024-01-01\n---\n\n```mermaid\ngraph TD\n  A --> B\n```\n",
        "prose.md": "---\ntitle: Prose\ndate: 2024-01-02\n---\n\nNo diagram here.\n",
    }
    site = build_site(tmp_path, files, JOURNAL_MERMAID="/theme/js/mermaid.esm.min.mjs")
    [script] = site.html("diagram/").find_all("script", type="module")
    assert 'from "/theme/js/mermaid.esm.min.mjs"' in script.get_text()
    assert not site.html("prose/").find_all("script", type="module")
    assert not site.html("").find_all("script", type="module")
    cdn = build_site(tmp_path / "cdn", files, JOURNAL_MERMAID=True)
    assert "cdn.jsdelivr.net/npm/mermaid@11" in cdn.html("diagram/").find("script", type="module").get_text()


def test_a_backslash_ending_a_line_is_a_hard_break_outside_code_and_math(tmp_path):
    body = r"""---
title: Breaks
date: 2024-01-01
---
Jane Doe\
42 Main Street<two spaces>
Springfield

Not a break: \\
an escaped backslash, and `a code\
span`.

- an item\
  broken in two

$$
\begin{pmatrix} a & b \\
c & d \end{pmatrix}
$$

Inline $\begin{matrix} x \\
y \end{matrix}$ and \[ \begin{matrix} u \\
v \end{matrix} \] stay TeX.

    indented\
    code

```
fenced\
code
```
"""
    body = body.replace("<two spaces>", "  ")
    site = build_site(tmp_path, {"breaks.md": body})
    page = site.html("breaks/").select_one(".content")
    expected = commonmark(body)
    address = page.find_all("p")[0]
    assert [" ".join(line.split()) for line in address.strings] == ["Jane Doe", "42 Main Street", "Springfield"]
    assert len(address.find_all("br")) == len(expected.find_all("p")[0].find_all("br")) == 2
    escaped = page.find("code").find_parent("p")
    assert escaped.find("br") is None and "\\ an escaped" in " ".join(escaped.get_text().split())
    assert page.find("code").get_text() == "a code\\\nspan"
    assert [" ".join(line.split()) for line in page.select_one("ul > li").strings] == ["an item", "broken in two"]
    matrices = page.find_all("math")
    assert [len(math.find_all("mtr")) for math in matrices] == [2, 2, 2]
    assert not any(math.find_parent("p") and math.find_parent("p").find("br") for math in matrices)
    assert [pre.get_text().split("\n")[0] for pre in page.find_all("pre")] == ["indented\\", "fenced\\"]
