"""A JSON object at the top of the file (Hugo)."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from newsgen.errors import ContentError
from newsgen.sources.common import PREVIEW, FrontMatter, lowercase_keys

_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:')


class _LongNumber(Exception):
    pass


def _int(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise _LongNumber(digits) from None


def split(text: str, path: PurePosixPath) -> FrontMatter:
    try:
        meta, end = json.JSONDecoder(parse_int=_int).raw_decode(text)
    except json.JSONDecodeError as e:
        raise ContentError(path, e.lineno, f"invalid JSON in front matter: {e.msg}") from None
    except _LongNumber as e:
        line = text[: text.find(e.args[0])].count("\n") + 1
        message = f"invalid JSON in front matter: a number with {len(e.args[0]):,} digits"
        raise ContentError(path, line, message) from None
    except RecursionError:
        raise ContentError(path, 1, "invalid JSON in front matter: nested too deeply") from None
    if not isinstance(meta, dict):
        raise ContentError(path, 1, "JSON front matter must be an object")
    head = text[:end].split("\n")
    depth_one: dict[str, int] = {}
    for offset, row in enumerate(head):
        key = _KEY.match(row)
        if key:
            depth_one.setdefault(key.group(1), offset + 1)
    meta, key_lines, warnings = lowercase_keys(meta, depth_one)
    rest = text[end:]
    # The body starts on the line after the closing brace.
    newline = rest.find("\n")
    after = (rest[:newline] if newline >= 0 else rest).strip()
    if after:  # Hugo would read it as body; dropping it silently would lose words
        message = f"text after the closing '}}' of the JSON front matter: {after[:PREVIEW]!r}"
        raise ContentError(path, len(head), message + "; start the body on the next line")
    body = rest[newline + 1 :] if newline >= 0 else ""
    body_line = len(head) + (1 if newline >= 0 else 0)
    return FrontMatter(meta, key_lines, body, body_line, "json", warnings)
