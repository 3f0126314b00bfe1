"""Full-text search with Pagefind: the index, what it holds, when it is made again, and a real
browser finding a demo article from the header's search box."""

from __future__ import annotations

import functools
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import REPO, MakeSite, Page, article, warnings_of

CONFIG = 'title: "T"\nbase_url: "https://example.org/"\n'


def fragments(out: Path) -> dict[str, dict[str, object]]:
    """What Pagefind indexed, page by page, in every part: {url: fragment}."""
    return {url: fragment for part in parts(out).values() for url, fragment in part.items()}


def parts(out: Path) -> dict[str, dict[str, dict[str, object]]]:
    """The search index's parts, each with what it indexed: {part: {url: fragment}}."""
    found: dict[str, dict[str, dict[str, object]]] = {}
    for entry in sorted((out / "pagefind").rglob("pagefind-entry.json")):
        part = found.setdefault(entry.parent.relative_to(out / "pagefind").as_posix(), {})
        for file in (entry.parent / "fragment").iterdir():
            data = gzip.decompress(file.read_bytes())
            assert data.startswith(b"pagefind_dcd")
            fragment = json.loads(data[len(b"pagefind_dcd") :])
            part[fragment["url"]] = fragment
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
    entries = {
        p.parent.relative_to(demo / "pagefind").as_posix(): json.loads(p.read_bytes())
        for p in (demo / "pagefind").rglob("pagefind-entry.json")
    }
    articles = {
        p.parent.relative_to(demo).as_posix()
        for p in demo.rglob("index.html")
        if Page.parse(p.read_bytes()).all("//article[@class='story']")
    }
    # Each language has parts of its own, read in its language: the French story is in
    # French parts only, found from the French search page.
    languages = {part: set(entry["languages"]) for part, entry in entries.items()}
    assert {part for part, spoken in languages.items() if spoken == {"fr"}} == {"fr/2024"}
    assert all(spoken == {"en"} for part, spoken in languages.items() if part != "fr/2024")
    count = sum(next(iter(e["languages"].values()))["page_count"] for e in entries.values())
    assert count == len(articles) > 5
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
        if p.suffix in (".md", ".txt") and pattern.search(p.read_text(encoding="utf-8"))
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
        results = page.locator("#search-results h2 a")
        expect(results).to_have_count(1, timeout=10_000)
        href = results.first.get_attribute("href") or ""
        assert href.startswith("/{}/{}/{}/".format(*date.groups()))
        story = Page.parse((demo / href.strip("/") / "index.html").read_bytes())
        title = story.text("//h1")
        expect(results.first).to_have_text(title)
        # The result says where and when it was published, and by whom; its excerpt starts
        # after the headline instead of repeating it.
        found = page.locator("#search-results > li").first
        section = story.text("//nav[@class='breadcrumb']//a[@data-pagefind-meta]")
        expect(found.locator(".kicker a")).to_have_text(section)
        byline = story.text("//article//span[@class='authors']")
        expect(found.locator(".byline")).to_contain_text(byline)
        day = story.text("//article//span[@class='published']/time").split(",")[0]
        expect(found.locator(".byline")).to_contain_text(day)
        excerpt = found.locator(".summary").inner_text().lstrip("… ")
        words = title.split()
        assert not any(excerpt.startswith(" ".join(words[i:])) for i in range(len(words)))

        # Newest first instead of best match: the order follows the dates.
        page.goto(host + "/search/?q=harbour&sort=date")
        links = page.locator("#search-results h2 a")
        expect(links.first).to_be_visible(timeout=10_000)
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        assert len(hrefs) >= 3
        days = [re.match(r"/(\d{4})/(\d\d)/(\d\d)/", h).groups() for h in hrefs]  # type: ignore[union-attr]
        assert days == sorted(days, reverse=True)
        expect(page.locator("#search-sort")).to_have_value("date")
        expect(page.locator("#search-sort")).to_be_visible()  # the address chose an order
        page.close()


def test_the_index_is_made_again_only_when_an_article_changed(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": article("Alpha", body="Seagulls nest here."),
        "articles/b.md": article("Beta", "2024-05-02 10:00", body="Ferries run late."),
    }
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    first = index_files(site.out)
    assert "pagefind/2024/pagefind-entry.json" in first
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


