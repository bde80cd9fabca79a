"""The two real posts in shared/seeds build untouched."""

import shutil

from sitebuild import build_site


def test_course_chapter_is_published_at_its_permalink_with_a_date(tmp_path, seeds):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(seeds / "course-what-is-ml.md", content)
    site = build_site(tmp_path)

    page = site.html("courses/machine-learning/what-is-ml/")
    assert "What is Machine Learning?" in page.title.get_text()
    assert page.find(string=lambda s: "converting data into numerical values" in s)
    chapter = site.article("What is Machine Learning?")
    assert chapter.date.tzinfo is not None
    assert chapter.url == "courses/machine-learning/what-is-ml/"
    assert not hasattr(chapter, "layout")
    [warning] = [p for p in site.report.warnings if p.key == "date"]
    assert "course-what-is-ml.md" in warning.path
    assert site.report.counts["published"] == 1
    assert site.report.counts["skipped"] == 0


def test_math_post_keeps_tags_summary_and_series(tmp_path, seeds):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(seeds / "math-for-ml-intro.md", content)
    site = build_site(tmp_path)

    page = site.html("an-introduction-to-machine-learning-and-me/")
    tag_links = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.select("a[href*='/tags/']")}
    assert {"machine_learning", "blog"} <= tag_links
    assert site.exists("tags/machine_learning/")
    assert site.exists("tags/blog/")
    assert site.report.counts == {**site.report.counts, "read": 1, "published": 1, "skipped": 0}

    post = site.article("An Introduction to Machine learning")
    assert post.date.isoformat() == "2020-05-25T02:50:54.615000+00:00"
    assert post.description == "What the hell is ML, really?"
    assert post.summary == "What the hell is ML, really?"
    assert post.metadata["series"] == ["Math for Machine Learning"]
    assert [t.name for t in post.tags] == ["machine_learning", "blog"]
