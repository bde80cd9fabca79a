"""Hugo's built-in shortcodes (and Jekyll's `highlight` and `raw`), written out as the Markdown
or HTML they stand for, so a post brought from those engines reads as it did there. The rest
of Liquid is run by a Liquid engine on Jekyll posts (liquid_posts.py).

Runs on the Markdown body before Markdown does. Fenced and inline code are left as written
(authors show shortcodes there as examples), except Hugo's escaped form `{{</* x */>}}`,
which Hugo shows as `{{< x >}}` everywhere. What is not known here (a theme's own shortcode,
`{% include %}`) stays as written and the reader reports it with its line. Replacements keep
to the lines they replace, so problems found later still point at the right line.
"""

import bisect
import html
import re

FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).+?(?<!`)\1(?!`)")
# {{< name args >}}, {{% name args %}}, {{< /name >}}; `-` trims whitespace in Go templates.
SHORTCODE = re.compile(
    r"\{\{(?:<-?\s*(?P<close1>/)?\s*(?P<name1>[\w.-]{1,100})(?P<args1>(?:[^>\n]|>(?!\}\})){0,2000}?)\s*/?-?>"
    r"|%-?\s*(?P<close2>/)?\s*(?P<name2>[\w.-]{1,100})(?P<args2>(?:[^%\n]|%(?!\}\})){0,2000}?)\s*/?-?%)\}\}"
)
ESCAPED_SHORTCODE = re.compile(r"\{\{([<%])/\*(.{0,2000}?)\*/([>%])\}\}", re.DOTALL)
# Code spans are set aside while the rest of a text is written out, then put back as they were.
SET_ASIDE = re.compile("\ue0b0(\\d+)\ue0b1")
HIGHLIGHT_OPEN = re.compile(
    r"(?:\{\{[<%]\s*highlight\s+(?P<hugo_lang>[\w+#.-]{0,40})[^\n{}]{0,200}?[>%]\}\}"
    r"|\{%-?\s*highlight\s+(?P<jekyll_lang>[\w+#.-]{0,40})[^\n{}%]{0,200}?-?%\})[ \t]*\n?"
)
HIGHLIGHT_CLOSE = re.compile(r"\n?[ \t]*(?:\{\{[<%]\s*/highlight\s*[>%]\}\}|\{%-?\s*endhighlight\s*-?%\})")
RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
ARGUMENT = re.compile(r"""(?:(?P<key>[\w-]+)=)?(?P<value>"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)""")
VIDEO_ID = re.compile(r"^[\w-]{1,64}$")
NUMBER = re.compile(r"^\d{1,30}$")
IMAGE_PATH = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|svg)(?:[?#].*)?$", re.IGNORECASE)


def write_out_template_code(body: str, front_matter: dict) -> tuple[str, list[tuple[int, str]]]:
    """The body with known shortcodes and Liquid tags replaced (see the module's docstring), and
    (line in the body, from 0; message) for each one written out only by a guess."""
    notes = []
    if "{{" not in body and "{%" not in body:
        return body, notes
    pieces, line = [], 0
    for text, is_code in code_and_prose(body):
        if is_code:
            pieces.append(ESCAPED_SHORTCODE.sub(r"{{\1\2\3}}", text))
        else:
            pieces.append(write_out_prose(text, front_matter, line, notes))
        line += text.count("\n")
    return "".join(pieces), notes


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


def write_out_prose(text: str, front_matter: dict, first_line: int, notes: list) -> str:
    code_spans = []

    def set_aside(match: re.Match) -> str:
        code_spans.append(match.group(0))
        return f"\ue0b0{len(code_spans) - 1}\ue0b1"

    text = CODE_SPAN.sub(set_aside, text)
    text = replace_pairs(text, HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE, fenced_code)
    text = replace_pairs(text, RAW_OPEN, RAW_CLOSE, lambda opening, inner: literal(inner))
    text = RAW_CLOSE.sub("", RAW_OPEN.sub("", text))  # a tag left without its pair
    text = write_out_unknown_pairs(text, first_line, notes)
    lines = text.splitlines(keepends=True)
    text = "".join(write_out_text(line, front_matter, first_line + number, notes) for number, line in enumerate(lines))
    return SET_ASIDE.sub(lambda match: code_spans[int(match[1])], text)


def write_out_unknown_pairs(text: str, first_line: int, notes: list) -> str:
    """`{{< note >}}...{{< /note >}}`, a theme's own shortcode: its content in a <div> of its name."""
    open_ones, edits = {}, []
    line_starts = [0] + [index + 1 for index, character in enumerate(text) if character == "\n"]
    for match in SHORTCODE.finditer(text):
        name = match["name1"] or match["name2"]
        if name.lower() in SHORTCODES:
            continue
        if not (match["close1"] or match["close2"]):
            open_ones.setdefault(name.lower(), []).append(match)
            continue
        if not open_ones.get(name.lower()):
            continue
        opening = open_ones[name.lower()].pop()
        css_class = re.sub(r"[^\w-]", "-", name.lower())
        edits += [(opening, f'<div class="{css_class}" markdown="1">'), (match, "</div>")]
        line = first_line + bisect.bisect_right(line_starts, opening.start()) - 1
        notes.append(
            (
                line,
                f"the shortcode {{{{< {name} >}}}} is not one of Hugo's own; its content is shown in "
                f'<div class="{css_class}">: check the page, or write it as Markdown',
            )
        )
    pieces, position = [], 0
    for match, replacement in sorted(edits, key=lambda edit: edit[0].start()):
        pieces += [text[position : match.start()], replacement]
        position = match.end()
    return "".join(pieces) + text[position:]


def write_out_text(line: str, front_matter: dict, number: int, notes: list) -> str:
    """One line of prose (its code spans set aside)."""
    text = line
    text = ESCAPED_SHORTCODE.sub(lambda m: literal(f"{{{{{m[1]}{m[2]}{m[3]}}}}}"), text)
    alone = SHORTCODE.fullmatch(line.strip()) is not None

    def replace(match):
        name = (match["name1"] or match["name2"]).lower()
        closing = bool(match["close1"] or match["close2"])
        arguments = parse_arguments(match["args1"] if match["name1"] else match["args2"])
        written = SHORTCODES.get(name)
        result = written(arguments, closing, alone, front_matter) if written else None
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
    for match in ARGUMENT.finditer(text or ""):
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


def fenced_code(opening: re.Match, code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * (longest + 1)
    language = opening["hugo_lang"] or opening["jekyll_lang"] or ""
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


SHORTCODES = {
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
