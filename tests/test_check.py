"""`newsgen check`: every rule on a small site made to break it, through the CLI."""

from __future__ import annotations

import json

import pytest
from conftest import MakeSite, SiteDir, article, run_newsgen

pytestmark = pytest.mark.fast

CONFIG = 'title: "T"\nbase_url: "https://example.org/news/"\nsearch: false\n'


def check(site: SiteDir, *args: str) -> tuple[int, list[tuple[str, int | None, str, str]]]:
    """Exit code and the findings as (path, line, level, message), from --format json."""
    result = run_newsgen("check", site.root, "--format", "json", *args)
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    found = [(p["path"], p["line"], p["level"], p["message"]) for p in data["problems"]]
    assert data["errors"] == sum(1 for f in found if f[2] == "error")
    assert data["warnings"] == sum(1 for f in found if f[2] == "warning")
    return result.code, found


def messages_for(found: list, path: str) -> list[tuple[int | None, str, str]]:
    return [(line, level, message) for p, line, level, message in found if p == path]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    site = SiteDir(tmp_path_factory.mktemp("check"))
    site.write("newsgen.yaml", CONFIG)
    site.write(
        "articles/2024-05-01-links.md",
        article(
            "Links",
            "2024-05-01 10:00",
            "\n".join(
                [
                    "[fine](../../02/other/) and [fine too](/news/tags/ukraine/)",
                    "[static](/news/static/style.css) [bundle](../../03/bundle/chart.png)",
                    "[gone](../../09/nothing/) and [no id](../../02/other/#missing)",
                    "[an id](../../02/other/#background) [outside](https://elsewhere.example/x)",
                    "![lost](/news/static/lost.png)",
                    "",
                ]
            ),
            tags="[Ukraine]",
        ),
    )
    site.write(
        "articles/2024-05-02-other.md",
        article("Other", "2024-05-02 10:00", "## Background\n\nText.\n", tags="[ukraine]"),
    )
    site.write(
        "articles/2024-05-03-bundle/index.md",
        article("Bundle", "2024-05-03 10:00", "![chart](chart.png)\n", tags="[Ukriane, Québec]"),
    )
    site.write("articles/2024-05-03-bundle/chart.png", b"\x89PNG\r\n\x1a\n")
    site.write("articles/2024-05-04-q.md", article("Quebec vote", tags="[Quebec]"))
    site.write("articles/2024-05-05-dup.md", article("Links", "2024-05-05 10:00"))
    site.write("articles/2099-01-01-future.md", article("Tomorrow's news", "2099-01-01 10:00"))
    site.write(
        "articles/2024-05-06-shortcode.md",
        article("Tweet", "2024-05-06 10:00", "Before.\n\n{{< tweet user=x id=1 >}}\n"),
    )
    return site


def test_each_rule_finds_what_it_should(site: SiteDir) -> None:
    code, found = check(site)
    assert code == 0  # warnings only
    links = messages_for(found, "articles/2024-05-01-links.md")
    assert links == [
        (9, "warning", "link to ../../02/other/#missing: /2024/05/02/other/ has no #missing"),
        (
            9,
            "warning",
            "link to ../../09/nothing/ leads nowhere in the site (/2024/05/09/nothing/ is not"
            " built)",
        ),
        (11, "warning", "image /news/static/lost.png is missing (/static/lost.png is not built)"),
    ]
    tags = [f for f in found if "looks like" in f[3]]
    assert sorted((path, message.split(" (")[0]) for path, _, _, message in tags) == [
        ("articles/2024-05-02-other.md", "tag 'ukraine'"),
        ("articles/2024-05-03-bundle/index.md", "tag 'Québec'"),
        ("articles/2024-05-03-bundle/index.md", "tag 'Ukriane'"),
    ]
    assert messages_for(found, "articles/2024-05-05-dup.md") == [
        (None, "warning", "has the same title as articles/2024-05-01-links.md")
    ]
    [(line, level, message)] = messages_for(found, "articles/2099-01-01-future.md")
    assert (line, level) == (3, "warning") and "dated in the future" in message
    [(line, level, message)] = messages_for(found, "articles/2024-05-06-shortcode.md")
    assert (line, level) == (8, "warning") and "tweet" in message
    assert not (site.root / "build").exists(), "check writes no output"


def test_text_output_exit_codes_and_strict(site: SiteDir) -> None:
    result = run_newsgen("check", site.root)
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("Checked 7 articles and 0 pages in ")
    assert lines[-1].endswith(": 0 errors, 9 warnings")
    assert "articles/2024-05-05-dup.md: warning: has the same title as" in result.stdout
    assert run_newsgen("check", site.root, "--strict").code == 1


def test_errors_are_what_the_build_would_reject(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": "---\ntitle: A\ndate: not a date\n---\nx\n",
        "articles/b.md": article("B"),
        "templates/base.html": "{% block content %}\n{{ oops\n",
    }
    site = make_site(files, CONFIG + "per_page: lots\n")
    code, found = check(site)
    assert code == 1
    errors = {(p, line) for p, line, level, _ in found if level == "error"}
    assert errors == {("articles/a.md", 3), ("newsgen.yaml", 4), ("templates/base.html", 2)}
    text = run_newsgen("check", site.root).stdout
    assert "articles/a.md:3: error: 'date' is not a valid date" in text


def test_summaries_and_alt_text_when_the_config_asks(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": article("A", body="![](/news/static/style.css)\n\nText.\n"),
        "articles/b.md": article("B", "2024-05-02", summary="Written.", body="No image.\n"),
    }
    site = make_site(files, CONFIG)
    assert check(site) == (0, [])
    site.write("newsgen.yaml", CONFIG + "check:\n  summaries: true\n  alt_text: true\n")
    code, found = check(site)
    assert code == 0
    assert found == [
        ("articles/a.md", None, "warning", "has no summary"),
        (
            "articles/a.md",
            6,
            "warning",
            "image /news/static/style.css has no alt text: screen readers cannot describe it",
        ),
    ]
