"""Walking source folders: one rule for which files count, shared by articles, pages and static.

The walk reports what it cannot use (an unreadable folder, a broken or looping symlink, a
FIFO, a link out of the site) instead of dropping it, so callers can say a word about each.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ARTICLES_DIR = "articles"
PAGES_DIR = "pages"
TEMPLATES_DIR = "templates"
STATIC_DIR = "static"
DATA_DIR = "data"
I18N_DIR = "i18n"
SOURCE_DIRS = (ARTICLES_DIR, PAGES_DIR, TEMPLATES_DIR, STATIC_DIR, DATA_DIR, I18N_DIR)
"""A site's folders, the one place they are named: what a build reads, serve watches and the
output may not overlap."""

EDITOR_SUFFIXES = (
    *("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".kate-swp", ".crswap"),
    *("___jb_tmp___", "___jb_old___"),  # JetBrains' safe write
)


def is_ignored(name: str) -> bool:
    """Hidden files, editor backups, swap and lock files never count as sources."""
    # 4913 is the file vim creates to probe whether it may write into a folder.
    return name.startswith((".", "#")) or name.endswith(EDITOR_SUFFIXES) or name == "4913"


@dataclass(frozen=True, slots=True)
class Unusable:
    """A path the walk could not use, and why."""

    path: Path
    reason: str
    kind: str
    """'unreadable', 'broken' (dangling symlink), 'loop', 'special' (FIFO, socket, device),
    'badname' (not UTF-8) or 'outside' (a symlink out of the allowed tree: never followed,
    always an error)."""


def walk(root: Path, allowed: Path | None = None) -> Iterator[Path | Unusable]:
    """Every regular file under ROOT in sorted order (files and folders by name), ignored names
    skipped, and an Unusable for everything else found.

    Symlinks are followed when they stay inside ALLOWED (default ROOT), each real folder once.
    """
    allowed_real = os.path.realpath(allowed if allowed is not None else root)
    root_real = os.path.realpath(root)
    if not Path(root_real).is_relative_to(allowed_real):
        # `articles` itself a symlink out of the site: nothing in it may be published.
        yield Unusable(Path(root), "symlink leads outside the site; it is not followed", "outside")
        return
    seen = {root_real}
    yield from _walk(Path(root), allowed_real, seen)


def _walk(folder: Path, allowed_real: str, seen: set[str]) -> Iterator[Path | Unusable]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield Unusable(folder, f"folder cannot be read ({e.strerror})", "unreadable")
        return
    for entry in entries:
        if is_ignored(entry.name):
            continue
        path = Path(entry.path)
        if not _utf8(entry.name):
            # Its slug, URL and every message need text; the bytes do not say which text.
            reason = "name is not valid UTF-8; rename it"
            yield Unusable(path, reason, "badname")
            continue
        real: str | None = None
        if entry.is_symlink():
            try:
                real = os.path.realpath(path, strict=True)
            except FileNotFoundError:
                yield Unusable(path, "symlink is broken: its target does not exist", "broken")
                continue
            except (OSError, RuntimeError):
                yield Unusable(path, "symlink loops back on itself", "loop")
                continue
            if not Path(real).is_relative_to(allowed_real):
                yield Unusable(
                    path, "symlink leads outside the site; it is not followed", "outside"
                )
                continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as e:
            yield Unusable(path, f"cannot be read ({e.strerror})", "unreadable")
            continue
        if is_dir:
            real = real or os.path.realpath(path)
            if real in seen:
                if entry.is_symlink():
                    yield Unusable(path, "symlink loops back to a folder already included", "loop")
                continue
            seen.add(real)
            yield from _walk(path, allowed_real, seen)
        elif is_file:
            yield path
        else:
            yield Unusable(path, "is not a regular file (a pipe, socket or device)", "special")


def _utf8(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def stat_tree(root: Path, digest: Any, stats: dict[str, os.stat_result] | None = None) -> int:
    """Feed every entry under ROOT (name, size, mtime, inode, ctime) into DIGEST; return the
    newest mtime or ctime. STATS, when given, gets each entry's stat by its path (spelled
    as `walk` spells it), so that what follows need not ask again.

    The cheapest look at a whole source tree (no file is opened): equal digests mean no file
    was added, removed, renamed or written since. Folders count by name, files by their
    stat; symlinks are followed, each real folder once, as `walk` does.
    """
    newest = 0
    seen: set[str] = set()
    stack = [(os.fspath(root), "")]
    while stack:
        folder, prefix = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            digest.update(f"!{prefix}:{e.errno}\n".encode())
            continue
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                digest.update(f"?{prefix}{entry.name}\n".encode(errors="surrogateescape"))
                continue
            line = (
                f"{prefix}{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}"
                f"\0{st.st_ctime_ns}\n"
            )
            digest.update(line.encode(errors="surrogateescape"))
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
            if stats is not None:
                stats[entry.path] = st
            if entry.is_dir():
                stack.append((entry.path, f"{prefix}{entry.name}/"))
    return newest
