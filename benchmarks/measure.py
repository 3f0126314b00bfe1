"""Timing one build, and what every mode records beside the times.

A build runs in a fresh subprocess. Wall time is measured around it; CPU time and peak memory
come from ``os.wait4`` for that one child: user plus system time of the process and the worker
processes it waited for, and the max RSS of the largest of them (Linux ``ru_maxrss``), not a
sum over the process tree.

This module knows nothing of the tools beyond the `Tool` interface, nor of the reports; it
imports only ``corpus.py`` of the benchmarks.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"


@dataclass(frozen=True, slots=True)
class Sample:
    """One timed build."""

    round: int
    tool: str
    scenario: str
    seconds: float
    """Wall-clock time of the whole process."""
    cpu_seconds: float
    """User plus system CPU time of the process and the children it waited for."""
    max_rss_kib: int
    """Peak resident memory of the largest process in the build, in KiB (Linux ru_maxrss)."""
    background_seconds: float = 0.0
    """Time the tool went on working after it returned (newsgen refreshing its standby tree),
    waited out before the next build; not part of `seconds` or `cpu_seconds`."""
    written: int = -1
    """Files the build says it wrote (newsgen's summary line); -1 when it does not say."""


class Tool:
    """How to build one tool's site, and what 'cold' deletes."""

    name = ""
    kind = ""
    """Which of sites.TOOLS the site is written for."""

    def __init__(self, site: Path, out: Path) -> None:
        self.site, self.out = site, out

    def command(self, warm: bool) -> list[str]:
        """The build command; `warm` is true for the rebuild scenarios."""
        raise NotImplementedError

    def cold_paths(self) -> list[Path]:
        """Output and caches that a cold build must not find."""
        return [self.out]

    def make_cold(self) -> None:
        """Delete the output and every cache, so the next build starts from nothing."""
        for path in self.cold_paths():
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    def settle(self) -> float:
        """Wait until the tool has stopped working on its output; return the seconds waited."""
        return 0.0


class Renamed(Tool):
    """A tool recorded under another name (the corpus size, in scale mode)."""

    def __init__(self, inner: Tool, name: str) -> None:
        super().__init__(inner.site, inner.out)
        self.inner, self.name, self.kind = inner, name, inner.kind

    def command(self, warm: bool) -> list[str]:
        return self.inner.command(warm)

    def cold_paths(self) -> list[Path]:
        return self.inner.cold_paths()

    def settle(self) -> float:
        return self.inner.settle()


def timed(command: Sequence[str], log: Path, cwd: Path) -> tuple[float, float, int]:
    """Run one build; return wall seconds, CPU seconds and peak RSS in KiB.

    `os.wait4` reports the resource use of exactly this child (and the children it waited
    for), unlike `RUSAGE_CHILDREN`, which accumulates over every child this script has run.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"build failed ({proc.returncode}): {shlex.join(command)}\n{tail}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


WRITTEN = re.compile(r": (\d+) files? written, ")
"""newsgen's summary line: 'Built … into OUT: 810 files written, 11276 unchanged, 0 removed'."""


class Bench:
    """One results set: runs builds and keeps their samples."""

    def __init__(self, mode: str, name: str, args: argparse.Namespace) -> None:
        self.mode, self.name, self.args = mode, name, args
        self.samples: list[Sample] = []
        self.started = machine()

    def run(self, tool: Tool, scenario: str, rnd: int, warm: bool) -> Sample:
        """Time one build of `tool` and record it."""
        log = WORK / "logs" / f"{self.name}-{tool.name}-{scenario}.log"
        seconds, cpu, rss = timed(tool.command(warm), log, cwd=tool.site)
        after = tool.settle()
        said = WRITTEN.search(log.read_text(errors="replace"))
        written = int(said[1]) if said else -1
        sample = Sample(rnd, tool.name, scenario, seconds, cpu, rss, after, written)
        self.samples.append(sample)
        print(
            f"  round {rnd} {tool.name:8} {scenario:10} {seconds:8.2f} s "
            f"cpu {cpu:8.2f} s  rss {rss / 1024:7.0f} MiB  written {written}  after {after:.2f} s",
            flush=True,
        )
        return sample

    def values(self, tool: str, scenario: str, field: str = "seconds") -> list[float]:
        """Every recorded value of `field` for one tool and scenario, in round order."""
        return [
            getattr(s, field) for s in self.samples if s.tool == tool and s.scenario == scenario
        ]


def summarise(values: Sequence[float]) -> dict[str, float]:
    """Median, minimum and maximum."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def version_of(command: Sequence[str]) -> str:
    """The first line a tool prints for its version, for the results file."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def machine() -> dict[str, object]:
    """What the numbers were measured on, as the issue asks to record."""
    cpu = "unknown"
    mem_kib = 0
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def page_kind(rel: str) -> str:
    """Sort an output file into the page kinds the tools are compared on."""
    parts = rel.split("/")
    page = parts[-1] == "index.html"
    if page and len(parts) == 5 and all(p.isdigit() for p in parts[:3]):
        return "article pages"
    if rel == "index.html" or (parts[0] == "page" and page):
        return "home pages"
    if rel == "tags/index.html":
        return "tag index"
    if parts[0] == "tags" and page:
        return "tag pages"
    if rel in ("feed.xml", "atom.xml", "feed.json"):
        return "feeds"
    if rel in ("sitemap.xml", "news-sitemap.xml", "robots.txt", "404.html"):
        return rel
    if page and (parts[0].isdigit() or parts[0] == "archive"):
        return "date archive pages"
    if page and parts[0] == "authors":
        return "author pages"
    if parts[-1] in ("feed.xml", "atom.xml", "feed.json"):
        return "tag and author feeds"
    if parts[0] == "pagefind" or rel == "search/index.html":
        return "search page and index"
    return "other files"


def count_pages(out: Path) -> dict[str, int]:
    """Count output files by kind, plus the total size, to check the outputs are comparable."""
    counts: Counter[str] = Counter()
    size = 0
    for path in out.rglob("*"):
        if path.is_file():
            counts[page_kind(path.relative_to(out).as_posix())] += 1
            size += path.stat().st_size
    result = dict(sorted(counts.items()))
    result["total files"] = sum(counts.values())
    result["total MB"] = round(size / 1e6, 1)
    return result


def source_bytes(articles: Sequence[corpus.Article]) -> int:
    """Bytes of Markdown body text, the part every tool has to render."""
    return sum(len(a.body.encode()) for a in articles)


def corpus_info(articles: Sequence[corpus.Article]) -> dict[str, object]:
    """What the results say about a synthetic corpus."""
    return {"articles": len(articles), "body_bytes": source_bytes(articles)}


def shown_path(command: str) -> str:
    """A command as the results may show it: relative to benchmarks/, never a machine path."""
    path = Path(command)
    if path.is_absolute() and path.is_relative_to(HERE.parent):
        return os.path.relpath(path, HERE)
    return path.name if path.is_absolute() else command
