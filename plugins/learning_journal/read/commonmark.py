"""Markdown as authors of CommonMark engines (Hugo, Astro, Gatsby, GitHub) write it, read by
Python-Markdown with pymdown-extensions.

pymdown-extensions gives fences anywhere (superfences), task lists, bare links, `~~strike~~`,
`???` details; Python-Markdown gives `!!!` admonitions and tables. What neither does is here:
a backslash ending a line as a line break, escapes of any punctuation, headings underlined under
several lines, CommonMark's list blocks (a list may follow a paragraph line with no blank line;
nested items are indented to the parent's text, often 2 spaces, where Python-Markdown wants 4), GitHub's
`> [!NOTE]` alerts, raw `<details>` holding Markdown, labelled task checkboxes, and `mermaid`
fences kept as diagram source.
"""

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown.extensions import Extension
from markdown.inlinepatterns import SubstituteTagInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .mathml import CODE_SPAN

# Added to whatever MARKDOWN the site sets (Pelican's default is extra, codehilite and meta).
HABITS = (
    "pymdownx.extra",  # Python-Markdown's extra, with superfences for its fenced code
    "markdown.extensions.admonition",
    "markdown.extensions.sane_lists",  # a numbered list keeps its first number
    "pymdownx.tasklist",
    "pymdownx.magiclink",
    "pymdownx.tilde",
    "pymdownx.details",
    "pymdownx.saneheaders",  # `#hashtag` at the start of a line is text, not a heading
)
# superfences and fenced_code both claim ``` fences: pymdownx.extra is extra with superfences.
REPLACED = {"markdown.extensions.extra": "pymdownx.extra", "markdown.extensions.fenced_code": None}
CODEHILITE = "markdown.extensions.codehilite"

LIST_MARKER = re.compile(r"^(?P<indent> *)(?P<marker>[-+*]|(?P<number>\d{1,9})[.)])(?P<space> +|$)")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})")
# Lines that start a block of their own: after one, the next line is not a paragraph's.
BLOCK_START = re.compile(
    r"^ {0,3}(?:#{1,6}(?:\s|$)|>|`{3,}|~{3,}|(?:[-*_] *){3,}$|<!--|<\/?(?:address|article|aside|blockquote|details"
    r"|div|dl|figure|footer|form|h[1-6]|header|hr|main|nav|ol|p|pre|section|summary|table|ul|script|style)[\s/>])",
    re.IGNORECASE,
)
# Under a paragraph of several lines, CommonMark makes all of them the heading; Python-Markdown
# takes only one line (`=`) or reads a thematic break (`-`).
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
# Python-Markdown's own metadata (`Title: ...` lines), which may end with `---`.
META_LINE = re.compile(r"^[A-Za-z0-9_-]+:")
THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:\* *){3,}|(?:- *){3,}|(?:_ *){3,})$")
TABLE_DELIMITER = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
# An HTML block whose tag stands alone on its line: CommonMark reads Markdown after the blank
# line that ends it (md_in_html does with markdown="1"). <details> may hold a <summary> first.
HTML_OPEN = re.compile(
    r"^(?P<open> {0,3}<(?P<tag>details|div|section|aside|article|figure|center|header|footer|main|nav))"
    r"(?P<rest>(?:\s[^<>]*)?>(?:\s*<summary>.*</summary>)?)\s*$",
    re.IGNORECASE,
)
ALERT = re.compile(r"^\[!(?P<kind>[A-Za-z]+)\](?P<fold>[-+]?)[ \t]*(?P<title>.*)$")
ALERT_KINDS = {"note": "note", "tip": "tip", "important": "important", "warning": "warning", "caution": "caution"}
# CommonMark lets a backslash escape any ASCII punctuation (`Vec\<T\>`, `AT\&T`); Python-Markdown
# only some, and prints the backslash before the others. Quotes stay with smartypants, whose
# `\'` is a straight quote.
ESCAPABLE = "!#$%&()*+,-./:;<=>?@[\\]^_`{|}~"
# A link destination in angle brackets may hold spaces; Python-Markdown takes one only without.
SPACED_DESTINATION = re.compile(r"(?P<before>\]\(|^ {0,3}\[[^\]]+\]:[ \t]*)<(?P<url>[^<>\n]* [^<>\n]*)>")
# `line\` then a newline: a hard line break, as two trailing spaces are (CommonMark 6.7).
BACKSLASH_BREAK = r"\\\n"
TASK_BOX = re.compile(r'<input type="checkbox" disabled(?P<checked> checked)?/>')


