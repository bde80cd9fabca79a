"""Pages rendered again only when something they show has changed.

After an edit to one post, every page of the site used to be rendered again, and Jinja was
half of a rebuild; nearly all of those pages came out byte for byte as before. A page's
output is a function of the templates, the settings, the code, the *faces* of all contents
(metadata, URLs, series, neighbours: everything a listing or a navigation box can show) and
the *bodies* (HTML) of the contents it shows. So each page gets an entry in the build cache
under a key made of the site's digest (everything but bodies), its template and its name;
the entry lists whose bodies the page read while it rendered, and the digest of its bytes.
When those bodies are unchanged and the output still holds those bytes, the page is kept.

Body reads are seen, whatever template or filter makes them, by giving each content (when
output starts) a subclass of its own class that notes get_content, get_summary and _content
while a page renders. Anything the digest cannot describe (an object without state) makes
the key unique to this build, so such a page is simply rendered again.
"""

import contextvars
import datetime
import hashlib
import logging
import marshal
import os
import sys
import types
from pathlib import Path

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from ..build_state import BuildState, build_state
from ..package import PACKAGE_NAME
from .build_cache import NOT_ABOUT_CONTENT, cache_for

logger = logging.getLogger(__name__)
BODY_READS = contextvars.ContextVar("learning_journal_body_reads", default=None)
NOT_FACE = {"_content", "settings", "_context"}
MAX_DEPTH = 12
PLAIN = (type(None), bool, int, float, complex, datetime.date, datetime.datetime, datetime.time, datetime.timedelta)


def note_body_read(content) -> None:
    reads = BODY_READS.get()
    if reads is not None:
        reads[id(content)] = content


class NotesBodyReads:
    """Mixed into each content's class when output starts: who reads a body, and when."""

    def get_content(self, siteurl):
        note_body_read(self)
        return super().get_content(siteurl)

    def get_summary(self, siteurl):
        if "summary" not in self.metadata:  # a summary from front matter is part of the face
            note_body_read(self)
        return super().get_summary(siteurl)

    @property
    def _content(self):
        note_body_read(self)
        try:
            return self.__dict__["_content"]
        except KeyError:
            raise AttributeError("_content") from None

    @_content.setter
    def _content(self, value):
        self.__dict__["_content"] = value


NOTING_CLASSES = {}


def mix_in(content, mixin: type, made: dict) -> None:
    """Give `content` a subclass of its own class with `mixin` first, made once per class in `made`."""
    cls = type(content)
    if issubclass(cls, mixin):
        return
    if cls not in made:
        # The same name and module: templates and plugins that look at the class see no change.
        made[cls] = type(cls.__name__, (mixin, cls), {"__module__": cls.__module__, "__qualname__": cls.__qualname__})
    content.__class__ = made[cls]


def notes_body_reads(content) -> None:
    mix_in(content, NotesBodyReads, NOTING_CLASSES)


# What the digest does with a value, by its type (decided once per type: a site digest feeds
# about 170 values a post), and the type's name as the digest writes it.
TEXT, PLAIN_VALUE, BYTES, CONTENT, WRAPPER, OBJECT = "text", "plain", "bytes", "content", "wrapper", "object"
TYPE_KINDS: dict = {}


def kind_of(cls: type) -> tuple:
    if issubclass(cls, str):
        category = TEXT
    elif issubclass(cls, PLAIN):
        category = PLAIN_VALUE
    elif issubclass(cls, (bytes, bytearray)):
        category = BYTES
    elif issubclass(cls, Content):
        category = CONTENT
    elif issubclass(cls, URLWrapper):
        category = WRAPPER
    else:
        category = OBJECT
    TYPE_KINDS[cls] = (category, cls.__qualname__.encode() + b"\0")
    return TYPE_KINDS[cls]


