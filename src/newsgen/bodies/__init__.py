"""Article bodies → clean HTML and a summary. Pure functions of text and settings.

Three kinds of body: Markdown (markdown-it-py), HTML (`.html` articles, as imported
archives keep them) and wire copy (`.txt`: each line a paragraph, never markup). The first
two become one kind of token stream and go through the same stages (`passes`); every body
ends in the sanitizer (`finish`), and nothing edits its HTML afterwards. Links to other
articles by name (`{{< ref >}}`, `{% post_url %}`, Zola's `@/`) wait as `newsgen-ref:`
URLs until the site knows every URL; `resolve_refs` fills them in and cleans again.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from markupsafe import Markup, escape

from newsgen.bodies import markdown, passes
from newsgen.bodies.job import (
    ANCHOR_STYLES,
    RAW_HTML_MODES,
    UNCARRIED,
    BodyImage,
    BodyOptions,
    Job,
    Problem,
)
from newsgen.bodies.sanitize import REF_SCHEME, Rewrite, sanitize
from newsgen.bodies.shortcodes import EMPTY_LIBRARY, TagContext, TagLibrary
from newsgen.bodies.typography import smarten

__all__ = [
    "ANCHOR_STYLES",
    "EMPTY_LIBRARY",
    "RAW_HTML_MODES",
    "REF_SCHEME",
    "UNCARRIED",
    "Body",
    "BodyImage",
    "BodyOptions",
    "TagLibrary",
    "finish",
    "render_html",
    "render_inline",
    "render_markdown",
    "render_text",
    "resolve_refs",
    "shorten",
    "smarten",
]

SUMMARY_LENGTH = 200
DEFAULTS = BodyOptions()
_TAGS = re.compile(r"<[^>]+>")


@dataclass(slots=True)
class Body:
    """A rendered body."""

    html: Markup
    """Clean: what the sanitizer returned (refs still to resolve when `pending_refs`)."""
    excerpt: str
    """Readers' text of the summary: before `<!--more-->`, else the first paragraph."""
    problems: list[Problem] = field(default_factory=list)
    images: tuple[str, ...] = ()
    """The srcs of the body's own images, as written, once each: what its HTML depends on."""

    @property
    def word_count(self) -> int:
        return len(_TAGS.sub(" ", str(self.html)).split())

    @property
    def pending_refs(self) -> bool:
        return REF_SCHEME in self.html


def _escaped(text: str) -> str:
    return str(escape(text))


@contextmanager
def _job(
    options: BodyOptions,
    first_line: int,
    params: Mapping[str, Any] | None,
    library: TagLibrary,
    site_title: str,
    site_params: Mapping[str, Any] | None,
) -> Iterator[Job]:
    ctx = TagContext(
        options.base_url,
        options.base_path,
        params or {},
        library,
        site_title=site_title,
        site_params=site_params or {},
        language=options.language,
    )
    job = Job(options, ctx, first_line)
    ctx.markdownify = lambda text: markdown.markdownify(text, job, job.line or first_line)
    try:
        yield job
    finally:
        # The job and its context refer to each other: undone here, the pair is freed as
        # soon as the body is made, not by the cyclic collector (which the workers that
        # parse thousands of bodies do not run).
        ctx.markdownify = _escaped


_STRAY = re.compile(UNCARRIED.pattern[:-1] + "\ufeff]")
"""What no body keeps: UNCARRIED (the stages named each one they met) and U+FEFF, which an
HTML parser drops at the start of a document only (so cleaning twice would differ)."""


def finish(
    html: str, options: BodyOptions, refs: bool = False, rewrite: Rewrite | None = None
) -> Markup:
    """The last step of every body: cleaned to the allow-list (REFS lets `newsgen-ref:`
    links wait; REWRITE changes the URLs kept). `markdown.html: keep` is the one body that
    is not: a trusted archive."""
    if options.raw_html == "keep":
        return Markup(html)
    return Markup(sanitize(_STRAY.sub("", html), options.iframe_hosts, refs, rewrite))


def render_markdown(
    text: str,
    first_line: int = 1,
    options: BodyOptions = DEFAULTS,
    params: Mapping[str, Any] | None = None,
    library: TagLibrary = EMPTY_LIBRARY,
    site_title: str = "",
    site_params: Mapping[str, Any] | None = None,
    images: Mapping[str, BodyImage] | None = None,
) -> Body:
    """A Markdown body. PARAMS is the file's front matter (for `{{ page.x }}` and `param`);
    IMAGES the processed images its own images are drawn with, by src."""
    with _job(options, first_line, params, library, site_title, site_params) as job:
        job.images = images or {}
        tokens = markdown.parse(text, job)
        passes.images(tokens, job)
        html = markdown.render_tokens(tokens, job)
    seen = tuple(dict.fromkeys(job.seen_images))
    return Body(finish(html, options, refs=True), passes.excerpt(tokens), job.problems, seen)


