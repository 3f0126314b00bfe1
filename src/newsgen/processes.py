"""Work for forked worker processes, results in order and never piling up. Used by build only.

Workers are forked after the data they need is ready, so they inherit it instead of having
it pickled to them: a task is an index, and only results travel back. Where fork is not
available, or there is too little work to pay for a pool, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

POOL_THRESHOLD = 64
"""Fewer items than this are cheaper to do in this process than to hand to workers."""
CHUNK = 16
WINDOW = 4
"""Chunks in flight per worker: enough to keep them busy, few enough to bound memory."""
PR_SET_PDEATHSIG = 1
_PARENT = os.getpid()


def _die_with_parent() -> None:
    """A worker whose build was killed stops at once (Linux), instead of finishing its work
    for nobody while holding the output's lock, which it inherited."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != _PARENT:  # the parent died before prctl took effect
                os._exit(1)


def _chunk(func: Callable[[int], Any], start: int, stop: int) -> list[Any]:
    return [func(index) for index in range(start, stop)]


def run_in_order(func: Callable[[int], Any], count: int, workers: int) -> Iterator[Any]:
    """func(0) … func(count-1), yielded in that order, in worker processes when it pays.

    FUNC must be a module-level function reading module-level data set before the call:
    forked workers see that data as it was when they started.
    """
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or count < POOL_THRESHOLD or not forkable:
        for index in range(count):
            yield func(index)
        return
    gc.collect()
    gc.freeze()  # the inherited objects stay shared: a worker's GC never touches them
    context = multiprocessing.get_context("fork")
    try:
        global _PARENT
        _PARENT = os.getpid()
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_die_with_parent
        ) as pool:
            starts = iter(range(0, count, CHUNK))
            pending: deque[Future[list[Any]]] = deque()

            def submit() -> None:
                start = next(starts, None)
                if start is not None:
                    pending.append(pool.submit(_chunk, func, start, min(start + CHUNK, count)))

            for _ in range(workers * WINDOW):
                submit()
            while pending:
                done = pending.popleft().result()
                submit()
                yield from done
    finally:
        gc.unfreeze()
