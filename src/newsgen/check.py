"""`newsgen check`: a content linter for editors, run before a commit. It renders nothing.

It reports what a build would reject (errors) and what an editor would want to fix before
readers see it (warnings): links and images inside the site that lead nowhere, tags spelled
two ways, titles used twice, and, where `check:` in newsgen.yaml asks
for them, missing summaries and alt text. Everything the build warns about is included.
It lists the articles the build's *now* holds back (scheduled, expired): intended, so
neither an error nor a warning.
"""

from __future__ import annotations

import html
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from newsgen.bodies.sanitize import srcset_candidates
from newsgen.build import Builder, Inspection
from newsgen.config import CONFIG_NAME
from newsgen.errors import ContentError, ContentWarning
from newsgen.models import Article, Bodies, Held, Page, SiteConfig
from newsgen.oldurls import OldUrlReport, compare, known_paths, read_old_urls, report_json
from newsgen.theme import builtin_theme_dir
from newsgen.urls import moved_static, redirect_output, served_files

_TAG = re.compile(r"""<(a|img|source|video|audio|track)\b[^>]*>""", re.I)
_URL_ATTR = re.compile(r"""\s(href|src|poster|srcset)="([^"]*)\"""", re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\salt="([^"]*)\"""", re.I)
_ID = re.compile(r"""\sid="([^"{}]+)\"""")
EXTRAS = ("sitemap.xml", "sitemap-index.xml", "news-sitemap.xml", "robots.txt", "_redirects")
"""Files every build writes besides pages, feeds and static files."""


@dataclass
class Findings:
    """What check found, in the order it is printed."""

    problems: list[ContentError] = field(default_factory=list)
    articles: int = 0
    pages: int = 0
    seconds: float = 0.0
    old_urls: OldUrlReport | None = None
    """With --old-urls: the old site's URLs the new build does not serve."""
    held: list[tuple[Held, int | None]] = field(default_factory=list)
    """The articles not published at the check's now, with the line of the date that
    holds each back."""
    config: SiteConfig | None = None
    """The settings (the site's zone shows the times of `held`)."""

    def held_lines(self) -> list[str]:
        """'articles/x.md:3: scheduled: published at 2027-01-01 09:00 CET', one a line."""
        if self.config is None:
            return []
        from newsgen.schedule import CORRECTION, SCHEDULED, shown_time

        lines = []
        for held, line in self.held:
            where = f"{held.source}:{line}" if line else str(held.source)
            at = shown_time(held.when, self.config.tz)
            what = {SCHEDULED: f"published at {at}", CORRECTION: f"dated {at}, shown then"}
            lines.append(f"{where}: {held.state}: {what.get(held.state, f'taken down at {at}')}")
        return lines

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def check_site(
    site_root: Path,
    *,
    drafts: bool = False,
    now: datetime | None = None,
    future: bool = False,
    old_urls: Path | None = None,
    known: Sequence[str] = (),
    old_urls_under: str = "",
) -> Findings:
    """Load SITE as a build would, without rendering, and apply every rule.

    OLD_URLS (a sitemap, a list or an old output folder) adds the old URLs the new build does
    not serve, each read as if under OLD_URLS_UNDER of the new site ('fr/'); KNOWN paths
    (with check.external_paths) exist on the host outside the archive. NOW (default: the
    clock) decides what is published; FUTURE publishes scheduled articles.
    """
    started = time.perf_counter()
    clock = None if now is None else (lambda: now)
    builder = Builder(site_root, drafts=drafts, clock=clock, future=future)
    try:
        seen = builder.inspect()
    finally:
        builder.close()
    lines = _Lines(Path(site_root))
    external = known_paths([*seen.config.check_external_paths, *known])
    problems = list(seen.problems)
    problems += broken_links(seen, lines, external)
    problems += similar_tags(seen.articles, lines)
    problems += duplicate_titles(seen.site.articles)
    problems += publisher_logo(seen, lines)
    if seen.config.check_summaries:
        problems += [
            ContentWarning(a.source, lines.find(a.source, "summary"), "has no summary")
            for a in seen.site.articles
            if not a.standfirst
        ]
    if seen.config.check_alt_text:
        problems += missing_alt(seen.site.articles, seen.bodies, lines)
    unique = {(p.severity, *p.sort_key()): p for p in problems}
    problems = [unique[key] for key in sorted(unique, key=lambda k: (k[1], k[2], k[3], k[0]))]
    report = None
    if old_urls is not None:
        files = _known_files(seen)
        if seen.config.search:
            files |= {"pagefind/pagefind-ui.js", "pagefind/pagefind.js"}
        published = {a.source for a in seen.site.articles}
        report = compare(
            read_old_urls(old_urls, seen.config.base_path),
            source=str(old_urls),
            config=seen.config,
            files=files,
            items=_items(seen),
            drafts=[a for a in seen.articles if a.source not in published],
            external=external,
            site_root=Path(site_root),
            under=old_urls_under,
        )
    return Findings(
        problems,
        articles=len(seen.site.articles),
        pages=len(seen.site.pages),
        seconds=time.perf_counter() - started,
        old_urls=report,
        held=[(h, _held_line(h, lines)) for h in seen.site.held],
        config=seen.config,
    )


