"""Rebuilds render again only the pages and feeds whose inputs changed, and still leave what a
clean build leaves: bodies a page reads (through any template), faces (titles, series, tags),
templates and settings, and output files changed by hand."""

import shutil

import jinja2
import pytest
from learning_journal.output import feeds
from sitebuild import build_site, rebuild


def post(title: str, date: str, body: str, tags: str = "notes", series: str | None = None) -> str:
    series_line = f"series: {series}\n" if series else ""
    return f"---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\n{series_line}---\n{body}\n"


POSTS = {
    "alpha.md": post("Alpha notes", "2024-01-01", "The first post, about *alpha*.", "greek", "Letters"),
    "beta.md": post("Beta notes", "2024-01-02", "The second post, about beta.", "greek", "Letters"),
    "gamma.md": post("Gamma notes", "2024-01-03", "The third post, about gamma.", "letters"),
    "delta.md": post("Delta notes", "2024-01-04", "The fourth post, about delta.", "rivers"),
}


def output_files(site) -> dict:
    return {str(path.relative_to(site.output)): path.read_bytes() for path in site.output.rglob("*") if path.is_file()}


@pytest.fixture
def rendered(monkeypatch):
    """Output names of the pages Jinja really renders, and paths of the feeds really made."""
    made = []
    render = jinja2.Template.render
    feed_of = feeds.feed_of

    def rendering(self, *args, **kwargs):
        context = args[0] if args else kwargs
        made.append(str(context.get("output_file")))
        return render(self, *args, **kwargs)

    def making(subject, feed_format, *args):
        made.append(feeds.feed_path(subject, feed_format))
        return feed_of(subject, feed_format, *args)

    monkeypatch.setattr(jinja2.Template, "render", rendering)
    monkeypatch.setattr(feeds, "feed_of", making)
    # Counted in this process: feeds are made here, never by a forked process of a first build.
    monkeypatch.setattr(feeds, "can_fork", lambda settings: False)
    return made


def clean_build_of(site, tmp_path, **overrides):
    files = {
        str(path.relative_to(site.content)): path.read_bytes() for path in site.content.rglob("*") if path.is_file()
    }
    clean = tmp_path / "clean"
    record = site.content.parent / "published-urls.json"
    if record.is_file():  # part of the blog, as its content is: moved posts keep their redirects
        clean.mkdir(parents=True, exist_ok=True)
        shutil.copy(record, clean / record.name)
    return build_site(clean, files, **overrides)


def test_editing_a_body_renders_again_only_what_shows_it(tmp_path, rendered):
    site = build_site(tmp_path / "site", POSTS)
    everything = set(rendered)
    rendered.clear()

    (site.content / "delta.md").write_text(POSTS["delta.md"].replace("about delta.", "about the Delta of a river."))
    rebuild(site)

    assert "delta-notes/index.html" in rendered
    assert "tags/rivers/atom.xml" in rendered  # its tag's feed shows the body
    assert "alpha-notes/index.html" not in rendered
    assert "series/letters/index.html" not in rendered
    assert "series/letters/atom.xml" not in rendered
    assert len(rendered) < len(everything) / 3
    pages = output_files(site)
    for name in rendered:  # what was made again shows the edited post
        assert b"delta-notes/" in pages[name], name
    # The home page shows the post's summary, made from its body: it is rendered again too.
    assert "Delta of a river" in site.text("")
    assert output_files(site) == output_files(clean_build_of(site, tmp_path))


