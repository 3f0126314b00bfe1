"""Valid output: every HTML page passes the Nu HTML Checker, every feed meets its published rules.

The HTML checks run the Nu HTML Checker (vnu.jar, from npm's `vnu-jar`) with Java over the demo
site and over a fixture site that has every page kind and the awkward cases real archives carry
(escaping, unicode tags, wide tables, long words, page bundles, redirects, an empty site). They
skip on a machine without Java or the npm tools (`npm ci --prefix tests/a11y`), except in CI
(NEWSGEN_REQUIRE_A11Y=1), where that is a failure. The feed checks need only Python.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import feedparser
import pytest
from conftest import REPO, SiteDir, article, warnings_of
from lxml import etree
from test_feeds import assert_json_feed_1_1

A11Y_TOOLS = REPO / "tests" / "a11y" / "node_modules"
VNU_JAR = A11Y_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
BASE_URL = "https://example.org/news/"

# --- the fixture site: every page kind, and what real archives throw at a theme -------------

LONG_WORD = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" * 3
BARE_URL = "https://example.org/a/very/long/path/" + "segment-" * 30 + "end?query=" + "x" * 60
LONG_CODE = "result = compute(" + ", ".join(f"argument_{n}" for n in range(40)) + ")"
WIDE_TABLE = "\n".join(
    [
        "| " + " | ".join(f"Column heading {n}" for n in range(12)) + " |",
        "|" + "---|" * 12,
        *("| " + " | ".join(f"{r}.{c} tonnes" for c in range(12)) + " |" for r in range(4)),
    ]
)
ESCAPED_TITLE = """'Fish & chips <b>not bold</b>: "quoted" and ''single'' < > &amp;'"""


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


FIXTURE_CONFIG = f"""\
title: "The <Quay> & \\"Courier\\""
description: "News from the quay: tides, trade & 'talk' <for all>"
base_url: "{BASE_URL}"
language: en
timezone: "Europe/London"
per_page: 2
author: "Newsroom"
"""

FIXTURE_FILES: dict[str, str | bytes] = {
    "articles/2024/2024-01-15-escaping.md": article(
        ESCAPED_TITLE,
        "2024-01-15 08:05",
        'Body with <em>inline</em> HTML, a "quote" & an ampersand, and 3 < 4.',
        tags='[Café, новости, ガス, "C++", "C#", Harbour]',
        authors='[Ana López, "O\'Brien & Sons"]',
        summary="'Summary with <angle> brackets, & ampersands and \"quotes\".'",
        aliases="[/old/escaping.html, /2019/01/old-story/]",
    ),
    "articles/2024/2024-02-03-wide-things.md": article(
        "Wide things in a news story",
        "2024-02-03 12:00",
        f"{LONG_WORD} opens the first paragraph, so every listing shows it.\n\n"
        f"A bare URL: {BARE_URL}\n\n"
        f"An autolink: <{BARE_URL}>\n\n"
        f"{WIDE_TABLE}\n\n"
        f"```python\n{LONG_CODE}\n```\n\n"
        f"    {LONG_CODE}\n\n"
        f"Inline code: `{LONG_CODE.replace(' ', '')}`\n\n"
        "## A heading with a long word\n\n"
        f"### {LONG_WORD[:80]}\n\nThe end.",
        tags="[Harbour, Data]",
        author="Ana López",
    ),
    "articles/2024/2024-02-20-storm/index.md": article(
        "Storm brings a month of rain",
        "2024-02-20 18:30",
        "Rain fell on 27 days.\n\n![Bar chart of daily rainfall in February](chart.png)\n\n"
        "> The wettest February on record, said the harbour master.\n\n"
        "A footnote.[^1]\n\n[^1]: Met Office figures.",
        tags="[Weather, Harbour]",
        author="Ben Okafor",
        image="chart.png",
        image_alt="'Rain gauge chart for February'",
        image_caption="'Chart: harbour office'",
        summary="'The wettest February since records began.'",
    ),
    "articles/2024/2024-02-20-storm/chart.png": png(40, 20, (20, 69, 122)),
    "articles/2023/2023-12-24-ferry-wire.txt": (
        "---\ntitle: Ferry strike called off\ndate: 2023-12-24 07:00\ntags: [Transport]\n---\n"
        "Wire copy line one with <angle> & ampersand.\nLine two.\n"
    ),
    "articles/2023/2023-06-01-council.md": article(
        "'Council meets: budget, harbour and the library'",
        "2023-06-01",
        "# Budget\n\nThe council met.\n\n## Harbour\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "~~Withdrawn~~ motion.\n\n"
        "<details><summary>Minutes</summary>\n\nFull text.\n\n</details>\n\n"
        '<table><caption>Votes</caption><tr><th scope="col">For</th><th scope="col">Against</th>'
        "</tr><tr><td>12</td><td>3</td></tr></table>\n\n"
        "<pre>raw pre " + "wide " * 40 + "</pre>\n",
        tags="[Council, Harbour]",
        authors="[Ben Okafor, Ana López]",
    ),
    "articles/2023/2023-06-14-short.md": article("Short item", "2023-06-14 09:00", "Short."),
    "articles/2022/2022-11-02-old.md": article(
        "An older story", "2022-11-02 10:00", "From the archive.", tags="[Council]"
    ),
    "pages/about.md": (
        '---\ntitle: About <us> & "ours"\nmenu: true\n---\n'
        f"We report the quay. {LONG_WORD}\n\n{WIDE_TABLE}\n"
    ),
    "pages/policies/corrections.md": "---\ntitle: Corrections\n---\nWe fix mistakes.\n",
}


def build_fixture_site(root: Path) -> SiteDir:
    """The fixture site, built (search included) into ROOT/build."""
    site = SiteDir(root)
    site.write("newsgen.yaml", FIXTURE_CONFIG)
    for rel, content in FIXTURE_FILES.items():
        site.write(rel, content)
    warnings_of(site.build("--now", "2024-02-20 20:00"))  # the evening of the newest story
    return site


def build_empty_site(root: Path) -> SiteDir:
    site = SiteDir(root)
    site.write("newsgen.yaml", f'title: "Empty"\nbase_url: "{BASE_URL}"\n')
    (root / "articles").mkdir()
    warnings_of(site.build())
    return site


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return build_fixture_site(tmp_path_factory.mktemp("validity") / "site")


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return build_empty_site(tmp_path_factory.mktemp("validity") / "empty")


@pytest.fixture(scope="module")
def demo_out(demo_build: Path) -> Path:
    return demo_build


def test_fixture_site_has_every_page_kind(fixture_site: SiteDir, empty_site: SiteDir) -> None:
    out = fixture_site.out
    expected = [
        "index.html",
        "page/2/index.html",
        "2024/02/20/storm/index.html",
        "2024/02/20/storm/chart.png",
        "tags/index.html",
        "authors/index.html",
        "archive/index.html",
        "2024/index.html",
        "2024/02/index.html",
        "search/index.html",
        "about/index.html",
        "policies/corrections/index.html",
        "old/escaping.html",
        "2019/01/old-story/index.html",
        "404.html",
    ]
    assert [rel for rel in expected if not (out / rel).is_file()] == []
    assert list(out.glob("tags/*/page/2/index.html")), "no paginated tag"
    assert list(out.glob("authors/*/index.html")), "no author page"
    assert len(list(out.glob("tags/*/index.html"))) >= 6
    assert (empty_site.out / "index.html").is_file()


# --- the Nu HTML Checker --------------------------------------------------------------------


def require_tool(ok: bool, message: str) -> None:
    """Skip without a checker, except in CI (NEWSGEN_REQUIRE_A11Y=1), where it is a failure."""
    if ok:
        return
    if os.environ.get("NEWSGEN_REQUIRE_A11Y") == "1":
        pytest.fail(message)
    pytest.skip(message)


@functools.cache
def install_a11y_tools() -> None:
    """`npm ci --prefix tests/a11y` once, where npm is and the tools are not yet: the
    README's one test command then runs these tests on any machine with Node and Java."""
    npm = shutil.which("npm")
    if (A11Y_TOOLS / ".package-lock.json").is_file() or npm is None:
        return
    subprocess.run(
        [npm, "ci", "--prefix", str(A11Y_TOOLS.parent), "--no-audit", "--no-fund"],
        capture_output=True,
        timeout=900,
        check=False,
    )


