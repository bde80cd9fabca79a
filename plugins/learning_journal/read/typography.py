"""Typogrify on prose only: curly quotes, dashes, ellipses, widows, in the body of a post.

Pelican's own TYPOGRIFY would also rewrite titles and summaries (which must stay plain text
for <title>, meta tags and feeds), so it stays off and the reader calls `typographic` once
per post, after Markdown.
"""

import functools
import logging
import re

import smartypants
from typogrify.filters import applyfilters, initial_quotes, process_ignores, widont

logger = logging.getLogger(__name__)

# Never touched: code, keyboard input, scripts, styles, formulas, and math shown as code.
IGNORED_TAGS = ["pre", "code", "kbd", "samp", "tt", "script", "style", "math", "textarea", "svg"]
# Elements a word goes on from with no space: `dict`'s, [Pelican](...)'s, *word*'s, $n$'s.
INLINE_END = r"</(?:a|abbr|b|bdi|cite|code|del|dfn|em|i|ins|kbd|mark|math|q|s|samp|small|span|strong|sub|sup|tt|u|var)>"
# A quote right after one, where the element ends in a visible character: it closes (or is an
# apostrophe). smartypants curls each text between two tags alone, and with nothing before it
# would open it. A double quote followed by a letter may open a new quotation: left alone.
QUOTE_AFTER_INLINE = re.compile(rf"(?<=\S)(?P<tags>(?:{INLINE_END})+)(?P<quote>'|\"(?!\w))")
ENDS_INLINE = re.compile(rf"\S(?:{INLINE_END})+\Z")
CLOSING = {"'": "&#8217;", '"': "&#8221;"}
# Python-Markdown writes a newline after <br>: typogrify's widont would take it for the space
# before a paragraph's last word (it reads `<br>` as `<b>`) and start the line with &nbsp;.
BREAK_NEWLINE = re.compile(r"(<br\s*/?>)\n")
DASHES = {
    "default": smartypants.Attr.set1,
    "oldschool": smartypants.Attr.set2,
    "oldschool_inverted": smartypants.Attr.set3,
}


def only_when_present(convert, characters: str):
    """A smartypants step that returns at once a text holding none of `characters`.

    smartypants runs each step on every text node between two tags; curling quotes alone is
    about fifteen regular expressions, each needing a quote character. Most nodes hold none
    and come out unchanged: skipping them gives the same output in 60% of the time.
    """
    if getattr(convert, "skips_texts_without", None) is not None:
        return convert

    @functools.wraps(convert)
    def convert_if_present(text):
        return convert(text) if any(character in text for character in characters) else text

    convert_if_present.skips_texts_without = characters
    return convert_if_present


smartypants.convert_quotes = only_when_present(smartypants.convert_quotes, "'\"")
smartypants.process_escapes = only_when_present(smartypants.process_escapes, "\\")


def take_over_typogrify(pelican) -> None:
    """initialized: a TYPOGRIFY=True from pelicanconf becomes ours, so titles stay plain."""
    settings = pelican.settings
    if settings.get("TYPOGRIFY"):
        settings["TYPOGRIFY"] = False
        settings.setdefault("JOURNAL_TYPOGRIFY", True)
        logger.debug(
            "TYPOGRIFY=True is applied by learning_journal to post bodies only "
            "(JOURNAL_TYPOGRIFY=%s); titles and summaries stay plain text",
            settings["JOURNAL_TYPOGRIFY"],
        )


def typogrify(html: str, ignored: list, **filters) -> str:
    """typogrify.filters.typogrify with its pieces joined once: its `+=` copies the whole
    post again for every piece, which grows with the square of a long post's size. A piece
    after the first goes on from an ignored element (code, math...): a quote it starts with
    is not a paragraph's first character, which initial_quotes would mark."""
    curling = filters.get("smartypants", True)
    marking = filters.pop("initial_quotes", True)
    out, before = [], ""
    for text, polish in process_ignores(html, ignored):
        if polish:
            text = BREAK_NEWLINE.sub(r"\1", text) if "<br" in text else text
            text = applyfilters(closing_quotes(text, before) if curling else text, initial_quotes=False, **filters)
            if marking:  # "\0" stands for the ignored element before: no start of string
                text = initial_quotes("\0" + text)[1:] if out else initial_quotes(text)
        out.append(text)
        before = text
    return "".join(out)


def closing_quotes(text: str, before: str) -> str:
    """Quotes right after an inline element written as closing ones, including at the start of
    a piece whose previous piece (code, kbd, math) smartypants never sees."""
    if "'" not in text and '"' not in text:
        return text
    text = QUOTE_AFTER_INLINE.sub(lambda found: found["tags"] + CLOSING[found["quote"]], text)
    quote = text[:1]
    if quote in CLOSING and not (quote == '"' and text[1:2].isalnum()) and ENDS_INLINE.search(before[-80:]):
        text = CLOSING[quote] + text[1:]
    return text


def typographic(html: str, settings) -> str:
    """The post body with typography applied to its prose, unless JOURNAL_TYPOGRIFY is off."""
    if not html or not settings.get("JOURNAL_TYPOGRIFY", True):
        return html
    ignored = IGNORED_TAGS + list(settings.get("TYPOGRIFY_IGNORE_TAGS") or [])
    omitted = dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS") or [], False)
    # smartypants keeps its dash style in a module attribute; set it for every call.
    smartypants.Attr.default = DASHES.get(settings.get("TYPOGRIFY_DASHES", "default"), DASHES["default"])
    polished = typogrify(html, ignored, **{**omitted, "widont": False})
    # typogrify works piece by piece between ignored tags and would glue the last word before
    # every code span or formula; widont on the whole post only sees real ends of paragraphs.
    return polished if "widont" in omitted else widont(polished)
