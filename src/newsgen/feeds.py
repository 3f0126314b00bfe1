"""Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1), as bytes. Sitemaps, robots.txt and _redirects
have modules of their own (`sitemaps`, `robots`, `redirects`).

Deterministic: no wall clock anywhere. RSS and Atom come from one feedgen model (it stamps
`lastBuildDate` with the current time and prepends entries unless told otherwise, so both
are set here); JSON Feed is plain JSON. Links inside entry content are made absolute, since
a feed reader shows them away from the site.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from markupsafe import escape

from newsgen.bodies import BodyOptions, finish
from newsgen.models import (
    FEED_TAGS,
    FEED_WORDS,
    Article,
    Bodies,
    Feed,
    Picture,
    PictureFile,
    SiteConfig,
)
from newsgen.urls import (
    FEED_FILES,
    absolute,
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
    return max((a.modified for a in articles), default=EPOCH)


FEED_BODIES = 4096
"""Feed bodies kept made: one article is in many feeds (the site's, its tags', its
authors'), each in three formats."""
_made: OrderedDict[tuple[str, str, str, tuple[str, ...]], str] = OrderedDict()


def _content(article: Article, url: str, config: SiteConfig, bodies: Bodies) -> str:
    """ARTICLE's body for a feed, made once for all the feeds it is in. Kept by the digest its
    HTML is stored under, not by the HTML: a cache keyed by the text held two copies of each
    body (47 MiB for 4,096 bodies, in every process that renders feeds)."""
    if not article.body_key:  # a body its item holds (no store): made each time
        return _feed_body(str(bodies.html(article)), url, config.raw_html, config.iframe_hosts)
    key = (article.body_key, url, config.raw_html, config.iframe_hosts)
    made = _made.get(key)
    if made is None:
        made = _feed_body(str(bodies.html(article)), url, config.raw_html, config.iframe_hosts)
        _made[key] = made
        if len(_made) > FEED_BODIES:
            _made.popitem(last=False)
    else:
        _made.move_to_end(key)
    return made


LABEL, TITLE = FEED_WORDS  # 'Correction, {date}:', 'Correction: {title}'


class FeedWords(Protocol):
    """The theme's words in a language, as plain text (WORD: 'Correction, {date}:'), and a
    day as its pages write it (DAY: '4 March 2027'): the renderer's, from the catalogue."""

    def word(self, lang: str, key: str) -> str: ...

    def day(self, lang: str, when: datetime) -> str: ...


class PlainWords:
    """FeedWords without a catalogue (a feed rendered on its own): the key, an ISO day."""

    def word(self, lang: str, key: str) -> str:
        return key

    def day(self, lang: str, when: datetime) -> str:
        return f"{when:%Y-%m-%d}"


def _notices(feed: Feed, article: Article, url: str, config: SiteConfig, words: FeedWords) -> str:
    """ARTICLE's corrections in a feed, newest first, each labelled with its day as on the
    article's page ('Correction, 4 March 2027:', in the feed's language)."""
    lang = feed.language or config.language
    label = str(escape(words.word(lang, LABEL)))
    html = ""
    for c in article.corrections:
        local = c.date.astimezone(config.tz)
        day = f'<time datetime="{local.isoformat()}">{escape(words.day(lang, local))}</time>'
        html += (
            f'<p class="correction"><strong>{label.replace("{date}", day)}</strong> {c.html}</p>'
        )
    return _feed_body(html, url, config.raw_html, config.iframe_hosts)


def _full(
    feed: Feed, article: Article, url: str, config: SiteConfig, bodies: Bodies, words: FeedWords
) -> str:
    """ARTICLE's text in a full-text feed: its corrections above its body, as on its page
    (a reader of the feed may never open the page)."""
    body = _content(article, url, config, bodies)
    if not article.corrections:
        return body
    return _notices(feed, article, url, config, words) + body


def _title(feed: Feed, article: Article, config: SiteConfig, words: FeedWords) -> str:
    """An entry's title: the headline, in the corrections feeds marked as a correction
    ('Correction: Bridge opens'), so that no reader takes it for the story published again."""
    if not feed.notices or not article.corrections:
        return article.title
    marked = words.word(feed.language or config.language, TITLE)
    return marked.replace("{title}", article.title)


def _summary(feed: Feed, article: Article) -> str | None:
    """An entry's summary: the standfirst, in the corrections feeds the newest correction."""
    if feed.notices and article.corrections:
        return article.corrections[0].text
    return article.summary


def _entry_id(feed: Feed, article: Article, url: str) -> str:
    """An entry's id (Atom <id>, RSS <guid>, JSON `id`): the article's URL, or in the
    corrections feeds that URL marked with the newest correction's time, so each correction
    is an entry readers show as new, never mistaken for the story in the other feeds."""
    if not feed.notices or not article.corrections:
        return url
    return f"{url}#correction-{article.corrections[0].date.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _published(feed: Feed, article: Article) -> datetime:
    """An entry's date: the article's, or in the corrections feeds its newest correction's
    (readers sort and expire entries by it)."""
    if feed.notices and article.corrections:
        return article.corrections[0].date
    return article.date


def _feed_body(html: str, url: str, raw_html: str, hosts: tuple[str, ...]) -> str:
    """A body for a feed: its links absolute, then cleaned again (the sanitizer stays the
    last step for every body, in feeds too). One article is in many feeds: made once."""
    options = BodyOptions(raw_html=raw_html, iframe_hosts=frozenset(hosts))
    if raw_html == "keep":  # trusted and never cleaned: its links made absolute as written
        return absolute_links(html, url)
    return str(finish(html, options, rewrite=lambda link: urljoin(url, link.strip())))


def _image(
    article: Article, url: str, config: SiteConfig, pictures: Mapping[str, Picture]
) -> PictureFile | None:
    """ARTICLE's lead image as feeds carry it: the processed version at most feed_width wide
    (in JPEG or PNG, which every reader shows), else the image as written."""
    if not article.image:
        return None
    found = pictures.get(str(article.source))
    if found is None or found.large is None:
        return PictureFile(urljoin(url, article.image), 0, 0, "")
    large = found.large
    return PictureFile(
        absolute(config.base_url, large.url), large.width, large.height, large.mime, large.size
    )


def _description(feed: Feed, config: SiteConfig) -> str:
    """The site's one line in the feed's language (`languages: {fr: {description: …}}`)."""
    spoken = next((lang for lang in config.languages if lang.code == feed.language), None)
    return (spoken.description if spoken else "") or config.description or feed.title


def _xml_feed(
    feed: Feed,
    self_url: str,
    config: SiteConfig,
    bodies: Bodies,
    pictures: Mapping[str, Picture],
    words: FeedWords,
) -> bytes:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    if feed.format == "rss" and any(a.image for a in feed.articles):
        fg.load_extension("media", atom=False, rss=True)
    home = absolute(config.base_url, feed.home)
    fg.id(home)
    fg.title(feed.title)
    fg.subtitle(_description(feed, config))
    fg.language(feed.language or config.language)
    # RFC 4287 wants an author on every Atom entry: the site's, else its title.
    fg.author(name=config.author or config.publisher_name or config.title)
    # feedgen stamps datetime.now() unless told otherwise; the newest change keeps builds identical.
    fg.lastBuildDate(_last_change(feed.articles))
    fg.updated(_last_change(feed.articles))
    fg.generator("newsgen")
    enclosures: list[PictureFile | None] = []
    for article in feed.articles:
        url = absolute(config.base_url, article.url)
        entry = fg.add_entry(order="append")  # the default, "prepend", reverses the feed
        entry.id(_entry_id(feed, article, url))
        entry.guid(_entry_id(feed, article, url), permalink=not feed.notices)
        entry.title(_title(feed, article, config, words))
        entry.link(href=url, rel="alternate")
        entry.published(_published(feed, article))
        entry.updated(article.modified)
        if summary := _summary(feed, article):
            # Readers treat RSS <description> as HTML and the summary is plain text, so it is
            # escaped and marked as HTML for Atom too. (feedgen's description() would set
            # Atom's <content> instead of <summary>.)
            entry.summary(str(escape(summary)), type="html")
        if feed.notices:
            entry.content(_notices(feed, article, url, config, words), type="html")
        elif config.feed_content == "full":
            entry.content(_full(feed, article, url, config, bodies, words), type="html")
        for name in article.authors:
            entry.author(name=name)
            entry.dc.dc_creator(name)
        image = _image(article, url, config, pictures)
        image = image if image is not None and image.mime else None
        enclosures.append(image)
        if image is not None and feed.format == "rss":
            # <enclosure>, and Media RSS's <media:content>, which most readers show as
            # the entry's picture.
            entry.enclosure(image.url, image.size, image.mime)
            media = {"url": image.url, "medium": "image", "type": image.mime}
            media |= {"width": str(image.width), "height": str(image.height)}
            entry.media.content(**media)
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
    return _atom_enclosures(bytes(fg.atom_str(pretty=True)), enclosures)


_ATOM = "{http://www.w3.org/2005/Atom}"


def _atom_enclosures(data: bytes, enclosures: Sequence[PictureFile | None]) -> bytes:
    """Atom's <link rel="enclosure"> for each entry's picture, in entry order. feedgen
    writes an entry's links without their rel and type (feedgen 1.0: `link` is rebound
    to the new element before its attributes are read), so they are added here."""
    if not any(enclosures):
        return data
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    for entry, image in zip(root.iter(f"{_ATOM}entry"), enclosures, strict=True):
        if image is not None:
            link = etree.SubElement(entry, f"{_ATOM}link", rel="enclosure", href=image.url)
            link.set("type", image.mime)
            link.set("length", str(image.size))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _json_feed(
    feed: Feed,
    self_url: str,
    config: SiteConfig,
    bodies: Bodies,
    pictures: Mapping[str, Picture],
    words: FeedWords,
) -> bytes:
    home = absolute(config.base_url, feed.home)
    items = []
    for article in feed.articles:
        url = absolute(config.base_url, article.url)
        item: dict[str, object] = {
            "id": _entry_id(feed, article, url),
            "url": url,
            "title": _title(feed, article, config, words),
        }
        if feed.notices:
            item["content_html"] = _notices(feed, article, url, config, words)
        elif config.feed_content == "full":
            item["content_html"] = _full(feed, article, url, config, bodies, words)
        else:
            item["content_text"] = article.summary or article.title
        if summary := _summary(feed, article):
            item["summary"] = summary
        image = _image(article, url, config, pictures)
        if image is not None:
            item["image"] = image.url
        item["date_published"] = _published(feed, article).isoformat()
        item["date_modified"] = article.modified.isoformat()
        if article.authors:
            item["authors"] = [{"name": name} for name in article.authors]
        if article.tags:
            item["tags"] = [tag.name for tag in article.tags[:FEED_TAGS]]
        item["language"] = article.language or config.language
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": home,
        "feed_url": self_url,
        "description": _description(feed, config),
        "language": feed.language or config.language,
        "authors": [{"name": config.author or config.publisher_name or config.title}],
        "items": items,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
    # Safe to inline anywhere: no '</script>' or line separators that break old parsers.
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (text + "\n").encode("utf-8")


def render_feed(
    feed: Feed,
    self_url: str,
    config: SiteConfig,
    bodies: Bodies,
    pictures: Mapping[str, Picture] | None = None,
    words: FeedWords | None = None,
) -> bytes:
    """One feed file (RSS, Atom or JSON Feed) of the newest articles of a listing; their
    bodies (full-content feeds) are read from BODIES, their lead images' processed
    versions from PICTURES (by the article's source), the theme's words (a correction's
    label) from WORDS."""
    words = words or PlainWords()
    if feed.format == "json":
        return _json_feed(feed, self_url, config, bodies, pictures or {}, words)
    return _xml_feed(feed, self_url, config, bodies, pictures or {}, words)


def feed_links(prefix: str) -> dict[str, str]:
    """A listing's feed URLs (relative to base_url), by format."""
    return {kind: prefix + name for kind, name in FEED_FILES.items()}
