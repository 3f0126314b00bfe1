"""The persistent build cache in SITE/.newsgen-cache/: parsed sources, bodies, output manifests.

Only `build` uses it; the loader, renderer and publisher never learn that it exists.

- A source's parse result is kept under a key made of its bytes, where it sits, its bundle's
  files, the settings parsing depends on and newsgen's own code, so a file parses again
  exactly when something its result depends on changed. Its stat (size, mtime, inode) lets
  an unchanged file skip even being read.
- Parsed articles are kept as JSON (values, never pickles: a cache a site ships could
  otherwise run code). Bodies are stored apart and loaded only when a page shows them, so
  a 100,000-article archive never holds every body in memory.
- Each output tree's manifest says which inputs produced each file (a fingerprint) and the
  file's stat, so the publisher can keep, hard-link or rewrite it.

SQLite (standard library) holds it all in one file: transactional, so a build killed half-way
leaves a cache that is whole, and safe to read from the render workers.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

import newsgen
from newsgen.errors import ContentError, ContentWarning
from newsgen.models import EMPTY, Article, FrozenMap, OutputEntry, Page, Tag

CACHE_DIR = ".newsgen-cache"
SCHEMA = 1


@cache
def code_fingerprint() -> str:
    """newsgen's own code and theme: a changed line of either makes every cached result stale."""
    from newsgen.theme import builtin_theme_dir

    digest = hashlib.sha256(f"{newsgen.__version__}/{SCHEMA}".encode())
    package = Path(__file__).resolve().parent
    theme = builtin_theme_dir()
    for path in sorted([*package.rglob("*.py"), *(theme / "templates").rglob("*")]):
        if path.is_file():
            digest.update(path.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


# -- Values ↔ JSON --------------------------------------------------------------------------


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


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


_PATHS = {"source"}
_WHENS = {"date", "updated"}
_SPECIAL = {"body_html", "source", "extra", "bundle", "assets", "tags", *_WHENS}
_PLAIN = {kind: [n for n in names if n not in _SPECIAL] for kind, names in _FIELDS.items()}
"""Fields stored as plain JSON values (tuples of strings tagged as tuples, numbers, text)."""


def item_record(item: Article | Page, body_digest: str) -> str:
    """An article or page as JSON (fields in order), its body the digest it is stored under.

    Read back thousands at a time on every build, so the format is the plainest JSON.
    """
    kind = "article" if isinstance(item, Article) else "page"
    row: list[Any] = []
    for name in _FIELDS[kind]:
        value = getattr(item, name)
        if name == "body_html":
            value = body_digest
        elif name == "tags":
            value = [[t.key, t.name, t.slug] for t in value]
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


def item_from_record(
    record: str, store: str, source: PurePosixPath | None = None
) -> Article | Page:
    """The Article or Page a record holds; SOURCE, when given, is its (known) source path."""
    kind, row = json.loads(record)
    cls = _KINDS[kind]
    values = dict(zip(_FIELDS[kind], row, strict=True))
    values["body_html"] = StoredBody(values["body_html"], store)
    values["source"] = source or PurePosixPath(values["source"])
    values["extra"] = FrozenMap(_decode(values["extra"])) if values["extra"] else EMPTY
    if values["bundle"] is not None:
        values["bundle"] = PurePosixPath(values["bundle"])
        values["assets"] = tuple(PurePosixPath(v) for v in values["assets"])
    else:
        values["assets"] = ()
    values["updated"] = _unwhen(values["updated"])
    if kind == "article":
        values["date"] = _unwhen(values["date"])
        values["tags"] = tuple([Tag(*t) for t in values["tags"]])
    for name in _PLAIN[kind]:
        value = values[name]
        if isinstance(value, dict):
            values[name] = _decode(value)
    return cls(**values)


def problems_record(problems: Iterable[ContentError]) -> str:
    return json.dumps(
        [[p.severity, str(p.path), p.line, p.message] for p in problems], ensure_ascii=False
    )


def problems_from_record(record: str) -> list[ContentError]:
    kinds = {"error": ContentError, "warning": ContentWarning}
    return [kinds[s](path, line, message) for s, path, line, message in json.loads(record)]


def body_digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]


