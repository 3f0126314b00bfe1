"""`newsgen check --old-urls FILE`: every URL of the old site that the new build does not serve.

The old site's URLs come from its sitemap (or a sitemap index and the sitemaps beside it), a
plain list of URLs or paths, or its output folder. Each is resolved as a static host will
resolve it once the new build is deployed at `base_url`: under the base path, a folder's
`index.html`, a name without a slash redirected to its folder. What is missing is grouped by
reason, and an old page whose name matches an article (by source file name, slug or title)
gets the exact front-matter line that keeps it.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from newsgen.bodies.weburl import path_matcher
from newsgen.errors import ContentError, UsageError
from newsgen.models import THEME_FOLDER, Article, Language, Page, SiteConfig
from newsgen.sources import split_front_matter
from newsgen.urls import PAGE_SUFFIXES, same_host, served_files, slugify, strip_date_prefix

REASONS = {
    "moved": "a page of the old site is now at another URL: add an alias to the article",
    "draft": "the article that matches it is a draft, so the new build does not publish it",
    "no-match": "no page, file or redirect of the new build is at this URL, and no article"
    " matches its name",
    "static": "the file is in the new build at another path, as static/ is published at the"
    " site root (or under static_url): set static_url to where the old site had it, or have"
    " the host redirect the old path",
    "file": "a file (a picture, a document) that the new build does not publish: put it in"
    " static/ or in the bundle of the article that uses it",
    "query": "the URL is told apart only by its query (?p=123): a static host serves one page"
    " for every query, so no redirect can keep it",
    "outside": "the URL is not under the new site's base path",
}
"""Why an old URL is missing, in the order the report shows them; the keys are stable (JSON)."""


@dataclass(frozen=True, slots=True)
class OldUrl:
    """One URL of the old site, as written in FILE, and where."""

    written: str
    where: str
    """'sitemap.xml:12', or the file's path inside an old output folder."""
    path: str
    """The path on the host, decoded ('/blog/name1.18'), without its query."""
    query: str = ""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The front-matter change that keeps an old URL: ADD in SOURCE (at LINE, when it has one)."""

    source: PurePosixPath
    line: int | None
    add: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.source}:{self.line}: {self.add}"
        return f"{self.source}: {self.add}"


@dataclass(frozen=True, slots=True)
class Missing:
    url: OldUrl
    reason: str
    """A key of REASONS."""
    suggestion: Suggestion | None = None
    note: str = ""
    """More on the reason for this URL ('served as /static/images/a.png')."""


@dataclass
class OldUrlReport:
    source: str
    """The FILE as the user named it."""
    read: int = 0
    served: int = 0
    external: int = 0
    """Old URLs under check.external_paths or --known-paths: served by the host, not the archive."""
    missing: list[Missing] = field(default_factory=list)
    under_prefix: dict[str, int] = field(default_factory=dict)
    """Language prefix → how many missing old URLs are now at that prefix plus the old path:
    a language the old site served on a host of its own (see --old-urls-under)."""

    def by_reason(self) -> list[tuple[str, list[Missing]]]:
        return [
            (key, found)
            for key in REASONS
            if (found := [m for m in self.missing if m.reason == key])
        ]


# -- Reading the old site's URLs -------------------------------------------------------------


def read_old_urls(file: Path, base_path: str) -> list[OldUrl]:
    """The URLs of FILE: a sitemap or sitemap index, a plain list, or an old output folder.

    An output folder is read as if it were deployed at the new base path; a plain list's path
    without a leading '/' is relative to the base path too, as aliases are.
    """
    file = Path(file)
    if file.is_dir():
        return _folder_urls(file, base_path)
    data = _read(file)
    if data.lstrip()[:1] == b"<":
        return _sitemap_urls(file, data, base_path, set())
    return _list_urls(file, data, base_path)


def _read(file: Path) -> bytes:
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{file} does not exist") from None
    except OSError as e:
        raise UsageError(f"{file} cannot be read ({e.strerror})") from None
    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise UsageError(f"{file} is a damaged gzip file ({e})") from None
    return data.removeprefix(b"\xef\xbb\xbf")


def _old_url(written: str, where: str, base_path: str) -> OldUrl | None:
    text = written.strip()
    if not text or text.startswith("#"):
        return None
    parts = urlsplit(text)
    path = parts.path
    if not parts.scheme and not parts.netloc and not path.startswith("/"):
        path = base_path + path
    return OldUrl(text, where, unquote(path or "/"), parts.query)


def _list_urls(file: Path, data: bytes, base_path: str) -> list[OldUrl]:
    text = data.decode("utf-8", errors="replace")
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        url = _old_url(line, f"{file}:{number}", base_path)
        if url is not None:
            found.append(url)
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sitemap_urls(file: Path, data: bytes, base_path: str, seen: set[Path]) -> list[OldUrl]:
    seen.add(file.resolve())
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise UsageError(f"{file} is neither a sitemap nor a list of URLs: {e}") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise UsageError(
            f"{file} is XML whose root is <{kind}>, not a sitemap (<urlset> or <sitemapindex>)"
        )
    lines = _loc_lines(data)
    locs = [(e.text or "").strip() for e in root.iter() if _local(e.tag) == "loc"]
    if len(lines) != len(locs):
        lines = [None] * len(locs)
    found: list[OldUrl] = []
    for loc, line in zip(locs, lines, strict=True):
        where = f"{file}:{line}" if line else str(file)
        if kind == "urlset":
            url = _old_url(loc, where, base_path)
            if url is not None:
                found.append(url)
            continue
        part = _beside(file, loc)
        if part is None:
            raise UsageError(
                f"{where}: the sitemap index names {loc}, which is not beside it;"
                " save that sitemap in the same folder and run the check again"
            )
        if part.resolve() not in seen:
            found += _sitemap_urls(part, _read(part), base_path, seen)
    return found


def _loc_lines(data: bytes) -> list[int | None]:
    lines: list[int | None] = []
    for match in re.finditer(rb"<(?:\w+:)?loc[\s>]", data):
        lines.append(data.count(b"\n", 0, match.start()) + 1)
    return lines


def _beside(index: Path, loc: str) -> Path | None:
    """The local copy of a sitemap an index names: by its path, else by its file name."""
    path = unquote(urlsplit(loc).path).lstrip("/")
    folder = index.parent
    for candidate in (folder / path, folder / PurePosixPath(path).name):
        if path and candidate.is_file():
            return candidate
    return None


def _folder_urls(folder: Path, base_path: str) -> list[OldUrl]:
    found = []
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not file.is_file():
            continue
        path = rel.as_posix()
        if rel.name == "index.html":
            path = path[: -len("index.html")]
        found.append(OldUrl("/" + path, str(file), base_path + path))
    return found


def read_known_paths(file: Path) -> tuple[str, ...]:
    """--known-paths FILE: one path (or URL) a line; '#' starts a comment."""
    data = _read(Path(file)).decode("utf-8", errors="replace")
    return tuple(
        line.strip() for line in data.splitlines() if line.strip() and not line.startswith("#")
    )


def known_paths(written: Iterable[str]) -> Callable[[str], bool]:
    """Whether a path on the host is one of WRITTEN: exact, or below one that ends in '/'
    or '*' (the rule bodies use for check.external_paths, bodies.weburl.path_matcher)."""
    return path_matcher(tuple(written))


# -- Comparing with the new build --------------------------------------------------------------

_DIGITS = re.compile(r"\d+")


def _page_name(path: str) -> str:
    """The page's own name in an old path: '/a/my-story.html' → 'my-story'; an index file
    names its folder."""
    for segment in reversed([s for s in path.split("/") if s]):
        stem, dot, suffix = segment.rpartition(".")
        name = stem if dot and stem and "." + suffix.lower() in PAGE_SUFFIXES else segment
        if name.lower() not in ("index", "default"):
            return name
    return ""


def _names(item: Article | Page) -> set[str]:
    source = item.bundle if item.bundle is not None else item.source
    stem = source.name if item.bundle is not None else PurePosixPath(source.name).stem
    return {stem, strip_date_prefix(stem), item.slug, slugify(item.title)} - {""}


class _Matcher:
    """Articles and pages by every name an old URL may have given them."""

    def __init__(self, items: Sequence[Article | Page], languages: Sequence[Language] = ()) -> None:
        self.languages = languages
        self.exact: dict[str, list[Article | Page]] = {}
        self.folded: dict[str, list[Article | Page]] = {}
        for item in items:
            for name in _names(item):
                self.exact.setdefault(name, []).append(item)
                self.folded.setdefault(slugify(name), []).append(item)

    def find(self, path: str) -> Article | Page | None:
        name = _page_name(path)
        if not name:
            return None
        found = self.exact.get(name) or self.folded.get(slugify(name)) or []
        unique = list({item.source: item for item in found}.values())
        if len(unique) > 1:  # the same name in two years: the one whose date the URL has
            numbers = set(_DIGITS.findall(path))
            dated: list[Article | Page] = [
                i
                for i in unique
                if isinstance(i, Article)
                and f"{i.date.year:04d}" in numbers
                and numbers & {f"{i.date.month:02d}", str(i.date.month)}
            ]
            unique = dated
        if len(unique) > 1 and self.languages:
            # Translations share a name: the one in the language the old path's prefix names
            # (none: the default language).
            code = next(
                (lang.code for lang in self.languages[1:] if path.startswith(lang.prefix)),
                self.languages[0].code,
            )
            unique = [i for i in unique if getattr(i, "language", "") in ("", code)]
        return unique[0] if len(unique) == 1 else None


def _front_matter_key(root: Path, source: PurePosixPath) -> tuple[str, str, int | None]:
    """The dialect of SOURCE's front matter and the key and line of its aliases, if it has one:
    ('yaml', 'aliases', 5), ('toml', 'aliases', None); read as the build reads it."""
    try:
        text = (root / source).read_text(encoding="utf-8", errors="replace")
        fm = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"), source)
    except (OSError, ContentError):
        return "yaml", "aliases", None
    for key in ("aliases", "redirect_from"):
        if key in fm.meta:
            return fm.dialect, key, fm.lines.get(key)
    return fm.dialect, "aliases", None


def suggestion(root: Path, item: Article | Page, alias: str) -> Suggestion:
    """The exact change to ITEM's front matter that makes ALIAS redirect to it."""
    dialect, key, line = _front_matter_key(root, item.source)
    # As written in front matter, an alias is a URL: '#', '?' and '%' in a path are encoded,
    # or the alias would end where they are (a fragment, a query).
    alias = quote(alias, safe="/:@!$&'()*+,;=-._~")
    quoted = '"' + alias.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if line is not None:
        return Suggestion(item.source, line, f"add {quoted} to its {key} list")
    written = {
        "yaml": f"{key}: [{quoted}]",
        "toml": f"{key} = [{quoted}]",
        "json": f'"{key}": [{quoted}],',
        "headers": f"{key.capitalize()}: {alias}",
    }[dialect]
    return Suggestion(item.source, None, f"add the line `{written}` to its front matter")


