"""`journal serve`: build, serve on 127.0.0.1, rebuild on every save, reload the open pages.

The rebuild runs in this process on the same Pelican object, so what the plugin keeps between
runs (Markdown instances, the build cache, the page memo) makes a one-post edit cheap. Pages are
told about a new build through a server-sent event stream; the small script that listens is added
to HTML responses by this server only, never written to output/. A failed build keeps the last
good output served (atomic output) and is shown in the page and in the terminal.
"""

import io
import json
import logging
import os
import posixpath
import threading
import traceback
import urllib.parse
from http.server import ThreadingHTTPServer
from pathlib import Path

import watchfiles
from pelican import Pelican, signals
from pelican.contents import Content
from pelican.server import ComplexHTTPRequestHandler
from pelican.utils import FileChangeFilter

from ..build.ahead import write_ahead
from ..build.atomic import discard_staging
from ..build.build_cache import keep_reads_in_memory, memory_for
from ..build.writer import EDITED_PAGE_WRITTEN
from ..build_state import build_state
from .project import ProjectError, load_settings

EVENTS_URL = "/__journal/events"
KEEPALIVE_SECONDS = 15
# Output files no page loads (other pages, feeds, sitemap, robots.txt): a change to one of them
# reloads only the page itself; any other file (a style sheet, a script, an image) every page.
NOT_LOADED_BY_PAGES = (".html", ".xml", ".json", ".txt", ".epub")  # linked, not loaded
CHANGES_KEPT = 100  # builds whose changed files are remembered for pages opened before them
# Added before </body>. The event stream is told which build the page comes from and where it
# is; it answers `reload` once a newer build changed this page (or a style sheet, script or
# image), and the errors of the last build otherwise. textContent keeps the error text plain
# (never parsed as HTML).
RELOAD_SCRIPT = """<script data-journal-reload>(() => {
  const events = new EventSource("%(events)s?built=%(version)d&page=" + encodeURIComponent(location.pathname));
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    let overlay = document.getElementById("journal-build-errors");
    if (state.reload) {
      events.close();
      location.reload();
    } else if (state.errors.length) {
      if (!overlay) {
        overlay = document.createElement("pre");
        overlay.id = "journal-build-errors";
        overlay.setAttribute("role", "alert");
        overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;" +
          "padding:1em;background:#300;color:#fdd;font:14px/1.4 monospace;white-space:pre-wrap;z-index:2147483647";
        document.body.append(overlay);
      }
      overlay.textContent = "journal serve: the last build reported errors:\\n\\n" +
        state.errors.join("\\n");
    } else if (overlay) {
      overlay.remove();
    }
  };
})();</script>"""


class BuildState:
    """What is served: a number that grows with each change, which output files each change
    touched, the last build's errors, and the pages of edited posts written ahead of their
    build (served from memory until the build publishes them); with a condition the event
    streams wait on."""

    def __init__(self):
        self.version = 0
        self.errors: list[str] = []
        self.changes: dict[int, set[str] | None] = {}  # version -> output paths it changed (None: any)
        # Output path -> (bytes, serial, written ahead of a build rather than first in one).
        self.early: dict[str, tuple[bytes, int, bool]] = {}
        self.serial = 0  # counts the pages written early
        self.changed = threading.Condition()

    def announce(self, changed: set[str] | None) -> None:
        """Output files changed (None: any may have): pages showing them reload."""
        if self.version == 0:
            changed = None  # the first build: what the output held before was not served
        if changed is not None and not changed:
            return
        self.version += 1
        self.changes[self.version] = changed
        self.changes.pop(self.version - CHANGES_KEPT, None)

    def written_early(self, name: str, data: bytes, ahead: bool = False) -> None:
        """An edited post's page, written ahead of its build or first in it: served from now on."""
        with self.changed:
            if name in self.early and self.early[name][0] == data:
                return  # the same bytes as the page written ahead of this build
            self.serial += 1
            self.early[name] = (data, self.serial, ahead)
            self.announce({name})
            self.changed.notify_all()

    def publish(
        self, errors: list[str], changed: set[str] | None, failed: bool = False, output: str = "", started: int = 0
    ) -> None:
        """A build ended. `changed`: the output files it changed (None: not known). A failed
        build changed nothing, and the pages served ahead of it are taken back. Pages written
        ahead of a later save (serial above `started`) stay: they are newer than this build."""
        with self.changed:
            newer = {name: page for name, page in self.early.items() if page[2] and page[1] > started}
            early = {name: page[0] for name, page in self.early.items() if name not in newer}
            self.early = newer
            if failed:
                changed = set(early)
            elif changed is not None:
                # Pages served early with the bytes now published were reloaded already.
                changed = {
                    name
                    for name in changed
                    if name not in newer and (name not in early or early[name] != read_or_none(output, name))
                }
            self.announce(changed)
            self.errors = errors
            self.changed.notify_all()

    def stale(self, built: int, page: str) -> bool:
        """Whether a page served at version `built` has changed since (a newer build wrote it,
        or a file pages load, such as a style sheet)."""
        if built > self.version:
            return True  # served by an earlier run of `journal serve`
        for version in range(built + 1, self.version + 1):
            changed = self.changes.get(version)
            if changed is None or page in changed or any(not name.endswith(NOT_LOADED_BY_PAGES) for name in changed):
                return True
        return False

    def snapshot(self, built: int, page: str) -> dict:
        return {"version": self.version, "reload": self.stale(built, page), "errors": list(self.errors)}


