"""`journal`: the author's tools. One function per command; the work lives in its modules.

journal new "Title" --series NAME   write a new post, numbered after the series' last part
                                    (--notebook: a Jupyter notebook post)
journal check [PATH]                read everything, write nothing, list every problem
journal serve [--port N]            preview on 127.0.0.1, rebuilt on every save, pages reload
journal build [--production]        build the site and print the build report
journal init DIR                    write a new blog into an empty or new folder
journal publish [--rsync DEST]      a production build, sent to GitHub Pages (or with rsync)
journal import SOURCE_DIR           bring a Jekyll, Hugo, Astro or Gatsby blog into content/
"""

import argparse
import dataclasses
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from .project import ProjectError, find_project, load_settings, read_content

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Refused(Exception):
    """The command will not do what was asked; the message says why and what to do."""


def say(message: str) -> None:
    print(message, file=sys.stderr)


def displayer(project: Path, invoked_from: Path):
    """Paths as the author reads them: relative to where the command was run, when inside it."""

    def display(path) -> str:
        absolute = Path(project, path).resolve()
        try:
            return absolute.relative_to(invoked_from).as_posix()
        except ValueError:
            return str(absolute)

    return display


def quiet_logging(handler: logging.Handler | None = None) -> None:
    """Commands that print their own findings: no log lines on the console."""
    root = logging.getLogger()
    root.handlers = [handler or logging.NullHandler()]
    root.setLevel(logging.WARNING)


def choose_series(args, read):
    """(known series or None, name, position, folder slug of a new series), or an error."""
    from .new_post import match_series

    if not args.series:
        return None, None, None, None
    catalog = read.series_catalog
    match = match_series(args.series, catalog)
    if match.series:
        return match.series, match.series.name, match.series.next_position(), None
    if match.close_to and not args.new_series:
        raise Refused(
            f"no series '{args.series}'; did you mean '{match.close_to}'? "
            f'Use --series "{match.close_to}", or add --new-series to start a new series'
        )
    name = " ".join(args.series.split())
    say(f"note: '{name}' is a new series; this post is part 1")
    return None, name, 1, catalog.slug_of(name)


