"""Which file changes matter to `newsgen serve`, and the watcher that reports them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import watchfiles

from newsgen.config import CONFIG_NAME
from newsgen.fsutil import SOURCE_DIRS, is_ignored

WATCH_STEP_MS = 50
"""Quiet time that ends a burst of changes (an editor's write-then-rename is well within it)."""
READY_TIMEOUT = 5.0
"""How long `Watcher.start` waits for the watches to be in place."""


def is_source_change(site_root: Path, out_dir: Path, path: str) -> bool:
    """Whether a changed path is a site source: not output, not an editor's temp or swap file."""
    file = Path(path)
    if file.is_relative_to(out_dir):
        return False
    try:
        rel = file.relative_to(site_root)
    except ValueError:
        return False
    if not rel.parts or rel.parts[0] not in (*SOURCE_DIRS, CONFIG_NAME):
        return False
    # The build's own rule (hidden, emacs' .#lock and #autosave#, swap and backup files),
    # so a change the build would ignore never triggers one.
    return not any(is_ignored(part) for part in rel.parts)


class _StopWhen:
    """A stop_event for watchfiles, set when any of EVENTS is.

    watchfiles polls `is_set()` only once its watches are in place, so the first poll also
    sets READY: from then on no change is missed.
    """

    def __init__(self, ready: threading.Event, *events: threading.Event) -> None:
        self.ready = ready
        self.events = events

    def is_set(self) -> bool:
        self.ready.set()
        return any(e.is_set() for e in self.events)


class Watcher:
    """Watches SITE's sources and calls ON_CHANGE with each debounced burst of changed paths.

    Source directories are watched recursively but the site root is not, so a build/ or a .venv
    beside them costs nothing; the root watch sees newsgen.yaml and source dirs coming and going.
    """

    def __init__(
        self, site_root: Path, out_dir: Path, on_change: Callable[[set[str]], None]
    ) -> None:
        self.site_root = site_root.resolve()
        self.out_dir = out_dir
        self.on_change = on_change
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._root_ready = threading.Event()
        self._sources_ready = threading.Event()

    def start(self) -> None:
        """Start watching; return once the watches are in place, so no later change is missed."""
        for target in (self._watch_root, self._watch_sources):
            threading.Thread(target=target, name=f"newsgen{target.__name__}", daemon=True).start()
        deadline = time.monotonic() + READY_TIMEOUT
        for ready in (self._root_ready, self._sources_ready):
            ready.wait(max(0.0, deadline - time.monotonic()))

    def stop(self) -> None:
        self._stop.set()
        self._restart.set()

    def _accept(self, change: watchfiles.Change, path: str) -> bool:
        return is_source_change(self.site_root, self.out_dir, path)

    def _accept_top(self, change: watchfiles.Change, path: str) -> bool:
        name = Path(path).name
        return Path(path).parent == self.site_root and (
            name == CONFIG_NAME or (name in SOURCE_DIRS and change != watchfiles.Change.modified)
        )

    def _watch(self, paths: list[Path], accept: Any, stop: Any, recursive: bool) -> None:
        for changes in watchfiles.watch(
            *paths,
            watch_filter=accept,
            step=WATCH_STEP_MS,
            stop_event=stop,
            recursive=recursive,
            raise_interrupt=False,
        ):
            changed = {path for _, path in changes}
            if any(
                Path(p).name in SOURCE_DIRS and Path(p).parent == self.site_root for p in changed
            ):
                self._restart.set()
            self.on_change(changed)

    def _watch_root(self) -> None:
        stop = _StopWhen(self._root_ready, self._stop)
        self._watch([self.site_root], self._accept_top, stop, recursive=False)

    def _watch_sources(self) -> None:
        while not self._stop.is_set():
            self._restart.clear()
            dirs = [self.site_root / d for d in SOURCE_DIRS if (self.site_root / d).is_dir()]
            if not dirs:
                self._sources_ready.set()  # the root watch sees the first one appear
                self._restart.wait()
                continue
            stop = _StopWhen(self._sources_ready, self._stop, self._restart)
            try:
                self._watch(dirs, self._accept, stop, recursive=True)
            except OSError:  # a source dir vanished before the watch began: look again
                self._sources_ready.set()
                self._stop.wait(0.2)
