"""Fingerprints: a digest of everything an output file (or a whole build) is made from.

Equal fingerprints give equal bytes, so a file whose fingerprint did not change is neither
rendered nor written again. The incremental layer (incremental.py) is their one user.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

import newsgen
from newsgen.models import Article, Page, Tag

SCHEMA = 1
"""The cache's layout: a change makes every cached result stale, like a change of code."""


@cache
def code_fingerprint() -> str:
    """newsgen's own code and theme: a changed line of either makes every cached result stale."""
    from newsgen.theme import builtin_theme_dir

    digest = hashlib.sha256(f"{newsgen.__version__}/{SCHEMA}".encode())
    package = Path(__file__).resolve().parent
    theme = builtin_theme_dir()
    for path in sorted(
        [*package.rglob("*.py"), *(theme / "templates").rglob("*"), *(theme / "i18n").rglob("*")]
    ):
        if path.is_file():
            digest.update(path.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def body_digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]


def fingerprint(*values: Any) -> str:
    """A digest of everything a page is made from; equal fingerprints give equal bytes.

    Articles and pages count by their `digest` (their source's cache key), their body's
    digest and their final tags, so a listing of 20 articles hashes 20 short strings, not
    20 bodies. Called for every output file on every build: kept to plain string work.
    """
    return Fingerprints().of(*values)


class Fingerprints:
    """`fingerprint`, remembering each article's part while the objects live (one build).

    An article shows on its page, its neighbours' pages and several listings.
    """

    def __init__(self) -> None:
        self._items: dict[int, tuple[Any, str]] = {}

    def carried(self, items: Iterable[Article | Page]) -> Fingerprints:
        """A new Fingerprints that knows this one's parts of ITEMS (those that are the same
        objects): a builder that builds again (serve) keeps the unchanged articles' parts,
        and forgets the rest."""
        new = Fingerprints()
        old, kept = self._items, new._items
        for item in items:
            known = old.get(id(item))
            if known is not None and known[0] is item:
                kept[id(item)] = known
        return new

    def of(self, *values: Any) -> str:
        parts: list[str] = []
        for value in values:
            self._tokens(value, parts)
        text = "\x1e".join(parts).encode("utf-8", "surrogatepass")
        return hashlib.sha1(text, usedforsecurity=False).hexdigest()

    def _item(self, item: Article | Page) -> str:
        known = self._items.get(id(item))
        if known is not None and known[0] is item:
            return known[1]
        shown = item.body_key or body_digest(str(item.body_html))
        tags = "\x1f".join(f"{t.name}\x1d{t.slug}" for t in getattr(item, "tags", ()))
        people = "\x1f".join(f"{b.name}\x1d{b.slug}" for b in getattr(item, "bylines", ()))
        section = getattr(item, "section", None)
        placed = "" if section is None else f"{section.key}\x1d{section.name}\x1d{section.url}"
        # The lead image as assemble placed it: where it is found depends on static/.
        image = item.image or ""
        held = getattr(item, "held", "")  # a scheduled story shown (--drafts) is marked
        token = f"A{item.digest}\x1f{shown}\x1f{tags}\x1e{people}\x1e{placed}\x1e{image}{held}"
        if isinstance(item, Article) and item.corrections:
            # Their links to other articles by name are resolved by assemble, as a body's.
            token += "\x1e" + body_digest("".join(str(c.html) for c in item.corrections))
        self._items[id(item)] = (item, token)  # the item is kept, so its id is not reused
        return token

    def _tokens(self, value: Any, out: list[str]) -> None:
        # Called some 200,000 times for the routes of 10,000 articles: the common kinds
        # first, articles in a listing looked up without a call each.
        kind = type(value)
        if kind is str:
            out.append(f"s{len(value)}:{value}")
        elif kind is dict:
            out.append("{")
            keys = _KEYS
            for key in sorted(value):
                token = keys.get(key)
                if token is None:
                    token = keys[key] = f"s{len(key)}:{key}"
                out.append(token)
                self._tokens(value[key], out)
            out.append("}")
        elif kind is Article or kind is Page:
            out.append(self._item(value))
        elif kind is tuple or kind is list:
            out.append("[")
            items = self._items
            for item in value:
                known = items.get(id(item))
                if known is not None and known[0] is item:
                    out.append(known[1])
                else:
                    self._tokens(item, out)
            out.append("]")
        elif kind is Tag:
            out.append(f"T{value.key}\x1f{value.name}\x1f{value.slug}")
        elif value is None or kind is bool or kind is int or kind is float:
            out.append(f"{kind.__name__[0]}{value!r}")
        elif isinstance(value, Markup):
            out.append("M" + body_digest(str(value)))
        elif isinstance(value, datetime | date | time):
            tzinfo = getattr(value, "tzinfo", None)
            zone = tzinfo.key if isinstance(tzinfo, ZoneInfo) else ""
            out.append(f"D{value.isoformat()}{zone}")
        elif isinstance(value, timedelta | timezone | PurePosixPath):
            out.append(f"{kind.__name__}:{value}")
        elif isinstance(value, Mapping):
            self._tokens(dict(value), out)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out.append("<" + kind.__name__)
            for name in _field_names(type(value)):
                self._tokens(getattr(value, name), out)
            out.append(">")
        else:
            raise TypeError(f"cannot fingerprint {kind.__name__}")


_KEYS: dict[str, str] = {}
"""The token of each context key seen (a handful of names, met on every route)."""


@cache
def _field_names(kind: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))
