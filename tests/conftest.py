"""Shared fixtures: small real sites in tmp_path, the CLI as a subprocess, parsed output."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Result:
    """A finished newsgen process."""

    code: int
    stdout: str
    stderr: str


def run_newsgen(*args: str | Path, cwd: Path | None = None, timeout: float = 120) -> Result:
    """`newsgen ARGS` as a user runs it, in this process: the CLI's own `main`, with its
    output and exit code captured (a new Python process for each build would cost a
    second). Tests about the process itself use `run_process`."""
    from newsgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as e:  # argparse's usage errors
                code = e.code if isinstance(e.code, int) else 2
        if args and str(args[0]) == "build":
            settle(args[1:])
    finally:
        os.chdir(here)
    return Result(code, out.getvalue(), err.getvalue())


def settle(build_args: Sequence[str | Path]) -> None:
    """Wait for what a build leaves running (the refresh of its standby tree, which holds
    the output's lock and then removes the old tree): the test goes on with a quiet site,
    as a user's next command would find it."""
    from newsgen.publisher import OutputLock

    words = [str(a) for a in build_args]
    site, out = Path("."), None
    positional = []
    index = 0
    while index < len(words):
        if words[index] in ("-o", "--output") and index + 1 < len(words):
            out = Path(words[index + 1])
            index += 2
            continue
        if not words[index].startswith("-"):
            positional.append(Path(words[index]))
        index += 1
    if positional:
        site = positional[0]
    out = (out or site / "build").resolve()
    for thread in threading.enumerate():  # a build in a threaded process refreshes in a thread
        if thread.name == "newsgen standby refresh":
            thread.join(60)
    if not (out.parent / f".{out.name}.lock").exists():
        return  # no build got as far as the output
    with OutputLock(out):
        pass
    deadline = time.monotonic() + 60
    while any(out.parent.glob(f".{out.name}.old-*")) and time.monotonic() < deadline:
        time.sleep(0.01)


def run_process(*args: str | Path, cwd: Path | None = None, timeout: float = 120) -> Result:
    """Run `python -m newsgen ARGS` in a process of its own, the way a user runs it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "newsgen", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@dataclass
class SiteDir:
    """A site on disk under tmp_path."""

    root: Path

    @property
    def out(self) -> Path:
        return self.root / "build"

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return path

    def build(self, *extra: str) -> Result:
        """`newsgen build --verbose`: every warning on a line of its own, as tests read them
        (without it, a kind of warning met more than three times is one line)."""
        return run_newsgen("build", self.root, "--verbose", *extra)

    def build_here(
        self, *, drafts: bool = False, now: str | None = None, future: bool = False
    ) -> list[Reported]:
        """Build in this process (no CLI, no subprocess); the warnings, as the CLI prints
        them. A failed build raises BuildFailed. NOW is `--now` as written (else the
        clock decides what is published)."""
        from newsgen.build import build
        from newsgen.schedule import read_now

        when = None if now is None else read_now(now)
        report = build(self.root, drafts=drafts, now=when, future=future)
        return [Reported(str(w.path), w.line, w.message, "warning") for w in report.warnings]

    def page(self, rel: str) -> Page:
        """Parse build/REL (a directory URL gets index.html)."""
        path = self.out / rel
        if rel.endswith("/") or rel == "":
            path = path / "index.html"
        return Page.parse(path.read_bytes())

    def snapshot(self) -> dict[str, bytes]:
        """Every file of build/ with its bytes, to compare whole trees.

        The search bundle is left out: Pagefind writes different bytes on every run, the one
        known exception to byte-identical output (docs/guarantees.md); so are its lines of
        the output's manifest.
        """
        found = {
            p.relative_to(self.out).as_posix(): p.read_bytes()
            for p in sorted(self.out.rglob("*"))
            if p.is_file() and not p.relative_to(self.out).as_posix().startswith("pagefind/")
        }
        manifest = found.get(".newsgen-manifest.json")
        if manifest is not None:
            lines = manifest.splitlines(keepends=True)
            kept = [line for line in lines if not line.startswith(b'"/pagefind/')]
            found[".newsgen-manifest.json"] = b"".join(kept)
        return found


MakeSite = Callable[..., SiteDir]

HEADLINES = "//main//*[@class='headline']"
"""Every story's headline on a page: a listing's, or the front page's lead, grid, blocks and
list, in the page's order."""

DIAGNOSTIC = re.compile(
    r"^(?P<path>[^\s:]+(?: [^\s:]+)*)(?::(?P<line>\d+))?: (?:(?P<level>warning): )?(?P<message>.+)$"
)
FAILED_LINE = re.compile(
    r"^build failed: (?:(?P<errors>\d+) errors?)?(?:, )?(?:(?P<warnings>\d+) warnings?)?$"
)


@dataclass(frozen=True)
class Reported:
    """One `PATH[:LINE]: [warning: ]message` line of stderr."""

    path: str
    line: int | None
    message: str
    level: str = "error"


def diagnostics(stderr: str) -> tuple[list[Reported], list[Reported]]:
    """(errors, warnings) from stderr; every line must be one of them or the failure summary."""
    assert "Traceback" not in stderr
    errors: list[Reported] = []
    warnings: list[Reported] = []
    counts = None
    for text in stderr.splitlines():
        if match := FAILED_LINE.match(text):
            counts = (int(match["errors"] or 0), int(match["warnings"] or 0))
        elif match := DIAGNOSTIC.match(text):
            line = int(match["line"]) if match["line"] else None
            level = match["level"] or "error"
            found = Reported(match["path"], line, match["message"], level)
            (warnings if level == "warning" else errors).append(found)
        else:
            pytest.fail(f"stderr line is not PATH[:LINE]: [warning: ]message: {text!r}")
    if counts is not None:
        assert counts == (len(errors), len(warnings)), stderr
    return errors, warnings


def warnings_of(result: Result) -> list[Reported]:
    """The warnings of a successful build (it must have succeeded)."""
    assert result.code == 0, f"exit {result.code}\n{result.stderr}"
    errors, warnings = diagnostics(result.stderr)
    assert errors == [], result.stderr
    return warnings


def article(
    title: str = "Hello", date: str = "2024-05-01 10:00", body: str = "Body text.", **meta: str
) -> str:
    """The text of an article file with YAML front matter (values are inserted verbatim)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in meta.items()]
    return "\n".join([*lines, "---", "", body, ""])


def picture_bytes(width: int = 40, height: int = 30, fmt: str = "PNG") -> bytes:
    """A small real image (Pillow), for articles whose lead image must be processed."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 200)).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """make_site({path: text}, config=...) writes a site and returns it."""

    def make(
        files: Mapping[str, str | bytes] | None = None,
        config: str
        | None = 'title: "Test Site"\nbase_url: "https://example.org/"\nsearch: false\n',
        name: str = "site",
    ) -> SiteDir:
        site = SiteDir(tmp_path / name)
        site.root.mkdir(parents=True, exist_ok=True)
        (site.root / "articles").mkdir(exist_ok=True)
        if config is not None:
            site.write("newsgen.yaml", config)
        for rel, content in (files or {}).items():
            site.write(rel, content)
        return site

    return make


class Page:
    """An HTML document parsed the way a browser parses it (html5lib), queried with XPath."""

    def __init__(self, tree: etree._Element) -> None:
        self.tree = tree

    @classmethod
    def parse(cls, data: bytes) -> Page:
        return cls(html5lib.parse(data, treebuilder="lxml", namespaceHTMLElements=False).getroot())

    def all(self, xpath: str) -> list[etree._Element]:
        return self.tree.xpath(xpath)

    def texts(self, xpath: str) -> list[str]:
        """Normalised visible text of each matching element."""
        return [" ".join("".join(e.itertext()).split()) for e in self.all(xpath)]

    def text(self, xpath: str) -> str:
        found = self.texts(xpath)
        assert len(found) == 1, f"{xpath} matched {len(found)} elements"
        return found[0]

    def attrs(self, xpath: str, name: str) -> list[str]:
        return [e.get(name) for e in self.all(xpath)]


def resolve_output(out: Path, base_path: str, url_path: str) -> Path | None:
    """The file under OUT that serves an absolute URL path, as a static host would; or None."""
    if not url_path.startswith(base_path):
        return None
    rel = unquote(url_path[len(base_path) :])
    target = out / rel
    if url_path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def broken_links(out: Path, base_path: str = "/") -> list[str]:
    """Every internal href/src in every page of OUT that leads nowhere, fragments included.

    Relative links resolve against the page's URL, as in a browser.
    """
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}

    def ids_of(file: Path) -> set[str]:
        if file not in ids:
            ids[file] = {e.get("id") for e in Page.parse(file.read_bytes()).all("//*[@id]")}
        return ids[file]

    for page_file in sorted(out.rglob("*.html")):
        rel = page_file.relative_to(out).as_posix()
        page_url = base_path + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        page = Page.parse(page_file.read_bytes())
        for element in page.all("//*[@href or @src]"):
            if element.tag == "link" and element.get("rel") == "canonical":
                continue
            link = element.get("href") or element.get("src")
            parts = urlsplit(urljoin("https://site.invalid" + page_url, link))
            if parts.netloc != "site.invalid":
                continue
            target = resolve_output(out, base_path, parts.path)
            if target is None:
                problems.append(f"{rel}: {link}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in ids_of(target)
            ):
                problems.append(f"{rel}: {link} (no such id)")
    return problems


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name) or (
            f"/usr/bin/{name}" if os.access(f"/usr/bin/{name}", os.X_OK) else None
        )
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Chromium (Playwright drives the machine's own browser).

    Skips without one, except in CI (NEWSGEN_REQUIRE_BROWSER=1), where a missing browser
    is a failure.
    """
    executable = find_chromium()
    if executable is None:
        message = f"no Chromium found (looked for {', '.join(CHROMIUM_NAMES)})"
        if os.environ.get("NEWSGEN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site (the repository root) built once for the whole run, search included:
    every test that reads the demo's pages reads these. Nothing may write into it."""
    out = tmp_path_factory.mktemp("demo") / "out"
    result = run_newsgen("build", REPO, "-o", out)
    assert result.code == 0, result.stderr
    return out


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules with the fewest `fast` tests first, each module's tests kept together and in
    order: xdist (--dist loadfile --no-loadscope-reorder) then sends out the browsers,
    validators, servers and killed builds first, and the quick modules fill the workers' ends.
    Sent out by size instead, a module of three long tests came last and ran alone."""
    by_module: dict[Path, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(item.path, []).append(item)

    def fast_share(item: pytest.Item) -> float:
        tests = by_module[item.path]
        return sum(test.get_closest_marker("fast") is not None for test in tests) / len(tests)

    items.sort(key=fast_share)
