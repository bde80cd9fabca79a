"""Dates as authors write them, and a stable date for posts that have none."""

import datetime
import os
import re
import subprocess
from zoneinfo import ZoneInfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import get_date

# What Python says of a date that cannot exist, in the author's words.
IMPOSSIBLE = (
    ("day is out of range", "that month has no such day"),
    ("month must be in", "months go from 1 to 12"),
    ("hour must be in", "hours go from 0 to 23"),
    ("minute must be in", "minutes go from 0 to 59"),
    ("second must be in", "seconds go from 0 to 59"),
    ("year 0 is out of range", "years start at 1"),
    ("offset must be", "a time zone offset lies between -23:59 and +23:59"),
)
# A date this near the ends of Python's calendar overflows when put in a time zone.
EARLIEST = datetime.datetime.min + datetime.timedelta(days=2)
LATEST = datetime.datetime.max - datetime.timedelta(days=2)


def parse_date(value) -> datetime.datetime:
    """A datetime from YAML dates, ISO 8601 (fractions, `Z`, offsets) or free forms like
    `2015-05-03 6:00 pm`. Raises ValueError, with the reason in the author's words when there
    is one (`2020-02-30`: that month has no such day), when the value is not a usable date."""
    if isinstance(value, datetime.datetime):
        return usable(value)
    if isinstance(value, datetime.date):
        return usable(datetime.datetime(value.year, value.month, value.day))
    if not isinstance(value, str) or not value.strip():
        raise ValueError("")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return usable(datetime.datetime.fromisoformat(text))
    except ValueError as error:
        reason = next((words for python, words in IMPOSSIBLE if python in str(error)), "")
    if reason:  # ISO 8601 in form, impossible in fact: no free-form guess can do better
        raise ValueError(reason)
    try:
        moment = get_date(text.replace("_", " "))
    except (ValueError, OverflowError, TypeError):
        raise ValueError("") from None
    return usable(moment)


def usable(moment: datetime.datetime) -> datetime.datetime:
    """`moment` if it can be placed in any time zone and compared, else ValueError."""
    try:
        moment.utcoffset()  # dateutil accepts offsets of 24 hours and more; Python does not
    except ValueError:
        raise ValueError("a time zone offset lies between -23:59 and +23:59") from None
    if not EARLIEST <= moment.replace(tzinfo=None) <= LATEST:
        raise ValueError("too near year 1 or year 9999 to be placed in a time zone")
    return moment


FILE_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


def file_name_date(path: str, timezone: str) -> datetime.datetime | None:
    """Jekyll's `2019-08-10-welcome.md`: the date in the file's name, at midnight in TIMEZONE."""
    match = FILE_NAME_DATE.match(os.path.basename(path))
    if match is None:
        return None
    try:
        return datetime.datetime(*map(int, match.groups()), tzinfo=ZoneInfo(timezone))
    except ValueError:  # 2019-13-45: not a date after all
        return None


def take_over_file_name_dates(pelican) -> None:
    """initialized: Pelican's default FILENAME_METADATA reads the same date, but stops on a name
    that only looks like one (2019-13-45-...) and skips the post; the reader does it instead."""
    if pelican.settings.get("FILENAME_METADATA") == DEFAULT_CONFIG["FILENAME_METADATA"]:
        pelican.settings["FILENAME_METADATA"] = r"(?!)"  # matches no name


def first_commit_date(path: str) -> datetime.datetime | None:
    """When git first saw the file: the same on every rebuild and in every clone."""
    folder, name = os.path.split(os.path.abspath(path))
    try:
        result = subprocess.run(
            ["git", "log", "--follow", "--diff-filter=A", "--format=%aI", "--", name],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    stamps = result.stdout.split()
    if result.returncode != 0 or not stamps:
        return None
    return datetime.datetime.fromisoformat(stamps[-1])


def modification_date(path: str, timezone: str) -> datetime.datetime:
    """The file's mtime, to the second, in the site's timezone."""
    stamp = int(os.stat(path).st_mtime)
    return datetime.datetime.fromtimestamp(stamp, ZoneInfo(timezone))


def missing_date(path: str, policy: str, timezone: str) -> tuple[datetime.datetime | None, str]:
    """The date a dateless post gets under JOURNAL_MISSING_DATE, and where it came from."""
    if policy == "error":
        return None, "error"
    if policy == "git":
        committed = first_commit_date(path)
        if committed is not None:
            return committed, "its first git commit"
    return modification_date(path, timezone), "the file's modification time"
