"""The import direction between newsgen's modules, read from the source. The table below is
the one in docs/architecture.md ("What each module may import"), with its reasons there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.fast

SRC = REPO / "src" / "newsgen"

LOWER = {
    "errors",
    "wording",
    "models",
    "urls",
    "slugs",
    "yamlio",
    "theme",
    "fsutil",
    "config",
    "bodies",
    "loader",
}
LOWER |= {"site", "renderer", "feeds", "publisher", "sources", "fields", "discover", "library"}
LOWER |= {"catalogue"}
LOWER |= {"cache", "processes", "related", "terms", "search", "searchtool", "sitemaps", "robots"}
LOWER |= {"redirects", "schedule", "manifests"}
LOWER |= {"records", "fingerprints", "incremental", "edits"}
LOWER |= {"moves"}
LOWER |= {"images", "pictures", "imagestore"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "models": {"errors"},
    "urls": {"models", "errors"},
    "slugs": {"urls"},
    "yamlio": {"errors", "wording"},
    # Messages in an editor's words: character names, YAML's complaints as what to fix.
    "wording": set(),
    "theme": set(),
    "fsutil": set(),
    "config": {"models", "errors", "urls", "slugs", "yamlio"},
    # Front matter dialects (one module each) → one table of field aliases → the loader.
    "sources": {"errors", "yamlio", "sources"},
    "fields": {"errors", "sources", "urls"},
    "discover": {"errors", "fsutil", "urls"},
    # Bodies: text and settings in, clean HTML out; nothing of the site's model or disk.
    "bodies": {"bodies"},
    # The one reader of the files bodies' tags use (templates/shortcodes, includes, data/).
    "library": {"bodies", "errors", "fsutil"},
    # The one reader of the theme's and the site's word catalogues (i18n/LANG.yaml).
    "catalogue": {"errors", "fsutil", "models", "theme", "yamlio"},
    "related": {"models"},
    "terms": {"errors", "models", "slugs", "urls"},
    "search": {"processes", "searchtool"},
    # Which Pagefind runs, found cheaply (a no-op build's stamp names it).
    "searchtool": set(),
    "loader": {"models", "errors", "urls", "slugs", "bodies", "yamlio", "fsutil", "sources"}
    | {"fields", "discover", "wording"},
    "site": {"models", "urls", "slugs", "errors", "bodies", "related", "terms", "schedule"},
    # What is published at a moment (scheduled, expired), and the one reader of the clock.
    "schedule": {"models", "fields"},
    # A kept site with edited articles swapped in: models in, models out, like site.
    "edits": {"models"},
    "renderer": {"models", "urls", "errors", "theme"},
    "feeds": {"models", "urls", "bodies"},
    "sitemaps": {"models", "urls", "schedule"},
    "robots": {"urls"},
    "redirects": {"models", "urls"},
    # The output's manifest and the changes between two (pure): the publisher writes it.
    "manifests": set(),
    "publisher": {"errors", "urls", "models", "manifests"},
    # The one writer of source files: an old URL kept as an alias (build --record-moves).
    "moves": {"errors", "fields", "models", "sources", "urls"},
    # The incremental layer decides what is stale; the cache stores, records and fingerprints
    # are its formats. The pipeline (build) alone calls it.
    "records": {"models", "errors"},
    "fingerprints": {"models", "theme"},
    "cache": {"models", "errors", "fingerprints"},
    "processes": set(),
    # Pictures: Pillow's processing (pure), where an image comes from and is published
    # (pure), and the processed images the cache keeps.
    "images": {"models"},
    "pictures": {"models", "urls"},
    "imagestore": {"cache", "images", "models", "pictures"},
    "incremental": {"cache", "config", "discover", "edits", "errors", "fingerprints", "fsutil"}
    | {"models", "processes", "publisher", "records", "searchtool"},
    "build": LOWER,
    # check loads a site as build does, without rendering: it sits beside the CLI. It reads
    # a body's srcset as the body's making does (bodies.sanitize).
    "check": {"bodies", "build", "config", "errors", "models", "oldurls", "theme", "urls"}
    | {"fields", "schedule"},
    # The old site's URLs against the new build's files (check --old-urls).
    "oldurls": {"bodies", "errors", "models", "sources", "urls"},
    # How problems are shown: every error, each kind of warning once.
    "reporting": {"discover", "errors"},
    "livereload": set(),
    "watch": {"config", "fsutil"},
    "server": {"build", "errors", "config", "livereload", "watch"},
    "scaffold": {"config", "errors", "urls", "models", "discover", "fsutil"},
    # Importers write source files into a site, like scaffold, and never touch the output.
    "importers": {"config", "errors", "urls", "models", "scaffold", "yamlio", "importers"}
    | {"discover", "fsutil"},
}


def module_files(module: str) -> list[Path]:
    """A module's source: one file, or every file of a package (a layer may be a package)."""
    package = SRC / module
    return sorted(package.rglob("*.py")) if package.is_dir() else [SRC / f"{module}.py"]


def newsgen_imports(path: Path) -> set[str]:
    """The newsgen modules a file imports, at any depth in it (function-level imports too)."""
    used: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "newsgen":
                # `from newsgen import x` imports the package (or its submodule x).
                used.update(parts[1:2] or (alias.name for alias in node.names))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "newsgen" and len(parts) > 1:
                    used.add(parts[1])
    return used


@pytest.mark.parametrize(
    "module", sorted(m for m in ALLOWED if all(p.exists() for p in module_files(m)))
)
def test_layers_only_import_downwards(module: str) -> None:
    for path in module_files(module):
        used = newsgen_imports(path)
        assert used <= ALLOWED[module], f"{path.name} imports {sorted(used - ALLOWED[module])}"


def test_every_module_has_a_layer() -> None:
    """A new module must be placed in the table above, so its imports get checked too."""
    modules = {p.stem for p in SRC.glob("*.py")} - {"__init__", "__main__", "cli"}
    modules |= {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()} - {"theme"}
    assert modules <= set(ALLOWED), f"modules without a layer: {sorted(modules - set(ALLOWED))}"


def test_imports_are_absolute() -> None:
    """Relative imports would slip past the layer check."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
        assert not relative, f"{path.name} has relative imports on lines {relative}"
