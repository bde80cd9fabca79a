"""Site, series and tag feeds: one table of what is followed, one loop that writes every feed.

Pelican writes its feeds with one copy of the code per kind and ids made from dates; here a
feed is plain data (feed_formats.Feed) planned from the build's context, and each entry's id
comes from the post's source file, so it survives rebuilds, clones and edits of date or title.
"""

import html
import logging
import os
import re
import shutil
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from pelican.utils import sanitised_join

from ..build.background import BackgroundTasks, can_fork
from ..build.build_cache import cache_for, output_cache_folder
from ..build.writer import write_output
from ..build_state import build_state
from ..problems import Problem
from ..site.order import newest_first, oldest_first
from ..site.urls import display, site_url_of
from .feed_formats import Entry, Feed, feed_formats_of
from .feed_html import feed_html, plain_text

logger = logging.getLogger(__name__)
BACKGROUND_WORTH_IT = 12  # feeds to make below which a forked process costs more than it saves

# Pelican's own feed settings: all forced off, so no Pelican feed can take one of our paths.
PELICAN_FEED_SETTINGS = (
    "FEED_ATOM",
    "FEED_RSS",
    "FEED_ALL_ATOM",
    "FEED_ALL_RSS",
    "CATEGORY_FEED_ATOM",
    "CATEGORY_FEED_RSS",
    "AUTHOR_FEED_ATOM",
    "AUTHOR_FEED_RSS",
    "TAG_FEED_ATOM",
    "TAG_FEED_RSS",
    "TRANSLATION_FEED_ATOM",
    "TRANSLATION_FEED_RSS",
)
URI_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")


@dataclass(frozen=True)
class FeedLink:
    """What a page needs for <link rel="alternate" type=... title=... href=...>."""

    title: str
    type: str
    url: str
    label: str  # the format's name, for visible links ("Atom")


@dataclass
class Subject:
    """What one group of feeds follows: the whole site, one series or one tag."""

    owner: object  # the Series or Tag whose page links these feeds; None for the site
    folder: str  # "", "series/<slug>/", "tags/<slug>/"
    title: str
    description: str
    home_path: str
    articles: list  # in feed order
    limit: int | None = None
    part_labels: dict | None = None  # id(article) -> "Part 2 of 5", for a series


def site_subjects(context, settings) -> Iterable[Subject]:
    name = settings.get("SITENAME") or "Blog"
    yield Subject(
        owner=None,
        folder="",
        title=name,
        description=settings.get("SITESUBTITLE") or f"The latest posts of {name}",
        home_path="",
        articles=newest_first(context.get("articles") or []),
        limit=settings.get("FEED_MAX_ITEMS"),
    )


def series_subjects(context, settings) -> Iterable[Subject]:
    """A series is finite: its feeds hold every published part, the latest part first."""
    site_name = settings.get("SITENAME") or "Blog"
    for series in context.get("series_list") or []:
        parts = list(series.parts)
        if not parts:
            continue
        labels = {id(article): f"Part {number} of {len(parts)}" for number, article in enumerate(parts, 1)}
        description = plain_text(getattr(series, "description", "") or "")
        yield Subject(
            owner=series,
            folder=series.url,
            title=series.name,
            description=description or f"Every part of the series {series.name} on {site_name}",
            home_path=series.url,
            articles=list(reversed(parts)),
            part_labels=labels,
        )


def tag_subjects(context, settings) -> Iterable[Subject]:
    site_name = settings.get("SITENAME") or "Blog"
    tags = sorted(context.get("tags") or [], key=lambda pair: pair[0].slug)
    for tag, articles in tags:
        if not tag.slug:  # Pelican writes no page for such a tag either
            continue
        yield Subject(
            owner=tag,
            folder=f"tags/{tag.slug}/",  # fixed by design, whatever TAG_URL says
            title=f"{site_name}: {tag.name}",
            description=f"Posts tagged {tag.name} on {site_name}",
            home_path=tag.url,
            articles=newest_first(articles),
            limit=settings.get("FEED_MAX_ITEMS"),
        )


# What is followed; its formats are the rows of the feed file table (site/feed_files.py)
# that name it.
FOLLOWED_SUBJECTS = (
    ("site", site_subjects),
    ("series", series_subjects),
    ("tag", tag_subjects),
)


def planned_feeds(context, settings):
    """(subject, format) for every feed of the build, in a fixed order."""
    for followed, subjects in FOLLOWED_SUBJECTS:
        formats = feed_formats_of(followed)
        for subject in subjects(context, settings):
            for feed_format in formats:
                yield subject, feed_format


def feed_path(subject: Subject, feed_format) -> str:
    return subject.folder + feed_format.file_name


def feed_link(subject: Subject, feed_format, settings) -> FeedLink:
    return FeedLink(
        title=f"{subject.title} ({feed_format.label})",
        type=feed_format.media_type,
        url=f"{site_url_of(settings)}/{feed_path(subject, feed_format)}",
        label=feed_format.label,
    )


