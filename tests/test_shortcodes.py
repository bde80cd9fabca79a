"""Posts brought from Hugo and Jekyll: built-in shortcodes and common Liquid tags become the
HTML they stand for; a theme's own shortcodes are shown as well as can be guessed and reported."""

import json

from sitebuild import build_site, require
from test_html_validity import checker_problem, vnu_errors

HUGO = """---
title: From Hugo
date: 2024-02-01
tags: [hugo]
course: Linear Algebra
---
Intro paragraph.

{{< figure src="/images/plot.png" title="The plot" caption="Loss over time" link="https://example.com/full" >}}

[{{< figure src="/images/thumb.png" title="A thumbnail" >}}](https://www.youtube.com/watch?v=abc)

{{< youtube Y9U9IE0gVHA >}}

{{< vimeo id="146022717" title="A talk" >}}

{{< highlight go "linenos=table" >}}
func main() { fmt.Println("hi") }
{{< /highlight >}}

See [the Jekyll post]({{< ref "jekyll.md" >}}) and {{< gist spf13 7896402 >}}
and {{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}.

{{< details summary="Show the proof" >}}
The proof is *short*.
{{< /details >}}

This course is {{< param course >}}. Write `{{< youtube ID >}}` to embed; Hugo writes it {{</* youtube ID */>}}.
In code: `{{< note >}}`, `{% raw %}`, `{{< /note >}}`.

```markdown
{{</* figure src="x.png" */>}}
```

{{< note >}}
A shipped *note*.
{{< /note >}}

{{< sidenote >}}
A theme's own *sidenote*.
{{< /sidenote >}}

{{< image src="/images/colab.png" alt="Colab" caption="A notebook" >}}

{{< gallery dir="/photos" >}}
"""

JEKYLL = """---
layout: post
liquid: true
title: From Jekyll
date: 2024-01-01
---
{% highlight python %}
print("{{ not liquid }}")
{% endhighlight %}

Raw: {% raw %}{{ page.title }}{% endraw %}.

Back to [the Hugo post]({% post_url 2024-02-01-hugo %}) and [about]({{ "/about/" | relative_url }}).

![A chart]({{ site.baseurl }}/images/plot.png)

{% include footer.html %}
"""


def build(tmp_path):
    return build_site(
        tmp_path,
        {
            "2024-02-01-hugo.md": HUGO,
            "jekyll.md": JEKYLL,
            "pages/about.md": "---\ntitle: About\n---\nAbout me.\n",
            "images/plot.png": b"\x89PNG\r\n\x1a\n",
            "images/thumb.png": b"\x89PNG\r\n\x1a\n",
            "images/colab.png": b"\x89PNG\r\n\x1a\n",
        },
    )


def test_hugo_built_in_shortcodes_become_the_html_they_stand_for(tmp_path):
    site = build(tmp_path)
    page = site.html("from-hugo/").select_one(".content")

    figure = page.find("figure")
    assert figure.find("a")["href"] == "https://example.com/full"
    assert figure.find("img")["src"].endswith("/images/plot.png") and figure.find("img")["alt"] == "Loss over time"
    assert "The plot" in figure.figcaption.get_text() and "Loss over time" in figure.figcaption.get_text()
    thumbnail = page.find("a", href="https://www.youtube.com/watch?v=abc").find("img")
    assert thumbnail["alt"] == "A thumbnail"
    frames = [frame["src"] for frame in page.select("div.video iframe")]
    assert frames == [
        "https://www.youtube-nocookie.com/embed/Y9U9IE0gVHA",
        "https://player.vimeo.com/video/146022717?dnt=1",
    ]
    assert all(frame.get("title") for frame in page.select("div.video iframe"))
    code = page.select_one(".highlight")
    assert 'fmt.Println("hi")' in code.get_text() and code.find(class_=True) is not None
    assert page.find("a", string="the Jekyll post")["href"].endswith("/from-jekyll/")
    assert page.find("a", href="https://gist.github.com/spf13/7896402") is not None
    assert page.find("a", href="https://x.com/SanDiegoZoo/status/1453110110599868418") is not None
    details = page.find("details")
    assert details.summary.get_text() == "Show the proof" and details.find("em").get_text() == "short"
    text = page.get_text().replace("\xa0", " ")
    assert "This course is Linear Algebra." in text
    # Written as examples: in code they stay as written; Hugo's escaped form shows the shortcode.
    for written in ("{{< youtube ID >}}", "{{< note >}}", "{% raw %}", "{{< /note >}}"):
        assert page.find("code", string=written) is not None, written
    assert "Hugo writes it {{< youtube ID >}}." in text
    assert '{{< figure src="x.png" >}}' in page.select("pre")[-1].get_text()


