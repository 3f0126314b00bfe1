"""The values that flow through a build. Frozen, slotted, picklable; no I/O, no Jinja."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from markupsafe import Markup

from newsgen.errors import ContentError

FEED_TAGS = 100
"""Tags a feed entry carries. Every tag's feed holds the article with all its tags, so an
article with thousands of tags would make feeds whose size grows with the square of them."""

FEED_WORDS = ("Correction, {date}:", "Correction: {title}")
"""The theme's words the feeds show (with those the templates ask for, what a catalogue holds)."""


class FrozenMap(Mapping[str, Any]):
    """A read-only mapping that pickles (MappingProxyType does not), for front-matter extras.

    Models cross process boundaries when parsing and rendering run in workers.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, Any]]]:
        return (FrozenMap, (self._data,))


EMPTY: Mapping[str, Any] = FrozenMap()


THEME_FOLDER = "theme/"
"""Where the built-in theme's files (style.css, search.js, favicon.svg) are published when
the site's static/ is at the root."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """newsgen.yaml, coerced and defaulted."""

    title: str = "News"
    """Site name, shown in every page header and in the feeds."""
    description: str = ""
    """One line about the site, for feeds and the home page's meta description."""
    base_url: str = "http://localhost:8000/"
    """Absolute URL where build/ is deployed; always ends with '/'. May contain a path."""
    language: str = "en"
    """BCP 47 language tag for <html lang> and the feeds; with `languages`, the default one."""
    languages: tuple[Language, ...] = ()
    """The site's languages, the default first; none for a site in one language."""
    timezone: str = "UTC"
    """IANA zone for naive dates and for displaying dates."""
    per_page: int = 20
    """Articles per listing page (home and tag pages)."""
    author: str = ""
    """Default author for articles that name none."""
    permalink: str = "/{year}/{month}/{day}/{slug}/"
    """Article URL pattern, relative to base_url."""
    permalinks: Mapping[str, str] = field(default_factory=FrozenMap)
    """A section's key → the URL pattern of its articles, in place of `permalink` (Hugo's
    `[permalinks]`); the build adds the patterns `_index` files give."""
    raw_html: str = "sanitize"
    """Raw HTML in Markdown and .html bodies: 'sanitize', 'keep' or 'escape' (markdown.html)."""
    iframe_hosts: tuple[str, ...] = (
        "www.youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
    )
    """Hosts whose <iframe>s survive sanitizing (markdown.iframe_hosts)."""
    anchors: str = "github"
    """Whose heading ids: github, jekyll, hugo, zola, pelican, eleventy (markdown.anchors)."""
    section_from: str = "auto"
    """Where an article's section comes from: auto (front matter, else its folder, else its
    first category), folders (front matter, else folder), front-matter, or none."""
    sections: tuple[Section, ...] = ()
    """Sections described in newsgen.yaml (name, description, weight), as `_index` files do."""
    slug_from: str = "filename"
    """Where a slug comes from when the front matter has none: 'filename' or 'title'."""
    slugify: str | None = None
    """Whose rule makes slugs (pelican, hugo, hugo-keep-case, jekyll, zola, newsgen); None:
    file names kept as written, titles by newsgen's rule (see newsgen.slugs)."""
    smart_quotes: bool = True
    """Typographic quotes and dashes in Markdown bodies, quote marks as `language` writes them."""
    archive: bool = True
    """Date archives: /archive/, /{year}/ and /{year}/{month}/."""
    author_pages: bool = True
    """Author pages: /authors/ and /authors/{slug}/, linked from bylines."""
    feed_length: int = 50
    """Entries in each feed (feeds.length)."""
    feed_content: str = "full"
    """'full' (the body, with the summary as description) or 'summary' (feeds.content)."""
    tag_feeds: bool = True
    """RSS, Atom and JSON Feed for each tag (feeds.tags)."""
    author_feeds: bool = True
    """RSS, Atom and JSON Feed for each author (feeds.authors)."""
    section_feeds: bool = True
    """RSS, Atom and JSON Feed for each section (feeds.sections)."""
    nav_sections: int = 8
    """How many sections the header navigation shows (weighted first); the rest are reached
    from their articles' kickers and breadcrumbs."""
    related: int = 5
    """Related articles under each article (0 for none)."""
    related_window: int = 15
    """Per tag, how many articles on each side of an article are candidates to be related to
    it: the bound on the work and on the pages one new story rewrites (docs/output.md)."""
    front_grid: int = 6
    """Stories in the front page's grid, after its lead (front.grid)."""
    front_sections: tuple[str, ...] = ()
    """The sections with a block on the front page, by key, in order; none named: the
    navigation's, up to front_blocks of them (front.sections)."""
    front_blocks: int = 4
    """Blocks of sections (or, in a site without sections, of its biggest tags) on the
    front page (front.blocks)."""
    front_block_stories: int = 4
    """Stories in each block (front.block_stories)."""
    front_latest: int = 10
    """Stories in the front page's "Latest" list (front.latest)."""
    search: bool = True
    """Full-text search (Pagefind): /search/ and a search box in the header."""
    news_sitemap: bool = True
    """/news-sitemap.xml for Google News."""
    sitemap_limit: int = 50000
    """URLs per sitemap file; more make numbered files and a sitemap index."""
    publisher_name: str = ""
    """The publisher in NewsArticle metadata (publisher.name; default: title)."""
    publisher_logo: str = ""
    """Its logo, a URL or a path under base_url (publisher.logo)."""
    images: ImageSettings = field(default_factory=lambda: ImageSettings())
    """How lead and body images are processed (images: in newsgen.yaml)."""
    missing_images: str = "error"
    """What a missing local image in a body is: 'error' (the build fails, as a missing
    lead image or include does) or 'warning' (drawn as written, for archives holding dead
    images) (images.missing)."""
    corrections_url: str = "corrections/"
    """The page listing every corrected article, relative to base_url (corrections.url);
    in a site of several languages, under each language's prefix."""
    default_image: str = ""
    """The picture of a page without one (Open Graph, Twitter, JSON-LD): a path under the
    site, as a lead image is written, or a URL (default_image)."""
    check_summaries: bool = False
    """`newsgen check` warns about articles without a written summary (check.summaries)."""
    check_alt_text: bool = False
    """`newsgen check` warns about body images without alt text (check.alt_text)."""
    check_external_paths: tuple[str, ...] = ()
    """Paths on the site's host that exist outside the archive ('/shop/', '/about.php'):
    `newsgen check` reports no link to them, nor an old URL under them (check.external_paths)."""
    static_url: str = "/"
    """Where the site's static/ folder is published, from base_url's path: '/' (the site
    root, as Hugo, Zola and Jekyll publish theirs; the theme's own files then go under
    '/theme/') or another folder such as '/static/' (the layout earlier newsgen builds made:
    the theme's files are published there too)."""
    params: Mapping[str, Any] = field(default_factory=FrozenMap)
    """The site's own values (Jekyll's `_config.yml` keys, Hugo's site params): `site.KEY`
    and `site.params.KEY` in bodies' tags and in templates."""

    def parse_settings(self) -> tuple[object, ...]:
        """The settings an article's parse result depends on (the rest only shape pages)."""
        return (
            self.base_url,
            self.timezone,
            self.author,
            self.permalink,
            self.permalinks,
            self.raw_html,
            self.iframe_hosts,
            self.anchors,
            self.slug_from,
            self.section_from,
            self.slugify,
            self.smart_quotes,
            self.language,
            self.languages,
            self.title,
            self.params,
            self.check_external_paths,
        )

    @property
    def static_prefix(self) -> str:
        """The output folder of the site's static/ files: '' (the root) or 'static/'."""
        return self.static_url.strip("/") + "/" if self.static_url.strip("/") else ""

    @property
    def theme_prefix(self) -> str:
        """The output folder of the theme's own files: 'theme/', or the static folder when
        static_url keeps the old layout (a site's file of the same name overrides it)."""
        return self.static_prefix or THEME_FOLDER

    @property
    def default_language(self) -> Language:
        """The language of an article that names none (and of pages, the 404 and search)."""
        return self.languages[0] if self.languages else Language(self.language, self.language)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. '/' or '/news/': every internal link starts with it."""
        rest = self.base_url.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path if path.endswith("/") else path + "/"


@dataclass(frozen=True, slots=True)
class ImageSettings:
    """How images are processed (`images:` in newsgen.yaml); part of every processed
    image's cache key."""

    widths: tuple[int, ...] = (480, 960, 1600)
    """Widths of the smaller versions, in pixels; none wider than the original is made."""
    quality: int = 82
    """JPEG and WebP quality (1-100) of the versions made."""
    keep_metadata: bool = False
    """Keep EXIF, XMP and comments (camera, GPS location) in the published files."""
    thumbnail: tuple[int, int] = (400, 300)
    """Width and height of the cropped thumbnail listings show."""
    feed_width: int = 1200
    """The widest version feeds and social cards (og:image) point to."""


