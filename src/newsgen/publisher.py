"""The only module that writes the output: two trees beside each other, exchanged in one step.

`build/` is what readers see; `.build.next/` beside it is the standby tree. A build brings the
standby tree up to date (keeping files that are already right, hard-linking unchanged files
from `build/`, writing only what changed, removing what is stale) and then exchanges the two
directories with one atomic rename (Linux `renameat2(RENAME_EXCHANGE)`). So:

- until the exchange, `build/` is untouched: a failed or killed build loses nothing;
- at no moment is there no `build/` (a web server serving it never answers 404 mid-build);
- an unchanged page keeps its bytes, mtime and inode (the two trees share it), so deploy
  tools skip it; a changed page is a new file, never an in-place write into a shared inode.
- a page made again (its inputs changed) whose bytes are what the live tree holds is kept
  the same way: its SHA-256 is compared with the live file's, recorded when that was made.
- a file whose bytes differ from the live one's is always newer than it: one kept from the
  standby tree (two builds old, inputs A, B, then A again) is touched (`Publisher._keep`).

Each tree's manifest (which inputs made each file, the file's stat and its bytes' SHA-256)
comes from build's cache; files that do not match it are treated as unknown and replaced.
At the top of the output, `.newsgen-manifest.json` lists every file's SHA-256 and size for
deploys, and the build's report says which paths changed since the previous one (manifests).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
import secrets
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from newsgen.errors import NewsgenError, OutputError, PublishError
from newsgen.manifests import MANIFEST_FILE, changes, render_manifest
from newsgen.models import OutputEntry as Entry
from newsgen.urls import SITEMAP_URL

OWN_FILES = ("404.html", SITEMAP_URL)
"""Files every newsgen build writes: a folder with them may be replaced by the next build."""


@dataclass(slots=True)
class PublishReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    manifests: dict[str, Mapping[str, Entry]] = field(default_factory=dict)
    """Tree identity → its manifest, after the exchange."""
    out_tree: str = ""
    """The identity of the tree now at the output."""
    dirs: dict[str, int] = field(default_factory=dict)
    """Every folder of the output tree (relative, '' for its root) → its mtime."""
    changes: list[tuple[str, str]] = field(default_factory=list)
    """(mark, path) of each file added, changed or removed since the previous build
    (manifests.changes)."""


def tree_id(path: Path) -> str | None:
    """A directory's identity (device and inode): it survives renames, so manifests follow it."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_dev}:{st.st_ino}"


# -- One build per output at a time --------------------------------------------------------------


