"""Bodies through markdown-it-py's tokens: each defect of the old HTML patching, held.

Pure renders where the body alone decides (fast), and small in-process builds where the
site does (references, summaries in feeds, a site's own tag templates).
"""

from __future__ import annotations

import json

import feedparser
import pytest
from conftest import MakeSite, Page, article, picture_bytes

from newsgen.bodies import Body, BodyOptions, render_html, render_markdown
from newsgen.bodies.sanitize import sanitize
from newsgen.bodies.weburl import read_url
from newsgen.build import BuildFailed

pytestmark = pytest.mark.fast

BODY = "//div[@class='body']"
HOSTS = frozenset({"www.youtube.com"})


def md(text: str, **options: object) -> Body:
    return render_markdown(text, 1, BodyOptions(iframe_hosts=HOSTS, **options))  # type: ignore[arg-type]


def parsed(body: Body) -> Page:
    return Page.parse(f"<!doctype html><title>t</title><div class='body'>{body.html}</div>")


def raw_texts(page: Page, xpath: str) -> list[str]:
    """Each element's text exactly, white space and all (as code shows it)."""
    return ["".join(element.itertext()) for element in page.all(xpath)]


def messages(body: Body) -> list[str]:
    return [message for _, message, _ in body.problems]


# -- script never runs -----------------------------------------------------------------------


def test_a_heading_attribute_list_gives_an_id_and_classes_only() -> None:
    body = md("## T {#z .wide tabindex=0 autofocus onfocus=alert(1)}\n")
    page = parsed(body)
    (heading,) = page.all(f"{BODY}/h2")
    assert dict(heading.attrib) == {"id": "z", "class": "wide"}
    assert page.text(f"{BODY}/h2") == "T"


@pytest.mark.parametrize("split", ["&#1;", "&#x1F;", "&#x7f;", "&#xFDD0;", "&#xFFFE;", "&#x81;"])
def test_a_control_character_cannot_hide_a_scheme(split: str) -> None:
    for text in (
        f'<a href="jav{split}ascript:alert(1)">x</a>',
        f"[x](jav{split}ascript:alert(1))",
        f'<iframe src="jav{split}ascript:alert(1)"></iframe>',
    ):
        body = md(text)
        page = parsed(body)
        for value in page.attrs("//*[@href]", "href") + page.attrs("//*[@src]", "src"):
            url = read_url(value)  # as the browser reads it
            assert url is not None and url.scheme in ("", "http", "https"), (text, value)


def test_a_frame_is_judged_by_the_host_the_browser_loads() -> None:
    body = md('<iframe src="https://evil.example\\@www.youtube.com/embed/x"></iframe>')
    assert "<iframe" not in body.html
    assert any("iframe" in m for m in messages(body))
    ok = md('<iframe src="http://www.youtube.com/embed/x"></iframe>')
    assert 'src="https://www.youtube.com/embed/x"' in ok.html


def test_placeholder_characters_are_text_like_any_other() -> None:
    text = '<img src="x" alt="\ue000\ue001" title="a\ue002"> and \ue000 in text'
    html = str(md(text).html)
    assert "onerror" not in html and sanitize(html, HOSTS) == html


# -- what readers see -----------------------------------------------------------------------


def test_unsupported_tags_are_shown_exactly_as_written() -> None:
    body = md('Say {{ "it\'s" | shout }} and {% gallery "a b" %} -- twice.', smart_quotes=True)
    page = parsed(body)
    assert page.text(f"{BODY}/p") == 'Say {{ "it\'s" | shout }} and {% gallery "a b" %} – twice.'
    assert page.all(f"{BODY}//code") == []
    assert [m.split(" is not")[0] for m in messages(body)] == [
        'template filter {{ "it\'s" | shout }}',
        'Liquid tag {% gallery "a b" %}',
    ]
    assert "templates/shortcodes/shout.html" in messages(body)[0]
    assert "templates/shortcodes/gallery.html" in messages(body)[1]


def test_the_summary_is_the_text_readers_read() -> None:
    text = (
        'She said "no"[^1] {{< unknown >}} and `code` {% raw %}{{ x }}{% endraw %}.\n\n'
        "[^1]: A note.\n"
    )
    body = md(text, smart_quotes=True)
    assert body.excerpt == "She said “no” and code {{ x }}."


