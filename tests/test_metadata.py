"""What search engines and link previews read: canonical links, Open Graph, Twitter cards,
NewsArticle JSON-LD, the Google News sitemap and split sitemaps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import MakeSite, Page, SiteDir, article
from lxml import etree
from newssite import BASE_URL, html_files, news_site, sitemap_locs, url_of

from newsgen.build import build

pytestmark = pytest.mark.fast

BASE = "https://example.org/news/"
SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS = {**SM, "n": "http://www.google.com/schemas/sitemap-news/0.9"}
CONFIG = f"""\
title: "The Gazette"
description: "News of the bay"
base_url: "{BASE}"
timezone: "Europe/London"
search: false
publisher:
  name: "Gazette Media"
  logo: "logo.png"
"""
LONDON_SUMMER = timezone(timedelta(hours=1))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    site = SiteDir(tmp_path_factory.mktemp("meta"))
    site.write("newsgen.yaml", CONFIG)
    site.write(
        "articles/2025-06-10-quay/index.md",
        article(
            "'Quay \"rebuilt\" <fast>'",
            "2025-06-10 09:30",
            "The quay was rebuilt.",
            summary="'Work & play on the quay'",
            authors="[Ann Lee, Bo Park]",
            tags="[Harbour, Works]",
            updated="2025-06-11 14:05",
            image="quay.jpg",
            image_alt="'The new quay at dawn'",
            image_caption="'Photo: Ann Lee'",
        ),
    )
    site.write("articles/2025-06-10-quay/quay.jpg", b"\xff\xd8\xff\xe0")
    site.write(
        "articles/2025-06-09-ferry.md",
        article("Ferry late", "2025-06-09 07:00", "The ferry was late.", tags="[Harbour]"),
    )
    site.write("articles/2025-06-01-old.md", article("Old news", "2025-06-01 07:00"))
    site.write("static/logo.png", b"\x89PNG\r\n\x1a\n")
    result = site.build("--now", "2025-06-10 18:00")
    assert result.code == 0, result.stderr
    return site


def html_pages(out: Path) -> list[Path]:
    return [p for p in sorted(out.rglob("*.html")) if "pagefind" not in p.parts]


def page_url(out: Path, file: Path) -> str:
    rel = file.relative_to(out).as_posix()
    return BASE + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def meta(page: Page, key: str) -> list[str]:
    attr = "property" if ":" in key and not key.startswith("twitter:") else "name"
    return page.attrs(f"//head/meta[@{attr}='{key}']", "content")


def test_every_page_but_the_404_has_an_absolute_canonical_link_and_social_tags(
    site: SiteDir,
) -> None:
    pages = html_pages(site.out)
    assert len(pages) > 10
    for file in pages:
        page = Page.parse(file.read_bytes())
        canonical = page.attrs("//head/link[@rel='canonical']", "href")
        if file.name == "404.html":
            assert canonical == [], "the 404 page is nobody's canonical"
            assert meta(page, "robots") == ["noindex"]
            continue
        assert canonical == [page_url(site.out, file)], file
        for key in ("og:title", "og:url", "og:type", "og:description", "twitter:card"):
            assert len(meta(page, key)) == 1, (file, key)
        assert meta(page, "og:url") == canonical
        assert meta(page, "og:site_name") == ["The Gazette"]


def test_listing_pages_describe_themselves(site: SiteDir) -> None:
    tag = site.page("tags/harbour/")
    assert meta(tag, "og:type") == ["website"]
    assert meta(tag, "og:title")[0].startswith("Harbour")
    assert meta(tag, "twitter:title") == meta(tag, "og:title")
    home = site.page("")
    assert meta(home, "og:description") == ["News of the bay"]


def test_article_open_graph_and_twitter_card(site: SiteDir) -> None:
    page = site.page("2025/06/10/quay/")
    url = BASE + "2025/06/10/quay/"
    image = url + "quay.jpg"
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:title") == ['Quay "rebuilt" <fast>']
    assert meta(page, "og:description") == ["Work & play on the quay"]
    assert meta(page, "og:url") == [url]
    assert meta(page, "og:image") == [image]
    assert meta(page, "og:image:alt") == ["The new quay at dawn"]
    published = meta(page, "article:published_time")
    modified = meta(page, "article:modified_time")
    assert [datetime.fromisoformat(d) for d in published] == [
        datetime(2025, 6, 10, 9, 30, tzinfo=LONDON_SUMMER)
    ]
    assert [datetime.fromisoformat(d) for d in modified] == [
        datetime(2025, 6, 11, 14, 5, tzinfo=LONDON_SUMMER)
    ]
    assert meta(page, "article:tag") == ["Harbour", "Works"]
    assert meta(page, "twitter:card") == ["summary_large_image"]
    assert meta(page, "twitter:image") == [image]
    assert (site.out / "2025/06/10/quay/quay.jpg").is_file()
    # Without an image, a plain summary card and no og:image.
    ferry = site.page("2025/06/09/ferry/")
    assert meta(ferry, "twitter:card") == ["summary"]
    assert meta(ferry, "og:image") == []


def json_ld(page: Page) -> list[dict]:
    blocks = page.all("//script[@type='application/ld+json']")
    return [json.loads(block.text) for block in blocks]


def test_article_carries_news_article_json_ld(site: SiteDir) -> None:
    url = BASE + "2025/06/10/quay/"
    [data] = json_ld(site.page("2025/06/10/quay/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == 'Quay "rebuilt" <fast>'
    assert datetime.fromisoformat(data["datePublished"]) == datetime(
        2025, 6, 10, 9, 30, tzinfo=LONDON_SUMMER
    )
    assert datetime.fromisoformat(data["dateModified"]) == datetime(
        2025, 6, 11, 14, 5, tzinfo=LONDON_SUMMER
    )
    assert data["author"] == [
        {"@type": "Person", "name": "Ann Lee", "url": BASE + "authors/ann-lee/"},
        {"@type": "Person", "name": "Bo Park", "url": BASE + "authors/bo-park/"},
    ]
    assert data["keywords"] == ["Harbour", "Works"]
    assert data["image"] == [url + "quay.jpg"]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Gazette Media",
        "url": BASE,
        "logo": {"@type": "ImageObject", "url": BASE + "logo.png"},
    }
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["description"] == "Work & play on the quay"
    # Author pages exist where the JSON-LD says they are.
    for person in data["author"]:
        assert (site.out / person["url"][len(BASE) :] / "index.html").is_file()
    # Listing pages are not articles.
    assert json_ld(site.page("")) == []


def test_json_ld_cannot_be_closed_by_a_title(make_site: MakeSite) -> None:
    title = "'</script><script>alert(1)</script><!--'"
    site = make_site({"articles/a.md": article(title, author="'</script>'")})
    assert site.build().code == 0
    page = site.page("2024/05/01/a/")
    # Every script is either loaded from a file or the one JSON-LD block: nothing broke out.
    inline = page.all("//script[not(@src)]")
    assert [s.get("type") for s in inline] == ["application/ld+json"]
    [data] = json_ld(page)
    assert data["headline"] == "</script><script>alert(1)</script><!--"
    assert data["author"][0]["name"] == "</script>"


def test_updated_line_shows_date_and_time_in_the_site_zone(site: SiteDir) -> None:
    page = site.page("2025/06/10/quay/")
    assert page.text("//article//*[@class='published']") == "Published 10 June 2025, 09:30 BST"
    assert page.text("//article//*[@class='updated']") == "Updated 11 June 2025, 14:05 BST"
    assert page.attrs("//article//*[@class='updated']/time", "datetime") == [
        "2025-06-11T14:05:00+01:00"
    ]
    assert page.all("//article//*[@class='updated']") and not site.page("2025/06/09/ferry/").all(
        "//article//*[@class='updated']"
    )


def test_news_sitemap_lists_the_last_two_days_with_publication(site: SiteDir) -> None:
    tree = etree.parse(str(site.out / "news-sitemap.xml"))
    locs = tree.xpath("/s:urlset/s:url/s:loc/text()", namespaces=NEWS)
    # Now is 10 June 18:00; 9 June 07:00 is within two days before it, 1 June is not.
    assert locs == [BASE + "2025/06/10/quay/", BASE + "2025/06/09/ferry/"]
    first = tree.xpath("/s:urlset/s:url[1]/n:news", namespaces=NEWS)[0]
    assert first.xpath("n:publication/n:name/text()", namespaces=NEWS) == ["Gazette Media"]
    assert first.xpath("n:publication/n:language/text()", namespaces=NEWS) == ["en"]
    assert first.xpath("n:title/text()", namespaces=NEWS) == ['Quay "rebuilt" <fast>']
    when = first.xpath("n:publication_date/text()", namespaces=NEWS)
    assert datetime.fromisoformat(when[0]) == datetime(2025, 6, 10, 9, 30, tzinfo=LONDON_SUMMER)
    robots = (site.out / "robots.txt").read_text().splitlines()
    assert f"Sitemap: {BASE}news-sitemap.xml" in robots


def test_sitemap_is_split_with_an_index_past_the_limit(make_site: MakeSite) -> None:
    files = {f"articles/a{n}.md": article(f"A{n}", f"2024-01-{n:02d} 10:00") for n in range(1, 8)}
    config = f'title: "T"\nbase_url: "{BASE}"\nsearch: false\nsitemap_limit: 4\n'
    site = make_site(files, config)
    assert site.build().code == 0
    index = etree.parse(str(site.out / "sitemap-index.xml"))
    parts = index.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=SM)
    assert len(parts) >= 3
    assert all(p.startswith(BASE + "sitemap-") for p in parts)
    locs: list[str] = []
    for part in parts:
        tree = etree.parse(str(site.out / part[len(BASE) :]))
        found = tree.xpath("/s:urlset/s:url/s:loc/text()", namespaces=SM)
        assert 0 < len(found) <= 4
        locs += found
    assert len(locs) == len(set(locs))
    pages = {page_url(site.out, p) for p in html_pages(site.out)}
    assert set(locs) == pages - {BASE + "404.html"}
    # sitemap.xml, where crawlers look first, leads to all of them too.
    assert (site.out / "sitemap.xml").read_bytes() == (site.out / "sitemap-index.xml").read_bytes()
    robots = (site.out / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap-index.xml" in robots or f"Sitemap: {BASE}sitemap.xml" in robots
    # Under the limit again: one plain sitemap and no leftovers.
    site.write("newsgen.yaml", config.replace("sitemap_limit: 4", "sitemap_limit: 50000"))
    assert site.build().code == 0
    assert etree.parse(str(site.out / "sitemap.xml")).getroot().tag == f"{{{SM['s']}}}urlset"
    assert sorted(p.name for p in site.out.glob("sitemap*")) == ["sitemap.xml"]


def test_the_news_sitemap_counts_two_days_back_from_now(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": article("A", "2025-06-09 07:00"),
        "articles/b.md": article("B", "2025-06-10 09:30"),
    }
    site = make_site(files, f'title: "T"\nbase_url: "{BASE}"\nsearch: false\n')

    def listed(now: str) -> list[str]:
        assert site.build_here(now=now) == []
        tree = etree.parse(str(site.out / "news-sitemap.xml"))
        return tree.xpath("/s:urlset/s:url/s:loc/text()", namespaces=NEWS)

    assert listed("2025-06-11T07:00Z") == [BASE + "2025/06/10/b/", BASE + "2025/06/09/a/"]
    # Two days and a minute after A, whatever the newest article's date: A is out.
    assert listed("2025-06-11T07:01Z") == [BASE + "2025/06/10/b/"]
    assert listed("2025-06-12T09:31Z") == []


def test_an_embargoed_story_is_news_when_it_comes_out(make_site: MakeSite) -> None:
    """The news sitemap's two days count from when a story came out (its embargo), not from
    the date it shows: results dated Friday and embargoed until Monday are Monday's news."""
    files = {
        "articles/a.md": article("A", "2025-06-09 07:00"),
        "articles/r.md": article("R", "2025-06-06 18:00", publish_at="2025-06-09 08:00"),
    }
    config = f'title: "T"\nbase_url: "{BASE}"\nsearch: false\nfront: {{latest: 0}}\n'
    site = make_site(files, config)

    def listed(now: datetime) -> tuple[list[str], datetime | None]:
        report = build(site.root, now=now)
        tree = etree.parse(str(site.out / "news-sitemap.xml"))
        return tree.xpath("/s:urlset/s:url/s:loc/text()", namespaces=NEWS), report.next_change

    # Newest out first; A leaves the window first, at 07:00 two days on.
    locs, next_change = listed(datetime(2025, 6, 9, 9, 0, tzinfo=UTC))
    assert locs == [BASE + "2025/06/06/r/", BASE + "2025/06/09/a/"]
    assert next_change == datetime(2025, 6, 11, 7, 0, tzinfo=UTC)
    # R stays an hour more, and the build after which it leaves is the next to do the work.
    locs, next_change = listed(datetime(2025, 6, 11, 7, 30, tzinfo=UTC))
    assert locs == [BASE + "2025/06/06/r/"]
    assert next_change == datetime(2025, 6, 11, 8, 0, tzinfo=UTC)


