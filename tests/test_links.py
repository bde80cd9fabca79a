"""Relative links between posts resolve to the target's URL; broken ones are reported."""

from sitebuild import SITEURL, build_site


def front(title, slug=None, extra=""):
    lines = ["---", f"title: {title}", "date: 2024-01-01"]
    if slug:
        lines.append(f"slug: {slug}")
    return "\n".join(lines) + ("\n" + extra if extra else "") + "\n---\n"


TARGETS = {
    "course/02-vectors.md": front("Vectors", "vectors-and-the-dot-product"),
    "course/03-old.md": front("Old post", extra="permalink: /2019/05/old-post.html"),
    "images/plot.png": b"\x89PNG\r\n\x1a\n",
}


def line_number(site, name, fragment):
    lines = (site.content / name).read_text().split("\n")
    return next(i for i, line in enumerate(lines, start=1) if fragment in line)


def test_relative_links_resolve_to_the_target_url(tmp_path):
    body = (
        "By slug path: [vectors](../vectors-and-the-dot-product/#the-dot-product).\n\n"
        "By file: [file](02-vectors.md) and [stem](02-vectors).\n\n"
        "By old permalink: [old](../2019/05/old-post.html).\n\n"
        "External [site](https://example.com/x) and [anchor](#top) and [mail](mailto:a@b.c).\n\n"
        "Image ![plot](../images/plot.png).\n\n"
        "Home [index](../) and [tags](../tags/)\n"
    )
    site = build_site(
        tmp_path,
        files={**TARGETS, "course/01-why.md": front("Why", "why") + body},
    )
    page = site.html("why/")
    links = {a.get_text(): a["href"] for a in page.select(".content a") if a.get_text()}
    assert links["vectors"] == f"{SITEURL}/vectors-and-the-dot-product/#the-dot-product"
    assert links["file"] == f"{SITEURL}/vectors-and-the-dot-product/"
    assert links["stem"] == f"{SITEURL}/vectors-and-the-dot-product/"
    assert links["old"] == f"{SITEURL}/2019/05/old-post.html"
    assert site.exists("2019/05/old-post.html")
    assert links["site"] == "https://example.com/x"
    assert links["anchor"] == "#top"
    assert links["mail"] == "mailto:a@b.c"
    assert links["index"] == "../"
    assert links["tags"] == "../tags/"
    assert page.select_one(".content img")["src"] == f"{SITEURL}/images/plot.png"
    assert not [p for p in site.report.warnings if "link" in p.message or "file" in p.message]


def test_links_that_resolve_to_nothing_are_reported_with_their_line(tmp_path):
    body = (
        "First paragraph.\n\n"
        "A [missing post](../no-such-post/) here.\n\n"
        "Also ![missing image](pictures/nowhere.png).\n\n"
        'And raw <a href="gone.html">html</a>, and [a bad filename link]({filename}nothing.md).\n'
    )
    site = build_site(tmp_path, files={**TARGETS, "posts/broken.md": front("Broken", "broken") + body})
    problems = {p.message.split("'")[1]: p for p in site.report.warnings if "'" in p.message}
    for value, fragment in (
        ("../no-such-post/", "[missing post]"),
        ("pictures/nowhere.png", "![missing image]"),
        ("gone.html", 'href="gone.html"'),
        ("{filename}nothing.md", "bad filename link"),
    ):
        problem = problems[value]
        assert problem.path.endswith("posts/broken.md")
        assert problem.line == line_number(site, "posts/broken.md", fragment)

    page = site.html("broken/")
    assert page.find("a", string="missing post")["href"] == "../no-such-post/"
    assert page.find("img", alt="missing image")["src"] == "pictures/nowhere.png"
    assert page.find("a", string="html")["href"] == "gone.html"


def test_a_file_outside_the_static_folders_is_reported_as_not_published(tmp_path):
    site = build_site(
        tmp_path,
        files={"posts/a.md": front("A", "a") + "![chart](chart.png)\n", "posts/chart.png": b"\x89PNG"},
    )
    [problem] = [p for p in site.report.warnings if "chart.png" in p.message]
    assert "not published" in problem.message and "images" in problem.message
    assert problem.line == line_number(site, "posts/a.md", "![chart]")


