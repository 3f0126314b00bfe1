"""The ``bytecost`` mode: newsgen alone on the prose and the link-heavy corpus of the same N.

Only cold builds, the two corpora alternating which goes first each round, so that the time
per Markdown body byte can be compared within each round.
"""

from __future__ import annotations

import argparse

import corpus
import sites
from measure import WORK, Bench, Renamed, Tool, count_pages, source_bytes, version_of
from report import Results, report_bytecost
from tools import make_tools, newsgen_exe

from scenarios import cold


def run(args: argparse.Namespace) -> Results:
    """newsgen alone on a prose and a link-heavy corpus of the same N, interleaved."""
    name = args.name or f"bytecost-{args.n}"
    bench = Bench("bytecost", name, args)
    variants = corpus.VARIANTS
    tools: dict[str, Tool] = {}
    corpora: dict[str, dict[str, object]] = {}
    for variant in variants:
        root = WORK / f"bytecost-{variant}-{args.n}"
        articles = list(corpus.generate(args.n, variant, args.seed))
        sites.emit("newsgen", articles, root / "newsgen")
        (tool,) = make_tools(["newsgen"], root, args)
        tools[variant] = Renamed(tool, f"newsgen-{variant}")
        corpora[variant] = {
            "articles": args.n,
            "body_bytes": source_bytes(articles),
            "links": sum(a.body.count("](https://") for a in articles),
        }
    for rnd in range(1, args.runs + 1):
        for variant in variants if rnd % 2 else variants[::-1]:
            cold.run(bench, [tools[variant]], rnd)
    for variant in variants:
        corpora[variant]["pages"] = count_pages(tools[variant].out)
    version = version_of([newsgen_exe(args), "--version"])
    return report_bytecost(bench, variants, corpora, version)