def test_news_sitemap_can_be_switched_off(make_site: MakeSite) -> None:
    config = f'title: "T"\nbase_url: "{BASE}"\nsearch: false\nnews_sitemap: false\n'
    site = make_site({"articles/a.md": article("A")}, config)
    assert site.build().code == 0
    assert not (site.out / "news-sitemap.xml").exists()
    assert "news-sitemap" not in (site.out / "robots.txt").read_text()


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return news_site(tmp_path_factory)


# --- sitemaps and robots.txt of the news site ----------------------------------------------


def test_sitemap_lists_every_page_but_the_404_and_search(news: SiteDir) -> None:
    pages = {
        url_of(news.out, f, BASE_URL)
        for f in html_files(news.out)
        if not f.relative_to(news.out).as_posix().startswith("pagefind/")
    }
    assert sitemap_locs(news.out) == pages - {BASE_URL + "404.html", BASE_URL + "search/"}
    assert news.page("search/").attrs("//meta[@name='robots']", "content") == ["noindex"]


def test_404_page_and_robots_txt(news: SiteDir) -> None:
    assert news.page("404.html").text("//title")
    robots = (news.out / "robots.txt").read_text(encoding="utf-8").splitlines()
    sitemaps = [line.split(":", 1)[1].strip() for line in robots if line.startswith("Sitemap:")]
    assert sitemaps == [BASE_URL + "sitemap.xml", BASE_URL + "news-sitemap.xml"]
    assert "User-agent: *" in robots
