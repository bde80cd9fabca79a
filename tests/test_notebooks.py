"""Notebook posts: .ipynb files made here with nbformat, with saved outputs, built into a real
site; the pages, image files and feeds that come out are parsed and checked."""

import base64
import json
import struct
import warnings
import zlib
from pathlib import Path

import feedparser
import nbformat
from hypothesis import given
from hypothesis import strategies as st
from learning_journal.read.ansi import ansi_to_html
from nbformat import v3
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from sitebuild import build_site, rebuild
from test_cli import journal, make_project

PYTHON = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python", "pygments_lexer": "ipython3"},
}
SVG = (
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="60pt" '
    'onload="alert(1)"><script>alert(2)</script><rect width="10" height="10"/></svg>'
)
PANDAS_HTML = (
    "<style scoped>.dataframe tbody tr th { vertical-align: top; }</style>"
    '<table border="1" class="dataframe" onclick="steal()"><thead><tr><th></th><th>loss</th></tr></thead>'
    "<tbody><tr><th>0</th><td>0.25</td></tr><tr><th>1</th><td>0.125</td></tr></tbody></table>"
    "<script>document.cookie</script>"
)
TRACEBACK = [
    "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
    "\x1b[0;31mZeroDivisionError\x1b[0m                         Traceback (most recent call last)",
    "Cell \x1b[0;32mIn[6], line 1\x1b[0m\n\x1b[0;32m----> 1\x1b[0m \x1b[38;5;241m1\x1b[39m/\x1b[38;5;241m0\x1b[39m",
    "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero",
]


