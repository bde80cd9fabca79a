"""A cache of per-post work that survives between builds: reading, and what each page showed.

Reading (front matter, Markdown, rendering) is most of a build, and rendering pages and
feeds most of the rest; a rebuild after editing one post should do that work for one post.
Entries are keyed by their inputs (a file's bytes and path; for pages, see page_memo.py),
the settings and the code (this plugin's sources and the versions of the libraries it
calls), so any change to one of them computes the entry again.

Reading also reports warnings to the build report: they are stored with the entry and
reported again when it is used, so a post read from the cache still tells the author what is
wrong with it. Pelican's own CACHE_CONTENT skips the reader altogether (warnings would be
lost); this cache sits inside the reader and leaves Pelican's off.

One SQLite file, CACHE_PATH/learning-journal/cache.sqlite3: no file per entry, nothing loaded
that a build does not ask for. Entries a build did not use are removed at its end.
"""

import hashlib
import io
import json
import logging
import os
import pickle
import sqlite3
import time
from importlib import metadata as distributions
from pathlib import Path

from jinja2 import BytecodeCache
from markupsafe import Markup
from pelican.urlwrappers import URLWrapper

from ..build_state import BuildState, build_state
from ..package import PACKAGE_ROOT
from ..read.liquid_site import includes_digest, posts_digest
from ..read.shortcode_templates import templates_digest

logger = logging.getLogger(__name__)
FORMAT = 1
LIBRARIES = (
    "pelican",
    "markdown",
    "pygments",
    "typogrify",
    "smartypants",
    "python-frontmatter",
    "pyyaml",
    "lxml",
    "lxml-html-clean",
    "latex2mathml",
    "feedgenerator",
    "jinja2",
    "python-liquid",
    "nbformat",
    "nh3",
    "ebooklib",
)

NOT_ABOUT_CONTENT = {"JOURNAL_READ_PROCESSES"}
MAX_DEPTH = 8  # levels of tuples, lists and dicts that freeze() and thaw() look into
# Each entry belongs to one setup (settings and code: `fingerprint`). The last few setups keep
# theirs, so switching between `journal serve`, `journal build` and `--production` finds each
# one's cache still there. (`entries` is this file's layout before setups were kept apart.)
SCHEMA = (
    "DROP TABLE IF EXISTS entries",
    "CREATE TABLE IF NOT EXISTS cached (key TEXT PRIMARY KEY, setup TEXT NOT NULL, build TEXT NOT NULL,"
    " value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS setups (setup TEXT PRIMARY KEY, last_used REAL NOT NULL)",
)
SETUPS_KEPT = 3