NuReports = dict[Path, tuple[list[str], list[str]]]
"""Each checked directory's (errors, warnings)."""


def nu_check(*directories: Path) -> NuReports:
    """(errors, warnings) of the Nu HTML Checker over every HTML file under each of
    DIRECTORIES, in one run of the checker (its Java VM and schemas load once)."""
    java = shutil.which("java")
    require_tool(java is not None, "no java on PATH (the Nu HTML Checker needs Java 11+)")
    install_a11y_tools()
    require_tool(VNU_JAR.is_file(), "vnu.jar missing: run `npm ci --prefix tests/a11y`")
    assert java is not None
    proc = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--skip-non-html", "--format", "json", *map(str, directories)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(proc.stderr or proc.stdout)
    found: NuReports = {d: ([], []) for d in directories}
    for message in report["messages"]:
        where = Path(urlsplit(message.get("url", "")).path)
        # A message about no file of a directory (a URL missing or elsewhere) counts in each.
        owners = [d for d in directories if where.is_relative_to(d)] or list(directories)
        for directory in owners:
            rel = where.relative_to(directory) if where.is_relative_to(directory) else where
            text = f"{rel}:{message.get('lastLine', '?')}: {message['message']}"
            if message.get("extract"):
                text += f"  [{message['extract'].strip()}]"
            errors, warnings = found[directory]
            if message["type"] in ("error", "non-document-error"):
                errors.append(text)
            elif (
                message.get("subType") == "warning" and "was not checked" not in message["message"]
            ):
                warnings.append(text)
    any_errors = any(errors for errors, _ in found.values())
    assert (proc.returncode == 0) == (not any_errors), proc.stderr[-2000:]
    return found


