"""Articles and pages → the Site catalogue and its routes. Pure: no I/O, no Jinja."""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from pathlib import PurePosixPath
from typing import Any, TypeVar
from urllib.parse import unquote, urljoin

from markupsafe import Markup

from newsgen.bodies import BodyOptions, resolve_refs
from newsgen.bodies.weburl import path_matcher, under_base
from newsgen.errors import ContentError, ContentWarning
from newsgen.models import (
    EMPTY,
    Article,
    Author,
    AuthorEntry,
    Bodies,
    Catalogue,
    Feed,
    Front,
    FrontBlock,
    FrozenMap,
    Held,
    HeldBodies,
    Language,
    Page,
    Pagination,
    Period,
    PublishedFiles,
    Redirect,
    Route,
    SearchPart,
    Section,
    SectionEntry,
    Site,
    SiteConfig,
    Tag,
    TagEntry,
    TermNote,
    Translation,
)
from newsgen.related import related_articles
from newsgen.schedule import EXPIRED, SCHEDULED, corrections_waiting, held_back, start_of_day
from newsgen.slugs import term_slug
from newsgen.terms import with_notes
from newsgen.urls import (
    ARCHIVE_URL,
    AUTHORS_URL,
    FEED_FILES,
    SEARCH_URL,
    TAGS_URL,
    alias_url,
    author_url,
    code_key,
    href,
    is_asset_url,
    language_folder,
    language_suffix,
    local_file,
    month_url,
    output_file,
    page_file,
    page_url,
    redirect_output,
    section_url,
    source_language,
    tag_key,
    tag_url,
    under_language,
    unique_slugs,
    year_url,
)

CONFIG_FILE_NAME = "newsgen.yaml"
"""Sections described in the settings are named after this file (build.step_assemble)."""

_SOURCE_ROOTS = ("articles/", "pages/", "content/", "_posts/", "posts/")
_REF_MARK = "newsgen-ref:"
"""What a link to another article by file name looks like until assemble resolves it."""


def _newest_first(articles: Iterable[Article]) -> list[Article]:
    # Total order: the source path breaks every tie, so output never depends on discovery order.
    return sorted(articles, key=_order, reverse=True)


def _order(article: Article) -> tuple[datetime, str, str]:
    return (article.date, article.slug, str(article.source))


def _ref_keys(target: str) -> list[str]:
    """The names a reference may mean: as written, then without a generator's content root
    (`posts/x.md` is first the file articles/posts/x.md, then articles/x.md)."""
    key = target.strip().lstrip("./").lstrip("/").rstrip("/").casefold()
    keys = [key]
    for root in _SOURCE_ROOTS:
        if key.startswith(root):
            keys.append(key[len(root) :])
            break
    return keys


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
        keys = _ref_keys(target)
        for table in (self.exact, self.loose):
            for key in keys:
                if key in table:
                    return table[key]
        return None


Item = TypeVar("Item", Article, Page)


def _resolve(
    items: Sequence[Item],
    refs: _Refs,
    config: SiteConfig,
    bodies: Bodies,
    problems: list[ContentError],
    later: tuple[_Refs, _Refs] | None = None,
) -> list[Item]:
    """ITEMS with their links to other articles by name resolved; a link to an article
    held back (LATER: the scheduled ones, the expired ones) links nowhere, as one to a
    draft does, and is named so that its URL is not published before the article is."""
    out: list[Item] = []
    options = BodyOptions(raw_html=config.raw_html, iframe_hosts=frozenset(config.iframe_hosts))
    for item in items:
        if item.pending_refs:
            html, missing = resolve_refs(
                str(bodies.html(item)), lambda t: _found(refs.url(t), config.base_path), options
            )
            for line, target in missing:
                message = f"link to {target!r} names no article or page; it links nowhere (#)"
                if later is not None and later[0].url(target) is not None:
                    message = (
                        f"link to {target!r} names a story scheduled for later; it links"
                        " nowhere (#) until a build publishes that story"
                    )
                elif later is not None and later[1].url(target) is not None:
                    message = (
                        f"link to {target!r} names a story that has been taken down (its"
                        " expires time has passed); it links nowhere (#)"
                    )
                problems.append(ContentWarning(item.source, line, message))
            # Held from now on (a page's fingerprint counts what it links to, not the stored key).
            item = dataclasses.replace(
                item, body_html=Markup(html), body_key="", pending_refs=False
            )
        out.append(item)
    return out


def _resolve_corrections(
    articles: Sequence[Article], refs: _Refs, config: SiteConfig, problems: list[ContentError]
) -> list[Article]:
    """Corrections' links to articles by name resolved, and their relative links made to
    start at their article: a notice is shown on the corrections page and in feeds too."""
    options = BodyOptions(raw_html=config.raw_html, iframe_hosts=frozenset(config.iframe_hosts))
    out: list[Article] = []
    for article in articles:
        if article.corrections:
            base = href(config.base_path, article.url)
            fixed = []
            for correction in article.corrections:
                html, missing = resolve_refs(
                    str(correction.html),
                    lambda t: _found(refs.url(t), config.base_path),
                    options,
                    base,
                )
                for line, target in missing:
                    message = f"link to {target!r} names no article or page; it links nowhere (#)"
                    problems.append(ContentWarning(article.source, line, message))
                fixed.append(dataclasses.replace(correction, html=Markup(html)))
            article = dataclasses.replace(article, corrections=tuple(fixed))
        out.append(article)
    return out


def _landing_pages(
    config: SiteConfig,
    articles: Sequence[Article],
    sections: Sequence[tuple[PurePosixPath, Section]],
) -> tuple[list[tuple[PurePosixPath, Section]], list[Page]]:
    """SECTIONS without the `_index` files of sections no article is in that have something
    to show (text, a `url:` or `aliases:`), and those files as pages: Hugo publishes such a
    section's page with its text and no list (a Jobs page, a landing page), so the old URL
    lives on. The others stay, to be named in a warning."""
    used = {a.section.key for a in articles if a.section is not None}
    codes = [lang.code for lang in config.languages]
    prefixes = {lang.code: lang.prefix for lang in config.languages}
    hosts = {lang.code: lang.host for lang in config.languages}
    kept: list[tuple[PurePosixPath, Section]] = []
    landing: list[Page] = []
    for path, section in sections:
        shows = section.intro is not None or section.given_url or section.aliases
        if section.key in used or not shows or path.name == CONFIG_FILE_NAME:
            kept.append((path, section))
            continue
        code = (
            (language_suffix(path.name, codes) or language_folder(path, codes) or codes[0])
            if codes
            else ""
        )
        url = prefixes.get(code, "") + (section.given_url or f"{section.key}/")
        landing.append(
            Page(
                source=path,
                title=section.name,
                slug=section.key,
                url=url,
                body_html=section.intro or Markup(""),
                pending_refs=section.intro is not None and _REF_MARK in section.intro,
                summary=section.description,
                redirects=tuple(
                    under_language(alias, prefixes.get(code, ""), hosts[code])
                    if hosts.get(code)
                    else alias
                    for alias in section.aliases
                ),
                language=code,
                translation_key="section:" + section.key,
                draft=section.draft,
            )
        )
    return kept, landing


