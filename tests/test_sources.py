"""Front matter as each generator writes it, and the one table that maps its keys to ours."""

from __future__ import annotations

import pytest
from conftest import HEADLINES, MakeSite, SiteDir, article, diagnostics, warnings_of

from newsgen.errors import BuildFailed


def built(site: SiteDir) -> SiteDir:
    assert warnings_of(site.build()) == []
    return site


def only_error(site: SiteDir) -> tuple[str, int | None, str]:
    result = site.build()
    assert result.code == 1, result.stderr
    errors, _ = diagnostics(result.stderr)
    assert len(errors) == 1, errors
    return errors[0].path, errors[0].line, errors[0].message


TOML = """\
+++
Title = "Harbour news in TOML"
date = 2024-05-01T10:00:00+02:00
lastmod = "2024-05-03"
tags = ["Harbour"]
categories = ["Town"]
description = "From the TOML file."
slug = "toml-story"
weight = 4
[extra]
colour = "blue"
+++
Body.
"""
JSON = """\
{
  "title": "Harbour news in JSON",
  "date": "2024-05-01",
  "Tags": ["Harbour", "json"],
  "excerpt": "From the JSON file."
}
Body.
"""
HEADERS = """\
Title: Harbour news with headers
Date: 2024-05-01 10:00
Tags: Harbour, headers
Category: Town
Summary: From the header lines.
Authors: Ann Smith, Bo Jones

Body.
"""


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "title", "tags", "summary"),
    [
        (TOML, "Harbour news in TOML", ["Harbour", "Town"], "From the TOML file."),
        (JSON, "Harbour news in JSON", ["Harbour", "json"], "From the JSON file."),
        (
            HEADERS,
            "Harbour news with headers",
            ["Harbour", "headers", "Town"],
            "From the header lines.",
        ),
    ],
)
def test_front_matter_dialects(
    make_site: MakeSite, text: str, title: str, tags: list[str], summary: str
) -> None:
    site = built(make_site({"articles/story.md": text}))
    (href,) = site.page("").attrs(HEADLINES + "/a", "href")
    page = site.page(href.lstrip("/"))
    assert page.text("//h1") == title
    assert page.texts("//a[@rel='tag']") == tags
    assert page.attrs("//meta[@name='description']", "content") == [summary]
    assert page.texts("//div[@class='body']/p") == ["Body."]


@pytest.mark.fast
def test_toml_fields_map_onto_ours(make_site: MakeSite) -> None:
    site = built(make_site({"articles/story.md": TOML}))
    page = site.page("2024/05/01/toml-story/")
    assert page.attrs("//article//time", "datetime")[0] == "2024-05-01T08:00:00+00:00"
    assert page.attrs("//span[@class='updated']/time", "datetime") == ["2024-05-03T00:00:00+00:00"]


@pytest.mark.fast
def test_header_authors_are_a_comma_separated_list(make_site: MakeSite) -> None:
    site = built(make_site({"articles/story.md": HEADERS}))
    page = site.page("2024/05/01/story/")
    assert page.texts("//span[@class='authors']") == ["By Ann Smith and Bo Jones"]


@pytest.mark.parametrize(
    ("meta", "draft"),
    [
        ("draft: true", True),
        ("published: false", True),
        ("status: draft", True),
        ("status: published", False),
        ("published: true", False),
    ],
)
def test_every_way_of_saying_draft(make_site: MakeSite, meta: str, draft: bool) -> None:
    site = built(make_site({"articles/a.md": f"---\ntitle: A\ndate: 2024-05-01\n{meta}\n---\nB\n"}))
    assert site.page("").texts(HEADLINES) == ([] if draft else ["A"])


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-5-1", "2024-05-01T00:00:00+00:00"),
        ('"2024-5-1 9:05"', "2024-05-01T09:05:00+00:00"),
        ('"2024/05/01"', "2024-05-01T00:00:00+00:00"),
        ('"2024-05-01 10:00:00 +0200"', "2024-05-01T08:00:00+00:00"),  # shown in the site zone
        ('"2024-05-01T10:00:00Z"', "2024-05-01T10:00:00+00:00"),
        ('"Wed, 01 May 2024 10:00:00 +0100"', "2024-05-01T09:00:00+00:00"),
    ],
)
def test_date_shapes(make_site: MakeSite, value: str, iso: str) -> None:
    site = built(make_site({"articles/a.md": f"---\ntitle: A\ndate: {value}\n---\nB\n"}))
    (href,) = site.page("").attrs(HEADLINES + "/a", "href")
    assert site.page(href.lstrip("/")).attrs("//article//time", "datetime")[0] == iso


