"""The renderer's pure functions, on values made by hand (no site, no build)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import PurePosixPath

import pytest
from markupsafe import Markup

from newsgen.models import Article, Author, SiteConfig, Tag
from newsgen.renderer import json_ld, news_article

pytestmark = pytest.mark.fast

CONFIG = SiteConfig(title="Harbour News", base_url="https://example.org/news/", timezone="UTC")


def story(**changes: object) -> Article:
    values: dict[str, object] = {
        "source": PurePosixPath("articles/a.md"),
        "title": 'Wall "works" begin',
        "date": datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
        "slug": "a",
        "url": "2025/03/14/a/",
        "body_html": Markup("<p>Text.</p>"),
        "summary": "Contractors moved in.",
        "tags": (Tag("harbour", "Harbour", "harbour"),),
        "bylines": (Author("ruth", "Ruth P", "ruth-p"),),
        "word_count": 2,
    }
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


def test_news_article_names_what_search_engines_read() -> None:
    data = news_article(story(), "https://example.org/news/x.jpg", CONFIG)
    assert data["headline"] == 'Wall "works" begin'
    assert data["url"] == "https://example.org/news/2025/03/14/a/"
    assert data["datePublished"] == data["dateModified"] == "2025-03-14T09:30:00+00:00"
    assert data["author"] == [
        {"@type": "Person", "name": "Ruth P", "url": "https://example.org/news/authors/ruth-p/"}
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Harbour News",
        "url": "https://example.org/news/",
    }
    assert data["keywords"] == ["Harbour"] and data["image"] == ["https://example.org/news/x.jpg"]
    assert data["description"] == "Contractors moved in." and data["wordCount"] == 2


def test_news_article_leaves_out_what_an_article_lacks() -> None:
    updated = datetime(2025, 3, 15, tzinfo=UTC)
    config = SiteConfig(base_url="https://example.org/", author_pages=False)
    data = news_article(story(summary="", tags=(), updated=updated), None, config)
    assert "description" not in data and "keywords" not in data and "image" not in data
    assert data["dateModified"] == "2025-03-15T00:00:00+00:00"
    assert data["author"] == [{"@type": "Person", "name": "Ruth P"}]


def test_json_ld_cannot_end_its_script_block() -> None:
    block = str(json_ld({"headline": "</script><!-- \u2028"}))
    assert "</script" not in block and "<!--" not in block and "\u2028" not in block
    assert json.loads(block)["headline"] == "</script><!-- \u2028"
