"""Series in real builds: navigation on every part, series pages, description files."""

import shutil

from sitebuild import build_site, rebuild, write_files


def post(title, series=None, date="2024-01-01", **keys):
    lines = [f'title: "{title}"', f"date: {date}"]
    if series is not None:
        lines.append(f"series: {series}")
    lines += [f"{key}: {value}" for key, value in keys.items()]
    return "---\n" + "\n".join(lines) + "\n---\nA few words of body text.\n"


def box(page, name=None):
    """The series box of a post page (the one for `name` when the post is in several)."""
    boxes = page.select("nav.series-box")
    if name is None:
        assert len(boxes) == 1
        return boxes[0]
    [found] = [b for b in boxes if b.select_one("a.series-name").get_text() == name]
    return found


def position(page_box) -> tuple[int, int]:
    return (
        int(page_box.select_one(".series-index").get_text()),
        int(page_box.select_one(".series-total").get_text()),
    )


def part_titles(page_box) -> list[str]:
    return [li.get_text(" ", strip=True) for li in page_box.select("ol.series-parts-run > li")]


def rel_link(page_box, rel):
    links = page_box.find_all("a", rel=rel)
    assert len(links) <= 1
    return links[0] if links else None


THREE_PARTS = {
    "one.md": post("Part One", "Learning Rust", "2024-01-01"),
    "two.md": post("Part Two", "Learning Rust", "2024-01-08"),
    "three.md": post("Part Three", "Learning Rust", "2024-01-15"),
}


def test_first_part_links_forward_only(tmp_path):
    site = build_site(tmp_path, THREE_PARTS)
    first = box(site.html("part-one/"))
    assert position(first) == (1, 3)
    assert rel_link(first, "prev") is None
    following = rel_link(first, "next")
    assert following["href"] == "https://blog.example.org/part-two/"
    assert "Part Two" in following.get_text()
    assert first.select_one("a.series-name")["href"] == "https://blog.example.org/series/learning-rust/"


def test_middle_part_links_both_ways_and_marks_itself(tmp_path):
    site = build_site(tmp_path, THREE_PARTS)
    page = site.html("part-two/")
    middle = box(page)
    assert position(middle) == (2, 3)
    assert rel_link(middle, "prev")["href"].endswith("/part-one/")
    assert "Part One" in rel_link(middle, "prev").get_text()
    assert rel_link(middle, "next")["href"].endswith("/part-three/")
    assert part_titles(middle) == ["Part One", "Part Two", "Part Three"]
    [current] = middle.select("[aria-current]")
    assert current.get_text() == "Part Two"
    head_links = {link["rel"][0]: link["href"] for link in page.head.select("link[rel=prev], link[rel=next]")}
    assert head_links == {
        "prev": "https://blog.example.org/part-one/",
        "next": "https://blog.example.org/part-three/",
    }


def test_last_part_has_no_next_link(tmp_path):
    site = build_site(tmp_path, THREE_PARTS)
    page = site.html("part-three/")
    last = box(page)
    assert position(last) == (3, 3)
    assert rel_link(last, "next") is None
    assert rel_link(last, "prev")["href"].endswith("/part-two/")
    assert not page.select('a[rel="next"], link[rel="next"]')


def test_post_outside_any_series_has_no_series_box(tmp_path):
    site = build_site(tmp_path, {**THREE_PARTS, "alone.md": post("Alone")})
    assert not site.html("alone/").select(".series-box, .series-pager")
    assert not hasattr(site.article("Alone"), "series")


def test_explicit_position_beats_dates(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post("Basics", "Go Deep", "2024-03-01", series_index=1),
            "b.md": post("Types", "Go Deep", "2024-03-08", series_index=2),
            "c.md": post("Channels", "Go Deep", "2024-03-15", series_index=3),
            # Written first, published as the fourth part.
            "d.md": post("Generics", "Go Deep", "2024-02-01", part=4),
        },
    )
    nav = box(site.html("generics/"))
    assert position(nav) == (4, 4)
    assert part_titles(nav) == ["Basics", "Types", "Channels", "Generics"]
    assert rel_link(nav, "prev")["href"].endswith("/channels/")
    page_titles = [a.get_text() for a in site.html("series/go-deep/").select(".series-part-title a")]
    assert page_titles == ["Basics", "Types", "Channels", "Generics"]


