"""The incremental layer on its own: what is stale, what is recalled, what a fingerprint
counts. Real files in tmp_path, no build (test_incremental.py builds whole sites)."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from conftest import article

import newsgen.incremental as incremental
from newsgen.discover import SourceFile
from newsgen.errors import ContentError
from newsgen.incremental import (
    Incremental,
    ParseJob,
    Recall,
    route_fingerprints,
    source_key,
    stash,
)
from newsgen.loader import parse_file, read_source
from newsgen.models import Article, Route, SiteConfig
from newsgen.records import item_from_record

pytestmark = pytest.mark.fast

CONFIG = SiteConfig(title="T", base_url="https://example.org/")


def source(root: Path, name: str, text: str) -> SourceFile:
    path = root / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return SourceFile(path, PurePosixPath("articles") / name)


def layer(root: Path) -> Incremental:
    inc = Incremental(root, root / "build", drafts=False, keep=False)
    problems: list[ContentError] = []
    inc.open(problems)
    assert problems == []
    return inc


def load(inc: Incremental, sources: list[SourceFile], read: Any = read_source) -> Recall:
    """One pass of the layer as the pipeline makes it: recall, parse what is stale, settle."""
    problems: list[ContentError] = []
    found = inc.recall([(s, "article") for s in sources], "settings-1", read, problems)
    assert problems == []
    for job in list(found.todo):
        data = read_source(job.src) if job.data is None else job.data
        assert isinstance(data, bytes)
        inc.parsed(found, job, stash(job, data, parse_file(data, job.src, CONFIG, job.kind)))
    inc.settle(found)
    return found


def never_read(src: SourceFile) -> bytes:
    raise AssertionError(f"{src.rel} was read, though its stat had not changed")


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files just written count as settled (their stat cannot change unseen in a test)."""
    monkeypatch.setattr(incremental, "RACY_SECONDS", 0.0)


def test_a_source_key_is_made_of_everything_its_parse_depends_on(tmp_path: Path) -> None:
    src = SourceFile(tmp_path / "a.md", PurePosixPath("articles/a.md"))
    key = source_key("c1", src, "article", "p1")
    assert key == source_key("c1", src, "article", "p1")
    moved = SourceFile(src.path, PurePosixPath("articles/b.md"))
    bundled = SourceFile(src.path, src.rel, PurePosixPath("articles"), (PurePosixPath("x.jpg"),))
    others = [
        source_key("c2", src, "article", "p1"),
        source_key("c1", moved, "article", "p1"),
        source_key("c1", bundled, "article", "p1"),
        source_key("c1", src, "page", "p1"),
        source_key("c1", src, "article", "p2"),
    ]
    assert key not in others and len(set(others)) == len(others)


def test_stash_moves_the_body_out_of_the_item(tmp_path: Path) -> None:
    src = source(tmp_path, "a.md", article("A", body="Body *text*."))
    job = ParseJob(src, None, "article", "p", (0, 0, 0, 0))
    data = src.path.read_bytes()
    parsed = stash(job, data, parse_file(data, src, CONFIG, "article"))
    assert parsed.item is None and parsed.record is not None  # the item travels as its record
    item = item_from_record(parsed.record, src.rel)
    assert isinstance(item, Article) and item.body_html is None and item.body_key
    assert "<em>text</em>" in parsed.html
    assert item.digest == parsed.key == source_key(parsed.content, src, "article", "p")


def test_an_item_the_cache_cannot_hold_travels_whole(tmp_path: Path) -> None:
    src = source(tmp_path, "a.md", article("A", when=".nan"))
    job = ParseJob(src, None, "article", "p", (0, 0, 0, 0))
    data = src.path.read_bytes()
    parsed = stash(job, data, parse_file(data, src, CONFIG, "article"))
    assert parsed.record is None and isinstance(parsed.item, Article)
    assert parsed.item.body_html is not None


def test_a_one_shot_build_keeps_no_record_once_it_is_saved(tmp_path: Path, settled: None) -> None:
    sources = [source(tmp_path, f"{name}.md", article(name.upper())) for name in "ab"]
    found = load(layer(tmp_path), sources)
    assert all(known.cached.record is None for known in found.known.values())
    assert {known.item.title for known in found.known.values() if known.item} == {"A", "B"}
    again = load(layer(tmp_path), sources)  # and the records are in the store
    assert again.todo == [] and all(known.cached.record for known in again.known.values())