class OutputLock:
    """An exclusive lock on an output (a `.NAME.lock` file beside it), held for a whole build.

    A second build of the same output waits, saying who holds it; the lock goes with its
    process, so a killed build never leaves the output locked.
    """

    def __init__(self, out_dir: Path, on_wait: Callable[[str], None] | None = None) -> None:
        out = out_dir.resolve()
        self.path = out.parent / f".{out.name}.lock"
        self.on_wait = on_wait
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise NewsgenError(f"cannot lock the output {self.path.parent}: {e.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            if self.on_wait:
                self.on_wait(f"waiting for another newsgen build of this output ({holder})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Let go of the lock (a forked child that inherited it holds it until it does too)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


# -- The atomic exchange ---------------------------------------------------------------------

RENAME_EXCHANGE = 2
_SYSCALL_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "i686": 353, "armv7l": 382}


def _renameat2() -> Callable[[bytes, bytes], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd = -100
    if hasattr(libc, "renameat2"):
        func = libc.renameat2
        return lambda a, b: func(at_fdcwd, a, at_fdcwd, b, RENAME_EXCHANGE)
    number = _SYSCALL_RENAMEAT2.get(os.uname().machine)
    if number is None:
        return None
    return lambda a, b: libc.syscall(number, at_fdcwd, a, at_fdcwd, b, RENAME_EXCHANGE)


def exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically where the system can; else with three renames."""
    call = _renameat2()
    if call is not None:
        if call(os.fsencode(a), os.fsencode(b)) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(a))
    # Elsewhere: a brief moment with no `a`, the best a plain rename allows.
    middle = a.parent / f".{a.name}.swap-{secrets.token_hex(4)}"
    os.rename(a, middle)
    os.rename(b, a)
    os.rename(middle, b)


# -- The trees -------------------------------------------------------------------------------------


def fault(step: str) -> None:
    """Die here, as a crash or `kill -9` would, when NEWSGEN_FAULT names this step.

    For the tests that prove a build killed at any step leaves a whole site behind.
    """
    if os.environ.get("NEWSGEN_FAULT") == step:
        os.kill(os.getpid(), 9)


def _matches(entry: Entry | None, st: os.stat_result) -> bool:
    return (
        entry is not None
        and entry.size == st.st_size
        and entry.mtime_ns == st.st_mtime_ns
        and entry.ino == st.st_ino
    )


def _is(path: str, entry: Entry) -> bool:
    """Whether the file at PATH is still the one ENTRY describes."""
    try:
        return _matches(entry, os.lstat(path))
    except OSError:
        return False


WRITTEN, LINKED = "written", "linked"


class Placed(NamedTuple):
    """A file in the standby tree as `Placer.put` left it: its stat, its bytes' SHA-256, and
    HOW: WRITTEN anew or LINKED from the live tree."""

    size: int
    mtime_ns: int
    ino: int
    sha: str
    how: str


@dataclass(frozen=True, slots=True)
class Placer:
    """Puts one made file into the standby tree, where a render worker can too.

    A file whose bytes hash to what the live tree holds at its path is not written: the live
    file is hard-linked, so its mtime and inode stay and deploy tools see no change. (Not
    the standby tree's, two builds old: a tool that uploads only what is newer than its copy
    would skip a page whose bytes went back to that older mtime.) A worker is forked with
    its Placer, so it knows the live tree's manifest without being sent it.
    """

    standby: str
    out: str
    current: Mapping[str, Entry]

    def put(self, rel: str, data: bytes, owner: str) -> Placed | PublishError:
        sha = hashlib.sha256(data).hexdigest()
        size = len(data)
        known = self.current.get(rel)
        if known is None:  # the cache does not know the live tree (a new newsgen, a lost cache)
            known = _holding(self.out + rel, data, sha)
        if (
            known is not None
            and known.sha == sha
            and known.size == size
            and _is(self.out + rel, known)
            and link_into(self.out + rel, self.standby, rel)
        ):
            return Placed(known.size, known.mtime_ns, known.ino, sha, LINKED)
        written = put_file(self.standby, rel, data, owner)
        if isinstance(written, PublishError):
            return written
        return Placed(*written, sha, WRITTEN)


def _holding(path: str, data: bytes, sha: str) -> Entry | None:
    """An entry for the file at PATH if it holds DATA, read to be sure (no record vouches
    for it): what a build after a newsgen upgrade, which drops the cache, keeps."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return None
        with open(path, "rb") as file:
            if file.read() != data:
                return None
    except OSError:
        return None
    return Entry("", st.st_size, st.st_mtime_ns, st.st_ino, sha)


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _digest(path: str, st: os.stat_result, known: Entry | None) -> str:
    """The SHA-256 of the file at PATH (whose stat is ST): its record's when the record
    still matches the file, else read ("" when it cannot be)."""
    if known is not None and _matches(known, st):
        return known.sha
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return ""


def link_into(source: str, root: str, rel: str) -> bool:
    """ROOT/REL becomes a hard link to SOURCE (replacing what is there); False if it cannot."""
    target = root + rel
    try:
        try:
            os.link(source, target)
        except FileNotFoundError:  # its folder is new
            _make_folder(root, rel.rpartition("/")[0])
            os.link(source, target)
        except FileExistsError:
            if os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target)  # a folder where a file now goes: it was a stale tree
                os.link(source, target)
            else:
                temporary = f"{target}.{secrets.token_hex(4)}.tmp"
                os.link(source, temporary)
                os.replace(temporary, target)
                # rename() does nothing when both names are links to one file: the
                # temporary name stays.
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
    except OSError:
        return False
    return True


class Publisher:
    """Brings the standby tree to the wanted state and exchanges it with the output.

    Call `offer` for every output file (in any order); when it returns False, give the
    bytes with `write` (or `copy`). Then `commit`, or `abort` to leave the output as it was.
    Paths are handled as strings: there are tens of thousands of them.
    """

    def __init__(self, out_dir: Path) -> None:
        # A symlinked output (build -> /var/www/site) is replaced where it points.
        self.out_dir = out_dir.resolve()
        parent, name = self.out_dir.parent, self.out_dir.name
        self.standby = parent / f".{name}.next"
        self._standby = os.fspath(self.standby) + os.sep
        self._out = os.fspath(self.out_dir) + os.sep
        self.wanted: dict[str, tuple[str, str]] = {}
        self._folders: dict[str, str] = {}
        """Every folder the claimed files need, with the first owner that needs it."""
        """Output path → (fingerprint, what makes it, for messages)."""
        self.entries: dict[str, Entry] = {}
        self.report = PublishReport()
        self._made_dirs: set[str] = {""}
        self._known_dirs: Mapping[str, int] = {}
        """The standby tree's folder mtimes, when they were found as recorded."""
        self._touched: set[str] = set()
        """Files of the standby tree written, linked or removed: their folders' mtimes moved."""

    def open(
        self,
        manifest_of: Callable[[str], Mapping[str, Entry]],
        dirs_of: Callable[[str], Mapping[str, int] | None] = lambda tree: None,
    ) -> None:
        """Clear what killed builds left, and learn what the standby tree really holds.

        When every folder of the standby tree still has the mtime DIRS_OF recorded, no file
        was added to or removed from it, and its files are checked one by one as they are
        offered; otherwise the whole tree is walked.
        """
        parent, name = self.out_dir.parent, self.out_dir.name
        try:
            parent.mkdir(parents=True, exist_ok=True)
            for pattern in (f".{name}.staging-*", f".{name}.old-*", f".{name}.swap-*"):
                for stale in parent.glob(pattern):
                    shutil.rmtree(stale, ignore_errors=True)
            if self.standby.is_symlink() or (self.standby.exists() and not self.standby.is_dir()):
                self.standby.unlink()
            self.standby.mkdir(exist_ok=True)
        except OSError as e:
            raise NewsgenError(
                f"cannot write the output directory {self.out_dir}: {e.strerror}"
            ) from None
        standby_id = tree_id(self.standby)
        current_id = tree_id(self.out_dir) if self.out_dir.is_dir() else None
        standby_manifest = dict(manifest_of(standby_id)) if standby_id else {}
        self.current: Mapping[str, Entry] = manifest_of(current_id) if current_id else {}
        self._current_dirs = dirs_of(current_id) if current_id else None
        """The live tree's folder mtimes when it was published (None: unknown)."""
        self.present: dict[str, Entry] = {}
        """Files of the standby tree that its manifest vouches for (checked when offered)."""
        self.unknown: list[str] = []
        """Files and folders of the standby tree nobody can vouch for: removed or replaced."""
        self._checked = False
        dirs = dirs_of(standby_id) if standby_id else None
        if standby_manifest and dirs and _dirs_match(self._standby, dirs):
            self.present = dict(standby_manifest)
            self._made_dirs.update(dirs)
            self._known_dirs = dirs
            return
        self._checked = True
        for rel, st in _walk_files(self.standby):
            entry = standby_manifest.get(rel)
            if st is not None and entry is not None and _matches(entry, st):
                self.present[rel] = entry
            else:
                self.unknown.append(rel)

    def _claim(self, rel: str, fp: str, owner: str) -> None:
        # No part empty, '.' or '..' (string tests, not a split: this runs for every file).
        if (
            not rel
            or rel[0] == "/"
            or rel[-1] == "/"
            or "//" in rel
            or rel in (".", "..")
            or rel.startswith(("./", "../"))
            or rel.endswith(("/.", "/.."))
            or "/./" in rel
            or "/../" in rel
        ):
            raise PublishError(PurePosixPath(owner), None, f"output path {rel} escapes the output")
        if rel in self.wanted:
            other = self.wanted[rel][1]
            raise PublishError(
                PurePosixPath(owner), None, f"writes /{rel}, which {other} also writes"
            )
        if rel in self._folders:
            raise file_and_folder(rel, owner, self._folders[rel])
        # A file where another one needs a folder, in either order, would delete one of them.
        folder = rel.rpartition("/")[0]
        while folder and folder not in self._folders:
            if folder in self.wanted:
                raise file_and_folder(folder, self.wanted[folder][1], owner)
            self._folders[folder] = owner
            folder = folder.rpartition("/")[0]
        self.wanted[rel] = (fp, owner)

    def offer(self, rel: PurePosixPath | str, fp: str, owner: str = "newsgen") -> bool:
        """Claim REL for content with fingerprint FP; True if the file is already in place.

        Every path is checked, and no path may be claimed twice.
        """
        key = rel if isinstance(rel, str) else rel.as_posix()
        self._claim(key, fp, owner)
        have = self.present.get(key)
        if have is not None and have.fp == fp and self._still(self._standby + key, have):
            self._keep(key, have, owner)
            return True
        known = self.current.get(key)
        if known is not None and known.fp == fp and self._still(self._out + key, known, True):
            target = self._target(key, owner)
            try:
                try:
                    os.link(self._out + key, target)
                except FileExistsError:
                    temporary = f"{target}.{secrets.token_hex(4)}.tmp"
                    os.link(self._out + key, temporary)
                    os.replace(temporary, target)
                    # rename() does nothing when both names are links to one file (a
                    # killed build can leave the standby so): the temporary name stays.
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(temporary)
            except OSError:
                return False
            self.entries[key] = known
            self.report.unchanged += 1
            self._touched.add(key)
            return True
        return False

    def _keep(self, rel: str, have: Entry, owner: str) -> None:
        """Keep the standby tree's file REL, which is right, and make it newer than the live
        file at REL when that one holds other bytes.

        Usually the two trees share the file (one inode). When they do not, the standby's is
        two builds old (inputs A, then B, then A again) and older than the live copy it
        replaces: `aws s3 sync` uploads a file of equal size only when it is newer, and
        rsync trusts times. It is not shared with the live tree, so touching it is safe; a
        live file with the same bytes is linked instead (its mtime stays).
        """
        try:
            live = os.lstat(self._out + rel)
        except OSError:
            live = None
        if live is None or live.st_ino == have.ino or not stat.S_ISREG(live.st_mode):
            self.entries[rel] = have
            self.report.unchanged += 1
            return
        same = live.st_size == have.size
        if (
            same
            and _digest(self._out + rel, live, self.current.get(rel)) == have.sha
            and link_into(self._out + rel, self._standby, rel)
        ):
            self.entries[rel] = Entry(
                have.fp, live.st_size, live.st_mtime_ns, live.st_ino, have.sha
            )
            self.report.unchanged += 1
            self._touched.add(rel)
            return
        path = self._standby + rel
        try:
            os.utime(path)
            st = os.lstat(path)
            if st.st_mtime_ns <= live.st_mtime_ns:  # a clock set back: the next whole second
                newer = (live.st_mtime_ns // 1_000_000_000 + 1) * 1_000_000_000
                os.utime(path, ns=(st.st_atime_ns, newer))
                st = os.lstat(path)
        except OSError as e:
            raise PublishError(
                PurePosixPath(owner), None, f"cannot write /{rel}: {e.strerror}"
            ) from None
        self.entries[rel] = Entry(have.fp, st.st_size, st.st_mtime_ns, st.st_ino, have.sha)
        self.report.written += 1

    def has(self, rel: str, fp: str) -> bool:
        """Whether REL with fingerprint FP could be kept or linked (nothing is claimed)."""
        have = self.present.get(rel)
        if have is not None and have.fp == fp and self._still(self._standby + rel, have):
            return True
        known = self.current.get(rel)
        return known is not None and known.fp == fp and self._still(self._out + rel, known, True)

    def clear(self, folder: str) -> None:
        """Empty FOLDER of the standby tree, for a tool that writes a whole folder anew.

        Its files may be hard links shared with the live tree: they are removed, never
        written into.
        """
        shutil.rmtree(self._standby + folder, ignore_errors=True)
        prefix = folder.rstrip("/") + "/"
        self._made_dirs -= {d for d in self._made_dirs if d == folder or d.startswith(prefix)}
        for rel in [r for r in self.present if r.startswith(prefix)]:
            del self.present[rel]
            self._touched.add(rel)

    def adopt(self, rel: str, fp: str, owner: str) -> None:
        """Claim a file another program wrote into the standby tree (the search index).

        Its bytes are hashed once, here (a part whose fingerprint is unchanged is offered,
        not adopted); a file with the live one's bytes is replaced by a link to it (the live
        file is read when the cache does not know it: a lost cache, a newsgen upgrade).
        """
        self._claim(rel, fp, owner)
        path = self._standby + rel
        try:
            st = os.lstat(path)
            with open(path, "rb") as file:
                sha = hashlib.sha256(file.read()).hexdigest()
        except OSError as e:
            raise PublishError(
                PurePosixPath(owner), None, f"cannot read /{rel}: {e.strerror}"
            ) from None
        live = _lstat(self._out + rel)
        if (
            live is not None
            and stat.S_ISREG(live.st_mode)
            and live.st_size == st.st_size
            and _digest(self._out + rel, live, self.current.get(rel)) == sha
            and link_into(self._out + rel, self._standby, rel)
        ):
            self.record(rel, fp, Placed(live.st_size, live.st_mtime_ns, live.st_ino, sha, LINKED))
        else:
            self.record(rel, fp, Placed(st.st_size, st.st_mtime_ns, st.st_ino, sha, WRITTEN))

    def _still(self, path: str, entry: Entry, always: bool = False) -> bool:
        """Whether the file at PATH is still what ENTRY says (the walk checked it already)."""
        if self._checked and not always:
            return True
        try:
            return _matches(entry, os.lstat(path))
        except OSError:
            return False

    def _target(self, rel: str, owner: str) -> str:
        """The standby path for REL, its folders made (links from the live tree go there)."""
        parent = rel.rpartition("/")[0]
        if parent not in self._made_dirs:
            try:
                _make_folder(self._standby, parent)
            except OSError as e:
                raise PublishError(
                    PurePosixPath(owner), None, f"cannot write /{rel}: {e.strerror}"
                ) from None
            step = parent
            while step and step not in self._made_dirs:
                self._made_dirs.add(step)
                step = step.rpartition("/")[0]
        target = self._standby + rel
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)  # a folder where a file now goes: it was a stale tree
        return target

    @property
    def root(self) -> str:
        """The standby tree, where files are written (and another program writes the search
        index)."""
        return self._standby

    @property
    def placer(self) -> Placer:
        """What puts a made file into the standby tree (workers are forked with it)."""
        return Placer(self._standby, self._out, self.current)

    def write(self, rel: PurePosixPath | str, fp: str, data: bytes, owner: str = "newsgen") -> None:
        """Put one output file in place: kept or linked when its bytes are there already,
        else written as a new file (never into a shared inode)."""
        key = rel if isinstance(rel, str) else rel.as_posix()
        if key not in self.wanted:
            self._claim(key, fp, owner)
        self.record(key, fp, self.placer.put(key, data, owner))

    def record(self, rel: str, fp: str, placed: Placed | PublishError) -> None:
        """Note a file `Placer.put` placed (perhaps in a worker) for a claimed path."""
        if isinstance(placed, PublishError):
            raise placed
        self.entries[rel] = Entry(fp, placed.size, placed.mtime_ns, placed.ino, placed.sha)
        if placed.how == WRITTEN:
            self.report.written += 1
        else:
            self.report.unchanged += 1
        self._touched.add(rel)
        fault("after-write")

    def copy(self, rel: PurePosixPath | str, fp: str, source: Path, owner: str) -> None:
        """Publish one source file (a static file, a bundle's image) at REL, if it changed."""
        if self.offer(rel, fp, owner):
            return
        try:
            data = source.read_bytes()
        except OSError as e:
            message = f"cannot be read: {e.strerror}"
            raise PublishError(PurePosixPath(owner), None, message) from None
        self.write(rel, fp, data, owner)

    def commit(self) -> PublishReport:
        """Write the manifest, remove what is stale from the standby tree, then exchange it
        with the output."""
        self._claim(MANIFEST_FILE, "", "newsgen")
        after = {rel: (entry.sha, entry.size) for rel, entry in self.entries.items()}
        data = render_manifest(after)
        placed = self.placer.put(MANIFEST_FILE, data, "newsgen")
        sha = "" if isinstance(placed, PublishError) else placed.sha
        self.record(MANIFEST_FILE, f"manifest {sha}", placed)
        after[MANIFEST_FILE] = (sha, len(data))
        self.report.changes = changes(self._before(), after)
        wanted = self.wanted
        stale = [rel for rel in self.present if rel not in wanted] + [
            rel for rel in self.unknown if rel not in wanted or rel not in self.entries
        ]
        touched: set[str] = set()
        for rel in stale:
            path = self._standby + rel
            with contextlib.suppress(FileNotFoundError):
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    os.unlink(path)
            touched.add(rel.rpartition("/")[0])
            self._touched.add(rel)
        _remove_empty_dirs(self._standby, touched)
        self.report.removed = sum(1 for rel in self.current if rel not in wanted)
        fault("before-exchange")
        if self.out_dir.is_dir():
            exchange(self.standby, self.out_dir)
        else:
            if self.out_dir.is_symlink() or self.out_dir.exists():
                self.out_dir.unlink()
            os.rename(self.standby, self.out_dir)
        fault("after-exchange")
        out_id, standby_id = tree_id(self.out_dir), tree_id(self.standby)
        if out_id:
            self.report.manifests[out_id] = dict(self.entries)
            self.report.out_tree = out_id
        if standby_id:
            # The manifest as it was read (not a copy): the cache knows it and need not
            # write it again.
            self.report.manifests[standby_id] = self.current
        # Folders whose contents changed (a file written, linked or removed anywhere below,
        # where folders may have come or gone too) are looked at; the rest kept their mtimes.
        moved = {""}
        for rel in self._touched:
            step = rel.rpartition("/")[0]
            while step and step not in moved:
                moved.add(step)
                step = step.rpartition("/")[0]
        folders = {""}
        for rel in wanted:
            step = rel.rpartition("/")[0]
            while step and step not in folders:
                folders.add(step)
                step = step.rpartition("/")[0]
        known = self._known_dirs
        for folder in folders:
            if folder in known and folder not in moved:
                self.report.dirs[folder] = known[folder]
                continue
            with contextlib.suppress(OSError):
                self.report.dirs[folder] = os.stat(self._out + folder).st_mtime_ns
        return self.report

    def abort(self) -> None:
        """Stop: the output stays as it was; the standby tree is checked again next time."""

    def _before(self) -> dict[str, tuple[str, int]]:
        """The files of the live tree and their digests, as they are: what the previous
        build left there unless someone changed it by hand since (then that was served,
        and perhaps deployed, and the build puts it back: a change).

        A file still as the cache recorded it has the recorded digest; any other is read.
        When every folder has its recorded mtime, no file was added or removed, and only
        the recorded files are looked at (a stat each, as a build with nothing to do does).
        """
        current, dirs = self.current, self._current_dirs
        if current and dirs and _dirs_match(self._out, dirs):
            found = ((rel, _lstat(self._out + rel)) for rel in current)
        else:
            found = ((rel, st) for rel, st in _walk_files(self.out_dir) if st is not None)
        files: dict[str, tuple[str, int]] = {}
        for rel, st in found:
            if st is not None and stat.S_ISREG(st.st_mode):
                files[rel] = (_digest(self._out + rel, st, current.get(rel)), st.st_size)
        return files


def _make_folder(root: str, folder: str) -> None:
    """ROOT/FOLDER as a folder, removing files that stand in its way (a page that became a
    folder of pages); never in the live tree, only in the standby one."""
    try:
        os.makedirs(root + folder, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            path = root + "/".join(parts[:depth])
            if os.path.islink(path) or os.path.isfile(path):
                os.unlink(path)
        os.makedirs(root + folder, exist_ok=True)


def file_and_folder(rel: str, file_owner: str, folder_owner: str) -> PublishError:
    """FILE_OWNER writes /REL, under which FOLDER_OWNER writes too: reported at the source a
    user can change (an article, not newsgen's own robots.txt or a listing page)."""
    if _is_source(folder_owner) or not _is_source(file_owner):
        message = f"needs a folder at /{rel}, where {file_owner} writes a file"
        return PublishError(PurePosixPath(folder_owner), None, message)
    message = f"writes a file at /{rel}, where {folder_owner} needs a folder"
    return PublishError(PurePosixPath(file_owner), None, message)


def _is_source(owner: str) -> bool:
    """Whether an owner is a file of the site (articles/…, static/…), not newsgen's own page."""
    return "/" in owner and " " not in owner


WHOLE_OUTPUT = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "the disk reported an input/output error",
}
"""Write failures that are about the output as a whole, not the page being written."""


def put_file(root: str, rel: str, data: bytes, owner: str) -> tuple[int, int, int] | PublishError:
    """Write ROOT/REL as a new file; its (size, mtime, inode), or the error in words.

    A module function so render workers can write what they render (on a slow disk the
    writes, not the templates, are what a full build waits for). A name that exists may
    be shared with the live tree (a hard link): it is replaced, never written into.
    """
    target = root + rel
    temporary = ""
    try:
        try:
            file = open(target, "xb")  # noqa: SIM115 (closed below, after its stat)
        except FileNotFoundError:  # its folder is new
            _make_folder(root, rel.rpartition("/")[0])
            file = open(target, "xb")  # noqa: SIM115
        except (FileExistsError, IsADirectoryError):
            if os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target)  # a folder where a file now goes: it was a stale tree
            temporary = f"{target}.{secrets.token_hex(4)}.tmp"
            file = open(temporary, "wb")  # noqa: SIM115
        with file:
            file.write(data)
            file.flush()
            st = os.fstat(file.fileno())
        if temporary:
            os.replace(temporary, target)
    except OSError as e:  # a name too long for the file system, a full disk, ...
        with contextlib.suppress(OSError):
            os.unlink(temporary or target)
        if e.errno in WHOLE_OUTPUT:
            return OutputError(PurePosixPath(rel), None, WHOLE_OUTPUT[e.errno])
        return PublishError(PurePosixPath(owner), None, f"cannot write /{rel}: {e.strerror}")
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _dirs_match(root: str, dirs: Mapping[str, int]) -> bool:
    try:
        return all(os.stat(root + rel).st_mtime_ns == mtime for rel, mtime in dirs.items())
    except OSError:
        return False


