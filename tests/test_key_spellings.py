"""Front-matter keys as other tools spell them (camelCase, dashes) read as the key they mean;
a key close to a known one gets a "did you mean"; summary and description each keep their job;
a series description file is found by the name it gives."""

import feedparser
from sitebuild import build_site


def post(title, series_key, position, day, series="Rust from scratch"):
    return f"---\ntitle: {title}\n{series_key}: {position}\nseries: {series}\npubDate: 2024-03-{day:02d}\n---\nText.\n"


def test_series_order_in_camel_case_or_with_dashes_gives_the_authors_order(tmp_path):
    # Written in the reverse of their order: dates alone would put part 3 first.
    site = build_site(
        tmp_path,
        {
            "a.md": post("Setting up", "seriesOrder", 1, 20),
            "b.md": post("Ownership", "series-order", 2, 10),
            "c.md": post("Lifetimes", "seriesIndex", 3, 1),
        },
    )
    page = site.html("series/rust-from-scratch/")
    titles = [a.get_text() for a in page.select(".series-parts .series-part-title a")]
    assert titles == ["Setting up", "Ownership", "Lifetimes"]
    assert site.article("Setting up").series.index == 1
    assert not [m for m in site.messages() if "series" in m]


def test_camel_case_dates_read_as_the_keys_they_mean(tmp_path):
    site = build_site(
        tmp_path,
        {
            "astro.md": """\
                ---
                title: Astro post
                pubDate: 2024-01-15
                lastMod: 2024-02-01
                coverImage: /images/cover.png
                hero-image: /images/hero.png
                ---
                Text.
                """
        },
    )
    article = site.article("Astro post")
    assert (article.date.year, article.date.month, article.date.day) == (2024, 1, 15)
    assert (article.modified.month, article.modified.day) == (2, 1)
    assert article.coverimage == "/images/cover.png"  # other keys: in lower case, as written
    assert article.metadata["hero-image"] == "/images/hero.png"
    assert not site.messages()


def test_a_key_close_to_a_known_one_gets_did_you_mean_with_file_and_line(tmp_path):
    site = build_site(
        tmp_path,
        {
            "typos.md": """\
                ---
                tittle: Typo post
                title: Typo post
                date: 2024-01-01
                serie: Learning Go
                seris_order: 2
                hero_image: fine.png
                ---
                Text.
                """
        },
    )
    messages = site.messages()
    assert any(m.startswith("content/typos.md:2:") and "did you mean 'title'" in m for m in messages), messages
    assert any(m.startswith("content/typos.md:5:") and "did you mean 'series'" in m for m in messages), messages
    assert any(m.startswith("content/typos.md:6:") and "did you mean 'series_order'" in m for m in messages), messages
    assert not any("hero_image" in m for m in messages)


def test_the_same_key_spelled_twice_is_said_once_with_both_spellings(tmp_path):
    site = build_site(
        tmp_path,
        {"twice.md": "---\ntitle: Twice\ndate: 2024-01-01\nseries: S\nseries_order: 1\nseriesOrder: 2\n---\nText.\n"},
    )
    [message] = [m for m in site.messages() if "twice.md" in m]
    assert message.startswith("content/twice.md:6:") and "'seriesOrder' repeats 'series_order'" in message
    assert site.article("Twice").series.index == 1


def test_summary_and_description_that_differ_both_keep_their_job(tmp_path):
    site = build_site(
        tmp_path,
        {
            "both.md": """\
                ---
                title: Both texts
                date: 2024-01-02
                description: How I set up Rust on a new laptop, step by step.
                summary: Setting up Rust.
                ---
                Body.
                """,
            "same.md": """\
                ---
                title: Same texts
                date: 2024-01-01
                description: One text.
                summary: One text.
                ---
                Body.
                """,
        },
    )
    assert not site.messages()
    page = site.html("both-texts/")
    assert (
        page.find("meta", attrs={"name": "description"})["content"]
        == "How I set up Rust on a new laptop, step by step."
    )
    home = site.html("")
    assert "Setting up Rust." in home.get_text()
    assert "step by step" not in home.get_text()
    entries = {e.title: e for e in feedparser.parse(site.text("atom.xml")).entries}
    assert entries["Both texts"].summary == "How I set up Rust on a new laptop, step by step."
    assert entries["Same texts"].summary == "One text."


def test_a_series_file_is_found_by_its_name_and_its_file_name_needs_no_rename(tmp_path):
    site = build_site(
        tmp_path,
        {
            "one.md": post("Part one", "part", 1, 1, series="Deep Learning"),
            "two.md": post("Part two", "part", 2, 2, series="Deep Learning"),
            "series/Deep Learning.md": "---\nname: Deep Learning\nstatus: complete\n---\nNeural networks from zero.\n",
            "three.md": post("Go one", "part", 1, 3, series="go_notes"),
            "series/go_notes.md": "---\ntitle: Notes on Go, the language\n---\nWhat I learn about Go.\n",
            "four.md": post("Web one", "part", 1, 4, series="Web basics"),
            "series/web.md": "---\nname: Web basics\n---\nHTML, CSS, HTTP.\n",
        },
    )
    messages = site.messages()
    assert not [m for m in messages if "Deep Learning.md" in m or "go_notes" in m], messages
    # A file named neither after the series nor after its name is found, and may be renamed.
    [advice] = [m for m in messages if "content/series/web.md" in m]
    assert advice.startswith("content/series/web.md:2:") and "rename the file to web-basics.md" in advice
    assert "Neural networks from zero." in site.html("series/deep-learning/").get_text()
    go = site.html("series/go-notes/")
    assert "What I learn about Go." in go.get_text()
    assert go.find("h1").get_text() == "Notes on Go, the language"
    assert "HTML, CSS, HTTP." in site.html("series/web-basics/").get_text()
