"""Every file in articles/, pages/ and static/ is accounted for: read, published, or named in a
warning (extensions, bundles, symlinks, unreadable files, FIFOs, names that are not UTF-8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    HEADLINES,
    MakeSite,
    SiteDir,
    article,
    picture_bytes,
    run_newsgen,
    warnings_of,
)
from helpers import SMALL_CONFIG, errors_of
from newssite import NEWS_ARTICLES, news_site

from newsgen.build import build
from newsgen.errors import BuildFailed

PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000"
    "001f15c4890000000d4944415478da63f8cfc0f01f00050001ff56c72f0d0000000049454e44ae426082"
)
"""A one-pixel PNG, as Pillow writes it (so publishing it stripped gives the same bytes)."""


@pytest.mark.fast
def test_every_article_extension_is_read(make_site: MakeSite) -> None:
    names = ["a.md", "b.markdown", "c.mdown", "d.mkd", "e.mkdn", "f.txt", "g.html", "h.htm"]
    site = make_site({f"articles/{n}": article(n.split(".")[0].upper()) for n in names})
    assert warnings_of(site.build()) == []
    assert sorted(site.page("").texts(HEADLINES)) == list("ABCDEFGH")


@pytest.mark.fast
def test_html_article_body_is_html(make_site: MakeSite) -> None:
    body = "<p>First <em>para</em>.</p>\n<figure><img src='/x.png' alt='X'></figure>"
    site = make_site({"articles/a.html": article("A", body=body), "static/x.png": picture_bytes()})
    assert warnings_of(site.build()) == []
    page = site.page("2024/05/01/a/")
    assert page.texts("//div[@class='body']/p/em") == ["para"]
    assert page.attrs("//div[@class='body']/figure//img", "alt") == ["X"]
    assert site.page("").texts("//p[@class='summary']") == ["First para."]


@pytest.mark.fast
def test_files_that_are_not_articles_are_named_in_warnings(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A"),
            "articles/notes.docx": b"PK\x03\x04",
            "articles/old.rst": "Title\n=====\n",
            "articles/plain.html": "<p>No front matter here.</p>\n",
            "articles/_index.md": "---\ntitle: Section\n---\n",
            "articles/.hidden.md": article("Hidden"),  # documented: hidden files are ignored
        }
    )
    found = {w.path: w.message for w in warnings_of(site.build())}
    assert sorted(found) == [
        "articles/_index.md",
        "articles/notes.docx",
        "articles/old.rst",
        "articles/plain.html",
    ]
    assert "section file" in found["articles/_index.md"]
    assert "not an article" in found["articles/notes.docx"]
    assert "reStructuredText" in found["articles/old.rst"]
    assert "without front matter" in found["articles/plain.html"]
    assert site.page("").texts(HEADLINES) == ["A"]


@pytest.mark.fast
def test_page_bundle(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/2024/harbour-chart/index.md": article(
                "Chart", body="![Arrivals](chart.png)\n\n[Data](data/arrivals.csv)"
            ),
            "articles/2024/harbour-chart/chart.png": PIXEL,
            "articles/2024/harbour-chart/data/arrivals.csv": "month,n\n",
            "articles/2024/harbour-chart/notes.txt": "not an article: an attachment\n",
        }
    )
    assert warnings_of(site.build()) == []
    page = site.page("2024/05/01/harbour-chart/")  # the slug is the folder's name
    assert page.attrs("//div[@class='body']//img", "src") == ["chart.png"]
    folder = site.out / "2024/05/01/harbour-chart"
    assert (folder / "chart.png").read_bytes() == PIXEL
    assert (folder / "data/arrivals.csv").is_file()
    assert (folder / "notes.txt").is_file()
    assert site.page("").texts(HEADLINES) == ["Chart"]


@pytest.mark.fast
def test_a_draft_bundle_publishes_nothing(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A"),
            "articles/secret/index.md": article("Secret", draft="true"),
            "articles/secret/photo.png": PIXEL,
        }
    )
    assert warnings_of(site.build()) == []
    assert not list(site.out.rglob("photo.png"))


@pytest.mark.fast
def test_broken_and_looping_symlinks_are_warnings(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")})
    articles = site.root / "articles"
    os.symlink(articles / "gone.md", articles / "dangling.md")
    os.symlink(articles, articles / "again", target_is_directory=True)
    os.symlink(articles / "self.md", articles / "self.md")
    found = {w.path: w.message for w in warnings_of(site.build())}
    assert "broken" in found["articles/dangling.md"]
    assert "loops" in found["articles/again"]
    assert "loops" in found["articles/self.md"]
    assert site.page("").texts(HEADLINES) == ["A"]


def unreadable(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make PATHS fail to open with EACCES, as chmod 000 does for anyone but root."""
    real_scandir, real_read = os.scandir, Path.read_bytes
    denied = {str(p) for p in paths}

    def scandir(path: object = ".") -> object:
        if str(path) in denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    def read_bytes(self: Path) -> bytes:
        if str(self) in denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.mark.fast
