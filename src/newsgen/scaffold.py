"""`newsgen init` and `newsgen new`: the files an editor starts from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from newsgen.config import CONFIG_NAME, load_config
from newsgen.errors import NewsgenError, UsageError
from newsgen.fsutil import ARTICLES_DIR, PAGES_DIR
from newsgen.models import SiteConfig
from newsgen.urls import slugify


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar that reads back as VALUE, whatever it contains."""
    text = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=1 << 30)
    return text.strip()


def config_text(title: str) -> str:
    """newsgen.yaml for a new site: every key explained; the optional ones at their defaults."""
    d = SiteConfig()
    return f"""\
# newsgen site configuration. Lines starting with "#" are comments: remove the "# " in
# front of a key to change it from the default shown.

# Site name, shown in every page header and in the feeds.
title: {yaml_string(title)}

# One line about the site, for the feeds and the home page's description.
description: "News from our town."

# The absolute URL the site will be published at. It may have a path, such as
# https://example.org/news/; `newsgen serve` then serves the site under that path too.
base_url: {yaml_string(d.base_url)}

# Language of the articles, as a BCP 47 tag (en, en-GB, de, fr-CA, ...).
# language: {d.language}

# A site in several languages: each one's name, and the path its pages are under (none for
# `language`, the code for the others: /ja/). An article's language is its `lang:`, its
# file's suffix (story.ja.md) or its folder (articles/ja/...).
# languages:
#   en: {{name: English}}
#   ja: {{name: 日本語, prefix: ja}}

# IANA time zone for article dates written without an offset, and for showing dates.
# timezone: {d.timezone}

# Articles per page on the home page and on tag pages.
# per_page: {d.per_page}

# Author for articles whose front matter names none.
# author: "Newsroom"

# Article URLs, relative to base_url; {{year}}, {{month}}, {{day}} and {{slug}} are filled in
# ({{path}} is the folders under articles/ and the slug, as Hugo's default URLs are).
# An article's own url:, permalink:, path: or save_as: key wins over this pattern.
# permalink: {yaml_string(d.permalink)}

# A section's own pattern, by its URL name, as Hugo's [permalinks] gives one to a section
# and leaves the others at permalink, e.g. {{blog: "/{{year}}/{{month}}/{{slug}}/"}}.
# permalinks: {{}}

# Where a slug comes from when an article has no slug: key: filename or title.
# slug_from: {d.slug_from}

# Whose rule makes slugs, to keep an old archive's URLs: pelican, hugo, hugo-keep-case,
# jekyll, zola or newsgen (the rule newsgen used to apply to file names too, which
# lowercased them and made dots hyphens: set it to keep the URLs an older build made).
# When it is not set, a file name is kept as written (case and dots too) and a title is
# made lowercase-hyphenated.
# slugify: hugo

# Sections of the paper (World, Sport, ...), each with a front page at /SECTION/ and its
# feeds. Where an article's section comes from: auto (its section: key, else its folder
# under articles/, else its first category), folders, front-matter, or none.
# section_from: {d.section_from}

# How many sections the header navigation shows (the weighted ones first).
# nav_sections: {d.nav_sections}

# The sections' names, descriptions and order (lighter first), for sections that have no
# articles/SECTION/_index.md file saying the same.
# sections:
#   world:
#     title: "World"
#     description: "News from abroad"
#     weight: 1

# The front page: the newest story leads, the next `grid` follow as cards with their
# pictures, then a block per section (the first `blocks` of the navigation, or those named
# in `sections`; in a site without sections, its biggest tags) of `block_stories` stories
# the grid does not show, and a "Latest" list of the `latest` newest stories.
# front:
#   grid: {d.front_grid}
#   sections: []
#   blocks: {d.front_blocks}
#   block_stories: {d.front_block_stories}
#   latest: {d.front_latest}

# Typographic quotes, apostrophes and dashes in Markdown bodies, in the language's style.
# smart_quotes: {_yaml_bool(d.smart_quotes)}

# Date archives (/archive/, /2025/, /2025/03/) and author pages (/authors/).
# archive: {_yaml_bool(d.archive)}
# author_pages: {_yaml_bool(d.author_pages)}

# Related articles (earlier and later ones sharing tags) under each article; 0 for none.
# They are drawn from the related_window articles on each side of it in each tag's list.
# related: {d.related}
# related_window: {d.related_window}

# Full-text search: the /search/ page, the header's search box and the Pagefind index.
# search: {_yaml_bool(d.search)}

# The Google News sitemap (news-sitemap.xml), and URLs per sitemap file before splitting.
# news_sitemap: {_yaml_bool(d.news_sitemap)}
# sitemap_limit: {d.sitemap_limit}

# Where the page listing every corrected article is published, with its feeds (built once
# an article has `corrections:` in its front matter; /fr/corrections/ and so on in each
# language). Change it if the archive has a page of its own at that URL.
# corrections:
#   url: /{d.corrections_url}

# Feeds (RSS, Atom and JSON Feed): articles per feed, full text or summary, and a set of
# feeds for every tag, every author and every section.
# feeds:
#   length: {d.feed_length}
#   content: {d.feed_content}
#   tags: {_yaml_bool(d.tag_feeds)}
#   authors: {_yaml_bool(d.author_feeds)}
#   sections: {_yaml_bool(d.section_feeds)}

# The publisher named in news metadata (default: the title), and its logo: search
# engines show a news story's publisher with it. The theme's icon stands in until you put
# your own in static/ (static/logo.png is logo: logo.png).
publisher:
#   name: "Our Town News"
  logo: theme/favicon.svg

# Where static/ is published: / puts static/logo.png at /logo.png, as Hugo, Zola and
# Jekyll do (the theme's own files are then under /theme/). /static/ keeps the layout of
# sites made by earlier newsgen builds (static/logo.png at /static/logo.png).
# static_url: {d.static_url}

# Each lead image is published with smaller versions at these widths (none
# wider than the original) in WebP and its own format, a thumbnail cropped to this size
# for listings, and a version at most feed_width wide for feeds and link previews.
# Camera and GPS metadata are stripped (a photo's location can expose a source) unless
# keep_metadata is true. An image in a body that is not there stops the build; an
# archive whose bodies keep images long gone sets missing: warning.
# images:
#   widths: [{", ".join(str(w) for w in d.images.widths)}]
#   quality: {d.images.quality}
#   thumbnail: {d.images.thumbnail[0]}x{d.images.thumbnail[1]}
#   feed_width: {d.images.feed_width}
#   keep_metadata: {_yaml_bool(d.images.keep_metadata)}
#   missing: {d.missing_images}

# The picture a page without a lead image is shared with (Open Graph, Twitter, JSON-LD).
# default_image: static/share.png

# What `newsgen check` asks of every article besides its built-in rules.
# check:
#   summaries: {_yaml_bool(d.check_summaries)}
#   alt_text: {_yaml_bool(d.check_alt_text)}
#   # Paths on this host outside the site (a shop, a forum): links to them are fine.
#   external_paths: []

# Raw HTML in Markdown and .html articles. sanitize keeps safe markup (tables, figures,
# details, iframes from the hosts below) and removes scripts, styles and comments;
# true keeps everything as written (only if every author is trusted); false shows it as text.
# markdown:
#   html: {d.raw_html}
#   iframe_hosts: [{", ".join(d.iframe_hosts)}]
#   # Heading ids as your old generator wrote them, so links to #headings keep working:
#   # github, jekyll, hugo, zola, pelican or eleventy.
#   anchors: {d.anchors}

# Your own values, for other generators' tags in articles ({{{{ site.repository }}}},
# {{{{< param repository >}}}}) and for templates (site.params.repository).
# params:
#   repository: https://example.org/code
"""


