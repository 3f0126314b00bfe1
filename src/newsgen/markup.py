"""Article bodies → HTML. Pure functions; escaping happens by construction.

Three kinds of body: Markdown (CommonMark, tables, strikethrough, footnotes), HTML (`.html`
articles, as imported archives keep them) and wire copy (`.txt`: each line a paragraph,
never markup). Raw HTML in the first two follows one setting, `raw_html`:
'sanitize' (the allow-list in `sanitize`), 'keep' (a trusted archive) or 'escape' (shown as text).
"""

from __future__ import annotations

import functools
import html as htmllib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify as anchor_slug
from mdit_py_plugins.footnote import footnote_plugin

from newsgen.sanitize import sanitize
from newsgen.shortcodes import KEEP, MARK, expand, restore

SUMMARY_LENGTH = 200
RAW_HTML_MODES = ("sanitize", "keep", "escape")


@dataclass(frozen=True, slots=True)
class BodyOptions:
    """The settings a body's HTML depends on (part of the parse cache key)."""

    raw_html: str = "sanitize"
    iframe_hosts: frozenset[str] = frozenset()
    base_url: str = "http://localhost:8000/"
    base_path: str = "/"


@dataclass(slots=True)
class Body:
    """A rendered body."""

    html: Markup
    first_paragraph: str
    """Plain text of the first non-empty paragraph (the default summary)."""
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(file line or 0, message) for what a reader would miss: tags left as text, HTML removed."""


def heading_levels(levels: Sequence[int]) -> dict[int, int]:
    """Map the levels a body uses onto h2, h3, … in order: none skipped after the <h1> title."""
    return {level: min(2 + rank, 6) for rank, level in enumerate(sorted(set(levels)))}


def _normalise_headings(state: object) -> None:
    tokens = state.tokens  # type: ignore[attr-defined]
    used = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if not used:
        return
    mapping = heading_levels(used)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{mapping[int(token.tag[1])]}"


_HEADING_ID = re.compile(r"\s*\{:?\s*#([\w-]+)[^{}]*\}\s*$")


def _take_heading_ids(state: object) -> None:
    """`## Title {#custom-id}` (Hugo, Zola, kramdown): the id is the author's, not the text."""
    tokens = state.tokens  # type: ignore[attr-defined]
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type != "heading_open" or "{" not in inline.content:
            continue
        match = _HEADING_ID.search(inline.content)
        last = inline.children[-1] if inline.children else None
        if match and last is not None and last.type == "text" and _HEADING_ID.search(last.content):
            token.meta["custom_id"] = match.group(1)
            inline.content = inline.content[: match.start()]
            last.content = _HEADING_ID.sub("", last.content)


def _give_heading_ids(state: object) -> None:
    for token in state.tokens:  # type: ignore[attr-defined]
        if token.type == "heading_open" and token.meta.get("custom_id"):
            token.attrSet("id", token.meta["custom_id"])


