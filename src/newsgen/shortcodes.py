"""Template syntax other generators leave in bodies: Liquid (Jekyll), Hugo shortcodes, Zola links.

The common tags are rendered (`highlight`, `raw`, `comment`, `post_url`, `link`, `ref`,
`relref`, `figure`, `youtube`, `vimeo`, `param`, `{{ site.baseurl }}`, Zola's `@/` links);
every other one is left as written and reported at its line, so nothing reaches readers
without a word. Pure text → text.

Links to other articles cannot be resolved from one file, so they become `newsgen-ref:` URLs
that `site.assemble` replaces once every article's URL is known. HTML this module makes
(figures, embeds, highlighted code in HTML bodies) is held back as a marker and put in after
Markdown and sanitizing, so `markdown.html: false` cannot escape it and the sanitizer's
iframe allow-list does not apply to embeds newsgen itself writes.

Jekyll runs Liquid before Markdown and Hugo runs shortcodes inside code blocks too, which is
why archives wrap literal examples in `{% raw %}` or write `{{</* x */>}}`: those two are
handled everywhere, code included. Every other tag inside code is code, shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

import pyromark
from markupsafe import Markup, escape

from newsgen.sanitize import safe_url, sanitize_inline

REF_SCHEME = "newsgen-ref:"
REF_RE = re.compile(r"(\shref=\")newsgen-ref:(\d+):([^\"'\s<>()]*)\"")
"""A reference in a link's href (only there: text that reads `newsgen-ref:` is left alone)."""
MARK = "\ue000"
MARK_RE = re.compile(r"<p>\ue000ng(\d+)\ue000</p>|\ue000ng(\d+)\ue000")
KEEP = "\ue001"
"""Put after the '{' of '{{' or '{%' in text shown literally, so no later pass reads it."""

_TAG = re.compile(
    r"\{\{[<%]-?\s*(/?)\s*([A-Za-z_][\w/.-]*)(.*?)-?\s*[>%]\}\}"  # {{< name args >}}
    r"|\{%-?\s*([A-Za-z_]\w*)(.*?)-?%\}"  # {% name args %}
    r"|\{\{-?(.*?)-?\}\}",  # {{ expression }}
    re.S,
)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_ESCAPED = re.compile(r"\{\{([<%])\s*/\*(.*?)\*/\s*([>%])\}\}", re.S)
_ZOLA_LINK = re.compile(r"\]\(@/([^)\s]+)\)")
MARKDOWN_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_HEADING_ATTRIBUTES
)
"""The Markdown newsgen reads (markup renders with these; code is found with them here)."""
_HTML_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S | re.I)
_LIQUID_BLOCKS = {"highlight": "endhighlight", "comment": "endcomment"}
_HUGO_BLOCKS = ("highlight", "comment")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{4,30}$")
_ARG = re.compile(
    r"""([A-Za-z_][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`]+)"""
    r"""|("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`=]+)""",
    re.S,
)


