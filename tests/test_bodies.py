"""Bodies render as their authors meant: raw HTML sanitized, headings in order, shortcodes."""

from __future__ import annotations

import feedparser
import pytest
from conftest import MakeSite, Page, SiteDir, article, picture_bytes, warnings_of
from newssite import URL, WIRE_LINES, body_of, built, news_site

BODY = "//div[@class='body']"


def page_of(
    make_site: MakeSite,
    body: str,
    config: str = "",
    name: str = "a.md",
    files: dict[str, str | bytes] | None = None,
) -> Page:
    site = make_site(
        {f"articles/{name}": article("A", body=body), **(files or {})},
        'base_url: "https://example.org/"\n' + config,
    )
    result = site.build()
    assert result.code == 0, result.stderr
    return site.page("2024/05/01/a/")


@pytest.mark.fast
def test_sanitize_keeps_structure_and_removes_what_runs(make_site: MakeSite) -> None:
    body = (
        "<!-- a note to the editors -->\n\n"
        '<figure><img src="/pic.png" alt="Pic" onerror="steal()"><figcaption>Cap</figcaption>'
        "</figure>\n\n"
        "<details><summary>More</summary><p>Hidden text</p></details>\n\n"
        '<table><tr><td style="color:red">Cell</td></tr></table>\n\n'
        "<script>steal()</script><style>body{display:none}</style>\n\n"
        'A <a href="javascript:steal()">bad link</a> and'
        ' <a href="https://ok.example/">a good one</a>.'
    )
    site = make_site({"articles/a.md": article("A", body=body), "static/pic.png": picture_bytes()})
    warnings = warnings_of(site.build())
    page = site.page("2024/05/01/a/")
    assert page.texts(f"{BODY}//figcaption") == ["Cap"]
    assert page.all(f"{BODY}//img[@onerror]") == []
    assert page.texts(f"{BODY}//details/p") == ["Hidden text"]
    assert page.all(f"{BODY}//*[@style] | {BODY}//script | {BODY}//style") == []
    assert page.attrs(f"{BODY}//a", "href") == [None, "https://ok.example/"]
    assert "note to the editors" not in page.text(BODY)
    assert "steal" not in (site.out / "2024/05/01/a/index.html").read_text()
    messages = " ".join(w.message for w in warnings)
    assert "<script>" in messages and "<style>" in messages and "javascript:" in messages


@pytest.mark.fast
def test_iframes_only_from_listed_hosts(make_site: MakeSite) -> None:
    body = (
        '<iframe src="https://player.vimeo.com/video/1" title="ok"></iframe>\n\n'
        '<iframe src="https://evil.example/x" title="no"></iframe>'
    )
    site = make_site({"articles/a.md": article("A", body=body)})
    warnings = warnings_of(site.build())
    page = site.page("2024/05/01/a/")
    assert page.attrs(f"{BODY}//iframe", "src") == ["https://player.vimeo.com/video/1"]
    assert [w.message for w in warnings] == [
        "removed an <iframe> from evil.example (not in markdown.iframe_hosts) from the body"
        " (markdown.html: sanitize in newsgen.yaml)"
    ]


@pytest.mark.fast
def test_html_true_keeps_raw_html_as_written(make_site: MakeSite) -> None:
    page = page_of(
        make_site, '<div class="x" style="color:red">Raw</div>', "markdown:\n  html: true\n"
    )
    assert page.attrs(f"{BODY}/div[@class='x']", "style") == ["color:red"]


@pytest.mark.parametrize(
    ("body", "levels"),
    [
        ("# One\n\n## Two\n\n### Three", ["h2", "h3", "h4"]),
        ("## One\n\n### Two", ["h2", "h3"]),
        ("### Only\n\n### Level", ["h2", "h2"]),
        ("# One\n\n### Skipped\n\n##### Again", ["h2", "h3", "h4"]),
    ],
)
def test_headings_start_at_h2_without_skipping(
    make_site: MakeSite, body: str, levels: list[str]
) -> None:
    page = page_of(make_site, body)
    headings = page.all(f"{BODY}/*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]")
    assert [h.tag for h in headings] == levels
    assert all(h.get("id") for h in headings)


