"""`newsgen import wordpress EXPORT.xml [SITE]`: a WordPress export (WXR) → articles and pages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from newsgen.errors import BuildFailed, ContentError
from newsgen.importers.autop import captions_to_figures, find_shortcodes, wpautop
from newsgen.importers.files import read_export, tag_lines
from newsgen.importers.report import ImportReport, Tally
from newsgen.importers.text import link_path, plain_text
from newsgen.importers.write import Item, Writer
from newsgen.urls import is_valid_slug, slugify

# The wp: and excerpt: namespaces carry the WXR version (1.0, 1.1, 1.2), so match the family.
_PREFIXES = (
    (re.compile(r"^https?://wordpress\.org/export/[\d.]+/excerpt/$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/[\d.]+/$"), "wp"),
    (re.compile(r"^http://purl\.org/rss/1\.0/modules/content/$"), "content"),
    (re.compile(r"^http://purl\.org/dc/elements/1\.1/$"), "dc"),
)
_ATOM = "http://www.w3.org/2005/Atom"
_DRAFT_STATUSES = frozenset({"draft", "pending", "private", "future"})
_SKIPPED_STATUSES = {"trash": "trashed item", "auto-draft": "auto-draft"}
_NOT_IMPORTED = {"attachment": "attachment", "nav_menu_item": "menu item"}
_UNCATEGORIZED = "uncategorized"
_WP_TIME = "%Y-%m-%d %H:%M:%S"


def _name(tag: str) -> str:
    """'{namespace}local' → 'prefix:local' for the WXR namespaces, 'local' for plain RSS."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    for pattern, prefix in _PREFIXES:
        if pattern.match(namespace):
            return f"{prefix}:{local}"
    return f"{{{namespace}}}{local}"


@dataclass(frozen=True, slots=True)
class _Entry:
    """One <item> of the export: its fields by prefixed name, categories and comments."""

    fields: dict[str, str]
    terms: tuple[tuple[str, str, str], ...]
    """(domain, nicename, name) of each <category>."""
    comments: int
    line: int | None
    """Line of the <item> in the export, when the scan could place it."""

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def _entry(element: ET.Element, line: int | None) -> _Entry:
    fields: dict[str, str] = {}
    terms = []
    comments = 0
    for child in element:
        name = _name(child.tag)
        if name == "category":
            domain, nicename = child.get("domain", ""), child.get("nicename", "")
            terms.append((domain, nicename, plain_text(child.text or "")))
        elif name == "wp:comment":
            comments += 1
        else:
            fields.setdefault(name, child.text or "")
    return _Entry(fields, tuple(terms), comments, line)


def _parse(data: bytes, file: Path) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        line = e.position[0] if e.position else None
        problem = re.sub(r": line \d+, column \d+$", "", str(e))
        message = f"not a valid WordPress export: {problem}"
        raise BuildFailed([ContentError(str(file), line, message)]) from None


def _not_wxr(root: ET.Element, data: bytes, file: Path) -> BuildFailed:
    """The error for well-formed XML that is no WordPress export, saying what it is."""
    line = next((found[1] for found in tag_lines(data, None)), None)
    name = _name(root.tag)
    if name == "rss":
        items = len(root.findall("channel/item"))
        what = f"an RSS feed with {items} item{'s' if items != 1 else ''} but no wp: elements"
        hint = f"; to import a feed, run: newsgen import feed {file}"
    elif root.tag == f"{{{_ATOM}}}feed":
        what, hint = "an Atom feed", f"; to import it, run: newsgen import feed {file}"
    else:
        local = root.tag.rsplit("}", 1)[-1]
        what, hint = f"an XML document whose root element is <{local}>", ""
    message = (
        f"not a WordPress export: found {what}, where an export (WXR) is RSS with wp: elements"
        + hint
    )
    return BuildFailed([ContentError(str(file), line, message)])


def _is_wxr(root: ET.Element) -> bool:
    return _name(root.tag) == "rss" and any(_name(e.tag).startswith("wp:") for e in root.iter())


def _entries(root: ET.Element, data: bytes) -> Iterator[_Entry]:
    items = root.findall("channel/item")
    lines = [line for _, line in tag_lines(data, (b"item",))]
    if len(lines) != len(items):  # the scan was fooled (say, a UTF-16 file): no lines then
        lines = [None] * len(items)  # type: ignore[list-item]
    for element, line in zip(items, lines, strict=True):
        yield _entry(element, line)


def _authors(root: ET.Element) -> dict[str, str]:
    """Login → display name, from the export's <wp:author> entries."""
    names = {}
    for element in root.iterfind("channel/*"):
        if _name(element.tag) == "wp:author":
            entry = _entry(element, None)
            login = entry.get("wp:author_login")
            if login:
                names[login] = plain_text(entry.get("wp:author_display_name")) or login
    return names