def attach_feed_links(generators) -> None:
    """Give templates their feed links, computed here once the series model is built.

    context["site_feed_links"]: the site feeds, for every page. `series.feed_links` and
    `tag.feed_links`: that page's own feeds. `article.feed_links`: the feeds of every series
    the post belongs to, its primary series first (empty for a post in no series).
    """
    context, settings = generators[0].context, generators[0].settings
    context["site_feed_links"] = []
    owners_done = set()
    for subject, feed_format in planned_feeds(context, settings):
        link = feed_link(subject, feed_format, settings)
        owner = subject.owner
        if owner is None:
            context["site_feed_links"].append(link)
            continue
        if id(owner) not in owners_done:
            owners_done.add(id(owner))
            owner.feed_links = []
        owner.feed_links.append(link)
    for article in context.get("articles") or []:
        navigations = getattr(article, "series_all", None) or []
        article.feed_links = [
            link for navigation in navigations for link in getattr(navigation.series, "feed_links", [])
        ]


def entry_ids(articles, settings) -> dict:
    """id(article) -> (entry id, is it the post's URL), unique across the site.

    An `id` written in front matter is kept (a path becomes an absolute URL; a bare value
    such as `42` becomes a stable urn:uuid). Otherwise the id is a uuid5 of the site's host
    and the post's source path: not its date, title, slug, mtime or the build time.
    """
    site_url = site_url_of(settings)
    site_key = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", site_url)
    report = build_state(settings).report
    ids, taken = {}, {}
    for article in oldest_first(articles):
        source = article.relative_source_path.replace(os.sep, "/")
        derived = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site_key}/{source}')}"
        entry_id = explicit_id(article.metadata.get("id"), site_url) or derived
        if entry_id in taken:
            report.warn(
                article.source_path,
                Problem(
                    display(article, settings),
                    None,
                    "id",
                    f"the feed id {entry_id} is already used by {taken[entry_id]}; "
                    "this post gets its own id instead: give each post a different id",
                    code="feed-id-clash",
                ),
            )
            entry_id = derived
        taken[entry_id] = display(article, settings)
        ids[id(article)] = (entry_id, entry_id == f"{site_url}/{article.url}")
    return ids


def explicit_id(value, site_url: str) -> str | None:
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = str(value).strip()
    if not text:
        return None
    if URI_SCHEME.match(text):
        return text
    if text.startswith("/") and " " not in text:
        return site_url + text
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site_url}/#id={text}')}"


def entry_of(article, settings, ids) -> Entry:
    """The feed entry of one post; its content and summary with absolute links, no scripts."""
    site_url = site_url_of(settings)
    url = f"{site_url}/{article.url}"
    content = feed_html(article.get_content(site_url), url)
    # The author's description (plain text) when there is one; the listing summary otherwise.
    description = getattr(article, "description", None)
    if description:
        summary = html.escape(str(description), quote=False)
    else:
        summary = feed_html(article.get_summary(site_url), url)
    published = article.date
    modified = getattr(article, "modified", None) or published
    entry_id, id_is_url = ids[id(article)]
    return Entry(
        id=entry_id,
        id_is_url=id_is_url,
        url=url,
        title=article.title,
        content=content,
        summary=summary,
        published=published,
        updated=max(published, modified),
        authors=tuple(str(author) for author in getattr(article, "authors", None) or []),
        categories=tuple(str(tag) for tag in getattr(article, "tags", None) or []),
    )


def chosen_articles(subject: Subject) -> list:
    return subject.articles[: subject.limit] if subject.limit else subject.articles


class FeedEntries:
    """Each post's entry, made when a feed first shows it and dropped after the last one that does.

    Entries hold the post's whole content as feed HTML: kept for every post at once, they were
    the largest use of memory of a build. Most posts are shown by one series' feeds only.
    """

    def __init__(self, plans, articles, settings):
        self.settings = settings
        self.ids = entry_ids(articles, settings)
        self.uses = Counter(id(article) for _, _, chosen in plans for article in chosen)
        self.entries = {}

    def entry(self, article) -> Entry:
        if id(article) not in self.entries:
            self.entries[id(article)] = entry_of(article, self.settings, self.ids)
        return self.entries[id(article)]

    def done_with(self, chosen) -> None:
        for article in chosen:
            self.uses[id(article)] -= 1
            if self.uses[id(article)] <= 0:
                self.entries.pop(id(article), None)


def feed_of(subject: Subject, feed_format, chosen, entries: FeedEntries, settings) -> Feed:
    """One feed as plain data; a series feed titles its entries "Part n of N: ..."."""
    site_url = site_url_of(settings)
    feed_entries = []
    for article in chosen:
        entry = entries.entry(article)
        if subject.part_labels is not None:
            entry = replace(entry, title=f"{subject.part_labels[id(article)]}: {entry.title}")
        feed_entries.append(entry)
    return Feed(
        path=feed_path(subject, feed_format),
        url=f"{site_url}/{feed_path(subject, feed_format)}",
        home_url=f"{site_url}/{subject.home_path}",
        title=subject.title,
        description=subject.description,
        language=settings.get("DEFAULT_LANG") or "",
        author=settings.get("AUTHOR") or settings.get("SITENAME") or "",
        entries=tuple(feed_entries),
    )


