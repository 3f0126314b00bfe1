"""Front matter of every dialect → newsgen's typed fields, through one table of key aliases.

Jekyll, Hugo, Zola and Pelican name the same things differently (`categories`, `lastmod`,
`redirect_from`, `save_as`). Rather than `if` chains in the loader, `ALIASES` lists, for each
newsgen field, the keys that feed it in order of precedence; docs/articles.md's mapping table is
this table. Keys no field claims stay in `extra` for templates, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from newsgen.errors import ContentError, ContentWarning
from newsgen.sources import FrontMatter
from newsgen.urls import is_file_url, site_path

ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "publishdate", "pubdate", "published", "publish_at"),
    "updated": ("updated", "lastmod", "modified", "last_modified_at"),
    "publish_at": ("publish_at", "publishdate", "pubdate"),
    "expires": ("expires", "expirydate", "unpublishdate"),
    "tags": ("tags", "tag", "taxonomies.tags"),  # `tag`: Jekyll reads it as `tags`
    "categories": ("categories", "category", "taxonomies.categories"),
    "summary": ("summary", "description", "excerpt"),
    "authors": ("authors", "author", "taxonomies.authors"),
    "draft": ("draft", "published", "status"),
    "redirects": ("aliases", "redirect_from"),
    "url": ("url", "permalink", "path", "save_as"),
    "image": ("image", "cover", "featured_image", "images"),
    "image_alt": ("image_alt",),
    "image_caption": ("image_caption",),
    "slug": ("slug",),
    "section": ("section",),
    "menu": ("menu",),
    "weight": ("weight",),
    "corrections": ("corrections",),
}
"""newsgen field ← front-matter keys (lowercase; 'table.key' reaches into a table)."""

CLAIMED = frozenset(k for keys in ALIASES.values() for k in keys if "." not in k)

_DATE = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$"
)
_LEADING_DATE = re.compile(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[Tt ]\d{1,2}:\d{2}(?::\d{2})?)?")
_URL_DATE = re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_datetime(value: Any, tz: ZoneInfo) -> datetime | None:
    """A date, datetime or date string → an aware datetime; None if it is none of those.

    Strings may be ISO 8601 in any usual shape (`2019-5-3`, `2019-05-03 10:00`,
    `2019/05/03`, `2019-05-03 10:00:00 +0200`, a trailing `Z`) or RFC 2822 as feeds and
    mail write them. A value without an offset is read in the site's zone TZ.
    """
    if isinstance(value, str):
        value = parse_date_string(value.strip())
        if value is None:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tz)
    return None


def parse_date_string(text: str) -> datetime | date | None:
    match = _DATE.match(text)
    if match:
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        try:
            if hour is None:
                return date(int(year), int(month), int(day))
            micro = int((fraction or "0")[:6].ljust(6, "0"))
            naive = datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro
            )
        except ValueError:
            return None
        if offset is None:
            return naive
        if offset.upper() in ("Z", "UTC", "GMT"):
            return naive.replace(tzinfo=UTC)
        digits = offset[1:].replace(":", "").ljust(4, "0")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if delta >= timedelta(hours=24):
            return None
        return naive.replace(tzinfo=timezone(-delta if offset[0] == "-" else delta))
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


DATE_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-")
"""A file or bundle name's date, as Jekyll and Zola write it (`2016-7-26-name`)."""


def name_date(name: str, tz: ZoneInfo) -> datetime | bool | None:
    """The date of a YYYY-MM-DD- (or YYYY-M-D-) name prefix; False when there is no prefix,
    None when the prefix is no date."""
    match = DATE_PREFIX.match(name)
    if not match:
        return False
    try:
        return parse_datetime(date(*(int(g) for g in match.groups())), tz)
    except ValueError:
        return None


def date_in_url(url: str) -> date | None:
    """A YYYY/MM/DD inside a URL (some archives keep an article's date only there)."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Written:
    """One entry of `corrections:` as the file gives it: its date read, its text still
    inline Markdown, and the file line it starts on (its messages point there)."""

    date: datetime
    text: str
    line: int
    number: int
    """Its place in the file's list, from 1 ('correction 2' in messages)."""
    day_only: bool = False
    """Written as a day without a time (`2027-03-04`): made some time that day."""


