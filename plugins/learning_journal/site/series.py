"""The series model: which posts form which series, in which order, and what each part
links to. Plain Python, no I/O: Pelican articles (or anything with the same attributes)
and parsed description files go in, a `SeriesCatalog` comes out, rebuilt for every build.

Every part list and every part URL is computed once per series, never per post: a post's
navigation is only its series plus its index.
"""

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from pathlib import PurePath

from pelican.utils import slugify

from ..problems import Problem
from ..read.metadata import shorten_slug
from ..read.reading_time import reading_time
from .feed_files import feed_files_of
from .order import comparable, order_key

# Pelican's own default substitutions: the same slugs as posts and tags get.
SLUG_SUBSTITUTIONS = (
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
)
STATUSES = ("ongoing", "complete")
COLLAPSE_AFTER = 25  # a series this long shows its middle parts folded away
KEEP_AT_ENDS = 2  # parts always shown at each end of a folded list
KEEP_AROUND = 2  # parts always shown on each side of the current one
SERIES_INDEX_URL = "series/"


def series_slug(name: str, substitutions=SLUG_SUBSTITUTIONS) -> str:
    """Identity of a series: case, spacing and punctuation (underscores too) do not count."""
    for use_unicode in (False, True):
        slug = slugify(name, regex_subs=substitutions, use_unicode=use_unicode)
        slug = shorten_slug(re.sub(r"[-_\s]+", "-", slug).strip("-"))
        if slug:
            return slug
    return "series"


def is_public(article, now: datetime) -> bool:
    """Published and not in the future: the only posts a reader may be sent to."""
    if getattr(article, "status", "published") != "published":
        return False
    return comparable(getattr(article, "date", None)) <= comparable(now)


def series_names(article) -> list[str]:
    """The names a post gives in its front matter, primary first."""
    names = (getattr(article, "metadata", None) or {}).get("series") or []
    if isinstance(names, str):
        names = [names]
    return [" ".join(str(name).split()) for name in names if str(name).strip()]


def position_of(article):
    position = (getattr(article, "metadata", None) or {}).get("series_index")
    if isinstance(position, bool) or not isinstance(position, int | float):
        return None
    return position


@dataclass(frozen=True)
class PartReference:
    """One entry of a description file's `parts:` list: a post (slug, file name or path)
    or the title of a part not published yet."""

    text: str
    planned: bool = False
    line: int | None = None


@dataclass
class SeriesFile:
    """What an author wrote in content/series/<slug>.md."""

    path: str
    slug: str
    name: str | None = None
    status: str = "ongoing"
    description: str = ""
    parts: list = field(default_factory=list)
    line_of: dict = field(default_factory=dict)  # front matter key -> line


@dataclass
class PartLink:
    """A part as links show it; its URL is computed once for the whole build."""

    index: int
    article: object
    title: str
    url: str
    minutes_left: int = 0  # reading time of this part and every later one (see add_reading_times)

    @property
    def date(self):
        return self.article.date

    @property
    def summary(self):
        return getattr(self.article, "summary", "")

    @cached_property
    def reading_time(self) -> int:
        """The reader sets it on every post; posts from other readers are counted here."""
        minutes = getattr(self.article, "reading_time", None)
        if minutes:
            return minutes
        content = getattr(self.article, "content", None) or ""
        return reading_time(content, getattr(self.article, "settings", None) or {})


