"""`journal import`: real sites of other engines, laid out as each engine lays them out, are
imported into a project, built with Pelican, and every old URL, feed id and image is checked.

Expected URLs and ids are written by hand from each engine's documented routing (they are
what the old site served and what its feed said), never taken from the importer itself.
"""

import hashlib
import shutil
from pathlib import Path
from urllib.parse import unquote

import feedparser
from bs4 import BeautifulSoup
from learning_journal.tools.project import load_settings
from sitebuild import PROJECT, build_site, write_files
from test_cli import journal, make_project

CORPUS = PROJECT / "tests" / "corpus" / "import"


def tree_digest(folder: Path) -> dict:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def imported(tmp_path: Path, name: str, *options) -> tuple[Path, str]:
    """A fresh project with the corpus site `name` imported; (project, the command's report)."""
    source = tmp_path / "old-site"
    shutil.copytree(CORPUS / name, source)
    before = tree_digest(source)
    project = make_project(tmp_path)
    result = journal(project, "import", str(source), *options)
    assert result.returncode == 0, result.stderr
    assert tree_digest(source) == before, "the old site was modified"
    return project, result.stdout


def built(tmp_path: Path, project: Path):
    """A production build (publishconf.py: absolute SITEURL, no drafts) of the project's content."""
    return build_site(tmp_path / "build", copy_from=project / "content", JOURNAL_DRAFTS=False, RELATIVE_URLS=False)


def answers(site, old_url: str, title: str) -> bool:
    """The old URL gives the post itself, or a redirect page to it."""
    if not site.exists(old_url) and not site.exists(old_url + "/") and not site.exists(old_url + ".html"):
        return False
    path = old_url if site.exists(old_url) else old_url + "/" if site.exists(old_url + "/") else old_url + ".html"
    page = site.html(path)
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})
    if refresh is not None:
        target = refresh["content"].split("url=", 1)[1]
        return answers(site, target.removeprefix(site.settings["SITEURL"]), title)
    heading = page.find("h1")
    return heading is not None and title in heading.get_text()


def feed_ids(site) -> dict:
    """title -> entry id, in each of the three site feeds (they must agree)."""
    found = {}
    for name in ("atom.xml", "rss.xml", "feed.json"):
        parsed = feedparser.parse(site.text(name))
        ids = {entry.title: entry.id for entry in parsed.entries}
        if name == "feed.json":  # feedparser reads JSON Feed too; check it the plain way as well
            ids = {item["title"]: item["id"] for item in site.json(name)["items"]}
        for title, entry_id in ids.items():
            assert found.setdefault(title, entry_id) == entry_id, f"{name} disagrees on {title}"
    return found


def images_present(site, url: str) -> list[str]:
    """The src of every image of the page at `url` that is not in the output."""
    missing = []
    for image in site.html(url).select("article img"):
        source = image["src"].removeprefix(site.settings["SITEURL"])
        if source.startswith("/") and not site.exists(source):
            missing.append(source)
    return missing


def check_site(tmp_path, project, posts: dict, pages: dict = None):
    """posts: title -> (old URLs, old feed id or None); every one must answer and keep its id."""
    site = built(tmp_path, project)
    url_problems = [str(p) for p in site.report.warnings if p.key in ("permalink", "aliases", "id", "slug")]
    assert not url_problems
    ids = feed_ids(site)
    for title, (urls, feed_id) in posts.items():
        for url in urls:
            assert answers(site, url, title), f"{url} does not lead to {title!r}"
        if feed_id:
            assert ids.get(title) == feed_id, f"{title!r}: feed id {ids.get(title)} instead of {feed_id}"
        assert not images_present(site, urls[0]), f"{title!r} has images missing"
    for title, url in (pages or {}).items():
        assert answers(site, url, title), f"{url} does not lead to the page {title!r}"
    return site