def test_a_themes_own_shortcodes_are_shown_as_well_as_guessed_and_reported(tmp_path):
    site = build(tmp_path)
    page = site.html("from-hugo/").select_one(".content")
    sidenote = page.find("div", class_="sidenote")
    assert sidenote is not None and sidenote.find("em").get_text() == "sidenote"
    note = page.select_one('div.callout-note[role="note"]')  # mapped by the shipped template
    assert note.select_one(".callout-title").get_text() == "Note" and note.find("em").get_text() == "note"
    images = [img["src"] for img in page.select("figure img")]
    assert any(src.endswith("/images/colab.png") for src in images)
    assert "{{< gallery" in page.get_text()

    problems = [p for p in site.report.warnings if p.path == "content/2024-02-01-hugo.md"]
    lines = HUGO.split("\n")
    by_line = {p.line: p for p in problems}
    note_line = lines.index("{{< sidenote >}}") + 1
    image_line = next(n for n, text in enumerate(lines, 1) if text.startswith("{{< image"))
    gallery_line = next(n for n, text in enumerate(lines, 1) if text.startswith("{{< gallery"))
    assert by_line[note_line].severity == "warning" and "sidenote" in by_line[note_line].message
    assert "shortcodes/sidenote.html" in by_line[note_line].message
    assert by_line[image_line].severity == "warning" and "image" in by_line[image_line].message
    assert by_line[gallery_line].severity == "error" and "gallery" in by_line[gallery_line].message
    assert [p.line for p in problems if p.severity == "error"] == [gallery_line]


def test_common_jekyll_liquid_tags_become_the_html_they_stand_for(tmp_path):
    site = build(tmp_path)
    page = site.html("from-jekyll/").select_one(".content")
    code = page.select_one(".highlight")
    assert 'print("{{ not liquid }}")' in code.get_text()
    assert "Raw: {{ page.title }}." in page.get_text().replace("\xa0", " ")
    assert page.find("a", string="the Hugo post")["href"].endswith("/from-hugo/")
    assert page.find("a", string="about")["href"].endswith("/about/")
    assert page.find("img", alt="A chart")["src"].endswith("/images/plot.png")
    problems = [p for p in site.report.warnings if p.path == "content/jekyll.md"]
    assert [(p.severity, "include" in p.message) for p in problems] == [("error", True)]
    assert problems[0].line == JEKYLL.split("\n").index("{% include footer.html %}") + 1


def test_pages_made_from_shortcodes_are_valid_html(tmp_path):
    require(checker_problem())
    site = build(tmp_path)
    pages = [site.output / "from-hugo" / "index.html", site.output / "from-jekyll" / "index.html"]
    errors = vnu_errors(pages)
    assert errors == [], "\n".join(errors)


def test_the_text_before_a_more_marker_is_the_summary(tmp_path):
    """Hugo's `<!--more-->` and Jekyll's `excerpt_separator` end the summary, as they did there."""
    site = build_site(
        tmp_path,
        {
            "hugo.md": "---\ntitle: Hugo more\ndate: 2024-01-03\n---\nThe *teaser* part.\n\n<!--more-->\n\n"
            "The rest, which no listing shows.\n",
            "inline.md": "---\ntitle: Inline more\ndate: 2024-01-02\n---\nFirst words <!-- more --> and the rest.\n",
            "jekyll.md": "---\ntitle: Jekyll cut\ndate: 2024-01-01\nexcerpt_separator: <!--cut-->\n---\n"
            "Before the cut.\n\n<!--cut-->\n\nAfter the cut.\n",
            "described.md": "---\ntitle: Described\ndate: 2023-12-31\ndescription: Its own words.\n---\n"
            "Body.\n\n<!--more-->\n\nMore body.\n",
        },
    )
    home = site.html("")
    cards = {card.find("h2").get_text(strip=True): card for card in home.select("article.card")}
    hugo_card = cards["Hugo more"].get_text().replace("\xa0", " ")
    assert "The teaser part." in hugo_card and "no listing shows" not in hugo_card
    assert "First words" in cards["Inline more"].get_text() and "the rest" not in cards["Inline more"].get_text()
    assert "Before the cut." in cards["Jekyll cut"].get_text() and "After" not in cards["Jekyll cut"].get_text()
    assert "Its own words." in cards["Described"].get_text() and "Body." not in cards["Described"].get_text()
    assert "The rest, which no listing shows." in site.html("hugo-more/").get_text().replace("\xa0", " ")
    items = json.loads((site.output / "feed.json").read_text())["items"]
    [entry] = [item for item in items if item["title"] == "Hugo more"]
    assert entry["summary"].replace("\xa0", " ") == "The teaser part."
    assert "no listing\xa0shows" in entry["content_html"]