def png(width: int, height: int, colour=(200, 30, 30)) -> bytes:
    """A real PNG (what matplotlib saves), written with zlib and struct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PLOT = png(64, 48)
ATTACHED = png(8, 8, (0, 0, 200))


def front_matter_cell(title: str, extra: str = "") -> nbformat.NotebookNode:
    return new_raw_cell(f"---\ntitle: {title}\ndate: 2024-05-01\n{extra}---")


def lesson() -> nbformat.NotebookNode:
    """A machine-learning lesson as people save them: plots, a table, formulas, an error, tags."""
    b64 = base64.b64encode(PLOT).decode()
    cells = [
        front_matter_cell("Gradient descent by hand", "series: Learning ML\ntags: [ml, python]\n"),
        new_markdown_cell(
            "We minimise $f(x) = x^2$ step by step; see [the notes](notes.md).\n\n"
            "$$\\nabla f(x) = 2x$$\n\n![diagram](attachment:diagram.png)",
            attachments={"diagram.png": {"image/png": base64.b64encode(ATTACHED).decode()}},
        ),
        new_code_cell("import numpy as np\nprint('step', 1)", execution_count=1,
                      outputs=[new_output("stream", name="stdout", text="step 1\n")]),
        new_code_cell("plt.plot(xs, ys)", execution_count=2, outputs=[
            new_output("display_data", data={"image/png": b64, "text/plain": "<Figure size 640x480 with 1 Axes>"}),
        ]),
        new_code_cell("display(SVG(drawing))", execution_count=3,
                      outputs=[new_output("display_data", data={"image/svg+xml": SVG, "text/plain": "<SVG>"})]),
        new_code_cell("frame", execution_count=4, outputs=[
            new_output("execute_result", execution_count=4, data={"text/html": PANDAS_HTML, "text/plain": "   loss"}),
        ]),
        new_code_cell("sympy.diff(x**2)", execution_count=5, outputs=[
            new_output("execute_result", execution_count=5,
                       data={"text/latex": "$\\displaystyle 2 x$", "text/plain": "2*x"}),
        ]),
        new_code_cell("1/0", execution_count=6, outputs=[
            new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=TRACEBACK),
        ]),
        new_code_cell("secret_setup = 42", execution_count=7, metadata={"tags": ["remove-cell"]}),
        new_code_cell("hidden_helper()", execution_count=8, metadata={"tags": ["hide-input"]},
                      outputs=[new_output("stream", name="stdout", text="helped\n")]),
        new_code_cell("quiet_input()", execution_count=9, metadata={"tags": ["remove-input"]},
                      outputs=[new_output("stream", name="stdout", text="only the output\n")]),
        new_code_cell("noisy()", execution_count=10, metadata={"tags": ["remove-output"]},
                      outputs=[new_output("stream", name="stdout", text="noise that nobody reads\n")]),
        new_code_cell("long_log()", execution_count=11, metadata={"tags": ["hide-output"]},
                      outputs=[new_output("stream", name="stdout", text="epoch 1\n")]),
    ]  # fmt: skip
    return new_notebook(cells=cells, metadata=PYTHON)


NOTES = """\
---
title: Notes on calculus
date: 2024-04-01
series: Learning ML
---
Derivatives.
"""


def write_notebook(notebook) -> str:
    return nbformat.writes(notebook)


def shown_code_cells(notebook) -> int:
    hidden = {"remove-cell", "remove-input"}
    return sum(
        1 for cell in notebook.cells if cell.cell_type == "code" and not hidden & set(cell.metadata.get("tags", []))
    )


def image_outputs(notebook) -> int:
    return sum(
        1
        for cell in notebook.cells
        if cell.cell_type == "code" and not {"remove-cell", "remove-output"} & set(cell.metadata.get("tags", []))
        for output in cell.outputs
        if any(kind.startswith("image/") for kind in output.get("data", {}))
    )


def build_lesson(tmp_path, **overrides):
    notebook = lesson()
    site = build_site(
        tmp_path,
        {"ml/gradient-descent.ipynb": write_notebook(notebook), "ml/notes.md": NOTES},
        **overrides,
    )
    return site, notebook


def test_notebook_becomes_a_post_with_one_block_per_code_cell_and_its_outputs(tmp_path):
    site, notebook = build_lesson(tmp_path)
    assert site.report.counts["published"] == 2, site.messages()
    page = site.html("gradient-descent-by-hand/")
    body = page.select_one("article .post-body") or page.select_one("article")
    assert page.select_one("h1").get_text(strip=True) == "Gradient descent by hand"
    assert len(body.select(".nb-input .highlight pre")) == shown_code_cells(notebook)
    assert [label.get_text() for label in body.select(".nb-count")][:3] == ["In [1]", "In [2]", "In [3]"]
    text = body.get_text()
    assert "step 1" in text and "only the output" in text
    assert "secret_setup" not in text and "quiet_input" not in text and "noise that nobody reads" not in text
    # The front matter cell is not shown; nothing of the notebook's JSON is.
    raw_page = site.text("gradient-descent-by-hand/")
    for leftover in ("series: Learning ML", '"cell_type"', '"outputs"', "execution_count", "image/png"):
        assert leftover not in raw_page
    # Formulas from Markdown cells and from a text/latex output are MathML.
    assert len(body.select("math")) >= 3
    assert body.select_one(".nb-latex math") is not None
    # The link to a Markdown post resolves like any link.
    assert body.find("a", string="the notes")["href"].endswith("/notes-on-calculus/")


def test_magics_and_shell_escapes_are_not_boxed_as_syntax_errors(tmp_path):
    notebook = new_notebook(
        cells=[
            front_matter_cell("Setup"),
            new_code_cell("%matplotlib inline\n!pip install numpy\nsteps = 10", execution_count=1),
        ],
        metadata=PYTHON,
    )
    site = build_site(tmp_path, {"setup.ipynb": write_notebook(notebook)})
    block = site.html("setup/").select_one(".nb-input .highlight pre")
    assert block.get_text().startswith("%matplotlib inline\n!pip install numpy\nsteps = 10")
    assert block.select(".err") == []
    assert block.find("span", class_="n", string="steps") is not None  # the Python is still highlighted


def test_image_outputs_are_files_beside_the_page_with_their_size_and_alt(tmp_path):
    site, notebook = build_lesson(tmp_path)
    page = site.html("gradient-descent-by-hand/")
    outputs = page.select(".nb-outputs img")
    assert len(outputs) == image_outputs(notebook)
    png_image, svg_image = outputs
    assert (site.output / "gradient-descent-by-hand" / png_image["src"]).read_bytes() == PLOT
    assert (png_image["width"], png_image["height"]) == ("64", "48")
    assert png_image["alt"] == "Output of cell 4"
    svg_file = (site.output / "gradient-descent-by-hand" / svg_image["src"]).read_bytes()
    assert b"<rect" in svg_file and b"script" not in svg_file and b"onload" not in svg_file
    assert (svg_image["width"], svg_image["height"]) == ("160", "80")  # 120pt x 60pt
    attached = page.find("img", alt="diagram")
    assert (site.output / "gradient-descent-by-hand" / attached["src"]).read_bytes() == ATTACHED
    raw_page = site.text("gradient-descent-by-hand/")
    assert "data:image" not in raw_page and base64.b64encode(PLOT).decode()[:40] not in raw_page


def test_html_outputs_keep_the_table_and_lose_scripts_styles_and_handlers(tmp_path):
    site, _ = build_lesson(tmp_path)
    page = site.html("gradient-descent-by-hand/")
    table = page.select_one(".nb-html table")
    assert [cell.get_text() for cell in table.select("tbody td")] == ["0.25", "0.125"]
    article = page.select_one("article")
    assert article.find("script") is None and article.find("style") is None
    assert not [tag for tag in article.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    assert "document.cookie" not in site.text("gradient-descent-by-hand/")


def test_markdown_and_latex_outputs_keep_formulas_and_lose_scripts(tmp_path):
    """`display(Markdown(text))` shows what the code computed, maybe scraped text: unlike an
    author's own Markdown cell, its raw HTML is not trusted."""
    hostile = "<script>alert(1)</script><style>body{display:none}</style><img src=x onerror=alert(2)><iframe></iframe>"
    markdown = {"text/markdown": f"**Loss** is $x^2$ {hostile}", "text/plain": "<IPython.core.display.Markdown object>"}
    latex = {"text/latex": f"$\\alpha$ {hostile}", "text/plain": "alpha"}
    notebook = new_notebook(
        cells=[
            front_matter_cell("Shown as Markdown"),
            new_code_cell(
                "display(Markdown(report))",
                execution_count=1,
                outputs=[
                    new_output("display_data", data=markdown),
                    new_output("display_data", data=latex),
                ],
            ),
        ],
        metadata=PYTHON,
    )
    site = build_site(tmp_path, {"shown.ipynb": write_notebook(notebook)})
    outputs = site.html("shown-as-markdown/").select_one(".nb-outputs")
    assert outputs.select_one(".nb-markdown strong").get_text() == "Loss"
    assert outputs.select_one(".nb-markdown math msup") is not None
    assert outputs.select_one(".nb-latex math mi").get_text() == "α"
    for tag in ("script", "style", "img", "iframe"):
        assert outputs.select(tag) == []
    assert "alert" not in str(outputs) and "onerror" not in str(outputs)


