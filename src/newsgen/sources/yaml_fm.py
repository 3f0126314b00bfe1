"""YAML between '---' lines (Jekyll, Hugo, Zola's YAML mode, newsgen's own)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from newsgen.errors import ContentError
from newsgen.sources.common import FrontMatter, lowercase_keys, repeated
from newsgen.yamlio import parse_mapping

_CLOSERS = ("---", "...")  # '...' ends a YAML document too (Pandoc writes it)


_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(.*?))?[ \t]*$")


def _as_headers(lines: list[str], first: int) -> tuple[dict[str, Any], dict[str, int]] | None:
    """Lines between '---' read as Pelican's metadata reader reads them (each `Key: value`,
    split at the first colon), when every line is one and a value holds a colon: a title
    such as `DataFusion: A Query Engine` is not YAML, and Pelican published it."""
    meta: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    for number, line in enumerate(lines, first):
        if not line.strip():
            continue
        match = _HEADER.match(line)
        if match is None or match.group(1) in meta:
            return None
        meta[match.group(1)] = match.group(2) or ""
        key_lines[match.group(1)] = number
    # Only what broke YAML the way Pelican's titles do: a value holding ': '.
    if not any(": " in str(value) or str(value).endswith(":") for value in meta.values()):
        return None
    return meta, key_lines


def split(text: str, path: PurePosixPath, skipped: int = 0) -> FrontMatter:
    """TEXT starts with the '---' line, which is file line SKIPPED + 1."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            repeats: list[tuple[str, int, int]] = []
            try:
                meta, key_lines = parse_mapping(
                    yaml_text, path, 2 + skipped, "front matter", repeats
                )
            except ContentError as e:
                read = _as_headers(lines[1:index], 2 + skipped)
                if read is None:
                    raise
                meta, key_lines, warnings = lowercase_keys(*read)
                problem = e.message.split(": ", 1)[-1]
                message = (
                    f"the front matter is not YAML ({problem}); it was read as 'Key: value'"
                    " lines, as Pelican reads them (put quotes around a value holding ': ' to"
                    " make it YAML)"
                )
                warnings = ((e.line or 1, message), *warnings)
                return FrontMatter(meta, key_lines, body, index + 2 + skipped, "headers", warnings)
            meta, key_lines, warnings = lowercase_keys(meta, key_lines)
            warnings = tuple(sorted([*(repeated(*r) for r in repeats), *warnings]))
            return FrontMatter(meta, key_lines, body, index + 2 + skipped, "yaml", warnings)
    opened = skipped + 1
    raise ContentError(
        path, opened, f"front matter opened on line {opened} is never closed with '---'"
    )