@pytest.fixture(scope="module")
def nu_reports(demo_out: Path, fixture_site: SiteDir, empty_site: SiteDir) -> NuReports:
    """The checker's findings on the demo, the fixture site and the empty site, from one
    run: a run of its own for each cost two more starts of the checker (some 2.5 s of CPU
    each). The suite runs each module in one worker (--dist loadfile), so one run serves
    all three tests."""
    return nu_check(demo_out, fixture_site.out, empty_site.out)


def assert_valid_html(directory: Path, reports: NuReports) -> None:
    pages = list(directory.rglob("*.html"))
    assert pages, f"no HTML pages in {directory}"
    errors, warnings = reports[directory]
    print(f"Nu HTML Checker: {len(pages)} pages, {len(errors)} errors, {len(warnings)} warnings")
    for warning in warnings:
        print("  warning:", warning)
    assert errors == [], "\n".join(errors)


def test_demo_site_is_valid_html(demo_out: Path, nu_reports: NuReports) -> None:
    assert_valid_html(demo_out, nu_reports)


def test_fixture_site_is_valid_html(fixture_site: SiteDir, nu_reports: NuReports) -> None:
    assert_valid_html(fixture_site.out, nu_reports)


def test_empty_site_is_valid_html(empty_site: SiteDir, nu_reports: NuReports) -> None:
    assert_valid_html(empty_site.out, nu_reports)


# --- feeds ----------------------------------------------------------------------------------

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
RFC_822 = re.compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2,4} "
    r"\d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[A-IK-Z])$"
)
RFC_3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)


def feed_files(out: Path, name: str) -> list[Path]:
    """Every feed called NAME: the site's, each tag's and each author's."""
    return sorted(out.rglob(name))


def is_absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def test_every_feed_parses_without_bozo(fixture_site: SiteDir) -> None:
    """feedparser reads every RSS and Atom feed cleanly (6.0 has no JSON Feed reader: JSON
    feeds are held to version 1.1 here with the rules test_feeds applies to the site's)."""
    out = fixture_site.out
    feeds = [*feed_files(out, "feed.xml"), *feed_files(out, "atom.xml")]
    # The site's, and one of each for every tag (10) and author (4: Newsroom by default).
    assert len(feeds) == 2 * (1 + 10 + 4), [str(f.relative_to(out)) for f in feeds]
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path.relative_to(out)}: {parsed.get('bozo_exception')}"
        assert parsed.version in ("rss20", "atom10"), path.relative_to(out)
        assert parsed.entries, path.relative_to(out)
    for path in feed_files(out, "feed.json"):
        rel = path.relative_to(out).as_posix()
        assert_json_feed_1_1(json.loads(path.read_bytes()), BASE_URL + quote(rel))