def _url_of(refs: _Refs, base_path: str, target: str) -> str | None:
    return _found(refs.url(target), base_path)


def _found(url: str | None, base_path: str) -> str | None:
    return None if url is None else href(base_path, url)


def assemble(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page] = (),
    *,
    drafts: bool = False,
    bodies: Bodies | None = None,
    sections: Sequence[tuple[PurePosixPath, Section]] = (),
    terms: Sequence[tuple[PurePosixPath, TermNote]] = (),
    static: Mapping[str, PurePosixPath] = EMPTY,
    now: datetime | None = None,
    future: bool = False,
) -> tuple[Site, list[ContentError]]:
    """Drop drafts and what NOW holds back, order the archive, unify tag spellings, index
    tags and sections, resolve links.

    Returns the site and the problems found (links that name nothing, unusable aliases).
    The bodies that link to other articles by name are read from BODIES (default: their
    items) and held, resolved, by their items. SECTIONS are what the `_index` files say of
    their sections, by file; TERMS what Hugo's term pages say of tags and authors; STATIC
    the site's static files by output path (where a lead image is looked for).

    NOW (None: every article is published) holds back scheduled and expired articles
    (schedule.py), and corrections dated after it; FUTURE publishes the scheduled ones
    (and those corrections) all the same, DRAFTS shows the held articles marked
    (`Article.held`).
    """
    problems: list[ContentError] = []
    held_now: list[Held] = []
    waiting: list[Article] = []
    today = None
    if now is not None:
        articles, held_now, waiting = _on_time(articles, now, drafts=drafts, future=future)
        today = start_of_day(now, config.tz)
        problems.extend(_updated_later(articles, now, config))
    kept = _newest_first(a for a in articles if drafts or not a.draft)
    sections, landing = _landing_pages(config, kept, sections)
    kept_pages = sorted(
        (p for p in [*pages, *landing] if drafts or not p.draft), key=lambda p: p.url
    )
    files = published_files(static, [*kept, *kept_pages])
    kept = _lead_images(kept, config, files)
    kept_pages = _lead_images(kept_pages, config, files)
    items: list[Article | Page] = [*kept, *kept_pages]
    if any(item.pending_refs for item in items):
        refs = _Refs([*kept, *kept_pages])
        held = bodies or HeldBodies()
        expired = {h.source for h in held_now if h.state == EXPIRED}
        later = (
            _Refs(a for a in waiting if a.source not in expired),
            _Refs(a for a in waiting if a.source in expired),
        )
        kept = _resolve(kept, refs, config, held, problems, later)
        kept_pages = _resolve(kept_pages, refs, config, held, problems, later)
    if any(article.corrections for article in kept):
        kept = _resolve_corrections(kept, _Refs([*kept, *kept_pages]), config, problems)

    # A tag (or author) is shown with the first spelling the archive used for it.
    names: dict[str, str] = {}
    people: dict[str, str] = {}
    for article in reversed(kept):
        for tag in article.tags:
            names.setdefault(tag.key, tag.name)
        for name in article.authors:
            people.setdefault(tag_key(name), name)
    rule = config.slugify
    slugs = unique_slugs({key: term_slug(name, rule) for key, name in names.items()})
    canonical = {key: Tag(key, names[key], slugs[key]) for key in names}
    author_slugs = unique_slugs({key: term_slug(name, rule) for key, name in people.items()})
    bylines = {key: Author(key, people[key], author_slugs[key]) for key in people}
    menu = tuple(
        sorted((p for p in kept_pages if p.menu), key=lambda p: (p.weight, p.title.casefold()))
    )
    if not config.languages:
        found = _described(kept, sections, problems)
        described = _introduced(found, [*kept, *kept_pages], config, problems)
        ordered = tuple(_canonical(a, canonical, bylines, described) for a in kept)
        redirects = _redirects([*ordered, *kept_pages], config, problems)
        site = Site(
            config=config,
            pages=tuple(kept_pages),
            menu=menu,
            redirects=redirects,
            files=files,
            **_indexes(config, ordered, described, ""),
        )
        noted = with_notes([site], terms, config, problems)[0]
        noted = dataclasses.replace(noted, held=tuple(held_now), today=today)
        return _with_section_redirects(noted, (noted,), problems), problems
    # Several languages: the archive-wide spellings are shared, and each language gets a
    # catalogue of its own articles (an edition), whose routes sit under its prefix.
    described_in = _described_by_language(kept, kept_pages, sections, config, problems)
    ordered = tuple(_canonical(a, canonical, bylines, described_in[a.language]) for a in kept)
    redirects = _redirects([*ordered, *kept_pages], config, problems)
    editions = tuple(
        Site(
            config=config,
            pages=tuple(kept_pages),
            menu=menu,
            language=language,
            files=files,
            today=today,
            **_indexes(
                config,
                [a for a in ordered if a.language == language.code],
                described_in[language.code],
                language.prefix,
            ),
        )
        for language in config.languages
    )
    editions = with_notes(editions, terms, config, problems)
    site = dataclasses.replace(
        editions[0],
        articles=ordered,
        redirects=redirects,
        editions=editions,
        held=tuple(held_now),
        translations=FrozenMap(
            {
                **_translations(ordered, config.languages, problems),
                **_translations(kept_pages, config.languages, problems),
            }
        ),
    )
    return _with_section_redirects(site, editions, problems), problems


def _on_time(
    articles: Sequence[Article], now: datetime, *, drafts: bool, future: bool
) -> tuple[list[Article], list[Held], list[Article]]:
    """The articles shown at NOW (with FUTURE, the scheduled ones too; with DRAFTS, the
    held ones too, marked), those held back, and the articles held back and not shown."""
    held = held_back(articles, now)
    if future:
        held = [h for h in held if h.state != SCHEDULED]
    states = {h.source: h.state for h in held}
    shown = [
        a if a.source not in states else dataclasses.replace(a, held=states[a.source])
        for a in articles
        if a.source not in states or drafts
    ]
    waiting = [] if drafts else [a for a in articles if a.source in states]
    if not future:
        shown_now = (a for a in articles if a.source not in states)
        held += corrections_waiting(shown_now, now, drafts=drafts)
        shown = [_corrected_by(a, now) for a in shown]
    return shown, held, waiting


