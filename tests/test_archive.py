"""Browsing the archive: by date, by author, and related articles under each article."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import REPO, MakeSite, SiteDir, article

from newsgen.build import build
from newsgen.models import Article, SiteConfig, Tag
from newsgen.related import related_articles
from newsgen.site import assemble

pytestmark = pytest.mark.fast

CONFIG = 'title: "T"\nbase_url: "https://example.org/"\nper_page: 2\nsearch: false\n'


def titles(page_xpath_root: object) -> list[str]:
    return page_xpath_root.texts("//main//ol[@class='article-list']//h2")  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    """Five articles over two years, one at 23:30 on New Year's Eve in the site's zone."""
    site = SiteDir(tmp_path_factory.mktemp("dated"))
    site.write("newsgen.yaml", CONFIG.replace('"T"', '"T"\ntimezone: "Pacific/Auckland"'))
    files = {
        "a": ("2023-12-31 23:30", "[Ann Lee]"),  # in Auckland: still 2023
        "b": ("2024-01-15 09:00", "[Ann Lee, Bo Park]"),
        "c": ("2024-01-20 09:00", "[Bo Park]"),
        "d": ("2024-01-25 09:00", "[Bo Park]"),
        "e": ("2024-03-02 09:00", "[Cy Diaz]"),
    }
    for name, (when, authors) in files.items():
        site.write(f"articles/{name}.md", article(name.upper(), when, authors=authors))
    # Built where the machine's own time zone is far from the site's: it must not matter.
    env = {**os.environ, "TZ": "America/Los_Angeles", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", str(site.root)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return site


def test_archive_index_counts_years_and_months(dated: SiteDir) -> None:
    page = dated.page("archive/")
    assert page.texts("//main//ul[@class='archive']/li/h2") == [
        "2024 4 articles",
        "2023 1 article",
    ]
    months = page.texts("//main//ul[@class='archive']/li[1]//ul/li")
    assert months == ["March 1", "January 3"]
    assert page.attrs("//main//ul[@class='archive']/li[1]//ul/li/a", "href") == [
        "/2024/03/",
        "/2024/01/",
    ]


def test_year_and_month_pages_list_newest_first_and_paginate(dated: SiteDir) -> None:
    assert titles(dated.page("2024/")) == ["E", "D"]
    assert titles(dated.page("2024/page/2/")) == ["C", "B"]
    assert titles(dated.page("2024/01/")) == ["D", "C"]
    assert titles(dated.page("2024/01/page/2/")) == ["B"]
    # 23:30 on 31 December in the site's zone is in 2023, whatever the build machine's zone.
    assert titles(dated.page("2023/")) == ["A"]
    assert titles(dated.page("2023/12/")) == ["A"]


def test_article_pages_link_to_their_year_and_month(dated: SiteDir) -> None:
    page = dated.page("2023/12/31/a/")
    crumbs = dict(
        zip(
            page.texts("//nav[@class='breadcrumb']//a"),
            page.attrs("//nav[@class='breadcrumb']//a", "href"),
            strict=True,
        )
    )
    assert crumbs["2023"] == "/2023/"
    assert crumbs["December 2023"] == "/2023/12/"
    assert page.attrs("//span[@class='published']/time", "datetime") == [
        "2023-12-31T23:30:00+13:00"
    ]


def test_author_pages_and_bylines(dated: SiteDir) -> None:
    index = dated.page("authors/")
    assert index.texts("//main//ul/li/a") == ["Ann Lee", "Bo Park", "Cy Diaz"]
    assert titles(dated.page("authors/bo-park/")) == ["D", "C"]
    assert titles(dated.page("authors/bo-park/page/2/")) == ["B"]
    article_page = dated.page("2024/01/15/b/")
    assert article_page.attrs("//span[@class='authors']/a[@rel='author']", "href") == [
        "/authors/ann-lee/",
        "/authors/bo-park/",
    ]
    assert article_page.text("//span[@class='authors']") == "By Ann Lee and Bo Park"
    for kind in ("feed.xml", "atom.xml", "feed.json"):
        assert (dated.out / "authors/bo-park" / kind).is_file()


def test_one_author_string_is_one_person_commas_and_all(make_site: MakeSite) -> None:
    """`author: 'Ann Lee, Senior Designer, CDS'` is one byline, as Hugo and Jekyll read it
    (one archive got 312 author pages such as and-emily-kuret); `authors:` lists stay lists,
    and Pelican's `Authors:` header is still split."""
    site = make_site(
        {
            "articles/a.md": article("A", author="'Ann Lee, Senior Designer, CDS'"),
            "articles/b.md": article("B", "2024-05-02", authors="[Bo Park, Cy Diaz]"),
            "articles/c.md": "Title: C\nDate: 2024-05-03\nAuthors: Di Ek, Fa Go\n\nBody.\n",
        },
        CONFIG,
    )
    assert site.build().code == 0
    byline = "//span[@class='authors']/a[@rel='author']"
    assert site.page("2024/05/01/a/").texts(byline) == ["Ann Lee, Senior Designer, CDS"]
    assert site.page("2024/05/02/b/").texts(byline) == ["Bo Park", "Cy Diaz"]
    assert site.page("2024/05/03/c/").texts(byline) == ["Di Ek", "Fa Go"]
    assert site.page("authors/").texts("//main//ul/li/a") == [
        "Ann Lee, Senior Designer, CDS",
        "Bo Park",
        "Cy Diaz",
        "Di Ek",
        "Fa Go",
    ]


