"""The ``scale`` mode: newsgen alone at large N, a cold build and a no-op rebuild per size.

Each size gets its own prose corpus under ``.work/scale-N/``; the output is deleted after the
last round of a size, since 100,000 articles make gigabytes of it.
"""

from __future__ import annotations

import argparse

import corpus
import sites
from measure import WORK, Bench, Renamed, count_pages, source_bytes, version_of
from report import Results, report_sizes
from tools import make_tools, newsgen_exe

from scenarios import cold, rebuild


def run(args: argparse.Namespace) -> Results:
    """newsgen alone at each size: cold build and no-op rebuild, `runs` times."""
    sizes = [int(s) for s in args.sizes.split(",")]
    name = "scale-" + "-".join(str(s) for s in sizes)
    bench = Bench("scale", name, args)
    corpora: dict[int, dict[str, object]] = {}
    for n in sizes:
        root = WORK / f"scale-{n}"
        print(f"writing a prose corpus of {n} articles", flush=True)
        articles = list(corpus.generate(n, "prose", args.seed))
        sites.emit("newsgen", articles, root / "newsgen")
        corpora[n] = {"articles": n, "body_bytes": source_bytes(articles)}
        del articles
        (tool,) = make_tools(["newsgen"], root, args)
        named = Renamed(tool, f"newsgen-{n}")
        for rnd in range(1, args.runs + 1):
            cold.run(bench, [named], rnd)
            rebuild.noop(bench, [named], rnd)
        corpora[n]["pages"] = count_pages(tool.out)
        tool.make_cold()  # 100k articles make gigabytes of output: do not leave them around
    version = version_of([newsgen_exe(args), "--version"])
    return report_sizes(bench, sizes, corpora, version)