def test_naive_and_aware_dates_in_one_series_are_ordered_by_time(tmp_path):
    site = build_site(
        tmp_path,
        {
            "later.md": post("Later Part", "Mixed Dates", "2020-06-01"),
            "earlier.md": post("Earlier Part", "Mixed Dates", "2020-05-25T02:50:54.615Z"),
            "middle.md": post("Middle Part", "Mixed Dates", "2020-05-28 6:00 pm"),
        },
    )
    nav = box(site.html("later-part/"))
    assert part_titles(nav) == ["Earlier Part", "Middle Part", "Later Part"]
    assert position(nav) == (3, 3)


def test_draft_and_hidden_parts_are_neither_counted_nor_linked(tmp_path):
    site = build_site(
        tmp_path,
        {
            **THREE_PARTS,
            "draft.md": post("Secret Fourth", "Learning Rust", "2024-01-20", draft="true"),
            "hidden.md": post("Unlisted Fifth", "Learning Rust", "2024-01-21", status="hidden"),
        },
    )
    for url in ("part-one/", "part-two/", "part-three/", "series/learning-rust/", "series/"):
        page = site.html(url)
        assert "Secret Fourth" not in page.get_text() and "Unlisted Fifth" not in page.get_text()
        assert not page.select("a[href*='secret-fourth'], a[href*='unlisted-fifth']")
    assert not site.html("unlisted-fifth/").select(".series-box")
    assert position(box(site.html("part-three/"))) == (3, 3)
    assert rel_link(box(site.html("part-three/")), "next") is None
    draft_page = site.html("drafts/secret-fourth/")
    assert not draft_page.select(".series-box")
    assert site.html("series/").select_one(".series-count").get_text() == "3 parts"


def test_future_part_is_not_shown(tmp_path):
    site = build_site(
        tmp_path,
        {
            **THREE_PARTS,
            "future.md": post("Tomorrow's Part", "Learning Rust", "2999-01-01"),
        },
    )
    assert position(box(site.html("part-one/"))) == (1, 3)
    assert "Tomorrow" not in site.html("series/learning-rust/").get_text()
    assert not site.exists("tomorrows-part/")


def test_future_part_published_early_stays_out_of_navigation(tmp_path):
    site = build_site(
        tmp_path,
        {
            **THREE_PARTS,
            "future.md": post("Tomorrow's Part", "Learning Rust", "2999-01-01"),
        },
        WITH_FUTURE_DATES=True,
    )
    assert site.exists("tomorrows-part/")
    assert not site.html("tomorrows-part/").select(".series-box")
    assert position(box(site.html("part-three/"))) == (3, 3)
    assert "Tomorrow" not in site.html("series/learning-rust/").get_text()


def test_post_in_two_series_shows_both_primary_first(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post("Intro to Pandas", "Data Wrangling", "2024-01-01"),
            "b.md": post("Pandas Meets SQL", "[Data Wrangling, Databases]", "2024-01-10"),
            "c.md": post("Indexes", "Databases", "2024-01-05"),
        },
    )
    page = site.html("pandas-meets-sql/")
    names = [b.select_one("a.series-name").get_text() for b in page.select("nav.series-box")]
    assert names == ["Data Wrangling", "Databases"]
    assert position(box(page, "Data Wrangling")) == (2, 2)
    assert position(box(page, "Databases")) == (2, 2)
    assert rel_link(box(page, "Databases"), "prev")["href"].endswith("/indexes/")
    article = site.article("Pandas Meets SQL")
    assert article.series.name == "Data Wrangling"
    assert [nav.name for nav in article.series_all] == ["Data Wrangling", "Databases"]


def test_near_duplicate_series_names_are_one_series_with_a_warning(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post("First Steps", "Machine Learning 101", "2024-01-01"),
            "b.md": post("Second Steps", "Machine Learning 101", "2024-01-02"),
            "c.md": post("Third Steps", "machine-learning 101!", "2024-01-03"),
        },
    )
    assert position(box(site.html("third-steps/"))) == (3, 3)
    assert box(site.html("third-steps/")).select_one("a.series-name").get_text() == "Machine Learning 101"
    assert [s.name for s in site.generators[0].context["series_list"]] == ["Machine Learning 101"]
    [warning] = [p for p in site.report.warnings if p.key == "series"]
    assert warning.path.endswith("c.md")
    assert "machine-learning 101!" in warning.message and "Machine Learning 101" in warning.message