def test_a_scheduled_story_is_not_in_the_index_until_its_time(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": article("Alpha", body="Seagulls nest here."),
        "articles/b.md": article("Beta", "2024-05-02 10:00", body="Zeppelins land."),
    }
    site = make_site(files, CONFIG)
    assert warnings_of(site.build("--now", "2024-05-02 09:59")) == []
    assert sorted(fragments(site.out)) == ["/2024/05/01/a/"]
    assert warnings_of(site.build("--now", "2024-05-02 10:00")) == []
    assert sorted(fragments(site.out)) == ["/2024/05/01/a/", "/2024/05/02/b/"]


def test_search_can_be_switched_off(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")}, CONFIG + "search: false\n")
    assert site.build().code == 0
    assert not (site.out / "pagefind").exists()
    assert not (site.out / "search").exists()
    assert site.page("").all("//form[@role='search']") == []
    # Switched on again, the same site gets both.
    site.write("newsgen.yaml", CONFIG)
    assert site.build().code == 0
    assert (site.out / "pagefind/2024/pagefind-entry.json").is_file()
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

    def broken(pages: str, output: str, language: str) -> str:
        Path(output).mkdir(parents=True, exist_ok=True)
        (Path(output) / "half-written.js").write_text("//")
        return "it crashed"

    monkeypatch.setattr(newsgen.search, "run_pagefind", broken)
    site.write("articles/a.md", article("Alpha", body="Cormorants dive."))
    result = site.build()
    assert result.code == 0, result.stderr
    message = "search index of 2024 could not be built (it crashed); search there is not updated"
    assert message in result.stderr
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


def three_years() -> dict[str, str]:
    return {
        f"articles/{year}-{n}.md": article(
            f"Harbour {year} {n}", f"{year}-0{n}-0{n} 10:00", body=f"Harbour news {year} {n}."
        )
        for year in (2022, 2023, 2024)
        for n in (1, 2, 3)
    }


def test_the_index_comes_in_parts_by_year_and_an_edit_remakes_its_own_part_only(
    make_site: MakeSite,
) -> None:
    site = make_site(three_years(), CONFIG)
    assert site.build().code == 0
    found = parts(site.out)
    assert {part: sorted(urls) for part, urls in found.items()} == {
        str(year): [f"/{year}/0{n}/0{n}/{year}-{n}/" for n in (1, 2, 3)]
        for year in (2022, 2023, 2024)
    }
    before = index_files(site.out)
    # The search page knows every part, newest first.
    holder = site.page("search/").attrs("//div[@id='search']", "data-parts")
    assert holder == ["2024:3 2023:3 2022:3"]

    # The first 2023 story's neighbours (2022's last and 2023's second) show its title and
    # are made again, but the words indexed for them are the same: their parts stay.
    site.write("articles/2023-1.md", article("Harbour 2023 1", "2023-01-01 10:00", body="Gulls."))
    assert site.build().code == 0
    after = index_files(site.out)
    for rel, stat in before.items():
        if not rel.startswith("pagefind/2023/"):
            assert after[rel] == stat, rel  # the same file: not written again
    assert any(after.get(rel) != stat for rel, stat in before.items() if "/2023/" in rel)
    assert "Gulls" in parts(site.out)["2023"]["/2023/01/01/2023-1/"]["content"]  # type: ignore[operator]

    # A year with no article left loses its part; a new year gets one.
    for n in (1, 2, 3):
        (site.root / f"articles/2022-{n}.md").unlink()
    site.write("articles/2021-1.md", article("Harbour 2021", "2021-06-01 10:00"))
    assert site.build().code == 0
    assert sorted(parts(site.out)) == ["2021", "2023", "2024"]
    assert not (site.out / "pagefind/2022").exists()
    assert site.page("search/").attrs("//div[@id='search']", "data-parts") == [
        "2024:3 2023:3 2021:1"
    ]


def test_a_year_too_big_for_one_part_is_split_into_the_fewest_spans_of_months(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsgen.site

    monkeypatch.setattr(newsgen.site, "SEARCH_SHARD_SIZE", 2)
    files = {
        f"articles/{m}-{d}.md": article(f"A {m} {d}", f"2024-{m:02d}-0{d} 10:00")
        for m in (1, 8)
        for d in (1, 2)
    }
    files["articles/old.md"] = article("Old", "2020-05-01 10:00")
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    # Two halves of 2024 hold two articles each: no need for months.
    assert sorted(parts(site.out)) == ["2020", "2024-01", "2024-07"]
    holder = site.page("search/").attrs("//div[@id='search']", "data-parts")
    assert holder == ["2024-07:2 2024-01:2 2020:1"]
    # A third article in January: halves no longer do, nor thirds or quarters; two-month
    # spans do (January and February hold three, so months it is).
    site.write("articles/1-3.md", article("A 1 3", "2024-01-03 10:00"))
    site.write("articles/2-1.md", article("A 2 1", "2024-02-01 10:00"))
    assert site.build().code == 0
    assert sorted(parts(site.out)) == ["2020", "2024-01", "2024-02", "2024-08"]
    assert not (site.out / "pagefind/2024-07").exists()


def test_a_reader_finds_articles_in_every_part_in_date_order_and_names_stay_text(
    browser: object, make_site: MakeSite
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    files = three_years()
    hostile = "<img src=x onerror=window.pwned=1>"
    files["articles/2023-2.md"] = article(
        "Harbour <b>2023</b> 2", "2023-02-02 10:00", body="Harbour news.", author=f"'{hostile}'"
    )
    site = make_site(files, 'title: "T"\nbase_url: "https://example.org/paper/"\n')
    assert site.build().code == 0
    host_root = site.root / "host"  # the site deployed under a path, as its base URL says
    host_root.mkdir()
    (host_root / "paper").symlink_to(site.out)
    with static_host(host_root) as host:
        page = browser.new_page()
        page.goto(host + "/paper/search/?q=harbour&sort=date")
        links = page.locator("#search-results h2 a")
        expect(page.locator("#search-status")).to_have_text(
            "9 articles found for “harbour”.", timeout=10_000
        )
        expect(links).to_have_count(9)
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(9)]
        days = [h.split("/")[2:5] for h in hrefs]
        assert all(h.startswith("/paper/") for h in hrefs), hrefs
        assert days == sorted(days, reverse=True) and len({d[0] for d in days}) == 3
        expect(links.nth(4)).to_have_text("Harbour <b>2023</b> 2")
        byline = page.locator("#search-results li").nth(4).locator(".byline")
        expect(byline).to_contain_text(f"By {hostile}")
        # The author filter offers the name as text, and choosing it finds the one article.
        page.evaluate("window.stayed = true")
        # Choosing is not yet searching: a keyboard user steps through the options. (An
        # action waits for a navigation it starts: a new page would have lost the mark.)
        page.select_option("#search-author", label=f"{hostile} (1)")
        assert page.evaluate("window.stayed") is True
        page.click("#search form button[type=submit]")
        expect(links).to_have_count(1, timeout=10_000)
        assert page.locator("#search-author").input_value() == hostile
        assert page.evaluate("window.pwned") is None
        page.close()


def test_the_parts_answer_as_one_index_would(browser: object, make_site: MakeSite) -> None:
    """A part lacking a word does not answer with a shorter one or ignore it; scores are
    weighed over the whole archive; a damaged part leaves the others searchable."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    files = {
        "articles/a.md": article("Old boathouse", "2021-03-01 10:00", body="Boathouse harbour."),
        "articles/b.md": article("Boats", "2022-03-01 10:00", body="Many boats in harbour."),
        "articles/c.md": article("Met", "2022-04-01 10:00", body="The council met yesterday."),
        "articles/d.md": article("Monday", "2023-03-01 10:00", body="The council met Monday."),
    }
    # A small year where "storm" is rare, and a big one where every story has it (one in
    # its headline): weighed part by part, the rare mention would outrank the headline.
    files |= {
        f"articles/s{n}.md": article(f"Quiet {n}", f"2024-03-{n + 1:02d} 10:00", body="Calm.")
        for n in range(19)
    }
    files["articles/s19.md"] = article("Quiet 19", "2024-03-20 10:00", body="A storm, once.")
    files |= {
        f"articles/t{n}.md": article(f"Day {n}", f"2020-03-0{n + 1} 10:00", body="Storm again.")
        for n in range(4)
    }
    files["articles/t4.md"] = article("Storm hits", "2020-03-09 10:00", body="Storm.")
    # A part answers a word it lacks with a longer word of the same start (hacking for
    # hackfest), which one index would not; a longer word that begins with the word typed
    # (councillor, cafeteria) one index finds too, in a query of two words as well.
    files["articles/h1.md"] = article("Fest", "2019-03-01 10:00", body="The hackfest met.")
    files["articles/h2.md"] = article("Guide", "2018-03-01 10:00", body="A hacking guide.")
    files["articles/h3.md"] = article("Gone", "2018-04-01 10:00", body="Councillor left yesterday.")
    files["articles/h4.md"] = article("Lunch", "2017-03-01 10:00", body="Cafeteria lunch.")
    files["articles/h5.md"] = article("Cup", "2016-03-01 10:00", body="A café cup.")
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    assert len(parts(site.out)) == 9

    def titles(page: object, query: str) -> list[str]:
        page.goto(host + "/search/?q=" + query)  # type: ignore[attr-defined]
        status = page.locator("#search-status")  # type: ignore[attr-defined]
        expect(status).to_contain_text("found", timeout=10_000)
        return page.locator("#search-results h2").all_inner_texts()  # type: ignore[attr-defined]

    with static_host(site.out) as host:
        page = browser.new_page()
        assert titles(page, "boathouse") == ["Old boathouse"]  # not "Boats"
        assert sorted(titles(page, "council+yesterday")) == ["Gone", "Met"]  # not "Monday"
        assert titles(page, "hackfest") == ["Fest"]  # not "Guide"
        assert sorted(titles(page, "café")) == ["Cup", "Lunch"]
        storm = titles(page, "storm")
        assert storm[0] == "Storm hits"
        # A word no part has is ignored, as one index ignores it, and weighs nothing.
        assert titles(page, "storm+nowhereword") == storm
        # A name the archive does not have is not applied, and the page says so.
        assert titles(page, "storm&topic=Nowhere")[0] == "Storm hits"
        expect(page.locator("#search-status")).to_contain_text("not applied: topic “Nowhere”")
        page.goto(host + "/search/?author=Nobody")  # filters alone, none known: said, not blank
        expect(page.locator("#search-status")).to_have_text(
            "Not in the archive, so not applied: author “Nobody”."
        )
        shutil.rmtree(site.out / "pagefind/2022/fragment")
        assert titles(page, "harbour") == ["Old boathouse"]
        expect(page.locator("#search-status")).to_have_text(
            "1 article found for “harbour”. 1 result could not be shown."
        )
        page.close()


def test_a_part_made_by_another_pagefind_is_made_again(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsgen.search
    import newsgen.searchtool

    made: list[str] = []
    index_parts = newsgen.search.index_parts

    def recorded(root: str, todo: list[tuple[str, str, list[str]]], *args: object) -> object:
        made.extend(part for part, _, _ in todo)
        return index_parts(root, todo, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(newsgen.search, "index_parts", recorded)
    site = make_site(three_years(), CONFIG)
    assert site.build().code == 0
    assert sorted(made) == ["2022", "2023", "2024"]
    made.clear()
    assert site.build().code == 0
    assert made == []  # nothing changed: no part is made
    monkeypatch.setattr(newsgen.searchtool, "pagefind_version", lambda: "pagefind 9.9.9")
    again = site.build()
    assert again.code == 0, again.stderr
    assert sorted(made) == ["2022", "2023", "2024"]  # each part made anew by the new Pagefind
    assert warnings_of(again) == []


BILINGUAL = CONFIG + "languages: {en: {name: English}, fr: {name: Français}}\n"


def bilingual() -> dict[str, str]:
    files = {
        f"articles/{year}-{n}.md": article(
            f"Harbour {year} {n}", f"{year}-0{n}-0{n} 10:00", body=f"Harbour news {year} {n}."
        )
        for year in (2023, 2024)
        for n in (1, 2)
    }
    files["articles/port.fr.md"] = article(
        "Le port rouvre", "2024-03-01 10:00", body="Le port du village rouvre ses quais."
    )
    files["articles/quais.fr.md"] = article(
        "Les quais", "2024-04-01 10:00", body="Les quais du port sont neufs."
    )
    return files


def test_each_language_has_its_own_index_parts_and_search_page(make_site: MakeSite) -> None:
    site = make_site(bilingual(), BILINGUAL)
    assert site.build().code == 0
    found = parts(site.out)
    assert {part: sorted(urls) for part, urls in found.items()} == {
        "2024": ["/2024/01/01/2024-1/", "/2024/02/02/2024-2/"],
        "2023": ["/2023/01/01/2023-1/", "/2023/02/02/2023-2/"],
        "fr/2024": ["/fr/2024/03/01/port/", "/fr/2024/04/01/quais/"],
    }
    # Each part's words are read in its language (stemming, the search engine it loads).
    for part, language in (("2024", "en"), ("2023", "en"), ("fr/2024", "fr")):
        entry = json.loads((site.out / "pagefind" / part / "pagefind-entry.json").read_bytes())
        assert set(entry["languages"]) == {language}, part
    english, french = site.page("search/"), site.page("fr/search/")
    assert english.attrs("//div[@id='search']", "data-parts") == ["2024:2 2023:2"]
    assert french.attrs("//div[@id='search']", "data-parts") == ["fr/2024:2"]
    assert french.attrs("//html", "lang") == ["fr"]
    assert french.text("//h1") == "Rechercher"
    # Every French page's search box leads to the French search page; the language
    # switcher leads from one search page to the other.
    for rel in ("fr/", "fr/2024/03/01/port/"):
        assert site.page(rel).attrs("//header//form[@role='search']", "action") == ["/fr/search/"]
    assert site.page("").attrs("//header//form[@role='search']", "action") == ["/search/"]
    assert french.attrs("//nav[@class='languages']//a", "href") == ["/search/"]
    # What the script says comes in the page's language, with its plural forms.
    words = json.loads(french.text("//script[@id='search-words']"))
    assert words["found"] == {
        "one": "{count} article trouvé.",
        "other": "{count} articles trouvés.",
        "lang": "fr",  # whose plural rules choose
    }
    assert words["searching"] == "Recherche…"

    # Editing the French story remakes the French part only; a site back in one
    # language has no French parts left.
    before = index_files(site.out)
    site.write(
        "articles/port.fr.md", article("Le port rouvre", "2024-03-01 10:00", body="Goélands.")
    )
    assert site.build().code == 0
    after = index_files(site.out)
    changed = {rel for rel, stat in before.items() if after.get(rel) != stat}
    assert changed and all(rel.startswith("pagefind/fr/2024/") for rel in changed), changed
    site.write("newsgen.yaml", CONFIG)
    (site.root / "articles/port.fr.md").unlink()
    (site.root / "articles/quais.fr.md").unlink()
    assert site.build().code == 0
    assert sorted(parts(site.out)) == ["2023", "2024"]
    assert not (site.out / "pagefind/fr").exists()


def test_a_reader_searches_in_the_pages_language(browser: object, make_site: MakeSite) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    site = make_site(bilingual(), BILINGUAL)
    assert site.build().code == 0
    with static_host(site.out) as host:
        page = browser.new_page()
        page.goto(host + "/fr/search/?q=port")
        status = page.locator("#search-status")
        expect(status).to_have_text("2 articles trouvés pour « port ».", timeout=10_000)
        expect(page.locator("#search-results h2 a")).to_have_count(2)
        page.goto(host + "/fr/search/?q=quais&sort=date")
        expect(status).to_have_text("2 articles trouvés pour « quais ».", timeout=10_000)
        page.goto(host + "/fr/search/?q=harbour")
        expect(status).to_have_text("Aucun article trouvé pour « harbour ».", timeout=10_000)
        # The English page searches the English articles only.
        page.goto(host + "/search/?q=port")
        expect(status).to_have_text("No articles found for “port”.", timeout=10_000)
        page.goto(host + "/search/?q=harbour")
        expect(status).to_have_text("4 articles found for “harbour”.", timeout=10_000)
        page.close()


def test_an_excerpt_does_not_start_with_the_punctuation_that_ends_the_headline(
    browser: object, make_site: MakeSite
) -> None:
    """French sets "?" and "!" after a space: the excerpt starts after the whole headline,
    its last mark too, and a mark that opens the body stays."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    files = {
        "articles/digue.fr.md": article(
            "Qui paiera la digue ?", "2024-03-01 10:00", body="Le conseil vote mardi."
        ),
        "articles/port.fr.md": article(
            "Le port rouvre", "2024-04-01 10:00", body="« Enfin », dit le maire du port."
        ),
    }
    site = make_site(files, BILINGUAL)
    assert site.build().code == 0
    with static_host(site.out) as host:
        page = browser.new_page()
        page.goto(host + "/fr/search/?q=digue")
        excerpt = page.locator("#search-results li .summary")
        expect(excerpt).to_have_count(1, timeout=10_000)
        assert excerpt.inner_text().lstrip("… ").startswith("Le conseil vote mardi."), (
            excerpt.inner_text()
        )
        page.goto(host + "/fr/search/?q=maire")
        expect(excerpt).to_have_count(1, timeout=10_000)
        assert excerpt.inner_text().lstrip("… ").startswith("« Enfin »"), excerpt.inner_text()
        page.close()


def test_japanese_words_are_found_inside_sentences_and_odd_codes_still_search(
    browser: object, make_site: MakeSite
) -> None:
    """Pagefind's extended build splits Japanese into words (the test extra installs it);
    a language code the browser does not take as written (en_US) still searches."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    site = make_site(
        {
            "articles/rain.md": article("Rain", "2024-05-01 10:00", body="Heavy rain."),
            "articles/rain.ja.md": article(
                "雨", "2024-05-01 10:00", body="東京で大雨が降りました。"
            ),
        },
        CONFIG + "languages: {en: {name: English}, ja: {name: 日本語}}\n",
    )
    assert warnings_of(site.build()) == []
    odd = make_site(
        {"articles/rain.md": article("Rain", "2024-05-01 10:00")},
        CONFIG + "language: en_US\n",
        name="odd",
    )
    assert warnings_of(odd.build()) == []
    with static_host(site.out) as host:
        page = browser.new_page()
        page.goto(host + "/ja/search/?q=大雨")
        expect(page.locator("#search-status")).to_have_text(
            "「大雨」の記事が1件見つかりました。", timeout=10_000
        )
        page.close()
    with static_host(odd.out) as host:
        page = browser.new_page()
        page.goto(host + "/search/?q=rain")
        expect(page.locator("#search-status")).to_have_text(
            "1 article found for “rain”.", timeout=10_000
        )
        page.close()


def test_without_the_extended_pagefind_a_japanese_site_is_told(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsgen.searchtool

    monkeypatch.setattr(newsgen.searchtool, "splits_unspaced", lambda: False)
    site = make_site(
        {"articles/rain.ja.md": article("雨", "2024-05-01 10:00", body="東京で大雨。")},
        CONFIG + "languages: {en: {name: English}, ja: {name: 日本語}}\n",
    )
    [warning] = warnings_of(site.build())
    assert warning.path == "pagefind"
    assert "Japanese words only where a space" in warning.message
    assert "newsgen[cjk]" in warning.message


def test_the_same_pagefind_installed_afresh_is_the_same_indexer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new CI machine or image installs the same Pagefind with new files: the index must
    not be made again for that; another version or another binary must."""
    import importlib.machinery
    import importlib.util

    import newsgen.searchtool

    def install(version: str, binary: bytes) -> None:
        shutil.rmtree(tmp_path / "site-packages", ignore_errors=True)
        package = tmp_path / "site-packages/pagefind_bin"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "pagefind").write_bytes(binary)
        (tmp_path / f"site-packages/pagefind_bin-{version}.dist-info").mkdir()

    def find_spec(name: str) -> object:
        if name != "pagefind_bin":
            return None
        origin = str(tmp_path / "site-packages/pagefind_bin/__init__.py")
        return importlib.machinery.ModuleSpec(name, None, origin=origin)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    version = newsgen.searchtool.pagefind_version.__wrapped__
    install("1.5.2", b"binary")
    first = version()
    install("1.5.2", b"binary")  # the same, afresh: new inodes and times
    assert version() == first
    install("1.5.3", b"binary")
    assert version() != first
    install("1.5.2", b"another binary")
    assert version() != first


def test_a_search_index_file_with_the_live_bytes_is_kept_without_the_cache(
    make_site: MakeSite,
) -> None:
    """A lost cache (a newsgen upgrade) makes Pagefind index again: each file it writes
    with the bytes the live one has is kept as it was (its inode and mtime), as pages are."""
    site = make_site(
        {"articles/a.md": article("Alpha"), "articles/b.md": article("Bravo", "2024-05-02")},
        'title: "Test Site"\nbase_url: "https://example.org/"\nsearch: true\n',
    )
    assert site.build().code == 0
    index = site.out / "pagefind"

    def files() -> dict[str, tuple[bytes, int, int]]:
        found = {}
        for p in index.rglob("*"):
            if p.is_file():
                st = p.stat()
                found[p.relative_to(index).as_posix()] = (p.read_bytes(), st.st_ino, st.st_mtime_ns)
        return found

    before = files()
    shutil.rmtree(site.root / ".newsgen-cache")
    assert site.build().code == 0
    after = files()
    same = [rel for rel in after if rel in before and after[rel][0] == before[rel][0]]
    assert same
    assert [rel for rel in same if after[rel][1:] != before[rel][1:]] == []
