"""TeX math to MathML at build time, as a Python-Markdown extension.

Pages need no JavaScript and feed readers get real formulas. Math is taken out of the text
before Markdown's escapes and emphasis can touch it (but after code spans, so `$x$` in code
stays code) and comes back through md.htmlStash, so typogrify and Markdown never see TeX.
"""

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from latex2mathml.converter import Converter
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

from ..problems import line_of

# Between code spans (190) and backslash escapes (180): `\(` and `\\` must reach us as written.
INLINE_PRIORITY = 185
# Before indented code, lists and headings, which would mangle the lines of a display block.
BLOCK_PRIORITY = 95

# `\$` is a dollar sign. `$...$` follows Pandoc's rule so that "$5 and $10" stays money:
# no space after the opening `$`, none before the closing one, and no digit right after it.
# \x02 and \x03 delimit Markdown's own placeholders (a code span): math never spans them.
INLINE_MATH = re.compile(
    r"(?P<escaped>\\\$)"
    r"|\$\$(?P<display>(?:\\.|[^\\$\x02\x03])+?)\$\$"
    r"|\\\[(?P<bracket>(?:\\[^\]]|[^\\\x02\x03])+?)\\\]"
    r"|\\\((?P<paren>(?:\\[^)]|[^\\\x02\x03])+?)\\\)"
    # Hugo (goldmark) turns `\(` into `(`, so posts written for it double the backslash.
    r"|\\\\\[(?P<bracket2>[^\x02\x03]+?)\\\\\]"
    r"|\\\\\((?P<paren2>[^\x02\x03]+?)\\\\\)"
    r"|\$(?!\s)(?P<inline>(?:\\.|[^\\$\x02\x03])+?)(?<!\s)\$(?!\d)",
    re.DOTALL,
)
# A block may also be a bare LaTeX environment, as MathJax reads it: \begin{align}...\end{align}.
DISPLAY_START = re.compile(
    r"^ {0,3}(?P<opener>\$\$|\\\[|\\\\\[|\\begin\{(?P<environment>(?:equation|align|gather|multline)\*?)\})"
)
CLOSERS = {"$$": "$$", "\\[": "\\]", "\\\\[": "\\\\]"}
# TeX that MathJax reads and latex2mathml does not, said in a way it knows: `aligned` is the
# layout of `split` (it would print the "&"), `\arg` an operator name; `\label` and MathJax's
# `\require` have nothing to show.
SPELLINGS = (
    (re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{split}"),
    (re.compile(r"\\arg(?![A-Za-z])"), r"\\operatorname{arg}"),
    (re.compile(r"\\(?:label|require)\{[^{}]*\}"), ""),
)
# `\operatorname*{arg\,max}_x`: latex2mathml reads neither the star (limits under the name, as
# \max has them) nor spacing inside the name (it drops it); the name is given with a thin space
# and the star is applied afterwards.
OPERATOR_NAME = re.compile(r"\\operatorname(?P<star>\*?)\s*\{(?P<name>[^{}]*)\}")
SPACE_IN_NAME = re.compile(r"\\[,:; ]|~")
# A `|` inside a formula in a table row (`| $P(A|B)$ |`) would end the cell: before the table is
# read, it is written as this private-use character, and turned back into `|` in the formula
# (and anywhere else it ends up, if what looked like a formula was not one).
HIDDEN_PIPE = "\ue0a6"
CODE_SPAN = re.compile(r"(`+).+?(?<!`)\1(?!`)")
# Inside a sentence, `\[...\]` is a formula only when it looks like one: exporters (Notion,
# Pandoc) write citations as `\[1\]` and `\[sic\]`.
TEX_SIGN = re.compile(r"[\\^_=+{}<>|]")
UNKNOWN_COMMAND = re.compile(r"^\\[A-Za-z]+$")
SAFE_HREF = re.compile(r"^(?:https?:|mailto:|[#/.]|[^:]*$)", re.IGNORECASE)
IN_ATTRIBUTE_VALUE = re.compile(r"<[A-Za-z][\w:.-]*\s[^<>]*=\s*(?:\"[^\"]*|'[^']*|[^\s\"'<>]*)$")
STASHED_ENTITY = re.compile(r"&amp;(#x[0-9A-Fa-f]+;)")
# MathML elements that need a fixed number of children; latex2mathml may leave them short, which
# HTML validators reject and browsers draw wrong. `\sum\limits x` (limits with no script after
# them) gives a script element holding only its base: the base alone is what TeX shows.
CHILDREN_NEEDED = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2, "msubsup": 3, "munderover": 3}
SCRIPTS = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
# TeX sets the limits of \lim, \max... under the name in display style and beside it in a line:
# MathML's under/over scripts with movablelimits do the same. latex2mathml writes msub.
LIMIT_NAMES = {"lim", "max", "min", "sup", "inf", "lim\u2006sup", "lim\u2006inf"}
UNDER_OVER = {"msub": "munder", "msup": "mover", "msubsup": "munderover"}
# Browsers stretch these to the height of the whole row unless told not to; TeX stretches only
# \left...\right and \big (which latex2mathml marks), never a bare `\lVert`.
FENCES = set("|\u2016()[]{}")
# U+2032 (and the double and triple primes) are drawn raised already: as a superscript, as
# latex2mathml writes f', they would fly above the letter. TeX's f' looks like f′.
PRIMES = {"\u2032", "\u2033", "\u2034"}
# \cos, \log, \tanh... come as one multi-letter <mi>; TeX puts a thin space between such a name
# and what it applies to (cos θ, log₂ n), but none before a bracket or an operator.
THIN_SPACE = "0.1667em"
SIZING = ("stretchy", "minsize", "maxsize")


