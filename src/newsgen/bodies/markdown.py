"""Markdown → tokens → HTML with markdown-it-py, the one Markdown engine.

CommonMark with GitHub's tables and strikethrough, footnotes and definition lists
(mdit-py-plugins). What newsgen adds are markdown-it rules working on tokens:

- `template_block` and `template_inline` read other generators' template tags (Hugo,
  Zola, Liquid, Eleventy, Go templates) where Markdown text is, so code spans and fences,
  which those rules never see, keep them as written; a tag in a link's destination is
  read by the link rule itself (`_destination`);
- `excerpt_break` reads `<!--more-->` and `{{< more >}}`;
- the core rules after markdown-it's own run `passes` (raw HTML, attribute lists,
  headings, typography, guard), the same stages an HTML body goes through.

One parser per raw-HTML mode and process, built once (`parser`); rules nobody uses
(linkify, replacements, markdown-it's own smartquotes) are never switched on.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt, rules_block
from markdown_it import helpers as md_helpers
from markdown_it.common.normalize_url import normalizeLink, validateLink
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from newsgen.bodies import passes
from newsgen.bodies.htmlparts import code_block, expand_html, read_charref, read_html, tag_html
from newsgen.bodies.job import Job
from newsgen.bodies.shortcodes import (
    REF_SCHEME,
    STRUCTURAL,
    Outcome,
    bare_refs,
    ref_url,
    render_call,
)
from newsgen.bodies.syntax import Call, find_closer, read_tag, scan

TABLE_WRAP = '<div class="table-wrap" role="region" tabindex="0" aria-label="Table">'
"""Wide tables scroll sideways in a region reachable by keyboard (WCAG 2.1.1)."""
_MORE_COMMENT = re.compile(r"<!--\s*more\s*-->[ \t]*$", re.I)
_MAX_DEPTH = 4


def _job(env: EnvType) -> Job:
    job = env["newsgen"]
    assert isinstance(job, Job)
    return job


# -- block rules ----------------------------------------------------------------------------


def _line_of(state: StateBlock, pos: int, start: int, end: int) -> int:
    for line in range(start, end):
        if state.bMarks[line] <= pos <= state.eMarks[line]:
            return line
    return end - 1


def excerpt_break(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`<!--more-->` on a line of its own (or `{{< more >}}`, read by template_block)."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4 or not state.src.startswith("<!--", pos):
        return False
    if not _MORE_COMMENT.match(state.src, pos, state.eMarks[start]):
        return False
    if not silent:
        token = state.push("excerpt_break", "", 0)
        token.map = [start, start + 1]
    state.line = start + 1
    return True


_EXTENSION = re.compile(r"\{::(comment|nomarkdown|options)\b[^}]*?(/)?\}")


def kramdown_extension(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's `{::comment}…{:/comment}` (nothing), `{::nomarkdown}…{:/nomarkdown}` (raw
    HTML, through the same stages as any) and `{::options … /}` (nothing), on lines of
    their own."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    match = _EXTENSION.match(state.src, pos)
    if match is None or match.end() > state.eMarks[start]:
        return False
    name = match.group(1)
    if match.group(2) or name == "options":
        last = start
        inner = ""
    else:
        closer = re.compile(r"\{:/(?:" + name + r")?\}")
        found = closer.search(state.src, match.end())
        if found is None:
            return False
        last = _line_of(state, found.start(), start, end)
        inner = state.src[match.end() : found.start()]
        if state.src[found.end() : state.eMarks[last]].strip():
            return False
    if silent:
        return True
    if name == "nomarkdown" and inner.strip():
        token = state.push("html_block", "", 0)
        token.content, token.map = inner.strip("\n") + "\n", [start, last + 1]
    state.line = last + 1
    return True


def reference(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's own reference rule, asked only when a definition can follow: it reads a
    label character by character, for every paragraph opening with `[` (every item of a
    links digest), before it finds no `]:` after it.

    The next `]:` is remembered on the state (where the last search began, what it found):
    searching the rest of the body again for every `[` would cost the square of its length
    on a body of many `[` blocks and no definition."""
    pos = state.bMarks[start] + state.tShift[start]
    began, found = getattr(state, "newsgen_next_ref", (-1, -1))
    if began < 0 or pos < began or 0 <= found < pos:
        found = state.src.find("]:", pos)
        state.newsgen_next_ref = (pos, found)  # type: ignore[attr-defined]
    if found < 0:
        # A definition's label ends in `]` followed at once by `:` on the same line.
        return False
    return rules_block.reference(state, start, end, silent)


