"""Set a few keys in a post's front matter and leave every other line as the author wrote it.

YAML (`---`) and TOML (`+++`) are edited as text: the keys being replaced are taken out with
their continuation lines, the new ones are added at the end (before the first TOML table).
A file without front matter gets a YAML block.
"""

import json
import re

import yaml

BOM = "\ufeff"
FENCE = re.compile(r"^(---|\+\+\+)[ \t]*$")
TOML_TABLE = re.compile(r"^\s*\[")


def split_fences(text: str):
    """(fence, front matter lines, body text) or (None, [], text)."""
    lines = text.split("\n")
    if not lines or not FENCE.match(lines[0]):
        return None, [], text
    fence = lines[0].strip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    for number in range(1, len(lines)):
        if lines[number].rstrip() in closers:
            return fence, lines[1:number], "\n".join(lines[number + 1 :])
    return None, [], text


def key_of(line: str, fence: str) -> str | None:
    """The top-level key a line starts, lower case, or None for a continuation line."""
    if not line or line[0] in " \t#-":
        return None
    separator = ":" if fence == "---" else "="
    if separator not in line:
        return None
    return line.split(separator, 1)[0].strip().strip("\"'").lower()


def without_keys(lines: list, names: set, fence: str) -> list:
    """The lines minus each named top-level key and what continues it."""
    kept, dropping, depth = [], False, 0
    for line in lines:
        key = key_of(line, fence)
        if fence == "+++" and TOML_TABLE.match(line) and depth == 0:
            dropping = False  # a table header ends the top level
        elif key is not None and depth == 0:
            dropping = key in names
        if fence == "+++" and dropping:
            depth = max(depth + line.count("[") - line.count("]"), 0)
        if not dropping:
            kept.append(line)
    return kept


def yaml_lines(values: dict) -> list:
    text = yaml.safe_dump(values, allow_unicode=True, default_flow_style=False, sort_keys=False, width=10000)
    return text.rstrip("\n").split("\n")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def json_front_matter(text: str):
    """(mapping, body) for a file that opens with a JSON object, else (None, text)."""
    if not text.lstrip().startswith("{"):
        return None, text
    try:
        data, end = json.JSONDecoder().raw_decode(text.lstrip())
    except ValueError:
        return None, text
    return (data, text.lstrip()[end:]) if isinstance(data, dict) else (None, text)


def set_front_matter(text: str, values: dict, drop: set = frozenset()) -> str:
    """`text` with `values` set (None: removed) and the keys in `drop` taken out."""
    bom = text.startswith(BOM)
    text = text.removeprefix(BOM).replace("\r\n", "\n")
    fence, lines, body = split_fences(text)
    names = {name.lower() for name in values} | {name.lower() for name in drop}
    present = {name: value for name, value in values.items() if value not in (None, [], "")}
    data, rest = json_front_matter(text)
    if data is not None:  # Hugo's JSON front matter: written as YAML, which the reader reads
        kept = {key: value for key, value in data.items() if str(key).lower() not in names}
        result = "---\n" + "\n".join(yaml_lines({**kept, **present})) + "\n---\n" + rest.lstrip("\n")
    elif fence is None:
        block = yaml_lines(present) if present else []
        result = "---\n" + "\n".join(block) + ("\n" if block else "") + "---\n" + text
    elif fence == "---":
        kept = without_keys(lines, names, fence)
        while kept and not kept[-1].strip():
            kept.pop()
        result = "\n".join(["---", *kept, *(yaml_lines(present) if present else []), "---"]) + "\n" + body
    else:
        kept = without_keys(lines, names, fence)
        table = next((n for n, line in enumerate(kept) if TOML_TABLE.match(line)), len(kept))
        added = [f"{name} = {toml_value(value)}" for name, value in present.items()]
        head = kept[:table]
        while head and not head[-1].strip():
            head.pop()
        result = "\n".join(["+++", *head, *added, *kept[table:], "+++"]) + "\n" + body
    return (BOM if bom else "") + result
