"""Checks and reading shared by the importers: the export file and the site it goes into."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from newsgen.config import CONFIG_NAME, load_config
from newsgen.errors import NewsgenError, UsageError
from newsgen.fsutil import ARTICLES_DIR
from newsgen.models import SiteConfig


def read_export(file: Path, site_root: Path) -> tuple[bytes, SiteConfig]:
    """The export's bytes and the site's config, or a UsageError saying which one is missing."""
    file, site_root = Path(file), Path(site_root)
    if not file.exists():
        raise UsageError(f"{file} does not exist")
    if not file.is_file():
        raise UsageError(f"{file} is not a file")
    if not site_root.is_dir():
        raise UsageError(f"site directory {site_root} does not exist")
    # The default SITE is '.', so a run in the wrong folder must not scatter articles/ there.
    if not (site_root / CONFIG_NAME).is_file() and not (site_root / ARTICLES_DIR).is_dir():
        raise UsageError(
            f"{site_root} is not a newsgen site (it has neither {CONFIG_NAME} nor {ARTICLES_DIR}/);"
            " create one with: newsgen init DIR"
        )
    config = load_config(site_root)
    try:
        data = file.read_bytes()
    except OSError as e:
        raise NewsgenError(f"{file} cannot be read: {e.strerror}") from None
    return data, config


_MARKUP_NOISE = rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>|<![A-Z][^>]*>"


def tag_lines(data: bytes, names: tuple[bytes, ...] | None) -> Iterator[tuple[bytes, int]]:
    """Every start tag named in NAMES (any tag for None), in document order, with its line.

    ElementTree keeps no line numbers, so this scan supplies them for messages. CDATA
    sections and comments are skipped: a post about RSS may well contain '<item>'.
    """
    if names is None:
        alternatives = rb"[A-Za-z_][\w:.-]*"
    else:
        alternatives = b"|".join(re.escape(n) for n in names)
    pattern = re.compile(_MARKUP_NOISE + rb"|<(" + alternatives + rb")[\s/>]", re.S)
    line, last = 1, 0
    for match in pattern.finditer(data):
        if match.group(1):
            line += data.count(b"\n", last, match.start())
            last = match.start()
            yield match.group(1), line
