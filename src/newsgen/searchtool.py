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
    plain binary package, else a `pagefind` on PATH; each one that could is named here, by
    its files' place and stat (a reinstall writes new files), found without importing
    importlib.metadata (a tenth of a second: this is part of a no-op build's stamp)."""
    found = []
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        origin = spec.origin if spec is not None else None
        try:
            st = os.stat(origin) if origin else None
        except OSError:
            st = None
        found.append(
            f"{package} {origin} {st.st_size} {st.st_mtime_ns} {st.st_ino}"
            if st
            else f"{package} absent"
        )
    for binary in (os.environ.get("PAGEFIND_BINARY_PATH"), shutil.which("pagefind")):
        if binary:
            try:
                st = os.stat(binary)
                found.append(f"{binary} {st.st_size} {st.st_mtime_ns}")
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