def template_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A tag alone on its line, or a paired one whose lines it owns: `{% highlight %}`
    blocks are code as written, `{% raw %}` blocks Markdown without tags, `{{< comment >}}`
    nothing, and a site template's paired tag gets its inner text whole."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("{", pos):
        return False
    job = _job(state.env)
    call = read_tag(state.src, pos)
    if call is None or call.kind not in ("call", "comment") or call.closing:
        return False
    key = call.key
    paired = call.kind == "call" and not call.self_closing and _pairs(call, job)
    closer = find_closer(state.src, call, state.eMarks[end - 1]) if paired else None
    rest = state.src[call.end : state.eMarks[_line_of(state, call.end, start, end)]]
    # A site template's pair may close on its own line (`{{< note >}}…{{< /note >}}`).
    if rest.strip() and (closer is None or key in STRUCTURAL):
        return False
    if paired and closer is None and key in ("highlight", "raw", "comment"):
        return False
    last = _line_of(state, (closer or call).end, start, end)
    if closer is not None and state.src[closer.end : state.eMarks[last]].strip():
        return False
    if silent:
        return True
    line = job.first_line + start
    if call.kind == "comment" or key == "comment":
        state.line = last + 1
        return True
    if key == "toc" and call.syntax in ("hugo", "hugo%") and key not in job.ctx.library.shortcodes:
        state.push("toc", "", 0).map = [start, start + 1]
        state.line = last + 1
        return True
    if key == "more" and call.syntax in ("hugo", "hugo%"):
        state.push("excerpt_break", "", 0).map = [start, start + 1]
        state.line = last + 1
        return True
    if closer is not None and key == "raw":
        first = _line_of(state, call.end, start, end)
        before = len(state.tokens)
        if first + 1 <= last - 1 and _line_of(state, closer.start, start, end) == last:
            # Paragraphs read to lineMax, not to the end given: stop them at the closer.
            line_max, state.lineMax = state.lineMax, last
            try:
                state.md.block.tokenize(state, first + 1, last)
            finally:
                state.lineMax = line_max
        for token in state.tokens[before:]:
            token.meta["raw"] = True
        state.line = last + 1
        return True
    if closer is not None and key == "highlight":
        code = state.src[call.end : closer.start].strip("\n")
        token = state.push("fence", "code", 0)
        token.info = str(call.positional[0]) if call.positional else ""
        token.content = code + "\n"
        token.markup = "```"
        token.map = [start, last + 1]
        state.line = last + 1
        return True
    inner = state.src[call.end : closer.start] if closer is not None else None
    outcome = _render(call, job, line, inner)
    _place_block(state, outcome, call, line, start, last)
    state.line = last + 1
    return True


def _pairs(call: Call, job: Job) -> bool:
    """Whether CALL may open a pair: the structural tags, and a site template's tags."""
    return call.key in STRUCTURAL or call.key in job.ctx.library.shortcodes


def _render(call: Call, job: Job, line: int, inner: str | None) -> Outcome:
    body = None
    if inner is not None:
        body = markdownify(inner, job, line) if job.depth < _MAX_DEPTH else inner
    return render_call(call, job.ctx, line, inner=inner, body=body)


