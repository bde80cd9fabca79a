"""Jupyter notebooks (.ipynb, nbformat 4) as posts, rendered from their saved outputs.

Nothing is run: no kernel, no nbclient. Front matter comes from a first raw cell holding YAML
between `---` lines (as Quarto and Jupytext write it), else from the notebook's metadata; it goes
through the same table as a Markdown post's. Markdown cells go through the Markdown reader's own
conversion (math as MathML, typography, link resolution later), code cells through Pygments in
the notebook's language, outputs through notebook_outputs.py. Images leave the page as files,
listed in the `notebook_files` metadata for the writer (output/notebook_files.py).
"""

import html
import json
import re
import warnings

from lxml import etree
from pelican.utils import truncate_html_words
from pygments import highlight
from pygments.filter import simplefilter
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.token import Token
from pygments.util import ClassNotFound

from ..problems import Problem
from .front_matter import FrontMatterError, Source, split_source
from .html_fragments import inner_html
from .mathml import located
from .metadata import CONTROL_CHARACTERS, NONCHARACTERS
from .notebook_outputs import (
    IMAGE_TYPES,
    PREFERENCE,
    BadOutput,
    image_file,
    image_tag,
    joined,
    preformatted,
    sanitised_html,
)
from .reader import ATX_HEADING, JournalReader, shorten
from .source import decode

# Keys of a notebook's own metadata that are front matter (nbformat's title and authors, and
# what authors add by hand); the rest (kernelspec, widgets, jupytext) is the notebook's business.
METADATA_KEYS = (
    "title", "subtitle", "date", "published", "updated", "modified", "author", "authors", "tags", "keywords",
    "series", "series_index", "series_order", "part", "category", "categories", "description", "summary",
    "excerpt", "slug", "draft", "status", "permalink", "url", "aliases", "lang", "toc",
)  # fmt: skip
CELL_TYPES = ("markdown", "code", "raw")
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")
OUTPUT_IMAGE = re.compile(r"<img\b[^>]*>")
ATTACHMENT = re.compile(r"attachment:(?P<name>[^\s)\"'>]+)")
DEFAULT_MAX_OUTPUT = 20_000  # characters of one text output before it is cut
DEFAULT_MAX_SIZE = 20_000_000  # bytes of a notebook file before it is reported
NONCHARACTER = re.compile(f"[{NONCHARACTERS}]")
# Outputs drawn by the notebook's JavaScript (widgets, progress bars, Javascript()): without a
# static form, the note says so rather than their Python repr.
LIVE_TYPES = ("application/javascript", "application/vnd.jupyter.widget-view+json")
BARE_REPR = re.compile(r"<[\w.]+ object(?: at 0x[0-9a-fA-F]+)?>")
OLD_FORMATS = (1, 2, 3)  # nbformat converts them to 4
NOT_A_NOTEBOOK = "is not a Jupyter notebook (no list of cells)"


class NotebookReader(JournalReader):
    """A saved notebook becomes a post; its images are returned in `notebook_files`."""

    file_extensions = ["ipynb"]

    def read_source(self, source_path, path, report):
        with open(source_path, "rb") as handle:
            data = handle.read()
        notebook, problems = load_notebook(data, path)
        limit = self.settings.get("JOURNAL_NOTEBOOK_MAX_SIZE", DEFAULT_MAX_SIZE)
        if limit and len(data) > limit:
            problems.append(
                Problem(
                    path,
                    None,
                    None,
                    f"the notebook is {len(data) / 1e6:.1f} MB, over JOURNAL_NOTEBOOK_MAX_SIZE "
                    f"({limit / 1e6:.1f} MB); clear large outputs before saving it",
                    code="notebook-too-big",
                )
            )
        cells = list(enumerate(notebook.cells, start=1))
        raw, cells = front_matter_of(notebook, cells, path, problems)
        heading, cells = ("", cells) if "title" in raw else title_heading(cells)
        page = NotebookPage(self, path, notebook, problems)
        body = page.render(cells)
        source = Source(body=heading, style="yaml")  # the title, when a heading gives it
        self._md = None  # formulas were reported cell by cell, with their cell numbers
        content, metadata = self.complete(source_path, path, body, raw, {}, source, problems, report)
        if "summary" not in metadata:
            metadata["summary"] = page.first_paragraph or self.summary_without_images(content)
        if page.files:
            metadata["notebook_files"] = dict(sorted(page.files.items()))
        return content, metadata

    def summary_without_images(self, content: str) -> str:
        """Pelican's summary (the first words of the page), without images: their `src` is
        relative to the post's page and would be broken on the home page and in lists."""
        length = self.settings.get("SUMMARY_MAX_LENGTH", 50)
        text = OUTPUT_IMAGE.sub("", content)
        if length is None:
            return text
        return truncate_html_words(text, length, self.settings.get("SUMMARY_END_SUFFIX", "…"))


