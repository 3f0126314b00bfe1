"""Write one corpus as a newsgen, a Pelican and a Hugo site with comparable settings.

Each site makes the same set of pages as newsgen's built-in theme: article pages (with links to
the previous and next article), a home page paginated 20 to a page, a tag index, tag pages
paginated 20 to a page, RSS and Atom feeds of the newest 50 articles with full content, a
sitemap and a 404 page. Pelican and Hugo get a theme from ``themes/`` that mirrors newsgen's
templates, so no tool renders a heavier or lighter page than the others, and all three share
newsgen's stylesheet. newsgen switches off what it would make beyond that (``NEWSGEN_CONFIGS``
also holds its defaults, for ``run.py features``); only its site-wide ``/feed.json`` stays.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus import DEFAULT_SEED, VARIANTS, Article, generate

TOOLS = ("newsgen", "pelican", "hugo")
HERE = Path(__file__).resolve().parent
THEMES = HERE / "themes"
STYLESHEET = HERE.parent / "static" / "style.css"
TITLE = "The Benchmark Ledger"
BASE_URL = "https://example.org/"
PER_PAGE = 20
FEED_ITEMS = 50

ROBOTS = f"User-agent: *\nAllow: /\nSitemap: {BASE_URL}sitemap.xml\n"

NEWSGEN_BASE = f"""\
title: "{TITLE}"
base_url: "{BASE_URL}"
per_page: {PER_PAGE}
"""
# newsgen: everything Pelican and Hugo are not asked to build is switched off, so the three
# tools make the same pages. The site-wide /feed.json cannot be switched off (one extra file).
LIKE_FOR_LIKE = """\
archive: false
author_pages: false
related: 0
search: false
news_sitemap: false
feeds:
  tags: false
  authors: false
"""
NEWSGEN_CONFIGS = {
    "like-for-like": NEWSGEN_BASE + LIKE_FOR_LIKE,
    "no-search": NEWSGEN_BASE + "search: false\n",  # the defaults: every archive feature
    "defaults": NEWSGEN_BASE,  # the defaults, search included
}

# Pelican: only the pages newsgen makes. Categories, authors and archives pages are switched
# off; caching stays at Pelican's defaults here (off), and run.py turns it on with -e for the
# rebuild scenarios, as the report says.
PELICAN_CONFIG = f"""\
SITENAME = "{TITLE}"
SITEURL = "{BASE_URL.rstrip("/")}"
RELATIVE_URLS = False
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "theme"
THEME_STATIC_DIR = "static"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["neighbors"]
STATIC_PATHS = ["extra/robots.txt"]
EXTRA_PATH_METADATA = {{"extra/robots.txt": {{"path": "robots.txt"}}}}
SUMMARY_MAX_LENGTH = 25

ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
SITEMAP_SAVE_AS = "sitemap.xml"
DIRECT_TEMPLATES = ["index", "tags", "sitemap", "404"]
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
PAGE_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""

DEFAULT_PAGINATION = {PER_PAGE}
PAGINATED_TEMPLATES = {{"index": None, "tag": None}}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "atom.xml"
FEED_ALL_RSS = "feed.xml"
FEED_MAX_ITEMS = {FEED_ITEMS}
RSS_FEED_SUMMARY_ONLY = False
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
"""

# Hugo: no section pages (newsgen has none), tags only, feeds named as newsgen names them.
HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}"
title = "{TITLE}"
locale = "en"
disableKinds = ["section"]
enableRobotsTXT = true

[pagination]
pagerSize = {PER_PAGE}
disableAliases = true

[taxonomies]
tag = "tags"

[permalinks.page]
posts = "/:year/:month/:day/:slug/"

[outputs]
home = ["html", "rss", "atom"]
page = ["html"]
taxonomy = ["html"]
term = ["html"]

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]

[outputFormats.rss]
baseName = "feed"

[outputFormats.atom]
mediaType = "application/atom+xml"
baseName = "atom"
rel = "alternate"
"""


def yaml_list(values: Sequence[str]) -> str:
    """A YAML flow list; JSON strings are valid YAML double-quoted scalars."""
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def newsgen_text(article: Article) -> str:
    """newsgen's own form: YAML front matter with title, date, tags and author."""
    authors = article.authors
    author = json.dumps(authors[0]) if len(authors) == 1 else yaml_list(authors)
    return (
        "---\n"
        f"title: {json.dumps(article.title)}\n"
        f"date: {article.date:%Y-%m-%d %H:%M:%S} +0000\n"
        f"tags: {yaml_list(article.tags)}\n"
        f"author: {author}\n"
        "---\n"
        f"{article.body}"
    )


def pelican_text(article: Article) -> str:
    """Pelican's Markdown header lines; the slug is given so URLs match newsgen's."""
    return (
        f"Title: {article.title}\n"
        f"Date: {article.date:%Y-%m-%d %H:%M}\n"
        f"Tags: {', '.join(article.tags)}\n"
        f"Authors: {', '.join(article.authors)}\n"
        f"Slug: {article.slug}\n"
        "\n"
        f"{article.body}"
    )


def hugo_text(article: Article) -> str:
    """Hugo YAML front matter; authors is a plain param, as newsgen has no author pages."""
    return (
        "---\n"
        f"title: {json.dumps(article.title)}\n"
        f"date: {article.date:%Y-%m-%dT%H:%M:%SZ}\n"
        f"slug: {json.dumps(article.slug)}\n"
        f"tags: {yaml_list(article.tags)}\n"
        f"authors: {yaml_list(article.authors)}\n"
        "---\n"
        f"{article.body}"
    )


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
"""What a Pelican content folder's Markdown files end with (Pelican's Markdown reader)."""