@dataclass
class Series:
    """One series: its published parts in reading order, and what its author said of it."""

    name: str
    slug: str
    parts: list = field(default_factory=list)
    description: str = ""
    status: str = "ongoing"
    planned: list = field(default_factory=list)
    source_path: str | None = None  # the description file, when there is one
    links: list = field(default_factory=list)
    # Every post that names the series in its front matter, whatever its status (drafts,
    # hidden, scheduled), in date order: what `journal check` and `journal new` look at.
    members: list = field(default_factory=list)
    reading_time: int = 0  # minutes for every published part; planned parts and drafts count nothing

    @property
    def url(self) -> str:
        return f"{SERIES_INDEX_URL}{self.slug}/"

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"

    @property
    def feeds(self) -> dict:
        return {row.name: f"{self.url}{row.file_name}" for row in feed_files_of("series")}

    @property
    def total(self) -> int:
        return len(self.parts)

    @property
    def first_date(self):
        return min((part.date for part in self.parts), key=comparable, default=None)

    @property
    def last_date(self):
        return max((part.date for part in self.parts), key=comparable, default=None)

    @property
    def latest(self):
        return max(self.parts, key=lambda part: comparable(part.date), default=None)

    @property
    def latest_link(self):
        latest = self.latest
        return next((link for link in self.links if link.article is latest), None)

    @property
    def files(self) -> list:
        """Source paths of every post in the series: named in front matter or listed in the
        description file, any status, each once."""
        paths = [member.article.source_path for member in self.members]
        paths += [article.source_path for article in self.parts if article.source_path not in paths]
        return paths

    def claimed_positions(self) -> dict:
        """Position -> the posts (any status) whose front matter gives it in this, their
        primary, series; in position order."""
        claimed: dict = {}
        for member in self.members:
            if member.primary and member.position is not None:
                claimed.setdefault(member.position, []).append(member)
        return dict(sorted(claimed.items()))

    def gaps(self) -> list:
        """(before, after) for every whole-number position skipped between two given ones."""
        numbers = [int(p) for p in self.claimed_positions() if float(p).is_integer()]
        return [(before, after) for before, after in itertools.pairwise(numbers) if after - before > 1]

    def next_position(self) -> int:
        """The position a new part takes: after the highest given, else after every post."""
        return int(max(self.claimed_positions(), default=len(self.files))) + 1


@dataclass(frozen=True)
class PartGroup:
    """A run of parts in the series box: shown, or folded away in a long series."""

    folded: bool
    links: list


@dataclass
class SeriesNavigation:
    """Where one post stands in one series. Field names follow the pelican-series plugin
    (name, index, all, all_previous, all_next, previous, next) so existing themes work."""

    series: Series
    index: int  # 1-based
    collapse_after: int = COLLAPSE_AFTER

    name = property(lambda self: self.series.name)
    slug = property(lambda self: self.series.slug)
    url = property(lambda self: self.series.url)
    total = property(lambda self: self.series.total)
    feeds = property(lambda self: self.series.feeds)
    planned = property(lambda self: self.series.planned)
    all = property(lambda self: self.series.parts)

    @property
    def all_previous(self) -> list:
        return self.series.parts[: self.index - 1]

    @property
    def all_next(self) -> list:
        return self.series.parts[self.index :]

    @property
    def previous(self):
        return self.series.parts[self.index - 2] if self.index > 1 else None

    @property
    def next(self):
        return self.series.parts[self.index] if self.index < self.total else None

    @property
    def parts_left(self) -> int:
        """This part and every later one."""
        return self.total - self.index + 1

    @property
    def minutes_left(self) -> int:
        return self.current_link.minutes_left

    @property
    def current_link(self) -> PartLink:
        return self.series.links[self.index - 1]

    @property
    def previous_link(self):
        return self.series.links[self.index - 2] if self.index > 1 else None

    @property
    def next_link(self):
        return self.series.links[self.index] if self.index < self.total else None

    @property
    def groups(self) -> list:
        """The parts list of the series box, with the middle of a long series folded."""
        return [
            PartGroup(folded, [self.series.links[i - 1] for i in indexes])
            for folded, indexes in outline(self.index, self.total, self.collapse_after)
        ]


def outline(current: int, total: int, collapse_after: int = COLLAPSE_AFTER) -> list:
    """Runs of 1-based indexes: (folded, [indexes]). Short series: one visible run. Long
    ones keep both ends and the neighbourhood of the current part visible."""
    if total < collapse_after:
        return [(False, list(range(1, total + 1)))] if total else []
    visible = set(range(1, KEEP_AT_ENDS + 1)) | set(range(total - KEEP_AT_ENDS + 1, total + 1))
    visible |= set(range(current - KEEP_AROUND, current + KEEP_AROUND + 1))
    runs = []
    for index in range(1, total + 1):
        folded = index not in visible
        if runs and runs[-1][0] == folded:
            runs[-1][1].append(index)
        else:
            runs.append((folded, [index]))
    # Folding a single part away saves nothing: show it.
    runs = [(folded and len(indexes) > 1, indexes) for folded, indexes in runs]
    merged = []
    for folded, indexes in runs:
        if merged and not folded and not merged[-1][0]:
            merged[-1][1].extend(indexes)
        else:
            merged.append((folded, indexes))
    return merged