def _updated_later(
    articles: Iterable[Article], now: datetime, config: SiteConfig
) -> list[ContentError]:
    """A published article whose `updated` is after NOW: the page, its feeds and the sitemap
    say it was updated at a moment still to come (a mistyped year, most often)."""
    from newsgen.schedule import shown_time

    return [
        ContentWarning(
            a.source,
            None,
            f"its 'updated' date, {shown_time(a.updated, config.tz)}, is still to come:"
            " the page and the feeds say it was updated then",
        )
        for a in articles
        if a.updated is not None and a.updated > now and not a.held and not a.draft
    ]


def _corrected_by(article: Article, now: datetime) -> Article:
    """ARTICLE with only the corrections made by NOW: one dated later waits for its time,
    as a scheduled story does (its notice, its place on the corrections page and in their
    feeds, and the last change JSON-LD, feeds and the sitemap give)."""
    if all(c.date <= now for c in article.corrections):
        return article
    made = tuple(c for c in article.corrections if c.date <= now)
    return dataclasses.replace(article, corrections=made)


def published_files(
    static: Mapping[str, PurePosixPath], items: Iterable[Article | Page]
) -> PublishedFiles:
    """The files published as they are: STATIC (output path → source) and each item's
    bundle files, beside its page."""
    sources = dict(static)
    for item in items:
        if item.bundle is None or not item.assets:
            continue
        folder = item.url if item.url.endswith("/") else item.url.rpartition("/")[0] + "/"
        folder = folder.lstrip("/")
        for asset in item.assets:
            sources.setdefault(folder + asset.as_posix(), item.bundle / asset)
    return PublishedFiles(FrozenMap(sources))


def _lead_images(items: Sequence[Item], config: SiteConfig, files: PublishedFiles) -> list[Item]:
    """ITEMS with each lead image written as the deployed site serves it: one written from
    the host's root under base_url's path (`/assets/x.png` → `/paper/assets/x.png`), one
    written without a leading slash looked for next to the item first (its bundle), then
    at the site's root (static/): `image: assets/images/x.jpg`, as Jekyll themes write it.
    One found in neither place is left as written, for the images step to name missing (an
    error, at its line)."""
    outside = path_matcher(config.check_external_paths)
    out: list[Item] = []
    for item in items:
        image = (item.image or "").strip()
        placed = image
        if not image or "://" in image or image.startswith("//") or _SCHEME.match(image):
            pass
        elif image.startswith("/"):
            placed = under_base(image, config.base_path, outside)
        else:
            page = href(config.base_path, item.url)
            near, root = urljoin(page, image), urljoin(config.base_path, image)
            if local_file(files, config.base_url, item.url, image) is not None:
                placed = near
            elif local_file(files, config.base_url, "", image) is not None:
                placed = root
            # Found in neither place, it stays as written: the build's error names both
            # (build.step_images), and a page drawn meanwhile links it beside its own.
        out.append(item if placed == image else dataclasses.replace(item, image=placed))
    return out


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _indexes(
    config: SiteConfig,
    ordered: Sequence[Article],
    described: Mapping[str, Section],
    prefix: str,
) -> dict[str, Any]:
    """The indexes of ORDERED (canonical articles, newest first): tags, authors, sections,
    the date archive (its pages under PREFIX) and related articles, as Site fields."""
    by_section: dict[str, list[Article]] = {}
    by_tag: dict[str, list[Article]] = {}
    by_author: dict[str, list[Article]] = {}
    tags: dict[str, Tag] = {}
    people: dict[str, Author] = {}
    for article in ordered:
        if article.section is not None:
            by_section.setdefault(article.section.key, []).append(article)
        for tag in article.tags:
            if tag.key not in by_tag:
                by_tag[tag.key], tags[tag.key] = [], tag
            by_tag[tag.key].append(article)
        for author in article.bylines:
            if author.key not in by_author:
                by_author[author.key], people[author.key] = [], author
            by_author[author.key].append(article)
    return {
        "articles": tuple(ordered),
        "tags": tuple(
            TagEntry(tags[key], tuple(by_tag[key]))
            for key in sorted(tags, key=lambda k: (tags[k].name.casefold(), k))
        ),
        "authors": tuple(
            AuthorEntry(people[key], tuple(by_author[key]))
            for key in sorted(people, key=lambda k: (people[k].name.casefold(), k))
        ),
        "years": _periods(ordered, config, prefix) if config.archive else (),
        "related": FrozenMap(
            related_articles(ordered, by_tag, config.related, config.related_window)
        ),
        "sections": tuple(
            SectionEntry(described[key], tuple(by_section[key]))
            for key in sorted(by_section, key=lambda k: _nav_order(described[k]))
        ),
    }


def _introduced(
    described: Mapping[str, tuple[Section, PurePosixPath]],
    items: Sequence[Article | Page],
    config: SiteConfig,
    problems: list[ContentError],
) -> dict[str, Section]:
    """DESCRIBED's sections, with the links by file name in an `_index` file's introduction
    resolved as bodies' are (among ITEMS); a link that names nothing is named in a warning."""
    found: dict[str, Section] = {}
    refs: _Refs | None = None
    for key, (section, path) in described.items():
        if section.intro is not None and _REF_MARK in section.intro:
            refs = refs or _Refs(items)
            options = BodyOptions(
                raw_html=config.raw_html, iframe_hosts=frozenset(config.iframe_hosts)
            )
            intro, missing = resolve_refs(
                str(section.intro), partial(_url_of, refs, config.base_path), options
            )
            for line, target in missing:
                message = f"link to {target!r} names no article or page; it links nowhere (#)"
                problems.append(ContentWarning(path, line, message))
            section = dataclasses.replace(section, intro=Markup(intro))
        found[key] = section
    return found