@dataclass(slots=True)
class Fields:
    """One file's front matter, coerced; None where a field is absent or unusable."""

    title: str | None = None
    date: datetime | None = None
    date_given: bool = False
    """A date key is present with a non-empty value (even an unusable one)."""
    updated: datetime | None = None
    publish_at: datetime | None = None
    """An embargo: held back until then (Hugo's publishDate, which is also the date when
    there is no `date`)."""
    expires: datetime | None = None
    """A takedown: not published from then on (Hugo's expiryDate)."""
    tags: tuple[str, ...] = ()
    """Tags and categories together (categories after tags)."""
    categories: tuple[str, ...] = ()
    """Categories alone, for Jekyll's :categories placeholder."""
    category: str | None = None
    """The first name of a singular `category` key (Pelican's `Category:`): a section."""
    authors: tuple[str, ...] | None = None
    summary: str | None = None
    slug: str | None = None
    section: str | None = None
    draft: bool = False
    redirects: tuple[str, ...] = ()
    url: str | None = None
    image: str | None = None
    image_alt: str | None = None
    image_caption: str | None = None
    menu: bool = False
    weight: int = 0
    corrections: tuple[Written, ...] = ()
    """The corrections as written, in the file's order (their text not yet rendered)."""
    extra: dict[str, Any] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)


class _Reader:
    """Looks keys up through ALIASES and reports problems at the key's line."""

    def __init__(self, path: PurePosixPath, fm: FrontMatter) -> None:
        self.path, self.fm = path, fm
        meta = dict(fm.meta)
        tables = meta.get("taxonomies")
        if isinstance(tables, dict):  # Zola keeps tags and categories in [taxonomies]
            for key, value in tables.items():
                meta[f"taxonomies.{str(key).lower()}"] = value
        self.meta = meta
        self.out = Fields()

    def line(self, key: str | None) -> int | None:
        if key is None:
            return 1
        parts = key.split(".")  # 'corrections.0.date', else its entry's line, else its key's
        for end in range(len(parts), 0, -1):
            found = self.fm.lines.get(".".join(parts[:end]))
            if found:
                return found
        return 1

    def error(self, key: str | None, message: str) -> None:
        self.out.errors.append(ContentError(self.path, self.line(key), message))

    def warn(self, key: str | None, message: str) -> None:
        self.out.warnings.append(ContentWarning(self.path, self.line(key), message))

    def first(self, name: str) -> tuple[str, Any] | tuple[None, None]:
        """The first key of field NAME present with a value (not null, not empty)."""
        for key in ALIASES[name]:
            value = self.meta.get(key)
            if value is not None and value != "" and value != []:
                return key, value
        return None, None

    def all_present(self, name: str) -> list[tuple[str, Any]]:
        return [(k, self.meta[k]) for k in ALIASES[name] if self.meta.get(k) not in (None, "")]

    def string(self, name: str) -> str | None:
        key, value = self.first(name)
        if key is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, f"'{key}' must be text (put it in quotes)")
            return None
        return " ".join(str(value).split())


def _linked_people(value: Any) -> Any:
    """Authors written as Markdown links, as Docsy blogs do, become their names.

    "[Ann Lee](https://github.com/ann) (Org), [Bo Park](…)" is two people; their profile
    links and affiliations are not part of the name (docs/articles.md: Other generators' keys).
    """
    if isinstance(value, list | tuple):
        people: list[Any] = []
        for item in value:
            found = _linked_people(item) if isinstance(item, str) else item
            people.extend(found if isinstance(found, list) and found is not item else [found])
        return people
    if isinstance(value, str) and "](" in value:
        linked = [text for text in _MD_LINK.findall(value) if text.strip()]
        return linked or value
    return value


