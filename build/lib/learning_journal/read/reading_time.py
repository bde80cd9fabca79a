"""Minutes a reader needs for a post: prose words at JOURNAL_WORDS_PER_MINUTE (220).

Code blocks are skimmed, not read word by word, so they are left out; a formula counts as
one word wherever it stands. Scripts and styles are not read at all.
"""

import html
import re

UNREAD = re.compile(r"<(pre|script|style|svg)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
FORMULA = re.compile(r"<math\b.*?</math\s*>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# Chinese and Japanese have no spaces between words; about two characters make a word.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(content: str) -> int:
    text = UNREAD.sub(" ", content)
    text = FORMULA.sub(" formula ", text)
    text = html.unescape(TAG.sub(" ", text))
    cjk = len(CJK.findall(text))
    return len(WORD.findall(CJK.sub(" ", text))) + (cjk + 1) // 2


def reading_time(content: str, settings) -> int:
    """Whole minutes, never less than one."""
    per_minute = settings.get("JOURNAL_WORDS_PER_MINUTE") or 220
    return max(1, round(word_count(content) / per_minute))
