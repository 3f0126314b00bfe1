"""`newsgen import feed FILE.xml [SITE]`: the entries of an RSS or Atom file → articles.

An old site's feed is often the only copy of it that survives. feedparser reads every
RSS and Atom dialect and date format, and sanitizes the HTML it hands back.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from time import struct_time
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser

from newsgen.errors import BuildFailed, ContentError
from newsgen.importers.autop import wpautop
from newsgen.importers.files import read_export, tag_lines
from newsgen.importers.report import ImportReport, Tally
from newsgen.importers.text import last_segment, link_path, plain_text
from newsgen.importers.write import Item, Writer
from newsgen.urls import is_valid_slug, slugify

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _datetime(value: struct_time | None) -> datetime | None:
    """feedparser's parsed dates are UTC."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _text(detail: Any, value: str) -> str:
    """A title or name as plain text: feedparser hands back HTML for type="html"."""
    if detail and detail.get("type") in _HTML_TYPES:
        return plain_text(value)
    return " ".join(value.split())


def _body(entry: Any) -> tuple[str, str | None]:
    """The body HTML and the plain-text summary (only when a full content exists too)."""
    contents = entry.get("content") or []
    content = next((c for c in contents if c.get("type") in _HTML_TYPES), None)
    content = content or (contents[0] if contents else None)
    summary_html = entry.get("summary") or ""
    summary_type = (entry.get("summary_detail") or {}).get("type", "text/html")
    if content is None:
        return _as_html(summary_html, summary_type), None
    body = _as_html(content.get("value") or "", content.get("type", "text/html"))
    # feedparser copies a lone content into summary: that is no summary of its own.
    own = summary_html.strip() and summary_html.strip() != (content.get("value") or "").strip()
    summary = _text({"type": summary_type}, summary_html) if own else None
    return body, summary or None


def _as_html(value: str, kind: str) -> str:
    if kind in _HTML_TYPES:
        return value
    return wpautop(escape(value, quote=False))  # plain text: paragraphs from blank lines


# RSS's <author>email (Name)</author>; feedparser splits it wrongly for long top-level
# domains ('desk@quay.example (Jane)' gives the name 'ple (Jane'), so read it here.
_RSS_AUTHOR = re.compile(r"^\s*[^\s@()]+@[^\s()]+\s*\((.+)\)\s*$")


def _authors(entry: Any) -> tuple[str, ...]:
    rss_form = _RSS_AUTHOR.match(entry.get("author") or "")
    if rss_form and len(entry.get("authors") or []) <= 1:
        return (" ".join(rss_form.group(1).split()),)
    names = [_text(a, a.get("name") or "") for a in entry.get("authors") or []]
    return tuple(dict.fromkeys(n for n in names if n))


def _entry_name(entry: Any, index: int) -> str:
    title = _text(entry.get("title_detail"), entry.get("title") or "")
    if title:
        return repr(title)
    return entry.get("id") or entry.get("link") or f"number {index + 1}"


def _slug(link: str, title: str, key: str) -> str:
    """The old link's last segment (its URL is kept), else the title, else a stable hash."""
    parts = urlsplit(link)
    if parts.scheme in ("http", "https") and not parts.query:
        segment = unquote(last_segment(parts.path))
        if segment:
            return segment if is_valid_slug(segment) else slugify(segment)
    if title:
        return slugify(title)
    return f"untitled-{_short_hash(key)}"


def _xml_problem(data: bytes) -> tuple[int | None, str]:
    """Where and why DATA is not well-formed XML, or (None, '') if it is.

    feedparser's own line is off by one when it has added an XML declaration.
    """
    try:
        ET.fromstring(data)
    except ET.ParseError as e:
        return (e.position[0] if e.position else None), re.sub(r": line \d+.*$", "", str(e))
    return None, ""


def _parse(data: bytes, file: Path, tally: Tally) -> Any:
    parsed = feedparser.parse(data)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    line, reason = _xml_problem(data) if problem else (None, "")
    if problem and not reason:  # well-formed, yet feedparser objects (say, to the encoding)
        reason = problem.getMessage() if hasattr(problem, "getMessage") else str(problem)
    if not parsed.entries:
        if problem:
            message = f"not a valid feed: {reason}"
        elif parsed.get("version"):
            message = "the feed has no entries to import"
        else:
            message = "not an RSS or Atom feed: no channel items or entries found"
        raise BuildFailed([ContentError(str(file), line, message)])
    if problem:
        count = len(parsed.entries)
        message = (
            f"the feed is not well-formed ({reason}); imported the {count}"
            f" entr{'y' if count == 1 else 'ies'} that could be read: check them"
        )
        tally.warn(file, line, message)
    if any("wordpress.org/export/" in uri for uri in parsed.get("namespaces", {}).values()):
        message = (
            "this is a WordPress export: newsgen import wordpress also imports its drafts"
            " and pages, and keeps categories and authors' display names"
        )
        tally.warn(file, None, message)
    return parsed


def _item(entry: Any, date: datetime, updated: datetime | None, key: str) -> Item:
    """An entry in newsgen's terms: its link's path is kept as an alias."""
    title = _text(entry.get("title_detail"), entry.get("title") or "")
    link = entry.get("link") or ""
    alias = link_path(link)
    body, summary = _body(entry)
    tags: dict[str, str] = {}
    for tag in entry.get("tags") or []:
        term = " ".join((tag.get("term") or "").split())
        if term:
            tags.setdefault(term.casefold(), term)
    return Item(
        title=title or "Untitled",
        date=date,
        slug=_slug(link, title, key),
        body_html=body,
        authors=_authors(entry),
        tags=tuple(tags.values()),
        summary=summary,
        aliases=(alias,) if alias else (),
        updated=updated if updated and updated != date else None,
    )


def import_feed(file: Path, site_root: Path) -> ImportReport:
    """Write each entry of an RSS or Atom file into SITE as a new .html article."""
    file, site_root = Path(file), Path(site_root)
    data, config = read_export(file, site_root)
    tally = Tally(site_root)
    parsed = _parse(data, file, tally)
    writer = Writer(site_root, config, tally)
    feed = parsed.get("feed", {})
    feed_date = _datetime(feed.get("updated_parsed")) or _datetime(feed.get("published_parsed"))
    lines = [line for _, line in tag_lines(data, (b"item", b"entry"))]
    if len(lines) != len(parsed.entries):  # the scan was fooled: no lines then
        lines = []
    for index, entry in enumerate(parsed.entries):
        where = (file, lines[index] if lines else None)
        updated = _datetime(entry.get("updated_parsed"))
        date = _datetime(entry.get("published_parsed")) or updated
        if date is None:
            name = _entry_name(entry, index)
            if feed_date is None:
                tally.warn(*where, f"entry {name} has no date, nor has the feed: not imported")
                tally.skipped["entry without a date"] += 1
                continue
            tally.warn(*where, f"entry {name} has no date: dated with the feed's date")
            date = feed_date
        link = entry.get("link") or ""
        if link_path(link) is None and urlsplit(link).query:
            tally.no_alias += 1
        key = entry.get("id") or link or (entry.get("summary") or "") + date.isoformat()
        item = _item(entry, date, updated, key)
        writer.write(item, f"{item.slug}-{_short_hash(key)}")
    return tally.freeze()