def markdownify(text: str, job: Job, line: int) -> str:
    """TEXT rendered as Markdown for a tag (Hugo's `{{% %}}`, a template's `body`): not yet
    cleaned, as it goes into the body that is."""
    ctx = job.ctx
    if job.depth >= _MAX_DEPTH:
        job.problems.append(
            (line, "tags inside tags nest too deep; the inner text is shown as written", "error")
        )
        return str(escape(text))
    sub = Job(job.options, ctx, line, job.problems, depth=job.depth + 1)
    md = parser(job.options.raw_html)
    env: dict[str, Any] = {"newsgen": sub}
    outer = ctx.markdownify  # a template's `markdownify` renders one level deeper
    ctx.markdownify = lambda inner: markdownify(inner, sub, sub.line or line)
    try:
        return str(md.renderer.render(md.parse(text, env), md.options, env))
    finally:
        ctx.markdownify = outer


def _place_block(
    state: StateBlock, outcome: Outcome, call: Call, line: int, start: int, last: int
) -> None:
    kind = outcome.kind
    if kind == "nothing":
        return
    if kind == "html":
        token = state.push("html_block", "", 0)
        token.content = outcome.value
        token.meta["template"] = True
    elif kind == "code":
        token = state.push("fence", "code", 0)
        token.info, token.content, token.markup = outcome.language, outcome.value + "\n", "```"
    else:
        state.push("paragraph_open", "p", 1).map = [start, last + 1]
        inline = state.push("inline", "", 0)
        inline.children = _inline_outcome(outcome, call, line, _job(state.env), False)
        inline.meta["done"] = True
        state.push("paragraph_close", "p", -1)
        return
    token.map = [start, last + 1]


# -- inline rules ---------------------------------------------------------------------------


def template_inline(state: StateInline, silent: bool) -> bool:
    """A tag inside text. In code spans it is never seen: backticks are read first."""
    if state.src[state.pos] != "{":
        return False
    call = read_tag(state.src, state.pos)
    if call is None or call.end > state.posMax:
        return False
    job = _job(state.env)
    if job.raw:
        return False
    end = call.end
    inner: str | None = None
    if call.kind == "call" and not call.closing and not call.self_closing and _pairs(call, job):
        closer = find_closer(state.src, call, state.posMax)
        if closer is not None:
            inner = state.src[call.end : closer.start]
            end = closer.end
    if silent:
        state.pos = end
        return True
    line = job.line + state.src.count("\n", 0, state.pos)
    if inner is not None and call.key == "raw":
        # Liquid runs before Markdown: what raw holds is Markdown whose tags are text.
        if state.pending:
            state.pushPending()
        raw, job.raw = job.raw, True
        try:
            state.md.inline.parse(inner, state.md, state.env, state.tokens)
        finally:
            job.raw = raw
    elif inner is not None and call.key == "comment":
        pass
    elif inner is not None and call.key == "highlight":
        token = state.push("code_inline", "code", 0)
        token.content = inner.strip()
    else:
        outcome = _render(call, job, line, inner)
        if state.pending:
            state.pushPending()
        state.tokens.extend(_inline_outcome(outcome, call, line, job, state.linkLevel > 0))
    state.pos = end
    return True


def _inline_outcome(
    outcome: Outcome, call: Call, line: int, job: Job, in_link: bool
) -> list[Token]:
    kind = outcome.kind
    if kind == "text":
        return [Token("template_text", "", 0, content=outcome.value)]
    if kind == "ref":
        # The link's text is the target as written: its URL is known only once every
        # article's is (and a reference inside a link's text has no URL to show).
        target = str(call.named.get("path") or (call.positional[0] if call.positional else ""))
        text = Token("template_text", "", 0, content=target)
        if in_link:
            return [text]
        link = Token("link_open", "a", 1, attrs={"href": outcome.value}, meta={"ref": True})
        return [link, text, Token("link_close", "a", -1)]
    if kind == "html":
        return [Token("html_inline", "", 0, content=outcome.value, meta={"template": True})]
    if kind == "code":
        return [Token("code_inline", "code", 0, content=outcome.value)]
    if kind == "nothing":
        return []
    job.problems.append((line, outcome.message, "error" if kind == "error" else "warning"))
    return [Token("template_literal", "", 0, content=call.text)]


