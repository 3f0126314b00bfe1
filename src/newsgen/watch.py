"""Which file changes matter to `newsgen serve`, and the watcher that reports them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import watchfiles

from newsgen.config import CONFIG_NAME

SOURCE_DIRS = ("articles", "templates", "static")
WATCH_STEP_MS = 50
"""Quiet time that ends a burst of changes (an editor's write-then-rename is well within it)."""
_EDITOR_SUFFIXES = (
    "~",
    ".swp",
    ".swx",
    ".swo",
    ".tmp",
    ".bak",
    ".kate-swp",
    ".crswap",
    "___jb_tmp___",
    "___jb_old___",
)


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
    if any(part.startswith((".", "#")) for part in rel.parts):
        return False  # also covers emacs' .#lock and #autosave#, and .DS_Store
    return rel.name != "4913" and not rel.name.endswith(_EDITOR_SUFFIXES)  # 4913: vim's probe


class _Either:
    """Set when either event is: watchfiles polls `is_set()` on its stop_event."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def is_set(self) -> bool:
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

    def start(self) -> None:
        for target in (self._watch_root, self._watch_sources):
            threading.Thread(target=target, name=f"newsgen{target.__name__}", daemon=True).start()

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
        self._watch([self.site_root], self._accept_top, self._stop, recursive=False)

    def _watch_sources(self) -> None:
        while not self._stop.is_set():
            self._restart.clear()
            dirs = [self.site_root / d for d in SOURCE_DIRS if (self.site_root / d).is_dir()]
            if not dirs:
                self._restart.wait()
                continue
            try:
                self._watch(dirs, self._accept, _Either(self._stop, self._restart), recursive=True)
            except OSError:  # a source dir vanished before the watch began: look again
                self._stop.wait(0.2)
