"""The stages every body's tokens go through, Markdown and HTML alike.

Markdown reaches here as markdown-it's tokens; an HTML body and raw HTML as the same kind
of tokens (`htmlparts`). Each stage reads and edits tokens, never rendered HTML:

    raw_html → attribute_lists → task_lists → headings → typography → root_paths → guard

and `excerpt` reads the summary off the result. The sanitizer runs on the rendered HTML
afterwards (`bodies.finish`); `guard` only names, before it, what it will remove.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote

from markdown_it.token import Token

from newsgen.bodies.anchors import heading_ids, linked_ids, slug_github
from newsgen.bodies.htmlparts import HEADINGS, expand_html, read_html
from newsgen.bodies.job import UNCARRIED, Job
from newsgen.bodies.sanitize import (
    ATTRIBUTES,
    CLEAN_CONTENT,
    REF_SCHEME,
    TAGS,
    URL_ATTRIBUTES,
    srcset_candidates,
    srcset_urls,
)
from newsgen.bodies.typography import SKIP, Typographer
from newsgen.bodies.weburl import host_of, is_web_link, path_matcher, read_url, under_base

TEXT_TYPES = frozenset({"text", "template_text"})
"""Tokens whose content readers see as text (a tag's value included)."""


def walk(tokens: list[Token]) -> list[Token]:
    """Every token, block tokens and the inline tokens inside them, in reading order (a list:
    each stage walks every token, and a list is several times quicker to make than a
    generator is to run)."""
    out: list[Token] = []
    append, extend = out.append, out.extend
    for token in tokens:
        append(token)
        if token.children:
            extend(token.children)
    return out


# -- raw HTML -------------------------------------------------------------------------------


_MARKDOWN_INSIDE = re.compile(
    r"""^(\s*<(div|section|article|aside|header|footer|span|p|li|td|th|dd|dt|blockquote"""
    r"""|figure|figcaption|details|summary|main|nav)\b[^>]*?)\s+markdown\s*=\s*(?:"(?:1|block|span)"|'(?:1|block|span)'"""
    r"""|1\b|block\b|span\b)([^>]*>)(.*)(</\2\s*>)\s*$""",
    re.S,
)


def raw_html(tokens: list[Token], job: Job) -> list[Token]:
    """Raw HTML read into tokens (with other generators' tags in it rendered first)."""
    escape = job.options.raw_html == "escape"
    out: list[Token] = []
    for token in tokens:
        if token.type == "html_block" and not (escape and not token.meta.get("template")):
            line = job.first_line + (token.map[0] if token.map else 0)
            source = token.content
            markdown = _MARKDOWN_INSIDE.match(source)
            if markdown and not token.meta.get("template"):
                # kramdown's `<div markdown="1">`: what the element holds is Markdown.
                opening, inner, closing = (
                    markdown.group(1) + markdown.group(3),
                    *markdown.group(4, 5),
                )
                opening = expand_html(opening, job.ctx, line, job.problems)
                out += read_html(opening, block=True, line=line)
                inner_line = line + opening.count("\n")
                out += read_html(job.ctx.markdownify(inner), block=True, line=inner_line)
                out += read_html(closing, block=True, line=line + source.count("\n"))
                continue
            if not token.meta.get("template"):
                source = expand_html(source, job.ctx, line, job.problems)
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
                    source = expand_html(source, job.ctx, line, job.problems)
                children += read_html(source, block=False, line=line)
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
    (an attribute list may not add handlers or styles to a page). kramdown's `{:toc}`
    marks the list it follows as the place of the table of contents."""
    classes = []
    for match in _ATTR.finditer(spec):
        if match.group(4) == "toc":
            opener.meta["toc"] = True
        elif match.group(1) == "#":
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


_SPAN_IAL = re.compile(
    rf"""\{{(?::[ \t]*((?:{_ITEM})?(?:[ \t]+{_ITEM})*)|[ \t]*((?:[#.][^\s{{}}]+|[\w-]+=\S+)"""
    rf"""(?:[ \t]+{_ITEM})*))[ \t]*\}}"""
)
_SIZE = re.compile(r"(width|height)=[\"']?(\d+%?)[\"']?")


def _span_attributes(children: list[Token]) -> None:
    """kramdown's `[a](x){:target="_blank"}` and `![p](x.png){: width="300" .right}` (also
    `{.class}`): ids, classes and a picture's size taken, the rest dropped with the braces."""
    for index, child in enumerate(children[1:], 1):
        before = children[index - 1]
        if child.type != "text" or before.type not in ("link_close", "image"):
            continue
        match = _SPAN_IAL.match(child.content)
        if match is None:
            continue
        spec = match.group(1) if match.group(1) is not None else match.group(2)
        target = before
        if before.type == "link_close":
            depth = 0
            for opener in reversed(children[:index]):
                depth += opener.nesting
                if depth == 0 and opener.type == "link_open":
                    target = opener
                    break
        _apply(target, spec)
        if before.type == "image":
            for name, value in _SIZE.findall(spec):
                before.attrs[name] = value
        child.content = child.content[match.end() :]


def attribute_lists(tokens: list[Token], job: Job) -> list[Token]:
    """Pandoc/Hugo `## Title {#id .class}` and kramdown `{: #id}` (on the heading's line or
    on the line after a block) become the block's id and classes; after a link or picture,
    its own."""
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
        if (
            token.type == "inline"
            and token.children
            and ("){" in token.content or "]{" in token.content)
        ):
            _span_attributes(token.children)
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
    fragments: Counter[str] = Counter()
    for token in walk(tokens):
        ident = token.attrs.get("id") if token.attrs else None
        if ident and token.type != "heading_open":
            others.add(str(ident))
        href = token.attrs.get("href") if token.attrs else None
        if isinstance(href, str) and href.startswith("#") and len(href) > 1:
            fragments[unquote(href[1:])] += 1
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
    for taken in others:
        fragments.pop(taken, None)
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


# -- table of contents ----------------------------------------------------------------------


def _toc_marker(tokens: list[Token], index: int) -> int:
    """How many tokens from INDEX on are a table-of-contents marker (0: none): Python-
    Markdown's `[TOC]` paragraph, kramdown's `* TOC` list marked `{:toc}`, Hugo's `toc`."""
    token = tokens[index]
    if token.type == "toc":
        return 1
    if token.type == "paragraph_open" and index + 2 < len(tokens):
        inline = tokens[index + 1]
        if inline.content.strip() == "[TOC]" and tokens[index + 2].type == "paragraph_close":
            return 3
    if token.type in ("bullet_list_open", "ordered_list_open") and index + 7 < len(tokens):
        kinds = [t.type for t in tokens[index : index + 7]]
        item = ["list_item_open", "paragraph_open", "inline", "paragraph_close", "list_item_close"]
        words = "".join(c.content for c in tokens[index + 3].children or ()).strip()
        if kinds[1:6] == item and words == "TOC":
            marked = token.meta.get("toc") or tokens[index + 2].meta.get("toc")
            if marked and tokens[index + 6].type == token.type.replace("open", "close"):
                return 7
    return 0


def _toc_tokens(tokens: list[Token]) -> list[Token]:
    """The headings as nested lists of links (kramdown's `.no_toc` ones left out)."""
    entries = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and "no_toc" not in str(token.attrs.get("class", "")):
            text = "".join(t for t, _ in _pieces(tokens[index + 1])).strip()
            entries.append((int(token.tag[1]), str(token.attrs.get("id", "")), text))
    if not entries:
        return []
    out = [Token("bullet_list_open", "ul", 1, attrs={"class": "toc"}, block=True)]
    levels = [entries[0][0]]
    for position, (level, ident, text) in enumerate(entries):
        if position:
            if level > levels[-1]:
                out.append(Token("bullet_list_open", "ul", 1, block=True))
                levels.append(level)
            else:
                out.append(Token("list_item_close", "li", -1, block=True))
                while len(levels) > 1 and level < levels[-1]:
                    levels.pop()
                    out.append(Token("bullet_list_close", "ul", -1, block=True))
                    out.append(Token("list_item_close", "li", -1, block=True))
        out.append(Token("list_item_open", "li", 1, block=True))
        link = Token("inline", "", 0, block=True, content=text)
        link.children = [
            Token("link_open", "a", 1, attrs={"href": "#" + ident}),
            Token("text", "", 0, content=text),
            Token("link_close", "a", -1),
        ]
        out.append(link)
    out.append(Token("list_item_close", "li", -1, block=True))
    for _ in levels[1:]:
        out.append(Token("bullet_list_close", "ul", -1, block=True))
        out.append(Token("list_item_close", "li", -1, block=True))
    out.append(Token("bullet_list_close", "ul", -1, block=True))
    return out


_TOC_OPENERS = frozenset({"toc", "paragraph_open", "bullet_list_open", "ordered_list_open"})
"""The tokens a table of contents marker starts with (`_toc_marker`)."""


def table_of_contents(tokens: list[Token], job: Job) -> list[Token]:
    """The first marker replaced by the list of the body's headings, linked by their ids;
    any other marker left out, with a word (a page needs one list, and a body of many
    markers would be as long as their count times its headings)."""
    out: list[Token] = []
    index = 0
    contents: list[Token] | None = None
    extra = False
    while index < len(tokens):
        size = _toc_marker(tokens, index) if tokens[index].type in _TOC_OPENERS else 0
        if size and contents is not None:
            if not extra:
                line = job.first_line + (tokens[index].map or [0])[0]
                job.warn(line, "a second table of contents marker is left out (one per page)")
            extra = True
            index += size
            continue
        if size:
            contents = _toc_tokens(tokens)
            out += [
                Token(
                    t.type,
                    t.tag,
                    t.nesting,
                    attrs=dict(t.attrs),
                    block=t.block,
                    content=t.content,
                    children=t.children,
                )
                for t in contents
            ]
            index += size
            continue
        out.append(tokens[index])
        index += 1
    return out


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


# -- root paths -----------------------------------------------------------------------------

_ROOTED = URL_ATTRIBUTES  # href, src, poster, and a quotation's cite


def root_paths(tokens: list[Token], job: Job) -> None:
    """Links and pictures written from the host's root (`/2024/…`, `/assets/x.png`, as
    Jekyll and Hugo archives write them) put under base_url's path (`/paper/2024/…`), in
    Markdown and in raw HTML alike: a body is made before the site is known, so every such
    URL is, and `newsgen check` names those whose target the build does not have. One
    already under the path, or under check.external_paths, stays as written."""
    base = job.options.base_path
    if base == "/":
        return
    outside = path_matcher(job.options.external_paths)
    for token in walk(tokens):
        if not token.attrs or token.type not in ("link_open", "image", "html_tag"):
            continue
        for name, value in list(token.attrs.items()):
            lowered = str(name).lower()
            if lowered in _ROOTED:
                token.attrs[name] = under_base(str(value), base, outside)
            elif lowered == "srcset" and "/" in str(value):
                token.attrs[name] = ", ".join(
                    f"{under_base(url, base, outside)} {descriptors}".strip()
                    for url, descriptors in srcset_candidates(str(value))
                )


# -- guard ----------------------------------------------------------------------------------

_NAMED = {
    "svg": "an <svg> drawing (not allowed in bodies; put it in static/ and link it)",
    "math": "<math> formulas (not allowed in bodies; put it in static/ and link it)",
}
_TEXTUAL = frozenset({"code_inline", "fence", "code_block", "template_literal", "html_raw"})
_FORMS = frozenset({"form", "input", "button", "textarea", "select", "link"})
_SCRIPT_TAGS = frozenset({"script", "style", "object", "embed", "applet", "base", "meta"})
_URL_ATTRS = frozenset({"href", "src", "poster", "cite", "action", "formaction", "data"})


_HIDDEN = CLEAN_CONTENT | {"iframe", "noframes"}
"""Elements whose content no reader sees: a frame's fallback, a script's text."""
_RAW_TEXT = frozenset({"xmp", "plaintext", "title", "textarea", "listing"})
"""Elements an HTML parser reads as text to their end (or the document's): their tags go
before the sanitizer sees them, so what they hold is read as the markup it is."""


def _hide(tokens: list[Token], removed: dict[str, int]) -> list[Token]:
    """What HIDDEN elements hold, dropped; an element left open in its paragraph is closed
    there (its text stays visible: a writer's slip, not a frame); RAW_TEXT tags dropped."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.children:
            token.children = _hide(token.children, removed)
        if token.type == "html_tag" and token.tag in _RAW_TEXT:
            removed.setdefault(f"<{token.tag}>", token.meta.get("line", 0))
            index += 1
            continue
        if token.type != "html_tag" or token.tag not in _HIDDEN or token.nesting != 1:
            out.append(token)
            index += 1
            continue
        depth, close = 0, None
        for at in range(index, len(tokens)):
            other = tokens[at]
            if other.type == "html_tag" and other.tag == token.tag:
                depth += other.nesting
                if depth == 0:
                    close = at
                    break
        out.append(token)
        if close is None:
            out.append(Token("html_tag", token.tag, -1, block=token.block))
            index += 1
        else:
            out.append(tokens[close])
            index = close + 1
    return out


_REF_IN_TEXT = re.compile(re.escape(REF_SCHEME) + r"\d+:([^\s#\"'<>]*)(?:#\S*)?", re.I)
_TYPED = f"a link written as {REF_SCHEME}… is newsgen's own kind; it links nowhere"


def guard(tokens: list[Token], job: Job) -> list[Token]:
    """What the sanitizer would remove, named for the writer at its line; characters feeds
    cannot carry dropped before it (so none can hide a scheme from it); frames from allowed
    hosts asked for over https; frames and pictures with nothing left to show removed
    whole. With `markdown.html: keep` (nothing is removed) only the characters go."""
    hosts = job.options.iframe_hosts
    keep = job.options.raw_html == "keep"
    removed: dict[str, int] = {}
    dropped: dict[str, int] = {}
    line = job.first_line

    def clean(value: str) -> str:
        if UNCARRIED.search(value):
            for char in UNCARRIED.findall(value):
                dropped.setdefault(char, line)
            value = UNCARRIED.sub("", value)
        return value

    def remove(what: str) -> None:
        removed.setdefault(what, line)

    if not keep:
        tokens = _hide(tokens, removed)
    drop_close: dict[str, int] = {}
    dropping = False

    def drop(token: Token) -> None:
        nonlocal dropping
        dropping = True
        token.meta["drop"] = True
        if token.nesting == 1:
            drop_close[token.tag] = drop_close.get(token.tag, 0) + 1

    for token in walk(tokens):
        if token.meta.get("line"):
            line = token.meta["line"]
        elif token.block and token.map:
            line = job.first_line + token.map[0]
        if token.info:
            token.info = clean(token.info)
        if token.attrs:
            token.attrs = {clean(str(k)): clean(str(v)) for k, v in token.attrs.items()}
        if token.type in TEXT_TYPES or token.type in _TEXTUAL:
            token.content = clean(token.content)
            continue
        if keep:
            continue
        if token.type == "image":
            src = str(token.attrs.get("src", ""))
            if not is_web_link(src) and not (token.meta.get("ref") and src.startswith(REF_SCHEME)):
                remove(_bad_link(src))
            continue
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            ours = token.meta.get("ref") and href.startswith(REF_SCHEME)
            if not is_web_link(href) and not ours:
                remove(_bad_link(href))
                del token.attrs["href"]
            continue
        if token.type != "html_tag":
            continue
        tag = token.tag
        if token.nesting == -1:
            if drop_close.get(tag):
                drop_close[tag] -= 1
                token.meta["drop"] = True
                dropping = True
            continue
        if tag == "noscript":  # the fallback is what a page without scripts shows: keep it
            drop(token)
            continue
        if tag not in TAGS:
            if tag in _NAMED:
                remove(_NAMED[tag])
            elif tag == "script" and (host := host_of(str(token.attrs.get("src", "")))):
                # An embed (slides, a video, a recording) drawn by a script: say whose, so
                # the editor knows what no longer shows where it stood.
                remove(f"{host}'s <script> (what it drew, slides or a video, no longer shows)")
            elif tag in _SCRIPT_TAGS or tag in CLEAN_CONTENT or tag in _FORMS:
                remove(f"<{tag}>")
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name in list(token.attrs):
            value = str(token.attrs[name])
            lowered = name.lower()
            if REF_SCHEME in value.lower():
                if lowered in _URL_ATTRS and value in job.ctx.made_refs:
                    continue  # a reference a tag made: resolved once every URL is known
                if lowered in _URL_ATTRS:
                    job.warn(line, _TYPED)
                    token.attrs[name] = "#"
                    continue
                # A reference in words (a title, an alt text) reads as the name it was given.
                token.attrs[name] = _REF_IN_TEXT.sub(lambda m: unquote(m.group(1)), value)
            if lowered.startswith("on"):
                remove("event handler attributes (on…=)")
            elif lowered == "style":
                remove("style attributes")
            elif lowered == "srcset":
                for url in srcset_urls(value):
                    if not is_web_link(url):
                        remove(_bad_link(url))
            elif (
                lowered in _URL_ATTRS
                and lowered in allowed
                and tag != "iframe"
                and not is_web_link(value)
            ):
                remove(_bad_link(value))
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
                    remove(f"an <iframe> from {shown} (not in markdown.iframe_hosts)")
                drop(token)
        elif tag == "img" and not (token.attrs.get("src") and is_web_link(str(token.attrs["src"]))):
            drop(token)  # nothing to show (a lazy-loading placeholder, a refused source)
    for what, at in removed.items():
        job.warn(at, f"removed {what} from the body (markdown.html: sanitize in newsgen.yaml)")
    if dropped:
        codes = ", ".join(f"U+{ord(c):04X}" for c in dropped)
        job.warn(
            min(dropped.values()), f"dropped {codes} from the body: characters feeds cannot carry"
        )
    if dropping:
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


def _local_image(src: str) -> bool:
    """An image of the site itself (not another host's, not inline data)."""
    src = src.strip()
    return bool(src) and not src.startswith(("//", "data:", "#")) and ":" not in src.split("/")[0]


def images(tokens: list[Token], job: Job) -> None:
    """Each image of the site: recorded (the body depends on it), and given its width,
    height and smaller versions (srcset, sizes) when the build processed it; in a
    <picture> with its WebP versions when there are any. One the writer gave a srcset of
    their own keeps it, and is given only its width and height."""
    for token in tokens:
        children = token.children
        if children and any(_is_img(child) for child in children):
            token.children = _pictures(children, job)
    if any(_is_img(token) for token in tokens):
        tokens[:] = _pictures(tokens, job)


def _is_img(token: Token) -> bool:
    return token.type == "image" or (
        token.type == "html_tag" and token.tag == "img" and token.nesting != -1
    )


def _drawn_size(token: Token, width: int, height: int) -> tuple[str, str]:
    """The size a picture is drawn at: the writer's width or height when they gave one (a
    figure shortcode's width="300"), the other from the picture's own proportions; else
    the picture's own size. A size that is not a number of pixels is left as written."""
    given = [str(token.attrs.get(name, "")).strip() for name in ("width", "height")]
    if not any(given):
        return str(width), str(height)
    if not all(value.isdigit() or not value for value in given) or all(given):
        return given[0], given[1]
    if given[0]:
        return given[0], str(max(1, round(int(given[0]) * height / width)))
    return str(max(1, round(int(given[1]) * width / height))), given[1]


def _pictures(tokens: list[Token], job: Job) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        if not _is_img(token):
            out.append(token)
            continue
        src = str(token.attrs.get("src", "")).strip()
        if not _local_image(src):
            out.append(token)
            continue
        job.seen_images.append(src)
        found = job.images.get(src)
        if found is None:
            out.append(token)
            continue
        token.attrs["width"], token.attrs["height"] = _drawn_size(token, found.width, found.height)
        token.attrs.setdefault("loading", "lazy")
        token.attrs.setdefault("decoding", "async")
        if str(token.attrs.get("srcset", "")).strip():
            # The writer's own versions (a 2x file of their own): theirs, not replaced.
            out.append(token)
            continue
        if not found.srcset:
            # An animation, published as it is: its size, and no versions to list.
            out.append(token)
            continue
        token.attrs["srcset"], token.attrs["sizes"] = found.srcset, found.sizes
        if not found.webp_srcset:
            out.append(token)
            continue
        source: dict[str, str | int | float] = {"type": "image/webp"}
        source |= {"srcset": found.webp_srcset, "sizes": found.sizes}
        out.append(Token("html_tag", "picture", 1))
        out.append(Token("html_tag", "source", 0, attrs=source))
        out.append(token)
        out.append(Token("html_tag", "picture", -1))
    return out
