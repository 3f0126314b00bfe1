"""TOML between '+++' lines (Hugo, Zola)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from newsgen.errors import ContentError
from newsgen.sources.common import FrontMatter, lowercase_keys

_AT = re.compile(r"\(at line (\d+), column \d+\)")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*$")
_ARRAY = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]\s*$")
_LONG_NUMBER = re.compile(r"[0-9_]{4000,}")


def _keys(lines: list[str], first_line: int) -> Iterator[tuple[str, int, bool]]:
    """Each [table] header and key as written, in order: (its name, 'table.key' inside a
    table, 'array.N.key' inside the Nth [[array]] entry; its file line; whether it is a
    table header). tomllib gives values without
    positions; a line scan is enough to point at a key."""
    table = ""
    entries: dict[str, int] = {}
    for offset, line in enumerate(lines):
        entry = _ARRAY.match(line)
        if entry:  # [[corrections]]: each entry is 'corrections.0', 'corrections.1', …
            name = entry.group(1)
            entries[name] = entries.get(name, -1) + 1
            table = f"{name}.{entries[name]}"
            yield table, offset + first_line, True
            continue
        header = _TABLE.match(line)
        if header:
            table = header.group(1)
            yield table, offset + first_line, True
            continue
        key = _KEY.match(line)
        if key:
            name = next(g for g in key.groups() if g is not None)
            yield (f"{table}.{name}" if table else name), offset + first_line, False


def _key_lines(lines: list[str], first_line: int) -> dict[str, int]:
    """File line of each top-level key, and of 'table.key' inside [table] sections."""
    found: dict[str, int] = {}
    for name, line, _ in _keys(lines, first_line):
        found.setdefault(name, line)
    return found


def _given_twice(lines: list[str], first_line: int) -> tuple[str, int, int] | None:
    """The first key given a second time in its table: (key, first line, second line)."""
    seen: dict[str, int] = {}
    for name, line, is_table in _keys(lines, first_line):
        if is_table:
            continue
        if name in seen:
            return name, seen[name], line
        seen[name] = line
    return None


def split(text: str, path: PurePosixPath, skipped: int = 0) -> FrontMatter:
    """TEXT starts with the '+++' line, which is file line SKIPPED + 1."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "+++":
            toml_lines = lines[1:index]
            try:
                meta: dict[str, Any] = tomllib.loads("\n".join(toml_lines))
            except tomllib.TOMLDecodeError as e:
                twice = _given_twice(toml_lines, 2 + skipped)
                if str(e).startswith("Cannot overwrite") and twice is not None:
                    key, first, line = twice
                    message = (
                        f"'{key}' is given twice, on lines {first} and {line}; TOML allows a key"
                        " once (Hugo and Zola stop there too): delete the line you do not want"
                    )
                    raise ContentError(path, line, message) from None
                message = str(e)
                at = _AT.search(message)
                line = (int(at.group(1)) + 1 if at else index + 1) + skipped
                problem = _AT.sub("", message).strip()
                raise ContentError(path, line, f"invalid TOML in front matter: {problem}") from None
            except ValueError:  # an integer with more digits than Python converts
                found = _LONG_NUMBER.search("\n".join(toml_lines))
                line = (
                    2
                    + skipped
                    + ("\n".join(toml_lines)[: found.start()].count("\n") if found else 0)
                )
                problem = "a number with too many digits"
                raise ContentError(path, line, f"invalid TOML in front matter: {problem}") from None
            except RecursionError:
                problem = "nested too deeply"
                raise ContentError(
                    path, 2 + skipped, f"invalid TOML in front matter: {problem}"
                ) from None
            meta, key_lines, warnings = lowercase_keys(meta, _key_lines(toml_lines, 2 + skipped))
            body = "\n".join(lines[index + 1 :])
            return FrontMatter(meta, key_lines, body, index + 2 + skipped, "toml", warnings)
    opened = skipped + 1
    raise ContentError(
        path, opened, f"front matter opened with '+++' on line {opened} is never closed with '+++'"
    )