# -- links holding tags ---------------------------------------------------------------------


def _destination(string: str, pos: int, maximum: int) -> Any:
    """A link destination that may hold template tags, spaces and all:
    `[a]({% post_url 2020-01-01-x %}#part)`, `![b]({{ site.baseurl }}/x.png)`, and in
    angle brackets `[c]: <{{% param url %}}>` (where a `>` inside a tag does not close)."""
    start = pos
    if pos < maximum and string[pos] == "<":
        return _bracketed(string, pos, maximum)
    plain = _PLAIN_DESTINATION.match(string, pos, maximum)
    if plain is not None and (plain.end() == maximum or string[plain.end()] in " \t\n)"):
        # The usual `(https://…)`: no tag, escape, entity or parenthesis to read by hand.
        result = md_helpers.parseLinkDestination("", 0, 0)
        result.ok, result.pos, result.str = True, plain.end(), plain.group()
        return result
    found = False
    level = 0
    while pos < maximum:
        char = string[pos]
        if char == "{":
            call = read_tag(string, pos)
            if call is not None and call.end <= maximum:
                found = True
                pos = call.end
                continue
        if char == " " or ord(char) < 0x20 or char == "\x7f":
            break
        if char == "\\" and pos + 1 < maximum:
            pos += 2
            continue
        if char == "(":
            level += 1
            if level > 32:  # markdown-it's own limit: `[a](` ten thousand times stays quick
                return md_helpers.parseLinkDestination(string, start, maximum)
        elif char == ")":
            if level == 0:
                break
            level -= 1
        pos += 1
    if not found:
        return md_helpers.parseLinkDestination(string, start, maximum)
    result = md_helpers.parseLinkDestination("", 0, 0)
    result.ok, result.pos, result.str = True, pos, string[start:pos]
    return result


def _bracketed(string: str, start: int, maximum: int) -> Any:
    pos, found = start + 1, False
    while pos < maximum:
        char = string[pos]
        if char == "{":
            call = read_tag(string, pos)
            if call is not None and call.end <= maximum:
                found, pos = True, call.end
                continue
        if char in "<\n":
            break
        if char == "\\" and pos + 1 < maximum:
            pos += 2
            continue
        if char == ">":
            if not found:
                break
            result = md_helpers.parseLinkDestination("", 0, 0)
            result.ok, result.pos, result.str = True, pos + 1, string[start + 1 : pos]
            return result
        pos += 1
    return md_helpers.parseLinkDestination(string, start, maximum)


def _has_tag(url: str) -> bool:
    return ("{{" in url or "{%" in url) and bool(scan(url))


_URL_CHAR = r"(?:[A-Za-z0-9;/?:&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})"
PLAIN_URL = re.compile(
    rf"(?:https?://(?=[A-Za-z0-9.-]{{1,253}}(?:[:/?#]|\Z))[A-Za-z0-9-]{{1,63}}(?:\.[A-Za-z0-9-]{{1,63}})*(?::[0-9]{{1,5}})?(?:[/?#]{_URL_CHAR}*)?"
    rf"|/(?!/){_URL_CHAR}*|[?#]{_URL_CHAR}*|(?:(?!:){_URL_CHAR})+)\Z"
)
"""URLs markdown-it's normalizeLink returns unchanged (a property test holds it): most of a
links digest's, which skip its parse, punycode and percent-encoding passes."""
_PLAIN_DESTINATION = re.compile(r"[^\s()<>{\\&\x00-\x1f\x7f]+")


class _Engine(MarkdownIt):
    def normalizeLink(self, url: str) -> str:
        if PLAIN_URL.match(url):
            return url
        if _has_tag(url):
            return url  # the tags are rendered by template_links, then normalised
        return normalizeLink(url)

    def validateLink(self, url: str) -> bool:
        return _has_tag(url) or validateLink(url)