class Digest:
    """A stable digest of plain data, contents by reference, objects by their state (once each)."""

    def __init__(self, settings, context):
        self.shared = {id(settings), id(context)}
        self.objects = {}  # id -> (object, digest): objects shared by many contents, digested once
        self.unknown = False  # something had no describable state: no key of this build may match

    def of(self, value, depth: int = 0) -> bytes:
        hasher = hashlib.blake2b(digest_size=20)
        self.feed(hasher, value, depth)
        return hasher.digest()

    def feed(self, hasher, value, depth: int) -> None:
        category, name = TYPE_KINDS.get(type(value)) or kind_of(type(value))
        if category is TEXT:
            data = value.encode("utf-8", "surrogatepass")
            hasher.update(name + len(data).to_bytes(8, "little") + data)
        elif category is PLAIN_VALUE:
            hasher.update(name + repr(value).encode() + b"\0")
        elif category is BYTES:
            data = bytes(value)
            hasher.update(name + len(data).to_bytes(8, "little") + data)
        elif category is CONTENT:
            # A reference: the content's own face is digested once, with the others.
            hasher.update(b"content\0" + str(value.source_path).encode("utf-8", "surrogatepass") + b"\0")
        elif category is WRAPPER:
            hasher.update(name + value.name.encode("utf-8", "surrogatepass") + b"\0")
        elif id(value) in self.shared:
            hasher.update(b"settings\0")
        elif depth > MAX_DEPTH:
            self.unknown = True
        else:
            hasher.update(name + self.object_digest(value, depth))

    def object_digest(self, value, depth: int) -> bytes:
        """Containers and objects are digested once each: YAML aliases and shared series stay cheap."""
        known = self.objects.get(id(value))
        if known is not None:
            return known[1]
        self.objects[id(value)] = (value, b"cycle")  # a reference back to an object being digested
        hasher = hashlib.blake2b(digest_size=20)
        if isinstance(value, (list, tuple)):
            hasher.update(len(value).to_bytes(8, "little"))
            for item in value:
                self.feed(hasher, item, depth + 1)
        elif isinstance(value, dict):
            hasher.update(len(value).to_bytes(8, "little"))
            # Pelican fills some dicts (generated_content) in the order of a set: sort text keys.
            items = sorted(value.items()) if all(type(key) is str for key in value) else value.items()
            for key, item in items:
                self.feed(hasher, key, depth + 1)
                self.feed(hasher, item, depth + 1)
        elif isinstance(value, (set, frozenset)):
            hasher.update(b"".join(sorted(self.of(item, depth + 1) for item in value)))
        else:
            self.feed(hasher, self.state_of(value), depth + 1)
        digest = hasher.digest()
        self.objects[id(value)] = (value, digest)
        return digest

    def state_of(self, value):
        if isinstance(value, (types.FunctionType, types.MethodType)):
            function = getattr(value, "__func__", value)
            code = marshal.dumps(function.__code__) if hasattr(function, "__code__") else b""
            bound = getattr(value, "__self__", None)
            return (function.__module__, function.__qualname__, code, function.__defaults__, bound)
        if isinstance(value, (type, types.ModuleType, types.BuiltinFunctionType)):
            return (getattr(value, "__module__", None), getattr(value, "__qualname__", value.__name__))
        # Whatever pickle would keep of it: __dict__, slots, or a C type's own state
        # (a partial's arguments, a pattern's source, a time zone's key).
        try:
            reduced = value.__reduce_ex__(4)
        except Exception:  # not picklable (a lock, a generator): it may differ every build
            self.unknown = True
            return None
        if isinstance(reduced, str):
            return reduced
        constructor, arguments, *rest = reduced
        state = rest[0] if rest else None
        if isinstance(state, dict):
            state = {key: item for key, item in state.items() if key not in NOT_FACE}
        items = [list(more) if more is not None else None for more in rest[1:3]]
        return (getattr(constructor, "__qualname__", repr(constructor)), arguments, state, items)


def face(content) -> dict:
    """What a content shows without its body: metadata, URLs and whatever plugins attached."""
    return {key: value for key, value in vars(content).items() if key not in NOT_FACE}


