"""The last step of every body: HTML cleaned to an allow-list with nh3 (Ammonia's binding).

Archives are full of embedded HTML that readers should see (tables, figures, `<details>`);
scripts, styles, event handlers, links that run code and HTML comments never reach a page.
Whatever the body held, its published HTML is what this cleaner returned: nothing edits it
afterwards, and cleaning it again changes nothing (the tests hold both).

What a reader would miss is named earlier, by `guard`, which reads the same allow-list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar

import nh3

from newsgen.bodies.weburl import host_of, is_web_link

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
FIXED_VALUES: dict[str, dict[str, set[str]]] = {
    "div": {"role": {"region"}, "tabindex": {"0"}, "aria-label": {"Table"}},
    "pre": {"tabindex": {"0"}},
}
"""What newsgen writes so wide tables and code scroll by keyboard (WCAG 2.1.1): a body may
hold exactly these values and no others."""
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})
CLEAN_CONTENT = frozenset({"script", "style", "template", "object", "embed", "noembed"})
"""Removed with what they hold."""
REF_SCHEME = "newsgen-ref:"
"""newsgen's own link to another article, resolved (and cleaned again) once every URL is known."""


def srcset_candidates(value: str) -> list[tuple[str, str]]:
    """(URL, descriptors) of a srcset list ('a.jpg 1x, b.jpg?w=1,2 2x'), read as the HTML
    standard reads it: a URL runs to white space (a comma inside one belongs to it)."""
    out: list[tuple[str, str]] = []
    pos, end = 0, len(value)
    while True:
        while pos < end and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        if pos >= end:
            return out
        start = pos
        while pos < end and not value[pos].isspace():
            pos += 1
        url, descriptors = value[start:pos], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            begin = pos
            while pos < end and value[pos] != ",":
                pos += 1
            descriptors = value[begin:pos].strip()
        if url:
            out.append((url, descriptors))


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset list."""
    return [url for url, _ in srcset_candidates(value)]


def url_allowed(tag: str, attribute: str, value: str, hosts: frozenset[str], refs: bool) -> bool:
    """Whether a URL attribute may stay: web links, and frames only from HOSTS over https."""
    if attribute == "srcset":
        return all(is_web_link(url) for url in srcset_urls(value))
    if tag == "iframe" and attribute == "src":
        return value.lower().startswith("https:") and host_of(value) in hosts
    if refs and value.startswith(REF_SCHEME):
        return True
    return is_web_link(value)


Rewrite = Callable[[str], str]
"""A URL the sanitizer keeps → the URL to publish (made absolute, a reference resolved)."""
_REWRITE: ContextVar[Rewrite | None] = ContextVar("newsgen_rewrite", default=None)


def _rewritten(tag: str, attribute: str, value: str, hosts: frozenset[str]) -> str | None:
    rewrite = _REWRITE.get()
    if rewrite is None:
        return value
    if attribute == "srcset":
        value = ", ".join(
            f"{rewrite(url)} {descriptors}".strip() for url, descriptors in srcset_candidates(value)
        )
    else:
        value = rewrite(value)
    # What the rewrite made is judged again: nh3 checks schemes before this filter runs.
    return value if url_allowed(tag, attribute, value, hosts, False) else None


@functools.cache
def _cleaner(hosts: frozenset[str], refs: bool) -> nh3.Cleaner:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES or attribute == "srcset":
            if not url_allowed(tag, attribute, value, hosts, refs):
                return None
            return _rewritten(tag, attribute, value, hosts)
        return value

    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT),
        attributes=ATTRIBUTES,
        tag_attribute_values=FIXED_VALUES,
        attribute_filter=keep,
        strip_comments=True,
        link_rel=None,
        url_schemes={"http", "https", "mailto", "tel", *(["newsgen-ref"] if refs else [])},
    )


def sanitize(
    html: str, hosts: frozenset[str], refs: bool = False, rewrite: Rewrite | None = None
) -> str:
    """HTML cleaned to the allow-list. REFS lets `newsgen-ref:` links through, for a body
    that is cleaned again once they are resolved. REWRITE changes the URLs it keeps (and
    only URLs: the HTML parser of the sanitizer tells them from text and code)."""
    cleaner = _cleaner(hosts, refs)
    token = _REWRITE.set(rewrite)
    try:
        clean = cleaner.clean(html)
    finally:
        _REWRITE.reset(token)
    if rewrite is None and clean == html:
        # Cleaning changed nothing, so cleaning again would give the same (the renderer
        # writes what the cleaner does, so this is most bodies: one pass instead of two).
        return clean
    # Misnested markup (`<p>` in `<p>`, a `<select>` left open) can serialise into HTML that
    # parses into another tree: clean until cleaning changes nothing (twice at most, seen).
    for _ in range(3):
        again = cleaner.clean(clean)
        if again == clean:
            break
        clean = again
    return clean