def test_an_excerpt_break_ends_the_summary() -> None:
    for marker in ("<!--more-->", "<!-- more -->", "{{< more >}}"):
        body = md(f"First para.\n\nSecond para.\n\n{marker}\n\nThird.\n")
        assert body.excerpt == "First para. Second para.", marker
        assert "more" not in body.html


# -- migrated Markdown renders as at its origin ------------------------------------------------


def test_highlight_blocks_are_code_whatever_they_hold() -> None:
    code = 'echo `date`\n- not a list\n    indented = "code"\n# not a heading'
    for opener, closer in (
        ("{% highlight bash %}", "{% endhighlight %}"),
        ("{{< highlight bash >}}", "{{< /highlight >}}"),
    ):
        page = parsed(md(f"Before.\n\n{opener}\n{code}\n{closer}\n\nAfter.\n"))
        assert raw_texts(page, f"{BODY}/pre/code") == [code + "\n"]
        assert page.attrs(f"{BODY}/pre/code", "class") == ["language-bash"]
        assert page.all(f"{BODY}//ul | {BODY}//h2") == []


def test_kramdown_attribute_lists_on_the_line_and_the_next() -> None:
    page = parsed(md("## One {: #first}\n\n## Two\n{: #second .x}\n\nA paragraph.\n{: .lead}\n"))
    assert page.attrs(f"{BODY}/h2", "id") == ["first", "second"]
    assert page.texts(f"{BODY}/h2") == ["One", "Two"]
    assert page.attrs(f"{BODY}/p", "class") == ["lead"]
    assert page.text(f"{BODY}/p") == "A paragraph."


def test_words_in_braces_are_not_attributes() -> None:
    page = parsed(md("## Use {braces} here {please}\n"))
    assert page.text(f"{BODY}/h2") == "Use {braces} here {please}"


def test_tags_in_code_stay_as_written_and_raw_markers_go() -> None:
    text = "`{{< x >}}` and `{% raw %}{{ y }}{% endraw %}`\n\n```\n{{</* ref a */>}}\n```\n"
    page = parsed(md(text))
    assert raw_texts(page, f"{BODY}//code") == ["{{< x >}}", "{{ y }}", "{{< ref a >}}\n"]


# -- references -----------------------------------------------------------------------------


def test_a_reference_outside_a_link_becomes_a_link(make_site: MakeSite) -> None:
    body = (
        'See {% post_url 2024-05-02-b %}, {{< ref "2024-05-02-b.md" >}} and'
        " [part]({% post_url 2024-05-02-b %}#two)."
    )
    files = {
        "articles/2024-05-01-a.md": article("A", body=body),
        "articles/2024-05-02-b.md": article("B", "2024-05-02 10:00"),
    }
    site = make_site(files)
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.attrs(f"{BODY}//a", "href") == ["/2024/05/02/b/"] * 2 + ["/2024/05/02/b/#two"]
    html = (site.out / "2024/05/01/a/index.html").read_text()
    feed = (site.out / "feed.xml").read_text()
    assert "newsgen-ref" not in html and "newsgen-ref" not in feed


# -- summaries in metadata and feeds -----------------------------------------------------------


def test_meta_and_feed_summaries_are_clean_text(make_site: MakeSite) -> None:
    body = 'Rather "belatedly"[^1] {{< unknown >}}, *said* <b>she</b>.\n\n[^1]: Note.\n'
    site = make_site({"articles/a.md": article("A", body=body)})
    site.build_here()
    page = site.page("2024/05/01/a/")
    expected = "Rather “belatedly” , said she."
    assert page.attrs("//meta[@name='description']", "content") == [expected]
    (block,) = page.all("//script[@type='application/ld+json']")
    assert json.loads(block.text)["description"] == expected
    feed = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert feed.entries[0].summary == expected


# -- a site's own templates for other generators' tags -------------------------------------------


TEMPLATES = {
    "templates/shortcodes/note.html": (
        '<aside class="note">{{ get("title", "Note") }}: {{ body }}</aside>'
    ),
    "templates/shortcodes/image.html": '<img src="{{ args[0] }}" alt="{{ args[1] }}">',
    "templates/shortcodes/shout.html": "{{ args[0] | upper }}",
    "templates/shortcodes/staff.html": "{{ data.people[args[0]].name }} ({{ data.desk.name }})",
    "templates/includes/box.html": '<div class="box">{{ include.text }}</div>',
    "data/people.yaml": "ann:\n  name: Ann Lee\n",
    "data/desk.toml": 'name = "Metro"\n',
    "data/x.json": '{"ok": true}',
}


