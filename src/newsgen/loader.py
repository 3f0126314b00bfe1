"""Article files → Article models. Reads files; knows nothing of the site around them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from newsgen.errors import BuildFailed, ContentError
from newsgen.fsutil import iter_files
from newsgen.markup import markdown_to_html, shorten, txt_to_html
from newsgen.models import Article, SiteConfig, Tag
from newsgen.urls import (
    DATE_PREFIX_RE,
    expand_permalink,
    is_valid_slug,
    slugify,
    strip_date_prefix,
    tag_key,
)
from newsgen.yamlio import decode_utf8, parse_mapping

ARTICLES_DIR = "articles"
SUFFIXES = (".md", ".txt")
KNOWN_KEYS = frozenset(
    {"title", "date", "tags", "author", "authors", "summary", "slug", "draft", "updated", "image"}
)
_FENCE = re.compile(r"^---[ \t]*$")
# C0 controls other than tab/newline/CR, DEL, C1 controls and noncharacters: not allowed
# in XML (the feeds would fail) and errors in HTML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def discover(site_root: Path) -> list[Path]:
    """Every article file under SITE/articles, sorted; hidden and editor files skipped."""
    root = site_root / ARTICLES_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in iter_files(root) if p.suffix.lower() in SUFFIXES and p.is_file())


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The front matter of one file, split from its body."""

    meta: dict[str, Any]
    lines: dict[str, int]
    """File line of each key."""
    body: str
    body_line: int
    """File line where the body starts."""


def split_front_matter(text: str, path: PurePosixPath) -> FrontMatter:
    """Split `---` YAML `---` from the body; a file must open with its front matter."""
    lines = text.split("\n")
    if not _FENCE.match(lines[0].rstrip("\r")):
        raise ContentError(
            path, 1, "missing front matter: the file must start with a '---' line (title, date)"
        )
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index].rstrip("\r")):
            yaml_text = "\n".join(lines[1:index])
            meta, key_lines = parse_mapping(yaml_text, path, 2, "front matter")
            return FrontMatter(meta, key_lines, "\n".join(lines[index + 1 :]), index + 2)
    raise ContentError(path, 1, "front matter opened on line 1 is never closed with '---'")


def parse_datetime(value: Any, tz: ZoneInfo) -> datetime | None:
    """YAML date, datetime or ISO 8601 string → aware datetime; None if it is none of those."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tz)
    return None


def _string_list(value: Any, key: str) -> tuple[str, ...]:
    """A list of names, or one comma-separated string of them."""
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    elif value is None:
        items = []
    else:
        raise ValueError(f"'{key}' must be a list or a comma-separated string")
    names = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ValueError(f"'{key}' entries must be plain names, not lists or mappings")
        name = " ".join(str(item).split())
        if name:
            names.append(name)
    return tuple(names)


class _Fields:
    """Coerces one file's front matter, collecting every problem rather than stopping at one."""

    def __init__(self, path: PurePosixPath, fm: FrontMatter) -> None:
        self.path, self.fm = path, fm
        self.errors: list[ContentError] = []

    def error(self, key: str | None, message: str) -> None:
        line = self.fm.lines.get(key, 1) if key else 1
        self.errors.append(ContentError(self.path, line, message))

    def string(self, key: str) -> str | None:
        value = self.fm.meta.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be a string (put it in quotes)")
            return None
        return value

    def when(self, key: str, tz: ZoneInfo) -> datetime | None:
        value = self.fm.meta.get(key)
        if value is None:
            return None
        parsed = parse_datetime(value, tz)
        if parsed is None:
            self.error(key, f"'{key}' is not a valid date: {value!r} (use e.g. 2025-09-03 10:00)")
        return parsed


