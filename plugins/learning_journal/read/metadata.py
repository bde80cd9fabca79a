"""The front-matter table: every key an author may write, what it becomes, and how.

One table (`FRONT_MATTER`), one loop (`normalise`). A converter returns the value in the
form Pelican expects, or raises `Unusable` with what to write instead; the key is then
dropped with a warning and the post is still read.
"""

import difflib
import html
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican.contents import Article, Page
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from ..problems import Problem
from .dates import parse_date

MAX_NAME = 100  # a tag or series name becomes a folder name: keep it well under 255 bytes
MAX_SEGMENT = 200  # bytes in one folder or file name of a path (file systems allow 255)
MAX_PATH = 500  # bytes in a whole permalink: deeper paths help nobody and break file systems
MAX_SLUG = 80  # characters in a slug made from a title or name; URLs this long help nobody
# Characters HTML and XML forbid in text: C0 and C1 controls but tab and line ends, and the 66
# noncharacters (U+FDD0..U+FDEF, the last two code points of every plane). YAML escapes such as
# "\0" or "\U0002FFFE" can put them into a value.
PLANES = range(0, 0x110000, 0x10000)
ASTRAL_NONCHARACTERS = "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in PLANES[1:])
NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + ASTRAL_NONCHARACTERS
# Searched in every source file and feed entry: a class naming the 32 astral noncharacters one
# by one makes `re` test each of them at every character (8 times slower on a post). So the
# class takes everything from U+1FFFE up, and the lookbehind lets go of what is not one of them.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
    f"(?<![\U0001fffe-\U0010ffff](?<![{ASTRAL_NONCHARACTERS}]))"
)


class Unusable(ValueError):
    """A value that cannot be used; the message says what to write instead."""


@dataclass
class Normalised:
    """The metadata Pelican gets, and what was wrong on the way."""

    metadata: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    unreadable_date: Problem | None = None  # a date was written but is no date


def describe(value) -> str:
    """How a wrong value reads in a message: 'a list of 2 items', 'the number 5'."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return f"a mapping of {len(value)} key{'s' if len(value) != 1 else ''}"
    if value is None:
        return "nothing"
    if isinstance(value, datetime | date):
        return f"the date {value.isoformat()}"
    return f"'{value}'"


def one_line(text: str) -> str:
    """Text on one line, without the control characters no page or feed may carry."""
    return " ".join(CONTROL_CHARACTERS.sub("", text).split())


def shorten_slug(slug: str) -> str:
    """A slug that fits a file name: at most MAX_SLUG characters and MAX_SEGMENT bytes, cut
    at a word. Names spelled in other scripts grow when Pelican transliterates them."""
    if len(slug) <= MAX_SLUG and len(slug.encode()) <= MAX_SEGMENT:
        return slug
    cut = slug[:MAX_SLUG]
    while len(cut.encode()) > MAX_SEGMENT:
        cut = cut[:-1]
    return cut.rsplit("-", 1)[0].strip("-") or cut


def as_text(value, key: str) -> str:
    """A name or a title: text, numbers read as text."""
    if isinstance(value, str):
        text = one_line(value)
        if text:
            return text
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    elif isinstance(value, date):
        return value.isoformat()
    raise Unusable(f"'{key}' must be text, got {describe(value)}; write {key}: Some text")


def as_title(value, key):
    return as_text(value, key)


def as_name(value, key):
    """A series name: text only, since `series: 5` is more likely a part number than a name."""
    if isinstance(value, str) and one_line(value):
        name = one_line(value)
        if len(name) > MAX_NAME:
            raise Unusable(f"'{key}' is {len(name)} characters long; keep it under {MAX_NAME}")
        return name
    raise Unusable(f"'{key}' must be a name (text), got {describe(value)}; write {key}: Name of the series")


def as_names(value, key) -> list[str]:
    """A YAML list, or a comma-separated string (semicolons win when present, as in Pelican)."""
    if isinstance(value, str):
        separator = ";" if ";" in value else ","
        items = value.split(separator)
    elif isinstance(value, list):
        items = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        items = [str(value)]
    else:
        raise Unusable(f"'{key}' must be a list of names, got {describe(value)}; write {key}: [first, second]")
    names = []
    for item in items:
        if isinstance(item, bool) or isinstance(item, dict | list) or item is None:
            raise Unusable(
                f"'{key}' must be a list of names, one item is {describe(item)}; write {key}: [first, second]"
            )
        name = one_line(str(item))
        if len(name) > MAX_NAME:
            raise Unusable(f"'{key}' has a name of {len(name)} characters; keep each under {MAX_NAME}")
        if name and name not in names:
            names.append(name)
    return names


def as_series_names(value, key) -> list[str]:
    """One series name, or a list of them: the first is the primary series."""
    if isinstance(value, list):
        return [as_name(item, key) for item in value]
    return [as_name(value, key)]


def as_position(value, key):
    """A part number: 1, 2, 2.5 ("part 2.5" goes between 2 and 3)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            pass
        else:
            return int(number) if number.is_integer() else number
    raise Unusable(f"'{key}' must be a number, got {describe(value)}; write {key}: 3")


