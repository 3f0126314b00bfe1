"""Full-text search with Pagefind: an index of the article pages in parts, made in the standby tree.

Pagefind (the `pagefind[bin]` package carries its binary, no network needed) reads built HTML
and writes a static bundle. The index is split into parts by date (site.search_shards), one
bundle each under /pagefind/PART/, so an edit re-indexes one part, not the archive; the search
page queries every part and merges the results. Only `data-pagefind-body` elements (article
bodies, with their title) are indexed; tags, authors and years become filters.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from newsgen.processes import dies_with_this_process

INDEX_DIR = "pagefind"
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's own interfaces, which the search page (static/search.js) does not load: about
400 kB a part, not published."""


SOURCES = ".sources"
"""Under INDEX_DIR while a build indexes: each part's pages, linked, for Pagefind to read."""


def run_pagefind(site: str, output: str, language: str) -> str | None:
    """Index the pages under SITE into OUTPUT; None on success, else what went wrong, in words."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        site,
        "--output-path",
        output,
        "--force-language",
        language.split("-")[0].lower() or "en",
        "--silent",
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
            preexec_fn=dies_with_this_process(),
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return lines[-1] if lines else f"pagefind exited with status {done.returncode}"
    return None


def _gather(root: str, part: str, pages: Sequence[str]) -> str:
    """A folder holding only PART's pages at their own paths (hard links: nothing is copied
    where the file system allows them), so Pagefind reads them and gives them their URLs."""
    folder = f"{root}{INDEX_DIR}/{SOURCES}/{part}/"
    folders = {""}  # each made once, parents first
    for rel in pages:
        step = rel.rpartition("/")[0]
        while step not in folders:
            folders.add(step)
            step = step.rpartition("/")[0]
    os.makedirs(folder, exist_ok=True)
    for made in sorted(folders - {""}, key=len):
        os.mkdir(folder + made)
    for rel in pages:
        try:
            os.link(root + rel, folder + rel)
        except OSError:
            shutil.copyfile(root + rel, folder + rel)
    return folder


def _prune(output: str) -> None:
    """Leave out of a part what the search page never loads: Pagefind's interfaces, and the
    search engines (wasm) of languages the part's index does not use."""
    unused = set(UNUSED)
    try:
        with open(f"{output}/pagefind-entry.json", encoding="utf-8") as f:
            languages = json.load(f)["languages"].values()
        used = {f"wasm.{entry.get('wasm') or 'unknown'}.pagefind" for entry in languages}
        unused |= {n for n in os.listdir(output) if n.startswith("wasm.") and n not in used}
    except (OSError, ValueError, KeyError, AttributeError):
        pass  # keep every engine: the page will find the one it needs
    for name in unused:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{output}/{name}")


def part_of(name: str) -> str:
    """The part a file under /pagefind/ belongs to, from its path there: '2024/x' is part
    '2024's, 'ja/2024/x' part 'ja/2024''s (a part of a language of its own: site.search_shards)."""
    first, _, rest = name.partition("/")
    if first[:1].isdigit() or "/" not in rest:
        return first
    return f"{first}/{rest.partition('/')[0]}"


def index_parts(
    root: str, parts: Sequence[tuple[str, str, Sequence[str]]], workers: int
) -> dict[str, str]:
    """Index each (part, language, pages) into ROOT/pagefind/PART/, WORKERS at once; what
    went wrong, by part (a part that failed may have left files: the caller clears them)."""
    sources = f"{root}{INDEX_DIR}/{SOURCES}"
    shutil.rmtree(sources, ignore_errors=True)

    def one(part: str, language: str, pages: Sequence[str]) -> str | None:
        try:
            folder = _gather(root, part, pages)
        except OSError as e:
            return f"cannot gather its pages: {e.strerror}"
        output = f"{root}{INDEX_DIR}/{part}"
        try:
            problem = run_pagefind(folder, output, language)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if problem is None:
            _prune(output)
        return problem

    try:
        with ThreadPoolExecutor(max(1, min(len(parts), workers))) as pool:
            done = list(pool.map(lambda job: one(*job), parts))
    finally:
        shutil.rmtree(sources, ignore_errors=True)
    return {part: problem for (part, _, _), problem in zip(parts, done, strict=True) if problem}