def _skeleton(text: str) -> str:
    """Letters and digits only, lowercase, Latin accents dropped: what every slug scheme keeps."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


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


def _follow_links(state: object) -> None:
    tokens = state.tokens  # type: ignore[attr-defined]
    fragments: set[str] = set()
    for token in tokens:
        if token.type == "html_block":
            fragments.update(_FRAGMENT_HREF.findall(token.content))
        for child in token.children or ():
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and href.startswith("#"):
                fragments.add(unquote(href[1:]))
            elif child.type == "html_inline":
                fragments.update(_FRAGMENT_HREF.findall(child.content))
    if not fragments:
        return
    opens = [(i, t) for i, t in enumerate(tokens) if t.type == "heading_open"]
    headings = [(str(t.attrGet("id") or ""), tokens[i + 1].content) for i, t in opens]
    for index, new_id in linked_ids(headings, fragments).items():
        opens[index][1].attrSet("id", new_id)


_PLAIN_URL = re.compile(r"[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]*\Z")


def _normalize_link(md: MarkdownIt) -> Callable[[str], str]:
    """markdown-it's link normalisation, skipped for URLs it would leave as they are.

    Parsing and re-encoding every URL is half the cost of a link-heavy digest; a URL made
    only of characters that need no encoding (no '%', no brackets, ASCII) comes back
    unchanged, which the tests check against markdown-it itself.
    """
    slow = md.normalizeLink

    def normalize(url: str) -> str:
        return url if _PLAIN_URL.match(url) else slow(url)

    return normalize


@functools.cache
def _markdown(html: bool) -> MarkdownIt:
    # The commonmark preset passes raw HTML through by default; the caller decides (raw_html).
    md = MarkdownIt("commonmark", {"html": html}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6)
    md.core.ruler.before("anchor", "newsgen_take_ids", _take_heading_ids)
    md.core.ruler.after("anchor", "newsgen_give_ids", _give_heading_ids)
    md.core.ruler.after("newsgen_give_ids", "newsgen_follow_links", _follow_links)
    md.core.ruler.push("newsgen_headings", _normalise_headings)
    md.normalizeLink = _normalize_link(md)  # type: ignore[method-assign]
    return md


def _inline_text(children: Sequence[Token] | None) -> str:
    parts: list[str] = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(_inline_text(child.children))
    return "".join(parts)


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut plain text at a word boundary, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:\u2014\u2013-") + "…"


def _finish(html: str, held: list[Markup], options: BodyOptions, warnings: list) -> Markup:
    if options.raw_html == "sanitize":
        html, removed = sanitize(html, options.iframe_hosts)
        warnings.extend(
            (0, f"removed {what} from the body (markdown.html: sanitize)") for what in removed
        )
    return Markup(restore(html, held))


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
    raw = options.raw_html != "escape"
    md = _markdown(raw)
    tokens = md.parse(ex.text)
    first = ""
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and i + 1 < len(tokens):
            first = _inline_text(tokens[i + 1].children).replace(KEEP, "")
            if first.strip() and MARK not in first:
                break
            first = ""
    rendered = md.renderer.render(tokens, md.options, {})
    warnings = list(ex.warnings)
    if raw and "<" not in ex.text:  # no raw HTML in the source: markdown-it's own output is safe
        html = Markup(restore(rendered, ex.held))
    else:
        html = _finish(rendered, ex.held, options, warnings)
    return Body(html, first, warnings)


_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
_FIRST_P = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.S | re.I)


def _html_headings(html: str) -> str:
    """Headings of an HTML body: levels as in Markdown bodies, and an id on each."""
    found = list(_HEADING.finditer(html))
    if not found:
        return html
    mapping = heading_levels([int(m.group(1)) for m in found])
    texts = [htmllib.unescape(_TAGS.sub("", m.group(3))).strip() for m in found]
    seen: dict[str, int] = {}
    ids: list[str] = []
    for match, text in zip(found, texts, strict=True):
        given = re.search(r"""\sid\s*=\s*["']?([^"'\s>]+)""", match.group(2), re.I)
        if given:
            ids.append(given.group(1))
            continue
        slug = anchor_slug(text) or "section"
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.append(slug if count == 0 else f"{slug}-{count}")
    fragments = {unquote(f) for f in _FRAGMENT_HREF.findall(html)}
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
    first = ""
    for match in _FIRST_P.finditer(html):
        first = " ".join(htmllib.unescape(_TAGS.sub("", match.group(1))).split())
        if first:
            break
    return Body(html, first, warnings)


def txt_to_html(text: str) -> Body:
    """Wire copy: each non-blank line is one paragraph, escaped, never markup."""
    paragraphs = [line.strip() for line in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    html = Markup("\n").join(Markup("<p>{}</p>").format(p) for p in paragraphs)
    return Body(html + Markup("\n") if paragraphs else html, paragraphs[0] if paragraphs else "")