def parse_article(text: str, path: PurePosixPath, config: SiteConfig) -> Article:
    """Parse one article's text; raise BuildFailed with every problem found in it."""
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        message = (
            f"contains {code}, a control character or noncharacter pages and feeds cannot carry"
        )
        raise BuildFailed([ContentError(path, line, message)])
    try:
        fm = split_front_matter(text, path)
    except ContentError as e:
        raise BuildFailed([e]) from None
    f = _Fields(path, fm)
    tz = config.tz
    meta = fm.meta

    title = meta.get("title")
    if "title" not in meta:
        f.error(None, "missing 'title' in front matter")
    elif not isinstance(title, str) or not title.strip():
        f.error("title", "'title' must be a non-empty string (put it in quotes)")
        title = None

    stem = PurePosixPath(path.name).stem
    published = f.when("date", tz)
    if meta.get("date") is None:  # absent or empty: the file name may still date it
        match = DATE_PREFIX_RE.match(stem)
        if match:
            published = parse_datetime("-".join(match.groups()), tz)
            if published is None:
                f.error(None, f"the file name's date prefix {match.group(0)!r} is not a valid date")
        elif "date" in meta:
            f.error("date", "'date' is empty (give a date such as 2025-09-03 10:00)")
        else:
            f.error(None, "missing 'date' in front matter (or a YYYY-MM-DD- file name prefix)")
    updated = f.when("updated", tz)
    for key, value in (("date", published), ("updated", updated)):
        try:  # every later step converts to UTC or the site zone: fail here, at the line
            if value is not None:
                value.astimezone(UTC), value.astimezone(tz)
        except (OverflowError, ValueError):
            f.error(key, f"'{key}' is out of range: {meta.get(key)!r}")
            published = None if key == "date" else published

    slug = f.string("slug")
    if slug is not None and not is_valid_slug(slug):
        f.error("slug", f"'slug' must be lowercase letters, digits and hyphens, not {slug!r}")
        slug = None
    elif meta.get("slug") is None:  # absent or empty: from the file name
        slug = slugify(strip_date_prefix(stem))

    tags: tuple[Tag, ...] = ()
    authors: tuple[str, ...] = (config.author,) if config.author else ()
    try:
        seen: dict[str, Tag] = {}
        for name in _string_list(meta.get("tags"), "tags"):
            key = tag_key(name)
            seen.setdefault(key, Tag(key, name, slugify(name)))
        tags = tuple(seen.values())
    except ValueError as e:
        f.error("tags", str(e))
    if "author" in meta and "authors" in meta:
        f.error("authors", "use either 'author' or 'authors', not both")
    for key in ("author", "authors"):
        value = meta.get(key)
        if value is not None:
            try:
                # One `author` string is one name, commas and all; `authors` may be a list.
                authors = _string_list([value] if isinstance(value, str) else value, key)
            except ValueError as e:
                f.error(key, str(e))

    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        f.error("draft", "'draft' must be true or false")
        draft = False
    summary = f.string("summary")
    image = f.string("image")

    if f.errors or title is None or published is None or slug is None:
        raise BuildFailed(f.errors or [ContentError(path, None, "cannot be read as an article")])

    if path.suffix.lower() == ".txt":
        body_html, first = txt_to_html(fm.body)
    else:
        body_html, first = markdown_to_html(fm.body, html=config.markdown_html)
    local = published.astimezone(tz)
    extra = {k: v for k, v in meta.items() if k not in KNOWN_KEYS}
    return Article(
        source=path,
        title=title.strip(),
        date=published,
        slug=slug,
        url=expand_permalink(config.permalink, local, slug),
        body_html=body_html,
        summary=" ".join(summary.split()) if summary is not None else shorten(first),
        tags=tags,
        authors=authors,
        draft=draft,
        updated=updated,
        image=image,
        extra=MappingProxyType(extra),
    )


def load_article(path: Path, site_root: Path, config: SiteConfig) -> Article:
    """Read and parse one article file; raise BuildFailed with its problems."""
    rel = PurePosixPath(path.relative_to(site_root).as_posix())
    try:
        text = decode_utf8(path.read_bytes(), rel)
    except ContentError as e:
        raise BuildFailed([e]) from None
    except OSError as e:
        raise BuildFailed([ContentError(rel, None, f"cannot be read: {e.strerror}")]) from None
    return parse_article(text, rel, config)


def load_articles(site_root: Path, config: SiteConfig) -> tuple[list[Article], list[ContentError]]:
    """Every article that parses, and every problem of those that do not."""
    articles: list[Article] = []
    errors: list[ContentError] = []
    for path in discover(site_root):
        try:
            articles.append(load_article(path, site_root, config))
        except BuildFailed as failed:
            errors.extend(failed.errors)
    return articles, errors
