"""`journal init DIR`: a new blog from the starter files shipped in the package (tools/starter/).

The starter is plain files, readable as they will be written; `{{ name }}` marks the few values
filled in. Dot-files are shipped without their dot (packaging tools skip hidden files).
"""

import json
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

STARTER = files(__package__) / "starter"
# Shipped name -> written name.
RENAMED = {"gitignore": ".gitignore", "github": ".github"}


def starter_files() -> dict[str, str]:
    """Written path (posix, relative to the new blog) -> shipped text, in a stable order."""
    found = {}

    def walk(folder, prefix):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name == "__pycache__":
                continue
            name = prefix + (entry.name if prefix else RENAMED.get(entry.name, entry.name))
            if entry.is_dir():
                walk(entry, name + "/")
            else:
                found[name] = entry.read_text(encoding="utf-8")

    walk(STARTER, "")
    return found


def fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{{ " + name + " }}", value)
    return text


def init_blog(folder: Path, sitename: str, author: str, now: datetime | None = None) -> list[Path]:
    """Write the starter into `folder` (made if missing); refuse, writing nothing, when any of
    its files exists already (FileExistsError lists them)."""
    now = now or datetime.now(UTC)
    planned = {folder / name: text for name, text in starter_files().items()}
    taken = sorted(path for path in planned if path.exists())
    if taken:
        raise FileExistsError(taken)
    # Names go inside a Python string in pelicanconf.py: JSON's escapes are Python's too.
    values = {"sitename": json.dumps(sitename)[1:-1], "author": json.dumps(author)[1:-1],
              "date": now.strftime("%Y-%m-%d %H:%M")}
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(fill(text, values))
    return list(planned)
