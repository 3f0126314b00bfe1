"""Straight quotes typed in an editor read like wire copy's curly ones, in the site's language."""

from __future__ import annotations

import pytest
from conftest import MakeSite, Page, article

from newsgen.bodies import BodyOptions, render_markdown

pytestmark = pytest.mark.fast

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
    ("markdown", "expected"),
    [
        ("O'Brien's \"book\"", "<p>O’Brien’s “book”</p>"),
        ("the boys' toys", "<p>the boys’ toys</p>"),
        ('<em>"</em>x<em>"</em>', "<p><em>“</em>x<em>”</em></p>"),
        ("&quot;amp&quot; &amp; co", "<p>“amp” &amp; co</p>"),
        ("<!-- a -- b -->\n\na -- b", "<p>a – b</p>"),
        (
            "    'x' -- \"y\"\n\n'z'",
            '<pre tabindex="0"><code>\'x\' -- "y"\n</code></pre>\n<p>‘z’</p>',
        ),
        ("`'a' -- b` 'c'", "<p><code>'a' -- b</code> ‘c’</p>"),
        ("<span title=\"'q'\">'y'</span>", "<p><span title=\"'q'\">‘y’</span></p>"),
        ("<script>var a = '--';</script>\n\n'x'", "<p>‘x’</p>"),
    ],
)
def test_quotes_touch_text_only(markdown: str, expected: str) -> None:
    """Quotes are a pass over text tokens: code, attributes, comments and scripts never
    reach it, and quotes split by inline markup still pair up."""
    body = render_markdown(markdown, options=BodyOptions(smart_quotes=True))
    assert str(body.html).strip() == expected