@dataclass(frozen=True, slots=True)
class PictureFile:
    """One published file of a processed image."""

    url: str
    """Its path from the site's root ('_img/3f…/harbour-480.webp'), or an absolute URL."""
    width: int
    height: int
    mime: str
    """'image/webp', 'image/jpeg', 'image/png', …"""
    size: int = 0
    """Its length in bytes (a feed's enclosure says it); 0 when not known."""


@dataclass(frozen=True, slots=True)
class Picture:
    """A local image as processed: what templates and feeds draw it with."""

    src: PictureFile
    """The image at its own URL (metadata stripped) with its size after EXIF orientation."""
    webp: tuple[PictureFile, ...] = ()
    """WebP versions, narrowest first (none for an image that is not processed: SVG, GIF)."""
    fallback: tuple[PictureFile, ...] = ()
    """The same widths in the original's format (JPEG for a WebP or GIF original)."""
    thumb_webp: tuple[PictureFile, ...] = ()
    """The cropped thumbnail in WebP: 1x, then 2x when the original is large enough."""
    thumb: tuple[PictureFile, ...] = ()
    """The same thumbnails in the fallback format."""
    large: PictureFile | None = None
    """The version feeds and social cards use: the fallback format, at most feed_width."""


@dataclass(frozen=True, slots=True)
class Language:
    """One language of a site in several (`languages:` in newsgen.yaml)."""

    code: str
    """BCP 47 tag, as configured: `<html lang>`, hreflang, the feeds' language, and the
    file suffix (`story.ja.md`) and folder (`articles/ja/`) that give an article it."""
    name: str
    """Its name in its own words (日本語), shown in the language switcher."""
    prefix: str = ""
    """Its pages' URL prefix relative to base_url: 'ja/', or '' (the default language's)."""
    title: str = ""
    """The site's title in this language ('' for the site's `title`)."""
    description: str = ""
    """The site's one line in this language ('' for the site's `description`)."""
    host: str = ""
    """The address this language was served at on a host of its own before
    ('https://numerique.example/', Hugo's multihost): its articles' and pages' `url` and
    `aliases` are read under its prefix, as are its old URLs (check --old-urls)."""


