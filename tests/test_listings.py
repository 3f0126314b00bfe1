"""Listing pages: the home page, the tag index and tag pages: which articles, in what order,
how they are paginated, and how tags are told apart. Date archives and author pages are in
test_archive.py; feeds in test_feeds.py.

Most tests read the news site of `newssite`, built once for the module."""

from __future__ import annotations

import math
import re
from datetime import datetime
from urllib.parse import unquote

import feedparser
import pytest
from conftest import MakeSite, Page, SiteDir, article, warnings_of
from newssite import (
    BASE_PATH,
    LONG_PARAGRAPH,
    NEWS_TITLES,
    URL,
    built,
    listing,
    news_site,
    rel_link,
)

EXTREMES_CONFIG = 'title: "Faults"\nbase_url: "https://example.org/"\nsearch: false\n'


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return news_site(tmp_path_factory)


# --- the home page -------------------------------------------------------------------------


@pytest.mark.fast
def test_home_lists_newest_first_with_pagination(news: SiteDir) -> None:
    pages = ["", "page/2/", "page/3/"]

    def shown(rel: str) -> list[dict[str, str]]:
        # The front page leads with its first page's stories; its grid shows some more.
        return listing(news.page(rel))[: 2 if rel == "" else None]

    seen = []
    for number, rel in enumerate(pages):
        page = news.page(rel)
        items = shown(rel)
        assert len(items) == (2 if number < 2 else 1)
        seen += [item["title"] for item in items]
        for item in items:
            assert item["datetime"] and item["summary"]
        prev, nxt = rel_link(page, "prev"), rel_link(page, "next")
        assert prev == (BASE_PATH + pages[number - 1] if number > 0 else None)
        assert nxt == (BASE_PATH + pages[number + 1] if number < 2 else None)
    assert seen == NEWS_TITLES
    assert not (news.out / "page/4").exists()
    assert not (news.out / "page/1").exists()
    dates = [i["datetime"] for rel in pages for i in shown(rel)]
    assert dates == sorted(dates, key=datetime.fromisoformat, reverse=True)


@pytest.mark.fast
def test_per_page_defaults_to_20(make_site: MakeSite) -> None:
    files = {
        f"articles/{n:02d}.md": article(f"Story {n:02d}", f"2024-01-{n:02d}") for n in range(1, 22)
    }
    site = built(make_site(files))
    first = [item["title"] for item in listing(site.page(""))]
    assert first == [f"Story {n:02d}" for n in range(21, 1, -1)]
    assert [item["title"] for item in listing(site.page("page/2/"))] == ["Story 01"]
    assert not (site.out / "page/3").exists()


@pytest.mark.fast
def test_summary_defaults_to_first_paragraph_cut_at_a_word_boundary(news: SiteDir) -> None:
    items = {item["title"]: item for item in listing(news.page("page/3/"))}
    summary = items["First story"]["summary"]
    assert summary.endswith("…")
    kept = summary.removesuffix("…")
    assert len(summary) < len(LONG_PARAGRAPH)
    assert LONG_PARAGRAPH.startswith(kept)
    assert LONG_PARAGRAPH[len(kept)] == " ", "cut inside a word"
    assert len(kept) > 50


@pytest.mark.fast
def test_given_summary_is_used(news: SiteDir) -> None:
    items = {item["title"]: item for item in listing(news.page("page/2/"))}
    assert items["Second report"]["summary"] == "Given summary: short & sweet."
    assert items["Café Müller reopens"]["summary"] == "The café is open."


# --- tags ----------------------------------------------------------------------------------


@pytest.mark.fast
def test_tag_index_lists_every_tag_with_its_count(news: SiteDir) -> None:
    counts = {}
    for li in news.page("tags/").all("//main//li[a]"):
        name = "".join(li.xpath("./a")[0].itertext())
        rest = "".join(li.itertext()).replace(name, "", 1)
        counts[name] = int(re.search(r"\d+", rest).group())
    assert counts == {
        "Defence": 3,
        "Harbour": 2,
        "Zürich": 1,
        "Москва": 2,
    }


