"""Article bodies → HTML. Pure functions; escaping happens by construction."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

SUMMARY_LENGTH = 200


def _demote_headings(state: object) -> None:
    """The page's <h1> is the title, so body headings start at <h2>."""
    for token in state.tokens:  # type: ignore[attr-defined]
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"


@functools.cache
def _markdown(html: bool) -> MarkdownIt:
    # The commonmark preset passes raw HTML through by default; that is a site's choice.
    md = MarkdownIt("commonmark", {"html": html}).enable(["table", "strikethrough"])
    md.core.ruler.push("newsgen_demote_headings", _demote_headings)
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


def markdown_to_html(text: str, *, html: bool = False) -> tuple[Markup, str]:
    """CommonMark plus tables and strikethrough → (HTML, the first paragraph's text)."""
    md = _markdown(html)
    tokens = md.parse(text)
    first = ""
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and i + 1 < len(tokens):
            first = _inline_text(tokens[i + 1].children)
            if first.strip():
                break
    return Markup(md.renderer.render(tokens, md.options, {})), first


def txt_to_html(text: str) -> tuple[Markup, str]:
    """Wire copy: each non-blank line is one paragraph, escaped, never markup."""
    paragraphs = [line.strip() for line in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    html = Markup("\n").join(Markup("<p>{}</p>").format(p) for p in paragraphs)
    return (html + Markup("\n") if paragraphs else html), (paragraphs[0] if paragraphs else "")