@dataclass(frozen=True, slots=True)
class Translation:
    """Another language's version of a page: where the language switcher and the hreflang
    alternates point."""

    language: Language
    url: str
    """Relative to base_url."""
    title: str


@dataclass(frozen=True, slots=True, order=True)
class Tag:
    """A tag, identified case-insensitively by its name."""

    key: str
    """The identity: the name case-folded, so "Defence" and "defence" are one tag."""
    name: str = field(compare=False)
    """Display name: the first spelling seen in the archive."""
    slug: str = field(compare=False)
    """URL segment under /tags/, unique in the site (see site.assemble)."""


@dataclass(frozen=True, slots=True, order=True)
class Author:
    """A byline, identified by its name case-folded, like a tag."""

    key: str
    name: str = field(compare=False)
    """Display name: the first spelling seen in the archive."""
    slug: str = field(compare=False)
    """URL segment under /authors/, unique in the site."""


@dataclass(frozen=True, slots=True, order=True)
class Section:
    """A section of the paper (World, Business, Sport), identified by its URL segment."""

    key: str
    """The identity and URL segment: the name made a slug, so a folder `world-news/` and
    `section: World News` are one section."""
    name: str = field(compare=False)
    """Display name: the `_index` file's title, else the first spelling seen."""
    description: str = field(default="", compare=False)
    """One line for the section's front page and its feeds (the `_index` file's)."""
    weight: int = field(default=0, compare=False)
    """Place in the navigation: lower first, then by name."""
    intro: Markup | None = field(default=None, compare=False)
    """The `_index` file's body, shown above the section's articles."""
    url: str = field(default="", compare=False)
    """Its front page, relative to its edition's home: base_url, or in a site of several
    languages the language's prefix under it (set by site.assemble; see urls.section_url;
    templates link to it with section_url(section), under the page's home_url)."""
    given_url: str = field(default="", compare=False)
    """The front page its `_index` file puts it at (`url:`), relative to its edition's home
    as `url` is; empty: urls.section_url decides."""
    aliases: tuple[str, ...] = field(default=(), compare=False)
    """Old URLs of its front page, each made a redirect to it (the `_index` file's `aliases`)."""
    permalink: str = field(default="", compare=False)
    """The URL pattern of its articles (the `_index` file's `permalink`); empty: the site's."""
    source: PurePosixPath | None = field(default=None, compare=False)
    """The `_index` file that describes it, named in the problems of what that file says."""
    draft: bool = field(default=False, compare=False)
    """Its `_index` file says `draft: true`: a landing page it would make is a draft."""

    @property
    def slug(self) -> str:
        return self.key


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction an article's front matter records (`corrections:`): when, and what."""

    date: datetime
    """When it was made, tz-aware."""
    html: Markup
    """Its text, inline Markdown rendered and sanitized (nothing touches it afterwards)."""
    text: str
    """The same as plain text, for metadata (JSON-LD's CorrectionComment)."""