def compare(
    old: Sequence[OldUrl],
    *,
    source: str,
    config: SiteConfig,
    files: set[str],
    items: Sequence[Article | Page],
    drafts: Sequence[Article],
    external: Callable[[str], bool],
    site_root: Path,
    under: str = "",
) -> OldUrlReport:
    """Which of OLD the new build serves (FILES: every output file, relative to the output).
    UNDER ('fr/') is where the old site's root is in the new one: a language the old site
    served on a host of its own, now under its prefix."""
    report = OldUrlReport(source, read=len(old))
    under = under.strip("/") + "/" if under.strip("/") else ""
    prefixes = [lang.prefix for lang in config.languages if lang.prefix]
    # A language that had a host of its own: its old URLs are read under its prefix.
    hosts = [
        (lang.host, lang.prefix, urlsplit(lang.host).path or "/")
        for lang in config.languages
        if lang.host
    ]
    base = config.base_path
    published = _Matcher(items, config.languages)
    unpublished = _Matcher(drafts, config.languages)
    seen: set[tuple[str, str, str]] = set()
    for url in old:
        lead, root = under, base
        own = next(
            (h for h in hosts if "://" in url.written and same_host(url.written, h[0])), None
        )
        if own is not None:
            _, lead, root = own
        # The same path on two hosts is two old URLs when one is a language's own host.
        key = (lead, url.path, url.query)
        if key in seen:
            report.read -= 1
            continue
        seen.add(key)
        if external(url.path):
            report.external += 1
            continue
        if url.query:
            report.missing.append(Missing(url, "query"))
            continue
        if url.path + "/" == root:  # '/news' is redirected to '/news/' by every host
            report.served += 1
            continue
        if not url.path.startswith(root):
            report.missing.append(Missing(url, "outside", note=f"the base path is {root}"))
            continue
        rel = lead + url.path[len(root) :]
        if any(path in files for path in served_files(rel)):
            report.served += 1
            continue
        missing = _why(url, rel, files, published, unpublished, site_root, config.static_prefix)
        report.missing.append(missing)
        for prefix in prefixes:
            if missing.reason == "moved" and missing.note == f"now at /{prefix}{rel}":
                report.under_prefix[prefix] = report.under_prefix.get(prefix, 0) + 1
    return report


