"""Terminal colours (ANSI SGR codes) in saved outputs and tracebacks, as escaped HTML spans.

IPython colours its tracebacks; shown raw, `\\x1b[0;31m` is noise. Each run of text becomes a
`<span>` with a class naming the colour (`ansi-red`) and the Pygments token class the theme
already colours, light and dark, with checked contrast (`gr`, Generic.Error): inside a
`.highlight` block the colours cost no CSS of their own. Background colours and other escape
sequences (cursor moves, titles) are dropped.
"""

import html
import re

ESCAPE = re.compile(r"\x1b\[(?P<codes>[0-9;]*)(?P<kind>[A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
# The Pygments token whose colour (in pygments.css, light and dark) is nearest each ANSI colour.
TOKEN_OF = {
    "black": "",
    "red": "gr",
    "green": "gi",
    "yellow": "nl",
    "blue": "gh",
    "magenta": "nd",
    "cyan": "nv",
    "white": "go",
    "bold": "gs",
    "italic": "ge",
    "underline": "",
}
# Control characters other than tab and newline are not allowed in XML feeds, and mean nothing here.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def as_a_terminal_shows(text: str) -> str:
    """Progress bars (Keras, pip, tqdm) redraw their line with `\\r` and `\\b`; a browser would show
    every redraw (a carriage return is a line break in HTML), so each line keeps only what a
    terminal, or Jupyter, leaves on screen."""
    if "\r" not in text and "\b" not in text:
        return text
    return "\n".join(map(redrawn, text.replace("\r\n", "\n").split("\n")))


def redrawn(line: str) -> str:
    if "\b" not in line:  # the common case, by whole pieces: each one writes over the line's start
        shown = ""
        for piece in line.split("\r"):
            shown = piece + shown[len(piece) :]
        return shown
    cells, column = [], 0
    for character in line:
        if character == "\r":
            column = 0
        elif character == "\b":
            column = max(column - 1, 0)
        else:
            cells[column : column + 1] = [character]
            column += 1
    return "".join(cells)


def ansi_to_html(text: str) -> str:
    """Escaped text with colour and weight kept as classes."""
    parts, style, position = [], {}, 0
    for match in ESCAPE.finditer(text):
        parts.append(span(text[position : match.start()], style))
        position = match.end()
        if match["kind"] == "m":
            style = apply_codes(style, match["codes"])
    parts.append(span(text[position:], style))
    return "".join(parts)


def apply_codes(style: dict, written: str) -> dict:
    style = dict(style)
    codes = [int(code) if code else 0 for code in written.split(";")] if written else [0]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == 0:
            style = {}
        elif code == 1:
            style["bold"] = "bold"
        elif code == 3:
            style["italic"] = "italic"
        elif code == 4:
            style["underline"] = "underline"
        elif code == 22:
            style.pop("bold", None)
        elif code == 23:
            style.pop("italic", None)
        elif code == 24:
            style.pop("underline", None)
        elif 30 <= code <= 37:
            style["fg"] = COLOURS[code - 30]
        elif 90 <= code <= 97:
            style["fg"] = COLOURS[code - 90]
        elif code == 39:
            style.pop("fg", None)
        elif code in (38, 48):  # 256 colours and true colour: beyond the theme's palette, skipped
            mode = codes[index + 1] if index + 1 < len(codes) else None
            index += {5: 2, 2: 4}.get(mode, 1)
        index += 1
    return style


def span(text: str, style: dict) -> str:
    text = html.escape(CONTROL.sub("", text), quote=False)
    if not text or not style:
        return text
    names = [style[key] for key in ("fg", "bold", "italic", "underline") if key in style]
    classes = " ".join([f"ansi-{name}" for name in names] + [TOKEN_OF[name] for name in names if TOKEN_OF[name]])
    return f'<span class="{classes}">{text}</span>'
