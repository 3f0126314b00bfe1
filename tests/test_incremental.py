"""Rebuilds do only what changed, and are byte-identical to a clean build of the same sources.

Also: unchanged output files keep their inode and mtime, a broken cache never gives a wrong
site, two builds of one output at once both end well, and a build killed at any step of
publishing leaves a whole site.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeSite, SiteDir, article, run_newsgen, warnings_of

from newsgen.build import Builder
from newsgen.errors import BuildFailed
from newsgen.incremental import RACY_SECONDS, Incremental

CONFIG = 'title: "Test Site"\nbase_url: "https://example.org/"\nper_page: 3\nsearch: false\n'
TAGS = ["Harbour", "Council", "Ferries", "Weather", "Schools"]
AUTHORS = ["Ruth Penhallow", "Ade Okafor", "Jo Trelawny"]


def clean_build(site: SiteDir, tmp_path: Path) -> dict[str, bytes]:
    """The output of a build of a copy of SITE with no cache and no earlier output."""
    copy = tmp_path / f"clean-{time.monotonic_ns()}"
    shutil.copytree(
        site.root, copy, ignore=shutil.ignore_patterns("build", ".build.*", ".newsgen-cache")
    )
    result = run_newsgen("build", copy)
    assert result.code == 0, result.stderr
    clean = SiteDir(copy).snapshot()
    shutil.rmtree(copy)
    return clean


def inodes(site: SiteDir) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(site.out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in site.out.rglob("*")
        if p.is_file()
    }


def news_article(rng: random.Random, n: int) -> str:
    tags = rng.sample(TAGS, rng.randint(1, 3))
    return article(
        f'"Story {n}"',
        f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:00",
        f"Paragraph {n} about {tags[0]}.\n\nMore text {rng.random():.6f}.",
        tags="[" + ", ".join(tags) + "]",
        author=f'"{rng.choice(AUTHORS)}"',
    )


EDITS = ["body", "title", "tags", "date", "author", "delete", "add", "template", "config", "touch"]


def edit(site: SiteDir, rng: random.Random, step: int, kind: str, folder: str = "articles") -> None:
    """One editor's action of KIND on a random article of SITE (in FOLDER)."""
    files = sorted(p for p in (site.root / folder).glob("*.md") if p.name.startswith("story"))
    target = rng.choice(files)
    text = target.read_text()
    if kind == "body":
        target.write_text(text + f"\nAn added paragraph {step}.\n")
    elif kind == "title":
        target.write_text(text.replace("title: ", f'title: "Retitled {step}" #', 1))
    elif kind == "tags":
        target.write_text(text.replace("tags: [", f"tags: [Extra{step % 3}, ", 1))
    elif kind == "date":
        lines = [
            f"date: 2023-0{step % 9 + 1}-15 08:00" if ln.startswith("date:") else ln
            for ln in text.splitlines()
        ]
        target.write_text("\n".join(lines) + "\n")
    elif kind == "author":
        target.write_text(text.replace("author: ", f'author: "Guest {step}" #', 1))
    elif kind == "delete" and len(files) > 3:
        target.unlink()
    elif kind in ("add", "delete"):
        site.write(f"{folder}/story-new-{step}.md", news_article(rng, 100 + step))
    elif kind == "template":
        site.write(
            "templates/article.html",
            '{% extends "!theme/article.html" %}\n{% block head %}{{ super() }}'
            f'<meta name="v" content="{step}">{{% endblock %}}\n',
        )
    elif kind == "config":
        site.write("newsgen.yaml", CONFIG.replace("per_page: 3", f"per_page: {step % 4 + 2}"))
    else:
        os.utime(target)


def test_every_incremental_build_equals_a_clean_build(make_site: MakeSite, tmp_path: Path) -> None:
    rng = random.Random(20261128)
    files = {f"articles/story-{n}.md": news_article(rng, n) for n in range(12)}
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    # Every kind of edit once, in a random order, then more at random.
    kinds = rng.sample(EDITS, len(EDITS)) + [rng.choice(EDITS) for _ in range(6)]
    for step, kind in enumerate(kinds):
        edit(site, rng, step, kind)
        result = site.build()
        assert result.code == 0, result.stderr
        assert site.snapshot() == clean_build(site, tmp_path), f"after {kinds[: step + 1]}"


