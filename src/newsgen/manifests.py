"""The output's manifest (`.newsgen-manifest.json`) and what changed between two of them.

A deploy wants to upload what changed and purge it from a CDN, nothing more. Each build
writes every output file's SHA-256 and size into the manifest at the top of the output, and
`build --changes` lists the paths whose entry differs from the previous build's. Pure
functions of values: the publisher reads and writes the files.

Paths are written from the output's top with a leading slash (`/2025/09/03/slug/index.html`):
read under `base_url` it is the file's URL (what a CDN purges), and rsync's `--files-from`
reads it as a path inside the folder it copies (it strips the leading slash).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

MANIFEST_FILE = ".newsgen-manifest.json"
"""Where the manifest is, relative to the output's top."""
FORMAT = 1

Files = Mapping[str, tuple[str, int]]
"""Output path (relative to the top, no leading slash) → (SHA-256 in hex, size in bytes)."""

ADDED, CHANGED, REMOVED = "+", "~", "-"


def render_manifest(files: Files) -> bytes:
    """Every file but the manifest itself, sorted, one a line: the same files give the same
    bytes (a manifest that did not change is not written again, as no unchanged file is)."""
    lines = [
        f'{json.dumps("/" + rel, ensure_ascii=False)}: {{"sha256": "{sha}", "size": {size}}}'
        for rel, (sha, size) in sorted(files.items())
        if rel != MANIFEST_FILE
    ]
    text = f'{{"format": {FORMAT}, "files": {{\n' + ",\n".join(lines) + "\n}}\n"
    return text.encode("utf-8", "surrogateescape")


def parse_manifest(data: bytes) -> dict[str, tuple[str, int]] | None:
    """The files a manifest lists, the manifest itself too (as `render_manifest` takes
    them, with it), or None when DATA is not a manifest newsgen can read."""
    try:
        found = json.loads(data.decode("utf-8", "surrogateescape"))
        if found.get("format") != FORMAT:
            return None
        files = {
            path[1:]: (str(entry["sha256"]), int(entry["size"]))
            for path, entry in found["files"].items()
            if path.startswith("/")
        }
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    files[MANIFEST_FILE] = (hashlib.sha256(data).hexdigest(), len(data))
    return files


def changes(before: Files, after: Files) -> list[tuple[str, str]]:
    """(mark, path) of each file added (+), changed (~) or removed (-), sorted by path."""
    found = [
        (CHANGED if rel in before else ADDED, rel)
        for rel, entry in after.items()
        if before.get(rel) != entry
    ]
    found += [(REMOVED, rel) for rel in before if rel not in after]
    return sorted(found, key=lambda change: change[1])


def change_lines(found: list[tuple[str, str]]) -> str:
    """The changes as `--changes` prints them: `+ /path`, one a line."""
    return "".join(f"{mark} /{rel}\n" for mark, rel in found)
