"""Where this plugin's sources are, said once: its import name, its folder (sub-packages
included) and the theme it ships."""

from pathlib import Path

PACKAGE_NAME = __name__.rpartition(".")[0]
PACKAGE_ROOT = Path(__file__).resolve().parent
# `THEME = "learning-journal"` in pelicanconf.py names the shipped theme (tools/project.py).
THEME_NAME = "learning-journal"


def theme_root() -> Path:
    """The shipped theme: inside the installed package (the wheel maps theme/ there), else the
    repository's theme/ beside plugins/ (an editable install)."""
    packaged = PACKAGE_ROOT / "theme"
    return packaged if (packaged / "templates").is_dir() else PACKAGE_ROOT.parents[1] / "theme"
