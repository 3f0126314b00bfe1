"""Which Pagefind a build runs, found without running or importing it: cheap enough for the
stamp of a build in which nothing changed."""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil

PACKAGES = ("pagefind", "pagefind_bin", "pagefind_bin_extended")
"""Where `python -m pagefind` finds a Pagefind to run: its own package, the plain binary's,
the extended binary's."""


@functools.cache
def pagefind_version() -> str:
    """What decides which Pagefind runs and what it writes: parts made by another are made
    again. `python -m pagefind` runs PAGEFIND_BINARY_PATH if set, else the extended or the
    plain binary package, else a `pagefind` on PATH; each one that could is named here: a
    package by its installed version (its `*.dist-info` folder's name) and the size of each
    of its files, not by times or inodes, so the same Pagefind installed afresh (a new CI
    machine, a rebuilt image) does not make the index again; a binary the user names or
    puts on PATH by where it leads, its size and its time.
    Found without importing importlib.metadata (a tenth of a second: this is part of a
    no-op build's stamp)."""
    found = []
    listed: dict[str, list[str]] = {}  # site-packages, read once
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        origin = spec.origin if spec is not None else None
        if not origin:
            found.append(f"{package} absent")
            continue
        folder = os.path.dirname(origin)
        try:
            files = sorted(
                f"{entry.name}:{entry.stat().st_size}"
                for entry in os.scandir(folder)
                if entry.is_file()
            )
            prefix = package + "-"
            parent = os.path.dirname(folder)
            if parent not in listed:
                listed[parent] = os.listdir(parent)
            versions = sorted(
                name
                for name in listed[parent]
                if name.startswith(prefix) and name.endswith(".dist-info")
            )
        except OSError:
            found.append(f"{package} unreadable")
            continue
        found.append(f"{package} {' '.join(versions)} {' '.join(files)}")
    for binary in (os.environ.get("PAGEFIND_BINARY_PATH"), shutil.which("pagefind")):
        if binary:
            # A binary of the user's own (npm's launcher script may keep its size from one
            # version to the next): where it leads, and its time too.
            try:
                real = os.path.realpath(binary)
                st = os.stat(real)
                found.append(f"{binary} {real} {st.st_size} {st.st_mtime_ns}")
            except OSError:
                found.append(f"{binary} absent")
    return "; ".join(found)


UNSPACED = {"zh": "Chinese", "ja": "Japanese"}
"""Languages written without spaces between words: only Pagefind's extended build splits
them into words (elsewhere a run of text between spaces or punctuation is one word)."""


def splits_unspaced() -> bool:
    """Whether the Pagefind that runs is one that splits Chinese and Japanese into words: the
    extended package, or a binary the user named (trusted to be what they chose)."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return True
    return importlib.util.find_spec("pagefind_bin_extended") is not None