@dataclass(slots=True)
class Expanded:
    """A body with its template tags handled."""

    text: str
    held: list[Markup] = field(default_factory=list)
    """HTML put back at each marker by `restore` once the body is HTML."""
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(file line, message) for each tag left as written."""


def _unquote_arg(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        inner = value[1:-1]
        return inner.replace('\\"', '"') if value[0] == '"' else inner
    return value


def shortcode_args(text: str) -> tuple[list[str], dict[str, str]]:
    """Shortcode arguments: positional ones and name="value" pairs (spaces around '=' too)."""
    positional, named = [], {}
    for match in _ARG.finditer(text):
        if match.group(1):
            named[match.group(1).lower()] = _unquote_arg(match.group(2))
        else:
            positional.append(_unquote_arg(match.group(3)))
    return positional, named


def ref_url(line: int, target: str) -> str:
    return f"{REF_SCHEME}{line}:{quote(target.strip(), safe='')}"


STRAIGHT = {'"': "\ue002", "'": "\ue003"}
"""Quote marks that must stay straight (template syntax shown as written, raw HTML shown as
text): typography leaves these stand-ins alone, and `restore` turns them back."""


def keep_literal(text: str) -> str:
    """TEXT with every '{{' and '{%' defused, so it is shown exactly as written."""
    text = text.replace("{{", "{" + KEEP + "{").replace("{%", "{" + KEEP + "%")
    return text.replace('"', STRAIGHT['"']).replace("'", STRAIGHT["'"])


def _liquid_expression(expr: str, base_url: str, base_path: str) -> str | None:
    """`{{ site.baseurl }}`, `{{ site.url }}` and the relative_url/absolute_url filters."""
    expr = " ".join(expr.split())
    origin = base_url[: len(base_url) - len(base_path) + 1].rstrip("/")
    if expr == "site.baseurl":
        return base_path.rstrip("/")
    if expr == "site.url":
        return origin
    match = re.fullmatch(r"""(["'])(.*?)\1\s*\|\s*(relative_url|absolute_url)""", expr)
    if match:
        path = base_path + match.group(2).lstrip("/")
        return origin + path if match.group(3) == "absolute_url" else path
    return None


class _Expander:
    def __init__(
        self, html_body: bool, base_url: str, base_path: str, params: Mapping[str, Any]
    ) -> None:
        self.html_body = html_body
        self.base_url, self.base_path = base_url, base_path
        self.params = params
        self.out = Expanded("")

    def hold(self, html: Markup, block: bool) -> str:
        self.out.held.append(html)
        marker = f"{MARK}ng{len(self.out.held) - 1}{MARK}"
        return f"\n\n{marker}\n\n" if block and not self.html_body else marker

    def code_block(self, language: str, code: str) -> str:
        code = code.strip("\n")
        if not self.html_body:
            fence = "~" * max(3, max((len(m) for m in re.findall(r"~+", code)), default=0) + 1)
            return f"\n{fence}{language}\n{keep_literal(code)}\n{fence}\n"
        cls = Markup(' class="language-{}"').format(language) if language else Markup("")
        return self.hold(Markup("<pre><code{}>{}</code></pre>").format(cls, code), True)

    def figure(self, line: int, named: dict[str, str]) -> str:
        for key in ("src", "link"):
            if named.get(key) and not safe_url(named[key]):
                message = f"figure {key} {named[key]!r} is not a web link; it is left out"
                self.out.warnings.append((line, message))
                named[key] = "" if key == "link" else "#"
        img = Markup('<img src="{}" alt="{}"{}{}>').format(
            named.get("src", ""),
            named.get("alt", ""),
            Markup(' width="{}"').format(named["width"]) if named.get("width") else "",
            Markup(' height="{}"').format(named["height"]) if named.get("height") else "",
        )
        if named.get("link"):
            img = Markup('<a href="{}">{}</a>').format(named["link"], img)
        caption = named.get("caption") or named.get("title")
        cap = (
            Markup("<figcaption>{}</figcaption>").format(Markup(sanitize_inline(caption)))
            if caption
            else ""
        )
        return self.hold(Markup("<figure>{}{}</figure>").format(img, cap), True)

    def embed(self, url: str, title: str) -> str:
        frame = Markup(
            '<div class="embed"><iframe src="{}" title="{}" loading="lazy" allowfullscreen>'
            "</iframe></div>"
        ).format(url, title)
        return self.hold(frame, True)

    def param(self, name: str) -> str | None:
        value: Any = self.params
        for part in name.lower().split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        return None

    def hugo(self, line: int, name: str, args: str) -> str | None:
        positional, named = shortcode_args(args)
        first = named.get("id") or (positional[0] if positional else "")
        lname = name.lower()
        if lname in ("ref", "relref") and (positional or named.get("path")):
            return ref_url(line, named.get("path") or positional[0])
        if lname == "figure" and named.get("src"):
            return self.figure(line, named)
        if lname == "youtube" and _VIDEO_ID.match(first):
            return self.embed(f"https://www.youtube-nocookie.com/embed/{first}", "YouTube video")
        if lname == "vimeo" and first.isdigit():
            return self.embed(f"https://player.vimeo.com/video/{first}", "Vimeo video")
        if lname == "param" and positional:
            return self.param(positional[0])
        return None

    def liquid(self, line: int, name: str, args: str) -> str | None:
        lname = name.lower()
        words = args.split()
        if lname in ("post_url", "link") and words:
            return ref_url(line, words[0])
        return None


def expand(
    text: str,
    first_line: int,
    *,
    html_body: bool,
    base_url: str,
    base_path: str,
    params: Mapping[str, Any] | None = None,
) -> Expanded:
    """Render the template tags of a Markdown (or, with HTML_BODY, an HTML) body.

    FIRST_LINE is the file line of the body's first line, for warnings; PARAMS is the
    file's front matter, for Hugo's `param` shortcode.
    """
    if "{{" not in text and "{%" not in text and "](@/" not in text:
        return Expanded(text)
    ex = _Expander(html_body, base_url, base_path, params or {})
    if "{%" in text:  # kept line for line, so warnings still point at the right line
        text = _RAW.sub(lambda m: keep_literal(m.group(1)), text)
    if "/*" in text:
        text = _ESCAPED.sub(
            lambda m: keep_literal(f"{{{{{m.group(1)} {m.group(2).strip()} {m.group(3)}}}}}"), text
        )
    pieces: list[str] = []
    for chunk, is_code, offset in code_regions(text, html_body):
        if is_code:
            pieces.append(chunk)
        else:
            line = first_line + text.count("\n", 0, offset)
            if "](@/" in chunk:  # Zola's internal links: [text](@/blog/post.md)
                chunk = _ZOLA_LINK.sub(
                    lambda m, c=chunk, n=line: (
                        f"]({ref_url(n + c.count(chr(10), 0, m.start()), m.group(1))})"
                    ),
                    chunk,
                )
            pieces.append(_expand_chunk(ex, chunk, line))
    ex.out.text = "".join(pieces)
    return ex.out


def code_regions(text: str, html_body: bool) -> list[tuple[str, bool, int]]:
    """Split a body into (chunk, is_code, offset): code is code blocks (fenced or indented)
    and inline code spans, as the Markdown parser itself finds them, so a tag is code exactly
    where a reader sees code: not in an indented list paragraph, yes in an indented block.

    A `{% highlight %}` block is not code here: it is a tag to expand.
    """
    code = [m.span() for m in _HTML_CODE.finditer(text)] if html_body else _markdown_code(text)
    out: list[tuple[str, bool, int]] = []
    last = 0
    for begin, end in code:
        if begin > last:
            out.append((text[last:begin], False, last))
        out.append((text[begin:end], True, begin))
        last = end
    if last < len(text):
        out.append((text[last:], False, last))
    return out


def _markdown_code(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the code blocks and spans pulldown-cmark finds."""
    data = text.encode("utf-8")
    ascii_only = len(data) == len(text)
    spans: list[tuple[int, int]] = []
    block: int | None = None
    for event, where in pyromark.events_with_range(text, options=MARKDOWN_OPTIONS):
        if isinstance(event, dict):
            start = event.get("Start")
            if isinstance(start, dict) and "CodeBlock" in start:
                block = where["start"]
            elif event.get("End") == "CodeBlock" and block is not None:
                spans.append((block, where["end"]))
                block = None
            elif "Code" in event and block is None:
                spans.append((where["start"], where["end"]))
    if ascii_only:
        return spans
    # pulldown-cmark counts bytes; the rest of newsgen counts characters.
    return [
        (len(data[:a].decode("utf-8", "replace")), len(data[:b].decode("utf-8", "replace")))
        for a, b in spans
    ]


def _closing(kind: str, name: str) -> re.Pattern[str]:
    if kind == "hugo":
        return re.compile(r"\{\{[<%]-?\s*/\s*" + re.escape(name) + r"\s*-?[>%]\}\}", re.I)
    return re.compile(r"\{%-?\s*" + re.escape(name) + r"\s*-?%\}")


def _expand_chunk(ex: _Expander, chunk: str, first_line: int) -> str:
    result: list[str] = []
    pos = 0
    while True:
        match = _TAG.search(chunk, pos)
        if match is None:
            result.append(chunk[pos:])
            return "".join(result)
        result.append(chunk[pos : match.start()])
        line = first_line + chunk.count("\n", 0, match.start())
        whole = match.group(0)
        replacement: str | None = None
        end = match.end()
        if match.group(2) is not None:  # Hugo
            name, args = match.group(2), match.group(3)
            lname = name.lower()
            if match.group(1):
                pass  # a closing tag whose opening was not rendered
            elif lname in _HUGO_BLOCKS:
                found = _closing("hugo", lname).search(chunk, end)
                if found:
                    inner = chunk[end : found.start()]
                    end = found.end()
                    language = (shortcode_args(args)[0] or [""])[0]
                    replacement = ex.code_block(language, inner) if lname == "highlight" else ""
            else:
                replacement = ex.hugo(line, name, args)
            if replacement is None:
                kind = "closing shortcode" if match.group(1) else "shortcode"
                message = f"Hugo {kind} {_short(whole)} is not supported; shown as written"
                ex.out.warnings.append((line, message))
        elif match.group(4) is not None:  # Liquid tag
            name, args = match.group(4), match.group(5)
            closer = _LIQUID_BLOCKS.get(name.lower())
            if closer:
                found = _closing("liquid", closer).search(chunk, end)
                if found is not None:
                    inner = chunk[end : found.start()]
                    end = found.end()
                    language = (args.split() or [""])[0]
                    replacement = ex.code_block(language, inner) if closer == "endhighlight" else ""
            else:
                replacement = ex.liquid(line, name, args)
            if replacement is None:
                message = f"Liquid tag {_short(whole)} is not supported; shown as written"
                ex.out.warnings.append((line, message))
        else:  # {{ expression }}
            replacement = _liquid_expression(match.group(6), ex.base_url, ex.base_path)
            if replacement is None:
                message = f"template expression {_short(whole)} is not supported; shown as written"
                ex.out.warnings.append((line, message))
        result.append(keep_literal(whole) if replacement is None else replacement)
        pos = end


def _short(tag: str) -> str:
    text = " ".join(tag.split())
    return text if len(text) <= 60 else text[:57] + "…" + text[-2:]


def restore(html: str, held: list[Markup]) -> str:
    """Put the HTML held back by `expand` in place of its markers; undo `keep_literal`."""
    if KEEP in html:
        html = html.replace(KEEP, "")
    if STRAIGHT['"'] in html or STRAIGHT["'"] in html:
        html = html.replace(STRAIGHT['"'], "&quot;").replace(STRAIGHT["'"], "&#39;")
    if not held:
        return html

    def put(match: re.Match[str]) -> str:
        index = int(match.group(1) or match.group(2))
        return str(held[index]) if index < len(held) else ""

    return MARK_RE.sub(put, html)


def resolve_refs(
    html: str, lookup: Callable[[str], str | None]
) -> tuple[str, list[tuple[int, str]]]:
    """Replace `newsgen-ref:` URLs through LOOKUP (target → href); the rest as written."""
    missing: list[tuple[int, str]] = []

    def put(match: re.Match[str]) -> str:
        target = unquote(match.group(3))
        path, _, fragment = target.partition("#")
        found = lookup(path)
        if found is None:
            # Never the target as written: anyone can write a `newsgen-ref:` link, and its
            # target could be `javascript:…`. The link goes nowhere; a warning names it.
            missing.append((int(match.group(2)), target))
            return f'{match.group(1)}#"'
        return f'{match.group(1)}{escape(found)}{"#" + quote(fragment) if fragment else ""}"'

    return REF_RE.sub(put, html), missing
