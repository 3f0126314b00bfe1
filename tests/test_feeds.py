"""RSS 2.0 at /feed.xml and Atom 1.0 at /atom.xml: the newest 50 articles, absolute links."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from conftest import MakeSite, Page, SiteDir, article
from lxml import etree

pytestmark = pytest.mark.fast

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


# -- JSON Feed 1.1, per-listing feeds, content links, configuration --------------------------------


def json_feed(site: SiteDir, name: str) -> dict:
    data = json.loads((site.out / name).read_bytes())
    assert isinstance(data, dict)
    return data


def assert_json_feed_1_1(data: dict, self_url: str) -> None:
    """The rules of https://jsonfeed.org/version/1.1 that a reader relies on."""
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and data["title"]
    assert data["feed_url"] == self_url
    assert urlsplit(data["home_page_url"]).scheme == "https"
    assert isinstance(data["items"], list)
    ids = [item["id"] for item in data["items"]]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(set(ids)) == len(ids), "item ids must be unique"
    for item in data["items"]:
        assert "content_html" in item or "content_text" in item, item["id"]
        assert urlsplit(item["url"]).scheme == "https"
        for key in ("date_published", "date_modified"):
            if key in item:  # RFC 3339: an offset is required
                assert datetime.fromisoformat(item[key]).utcoffset() is not None
        for person in [*data.get("authors", []), *item.get("authors", [])]:
            assert set(person) <= {"name", "url", "avatar"} and person
        assert "author" not in item, "1.1 uses 'authors', a list"


def test_json_feed_follows_version_1_1_in_the_same_order(site: SiteDir) -> None:
    data = json_feed(site, "feed.json")
    assert_json_feed_1_1(data, BASE_URL + "feed.json")
    assert data["title"] == "Feeds & <Things>"
    assert data["home_page_url"] == BASE_URL
    assert [item["url"] for item in data["items"]] == [url_of(n) for n in EXPECTED]
    assert [item["title"] for item in data["items"]] == [title_of(n) for n in EXPECTED]
    published = [datetime.fromisoformat(item["date_published"]) for item in data["items"]]
    assert published == [date_of(n) for n in EXPECTED]
    assert all(item["date_published"].endswith("+05:30") for item in data["items"])


def test_atom_has_an_author_even_when_nobody_is_named(site: SiteDir) -> None:
    """RFC 4287: a feed without entry authors needs a feed author; the site title stands in."""
    atom = xml(site, "atom.xml")
    names = atom.xpath("/a:feed/a:author/a:name/text()", namespaces=ATOM)
    assert names == ["Feeds & <Things>"]
    assert atom.xpath("/a:feed/a:entry/a:author", namespaces=ATOM) == []


def test_rss_self_link_names_its_type(site: SiteDir) -> None:
    rss = xml(site, "feed.xml")
    atom_ns = {"atom": "http://www.w3.org/2005/Atom"}
    self_links = rss.xpath("/rss/channel/atom:link[@rel='self']", namespaces=atom_ns)
    assert [(e.get("href"), e.get("type")) for e in self_links] == [
        (BASE_URL + "feed.xml", "application/rss+xml")
    ]


LISTINGS_CONFIG = """\
title: "Listings"
base_url: "https://example.org/"
search: false
"""


@pytest.fixture(scope="module")
def listings(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    """Articles by two authors in two tags; one is a bundle whose body links relatively."""
    site = SiteDir(tmp_path_factory.mktemp("listings"))
    site.write("newsgen.yaml", LISTINGS_CONFIG)
    site.write(
        "articles/2024-03-01-port.md",
        article("Port opens", "2024-03-01 08:00", tags="[Harbour]", author="Ann Lee"),
    )
    site.write(
        "articles/2024-03-02-tide.md",
        article(
            "Tide tables",
            "2024-03-02 08:00",
            tags="[Harbour, Weather]",
            authors="[Ann Lee, Bo Park]",
            summary="'Tables for <spring> & neap'",
            updated="2024-03-05 12:00",
        ),
    )
    site.write(
        "articles/2024-03-03-storm/index.md",
        article(
            "Storm warning",
            "2024-03-03 08:00",
            "See ![the map](map.png), [the tide story](../../02/tide/) and [home](/).\n",
            tags="[Weather]",
            author="Bo Park",
        ),
    )
    site.write("articles/2024-03-03-storm/map.png", b"\x89PNG\r\n\x1a\n")
    result = site.build()
    assert result.code == 0, result.stderr
    return site


FEED_NAMES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}


def feed_titles(site: SiteDir, prefix: str) -> dict[str, list[str]]:
    """The entry titles of the three feeds under PREFIX, by kind."""
    found = {}
    for kind, name in FEED_NAMES.items():
        if kind == "json":
            data = json_feed(site, prefix + name)
            assert_json_feed_1_1(data, "https://example.org/" + prefix + name)
            found[kind] = [item["title"] for item in data["items"]]
        else:
            found[kind] = [e.title for e in parsed(site, prefix + name).entries]
    return found


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", ["Storm warning", "Tide tables", "Port opens"]),
        ("tags/harbour/", ["Tide tables", "Port opens"]),
        ("tags/weather/", ["Storm warning", "Tide tables"]),
        ("authors/ann-lee/", ["Tide tables", "Port opens"]),
        ("authors/bo-park/", ["Storm warning", "Tide tables"]),
    ],
)
def test_each_listing_has_all_three_feeds_of_its_own_articles(
    listings: SiteDir, prefix: str, expected: list[str]
) -> None:
    assert feed_titles(listings, prefix) == {kind: expected for kind in FEED_NAMES}
    # The listing page advertises its own three feeds first.
    page = listings.page(prefix)
    hrefs = page.attrs("//head/link[@rel='alternate']", "href")
    assert hrefs[:3] == ["/" + prefix + name for name in FEED_NAMES.values()]


