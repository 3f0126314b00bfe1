"""Walking source folders: one rule for which files count, shared by articles and static."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

EDITOR_SUFFIXES = (
    *("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".kate-swp", ".crswap"),
    *("___jb_tmp___", "___jb_old___"),  # JetBrains' safe write
)


def is_ignored(name: str) -> bool:
    """Hidden files, editor backups, swap and lock files never count as sources."""
    # 4913 is the file vim creates to probe whether it may write into a folder.
    return name.startswith((".", "#")) or name.endswith(EDITOR_SUFFIXES) or name == "4913"


def iter_files(root: Path) -> Iterator[Path]:
    """Every file under ROOT in sorted order, skipping ignored names.

    Symlinked folders are followed (shared assets are often linked in), each real
    folder once, so a link back up the tree cannot loop.
    """
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
        for name in sorted(filenames):
            if not is_ignored(name):
                yield Path(dirpath) / name
