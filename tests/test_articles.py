"""Article pages: where each article is published (permalink, slug, file name), what its
page says (title, dates, authors, tags, neighbours), and drafts.

Most tests read the news site of `newssite`, built once for the module."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import HEADLINES, MakeSite, Page, SiteDir, article, picture_bytes, run_newsgen
from lxml import etree
from newssite import (
    BASE_PATH,
    NEWS_ARTICLES,
    URL,
    built,
    feed_titles,
    file_for,
    listing,
    news_site,
    rel_link,
    sitemap_locs,
)

pytestmark = pytest.mark.fast


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return news_site(tmp_path_factory)


@pytest.fixture(scope="module")
def news_with_drafts(news: SiteDir, tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    """The same site built with --drafts into another folder (its build/ is the output)."""
    other = SiteDir(tmp_path_factory.mktemp("drafts"))
    result = run_newsgen("build", news.root, "-o", other.out, "--drafts")
    assert result.code == 0, result.stderr
    return other


# --- where an article is published ---------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "url", "file"),
    [
        ("/news/{year}/{slug}.html", "/news/2024/hello.html", "news/2024/hello.html"),
        ("/{year}/{month}/{slug}/", "/2024/05/hello/", "2024/05/hello/index.html"),
    ],
)
def test_permalink_pattern_places_articles(
    make_site: MakeSite, pattern: str, url: str, file: str
) -> None:
    config = f'title: "T"\nbase_url: "https://example.org/"\npermalink: "{pattern}"\n'
    site = built(
        make_site({"articles/2024-05-01-hello.md": article("Hello", "2024-05-01")}, config)
    )
    assert Page.parse((site.out / file).read_bytes()).text("//h1") == "Hello"
    assert site.page("").attrs("//main//article//h2/a", "href") == [url]
    assert sitemap_locs(site.out) >= {"https://example.org" + url}
    assert not (site.out / "2024/05/01").exists()


def test_given_slug_sets_the_url(news: SiteDir) -> None:
    assert (news.out / "2019/08/01/custom-slug/index.html").is_file()
    assert not (news.out / "2019/08/01/z").exists()


def test_file_name_is_kept_as_its_slug_without_its_date_prefix(news: SiteDir) -> None:
    # "2019-03-01-First_Story, Part 1.md": case, underscore and comma kept; spaces, which no
    # URL can hold, become a hyphen.
    assert news.page("2019/03/01/First_Story,-Part-1/").text("//h1") == "First story"


def test_slugs_keep_the_letters_of_every_script(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/2024-01-01-ガス料金.md": article("Gas"),
            "articles/2024-01-02-йогурт.md": article("Yoghurt"),
            "articles/explicit.md": article("Explicit", slug="café-привет"),
        }
    )
    result = site.build()
    assert result.code == 0, result.stderr
    hrefs = {unquote(a.get("href")) for a in site.page("").all(HEADLINES + "/a")}
    assert hrefs == {
        "/2024/05/01/ガス料金/",
        "/2024/05/01/йогурт/",
        "/2024/05/01/café-привет/",
    }


NAMED = {
    "articles/2017-11-09-name1.18.md": article("Version 1.18", "2017-11-09"),
    "articles/CVE-2024-1.md": article("Advisory", "2024-02-01"),
}


def _article_hrefs(site: SiteDir) -> set[str]:
    return {unquote(a.get("href")) for a in site.page("").all(HEADLINES + "/a")}


def test_file_names_keep_their_case_and_dots_in_urls(make_site: MakeSite) -> None:
    site = built(make_site(NAMED))
    assert _article_hrefs(site) == {"/2017/11/09/name1.18/", "/2024/02/01/CVE-2024-1/"}
    assert site.page("2024/02/01/CVE-2024-1/").text("//h1") == "Advisory"


def test_slugify_newsgen_keeps_the_urls_of_an_older_build(make_site: MakeSite) -> None:
    config = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nslugify: newsgen\n'
    site = built(make_site(NAMED, config))
    assert _article_hrefs(site) == {"/2017/11/09/name1-18/", "/2024/02/01/cve-2024-1/"}


@pytest.mark.parametrize(
    ("rule", "url"),
    [
        ("pelican", "/2024/05/01/doesnt-it-python-210-released/"),
        ("hugo", "/2024/05/01/doesnt-it-python-2.10-released/"),
        ("jekyll", "/2024/05/01/doesn-t-it-python-2-10-released/"),
    ],
)
def test_title_slugs_follow_the_origins_rule(make_site: MakeSite, rule: str, url: str) -> None:
    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
        f"slug_from: title\nslugify: {rule}\n"
    )
    files = {"articles/x.md": article('"Doesn\'t it? Python 2.10 released"', "2024-05-01")}
    site = built(make_site(files, config))
    assert _article_hrefs(site) == {url}


def test_an_extensionless_url_is_served_exactly_there(make_site: MakeSite) -> None:
    """Jekyll's `permalink: /blog/name1.18` is written as blog/name1.18.html, which GitHub
    Pages, Netlify and Cloudflare Pages (and `newsgen serve`) serve at /blog/name1.18; links
    in the page resolve against /blog/, as they did on the old site."""
    from newsgen.server import Found, resolve_request

    text = article(
        "Version 1.18",
        "2017-11-09",
        "See [the notes](notes.html).",
        permalink="/blog/name1.18",
        image="pic.png",
        image_alt="A chart",
    )
    files = {"articles/2017-11-09-name1.18.md": text, "static/blog/pic.png": picture_bytes()}
    site = built(make_site(files))
    assert sorted(p.name for p in (site.out / "blog").iterdir()) == ["name1.18.html", "pic.png"]
    assert site.page("").attrs(HEADLINES + "/a", "href") == ["/blog/name1.18"]
    page = Page.parse((site.out / "blog/name1.18.html").read_bytes())
    assert page.text("//h1") == "Version 1.18"
    assert page.attrs("//link[@rel='canonical']", "href") == ["https://example.org/blog/name1.18"]
    assert page.attrs("//main//div[@class='body']//a", "href") == ["notes.html"]
    # The lead image resolves against /blog/ too (from /blog/name1.18/ it would not be found).
    assert page.attrs("//main//img", "src") == ["/blog/pic.png"]
    assert site.page("").attrs("//main//img", "src") == ["/blog/pic.png"]  # the lead story
    assert sitemap_locs(site.out) >= {"https://example.org/blog/name1.18"}
    found = resolve_request(site.out.resolve(), "/", "/blog/name1.18")
    assert found == Found((site.out / "blog/name1.18.html").resolve())


def test_non_ascii_file_names_and_tags_give_working_urls(news: SiteDir) -> None:
    links = {item["title"]: item["href"] for item in listing(news.page("page/2/"))}
    links |= {item["title"]: item["href"] for item in listing(news.page(""))}
    assert unquote(links["Café Müller reopens"]) == "/news/2019/06/02/café-müller/"
    wire = unquote(links["Wire: ferry returns"])
    assert wire == "/news/2019/07/04/новости/"
    tag_links = dict(
        zip(
            news.page("tags/").texts("//main//li/a"),
            news.page("tags/").attrs("//main//li/a", "href"),
            strict=True,
        )
    )
    for href in [
        *links.values(),
        tag_links["Zürich"],
        tag_links["Москва"],
    ]:
        served = file_for(news.out, BASE_PATH, href)
        assert served is not None and served.is_file(), href
    moscow = Page.parse(file_for(news.out, BASE_PATH, tag_links["Москва"]).read_bytes())
    assert [i["title"] for i in listing(moscow)] == [
        "Wire: ferry returns",
        "Café Müller reopens",
    ]


# --- what its page says --------------------------------------------------------------------


def test_article_page(news: SiteDir) -> None:
    page = news.page(URL["Second report"])
    assert page.texts("//h1") == ["Second report"]
    assert page.attrs("//main//span[@class='published']/time", "datetime") == [
        "2019-05-13T10:00:00+02:00"
    ]
    assert "Turnout was" in page.text("//main//article//div[@class='body']/p[1]")
    # Tags link to their tag pages, which list this article.
    for href in page.attrs("//main//a[@rel='tag']", "href"):
        tag_page = Page.parse(file_for(news.out, BASE_PATH, href).read_bytes())
        assert "Second report" in [i["title"] for i in listing(tag_page)]


def test_naive_dates_are_in_the_site_timezone(news: SiteDir) -> None:
    # 2019-07-04 10:00 in Europe/Berlin is summer time.
    page = news.page(URL["Wire: ferry returns"])
    assert page.attrs("//main//span[@class='published']/time", "datetime") == [
        "2019-07-04T10:00:00+02:00"
    ]


def test_date_forms(news: SiteDir) -> None:
    byline = "//main//span[@class='published']/time"
    expected = {
        "First story": "2019-03-01T00:00:00+01:00",  # ISO date, winter time
        "Second report": "2019-05-13T10:00:00+02:00",  # "2019-05-13 10:00:00 +0200"
        "Café Müller reopens": "2019-06-02T00:00:00+02:00",  # from the file name
    }
    for title, when in expected.items():
        assert news.page(URL[title]).attrs(byline, "datetime") == [when], title
    # An offset other than the site's: the same instant, shown in the site's timezone.
    shown = news.page(URL["Fifth: colon & ampersand"]).attrs(byline, "datetime")[0]
    assert datetime.fromisoformat(shown) == datetime(2019, 8, 1, 7, 0, tzinfo=UTC)
    assert shown == "2019-08-01T09:00:00+02:00"


def test_updated_date_is_shown(news: SiteDir) -> None:
    page = news.page(URL["Fifth: colon & ampersand"])
    assert page.attrs("//main//span[@class='updated']/time", "datetime") == [
        "2019-08-02T12:00:00+02:00"
    ]
    assert page.text("//main//span[@class='updated']") == "Updated 2 August 2019, 12:00 CEST"
    assert news.page(URL["First story"]).all("//main//span[@class='updated']") == []


def test_default_author_is_shown_when_an_article_names_none(news: SiteDir) -> None:
    authors = "//main//p[@class='byline']//*[@class='authors']"
    assert news.page(URL["First story"]).text(authors) == "By Newsroom"
    assert news.page(URL["Second report"]).text(authors) == "By Jane Doe"
    assert news.page(URL["Café Müller reopens"]).text(authors) == "By Ann One and Bob Two"


def test_tags_as_list_or_comma_separated_string(news: SiteDir) -> None:
    second = news.page(URL["Second report"])  # tags: "defence, Zürich"
    assert second.texts("//main//a[@rel='tag']") == ["Defence", "Zürich"]
    first = news.page(URL["First story"])  # tags: [Defence, Harbour]
    assert first.texts("//main//a[@rel='tag']") == ["Defence", "Harbour"]


def test_previous_and_next_articles_are_the_neighbours(news: SiteDir) -> None:
    # Newest first: index i's older neighbour is i + 1, its newer one i - 1.
    for i, (url, title) in enumerate(NEWS_ARTICLES):
        page = news.page(url)
        older = NEWS_ARTICLES[i + 1][0] if i + 1 < len(NEWS_ARTICLES) else None
        newer = NEWS_ARTICLES[i - 1][0] if i > 0 else None
        prev, nxt = rel_link(page, "prev"), rel_link(page, "next")
        assert (prev and unquote(prev)) == (older and BASE_PATH + older), title
        assert (nxt and unquote(nxt)) == (newer and BASE_PATH + newer), title


# --- drafts --------------------------------------------------------------------------------


def test_drafts_are_left_out_unless_asked_for(news: SiteDir, news_with_drafts: SiteDir) -> None:
    assert not (news.out / "2019/09/01").exists()
    assert not (news.out / "tags/drafty").exists()
    assert "Unpublished draft" not in [i["title"] for i in listing(news.page(""))]
    assert "Unpublished draft" not in feed_titles(news.out)

    page = news_with_drafts.page("2019/09/01/draft/")
    assert page.text("//h1") == "Unpublished draft"
    assert listing(news_with_drafts.page(""))[0]["title"] == "Unpublished draft"
    assert (news_with_drafts.out / "tags/drafty/index.html").is_file()


# --- scheduled, embargoed and expired ------------------------------------------------------

SCHEDULE_CONFIG = (
    'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nper_page: 1\n'
    'timezone: "Europe/Paris"\n'
)


def scheduled_site(make_site: MakeSite) -> SiteDir:
    """Stories of every kind of listing (tag, author, section, archive, a second page), one
    scheduled by its date, one embargoed (publish_at), one taken down (expires), and a
    story linking to the scheduled one by name."""
    meta = {"tags": "[Harbour]", "author": "Ann Lee", "section": "News"}
    return make_site(
        {
            "articles/old.md": article("Old", "2026-12-01 09:00", **meta),
            "articles/linker.md": article(
                "Linker",
                "2026-12-02 09:00",
                '[Soon]({{< ref "later.md" >}}) [Then]({{< ref "gone.md" >}})',
                **meta,
            ),
            "articles/later.md": article(
                "Zeppelin lands", "2027-01-01 00:01", aliases="[/zeppelin/]", **meta
            ),
            "articles/embargo.md": article(
                "Quokka report", "2026-12-03 09:00", publish_at="2027-01-02 08:00", **meta
            ),
            "articles/gone.md": article(
                "Walrus recall", "2026-11-01 09:00", expires="2027-01-01 12:00", **meta
            ),
        },
        SCHEDULE_CONFIG,
    )


def tree_text(out: Path) -> str:
    """Every file of an output, as text, for looking for words anywhere in it."""
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in sorted(out.rglob("*")) if p.is_file()
    )


def test_held_back_stories_are_nowhere_in_the_output(make_site: MakeSite) -> None:
    site = scheduled_site(make_site)
    warnings = site.build_here(now="2027-01-01 00:00")
    assert [(w.path, w.message) for w in warnings] == [
        (
            "articles/linker.md",
            "link to 'later.md' names a story scheduled for later; it links nowhere (#) until"
            " a build publishes that story",
        )
    ]
    # The walrus is still out (until noon); every kind of page, feed and sitemap is there.
    for rel in ("tags/harbour/", "authors/ann-lee/", "news/", "page/2/", "2026/12/"):
        assert (site.out / rel / "index.html").is_file(), rel
    for feed in ("feed.xml", "atom.xml", "feed.json", "tags/harbour/feed.xml"):
        assert (site.out / feed).is_file(), feed
    everything = tree_text(site.out)
    assert "Walrus recall" in everything
    for held in ("Zeppelin", "zeppelin", "Quokka", "quokka", "embargo"):
        assert held not in everything, held
    assert site.page("2026/12/02/linker/").attrs("//main//a[text()='Soon']", "href") == ["#"]

    # At noon the walrus is taken down; past 00:01 the zeppelin lands, the quokka waits.
    warnings = site.build_here(now="2027-01-01T11:00Z")
    assert [(w.path, w.message) for w in warnings] == [
        (
            "articles/linker.md",
            "link to 'gone.md' names a story that has been taken down (its expires time has"
            " passed); it links nowhere (#)",
        )
    ]
    assert site.page("2026/12/02/linker/").attrs("//main//a[text()='Then']", "href") == ["#"]
    everything = tree_text(site.out)
    assert "Walrus" not in everything and "Quokka" not in everything
    page = site.page("2027/01/01/later/")
    assert page.text("//h1") == "Zeppelin lands"
    assert page.attrs("//time[@datetime]", "datetime")[0].startswith("2027-01-01T00:01")
    assert "Zeppelin lands" in feed_titles(site.out)
    assert (site.out / "zeppelin/index.html").is_file()  # its alias
    assert site.page("2026/12/02/linker/").attrs("//main//a[text()='Soon']", "href") == [
        "/2027/01/01/later/"
    ]
    # The embargo lifts at 08:00 in Paris; the quokka keeps its own date on its page.
    site.build_here(now="2027-01-02 08:00")
    quokka = site.page("2026/12/03/embargo/")
    assert quokka.attrs("//time[@datetime]", "datetime")[0].startswith("2026-12-03T09:00")


def test_the_same_now_gives_the_same_bytes_and_another_now_another_site(
    make_site: MakeSite,
) -> None:
    from newsgen.build import build
    from newsgen.schedule import read_now

    site = scheduled_site(make_site)

    def tree(out: str, now: str) -> dict[str, bytes]:
        build(site.root, site.root / out, now=read_now(now))
        return SiteDir(site.root / out.replace("build", "")).snapshot()

    before = tree("build", "2026-12-31 23:00")
    assert tree("b/build", "2026-12-31T22:00Z") == before  # the same moment, written otherwise
    # Another moment of the same evening, before anything is due: the time is nowhere.
    assert tree("d/build", "2026-12-31 20:17:43") == before
    after = tree("c/build", "2027-01-03 00:00")
    assert after != before
    assert "2027/01/01/later/index.html" in after and "2027/01/01/later/index.html" not in before
    assert "2026/11/01/gone/index.html" in before and "2026/11/01/gone/index.html" not in after


def test_drafts_show_held_back_stories_with_a_banner_and_future_publishes_them(
    make_site: MakeSite,
) -> None:
    site = scheduled_site(make_site)
    site.build_here(now="2027-01-01 00:00", drafts=True)
    banner = "//article//p[@class='held-note']"
    assert site.page("2027/01/01/later/").text(banner) == (
        "Scheduled: this story will be published on 1 January 2027, 00:01 CET"
    )
    assert (
        site.page("2026/12/03/embargo/")
        .text(banner)
        .startswith("Scheduled: this story will be published on 2 January 2027")
    )
    assert site.page("2026/12/02/linker/").all(banner) == []
    # Listings mark them too (the front page's first page shows one story: per_page 1).
    assert site.page("tags/harbour/").text("//main//*[@class='held-mark']") == "Scheduled"
    site.build_here(now="2027-01-02 00:00", drafts=True)
    assert site.page("2026/11/01/gone/").text(banner).startswith("Expired: this story was taken")
    assert site.page("2027/01/01/later/").all(banner) == []  # published since: no banner
    # --future publishes what is scheduled (a preview), not what is taken down.
    site.build_here(now="2027-01-01 13:00", future=True)
    assert site.page("2026/12/03/embargo/").all(banner) == []
    assert "Quokka report" in feed_titles(site.out)
    assert "Walrus" not in tree_text(site.out)


def test_an_embargo_leaves_the_date_in_the_file_name_as_it_is(make_site: MakeSite) -> None:
    """publish_at is the date only of an article with no other: one named by its date
    (2026-12-01-budget.md) keeps that date and URL, and waits for its embargo."""
    site = make_site(
        {"articles/2026-12-01-budget.md": "---\ntitle: B\npublish_at: 2027-01-04 07:00\n---\nx\n"},
        SCHEDULE_CONFIG,
    )
    site.build_here(now="2027-01-04 06:59")
    assert not list(site.out.glob("20*/*/*/budget"))
    site.build_here(now="2027-01-04 07:00")
    page = site.page("2026/12/01/budget/")
    assert page.attrs("//article//time[@datetime]", "datetime")[0].startswith("2026-12-01T00:00")
    # The news sitemap lists it from its embargo on, as coming out then, not a month before.
    news = etree.parse(str(site.out / "news-sitemap.xml"))
    space = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    assert news.xpath("//n:publication_date/text()", namespaces=space) == [
        "2027-01-04T07:00:00+01:00"
    ]


def test_now_is_one_instant_across_the_clocks_changes(make_site: MakeSite) -> None:
    """A --now without an offset is read in the site's zone, and compared with the stories'
    times as instants, not as the hands of a clock: in the hour that does not exist when
    clocks go forward (02:30 in Paris on 28 March 2027 is 03:30 summer time), a story is
    out from its instant on, not from 03:30 by the clock's hands; and a story leaves the
    news sitemap 48 hours after it came out, whichever night the clocks go back."""
    site = make_site(
        {
            "articles/gap.md": article("Gap", "2027-03-28 02:30"),
            "articles/old.md": article("Old", "2027-03-01 09:00"),
        },
        SCHEDULE_CONFIG + "front: {latest: 0}\n",
    )
    story = site.out / "2027/03/28/gap/index.html"
    site.build_here(now="2027-03-28 02:29")  # 01:29 UTC: a minute before the story
    assert not story.exists()
    site.build_here(now="2027-03-28 02:45")  # 01:45 UTC (03:45 summer time): it is out
    assert story.exists()

    from newsgen.build import build
    from newsgen.schedule import read_now

    site.write("articles/autumn.md", article("Autumn", "2027-10-30 12:00"))  # 10:00 UTC
    report = build(site.root, now=read_now("2027-10-31T12:00Z"))
    assert report.next_change == datetime(2027, 11, 1, 10, 0, tzinfo=UTC)
