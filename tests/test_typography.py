"""Typogrify polishes prose only: never code, math or keyboard input, never titles."""

from hypothesis import given, settings
from hypothesis import strategies as st
from sitebuild import build_site

TITLE = 'Don\'t "panic" -- NASA & the AT&T guide...'
POST = f"""
---
title: '{TITLE.replace("'", "''")}'
date: 2024-01-01
description: A "quoted" NASA summary
---
She said "hello" -- and NASA's rocket left... at last.

Code `print("hi") -- NASA` and <kbd>"Ctrl" -- C</kbd> and math $a - b$.

```python
print("quoted -- NASA")
```
"""


def build(tmp_path, **settings):
    return build_site(tmp_path, files={"quotes.md": POST}, **settings)


def test_prose_gets_curly_quotes_and_dashes(tmp_path):
    page = build(tmp_path).html("dont-panic-nasa-the-att-guide/")
    prose = next(p for p in page.select(".content p") if "hello" in p.get_text())
    text = prose.get_text()
    assert "\u201chello\u201d" in text
    assert "\u2014" in text or "\u2013" in text
    assert "NASA\u2019s" in text
    assert "\u2026" in text
    assert prose.select_one("span.caps") is not None


def test_code_kbd_and_math_keep_their_characters(tmp_path):
    page = build(tmp_path).html("dont-panic-nasa-the-att-guide/")
    assert page.select_one("p code").get_text() == 'print("hi") -- NASA'
    assert page.find("kbd").get_text() == '"Ctrl" -- C'
    assert 'print("quoted -- NASA")' in page.select_one("div.highlight pre").get_text()
    assert not page.select("code span.caps, pre span.caps, kbd span.caps, math span")
    assert page.find("math").find("mo").get_text() == "\u2212"  # latex2mathml's minus, untouched


def test_titles_and_summaries_stay_plain_text(tmp_path):
    site = build(tmp_path)
    post = site.article("panic")
    assert post.title == TITLE
    assert "span" not in post.summary and "\u201c" not in post.summary
    page = site.html("dont-panic-nasa-the-att-guide/")
    assert TITLE in page.title.get_text()
    heading = page.find("h1")
    assert heading.get_text().strip() == TITLE
    assert heading.find("span") is None
    assert "caps" not in site.text("dont-panic-nasa-the-att-guide/").split("<body")[0]
    assert page.find("meta", property="og:title")["content"] == TITLE
    assert page.find("meta", attrs={"name": "description"})["content"] == 'A "quoted" NASA summary'


def test_typography_can_be_turned_off(tmp_path):
    page = build(tmp_path, JOURNAL_TYPOGRIFY=False).html("dont-panic-nasa-the-att-guide/")
    prose = next(p for p in page.select(".content p") if "hello" in p.get_text())
    assert '"hello" --' in prose.get_text()
    assert prose.find("span") is None


def test_pelican_typogrify_setting_is_applied_to_bodies_only(tmp_path):
    site = build(tmp_path, TYPOGRIFY=True)
    assert site.settings["TYPOGRIFY"] is False
    assert site.settings["JOURNAL_TYPOGRIFY"] is True
    post = site.article("panic")
    assert post.title == TITLE
    page = site.html("dont-panic-nasa-the-att-guide/")
    assert TITLE in page.title.get_text()
    prose = next(p for p in page.select(".content p") if "hello" in p.get_text())
    assert "\u201chello\u201d" in prose.get_text()


APOSTROPHES = """---
title: Apostrophes
date: 2024-01-01
---
A `dict`'s keys, [Pelican](https://getpelican.com)'s docs, *word*'s plural, **bold**'ll do,
`x`s' values, <kbd>Ctrl</kbd>'s job and $n$'s value.

The dogs' `bowl`' rims; "`--force`" and '`-f`' quoted; `a` 'quoted' ('b') "c".

'Start' of a paragraph, and "`x`"
"""


def test_a_quote_right_after_code_a_link_or_emphasis_closes(tmp_path):
    page = build_site(tmp_path, files={"apostrophes.md": APOSTROPHES}).html("apostrophes/")
    first, second, third = (" ".join(p.get_text().split()) for p in page.select(".content p"))
    apostrophes = ("dict\u2019s", "Pelican\u2019s", "word\u2019s", "bold\u2019ll", "xs\u2019", "Ctrl\u2019s")
    for word in apostrophes + ("\u2019s value",):
        assert word in first, (word, first)
    assert "\u2018" not in first
    assert second == (
        "The dogs\u2019 bowl\u2019 rims; \u201c--force\u201d and \u2018-f\u2019 quoted;"
        " a \u2018quoted\u2019 (\u2018b\u2019) \u201cc\u201d."
    )
    assert third == "\u2018Start\u2019 of a paragraph, and \u201cx\u201d"
    # A paragraph's first quote may be marked for hanging punctuation; one after code is not.
    paragraphs = page.select(".content p")
    assert [len(p.select("span.quo, span.dquo")) for p in paragraphs[:3]] == [0, 0, 1]
    assert paragraphs[2].select_one("span.quo").get_text() == "\u2018"


def test_the_line_after_a_break_does_not_start_with_a_space(tmp_path):
    body = "---\ntitle: Letter\ndate: 2024-01-01\n---\nBest,  \nAlice\n\nYours,\\\nBob\n"
    page = build_site(tmp_path, files={"letter.md": body}).html("letter/")
    for paragraph in page.select(".content p"):
        assert paragraph.find("br") is not None
        assert not paragraph.find("br").next_sibling.startswith(("\xa0", " "))


# Prose-like text: words, spaces, every quote and escape smartypants knows, dashes, entities.
PIECES = list("ab1 '\"\\`-.&;#x8\n") + ["&nbsp;", "&#8212;", "--", "'s", "'90s"]
PROSE = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=PROSE)
def test_skipping_quoteless_text_changes_nothing_smartypants_would_write(text):
    """typography.py skips smartypants steps on text without the characters they act on."""
    import smartypants

    for step in (smartypants.convert_quotes, smartypants.process_escapes):
        assert step(text) == step.__wrapped__(text)
    # And the whole of smartypants, tags included, as typogrify calls it.
    html = f"<p>{text}<em>{text[::-1]}</em>{text}</p>"
    skipping = smartypants.smartypants(html)
    steps = smartypants.convert_quotes, smartypants.process_escapes
    smartypants.convert_quotes, smartypants.process_escapes = (step.__wrapped__ for step in steps)
    try:
        assert skipping == smartypants.smartypants(html)
    finally:
        smartypants.convert_quotes, smartypants.process_escapes = steps