@dataclass(frozen=True, slots=True)
class Article:
    """One article, fully parsed and rendered to HTML, not yet placed in a site."""

    source: PurePosixPath
    """Path relative to the site root; used in every message about this article."""
    title: str
    date: datetime
    """Publication time, always tz-aware."""
    slug: str
    url: str
    """Path relative to base_url, e.g. '2025/09/03/some-slug/'."""
    body_html: Markup | None
    """The body; None when it is kept in the build's body store under `body_key` (Bodies)."""
    summary: str
    """Plain text (escaped on output)."""
    tags: tuple[Tag, ...] = ()
    authors: tuple[str, ...] = ()
    draft: bool = False
    updated: datetime | None = None
    image: str | None = None
    image_alt: str | None = None
    image_caption: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    """Front-matter keys newsgen does not know, for templates."""
    redirects: tuple[str, ...] = ()
    """Old paths (aliases, redirect_from) that redirect here, as written."""
    bundle: PurePosixPath | None = None
    """The page bundle folder (relative to the site root) when the article is its index file."""
    assets: tuple[PurePosixPath, ...] = ()
    """The bundle's other files, relative to `bundle`; published next to the page."""
    pending_refs: bool = False
    """The body links to other articles by name (`newsgen-ref:`); site.assemble resolves them."""
    digest: str = ""
    """Identity of everything the article is made of (its source key, set by incremental.stash;
    pages showing it use it)."""
    body_key: str = ""
    """The digest the body is stored under when `body_html` is None."""
    word_count: int = 0
    """Words in the body."""
    bylines: tuple[Author, ...] = ()
    """The authors with their archive-wide spelling and page slug (set by site.assemble)."""
    standfirst: bool = False
    """The summary was written in the front matter, so the page shows it under the headline
    (a summary cut from the first paragraph would only repeat it)."""
    section: Section | None = None
    """The section it belongs to (as its own file says; given its archive-wide name, order
    and description by site.assemble)."""
    language: str = ""
    """Its language's code (one of SiteConfig.languages), or '' in a site of one language."""
    translation_key: str = ""
    """Articles with the same key are translations of each other: the front matter's
    `translation_key`, else the file's path without its language suffix and folder."""
    body_images: tuple[str, ...] = ()
    """The srcs of the body's own images, as written: the images its HTML depends on."""
    images_key: str = ""
    """A digest of the processed images the body was drawn with ('' for none)."""
    publish_at: datetime | None = None
    """An embargo: the article is held back until then (its displayed date stays `date`)."""
    expires: datetime | None = None
    """A takedown: from then on the article is not published."""
    held: str = ""
    """'scheduled' or 'expired' when a build shows it all the same (`--drafts`), for the
    banner on its page (set by site.assemble); '' for a published article."""

    corrections: tuple[Correction, ...] = ()
    """Its corrections, newest first."""

    @property
    def modified(self) -> datetime:
        """Its last change: the newest of `updated` and its corrections' dates, else its
        date. The one answer JSON-LD, feeds and the sitemap give."""
        newest = self.updated or self.date
        if self.corrections:
            newest = max(newest, self.corrections[0].date)
        return newest

    @property
    def author(self) -> str:
        return ", ".join(self.authors)

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least one."""
        return max(1, round(self.word_count / 230))


@dataclass(frozen=True, slots=True)
class Page:
    """An undated page from pages/ (About, Contact): never in listings or feeds."""

    source: PurePosixPath
    title: str
    slug: str
    url: str
    """Path relative to base_url, e.g. 'about/'."""
    body_html: Markup | None
    """As Article.body_html."""
    summary: str
    menu: bool = False
    """Listed in the header navigation."""
    weight: int = 0
    """Order in the navigation: lower first, then by title."""
    draft: bool = False
    updated: datetime | None = None
    image: str | None = None
    image_alt: str | None = None
    image_caption: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    redirects: tuple[str, ...] = ()
    bundle: PurePosixPath | None = None
    assets: tuple[PurePosixPath, ...] = ()
    pending_refs: bool = False
    digest: str = ""
    body_key: str = ""
    language: str = ""
    """As Article.language: a page of a language's folder (`pages/fr/`), suffix or `lang`."""
    translation_key: str = ""
    """As Article.translation_key: `pages/en/about.md` and `pages/fr/about.md` are `about`."""
    body_images: tuple[str, ...] = ()
    """As Article.body_images."""
    images_key: str = ""
    """As Article.images_key."""