def clone_tree(source: Path, target: Path) -> None:
    """TARGET becomes a copy of SOURCE whose files are hard links (same inodes, no bytes copied).

    GNU cp does it several times faster than a Python loop; elsewhere, the loop.
    """
    cp = shutil.which("cp") if sys.platform.startswith("linux") else None
    if cp is not None:
        done = subprocess.run([cp, "-al", "--", os.fspath(source), os.fspath(target)], check=False)
        if done.returncode == 0:
            return
        shutil.rmtree(target, ignore_errors=True)
    for folder, _, filenames in os.walk(source):
        there = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(there, exist_ok=True)
        for name in filenames:
            os.link(os.path.join(folder, name), os.path.join(there, name))


def folder_mtimes(root: Path, folders: Iterable[str]) -> dict[str, int]:
    base = os.fspath(root) + os.sep
    found = {}
    for folder in folders:
        with contextlib.suppress(OSError):
            found[folder] = os.stat(base + folder).st_mtime_ns
    return found


def verify_tree(root: Path, manifest: Mapping[str, Entry], dirs: Mapping[str, int]) -> bool:
    """Whether a tree is exactly as its manifest says, without reading a file.

    Every file's stat must match, and every folder's mtime (which changes when anything is
    added to it or removed from it).
    """
    if not manifest:
        return False
    base = os.fspath(root) + os.sep
    try:
        for rel, entry in manifest.items():
            if not _matches(entry, os.lstat(base + rel)):
                return False
    except OSError:
        return False
    return _dirs_match(base, dirs)


