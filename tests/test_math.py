"""Math becomes MathML in the built pages; money, escaped dollars and code stay as written."""

from sitebuild import build_site

POST = r"""
---
title: Math post
date: 2024-01-01
---
Inline $x_1 * y_1 * z$ and \(a_{i}\) in prose.

$$
\mathbf{a} \cdot \mathbf{b} = \sum_{i=1}^{n} a_i b_i
$$

A bracket display \[ E = mc^2 \] and a paren one \(\frac{1}{2}\).

Money: it cost $5 and $10, then $5-$10; \$3 is a price too.

Code: `$x_1$` and `\(y\)` stay code.

```python
price = "$5"  # $$z_1$$
```

    $$ indented_code $$

- a list item with $k^2$
"""


def math_post(tmp_path, **settings):
    return build_site(tmp_path, files={"math.md": POST}, **settings)


def test_inline_and_display_math_become_mathml(tmp_path):
    site = math_post(tmp_path)
    page = site.html("math-post/")
    formulas = page.find_all("math")
    displays = [m for m in formulas if m.get("display") == "block"]
    inlines = [m for m in formulas if m.get("display") == "inline"]
    assert len(displays) == 2
    assert len(inlines) == 4
    assert inlines[0].find("msub") is not None  # x_1 is a subscript, not the start of <em>
    assert page.find("em") is None  # the asterisks in $x_1 * y_1 * z$ stayed math
    sum_ = displays[0]
    assert sum_.find("munderover") is not None
    assert sum_.find(string="∑") is not None
    assert sum_.find_parent("p") is None  # a display block is not squeezed into a paragraph
    assert page.select_one("li math") is not None


def test_math_is_escaped_and_links_in_it_are_safe(tmp_path):
    site = build_site(
        tmp_path,
        files={
            "x.md": r"""
            ---
            title: Unsafe
            date: 2024-01-01
            ---
            Text $\text{<script>alert(1)</script> & co}$ and $\href{javascript:alert(2)}{x}$.

            $$ \begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases} $$
            """
        },
    )
    page = site.html("unsafe/")
    assert page.select_one(".content script") is None
    text = page.find("mtext")
    assert "<script>alert(1)</script> & co" in text.get_text().replace("\xa0", " ")
    assert not page.select("math [href]")
    assert page.select_one("math[display=block] mtable") is not None


def test_money_and_escaped_dollars_stay_text(tmp_path):
    site = math_post(tmp_path)
    page = site.html("math-post/")
    money = next(p for p in page.find_all("p") if "Money" in p.get_text())
    assert money.find("math") is None
    assert "it cost $5 and $10, then $5-$10; $3 is a price too." in money.get_text().replace("\xa0", " ")


def test_math_inside_code_stays_code(tmp_path):
    site = math_post(tmp_path)
    page = site.html("math-post/")
    spans = [code.get_text() for code in page.select("p code")]
    assert spans == ["$x_1$", r"\(y\)"]
    blocks = [pre.get_text() for pre in page.find_all("pre")]
    assert any('price = "$5"  # $$z_1$$' in block for block in blocks)
    assert any("$$ indented_code $$" in block for block in blocks)
    assert not page.select("pre math, code math")


def test_bad_tex_is_reported_with_its_line_and_shown_as_code(tmp_path):
    site = build_site(
        tmp_path,
        files={
            "posts/bad.md": r"""
            ---
            title: Bad formulas
            date: 2024-01-01
            ---
            Fine $x$ here.

            Broken $x^$ inline.

            $$
            \begin{matrix} a & b
            $$

            And an unknown command $\notacommand{y}$.
            """
        },
    )
    source = (site.content / "posts/bad.md").read_text().split("\n")
    expected = {
        "$x^$": source.index("Broken $x^$ inline.") + 1,
        "matrix": source.index(r"\begin{matrix} a & b") ,  # the line of the opening $$
        "notacommand": source.index(r"And an unknown command $\notacommand{y}$.") + 1,
    }
    warnings = [p for p in site.report.warnings if "not valid TeX" in p.message]
    assert len(warnings) == 3
    for needle, line in expected.items():
        [problem] = [p for p in warnings if needle in p.message]
        assert problem.path.endswith("posts/bad.md")
        assert problem.line == line
    assert "unknown command \\notacommand" in " ".join(p.message for p in warnings)

    page = site.html("bad-formulas/")
    assert [c.get_text() for c in page.select("code.math-error")][0] == "$x^$"
    shown = page.select_one("div.math-error pre").get_text()
    assert shown.startswith("$$")
    assert "\\begin{matrix} a & b" in shown
    assert len(page.find_all("math")) == 1
    assert site.report.counts["published"] == 1