def test_in_page_links_reach_heading_ids(make_site: MakeSite) -> None:
    page = page_of(make_site, "See [below](#the-vote).\n\n## The vote\n\nIt passed.\n\n## The vote")
    ids = page.attrs(f"{BODY}/h2", "id")
    assert ids == ["the-vote", "the-vote-1"]
    assert page.attrs(f"{BODY}//a", "href") == ["#the-vote"]


@pytest.mark.fast
def test_html_body_headings_and_ids(make_site: MakeSite) -> None:
    body = '<h1>Top</h1>\n<p>x</p>\n<h3 id="kept">Kept id</h3>\n<h3>Café &amp; bar</h3>'
    page = page_of(make_site, body, name="a.html")
    headings = page.all(f"{BODY}/*[self::h2 or self::h3]")
    assert [(h.tag, h.get("id")) for h in headings] == [
        ("h2", "top"),
        ("h3", "kept"),
        ("h3", "café--bar"),
    ]


@pytest.mark.fast
def test_footnotes(make_site: MakeSite) -> None:
    page = page_of(make_site, "A claim.[^1]\n\n[^1]: The source.")
    (ref,) = page.attrs(f"{BODY}//sup/a", "href")
    assert page.texts(f"{BODY}//*[@id='{ref[1:]}']/p")[0].startswith("The source.")


@pytest.mark.fast
def test_unknown_template_tags_are_warned_and_shown(make_site: MakeSite) -> None:
    body = "Line one.\n\n{% gallery %}\n\n{{ page.author }} and {{< gist x >}}\n\n`{% kept %}`"
    site = make_site({"articles/a.md": article("A", body=body)})
    warnings = warnings_of(site.build())
    assert [(w.line, w.message.split(" is ")[0]) for w in warnings] == [
        (8, "Liquid tag {% gallery %}"),
        (10, "Hugo shortcode {{< gist x >}}"),
        (10, "template expression {{ page.author }}"),
    ]
    text = site.page("2024/05/01/a/").text(BODY)
    assert "{% gallery %}" in text and "{% kept %}" in text


