"""HTML bodies and raw HTML → the token stream Markdown bodies are made of.

An `.html` article, a raw HTML block in Markdown and a tag's rendered template are read
here into markdown-it tokens (Python's own HTML tokenizer does the reading), so every
later stage (heading levels and ids, links, characters, excerpts) works on one kind of
stream whatever the body was written in:

- a tag is an `html_tag` token (`tag` its name, `nesting` 1, -1 or 0, `attrs` its
  attributes with entities decoded);
- text is a `text` token with entities decoded (the renderer escapes it again);
- a heading of raw HTML is `heading_open`, `inline`, `heading_close`, as in Markdown;
- `<!--more-->` is an `excerpt_break`; other comments, `<script>` text and declarations
  are `html_raw` tokens, which the sanitizer drops (or `markdown.html: true` keeps).

Other generators' template tags in HTML are expanded on the text before it is read
(`expand_html`), outside code, as Jekyll and Hugo expand them before anything else.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Literal

from markdown_it.token import Token
from markupsafe import Markup, escape

from newsgen.bodies.shortcodes import Outcome, TagContext, bare_refs, render_call
from newsgen.bodies.syntax import Call, find_closer, scan

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr", "keygen"}
)
_TAG_NAME = re.compile(r"[a-z][a-z0-9-]*(?::[a-z][a-z0-9-]*)?")
_ATTR_NAME = re.compile(r"[^\s\"'<>/=\x00-\x1f\x7f]+")
_MORE = re.compile(r"\s*more\s*", re.I)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

Problem = tuple[int, str, str]
"""(file line, message, 'warning' or 'error')."""


def charref(code: int) -> str:
    """The character a numeric reference stands for, as browsers read it: C1 codes as
    Windows-1252, NUL, surrogates and beyond U+10FFFF as U+FFFD; the rest as themselves
    (a control character is then dropped aloud, not silently as `html.unescape` does)."""
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    if 0x80 <= code <= 0x9F:
        try:
            return bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(code)
    return chr(code)


def read_charref(markup: str) -> str:
    """'&#7;' or '&#x80;' → its character (see `charref`)."""
    digits = markup[2:].rstrip(";")
    try:
        code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
    except ValueError:
        return markup
    return charref(code)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[Token] = []

    def _raw(self, text: str) -> None:
        self.out.append(Token("html_raw", "", 0, content=text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, 0 if tag in VOID else 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # '<div/>' opens a div, as browsers read it; '<br/>' is a void tag either way.
        self._tag(tag, attrs, 0 if tag in VOID else 1)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], nesting: Literal[0, 1]) -> None:
        if not _TAG_NAME.fullmatch(tag):
            self.out.append(Token("text", "", 0, content=self.get_starttag_text() or ""))
            return
        token = Token("html_tag", tag, nesting, meta={"at": self.getpos()[0]})
        if tag == "iframe" and nesting == 1:
            self.set_cdata_mode(tag)  # a frame's content is never shown: read past it
        for name, value in attrs:
            if _ATTR_NAME.fullmatch(name) and name not in token.attrs:
                token.attrs[name] = value if value is not None else ""
        self.out.append(token)

    def handle_endtag(self, tag: str) -> None:
        if not _TAG_NAME.fullmatch(tag):
            self.out.append(Token("text", "", 0, content=f"</{tag}>"))
        elif tag not in VOID:
            self.out.append(Token("html_tag", tag, -1))

    def handle_data(self, data: str) -> None:
        if self.cdata_elem == "iframe":
            return
        if self.cdata_elem:  # the text of <script> or <style>
            self._raw(data)
        elif self.out and self.out[-1].type == "text":
            self.out[-1].content += data
        else:
            self.out.append(Token("text", "", 0, content=data))

    def handle_charref(self, name: str) -> None:
        self.handle_data(read_charref(f"&#{name};"))

    def handle_entityref(self, name: str) -> None:
        text = htmllib.unescape(f"&{name};")
        self.handle_data(text if text != f"&{name};" else f"&{name}")

    def handle_comment(self, data: str) -> None:
        if _MORE.fullmatch(data):
            self.out.append(Token("excerpt_break", "", 0))
        else:
            self._raw(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._raw(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._raw(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._raw(f"<![{data}]>")


def read_html(html: str, *, block: bool, line: int = 0) -> list[Token]:
    """HTML as tokens; with BLOCK, its headings become heading tokens like Markdown's."""
    reader = _Reader()
    try:
        reader.feed(html)
        reader.close()
    except AssertionError:  # `<![x` that is no CDATA section: Python's parser gives up
        reader = _Reader()
        reader.feed(html.replace("<![", "&lt;!["))
        reader.close()
    tokens = _literals(reader.out)
    for token in tokens:
        token.block = block
        if line:
            if block:
                token.map = [line, line]
            token.meta["line"] = line + token.meta.get("at", 1) - 1
    return _headings(tokens) if block else tokens


LITERAL = "newsgen-literal"
"""The element `place` wraps a tag shown as written in, so it reads back as such."""


def _literals(tokens: list[Token]) -> list[Token]:
    if not any(t.type == "html_tag" and t.tag == LITERAL for t in tokens):
        return tokens
    out: list[Token] = []
    inside: Token | None = None
    for token in tokens:
        if token.type == "html_tag" and token.tag == LITERAL:
            inside = Token("template_literal", "", 0) if token.nesting == 1 else None
            if inside is not None:
                out.append(inside)
        elif inside is not None and token.type == "text":
            inside.content += token.content
        else:
            out.append(token)
    return out


