"""Reading time in minutes: the rendering step's `reading_time` when it set one, else a
plain count of words at 220 a minute. The one place this number is computed."""

import math
import re

WORDS_PER_MINUTE = 220
TAG = re.compile(r"<[^>]+>")


def reading_time(article) -> int:
    minutes = getattr(article, "reading_time", None)
    if (
        isinstance(minutes, int | float)
        and not isinstance(minutes, bool)
        and minutes >= 1
    ):
        return int(minutes)
    text = TAG.sub(" ", getattr(article, "content", "") or "")
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))
