"""The front page reads as a news front: a lead story with its picture, a grid of the next
stories, a block per section (or top tag) and a "Latest" list with today's times; listings
show a thumbnail and a section label."""

from __future__ import annotations

import pytest
from conftest import MakeSite, article, picture_bytes

from newsgen.errors import BuildFailed

pytestmark = pytest.mark.fast

CONFIG = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\ntimezone: "Europe/London"\n'
PNG = picture_bytes(60, 40)

LEAD = "//main//article[@class='front-lead']"
GRID = "//main//ol[@class='front-grid']/li"
BLOCK = "//main//section[@class='front-block']"
LATEST = "//main//section[@class='front-latest']//li"


def story(
    slug: str, title: str, date: str, section: str, picture: bool = True
) -> dict[str, str | bytes]:
    """A story in a bundle of its own under articles/SECTION/, with a picture when PICTURE."""
    folder = f"articles/{section}/{date[:10]}-{slug}"
    meta = {"image": "p.png", "image_alt": f'"Picture of {title}"'} if picture else {}
    files: dict[str, str | bytes] = {f"{folder}/index.md": article(f'"{title}"', date, **meta)}
    if picture:
        files[f"{folder}/p.png"] = PNG
    return files


def newsroom(config: str = CONFIG) -> tuple[dict[str, str | bytes], str]:
    files: dict[str, str | bytes] = {}
    places = ["news 14", "sport 14", "news 13", "sport 12", "arts 11", "news 10", "sport 09"]
    for n, (section, day) in enumerate(p.split() for p in [*places, "arts 08", "news 07"]):
        hour = "00:00" if n == 1 else f"{9 + n:02d}:30"  # the second: a date without a time
        title = f"Story {n} <b>&"
        files |= story(f"s{n}", title, f"2025-03-{day} {hour}", section, picture=n != 2)
    return files, config


def test_front_page_has_a_lead_a_grid_section_blocks_and_the_latest(make_site: MakeSite) -> None:
    files, config = newsroom(CONFIG + "front: {grid: 3, block_stories: 2, latest: 5}\n")
    site = make_site(files, config)
    assert site.build_here(now="2025-03-14 18:00") == []
    home = site.page("")
    # The lead: its large picture, its section and its headline (escaped once).
    assert home.text(f"{LEAD}//h2") == "Story 0 <b>&"
    assert home.attrs(f"{LEAD}//img", "alt") == ["Picture of Story 0 <b>&"]
    # Each picture is a <picture> whose <img> keeps the classes the theme's CSS lays out.
    assert home.attrs(f"{LEAD}/picture/img", "class") == ["picture picture-lead lead-image"]
    assert home.attrs(f"{GRID}//picture/img", "class") == ["picture picture-card"] * 2
    assert home.attrs(f"{BLOCK}//li//picture/img", "class") == ["picture picture-thumb"] * 5
    assert home.text(f"{LEAD}//*[@class='kicker']") == "News"
    # The next three as cards; a story without a picture has none.
    assert home.texts(f"{GRID}//h2") == ["Story 1 <b>&", "Story 2 <b>&", "Story 3 <b>&"]
    assert [len(item.xpath(".//img")) for item in home.all(GRID)] == [1, 0, 1]
    assert home.texts(f"{GRID}//*[@class='kicker']") == ["Sport", "News", "Sport"]
    # A block per section, in the navigation's order, without the stories shown above.
    assert home.texts(f"{BLOCK}/h2") == ["Arts", "News", "Sport"]
    assert home.attrs(f"{BLOCK}/h2/a", "href") == ["/arts/", "/news/", "/sport/"]
    blocks = [[" ".join(h.itertext()) for h in b.xpath(".//h3")] for b in home.all(BLOCK)]
    assert blocks == [
        ["Story 4 <b>&", "Story 7 <b>&"],
        ["Story 5 <b>&", "Story 8 <b>&"],
        ["Story 6 <b>&"],
    ]
    assert home.attrs(f"{BLOCK}[1]//li[1]//img", "alt") == ["Picture of Story 4 <b>&"]
    # The latest five: today's stories (now's day in the site's zone) by their time of day
    # (a story without one by its date), older days by their date.
    assert home.texts(LATEST) == [
        "09:30 Story 0 <b>&",
        "14 Mar Story 1 <b>&",
        "13 Mar Story 2 <b>&",
        "12 Mar Story 3 <b>&",
        "11 Mar Story 4 <b>&",
    ]
    # One page title, above every headline, for those who cannot see the layout.
    assert home.texts("//h1") == ["Latest news"]
    # Half an hour after midnight, the newest story is yesterday's: shown by its date.
    assert site.build_here(now="2025-03-15T00:30Z") == []
    assert site.page("").texts(LATEST)[0] == "14 Mar Story 0 <b>&"


