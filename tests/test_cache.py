"""The cache's parts on their own: the SQLite store, the record format and fingerprints.

No site is built: values are made by hand, the store lives in tmp_path.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import pytest
from markupsafe import Markup

from newsgen.cache import CACHE_DIR, Cache, CachedSource, StoredBodies, open_cache
from newsgen.errors import ContentError, ContentWarning
from newsgen.fingerprints import Fingerprints, body_digest, fingerprint
from newsgen.models import Article, Correction, FrozenMap, HeldBodies, Page, Tag
from newsgen.records import (
    Uncacheable,
    item_from_record,
    item_record,
    problems_from_record,
    problems_record,
)

pytestmark = pytest.mark.fast


def story(**changes: object) -> Article:
    values: dict[str, object] = {
        "source": PurePosixPath("articles/a.md"),
        "title": "Harbour wall",
        "date": datetime(2025, 3, 14, 9, 30, tzinfo=ZoneInfo("Europe/London")),
        "slug": "a",
        "url": "2025/03/14/a/",
        "body_html": None,
        "body_key": "b" * 32,
        "summary": "Works begin.",
        "tags": (Tag("harbour", "Harbour", "harbour"),),
        "authors": ("Ruth P",),
        "extra": FrozenMap({"weight": 3, "when": datetime(2025, 1, 1, tzinfo=UTC)}),
        "digest": "k" * 40,
    }
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


# -- records ----------------------------------------------------------------------------------


def test_an_article_record_reads_back_equal_with_its_time_zone() -> None:
    item = story(
        updated=datetime(2025, 3, 15, tzinfo=timezone(timedelta(hours=2))),
        bundle=PurePosixPath("articles/wall"),
        assets=(PurePosixPath("pic.jpg"),),
    )
    back = item_from_record(item_record(item))
    assert back == item
    assert isinstance(back, Article)
    assert back.date.tzinfo == ZoneInfo("Europe/London") and back.body_html is None
    assert back.extra["when"] == datetime(2025, 1, 1, tzinfo=UTC)


def test_an_article_record_carries_its_corrections() -> None:
    london = ZoneInfo("Europe/London")
    fixed = Correction(
        datetime(2025, 3, 16, 8, tzinfo=london), Markup("<em>East</em> quay"), "East quay"
    )
    back = item_from_record(item_record(story(corrections=(fixed,))))
    assert isinstance(back, Article) and back.corrections == (fixed,)
    assert back.corrections[0].date.tzinfo == london
    assert isinstance(back.corrections[0].html, Markup)
    assert back.modified == fixed.date


def test_a_page_record_reads_back_equal() -> None:
    page = Page(
        source=PurePosixPath("pages/about.md"),
        title="About",
        slug="about",
        url="about/",
        body_html=None,
        body_key="c" * 32,
        summary="",
        menu=True,
        weight=2,
    )
    assert item_from_record(item_record(page)) == page


def test_a_record_of_another_shape_is_refused_not_misread() -> None:
    """Fields are read by position: a record with one too many or too few is parsed again
    (recall catches the ValueError), never shifted into the wrong fields."""
    kind, row = json.loads(item_record(story()))
    for other in ([*row, None], row[:-1]):
        with pytest.raises(ValueError):
            item_from_record(json.dumps([kind, other]))


def test_records_share_one_tag_value_per_spelling() -> None:
    first, second = item_from_record(item_record(story())), item_from_record(item_record(story()))
    assert isinstance(first, Article) and isinstance(second, Article) and first.tags
    assert first.tags[0] is second.tags[0] and first.tags == second.tags


def test_a_record_holds_no_body_and_refuses_an_item_without_a_key() -> None:
    assert "<p>" not in item_record(story(body_html=Markup("<p>x</p>")))
    with pytest.raises(ValueError, match="key"):
        item_record(story(body_key=""))


def test_a_value_json_cannot_hold_exactly_is_uncacheable() -> None:
    with pytest.raises(Uncacheable):
        item_record(story(extra=FrozenMap({"ratio": float("nan")})))
    with pytest.raises(Uncacheable):
        item_record(story(extra=FrozenMap({"set": {1, 2}})))


def test_problems_read_back_with_their_severity() -> None:
    found = [ContentError("a.md", 3, "bad date"), ContentWarning("b.md", None, "no summary")]
    back = problems_from_record(problems_record(found))
    assert [(type(p), str(p)) for p in back] == [(type(p), str(p)) for p in found]


# -- fingerprints -------------------------------------------------------------------------------


def test_a_fingerprint_changes_with_what_a_page_shows_and_only_then() -> None:
    item = story()
    same = fingerprint("t", item, {"n": 1})
    assert same == fingerprint("t", replace(item), {"n": 1})
    assert same != fingerprint("t", replace(item, body_key="d" * 32), {"n": 1})
    assert same != fingerprint("t", replace(item, digest="z" * 40), {"n": 1})
    renamed = (Tag("harbour", "The Harbour", "harbour"),)
    assert same != fingerprint("t", replace(item, tags=renamed), {"n": 1})
    assert same != fingerprint("t", item, {"n": 2})


def test_a_held_body_counts_by_its_digest() -> None:
    held = story(body_html=Markup("<p>x</p>"), body_key="")
    kept = story(body_key=body_digest("<p>x</p>"))
    assert fingerprint(held) == fingerprint(kept)
    assert fingerprint(held) != fingerprint(replace(held, body_html=Markup("<p>y</p>")))


def test_fingerprints_are_not_made_of_what_they_cannot_tell_apart() -> None:
    with pytest.raises(TypeError):
        Fingerprints().of(object())


# -- the store ----------------------------------------------------------------------------------


def row(key: str, record: str | None = None) -> CachedSource:
    return CachedSource((1, 2, 3, 4), "c" * 32, key, record, "[]")


def test_sources_and_bodies_are_saved_and_forgotten_in_one_transaction(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite")
    cache.save_sources({"articles/a.md": row("ka"), "articles/b.md": row("kb")}, {"d1": "x"}, ())
    cache.save_sources({}, {}, ["articles/a.md"])
    assert set(cache.sources()) == {"articles/b.md"}
    assert cache.sources()["articles/b.md"] == row("kb")
    assert cache.missing_bodies({"d1", "d2"}) == {"d2"}
    cache.close()


def test_unused_bodies_are_collected_once_they_are_a_fair_share(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite")
    bodies = {f"d{n}": "x" for n in range(150)}
    cache.save_sources({}, bodies, ())
    cache.collect_bodies({"d0"})
    assert cache.missing_bodies(bodies) == set(bodies) - {"d0"}
    cache.save_sources({}, {"e1": "y"}, ())
    cache.collect_bodies(set())  # two bodies: too few to be worth a sweep
    assert cache.missing_bodies({"d0", "e1"}) == set()
    cache.close()


def test_stored_bodies_read_a_body_and_name_the_article_whose_body_is_gone(
    tmp_path: Path,
) -> None:
    cache = Cache(tmp_path / "cache.sqlite")
    cache.save_sources({}, {"b" * 32: "<p>Stored.</p>"}, ())
    bodies = StoredBodies(cache.store)
    assert bodies.html(story()) == Markup("<p>Stored.</p>")
    assert bodies.html(story(body_html=Markup("<p>Held.</p>"))) == Markup("<p>Held.</p>")
    with pytest.raises(ContentError) as lost:
        bodies.html(story(body_key="f" * 32))
    assert lost.value.path == PurePosixPath("articles/a.md") and "build again" in str(lost.value)
    with pytest.raises(ContentError):
        HeldBodies().html(story())
    cache.close()


def test_a_cache_written_by_another_newsgen_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / CACHE_DIR / "cache.sqlite"
    cache, problems = open_cache(tmp_path)
    cache.save_sources({"articles/a.md": row("ka")}, {}, ())
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'older' WHERE key = 'code'")
    db.close()
    again, problems = open_cache(tmp_path)
    assert again.sources() == {}
    assert [str(p) for p in problems] == [
        f"{CACHE_DIR}/cache.sqlite: warning: was written by another newsgen version;"
        " starting a fresh cache"
    ]
    again.close()


def test_an_unreadable_cache_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / CACHE_DIR / "cache.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"not a database, " * 100)
    cache, problems = open_cache(tmp_path)
    assert cache.path == path and cache.sources() == {}
    assert len(problems) == 1 and "rebuilt" in problems[0].message
    cache.close()


def test_a_cache_folder_that_is_a_link_is_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    os.symlink(elsewhere, site / CACHE_DIR)
    cache, problems = open_cache(site)
    cache.save_sources({"articles/a.md": row("ka")}, {}, ())
    cache.close()
    assert list(elsewhere.iterdir()) == []
    assert problems[0].path == PurePosixPath(CACHE_DIR) and "symbolic link" in problems[0].message