class Bodies(Protocol):
    """Where a renderer, a feed or a check reads the bodies kept apart from their items.

    A 100,000-article archive is never held in memory: an item recalled from the cache
    carries only its body's key, and whoever shows the body is handed a store to read it from.
    """

    def html(self, item: Article | Page) -> Markup:
        """ITEM's body; a ContentError at its source when it cannot be found."""
        ...


class HeldBodies:
    """Bodies held by their items only: a site loaded without a cache (tests, importers)."""

    def html(self, item: Article | Page) -> Markup:
        if item.body_html is None:
            raise ContentError(item.source, None, "its text was not kept with it")
        return item.body_html


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where one listing page sits among its siblings."""

    number: int
    """1-based page number."""
    total: int
    url: str
    """This page's path relative to base_url ('' for the home page)."""
    prev_url: str | None
    """Newer page, relative to base_url, or None on the first page."""
    next_url: str | None
    """Older page, relative to base_url, or None on the last page."""


@dataclass(frozen=True, slots=True)
class TermNote:
    """What a Hugo term page (`articles/tags/NAME/_index.md`) says of a tag or an author."""

    taxonomy: str
    """Its folder: `tags` or `categories` (both newsgen's tags), or `authors`."""
    name: str
    """The term's folder name (NAME), as Hugo names it: the term's slug."""
    title: str = ""
    """Shown as the heading of the tag's or author's page, for the term's name."""
    description: str = ""
    """One line under that heading, and the page's meta description."""


@dataclass(frozen=True, slots=True)
class TagEntry:
    """A tag with its articles, newest first."""

    tag: Tag
    articles: tuple[Article, ...]
    note: TermNote | None = None
    """What the tag's term page says of it, in the edition's language (site.assemble)."""


