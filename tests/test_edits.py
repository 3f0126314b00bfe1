"""newsgen.edits on models made by hand: an edit of articles' bodies swapped into a kept site
and its routes gives exactly what assembling the edited articles anew gives. No files, no
build (test_incremental.py builds with a kept site)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath

import pytest
from markupsafe import Markup

from newsgen.edits import BODY_FIELDS, Placement, Unswappable, body_only, patch
from newsgen.fingerprints import fingerprint
from newsgen.models import Article, Language, Route, Section, SiteConfig, Tag
from newsgen.site import assemble, routes, search_shards
from newsgen.urls import slugify, tag_key

pytestmark = pytest.mark.fast

CONFIG = SiteConfig(title="T", base_url="https://example.org/", per_page=3, related=2)
TAGS = ["Harbour", "Council", "Ferries", "Weather"]


def tag(name: str) -> Tag:
    return Tag(tag_key(name), name, slugify(name))


def archive(rng: random.Random, count: int, language: str = "") -> list[Article]:
    start = datetime(2023, 1, 1, tzinfo=UTC)
    made = []
    for n in range(count):
        name = f"story-{n}{'-' + language if language else ''}"
        section = Section("news", "News") if n % 3 else Section("sport", "Sport")
        made.append(
            Article(
                source=PurePosixPath(f"articles/{name}.md"),
                title=f"Story {n}",
                date=start + timedelta(days=rng.randint(0, 700), hours=n),
                slug=name,
                url=f"{name}/",
                body_html=Markup(f"<p>Body {n}.</p>"),
                summary=f"Summary {n}",
                tags=tuple(tag(t) for t in rng.sample(TAGS, rng.randint(1, 3))),
                authors=(rng.choice(["Ruth", "Ade"]),),
                digest=f"d{n}",
                word_count=n,
                section=section,
                language=language,
                translation_key=f"story-{n}",
            )
        )
    return made


def prints(found: list[Route]) -> list[str]:
    return [fingerprint(r.url, r.path, r.template, r.context, r.owner, r.feed) for r in found]


def edited(article: Article, step: int) -> Article:
    return replace(
        article,
        body_html=Markup(f"<p>Edited {step}.</p>"),
        summary=f"Edited summary {step}",
        word_count=article.word_count + 7,
        digest=f"{article.digest}-{step}",
        body_key="",
        standfirst=not article.standfirst,
    )


@pytest.mark.parametrize(
    "config",
    [
        CONFIG,
        replace(CONFIG, search=True),
        replace(CONFIG, languages=(Language("en", "English"), Language("ja", "日本語", "ja/"))),
    ],
    ids=["one language", "search", "two languages"],
)
def test_a_patched_site_is_the_site_assembled_anew(config: SiteConfig) -> None:
    rng = random.Random(20261207)
    loaded = archive(rng, 24, "en" if config.languages else "")
    if config.languages:
        loaded += archive(rng, 6, "ja")
    site, _ = assemble(config, loaded)
    found, _ = routes(site)
    parts = search_shards(site)
    placement = Placement(found)
    for step in range(4):
        picks = rng.sample(range(len(loaded)), rng.randint(1, 3))
        now = list(loaded)
        for index in picks:
            now[index] = edited(loaded[index], step)
        pairs = [(loaded[i], now[i]) for i in picks]
        assert all(body_only(before, after) for before, after in pairs)
        patched = patch(site, found, parts, pairs, placement)

        fresh, _ = assemble(config, now)
        fresh_routes, _ = routes(fresh)
        assert fingerprint(patched.site) == fingerprint(fresh)
        assert prints(patched.routes) == prints(fresh_routes)
        assert fingerprint(patched.parts) == fingerprint(search_shards(fresh))
        # Only the routes that show an edited article are new; the rest are shared.
        for position, (before, after) in enumerate(zip(found, patched.routes, strict=True)):
            assert (before is after) == (position not in patched.touched)
        assert patched.touched and len(patched.touched) < len(found) // 2
        loaded, site, found, parts = now, patched.site, patched.routes, patched.parts


def test_only_what_the_body_gives_may_differ() -> None:
    (story,) = archive(random.Random(1), 1)
    assert body_only(story, edited(story, 1))
    assert set(BODY_FIELDS) == {
        "body_html",
        "body_key",
        "digest",
        "summary",
        "word_count",
        "standfirst",
    }
    for change in [
        {"title": "Retitled"},
        {"date": story.date + timedelta(seconds=1)},
        {"tags": (*story.tags, tag("Extra"))},
        # Tags compare by key; a new spelling renames the tag's pages.
        {"tags": tuple(Tag(t.key, t.name.upper(), t.slug) for t in story.tags)},
        {"section": Section("news", "The News")},
        {"authors": ("Someone else",)},
        {"redirects": ("old/",)},
        {"extra": {"kicker": "Now"}},
        {"draft": True},
        {"pending_refs": True},
    ]:
        assert not body_only(story, replace(story, **change)), change  # type: ignore[arg-type]
    linking = replace(story, pending_refs=True)
    assert not body_only(linking, linking)


def test_a_value_the_swap_cannot_look_into_is_refused() -> None:
    """A kind of value it does not know might hold an article: assemble anew instead."""
    odd = Route("x/", "x/index.html", "page.html", {"odd": {"a set"}})
    with pytest.raises(Unswappable):
        Placement([odd])
