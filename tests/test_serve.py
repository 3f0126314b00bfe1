"""`newsgen serve` over real HTTP: a subprocess on a free port, requests sent byte for byte."""

from __future__ import annotations

import errno
import http.client
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path

import pytest
from servehelpers import (
    EventStream,
    Server,
    article,
    cli_env,
    parse_html,
    poll,
    replace_file,
    serving,
    strip_livereload,
    text_of,
    write_site,
)

import newsgen.server
from newsgen.livereload import inject
from newsgen.server import DevServer, Found, Missing, Redirect, resolve_request
from newsgen.watch import is_source_change

SECRET = "top-secret-4f1c9e"
STATIC = {
    "static/app.js": "console.log('hi');\n",
    "static/data.json": '{"a": 1}\n',
    "static/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "static/pic.png": b"\x89PNG\r\n\x1a\n",
    "static/pic.webp": b"RIFF\x00\x00\x00\x00WEBP",
    "static/font.woff2": b"wOF2",
    "static/extra.css": "body { color: black; }\n",
}


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A read-only site deployed under a path (/news/), with a secret file just outside it."""
    tmp = tmp_path_factory.mktemp("news")
    (tmp / "SECRET.txt").write_text(SECRET)
    site = write_site(
        tmp / "site",
        {
            "articles/2024/2024-05-01-harbour.md": article("Harbour reopens"),
            "articles/2024/2024-05-02-council.md": article("Council meets", "2024-05-02"),
            **STATIC,
        },
        base_url="https://example.org/news/",
    )
    with serving(site, tmp) as server:
        build = site / "build"
        # Escape hatches planted inside the served tree after the build.
        (build / "outside.txt").symlink_to(tmp / "SECRET.txt")
        (build / "outside-dir").symlink_to(tmp)
        yield server


def built(server: Server, rel: str) -> bytes:
    return (server.site / "build" / rel).read_bytes()


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("", "text/html; charset=utf-8"),
        ("feed.xml", "application/xml; charset=utf-8"),
        ("atom.xml", "application/xml; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("theme/style.css", "text/css; charset=utf-8"),
        ("extra.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("data.json", "application/json; charset=utf-8"),
        ("logo.svg", "image/svg+xml; charset=utf-8"),
        ("pic.png", "image/png"),
        ("pic.webp", "image/webp"),
        ("font.woff2", "font/woff2"),
    ],
)
def test_content_types(news: Server, path: str, kind: str) -> None:
    response = news.get(path)
    assert response.status == 200
    assert response.headers["content-type"] == kind
    assert response.headers["cache-control"] == "no-store"
    if not kind.startswith("text/html"):  # only HTML gets the live-reload script
        assert response.body == built(news, path)


def test_html_is_the_built_file_plus_the_script(news: Server) -> None:
    pages = sorted((news.site / "build").rglob("*.html"))
    assert len(pages) > 5
    for file in pages:
        rel = file.relative_to(news.site / "build").as_posix()
        response = news.get(rel)
        assert response.status == 200, rel
        assert response.body.count(b"<!-- newsgen:livereload -->") == 1
        assert strip_livereload(response.body) == file.read_bytes(), rel
        assert b"newsgen-livereload" not in file.read_bytes()  # never written to disk
        script = parse_html(response.body).xpath("//body/script[@id='newsgen-livereload']")
        assert len(script) == 1, rel


def test_directories_serve_index_and_redirect_to_slash(news: Server) -> None:
    assert news.get("2024/05/01/harbour/").body == news.get("2024/05/01/harbour/index.html").body
    assert text_of(news.page("2024/05/01/harbour/"), "//h1") == ["Harbour reopens"]
    response = news.request("/news/2024/05/01/harbour?x=1")
    assert (response.status, response.headers["location"]) == (301, "/news/2024/05/01/harbour/")


def test_base_path(news: Server) -> None:
    assert news.base == "/news/"
    root = news.request("/")
    assert (root.status, root.headers["location"]) == (302, "/news/")
    bare = news.request("/news")
    assert (bare.status, bare.headers["location"]) == (301, "/news/")
    assert news.request("/index.html").status == 404  # the site lives under /news/ only
    home = news.page("")
    local = [href for href in home.xpath("//a/@href") if href.startswith("/")]
    assert local
    assert all(href.startswith("/news/") for href in local)


def test_missing_paths_get_the_404_page(news: Server) -> None:
    for target in ("/news/no/such/page/", "/news/nope.css", "/elsewhere", "/news/index.html/"):
        response = news.request(target)
        assert response.status == 404, target
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert strip_livereload(response.body) == built(news, "404.html"), target


def test_no_directory_listings(news: Server) -> None:
    assert not (news.site / "build/theme/index.html").exists()
    response = news.get("theme/")
    assert response.status == 404
    assert strip_livereload(response.body) == built(news, "404.html")
    assert b"search.js" not in response.body


def test_head(news: Server) -> None:
    response = news.request("/news/theme/style.css", method="HEAD")
    assert response.status == 200
    assert response.body == b""
    assert int(response.headers["content-length"]) == len(built(news, "theme/style.css"))


@pytest.mark.parametrize(
    "target",
    [
        "/news/../SECRET.txt",
        "/news/../../SECRET.txt",
        "/news/../newsgen.yaml",
        "/../newsgen.yaml",
        "/news/%2e%2e/%2e%2e/SECRET.txt",
        "/news/%2E%2E%2F%2E%2E%2FSECRET.txt",
        "/news/..%2f..%2fSECRET.txt",
        "/news/theme/../../../SECRET.txt",
        "/news/" + "../" * 12 + "etc/passwd",
        "/news/" + "%2e%2e/" * 12 + "etc/passwd",
        "//etc/passwd",
        "/news//etc/passwd",
        "/news/%2fetc%2fpasswd",
        "/news/outside.txt",
        "/news/outside-dir/SECRET.txt",
        "/news/outside-dir/",
        "/news/..\\..\\SECRET.txt",
        "/news/%00/../SECRET.txt",
        "/news/index.html%00.css",
        "http://example.org/news/../../SECRET.txt",
    ],
)
def test_no_way_out_of_the_output(news: Server, target: str) -> None:
    response = news.request(target)
    assert response.status in (400, 403, 404), target
    assert SECRET.encode() not in response.body
    assert b"root:" not in response.body
    assert b"base_url" not in response.body


@pytest.mark.fast
def test_directory_redirect_is_never_protocol_relative(tmp_path: Path) -> None:
    (tmp_path / "example.com").mkdir()
    for target in ("//example.com", "///example.com", "/%2Fexample.com"):
        result = resolve_request(tmp_path.resolve(), "/", target)
        assert result == Redirect("/example.com/", HTTPStatus.MOVED_PERMANENTLY), target


@pytest.mark.fast
def test_percent_encoded_base_path(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    (root / "sub").mkdir()
    (root / "index.html").write_text("home")
    base = "/%7Euser/"  # as written in base_url, and so in every link of the site
    for target in ("/%7Euser/", "/~user/", "/%7euser/index.html", "/%7Euser/?x=1"):
        assert resolve_request(root, base, target) == Found(root / "index.html"), target
    assert resolve_request(root, base, "/%7Euser") == Redirect(base, HTTPStatus.MOVED_PERMANENTLY)
    assert resolve_request(root, base, "/~user") == Redirect(base, HTTPStatus.MOVED_PERMANENTLY)
    assert resolve_request(root, base, "/") == Redirect(base, HTTPStatus.FOUND)
    assert resolve_request(root, base, "/~user/sub") == Redirect(
        "/%7Euser/sub/", HTTPStatus.MOVED_PERMANENTLY
    )
    assert resolve_request(root, base, "/index.html") == Missing()
    # A base_url with raw non-ASCII: requests arrive encoded, Location headers must be ASCII.
    raw = "/новости/"
    assert resolve_request(root, raw, "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/") == Found(
        root / "index.html"
    )
    moved = resolve_request(root, raw, "/")
    assert moved == Redirect("/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/", HTTPStatus.FOUND)


def test_percent_encoded_base_url_serves(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {"articles/2024/2024-05-01-harbour.md": article("Harbour reopens")},
        base_url="https://example.org/%7Euser/",
    )
    with serving(site, tmp_path) as server:
        assert server.base == "/%7Euser/"  # the printed URL works
        home = server.page("")
        local = [href for href in home.xpath("//a/@href") if href.startswith("/")]
        assert local
        for href in local:
            assert server.request(href).status == 200, href
        assert text_of(server.page("2024/05/01/harbour/"), "//h1") == ["Harbour reopens"]
        assert server.request("/~user/").status == 200
        root = server.request("/")
        assert (root.status, root.headers["location"]) == (302, "/%7Euser/")


def test_absolute_form_request_target(tmp_path: Path, news: Server) -> None:
    origin = f"http://{news.host}:{news.port}"
    page = news.request(origin + "/news/2024/05/01/harbour/")
    assert page.status == 200
    assert text_of(parse_html(page.body), "//h1") == ["Harbour reopens"]
    assert strip_livereload(page.body) == built(news, "2024/05/01/harbour/index.html")
    # The host in the target is not ours to check; the query is dropped like any other.
    assert news.request("HTTP://Example.ORG/news/feed.xml?x=1").body == built(news, "feed.xml")
    bare = news.request(origin + "/news")
    assert (bare.status, bare.headers["location"]) == (301, "/news/")
    assert news.request(origin).status == 302
    for target in ("example.org/news/", "ftp://example.org/news/", "http:///news/", "*"):
        assert news.request(target).status == 400, target
    root = tmp_path.resolve()
    (root / "index.html").write_text("home")
    found = Found(root / "index.html")
    assert resolve_request(root, "/", "http://127.0.0.1:8000/") == found
    assert resolve_request(root, "/", "https://[::1]:8000/index.html?a=b") == found
    assert resolve_request(root, "/", "http://[::1") == Missing(bad_request=True)


def test_concurrent_requests(news: Server) -> None:
    paths = ["", "feed.xml", "theme/style.css", "2024/05/01/harbour/", "pic.png"] * 20
    expected = {p: strip_livereload(news.get(p).body) for p in set(paths)}
    with ThreadPoolExecutor(max_workers=25) as pool:
        responses = list(pool.map(news.get, paths))
    assert [r.status for r in responses] == [200] * len(paths)
    assert [strip_livereload(r.body) for r in responses] == [expected[p] for p in paths]


@pytest.mark.fast
def test_watch_filter(tmp_path: Path) -> None:
    root, out = tmp_path, tmp_path / "build"
    accepted = [
        "newsgen.yaml",
        "articles/2024/2024-05-01-a.md",
        "articles/x.txt",
        "templates/article.html",
        "static/img/logo.png",
        "pages/about.md",
    ]
    ignored = [
        "build/index.html",
        ".build.staging-x/index.html",
        "README.md",
        "articles/.a.md.swp",
        "articles/.a.md.swx",
        "articles/a.md~",
        "articles/.#a.md",
        "articles/#a.md#",
        "articles/4913",
        "articles/a.md.tmp",
        "static/.DS_Store",
        "templates/.hidden/x.html",
        "articles/a.md___jb_tmp___",
    ]
    for rel in accepted:
        assert is_source_change(root, out, str(root / rel)), rel
    for rel in ignored:
        assert not is_source_change(root, out, str(root / rel)), rel


def test_rebuild_after_edit(tmp_path: Path) -> None:
    source = "articles/2024/2024-05-01-harbour.md"
    site = write_site(tmp_path / "site", {source: article("Harbour reopens")})
    with serving(site, tmp_path) as server:
        events = EventStream(server)
        name, data = events.next_event()
        assert name == "hello"
        first = json.loads(data)
        assert first["errors"] == []

        replace_file(site / source, article("Harbour reopens after storm"))
        name, data = events.next_event()
        assert name == "reload"
        assert json.loads(data)["build"] != first["build"]
        assert text_of(server.page("2024/05/01/harbour/"), "//h1") == [
            "Harbour reopens after storm"
        ]
        assert "articles/2024/2024-05-01-harbour.md changed: rebuilt in" in server.stdout

        # templates/, static/ and newsgen.yaml are watched too.
        (site / "static").mkdir()
        (site / "static/new.css").write_text("p {}\n")
        poll(lambda: server.get("new.css").status == 200)
        config = (site / "newsgen.yaml").read_text().replace("Test Gazette", "Test Herald")
        replace_file(site / "newsgen.yaml", config)
        poll(lambda: "Test Herald" in text_of(server.page(""), "//title")[0])
        events.close()


def overlay_lines(server: Server, path: str) -> list[str] | None:
    """The error lines of the overlay on a served page, or None if there is no overlay."""
    page = parse_html(server.get(path).body)
    boxes = page.xpath("//div[@id='newsgen-errors'][@role='alert']")
    if not boxes:
        return None
    return text_of(boxes[0], ".//pre")[0].splitlines()


def test_broken_edit_shows_overlay_and_fix_clears_it(tmp_path: Path) -> None:
    good = "articles/2024/2024-05-01-harbour.md"
    broken = "articles/2024/2024-05-02-broken.md"
    site = write_site(tmp_path / "site", {good: article("Harbour reopens")})
    with serving(site, tmp_path) as server:
        assert overlay_lines(server, "") is None
        events = EventStream(server)
        assert events.next_event()[0] == "hello"

        (site / broken).write_text(
            '---\ntitle: "Council"\ndate: 2024-05-02\ntags: [unclosed\n---\n'
        )
        name, data = events.next_event()
        assert name == "errors"
        errors = json.loads(data)
        assert len(errors) == 1
        assert errors[0].startswith(f"{broken}:4: ")
        for path in ("", "2024/05/01/harbour/", "no/such/page/"):
            assert overlay_lines(server, path) == errors, path
        # The last good site is still served.
        assert text_of(server.page("2024/05/01/harbour/"), "//h1") == ["Harbour reopens"]
        assert errors[0] in server.stderr.splitlines()

        replace_file(site / broken, article("Council meets", "2024-05-02"))
        assert events.next_event()[0] == "reload"
        assert overlay_lines(server, "") is None
        assert text_of(server.page("2024/05/02/broken/"), "//h1") == ["Council meets"]
        events.close()


def test_failed_first_build_still_serves(tmp_path: Path) -> None:
    source = "articles/a.md"
    site = write_site(tmp_path / "site", {source: "no front matter\n"})
    with serving(site, tmp_path) as server:
        response = server.get("")
        assert response.status == 503
        assert b"could not be built" in strip_livereload(response.body)
        lines = overlay_lines(server, "")
        assert lines and len(lines) == 1 and lines[0].startswith(f"{source}:1: ")
        assert lines[0] in server.stderr.splitlines()
        replace_file(site / source, article("Now fixed"))
        # The output is swapped in a moment before the server learns the build's (empty)
        # error list; a page fetched in between still has the overlay, which the next
        # event clears. Wait for both.
        poll(lambda: server.get("").status == 200 and overlay_lines(server, "") is None)


def test_port_in_use(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"articles/a.md": article("A")})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "newsgen", "serve", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            env=cli_env(),
            timeout=30,
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"port {port}" in lines[0]
    assert "--port" in lines[0]
    assert not (site / "build").exists()  # failed before building anything


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"articles/a.md": article("A")})
    server = Server(site, tmp_path)
    try:
        events = EventStream(server)  # an open page must not hold the server up
        assert events.next_event()[0] == "hello"
        assert server.stop(signal.SIGINT) == 0
        assert "Traceback" not in server.stderr
        events.close()
    finally:
        server.kill()


def test_init_site_serves_immediately(tmp_path: Path) -> None:
    from newsgen.scaffold import init_site

    site = tmp_path / "fresh"
    init_site(site)
    with serving(site, tmp_path) as server:
        response = server.get("")
        assert response.status == 200
        assert overlay_lines(server, "") is None
        assert server.stderr == ""


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinked_file_inside_the_output_is_served(news: Server) -> None:
    build = news.site / "build"
    link = build / "alias.css"
    link.symlink_to(build / "extra.css")
    try:
        assert news.get("alias.css").body == built(news, "extra.css")
    finally:
        link.unlink()


def test_drafts_and_output_option(tmp_path: Path) -> None:
    draft = article("Draft story").replace("tags:", "draft: true\ntags:")
    site = write_site(tmp_path / "site", {"articles/2024/2024-05-01-draft.md": draft})
    out = tmp_path / "elsewhere"
    with serving(site, tmp_path, "--drafts", "-o", str(out)) as server:
        assert text_of(server.page("2024/05/01/draft/"), "//h1") == ["Draft story"]
        assert (out / "2024/05/01/draft/index.html").is_file()
        assert not (site / "build").exists()


def test_output_inside_the_sources_is_a_usage_error(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"articles/a.md": article("A")})
    result = subprocess.run(
        [sys.executable, "-m", "newsgen", "serve", str(site), "-o", str(site / "articles/out")],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=30,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


HARBOUR = "articles/2024/2024-05-01-harbour.md"


def rebuilds(server: Server) -> int:
    return server.stdout.count(": rebuilt in ")


def test_deleted_output_is_rebuilt(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {HARBOUR: article("Harbour reopens")})
    with serving(site, tmp_path) as server:

        def served() -> bool:
            response = server.get("2024/05/01/harbour/")
            if response.status == 503:  # the build may take longer than a request waits
                assert b"is being built" in strip_livereload(response.body)
                return False
            assert response.status == 200
            assert text_of(parse_html(response.body), "//h1") == ["Harbour reopens"]
            return True

        shutil.rmtree(site / "build")
        poll(served)
        poll(lambda: "the output folder was missing: rebuilt in" in server.stdout)

        # Many requests at once still ask for one build.
        shutil.rmtree(site / "build")
        with ThreadPoolExecutor(max_workers=20) as pool:
            list(pool.map(lambda _: served(), range(40)))
        poll(served)
        poll(lambda: rebuilds(server) == 2)
        time.sleep(0.5)
        assert rebuilds(server) == 2
        assert server.stderr == ""

        # After a failed build there is nothing to wait for: the errors, at once.
        (site / HARBOUR).write_text("no front matter\n")
        poll(lambda: overlay_lines(server, "") is not None)
        shutil.rmtree(site / "build")
        builds = server.stdout.count("build failed") + server.stderr.count("build failed")
        response = server.get("")
        assert response.status == 503
        # Answered from the errors it has: no build was asked for, so none was waited on.
        time.sleep(1)
        assert server.stdout.count("build failed") + server.stderr.count("build failed") == builds
        assert b"could not be built" in strip_livereload(response.body)
        lines = overlay_lines(server, "")
        assert lines and len(lines) == 1 and lines[0].startswith(f"{HARBOUR}:1: ")


@pytest.mark.fast
def test_internal_error_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", {HARBOUR: article("Harbour reopens")})

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("boom:\nno such thing")

    monkeypatch.setattr(newsgen.server.Builder, "build", broken)
    line = (
        "internal error: ValueError: boom: no such thing"
        ' (run "newsgen --debug build" for a traceback)'
    )
    dev = DevServer(site, None, False, "http://localhost:8000")
    dev.rebuild({str(site / HARBOUR)})
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[0] == line
    assert "Traceback" not in err
    assert len(err.splitlines()) == 2  # and the "build failed: 1 error" summary
    assert dev.state.snapshot().errors == (line,)
    page = parse_html(inject(b"<html><body></body></html>", dev.state.snapshot()))
    assert text_of(page, "//div[@id='newsgen-errors']//pre") == [line]

    dev = DevServer(site, None, False, "http://localhost:8000", debug=True)
    dev.rebuild({str(site / HARBOUR)})
    assert "Traceback" in capsys.readouterr().err


TEMPLATE = """{% extends "base.html" %}
{% block content %}<h1>{{ article.title }}</h1><p id="mark">MARK</p>{% endblock %}
"""


def test_template_edit_is_served(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {HARBOUR: article("Harbour reopens"), "templates/article.html": TEMPLATE},
    )
    with serving(site, tmp_path) as server:
        assert text_of(server.page("2024/05/01/harbour/"), "//p[@id='mark']") == ["MARK"]
        (site / "templates/article.html").write_text(TEMPLATE.replace("MARK", "edited"))
        poll(lambda: text_of(server.page("2024/05/01/harbour/"), "//p[@id='mark']") == ["edited"])
        # The new output is served a moment before the line is printed.
        poll(lambda: "templates/article.html changed: rebuilt in" in server.stdout)


EDITOR_FILES = (
    "articles/.a.md.swp",
    "articles/a.md~",
    "articles/4913",
    "articles/.#a.md",
    "static/x.tmp",
)


def test_editor_files_do_not_rebuild(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {HARBOUR: article("Harbour reopens"), "static/site.css": "p {}\n"},
    )
    with serving(site, tmp_path) as server:
        events = EventStream(server)
        assert events.next_event()[0] == "hello"
        for rel in EDITOR_FILES:
            (site / rel).write_text("not an article\n")
        for rel in EDITOR_FILES[:3]:
            (site / rel).unlink()
        time.sleep(1.0)
        assert rebuilds(server) == 0, server.stdout

        # The watcher is alive: a real save (through a .tmp file) rebuilds once, naming the file.
        replace_file(site / HARBOUR, article("Harbour reopens after storm"))
        assert events.next_event()[0] == "reload"
        assert rebuilds(server) == 1
        assert f"{HARBOUR} changed: rebuilt in" in server.stdout
        assert server.stderr == ""
        events.close()


def test_burst_of_writes_rebuilds_once(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {HARBOUR: article("Harbour reopens")})
    with serving(site, tmp_path) as server:
        moments = []  # when each write began and ended
        for i in range(5):  # as an editor's save plus a formatter's, about 20 ms in all
            if i:
                time.sleep(0.005)
            moments.append(time.monotonic())
            (site / HARBOUR).write_text(article(f"Version {i}"))
            moments.append(time.monotonic())
        poll(lambda: text_of(server.page("2024/05/01/harbour/"), "//h1") == ["Version 4"])
        # One more save after the burst, waited for: rebuilds run one after another, so
        # once it shows, any rebuild a split burst would have caused has run too.
        (site / HARBOUR).write_text(article("After the burst"))
        poll(lambda: text_of(server.page("2024/05/01/harbour/"), "//h1") == ["After the burst"])
        # The watcher ends a burst after 50 ms of quiet: only a gap that long (a stalled
        # machine, within a write or between two) may split it, so each such gap allows
        # one more rebuild, and no more.
        long_gaps = sum(b - a > 0.045 for a, b in itertools.pairwise(moments))
        assert rebuilds(server) <= 2 + long_gaps, server.stdout


def raw_exchange(server: Server, data: bytes) -> bytes:
    """Send DATA as it is and read the whole answer (the server closes the connection)."""
    with socket.create_connection((server.host, server.port), timeout=10) as conn:
        conn.sendall(data)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"BREW / HTTP/1.0\r\n\r\n", 501),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.0\r\n\r\n", 414),
        (b"GET / HTTP/9.9\r\n\r\n", 505),
        (b"nonsense\r\n\r\n", 400),
    ],
)
def test_http_servers_own_errors_carry_the_same_headers(
    news: Server, request_bytes: bytes, status: int
) -> None:
    answer = raw_exchange(news, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].split()[1] == str(status), lines[0]
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert body.startswith(str(status).encode())


def test_idle_connections_cannot_starve_the_server(tmp_path: Path) -> None:
    """More silent connections than the process may open files: they are closed after a few
    seconds, and a real request is answered again."""
    site = write_site(tmp_path / "site", {"articles/2024/2024-05-01-a.md": article("A")})
    with serving(site, tmp_path, open_files=96) as server:
        idle = []
        try:
            for _ in range(150):
                idle.append(socket.create_connection((server.host, server.port), timeout=10))

            # Answered once idle ones are closed (without that, never: the timeout is a bound
            # against a hang, not a measurement). While descriptors are short the answer is
            # 503, never a 404 for a page that is there.
            def answered() -> bool:
                conn = http.client.HTTPConnection(server.host, server.port, timeout=120)
                try:
                    conn.request("GET", server.base)
                    status = conn.getresponse().status
                finally:
                    conn.close()
                assert status in (200, 503), status
                return status == 200

            poll(answered, timeout=120)
            # The idle ones were closed by the server: reading gives end of file.
            idle[0].settimeout(2)
            assert idle[0].recv(1) == b""
        finally:
            for sock in idle:
                sock.close()


@pytest.mark.fast
@pytest.mark.parametrize(
    ("host", "listening", "answered"),
    [
        ("localhost:8000", "127.0.0.1", True),
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("[::1]:8000", "::1", True),
        ("news.localhost:8000", "127.0.0.1", True),
        ("192.168.1.20:8000", "0.0.0.0", True),
        ("preview.example:8000", "preview.example", True),
        ("attacker.example:8000", "127.0.0.1", False),
        ("attacker.example", "0.0.0.0", False),
        (None, "127.0.0.1", True),
    ],
)
def test_the_preview_answers_only_to_its_own_names(
    host: str | None, listening: str, answered: bool
) -> None:
    """A name another site controls, pointed at the preview (DNS rebinding), gets nothing."""
    assert newsgen.server.host_allowed(host, listening) is answered


def test_a_request_for_another_name_is_refused(news: Server) -> None:
    conn = http.client.HTTPConnection(news.host, news.port, timeout=10)
    try:
        conn.request("GET", news.base, headers={"Host": "attacker.example"})
        response = conn.getresponse()
        assert response.status == HTTPStatus.MISDIRECTED_REQUEST
        assert b"<html" not in response.read()
    finally:
        conn.close()
    assert news.get("").status == 200


def test_listening_on_every_interface_is_said(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"articles/2024/2024-05-01-a.md": article("A")})
    with serving(site, tmp_path, "--host", "0.0.0.0") as server:
        poll(lambda: "every network interface" in server.stdout)


@pytest.mark.fast
def test_a_page_that_cannot_be_opened_for_want_of_descriptors_is_busy_not_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "site", {"articles/2024/2024-05-01-a.md": article("A")})
    page = tmp_path / "page.html"
    page.write_text("<p>here</p>")
    dev = DevServer(site, None, False, "http://localhost:8000")

    def exhausted(self: Path) -> bytes:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(Path, "read_bytes", exhausted)
    assert isinstance(dev.read(Found(page), dev.state.snapshot(), "/"), newsgen.server.Busy)
    dev.state.close()
