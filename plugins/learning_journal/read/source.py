"""An author's source file as written: decoded text, body lines with their numbers, and the
template code of other engines (Hugo shortcodes, Liquid) that it still holds.

Both the reader and `journal check` build on this module, so a file is decoded, and template
code is recognised, one way only.
"""

import codecs
import re
from dataclasses import dataclass

from ..problems import Problem
from .front_matter import FrontMatterError, split_source
from .metadata import CONTROL_CHARACTERS

HUGO_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}")
# Not the `{%` inside a Hugo `{{% shortcode %}}`: that one is said once, as a shortcode.
LIQUID_TAG = re.compile(r"(?<!\{)\{%-?\s*\w+.*?-?%\}(?!\})")
LIQUID_ROOTS = r"site|page|post|include|layout|paginator|content|forloop|jekyll"
LIQUID_OUTPUT = re.compile(r"\{\{-?\s*(?:(?:" + LIQUID_ROOTS + r")\b|[A-Za-z_]\w*\.\w)[^{}]*\}\}")
# An attribute value that starts with `{{` or `{%`: Pelican takes it for its own `{filename}`.
TEMPLATE_IN_ATTRIBUTE = re.compile(r"""(=\s*["'])\{(?=[{%])""")


def quiet_template_links(html: str) -> str:
    """Template code left at the start of a link (reported as raw text, with its line) keeps
    its first brace as `&#123;`: the same link to a browser, and nothing Pelican warns about
    by the hundred without naming the file."""
    return TEMPLATE_IN_ATTRIBUTE.sub(r"\1&#123;", html) if "{" in html else html


def decode(raw: bytes, path: str) -> tuple[str, list[Problem]]:
    """Text from bytes: UTF-8 (a byte-order mark is dropped), UTF-16 with its mark, and
    legacy Windows-1252 files read with a warning rather than lost."""
    problems = []
    if raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = "the file starts with a byte-order mark; it was ignored"
        problems.append(Problem(path, 1, None, message, "note", code="byte-order-mark"))
    if b"\r\n" in raw or b"\r" in raw.replace(b"\r\n", b""):
        message = "the file has Windows (CRLF) line ends; read as usual"
        problems.append(Problem(path, None, None, message, "note", code="crlf-line-ends"))
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            problems.append(
                Problem(
                    path,
                    line,
                    None,
                    "the file is not UTF-8 (first bad byte on this line); read as Windows-1252, "
                    "save it as UTF-8 to be sure every character is right",
                    code="not-utf8",
                )
            )
    control = CONTROL_CHARACTERS.search(text)
    if control:
        # NUL, BEL, DEL, U+FFFE ...: no HTML page or XML feed may carry them.
        line = text[: control.start()].count("\n") + 1
        text = CONTROL_CHARACTERS.sub("", text)
        first = f"U+{ord(control.group()):04X}"
        message = f"the file holds control characters or noncharacters (first: {first}); they were removed"
        problems.append(Problem(path, line, None, message, code="control-characters"))
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


@dataclass
class SourceFile:
    """An author's file as written: its display path and body lines with their numbers."""

    path: str
    body_lines: list  # (line number, text)
    key_lines: dict

    def prose_lines(self) -> list:
        """Body lines outside fenced code blocks (``` or ~~~)."""
        lines, fence = [], None
        for number, text in self.body_lines:
            marker = re.match(r"\s*(`{3,}|~{3,})", text)
            if marker and (fence is None or marker.group(1).startswith(fence)):
                fence = None if fence else marker.group(1)
            elif fence is None:
                lines.append((number, text))
        return lines

    def line_of(self, *needles: str) -> int | None:
        """The first body line holding the first needle found (the most exact one first)."""
        for needle in filter(None, needles):
            for number, text in self.body_lines:
                if needle in text:
                    return number
        return None


def load_source(source_path: str, display: str) -> SourceFile:
    with open(source_path, "rb") as handle:
        text, _ = decode(handle.read(), display)
    try:
        source = split_source(text, display)
    except FrontMatterError:
        return SourceFile(display, list(enumerate(text.split("\n"), start=1)), {})
    lines = source.body.split("\n")
    return SourceFile(display, list(enumerate(lines, start=source.body_line)), source.key_lines)


def how_to_fix(pattern: re.Pattern, code: str) -> str:
    if pattern is HUGO_SHORTCODE:
        name = re.match(r"\{\{[<%]-?\s*/?\s*([\w-]*)", code).group(1).lower() or "NAME"
        return (
            f"map it once with a template THEME/templates/shortcodes/{name}.html, or write plain "
            "Markdown or HTML instead (or put it in a code block)"
        )
    return (
        "Liquid runs only on Jekyll posts: put the post under _posts/ or add liquid: true to its "
        "front matter, or write plain Markdown instead (or put it in a code block)"
    )


def raw_template_code(source: SourceFile, prose: str) -> list:
    """Hugo shortcodes and Liquid tags that Markdown left as text (code is skipped), each as
    (problem, the code as written)."""
    findings = []
    prose_lines, written_lines = source.prose_lines(), dict(source.body_lines)
    for pattern, engine in (
        (HUGO_SHORTCODE, "a Hugo shortcode"),
        (LIQUID_TAG, "a Liquid tag"),
        (LIQUID_OUTPUT, "a Liquid variable"),
    ):
        lines_left = {}  # head -> the prose lines holding it that no finding has taken yet
        for match in pattern.finditer(prose):
            code = match.group(0)
            head = re.match(r"\{[{%][<%]?-?\s*[\w.]*", code).group(0)
            # The n-th time it is written outside fenced code, or else its first line.
            if head not in lines_left:
                lines_left[head] = iter([n for n, text in prose_lines if head in text])
            line = next(lines_left[head], None) or source.line_of(head)
            # Quote the source as written, not as typography left it in the page.
            written = written_lines.get(line, "")
            code = next(pattern.finditer(written[written.find(head) :]), match).group(0)
            findings.append(
                (
                    Problem(
                        source.path,
                        line,
                        None,
                        f"{engine} shows as raw text: {code[:60]}; {how_to_fix(pattern, code)}",
                        "error",
                        code="unknown-shortcode" if pattern is HUGO_SHORTCODE else "raw-liquid",
                    ),
                    code,
                )
            )
    return findings
