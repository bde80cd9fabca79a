"""Containment: whatever an author writes in a path-like field, nothing is written outside
the output folder and no internal link leads to another host.

One real build per field holds a post for every hostile value; each case is then checked on
what that build wrote (resolved paths, never string prefixes).
"""

from urllib.parse import unquote, urlsplit

import pytest
import yaml
from learning_journal.site.series import series_slug
from outputcheck import escaping_output, foreign_urls, html_document, unreadable_outputs, written_outside
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from sitebuild import build_site
from test_cli import journal, make_project

FIELDS = ("permalink", "url", "slug", "save_as", "aliases", "redirect_from", "series", "tags")
# {root} becomes the build's own folder: an absolute path that really exists.
HOSTILE = {
    "dot-dot": "../../escaped",
    "dot-dot-inside": "/a/../../../escaped/",
    "absolute": "{root}/absolute-escape",
    "other-host": "//evil.example.com/x",
    "full-address": "https://evil.example.com/x",
    "javascript": "javascript:alert(1)",
    "backslashes": "..\\..\\escaped",
    "unc-path": "\\\\evil.example.com\\share",
    "windows-drive": "C:\\escaped",
    "percent-dots": "%2e%2e/%2e%2e/escaped",
    "percent-slashes": "%2F%2Fevil.example.com%2Fx",
    "double-percent": "%252e%252e/%252e%252e/escaped",
    "nul-byte": "a\x00b/../../escaped",
    "long-5000": "x" * 5000,
    "deep-2500": "a/" * 2500,
    "wide-characters": "語" * 100,
    "feed-file-as-folder": "/atom.xml/",
    "home-as-folder": "/index.html/",
}
CASES = [(field, name) for field in FIELDS for name in HOSTILE]


def title_of(field, name):
    return f"Case {field} [{name}]"


class HostileBuilds:
    """One real build per field (so two fields never fight over one URL), made on first use."""

    def __init__(self, top):
        self.top, self.sites = top, {}

    def __call__(self, field):
        if isinstance(self.sites.get(field), Exception):
            raise self.sites[field]
        if field not in self.sites:
            # The build lives three folders down, so `../..` from the output lands in `top`.
            root = self.top / field / "a" / "b" / "site"
            files = {}
            for number, name in enumerate(HOSTILE):
                value = HOSTILE[name].replace("{root}", str(root))
                front_matter = {"title": title_of(field, name), "date": f"2022-01-01T00:00:{number:02}Z", field: value}
                files[f"{name}.md"] = "---\n" + yaml.safe_dump(front_matter, allow_unicode=True) + "---\nBody.\n"
                if field == "series":  # the series described too, with the hostile name and parts
                    described = {"name": value, "parts": [f"{name}", {"planned": value}]}
                    files[f"series/{series_slug(value)}.md"] = (
                        # The value in code: as prose, a bare address is a link the author asked for.
                        "---\n" + yaml.safe_dump(described, allow_unicode=True) + f"---\nAbout `{value}`.\n"
                    )
            try:
                self.sites[field] = (root, build_site(root, files))
            except Exception as error:
                self.sites[field] = error
                raise
        return self.sites[field]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    return HostileBuilds(tmp_path_factory.mktemp("containment"))


@pytest.mark.parametrize("field", FIELDS)
def test_every_post_is_published_and_nothing_lands_outside_the_output(hostile_build, field):
    root, site = hostile_build(field)
    assert sorted(a.title for a in site.contents("articles")) == sorted(title_of(field, n) for n in HOSTILE)
    assert written_outside(hostile_build.top / field, root) == []
    assert escaping_output(site) == []


@pytest.mark.parametrize("field", FIELDS)
def test_no_link_in_any_page_or_feed_leads_to_another_host(hostile_build, field):
    _, site = hostile_build(field)
    assert foreign_urls(site) == []


@pytest.mark.parametrize("field", FIELDS)
def test_every_page_and_feed_parses_without_errors(hostile_build, field):
    _, site = hostile_build(field)
    assert unreadable_outputs(site) == []


# Where a refusal is reported: a clash of URLs speaks of the permalink, a redirect of aliases.
REPORTED_AS = {
    "url": {"url", "permalink"},
    "save_as": {"save_as", "permalink"},
    "redirect_from": {"redirect_from", "aliases"},
}