def render_html(
    text: str,
    first_line: int = 1,
    options: BodyOptions = DEFAULTS,
    params: Mapping[str, Any] | None = None,
    library: TagLibrary = EMPTY_LIBRARY,
    site_title: str = "",
    site_params: Mapping[str, Any] | None = None,
    images: Mapping[str, BodyImage] | None = None,
) -> Body:
    """An HTML body, through the same stages as Markdown (but no typographic quotes)."""
    if options.raw_html == "escape":
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        html = "\n".join(str(Markup("<p>{}</p>").format(p)) for p in paragraphs)
        excerpt = " ".join(paragraphs[0].split()) if paragraphs else ""
        return Body(finish(html, options), excerpt, [])
    with _job(options, first_line, params, library, site_title, site_params) as job:
        job.images = images or {}
        tokens = markdown.read_html_body(text, job)
        passes.images(tokens, job)
        html = markdown.render_tokens(tokens, job)
    seen = tuple(dict.fromkeys(job.seen_images))
    return Body(finish(html, options, refs=True), passes.excerpt(tokens), job.problems, seen)


def render_inline(text: str, line: int = 1, options: BodyOptions = DEFAULTS) -> Body:
    """A short text of inline Markdown written in front matter (a correction's): links,
    emphasis and code, through the body's stages and its sanitizer, last; its excerpt is the
    same as plain text. Links to other articles by name wait as a body's do (`resolve_refs`,
    once every URL is known)."""
    with _job(options, line, None, EMPTY_LIBRARY, "", None) as job:
        tokens = markdown.parse_inline(text, job)
        html = markdown.render_tokens(tokens, job)
    clean = finish(html, options, refs=True)
    plain = " ".join(htmllib.unescape(_TAGS.sub("", str(clean))).split())
    return Body(clean, plain, job.problems)


def render_text(text: str, options: BodyOptions = DEFAULTS) -> Body:
    """Wire copy: each non-blank line is one paragraph, escaped, never markup."""
    paragraphs = [p for p in (line.strip() for line in text.split("\n")) if p]
    paragraphs = [UNCARRIED.sub("", p) for p in paragraphs]
    html = "".join(str(Markup("<p>{}</p>\n").format(p)) for p in paragraphs)
    return Body(finish(html, options), paragraphs[0] if paragraphs else "")


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut plain text at a word boundary, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:\u2014\u2013-") + "…"


_REF = re.compile(re.escape(REF_SCHEME) + r"(\d+):([^#]*)(#.*)?", re.S)
_KEPT_REF = re.compile(r'((?:href|src)=")(' + re.escape(REF_SCHEME) + r'[^"]*)"')


def resolve_refs(
    html: str, lookup: Callable[[str], str | None], options: BodyOptions, base: str = ""
) -> tuple[Markup, list[tuple[int, str]]]:
    """`newsgen-ref:` links through LOOKUP (target → href), in the sanitizer's last pass,
    which changes URLs and nothing else. A target that names nothing links nowhere ('#')
    and is returned to warn. With BASE (the path of the page the text belongs to), relative
    links are made to start there: the text is shown on other pages too (a correction)."""
    missing: list[tuple[int, str]] = []

    def put(value: str) -> str:
        match = _REF.fullmatch(value)
        if match is None:
            parts = urlsplit(value.strip())
            relative = not parts.scheme and not parts.netloc and value.strip() not in ("", "#")
            if base and relative and not value.startswith("/"):
                return urljoin(base, value.strip())
            return value
        target = unquote(match.group(2))
        found = lookup(target)
        if found is None:
            # Never the target as written: it could be `javascript:…`. A warning names it.
            missing.append((int(match.group(1)), target))
            return "#"
        fragment = match.group(3) or ""
        return found + (("#" + quote(unquote(fragment[1:]), errors="replace")) if fragment else "")

    if options.raw_html == "keep":  # not sanitized: only its own links are looked at
        kept = _KEPT_REF.sub(
            lambda m: m.group(1) + str(escape(put(htmllib.unescape(m.group(2))))) + '"', html
        )
        return Markup(kept), missing
    return finish(html, options, refs=True, rewrite=put), missing
