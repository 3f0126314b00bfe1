"""The pipeline: config → load → site → render and feeds → publish; nothing else knows the order.

It also owns what makes a rebuild cheap, so the stages below it stay simple and pure:

- the parse cache (`cache.py`): a source parses again only when its bytes, place, bundle or
  the settings it depends on changed;
- fingerprints: every output file has one, made of everything that file is made from
  (its route's context, the templates it uses, the settings, newsgen's code); a file whose
  fingerprint did not change is neither rendered nor written;
- parallel work: parsing and rendering run in worker processes forked from this one (they
  inherit the read-only catalogue), results are taken in order and written as they come.

A `Builder` keeps what it learned between builds; `newsgen serve` holds one for its life.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from newsgen.cache import (
    CachedSource,
    StoredBody,
    Uncacheable,
    body_digest,
    code_fingerprint,
    fingerprint,
    item_from_record,
    item_record,
    open_cache,
    problems_from_record,
    problems_record,
    stat_key,
)
from newsgen.config import CONFIG_NAME, default_out_dir, read_config
from newsgen.discover import SourceFile, discover, static_files
from newsgen.errors import BuildFailed, ContentError, TemplateError, UsageError
from newsgen.feeds import render_feeds, render_redirects, render_robots, render_sitemap
from newsgen.loader import ARTICLES_DIR, PAGES_DIR, Loaded, parse_file, read_source
from newsgen.models import Article, Page, Route, Site, SiteConfig
from newsgen.publisher import OutputLock, Publisher, check_output_dir, fault
from newsgen.renderer import make_environment, render_route, template_sources
from newsgen.site import assemble, routes
from newsgen.theme import builtin_theme_dir
from newsgen.urls import REDIRECTS_URL, ROBOTS_URL, SITEMAP_URL, output_path

STATIC_DIR = "static"
TEMPLATES_DIR = "templates"
POOL_THRESHOLD = 64
"""Fewer items than this are cheaper to do in this process than to hand to workers."""
CHUNK = 16
RACY_SECONDS = 2.0
"""A file changed this close to when it was last read may have changed again unseen."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a successful build produced, for the one-line summary."""

    articles: int
    pages: int
    tags: int
    seconds: float
    out_dir: Path
    config: SiteConfig
    """The settings the build ran with (serve follows base_url changes through it)."""
    warnings: tuple[ContentError, ...] = ()
    """What the build left out or changed, each with its file and line."""
    written: int = 0
    """Output files written anew."""
    unchanged: int = 0
    """Output files kept as they were (same bytes, mtime and inode)."""
    removed: int = 0
    """Output files of the previous build that are gone."""

    def summary(self) -> str:
        warned = len(self.warnings)
        return (
            f"Built {_count(self.articles, 'article')}, {_count(self.pages, 'page')}, "
            f"{_count(self.tags, 'tag')} in {self.seconds:.2f} s into {self.out_dir}: "
            f"{_count(self.written, 'file')} written, {self.unchanged} unchanged, "
            f"{self.removed} removed" + (f" ({_count(warned, 'warning')})" if warned else "")
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report_once(errors: list[ContentError]) -> list[ContentError]:
    """A broken template fails every page it renders: report each problem once, with a count."""
    pages: dict[tuple[str, int, str], list[str]] = {}
    merged: list[ContentError] = []
    for error in errors:
        if not isinstance(error, TemplateError) or not error.page:
            merged.append(error)
            continue
        key = (str(error.path), error.line or 0, error.message)
        if key not in pages:
            pages[key] = []
            merged.append(error)
        pages[key].append(error.page)
    result = []
    for error in merged:
        if isinstance(error, TemplateError) and error.page:
            seen = pages[(str(error.path), error.line or 0, error.message)]
            more = f" and {len(seen) - 1} more page{'s' if len(seen) > 2 else ''}"
            page = seen[0] + (more if len(seen) > 1 else "")
            error = TemplateError(error.path, error.line, error.message, page)
        result.append(error)
    return result


def _fail_on(problems: list[ContentError], strict: bool) -> None:
    """Raise BuildFailed with every problem if any is an error (or, STRICT, a warning)."""
    if any(p.severity == "error" or strict for p in problems):
        raise BuildFailed(problems)


# -- Work done in forked workers -----------------------------------------------------------------
# Workers are forked after the data they need is ready, so they inherit it instead of
# receiving it: a task is an index into these, and only results travel back.

_PARSE_JOBS: list[tuple[SourceFile, bytes, str]] = []
_PARSE_CONFIG: SiteConfig | None = None
_RENDER_ROUTES: Sequence[Route] = ()
_RENDER_ENV: Any = None


def _parse_one(index: int) -> Loaded:
    src, data, kind = _PARSE_JOBS[index]
    assert _PARSE_CONFIG is not None
    return parse_file(data, src, _PARSE_CONFIG, kind)


def _render_one(index: int) -> bytes | ContentError:
    try:
        return render_route(_RENDER_ENV, _RENDER_ROUTES[index]).encode("utf-8")
    except ContentError as e:
        return e


def _chunk(func: Callable[[int], Any], start: int, stop: int) -> list[Any]:
    return [func(index) for index in range(start, stop)]


def _run(func: Callable[[int], Any], count: int, workers: int) -> Iterator[Any]:
    """func(0) … func(count-1), in order; in worker processes when it is worth it.

    At most a few chunks per worker are in flight, so results are written as they come
    and never pile up in memory (Executor.map would submit everything at once).
    """
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or count < POOL_THRESHOLD or not forkable:
        for index in range(count):
            yield func(index)
        return
    gc.collect()
    gc.freeze()  # the inherited objects stay shared: a worker's GC never touches them
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            starts = iter(range(0, count, CHUNK))
            pending: deque[Future[list[Any]]] = deque()
            for start in starts:
                pending.append(pool.submit(_chunk, func, start, min(start + CHUNK, count)))
                if len(pending) >= workers * 4:
                    break
            while pending:
                done = pending.popleft().result()
                start = next(starts, None)
                if start is not None:
                    pending.append(pool.submit(_chunk, func, start, min(start + CHUNK, count)))
                yield from done
    finally:
        gc.unfreeze()


# -- The builder ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Known:
    """A source as this builder last saw it."""

    cached: CachedSource
    item: Article | Page | None
    problems: list[ContentError]


class Builder:
    """Builds one site into one output, again and again, doing only the work that changed."""

    def __init__(
        self,
        site_root: Path,
        out_dir: Path | None = None,
        *,
        drafts: bool = False,
        strict: bool = False,
        progress: Progress | None = None,
        workers: int | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.site_root = Path(site_root)
        self.out_dir = Path(out_dir) if out_dir is not None else default_out_dir(self.site_root)
        self.drafts, self.strict = drafts, strict
        self.progress = progress or (lambda stage, done, total: None)
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.on_wait = on_wait
        self._cache: Any = None
        self._known: dict[str, _Known] = {}
        """Parse results kept in memory between builds (serve)."""

    def _check(self) -> None:
        root = self.site_root
        if not root.is_dir():
            raise UsageError(f"site directory {root} does not exist")
        if not (root / CONFIG_NAME).is_file() and not (root / ARTICLES_DIR).is_dir():
            raise UsageError(
                f"{root} is not a newsgen site (it has neither {CONFIG_NAME} nor {ARTICLES_DIR}/);"
                " create one with: newsgen init DIR"
            )
        problem = check_output_dir(
            self.out_dir,
            root,
            [root / d for d in (ARTICLES_DIR, PAGES_DIR, TEMPLATES_DIR, STATIC_DIR)],
        )
        if problem:
            raise UsageError(problem)

    def close(self) -> None:
        """Write the cache out whole (a process that builds once calls this at the end)."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None
            self._known = {}

    def build(self) -> BuildReport:
        """Build once; on errors raise BuildFailed and leave the output as it was."""
        started = time.perf_counter()
        self._check()
        with OutputLock(self.out_dir, self.on_wait):
            return self._build(started)

    # -- loading ------------------------------------------------------------------------

    def _open_cache(self, problems: list[ContentError]) -> Any:
        if self._cache is None:
            self._cache, cache_problems = open_cache(self.site_root)
            problems.extend(cache_problems)
        return self._cache

    def _load(
        self, config: SiteConfig, problems: list[ContentError]
    ) -> tuple[list[Article], list[Page], dict[str, str]]:
        """Every article and page, from the cache where it is still right, parsed otherwise.

        Returns them with each one's cache key, by source path.
        """
        cache = self._open_cache(problems)
        parse_fp = fingerprint(code_fingerprint(), config)
        sources: list[tuple[SourceFile, str]] = []
        for folder, kind in ((ARTICLES_DIR, "article"), (PAGES_DIR, "page")):
            found = discover(self.site_root, folder, config.language)
            problems.extend(found.problems)
            sources.extend((src, kind) for src in found.sources)
        if not self._known:
            stored = cache.sources()
        else:
            stored = {rel: known.cached for rel, known in self._known.items()}
        now = time.time_ns()
        jobs: list[tuple[SourceFile, bytes, str]] = []
        job_keys: list[tuple[str, tuple[int, int, int], str]] = []
        keys: dict[str, str] = {}
        current: dict[str, _Known] = {}
        for src, kind in sources:
            rel = str(src.rel)
            before = stored.get(rel)
            try:
                stat = stat_key(src.path.stat())
            except OSError:
                stat = (-1, -1, -1)
            racy = now - stat[1] < RACY_SECONDS * 1e9
            if before is not None and before.stat == stat and not racy:
                key = _source_key(before.content, src, kind, parse_fp)
                recalled = self._recall(rel, before, cache.store) if key == before.key else None
                if recalled is not None:
                    current[rel] = recalled
                    keys[rel] = key
                    continue
            data = read_source(src)
            if isinstance(data, ContentError):
                problems.append(data)
                continue
            content = hashlib.sha256(data).hexdigest()[:32]
            key = _source_key(content, src, kind, parse_fp)
            if before is not None and key == before.key:
                updated = CachedSource(stat, content, key, before.record, before.problems)
                recalled = self._recall(rel, updated, cache.store)
                if recalled is not None:
                    recalled.cached = updated
                    current[rel] = recalled
                    keys[rel] = key
                    continue
            jobs.append((src, data, kind))
            job_keys.append((rel, stat, content))
            keys[rel] = key

        changed: dict[str, CachedSource] = {
            rel: known.cached for rel, known in current.items() if stored.get(rel) != known.cached
        }
        bodies: dict[str, str] = {}
        global _PARSE_JOBS, _PARSE_CONFIG
        _PARSE_JOBS, _PARSE_CONFIG = jobs, config
        try:
            results = _run(_parse_one, len(jobs), self.workers)
            for done, (loaded, (rel, stat, content)) in enumerate(
                zip(results, job_keys, strict=True), 1
            ):
                self.progress("Reading", done, len(jobs))
                item, record = self._keep(loaded.item, bodies, cache.store)
                cached = CachedSource(
                    stat, content, keys[rel], record, problems_record(loaded.problems)
                )
                if record is None and loaded.item is not None:
                    cached = replace(cached, key="")  # uncacheable: parse it again next time
                changed[rel] = cached
                current[rel] = _Known(cached, item, list(loaded.problems))
        finally:
            _PARSE_JOBS, _PARSE_CONFIG = [], None
        gone = [rel for rel in stored if rel not in current]
        if changed or gone:
            cache.save_sources(changed, bodies, gone)
        self._known = current

        articles: list[Article] = []
        pages: list[Page] = []
        for _, known in sorted(current.items()):
            problems.extend(known.problems)
            if isinstance(known.item, Article):
                articles.append(known.item)
            elif isinstance(known.item, Page):
                pages.append(known.item)
        return articles, pages, keys

    def _recall(self, rel: str, cached: CachedSource, store: str) -> _Known | None:
        """What the cache says a source gave; None if the record cannot be read back."""
        known = self._known.get(rel)
        if known is not None and known.cached.key == cached.key:
            return known
        try:
            item = item_from_record(cached.record, Path(store)) if cached.record else None
            return _Known(cached, item, problems_from_record(cached.problems))
        except (ValueError, KeyError, TypeError):
            return None  # parse it again

    def _keep(
        self, item: Article | Page | None, bodies: dict[str, str], store: str
    ) -> tuple[Article | Page | None, str | None]:
        """Move a fresh item's body into the store; return the item and its JSON record."""
        if item is None:
            return None, None
        html = str(item.body_html)
        digest = body_digest(html)
        try:
            record = item_record(item, digest)
        except Uncacheable:
            return item, None
        bodies[digest] = html
        return replace(item, body_html=StoredBody(digest, store)), record  # type: ignore[arg-type]

    # -- building -----------------------------------------------------------------------

    def _build(self, started: float) -> BuildReport:
        site_root = self.site_root
        config, problems = read_config(site_root)
        articles, pages, keys = self._load(config, problems)
        theme_static, _ = static_files(
            builtin_theme_dir() / STATIC_DIR, builtin_theme_dir(), "theme"
        )
        site_static, static_problems = static_files(site_root / STATIC_DIR, site_root, STATIC_DIR)
        problems.extend(static_problems)

        # Even when some articles failed, render the rest: template errors are reported too.
        site, site_problems = assemble(config, articles, pages, drafts=self.drafts)
        site = _with_digests(site, keys)
        problems.extend(site_problems)
        pages_routes, collisions = routes(site)
        problems.extend(collisions)
        env = make_environment(site_root, config, site.menu)
        everything = fingerprint(code_fingerprint(), config, site.menu)
        template_fp: dict[str, str] = {}

        def route_fp(route: Route) -> str:
            if route.template not in template_fp:
                template_fp[route.template] = fingerprint(template_sources(env, route.template))
            return fingerprint(
                everything, template_fp[route.template], route.template, route.context
            )

        cache = self._cache
        publisher = Publisher(self.out_dir)
        publisher.open(lambda tree: cache.manifest(tree))
        try:
            self._publish(publisher, site, pages_routes, route_fp, env, problems)
            _publish_files(publisher, site_root, site, theme_static, site_static)
            _fail_on(problems, self.strict)
            result = publisher.commit()
        except ContentError as e:
            publisher.abort()
            raise BuildFailed([e, *(p for p in problems if p.severity == "warning")]) from None
        except BaseException:
            publisher.abort()
            raise
        cache.save_manifests(str(self.out_dir.resolve()), result.manifests)
        fault("after-manifest")
        cache.collect_bodies(
            {
                k.item.body_html.digest
                for k in self._known.values()
                if k.item is not None and isinstance(k.item.body_html, StoredBody)
            }
        )
        return BuildReport(
            articles=len(site.articles),
            pages=len(pages_routes),
            tags=len(site.tags),
            seconds=time.perf_counter() - started,
            out_dir=self.out_dir,
            config=config,
            warnings=tuple(sorted(problems, key=ContentError.sort_key)),
            written=result.written,
            unchanged=result.unchanged,
            removed=result.removed,
        )

    def _publish(
        self,
        publisher: Publisher,
        site: Site,
        pages: list[Route],
        route_fp: Callable[[Route], str],
        env: Any,
        problems: list[ContentError],
    ) -> None:
        config = site.config
        todo: list[tuple[Route, str]] = []
        for route in pages:
            fp = route_fp(route)
            try:
                if not publisher.offer(route.path, fp, route.owner):
                    todo.append((route, fp))
            except ContentError as e:
                problems.append(e)
        global _RENDER_ROUTES, _RENDER_ENV
        _RENDER_ROUTES, _RENDER_ENV = [route for route, _ in todo], env
        for name in {route.template for route, _ in todo}:
            with contextlib.suppress(Exception):  # rendering reports it, with its line
                env.get_template(name)  # compiled once here, inherited by the workers
        render_errors: list[ContentError] = []
        try:
            results = _run(_render_one, len(todo), self.workers)
            for done, ((route, fp), result) in enumerate(zip(todo, results, strict=True), 1):
                self.progress("Rendering", done, len(todo))
                if isinstance(result, ContentError):
                    render_errors.append(result)
                else:
                    publisher.write(route.path, fp, result, route.owner)
        finally:
            _RENDER_ROUTES, _RENDER_ENV = (), None
        problems.extend(_report_once(render_errors))

        # Feeds, sitemap, robots.txt and _redirects: made here, each from what it shows.
        code = code_fingerprint()
        newest = site.articles[:50]
        feeds_fp = fingerprint(code, "feeds", config, newest)
        feeds = None
        for name in ("feed.xml", "atom.xml"):
            if not publisher.offer(PurePosixPath(name), feeds_fp):
                feeds = feeds or render_feeds(site)
                publisher.write(PurePosixPath(name), feeds_fp, feeds[name])
        lastmod = {a.url: a.updated or a.date for a in site.articles}
        entries = [(r.url, lastmod.get(r.url)) for r in pages if r.in_sitemap]
        sitemap_fp = fingerprint(code, "sitemap", config.base_url, entries)
        if not publisher.offer(PurePosixPath(SITEMAP_URL), sitemap_fp):
            sitemap = render_sitemap(config.base_url, entries)
            publisher.write(PurePosixPath(SITEMAP_URL), sitemap_fp, sitemap)
        robots_fp = fingerprint(code, "robots", config.base_url)
        if not publisher.offer(PurePosixPath(ROBOTS_URL), robots_fp):
            publisher.write(PurePosixPath(ROBOTS_URL), robots_fp, render_robots(config.base_url))
        if site.redirects:
            redirects_fp = fingerprint(code, "redirects", config.base_path, site.redirects)
            if not publisher.offer(PurePosixPath(REDIRECTS_URL), redirects_fp):
                data = render_redirects(config.base_path, site.redirects)
                publisher.write(PurePosixPath(REDIRECTS_URL), redirects_fp, data)


def _source_key(content: str, src: SourceFile, kind: str, parse_fp: str) -> str:
    return fingerprint(content, str(src.rel), src.bundle, src.assets, kind, parse_fp)


def _with_digests(site: Site, keys: dict[str, str]) -> Site:
    """Give every article and page its digest: its source key, its final tags and body.

    Pages that show an article depend on exactly this.
    """

    def stamp(item: Any) -> Any:
        body = item.body_html
        shown = body.digest if isinstance(body, StoredBody) else body_digest(str(body))
        tags = getattr(item, "tags", ())
        return replace(item, digest=fingerprint(keys.get(str(item.source), ""), tags, shown))

    articles = tuple(stamp(a) for a in site.articles)
    by_source = {a.source: a for a in articles}
    pages = tuple(stamp(p) for p in site.pages)
    page_by_source = {p.source: p for p in pages}
    tags = tuple(
        replace(entry, articles=tuple(by_source[a.source] for a in entry.articles))
        for entry in site.tags
    )
    menu = tuple(page_by_source[p.source] for p in site.menu)
    return replace(site, articles=articles, tags=tags, pages=pages, menu=menu)


def _publish_files(
    publisher: Publisher,
    site_root: Path,
    site: Site,
    theme_static: list[tuple[Path, PurePosixPath]],
    site_static: list[tuple[Path, PurePosixPath]],
) -> None:
    """Bundle files next to their pages; static/ (the site's files win over the theme's)."""
    items: list[Article | Page] = [*site.articles, *site.pages]
    for item in items:
        if item.bundle is None:
            continue
        folder = output_path(item.url).parent
        for asset in item.assets:
            rel = folder / asset if folder != PurePosixPath(".") else asset
            source = site_root / item.bundle / asset
            publisher.copy(rel, _file_fp(source), source, str(item.bundle / asset))
    ours = {inside for _, inside in site_static}
    static = PurePosixPath(STATIC_DIR)
    for source, inside in theme_static:
        if inside not in ours:
            publisher.copy(
                static / inside, _file_fp(source), source, f"newsgen theme: static/{inside}"
            )
    for source, inside in site_static:
        publisher.copy(static / inside, _file_fp(source), source, f"{STATIC_DIR}/{inside}")


def _file_fp(source: Path) -> str:
    try:
        return fingerprint("file", stat_key(source.stat()))
    except OSError:
        return fingerprint("file", str(source))


def build(
    site_root: Path,
    out_dir: Path | None = None,
    *,
    drafts: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build SITE into OUT (default SITE/build); on errors raise BuildFailed, OUT untouched.

    Warnings are reported in the BuildReport; STRICT makes them fail the build like errors.
    """
    builder = Builder(site_root, out_dir, drafts=drafts, strict=strict, progress=progress)
    try:
        return builder.build()
    finally:
        builder.close()


def stderr_progress() -> Progress | None:
    """A one-line progress display on an interactive terminal; nothing otherwise.

    A carriage-return line is all it takes, so no progress library is needed.
    """
    if not sys.stderr.isatty():
        return None
    shown = {"at": 0.0}

    def show(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done != total and now - shown["at"] < 0.1:
            return
        shown["at"] = now
        end = "\n" if done == total and total >= 500 else ""
        if total >= 500:
            sys.stderr.write(f"\r{stage} {done:,}/{total:,}" + " " * 10 + end)
            sys.stderr.flush()

    return show