class BuildCache:
    """One build's view of the cache file: the fingerprint of settings and code, the entries used."""

    def __init__(self, settings):
        self.settings = settings
        self.path = cache_folder(settings) / "cache.sqlite3"
        # The build's own state (report, writer, this) is not a setting; neither is how many
        # processes read.
        lasting = {
            key: value
            for key, value in settings.items()
            if not isinstance(value, BuildState) and key not in NOT_ABOUT_CONTENT
        }
        # Shortcode templates and Jekyll includes are written out at read time: part of every read.
        read_inputs = [templates_digest(settings), includes_digest(settings)]
        self.fingerprint = digest(
            json.dumps([FORMAT, plain(lasting), code_fingerprint(), read_inputs], sort_keys=True).encode()
        )
        self.build = os.urandom(8).hex()
        self.database = None
        self.helpers = []  # parallel_read.Helpers of this build
        self.used = set()  # keys of entries read this build (entries written carry its build id)
        self.memory = memory_for(settings)  # reads kept by `journal serve` between its builds
        self.edited = set()  # with memory: source paths whose read was not kept from the last build
        self.fresh_reads = 0  # files read anew this build (not found in the cache)

    def connect(self) -> sqlite3.Connection | None:
        if self.database is None:
            try:
                self.database = self.open()
            except sqlite3.DatabaseError:  # not a database (damaged, or something else): start anew
                self.path.unlink(missing_ok=True)
                try:
                    self.database = self.open()
                except (sqlite3.Error, OSError) as error:
                    self.give_up(error)
            except (sqlite3.Error, OSError) as error:
                self.give_up(error)
        return self.database or None

    def open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        database = sqlite3.connect(self.path, isolation_level="DEFERRED", timeout=30)
        try:
            for statement in SCHEMA:
                database.execute(statement)
            # A small page cache: entries are written once and read once per build.
            database.execute("PRAGMA cache_size = -256")
        except sqlite3.Error:
            database.close()
            raise
        return database

    def key(self, kind: str, *parts: bytes) -> str:
        return digest(self.fingerprint.encode(), kind.encode(), *parts)

    def get(self, key: str):
        blob = self.get_blob(key)
        return None if blob is None else self.decode(key, blob)

    def get_blob(self, key: str) -> bytes | None:
        database = self.connect()
        if database is None:
            return None
        try:
            row = database.execute("SELECT value FROM cached WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            self.give_up(error)
            return None
        if row is None:
            return None
        self.used.add(key)
        return row[0]

    def has(self, key: str) -> bool:
        database = self.connect()
        try:
            return (
                database is not None
                and database.execute("SELECT 1 FROM cached WHERE key = ?", (key,)).fetchone() is not None
            )
        except sqlite3.Error as error:
            self.give_up(error)
            return False

    def decode(self, key: str, blob: bytes):
        try:
            return thaw(SettingsUnpickler(blob, self.settings).load())
        except Exception as error:  # a damaged or foreign entry is computed again, not trusted
            logger.debug("build cache: ignoring entry %s (%s)", key, error)
            return None

    def put(self, key: str, value) -> None:
        try:
            blob = SettingsPickler.dumps(freeze(value))
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:  # deep YAML
            logger.debug("build cache: not storing %s (%s)", key, error)
            return
        self.put_blob(key, blob)

    def put_blob(self, key: str, blob: bytes) -> None:
        database = self.connect()
        if database is None:
            return
        try:
            database.execute(
                "INSERT OR REPLACE INTO cached (key, setup, build, value) VALUES (?, ?, ?, ?)",
                (key, self.fingerprint, self.build, blob),
            )
        except sqlite3.Error as error:  # a full disk, a cache locked by another build
            self.give_up(error)

    def give_up(self, error) -> None:
        """The build goes on without the cache (and leaves the file as the last good build left it)."""
        logger.warning("build cache %s cannot be used (%s); this build goes on without it", self.path, error)
        if self.database:
            self.database.close()  # the open transaction is rolled back
        self.database = False

    def read_key(self, source_path: str) -> str:
        memory = self.memory
        if memory is not None:
            signature = file_signature(source_path)
            known = memory.keys.get(source_path)
            if known is not None and known[0] == signature:
                return known[1]
        with open(source_path, "rb") as handle:
            written = handle.read()
        # A Jekyll post that lists `site.posts` shows the other posts' titles, dates and URLs too.
        others = posts_digest(self.settings) if b"site.posts" in written else b""
        key = self.key("read", os.path.abspath(source_path).encode("utf-8", "surrogateescape"), written, others)
        if memory is not None and not others:
            memory.keys[source_path] = (signature, key)
        return key

    def has_read(self, source_path: str) -> bool:
        """Whether reading `source_path` would find its entry (in memory or in the file)."""
        key = self.read_key(source_path)
        return (self.memory is not None and key in self.memory.entries) or self.has(key)

    def from_helpers(self, source_path: str):
        """("ok", blob) or ("failed", None) when a helper process read the file (parallel_read.py)."""
        for helpers in self.helpers:
            result = helpers.take(os.path.abspath(source_path))
            if result is not None:
                return result
        return None

    def close_helpers(self) -> None:
        for helpers in self.helpers:
            helpers.close()
        self.helpers = []

    def finish(self) -> None:
        """Keep what this build used, drop the rest of its setup's entries (old versions of edited
        or deleted posts) and the entries of setups older than the last SETUPS_KEPT."""
        self.close_helpers()
        if self.memory is not None:
            self.memory.keep_only(self.used)
        if self.database:
            database = self.database
            try:
                database.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
                database.executemany("INSERT OR IGNORE INTO used (key) VALUES (?)", ((key,) for key in self.used))
                database.execute(
                    "DELETE FROM cached WHERE setup = ? AND build != ? AND key NOT IN (SELECT key FROM used)",
                    (self.fingerprint, self.build),
                )
                database.execute(
                    "INSERT OR REPLACE INTO setups (setup, last_used) VALUES (?, ?)", (self.fingerprint, time.time())
                )
                database.execute(
                    "DELETE FROM setups WHERE setup NOT IN "
                    "(SELECT setup FROM setups ORDER BY last_used DESC LIMIT ?)",
                    (SETUPS_KEPT,),
                )
                database.execute("DELETE FROM cached WHERE setup NOT IN (SELECT setup FROM setups)")
                database.commit()
            except sqlite3.Error as error:
                self.give_up(error)
            else:
                database.close()
        self.database = None


class Text(bytes):
    """A long text stored as UTF-8 bytes.

    Pickling a str keeps a UTF-8 copy of it alive inside the str (CPython caches it) for as
    long as the str lives: for post HTML that the build keeps, that doubles its memory.
    str.encode() makes no such copy.
    """

    markup = False


def freeze(value, depth: int = 0):
    """Long texts inside tuples, lists and dicts become Text (see there); the rest is left as is.

    Only the first levels are looked at: post HTML and metadata are shallow, and front matter
    nested hundreds of levels deep must not cost a deep recursion here (pickle refuses it).
    """
    if type(value) in (str, Markup) and len(value) > 256:
        text = Text(value.encode("utf-8", "surrogatepass"))
        text.markup = type(value) is Markup
        return text
    if depth >= MAX_DEPTH:
        return value
    if type(value) in (tuple, list):
        return type(value)([freeze(item, depth + 1) for item in value])
    if type(value) is dict:
        return {key: freeze(item, depth + 1) for key, item in value.items()}
    return value


def thaw(value, depth: int = 0):
    if type(value) is Text:
        text = bytes(value).decode("utf-8", "surrogatepass")
        return Markup(text) if value.markup else text
    if depth >= MAX_DEPTH:
        return value
    if type(value) in (tuple, list):
        return type(value)([thaw(item, depth + 1) for item in value])
    if type(value) is dict:
        return {key: thaw(item, depth + 1) for key, item in value.items()}
    return value


def digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


class SettingsPickler(pickle.Pickler):
    """Tags, categories and authors carry the whole settings: store their class and name only."""

    def persistent_id(self, obj):
        if isinstance(obj, URLWrapper):
            return ("urlwrapper", type(obj).__module__, type(obj).__qualname__, obj.name)
        return None

    @classmethod
    def dumps(cls, value) -> bytes:
        buffer = io.BytesIO()
        cls(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        return buffer.getvalue()


class SettingsUnpickler(pickle.Unpickler):
    def __init__(self, blob: bytes, settings):
        super().__init__(io.BytesIO(blob))
        self.settings = settings

    def persistent_load(self, pid):
        kind, module, qualname, name = pid
        if kind != "urlwrapper":
            raise pickle.UnpicklingError(f"unknown persistent id {kind!r}")
        return self.find_class(module, qualname)(name, self.settings)


def plain(value):
    """Settings as JSON-able data; objects (functions, classes) by their type and name only."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(item) for item in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    kind = type(value)
    name = getattr(value, "__qualname__", None)
    return f"<{kind.__module__}.{kind.__qualname__}{' ' + name if name else ''}>"


def code_fingerprint() -> list:
    """This plugin's sources and the versions of what it reads and renders with."""
    package = PACKAGE_ROOT
    hasher = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        hasher.update(source.relative_to(package).as_posix().encode())
        hasher.update(source.read_bytes())
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={distributions.version(name)}")
        except distributions.PackageNotFoundError:
            versions.append(f"{name} absent")
    return [hasher.hexdigest(), versions]


class ReadsInMemory:
    """`journal serve` keeps each post's read between its builds, in its own process: a rebuild
    after a save neither reads, nor looks up, nor unpickles the posts that did not change.

    A file is known unchanged by its size, times and inode (read again when any differs). The
    entries are bound to one settings object: the tags and categories in them hold it.
    """

    def __init__(self, settings):
        self.settings = settings
        self.keys = {}  # source path -> (file signature, read key)
        self.entries = {}  # read key -> (html, metadata, problems)
        self.templates = TemplatesInMemory()

    def keep_only(self, used: set[str]) -> None:
        """After a build: forget the reads it did not use (old versions of edited posts)."""
        self.entries = {key: entry for key, entry in self.entries.items() if key in used}
        self.keys = {path: known for path, known in self.keys.items() if known[1] in self.entries}


class TemplatesInMemory(BytecodeCache):
    """Compiled templates, kept between builds: every build makes new Jinja environments,
    which would compile the theme again (Jinja checks each template's source against it)."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def keep_templates_in_memory(generator) -> None:
    """generator_init: in `journal serve`, the generator's templates compile once per process."""
    memory = memory_for(generator.settings)
    if memory is not None and getattr(generator, "env", None) is not None:
        generator.env.bytecode_cache = memory.templates


MEMORY: list[ReadsInMemory] = []  # at most one: the serving process's


def keep_reads_in_memory(settings) -> None:
    """From now on, builds with these settings keep their reads in memory (`journal serve`)."""
    MEMORY[:] = [ReadsInMemory(settings)]


def memory_for(settings) -> ReadsInMemory | None:
    return MEMORY[0] if MEMORY and MEMORY[0].settings is settings else None


def file_signature(path: str) -> tuple | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def own_copy(metadata: dict) -> dict:
    """A copy of kept metadata for one build, so that nothing a build changes in its lists and
    dicts reaches the next build."""
    return {key: list(value) if type(value) is list else dict(value) if type(value) is dict else value
            for key, value in metadata.items()}


def cache_folder(settings) -> Path:
    """CACHE_PATH/learning-journal/: the build cache, the search index's links, feeds being made."""
    return Path(settings.get("CACHE_PATH") or "cache") / "learning-journal"


def output_cache_folder(settings, kind: str, output: str) -> Path:
    """CACHE_PATH/learning-journal/<kind>/<one name per output folder>: builds of two output
    folders that share a cache never meet there."""
    name = hashlib.sha256(os.path.abspath(output).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_folder(settings).resolve() / kind / name


def cache_for(settings) -> BuildCache | None:
    """This build's cache, or None when JOURNAL_BUILD_CACHE is off."""
    if not settings.get("JOURNAL_BUILD_CACHE"):
        return None
    state = build_state(settings)
    if state.cache is None:
        state.cache = BuildCache(settings)
    return state.cache


class CachedRead:
    """Mixed into the project's reader class: `read` goes through the cache."""

    def read(self, source_path):
        cache = cache_for(self.settings)
        if cache is None:
            return super().read(source_path)
        key = cache.read_key(source_path)
        report = build_state(self.settings).report
        memory = cache.memory
        entry = memory.entries.get(key) if memory is not None else None
        if entry is not None:
            cache.used.add(key)  # the file's entry stays for the next `journal build`
        else:
            cache.edited.add(source_path)
            blob = cache.get_blob(key)
            entry = None if blob is None else cache.decode(key, blob)
            fresh = False
            if entry is None:
                status, blob = cache.from_helpers(source_path) or ("none", None)
                entry = cache.decode(key, blob) if status == "ok" else None
                fresh = True
                cache.fresh_reads += 1
            if entry is not None and fresh and "date_origin" not in entry[1]:
                cache.put_blob(key, blob)
        if entry is None:
            already = len(report.warnings)
            html, metadata = super().read(source_path)
            entry = (html, metadata, report.warnings[already:])
            # A date taken from git or the file's mtime is not a function of the bytes: read it again.
            if "date_origin" not in metadata:
                cache.put(key, entry)
        else:
            report.saw(source_path)
            for problem in entry[2]:
                report.warn(source_path, problem)
        html, metadata, _ = entry
        if memory is not None and "date_origin" not in metadata:
            memory.entries[key] = (html, own_copy(metadata), entry[2])
            cache.used.add(key)
        return html, own_copy(metadata) if memory is not None else metadata


def use_reader_cache(readers) -> None:
    """readers_init (after the project's reader is registered): wrap each of its classes once."""
    from ..read.reader import JournalReader

    wrapped = {}
    for extension, cls in list(readers.reader_classes.items()):
        if isinstance(cls, type) and issubclass(cls, JournalReader) and not issubclass(cls, CachedRead):
            if cls not in wrapped:
                # Same name: Pelican derives metadata["reader"] from the class name.
                wrapped[cls] = type(cls.__name__, (CachedRead, cls), {"__module__": __name__})
            readers.reader_classes[extension] = wrapped[cls]


def close_build_cache(cache) -> None:
    """The previous run's view, when a new run starts (each run checks settings and code again):
    a run that got here did not finish, so its entries are not kept."""
    if isinstance(cache, BuildCache):
        cache.close_helpers()
        if cache.database:
            cache.database.close()


def finish_build_cache(pelican) -> None:
    cache = build_state(pelican.settings).cache
    if isinstance(cache, BuildCache):
        cache.finish()