def test_traceback_colours_become_classes_and_no_escape_codes_remain(tmp_path):
    site, _ = build_lesson(tmp_path)
    error = site.html("gradient-descent-by-hand/").select_one(".nb-error pre")
    assert "ZeroDivisionError: division by zero" in error.get_text()
    first = error.select_one("span.ansi-red")
    assert first.get_text() == "-" * 75
    assert "gr" in first["class"]  # Pygments' error colour, light and dark, inside .highlight
    assert error.find_parent(class_="highlight") is not None
    assert "\x1b" not in site.text("gradient-descent-by-hand/") and "[0;31m" not in error.get_text()


def test_tagged_cells_fold_in_details_without_javascript(tmp_path):
    site, _ = build_lesson(tmp_path)
    page = site.html("gradient-descent-by-hand/")
    folds = {fold.summary.get_text(): fold for fold in page.select("details.nb-fold")}
    assert set(folds) == {"Show code", "Show output"}
    assert "hidden_helper" in folds["Show code"].get_text()
    assert "epoch 1" in folds["Show output"].get_text()
    assert page.select_one("article").find("script") is None


def test_notebook_joins_its_series_tags_and_feeds_with_absolute_image_urls(tmp_path):
    site, _ = build_lesson(tmp_path)
    series = site.html("series/learning-ml/")
    assert "Gradient descent by hand" in series.get_text()
    assert "Gradient descent by hand" in site.html("tags/ml/").get_text()
    feed = feedparser.parse(site.text("atom.xml"))
    entry = next(e for e in feed.entries if e.title == "Gradient descent by hand")
    from bs4 import BeautifulSoup

    content = BeautifulSoup(entry.content[0].value, "lxml")
    sources = [img["src"] for img in content.find_all("img")]
    assert sources and all(src.startswith("https://blog.example.org/gradient-descent-by-hand/") for src in sources)
    for src in sources:
        assert (site.output / src.removeprefix("https://blog.example.org/")).is_file()