class UnreadableDate(Unusable):
    """A date key whose value is no date: the post is dated as if it had none (reader.py)."""


def as_date(value, key):
    try:
        return parse_date(value)
    except ValueError as error:
        written = f"'{value.isoformat()}'" if isinstance(value, date) else describe(value)  # YAML read it
        reason = f": {error}" if str(error) else ""
        raise UnreadableDate(
            f"'{key}' is not a date ({written}{reason}); write {key}: 2024-05-25 or 2024-05-25T14:30:00+02:00"
        ) from None


def as_published(value, key):
    """Jekyll's `published: false` hides a post; other engines put a date there."""
    if isinstance(value, bool):
        return {"status": None if value else "draft"}
    if isinstance(value, str) and value.strip().lower() in {"false", "no", "off"}:
        return {"status": "draft"}
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "on"}:
        return {"status": None}
    return {"date": as_date(value, key)}


def as_draft(value, key):
    if isinstance(value, bool):
        return "draft" if value else None
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "on", "false", "no", "off"}:
        return "draft" if value.strip().lower() in {"true", "yes", "on"} else None
    raise Unusable(f"'{key}' must be true or false, got {describe(value)}; write {key}: true")


STATUSES = {
    "published": "published",
    "publish": "published",
    "public": "published",
    "live": "published",
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
    "future": "draft",
    "hidden": "hidden",
    "unlisted": "hidden",
    "skip": "skip",
}


def as_status(value, key):
    status = STATUSES.get(str(value).strip().lower()) if isinstance(value, str) else None
    if status is None:
        raise Unusable(
            f"'{key}' must be one of published, draft, hidden, got {describe(value)}; "
            "the post is kept as a draft until you fix it"
        )
    return status


def as_plain_summary(value, key):
    """Plain text: as written for the meta description and feeds, escaped once for listings."""
    text = as_text(value, key)
    return {"description": text, "summary": html.escape(text, quote=False)}


def as_category(value, key):
    if isinstance(value, list):
        names = as_names(value, key)
        if not names:
            raise Unusable(f"'{key}' is an empty list; write {key}: Name")
        return names[0]
    return as_text(value, key)


def as_authors(value, key) -> list[str]:
    """A name, a list of names, or Jekyll's mapping with a `name`."""
    if isinstance(value, dict) and "name" in value:
        value = value["name"]
    names = as_names(value, key) if isinstance(value, list) else [as_text(value, key)]
    if not names:
        raise Unusable(f"'{key}' is empty; write {key}: Your Name")
    return names


SAFE_SLUG = re.compile(r"^[\w.~-]+$")


def as_slug(value, key):
    text = as_text(value, key)
    if SAFE_SLUG.match(text) and text.strip(".") and len(text.encode()) <= MAX_SEGMENT:
        return text
    cleaned = shorten_slug(slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]))
    if len(text.encode()) > MAX_SEGMENT:
        raise Unusable(
            f"'{key}' is {len(text.encode())} bytes long; keep it under {MAX_SEGMENT}, e.g. {key}: {cleaned}"
        )
    if not cleaned:
        raise Unusable(f"'{key}' has no usable characters; write {key}: my-post")
    raise Unusable(f"'{key}' may only hold letters, digits, '-', '_', '.' and '~'; write {key}: {cleaned}")