class BadTex(ValueError):
    """TeX that latex2mathml cannot turn into MathML; the message says why."""


@dataclass(frozen=True)
class MathError:
    """One formula shown as code instead of math: as written (with delimiters), and why."""

    written: str
    reason: str


def located(errors: list[MathError], body: str, first_line: int):
    """(error, line in the source) for each bad formula; the same formula written twice is
    found twice, in order."""
    searched_from = {}
    for error in errors:
        index = body.find(error.written, searched_from.get(error.written, 0))
        if index == -1:
            yield error, line_of(body, error.written, first_line)
        else:
            searched_from[error.written] = index + 1
            yield error, first_line + body.count("\n", 0, index)


def readable(error: Exception) -> str:
    """latex2mathml's errors carry no message, only a name: MissingEndError -> 'missing end'."""
    if str(error):
        return str(error)
    name = type(error).__name__.removesuffix("Error")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower() or "unreadable TeX"


def spell_operator_names(tex: str) -> tuple[str, set]:
    """`\\operatorname*{arg\\,max}` as latex2mathml reads it, and the names that take limits."""
    with_limits = set()

    def spell(match: re.Match) -> str:
        name = SPACE_IN_NAME.sub("\u2009", match["name"]).replace("\\!", "").strip()
        if match["star"]:
            with_limits.add(name)
        return f"\\operatorname{{{name}}}"

    return OPERATOR_NAME.sub(spell, tex), with_limits


def to_mathml(tex: str, latex: Converter) -> str:
    """MathML for one formula, serialised with proper escaping; BadTex when it cannot be."""
    try:
        for spelling, known in SPELLINGS:
            tex = spelling.sub(known, tex)
        tex, with_limits = spell_operator_names(tex)
        math = latex.convert_to_element(tex.strip())
    except Exception as error:  # latex2mathml's errors share no base class
        raise BadTex(readable(error)) from None
    for element in math.iter():
        text = (element.text or "").strip()
        if element.tag in ("mi", "mo") and UNKNOWN_COMMAND.match(text):
            raise BadTex(f"unknown command {text}")
        href = element.get("href")
        if href is not None and not SAFE_HREF.match(href.strip()):
            del element.attrib["href"]
    complete_scripts(math)
    set_as_tex_does(math, LIMIT_NAMES | with_limits)
    # latex2mathml writes symbols as "&#x...;" text; ElementTree escapes the "&", undo only that.
    return STASHED_ENTITY.sub(r"&\1", etree.tostring(math, encoding="unicode"))


def complete_scripts(math: etree.Element) -> None:
    """A script element with nothing but its base becomes the base; any other element short of
    children is TeX missing an argument (`\\frac{a}`): BadTex."""
    for parent in list(math.iter()):
        for child in list(parent):
            if len(child) >= CHILDREN_NEEDED.get(child.tag, 0):
                continue
            if child.tag not in SCRIPTS or len(child) > 1:
                raise BadTex("a fraction, root or script is missing a part")
            position = list(parent).index(child)
            parent.remove(child)
            for base in child:
                parent.insert(position, base)