def test_images_follow_a_permalink_to_its_folder(tmp_path):
    notebook = lesson()
    notebook.cells[0] = front_matter_cell("Old post", "permalink: /2019/03/old-post.html\n")
    site = build_site(tmp_path, {"old.ipynb": write_notebook(notebook)})
    page = site.html("2019/03/old-post.html")
    image = page.select_one(".nb-outputs img")
    assert (site.output / "2019" / "03" / image["src"]).read_bytes() == PLOT


def test_front_matter_from_notebook_metadata_else_the_first_heading(tmp_path):
    with_metadata = new_notebook(
        cells=[new_markdown_cell("Some text.")],
        metadata={**PYTHON, "title": "From metadata", "authors": [{"name": "Ada"}], "date": "2024-02-03"},
    )
    with_heading = new_notebook(cells=[new_markdown_cell("# From the heading\n\nBody.")], metadata=PYTHON)
    site = build_site(
        tmp_path,
        {"a.ipynb": write_notebook(with_metadata), "b.ipynb": write_notebook(with_heading)},
        JOURNAL_MISSING_DATE="mtime",
    )
    first = site.article("From metadata")
    assert first.date.isoformat().startswith("2024-02-03") and first.author.name == "Ada"
    second = site.article("From the heading")
    assert second.date is not None
    assert any("b.ipynb" in m and "no 'date'" in m for m in site.messages())
    page = site.html(second.url)
    assert page.select_one("article h1").get_text(strip=True) == "From the heading"
    assert len(page.select("article h1")) == 1  # the heading became the title, not shown twice


def test_the_title_is_the_first_heading_after_a_preamble_of_markdown_cells(tmp_path):
    """Book chapters open with a cover, navigation links and a badge, then `# Title`."""
    chapter = new_notebook(
        cells=[
            new_markdown_cell(
                '<!--BOOK_INFORMATION-->\n<img src="cover.png" alt="Cover">\n\n*An excerpt from the handbook.*'
            ),
            new_markdown_cell("< [Previous](01-intro.ipynb) | [Contents](Index.ipynb) >"),
            new_markdown_cell("# Merge and Join\nPandas joins tables."),
            new_code_cell("df1.merge(df2)", execution_count=1),
            new_markdown_cell("# A section after code"),
        ],
        metadata=PYTHON,
    )
    code_first = new_notebook(
        cells=[new_code_cell("import pandas", execution_count=1), new_markdown_cell("# Too late")],
        metadata=PYTHON,
    )
    files = {"chapter.ipynb": write_notebook(chapter), "scratch-work.ipynb": write_notebook(code_first)}
    site = build_site(tmp_path, files, JOURNAL_MISSING_DATE="mtime")
    page = site.html(site.article("Merge and Join").url)
    headings = [" ".join(h.get_text().split()) for h in page.select("article h1")]
    assert headings == ["Merge and Join", "A section after code"]  # the title is not shown twice
    text = " ".join(page.select_one("article .content").get_text().split())
    assert text.index("An excerpt") < text.index("Contents") < text.index("Pandas joins tables")
    assert site.article("Merge and Join").summary == "<em>An excerpt from the handbook.</em>"  # not the cover
    assert any("chapter.ipynb" in m and "the first heading is used" in m for m in site.messages())
    assert site.article("Scratch work").title == "Scratch work"


