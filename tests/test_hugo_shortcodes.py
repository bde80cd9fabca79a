"""Posts from Hugo as their authors write them: highlight with options, toc, callouts holding
fenced code, curly-quoted arguments, and a theme's own shortcode mapped by a template."""

import re

from sitebuild import build_site

HUGO = """---
title: Shortcodes as written
date: 2024-05-01
---
## Setup

{{< toc >}}

{{< highlight html "linenos=table,linenostart=1,hl_lines=2 4" >}}
<ul>
  <li>one</li>
  <li>two</li>
  <li>three</li>
</ul>
{{< /highlight >}}

{{< callout type=“warning” title=“Mind the quotes” >}}
Before you run it:

```bash
echo "{{ not a template }}"
```
{{< /callout >}}

{{< notice tip >}}
A *notice* with code:
~~~python
print("hi")
~~~
{{< /notice >}}

{{< alert "danger" >}}An alert.{{< /alert >}}

{{< admonition note "A titled note" >}}
Text.
{{< /admonition >}}

{{% warning %}}
**Markdown** inside.
{{% /warning %}}

## Mapped by the theme

{{< quiz question="What is 2 + 2?" answer=4 >}}
Think *first*.
{{< /quiz >}}

{{< badge “new” >}}

## The end
"""

QUIZ = """<section class="quiz" aria-label="{{ params.question }}">
<p class="q">{{ params.question }}</p>{{ inner }}<p class="a">{{ params.answer }}</p>
</section>
"""
BADGE = '<span class="badge">{{ args[0] }}</span>\n'


def build(tmp_path):
    overrides = tmp_path / "overrides"
    (overrides / "shortcodes").mkdir(parents=True)
    (overrides / "shortcodes" / "quiz.html").write_text(QUIZ, encoding="utf-8")
    (overrides / "shortcodes" / "badge.html").write_text(BADGE, encoding="utf-8")
    site = build_site(tmp_path, {"posts/shortcodes.md": HUGO}, THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    return site, site.html(site.article("Shortcodes as written").url).select_one(".content")


def words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def test_no_raw_template_code_outside_code(tmp_path):
    site, page = build(tmp_path)
    for text in page.find_all(string=True):
        if text.find_parent(["code", "pre"]) is None:
            assert not re.search(r"\{\{|\{%|\}\}|%\}", text), text
    assert not [m for m in site.messages() if "shortcodes.md" in m], site.messages()


def test_highlight_with_options_has_line_numbers_and_highlighted_lines(tmp_path):
    site, page = build(tmp_path)
    table = page.select_one("table.highlighttable")
    assert [int(n) for n in table.select_one("td.linenos").get_text().split()] == [1, 2, 3, 4, 5]
    code = table.select_one("td.code")
    assert [words(line.get_text()) for line in code.select(".hll")] == ["<li>one</li>", "<li>three</li>"]
    assert code.find(class_="nt") is not None  # highlighted as HTML


def test_toc_lists_the_posts_headings(tmp_path):
    site, page = build(tmp_path)
    toc = page.select_one(".toc")
    assert [a["href"] for a in toc.find_all("a")] == ["#setup", "#mapped-by-the-theme", "#the-end"]


def test_callouts_hold_fenced_code_as_code(tmp_path):
    site, page = build(tmp_path)
    callouts = page.select('div.callout[role="note"]')
    kinds = [next(c for c in callout["class"] if c.startswith("callout-")) for callout in callouts]
    assert kinds == ["callout-warning", "callout-tip", "callout-danger", "callout-note", "callout-warning"]
    titles = [words(callout.select_one(".callout-title").get_text()) for callout in callouts]
    assert titles == ["Mind the quotes", "Tip", "Danger", "A titled note", "Warning"]
    warning, notice, alert, _, markdown = callouts
    assert 'echo "{{ not a template }}"' in warning.find("pre").get_text()
    assert warning.find("pre").find_parent(class_="callout") is warning
    assert notice.find("em").get_text() == "notice" and 'print("hi")' in notice.find("pre").get_text()
    assert words(alert.select_one(".callout-body").get_text()) == "An alert."
    assert markdown.find("strong").get_text() == "Markdown"


def test_a_theme_shortcode_mapped_by_a_template(tmp_path):
    site, page = build(tmp_path)
    quiz = page.select_one("section.quiz")
    assert quiz["aria-label"] == "What is 2 + 2?"
    assert words(quiz.select_one(".q").get_text()) == "What is 2 + 2?"
    assert quiz.find("em").get_text() == "first" and quiz.select_one(".a").get_text() == "4"
    assert page.select_one("span.badge").get_text() == "new"
