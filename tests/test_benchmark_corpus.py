"""The benchmark corpus is the same bytes on every run and builds cleanly with the project (nothing timed)."""

import sys

from sitebuild import PROJECT, build_site

sys.path.insert(0, str(PROJECT / "benchmarks"))
import corpus  # noqa: E402


def test_the_corpus_is_the_same_bytes_every_time(tmp_path):
    first = corpus.generate(tmp_path / "one", 12)
    second = corpus.generate(tmp_path / "two", 12)

    assert [p.relative_to(tmp_path / "one") for p in first] == [p.relative_to(tmp_path / "two") for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    # A smaller corpus is the start of a larger one: sizes are comparable.
    smaller = corpus.generate(tmp_path / "three", 5)
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(smaller, first, strict=False))


def test_the_corpus_builds_with_the_project_without_warnings(tmp_path):
    corpus.generate(tmp_path / "content", 5)
    site = build_site(tmp_path)

    assert site.report.counts["published"] == 5
    assert site.report.counts["skipped"] == 0
    assert site.messages() == []
    posts = sorted(site.contents("articles"), key=lambda article: article.date)
    assert {tuple(post.metadata["series"]) for post in posts} == {("Linear Algebra from Scratch",)}
    words = len(site.html(posts[0].url).get_text().split())
    assert words > 600
    assert site.html(posts[0].url).select("pre code, div.highlight")