@dataclass
class Item:
    """An open list item: the column its text starts at as written, and where Python-Markdown
    needs it (4 spaces deeper than the item's marker)."""

    written: int
    wanted: int
    kind: str  # the bullet, or the number's `.` or `)`: another kind starts another list
    saw_blank: bool = False  # a blank line came while it was open
    of: list | None = None  # its list: [first item's text, loose], shared by its siblings


def list_blocks(lines: list[str], tight: dict | None = None) -> list[str]:
    """CommonMark list structure spelled so that Python-Markdown reads the same: a blank line
    before a list, a table or a fence that interrupts a paragraph, `1)` written `1.`, and the
    lines of each list item moved to 4 spaces per level, and an empty comment between two lists
    that CommonMark keeps apart. Fenced code moves with its item and is otherwise untouched; a
    fence left open is closed at the end. Lines are added, never removed; only the lines of a
    heading underlined over several lines are joined (their place left blank). `tight` gets,
    for each list by its first item's text, whether it is tight in CommonMark (see Looseness)."""
    out: list[str] = []
    items: list[Item] = []
    fence = None  # (fence characters, spaces added to each of its lines, its indent)
    after_text = after_blank = after_item = False
    paragraph = None  # where the paragraph being read started in `out`, outside lists
    table = raw_html = False  # in a table's rows, in an HTML block (both end at a blank line)
    lists: list[list] = []  # [first item's text, loose] of every list, for `tight`
    blank_in_list = False  # a blank line came in an open list and nothing after it yet

    def blank(*separator: str) -> None:
        out.extend(("",) + separator + (("",) if separator else ()))
        for item in items:
            item.saw_blank = True

    for number, line in enumerate(lines):
        if fence is not None:
            closing = FENCE.match(line)
            out.append(" " * fence[1] + line if line.strip() else line)
            if closing and closing["fence"].startswith(fence[0]) and not line[closing.end() :].strip():
                fence = None
                if number + 1 < len(lines) and lines[number + 1].strip():
                    blank()  # what follows a fence is a block of its own
            continue
        if not line.strip():
            blank()
            after_text, after_blank, after_item, table, raw_html = False, True, False, False, False
            blank_in_list = blank_in_list or bool(items)
            continue
        indent = len(line) - len(line.lstrip(" "))
        marker = None if THEMATIC_BREAK.match(line) else LIST_MARKER.match(line)
        if marker and marker["space"] == "" and after_text:
            marker = None  # an empty item cannot interrupt a paragraph
        sibling = None
        if marker:
            while items and indent < items[-1].written:
                sibling = items.pop()
            base = items[-1] if items else Item(0, 0, "")
            if indent - base.written >= 4:
                marker = None  # indented code inside the item
        if marker:
            kind = marker["marker"][-1]
            shift = base.wanted + (0 if items else indent)
            if after_text and (marker["number"] is None or int(marker["number"]) == 1):
                blank()
            elif sibling is not None and sibling.kind != kind:
                # Another bullet or delimiter starts another list; Python-Markdown would go on
                # with the same one unless something stands between them.
                blank(" " * shift + "<!-- -->")
            elif sibling is not None and sibling.saw_blank and not after_blank:
                blank()  # else Python-Markdown reads the item into the block before it
            space = marker["space"]
            text_column = indent + len(marker["marker"]) + (len(space) if 0 < len(space) <= 4 else 1)
            written = f"{int(marker['number'])}." if marker["number"] else marker["marker"]  # 07) is 7.
            out.append(" " * shift + written + line[marker.end("marker") :])
            if sibling is not None and sibling.kind == kind:
                of = sibling.of
                of[1] = of[1] or blank_in_list  # items apart: the list is loose
            else:
                of = [line[marker.end() :].strip(), False]
                lists.append(of)
                if items and blank_in_list:
                    items[-1].of[1] = True  # a blank line, then a list in the item
            blank_in_list = False
            items.append(Item(text_column, shift + 4, kind, of=of))
            after_text, after_blank, after_item = False, False, bool(space)
            continue
        if items and indent < items[-1].written:
            if after_blank or not (after_text or after_item) or BLOCK_START.match(line):
                while items and indent < items[-1].written:
                    items.pop()
                if not items and not after_blank:
                    blank()  # a quote, heading or rule after the last item: the list ends
            else:  # a lazy continuation line of the item's paragraph
                out.append(line)
                continue
        if items and blank_in_list:
            items[-1].of[1] = True  # two blocks of the item with a blank line between
        blank_in_list = False
        if after_text and paragraph is not None and len(out) - paragraph > 1 and SETEXT_UNDERLINE.match(line):
            out[paragraph:] = setext_heading(out[paragraph:], line)
            after_text, paragraph = False, None
            continue
        column = items[-1].written if items else 0
        shift = items[-1].wanted - column if items else 0
        opening = FENCE.match(line)
        starts_fence = opening is not None and len(opening["indent"]) - column < 4
        starts_table = is_table_start(line, lines, number)
        if (after_text or after_item) and (starts_fence or starts_table):
            blank()
        if table and not starts_table and BLOCK_START.match(line[column:]):
            blank()  # a rule, heading or quote ends a table, as on GitHub
            table = False
        table = table or starts_table
        if table and "\\|" in line and "`" in line:
            # GitHub: `\|` in a cell is a pipe, in code too (Python-Markdown keeps code's pipes whole)
            line = CODE_SPAN.sub(lambda code: code[0].replace("\\|", "|"), line)
        if starts_fence:
            fence = (opening["fence"], max(shift, 0), opening["indent"])
        out.append(" " * shift + line if shift > 0 else line)
        block = BLOCK_START.match(line[column:])
        starts_text = fence is None and not block
        raw_html = raw_html or (block is not None and line[column:].lstrip().startswith("<"))
        if starts_table or raw_html:
            paragraph = None  # a table's rows, or HTML, make no heading
        elif starts_text and not after_text:
            at_top = not items and indent < 4
            paragraph = len(out) - 1 if at_top and not (out == [line] and META_LINE.match(line)) else None
        after_text = starts_text
        after_blank = after_item = False
    if fence is not None:  # a fence left open runs to the end, as in CommonMark
        out.append(" " * fence[1] + fence[2] + fence[0])
    for text, loose in lists if tight is not None else ():
        if text:  # a text two lists start with and read differently tells nothing
            tight[text] = not loose if tight.get(text, not loose) == (not loose) else None
    return out


