"""Article bodies → HTML. Pure functions; escaping happens by construction.

Three kinds of body: Markdown (CommonMark with tables, strikethrough, footnotes and heading
attributes), HTML (`.html` articles, as imported archives keep them) and wire copy (`.txt`:
each line a paragraph, never markup). Raw HTML in the first two follows one setting,
`raw_html`: 'sanitize' (the allow-list in `sanitize`), 'keep' (a trusted archive) or
'escape' (shown as text).

Markdown goes through pulldown-cmark (the pyromark binding): the parser Zola and rustdoc
use, some fifty times faster than a Python one, which matters when an archive has a
hundred thousand articles. What newsgen adds (heading levels and ids, links that must not
run code, raw HTML shown as text) is done on the HTML it writes, the same way as for HTML
bodies, so both kinds of body follow one set of rules.
"""

from __future__ import annotations

import dataclasses
import html as htmllib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pyromark
from markupsafe import Markup

from newsgen.sanitize import sanitize
from newsgen.shortcodes import (
    KEEP,
    MARK,
    MARKDOWN_OPTIONS,
    STRAIGHT,
    code_regions,
    expand,
    restore,
)
from newsgen.typography import smarten

SUMMARY_LENGTH = 200
RAW_HTML_MODES = ("sanitize", "keep", "escape")
_OPTIONS = MARKDOWN_OPTIONS

UNCARRIED = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)
"""Characters XML cannot hold (the feeds would fail) and HTML calls errors: C0 controls but
tab and line breaks, DEL, C1 controls, noncharacters and lone surrogates."""
_NUMERIC_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


@dataclass(frozen=True, slots=True)
class BodyOptions:
    """The settings a body's HTML depends on (part of the parse cache key)."""

    raw_html: str = "sanitize"
    iframe_hosts: frozenset[str] = frozenset()
    base_url: str = "http://localhost:8000/"
    base_path: str = "/"
    smart_quotes: bool = False
    """Typographic quotes and dashes in Markdown bodies (never in .html or wire copy)."""
    language: str = "en"


@dataclass(slots=True)
class Body:
    """A rendered body."""

    html: Markup
    first_paragraph: str
    """Plain text of the first non-empty paragraph (the default summary)."""
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(file line or 0, message) for what a reader would miss: tags left as text, HTML removed."""

    @property
    def word_count(self) -> int:
        return len(_TAGS.sub(" ", str(self.html)).split())


def heading_levels(levels: Sequence[int]) -> dict[int, int]:
    """Map the levels a body uses onto h2, h3, … in order: none skipped after the <h1> title."""
    return {level: min(2 + rank, 6) for rank, level in enumerate(sorted(set(levels)))}


def anchor_slug(title: str) -> str:
    """A heading's id as GitHub (and Hugo) make it: lowercase, spaces as hyphens, no punctuation."""
    return re.sub(r"[^\w\u4e00-\u9fff\- ]", "", title.lower().replace(" ", "-"))


def _skeleton(text: str) -> str:
    """Letters and digits only, lowercase, Latin accents dropped: what every slug scheme keeps."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


_ANY_ID = re.compile(r"""\sid\s*=\s*["']([^"']+)["']""", re.I)
_FRAGMENT_HREF = re.compile(r"""href\s*=\s*["']#([^"'\s]+)["']""", re.I)


def linked_ids(headings: Sequence[tuple[str, str]], fragments: set[str]) -> dict[int, str]:
    """Heading index → the id the body's own `#links` use for it, where that is not ours.

    Every generator spells heading ids its own way (Zola: `what-s-next`, GitHub and Hugo:
    `whats-next`, emoji as names or dropped); an archive's in-page links follow its old
    generator. A link whose letters and digits are a heading's (or start with them, when
    the old scheme spelled emoji out) gets that heading's id.
    """
    ids = {heading_id for heading_id, _ in headings}
    skeletons = [_skeleton(text) for _, text in headings]
    changes: dict[int, str] = {}
    for fragment in sorted(fragments - ids):
        wanted = _skeleton(fragment)
        if not wanted:
            continue
        exact = [i for i, s in enumerate(skeletons) if s == wanted]
        prefix = sorted(
            (i for i, s in enumerate(skeletons) if len(s) >= 3 and wanted.startswith(s)),
            key=lambda i: -len(skeletons[i]),
        )
        for index in exact or prefix[:1]:
            if headings[index][0] not in fragments and index not in changes:
                changes[index] = fragment
                break
    return changes


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut plain text at a word boundary, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:\u2014\u2013-") + "…"


_KRAMDOWN_ID = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\{:[ \t]*(#[\w-]+)[^{}\n]*\}[ \t]*$", re.M)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)>")
_UNSAFE_URL = re.compile(
    r"""\s(?:href|src)\s*=\s*(["'])\s*(?:javascript|vbscript|data):[^"']*\1""", re.I
)


_RAW_TAG = re.compile(r"<[A-Za-z!/?][^<>]*>")


def _as_text(chunk: str) -> str:
    """Raw HTML as text, its quote marks kept straight through smart quotes."""
    chunk = _RAW_TAG.sub(
        lambda m: m.group(0).replace('"', STRAIGHT['"']).replace("'", STRAIGHT["'"]), chunk
    )
    return chunk.replace("<", "&lt;")


def _escape_raw_html(text: str) -> str:
    """Markdown whose raw HTML shows as text: every '<' outside code that is not an autolink.

    (markdown.html: false.) Code is left alone: there '&lt;' would show as typed.
    """
    pieces = []
    for chunk, is_code, _ in code_regions(text, html_body=False):
        if is_code or "<" not in chunk:
            pieces.append(chunk)
            continue
        last = 0
        for match in _AUTOLINK.finditer(chunk):
            pieces.append(_as_text(chunk[last : match.start()]))
            pieces.append(match.group(0))
            last = match.end()
        pieces.append(_as_text(chunk[last:]))
    return "".join(pieces)


def _first_paragraph(html: str) -> str:
    for match in _FIRST_P.finditer(html):
        first = " ".join(htmllib.unescape(_TAGS.sub("", match.group(1))).split())
        first = first.replace(KEEP, "")
        if first and MARK not in first:
            return first
    return ""


_TABLE_OPEN = re.compile(r"<table(?=[\s>])", re.I)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.I)
_PRE_OPEN = re.compile(r"<pre(?=[\s>])(?![^>]*\stabindex\s*=)", re.I)
TABLE_WRAP = '<div class="table-wrap" role="region" tabindex="0" aria-label="Table">'