def test_renamed_series_leaves_no_trace_on_rebuild(tmp_path):
    site = build_site(tmp_path, THREE_PARTS)
    assert site.exists("series/learning-rust/")
    for name in THREE_PARTS:
        text = (site.content / name).read_text().replace("Learning Rust", "Rust the Hard Way")
        (site.content / name).write_text(text)
    rebuild(site)

    assert not site.exists("series/learning-rust/")
    assert site.exists("series/rust-the-hard-way/")
    index = site.html("series/")
    assert [a.get_text() for a in index.select(".series-title a")] == ["Rust the Hard Way"]
    nav = box(site.html("part-two/"))
    assert nav.select_one("a.series-name").get_text() == "Rust the Hard Way"
    assert "Learning Rust" not in site.text("part-two/")
    assert [s.name for s in site.generators[0].context["series_list"]] == ["Rust the Hard Way"]


def test_description_file_orders_parts_and_announces_planned_ones(tmp_path):
    site = build_site(
        tmp_path,
        {
            "notes/setup.md": post("Setting Up", "Kubernetes Notes", "2024-05-10"),
            "notes/pods.md": post("Pods", "Kubernetes Notes", "2024-05-01"),
            "notes/services.md": post("Services", "Kubernetes Notes", "2024-05-20"),
            "series/kubernetes-notes.md": """
                ---
                name: Kubernetes Notes
                status: complete
                parts:
                  - setup.md
                  - pods
                  - notes/services.md
                  - Networking Deep Dive
                  - planned: storage
                ---
                What I learned running *Kubernetes* at home.
            """,
        },
    )
    page = site.html("series/kubernetes-notes/")
    assert [a.get_text() for a in page.select(".series-part-title a")] == [
        "Setting Up",
        "Pods",
        "Services",
    ]
    description = page.select_one(".series-description")
    assert description.find("em").get_text() == "Kubernetes"
    planned = [li.get_text(strip=True) for li in page.select(".series-planned li")]
    assert planned == ["Networking Deep Dive", "storage"]
    assert not page.select_one(".series-planned").find("a")
    assert page.select_one(".series-status").get_text() == "Complete"
    nav = box(site.html("pods/"))
    assert position(nav) == (2, 3)
    assert [li.get_text(" ", strip=True) for li in nav.select(".series-part-planned")] == [
        "Networking Deep Dive (coming soon)",
        "storage (coming soon)",
    ]
    assert not site.report.warnings


def test_listed_draft_is_announced_by_title_without_link(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post("Lexing", "Write a Compiler", "2024-01-01"),
            "b.md": post("Parsing Soon", date="2024-01-09", draft="true"),
            "series/write-a-compiler.md": "---\nparts: [lexing, parsing-soon]\n---\nFrom text to machine code.\n",
        },
    )
    page = site.html("series/write-a-compiler/")
    assert [li.get_text(strip=True) for li in page.select(".series-planned li")] == ["Parsing Soon"]
    assert not page.select("a[href*='parsing-soon']")
    assert position(box(site.html("lexing/"))) == (1, 1)


def test_seed_course_chapter_joins_a_series_through_its_description_file(tmp_path, seeds):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(seeds / "course-what-is-ml.md", content / "course-what-is-ml.md")
    write_files(
        content,
        {
            "what-is-a-neural-network.md": """
                ---
                title: What is a Neural Network?
                date: 2999-01-01
                ---
                Neurons, layers and weights.
            """,
            "series/machine-learning-course.md": """
                ---
                title: Machine Learning Course
                parts:
                  - course-what-is-ml.md
                  - what-is-a-neural-network.md
                ---
                A beginner's course, chapter by chapter.
            """,
        },
    )
    site = build_site(tmp_path)
    chapter_page = site.html("courses/machine-learning/what-is-ml/")
    nav = box(chapter_page)
    assert position(nav) == (1, 1)
    assert nav.select_one("a.series-name")["href"] == "https://blog.example.org/series/machine-learning-course/"
    assert [li.get_text(" ", strip=True) for li in nav.select(".series-part-planned")] == [
        "What is a Neural Network? (coming soon)"
    ]
    series_page = site.html("series/machine-learning-course/")
    [link] = series_page.select(".series-part-title a")
    assert link["href"] == "https://blog.example.org/courses/machine-learning/what-is-ml/"
    assert link.get_text() == "What is Machine Learning?"
    assert site.article("What is Machine Learning?").series.name == "Machine Learning Course"


