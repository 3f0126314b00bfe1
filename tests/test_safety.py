"""Nothing lost, nothing written outside build/: atomic builds, path escapes, output-dir guards,
and output paths two things claim (an error, never a silent replacement)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import HEADLINES, MakeSite, Page, SiteDir, article, diagnostics, run_newsgen
from helpers import SMALL_CONFIG, errors_of

CONFIG = 'title: "Test Site"\nbase_url: "https://example.org/"\n'


def newsgen_own(path: Path, site: SiteDir) -> bool:
    """build/, the standby tree and lock beside it, and the cache: all newsgen may write."""
    out = site.out
    own = (out, out.parent / f".{out.name}.next", out.parent / f".{out.name}.lock")
    return any(path.is_relative_to(p) for p in (*own, site.root / ".newsgen-cache"))


def tree_outside_build(root: Path, site: SiteDir) -> dict[str, bytes | None]:
    """Every file (with its bytes) and directory (None) under root, except what newsgen owns."""
    return {
        p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
        if not newsgen_own(p, site)
    }


def listing(folder: Path) -> list[str]:
    """Names in FOLDER, without newsgen's own hidden ones (standby tree, lock, cache)."""
    hidden = re.compile(r"^\.(newsgen-cache|[^.]+\.(next|lock))$")
    return sorted(p.name for p in folder.iterdir() if not hidden.match(p.name))


def good_site(make_site: MakeSite) -> SiteDir:
    site = make_site(
        {
            "articles/one.md": article("One", tags="[news]"),
            "articles/two.md": article("Two", date="2024-05-02 09:00"),
        }
    )
    result = site.build()
    assert result.code == 0, result.stderr
    return site


@pytest.mark.parametrize(
    ("rel", "broken"),
    [
        ("articles/one.md", "---\ntitle: [unclosed\ndate: 2024-05-01\n---\nBody\n"),
        ("articles/three.md", article("Three", date="2025-13-45")),
        ("templates/article.html", "<h1>{{ article.title }}</h1>\n{% if %}\n"),
        ("templates/index.html", "{{ articles.missing.attr }}\n"),
        ("newsgen.yaml", CONFIG + 'per_page: "ten"\n'),
        ("newsgen.yaml", CONFIG + "no_such_key: 1\n"),
    ],
    ids=["yaml", "date", "template-syntax", "template-runtime", "config-type", "config-key"],
)
def test_failed_build_leaves_previous_output_byte_for_byte(
    make_site: MakeSite, rel: str, broken: str
) -> None:
    site = good_site(make_site)
    before = site.snapshot()
    assert "index.html" in before
    site.write(rel, broken)
    result = site.build()
    assert result.code == 1, result.stderr
    assert site.snapshot() == before


@pytest.mark.fast
def test_failed_build_leaves_no_staging_directory(make_site: MakeSite) -> None:
    site = good_site(make_site)
    site.write("articles/bad.md", article(title="[a]"))
    assert site.build().code == 1
    assert listing(site.root) == ["articles", "build", "newsgen.yaml"]


def test_repeated_successful_builds_leave_no_staging_or_old_directory(
    make_site: MakeSite,
) -> None:
    site = good_site(make_site)
    site.write("articles/three.md", article("Three", date="2024-05-03"))
    result = site.build()
    assert result.code == 0, result.stderr
    assert listing(site.root) == ["articles", "build", "newsgen.yaml"]
    assert "2024/05/03/three/index.html" in site.snapshot()