_PELICAN = re.compile(
    r"(?:\{|%7[Bb])(filename|static|attach)(?:\}|%7[Dd])"
    r"|(?:\||%7[Cc])(filename|static|attach)(?:\||%7[Cc])"
)
"""Pelican's link markers (`{static}/images/x.png`, and its older `|filename|x.md`), as
written or as markdown-it percent-encodes them."""
_ARTICLE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".txt", ".rst")


def pelican_link(value: str, folder: str, bundle: bool, line: int) -> str | None:
    """Pelican's `{filename}`, `{static}` and `{attach}` links as Pelican resolves them: an
    article file is a reference to that article (its URL once known), read from FOLDER
    (the article's, from the content root) when relative; any other file is its path from
    the content root, which newsgen's static/ and bundles publish as it is: `/images/x.png`
    as written, `images/x.png` from FOLDER (in a BUNDLE, where it lies beside the article,
    as written). VALUE is percent-encoded; only the path is decoded, and only to name an
    article (`C%23.png` is the file `C#.png`, not `C` and a fragment). None when VALUE has
    no marker."""
    marker = _PELICAN.match(value)
    if marker is None:
        return None
    target = value[marker.end() :]
    before, hash_, fragment = target.partition("#")
    path, mark, query = before.partition("?")
    rest = mark + query + hash_ + fragment
    name = unquote(path)
    if name.lower().endswith(_ARTICLE_SUFFIXES) and (marker[1] or marker[2]) == "filename":
        name = posixpath.normpath(posixpath.join("/", folder, name)).lstrip("/")
        return ref_url(line, name) + hash_ + fragment
    if path.startswith("/"):
        # From the content root: `{static}//host/x` is not another site's file.
        joined = posixpath.normpath("/" + path.lstrip("/"))
    elif bundle:
        return target
    else:
        joined = posixpath.normpath(posixpath.join("/", folder, path))
    return joined + ("/" if path.endswith("/") and not joined.endswith("/") else "") + rest


def _odd_marker(value: str) -> tuple[str, str] | None:
    """A Pelican marker with nothing after it, or before a web address: (the marker as
    written, the address or ''); None for any other link."""
    marker = _PELICAN.match(value)
    if marker is None:
        return None
    target = unquote(value[marker.end() :]).strip()
    if target and "://" not in target:
        return None
    return "{" + (marker[1] or marker[2] or "static") + "}", target


def template_links(tokens: Sequence[Token], job: Job) -> None:
    """Tags in link and image destinations rendered; Zola's `@/x.md` and Pelican's
    `{filename}x.md` made references, Pelican's `{static}x.png` a path."""
    for block in tokens:
        for token in block.children or ():
            name = "href" if token.type == "link_open" else "src" if token.type == "image" else ""
            value = token.attrs.get(name) if name else None
            if not isinstance(value, str):
                continue
            line = job.first_line + (block.map[0] if block.map else 0)
            if value.startswith("@/"):
                path, _, fragment = value[2:].partition("#")
                token.attrs[name] = ref_url(line, path) + (f"#{fragment}" if fragment else "")
                token.meta["ref"] = True
            elif (odd := _odd_marker(value)) is not None:
                written, target = odd
                if target:
                    job.warn(
                        line,
                        f"{written}{target} is a web address, not a file of the site:"
                        f" linked as {target}; write it without {written}",
                    )
                else:
                    job.warn(
                        line,
                        f"{written} names no file (Pelican reads the path after it"
                        " from the content folder); it links nowhere (#)",
                    )
                token.attrs[name] = normalizeLink(target) if target else "#"
            elif (pelican := pelican_link(value, *job.options.folder, line)) is not None:
                ref = pelican.startswith(REF_SCHEME)
                token.attrs[name] = pelican if ref else normalizeLink(pelican)
                token.meta["ref"] = ref
            elif _has_tag(value):
                token.attrs[name] = normalizeLink(_expand_url(value, job, line))
                token.meta["ref"] = True