def test_front_page_parts_follow_the_settings(make_site: MakeSite) -> None:
    files, config = newsroom(CONFIG + "front: {grid: 0, sections: [Sport, arts], latest: 0}\n")
    site = make_site(files, config)
    assert site.build_here() == []
    home = site.page("")
    assert home.all(GRID) == [] and home.all(LATEST) == []
    assert home.texts(f"{BLOCK}/h2") == ["Sport", "Arts"]
    assert home.texts(f"{BLOCK}[1]//h3") == ["Story 1 <b>&", "Story 3 <b>&", "Story 6 <b>&"]


def test_a_section_the_front_page_names_that_no_article_is_in_is_a_warning(
    make_site: MakeSite,
) -> None:
    files, config = newsroom(CONFIG + "front: {sections: [Sport, Weather]}\n")
    warnings = make_site(files, config).build_here()
    assert [(w.path, w.message) for w in warnings] == [
        (
            "newsgen.yaml",
            "'front.sections' names the section weather, which no article is in; it has no"
            " block on the front page (the sections, by URL name: arts, news, sport)",
        )
    ]


def test_a_site_without_sections_has_a_block_per_top_tag(make_site: MakeSite) -> None:
    files = {
        f"articles/{n}.md": article(f"S{n}", f"2025-03-{10 + n} 10:00", tags=tags)
        for n, tags in enumerate(["[a]", "[b, a]", '["<b>"]', "[a, c]", '[c, "<b>"]', "[a]"])
    } | {"articles/x.md": article("S-1", "2024-12-31 10:00", tags='["<b>"]')}
    site = make_site(files, CONFIG + "front: {grid: 1, blocks: 2}\n")
    assert site.build_here(now="2025-03-20 12:00") == []
    home = site.page("")
    assert home.texts(f"{BLOCK}/h2") == ["a", "<b>"]  # four stories, then three
    assert home.attrs(f"{BLOCK}/h2/a", "href")[0] == "/tags/a/"
    assert home.texts(f"{BLOCK}[1]//h3") == ["S3", "S1", "S0"]
    assert home.texts(f"{BLOCK}[2]//h3") == ["S2", "S-1"]
    # The Latest list gives the year of a story of another year than the newest's.
    assert home.texts(LATEST)[-2:] == ["10 Mar S0", "31 Dec 2024 S-1"]


def test_later_pages_are_plain_lists_and_each_language_has_its_front(make_site: MakeSite) -> None:
    files = {f"articles/{n}.md": article(f"E{n}", f"2025-03-{10 + n} 10:00") for n in range(4)} | {
        f"articles/{n}.fr.md": article(f"F{n}", f"2025-02-{10 + n} 10:00") for n in range(2)
    }
    languages = "languages:\n  en: {name: English}\n  fr: {name: Français}\nper_page: 2\n"
    site = make_site(files, CONFIG + languages)
    assert site.build_here() == []
    assert site.page("").text(f"{LEAD}//h2") == "E3"
    assert site.page("fr/").text(f"{LEAD}//h2") == "F1"
    assert site.page("fr/").texts(f"{GRID}//h2") == ["F0"]
    second = site.page("page/2/")
    assert second.all(LEAD) == [] and second.texts("//main//ol/li//h2") == ["E1", "E0"]