def test_a_link_to_a_draft_is_left_as_written_and_reported(tmp_path):
    site = build_site(
        tmp_path,
        files={
            "a.md": front("A", "a") + "See [the next part](../b/).\n",
            "b.md": front("B", "b", "draft: true"),
        },
    )
    page = site.html("a/")
    assert page.find("a", string="the next part")["href"] == "../b/"
    [problem] = [p for p in site.report.warnings if "draft" in p.message]
    assert problem.path.endswith("a.md") and problem.line == line_number(site, "a.md", "next part")


def test_an_ambiguous_name_is_reported_not_guessed(tmp_path):
    site = build_site(
        tmp_path,
        files={
            "a.md": front("A", "a") + "See [notes](../archive/notes.html).\n",
            "one/notes.md": front("Notes one", "notes"),
            "two/notes.md": front("Notes two", "notes-two"),
        },
    )
    assert site.html("a/").find("a", string="notes")["href"] == "../archive/notes.html"
    [problem] = [p for p in site.report.warnings if "several posts" in p.message]
    assert "one/notes.md" in problem.message and "two/notes.md" in problem.message


def test_seed_course_chapter_links_the_next_chapter_by_its_old_relative_url(tmp_path, seeds):
    chapter = (seeds / "course-what-is-ml.md").read_text()
    next_chapter = (
        "---\ntitle: What is a neural network?\n"
        "permalink: /courses/machine-learning/what-is-a-neural-network\n---\nNeurons.\n"
    )
    site = build_site(
        tmp_path,
        files={"course-what-is-ml.md": chapter, "course-what-is-a-neural-network.md": next_chapter},
    )
    page = site.html("courses/machine-learning/what-is-ml/")
    link = page.find("a", string="neural network")
    assert link["href"] == f"{SITEURL}/courses/machine-learning/what-is-a-neural-network/"
    assert "text-blue-600" in link["class"]
    assert site.exists("courses/machine-learning/what-is-a-neural-network/")


def test_seed_course_chapter_alone_reports_its_missing_next_chapter(tmp_path, seeds):
    site = build_site(tmp_path, files={"course-what-is-ml.md": (seeds / "course-what-is-ml.md").read_text()})
    [problem] = [p for p in site.report.warnings if "what-is-a-neural-network" in p.message]
    assert problem.path.endswith("course-what-is-ml.md")
    assert problem.line == line_number(site, "course-what-is-ml.md", 'href="what-is-a-neural-network"')
    page = site.html("courses/machine-learning/what-is-ml/")
    assert page.find("a", string="neural network")["href"] == "what-is-a-neural-network"


def test_sample_blog_series_links_resolve(tmp_path):
    from sitebuild import PROJECT

    site = build_site(tmp_path, copy_from=PROJECT / "content")
    page = site.html("vectors-and-the-dot-product/")
    link = page.find("a", string="why I am doing this")
    assert link["href"] == f"{SITEURL}/why-i-am-learning-the-math-behind-machine-learning/"
    assert not [p for p in site.report.warnings if "link" in p.message]


def test_links_resolve_again_on_a_rebuild(tmp_path):
    from sitebuild import rebuild

    site = build_site(tmp_path, files={**TARGETS, "a.md": front("A", "a") + "[v](02-vectors.md) [x](../x/)\n"})
    rebuild(site)
    assert site.html("a/").find("a", string="v")["href"] == f"{SITEURL}/vectors-and-the-dot-product/"
    assert len([p for p in site.report.warnings if "'../x/'" in p.message]) == 1


def test_links_are_rewritten_even_when_a_plugin_read_the_content_earlier(tmp_path):
    from pelican import signals

    seen = []

    def read_everything(generator):
        seen.extend(article.content for article in generator.articles)

    signals.article_generator_finalized.connect(read_everything)
    try:
        site = build_site(tmp_path, files={**TARGETS, "a.md": front("A", "a") + "[v](02-vectors.md)\n"})
    finally:
        signals.article_generator_finalized.disconnect(read_everything)
    assert any('href="02-vectors.md"' in html for html in seen)
    expected = f"{SITEURL}/vectors-and-the-dot-product/"
    assert site.html("a/").find("a", string="v")["href"] == expected
    assert f'href="{expected}"' in site.article("A").content