def _names(
    value: Any, key: str, *, split_spaces: bool = False, semicolons: bool = False
) -> tuple[str, ...]:
    """A list of names, or one string of them: comma-separated; Jekyll's categories by
    spaces; Pelican's headers by semicolons when there is one (`Authors: Roe, Jane; Doe, J`).

    A singular `author` string is one person, commas and all ('Ann Lee, Senior Designer'),
    as Hugo, Jekyll and Pelican (`Author:`) read it; only people written as Markdown links
    are several."""
    if "author" in key:
        value = _linked_people(value)
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        value = [value]  # one author object: {name: ..., email: ...}
    if isinstance(value, str) and key == "author":
        value = [value]
    if isinstance(value, str):
        if semicolons and ";" in value:
            items: list[Any] = value.split(";")
        elif "," in value or not split_spaces:
            items = value.split(",")
        else:
            items = value.split()
    elif isinstance(value, list | tuple):
        items = list(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        items = [value]
    else:
        raise ValueError(f"'{key}' must be a list or a comma-separated string")
    names = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            item = item["name"]  # Hugo/Jekyll author objects: {name: ..., email: ...}
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ValueError(f"'{key}' entries must be plain names, not lists or mappings")
        name = " ".join(str(item).split())
        if name:
            names.append(name)
    return tuple(names)


_MD_LINK = re.compile(r"\[([^\[\]]+)\]\([^()\s]*\)")
"""A Markdown inline link, [text](url), as Docsy blogs write authors."""


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return None


def _own_url(value: str, key: str) -> str | None:
    """An article's own URL key → a URL relative to base_url, kept as written; None if unsafe.

    An index file names its folder. A URL without a trailing '/' or a page suffix stays so
    where KEY's generator served it so: Jekyll's `permalink` and Pelican's `save_as` always,
    Hugo's `url` when its last part has a dot ('/blog/name1.18'); elsewhere it is a folder
    (Zola's `path`, Hugo's `url: /about`), as there.
    """
    url = site_path(value)
    if url is None:
        return None
    folder = url.endswith("/")
    url = url.rstrip("/")
    if url.endswith(("/index.html", "/index.htm")) or url in ("index.html", "index.htm"):
        return url.rsplit("index.", 1)[0]
    if not folder and is_file_url(url):
        return url
    if folder or key == "path" or (key == "url" and "." not in url.rsplit("/", 1)[-1]):
        return url + "/"
    return url


def read_fields(
    path: PurePosixPath, fm: FrontMatter, tz: ZoneInfo, named: datetime | None = None
) -> Fields:
    """Coerce one file's front matter; every problem is collected, none stops the others.

    NAMED is the date of the file's name (`2017-11-09-story.md`), which stands in for a date
    that cannot be read, with a warning: Jekyll dates such a post by its name."""
    r = _Reader(path, fm)
    out = r.out

    key, title = r.first("title")
    if key is not None:
        if isinstance(title, bool) or not isinstance(title, str | int | float):
            r.error(key, f"'{key}' must be text (put it in quotes)")
        elif str(title).strip():
            out.title = " ".join(str(title).split())

    for name in ("date", "updated", "publish_at", "expires"):
        for key, value in r.all_present(name):
            if key == "published" and _flag(value) is not None:
                continue  # Jekyll's `published: false` is a draft flag, not a date
            if name == "date" and key == "publish_at" and named is not None:
                continue  # an embargo, not the date the file's name gives
            if name == "date":
                out.date_given = True
            if name in ("publish_at", "expires") and isinstance(value, bool):
                r.error(key, f"'{key}' must be a date and time, such as 2027-01-01 09:00")
                break
            parsed = parse_datetime(value, tz)
            leading = _LEADING_DATE.match(value.strip()) if isinstance(value, str) else None
            if parsed is None and leading and parse_datetime(leading.group(0), tz):
                # Jekyll reads '2023-01-29 18:30:22 2023 -0800' leniently; so do we, aloud.
                parsed = parse_datetime(leading.group(0), tz)
                rest = value.strip()[leading.end() :].strip()
                r.warn(key, f"'{key}' read as {leading.group(0)}; the rest ({rest!r}) is ignored")
            if parsed is None and name == "date" and named is not None:
                parsed = named
                r.warn(
                    key,
                    f"'{key}' cannot be read as a date ({_show(value)}); the date in the file"
                    f" name, {named:%Y-%m-%d}, is used instead (write it year first, such as"
                    f" {named:%Y-%m-%d} or {named:%Y-%m-%d} 10:00, to remove this warning)",
                )
            if parsed is None:
                r.error(
                    key, f"'{key}' is not a valid date: {_show(value)} (use e.g. 2025-09-03 10:00)"
                )
            else:
                try:  # every later step converts to UTC or the site zone: fail here, at the line
                    parsed.astimezone(UTC), parsed.astimezone(tz)
                except (OverflowError, ValueError):
                    r.error(key, f"'{key}' is out of range: {_show(value)}")
                    parsed = None
            setattr(out, name, parsed)
            break

    found: dict[str, list[str]] = {"tags": [], "categories": []}
    jekyll = bool({"_posts", "_drafts"} & set(path.parts))
    for name, names in found.items():
        for key, value in r.all_present(name):
            try:
                # A YAML string without commas is split at spaces as Jekyll splits it:
                # `categories: news update` everywhere, `tags: paas phoenix` in Jekyll's own
                # folders (elsewhere `tags: Town Hall` has always been one tag).
                spaces = fm.dialect == "yaml" and (
                    key == "categories" or (key in ("tags", "tag") and jekyll)
                )
                semi = fm.dialect == "headers"
                given = _names(value, key, split_spaces=spaces, semicolons=semi)
                names.extend(given)
                if key == "category" and given and out.category is None:
                    out.category = given[0]
            except ValueError as e:
                r.error(key, str(e))
    out.tags = (*found["tags"], *found["categories"])
    out.categories = tuple(found["categories"])

    authors: list[str] = []
    present = r.all_present("authors")
    for key, value in present:
        try:
            authors.extend(_names(value, key, semicolons=fm.dialect == "headers"))
        except ValueError as e:
            r.error(key, str(e))
    if present:
        out.authors = tuple(dict.fromkeys(authors))

    out.summary = r.string("summary")
    out.slug = r.string("slug") if r.first("slug")[0] else None
    out.section = r.string("section")

    for key, value in r.all_present("draft"):
        flag = _flag(value)
        if key == "status":
            status = str(value).strip().lower()
            if status in ("draft", "hidden", "private", "pending", "future"):
                out.draft = True
                if status == "hidden":  # Pelican publishes it at its URL, out of listings
                    r.warn(
                        key,
                        "'Status: hidden' is held back as a draft: Pelican published such an"
                        " article at its address without listing it, but newsgen has no"
                        " unlisted articles; write 'Status: published' to keep its address",
                    )
            elif status not in ("published", "publish", "public"):
                r.error(key, f"'{key}' must be draft or published, not {_show(value)}")
        elif flag is None:
            if key != "published":  # a date under `published` was read above
                r.error(key, f"'{key}' must be true or false")
        elif key == "published":
            out.draft = out.draft or not flag
        else:
            out.draft = out.draft or flag

    redirects: list[str] = []
    for key, value in r.all_present("redirects"):
        try:
            redirects.extend(_names(value, key))
        except ValueError as e:
            r.error(key, str(e))
    out.redirects = tuple(dict.fromkeys(redirects))

    key, value = r.first("url")
    if key is not None:
        url = _own_url(value, key) if isinstance(value, str) else None
        if url is None:
            r.error(
                key,
                f"'{key}' must be a path inside the site, such as /2019/05/story/,"
                f" not {_show(value)}",
            )
        else:
            out.url = url

    key, value = r.first("image")
    if key is not None:
        if isinstance(value, list) and value:
            value = value[0]  # Hugo's `images`: the first is the lead image
        if isinstance(value, dict):  # `cover: {image: ..., alt: ..., caption: ...}`
            out.image_alt = _text(value.get("alt"))
            out.image_caption = _text(value.get("caption"))
            value = value.get("image") or value.get("src") or value.get("url")
        if isinstance(value, str) and _other_scheme(value):
            message = f"'{key}' must be a web address (https://…) or a path, not {_show(value)};"
            r.warn(key, message + " the article has no lead picture")
        elif isinstance(value, str) and value.strip():
            out.image = value.strip()
        elif value is not None:
            r.error(key, f"'{key}' must be an image URL or path")
    out.image_alt = r.string("image_alt") or out.image_alt
    out.image_caption = r.string("image_caption") or out.image_caption

    key, value = r.first("menu")
    if key is not None:
        flag = _flag(value)
        out.menu = bool(flag) if flag is not None else bool(value)
    key, value = r.first("weight")
    if key is not None:
        try:
            out.weight = int(str(value).strip()) if not isinstance(value, bool) else 0
        except ValueError:
            r.error(key, f"'{key}' must be a whole number")

    key, value = r.first("corrections")
    if key is not None:
        out.corrections = _corrections(r, key, value, tz)

    out.extra = {k: v for k, v in fm.meta.items() if k not in CLAIMED and k != "taxonomies"}
    if isinstance(fm.meta.get("taxonomies"), dict):
        rest = {
            k: v
            for k, v in fm.meta["taxonomies"].items()
            if k not in ("tags", "categories", "authors")
        }
        if rest:
            out.extra["taxonomies"] = rest
    return out


_FIXED = "An earlier version gave the wrong date."
_CORRECTION_EXAMPLES = {
    "yaml": f'such as: - {{date: 2027-03-04, text: "{_FIXED}"}}',
    "toml": f'such as: corrections = [{{date = 2027-03-04, text = "{_FIXED}"}}]',
    "json": f'such as: "corrections": [{{"date": "2027-03-04", "text": "{_FIXED}"}}]',
}
"""An example in the file's own dialect, to copy."""


def _corrections(r: _Reader, key: str, value: Any, tz: ZoneInfo) -> tuple[Written, ...]:
    """`corrections:` — a list of {date, text}, each problem at its entry's line."""
    example = _CORRECTION_EXAMPLES.get(r.fm.dialect)
    if example is None:  # metadata lines (Pelican's) hold one text each, never a list
        r.error(
            key,
            f"'{key}' cannot be written as a metadata line: corrections need front matter"
            f" between --- lines, {_CORRECTION_EXAMPLES['yaml']}",
        )
        return ()
    if not isinstance(value, list):
        r.error(
            key,
            f"'{key}' must be a list of corrections, each with a date and a text, {example}",
        )
        return ()
    found: list[Written] = []
    for index, entry in enumerate(value):
        where = f"{key}.{index}"
        name = f"correction {index + 1}"
        if not isinstance(entry, dict):
            r.error(where, f"{name} must have a date and a text, {example}")
            continue
        for other in entry:
            if other not in ("date", "text"):
                r.warn(
                    f"{where}.{other}",
                    f"{name}: '{other}' is not used (a correction has a date and a text)",
                )
        when, text = entry.get("date"), entry.get("text")
        parsed = None
        if when is None or when == "":
            r.error(where, f"{name} has no date: give the day it was made (date: 2027-03-04)")
        else:
            parsed = parse_datetime(when, tz)
            try:
                if parsed is not None:
                    parsed.astimezone(UTC), parsed.astimezone(tz)
            except (OverflowError, ValueError):
                parsed = None
            if parsed is None:
                r.error(
                    f"{where}.date",
                    f"{name}'s date is not a valid date: {_show(when)} (use e.g. 2027-03-04 10:00)",
                )
        if text is None or (isinstance(text, str) and not text.strip()):
            r.error(where, f'{name} has no text: say what was wrong and what is right (text: "…")')
            continue
        if isinstance(text, bool) or not isinstance(text, str | int | float):
            r.error(f"{where}.text", f"{name}'s text must be text (put it in quotes)")
            continue
        if parsed is not None:
            day_only = _day_only(when)
            line = r.line(where) or 1
            found.append(Written(parsed, str(text).strip(), line, index + 1, day_only))
    return tuple(sorted(found, key=lambda w: w.date, reverse=True))


def _day_only(value: Any) -> bool:
    """Whether VALUE names a day and no time (`2027-03-04`, a YAML or TOML date)."""
    if isinstance(value, str):
        value = parse_date_string(value.strip())
    return isinstance(value, date) and not isinstance(value, datetime)


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _other_scheme(value: str) -> bool:
    """Whether VALUE names a scheme other than http(s), as a browser reads it (spaces and
    control characters inside a scheme are dropped first: `java\tscript:`)."""
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", re.sub(r"[\x00-\x20\x7f]", "", value))
    return match is not None and match.group(1).lower() not in ("http", "https")


def _show(value: Any) -> str:
    """A value as the user wrote it, for messages: never a Python repr of a datetime."""
    if isinstance(value, datetime | date):
        return value.isoformat(" ") if isinstance(value, datetime) else value.isoformat()
    text = value if isinstance(value, str) else str(value)
    text = " ".join(text.split())
    return repr(text if len(text) <= 60 else text[:60] + "…")
