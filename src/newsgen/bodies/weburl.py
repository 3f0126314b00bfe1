"""URLs judged as browsers read them (the WHATWG URL Standard, through ada-url).

A sanitizer that reads a URL one way while the browser reads it another can be walked
around: `https://evil.example\\@www.youtube.com/` has the host www.youtube.com for Python's
`urllib` and evil.example for every browser, and `java\\tscript:` is `javascript:` once the
browser drops the tab. So a URL is read by the standard's rules first (ada-url is a
well-kept parser of exactly that standard), and where `urllib` (which the rest of Python
uses) would read its scheme or host differently, the URL is refused.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import ada_url

WEB_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""What a link or a picture in a body may point at (and any relative URL)."""
_BASE = "https://newsgen.invalid/"
_BASE_HOST = "newsgen.invalid"
"""Relative URLs are read against a host no URL can name, so they are told apart."""
_SPACES = "".join(map(chr, range(0x21)))
"""What browsers strip from both ends of a URL: C0 controls and space."""


@dataclass(frozen=True, slots=True)
class WebUrl:
    """A URL as the browser reads it."""

    scheme: str
    """Lowercase, without ':' ('' for a relative URL)."""
    host: str
    """ASCII (IDNA) host, lowercase; '' for relative URLs and schemes without hosts."""


_LABEL = r"(?![a-z0-9]{2}--)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
PLAIN_WEB_URL = re.compile(
    rf"(https?)://((?:{_LABEL}\.)*(?![a-z0-9]{{2}}--)[a-z](?:[a-z0-9-]*[a-z0-9])?)(?:[/?#]|\Z)"
)
"""The start of an http(s) URL that every reader reads alike: a lowercase ASCII host of
letters, digits and inner hyphens (no port, no user, no IDNA `xn--`-like label, a last label
that is not a number, which would make it an IPv4 address), ended by `/`, `?`, `#` or the
end. Whatever follows is path, query or fragment, which never changes the scheme or host.
`read_url` takes these without asking ada-url and urllib (most of a links digest's URLs);
a property test holds that both would agree."""


def read_url(value: str) -> WebUrl | None:
    """VALUE as a browser reads it, or None when the browser cannot read it or urllib would
    read its scheme or host differently."""
    plain = PLAIN_WEB_URL.match(value)
    if plain is not None and plain.group(2) != _BASE_HOST:
        return WebUrl(plain.group(1), plain.group(2))
    return _read_url(value)


@functools.lru_cache(maxsize=8192)
def _read_url(value: str) -> WebUrl | None:
    try:
        parsed = ada_url.URL(value, _BASE)
    except ValueError:
        return None
    scheme, host = parsed.protocol[:-1], parsed.hostname.rstrip(".")
    if host == _BASE_HOST:  # relative: it stays on this site, however urllib reads it
        return WebUrl("", "")
    try:
        parts = urlsplit(value.strip(_SPACES))
        theirs = (parts.hostname or "").rstrip(".")
    except ValueError:  # 'https://[::1': an IPv6 host never closed
        return None
    if (parts.scheme or scheme).lower() != scheme or not (parts.scheme or parts.netloc):
        return None  # a scheme hidden from one reader, or a different one
    if theirs and not theirs.isascii():
        try:
            theirs = ada_url.idna_to_ascii(theirs).decode("ascii")
        except (ValueError, UnicodeDecodeError):
            return None
    if theirs.lower() != host:
        return None
    return WebUrl(scheme, host)


def is_web_link(value: str) -> bool:
    """Whether VALUE may be a link or a picture's source: relative, or http(s), mailto, tel."""
    if PLAIN_WEB_URL.match(value):
        return True
    url = read_url(value)
    return url is not None and (url.scheme == "" or url.scheme in WEB_SCHEMES)


def host_of(value: str) -> str | None:
    """The host a frame's source loads from, when it is an https or http URL."""
    url = read_url(value)
    if url is None or url.scheme not in ("http", "https"):
        return None
    return url.host


def path_matcher(written: tuple[str, ...] | list[str]) -> Callable[[str], bool]:
    """Whether a path on the host (decoded, from its root) is one of WRITTEN: exact, or below
    one that ends in '/' or '*'. Each may be a full URL (its path counts) or a path from the
    host's root (check.external_paths)."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for text in written:
        path = unquote(urlsplit(text.strip()).path)
        path = path if path.startswith("/") else "/" + path
        if path.endswith("*"):
            prefixes.append(path.rstrip("*"))
        elif path.endswith("/"):
            prefixes.append(path)
            exact.add(path.rstrip("/"))
        else:
            exact.add(path)
    ordered = tuple(sorted(prefixes))

    def covers(path: str) -> bool:
        return path in exact or path.startswith(ordered)

    return covers


def under_base(url: str, base_path: str, outside: Callable[[str], bool]) -> str:
    """URL written from the host's root ('/2024/…', '/assets/x.png') put under BASE_PATH
    ('/paper/'), as the deployed site serves it; any other URL, one already under
    BASE_PATH, and one whose path OUTSIDE says is not the archive's, as written."""
    if base_path == "/" or not url.startswith("/") or url[1:2] in ("/", "\\"):
        return url
    path, base = unquote(urlsplit(url).path), unquote(base_path)
    if path.startswith(base) or path == base[:-1] or outside(path):
        return url  # '/journal-%C3%A9/…' is under '/journal-é/' too
    return base_path + url[1:]
