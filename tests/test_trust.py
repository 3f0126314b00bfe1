"""Careless and hostile input that once crashed newsgen or spoke in Python: each is now an
error or warning in plain words, at its place, and the previous output stays as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MakeSite, article, diagnostics, run_newsgen, run_process, warnings_of

CONFIG = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'


def errors_of(result: object) -> list:
    assert result.code == 1, result.stderr  # type: ignore[attr-defined]
    errors, _ = diagnostics(result.stderr)  # type: ignore[attr-defined]
    return errors


@pytest.mark.parametrize("pattern", ["/{year:d}/{slug}/", "/{year:\\0>5}/{slug}/", "/{slug!r}/"])
def test_a_permalink_field_with_a_format_is_a_config_error(
    make_site: MakeSite, pattern: str
) -> None:
    site = make_site({"articles/a.md": article("A")}, CONFIG + f'permalink: "{pattern}"\n')
    [error] = errors_of(site.build())
    assert (error.path, error.line) == ("newsgen.yaml", 4)
    assert "cannot have a format" in error.message
    assert "\0" not in error.message


def test_a_file_name_that_is_not_utf8_is_named_and_the_rest_builds(make_site: MakeSite) -> None:
    site = make_site({"articles/ok.md": article("Fine")}, CONFIG)
    bad = os.fsencode(site.root / "articles") + b"/\xe9\xe8\xea.md"
    Path(os.fsdecode(bad)).write_bytes(b"---\ntitle: X\ndate: 2024-01-01\n---\nx\n")
    warnings = warnings_of(site.build())
    assert [(w.path, w.message) for w in warnings] == [
        ("articles/\\xe9\\xe8\\xea.md", "name is not valid UTF-8; rename it; not published")
    ]
    assert (site.out / "2024/05/01/ok/index.html").is_file()


def test_a_non_ascii_file_name_builds_in_the_posix_locale(make_site: MakeSite) -> None:
    site = make_site({"articles/новости.md": article("Новости")}, CONFIG)
    env = {**os.environ, "LC_ALL": "POSIX", "LANG": "", "PYTHONUTF8": ""}
    done = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", str(site.root)],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert (site.out / "2024/05/01/новости/index.html").is_file()


def test_a_very_long_path_is_shortened_in_messages(make_site: MakeSite) -> None:
    deep = "/".join(["d" * 50] * 60)  # 3,000 characters
    site = make_site({f"articles/{deep}/a.md": "---\ntitle: A\ndate: nope\n---\n"}, CONFIG)
    result = site.build()
    [error] = errors_of(result)
    assert len(error.path) <= 160 and "…" in error.path
    assert error.path.startswith("articles/ddd") and error.path.endswith("/a.md")
    assert max(len(line) for line in result.stderr.splitlines()) < 300


def test_a_syntax_error_in_the_base_template_is_reported_once(make_site: MakeSite) -> None:
    files = {"articles/a.md": article("A", tags="[x]"), "templates/base.html": "{{ oops\n"}
    [error] = errors_of(make_site(files, CONFIG).build())
    assert error.path == "templates/base.html"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 400 KB file system, to fill up (needs root to mount; CI runs as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        message = f"cannot mount a small file system: {done.stderr.decode().strip()}"
        if os.environ.get("NEWSGEN_REQUIRE_MOUNT") == "1":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_one_clear_error_and_the_old_site_stays(
    make_site: MakeSite, small_disk: Path
) -> None:
    site = make_site({"articles/a.md": article("A", tags="[fire]")}, CONFIG)
    out = small_disk / "out"
    # Real processes: a full disk in the middle of a standby refresh is a process's matter.
    assert run_process("build", site.root, "-o", out).code == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    for n in range(60):  # about 1.5 MB of pages: more than the disk holds
        body = f"Paragraph {n}. " + "x" * 20_000
        site.write(f"articles/b{n}.md", article(f"B{n}", tags="[fire]", body=body))
    result = run_process("build", site.root, "-o", out, cwd=small_disk)
    [error] = errors_of(result)
    assert error.path == "out"
    assert error.message.startswith("cannot write ")
    assert "the disk is full; the output is left as it was" in error.message
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_a_template_that_cannot_be_read_is_named_in_words(tmp_path: Path) -> None:
    """As root nothing is unreadable, so the error Jinja's loader raises is made by hand."""
    from newsgen.models import Route
    from newsgen.renderer import _template_error

    site = tmp_path / "site"
    denied = PermissionError(13, "Permission denied", str(site / "templates" / "base.html"))
    error = _template_error(denied, Route("", "index.html", "index.html", {}), site)
    assert str(error) == "templates/base.html: cannot be read (Permission denied)"


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ("url: /static/style.css", "needs a folder at /static/style.css, where "),
        ("aliases: [/robots.txt]", "needs a folder at /robots.txt, where newsgen writes a file"),
        ("aliases: [/feed.xml/old/]", "needs a folder at /feed.xml, where "),
    ],
)
def test_a_page_where_a_file_is_written_is_an_error_not_a_deletion(
    make_site: MakeSite, meta: str, message: str
) -> None:
    key, _, value = meta.partition(": ")
    site = make_site({"articles/a.md": article("A", **{key: value})}, CONFIG)
    [error] = errors_of(site.build())
    assert error.path == "articles/a.md"
    assert error.message.startswith(message), error.message


