"""Property-based tests: whatever a file holds, newsgen reports it or publishes it, never crashes.

The loader is called in-process (`parse_file`, what every build runs per file) on arbitrary
bytes, arbitrary front matter in every dialect and arbitrary text in every field; the whole
build runs through the CLI on small random sites. The rule for every outcome (issue 9):
exit 0 with HTML, feeds and sitemaps that parse and titles that round-trip, or exit 1 with
only `PATH[:LINE]: message` lines and the previous build untouched; never a traceback, an
internal error, a hang or a file written outside the output.

Runs are reproducible (`derandomize=True`, no example database); hypothesis prints the
falsifying example when a property fails. NEWSGEN_FUZZ_SCALE=10 runs ten times as many.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import pickle
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Any

import feedparser
import html5lib
import pytest
import yaml
from conftest import DIAGNOSTIC, Result, SiteDir, article, diagnostics, run_newsgen
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it.common.normalize_url import normalizeLink

from newsgen.bodies.markdown import PLAIN_URL
from newsgen.bodies.weburl import _read_url, read_url
from newsgen.discover import SourceFile
from newsgen.fields import ALIASES
from newsgen.loader import parse_file
from newsgen.models import Article, SiteConfig
from newsgen.models import Page as PageModel
from newsgen.records import Uncacheable, item_from_record, item_record
from newsgen.urls import tag_key

SCALE = int(os.environ.get("NEWSGEN_FUZZ_SCALE", "1"))
COMMON = {
    "derandomize": True,  # the same examples on every run: CI is reproducible
    "database": None,
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
IN_PROCESS = settings(max_examples=400 * SCALE, **COMMON)
THROUGH_CLI = settings(max_examples=30 * SCALE, **COMMON)

CONFIG = SiteConfig(base_url="https://example.org/")
SITE_CONFIG = (
    'title: "Fuzz"\nbase_url: "https://example.org/"\nsearch: false\nrelated: 2\n'
    "feeds:\n  length: 500\n"
)
SECONDS_PER_FILE = 5
SECONDS_PER_BUILD = 90
SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
"""What pages and feeds cannot carry: newsgen drops it, with a warning."""


# -- Checking one parse -----------------------------------------------------------------------


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) when the block takes longer than SECONDS."""

    def fire(*_: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def one_line(problem: object) -> None:
    """A problem prints as exactly one `PATH[:LINE]: [warning: ]message` line."""
    text = str(problem)
    assert text.splitlines() == [text], f"not one line: {text!r}"
    assert DIAGNOSTIC.match(text), f"not PATH[:LINE]: message: {text!r}"


def parse(data: bytes, name: str = "a.md", kind: str = "article") -> Any:
    """parse_file on DATA as articles/NAME, checked: it returns, quickly, what it promises."""
    rel = PurePosixPath("articles") / name
    src = SourceFile(Path(rel), rel)
    with time_limit(SECONDS_PER_FILE):
        loaded = parse_file(data, src, CONFIG, kind)
        for problem in loaded.problems:
            assert problem.path == rel
            one_line(problem)
        item = loaded.item
        if item is None:
            assert loaded.problems, "neither an item nor a word why not"
            return loaded
        assert not any(p.severity == "error" for p in loaded.problems), loaded.problems
        assert isinstance(item, Article if kind == "article" else PageModel)
        check_item(item)
        pickle.loads(pickle.dumps(item))  # it crosses process boundaries in a build
        apart = dataclasses.replace(item, body_html=None, body_key="0" * 32)
        with contextlib.suppress(Uncacheable):  # the parse cache keeps it as JSON, exactly
            assert item_from_record(item_record(apart), item.source) == apart
    return loaded


def check_item(item: Article | PageModel) -> None:
    assert item.title and item.title == " ".join(item.title.split())
    assert not CONTROL.search(item.title)
    assert item.slug and "/" not in item.slug and item.slug not in (".", "..")
    assert not item.url.startswith("/") and ".." not in item.url.split("/")
    assert "\\" not in item.url
    if isinstance(item, Article):
        assert item.date.tzinfo is not None
        item.date.astimezone(UTC)
        for tag in item.tags:
            assert tag.name and tag.slug and "/" not in tag.slug
        for name in item.authors:
            assert name and name == " ".join(name.split())


# -- Front matter in every dialect ------------------------------------------------------------

ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=12))])
HUGE = {"HUGE9NUMBER": "9" * 5000, "HUGE9HEX": "0x" + "f" * 5000, "HUGE9NEG": "-" + "1" * 4400}
"""Stand-ins for numbers too long for Python to print (hypothesis could not show them)."""
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(sorted(HUGE)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(timezones=ZONES),
    st.sampled_from(["", " ", "2024-05-01", "2024-13-45", "yes", "draft", "/a/../b/", "[::1"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.sampled_from(["name", "image", "tags"]), inner)
    ),
    max_leaves=12,
)
KNOWN_KEYS = sorted(
    {k for keys in ALIASES.values() for k in keys if "." not in k}
    | {"taxonomies", "build", "headless", "Title", "DATE", "Tags"}
)
KEYS = st.sampled_from(KNOWN_KEYS) | st.text(min_size=1, max_size=12)
META = st.dictionaries(KEYS, VALUES, max_size=8)