def test_bad_notebooks_are_reported_with_file_and_cell_while_the_rest_publishes(tmp_path):
    good = write_notebook(lesson())
    unknown_cell = json.loads(write_notebook(lesson()))
    unknown_cell["cells"][3]["cell_type"] = "widget"
    unknown_format = {"nbformat": 5, "nbformat_minor": 0, "metadata": {}, "cells": []}
    bad_output = lesson()
    bad_output.cells[3].outputs[0]["data"]["image/png"] = "not base64 at all!!"
    site = build_site(
        tmp_path,
        {
            "good.ipynb": good,
            "broken.ipynb": '{"cells": [,]}',
            "unknown.ipynb": json.dumps(unknown_cell),
            "future.ipynb": json.dumps(unknown_format),
            "badout.ipynb": nbformat.writes(bad_output).replace("Gradient descent by hand", "Bad output"),
        },
    )
    skipped = {Path(path).name: str(problem) for path, problem in site.report.skipped.items()}
    assert set(skipped) == {"broken.ipynb", "unknown.ipynb", "future.ipynb"}
    assert "content/broken.ipynb:1:" in skipped["broken.ipynb"] and "not valid JSON" in skipped["broken.ipynb"]
    assert "cell 4" in skipped["unknown.ipynb"] and "'widget'" in skipped["unknown.ipynb"]
    assert "notebook format 5" in skipped["future.ipynb"]
    # A bad output skips that output only: the post is published, the problem names the cell.
    assert any("badout.ipynb" in m and "cell 4" in m and "base64" in m for m in site.messages())
    bad_page = site.html(site.article("Bad output").url)
    assert len(bad_page.select(".nb-outputs img")) == image_outputs(lesson()) - 1
    assert site.exists("gradient-descent-by-hand/")


def test_a_notebook_in_format_3_is_converted_and_published_with_a_note(tmp_path):
    """Notebooks saved before 2015 (worksheets, heading cells, `pyout`, `prompt_number`)."""
    old = v3.new_notebook(
        worksheets=[
            v3.new_worksheet(
                cells=[
                    v3.new_heading_cell("Old lesson", level=1),
                    v3.new_text_cell("markdown", source="Made in IPython 2."),
                    v3.new_code_cell(
                        input="plot()",
                        prompt_number=3,
                        outputs=[
                            v3.new_output("stream", output_text="done\n", stream="stdout"),
                            v3.new_output("pyout", output_png=base64.b64encode(PLOT).decode(), prompt_number=3),
                        ],
                    ),
                ]
            )
        ]
    )
    site = build_site(tmp_path, {"old.ipynb": nbformat.writes(old, version=3)}, JOURNAL_MISSING_DATE="mtime")
    assert not site.report.skipped
    page = site.html(site.article("Old lesson").url)
    assert page.select_one(".nb-count").get_text() == "In [3]"
    assert page.select_one("pre.nb-stream").get_text() == "done"
    image = page.select_one(".nb-outputs img")
    assert (image["width"], image["height"]) == ("64", "48")
    assert site.exists(site.article("Old lesson").url + image["src"])
    notes = [m for m in site.messages() if "old.ipynb" in m and "old-notebook-format" in m]
    assert len(notes) == 1 and "format 3" in notes[0] and "note[" in notes[0]


def test_progress_bars_redrawn_with_carriage_returns_show_their_last_state(tmp_path):
    """Keras and pip redraw one line with `\\r` (and `\\b`); a browser would show every redraw."""
    redraws = "".join(f"\r{step:>4}/1000 [{'=' * (step // 100):<10}] - loss: {1 / step:.4f}" for step in range(1, 1001))
    log = f"Epoch 1/1\n{redraws}\nDownloading 10%\b\b\b20%\r\nDone\n"
    notebook = new_notebook(
        cells=[
            front_matter_cell("Training"),
            new_code_cell(
                "model.fit(x, y)", execution_count=1, outputs=[new_output("stream", name="stdout", text=log)]
            ),
        ],
        metadata=PYTHON,
    )
    site = build_site(tmp_path, {"fit.ipynb": write_notebook(notebook)}, JOURNAL_NOTEBOOK_MAX_OUTPUT=2000)
    shown = site.html("training/").select_one("pre.nb-stream").get_text()
    assert shown.split("\n") == ["Epoch 1/1", "1000/1000 [==========] - loss: 0.0010", "Downloading 20%", "Done"]
    assert "\r" not in site.text("training/") and "truncated" not in site.text("training/")


