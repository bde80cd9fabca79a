"""A deterministic benchmark corpus: N posts in N/10 series, the same bytes on every run.

Each post has YAML front matter (title, date, series, series_index, tags, description) and
a body of about 800 words with headings, a list, links, a Python code block, inline and
display math, a quote, typographic quotes and dashes. Post `i` depends only on `i`, so the
corpus for 200 posts is the first 200 posts of the corpus for 1000.

    python benchmarks/corpus.py 1000 benchmarks/work/corpus-1000
"""

import argparse
import random
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20261121
POSTS_PER_SERIES = 10

TOPICS = [
    "Linear Algebra",
    "Calculus",
    "Probability",
    "Statistics",
    "Optimisation",
    "Compilers",
    "Operating Systems",
    "Databases",
    "Networking",
    "Rust",
    "Haskell",
    "Category Theory",
    "Graph Theory",
    "Signal Processing",
    "Cryptography",
    "Distributed Systems",
    "Type Systems",
    "Machine Learning",
    "Number Theory",
    "Topology",
    "Game Engines",
    "Web Performance",
    "Bayesian Methods",
    "Information Theory",
    "Geometry",
]
QUALIFIERS = [
    "from Scratch",
    "for Tinkerers",
    "the Hard Way",
    "in Practice",
    "by Example",
    "Notes",
    "Field Guide",
    "Reading Group",
    "Deep Dive",
    "Crash Course",
    "Revisited",
    "for Engineers",
    "Explained",
    "Workbook",
    "Diary",
    "Fundamentals",
    "Sketches",
    "Journal",
    "Primer",
    "Study Log",
]
WORDS = (
    "vector matrix gradient kernel proof lemma theorem function value space basis model "
    "error loss sample signal noise memory cache thread process compiler parser token "
    "graph node edge path cycle tree heap stack queue index query table schema join "
    "learn read write build test measure compare explain derive notice remember forget "
    "simple careful small large quick slow early late clear subtle useful strange "
    "first second next last every some many few each other "
    "the a an of to in on for with from by about between under over after before "
    "is are was were be been has have had can could should would will might "
    "and or but so because while when then than also just only even still"
).split()
TAGS = [
    "python",
    "math",
    "notes",
    "til",
    "rust",
    "algorithms",
    "reading",
    "tools",
    "performance",
    "testing",
    "statistics",
    "ml",
    "systems",
    "writing",
    "teaching",
]


def series_name(number: int) -> str:
    topic = TOPICS[number % len(TOPICS)]
    qualifier = QUALIFIERS[(number // len(TOPICS)) % len(QUALIFIERS)]
    cycle = number // (len(TOPICS) * len(QUALIFIERS))
    name = f"{topic} {qualifier}"
    # Past 500 series the names repeat; a volume word keeps them distinct (and not ending in a digit).
    return name if cycle == 0 else f"{name}, Volume {roman(cycle + 1)}"


def roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, letters in numerals:
        while number >= value:
            text, number = text + letters, number - value
    return text


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def formulas(rng: random.Random) -> str:
    """A sentence with two inline formulas, different from post to post as in real notes."""
    f, x, i = rng.choice("fghF"), rng.choice("xyzuv"), rng.choice("ijk")
    w = rng.choice(["w", "a", "\\theta", "\\beta"])
    n, power = rng.choice("nmNT"), rng.randint(2, 4)
    return (
        f"The key quantity is ${f}({x}) = \\sum_{{{i}=1}}^{{{n}}} {w}_{i} {x}_{i}^{power} + b$, and its gradient "
        f"$\\nabla {f} = ({w}_1, \\dots, {w}_{n})$ tells us where to go."
    )


def display_formula(rng: random.Random) -> str:
    x, y, i = rng.choice("xzu"), rng.choice("yts"), rng.choice("ijk")
    scale = rng.choice(["\\frac{1}{n}", "\\frac{1}{2n}", "\\frac{\\lambda}{n}"])
    return (
        f"$$\n\\mathcal{{L}}(w) = {scale} \\sum_{{{i}=1}}^{{n}} "
        f"\\left( {y}_{i} - w^\\top {x}_{i} \\right)^{rng.randint(2, 3)}\n$$"
    )


def post(index: int) -> tuple[str, str]:
    """(relative path, text) of post `index`: the same for a given index, whatever N is."""
    rng = random.Random(SEED * 1_000_003 + index)
    series_number, part = divmod(index, POSTS_PER_SERIES)
    series = series_name(series_number)
    topic_word = rng.choice(WORDS[:40])
    title = f"{series}, part {part + 1}: the {topic_word} {rng.choice(WORDS[:40])}"
    date = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(
        days=index, hours=rng.randint(6, 22), minutes=rng.randint(0, 59)
    )
    tags = rng.sample(TAGS, 3)
    description = sentence(rng, 10, 16)
    front_matter = "\n".join(
        [
            "---",
            f'title: "{title}"',
            f"date: {date.strftime('%Y-%m-%dT%H:%M:%SZ')}",
            f'series: "{series}"',
            f"series_index: {part + 1}",
            f"tags: [{', '.join(tags)}]",
            f'description: "{description}"',
            "---",
        ]
    )
    body = [
        paragraph(rng, 5),
        f"This part follows on from the last one \u2014 we keep the {topic_word} in mind -- "
        f'and, as a friend said, "it is {rng.choice(WORDS[:60])} all the way down". '
        f"It's the author's way of learning: write it down, then check it.",
        "## Where we start",
        paragraph(rng, 6),
        formulas(rng),
        display_formula(rng),
        paragraph(rng, 5),
        "## What I tried",
        "\n".join(f"- {sentence(rng, 5, 10)}" for _ in range(5)),
        paragraph(rng, 6),
        "```python\n"
        f"def {topic_word}_step(values, rate=0.{rng.randint(1, 9)}):\n"
        '    """One small step, as in the text."""\n'
        "    total = 0.0\n"
        "    for value in values:\n"
        "        total += value * rate\n"
        "    return total / max(len(values), 1)\n"
        "```",
        paragraph(rng, 5),
        f"> {sentence(rng, 12, 20)} {sentence(rng, 8, 14)}",
        "## Further reading",
        f"See [the reference notes](https://example.org/notes/{slugify(series)}/{part + 1}) "
        f"and [a longer discussion](https://en.wikipedia.org/wiki/{topic_word.capitalize()}) "
        f"for the details -- pages {rng.randint(10, 99)}--{rng.randint(100, 199)} are the ones that matter.",
        "1. " + sentence(rng, 6, 10) + "\n2. " + sentence(rng, 6, 10) + "\n3. " + sentence(rng, 6, 10),
        paragraph(rng, 6),
        "## What is next",
        paragraph(rng, 6),
        paragraph(rng, 4),
    ]
    path = f"{slugify(series)}/{part + 1:02d}-{slugify(title)[:60].rstrip('-')}.md"
    return path, front_matter + "\n\n" + "\n\n".join(body) + "\n"


def generate(folder: Path, count: int) -> list[Path]:
    """Write `count` posts under `folder` (emptied first); return their paths."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    paths = []
    for index in range(count):
        relative, text = post(index)
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
        paths.append(target)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of posts")
    parser.add_argument("folder", type=Path, help="folder to write (emptied first)")
    arguments = parser.parse_args()
    generate(arguments.folder, arguments.count)


if __name__ == "__main__":
    main()
