"""`newsgen serve`: build, serve the output over HTTP, rebuild on change, reload open pages.

The live-reload script and the error overlay are added to HTML *responses* only: the files in
the output directory stay byte-identical to what `newsgen build` writes.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import queue
import socket
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from newsgen.build import Builder
from newsgen.config import default_out_dir, load_config
from newsgen.errors import BuildFailed, NewsgenError, UsageError
from newsgen.livereload import EVENTS_PATH, BuildState, Snapshot, inject
from newsgen.watch import Watcher

KEEPALIVE_SECONDS = 15.0
SWAP_WAIT_SECONDS = 1.0
"""How long a request waits for the output directory while a build swaps it into place."""

_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    # Feeds as application/xml, as static hosts serve them: browsers show them, readers accept them.
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
}


def content_type(path: Path) -> str:
    """The Content-Type header for a file, with a charset for text."""
    kind = _TYPES.get(path.suffix.lower(), "application/octet-stream")
    if kind.startswith("text/") or kind.endswith(("json", "xml")):
        return f"{kind}; charset=utf-8"
    return kind


# -- Requests → files ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Found:
    path: Path


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str
    status: HTTPStatus


@dataclass(frozen=True, slots=True)
class Busy:
    """The file is there, but the process has no file descriptor left to open it."""


@dataclass(frozen=True, slots=True)
class Missing:
    bad_request: bool = False


def origin_form(target: str) -> str | None:
    """The path and query of a request target; None if it is neither "/path" nor "http://host/path".

    HTTP/1.1 servers must accept the absolute form too (RFC 9112, 3.2.2); the host is ignored.
    """
    target = target.partition("#")[0]
    if target.startswith("/"):
        return target
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _location(path: str) -> str:
    """PATH made safe as a Location header: one leading "/" ("//host/" would leave the site)."""
    return "/" + quote(path, safe="/%").lstrip("/")


def resolve_request(root: Path, base_path: str, target: str) -> Found | Redirect | Missing:
    """Map a request target onto a file under ROOT (already resolved); nothing outside it.

    BASE_PATH is as written in base_url, so it may be percent-encoded ("/%7Euser/"): it is
    compared unquoted, like the request path, and redirects use it as written.
    """
    wanted = origin_form(target)
    if wanted is None:
        return Missing(bad_request=True)
    try:
        path = unquote(wanted.partition("?")[0], errors="strict")
    except UnicodeDecodeError:
        return Missing(bad_request=True)
    base = unquote(base_path)
    if "\x00" in path:
        return Missing(bad_request=True)
    if not path.startswith(base):
        if path == base.rstrip("/"):
            return Redirect(_location(base_path), HTTPStatus.MOVED_PERMANENTLY)
        if path == "/":  # temporary: the base path may change with newsgen.yaml
            return Redirect(_location(base_path), HTTPStatus.FOUND)
        return Missing()
    rel = path[len(base) :].lstrip("/")  # a leading "/" would make the join absolute
    try:
        file = (root / rel).resolve()
        if file.is_dir():
            if not path.endswith("/"):
                return Redirect(
                    _location(base_path + quote(rel) + "/"), HTTPStatus.MOVED_PERMANENTLY
                )
            file = (file / "index.html").resolve()
        elif path.endswith("/"):
            return Missing()
        elif not file.exists() and (root / (rel + ".html")).is_file():
            file = (root / (rel + ".html")).resolve()  # an extensionless page, as hosts serve it
        # Checked after resolve(): this rejects "..", "%2e%2e" and symlinks that point outside.
        if file.is_relative_to(root) and file.is_file():
            return Found(file)
    except (OSError, RuntimeError):  # symlink loops, names too long
        pass
    return Missing()


def placeholder(errors: bool) -> bytes:
    """The page served while there is no output: being built, or waiting for fixes."""
    if errors:
        text = "The site could not be built. Fix the errors and this page reloads."
    else:
        text = "The site is being built. This page loads when it is ready."
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>newsgen</title></head>"
        f"<body><p>{text}</p></body></html>\n"
    ).encode()


# -- HTTP -------------------------------------------------------------------------------------


ALL_INTERFACES = ("", "0.0.0.0", "::")


def host_allowed(header: str | None, listening: str) -> bool:
    """Whether a request's Host names this server, not a site whose name was pointed here.

    A page on another site can make a browser send requests to the preview through a name
    it controls (DNS rebinding) and read the answers, drafts included. Browsers put the name
    they used in Host, so only addresses, `localhost` and the name `--host` gave are
    answered. A request without Host (HTTP/1.0, no browser) is answered.
    """
    if not header:
        return True
    name = header.strip().lower()
    if name.startswith("["):
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    name = name.rstrip(".")
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    if name == "localhost" or name.endswith(".localhost"):
        return True
    if listening not in ALL_INTERFACES:
        return name == listening.lower().rstrip(".")
    return name in {socket.gethostname().lower(), socket.getfqdn().lower()}


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive
    request_queue_size = 128  # socketserver's 5 makes bursts of connections wait a second
    dev: DevServer
    listening: str = ""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # browsers drop connections freely
            super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


IDLE_SECONDS = 5
"""How long a connection may send nothing before it is closed: idle or half-open connections
would otherwise hold a thread and a file descriptor each, until none is left for a browser."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "newsgen"
    timeout = IDLE_SECONDS  # on reading the request; the event stream lifts it (it only writes)
    # Answers to requests too broken to name a version still get a status line and headers
    # (http.server would answer them as HTTP/0.9: a bare body).
    default_request_version = "HTTP/1.0"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (400, 414, 501, ...) with the headers of every response."""
        self.close_connection = True
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.INTERNAL_SERVER_ERROR
        body = f"{status.value} {message or status.phrase}\n".encode("latin-1", "replace")
        head = self.command == "HEAD" or status.value in (204, 304) or status.value < 200
        self._send(status, "text/plain; charset=utf-8", body, head)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would bury the rebuild messages

    def _misdirected(self, head: bool) -> bool:
        if host_allowed(self.headers.get("Host"), self.server.listening):
            return False
        body = b"This preview answers to localhost and its own address only.\n"
        self.close_connection = True
        self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", body, head)
        return True

    def do_GET(self) -> None:
        if self._misdirected(head=False):
            return
        if (origin_form(self.path) or "").partition("?")[0] == EVENTS_PATH:
            self._stream_events()
        else:
            self._send_path(head=False)

    def do_HEAD(self) -> None:
        if not self._misdirected(head=True):
            self._send_path(head=True)

    def _send_path(self, *, head: bool) -> None:
        dev = self.server.dev
        snap = dev.state.snapshot()
        result = resolve_request(dev.root, snap.base_path, self.path)
        if isinstance(result, Missing) and result.bad_request:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"Bad request\n", head)
            return
        if isinstance(result, Redirect):
            self._send(result.status, "text/plain; charset=utf-8", b"", head, result.location)
            return
        found = dev.read(result, snap, self.path)
        if isinstance(found, Busy):
            body = b"Too many connections at once; try again in a moment.\n"
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", body, head)
        elif isinstance(found, Redirect):
            self._send(found.status, "text/plain; charset=utf-8", b"", head, found.location)
        elif found is None:
            self._send_missing(snap, head)
        else:
            path, data = found
            kind = content_type(path)
            if kind.startswith("text/html"):
                data = inject(data, snap)
            self._send(HTTPStatus.OK, kind, data, head)

    def _send_missing(self, snap: Snapshot, head: bool) -> None:
        dev = self.server.dev
        if not dev.root.is_dir():
            # The text follows the latest build; the script keeps SNAP's build id, so the page
            # reloads if a build finished since the request came in.
            page = inject(placeholder(bool(dev.state.snapshot().errors)), snap)
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", page, head)
            return
        try:
            page = inject((dev.root / "404.html").read_bytes(), snap)
            self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", page, head)
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n", head)

    def _send(
        self, status: HTTPStatus, kind: str, data: bytes, head: bool, location: str | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _event(self, name: str, data: object) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()

    def _stream_events(self) -> None:
        """Hello with the current build, then reload/errors events until the client leaves."""
        state = self.server.dev.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.close_connection = True
        self.connection.settimeout(None)  # it waits for builds, and writes a keepalive now and then
        last = state.snapshot()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self._event("hello", {"build": last.build_id, "errors": list(last.errors)})
            while not last.closed:
                snap = state.wait(last.version, KEEPALIVE_SECONDS)
                if snap is None:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                    continue
                if snap.build_id != last.build_id:
                    self._event("reload", {"build": snap.build_id})
                elif snap.errors != last.errors:
                    self._event("errors", list(snap.errors))
                last = snap
        except OSError:  # the page went away
            pass


# -- Building and watching ----------------------------------------------------------------------


def _say(message: str, *, error: bool = False) -> None:
    print(message, file=sys.stderr if error else sys.stdout, flush=True)


OUTPUT_GONE = "\0output gone"
"""Queued, in place of changed paths, when the output directory was deleted after a good build."""


def _describe(site_root: Path, changed: Iterable[str]) -> str:
    """Why a rebuild ran, for the "...: rebuilt in 0.12 s" line."""
    root = site_root.resolve()
    names = sorted(
        Path(p).relative_to(root).as_posix() for p in changed if Path(p).is_relative_to(root)
    )
    if not names:
        if SCHEDULE in changed:
            return "a scheduled story's time came"
        return "the output folder was missing" if OUTPUT_GONE in changed else "a source changed"
    return names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "") + " changed"


def internal_error(error: Exception) -> str:
    """One line for an unexpected exception (a newsgen bug): never a traceback unless asked."""
    message = " ".join(str(error).split())
    what = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return f'internal error: {what} (run "newsgen --debug build" for a traceback)'


class DevServer:
    """The site being served: where its output is, and the state of its last build."""

    def __init__(
        self,
        site_root: Path,
        out_dir: Path | None,
        drafts: bool,
        origin: str,
        *,
        debug: bool = False,
        clock: Callable[[], datetime] | None = None,
        future: bool = False,
    ) -> None:
        self.site_root = site_root
        self.out_dir = out_dir
        self.root = (out_dir if out_dir is not None else default_out_dir(site_root)).resolve()
        self.drafts = drafts
        self.builder = Builder(
            site_root,
            out_dir,
            drafts=drafts,
            on_wait=lambda message: _say(message),
            keep=True,
            clock=clock,
            future=future,
        )
        """Kept for the server's life: each save rebuilds only what it changed."""
        self.origin = origin
        """Scheme, host and port, for printing URLs."""
        self.debug = debug
        """Print a traceback for internal errors."""
        self.state = BuildState()
        self.changes: queue.Queue[set[str]] = queue.Queue()
        """Bursts of changed paths (or OUTPUT_GONE), each asking for one more build."""
        self._building = threading.Lock()
        self._gone_queued = False
        """OUTPUT_GONE is in the queue; guarded by _building."""
        self._warned: set[str] = set()
        """The warnings the last good build printed."""
        self.next_change: datetime | None = None
        """When what the site shows changes next (a scheduled story's time): the server
        builds again then on its own (`due`, `tick`)."""
        self.zone: tzinfo = UTC
        """The site's time zone (an offset-less --now is read in it)."""

    def rebuild(self, changed: Iterable[str] = (), *, first: bool = False) -> None:
        """Build once; print the time or the errors, and publish the outcome to open pages."""
        with self._building:
            self._gone_queued = False  # this build writes the output, whatever it was queued for
            started = time.perf_counter()
            try:
                report = self.builder.build()
                config = report.config
            except BuildFailed as failed:
                self._failed([str(e) for e in failed.errors])
            except UsageError as e:
                if first:  # e.g. an output dir that overlaps the sources: a command-line mistake
                    raise
                self._failed([str(e)])
            except NewsgenError as e:
                self._failed([str(e)])
            except Exception as e:  # a bug must not stop the server: show it like a content error
                if self.debug:
                    traceback.print_exc()
                self._failed([internal_error(e)])
            else:
                # Printed before open pages hear of it: the terminal never lags the browser.
                # Warnings once each: a rebuild repeats only those it has not shown yet.
                for warning in report.warnings:
                    if str(warning) not in self._warned:
                        _say(str(warning), error=True)
                self._warned = {str(w) for w in report.warnings}
                self.next_change, self.zone = report.next_change, config.tz
                if first:
                    for line in report.schedule_lines():
                        _say(line)
                    _say(report.summary())
                    self.builder.warm()
                    # While the editor works, saves do not wait for the search index.
                    self.builder.stale_search = True
                else:
                    seconds = time.perf_counter() - started
                    _say(f"{_describe(self.site_root, changed)}: rebuilt in {seconds:.2f} s")
                    if self.state.snapshot().base_path != config.base_path:
                        _say(f"base_url changed: now serving at {self.origin}{config.base_path}")
                self.state.succeeded(config.base_path, config.title)

    def due(self) -> float | None:
        """Seconds until the next scheduled change by the builder's clock (0 when it has
        come), or None when nothing is due."""
        if self.next_change is None:
            return None
        now = self.builder.clock()
        if now.tzinfo is None:  # --now without an offset: in the site's zone
            now = now.replace(tzinfo=self.zone)
        return max(0.0, (self.next_change - now).total_seconds())

    def tick(self) -> bool:
        """Build again if the next scheduled change has come (a story's publication time);
        whether it did."""
        if self.due() != 0.0:
            return False
        self.rebuild({SCHEDULE})
        return True

    def _failed(self, lines: list[str]) -> None:
        self.next_change = None  # the next save builds again; the clock would only fail again
        for line in lines:
            _say(line, error=True)
        count = f"{len(lines)} error{'s' if len(lines) != 1 else ''}"
        _say(f"build failed: {count}; still serving the last good build", error=True)
        try:
            config = load_config(self.site_root)
            self.state.failed(lines, config.base_path, config.title)
        except NewsgenError:
            self.state.failed(lines, None, None)

    def finish(self, timeout: float) -> None:
        """Let a build in progress finish, so no staging directory is left behind."""
        if self._building.acquire(timeout=timeout):
            self._building.release()

    def read(
        self, result: Found | Missing, snap: Snapshot, target: str
    ) -> tuple[Path, bytes] | Redirect | Busy | None:
        """Read a resolved file; if the output was missing, look again once it is back. Out
        of file descriptors, the file is there but cannot be opened now: Busy, not missing."""
        for attempt in range(2):
            if isinstance(result, Found):
                try:
                    return result.path, result.path.read_bytes()
                except OSError as e:
                    if e.errno in (errno.EMFILE, errno.ENFILE):
                        return Busy()
            if attempt == 0:
                if not self._expect_output():
                    return None
                again = resolve_request(self.root, snap.base_path, target)
                if isinstance(again, Redirect):
                    return again
                result = again
        return None

    def _expect_output(self) -> bool:
        """Whether the output directory is there, waiting briefly if it is on its way.

        It is missing while a build swaps it into place, and after a `rm -rf build`: then,
        if the last build succeeded, queue a build to bring it back (once, however many
        requests ask). After a failed build there is nothing to wait for.
        """
        if self.root.is_dir():
            return True
        if self._building.acquire(blocking=False):  # else a build is running: it writes one
            try:
                if not self.root.is_dir():
                    if self.state.snapshot().errors:
                        return False
                    if not self._gone_queued:
                        self._gone_queued = True
                        self.changes.put({OUTPUT_GONE})
            finally:
                self._building.release()
        deadline = time.monotonic() + SWAP_WAIT_SECONDS
        while not self.root.is_dir():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