def toml_value(value: Any) -> str | None:
    """VALUE as a TOML value (None: TOML cannot say it, so the key is left out)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value).replace("inf", "inf")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        items = [v for v in map(toml_value, value) if v is not None]
        return "[" + ", ".join(items) + "]"
    pairs = [(json.dumps(str(k), ensure_ascii=False), toml_value(v)) for k, v in value.items()]
    return "{" + ", ".join(f"{k} = {v}" for k, v in pairs if v is not None) + "}"


def front_matter(meta: dict[str, Any], dialect: str, flow: bool) -> str:
    """META written as DIALECT front matter, fences included, ending in a newline."""
    text = _front_matter(meta, dialect, flow)
    for marker, digits in HUGE.items():
        for quoted in (f'"{marker}"', f"'{marker}'", marker):
            text = text.replace(quoted, digits)
    return text


def _front_matter(meta: dict[str, Any], dialect: str, flow: bool) -> str:
    if dialect == "yaml":
        return "---\n" + yaml.safe_dump(meta, allow_unicode=flow, default_flow_style=flow) + "---\n"
    if dialect == "json":
        return json.dumps(meta, default=str, ensure_ascii=flow, indent=None if flow else 2) + "\n"
    if dialect == "toml":
        lines = [
            f"{json.dumps(key, ensure_ascii=False)} = {text}"
            for key, value in meta.items()
            if (text := toml_value(value)) is not None
        ]
        return "+++\n" + "".join(line + "\n" for line in lines) + "+++\n"
    lines = []  # Pelican headers: one-word keys, one-line values
    for key, value in meta.items():
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", key):
            lines.append(f"{key}: {' '.join(str(value).split())}")
    return "\n".join(lines) + "\n\n"


DIALECTS = st.sampled_from(["yaml", "json", "toml", "headers"])
BODY_TOKENS = [
    *("<", ">", "&", "&amp;", "&#0;", "&#xD800;", "[", "](", ")", "*", "_", "`", "```\n", "~~~"),
    *("\n", "\n\n", "# ", "## ", "| a | b |\n|---|---|\n", "[^1]", "[^1]: n\n", "![", "{#x}"),
    *("{{< ", " >}}", "{{% ", " %}}", "{% ", " %}", "{{ ", " }}", "{{</* ", " */>}}"),
    *("highlight go", "endhighlight", "raw", "endraw", "comment", "youtube abcdef", "ref x"),
    *("relref ../x.md", "figure src=x.png", "param title", "post_url 2024-01-01-a", "@/a.md"),
    *("<script>", "</script>", "<!--", "-->", "]]>", "<![CDATA[", "<style>", "<iframe src="),
    *("javascript:", "JaVa\tScRiPt:", "data:text/html,", "vbscript:", '<a href="', '<img src="'),
    *('" onerror="x()"', "'", '"', "\u2028", "\u2029", "\x00", "\r", "\r\n", "\ufeff", "\u200b"),
    *("\ue000", "\ue000ng0\ue000", "\ue001", "\ue002", "newsgen-ref:1:x", "---\n", "+++\n"),
    *("{: #id .c}", "<h1>", "</h1>", "<p>", "<table><tr><td>", "<details>", "<svg><a href=x>"),
]
BODIES = st.lists(st.sampled_from(BODY_TOKENS) | st.text(max_size=12), max_size=25).map("".join)


@IN_PROCESS
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
@example(data=b"\xff\xfe---\ntitle: x\n", suffix=".md")
@example(data=b"---\r\ntitle: x\r\ndate: 2024-05-01\r---\r\rbody", suffix=".md")
def test_any_bytes_are_an_article_or_a_clean_error(data: bytes, suffix: str) -> None:
    parse(data, "a" + suffix)


@IN_PROCESS
@given(
    prefix=st.sampled_from(["---\n", "+++\n", "{", "Title: x\nDate: 2024-05-01\n", ""]),
    data=st.binary(max_size=300),
)
def test_any_bytes_after_a_front_matter_opener(prefix: str, data: bytes) -> None:
    parse(prefix.encode() + data, "a.md")


@IN_PROCESS
@given(
    meta=META,
    dialect=DIALECTS,
    flow=st.booleans(),
    body=BODIES,
    suffix=st.sampled_from(SUFFIXES),
    kind=st.sampled_from(["article", "article", "page"]),
)
def test_any_front_matter_in_any_dialect(
    meta: dict[str, Any], dialect: str, flow: bool, body: str, suffix: str, kind: str
) -> None:
    text = front_matter(meta, dialect, flow) + body
    parse(text.encode("utf-8", "surrogatepass"), "a" + suffix, kind)


YAML_PIECES = [
    *("title: x\n", "date: 2024-05-01\n", "tags: [a, b]\n", "x: &a [1, 2]\n", "y: *a\n"),
    *(
        "z: &z [*z]\n",
        "<<: *a\n",
        "<<: {title: m}\n",
        "? [k]\n: v\n",
        "!!python/object:os.system\n",
    ),
    *("w: !!binary AAAA\n", "s: !!set {a, b}\n", "o: !!omap [a: 1]\n", "t: !!timestamp x\n"),
    *("d: 2024-02-30\n", "n: 0x" + "f" * 40 + "\n", "q: '\n", 'e: "\\ud800"\n', "  - x\n"),
    *("a: &b [&c [*c]]\n", "%YAML 1.1\n", "--- !tag\n", "...\n", "\t\n", "key with space: 1\n"),
    *("title: [nested, [list]]\n", "date: {a: 1}\n", "slug: ../../etc\n", "url: //evil/\n"),
]


@IN_PROCESS
@given(pieces=st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=10), max_size=12))
def test_any_yaml_mixture(pieces: list[str]) -> None:
    text = "---\n" + "".join(pieces) + "\n---\nBody.\n"
    parse(text.encode("utf-8", "surrogatepass"), "a.md")


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines)


def nested(depth: int, dialect: str) -> str:
    if dialect == "json":
        return '{"title": "t", "date": "2024-05-01", "x": ' + "[" * depth + "]" * depth + "}\n"
    if dialect == "toml":
        return '+++\ntitle = "t"\ndate = 2024-05-01\nx = ' + "[" * depth + "]" * depth + "\n+++\n"
    return "---\ntitle: t\ndate: 2024-05-01\nx: " + "[" * depth + "]" * depth + "\n---\n"


HOSTILE_FRONT_MATTER = {
    "billion laughs": "---\ntitle: t\ndate: 2024-05-01\n" + billion_laughs() + "\n---\n",
    "billion laughs in tags": "---\ntitle: t\ndate: 2024-05-01\n"
    + billion_laughs()
    + "\ntags: *l8\n---\n",
    "a list that holds itself": "---\ntitle: t\ndate: 2024-05-01\nx: &a [*a]\n---\n",
    "a mapping that holds itself": "---\ntitle: t\ndate: 2024-05-01\nx: &a {y: *a}\n---\n",
    **{
        f"{depth} levels of {d}": nested(depth, d) for d in ("json", "toml") for depth in (40, 5000)
    },
    "40 levels of yaml": nested(40, "yaml"),
    "5000 levels of yaml": nested(5000, "yaml"),
    "a 5000-digit number in yaml": "---\ntitle: t\ndate: 2024-05-01\nweight: "
    + "9" * 5000
    + "\n---\n",
    "a 5000-digit title in yaml": "---\ntitle: " + "9" * 5000 + "\ndate: 2024-05-01\n---\n",
    "a 5000-digit hex title in yaml": "---\ntitle: 0x" + "f" * 5000 + "\ndate: 2024-05-01\n---\n",
    "a 5000-digit number in json": '{"title": "t", "date": "2024-05-01", "weight": '
    + "9" * 5000
    + "}\n",
    "a 5000-digit number in toml": '+++\ntitle = "t"\ndate = 2024-05-01\nweight = '
    + "9" * 5000
    + "\n+++\n",
    "an unclosed IPv6 host as url": "---\ntitle: t\ndate: 2024-05-01\nurl: 'http://[::1'\n---\n",
    "an unclosed IPv6 host as alias": "---\ntitle: t\ndate: 2024-05-01\n"
    "aliases: ['http://[::1/x']\n---\n",
    "a duplicate key with a line break": '{"title": "t", "date": "2024-05-01",'
    ' "a\\nb": 1, "A\\nB": 2}\n',
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FRONT_MATTER))
def test_hostile_front_matter_is_one_clean_error_at_its_line(case: str) -> None:
    """Each of these crashed a build or was published with a value no later step can use."""
    loaded = parse((HOSTILE_FRONT_MATTER[case] + "Body.\n").encode())
    if case.startswith("40 levels") or case.startswith("an unclosed IPv6 host as alias"):
        return  # fine either way, as long as it is clean
    if case == "a duplicate key with a line break":  # the later one is used, with a warning
        [warning] = [p for p in loaded.problems if p.severity == "warning"]
        assert warning.line is not None and "\n" not in warning.message
        return
    assert loaded.item is None, case
    [error] = [p for p in loaded.problems if p.severity == "error"]
    assert error.line is not None


# -- Text in every field ----------------------------------------------------------------------

TEXT = st.text(max_size=40) | st.lists(st.sampled_from(BODY_TOKENS), max_size=6).map("".join)


@IN_PROCESS
@given(
    title=TEXT,
    tags=st.lists(TEXT, max_size=4),
    author=TEXT,
    summary=TEXT,
    slug=st.none() | TEXT,
    body=BODIES,
    dialect=st.sampled_from(["yaml", "json", "toml"]),
    suffix=st.sampled_from(SUFFIXES),
)
def test_any_text_in_any_field_round_trips(
    title: str,
    tags: list[str],
    author: str,
    summary: str,
    slug: str | None,
    body: str,
    dialect: str,
    suffix: str,
) -> None:
    meta: dict[str, Any] = {"title": title, "date": "2024-05-01 10:00", "tags": tags}
    meta |= {"author": author, "summary": summary}
    if slug is not None:
        meta["slug"] = slug
    text = front_matter(meta, dialect, True) + body
    loaded = parse(text.encode("utf-8", "surrogatepass"), "a" + suffix)
    item = loaded.item
    if item is None:
        return
    # YAML may write U+0085 (a line break to YAML) as a line break, which folds to a space.
    assert item.title in {
        " ".join(CONTROL.sub("", t).split()) for t in (title, title.replace("\x85", " "))
    }
    shown = []
    for variant in (tags, [t.replace("\x85", " ") for t in tags]):
        first: dict[str, str] = {}
        for name in (" ".join(CONTROL.sub("", t).split()) for t in variant):
            if name:
                first.setdefault(tag_key(name), name)
        shown.append(list(first.values()))
    assert [tag.name for tag in item.tags] in shown


# -- Whole builds through the CLI -------------------------------------------------------------


@st.composite
def site_files(draw: st.DrawFn) -> dict[str, bytes]:
    """A few articles, mostly publishable (any text, a title that is not empty), in any
    dialect and format; now and then one with an extra key of any value, or a file of
    random bytes."""
    files: dict[str, bytes] = {}
    for n in range(draw(st.integers(1, 4))):
        meta: dict[str, Any] = {
            "title": "T" + draw(TEXT),
            "date": draw(st.sampled_from(["2024-05-01 10:00", "2024-05-02", "1970-01-01"])),
            "tags": draw(st.lists(TEXT, max_size=3)),
            "author": draw(TEXT),
            "summary": draw(TEXT),
        }
        if draw(st.booleans()):
            meta["slug"] = draw(TEXT)
        if draw(st.integers(0, 4)) == 0:
            meta[draw(st.sampled_from(["extra", "params", "build", "cover", "menu"]))] = draw(
                VALUES
            )
        dialect = draw(DIALECTS)
        text = front_matter(meta, dialect, draw(st.booleans())) + draw(BODIES)
        name = f"articles/a{n}{draw(st.sampled_from(SUFFIXES))}"
        files[name] = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:
        files["articles/raw.md"] = draw(st.binary(max_size=200))
    return files


def tree(root: Path, skip: tuple[str, ...]) -> dict[str, bytes]:
    """Every file under ROOT but those under SKIP (names relative to ROOT)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(skip):
            found[rel] = path.read_bytes()
    return found