def theme_digest(environment) -> bytes:
    """Every template the Jinja environment can load, by name and source.

    An environment without a loader renders templates made from strings in code, which
    the build cache's fingerprint covers.
    """
    hasher = hashlib.blake2b(digest_size=20)
    if environment.loader is None:
        return hasher.digest()
    for name in sorted(environment.list_templates()):
        source = environment.loader.get_source(environment, name)[0]
        hasher.update(name.encode() + b"\0" + source.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.digest()


def plugin_sources_digest(settings) -> bytes:
    """The sources of every loaded plugin module other than this one (its own are in the cache key)."""
    names = [getattr(plugin, "__name__", plugin) for plugin in settings.get("PLUGINS") or []]
    ours = PACKAGE_NAME
    hasher = hashlib.blake2b(digest_size=20)
    for module_name, module in sorted(sys.modules.items()):
        loaded_plugin = module_name.startswith("pelican.plugins.") or any(
            module_name == name or module_name.startswith(f"{name}.") for name in names
        )
        if not loaded_plugin or module_name == ours or module_name.startswith(f"{ours}."):
            continue
        path = getattr(module, "__file__", None)
        if path and os.path.isfile(path):
            hasher.update(module_name.encode() + b"\0" + Path(path).read_bytes())
    return hasher.digest()


class PageMemo:
    """One build's memo: the site digest, whose bodies changed, which pages were kept."""

    def __init__(self, writer, context, settings):
        self.cache = cache_for(settings)
        self.writer = writer
        self.contents = {}
        for content in list(context.get("generated_content", {}).values()) + list(
            context.get("static_content", {}).values()
        ):
            if isinstance(content, Content):
                self.contents[str(content.source_path)] = content
        for content in self.contents.values():
            notes_body_reads(content)
        self.site = self.site_digest(context, settings)
        self.bodies = {}  # source path -> digest of the body, computed when a page asks
        self.themes = {}  # id(environment) -> (environment, digest)
        self.occurrences = {}
        self.made = 0  # outputs rendered (pages) or made (feeds) this build
        self.reused = 0  # outputs whose current file was still right
        self.kept = {}  # output name -> size of the file kept as it was, until the writer sees it

    def site_digest(self, context, settings) -> bytes:
        digest = Digest(settings, context)
        # The build's own state (report, writer, cache, series model) is not what a page shows.
        lasting_context = {
            key: value
            for key, value in context.items()
            if not isinstance(value, BuildState) and key not in NOT_ABOUT_CONTENT
        }
        faces = [(path, face(content)) for path, content in sorted(self.contents.items())]
        site = digest.of([self.cache.fingerprint, plugin_sources_digest(settings), lasting_context, faces])
        if digest.unknown:
            logger.debug("page memo: the site holds objects without state; every page is rendered")
            return os.urandom(20)
        return site

    def body_digest(self, path: str) -> bytes | None:
        if path not in self.bodies:
            content = self.contents.get(path)
            body = None if content is None else content.__dict__.get("_content")
            self.bodies[path] = (
                None
                if body is None
                else hashlib.blake2b(str(body).encode("utf-8", "surrogatepass"), digest_size=20).digest()
            )
        return self.bodies[path]

    def theme(self, environment) -> bytes:
        known = self.themes.get(id(environment))
        if known is None:
            known = self.themes[id(environment)] = (environment, theme_digest(environment))
        return known[1]

    def key(self, kind: str, *where) -> str:
        """The cache key of one output: the site's digest, what makes it, where it goes."""
        return self.cache.key(kind, self.site, repr(where).encode())

    def kept_output(self, key: str, name: str) -> bytes | None:
        """The output's current bytes, when nothing it showed has changed since it was made."""
        entry = self.cache.get(key)
        if not entry:
            return None
        reads, output_digest = entry
        if any(self.body_digest(path) != body for path, body in reads):
            return None
        try:
            data = (Path(self.writer.previous_output) / name).read_bytes()
        except OSError:
            return None
        if hashlib.blake2b(data, digest_size=20).digest() != output_digest:
            return None  # changed or removed by hand since: make it again
        self.kept[os.path.normpath(name)] = len(data)
        self.reused += 1
        return data

    def remember(self, key: str, contents, data: bytes) -> None:
        """Store which bodies an output showed, and the digest of the bytes it wrote."""
        self.made += 1
        paths = sorted({str(content.source_path) for content in contents})
        if any(self.body_digest(path) is None for path in paths):
            return  # a body the memo cannot see (not a content of this site): always make it
        reads = tuple((path, self.body_digest(path)) for path in paths)
        self.cache.put(key, (reads, hashlib.blake2b(data, digest_size=20).digest()))

    def render(self, template, localcontext) -> str:
        """A page: its current output when it is still right, else rendered and remembered."""
        name = str(localcontext.get("output_file"))
        occurrence = self.occurrences[name] = self.occurrences.get(name, 0) + 1
        key = self.key(
            "page",
            self.theme(template.environment).hex(),
            template.name,
            name,
            occurrence,
            localcontext.get("SITEURL"),
            localcontext.get("localsiteurl"),
            # What the page shows that the site's digest leaves out, given by its generator
            # (a series page: its e-book's size, which changes with any edit of a part).
            repr(localcontext.get("memo_inputs")),
        )
        kept = self.kept_output(key, name)
        if kept is not None:
            try:
                return from_written(kept)
            except UnicodeDecodeError:
                del self.kept[os.path.normpath(name)]
                self.reused -= 1
        reads = {}
        token = BODY_READS.set(reads)
        try:
            text = template.render(localcontext)
        finally:
            BODY_READS.reset(token)
        self.remember(key, reads.values(), as_written(text))
        return text


def as_written(text: str) -> bytes:
    """A page's text as the writer puts it on disk."""
    return (text.replace("\n", os.linesep) if os.linesep != "\n" else text).encode("utf-8")


def from_written(data: bytes) -> str:
    text = data.decode("utf-8")
    return text.replace(os.linesep, "\n") if os.linesep != "\n" else text


class MemoTemplate:
    """What Pelican's writer calls `render` on: the template, through the memo."""

    def __init__(self, template, memo: PageMemo):
        self.template = template
        self.memo = memo
        self.name = template.name

    def render(self, localcontext) -> str:
        return self.memo.render(self.template, localcontext)


def log_page_memo(settings) -> None:
    """finalized: how much of the output this build made, and how much it found still right."""
    memo = getattr(build_state(settings).writer, "memo", None)
    if memo:
        logger.info("Output: %d pages and feeds made, %d unchanged and kept", memo.made, memo.reused)


def page_memo_for(writer, context, settings) -> PageMemo | None:
    """This build's memo (made when output starts), or None when the build cache is off."""
    if cache_for(settings) is None or not settings.get("JOURNAL_PAGE_MEMO", True):
        return None
    return PageMemo(writer, context, settings)
