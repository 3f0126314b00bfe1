"""Timing one build, and what every mode records beside the times.

A build runs in a fresh subprocess. Wall time is measured around it; CPU time comes from
``os.wait4`` for that one child: user plus system time of the process and the worker processes
it waited for. Memory is measured two ways:

- the main figure, `TreeSampler`: every 50 ms while the build runs (and while it goes on
  working after it returned, until `Tool.settle` is done), the PSS of every process in the
  build's tree (children, grandchildren, and processes it detached, which this script adopts as
  their subreaper) is read from ``/proc/PID/smaps_rollup`` and summed; the peak of those sums is
  recorded. PSS shares each page among the processes that map it, so forked workers that share
  most of their parent's memory are not counted twice;
- as before, from ``os.wait4``: the max RSS of the largest single process among the build and
  the children it waited for (Linux ``ru_maxrss``), kept to compare with older results.

This module knows nothing of the tools beyond the `Tool` interface, nor of the reports; it
imports only ``corpus.py`` of the benchmarks.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import threading
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
    tree_pss_kib: int = -1
    """Peak of the sum of PSS over the build's process tree, in KiB, sampled every 50 ms
    (`TreeSampler`); -1 in results made before it was measured."""
    tree_processes: int = 0
    """The most processes seen in the build's tree at one sample."""
    sampler_cpu_seconds: float = 0.0
    """CPU time this script spent sampling the tree (reading smaps_rollup costs about 1.6 ms
    per 400 MiB process), taken from the machine the build ran on."""
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


SAMPLE_SECONDS = 0.05
"""How often `TreeSampler` sums the memory of a build's process tree."""
PR_SET_CHILD_SUBREAPER = 36
_subreaper: bool | None = None


def become_subreaper() -> bool:
    """Make this script the subreaper of its descendants (Linux ``prctl``), once: a process
    that a build detaches (newsgen double-forks its standby-tree refresh) is then re-parented to
    this script instead of init, so it stays in the tree `TreeSampler` walks. Returns whether
    that worked; without it, detached processes are missed once their parent has exited."""
    global _subreaper
    if _subreaper is None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            _subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            _subreaper = False
    return _subreaper


def parents() -> dict[int, int]:
    """Every process's parent, from ``/proc/PID/stat`` (field 4, after the command name in
    parentheses, which may itself hold spaces and parentheses)."""
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    text = stat.read()
            except OSError:  # gone since the listing
                continue
            found[int(entry.name)] = int(text[text.rindex(b")") + 2 :].split(None, 2)[1])
    return found


def descendants(
    parent_of: dict[int, int], root: int, skip: frozenset[int] = frozenset()
) -> list[int]:
    """The processes below `root` (not `root` itself), leaving out `skip` and what is below it."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parent_of.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in skip:
                found.append(child)
                todo.append(child)
    return found


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def memory_kib(pid: int) -> int:
    """A process's PSS in KiB from ``/proc/PID/smaps_rollup``; its RSS (``statm``) when that
    cannot be read; 0 when the process is gone (or a zombie)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_KIB
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler:
    """Peak memory of a build's whole process tree: a thread that, every `SAMPLE_SECONDS` until
    the block ends, sums `memory_kib` over the descendants of this script (the build, its
    workers and what it detached) and keeps the largest sum.

    Processes that already were this script's descendants when the block began are left out.
    When the block ends, children left as zombies (detached processes re-parented here) are
    reaped. A process that lives less than one interval may be missed.
    """

    def __init__(self, interval: float = SAMPLE_SECONDS) -> None:
        become_subreaper()
        self.interval = interval
        self.peak_kib = 0
        self.most_processes = 0
        self.samples = 0
        self.cpu_seconds = 0.0
        self._me = os.getpid()
        self._before = frozenset(descendants(parents(), self._me))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tree-sampler", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        reap()

    def _loop(self) -> None:
        start = time.thread_time()
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                self.cpu_seconds = time.thread_time() - start
                return

    def sample(self) -> None:
        """One walk of the tree: sum its memory, keep the peak."""
        pids = descendants(parents(), self._me, self._before)
        total = sum(memory_kib(pid) for pid in pids)
        self.peak_kib = max(self.peak_kib, total)
        self.most_processes = max(self.most_processes, len(pids))
        self.samples += 1


def reap() -> None:
    """Collect every child of this script that has exited (detached processes re-parented
    here by `become_subreaper`), so no zombie is left. Run only between builds: the build's own
    process is collected by `timed` first."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


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
        # The tree is sampled until the tool has settled: newsgen's detached standby refresh
        # is part of its footprint, though not of its times. --sample-ms 0: not sampled.
        interval = getattr(self.args, "sample_ms", SAMPLE_SECONDS * 1000) / 1000
        tree = TreeSampler(interval) if interval > 0 else None
        with tree or contextlib.nullcontext():
            seconds, cpu, rss = timed(tool.command(warm), log, cwd=tool.site)
            after = tool.settle()
        said = WRITTEN.search(log.read_text(errors="replace"))
        written = int(said[1]) if said else -1
        sample = Sample(
            round=rnd,
            tool=tool.name,
            scenario=scenario,
            seconds=seconds,
            cpu_seconds=cpu,
            max_rss_kib=rss,
            tree_pss_kib=tree.peak_kib if tree else -1,
            tree_processes=tree.most_processes if tree else 0,
            sampler_cpu_seconds=tree.cpu_seconds if tree else 0.0,
            background_seconds=after,
            written=written,
        )
        self.samples.append(sample)
        print(
            f"  round {rnd} {tool.name:8} {scenario:10} {seconds:8.2f} s "
            f"cpu {cpu:8.2f} s  tree pss {sample.tree_pss_kib / 1024:6.0f} MiB "
            f"({sample.tree_processes} proc)  largest rss {rss / 1024:6.0f} MiB  "
            f"written {written}  after {after:.2f} s",
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