def test_output_elsewhere_is_staged_beside_it_and_nothing_is_left(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site({"articles/a.md": article()})
    for _ in range(2):
        result = run_newsgen("build", site.root, "-o", tmp_path / "public")
        assert result.code == 0, result.stderr
    assert listing(tmp_path) == ["public", "site"]
    assert (tmp_path / "public/2024/05/01/a/index.html").is_file()


def test_failure_while_publishing_keeps_output_and_leaves_no_staging(
    make_site: MakeSite,
) -> None:
    site = good_site(make_site)
    before = site.snapshot()
    (site.root / "static").mkdir()
    try:
        os.symlink(site.root / "static/missing-target.css", site.root / "static/broken.css")
    except OSError:
        pytest.skip("symlinks are not available here")
    result = site.build()
    assert result.code != 0
    assert "Traceback" not in result.stderr
    assert site.snapshot() == before
    names = listing(site.root)
    assert names == ["articles", "build", "newsgen.yaml", "static"]


@pytest.mark.fast
def test_dotdot_slug_is_refused_and_nothing_is_written_outside(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = good_site(make_site)
    # From build/2024/05/01/ this would climb to tmp_path itself.
    site.write("articles/evil.md", article("Evil", slug='"../../../../../evil"'))
    before = tree_outside_build(tmp_path, site)
    output = site.snapshot()
    result = site.build()
    assert result.code == 1, result.stderr
    assert result.stderr.splitlines()[0].startswith("articles/evil.md:4: ")
    assert tree_outside_build(tmp_path, site) == before
    assert site.snapshot() == output


def test_dotdot_permalink_is_refused_and_nothing_is_written_outside(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = good_site(make_site)
    site.write("newsgen.yaml", CONFIG + 'permalink: "/../../{slug}/"\n')
    before = tree_outside_build(tmp_path, site)
    output = site.snapshot()
    result = site.build()
    assert result.code == 1, result.stderr
    assert result.stderr.splitlines()[0].startswith("newsgen.yaml:3: ")
    assert tree_outside_build(tmp_path, site) == before
    assert site.snapshot() == output


@pytest.mark.fast
def test_dotdot_tag_builds_inside_build_tags(make_site: MakeSite, tmp_path: Path) -> None:
    tags = ["../../evil", "../../../../x/../evil"]
    site = make_site({"articles/a.md": article("Tagged", tags=f'["{tags[0]}", "{tags[1]}"]')})
    before = tree_outside_build(tmp_path, site)
    result = site.build()
    assert result.code == 0, result.stderr
    assert tree_outside_build(tmp_path, site) == before

    index = site.page("tags/")
    links = index.all("//ul[@class='tag-index']//a")
    assert sorted(a.text for a in links) == sorted(tags)
    tags_dir = (site.out / "tags").resolve()
    for link in links:
        page_file = (site.out / link.get("href").lstrip("/") / "index.html").resolve()
        assert page_file.is_relative_to(tags_dir), link.get("href")
        page = Page.parse(page_file.read_bytes())
        assert page.text("//h1") == f"Topic {link.text}"
    for path in site.out.rglob("*"):
        assert path.resolve().is_relative_to(site.out.resolve())


@pytest.mark.parametrize("target", ["site", "site/articles", "site/articles/out", "."])
def test_output_dir_that_holds_or_is_inside_the_sources_is_refused(
    make_site: MakeSite, tmp_path: Path, target: str
) -> None:
    site = good_site(make_site)
    site.write("templates/article.html", '{% extends "!theme/article.html" %}\n')
    site.write("static/extra.css", "body { color: red }\n")
    before = {
        p.relative_to(tmp_path).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(tmp_path.rglob("*"))
    }
    result = run_newsgen("build", site.root, "-o", tmp_path / target)
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    after = {
        p.relative_to(tmp_path).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(tmp_path.rglob("*"))
    }
    assert after == before


@pytest.mark.parametrize("source", ["templates", "static"])
def test_output_dir_equal_to_templates_or_static_is_refused(
    make_site: MakeSite, source: str
) -> None:
    site = make_site({"articles/a.md": article(), f"{source}/keep.txt": "keep\n"})
    result = run_newsgen("build", site.root, "-o", site.root / source)
    assert result.code == 2, result.stderr
    assert [p.name for p in (site.root / source).iterdir()] == ["keep.txt"]


def test_output_that_is_a_foreign_non_empty_folder_is_refused(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = good_site(make_site)
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    (foreign / "chapter1.txt").write_text("years of work", encoding="utf-8")
    result = run_newsgen("build", site.root, "-o", foreign)
    assert result.code == 2
    assert "not a newsgen build" in result.stderr
    assert [p.name for p in foreign.iterdir()] == ["chapter1.txt"]
    # A previous newsgen build there is fine to replace.
    assert run_newsgen("build", site.root, "-o", tmp_path / "public").code == 0
    assert run_newsgen("build", site.root, "-o", tmp_path / "public").code == 0


@pytest.mark.fast
def test_output_that_is_a_file_is_refused(make_site: MakeSite, tmp_path: Path) -> None:
    site = good_site(make_site)
    target = tmp_path / "afile"
    target.write_text("keep", encoding="utf-8")
    result = run_newsgen("build", site.root, "-o", target)
    assert result.code == 2
    assert target.read_text(encoding="utf-8") == "keep"
    assert listing(tmp_path) == ["afile", "site"]


def test_output_is_readable_by_a_web_server(make_site: MakeSite) -> None:
    site = good_site(make_site)
    old = os.umask(0o022)
    os.umask(old)
    expected = 0o777 & ~old
    assert site.out.stat().st_mode & 0o777 == expected
    for path in site.out.rglob("*"):
        want = expected if path.is_dir() else 0o666 & ~old
        assert path.stat().st_mode & 0o777 == want, path


def test_symlinked_output_is_replaced_where_it_points(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"articles/one.md": article("One")})
    www = tmp_path / "www"
    site.out.symlink_to(www, target_is_directory=True)
    assert site.build().code == 0
    assert site.out.is_symlink()
    assert (www / "404.html").is_file()
    site.write("articles/two.md", article("Two", date="2024-06-01"))
    assert site.build().code == 0
    assert site.out.is_symlink()
    assert Page.parse((www / "index.html").read_bytes()).texts(HEADLINES) == ["Two", "One"]
    assert listing(tmp_path) == ["site", "www"]


@pytest.mark.parametrize("name", ["x" * 400, "新聞" * 60])
def test_very_long_tags_and_file_names_still_build(make_site: MakeSite, name: str) -> None:
    site = make_site(
        {
            "articles/long.md": article("Long", tags=f'["{name}"]'),
            f"articles/2024-05-01-{name[:80]}.md": article("Named"),
        }
    )
    result = site.build()
    assert result.code == 0, result.stderr
    href = site.page("tags/").attrs("//main//a", "href")[0]
    assert len(href.encode()) < 255 * 3
    assert site.page(unquote(href).lstrip("/")).text("//h1").endswith(name)


@pytest.mark.fast
def test_a_static_file_never_silently_replaces_a_page(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("Static news", slug="static"),
            # static/ is published at the root: this file is /static/index.html, the page's.
            "static/static/index.html": "<p>a file of the site's static folder</p>",
            "static/theme/style.css": "body { color: red }",  # replacing it is the point
        },
        config='base_url: "https://example.org/"\npermalink: "/{slug}/"\n',
    )
    result = site.build()
    assert result.code == 1
    assert "static/static/index.html" in result.stderr
    assert "articles/a.md" in result.stderr
    assert not site.out.exists()


# --- collisions: nothing silently replaced -------------------------------------------------


def test_bundle_asset_on_a_page_path_is_a_collision(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a/index.md": article("A", slug="a"),
            "articles/a/index.html": "<p>an asset named like the page</p>",
        }
    )
    result = site.build()
    assert result.code == 1
    assert "articles/a/index.html" in result.stderr


@pytest.mark.fast
def test_every_output_conflict_is_named_in_one_run(make_site: MakeSite) -> None:
    """A file where another page needs a folder, and names longer than file systems allow:
    all of them at once, none written, instead of the first one the disk refuses."""
    long = "x" * 300
    site = make_site(
        {
            "articles/a.md": article("A", url="/news.html"),
            "articles/b.md": article("B", url="/news.html/b/"),
            "articles/c.md": article("C", url="/c.html"),
            "articles/d.md": article("D", url="/c.html/d.html"),
            "articles/e.md": article("E", slug=long),
        }
    )
    result = site.build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    found = sorted((e.path, e.message.split(",")[0][:40]) for e in errors)
    assert [path for path, _ in found] == ["articles/b.md", "articles/d.md", "articles/e.md"]
    assert not site.out.exists()


@pytest.mark.fast
@pytest.mark.parametrize(
    ("meta", "message"),
    [
        # Served without a suffix where Hugo wrote it, and there is the theme's file.
        ("url: /theme/style.css", "has the same URL /theme/style.css as newsgen theme"),
        # Jekyll's permalink: /tags is tags.html, beside the tag index's folder tags/.
        ("permalink: /tags", "has the same URL /tags as the tag index, at /tags/"),
        ("aliases: [/robots.txt]", "needs a folder at /robots.txt, where newsgen writes a file"),
        ("aliases: [/feed.xml/old/]", "needs a folder at /feed.xml, where "),
    ],
)
def test_a_page_where_a_file_is_written_is_an_error_not_a_deletion(
    make_site: MakeSite, meta: str, message: str
) -> None:
    key, _, value = meta.partition(": ")
    site = make_site({"articles/a.md": article("A", **{key: value})}, SMALL_CONFIG)
    [error] = errors_of(site.build())
    assert error.path == "articles/a.md"
    assert error.message.startswith(message), error.message