def _walk_files(root: Path) -> Iterable[tuple[str, os.stat_result | None]]:
    """Every entry under ROOT that is not a folder, with its lstat (None for the odd ones)."""
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), rel + "/"))
                    continue
                yield (
                    rel,
                    entry.stat(follow_symlinks=False)
                    if entry.is_file(follow_symlinks=False)
                    else None,
                )
            except OSError:
                yield rel, None


def _remove_empty_dirs(root: str, folders: Iterable[str]) -> None:
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(root + folder)
            except OSError:
                break
            folder = folder.rpartition("/")[0]


def check_output_dir(out_dir: Path, site_root: Path, sources: Iterable[Path]) -> str | None:
    """A reason why out_dir must not be replaced wholesale, or None.

    The output is swapped out as a whole, so it must not hold the site or its sources.
    """
    out, root = out_dir.resolve(), site_root.resolve()
    if root.is_relative_to(out) or out == Path.home().resolve():
        return f"the output directory {out_dir} contains the site; choose another with -o"
    for source in sources:
        src = source.resolve()
        if out.is_relative_to(src) or src.is_relative_to(out):
            return f"the output directory {out_dir} overlaps {source}; choose another with -o"
    if out.exists() and not out.is_dir():
        return f"the output {out_dir} is a file, not a directory; choose another with -o"
    if out.is_dir() and any(out.iterdir()) and not all((out / n).is_file() for n in OWN_FILES):
        return (
            f"{out_dir} is not empty and is not a newsgen build (no {' or '.join(OWN_FILES)});"
            " newsgen replaces the output as a whole, so empty it or choose another -o"
        )
    return None