STARTER = Path(__file__).resolve().parent / "starter"
"""Files a new site starts with that are not text: the welcome story's picture."""


def _yaml_bool(value: bool) -> str:
    return "true" if value else "false"


def _welcome(now: datetime) -> str:
    return f"""\
---
title: "Welcome to your news site"
date: {now.isoformat(" ")}
tags: [newsgen]
summary: "Your new site works. Here is how to add news to it."
image: welcome.png
image_alt: "A drawing of a newspaper's front page held up over the sea"
image_caption: "Replace this picture with your own: it sits beside this file."
---
This is your first article. It lives in `articles/`, in a folder of its own with its
picture (a page bundle), and its front matter (the block between the `---` lines) sets the
title, date, tags and picture.

To write the next one, run `newsgen new "Your headline" --tags town,council`. It creates
a draft: it shows up with `newsgen serve --drafts` and is published once you remove the
`draft: true` line.

While `newsgen serve` runs, every page you have open reloads by itself when you save.
"""


_README = """\
# {title}

A news site built with [newsgen](https://pypi.org/project/newsgen/).

- `newsgen serve` shows the site at http://127.0.0.1:8000/ and reloads it on every save.
- `newsgen new "Headline" --tags a,b` starts a draft article in `articles/`.
- `newsgen build` writes the deployable site into `build/`.

Pages without a date (About, Contact) live in `pages/`; `menu: true` lists one in the
navigation.

Overrides: a file in `templates/` with the name of a built-in template (`base.html`,
`index.html`, `article.html`, `page.html`, `tag.html`, `tags.html`, `404.html`) replaces it and can
extend the original as `{{% extends "!theme/article.html" %}}`. A file in `static/` is
published at the same path from the site's root (`static/logo.png` is `/logo.png`); the
theme's own files are under `/theme/`, and `static/theme/style.css` replaces its style sheet.
"""


