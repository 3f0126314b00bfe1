"""Where an image a page names comes from, and where its processed files are published.

Pure: the build hands in the site's files by output path, and gets back source files and
`Picture` values. Processed files are published under one folder of their own,
`_img/KEY/NAME`, KEY being the image's cache key (its bytes and the settings), so their
URLs do not depend on where the original is published, and an image used by many pages is
published once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsgen.models import Picture, PictureFile
from newsgen.urls import local_path

IMG_DIR = "_img"
"""The output folder of processed images (a site's own file may not be published there)."""


@dataclass(frozen=True, slots=True)
class Stored:
    """A processed image as the cache keeps it: its size and its files' names."""

    width: int
    height: int
    mime: str
    files: tuple[tuple[str, str, int, int, str, int], ...]
    """(role, name, width, height, mime, size) of each file made (images.Made without its
    bytes, their length in place)."""
    problem: str = ""
    """Why the image could not be processed ('is too large to process …'): then its only
    file is its original stripped of its metadata, shown as it is."""


def source_of(
    written: str, page_url: str, base_url: str, files: Mapping[str, tuple[Path, str]]
) -> tuple[str, tuple[Path, str] | None] | None:
    """Which source file an image URL WRITTEN on the page at PAGE_URL points to, read as
    the deployed site serves it (urls.local_path, as assembly and `check` read it).

    FILES maps every published file's output path to (its source, its owner as messages
    name it). Returns (the output path, the source or None when nothing is published
    there), or None when the image is not the site's (another host, outside the base path)."""
    rel = local_path(base_url, page_url, written) if written else None
    if rel is None:
        return None
    return rel, files.get(rel)


def picture(stored: Stored, key: str, src_url: str, feed_width: int) -> Picture:
    """The Picture of an image processed under KEY, whose original is published at SRC_URL
    (a path from the site's root, or an absolute URL)."""
    folder = f"{IMG_DIR}/{key}/"
    webp: list[PictureFile] = []
    fallback: list[PictureFile] = []
    thumb_webp: list[PictureFile] = []
    thumb: list[PictureFile] = []
    lists = {"webp": webp, "fallback": fallback, "thumb-webp": thumb_webp, "thumb": thumb}
    for role, name, width, height, mime, size in stored.files:
        if role in lists:
            lists[role].append(PictureFile(folder + name, width, height, mime, size))
    src = PictureFile(src_url, stored.width, stored.height, stored.mime)
    fitting = [f for f in fallback if f.width <= feed_width]
    large = fitting[-1] if fitting else (fallback[0] if fallback else src)
    return Picture(src, tuple(webp), tuple(fallback), tuple(thumb_webp), tuple(thumb), large)


def published(stored: Stored, key: str) -> Sequence[tuple[str, str]]:
    """Each processed file's output path and its name in the cache (the stripped original
    is published at the original's own place, not here)."""
    return [(f"{IMG_DIR}/{key}/{name}", name) for role, name, *_ in stored.files if role != "src"]