@dataclass
class SeriesCatalog:
    """The result of one build: every public series, each post's navigation, the problems;
    and every series any post or description file names (drafts too), for the authoring tools."""

    series: list = field(default_factory=list)
    navigation: dict = field(default_factory=dict)  # source path -> [SeriesNavigation]
    problems: list = field(default_factory=list)
    every_series: list = field(default_factory=list)
    slug_of: object = series_slug

    def navigations_for(self, article) -> list:
        return self.navigation.get(article.source_path, [])

    def named(self, name: str):
        """The series a name means (case, spacing and punctuation aside), or None."""
        slug = self.slug_of(" ".join(name.split()))
        return next((series for series in self.every_series if series.slug == slug), None)


@dataclass
class Member:
    """A post joining a series, with the position it asks for."""

    article: object
    position: object = None
    listed_at: int | None = None  # its place in the description file's parts list
    written: str | None = None  # the name as its front matter writes it
    primary: bool = False  # the first series its front matter names


def build_catalog(
    articles,
    files=(),
    *,
    now: datetime,
    label=lambda article: article.source_path,
    slug_of=series_slug,
    collapse_after: int = COLLAPSE_AFTER,
    announce_drafts: bool = True,
) -> SeriesCatalog:
    """Group, order and link the series of one build.

    `articles`: every article read (any status); only public ones become parts.
    `files`: SeriesFile objects; `label(article)` names a post's file in messages.
    `announce_drafts`: False in production, where a draft's own title is never shown.
    """
    # Many posts spell the same few names: slugify each spelling once (a cache per build).
    slug_of = cache(slug_of)
    catalog = SeriesCatalog(slug_of=slug_of)
    problems = catalog.problems

    articles = sorted(articles, key=order_key)
    # series slug -> {source path: Member}, in the order posts joined
    members: dict[str, dict[str, Member]] = {}
    # series slug -> {source path: Member}: every post naming it, whatever its status
    named: dict[str, dict[str, Member]] = {}
    spellings: dict[str, Counter] = {}
    first_spelled: dict[tuple, object] = {}

    for article in articles:
        public = is_public(article, now)
        for number, name in enumerate(series_names(article)):
            slug = slug_of(name)
            naming = named.setdefault(slug, {})
            if article.source_path in naming:
                continue
            position = position_of(article) if number == 0 else None
            naming[article.source_path] = Member(article, position, written=name, primary=number == 0)
            if not public:
                continue
            spellings.setdefault(slug, Counter())[name] += 1
            first_spelled.setdefault((slug, name), article)
            members.setdefault(slug, {})[article.source_path] = Member(article, position)

    described = describe_files(files, articles, now, slug_of, label, members, problems, announce_drafts)

    for slug in sorted(set(members) | set(described)):
        series_file = described.get(slug)
        parts = list(members.get(slug, {}).values())
        if not parts:
            if series_file is not None:
                problems.append(
                    Problem(
                        series_file.path,
                        None,
                        "name",
                        f"no published post is in the series '{series_file.name or slug}'; "
                        "its page is written once a part is published (check the name "
                        "and the posts' 'series' key)",
                    )
                )
            continue
        name = canonical_name(
            slug,
            spellings.get(slug, Counter()),
            series_file,
            first_spelled,
            label,
            problems,
            slug_of,
        )
        series = described_series(name, slug, series_file, named)
        series.parts = [member.article for member in order_members(parts, name, label, problems)]
        series.links = [
            PartLink(index, article, article.title, article.url) for index, article in enumerate(series.parts, start=1)
        ]
        add_reading_times(series)
        catalog.series.append(series)
        for index, article in enumerate(series.parts, start=1):
            catalog.navigation.setdefault(article.source_path, []).append(
                SeriesNavigation(series, index, collapse_after)
            )

    catalog.series.sort(key=lambda series: (series.name.casefold(), series.slug))
    primary_first(catalog, now, slug_of)
    unpublished = []
    for slug in sorted((set(named) | set(described)) - {series.slug for series in catalog.series}):
        spelled = Counter(member.written for member in named.get(slug, {}).values())
        name = displayed_name(slug, spelled, described.get(slug))
        unpublished.append(described_series(name, slug, described.get(slug), named))
    catalog.every_series = sorted(
        catalog.series + unpublished, key=lambda series: (series.name.casefold(), series.slug)
    )
    return catalog


