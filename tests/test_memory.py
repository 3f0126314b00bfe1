"""What a build keeps in memory: what it no longer needs is let go (issue 16).

Workers parse thousands of bodies with the cyclic garbage collector off (as the build runs),
so a parse must leave no reference cycle behind: each would stay until the worker ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from newsgen.bodies import BodyOptions, render_html, render_markdown
from newsgen.discover import SourceFile
from newsgen.loader import parse_file
from newsgen.models import SiteConfig


@pytest.fixture
def no_cyclic_gc() -> Iterator[None]:
    """The collector off, as in a build; what is left unreachable is counted by the test."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


BODY = (
    '# Heading\n\nSome *text* with "quotes" and a [link](https://example.org/).\n\n'
    '{{< figure src="a.png" caption="A **caption**" >}}\n\n'
    "{{% note %}}\nInner *markdown*\n{{% /note %}}\n\n{{ page.title }}\n"
)


@pytest.mark.fast
@pytest.mark.usefixtures("no_cyclic_gc")
def test_a_body_leaves_no_reference_cycles() -> None:
    options = BodyOptions(smart_quotes=True)
    for _ in range(3):
        render_markdown(BODY, 1, options, {"title": "T"})
        render_html("<p>An <em>HTML</em> body</p>", 1, options, {"title": "T"})
    assert gc.collect() == 0


@pytest.mark.fast
@pytest.mark.usefixtures("no_cyclic_gc")
def test_a_parsed_article_leaves_no_reference_cycles(tmp_path: Path) -> None:
    data = f"---\ntitle: A\ndate: 2024-05-01\ntags: [x, y]\n---\n{BODY}".encode()
    rel = PurePosixPath("articles/a.md")
    src = SourceFile(tmp_path / rel, rel)
    loaded = parse_file(data, src, SiteConfig(), "article")
    assert loaded.item is not None
    assert gc.collect() == 0