def set_as_tex_does(math: etree.Element, limit_names=LIMIT_NAMES) -> None:
    """Limits under \\lim and \\max in display math; bare fences at the size of the text; primes
    beside the letter."""
    for element in math.iter():
        # latex2mathml keeps symbols as "&#x...;" text until serialisation.
        if element.tag == "mo" and html.unescape(element.text or "").strip() in FENCES:
            if not any(element.get(name) for name in SIZING):
                element.set("stretchy", "false")
        base = element[0] if element.tag in UNDER_OVER and len(element) else None
        if base is not None and base.tag == "mo":
            if base.get("movablelimits") == "true" or html.unescape(base.text or "").strip() in limit_names:
                element.tag = UNDER_OVER[element.tag]
                base.set("movablelimits", "true")
        if element.tag == "msup" and len(element) == 2 and html.unescape(element[1].text or "") in PRIMES:
            element.tag = "mrow"
    for parent in list(math.iter()):
        if parent.tag in CHILDREN_NEEDED or parent.tag in ("mtable", "mtr"):
            continue  # children in fixed places: base and scripts, rows and cells
        children = list(parent)
        for child, following in reversed(list(zip(children, children[1:], strict=False))):
            if following.tag != "mo" and is_function_name(child):
                parent.insert(children.index(child) + 1, etree.Element("mspace", width=THIN_SPACE))


def is_function_name(element: etree.Element) -> bool:
    """`<mi>cos</mi>`, or a function name with scripts (`\\log_2`, `\\sin^2`)."""
    if element.tag in ("msub", "msup", "msubsup") and len(element):
        element = element[0]
    text = element.text or ""
    return element.tag == "mi" and len(text) > 1 and text.isalpha()


class MathConverter:
    """Turns formulas into stashed MathML, and remembers the ones that could not be read."""

    def __init__(self, md):
        self.md = md
        self.errors: list[MathError] = []
        # One converter per post, as MathJax has one per page: equation numbers run on, and a
        # \newcommand in one formula serves the next ones.
        self.block = Converter(display="block")
        self.inline = Converter(display="inline")
        self.inline.macros = self.block.macros

    def stash(self, tex: str, written: str, display: bool):
        """A placeholder for the MathML, or None (and an error) when the TeX is bad."""
        tex, written = tex.replace(HIDDEN_PIPE, "|"), written.replace(HIDDEN_PIPE, "|")
        converter = self.block if display else self.inline
        try:
            mathml = converted(tex, display, converter)
        except BadTex as error:
            self.errors.append(MathError(written, str(error)))
            return None
        return self.md.htmlStash.store(mathml)


# Formulas already converted in this process ((display, TeX) -> MathML): `$x$`, `$\theta$` or a
# post's loss function come back in post after post, and the conversion is most of the math's
# cost. Only formulas that neither see nor change a converter's state (macros from a
# \newcommand, equation numbers) are kept, so a kept one reads the same in any post.
CONVERTED: dict = {}
CONVERTED_AT_MOST = 4000


def converted(tex: str, display: bool, converter: Converter) -> str:
    if converter.macros:
        return to_mathml(tex, converter)
    key = (display, tex)
    mathml = CONVERTED.get(key)
    if mathml is None:
        number = converter.equation_counter
        mathml = to_mathml(tex, converter)
        if not converter.macros and converter.equation_counter == number and len(CONVERTED) < CONVERTED_AT_MOST:
            CONVERTED[key] = mathml
    return mathml


def inside_tag_or_link_target(data: str, start: int, end: int) -> bool:
    """`<a title="$x$">` or `[text](https://x.org/$a$)`: dollars in a URL or attribute are not math."""
    before, after = data[:start], data[end:]
    tag = before.rfind("<")
    if tag > before.rfind(">") and IN_ATTRIBUTE_VALUE.match(before, tag) and ">" in after:
        return True
    target = before.rfind("](")
    return target != -1 and ")" not in before[target:] and ")" in after


class InlineMath(InlineProcessor):
    """`$...$`, `\\(...\\)`, and `$$...$$` / `\\[...\\]` written inside a paragraph."""

    def __init__(self, converter: MathConverter):
        super().__init__(INLINE_MATH.pattern, converter.md)
        self.compiled_re = INLINE_MATH
        self.converter = converter

    def handleMatch(self, m, data):
        if inside_tag_or_link_target(data, m.start(0), m.end(0)):
            return None, None, None
        if m.group("escaped"):
            return "$", m.start(0), m.end(0)
        if m.group("bracket") is not None and not TEX_SIGN.search(m.group("bracket")):
            return None, None, None  # `\[1\]`: brackets escaped by an exporter, not a formula
        displays = (m["display"], m["bracket"], m["bracket2"])
        display = any(group is not None for group in displays)
        tex = next(group for group in (*displays, m["paren"], m["paren2"], m["inline"]) if group is not None)
        written = m.group(0)
        placeholder = self.converter.stash(tex, written, display)
        if placeholder is not None:
            return placeholder, m.start(0), m.end(0)
        code = etree.Element("code", {"class": "math-error"})
        code.text = AtomicString(written)
        return code, m.start(0), m.end(0)


