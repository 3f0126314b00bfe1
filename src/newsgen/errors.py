"""Exceptions that carry a location and print as ``PATH[:LINE]: message``.

Every field goes to ``super().__init__`` so the exceptions pickle (they cross
process boundaries when rendering runs in a pool).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

LONGEST_SHOWN = 160
"""Paths longer than this are shortened in messages (their start and end are what tell)."""


def shown_path(path: PurePosixPath | str) -> str:
    """A path as a message shows it: bytes that are not UTF-8 as \\xNN, other unprintable
    characters escaped, and a very long path cut in the middle."""
    text = str(path)
    if not text.isprintable():
        raw = text.encode("utf-8", "surrogateescape")
        text = raw.decode("utf-8", "backslashreplace")
        text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    if len(text) > LONGEST_SHOWN:
        text = f"{text[:60]}…{text[-(LONGEST_SHOWN - 61) :]}"
    return text


class NewsgenError(Exception):
    """Base class: anything newsgen reports to the user without a traceback."""


class ContentError(NewsgenError):
    """A problem in one source file (article, config or template), at an optional line."""

    severity = "error"
    """'error' fails the build; 'warning' (ContentWarning) is reported and fails only --strict."""

    def __init__(self, path: PurePosixPath | str, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = PurePosixPath(path)
        self.line = line
        self.message = message

    @property
    def location(self) -> str:
        shown = shown_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path), self.line or 0, self.message)


class ContentWarning(ContentError):
    """Something a reader might miss (a file not used, a character dropped); never fails a build.

    Same shape as an error so builds, `serve` and `check` collect and print both one way.
    """

    severity = "warning"

    def __str__(self) -> str:
        return f"{self.location}: warning: {self.message}"


class ConfigError(ContentError):
    """A problem in newsgen.yaml."""


class TemplateError(ContentError):
    """A Jinja syntax or runtime error, located in the template file."""

    def __init__(
        self, path: PurePosixPath | str, line: int | None, message: str, page: str | None = None
    ) -> None:
        super().__init__(path, line, message)
        self.args = (path, line, message, page)  # all four, so it pickles whole
        self.page = page
        """The output page being rendered, when the error happened while rendering one."""

    def __str__(self) -> str:
        where = f" (rendering {self.page})" if self.page else ""
        return super().__str__() + where


class PublishError(ContentError):
    """An output path that escapes build/ or is produced twice."""


class OutputError(PublishError):
    """The output cannot be written at all (a full disk, a read-only file system): not the
    fault of the page being written, so it is reported once, at the output folder."""


class UsageError(NewsgenError):
    """The command line asked for something impossible (exit code 2)."""


class BuildFailed(NewsgenError):
    """One or more content errors: the build stops and build/ stays as it was.

    `errors` may hold warnings too (under --strict, or reported beside the errors).
    """

    def __init__(self, errors: Sequence[ContentError]) -> None:
        ordered = tuple(sorted(errors, key=ContentError.sort_key))
        super().__init__(ordered)
        self.errors = ordered

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
