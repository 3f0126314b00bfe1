"""Accessible pages: axe-core in light and dark mode, no sideways scrolling, Lighthouse at 100.

Each site is built once, served by a plain `http.server` thread on 127.0.0.1, and opened in the
machine's headless Chromium (the `browser` fixture). axe-core and Lighthouse come from
tests/a11y (`npm ci --prefix tests/a11y`); without them, or without node, the tests skip,
except in CI (NEWSGEN_REQUIRE_A11Y=1), where that is a failure.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import find_chromium
from test_validity import (
    A11Y_TOOLS,
    LONG_WORD,
    SiteDir,
    build_fixture_site,
    install_a11y_tools,
    require_tool,
)

AXE_JS = A11Y_TOOLS / "axe-core" / "axe.min.js"
LIGHTHOUSE = A11Y_TOOLS / "lighthouse" / "cli" / "index.js"
SCHEMES = ("light", "dark")
WIDTHS = (320, 1280)
BLOCKING = ("serious", "critical")

# One page of each kind of the fixture site (its base URL's path is /news/).
FIXTURE_PAGES = {
    "home": "",
    "home, page 2": "page/2/",
    "article, escaping": "2024/01/15/escaping/",
    "article, wide table and long words": "2024/02/03/wide-things/",
    "article, page bundle": "2024/02/20/storm/",
    "article, raw HTML": "2023/06/01/council/",
    "article, wire copy": "2023/12/24/ferry-wire/",
    "tag": "tags/harbour/",
    "tag, unicode": "tags/новости/",
    "topics": "tags/",
    "archive": "archive/",
    "year": "2024/",
    "month": "2024/02/",
    "author": "authors/ana-lopez/",
    "authors": "authors/",
    "search": "search/?q=harbour",
    "page": "about/",
    "404": "404.html",
}
# The demo's pages of the kinds a reader meets most.
DEMO_PAGES = {
    "home": "",
    "article": "2025/03/14/harbour-wall-works-begin/",
    "tag": "tags/harbour/",
    "archive": "archive/",
    "month": "2025/03/",
    "author": "authors/daniel-okafor/",
    "search": "search/?q=harbour",
}
# The pages that must not scroll sideways at any width.
WIDTH_PAGES = {
    "home": "",
    "article": "2024/02/03/wide-things/",
    "page": "about/",
    "tag": "tags/harbour/",
    "archive": "archive/",
    "month": "2024/02/",
}


# --- a static server for a built site -------------------------------------------------------


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that drops a connection it no longer needs is not an error."""


class Quiet(SimpleHTTPRequestHandler):
    """Serve OUT under BASE (the path of the site's base_url), as the host will."""

    base = "/"

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.base):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.base) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@functools.cache
def npm_tool(path: Path) -> Path:
    require_tool(shutil.which("node") is not None, "no node on PATH (the a11y tools need it)")
    install_a11y_tools()
    require_tool(path.is_file(), f"{path.name} missing: run `npm ci --prefix tests/a11y`")
    return path


class Served:
    def __init__(self, out: Path, base: str) -> None:
        handler = type("Handler", (Quiet,), {"base": base})
        self.server = QuietServer(
            ("127.0.0.1", 0),
            functools.partial(handler, directory=str(out)),
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}{base}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def fixture_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site: SiteDir = build_fixture_site(tmp_path_factory.mktemp("a11y") / "site")
    served = Served(site.out, "/news/")
    yield served
    served.close()


@pytest.fixture(scope="module")
def demo_served(demo_build: Path) -> Iterator[Served]:
    served = Served(demo_build, "/")
    yield served
    served.close()


# --- axe-core ---------------------------------------------------------------------------------


def axe_violations(page: object) -> list[dict]:
    page.add_script_tag(path=str(npm_tool(AXE_JS)))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary)})); }"
    )
    return result


def axe_problems(browser: object, served: Served, pages: dict[str, str], scheme: str) -> list[str]:
    """Serious and critical axe violations on PAGES in SCHEME; every violation is printed."""
    npm_tool(AXE_JS)
    context = browser.new_context(color_scheme=scheme)
    problems: list[str] = []
    try:
        page = context.new_page()
        for kind, rel in pages.items():
            page.goto(served.root + rel)
            if kind == "search":  # the search form and its results are part of the page
                page.wait_for_selector("#search-results li", timeout=10_000)
            for violation in axe_violations(page):
                line = f"{kind} ({rel or '/'}), {scheme}: {violation['impact']} {violation['id']}"
                print(line, violation["help"])
                if violation["impact"] in BLOCKING:
                    problems.append(line + "\n    " + "\n    ".join(violation["nodes"][:5]))
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_axe_violations(browser: object, fixture_served: Served, scheme: str) -> None:
    problems = axe_problems(browser, fixture_served, FIXTURE_PAGES, scheme)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_axe_violations_on_the_demo(
    browser: object, demo_served: Served, scheme: str
) -> None:
    problems = axe_problems(browser, demo_served, DEMO_PAGES, scheme)
    assert problems == [], "\n".join(problems)


