"""Titles, tags, authors and bodies are text everywhere: escaped once in HTML and in feeds."""

from __future__ import annotations

import json

import feedparser
import pytest
from conftest import HEADLINES, MakeSite, Page, SiteDir, article
from lxml import etree

TITLE = "<script>alert(1)</script> Fish & Chips"
TAG = "<script>alert(2)</script> R&D"
AUTHOR = "<script>alert(3)</script> Smith & Jones"
SUMMARY = "<script>alert(4)</script> <b>Bold</b> & more"
BODY = "Body <b>x</b> & <script>y()</script>"
HOSTILE_URL = "https://example.org/2024/05/01/hostile/"

ATOM = "{http://www.w3.org/2005/Atom}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
NO_SCRIPT = "//body//script"


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


@pytest.fixture
def hostile_site(make_site: MakeSite) -> SiteDir:
    """One hostile article and a newer plain one, built."""
    hostile = article(
        yaml_string(TITLE),
        date="2024-05-01 10:00",
        body=BODY,
        tags=f"[{yaml_string(TAG)}]",
        author=yaml_string(AUTHOR),
        summary=yaml_string(SUMMARY),
    )
    site = make_site(
        {
            "articles/hostile.md": hostile,
            "articles/plain.md": article("Plain", date="2024-05-02 10:00"),
        }
    )
    result = site.build()
    assert result.code == 0, result.stderr
    return site