def test_a_notebook_without_cell_ids_builds_without_console_warnings(tmp_path):
    """Hand-made and converted notebooks of format 4.5 often lack the cell ids nbformat asks for."""
    notebook = json.loads(write_notebook(new_notebook(cells=[front_matter_cell("No ids"), new_code_cell("1")])))
    for cell in notebook["cells"]:
        del cell["id"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        site = build_site(tmp_path, {"ids.ipynb": json.dumps(notebook)})
    assert site.exists("no-ids/")
    assert [w for w in caught if "nbformat" in w.filename] == []


def test_long_outputs_are_cut_with_a_note_and_the_page_stays_small(tmp_path):
    log = "".join(f"epoch {n}: loss {1 / n:.6f}\n" for n in range(1, 5001))
    notebook = new_notebook(
        cells=[
            front_matter_cell("Training log"),
            new_code_cell("train()", execution_count=1, outputs=[new_output("stream", name="stdout", text=log)]),
        ],
        metadata=PYTHON,
    )
    source = write_notebook(notebook)
    site = build_site(tmp_path, {"log.ipynb": source}, JOURNAL_NOTEBOOK_MAX_OUTPUT=2000)
    page = site.html("training-log/")
    output = page.select_one("pre.nb-stream").get_text()
    assert output.startswith("epoch 1:") and "epoch 5000" not in output and len(output) <= 2000
    assert "truncated" in page.select_one(".nb-note").get_text()
    assert len(site.text("training-log/")) < len(source) / 2


def test_notebook_over_the_size_limit_is_reported(tmp_path):
    notebook = lesson()
    site = build_site(tmp_path, {"big.ipynb": write_notebook(notebook)}, JOURNAL_NOTEBOOK_MAX_SIZE=1000)
    assert any("big.ipynb" in m and "JOURNAL_NOTEBOOK_MAX_SIZE" in m for m in site.messages())
    assert site.exists("gradient-descent-by-hand/")


def test_rich_outputs_fall_back_to_a_static_form_or_a_note(tmp_path):
    plotly = {
        "application/vnd.plotly.v1+json": {"data": [], "layout": {}},
        "text/html": "<div id='plot'></div><script>Plotly.newPlot('plot')</script>",
        "image/png": base64.b64encode(PLOT).decode(),
    }
    widget = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2}}
    progress = new_output(
        "display_data",
        data={**widget, "text/plain": "HBox(children=(FloatProgress(value=0.0, max=10.0), HTML(value='')))"},
    )
    script = new_output(
        "display_data",
        data={"application/javascript": "alert(1)", "text/plain": "<IPython.core.display.Javascript object>"},
    )
    as_json = new_output(
        "execute_result", execution_count=5, data={"application/json": {"a": 1}, "text/plain": "{'a': 1}"}
    )
    styles_only = new_output(  # a progress bar library's stylesheet, sent as its own output
        "display_data",
        data={
            "text/html": "<style>progress { border: none; }</style>",
            "text/plain": "<IPython.core.display.HTML object>",
        },
    )
    bare_repr = new_output(
        "execute_result", execution_count=7, data={"text/plain": "<__main__.Point object at 0x7f3a>"}
    )
    notebook = new_notebook(
        cells=[
            front_matter_cell("Rich outputs"),
            new_code_cell("fig", execution_count=1, outputs=[new_output("display_data", data=plotly)]),
            new_code_cell("slider", execution_count=2, outputs=[new_output("display_data", data=widget)]),
            new_code_cell("for step in tqdm(range(10)): pass", execution_count=3, outputs=[progress]),
            new_code_cell("Javascript('alert(1)')", execution_count=4, outputs=[script]),
            new_code_cell("{'a': 1}", execution_count=5, outputs=[as_json]),
            new_code_cell("learn.fit(1)", execution_count=6, outputs=[styles_only]),
            new_code_cell("Point()", execution_count=7, outputs=[bare_repr]),
        ],
        metadata=PYTHON,
    )
    site = build_site(tmp_path, {"rich.ipynb": write_notebook(notebook)})
    page = site.html("rich-outputs/")
    assert len(page.select(".nb-outputs img")) == 1
    notes = [note.get_text() for note in page.select(".nb-note")]
    assert len(notes) == 3 and all("needs a running notebook" in note for note in notes)
    text = site.text("rich-outputs/")
    assert "Plotly" not in text and "HBox" not in text and "IPython.core.display" not in text
    assert "progress" not in text
    plain = [block.get_text() for block in page.select(".nb-text")]
    assert plain == ["{'a': 1}", "<__main__.Point object at 0x7f3a>"]  # what the code printed stays


