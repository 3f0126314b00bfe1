"""Straight quotes typed in an editor read like wire copy's curly ones, in the site's language."""

from __future__ import annotations

import pytest
from conftest import MakeSite, Page, article

from newsgen.typography import smarten

BODY = """\
"Rates won't rise," she said -- and the '90s are 'over'...

The 2010---2020 figures.

`don't "touch" -- code`

```
print("kept 'as is' -- here")
```

<a href="/x" title="'quoted'">a "link"</a>
"""


def body_texts(page: Page) -> list[str]:
    """Each paragraph's text exactly (no whitespace folding: French uses U+202F)."""
    return ["".join(p.itertext()).strip() for p in page.all("//div[@class='body']/p")]


@pytest.mark.parametrize(
    ("language", "first"),
    [
        ("en", "“Rates won’t rise,” she said – and the ’90s are ‘over’…"),
        ("en-GB", "“Rates won’t rise,” she said – and the ’90s are ‘over’…"),
        ("de", "„Rates won’t rise,“ she said – and the ’90s are ‚over‘…"),
        ("fr", "«\u202fRates won’t rise,\u202f» she said – and the ’90s are ‹\u202fover\u202f›…"),
    ],
)
def test_markdown_gets_the_quotes_of_the_site_language(
    make_site: MakeSite, language: str, first: str
) -> None:
    config = f'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nlanguage: {language}\n'
    site = make_site({"articles/a.md": article("A", body=BODY)}, config)
    assert site.build().code == 0
    page = site.page("2024/05/01/a/")
    texts = body_texts(page)
    assert texts[0] == first
    assert texts[1] == "The 2010—2020 figures."
    # Code, attributes and markup stay exactly as typed.
    assert page.texts("//div[@class='body']//code") == [
        'don\'t "touch" -- code',
        "print(\"kept 'as is' -- here\")",
    ]
    assert page.attrs("//div[@class='body']//a", "title") == ["'quoted'"]


def test_wire_copy_and_the_switch_keep_text_as_written(make_site: MakeSite) -> None:
    wire = 'title: Wire\ndate: 2024-05-01 10:00\n\n"Straight" quotes -- and it\'s kept...\n'
    site = make_site({"articles/wire.txt": wire, "articles/md.md": article("Md", body=BODY)})
    assert site.build().code == 0
    assert body_texts(site.page("2024/05/01/wire/")) == ['"Straight" quotes -- and it\'s kept...']
    site.write(
        "newsgen.yaml",
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nsmart_quotes: false\n',
    )
    assert site.build().code == 0
    assert body_texts(site.page("2024/05/01/md/"))[0] == (
        "\"Rates won't rise,\" she said -- and the '90s are 'over'..."
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>O'Brien's \"book\"</p>", "<p>O’Brien’s “book”</p>"),
        ("<p>the boys' toys</p>", "<p>the boys’ toys</p>"),
        ('<p><em>"</em>x<em>"</em></p>', "<p><em>“</em>x<em>”</em></p>"),
        ("<p>&quot;amp&quot; &amp; co</p>", "<p>“amp” &amp; co</p>"),
        ("<!-- a -- b --><p>a -- b</p>", "<!-- a -- b --><p>a – b</p>"),
        (
            "<pre><code>'x' -- \"y\"</code></pre><p>'z'</p>",
            "<pre><code>'x' -- \"y\"</code></pre><p>‘z’</p>",
        ),
        ("<script>var a = '--';</script>", "<script>var a = '--';</script>"),
    ],
)
def test_smarten_touches_text_only(html: str, expected: str) -> None:
    assert smarten(html, "en") == expected