def test_switches_turn_archive_and_author_pages_off(make_site: MakeSite) -> None:
    config = CONFIG + "archive: false\nauthor_pages: false\n"
    site = make_site({"articles/a.md": article("A", author='"Ann Lee"')}, config)
    assert site.build().code == 0
    assert not (site.out / "archive").exists()
    assert not (site.out / "authors").exists()
    assert not (site.out / "2024/index.html").exists()
    page = site.page("2024/05/01/a/")
    assert page.all("//nav[@class='breadcrumb']") == []
    assert page.all("//a[@rel='author']") == []
    assert "Archive" not in page.texts("//nav[@aria-label='Site']//a")


# -- related articles ---------------------------------------------------------------------


def make(name: str, day: int, *tags: str) -> Article:
    from datetime import UTC, datetime
    from pathlib import PurePosixPath

    from markupsafe import Markup

    return Article(
        source=PurePosixPath(f"articles/{name}.md"),
        title=name,
        date=datetime(2024, 1, day, tzinfo=UTC),
        slug=name,
        url=f"{name}/",
        body_html=Markup(""),
        summary="",
        tags=tuple(Tag(t.lower(), t, t.lower()) for t in tags),
    )


def test_related_ranking_through_the_tag_index() -> None:
    # "common" is on almost everything; "rare" and "local" on few.
    articles = [
        make("one", 1, "common", "rare"),
        make("two", 2, "common"),
        make("three", 3, "common", "local"),
        make("four", 4, "common", "rare", "local"),
        make("five", 5, "common", "local"),
        make("six", 6, "common"),
        make("lonely", 7, "nobody-else"),
        make("draft", 8, "common", "rare", "local"),
        make("seven", 9, "common", "rare", "local"),
    ]
    drafted = [replace(a, draft=True) if a.title == "draft" else a for a in articles]
    site, _ = assemble(SiteConfig(related=3), drafted)
    related = {
        key.split("/")[-1][:-3]: [a.title for a in value] for key, value in site.related.items()
    }
    # Shares three tags with "four"; then "rare" (rarer than "local") with "one"; then "five",
    # nearer in time than "three"; never a draft, never itself.
    assert related["seven"] == ["four", "one", "five"]
    # Two tags shared beats one; equal scores, nearest in time first: "three" (two days) before
    # "seven" (four days, later).
    assert related["five"] == ["four", "three", "seven"]
    # The oldest story of the topic leads to what came after it: "four" and "seven" share
    # "rare", "four" is nearer.
    assert related["one"] == ["four", "seven", "two"]
    # At equal distance (a day either side), the later story first.
    assert related["two"] == ["three", "one", "four"]
    assert "lonely" not in related  # no shared tag: no related articles, never padding


def test_related_limit_and_window_on_each_side() -> None:
    articles = [make(f"a{n}", n, "x") for n in range(1, 29)]
    ordered = sorted(articles, key=lambda a: a.date, reverse=True)
    found = related_articles(ordered, {"x": ordered}, 10, 3)
    # Three on each side, nearest first (the later one first at equal distance).
    assert [a.title for a in found["articles/a14.md"]] == ["a15", "a13", "a16", "a12", "a17", "a11"]
    assert [a.title for a in found["articles/a28.md"]] == ["a27", "a26", "a25"]
    assert [a.title for a in found["articles/a1.md"]] == ["a2", "a3", "a4"]
    assert len(related_articles(ordered, {"x": ordered}, 2, 3)["articles/a14.md"]) == 2


def test_related_candidates_are_bounded_by_the_window_in_every_shared_tag() -> None:
    # "twin" shares both tags with "story" (the best possible match), but three stories of
    # each tag stand between them in both timelines.
    articles = [
        make("twin", 1, "x", "y"),
        *(make(f"x{n}", 1 + n, "x") for n in range(1, 4)),
        *(make(f"y{n}", 4 + n, "y") for n in range(1, 4)),
        make("story", 10, "x", "y"),
    ]
    ordered = sorted(articles, key=lambda a: a.date, reverse=True)
    by_tag = {t: [a for a in ordered if any(g.key == t for g in a.tags)] for t in ("x", "y")}

    def related_to_story(window: int) -> list[str]:
        found = related_articles(ordered, by_tag, 10, window)
        return [a.title for a in found["articles/story.md"]]

    assert "twin" not in related_to_story(3)
    assert related_to_story(4)[0] == "twin"  # one more in the window: it leads
    # And the other way: "story" is outside twin's windows too.
    twin = related_articles(ordered, by_tag, 10, 3)["articles/twin.md"]
    assert "story" not in [a.title for a in twin]
    assert related_articles(ordered, by_tag, 10, 4)["articles/twin.md"][0].title == "story"