def test_an_unchanged_rebuild_leaves_image_files_alone(tmp_path):
    site, _ = build_lesson(tmp_path)
    image = next((site.output / "gradient-descent-by-hand").glob("*.png"))
    before = image.stat().st_mtime_ns
    rebuild(site)
    assert image.stat().st_mtime_ns == before and image.read_bytes() in (PLOT, ATTACHED)


def test_notebooks_and_markdown_read_by_helper_processes_come_out_the_same(tmp_path):
    files = {}
    for n in range(15):
        notebook = lesson()
        notebook.cells[0] = front_matter_cell(f"Notebook {n}")
        files[f"nb{n}.ipynb"] = write_notebook(notebook)
        files[f"post{n}.md"] = f"---\ntitle: Post {n}\ndate: 2024-01-{n + 1:02d}\n---\nText $x_{n}$.\n"
    site = build_site(tmp_path, files, JOURNAL_READ_PROCESSES=2, JOURNAL_BUILD_CACHE=True)
    assert site.report.counts["published"] == 30, site.messages()
    for n in (0, 14):
        page = site.html(f"notebook-{n}/")
        assert len(page.select(".nb-outputs img")) == image_outputs(lesson())
        assert site.html(f"post-{n}/").select_one("article math") is not None


def test_journal_new_notebook_writes_a_notebook_the_build_reads(tmp_path):
    project = make_project(tmp_path)
    result = journal(project, "new", "Linear regression", "--series", "Learning ML", "--notebook")
    assert result.returncode == 0, result.stderr
    path = project / result.stdout.strip()
    assert path.suffix == ".ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.cells[0].cell_type == "raw" and "title: Linear regression" in notebook.cells[0].source
    checked = journal(project, "check", "--format", "json")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_journal_check_finds_no_dead_links_to_notebook_images(tmp_path):
    project = make_project(tmp_path, {"lesson.ipynb": write_notebook(lesson()), "notes.md": NOTES})
    checked = journal(project, "check", "--format", "json")
    report = json.loads(checked.stdout)
    messages = json.dumps(report)
    assert ".png" not in messages and ".svg" not in messages, messages


@given(
    st.lists(st.sampled_from(["\x1b[", "\x1b]", "0", "1", ";", "3", "m", "<", "&", ">", '"', "\n", "K"])).map("".join)
)
def test_ansi_text_is_always_escaped(text):
    converted = ansi_to_html(text)
    without_spans = converted.replace("</span>", "")
    while '<span class="' in without_spans:
        start = without_spans.index('<span class="')
        without_spans = without_spans[:start] + without_spans[without_spans.index('">', start) + 2 :]
    assert "<" not in without_spans and ">" not in without_spans and "\x1b" not in converted


def test_a_notebook_of_code_only_has_a_summary_without_broken_images(tmp_path):
    notebook = lesson()
    notebook.cells = [cell for cell in notebook.cells if cell.cell_type != "markdown"]
    site = build_site(tmp_path, {"plots.ipynb": write_notebook(notebook)})
    article = site.article("Gradient descent by hand")
    assert "<img" not in article.summary and "step 1" in article.summary
    home = site.html("")
    assert all(img["src"].startswith(("https://", "/")) for img in home.select("main img"))
