"""Faults: builds killed at random moments, workers a killed build leaves, and a full disk.

Issue 9: a SIGKILL at any moment never leaves `build/` missing or half-written (a loop of
random delays, on top of test_incremental's kill at each named step). Listings of extreme
sizes (a tag of 2,000 articles in 200 pages, an article with 1,000 tags) are in
test_listings.py.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MakeSite, article, run_process
from helpers import SMALL_CONFIG, errors_of

CONFIG = 'title: "Faults"\nbase_url: "https://example.org/"\nsearch: false\n'
KILLS = 12


def story(rng: random.Random, n: int, edition: int = 0) -> str:
    words = " ".join(rng.choice(["tide", "quay", "ferry", "council", "storm"]) for _ in range(80))
    day = 1 + n % 28
    return article(
        f"Story {n} edition {edition}",
        f"2024-{1 + n % 12:02d}-{day:02d} 10:00",
        f"{words}\n\n## Part two\n\n{words}\n",
        tags=f"[{rng.choice(['Harbour', 'Weather', 'Council'])}, T{n % 7}]",
    )


def build_and_kill(root: Path, delay: float) -> int:
    """Start a build, SIGKILL it and its workers after DELAY seconds; its exit status."""
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "build", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    with contextlib.suppress(ProcessLookupError):  # it may have finished already
        os.killpg(process.pid, signal.SIGKILL)
    return process.wait(timeout=60)


def timed_rebuild(root: Path) -> float:
    """Build ROOT in a process of its own, as a killed build runs; its wall time."""
    started = time.monotonic()
    finished = run_process("build", root)
    assert finished.code == 0, finished.stderr
    return time.monotonic() - started


def test_random_kills_never_leave_a_missing_or_half_written_site(make_site: MakeSite) -> None:
    rng = random.Random(2026)
    site = make_site({f"articles/s-{n}.md": story(rng, n) for n in range(120)}, CONFIG)
    assert site.build().code == 0
    before = site.snapshot()
    # Each kill falls at a random moment of a build like the one it kills: the previous
    # round's rebuild, timed as a process of its own (a loaded machine slows both alike).
    last = timed_rebuild(site.root)
    outcomes = []
    for round_ in range(KILLS):
        # Each round changes pages, listings and feeds: an edit, an addition, a deletion.
        site.write(f"articles/s-{rng.randrange(120)}.md", story(rng, round_, round_ + 1))
        site.write(f"articles/new-{round_}.md", story(rng, 200 + round_))
        (site.root / f"articles/s-{round_}.md").unlink(missing_ok=True)
        status = build_and_kill(site.root, rng.uniform(0.0, last))
        outcomes.append(status)
        after_kill = site.snapshot()
        last = timed_rebuild(site.root)
        now = site.snapshot()
        # The old site whole, or the new site whole: never a mixture, never nothing.
        assert after_kill in (before, now), f"round {round_}: a half-written build/"
        assert (site.out / "index.html").is_file()
        before = now
    print("exit statuses of the killed builds:", outcomes)
    assert outcomes.count(-signal.SIGKILL) >= KILLS // 2, "the kills came too late to test"


def processes_building(root: Path) -> list[int]:
    """Process ids whose command line builds ROOT (the build and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                command = (entry / "cmdline").read_bytes().split(b"\0")
                if b"build" in command and str(root).encode() in command:
                    found.append(int(entry.name))
    return found


def test_workers_die_with_a_killed_build(make_site: MakeSite) -> None:
    """Workers inherit the output's lock: one that outlived its build would hold up the next."""
    if not Path("/proc/self/cmdline").exists():
        return  # no /proc to look in (the prctl that does this is Linux's too)
    rng = random.Random(7)
    site = make_site({f"articles/s-{n}.md": story(rng, n) for n in range(600)}, CONFIG)
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "build", str(site.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(processes_building(site.root)) < 2:  # the workers have started
        assert time.monotonic() < deadline and process.poll() is None, "no workers seen"
        time.sleep(0.02)
    process.kill()  # the build alone, as an OOM killer would
    process.wait()
    deadline = time.monotonic() + 10
    while processes_building(site.root):
        assert time.monotonic() < deadline, f"workers left running: {processes_building(site.root)}"
        time.sleep(0.05)
    finished = site.build()
    assert finished.code == 0, finished.stderr


# --- a full disk ---------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 400 KB file system, to fill up (needs root to mount; CI runs as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        message = f"cannot mount a small file system: {done.stderr.decode().strip()}"
        if os.environ.get("NEWSGEN_REQUIRE_MOUNT") == "1":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_one_clear_error_and_the_old_site_stays(
    make_site: MakeSite, small_disk: Path
) -> None:
    site = make_site({"articles/a.md": article("A", tags="[fire]")}, SMALL_CONFIG)
    out = small_disk / "out"
    # Real processes: a full disk in the middle of a standby refresh is a process's matter.
    assert run_process("build", site.root, "-o", out).code == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    for n in range(60):  # about 1.5 MB of pages: more than the disk holds
        body = f"Paragraph {n}. " + "x" * 20_000
        site.write(f"articles/b{n}.md", article(f"B{n}", tags="[fire]", body=body))
    result = run_process("build", site.root, "-o", out, cwd=small_disk)
    [error] = errors_of(result)
    assert error.path == "out"
    assert error.message.startswith("cannot write ")
    assert "the disk is full; the output is left as it was" in error.message
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
