"""The repository root is the demo site: it builds, every link works, and it shows the features."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import html5lib
import pytest
import yaml
from conftest import REPO, Page, run_newsgen
from lxml import etree

BASE_URL = "https://example.org/"  # the demo's newsgen.yaml
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def build_demo(out: Path, *extra: str) -> Path:
    result = run_newsgen("build", REPO, "-o", out, *extra)
    assert result.code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def demo(demo_build: Path) -> Path:
    return demo_build


@pytest.fixture(scope="module")
def demo_drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo-drafts") / "out", "--drafts")


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig")
    _, meta, _ = text.split("---\n", 2)
    return yaml.safe_load(meta)


def sources() -> list[Path]:
    return sorted(p for p in (REPO / "articles").rglob("*") if p.suffix in (".md", ".txt"))


def page_locs(out: Path) -> set[str]:
    tree = etree.parse(str(out / "sitemap.xml"))
    return set(tree.xpath("//s:loc/text()", namespaces=SITEMAP))


def test_every_internal_link_of_the_demo_resolves(demo: Path) -> None:
    pages = sorted(demo.rglob("*.html"))
    checked, problems = 0, []
    for file in pages:
        here = BASE_URL + quote(file.relative_to(demo).as_posix().removesuffix("index.html"))
        page = Page.parse(file.read_bytes())
        for link in page.attrs("//*[@href]", "href") + page.attrs("//*[@src]", "src"):
            parts = urlsplit(link)
            # Article bodies may link to other sites (example.org too), so only links within
            # the site count: a path, and no fragment-only "#main".
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = urlsplit(urljoin(here, link))
            checked += 1
            rel = unquote(target.path).removeprefix("/")
            served = demo / rel / "index.html" if rel == "" or rel.endswith("/") else demo / rel
            if not served.is_file():
                problems.append(f"{file.relative_to(demo)}: {link}")
    assert problems == []
    assert len(pages) >= 20 and checked > 10 * len(pages)


def test_the_demo_checks_clean_and_names_its_publisher_with_a_logo(demo: Path) -> None:
    """The demo shows what a site without problems looks like to `newsgen check`, its
    NewsArticle publisher logo included (search engines' news results ask for it)."""
    result = run_newsgen("check", REPO)
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[-1].endswith(": 0 errors, 0 warnings"), result.stdout
    page = Page.parse((demo / "2024/06/01/fish-and-chips-festival-returns/index.html").read_bytes())
    [data] = [json.loads(text) for text in page.texts("//script[@type='application/ld+json']")]
    logo = urlsplit(data["publisher"]["logo"]["url"]).path
    assert (demo / logo.lstrip("/")).is_file()


def test_every_demo_page_is_valid_html5(demo: Path) -> None:
    config = yaml.safe_load((REPO / "newsgen.yaml").read_text(encoding="utf-8"))
    language = config.get("language", "en")
    others = [code for code in config.get("languages", {}) if code != language]
    for file in sorted(demo.rglob("*.html")):
        data = file.read_bytes()
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
        page = Page.parse(data)
        # A page under another language's prefix (/fr/…) is in that language.
        first = file.relative_to(demo).parts[0]
        expected = first if first in others else language
        assert page.attrs("/html", "lang") == [expected], file.relative_to(demo)
        assert len(page.all("//h1")) == 1, file.relative_to(demo)
        assert page.text("//head/title"), file.relative_to(demo)


def test_demo_has_eight_articles_over_more_than_a_year(demo: Path) -> None:
    feed = etree.parse(str(demo / "atom.xml"))
    dates = [
        datetime.fromisoformat(d)
        for d in feed.xpath("/a:feed/a:entry/a:published/text()", namespaces=ATOM)
    ]
    assert len(dates) >= 8
    assert max(dates) - min(dates) > timedelta(days=366)


def test_demo_has_wire_copy(demo: Path) -> None:
    txt = [p for p in sources() if p.suffix == ".txt"]
    assert txt, "the demo has no .txt article"
    titles = {Page.parse(f.read_bytes()).text("//h1") for f in demo.rglob("index.html")}
    assert {front_matter(p)["title"] for p in txt} <= titles


def test_demo_draft_is_built_only_with_drafts(demo: Path, demo_drafts: Path) -> None:
    drafts = [p for p in sources() if front_matter(p).get("draft") is True]
    assert drafts, "the demo has no draft"
    extra = page_locs(demo_drafts) - page_locs(demo)
    extra_titles = set()
    for url in extra:
        rel = unquote(urlsplit(url).path).removeprefix("/")
        listing = re.fullmatch(r"\d{4}/(\d{2}/)?(page/\d+/)?", rel)  # a date archive page
        if rel.startswith(("tags/", "page/", "authors/")) or rel == "" or listing:
            continue
        extra_titles.add(Page.parse((demo_drafts / rel / "index.html").read_bytes()).text("//h1"))
    assert extra_titles == {front_matter(p)["title"] for p in drafts}


def test_demo_articles_share_tags(demo: Path) -> None:
    tags = Page.parse((demo / "tags/index.html").read_bytes())
    counts = [int(text.split()[0]) for text in tags.texts("//main//li/*[@class='count']")]
    assert counts and max(counts) >= 2
    assert sum(1 for c in counts if c >= 2) >= 3


def test_demo_shows_a_correction(demo: Path) -> None:
    corrected = [p for p in sources() if front_matter(p).get("corrections")]
    assert corrected, "the demo has no corrected article"
    listing = Page.parse((demo / "corrections/index.html").read_bytes())
    titles = listing.texts("//main//h2")
    assert titles == [front_matter(p)["title"] for p in corrected]
    page = Page.parse((demo / "2025/03/14/harbour-wall-works-begin/index.html").read_bytes())
    assert "Correction, 17 March 2025:" in page.text("//section[@class='corrections']//strong")