def test_section_urls_and_permalinks_rebuild_as_a_clean_build(
    make_site: MakeSite, tmp_path: Path
) -> None:
    # An `_index` file's url and permalink, and newsgen.yaml's permalinks, move pages and
    # articles: the articles the cache recalls, and every page that links to them, follow.
    site = make_site(
        {
            "articles/blog/a.md": news_article(random.Random(1), 1),
            "articles/blog/b.md": news_article(random.Random(2), 2),
            "articles/blog/_index.md": '---\ntitle: "Blog"\n---\n',
            "articles/sport/c.md": news_article(random.Random(3), 3),
        },
        CONFIG,
    )
    assert site.build().code == 0
    blog = "articles/blog/_index.md"
    steps = [
        (blog, '---\ntitle: "Blog"\nurl: /blogue/\naliases: [/old/]\n---\n'),
        (blog, '---\ntitle: "Blog"\nurl: /blogue/\npermalink: "/{section}/{slug}/"\n---\n'),
        (blog, '---\ntitle: "Blog"\npermalink: "/{path}/x/"\n---\n'),
        ("newsgen.yaml", CONFIG + 'permalinks: {sport: "/s/{year}/{slug}/"}\n'),
        (blog, '---\ntitle: "Blog"\n---\n'),
        ("newsgen.yaml", CONFIG),
    ]
    for rel, text in steps:
        site.write(rel, text)
        result = site.build()
        assert result.code == 0, result.stderr
        assert site.snapshot() == clean_build(site, tmp_path), text


