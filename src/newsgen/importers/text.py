"""Text helpers shared by the importers: plain text from HTML, control characters, link paths."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

# What the loader refuses (C0 and C1 controls, DEL, noncharacters); XML 1.0 lets C1
# controls and U+FDD0..U+FDEF through, so an export can carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_BLOCK_END = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


class _TextOnly(HTMLParser):
    """Collects character data; entities are decoded, script and style are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCK_END:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_END:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The visible text of an HTML fragment on one line: tags stripped, whitespace collapsed."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def find_controls(text: str) -> list[str]:
    """The distinct control characters and noncharacters in TEXT, as U+XXXX codes."""
    return sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(text)})


def drop_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def link_path(link: str, base_path: str = "/") -> str | None:
    """The path of an old permalink, relative to the old site's BASE_PATH, decoded.

    None when the link names no page of its own: empty, the site root, or a query form
    such as /?p=123, which a static redirect page cannot serve.
    """
    parts = urlsplit(link.strip())
    if parts.scheme not in ("http", "https", "") or not parts.path.startswith("/"):
        return None  # a 'tag:' URI or a bare guid, which a feed may give as the link
    if parts.query or not parts.path.strip("/"):
        return None
    path = re.sub(r"/{2,}", "/", parts.path)  # exports carry 'example.com//greek/page/'
    if base_path != "/" and path.startswith(base_path):
        path = "/" + path[len(base_path) :]
    if not path.strip("/"):
        return None
    return unquote(path)


def last_segment(path: str) -> str:
    """The page's own name in a URL path: '/a/my-story.html' → 'my-story'.

    An index file names its folder ('/my-story/index.html' → 'my-story').
    """
    for segment in reversed([s for s in path.split("/") if s]):
        stem, dot, _ = segment.rpartition(".")
        name = stem if dot and stem else segment
        if name.lower() not in ("index", "default"):
            return name
    return ""