def _base_path(root: ET.Element) -> str:
    """The old blog's path (a blog at example.org/blog/ has '/blog/'), so aliases are relative."""
    for element in root.iterfind("channel/*"):
        if _name(element.tag) == "wp:base_blog_url":
            path = urlsplit((element.text or "").strip()).path
            return "/" + path.strip("/") + "/" if path.strip("/") else "/"
    return "/"


def _when(entry: _Entry, tz: ZoneInfo) -> datetime | None:
    """post_date_gmt (UTC) when WordPress set it, else post_date in the site's zone."""
    for key, zone in (
        ("wp:post_date_gmt", UTC),
        ("wp:post_date", tz),
        ("wp:post_modified_gmt", UTC),
        ("wp:post_modified", tz),
    ):
        try:  # drafts carry '0000-00-00 00:00:00', which strptime refuses like any bad date
            return datetime.strptime(entry.get(key), _WP_TIME).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def _slug(entry: _Entry, title: str, post_id: str) -> str:
    name = unquote(entry.get("wp:post_name"))
    if name:
        return name if is_valid_slug(name) else slugify(name)
    return slugify(title) if title else f"untitled-{post_id}"


def _terms(entry: _Entry, domain: str) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for term_domain, nicename, name in entry.terms:
        if term_domain != domain or not name:
            continue
        if domain == "category" and _UNCATEGORIZED in (nicename, name.casefold()):
            continue
        names.setdefault(name.casefold(), name)
    return tuple(names.values())


@dataclass
class _Import:
    """One run over an export: the reading state and what happened."""

    file: Path
    writer: Writer
    tally: Tally
    authors: dict[str, str]
    base_path: str

    def where(self, entry: _Entry) -> tuple[str, int | None]:
        return str(self.file), entry.line

    def item(self, entry: _Entry, page: bool) -> None:
        status = entry.get("wp:status")
        post_id = entry.get("wp:post_id")
        draft = status != "publish"
        if draft and status not in _DRAFT_STATUSES:
            self.tally.warn(*self.where(entry), f"unknown status {status!r}: imported as a draft")
        if not draft and entry.get("wp:post_password"):
            message = f"post {post_id} is password-protected: imported as a draft"
            self.tally.warn(*self.where(entry), message)
            draft = True
        date = _when(entry, self.writer.config.tz)
        if date is None:
            self.tally.warn(*self.where(entry), f"post {post_id} has no date: not imported")
            self.tally.skipped["item without a date"] += 1
            return
        title = plain_text(entry.get("title"))
        slug = _slug(entry, title, post_id)
        aliases: tuple[str, ...] = ()
        link = entry.get("link")
        path = link_path(link, self.base_path) if link else None
        if path:
            aliases = (path,)
        elif link and urlsplit(link).query and not draft:
            self.tally.no_alias += 1  # a draft's ?p= link was never public: no loss
        body = entry.fields.get("content:encoded", "")
        body = captions_to_figures(body)
        if "<!-- wp:" not in body:  # WordPress skips wpautop for block-editor content too
            body = wpautop(body)
        login = entry.get("dc:creator")
        item = Item(
            title=title or "Untitled",
            date=date,
            slug=slug,
            body_html=body,
            authors=(self.authors.get(login, login),) if login else (),
            tags=() if page else _terms(entry, "post_tag"),
            categories=() if page else _terms(entry, "category"),
            summary=plain_text(entry.get("excerpt:encoded")) or None,
            aliases=aliases,
            draft=draft,
            page=page,
            extra=(("wordpress_id", int(post_id)),) if post_id.isdigit() else (),
        )
        written = self.writer.write(item, f"{slug}-{post_id}" if post_id else f"{slug}-2")
        if written:
            self.report_shortcodes(*written)

    def report_shortcodes(self, rel: PurePosixPath, text: str) -> None:
        for name, offset in find_shortcodes(text):
            line = text.count("\n", 0, offset) + 1
            message = f"WordPress shortcode [{name}] left as it is: replace it by hand"
            self.tally.warn(self.writer.shown(rel), line, message)


def import_wordpress(file: Path, site_root: Path) -> ImportReport:
    """Write each post and page of a WordPress export into SITE as a new .html source file."""
    file, site_root = Path(file), Path(site_root)
    data, config = read_export(file, site_root)
    root = _parse(data, file)
    if not _is_wxr(root):
        raise _not_wxr(root, data, file)
    tally = Tally(site_root)
    run = _Import(file, Writer(site_root, config, tally), tally, _authors(root), _base_path(root))
    for entry in _entries(root, data):
        tally.not_imported["comment"] += entry.comments
        post_type = entry.get("wp:post_type") or "post"
        status = entry.get("wp:status")
        if status in _SKIPPED_STATUSES:
            tally.skipped[_SKIPPED_STATUSES[status]] += 1
        elif post_type in ("post", "page"):
            run.item(entry, page=post_type == "page")
        else:
            tally.not_imported[_NOT_IMPORTED.get(post_type, f"'{post_type}' item")] += 1
    return tally.freeze(first=("attachment", "menu item"), last=("comment",))