SCHEDULE = "(the schedule)"
"""What a build the clock asked for names as changed."""
SCHEDULE_POLL = 60.0
"""Seconds between looks at the clock while a change is due (a laptop that slept, a clock
set anew: the wait is measured again)."""


def _rebuild_forever(dev: DevServer) -> None:
    while True:
        due = dev.due()
        try:
            changed = dev.changes.get(timeout=None if due is None else min(due, SCHEDULE_POLL))
        except queue.Empty:
            dev.tick()
            continue
        while not dev.changes.empty():  # changes that came in during the last build: one build
            changed |= dev.changes.get_nowait()
        dev.rebuild(changed)


# -- Entry point --------------------------------------------------------------------------------


def _bind(host: str, port: int) -> _Server:
    server_class = _Server6 if ":" in host else _Server
    try:
        return server_class((host, port), _Handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is already in use; try --port {port + 1}") from None
        if e.errno == errno.EACCES:
            raise UsageError(f"not allowed to listen on port {port}; try --port 8000") from None
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def _origin(server: _Server, host: str) -> str:
    shown = "localhost" if host in ("", "0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{server.server_address[1]}"


def serve(
    site_root: Path,
    *,
    out_dir: Path | None,
    host: str,
    port: int,
    drafts: bool,
    open_browser: bool,
    debug: bool = False,
    clock: Callable[[], datetime] | None = None,
    future: bool = False,
) -> int:
    """Build SITE, serve it with live reload and rebuild on change until Ctrl-C; return 0.

    DEBUG prints a traceback when a build hits an internal error (a newsgen bug).
    """
    site_root = Path(site_root)
    if not site_root.is_dir():
        raise UsageError(f"site directory {site_root} does not exist")
    server = _bind(host, port)  # before building, so a busy port fails at once
    server.listening = host
    dev = DevServer(
        site_root, out_dir, drafts, _origin(server, host), debug=debug, clock=clock, future=future
    )
    server.dev = dev
    watcher = Watcher(site_root, dev.root, dev.changes.put)
    try:
        dev.rebuild(first=True)
        watcher.start()
        threading.Thread(target=_rebuild_forever, args=(dev,), daemon=True).start()
        snap = dev.state.snapshot()
        url = dev.origin + snap.base_path
        _say(f"Serving {snap.title or site_root} at {url} (Ctrl-C to stop)")
        if host in ALL_INTERFACES:
            _say(
                "Listening on every network interface: anyone on this network can read the"
                " preview, drafts included"
            )
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        dev.state.close()
        server.server_close()
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C: leave at once
            dev.finish(timeout=10)
    return 0
