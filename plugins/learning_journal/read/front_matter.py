"""Split a Markdown source into front matter and body, keeping line numbers.

python-frontmatter parses the YAML, but it strips leading blank lines (shifting line
numbers), strips the body (an opening indented code block loses its indent) and
silently returns indented front matter as body. So the fences are found here, and
only the text between them goes to python-frontmatter's YAML handler.
"""

import re
import tomllib
from dataclasses import dataclass, field

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..problems import Problem

FENCES = {"---": "yaml", "+++": "toml"}
# Front matter nested deeper than this is refused here, whatever the parser would do: libyaml
# (PyYAML 6.0.4) stops at 1000 flow levels, older versions read on, pure Python ones recurse.
MAX_NESTING = 100
TOO_DEEP = "the file nests lists, quotes or brackets too deeply to be read (hundreds of levels); flatten it"
FENCE_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>---|\+\+\+)[ \t]*$")
YAML_CLOSERS = ("---", "...")


@dataclass
class Source:
    """What one file says: its front matter (a mapping), where each key stands, and its body."""

    data: dict = field(default_factory=dict)
    key_lines: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    style: str = "none"  # "yaml", "toml" or "none" (Pelican's own `Key: value` lines or nothing)
    warnings: list = field(default_factory=list)


class LineDict(dict):
    """A dict that also knows the 0-based line of each key inside the front matter."""

    key_lines: dict = {}


class KeyLineLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every key and reads YAML 1.2 booleans.

    YAML 1.1 turns `title: No` or `series: On` into booleans; authors mean the words.
    """


def construct_line_dict(loader, node):
    data = LineDict()
    yield data
    data.update(loader.construct_mapping(node))
    data.key_lines = {}
    for key_node, _ in node.value:
        data.key_lines.setdefault(key_node.value, key_node.start_mark.line)


KeyLineLoader.add_constructor("tag:yaml.org,2002:map", construct_line_dict)


def construct_timestamp(loader, node):
    """YAML reads `2020-02-30` as a date and fails on it: keep what was written instead, so
    that the date is reported as unreadable, on its line, like any other."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


KeyLineLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)


KeyLineLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:bool"
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
KeyLineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class FrontMatterError(Exception):
    """Front matter that cannot be read with any certainty: the post is skipped."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def split_source(text: str, path: str) -> Source:
    """Find the front matter fences and parse what is between them."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise FrontMatterError(
            Problem(path, None, None, "the file is empty; write a title and a body, or delete it", code="empty-file")
        )
    opening = FENCE_LINE.match(lines[first])
    if not opening:
        return Source(body=text, style="none")

    source = Source(style=FENCES[opening["fence"]])
    indent = opening["indent"]
    if indent:
        source.warnings.append(
            Problem(
                path,
                first + 1,
                None,
                "the front matter fence is indented; remove the spaces before "
                f"'{opening['fence']}' (read as front matter anyway)",
                code="indented-front-matter",
            )
        )
    if first:
        source.warnings.append(
            Problem(
                path,
                first + 1,
                None,
                "blank lines before the front matter; start the file with the fence",
                code="blank-before-front-matter",
            )
        )
    closers = YAML_CLOSERS if source.style == "yaml" else ("+++",)
    closing = None
    for i in range(first + 1, len(lines)):
        candidate = lines[i]
        if candidate.startswith(indent) and candidate[len(indent):].rstrip() in closers:
            closing = i
            break
    if closing is None:
        raise FrontMatterError(
            Problem(
                path,
                first + 1,
                None,
                f"the front matter opened with '{opening['fence']}' is never closed; "
                f"add a line '{opening['fence']}' after the last key",
                code="unclosed-front-matter",
            )
        )

    raw = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in lines[first + 1 : closing])
    offset = first + 2  # 1-based line of the first front matter line
    if source.style == "yaml":
        data = parse_yaml(raw, path, offset)
    else:
        data = parse_toml(raw, path, offset)
    source.data = data
    source.key_lines = {key: line + offset for key, line in getattr(data, "key_lines", {}).items()}
    for key, value in data.items():
        if nesting(value) > MAX_NESTING:
            line = source.key_lines.get(key, offset)
            raise FrontMatterError(Problem(path, line, None, TOO_DEEP, code="too-deeply-nested"))
    source.body = "\n".join(lines[closing + 1 :])
    source.body_line = closing + 2
    return source


def parse_yaml(raw: str, path: str, offset: int) -> dict:
    """YAML through python-frontmatter's handler, with errors turned into one clear line."""
    try:
        data = YAMLHandler().load(raw, Loader=KeyLineLoader)
    except RecursionError:
        raise FrontMatterError(Problem(path, offset, None, TOO_DEEP)) from None
    except yaml.MarkedYAMLError as error:
        # The context mark is where the broken construct starts (an unclosed quote, say).
        mark = error.context_mark or error.problem_mark
        last_line = offset + max(raw.count("\n"), 0)
        # An error found at the end of the text belongs to its last line, not the fence.
        line = min(mark.line + offset, last_line) if mark else None
        if "nesting depth" in str(error.problem):  # libyaml's own limit on [ and {
            raise FrontMatterError(Problem(path, line, None, TOO_DEEP)) from None
        reason = " ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
        raise FrontMatterError(
            Problem(
                path,
                line,
                None,
                f"the front matter is not valid YAML ({reason}); "
                "check the indentation and quote values that contain ': ' or start with a special character",
                code="invalid-yaml",
            )
        ) from None
    except yaml.YAMLError as error:
        message = f"the front matter is not valid YAML ({error})"
        raise FrontMatterError(Problem(path, offset, None, message, code="invalid-yaml")) from None
    if data is None:
        return LineDict()
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise FrontMatterError(
            Problem(
                path,
                offset,
                None,
                f"the front matter must be a mapping of 'key: value' lines, got a {kind}; "
                "write one 'key: value' per line",
                code="front-matter-not-mapping",
            )
        )
    return data


def nesting(value) -> int:
    """How many lists and mappings deep `value` goes, without recursion; a value shared through
    YAML aliases is measured once, and a list that contains itself does not count itself."""
    heights, entered = {}, set()
    stack = [(value, False)]
    while stack:
        item, finished = stack.pop()
        if not isinstance(item, dict | list):
            continue
        children = [c for c in (item.values() if isinstance(item, dict) else item) if isinstance(c, dict | list)]
        if finished:
            heights[id(item)] = 1 + max((heights.get(id(child), 0) for child in children), default=0)
        elif id(item) not in entered:
            entered.add(id(item))
            stack.append((item, True))
            stack.extend((child, False) for child in children)
    return heights.get(id(value), 0)


def parse_toml(raw: str, path: str, offset: int) -> dict:
    """Hugo's `+++` front matter."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) + offset - 1 if match else offset
        raise FrontMatterError(
            Problem(path, line, None, f"the front matter is not valid TOML ({error}); fix the line named",
                    code="invalid-toml")
        ) from None
    data = LineDict(data)
    data.key_lines = {}
    for number, line in enumerate(raw.split("\n")):
        key = line.split("=", 1)[0].strip().strip('"')
        if "=" in line and key in data:
            data.key_lines.setdefault(key, number)
    return data