@pytest.mark.parametrize(("field", "name"), CASES, ids=[f"{f}-{n}" for f, n in CASES])
def test_hostile_value_stays_inside_the_output_or_is_refused_with_a_warning(hostile_build, field, name):
    _, site = hostile_build(field)
    post = site.article(title_of(field, name))
    output = site.output.resolve()
    assert (site.output / post.save_as).resolve().is_relative_to(output)
    assert (site.output / post.save_as).is_file()
    aliases = [a + ("index.html" if a.endswith("/") else "") for a in getattr(post, "aliases", [])]
    redirects = [(site.output / alias).resolve() for alias in aliases]
    assert all(target.is_relative_to(output) for target in redirects)
    pages = [nav.series.save_as for nav in getattr(post, "series_all", [])] + [
        t.save_as for t in getattr(post, "tags", [])
    ]
    assert all((site.output / page).resolve().is_relative_to(output) for page in pages)
    assert all((site.output / page).is_file() for page in pages)

    used = {
        "permalink": post.url != f"{post.slug}/",
        "url": post.url != f"{post.slug}/",
        "save_as": post.url != f"{post.slug}/",
        "slug": post.slug != slugify(post.title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]),
        "aliases": redirects and all(target.is_file() for target in redirects),
        "redirect_from": redirects and all(target.is_file() for target in redirects),
        "series": bool(pages),
        "tags": bool(pages),
    }[field]
    keys = {p.key for p in site.report.warnings if p.path == f"content/{post.relative_source_path}"}
    assert used or keys & REPORTED_AS.get(field, {field}), f"{field}: {name} was dropped without a warning"


def test_a_permalink_already_taken_by_an_earlier_post_falls_back_to_the_default_url(tmp_path):
    site = build_site(
        tmp_path,
        {
            "foo.md": "---\ntitle: Foo\ndate: 2020-01-01\n---\nFirst.\n",
            "later.md": "---\ntitle: Later\ndate: 2021-01-01\npermalink: /foo/\n---\nSecond.\n",
        },
    )
    assert site.article("Foo").url == "foo/"
    assert site.article("Later").url == "later/"
    assert site.html("foo/").h1.get_text() == "Foo"
    [problem] = [p for p in site.report.warnings if p.key == "permalink"]
    assert problem.path == "content/later.md" and "content/foo.md" in problem.message


def test_no_post_takes_the_place_of_a_static_file_a_later_home_page_or_a_feed(tmp_path):
    posts = {f"filler-{n}.md": f"---\ntitle: Filler {n}\ndate: 2020-01-{n + 1:02}\n---\nText.\n" for n in range(12)}
    posts["images/photo.png"] = b"\x89PNG\r\n\x1a\n"
    claims = {
        "photo": "/images/photo.png",
        "pager": "/page/2/",
        "under-feed": "/rss.xml/old/",
        "png-folder": "/images/photo.png/",
    }
    for name, permalink in claims.items():
        posts[f"{name}.md"] = f"---\ntitle: Claim {name}\ndate: 2019-01-01\npermalink: {permalink}\n---\nText.\n"
    site = build_site(tmp_path, posts)
    assert site.path("images/photo.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    assert "Filler" in site.text("page/2/")
    assert site.text("rss.xml").startswith("<?xml")
    for name in claims:
        post = site.article(f"Claim {name}")
        assert post.url == f"claim-{name}/"
        assert site.exists(post.url)
    refused = {p.path for p in site.report.warnings if p.key == "permalink"}
    assert refused == {f"content/{name}.md" for name in claims}


def test_journal_new_never_writes_outside_the_content_folder(tmp_path):
    project = make_project(tmp_path)
    for slug in ("../../escaped", "/tmp/escaped", "a/../../escaped", "..", "a\\..\\escaped"):
        refused = journal(project, "new", "A post", "--slug", slug)
        assert refused.returncode != 0, slug
        assert "--slug" in refused.stderr + refused.stdout
    long_one = journal(project, "new", "word " * 1000, "--series", "語" * 90)
    assert long_one.returncode == 0, long_one.stderr[-500:]
    written = [p for p in tmp_path.rglob("*.md") if not p.resolve().is_relative_to((project / "content").resolve())]
    assert written == []
    [post] = (project / "content").rglob("*.md")
    assert all(len(part.encode()) <= 200 for part in post.relative_to(project).parts)


def test_paths_with_spaces_quotes_or_question_marks_are_written_as_is_and_linked_encoded(tmp_path):
    site = build_site(
        tmp_path,
        {
            "old.md": "---\ntitle: Old\ndate: 2020-01-01\npermalink: '/my \"old\" <post>?x#y/'\n---\nText.\n",
            'images/my "best" photo & co.png': b"\x89PNG\r\n\x1a\n",
            "new.md": "---\ntitle: New\ndate: 2020-01-02\n---\n[old]({filename}old.md) and "
            "![photo](images/my%20%22best%22%20photo%20%26%20co.png)\n",
        },
    )
    assert unreadable_outputs(site) == []
    assert foreign_urls(site) == []
    assert (site.output / 'my "old" <post>?x#y' / "index.html").is_file()
    page = html_document(site.text("new/"))
    [old_link] = [a.get("href") for a in page.iterfind(".//div[@class='content']//a")]
    assert old_link == "https://blog.example.org/my%20%22old%22%20%3Cpost%3E%3Fx%23y/"
    [image] = page.iterfind(".//div[@class='content']//img")
    assert image.get("src") == "https://blog.example.org/images/my%20%22best%22%20photo%20%26%20co.png"
    assert unquote(urlsplit(old_link).path) == '/my "old" <post>?x#y/'
