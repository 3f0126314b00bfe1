"""newsgen.site on Article and Page models made by hand: assemble (order, drafts, tags,
authors, archive, menu, redirects, references) and routes (every page of a site, and the URLs
claimed twice). No files, no templates, no build."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import PurePosixPath

import pytest
from markupsafe import Markup

from newsgen.errors import ContentError, ContentWarning
from newsgen.models import Article, Page, Route, Site, SiteConfig, Tag
from newsgen.site import assemble, routes, searchable
from newsgen.urls import slugify, tag_key

pytestmark = pytest.mark.fast

CONFIG = SiteConfig(title="T", base_url="https://example.org/news/", per_page=2, search=False)


def tag(name: str) -> Tag:
    return Tag(tag_key(name), name, slugify(name))


def story(name: str, when: datetime | str = "2024-05-01", *tags: str, **changes: object) -> Article:
    """An article at articles/NAME.md, URL NAME/, with TAGS as the file spelled them."""
    date = datetime.fromisoformat(when).replace(tzinfo=UTC) if isinstance(when, str) else when
    made = Article(
        source=PurePosixPath(f"articles/{name}.md"),
        title=name.capitalize(),
        date=date,
        slug=name,
        url=f"{name}/",
        body_html=Markup("<p>Body.</p>"),
        summary="",
        tags=tuple(tag(t) for t in tags),
    )
    return replace(made, **changes)


def page(name: str, **changes: object) -> Page:
    made = Page(
        source=PurePosixPath(f"pages/{name}.md"),
        title=name.capitalize(),
        slug=name,
        url=f"{name}/",
        body_html=Markup("<p>Page.</p>"),
        summary="",
    )
    return replace(made, **changes)


def site_of(*articles: Article, config: SiteConfig = CONFIG, pages: tuple[Page, ...] = ()) -> Site:
    site, problems = assemble(config, articles, pages)
    assert problems == []
    return site


def names(articles: tuple[Article, ...] | list[Article]) -> list[str]:
    return [a.slug for a in articles]


def by_url(found: list[Route]) -> dict[str, Route]:
    return {r.url: r for r in found}


# --- assemble: order and drafts ------------------------------------------------------------


def test_articles_are_newest_first_whatever_order_they_come_in() -> None:
    articles = [story(n, f"2024-0{m}-01") for n, m in [("b", 2), ("d", 4), ("a", 1), ("c", 3)]]
    for seed in range(3):
        random.Random(seed).shuffle(articles)
        assert names(site_of(*articles).articles) == ["d", "c", "b", "a"]


def test_equal_dates_are_ordered_by_slug_then_source() -> None:
    same = datetime(2024, 1, 1, tzinfo=UTC)
    articles = [
        story("a", same),
        story("b", same),
        story("b", same, source=PurePosixPath("articles/z/b.md")),
    ]
    for order in (articles, articles[::-1]):
        found = site_of(*order).articles
        assert [str(a.source) for a in found] == [
            "articles/z/b.md",
            "articles/b.md",
            "articles/a.md",
        ]


def test_the_same_instant_in_other_zones_orders_by_the_instant() -> None:
    east = datetime(2024, 1, 1, 9, tzinfo=timezone(timedelta(hours=5)))  # 04:00 UTC
    west = datetime(2024, 1, 1, 1, tzinfo=timezone(timedelta(hours=-5)))  # 06:00 UTC
    assert names(site_of(story("east", east), story("west", west)).articles) == ["west", "east"]


def test_drafts_are_left_out_unless_asked_for() -> None:
    articles = [story("a", "2024-01-01", "x"), story("b", "2024-01-02", "y", draft=True)]
    pages = [page("about"), page("secret", draft=True, menu=True)]
    site, _ = assemble(CONFIG, articles, pages)
    assert names(site.articles) == ["a"]
    assert [t.tag.name for t in site.tags] == ["x"]
    assert [p.slug for p in site.pages] == ["about"]
    assert site.menu == ()
    site, _ = assemble(CONFIG, articles, pages, drafts=True)
    assert names(site.articles) == ["b", "a"]
    assert [t.tag.name for t in site.tags] == ["x", "y"]
    assert [p.slug for p in site.menu] == ["secret"]


# --- assemble: tags and authors ------------------------------------------------------------


def test_a_tag_takes_the_first_spelling_in_the_archive_everywhere() -> None:
    site = site_of(
        story("new", "2024-03-01", "DEFENCE"),
        story("old", "2024-01-01", "Defence", "Harbour"),
        story("mid", "2024-02-01", "defence"),
    )
    [defence, harbour] = site.tags
    assert (defence.tag.name, defence.tag.slug, defence.tag.key) == (
        "Defence",
        "defence",
        "defence",
    )
    assert names(defence.articles) == ["new", "mid", "old"]
    assert names(harbour.articles) == ["old"]
    for article in site.articles:
        assert article.tags[0].name == "Defence"


def test_tags_are_sorted_by_name_without_case() -> None:
    site = site_of(story("a", "2024-01-01", "beta", "Alpha", "gamma", "Zeta", "ärger"))
    assert [t.tag.name for t in site.tags] == ["Alpha", "beta", "gamma", "Zeta", "ärger"]


def test_tags_with_the_same_slug_get_slugs_of_their_own() -> None:
    site = site_of(story("a", "2024-01-01", "C", "C++", "C#"))
    slugs = {t.tag.name: t.tag.slug for t in site.tags}
    assert slugs["C"] == "c"
    assert slugs["C++"].startswith("c-") and slugs["C#"].startswith("c-")
    assert len(set(slugs.values())) == 3
    # The article carries the slugs the tag pages have.
    assert {t.name: t.slug for t in site.articles[0].tags} == slugs


def test_authors_get_bylines_and_an_index_like_tags() -> None:
    site = site_of(
        story("a", "2024-01-01", authors=("Ann Lee",)),
        story("b", "2024-01-02", authors=("ANN LEE", "bo park")),
        story("c", "2024-01-03", authors=("Bo Park",)),
    )
    index = [(e.author.name, e.author.slug, names(e.articles)) for e in site.authors]
    assert index == [("Ann Lee", "ann-lee", ["b", "a"]), ("bo park", "bo-park", ["c", "b"])]
    b = next(a for a in site.articles if a.slug == "b")
    assert [(p.name, p.slug) for p in b.bylines] == [("Ann Lee", "ann-lee"), ("bo park", "bo-park")]
    assert b.authors == ("ANN LEE", "bo park")  # as written; the byline is the archive's


def test_an_article_already_in_the_archive_spelling_is_kept_as_it_is() -> None:
    a = story("a", "2024-01-01", "x")
    assert site_of(a).articles[0] is a


# --- assemble: archive, menu, related -------------------------------------------------------


def test_years_and_months_are_counted_in_the_site_zone_newest_first() -> None:
    config = replace(CONFIG, timezone="Pacific/Auckland")
    site = site_of(
        story("a", datetime(2023, 12, 31, 10, 30, tzinfo=UTC)),  # 23:30 in Auckland
        story("b", datetime(2023, 12, 31, 11, 30, tzinfo=UTC)),  # 00:30 on 1 January
        story("c", "2024-01-15"),
        story("d", "2024-03-02"),
        story("e", "2022-06-01"),
        config=config,
    )
    shown = [
        (y.year, y.count, y.url, [(m.month, m.count, m.url) for m in y.months]) for y in site.years
    ]
    assert shown == [
        (2024, 3, "2024/", [(3, 1, "2024/03/"), (1, 2, "2024/01/")]),
        (2023, 1, "2023/", [(12, 1, "2023/12/")]),
        (2022, 1, "2022/", [(6, 1, "2022/06/")]),
    ]
    assert site_of(story("a"), config=replace(CONFIG, archive=False)).years == ()


def test_pages_by_url_and_the_menu_by_weight_then_title() -> None:
    pages = (
        page("zebra", menu=True, weight=1, title="beach"),
        page("about", menu=True, weight=2),
        page("contact", menu=True, weight=1, title="Contact"),
        page("hidden"),
    )
    site = site_of(story("a"), pages=pages)
    assert [p.slug for p in site.pages] == ["about", "contact", "hidden", "zebra"]
    # Equal weights: by title without case ('beach' before 'Contact'), not by URL.
    assert [p.slug for p in site.menu] == ["zebra", "contact", "about"]


def test_related_articles_follow_the_config() -> None:
    articles = [story("a", "2024-01-01", "x"), story("b", "2024-01-02", "x")]
    site = site_of(*articles)
    assert {k: names(v) for k, v in site.related.items()} == {
        "articles/b.md": ["a"],
        "articles/a.md": ["b"],  # an earlier story leads to the later one too
    }
    assert dict(site_of(*articles, config=replace(CONFIG, related=0)).related) == {}


# --- assemble: redirects and references ----------------------------------------------------


def test_aliases_become_redirects_sorted_by_old_url() -> None:
    site = site_of(
        story("a", redirects=("/old/z/", "https://example.org/old/a.html")),
        pages=(page("about", redirects=("old/about",)),),
    )
    found = [(r.url, r.target, r.title, str(r.source)) for r in site.redirects]
    assert found == [
        ("old/a.html", "a/", "A", "articles/a.md"),
        ("old/about", "about/", "About", "pages/about.md"),
        ("old/z/", "a/", "A", "articles/a.md"),
    ]


def test_unusable_aliases_are_problems_and_no_redirect() -> None:
    articles = [
        story("a", redirects=("../up/", "https://elsewhere.example/x/")),
        story("b", redirects=("/b/", "b")),
    ]
    site, problems = assemble(CONFIG, articles)
    assert site.redirects == ()
    found = sorted((type(p).__name__, str(p.path), p.message) for p in problems)
    assert found == [
        (
            "ContentError",
            "articles/a.md",
            "alias '../up/' is not a path inside the site (no '..', same host)",
        ),
        (
            "ContentError",
            "articles/a.md",
            "alias 'https://elsewhere.example/x/' is not a path inside the site"
            " (no '..', same host)",
        ),
        (
            "ContentWarning",
            "articles/b.md",
            "alias '/b/' is this page's own URL; no redirect needed",
        ),
        ("ContentWarning", "articles/b.md", "alias 'b' is this page's own URL; no redirect needed"),
    ]


def test_references_resolve_to_the_article_or_page_they_name() -> None:
    body = (
        '<p><a href="newsgen-ref:3:posts/b.md#part">b</a>'
        ' <a href="newsgen-ref:4:about">about</a>'
        ' <a href="newsgen-ref:5:nowhere.md">gone</a></p>'
    )
    a = story("a", "2024-01-02", body_html=Markup(body), pending_refs=True)
    b = story("b", "2024-01-01")
    site, problems = assemble(CONFIG, [a, b], [page("about")])
    [resolved, _] = site.articles
    assert resolved.pending_refs is False
    assert str(resolved.body_html) == (
        '<p><a href="/news/b/#part">b</a> <a href="/news/about/">about</a> <a href="#">gone</a></p>'
    )
    [warning] = problems
    assert isinstance(warning, ContentWarning)
    assert (str(warning.path), warning.line) == ("articles/a.md", 5)
    assert "'nowhere.md' names no article or page" in warning.message


def test_a_reference_by_file_name_alone_must_name_one_file() -> None:
    body = '<a href="newsgen-ref:1:note">n</a><a href="newsgen-ref:2:only">o</a>'
    a = story("a", "2024-01-03", body_html=Markup(body), pending_refs=True)
    one = story("one", "2024-01-01", source=PurePosixPath("articles/x/note.md"))
    two = story("two", "2024-01-02", source=PurePosixPath("articles/y/note.md"))
    only = story("only", "2024-01-01", source=PurePosixPath("articles/z/only.md"))
    site, problems = assemble(CONFIG, [a, one, two, only])
    assert str(site.articles[0].body_html) == '<a href="#">n</a><a href="/news/only/">o</a>'
    assert [(p.line, "'note'" in p.message) for p in problems] == [(1, True)]


# --- routes --------------------------------------------------------------------------------


def test_searchable_needs_search_on_and_an_article() -> None:
    on = replace(CONFIG, search=True)
    assert searchable(site_of(story("a"), config=on))
    assert not searchable(site_of(config=on))
    assert not searchable(site_of(story("a")))


def test_every_page_of_a_small_site_in_order() -> None:
    site = site_of(
        story("a", "2024-01-01", "X", authors=("Ann",)),
        story("b", "2024-02-01", "X"),
        story("c", "2024-02-02", redirects=("/old/c/",)),
        pages=(page("about"),),
        config=replace(CONFIG, search=True),
    )
    found, errors = routes(site)
    assert errors == []
    feeds = ["feed.xml", "atom.xml", "feed.json"]
    assert [r.url for r in found] == [
        *feeds,
        "",
        "page/2/",
        "tags/",
        *(f"tags/x/{f}" for f in feeds),
        "tags/x/",
        "archive/",
        "2024/",
        "2024/page/2/",
        "2024/02/",
        "2024/01/",
        "authors/",
        *(f"authors/ann/{f}" for f in feeds),
        "authors/ann/",
        "search/",
        "404.html",
        "about/",
        "c/",
        "b/",
        "a/",
        "old/c/",
    ]
    table = by_url(found)
    assert [table[u].path for u in ("", "page/2/", "404.html", "old/c/")] == [
        "index.html",
        "page/2/index.html",
        "404.html",
        "old/c/index.html",
    ]
    assert all(r.context["page_url"] == r.url for r in found)
    templates = {u: table[u].template for u in ("", "tags/x/", "2024/01/", "authors/ann/")}
    assert templates == {
        "": "index.html",
        "tags/x/": "tag.html",
        "2024/01/": "period.html",
        "authors/ann/": "author.html",
    }
    assert (table["feed.xml"].template, table["atom.xml"].template) == ("feed:rss", "feed:atom")
    assert [r.url for r in found if r.feed] == [u for u in table if u.endswith(tuple(feeds))]
    hidden = {r.url for r in found if not r.in_sitemap}
    assert hidden == {u for u in table if u.endswith(tuple(feeds))} | {
        "search/",
        "404.html",
        "old/c/",
    }
    owners = {u: table[u].owner for u in ("", "page/2/", "feed.xml", "tags/x/", "a/", "old/c/")}
    assert owners == {
        "": "the home page",
        "page/2/": "the home page",
        "feed.xml": "the feeds of the home page",
        "tags/x/": "the page of tag 'X'",
        "a/": "articles/a.md",
        "old/c/": "articles/c.md",
    }


def test_listings_are_paginated_newest_first() -> None:
    site = site_of(*(story(f"s{n}", f"2024-01-0{n}") for n in range(1, 6)))
    table = by_url(routes(site)[0])
    pages = [table[u] for u in ("", "page/2/", "page/3/")]
    assert "page/4/" not in table and "page/1/" not in table
    assert [names(p.context["articles"]) for p in pages] == [["s5", "s4"], ["s3", "s2"], ["s1"]]
    paginations = [p.context["pagination"] for p in pages]
    shown = [(g.number, g.total, g.prev_url, g.next_url) for g in paginations]
    assert shown == [(1, 3, None, "page/2/"), (2, 3, "", "page/3/"), (3, 3, "page/2/", None)]
    assert pages[0].context["page_feeds"] == {
        "rss": "feed.xml",
        "atom": "atom.xml",
        "json": "feed.json",
    }


def test_an_empty_site_still_has_its_home_page_and_no_search() -> None:
    table = by_url(routes(site_of(config=replace(CONFIG, search=True)))[0])
    home = table[""]
    assert home.context["articles"] == ()
    assert home.context["pagination"].total == 1
    assert "search/" not in table
    assert {"tags/", "archive/", "authors/", "404.html"} <= table.keys()


def test_feeds_hold_the_newest_articles_up_to_the_feed_length() -> None:
    config = replace(CONFIG, feed_length=2)
    site = site_of(*(story(f"s{n}", f"2024-01-0{n}", "x") for n in range(1, 5)), config=config)
    table = by_url(routes(site)[0])
    feed = table["feed.xml"].context["feed"]
    assert (feed.format, feed.title, feed.home, names(feed.articles)) == (
        "rss",
        "T",
        "",
        ["s4", "s3"],
    )
    tag_feed = table["tags/x/feed.json"].context["feed"]
    assert (tag_feed.format, tag_feed.title, tag_feed.home) == ("json", "T: x", "tags/x/")


def test_switches_leave_out_tag_feeds_author_pages_and_the_archive() -> None:
    config = replace(CONFIG, tag_feeds=False, author_pages=False, archive=False)
    site = site_of(story("a", "2024-01-01", "x", authors=("Ann",)), config=config)
    found = [r.url for r in routes(site)[0]]
    assert "tags/x/" in found
    assert not [u for u in found if u.startswith(("tags/x/feed", "tags/x/atom", "authors/"))]
    assert not [u for u in found if u.startswith(("archive/", "2024/"))]
    article = by_url(routes(site)[0])["a/"]
    assert (article.context["year_url"], article.context["month_url"]) == (None, None)
    tag_page = by_url(routes(site)[0])["tags/x/"]
    assert (tag_page.context["page_feeds"], tag_page.context["feed_title"]) == ({}, "T")
    config = replace(CONFIG, author_feeds=False)
    found = [r.url for r in routes(site_of(story("a", authors=("Ann",)), config=config))[0]]
    assert "authors/ann/" in found and "authors/ann/feed.xml" not in found


def test_article_pages_know_their_neighbours_and_their_period() -> None:
    config = replace(CONFIG, timezone="Pacific/Auckland")
    site = site_of(
        story("old", "2024-01-01"),
        story("mid", datetime(2024, 1, 31, 12, tzinfo=UTC)),  # 1 February in Auckland
        story("new", "2024-03-01"),
        config=config,
    )
    table = by_url(routes(site)[0])
    seen = {
        name: (
            table[f"{name}/"].context["newer"] and table[f"{name}/"].context["newer"].slug,
            table[f"{name}/"].context["older"] and table[f"{name}/"].context["older"].slug,
            table[f"{name}/"].context["month_url"],
        )
        for name in ("old", "mid", "new")
    }
    assert seen == {
        "old": ("mid", None, "2024/01/"),
        "mid": ("new", "old", "2024/02/"),
        "new": (None, "mid", "2024/03/"),
    }
    assert table["mid/"].context["year_url"] == "2024/"
    assert names(table["2024/02/"].context["articles"]) == ["mid"]


# --- routes: URLs claimed twice ------------------------------------------------------------


def test_two_articles_with_one_url_name_the_second_and_keep_the_first() -> None:
    site = site_of(story("a", "2024-01-02"), story("b", "2024-01-01", url="a/"))
    found, [error] = routes(site)
    assert isinstance(error, ContentError)
    assert (str(error.path), error.line) == ("articles/b.md", None)
    assert error.message == "has the same URL /a/ as articles/a.md"
    assert [r.owner for r in found if r.url == "a/"] == ["articles/a.md"]


@pytest.mark.parametrize(
    ("url", "owner"),
    [
        ("tags/", "the tag index"),
        ("", "the home page"),
        ("page/2/", "the home page"),
        ("feed.xml", "the feeds of the home page"),
        ("2024/", "the archive of 2024"),
        ("404.html", "the 404 page"),
        ("about/", "pages/about.md"),
    ],
)
def test_an_article_on_a_url_of_the_site_is_the_error(url: str, owner: str) -> None:
    site = site_of(*(story(f"s{n}", f"2024-01-0{n}") for n in range(1, 4)), story("x", url=url))
    site = site_of(*site.articles, pages=(page("about"),))
    found, [error] = routes(site)
    assert str(error.path) == "articles/x.md"
    assert error.message == f"has the same URL /{url} as {owner}"
    assert by_url(found)[url].owner == owner


def test_a_page_on_a_url_of_the_site_is_named_by_its_source() -> None:
    site = site_of(story("a"), pages=(page("tags", url="tags/"),))
    _, [error] = routes(site)
    assert (str(error.path), error.message) == (
        "pages/tags.md",
        "has the same URL /tags/ as the tag index",
    )


def test_an_alias_never_replaces_a_page() -> None:
    site = site_of(
        story("a", "2024-01-02", redirects=("/b/", "/tags/", "/twice/")),
        story("b", "2024-01-01", redirects=("/twice",)),
    )
    found, errors = routes(site)
    messages = sorted((str(e.path), e.message) for e in errors)
    assert messages == [
        ("articles/a.md", "alias /b/ would replace articles/b.md"),
        ("articles/a.md", "alias /tags/ would replace the tag index"),
        # Redirects are placed by old URL: 'twice' comes before 'twice/'.
        ("articles/a.md", "alias /twice/ would replace the alias /twice of articles/b.md"),
    ]
    table = by_url(found)
    assert (table["b/"].template, table["tags/"].template) == ("article.html", "tags.html")
    assert table["twice"].context["redirect"].target == "b/"
