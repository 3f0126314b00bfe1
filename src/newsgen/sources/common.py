"""What every front-matter dialect returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from newsgen.errors import ContentError, shown_path

PREVIEW = 40
MAX_DEPTH = 32
"""Lists and tables nested deeper than this are not front matter but an accident or an attack."""
MAX_VALUES = 100_000
"""Values one key may expand to, YAML aliases counted at every use ('billion laughs')."""
MAX_CHARS = 10_000_000
"""Characters one key may expand to, likewise."""
MAX_INT_BITS = 13_000
"""About 4,000 decimal digits: Python will not turn a longer number into text (0x… hex is read)."""


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """One file's metadata, split from its body."""

    meta: dict[str, Any]
    """Top-level keys, lowercased; values as the dialect parsed them."""
    lines: dict[str, int]
    """File line of each key in `meta` (and of 'table.key' for keys of nested tables)."""
    body: str
    body_line: int
    """File line where the body starts."""
    dialect: str
    """'yaml', 'toml', 'json' or 'headers', for messages."""
    warnings: tuple[tuple[int, str], ...] = ()
    """(line, message) each: how the dialect read something it could have refused."""


class NoFrontMatter(ContentError):
    """The file opens with something that is not front matter in any dialect newsgen reads."""

    def __init__(self, path: PurePosixPath | str, first_line: str) -> None:
        seen = " ".join(first_line.split())
        shown = seen if len(seen) <= PREVIEW else seen[:PREVIEW] + "…"
        what = f"starts with {shown!r}" if shown else "starts with an empty line"
        super().__init__(
            path,
            1,
            f"no front matter: the file {what}; start it with a '---' line followed by"
            " 'title:' and 'date:' lines and a closing '---' (or TOML between '+++' lines,"
            " or Pelican 'Title:' header lines)",
        )
        self.args = (path, first_line)
        self.first_line = first_line


def repeated(key: str, first: int, line: int, first_key: str | None = None) -> tuple[int, str]:
    """The warning for KEY given again on LINE after FIRST: the later value is used, as
    Jekyll (Ruby's YAML) uses it. FIRST_KEY is the first spelling when it differs in case."""
    if first_key is None or first_key == key:
        what = f"'{shown_path(key)}' is given twice, on lines {first} and {line}"
    else:
        what = (
            f"'{shown_path(first_key)}' on line {first} and '{shown_path(key)}' on line {line}"
            " are the same key (keys ignore case)"
        )
    return line, f"{what}: the one on line {line} is used; delete the line you do not want"


def lowercase_keys(
    meta: dict[str, Any], lines: dict[str, int]
) -> tuple[dict[str, Any], dict[str, int], tuple[tuple[int, str], ...]]:
    """Keys are case-insensitive: `Title` and `title` are one key. Given both, the later
    line's value is used, with a warning (line, message) for each such key."""
    out: dict[str, Any] = {}
    out_lines: dict[str, int] = {}
    spelled: dict[str, str] = {}
    warnings: list[tuple[int, str]] = []
    for key, value in meta.items():
        low = key.lower()
        line = lines.get(key, 1)
        if low in out:
            first, later = sorted((out_lines[low], line))
            first_key, later_key = (spelled[low], key) if first != line else (key, spelled[low])
            warnings.append(repeated(later_key, first, later, first_key))
            if line < out_lines[low]:
                continue  # the value on the later line stays
        out[low] = value
        out_lines[low] = line
        spelled[low] = key
    for key, line in lines.items():  # 'table.key' entries of nested tables
        out_lines.setdefault(key.lower(), line)
    return out, out_lines, tuple(sorted(warnings))


class _Shape(Exception):
    pass


_TOO_MUCH = (
    f"makes the front matter too big (more than {MAX_VALUES:,} values or {MAX_CHARS:,}"
    " characters, YAML aliases counted at every use)"
)


def _measure(
    value: Any, depth: int, memo: dict[int, tuple[int, int, int]], path: set[int]
) -> tuple[int, int, int]:
    """(values, characters, height) of VALUE expanded; shared objects (aliases) measured once."""
    if isinstance(value, str):
        return 1, len(value), 0
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _Shape("is a number too long to show (more than 4,000 digits)")
    if not isinstance(value, dict | list | tuple | set | frozenset):
        return 1, 0, 0
    key = id(value)
    if key in path:
        raise _Shape("refers to itself (a recursive YAML alias)")
    if key not in memo:
        if depth >= MAX_DEPTH:
            raise _Shape(f"is nested more than {MAX_DEPTH} levels deep")
        path.add(key)
        values, chars, height = 1, 0, 0
        items = [x for pair in value.items() for x in pair] if isinstance(value, dict) else value
        for item in items:
            v, c, h = _measure(item, depth + 1, memo, path)
            values, chars, height = values + v, chars + c, max(height, h + 1)
            if values > MAX_VALUES or chars > MAX_CHARS:
                raise _Shape(_TOO_MUCH)
        path.discard(key)
        memo[key] = (values, chars, height)
    values, chars, height = memo[key]
    if depth + height > MAX_DEPTH:
        raise _Shape(f"is nested more than {MAX_DEPTH} levels deep")
    return values, chars, height


def check_shape(fm: FrontMatter, path: PurePosixPath) -> None:
    """A ContentError at the key whose value is self-referring, too deep or too big.

    Everything after the loader (the cache, templates, fingerprints) walks values in full,
    so a YAML alias bomb or a list that contains itself must stop here, at its line.
    """
    memo: dict[int, tuple[int, int, int]] = {}
    values = chars = 0
    for key, value in fm.meta.items():
        try:
            v, c, _ = _measure(value, 1, memo, set())
            values, chars = values + v, chars + c
            if values > MAX_VALUES or chars > MAX_CHARS:
                raise _Shape(_TOO_MUCH)
        except _Shape as e:
            raise ContentError(path, fm.lines.get(key, 1), f"'{shown_path(key)}' {e}") from None