def test_every_rss_feed_meets_rss_2_0(fixture_site: SiteDir) -> None:
    out = fixture_site.out
    for path in feed_files(out, "feed.xml"):
        where = path.relative_to(out)
        root = etree.parse(str(path)).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0", where
        channels = root.findall("channel")
        assert len(channels) == 1, where
        channel = channels[0]
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), f"{where}: channel {required}"
        assert is_absolute(channel.findtext("link")), where
        for name in ("pubDate", "lastBuildDate"):
            for value in channel.findall(name):
                assert RFC_822.match(value.text or ""), f"{where}: {name} {value.text!r}"
        guids = []
        for item in channel.findall("item"):
            assert (item.findtext("title") or item.findtext("description") or "").strip(), where
            link = item.findtext("link")
            assert is_absolute(link), f"{where}: item link {link!r}"
            date = item.findtext("pubDate")
            assert date and RFC_822.match(date), f"{where}: pubDate {date!r}"
            assert parsedate_to_datetime(date).tzinfo is not None
            guid = item.find("guid")
            assert guid is not None and (guid.text or "").strip(), where
            if guid.get("isPermaLink", "true") == "true":
                assert is_absolute(guid.text), f"{where}: permalink guid {guid.text!r}"
            guids.append(guid.text)
        assert len(guids) == len(set(guids)), f"{where}: duplicate guids"
        assert guids, where


def only(parent: etree._Element, name: str, what: str) -> etree._Element:
    """The one Atom child NAME of PARENT (RFC 4287 allows exactly one)."""
    found = parent.findall(f"{A}{name}")
    assert len(found) == 1, f"{what} has {len(found)} <{name}>"
    return found[0]


def assert_rfc_3339(parent: etree._Element, name: str, what: str) -> None:
    for element in parent.findall(f"{A}{name}"):
        assert RFC_3339.match(element.text or ""), f"{what}: <{name}> {element.text!r}"
        datetime.fromisoformat(element.text)


def test_every_atom_feed_meets_rfc_4287(fixture_site: SiteDir) -> None:
    out = fixture_site.out
    for path in feed_files(out, "atom.xml"):
        where = str(path.relative_to(out))
        feed = etree.parse(str(path)).getroot()
        assert feed.tag == f"{A}feed", where
        feed_id = only(feed, "id", where).text or ""
        assert urlsplit(feed_id).scheme, f"{where}: feed id {feed_id!r} is no IRI"
        assert (only(feed, "title", where).text or "").strip(), where
        only(feed, "updated", where)
        assert_rfc_3339(feed, "updated", where)
        self_links = [e for e in feed.findall(f"{A}link") if e.get("rel") == "self"]
        assert len(self_links) == 1 and is_absolute(self_links[0].get("href")), where
        feed_authors = feed.findall(f"{A}author")
        ids = []
        for entry in feed.findall(f"{A}entry"):
            entry_id = only(entry, "id", where).text or ""
            what = f"{where} entry {entry_id}"
            assert urlsplit(entry_id).scheme, f"{what}: id is no IRI"
            ids.append(entry_id)
            assert (only(entry, "title", what).text or "").strip(), what
            only(entry, "updated", what)
            assert_rfc_3339(entry, "updated", what)
            assert_rfc_3339(entry, "published", what)
            links = entry.findall(f"{A}link")
            alternate = [e for e in links if e.get("rel", "alternate") == "alternate"]
            assert len(alternate) == 1, f"{what}: {len(alternate)} alternate links"
            assert all(is_absolute(e.get("href")) for e in links), what
            authors = [*feed_authors, *entry.findall(f"{A}author")]
            assert authors, f"{what}: no author in the entry or the feed"
            assert all((a.findtext(f"{A}name") or "").strip() for a in authors), what
            if entry.find(f"{A}content") is None:
                assert entry.find(f"{A}summary") is not None, f"{what}: content or summary"
        assert ids, where
        assert len(ids) == len(set(ids)), f"{where}: duplicate ids"


def test_feed_links_and_ids_agree_across_formats(fixture_site: SiteDir) -> None:
    """An article keeps one identity in every feed it is in: RSS guid = Atom id = JSON id."""
    out = fixture_site.out
    for rss_path in feed_files(out, "feed.xml"):
        folder = rss_path.parent
        rss = feedparser.parse(rss_path.read_bytes())
        atom = feedparser.parse((folder / "atom.xml").read_bytes())
        items = json.loads((folder / "feed.json").read_text(encoding="utf-8"))["items"]
        assert [e.id for e in rss.entries] == [e.id for e in atom.entries], folder
        assert [e.id for e in rss.entries] == [item["id"] for item in items], folder
        assert [e.link for e in rss.entries] == [e.link for e in atom.entries], folder