def test_articles_inside_a_page_bundle_are_named_and_never_published(
    make_site: MakeSite,
) -> None:
    files = {
        "articles/blog/index.md": article("Blog"),
        "articles/blog/2019/2019-01-01-post.md": article("Secret", "2019-01-01", draft="true"),
        "articles/blog/notes.txt": "A plain attachment.\n",
        "articles/a/index.md": article("A", "2024-05-02"),
        "articles/a/b/index.md": article("B", "2024-05-03"),
    }
    site = make_site(files, CONFIG)
    warnings = warnings_of(site.build())
    assert sorted(w.path for w in warnings) == [
        "articles/a/b/index.md",
        "articles/blog/2019/2019-01-01-post.md",
    ]
    assert all("inside the page bundle" in w.message for w in warnings)
    published = {p.name for p in site.out.rglob("*") if p.is_file()}
    assert "notes.txt" in published
    assert not {"2019-01-01-post.md", "index.md"} & published


def test_an_articles_folder_that_is_a_symlink_out_of_the_site_is_refused(
    make_site: MakeSite, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "b").mkdir(parents=True)
    (elsewhere / "b" / "index.md").write_text(article("B"), encoding="utf-8")
    (elsewhere / "b" / "id_rsa").write_text("private key", encoding="utf-8")
    site = make_site(None, CONFIG)
    (site.root / "articles").rmdir()
    (site.root / "articles").symlink_to(elsewhere)
    [error] = errors_of(site.build())
    assert (error.path, error.message) == (
        "articles",
        "symlink leads outside the site; it is not followed",
    )
    assert not site.out.exists()


@pytest.mark.parametrize("folder", ["static", "articles"])
def test_a_fifo_is_named_and_never_waited_on(make_site: MakeSite, folder: str) -> None:
    """Opening a FIFO blocks until a writer comes: a build once hung on one for ever."""
    site = make_site({"articles/a.md": article("A")}, CONFIG)
    (site.root / folder).mkdir(exist_ok=True)
    os.mkfifo(site.root / folder / "pipe")
    result = run_newsgen("build", site.root, timeout=60)
    [warning] = warnings_of(result)
    assert (warning.path, warning.line) == (f"{folder}/pipe", None)
    assert "not a regular file" in warning.message
    assert not (site.out / folder / "pipe").exists() and not (site.out / "pipe").exists()


def test_a_config_that_is_a_folder_is_an_error_in_words(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")}, None)
    (site.root / "newsgen.yaml").mkdir()
    [error] = errors_of(site.build())
    assert (error.path, error.message) == ("newsgen.yaml", "is a folder, not a file")