def safe_site_path(value, key) -> str:
    """An URL path inside the site, without leading slash; refuses anything that could leave
    the output folder or point at another host."""
    if not isinstance(value, str) or not value.strip():
        raise Unusable(f"'{key}' must be a path such as /my-post/, got {describe(value)}")
    text = value.strip()
    decoded = unquote(unquote(text))
    if "\\" in decoded or any(ord(ch) < 32 for ch in decoded):
        raise Unusable(f"'{key}' may not contain backslashes or control characters; write {key}: /my-post/")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text) or text.startswith("//"):
        raise Unusable(f"'{key}' must be a path on this site, not a full address; write {key}: /my-post/")
    segments = [segment for segment in decoded.split("/") if segment]
    if any(segment in {".", ".."} for segment in segments):
        raise Unusable(f"'{key}' may not contain '.' or '..' segments; write {key}: /my-post/")
    unknown = [word for word in PLACEHOLDER.findall(decoded) if word not in PLACEHOLDERS]
    if unknown:
        raise Unusable(
            f"'{key}' uses the placeholder :{unknown[0]}, which is not one of "
            + ", ".join(f":{name}" for name in sorted(PLACEHOLDERS))
            + "; write the final path"
        )
    if any(len(segment.encode()) > MAX_SEGMENT for segment in segments):
        raise Unusable(f"'{key}' has a path segment longer than {MAX_SEGMENT} bytes; shorten it")
    if len("/".join(segments).encode()) > MAX_PATH:
        raise Unusable(f"'{key}' is longer than {MAX_PATH} bytes; shorten it")
    if not segments:
        raise Unusable(f"'{key}' points at the home page; write {key}: /my-post/")
    path = posixpath.normpath("/".join(segments))
    if text.endswith("/") or not ("." in segments[-1] or ":output_ext" in segments[-1]):
        return path + "/"
    return path


# Jekyll and Hugo permalink placeholders, filled in once the post's date and slug are known.
PLACEHOLDER = re.compile(r":([a-z_]+)")
PLACEHOLDERS = {
    "year": lambda post: f"{post['date']:%Y}",
    "short_year": lambda post: f"{post['date']:%y}",
    "month": lambda post: f"{post['date']:%m}",
    "i_month": lambda post: str(post["date"].month),
    "monthname": lambda post: f"{post['date']:%B}".lower(),
    "day": lambda post: f"{post['date']:%d}",
    "i_day": lambda post: str(post["date"].day),
    "hour": lambda post: f"{post['date']:%H}",
    "minute": lambda post: f"{post['date']:%M}",
    "second": lambda post: f"{post['date']:%S}",
    "title": lambda post: post["slug"],
    "slug": lambda post: post["slug"],
    "filename": lambda post: post["stem"],
    "name": lambda post: post["stem"],
    "contentbasename": lambda post: post["stem"],
    "slugorfilename": lambda post: post["slug"],
    "slugorcontentbasename": lambda post: post["slug"],
    "categories": lambda post: post["category"],
    "section": lambda post: post["category"],
    "output_ext": lambda post: ".html",
}


def fill_placeholders(path: str, post: dict) -> str:
    """`/blog/:year/:slug/` with this post's values; the result is checked like any path."""
    return PLACEHOLDER.sub(lambda match: PLACEHOLDERS[match.group(1)](post), path)


# What a link cannot hold as it is (letters of any script it can): a space, quotes, < > and &
# (Pelican pastes URLs into content HTML unescaped), ? or # that would start a query or a fragment.
URL_UNSAFE = re.compile(r"[\x00-\x20\"#%&'<>?\\^`{|}\x7f]")


def url_of(path: str) -> str:
    """A file's path as it goes into a link: `my post/` is linked as `my%20post/`."""
    return URL_UNSAFE.sub(lambda match: quote(match.group()), path)


def as_permalink(value, key):
    """`/old/path` keeps old links working: written as /old/path/index.html."""
    path = safe_site_path(value, key)
    save_as = path + "index.html" if path.endswith("/") else path
    return {"url": url_of(path), "save_as": save_as}


def as_save_as(value, key):
    """Pelican's own `save_as`: the file to write; the post's URL is that file's address."""
    permalink = as_permalink(value, key)
    save_as = permalink["save_as"]
    folder, _, name = save_as.rpartition("/")
    url = (folder + "/" if folder else "") if name == "index.html" else save_as
    return {"url": url_of(url) or None, "save_as": save_as}