def setext_heading(paragraph: list[str], underline: str) -> list[str]:
    """The paragraph as one ATX heading, closed so that a last `#` of its text stays (C#)."""
    hashes = "#" if underline.strip()[0] == "=" else "##"
    text = " ".join(line.strip() for line in paragraph)
    return [f"{hashes} {text} {hashes}"] + [""] * len(paragraph)


def is_table_start(line: str, lines: list[str], number: int) -> bool:
    following = lines[number + 1] if number + 1 < len(lines) else ""
    return "|" in line and bool(TABLE_DELIMITER.match(following)) and "|" in following


QUOTE = re.compile(r"^(?P<indent> {0,3})> ?")


def quote_blocks(lines: list[str], tight: dict | None = None) -> list[str]:
    """Block quotes read like the rest (a list may follow a paragraph in them too), and GitHub's
    or Obsidian's `> [!NOTE] Title` alerts written as the `!!! note "Title"` box they mean
    (`[!TIP]-`, folded, as `??? tip`). A quote ends at a blank line, as in CommonMark (Python-
    Markdown would join two quotes with only a blank line between them)."""
    out, fence, number = [], None, 0
    while number < len(lines):
        line = lines[number]
        opening = FENCE.match(line)
        if opening and len(opening["indent"]) < 4 and (fence is None or opening["fence"].startswith(fence)):
            fence = opening["fence"] if fence is None else None
        if fence is not None or not QUOTE.match(line):
            out.append(line)
            number += 1
            continue
        indent = QUOTE.match(line)["indent"]
        quoted = []
        while number < len(lines) and lines[number].strip():
            found = QUOTE.match(lines[number])
            quoted.append(lines[number][found.end() :] if found else lines[number])
            number += 1
        out += quote_lines(indent, quote_blocks(quoted, tight), tight)
        if number < len(lines) and out and QUOTE.match(out[-1]) and next_is_quote(lines, number):
            out.append(indent + "<!-- -->")  # keeps the next quote a quote of its own
    return out