def test_relative_links_and_images_in_feed_content_are_made_absolute(listings: SiteDir) -> None:
    page = "https://example.org/2024/03/03/storm/"
    expected_links = {"https://example.org/2024/03/02/tide/", "https://example.org/"}
    rss = xml(listings, "feed.xml")
    content_ns = {"content": "http://purl.org/rss/1.0/modules/content/"}
    bodies = {
        "rss": rss.xpath("/rss/channel/item[1]/content:encoded/text()", namespaces=content_ns)[0],
        "atom": xml(listings, "atom.xml").xpath(
            "/a:feed/a:entry[1]/a:content/text()", namespaces=ATOM
        )[0],
        "json": json_feed(listings, "feed.json")["items"][0]["content_html"],
    }
    for kind, body in bodies.items():
        fragment = Page.parse(body.encode())
        assert set(fragment.attrs("//a", "href")) == expected_links, kind
        assert fragment.attrs("//img", "src") == [page + "map.png"], kind
        # And the picture is really there.
        assert (listings.out / "2024/03/03/storm/map.png").is_file()


def test_authors_summaries_and_updates_reach_every_feed(listings: SiteDir) -> None:
    tide = "https://example.org/2024/03/02/tide/"
    atom = parsed(listings, "atom.xml").entries[1]
    assert atom.link == tide
    assert [a.name for a in atom.authors] == ["Ann Lee", "Bo Park"]
    # Summaries are plain text sent as escaped HTML: a reader shows exactly the text.
    assert atom.summary_detail.type == "text/html"
    assert html.unescape(atom.summary) == "Tables for <spring> & neap"
    assert datetime.fromisoformat(atom.updated) == datetime(2024, 3, 5, 12, tzinfo=UTC)
    rss = parsed(listings, "feed.xml").entries[1]
    assert html.unescape(rss.summary) == "Tables for <spring> & neap"
    assert [t.term for t in rss.tags] == ["Harbour", "Weather"]
    item = json_feed(listings, "feed.json")["items"][1]
    assert item["authors"] == [{"name": "Ann Lee"}, {"name": "Bo Park"}]
    assert item["summary"] == "Tables for <spring> & neap"
    assert item["tags"] == ["Harbour", "Weather"]
    assert datetime.fromisoformat(item["date_modified"]) == datetime(2024, 3, 5, 12, tzinfo=UTC)


def test_feed_length_and_summary_only_are_configurable(make_site: MakeSite) -> None:
    files = {
        f"articles/s{n}.md": article(
            f"S{n}", f"2024-01-{n:02d} 10:00", f"Full body {n}.", summary=f"Sum {n}"
        )
        for n in range(1, 8)
    }
    site = make_site(files, LISTINGS_CONFIG + "feeds:\n  length: 3\n  content: summary\n")
    assert site.build().code == 0
    rss = parsed(site, "feed.xml")
    assert [e.title for e in rss.entries] == ["S7", "S6", "S5"]
    assert [e.summary for e in rss.entries] == ["Sum 7", "Sum 6", "Sum 5"]
    assert all("content" not in e for e in rss.entries)
    atom = parsed(site, "atom.xml")
    assert [e.title for e in atom.entries] == ["S7", "S6", "S5"]
    assert all("content" not in e for e in atom.entries)
    items = json_feed(site, "feed.json")["items"]
    assert [i["content_text"] for i in items] == ["Sum 7", "Sum 6", "Sum 5"]
    assert all("content_html" not in i for i in items)
    # By default: the newest 50, with the full body and the summary as description.
    site.write("newsgen.yaml", LISTINGS_CONFIG)
    assert site.build().code == 0
    entries = parsed(site, "atom.xml").entries
    assert len(entries) == 7
    assert "Full body 7." in entries[0].content[0].value
    assert entries[0].summary == "Sum 7"


def test_tag_and_author_feeds_can_be_switched_off(make_site: MakeSite) -> None:
    files = {"articles/a.md": article("A", tags="[Harbour]", author="Ann Lee")}
    site = make_site(files, LISTINGS_CONFIG + "feeds:\n  tags: false\n  authors: false\n")
    assert site.build().code == 0
    assert (site.out / "feed.json").is_file()
    assert not (site.out / "tags/harbour/feed.xml").exists()
    assert not (site.out / "authors/ann-lee/feed.json").exists()
    hrefs = site.page("tags/harbour/").attrs("//head/link[@rel='alternate']", "href")
    assert hrefs == ["/" + name for name in FEED_NAMES.values()]


def test_json_feed_survives_hostile_titles(make_site: MakeSite) -> None:
    title = "'</script><!-- \"x\" & y'"
    site = make_site({"articles/a.md": article(title, tags="['</b>']", author="'<i>Eve</i>'")})
    site.write("newsgen.yaml", LISTINGS_CONFIG)
    assert site.build().code == 0
    raw = (site.out / "feed.json").read_text(encoding="utf-8")
    assert "</script>" not in raw
    item = json.loads(raw)["items"][0]
    assert item["title"] == '</script><!-- "x" & y'
    assert item["tags"] == ["</b>"]
    assert item["authors"] == [{"name": "<i>Eve</i>"}]