@dataclass(frozen=True, slots=True)
class SectionEntry:
    """A section with its articles, newest first."""

    section: Section
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class AuthorEntry:
    """An author with their articles, newest first."""

    author: Author
    articles: tuple[Article, ...]
    note: TermNote | None = None
    """What the author's term page says of them, in the edition's language (site.assemble)."""


@dataclass(frozen=True, slots=True)
class Period:
    """A year, or a month of a year, of the date archive."""

    year: int
    month: int | None = None
    count: int = 0
    """Articles published in it."""
    url: str = ""
    """Its listing page, relative to base_url ('2024/' or '2024/05/')."""
    months: tuple[Period, ...] = ()
    """For a year: its months with articles, newest first."""


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed file: what it lists and where it lives (RSS, Atom and JSON Feed alike)."""

    format: str
    """'rss', 'atom' or 'json'."""
    title: str
    """The feed's title: the site's, or the site's with the tag or author."""
    home: str
    """URL of the listing page it follows, relative to base_url."""
    articles: tuple[Article, ...]
    """The newest articles, newest first."""
    language: str = ""
    """Its language (`<language>`); '' for the site's."""
    notices: bool = False
    """Its entries carry their articles' corrections, not their bodies (the corrections
    page's feeds), and are dated by their newest correction."""


@dataclass(frozen=True, slots=True)
class Redirect:
    """An old URL that sends readers to where an article or page lives now."""

    url: str
    """The old path relative to base_url, as the front matter wrote it (no leading '/')."""
    target: str
    """The new URL relative to base_url."""
    title: str
    """The target's title, for the redirect page's link text."""
    source: PurePosixPath
    """The file whose aliases/redirect_from named it."""


@dataclass(frozen=True, slots=True)
class SearchPart:
    """One part of the search index: its name (its folder under /pagefind/), the language
    its words are read in, and its articles, newest first."""

    name: str
    language: str
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class FrontBlock:
    """One block of a front page: a section's (or a tag's) newest stories."""

    name: str
    """Its heading: the section's or the tag's name."""
    articles: tuple[Article, ...]
    section: Section | None = None
    """The section it shows; None for a tag's block."""
    tag: Tag | None = None
    """The tag it shows, in a site without sections."""


@dataclass(frozen=True, slots=True)
class Front:
    """What a news front page shows (site.front_page): a lead, a grid of the next stories,
    a block per section (or top tag) and a list of the latest."""

    lead: Article | None
    """The newest story."""
    grid: tuple[Article, ...]
    """The stories after it, newest first."""
    blocks: tuple[FrontBlock, ...]
    """Each with stories the lead and the grid do not show."""
    more: tuple[Article, ...]
    """The rest of the first page's stories (`per_page` of them), newest first: every story
    until the second page is on the first, whatever the parts above show."""
    latest: tuple[Article, ...]
    """The newest stories, newest first (the lead and grid's too: a running list)."""
    today: datetime | None
    """The start of the build's day (its *now*) in the site's time zone, or without a now
    the newest story's date: the Latest list gives the time of that day's stories."""


@dataclass(frozen=True, slots=True)
class PublishedFiles:
    """The files a build publishes as they are: the site's static/ and its bundles' files
    (not the theme's own), by where the deployed site serves them."""

    sources: Mapping[str, PurePosixPath] = field(default_factory=lambda: EMPTY)
    """Output path ('assets/x.png', '2024/05/01/story/chart.png', decoded, relative to the
    output) → the source file, relative to the site root ('static/assets/x.png')."""