@pytest.mark.fast
def test_link_to_a_missing_article_is_a_warning(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A", body='[x]({{< ref "nowhere.md" >}})')})
    (warning,) = warnings_of(site.build())
    assert (warning.line, warning.message) == (
        6,
        "link to 'nowhere.md' names no article or page; it links nowhere (#)",
    )
    assert site.page("2024/05/01/a/").attrs(f"{BODY}//a", "href") == ["#"]


def test_no_shortcode_or_reference_can_carry_a_script_link(make_site: MakeSite) -> None:
    """References are resolved after sanitizing, and shortcode HTML is put back after it:
    neither may turn what an author wrote into a javascript: link."""
    body = "\n\n".join(
        [
            '{{< figure src="a.png" link="javascript:alert(1)" >}}',
            '{{< figure src="java\tscript:alert(2)" >}}',
            "[r](newsgen-ref:1:javascript%3Aalert%283%29)",
            '<a href="newsgen-ref:1:javascript%3Aalert%284%29">r</a>',
            "[z](@/javascript:alert%285%29)",
            "[l]({% link javascript:alert%286%29 %})",
            "Prose that mentions newsgen-ref:1:abc is left alone.",
        ]
    )
    picture = {"static/2024/05/01/a/a.png": picture_bytes()}  # the figure's, beside the page
    site = make_site({"articles/a.md": article("A", body=body), **picture})
    messages = sorted(w.message.split(" from the body")[0] for w in warnings_of(site.build()))
    assert messages == [
        "a link written as newsgen-ref:… is newsgen's own kind; it links nowhere",
        "link to 'javascript:alert%285%29' names no article or page; it links nowhere (#)",
        "link to 'javascript:alert%286%29' names no article or page; it links nowhere (#)",
        "removed javascript: links",
        "removed newsgen-ref: links",
    ]
    page = site.page("2024/05/01/a/")
    for value in page.attrs("//*[@href]", "href") + page.attrs("//*[@src]", "src"):
        assert "script" not in value.lower() and "alert" not in value, value
    assert "newsgen-ref:1:abc" in page.text(f"{BODY}/p[last()]")


def test_hugo_highlight_and_escaped_shortcodes(make_site: MakeSite) -> None:
    body = (
        '{{< highlight go >}}\nfmt.Println("hi")\n{{< /highlight >}}\n\nWrite {{</* ref "x" */>}}.'
    )
    page = page_of(make_site, body)
    assert page.attrs(f"{BODY}//pre/code", "class") == ["language-go"]
    assert page.texts(f"{BODY}/p") == ['Write {{< ref "x" >}}.']


def test_shortcodes_are_rendered_even_when_raw_html_is_escaped(make_site: MakeSite) -> None:
    page = page_of(
        make_site,
        '{{< figure src="a.png" caption="Cap" >}}',
        "markdown:\n  html: false\n",
        files={"static/2024/05/01/a/a.png": picture_bytes()},
    )
    assert page.texts(f"{BODY}//figcaption") == ["Cap"]


@pytest.mark.fast
def test_wire_copy_is_never_template_or_markup(make_site: MakeSite) -> None:
    page = page_of(make_site, "{{< figure src=x >}} and {% raw %}", name="a.txt")
    assert page.texts(f"{BODY}/p") == ["{{< figure src=x >}} and {% raw %}"]


def test_what_real_archives_write_around_their_tags(make_site: MakeSite) -> None:
    body = (
        "Use `{% raw %}{{ site.title }}{% endraw %}` in a layout.\n\n"  # raw inside a code span
        "```\n{% raw %}{{ page.url }}{% endraw %}\n```\n\n"  # raw inside a fence (Jekyll runs it)
        '{{< figure src = "wide.png" width = "300"'
        ' caption = "<strong>Bold</strong> caption" >}}\n\n'
        "{{< vimeo 759138370 >}}\n\n"
        "{{< comment >}}A note for editors{{< /comment >}}\n\n"
        "Posted by {{% param byline %}}."
    )
    site = make_site(
        {
            "articles/a.md": article("A", body=body, byline='"Jo Trelawny"'),
            "static/2024/05/01/a/wide.png": picture_bytes(),
        }
    )
    assert warnings_of(site.build()) == []
    page = site.page("2024/05/01/a/")
    assert page.texts(f"{BODY}/p/code") == ["{{ site.title }}"]
    assert page.texts(f"{BODY}/pre") == ["{{ page.url }}"]
    # The writer's width is kept, the height follows the picture's own 40 by 30.
    assert page.attrs(f"{BODY}//figure//img", "width") == ["300"]
    assert page.attrs(f"{BODY}//figure//img", "height") == ["225"]
    assert page.texts(f"{BODY}//figcaption/strong") == ["Bold"]
    assert page.attrs(f"{BODY}//iframe", "src") == ["https://player.vimeo.com/video/759138370"]
    assert "A note for editors" not in page.text(BODY)
    assert page.texts(f"{BODY}/p")[-1] == "Posted by Jo Trelawny."


def test_heading_ids_follow_the_links_the_archive_already_has(make_site: MakeSite) -> None:
    body = (
        "Jump to [what is next](#what-s-next), [the bugs](#unsound-issues-crab)"
        " or [the custom one](#mine).\n\n"
        "## What's next?\n\n## Unsound issues 🦀\n\n## Custom heading {#mine}\n\n## Plain"
    )
    page = page_of(make_site, body)
    assert page.attrs(f"{BODY}/h2", "id") == ["what-s-next", "unsound-issues-crab", "mine", "plain"]
    assert page.texts(f"{BODY}/h2")[2] == "Custom heading"


@pytest.mark.fast
def test_zola_internal_links(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/blog/first.md": article("First", body="See [the second](@/blog/second.md)."),
            "articles/blog/second.md": article("Second", date="2024-05-02"),
        }
    )
    assert warnings_of(site.build()) == []
    assert site.page("2024/05/01/first/").attrs(f"{BODY}//a", "href") == ["/2024/05/02/second/"]


