"""Full-text search with Pagefind: its index of the article pages, made in the standby tree.

Pagefind (the `pagefind[bin]` package carries its binary, no network needed) reads the built
HTML and writes a static bundle the search page loads. Only `data-pagefind-body` elements
(article bodies, with their title) are indexed; tags, authors and years become filters.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from newsgen.processes import dies_with_this_process

INDEX_DIR = "pagefind"


def run_pagefind(site: Path, language: str) -> str | None:
    """Index SITE into SITE/pagefind; None on success, else what went wrong, in words."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        INDEX_DIR,
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
