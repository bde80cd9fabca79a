"""Posts from Jekyll: their Liquid runs through a real Liquid engine with a Jekyll-like
context; Hugo and plain posts never run it, and code is never touched."""


from sitebuild import build_site

JEKYLL = """---
title: Screenshots tour
date: 2024-03-02
layout: post
course: Linear Algebra
---
{% assign imagedir = "/images/tour/" | prepend: site.baseurl %}
{% capture greeting %}Hello from **{{ page.course }}**{% endcapture %}
{{ greeting }}

![The first screen]({{ imagedir }}shot.png)

{% if page.course == "Linear Algebra" %}
This post belongs to the course.
{% else %}
Not in the course.
{% endif %}

## All posts

{% for post in site.posts %}
- [{{ post.title }}]({{ post.url | relative_url }}) on {{ post.date | date_to_string }}
{% endfor %}

Earlier: [the first post]({% post_url 2024-01-05-first-steps %}).

{% include note.html text="Mind the gap" %}

{% include tip.html title="From the theme" %}

{% highlight python %}
def greet(name):
    return f"{{ name }}"
{% endhighlight %}

{% raw %}In Liquid you write {{ page.title }}.{% endraw %}

Inline `{{ not_liquid }}` stays.

```liquid
{% assign x = 1 %}{{ x }}
```
"""

FIRST = """---
title: First steps
date: 2024-01-05
---
The first post.
"""

NOTE = '<aside class="jekyll-note">{{ include.text }} ({{ site.title }})</aside>\n'


def words(text: str) -> str:
    """Text as read: typography's no-break spaces as spaces."""
    return " ".join(text.replace("\xa0", " ").split())


def test_jekyll_post_runs_liquid(tmp_path):
    site = build_site(
        tmp_path,
        {
            "_posts/2024-03-02-screenshots-tour.md": JEKYLL,
            "_posts/2024-01-05-first-steps.md": FIRST,
            "_includes/note.html": NOTE,
        },
        SITENAME="Learning in public",
    )
    article = site.article("Screenshots tour")
    page = site.html(article.url)
    body = page.select_one("article") or page
    # assign with prepend, then the variable inside a Markdown image
    assert body.find("img", alt="The first screen")["src"].endswith("/images/tour/shot.png")
    # capture, then output: Markdown inside the captured text still works
    assert [words(strong.get_text()) for strong in body.find_all("strong")] == ["Linear Algebra"]
    text = words(body.get_text(" "))
    assert "This post belongs to the course." in text and "Not in the course" not in text
    # for over site.posts, newest first, with relative_url and date_to_string
    listed = [(words(a.get_text()), a["href"]) for a in body.select("li a")]
    assert listed == [("Screenshots tour", "/screenshots-tour/"), ("First steps", "/first-steps/")]
    assert "on 5 Jan 2024" in text
    # post_url resolves to the other post
    first = site.article("First steps")
    [earlier] = body.find_all("a", string="the first post")
    assert earlier["href"].rstrip("/").endswith(first.url.rstrip("/"))
    # include from content/_includes/, with include.* and site.title; the include is not a post
    aside = body.select_one("aside.jekyll-note")
    assert aside is not None and words(aside.get_text()) == "Mind the gap (Learning in public)"
    # an include with no file in _includes/ is served by the theme's shortcode template
    tip = body.select_one('div.callout-tip[role="note"]')
    assert words(tip.select_one(".callout-title").get_text()) == "From the theme"
    assert not [c for c in site.contents("pages") + site.contents() if "_includes" in c.source_path]
    # highlight is a highlighted code block, its braces kept as code
    code_texts = [pre.get_text() for pre in body.find_all("pre")]
    assert any('f"{{ name }}"' in code for code in code_texts)
    assert any("{% assign x = 1 %}{{ x }}" in code for code in code_texts)
    assert body.find("code", string="{{ not_liquid }}") is not None
    # raw: shown as written
    assert "In Liquid you write {{ page.title }}." in text
    # no raw template code outside code
    for element in body.find_all(string=True):
        if element.find_parent(["code", "pre"]) is None and "In Liquid you write" not in element:
            assert "{%" not in element and "{{" not in element, element
    assert not [m for m in site.messages() if "shows as raw text" in m or "Liquid" in m], site.messages()


def test_unknown_tag_is_reported_with_its_line(tmp_path):
    site = build_site(
        tmp_path,
        {"_posts/2024-02-01-gallery.md": "---\ntitle: Gallery\ndate: 2024-02-01\n---\nIntro.\n\n{% gallery x %}\n"},
    )
    messages = [m for m in site.messages() if "gallery" in m]
    assert any("2024-02-01-gallery.md:7" in m and "Liquid" in m for m in messages), site.messages()
    assert site.article("Gallery")  # published all the same, never a crash


def test_hugo_and_plain_posts_never_run_liquid(tmp_path):
    site = build_site(
        tmp_path,
        {
            "posts/plain.md": "---\ntitle: Plain\ndate: 2024-02-01\n---\n{% assign x = 'y' %}X{{ x }}X\n",
            "posts/marked.md": "---\ntitle: Marked\ndate: 2024-02-02\nliquid: true\n---\n"
            "{% assign x = 'y' %}X{{ x }}X\n",
        },
    )
    assert "XyX" not in site.html(site.article("Plain").url).get_text()
    assert any("Plain" in m or "plain.md" in m for m in site.messages() if "raw text" in m)
    assert "XyX" in site.html(site.article("Marked").url).get_text()


def test_liquid_looking_links_in_other_posts_do_not_leak_pelican_warnings(tmp_path, caplog):
    """Pelican reads `{...}` at the start of a link as its own `{filename}` indicator and warns,
    without naming the file; Liquid left in a non-Jekyll post is reported by us instead."""
    site = build_site(
        tmp_path,
        {
            "posts/plain.md": "---\ntitle: Plain links\ndate: 2024-02-01\n---\n"
            "![Shot]({{ imagedir }}/shot.png) and [home]({{ site.url }}/) and [x]({% link a.md %}).\n",
            "_posts/2024-02-02-jekyll.md": "---\ntitle: Jekyll links\ndate: 2024-02-02\n---\n"
            "{% assign imagedir = '/images/' %}![Shot]({{ imagedir }}shot.png) [home]({{ site.url }}/)\n",
        },
    )
    assert not [r for r in caplog.records if "Replacement Indicator" in r.getMessage()]
    jekyll = site.html(site.article("Jekyll links").url)
    assert jekyll.find("img", alt="Shot")["src"].endswith("/images/shot.png")
    plain = [m for m in site.messages() if "plain.md" in m and "raw text" in m]
    assert plain, site.messages()


def test_the_site_wide_switch(tmp_path):
    files = {"posts/a.md": "---\ntitle: Switched\ndate: 2024-02-01\n---\n{% assign x = 'y' %}X{{ x }}X\n"}
    site = build_site(tmp_path / "all", files, JOURNAL_LIQUID="all")
    assert "XyX" in site.html(site.article("Switched").url).get_text()
    files["_posts/2024-02-02-b.md"] = "---\ntitle: Jekyll off\ndate: 2024-02-02\n---\n{% assign x = 'y' %}X{{ x }}X\n"
    site = build_site(tmp_path / "none", files, JOURNAL_LIQUID=False)
    assert "XyX" not in site.html(site.article("Jekyll off").url).get_text()
