"""Dates as authors write them, and a stable date for posts that have none."""

import datetime
import os
import re
import subprocess
from zoneinfo import ZoneInfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import get_date


def parse_date(value) -> datetime.datetime:
    """A datetime from YAML dates, ISO 8601 (fractions, `Z`, offsets) or free forms like
    `2015-05-03 6:00 pm`. Raises ValueError when the value is not a date."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return get_date(text.replace("_", " "))
    except (ValueError, OverflowError, TypeError):
        raise ValueError(value) from None


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