def _described_by_language(
    articles: Sequence[Article],
    pages: Sequence[Page],
    files: Sequence[tuple[PurePosixPath, Section]],
    config: SiteConfig,
    problems: list[ContentError],
) -> dict[str, dict[str, Section]]:
    """Each language's sections: as a file in that language describes them (`_index.ja.md`,
    `articles/ja/news/_index.md`), else as a file in no language does (`_index.md` in a
    folder that is no language's), else named with the first spelling the archive used;
    each with its front page's URL under no prefix (an edition's pages add its own) and its
    introduction's links resolved."""
    codes = [language.code for language in config.languages]
    neutral: list[tuple[PurePosixPath, Section]] = []
    own: dict[str, list[tuple[PurePosixPath, Section]]] = {code: [] for code in codes}
    for path, section in files:
        code = source_language(path, codes) if path.parts[0] == "articles" else None
        (own[code] if code else neutral).append((path, section))
    prefixes = {language.code: language.prefix for language in config.languages}
    taken = {prefix.strip("/") for prefix in prefixes.values() if prefix}
    items: list[Article | Page] = [*articles, *pages]
    shared = _introduced(_described(articles, neutral, problems, prefixes), items, config, problems)
    found: dict[str, dict[str, Section]] = {}
    for code in codes:
        used = {a.section.key for a in articles if a.language == code and a.section is not None}
        mine = dict(shared)
        theirs: dict[str, tuple[Section, PurePosixPath]] = {}
        described: dict[str, PurePosixPath] = {}
        for path, section in own[code]:
            if section.key in described:
                message = f"describes the section {section.key}/ as {described[section.key]} does"
                problems.append(ContentWarning(path, None, message + "; only that one is used"))
                continue
            described[section.key] = path
            if section.key not in used:
                message = (
                    f"describes the section {section.key}/ in {code}, which has no published"
                    f" articles in {code}; no page is made for it"
                )
                problems.append(ContentWarning(path, None, message))
            else:
                theirs[section.key] = (
                    dataclasses.replace(
                        section, url=section.given_url or section_url(section.key, taken)
                    ),
                    path,
                )
        mine.update(_introduced(theirs, items, config, problems))
        found[code] = mine
    return found


def _translations(
    articles: Sequence[Article] | Sequence[Page],
    languages: Sequence[Language],
    problems: list[ContentError] | None = None,
) -> dict[str, tuple[Translation, ...]]:
    """Source path → the article's versions in the other languages (articles with its
    translation key; the newest one in each language), in the order of LANGUAGES. An older
    version in a language already there is left out of the group, with a warning, so every
    link between versions goes both ways (search engines ignore hreflang that does not).
    Pages are grouped among themselves the same way."""
    groups: dict[str, dict[str, Article | Page]] = {}
    for article in articles:  # newest first: the newest version of each language is kept
        groups.setdefault(article.translation_key, {}).setdefault(article.language, article)
    found: dict[str, tuple[Translation, ...]] = {}
    for article in articles:
        group = groups[article.translation_key]
        if len(group) < 2:
            continue
        kept = group[article.language]
        if kept is not article:
            if problems is not None:
                message = (
                    f"is a second version in {article.language} of the article"
                    f" {kept.source} (the same translation key): it is not linked as a"
                    " translation; give it a translation_key of its own"
                )
                problems.append(ContentWarning(article.source, None, message))
            continue
        found[str(article.source)] = tuple(
            Translation(language, group[language.code].url, group[language.code].title)
            for language in languages
            if language.code in group and language.code != article.language
        )
    return found


def _nav_order(section: Section) -> tuple[bool, int, str, str]:
    """Sections with a weight first, lightest first, then the rest by name (as Hugo orders
    weighted pages: a weight of 0 is no weight)."""
    return (section.weight == 0, section.weight, section.name.casefold(), section.key)


def _described(
    articles: Sequence[Article],
    files: Sequence[tuple[PurePosixPath, Section]],
    problems: list[ContentError],
    prefixes: Mapping[str, str] = EMPTY,
) -> dict[str, tuple[Section, PurePosixPath]]:
    """Every section with the file that names it: as its `_index` file (or the settings)
    describe it, else named with the first spelling the archive used; each with its front
    page's URL. A file describing a section no article is in is named in a warning, and so
    are different names that share a URL name, and a name that is one of newsgen's pages
    (its URL in the warning under the prefix of its first article's language, in PREFIXES)."""
    found: dict[str, tuple[Section, PurePosixPath]] = {}
    origin: dict[str, tuple[PurePosixPath, str]] = {}
    spellings: dict[str, dict[str, PurePosixPath]] = {}
    for article in reversed(articles):  # oldest first
        section = article.section
        if section is None:
            continue
        found.setdefault(section.key, (section, article.source))
        origin.setdefault(section.key, (article.source, prefixes.get(article.language, "")))
        same = re.sub(r"[\s_-]+", "-", tag_key(section.name))
        spellings.setdefault(section.key, {}).setdefault(same, article.source)
    for key, names in spellings.items():
        if len(names) > 1:
            first, *others = names.values()
            shown = found[key][0].name
            for other in others:
                message = (
                    f"its section has the same URL name ({key}) as the section {shown!r} of"
                    f" {first}, so the two are one section, {shown!r}; give one another"
                    " name (section:) to keep them apart"
                )
                problems.append(ContentWarning(other, None, message))
    described: dict[str, PurePosixPath] = {}
    for path, section in files:
        if section.key in described:
            message = f"describes the section {section.key}/ as {described[section.key]} does"
            problems.append(ContentWarning(path, None, message + "; only that one is used"))
        elif section.key not in found:
            message = (
                f"describes the section {section.key}/, which has no published articles;"
                " no page is made for it"
            )
            problems.append(ContentWarning(path, None, message))
            described[section.key] = path
        else:
            found[section.key] = (section, path)
            described[section.key] = path
    placed: dict[str, tuple[Section, PurePosixPath]] = {}
    for key, (section, source) in found.items():
        url = section.given_url or section_url(
            key, {prefix.strip("/") for prefix in prefixes.values() if prefix}
        )
        if url != f"{key}/" and not section.given_url:
            source, prefix = origin.get(key, (source, ""))
            message = (
                f"the section {section.name!r} has its front page at /{prefix}{url}:"
                f" /{prefix}{key}/ is newsgen's own page; give the section another name to"
                " have it there"
            )
            problems.append(ContentWarning(source, None, message))
        placed[key] = (dataclasses.replace(section, url=url), source)
    return placed


def _periods(
    articles: Sequence[Article], config: SiteConfig, prefix: str = ""
) -> tuple[Period, ...]:
    """Years newest first, each with its months: counted in the site's time zone, their
    pages under PREFIX (a language's)."""
    counts: dict[tuple[int, int], int] = {}
    for article in articles:
        local = article.date.astimezone(config.tz)
        counts[(local.year, local.month)] = counts.get((local.year, local.month), 0) + 1
    years: dict[int, list[Period]] = {}
    for (year, month), count in sorted(counts.items(), reverse=True):
        url = prefix + month_url(year, month)
        years.setdefault(year, []).append(Period(year, month, count, url))
    return tuple(
        Period(year, None, sum(m.count for m in months), prefix + year_url(year), tuple(months))
        for year, months in years.items()
    )


