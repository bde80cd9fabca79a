"""Where this plugin's sources are, said once: its import name and its folder (sub-packages included)."""

from pathlib import Path

PACKAGE_NAME = __name__.rpartition(".")[0]
PACKAGE_ROOT = Path(__file__).resolve().parent