@pytest.mark.parametrize(
    ("link", "config"),
    [
        ("[x](javascript:alert(1))", ""),
        ("[x](JavaScript:alert(1))", "markdown:\n  html: true\n"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "markdown:\n  html: false\n"),
        ('<a href="javascript:alert(1)">x</a>', ""),
    ],
)
def test_links_that_run_code_never_reach_a_page(
    make_site: MakeSite, link: str, config: str
) -> None:
    page = page_of(make_site, f"Click {link} now.", config)
    assert page.attrs(f"{BODY}//a", "href") in ([], [None])
    assert "alert" not in "".join(a.get("href") or "" for a in page.all("//a"))


def test_kramdown_heading_ids(make_site: MakeSite) -> None:
    page = page_of(make_site, "## Results {: #results-2024 .wide}\n\nText")
    assert page.attrs(f"{BODY}/h2", "id") == ["results-2024"]
    assert page.texts(f"{BODY}/h2") == ["Results"]


@pytest.mark.fast
def test_a_reference_by_its_path_finds_that_file_first(make_site: MakeSite) -> None:
    """`posts/` is a content root elsewhere, but here it is a folder of articles/."""
    body = '[p]({{< ref "posts/x.md" >}}) and [n]({{< ref "news/x.md" >}})'
    files = {
        "articles/posts/x.md": article("In posts", "2024-05-02", slug="in-posts"),
        "articles/news/x.md": article("In news", "2024-05-03", slug="in-news"),
        "articles/a.md": article("A", body=body),
    }
    site = make_site(files)
    assert warnings_of(site.build()) == []
    hrefs = site.page("2024/05/01/a/").attrs(f"{BODY}//a", "href")
    assert hrefs == ["/2024/05/02/in-posts/", "/2024/05/03/in-news/"]


def test_sanitizing_keeps_fallbacks_upgrades_players_and_names_what_it_drops(
    make_site: MakeSite,
) -> None:
    body = "\n".join(
        [
            "<p>Chart: <svg><text>Sales</text></svg></p>",
            '<img data-src="p.jpg" alt="Harbour"><noscript><img src="p.jpg" alt="Harbour">'
            "</noscript>",
            "<math><mi>x</mi></math>",
            '<iframe src="//www.youtube.com/embed/abc"></iframe>',
            '<iframe src="http://player.vimeo.com/video/1"></iframe>',
        ]
    )
    text = "---\ntitle: A\ndate: 2024-05-01 10:00\n---\n" + body + "\n"
    site = make_site(
        {"articles/a.html": text, "static/2024/05/01/a/p.jpg": picture_bytes(fmt="JPEG")}
    )
    warnings = warnings_of(site.build())
    assert sorted(w.message.split(" (")[0] for w in warnings) == [
        "removed <math> formulas",
        "removed an <svg> drawing",
    ]
    page = site.page("2024/05/01/a/")
    # The lazy-loading placeholder goes; the <noscript> fallback is the image shown.
    assert page.attrs(f"{BODY}//img", "src") == ["p.jpg"]
    assert page.attrs(f"{BODY}//iframe", "src") == [
        "https://www.youtube.com/embed/abc",
        "https://player.vimeo.com/video/1",
    ]


def test_template_tags_in_code_are_code_wherever_the_parser_sees_code(make_site: MakeSite) -> None:
    """Indented code blocks, and backticks that never pair up across paragraphs."""
    body = "\n".join(
        [
            "An example:",
            "",
            "    {{< youtube abc123xyz >}}",
            "",
            "Press the ` key.",
            "",
            "{{< tweet 1 >}}",
            "",
            "Press ` again.",
            "",
        ]
    )
    site = make_site({"articles/a.md": article("A", body=body)})
    warnings = warnings_of(site.build())
    assert [(w.line, w.message.split(" is ")[0]) for w in warnings] == [
        (12, "Hugo shortcode {{< tweet 1 >}}")
    ]
    page = site.page("2024/05/01/a/")
    assert page.all(f"{BODY}//iframe") == []
    assert page.texts(f"{BODY}//pre/code") == ["{{< youtube abc123xyz >}}"]


