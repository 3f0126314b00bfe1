"""Articles and pages → the Site catalogue and its routes. Pure: no I/O, no Jinja."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import PurePosixPath

from markupsafe import Markup

from newsgen.errors import ContentError, ContentWarning
from newsgen.models import (
    Article,
    Page,
    Pagination,
    Redirect,
    Route,
    Site,
    SiteConfig,
    Tag,
    TagEntry,
)
from newsgen.shortcodes import resolve_refs
from newsgen.urls import (
    TAGS_URL,
    alias_url,
    href,
    output_file,
    page_url,
    redirect_output,
    slugify,
    tag_url,
    unique_slugs,
)

_SOURCE_ROOTS = ("articles/", "pages/", "content/", "_posts/", "posts/")


def _newest_first(articles: Iterable[Article]) -> list[Article]:
    # Total order: the source path breaks every tie, so output never depends on discovery order.
    return sorted(articles, key=_order, reverse=True)


def _order(article: Article) -> tuple[datetime, str, str]:
    return (article.date, article.slug, str(article.source))


def _ref_key(target: str) -> str:
    key = target.strip().lstrip("./").lstrip("/").rstrip("/").casefold()
    for root in _SOURCE_ROOTS:
        if key.startswith(root):
            return key[len(root) :]
    return key


class _Refs:
    """Finds the article or page a Jekyll `post_url`/`link` or Hugo `ref` names.

    Names are tried as written relative to articles/ or pages/, without their suffix, as a
    bundle folder, and by file name alone when only one file has that name.
    """

    def __init__(self, items: Iterable[Article | Page]) -> None:
        exact: dict[str, str] = {}
        loose: dict[str, set[str]] = {}
        for item in items:
            rel = PurePosixPath(*item.source.parts[1:]).as_posix().casefold()
            stem = rel.rsplit(".", 1)[0]
            keys = {rel, stem}
            if item.bundle is not None:
                folder = PurePosixPath(*item.bundle.parts[1:]).as_posix().casefold()
                keys |= {folder}
                loose.setdefault(folder.rsplit("/", 1)[-1], set()).add(item.url)
            for key in keys:
                exact.setdefault(key, item.url)
            name = rel.rsplit("/", 1)[-1]
            for key in {name, name.rsplit(".", 1)[0]}:
                loose.setdefault(key, set()).add(item.url)
        self.exact = exact
        self.loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1}

    def url(self, target: str) -> str | None:
        key = _ref_key(target)
        return self.exact.get(key) or self.loose.get(key)


def _resolve(
    items: list[Article] | list[Page], refs: _Refs, base_path: str, problems: list[ContentError]
) -> list:
    out = []
    for item in items:
        if item.pending_refs:
            html, missing = resolve_refs(
                str(item.body_html), lambda t: _found(refs.url(t), base_path)
            )
            for line, target in missing:
                message = f"link to {target!r} names no article or page; shown as written"
                problems.append(ContentWarning(item.source, line, message))
            item = dataclasses.replace(item, body_html=Markup(html), pending_refs=False)
        out.append(item)
    return out


def _found(url: str | None, base_path: str) -> str | None:
    return None if url is None else href(base_path, url)


def assemble(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page] = (),
    *,
    drafts: bool = False,
) -> tuple[Site, list[ContentError]]:
    """Drop drafts, order the archive, unify tag spellings, index tags, resolve links.

    Returns the site and the problems found (links that name nothing, unusable aliases).
    """
    problems: list[ContentError] = []
    kept = _newest_first(a for a in articles if drafts or not a.draft)
    kept_pages = sorted((p for p in pages if drafts or not p.draft), key=lambda p: p.url)
    if any(item.pending_refs for item in [*kept, *kept_pages]):
        refs = _Refs([*kept, *kept_pages])
        kept = _resolve(kept, refs, config.base_path, problems)
        kept_pages = _resolve(kept_pages, refs, config.base_path, problems)

    # A tag is shown with the first spelling the archive used for it (oldest article first).
    names: dict[str, str] = {}
    for article in reversed(kept):
        for tag in article.tags:
            names.setdefault(tag.key, tag.name)
    slugs = unique_slugs({key: slugify(name) for key, name in names.items()})
    canonical = {key: Tag(key, names[key], slugs[key]) for key in names}
    ordered = tuple(_with_tags(a, canonical) for a in kept)
    by_tag: dict[str, list[Article]] = {key: [] for key in names}
    for article in ordered:
        for tag in article.tags:
            by_tag[tag.key].append(article)
    entries = tuple(
        TagEntry(canonical[key], tuple(by_tag[key]))
        for key in sorted(names, key=lambda k: (names[k].casefold(), k))
    )
    menu = tuple(
        sorted((p for p in kept_pages if p.menu), key=lambda p: (p.weight, p.title.casefold()))
    )
    redirects = _redirects([*ordered, *kept_pages], config.base_url, problems)
    site = Site(
        config=config,
        articles=ordered,
        tags=entries,
        pages=tuple(kept_pages),
        menu=menu,
        redirects=redirects,
    )
    return site, problems


def _redirects(
    items: Iterable[Article | Page], base_url: str, problems: list[ContentError]
) -> tuple[Redirect, ...]:
    found: list[Redirect] = []
    for item in items:
        for alias in item.redirects:
            url = alias_url(alias, base_url)
            if url is None:
                message = f"alias {alias!r} is not a path inside the site (no '..', same host)"
                problems.append(ContentError(item.source, None, message))
            elif redirect_output(url) == output_file(item.url):
                message = f"alias {alias!r} is this page's own URL; no redirect needed"
                problems.append(ContentWarning(item.source, None, message))
            else:
                found.append(Redirect(url, item.url, item.title, item.source))
    return tuple(sorted(found, key=lambda r: (r.url, str(r.source))))


def _with_tags(article: Article, canonical: dict[str, Tag]) -> Article:
    """The article with each tag in its archive-wide spelling (most already are)."""
    tags = tuple(canonical[t.key] for t in article.tags)
    same = all(
        t.name == c.name and t.slug == c.slug for t, c in zip(article.tags, tags, strict=True)
    )
    return article if same else dataclasses.replace(article, tags=tags)


def _route(
    url: str,
    template: str,
    context: dict[str, object],
    in_sitemap: bool = True,
    owner: str = "newsgen",
) -> Route:
    return Route(url, output_file(url), template, {**context, "page_url": url}, in_sitemap, owner)


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
    owners: dict[str, str] = {}
    errors: list[ContentError] = []

    def add(route: Route, owner: str, source: PurePosixPath | None = None) -> None:
        if route.path in owners:
            message = f"has the same URL /{route.url} as {owners[route.path]}"
            errors.append(ContentError(source or PurePosixPath(owner), None, message))
            return
        owners[route.path] = owner
        result.append(route if route.owner == owner else dataclasses.replace(route, owner=owner))

    for route in _paginate("", site.articles, config.per_page, "index.html", {}):
        add(route, "the home page")
    add(_route(TAGS_URL, "tags.html", {"tags": site.tags}), "the tag index")
    for entry in site.tags:
        for route in _paginate(
            tag_url(entry.tag.slug), entry.articles, config.per_page, "tag.html", {"tag": entry.tag}
        ):
            add(route, f"the page of tag '{entry.tag.name}'")
    add(_route("404.html", "404.html", {}, in_sitemap=False), "the 404 page")
    for page in site.pages:
        add(_route(page.url, "page.html", {"page": page}), str(page.source), page.source)
    # Articles come after the site's own pages so a collision names the article, which is
    # what the user can rename.
    articles = site.articles
    for index, article in enumerate(articles):
        context = {
            "article": article,
            "newer": articles[index - 1] if index > 0 else None,
            "older": articles[index + 1] if index + 1 < len(articles) else None,
        }
        owner = str(article.source)
        add(_route(article.url, "article.html", context, owner=owner), owner, article.source)
    # Redirects come last: an alias never replaces a page, it is the alias that is wrong.
    for redirect in site.redirects:
        route = Route(
            redirect.url,
            redirect_output(redirect.url),
            "redirect.html",
            {"redirect": redirect, "page_url": redirect.url},
            in_sitemap=False,
        )
        if route.path in owners:
            message = f"alias /{redirect.url} would replace {owners[route.path]}"
            errors.append(ContentError(redirect.source, None, message))
            continue
        owners[route.path] = f"the alias /{redirect.url} of {redirect.source}"
        result.append(dataclasses.replace(route, owner=str(redirect.source)))
    return result, errors
