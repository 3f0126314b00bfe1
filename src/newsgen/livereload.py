"""Live reload for `newsgen serve`: the shared build state and the block added to HTML responses.

The block (a script, and an error overlay while the last build is broken) is added to
responses only, never to files, so the output stays byte-identical to `newsgen build`.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

EVENTS_PATH = "/__newsgen__/events"
"""Server-sent events stream; outside every base path, so it never shadows a site file."""
BLOCK_START = b"<!-- newsgen:livereload -->"
BLOCK_END = b"<!-- /newsgen:livereload -->"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the last build left behind, as one request or event stream sees it."""

    build_id: str
    """Changes on every successful build; unique across server runs, so a restart reloads too."""
    errors: tuple[str, ...]
    """`PATH[:LINE]: message` lines of the last build, empty when it succeeded."""
    base_path: str
    title: str
    builds: int = 0
    """Successful builds so far in this run."""
    version: int = 0
    """Bumped on every change, for event streams to wait on."""
    closed: bool = False


class BuildState:
    """The shared, lock-protected Snapshot: the builder writes it, request threads read it."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(4)
        self._snap = Snapshot(f"{self._token}-0", (), "/", "")
        self._changed = threading.Condition(threading.RLock())

    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snap

    def _update(self, **changes: Any) -> None:
        with self._changed:
            self._snap = replace(self._snap, version=self._snap.version + 1, **changes)
            self._changed.notify_all()

    def succeeded(self, base_path: str, title: str) -> None:
        with self._changed:
            builds = self._snap.builds + 1
            self._update(
                build_id=f"{self._token}-{builds}",
                builds=builds,
                errors=(),
                base_path=base_path,
                title=title,
            )

    def failed(self, errors: Iterable[str], base_path: str | None, title: str | None) -> None:
        """Record errors; the base path moves only before the first good build (links match it)."""
        with self._changed:
            if self._snap.builds or base_path is None or title is None:
                self._update(errors=tuple(errors))
            else:
                self._update(errors=tuple(errors), base_path=base_path, title=title)

    def close(self) -> None:
        self._update(closed=True)

    def wait(self, version: int, timeout: float) -> Snapshot | None:
        """The next snapshot after VERSION, or None after TIMEOUT seconds without one."""
        with self._changed:
            if self._changed.wait_for(lambda: self._snap.version != version, timeout):
                return self._snap
            return None


_OVERLAY = (
    '<div id="newsgen-errors" role="alert" style="position:fixed;top:0;left:0;right:0;'
    "z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.25rem;"
    "background:#3b0d10;color:#fff;border-bottom:4px solid #ff6369;text-align:left;"
    'font:16px/1.5 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.5)">'
    '<strong style="color:#fff">Build failed.</strong> The last good build is still served; '
    "this page updates when the files are fixed."
    '<pre style="margin:.75rem 0 0;white-space:pre-wrap;background:none;color:#ffe1e1;'
    'font:15px/1.5 ui-monospace,Menlo,Consolas,monospace">{}</pre></div>'
)
_SCRIPT = """<script id="newsgen-livereload">(() => {
  const build = %(build)s, overlay = %(overlay)s;
  function show(errors) {
    let box = document.getElementById("newsgen-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      document.body.insertAdjacentHTML("beforeend", overlay);
      box = document.getElementById("newsgen-errors");
    }
    box.querySelector("pre").textContent = errors.join("\\n");
  }
  const events = new EventSource(%(url)s);
  events.addEventListener("hello", (e) => {
    const state = JSON.parse(e.data);
    if (state.build !== build) location.reload(); else show(state.errors);
  });
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("errors", (e) => show(JSON.parse(e.data)));
})();</script>"""


def _js(value: object) -> str:
    return json.dumps(value).replace("</", "<\\/")  # safe inside <script>


def livereload_block(snap: Snapshot) -> bytes:
    """The markup added to every HTML response: the script, and the overlay if the build failed."""
    parts = [BLOCK_START.decode()]
    if snap.errors:
        parts.append(_OVERLAY.format(html.escape("\n".join(snap.errors))))
    script_vars = {"build": _js(snap.build_id), "overlay": _js(_OVERLAY), "url": _js(EVENTS_PATH)}
    parts.append(_SCRIPT % script_vars)
    parts.append(BLOCK_END.decode())
    return "".join(parts).encode()


def inject(page: bytes, snap: Snapshot) -> bytes:
    """PAGE with the live-reload block just before its last </body>, or at the end."""
    at = page.lower().rfind(b"</body>")
    if at < 0:
        at = len(page)
    return page[:at] + livereload_block(snap) + page[at:]
