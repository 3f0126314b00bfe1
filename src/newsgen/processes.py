"""Processes: the worker pool that parses and renders, and work detached from the build.

Workers are forked after the data they need is ready, and are handed it as they start (a
fork inherits it; nothing is pickled to them): a task is a range of job numbers, and only
results travel back. This process works too, on the jobs the workers have not reached, so
N processes at work cost N - 1 forks. Where fork is not available, or there is too little
work to pay for a pool, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

POOL_THRESHOLD = 64
"""Fewer items than this are cheaper to do in this process than to hand to workers."""
CHUNK = 16
WINDOW = 4
"""Chunks in flight per worker: enough to keep them busy, few enough to bound memory."""
PR_SET_PDEATHSIG = 1
_PARENT = os.getpid()

Job = TypeVar("Job")
Result = TypeVar("Result")


def dies_with_this_process() -> Callable[[], None] | None:
    """For subprocess's preexec_fn: a child (Pagefind) that is killed when this process dies,
    even by SIGKILL, instead of writing on into a standby tree nobody will publish. Linux
    only (prctl); elsewhere None. Everything the child calls is looked up here, before the
    fork: a child of a threaded process must not import or load anything."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    getppid, exit_now = os.getppid, os._exit

    def in_child() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if getppid() != parent:  # the build died before prctl took effect
            exit_now(1)

    return in_child


def _die_with_parent() -> None:
    """A worker whose build was killed stops at once (Linux), instead of finishing its work
    for nobody while holding the output's lock, which it inherited."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != _PARENT:  # the parent died before prctl took effect
                os._exit(1)


_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""In a worker only: the function and jobs its pool was started with (_start)."""


def _start(func: Callable[[Any], Any], jobs: Sequence[Any]) -> None:
    """A worker's first act: take the work it was forked with, and die with its parent."""
    global _WORK
    _WORK = (func, jobs)
    _die_with_parent()


def _chunk(start: int, stop: int) -> list[Any]:
    assert _WORK is not None, "a chunk runs only in a worker started by run_in_order"
    func, jobs = _WORK
    return [func(jobs[index]) for index in range(start, stop)]


def run_in_order(
    func: Callable[[Job], Result], jobs: Sequence[Job], workers: int, *, heavy: bool = False
) -> Iterator[Result]:
    """func(job) for every job, yielded in order, in WORKERS processes (this one among them)
    when it pays. HEAVY jobs (an image to process: most of a second each) go out one at a
    time from the second on, where light ones (a page) go out in chunks, and only by the many.

    FUNC and JOBS reach the workers as they are forked, so FUNC may be a closure or a partial
    holding whatever it needs (a Jinja environment, a site's settings): nothing is pickled
    on the way there. Only results must pickle.

    A forked worker soon holds a copy of most of what it inherited: every object it reads has
    its reference count written, and the page holding it is copied (at 100,000 articles, some
    350 MiB a worker). So this process does a worker's share itself: whenever the next results
    due are not ready, it takes the next chunk no worker has been given.
    """
    count = len(jobs)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    threshold, chunk = (2, 1) if heavy else (POOL_THRESHOLD, CHUNK)
    if workers <= 1 or count < threshold or not forkable:
        for job in jobs:
            yield func(job)
        return
    gc.collect()
    gc.freeze()  # the inherited objects stay shared: a worker's GC never touches them
    context = multiprocessing.get_context("fork")
    try:
        global _PARENT
        _PARENT = os.getpid()
        forks = workers - 1
        with ProcessPoolExecutor(
            max_workers=forks, mp_context=context, initializer=_start, initargs=(func, jobs)
        ) as pool:
            starts = iter(range(0, count, chunk))
            pending: deque[Future[list[Any]] | list[Any]] = deque()
            here = 0  # chunks done in this process and not yet yielded

            def submit() -> None:
                start = next(starts, None)
                if start is not None:
                    pending.append(pool.submit(_chunk, start, min(start + chunk, count)))

            for _ in range(forks * WINDOW):
                submit()
            while pending:
                head = pending[0]
                if isinstance(head, Future) and not head.done() and here < forks * WINDOW:
                    start = next(starts, None)
                    if start is not None:
                        pending.append(
                            [func(jobs[i]) for i in range(start, min(start + chunk, count))]
                        )
                        here += 1
                        continue
                pending.popleft()
                if isinstance(head, Future):
                    done = head.result()
                    submit()
                else:
                    done = head
                    here -= 1
                yield from done
    finally:
        gc.unfreeze()


def can_fork_detached() -> bool:
    """Whether `detach` would run its work in a process: a fork copies one thread, so in a
    process running others (serve, a test runner, an embedding program) a lock one of them
    held would stay locked in the child for ever."""
    return hasattr(os, "fork") and threading.active_count() == 1


def detach(in_process: Callable[[], None] | None, in_thread: Callable[[], None], name: str) -> None:
    """Work that goes on after the caller returns.

    IN_PROCESS runs in a grandchild process, adopted by init (so no zombie is left), when it
    is given and `can_fork_detached()`. Otherwise IN_THREAD runs in a daemon thread called NAME
    (what waits for it looks for that name).
    """
    if in_process is not None and can_fork_detached():
        sys.stdout.flush()
        sys.stderr.flush()
        child = os.fork()
        if child != 0:
            os.waitpid(child, 0)  # the child forks the worker and leaves at once
            return
        try:
            if os.fork() == 0:
                os.setsid()
                in_process()
        finally:
            os._exit(0)
    threading.Thread(target=in_thread, name=name, daemon=True).start()


def become_python(call: str, args: Sequence[str], keep: Sequence[int] = ()) -> None:
    """Replace this process by a fresh interpreter that runs CALL ('module:function') with
    ARGS, keeping the file descriptors KEEP open; return only when that cannot be done.

    For work detached from a build: a fork of the build holds all the build's memory for as
    long as it works (its own alone once the build has exited: some 550 MiB at 100,000
    articles), where a fresh interpreter needs what the work needs. The new process finds
    newsgen where this one did (its sys.path).
    """
    if not sys.executable:
        return
    module, function = call.split(":")
    code = (
        "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
        f"from {module} import {function}; {function}(sys.argv[2:])"
    )
    try:
        for fd in keep:
            os.set_inheritable(fd, True)
        os.execv(sys.executable, [sys.executable, "-c", code, json.dumps(sys.path), *args])
    except OSError:
        return