class FeedGenerator:
    """Writes every feed once all pages are planned; a path written twice is reported, not overwritten.

    With the page memo (page_memo.py), a feed whose posts' bodies and faces did not change
    keeps its file and is not made again. In a build that read most posts anew (the first one,
    a new setting or version), the feeds are made by a forked process on another core while
    Pelican writes the posts (background.py), into a folder of the build cache; this generator
    then writes them in its turn.
    """

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path
        self.plans = None  # (subject, format, chosen posts, path, first with that path), in order
        self.entries = None
        self.background = None  # BackgroundTasks making every feed into self.made_in
        self.made_in = None

    def plan(self) -> None:
        """The feeds of this build, and each post's entry id (clashes are reported here, once)."""
        plans, paths = [], set()
        for subject, feed_format in planned_feeds(self.context, self.settings):
            path = feed_path(subject, feed_format)
            plans.append((subject, feed_format, chosen_articles(subject), path, path not in paths))
            paths.add(path)
        self.plans = plans
        self.entries = FeedEntries(
            [(subject, form, chosen) for subject, form, chosen, *_ in plans],
            self.context.get("articles") or [],
            self.settings,
        )

    def start_making(self) -> None:
        """Writing begins: make every feed on another core when they will all be made."""
        cache = cache_for(self.settings)
        if cache is not None and cache.fresh_reads * 2 < len(self.context.get("articles") or []):
            return  # most posts as they were: most feeds are kept by the page memo
        if len(self.plans) < BACKGROUND_WORTH_IT or not can_fork(self.settings):
            return
        # Emptied first: what a crashed build left goes too.
        self.made_in = str(output_cache_folder(self.settings, "feeds", self.output_path))
        shutil.rmtree(self.made_in, ignore_errors=True)
        os.makedirs(self.made_in)
        self.background = BackgroundTasks(self.make_into_folder, list(range(len(self.plans))))

    def make(self, subject, feed_format, chosen, entries) -> bytes:
        return feed_format.render(feed_of(subject, feed_format, chosen, entries, self.settings)).encode("utf-8")

    def make_into_folder(self, number: int) -> None:
        """In the forked process: one feed into its numbered file, its posts' entries then let go."""
        subject, feed_format, chosen, _, first = self.plans[number]
        if first:
            with open(os.path.join(self.made_in, str(number)), "wb") as handle:
                handle.write(self.make(subject, feed_format, chosen, self.entries))
        self.entries.done_with(chosen)

    def made_elsewhere(self, number: int) -> bytes | None:
        if self.background is None or self.background.results()[number] is None:
            return None
        with open(os.path.join(self.made_in, str(number)), "rb") as handle:
            return handle.read()

    def generate_output(self, writer):
        if not re.match(r"^https?://", self.settings.get("SITEURL") or ""):
            logger.warning(
                "SITEURL is %r: feeds need an absolute address such as https://example.org; "
                "set SITEURL (or JOURNAL_SITEURL for publishconf.py)",
                self.settings.get("SITEURL"),
            )
        if self.plans is None:
            self.plan()
        memo_for = getattr(writer, "memo_for", None)
        memo = memo_for(self.context) if memo_for else None
        try:
            for number, (subject, feed_format, chosen, path, first) in enumerate(self.plans):
                if not first:
                    logger.error("Two feeds share the path %s; only the first is written", path)
                else:
                    key = memo.key("feed", path, feed_format.file_name) if memo else None
                    data = memo.kept_output(key, path) if memo else None
                    if data is None:
                        data = self.made_elsewhere(number) or self.make(subject, feed_format, chosen, self.entries)
                        if memo:
                            memo.remember(key, chosen, data)
                    self.write(writer, path, data)
                self.entries.done_with(chosen)
        finally:
            if self.made_in:
                shutil.rmtree(self.made_in, ignore_errors=True)

    def write(self, writer, path: str, data: bytes) -> None:
        target = sanitised_join(self.output_path, path)
        write_output(writer, target, data)
        logger.info("Writing %s", target)


def plan_feeds(generators) -> None:
    """all_generators_finalized, once the site is settled: plan the feeds; when writing begins,
    they may be made on another core."""
    for generator in generators:
        if isinstance(generator, FeedGenerator):
            generator.plan()
            build_state(generator.settings).when_writing.append(generator.start_making)


def switch_off_pelican_feeds(pelican) -> None:
    """Pelican's own feeds would clash with ours (and its author/category feeds with each other)."""
    settings = pelican.settings
    switched = [f"{key}={settings[key]!r}" for key in PELICAN_FEED_SETTINGS if settings.get(key)]
    for key in PELICAN_FEED_SETTINGS:
        settings[key] = None
    if switched:
        logger.warning(
            "Pelican's own feeds are switched off (%s): learning-journal writes the site, "
            "series and tag feeds itself (see the README, section Feeds)",
            ", ".join(switched),
        )
