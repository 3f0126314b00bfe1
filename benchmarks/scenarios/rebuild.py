"""Rebuilds: the output and caches of the last build kept, the sources changed a little or
not at all.

- no-op: nothing changed;
- one-article edit: one paragraph appended to one article (the middle one);
- one-article add: one new article, newer than all others, so every home page shifts.

Every rebuild runs `warm` (Pelican with its content cache on). `restore` puts the sources
back as they were written, so that each round starts from the same corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import corpus
import sites
from measure import Bench, Tool


def restore(
    tools: Sequence[Tool], edit_target: Callable[[Tool], Path], originals: dict[str, bytes]
) -> None:
    """Undo the last round's edit and add: the edited file back to `originals` (by tool
    name), every added article deleted."""
    for tool in tools:
        edit_target(tool).write_bytes(originals[tool.name])
        for path in (tool.site / sites.CONTENT_DIRS[tool.kind]).rglob("*added-*.md"):
            path.unlink()


def noop(bench: Bench, tools: Sequence[Tool], rnd: int) -> None:
    """A rebuild of each tool in turn with nothing changed."""
    for tool in tools:
        bench.run(tool, "noop", rnd, warm=True)


def edit(
    bench: Bench, tools: Sequence[Tool], rnd: int, edit_target: Callable[[Tool], Path], seed: int
) -> None:
    """For each tool in turn, a paragraph (new each round) appended to its `edit_target`,
    then a rebuild."""
    for tool in tools:
        path = edit_target(tool)
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\n" + corpus.edit_paragraph(rnd, seed), "utf-8")
        bench.run(tool, "edit", rnd, warm=True)


def add(bench: Bench, tools: Sequence[Tool], rnd: int, article: corpus.Article) -> None:
    """For each tool in turn, `article` written into its site, then a rebuild."""
    for tool in tools:
        sites.write_article(tool.kind, tool.site, article)
        bench.run(tool, "add", rnd, warm=True)