def test_a_lone_story_leads_without_a_list_of_itself_beside_it(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A", "2025-03-14 09:30")}, CONFIG)
    assert site.build_here() == []
    home = site.page("")
    assert home.text(f"{LEAD}//h2") == "A"
    assert home.all(LATEST) == [] and home.all(GRID) == []
    assert home.attrs("//main/div[article]", "class") == [
        "front-top text-lead"
    ]  # no picture, no list


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("front: {grid: -1}", "'front.grid' must be a whole number of at least 0"),
        ("front: {block_stories: 0}", "'front.block_stories' must be a whole number of at least 1"),
        ("front: {sections: sport}", "'front.sections' must be a list of section names"),
        ("front: {lead: 1}", "unknown key 'front.lead'"),
    ],
)
def test_front_settings_are_checked_at_their_line(
    make_site: MakeSite, setting: str, message: str
) -> None:
    site = make_site({"articles/a.md": article("A")}, CONFIG + setting + "\n")
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    [error] = failed.value.errors
    assert (str(error.path), error.line) == ("newsgen.yaml", 5)
    assert message in error.message


def test_listings_show_a_thumbnail_and_the_section_of_each_story(make_site: MakeSite) -> None:
    files, config = newsroom()
    site = make_site(files, config + "per_page: 4\n")
    assert site.build_here() == []
    month = site.page("2025/03/")
    items = "//main//ol[@class='article-list']/li"
    assert month.texts(f"{items}//*[@class='kicker']") == ["News", "Sport", "News", "Sport"]
    assert month.attrs(items, "class") == ["has-thumb", "has-thumb", None, "has-thumb"]
    assert month.attrs(f"{items}[2]//img", "alt") == ["Picture of Story 1 <b>&"]
    # A thumbnail is the processed, cropped one, with the class the theme's CSS lays out.
    [thumb] = month.all(f"{items}[2]/article/picture/img")
    assert thumb.get("class") == "picture picture-thumb"
    assert thumb.get("src").startswith("/_img/") and "-thumb-" in thumb.get("src")
    assert thumb.get("sizes") == "6.5rem"  # as wide as the theme draws it
    # The time of day is in the byline; the page title outranks every headline.
    assert month.text(f"{items}[1]//*[@class='byline']/time") == "14 March 2025, 09:30 GMT"
    assert month.texts("//main//h1") == ["Archive March 2025"]
    # A section's own page needs no label on each story.
    assert site.page("news/").all("//main//ol/li//*[@class='kicker']") == []


def test_story_byline_has_no_word_count_and_a_draft_is_never_published(
    make_site: MakeSite,
) -> None:
    files = {
        "articles/a.md": article("A", "2025-03-14 09:30", "word " * 500, author="Ann"),
        "articles/d.md": article("D", "2025-03-15 09:30", draft="true"),
    }
    site = make_site(files, CONFIG)
    site.build_here(drafts=True)
    byline = site.page("2025/03/14/a/").all("//article//p[@class='byline']/*")
    assert [" ".join("".join(e.itertext()).split()) for e in byline] == [
        "By Ann",
        "Published 14 March 2025, 09:30 GMT",
        "2 min read",
    ]
    draft = site.page("2025/03/15/d/")
    assert "Published" not in draft.text("//article//p[@class='byline']")
    assert draft.text("//article//*[@class='draft-note']") == "Draft: not published"
    assert draft.text("//article//*[@class='dated']") == "15 March 2025, 09:30 GMT"


def test_article_gives_search_its_section(make_site: MakeSite) -> None:
    files, config = newsroom()
    site = make_site(files, config)
    assert site.build_here() == []
    page = site.page("2025/03/14/s0/")
    link = page.all("//nav[@class='breadcrumb']//a[@data-pagefind-meta]")
    assert [(a.text, a.get("href"), a.get("data-pagefind-meta")) for a in link] == [
        ("News", "/news/", "section, section_url[href]")
    ]