def build(site: SiteDir) -> subprocess.CompletedProcess[str]:
    """`newsgen build` through the CLI's own main, in this process (a process per build
    was two thirds of this test's time); a hang still fails it after SECONDS_PER_BUILD."""
    done: list[Result] = []
    worker = threading.Thread(
        target=lambda: done.append(run_newsgen("build", site.root, "--verbose"))
    )
    worker.start()
    worker.join(SECONDS_PER_BUILD)
    assert done, f"the build did not finish in {SECONDS_PER_BUILD} s"
    return subprocess.CompletedProcess([], done[0].code, done[0].stdout, done[0].stderr)


def parse_strict(data: bytes, where: str) -> etree._Element:
    parser = html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("lxml"))
    try:
        return parser.parse(data)
    except html5lib.html5parser.ParseError as e:
        raise AssertionError(f"{where}: {e}") from None


def expected_articles(files: dict[str, bytes]) -> list[Article]:
    """What the loader makes of FILES (the oracle for which titles the site must show)."""
    found = []
    for name, data in files.items():
        rel = PurePosixPath(name)
        loaded = parse_file(data, SourceFile(Path(rel), rel), CONFIG, "article")
        if isinstance(loaded.item, Article) and not loaded.item.draft:
            found.append(loaded.item)
    return found