def _keyboard_scrollable(html: str) -> str:
    """Wide tables and code blocks scroll sideways inside the column, not the page; a region
    that scrolls must be reachable from the keyboard (WCAG 2.1.1). Each table gets a focusable,
    named wrapper and each <pre> tabindex="0". Added after sanitizing: the allow-list for what
    authors write stays as it is (no role or tabindex from a body ever reaches a page)."""
    if "<table" in html and len(_TABLE_OPEN.findall(html)) == len(_TABLE_CLOSE.findall(html)):
        html = _TABLE_OPEN.sub(TABLE_WRAP + "<table", html)
        html = _TABLE_CLOSE.sub("</table></div>", html)
    if "<pre" in html:
        html = _PRE_OPEN.sub('<pre tabindex="0"', html)
    return html


def _finish(html: str, held: list[Markup], options: BodyOptions, warnings: list) -> Markup:
    if options.raw_html == "sanitize" and "<" in html:
        html, removed = sanitize(html, options.iframe_hosts)
        warnings.extend(
            (0, f"removed {what} from the body (markdown.html: sanitize)") for what in removed
        )
    elif ":" in html:
        # Links that would run code never reach a page, whatever else is kept as written.
        html = _UNSAFE_URL.sub("", html)
    html = restore(html, held)
    if "<table" in html or "<pre" in html:
        html = _keyboard_scrollable(html)
    if "&#" in html or UNCARRIED.search(html):
        html = _carriable(html, warnings)
    return Markup(html)


def _bad_code(code: int) -> bool:
    """A numeric reference HTML calls a parse error (and XML may not hold)."""
    return code == 0 or code == 0x0D or code > 0x10FFFF or bool(UNCARRIED.match(chr(code)))


def _carriable(html: str, warnings: list) -> str:
    """HTML without the characters feeds cannot carry, whether typed or written `&#7;`.

    A reference to a C1 control becomes the Windows-1252 character browsers show (`&#x80;`
    is €), to NUL or past U+10FFFF the replacement character; the rest is dropped, with a
    warning naming each character.
    """
    dropped: dict[str, None] = {}

    def ref(match: re.Match[str]) -> str:
        digits = match.group(1) or match.group(2)
        code = int(digits, 16 if match.group(1) else 10) if len(digits) < 9 else 0x110000
        if not _bad_code(code):
            return match.group(0)
        shown = htmllib.unescape(match.group(0).rstrip(";") + ";")
        if shown == "\r":
            return " "
        if not shown or UNCARRIED.match(shown):
            dropped[chr(code) if code <= 0x10FFFF else "\ufffd"] = None
            return ""
        return shown

    html = _NUMERIC_REF.sub(ref, html)
    if UNCARRIED.search(html):
        dropped.update(dict.fromkeys(UNCARRIED.findall(html)))
        html = UNCARRIED.sub("", html)
    if dropped:
        codes = ", ".join(f"U+{ord(c):04X}" for c in dropped)
        warnings.append((0, f"dropped {codes} from the body: characters feeds cannot carry"))
    return html