@pytest.mark.fast
def test_tag_pages_list_newest_first_with_pagination(news: SiteDir) -> None:
    first, second = news.page("tags/defence/"), news.page("tags/defence/page/2/")
    assert [i["title"] for i in listing(first) + listing(second)] == [
        "Café Müller reopens",
        "Second report",
        "First story",
    ]
    assert rel_link(first, "prev") is None
    assert rel_link(first, "next") == "/news/tags/defence/page/2/"
    assert rel_link(second, "prev") == "/news/tags/defence/"
    assert rel_link(second, "next") is None
    assert not (news.out / "tags/defence/page/3").exists()
    harbour = news.page("tags/harbour/")
    assert [i["title"] for i in listing(harbour)] == ["Fifth: colon & ampersand", "First story"]
    assert rel_link(harbour, "next") is None


@pytest.mark.fast
def test_tags_are_case_insensitive_with_the_oldest_spelling(news: SiteDir) -> None:
    # "Defence" (oldest), "defence" (the first file found on disk), "DEFENCE": one tag.
    assert sorted(p.name for p in (news.out / "tags").iterdir() if p.is_dir()) == sorted(
        ["defence", "harbour", "zurich", "москва"]
    )
    page = news.page("tags/defence/")
    assert page.text("//h1").endswith("Defence")
    cafe = news.page(URL["Café Müller reopens"])
    assert cafe.texts("//main//a[@rel='tag']")[0] == "Defence"


def tag_pages(site: SiteDir) -> dict[str, list[str]]:
    """Each tag's name on /tags/ → the titles its own page lists."""
    index = site.page("tags/")
    result = {}
    for link in index.all("//main//li/a"):
        page = site.page(unquote(link.get("href")).lstrip("/"))
        result["".join(link.itertext())] = page.texts("//main//h2")
    return result


@pytest.mark.fast
def test_tags_that_differ_by_more_than_case_stay_apart(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("On C", date="2024-01-01", tags='["C"]'),
            "articles/b.md": article("On C++", date="2024-01-02", tags='["C++"]'),
            "articles/c.md": article("On C#", date="2024-01-03", tags='["C#"]'),
            "articles/d.md": article("Gas", date="2024-01-04", tags='["ガス"]'),
            "articles/e.md": article("Dregs", date="2024-01-05", tags='["カス"]'),
            "articles/f.md": article("Also C", date="2024-01-06", tags='["c"]'),
        }
    )
    assert site.build().code == 0
    assert tag_pages(site) == {
        "C": ["Also C", "On C"],
        "C#": ["On C#"],
        "C++": ["On C++"],
        "カス": ["Dregs"],
        "ガス": ["Gas"],
    }


BILINGUAL = """\
title: "T"
base_url: "https://example.org/"
search: false
language: en
languages: {en: {name: English}, fr: {name: Français}}
"""


@pytest.mark.fast
@pytest.mark.parametrize(
    ("rule", "tag", "author"),
    [
        (None, "securite", "zoe-lefevre"),
        ("hugo", "sécurité", "zoé-lefèvre"),
        ("jekyll", "sécurité", "zoé-lefèvre"),
    ],
)
def test_tag_and_author_urls_follow_the_slugify_rule(
    make_site: MakeSite, rule: str | None, tag: str, author: str
) -> None:
    """With `slugify: hugo` a Hugo archive's /fr/tags/sécurité/ stays where Hugo had it;
    without `slugify:` tags and authors keep newsgen's slugs."""
    config = BILINGUAL + (f"slugify: {rule}\n" if rule else "")
    story = article("Failles", tags="[Sécurité]", author="Zoé Lefèvre")
    site = make_site({"articles/fr/failles.md": story}, config)
    assert site.build().code == 0
    page = site.page("fr/2024/05/01/failles/")
    assert [unquote(h) for h in page.attrs("//main//a[@rel='tag']", "href")] == [f"/fr/tags/{tag}/"]
    assert [unquote(h) for h in page.attrs("//a[@rel='author']", "href")] == [
        f"/fr/authors/{author}/"
    ]
    assert site.page(f"fr/tags/{tag}/").texts("//main//h2") == ["Failles"]
    assert site.page(f"fr/authors/{author}/").texts("//main//h2") == ["Failles"]


