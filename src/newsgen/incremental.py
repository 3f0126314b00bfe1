"""What a rebuild can skip: the one place that decides what is stale, and remembers.

The pipeline (build.py) says how to build; this module says what needs building:

- a stamp of the whole input (every source file's stat, the config, newsgen's code): when
  nothing changed and the output is as the last build left it, the build is done
  (`Incremental.unchanged`);
- which sources must be parsed again (`Incremental.recall`): a source whose stat is as the
  cache recorded is recalled without being read; a touched one is read and recalled if its
  bytes did not change; the rest are parsed, their results saved back in batches
  (`Incremental.parsed`, `Incremental.settle`). A source parses again exactly when its bytes,
  place, bundle, the settings its parse depends on or newsgen's code changed;
- fingerprints of every page and feed (`route_fingerprints`), and of copied files
  (`file_fingerprint`): a file whose fingerprint did not change is neither made nor written;
- what the build leaves for the next one: output manifests, the stamp, a fresh standby tree.

The cache itself (cache.py) only stores; the record format is records.py's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat as stat_module
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from newsgen.cache import (
    CACHE_DIR,
    Cache,
    CachedSource,
    CacheUnusable,
    StatKey,
    StoredBodies,
    open_cache,
    stat_key,
)
from newsgen.config import CONFIG_NAME
from newsgen.discover import SourceFile
from newsgen.edits import Placement, Unswappable, body_only
from newsgen.errors import ContentError
from newsgen.fingerprints import Fingerprints, body_digest, code_fingerprint, fingerprint
from newsgen.fsutil import ARTICLES_DIR, PAGES_DIR, SOURCE_DIRS, stat_tree
from newsgen.models import Article, Held, Page, Route, SearchPart, Site, SiteConfig
from newsgen.publisher import OutputLock, PublishReport, clone_tree, folder_mtimes, tree_id
from newsgen.records import (
    Uncacheable,
    item_from_record,
    item_record,
    problems_from_record,
    problems_record,
)

RACY_SECONDS = 2.0
"""A file changed this close to when it was last looked at may have changed again unseen."""
STANDBY_THREAD = "newsgen standby refresh"
"""The name of the thread that refreshes the standby tree, when a thread does it."""
SAVE_BATCH = 500
"""Parsed sources written to the cache per transaction during a build."""
EDITS_PATCHED = 100
"""At most this many edited articles are swapped into a kept site; more are assembled anew."""


_SAVED = CachedSource((-1, -1, -1, -1), "", "", None, "[]")
"""What a one-shot build keeps of a source it parsed and saved (Incremental.parsed)."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """Every input as a build first sees it."""

    inputs: str
    """Digest of every input's stat, the config's, newsgen's code and the build's options."""
    newest: int
    """The newest mtime or ctime among them (ns)."""


@dataclass(slots=True)
class Known:
    """A source as the cache or this builder last saw it."""

    cached: CachedSource
    item: Article | Page | None
    problems: list[ContentError]


@dataclass(slots=True)
class Assembled:
    """What a build made of its items, kept by a builder that builds again (serve): when
    the next build's items differ only in articles' bodies (edits.body_only), this is
    patched (edits.patch) instead of assembling and fingerprinting the whole site again."""

    inputs: str
    """Everything else assembling depends on: settings, sections, tag library, words."""
    articles: list[Article]
    """The articles as loaded (before assembling), in the order they were given."""
    pages: list[Page]
    site: Site
    routes: list[Route]
    parts: list[SearchPart]
    """The search index's parts (site.search_shards)."""
    problems: list[ContentError]
    """What assembling found (the same for the same shape)."""
    prints: list[str | None] | None = None
    """Each route's fingerprint (None: not known), made with `templates`' parts."""
    templates: dict[str, str] = field(default_factory=dict)
    """The fingerprint part of each template the prints were made with."""
    placement: Placement | None = None
    """Which routes show each article (made on the first patch, or by `Builder.warm`)."""
    collisions: list[ContentError] = field(default_factory=list)
    """What making the routes found (URLs claimed twice)."""
    paths: tuple[Any, list[ContentError]] | None = None
    """The static files the output paths were checked with, and what the check found."""
    sitemap: tuple[str, int] | None = None
    """The sitemap's fingerprint and its number of pages."""


