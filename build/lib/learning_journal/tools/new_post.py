"""`journal new`: where a new post goes, which part of its series it is, and its front matter.

Series and positions come from the content as the build reads it (project.read_content),
so a new part is numbered after every existing one, drafts included.
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pelican.utils import slugify

from ..read.metadata import shorten_slug

NUMBERED_FILE = re.compile(r"^(?P<number>\d+)[-_]")


@dataclass
class KnownSeries:
    """One series as the content has it: its name as most posts write it, its parts' files."""

    name: str
    slug: str
    positions: list = field(default_factory=list)
    files: list = field(default_factory=list)
    description_file: str | None = None  # content/series/<slug>.md, which may list the parts

    def next_position(self) -> int:
        numbers = [int(p) for p in self.positions if isinstance(p, int | float)]
        return max(numbers, default=len(self.files)) + 1


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


def known_series(contents, settings, described=()) -> dict:
    """Series slug -> KnownSeries, from every post read (published, hidden or draft), and
    from the build's series list (a series described before its first post is written)."""
    spellings = {}
    found = {}
    for series in described:
        slug = slug_of(series.name, settings)
        known = found.setdefault(slug, KnownSeries(series.name, slug))
        # Parts listed in a description file need no `series` key of their own.
        known.files += [Path(part.source_path) for part in getattr(series, "parts", [])]
        known.description_file = getattr(series, "source_path", None)
    for content in contents:
        names = content.metadata.get("series") or []
        for name in names:
            slug = slug_of(name, settings)
            series = found.setdefault(slug, KnownSeries(name, slug))
            spellings.setdefault(slug, []).append(name)
            if Path(content.source_path) not in series.files:
                series.files.append(Path(content.source_path))
            if name == names[0] and "series_index" in content.metadata:
                series.positions.append(content.metadata["series_index"])
    for slug, names in spellings.items():
        found[slug].name = max(sorted(set(names)), key=names.count)
    return found


@dataclass
class SeriesMatch:
    """What the author's --series means: an existing series, a near miss, or a new one."""

    series: KnownSeries | None = None
    close_to: str | None = None


def match_series(name: str, series: dict, settings: dict) -> SeriesMatch:
    """Same slug (case, spacing, punctuation aside): that series; else a close spelling."""
    slug = slug_of(name, settings)
    if slug in series:
        return SeriesMatch(series=series[slug])
    by_lower = {known.name.lower(): known.name for known in series.values()}
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
    series: KnownSeries | None,
    new_series_slug: str | None,
    position: int | None,
) -> Path:
    """Beside the series' other parts (in the folder most of them are in, numbered like them
    when they are numbered), else content/<series-slug>/<slug>.md; content/<slug>.md for a
    post in no series."""
    if series is None:
        folder = series_folder(settings, new_series_slug) if new_series_slug else Path(settings["PATH"])
        return folder / f"{slug}.md"
    folders = Counter(path.parent for path in series.files).most_common()
    if not folders or len(folders) > 1 and folders[0][1] == folders[1][1]:
        folder = series_folder(settings, series.slug)
    else:
        folder = folders[0][0]
    siblings = [path for path in series.files if path.parent == folder]
    numbered = [NUMBERED_FILE.match(path.name) for path in siblings]
    if position is not None and numbered and all(numbered):
        width = max(len(match["number"]) for match in numbered)
        return folder / f"{position:0{width}d}-{slug}.md"
    return folder / f"{slug}.md"


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


def now_in(settings: dict) -> datetime:
    """Now, in the site's TIMEZONE, to the second, with its offset."""
    return datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).replace(microsecond=0)
