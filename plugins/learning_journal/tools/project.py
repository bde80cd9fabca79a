"""Find an author's project, load its settings and read its content the way a build does.

The authoring tools (`journal new`, `journal check`) need what Pelican knows after reading
(every post, its series and position, the build report) without writing anything, so they
run the generators' `generate_context` and the plugin's cross-content step, and stop there.
"""

import os
import traceback
from dataclasses import dataclass
from pathlib import Path

from pelican import Pelican
from pelican.plugins import signals
from pelican.settings import get_settings_from_file, read_settings

from ..build_state import build_state
from ..content_kinds import CONTENT_KINDS
from ..package import THEME_NAME, theme_root
from ..report import BuildReport
from ..site.series import SeriesCatalog

SETTINGS_FILE = "pelicanconf.py"
PRODUCTION_SETTINGS_FILE = "publishconf.py"
# A production build never writes a draft and holds only what it built (no page left from a
# preview build), whatever an older publishconf.py says.
PRODUCTION_OVERRIDES = {"JOURNAL_DRAFTS": False, "DELETE_OUTPUT_DIRECTORY": True}


class ProjectError(Exception):
    """The project cannot be found or loaded; the message says what to do."""


def find_project(start: str | None) -> Path:
    """The folder holding pelicanconf.py: `start` itself, or the current folder and its parents."""
    if start is not None:
        folder = Path(start).expanduser().resolve()
        if not (folder / SETTINGS_FILE).is_file():
            raise ProjectError(
                f"{folder}: no {SETTINGS_FILE} here; give --project the folder that holds it"
            )
        return folder
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise ProjectError(
        f"no {SETTINGS_FILE} in {here} or its parents; run this inside a journal project "
        "or pass --project DIR"
    )


def load_settings(project: Path, production: bool = False, **overrides) -> dict:
    """Pelican's settings for the project; publishconf.py imports pelicanconf from the cwd."""
    name = PRODUCTION_SETTINGS_FILE if production else SETTINGS_FILE
    if production:
        overrides = {**PRODUCTION_OVERRIDES, **overrides}
    path = project / name
    if not path.is_file():
        raise ProjectError(
            f"{path}: not found; {name} holds the settings for this build"
        )
    os.chdir(project)
    try:
        if "THEME" not in overrides and get_settings_from_file(str(path)).get("THEME") == THEME_NAME:
            overrides["THEME"] = str(theme_root())  # Pelican itself knows only paths and its own themes
        return read_settings(str(path), override=overrides)
    except Exception as error:  # the file's own code, or a setting Pelican refuses
        raise ProjectError(settings_problem(path, error)) from error


def settings_problem(path: Path, error: Exception) -> str:
    """`file:line: what is wrong; what to do` for settings that cannot be loaded (no traceback)."""
    line = error.lineno if isinstance(error, SyntaxError) else None
    if line is None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename).resolve() == path.resolve()]
        line = frames[-1].lineno if frames else None
    where = f"{path}:{line}" if line else str(path)
    advice = f"fix {path.name} and build again"
    if "Could not find the theme" in str(error):
        advice = (
            "THEME must name a folder that holds templates/ (a path relative to the project, or a "
            "theme installed for Pelican); the theme that comes with learning-journal is "
            f'THEME = "{THEME_NAME}"'
        )
    return f"{where}: the settings cannot be loaded ({type(error).__name__}: {error}); {advice}"


@dataclass
class ReadContent:
    """What a build knows once every generator has read its content."""

    settings: dict
    context: dict
    generators: list

    @property
    def report(self) -> BuildReport:
        return build_state(self.settings).report

    @property
    def series_catalog(self) -> SeriesCatalog:
        """The series as the build sees them (output/series_pages.build_series)."""
        return build_state(self.settings).series

    def contents(self, *kinds: str) -> list:
        kinds = kinds or CONTENT_KINDS
        return [
            c
            for g in self.generators
            for kind in kinds
            for c in getattr(g, kind, None) or []
        ]


def read_content(settings: dict) -> ReadContent:
    """Run Pelican up to `all_generators_finalized`: everything is read, nothing is written
    (no staging folder either, and strict mode does not stop the reading)."""
    settings.update(JOURNAL_ATOMIC_OUTPUT=False, JOURNAL_STRICT=False)
    pelican = Pelican(settings)
    context = settings.copy()
    context["generated_content"] = {}
    context["static_links"] = set()
    context["static_content"] = {}
    context["localsiteurl"] = settings["SITEURL"]
    generators = [
        cls(
            context=context,
            settings=settings,
            path=pelican.path,
            theme=pelican.theme,
            output_path=pelican.output_path,
        )
        for cls in pelican._get_generator_classes()
    ]
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
    signals.all_generators_finalized.send(generators)
    return ReadContent(settings=settings, context=context, generators=generators)