def test_heading_ids_never_repeat_one_written_or_a_footnotes(make_site: MakeSite) -> None:
    body = (
        "## Intro {#intro}\n\nx\n\n## Intro\n\n## Notes\n\nA claim.[^notes-1]\n\n[^notes-1]: Src.\n"
    )
    page = page_of(make_site, body)
    ids = page.attrs("//*[@id]", "id")
    assert len(ids) == len(set(ids)), ids
    assert page.attrs(f"{BODY}//h2", "id") == ["intro", "intro-1", "notes"]
    (ref,) = page.attrs(f"{BODY}//sup/a", "href")
    assert page.texts(f"{BODY}//*[@id='{ref[1:]}']/p") == ["Src."]


@pytest.mark.parametrize("name", ["a.md", "a.html"])
def test_characters_feeds_cannot_carry_are_dropped_aloud_however_written(
    make_site: MakeSite, name: str
) -> None:
    """`&#7;` or a raw control made by the Markdown parser would break every XML feed."""
    body = "Bell &#7; here, &#0; there, &#x80; and &#xD800;.\n"
    site = make_site({f"articles/{name}": article("A", body=body)})
    result = site.build()
    assert result.code == 0, result.stderr
    [warning] = warnings_of(result)
    assert "U+0007" in warning.message and warning.path == f"articles/{name}"
    feed = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    text = site.page("2024/05/01/a/").text(BODY)
    # Browsers show &#x80; as the euro sign (Windows-1252), in both kinds of body.
    assert text == "Bell here, \ufffd there, € and \ufffd."


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return news_site(tmp_path_factory)


# --- bodies of the news site, and markdown.html --------------------------------------------


def test_markdown_html_option(make_site: MakeSite) -> None:
    body = 'Before.\n\n<aside class="raw">Raw block</aside>\n\nAfter.'
    files = {"articles/a.md": article("A", "2024-01-01", body)}
    on = built(
        make_site(files, 'base_url: "https://example.org/"\nmarkdown:\n  html: true\n', "on")
    )
    off = built(
        make_site(files, 'base_url: "https://example.org/"\nmarkdown:\n  html: false\n', "off")
    )
    default = built(make_site(files, 'base_url: "https://example.org/"\n', "default"))
    assert on.page("2024/01/01/a/").texts("//main//aside[@class='raw']") == ["Raw block"]
    assert off.page("2024/01/01/a/").all("//main//aside") == []
    # sanitize, the default, keeps harmless markup.
    assert default.page("2024/01/01/a/").texts("//main//aside[@class='raw']") == ["Raw block"]


def test_markdown_tables_and_strikethrough(news: SiteDir) -> None:
    body = body_of(news.page(URL["Second report"]))
    assert [" ".join(th.itertext()).strip() for th in body.xpath(".//table//th")] == [
        "Ward",
        "Votes",
    ]
    assert [" ".join(td.itertext()).strip() for td in body.xpath(".//table//td")] == [
        "Harbour",
        "612",
        "Hill",
        "498",
    ]
    struck = body.xpath(".//s | .//del")
    assert ["".join(e.itertext()) for e in struck] == ["low"]
    # The title is the page's only <h1>: body headings start at <h2>.
    assert [h.text for h in body.xpath(".//h1 | .//h2")] == ["Reaction"]
    assert body.xpath(".//h2/text()") == ["Reaction"]


def test_wire_copy_lines_are_paragraphs_exactly_as_written(news: SiteDir) -> None:
    body = body_of(news.page(URL["Wire: ferry returns"]))
    assert ["".join(p.itertext()) for p in body] == WIRE_LINES
    assert [p.tag for p in body] == ["p"] * len(WIRE_LINES)
    assert all(len(p) == 0 for p in body), "wire copy produced markup"
