"""Slugs, permalinks and output paths. Pure functions."""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import quote

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_PREFIX_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
PERMALINK_FIELDS = frozenset({"year", "month", "day", "slug"})
_NON_WORD = re.compile(r"[^\w]+|_+")


def slugify(text: str) -> str:
    """Lowercase, hyphenated, accents folded; other scripts' letters are kept.

    Non-ASCII letters that have no ASCII base (Cyrillic, CJK, ...) stay as they
    are: they make valid IRIs and are percent-encoded in every href. Text with
    no letters or digits at all gets a stable hash so it still has a URL.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFC", folded).lower()
    slug = _NON_WORD.sub("-", folded).strip("-")
    if slug:
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.match(slug))


def strip_date_prefix(stem: str) -> str:
    return DATE_PREFIX_RE.sub("", stem, count=1)


def check_permalink(pattern: str) -> str | None:
    """Return a problem with a permalink pattern, or None when it is usable."""
    if not pattern.startswith("/"):
        return "permalink must start with '/'"
    if not (pattern.endswith("/") or pattern.endswith(".html")):
        return "permalink must end with '/' or '.html'"
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as e:
        return f"permalink is not a valid pattern: {e}"
    unknown = names - PERMALINK_FIELDS
    if unknown:
        allowed = ", ".join("{" + n + "}" for n in sorted(PERMALINK_FIELDS))
        return f"permalink uses unknown field {{{sorted(unknown)[0]}}} (allowed: {allowed})"
    if "slug" not in names:
        return "permalink must contain {slug}"
    if any(part in (".", "..") for part in pattern.split("/")):
        return "permalink must not contain '.' or '..' segments"
    return None


def expand_permalink(pattern: str, date: datetime, slug: str) -> str:
    """Article URL relative to base_url, e.g. '2025/09/03/slug/'."""
    url = pattern.format(
        year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug
    )
    return url.lstrip("/")


def output_path(url: str) -> PurePosixPath:
    """The file under build/ that serves a URL relative to base_url."""
    if url == "" or url.endswith("/"):
        return PurePosixPath(url + "index.html")
    return PurePosixPath(url)


def href(base_path: str, url: str) -> str:
    """A site-internal link: base path plus the percent-encoded relative URL."""
    return base_path + quote(url, safe="/")


def absolute(base_url: str, url: str) -> str:
    """A full URL for feeds and the sitemap."""
    return base_url + quote(url, safe="/")


def tag_url(slug: str) -> str:
    return f"tags/{slug}/"


def page_url(prefix: str, number: int) -> str:
    """URL of listing page `number` under prefix ('' for home, 'tags/x/' for a tag)."""
    return prefix if number == 1 else f"{prefix}page/{number}/"
