"""Articles → the Site catalogue and its routes. Pure: no I/O, no Jinja."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

from newsgen.errors import ContentError
from newsgen.models import Article, Pagination, Route, Site, SiteConfig, Tag, TagEntry
from newsgen.urls import TAGS_URL, output_path, page_url, slugify, tag_url, unique_slugs


def _newest_first(articles: Iterable[Article]) -> list[Article]:
    # Total order: the source path breaks every tie, so output never depends on discovery order.
    return sorted(articles, key=lambda a: (a.date, a.slug, str(a.source)), reverse=True)


def assemble(config: SiteConfig, articles: Sequence[Article], *, drafts: bool = False) -> Site:
    """Drop drafts, order the archive, unify tag spellings and index tags."""
    kept = _newest_first(a for a in articles if drafts or not a.draft)
    # A tag is shown with the first spelling the archive used for it (oldest article first).
    names: dict[str, str] = {}
    for article in reversed(kept):
        for tag in article.tags:
            names.setdefault(tag.key, tag.name)
    slugs = unique_slugs({key: slugify(name) for key, name in names.items()})
    canonical = {key: Tag(key, names[key], slugs[key]) for key in names}
    ordered = tuple(
        dataclasses.replace(a, tags=tuple(canonical[t.key] for t in a.tags)) for a in kept
    )
    by_tag: dict[str, list[Article]] = {key: [] for key in names}
    for article in ordered:
        for tag in article.tags:
            by_tag[tag.key].append(article)
    entries = tuple(
        TagEntry(canonical[key], tuple(by_tag[key]))
        for key in sorted(names, key=lambda k: (names[k].casefold(), k))
    )
    return Site(config=config, articles=ordered, tags=entries)


def _route(url: str, template: str, context: dict[str, object], in_sitemap: bool = True) -> Route:
    return Route(url, output_path(url), template, {**context, "page_url": url}, in_sitemap)


def _paginate(
    prefix: str, articles: Sequence[Article], per_page: int, template: str, extra: dict[str, object]
) -> list[Route]:
    total = max(1, -(-len(articles) // per_page))
    routes = []
    for number in range(1, total + 1):
        chunk = tuple(articles[(number - 1) * per_page : number * per_page])
        pagination = Pagination(
            number=number,
            total=total,
            url=page_url(prefix, number),
            prev_url=page_url(prefix, number - 1) if number > 1 else None,
            next_url=page_url(prefix, number + 1) if number < total else None,
        )
        context = {**extra, "articles": chunk, "pagination": pagination}
        routes.append(_route(pagination.url, template, context))
    return routes


def routes(site: Site) -> tuple[list[Route], list[ContentError]]:
    """Every HTML page of the site in a fixed order, and an error for each URL claimed twice."""
    config = site.config
    result: list[Route] = []
    owners: dict[PurePosixPath, str] = {}
    errors: list[ContentError] = []

    def add(route: Route, owner: str, source: PurePosixPath | None = None) -> None:
        if route.path in owners:
            message = f"has the same URL /{route.url} as {owners[route.path]}"
            errors.append(ContentError(source or PurePosixPath(owner), None, message))
            return
        owners[route.path] = owner
        result.append(dataclasses.replace(route, owner=owner))

    for route in _paginate("", site.articles, config.per_page, "index.html", {}):
        add(route, "the home page")
    add(_route(TAGS_URL, "tags.html", {"tags": site.tags}), "the tag index")
    for entry in site.tags:
        for route in _paginate(
            tag_url(entry.tag.slug), entry.articles, config.per_page, "tag.html", {"tag": entry.tag}
        ):
            add(route, f"the page of tag '{entry.tag.name}'")
    add(_route("404.html", "404.html", {}, in_sitemap=False), "the 404 page")
    # Articles come last so a collision names the article, which is what the user can rename.
    articles = site.articles
    for index, article in enumerate(articles):
        context = {
            "article": article,
            "newer": articles[index - 1] if index > 0 else None,
            "older": articles[index + 1] if index + 1 < len(articles) else None,
        }
        add(_route(article.url, "article.html", context), str(article.source), article.source)
    return result, errors