def test_a_builder_that_builds_again_trusts_nothing_that_changed_beside_it(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """serve's builder keeps the output manifests and fingerprint parts between builds; other
    builds of the same output and hands on the output in between must not make it keep a
    file that changed."""
    rng = random.Random(20261206)
    site = make_site({f"articles/story-{n}.md": news_article(rng, n) for n in range(12)}, CONFIG)
    kept = Builder(site.root, keep=True, workers=1)
    kept.build()
    try:
        for step, kind in enumerate(["body", "add", "template", "delete", "title", "touch"]):
            edit(site, rng, step, kind)
            if step % 3 == 0:
                assert site.build().code == 0  # another process builds in between
            elif step % 3 == 1:
                (site.out / "index.html").write_text("defaced")
                (site.out / "tags" / "stray.html").write_text("not ours")
            kept.build()
            assert site.snapshot() == clean_build(site, tmp_path), f"after {kind}"
    finally:
        kept.close()


KEPT_CONFIG = (
    CONFIG + "related: 2\nlanguage: en\nlanguages: {en: {name: English}, ja: {name: 日本語}}\n"
)
KEPT_EDITS = [
    *("body", "summary", "body", "ref", "body", "title", "body", "tags", "body", "translation"),
    *("section", "body", "page", "body", "date", "body", "add", "body", "delete", "body"),
    *("template", "body", "config", "body", "touch", "body", "author", "body", "unref", "body"),
    *("draft", "body", "draft-body", "body", "undraft", "body", "term", "body"),
    *("correction", "body", "correction"),
]


TERM = '---\ntitle: "Harbour"\ndescription: "{}"\n---\n'
"""Hugo's page of the term Harbour (its tag page's title and description)."""


def kept_edit(site: SiteDir, rng: random.Random, step: int, kind: str) -> None:
    """One editor's action of KIND on SITE (sections, pages, translations and links by
    name besides `edit`'s)."""
    stories = sorted((site.root / "articles/news").glob("story-*.md"))
    target = rng.choice([p for p in stories if ".ja." not in p.name])
    text = target.read_text()
    if kind == "summary":
        target.write_text(text.replace("title: ", f'summary: "Summed up {step}"\ntitle: ', 1))
    elif kind == "ref":
        target.write_text(text + '\nSee [the other]({{< ref "news/story-1.md" >}}).\n')
    elif kind == "unref":
        for story in stories:
            story.write_text(story.read_text().replace("{{< ref", "{{< nothing", 1))
    elif kind == "translation":
        story = site.root / "articles/news/story-0.ja.md"
        text = story.read_text() if story.exists() else article('"記事"', "2024-03-03 09:00")
        story.write_text(text + f"\n段落 {step}。\n")
    elif kind == "draft":
        target.write_text(text.replace("---\n", "---\ndraft: true\n", 1))
    elif kind == "draft-body":
        for story in stories:
            if "draft: true" in story.read_text():
                story.write_text(story.read_text() + f"\nA draft's paragraph {step}.\n")
    elif kind == "undraft":
        for story in stories:
            story.write_text(story.read_text().replace("draft: true\n", ""))
    elif kind == "term":
        site.write("articles/tags/harbour/_index.md", TERM.format(f"Harbour news {step}"))
    elif kind == "correction":
        fixed = f"corrections: [{{date: 2025-01-{step % 28 + 1:02d}, text: Fixed {step}.}}]"
        target.write_text(text.replace("---\n", f"---\n{fixed}\n", 1))
    elif kind == "section":
        site.write("articles/news/_index.md", f'---\ntitle: "News {step}"\n---\nAll the news.\n')
    elif kind == "page":
        site.write("pages/about.md", f'---\ntitle: "About"\nmenu: true\n---\nUs, {step}.\n')
    else:
        edit(site, rng, step, kind, "articles/news")


def test_a_kept_site_follows_every_edit_as_a_clean_build_does(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """serve's builder keeps its assembled site and routes, and swaps an edited body into
    them; after any edit (bodies, front matter, sections, pages, translations, links by
    name, templates, settings) the output is what a clean build makes."""
    rng = random.Random(20261207)
    files = {f"articles/news/story-{n}.md": news_article(rng, n) for n in range(12)}
    files["articles/news/story-0.ja.md"] = article('"記事"', "2024-03-03 09:00", "本文。")
    files["articles/news/_index.md"] = '---\ntitle: "News"\n---\n'
    files["pages/about.md"] = '---\ntitle: "About"\nmenu: true\n---\nUs.\n'
    files["articles/tags/harbour/_index.md"] = TERM.format("Harbour news")
    site = make_site(files, KEPT_CONFIG)
    kept = Builder(site.root, keep=True, workers=1)
    try:
        kept.build()
        kept.warm()
        for step, kind in enumerate(KEPT_EDITS):
            kept_edit(site, rng, step, kind)
            kept.build()
            assert site.snapshot() == clean_build(site, tmp_path), f"after {KEPT_EDITS[: step + 1]}"
    finally:
        kept.close()


def test_a_kept_discovery_sees_files_come_go_and_change(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """serve's builder keeps what discovery found while only sources changed: a static file
    added or removed, a bundle's asset that becomes an article and a source that becomes a
    symlink out of the site are each found, as a clean build finds them."""
    site = make_site(
        {
            "articles/a.md": article("A"),
            "articles/trip/index.md": article("Trip", "2024-05-02"),
            "articles/trip/notes.md": "Plain notes.\n",
            "static/site.css": "body {}\n",
        }
    )
    kept = Builder(site.root, keep=True, workers=1)

    def warned() -> list[str]:
        return sorted(str(w) for w in kept.build().warnings)

    try:
        assert warned() == []
        steps = [
            lambda: site.write("static/extra.txt", "more\n"),
            lambda: site.write("articles/a.md", article("A", body="Edited.")),
            lambda: site.write("articles/trip/notes.md", article("Notes")),
            lambda: (site.root / "static/extra.txt").unlink(),
            lambda: site.write("articles/a.md", article("A", body="Edited again.")),
            lambda: site.write("articles/trip/notes.md", "Plain again.\n"),
        ]
        for step, change in enumerate(steps):
            time.sleep(0.01)
            change()
            found = warned()
            assert site.snapshot() == clean_build(site, tmp_path), f"after step {step}"
            if step in (2, 3, 4):
                assert len(found) == 1 and "notes.md" in found[0], found
            else:
                assert found == [], found
        outside = tmp_path / "outside.md"
        outside.write_text(article("B", body="Linked."))
        (site.root / "articles/a.md").unlink()
        (site.root / "articles/a.md").symlink_to(outside)
        with pytest.raises(BuildFailed) as failed:
            kept.build()
        assert any("leads outside the site" in str(e) for e in failed.value.errors)
    finally:
        kept.close()


def test_a_kept_discovery_sees_a_whole_folder_become_a_symlink(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """static/ swapped for a symlink to a copy elsewhere holds the same names: the kept
    builder still finds that it leads outside the site, as a clean build does."""
    site = make_site({"articles/a.md": article("A"), "static/x.txt": "public\n"})
    kept = Builder(site.root, keep=True, workers=1)
    try:
        kept.build()
        elsewhere = tmp_path / "elsewhere"
        shutil.copytree(site.root / "static", elsewhere)
        (elsewhere / "x.txt").write_text("PRIVATE\n")
        shutil.rmtree(site.root / "static")
        (site.root / "static").symlink_to(elsewhere, target_is_directory=True)
        with pytest.raises(BuildFailed) as failed:
            kept.build()
        assert any("leads outside the site" in str(e) for e in failed.value.errors)
        assert (site.out / "x.txt").read_text() == "public\n"
    finally:
        kept.close()


def test_a_kept_builder_stopped_while_loading_looks_at_the_sources_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve's builder recalls what it knows of a source whose stat is as its last build
    saw it; a build that stopped before it knew every source (an internal error) must not
    leave it trusting what it knew before that build."""
    site = make_site({f"articles/{name}.md": article(name.upper()) for name in "abc"})
    kept = Builder(site.root, keep=True, workers=1)
    try:
        kept.build()
        kept.build()  # the discovery is kept from here on
        site.write("articles/b.md", article("B", body="Edited."))
        settle = Incremental.settle

        def stopped(self: Incremental, found: Any) -> Any:
            raise RuntimeError("stopped")

        monkeypatch.setattr(Incremental, "settle", stopped)
        with pytest.raises(RuntimeError):
            kept.build()
        monkeypatch.setattr(Incremental, "settle", settle)
        time.sleep(RACY_SECONDS + 0.2)  # the edit is old enough to be trusted by its stat
        kept.build()
        assert site.snapshot() == clean_build(site, tmp_path)
    finally:
        kept.close()


def test_a_body_edit_is_swapped_into_the_kept_site(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site is assembled again only when more than bodies changed."""
    import newsgen.site

    rng = random.Random(7)
    site = make_site({f"articles/story-{n}.md": news_article(rng, n) for n in range(8)}, CONFIG)
    assembled: list[int] = []
    real = newsgen.site.assemble

    def counted(*args: object, **kwargs: object) -> object:
        assembled.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(newsgen.site, "assemble", counted)
    kept = Builder(site.root, keep=True, workers=1)
    try:
        kept.build()
        story = site.root / "articles/story-3.md"
        for step in range(3):
            story.write_text(story.read_text() + f"\nOne more paragraph {step}.\n")
            kept.build()
        assert len(assembled) == 1
        story.write_text(story.read_text().replace("title: ", 'title: "Retitled" #', 1))
        kept.build()
        assert len(assembled) == 2
    finally:
        kept.close()


@pytest.mark.fast
def test_a_correction_rebuilds_its_page_the_corrections_page_and_the_feeds(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """Added, edited, then kept while another article changes (recalled from the cache's
    record): each build shows the correction everywhere, as a clean build does."""
    import feedparser

    site = make_site(
        {
            "articles/bridge.md": article("Bridge", "2025-03-01 09:00", "Opened."),
            "articles/ferry.md": article("Ferry", "2025-03-02 09:00", "Late."),
        },
        CONFIG,
    )
    site.build_here()
    assert not (site.out / "corrections").exists()
    for day, text in (("03", "The cost was £3m."), ("05", "The cost was £4m.")):
        fixed = f"[{{date: 2025-03-{day}, text: {text}}}]"
        site.write("articles/bridge.md", article("Bridge", "2025-03-01 09:00", corrections=fixed))
        site.build_here()
        assert text in site.page("2025/03/01/bridge/").text("//*[@class='correction']")
        assert text in "".join(site.page("corrections/").texts("//main//*"))
        when = f"2025-03-{day}T00:00:00+00:00"
        (entry,) = feedparser.parse(site.out / "corrections/atom.xml").entries
        assert text in entry.content[0].value and entry.updated == when
        home = {e.title: e.updated for e in feedparser.parse(site.out / "atom.xml").entries}
        assert home["Bridge"] == when
        assert f"<lastmod>{when}</lastmod>" in (site.out / "sitemap.xml").read_text()
        assert site.snapshot() == clean_build(site, tmp_path)
    site.write("articles/ferry.md", article("Ferry", "2025-03-02 09:00", "Very late."))
    site.build_here()
    assert site.snapshot() == clean_build(site, tmp_path)


def test_unchanged_files_keep_inode_and_mtime(make_site: MakeSite) -> None:
    rng = random.Random(7)
    site = make_site({f"articles/story-{n}.md": news_article(rng, n) for n in range(8)}, CONFIG)
    first = site.build()
    assert first.code == 0
    before = inodes(site)
    assert f": {len(before)} files written, 0 unchanged, 0 removed" in first.stdout, first.stdout
    again = site.build()
    assert f": 0 files written, {len(before)} unchanged, 0 removed" in again.stdout, again.stdout
    assert inodes(site) == before

    story = site.root / "articles/story-3.md"
    story.write_text(story.read_text() + "\nOne more paragraph.\n")
    edited = site.build()
    after = inodes(site)
    changed = sorted(rel for rel in before if after.get(rel) != before[rel])
    (page,) = [rel for rel in changed if rel.endswith("/story-3/index.html")]
    # The article, its neighbours, the listings and feeds that show it; nothing else.
    assert page in changed
    assert len(changed) < len(before) // 2, changed
    assert (
        f": {len(changed)} files written, {len(before) - len(changed)} unchanged" in edited.stdout
    )
    assert sorted(after) == sorted(before)


@pytest.mark.fast
def test_a_page_made_again_with_the_same_bytes_keeps_its_inode_and_mtime(
    make_site: MakeSite,
) -> None:
    """A paragraph added at a story's end changes the inputs of every listing that shows it
    (they include the article), but not what a listing shows (its summary): those pages are
    made again and kept, so a deploy tool comparing times or inodes skips them."""
    rng = random.Random(7)
    site = make_site({f"articles/story-{n}.md": news_article(rng, n) for n in range(8)}, CONFIG)
    assert site.build().code == 0
    before, bytes_before = inodes(site), site.snapshot()
    story = site.root / "articles/story-3.md"
    story.write_text(story.read_text() + "\nOne more paragraph, far below the summary.\n")
    edited = site.build()
    after, bytes_after = inodes(site), site.snapshot()
    assert sorted(after) == sorted(before)
    differ = sorted(rel for rel in before if bytes_after[rel] != bytes_before[rel])
    assert any(rel.endswith("/story-3/index.html") for rel in differ)
    listings = [rel for rel, data in bytes_before.items() if b"Story 3<" in data]
    assert set(listings) - set(differ), listings  # pages that list the story, unchanged
    moved = sorted(rel for rel in before if after[rel] != before[rel])
    assert moved == differ
    assert f": {len(differ)} files written, {len(before) - len(differ)} unchanged" in (
        edited.stdout
    )


@pytest.mark.fast
def test_a_build_without_its_cache_keeps_every_file_whose_bytes_did_not_change(
    make_site: MakeSite,
) -> None:
    """A newsgen upgrade drops the cache: the files it would make the same are compared with
    the live ones byte for byte, and kept, so a deploy after an upgrade uploads nothing."""
    rng = random.Random(3)
    site = make_site({f"articles/story-{n}.md": news_article(rng, n) for n in range(5)}, CONFIG)
    assert site.build().code == 0
    before = inodes(site)
    shutil.rmtree(site.root / ".newsgen-cache")
    again = site.build()
    assert f": 0 files written, {len(before)} unchanged" in again.stdout, again.stdout
    assert inodes(site) == before


def test_a_corrupt_cache_is_survived_with_a_warning(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"articles/a.md": article("A"), "articles/b.md": article("B", "2024-05-02")})
    assert site.build().code == 0
    cache = site.root / ".newsgen-cache/cache.sqlite"
    for extra in ("-wal", "-shm"):
        cache.with_name(cache.name + extra).unlink(missing_ok=True)
    cache.write_bytes(b"this is not a database" * 100)
    site.write("articles/b.md", article("B changed", "2024-05-02"))
    (warning,) = warnings_of(site.build())
    assert warning.path == ".newsgen-cache/cache.sqlite"
    assert "rebuilt" in warning.message
    assert site.snapshot() == clean_build(site, tmp_path)
    assert warnings_of(site.build()) == []


def test_a_cache_from_another_newsgen_is_ignored(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"articles/a.md": article("A")})
    assert site.build().code == 0
    with sqlite3.connect(site.root / ".newsgen-cache/cache.sqlite") as db:
        db.execute("UPDATE meta SET value = 'another version' WHERE key = 'code'")
        db.execute("UPDATE sources SET record = replace(record, '\"A\"', '\"Wrong\"')")
    (warning,) = warnings_of(site.build())
    assert "another newsgen version" in warning.message
    assert site.page("2024/05/01/a/").text("//h1") == "A"


def test_tampered_output_is_repaired(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"articles/a.md": article("A"), "articles/b.md": article("B", "2024-05-02")})
    for _ in range(2):  # both trees exist
        assert site.build().code == 0
    (site.out / "index.html").write_text("defaced")
    (site.out / "extra.html").write_text("not ours")
    (site.out / "tags/index.html").unlink()
    for _ in range(2):  # through both trees again
        assert site.build().code == 0
        assert site.snapshot() == clean_build(site, tmp_path)


def test_parallel_and_serial_builds_are_identical(make_site: MakeSite, tmp_path: Path) -> None:
    rng = random.Random(3)
    site = make_site({f"articles/s-{n}.md": news_article(rng, n) for n in range(90)}, CONFIG)
    Builder(site.root, workers=2).build()
    parallel = site.snapshot()
    serial_out = tmp_path / "serial"
    Builder(site.root, serial_out, workers=1).build()
    assert SiteDir(site.root).snapshot() == parallel
    assert {
        p.relative_to(serial_out).as_posix(): p.read_bytes()
        for p in sorted(serial_out.rglob("*"))
        if p.is_file()
    } == parallel


def test_two_builds_of_one_output_at_once(make_site: MakeSite, tmp_path: Path) -> None:
    """Two builds of one output started together both succeed, and leave what a clean build
    makes. 150 articles keep the rendering in the process pool; at the default 20 a page
    (not CONFIG's 3) their listings are some 60 pages where they were 310."""
    rng = random.Random(11)
    config = CONFIG.replace("per_page: 3\n", "")
    site = make_site({f"articles/s-{n}.md": news_article(rng, n) for n in range(150)}, config)
    command = [sys.executable, "-m", "newsgen", "build", str(site.root)]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.05)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outs = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outs
    assert site.snapshot() == clean_build(site, tmp_path)


@pytest.mark.parametrize(
    "step", ["after-write", "before-exchange", "after-exchange", "after-manifest"]
)
def test_a_build_killed_at_any_step_leaves_a_whole_site(
    make_site: MakeSite, tmp_path: Path, step: str
) -> None:
    rng = random.Random(5)
    site = make_site({f"articles/s-{n}.md": news_article(rng, n) for n in range(6)}, CONFIG)
    for _ in range(2):
        assert site.build().code == 0
    old = site.snapshot()
    site.write("articles/s-2.md", news_article(rng, 99))
    new = clean_build(site, tmp_path)
    killed = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", str(site.root)],
        env={**os.environ, "NEWSGEN_FAULT": step},
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGKILL
    assert site.snapshot() in (old, new)  # never missing, never half-written
    assert site.build().code == 0
    assert site.snapshot() == new


def test_progress_shows_on_a_terminal_only(make_site: MakeSite) -> None:
    """Progress shows from 500 items to read or render. 520 articles pass that in both
    stages; at the default 20 a page (not CONFIG's 3) their listings add some 170 pages to
    render, not 1,060."""
    import pty

    rng = random.Random(13)
    config = CONFIG.replace("per_page: 3\n", "")
    site = make_site({f"articles/s-{n}.md": news_article(rng, n) for n in range(520)}, config)
    quiet = site.build()
    assert "Reading" not in quiet.stderr and "\r" not in quiet.stderr
    shutil.rmtree(site.root / ".newsgen-cache")
    shutil.rmtree(site.out)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "build", str(site.root)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the build is over
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=120) == 0
    os.close(leader)
    assert b"\rReading 520/520\r\n" in shown
    assert b"Rendering" in shown


