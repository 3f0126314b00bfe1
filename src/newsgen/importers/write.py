"""One imported item → the text of a source file, and writing it without overwriting anything."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from newsgen.discover import ARTICLE_SUFFIXES
from newsgen.fsutil import ARTICLES_DIR, PAGES_DIR
from newsgen.importers.report import Tally
from newsgen.importers.text import drop_controls, find_controls
from newsgen.models import SiteConfig
from newsgen.scaffold import write_new_file, yaml_string
from newsgen.urls import expand_permalink


@dataclass(frozen=True, slots=True)
class Item:
    """An article or page read from an export, in newsgen's terms, not yet written."""

    title: str
    date: datetime
    """Publication time, tz-aware."""
    slug: str
    body_html: str
    """The body as HTML, as it will follow the front matter."""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    summary: str | None = None
    """Plain text, or None to let newsgen take the first paragraph."""
    aliases: tuple[str, ...] = ()
    """Old URL paths ('/2011/05/03/my-post/') that should redirect to the item."""
    draft: bool = False
    updated: datetime | None = None
    page: bool = False
    """A page (pages/slug.html) rather than a dated article."""
    extra: tuple[tuple[str, int | str], ...] = ()
    """Further front-matter keys, kept by newsgen as extra fields ('wordpress_id', 42)."""


def _yaml_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(yaml_string(v) for v in values) + "]"


def source_path(item: Item, tz: ZoneInfo) -> PurePosixPath:
    """articles/YYYY/YYYY-MM-DD-slug.html (dated in the site's zone) or pages/slug.html."""
    if item.page:
        return PurePosixPath(PAGES_DIR, f"{item.slug}.html")
    local = item.date.astimezone(tz)
    return PurePosixPath(ARTICLES_DIR, f"{local:%Y}", f"{local:%Y-%m-%d}-{item.slug}.html")


def source_text(item: Item, tz: ZoneInfo) -> str:
    """Front matter between `---` lines, every string quoted, then the HTML body."""
    lines = [f"title: {yaml_string(item.title)}"]
    lines.append(f"date: {item.date.astimezone(tz).isoformat()}")
    if item.updated is not None:
        lines.append(f"updated: {item.updated.astimezone(tz).isoformat()}")
    if len(item.authors) == 1:
        lines.append(f"author: {yaml_string(item.authors[0])}")
    elif item.authors:
        lines.append(f"authors: {_yaml_list(item.authors)}")
    if item.tags:
        lines.append(f"tags: {_yaml_list(item.tags)}")
    if item.categories:
        lines.append(f"categories: {_yaml_list(item.categories)}")
    if item.summary:
        lines.append(f"summary: {yaml_string(item.summary)}")
    lines.append(f"slug: {yaml_string(item.slug)}")
    if item.aliases:
        lines.append(f"aliases: {_yaml_list(item.aliases)}")
    if item.draft:
        lines.append("draft: true")
    for key, value in item.extra:
        lines.append(f"{key}: {value if isinstance(value, int) else yaml_string(value)}")
    body = item.body_html.strip("\n")
    return "---\n" + "\n".join(lines) + "\n---\n" + (body + "\n" if body else "")


def _cleaned(item: Item) -> tuple[Item, list[str]]:
    """ITEM without the control characters pages cannot carry, and the codes dropped."""
    texts = [item.title, item.slug, item.body_html, item.summary or "", *item.authors]
    texts += [*item.tags, *item.categories, *item.aliases]
    codes = find_controls("".join(texts))
    if not codes:
        return item, []

    def drop(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v for v in map(drop_controls, values) if v.strip())

    return replace(
        item,
        title=drop_controls(item.title),
        body_html=drop_controls(item.body_html),
        summary=drop_controls(item.summary) if item.summary else item.summary,
        authors=drop(item.authors),
        tags=drop(item.tags),
        categories=drop(item.categories),
        aliases=drop(item.aliases),
    ), codes


def own_url(item: Item, config: SiteConfig) -> str:
    """Where newsgen will publish the item, relative to base_url."""
    if item.page:
        return f"{item.slug}/"
    return expand_permalink(config.permalink, item.date.astimezone(config.tz), item.slug)


class Writer:
    """Writes items into one site; the first item to claim a file name keeps it.

    Claims are made in export order, so every run maps each item to the same file: a
    second run finds every file already there and writes nothing.
    """

    def __init__(self, site_root: Path, config: SiteConfig, tally: Tally) -> None:
        self.site_root, self.config, self.tally = site_root, config, tally
        self.claimed: set[PurePosixPath] = set()

    def write(self, item: Item, fallback_slug: str) -> tuple[PurePosixPath, str] | None:
        """Write ITEM as a new source file; return its path and text, None if already there.

        A file name claimed earlier in this run falls back to FALLBACK_SLUG. An alias that
        is the item's own new URL is dropped: it needs no redirect, and would collide.
        """
        tz = self.config.tz
        rel = source_path(item, tz)
        if rel in self.claimed:
            item = replace(item, slug=fallback_slug)
            rel = source_path(item, tz)
        other = self._same_page(rel) if item.page else None
        renamed = ""
        if other is not None:
            # `newsgen init` writes pages/about.md, and nearly every WordPress site has an
            # About page: both at /about/ would fail the next build.
            taken = own_url(item, self.config)
            kept = tuple(a for a in item.aliases if a.strip("/") != taken.strip("/"))
            item = replace(item, slug=f"{item.slug}-imported", aliases=kept)
            rel = source_path(item, tz)
            renamed = (
                f"{other} already has the URL /{taken}; this page is written as {rel.name},"
                " without that old URL (delete one of the two and rename the other)"
            )
        self.claimed.add(rel)
        item, codes = _cleaned(item)
        url = own_url(item, self.config)
        item = replace(item, aliases=tuple(a for a in item.aliases if a.lstrip("/") != url))
        text = source_text(item, tz)
        if not write_new_file(self.site_root / rel, text):
            self.tally.already_there += 1
            return None
        self.tally.written.append(rel)
        if renamed:
            self.tally.warn(self.shown(rel), None, renamed)
        if item.page:
            self.tally.pages += 1
            self.tally.page_drafts += item.draft
        else:
            self.tally.articles += 1
            self.tally.drafts += item.draft
        if codes:
            message = f"dropped control characters {', '.join(codes)} that pages cannot carry"
            self.tally.warn(self.shown(rel), None, message)
        return rel, text

    def _same_page(self, rel: PurePosixPath) -> PurePosixPath | None:
        """Another file in pages/ with REL's name and another suffix (so the same URL)."""
        folder = self.site_root / rel.parent
        for suffix in ARTICLE_SUFFIXES:
            candidate = rel.with_suffix(suffix)
            if candidate != rel and (folder / candidate.name).is_file():
                return candidate
        return None

    def shown(self, rel: PurePosixPath) -> str:
        """A source file as warnings name it: under the site directory the user gave."""
        return str(self.site_root / rel)