def new(args, project: Path, display) -> int:
    from ..read.metadata import Unusable, as_slug
    from .new_post import front_matter, notebook, now_in, post_path, slug_of

    quiet_logging()
    settings = load_settings(project, LOAD_CONTENT_CACHE=False, CACHE_CONTENT=False)
    read = read_content(settings)
    contents = read.contents()
    if args.slug:
        try:
            as_slug(args.slug, "slug")  # it names the file: no folders, no '..'
        except Unusable as error:
            say(f"--slug {args.slug!r} cannot be used: {error}")
            return EXIT_USAGE
    slug = args.slug or slug_of(args.title, settings)
    if not slug:
        say(f"the title {args.title!r} gives an empty file name; pass --slug my-post")
        return EXIT_USAGE
    try:
        series, name, position, new_series_slug = choose_series(args, read)
    except Refused as error:
        say(str(error))
        return EXIT_PROBLEMS
    path = post_path(settings, slug, series, new_series_slug, position, ".ipynb" if args.notebook else ".md")
    taken = [c for c in contents if c.slug == slug]
    if taken and not path.exists():
        say(
            f"the URL /{taken[0].url} is already taken by {display(taken[0].source_path)}; "
            "pick another title or pass --slug"
        )
        return EXIT_PROBLEMS
    tags = [tag.strip() for tag in (args.tags or "").split(",") if tag.strip()]
    text = front_matter(args.title, now_in(settings), name, position, tags, args.draft)
    if args.notebook:
        text = notebook(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        say(f"{display(path)} exists already; it was not overwritten (--slug picks another name)")
        return EXIT_PROBLEMS
    print(display(path))
    if series and series.source_path:
        say(f"note: if {display(series.source_path)} lists the parts, add {path.name} to its parts: list")
    return EXIT_OK


def check(args, project: Path, display) -> int:
    from .checks import PelicanLog, check_findings

    # check writes nothing: not even the build cache (build_cache.py).
    overrides = {"LOAD_CONTENT_CACHE": False, "CACHE_CONTENT": False, "JOURNAL_BUILD_CACHE": False}
    only = None
    if args.path:
        target = Path(args.invoked_from, args.path).resolve()
        if target.is_file():
            only = target
        elif target.is_dir():
            overrides["PATH"] = str(target)
        else:
            say(f"{args.path}: no such file or folder")
            return EXIT_USAGE
    settings = load_settings(project, **overrides)
    # The reader names files relative to the content folder's parent.
    display = displayer(Path(settings["PATH"]).parent, args.invoked_from)
    log = PelicanLog(settings["PATH"], display)
    quiet_logging(log)
    read = read_content(settings)
    problems = check_findings(read, display, log.problems)
    if only is not None:
        problems = [p for p in problems if Path(args.invoked_from, p.path).resolve() == only]
    ignore = set(settings.get("JOURNAL_IGNORE") or ()) | set(args.ignore or ())
    if args.strict:
        problems = [dataclasses.replace(p, severity="error") if p.severity == "warning" else p for p in problems]
    ignored = [p for p in problems if p.code in ignore and p.severity != "error"]
    problems = [p for p in problems if p not in ignored]
    counts = {kind: sum(p.severity == kind for p in problems) for kind in ("error", "warning", "note")}
    counts["ignored"] = len(ignored)
    if args.format == "json":
        json.dump(
            {
                "ok": not counts["error"],
                "counts": counts,
                "read": read.report.counts,
                "problems": [p.as_dict() for p in problems],
                "ignored": [p.as_dict() for p in ignored],
            },
            sys.stdout,
            indent=2,
        )
        print()
    else:
        for problem in problems:
            print(problem)
        if args.verbose:
            for problem in ignored:
                print(f"{problem} (ignored)")
        acknowledged = f", {counts['ignored']} ignored (-v lists them)" if ignored and not args.verbose else ""
        if ignored and args.verbose:
            acknowledged = f", {counts['ignored']} ignored"
        print(
            f"{counts['error']} errors, {counts['warning']} warnings, {counts['note']} notes{acknowledged} "
            f"in {read.report.counts.get('read', 0)} files"
        )
    return EXIT_PROBLEMS if counts["error"] else EXIT_OK


def build(args, project: Path, display) -> int:
    from pelican import Pelican
    from pelican.log import DEFAULT_LOG_HANDLER, console
    from pelican.log import init as init_logging
    from pelican.plugins import signals

    from ..build.atomic import StrictBuildError, discard_staging

    init_logging(handler=DEFAULT_LOG_HANDLER)
    overrides = {"JOURNAL_STRICT": True} if args.strict else {}
    if getattr(args, "verbose", False):
        overrides["JOURNAL_REPORT_IN_FULL"] = True
    settings = load_settings(project, production=args.production, **overrides)
    pelican = Pelican(settings)
    with console.status("Reading content...") as status:
        read = 0

        def count(_content):
            nonlocal read
            read += 1
            status.update(f"Reading content: {read} files")

        def writing(_generators):
            status.update(f"Writing the site ({read} files read)...")

        signals.content_object_init.connect(count)
        signals.all_generators_finalized.connect(writing)
        try:
            pelican.run()
        except StrictBuildError as error:
            discard_staging(pelican)
            say(str(error))
            return EXIT_PROBLEMS
        except Exception as error:  # a theme or plugin failure: say it, fail the build
            discard_staging(pelican)
            logging.getLogger(__name__).critical("%s: %s", type(error).__name__, error, exc_info=True)
            return EXIT_PROBLEMS
        finally:
            signals.content_object_init.disconnect(count)
            signals.all_generators_finalized.disconnect(writing)
    say(f"Site written to {display(settings['OUTPUT_PATH'])}")
    return EXIT_OK


def serve(args, project: Path, display) -> int:
    from pelican.log import init as init_logging

    from .serve import LiveServer, LiveSite, handler_for

    init_logging()
    site_url = f"http://127.0.0.1:{args.port}"
    site = LiveSite(project, {"SITEURL": site_url, "FEED_DOMAIN": site_url}, say)
    output = site.settings["OUTPUT_PATH"]
    os.makedirs(output, exist_ok=True)
    try:
        server = LiveServer(("127.0.0.1", args.port), handler_for(site.state, output))
    except OSError as error:
        say(f"cannot listen on 127.0.0.1:{args.port} ({error.strerror}); pick another --port")
        return EXIT_USAGE
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # A shell may start us with SIGINT ignored (a background job); Ctrl-C must still stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    stop = threading.Event()
    try:
        site.build_and_announce()
        say(f"Serving {display(output)} at {site_url}/ ; rebuilt on every save, open pages reload; Ctrl-C stops")
        site.watch(stop)
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    return EXIT_OK


def init(args, project: Path | None, display) -> int:
    from .init_blog import init_blog

    folder = Path(args.invoked_from, args.folder).resolve()
    if folder.exists() and not folder.is_dir():
        say(f"{args.folder} is a file; give journal init a new or empty folder")
        return EXIT_USAGE
    try:
        written = init_blog(folder, sitename=args.title, author=args.author)
    except FileExistsError as error:
        taken = ", ".join(display(path) for path in error.args[0])
        say(f"nothing written: these files exist already: {taken}; use a new or empty folder")
        return EXIT_PROBLEMS
    for path in written:
        print(display(path))
    here = display(folder)
    say(f"A new blog in {here}: cd {here} && journal serve")
    return EXIT_OK


def publish(args, project: Path, display) -> int:
    from .importers.site_address import PLACEHOLDER
    from .publish import Plan, PublishError, strip_drafts
    from .publish import publish as send

    # An address set in publishconf.py (by the author, or by `journal import`) is enough.
    if not os.environ.get("JOURNAL_SITEURL") and load_settings(project, production=True)["SITEURL"] == PLACEHOLDER:
        say("JOURNAL_SITEURL is not set: the production build needs the site's address, "
            "e.g. JOURNAL_SITEURL=https://me.github.io/blog journal publish (or set SITEURL in publishconf.py)")
        return EXIT_USAGE
    built = build(argparse.Namespace(production=True, strict=not args.force), project, display)
    if built != EXIT_OK:
        say("nothing published: the production build is not clean in strict mode; fix what it "
            "reports, or publish anyway with --force" if not args.force else "nothing published: the build failed")
        return built
    settings = load_settings(project, production=True)
    output = Path(settings["OUTPUT_PATH"])
    removed = strip_drafts(output, settings)
    if removed:
        say(f"note: {display(removed)} removed from the output: drafts are never published")
    plan = Plan(output=output, rsync_to=args.rsync, cname=os.environ.get("JOURNAL_CNAME") or None)
    if args.dry_run:
        print(f"would {plan.describe()}; nothing was sent (--dry-run)")
        return EXIT_OK
    say(f"Publishing: {plan.describe()}")
    try:
        send(plan, project)
    except PublishError as error:
        say(str(error))
        return EXIT_PROBLEMS
    say("Published.")
    return EXIT_OK


def import_blog(args, project: Path, display) -> int:
    from .importers.copy_site import MANIFEST, import_site
    from .importers.engines import NotASite, read_site

    quiet_logging()
    settings = load_settings(project, LOAD_CONTENT_CACHE=False, CACHE_CONTENT=False)
    source = Path(args.invoked_from, args.source).resolve()
    content = Path(settings["PATH"]).resolve()
    if content.is_relative_to(source) or source.is_relative_to(content):
        say(f"{display(source)}: the old site and content/ must not be inside one another; copy the old site elsewhere")
        return EXIT_USAGE
    try:
        site = read_site(source, args.engine)
    except NotASite as error:
        say(str(error))
        return EXIT_USAGE
    report = import_site(site, content, project / MANIFEST, settings)
    print("\n".join(report.lines()))
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    project_help = "the project folder (the one with pelicanconf.py); default: the current folder or a parent"
    # SUPPRESS: a subcommand without --project keeps the one given before it.
    common.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS, help=project_help)
    main_parser = argparse.ArgumentParser(
        prog="journal",
        description="Write, check, preview and build a learning journal.",
    )
    main_parser.add_argument("--project", metavar="DIR", help=project_help)
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser(
        "new",
        parents=[common],
        help="write a new post (the next part of a series)",
        description="Write a new Markdown post with YAML front matter and print its path. "
        "With --series it becomes the next part of that series, beside the other parts. "
        "An existing file is never overwritten.",
    )
    p.add_argument("title", help="the post's title (quote it)")
    p.add_argument(
        "--series",
        metavar="NAME",
        help="the series it belongs to (case does not matter)",
    )
    p.add_argument(
        "--new-series",
        action="store_true",
        help="start a new series even when NAME is close to an existing one",
    )
    p.add_argument("--tags", metavar="A,B", help="comma-separated tags")
    p.add_argument("--slug", help="the file name and URL (default: from the title)")
    p.add_argument("--draft", action="store_true", help="mark it as a draft (not published)")
    p.add_argument(
        "--notebook",
        action="store_true",
        help="write a Jupyter notebook (.ipynb) with the front matter in its first raw cell",
    )
    p.set_defaults(run=new)

    p = commands.add_parser(
        "check",
        parents=[common],
        help="report every problem in the content, write nothing",
        description="Read all content as a build does, without writing, and list every problem "
        "as file:line: severity[code]: message. Exit 0 when there is no error, 1 otherwise.",
    )
    p.add_argument(
        "path",
        nargs="?",
        help="a content folder, or one file to report on (default: PATH of pelicanconf.py)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings as errors (notes stay notes)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: one JSON document, for CI",
    )
    p.add_argument(
        "--ignore",
        metavar="CODE",
        action="append",
        help="acknowledge a kind of warning by its code (repeat it for more; JOURNAL_IGNORE in pelicanconf.py)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list the ignored problems too")
    p.set_defaults(run=check)

    p = commands.add_parser(
        "serve",
        parents=[common],
        help="preview on 127.0.0.1, rebuilt on every save",
        description="Build the site, serve it on 127.0.0.1 and rebuild it whenever content/, "
        "theme/ or pelicanconf.py changes. Ctrl-C stops it.",
    )
    p.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    p.set_defaults(run=serve)

    p = commands.add_parser(
        "build",
        parents=[common],
        help="build the site and print the build report",
        description="Build the site into OUTPUT_PATH (output/) and print the build report. "
        "Exit 0 when the site was written; 1 if the build failed (or, with --strict, when a "
        "file was skipped or a warning was reported).",
    )
    p.add_argument(
        "--production",
        action="store_true",
        help="use publishconf.py (absolute SITEURL)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when any file was skipped or any warning reported",
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every problem (notes and ignored ones too), not one line per kind",
    )
    p.set_defaults(run=build)

    p = commands.add_parser(
        "init",
        parents=[common],
        help="write a new blog into an empty or new folder",
        description="Write a new blog: settings, one post in a series, a series description, "
        ".gitignore and a GitHub workflow that publishes it on GitHub Pages. Existing files are "
        "never overwritten: journal init writes nothing if any of them exists.",
    )
    p.add_argument("folder", metavar="DIR", help="where the blog goes (made if missing)")
    p.add_argument("--title", default="My Learning Journal", help="the site's name (SITENAME)")
    p.add_argument("--author", default="Me", help="the author's name (AUTHOR)")
    p.set_defaults(run=init, needs_project=False)

    p = commands.add_parser(
        "publish",
        parents=[common],
        help="build for production and publish (GitHub Pages, or rsync)",
        description="Build with publishconf.py in strict mode, then commit the output to the "
        "gh-pages branch and push it to the remote origin (with .nojekyll, and a CNAME when "
        "JOURNAL_CNAME is set), or send it with rsync. Needs JOURNAL_SITEURL (or SITEURL in "
        "publishconf.py). Drafts are never published.",
    )
    p.add_argument("--rsync", metavar="DEST", help="send the site with rsync to DEST (host:path or a folder)")
    p.add_argument("--dry-run", action="store_true", help="build and say what would be sent; send nothing")
    p.add_argument("--force", action="store_true", help="publish even when the build has warnings or skipped files")
    p.set_defaults(run=publish)

    p = commands.add_parser(
        "import",
        parents=[common],
        help="bring a Jekyll, Hugo, Astro or Gatsby blog into content/",
        description="Copy the posts, pages and the files they use from another engine's site into "
        "content/, each post keeping its old URL (permalink, or redirect pages) and its old feed id. "
        "The old site is only read. Running it again updates what changed and duplicates nothing.",
    )
    p.add_argument("source", metavar="SOURCE_DIR", help="the old site's folder (the one with its configuration)")
    p.add_argument(
        "--from",
        dest="engine",
        choices=("jekyll", "hugo", "astro", "gatsby"),
        help="the engine that built it (default: told from its files)",
    )
    p.set_defaults(run=import_blog)
    return main_parser


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    args.invoked_from = Path.cwd().resolve()
    try:
        project = find_project(args.project) if getattr(args, "needs_project", True) else None
        return args.run(args, project, displayer(project or args.invoked_from, args.invoked_from))
    except ProjectError as error:
        say(str(error))
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