def _redirects(
    items: Iterable[Article | Page], config: SiteConfig, problems: list[ContentError]
) -> tuple[Redirect, ...]:
    base_url, static_prefix = config.base_url, config.static_prefix
    found: list[Redirect] = []
    for item in items:
        written: set[str] = set()
        for alias in item.redirects:
            for redirect in _redirect(
                alias, item.url, item.title, item.source, base_url, problems, static_prefix
            ):
                # '/old/' and '/old/index.html' are one file on a static host: one redirect.
                output = redirect_output(redirect.url) if redirect.url else ""
                if output not in written:
                    written.add(output)
                    found.append(redirect)
    return tuple(sorted(found, key=lambda r: (r.url, str(r.source))))


def _redirect(
    alias: str,
    target: str,
    title: str,
    source: PurePosixPath,
    base_url: str,
    problems: list[ContentError],
    static_prefix: str = "",
) -> list[Redirect]:
    """The redirect of ALIAS to TARGET, or none (and the problem) when it cannot be one."""
    url = alias_url(alias, base_url)
    if url is None:
        message = f"alias {alias!r} is not a path inside the site (no '..', same host)"
        problems.append(ContentError(source, None, message))
    elif is_asset_url(url):
        message = (
            f"alias {alias!r} names a file, not a page: a redirect there would be a folder"
            f" holding a page, never the file; no redirect made. Put the file in static/"
            f" (static/{unquote(url)} is published at /{static_prefix}{unquote(url)}) and drop"
            " the alias"
        )
        problems.append(ContentWarning(source, None, message))
    elif redirect_output(url) == page_file(target):
        message = f"alias {alias!r} is this page's own URL; no redirect needed"
        problems.append(ContentWarning(source, None, message))
    else:
        return [Redirect(url, target, title, source)]
    return []


def _with_section_redirects(
    site: Site, editions: Sequence[Site], problems: list[ContentError]
) -> Site:
    """SITE with the redirects of its sections' aliases (their `_index` files'), each to
    the front page of the section in the first of EDITIONS that has it (an alias is one
    URL, kept as written, as an article's is)."""
    found = list(site.redirects)
    done: set[tuple[str, PurePosixPath | None]] = set()
    written: set[tuple[str, PurePosixPath]] = set()  # '/old/' and '/old/index.html': one
    for edition in editions:
        prefix = edition.language.prefix if site.editions and edition.language else ""
        for part in edition.sections:
            section = part.section
            for alias in section.aliases:
                if (alias, section.source) in done or section.source is None:
                    continue
                done.add((alias, section.source))
                target, base_url = prefix + section.url, site.config.base_url
                host = edition.language.host if site.editions and edition.language else ""
                if host:  # written for the language's own host
                    alias = under_language(alias, prefix, host)
                for redirect in _redirect(
                    alias,
                    target,
                    section.name,
                    section.source,
                    base_url,
                    problems,
                    site.config.static_prefix,
                ):
                    output = redirect_output(redirect.url) if redirect.url else ""
                    if (output, section.source) not in written:
                        written.add((output, section.source))
                        found.append(redirect)
    if len(found) == len(site.redirects):
        return site
    redirects = tuple(sorted(found, key=lambda r: (r.url, str(r.source))))
    return dataclasses.replace(site, redirects=redirects)


def _canonical(
    article: Article,
    canonical: dict[str, Tag],
    bylines: dict[str, Author],
    sections: dict[str, Section],
) -> Article:
    """The article with its tags, authors and section in their archive-wide spelling."""
    section = None if article.section is None else sections[article.section.key]
    tags = tuple(canonical[t.key] for t in article.tags)
    same = all(
        t.name == c.name and t.slug == c.slug for t, c in zip(article.tags, tags, strict=True)
    )
    people = tuple(bylines[tag_key(name)] for name in article.authors)
    if (
        same
        and section is article.section
        and len(people) == len(article.bylines)
        and all(
            p.name == b.name and p.slug == b.slug
            for p, b in zip(people, article.bylines, strict=True)
        )
    ):
        return article
    # dataclasses.replace, made plain: this runs for every article of every build.
    values = list(_ARTICLE_VALUES(article))
    values[_TAGS_AT], values[_BYLINES_AT], values[_SECTION_AT] = tags, people, section
    return Article(*values)


_ARTICLE_FIELDS = [f.name for f in dataclasses.fields(Article)]
_ARTICLE_VALUES = operator.attrgetter(*_ARTICLE_FIELDS)
_TAGS_AT, _BYLINES_AT = _ARTICLE_FIELDS.index("tags"), _ARTICLE_FIELDS.index("bylines")
_SECTION_AT = _ARTICLE_FIELDS.index("section")


def _route(
    url: str,
    template: str,
    context: Mapping[str, object],
    in_sitemap: bool = True,
    owner: str = "newsgen",
) -> Route:
    path = output_file(url) if template.startswith("feed:") else page_file(url)
    return Route(url, path, template, {**context, "page_url": url}, in_sitemap, owner)


def _paginate(
    prefix: str,
    articles: Sequence[Article],
    per_page: int,
    template: str,
    extra: dict[str, object],
    owner: str = "newsgen",
    first: Mapping[str, object] = EMPTY,
) -> list[Route]:
    """The pages of a listing, PER_PAGE articles each; the first has FIRST in its context too."""
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
        if number == 1:
            context.update(first)
        routes.append(_route(pagination.url, template, context, owner=owner))
    return routes


def _feeds(
    prefix: str, title: str, articles: Sequence[Article], length: int, language: str = ""
) -> tuple[list[Route], dict[str, str]]:
    """The RSS, Atom and JSON feeds of a listing at PREFIX, and their URLs by format."""
    newest = tuple(articles[:length])
    routes, urls = [], {}
    for kind, name in FEED_FILES.items():
        url = prefix + name
        feed = Feed(kind, title, prefix, newest, language)
        route = _route(url, f"feed:{kind}", {"feed": feed}, in_sitemap=False)
        routes.append(dataclasses.replace(route, feed=True))
        urls[kind] = url
    return routes, urls


def _listing(
    add: Any,
    owner: str,
    prefix: str,
    articles: Sequence[Article],
    config: SiteConfig,
    template: str,
    extra: dict[str, object],
    feed_title: str | None,
    language: str = "",
    first: Mapping[str, object] = EMPTY,
) -> None:
    """A paginated listing, and its feeds when FEED_TITLE is given (pages link to them);
    its first page has FIRST in its context too."""
    feeds: dict[str, str] = {}
    if feed_title is not None:
        feed_routes, feeds = _feeds(prefix, feed_title, articles, config.feed_length, language)
        for route in feed_routes:
            add(route, f"the feeds of {owner}")
    extra = {**extra, "page_feeds": feeds, "feed_title": feed_title or config.title}
    for route in _paginate(prefix, articles, config.per_page, template, extra, owner, first):
        add(route, owner)