def markdown_to_html(
    text: str,
    first_line: int = 1,
    options: BodyOptions = BodyOptions(),
    params: Mapping[str, Any] | None = None,
) -> Body:
    """CommonMark plus tables, strikethrough and footnotes; headings start at <h2> with ids.

    PARAMS is the file's front matter, for Hugo's `param` shortcode.
    """
    ex = expand(
        text,
        first_line,
        html_body=False,
        base_url=options.base_url,
        base_path=options.base_path,
        params=params,
    )
    source = ex.text
    if "{:" in source:  # kramdown writes heading ids as {: #id}; pulldown-cmark reads {#id}
        source = _KRAMDOWN_ID.sub(r"\1 {\2}", source)
    if options.raw_html == "escape" and "<" in source:
        source = _escape_raw_html(source)
    html = pyromark.html(source, options=_OPTIONS)
    if options.smart_quotes:
        html = smarten(html, options.language)
    if "<h" in html:
        html = _html_headings(html)
    warnings = list(ex.warnings)
    if options.raw_html == "sanitize" and "<" not in source:
        # No raw HTML in the source: pulldown-cmark's own output needs only its links checked.
        options = dataclasses.replace(options, raw_html="keep")
    body = _finish(html, ex.held, options, warnings)
    return Body(body, _first_paragraph(str(body)), warnings)


_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
_FIRST_P = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.S | re.I)


def _html_headings(html: str) -> str:
    """Headings: levels from h2 with none skipped, and an id on each (`{#id}` kept, and the
    id the body's own `#links` use where it differs from ours)."""
    found = list(_HEADING.finditer(html))
    if not found:
        return html
    mapping = heading_levels([int(m.group(1)) for m in found])
    texts = [htmllib.unescape(_TAGS.sub("", m.group(3))).strip() for m in found]
    given = [re.search(r"""\sid\s*=\s*["']?([^"'\s>]+)""", m.group(2), re.I) for m in found]
    # Ids no heading may take: the ones written ({#intro}) and the body's others (footnotes).
    headings_html = "".join(m.group(0) for m in found)
    others = set(_ANY_ID.findall(html)) - set(_ANY_ID.findall(headings_html))
    used = {g.group(1) for g in given if g} | others
    ids: list[str] = []
    for explicit, text in zip(given, texts, strict=True):
        if explicit:
            ids.append(explicit.group(1))
            continue
        slug = anchor_slug(text) or "section"
        candidate, count = slug, 0
        while candidate in used:
            count += 1
            candidate = f"{slug}-{count}"
        used.add(candidate)
        ids.append(candidate)
    # A link to a footnote is not a link to an old heading id.
    fragments = {unquote(f) for f in _FRAGMENT_HREF.findall(html)} - others
    for index, new_id in linked_ids(list(zip(ids, texts, strict=True)), fragments).items():
        ids[index] = new_id
    numbered = iter(range(len(found)))

    def put(match: re.Match[str]) -> str:
        index = next(numbered)
        level = mapping[int(match.group(1))]
        attrs = re.sub(r"""\sid\s*=\s*(["'][^"']*["']|[^\s>]+)""", "", match.group(2), flags=re.I)
        return f'<h{level} id="{htmllib.escape(ids[index])}"{attrs}>{match.group(3)}</h{level}>'

    return _HEADING.sub(put, html)


def html_to_html(
    text: str,
    first_line: int = 1,
    options: BodyOptions = BodyOptions(),
    params: Mapping[str, Any] | None = None,
) -> Body:
    """An HTML body (.html articles), with raw HTML handled like raw HTML in Markdown."""
    ex = expand(
        text,
        first_line,
        html_body=True,
        base_url=options.base_url,
        base_path=options.base_path,
        params=params,
    )
    warnings = list(ex.warnings)
    if options.raw_html == "escape":
        paragraphs = [p.strip() for p in ex.text.split("\n\n") if p.strip()]
        html = Markup("\n").join(Markup("<p>{}</p>").format(p) for p in paragraphs)
        first = paragraphs[0].replace(KEEP, "") if paragraphs else ""
        return Body(Markup(restore(str(html), ex.held)), first, warnings)
    body = _html_headings(ex.text)
    html = _finish(body, ex.held, options, warnings)
    return Body(html, _first_paragraph(str(html)), warnings)


def txt_to_html(text: str) -> Body:
    """Wire copy: each non-blank line is one paragraph, escaped, never markup."""
    paragraphs = [line.strip() for line in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    html = Markup("\n").join(Markup("<p>{}</p>").format(p) for p in paragraphs)
    return Body(html + Markup("\n") if paragraphs else html, paragraphs[0] if paragraphs else "")