def test_duplicate_positions_warn_naming_both_files(tmp_path):
    site = build_site(
        tmp_path,
        {
            "x.md": post("Alpha", "Dup Series", "2024-01-01", series_index=2),
            "y.md": post("Beta", "Dup Series", "2024-01-02", series_index=2),
        },
    )
    warnings = [p for p in site.report.warnings if p.key == "series_index"]
    assert sorted(p.path.rsplit("/", 1)[-1] for p in warnings) == ["x.md", "y.md"]
    assert all("x.md" in p.message and "y.md" in p.message for p in warnings)
    assert part_titles(box(site.html("alpha/"))) == ["Alpha", "Beta"]


def test_long_series_folds_its_middle_and_keeps_every_part_reachable(tmp_path):
    files = {
        f"day-{n:02}.md": post(f"Advent Day {n}", "Advent of Code", f"2024-12-{n:02}", part=n) for n in range(1, 31)
    }
    site = build_site(tmp_path, files)
    nav = box(site.html("advent-day-15/"))
    assert position(nav) == (15, 30)
    folded = nav.select("details.series-parts-folded")
    assert len(folded) == 2
    visible = [
        li.get_text(strip=True) for li in nav.select("ol.series-parts-run > li") if not li.find_parent("details")
    ]
    assert visible == [f"Advent Day {n}" for n in (1, 2, 13, 14, 15, 16, 17, 29, 30)]
    assert len(nav.select("ol.series-parts-run > li a")) == 30
    assert nav.select_one("[aria-current]").get_text() == "Advent Day 15"


def test_series_page_lists_parts_with_date_summary_reading_time_and_feeds(tmp_path):
    long_body = "word " * 880  # with the 6 words of body text: 886 words, 4 minutes
    site = build_site(
        tmp_path,
        {
            "a.md": post("Short One", "Reading Club", "2024-02-01", summary="A quick read."),
            "b.md": post("Long One", "Reading Club", "2024-02-10") + long_body,
        },
    )
    page = site.html("series/reading-club/")
    parts = page.select("li.series-part")
    assert [p.select_one("time")["datetime"][:10] for p in parts] == [
        "2024-02-01",
        "2024-02-10",
    ]
    assert parts[0].select_one(".series-part-summary").get_text() == "A quick read."
    assert [p.select_one(".series-reading-time").get_text() for p in parts] == [
        "1 min read",
        "4 min read",
    ]
    feeds = {link["type"]: link["href"] for link in page.head.select("link[rel=alternate]")}
    assert feeds["application/atom+xml"] == "https://blog.example.org/series/reading-club/atom.xml"
    assert feeds["application/rss+xml"] == "https://blog.example.org/series/reading-club/rss.xml"
    assert feeds["application/feed+json"] == "https://blog.example.org/series/reading-club/feed.json"
    index = site.html("series/").select_one("article.series-summary")
    assert index.select_one(".series-count").get_text() == "2 parts"
    assert index.select_one(".series-status").get_text() == "Ongoing"
    assert index.select_one(".series-latest a").get_text() == "Long One"
    assert [t["datetime"][:10] for t in index.select(".series-meta time")] == [
        "2024-02-01",
        "2024-02-10",
    ]


def test_series_index_lists_every_series_by_name(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post("Zed Part", "zebra studies", "2024-01-01"),
            "b.md": post("Apple Part", "Apple Notes", "2024-01-02"),
        },
    )
    titles = [a.get_text() for a in site.html("series/").select(".series-title a")]
    assert titles == ["Apple Notes", "zebra studies"]


def test_author_text_is_escaped_in_series_pages_and_box(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post(
                "Q&A <b>bold</b> claims",
                '"Tips & <script>alert(1)</script>"',
                "2024-01-01",
            ),
            "b.md": post("Second", '"Tips & <script>alert(1)</script>"', "2024-01-02"),
        },
    )
    for url in (
        "second/",
        "series/",
        f"series/{site.generators[0].context['series_list'][0].slug}/",
    ):
        page = site.html(url)
        assert not page.select("main script, main b")
        assert "Tips & <script>alert(1)</script>" in page.get_text()
    assert "Q&A <b>bold</b> claims" in box(site.html("second/")).get_text()


