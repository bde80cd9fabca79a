"""`journal new`: where a new post goes, which part of its series it is, and its front matter.

Series and positions come from the build's own series model (project.read_content), so a
new part is numbered after every existing one, drafts included, under the name the site shows.
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pelican.utils import slugify

from ..read.metadata import shorten_slug

NUMBERED_FILE = re.compile(r"^(?P<number>\d+)[-_]")


def slug_of(text: str, settings: dict) -> str:
    """The slug of a title or series name, short enough for a file name."""
    return shorten_slug(
        slugify(
            text,
            regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=False,
            use_unicode=False,
        )
    )


@dataclass
class SeriesMatch:
    """What the author's --series means: an existing series, a near miss, or a new one."""

    series: object = None  # site.series.Series
    close_to: str | None = None


def match_series(name: str, catalog) -> SeriesMatch:
    """The series of the build's model with that name (case, spacing, punctuation aside);
    else a close spelling."""
    series = catalog.named(name)
    if series is not None:
        return SeriesMatch(series=series)
    by_lower = {known.name.lower(): known.name for known in catalog.every_series}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.8)
    return SeriesMatch(close_to=by_lower[close[0]] if close else None)


def series_folder(settings: dict, series_slug: str) -> Path:
    """content/<series-slug>/, unless that name is a folder posts are not read from
    (pages/, images/, series/ ...): then content/<series-slug>-posts/."""
    content_dir = Path(settings["PATH"])
    not_posts = {
        name.strip("/")
        for key in ("ARTICLE_EXCLUDES", "PAGE_PATHS", "STATIC_PATHS")
        for name in settings.get(key) or []
    }
    name = f"{series_slug}-posts" if series_slug in not_posts else series_slug
    return content_dir / name


def post_path(
    settings: dict,
    slug: str,
    series,
    new_series_slug: str | None,
    position: int | None,
    extension: str = ".md",
) -> Path:
    """Beside the series' other parts (in the folder most of them are in, numbered like them
    when they are numbered), else content/<series-slug>/<slug>.md; content/<slug>.md for a
    post in no series."""
    if series is None:
        folder = series_folder(settings, new_series_slug) if new_series_slug else Path(settings["PATH"])
        return folder / f"{slug}{extension}"
    files = [Path(path) for path in series.files]
    folders = Counter(path.parent for path in files).most_common()
    if not folders or len(folders) > 1 and folders[0][1] == folders[1][1]:
        folder = series_folder(settings, series.slug)
    else:
        folder = folders[0][0]
    siblings = [path for path in files if path.parent == folder]
    numbered = [NUMBERED_FILE.match(path.name) for path in siblings]
    if position is not None and numbered and all(numbered):
        width = max(len(match["number"]) for match in numbered)
        return folder / f"{position:0{width}d}-{slug}{extension}"
    return folder / f"{slug}{extension}"


class FrontMatterDumper(yaml.SafeDumper):
    """Safe YAML, with dates written the ISO 8601 way (2024-05-25T14:30:00+02:00)."""


FrontMatterDumper.add_representer(
    datetime,
    lambda dumper, moment: dumper.represent_scalar("tag:yaml.org,2002:timestamp", moment.isoformat(timespec="seconds")),
)


def front_matter(
    title: str,
    now: datetime,
    series: str | None,
    position: int | None,
    tags: list,
    draft: bool,
) -> str:
    """The file's text: YAML front matter (quoted where YAML needs it) and an empty body."""
    data = {"title": title, "date": now}
    if series:
        data["series"] = series
        data["series_index"] = position
    data["tags"] = tags
    data["description"] = ""
    data["draft"] = draft
    dumped = yaml.dump(
        data,
        Dumper=FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=1000,
    )
    return f"---\n{dumped}---\n\n"


def notebook(front_matter_text: str) -> str:
    """A new notebook (nbformat 4, Python): the front matter in a first raw cell, as Quarto and
    Jupytext write it, then an empty Markdown cell and an empty code cell."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

    cells = [new_raw_cell(front_matter_text.strip()), new_markdown_cell(""), new_code_cell("")]
    metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "pygments_lexer": "ipython3"},
    }
    return nbformat.writes(new_notebook(cells=cells, metadata=metadata)) + "\n"


def now_in(settings: dict) -> datetime:
    """Now, in the site's TIMEZONE, to the second, with its offset."""
    return datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).replace(microsecond=0)