def test_math_can_be_turned_off(tmp_path):
    site = math_post(tmp_path, JOURNAL_MATH=False)
    page = site.html("math-post/")
    assert page.find("math") is None


def test_seed_math_post_builds_without_formulas_or_warnings(tmp_path, seeds):
    site = build_site(tmp_path, files={"seed.md": (seeds / "math-for-ml-intro.md").read_text()})
    page = site.html("an-introduction-to-machine-learning-and-me/")
    assert page.find("math") is None
    assert not [p for p in site.report.warnings if "TeX" in p.message]


def test_dollars_in_link_targets_and_attributes_are_not_math(tmp_path):
    site = build_site(
        tmp_path,
        files={
            "x.md": r"""
            ---
            title: Dollars in URLs
            date: 2024-01-01
            ---
            A [search](https://example.com/?q=$a$) and <abbr title="$x$ cost">US</abbr>.
            When $a<b$ and $c>d$, a [link with $k$ in it](https://example.com/k).
            """
        },
    )
    page = site.html("dollars-in-urls/")
    assert page.find("a", string="search")["href"] == "https://example.com/?q=$a$"
    assert page.find("abbr")["title"] == "$x$ cost"
    assert len(page.select(".content p > math")) == 2
    assert page.select_one("a[href='https://example.com/k'] math") is not None


def test_latex_environments_aligned_and_macros_as_mathjax_reads_them(tmp_path):
    site = build_site(
        tmp_path,
        files={
            "env.md": r"""
            ---
            title: Environments
            date: 2024-01-01
            ---
            Let $\newcommand{\R}{\mathbb{R}} x \in \R^n$ be a vector.

            \begin{align}
            a &= b \\
            - c &= d
            \end{align}

            $$
            \begin{aligned} f(x) &= x^2 \\ &= x \cdot x \end{aligned}
            $$

            Then $y \in \R$.
            """
        },
    )
    page = site.html("environments/")
    blocks = page.select("math[display=block]")
    assert len(blocks) == 2
    assert page.select_one(".content ul") is None  # "- c" inside the environment is not a list item
    for block in blocks:
        rows = block.select("mtable > mtr")
        assert len(rows) == 2
        assert "&" not in block.get_text()
    last = page.select("p math")[-1]
    assert last.find("mi", string="\u211d") is not None  # \R defined in an earlier formula
    assert not [p for p in site.report.warnings if "TeX" in p.message]


def test_escaped_brackets_of_a_citation_are_not_math(tmp_path):
    body = r"As shown \[1\] and \[sic\], but \[ x^2 \] is."
    site = build_site(tmp_path, files={"c.md": f"---\ntitle: Citations\ndate: 2024-01-01\n---\n{body}\n"})
    paragraph = site.html("citations/").select_one(".content p")
    assert "As shown [1] and [sic], but" in paragraph.get_text().replace("\xa0", " ")
    assert len(paragraph.find_all("math")) == 1


def test_doubled_backslash_delimiters_written_for_hugo_are_math(tmp_path):
    body = "Inline \\\\(x_1\\\\) here.\n\n\\\\[\n\\sum_i a_i\n\\\\]\n"
    site = build_site(tmp_path, files={"h.md": f"---\ntitle: Hugo math\ndate: 2024-01-01\n---\n{body}"})
    page = site.html("hugo-math/")
    assert page.select_one(".content p math[display=inline] msub") is not None
    assert page.select_one(".content math[display=block] munder") is not None
    assert "\\" not in page.select_one(".content").get_text()


COMMON_FORMULAS = [
    r"\hat{\theta} = \arg\min_\theta \frac{1}{n} \sum_{i=1}^{n} \ell(y^{(i)}, f_\theta(x^{(i)}))",
    r"\underset{w}{\operatorname{argmin}} \| Xw - y \|_2^2 + \lambda \lVert w \rVert_1",
    r"\mathbb{E}_{x \sim p}\left[ \log p(x) \right] \label{eq:entropy}",
    r"\text{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
    r"\operatorname{ReLU}(x) = \begin{cases} x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}",
    r"\frac{\partial L}{\partial w} = \nabla_w L \approx \int_0^1 f(x)\,dx",
    r"A = \begin{bmatrix} a_{11} & a_{12} \\ a_{21} & a_{22} \end{bmatrix}, \quad A^\top, \; \det(A)",
    r"\mathcal{N}(\mu, \sigma^2) \propto \exp\left(-\frac{(x-\mu)^2}{2\sigma^2}\right)",
    r"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n = e, \quad \binom{n}{k}, \quad \sqrt[3]{x}",
    r"\forall \varepsilon > 0 \; \exists \delta: |x| < \delta \implies |f(x)| \leq \varepsilon",
]


