"""RSS 2.0 at /feed.xml and Atom 1.0 at /atom.xml: the newest 50 articles, absolute links."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from conftest import Page, SiteDir, article
from lxml import etree

BASE_URL = "https://example.org/news/"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
COUNT = 55
FEED_SIZE = 50
IST = timezone(timedelta(hours=5, minutes=30))
# Titles that must survive XML escaping unchanged; YAML single quotes keep them verbatim.
SPECIAL_TITLES = {
    30: "Rates & <Rents> \"up\" 'again'",
    47: "Fish &amp; chips: &lt;not&gt; an entity",
    55: "Café “Müller” — £4 <br/> ]]> end",
}


def title_of(n: int) -> str:
    return SPECIAL_TITLES.get(n, f"Story {n:02d}")


def date_of(n: int) -> datetime:
    """Story n is n days after New Year 2019, at 10:00 India time (not the site's UTC)."""
    return datetime(2019, 1, 1, 10, 0, tzinfo=IST) + timedelta(days=n)


def url_of(n: int) -> str:
    day = date_of(n)
    return f"{BASE_URL}{day:%Y/%m/%d}/story-{n:02d}/"


# The feed's stories, newest first: the oldest five fall out.
EXPECTED = list(range(COUNT, COUNT - FEED_SIZE, -1))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    site = SiteDir(tmp_path_factory.mktemp("feeds"))
    site.write(
        "newsgen.yaml",
        'title: "Feeds & <Things>"\ndescription: "All the news"\nbase_url: "https://example.org/news/"\n',
    )
    for n in range(1, COUNT + 1):
        title = title_of(n).replace("'", "''")
        site.write(
            f"articles/story-{n:02d}.md",
            article(f"'{title}'", date_of(n).isoformat(), f"Body of story {n}.", tags="[Feeds]"),
        )
    result = site.build()
    assert result.code == 0, result.stderr
    return site


def parsed(site: SiteDir, name: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site.out / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def xml(site: SiteDir, name: str) -> etree._ElementTree:
    return etree.parse(str(site.out / name))


def served(site: SiteDir, url: str) -> Path:
    """The built file an absolute URL of the site is served from."""
    assert url.startswith(BASE_URL), url
    rel = unquote(urlsplit(url).path)[len("/news/") :]
    target = site.out / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def test_rss_is_rss_2_0_with_the_newest_50_newest_first(site: SiteDir) -> None:
    feed = parsed(site, "feed.xml")
    assert feed.version == "rss20"
    assert [e.link for e in feed.entries] == [url_of(n) for n in EXPECTED]
    assert [e.title for e in feed.entries] == [title_of(n) for n in EXPECTED]
    assert feed.feed.title == "Feeds & <Things>"
    assert feed.feed.link == BASE_URL


def test_atom_is_atom_1_0_with_the_newest_50_newest_first(site: SiteDir) -> None:
    feed = parsed(site, "atom.xml")
    assert feed.version == "atom10"
    assert [e.link for e in feed.entries] == [url_of(n) for n in EXPECTED]
    assert [e.id for e in feed.entries] == [url_of(n) for n in EXPECTED]
    assert [e.title for e in feed.entries] == [title_of(n) for n in EXPECTED]
    assert feed.feed.title == "Feeds & <Things>"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [BASE_URL + "atom.xml"]


def test_titles_round_trip_through_xml_escaping(site: SiteDir) -> None:
    """The exact text of each <title>, as an XML parser reads it, is the article's title."""
    rss = xml(site, "feed.xml").xpath("/rss/channel/item/title/text()")
    atom = xml(site, "atom.xml").xpath("/a:feed/a:entry/a:title/text()", namespaces=ATOM)
    assert rss == atom == [title_of(n) for n in EXPECTED]
    assert set(SPECIAL_TITLES.values()) <= set(rss)


def test_feed_links_resolve_to_built_pages(site: SiteDir) -> None:
    for entry in parsed(site, "feed.xml").entries + parsed(site, "atom.xml").entries:
        page = Page.parse(served(site, entry.link).read_bytes())
        assert page.text("//h1") == entry.title


def test_dates_keep_their_offset(site: SiteDir) -> None:
    rss = xml(site, "feed.xml").xpath("/rss/channel/item/pubDate/text()")
    assert [parsedate_to_datetime(d) for d in rss] == [date_of(n) for n in EXPECTED]
    assert all(d.endswith("+0530") for d in rss), rss[:3]
    atom = xml(site, "atom.xml")
    for field in ("published", "updated"):
        found = atom.xpath(f"/a:feed/a:entry/a:{field}/text()", namespaces=ATOM)
        assert [datetime.fromisoformat(d) for d in found] == [date_of(n) for n in EXPECTED]
        assert all(d.endswith("+05:30") for d in found), found[:3]


def test_feed_dates_are_the_newest_article_not_the_build_time(site: SiteDir) -> None:
    newest = date_of(COUNT)
    last_build = xml(site, "feed.xml").xpath("/rss/channel/lastBuildDate/text()")
    assert [parsedate_to_datetime(d) for d in last_build] == [newest]
    updated = xml(site, "atom.xml").xpath("/a:feed/a:updated/text()", namespaces=ATOM)
    assert [datetime.fromisoformat(d) for d in updated] == [newest]


def test_every_page_advertises_the_site_feeds(site: SiteDir) -> None:
    kinds = {
        "application/rss+xml": "feed.xml",
        "application/atom+xml": "atom.xml",
        "application/feed+json": "feed.json",
    }
    pages = [p for p in sorted(site.out.rglob("*.html")) if "pagefind" not in p.parts]
    assert len(pages) > COUNT
    for file in pages:
        page = Page.parse(file.read_bytes())
        for kind, name in kinds.items():
            hrefs = page.attrs(f"//head/link[@rel='alternate'][@type='{kind}']", "href")
            assert "/news/" + name in hrefs, (file.relative_to(site.out), kind)
            assert (site.out / name).is_file()
