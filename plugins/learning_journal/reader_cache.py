"""A per-file cache of the reader's work (front matter, Markdown, rendering), reused on rebuild.

Reading is most of a build. An entry is keyed by the file's bytes, its path, the settings
and the code that reads it (this plugin's sources and the versions of the libraries it
calls), so any change to one of them reads the file again. Reading also reports warnings to
the build report: they are stored with the entry and reported again when it is used, so a
post read from the cache still tells the author what is wrong with it.

Pelican's own CACHE_CONTENT skips the reader altogether (warnings would be lost); this one
sits inside the reader and leaves Pelican's cache off. Entries live in
CACHE_PATH/learning-journal/reader/; those not used by a build are removed at its end.
"""

import hashlib
import json
import logging
import os
import pickle
from importlib import metadata as distributions
from pathlib import Path

from pelican.urlwrappers import URLWrapper

from .report import report_for

logger = logging.getLogger(__name__)
CACHE_KEY = "JOURNAL_READER_CACHE_STATE"
PACKAGE = __name__.rpartition(".")[0]
FORMAT = 1
LIBRARIES = ("pelican", "markdown", "pygments", "typogrify", "python-frontmatter", "pyyaml")


class ReaderCache:
    """One build's view of the cache folder: the fingerprint of settings and code, the entries used."""

    def __init__(self, settings):
        self.settings = settings
        self.folder = Path(settings.get("CACHE_PATH", "cache")) / "learning-journal" / "reader"
        # Per-build objects this plugin keeps in the settings (report, writer, this) are not settings.
        lasting = {
            key: value
            for key, value in settings.items()
            if not type(value).__module__.startswith(PACKAGE + ".")
        }
        self.fingerprint = hashlib.sha256(
            json.dumps([FORMAT, plain(lasting), code_fingerprint()], sort_keys=True).encode()
        ).hexdigest()
        self.used = set()

    def key(self, source_path: str, raw: bytes) -> str:
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(os.path.abspath(source_path).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def load(self, key: str):
        """(html, metadata, problems) of a stored entry, or None."""
        path = self.folder / f"{key}.pickle"
        try:
            with open(path, "rb") as handle:
                entry = SettingsUnpickler(handle, self.settings).load()
        except FileNotFoundError:
            return None
        except Exception as error:  # a damaged or foreign entry is read again, not trusted
            logger.debug("reader cache: ignoring %s (%s)", path, error)
            return None
        self.used.add(key)
        return entry

    def store(self, key: str, entry) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{key}.pickle"
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        try:
            with open(partial, "wb") as handle:
                SettingsPickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(entry)
            os.replace(partial, target)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            logger.debug("reader cache: not storing %s (%s)", target, error)
            partial.unlink(missing_ok=True)
            return
        self.used.add(key)

    def prune(self) -> None:
        """Remove entries this build did not use: old versions of edited or deleted posts."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.stem not in self.used:
                path.unlink(missing_ok=True)


class SettingsPickler(pickle.Pickler):
    """Tags, categories and authors carry the whole settings: store their class and name only."""

    def persistent_id(self, obj):
        if isinstance(obj, URLWrapper):
            return ("urlwrapper", type(obj).__module__, type(obj).__qualname__, obj.name)
        return None


class SettingsUnpickler(pickle.Unpickler):
    def __init__(self, handle, settings):
        super().__init__(handle)
        self.settings = settings

    def persistent_load(self, pid):
        kind, module, qualname, name = pid
        if kind != "urlwrapper":
            raise pickle.UnpicklingError(f"unknown persistent id {kind!r}")
        cls = self.find_class(module, qualname)
        return cls(name, self.settings)


def plain(value):
    """Settings as JSON-able data; objects (the build report, functions) by their type name only."""
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
    """This plugin's sources and the versions of what it reads with."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={distributions.version(name)}")
        except distributions.PackageNotFoundError:
            versions.append(f"{name} absent")
    return [digest.hexdigest(), versions]


def cache_for(settings) -> ReaderCache | None:
    """This build's cache, or None when JOURNAL_READER_CACHE is off."""
    if not settings.get("JOURNAL_READER_CACHE"):
        return None
    cache = settings.get(CACHE_KEY)
    if not isinstance(cache, ReaderCache):
        cache = ReaderCache(settings)
        settings[CACHE_KEY] = cache
    return cache


class CachedRead:
    """Mixed into the project's reader class: `read` goes through the cache."""

    def read(self, source_path):
        cache = cache_for(self.settings)
        if cache is None:
            return super().read(source_path)
        with open(source_path, "rb") as handle:
            key = cache.key(source_path, handle.read())
        report = report_for(self.settings)
        entry = cache.load(key)
        if entry is not None:
            html, metadata, problems = entry
            report.saw(source_path)
            for problem in problems:
                report.warn(source_path, problem)
            return html, metadata
        already = len(report.warnings)
        html, metadata = super().read(source_path)
        # A date taken from git or the file's mtime is not a function of the bytes: read it again.
        if "date_origin" not in metadata:
            cache.store(key, (html, metadata, report.warnings[already:]))
        return html, metadata


def use_reader_cache(readers) -> None:
    """readers_init (after the project's reader is registered): wrap each of its classes once."""
    from .reader import JournalReader

    wrapped = {}
    for extension, cls in list(readers.reader_classes.items()):
        if isinstance(cls, type) and issubclass(cls, JournalReader) and not issubclass(cls, CachedRead):
            if cls not in wrapped:
                # Same name: Pelican derives metadata["reader"] from the class name.
                wrapped[cls] = type(cls.__name__, (CachedRead, cls), {"__module__": __name__})
            readers.reader_classes[extension] = wrapped[cls]


def start_reader_cache(pelican) -> None:
    """get_generators, at the start of every run: a fresh view, so settings and code are checked again."""
    pelican.settings.pop(CACHE_KEY, None)


def prune_reader_cache(pelican) -> None:
    cache = pelican.settings.get(CACHE_KEY)
    if isinstance(cache, ReaderCache):
        cache.prune()