def next_is_quote(lines: list[str], number: int) -> bool:
    while number < len(lines) and not lines[number].strip():
        number += 1
    return number < len(lines) and bool(QUOTE.match(lines[number]))


def quote_lines(indent: str, quoted: list[str], tight: dict | None = None) -> list[str]:
    alert = ALERT.match(quoted[0]) if quoted else None
    if alert is None:
        return [f"{indent}> {line}".rstrip() if line.strip() else f"{indent}>" for line in list_blocks(quoted, tight)]
    word = alert["kind"].lower()
    kind = ALERT_KINDS.get(word, re.sub(r"[^a-z0-9-]", "", word) or "note")
    fold = alert["fold"]
    opener = "!!!" if not fold else ("???+" if fold == "+" else "???")
    title = alert["title"].strip().replace('"', "'") or word.capitalize()
    body = list_blocks(quoted[1:], tight)
    return [f'{indent}{opener} {kind} "{title}"'] + [f"{indent}    {line}" if line.strip() else "" for line in body]


class ListBlocks(Preprocessor):
    def run(self, lines):
        self.md.journal_tight_lists = tight = {}
        return markdown_inside_html(list_blocks(quote_blocks(lines, tight), tight))


class Looseness(Treeprocessor):
    """A list is tight or loose as a whole in CommonMark: loose (each item's text a <p>) when
    a blank line parts its items or two blocks of an item. Python-Markdown decides item by
    item, and the blank lines list_blocks adds around a fence in an item would make it loose."""

    def run(self, root):
        tight = getattr(self.md, "journal_tight_lists", None)
        if not tight:
            return
        for found in [element for element in root.iter() if element.tag in ("ul", "ol")]:
            first = found[0] if len(found) and found[0].tag == "li" else None
            state = tight.get(first_line(first)) if first is not None else None
            for item in found if state is not None else ():
                if item.tag == "li":
                    (unwrap_paragraphs if state else wrap_paragraphs)(item)


def first_line(item) -> str:
    text = item.text if item.text and item.text.strip() else ""
    if not text and len(item) and item[0].tag == "p":
        text = item[0].text or ""
    return text.strip().split("\n", 1)[0].strip()


def joined(*parts) -> str | None:
    return "\n".join(part.strip() for part in parts if part and part.strip()) or None


def unwrap_paragraphs(item) -> None:
    """The item's paragraphs as text of the item, between its other blocks."""
    for index in reversed(range(len(item))):
        paragraph = item[index]
        if paragraph.tag != "p" or len(paragraph):
            continue
        if index == 0:
            item.text = joined(item.text, paragraph.text, paragraph.tail)
        else:
            item[index - 1].tail = joined(item[index - 1].tail, paragraph.text, paragraph.tail)
        item.remove(paragraph)


def wrap_paragraphs(item) -> None:
    """The item's loose text (before and between its blocks) as paragraphs."""
    for index in reversed(range(len(item))):
        child = item[index]
        if child.tail and child.tail.strip():
            paragraph = etree.Element("p")
            paragraph.text, child.tail = child.tail.strip("\n"), None
            item.insert(index + 1, paragraph)
    if item.text and item.text.strip():
        paragraph = etree.Element("p")
        paragraph.text, item.text = item.text.strip("\n"), None
        item.insert(0, paragraph)