@pytest.mark.fast
def test_date_from_the_url_key_when_nothing_else_dates_it(make_site: MakeSite) -> None:
    text = '+++\ntitle = "A"\npath = "news/2019/03/08/a-story"\n+++\nB\n'
    site = built(make_site({"articles/a.md": text}))
    page = site.page("news/2019/03/08/a-story/")
    assert page.attrs("//article//time", "datetime")[0].startswith("2019-03-08")


@pytest.mark.parametrize(
    ("key", "value", "url"),
    [
        ("url", "/Old/Path.html", "Old/Path.html"),
        ("permalink", "/2019/my-story/", "2019/my-story/"),
        ("path", "blog/my.story", "blog/my.story/"),
        ("save_as", "news/story/index.html", "news/story/"),
        ("url", "https://example.org/from/full/url/", "from/full/url/"),
    ],
)
def test_own_url_keys_win_over_the_permalink(
    make_site: MakeSite, key: str, value: str, url: str
) -> None:
    site = built(make_site({"articles/a.md": article("A", **{key: f'"{value}"'})}))
    assert site.page("").attrs(HEADLINES + "/a", "href") == ["/" + url]


@pytest.mark.parametrize("value", ["/../../etc/", "a/./b/", "javascript:alert(1)", "/"])
def test_unsafe_own_url_is_an_error_at_its_line(make_site: MakeSite, value: str) -> None:
    site = make_site({"articles/a.md": article("A", url=f'"{value}"')})
    assert only_error(site)[:2] == ("articles/a.md", 4)


def test_slug_from_title_and_explicit_slug_kept_as_written(make_site: MakeSite) -> None:
    config = 'base_url: "https://example.org/"\nslug_from: title\n'
    site = built(
        make_site(
            {
                "articles/2024-05-01-file-name.md": article("Harbour Wall Falls"),
                "articles/other.md": article("Other", date="2024-05-02", slug="Keep.This_Case"),
            },
            config,
        )
    )
    hrefs = sorted(site.page("").attrs(HEADLINES + "/a", "href"))
    assert hrefs == ["/2024/05/01/harbour-wall-falls/", "/2024/05/02/Keep.This_Case/"]


@pytest.mark.fast
def test_unknown_keys_stay_in_extra_for_templates(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A", layout="wide", weight="3", subtitle='"Sub"'),
            "templates/article.html": (
                '{% extends "!theme/article.html" %}'
                "{% block head %}{{ super() }}"
                '<meta name="x" content="{{ article.extra.subtitle }}/{{ article.extra.layout }}">'
                "{% endblock %}"
            ),
        }
    )
    assert warnings_of(site.build()) == []
    assert site.page("2024/05/01/a/").attrs("//meta[@name='x']", "content") == ["Sub/wide"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Just some text\n\nwith no front matter.\n", 1, "starts with 'Just some text'"),
        ("#+TITLE: Org\n#+DATE: 2024-05-01\n\nBody\n", 1, "Org-mode"),
        ('+++\ntitle = "A"\ndate = 2024-05-01\ntags = [\n+++\nB\n', 5, "invalid TOML"),
        ('+++\ntitle = "A"\n', 1, "never closed"),
        ('{\n  "title": "A",\n  "date": \n}\nBody\n', 4, "invalid JSON"),
        ("Date: 2024-05-01\nAuthor: Ann\n\nBody\n", 1, "Pelican-style headers (Date, Author)"),
        ("Title: A\nDate: 2024-05-01\nnot a header\n\nBody\n", 3, "neither a 'Key: value' header"),
    ],
)
def test_front_matter_newsgen_cannot_read_says_what_it_saw(
    make_site: MakeSite, text: str, line: int, words: str
) -> None:
    site = make_site({"articles/a.md": text})
    path, found_line, message = only_error(site)
    assert (path, found_line) == ("articles/a.md", line)
    assert words in message


