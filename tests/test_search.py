"""Full-text search with Pagefind: the index, what it holds, when it is made again, and a real
browser finding a demo article from the header's search box."""

from __future__ import annotations

import functools
import gzip
import html
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import REPO, MakeSite, Page, article

CONFIG = 'title: "T"\nbase_url: "https://example.org/"\n'


def fragments(out: Path) -> dict[str, str]:
    """What Pagefind indexed, page by page: {url: text} from its compressed fragments."""
    found = {}
    for file in (out / "pagefind/fragment").iterdir():
        data = gzip.decompress(file.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        found[fragment["url"]] = fragment
    return found


def index_files(out: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted((out / "pagefind").rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo(demo_build: Path) -> Path:
    return demo_build


def test_the_demo_has_a_search_index_of_its_articles_only(demo: Path) -> None:
    entry = json.loads((demo / "pagefind/pagefind-entry.json").read_bytes())
    articles = {
        p.parent.relative_to(demo).as_posix()
        for p in demo.rglob("index.html")
        if Page.parse(p.read_bytes()).all("//article[@class='story']")
    }
    assert entry["languages"]["en"]["page_count"] == len(articles) > 5
    indexed = fragments(demo)
    assert {url.strip("/") for url in indexed} == articles
    for url, fragment in indexed.items():
        page = Page.parse((demo / url.strip("/") / "index.html").read_bytes())
        title = page.text("//article//h1")
        # The title and the body are indexed; the navigation, byline and tags are not.
        assert fragment["content"].startswith(title), url
        assert "Skip to content" not in fragment["content"]
        assert "min read" not in fragment["content"]
        assert fragment["meta"]["title"] == title
        assert {"year", "topic"} <= set(fragment["filters"]) <= {"year", "topic", "author"}
        assert fragment["filters"]["year"] == [page.attrs("//article//time", "datetime")[0][:4]]
        # Stored as HTML (as titles are), because Pagefind's UI shows filter values as HTML.
        tags = page.texts("//article//a[@rel='tag']")
        assert sorted(fragment["filters"]["topic"]) == sorted(html.escape(t, False) for t in tags)
    # The search page and the box in every page's header lead to it.
    assert (demo / "search/index.html").is_file()
    home = Page.parse((demo / "index.html").read_bytes())
    assert home.attrs("//header//form[@role='search']", "action") == ["/search/"]


@contextmanager
def static_host(root: Path) -> Iterator[str]:
    """The built site on a plain static web server, as it is deployed."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def only_article_with(word: str) -> Path:
    """The one demo article whose text has WORD (the test's premise, checked)."""
    pattern = re.compile(rf"\b{word}\b", re.I)
    having = [
        p
        for p in sorted((REPO / "articles").rglob("*"))
        if p.is_file() and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert len(having) == 1, having
    return having[0]


def test_a_reader_finds_a_demo_article_from_the_search_box(browser: object, demo: Path) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    word = "boathouse"
    source = only_article_with(word)
    date = re.match(r"(\d{4})-(\d\d)-(\d\d)-", source.name)
    assert date
    with static_host(demo) as host:
        page = browser.new_page()
        page.goto(host + "/")
        page.fill("header input[type=search]", word)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q=boathouse"))
        results = page.locator(".pagefind-ui__result-link")
        expect(results).to_have_count(1, timeout=10_000)
        href = results.first.get_attribute("href") or ""
        assert href.startswith("/{}/{}/{}/".format(*date.groups()))
        title = Page.parse((demo / href.strip("/") / "index.html").read_bytes()).text("//h1")
        expect(results.first).to_have_text(title)

        # Newest first instead of best match: the order follows the dates.
        page.goto(host + "/search/?q=harbour&sort=date")
        links = page.locator(".pagefind-ui__result-link")
        expect(links.first).to_be_visible(timeout=10_000)
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        assert len(hrefs) >= 3
        days = [re.match(r"/(\d{4})/(\d\d)/(\d\d)/", h).groups() for h in hrefs]  # type: ignore[union-attr]
        assert days == sorted(days, reverse=True)
        expect(page.locator("#search-sort")).to_have_value("date")
        page.close()


def test_the_index_is_made_again_only_when_an_article_changed(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": article("Alpha", body="Seagulls nest here."),
        "articles/b.md": article("Beta", "2024-05-02 10:00", body="Ferries run late."),
    }
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    first = index_files(site.out)
    assert "pagefind/pagefind-entry.json" in first
    # A new static file and a rebuild of nothing change no article page: the index stays.
    site.write("static/extra.css", "body{}")
    assert site.build().code == 0
    assert site.build().code == 0
    assert index_files(site.out) == first
    # An edited article is indexed again, with its new words.
    site.write("articles/b.md", article("Beta", "2024-05-02 10:00", body="Cormorants dive."))
    assert site.build().code == 0
    texts = [f["content"] for f in fragments(site.out).values()]
    assert any("Cormorants" in t for t in texts)
    assert not any("Ferries" in t for t in texts)


def test_search_can_be_switched_off(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")}, CONFIG + "search: false\n")
    assert site.build().code == 0
    assert not (site.out / "pagefind").exists()
    assert not (site.out / "search").exists()
    assert site.page("").all("//form[@role='search']") == []
    # Switched on again, the same site gets both.
    site.write("newsgen.yaml", CONFIG)
    assert site.build().code == 0
    assert (site.out / "pagefind/pagefind-entry.json").is_file()
    assert site.page("").attrs("//form[@role='search']", "action") == ["/search/"]


@pytest.mark.parametrize(
    ("files", "owner"),
    [
        ({"pages/pf.md": "---\ntitle: P\nurl: /pagefind/\n---\nx\n"}, "pages/pf.md"),
        ({"articles/b.md": article("B", aliases="[/pagefind/old/]")}, "articles/b.md"),
    ],
)
def test_nothing_else_may_live_where_the_search_index_goes(
    make_site: MakeSite, files: dict[str, str], owner: str
) -> None:
    """The index step empties /pagefind/ and fills it anew: a page there would vanish."""
    site = make_site({"articles/a.md": article("A"), **files}, CONFIG)
    result = site.build()
    assert result.code == 1
    assert f"{owner}: its output /pagefind/" in result.stderr
    assert "where the search index goes" in result.stderr
    # Without search the folder is free.
    site.write("newsgen.yaml", CONFIG + "search: false\n")
    assert site.build().code == 0


def test_a_failed_index_leaves_the_one_there_was(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsgen.search

    site = make_site({"articles/a.md": article("Alpha", body="Seagulls nest here.")}, CONFIG)
    assert site.build().code == 0
    before = {rel: data for rel, (_, _, data) in index_files(site.out).items()}

    def broken(root: Path, language: str) -> str:
        (root / "pagefind").mkdir(exist_ok=True)
        (root / "pagefind" / "half-written.js").write_text("//")
        return "it crashed"

    monkeypatch.setattr(newsgen.search, "run_pagefind", broken)
    site.write("articles/a.md", article("Alpha", body="Cormorants dive."))
    result = site.build()
    assert result.code == 0, result.stderr
    assert "search index could not be built (it crashed); search is not updated" in result.stderr
    assert {rel: data for rel, (_, _, data) in index_files(site.out).items()} == before
    assert "Cormorants" in site.page("2024/05/01/a/").text("//article")


FAKE_PAGEFIND = """\
import os, pathlib, sys, time
pathlib.Path(os.environ["FAKE_PAGEFIND_MARK"]).write_text(str(os.getpid()))
time.sleep(600)
"""


def test_a_killed_build_takes_its_indexer_with_it(make_site: MakeSite, tmp_path: Path) -> None:
    """Pagefind must not go on writing into a standby tree after its build was killed (and
    hold the folder for no one)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the parent-death signal is Linux's")
    fake = tmp_path / "fake" / "pagefind"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text(FAKE_PAGEFIND)
    mark = tmp_path / "indexer.pid"
    site = make_site({"articles/a.md": article("A")}, CONFIG)
    paths = [str(tmp_path / "fake"), *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    env["FAKE_PAGEFIND_MARK"] = str(mark)
    build = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "build", str(site.root)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not mark.exists() or not mark.read_text():
            assert build.poll() is None, "the build ended without starting its indexer"
            assert time.monotonic() < deadline, "the indexer never started"
            time.sleep(0.02)
        indexer = int(mark.read_text())
    finally:
        build.kill()
        build.wait()
    deadline = time.monotonic() + 30
    while Path(f"/proc/{indexer}").exists() and b"Z" not in _state(indexer):
        assert time.monotonic() < deadline, "the indexer outlived its build"
        time.sleep(0.05)


def _state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return b"Z"
