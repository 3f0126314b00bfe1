"""Front matter as other generators write it: each dialect is one module, `text → FrontMatter`.

The dispatcher looks at a file's first line only, so a file is read by exactly one dialect and
its errors speak that dialect's language. Keys come back lowercased: Pelican writes `Title:`,
Hugo `publishDate`, and both mean the same field as `title` and `publishdate`.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from newsgen.errors import ContentError
from newsgen.sources import headers, json_fm, toml_fm, yaml_fm
from newsgen.sources.common import FrontMatter, NoFrontMatter, check_shape

__all__ = ["FrontMatter", "NoFrontMatter", "split_front_matter"]

_ORG = re.compile(r"^#\+[A-Za-z_]+:")


def split_front_matter(text: str, path: PurePosixPath) -> FrontMatter:
    """Split a file into front matter and body; raise NoFrontMatter or ContentError.

    `text` has '\\n' line endings. NoFrontMatter says what the file starts with instead,
    so the caller can either report it or (for .html) treat the file as not an article.
    Values that refer to themselves, nest too deep or expand too far are errors at their key.
    """
    fm = _split(text, path)
    check_shape(fm, path)
    return fm


def _split(text: str, path: PurePosixPath) -> FrontMatter:
    first = text.split("\n", 1)[0]
    stripped = first.rstrip()
    if not stripped and text.lstrip().startswith(("---", "+++")):
        # Blank lines before the fence (Hugo accepts them): read on from the fence.
        rest = text.lstrip("\n\t ")
        skipped = text[: len(text) - len(rest)].count("\n")
        first, stripped = rest.split("\n", 1)[0], rest.split("\n", 1)[0].rstrip()
        if stripped in ("---", "+++"):
            split = yaml_fm.split if stripped == "---" else toml_fm.split
            return split(rest, path, skipped)
    if stripped == "---":
        return yaml_fm.split(text, path)
    if stripped == "+++":
        return toml_fm.split(text, path)
    if first.startswith("{"):
        return json_fm.split(text, path)
    if _ORG.match(first):
        raise ContentError(
            path,
            1,
            "starts with Org-mode keywords (#+TITLE:), which newsgen cannot read; convert the"
            " file to Markdown with a '---' YAML front matter (e.g. pandoc -t markdown)",
        )
    if headers.looks_like_headers(first):
        return headers.split(text, path)
    raise NoFrontMatter(path, first)