def test_blank_lines_before_the_front_matter(make_site: MakeSite) -> None:
    text = b"\n\n---\ntitle: A\ndate: 2024-05-01\n---\nBody\n"  # bytes: written as they are
    site = built(make_site({"articles/a.md": text}))
    assert site.page("").texts(HEADLINES) == ["A"]
    broken = make_site({"articles/b.md": b"\n---\ntitle: [B\ndate: 2024-05-01\n---\n"}, name="b")
    assert only_error(broken)[:2] == ("articles/b.md", 3)


def test_a_date_with_trailing_junk_is_read_with_a_warning(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A", date="2023-01-29 18:30:22 2023 -0800")})
    (warning,) = warnings_of(site.build())
    assert (warning.line, warning.message) == (
        3,
        "'date' read as 2023-01-29 18:30:22; the rest ('2023 -0800') is ignored",
    )
    assert site.page("2023/01/29/a/").text("//h1") == "A"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('+++\ntemplate = "latest.html"\n+++\n', "neither a title nor a date"),
        ("---\nheadless: true\n---\n", "headless"),
        ("---\ntitle: T\ndate: 2024-05-01\n_build:\n  render: never\n---\n", "never-rendered"),
    ],
)
def test_files_that_are_not_pages_in_their_generator_are_warnings(
    make_site: MakeSite, text: str, words: str
) -> None:
    site = make_site({"articles/a.md": article("A"), "articles/odd.md": text})
    (warning,) = warnings_of(site.build())
    assert warning.path == "articles/odd.md"
    assert words in warning.message
    assert site.page("").texts(HEADLINES) == ["A"]


def test_hugo_translations_of_another_language_are_named(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/post/index.en.md": article("English"),
            "articles/post/index.es.md": article("Español"),
            "articles/other.md": article("Other", date="2024-03-01"),
            "articles/other.fr.md": article("Français"),
            "articles/third.en.md": article("Third", date="2024-05-02"),
            # Not translations: a name with a dot in it, or a language's code with no other
            # version of the article beside it (Hugo publishes it under that name too).
            "articles/why-node.js.md": article("Node", date="2024-04-01"),
            "articles/socket.io.md": article("Socket", date="2024-04-02"),
            "articles/trial-on-example.ca.md": article("Trial", date="2024-04-03"),
            # Another article whose name starts alike is not another version of it.
            "articles/example.de.md": article("Example", date="2024-02-01"),
            "articles/example.com-outage.md": article("Outage", date="2024-02-02"),
        }
    )
    warnings = warnings_of(site.build())
    assert sorted((w.path, w.message.split(";")[0]) for w in warnings) == [
        ("articles/other.fr.md", "is a translation (fr)"),
        ("articles/post/index.es.md", "is a translation (es)"),
    ]
    assert site.page("").attrs(HEADLINES + "/a", "href") == [
        "/2024/05/02/third/",
        "/2024/05/01/post/",
        "/2024/04/03/trial-on-example.ca/",
        "/2024/04/02/socket.io/",
        "/2024/04/01/why-node.js/",
        "/2024/03/01/other/",
        "/2024/02/02/example.com-outage/",
        "/2024/02/01/example.de/",
    ]


