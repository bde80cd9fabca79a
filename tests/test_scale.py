"""Scale without blow-ups: a 5 MB post, 10,000 tags, a 500-part series build completely,
with sane memory and page sizes that grow with what a page shows, not with the whole site.

How fast is the benchmark's business (benchmarks/); these tests only prove the builds
finish and what they wrote is whole.
"""

import subprocess
import sys

import lxml.html
import pytest
from feedcheck import ATOM, json_items, xml
from lxml import etree
from outputcheck import html_document, html_errors
from sitebuild import build_site
from test_cli import make_project

MB = 1024 * 1024
# Runs `journal build` and reports the peak memory of that process alone.
BUILD_AND_MEASURE = """
import resource, sys
from learning_journal.tools.cli import main
code = main(["build"])
print("peak-kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def huge_post(size: int) -> str:
    """Prose with typography to do, a formula and a code block in every section."""
    prose = 'Learning in public -- writing down what you "understood" today, and why it matters... ' * 12
    sections = []
    number = 0
    while sum(map(len, sections)) < size:
        number += 1
        sections.append(
            f"## Section {number}\n\n"
            + (prose + "\n\n") * 8
            + f"The loss is $L(w) = \\sum_i (y_i - w x_{number})^2$.\n\n"
            "```python\nloss = sum((y - w * x) ** 2 for x, y in data)\n```\n\n"
        )
    return "---\ntitle: The huge post\ndate: 2024-01-01\ntags: [big]\nseries: Huge\n---\n" + "".join(sections)


def peak_mb_of_a_build(project) -> float:
    # Minutes on a loaded 2-core machine (2.5 minutes seen): the timeout only catches a hang.
    result = subprocess.run(
        [sys.executable, "-c", BUILD_AND_MEASURE], cwd=project, capture_output=True, text=True, timeout=1800
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return int(result.stderr.rsplit("peak-kb", 1)[1].split()[0]) / 1024


def test_a_5_mb_post_is_built_whole_with_sane_memory(tmp_path):
    body = huge_post(5 * MB)
    last_section = body.rsplit("## ", 1)[1].split("\n", 1)[0]
    (tmp_path / "small").mkdir()
    baseline = peak_mb_of_a_build(make_project(tmp_path / "small", {"small.md": huge_post(1000)}))
    project = make_project(tmp_path, {"huge.md": body})
    peak_mb = peak_mb_of_a_build(project)
    # What the post adds is a small multiple of its size: about 20x measured (5 MB -> +100 MB,
    # Python 3.11 and 3.12), whatever Python, Pelican and the libraries take before it.
    assert peak_mb - baseline < 40 * 5, f"{peak_mb:.0f} MB for a 5 MB post, {baseline:.0f} MB for a small one"

    output = project / "output"
    # lxml's C parser: html5lib (pure Python) would spend minutes on 7 MB of HTML.
    page = lxml.html.parse(str(output / "the-huge-post" / "index.html"))
    content = page.find(".//div[@class='content']")
    headings = [" ".join(h.text.split()) for h in content.iter("h2")]
    assert headings[-1] == last_section
    assert len(list(content.iter("math"))) == len(headings) == int(last_section.split()[-1])
    for feed in ("atom.xml", "series/huge/atom.xml", "tags/big/atom.xml"):
        [entry] = etree.parse(str(output / feed)).getroot().iter(f"{ATOM}content")
        last_heading = lxml.html.fragment_fromstring(entry.text, create_parent="div").findall(".//h2")[-1]
        assert " ".join(last_heading.text_content().split()) == last_section, feed


@pytest.fixture(scope="module")
def many_tags(tmp_path_factory):
    """10,000 tags on 100 posts, a hundred each."""
    posts = {}
    for number in range(100):
        tags = ", ".join(f"topic {number * 100 + tag}" for tag in range(100))
        posts[f"post-{number:03}.md"] = (
            f"---\ntitle: Post {number}\ndate: 2024-01-01T00:{number // 60:02}:{number % 60:02}Z\n"
            f"tags: [{tags}]\n---\nText.\n"
        )
    return build_site(tmp_path_factory.mktemp("tags"), posts)


def test_ten_thousand_tags_each_get_a_page_and_feeds(many_tags):
    site = many_tags
    slugs = {f"topic-{n}" for n in range(10_000)}
    assert {tag.slug for tag, _ in site.generators[0].context["tags"]} == slugs
    written = set(site.files())
    for slug in slugs:
        assert {f"tags/{slug}/index.html", f"tags/{slug}/atom.xml", f"tags/{slug}/rss.xml"} <= written, slug
    listed = {a.get("href") for a in html_document(site.text("tags/")).iter("a")}
    assert {f"https://blog.example.org/tags/{slug}/" for slug in slugs} <= listed
    sitemap = etree.parse(str(site.path("sitemap.xml"))).getroot()
    assert len(sitemap) == 1 + 100 + 1 + 10_000 + 1  # home, posts, tags index, tags, archives


def test_a_post_with_a_hundred_tags_stays_a_small_valid_page(many_tags):
    site = many_tags
    text = site.text("post-42/")
    assert len(text.encode()) < 100_000
    assert html_errors(text) == []
    tags = [a.text for a in html_document(text).iterfind(".//a[@rel='tag']")]
    assert tags == [f"topic {4200 + n}" for n in range(100)]
    [entry] = xml(site, "tags/topic-4250/atom.xml").iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Post 42"


@pytest.fixture(scope="module")
def long_series(tmp_path_factory):
    posts = {
        f"part-{number:03}.md": (
            f"---\ntitle: Step {number} of the long road\ndate: 2020-01-01\nseries: Long Road\n"
            f"series_index: {number}\n---\nText of step {number}.\n"
        )
        for number in range(1, 501)
    }
    return build_site(tmp_path_factory.mktemp("series"), posts)


def test_every_part_of_a_500_part_series_is_a_small_page_with_the_middle_folded(long_series):
    site = long_series
    parts = sorted(site.contents("articles"), key=lambda a: a.series.index)
    assert [p.series.index for p in parts] == list(range(1, 501))
    for post in parts:
        assert site.path(post.url).stat().st_size < 200_000, post.url
    middle = html_document(site.text(parts[249].url))
    box = middle.find(".//nav[@class='series-box']")
    assert "Part 250 of 500" in " ".join("".join(box.itertext()).split())
    shown = [a for a in box.iterfind(".//a") if not any(d.tag == "details" for d in a.iterancestors())]
    assert len(shown) < 20
    folded = box.findall(".//details")
    assert len(folded) == 2
    assert len(box.findall(".//li")) == 500
    current = box.find(".//a[@aria-current='page']")
    assert current.text == "Step 250 of the long road"
    assert html_errors(site.text(parts[249].url)) == []


def test_a_500_part_series_has_one_page_and_feeds_holding_every_part(long_series):
    site = long_series
    page = html_document(site.text("series/long-road/"))
    assert len(page.findall(".//ol[@class='series-parts']/li")) == 500
    assert len(list(xml(site, "series/long-road/atom.xml").iter(f"{ATOM}entry"))) == 500
    assert len(json_items(site, "series/long-road/feed.json")) == 500
    assert json_items(site, "series/long-road/feed.json")[0]["title"] == "Part 500 of 500: Step 500 of the long road"


def test_thousands_of_unclosed_template_tags_are_read_and_each_reported_on_its_line(tmp_path):
    """Pairing openings with closings, and finding each one's line, take one pass each: a post
    with thousands of tags that never close builds as fast as any other."""
    count = 3000
    body = "{% highlight x %}\n" * count + "\n{{< note >}}\n" * count + "\n{% raw %}" * count
    site = build_site(tmp_path, {"many.md": f"---\ntitle: Many\ndate: 2024-01-01\n---\n{body}\n"})
    assert site.report.counts["published"] == 1
    errors = [p for p in site.report.warnings if p.severity == "error"]
    assert len(errors) == 2 * count
    assert {p.line for p in errors if "Liquid" in p.message} == set(range(5, 5 + count))
    notes = sorted(p.line for p in errors if "Hugo shortcode" in p.message)
    assert notes == list(range(6 + count, 6 + 3 * count, 2))