def check_published(site: SiteDir, files: dict[str, bytes]) -> None:
    out = site.out
    for page in sorted(out.rglob("*.html")):
        parse_strict(page.read_bytes(), page.relative_to(out).as_posix())
    titles: list[str] = []
    for item in expected_articles(files):
        page = site.page(item.url)
        assert page.text("//h1") == item.title
        assert page.text("//head/title") == f"{item.title} · Fuzz"
        assert page.attrs("//meta[@property='og:title']", "content") == [item.title]
        [block] = page.all("//script[@type='application/ld+json']")
        data = json.loads(block.text)
        assert data["headline"] == item.title
        # Across a site, one spelling of each tag and person is shown (case may differ).
        assert [tag_key(t) for t in data.get("keywords", [])] == [t.key for t in item.tags]
        assert [tag_key(p["name"]) for p in data["author"]] == list(map(tag_key, item.authors))
        titles.append(item.title)
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert sorted(e.title for e in feed.entries) == sorted(titles), name
    items = json.loads((out / "feed.json").read_bytes())["items"]
    assert sorted(i["title"] for i in items) == sorted(titles)
    for name in ("sitemap.xml", "news-sitemap.xml"):
        etree.fromstring((out / name).read_bytes())


@THROUGH_CLI
@given(files=site_files())
def test_any_site_builds_or_fails_cleanly(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = SiteDir(work / "site")
        site.write("newsgen.yaml", SITE_CONFIG)
        site.write("articles/first.md", article("First"))
        first = build(site)
        assert first.returncode == 0, first.stderr
        before, around = site.snapshot(), tree(work, ("site/",))
        for name, data in files.items():
            site.write(name, data)
        (site.root / "articles/first.md").unlink()
        result = build(site)
        assert "Traceback" not in result.stderr
        assert result.returncode in (0, 1), (result.returncode, result.stderr)
        assert tree(work, ("site/",)) == around  # nothing written beside the site
        outside = {p.name for p in site.root.iterdir()}
        allowed = {"articles", "newsgen.yaml", "build", ".build.next", ".build.lock"}
        assert outside <= allowed | {".newsgen-cache"}
        if os.environ.get("NEWSGEN_FUZZ_LOG"):
            print("outcome", result.returncode, len(files), result.stderr[-300:], file=sys.stderr)
        if result.returncode == 1:
            errors, _ = diagnostics(result.stderr)
            assert errors, result.stderr
            assert site.snapshot() == before
        else:
            check_published(site, files)


# -- Plain links: the shortcut past markdown-it's normalizeLink -------------------------------


_URL = st.from_regex(PLAIN_URL, fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(_URL)
def test_links_skipping_normalisation_are_those_it_leaves_alone(url: str) -> None:
    """The shortcut for plain links (most of a links digest) changes nothing markdown-it's
    own normalizeLink would not."""
    assert normalizeLink(url) == url


# -- Plain web URLs: the shortcut past ada-url and urllib --------------------------------------

_HOST_LABEL = st.from_regex(
    r"[a-z0-9-]{1,70}|xn--[a-z0-9-]{1,12}|0x[0-9a-f]{1,4}|[0-9]{1,3}", fullmatch=True
)
_WEB_URL = st.builds(
    lambda scheme, labels, end, rest: f"{scheme}://{'.'.join(labels)}{end}{rest}",
    st.sampled_from(["http", "https", "HTTPS", "ftp", "javascript"]),
    st.lists(_HOST_LABEL | st.text(max_size=4), min_size=1, max_size=5),
    st.sampled_from(["", "/", "?", "#", ":80/", "\\", "@", ".", " ", "\t"]),
    st.text(max_size=30),
)


@settings(max_examples=1000, deadline=None)
@given(_WEB_URL)
@example("https://a.0x10/")
@example("https://1.2.3.4/")
@example("https://xn--abc.com/")
@example("https://newsgen.invalid/x")
def test_plain_web_urls_are_read_as_ada_and_urllib_read_them(url: str) -> None:
    """The shortcut for plain http(s) URLs gives the scheme and host the full reading does."""
    assert read_url(url) == _read_url(url)
