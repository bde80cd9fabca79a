"""Hostile and broken input: random front matter and random bytes never break a build."""

import datetime
import os
import string
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from learning_journal.read import front_matter as front_matter_module
from learning_journal.read.metadata import FRONT_MATTER, RESERVED
from outputcheck import escaping_output, foreign_urls, unreadable_outputs, written_outside
from sitebuild import build_site

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),
    st.sampled_from(["../../x", "/a/b/", "//host/", "%2e%2e/", "a\\b", "<script>", "2020-13-45", "]]>"]),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
keys = st.sampled_from(sorted(FRONT_MATTER) + sorted(RESERVED) + ["template", "lang", "id"]) | st.text(
    alphabet=string.ascii_letters + "_-", min_size=1, max_size=12
)
front_matter = st.dictionaries(keys, values, max_size=8)

# JOURNAL_FUZZ_EXAMPLES=1000 for a longer hunt; 40 keeps the suite quick.
PROFILE = settings(
    max_examples=int(os.environ.get("JOURNAL_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def outcome_of(body: bytes) -> tuple:
    """Build one file; return (published-or-draft titles, skip reasons) without raising,
    having checked that every output parses and links nowhere else."""
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(Path(folder), {"post.md": body}, JOURNAL_MISSING_DATE="mtime")
        kept = [c for kind in ("articles", "drafts", "hidden_articles") for c in site.contents(kind)]
        reasons = [str(p) for p in site.report.skipped.values()]
        outside = [
            p
            for p in Path(folder).rglob("*")
            if p.is_file()
            and not any(part in p.relative_to(folder).parts[:1] for part in ("output", "content", "cache"))
            and p.relative_to(folder).as_posix() != "published-urls.json"  # the URL record, beside content/
        ]
        assert outside == []
        assert unreadable_outputs(site) == []
        assert foreign_urls(site) == []
        return kept, reasons, site


@PROFILE
@given(front_matter)
def test_random_front_matter_is_published_or_skipped_with_one_reason(data):
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nSome body text.\n"
    kept, reasons, site = outcome_of(text.encode())
    assert len(kept) + len(reasons) == 1
    for reason in reasons:
        assert reason.startswith("content/post.md")
    for problem in site.report.warnings:
        assert problem.path == "content/post.md"
    for content in kept:
        assert os.path.realpath(site.output / content.save_as).startswith(os.path.realpath(site.output) + os.sep)


@PROFILE
@given(st.binary(max_size=300))
def test_random_bytes_are_published_or_skipped_with_one_reason(data):
    kept, reasons, _ = outcome_of(data)
    assert len(kept) + len(reasons) == 1


@PROFILE
@given(st.binary(max_size=200))
def test_random_bytes_after_a_fence_never_raise(data):
    kept, reasons, _ = outcome_of(b"---\n" + data + b"\n---\nbody\n")
    assert len(kept) + len(reasons) == 1


def test_huge_titles_tags_and_series_names_stay_within_file_name_limits(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": "---\ntitle: "
            + "word " * 1000
            + "\ndate: 2020-01-01\ntags: ["
            + "x" * 5000
            + ", fine]\nseries: "
            + "s" * 3000
            + "\n---\nbody\x00nul\n",
        },
    )
    post = site.contents("articles")[0]
    assert len(post.slug) <= 80
    assert site.exists(post.url)
    keys = {p.key for p in site.report.warnings}
    assert {"tags", "series"} <= keys
    assert "\x00" not in site.text(post.url)


hostile_text = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            ["<script>x()</script>", "</script>", "]]>", "&amp;", "&", '"', "'", "<!--", "\\", "..", "/", "%2e"]
        )
        | st.text(max_size=8),
        max_size=6,
    ).map("".join),
)


@PROFILE
@example(title="Plane two \U0002fffe end", description="\ufdd0", series=["\U0010ffff"], tags=["\uffff"])  # found once
@given(
    title=hostile_text,
    description=hostile_text,
    series=st.lists(hostile_text, max_size=2),
    tags=st.lists(hostile_text, max_size=3),
)
def test_random_names_go_through_series_feeds_and_theme_into_valid_outputs(title, description, series, tags):
    data = {"title": title, "date": "2024-01-01", "description": description, "series": series, "tags": tags}
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nBody with a [link](../other/).\n"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "a" / "b"
        site = build_site(
            root,
            {"post.md": text, "other.md": "---\ntitle: Other\ndate: 2024-01-02\nseries: Fixed\n---\nx\n"},
            JOURNAL_MISSING_DATE="mtime",
        )
        assert len(site.contents("articles")) + len(site.report.skipped) == 2
        assert written_outside(Path(folder), root) == []
        assert escaping_output(site) == []
        assert unreadable_outputs(site) == []
        assert foreign_urls(site) == []


