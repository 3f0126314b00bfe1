"""A JSON object at the top of the file (Hugo)."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from newsgen.errors import ContentError
from newsgen.sources.common import FrontMatter, lowercase_keys

_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:')


def split(text: str, path: PurePosixPath) -> FrontMatter:
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as e:
        raise ContentError(path, e.lineno, f"invalid JSON in front matter: {e.msg}") from None
    if not isinstance(meta, dict):
        raise ContentError(path, 1, "JSON front matter must be an object")
    head = text[:end].split("\n")
    depth_one: dict[str, int] = {}
    for offset, line in enumerate(head):
        key = _KEY.match(line)
        if key:
            depth_one.setdefault(key.group(1), offset + 1)
    meta, key_lines = lowercase_keys(path, meta, depth_one)
    rest = text[end:]
    # The body starts on the line after the closing brace.
    newline = rest.find("\n")
    body = rest[newline + 1 :] if newline >= 0 else ""
    body_line = len(head) + (1 if newline >= 0 else 0)
    return FrontMatter(meta, key_lines, body, body_line, "json")
