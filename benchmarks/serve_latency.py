"""How long `newsgen serve` takes from saving an article to serving the changed page (issue 7).

Writes the prose corpus of N articles as a newsgen site (the `compare` settings), starts
`newsgen serve` on it, waits for the first build, then `--saves` times appends a sentence to
one article and polls its page on 127.0.0.1 until the sentence is there. The browser's
reload comes on top: the live-reload event is sent when the build has finished, and the
page is then one local request away. Prints every save's time and the median.

    .venv/bin/python benchmarks/serve_latency.py -n 10000 --saves 7
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import corpus
import sites

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=7)
    parser.add_argument("--newsgen", default=str(HERE.parent / ".venv" / "bin" / "newsgen"))
    args = parser.parse_args()

    root = WORK / f"serve-{args.n}"
    articles = list(corpus.generate(args.n, "prose", corpus.DEFAULT_SEED))
    site = root / "newsgen"
    if not site.is_dir():
        sites.emit("newsgen", articles, site)
    target = articles[len(articles) // 2]
    source = sites.article_path("newsgen", site, target)
    page = f"{target.date:%Y/%m/%d}/{target.slug}/"
    port = free_port()
    server = subprocess.Popen(
        [args.newsgen, "serve", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/{page}"
    try:
        deadline = time.monotonic() + 600
        while target.title not in fetch(url):
            if time.monotonic() > deadline or server.poll() is not None:
                print("serve did not come up", file=sys.stderr)
                return 1
            time.sleep(0.2)
        time.sleep(2)  # let the first build's standby refresh finish
        seconds = []
        for save in range(args.saves):
            marker = f"Saved sentence number {save} {time.time_ns()}."
            started = time.monotonic()
            with source.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            while marker not in fetch(url):
                time.sleep(0.01)
            seconds.append(time.monotonic() - started)
            print(f"save {save + 1}: {seconds[-1]:.2f} s", flush=True)
            time.sleep(1.5)
        print(f"median of {len(seconds)} saves: {statistics.median(seconds):.2f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