def test_any_syntax_reaches_the_sites_template(make_site: MakeSite) -> None:
    body = "\n\n".join(
        [
            '{{< note title="Heads up" >}}\n**Bold** words\n{{< /note >}}',
            '{% image "/a.png", "Harbour" %}',
            '{{ "loud" | shout }}',
            '{{staff "ann"}}',
            '{% include box.html text="Boxed" %}',
            '{{ image("/b.png", "Quay") }}',
        ]
    )
    pictures = {"static/a.png": picture_bytes(), "static/b.png": picture_bytes()}
    site = make_site({"articles/a.md": article("A", body=body), **TEMPLATES, **pictures})
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.text(f"{BODY}//aside[@class='note']") == "Heads up: Bold words"
    assert page.texts(f"{BODY}//aside//strong") == ["Bold"]
    assert page.attrs(f"{BODY}//img", "alt") == ["Harbour", "Quay"]
    text = page.text(BODY)
    assert "LOUD" in text and "Ann Lee (Metro)" in text
    assert page.texts(f"{BODY}//div[@class='box']") == ["Boxed"]


def test_template_output_is_cleaned_like_the_body(make_site: MakeSite) -> None:
    files = {
        "templates/shortcodes/bad.html": '<b onclick="x()">{{ args[0] }}</b><script>y()</script>',
        "articles/a.md": article("A", body='{{< bad "<i>hi</i>" >}}'),
    }
    site = make_site(files)
    site.build_here()
    html = (site.out / "2024/05/01/a/index.html").read_text()
    assert "onclick" not in html and "y()" not in html
    assert "&lt;i&gt;hi&lt;/i&gt;" in html  # arguments are text, escaped by the template


def test_a_broken_template_is_an_error_at_its_line(make_site: MakeSite) -> None:
    files = {
        "templates/shortcodes/oops.html": "line one\n{{ args[0] | nosuchfilter }}\n",
        "templates/shortcodes/syntax.html": "ok\n{% if %}\n",
        "articles/a.md": article("A", body="{{< oops x >}}"),
    }
    site = make_site(files)
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    shown = [str(e) for e in failed.value.errors]
    assert any(s.startswith("templates/shortcodes/syntax.html:2: ") for s in shown), shown
    assert any(s.startswith("articles/a.md:6: ") and "oops" in s for s in shown), shown