def as_aliases(value, key):
    paths = value if isinstance(value, list) else [value]
    return [safe_site_path(path, key) for path in paths]


LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$")


def as_language(value, key):
    """Pelican compares and formats `lang`: it must be a language tag such as en or pt-BR."""
    if isinstance(value, str) and LANGUAGE_TAG.match(value.strip()):
        return value.strip()
    raise Unusable(f"'{key}' must be a language tag such as en or pt-BR, got {describe(value)}")


def as_timezone(value, key):
    """Pelican builds a ZoneInfo from `timezone`; an unknown name would stop the build."""
    try:
        ZoneInfo(value)
    except (TypeError, ValueError, ZoneInfoNotFoundError):
        raise Unusable(f"'{key}' must be a time zone name such as Europe/Paris, got {describe(value)}") from None
    return value


def as_date_format(value, key):
    if isinstance(value, str) and value.strip():
        return value
    raise Unusable(f"'{key}' must be a strftime pattern such as '%d %B %Y', got {describe(value)}")


def ignore(value, key):
    return None


# front matter key (lower case) -> (what it becomes, converter). Earlier rows win when two
# keys give the same thing (`date` beats `published`); list-valued targets are merged.
FRONT_MATTER = {
    "title": ("title", as_title),
    "date": ("date", as_date),
    "published": ("published", as_published),
    "pubdate": ("date", as_date),
    "publishdate": ("date", as_date),
    "created": ("date", as_date),
    "updated": ("modified", as_date),
    "modified": ("modified", as_date),
    "lastmod": ("modified", as_date),
    "last_modified_at": ("modified", as_date),
    "updateddate": ("modified", as_date),
    "series": ("series", as_series_names),
    "series_index": ("series_index", as_position),
    "series_order": ("series_index", as_position),
    "series_weight": ("series_index", as_position),
    "part": ("series_index", as_position),
    "tags": ("tags", as_names),
    "keywords": ("tags", as_names),
    "keyword": ("tags", as_names),
    "category": ("category", as_category),
    "categories": ("category", as_category),
    "description": ("description", as_plain_summary),
    "summary": ("summary", as_plain_summary),
    "excerpt": ("summary", as_plain_summary),
    "author": ("authors", as_authors),
    "authors": ("authors", as_authors),
    "slug": ("slug", as_slug),
    "permalink": ("permalink", as_permalink),
    "url": ("permalink", as_permalink),
    "save_as": ("permalink", as_save_as),
    "aliases": ("aliases", as_aliases),
    "redirect_from": ("aliases", as_aliases),
    "draft": ("draft", as_draft),
    "status": ("status", as_status),
    "lang": ("lang", as_language),
    "timezone": ("timezone", as_timezone),
    "date_format": ("date_format", as_date_format),
    "layout": (None, ignore),
}
MERGED = {"tags", "aliases", "authors"}
# Keys read elsewhere (the reader, feeds, notebooks, Liquid, the theme): known, never "did you mean".
READ_ELSEWHERE = {"toc", "template", "id", "excerpt_separator", "liquid", "image", "jupyter", "kernelspec"}
# A key that differs from a known one by this little is taken for a typo of it.
TYPO_SIMILARITY = 0.85


def squashed(key) -> str:
    """A key without what tools spell differently: case, `_`, `-`, spaces, camelCase humps."""
    return re.sub(r"[\s_-]+", "", str(key)).lower()


# The one rule: an author's key is a row of the table when the two squash to the same letters,
# so `seriesOrder`, `series-order` and `Series Order` are `series_order`, `lastMod` is `lastmod`.
KNOWN_SPELLINGS = {squashed(key): key for key in FRONT_MATTER}


def known_key(key) -> str:
    """The table's row for an author's key, or the key in lower case (as templates get it)."""
    return KNOWN_SPELLINGS.get(squashed(key), str(key).strip().lower())


def close_known_key(key: str) -> str | None:
    """The table's key an unknown key is probably a typo of (`serie`, `seris_order`, `tittle`)."""
    if key in READ_ELSEWHERE or len(key) < 4:
        return None
    found = difflib.get_close_matches(squashed(key), list(KNOWN_SPELLINGS), n=1, cutoff=TYPO_SIMILARITY)
    return KNOWN_SPELLINGS[found[0]] if found else None