class DisplayMathBlock(BlockProcessor):
    """A block that starts with `$$`, `\\[` or `\\begin{equation}` (align, gather...), taken
    whole so that no line in it becomes a list, a heading or indented code. Blank lines
    inside the formula are allowed."""

    def __init__(self, parser, converter: MathConverter):
        super().__init__(parser)
        self.converter = converter

    def test(self, parent, block):
        return bool(DISPLAY_START.match(block))

    def run(self, parent, blocks):
        start = DISPLAY_START.match(blocks[0])
        opener, environment = start["opener"], start["environment"]
        closer = f"\\end{{{environment}}}" if environment else CLOSERS[opener]
        text = blocks[0].lstrip()[len(opener) :]
        taken = 1
        end = text.find(closer)
        while end == -1 and taken < len(blocks):
            text += "\n\n" + blocks[taken]
            taken += 1
            end = text.find(closer)
        rest = text[end + len(closer) :] if end != -1 else ""
        # Text after the closer on the same line: a paragraph with math in it, not a block.
        if end == -1 or not text[:end].strip() or rest.split("\n", 1)[0].strip():
            return False
        del blocks[:taken]
        if rest.strip():
            blocks.insert(0, rest.lstrip("\n"))
        written = opener + text[:end] + closer
        tex = written if environment else text[:end]
        placeholder = self.converter.stash(tex, written, display=True)
        if placeholder is not None:
            etree.SubElement(parent, "p").text = placeholder
        else:
            # The wrapper keeps the class when codehilite turns the <pre> into highlighted TeX.
            box = etree.SubElement(parent, "div", {"class": "math-error"})
            pre = etree.SubElement(box, "pre")
            etree.SubElement(pre, "code", {"class": "language-latex"}).text = AtomicString(written)
        return None


class HidePipesInFormulas(Preprocessor):
    """`| $P(A|B)$ |`: the `|` of a formula is hidden from the table reader (see HIDDEN_PIPE).

    Runs after fenced code and HTML blocks are stashed; code spans and indented lines stay as
    written. In a paragraph the hidden pipe changes nothing: formulas get it back first."""

    def run(self, lines):
        return [self.hide(line) if "|" in line and ("$" in line or "\\" in line) else line for line in lines]

    @staticmethod
    def hide(line: str) -> str:
        if line.startswith(("    ", "\t")):
            return line
        pieces, start = [], 0
        for code in CODE_SPAN.finditer(line):
            pieces.append(HidePipesInFormulas.hide_in_text(line[start : code.start()]))
            pieces.append(code.group(0))
            start = code.end()
        pieces.append(HidePipesInFormulas.hide_in_text(line[start:]))
        return "".join(pieces)

    @staticmethod
    def hide_in_text(text: str) -> str:
        return INLINE_MATH.sub(lambda m: m.group(0).replace("|", HIDDEN_PIPE), text)


class ShowHiddenPipes(Postprocessor):
    """A hidden pipe that did not end up in a formula is a `|` again."""

    def run(self, text):
        return text.replace(HIDDEN_PIPE, "|")


class MathExtension(Extension):
    """Registers the block and inline math processors; `md.math_errors` lists bad formulas."""

    def extendMarkdown(self, md):
        md.registerExtension(self)
        self.md = md
        # After fenced code (25) and HTML blocks (20) are stashed; the last postprocessor.
        md.preprocessors.register(HidePipesInFormulas(md), "journal_math_pipes", 15)
        md.postprocessors.register(ShowHiddenPipes(md), "journal_math_pipes", 0)
        self.reset()

    def reset(self):
        converter = MathConverter(self.md)
        self.md.math_errors = converter.errors
        self.md.inlinePatterns.register(InlineMath(converter), "journal_math", INLINE_PRIORITY)
        self.md.parser.blockprocessors.register(
            DisplayMathBlock(self.md.parser, converter), "journal_display_math", BLOCK_PRIORITY
        )
