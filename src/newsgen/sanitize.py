"""Raw HTML from article bodies, cleaned to an allow-list with nh3 (Ammonia's Python binding).

One cleaner serves raw HTML in Markdown and `.html` bodies alike. Archives are full of
embedded HTML that readers should see (tables, figures, `<details>`); scripts, styles,
event handlers, `javascript:`/`data:` URLs and HTML comments never reach a page.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit, urlunsplit

import nh3

TAGS = frozenset(
    {
        # structure
        *("p", "br", "hr", "div", "span", "section", "article", "aside", "header", "footer"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "address"),
        # inline
        *("a", "abbr", "b", "strong", "i", "em", "u", "s", "del", "ins", "mark", "small"),
        *("sub", "sup", "code", "kbd", "samp", "var", "q", "cite", "dfn", "time", "bdi", "bdo"),
        *("ruby", "rt", "rp", "wbr"),
        # lists and tables
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
        # figures, images and media
        *("figure", "figcaption", "img", "picture", "source", "video", "audio", "track"),
        *("details", "summary", "iframe"),
    }
)
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "rel", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "video": {"src", "controls", "poster", "width", "height", "preload", "muted", "loop"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
}
SCHEMES = frozenset({"http", "https", "mailto", "tel", "newsgen-ref"})
"""`newsgen-ref:` is newsgen's own link to another article, resolved before output."""
WEB_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def safe_url(url: str) -> bool:
    """Whether a URL is a web link (or relative), as browsers read it: they skip spaces and
    control characters, so `java\tscript:` is `javascript:`."""
    cleaned = "".join(c for c in url if c > " ")
    found = _SCHEME.match(cleaned)
    return found is None or found.group(1).lower() in WEB_SCHEMES


CLEAN_CONTENT = frozenset({"script", "style", "template", "object", "embed"})
"""Removed with what they hold. <noscript> is not among them: its fallback (often the real
<img> of a lazy-loading WordPress theme) is kept, as the site runs no script."""

_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S | re.I)
_RISKY = re.compile(
    r"<(script|style|object|embed|svg|math)\b|\son[a-z]+\s*=|javascript:|<iframe\b", re.I
)
_NOSCRIPT = re.compile(r"</?noscript\b[^>]*>", re.I)
_NO_SRC_IMG = re.compile(r"<img\b(?![^>]*\ssrc=)[^>]*>", re.I)
"""An image left without a source (a lazy-loader's placeholder): nothing to show."""


@functools.cache
def _cleaner(iframe_hosts: frozenset[str]) -> nh3.Cleaner:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "iframe" and attr == "src":
            try:
                parts = urlsplit(value)
            except ValueError:  # 'https://[::1': an IPv6 host never closed
                return None
            if (parts.hostname or "").lower() not in iframe_hosts:
                return None
            if parts.scheme in ("", "http"):  # an allowed player, asked for without TLS
                return urlunsplit(("https", parts.netloc, parts.path, parts.query, parts.fragment))
            if parts.scheme != "https":
                return None
        return value

    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT),
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(SCHEMES),
    )


INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "strong", "i", "em", "u", "s", "del", "mark", "small", "sub", "sup"}
    | {"code", "kbd", "q", "cite", "time", "br", "span"}
)


@functools.cache
def _inline_cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(INLINE_TAGS),
        clean_content_tags=set(CLEAN_CONTENT),
        attributes={k: v for k, v in ATTRIBUTES.items() if k in INLINE_TAGS or k == "*"},
        strip_comments=True,
        link_rel=None,
        url_schemes=set(SCHEMES),
    )


def sanitize_inline(html: str) -> str:
    """A caption or similar phrase: inline markup only (Hugo markdownifies figure captions)."""
    return _inline_cleaner().clean(html) if "<" in html or "&" in html else html


def sanitize(html: str, iframe_hosts: frozenset[str]) -> tuple[str, list[str]]:
    """Clean HTML to the allow-list → (clean HTML, what was removed that a reader would miss).

    Comments are removed without a word: they were never meant for readers.
    """
    if "<noscript" in html.lower():
        html = _NOSCRIPT.sub("", html)  # parsers read its inside as text: unwrap it first
    clean = _cleaner(iframe_hosts).clean(html)
    removed: list[str] = []
    if _RISKY.search(html):
        removed = _removed(html, clean, iframe_hosts)
    if "<iframe" in clean:
        clean = _EMPTY_IFRAME.sub("", clean)
    if "<img" in clean:
        clean = _NO_SRC_IMG.sub("", clean)
    return clean, removed


def _removed(before: str, after: str, iframe_hosts: frozenset[str]) -> list[str]:
    found = []
    for tag in ("script", "style", "object", "embed"):
        if re.search(rf"<{tag}\b", before, re.I):
            found.append(f"<{tag}>")
    for tag, what in (("svg", "an <svg> drawing"), ("math", "<math> formulas")):
        if re.search(rf"<{tag}\b", before, re.I):
            found.append(f"{what} (not allowed in bodies; put it in static/ and link it)")
    if re.search(r"\son[a-z]+\s*=", before, re.I) and not re.search(r"\son[a-z]+\s*=", after, re.I):
        found.append("event handler attributes (on…=)")
    if re.search(r"javascript:", before, re.I) and "javascript:" not in after.lower():
        found.append("javascript: links")
    for src in re.findall(r"<iframe\b[^>]*\ssrc=[\"']?([^\"'\s>]+)", before, re.I):
        try:
            host = (urlsplit(src).hostname or "").lower()
        except ValueError:
            host = ""
        if host not in iframe_hosts:
            found.append(f"an <iframe> from {host or src} (not in markdown.iframe_hosts)")
    return found
