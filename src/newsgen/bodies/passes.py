"""The stages every body's tokens go through, Markdown and HTML alike.

Markdown reaches here as markdown-it's tokens; an HTML body and raw HTML as the same kind
of tokens (`htmlparts`). Each stage reads and edits tokens, never rendered HTML:

    raw_html → attribute_lists → task_lists → headings → typography → guard

and `excerpt` reads the summary off the result. The sanitizer runs on the rendered HTML
afterwards (`bodies.finish`); `guard` only names, before it, what it will remove.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

from markdown_it.token import Token

from newsgen.bodies.anchors import heading_ids, linked_ids, slug_github
from newsgen.bodies.htmlparts import HEADINGS, expand_html, read_html
from newsgen.bodies.job import UNCARRIED, Job
from newsgen.bodies.sanitize import ATTRIBUTES, CLEAN_CONTENT, REF_SCHEME, TAGS, srcset_urls
from newsgen.bodies.typography import SKIP, Typographer
from newsgen.bodies.weburl import host_of, is_web_link, read_url

TEXT_TYPES = frozenset({"text", "template_text"})
"""Tokens whose content readers see as text (a tag's value included)."""


def walk(tokens: list[Token]) -> Iterator[Token]:
    """Every token, block tokens and the inline tokens inside them, in reading order."""
    for token in tokens:
        yield token
        if token.children:
            yield from token.children


# -- raw HTML -------------------------------------------------------------------------------


_REF = re.escape(REF_SCHEME)
_TYPED_REF = re.compile(rf"""=\s*(?:"\s*{_REF}[^"]*"|'\s*{_REF}[^']*'|{_REF}[^\s>]*)""", re.I)


def own_refs(source: str, job: Job, line: int) -> str:
    """HTML as written, where a `newsgen-ref:` URL cannot be one: only newsgen writes those
    (from the tags that name an article), and any other would be resolved as if it had."""
    if REF_SCHEME not in source.lower():
        return source
    job.warn(line, f"a link written as {REF_SCHEME}… is newsgen's own kind; it links nowhere")
    return _TYPED_REF.sub('="#"', source)


def raw_html(tokens: list[Token], job: Job) -> list[Token]:
    """Raw HTML read into tokens (with other generators' tags in it rendered first)."""
    escape = job.options.raw_html == "escape"
    out: list[Token] = []
    for token in tokens:
        if token.type == "html_block" and not (escape and not token.meta.get("template")):
            line = job.first_line + (token.map[0] if token.map else 0)
            source = token.content
            if not token.meta.get("template"):
                source = expand_html(own_refs(source, job, line), job.ctx, line, job.problems)
            out += read_html(source, block=True, line=line)
            continue
        if token.children and any(c.type == "html_inline" for c in token.children):
            line = job.first_line + (token.map[0] if token.map else 0)
            children: list[Token] = []
            for child in token.children:
                if child.type != "html_inline" or (escape and not child.meta.get("template")):
                    children.append(child)
                    continue
                source = child.content
                if not child.meta.get("template"):
                    source = expand_html(own_refs(source, job, line), job.ctx, line, job.problems)
                children += read_html(source, block=False)
            token.children = children
        out.append(token)
    return out


# -- attribute lists ------------------------------------------------------------------------

_ITEM = r"""(?:[#.][^\s{}]+|[\w-]+(?:=(?:"[^"]*"|'[^']*'|[^\s{}]+))?)"""
_TRAILING = re.compile(rf"[ \t]*\{{:?[ \t]*({_ITEM}(?:[ \t]+{_ITEM})*)[ \t]*\}}[ \t]*$")
_IAL_LINE = re.compile(r"\{:[ \t]*([^{}\n]*)\}")
_ATTR = re.compile(r"([#.])([\w:-]+)|([\w-]+)=(?:\"[^\"]*\"|'[^']*'|\S+)|(\S+)")


def _apply(opener: Token, spec: str) -> None:
    """An attribute list's id and classes onto OPENER; anything else in it is dropped
    (an attribute list may not add handlers or styles to a page)."""
    classes = []
    for match in _ATTR.finditer(spec):
        if match.group(1) == "#":
            opener.attrs["id"] = match.group(2)
        elif match.group(1) == ".":
            classes.append(match.group(2))
    if classes:
        old = str(opener.attrs.get("class", ""))
        opener.attrs["class"] = " ".join(filter(None, [old, *classes]))


def _opener_of(tokens: list[Token], close: int) -> Token | None:
    """The token that opened the block closed at index CLOSE."""
    if tokens[close].nesting != -1:
        return tokens[close] if tokens[close].nesting == 0 and tokens[close].block else None
    depth = 0
    for index in range(close, -1, -1):
        depth += tokens[index].nesting
        if depth == 0:
            return tokens[index]
    return None


def attribute_lists(tokens: list[Token], job: Job) -> list[Token]:
    """Pandoc/Hugo `## Title {#id .class}` and kramdown `{: #id}` (on the heading's line or
    on the line after a block) become the block's id and classes."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and tokens[index + 1].children is not None
            and _IAL_LINE.fullmatch(tokens[index + 1].content.strip())
            and out
        ):
            spec = _IAL_LINE.fullmatch(tokens[index + 1].content.strip())
            opener = _opener_of(out, len(out) - 1)
            if opener is not None and spec is not None:
                _apply(opener, spec.group(1))
                index += 3  # the paragraph holds nothing else
                continue
        if token.type == "inline" and token.children and index and "}" in token.content:
            opener = tokens[index - 1]
            last = token.children[-1]
            heading = opener.type == "heading_open"
            if last.type == "text" and (heading or opener.type == "paragraph_open"):
                pattern = _TRAILING if heading else re.compile(r"\{:[ \t]*([^{}\n]*)\}[ \t]*$")
                match = pattern.search(last.content)
                if match and heading and not re.search(r"(?:^|\s)[#.]|=", match.group(1)):
                    match = None  # `## Use {braces}`: words, not attributes
                before = token.children[-2] if len(token.children) > 1 else None
                own_line = match is not None and (
                    heading
                    or (match.start() == 0 and before is not None and before.type == "softbreak")
                )
                if match is not None and own_line:
                    _apply(opener, match.group(1))
                    last.content = last.content[: match.start()].rstrip()
                    if not last.content:
                        token.children.pop()
                        if not heading and token.children[-1].type == "softbreak":
                            token.children.pop()
        out.append(token)
        index += 1
    return out


# -- headings -------------------------------------------------------------------------------


_TASK = re.compile(r"\[([ xX])\][ \t]+")


def task_lists(tokens: list[Token]) -> None:
    """GitHub's `- [ ] item` and `- [x] item` (Hugo and kramdown read them too) as a box
    drawn in text: a checkbox input would be a form control in an article."""
    for i, token in enumerate(tokens[:-2]):
        if token.type != "list_item_open" or tokens[i + 1].type != "paragraph_open":
            continue
        children = tokens[i + 2].children or []
        if not children or children[0].type != "text":
            continue
        match = _TASK.match(children[0].content)
        if match:
            done = match.group(1) != " "
            children[0].content = ("\u2611 " if done else "\u2610 ") + children[0].content[
                match.end() :
            ]
            token.attrs["class"] = "task done" if done else "task"


def heading_levels(levels: list[int]) -> dict[int, int]:
    """Map the levels a body uses onto h2, h3, … in order: none skipped after the <h1> title."""
    return {level: min(2 + rank, 6) for rank, level in enumerate(sorted(set(levels)))}


def _pieces(inline: Token) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    for child in inline.children or ():
        if child.type in TEXT_TYPES:
            pieces.append((child.content, False))
        elif child.type == "code_inline":
            pieces.append((child.content, True))
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append((" ", False))
    return pieces


def headings(tokens: list[Token], job: Job) -> None:
    """Headings start at <h2> with none skipped, each with an id: one written by hand, the
    one the body's own `#links` use, or the one `markdown.anchors`'s generator makes."""
    found = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
    if not found:
        return
    mapping = heading_levels([int(tokens[i].tag[1]) for i in found])
    written = {str(tokens[i].attrs["id"]) for i in found if tokens[i].attrs.get("id")}
    others: set[str] = set()
    fragments: set[str] = set()
    for token in walk(tokens):
        ident = token.attrs.get("id") if token.attrs else None
        if ident and token.type != "heading_open":
            others.add(str(ident))
        href = token.attrs.get("href") if token.attrs else None
        if isinstance(href, str) and href.startswith("#") and len(href) > 1:
            fragments.add(unquote(href[1:]))
    if any(t.type.startswith("footnote") for t in tokens):
        count = sum(1 for t in tokens if t.type == "footnote_open")
        others |= {f"fn{n}" for n in range(1, count + 1)}
        for token in walk(tokens):
            if token.type == "footnote_ref":
                meta = token.meta
                suffix = f":{meta['subId']}" if meta.get("subId") else ""
                others.add(f"fnref{meta['id'] + 1}{suffix}")
    pieces = [_pieces(tokens[i + 1]) for i in found]
    texts = ["".join(text for text, _ in p).strip() for p in pieces]
    auto_pieces = [pieces[p] for p, i in enumerate(found) if not tokens[i].attrs.get("id")]
    made = heading_ids(job.options.anchors, auto_pieces, written | others)
    ids: dict[int, str] = {}
    made_iter = iter(made)
    for position, index in enumerate(found):
        given = tokens[index].attrs.get("id")
        ident = str(given) if given else next(made_iter)
        if not ident:
            ident = slug_github(texts[position]) or "section"
        ids[position] = ident
    fragments -= others
    for position, new_id in linked_ids(
        [(ids[p], texts[p]) for p in range(len(found))], fragments
    ).items():
        if not tokens[found[position]].attrs.get("id"):
            ids[position] = new_id
    for position, index in enumerate(found):
        opener = tokens[index]
        level = f"h{mapping[int(opener.tag[1])]}"
        opener.tag = level
        opener.attrs = {"id": ids[position], **{k: v for k, v in opener.attrs.items() if k != "id"}}
        depth = 0
        for close in range(index + 1, len(tokens)):
            if tokens[close].type == "heading_close" and depth == 0:
                tokens[close].tag = level
                break
            depth += tokens[close].nesting if tokens[close].type.startswith("heading") else 0


# -- typography -----------------------------------------------------------------------------

_BLOCKS = frozenset({"p", "li", "td", "th", "dt", "dd", "blockquote", "figcaption", "div", "h1"})


def typography(tokens: list[Token], job: Job) -> None:
    """Straight quotes, dashes and ellipses made typographic in text, never in code or in a
    tag shown as written; quote direction carries across inline markup."""
    typographer = Typographer(job.options.language)
    skipping = 0
    for token in walk(tokens):
        kind = token.type
        if token.block and kind != "text" and kind != "html_tag":
            typographer.block()
        if kind == "html_tag":
            if token.tag in SKIP and token.nesting:
                skipping = max(0, skipping + token.nesting)
            elif token.block and token.tag in _BLOCKS | HEADINGS:
                typographer.block()
        elif kind == "text":
            if skipping:
                typographer.skip(token.content)
            else:
                token.content = typographer.text(token.content)
        elif kind in ("code_inline", "template_text", "template_literal"):
            typographer.skip(token.content)
        elif kind in ("softbreak", "hardbreak"):
            typographer.skip(" ")


# -- guard ----------------------------------------------------------------------------------

_NAMED = {
    "svg": "an <svg> drawing (not allowed in bodies; put it in static/ and link it)",
    "math": "<math> formulas (not allowed in bodies; put it in static/ and link it)",
}
_TEXTUAL = frozenset({"code_inline", "fence", "code_block", "template_literal", "html_raw"})
_FORMS = frozenset({"form", "input", "button", "textarea", "select", "link"})
_SCRIPT_TAGS = frozenset({"script", "style", "object", "embed", "applet", "base", "meta"})
_URL_ATTRS = frozenset({"href", "src", "poster", "cite", "action", "formaction", "data"})


def guard(tokens: list[Token], job: Job) -> list[Token]:
    """What the sanitizer would remove, named for the writer; characters feeds cannot carry
    dropped before it (so none can hide a scheme from it); frames from allowed hosts asked
    for over https; frames and pictures with nothing left to show removed whole."""
    hosts = job.options.iframe_hosts
    removed: dict[str, None] = {}
    dropped: dict[str, None] = {}

    def clean(value: str) -> str:
        if UNCARRIED.search(value):
            dropped.update(dict.fromkeys(UNCARRIED.findall(value)))
            value = UNCARRIED.sub("", value)
        return value

    drop_close: dict[str, int] = {}

    def drop(token: Token) -> None:
        token.meta["drop"] = True
        if token.nesting == 1:
            drop_close[token.tag] = drop_close.get(token.tag, 0) + 1

    for token in walk(tokens):
        if token.info:
            token.info = clean(token.info)
        if token.attrs and token.type != "html_tag":
            token.attrs = {k: clean(str(v)) for k, v in token.attrs.items()}
        if token.type in TEXT_TYPES or token.type in _TEXTUAL:
            token.content = clean(token.content)
            continue
        if token.type == "image":
            src = clean(str(token.attrs.get("src", "")))
            token.attrs["src"] = src
            if not is_web_link(src) and not (token.meta.get("ref") and src.startswith(REF_SCHEME)):
                removed[_bad_link(src)] = None
            continue
        if token.type == "link_open":
            href = clean(str(token.attrs.get("href", "")))
            ours = token.meta.get("ref") and href.startswith(REF_SCHEME)
            if not is_web_link(href) and not ours:
                removed[_bad_link(href)] = None
                del token.attrs["href"]
            else:
                token.attrs["href"] = href
            continue
        if token.type != "html_tag":
            continue
        tag = token.tag
        if token.nesting == -1:
            if drop_close.get(tag):
                drop_close[tag] -= 1
                token.meta["drop"] = True
            continue
        if tag == "noscript":  # the fallback is what a page without scripts shows: keep it
            drop(token)
            continue
        if tag not in TAGS:
            if tag in _NAMED:
                removed[_NAMED[tag]] = None
            elif tag in _SCRIPT_TAGS or tag in CLEAN_CONTENT or tag in _FORMS:
                removed[f"<{tag}>"] = None
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name in list(token.attrs):
            value = clean(str(token.attrs[name]))
            token.attrs[name] = value
            lowered = name.lower()
            if lowered.startswith("on"):
                removed["event handler attributes (on…=)"] = None
            elif lowered == "style":
                removed["style attributes"] = None
            elif lowered == "srcset":
                for url in srcset_urls(value):
                    if not is_web_link(url):
                        removed[_bad_link(url)] = None
            elif (
                lowered in _URL_ATTRS
                and lowered in allowed
                and tag != "iframe"
                and not is_web_link(value)
            ):
                removed[_bad_link(value)] = None
        if tag == "pre":
            token.attrs["tabindex"] = "0"  # a scrolling box keyboards can reach, as for fences
        if tag == "iframe":
            src = str(token.attrs.get("src", ""))
            fixed = _frame(src, hosts)
            if fixed:
                token.attrs["src"] = fixed
            else:
                if src:
                    shown = host_of(src) or src[:60]
                    removed[f"an <iframe> from {shown} (not in markdown.iframe_hosts)"] = None
                drop(token)
        elif (tag == "img" and not is_web_link(str(token.attrs.get("src", "x")))) or (
            tag == "img" and not token.attrs.get("src")
        ):
            drop(token)  # nothing to show (a lazy-loading placeholder, a refused source)
    for what in removed:
        job.warn(0, f"removed {what} from the body (markdown.html: sanitize)")
    if dropped:
        codes = ", ".join(f"U+{ord(c):04X}" for c in dropped)
        job.warn(0, f"dropped {codes} from the body: characters feeds cannot carry")
    if any(t.meta.get("drop") for t in walk(tokens)):
        for token in tokens:
            if token.children:
                token.children = [c for c in token.children if not c.meta.get("drop")]
        tokens = [t for t in tokens if not t.meta.get("drop")]
    return tokens


def _bad_link(value: str) -> str:
    """How the guard names a link that may not stay."""
    url = read_url(value)
    if url is None:
        return "links browsers would read differently than they look"
    return f"{url.scheme}: links"


def _frame(src: str, hosts: frozenset[str]) -> str:
    """SRC if a frame may load it (over https, from an allowed host), upgraded from http."""
    url = read_url(src)
    if url is None or url.scheme not in ("http", "https") or url.host not in hosts:
        return ""
    if src.strip().startswith("//"):
        return "https:" + src.strip()
    if url.scheme == "http":
        return "https:" + src.strip()[5:]
    return src.strip()


# -- excerpt --------------------------------------------------------------------------------


def excerpt(tokens: list[Token]) -> str:
    """Readers' text of the summary: what comes before an excerpt break, else the first
    paragraph with text. Footnote markers, tags shown as written and markup left out."""
    breaks = any(t.type == "excerpt_break" for t in walk(tokens))
    parts: list[str] = []
    paragraph: list[str] = []
    depth = 0
    for token in walk(tokens):
        kind = token.type
        if kind == "excerpt_break":
            break
        opens_p = kind == "paragraph_open" or (
            kind == "html_tag" and token.tag == "p" and token.nesting == 1
        )
        closes_p = kind == "paragraph_close" or (
            kind == "html_tag" and token.tag == "p" and token.nesting == -1
        )
        if opens_p:
            depth += 1
            paragraph = []
        elif closes_p:
            depth = max(0, depth - 1)
            text = " ".join("".join(paragraph).split())
            if text and not breaks:
                return text
            parts.append(text)
            paragraph = []
        elif kind in TEXT_TYPES or kind == "code_inline":
            if kind == "template_text" and token.content.startswith("newsgen-ref:"):
                continue
            if token.block and not depth and not breaks:
                continue
            paragraph.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            paragraph.append(" ")
        elif kind == "footnote_block_open":
            break
    if breaks:
        parts.append("".join(paragraph))
        return " ".join(" ".join(parts).split())
    return ""
