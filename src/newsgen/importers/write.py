"""One imported item → the text of a source file, and writing it without overwriting anything."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from newsgen.discover import ARTICLE_SUFFIXES
from newsgen.errors import NewsgenError
from newsgen.fsutil import ARTICLES_DIR, PAGES_DIR
from newsgen.importers.report import Tally
from newsgen.importers.text import drop_controls, find_controls
from newsgen.models import SiteConfig
from newsgen.scaffold import outside_site, write_new_file, yaml_string
from newsgen.urls import (
    ARCHIVE_URL,
    AUTHORS_URL,
    FEED_FILES,
    NAME_BYTES,
    NEWS_SITEMAP_URL,
    REDIRECTS_URL,
    ROBOTS_URL,
    SEARCH_URL,
    SITEMAP_INDEX_URL,
    SITEMAP_URL,
    TAGS_URL,
    alias_url,
    expand_permalink,
    redirect_output,
)


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


_GENERATED_FOLDERS = {
    TAGS_URL: "the tag pages",
    AUTHORS_URL: "the author pages",
    ARCHIVE_URL: "the archive",
    SEARCH_URL: "the search page",
    "pagefind/": "the search index",
    "static/": "the static files",  # with static_url: /static/ (and before it)
    "theme/": "the theme's files",
    "page/": "the front page's later pages",
}
_GENERATED_FILES = {
    "index.html": "the front page",
    "404.html": "the 404 page",
    SITEMAP_URL: "the sitemap",
    SITEMAP_INDEX_URL: "the sitemap index",
    NEWS_SITEMAP_URL: "the news sitemap",
    ROBOTS_URL: "robots.txt",
    REDIRECTS_URL: "the redirects file",
} | {name: "the site's feed" for name in FEED_FILES.values()}
_DATE_ARCHIVE = re.compile(r"\d{4}/(?:\d{2}/)?(?:page/\d+/)?index\.html")


def generated_page(url: str) -> str | None:
    """What newsgen itself publishes at URL (relative to base_url), or None: the tag, author,
    search and archive pages, a year or month, the feeds. An import must keep clear of them."""
    output = redirect_output(url) if url else "index.html"
    first = output.partition("/")[0]
    if first + "/" in _GENERATED_FOLDERS:
        return _GENERATED_FOLDERS[first + "/"]
    if output in _GENERATED_FILES or first in _GENERATED_FILES:  # 'feed.xml/index.html'
        return _GENERATED_FILES.get(output) or _GENERATED_FILES[first]
    if _DATE_ARCHIVE.fullmatch(output):
        return "a date archive page"
    return None


def unusable_alias(alias: str, config: SiteConfig) -> str | None:
    """Why ALIAS (an old link's path) cannot be kept as a redirect, or None when it can."""
    url = alias_url(alias, config.base_url)
    if url is None:
        return "it does not lead to a page inside the site (it has '..' or odd characters)"
    if any(len(part.encode("utf-8", "surrogatepass")) > NAME_BYTES for part in url.split("/")):
        return f"a part of it is longer than the {NAME_BYTES} bytes a file name may have"
    made = generated_page(url)
    if made is not None:
        return f"newsgen publishes {made} there"
    return None


def own_url(item: Item, config: SiteConfig) -> str | None:
    """Where newsgen will publish the item, relative to base_url; None when the importer
    cannot know (the URL depends on the file's folder or section: `{path}`, `{section}`,
    `{categories}`, `permalinks`), so an old link is never dropped on a guess."""
    if item.page:
        return f"{item.slug}/"
    pattern = config.permalink
    if config.permalinks or any(
        f"{{{name}}}" in pattern for name in ("path", "section", "categories")
    ):
        return None
    return expand_permalink(pattern, item.date.astimezone(config.tz), item.slug)


class Writer:
    """Writes items into one site; the first item to claim a file name keeps it.

    Claims are made in export order, so every run maps each item to the same file: a
    second run finds every file already there (the same post: same text, or the same
    identity lines, such as `wordpress_id`) and writes nothing. A file name taken by
    another post moves the item to the next free name.
    """

    def __init__(self, site_root: Path, config: SiteConfig, tally: Tally) -> None:
        self.site_root, self.config, self.tally = site_root, config, tally
        self.claimed: set[PurePosixPath] = set()
        self.redirects: dict[str, PurePosixPath] = {}
        """Old links kept as aliases in this run, and the file that keeps each."""

    def write(self, item: Item, fallback_slug: str) -> tuple[PurePosixPath, str] | None:
        """Write ITEM as a new source file; return its path and text, None if already there.

        A file name claimed earlier in this run, or taken on disk by another post, falls back
        to FALLBACK_SLUG (then FALLBACK_SLUG-2, -3, …). An alias that is the item's own new
        URL is dropped: it needs no redirect, and would collide; so is one that newsgen
        cannot publish (a warning says why).
        """
        tz = self.config.tz
        notes: list[str] = []
        url = own_url(item, self.config)
        made = generated_page(url) if url is not None else None
        if made is not None:
            kind = "page" if item.page else "post"
            taken = own_url(item, self.config)
            item = replace(item, slug=f"{item.slug}-{kind}")
            notes.append(
                f"its URL /{taken} is where newsgen publishes {made}: it is written as"
                f" {source_path(item, tz).name}, at /{own_url(item, self.config)}"
            )
        rel = source_path(item, tz)
        other = self._same_page(rel) if item.page else None
        if other is not None:
            # `newsgen init` writes pages/about.md, and nearly every WordPress site has an
            # About page: both at /about/ would fail the next build.
            taken = f"{item.slug}/"  # a page's URL is its slug's
            kept = tuple(a for a in item.aliases if a.strip("/") != taken.strip("/"))
            item = replace(item, slug=f"{item.slug}-imported", aliases=kept)
            notes.append(
                f"{other} already has the URL /{taken}; this page is written as"
                f" {source_path(item, tz).name}, without that old URL (delete one of the two"
                " and rename the other)"
            )
        item, codes = _cleaned(item)
        for candidate in self._candidates(item, fallback_slug):
            rel = source_path(candidate, tz)
            if rel in self.claimed:
                continue
            candidate, dropped = self._usable_aliases(candidate, rel)
            text = source_text(candidate, tz)
            self._refuse_outside(rel)
            if write_new_file(self.site_root / rel, text):
                break
            if self._same_post(rel, candidate, text):
                self.claimed.add(rel)
                self._claim_aliases(candidate, rel)
                self.tally.already_there += 1
                return None
        else:  # pragma: no cover - _candidates never ends
            raise AssertionError("no free file name")
        first = source_path(item, tz)
        if rel.name != first.name:
            notes.append(f"{first.name} is another post's file; this one is written as {rel.name}")
        self.claimed.add(rel)
        self._claim_aliases(candidate, rel)
        self.tally.written.append(rel)
        for note in [*notes, *dropped]:
            self.tally.warn(self.shown(rel), None, note)
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

    def _candidates(self, item: Item, fallback_slug: str) -> Iterator[Item]:
        yield item
        yield replace(item, slug=fallback_slug)
        number = 2
        while True:
            yield replace(item, slug=f"{fallback_slug}-{number}")
            number += 1

    def _usable_aliases(self, item: Item, rel: PurePosixPath) -> tuple[Item, list[str]]:
        """ITEM without the aliases the next build could not publish, and a warning for each
        (its own URL is dropped without one: it needs no redirect)."""
        url = own_url(item, self.config)
        kept: list[str] = []
        warnings: list[str] = []
        for alias in item.aliases:
            if url is not None and alias.lstrip("/") == url:
                continue
            why = unusable_alias(alias, self.config)
            target = alias_url(alias, self.config.base_url)
            holder = self.redirects.get(target or "")
            if why is None and holder is not None and holder != rel:
                why = f"{holder} keeps it already"
            if why is None:
                kept.append(alias)
            else:
                warnings.append(
                    f"the old link {alias} of '{item.title}' is not kept as an alias: {why}"
                )
        return replace(item, aliases=tuple(kept)), warnings

    def _claim_aliases(self, item: Item, rel: PurePosixPath) -> None:
        for alias in item.aliases:
            target = alias_url(alias, self.config.base_url)
            if target is not None:
                self.redirects.setdefault(target, rel)

    def _same_post(self, rel: PurePosixPath, item: Item, text: str) -> bool:
        """Whether the file at REL holds ITEM already: the same text, or (edited since) the
        same identity lines in its front matter (`wordpress_id: 42`; else title and date)."""
        try:
            existing = (self.site_root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        if existing == text:
            return True
        lines = text.split("\n---\n", 1)[0].splitlines()
        if item.extra:
            keys = tuple(f"{key}:" for key, _ in item.extra)
        else:
            keys = ("title:", "date:", "aliases:")
        identity = [line for line in lines if line.startswith(keys)]
        head = existing.split("\n---\n", 1)[0].splitlines()
        return bool(identity) and all(line in head for line in identity)

    def _refuse_outside(self, rel: PurePosixPath) -> None:
        link = outside_site(self.site_root, self.site_root / rel)
        if link is not None:
            raise NewsgenError(
                f"{link} is a symlink that leads outside the site; newsgen import does not write"
                " through it (replace it by a folder, or import into the folder it leads to)"
            )

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
