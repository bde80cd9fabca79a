"""Reading time in minutes for series pages: the rendering step's `reading_time` when the
post has one, else a plain count of words at 220 a minute (rounded, at least one)."""

import re

WORDS_PER_MINUTE = 220
TAG = re.compile(r"<[^>]+>")


def reading_time(article) -> int:
    minutes = getattr(article, "reading_time", None)
    if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes >= 1:
        return int(minutes)
    text = TAG.sub(" ", getattr(article, "content", "") or "")
    return max(1, round(len(text.split()) / WORDS_PER_MINUTE))
