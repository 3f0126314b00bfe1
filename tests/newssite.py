"""The small news site that article, listing, body, discovery and site-wide tests read, and
helpers to read its pages.

Five published articles and a draft, in Markdown and wire copy, at several depths, with
non-ASCII names and tags, under a base_url with a path. Each module that reads it builds it
once, in a module-scoped fixture of its own:

    @pytest.fixture(scope="module")
    def news(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
        return news_site(tmp_path_factory)
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from conftest import Page, SiteDir, article
from lxml import etree

BASE_URL = "https://example.org/news/"
BASE_PATH = "/news/"
NEWS_CONFIG = """\
title: "Harbour & Hill News"
description: "Local news: harbour, hill and town."
base_url: "https://example.org/news/"
language: "en-GB"
timezone: "Europe/Berlin"
per_page: 2
author: "Newsroom"
"""

# Wire copy with curly quotes, an em dash, a pound sign, markup-like text, consecutive lines and
# an opening quote never closed on the last line, which has no newline after it.
WIRE_LINES = [
    "Harbour ferry “Morning Star” returns — fares rise to £4.50.",
    "The skipper said: \u2018It\u2019s been a long winter\u2019 & the crew agreed.",
    "<b>Not bold</b>, *not emphasis*, [not a link](x.html) and 3 < 4 stay as typed.",
    "# Not a heading",
    "- not a list item",
    "A passenger on the quay added: “We\u2019ll believe it when we see",
]
WIRE_BODY = "\n".join([WIRE_LINES[0], "", WIRE_LINES[1], WIRE_LINES[2], "   ", "", *WIRE_LINES[3:]])

LONG_PARAGRAPH = " ".join(
    f"The council met again on day {n} to discuss the harbour wall and its repairs."
    for n in range(1, 8)
)

NEWS_FILES: dict[str, str | bytes] = {
    # Oldest: an ISO date, no author (the config's default), the first spelling "Defence".
    "articles/2019/2019-03-01-First_Story, Part 1.md": article(
        "First story",
        "2019-03-01",
        LONG_PARAGRAPH + "\n\nSecond paragraph.",
        tags="[Defence, Harbour]",
    ),
    # Deeply nested; the offset form of docs/articles.md; tags as a string; a given summary.
    "articles/2019/05/deep/nested/2019-05-13-second-report.md": article(
        "Second report",
        "2019-05-13 10:00:00 +0200",
        "Turnout was ~~low~~ high this year.\n\n"
        "| Ward | Votes |\n|------|------:|\n| Harbour | 612 |\n| Hill | 498 |\n\n"
        "# Reaction\n\nCandidates spoke.",
        tags='"defence, Zürich"',
        author='"Jane Doe"',
        summary='"Given summary: short & sweet."',
    ),
    # No date: the file name's prefix gives it. Non-ASCII name, several authors.
    "articles/2019-06-02-café-müller.md": article(
        "Café Müller reopens",
        "x",
        "The café is open.",
        tags="[DEFENCE, Москва]",
        authors='["Ann One", "Bob Two"]',
    ).replace("date: x\n", ""),
    # Wire copy with a Cyrillic file name and a naive datetime (read in the site timezone).
    "articles/2019-07-04-новости.txt": (
        '---\ntitle: "Wire: ferry returns"\ndate: 2019-07-04 10:00\ntags: Москва\n---\n' + WIRE_BODY
    ).encode("utf-8"),
    # Newest: an offset other than the site's, a given slug, `updated`, an unknown key.
    "articles/z.md": article(
        '"Fifth: colon & ampersand"',
        "2019-08-01T03:00:00-04:00",
        "Fifth body.",
        slug="custom-slug",
        updated="2019-08-02 12:00",
        tags="[Harbour]",
        subtitle='"A subtitle for templates"',
    ),
    # A draft, newer than everything else: only with --drafts.
    "articles/draft.md": article(
        "Unpublished draft", "2019-09-01", "Secret.", draft="true", tags="[Drafty]"
    ),
}

# Published articles, newest first: (url relative to base_url, title).
NEWS_ARTICLES = [
    ("2019/08/01/custom-slug/", "Fifth: colon & ampersand"),
    ("2019/07/04/новости/", "Wire: ferry returns"),
    ("2019/06/02/café-müller/", "Café Müller reopens"),
    ("2019/05/13/second-report/", "Second report"),
    ("2019/03/01/First_Story,-Part-1/", "First story"),
]
NEWS_TITLES = [title for _, title in NEWS_ARTICLES]
URL = dict((title, url) for url, title in NEWS_ARTICLES)


def new_site(root: Path, files: dict[str, str | bytes], config: str | None) -> SiteDir:
    """The same site make_site writes, for module-scoped fixtures."""
    site = SiteDir(root)
    (root / "articles").mkdir(parents=True, exist_ok=True)
    if config is not None:
        site.write("newsgen.yaml", config)
    for rel, content in files.items():
        site.write(rel, content)
    return site


def built(site: SiteDir, *extra: str) -> SiteDir:
    result = site.build(*extra)
    assert result.code == 0, result.stderr
    return site


def news_site(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    """The news site, built in a folder of its own."""
    return built(new_site(tmp_path_factory.mktemp("news") / "site", NEWS_FILES, NEWS_CONFIG))


# --- reading its pages ---------------------------------------------------------------------


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def url_of(out: Path, file: Path, base_url: str) -> str:
    """The absolute URL that serves a built file."""
    rel = file.relative_to(out).as_posix().removesuffix("index.html")
    return base_url + quote(rel)


def file_for(out: Path, base_path: str, url_path: str) -> Path | None:
    """The built file a URL path (percent-encoded) is served from, or None outside base_path."""
    path = unquote(url_path)
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path) :]
    target = out / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def listing(page: Page) -> list[dict[str, str]]:
    """The articles a listing page shows: title, link, date and summary."""
    items = []
    for item in page.all("//main//article"):
        link = item.xpath(".//*[@class='headline']/a")[0]
        summary = item.xpath(".//p[@class='summary']")
        items.append(
            {
                "title": "".join(link.itertext()),
                "href": link.get("href"),
                "datetime": item.xpath(".//time/@datetime")[0],
                "summary": "".join(summary[0].itertext()) if summary else "",
            }
        )
    return items


def rel_link(page: Page, rel: str) -> str | None:
    """The href of the page's only link with this rel, or None."""
    found = page.attrs(f"//main//a[@rel='{rel}']", "href")
    assert len(found) <= 1, f"{len(found)} links with rel={rel}"
    return found[0] if found else None


def body_of(page: Page) -> etree._Element:
    found = page.all("//main//article//div[@class='body']")
    assert len(found) == 1
    return found[0]


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locs(out: Path) -> set[str]:
    tree = etree.parse(str(out / "sitemap.xml"))
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    assert len(locs) == len(set(locs)), "duplicate URLs in the sitemap"
    return set(locs)


def feed_titles(out: Path) -> list[str]:
    tree = etree.parse(str(out / "feed.xml"))
    return tree.xpath("//item/title/text()")