@pytest.mark.fast
def test_hugo_term_pages_describe_their_tag_and_author(make_site: MakeSite) -> None:
    """`articles/fr/tags/sécurité/_index.md` (Hugo's page of the term) gives the French tag
    page its title and description; each language reads its own; a term page of a tag no
    article has, or with a text, is named once."""
    term = "---\ntitle: {}\ndescription: {}\ntranslationKey: sec\n---\n"
    site = make_site(
        {
            "articles/en/patch.md": article("Patch", tags="[Security]", author="Ann Lee"),
            "articles/en/old.md": article("Old", "2024-04-01", tags="[Elections]"),
            "articles/fr/failles.md": article("Failles", tags="[Sécurité]", author="Zoé Lefèvre"),
            "articles/fr/tags/sécurité/_index.md": term.format(
                "Sécurité informatique", "Failles, correctifs et audits."
            ),
            "articles/en/tags/security/_index.md": term.format("Security", "Flaws and patches."),
            "articles/fr/authors/zoé-lefèvre/_index.md": term.format("Zoé Lefèvre", "Reporter."),
            "articles/fr/tags/inconnu/_index.md": term.format("Inconnu", "Rien."),
            "articles/tags/security/2019/_index.md": term.format("Old", "Older."),
            "articles/categories/elections/_index.md": term.format("Elections", "Votes.")
            + "Who voted.\n",
        },
        BILINGUAL + "slugify: hugo\n",
    )
    assert [(w.path, w.line, w.message) for w in warnings_of(site.build())] == [
        (
            "articles/categories/elections/_index.md",
            6,
            "is the page of the term categories/elections/: its title and description are"
            " shown on that page, its text is not",
        ),
        (
            "articles/fr/tags/inconnu/_index.md",
            None,
            "is the page of the tag 'inconnu' (Hugo's tags/inconnu/), but no published"
            " article has that tag; not used",
        ),
        (
            "articles/tags/security/2019/_index.md",
            None,
            "is in a folder inside the term folder tags/security/; a term's page is"
            " tags/security/_index.md, so it is not used",
        ),
    ]
    standfirst = "//main//p[@class='standfirst']"
    described = "//meta[@name='description']"
    fr = site.page("fr/tags/sécurité/")
    assert fr.text("//h1").endswith("Sécurité informatique")
    assert fr.texts(standfirst) == ["Failles, correctifs et audits."]
    assert fr.attrs(described, "content") == ["Failles, correctifs et audits."]
    en = site.page("tags/security/")
    assert en.texts(standfirst) == ["Flaws and patches."]
    assert site.page("tags/elections/").texts(standfirst) == ["Votes."]
    assert site.page("fr/authors/zoé-lefèvre/").texts(standfirst) == ["Reporter."]
    assert site.page("authors/ann-lee/").texts(standfirst) == []


def test_a_term_page_describes_one_tag(make_site: MakeSite) -> None:
    """C, C++ and C# all slug to 'c': the folder tags/c/ is the tag spelled 'c' exactly;
    without one, it could be any of them and is used for none, with a warning."""
    term = "---\ntitle: The C language\n---\n"
    files = {
        "articles/a.md": article("A", tags="[C, C++, 'C#']"),
        "articles/tags/c/_index.md": term,
    }
    site = make_site(files, name="exact")
    assert warnings_of(site.build()) == []
    assert site.page("tags/c/").text("//h1").endswith("The C language")
    others = [p.name for p in (site.out / "tags").iterdir() if p.name.startswith("c-")]
    assert len(others) == 2
    for other in others:
        assert not site.page(f"tags/{other}/").text("//h1").endswith("The C language")


def test_a_term_page_several_tags_could_be_is_used_for_none() -> None:
    from pathlib import PurePosixPath

    from newsgen.models import Tag, TermNote
    from newsgen.terms import _matched

    note = TermNote("tags", "c", "The C language", "")
    notes = {("tag", "c"): (PurePosixPath("articles/tags/c/_index.md"), note)}
    tags = [Tag("c++", "C++", "c-1"), Tag("c#", "C#", "c-2"), Tag("go", "Go", "go")]
    used: set[PurePosixPath] = set()
    problems: list[object] = []
    assert _matched(notes, "tag", tags, used, problems) == [None, None, None]  # type: ignore[arg-type]
    [warning] = problems
    assert "could be the page of the tags 'C++', 'C#'; it is used for none" in str(warning)
    # One tag alone that could be it is it.
    assert _matched(notes, "tag", tags[:1], set(), []) == [note]


