"""Hugo's built-in shortcodes (and Jekyll's `highlight` and `raw`), written out as the Markdown
or HTML they stand for, so a post brought from those engines reads as it did there. The rest
of Liquid is run by a Liquid engine on Jekyll posts (liquid_posts.py).

Runs on the Markdown body before Markdown does. Fenced and inline code are left as written
(authors show shortcodes there as examples), except Hugo's escaped form `{{</* x */>}}`,
which Hugo shows as `{{< x >}}` everywhere. What is not known here (a theme's own shortcode,
`{% include %}`) stays as written and the reader reports it with its line. Replacements keep
to the lines they replace, so problems found later still point at the right line.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from .shortcode_templates import one_line, render_shortcode, shortcode_template

FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).+?(?<!`)\1(?!`)")
# {{< name args >}}, {{% name args %}}, {{< /name >}}; `-` trims whitespace in Go templates.
SHORTCODE = re.compile(
    r"\{\{(?:<-?\s*(?P<close1>/)?\s*(?P<name1>[\w.-]{1,100})(?P<args1>(?:[^>\n]|>(?!\}\})){0,2000}?)\s*/?-?>"
    r"|%-?\s*(?P<close2>/)?\s*(?P<name2>[\w.-]{1,100})(?P<args2>(?:[^%\n]|%(?!\}\})){0,2000}?)\s*/?-?%)\}\}"
)
ESCAPED_SHORTCODE = re.compile(r"\{\{([<%])/\*(.{0,2000}?)\*/([>%])\}\}", re.DOTALL)
# Code spans are set aside while the rest of a text is written out, then put back as they were.
SET_ASIDE = re.compile("\ue0b0(\\d+)\n*\ue0b1")
HIGHLIGHT_OPEN = re.compile(
    r"(?:\{\{[<%]\s*highlight\s+(?P<hugo_args>[^\n{}]{0,300}?)\s*[>%]\}\}"
    r"|\{%-?\s*highlight\s+(?P<jekyll_args>[^\n{}%]{0,300}?)\s*-?%\})[ \t]*\n?"
)
# Hugo's options: "linenos=table,linenostart=1,hl_lines=13 28 37" (commas or spaces between).
HIGHLIGHT_OPTION = re.compile(r"(?P<key>\w+)\s*=\s*(?P<value>.*?)\s*(?=,|\s+\w+\s*=|$)")
NO_CONTENT = "\ue0b4"  # the content given to a shortcode template used without a closing tag
CURLY_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})
HIGHLIGHT_CLOSE = re.compile(r"\n?[ \t]*(?:\{\{[<%]\s*/highlight\s*[>%]\}\}|\{%-?\s*endhighlight\s*-?%\})")
RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
ARGUMENT = re.compile(r"""(?:(?P<key>[\w-]+)=)?(?P<value>"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)""")
VIDEO_ID = re.compile(r"^[\w-]{1,64}$")
NUMBER = re.compile(r"^\d{1,30}$")
IMAGE_PATH = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|svg)(?:[?#].*)?$", re.IGNORECASE)


@dataclass
class Post:
    """What writing out one post's template code needs, and the text it set aside."""

    front_matter: dict
    settings: dict | None = None
    render_markdown: Callable | None = None  # Markdown -> HTML, for a shortcode template's `inner`
    notes: list = field(default_factory=list)
    kept: list = field(default_factory=list)

    def aside(self, text: str) -> str:
        """A numbered marker holding the text's line breaks, so lines keep their numbers."""
        self.kept.append(text)
        return f"\ue0b0{len(self.kept) - 1}" + "\n" * text.count("\n") + "\ue0b1"

    def restore(self, text: str) -> str:
        while "\ue0b0" in text:
            text = SET_ASIDE.sub(lambda match: self.kept[int(match[1])], text)
        return text


def write_out_template_code(
    body: str, front_matter: dict, settings: dict | None = None, render_markdown: Callable | None = None
) -> tuple[str, list[tuple[int, str]]]:
    """The body with known shortcodes replaced (see the module's docstring), and (line in the
    body, from 0; message) for each one written out only by a guess."""
    if "{{" not in body and "{%" not in body:
        return body, []
    post = Post(front_matter, settings, render_markdown)
    pieces = []
    for text, is_code in code_and_prose(body):
        if is_code:
            pieces.append(post.aside(ESCAPED_SHORTCODE.sub(r"{{\1\2\3}}", text)))
        else:
            pieces.append(CODE_SPAN.sub(lambda match: post.aside(match.group(0)), text))
    text = "".join(pieces)
    def code_block(opening: re.Match, code: str) -> str:
        return post.aside(highlighted(opening, post.restore(code)))

    text = replace_pairs(text, HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE, code_block)
    text = replace_pairs(text, RAW_OPEN, RAW_CLOSE, lambda opening, inner: post.aside(literal(post.restore(inner))))
    text = RAW_CLOSE.sub("", RAW_OPEN.sub("", text))  # a tag left without its pair
    text = write_out_pairs(text, post)
    lines = text.splitlines(keepends=True)
    text = "".join(write_out_text(line, post, number) for number, line in enumerate(lines))
    return post.restore(text), post.notes


def code_and_prose(body: str):
    """(text, is code) pieces: fenced code blocks apart from the rest."""
    pieces, current, fence = [], [], None
    for line in body.splitlines(keepends=True):
        match = FENCE.match(line)
        opens = fence is None and match is not None
        closes = (
            fence is not None
            and match is not None
            and match["fence"].startswith(fence)
            and not line[match.end() :].strip()
        )
        if opens:
            pieces.append(("".join(current), False))
            current, fence = [line], match["fence"]
        elif closes:
            current.append(line)
            pieces.append(("".join(current), True))
            current, fence = [], None
        else:
            current.append(line)
    pieces.append(("".join(current), fence is not None))
    return [(text, is_code) for text, is_code in pieces if text]


def write_out_pairs(text: str, post: Post) -> str:
    """Paired shortcodes (`{{< note >}}...{{< /note >}}`), innermost first; their content may
    hold fenced code, which is set aside and so cannot split a pair."""
    while True:
        pair = innermost_pair(text)
        if pair is None:
            return text
        opening, closing = pair
        line = text.count("\n", 0, opening.start())
        at_line_start = opening.start() == 0 or text[opening.start() - 1] == "\n"
        inner, whole = text[opening.end() : closing.start()], text[opening.start() : closing.end()]
        written = write_pair(opening, inner, whole, post, line, at_line_start)
        text = text[: opening.start()] + written + text[closing.end() :]


def innermost_pair(text: str):
    open_ones = {}
    for match in SHORTCODE.finditer(text):
        name = (match["name1"] or match["name2"]).lower()
        if name in SHORTCODES or name == "highlight":
            continue
        if not (match["close1"] or match["close2"]):
            open_ones.setdefault(name, []).append(match)
        elif open_ones.get(name):
            return open_ones[name].pop(), match
    return None


def write_pair(opening: re.Match, inner: str, whole: str, post: Post, line: int, block: bool) -> str:
    name = opening["name1"] or opening["name2"]
    template = shortcode_template(post.settings, name) if post.settings is not None else None
    if template is not None:
        source = post.restore(inner)
        written, notes = write_out_template_code(source, post.front_matter, post.settings, post.render_markdown)
        post.notes += [(line + number, message) for number, message in notes]
        inner_html = post.render_markdown(written) if post.render_markdown else html.escape(written)
        if not block:
            inner_html = unwrapped_paragraph(inner_html)
        arguments = parse_arguments(opening["args1"] if opening["name1"] else opening["args2"])
        rendered = render_shortcode(template, name.lower(), arguments, inner_html, source, post.front_matter)
        return as_block(rendered, whole.count("\n")) if block else rendered + "\n" * whole.count("\n")
    css_class = re.sub(r"[^\w-]", "-", name.lower())
    post.notes.append(
        (
            line,
            f"the shortcode {{{{< {name} >}}}} is not one of Hugo's own; its content is shown in "
            f'<div class="{css_class}">: check the page, or map it once with a template '
            f"THEME/templates/shortcodes/{name.lower()}.html",
        )
    )
    return f'<div class="{css_class}" markdown="1">{inner}</div>'


def as_block(markup: str, newlines: int) -> str:
    """One line of HTML that Markdown takes as a block: a blank line before and after it,
    the line breaks it replaced kept in number."""
    if newlines == 0:
        return markup
    return "\n" + markup + "\n" * (newlines - 1)


def unwrapped_paragraph(markup: str) -> str:
    """Inside a sentence, a shortcode's one-paragraph content without its <p>."""
    stripped = markup.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        return stripped[3:-4]
    return markup


def write_out_text(line: str, post: Post, number: int) -> str:
    """One line of prose (its code set aside)."""
    front_matter, notes = post.front_matter, post.notes
    text = line
    text = ESCAPED_SHORTCODE.sub(lambda m: literal(f"{{{{{m[1]}{m[2]}{m[3]}}}}}"), text)
    alone = SHORTCODE.fullmatch(line.strip()) is not None

    def replace(match):
        name = (match["name1"] or match["name2"]).lower()
        closing = bool(match["close1"] or match["close2"])
        arguments = parse_arguments(match["args1"] if match["name1"] else match["args2"])
        written = SHORTCODES.get(name)
        result = written(arguments, closing, alone, front_matter) if written else None
        template = None if written or closing or post.settings is None else shortcode_template(post.settings, name)
        if template is not None:
            # A template that shows its content (a callout) used without its closing tag is
            # left as written, and reported: Hugo would stop on it.
            rendered = render_shortcode(template, name, arguments, NO_CONTENT, "", front_matter)
            if NO_CONTENT not in rendered:
                return rendered
        if result is None and written is None and IMAGE_PATH.search(str(arguments.get("src", ""))):
            # A theme's own image shortcode ({{< image src=... caption=... >}}): shown as figure does.
            result = figure(arguments, closing, alone, front_matter)
            notes.append(
                (
                    number,
                    f"the shortcode {{{{< {name} >}}}} is not one of Hugo's own; it is shown as an "
                    "image with its caption, as {{< figure >}} is: check the page",
                )
            )
        return match.group(0) if result is None else result

    return SHORTCODE.sub(replace, text)


def parse_arguments(text: str) -> dict:
    """Positional arguments under 0, 1, ...; named ones under their name. Quotes removed."""
    arguments, position = {}, 0
    for match in ARGUMENT.finditer((text or "").translate(CURLY_QUOTES)):
        value = match["value"]
        if value[:1] in '"`' and value[-1:] == value[:1] and len(value) > 1:
            value = value[1:-1].replace('\\"', '"')
        if match["key"]:
            arguments[match["key"].lower()] = value
        else:
            arguments[position] = value
            position += 1
    return arguments


def literal(text: str) -> str:
    """Text shown as written: braces as entities, so nothing reads it as template code."""
    return text.replace("{", "&#123;").replace("}", "&#125;")


def replace_pairs(text: str, opening: re.Pattern, closing: re.Pattern, write) -> str:
    """Each opening with the first closing after it, as `write(opening match, text between)`;
    one pass over the text, however many unmatched openings it holds."""
    pieces, position = [], 0
    closings = closing.finditer(text)
    end = next(closings, None)
    for start in opening.finditer(text):
        if start.start() < position:
            continue
        while end is not None and end.start() < start.end():
            end = next(closings, None)
        if end is None:
            break
        pieces += [text[position : start.start()], write(start, text[start.end() : end.start()])]
        position = end.end()
    pieces.append(text[position:])
    return "".join(pieces)


def highlighted(opening: re.Match, code: str) -> str:
    """Hugo's `{{< highlight LANG "OPTIONS" >}}` and Jekyll's `{% highlight LANG linenos %}`: a
    fenced block, or with line numbers or highlighted lines, Pygments' HTML on one line."""
    arguments = parse_arguments(opening["hugo_args"] if opening["hugo_args"] is not None else opening["jekyll_args"])
    language = str(arguments.get("lang") or arguments.get(0) or "")
    written = str(arguments.get(1) or arguments.get("options") or "")
    options = {match["key"].lower(): match["value"].strip("\"'") for match in HIGHLIGHT_OPTION.finditer(written)}
    if "linenos" in arguments.values() or "linenos" in arguments:  # Jekyll: `linenos` alone
        options.setdefault("linenos", "table")
    if "mark_lines" in arguments:
        options.setdefault("hl_lines", arguments["mark_lines"])
    numbers = str(options.get("linenos", "false")).lower()
    lines = line_numbers(options.get("hl_lines", ""))
    if numbers in ("false", "") and not lines:
        return fenced_code(language, code)
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    start = int(options["linenostart"]) if str(options.get("linenostart", "")).isdigit() else 1
    formatter = HtmlFormatter(
        cssclass="highlight",
        linenos={"table": "table", "inline": "inline", "true": "table"}.get(numbers, False),
        linenostart=start,
        hl_lines=lines,  # counted from the block's first line, whatever linenostart says (as Hugo does)
        wrapcode=True,
    )
    return as_block(one_line(pygments_highlight(code + "\n", lexer, formatter)), code.count("\n") + 2)


def line_numbers(written: str) -> list[int]:
    """ "13 28 37", "3 6-8", '["8", "15-17"]': the line numbers they name (at most 10,000)."""
    numbers = []
    for start, end in re.findall(r"(\d{1,6})(?:-(\d{1,6}))?", written):
        last = int(end or start)
        numbers += range(int(start), min(last, int(start) + 10_000) + 1)
    return sorted(set(numbers))


def fenced_code(language: str, code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def attribute(name: str, value) -> str:
    return "" if value in (None, "") else f' {name}="{html.escape(str(value), quote=True)}"'


def figure(arguments, closing, alone, front_matter):
    """Hugo's figure: an image with its caption; inside a sentence or a link, the image alone."""
    source = arguments.get("src") or arguments.get(0)
    if closing or not source:
        return None
    title, caption = arguments.get("title", ""), arguments.get("caption", "")
    alt = arguments.get("alt") or caption or title
    size = attribute("width", arguments.get("width")) + attribute("height", arguments.get("height"))
    hover = attribute("title", None if alone else title)
    described = attribute("alt", alt) or ' alt=""'  # an image without words is decoration
    image = f"<img{attribute('src', source)}{described}{size}{hover}>"
    if not alone:
        return image
    if arguments.get("link"):
        image = f'<a href="{html.escape(arguments["link"], quote=True)}">{image}</a>'
    credit = arguments.get("attr", "")
    if credit and arguments.get("attrlink"):
        credit = f'<a href="{html.escape(arguments["attrlink"], quote=True)}">{html.escape(credit)}</a>'
    else:
        credit = html.escape(credit)
    parts = [f"<strong>{html.escape(title)}</strong>" if title else "", html.escape(caption), credit]
    text = " ".join(part for part in parts if part)
    caption_html = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure{attribute('class', arguments.get('class'))}>{image}{caption_html}</figure>"


def embedded_video(address: str, label: str):
    def write(arguments, closing, alone, front_matter):
        video = arguments.get("id") or arguments.get(0)
        if closing or not video or not VIDEO_ID.match(video):
            return None
        title = arguments.get("title") or f"{label} video"
        frame = (
            f'<iframe src="{address.format(id=video)}"{attribute("title", title)} loading="lazy" '
            'referrerpolicy="strict-origin-when-cross-origin" allow="encrypted-media; picture-in-picture; fullscreen" '
            "allowfullscreen></iframe>"
        )
        return f'<div class="video">{frame}</div>'

    return write


def link_to(address: str, label: str, needed: tuple):
    """Embeds that would load another site's script (gists, posts on X): a link instead."""

    def write(arguments, closing, alone, front_matter):
        values = {}
        for position, name in enumerate(needed):
            values[name] = arguments.get(name) or arguments.get(position)
        if closing or not all(values.values()) or not all(re.match(r"^[\w.-]+$", v) for v in values.values()):
            return None
        link = (
            f'<a href="{html.escape(address.format(**values), quote=True)}">{html.escape(label.format(**values))}</a>'
        )
        return f"<p>{link}</p>" if alone else link

    return write


def tweet(arguments, closing, alone, front_matter):
    """`{{< tweet user="u" id="1" >}}`, `{{< x user="u" id="1" >}}`; the old `{{< tweet 1 >}}` too."""
    if "user" not in arguments and NUMBER.match(str(arguments.get(0, ""))):
        arguments = {"user": "i", "id": arguments[0]}
    return link_to("https://x.com/{user}/status/{id}", "A post on X", ("user", "id"))(
        arguments, closing, alone, front_matter
    )


def reference(arguments, closing, alone, front_matter):
    """`{{< ref "other.md" >}}`: the path, which the reader resolves like any link to a post."""
    path = arguments.get("path") or arguments.get(0)
    return None if closing or not path else html.escape(path, quote=True)


def details(arguments, closing, alone, front_matter):
    if closing:
        return "</details>"
    summary = arguments.get("summary") or "Details"
    opened = " open" if str(arguments.get("open", "")).lower() == "true" else ""
    return f'<details markdown="1"{opened}><summary>{html.escape(summary)}</summary>'


def param(arguments, closing, alone, front_matter):
    """A value of the post's own front matter (Hugo falls back to the site's, unknown here)."""
    name = arguments.get("name") or arguments.get(0)
    value = front_matter.get(name) if isinstance(name, str) else None
    if closing or isinstance(value, (dict, list)) or value is None:
        return None
    return html.escape(str(value))


def table_of_contents(arguments, closing, alone, front_matter):
    """`{{< toc >}}`: the post's table of contents, where Markdown's toc extension puts it."""
    return None if closing or not alone else "[TOC]"


SHORTCODES = {
    "toc": table_of_contents,
    "figure": figure,
    "youtube": embedded_video("https://www.youtube-nocookie.com/embed/{id}", "YouTube"),
    "vimeo": embedded_video("https://player.vimeo.com/video/{id}?dnt=1", "Vimeo"),
    "gist": link_to("https://gist.github.com/{user}/{id}", "A gist by {user} on GitHub", ("user", "id")),
    "instagram": link_to("https://www.instagram.com/p/{id}/", "A post on Instagram", ("id",)),
    "tweet": tweet,
    "x": tweet,
    "ref": reference,
    "relref": reference,
    "details": details,
    "param": param,
}
