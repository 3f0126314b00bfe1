"""Helpers for the serve tests: small sites on disk, and `newsgen serve` run as a subprocess."""

from __future__ import annotations

import http.client
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import html5lib
from lxml import etree

import newsgen

T = TypeVar("T")

SRC_DIR = Path(newsgen.__file__).resolve().parent.parent
BLOCK_RE = re.compile(rb"<!-- newsgen:livereload -->.*?<!-- /newsgen:livereload -->", re.S)


def article(title: str, date: str = "2024-05-01 09:00:00+00:00", body: str = "Hello.") -> str:
    return f'---\ntitle: "{title}"\ndate: {date}\ntags: [town]\n---\n{body}\n'


def write_site(
    root: Path, files: dict[str, str | bytes], base_url: str = "http://localhost/"
) -> Path:
    """A site at ROOT: newsgen.yaml plus FILES (relative path → text or bytes)."""
    config = f'title: "Test Gazette"\nbase_url: "{base_url}"\ntimezone: "UTC"\n'
    for rel, content in {"newsgen.yaml": config, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def replace_file(path: Path, text: str) -> None:
    """Save as many editors do: write a temp file beside it, then rename over it."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def poll(check: Callable[[], T], timeout: float = 10.0, interval: float = 0.05) -> T:
    """The first truthy result of CHECK, failing the test after TIMEOUT seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s; last result {result!r}")
        time.sleep(interval)


def parse_html(body: bytes) -> etree._Element:
    return html5lib.parse(body, treebuilder="lxml", namespaceHTMLElements=False).getroot()


def text_of(root: etree._Element, xpath: str) -> list[str]:
    return ["".join(el.itertext()).strip() for el in root.xpath(xpath)]


def strip_livereload(body: bytes) -> bytes:
    return BLOCK_RE.sub(b"", body)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def cli_env() -> dict[str, str]:
    """The environment for a newsgen subprocess: this checkout's package first on the path."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    return env


class Server:
    """A running `newsgen serve`; its output goes to files so it can never block on a pipe."""

    def __init__(self, site: Path, logs: Path, *args: str, open_files: int | None = None) -> None:
        self.site = site
        self.out_path, self.err_path = logs / "serve.out", logs / "serve.err"

        def in_child() -> None:
            # Ctrl-C reaches the server as it reaches one started from a terminal, even when
            # the test run was started in the background (where a shell ignores SIGINT, and
            # children inherit that).
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if open_files is not None:  # at most OPEN_FILES descriptors, as on a small box
                resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "newsgen", "serve", str(site), "--port", "0", *args],
                stdout=out,
                stderr=err,
                env=cli_env(),
                start_new_session=True,  # so teardown can end the whole group
                preexec_fn=in_child,
            )
        found = poll(self._url, timeout=15)
        self.host, self.port, self.base = found.group(1), int(found.group(2)), found.group(3)

    def _url(self) -> re.Match[str] | None:
        if self.proc.poll() is not None:
            raise AssertionError(f"serve exited {self.proc.returncode}: {self.stderr}")
        return re.search(r"at http://([^:/]+):(\d+)(/\S*) ", self.stdout)

    @property
    def stdout(self) -> str:
        return self.out_path.read_text(encoding="utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8", errors="replace")

    def request(self, target: str, method: str = "GET") -> Response:
        """Send TARGET exactly as given: http.client does not normalise '..' or '//'."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", f"{self.host}:{self.port}")
            conn.endheaders()
            resp = conn.getresponse()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        """GET a path relative to the site's base path."""
        return self.request(self.base + path.lstrip("/"))

    def page(self, path: str) -> etree._Element:
        response = self.get(path)
        assert response.status == 200, (path, response.status)
        return parse_html(response.body)

    def stop(self, sig: int = signal.SIGINT, timeout: float = 300) -> int:
        """Signal the server and wait for it to exit (TIMEOUT only guards against a hang:
        how long a loaded machine takes to shut a process down is not what is tested)."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@contextmanager
def serving(site: Path, logs: Path, *args: str, open_files: int | None = None) -> Iterator[Server]:
    server = Server(site, logs, *args, open_files=open_files)
    try:
        yield server
    finally:
        server.kill()


class EventStream:
    """A raw client of the live-reload event stream, reading one event at a time."""

    def __init__(self, server: Server) -> None:
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        self.conn.request("GET", "/__newsgen__/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")

    def next_event(self) -> tuple[str, str]:
        """The next (event, data) pair, skipping comments and retry hints."""
        name, data = "message", []
        while True:
            raw = self.response.fp.readline()
            if not raw:
                raise EOFError("the event stream closed")
            line = raw.decode("utf-8").rstrip("\n")
            if not line:
                if data:
                    return name, "\n".join(data)
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)

    def close(self) -> None:
        self.conn.close()
