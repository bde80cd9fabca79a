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
import threading
import traceback
from http.server import ThreadingHTTPServer
from pathlib import Path

import watchfiles
from pelican import Pelican
from pelican.server import ComplexHTTPRequestHandler
from pelican.utils import FileChangeFilter

from ..build.atomic import discard_staging
from ..build_state import build_state
from .project import ProjectError, load_settings

EVENTS_URL = "/__journal/events"
KEEPALIVE_SECONDS = 15
# Added before </body>: reload when a newer build is announced, draw the build's errors over the
# page otherwise. textContent keeps the error text plain (never parsed as HTML).
RELOAD_SCRIPT = """<script data-journal-reload>(() => {
  const built = %(version)d;
  const events = new EventSource("%(events)s");
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    let overlay = document.getElementById("journal-build-errors");
    if (state.version !== built) {
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
    """The outcome of the last build (a number that grows, and its errors), with a condition
    the event streams wait on."""

    def __init__(self):
        self.version = 0
        self.errors: list[str] = []
        self.changed = threading.Condition()

    def publish(self, errors: list[str], written: bool) -> None:
        """A build ended: `written` when it wrote the output (skipped posts are errors too)."""
        with self.changed:
            if written:
                self.version += 1
            self.errors = errors
            self.changed.notify_all()

    def snapshot(self) -> dict:
        return {"version": self.version, "errors": list(self.errors)}


def with_reload_script(html: bytes, version: int) -> bytes:
    script = (RELOAD_SCRIPT % {"version": version, "events": EVENTS_URL}).encode("utf-8")
    at = html.lower().rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


def handler_for(state: BuildState, output: str):
    class LiveHandler(ComplexHTTPRequestHandler):
        """Pelican's preview handler: a real 404, the reload script in HTML, the event stream."""

        base_path = output

        def do_GET(self):
            if self.path.split("?", 1)[0] == EVENTS_URL:
                self.stream_events()
                return
            if self.get_path_that_exists(self.path.split("?", 1)[0]) is None:
                self.send_error(404, "Not found in the preview")
                return
            super().do_GET()

        def send_head(self):
            path = self.translate_path(self.path)
            if os.path.isdir(path) and path.endswith("/"):
                path = os.path.join(path, "index.html")
            if not path.endswith(".html") or not os.path.isfile(path):
                return super().send_head()
            with state.changed:
                version = state.version
            body = with_reload_script(Path(path).read_bytes(), version)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            return io.BytesIO(body)

        def stream_events(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = None
            try:
                while True:
                    with state.changed:
                        if state.snapshot() == seen:
                            state.changed.wait(KEEPALIVE_SECONDS)
                        now = state.snapshot()
                    if now != seen:
                        self.wfile.write(f"data: {json.dumps(now)}\n\n".encode())
                        seen = now
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

    def build(self) -> tuple[list[str], bool]:
        """Build once: the errors to show (an exception, or posts the build had to skip) and
        whether the output was written."""
        try:
            self.pelican.run()
        except Exception as error:  # a template, setting or strict-mode failure: keep serving the last output
            discard_staging(self.pelican)
            logging.getLogger(__name__).debug("build failed", exc_info=True)
            return [failure(error, self.project)], False
        report = build_state(self.pelican.settings).report
        return [f"{problem} (skipped)" for problem in report.skipped.values()], True

    def build_and_announce(self) -> None:
        errors, written = self.build()
        for error in errors:
            self.say(f"build error: {error}")
        self.state.publish(errors, written)

    def watch(self, stop: threading.Event) -> None:
        """Rebuild after each save until `stop` is set. `step` is how long a burst of saves is
        gathered: short, as one save is the common case."""
        ignore = FileChangeFilter(ignore_file_patterns=set(self.settings.get("IGNORE_FILES", [])))
        for changes in watchfiles.watch(
            *self.watched(), watch_filter=ignore, step=30, debounce=400, stop_event=stop, rust_timeout=500
        ):
            changed = sorted({path for _, path in changes})
            self.say("changed: " + ", ".join(os.path.relpath(p, self.project) for p in changed))
            if any(Path(p) in self.settings_files() for p in changed):
                try:
                    self.reload_settings()
                except ProjectError as error:
                    self.say(str(error))
                    self.state.publish([str(error)], written=False)
                    continue
            self.build_and_announce()