def test_series_file_mistakes_are_reported_with_file_and_key(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post("Only Part", "Oops Series", "2024-01-01"),
            "series/oops-series.md": """
                ---
                name: Oops Series
                status: halfway
                colour: blue
                parts:
                  - only-part
                  - no-such-post
                ---
                Text.
            """,
            "series/ghost-series.md": "---\nname: Ghost Series\n---\nNobody writes here.\n",
        },
    )
    by_key = {(p.path.rsplit("/", 1)[-1], p.key): p for p in site.report.warnings}
    assert by_key[("oops-series.md", "status")].line == 3
    assert "ongoing or complete" in by_key[("oops-series.md", "status")].message
    assert by_key[("oops-series.md", "colour")].line == 4
    assert by_key[("oops-series.md", "parts")].line == 5
    assert "no-such-post" in by_key[("oops-series.md", "parts")].message
    assert "Ghost Series" in by_key[("ghost-series.md", "name")].message
    assert site.exists("series/oops-series/")
    assert not site.exists("series/ghost-series/")


def test_sample_blog_series_build_without_warnings(tmp_path):
    from sitebuild import PROJECT

    site = build_site(tmp_path, copy_from=PROJECT / "content")
    assert [p for p in site.report.warnings if p.key in {"series", "series_index", "parts", "name"}] == []
    page = site.html("series/math-for-machine-learning/")
    assert len(page.select(".series-part-title a")) == 4
    assert "Probability Without Tears" in page.select_one(".series-planned").get_text()
    assert site.html("series/python-notebook/").select_one(".series-status").get_text() == "Complete"


def test_unreadable_series_file_is_reported_and_the_series_still_builds(tmp_path):
    site = build_site(
        tmp_path,
        {
            "a.md": post("Lone Part", "Broken Description", "2024-01-01"),
            "series/broken-description.md": "---\nname: [unclosed\nstatus: complete\n---\nText.\n",
        },
    )
    [problem] = [p for p in site.report.warnings if p.path.endswith("broken-description.md")]
    assert problem.line is not None and "series file is ignored" in problem.message
    page = site.html("series/broken-description/")
    assert page.select_one(".series-status").get_text() == "Ongoing"
    assert not page.select(".series-description")


def test_templates_written_for_pelican_series_work_unchanged(tmp_path):
    overrides = tmp_path / "old-theme"
    write_files(
        overrides,
        {
            "article.html": """
                <html><body>
                {% if article.series %}{% set s = article.series %}
                <p id="where">Part {{ s.index }} of {{ s.all|count }} in {{ s.name }}</p>
                <ol id="before">{% for a in s.all_previous %}<li>{{ a.title }}</li>{% endfor %}</ol>
                <ol id="after">{% for a in s.all_next %}<li>{{ a.title }}</li>{% endfor %}</ol>
                {% if s.previous %}<a id="previous" href="/{{ s.previous.url }}">{{ s.previous.title }}</a>{% endif %}
                {% if s.next %}<a id="next" href="/{{ s.next.url }}">{{ s.next.title }}</a>{% endif %}
                {% endif %}
                </body></html>
            """
        },
    )
    site = build_site(tmp_path, THREE_PARTS, THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    page = site.html("part-two/")
    assert page.select_one("#where").get_text() == "Part 2 of 3 in Learning Rust"
    assert [li.get_text() for li in page.select("#before li")] == ["Part One"]
    assert [li.get_text() for li in page.select("#after li")] == ["Part Three"]
    assert page.select_one("#previous")["href"] == "/part-one/"
    assert page.select_one("#next").get_text() == "Part Three"
    assert not site.html("part-three/").select("#next")


def test_a_planned_part_once_written_is_found_by_its_title(tmp_path):
    site = build_site(
        tmp_path,
        {
            "series/calculus.md": "---\nname: Calculus\nparts:\n  - limits\n  - planned: Derivatives, Gently\n"
            "  - Integrals Someday\n---\nA short course.\n",
            "limits.md": "---\ntitle: Limits\ndate: 2024-01-01\n---\nfirst\n",
            "derivatives.md": "---\ntitle: Derivatives, gently\ndate: 2024-01-08\nseries: Calculus\n---\nsecond\n",
        },
    )
    page = site.html("series/calculus/")
    linked = [a.get_text(" ", strip=True) for a in page.select("main ol a")]
    assert linked[:2] == ["Limits", "Derivatives, gently"]
    assert page.find(string=lambda s: "Integrals Someday" in s)
    assert not [p for p in site.report.warnings if "not in the" in p.message]
