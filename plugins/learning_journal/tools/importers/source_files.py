"""Reading another engine's files: front matter as data, dates, config files, a sorted walk."""

import datetime
import json
import os
import tomllib
from pathlib import Path

import yaml

from ...read.dates import parse_date
from ...read.front_matter import FrontMatterError, split_source
from .front_matter_keys import json_front_matter

# Folders of tools and build output, never content: reported as one line each.
TOOL_FOLDERS = {
    ".git": "version control",
    "node_modules": "JavaScript packages of the old site",
    ".jekyll-cache": "Jekyll's cache",
    ".sass-cache": "Jekyll's cache",
    "_site": "the old site's build output",
    "vendor": "Ruby gems of the old site",
    ".cache": "a build cache",
    "resources": "Hugo's generated resources",
    ".astro": "Astro's cache",
    "dist": "the old site's build output",
    ".github": "the old site's CI settings",
    ".netlify": "Netlify's settings",
}


def front_matter(path: Path) -> tuple[dict, str | None]:
    """(front matter, None) or ({}, why it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff")
        data, _ = json_front_matter(text)
        if data is not None:
            return data, None
        return dict(split_source(text, str(path)).data), None
    except FrontMatterError as error:
        return {}, str(error.problem.message)


def has_front_matter(path: Path) -> bool:
    with open(path, "rb") as handle:
        start = handle.read(8).removeprefix(b"\xef\xbb\xbf")
    return start.startswith((b"---", b"+++"))


def date_of(value, timezone: str | None = None) -> datetime.datetime | None:
    """The date as the old engine used it in URLs: wall-clock time, in its time zone if set."""
    if value is None or isinstance(value, bool):
        return None
    try:
        moment = parse_date(value)
    except ValueError:
        return None
    if moment.tzinfo is not None and timezone:
        try:
            from zoneinfo import ZoneInfo

            moment = moment.astimezone(ZoneInfo(timezone))
        except (ValueError, KeyError, OSError):
            pass
    return moment


def load_config(path: Path) -> dict:
    """A config file of any engine: TOML, YAML or JSON, by its extension; {} if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError, tomllib.TOMLDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def walk(root: Path):
    """Every file under root (sorted), and (folder, reason) for tool folders not walked."""
    files, skipped = [], []
    for folder, folders, names in os.walk(root):
        here = Path(folder)
        for name in sorted(folders):
            if name in TOOL_FOLDERS:
                skipped.append((here / name, TOOL_FOLDERS[name]))
        folders[:] = sorted(name for name in folders if name not in TOOL_FOLDERS)
        files += [here / name for name in sorted(names)]
    return sorted(files), skipped