def test_unreadable_folder_and_file_are_warnings(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(
        {
            "articles/a.md": article("A"),
            "articles/locked/b.md": article("B"),
            "articles/c.md": article("C"),
        }
    )
    unreadable(monkeypatch, site.root / "articles/locked", site.root / "articles/c.md")
    report = build(site.root)
    found = {str(w.path): w.message for w in report.warnings}
    assert found == {
        "articles/locked": "folder cannot be read (Permission denied); not published",
        "articles/c.md": "cannot be read (Permission denied); not published",
    }
    assert site.page("").texts(HEADLINES) == ["A"]


@pytest.mark.fast
def test_unreadable_articles_folder_fails_and_keeps_the_site(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"articles/a.md": article("A")})
    build(site.root)
    before = site.snapshot()
    unreadable(monkeypatch, site.root / "articles")
    with pytest.raises(BuildFailed) as failed:
        build(site.root)
    (error,) = failed.value.errors
    assert (
        str(error) == "articles: folder cannot be read (Permission denied): no article can be read"
    )
    assert site.snapshot() == before


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings(make_site: MakeSite, ending: str) -> None:
    text = "---\ntitle: Ends\ndate: 2024-05-01\n---\nOne line\nAnother line\n"
    site = make_site({"articles/a.txt": text.replace("\n", ending).encode()})
    assert warnings_of(site.build()) == []
    assert site.page("2024/05/01/a/").texts("//div[@class='body']/p") == [
        "One line",
        "Another line",
    ]


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return news_site(tmp_path_factory)


# --- where files are read from, and what is skipped ----------------------------------------


def test_articles_at_any_depth_are_built(news: SiteDir) -> None:
    # NEWS_FILES has articles at depth 0, 1 and 4 below articles/.
    for url, title in NEWS_ARTICLES:
        assert news.page(url).text("//h1") == title


