"""Time newsgen against Pelican and Hugo on the same synthetic corpus (issue 7).

Run by hand (see README.md); it writes JSON, Markdown and SVG results to ``results/``.

Modes:

- ``compare``: newsgen, Pelican and Hugo on one corpus; cold build, no-op rebuild, one-article
  edit and one-article add, interleaved between the tools round by round, so that noise on a
  shared machine hits every tool alike; ratios are taken within each round. newsgen runs with
  the like-for-like config (making only the pages the others make) and with its default
  settings (``--config both``, the default; or ``like-for-like`` or ``defaults`` alone), each
  as a tool of its own. Several newsgen builds (``--newsgen NAME=PATH``, repeated) run side by
  side as tools of their own, and ``--content DIR`` takes a real Pelican content folder
  instead of the synthetic corpus.
- ``features``: newsgen alone, the same four scenarios, interleaved, for three configs: like
  for like (as in ``compare``), its defaults without search (every archive feature) and its
  defaults (search on); the difference of the last two is the cost of the search index.
- ``scale``: newsgen alone at large N (cold build and no-op rebuild), for time and peak memory.
- ``bytecost``: newsgen alone on the prose and the link-heavy corpus of the same N, to compare
  the cost per source byte.

Every build runs in a fresh subprocess; wall time is measured around it, and CPU time comes
from ``os.wait4`` for that one child. Peak memory is the sum of PSS over the build's whole
process tree, sampled every 50 ms (``measure.TreeSampler``); the largest single process's max
RSS from ``os.wait4`` is kept beside it.

This file is the entry point: the command line, the ``compare`` and ``features`` modes with
their interleaved rounds, and writing the results. The rest lives beside it:

- ``measure.py``: timing one build, the samples, page counts, the machine record;
- ``tools.py``: the newsgen tool, ``--newsgen`` and ``--tools``, the sites' sources;
- ``competitors.py``: Pelican and Hugo, and ``setup``;
- ``scenarios/``: the cold and rebuild scenarios, and the ``scale`` and ``bytecost`` modes;
- ``report.py``: the Markdown tables, SVG charts and JSON payloads;
- ``corpus.py``, ``sites.py``, ``chart.py``: the corpus, the sites, the chart.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import corpus
import sites
from competitors import ensure_setup, hugo_binary, setup
from measure import HERE, WORK, Bench, Renamed, Tool, corpus_info, shown_path, version_of
from report import (
    DASH,
    DEFAULTS_NOTE,
    FEATURE_NOTES,
    LIKE_FOR_LIKE_NOTE,
    NOTES,
    Results,
    per_round,
    report,
)
from scenarios import bytecost, cold, rebuild, scale
from tools import (
    CONFIG_CHOICES,
    emit_content,
    emit_corpus,
    make_tools,
    newsgen_builds,
    newsgen_configs,
    newsgen_exe,
    newsgen_tools,
    settings_labels,
    tool_names,
)

RESULTS = HERE / "results"


def write(results: Results) -> None:
    """Write NAME.json, NAME.md and NAME.svg under results/ and print the Markdown."""
    bench, args, markdown = results.bench, results.bench.args, results.markdown
    RESULTS.mkdir(exist_ok=True)
    payload = {
        "mode": bench.mode,
        "note": args.note,
        "newsgen_command": {n: shown_path(exe) for n, exe in newsgen_builds(args)},
        "machine": bench.started,
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
        "finished_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        **results.payload,
        "samples": [asdict(s) for s in bench.samples],
    }
    (RESULTS / f"{bench.name}.json").write_text(json.dumps(payload, indent=1) + "\n")
    if args.note:
        markdown = markdown.replace("\n\n", f"\n\nNote: {args.note}\n\n", 1)
    (RESULTS / f"{bench.name}.md").write_text(markdown)
    (RESULTS / f"{bench.name}.svg").write_text(results.svg)
    print(markdown)
    print(f"written: results/{bench.name}.json, .md, .svg")


def compare(args: argparse.Namespace) -> Results:
    """Cold, no-op, edit and add for every tool, interleaved, `runs` rounds."""
    names = tool_names(args.tools.split(","), args)
    if {"pelican", "hugo"} & set(names):
        ensure_setup()
    root = WORK / compare_name(args)
    if args.content:
        info, edit_target = emit_content(Path(args.content), names, root, args)
        label = f"{Path(args.content).name} ({info['articles']:,} articles)"
    else:
        info, edit_target = emit_corpus(args, names, root)
        label = f"{args.variant} corpus, {args.n:,} articles"
    tools = make_tools(names, root, args)
    bench = Bench("compare", compare_name(args), args)
    pages = interleave(bench, tools, edit_target)
    configs = {n: config for n, (_, config) in newsgen_tools(args).items() if n in names}
    ours = list(configs)
    # Each later --newsgen build over each earlier one with the same config, then every build
    # over Pelican and Hugo.
    pairs = [(b, a) for i, a in enumerate(ours) for b in ours[i + 1 :] if configs[a] == configs[b]]
    pairs += [(a, o) for a in ours for o in names if o not in ours]
    ratios = {f"{a}/{b}": per_round(bench, a, b, lambda x, y: x / y) for a, b in pairs}
    settings = settings_labels(names, args)
    for a, b in pairs:
        same = settings[a] == settings[b]
        settings[f"{a}/{b}"] = settings[a] if same else f"{settings[a]} / {settings[b]}"
    versions = {t.name: version_of([*t.command(False)[:1], "--version"]) for t in tools}
    if "hugo" in versions:
        versions["hugo"] = version_of([str(hugo_binary()), "version"])
    shown = {
        "both": "newsgen like-for-like and with its defaults",
        "like-for-like": "like-for-like",
        "defaults": "newsgen with its defaults",
    }
    heading = f"## {label}, {shown[args.config]}, {args.runs} interleaved runs"
    # After the notes on rounds, cold builds and the settings row: what each config builds.
    notes = [*NOTES[:3], *(CONFIG_NOTES[c] for c in newsgen_configs(args)), *NOTES[3:]]
    return report(bench, heading, names, info, pages, versions, ratios, notes, settings)


CONFIG_NOTES = {"like-for-like": LIKE_FOR_LIKE_NOTE, "defaults": DEFAULTS_NOTE}


def compare_name(args: argparse.Namespace) -> str:
    """The results' file name: --name, else compare-VARIANT-N or compare-FOLDER, with
    -like-for-like or -defaults when --config asks for one of them alone."""
    if args.name:
        return args.name
    name = (
        f"compare-{Path(args.content).name}" if args.content else f"compare-{args.variant}-{args.n}"
    )
    return name if args.config == "both" else f"{name}-{args.config}"


def features(args: argparse.Namespace) -> Results:
    """newsgen alone with each of sites.NEWSGEN_CONFIGS, interleaved like `compare`."""
    name = f"features-{args.variant}-{args.n}"
    root = WORK / name
    print(f"writing a {args.variant} corpus of {args.n} articles for each newsgen config")
    articles = list(corpus.generate(args.n, args.variant, args.seed))
    tools: list[Tool] = []
    for config in sites.NEWSGEN_CONFIGS:
        sites.emit("newsgen", articles, root / config / "newsgen", config)
        (tool,) = make_tools(["newsgen"], root / config, args)
        tools.append(Renamed(tool, config))
    bench = Bench("features", name, args)
    edited = articles[len(articles) // 2]
    pages = interleave(bench, tools, lambda t: sites.article_path(t.kind, t.site, edited))
    search = per_round(bench, "defaults", "no-search", lambda a, b: a - b)
    versions = {"newsgen": version_of([newsgen_exe(args), "--version"])}
    heading = (
        f"## newsgen's features, {args.variant} corpus, {args.n:,} articles, "
        f"{args.runs} interleaved runs"
    )
    names = [t.name for t in tools]
    derived = {f"search index (defaults {DASH} no-search)": search}
    return report(
        bench, heading, names, corpus_info(articles), pages, versions, derived, FEATURE_NOTES
    )


def interleave(
    bench: Bench, tools: Sequence[Tool], edit_target: Callable[[Tool], Path]
) -> dict[str, dict[str, int]]:
    """`runs` rounds of cold, no-op, edit and add, each scenario for every tool in turn.

    `edit_target` gives the file that the edit scenario appends to, for each tool; it is put
    back as it was before every round. Returns each tool's files by kind after its first cold
    build.
    """
    args = bench.args
    originals = {t.name: edit_target(t).read_bytes() for t in tools}
    pages: dict[str, dict[str, int]] = {}
    for rnd in range(1, args.runs + 1):
        # Rotate the order each round, so no tool always runs right after the same other one.
        shift = (rnd - 1) % len(tools)
        order = [*tools[shift:], *tools[:shift]]
        rebuild.restore(order, edit_target, originals)
        print(f"round {rnd}/{args.runs}: {' '.join(t.name for t in order)}", flush=True)
        pages.update(cold.run(bench, order, rnd, count=rnd == 1))
        cold.pelican_cache_on(bench, order, rnd)
        rebuild.noop(bench, order, rnd)
        rebuild.edit(bench, order, rnd, edit_target, args.seed)
        rebuild.add(bench, order, rnd, corpus.added_article(args.n, args.variant, args.seed, rnd))
    return pages


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; every mode takes --newsgen and --newsgen-args."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--newsgen",
        action="append",
        default=[],
        metavar="[NAME=]PATH",
        help="newsgen command (default: the project's venv); repeat as NAME=PATH to compare "
        "several builds side by side, as tools named newsgen-NAME (compare)",
    )
    common.add_argument("--newsgen-args", default="", help="extra arguments for newsgen build")
    common.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    common.add_argument("--note", default="", help="free text kept in the results (a commit)")
    common.add_argument(
        "--sample-ms",
        type=float,
        default=50,
        help="how often the build's process tree is sampled for memory, in ms (50; 0: not at "
        "all, only the largest process's max RSS)",
    )
    sub.add_parser("setup", help="install Pelican and Hugo into benchmarks/.work/venv")
    p = sub.add_parser("compare", parents=[common], help="newsgen vs Pelican vs Hugo")
    p.add_argument("-n", type=int, default=10_000, help="articles (10000)")
    p.add_argument("--runs", type=int, default=5, help="interleaved rounds (5)")
    p.add_argument("--variant", choices=corpus.VARIANTS, default="prose")
    p.add_argument("--tools", default=",".join(sites.TOOLS), help="comma-separated")
    p.add_argument("--content", default="", help="a real Pelican content folder instead of -n")
    p.add_argument("--name", default="", help="results file name (compare-VARIANT-N)")
    p.add_argument(
        "--config",
        choices=CONFIG_CHOICES,
        default="both",
        help="newsgen's settings: like-for-like (only the pages Pelican and Hugo make), "
        "defaults (its default settings: archives, per-tag and per-author feeds, related, "
        "news sitemap, search), or both side by side (both)",
    )
    p = sub.add_parser("features", parents=[common], help="newsgen: its features' cost")
    p.add_argument("-n", type=int, default=10_000, help="articles (10000)")
    p.add_argument("--runs", type=int, default=5, help="interleaved rounds (5)")
    p.add_argument("--variant", choices=corpus.VARIANTS, default="prose")
    p = sub.add_parser("scale", parents=[common], help="newsgen alone at large N")
    p.add_argument("--sizes", default="50000,100000", help="comma-separated (50000,100000)")
    p.add_argument("--runs", type=int, default=1)
    p = sub.add_parser("bytecost", parents=[common], help="newsgen: prose vs link-heavy")
    p.add_argument("-n", type=int, default=2_000, help="articles per corpus (2000)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--name", default="", help="results file name (bytecost-N)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the mode."""
    args = parse_args(argv)
    if args.mode == "setup":
        setup()
    else:
        modes = {
            "compare": compare,
            "features": features,
            "scale": scale.run,
            "bytecost": bytecost.run,
        }
        write(modes[args.mode](args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