@dataclass(frozen=True, slots=True)
class ParseJob:
    """One source to parse: its bytes when they were already read, and its cache key's parts."""

    src: SourceFile
    data: bytes | None
    kind: str
    """'article' or 'page'."""
    parse_fp: str
    """Everything besides the file that its parse depends on (settings, tag library, code)."""
    stat: StatKey


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a worker returns for one ParseJob (stash), bodies apart from their items."""

    content: str
    key: str
    item: Article | Page | None
    """The item when it has no record (the collecting process makes the others from their
    records: see `stash`); None too when the file gave none."""
    html: str
    record: str | None
    problems_record: str
    problems: list[ContentError]


@dataclass(slots=True)
class Recall:
    """A source set split into what the cache still knows and what must be parsed."""

    known: dict[str, Known]
    todo: list[ParseJob]
    stored: Mapping[str, CachedSource]
    changed: dict[str, CachedSource] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)
    stats: dict[str, os.stat_result] = field(default_factory=dict)
    """The stamp's stats the sources were looked at with."""


def _same_stat(one: os.stat_result, other: os.stat_result) -> bool:
    return (
        one.st_mtime_ns == other.st_mtime_ns
        and one.st_ctime_ns == other.st_ctime_ns
        and one.st_ino == other.st_ino
        and one.st_size == other.st_size
        and one.st_mode == other.st_mode
        and one.st_dev == other.st_dev
    )


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def source_key(content: str, src: SourceFile, kind: str, parse_fp: str) -> str:
    """A source's identity: its bytes, place, bundle files, kind and what its parse depends on."""
    assets = "\x1f".join(map(str, src.assets))
    text = f"{content}\x1e{src.rel}\x1e{src.bundle}\x1e{assets}\x1e{kind}\x1e{parse_fp}"
    return hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def stash(job: ParseJob, data: bytes, loaded: Any) -> Parsed:
    """A fresh parse result made ready for the cache: its body moved out of the item into the
    store's keeping, its record and problems as JSON. Runs in the worker that parsed it, so
    the collecting process never holds every file's bytes and does little JSON work.

    The item's digest is its source key: pages that show it depend on exactly that. An item
    the cache cannot hold keeps its body and has no record. An item with a record travels as
    the record alone: made from it in the collecting process (`item_from_record`, as a
    rebuild recalls it), it shares its path and tags with the rest of the archive, where an
    unpickled one brings copies of its own (1.4 KB an article instead of 2.4).
    """
    content = content_digest(data)
    key = source_key(content, job.src, job.kind, job.parse_fp)
    item: Article | Page | None = loaded.item
    found: list[ContentError] = list(loaded.problems)
    if item is None:
        return Parsed(content, key, None, "", None, problems_record(found), found)
    html = str(item.body_html)
    apart = replace(item, body_html=None, body_key=body_digest(html), digest=key)
    try:
        record: str | None = item_record(apart)
    except Uncacheable:
        apart, record = replace(item, digest=key), None
    sent = apart if record is None else None
    return Parsed(content, key, sent, html, record, problems_record(found), found)