def add_reading_times(series: Series) -> None:
    """The series' total and each part's time left, once per build: a post page shows its
    own number without summing the parts after it."""
    left = 0
    for link in reversed(series.links):
        left += link.reading_time
        link.minutes_left = left
    series.reading_time = left


def described_series(name, slug, series_file, named) -> Series:
    """A series with what its description file says and every post that names it."""
    series = Series(name=name, slug=slug, members=list(named.get(slug, {}).values()))
    if series_file is not None:
        series.description = series_file.description
        series.status = series_file.status
        series.planned = list(series_file.planned_titles)
        series.source_path = series_file.path
    return series


def primary_first(catalog: SeriesCatalog, now, slug_of) -> None:
    """A post's own first `series` is its primary series, whatever the slug order."""
    for navigations in catalog.navigation.values():
        article = navigations[0].series.parts[navigations[0].index - 1]
        named = [slug_of(name) for name in series_names(article)]
        navigations.sort(key=lambda nav: named.index(nav.slug) if nav.slug in named else len(named))


def canonical_name(slug, spellings: Counter, series_file, first_spelled, label, problems, slug_of=series_slug) -> str:
    """The displayed name; every other spelling is reported once, naming a file that uses it."""
    name = displayed_name(slug, spellings, series_file)
    if slug_of(name) != slug:  # a display name, from a description file found by its file name
        return name
    for spelling in spellings:
        if spelling == name:
            continue
        article = first_spelled[(slug, spelling)]
        problems.append(
            Problem(
                label(article),
                None,
                "series",
                f"series '{spelling}' is taken to be the series '{name}' (same name up to case, "
                f"spacing or punctuation); write series: {name} to silence this warning",
                code="series-spelling",
            )
        )
    return name


def displayed_name(slug, spellings: Counter, series_file) -> str:
    """The description file's name, else the most used spelling (the earliest on a tie)."""
    ranked = sorted(spellings.items(), key=lambda item: -item[1])
    if series_file is not None and series_file.name:
        return series_file.name
    if ranked:
        return ranked[0][0]
    return slug.replace("-", " ").capitalize()


def order_members(parts: list, name: str, label, problems) -> list:
    """Listed parts in the file's order; then explicit positions, dates, source paths."""

    def key(member):
        listed = member.listed_at is not None
        positioned = member.position is not None
        return (
            0 if listed else 1,
            member.listed_at if listed else 0,
            0 if positioned else 1,
            member.position if positioned else 0,
            comparable(member.article.date),
            member.article.source_path,
        )

    ordered = sorted(parts, key=key)
    by_position: dict = {}
    for member in ordered:
        if member.listed_at is None and member.position is not None:
            by_position.setdefault(member.position, []).append(member)
    for position, same in by_position.items():
        if len(same) < 2:
            continue
        names = " and ".join(label(member.article) for member in same)
        for member in same:
            problems.append(
                Problem(
                    label(member.article),
                    None,
                    "series_index",
                    f"part {position:g} of the series '{name}' is claimed by {names}; they are "
                    "ordered by date, give each its own 'series_index'",
                    code="series-position-clash",
                )
            )
    return ordered


def reference_index(articles, label) -> dict:
    """Every way a description file may name a post -> the posts it names: slug, file
    name, stem, URL, and every trailing part of its path (`course/intro.md`)."""
    index: dict[str, list] = {}
    for article in articles:
        path = str(article.source_path).replace("\\", "/").strip("/")
        shown = str(label(article)).replace("\\", "/").strip("/")
        segments = path.split("/")
        keys = {article.slug, segments[-1].rsplit(".", 1)[0], shown}
        keys |= {"/".join(segments[i:]) for i in range(len(segments))}
        url = getattr(article, "url", None)
        if url:
            keys.add(url.strip("/"))
        for key in keys:
            if key:
                index.setdefault(key, []).append(article)
    return index