def test_formulas_common_in_machine_learning_posts_all_render(tmp_path):
    body = "\n\n".join(f"$${formula}$$" for formula in COMMON_FORMULAS)
    site = build_site(tmp_path, files={"ml.md": f"---\ntitle: ML formulas\ndate: 2024-01-01\n---\n{body}\n"})
    assert not [p for p in site.report.warnings if "TeX" in p.message]
    page = site.html("ml-formulas/")
    assert len(page.select(".content math[display=block]")) == len(COMMON_FORMULAS)
    assert not page.select(".content .math-error")
    assert "\\" not in "".join(m.get_text() for m in page.select(".content math"))


def test_the_same_bad_formula_twice_is_reported_on_both_lines(tmp_path):
    body = "First $x^$ here.\n\nSome text.\n\nAgain $x^$ there.\n"
    site = build_site(tmp_path, files={"twice.md": f"---\ntitle: Twice\ndate: 2024-01-01\n---\n{body}"})
    lines = sorted(p.line for p in site.report.warnings if "not valid TeX" in p.message)
    assert lines == [5, 9]
    assert len(site.html("twice/").select("code.math-error")) == 2


def test_limits_with_no_script_after_them_show_the_operator_alone(tmp_path):
    body = r"A sum $\sum\limits x$ and a lone $\limits$ here."
    site = build_site(tmp_path, files={"l.md": f"---\ntitle: Limits\ndate: 2024-01-01\n---\n{body}\n"})
    formulas = site.html("limits/").select(".content math")
    assert len(formulas) == 2
    assert [m.name for m in formulas[0].select("mrow > *")] == ["mo", "mi"]
    assert not site.html("limits/").select(".content munderover, .content munder")


def test_a_fraction_missing_its_denominator_is_reported_not_half_drawn(tmp_path):
    body = r"Half a fraction $\frac{a}$ here."
    site = build_site(tmp_path, files={"f.md": f"---\ntitle: Half\ndate: 2024-01-01\n---\n{body}\n"})
    [problem] = [p for p in site.report.warnings if "not valid TeX" in p.message]
    assert problem.line == 5 and "missing a part" in problem.message
    assert site.html("half/").select_one(".content code.math-error").get_text() == r"$\frac{a}$"
    assert not site.html("half/").select(".content mfrac")


def test_limits_of_lim_and_max_sit_under_them_and_bare_norm_bars_do_not_stretch(tmp_path):
    body = (
        r"$$f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}, \quad \max_{w} \lVert w \rVert$$"
        "\n\nInline $\\lim_{n} a_n$ and $\\left\\| \\frac{a}{b} \\right\\|$.\n"
    )
    site = build_site(tmp_path, files={"l.md": f"---\ntitle: Lim\ndate: 2024-01-01\n---\n{body}"})
    page = site.html("lim/")
    under = page.select(".content munder")
    assert [u.mo.get_text() for u in under] == ["lim", "max", "lim"]
    assert all(u.mo["movablelimits"] == "true" for u in under)
    assert not page.select(".content msub > mo:first-child")
    bars = page.select(".content mo")
    norm = [mo["stretchy"] for mo in bars if mo.get_text() == "\u2016"]
    assert norm == ["false", "false", "true", "true"]


def test_a_prime_sits_beside_its_letter_not_in_a_superscript(tmp_path):
    body = r"Derivatives $f'(x)$, $g''$ and $f'^2$."
    site = build_site(tmp_path, files={"p.md": f"---\ntitle: Primes\ndate: 2024-01-01\n---\n{body}\n"})
    formulas = site.html("primes/").select(".content math")
    assert [m.get_text() for m in formulas] == ["f\u2032(x)", "g\u2033", "f\u20322"]
    assert [len(m.select("msup")) for m in formulas] == [0, 0, 1]


def test_a_function_name_is_set_a_thin_space_from_its_argument_but_not_from_a_bracket(tmp_path):
    body = r"Here $\cos\theta$, $\log_2 n$, $\sin^2 x$ and $\log(x)$."
    site = build_site(tmp_path, files={"f.md": f"---\ntitle: Names\ndate: 2024-01-01\n---\n{body}\n"})
    formulas = site.html("names/").select(".content math")
    assert [len(m.select("mspace")) for m in formulas] == [1, 1, 1, 0]
    assert [m.select_one("mspace").find_previous_sibling().name for m in formulas[:3]] == ["mi", "msub", "msup"]
    assert all(len(script.find_all(recursive=False)) == 2 for script in site.html("names/").select("msub, msup"))