def markdown_inside_html(lines: list[str]) -> list[str]:
    """Markdown inside an HTML block as CommonMark reads it (see HTML_OPEN), and spaces in a
    link's `<destination>` written %20. Fences are left alone."""
    out, fence = [], None
    for number, line in enumerate(lines):
        opening = FENCE.match(line)
        if opening and (fence is None or opening["fence"].startswith(fence)):
            fence = opening["fence"] if fence is None else None
        elif fence is None:
            if "<" in line and "]" in line:
                line = SPACED_DESTINATION.sub(lambda link: f"{link['before']}<{link['url'].replace(' ', '%20')}>", line)
            found = HTML_OPEN.match(line)
            following = lines[number + 1] if number + 1 < len(lines) else ""
            if (
                found
                and "markdown=" not in found["rest"]
                and (found["tag"].lower() == "details" or not following.strip())
                and closes(lines, number, found["tag"])
            ):
                line = f'{found["open"]} markdown="1"{found["rest"]}'
        out.append(line)
    return out


def closes(lines: list[str], number: int, tag: str) -> bool:
    """md_in_html needs the closing tag at the start of a line of its own."""
    closing = re.compile(rf"^ {{0,3}}</{tag}>\s*$", re.IGNORECASE)
    return any(closing.match(line) for line in lines[number + 1 :])


class LabelledTaskBoxes(Postprocessor):
    """A task's checkbox is shown, not used: it is disabled and says its state in words."""

    def run(self, text):
        if 'type="checkbox"' not in text:
            return text
        return TASK_BOX.sub(
            lambda found: (
                '<input type="checkbox" disabled checked aria-label="done">'
                if found["checked"]
                else '<input type="checkbox" disabled aria-label="not done">'
            ),
            text,
        )


def mermaid_source(source, language, css_class, options, md, **kwargs):
    """A `mermaid` fence: its source, escaped and readable, for a diagram renderer to draw."""
    return f'<pre class="mermaid">{html.escape(source.rstrip(), quote=False)}</pre>'


class CommonMarkHabits(Extension):
    def extendMarkdown(self, md):
        md.registerExtension(self)
        # After whitespace is normalised (30), before fences and HTML blocks are taken out (25, 20).
        md.preprocessors.register(ListBlocks(md), "journal_list_blocks", 28)
        md.treeprocessors.register(Looseness(md), "journal_looseness", 25)  # before inline (20)
        md.postprocessors.register(LabelledTaskBoxes(md), "journal_task_boxes", 5)
        # After code spans (190), math (185) and escapes (180): code and TeX keep their
        # backslashes, and an escaped `\\` ending a line stays a backslash. Beside Python-
        # Markdown's own two-space break (100).
        md.inlinePatterns.register(SubstituteTagInlineProcessor(BACKSLASH_BREAK, "br"), "journal_backslash_break", 99)
        md.ESCAPED_CHARS.extend(char for char in ESCAPABLE if char not in md.ESCAPED_CHARS)


def markdown_options(configured: dict) -> dict:
    """Python-Markdown's keyword arguments: the site's MARKDOWN with the habits above added
    (the site's own extension settings win)."""
    options = dict(configured)
    configs = {name: dict(config or {}) for name, config in configured.get("extension_configs", {}).items()}
    names = list(configured.get("extensions", [])) + [
        name for name in configs if name not in configured.get("extensions", [])
    ]
    extensions = []
    for name in names:
        name = REPLACED.get(name, name) if isinstance(name, str) else name
        if name is not None and name not in extensions:
            extensions.append(name)
    extra = {**configs.pop("markdown.extensions.extra", {}), **configs.get("pymdownx.extra", {})}
    configs.pop("markdown.extensions.fenced_code", None)
    extensions += [name for name in HABITS if name not in extensions]
    if CODEHILITE in extensions:
        configs[CODEHILITE] = {"css_class": "highlight", "guess_lang": False, **configs.get(CODEHILITE, {})}
    configs["pymdownx.tilde"] = {"subscript": False, **configs.get("pymdownx.tilde", {})}  # "~5 min ~ 10"
    configs["pymdownx.magiclink"] = {"hide_protocol": False, **configs.get("pymdownx.magiclink", {})}
    fences = {**extra.get("pymdownx.superfences", {})}
    fences.setdefault("custom_fences", [{"name": "mermaid", "class": "mermaid", "format": mermaid_source}])
    configs["pymdownx.extra"] = {**extra, "pymdownx.superfences": fences}
    extensions.append(CommonMarkHabits())
    options["extensions"] = extensions
    options["extension_configs"] = configs
    return options