def hugo_from_pelican(text: str) -> str:
    """A Pelican Markdown file for Hugo, which does not read Pelican's header lines: those
    lines become YAML front matter (title, date, tags with the category last, as newsgen reads
    them) and the body is kept byte for byte."""
    head, _, body = text.partition("\n\n")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip()
    tags = [t.strip() for t in fields.get("tags", "").split(",") if t.strip()]
    tags += [fields["category"]] if fields.get("category") else []
    return (
        "---\n"
        f"title: {json.dumps(fields.get('title', ''))}\n"
        f"date: {hugo_date(fields.get('date', ''))}\n"
        f"tags: {yaml_list(tags)}\n"
        "---\n"
        f"{body}"
    )


def hugo_date(value: str) -> str:
    """A Pelican date ('2013-06-07 18:46', '2014-01-5') as the ISO 8601 form Hugo requires;
    anything else is passed on for Hugo to judge."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?", value)
    if not match:
        return json.dumps(value)
    year, month, day, hour, minute = (int(g or 0) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00Z"


def emit_folder(tool: str, source: Path, site: Path, config: str = "like-for-like") -> list[Path]:
    """Replace `site` with a `tool` site holding the Markdown files of `source`, a Pelican
    content folder (a real archive), and return their paths in `site`, sorted. `config` names
    one of NEWSGEN_CONFIGS (newsgen only; like-for-like by default).

    newsgen and Pelican get the files as they are (newsgen reads Pelican's header lines);
    Hugo gets them through `hugo_from_pelican`. Only Markdown is copied, not images or pages.
    """
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    write_scaffold(tool, site, config)
    written = []
    for path in sorted(source.rglob("*")):
        if not path.name.lower().endswith(MARKDOWN_SUFFIXES) or not path.is_file():
            continue
        target = site / CONTENT_DIRS[tool] / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if tool == "hugo":
            target.write_text(hugo_from_pelican(path.read_text(encoding="utf-8")), "utf-8")
        else:
            shutil.copyfile(path, target)
        written.append(target)
    return written


CONTENT_DIRS = {"newsgen": "articles", "pelican": "content", "hugo": "content/posts"}
RENDERERS: dict[str, Callable[[Article], str]] = {
    "newsgen": newsgen_text,
    "pelican": pelican_text,
    "hugo": hugo_text,
}


def article_path(tool: str, site: Path, article: Article) -> Path:
    """Where `tool` keeps `article`: CONTENT_DIR/YYYY/YYYY-MM-DD-slug.md for every tool."""
    name = f"{article.date:%Y-%m-%d}-{article.slug}.md"
    return site / CONTENT_DIRS[tool] / f"{article.date:%Y}" / name


def write_article(tool: str, site: Path, article: Article) -> Path:
    """Write one article in `tool`'s form and return its path."""
    path = article_path(tool, site, article)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RENDERERS[tool](article), encoding="utf-8")
    return path


def write_scaffold(tool: str, site: Path, config: str = "like-for-like") -> None:
    """Write the configuration and theme that `tool` needs besides the articles.

    `config` names one of NEWSGEN_CONFIGS (newsgen only).
    """
    if tool == "newsgen":
        (site / "newsgen.yaml").write_text(NEWSGEN_CONFIGS[config], encoding="utf-8")
    elif tool == "pelican":
        (site / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
        (site / "content" / "extra").mkdir(parents=True)
        (site / "content" / "extra" / "robots.txt").write_text(ROBOTS, encoding="utf-8")
        shutil.copytree(THEMES / "pelican" / "templates", site / "theme" / "templates")
        shutil.copytree(THEMES / "pelican" / "plugins", site / "plugins")
        (site / "theme" / "static").mkdir(parents=True)
        shutil.copyfile(STYLESHEET, site / "theme" / "static" / "style.css")
    elif tool == "hugo":
        (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
        shutil.copytree(THEMES / "hugo" / "layouts", site / "layouts")
        (site / "static" / "static").mkdir(parents=True)
        shutil.copyfile(STYLESHEET, site / "static" / "static" / "style.css")
    else:
        raise ValueError(f"unknown tool {tool!r}; expected one of {TOOLS}")


def emit(tool: str, articles: Sequence[Article], site: Path, config: str = "like-for-like") -> Path:
    """Replace `site` with a fresh `tool` site holding `articles`; return its path."""
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    write_scaffold(tool, site, config)
    for article in articles:
        write_article(tool, site, article)
    return site


def main(argv: Sequence[str] | None = None) -> int:
    """Write the corpus for the tools named on the command line."""
    parser = argparse.ArgumentParser(description="Write the synthetic corpus as one site per tool.")
    parser.add_argument("out", type=Path, help="folder to write one site per tool into")
    parser.add_argument("-n", type=int, default=10_000, help="number of articles (10000)")
    parser.add_argument("--variant", choices=VARIANTS, default="prose")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated")
    args = parser.parse_args(argv)
    articles = list(generate(args.n, args.variant, args.seed))
    for tool in args.tools.split(","):
        site = emit(tool, articles, args.out / tool)
        print(f"{tool}: {site}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
