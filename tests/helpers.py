"""Helpers more than one test module uses (conftest holds the fixtures and the rest)."""

from __future__ import annotations

from conftest import diagnostics

SMALL_CONFIG = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
"""newsgen.yaml in three lines, search off: a key added after it is on line 4."""


def errors_of(result: object) -> list:
    assert result.code == 1, result.stderr  # type: ignore[attr-defined]
    errors, _ = diagnostics(result.stderr)  # type: ignore[attr-defined]
    return errors