class Incremental:
    """The incremental layer of one site and output, kept by a Builder between builds."""

    def __init__(
        self, site_root: Path, out_dir: Path, *, drafts: bool, keep: bool, future: bool = False
    ) -> None:
        self.site_root, self.out_dir = site_root, out_dir
        self.drafts = drafts
        self.future = future
        self.keep = keep
        """Keep what the sources gave in memory between builds (serve)."""
        self._cache: Cache | None = None
        self._known: dict[str, Known] = {}
        self._live: set[str] = set()
        self._stats: dict[str, os.stat_result] = {}
        """Every source file's stat as the stamp saw it (for this build's recall only)."""
        self._stats_at = 0
        """When the stamp began to look (ns)."""
        self._prints = Fingerprints()
        """The last build's fingerprint parts of its articles and pages (serve)."""
        self._assembled: Assembled | None = None
        """The last build's site, routes and their fingerprints (serve)."""
        self._discovery: tuple[str, Any, dict[str, os.stat_result], frozenset[str]] | None = None
        """The last discovery (serve): its key, what it found, the stamp's stats it followed
        and the files it found as sources."""
        self._stirred: set[str] | None = None
        """When this build kept the last discovery: the paths whose stat changed since, or
        that changed too lately to be trusted by their stat (RACY_SECONDS)."""
        self._parse_fp = ""
        """What the last recall's parses depended on besides the files (serve)."""
        self._settled_with: dict[str, os.stat_result] | None = None
        """The stamp's stats the sources known now were recalled or parsed with (serve)."""

    # -- the store --------------------------------------------------------------------------

    def open(self, problems: list[ContentError]) -> Cache:
        if self._cache is None:
            self._cache, cache_problems = open_cache(self.site_root)
            problems.extend(cache_problems)
        return self._cache

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None
            self._known = {}
            self._assembled = None
            self._discovery = None
            self._settled_with = None

    @property
    def warm(self) -> bool:
        """What the sources gave is already in memory."""
        return bool(self._known)

    def bodies(self) -> StoredBodies:
        assert self._cache is not None
        return StoredBodies(self._cache.store)

    # -- nothing changed ----------------------------------------------------------------------

    def stamp(self) -> Stamp:
        self._stats_at = time.time_ns()
        digest = hashlib.sha256()
        from newsgen import searchtool

        # Pagefind's version too: one installed anew makes every part of the index again.
        tool = searchtool.pagefind_version()
        digest.update(f"{code_fingerprint()}|{self.drafts}|{self.future}|{tool}|".encode())
        newest = 0
        try:
            st = (self.site_root / CONFIG_NAME).stat()
            digest.update(f"config {stat_key(st)}\n".encode())
            newest = max(st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            digest.update(b"no config\n")
        stats: dict[str, os.stat_result] = {}
        for folder in SOURCE_DIRS:
            top = self.site_root / folder
            # The folder itself, not only what it holds: one swapped for a symlink to a copy
            # holds the same names, and where it leads decides whether it may be read.
            try:
                own = os.lstat(top)
                stats[os.fspath(top)] = own
                where = os.path.realpath(top)
                digest.update(f"[{folder}] {own.st_mode} {own.st_ino} {where}\n".encode())
            except OSError:
                digest.update(f"[{folder}] absent\n".encode())
            newest = max(newest, stat_tree(top, digest, stats))
        self._stats = stats
        return Stamp(digest.hexdigest(), newest)

    def unchanged(self, stamp: Stamp, moment: datetime) -> dict[str, Any] | None:
        """The last build's record, if no input changed, the output is as it left it, and
        MOMENT (the build's now) lies where what the site shows is the same: from the last
        build's now until the next change it recorded (earlier than that: built again)."""
        from newsgen.publisher import verify_tree

        assert self._cache is not None
        cache = self._cache
        out = self.out_dir.resolve()
        last = cache.stamp(str(out))
        if last is None or last["inputs"] != stamp.inputs or last["tree"] != tree_id(out):
            return None
        if not _same_time(last, moment):
            return None
        if time.time_ns() - stamp.newest < RACY_SECONDS * 1e9 or stamp.newest >= last["time"]:
            return None  # a file written as the last build read it: look properly
        folders = cache.folders(last["tree"])
        if folders is None or not verify_tree(out, cache.manifest(last["tree"]), folders):
            return None
        self._stats = {}  # no build follows to use them
        return last

    # -- sources --------------------------------------------------------------------------

    def discovered(self, key: str) -> Any | None:
        """What the last discovery found, when discovering again would find the same (serve):
        its KEY (the settings it depends on) is the same, and the stamp's walk saw the same
        entries, none of another kind or mode, each changed one a source file the last
        discovery found (or a file outside articles/ and pages/), never a symlink."""
        kept, now = self._discovery, self._stats
        self._stirred = None
        if kept is None or kept[0] != key or not now:
            return None
        before, sources = kept[2], kept[3]
        if before.keys() != now.keys():
            return None
        read_by_discovery = tuple(
            os.path.join(self.site_root, folder, "") for folder in (ARTICLES_DIR, PAGES_DIR)
        )
        lately = self._stats_at - RACY_SECONDS * 1e9
        stirred: set[str] | None = set() if before is self._settled_with else None
        for path, st in now.items():
            old = before[path]
            if _same_stat(old, st):
                if st.st_mtime_ns >= lately or st.st_ctime_ns >= lately:
                    # Changed too lately for its stat to tell: perhaps changed again unseen.
                    if (
                        path.startswith(read_by_discovery)
                        and path not in sources
                        and not stat_module.S_ISDIR(st.st_mode)
                    ):
                        return None  # a bundle's asset: discovery looks into some of them
                    if stirred is not None:
                        stirred.add(path)
                continue
            if stirred is not None:
                stirred.add(path)
            if old.st_mode != st.st_mode:
                return None
            if not stat_module.S_ISDIR(st.st_mode) and (
                path.startswith(read_by_discovery) and path not in sources
            ):
                return None  # a bundle's asset: discovery looks into some of them
            try:
                if stat_module.S_ISLNK(os.lstat(path).st_mode):
                    return None
            except OSError:
                return None
        # What was found is as right for the entries seen now: they are the next baseline.
        self._discovery = (key, kept[1], now, sources)
        self._stirred = stirred
        return kept[1]

    def keep_discovered(self, key: str, found: Any, sources: Iterable[SourceFile]) -> None:
        """Keep a discovery made after this build's stamp (serve only)."""
        if self.keep and self._stats:
            paths = frozenset(os.fspath(src.path) for src in sources)
            self._discovery = (key, found, self._stats, paths)

    def recall(
        self,
        sources: Iterable[tuple[SourceFile, str]],
        parse_fp: str,
        read: Callable[[SourceFile], bytes | ContentError],
        problems: list[ContentError],
    ) -> Recall:
        """What the cache still knows of SOURCES, and the jobs for the rest.

        A source is recalled without being read when its stat is as recorded and old enough
        that it cannot have changed unseen since (RACY_SECONDS); a touched source is read, and
        recalled when its bytes did not change.
        """
        assert self._cache is not None
        cache = self._cache
        stored = (
            {rel: known.cached for rel, known in self._known.items()}
            if self._known
            else cache.sources()
        )
        now = time.time_ns()
        found = Recall({}, [], stored)
        seen: dict[str, tuple[SourceFile, str, StatKey]] = {}
        # The stamp's walk saw every file a moment ago: a file changed since then is seen by
        # the next build, whose stamp differs (the stamp recorded is this one).
        stats, self._stats = self._stats, {}
        # A builder that kept its discovery (the same source objects) recalls what it knows
        # of each source whose stat is as the last build saw it, long enough ago: what the
        # general way below would find, without looking at each source again.
        stirred = self._stirred if self._known and parse_fp == self._parse_fp else None
        self._stirred, self._parse_fp = None, parse_fp
        found.stats = stats
        sources = list(sources)
        for src, kind in sources:
            rel = str(src.rel)
            if stirred is not None and os.fspath(src.path) not in stirred:
                known = self._known.get(rel)
                if known is not None:
                    found.known[rel] = known
                    continue
            before = stored.get(rel)
            st = stats.get(os.fspath(src.path))
            looked = now if st is None else self._stats_at
            try:
                stat = stat_key(st if st is not None else src.path.stat())
            except OSError:
                stat = (-1, -1, -1, -1)
            seen[rel] = (src, kind, stat)
            settled = looked - max(stat[1], stat[3]) > RACY_SECONDS * 1e9
            if before is not None and before.stat == stat and settled:
                key = source_key(before.content, src, kind, parse_fp)
                recalled = self._recalled(src, before) if key == before.key else None
                if recalled is not None:
                    found.known[rel] = recalled
                    continue
            data: bytes | None = None
            if before is not None:  # touched, perhaps not changed: look at the bytes
                got = read(src)
                if isinstance(got, ContentError):
                    problems.append(got)
                    continue
                data = got
                content = content_digest(data)
                key = source_key(content, src, kind, parse_fp)
                if key == before.key:
                    updated = CachedSource(stat, content, key, before.record, before.problems)
                    recalled = self._recalled(src, updated)
                    if recalled is not None:
                        recalled.cached = updated
                        found.known[rel] = recalled
                        continue
            found.todo.append(ParseJob(src, data, kind, parse_fp, stat))
        # A recalled item whose body the store lost (another build of the site collected it)
        # is parsed again now, so that no page meets a missing body while it renders.
        lost = {
            known.item.body_key: rel
            for rel, known in found.known.items()
            if known.item is not None and known.item.body_html is None
        }
        missing = cache.missing_bodies(lost)
        if missing:
            for src, kind in sources:
                rel = str(src.rel)
                if rel not in seen and rel in found.known:
                    seen[rel] = (src, kind, found.known[rel].cached.stat)
        for key in sorted(missing):
            src, kind, stat = seen[lost[key]]
            del found.known[lost[key]]
            found.todo.append(ParseJob(src, None, kind, parse_fp, stat))
        found.changed = {
            rel: known.cached
            for rel, known in found.known.items()
            if stored.get(rel) is not known.cached and stored.get(rel) != known.cached
        }
        return found

    def _recalled(self, src: SourceFile, cached: CachedSource) -> Known | None:
        """What the cache says a source gave; None if the record cannot be read back."""
        known = self._known.get(str(src.rel))
        if known is not None and known.cached.key == cached.key:
            return known
        try:
            record = cached.record
            item = item_from_record(record, src.rel) if record else None
            return Known(cached, item, problems_from_record(cached.problems))
        except (ValueError, KeyError, TypeError):
            return None  # parse it again

    def parsed(self, found: Recall, job: ParseJob, result: Parsed) -> None:
        """Record one fresh parse result; bodies go to disk in batches as they come."""
        rel = str(job.src.rel)
        item = result.item
        if result.record is not None:
            item = item_from_record(result.record, job.src.rel)
            found.bodies[item.body_key] = result.html
        # An item that cannot be cached gets no key: it is parsed again next time.
        key = result.key if result.record or item is None else ""
        cached = CachedSource(job.stat, result.content, key, result.record, result.problems_record)
        found.changed[rel] = cached
        # A build that does not build again keeps no record once it is saved (a megabyte for
        # every thousand articles): only serve recalls what it parsed from memory.
        kept = cached if self.keep else _SAVED
        found.known[rel] = Known(kept, item, list(result.problems))
        if len(found.bodies) >= SAVE_BATCH:
            assert self._cache is not None
            self._cache.save_sources(found.changed, found.bodies, ())
            found.changed, found.bodies = {}, {}

    def settle(self, found: Recall) -> list[Known]:
        """Save what is left and forget vanished sources; every source known now, in order."""
        assert self._cache is not None
        gone = [rel for rel in found.stored if rel not in found.known]
        if found.changed or gone or found.bodies:
            self._cache.save_sources(found.changed, found.bodies, gone)
        self._live = {
            k.item.body_key
            for k in found.known.values()
            if k.item is not None and k.item.body_html is None
        }
        # Kept between builds only by a builder that builds again (serve); a one-shot build
        # lets the records go as soon as the articles are made.
        self._known = found.known if self.keep else {}
        self._settled_with = found.stats if self.keep else None
        return [known for _, known in sorted(found.known.items())]

    # -- outputs --------------------------------------------------------------------------

    def fingerprints(self, items: Iterable[Article | Page]) -> Fingerprints:
        """What makes this build's fingerprints: one that still knows the parts of the ITEMS
        that did not change when the builder builds again (serve)."""
        if not self.keep:
            return Fingerprints()
        self._prints = self._prints.carried(items)
        return self._prints

    def assembled(
        self, inputs: str, articles: Sequence[Article], pages: Sequence[Page]
    ) -> tuple[Assembled, list[tuple[Article, Article]]] | None:
        """The last build's site, and the articles edited since (pairs of the article as
        loaded then and now), when only articles' bodies changed: the same settings
        (INPUTS), the same pages, the same articles in the same order, each the same object
        (recalled) or `body_only` of the one before. None when the site must be assembled
        again. The kept site is let go either way: the caller keeps what it makes."""
        kept, self._assembled = self._assembled, None
        if (
            kept is None
            or kept.inputs != inputs
            or len(kept.articles) != len(articles)
            or len(kept.pages) != len(pages)
            or any(a is not b for a, b in zip(kept.pages, pages, strict=True))
        ):
            return None
        edited = [
            (before, now)
            for before, now in zip(kept.articles, articles, strict=True)
            if before is not now
        ]
        if len(edited) > EDITS_PATCHED or not all(
            before.source == now.source and body_only(before, now) for before, now in edited
        ):
            return None
        return kept, edited

    def place(self) -> None:
        """Find where the kept site's articles are shown now, not on the first edit."""
        kept = self._assembled
        if kept is not None and kept.placement is None:
            try:
                kept.placement = Placement(kept.routes)
            except Unswappable:
                self._assembled = None

    def keep_assembled(self, assembled: Assembled) -> None:
        """Keep what this build assembled for the next one (serve only)."""
        if self.keep:
            self._assembled = assembled

    def route_prints(self, routes: Sequence[Route], route_fp: RouteFingerprints) -> list[str]:
        """Every route's fingerprint: those the kept site knows (its routes, patched) where
        their template's part is as it was, the rest made now."""
        kept = self._assembled
        if kept is None or kept.routes is not routes or kept.prints is None:
            prints = [route_fp(route) for route in routes]
        else:
            known, was = kept.prints, kept.templates
            same = {
                template: was.get(template) == route_fp.part(template)
                for template in {route.template for route in routes}
            }
            prints = [
                fp if fp is not None and same[route.template] else route_fp(route)
                for route, fp in zip(routes, known, strict=True)
            ]
        if kept is not None and kept.routes is routes:
            kept.prints = list(prints)
            kept.templates = route_fp.parts()
        return prints

    def search_fingerprint(
        self,
        config: SiteConfig,
        part: str,
        sources: Any,
        articles: Sequence[Article],
        indexer: str,
    ) -> str:
        """One part of the search index: what its article pages are made of, and not what
        they show of other articles (a neighbour's edit leaves the words indexed as they
        were), plus the article template's sources (SOURCES), the settings and the version
        of the indexer (INDEXER)."""
        articles_fp = [(article.url, article) for article in articles]
        return fingerprint(
            code_fingerprint(), "search", indexer, config, part, sources, articles_fp
        )

    def manifests(self) -> tuple[Callable[[str], Any], Callable[[str], Any]]:
        """The publisher's view of the output trees the cache knows (manifest, folders)."""
        assert self._cache is not None
        return self._cache.manifest, self._cache.folders

    def record(
        self,
        stamp: Stamp,
        result: PublishReport,
        warnings: list[ContentError],
        counts: Mapping[str, int],
        timing: tuple[datetime | None, datetime | None, Sequence[Held], str] = (None, None, (), ""),
    ) -> None:
        """What the next build needs of this one: manifests, the stamp, the live bodies."""
        from newsgen.publisher import fault

        assert self._cache is not None
        cache = self._cache
        out = str(self.out_dir.resolve())
        cache.save_manifests(out, result.manifests, result.out_tree, result.dirs)
        fault("after-manifest")
        # What a no-op build repeats: the sources' warnings, not this build's own about the cache.
        lasting = [p for p in warnings if p.path.parts[:1] != (CACHE_DIR,)]
        cache.save_stamp(
            out,
            {
                "inputs": stamp.inputs,
                "time": time.time_ns(),
                "tree": result.out_tree,
                "warnings": problems_record(lasting),
                **counts,
                "files": len(result.manifests[result.out_tree]),
                **_timing_record(*timing),
            },
        )
        cache.collect_bodies(self._live)

    def trail(self) -> dict[str, Any] | None:
        """The URLs the last good build of this output published (moves.trail), if known."""
        assert self._cache is not None
        return self._cache.trail(str(self.out_dir.resolve()))

    def keep_trail(self, trail: Mapping[str, Any]) -> None:
        """What this build published, for the next build to compare its URLs with."""
        assert self._cache is not None
        self._cache.save_trail(str(self.out_dir.resolve()), trail)

    def refresh_standby(self, lock: OutputLock, background: bool) -> None:
        """After a build that rewrote most files, make the standby tree a fresh copy of it.

        Otherwise the next build would hard-link every file one by one into the stale
        standby tree. The copy (hard links, no bytes) is made after this build returns: by a
        detached process that keeps the lock (BACKGROUND: a one-shot build), so a build that
        needs the output waits for it; otherwise by a thread, under a lock of its own, once
        this build has let go of the output.
        """
        out = self.out_dir.resolve()
        assert self._cache is not None
        tree = tree_id(out)
        if tree is None:
            return
        manifest = self._cache.manifest(tree)
        folders = self._cache.folders(tree) or {}
        store = self._cache.path
        from newsgen.processes import become_python, can_fork_detached, detach

        forking = background and can_fork_detached()
        if forking:
            self.close()  # a connection must not cross a fork; the next build reopens it

        def later() -> None:
            with OutputLock(out) as own:
                _refresh(out, manifest, folders, store, own)

        def afresh() -> None:
            # The detached process becomes a fresh one that reads the manifest again, and
            # works here only when it cannot.
            if lock.fd is not None:
                args = [str(out), tree, str(store), str(lock.fd)]
                become_python("newsgen.incremental:refresh_main", args, [lock.fd])
            _refresh(out, manifest, folders, store, lock)

        detach(afresh if forking else None, later, STANDBY_THREAD)


def refresh_main(args: Sequence[str]) -> None:
    """`_refresh` in a process of its own (refresh_standby): ARGS are the output, the id of
    its live tree, the cache's path and the number of the lock's file descriptor."""
    out, tree, store, fd = Path(args[0]), args[1], Path(args[2]), int(args[3])
    lock = OutputLock(out)
    lock.fd = fd
    try:
        cache = Cache(store)
        manifest, folders = cache.manifest(tree), cache.folders(tree) or {}
        cache.close()
    except CacheUnusable:
        lock.release()
        return
    _refresh(out, manifest, folders, store, lock)


def _refresh(
    out: Path, manifest: Any, folders: Mapping[str, int], store: Path, lock: OutputLock
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


class RouteFingerprints:
    """Each route's fingerprint: what it shows (its context), the templates it is rendered
    with (TEMPLATE_SOURCES of its template's name: its text and its parents'), the settings,
    EVERYTHING every page shows, and newsgen's code. Made once per template (`part`), then
    per route, with PRINTS (Incremental.fingerprints) when given."""

    def __init__(
        self,
        template_sources: Callable[[str], Any],
        config: SiteConfig,
        everything: Iterable[Any],
        prints: Fingerprints | None = None,
    ) -> None:
        self._sources = template_sources
        self._prints = prints or Fingerprints()
        self._shared = self._prints.of(code_fingerprint(), config, *everything)
        self._templates: dict[str, str] = {}

    def part(self, template: str) -> str:
        """What every route of TEMPLATE shares (feeds, whose "template" is a kind, have no
        template sources)."""
        known = self._templates.get(template)
        if known is None:
            sources = [] if template.startswith("feed:") else self._sources(template)
            known = self._templates[template] = self._prints.of(self._shared, template, sources)
        return known

    def parts(self) -> dict[str, str]:
        return dict(self._templates)

    def __call__(self, route: Route) -> str:
        return self._prints.of(self.part(route.template), route.url, route.context)


def _timing_record(
    now: datetime | None, until: datetime | None, held: Sequence[Held], zone: str
) -> dict[str, Any]:
    """What a build's record keeps of its *now*: when it was, when what the site shows
    changes next, the articles held back (repeated by a build with nothing to do), and the
    zone an offset-less `--now` is read in."""
    return {
        "now": None if now is None else now.isoformat(),
        "until": None if until is None else until.isoformat(),
        "held": [[str(h.source), h.state, h.when.isoformat()] for h in held],
        "zone": zone,
    }


def _same_time(last: Mapping[str, Any], moment: datetime) -> bool:
    """MOMENT is in the span where the last build's site stays as it is."""
    if last.get("now") is None:
        return False  # a build from before newsgen knew its now
    if moment.tzinfo is None:
        try:
            moment = moment.replace(tzinfo=ZoneInfo(last.get("zone") or "UTC"))
        except (ValueError, KeyError):
            return False
    since = datetime.fromisoformat(last["now"])
    until = last.get("until")
    return since <= moment and (until is None or moment < datetime.fromisoformat(until))


def held_from_record(last: Mapping[str, Any]) -> tuple[tuple[Held, ...], datetime | None]:
    """The articles the last build held back and its next change, as `record` kept them."""
    held = tuple(
        Held(PurePosixPath(source), state, datetime.fromisoformat(when))
        for source, state, when in last.get("held", [])
    )
    until = last.get("until")
    return held, None if until is None else datetime.fromisoformat(until)


def route_fingerprints(
    template_sources: Callable[[str], Any],
    config: SiteConfig,
    everything: Iterable[Any],
    prints: Fingerprints | None = None,
) -> RouteFingerprints:
    """The fingerprints of a build's routes (RouteFingerprints)."""
    return RouteFingerprints(template_sources, config, everything, prints)


def file_fingerprint(source: Path) -> str:
    """A copied file's fingerprint: its stat (a copy is redone when the file was touched)."""
    try:
        return fingerprint("file", str(stat_key(source.stat())))
    except OSError:
        return fingerprint("file", str(source))