def test_a_template_that_shows_another_posts_body_is_rendered_again(tmp_path, rendered):
    """The memo sees what a template reads, not what the theme is expected to read."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text(
        '{% extends "!theme/article.html" %}{% block content %}{{ super() }}'
        '<aside id="newest">{{ articles[0].content|safe }}</aside>{% endblock %}'
    )
    site = build_site(tmp_path / "site", POSTS, THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    rendered.clear()

    (site.content / "delta.md").write_text(POSTS["delta.md"].replace("about delta.", "about a new delta."))
    rebuild(site)

    assert "alpha-notes/index.html" in rendered
    assert "about a new" in site.html("alpha-notes/").find(id="newest").get_text()
    clean = clean_build_of(site, tmp_path, THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert output_files(site) == output_files(clean)


def test_a_changed_title_reaches_every_page_that_names_the_post(tmp_path, rendered):
    site = build_site(tmp_path / "site", POSTS)
    (site.content / "beta.md").write_text(POSTS["beta.md"].replace("Beta notes", "Beta, revisited"))
    rebuild(site)

    assert "Beta, revisited" in site.text("alpha-notes/")  # the series box of the other part
    assert "Beta, revisited" in site.text("tags/greek/")
    assert output_files(site) == output_files(clean_build_of(site, tmp_path))


def test_a_changed_description_reaches_the_pages_that_list_the_post(tmp_path, rendered):
    """A summary from front matter is not read from the body: the memo must see it all the same."""
    described = "---\ntitle: Epsilon notes\ndate: 2024-01-05\ntags: [rivers]\ndescription: DESCRIPTION\n---\nBody.\n"
    site = build_site(tmp_path / "site", {**POSTS, "epsilon.md": described.replace("DESCRIPTION", "About deltas.")})
    (site.content / "epsilon.md").write_text(described.replace("DESCRIPTION", "About estuaries."))
    rebuild(site)

    assert "About estuaries." in site.text("")
    assert "About estuaries." in site.text("tags/rivers/")
    assert output_files(site) == output_files(clean_build_of(site, tmp_path))


def test_a_changed_template_renders_every_page_again(tmp_path, rendered):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    template = (
        '{% extends "!theme/article.html" %}{% block content %}{{ super() }}<p id="mark">VERSION</p>{% endblock %}'
    )
    (overrides / "article.html").write_text(template.replace("VERSION", "one"))
    site = build_site(tmp_path / "site", POSTS, THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    (overrides / "article.html").write_text(template.replace("VERSION", "two"))
    rendered.clear()

    rebuild(site)

    for slug in ("alpha-notes", "beta-notes", "gamma-notes", "delta-notes"):
        assert site.html(f"{slug}/").find(id="mark").get_text() == "two"


def test_changed_settings_render_every_page_again(tmp_path, rendered):
    build_site(tmp_path / "site", POSTS)
    rendered.clear()

    site = build_site(tmp_path / "site", SITENAME="A renamed journal")

    assert "alpha-notes/index.html" in rendered
    assert "A renamed journal" in site.text("alpha-notes/")
    assert "A renamed journal" in (site.output / "atom.xml").read_text()


def test_output_files_changed_or_removed_by_hand_are_made_again(tmp_path, rendered):
    site = build_site(tmp_path / "site", POSTS)
    clean = output_files(site)
    (site.output / "alpha-notes" / "index.html").write_text("edited by hand")
    (site.output / "tags" / "greek" / "index.html").unlink()
    (site.output / "series" / "letters" / "atom.xml").write_text("<feed/>")
    rendered.clear()

    rebuild(site)

    assert sorted(rendered) == ["alpha-notes/index.html", "series/letters/atom.xml", "tags/greek/index.html"]
    assert output_files(site) == clean


def test_an_unchanged_rebuild_renders_nothing(tmp_path, rendered):
    site = build_site(tmp_path / "site", POSTS)
    before = output_files(site)
    rendered.clear()

    rebuild(site)

    assert rendered == []
    assert output_files(site) == before


def test_without_the_build_cache_every_page_is_rendered(tmp_path, rendered):
    build_site(tmp_path / "site", POSTS, JOURNAL_BUILD_CACHE=False)
    first = len(rendered)
    rendered.clear()

    build_site(tmp_path / "site", JOURNAL_BUILD_CACHE=False)

    assert len(rendered) == first > 0
