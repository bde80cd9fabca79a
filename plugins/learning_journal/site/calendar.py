"""The learning calendar: a year of posts as an SVG heatmap, made at build time.

The year ends on the newest post's date (not today), so the same content always builds the
same calendar. The SVG is built with ElementTree, so titles in tooltips are escaped; a
summary and a per-month count give the same facts as text.
"""

import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup

from .order import oldest_first

CELL = 13  # one day's square plus its gap, in SVG units
SQUARE = 11
LEFT = 30  # room for the weekday labels
TOP = 16  # room for the month labels
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}
CONTEXT_KEY = "learning_calendar"


@dataclass
class LearningCalendar:
    """One year of posting, ready for the archives page."""

    start: date
    end: date
    posts_by_day: dict = field(default_factory=dict)  # date -> list of articles
    longest_streak: int = 0  # consecutive weeks with at least one post
    current_streak: int = 0  # such weeks up to the newest post
    svg: Markup | None = None

    @property
    def post_count(self) -> int:
        return sum(len(posts) for posts in self.posts_by_day.values())

    @property
    def active_days(self) -> int:
        return len(self.posts_by_day)

    @property
    def months(self) -> list[tuple[str, int]]:
        """(month name and year, posts that month) for every month the calendar covers."""
        counts = Counter()
        for day, posts in self.posts_by_day.items():
            counts[(day.year, day.month)] += len(posts)
        months, cursor = [], date(self.start.year, self.start.month, 1)
        while cursor <= self.end:
            months.append((cursor.strftime("%B %Y"), counts[(cursor.year, cursor.month)]))
            cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        return months

    @property
    def summary(self) -> str:
        posts, days = self.post_count, self.active_days
        return (
            f"{posts} post{'s' if posts != 1 else ''} on {days} day{'s' if days != 1 else ''} "
            f"from {self.start:%-d %B %Y} to {self.end:%-d %B %Y}; "
            f"longest weekly streak {weeks(self.longest_streak)}, "
            f"current streak {weeks(self.current_streak)}."
        )


def weeks(count: int) -> str:
    return f"{count} week{'s' if count != 1 else ''}"


def week_streaks(active_weeks: set, first_week: date, last_week: date) -> tuple[int, int]:
    """(longest, current) runs of consecutive active weeks; weeks are their Mondays."""
    longest = run = 0
    week = first_week
    while week <= last_week:
        run = run + 1 if week in active_weeks else 0
        longest = max(longest, run)
        week += timedelta(days=7)
    return longest, run


def learning_calendar(articles) -> LearningCalendar | None:
    """The calendar of the year that ends on the newest post's day; None without posts."""
    if not articles:
        return None
    end = max(article.date for article in articles).date()
    start = end - timedelta(days=364)
    posts_by_day = defaultdict(list)
    for article in oldest_first(articles):
        day = article.date.date()
        if start <= day <= end:
            posts_by_day[day].append(article)
    first_monday = start - timedelta(days=start.weekday())
    last_monday = end - timedelta(days=end.weekday())
    active_weeks = {day - timedelta(days=day.weekday()) for day in posts_by_day}
    longest, current = week_streaks(active_weeks, first_monday, last_monday)
    calendar = LearningCalendar(start, end, dict(posts_by_day), longest, current)
    calendar.svg = render_svg(calendar, first_monday)
    return calendar


def level(count: int) -> int:
    return min(count, 3)


def render_svg(calendar: LearningCalendar, first_monday: date) -> Markup:
    """The heatmap: one column per week (Monday on top), darker squares for more posts.

    Empty days are one patterned area, not 365 elements, so the page stays small.
    """
    columns = (calendar.end - first_monday).days // 7 + 1
    width, height = LEFT + columns * CELL, TOP + 7 * CELL
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "calendar",
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": "calendar-title calendar-desc",
        },
    )
    ET.SubElement(svg, "title", {"id": "calendar-title"}).text = "Learning calendar"
    ET.SubElement(svg, "desc", {"id": "calendar-desc"}).text = calendar.summary
    pattern = ET.SubElement(
        ET.SubElement(svg, "defs"),
        "pattern",
        {
            "id": "calendar-day",
            "patternUnits": "userSpaceOnUse",
            "x": str(LEFT),
            "y": str(TOP),
            "width": str(CELL),
            "height": str(CELL),
        },
    )
    square(pattern, 0, 0, "day-0")
    # The year covers part of its first and last week and all the weeks between.
    first_row, last_row = calendar.start.weekday(), calendar.end.weekday()
    for column, top_row, span, rows in (
        (0, first_row, 1, 7 - first_row),
        (1, 0, columns - 2, 7),
        (columns - 1, 0, 1, last_row + 1),
    ):
        area = {"x": LEFT + column * CELL, "y": TOP + top_row * CELL}
        area |= {
            "width": span * CELL,
            "height": rows * CELL,
            "fill": "url(#calendar-day)",
        }
        ET.SubElement(svg, "rect", {key: str(value) for key, value in area.items()})
    for weekday, label in WEEKDAY_LABELS.items():
        text = ET.SubElement(svg, "text", {"x": "0", "y": str(TOP + weekday * CELL + SQUARE - 1)})
        text.text = label
    for column in range(columns - 2):  # no label squeezed against the right edge
        sunday = first_monday + timedelta(days=7 * column + 6)
        if sunday.day <= 7 and sunday - timedelta(days=sunday.day - 1) >= calendar.start:
            label = ET.SubElement(svg, "text", {"x": str(LEFT + column * CELL), "y": "11"})
            label.text = sunday.strftime("%b")
    for day, posts in sorted(calendar.posts_by_day.items()):
        column = (day - first_monday).days // 7
        cell = square(
            svg,
            LEFT + column * CELL,
            TOP + day.weekday() * CELL,
            f"day-{level(len(posts))}",
        )
        titles = "; ".join(post.title for post in posts)
        ET.SubElement(cell, "title").text = f"{day:%-d %B %Y}: {titles}"
    return Markup(ET.tostring(svg, encoding="unicode"))


def square(parent, x: int, y: int, css_class: str):
    return ET.SubElement(
        parent,
        "rect",
        {
            "x": str(x),
            "y": str(y),
            "width": str(SQUARE),
            "height": str(SQUARE),
            "rx": "2",
            "class": css_class,
        },
    )


def add_learning_calendar(article_generator) -> None:
    """article_generator_finalized: put the calendar in the shared template context."""
    article_generator.context[CONTEXT_KEY] = learning_calendar(article_generator.articles)
