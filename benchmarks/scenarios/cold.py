"""Cold builds: the output and every cache deleted first, so that a build starts from nothing.

What a tool must not find is its `Tool.cold_paths`: for newsgen the output, the standby tree
``.OUT.next/`` it keeps beside it and ``SITE/.newsgen-cache/``; for Pelican the output and
``cache/``; for Hugo the output, its ``--cacheDir`` and ``resources/``.
"""

from __future__ import annotations

from collections.abc import Sequence

from competitors import Pelican
from measure import Bench, Tool, count_pages


def run(
    bench: Bench, tools: Sequence[Tool], rnd: int, count: bool = False
) -> dict[str, dict[str, int]]:
    """A cold build of each tool in turn. With `count`, each tool's output is counted by kind
    right after its build; returns those counts, by tool name."""
    pages: dict[str, dict[str, int]] = {}
    for tool in tools:
        tool.make_cold()
        bench.run(tool, "cold", rnd, warm=False)
        if count:
            pages[tool.name] = count_pages(tool.out)
    return pages


def pelican_cache_on(bench: Bench, tools: Sequence[Tool], rnd: int) -> None:
    """Pelican's content cache is off by default, and the rebuilds use it: a cold build with
    the cache on fills it, timed as a scenario of its own ('cold_cache'). Other tools: none."""
    for tool in tools:
        if isinstance(tool, Pelican):
            tool.make_cold()
            bench.run(tool, "cold_cache", rnd, warm=True)
