"""Every HTML page the build writes is valid for the Nu Html Checker (vnu.jar, from npm).

One build holds every page type: the sample blog, the two shared seeds, a post whose title,
tags, series and description are hostile, a post with everything Markdown and math can
make (table of contents, tables, footnotes, highlighted code, formulas, a bad formula), and
the posts written as CommonMark authors write them (task lists, boxes, alerts, <details>, mermaid).
The checker runs once over all the pages (one JVM start). It needs Java and `npm ci`
(package.json pins vnu-jar); outside CI the test skips when either is missing.
"""

import json
import shutil
import subprocess

import pytest
from sitebuild import PROJECT, build_site, require
from test_math import COMMON_FORMULAS

VNU_JAR = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

HOSTILE_POST = """\
---
title: '<script>alert(1)</script> & "quotes" </title><!--'
date: 2024-05-01
tags: ['<b>x</b>', 'a&b', '"quoted"']
series: '<i>Series</i> & "co" </nav>'
description: '<b>bold</b> & </title>'
---
Text with <em>inline HTML</em> & an ampersand, "quotes" -- and... dashes.
"""

EVERYTHING_POST = r"""
---
title: Everything Markdown and math can make
date: 2024-05-02
toc: true
tags: [math, python]
---
## A table, footnotes and an abbreviation

| x | $x^2$ |
|---|------:|
| 2 | 4     |

A claim[^1] about HTML.

*[HTML]: HyperText Markup Language

[^1]: A footnote with `code` in it.

## Code

```python
def f(x: int) -> int:
    return x ** 2  # "square"
```

    indented code <b>not bold</b>

Inline `$x$` is code, $5 and $10 are money.

## Math

Inline $\alpha_i \le \sum\limits_{j} w_{ij}$ and display in a sentence $$\int_0^1 f(x)\,dx$$ too.

FORMULAS

\begin{align}
a &= b + c \\
d &= e
\end{align}

A bad formula $x^$ is shown as code.

### Heading with *emphasis* and `code`

Term
: Definition.
"""


# Posts with task lists, boxes, alerts, <details>, mermaid, nested fences (tests/test_commonmark.py).
HABITS = (
    "github-readme-style.md",
    "obsidian-callouts.md",
    "details-faq.md",
    "mermaid-architecture.md",
    "data-science-checklist.md",
    "edge-cases-from-real-posts.md",
    "loose-lists-with-code.md",
    "quotes-with-lists.md",
)


def checker_problem() -> str:
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt-get install -y default-jre-headless)")
    if not VNU_JAR.is_file():
        missing.append(f"{VNU_JAR.relative_to(PROJECT)} (npm ci)")
    return f"the HTML check needs {' and '.join(missing)}" if missing else ""


@pytest.fixture
def every_page(tmp_path, seeds):
    """The output folder of one build holding every page type and every kind of content."""
    require(checker_problem())
    content = tmp_path / "content"
    for seed in ("course-what-is-ml.md", "math-for-ml-intro.md"):
        (content / "seeds").mkdir(parents=True, exist_ok=True)
        shutil.copy(seeds / seed, content / "seeds" / seed)
    formulas = "\n\n".join(f"$${formula}$$" for formula in COMMON_FORMULAS)
    files = {"hostile.md": HOSTILE_POST, "everything.md": EVERYTHING_POST.replace("FORMULAS", formulas)}
    for name in HABITS:
        files[f"commonmark/{name}"] = (PROJECT / "tests" / "corpus" / "commonmark" / name).read_text(encoding="utf-8")
    return build_site(tmp_path, files=files, copy_from=PROJECT / "content")


def vnu_errors(pages) -> list[str]:
    """The checker's errors for `pages`, one line each: file:line: message (extract)."""
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", *map(str, pages)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(finished.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar did not answer in JSON (exit {finished.returncode}): {finished.stderr[-2000:]}")
    return [
        f"{m.get('url', '?').rsplit('/output/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']} "
        f"[{m.get('extract', '').strip()}]"
        for m in messages
    ]


def test_every_page_is_valid_html_for_the_nu_checker(every_page):
    pages = sorted(every_page.output.rglob("*.html"))
    kinds = {str(p.relative_to(every_page.output)).split("/")[0] for p in pages}
    # Every page type is there to be checked: posts, drafts, series, tags, archives, 404, home.
    assert {"index.html", "404.html", "archives", "series", "tags", "drafts", "about"} <= kinds
    assert every_page.exists("everything-markdown-and-math-can-make/")
    errors = vnu_errors(pages)
    print("\n".join(errors))
    assert errors == [], f"{len(errors)} HTML errors in {len(pages)} pages (printed above)"