def hostile_entry(data: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = [e for e in feed.entries if e.link == HOSTILE_URL]
    return entry


def tag_href(site: SiteDir) -> str:
    (href,) = site.page("2024/05/01/hostile/").attrs("//ul[@class='tags']//a", "href")
    return href.lstrip("/")


@pytest.mark.fast
def test_article_page_shows_title_tag_and_author_as_text(hostile_site: SiteDir) -> None:
    page = hostile_site.page("2024/05/01/hostile/")
    assert page.all(NO_SCRIPT) == []
    assert page.text("//h1") == TITLE
    assert page.text("//article//*[@class='authors']") == f"By {AUTHOR}"
    assert page.texts("//ul[@class='tags']//a") == [TAG]
    assert page.text("//head/title") == f"{TITLE} · Test Site"
    assert page.attrs("//meta[@property='og:title']", "content") == [TITLE]
    assert page.attrs("//meta[@name='description']", "content") == [SUMMARY]


def test_neighbour_link_shows_title_as_text(hostile_site: SiteDir) -> None:
    page = hostile_site.page("2024/05/02/plain/")
    assert page.all(NO_SCRIPT) == []
    assert page.text("//nav[@class='prev-next']/a[@rel='prev']") == f"Previous {TITLE}"


def test_home_page_shows_title_author_and_summary_as_text(hostile_site: SiteDir) -> None:
    page = hostile_site.page("")
    assert page.all(NO_SCRIPT) == []
    assert page.texts(HEADLINES) == ["Plain", TITLE]
    hostile = "//main//article[.//h2/a[@href='/2024/05/01/hostile/']]"
    assert page.text(f"{hostile}//*[@class='authors']") == f"By {AUTHOR}"
    assert page.text(f"{hostile}//*[@class='summary']") == SUMMARY


def test_tag_page_shows_tag_title_and_author_as_text(hostile_site: SiteDir) -> None:
    page = hostile_site.page(tag_href(hostile_site))
    assert page.all(NO_SCRIPT) == []
    assert page.text("//h1") == f"Topic {TAG}"
    assert page.text("//head/title") == f"{TAG} · Test Site"
    assert page.texts("//main//article/h2") == [TITLE]
    assert page.text("//main//article//*[@class='authors']") == f"By {AUTHOR}"


def test_tags_index_shows_tag_as_text(hostile_site: SiteDir) -> None:
    page = hostile_site.page("tags/")
    assert page.all(NO_SCRIPT) == []
    assert page.texts("//ul[@class='tag-index']/li/a") == [TAG]
    assert page.attrs("//ul[@class='tag-index']/li/a", "href") == ["/" + tag_href(hostile_site)]


@pytest.mark.fast
def test_rss_feed_round_trips_title_tag_and_author(hostile_site: SiteDir) -> None:
    data = (hostile_site.out / "feed.xml").read_bytes()
    (item,) = etree.fromstring(data).xpath(f"//item[link='{HOSTILE_URL}']")
    assert item.findtext("title") == TITLE
    assert [c.text for c in item.findall("category")] == [TAG]
    assert item.findtext(DC_CREATOR) == AUTHOR

    entry = hostile_entry(data)
    assert (entry.title, [t.term for t in entry.tags], entry.author) == (TITLE, [TAG], AUTHOR)


def test_atom_feed_round_trips_title_tag_and_author(hostile_site: SiteDir) -> None:
    data = (hostile_site.out / "atom.xml").read_bytes()
    root = etree.fromstring(data)
    (entry_el,) = [
        e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith("/hostile/")
    ]
    title = entry_el.find(f"{ATOM}title")
    assert title.get("type", "text") == "text"
    assert title.text == TITLE
    assert [c.get("term") for c in entry_el.findall(f"{ATOM}category")] == [TAG]
    assert entry_el.findtext(f"{ATOM}author/{ATOM}name") == AUTHOR

    entry = hostile_entry(data)
    assert (entry.title, [t.term for t in entry.tags], entry.author) == (TITLE, [TAG], AUTHOR)


def test_rss_description_is_the_summary_as_text(hostile_site: SiteDir) -> None:
    # RSS <description> is HTML: plain-text summaries must arrive escaped, not as markup.
    data = (hostile_site.out / "feed.xml").read_bytes()
    (item,) = etree.fromstring(data).xpath(f"//item[link='{HOSTILE_URL}']")
    description = Page.parse(item.findtext("description").encode("utf-8"))
    assert description.all("//script | //b") == []
    assert description.text("//body") == SUMMARY


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_feed_bodies_are_the_sanitized_html(hostile_site: SiteDir, name: str) -> None:
    (content,) = hostile_entry((hostile_site.out / name).read_bytes()).content
    assert content.type == "text/html"
    body = Page.parse(content.value.encode("utf-8"))
    assert body.all("//script") == []
    assert body.texts("//p/b") == ["x"]
    assert body.texts("//p") == ["Body x &"]


def build_one(make_site: MakeSite, name: str, text: str, config: str | None = None) -> Page:
    files = {f"articles/{name}": text}
    site = make_site(files) if config is None else make_site(files, config=config)
    result = site.build()
    assert result.code == 0, result.stderr
    return site.page("2024/05/01/a/")


ESCAPE = 'base_url: "https://example.org/"\nmarkdown:\n  html: false\n'


@pytest.mark.fast
def test_raw_html_in_markdown_is_escaped_when_html_is_false(make_site: MakeSite) -> None:
    text = article(body="Say <b>x</b> & <script>y()</script> now")
    page = build_one(make_site, "a.md", text, ESCAPE)
    assert page.all("//div[@class='body']//*[self::b or self::script]") == []
    assert page.texts("//div[@class='body']/p") == ["Say <b>x</b> & <script>y()</script> now"]


def test_raw_html_block_in_markdown_is_escaped_when_html_is_false(make_site: MakeSite) -> None:
    page = build_one(make_site, "a.md", article(body='<div class="x">\n<b>x</b>\n</div>'), ESCAPE)
    assert page.all("//div[@class='body']//*[self::b or @class='x']") == []
    assert page.text("//div[@class='body']") == '<div class="x"> <b>x</b> </div>'


def test_raw_html_in_markdown_passes_through_when_enabled(make_site: MakeSite) -> None:
    config = 'title: "Test Site"\nbase_url: "https://example.org/"\nmarkdown:\n  html: true\n'
    page = build_one(make_site, "a.md", article(body="Say <b>x</b> & y"), config=config)
    assert page.texts("//div[@class='body']/p") == ["Say x & y"]
    assert page.texts("//div[@class='body']/p/b") == ["x"]


def test_txt_wire_copy_is_escaped_never_markup(make_site: MakeSite) -> None:
    body = "Wire <b>bold</b> & *stars* _under_\n# not a heading\n<script>z()</script>"
    page = build_one(make_site, "a.txt", article(body=body))
    assert page.all("//div[@class='body']//*[not(self::p)]") == []
    assert page.texts("//div[@class='body']/p") == body.split("\n")


NASTY = "A </script><!-- ]]> \"q\" 'q' \u2028line\u2029para &amp; <b>"
"""Each piece closes or opens something in one of the formats a title reaches."""


@pytest.mark.fast
def test_text_that_closes_scripts_comments_and_cdata_breaks_nothing(make_site: MakeSite) -> None:
    """The same hostile text as title, tag, author and summary, parsed back from every
    format: HTML (strictly), JSON-LD, RSS, Atom, JSON Feed and both sitemaps."""
    import html5lib

    meta = {"tags": f"[{yaml_string(NASTY + ' tag')}]", "author": yaml_string(NASTY + " by")}
    text = article(yaml_string(NASTY + "\x07"), body="Body.", summary=yaml_string(NASTY), **meta)
    site = make_site({"articles/nasty.md": text})
    result = site.build("--now", "2024-05-01T12:00Z")  # the news sitemap lists it
    assert result.code == 0, result.stderr
    assert "U+0007" in result.stderr  # the control character is dropped aloud
    title = " ".join(NASTY.split())  # U+2028/U+2029 are white space: folded like any other
    (href,) = site.page("").attrs(HEADLINES + "/a", "href")
    raw = (site.out / href.lstrip("/") / "index.html").read_bytes()
    strict = html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("lxml"))
    strict.parse(raw)
    page = Page.parse(raw)
    assert page.text("//h1") == title
    assert page.attrs("//meta[@property='og:title']", "content") == [title]
    assert page.texts("//ul[@class='tags']//a") == [title + " tag"]
    (block,) = page.all("//script[@type='application/ld+json']")
    data = json.loads(block.text)
    assert data["headline"] == title
    assert data["description"] == title
    assert data["keywords"] == [title + " tag"]
    assert [a["name"] for a in data["author"]] == [title + " by"]
    for name in ("feed.xml", "atom.xml"):
        entry = hostile_entry_of(site, name)
        assert entry.title == title
        assert [t.term for t in entry.tags] == [title + " tag"]
    (item,) = json.loads((site.out / "feed.json").read_bytes())["items"]
    assert item["title"] == title and item["tags"] == [title + " tag"]
    for name in ("sitemap.xml", "news-sitemap.xml"):
        tree = etree.fromstring((site.out / name).read_bytes())
        locs = [e.text for e in tree.iter("{*}loc")]
        assert "https://example.org" + href in locs, name
    news_title = etree.fromstring((site.out / "news-sitemap.xml").read_bytes())
    assert [e.text for e in news_title.iter("{*}title")] == [title]


def hostile_entry_of(site: SiteDir, name: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site.out / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    return entry