# -- Bodies, loaded when a page shows them --------------------------------------------------

_local = threading.local()


def _reader(store: str) -> sqlite3.Connection:
    """One read connection per process, thread and store (connections do not survive a fork)."""
    key = (os.getpid(), store)
    connections: dict[tuple[int, str], sqlite3.Connection] = _local.__dict__.setdefault("c", {})
    if key not in connections:
        connections[key] = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    return connections[key]


class StoredBody:
    """An article body kept in the cache: Markup-compatible, read from disk when rendered.

    Jinja's autoescape calls `__html__`, feeds call `str()`; both read the body then.
    """

    __slots__ = ("digest", "store")

    def __init__(self, digest: str, store: str) -> None:
        self.digest, self.store = digest, store

    def load(self) -> Markup:
        row = (
            _reader(self.store)
            .execute("SELECT html FROM bodies WHERE digest = ?", (self.digest,))
            .fetchone()
        )
        if row is None:
            raise LookupError(f"body {self.digest} is missing from the cache")
        return Markup(row[0])

    def __html__(self) -> Markup:
        return self.load()

    def __str__(self) -> str:
        return str(self.load())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoredBody) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __reduce__(self) -> tuple[type[StoredBody], tuple[str, str]]:
        return (StoredBody, (self.digest, self.store))


# -- Fingerprints -----------------------------------------------------------------------------


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
        body = item.body_html
        shown = body.digest if isinstance(body, StoredBody) else body_digest(str(body))
        tags = "\x1f".join(f"{t.name}\x1d{t.slug}" for t in getattr(item, "tags", ()))
        people = "\x1f".join(f"{b.name}\x1d{b.slug}" for b in getattr(item, "bylines", ()))
        token = f"A{item.digest}\x1f{shown}\x1f{tags}\x1e{people}"
        self._items[id(item)] = (item, token)  # the item is kept, so its id is not reused
        return token

    def _tokens(self, value: Any, out: list[str]) -> None:
        kind = type(value)
        if kind is dict:
            out.append("{")
            for key in sorted(value):
                out.append(f"s{len(key)}:{key}")
                self._tokens(value[key], out)
            out.append("}")
        elif kind is Article or kind is Page:
            out.append(self._item(value))
        elif kind is str:
            out.append(f"s{len(value)}:{value}")
        elif kind is tuple or kind is list:
            out.append("[")
            for item in value:
                self._tokens(item, out)
            out.append("]")
        elif kind is Tag:
            out.append(f"T{value.key}\x1f{value.name}\x1f{value.slug}")
        elif value is None or kind is bool or kind is int or kind is float:
            out.append(f"{kind.__name__[0]}{value!r}")
        elif kind is StoredBody:
            out.append("B" + value.digest)
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


