"""A real browser sees an edit on disk without anyone reloading the page.

Needs a Chromium on the machine (the `browser` fixture in conftest).
"""

from __future__ import annotations

from pathlib import Path

from conftest import MakeSite
from conftest import article as conftest_article
from servehelpers import article, replace_file, serving, write_site


def test_page_shows_edit_without_reload(browser: object, tmp_path: Path) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    source = "articles/2024/2024-05-01-harbour.md"
    site = write_site(tmp_path / "site", {source: article("Harbour reopens")})
    with serving(site, tmp_path) as server:
        page = browser.new_page()
        # Load the page and let it open its event stream, as an editor's tab would have by now.
        with page.expect_response(lambda r: r.url.endswith("/__newsgen__/events")):
            page.goto(f"http://{server.host}:{server.port}{server.base}2024/05/01/harbour/")
        headline = page.locator("article h1")
        expect(headline).to_have_text("Harbour reopens")

        replace_file(site / source, article("Harbour reopens after the storm"))
        expect(headline).to_have_text("Harbour reopens after the storm", timeout=3000)

        # A broken edit shows the overlay on the open page; fixing it clears the overlay.
        replace_file(site / source, '---\ntitle: "Harbour"\ntags: [unclosed\n---\n')
        overlay = page.locator("#newsgen-errors[role=alert] pre")
        expect(overlay).to_contain_text(f"{source}:3:", timeout=3000)
        expect(headline).to_have_text("Harbour reopens after the storm")
        replace_file(site / source, article("Harbour fixed"))
        expect(headline).to_have_text("Harbour fixed", timeout=3000)
        expect(page.locator("#newsgen-errors")).to_have_count(0)
        page.close()


def test_theme_is_responsive_has_a_dark_mode_and_needs_no_javascript(
    browser: object, tmp_path: Path
) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    long_title = "Council publishes its longest ever harbour-improvement-consultation report"
    site = write_site(tmp_path / "site", {"articles/a.md": article(long_title, body="Text. " * 80)})
    with serving(site, tmp_path) as server:
        url = f"http://{server.host}:{server.port}{server.base}2024/05/01/a/"
        colours = {}
        for scheme in ("light", "dark"):
            context = browser.new_context(
                color_scheme=scheme,
                java_script_enabled=False,
                viewport={"width": 360, "height": 740},
            )
            page = context.new_page()
            page.goto(url)
            # A phone-sized screen: the story fits without sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            assert page.locator("article h1").is_visible()
            colours[scheme] = page.evaluate(
                "[getComputedStyle(document.body).backgroundColor,"
                " getComputedStyle(document.body).color]"
            )
            context.close()

    def brightness(rgb: str) -> int:
        return sum(int(n) for n in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])

    light_bg, light_fg = colours["light"]
    dark_bg, dark_fg = colours["dark"]
    assert brightness(light_bg) > brightness(light_fg)  # dark text on a light page
    assert brightness(dark_bg) < brightness(dark_fg)  # light text on a dark page
    assert brightness(dark_bg) < brightness(light_bg)


def test_front_grid_has_columns_for_the_width_and_search_results_start_on_the_first_screen(
    browser: object, demo_build: Path
) -> None:
    """The demo's front page grid: one column on a phone, two on a tablet, three on a wide
    screen; on a phone, the first search result is on the first screen."""
    from playwright.sync_api import Browser
    from test_a11y import Served

    assert isinstance(browser, Browser)
    served = Served(demo_build, "/")
    try:
        columns = {}
        for width in (360, 768, 1280):
            context = browser.new_context(viewport={"width": width, "height": 640})
            page = context.new_page()
            page.goto(served.root)
            columns[width] = page.evaluate(
                "getComputedStyle(document.querySelector('.front-grid'))"
                ".gridTemplateColumns.split(' ').length"
            )
            # Every card's picture fits its column: nothing scrolls sideways.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            # A section block's thumbnail (an <img> inside a <picture>) sits beside its
            # headline, not above it.
            thumb = page.locator(".has-thumb .picture-thumb").first.bounding_box()
            headline = page.locator(".has-thumb .headline").first.bounding_box()
            assert thumb and headline and thumb["x"] >= headline["x"] + headline["width"]
            assert thumb["y"] < headline["y"] + headline["height"], (thumb, headline)
            # On a tablet the lead's picture is beside its words; on a phone, above them.
            lead = page.locator(".front-lead .picture-lead").bounding_box()
            words = page.locator(".front-lead .front-lead-text").bounding_box()
            assert lead and words, (lead, words)
            if width == 768:
                assert lead["x"] + lead["width"] <= words["x"] and lead["y"] == words["y"]
            elif width == 360:
                assert lead["y"] + lead["height"] <= words["y"]
            context.close()
        assert columns == {360: 1, 768: 2, 1280: 3}

        context = browser.new_context(viewport={"width": 360, "height": 640})
        page = context.new_page()
        page.goto(served.root + "search/?q=harbour")
        first = page.locator("#search-results > li").first
        first.wait_for()
        box = first.bounding_box()
        assert box is not None and box["y"] + 80 < 640, box  # its headline at least
        context.close()
    finally:
        served.close()


