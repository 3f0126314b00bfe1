"""A site and its routes with edited articles swapped in. Pure: models in, models out.

An edit that changes only what an article's body gives (its HTML, summary, word count and
digest) leaves the archive's shape as it was: the same order, tags, sections, neighbours,
URLs and pages. The site assembled before the edit then differs from the one `site.assemble`
would make only in that article's objects. A builder that builds again (serve) keeps its
assembled site and routes, and swaps the edited articles in wherever they are held instead
of assembling 10,000 articles again (`patch`). Whether an edit is of that kind is
`body_only`'s call; the incremental layer decides when a patch may be used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from markupsafe import Markup

from newsgen.models import (
    Article,
    Author,
    FrozenMap,
    Language,
    Page,
    Pagination,
    Period,
    PublishedFiles,
    Redirect,
    Route,
    SearchPart,
    Section,
    Site,
    SiteConfig,
    Tag,
    Translation,
)

BODY_FIELDS = ("body_html", "body_key", "digest", "summary", "word_count", "standfirst")
"""What an article's body (and summary) gives, and `site.assemble` never reads: every other
field places the article in the archive (its order, tags, section, URL, links, aliases)."""

_SHAPE_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name not in BODY_FIELDS)

_LEAVES: frozenset[type] = frozenset(
    {str, int, float, bool, type(None), datetime, Markup, PurePosixPath}
    | {Tag, Author, Section, Language, SiteConfig, Pagination, Period, Translation, Redirect}
    | {Page, PublishedFiles}
)
"""Values that hold no article (pages are never swapped: an edited page assembles again)."""


class Unswappable(TypeError):
    """A value of a kind `patch` does not know how to look into: assemble anew instead."""


def body_only(old: Article, new: Article) -> bool:
    """Whether NEW differs from OLD at most in BODY_FIELDS, and neither links to other
    articles by name (assemble resolves those links into the body).

    Tags, authors and sections compare by key alone (`==`); a changed spelling renames a
    tag's pages, so their whole text (repr) must match too.
    """
    if old.pending_refs or new.pending_refs:
        return False
    for name in _SHAPE_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before is not after and (before != after or repr(before) != repr(after)):
            return False
    return True


@dataclass(slots=True)
class Patched:
    """A kept site with edited articles swapped in."""

    site: Site
    routes: list[Route]
    parts: list[SearchPart]
    touched: set[int]
    """The positions in ROUTES of the routes that show a swapped article."""


class Placement:
    """Where each article of a site is held among its routes (the positions of the routes
    that show it), made once for a kept site and followed through its patches."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes: dict[int, list[int]] = {}
        memo: dict[int, tuple[Any, frozenset[int]]] = {}
        for position, route in enumerate(routes):
            for key in _articles_in(route.context, memo):
                self.routes.setdefault(key, []).append(position)


def patch(
    site: Site,
    routes: Sequence[Route],
    parts: Sequence[SearchPart],
    edited: Sequence[tuple[Article, Article]],
    placement: Placement,
) -> Patched:
    """SITE, ROUTES and the search PARTS with each edited article (EDITED: pairs of the
    article as it was loaded and as it is loaded now, `body_only` of each other) swapped in.
    PLACEMENT is updated to the new articles."""
    sources = {str(old.source) for old, _ in edited}
    held = {str(a.source): a for a in site.articles if str(a.source) in sources}
    table: dict[int, Article] = {}
    for _, new in edited:
        before = held.get(str(new.source))
        if before is None:
            continue  # a draft the site leaves out
        table[id(before)] = dataclasses.replace(
            before, **{name: getattr(new, name) for name in BODY_FIELDS}
        )
    swap = _Swap(table)
    touched: set[int] = set()
    for key in table:
        touched.update(placement.routes.get(key, ()))
    new_routes = list(routes)
    for position in touched:
        route = routes[position]
        context = swap(route.context)
        if context is not route.context:
            new_routes[position] = dataclasses.replace(route, context=context)
    new_parts = [swap(part) for part in parts]
    for key, article in table.items():
        where = placement.routes.pop(key, None)
        if where is not None:
            placement.routes[id(article)] = where
    return Patched(swap(site), new_routes, new_parts, touched)


class _Swap:
    """A value with the articles of TABLE (by id) replaced, sharing every part that holds
    none of them (and each shared part swapped once)."""

    def __init__(self, table: Mapping[int, Article]) -> None:
        self.table = table
        self.memo: dict[int, tuple[Any, Any]] = {}

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind is Article:
            return self.table.get(id(value), value)
        if kind in _LEAVES:
            return value
        seen = self.memo.get(id(value))
        if seen is not None:
            return seen[1]
        result: Any
        if kind is tuple or kind is list:
            if set(map(type, value)) <= _ARTICLE_OR_LEAF:  # the common case, at C speed
                if self.table.keys().isdisjoint(map(id, value)):
                    result = value
                else:
                    result = kind(self.table.get(id(x), x) for x in value)
            else:
                items = [self(x) for x in value]
                changed = any(a is not b for a, b in zip(items, value, strict=True))
                result = kind(items) if changed else value
        elif kind is dict or kind is FrozenMap:
            items_of = {key: self(item) for key, item in value.items()}
            changed = any(items_of[key] is not item for key, item in value.items())
            result = (dict(items_of) if kind is dict else FrozenMap(items_of)) if changed else value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for name in _field_names(kind):
                item = getattr(value, name)
                swapped = self(item)
                if swapped is not item:
                    changes[name] = swapped
            result = dataclasses.replace(value, **changes) if changes else value
        else:
            raise Unswappable(f"cannot look for articles in {kind.__name__}")
        self.memo[id(value)] = (value, result)  # the value is kept, so its id is not reused
        return result


_ARTICLE_OR_LEAF = _LEAVES | {Article}


def _articles_in(value: Any, memo: dict[int, tuple[Any, frozenset[int]]]) -> frozenset[int]:
    """The ids of the articles VALUE holds, at any depth (shared parts looked at once)."""
    kind = type(value)
    if kind is Article:
        return frozenset((id(value),))
    if kind in _LEAVES:
        return frozenset()
    seen = memo.get(id(value))
    if seen is not None:
        return seen[1]
    found: frozenset[int]
    if kind is tuple or kind is list:
        if set(map(type, value)) <= _ARTICLE_OR_LEAF:
            found = frozenset(id(x) for x in value if type(x) is Article)
        else:
            found = frozenset().union(*(_articles_in(x, memo) for x in value))
    elif kind is dict or kind is FrozenMap:
        found = frozenset().union(*(_articles_in(x, memo) for x in value.values()))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = frozenset().union(
            *(_articles_in(getattr(value, name), memo) for name in _field_names(kind))
        )
    else:
        raise Unswappable(f"cannot look for articles in {kind.__name__}")
    memo[id(value)] = (value, found)
    return found


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names