@dataclass(frozen=True, slots=True)
class Site:
    """The assembled, read-only catalogue: everything the renderer and feeds need."""

    config: SiteConfig
    articles: tuple[Article, ...]
    """Published articles, newest first, in a total order."""
    tags: tuple[TagEntry, ...]
    """Every tag, sorted by name."""
    pages: tuple[Page, ...] = ()
    """Undated pages, by URL."""
    menu: tuple[Page, ...] = ()
    """Pages in the header navigation, by weight then title."""
    redirects: tuple[Redirect, ...] = ()
    """Every alias, by old URL."""
    years: tuple[Period, ...] = ()
    """The date archive: years newest first, each with its months."""
    authors: tuple[AuthorEntry, ...] = ()
    """Every author, sorted by name."""
    related: Mapping[str, tuple[Article, ...]] = field(default_factory=lambda: EMPTY)
    """Source path → the articles related to it, best first."""
    sections: tuple[SectionEntry, ...] = ()
    """Every section with articles, in navigation order (weight, then name)."""
    language: Language | None = None
    """In a site of several languages, the language of this edition's listings (the whole
    site's catalogue lists the default language's, and holds every article)."""
    editions: tuple[Site, ...] = ()
    """In a site of several languages, one catalogue per language, the default first, each
    with its own articles, tags, sections, authors and archive."""
    translations: Mapping[str, tuple[Translation, ...]] = field(default_factory=lambda: EMPTY)
    """Source path → the article's versions in the other languages, in the site's order."""
    files: PublishedFiles = field(default_factory=PublishedFiles)
    """The site's own files published as they are (urls.local_file finds a URL's source)."""
    held: tuple[Held, ...] = ()
    """The articles the build's *now* holds back (scheduled or expired), soonest first."""
    today: datetime | None = None
    """The start of the build's day in the site's time zone (the front page's "today"), or
    None when the build is given no *now* (the newest story's day then)."""


@dataclass(frozen=True, slots=True)
class Held:
    """An article a build does not publish at its *now* (schedule.py decides)."""

    source: PurePosixPath
    state: str
    """'scheduled' (its publication time is still to come) or 'expired' (taken down)."""
    when: datetime
    """When it will be published (scheduled) or when it was taken down (expired)."""


@dataclass(frozen=True, slots=True)
class OutputEntry:
    """One file of an output tree: what made it, its stat when it was written, its bytes' digest."""

    fp: str
    """Fingerprint of every input of the file: equal fingerprints, equal bytes."""
    size: int
    mtime_ns: int
    ino: int
    sha: str
    """SHA-256 of its bytes (hex): a file made again with the same bytes is kept, not written,
    and the output's manifest lists it."""


@dataclass(frozen=True, slots=True)
class Route:
    """One output page: its URL and file, and which template renders it with what."""

    url: str
    """URL relative to base_url ('' for the home page, '2025/09/03/slug/', '404.html')."""
    path: str
    """Output file relative to build/: the URL, with index.html for a folder URL."""
    template: str
    """Template name looked up through the override chain."""
    context: Mapping[str, Any]
    """Exactly what the template sees, beside the globals (page_url among them)."""
    in_sitemap: bool = True
    """False for pages crawlers should not list, such as the 404 page."""
    owner: str = "newsgen"
    """What the page is for, in messages: an article's source path, or 'the home page'."""
    feed: bool = False
    """A feed (its `context['feed']`), written by `feeds`, not by a template."""


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The theme's words in each language (`i18n/LANG.yaml` of the theme, then the site's):
    a key is the English text a template asks for (`t('Latest')`), a value its text in a
    language, or a table of plural forms ({one: …, other: …}). A key a language lacks is
    its English text."""

    words: Mapping[str, Mapping[str, str | Mapping[str, str]]] = field(default_factory=dict)
    """Language code (lowercase) → key → text, every fallback already merged in."""
    places: tuple[tuple[PurePosixPath, int, str], ...] = ()
    """Where the site's catalogues set each key (file, line, key): warnings point there."""
    digest: str = ""
    """A digest of every catalogue file read: what a page's words are made of."""

    def text(self, language: str, key: str) -> str | Mapping[str, str]:
        """KEY's text in LANGUAGE ('zh-Hant-TW' falls back to 'zh-Hant', then 'zh', then
        English)."""
        return self.found(language, key)[0]

    def found(self, language: str, key: str) -> tuple[str | Mapping[str, str], str]:
        """KEY's text in LANGUAGE, as `text`, and the language whose catalogue gave it (whose
        plural rules choose among its forms: English words count as English does)."""
        parts = language.lower().replace("_", "-").split("-")
        for lang in [*("-".join(parts[:n]) for n in range(len(parts), 0, -1)), "en"]:
            table = self.words.get(lang)
            if table is not None and key in table:
                return table[key], lang
        return key, "en"