def test_skip_link_and_focus_are_visible(browser: object, fixture_served: Served) -> None:
    """The first Tab shows the skip link, which leads to the main landmark; focus is drawn."""
    context = browser.new_context(viewport={"width": 320, "height": 900})
    try:
        page = context.new_page()
        page.goto(fixture_served.root + WIDTH_PAGES["article"])
        page.keyboard.press("Tab")
        skip = page.locator("a.skip")
        assert page.evaluate("document.activeElement.className") == "skip"
        box = skip.bounding_box()
        assert box is not None and box["x"] >= 0 and box["y"] >= 0
        assert skip.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        assert page.evaluate("document.querySelectorAll('main, [role=main]').length") == 1
        # Tabbing on reaches the wide table's scrolling region, with a visible outline.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.className") == "table-wrap":
                break
        else:
            pytest.fail("Tab never reached the table's scrolling region")
        focused = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth]; })()"
        )
        assert focused == ["solid", "3px"]
    finally:
        context.close()


# --- widths -----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(
    browser: object, fixture_served: Served, width: int, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    too_wide: list[str] = []
    try:
        page = context.new_page()
        for kind, rel in WIDTH_PAGES.items():
            page.goto(fixture_served.root + rel)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            shot = tmp_path / f"{kind}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"{kind} at {width} px: scrollWidth {scroll_width}; {shot}")
            if scroll_width > width:
                too_wide.append(f"{kind} ({rel or '/'}): {scroll_width} px wide at {width} px")
    finally:
        context.close()
    assert too_wide == [], "\n".join(too_wide)


def test_wide_content_scrolls_inside_a_keyboard_reachable_region(
    browser: object, fixture_served: Served
) -> None:
    """A wide table scrolls in its own region, which takes keyboard focus; long words wrap."""
    context = browser.new_context(viewport={"width": 320, "height": 900})
    try:
        page = context.new_page()
        page.goto(fixture_served.root + WIDTH_PAGES["article"])
        regions = page.evaluate(
            """() => [...document.querySelectorAll('.story .body table, .story .body pre')]
                .map(el => {
                  const box = el.closest('.table-wrap') || el;
                  return {tag: el.tagName, scrolls: box.scrollWidth > box.clientWidth,
                          focusable: box.tabIndex >= 0, name: box.getAttribute('aria-label')};
                })"""
        )
        assert [r["tag"] for r in regions] == ["TABLE", "PRE", "PRE"]
        assert all(r["scrolls"] and r["focusable"] for r in regions), regions
        assert regions[0]["name"]
        # The long word is on the page, broken across lines rather than cut off.
        first = page.locator(".story .body p").first
        assert LONG_WORD in first.inner_text().replace("\n", "")
        assert first.evaluate("el => el.scrollWidth <= el.clientWidth")
    finally:
        context.close()


# --- Lighthouse -------------------------------------------------------------------------------

LIGHTHOUSE_CATEGORIES = ("accessibility", "best-practices", "seo")


def lighthouse(url: str, out: Path) -> dict[str, float]:
    """Lighthouse's category scores (0 to 100) for URL, run against the machine's Chromium."""
    cli = npm_tool(LIGHTHOUSE)
    chromium = find_chromium()
    require_tool(chromium is not None, "no Chromium for Lighthouse")
    env = {**os.environ, "CHROME_PATH": chromium}
    proc = subprocess.run(
        [
            "node",
            str(cli),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
            # The categories read here do not depend on timing; "simulate" waits the default
            # 1 s quiet windows after a load, where "provided" waits 5.25 s in each.
            "--throttling-method=simulate",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    failing = [
        f"{audit['id']}: {audit['title']} ({audit.get('score')})"
        for audit in report["audits"].values()
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
    ]
    for line in failing:
        print("  failing audit:", line)
    return {
        name: round(report["categories"][name]["score"] * 100) for name in LIGHTHOUSE_CATEGORIES
    }


@pytest.mark.parametrize("rel", ["", "2025/03/14/harbour-wall-works-begin/"])
def test_lighthouse_scores_100_on_the_demo(demo_served: Served, rel: str, tmp_path: Path) -> None:
    scores = lighthouse(demo_served.root + rel, tmp_path / "lighthouse.json")
    print(f"Lighthouse {rel or '/'}: {scores}")
    assert scores == dict.fromkeys(LIGHTHOUSE_CATEGORIES, 100)
