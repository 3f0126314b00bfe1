"""Hostile bodies and front matter in a real browser: no payload runs script or loads from
another host, on any page kind (issue 14).

One site holds every payload of `payloads.CORPUS` in every form it applies to: Markdown, raw
HTML in Markdown, `.html` articles, front-matter values, and an Atom feed brought in with
`newsgen import feed`. It is built once for the module, with search on, served from a thread,
and every article, home, tag, author and archive page and the search page (with a query typed
in and every result loaded) is opened in headless Chromium. On each page a dialog handler and
a request log are attached; nothing is injected into the page before it loads. Once it has
loaded, one read-only evaluation collects from the live DOM what could run script on a
reader's click or load a resource later (handlers, link schemes as the browser resolves them,
frames, objects, `<base>`, `<meta http-equiv>`, style URLs). The rule the tests hold the pages
to is in `payloads`' docstring. Every request that does not go to the local server is
logged, then aborted: nothing leaves the machine.

Needs a Chromium on the machine (the `browser` fixture in conftest).
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import payloads as P
import pytest
from conftest import picture_bytes

from newsgen.build import build
from newsgen.errors import BuildFailed
from newsgen.importers import import_feed

FIRST_PID = 100001
PID_RE = re.compile(r"(?<!\d)1\d{5}(?!\d)")
SEARCH_WORD = "hostile"
UNCARRIED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
"""What docs/bodies.md says newsgen drops from text (control characters, noncharacters)."""
PLACEHOLDERS = re.compile(r"[\ue000-\ue003]")
WEB_SCHEMES = {"http", "https", "mailto", "tel"}
WEB_FRAME_SCHEMES = {"http", "https", "chrome-error"}
NAVIGATING = {
    ("a", "href"),
    ("a", "xlink:href"),
    ("area", "href"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("object", "codebase"),
    ("base", "href"),
    ("math", "href"),
}
"""Attributes that navigate or open a document: only web schemes may appear in them."""
LOADING_ATTRIBUTES = {"src", "srcset", "imagesrcset", "poster", "data", "background", "lowsrc"}
LOADING_ATTRIBUTES |= {"dynsrc", "codebase", "ping", "manifest", "icon", "archive"}
LINK_RELS_NOT_LOADED = {"canonical", "alternate", "author", "tag", "license", "next", "prev"}
MEDIA_TAGS = {"img", "source", "video", "audio", "track", "picture"}
MEDIA_REQUESTS = {"image", "media", "texttrack"}
MEDIA_HOST = urlsplit(P.MEDIA).hostname
PAGEFIND_FORM = ("form", "action", "javascript:void(0);")
"""Pagefind UI's own search form (it submits through script): the one non-web URL the
search page carries by design."""

# Reads the page after it has loaded (one frame painted, so autofocus has happened); changes
# nothing. URLs are resolved by the browser's own parser against the document's base URL.
INSPECT = r"""
async () => {
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const URLS = new Set(["href", "xlink:href", "src", "action", "formaction", "data", "poster",
    "background", "lowsrc", "dynsrc", "codebase", "ping", "manifest", "icon", "archive"]);
  const found = [];
  const resolve = (v) => {
    try { return new URL(v, document.baseURI).href; } catch (e) { return ""; }
  };
  const add = (kind, el, attr, value, url) => found.push([kind, el.localName, attr,
    String(value).slice(0, 300), url || "", (el.getAttribute("rel") || "").toLowerCase()]);
  for (const el of document.querySelectorAll("*")) {
    for (const {name, value} of Array.from(el.attributes)) {
      const n = name.toLowerCase();
      if (n.startsWith("on")) add("handler", el, n, value);
      else if (n === "srcdoc") add("srcdoc", el, n, value);
      else if (n === "srcset" || n === "imagesrcset") {
        for (const part of value.split(",")) {
          const url = part.trim().split(/\s+/)[0];
          if (url) add("url", el, n, value, resolve(url));
        }
      } else if (n === "style") add("css", el, n, el.style.cssText);
      else if (URLS.has(n)) add("url", el, n, value, resolve(value));
    }
    const tag = el.localName;
    if (tag === "style") {
      let text = el.textContent;
      try { text = Array.from(el.sheet.cssRules, (r) => r.cssText).join("\n"); } catch (e) {}
      add("css", el, "text", text);
    } else if (tag === "script")
      add("script", el, el.getAttribute("type") || "", el.textContent, el.src);
    else if (tag === "meta" && el.hasAttribute("http-equiv"))
      add("meta", el, el.getAttribute("http-equiv"), el.getAttribute("content") || "");
    else if (tag === "base") add("base", el, "href", el.getAttribute("href") || "");
  }
  const text = (sel) => Array.from(document.querySelectorAll(sel), (e) => e.textContent);
  return {
    url: location.href,
    base: document.baseURI,
    found,
    h1: text("main h1"),
    standfirst: text(".standfirst"),
    tags: text(".story footer .tags a"),
    authors: text(".byline .authors a"),
    alts: Array.from(document.querySelectorAll(".lead-figure img"), (e) => e.getAttribute("alt")),
    captions: text(".lead-figure figcaption"),
    results: text("#search-results h2"),
    excerpts: text("#search-results .summary"),
  };
}
"""


@dataclass
class Placement:
    """One payload in one form, with the number its text carries."""

    pid: int
    payload: P.Payload
    form: str
    path: str = ""
    """The URL path of the article page it is on."""

    @property
    def text(self) -> str:
        return self.payload.text.replace("PID", str(self.pid))

    def __str__(self) -> str:
        return f"payload {self.payload.name!r} ({self.form}, {self.pid})"


@dataclass
class Article:
    form: str
    group: str
    slug: str
    date: datetime
    body: list[Placement]
    meta: dict[str, Placement] = field(default_factory=dict)
    """Front-matter (or feed metadata) form → the text payload placed there."""

    @property
    def path(self) -> str:
        return f"/{self.date:%Y/%m/%d}/{self.slug}/"

    @property
    def placements(self) -> list[Placement]:
        return self.body + list(self.meta.values())


@dataclass
class HostileSite:
    root: Path
    out: Path
    articles: list[Article]
    placements: dict[int, Placement]


def _plan() -> tuple[list[Article], dict[int, Placement]]:
    """Every payload in every form: one article per (form, payload family)."""
    pids = iter(range(FIRST_PID, 10**6))
    placements: dict[int, Placement] = {}

    def place(payload: P.Payload, form: str) -> Placement:
        placed = Placement(next(pids), payload, form)
        placements[placed.pid] = placed
        return placed

    articles: list[Article] = []
    start = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    for form in P.BODY_FORMS:
        groups: dict[str, list[P.Payload]] = {}
        for payload in P.for_form(form):
            groups.setdefault(payload.group, []).append(payload)
        for group, members in groups.items():
            index = len(articles)
            prefix = "f" if form == P.FEED else "p"
            articles.append(
                Article(
                    form,
                    group,
                    f"{prefix}{index}",
                    start + timedelta(days=index, hours=index % 7),
                    [place(p, form) for p in members],
                )
            )
    # Text payloads ride on body articles: front matter on the hand-written ones, feed
    # metadata on the imported ones; each article carries at most one of them.
    written = [a for a in articles if a.form != P.FEED]
    fed = [a for a in articles if a.form == P.FEED]
    for article, payload in zip(written, P.for_form(P.TITLE), strict=False):
        article.meta = {
            form: place(payload, form) for form in P.FRONT_MATTER_FORMS if form in payload.forms
        }
    spare = written[len(P.for_form(P.TITLE)) :]
    for article, payload in zip(spare, P.for_form(P.IMAGE), strict=False):
        article.meta = {P.IMAGE: place(payload, P.IMAGE)}
    for article, payload in zip(fed, P.for_form(P.FEED_TITLE), strict=False):
        article.meta = {form: place(payload, form) for form in P.FEED_META_FORMS}
    for article in articles:
        for placed in article.placements:
            placed.path = article.path
    missing = {(p.name, f) for p in P.CORPUS for f in p.forms} - {
        (placed.payload.name, placed.form) for placed in placements.values()
    }
    assert not missing, f"not enough articles to carry every text payload: {sorted(missing)}"
    return articles, placements


def _yaml(value: object) -> str:
    return json.dumps(value)  # JSON is YAML; every character escaped, nothing read as markup


def _title(article: Article) -> str:
    return f"Hostile placement {article.body[0].pid}: {article.group} ({article.form})"


def _body(article: Article) -> str:
    lead = f"Hostile placement {', '.join(str(p.pid) for p in article.body)}."
    if article.form == P.MARKDOWN or article.form == P.RAW_HTML:
        return "\n\n".join([lead, *(p.text for p in article.body)])
    return "\n".join([f"<p>{lead}</p>", *(p.text for p in article.body)])


LEAD = "/lead.png"


def _source(article: Article) -> str:
    meta = {form: placed.text for form, placed in article.meta.items()}
    fm = {
        "title": meta.get(P.TITLE, _title(article)),
        "date": article.date.isoformat(),
        "slug": article.slug,
        "tags": ["Hostile", *([meta[P.TAGS]] if P.TAGS in meta else [])],
    }
    if P.SUMMARY in meta:
        fm["summary"] = meta[P.SUMMARY]
    if P.AUTHOR in meta:
        fm["authors"] = [meta[P.AUTHOR]]
    if P.IMAGE in meta or P.IMAGE_ALT in meta:
        # A lead image must be there (a missing one fails the build): a relative payload
        # rides in the fragment of a real file's URL, so it still reaches the src attribute.
        image = meta.get(P.IMAGE, "")
        scheme = ":" in image.split("/")[0]
        fm["image"] = image if scheme else f"{LEAD}#{image}" if image else LEAD
        fm["image_alt"] = meta.get(P.IMAGE_ALT, "Lead picture")
    if P.IMAGE_CAPTION in meta:
        fm["image_caption"] = meta[P.IMAGE_CAPTION]
    for placed in article.body:
        for key, value in placed.payload.front_matter.items():
            fm[key] = value.replace("PID", str(placed.pid))
    lines = [f"{key}: {_yaml(value)}" for key, value in fm.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + _body(article) + "\n"


def _feed(articles: list[Article]) -> str:
    """An Atom document with one entry per imported article; every value escaped."""

    def text(value: str) -> str:
        # What newsgen drops is left out: XML cannot hold most of it, and feedparser reads
        # the rest (C1 controls) its own way. The front-matter forms test the dropping.
        return html.escape(UNCARRIED.sub("", value))

    entries = []
    for article in articles:
        meta = {form: UNCARRIED.sub("", placed.text) for form, placed in article.meta.items()}
        when = article.date.strftime("%Y-%m-%dT%H:%M:%SZ")
        parts = [
            f'<title type="text">{text(meta.get(P.FEED_TITLE, _title(article)))}</title>',
            f"<id>urn:newsgen-test:{article.slug}</id>",
            f'<link rel="alternate" href="https://old.example/news/{article.slug}"/>',
            f"<published>{when}</published><updated>{when}</updated>",
            '<category term="Hostile"/>',
            f'<content type="html">{text(_body(article))}</content>',
        ]
        if P.FEED_AUTHOR in meta:
            parts.append(f"<author><name>{text(meta[P.FEED_AUTHOR])}</name></author>")
        if P.FEED_CATEGORY in meta:
            parts.append(f'<category term="{text(meta[P.FEED_CATEGORY])}"/>')
        if P.FEED_SUMMARY in meta:
            parts.append(f'<summary type="text">{text(meta[P.FEED_SUMMARY])}</summary>')
        entries.append("<entry>\n" + "\n".join(parts) + "\n</entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n<title>Old site</title>\n'
        "<id>urn:newsgen-test:feed</id>\n<updated>2024-01-01T00:00:00Z</updated>\n"
        + "\n".join(entries)
        + "\n</feed>\n"
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    root = tmp_path_factory.mktemp("hostile") / "site"
    (root / "articles" / "hostile").mkdir(parents=True)
    (root / "newsgen.yaml").write_text(
        'title: "Hostile Gazette"\nbase_url: "http://localhost/"\ntimezone: "UTC"\n'
        "per_page: 40\nsearch: true\n"
        # Its payloads' pictures lead nowhere, as an attacker's would: drawn as written.
        "images:\n  missing: warning\n",
        encoding="utf-8",
    )
    (root / "static").mkdir()
    (root / "static" / "lead.png").write_bytes(picture_bytes())
    articles, placements = _plan()
    for article in articles:
        if article.form == P.FEED:
            continue
        suffix = "html" if article.form == P.HTML_ARTICLE else "md"
        path = root / "articles" / "hostile" / f"{article.slug}.{suffix}"
        path.write_text(_source(article), encoding="utf-8")
    feed = root.parent / "old-site.atom"
    feed.write_text(_feed([a for a in articles if a.form == P.FEED]), encoding="utf-8")
    out = root.parent / "build"
    try:
        import_feed(feed, root)
        build(root, out)
    except BuildFailed as failed:
        pytest.fail("the hostile site did not build:\n" + "\n".join(map(str, failed.errors)))
    return HostileSite(root, out, articles, placements)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that hangs up early (a page left mid-load) is no test failure


@dataclass
class Visit:
    """What one page did in the browser."""

    kind: str
    path: str
    placements: list[Placement]
    status: int | None = None
    dialogs: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, bool]] = field(default_factory=list)
    """(URL, resource type, made by a sub-frame)."""
    frames: list[str] = field(default_factory=list)
    dom: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _page_kind(rel: str) -> str:
    """The page kind of an output path ('tags/x/page/2/')."""
    first = rel.split("/", 1)[0]
    if rel == "" or first == "page":
        return "home"
    if first in ("tags", "authors"):
        kind = "tag" if first == "tags" else "author"
        return f"{kind} index" if rel == f"{first}/" else kind
    if first == "archive" or re.fullmatch(r"\d{4}/(\d{2}/)?(page/\d+/)?", rel):
        return "archive"
    return "other"


def _listing_pages(out: Path, articles: set[str]) -> list[tuple[str, str]]:
    """(kind, path) of every page that is not an article, a redirect or the search page."""
    found = []
    for file in sorted(out.rglob("index.html")):
        rel = file.parent.relative_to(out).as_posix() + "/"
        rel = "" if rel == "./" else rel
        path = "/" + rel
        if path in articles or rel.startswith(("search/", "pagefind/")):
            continue
        if b'http-equiv="refresh"' in file.read_bytes()[:2000]:
            continue  # an alias's redirect page
        found.append((_page_kind(rel), path))
    return found


@pytest.fixture(scope="module")
def visits(browser: object, hostile_site: HostileSite) -> Iterator[dict[str, Visit]]:
    """Every page of the hostile site, opened in Chromium: path → what happened there."""
    from playwright.sync_api import Browser, Error, expect

    assert isinstance(browser, Browser)
    handler = functools.partial(_QuietHandler, directory=str(hostile_site.out))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(15_000)
    try:
        # Log first (the page's own request event), then abort: nothing leaves the machine.
        context.route(re.compile("^(?!" + re.escape(origin) + "/)"), lambda route: route.abort())
        page = context.new_page()
        current: list[Visit] = []

        def on_dialog(dialog: object) -> None:
            current[-1].dialogs.append(f"{dialog.type}({dialog.message!r})")
            dialog.dismiss()

        def on_request(request: object) -> None:
            frame = request.frame
            sub = frame.parent_frame is not None if frame else False
            current[-1].requests.append((request.url, request.resource_type, sub))

        page.on("dialog", on_dialog)
        page.on("request", on_request)

        def visit(kind: str, path: str, placements: list[Placement]) -> Visit:
            current.append(Visit(kind, path, placements))
            seen = current[-1]
            try:
                response = page.goto(origin + path)
                seen.status = response.status if response else None
                seen.dom = page.evaluate(INSPECT)
            except Error as e:  # a page that navigated away while it was being read
                seen.errors.append(str(e).splitlines()[0])
            if page.url != origin + path and not seen.errors:
                seen.errors.append(f"the page went to {page.url}")
            seen.frames = [f.url for f in page.frames if f != page.main_frame]
            return seen

        result: dict[str, Visit] = {}
        by_path: dict[str, list[Placement]] = {}
        for article in hostile_site.articles:
            by_path[article.path] = article.placements
        for path, placements in by_path.items():
            result[path] = visit("article", path, placements)
        for kind, path in _listing_pages(hostile_site.out, set(by_path)):
            result[path] = visit(kind, path, [])

        # The search page, with a query typed in and every result loaded.
        search = visit("search", "/search/", [])
        box = page.locator("#search-query")
        box.fill(SEARCH_WORD)
        box.press("Enter")
        message = page.locator("#search-status")
        counted = re.compile(rf"(\d+) articles? found for “{SEARCH_WORD}”")
        expect(message).to_have_text(counted)
        total = int(counted.search(message.inner_text()).group(1))
        results = page.locator("#search-results li")
        more = page.locator("#search-more")
        expect(results.first).to_be_visible()
        while (shown := results.count()) < total:
            more.click()  # "More results": wait until more are there
            expect(results.nth(shown)).to_be_attached()
        expect(results).to_have_count(total)
        expect(page.locator("#search-results h2").last).not_to_be_empty()
        search.dom = page.evaluate(INSPECT)
        search.frames = [f.url for f in page.frames if f != page.main_frame]
        search.dom["total"] = total
        result["/search/"] = search
        yield result
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def _named(visit: Visit, problem: str, placements: dict[int, Placement]) -> str:
    """PROBLEM, with the page kind and path and the payloads it names (by PID), or failing
    that, every payload on the page."""
    named = [
        placements[int(n)] for n in dict.fromkeys(PID_RE.findall(problem)) if int(n) in placements
    ]
    named = named or visit.placements
    who = "; ".join(map(str, named)) if named else "no payload named"
    return f"{visit.kind} page {visit.path}: {problem}\n    <- {who}"


def _script_problems(visit: Visit) -> list[str]:
    problems = [f"a {dialog} dialog opened" for dialog in visit.dialogs]
    problems += [f"not read: {e}" for e in visit.errors]
    for kind, tag, attr, value, url, _ in visit.dom.get("found", []):
        if kind == "handler":
            problems.append(f"<{tag}> keeps an event handler {attr}={value!r}")
        elif kind == "srcdoc":
            problems.append(f"<{tag}> has a srcdoc document {value!r}")
        elif kind == "base":
            problems.append(f"a <base href={value!r}> element")
        elif kind == "meta":
            problems.append(f"a <meta http-equiv={attr!r} content={value!r}> element")
        elif kind == "script":
            own = attr == "application/ld+json" or (
                visit.kind == "search"
                and (
                    # the search script's words: data, never run
                    (attr == "application/json" and not url)
                    or (url and urlsplit(url).netloc == urlsplit(visit.dom["url"]).netloc)
                )
            )
            if not own:
                problems.append(f"a <script type={attr!r} src={url!r}> element: {value[:120]!r}")
        elif kind == "url" and (tag, attr) in NAVIGATING:
            scheme = urlsplit(url).scheme if url else ""
            if visit.kind == "search" and (tag, attr, value) == PAGEFIND_FORM:
                continue
            if scheme not in WEB_SCHEMES:
                problems.append(f"<{tag} {attr}={value!r}> leads to {url or 'nothing'!r}")
    if visit.dom and visit.dom.get("base") != visit.dom.get("url"):
        problems.append(f"the document's base URL is {visit.dom['base']!r}")
    for url in visit.frames:  # '' and chrome-error: a load that was aborted (and logged)
        if url and url != "about:blank" and urlsplit(url).scheme not in WEB_FRAME_SCHEMES:
            problems.append(f"a frame holds {url!r}")
    return problems


def _allowed_load(tag: str, attr: str, url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" == origin:
        return True  # not a load from another host (scripts are judged by the other test)
    if parts.hostname == MEDIA_HOST and tag in MEDIA_TAGS:
        return True
    return (
        parts.scheme == "https"
        and parts.hostname in P.IFRAME_HOSTS
        and (tag, attr) == ("iframe", "src")
    )


def _load_problems(visit: Visit) -> list[str]:
    problems = []
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(visit.dom.get("url", "http://127.0.0.1/")))
    for url, kind, sub in visit.requests:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or url.startswith(origin + "/"):
            continue  # no other host (an <img src=javascript:> is asked for, and never runs)
        if parts.hostname == MEDIA_HOST and kind in MEDIA_REQUESTS:
            continue
        if (
            parts.scheme == "https"
            and parts.hostname in P.IFRAME_HOSTS
            and kind == "document"
            and sub
        ):
            continue
        problems.append(f"requested {url} ({kind})")
    for kind, tag, attr, value, url, rel in visit.dom.get("found", []):
        if kind == "url" and (
            attr in LOADING_ATTRIBUTES
            or (attr in ("href", "xlink:href") and tag in ("image", "use", "feimage", "script"))
            or (tag == "link" and attr == "href" and not set(rel.split()) <= LINK_RELS_NOT_LOADED)
        ):
            if not _allowed_load(tag, attr, url, origin):
                problems.append(f"<{tag} {attr}={value!r}> would load {url}")
        elif kind == "css":
            for found in re.findall(r"url\(\s*[\"']?([^\"')]+)", value) + re.findall(
                r"@import\s+[\"']([^\"']+)", value
            ):
                if not _allowed_load("style", "url", found, origin):
                    problems.append(f"a style would load {found} ({value[:120]!r})")
    for url in visit.frames:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and not _allowed_load("iframe", "src", url, origin):
            problems.append(f"a frame loaded {url}")
    return problems


def _report(visits: dict[str, Visit], check: object, placements: dict[int, Placement]) -> list[str]:
    return [_named(v, problem, placements) for v in visits.values() for problem in check(v)]


def test_every_payload_reached_a_page(hostile_site: HostileSite, visits: dict[str, Visit]) -> None:
    """The test is not vacuous: every placement's article was published and opened."""
    missing = [
        f"{v.path}: HTTP {v.status}: {', '.join(map(str, v.placements))}"
        for v in visits.values()
        if v.kind == "article" and v.status != 200
    ]
    assert not missing, "articles missing from the build:\n" + "\n".join(missing)
    kinds = {v.kind for v in visits.values()}
    assert {
        "article",
        "home",
        "tag",
        "tag index",
        "author",
        "author index",
        "archive",
        "search",
    } <= kinds
    assert len({p.payload.name for p in hostile_site.placements.values()}) == len(P.CORPUS)
    search = visits["/search/"]
    assert search.dom["total"] >= len(hostile_site.articles), "search found too few articles"