def _held_line(held: Held, lines: _Lines) -> int | None:
    """The line of the date that holds an article back."""
    from newsgen.fields import ALIASES
    from newsgen.schedule import CORRECTION, SCHEDULED

    keys = {SCHEDULED: ("publish_at", "date"), CORRECTION: ("corrections",)}.get(
        held.state, ("expires",)
    )
    for key in keys:
        for alias in ALIASES[key]:
            line = lines.find(held.source, alias)
            if line is not None:
                return line
    return None


class _Lines:
    """Line numbers of what a rule found, looked up in the source text (read once each)."""

    def __init__(self, site_root: Path) -> None:
        self.root = site_root
        self.texts: dict[PurePosixPath, list[str]] = {}

    def find(self, source: PurePosixPath, needle: str, *, key: bool = True) -> int | None:
        """The first line with NEEDLE (as a front-matter key when KEY), or None."""
        if source not in self.texts:
            try:
                text = (self.root / source).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            self.texts[source] = text.splitlines()
        for number, line in enumerate(self.texts[source], 1):
            if key:
                stripped = line.lstrip().lower()
                if stripped.startswith(needle) and stripped[len(needle) :].lstrip()[:1] in ':="':
                    return number
            elif needle in line:
                return number
        return None


# -- Links and images ---------------------------------------------------------------------


def _items(seen: Inspection) -> list[Article | Page]:
    return [*seen.site.articles, *seen.site.pages]


def _known_files(seen: Inspection) -> set[str]:
    """Every file the build would write, relative to the output."""
    files = {route.path for route in seen.routes} | set(seen.static) | set(EXTRAS)
    files |= {redirect_output(r.url) for r in seen.site.redirects}
    for item in _items(seen):
        folder = item.url if item.url.endswith("/") else item.url.rpartition("/")[0] + "/"
        files |= {folder.lstrip("/") + asset.as_posix() for asset in item.assets}
    return files


def _shown(seen: Inspection, item: Article | Page) -> str:
    """The HTML of ITEM a reader follows links in: its body, and an article's corrections
    (published on its page, the corrections page and feeds)."""
    html = str(seen.bodies.html(item))
    if isinstance(item, Article):
        html += "".join(str(correction.html) for correction in item.corrections)
    return html


def _theme_ids(site_root: Path) -> set[str]:
    """Ids the templates give every page (a link to #main is fine anywhere)."""
    found: set[str] = set()
    for folder in (builtin_theme_dir() / "templates", site_root / "templates"):
        if folder.is_dir():
            for file in folder.glob("*.html"):
                found |= set(_ID.findall(file.read_text(encoding="utf-8", errors="replace")))
    return found