def _expand_url(value: str, job: Job, line: int) -> str:
    out = []
    last = 0
    for call in scan(value):
        out.append(value[last : call.start])
        last = call.end
        outcome = render_call(call, job.ctx, line)
        if outcome.kind in ("ref", "text"):
            out.append(
                outcome.value
                if outcome.kind == "ref"
                else quote(outcome.value, safe="/:#?&=%@+,;~!$'()*[]", errors="replace")
            )
        elif outcome.kind != "nothing":
            message = outcome.message or f"{call.text} cannot be part of a link; shown as written"
            job.problems.append((line, message, "error" if outcome.kind == "error" else "warning"))
            out.append(call.text)
    out.append(value[last:])
    return bare_refs("".join(out), job.ctx)


# -- core -----------------------------------------------------------------------------------


def _inline(state: StateCore) -> None:
    """markdown-it's inline stage, told each paragraph's file line and whether it is raw."""
    job = _job(state.env)
    for token in state.tokens:
        if token.type == "inline" and not token.meta.get("done"):
            job.line = job.first_line + (token.map[0] if token.map else 0)
            job.raw = bool(token.meta.get("raw"))
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
    job.raw = False


def _code_markers(state: StateCore) -> None:
    """In code, Liquid's raw markers and Hugo's `{{</* x */>}}` are read as their
    generators read them (before any Markdown): the markers go, the tag shows."""
    if "{" not in state.src:  # code holds what the source does, and tags begin with `{`
        return
    for token in passes.walk(state.tokens):
        if token.type in ("code_inline", "fence", "code_block") and "{" in token.content:
            token.content = _unmark(token.content)


_RAW_MARKER = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_RAW_PAIR = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_ESCAPED = re.compile(r"\{\{([<%])/\*\s*(.*?)\s*\*/([>%])\}\}", re.S)


def _unmark(code: str) -> str:
    """Code as Liquid leaves it: a `{% raw %}…{% endraw %}` pair gives what it holds, tags
    inside included (`{% raw %}{% raw %}{% endraw %}` is `{% raw %}`); a marker left
    unpaired goes."""
    parts = []
    last = 0
    for match in _RAW_PAIR.finditer(code):
        parts += [_RAW_MARKER.sub("", code[last : match.start()]), match.group(1)]
        last = match.end()
    code = "".join([*parts, _RAW_MARKER.sub("", code[last:])])
    return _ESCAPED.sub(
        lambda m: "{{" + m.group(1) + " " + m.group(2) + " " + m.group(3) + "}}", code
    )


def _entities(state: StateCore) -> None:
    """A numeric reference reads as browsers read it (`&#x80;` is €); one that names a
    character pages cannot carry (`&#7;`) is dropped by `guard`, with a warning, rather
    than shown as U+FFFD as markdown-it would."""
    if "&#" not in state.src:  # an entity token's markup is the source as written
        return
    for token in passes.walk(state.tokens):
        if (
            token.type == "text_special"
            and token.info == "entity"
            and token.markup.startswith("&#")
        ):
            token.content = read_charref(token.markup)


def _escape_html(state: StateCore) -> None:
    """`markdown.html: false`: raw HTML is shown as written (and no quote in it turned)."""
    if _job(state.env).options.raw_html != "escape":
        return
    out: list[Token] = []
    for token in state.tokens:
        if token.type == "html_block" and not token.meta.get("template"):
            opened = Token("paragraph_open", "p", 1, map=token.map, block=True)
            inline = Token("inline", "", 0, map=token.map, block=True, meta={"done": True})
            inline.children = [Token("template_literal", "", 0, content=token.content.strip())]
            out += [opened, inline, Token("paragraph_close", "p", -1, block=True)]
            continue
        for child in token.children or ():
            if child.type == "html_inline" and not child.meta.get("template"):
                child.type = "template_literal"
        out.append(token)
    state.tokens[:] = out


