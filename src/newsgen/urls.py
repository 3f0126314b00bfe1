"""Slugs, permalinks and output paths. Pure functions."""

from __future__ import annotations

import functools
import hashlib
import re
import string
import unicodedata
from collections.abc import Collection, Container, Mapping, Sequence
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urljoin, urlsplit

from newsgen.models import PublishedFiles

DATE_PREFIX_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
PERMALINK_FIELDS = frozenset({"year", "month", "day", "slug", "section", "categories", "path"})
MAX_SLUG_BYTES = 150
"""A slug is a folder name: file systems allow 255 bytes, and the tail is spent on suffixes."""


@functools.lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """An accented Latin letter becomes its ASCII base (é → e); every other letter stays.

    Only Latin accents are dropped: for other scripts a combining mark changes the
    letter (ガ is not カ, й is not и), so those keep their composed form.
    """
    decomposed = unicodedata.normalize("NFKD", char)
    base = decomposed[:1]
    if base.isascii() and all(unicodedata.combining(c) for c in decomposed[1:]):
        return base
    return char


def _is_slug_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _cap(slug: str) -> str:
    if len(slug.encode("utf-8")) <= MAX_SLUG_BYTES:
        return slug
    cut = slug.encode("utf-8")[:MAX_SLUG_BYTES].decode("utf-8", errors="ignore")
    head = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return head.strip("-") or cut


_ASCII_WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Lowercase, hyphenated, Latin accents folded; letters of other scripts are kept.

    Non-Latin letters make valid IRIs and are percent-encoded in every href. Text with
    no letters or digits at all gets a stable hash, so it still has a URL.
    """
    if text.isascii():  # the common case, 30 times faster: runs of letters and digits
        slug = _cap("-".join(_ASCII_WORD.findall(text.lower())))
        return slug or "x-" + hashlib.sha1(text.lower().encode("utf-8")).hexdigest()[:8]
    text = unicodedata.normalize("NFC", text).lower()
    words, word = [], []
    for char in text:
        folded = _fold(char)
        if all(_is_slug_char(c) for c in folded) and folded != "_":
            word.append(folded)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    slug = _cap("-".join(words))
    if slug:
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


@functools.lru_cache(maxsize=65536)
def tag_key(name: str) -> str:
    """What makes two tags the same tag: the name, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def unique_slugs(keys: dict[str, str]) -> dict[str, str]:
    """Give each key (→ its preferred slug) a slug no other key has.

    "C++" and "C#" both slugify to "c": the first key in sorted order keeps the
    plain slug, the others get a short hash of their key, stable across builds.
    """
    by_slug: dict[str, list[str]] = {}
    for key in sorted(keys):
        by_slug.setdefault(keys[key], []).append(key)
    result = {}
    for slug, owners in by_slug.items():
        result[owners[0]] = slug
        for key in owners[1:]:
            result[key] = f"{slug}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:6]}"
    return result


def is_valid_slug(slug: str) -> bool:
    """Lowercase letters (of any script), digits and single hyphens between them."""
    if not slug or len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        return False
    words = slug.split("-")
    return all(w and all(_is_slug_char(c) for c in w) and w == w.lower() for w in words)


def strip_date_prefix(stem: str) -> str:
    return DATE_PREFIX_RE.sub("", stem, count=1)


def check_permalink(pattern: str) -> str | None:
    """Return a problem with a permalink pattern, or None when it is usable."""
    if not pattern.startswith("/"):
        return "permalink must start with '/'"
    if not (pattern.endswith("/") or pattern.endswith(".html")):
        return "permalink must end with '/' or '.html'"
    try:
        fields = [f for f in string.Formatter().parse(pattern) if f[1] is not None]
    except ValueError as e:
        return f"permalink is not a valid pattern: {e}"
    for _, field_name, spec, conversion in fields:
        name = field_name or ""
        if spec or conversion:
            # '{year:d}' or '{slug!r}': the values are ready-made text, so no format applies.
            written = (
                "{"
                + name
                + ("!" + conversion if conversion else "")
                + (":" + spec if spec else "")
                + "}"
            )
            shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in written)
            return f"permalink field {shown} cannot have a format; write {{{name}}}"
    names = {name or "" for _, name, _, _ in fields}
    unknown = names - PERMALINK_FIELDS
    if unknown:
        allowed = ", ".join("{" + n + "}" for n in sorted(PERMALINK_FIELDS))
        return f"permalink uses unknown field {{{sorted(unknown)[0]}}} (allowed: {allowed})"
    if not names & {"slug", "path"}:
        return "permalink must contain {slug} (or {path}, which ends in it)"
    if any(part in (".", "..") for part in pattern.split("/")):
        return "permalink must not contain '.' or '..' segments"
    return None