def broken_links(
    seen: Inspection, lines: _Lines, external: Callable[[str], bool] = lambda path: False
) -> list[ContentError]:
    """Links and images in bodies that point inside the site at nothing (or at no #id).

    A link to a path EXTERNAL says exists on the host outside the archive is fine."""
    config = seen.config
    base = urlsplit(config.base_url)
    files = _known_files(seen)
    if config.search:
        files.add("pagefind/pagefind-ui.js")
    theme_ids = _theme_ids(lines.root)
    ids = {
        item.url: set(_ID.findall(str(seen.bodies.html(item)))) | theme_ids for item in _items(seen)
    }
    problems: list[ContentError] = []
    for item in _items(seen):
        page_url = config.base_url + item.url
        for tag, written in _urls_in(_shown(seen, item)):
            value = html.unescape(written).strip()
            if not value or value.startswith(("mailto:", "tel:", "data:")):
                continue
            target = urlsplit(urljoin(page_url, value))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            path, base_path = unquote(target.path), unquote(config.base_path)
            if path + "/" == base_path:
                path = base_path  # '/paper': the host answers it with its folder, the front page
            if external(path):
                continue
            picture = tag != "a"
            line = lines.find(item.source, written, key=False) or lines.find(
                item.source, value, key=False
            )
            if line is None and value.startswith(config.base_path):
                # Written from the host's root, put under base_url's path by the body's
                # making: the writer's text is the path without it.
                line = lines.find(item.source, "/" + value[len(config.base_path) :], key=False)
            shown = "image" if tag in ("img", "source") else "file"
            what = f"{shown} {value} is missing" if picture else f"link to {value} leads nowhere"
            if not path.startswith(base_path):
                message = (
                    f"{what}: {path} is outside the site, which is under"
                    f" {config.base_path} (list paths the host serves besides the archive in"
                    " check.external_paths)"
                )
                problems.append(ContentWarning(item.source, line, message))
                continue
            rel = path[len(base_path) :]
            if not _exists(rel, files):
                if picture and value in item.body_images:
                    continue  # the build's own error or warning (build._draw_body_images)
                where = "" if picture else " in the site"
                message = f"{what}{where} (/{rel} is not built){_moved(rel, files, config)}"
                problems.append(ContentWarning(item.source, line, message))
            elif (
                (anchor := _anchor(target.fragment))
                and not picture
                and rel in ids
                and anchor not in ids[rel]
            ):
                message = f"link to {value}: /{rel} has no #{anchor}"
                problems.append(ContentWarning(item.source, line, message))
    logo = config.publisher_logo
    if logo and "://" not in logo and not logo.startswith("//"):
        # Read as the NewsArticle metadata reads it: a path from the root under base_url's.
        inside = unquote(logo).startswith(unquote(config.base_path))  # however encoded
        placed = logo if inside else logo.lstrip("/")
        path = unquote(urlsplit(urljoin(config.base_path, placed)).path)
        base_path = unquote(config.base_path)
        rel = path[len(base_path) :]
        if path.startswith(base_path) and not _exists(rel, files):
            settings = PurePosixPath("newsgen.yaml")
            moved = _moved(rel, files, config)
            message = f"publisher.logo {logo} is missing (/{rel} is not built){moved}"
            problems.append(ContentWarning(settings, lines.find(settings, "logo"), message))
    for item in _items(seen):
        # A lead image that is the site's and missing is the build's error
        # (build.step_images); one that leads outside base_url's path is named here.
        image = item.image or ""
        if not image.startswith("/") or image.startswith("//"):
            continue
        path = unquote(urlsplit(image).path)
        if not external(path) and not path.startswith(config.base_path):
            message = (
                f"lead image {image} is missing: it is outside the site, which is under"
                f" {config.base_path}"
            )
            problems.append(ContentWarning(item.source, lines.find(item.source, "image"), message))
    return problems


def publisher_logo(seen: Inspection, lines: _Lines) -> list[ContentError]:
    """NewsArticle's publisher needs a logo (search engines' news results ask for it): a
    site with articles and no publisher.logo is named (one naming a file that is not built
    is named with the links, as broken_links reads it)."""
    if not seen.site.articles or seen.config.publisher_logo:
        return []
    where = PurePosixPath(CONFIG_NAME)
    message = (
        "publisher.logo is not set: search engines show a news article's publisher with"
        " its logo (publisher: {logo: logo.png}, for static/logo.png)"
    )
    return [ContentWarning(where, lines.find(where, "publisher"), message)]


def _urls_in(body: str) -> Iterable[tuple[str, str]]:
    """(tag, URL as written) of each link and picture of a clean body: an `<a>`'s href, and
    the src, poster and srcset candidates of pictures and media (one of a picture's forms
    missing is a picture missing)."""
    for match in _TAG.finditer(body):
        tag = match.group(1).lower()
        for name, value in _URL_ATTR.findall(match.group(0)):
            name = name.lower()
            if tag == "a" and name != "href":
                continue
            if name == "srcset":  # 'a.png 1x, b.png?w=1,2 2x': each candidate's URL
                yield from ((tag, url) for url, _ in srcset_candidates(value))
            else:
                yield tag, value


def _anchor(fragment: str) -> str:
    """The id a fragment leads to: '#background:~:text=…' is id 'background' with a text to
    highlight (a browser's text fragment), '#:~:text=…' no id at all."""
    return unquote(fragment).split(":~:", 1)[0]


def _exists(rel: str, files: set[str]) -> bool:
    return any(path in files for path in served_files(rel))


def _moved(rel: str, files: set[str], config: SiteConfig) -> str:
    return moved_static(rel, files, config.static_prefix, config.static_url, config.base_path)


# -- Tags, titles, dates, alt text ----------------------------------------------------------


