"""YAML between '---' lines (Jekyll, Hugo, Zola's YAML mode, newsgen's own)."""

from __future__ import annotations

from pathlib import PurePosixPath

from newsgen.errors import ContentError
from newsgen.sources.common import FrontMatter, lowercase_keys
from newsgen.yamlio import parse_mapping

_CLOSERS = ("---", "...")  # '...' ends a YAML document too (Pandoc writes it)


def split(text: str, path: PurePosixPath, skipped: int = 0) -> FrontMatter:
    """TEXT starts with the '---' line, which is file line SKIPPED + 1."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            yaml_text = "\n".join(lines[1:index])
            meta, key_lines = parse_mapping(yaml_text, path, 2 + skipped, "front matter")
            meta, key_lines = lowercase_keys(path, meta, key_lines)
            body = "\n".join(lines[index + 1 :])
            return FrontMatter(meta, key_lines, body, index + 2 + skipped, "yaml")
    opened = skipped + 1
    raise ContentError(
        path, opened, f"front matter opened on line {opened} is never closed with '---'"
    )
