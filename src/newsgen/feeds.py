"""Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1), sitemaps, robots.txt and _redirects, as bytes.

Deterministic: no wall clock anywhere. RSS and Atom come from one feedgen model (it stamps
`lastBuildDate` with the current time and prepends entries unless told otherwise, so both
are set here); JSON Feed is plain JSON. Links inside entry content are made absolute, since
a feed reader shows them away from the site.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin
from xml.sax.saxutils import escape as xml_escape

from feedgen.feed import FeedGenerator
from markupsafe import escape

from newsgen.bodies import BodyOptions, finish
from newsgen.models import FEED_TAGS, Article, Feed, Redirect, SiteConfig
from newsgen.urls import (
    FEED_FILES,
    SITEMAP_INDEX_URL,
    SITEMAP_URL,
    absolute,
    href,
    tag_url,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_LINK = re.compile(r"""(\s(?:href|src|poster)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_SRCSET = re.compile(r"""(\ssrcset\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


def absolute_links(html: str, base: str) -> str:
    """Every href/src/poster/srcset in HTML made absolute against BASE (the entry's URL)."""

    def one(match: re.Match[str]) -> str:
        value = match.group(3).strip()
        return f"{match.group(1)}{match.group(2)}{urljoin(base, value)}{match.group(2)}"

    def many(match: re.Match[str]) -> str:
        parts = []
        for candidate in match.group(3).split(","):
            words = candidate.strip().split(None, 1)
            if words:
                words[0] = urljoin(base, words[0])
                parts.append(" ".join(words))
        return f"{match.group(1)}{match.group(2)}{', '.join(parts)}{match.group(2)}"

    return _SRCSET.sub(many, _LINK.sub(one, html))


def _last_change(articles: Sequence[Article]) -> datetime:
    return max((a.updated or a.date for a in articles), default=EPOCH)


def _content(article: Article, url: str, config: SiteConfig) -> str:
    return _feed_body(str(article.body_html), url, config.raw_html, config.iframe_hosts)


@functools.lru_cache(maxsize=4096)
def _feed_body(html: str, url: str, raw_html: str, hosts: tuple[str, ...]) -> str:
    """A body for a feed: its links absolute, then cleaned again (the sanitizer stays the
    last step for every body, in feeds too). One article is in many feeds: made once."""
    options = BodyOptions(raw_html=raw_html, iframe_hosts=frozenset(hosts))
    if raw_html == "keep":  # trusted and never cleaned: its links made absolute as written
        return absolute_links(html, url)
    return str(finish(html, options, rewrite=lambda link: urljoin(url, link.strip())))


def _xml_feed(feed: Feed, self_url: str, config: SiteConfig) -> bytes:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    home = absolute(config.base_url, feed.home)
    fg.id(home)
    fg.title(feed.title)
    fg.subtitle(config.description or feed.title)
    fg.language(config.language)
    # RFC 4287 wants an author on every Atom entry: the site's, else its title.
    fg.author(name=config.author or config.publisher_name or config.title)
    # feedgen stamps datetime.now() unless told otherwise; the newest change keeps builds identical.
    fg.lastBuildDate(_last_change(feed.articles))
    fg.updated(_last_change(feed.articles))
    fg.generator("newsgen")
    for article in feed.articles:
        url = absolute(config.base_url, article.url)
        entry = fg.add_entry(order="append")  # the default, "prepend", reverses the feed
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(article.title)
        entry.link(href=url, rel="alternate")
        entry.published(article.date)
        entry.updated(article.updated or article.date)
        if article.summary:
            # Readers treat RSS <description> as HTML and the summary is plain text, so it is
            # escaped and marked as HTML for Atom too. (feedgen's description() would set
            # Atom's <content> instead of <summary>.)
            entry.summary(str(escape(article.summary)), type="html")
        if config.feed_content == "full":
            entry.content(_content(article, url, config), type="html")
        for name in article.authors:
            entry.author(name=name)
            entry.dc.dc_creator(name)
        if article.tags:  # one call: feedgen rebuilds its list on every call
            entry.category(
                [
                    {"term": tag.name, "scheme": absolute(config.base_url, tag_url(tag.slug))}
                    for tag in article.tags[:FEED_TAGS]
                ]
            )
    if feed.format == "rss":
        # feedgen's RSS <link> is the last link given, so the site link goes after the self link.
        fg.link(href=self_url, rel="self", type=TYPES["rss"])
        fg.link(href=home, rel="alternate")
        return bytes(fg.rss_str(pretty=True))
    fg.link(href=home, rel="alternate", type="text/html")
    fg.link(href=self_url, rel="self", type=TYPES["atom"])
    return bytes(fg.atom_str(pretty=True))


def _json_feed(feed: Feed, self_url: str, config: SiteConfig) -> bytes:
    home = absolute(config.base_url, feed.home)
    items = []
    for article in feed.articles:
        url = absolute(config.base_url, article.url)
        item: dict[str, object] = {"id": url, "url": url, "title": article.title}
        if config.feed_content == "full":
            item["content_html"] = _content(article, url, config)
        else:
            item["content_text"] = article.summary or article.title
        if article.summary:
            item["summary"] = article.summary
        if article.image:
            item["image"] = urljoin(url, article.image)
        item["date_published"] = article.date.isoformat()
        item["date_modified"] = (article.updated or article.date).isoformat()
        if article.authors:
            item["authors"] = [{"name": name} for name in article.authors]
        if article.tags:
            item["tags"] = [tag.name for tag in article.tags[:FEED_TAGS]]
        item["language"] = config.language
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": home,
        "feed_url": self_url,
        "description": config.description or feed.title,
        "language": config.language,
        "authors": [{"name": config.author or config.publisher_name or config.title}],
        "items": items,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
    # Safe to inline anywhere: no '</script>' or line separators that break old parsers.
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (text + "\n").encode("utf-8")


def render_feed(feed: Feed, self_url: str, config: SiteConfig) -> bytes:
    """One feed file (RSS, Atom or JSON Feed) of the newest articles of a listing."""
    if feed.format == "json":
        return _json_feed(feed, self_url, config)
    return _xml_feed(feed, self_url, config)


def feed_links(prefix: str) -> dict[str, str]:
    """A listing's feed URLs (relative to base_url), by format."""
    return {kind: prefix + name for kind, name in FEED_FILES.items()}


# -- Sitemaps, robots.txt, _redirects -------------------------------------------------------------


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


def render_sitemap(base_url: str, urls: Iterable[tuple[str, datetime | None]]) -> bytes:
    """A sitemap.xml of absolute page URLs, with lastmod where a page has a date."""
    return _urlset(base_url, urls)


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


NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
"""Google News sitemaps list articles of the last two days, at most 1,000."""


def render_news_sitemap(config: SiteConfig, articles: Sequence[Article]) -> bytes:
    """A Google News sitemap: the articles published within two days of the newest one."""
    newest = articles[0].date if articles else EPOCH
    recent = [a for a in articles if newest - a.date <= NEWS_WINDOW][:NEWS_LIMIT]
    name = xml_escape(config.publisher_name or config.title)
    language = xml_escape(config.language.split("-")[0].lower() or "en")
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
            f"<news:language>{language}</news:language></news:publication>",
            f"      <news:publication_date>{article.date.isoformat()}</news:publication_date>",
            f"      <news:title>{xml_escape(article.title)}</news:title>",
            "    </news:news>",
            "  </url>",
        ]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(base_url: str, sitemaps: Sequence[str] = (SITEMAP_URL,)) -> bytes:
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {absolute(base_url, name)}" for name in sitemaps]
    return ("\n".join(lines) + "\n").encode()


def render_redirects(base_path: str, redirects: Iterable[Redirect]) -> bytes:
    """`_redirects` for Netlify and Cloudflare Pages: one `OLD NEW 301` line per alias."""
    lines = [f"{href(base_path, r.url)} {href(base_path, r.target)} 301" for r in redirects]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
