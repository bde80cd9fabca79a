"""A deterministic corpus of notebook posts: N notebooks in N/10 series, the same bytes every run.

Each notebook is what a machine-learning lesson saves: a raw front-matter cell, Markdown cells
with inline and display math, ten code cells with their execution counts, three plot images
(320x240 PNG), two pandas-like HTML tables, a stream of training output and a coloured
traceback. Notebook `i` depends only on `i`.

    python benchmarks/notebook_corpus.py 100 benchmarks/work/notebooks-100
"""

import argparse
import base64
import random
import shutil
import struct
import zlib
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

SEED = 20261202
PER_SERIES = 10
PYTHON = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python", "pygments_lexer": "ipython3"},
}


def plot_png(rng: random.Random, width: int = 320, height: int = 240) -> bytes:
    """A PNG shaped like a line plot: a white ground, a random walk drawn in blue."""
    rows = [bytearray(b"\xff" * width * 3) for _ in range(height)]
    y = height // 2
    for x in range(width):
        y = min(height - 1, max(0, y + rng.randint(-3, 3)))
        rows[y][x * 3 : x * 3 + 3] = bytes((31, 119, 180))
    raw = b"".join(b"\x00" + bytes(row) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def table(rng: random.Random, rows: int = 12) -> str:
    body = "".join(
        f"<tr><th>{n}</th><td>{rng.random():.4f}</td><td>{rng.random():.4f}</td><td>{rng.randint(0, 99)}</td></tr>"
        for n in range(rows)
    )
    return (
        "<style scoped>.dataframe tbody tr th {vertical-align: top;}</style>"
        '<table border="1" class="dataframe"><thead><tr><th></th><th>loss</th><th>accuracy</th><th>epoch</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
    )


def notebook(index: int) -> nbformat.NotebookNode:
    rng = random.Random(SEED * 100_003 + index)
    series = index // PER_SERIES
    front = (
        f"---\ntitle: Notebook lesson {index}\ndate: 2024-{1 + index % 12:02d}-{1 + index % 28:02d}\n"
        f"series: Notebook series {series}\nseries_index: {index % PER_SERIES + 1}\ntags: [ml, notebooks]\n---"
    )
    cells = [new_raw_cell(front)]
    count = 0
    for part in range(3):
        a, b = rng.randint(2, 9), rng.randint(2, 9)
        cells.append(
            new_markdown_cell(
                f"## Step {part + 1}\n\nWe fit $y = {a}x + {b}$ and watch the loss "
                f"$L = \\frac{{1}}{{n}}\\sum_i (y_i - \\hat y_i)^2$ fall.\n\n$$\\nabla L = {a}x - {b}$$"
            )
        )
        count += 1
        cells.append(new_code_cell(f"model = fit(x, y, lr={rng.random():.3f})\nmodel.params", execution_count=count,
                                   outputs=[new_output("execute_result", execution_count=count,
                                                       data={"text/plain": f"array([{a}., {b}.])"})]))
        count += 1
        image = base64.b64encode(plot_png(rng)).decode()
        cells.append(new_code_cell("plt.plot(history)\nplt.show()", execution_count=count, outputs=[
            new_output("display_data", data={"image/png": image, "text/plain": "<Figure size 640x480 with 1 Axes>"}),
        ]))  # fmt: skip
        count += 1
        log = "".join(f"epoch {n}: loss {rng.random():.5f}\n" for n in range(20))
        cells.append(new_code_cell("train(model)", execution_count=count,
                                   outputs=[new_output("stream", name="stdout", text=log)]))  # fmt: skip
    for _ in range(2):
        count += 1
        cells.append(new_code_cell("frame.head(12)", execution_count=count, outputs=[
            new_output("execute_result", execution_count=count, data={"text/html": table(rng), "text/plain": "..."}),
        ]))  # fmt: skip
    count += 1
    traceback = ["\x1b[0;31mValueError\x1b[0m                                Traceback (most recent call last)",
                 "\x1b[0;31mValueError\x1b[0m: shapes (3,) and (4,) not aligned"]  # fmt: skip
    cells.append(new_code_cell("np.dot(a, b)", execution_count=count, outputs=[
        new_output("error", ename="ValueError", evalue="shapes not aligned", traceback=traceback),
    ]))  # fmt: skip
    return new_notebook(cells=cells, metadata=PYTHON)


def generate(folder: Path, count: int) -> list[Path]:
    """Write `count` notebooks into `folder` (emptied first); return their paths."""
    shutil.rmtree(folder, ignore_errors=True)
    paths = []
    for index in range(count):
        path = folder / f"series-{index // PER_SERIES:03d}" / f"lesson-{index:04d}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nbformat.writes(notebook(index)) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    arguments = parser.parse_args()
    generate(arguments.folder, arguments.count)