@dataclass
class DescribedSeries:
    path: str
    name: str | None
    status: str
    description: str
    planned_titles: list


def described_slug(series_file, slug_of, members) -> str:
    """The series a description file is about: the one its `name` (or `title`) says, else the
    one its file name says, whichever has posts; the name when neither has any yet."""
    by_name = slug_of(series_file.name) if series_file.name else None
    by_file = file_slug(series_file, slug_of)
    for slug in (by_name, by_file):
        if slug in members:
            return slug
    return by_name or by_file


def file_slug(series_file, slug_of) -> str:
    """The series a file name says, slugged as names are (`Deep Learning.md` is deep-learning)."""
    return slug_of(PurePath(series_file.path).stem) or series_file.slug


def describe_files(files, articles, now, slug_of, label, members, problems, announce_drafts=True) -> dict:
    """Apply description files: listed posts join (in list order), the rest is planned."""
    described = {}
    named = reference_index(articles, label) if files else {}
    titled = {}
    for article in articles if files else []:
        titled.setdefault(" ".join(str(article.title).split()).casefold(), []).append(article)
    for series_file in sorted(files, key=lambda f: f.path):
        slug = described_slug(series_file, slug_of, members)
        if slug in described:
            problems.append(
                Problem(
                    series_file.path,
                    series_file.line_of.get("name"),
                    "name",
                    f"the series '{series_file.name or slug}' is already described by "
                    f"{described[slug].path}; this file is ignored, merge the two",
                )
            )
            continue
        if slug != file_slug(series_file, slug_of) and file_slug(series_file, slug_of) not in members:
            problems.append(
                Problem(
                    series_file.path,
                    series_file.line_of.get("name"),
                    "name",
                    f"the file name does not match the series name '{series_file.name}'; rename the file to {slug}.md",
                )
            )
        entry = DescribedSeries(
            series_file.path,
            series_file.name,
            series_file.status,
            series_file.description,
            [],
        )
        described[slug] = entry
        for place, reference in enumerate(series_file.parts):
            found = [] if reference.planned else named.get(reference.text.strip().strip("/"), [])
            by_title = not found
            if not found:
                # A planned part, once written, is found by its title: the list needs no edit.
                same_title = titled.get(" ".join(reference.text.split()).casefold(), [])
                found = same_title if len(same_title) == 1 else []
            if reference.planned and not found:
                entry.planned_titles.append(reference.text)
                continue
            if len(found) > 1:
                problems.append(
                    Problem(
                        series_file.path,
                        reference.line,
                        "parts",
                        f"'{reference.text}' names {len(found)} posts ("
                        + ", ".join(label(a) for a in found)
                        + "); write the file's path inside content/ instead",
                        code="series-parts",
                    )
                )
                continue
            if not found:
                if looks_like_reference(reference.text):
                    problems.append(
                        Problem(
                            series_file.path,
                            reference.line,
                            "parts",
                            f"no post has the slug or file name '{reference.text}'; check it, "
                            f"or write '- planned: Title' for a part not written yet",
                            code="series-parts",
                        )
                    )
                    continue
                entry.planned_titles.append(reference.text)
                continue
            [article] = found
            if not is_public(article, now):
                # A listed draft or scheduled post is announced, never linked; in production a
                # draft only by the title the description file itself writes.
                if announce_drafts or by_title or article.status != "draft":
                    entry.planned_titles.append(article.title)
                continue
            joined = members.setdefault(slug, {})
            member = joined.setdefault(article.source_path, Member(article))
            if member.listed_at is None:
                member.listed_at = place
        joined = members.get(slug, {}).values()
        if any(member.listed_at is not None for member in joined):
            for member in joined:
                if member.listed_at is None:
                    problems.append(
                        Problem(
                            label(member.article),
                            None,
                            "series",
                            f"this post is in the series '{series_file.name or slug}' but not in the "
                            f"'parts' list of {series_file.path}; it is placed after the listed parts",
                            code="series-parts-missing",
                        )
                    )
    return described


def looks_like_reference(text: str) -> bool:
    """A file name, a path or a lower-case slug; a title has spaces or capitals."""
    text = text.strip()
    if text.endswith((".md", ".markdown", ".mkd", ".mdown")) or "/" in text:
        return True
    return bool(re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)+", text))