def test_import_twice_changes_nothing(tmp_path):
    project, first = imported(tmp_path, "jekyll-date")
    content = tree_digest(project / "content")
    again = journal(project, "import", str(tmp_path / "old-site"))
    assert again.returncode == 0, again.stderr
    assert tree_digest(project / "content") == content
    assert "new" not in again.stdout.split("\n", 1)[0] and "unchanged" in again.stdout


def test_a_second_import_updates_what_changed_and_keeps_what_the_author_edited(tmp_path):
    project, _ = imported(tmp_path, "hugo-sections")
    source = tmp_path / "old-site" / "content"
    (source / "posts" / "first-post.md").write_text(
        (source / "posts" / "first-post.md").read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8"
    )
    (source / "til" / "2022-03-01-grep.md").write_text("+++\ntitle = 'Changed'\n+++\nNew.\n", encoding="utf-8")
    edited = project / "content" / "til" / "2022-03-01-grep.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMy own note.\n", encoding="utf-8")
    result = journal(project, "import", str(tmp_path / "old-site"))
    assert result.returncode == 0, result.stderr
    assert "A line added later." in (project / "content" / "posts" / "first-post.md").read_text(encoding="utf-8")
    assert "My own note." in edited.read_text(encoding="utf-8")
    assert "content/til/2022-03-01-grep.md: edited since the last import" in result.stdout
    assert not (project / "content" / "posts" / "first-post-2.md").exists()


def test_a_file_of_the_author_with_the_same_name_is_never_overwritten(tmp_path):
    source = tmp_path / "old-site"
    shutil.copytree(CORPUS / "hugo-ugly", source)
    own = "---\ntitle: My own contact page\n---\nMine.\n"
    project = make_project(tmp_path, {"pages/contact.md": own})
    result = journal(project, "import", str(source))
    assert result.returncode == 0, result.stderr
    assert (project / "content" / "pages" / "contact.md").read_text(encoding="utf-8") == own
    assert "Mail me." in (project / "content" / "pages" / "contact-2.md").read_text(encoding="utf-8")