def expand_permalink(
    pattern: str,
    date: datetime,
    slug: str,
    section: str = "",
    categories: Sequence[str] = (),
    folders: Sequence[str] = (),
) -> str:
    """Article URL relative to base_url, e.g. '2025/09/03/slug/'. SECTION is the article's
    section key; CATEGORIES its Jekyll categories; FOLDERS those its file is in under
    articles/, as written ({path} is they and the slug: Hugo's and Zola's default URL, the
    file's path, and Jekyll's `:path`). A field with no value leaves no empty segment
    ('/{section}/{slug}/' of an article without a section is '/{slug}/')."""
    url = pattern.format(
        year=f"{date.year:04d}",
        month=f"{date.month:02d}",
        day=f"{date.day:02d}",
        slug=slug,
        section=section,
        categories=jekyll_categories(categories),
        path="/".join((*folders, slug)),
    )
    if "//" in url:
        url = re.sub(r"/{2,}", "/", url)
    return url.lstrip("/")


def jekyll_categories(categories: Sequence[str]) -> str:
    """Jekyll's `:categories`: each category lowercased, the first of equal ones kept,
    joined by '/' (its url_drop.rb), so an archive's old URLs come out the same."""
    parts = (part for c in categories for part in c.lower().split("/"))
    return "/".join(dict.fromkeys(p for p in parts if p.strip() not in ("", ".", "..")))


def section_name(folder: str) -> str:
    """A section's name from its folder when nothing else names it, as Hugo shows it:
    `world-news` → World News; a name with capitals is kept as written."""
    if folder != folder.lower():
        return folder
    return " ".join(word.capitalize() for word in re.split(r"[-_\s]+", folder) if word)


def section_url(key: str, taken: Collection[str] = ()) -> str:
    """A section's front page, relative to base_url: `/{key}/`, or `/sections/{key}/` for a
    key that names one of newsgen's own pages (`tags`, `archive`, a year, ...), whatever
    the settings, so a section's URL never depends on which of them is switched on. TAKEN
    are more such names: the prefixes of the site's languages (`ja`)."""
    if key in RESERVED_SECTION_KEYS or key.isdigit() or key in taken:
        return f"sections/{key}/"
    return f"{key}/"


def output_path(url: str) -> PurePosixPath:
    """The file under build/ that serves a URL relative to base_url."""
    return PurePosixPath(output_file(url))


