"""The pipeline: config → load → site → render and feeds → publish; nothing else knows the order.

It also owns what makes a rebuild cheap, so the stages below it stay simple and pure:

- a stamp of the whole input (every source file's stat, the config, newsgen's code): when
  nothing changed and the output is as the last build left it, the build is done;
- the parse cache (`cache.py`): a source parses again only when its bytes, place, bundle or
  the settings it depends on changed;
- fingerprints: every output file has one, made of everything that file is made from (its
  route's context, the templates it uses, the settings, newsgen's code); a file whose
  fingerprint did not change is neither rendered nor written;
- parallel work (`parallel.py`): parsing and rendering in forked workers, results in order,
  written as they come.

The heavy modules (Markdown, Jinja, feeds) are imported only when there is work for them, so
a rebuild with nothing to do costs little more than looking at the files.

A `Builder` keeps what it learned between builds; `newsgen serve` holds one for its life.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from newsgen.cache import (
    CACHE_DIR,
    Cache,
    CachedSource,
    CacheUnusable,
    Fingerprints,
    StatKey,
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
from newsgen.errors import (
    BuildFailed,
    ContentError,
    ContentWarning,
    OutputError,
    PublishError,
    TemplateError,
    UsageError,
)
from newsgen.fsutil import ARTICLES_DIR, PAGES_DIR, SOURCE_DIRS, STATIC_DIR, stat_tree
from newsgen.models import Article, Page, Route, Site, SiteConfig
from newsgen.publisher import (
    OutputLock,
    Publisher,
    check_output_dir,
    clone_tree,
    fault,
    folder_mtimes,
    tree_id,
    verify_tree,
)
from newsgen.theme import builtin_theme_dir

"""Data files for the site's tag templates (library.py)."""
RACY_SECONDS = 2.0
"""A file changed this close to when it was last looked at may have changed again unseen."""
SAVE_BATCH = 500
"""Parsed sources written to the cache per transaction during a build."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Inspection:
    """A site as loaded and assembled, not rendered (Builder.inspect)."""

    config: SiteConfig
    articles: tuple[Article, ...]
    """Every article as parsed, drafts too, with the tag spellings it was written with."""
    site: Site
    routes: tuple[Route, ...]
    static: set[str]
    """Output paths of the static files (theme's and site's), relative to the output."""
    problems: list[ContentError]


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


def shown_output(out_dir: Path) -> str:
    """The output folder as messages name it: relative to the working folder when inside it."""
    try:
        return Path(os.path.abspath(out_dir)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(out_dir)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report_once(errors: list[ContentError]) -> list[ContentError]:
    """A broken template fails every page it renders: report each problem once, with a count."""
    pages: dict[tuple[str, int, str], list[str]] = {}
    merged: list[ContentError] = []
    seen_plain: set[tuple[str, str, int, str]] = set()
    for error in errors:
        if not isinstance(error, TemplateError) or not error.page:
            # A syntax error in base.html is met by every template extending it: say it once.
            plain = (type(error).__name__, str(error.path), error.line or 0, error.message)
            if plain not in seen_plain:
                seen_plain.add(plain)
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


# -- Work for the workers: module-level data, set before the workers fork -----------------------

_PARSE_JOBS: list[tuple[SourceFile, bytes | None, str, str, str]] = []
_PARSE_CONFIG: SiteConfig | None = None
_PARSE_LIBRARY: Any = None
"""The site's TagLibrary (bodies.shortcodes)."""
_RENDER_ROUTES: Sequence[Route] = ()
_RENDER_ENV: Any = None
_RENDER_ROOT = ""