def test_engine_is_told_from_its_files_and_a_folder_of_nothing_is_refused(tmp_path):
    project = make_project(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = journal(project, "import", str(empty))
    assert refused.returncode == 2 and "--from" in refused.stderr
    for name, engine in (("jekyll-date", "Jekyll"), ("hugo-ugly", "Hugo"), ("astro-pages", "Astro")):
        result = journal(project, "import", str(CORPUS / name))
        assert result.stdout.startswith(f"Imported from {engine}:"), result.stderr


# Jekyll


def test_jekyll_date_style_with_categories_baseurl_and_time_zone(tmp_path):
    project, report = imported(tmp_path, "jekyll-date")
    base = "https://learner.example.com/notes"
    site = check_site(
        tmp_path,
        project,
        {
            # categories from front matter (a space-separated string), then the date, then :title.html
            "First steps in Rust": (
                ["/rust/learning/2019/03/04/first-steps.html", "/rust/first/"],
                f"{base}/rust/learning/2019/03/04/first-steps",
            ),
            # 23:30 UTC is already the 12th in Berlin, the site's time zone
            "Ownership, finally": (["/rust/2019/03/12/ownership.html"], f"{base}/rust/2019/03/12/ownership"),
            # a category from the folder above _posts
            "New year, new notes": (["/blog/2020/01/02/new-year.html"], f"{base}/blog/2020/01/02/new-year"),
        },
        {"About": "/about/"},
    )
    first = site.html("/rust/learning/2019/03/04/first-steps.html")
    links = {a.get_text(): a["href"] for a in first.select("article a")}
    assert links["ownership"].endswith("/rust/2019/03/12/ownership.html")
    assert "Written on a train." in first.select_one("aside.note").get_text()  # _includes/ came along
    ownership = site.html("/rust/2019/03/12/ownership.html")
    assert site.exists(ownership.find("a", string="diagram")["href"].removeprefix(site.settings["SITEURL"]))
    assert len(site.html("/blog/2020/01/02/new-year.html").select("article img[src^='https']")) == 1  # {% link %}
    assert "Half written" not in feed_ids(site) and not site.exists("drafts/")
    assert "draft: true" in (project / "content" / "_drafts" / "half-written.md").read_text(encoding="utf-8")
    assert "content/_posts/notes-without-date.md: its name does not start with a date" in report
    assert "tags.md: a page listing posts with Liquid" in report
    assert "2020-02-30-not-a-date.md" in report.split("could not be kept", 1)[1]


def test_jekyll_pretty_style_collections_and_front_matter_permalinks(tmp_path):
    project, report = imported(tmp_path, "jekyll-pretty")
    base = "https://pretty.example.org"
    site = check_site(
        tmp_path,
        project,
        {
            # the site's own feed.xml gave each post its URL as guid (not jekyll-feed's post.id)
            "Notes from the café": (["/2021/05/01/café-notes/"], f"{base}/2021/05/01/café-notes/"),
            "A custom permalink": (["/writing/2021/custom/"], f"{base}/writing/2021/custom/"),
            "An HTML post": (["/2021/07/01/raw-html/"], f"{base}/2021/07/01/raw-html/"),
            "Loops": (["/learn/basics/loops/"], None),
        },
        {"Contact": "/contact/"},
    )
    custom = site.html("/writing/2021/custom/")
    assert unquote(custom.find("a", string="the café")["href"]).endswith("/2021/05/01/café-notes/")
    assert site.html("/learn/basics/loops/").find("h1").get_text().strip() == "Loops"
    assert "From the future" not in feed_ids(site) and "Unpublished" not in feed_ids(site)
    assert "_recipes/bread.md: in the collection 'recipes'" in report
    assert "feed.xml: the old site's feed" in report


# Hugo


def test_jekyll_two_posts_with_one_url_keep_it_for_the_one_jekyll_wrote_last(tmp_path):
    project, report = imported(tmp_path, "jekyll-same-url")
    site = check_site(
        tmp_path,
        project,
        {"Reading list": (["/reading-list/"], None), "Notes on the list": (["/notes/"], None)},
    )
    # As journal init blogs name posts (by file name), the 2014 post would be /reading-list/ too
    # and take it first: it is named by its whole file name instead, and nothing clashes.
    by_file_name = build_site(
        tmp_path / "by-file-name", copy_from=project / "content", SLUGIFY_SOURCE="basename", RELATIVE_URLS=False
    )
    assert answers(by_file_name, "/reading-list/", "Reading list")
    assert "first draft" not in by_file_name.html("/reading-list/").find("h1").get_text()
    assert not [p for p in by_file_name.report.warnings if p.code == "url-clash"]
    assert answers(by_file_name, "/2014-05-02-reading-list/", "Reading list, first draft")
    # Jekyll writes posts in date order: the 2015 post overwrote the 2014 one at /reading-list/
    assert "content/_posts/2014-05-02-reading-list.md: (unknown): its URL /reading-list/ shows" in report
    link = site.html("/notes/").find("a", string="reading list")
    assert link["href"] == site.settings["SITEURL"] + "/reading-list/"


def test_hugo_sections_permalinks_bundles_and_aliases(tmp_path):
    project, report = imported(tmp_path, "hugo-sections")
    base = "https://hugo.example.net"
    site = check_site(
        tmp_path,
        project,
        {
            # posts = "/:year/:month/:slug/": no slug, so the title, made a path (the "!" dropped)
            "My First Post!": (["/2022/01/my-first-post/", "/old/first/"], f"{base}/2022/01/my-first-post/"),
            # a page bundle: index.md and its images; a relative alias
            "Going deeper": (["/2022/02/going-deeper/"], f"{base}/2022/02/going-deeper/"),
            # TOML front matter, til = "/til/:filename/"
            "TIL: grep -o": (["/til/2022-03-01-grep/"], f"{base}/til/2022-03-01-grep/"),
            # a section without permalinks: /section/file/, lower case
            "Señales y ruido": (["/notes/señales/"], f"{base}/notes/señales/"),
            "A page with its own url": (["/custom/place/"], f"{base}/custom/place/"),
            # no date: Hugo put its zero date into the URL, and the post still answers there
            "Undated thoughts": (["/0001/01/undated-thoughts/"], f"{base}/0001/01/undated-thoughts/"),
        },
        {"About": "/about/"},
    )
    deeper = site.html("/2022/02/going-deeper/")
    assert len(deeper.select("article img")) == 2  # the cover and the figure, both present
    first = site.html("/2022/01/my-first-post/")
    hrefs = [a["href"] for a in first.select("article a") if "deeper" in a.get_text()]
    assert hrefs == [site.settings["SITEURL"] + "/2022/02/going-deeper/"] * 2
    assert not {"Not ready", "Scheduled"} & set(feed_ids(site))  # a draft, and a future post that waits
    assert "content/posts/_index.md: a section's or the home page's list page" in report
    assert "content/search.md: a page the old theme filled itself" in report
    assert "content/posts/emacs-notes.org: a post in a markup this engine does not read" in report
    assert "Scheduled" not in feed_ids(site) and "Every published post keeps its old URL." in report


def test_hugo_ref_from_the_content_root_links_the_post_and_a_custom_shortcode_is_said_once(tmp_path):
    project, report = imported(tmp_path, "hugo-root-ref")
    base = "https://notes.example.com"
    site = check_site(
        tmp_path,
        project,
        {
            "Part one": (["/posts/part-one/"], f"{base}/posts/part-one/"),
            "Part two": (["/posts/part-two/"], f"{base}/posts/part-two/"),
        },
        {"About": "/about/"},
    )
    siteurl = site.settings["SITEURL"]
    # `ref "/posts/x.md"` names a file from the content root, also from a page moved to pages/
    for url, text, target in (
        ("/posts/part-one/", "part two", "/posts/part-two/"),
        ("/posts/part-two/", "part one", "/posts/part-one/"),
        ("/about/", "the first part", "/posts/part-one/"),
    ):
        hrefs = [a["href"] for a in site.html(url).select("article a") if a.get_text() == text]
        assert hrefs == [siteurl + target], f"{url}: {hrefs}"
    # the old theme's own shortcode is one problem, a shortcode's, not also a Liquid tag
    raw = [p for p in site.report.warnings if "siteurl" in p.message]
    assert [(p.code, p.line) for p in raw] == [("unknown-shortcode", 8)], raw  # permalink: added


def test_hugo_config_folder_ugly_urls_and_a_base_path(tmp_path):
    project, _ = imported(tmp_path, "hugo-ugly")
    base = "https://example.github.io/blog"
    site = check_site(
        tmp_path,
        project,
        {
            "On testing": (["/writing/on-testing.html"], f"{base}/writing/on-testing.html"),
            "Naming things": (["/writing/naming-things.html"], f"{base}/writing/naming-things.html"),
            "Front matter in JSON": (["/writing/in-json.html"], f"{base}/writing/in-json.html"),
        },
        {"Contact": "/contact.html"},
    )
    link = site.html("/writing/on-testing.html").find("a", string="the other one")
    assert link["href"] == site.settings["SITEURL"] + "/writing/naming-things.html"


def test_hugo_languages_each_in_its_own_content_folder(tmp_path):
    project, _ = imported(tmp_path, "hugo-languages")
    base = "https://multi.example.org"
    check_site(
        tmp_path,
        project,
        {
            "Hello": (["/posts/hello/"], f"{base}/posts/hello/"),  # the default language: no prefix
            "Bonjour": (["/fr/posts/hello/"], f"{base}/fr/posts/hello/"),
        },
    )


# Astro


def test_astro_content_collection_behind_a_slug_route(tmp_path):
    project, report = imported(tmp_path, "astro-collection")
    base = "https://astro.example.dev"
    site = check_site(
        tmp_path,
        project,
        {
            # src/pages/blog/[...slug].astro over getCollection('blog'), trailingSlash: 'always'
            "First post": (["/blog/first-post/"], f"{base}/blog/first-post/"),
            # the entry slug of "Using MDX.mdx": lower case, the space made '-'
            "Using MDX": (["/blog/using-mdx/"], f"{base}/blog/using-mdx/"),
        },
        {"About Me": "/about/"},
    )
    first = site.html("/blog/first-post/")
    assert len(first.select("article img")) == 1  # ../../assets/diagram.svg came along
    link = next(a for a in first.select("article a") if a.get_text() == "Using MDX")
    assert link["href"] == site.settings["SITEURL"] + "/blog/using-mdx/"
    assert "import HeaderLink" not in site.text("/blog/using-mdx/")
    assert "Unfinished" not in feed_ids(site)
    assert "src/pages/tags" not in report.split("could not be kept", 1)[-1].split("Left behind", 1)[0]


def test_astro_pages_with_file_format_and_a_base(tmp_path):
    project, report = imported(tmp_path, "astro-pages")
    base = "https://pages.example.dev/journal"
    site = check_site(
        tmp_path,
        project,
        {
            "Hello, world": (["/posts/hello-world.html"], f"{base}/posts/hello-world.html"),
            "The second one": (["/posts/second.html"], f"{base}/posts/second.html"),
        },
        {"Now": "/now.html"},
    )
    link = site.html("/posts/second.html").find("a", string="the first")
    assert link["href"] == site.settings["SITEURL"] + "/posts/hello-world.html"
    assert "src/pages/posts/_notes.md: a file starting with '_'" in report


# Gatsby


def test_gatsby_netlify_cms_blog(tmp_path):
    project, report = imported(tmp_path, "gatsby-netlify-cms")
    base = "https://gatsby.example.com"
    chemex = "/blog/2017-01-04-a-beginners-guide-to-brewing-with-chemex/"
    site = check_site(
        tmp_path,
        project,
        {
            # createFilePath under the source folder src/pages
            "A beginners’ guide to brewing with Chemex": ([chemex], base + chemex),
            "Making sense of the SCAA’s new Flavor Wheel": (
                ["/blog/2018-02-01-making-sense-of-the-scaa/"],
                f"{base}/blog/2018-02-01-making-sense-of-the-scaa/",
            ),
        },
        {"About our values": "/about/"},
    )
    page = site.html(chemex)
    assert page.select_one("article img")["src"] == site.settings["SITEURL"] + "/img/chemex.png"  # static/img/
    back = next(a for a in site.html("/blog/2018-02-01-making-sense-of-the-scaa/").select("article a"))
    assert back["href"] == site.settings["SITEURL"] + chemex
    assert "src/pages/index.md: the home page" in report


def test_gatsby_starter_blog_keeps_the_double_slash_its_feed_ids_had(tmp_path):
    project, _ = imported(tmp_path, "gatsby-starter")
    site = check_site(
        tmp_path,
        project,
        {
            # createFilePath under content/blog; the feed's guid was siteUrl (with its "/") + slug
            "Hello World": (["/hello-world/"], "https://starter.example.io//hello-world/"),
            "New Beginnings": (["/new-beginnings/"], "https://starter.example.io//new-beginnings/"),
        },
    )
    hello = site.html("/hello-world/")
    assert len(hello.select("article img")) == 1  # ./salty_egg.png, beside index.md
    assert hello.find("a", string="new beginnings")["href"] == site.settings["SITEURL"] + "/new-beginnings/"


# The production address


def production_build(project: Path) -> Path:
    """`journal build --production` in the project, as the author runs it; its output folder."""
    result = journal(project, "build", "--production")
    assert result.returncode == 0, result.stderr
    return project / "output"


def page_at(output: Path, path: str) -> BeautifulSoup:
    target = output / path.lstrip("/")
    return BeautifulSoup((target / "index.html" if path.endswith("/") else target).read_text(encoding="utf-8"), "lxml")


def test_the_old_address_under_its_sub_path_becomes_the_production_address_once(tmp_path, monkeypatch):
    monkeypatch.delenv("JOURNAL_SITEURL", raising=False)
    project, report = imported(tmp_path, "jekyll-date")
    base = "https://learner.example.com/notes"  # url + baseurl in its _config.yml
    assert f"publishconf.py now gives SITEURL {base}" in report
    output = production_build(project)
    # the old URL, under the old sub-path: canonical link, Open Graph and feed agree on it
    post = "/rust/learning/2019/03/04/first-steps.html"
    page = page_at(output, post)
    assert page.find("link", rel="canonical")["href"] == base + post
    feed = feedparser.parse((output / "atom.xml").read_bytes())
    assert feed.feed.link.startswith(base + "/")
    entry = next(e for e in feed.entries if e.title == "First steps in Rust")
    assert entry.link == base + post
    assert entry.id == f"{base}/rust/learning/2019/03/04/first-steps"  # jekyll-feed's id, kept
    assert all(e.link.startswith(base + "/") for e in feed.entries)
    # a second import changes nothing and says where production points
    publishconf = (project / "publishconf.py").read_text(encoding="utf-8")
    again = journal(project, "import", str(tmp_path / "old-site"))
    assert f"Production address: {base}" in again.stdout
    assert (project / "publishconf.py").read_text(encoding="utf-8") == publishconf
    # publishing needs no JOURNAL_SITEURL now that publishconf.py has the address
    dry_run = journal(project, "publish", "--dry-run", "--force")
    assert dry_run.returncode == 0 and "nothing was sent" in dry_run.stdout, dry_run.stderr


def test_each_engine_gives_its_address_and_sub_path(tmp_path, monkeypatch):
    """Hugo's baseURL, Astro's site + base, Gatsby's siteUrl + pathPrefix (--prefix-paths)."""
    monkeypatch.delenv("JOURNAL_SITEURL", raising=False)
    monkeypatch.chdir(tmp_path)  # load_settings moves into the project, as the CLI does
    gatsby = tmp_path / "gatsby-prefix"
    shutil.copytree(CORPUS / "gatsby-starter", gatsby)
    config = gatsby / "gatsby-config.js"
    config.write_text(
        config.read_text(encoding="utf-8").replace("module.exports = {", "module.exports = {\n  pathPrefix: `/blog`,"),
        encoding="utf-8",
    )
    for source, address in (
        (CORPUS / "hugo-ugly", "https://example.github.io/blog"),
        (CORPUS / "astro-pages", "https://pages.example.dev/journal"),
        (gatsby, "https://starter.example.io/blog"),
    ):
        (tmp_path / f"project-{source.name}").mkdir()
        project = make_project(tmp_path / f"project-{source.name}")
        result = journal(project, "import", str(source))
        assert f"publishconf.py now gives SITEURL {address}," in result.stdout, result.stdout
        production = load_settings(project, production=True)
        assert production["SITEURL"] == address
        assert production["FEED_DOMAIN"] == address


def test_an_address_the_author_set_is_kept(tmp_path):
    source = tmp_path / "old-site"
    shutil.copytree(CORPUS / "hugo-sections", source)
    project = make_project(tmp_path)
    own = 'import os\nfrom pelicanconf import *  # noqa\nSITEURL = "https://mine.example.net"\n'
    (project / "publishconf.py").write_text(own, encoding="utf-8")
    result = journal(project, "import", str(source))
    assert result.returncode == 0, result.stderr
    assert (project / "publishconf.py").read_text(encoding="utf-8") == own
    assert "publishconf.py sets its own SITEURL, left as it is; the old site was at https://hugo.example.net" in (
        result.stdout
    )


def test_a_local_old_address_is_not_taken_and_feed_ids_follow_the_address_given(tmp_path, monkeypatch):
    source = tmp_path / "old-site"
    write_files(
        source,
        {
            "_config.yml": 'url: "http://localhost:4000"\nbaseurl: "/til"\nplugins: [jekyll-feed]\n',
            "_posts/2021-04-05-pipes.md": "---\ntitle: Pipes\n---\nA | B.\n",
        },
    )
    project = make_project(tmp_path)
    starter = (project / "publishconf.py").read_text(encoding="utf-8")
    result = journal(project, "import", str(source))
    assert result.returncode == 0, result.stderr
    said = "is http://localhost:4000/til, a local or example address: set the address the blog is published at"
    assert said in result.stdout
    assert (project / "publishconf.py").read_text(encoding="utf-8") == starter
    # the author gives the address: the post's feed id is jekyll-feed's, on that address
    monkeypatch.setenv("JOURNAL_SITEURL", "https://someone.example.io/til")
    output = production_build(project)
    entry = feedparser.parse((output / "atom.xml").read_bytes()).entries[0]
    assert entry.id == "https://someone.example.io/til/2021/04/05/pipes"
    assert entry.link == "https://someone.example.io/til/2021/04/05/pipes.html"
    # a theme's example site left its example address in hugo.toml: not taken either
    hugo = tmp_path / "hugo-site"
    write_files(
        hugo, {"hugo.toml": 'baseURL = "https://example.org/"\n', "content/posts/a.md": "+++\ntitle = 'A'\n+++\n"}
    )
    (tmp_path / "second").mkdir()
    second = make_project(tmp_path / "second")
    result = journal(second, "import", str(hugo))
    assert "(baseURL) is https://example.org, a local or example address" in result.stdout
    assert 'id = "/posts/a/"' in (second / "content" / "posts" / "a.md").read_text(encoding="utf-8")  # + SITEURL


# Old image URLs


def test_images_still_answer_at_their_old_urls(tmp_path):
    """Old URL -> the file the old site served there: Hugo's static/ at the root, a page
    bundle's images beside the post's old URL, Jekyll's assets/ as it is."""
    sites = {
        "hugo-sections": {
            "/img/logo.png": "static/img/logo.png",
            "/2022/02/going-deeper/cover.png": "content/posts/going-deeper/cover.png",
            "/2022/02/going-deeper/diagram.svg": "content/posts/going-deeper/diagram.svg",
        },
        "jekyll-date": {
            "/assets/img/editor.png": "assets/img/editor.png",
            "/assets/img/diagram.svg": "assets/img/diagram.svg",
        },
    }
    built_sites, reports = {}, {}
    for name, files in sites.items():
        (tmp_path / name).mkdir()
        project, reports[name] = imported(tmp_path / name, name)
        site = built_sites[name] = built(tmp_path / name, project)
        for url, source in files.items():
            assert site.exists(url), f"{name}: {url} does not answer"
            assert site.path(url).read_bytes() == (CORPUS / name / source).read_bytes()
    # the pages show them at those URLs too
    hugo = built_sites["hugo-sections"]
    sources = {image["src"] for image in hugo.html("/2022/02/going-deeper/").select("article img")}
    siteurl = hugo.settings["SITEURL"]
    assert sources == {siteurl + "/2022/02/going-deeper/cover.png", siteurl + "/2022/02/going-deeper/diagram.svg"}
    assert "Files the posts use: all 3 at their old URLs." in reports["hugo-sections"]
    editor = built_sites["jekyll-date"].html("/rust/learning/2019/03/04/first-steps.html").select_one("article img")
    assert editor["src"] == siteurl + "/assets/img/editor.png"


# Images named only in front matter


def og_image(site, url: str) -> str | None:
    """The post's og:image as a path of this site, after checking the file is published."""
    tag = site.html(url).find("meta", property="og:image")
    if tag is None:
        return None
    path = tag["content"].removeprefix(site.settings["SITEURL"])
    assert site.exists(unquote(path)), f"{url}: og:image {tag['content']} is not published"
    return path


def test_front_matter_images_are_copied_and_shown_as_the_posts_picture(tmp_path):
    """post URL -> (the file the front matter names, its old URL when the old site served it
    as it is), in each engine's layout and each theme's key."""
    sites = {
        "hugo-papermod": {  # PaperMod's cover.image in a bundle; Hugo's images list from static/
            "/posts/with-cover/": ("content/posts/with-cover/cover.png", "/posts/with-cover/cover.png"),
            "/posts/social-card/": ("static/img/card.png", "/img/card.png"),
        },
        "jekyll-minimal-mistakes": {  # header.overlay_image; jekyll-seo-tag's image.path from the root
            "/notes/overlay/": ("assets/images/overlay.png", "/assets/images/overlay.png"),
            "/seo/": ("assets/images/seo.png", "/assets/images/seo.png"),
        },
        "gatsby-starter": {"/new-beginnings/": ("content/blog/new-beginnings/cover.png", None)},  # ./cover.png
        "astro-collection": {"/blog/first-post/": ("public/blog-placeholder.png", "/blog-placeholder.png")},
    }
    reports = {}
    for name, posts in sites.items():
        (tmp_path / name).mkdir()
        project, reports[name] = imported(tmp_path / name, name)
        site = built(tmp_path / name, project)
        for url, (source, old_url) in posts.items():
            path = og_image(site, url)
            assert path is not None, f"{name}: {url} has no og:image"
            assert site.path(unquote(path)).read_bytes() == (CORPUS / name / source).read_bytes()
            if old_url:
                assert path == old_url, f"{name}: {url}: its picture moved from {old_url} to {path}"
    assert og_image(site, "/blog/using-mdx/") is None  # no picture: no og:image
    # gatsby-plugin-image gave them new names: they cannot keep an old URL, and the report says so
    assert (
        "Files the posts use: 0 at their old URLs; 2 at new ones (/images/blog/hello-world/salty_egg.png, "
        "/images/blog/new-beginnings/cover.png): the old build renamed them"
    ) in reports["gatsby-starter"]
    report = reports["hugo-papermod"]
    assert "content/posts/lost-cover.md: front matter cover.image: '/img/gone.png' names no file" in report


def test_a_posts_own_image_beside_it_in_images_or_elsewhere_is_its_og_image(tmp_path):
    pixel = (CORPUS / "hugo-papermod" / "static" / "img" / "card.png").read_bytes()
    site = build_site(
        tmp_path,
        {
            "trip/index.md": "---\ntitle: Beside\ndate: 2024-01-01\nimage: my cover.png\n---\nText.\n",
            "trip/my cover.png": pixel,
            "shared.md": "---\ntitle: Shared\ndate: 2024-01-02\nimage: /images/shared.png\n---\nText.\n",
            "images/shared.png": pixel,
            "far.md": "---\ntitle: Far\ndate: 2024-01-03\nimage: https://cdn.example.net/a.png\n---\nText.\n",
            "escape.md": "---\ntitle: Escape\ndate: 2024-01-04\nimage: ../../etc/hosts\n---\nText.\n",
        },
    )
    assert og_image(site, "/beside/") == "/trip/my%20cover.png"
    assert og_image(site, "/shared/") == "/images/shared.png"
    assert site.html("/far/").find("meta", property="og:image")["content"] == "https://cdn.example.net/a.png"
    assert og_image(site, "/escape/") is None