def _headings(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "html_tag" and token.nesting == 1 and token.tag in HEADINGS:
            end = i + 1
            while end < len(tokens) and not (
                tokens[end].type == "html_tag" and tokens[end].tag in HEADINGS
            ):
                end += 1
            if end < len(tokens) and tokens[end].tag == token.tag and tokens[end].nesting == -1:
                opened = Token("heading_open", token.tag, 1, attrs=dict(token.attrs))
                opened.block, opened.map, opened.markup = True, token.map, "html"
                inline = Token("inline", "", 0, children=tokens[i + 1 : end])
                inline.block, inline.map = True, token.map
                closed = Token("heading_close", token.tag, -1)
                closed.block, closed.markup = True, "html"
                out += [opened, inline, closed]
                i = end + 1
                continue
        out.append(token)
        i += 1
    return out


def tag_html(token: Token) -> str:
    """An html_tag token written out again, its attribute values escaped."""
    if token.nesting == -1:
        return f"</{token.tag}>"
    attrs = "".join(
        f' {name}="{htmllib.escape(str(value))}"' if value != "" else f" {name}"
        for name, value in token.attrs.items()
    )
    return f"<{token.tag}{attrs}>"


# -- template tags in HTML ----------------------------------------------------------------

_CODE = re.compile(
    r"<(pre|code|kbd|samp|script|style|textarea)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I
)
_HTML_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_HIGHLIGHT = frozenset({"highlight"})


def expand_html(
    html: str,
    ctx: TagContext,
    first_line: int,
    problems: list[Problem],
    render: Callable[[Call, int, str | None, str | None], Outcome] | None = None,
) -> str:
    """HTML with other generators' template tags rendered (outside code; `raw` and Hugo's
    `{{</* x */>}}` inside code too, as their generators do), each problem at its line."""
    if "{{" not in html and "{%" not in html:
        return html
    calls = scan(html)
    if not calls:
        return html
    call_with = render or (
        lambda call, line, inner, body: render_call(call, ctx, line, inner=inner, body=body)
    )
    masked = list(html)
    for call in calls:
        masked[call.start : call.end] = "\x00" * (call.end - call.start)
    plain = "".join(masked)
    code = [m.span() for m in _CODE.finditer(plain)]
    tags = [m.span() for m in _HTML_TAG.finditer(plain)]

    def inside(spans: list[tuple[int, int]], pos: int) -> bool:
        return any(a <= pos < b for a, b in spans)

    out: list[str] = []
    last = 0
    index = 0
    while index < len(calls):
        call = calls[index]
        index += 1
        if call.start < last:
            continue
        out.append(html[last : call.start])
        last = call.end
        line = first_line + html.count("\n", 0, call.start)
        in_code = inside(code, call.start)
        key = call.key
        paired = call.kind == "call" and not call.closing
        if paired and key in ("raw", "comment") and call.syntax in ("liquid", "hugo", "hugo%"):
            closer = find_closer(html, call)
            if closer is not None:
                out.append(html[call.end : closer.start] if key == "raw" else "")
                last = closer.end
                continue
        if call.kind == "escaped":
            out.append(str(escape(call.shown)))
            continue
        if in_code:
            out.append(call.text)
            continue
        if paired and key in _HIGHLIGHT:
            closer = find_closer(html, call)
            if closer is not None:
                language = str(call.positional[0]) if call.positional else ""
                out.append(code_block(language, html[call.end : closer.start].strip("\n")))
                last = closer.end
                continue
        inner: str | None = None
        body: str | None = None
        if paired and not call.self_closing and _is_template(call, ctx):
            closer = find_closer(html, call)
            if closer is not None:
                inner = html[call.end : closer.start]
                inner_line = first_line + html.count("\n", 0, call.end)
                body = expand_html(inner, ctx, inner_line, problems, render)
                last = closer.end
        outcome = call_with(call, line, inner, body)
        if outcome.kind == "ref":
            ctx.made_refs.add(outcome.value)
        out.append(place(outcome, call, line, inside(tags, call.start), problems))
    out.append(html[last:])
    return bare_refs("".join(out), ctx)


def _is_template(call: Call, ctx: TagContext) -> bool:
    return (call.key in ctx.library.shortcodes and call.syntax != "liquid") or (
        call.syntax == "liquid" and call.key in ctx.library.shortcodes
    )


def place(outcome: Outcome, call: Call, line: int, in_tag: bool, problems: list[Problem]) -> str:
    """OUTCOME as HTML where CALL stood: inside an HTML tag's attributes, or in text."""
    kind = outcome.kind
    if kind == "text":
        return htmllib.escape(outcome.value)
    if kind == "ref":
        # Until it is resolved, a reference shows the name it was given, never its URL.
        target = str(call.named.get("path") or (call.positional[0] if call.positional else ""))
        return outcome.value if in_tag else f'<a href="{outcome.value}">{escape(target)}</a>'
    if kind == "nothing":
        return ""
    if kind == "html" and not in_tag:
        return outcome.value
    if kind == "code" and not in_tag:
        return code_block(outcome.language, outcome.value)
    if kind == "error":
        problems.append((line, outcome.message, "error"))
    elif kind == "literal":
        problems.append((line, outcome.message, "warning"))
    else:
        message = f"{call.text} writes HTML, which cannot go inside an HTML tag; shown as written"
        problems.append((line, message, "warning"))
    # Escaped in an attribute too: its quotes must not end the value it stands in.
    return htmllib.escape(call.text) if in_tag else f"<{LITERAL}>{escape(call.text)}</{LITERAL}>"


def code_block(language: str, code: str) -> str:
    cls = Markup(' class="language-{}"').format(language.split()[0]) if language.strip() else ""
    return str(Markup("<pre><code{}>{}</code></pre>").format(cls, code))
