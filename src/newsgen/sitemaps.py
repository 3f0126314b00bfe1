"""sitemap.xml (split into numbered files and an index past the protocol's 50,000 URLs) and
the Google News sitemap, as bytes. Deterministic: no wall clock; the news window counts
back from the build's *now* (schedule.py), which the caller gives."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape as xml_escape

from newsgen.models import Article, SiteConfig
from newsgen.schedule import in_news_window, publication
from newsgen.urls import SITEMAP_INDEX_URL, SITEMAP_URL, absolute

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _locations(
    root: str, item: str, base_url: str, entries: Iterable[tuple[str, datetime | None]]
) -> bytes:
    """A sitemap (ROOT urlset, ITEM url) or sitemap index (sitemapindex, sitemap) document."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in entries:
        lines.append(f"  <{item}><loc>{xml_escape(absolute(base_url, url))}</loc>")
        if lastmod:
            lines.append(f"    <lastmod>{lastmod.isoformat()}</lastmod>")
        lines.append(f"  </{item}>")
    lines.append(f"</{root}>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _urlset(base_url: str, urls: Iterable[tuple[str, datetime | None]]) -> bytes:
    return _locations("urlset", "url", base_url, urls)


def sitemap_names(count: int, limit: int) -> list[str]:
    """The sitemap files COUNT URLs need: sitemap.xml, or numbered files and the index."""
    if count <= limit:
        return [SITEMAP_URL]
    files = -(-count // limit)
    return [*(f"sitemap-{n}.xml" for n in range(1, files + 1)), SITEMAP_INDEX_URL, SITEMAP_URL]


def render_sitemaps(
    base_url: str, urls: Sequence[tuple[str, datetime | None]], limit: int
) -> dict[str, bytes]:
    """sitemap.xml, or, past LIMIT URLs (50,000 by the protocol), numbered files and an index.

    With an index, sitemap.xml is the index too, so a crawler told of either finds all.
    """
    if len(urls) <= limit:
        return {SITEMAP_URL: _urlset(base_url, urls)}
    files: dict[str, bytes] = {}
    entries = []
    for number, start in enumerate(range(0, len(urls), limit), 1):
        chunk = urls[start : start + limit]
        name = f"sitemap-{number}.xml"
        files[name] = _urlset(base_url, chunk)
        newest = max((m for _, m in chunk if m), default=None)
        entries.append((name, newest))
    index = _locations("sitemapindex", "sitemap", base_url, entries)
    files[SITEMAP_INDEX_URL] = index
    files[SITEMAP_URL] = index
    return files


NEWS_LIMIT = 1000
"""Google News sitemaps list articles of the last two days, at most 1,000."""


def news_articles(articles: Sequence[Article], now: datetime | None) -> list[Article]:
    """The articles a news sitemap lists at NOW: those that came out in the two days before
    it, the latest out first, at most NEWS_LIMIT (none without a now: the site has no
    article)."""
    return [] if now is None else in_news_window(articles, now, NEWS_LIMIT)


def render_news_sitemap(config: SiteConfig, recent: Sequence[Article]) -> bytes:
    """A Google News sitemap of RECENT (news_articles)."""
    name = xml_escape(config.publisher_name or config.title)

    def language(article: Article) -> str:
        return xml_escape((article.language or config.language).split("-")[0].lower() or "en")

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for article in recent:
        lines += [
            f"  <url><loc>{xml_escape(absolute(config.base_url, article.url))}</loc>",
            "    <news:news>",
            f"      <news:publication><news:name>{name}</news:name>"
            f"<news:language>{language(article)}</news:language></news:publication>",
            # When it came out: an embargoed story's embargo, not the earlier date it shows
            # (Google News takes a story dated days before for an old one).
            f"      <news:publication_date>{publication(article).isoformat()}"
            "</news:publication_date>",
            f"      <news:title>{xml_escape(article.title)}</news:title>",
            "    </news:news>",
            "  </url>",
        ]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
