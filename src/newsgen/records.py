"""Articles and pages as JSON records, and problems as JSON: what the cache keeps of a parse.

Values, never pickles: a cache a site ships could otherwise run code. Records are read back
thousands at a time on every rebuild, so the format is the plainest JSON, fields in order.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from functools import cache, lru_cache
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from newsgen.errors import ContentError, ContentWarning
from newsgen.models import EMPTY, Article, Correction, FrozenMap, Page, Section, Tag


class Uncacheable(Exception):
    """A value the cache cannot round-trip exactly: the source is parsed on every build."""


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Uncacheable
        return value
    if isinstance(value, datetime):
        zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
        return {"$dt": value.isoformat(), "zone": zone}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, list | tuple):
        return {"$list" if isinstance(value, list) else "$tuple": [_encode(v) for v in value]}
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise Uncacheable
        return {"$map": {k: _encode(v) for k, v in value.items()}}
    raise Uncacheable


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "$dt" in value:
        parsed = datetime.fromisoformat(value["$dt"])
        zone = value.get("zone")
        return parsed.astimezone(ZoneInfo(zone)) if zone and parsed.tzinfo else parsed
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$time" in value:
        return time.fromisoformat(value["$time"])
    if "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    if "$list" in value:
        return [_decode(v) for v in value["$list"]]
    if "$tuple" in value:
        return tuple(_decode(v) for v in value["$tuple"])
    return {k: _decode(v) for k, v in value["$map"].items()}


_KINDS: dict[str, type[Article] | type[Page]] = {"article": Article, "page": Page}
_FIELDS = {kind: [f.name for f in dataclasses.fields(cls)] for kind, cls in _KINDS.items()}


def _when(value: datetime | None) -> list[Any] | None:
    if value is None:
        return None
    zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
    return [value.isoformat(), zone]


def _unwhen(value: list[Any] | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value[0])
    return parsed.astimezone(_zone(value[1])) if value[1] and parsed.tzinfo else parsed


def _correction(when: list[Any], html: str, text: str) -> Correction:
    date = _unwhen(when)
    assert date is not None  # a correction always has its date
    return Correction(date, Markup(html), text)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


_tag = lru_cache(maxsize=4096)(Tag)
"""A tag as records spell it: one frozen value shared by the articles that carry it."""


_section = lru_cache(maxsize=1024)(Section)
"""A section as records spell it (its key and name as the article's file gave them)."""


_PATHS = {"source"}
_WHENS = {"date", "updated"}
_SPECIAL = {
    *("body_html", "source", "extra", "bundle", "assets", "tags", "section", "corrections"),
    *_WHENS,
}
_PLAIN = {kind: [n for n in names if n not in _SPECIAL] for kind, names in _FIELDS.items()}
"""Fields stored as plain JSON values (tuples of strings tagged as tuples, numbers, text)."""
_AT = {kind: {name: index for index, name in enumerate(names)} for kind, names in _FIELDS.items()}
_PLAIN_AT = {kind: [_AT[kind][name] for name in names] for kind, names in _PLAIN.items()}


def item_record(item: Article | Page) -> str:
    """An article or page whose body is kept apart (under `body_key`) as JSON."""
    kind = "article" if isinstance(item, Article) else "page"
    if not item.body_key:
        raise ValueError(f"{item.source}: a record holds a body's key, and this item has none")
    row: list[Any] = []
    for name in _FIELDS[kind]:
        value = getattr(item, name)
        if name == "body_html":
            value = None
        elif name == "tags":
            value = [[t.key, t.name, t.slug] for t in value]
        elif name == "section":
            value = None if value is None else [value.key, value.name]
        elif name == "corrections":
            value = [[_when(c.date), str(c.html), c.text] for c in value]
        elif name == "extra":
            value = _encode(dict(value)) if value else None
        elif name in _PATHS:
            value = str(value)
        elif name == "bundle":
            value = None if value is None else str(value)
        elif name == "assets":
            value = [str(v) for v in value]
        elif name in _WHENS:
            value = _when(value)
        elif not (value is None or isinstance(value, bool | int | str)):
            value = _encode(value)
        row.append(value)
    return json.dumps([kind, row], ensure_ascii=False)


def item_from_record(record: str, source: PurePosixPath | None = None) -> Article | Page:
    """The Article or Page a record holds, its body left in the store; SOURCE, when given, is
    its (known) source path.

    Runs for every source on every rebuild: the row is fixed up in place, by field position,
    and handed to the class as it is (about half the time of a dict of keyword arguments)."""
    kind, row = json.loads(record)
    cls = _KINDS[kind]
    at = _AT[kind]
    if len(row) != len(at):
        raise ValueError(f"a {kind} record has {len(row)} fields, not {len(at)}")
    row[at["source"]] = source or PurePosixPath(row[at["source"]])
    extra = row[at["extra"]]
    row[at["extra"]] = FrozenMap(_decode(extra)) if extra else EMPTY
    if row[at["bundle"]] is not None:
        row[at["bundle"]] = PurePosixPath(row[at["bundle"]])
        row[at["assets"]] = tuple([PurePosixPath(v) for v in row[at["assets"]]])
    else:
        row[at["assets"]] = ()
    row[at["updated"]] = _unwhen(row[at["updated"]])
    if kind == "article":
        row[at["date"]] = _unwhen(row[at["date"]])
        row[at["tags"]] = tuple([_tag(*t) for t in row[at["tags"]]])
        if row[at["section"]] is not None:
            row[at["section"]] = _section(*row[at["section"]])
        row[at["corrections"]] = tuple([_correction(*c) for c in row[at["corrections"]]])
    for index in _PLAIN_AT[kind]:
        value = row[index]
        if type(value) is dict:
            row[index] = _decode(value)
    return cls(*row)


def problems_record(problems: Iterable[ContentError]) -> str:
    return json.dumps(
        [[p.severity, str(p.path), p.line, p.message] for p in problems], ensure_ascii=False
    )


def problems_from_record(record: str) -> list[ContentError]:
    if record == "[]":  # almost every source: no need to parse it
        return []
    kinds = {"error": ContentError, "warning": ContentWarning}
    return [kinds[s](path, line, message) for s, path, line, message in json.loads(record)]
