"""What rendering one body needs and collects: its settings, its tags' context, its problems."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from newsgen.bodies.shortcodes import TagContext

RAW_HTML_MODES = ("sanitize", "keep", "escape")
ANCHOR_STYLES = ("github", "jekyll", "hugo", "zola", "pelican", "eleventy")

UNCARRIED = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)
"""Characters XML cannot hold (the feeds would fail) and HTML calls errors: C0 controls but
tab and line breaks, DEL, C1 controls, noncharacters and lone surrogates."""

Problem = tuple[int, str, str]
"""(file line or 0, message, 'warning' or 'error')."""


@dataclass(frozen=True, slots=True)
class BodyOptions:
    """The settings a body's HTML depends on (part of the parse cache key)."""

    raw_html: str = "sanitize"
    iframe_hosts: frozenset[str] = frozenset()
    base_url: str = "http://localhost:8000/"
    base_path: str = "/"
    """Links and pictures written from the host's root are put under it (passes.root_paths)."""
    external_paths: tuple[str, ...] = ()
    """Paths on the host outside the archive (check.external_paths): left as written."""
    smart_quotes: bool = False
    """Typographic quotes and dashes in Markdown bodies (never in .html or wire copy)."""
    language: str = "en"
    anchors: str = "github"
    """Whose heading ids: one of ANCHOR_STYLES."""
    folder: tuple[str, bool] = ("", False)
    """The article's folder as Pelican's content root holds it, against which Pelican's
    relative `{filename}x.md` and `{static}x.png` are read ('news' for
    articles/news/story.md, 'pages' for pages/about.md), and whether it is a bundle's,
    where such a file lies beside the article and a relative URL reaches it as written."""


@dataclass(frozen=True, slots=True)
class BodyImage:
    """What a processed image adds to an <img> in a body (given by the build, which
    processed it): its size, and its versions as srcset lists."""

    width: int
    height: int
    srcset: str
    """'URL 480w, URL 960w' in the original's format (or JPEG/PNG)."""
    webp_srcset: str = ""
    """The same widths in WebP ('' for none): the <img> is then wrapped in a <picture>."""
    sizes: str = "(min-width: 44rem) 42rem, 100vw"


@dataclass(slots=True)
class Job:
    """One body being rendered (markdown-it's `env` carries it through the rules)."""

    options: BodyOptions
    ctx: TagContext
    first_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    line: int = 0
    """The file line the inline text being parsed starts at."""
    raw: bool = False
    """Inside Liquid's {% raw %}: tags are text."""
    depth: int = 0
    """Nesting of tag bodies rendered as Markdown (a tag cannot include itself forever)."""
    images: Mapping[str, BodyImage] = field(default_factory=dict)
    """Processed images by their src as the body writes it."""
    seen_images: list[str] = field(default_factory=list)
    """The srcs of the body's own images (no other host's), in order: what it depends on."""

    def warn(self, line: int, message: str) -> None:
        self.problems.append((line, message, "warning"))