def test_no_payload_runs_script(hostile_site: HostileSite, visits: dict[str, Visit]) -> None:
    problems = _report(visits, _script_problems, hostile_site.placements)
    assert not problems, f"{len(problems)} ways to run script:\n" + "\n".join(problems)


def test_no_payload_loads_from_another_host(
    hostile_site: HostileSite, visits: dict[str, Visit]
) -> None:
    problems = _report(visits, _load_problems, hostile_site.placements)
    assert not problems, f"{len(problems)} loads from other hosts:\n" + "\n".join(problems)


def _shown(text: str) -> set[str]:
    """How a value may read on a page: as written, less what docs/bodies.md says is dropped (and
    newsgen's own placeholder characters, which may be dropped too), spaces collapsed."""
    kept = UNCARRIED.sub("", text)
    return {" ".join(kept.split()), " ".join(PLACEHOLDERS.sub("", kept).split())}


def _normal(values: list[str]) -> list[str]:
    return [" ".join(v.split()) for v in values]


def test_front_matter_values_show_as_written(
    hostile_site: HostileSite, visits: dict[str, Visit]
) -> None:
    """Escaped, not dropped: each hostile title, summary, tag, author, alt text and caption
    reads on the page exactly as it was written."""
    where = {
        P.TITLE: "h1",
        P.FEED_TITLE: "h1",
        P.SUMMARY: "standfirst",
        P.FEED_SUMMARY: "standfirst",
        P.TAGS: "tags",
        P.FEED_CATEGORY: "tags",
        P.AUTHOR: "authors",
        P.FEED_AUTHOR: "authors",
        P.IMAGE_ALT: "alts",
        P.IMAGE_CAPTION: "captions",
    }
    tag_pages = [
        t for v in visits.values() if v.kind == "tag" for t in _normal(v.dom.get("h1", []))
    ]
    author_pages = [
        t for v in visits.values() if v.kind == "author" for t in _normal(v.dom.get("h1", []))
    ]
    search = visits["/search/"]
    problems = []
    for placed in hostile_site.placements.values():
        if placed.form not in where:
            continue
        visit = visits[placed.path]
        shown = _normal(visit.dom.get(where[placed.form], []))
        written = (
            UNCARRIED.sub("", placed.text) if placed.form in P.FEED_META_FORMS else placed.text
        )
        expected = _shown(written)
        wrong = []
        if not expected & set(shown):
            wrong.append(f"its article page {placed.path} shows {where[placed.form]} {shown!r}")
        if placed.form in (P.TAGS, P.FEED_CATEGORY) and not any(
            t.endswith(e) for t in tag_pages for e in expected
        ):
            wrong.append("no tag page is headed with it")
        if placed.form in (P.AUTHOR, P.FEED_AUTHOR) and not any(
            t.endswith(e) for t in author_pages for e in expected
        ):
            wrong.append("no author page is headed with it")
        if placed.form in (P.TITLE, P.FEED_TITLE) and not expected & set(
            _normal(search.dom["results"])
        ):
            wrong.append("no search result has it as its title")
        problems += [f"{placed}, written {written!r}: {w}" for w in wrong]
    assert not problems, "hostile text not shown as written:\n" + "\n".join(problems)