def _why(
    url: OldUrl,
    rel: str,
    files: set[str],
    published: _Matcher,
    unpublished: _Matcher,
    site_root: Path,
    static_prefix: str = "",
) -> Missing:
    last = rel.rstrip("/").rpartition("/")[2]
    suffix = last.rpartition(".")[2].lower() if "." in last else ""
    is_file = bool(suffix) and "." + suffix not in PAGE_SUFFIXES and not rel.endswith("/")
    if is_file and static_prefix and f"{static_prefix}{rel}" in files:
        # A Jekyll or Hugo archive's /images/a.png, with static_url: /static/ set.
        note = f"the new build has it at /{static_prefix}{rel} (static_url: /{static_prefix})"
        return Missing(url, "static", note=note)
    if is_file and not static_prefix and rel.startswith("static/") and rel[7:] in files:
        # A site made by an earlier newsgen: its /static/a.png is at /a.png now.
        note = f"the new build has it at /{rel[7:]} (static_url: /static/ keeps it at /{rel})"
        return Missing(url, "static", note=note)
    if (
        is_file
        and not static_prefix
        and rel.startswith("static/")
        and THEME_FOLDER + rel[7:] in files
    ):
        # The theme's own file (/static/style.css) of a site made by an earlier newsgen.
        moved = THEME_FOLDER + rel[7:]
        note = f"the new build has it at /{moved} (static_url: /static/ keeps it at /{rel})"
        return Missing(url, "static", note=note)
    item = published.find(rel)
    if item is not None and rel.endswith("/") and item.url == rel.rstrip("/"):
        # An extensionless page: /x/ cannot redirect to /x (its folder would shadow x.html).
        note = (
            f"now at /{item.url}, without the final slash; an alias cannot keep /{rel} beside"
            f" it: give {item.source} `url: /{rel}` to keep the old form, or have the host"
            " redirect it"
        )
        return Missing(url, "moved", note=note)
    if item is not None:
        return Missing(url, "moved", suggestion(site_root, item, "/" + rel), f"now at /{item.url}")
    draft = unpublished.find(rel)
    if draft is not None:
        return Missing(url, "draft", note=f"{draft.source} is a draft")
    return Missing(url, "file" if is_file else "no-match")