def load_notebook(data: bytes, path: str):
    """The notebook as nbformat reads it; a file that is not one raises FrontMatterError."""
    import nbformat  # here, not at the top: a blog without notebooks never loads it (nor its schemas)
    from nbformat.warnings import DuplicateCellId, MissingIDFieldWarning

    text, problems = decode(data, path)
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        raise FrontMatterError(
            Problem(
                path,
                error.lineno,
                None,
                f"is not valid JSON ({error.msg}, column {error.colno}); "
                "open it in Jupyter and save it again, or fix the JSON",
                code="invalid-notebook",
            )
        ) from None
    if not isinstance(content, dict):
        raise FrontMatterError(Problem(path, None, None, NOT_A_NOTEBOOK, code="invalid-notebook"))
    version = content.get("nbformat")
    if type(version) is int and version in OLD_FORMATS:
        content = upgraded(content, version, path)
        problems.append(
            Problem(
                path,
                None,
                None,
                f"is in notebook format {version}, converted to format 4 to be read; open and save it "
                "in a current Jupyter to convert it for good",
                severity="note",
                code="old-notebook-format",
            )
        )
    elif version != 4:
        raise FrontMatterError(
            Problem(
                path,
                None,
                None,
                f"is in notebook format {version!r}; formats 1 to 4 are read: "
                "save it from Jupyter as a notebook (format 4)",
                code="old-notebook-format",
            )
        )
    if not isinstance(content.get("cells"), list):
        raise FrontMatterError(Problem(path, None, None, NOT_A_NOTEBOOK, code="invalid-notebook"))
    for number, cell in enumerate(content["cells"], start=1):
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        if kind not in CELL_TYPES:
            raise FrontMatterError(
                Problem(
                    path,
                    None,
                    None,
                    f"cell {number} has an unknown cell type {kind!r} "
                    f"(expected one of {', '.join(CELL_TYPES)}); fix or delete that cell",
                    code="invalid-notebook",
                )
            )
    notebook = nbformat.from_dict(without_noncharacters(content))
    try:
        with warnings.catch_warnings():  # cell ids are not used here: no noise on the console for them
            warnings.simplefilter("ignore", (MissingIDFieldWarning, DuplicateCellId))
            nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        where = list(error.absolute_path)
        cell = f"cell {where[1] + 1}: " if len(where) > 1 and where[0] == "cells" else ""
        problems.append(
            Problem(
                path,
                None,
                None,
                f"{cell}the notebook does not follow nbformat 4 "
                f"({shorten(error.message, 100)}); it is shown as far as it can be read",
                code="invalid-notebook",
            )
        )
    return notebook, problems


