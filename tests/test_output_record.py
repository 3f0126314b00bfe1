"""The output of a fixture site with every page kind, byte for byte, against a record kept in
the repository: a change meant to move code (a refactor) must not change one byte of it.

When a change is meant to alter the output, record it again and let the diff of
tests/fixtures/fixture-site.sha256 show which files moved:

    NEWSGEN_RECORD_OUTPUT=1 .venv/bin/python -m pytest tests/test_output_record.py
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import SiteDir
from test_validity import fixture_site  # noqa: F401  (the module's fixture, built once)

pytestmark = pytest.mark.fast

RECORD = Path(__file__).parent / "fixtures" / "fixture-site.sha256"


def listing(out: Path) -> str:
    """One 'sha256  path' line per file, as sha256sum writes them (the search index left out:
    Pagefind's bytes differ from run to run, the one stated exception; so are its lines of
    the manifest)."""
    lines = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and not rel.startswith("pagefind/"):
            data = path.read_bytes()
            if rel == ".newsgen-manifest.json":
                kept = [line for line in data.splitlines() if not line.startswith(b'"/pagefind/')]
                data = b"\n".join(kept)
            lines.append(f"{hashlib.sha256(data).hexdigest()}  {rel}")
    return "\n".join(lines) + "\n"


def test_the_fixture_site_is_byte_identical_to_its_record(fixture_site: SiteDir) -> None:  # noqa: F811
    found = listing(fixture_site.out)
    if os.environ.get("NEWSGEN_RECORD_OUTPUT") == "1":
        RECORD.write_text(found, encoding="utf-8")
    assert found == RECORD.read_text(encoding="utf-8")
