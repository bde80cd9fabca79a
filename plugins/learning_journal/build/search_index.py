"""The search index: Pagefind over the post pages of this build, changed pages only noticed.

Pagefind cannot update an index in place (it splits every word's list of pages into chunks
over the whole site), and its Python API waits a tenth of a second for each reply, which is
100 s for 1000 pages added one by one. So the index is made by the Pagefind binary over a
folder of hard links to the post pages, kept under CACHE_PATH between builds:

- a post page whose output file did not change keeps its link; it is not read again;
- when no post page changed, came or went, Pagefind does not run and the previous bundle is
  published as it was;
- otherwise Pagefind indexes the folder in its own process, started as soon as the post pages
  are written, so it runs on the second core while Pelican writes listings and feeds.

The bundle goes through the build's writer: files with the same bytes keep their place and
mtime. Pagefind's own UI files are left out: the theme has its own small script.
"""

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..build_state import build_state
from ..problems import Problem
from .build_cache import output_cache_folder
from .writer import same_file, write_output

logger = logging.getLogger(__name__)
BUNDLE_FOLDER = "pagefind"
ENTRY_FILE = "pagefind-entry.json"
# Pagefind's ready-made interfaces, not used by the theme's search page.
UNUSED_FILES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


@dataclass
class SearchIndexRun:
    """What indexing did in one build (for the build log and the tests)."""

    folder: Path
    pages: int = 0  # post pages in the index
    changed: int = 0  # post pages linked anew, or gone since the last build
    indexed: bool = False  # Pagefind ran (False: the previous bundle was kept)
    process: subprocess.Popen | None = field(default=None, repr=False)


def search_folder(settings, output: str) -> Path:
    """One folder per output folder, under CACHE_PATH: `pages/` (links) and `bundle/`."""
    return output_cache_folder(settings, "search", output)


def post_pages(context) -> list[str]:
    """Output paths of every published post and its translations, in path order."""
    pages = set()
    for article in context.get("articles") or []:
        for item in [article, *getattr(article, "translations", [])]:
            if getattr(item, "save_as", ""):
                pages.add(os.path.normpath(item.save_as))
    return sorted(pages)


def files_below(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def link_pages(pages_folder: Path, wanted: dict) -> int:
    """Make `pages_folder` hold exactly the wanted pages (relative path -> file); return how
    many links were made or removed. A page whose file is the one linked last time is left."""
    changed = 0
    for relative, source in wanted.items():
        link = pages_folder / relative
        if link.is_file() and (os.path.samefile(link, source) or same_file(source, str(link))):
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        partial = link.with_name(f"{link.name}.partial")
        partial.unlink(missing_ok=True)
        try:
            os.link(source, partial)
        except OSError:  # another disk, or a file system without hard links
            shutil.copyfile(source, partial)
        os.replace(partial, link)
        changed += 1
    for relative in files_below(pages_folder):
        if relative not in wanted:
            (pages_folder / relative).unlink()
            changed += 1
    return changed


def pagefind_command(pages: Path, bundle: Path, settings) -> list[str]:
    # The binary of the pagefind[bin] package; its module loads asyncio, so only when indexing.
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise FileNotFoundError("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    # One index for the whole site: the search page looks in the language of the site.
    language = str(settings.get("DEFAULT_LANG") or "en").split("-")[0].split("_")[0].lower()
    return [
        str(executable),
        "--site",
        str(pages),
        "--output-path",
        str(bundle),
        "--force-language",
        language,
        "--quiet",
    ]


def start_search_index(writer, context, settings) -> None:
    """Once the post pages are written: link them, and start Pagefind if any changed."""
    folder = search_folder(settings, writer.previous_output)
    pages_folder, bundle = folder / "pages", folder / "bundle"
    wanted = {}
    for relative in post_pages(context):
        for root in (writer.output_path, writer.previous_output):  # written now, or kept as it was
            path = os.path.join(root, relative)
            if os.path.isfile(path):
                wanted[relative] = path
                break
    pages_folder.mkdir(parents=True, exist_ok=True)
    run = SearchIndexRun(folder=folder, pages=len(wanted), changed=link_pages(pages_folder, wanted))
    build_state(settings).search = run
    if not wanted or (run.changed == 0 and (bundle / ENTRY_FILE).is_file()):
        return
    shutil.rmtree(bundle, ignore_errors=True)
    with open(folder / "pagefind.log", "wb") as log:
        run.process = subprocess.Popen(
            pagefind_command(pages_folder, bundle, settings), stdout=log, stderr=subprocess.STDOUT
        )
    run.indexed = True


def finish_search_index(settings) -> None:
    """finalized, before publishing: wait for Pagefind, then write the bundle."""
    state = build_state(settings)
    run = state.search
    if run is None or state.writer is None:
        return
    bundle = run.folder / "bundle"
    if run.process is not None and run.process.wait() != 0:
        output = (run.folder / "pagefind.log").read_text(encoding="utf-8", errors="replace").strip()
        message = f"Pagefind could not index the posts (exit code {run.process.returncode}): {output[-2000:]}"
        state.report.warn(str(run.folder), Problem(str(run.folder), None, None, message, severity="error"))
        logger.error("search: %s", message)
        shutil.rmtree(bundle, ignore_errors=True)  # never published half made; the next build retries
        return
    if not (bundle / ENTRY_FILE).is_file():
        return
    target = Path(state.writer.output_path) / BUNDLE_FOLDER
    for relative in files_below(bundle):
        if not Path(relative).name.startswith(UNUSED_FILES):
            write_output(state.writer, str(target / relative), (bundle / relative).read_bytes())
    logger.info(
        "Search: %d posts, %d changed, %s",
        run.pages,
        run.changed,
        "indexed by Pagefind" if run.indexed else "index kept as it was",
    )