def _stages(state: StateCore) -> None:
    job = _job(state.env)
    template_links(state.tokens, job)
    tokens = passes.raw_html(state.tokens, job)
    tokens = passes.attribute_lists(tokens, job)
    passes.task_lists(tokens)
    if job.depth > 0 and any(t.type == "toc" for t in tokens):
        job.warn(job.first_line, "a table of contents inside another tag is left out")
        tokens = [t for t in tokens if t.type != "toc"]
    if job.depth == 0:
        passes.headings(tokens, job)
        tokens = passes.table_of_contents(tokens, job)
        if job.options.smart_quotes:
            passes.typography(tokens, job)
        passes.root_paths(tokens, job)
        tokens = passes.guard(tokens, job)
    state.tokens[:] = tokens


# -- rendering ------------------------------------------------------------------------------


def _fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    language = token.info.strip().split()[0] if token.info.strip() else ""
    return code_block(language, token.content).replace("<pre>", '<pre tabindex="0">', 1) + "\n"


def _table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return TABLE_WRAP + self.renderToken(tokens, idx, options, env)


def _table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _html_tag(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return tag_html(tokens[idx])


def _html_raw(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return tokens[idx].content if _job(env).options.raw_html == "keep" else ""


def _nothing(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ""


def _escaped(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(escape(tokens[idx].content))


def _footnote_caption(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    number = str(meta["id"] + 1)
    return number + (f":{meta['subId']}" if meta.get("subId", 0) > 0 else "")


@functools.cache
def parser(raw_html: str) -> MarkdownIt:
    """The parser for one raw-HTML mode, built once per process."""
    md = _Engine("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin)
    md.helpers = SimpleNamespace(  # type: ignore[assignment]  # one helper replaced
        parseLinkDestination=_destination,
        parseLinkLabel=md_helpers.parseLinkLabel,
        parseLinkTitle=md_helpers.parseLinkTitle,
    )
    md.block.ruler.at("reference", reference)
    md.block.ruler.before("fence", "template_block", template_block, {"alt": ["paragraph"]})
    md.block.ruler.before("fence", "kramdown_extension", kramdown_extension, {"alt": ["paragraph"]})
    md.block.ruler.before("html_block", "excerpt_break", excerpt_break, {"alt": ["paragraph"]})
    md.inline.ruler.before("text", "template_inline", template_inline)
    md.core.ruler.at("inline", _inline)
    md.core.ruler.before("text_join", "entities", _entities)
    md.core.ruler.push("escape_html", _escape_html)
    md.core.ruler.push("code_markers", _code_markers)
    md.core.ruler.push("newsgen", _stages)
    for names, rule in (
        (("fence", "code_block"), _fence),
        (("table_open",), _table_open),
        (("table_close",), _table_close),
        (("html_tag",), _html_tag),
        (("html_raw",), _html_raw),
        (("excerpt_break", "footnote_anchor", "toc"), _nothing),
        (("template_text", "template_literal"), _escaped),
        (("footnote_caption",), _footnote_caption),
    ):
        for name in names:
            md.add_render_rule(name, rule)
    return md


def render_tokens(tokens: list[Token], job: Job) -> str:
    md = parser(job.options.raw_html)
    return str(md.renderer.render(tokens, md.options, {"newsgen": job}))


def parse(text: str, job: Job) -> list[Token]:
    """Markdown TEXT as tokens that went through every stage."""
    return parser(job.options.raw_html).parse(text, {"newsgen": job})


def parse_inline(text: str, job: Job) -> list[Token]:
    """A line of inline Markdown TEXT (no paragraphs, lists or headings) as tokens that went
    through every stage."""
    return parser(job.options.raw_html).parseInline(text, {"newsgen": job})


def read_html_body(text: str, job: Job) -> list[Token]:
    """An HTML body as the same tokens, through the same stages."""
    source = expand_html(text, job.ctx, job.first_line, job.problems)
    tokens = read_html(source, block=True, line=job.first_line)
    passes.headings(tokens, job)
    passes.root_paths(tokens, job)
    return passes.guard(tokens, job)