def searchable(site: Site) -> bool:
    """Search is on and there is something to find (Pagefind makes no index of nothing)."""
    return site.config.search and bool(site.articles)


def has_corrections(site: Site) -> bool:
    """Some published article has a correction: the site has a corrections page, which
    every page's footer links to."""
    return any(article.corrections for article in site.articles)


SEARCH_SHARD_SIZE = 1000
"""A year of more articles than this is indexed in spans of months instead of in one part."""


SPANS = (12, 6, 4, 3, 2, 1)
"""Months a part may span within a year: a whole year, halves, thirds, quarters, ... months."""


def search_shards(site: Site) -> list[SearchPart]:
    """The parts of the search index, newest first: a year each ('2024'), or in a year of
    more than SEARCH_SHARD_SIZE articles, the fewest equal spans of months that each hold
    no more (halves '2024-07' and '2024-01', quarters, ..., down to single months). In a
    site of several languages each language has parts of its own, named under its code
    ('ja/2024') but for the first language's: a language's search page finds its own
    articles, read with its words' stemming.

    An edit re-indexes only its article's part, so a part must stay small; the search page
    loads every part of its language, so there must not be many. Parts by date never
    overlap, so the browser can put their results in date order by concatenating them.
    """
    if not site.editions:
        return _search_shards(site, site.articles, "", site.config.language)
    shards: list[SearchPart] = []
    for index, edition in enumerate(site.editions):
        assert edition.language is not None
        code = edition.language.code
        folder = "" if index == 0 else code_key(code) + "/"
        shards += _search_shards(site, edition.articles, folder, code)
    return shards