def report_lines(report: OldUrlReport) -> list[str]:
    """The report as text: a heading per reason, then each old URL and what to do."""
    missing = len(report.missing)
    head = f"Old URLs: {report.read} in {report.source}, {report.served} served by the new build"
    if report.external:
        head += f", {report.external} outside the archive (known paths)"
    head += f", {missing} missing" + (":" if missing else ".")
    lines = [head]
    for key, found in report.by_reason():
        lines.append(f"  {REASONS[key]} ({len(found)}):")
        for item in found:
            line = f"    {item.url.written}"
            if item.note:
                line += f" ({item.note})"
            lines.append(line)
            if item.suggestion is not None:
                lines.append(f"      {item.suggestion}")
    for prefix, count in sorted(report.under_prefix.items()):
        lines.append(
            f"  {count} of these are now under /{prefix} at the same path: if the old site"
            f" served that language on a host of its own, check again with --old-urls-under"
            f" {prefix} and have that host redirect every path to /{prefix} (one rule, not an"
            " alias each)"
        )
    return lines


def report_json(report: OldUrlReport) -> dict[str, object]:
    """The report for CI; docs/checking.md documents this shape."""
    return {
        "source": report.source,
        "read": report.read,
        "served": report.served,
        "external": report.external,
        "under_prefix": dict(sorted(report.under_prefix.items())),
        "missing": [
            {
                "url": m.url.written,
                "where": m.url.where,
                "path": m.url.path,
                "reason": m.reason,
                "note": m.note,
                "suggestion": None
                if m.suggestion is None
                else {
                    "path": str(m.suggestion.source),
                    "line": m.suggestion.line,
                    "add": m.suggestion.add,
                },
            }
            for m in report.missing
        ],
    }