def read_or_none(folder: str, name: str) -> bytes | None:
    try:
        return Path(folder, name).read_bytes()
    except OSError:
        return None


def with_reload_script(html: bytes, version: int) -> bytes:
    script = (RELOAD_SCRIPT % {"version": version, "events": EVENTS_URL}).encode("utf-8")
    at = html.lower().rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


def output_name(url_path: str) -> str:
    """The output file a URL path is served from, as the writer names it (`live/index.html`)."""
    path = posixpath.normpath("/" + urllib.parse.unquote(url_path.split("?", 1)[0])).lstrip("/")
    if not path or url_path.split("?", 1)[0].endswith("/"):
        path = posixpath.join(path, "index.html")
    return os.path.normpath(path)


def handler_for(state: BuildState, output: str):
    class LiveHandler(ComplexHTTPRequestHandler):
        """Pelican's preview handler: a real 404, the reload script in HTML, the event stream,
        and the pages written ahead of their build."""

        base_path = output

        def do_GET(self):
            if self.path.split("?", 1)[0] == EVENTS_URL:
                self.stream_events()
                return
            if self.early_page() is None and self.get_path_that_exists(self.path.split("?", 1)[0]) is None:
                self.send_error(404, "Not found in the preview")
                return
            super().do_GET()

        def early_page(self) -> tuple[bytes, int] | None:
            with state.changed:
                page = state.early.get(output_name(self.path))
                return None if page is None else (page[0], state.version)

        def send_head(self):
            early = self.early_page()
            if early is not None:
                data, version = early
            else:
                path = self.translate_path(self.path)
                if os.path.isdir(path) and path.endswith("/"):
                    path = os.path.join(path, "index.html")
                if not path.endswith(".html") or not os.path.isfile(path):
                    return super().send_head()
                with state.changed:
                    version = state.version
                data = Path(path).read_bytes()
            body = with_reload_script(data, version)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            return io.BytesIO(body)

        def stream_events(self):
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            try:
                built = int(query.get("built", ["0"])[0])
            except ValueError:
                built = 0
            page = output_name(query.get("page", ["/"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = None
            try:
                while True:
                    with state.changed:
                        if state.snapshot(built, page) == seen:
                            state.changed.wait(KEEPALIVE_SECONDS)
                        now = state.snapshot(built, page)
                    if now != seen:
                        self.wfile.write(f"data: {json.dumps(now)}\n\n".encode())
                        seen = now
                        if now["reload"]:
                            return
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, msg_format, *args):
            pass  # one line per request would drown the build messages

    return LiveHandler


class LiveServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive


def failure(error: Exception, project: Path) -> str:
    """A failed build in one line: the file and line when the error knows them (templates do)."""
    message = "".join(traceback.format_exception_only(type(error), error)).strip()
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename:
        where = os.path.relpath(filename, project) if os.path.isabs(filename) else filename
        message = f"{where}:{line}: {message}" if line else f"{where}: {message}"
    return f"the build failed, the previous pages are served: {message}"


class LiveSite:
    """The project's Pelican, kept between builds; made again only when the settings change."""

    def __init__(self, project: Path, overrides: dict, say):
        self.project = project
        self.overrides = overrides
        self.say = say
        self.state = BuildState()
        self.settings = load_settings(project, **overrides)
        self.pelican = Pelican(self.settings)
        keep_reads_in_memory(self.settings)
        self.generators = None  # the last good build's, for pages written ahead of a rebuild
        self.read_keys = {}  # and the read of each of its posts (build_cache.ReadsInMemory)
        self.building = None
        self.settings_changed = False
        self.started = 0  # the early-page serial when the running build started
        EDITED_PAGE_WRITTEN.connect(self.written_early)
        signals.all_generators_finalized.connect(self.keep_generators)

    def settings_files(self) -> list[Path]:
        return [self.project / "pelicanconf.py"]

    def watched(self) -> list[str]:
        """The content, the theme, local template overrides and the settings file."""
        paths = [self.settings["PATH"], self.settings["THEME"], *self.settings.get("THEME_TEMPLATES_OVERRIDES", [])]
        paths = [str(Path(self.project, p).resolve()) for p in paths]
        paths += [str(p) for p in self.settings_files()]
        return sorted({p for p in paths if os.path.exists(p)})

    def reload_settings(self) -> None:
        self.settings = load_settings(self.project, **self.overrides)
        self.pelican = Pelican(self.settings)
        keep_reads_in_memory(self.settings)
        self.generators = None

    def keep_generators(self, generators) -> None:
        if generators and generators[0].settings is self.settings:
            self.building = generators

    def written_early(self, writer, name: str, data: bytes) -> None:
        """An edited post's page was written first in its build: serve it and reload it now."""
        if build_state(self.settings).writer is writer:
            self.state.written_early(name, data)

    def write_ahead(self, changed: list[str]) -> None:
        """Before the rebuild: the page of a post whose text alone changed (build/ahead.py)."""
        folder = os.path.join(self.settings.get("CACHE_PATH") or "cache", "learning-journal", "ahead")
        try:
            pages = write_ahead(self.generators, self.read_keys, changed, os.path.join(self.project, folder))
        except Exception:  # noqa: BLE001 - the rebuild makes the page and reports what is wrong
            logging.getLogger(__name__).debug("no page written ahead", exc_info=True)
            return
        for name, data in pages.items():
            self.state.written_early(name, data, ahead=True)

    def build(self) -> tuple[list[str], set[str] | None, bool]:
        """Build once: the errors to show (an exception, or posts the build had to skip), the
        output files the build changed (None: not known) and whether it failed."""
        # Pelican memoizes content and summary per object, for the life of the process: the
        # last build's objects would pile up, one site per save.
        Content.get_content.cache.clear()
        Content.get_summary.cache.clear()
        self.building = None
        with self.state.changed:
            self.started = self.state.serial
        try:
            self.pelican.run()
        except Exception as error:  # a template, setting or strict-mode failure: keep serving the last output
            discard_staging(self.pelican)
            self.generators = None  # its posts may be half read: nothing is written ahead until a build succeeds
            logging.getLogger(__name__).debug("build failed", exc_info=True)
            return [failure(error, self.project)], set(), True
        self.generators = self.building
        memory = memory_for(self.settings)
        self.read_keys = dict(memory.keys) if memory is not None else {}
        state = build_state(self.pelican.settings)
        published = getattr(state.writer, "published", None)
        return [f"{problem} (skipped)" for problem in state.report.skipped.values()], published, False

    def build_and_announce(self) -> None:
        errors, changed, failed = self.build()
        for error in errors:
            self.say(f"build error: {error}")
        output = str(Path(self.project, self.settings["OUTPUT_PATH"]))
        self.state.publish(errors, changed, failed, output, self.started)

    def watch(self, stop: threading.Event) -> None:
        """Rebuild after each save until `stop` is set. `step` is how long a burst of saves is
        gathered: short, as one save is the common case. Rebuilds run in their own thread: a
        save during a rebuild still gets its page written ahead at once, and the saves made
        during one rebuild are built together by the next."""
        wanted = threading.Event()
        builder = threading.Thread(target=self.rebuild_when_wanted, args=(wanted, stop), daemon=True)
        builder.start()
        ignore = FileChangeFilter(ignore_file_patterns=set(self.settings.get("IGNORE_FILES", [])))
        for changes in watchfiles.watch(
            *self.watched(), watch_filter=ignore, step=30, debounce=400, stop_event=stop, rust_timeout=500
        ):
            changed = sorted({path for _, path in changes})
            self.say("changed: " + ", ".join(os.path.relpath(p, self.project) for p in changed))
            if any(Path(p) in self.settings_files() for p in changed):
                self.settings_changed = True
            elif not self.settings_changed:
                self.write_ahead(changed)
            wanted.set()

    def rebuild_when_wanted(self, wanted: threading.Event, stop: threading.Event) -> None:
        while not stop.is_set():
            if not wanted.wait(0.5):
                continue
            wanted.clear()
            if self.settings_changed:
                self.settings_changed = False
                try:
                    self.reload_settings()
                except ProjectError as error:
                    self.say(str(error))
                    self.state.publish([str(error)], set(), failed=True)
                    continue
            self.build_and_announce()