def _folded(name: str) -> str:
    """A tag with case, accents, spaces and punctuation gone: 'Côte-d-Ivoire' → 'cotedivoire'."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _near(a: str, b: str) -> bool:
    """Whether A and B are one edit apart (insert, delete, replace or swap two neighbours)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and (a[diffs[1]] == b[diffs[0]])
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def similar_tags(articles: Sequence[Article], lines: _Lines) -> list[ContentError]:
    """Tags spelled more than one way: by case, accents, punctuation, or one typing slip.

    In a site of several languages, each language's tags are compared among themselves:
    'Sécurité' in French is not a slip for 'Security' in English.
    """
    by_language: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_language[article.language].append(article)
    return [
        problem
        for language in sorted(by_language)
        for problem in _similar_tags(by_language[language], lines)
    ]


def _similar_tags(articles: Sequence[Article], lines: _Lines) -> list[ContentError]:
    """similar_tags within ARTICLES of one language. Neighbours are found through
    single-deletion keys, so an archive with thousands of tags is not compared pair by pair."""
    uses: dict[str, list[Article]] = defaultdict(list)  # spelling → articles using it
    for article in articles:
        for tag in article.tags:
            uses[tag.name].append(article)
    by_fold: dict[str, list[str]] = defaultdict(list)
    for name in sorted(uses):
        by_fold[_folded(name)].append(name)
    groups: list[list[str]] = [names for names in by_fold.values() if len(names) > 1]
    folds = sorted(f for f in by_fold if len(f) >= 5)  # shorter names are too alike to judge
    neighbours: dict[str, list[str]] = defaultdict(list)
    for fold in folds:
        for i in range(len(fold) + 1):
            neighbours[fold[:i] + fold[i + 1 :]].append(fold)
    pairs = {
        (a, b)
        for near in neighbours.values()
        for a in near
        for b in near
        if a < b and _near(a, b) and not (a.isdigit() or b.isdigit())
    }
    for a, b in sorted(pairs):
        groups.append([*by_fold[a], *by_fold[b]])
    problems: list[ContentError] = []
    for names in groups:
        # The most used spelling is taken as meant; each other one is reported where it is.
        ranked = sorted(names, key=lambda n: (-len(uses[n]), n))
        usual = ranked[0]
        for other in ranked[1:]:
            first = min(uses[other], key=lambda a: str(a.source))
            count = len(uses[other])
            where = f"{count} article{'s' if count != 1 else ''}"
            message = (
                f"tag '{other}' ({where}) looks like '{usual}' ({len(uses[usual])}):"
                " one spelling makes one topic page"
            )
            line = lines.find(first.source, other, key=False)
            problems.append(ContentWarning(first.source, line, message))
    return problems


def duplicate_titles(articles: Sequence[Article]) -> list[ContentError]:
    """Articles that share a title with an earlier one (readers cannot tell them apart)."""
    first: dict[str, Article] = {}
    problems: list[ContentError] = []
    for article in sorted(articles, key=lambda a: (a.date, str(a.source))):
        key = " ".join(article.title.casefold().split())
        if not key:
            continue
        if key in first:
            message = f"has the same title as {first[key].source}"
            problems.append(ContentWarning(article.source, None, message))
        else:
            first[key] = article
    return problems


def missing_alt(articles: Iterable[Article], bodies: Bodies, lines: _Lines) -> list[ContentError]:
    """Images in bodies without alt text (check.alt_text), and lead images without it."""
    problems: list[ContentError] = []
    for article in articles:
        for tag in _IMG.findall(str(bodies.html(article))):
            alt = _ALT.search(tag)
            if alt is None or not alt.group(1).strip():
                src = re.search(r'\ssrc="([^"]*)"', tag)
                shown = html.unescape(src.group(1)) if src else "an image"
                line = lines.find(article.source, src.group(1), key=False) if src else None
                message = f"image {shown} has no alt text: screen readers cannot describe it"
                problems.append(ContentWarning(article.source, line, message))
    return problems


def as_json(findings: Findings) -> dict[str, object]:
    """The report for CI: counts and every problem with its place and level (and, with
    --old-urls, the old URLs' report). docs/checking.md documents this shape."""
    data: dict[str, object] = {
        "errors": findings.errors,
        "warnings": findings.warnings,
        "articles": findings.articles,
        "pages": findings.pages,
        "problems": [
            {
                "path": str(p.path),
                "line": p.line,
                "level": p.severity,
                "message": p.message,
            }
            for p in findings.problems
        ],
    }
    if findings.held:
        data["held"] = [
            {"path": str(h.source), "line": line, "state": h.state, "at": h.when.isoformat()}
            for h, line in findings.held
        ]
    if findings.old_urls is not None:
        data["old_urls"] = report_json(findings.old_urls)
    return data