@pytest.mark.fast
def test_symlinked_static_folders_inside_the_site_are_published(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")})
    shared = site.root / "shared-assets"
    (shared / "logos").mkdir(parents=True)
    (shared / "logos" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (site.root / "static").mkdir()
    (site.root / "static" / "brand").symlink_to(shared, target_is_directory=True)
    (shared / "logos" / "loop").symlink_to(site.root / "static", target_is_directory=True)
    result = site.build()
    assert result.code == 0, result.stderr
    assert (site.out / "brand/logos/logo.svg").read_text() == "<svg/>"
    # The link back up the tree is named, not followed for ever.
    assert "static/brand/logos/loop: warning: symlink loops" in result.stderr


@pytest.mark.fast
def test_symlinks_leading_outside_the_site_are_refused(make_site: MakeSite, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("password", encoding="utf-8")
    site = make_site({"articles/a.md": article("A")})
    (site.root / "static").mkdir()
    (site.root / "static" / "passwd").symlink_to(tmp_path / "secret.txt")
    (site.root / "articles" / "elsewhere.md").symlink_to(tmp_path / "secret.txt")
    result = site.build()
    assert result.code == 1
    assert "static/passwd: symlink leads outside the site" in result.stderr
    assert "articles/elsewhere.md: symlink leads outside the site" in result.stderr
    assert not site.out.exists()


@pytest.mark.fast
def test_editor_backup_folders_and_files_are_not_articles(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/live.md": article("Live"),
            "articles/old~/stale.md": article("Stale folder"),
            "articles/live.md~": article("Backup"),
            "articles/.hidden.md": article("Hidden"),
            "articles/#autosave.md#": article("Autosave"),
        }
    )
    assert site.build().code == 0
    assert site.page("").texts(HEADLINES) == ["Live"]


@pytest.mark.fast
def test_a_file_name_that_is_not_utf8_is_named_and_the_rest_builds(make_site: MakeSite) -> None:
    site = make_site({"articles/ok.md": article("Fine")}, SMALL_CONFIG)
    bad = os.fsencode(site.root / "articles") + b"/\xe9\xe8\xea.md"
    Path(os.fsdecode(bad)).write_bytes(b"---\ntitle: X\ndate: 2024-01-01\n---\nx\n")
    warnings = warnings_of(site.build())
    assert [(w.path, w.message) for w in warnings] == [
        ("articles/\\xe9\\xe8\\xea.md", "name is not valid UTF-8; rename it; not published")
    ]
    assert (site.out / "2024/05/01/ok/index.html").is_file()


def test_a_non_ascii_file_name_builds_in_the_posix_locale(make_site: MakeSite) -> None:
    site = make_site({"articles/новости.md": article("Новости")}, SMALL_CONFIG)
    env = {**os.environ, "LC_ALL": "POSIX", "LANG": "", "PYTHONUTF8": ""}
    done = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", str(site.root)],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert (site.out / "2024/05/01/новости/index.html").is_file()


@pytest.mark.fast
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
    site = make_site(files, SMALL_CONFIG)
    warnings = warnings_of(site.build())
    assert sorted(w.path for w in warnings) == [
        "articles/a/b/index.md",
        "articles/blog/2019/2019-01-01-post.md",
    ]
    assert all("inside the page bundle" in w.message for w in warnings)
    published = {p.name for p in site.out.rglob("*") if p.is_file()}
    assert "notes.txt" in published
    assert not {"2019-01-01-post.md", "index.md"} & published


@pytest.mark.fast
def test_an_articles_folder_that_is_a_symlink_out_of_the_site_is_refused(
    make_site: MakeSite, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "b").mkdir(parents=True)
    (elsewhere / "b" / "index.md").write_text(article("B"), encoding="utf-8")
    (elsewhere / "b" / "id_rsa").write_text("private key", encoding="utf-8")
    site = make_site(None, SMALL_CONFIG)
    (site.root / "articles").rmdir()
    (site.root / "articles").symlink_to(elsewhere)
    [error] = errors_of(site.build())
    assert (error.path, error.message) == (
        "articles",
        "symlink leads outside the site; it is not followed",
    )
    assert not site.out.exists()


@pytest.mark.fast
@pytest.mark.parametrize("folder", ["static", "articles"])
def test_a_fifo_is_named_and_never_waited_on(make_site: MakeSite, folder: str) -> None:
    """Opening a FIFO blocks until a writer comes: a build once hung on one for ever."""
    site = make_site({"articles/a.md": article("A")}, SMALL_CONFIG)
    (site.root / folder).mkdir(exist_ok=True)
    os.mkfifo(site.root / folder / "pipe")
    result = run_newsgen("build", site.root, timeout=60)
    [warning] = warnings_of(result)
    assert (warning.path, warning.line) == (f"{folder}/pipe", None)
    assert "not a regular file" in warning.message
    assert not (site.out / folder / "pipe").exists() and not (site.out / "pipe").exists()