def upgraded(content: dict, version: int, path: str) -> dict:
    """A notebook of format 1 to 3 (worksheets, heading cells, `pyout`) as format 4, by nbformat's
    own conversion, so it is read like any other."""
    import nbformat
    import nbformat.reader

    try:
        old = nbformat.reader.reads(json.dumps(content))
        return json.loads(nbformat.writes(nbformat.convert(old, 4), version=4))
    except (nbformat.ValidationError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise FrontMatterError(
            Problem(
                path,
                None,
                None,
                f"is in notebook format {version} and cannot be converted to format 4 "
                f"({shorten(str(error), 100)}); open and save it in a current Jupyter",
                code="old-notebook-format",
            )
        ) from None


def without_noncharacters(value):
    """JSON escapes (`\\ufffe`, `\\u0007`) make characters the file's own check never saw.
    Noncharacters go everywhere; control characters go from cell sources and metadata, while
    outputs keep theirs for the terminal colours (ansi.py drops the rest)."""
    if isinstance(value, str):
        return NONCHARACTER.sub("", value)
    if isinstance(value, list):
        return [without_noncharacters(item) for item in value]
    if isinstance(value, dict):
        cleaned = {key: without_noncharacters(item) for key, item in value.items() if key != "outputs"}
        for key in ("source", "metadata"):
            if key in cleaned:
                cleaned[key] = without_controls(cleaned[key])
        if "outputs" in value:
            cleaned["outputs"] = without_noncharacters(value["outputs"])
        return cleaned
    return value


def without_controls(value):
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [without_controls(item) for item in value]
    if isinstance(value, dict):
        return {key: without_controls(item) for key, item in value.items()}
    return value


def front_matter_of(notebook, cells: list, path: str, problems: list) -> tuple[dict, list]:
    """(raw front matter, the cells to show). A first raw cell fenced with `---` is the front
    matter and is not shown; else the notebook's metadata keys that are front matter."""
    if cells and cells[0][1].cell_type == "raw":
        text = joined(cells[0][1].source)
        if text.lstrip().startswith("---"):
            try:
                source = split_source(text, path)
            except FrontMatterError as error:
                raise FrontMatterError(in_cell(error.problem, 1)) from None
            problems.extend(in_cell(problem, 1) for problem in source.warnings)
            if source.body.strip():
                problems.append(
                    Problem(path, None, None, "cell 1: text after the front matter is not shown",
                            code="notebook-front-matter")
                )
            return dict(source.data), cells[1:]
    raw = {}
    for key in METADATA_KEYS:
        if key in notebook.metadata:
            raw[key] = notebook.metadata[key]
    if isinstance(raw.get("authors"), list):  # nbformat: [{"name": ...}]
        names = [a.get("name") if isinstance(a, dict) else a for a in raw["authors"]]
        raw["authors"] = [str(name) for name in names if name]
    return raw, cells


def title_heading(cells: list) -> tuple[str, list]:
    """(`# heading`, the cells without it): the first markdown cell before any code that starts
    with a level-one heading gives the title, as the first heading of a Markdown post does.
    Cells before it (a cover image, navigation links, a badge) stay; the heading is not shown twice."""
    for position, (number, cell) in enumerate(cells):
        source = joined(cell.source)
        if cell.cell_type == "code" and source.strip():
            break
        if cell.cell_type != "markdown" or not source.strip():
            continue
        first, _, rest = source.lstrip("\n").partition("\n")
        if ATX_HEADING.match(first):
            shown = type(cell)({**cell, "source": rest})  # nbformat's own node type
            return first, [*cells[:position], (number, shown), *cells[position + 1 :]]
    return "", cells


def in_cell(problem: Problem, number: int) -> Problem:
    """A problem found inside a cell: its line counts from the cell, so the cell is named."""
    line = f", line {problem.line}" if problem.line else ""
    message = f"cell {number}{line}: {problem.message}"
    return Problem(problem.path, None, problem.key, message, problem.severity, problem.code)


def lexer_for(metadata):
    """The notebook's language as its kernel recorded it (language_info, then kernelspec)."""
    info = metadata.get("language_info") or {}
    for name in (info.get("pygments_lexer"), info.get("name"), (metadata.get("kernelspec") or {}).get("language")):
        if isinstance(name, str) and name:
            try:
                return get_lexer_by_name(name)
            except ClassNotFound:
                continue
    return get_lexer_by_name("python") if not info and not metadata.get("kernelspec") else TextLexer()


@simplefilter
def kernel_syntax(self, lexer, stream, options):
    """Magics and shell escapes (`%timeit`, `!pip install`) are valid in a notebook, but not in
    the language Pygments knows: they are shown as plain text, not boxed as errors."""
    for kind, value in stream:
        yield (Token.Text if kind in Token.Error else kind), value


def cell_tags(cell) -> set:
    tags = cell.metadata.get("tags") or []
    tags = {str(tag) for tag in tags} if isinstance(tags, list) else set()
    jupyter = cell.metadata.get("jupyter") or {}
    if isinstance(jupyter, dict):  # JupyterLab's collapsed input and output
        if jupyter.get("source_hidden"):
            tags.add("hide-input")
        if jupyter.get("outputs_hidden"):
            tags.add("hide-output")
    return tags


def folded(summary: str, inner: str, css_class: str) -> str:
    return f'<details class="nb-fold {css_class}"><summary>{summary}</summary>{inner}</details>'


class NotebookPage:
    """One notebook's HTML, built cell by cell; the image files it needs gathered on the way."""

    def __init__(self, reader: NotebookReader, path: str, notebook, problems: list):
        self.reader = reader
        self.path = path
        self.problems = problems
        self.files = {}  # file name -> bytes
        self.first_paragraph = ""
        self.cell_metadata = {}
        self.limit = int(reader.settings.get("JOURNAL_NOTEBOOK_MAX_OUTPUT", DEFAULT_MAX_OUTPUT) or 0)
        self.lexer = lexer_for(notebook.metadata)
        self.lexer.add_filter(kernel_syntax())
        self.formatter = HtmlFormatter(cssclass="highlight")

    def warn(self, number: int, message: str, severity: str = "warning") -> None:
        problem = Problem(self.path, None, None, f"cell {number}: {message}", severity, code="notebook-output")
        self.problems.append(problem)

    def render(self, cells: list) -> str:
        parts = []
        for number, cell in cells:
            if "remove-cell" in cell_tags(cell):
                continue
            if cell.cell_type == "markdown":
                parts.append(self.markdown_cell(number, cell))
            elif cell.cell_type == "code":
                parts.append(self.code_cell(number, cell))
            else:  # raw cells are meant for a converter, not for readers: shown as written
                text = joined(cell.source)
                if text.strip():
                    parts.append(f'<pre class="nb-raw">{html.escape(text)}</pre>')
        return "\n".join(part for part in parts if part)

    def markdown(self, number: int, text: str) -> str:
        """The Markdown reader's own conversion; bad formulas reported with the cell's number."""
        converted = self.reader.convert(text)
        for error, line in located(getattr(self.reader._md, "math_errors", []), text, 1):
            self.warn(
                number,
                f"line {line}: the formula {shorten(error.written)} is not valid TeX ({error.reason}); "
                "it is shown as code until it is fixed",
            )
        return converted

    def markdown_cell(self, number: int, cell) -> str:
        text = joined(cell.source)
        attachments = cell.get("attachments") or {}
        if attachments:
            text = self.attach(number, text, attachments)
        converted = self.markdown(number, text)
        if not self.first_paragraph:
            self.first_paragraph = first_paragraph(converted)
        return converted

    def attach(self, number: int, text: str, attachments: dict) -> str:
        """`attachment:name.png` points at the attached image, written as a file like outputs."""
        names = {}
        for name, bundle in sorted(attachments.items()):
            mime = next((m for m in IMAGE_TYPES if isinstance(bundle, dict) and m in bundle), None)
            if mime is None:
                self.warn(number, f"the attachment {name!r} is not a PNG, JPEG or SVG image; it is not shown")
                continue
            try:
                file_name, data, _ = image_file(mime, bundle[mime])
            except BadOutput as error:
                self.warn(number, f"the attachment {name!r} cannot be shown: {error}")
                continue
            self.files[file_name] = data
            names[name] = file_name
        return ATTACHMENT.sub(lambda match: names.get(match["name"], match[0]), text)

    def code_cell(self, number: int, cell) -> str:
        tags = cell_tags(cell)
        self.cell_metadata = cell.metadata
        parts = []
        source = joined(cell.source)
        if "remove-input" not in tags and source.strip():
            count = cell.get("execution_count")
            label = f"In [{count}]" if isinstance(count, int) else "In [ ]"
            code = highlight(source, self.lexer, self.formatter)
            block = f'<div class="nb-input"><span class="nb-count count">{label}</span>{code}</div>'
            if "hide-input" in tags:
                block = folded("Show code", block, "nb-fold-input")
            parts.append(block)
        if "remove-output" not in tags:
            shown = [self.output(number, index, output) for index, output in enumerate(cell.get("outputs") or [], 1)]
            outputs = "".join(item for item in shown if item)
            if outputs:
                block = f'<div class="nb-outputs">{outputs}</div>'
                if "hide-output" in tags:
                    block = folded("Show output", block, "nb-fold-output")
                parts.append(block)
        if not parts:
            return ""
        inner = "".join(parts)
        if "hide-cell" in tags:
            inner = folded("Show code cell", inner, "nb-fold-cell")
        return f'<div class="nb-cell">{inner}</div>'

    def output(self, number: int, index: int, output) -> str:
        """One saved output as HTML; one that cannot be decoded is skipped and reported."""
        kind = output.get("output_type")
        try:
            if kind == "stream":
                stream = " nb-stderr" if output.get("name") == "stderr" else ""
                return preformatted(joined(output.get("text", "")), self.limit, f"nb-output nb-stream{stream}")
            if kind == "error":
                lines = output.get("traceback") or [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
                return preformatted("\n".join(map(str, lines)), self.limit, "nb-output nb-error")
            if kind in ("display_data", "execute_result"):
                return self.rich(number, index, output)
            raise BadOutput(f"its output type {kind!r} is unknown (expected one of {', '.join(OUTPUT_TYPES)})")
        except BadOutput as error:
            self.warn(number, f"output {index} cannot be shown: {error}; it is left out")
            return ""

    def rich(self, number: int, index: int, output) -> str:
        """The best static form an output carries, else a note naming what it needed."""
        data = output.get("data") or {}
        if not isinstance(data, dict):
            raise BadOutput("its data is not a mapping of types to values")
        for mime in PREFERENCE:
            if mime == "text/plain" and any(kind in data for kind in LIVE_TYPES):
                break  # its plain text is a repr (`HBox(children=...)`), not what readers saw
            if mime == "text/plain" and len(data) > 1 and BARE_REPR.fullmatch(joined(data[mime]).strip()):
                return ""  # `<IPython.core.display.HTML object>` beside HTML that was only a style
            if mime in data:
                shown = self.mime(number, index, mime, data[mime], output)
                if shown:
                    return shown
        if not data:
            return ""
        kinds = ", ".join(sorted(data))
        return f'<p class="nb-note note">This output ({html.escape(kinds)}) needs a running notebook to be shown.</p>'

    def mime(self, number: int, index: int, mime: str, value, output) -> str:
        if mime in IMAGE_TYPES:
            name, data, size = image_file(mime, value)
            size = declared_size(output.get("metadata") or {}, mime, size)
            self.files[name] = data
            return image_tag(name, size, self.alt_text(number, output))
        text = joined(value)
        if mime == "text/html":
            cleaned = sanitised_html(text)
            if not has_content(cleaned):
                return ""
            return f'<div class="nb-output nb-html">{cleaned}</div>'
        if mime == "text/markdown":
            converted = sanitised_html(self.markdown(number, text), formulas=True)
            return f'<div class="nb-output nb-markdown">{converted}</div>'
        if mime == "text/latex":
            stripped = text.strip()
            if not stripped.startswith(("$", "\\[", "\\(")):
                stripped = f"$$\n{stripped}\n$$"
            converted = sanitised_html(self.markdown(number, stripped), formulas=True)
            if "<math" not in converted:
                return ""
            return f'<div class="nb-output nb-latex">{converted}</div>'
        return preformatted(text, self.limit, "nb-output nb-text")

    def alt_text(self, number: int, output) -> str:
        """The author's alt text (output or cell metadata `alt`, or Jupyter Book's `image: alt:`),
        else a plain description of where the image comes from."""
        for holder in (output.get("metadata") or {}, self.cell_metadata):
            image = holder.get("image") if isinstance(holder.get("image"), dict) else {}
            for candidate in (holder.get("alt"), image.get("alt")):
                if isinstance(candidate, str) and candidate.strip():
                    return candidate.strip()
        return f"Output of cell {number}"


def declared_size(metadata: dict, mime: str, size):
    """Jupyter's `metadata: {image/png: {width: ...}}` (a retina figure shown at half size)."""
    declared = metadata.get(mime) if isinstance(metadata.get(mime), dict) else {}
    width, height = declared.get("width"), declared.get("height")
    if isinstance(width, int) and width > 0 and size:
        return width, height if isinstance(height, int) and height > 0 else round(size[1] * width / size[0])
    return size


def has_content(fragment: str) -> bool:
    """Sanitised HTML that still shows something (plotly's HTML is all script: nothing left)."""
    if not fragment:
        return False
    root = etree.HTML(f"<div>{fragment}</div>")
    return root is not None and bool("".join(root.itertext()).strip())


def first_paragraph(fragment: str) -> str:
    """The first paragraph of words: one holding an image (a cover, a badge) is passed over."""
    for match in re.finditer(r"<p>(.*?)</p>", fragment, re.DOTALL):
        if "<img" not in match[1]:
            return inner_html(etree.HTML(f"<p>{match[1]}</p>").find(".//p")).strip()
    return ""


def register_notebook_reader(readers) -> None:
    """readers_init: `.ipynb` files are posts (before the build cache wraps the readers)."""
    for extension in NotebookReader.file_extensions:
        readers.reader_classes[extension] = NotebookReader
