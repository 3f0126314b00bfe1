"""Heading ids as each generator makes them (`markdown.anchors`).

Every expected id here was worked out by hand from that generator's documented rules and
source (github-slugger; kramdown-parser-gfm; Goldmark's autoid; the slug crate; Python-
Markdown's toc slugify; markdown-it-anchor's slugify), not by running this code.
"""

from __future__ import annotations

import pytest
from conftest import MakeSite, Page, article
from hypothesis import given
from hypothesis import strategies as st

from newsgen.bodies import BodyOptions, render_markdown
from newsgen.bodies.anchors import _word_char, heading_ids, slug_github

pytestmark = pytest.mark.fast

STYLES = ("github", "jekyll", "hugo", "zola", "pelican", "eleventy")

SINGLE = [
    # heading as written      github / jekyll / hugo / zola / pelican / eleventy
    (
        "What's next?",
        ["whats-next", "whats-next", "whats-next", "what-s-next", "whats-next", "what's-next%3F"],
    ),
    ("C++ & C#", ["c--c", "c--c", "c--c", "c-c", "c-c", "c%2B%2B-%26-c%23"]),
    (
        "Q&A: 2.10 release",
        ["qa-210-release"] * 3 + ["q-a-2-10-release", "qa-210-release"] + ["q%26a%3A-2.10-release"],
    ),
    (
        "Café crème",
        [
            "café-crème",
            "café-crème",
            "café-crème",
            "cafe-creme",
            "cafe-creme",
            "caf%C3%A9-cr%C3%A8me",
        ],
    ),
    ("2024 review", ["2024-review"] * 6),
    (
        "Launch 🚀 day",
        [
            "launch--day",
            "launch--day",
            "launch--day",
            None,
            "launch-day",
            "launch-%F0%9F%9A%80-day",
        ],
    ),
    (
        "snake_case -- and dashes",
        [
            "snake_case----and-dashes",
            "snake_case--and-dashes",
            "snake_case--and-dashes",
            "snake-case-and-dashes",
            "snake_case-and-dashes",
            "snake_case----and-dashes",
        ],
    ),
    ("The `foo()` call", ["the-foo-call"] * 5 + ["the-foo()-call"]),
    (
        "Use `--force` now",
        ["use---force-now"] * 3 + ["use-force-now", "use-force-now"] + ["use---force-now"],
    ),
    (
        "Æther & Straße",
        [
            "æther--straße",
            "æther--straße",
            "æther--straße",
            "aether-strasse",
            "ther-strae",
            "%C3%A6ther-%26-stra%C3%9Fe",
        ],
    ),
    ("x² + y²", ["x--y", "x--y", "x--y", "x2-y2", "x2-y2", "x%C2%B2-%2B-y%C2%B2"]),
    (
        "--verbose flag",
        [
            "--verbose-flag",
            "verbose-flag",
            "verbose-flag",
            "verbose-flag",
            "-verbose-flag",
            "--verbose-flag",
        ],
    ),
    (
        "Version 2.0 (Beta)",
        ["version-20-beta"] * 3 + ["version-2-0-beta", "version-20-beta"] + ["version-2.0-(beta)"],
    ),
    (
        "HTML &amp; entities",
        [
            "html--entities",
            "html--entities",
            "html--entities",
            "html-entities",
            "html-entities",
            "html-%26-entities",
        ],
    ),
    (
        "Новости дня",
        [
            "новости-дня",
            "новости-дня",
            "новости-дня",
            None,
            "_1",
            "%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8-%D0%B4%D0%BD%D1%8F",
        ],
    ),
]
"""None: Zola transliterates with the deunicode crate, which newsgen does not carry
(docs/bodies.md)."""

DOCUMENTS = [
    (["Intro", "Intro", "Intro"], {
        "github": ["intro", "intro-1", "intro-2"],
        "jekyll": ["intro", "intro-1", "intro-2"],
        "hugo": ["intro", "intro-1", "intro-2"],
        "zola": ["intro", "intro-1", "intro-2"],
        "pelican": ["intro", "intro_1", "intro_2"],
        "eleventy": ["intro", "intro-1", "intro-2"],
    }),
    (["Intro 1", "Intro", "Intro"], {
        "github": ["intro-1", "intro", "intro-2"],
        "jekyll": ["intro-1", "intro", "intro-1"],  # Jekyll repeats an id here: as it does
        "hugo": ["intro-1", "intro", "intro-2"],
        "zola": ["intro-1", "intro", "intro-2"],
        "pelican": ["intro-1", "intro", "intro_1"],
        "eleventy": ["intro-1", "intro", "intro-2"],
    }),
    (["Step_1", "Step_1", "Step_2"], {
        "github": ["step_1", "step_1-1", "step_2"],
        "jekyll": ["step_1", "step_1-1", "step_2"],
        "hugo": ["step_1", "step_1-1", "step_2"],
        "zola": ["step-1", "step-1-1", "step-2"],
        "pelican": ["step_1", "step_2", "step_3"],
        "eleventy": ["step_1", "step_1-1", "step_2"],
    }),
]  # fmt: skip


def ids_of(style: str, markdown: str) -> list[str]:
    html = render_markdown(markdown, 1, BodyOptions(anchors=style)).html
    page = Page.parse(f"<!doctype html><title>t</title><div>{html}</div>")
    return page.attrs("//h2", "id")


@pytest.mark.parametrize(("heading", "expected"), SINGLE, ids=[h for h, _ in SINGLE])
def test_one_heading_in_each_style(heading: str, expected: list[str | None]) -> None:
    for style, wanted in zip(STYLES, expected, strict=True):
        if wanted is not None:
            assert ids_of(style, f"## {heading}\n") == [wanted], style


@pytest.mark.parametrize("style", STYLES)
def test_repeats_are_numbered_as_each_generator_numbers_them(style: str) -> None:
    for headings, expected in DOCUMENTS:
        markdown = "".join(f"## {h}\n\n" for h in headings)
        assert ids_of(style, markdown) == expected[style], headings


def test_the_id_for_a_heading_with_no_letters() -> None:
    assert heading_ids("hugo", ["!!!", "!!!"]) == ["heading", "heading-1"]
    assert heading_ids("pelican", ["!!!"]) == ["_1"]
    # github and Zola would write an empty id; a heading always gets one a link can use.
    assert ids_of("github", "## !!!\n") == ["section"]


def test_the_setting_reaches_the_pages(make_site: MakeSite) -> None:
    config = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
    site = make_site(
        {"articles/a.md": article("A", body="## What's next?\n\n[down](#what-s-next)\n")},
        config + "markdown:\n  anchors: zola\n",
    )
    assert site.build_here() == []
    assert site.page("2024/05/01/a/").attrs("//div[@class='body']/h2", "id") == ["what-s-next"]


def test_the_spelling_more_links_use_wins() -> None:
    """An archive moved twice links to a heading by two spellings: keep the common one."""
    body = (
        "### Issues (🦀)\n\nSee [a][x], [b][x] and [c][x].\n\n[x]: #issues-crab\n\n"
        '<a href="#issues-">old</a>\n'
    )
    assert ids_of("zola", body) == ["issues-crab"]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_github_ids_of_ascii_text_are_those_of_the_per_character_rule(text: str) -> None:
    """github-slugger's rule (letters, digits and `_` kept, spaces made `-`), which ASCII
    headings take without a Unicode lookup per character."""
    kept = (ch for ch in text.lower() if ch in " -" or _word_char(ch))
    assert slug_github(text) == "".join("-" if ch == " " else ch for ch in kept)
