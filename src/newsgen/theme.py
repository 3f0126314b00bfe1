"""Where the built-in theme lives, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def builtin_theme_dir() -> Path:
    """The folder holding the theme's templates/ and static/.

    A wheel carries them as newsgen/theme/; an editable install from a checkout
    finds them at the repository root, which is itself the demo site.
    """
    packaged = Path(__file__).resolve().parent / "theme"
    if (packaged / "templates").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "templates").is_dir():
        return checkout
    raise RuntimeError("newsgen's built-in theme is missing from this installation")
