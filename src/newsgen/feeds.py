"""RSS, Atom, sitemap and robots.txt as bytes. Deterministic: no wall clock anywhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape as xml_escape

from feedgen.feed import FeedGenerator
from markupsafe import escape

from newsgen.models import Article, Redirect, Site
from newsgen.urls import ATOM_URL, RSS_URL, SITEMAP_URL, absolute, href, tag_url

FEED_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _last_change(articles: Sequence[Article]) -> datetime:
    return max((a.updated or a.date for a in articles), default=EPOCH)


def _feed_model(site: Site) -> FeedGenerator:
    config = site.config
    articles = site.articles[:FEED_SIZE]
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(config.base_url)
    fg.title(config.title)
    fg.subtitle(config.description or config.title)
    fg.language(config.language)
    if config.author:
        fg.author(name=config.author)
    # feedgen stamps datetime.now() unless told otherwise; the newest change keeps builds identical.
    fg.lastBuildDate(_last_change(articles))
    fg.generator("newsgen")
    for article in articles:
        url = absolute(config.base_url, article.url)
        entry = fg.add_entry(order="append")  # the default, "prepend", reverses the feed
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(article.title)
        entry.link(href=url, rel="alternate")
        entry.published(article.date)
        entry.updated(article.updated or article.date)
        if article.summary:
            # RSS readers treat <description> as HTML; the summary is plain text.
            entry.description(str(escape(article.summary)))
        entry.content(str(article.body_html), type="html")
        for name in article.authors:
            entry.author(name=name)
            entry.dc.dc_creator(name)
        for tag in article.tags:
            entry.category(term=tag.name, scheme=absolute(config.base_url, tag_url(tag.slug)))
    return fg


def render_feeds(site: Site) -> dict[str, bytes]:
    """RSS 2.0 and Atom 1.0 of the newest articles, from one feedgen model."""
    fg = _feed_model(site)
    base = site.config.base_url
    # feedgen's RSS <link> is the last link given, so the site link goes after the self link.
    fg.link(href=absolute(base, RSS_URL), rel="self", replace=True)
    fg.link(href=base, rel="alternate")
    rss = fg.rss_str(pretty=True)
    fg.link(href=base, rel="alternate", replace=True)
    fg.link(href=absolute(base, ATOM_URL), rel="self")
    atom = fg.atom_str(pretty=True)
    return {RSS_URL: rss, ATOM_URL: atom}


def render_sitemap(base_url: str, urls: Iterable[tuple[str, datetime | None]]) -> bytes:
    """A sitemap.xml of absolute page URLs, with lastmod where a page has a date."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in urls:
        lines.append(f"  <url><loc>{xml_escape(absolute(base_url, url))}</loc>")
        if lastmod:
            lines.append(f"    <lastmod>{lastmod.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, SITEMAP_URL)}\n".encode()


def render_redirects(base_path: str, redirects: Iterable[Redirect]) -> bytes:
    """`_redirects` for Netlify and Cloudflare Pages: one `OLD NEW 301` line per alias."""
    lines = [f"{href(base_path, r.url)} {href(base_path, r.target)} 301" for r in redirects]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