@cache
def _field_names(kind: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


# -- The store ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class CachedSource:
    """What the last build learned from one source file."""

    stat: StatKey
    """(size, mtime_ns, inode) when it was read."""
    content: str
    """Digest of its bytes."""
    key: str
    """Digest of its bytes and of everything else its parse result depends on."""
    record: str | None
    """The Article or Page as JSON; None when the file gave none (errors, not an article)."""
    problems: str
    """Its errors and warnings, as JSON."""


class CacheUnusable(Exception):
    """The cache file is corrupt, foreign or unwritable; the message says which."""


class Cache:
    """The SQLite file under SITE/.newsgen-cache/ (or a throwaway one elsewhere)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._unchanged_tree: dict[str, dict[str, OutputEntry]] = {}
        """Manifests as read, so one that comes back untouched is not written again."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Builds are serialised (serve rebuilds in a thread of its own, one at a time).
            self.db = sqlite3.connect(
                path, timeout=60, isolation_level=None, check_same_thread=False
            )
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._schema()
        except (sqlite3.DatabaseError, OSError) as e:
            raise CacheUnusable(str(e)) from None

    def _schema(self) -> None:
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
        if row is not None and row[0] != code_fingerprint():
            # Another newsgen wrote it: nothing in it can be trusted.
            for table in ("sources", "bodies", "trees"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS sources (
                rel TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ino INTEGER,
                ctime INTEGER, content TEXT, key TEXT, record TEXT, problems TEXT);
            CREATE TABLE IF NOT EXISTS bodies (digest TEXT PRIMARY KEY, html TEXT);
            CREATE TABLE IF NOT EXISTS trees (
                tree TEXT PRIMARY KEY, out TEXT, files TEXT, folders TEXT);
            """
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code_fingerprint(),))
        self.foreign = row is not None and row[0] != code_fingerprint()

    @property
    def store(self) -> str:
        return str(self.path)

    def sources(self) -> dict[str, CachedSource]:
        rows = self.db.execute(
            "SELECT rel, size, mtime, ino, ctime, content, key, record, problems FROM sources"
        )
        return {
            rel: CachedSource((size, mtime, ino, ctime), content, key, record, problems)
            for rel, size, mtime, ino, ctime, content, key, record, problems in rows
        }

    def save_sources(
        self,
        changed: Mapping[str, CachedSource],
        bodies: Mapping[str, str],
        gone: Iterable[str],
    ) -> None:
        """Record new parse results and bodies, forget vanished sources: one transaction."""
        db = self.db
        db.execute("BEGIN")
        try:
            db.executemany("DELETE FROM sources WHERE rel = ?", ((rel,) for rel in gone))
            db.executemany(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (rel, *c.stat, c.content, c.key, c.record, c.problems)
                    for rel, c in changed.items()
                ),
            )
            db.executemany("INSERT OR IGNORE INTO bodies VALUES (?, ?)", bodies.items())
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def collect_bodies(self, live: set[str]) -> None:
        """Drop bodies no source uses any more, once they are a fair share of the store."""
        stored = self.db.execute("SELECT count(*) FROM bodies").fetchone()[0]
        if stored > 2 * len(live) + 100:
            self.db.execute("BEGIN")
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS live (digest TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM live")
            self.db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((d,) for d in live))
            self.db.execute("DELETE FROM bodies WHERE digest NOT IN (SELECT digest FROM live)")
            self.db.execute("COMMIT")

    def _tree(self, tree: str) -> tuple[Any, Any] | None:
        row = self.db.execute("SELECT files, folders FROM trees WHERE tree = ?", (tree,)).fetchone()
        try:
            return (json.loads(row[0]), json.loads(row[1]) if row[1] else None) if row else None
        except ValueError:
            return None

    def manifest(self, tree: str) -> dict[str, OutputEntry]:
        """Every file of an output tree: what made it and its stat (one JSON value per tree:
        tens of thousands of rows would cost more to read than the build they save)."""
        found = self._tree(tree)
        if found is None:
            return {}
        entries = {rel: OutputEntry(*entry) for rel, entry in found[0].items()}
        self._unchanged_tree[tree] = entries
        return entries

    def folders(self, tree: str) -> dict[str, int] | None:
        """The mtime of every folder of a tree when it was last published."""
        found = self._tree(tree)
        return found[1] if found else None

    def save_manifests(
        self,
        out: str,
        manifests: Mapping[str, Mapping[str, OutputEntry]],
        out_tree: str,
        folders: Mapping[str, int],
    ) -> None:
        """The manifests of OUT's two trees (by tree identity), and the live one's folders."""
        db = self.db
        db.execute("BEGIN")
        try:
            keep = list(manifests)
            marks = ",".join("?" * len(keep))
            db.execute(f"DELETE FROM trees WHERE out = ? AND tree NOT IN ({marks})", (out, *keep))
            for tree, entries in manifests.items():
                if tree != out_tree and self._unchanged_tree.get(tree) is entries:
                    continue  # the standby tree's manifest, exactly as it was read
                files = json.dumps(
                    {rel: [e.fp, e.size, e.mtime_ns, e.ino] for rel, e in entries.items()}
                )
                if tree == out_tree:
                    db.execute(
                        "INSERT OR REPLACE INTO trees VALUES (?, ?, ?, ?)",
                        (tree, out, files, json.dumps(folders)),
                    )
                else:  # the standby tree: its folders are as they were when it was live
                    db.execute(
                        "INSERT INTO trees VALUES (?, ?, ?, NULL) ON CONFLICT(tree)"
                        " DO UPDATE SET out = excluded.out, files = excluded.files",
                        (tree, out, files),
                    )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def save_standby(
        self,
        out: str,
        tree: str,
        manifest: Mapping[str, OutputEntry],
        folders: Mapping[str, int],
    ) -> None:
        """Record a standby tree made as a hard-link copy of OUT's live tree."""
        files = json.dumps({rel: [e.fp, e.size, e.mtime_ns, e.ino] for rel, e in manifest.items()})
        self.db.execute(
            "INSERT OR REPLACE INTO trees VALUES (?, ?, ?, ?)",
            (tree, out, files, json.dumps(folders)),
        )

    def stamp(self, out: str) -> dict[str, Any] | None:
        """What the last good build of OUT saw and made (see Builder._unchanged)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"stamp {out}",)).fetchone()
        try:
            return json.loads(row[0]) if row else None
        except ValueError:
            return None

    def save_stamp(self, out: str, stamp: Mapping[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"stamp {out}", json.dumps(stamp))
        )

    def close(self) -> None:
        self.db.close()


def open_cache(site_root: Path) -> tuple[Cache, list[ContentError]]:
    """The site's cache, or a fresh one with a warning when it is corrupt or cannot be written.

    Never a wrong site: a cache that cannot be trusted is thrown away, not read.
    """
    path = site_root / CACHE_DIR / "cache.sqlite"
    rel = PurePosixPath(CACHE_DIR) / "cache.sqlite"
    linked = next((p for p in (site_root / CACHE_DIR, path) if p.is_symlink()), None)
    if linked is not None:
        # Written through, it would change files outside the site: never follow it.
        shown = PurePosixPath(CACHE_DIR) if linked != path else rel
        message = (
            "is a symbolic link; newsgen writes its cache inside the site only, so this build"
            " uses a temporary cache (remove the link to keep the cache between builds)"
        )
        return _scratch(), [ContentWarning(shown, None, message)]
    try:
        opened = Cache(path)
        if opened.foreign:
            message = "was written by another newsgen version; starting a fresh cache"
            return opened, [ContentWarning(rel, None, message)]
        return opened, []
    except CacheUnusable as e:
        problem = str(e)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            stale.unlink(missing_ok=True)
        except OSError:
            break
    else:
        try:
            return Cache(path), [ContentWarning(rel, None, f"was unreadable ({problem}); rebuilt")]
        except CacheUnusable:
            pass
    message = f"cannot be used ({problem}); this build uses a temporary cache instead"
    return _scratch(), [ContentWarning(rel, None, message)]


def _scratch() -> Cache:
    import tempfile

    return Cache(Path(tempfile.mkdtemp(prefix="newsgen-cache-")) / "cache.sqlite")


StatKey = tuple[int, int, int, int]


def stat_key(st: os.stat_result) -> StatKey:
    """(size, mtime, inode, ctime): the change time too, which no one can set back, so a
    same-size edit whose mtime was restored (an editor, `touch -r`, an rsync) is seen."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