def _search_shards(
    site: Site, articles: Sequence[Article], folder: str, language: str
) -> list[SearchPart]:
    tz = site.config.tz
    years: dict[int, list[tuple[int, Article]]] = {}
    for article in articles:  # newest first, and so is every part
        local = article.date.astimezone(tz)
        years.setdefault(local.year, []).append((local.month, article))
    shards: list[SearchPart] = []
    for year, dated in years.items():
        if len(dated) <= SEARCH_SHARD_SIZE:
            shards.append(SearchPart(f"{folder}{year}", language, tuple(a for _, a in dated)))
            continue
        for span in SPANS[1:]:
            spans: dict[int, list[Article]] = {}
            for month, article in dated:
                spans.setdefault((month - 1) // span * span + 1, []).append(article)
            if span == 1 or max(map(len, spans.values())) <= SEARCH_SHARD_SIZE:
                shards += [
                    SearchPart(f"{folder}{year}-{first:02d}", language, tuple(found))
                    for first, found in spans.items()
                ]
                break
    return shards


def routes(
    site: Site, parts: Sequence[SearchPart] | None = None, words: Catalogue | None = None
) -> tuple[list[Route], list[ContentError]]:
    """Every page and feed of the site in a fixed order, and an error for each URL claimed twice.

    PARTS is `search_shards(site)` when the caller has it already (the build indexes them);
    WORDS the theme's words (the feeds' titles that are not names).
    A site of several languages has each language's listings and articles under its prefix."""
    config = site.config
    result: list[Route] = []
    owners: dict[str, str] = {}
    # The claims of newsgen's own pages at a URL a setting gives: the setting that moves them.
    settings: dict[str, str] = {}
    errors: list[ContentError] = []

    def add(
        route: Route, owner: str, source: PurePosixPath | None = None, setting: str = ""
    ) -> bool:
        # An extensionless page ('x' in x.html) claims the file 'x' too: a host serves that first.
        claims = (route.path,) if route.path == route.url else (route.path, output_file(route.url))
        taken = next((claim for claim in claims if claim in owners), None)
        if taken is not None:
            message = f"has the same URL /{route.url} as {owners[taken]}"
            if setting:  # newsgen's own page, at the URL a setting gives it
                message = (
                    f"{owner} would be at /{route.url}, which is the URL of {owners[taken]}:"
                    f" give it another URL with {setting} (or move {owners[taken]})"
                )
            errors.append(ContentError(source or PurePosixPath(owner), None, message))
            return False
        owners.update(dict.fromkeys(claims, owner))
        if setting:
            settings.update(dict.fromkeys(claims, setting))
        result.append(route if route.owner == owner else dataclasses.replace(route, owner=owner))
        return True

    editions = site.editions or (site,)
    for edition in editions:
        _listing_routes(add, site, edition)
    if searchable(site):
        found = search_shards(site) if parts is None else parts
        for edition in editions:
            _search_route(add, site, edition, found)
    # The 404 page is the default language's: its navigation, menu and search box.
    lost = _in_language(site, site.editions[0]) if site.editions else {}
    add(_route("404.html", "404.html", lost, in_sitemap=False), "the 404 page")
    by_language = {e.language.code: e for e in site.editions if e.language is not None}
    for page in site.pages:
        shown: dict[str, object] = {"page": page}
        spoken_in = by_language.get(page.language)
        if spoken_in is not None:  # a site of several languages: the page speaks its own
            shown |= _in_language(site, spoken_in)
            shown["translations"] = site.translations.get(str(page.source), ())
        add(_route(page.url, "page.html", shown), str(page.source), page.source)
    # Articles come after the site's own pages so a collision names the article, which is
    # what the user can rename.
    for edition in editions:
        _article_routes(add, site, edition)
    # newsgen's own pages at a URL a setting gives: a clash names the setting, after
    # whatever the archive already has there.
    for edition in editions:
        _corrections_routes(add, site, edition, words or Catalogue())
    redirects = list(site.redirects)
    if site.editions and site.editions[0].language and site.editions[0].language.prefix:
        # The default language has a prefix of its own: the site's root leads to it.
        home = site.editions[0].language.prefix
        redirects.insert(0, Redirect("", home, config.title, PurePosixPath("newsgen.yaml")))
    # A redirect page speaks its article's language (its words and <html lang>).
    spoken = {lang.code: lang for lang in config.languages}
    language_of = (
        {
            str(item.source): spoken.get(item.language)
            for items in (site.articles, site.pages)
            for item in items
        }
        if site.editions
        else {}
    )
    for edition in site.editions:  # a section's _index file speaks its edition's language
        for part in edition.sections:
            if part.section.source is not None and edition.language is not None:
                language_of.setdefault(str(part.section.source), edition.language)
    # Redirects come last: an alias never replaces a page, it is the alias that is wrong.
    for redirect in redirects:
        context: dict[str, object] = {"redirect": redirect, "page_url": redirect.url}
        language = language_of.get(str(redirect.source))
        if language is not None:
            context["language"] = language
        route = Route(
            redirect.url,
            redirect_output(redirect.url) if redirect.url else output_file(""),
            "redirect.html",
            context,
            in_sitemap=False,
        )
        if route.path in owners:
            message = f"alias /{redirect.url} would replace {owners[route.path]}"
            if route.path in settings:
                message += (
                    f": remove the alias, or give {owners[route.path]} another URL with"
                    f" {settings[route.path]}"
                )
            errors.append(ContentError(redirect.source, None, message))
            continue
        owners[route.path] = f"the alias /{redirect.url} of {redirect.source}"
        result.append(dataclasses.replace(route, owner=str(redirect.source)))
    return result, errors


def _in_language(site: Site, edition: Site) -> dict[str, object]:
    """What each page of a language's edition shows in its language, shadowing the template
    globals of the same names: its language, home, the sections its navigation shows
    (nav_sections of them), listings and feeds. Nothing in
    a site of one language (the globals say it all)."""
    language = edition.language
    if not site.editions or language is None:
        return {}
    prefix, config = language.prefix, site.config
    words: dict[str, object] = {}
    if language.title or language.description:  # the site's own words in this language
        words["site"] = dataclasses.replace(
            config,
            title=language.title or config.title,
            description=language.description or config.description,
        )
    return {
        **words,
        "language": language,
        "home_url": prefix,
        "sections": tuple(part.section for part in edition.sections[: config.nav_sections]),
        "menu": tuple(page for page in site.menu if page.language == language.code),
        "tags_url": prefix + TAGS_URL,
        "has_topics": bool(edition.tags),
        "authors_url": prefix + AUTHORS_URL if config.author_pages else None,
        "archive_url": prefix + ARCHIVE_URL if config.archive else None,
        "search_url": prefix + SEARCH_URL if searchable(site) and edition.articles else None,
        "corrections_page_url": (
            prefix + config.corrections_url if has_corrections(edition) else None
        ),
        "feeds": {kind: prefix + name for kind, name in FEED_FILES.items()},
    }


def _listing_translations(
    site: Site, edition: Site, find: Any
) -> dict[str, tuple[Translation, ...]]:
    """`translations` of a listing page: the same listing in each other language that has
    it (FIND(other edition) → (url, title) or None); nothing in a site of one language."""
    if not site.editions:
        return {}
    found = []
    for other in site.editions:
        if other is edition or other.language is None:
            continue
        place = find(other)
        if place is not None:
            found.append(Translation(other.language, *place))
    return {"translations": tuple(found)}


def _listing_routes(add: Any, site: Site, edition: Site) -> None:
    """The home page, section, tag, archive and author pages of one language (or of the
    site, in one language), with their feeds."""
    config = site.config
    language = edition.language
    prefix = language.prefix if language and site.editions else ""
    code = language.code if language and site.editions else ""
    named = f" ({code})" if code and edition is not site.editions[0] else ""
    placed = _in_language(site, edition)
    title = (language.title if language and site.editions else "") or config.title
    homes = _listing_translations(site, edition, lambda other: (other.language.prefix, title))
    extra: dict[str, object] = {**placed, **homes}
    owner = "the home page" + named
    front = {"front": front_page(edition)}
    _listing(add, owner, prefix, edition.articles, config, "index.html", extra, title, code, front)
    # A section an `_index` file moves claims its URL after the others, so a clash names the file.
    for part in sorted(edition.sections, key=lambda part: bool(part.section.given_url)):
        section = part.section
        feed_title = f"{title}: {section.name}" if config.section_feeds else None
        owner = f"the front page of the section '{section.name}'{named}"
        url = prefix + section.url
        claim = add
        if section.given_url and section.source is not None:
            # Its URL is the `_index` file's: a clash is that file's to solve.
            owner += f" (the url of {section.source})"
            claim = _claimer(add, section.source)

        def same_section(other: Site, key: str = section.key) -> tuple[str, str] | None:
            there = next((p.section for p in other.sections if p.section.key == key), None)
            if there is None or other.language is None:
                return None
            return other.language.prefix + there.url, there.name

        extra = {**placed, **_listing_translations(site, edition, same_section)}
        extra["section"] = section
        _listing(claim, owner, url, part.articles, config, "section.html", extra, feed_title, code)
    add(
        _route(prefix + TAGS_URL, "tags.html", {**placed, "tags": edition.tags}),
        "the tag index" + named,
    )
    for entry in edition.tags:
        tag = entry.tag
        feed_title = f"{title}: {tag.name}" if config.tag_feeds else None
        owner = f"the page of tag '{tag.name}'{named}"
        extra = {**placed, "tag": tag, "term": entry.note}
        url = prefix + tag_url(tag.slug)
        _listing(add, owner, url, entry.articles, config, "tag.html", extra, feed_title, code)
    if config.archive:
        archive = {**placed, "years": edition.years}
        add(_route(prefix + ARCHIVE_URL, "archive.html", archive), "the archive" + named)
        by_month: dict[tuple[int, int], list[Article]] = {}
        for article in edition.articles:
            local = article.date.astimezone(config.tz)
            by_month.setdefault((local.year, local.month), []).append(article)
        for year in edition.years:
            listed = [a for m in year.months for a in by_month[(year.year, m.month or 0)]]
            extra = {**placed, "period": year}
            owner = f"the archive of {year.year}{named}"
            _listing(add, owner, year.url, listed, config, "period.html", extra, None)
            for month in year.months:
                owner = f"the archive of {month.year}-{month.month:02d}{named}"
                month_articles = by_month[(month.year, month.month or 0)]
                extra = {**placed, "period": month}
                _listing(add, owner, month.url, month_articles, config, "period.html", extra, None)
    if config.author_pages:
        authors = {**placed, "authors": edition.authors}
        add(_route(prefix + AUTHORS_URL, "authors.html", authors), "the author index" + named)
        for person in edition.authors:
            author = person.author
            feed_title = f"{title}: {author.name}" if config.author_feeds else None
            owner = f"the page of author '{author.name}'{named}"
            url = prefix + author_url(author.slug)
            extra = {**placed, "author": author, "term": person.note}
            _listing(
                add, owner, url, person.articles, config, "author.html", extra, feed_title, code
            )


def corrected(articles: Sequence[Article]) -> tuple[Article, ...]:
    """The articles with corrections, the newest correction first (then newest article)."""
    found = [article for article in articles if article.corrections]
    return tuple(sorted(found, key=lambda article: article.corrections[0].date, reverse=True))


CORRECTIONS_SETTING = "corrections.url in newsgen.yaml"


def _corrections_routes(add: Any, site: Site, edition: Site, words: Catalogue) -> None:
    """The corrections page of one language (or of the site) and its feeds, when any of its
    articles has a correction; at a URL the archive has already, the one error names the
    setting, and nothing of it is published."""
    articles = corrected(edition.articles)
    if not articles:
        return
    config = site.config
    language = edition.language
    prefix = language.prefix if language and site.editions else ""
    code = language.code if language and site.editions else ""
    named = f" ({code})" if code and edition is not site.editions[0] else ""
    title = (language.title if language and site.editions else "") or config.title
    word = words.text(code or config.language, "Corrections")
    feed_title = f"{title}: {word if isinstance(word, str) else 'Corrections'}"
    url = prefix + config.corrections_url
    feeds, urls = _feeds(url, feed_title, articles, config.feed_length, code)
    feeds = [dataclasses.replace(r, context={**r.context, "feed": _notices(r)}) for r in feeds]

    def elsewhere(other: Site) -> tuple[str, str] | None:
        if other.language is None or not any(a.corrections for a in other.articles):
            return None
        return other.language.prefix + config.corrections_url, feed_title

    extra: dict[str, object] = {
        **_in_language(site, edition),
        **_listing_translations(site, edition, elsewhere),
        "page_feeds": urls,
        "feed_title": feed_title,
    }
    pages = _paginate(url, articles, config.per_page, "corrections.html", extra)
    owner = "the corrections page" + named
    source = PurePosixPath(CONFIG_FILE_NAME)
    if not add(pages[0], owner, source, CORRECTIONS_SETTING):
        return
    for route in [*feeds, *pages[1:]]:
        whose = f"the feeds of {owner}" if route.feed else owner
        if not add(route, whose, source, CORRECTIONS_SETTING):
            return


def _notices(route: Route) -> Feed:
    feed = route.context["feed"]
    assert isinstance(feed, Feed)
    return dataclasses.replace(feed, notices=True)


def front_page(edition: Site) -> Front:
    """What the front page of EDITION (a language's, or the site's) shows: the newest story
    as its lead, the next `front_grid` in a grid, a block per section (`front_sections`, else
    the first `front_blocks` of the navigation's; in a site without sections, its biggest
    tags) with stories the lead and grid do not show, the rest of the first page's
    `per_page` stories (the second page goes on from there), and the `front_latest` newest."""
    config = edition.config
    articles = edition.articles
    shown = articles[: 1 + config.front_grid]
    seen = {id(article) for article in shown}
    candidates: list[tuple[str, tuple[Article, ...], Section | None, Tag | None]]
    if edition.sections:
        by_key = {part.section.key: part for part in edition.sections}
        keys = config.front_sections or tuple(by_key)[: config.front_blocks]
        parts = [by_key[key] for key in keys if key in by_key]
        candidates = [(p.section.name, p.articles, p.section, None) for p in parts]
    else:
        biggest = sorted(
            edition.tags, key=lambda e: (-len(e.articles), e.tag.name.casefold(), e.tag.key)
        )
        entries = biggest[: config.front_blocks]
        candidates = [(e.tag.name, e.articles, None, e.tag) for e in entries]
    blocks = []
    for name, listed, section, tag in candidates:
        fresh = tuple(a for a in listed if id(a) not in seen)[: config.front_block_stories]
        if fresh:
            blocks.append(FrontBlock(name, fresh, section, tag))
    seen.update(id(a) for block in blocks for a in block.articles)
    return Front(
        lead=shown[0] if shown else None,
        grid=tuple(shown[1:]),
        blocks=tuple(blocks),
        more=tuple(a for a in articles[: config.per_page] if id(a) not in seen),
        latest=tuple(articles[: config.front_latest]),
        today=edition.today or (articles[0].date if articles else None),
    )


def _claimer(add: Any, source: PurePosixPath) -> Any:
    """ADD for the pages of a section whose URL SOURCE gives: its front page claims its URL
    before its feeds do, and the first clash is named (at SOURCE); the section's other pages
    and feeds, which clash too, are not tried."""
    feeds: list[tuple[Route, str]] = []
    state = {"claimed": False, "clashed": False}

    def claim(route: Route, owner: str) -> None:
        if state["clashed"]:
            return
        if route.feed and not state["claimed"]:
            feeds.append((route, owner))
            return
        for one, whose in [(route, owner), *feeds]:
            if not add(one, whose, source):
                state["clashed"] = True
                return
        state["claimed"] = True
        feeds.clear()

    return claim


def _search_route(add: Any, site: Site, edition: Site, parts: Sequence[SearchPart]) -> None:
    """The search page of one language (or of the site), which searches its own parts."""
    if site.editions and not edition.articles:
        return  # nothing to find: its pages link to no search page (_in_language)
    language = edition.language
    code = language.code if language and site.editions else ""
    prefix = language.prefix if language and site.editions else ""
    named = f" ({code})" if code and edition is not site.editions[0] else ""
    mine = tuple((p.name, len(p.articles)) for p in parts if not code or p.language == code)

    def searched(other: Site) -> tuple[str, str] | None:
        if not other.articles or other.language is None:
            return None
        return other.language.prefix + SEARCH_URL, site.config.title

    extra = {
        **_in_language(site, edition),
        **_listing_translations(site, edition, searched),
        "search_shards": mine,
    }
    add(
        _route(prefix + SEARCH_URL, "search.html", extra, in_sitemap=False),
        "the search page" + named,
    )


def _article_routes(add: Any, site: Site, edition: Site) -> None:
    """The page of each article of one language (or of the site, in one language)."""
    config = site.config
    language = edition.language
    prefix = language.prefix if language and site.editions else ""
    placed = _in_language(site, edition)
    articles = edition.articles
    for index, article in enumerate(articles):
        local = article.date.astimezone(config.tz)
        context = {
            **placed,
            "article": article,
            "newer": articles[index - 1] if index > 0 else None,
            "older": articles[index + 1] if index + 1 < len(articles) else None,
            "related": edition.related.get(str(article.source), ()),
            "year_url": prefix + year_url(local.year) if config.archive else None,
            "month_url": prefix + month_url(local.year, local.month) if config.archive else None,
        }
        if site.editions:
            context["translations"] = site.translations.get(str(article.source), ())
        owner = str(article.source)
        add(_route(article.url, "article.html", context, owner=owner), owner, article.source)