def test_a_wrapped_byline_never_starts_a_line_with_its_separator(
    browser: object, demo_build: Path
) -> None:
    """At every width from a small phone's to a wide screen's, the "·" after a byline's
    authors stays at the end of their line: the demo's two-author byline, as wide as a
    line at 300 px, left it to start the next. The page is laid out at each width in a
    frame of that width (its media queries answer to the frame's width as to a window's;
    resizing the window 700 times took ten times as long)."""
    from playwright.sync_api import Browser
    from test_a11y import Served

    assert isinstance(browser, Browser)
    served = Served(demo_build, "/")
    # A part whose last box is a lone separator at the byline's left edge: "·" began a line.
    scan = """async () => {
        const lone = (doc) => [...doc.querySelectorAll('.byline > :not(:last-child)')].filter(e => {
            const boxes = [...e.getClientRects()];
            const last = boxes[boxes.length - 1];
            const left = e.closest('.byline').getBoundingClientRect().left;
            return boxes.length > 1 && last.width < 14 && Math.abs(last.left - left) < 2;
        }).map(e => e.textContent.trim());
        const frame = document.createElement('iframe');
        frame.style.cssText = 'position:fixed;top:0;left:0;height:640px;border:0;width:300px';
        frame.src = location.href;
        await new Promise(loaded => { frame.onload = loaded; document.body.append(frame); });
        const found = {};
        let bylines = 0;
        for (let width = 300; width < 1000; width++) {
            frame.style.width = width + 'px';
            bylines += frame.contentDocument.querySelectorAll('.byline').length;
            const parts = lone(frame.contentDocument);
            if (parts.length) found[width] = parts;
        }
        return [found, bylines];
    }"""
    try:
        page = browser.new_page()
        for rel in ("", "politics/"):
            page.goto(served.root + rel)
            found, bylines = page.evaluate(scan)
            assert bylines >= 700, rel  # the frame held the page at every width
            assert found == {}, rel
        page.close()
    finally:
        served.close()


def test_a_lead_without_a_picture_leaves_no_gap_beside_the_latest_stories(
    browser: object, make_site: MakeSite
) -> None:
    """A lead story without a picture, on a wide screen: its few lines stood beside a list of
    ten latest stories far taller than they were, with an empty column under them. Its
    words now run across the page, the latest stories in columns under them."""
    from playwright.sync_api import Browser
    from test_a11y import Served

    assert isinstance(browser, Browser)
    files = {
        f"articles/s{n}.md": conftest_article(f"Story {n}", f"2024-05-{n + 1:02d} 10:00")
        for n in range(12)
    }
    site = make_site(files)
    assert site.build().code == 0
    served = Served(site.out, "/")
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(served.root)
        words = page.locator(".front-lead").bounding_box()
        latest = page.locator(".front-latest").bounding_box()
        grid = page.locator(".front-grid").bounding_box()
        assert words and latest and grid
        # Nothing beside the lead's words: the list starts under them, and its columns keep
        # it short, so the grid follows within a short distance.
        assert latest["y"] >= words["y"] + words["height"]
        assert latest["height"] < 400, latest
        assert grid["y"] - (words["y"] + words["height"]) < latest["height"] + 120
        page.close()
    finally:
        served.close()
