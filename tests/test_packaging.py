"""The wheel carries the built-in theme, and an installed newsgen builds a site with it.

Slow-ish (pip builds the wheel in an isolated environment, fetching hatchling), never skipped:
a wheel without its theme is a release that cannot build any site.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, MakeSite, article


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels = list(out.glob("newsgen-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def unpacked(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def run_installed(unpacked: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Python with the unpacked wheel first on sys.path, ahead of the editable install."""
    env = {**os.environ, "PYTHONPATH": str(unpacked), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_wheel_contains_the_theme(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"newsgen/theme/templates/base.html", "newsgen/theme/static/style.css"} <= names
    theme = {f"newsgen/theme/templates/{p.name}" for p in (REPO / "templates").iterdir()}
    assert theme <= names
    assert "newsgen/__main__.py" in names
    assert "newsgen/starter/welcome.png" in names  # `init` gives the welcome story its picture


def test_unpacked_wheel_is_the_newsgen_that_runs(unpacked: Path, tmp_path: Path) -> None:
    code = (
        "import newsgen, newsgen.theme; print(newsgen.__file__); "
        "print(newsgen.theme.builtin_theme_dir())"
    )
    proc = run_installed(unpacked, "-c", code, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    module, theme = (Path(line) for line in proc.stdout.splitlines())
    assert module.resolve().is_relative_to(unpacked.resolve())
    assert theme.resolve() == (unpacked / "newsgen" / "theme").resolve()


def test_installed_newsgen_builds_a_bare_site_with_its_theme(
    unpacked: Path, make_site: MakeSite
) -> None:
    site = make_site({"articles/2024-05-01-hello.md": article("Hello from the wheel")})
    assert not (site.root / "templates").exists() and not (site.root / "static").exists()
    proc = run_installed(unpacked, "-m", "newsgen", "build", str(site.root), cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Built 1 article")
    css = (unpacked / "newsgen/theme/static/style.css").read_bytes()
    assert (site.out / "theme/style.css").read_bytes() == css
    page = site.page("2024/05/01/hello/")
    assert page.text("//h1") == "Hello from the wheel"
    assert page.attrs("//head/link[@rel='stylesheet']", "href") == ["/theme/style.css"]