def _parse_one(index: int) -> tuple[Any, ...] | ContentError:
    """Read (unless given) and parse one source, in a worker when there are many.

    Returns (content digest, key, item with its body stored apart, the body, its record,
    its problems as JSON, its problems). The reading, hashing and JSON work happen here, so
    the collecting process never holds every file's bytes at once.
    """
    from newsgen.loader import parse_file, read_source

    src, given, kind, parse_fp, store = _PARSE_JOBS[index]
    assert _PARSE_CONFIG is not None
    data = read_source(src) if given is None else given
    if isinstance(data, ContentError):
        return data
    content = hashlib.sha256(data).hexdigest()[:32]
    key = _source_key(content, src, kind, parse_fp)
    loaded = parse_file(data, src, _PARSE_CONFIG, kind, _PARSE_LIBRARY)
    item, html, record = _keep(loaded.item, key, store)
    return content, key, item, html, record, problems_record(loaded.problems), loaded.problems


def _render_one(index: int) -> tuple[int, int, int] | ContentError:
    """Render one page or feed and write it into the standby tree (workers write what they
    render)."""
    from newsgen.publisher import put_file
    from newsgen.renderer import render_route

    route = _RENDER_ROUTES[index]
    if route.feed:
        from newsgen.feeds import render_feed
        from newsgen.urls import absolute

        config = _RENDER_ENV.globals["site"]
        self_url = absolute(config.base_url, route.url)
        data = render_feed(route.context["feed"], self_url, config)
    else:
        try:
            data = render_route(_RENDER_ENV, route).encode("utf-8")
        except ContentError as e:
            return e
    return put_file(_RENDER_ROOT, route.path, data, route.owner)


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
        background: bool = False,
        keep: bool = False,
    ) -> None:
        self.site_root = Path(site_root)
        self.out_dir = Path(out_dir) if out_dir is not None else default_out_dir(self.site_root)
        self.drafts, self.strict = drafts, strict
        self.progress = progress or (lambda stage, done, total: None)
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.on_wait = on_wait
        self.background = background
        self.keep = keep
        self.stale_search = False
        """Keep the search index there is instead of indexing again (serve, after its first
        build)."""
        self._live: set[str] = set()
        self._cache: Cache | None = None
        self._known: dict[str, _Known] = {}
        """Parse results kept in memory between builds (serve)."""
        if keep:
            # serve forks its workers while its HTTP and watcher threads run. A child that
            # imports a module another thread was importing at the fork would wait for ever
            # on the copied import lock, so everything the workers use is imported now.
            import newsgen.feeds
            import newsgen.loader
            import newsgen.renderer  # noqa: F401

    def warm(self) -> None:
        """Read what the cache knows now, so the first rebuild (a save in serve) is quick."""
        if self._known or not self.keep:
            return
        problems: list[ContentError] = []
        cache = self._open_cache(problems)
        config, _ = read_config(self.site_root)
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._load(config, cache, problems)
        finally:
            if collecting:
                gc.enable()

    def close(self) -> None:
        """Write the cache out whole (a process that builds once calls this at the end)."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None
            self._known = {}

    def _check(self) -> None:
        root = self.site_root
        if not root.is_dir():
            raise UsageError(f"site directory {root} does not exist")
        if not (root / CONFIG_NAME).is_file() and not (root / ARTICLES_DIR).is_dir():
            raise UsageError(
                f"{root} is not a newsgen site (it has neither {CONFIG_NAME} nor {ARTICLES_DIR}/);"
                " create one with: newsgen init DIR"
            )
        problem = check_output_dir(self.out_dir, root, [root / d for d in SOURCE_DIRS])
        if problem:
            raise UsageError(problem)

    def inspect(self) -> Inspection:
        """Everything a build knows before it renders: for `newsgen check`, which must be fast.

        Sources are parsed (through the cache) and the site assembled; templates are compiled,
        so a syntax error is found, but no page is rendered and the output is not touched.
        """
        self._check()
        from newsgen.renderer import compile_errors, make_environment
        from newsgen.site import assemble, routes, searchable

        problems: list[ContentError] = []
        cache = self._open_cache(problems)
        config, config_problems = read_config(self.site_root)
        problems.extend(config_problems)
        articles, pages = self._load(config, cache, problems)
        theme_dir = builtin_theme_dir()
        theme_static, _ = static_files(theme_dir / STATIC_DIR, theme_dir, "theme")
        site_static, static_problems = static_files(
            self.site_root / STATIC_DIR, self.site_root, STATIC_DIR
        )
        problems.extend(static_problems)
        site, site_problems = assemble(config, articles, pages, drafts=self.drafts)
        problems.extend(site_problems)
        page_routes, collisions = routes(site)
        problems.extend(collisions)
        env = make_environment(self.site_root, config, site.menu, searchable(site))
        used = {r.template for r in page_routes if not r.feed}
        problems.extend(compile_errors(env, used))
        static = {f"{STATIC_DIR}/{rel}" for _, rel in [*theme_static, *site_static]}
        return Inspection(config, tuple(articles), site, tuple(page_routes), static, problems)

    def build(self) -> BuildReport:
        """Build once; on errors raise BuildFailed and leave the output as it was."""
        started = time.perf_counter()
        self._check()
        # A build makes millions of small objects and almost no cycles: the cyclic garbage
        # collector would spend a third of the time walking them for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._locked_build(started)
        finally:
            if collecting:
                gc.enable()

    def _locked_build(self, started: float) -> BuildReport:
        problems: list[ContentError] = []
        cache = self._open_cache(problems)
        stamp = self._stamp()
        # Nothing changed: only reading, so no lock (a standby refresh may be holding it).
        if not problems:
            done = self._unchanged(cache, stamp, started)
            if done is not None:
                return done
        with OutputLock(self.out_dir, self.on_wait) as lock:
            report = self._build(started, cache, stamp, problems)
            if report.written > report.unchanged:
                self._refresh_standby(lock)
            return report

    def _refresh_standby(self, lock: OutputLock) -> None:
        """After a build that rewrote most files, make the standby tree a fresh copy of it.

        Otherwise the next build would hard-link every file one by one into the stale
        standby tree. The copy (hard links, no bytes) is made by a child process that keeps
        the lock, so this build returns at once; a build that needs the output waits for it.
        In serve (threads running: no fork) a thread makes it, under a lock of its own, after
        this build has let go of the output.
        """
        out = self.out_dir.resolve()
        cache = self._cache
        assert cache is not None
        tree = tree_id(out)
        if tree is None:
            return
        manifest = cache.manifest(tree)
        folders = cache.folders(tree) or {}
        store = cache.path
        # A fork copies one thread: in a process running others (a test runner, an embedding
        # program) a lock one of them held stays locked in the child for ever.
        if self.background and hasattr(os, "fork") and threading.active_count() == 1:
            cache.close()
            self._cache = None  # reopened by the next build of this process
            self._known = {}
            sys.stdout.flush()
            sys.stderr.flush()
            child = os.fork()
            if child != 0:
                os.waitpid(child, 0)  # the child forks the worker and leaves at once
                return
            try:  # a grandchild, adopted by init, so no zombie is left behind
                if os.fork() == 0:
                    os.setsid()
                    _refresh(out, manifest, folders, store, lock)
            finally:
                os._exit(0)

        def later() -> None:
            with OutputLock(out) as own:
                _refresh(out, manifest, folders, store, own)

        threading.Thread(target=later, name="newsgen standby refresh", daemon=True).start()

    def _open_cache(self, problems: list[ContentError]) -> Cache:
        if self._cache is None:
            self._cache, cache_problems = open_cache(self.site_root)
            problems.extend(cache_problems)
        return self._cache

    # -- nothing changed ------------------------------------------------------------------

    def _stamp(self) -> tuple[str, int]:
        """(digest of every input's stat, newest mtime or ctime among them)."""
        digest = hashlib.sha256()
        digest.update(f"{code_fingerprint()}|{self.drafts}|".encode())
        newest = 0
        try:
            st = (self.site_root / CONFIG_NAME).stat()
            digest.update(f"config {stat_key(st)}\n".encode())
            newest = max(st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            digest.update(b"no config\n")
        for folder in SOURCE_DIRS:
            digest.update(f"[{folder}]\n".encode())
            newest = max(newest, stat_tree(self.site_root / folder, digest))
        return digest.hexdigest(), newest

    def _unchanged(
        self, cache: Cache, stamp: tuple[str, int], started: float
    ) -> BuildReport | None:
        """The last build's report, if no input changed and the output is as it left it."""
        out = self.out_dir.resolve()
        last = cache.stamp(str(out))
        inputs, newest = stamp
        if last is None or last["inputs"] != inputs or last["tree"] != tree_id(out):
            return None
        if time.time_ns() - newest < RACY_SECONDS * 1e9 or newest >= last["time"]:
            return None  # a file written as the last build read it: look properly
        folders = cache.folders(last["tree"])
        if folders is None or not verify_tree(out, cache.manifest(last["tree"]), folders):
            return None
        warnings = problems_from_record(last["warnings"])
        _fail_on(warnings, self.strict)
        config, _ = read_config(self.site_root)
        return BuildReport(
            articles=last["articles"],
            pages=last["pages"],
            tags=last["tags"],
            seconds=time.perf_counter() - started,
            out_dir=self.out_dir,
            config=config,
            warnings=tuple(warnings),
            unchanged=last["files"],
        )

    # -- loading ------------------------------------------------------------------------

    def _load(
        self, config: SiteConfig, cache: Cache, problems: list[ContentError]
    ) -> tuple[list[Article], list[Page]]:
        """Every article and page, from the cache where it is still right, parsed otherwise."""
        from newsgen.library import read_library

        library, library_problems = read_library(self.site_root)
        problems.extend(library_problems)
        parse_fp = fingerprint(code_fingerprint(), config.parse_settings(), library.digest)
        sources: list[tuple[SourceFile, str]] = []
        for folder, kind in ((ARTICLES_DIR, "article"), (PAGES_DIR, "page")):
            found = discover(self.site_root, folder, config.language)
            problems.extend(found.problems)
            sources.extend((src, kind) for src in found.sources)
        stored = (
            {rel: known.cached for rel, known in self._known.items()}
            if self._known
            else cache.sources()
        )
        now = time.time_ns()
        jobs: list[tuple[SourceFile, bytes | None, str, str, str]] = []
        job_info: list[tuple[str, StatKey]] = []
        current: dict[str, _Known] = {}
        for src, kind in sources:
            rel = str(src.rel)
            before = stored.get(rel)
            try:
                stat = stat_key(src.path.stat())
            except OSError:
                stat = (-1, -1, -1, -1)
            settled = now - max(stat[1], stat[3]) > RACY_SECONDS * 1e9
            if before is not None and before.stat == stat and settled:
                key = _source_key(before.content, src, kind, parse_fp)
                recalled = self._recall(src, before, cache.store) if key == before.key else None
                if recalled is not None:
                    current[rel] = recalled
                    continue
            data: bytes | None = None
            if before is not None:  # touched, perhaps not changed: look at the bytes
                read = _read(src)
                if isinstance(read, ContentError):
                    problems.append(read)
                    continue
                data = read
                content = hashlib.sha256(data).hexdigest()[:32]
                key = _source_key(content, src, kind, parse_fp)
                if key == before.key:
                    updated = CachedSource(stat, content, key, before.record, before.problems)
                    recalled = self._recall(src, updated, cache.store)
                    if recalled is not None:
                        recalled.cached = updated
                        current[rel] = recalled
                        continue
            jobs.append((src, data, kind, parse_fp, cache.store))
            job_info.append((rel, stat))

        changed = {
            rel: known.cached for rel, known in current.items() if stored.get(rel) != known.cached
        }
        bodies: dict[str, str] = {}
        global _PARSE_JOBS, _PARSE_CONFIG, _PARSE_LIBRARY
        _PARSE_JOBS, _PARSE_CONFIG, _PARSE_LIBRARY = jobs, config, library
        try:
            results = _in_order(_parse_one, len(jobs), self.workers)
            for done, (parsed, (rel, stat)) in enumerate(zip(results, job_info, strict=True), 1):
                self.progress("Reading", done, len(jobs))
                if isinstance(parsed, ContentError):
                    problems.append(parsed)
                    continue
                content, key, item, html, record, problem_record, found = parsed
                if record is not None and isinstance(item.body_html, StoredBody):
                    bodies[item.body_html.digest] = html
                # An item that cannot be cached gets no key: it is parsed again next time.
                cached = CachedSource(
                    stat, content, key if record or item is None else "", record, problem_record
                )
                changed[rel] = cached
                current[rel] = _Known(cached, item, list(found))
                if len(bodies) >= SAVE_BATCH:  # bodies go to disk as they come, not all at once
                    cache.save_sources(changed, bodies, ())
                    changed, bodies = {}, {}
        finally:
            _PARSE_JOBS, _PARSE_CONFIG, _PARSE_LIBRARY = [], None, None
        gone = [rel for rel in stored if rel not in current]
        if changed or gone or bodies:
            cache.save_sources(changed, bodies, gone)
        self._live = {
            kept.digest for k in current.values() if (kept := _stored(k.item)) is not None
        }
        # Kept between builds only by a builder that builds again (serve); a one-shot build
        # lets the records go as soon as the articles are made.
        self._known = current if self.keep else {}

        articles: list[Article] = []
        pages: list[Page] = []
        for _, known in sorted(current.items()):
            problems.extend(known.problems)
            if isinstance(known.item, Article):
                articles.append(known.item)
            elif isinstance(known.item, Page):
                pages.append(known.item)
        return articles, pages

    def _recall(self, src: SourceFile, cached: CachedSource, store: str) -> _Known | None:
        """What the cache says a source gave; None if the record cannot be read back."""
        known = self._known.get(str(src.rel))
        if known is not None and known.cached.key == cached.key:
            return known
        try:
            record = cached.record
            item = item_from_record(record, store, src.rel) if record else None
            return _Known(cached, item, problems_from_record(cached.problems))
        except (ValueError, KeyError, TypeError):
            return None  # parse it again

    # -- building -----------------------------------------------------------------------

    def _build(
        self,
        started: float,
        cache: Cache,
        stamp: tuple[str, int],
        problems: list[ContentError],
    ) -> BuildReport:
        from newsgen.renderer import make_environment, template_sources
        from newsgen.site import assemble, routes, searchable

        site_root = self.site_root
        config, config_problems = read_config(site_root)
        problems.extend(config_problems)
        articles, pages = self._load(config, cache, problems)
        theme_dir = builtin_theme_dir()
        theme_static, _ = static_files(theme_dir / STATIC_DIR, theme_dir, "theme")
        site_static, static_problems = static_files(site_root / STATIC_DIR, site_root, STATIC_DIR)
        problems.extend(static_problems)

        # Even when some articles failed, render the rest: template errors are reported too.
        site, site_problems = assemble(config, articles, pages, drafts=self.drafts)
        problems.extend(site_problems)
        page_routes, collisions = routes(site)
        problems.extend(collisions)
        search = searchable(site)
        env = make_environment(site_root, config, site.menu, search)
        prints = Fingerprints()
        everything = prints.of(code_fingerprint(), config, site.menu, search)
        by_template: dict[str, str] = {}

        def route_fp(route: Route) -> str:
            template = route.template
            if template not in by_template:
                sources = [] if route.feed else template_sources(env, template)
                by_template[template] = prints.of(everything, template, sources)
            return prints.of(by_template[template], route.url, route.context)

        conflicts = _conflicts(site, page_routes, theme_static, site_static)
        if conflicts:  # every one named now, before the disk refuses the first
            problems.extend(conflicts)
            _fail_on(problems, self.strict)
        publisher = Publisher(self.out_dir)
        publisher.open(cache.manifest, cache.folders)
        try:
            indexed = self._render(publisher, page_routes, route_fp, env, problems)
            _publish_extras(publisher, site, page_routes)
            _publish_files(publisher, site_root, site, theme_static, site_static)
            if search and not any(p.severity == "error" for p in problems):
                self._index(publisher, config, indexed, problems)
            _fail_on(problems, self.strict)
            result = publisher.commit()
        except ContentError as e:
            publisher.abort()
            if isinstance(e, OutputError):
                message = f"cannot write {e.path}: {e.message}; the output is left as it was"
                e = OutputError(shown_output(self.out_dir), None, message)
            raise BuildFailed(sorted([e, *problems], key=ContentError.sort_key)) from None
        except BaseException:
            publisher.abort()
            raise
        out = str(self.out_dir.resolve())
        cache.save_manifests(out, result.manifests, result.out_tree, result.dirs)
        fault("after-manifest")
        warnings = sorted(problems, key=ContentError.sort_key)
        # What a no-op build repeats: the sources' warnings, not this build's own about the cache.
        lasting = [p for p in warnings if p.path.parts[:1] != (CACHE_DIR,)]
        files = len(result.manifests[result.out_tree])
        cache.save_stamp(
            out,
            {
                "inputs": stamp[0],
                "time": time.time_ns(),
                "tree": result.out_tree,
                "warnings": problems_record(lasting),
                "articles": len(site.articles),
                "pages": _html_pages(page_routes),
                "tags": len(site.tags),
                "files": files,
            },
        )
        cache.collect_bodies(self._live)
        return BuildReport(
            articles=len(site.articles),
            pages=_html_pages(page_routes),
            tags=len(site.tags),
            seconds=time.perf_counter() - started,
            out_dir=self.out_dir,
            config=config,
            warnings=tuple(warnings),
            written=result.written,
            unchanged=result.unchanged,
            removed=result.removed,
        )

    def _index(
        self,
        publisher: Publisher,
        config: SiteConfig,
        indexed: list[str],
        problems: list[ContentError],
    ) -> None:
        """The search index (Pagefind) of every article page, made again only when one changed.

        Pagefind writes its whole bundle anew each time (and not byte for byte the same), so
        an index whose articles did not change is kept as it is. `serve` keeps the index it
        has while the editor works (SEARCH_STALE): a save is shown at once, not after indexing.
        """
        from newsgen.search import INDEX_DIR, run_pagefind

        fp = fingerprint(code_fingerprint(), "search", config.base_path, config.language, indexed)
        live = sorted(rel for rel in publisher.current if rel.startswith(INDEX_DIR + "/"))
        kept = [rel for rel in live if publisher.has(rel, fp)]
        if live and (len(kept) == len(live) or self.stale_search):
            for rel in live:
                publisher.offer(rel, publisher.current[rel].fp if self.stale_search else fp)
            return
        publisher.clear(INDEX_DIR)
        problem = run_pagefind(Path(publisher.root), config.language)
        if problem:
            message = f"the search index could not be built ({problem}); search is not updated"
            problems.append(ContentWarning(PurePosixPath(INDEX_DIR), None, message))
            return
        root = len(publisher.root)
        for folder, _, names in os.walk(publisher.root + INDEX_DIR):
            for name in sorted(names):
                rel = os.path.join(folder, name)[root:].replace(os.sep, "/")
                publisher.adopt(rel, fp, "the search index")

    def _render(
        self,
        publisher: Publisher,
        page_routes: list[Route],
        route_fp: Callable[[Route], str],
        env: Any,
        problems: list[ContentError],
    ) -> list[str]:
        """Render every page whose fingerprint changed; return the fingerprints of the
        articles (what the search index is made of)."""
        indexed: list[str] = []
        todo: list[tuple[Route, str]] = []
        for route in page_routes:
            fp = route_fp(route)
            if route.template == "article.html":
                indexed.append(fp)
            try:
                if not publisher.offer(route.path, fp, route.owner):
                    todo.append((route, fp))
            except ContentError as e:
                problems.append(e)
        global _RENDER_ROUTES, _RENDER_ENV, _RENDER_ROOT
        _RENDER_ROUTES, _RENDER_ENV, _RENDER_ROOT = (
            [route for route, _ in todo],
            env,
            publisher.root,
        )
        for name in sorted({route.template for route, _ in todo}):
            with contextlib.suppress(Exception):  # rendering reports it, with its line
                env.get_template(name)  # compiled once here, inherited by the workers
        render_errors: list[ContentError] = []
        try:
            results = _in_order(_render_one, len(todo), self.workers)
            for done, ((route, fp), result) in enumerate(zip(todo, results, strict=True), 1):
                self.progress("Rendering", done, len(todo))
                if isinstance(result, ContentError) and not isinstance(result, PublishError):
                    render_errors.append(result)
                else:
                    publisher.record(route.path, fp, result)
        finally:
            _RENDER_ROUTES, _RENDER_ENV, _RENDER_ROOT = (), None, ""
        problems.extend(_report_once(render_errors))
        return indexed


def _refresh(
    out: Path, manifest: Any, folders: dict[str, int], store: Path, lock: OutputLock
) -> None:
    """Replace the standby tree by a hard-link copy of OUT, and record it (see above)."""
    standby = out.parent / f".{out.name}.next"
    trash = out.parent / f".{out.name}.old-{os.getpid()}"
    fresh = out.parent / f".{out.name}.old-{os.getpid()}-fresh"
    try:
        if standby.exists():
            os.rename(standby, trash)
        clone_tree(out, fresh)
        os.rename(fresh, standby)
        tree = tree_id(standby)
        if tree is not None:
            cache = Cache(store)
            cache.save_standby(str(out), tree, manifest, folder_mtimes(standby, folders))
            cache.close()
    except (OSError, CacheUnusable):
        pass  # the next build checks the standby tree file by file instead
    finally:
        lock.release()
        shutil.rmtree(trash, ignore_errors=True)


def _in_order(func: Callable[[int], Any], count: int, workers: int) -> Iterator[Any]:
    if count < 2:  # the usual rebuild: no need to load the worker machinery at all
        return (func(index) for index in range(count))
    from newsgen.parallel import run_in_order

    return run_in_order(func, count, workers)


def _html_pages(page_routes: list[Route]) -> int:
    return sum(1 for route in page_routes if not route.feed)


def _read(src: SourceFile) -> bytes | ContentError:
    from newsgen.loader import read_source

    return read_source(src)


def _source_key(content: str, src: SourceFile, kind: str, parse_fp: str) -> str:
    assets = "\x1f".join(map(str, src.assets))
    text = f"{content}\x1e{src.rel}\x1e{src.bundle}\x1e{assets}\x1e{kind}\x1e{parse_fp}"
    return hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def _stored(item: Article | Page | None) -> StoredBody | None:
    """The body an item keeps in the cache's store, if it does."""
    body: object = item.body_html if item is not None else None
    return body if isinstance(body, StoredBody) else None


def _keep(
    item: Article | Page | None, key: str, store: str
) -> tuple[Article | Page | None, str, str | None]:
    """A fresh item with its body moved to the store: (item, body, JSON record).

    The item's digest is its source key: pages that show it depend on exactly that. An
    item the cache cannot hold keeps its body and has no record.
    """
    if item is None:
        return None, "", None
    html = str(item.body_html)
    digest = body_digest(html)
    stored = replace(item, body_html=StoredBody(digest, store), digest=key)  # type: ignore[arg-type]
    try:
        return stored, html, item_record(stored, digest)
    except Uncacheable:
        return replace(item, digest=key), html, None


def _publish_extras(publisher: Publisher, site: Site, page_routes: list[Route]) -> None:
    """Sitemaps, robots.txt and _redirects: each made only when what it shows changed."""
    from newsgen.redirects import render_redirects
    from newsgen.robots import render_robots
    from newsgen.sitemaps import render_news_sitemap, render_sitemaps, sitemap_names
    from newsgen.urls import NEWS_SITEMAP_URL, REDIRECTS_URL, ROBOTS_URL, SITEMAP_URL

    config = site.config
    code = code_fingerprint()
    lastmod = {a.url: a.updated or a.date for a in site.articles}
    entries = [(r.url, lastmod.get(r.url)) for r in page_routes if r.in_sitemap]
    sitemap_fp = fingerprint(code, "sitemap", config.base_url, config.sitemap_limit, entries)
    sitemaps: dict[str, bytes] | None = None
    for name in sitemap_names(len(entries), config.sitemap_limit):
        if not publisher.offer(name, sitemap_fp):
            sitemaps = sitemaps or render_sitemaps(config.base_url, entries, config.sitemap_limit)
            publisher.write(name, sitemap_fp, sitemaps[name])
    listed = [SITEMAP_URL]
    if config.news_sitemap:
        newest = site.articles[:1000]
        news_fp = fingerprint(code, "news", config, newest)
        if not publisher.offer(NEWS_SITEMAP_URL, news_fp):
            publisher.write(NEWS_SITEMAP_URL, news_fp, render_news_sitemap(config, newest))
        listed.append(NEWS_SITEMAP_URL)
    robots_fp = fingerprint(code, "robots", config.base_url, listed)
    if not publisher.offer(ROBOTS_URL, robots_fp):
        publisher.write(ROBOTS_URL, robots_fp, render_robots(config.base_url, listed))
    if site.redirects:
        redirects_fp = fingerprint(code, "redirects", config.base_path, site.redirects)
        if not publisher.offer(REDIRECTS_URL, redirects_fp):
            data = render_redirects(config.base_path, site.redirects)
            publisher.write(REDIRECTS_URL, redirects_fp, data)


def _publish_files(
    publisher: Publisher,
    site_root: Path,
    site: Site,
    theme_static: list[tuple[Path, PurePosixPath]],
    site_static: list[tuple[Path, PurePosixPath]],
) -> None:
    """Bundle files next to their pages; static/ (the site's files win over the theme's)."""
    from newsgen.urls import output_path

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
            owner = f"newsgen theme: static/{inside}"
            publisher.copy(static / inside, _file_fp(source), source, owner)
    for source, inside in site_static:
        publisher.copy(static / inside, _file_fp(source), source, f"{STATIC_DIR}/{inside}")


def _conflicts(
    site: Site,
    page_routes: list[Route],
    theme_static: list[tuple[Path, PurePosixPath]],
    site_static: list[tuple[Path, PurePosixPath]],
) -> list[ContentError]:
    """Output paths that cannot all exist (a file where a folder must be, a name too long)."""
    from newsgen.publisher import file_and_folder
    from newsgen.urls import (
        NEWS_SITEMAP_URL,
        REDIRECTS_URL,
        ROBOTS_URL,
        SITEMAP_URL,
        output_path,
        path_conflicts,
    )

    planned = {route.path: route.owner for route in page_routes}
    items: list[Article | Page] = [*site.articles, *site.pages]
    for item in items:
        if item.bundle is not None:
            folder = output_path(item.url).parent
            for asset in item.assets:
                rel = folder / asset if folder != PurePosixPath(".") else asset
                planned.setdefault(rel.as_posix(), str(item.bundle / asset))
    for _, inside in theme_static:
        planned.setdefault(f"{STATIC_DIR}/{inside}", f"newsgen theme: static/{inside}")
    for _, inside in site_static:
        planned[f"{STATIC_DIR}/{inside}"] = f"{STATIC_DIR}/{inside}"
    for extra in (ROBOTS_URL, SITEMAP_URL, NEWS_SITEMAP_URL, REDIRECTS_URL):
        planned.setdefault(extra, "newsgen")
    found: list[ContentError] = []
    for path, owner, folder_owner in path_conflicts(planned):
        if folder_owner:
            found.append(file_and_folder(path, owner, folder_owner))
        else:
            message = f"its output {path[:60]}… has a name longer than file systems allow"
            found.append(ContentError(PurePosixPath(owner), None, message))
    return found


def _file_fp(source: Path) -> str:
    try:
        return fingerprint("file", str(stat_key(source.stat())))
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
        if total < 500:
            return
        now = time.monotonic()
        if done != total and now - shown["at"] < 0.1:
            return
        shown["at"] = now
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r{stage} {done:,}/{total:,}{end}")
        sys.stderr.flush()

    return show
