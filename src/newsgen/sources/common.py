"""What every front-matter dialect returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from newsgen.errors import ContentError

PREVIEW = 40


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


def lowercase_keys(
    path: PurePosixPath, meta: dict[str, Any], lines: dict[str, int]
) -> tuple[dict[str, Any], dict[str, int]]:
    """Keys are case-insensitive: `Title` and `title` are one key, and both at once is an error."""
    out: dict[str, Any] = {}
    out_lines: dict[str, int] = {}
    for key, value in meta.items():
        low = key.lower()
        line = lines.get(key, 1)
        if low in out:
            raise ContentError(
                path,
                line,
                f"duplicate key '{key}' (keys ignore case; first on line {out_lines[low]})",
            )
        out[low] = value
        out_lines[low] = line
    for key, line in lines.items():  # 'table.key' entries of nested tables
        out_lines.setdefault(key.lower(), line)
    return out, out_lines