def test_keys_naming_pelicans_own_attributes_are_refused_and_the_post_kept(tmp_path):
    """`path: 2000-01-01` or `url_format: x` used to stop the whole build inside Pelican."""
    values = ["2000-01-01", "[]", "5", "{a: 1}", "text"]
    posts = {
        f"{key}-{number}.md": f"---\ntitle: Post {key} {number}\ndate: 2022-01-01\n{key}: {value}\n---\nBody.\n"
        for key in sorted(RESERVED)
        for number, value in enumerate(values)
    }
    site = build_site(tmp_path, posts)
    assert len(site.contents("articles")) == len(posts)
    for key in RESERVED:
        warned = {p.path for p in site.report.warnings if p.key == key}
        assert warned == {f"content/{key}-{number}.md" for number in range(len(values))}, key


def test_nesting_too_deep_for_the_parsers_skips_only_that_post_with_a_clear_reason(tmp_path):
    depth = 2000
    site = build_site(
        tmp_path,
        {
            "toml.md": "+++\ntitle = 'Deep'\ndate = 2022-01-01\nx = " + "[" * depth + "]" * depth + "\n+++\nBody.\n",
            "lists.md": "---\ntitle: Lists\ndate: 2022-01-01\n---\n" + "".join("  " * i + "- x\n" for i in range(800)),
            "yaml.md": "---\ntitle: Deep YAML\ndate: 2022-01-01\nx: " + "[" * depth + "]" * depth + "\n---\nBody.\n",
            "fine.md": "---\ntitle: Fine\ndate: 2022-01-02\n---\nBody.\n",
        },
    )
    # PyYAML up to 6.0.3 reads the deep YAML, 6.0.4 refuses it: the limit is the reader's own.
    assert sorted(a.title for a in site.contents("articles")) == ["Fine"]
    too_deep = "the file nests lists, quotes or brackets too deeply to be read (hundreds of levels); flatten it"
    assert {f"{problem.where}: {problem.message}" for problem in site.report.skipped.values()} == {
        f"content/toml.md: {too_deep}",
        f"content/lists.md: {too_deep}",
        f"content/yaml.md:4: {too_deep}",
    }


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize(
    "deep",
    [
        "x: " + "[" * 150 + "]" * 150,  # read by every parser, refused by the reader's limit
        "x: " + "{a: " * 1200 + "1" + "}" * 1200,  # beyond libyaml's own limit
        "x:\n" + "".join("  " * (i + 1) + "a:\n" for i in range(400)),  # block mappings
    ],
)
def test_deep_yaml_gets_the_nesting_message_whichever_parser_refuses_it(tmp_path, monkeypatch, loader, deep):
    if loader == "python":  # the pure Python parser, as in a PyYAML built without libyaml
        pure = type("PureKeyLineLoader", (yaml.SafeLoader,), {})
        pure.yaml_constructors = front_matter_module.KeyLineLoader.yaml_constructors
        pure.yaml_implicit_resolvers = front_matter_module.KeyLineLoader.yaml_implicit_resolvers
        monkeypatch.setattr(front_matter_module, "KeyLineLoader", pure)
    site = build_site(tmp_path, {"deep.md": f"---\ntitle: Deep\ndate: 2022-01-01\n{deep}\n---\nBody.\n"})
    [problem] = site.report.skipped.values()
    assert problem.message == front_matter_module.TOO_DEEP
    assert problem.path == "content/deep.md"
    # Python's recursion limit says nothing of where it was hit: then the first line is named.
    assert problem.line in ({4} if loader == "libyaml" else {2, 4})
    assert site.contents("articles") == []


def test_a_yaml_alias_bomb_is_read_without_expanding_it(tmp_path):
    lines, previous = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'], "a"
    for name in "bcdefghi":  # 9 ** 9 strings if anything expanded it
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    bomb = "\n".join(lines)
    site = build_site(
        tmp_path,
        {
            "bomb.md": f"---\ntitle: Bomb\ndate: 2022-01-01\n{bomb}\ntags: *i\nseries: *i\nkept: *i\n---\nBody.\n",
            "series/bomb.md": f"---\nname: Bomb\n{bomb}\nparts: *i\n---\nAbout.\n",
        },
    )
    assert [a.title for a in site.contents("articles")] == ["Bomb"]
    assert {"tags", "series"} <= {p.key for p in site.report.warnings if p.path == "content/bomb.md"}
    assert unreadable_outputs(site) == []


series_file_keys = st.sampled_from(["name", "title", "status", "parts", "description", "planned"]) | st.text(
    alphabet=string.ascii_letters, min_size=1, max_size=8
)


@PROFILE
@given(st.dictionaries(series_file_keys, values, max_size=5) | st.binary(max_size=200))
def test_random_series_description_files_never_break_the_build(data):
    if isinstance(data, bytes):
        body = data
    else:
        body = ("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nAbout the series.\n").encode()
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(
            Path(folder),
            {
                "series/the-series.md": body,
                "part.md": "---\ntitle: Part\ndate: 2022-01-01\nseries: The Series\n---\nText.\n",
            },
        )
        assert [a.title for a in site.contents("articles")] == ["Part"]
        assert {p.path for p in site.report.warnings} <= {"content/series/the-series.md", "content/part.md"}
        assert unreadable_outputs(site) == []
        assert foreign_urls(site) == []
