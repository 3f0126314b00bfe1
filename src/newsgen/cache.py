"""The store under SITE/.newsgen-cache/: parsed sources, bodies, output manifests, stamps.

It stores and reads; deciding what is stale is incremental.py's job, the record format
records.py's, fingerprints fingerprints.py's.

- A source's row: its stat when read, the digest of its bytes, its key (see incremental.py),
  its Article or Page as a JSON record (records.py), its problems.
- Bodies are stored apart, by digest, and read only when a page shows them (StoredBodies), so
  a 100,000-article archive never holds every body in memory.
- Each output tree's manifest says which inputs produced each file (a fingerprint), the
  file's stat and its bytes' SHA-256, so the publisher can keep, hard-link or rewrite it.

SQLite (standard library) holds it all in one file: transactional, so a build killed half-way
leaves a cache that is whole, and safe to read from the render workers.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from newsgen.errors import ContentError, ContentWarning
from newsgen.fingerprints import code_fingerprint
from newsgen.models import Article, OutputEntry, Page

CACHE_DIR = ".newsgen-cache"


# -- Bodies, read when a page shows them ----------------------------------------------------

_local = threading.local()


def _reader(store: str) -> sqlite3.Connection:
    """One read connection per process, thread and store (connections do not survive a fork)."""
    key = (os.getpid(), store)
    connections: dict[tuple[int, str], sqlite3.Connection] = _local.__dict__.setdefault("c", {})
    if key not in connections:
        connections[key] = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    return connections[key]


class StoredBodies:
    """The bodies a build kept in its cache (models.Bodies), read one at a time as pages
    show them; whoever renders, feeds or checks is handed one."""

    __slots__ = ("store",)

    def __init__(self, store: str) -> None:
        self.store = store

    def html(self, item: Article | Page) -> Markup:
        if item.body_html is not None:
            return item.body_html
        row = (
            _reader(self.store)
            .execute("SELECT html FROM bodies WHERE digest = ?", (item.body_key,))
            .fetchone()
        )
        if row is None:
            message = (
                f"its text is missing from newsgen's cache ({CACHE_DIR}), which changed during"
                " the build; build again"
            )
            raise ContentError(item.source, None, message)
        return Markup(row[0])


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
        self._trees: dict[str, tuple[Mapping[str, OutputEntry], Mapping[str, int] | None]] = {}
        """Each tree's manifest and folders as this connection last read or wrote them: one
        that comes back untouched is not written again, and a builder that builds again
        (serve) does not decode 10,000 entries anew each time. Another process's build may
        have changed the tree since; that is safe, because the publisher trusts no entry
        and no folder it has not checked against the disk."""
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

    def missing_bodies(self, keys: Iterable[str]) -> set[str]:
        """Which of KEYS the store does not hold (another build of the site dropped them)."""
        wanted = sorted(set(keys))
        held: set[str] = set()
        for start in range(0, len(wanted), 500):  # SQLite takes so many parameters at once
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT digest FROM bodies WHERE digest IN ({marks})"
            held.update(row[0] for row in self.db.execute(query, chunk))
        return set(wanted) - held

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

    def manifest(self, tree: str) -> Mapping[str, OutputEntry]:
        """Every file of an output tree: what made it and its stat (one JSON value per tree:
        tens of thousands of rows would cost more to read than the build they save)."""
        if tree in self._trees:
            return self._trees[tree][0]
        found = self._tree(tree)
        if found is None:
            return {}
        entries = {rel: OutputEntry(*entry) for rel, entry in found[0].items()}
        self._trees[tree] = (entries, found[1])
        return entries

    def folders(self, tree: str) -> Mapping[str, int] | None:
        """The mtime of every folder of a tree when it was last published."""
        known = self._trees.get(tree)
        if known is not None and known[1] is not None:
            return known[1]
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
            kept = {tree: self._trees[tree] for tree in keep if tree in self._trees}
            for tree, entries in manifests.items():
                if tree != out_tree and tree in kept and kept[tree][0] is entries:
                    continue  # the standby tree's manifest, exactly as it was read
                files = json.dumps(
                    {rel: [e.fp, e.size, e.mtime_ns, e.ino, e.sha] for rel, e in entries.items()}
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
                    kept[tree] = (entries, kept[tree][1] if tree in kept else None)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            self._trees = {}
            raise
        kept[out_tree] = (manifests[out_tree], folders)
        self._trees = kept

    def save_standby(
        self,
        out: str,
        tree: str,
        manifest: Mapping[str, OutputEntry],
        folders: Mapping[str, int],
    ) -> None:
        """Record a standby tree made as a hard-link copy of OUT's live tree."""
        files = json.dumps(
            {rel: [e.fp, e.size, e.mtime_ns, e.ino, e.sha] for rel, e in manifest.items()}
        )
        self.db.execute(
            "INSERT OR REPLACE INTO trees VALUES (?, ?, ?, ?)",
            (tree, out, files, json.dumps(folders)),
        )

    def stamp(self, out: str) -> dict[str, Any] | None:
        """What the last good build of OUT saw and made (see Incremental.unchanged)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"stamp {out}",)).fetchone()
        try:
            return json.loads(row[0]) if row else None
        except ValueError:
            return None

    def save_stamp(self, out: str, stamp: Mapping[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"stamp {out}", json.dumps(stamp))
        )

    def trail(self, out: str) -> dict[str, Any] | None:
        """The URLs the last good build of OUT published (see moves.trail)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"trail {out}",)).fetchone()
        try:
            found = json.loads(row[0]) if row else None
        except ValueError:
            return None
        return found if isinstance(found, dict) else None

    def save_trail(self, out: str, trail: Mapping[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            (f"trail {out}", json.dumps(trail, ensure_ascii=False)),
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
