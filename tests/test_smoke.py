"""The shortest path through the product: one article in, one page out, by the command a
user types (a process of its own; the other tests run the CLI in process)."""

import pytest
from conftest import MakeSite, article, run_process

pytestmark = pytest.mark.fast


def test_one_article_builds_to_its_permalink(make_site: MakeSite) -> None:
    site = make_site({"articles/2024-05-01-hello.md": article("Hello & <World>")})
    result = run_process("build", site.root)
    assert result.code == 0, result.stderr
    page = site.page("2024/05/01/hello/")
    assert page.text("//h1") == "Hello & <World>"
    assert page.attrs("//time", "datetime")[0] == "2024-05-01T10:00:00+00:00"
