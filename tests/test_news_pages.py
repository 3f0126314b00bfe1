"""Pages that read like news: time of day, standfirst, lead picture, reading time, favicon,
and a front page whose newest story leads."""

from __future__ import annotations

import pytest
from conftest import MakeSite, Page, article, picture_bytes, warnings_of

pytestmark = pytest.mark.fast

CONFIG = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\ntimezone: "Europe/London"\n'
WORDS = " ".join(f"word{n}" for n in range(460))  # two minutes at 230 words a minute


def test_article_page_reads_like_a_news_story(make_site: MakeSite) -> None:
    files = {
        "articles/2025-03-14-budget/index.md": article(
            "Budget day",
            "2025-03-14 09:30",
            WORDS,
            summary="'The chancellor sets out plans.'",
            image="front.jpg",
            image_alt="'The chancellor outside number 11'",
            image_caption="'Photo: <b>Wire</b>'",
            author="Ann Lee",
        ),
        "articles/2025-03-14-budget/front.jpg": picture_bytes(fmt="JPEG"),
    }
    site = make_site(files, CONFIG)
    assert warnings_of(site.build()) == []
    page = site.page("2025/03/14/budget/")
    story = "//article[@class='story']"
    assert page.text(f"{story}//h1") == "Budget day"
    # The standfirst comes right after the headline.
    assert page.texts(f"{story}/header/h1/following-sibling::*[1]") == [
        "The chancellor sets out plans."
    ]
    assert page.attrs(f"{story}/header/h1/following-sibling::*[1]", "class") == ["standfirst"]
    assert page.text(f"{story}//*[@class='published']") == "Published 14 March 2025, 09:30 GMT"
    assert page.text(f"{story}//*[@class='reading']") == "2 min read"  # no word count
    figure = f"{story}//figure"
    assert page.attrs(f"{figure}//img", "src") == ["/2025/03/14/budget/front.jpg"]
    assert page.attrs(f"{figure}//img", "alt") == ["The chancellor outside number 11"]
    assert page.text(f"{figure}/figcaption") == "Photo: <b>Wire</b>"
    assert (site.out / "2025/03/14/budget/front.jpg").is_file()


def test_a_lead_image_without_alt_text_is_a_warning(make_site: MakeSite) -> None:
    text = "---\ntitle: Pier\ndate: 2025-03-14 09:30\nimage: pier.jpg\n---\n\nBody.\n"
    site = make_site(
        {"articles/pier/index.md": text, "articles/pier/pier.jpg": picture_bytes()}, CONFIG
    )
    warnings = warnings_of(site.build())
    assert [(w.path, w.line) for w in warnings] == [("articles/pier/index.md", 4)]
    assert "alt text" in warnings[0].message
    # The picture is still shown, with an empty alt rather than none at all.
    page = site.page("2025/03/14/pier/")
    assert page.attrs("//article//figure//img", "alt") == [""]


def test_every_page_names_the_svg_favicon_which_the_site_can_replace(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")}, CONFIG)
    assert site.build().code == 0
    shipped = (site.out / "theme/favicon.svg").read_bytes()
    assert shipped.lstrip().startswith((b"<svg", b"<?xml"))
    pages = sorted(site.out.rglob("*.html"))
    for file in pages:
        page = Page.parse(file.read_bytes())
        icons = page.all("//head/link[@rel='icon']")
        assert [(e.get("href"), e.get("type")) for e in icons] == [
            ("/theme/favicon.svg", "image/svg+xml")
        ], file
    own = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect/></svg>'
    site.write("static/theme/favicon.svg", own)
    assert site.build().code == 0
    assert (site.out / "theme/favicon.svg").read_bytes() == own


def test_listings_lead_with_the_newest_story(make_site: MakeSite) -> None:
    files = {
        "articles/old.md": article(
            "Old", "2025-01-01 10:00", summary="Old news", image="https://example.net/o.png"
        ),
        "articles/new/index.md": article(
            "New", "2025-01-02 10:00", summary="Fresh news", image="n.png", image_alt="Boats"
        ),
        "articles/new/n.png": picture_bytes(),
        "articles/plain.md": article("Plain", "2024-12-31 10:00", tags="[x]"),
    }
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    home = site.page("")
    lead = "//main//article[@class='front-lead']"
    assert home.attrs(f"{lead}//img", "src") == ["/2025/01/02/new/n.png"]
    assert home.attrs(f"{lead}//img", "alt") == ["Boats"]
    assert home.texts(f"{lead}//*[@class='summary']") == ["Fresh news"]
    # The next stories are cards, each with its picture when it has one.
    cards = "//main//ol[@class='front-grid']/li"
    assert home.texts(f"{cards}//h2") == ["Old", "Plain"]
    assert home.attrs(f"{cards}//img", "src") == ["https://example.net/o.png"]  # as it is
    assert (site.out / "2025/01/02/new/n.png").is_file()
    # A listing leads with its newest story's large picture; the others show a thumbnail.
    month = site.page("2025/01/")
    items = "//main//ol[@class='article-list']/li"
    assert month.attrs(items, "class") == ["has-thumb", "has-thumb"]
    assert month.attrs(f"{items}//img", "alt") == ["Boats", ""]


def test_no_standfirst_or_midnight_without_a_summary_or_a_time(make_site: MakeSite) -> None:
    """A summary cut from the body would repeat its first paragraph; a date without a time
    of day would show a made-up 00:00."""
    body = "The first paragraph says it all.\n\nThen more.\n"
    site = make_site({"articles/a.md": article("A", "2025-03-14", body)}, CONFIG)
    assert site.build().code == 0
    page = site.page("2025/03/14/a/")
    assert page.all("//*[@class='standfirst']") == []
    assert page.text("//article//*[@class='published']") == "Published 14 March 2025"
    # The cut summary still describes the page to feeds and link previews.
    assert page.attrs("//meta[@name='description']", "content") == [
        "The first paragraph says it all."
    ]