def test_a_changed_data_file_renders_the_body_again(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A", body='{{staff "ann"}}'), **TEMPLATES})
    site.build_here()
    assert "Ann Lee" in site.page("2024/05/01/a/").text(BODY)
    site.write("data/people.yaml", "ann:\n  name: Ann Lee-Park\n")
    site.build_here()
    assert "Ann Lee-Park" in site.page("2024/05/01/a/").text(BODY)


def test_html_bodies_take_the_same_stages() -> None:
    body = render_html(
        '<h1>Top</h1><p onclick="x()">She said "yes" {% gallery %}</p><h1>Top</h1>',
        1,
        BodyOptions(),
    )
    page = parsed(body)
    assert page.attrs(f"{BODY}/h2", "id") == ["top", "top-1"]
    assert page.all(f"{BODY}//*[@onclick]") == []
    assert body.excerpt == 'She said "yes"'  # no typography in HTML bodies, no tag text
    assert "{% gallery %}" in page.text(f"{BODY}/p")


def test_task_lists_are_boxes_drawn_in_text() -> None:
    page = parsed(md("- [ ] open\n- [x] done\n- [y] not a task\n"))
    assert page.texts(f"{BODY}//li") == ["\u2610 open", "\u2611 done", "[y] not a task"]
    assert page.attrs(f"{BODY}//li", "class") == ["task", "task done", None]
    assert not page.all("//input")


def test_a_paired_tag_on_one_line_is_its_template_whole(make_site: MakeSite) -> None:
    body = '{{< note title="Heads up" >}}**Bold** words{{< /note >}}'
    site = make_site({"articles/a.md": article("A", body=body), **TEMPLATES})
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.text(f"{BODY}//aside[@class='note']") == "Heads up: Bold words"
    assert [p.text for p in page.all(f"{BODY}/p") if not "".join(p.itertext()).strip()] == []


# -- found by a hostile review and by real archives ------------------------------------------


def test_a_data_file_cannot_carry_a_lone_surrogate_into_a_body(make_site: MakeSite) -> None:
    files = {
        "data/s.json": '{"v": "x\\ud800y"}',
        "articles/a.md": article(
            "A", body='<svg aria-label="{{ site.data.s.v }}"></svg> [x](/a/{{ site.data.s.v }})'
        ),
    }
    site = make_site(files)
    warnings = site.build_here()
    assert any(w.path == "data/s.json" and "U+D800" in w.message for w in warnings), warnings
    assert site.page("2024/05/01/a/").attrs(f"{BODY}//a", "href") == ["/a/xy"]


def test_a_tag_shown_as_written_stays_inside_its_attribute() -> None:
    body = md('<p title="{{< nope "x" >}}">after</p>')
    page = parsed(body)
    assert page.attrs(f"{BODY}/p", "title") == ['{{< nope "x" >}}']
    assert page.texts(f"{BODY}/p") == ["after"] and body.excerpt == "after"


def test_urls_change_in_links_only_never_in_text_or_code(make_site: MakeSite) -> None:
    """Feeds make links absolute and pages resolve references inside the sanitizer's own
    pass, which knows an attribute from text: code samples stay as written."""
    body = (
        'Use `<img src="logo.png">` and `href="newsgen-ref:7:b"`.\n\n'
        "He said src='../../x' ok. [Up](../up/) [B]({{< ref 2024-05-02-b >}})\n"
    )
    files = {
        "articles/2024-05-01-a.md": article("A", body=body),
        "articles/2024-05-02-b.md": article("B", "2024-05-02 10:00"),
    }
    site = make_site(
        files, 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nsmart_quotes: false\n'
    )
    site.build_here()
    page = site.page("2024/05/01/a/")
    codes = ['<img src="logo.png">', 'href="newsgen-ref:7:b"']
    assert page.texts(f"{BODY}//code") == codes
    assert page.attrs(f"{BODY}//a", "href") == ["../up/", "/2024/05/02/b/"]
    feed = json.loads((site.out / "feed.json").read_text())
    entry = next(i for i in feed["items"] if i["title"] == "A")
    item = Page.parse(
        f"<!doctype html><title>t</title><div class='body'>{entry['content_html']}</div>"
    )
    assert item.texts(f"{BODY}//code") == codes
    assert "He said src='../../x' ok." in item.text(BODY)
    assert item.attrs(f"{BODY}//a", "href") == [
        "https://example.org/2024/05/01/up/",
        "https://example.org/2024/05/02/b/",
    ]


def test_a_published_body_is_a_fixed_point_even_with_a_byte_order_mark() -> None:
    html = str(render_markdown("</h2>\ufeff<b>x</b>&#1;").html)
    assert sanitize(html, HOSTS) == html


def test_a_frames_fallback_content_is_not_published() -> None:
    body = md('<iframe src="https://www.youtube.com/embed/x"><img src=x onerror=alert(1)></iframe>')
    assert "onerror" not in str(body.html) and "<img" not in str(body.html)
    assert parsed(body).attrs(f"{BODY}//iframe", "src") == ["https://www.youtube.com/embed/x"]


def test_references_resolve_with_their_fragment_and_read_as_names_in_words(
    make_site: MakeSite,
) -> None:
    body = (
        '[one]({{< ref "2024-05-02-b.md#section-one" >}})\n\n'
        '<abbr title="{% post_url 2024-05-02-b %}">B</abbr>\n\n'
        '<a href="&#110;ewsgen-ref:9:2024-05-02-b">typed</a>\n'
    )
    files = {
        "articles/2024-05-01-a.md": article("A", body=body),
        "articles/2024-05-02-b.md": article("B", "2024-05-02 10:00"),
    }
    site = make_site(files)
    warnings = site.build_here()
    page = site.page("2024/05/01/a/")
    assert page.attrs(f"{BODY}//a", "href") == ["/2024/05/02/b/#section-one", "#"]
    assert page.attrs(f"{BODY}//abbr", "title") == ["2024-05-02-b"]
    assert [w.message for w in warnings] == [
        "a link written as newsgen-ref:… is newsgen's own kind; it links nowhere"
    ]
    for name in ("2024/05/01/a/index.html", "feed.xml", "atom.xml", "feed.json"):
        assert "newsgen-ref" not in (site.out / name).read_text(), name


def test_keep_mode_keeps_the_body_as_written_and_says_nothing() -> None:
    written = '<iframe src="https://maps.example/embed"></iframe><img data-src="x.png">'
    body = render_html(written, 1, BodyOptions(raw_html="keep"))
    assert str(body.html) == written and body.problems == []


def test_what_the_sanitizer_removes_is_named_at_its_line(make_site: MakeSite) -> None:
    body = "x\n\n<script>a()</script>\n\ny <b style='c'>z</b>\n"
    site = make_site({"articles/a.md": article("A", body=body)})
    warnings = site.build_here()
    assert sorted((w.line, w.message.split(" from")[0]) for w in warnings) == [
        (8, "removed <script>"),
        (10, "removed style attributes"),
    ]


def test_a_lead_image_must_be_a_web_address_or_a_path(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A", image='"java\\tscript:alert(1)"')})
    (warning,) = site.build_here()
    assert "'image' must be a web address" in warning.message and warning.line == 4
    html = (site.out / "2024/05/01/a/index.html").read_text()
    assert "script:alert" not in html


def test_a_template_that_renders_itself_stops_with_an_error(make_site: MakeSite) -> None:
    files = {
        "templates/shortcodes/loop.html": '<b>{{ "{{< loop >}}" | markdownify }}</b>',
        "articles/a.md": article("A", body="{{< loop >}}"),
    }
    with pytest.raises(BuildFailed) as failed:
        make_site(files).build_here()
    assert "nest too deep" in str(failed.value.errors[0])


# -- tables of contents, figures, other generators' habits ---------------------------------------


@pytest.mark.parametrize("marker", ["[TOC]", "* TOC\n{:toc}", "{{< toc >}}"])
def test_a_table_of_contents_marker_lists_the_headings(marker: str) -> None:
    body = md(f"{marker}\n\n## One\n\ntext\n\n### Deeper\n\n## Skipped {{.no_toc}}\n\n## Two\n")
    page = parsed(body)
    assert page.attrs(f"{BODY}/ul[@class='toc']//a", "href") == ["#one", "#deeper", "#two"]
    assert page.texts(f"{BODY}/ul[@class='toc']/li/ul/li") == ["Deeper"]
    assert body.excerpt == "text"


def test_hugo_figures_caption_credit_and_alt() -> None:
    page = parsed(
        md(
            '{{< figure src="a.png" caption="See [docs](https://x.org)" >}}\n\n'
            '{{< figure src="b.png" attr="By Ann" attrlink="https://x.org/ann" title="T" >}}\n'
        )
    )
    assert page.attrs(f"{BODY}//img", "alt") == ["See docs", ""]
    assert page.attrs(f"{BODY}//figcaption/a", "href") == ["https://x.org", "https://x.org/ann"]
    assert page.texts(f"{BODY}//figcaption") == ["See docs", "T By Ann"]


def test_a_tag_in_angle_brackets_is_a_link_destination() -> None:
    body = render_markdown(
        "[orig][o]\n\n[o]: <{{% param canonical %}}>\n", 1, params={"canonical": "https://x.org/a"}
    )
    assert parsed(body).attrs(f"{BODY}//a", "href") == ["https://x.org/a"]


def test_liquid_logic_is_named_as_such() -> None:
    (message,) = messages(md("{% assign a = 1 %}"))
    assert "newsgen does not run Liquid logic" in message and "shortcodes/" not in message


def test_site_params_reach_jekyll_and_hugo_tags(make_site: MakeSite) -> None:
    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
        "params:\n  repository: https://git.example/news\n"
    )
    body = "[issues]({{ site.repository }}/issues) {{< param repository >}} {{ site.nope }}"
    site = make_site({"articles/a.md": article("A", body=body)}, config)
    warnings = site.build_here()
    page = site.page("2024/05/01/a/")
    assert page.attrs(f"{BODY}//a", "href") == ["https://git.example/news/issues"]
    assert "https://git.example/news {{ site.nope }}" in page.text(BODY)
    assert [w.message.split("(")[1] for w in warnings] == [
        "add nope under params: in newsgen.yaml to give it a value)"
    ]
    site.write("newsgen.yaml", config.replace("git.example", "code.example"))
    site.build_here()
    assert site.page("2024/05/01/a/").attrs(f"{BODY}//a", "href") == [
        "https://code.example/news/issues"
    ]


# -- found by the second review ---------------------------------------------------------------


def test_nothing_a_frame_holds_is_published_and_an_open_frame_is_closed() -> None:
    body = md(
        'Watch <iframe src="https://www.youtube.com/embed/x"> <b onclick="alert(1)">x</b> [s](/s/)'
        '\n\n<iframe src="https://www.youtube.com/embed/y">\n\n*inside*\n\n</iframe>\n\nafter\n'
    )
    page = parsed(body)
    assert [f.text for f in page.all(f"{BODY}//iframe")] == [None, None]
    assert page.texts(f"{BODY}/p") == ["Watch x s", "after"]
    assert "onclick" not in str(body.html) and "inside" not in str(body.html)


@pytest.mark.parametrize("tag", ["xmp", "plaintext", "title", "textarea", "listing"])
def test_elements_read_as_text_to_their_end_are_taken_apart(tag: str) -> None:
    body = md(f"Intro.\n\n<{tag}>\nSee <b>bold</b> [x](/x/).\n\nLater paragraph.\n")
    page = parsed(body)
    assert page.texts(f"{BODY}//b") == ["bold"]
    assert "Later paragraph." in page.text(BODY)
    assert messages(body) == [
        f"removed <{tag}> from the body (markdown.html: sanitize in newsgen.yaml)"
    ]


@pytest.mark.parametrize(
    "text", ["<select>x", "a\n<select>\n\nb", '<a f=""><h2>a<h2>[]()', "<table>\n: d"]
)
def test_misnested_markup_is_published_as_a_fixed_point(text: str) -> None:
    html = str(md(text).html)
    assert sanitize(html, HOSTS) == html


def test_one_table_of_contents_per_page() -> None:
    body = md("[TOC]\n\n## A\n\n[TOC]\n\n## B\n\n[TOC]\n")
    assert len(parsed(body).all(f"{BODY}//ul[@class='toc']")) == 1
    assert messages(body) == ["a second table of contents marker is left out (one per page)"]
    inner = md('<div markdown="1">\n{{< toc >}}\n</div>\n\n## H\n')
    assert "&lt;" not in str(inner.html) and "toc" not in str(inner.html)


def test_a_srcset_url_may_hold_commas() -> None:
    from newsgen.bodies.sanitize import srcset_candidates

    assert srcset_candidates("a.jpg 1x, b.jpg?w=1,2 2x,c.jpg,, d.png 100w") == [
        ("a.jpg", "1x"),
        ("b.jpg?w=1,2", "2x"),
        ("c.jpg", ""),
        ("d.png", "100w"),
    ]


@pytest.mark.fast
def test_reference_definitions_among_many_bracket_paragraphs_are_all_found() -> None:
    """The reference rule remembers where the next `]:` is: definitions before, between and
    after paragraphs that open with `[` are each found, and `[` blocks are not definitions."""
    parts = ["[a]: https://a.example/\n\n"]
    parts += [f"[not {n}] a paragraph\n\n" for n in range(30)]
    parts += ["> [b]: https://b.example/\n\n", "[x\n\n" * 5, "[c]: https://c.example/\n\n"]
    parts += ["See [a], [b] and [c].\n"]
    html = str(render_markdown("".join(parts)).html)
    for host in ("a", "b", "c"):
        assert f'href="https://{host}.example/"' in html
    assert html.count("<p>[not ") == 30


@pytest.mark.fast
def test_the_plain_url_shortcut_leaves_newsgens_own_placeholder_host_alone() -> None:
    assert read_url("https://newsgen.invalid/x") == read_url("/x")


def test_a_removed_embed_script_names_its_host() -> None:
    """An embed drawn by a script (slides, a video) disappears with the script: the warning
    names whose it was, so the editor knows what no longer shows; a script of no host stays
    '<script>'."""
    body = md(
        'The slides:\n\n<script async class="speakerdeck-embed" data-id="x"'
        ' src="//speakerdeck.com/assets/embed.js"></script>\n\n<script>alert(1)</script>\n'
    )
    assert messages(body) == [
        "removed speakerdeck.com's <script> (what it drew, slides or a video, no longer shows)"
        " from the body (markdown.html: sanitize in newsgen.yaml)",
        "removed <script> from the body (markdown.html: sanitize in newsgen.yaml)",
    ]
    assert "speakerdeck" not in str(body.html)