# --- extreme sizes -------------------------------------------------------------------------


def test_thousands_of_articles_in_one_tag(make_site: MakeSite) -> None:
    """Every page of a 200-page tag listing, every article on it once, and the count grouped.

    2,000 articles at 10 a page make as many pages as 20,000 at 100 (the size this test once
    built, in ten times the time, nearly all of it rendering article pages no assertion reads)
    and still pass the sizes a build counts against: the process pool's threshold and the
    cache's batches of 500 bodies."""
    count, per_page = 2_000, 10
    files = {
        f"articles/{n // 1000}/a{n}.txt": (
            f"---\ntitle: Item {n}\ndate: {2000 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}"
            f" {n % 24:02d}:{n % 60:02d}\ntags: [Everything]\n---\nLine {n}.\n"
        )
        for n in range(count)
    }
    config = EXTREMES_CONFIG + f"per_page: {per_page}\nrelated: 0\nsitemap_limit: 50000\n"
    site = make_site(files, config)
    warnings_of(site.build())
    pages = math.ceil(count / per_page)
    tag = site.out / "tags" / "everything"
    assert (tag / "page" / str(pages) / "index.html").is_file()
    assert not (tag / "page" / str(pages + 1)).exists()
    seen: list[str] = []
    for number in range(1, pages + 1):
        path = tag / ("index.html" if number == 1 else f"page/{number}/index.html")
        page = Page.parse(path.read_bytes())
        titles = page.texts("//main//article//h2")
        assert len(titles) == (per_page if number < pages else count - per_page * (pages - 1))
        seen.extend(titles)
        nexts = page.attrs("//a[@rel='next']", "href")
        assert bool(nexts) == (number < pages), number
    assert sorted(seen) == sorted(f"Item {n}" for n in range(count))
    tags = Page.parse((site.out / "tags" / "index.html").read_bytes())
    assert tags.texts("//main//span[@class='count']") == [f"{count:,} articles"]


def test_a_thousand_tags_on_one_article(make_site: MakeSite) -> None:
    """Every tag of an article with ten times the tags a feed entry carries (FEED_TAGS) gets
    its page and feed. This once took minutes: feedgen rebuilt an entry's category list for
    every tag, in every tag's feed. The build makes a page and three feeds for each tag, so
    1,000 tags (where the old code took 82 s) cost a fifth of the 5,000 once used."""
    count = 1_000
    names = [f"Topic {n:04d}" for n in range(count)]
    site = make_site(
        {
            "articles/all.md": article("Everything at once", tags="[" + ", ".join(names) + "]"),
            "articles/other.md": article("Another", "2024-05-02", tags="[Topic 0001]"),
        },
        EXTREMES_CONFIG,
    )
    [warning] = warnings_of(site.build())
    assert (warning.path, warning.line) == ("articles/all.md", 4)
    assert f"{count:,} tags" in warning.message
    page = site.page("2024/05/01/all/")
    assert page.texts("//ul[@class='tags']/li") == names
    assert len(list((site.out / "tags").glob("*/index.html"))) == count
    one = site.page(f"tags/topic-{count - 1:04d}/")
    assert one.texts("//main//article//h2") == ["Everything at once"]
    both = site.page("tags/topic-0001/")
    assert both.texts("//main//article//h2") == ["Another", "Everything at once"]
    index = site.page("tags/")
    assert len(index.all("//main//a[starts-with(@href, '/tags/topic-')]")) == count
    # Each of the tag feeds holds the article: with its first 100 tags, so the feeds
    # do not grow with the square of the tags.
    entry = feedparser.parse(
        (site.out / f"tags/topic-{count - 1:04d}/feed.xml").read_bytes()
    ).entries[0]
    assert [t.term for t in entry.tags] == names[:100]