def test_an_unchanged_source_is_recalled_without_being_read(tmp_path: Path, settled: None) -> None:
    inc = layer(tmp_path)
    sources = [source(tmp_path, "a.md", article("A")), source(tmp_path, "b.md", article("B"))]
    first = load(inc, sources)
    assert [job.src.rel.name for job in first.todo] == ["a.md", "b.md"]
    again = load(inc, sources, never_read)
    assert again.todo == [] and set(again.known) == {"articles/a.md", "articles/b.md"}
    recalled = again.known["articles/a.md"].item
    assert isinstance(recalled, Article) and recalled.title == "A" and recalled.body_html is None
    assert inc.bodies().html(recalled).startswith("<p>Body text.")


def test_a_touched_source_is_read_and_recalled_when_its_bytes_are_the_same(
    tmp_path: Path,
) -> None:
    inc = layer(tmp_path)
    src = source(tmp_path, "a.md", article("A"))
    load(inc, [src])
    st = src.path.stat()
    os.utime(src.path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    reads: list[str] = []

    def counted(s: SourceFile) -> bytes | ContentError:
        reads.append(str(s.rel))
        return read_source(s)

    again = load(inc, [src], counted)
    assert reads == ["articles/a.md"] and again.todo == []


def test_a_same_size_edit_with_its_mtime_put_back_is_parsed_again(
    tmp_path: Path, settled: None
) -> None:
    inc = layer(tmp_path)
    src = source(tmp_path, "a.md", article("A", body="Old text."))
    load(inc, [src])
    st = src.path.stat()
    src.path.write_text(article("A", body="New text."), encoding="utf-8")
    os.utime(src.path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert src.path.stat().st_size == st.st_size  # only the change time tells
    again = load(inc, [src])
    assert [job.src.rel.name for job in again.todo] == ["a.md"]


def test_a_body_the_store_lost_is_parsed_again_before_rendering(
    tmp_path: Path, settled: None
) -> None:
    inc = layer(tmp_path)
    src = source(tmp_path, "a.md", article("A"))
    load(inc, [src])
    cache = inc._cache
    assert cache is not None
    cache.db.execute("DELETE FROM bodies")
    again = load(inc, [src], never_read)
    assert [job.src.rel.name for job in again.todo] == ["a.md"]
    item = again.known["articles/a.md"].item
    assert item is not None and inc.bodies().html(item).startswith("<p>Body text.")


def test_a_vanished_source_is_forgotten(tmp_path: Path, settled: None) -> None:
    inc = layer(tmp_path)
    a, b = source(tmp_path, "a.md", article("A")), source(tmp_path, "b.md", article("B"))
    load(inc, [a, b])
    load(inc, [a], never_read)
    assert inc._cache is not None and set(inc._cache.sources()) == {"articles/a.md"}


def test_recall_uses_the_stat_the_stamp_took_and_only_once(tmp_path: Path, settled: None) -> None:
    """The stamp's walk has seen every file: recall does not ask again. A file changed after
    the stamp is seen by the next build, whose stamp differs; stats are never reused twice."""
    inc = layer(tmp_path)
    src = source(tmp_path, "a.md", article("A", body="Old text."))
    load(inc, [src])
    before = inc.stamp()
    src.path.write_text(article("A", body="New, longer text."), encoding="utf-8")
    stale = load(inc, [src], never_read)  # the stamp's stat is as the cache recorded it
    assert stale.todo == []
    after = inc.stamp()
    assert after.inputs != before.inputs  # so the next build is not skipped
    fresh = load(inc, [src])
    assert [job.src.rel.name for job in fresh.todo] == ["a.md"]
    item = fresh.known["articles/a.md"].item
    assert item is not None and "New, longer text." in inc.bodies().html(item)
    # Without a stamp (check, serve's warm-up), recall looks at the files itself.
    src.path.write_text(article("A", body="Newer text, longer still."), encoding="utf-8")
    assert [job.src.rel.name for job in load(inc, [src]).todo] == ["a.md"]


def test_a_route_fingerprint_follows_its_templates_and_what_it_shows() -> None:
    templates = {"page.html": [("page.html", "v1")]}
    prints = route_fingerprints(templates.__getitem__, CONFIG, ("menu",))
    route = Route("about/", "about/index.html", "page.html", {"title": "About"})
    first = prints(route)
    assert prints(route) == first
    assert prints(Route("about/", "about/index.html", "page.html", {"title": "Us"})) != first
    changed = route_fingerprints(
        {"page.html": [("page.html", "v2")]}.__getitem__, CONFIG, ("menu",)
    )
    assert changed(route) != first
    assert route_fingerprints(templates.__getitem__, CONFIG, ("other menu",))(route) != first
