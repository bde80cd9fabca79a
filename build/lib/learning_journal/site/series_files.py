"""Series description files: content/series/<slug>.md, written by the author.

YAML front matter says the series' name, status and, optionally, its parts in order
(posts by slug or file name, planned parts by title); the Markdown body is the
description. This module only reads; series.py decides what the files mean.
"""

import os
from pathlib import Path

from ..problems import Problem
from ..read.front_matter import FrontMatterError, split_source
from ..read.metadata import describe, one_line
from ..read.reader import JournalReader, decode
from .series import PartReference, SeriesFile, series_slug

KNOWN_KEYS = ("name", "title", "status", "parts", "description")
STATUS_WORDS = {
    "ongoing": "ongoing",
    "in progress": "ongoing",
    "in-progress": "ongoing",
    "active": "ongoing",
    "complete": "complete",
    "completed": "complete",
    "finished": "complete",
    "done": "complete",
}
EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")


def series_folder(settings) -> Path:
    return Path(settings.get("PATH", ".")) / settings.get("JOURNAL_SERIES_PATH", "series")


def read_series_files(settings, label) -> tuple[list[SeriesFile], list[Problem]]:
    """Every description file of the site, and what was wrong in them."""
    folder = series_folder(settings)
    if not folder.is_dir():
        return [], []
    files, problems = [], []
    reader = JournalReader(settings)
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in EXTENSIONS or not path.is_file():
            continue
        shown = label(str(path))
        try:
            series_file = read_series_file(path, shown, reader, problems)
        except FrontMatterError as error:
            problems.append(
                Problem(
                    **{
                        **error.problem.as_dict(),
                        "message": error.problem.message + "; the series file is ignored",
                    }
                )
            )
            continue
        files.append(series_file)
    return files, problems


def read_series_file(path: Path, shown: str, reader, problems: list) -> SeriesFile:
    text, decoding = decode(path.read_bytes(), shown)
    problems += decoding
    source = split_source(text, shown)
    problems += source.warnings
    data = {str(key).strip().lower(): value for key, value in source.data.items()}
    line_of = {str(key).strip().lower(): line for key, line in source.key_lines.items()}
    series_file = SeriesFile(path=shown, slug=series_slug(path.stem), line_of=line_of)

    def problem(key, message):
        problems.append(Problem(shown, line_of.get(key), key, message))

    for key in data:
        if key not in KNOWN_KEYS:
            problem(
                key,
                f"unknown key '{key}' in a series file; the keys are {', '.join(KNOWN_KEYS)}",
            )

    for key in ("name", "title"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            series_file.name = one_line(str(value))
            if key == "title":
                line_of.setdefault("name", line_of.get("title"))
            break
        problem(
            key,
            f"'{key}' must be the series' name, got {describe(value)}; write {key}: Name of the series",
        )

    if "status" in data:
        word = " ".join(str(data["status"]).split()).lower() if isinstance(data["status"], str) else None
        if word in STATUS_WORDS:
            series_file.status = STATUS_WORDS[word]
        else:
            problem(
                "status",
                f"'status' must be ongoing or complete, got {describe(data['status'])}; the series is shown as ongoing",
            )

    series_file.parts = part_references(data.get("parts"), line_of.get("parts"), problem)

    body = source.body.strip()
    if body:
        series_file.description = reader.convert(source.body)
    elif isinstance(data.get("description"), str) and data["description"].strip():
        series_file.description = reader.convert(data["description"])
    return series_file


def part_references(value, line, problem) -> list[PartReference]:
    """`parts:` as a list of slugs, file names, planned titles or `planned: Title` items."""
    if value is None:
        return []
    if not isinstance(value, list):
        problem(
            "parts",
            f"'parts' must be a list, got {describe(value)}; write one '- slug-of-a-post' per line",
        )
        return []
    references = []
    # List items carry no line of their own: messages quote the item and give the key's line.
    for offset, item in enumerate(value, start=1):
        item_line = line
        if isinstance(item, dict) and len(item) == 1:
            [(key, text)] = item.items()
            key = str(key).strip().lower()
            if key in {"planned", "title"} and isinstance(text, str) and text.strip():
                references.append(PartReference(one_line(text), True, item_line))
                continue
            if key in {"post", "slug", "file"} and isinstance(text, str) and text.strip():
                references.append(PartReference(text.strip(), False, item_line))
                continue
        if isinstance(item, str) and item.strip():
            references.append(PartReference(one_line(item), False, item_line))
            continue
        if isinstance(item, int | float) and not isinstance(item, bool):
            references.append(PartReference(str(item), False, item_line))
            continue
        problem(
            "parts",
            f"item {offset} of 'parts' is {describe(item)}; write a post's slug or file name, or 'planned: Title'",
        )
    return references


def display_path(settings):
    """Paths in messages read as the author knows them: relative to the project."""
    base = os.path.dirname(os.path.abspath(settings.get("PATH", ".")))

    def label(source_path: str) -> str:
        relative = os.path.relpath(os.path.abspath(source_path), base)
        return source_path if relative.startswith("..") else relative

    return label