def test_a_same_size_edit_with_its_mtime_put_back_is_seen(make_site: MakeSite) -> None:
    """An editor or a sync tool may restore a file's mtime; its change time moves anyway."""
    site = make_site({"articles/2024-05-01-a.md": article("A", body="Vote on Monday.")}, CONFIG)
    assert site.build().code == 0
    story = site.root / "articles/2024-05-01-a.md"
    before = story.stat()
    story.write_text(story.read_text().replace("Monday", "Friday"))
    os.utime(story, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert story.stat().st_size == before.st_size
    assert site.build().code == 0
    assert "Vote on Friday." in site.page("2024/05/01/a/").text("//article")
    assert "Friday" in (site.out / "feed.xml").read_text()


def test_a_cache_folder_that_is_a_link_is_never_written_through(
    make_site: MakeSite, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = make_site({"articles/a.md": article("A")})
    (site.root / ".newsgen-cache").symlink_to(elsewhere, target_is_directory=True)
    (warning,) = warnings_of(site.build())
    assert warning.path == ".newsgen-cache" and "symbolic link" in warning.message
    assert list(elsewhere.iterdir()) == []
    assert site.page("2024/05/01/a/").text("//h1") == "A"


@pytest.mark.fast
def test_a_kept_site_follows_corrections_that_link_and_go(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """serve's kept site, as a clean build: a correction linking to another story by name
    follows that story to its new URL, and when the last correction goes, so do the
    corrections page and its feeds."""
    fixed = '[{date: 2025-03-04, text: "See [the ferry](@/ferry.md)."}]'
    site = make_site(
        {
            "articles/bridge.md": article("Bridge", "2025-03-01 09:00", corrections=fixed),
            "articles/ferry.md": article("Ferry", "2025-03-02 09:00", "Late."),
        },
        CONFIG,
    )
    kept = Builder(site.root, keep=True, workers=1)
    try:
        kept.build()
        kept.warm()
        assert (site.out / "corrections/feed.xml").exists()
        site.write("articles/ferry.md", article("Ferry", "2025-03-03 09:00", "Late."))
        kept.build()
        assert site.snapshot() == clean_build(site, tmp_path)
        assert 'href="/2025/03/03/ferry/"' in (site.out / "corrections/index.html").read_text()
        site.write("articles/bridge.md", article("Bridge", "2025-03-01 09:00"))
        kept.build()
        assert not (site.out / "corrections").exists()
        assert site.snapshot() == clean_build(site, tmp_path)
    finally:
        kept.close()
    # The same with builds one after another, from the cache.
    site.write("articles/bridge.md", article("Bridge", "2025-03-01 09:00", corrections=fixed))
    site.build_here()
    site.write("articles/ferry.md", article("Ferry", "2025-03-04 09:00", "Late."))
    site.build_here()
    assert site.snapshot() == clean_build(site, tmp_path)


# --- the schedule --------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


SCHEDULED_FILES = {
    "articles/a.md": article("Anchor", "2026-12-01 10:00"),
    "articles/z.md": article("Zeppelin", "2027-01-01 00:01"),
}


@pytest.mark.fast
def test_an_unchanged_site_built_again_later_publishes_what_was_scheduled(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsgen.incremental

    # Files written a moment ago are not trusted by their stat: trust them, to see the
    # short cut of a build with nothing to do (or its absence) without waiting.
    monkeypatch.setattr(newsgen.incremental, "RACY_SECONDS", 0)
    short_cuts: list[bool] = []
    unchanged = Incremental.unchanged

    def spy(self: Incremental, *args: Any) -> Any:
        found = unchanged(self, *args)
        short_cuts.append(found is not None)
        return found

    monkeypatch.setattr(Incremental, "unchanged", spy)
    site = make_site(SCHEDULED_FILES, CONFIG)
    story = site.out / "2027/01/01/z/index.html"
    report = Builder(site.root, clock=lambda: at("2026-12-31 23:00")).build()
    # What the site shows changes next at midnight (the front page's today), then at 00:01.
    assert report.next_change == at("2027-01-01 00:00")
    assert [h.source.as_posix() for h in report.held] == ["articles/z.md"]
    report = Builder(site.root, clock=lambda: at("2026-12-31 23:59")).build()
    assert short_cuts[-1] is True and not story.exists()
    assert [h.source.as_posix() for h in report.held] == ["articles/z.md"]
    Builder(site.root, clock=lambda: at("2027-01-01 00:00:30")).build()
    assert short_cuts[-1] is False and not story.exists()
    report = Builder(site.root, clock=lambda: at("2027-01-01 00:01")).build()
    assert short_cuts[-1] is False and story.exists() and report.held == ()
    assert "Zeppelin" in (site.out / "feed.xml").read_text()
    # An earlier now than the last build's is not taken for the same site either.
    Builder(site.root, clock=lambda: at("2026-12-31 23:00")).build()
    assert short_cuts[-1] is False and not story.exists()


@pytest.mark.fast
@pytest.mark.parametrize("drafts", [False, True])
def test_serve_builds_again_when_a_scheduled_story_is_due(
    make_site: MakeSite, drafts: bool
) -> None:
    from newsgen.server import DevServer

    site = make_site(SCHEDULED_FILES, CONFIG + "front: {latest: 0}\n")
    clock = {"now": at("2026-12-31 23:00")}
    dev = DevServer(site.root, None, drafts, "http://localhost:8000", clock=lambda: clock["now"])
    story = site.out / "2027/01/01/z/index.html"
    banner = "Scheduled: this story will be published on 1 January 2027, 00:01 UTC"
    try:
        dev.rebuild(first=True)
        # --drafts shows it, with a banner; without, it is not there at all.
        assert story.exists() == drafts
        assert not drafts or site.page("2027/01/01/z/").text("//p[@class='held-note']") == banner
        assert dev.due() == 61 * 60  # seconds until 00:01, by the server's clock
        assert dev.tick() is False
        clock["now"] = at("2027-01-01 00:01")
        assert dev.due() == 0 and dev.tick() is True
        assert story.exists() and site.page("2027/01/01/z/").all("//p[@class='held-note']") == []
        assert dev.due() == 2 * 24 * 3600  # when it leaves the news sitemap's two days
    finally:
        dev.builder.close()
