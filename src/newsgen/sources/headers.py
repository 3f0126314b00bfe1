"""Pelican / MultiMarkdown header lines: `Key: value` lines up to the first blank line."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from newsgen.errors import ContentError
from newsgen.sources.common import FrontMatter, lowercase_keys

_HEADER = re.compile(r"^[ ]{0,3}([A-Za-z0-9][A-Za-z0-9 _-]*?)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_FIRST = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*:(?:[ \t]|$)")


def looks_like_headers(first_line: str) -> bool:
    """A first line `Key: value` whose key is one word, as Pelican and MultiMarkdown write it.

    One word only: a first sentence such as 'The council said: yes' is body text.
    """
    return bool(_FIRST.match(first_line))


def split(text: str, path: PurePosixPath) -> FrontMatter:
    lines = text.split("\n")
    meta: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    last: str | None = None
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            break
        match = _HEADER.match(line)
        if match and not line.startswith(("    ", "\t")):
            key = match.group(1)
            if key in key_lines:
                raise ContentError(
                    path, index + 1, f"duplicate header '{key}' (first on line {key_lines[key]})"
                )
            meta[key] = match.group(2) or ""
            key_lines[key] = index + 1
            last = key
        elif last is not None and line[:1] in (" ", "\t"):
            # MultiMarkdown: an indented line continues the previous value.
            meta[last] = f"{meta[last]} {line.strip()}".strip()
        else:
            raise ContentError(
                path,
                index + 1,
                "this line is neither a 'Key: value' header nor blank; Pelican-style headers"
                " end with one blank line before the body",
            )
    else:
        index = len(lines)
    meta, key_lines, warnings = lowercase_keys(meta, key_lines)
    body = "\n".join(lines[index + 1 :])
    return FrontMatter(meta, key_lines, body, index + 2, "headers", warnings)