def _about(title: str) -> str:
    return f"""\
---
title: {yaml_string("About " + title)}
menu: true
summary: "Who we are and how to reach the newsroom."
---
This is a page: it lives in `pages/`, has no date, and never appears in the news listings
or the feeds. `menu: true` puts it in the navigation at the top of every page.

Tell readers who runs the site and how to send news, corrections and complaints.
"""


_OVERRIDES = (
    "Put a template here with the name of a built-in one (base.html, article.html, ...) to"
    " replace it; a file in ../static/theme/ replaces the theme's file of the same name"
    " (style.css, favicon.svg).\n"
)


def init_site(target: Path) -> None:
    """Create a new site in TARGET, which must be missing or empty; it builds as it is."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise NewsgenError(f"{target} exists and is not a directory")
    if target.is_dir() and any(target.iterdir()):
        raise NewsgenError(f"{target} is not empty; choose a new directory for the site")
    title = target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "News"
    now = datetime.now(ZoneInfo(SiteConfig().timezone)).replace(microsecond=0)
    files = {
        CONFIG_NAME: config_text(title),
        "README.md": _README.format(title=title),
        # The output, the standby tree and lock beside it, and the build cache.
        ".gitignore": "/build/\n/.build.*\n/.newsgen-cache/\n",
        f"{ARTICLES_DIR}/{now:%Y}/{now:%Y-%m-%d}-welcome/index.md": _welcome(now),
        f"{PAGES_DIR}/about.md": _about(title),
        # Templates are looked up by name only, so a README here is never rendered.
        "templates/README.md": _OVERRIDES,
        # static/ is published as it is: a hidden file keeps it in git and is never copied.
        "static/.gitkeep": "",
    }
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    picture = target / ARTICLES_DIR / f"{now:%Y}" / f"{now:%Y-%m-%d}-welcome" / "welcome.png"
    picture.write_bytes((STARTER / "welcome.png").read_bytes())


def article_text(title: str, date: datetime, tags: list[str], body: str) -> str:
    """A draft article: front matter (quoted safely for YAML), then BODY."""
    tag_list = yaml.safe_dump(tags, default_flow_style=True, allow_unicode=True, width=1 << 30)
    return (
        f"---\ntitle: {yaml_string(title)}\ndate: {date.isoformat(' ')}\n"
        f"tags: {tag_list.strip()}\ndraft: true\n---\n{body}"
    )


def new_article(site_root: Path, title: str, *, tags: list[str], txt: bool) -> Path:
    """Create articles/YYYY/YYYY-MM-DD-slug.md (or .txt), dated now in the site's time zone."""
    site_root = Path(site_root)
    if not site_root.is_dir():
        raise UsageError(f"site directory {site_root} does not exist")
    if not title.strip():
        raise UsageError("the title must not be empty")
    config = load_config(site_root)
    now = datetime.now(config.tz).replace(microsecond=0)
    suffix = ".txt" if txt else ".md"
    path = site_root / ARTICLES_DIR / f"{now:%Y}" / f"{now:%Y-%m-%d}-{slugify(title)}{suffix}"
    body = (
        "Write the first paragraph here. In a .txt article, each line is a paragraph.\n"
        if txt
        else "Write the article here, in Markdown.\n"
    )
    link = outside_site(site_root, path)
    if link is not None:
        raise NewsgenError(
            f"{link} is a symlink that leads outside the site; newsgen new does not write"
            " through it (replace it by a folder)"
        )
    if not write_new_file(path, article_text(title.strip(), now, tags, body)):
        raise NewsgenError(f"{path} already exists; choose another title")
    return path


def outside_site(site_root: Path, path: Path) -> Path | None:
    """The symlink on the way from SITE_ROOT to PATH (PATH included) that leads outside the
    site, or None. `build` never reads through such a link, so nothing writes through one."""
    root = site_root.resolve()
    current = site_root
    for part in path.relative_to(site_root).parts:
        current = current / part
        if current.is_symlink() and not current.resolve().is_relative_to(root):
            return current
        if not current.exists():
            break
    return None


def write_new_file(path: Path, text: str) -> bool:
    """Create PATH with TEXT; False (and PATH untouched) if it already exists.

    Every command that writes sources (`new`, `init`, the importers) goes through this,
    so none of them can overwrite an editor's work.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        return False
    return True