# Names Pelican's content objects use for themselves: an author's key must not replace them.
RESERVED = {
    "content",
    "settings",
    "source_path",
    "relative_source_path",
    "metadata",
    "translations",
    "in_default_lang",
    "override_url",
    "override_save_as",
    "get_content",
    "reader",
    "path",  # Pelican's {path} in URL patterns
} | {
    # Every attribute, property and method of Pelican's Article and Page (url_format,
    # mandatory_properties, filename, is_valid ...): a value there stops the whole build.
    name
    for cls in (*Article.__mro__, *Page.__mro__)
    for name in vars(cls)
    if not name.startswith("_") and name not in FRONT_MATTER
}


def normalise(raw: dict, key_lines: dict, path: str) -> Normalised:
    """Turn an author's front matter into Pelican metadata, collecting every problem."""
    result = Normalised()
    found = {}
    for original_key, value in raw.items():
        key = known_key(original_key)
        if key in found:
            first = str(found[key][0]).strip()
            same = first.lower() == str(original_key).strip().lower()
            again = f"'{key}' is given twice" if same else f"'{original_key}' repeats '{first}'"
            result.problems.append(Problem(path, key_lines.get(original_key), key, f"{again}; the first one is used"))
            continue
        found[key] = (original_key, value)

    converted = {}
    for key, (target, convert) in FRONT_MATTER.items():
        if key not in found:
            continue
        original_key, value = found.pop(key)
        line = key_lines.get(original_key)
        written = str(original_key).strip()
        try:
            value = convert(value, key if written.lower() == key else written)
        except UnreadableDate as unreadable:
            problem = Problem(path, line, key, str(unreadable))
            if target == "modified":
                problem = Problem(path, line, key, f"{unreadable}; until then the post shows no update date")
            elif result.unreadable_date is None:
                result.unreadable_date = problem  # the reader says which date the post gets
            result.problems.append(problem)
            continue
        except Unusable as unusable:
            result.problems.append(Problem(path, line, key, str(unusable)))
            continue
        if target is None:
            continue
        converted.setdefault(target, []).append((key, line, value))

    metadata = result.metadata
    for target, values in converted.items():
        if target in MERGED:
            merged = []
            for _, _, value in values:
                merged.extend(item for item in value if item not in merged)
            metadata[target] = merged
            continue
        key, line, value = values[0]
        if target == "published":
            apply_published(metadata, value)
        elif target == "permalink":
            metadata.update({name: part for name, part in value.items() if part is not None})
        elif target == "description":  # for meta tags and feeds; the summary if none is given
            metadata["description"] = value["description"]
            metadata.setdefault("summary", value["summary"])
        elif target == "summary":  # for listings: kept beside a description that differs
            metadata["summary"] = value["summary"]
            metadata.setdefault("description", value["description"])
        elif target == "draft":
            if value:
                metadata["status"] = value
        elif target == "status":
            metadata.setdefault("status", value)
        else:
            metadata[target] = value
        for other_key, other_line, _ in values[1:]:
            if target not in {"published", "draft", "status"}:
                result.problems.append(
                    Problem(path, other_line, other_key, f"'{other_key}' repeats '{key}'; '{key}' is used")
                )

    for key, (original_key, value) in found.items():
        if key in RESERVED or key.startswith("_"):
            result.problems.append(
                Problem(
                    path,
                    key_lines.get(original_key),
                    key,
                    f"'{key}' is a name this engine uses itself; rename the key (for example 'my_{key.lstrip('_')}')",
                )
            )
            continue
        typo_of = close_known_key(key)
        if typo_of is not None:
            result.problems.append(
                Problem(
                    path,
                    key_lines.get(original_key),
                    key,
                    f"'{original_key}' is not a key this engine reads; did you mean '{typo_of}'? "
                    f"(kept as '{key}' for templates)",
                )
            )
        metadata[key] = value
    return result


def apply_published(metadata: dict, value: dict) -> None:
    """`published` is a status when a boolean and a date otherwise; `date` wins over it."""
    if value.get("status"):
        metadata["status"] = value["status"]
    if "date" in value:
        metadata.setdefault("date", value["date"])