def test_a_candidate_counts_every_tag_it_shares_not_only_those_it_was_found_through() -> None:
    # "twin" shares both tags with "story" but is within the window only in "y": four stories
    # of "x" stand between them. It still shares two tags, so it leads "near" (one tag).
    articles = [
        make("twin", 10, "x", "y"),
        *(make(f"x{n}", 10 + n, "x") for n in range(1, 5)),
        make("near", 19, "y"),
        make("story", 20, "x", "y"),
    ]
    ordered = sorted(articles, key=lambda a: a.date, reverse=True)
    by_tag = {t: [a for a in ordered if any(g.key == t for g in a.tags)] for t in ("x", "y")}
    found = related_articles(ordered, by_tag, 3, 3)
    assert [a.title for a in found["articles/story.md"]] == ["twin", "near", "x4"]


def test_past_the_window_an_added_story_reorders_only_lists_through_its_tags_rarity() -> None:
    # "x" and "y" are on as many stories (22), every tenth story carries both. A new "x"
    # story makes "x" the more common: lists of stories carrying both put "y" stories first,
    # also far from the new story (the exception docs/output.md names); no other list moves.
    def tags(n: int) -> tuple[str, ...]:
        return ("x", "y") if n % 10 == 0 else ("x",) if (n // 10 + n) % 2 else ("y",)

    def lists(articles: list[Article]) -> dict[str, list[str]]:
        ordered = sorted(articles, key=lambda a: a.date, reverse=True)
        by_tag = {t: [a for a in ordered if any(g.key == t for g in a.tags)] for t in "xy"}
        found = related_articles(ordered, by_tag, 5, 3)
        return {key: [a.title for a in value] for key, value in found.items()}

    def story(name: str, hour: int, *tags: str) -> Article:
        return replace(make(name, 1, *tags), date=make(name, 1).date + timedelta(hours=hour))

    archive = [story(f"s{n}", n, *tags(n)) for n in range(40)]
    before = lists(archive)
    after = lists([*archive, story("new", 40, "x")])
    moved = {key for key in before if before[key] != after[key]}
    x_stories = [f"articles/s{n}.md" for n in range(40) if "x" in tags(n)]
    assert moved & set(x_stories[:-3])  # more than 3 "x" stories from the new one
    assert moved <= set(x_stories)  # the lists of "x" stories only


def test_adding_a_story_rewrites_only_the_pages_within_the_window(make_site: MakeSite) -> None:
    # One tag's timeline of 40 stories (two a day), each showing every related story it has:
    # each page within the window (10 here) of the new story gains it, none beyond can.
    plain = "archive: false\nauthor_pages: false\nfeeds: {tags: false}\n"
    plain += "related: 100\nrelated_window: 10\n"

    def page_of(n: int) -> str:
        return f"2024/03/{n // 2 + 1:02}/s{n}/index.html"

    stories = {
        f"articles/s{n}.md": article(
            f"Story {n}", f"2024-03-{n // 2 + 1:02} {10 + n % 2}:00", tags="[Harbour]"
        )
        for n in range(40)
    }
    site = make_site(stories, CONFIG + plain)
    assert site.build().code == 0
    before = site.snapshot()
    site.write("articles/zz.md", article("The follow-up", "2024-04-01", tags="[Harbour]"))
    report = build(site.root)
    after = site.snapshot()
    rewritten = {rel for rel in before if after.get(rel) != before[rel]} | (
        set(after) - set(before)
    )
    assert report.written == len(rewritten), sorted(rewritten)
    within = {page_of(n) for n in range(30, 40)}
    # Those pages show the new story (the newest of them also links to it as "newer"); no
    # other story's page is written again.
    assert {rel for rel in rewritten if rel.startswith("2024/03/")} == within
    for rel in within:
        assert "The follow-up" in site.page(rel).texts("//section[@class='related']//a")


def test_related_section_on_article_pages(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("Older on harbour", "2024-01-01", tags="[Harbour]"),
            "articles/b.md": article("Unrelated", "2024-01-02", tags="[Sport]"),
            "articles/c.md": article("Newer on harbour", "2024-01-03", tags="[Harbour]"),
        },
        CONFIG,
    )
    assert site.build().code == 0
    page = site.page("2024/01/03/c/")
    assert page.text("//section[@class='related']/h2") == "Related"
    assert page.texts("//section[@class='related']//li/a") == ["Older on harbour"]
    # The older story leads to the later one.
    older = site.page("2024/01/01/a/")
    assert older.texts("//section[@class='related']//li/a") == ["Newer on harbour"]
    assert site.page("2024/01/02/b/").all("//section[@class='related']") == []
    off = make_site({"articles/a.md": article("A", tags="[x]")}, CONFIG + "related: 0\n", "off")
    assert off.build().code == 0