def output_file(url: str) -> str:
    """`output_path` as a plain string (there is one per page: strings cost a fraction)."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def page_file(url: str) -> str:
    """The file under build/ that serves a page's URL: a folder's index.html, a page file
    ('old.html'), or for an extensionless URL ('blog/name1.18') that name with '.html', which
    GitHub Pages, Netlify and Cloudflare Pages serve at the URL without it."""
    if url == "" or url.endswith("/") or is_file_url(url):
        return output_file(url)
    return url + ".html"


def served_files(url: str) -> tuple[str, ...]:
    """The files a static host may answer URL (relative to base_url) with, in its order: a
    folder's index, or the file itself, else that name with '.html' (an extensionless
    page), else the folder it redirects to ('old' → 'old/')."""
    if url == "" or url.endswith("/"):
        return (url + "index.html",)
    return (url, url + ".html", url + "/index.html")


def site_path(written: str, host: str | None = None) -> str | None:
    """The path inside the site a written URL points to ('/2011/05/old/', 'old.html', a full
    URL), relative to base_url and decoded; None when it points nowhere a site can serve.

    The one reading of a URL written by hand (aliases, an article's own `url:`): a query and
    fragment are dropped, '.' and '..' and control characters refused. A full URL must use
    http(s), and be on HOST when one is given.
    """
    text = written.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # 'http://[::1': an IPv6 host never closed
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") and host is None:
            return None
        if host is not None and parts.hostname != host:
            return None
        text = parts.path
    text = unquote(text.split("#")[0].split("?")[0])
    if "\\" in text or any(ord(c) < 32 for c in text):
        return None
    segments = text.strip("/").split("/")
    if not text.strip("/") or any(seg in ("", ".", "..") for seg in segments):
        return None
    return "/".join(segments) + ("/" if text.endswith("/") else "")


def alias_url(alias: str, base_url: str) -> str | None:
    """An old path from aliases/redirect_from → a URL relative to base_url; None if unusable.

    Aliases are relative to the site (Hugo and Jekyll alike): '/2011/05/old/' and
    '2011/05/old/' are the same. A full URL must be on the site's own host.
    """
    return site_path(alias, urlsplit(base_url).hostname)


PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".cfm")
"""A URL ending in one of these names a page file; any other URL is a folder ('my.story/')."""


FILE_SUFFIXES = (
    *(".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".tif", ".tiff"),
    *(".pdf", ".mp3", ".mp4", ".m4a", ".ogg", ".webm", ".wav", ".mov"),
    *(".css", ".js", ".woff", ".woff2", ".ttf", ".otf", ".zip"),
)
"""A URL ending in one of these names a picture or another file, never a page."""


def is_asset_url(url: str) -> bool:
    """Whether URL names a picture, a style sheet, a document: a file, not a page."""
    path = urlsplit(url).path
    return not path.endswith("/") and path.lower().endswith(FILE_SUFFIXES)


def local_path(base_url: str, page_url: str, url: str) -> str | None:
    """Where URL, written on the page at PAGE_URL (relative to BASE_URL), leads on the
    deployed site: a path relative to the output, decoded ('assets/x.png'); None for a URL
    elsewhere (another host, another scheme, outside base_url's path)."""
    base = urlsplit(base_url)
    target = urlsplit(urljoin(base_url + quote(page_url, safe="/"), url.strip()))
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    if target.scheme not in ("http", "https") or target.netloc != base.netloc:
        return None  # http: and https: of the site's own host are both the site, as in check
    if not target.path.startswith(base_path):
        return None
    return unquote(target.path[len(base_path) :])


def local_file(
    files: PublishedFiles, base_url: str, page_url: str, url: str
) -> PurePosixPath | None:
    """The source file (relative to the site root) that URL, written on the page at
    PAGE_URL, shows on the deployed site: a picture of static/ or of an article's bundle;
    None when it names no such file (a page, a file elsewhere, a file the build lacks).

    The one answer to "which file is this picture": lead images are placed with it
    (site.assemble), and whatever makes pictures of other sizes asks it too."""
    rel = local_path(base_url, page_url, url)
    return None if rel is None else files.sources.get(rel)


def is_file_url(url: str) -> bool:
    return not url.endswith("/") and url.lower().endswith(PAGE_SUFFIXES)


def redirect_output(url: str) -> str:
    """Where an alias's redirect page goes: a folder URL, or a page file ('old.html').

    '/old/path' without a suffix gets old/path/index.html, which servers serve for it too.
    """
    if is_file_url(url):
        return url
    return url.rstrip("/") + "/index.html"


@functools.lru_cache(maxsize=65536)
def href(base_path: str, url: str) -> str:
    """A site-internal link: base path plus the percent-encoded relative URL."""
    return base_path + quote(url, safe="/")


@functools.lru_cache(maxsize=65536)
def absolute(base_url: str, url: str) -> str:
    """A full URL for feeds and the sitemap."""
    return base_url + quote(url, safe="/")


TAGS_URL = "tags/"
AUTHORS_URL = "authors/"
ARCHIVE_URL = "archive/"
SEARCH_URL = "search/"
RESERVED_SECTION_KEYS = frozenset({"tags", "authors", "archive", "search", "pagefind", "static"})
"""Top-level names of newsgen's own pages (and the search index and theme files)."""
RSS_URL = "feed.xml"
ATOM_URL = "atom.xml"
JSON_URL = "feed.json"
FEED_FILES = {"rss": RSS_URL, "atom": ATOM_URL, "json": JSON_URL}
"""Each feed format's file name, at the site root and under each tag's and author's folder."""
NEWS_SITEMAP_URL = "news-sitemap.xml"
SITEMAP_INDEX_URL = "sitemap-index.xml"
SITEMAP_URL = "sitemap.xml"
ROBOTS_URL = "robots.txt"
REDIRECTS_URL = "_redirects"


def tag_url(slug: str) -> str:
    return f"{TAGS_URL}{slug}/"


def author_url(slug: str) -> str:
    return f"{AUTHORS_URL}{slug}/"


def year_url(year: int) -> str:
    return f"{year:04d}/"


def month_url(year: int, month: int) -> str:
    return f"{year:04d}/{month:02d}/"


def page_url(prefix: str, number: int) -> str:
    """URL of listing page `number` under prefix ('' for home, 'tags/x/' for a tag)."""
    return prefix if number == 1 else f"{prefix}page/{number}/"


NAME_BYTES = 255
"""The longest file or folder name Linux, macOS and Windows file systems take (in bytes)."""


def path_conflicts(planned: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """What cannot exist beside the rest of PLANNED (output file → what it is for): for a
    file where another needs a folder, (the file, its owner, the folder's owner); for a name
    longer than file systems allow, (the path, its owner, ''). All of them, so one build
    names every conflict, not the first the disk refuses."""
    # Run on every build over every output path: a name can only be too long in a path of
    # more than NAME_BYTES // 4 characters (four bytes a character at most), and the folders
    # are looked up as slices, not joined.
    found: list[tuple[str, tuple[str, str, str]]] = []
    for path, owner in planned.items():
        if len(path) > NAME_BYTES // 4 and any(
            len(p.encode("utf-8", "surrogatepass")) > NAME_BYTES for p in path.split("/")
        ):
            found.append((path, (path, owner, "")))
        cut = path.find("/")
        while cut != -1:
            folder = path[:cut]
            if folder in planned:
                found.append((path, (folder, planned[folder], owner)))
                break
            cut = path.find("/", cut + 1)
    found.sort(key=lambda entry: entry[0])  # stable: by path, as the paths are in the output
    return [conflict for _, conflict in found]


def language_suffix(name: str, codes: Sequence[str]) -> str | None:
    """The language a file name's suffix gives it, as Hugo and Zola write translations
    (`story.ja.md`, `index.pt-br.md`, `_index.ja.md`): one of CODES, as configured, or None."""
    stem, dot, _ = name.rpartition(".")
    if not dot or "." not in stem:
        return None
    return matching_code(stem.rpartition(".")[2], codes)


def language_folder(rel: PurePosixPath, codes: Sequence[str]) -> str | None:
    """The language a first folder under articles/ gives a source (`articles/ja/…`,
    `articles/zh_cn/…` for zh-CN): one of CODES, as configured, or None."""
    parts = rel.parts
    if len(parts) < 3:
        return None
    return matching_code(parts[1], codes)


def matching_code(name: str, codes: Sequence[str]) -> str | None:
    """The one of CODES that NAME (a suffix, a folder, a `lang:`) stands for: the same code
    whatever its case and '_' for '-', else the only code of NAME's language (`fr` for
    `fr-CA`, as Hugo's `fr` folder holds a language whose languageCode is fr-CA)."""
    key = code_key(name)
    exact = next((code for code in codes if code_key(code) == key), None)
    if exact is not None or "-" in key:
        return exact
    regional = [code for code in codes if code_key(code).split("-")[0] == key]
    return regional[0] if len(regional) == 1 else None


def code_key(name: str) -> str:
    """A language code as a file or folder may spell it: `zh-CN`, `zh_cn` and `ZH-cn` are one
    (ruby-lang.org's folders are `zh_cn/`, `pt_br/`)."""
    return name.lower().replace("_", "-")


def source_language(rel: PurePosixPath, codes: Sequence[str]) -> str | None:
    """The language a source's path gives it: its suffix, else its language folder."""
    if not codes:
        return None
    return language_suffix(rel.name, codes) or language_folder(rel, codes)


def under_language(link: str, prefix: str, host: str) -> str:
    """A `url` or alias written for a language's own host (HOST, with PREFIX now): a path
    under PREFIX ('/x/' is '/fr/x/'; one already under it stays), and a full address on
    HOST (whatever its scheme, case or default port) its path under PREFIX; anything else
    as written (another host's address, '//elsewhere/', a query alone), for the build to
    judge as it judges any alias."""
    if link.startswith("//"):
        return link
    if "://" in link:
        if not same_host(link, host):
            return link
        parts = urlsplit(link)
        link = parts.path + (f"?{parts.query}" if parts.query else "")
    path = link.lstrip("/")
    if not path or path.startswith(("?", "#")):
        return link
    if path.startswith(prefix) or not prefix:
        return "/" + path
    return "/" + prefix + path


def same_host(link: str, host: str) -> bool:
    """Whether LINK is an address on HOST: the same host name whatever its case, on the
    port its scheme uses by default or the same one."""
    try:
        a, b = urlsplit(link), urlsplit(host)
        a_port = a.port or {"http": 80, "https": 443}.get(a.scheme.lower())
        b_port = b.port or {"http": 80, "https": 443}.get(b.scheme.lower())
    except ValueError:
        return False
    same_port = a_port == b_port or {a_port, b_port} <= {80, 443}
    return bool(a.hostname) and a.hostname == b.hostname and same_port


def moved_static(
    rel: str, files: Container[str], prefix: str, static_url: str, base_path: str
) -> str:
    """What to write instead when REL is a static file's place in the other layout
    (static/x.png of a site made by an earlier newsgen, now published at /x.png), for a
    message saying REL is not built: '' when it is none. FILES: the output paths built;
    PREFIX: static_url's folder ('' for the root)."""
    if not prefix and rel.startswith("static/") and rel[7:] in files:
        return (
            f": static/ is published at the site's root now, so write {base_path}{rel[7:]}"
            " (or set static_url: /static/ to keep the old layout)"
        )
    if prefix and not rel.startswith(prefix) and prefix + rel in files:
        return f": static/ is published under {static_url}, at {base_path}{prefix}{rel}"
    return ""