def test_aliases_redirect_and_bad_aliases_name_their_file(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A", aliases="[/old/a/, old-a.html]"),
            "articles/b.md": article("B", date="2024-05-02", redirect_from="/old/a/"),
            "articles/c.md": article("C", date="2024-05-03", aliases="[/2024/05/01/a/]"),
            "articles/d.md": article("D", date="2024-05-04", aliases='["/../../escape/"]'),
            "articles/e.md": article("E", date="2024-05-05", aliases='["/tags/"]'),
        }
    )
    result = site.build()
    errors, _ = diagnostics(result.stderr)
    assert sorted((e.path, e.message) for e in errors) == [
        ("articles/b.md", "alias /old/a/ would replace the alias /old/a/ of articles/a.md"),
        ("articles/c.md", "alias /2024/05/01/a/ would replace articles/a.md"),
        (
            "articles/d.md",
            "alias '/../../escape/' is not a path inside the site (no '..', same host)",
        ),
        ("articles/e.md", "alias /tags/ would replace the tag index"),
    ]
    assert not site.out.exists()


@pytest.mark.fast
def test_pelican_semicolons_and_author_objects(make_site: MakeSite) -> None:
    """Pelican splits on ';' when there is one (names may hold commas); Hugo and Jekyll
    themes write one author as a mapping."""
    site = built(
        make_site(
            {
                "articles/p.md": "Title: P\nDate: 2024-05-01\nAuthors: Roe, Jane; Doe, Jo\n"
                "Tags: sea; port, harbour\n\nBody.\n",
                "articles/y.md": "---\ntitle: Y\ndate: 2024-05-02\n"
                "author: {name: Ann Smith, email: ann@example.org}\n---\nBody.\n",
            }
        )
    )
    page = site.page("2024/05/01/p/")
    assert page.texts("//span[@class='authors']") == ["By Roe, Jane and Doe, Jo"]
    assert page.texts("//ul[@class='tags']/li") == ["sea", "port, harbour"]
    assert site.page("2024/05/02/y/").texts("//span[@class='authors']") == ["By Ann Smith"]


@pytest.mark.fast
def test_text_after_json_front_matter_is_an_error_not_lost(make_site: MakeSite) -> None:
    site = make_site({"articles/j.md": '{"title": "J", "date": "2024-05-01"} Lead words.\nMore.\n'})
    path, line, message = only_error(site)
    assert (path, line) == ("articles/j.md", 1)
    assert "'Lead words.'" in message


def test_pelican_metadata_between_dashes_that_is_not_yaml(make_site: MakeSite) -> None:
    """Pelican reads `Key: value` lines between '---' by the first colon; a title with a
    colon in it is not YAML, and Pelican published it."""
    text = "---\ntitle: DataFusion: A Query Engine\ndate: 2019-02-04\ntags: a, b\n---\nText.\n"
    site = make_site({"articles/df.md": text})
    warnings = site.build_here()
    assert [(w.path, w.line) for w in warnings] == [("articles/df.md", 2)]
    assert "read as 'Key: value' lines" in warnings[0].message
    page = site.page("2019/02/04/df/")
    assert page.text("//h1") == "DataFusion: A Query Engine"
    bad = "---\ntitle: A: B\n  - nested: [x\n---\nText.\n"
    site.write("articles/bad.md", bad)
    with pytest.raises(BuildFailed):
        site.build_here()


def test_a_toml_key_given_twice_is_named_at_its_second_line(make_site: MakeSite) -> None:
    """TOML allows a key once (Hugo and Zola stop there too); the error names both lines,
    even when the second is the last line before the closing +++."""
    site = make_site(
        {"articles/a.md": '+++\ntitle = "A"\ndate = 2024-05-01\ntitle = "B"\n+++\nBody.\n'}
    )
    result = site.build()
    assert result.code == 1
    assert "articles/a.md:4: 'title' is given twice, on lines 2 and 4" in result.stderr


def test_an_alias_and_its_index_html_are_one_redirect(make_site: MakeSite) -> None:
    site = make_site(
        {"articles/a.md": article("A", aliases='["/old/", "/old/index.html", "/old"]')}
    )
    assert warnings_of(site.build()) == []
    assert site.page("old/").attrs("//body//a", "href") == ["/2024/05/01/a/"]
