"""The image files of notebook posts, written beside each post's page.

The notebook reader (read/notebook.py) leaves images out of the page and lists them in the
post's `notebook_files` (file name: bytes). Their `src` is the bare file name, so each is written
in the folder of the page it belongs to (its `save_as`, permalink or not). Files go through the
build's writer: an unchanged image keeps its place and mtime, a new one is staged and published
with the rest of the build.
"""

import logging
import os
from pathlib import Path

from ..build.writer import write_output
from ..content_kinds import CONTENT_KINDS

logger = logging.getLogger(__name__)


def notebook_contents(context) -> list:
    """Every written content object (translations too) that carries notebook files."""
    found = []
    for kind in CONTENT_KINDS:
        for content in context.get(kind) or []:
            for item in [content, *getattr(content, "translations", [])]:
                if getattr(item, "notebook_files", None) and getattr(item, "save_as", ""):
                    found.append(item)
    return sorted(found, key=lambda item: (item.save_as, item.source_path))


class NotebookFilesGenerator:
    """A Pelican generator with only an output step: one file per notebook image."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path

    def generate_output(self, writer) -> None:
        root = Path(writer.output_path).resolve()
        written = set()
        for content in notebook_contents(self.context):
            folder = os.path.dirname(content.save_as)
            for name, data in sorted(content.notebook_files.items()):
                target = (root / folder / name).resolve()
                if not target.is_relative_to(root):
                    logger.error(
                        "%s: the image %s would be written outside the output; skipped", content.source_path, name
                    )
                    continue
                if target in written:  # two posts of one folder showing the same image
                    continue
                written.add(target)
                write_output(writer, str(target), data)