def test_a_bar_inside_a_formula_in_a_table_stays_in_its_cell(tmp_path):
    body = (
        "| event | in math |\n|---|---|\n| A given B | $P(A|B)$ |\n| norms | $\\|x\\|_2$ and \\(|x|\\) |\n"
        "| code | `$a|b$` |\n| money | $5 or $10 |\n\nIn prose: $|y|$ and `c|d`.\n"
    )
    site = build_site(tmp_path, files={"t.md": f"---\ntitle: Table math\ndate: 2024-01-01\n---\n{body}"})
    page = site.html("table-math/")
    rows = page.select(".content tbody tr")
    assert [len(row.find_all("td")) for row in rows] == [2, 2, 2, 2]
    assert [len(row.find_all("td")[1].find_all("math")) for row in rows] == [1, 2, 0, 0]
    assert "|" in rows[0].find("math").get_text()
    assert rows[2].find("code").get_text() == "$a|b$"
    assert rows[3].find_all("td")[1].get_text() == "$5 or $10"
    assert page.select_one(".content p math") is not None and "c|d" in page.select_one(".content p code").get_text()
    for name in ("table-math/index.html", "atom.xml", "feed.json"):
        assert "\ue0a6" not in (site.output / name).read_text(), name
    assert not [p for p in site.report.warnings if "TeX" in p.message]


def test_operator_names_keep_their_spacing_and_a_star_puts_limits_under_them(tmp_path):
    body = (
        "$$\\theta^* = \\operatorname*{arg\\,max}_{\\theta} L(\\theta)$$\n\n"
        "Inline $\\operatorname{arg\\,min}_x f$.\n"
    )
    site = build_site(tmp_path, files={"o.md": f"---\ntitle: Operators\ndate: 2024-01-01\n---\n{body}"})
    page = site.html("operators/")
    display = page.select_one(".content math[display=block]")
    under = display.find("munder")
    assert under is not None and under.find("mo").get_text() == "arg\u2009max"
    assert [mo.get_text() for mo in display.find_all("mo") if not mo.get_text().strip()] == []
    inline = page.select_one(".content math[display=inline]")
    assert inline.find("msub").find("mo").get_text() == "arg\u2009min"
    assert not [p for p in site.report.warnings if "TeX" in p.message]


def test_a_formula_reads_the_same_in_every_post_and_macros_and_numbers_stay_in_their_post(tmp_path):
    """Formulas converted once are taken again in later posts (conversion is most of the
    math's cost), but never one whose meaning comes from its post: a macro, an equation number."""
    numbered = "\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\n"
    loss = "$L(\\theta) = \\sum_i x_i^2$"
    bodies = {
        "first": f"Loss {loss} on $\\R^n$.\n\n{numbered}",
        "second": f"$\\newcommand{{\\R}}{{\\mathbb{{R}}}}$ Loss {loss} on $\\R^n$.\n\n{numbered}",
        "third": f"Loss {loss} on $\\R^n$ again.\n\n$$x = 1$$\n\n{numbered}\n{numbered}",
    }
    files = {
        f"{name}.md": f"---\ntitle: {name.title()}\ndate: 2024-01-0{day}\n---\n{body}\n"
        for day, (name, body) in enumerate(bodies.items(), start=1)
    }
    site = build_site(tmp_path, files, JOURNAL_READ_PROCESSES=1)
    pages = {name: site.html(f"{name}/") for name in bodies}

    def loss_of(page):
        [math] = [m for m in page.select("p math") if m.find("mi", string="L")]
        return str(math)

    assert loss_of(pages["first"]) == loss_of(pages["second"]) == loss_of(pages["third"])
    numbers = {name: [t.get_text() for t in page.select("math[display=block] mtext")] for name, page in pages.items()}
    assert numbers == {"first": ["(1)", "(2)"], "second": ["(1)", "(2)"], "third": ["(1)", "(2)", "(3)", "(4)"]}
    assert pages["second"].find("mi", string="\u211d") is not None
    unknown = sorted(p.path.rsplit("/", 1)[-1] for p in site.report.warnings if "\\R" in p.message)
    assert unknown == ["first.md", "third.md"]  # \R means nothing outside the post that defines it
