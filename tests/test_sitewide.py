"""The built site as a whole: what holds on every page (valid HTML5, the site's language and
title, links that resolve), an empty site, and builds that are reproducible."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import html5lib
import pytest
from conftest import MakeSite, Page, SiteDir, article, run_newsgen
from lxml import etree
from newssite import BASE_URL, built, file_for, html_files, news_site, url_of


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return news_site(tmp_path_factory)


# --- every page ----------------------------------------------------------------------------


@pytest.mark.fast
def test_config_title_description_and_language_reach_every_page(news: SiteDir) -> None:
    for file in html_files(news.out):
        page = Page.parse(file.read_bytes())
        assert page.attrs("/html", "lang") == ["en-GB"], file
    home = news.page("")
    assert home.text("//title") == "Harbour & Hill News"
    assert home.attrs("//meta[@name='description']", "content") == [
        "Local news: harbour, hill and town."
    ]


@pytest.mark.fast
def test_every_page_is_valid_html5(news: SiteDir) -> None:
    files = html_files(news.out)
    assert len(files) >= 14
    for file in files:
        data = file.read_bytes()
        name = file.relative_to(news.out).as_posix()
        assert re.match(rb"\s*<!doctype html>", data, re.IGNORECASE), name
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
        page = Page.parse(data)
        assert page.attrs("/html", "lang") == ["en-GB"], name
        assert [c.lower() for c in page.attrs("//head/meta[@charset]", "charset")] == ["utf-8"]
        viewport = page.attrs("//head/meta[@name='viewport']", "content")
        assert len(viewport) == 1 and "width=device-width" in viewport[0], name
        assert page.text("//head/title").strip(), name
        assert len(page.all("//h1")) == 1, name


def broken_links(out: Path, base_url: str) -> tuple[int, list[str]]:
    """Follow every href and src of every page; return (links checked, problems)."""
    base = urlsplit(base_url)
    checked, problems = 0, []
    for file in html_files(out):
        here = url_of(out, file, base_url)
        page = Page.parse(file.read_bytes())
        for link in page.attrs("//*[@href]", "href") + page.attrs("//*[@src]", "src"):
            parts = urlsplit(link)
            if not parts.path:  # "#main": a fragment of this page
                continue
            if not parts.scheme and not parts.netloc and not link.startswith(base.path):
                problems.append(f"{file.relative_to(out)}: {link} is not under {base.path}")
            target = urlsplit(urljoin(here, link))
            if target.netloc != base.netloc:
                continue  # another site
            checked += 1
            served = file_for(out, base.path, target.path)
            if served is None or not served.is_file():
                problems.append(f"{file.relative_to(out)}: {link} does not resolve")
    return checked, problems


@pytest.mark.fast
def test_every_internal_link_is_under_the_base_path_and_resolves(news: SiteDir) -> None:
    checked, problems = broken_links(news.out, BASE_URL)
    assert problems == []
    assert checked > 100


# --- an empty site -------------------------------------------------------------------------


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.mark.fast
def test_empty_articles_dir_builds_a_valid_empty_site(make_site: MakeSite) -> None:
    site = make_site()
    result = site.build()
    assert result.code == 0, result.stderr
    for name in (
        "index.html",
        "tags/index.html",
        "feed.xml",
        "atom.xml",
        "sitemap.xml",
        "404.html",
    ):
        assert (site.out / name).is_file(), name
    assert site.page("").all("//main//article") == []
    assert site.page("tags/").all("//ul[@class='tag-index']") == []
    for name, version in (("feed.xml", "rss20"), ("atom.xml", "atom10")):
        feed = feedparser.parse((site.out / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        assert feed.entries == []
    sitemap = etree.fromstring((site.out / "sitemap.xml").read_bytes())
    assert sitemap.tag == f"{SITEMAP}urlset"
    locs = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert locs == [
        "https://example.org/",
        "https://example.org/tags/",
        "https://example.org/archive/",
        "https://example.org/authors/",
    ]


# --- reproducible builds -------------------------------------------------------------------


def test_builds_are_byte_identical_and_free_of_the_wall_clock(
    news: SiteDir, tmp_path: Path
) -> None:
    first = news.snapshot()
    time.sleep(1.1)
    again = SiteDir(tmp_path / "again")
    result = run_newsgen("build", news.root, "-o", again.out)
    assert result.code == 0, result.stderr
    second = again.snapshot()
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    # The articles are from 2019: today's date must appear nowhere.
    months = "January February March April May June July August September October November December"
    for today in {date.today(), datetime.now(UTC).date()}:
        stamps = [
            today.isoformat(),
            f"{today.day} {months.split()[today.month - 1]} {today.year}",
            f"{today.day:02d} {months.split()[today.month - 1][:3]} {today.year}",
        ]
        for name, data in first.items():
            text = data.decode("utf-8", "replace")
            assert not [s for s in stamps if s in text], name


@pytest.mark.fast
def test_build_does_not_depend_on_file_discovery_order(make_site: MakeSite) -> None:
    """Equal dates: the order is still total, so renaming the files changes nothing."""
    files = {
        f"articles/{n}.md": article(f"Same {n}", "2024-01-01 10:00", slug=f"s{n}") for n in "ab"
    }
    one = built(make_site(files, name="one"))
    two = built(make_site({k.replace("a.md", "c.md"): v for k, v in files.items()}, name="two"))
    assert one.snapshot() == two.snapshot()
