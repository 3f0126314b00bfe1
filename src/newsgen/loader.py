"""Article and page files → models. Reads files; knows nothing of the site around them.

`parse_file` is a pure function of a file's bytes, where it sits and the config, so a
cache can sit around it (build owns that).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from newsgen.bodies import (
    EMPTY_LIBRARY,
    UNCARRIED,
    Body,
    BodyImage,
    BodyOptions,
    TagLibrary,
    render_html,
    render_inline,
    render_markdown,
    render_text,
    shorten,
)
from newsgen.discover import SourceFile
from newsgen.errors import ContentError, ContentWarning, shown_path
from newsgen.fields import (
    ALIASES,
    DATE_PREFIX,
    Fields,
    Written,
    date_in_url,
    name_date,
    parse_datetime,
    read_fields,
)
from newsgen.models import (
    FEED_TAGS,
    Article,
    Correction,
    FrozenMap,
    Page,
    Section,
    SiteConfig,
    Tag,
    TermNote,
)
from newsgen.slugs import given_slug, name_slug, title_slug
from newsgen.sources import FrontMatter, NoFrontMatter, split_front_matter
from newsgen.urls import (
    MAX_SLUG_BYTES,
    RESERVED_SECTION_KEYS,
    check_permalink,
    expand_permalink,
    jekyll_categories,
    language_folder,
    language_suffix,
    matching_code,
    section_name,
    slugify,
    strip_date_prefix,
    tag_key,
    under_language,
)
from newsgen.wording import char_names
from newsgen.yamlio import decode_utf8

_JEKYLL_PLACEHOLDER = re.compile(
    r":(year|month|i_month|day|i_day|short_year|title|slug|categories)\b"
)


@dataclass(frozen=True, slots=True)
class Loaded:
    """What one file gave: an Article or Page (None when it has errors or is not one)."""

    item: Article | Page | None
    problems: tuple[ContentError, ...] = ()
    """Errors and warnings, each at its file and line."""


def clean_text(text: str, path: PurePosixPath) -> tuple[str, list[ContentError]]:
    """Line endings made '\\n' (CRLF and lone CR alike); characters pages cannot carry dropped.

    Each line that lost a character gets a warning: nothing is dropped without a word.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not UNCARRIED.search(text):
        return text, []
    warnings: list[ContentError] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        found = UNCARRIED.findall(line)
        if found:
            codes = char_names(found)
            warnings.append(
                ContentWarning(
                    path,
                    number,
                    f"dropped {codes}: pages and feeds cannot carry it; nothing to do,"
                    " unless it stood for a character you meant (retype that one)",
                )
            )
            lines[number - 1] = UNCARRIED.sub("", line)
    return "\n".join(lines), warnings


def _clean_value(value: Any, found: dict[str, None]) -> Any:
    """VALUE with the characters pages and feeds cannot carry dropped (each noted in FOUND)."""
    if isinstance(value, str):
        if not UNCARRIED.search(value):
            return value
        found.update(dict.fromkeys(UNCARRIED.findall(value)))
        return UNCARRIED.sub("", value)
    if isinstance(value, list):
        return [_clean_value(item, found) for item in value]
    if isinstance(value, tuple | set | frozenset):
        return type(value)(_clean_value(item, found) for item in value)
    if isinstance(value, dict):
        return {_clean_value(k, found): _clean_value(v, found) for k, v in value.items()}
    return value


def clean_values(fm: FrontMatter, path: PurePosixPath) -> tuple[FrontMatter, list[ContentError]]:
    """Front matter whose strings lost what `clean_text` drops from the file's text.

    Escapes in quoted YAML, JSON and TOML strings ("\\u001b") make characters the raw text
    never held; a title or tag with one would break every feed. Each key that lost a
    character gets a warning at its line.
    """
    warnings: list[ContentError] = []
    meta: dict[str, Any] = {}
    for key, value in fm.meta.items():
        found: dict[str, None] = {}
        clean_key = _clean_value(key, found)
        meta[clean_key] = _clean_value(value, found)
        if found:
            message = (
                f"'{shown_path(clean_key)}': dropped {char_names(found)}, which pages and"
                " feeds cannot carry; retype the value if it looks wrong"
            )
            warnings.append(ContentWarning(path, fm.lines.get(key, 1), message))
    if not warnings:
        return fm, []
    lines = {UNCARRIED.sub("", k): line for k, line in fm.lines.items()}
    return replace(fm, meta=meta, lines=lines), warnings


def body_options(config: SiteConfig, language: str = "") -> BodyOptions:
    """How bodies are made; LANGUAGE (an article's, in a site of several) sets the quote marks."""
    return BodyOptions(
        raw_html=config.raw_html,
        iframe_hosts=frozenset(config.iframe_hosts),
        base_url=config.base_url,
        base_path=config.base_path,
        external_paths=config.check_external_paths,
        smart_quotes=config.smart_quotes,
        language=language or config.language,
        anchors=config.anchors,
    )


def _render_body(
    suffix: str,
    body: str,
    first_line: int,
    config: SiteConfig,
    params: Mapping[str, Any],
    library: TagLibrary,
    language: str = "",
    images: Mapping[str, BodyImage] | None = None,
    folder: tuple[str, bool] = ("", False),
) -> Body:
    options = replace(body_options(config, language), folder=folder)
    if suffix == ".txt":
        return render_text(body, options)
    render = render_html if suffix in (".html", ".htm") else render_markdown
    return render(body, first_line, options, params, library, config.title, config.params, images)


_MARKED = re.compile(r"[*_`\[<&]")
"""Characters that may make a Markdown summary more than its words."""


def _check_slug(slug: str) -> str | None:
    """An explicit slug is kept as written, if it is one safe path segment."""
    slug = slug.strip()
    if not slug or slug in (".", "..") or "/" in slug or "\\" in slug:
        return None
    if len(slug.encode("utf-8")) > MAX_SLUG_BYTES or any(ord(c) < 32 for c in slug):
        return None
    return slug


def _jekyll_url(url: str, local: datetime, slug: str, categories: Sequence[str]) -> str:
    """Jekyll's per-post permalink placeholders (`/:year/:month/:title/`)."""
    values = {
        "year": f"{local.year:04d}",
        "short_year": f"{local.year % 100:02d}",
        "month": f"{local.month:02d}",
        "i_month": str(local.month),
        "day": f"{local.day:02d}",
        "i_day": str(local.day),
        "title": slug,
        "slug": slug,
        "categories": jekyll_categories(categories),
    }
    expanded = _JEKYLL_PLACEHOLDER.sub(lambda m: values[m.group(1)], url)
    return re.sub(r"/{2,}", "/", expanded).lstrip("/")


def _unrendered(meta: Mapping[str, Any]) -> bool:
    """Hugo's `headless: true` and `build: {render: never}` pages are never published."""
    if meta.get("headless") is True:
        return True
    for key in ("build", "_build"):
        options = meta.get(key)
        if isinstance(options, dict) and options.get("render") in ("never", False):
            return True
    return False


def parse_file(
    data: bytes,
    src: SourceFile,
    config: SiteConfig,
    kind: str,
    library: TagLibrary = EMPTY_LIBRARY,
    images: Mapping[str, BodyImage] | None = None,
    images_key: str = "",
) -> Loaded:
    """Parse one source file's bytes as an 'article' or a 'page'. Pure. LIBRARY holds the
    site's templates for other generators' tags and its data files; IMAGES the processed
    images the body's own images are drawn with (by src), IMAGES_KEY their digest."""
    path = src.rel
    try:
        text = decode_utf8(data, path)
    except ContentError as e:
        return Loaded(None, (e,))
    text, problems = clean_text(text, path)
    try:
        fm = split_front_matter(text, path)
    except NoFrontMatter as e:
        if path.suffix.lower() in (".html", ".htm"):
            message = (
                "is an HTML file without front matter, so not an article; not published"
                " (add '---', title:, date:, '---' lines at the top, or move it to static/)"
            )
            return Loaded(None, (*problems, ContentWarning(path, None, message)))
        return Loaded(None, (*problems, e))
    except ContentError as e:
        return Loaded(None, (*problems, e))
    problems.extend(ContentWarning(path, line, message) for line, message in fm.warnings)
    fm, dropped = clean_values(fm, path)
    problems.extend(dropped)
    if _unrendered(fm.meta):
        message = "is a headless or never-rendered page in Hugo's terms; not published"
        return Loaded(None, (*problems, ContentWarning(path, None, message)))
    name = src.bundle.name if src.bundle is not None else PurePosixPath(path.name).stem
    name = name.removesuffix("." + config.language.split("-")[0].lower())  # Hugo's post.en.md
    language = _language(src, fm.meta, fm.lines, config, problems)
    if language and src.bundle is None:
        name = _bare_stem(src.rel, [lang.code for lang in config.languages])
    named = name_date(name, config.tz)
    f = read_fields(path, fm, config.tz, named if isinstance(named, datetime) else None)
    problems.extend(f.warnings)
    f = _on_own_host(f, config, language)
    undated = not f.date_given and name_date(name, config.tz) is False and not f.url
    if kind == "article" and f.title is None and undated and not f.errors:
        # Front matter with neither (Zola's `template = "latest.html"` page): not an article.
        message = "has neither a title nor a date, so it is not an article; not published"
        return Loaded(None, (*problems, ContentWarning(path, None, message)))
    errors = list(f.errors)
    if f.title is None and not any(e.line == fm.lines.get("title") for e in errors):
        if fm.dialect == "headers":
            keys = ", ".join(k.title() for k in list(fm.meta)[:4])
            message = (
                f"the first lines were read as Pelican-style headers ({keys}) but none is"
                " 'Title:'; add a 'Title:' line, or start the file with '---' front matter"
            )
        elif "title" in fm.meta:
            message = "'title' is empty"
        else:
            message = f"missing 'title' in the front matter ({fm.dialect.upper()})"
        errors.append(ContentError(path, fm.lines.get("title", 1), message))

    published = f.date
    if kind == "article" and published is None and not f.date_given:
        from_name = name_date(name, config.tz)
        if from_name is None:
            errors.append(
                ContentError(path, None, f"the name's date prefix in {name!r} is not a valid date")
            )
        elif isinstance(from_name, datetime):
            published = from_name
        elif f.url and date_in_url(f.url):
            published = parse_datetime(date_in_url(f.url), config.tz)
        elif "date" in fm.meta:
            errors.append(
                ContentError(
                    path,
                    fm.lines.get("date", 1),
                    "'date' is empty (give a date such as 2025-09-03 10:00)",
                )
            )
        else:
            errors.append(
                ContentError(
                    path,
                    1,
                    "missing 'date' in the front matter (or a YYYY-MM-DD- prefix in the file"
                    " name); a page without a date, such as About, goes in pages/",
                )
            )

    if kind == "article" and published is not None and f.expires is not None:
        starts = f.publish_at or published
        if f.expires.astimezone(UTC) <= starts.astimezone(UTC):  # as instants (DST)
            # Archives hold such pages (Hugo never publishes them): the site builds as it
            # is, and the story is held back as one taken down is (schedule.state).
            key = next((k for k in ALIASES["expires"] if k in fm.meta), "expires")
            names = ALIASES["publish_at"] if f.publish_at else ALIASES["date"]
            what = next((f"'{k}'" for k in names if k in fm.meta), "date")
            tz = config.tz
            problems.append(
                ContentWarning(
                    path,
                    fm.lines.get(key, 1),
                    f"'{key}' ({f.expires.astimezone(tz):%Y-%m-%d %H:%M}) is not after its"
                    f" {what} ({starts.astimezone(tz):%Y-%m-%d %H:%M}): the story is taken down"
                    " before it comes out, so it will never be published",
                )
            )

    if f.slug is not None:
        slug = _check_slug(f.slug)
        if slug is None:
            errors.append(
                ContentError(
                    path,
                    fm.lines.get("slug", 1),
                    f"'slug' must be one path segment (no '/'), not {f.slug!r}",
                )
            )
        else:
            slug = given_slug(slug, config.slugify)
    elif config.slug_from == "title" and f.title:
        slug = title_slug(f.title, config.slugify)
    else:
        slug = name_slug(DATE_PREFIX.sub("", strip_date_prefix(name)) or name, config.slugify)

    if kind == "article" and published is not None:
        errors.extend(_early_corrections(path, f.corrections, published, config))
    if errors or f.title is None or slug is None or (kind == "article" and published is None):
        return Loaded(
            None,
            (*problems, *(errors or [ContentError(path, None, "cannot be read as an article")])),
        )

    # Pelican's relative `{static}images/x.png` and `{filename}x.md` are read against the
    # article's folder in Pelican's content/: articles/ is content/, pages/ its pages/.
    parts = src.rel.parent.parts[1:] if kind == "article" else src.rel.parent.parts
    folder = (PurePosixPath(*parts).as_posix() if parts else "", src.bundle is not None)
    body = _render_body(
        path.suffix.lower(),
        fm.body,
        fm.body_line,
        config,
        fm.meta,
        library,
        language,
        images,
        folder,
    )
    drawn, drawn_key = body.images, images_key if images else ""
    for line, message, severity in body.problems:
        kind_of = ContentError if severity == "error" else ContentWarning
        problems.append(kind_of(path, line or None, message))
    if any(severity == "error" for _, _, severity in body.problems):
        return Loaded(None, tuple(problems))
    if f.image and not f.image_alt:
        message = "the lead image has no alt text (image_alt): screen readers cannot describe it"
        problems.append(ContentWarning(path, fm.lines.get("image", 1), message))
    # A written summary stays as written, like the title; one taken from the body has
    # the body's typography. Pelican's `Summary:` header is Markdown, which Pelican renders:
    # its words are kept, its marks (`*x*`, `[a](b)`) are not shown as written.
    summary = f.summary if f.summary is not None else shorten(body.excerpt)
    if f.summary is not None and fm.dialect == "headers" and _MARKED.search(f.summary):
        summary = render_inline(f.summary, fm.lines.get("summary", 1)).excerpt
    if kind == "article" and len(f.tags) > FEED_TAGS:
        line = fm.lines.get("tags") or fm.lines.get("categories") or 1
        message = (
            f"has {len(f.tags):,} tags; its pages list them all, its feed entries the first"
            f" {FEED_TAGS}"
        )
        problems.append(ContentWarning(path, line, message))
    if kind == "page":
        if f.corrections:
            message = "a page shows no corrections (an article does); they are not published"
            problems.append(ContentWarning(path, fm.lines.get("corrections", 1), message))
        timed = [
            k
            for k in (*ALIASES["publish_at"], *ALIASES["expires"])
            if fm.meta.get(k) not in (None, "")
        ]
        if timed:  # pages are not scheduled: an embargo on one would be out at once
            keys = " and ".join(", ".join(f"'{k}'" for k in timed).rsplit(", ", 1))
            problems.append(
                ContentWarning(
                    path,
                    min(fm.lines.get(k, 1) for k in timed),
                    f"pages are not scheduled: {keys} {'is' if len(timed) == 1 else 'are'} not"
                    " used, and the page is published at every build (a story with an embargo"
                    " or a takedown goes in articles/)",
                )
            )
        page = _page(src, f, slug, body, summary, config)
        if config.languages:
            prefix = next(lang.prefix for lang in config.languages if lang.code == language)
            page = replace(
                page,
                url=page.url if f.url is not None else prefix + page.url,
                language=language,
                translation_key=_translation_key(src, fm.meta, config),
            )
        return Loaded(replace(page, body_images=drawn, images_key=drawn_key), tuple(problems))
    assert published is not None
    corrections = _corrections(path, f.corrections, config, language, published, problems)
    if any(p.severity == "error" for p in problems):
        return Loaded(None, tuple(problems))
    article = _article(src, f, config, published, slug, body, summary)
    article = replace(article, body_images=drawn, images_key=drawn_key, corrections=corrections)
    if config.languages:
        article = replace(
            article,
            url=_language_url(article.url, f, config, language),
            language=language,
            translation_key=_translation_key(src, fm.meta, config),
        )
    return Loaded(article, tuple(problems))


def _language(
    src: SourceFile,
    meta: Mapping[str, Any],
    lines: Mapping[str, int],
    config: SiteConfig,
    problems: list[ContentError],
) -> str:
    """An article's language in a site of several: its front matter's `lang` (or
    `language`), else its file's suffix (`story.ja.md`), else its language folder
    (`articles/ja/…`), else the site's default; '' in a site of one language."""
    if not config.languages:
        return ""
    codes = [lang.code for lang in config.languages]
    for key in ("lang", "language"):
        value = meta.get(key)
        if value is None:
            continue
        code = matching_code(value, codes) if isinstance(value, str) else None
        if code is not None:
            return code
        message = (
            f"'{key}: {value}' is not one of the site's languages ({', '.join(codes)});"
            " the article is read as its file's language (add it to 'languages')"
        )
        problems.append(ContentWarning(src.rel, lines.get(key, 1), message))
        break
    return (
        language_suffix(src.rel.name, codes)
        or language_folder(src.rel, codes)
        or config.default_language.code
    )


def _on_own_host(f: Fields, config: SiteConfig, code: str) -> Fields:
    """F with its `url` and `aliases` under its language's prefix when the language had a
    host of its own (`languages: {fr: {host: …}}`): written for that host's root."""
    spoken = next((lang for lang in config.languages if lang.code == code), None)
    if spoken is None or not spoken.host:
        return f
    return replace(
        f,
        url=under_language(f.url, spoken.prefix, spoken.host)[1:] if f.url is not None else None,
        redirects=tuple(under_language(a, spoken.prefix, spoken.host) for a in f.redirects),
    )


def _language_url(url: str, f: Fields, config: SiteConfig, code: str) -> str:
    """An article's URL under its language's prefix (`ja/2024/05/01/story/`); a `url` the
    front matter gives is kept exactly as written."""
    if f.url is not None:
        return url
    prefix = next(lang.prefix for lang in config.languages if lang.code == code)
    return prefix + url


def _translation_key(src: SourceFile, meta: Mapping[str, Any], config: SiteConfig) -> str:
    """What an article's translations share: the front matter's `translation_key` (Hugo's
    `translationKey`), else its bundle folder or file, without its language folder and its
    language suffix (`articles/en/news/story.md` and `articles/ja/news/story.ja.md` are
    `news/story`)."""
    for key in ("translation_key", "translationkey"):
        value = meta.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return "key:" + str(value).strip()
    codes = [lang.code for lang in config.languages]
    path = src.bundle if src.bundle is not None else src.rel.parent / _bare_stem(src.rel, codes)
    parts = path.parts[1:]
    if language_folder(src.rel, codes):
        parts = parts[1:]
    return "path:" + "/".join(parts)


def _bare_stem(rel: PurePosixPath, codes: Sequence[str]) -> str:
    stem = PurePosixPath(rel.name).stem
    return stem.rpartition(".")[0] if language_suffix(rel.name, codes) else stem


def _tags(names: tuple[str, ...]) -> tuple[Tag, ...]:
    seen: dict[str, Tag] = {}
    for name in names:
        key = tag_key(name)
        seen.setdefault(key, Tag(key, name, slugify(name)))
    return tuple(seen.values())


def _article(
    src: SourceFile,
    f: Fields,
    config: SiteConfig,
    published: datetime,
    slug: str,
    body: Body,
    summary: str,
) -> Article:
    local = published.astimezone(config.tz)
    section = _section(src, f, config)
    categories = (*_path_categories(src, config), *f.categories)
    if f.url is None:
        key = section.key if section else ""
        pattern = config.permalinks.get(key, config.permalink)  # the section's, else the site's
        url = expand_permalink(pattern, local, slug, key, categories, _url_folders(src, config))
    elif ":" in f.url:
        url = _jekyll_url(f.url, local, slug, categories)
    else:
        url = f.url
    authors = f.authors if f.authors is not None else ((config.author,) if config.author else ())
    return Article(
        source=src.rel,
        title=f.title or "",
        date=published,
        slug=slug,
        url=url,
        body_html=body.html,
        summary=summary,
        tags=_tags(f.tags),
        authors=authors,
        draft=f.draft,
        updated=f.updated,
        image=f.image,
        image_alt=f.image_alt,
        image_caption=f.image_caption,
        extra=FrozenMap(f.extra),
        redirects=f.redirects,
        bundle=src.bundle,
        assets=src.assets,
        pending_refs=body.pending_refs,
        word_count=body.word_count,
        standfirst=f.summary is not None,
        section=section,
        publish_at=f.publish_at,
        expires=f.expires,
    )


def _early_corrections(
    path: PurePosixPath, written: Sequence[Written], published: datetime, config: SiteConfig
) -> list[ContentError]:
    """An error at each correction dated before the article it corrects. One written as a
    day (`2027-03-01`) was made some time that day: the article's own day is not before it."""
    first = f"{published.astimezone(config.tz):%Y-%m-%d %H:%M}"
    found = []
    for entry in written:
        if entry.day_only:
            day = entry.date.date()
            early = day < published.astimezone(entry.date.tzinfo).date()
            shown = f"{day:%Y-%m-%d}"
        else:
            early = entry.date < published
            shown = f"{entry.date.astimezone(config.tz):%Y-%m-%d %H:%M}"
        if early:
            message = (
                f"correction {entry.number} is dated {shown}, before the article itself"
                f" ({first}): check the correction's date"
            )
            found.append(ContentError(path, entry.line, message))
    return found


def _corrections(
    path: PurePosixPath,
    written: Sequence[Written],
    config: SiteConfig,
    language: str,
    published: datetime,
    problems: list[ContentError],
) -> tuple[Correction, ...]:
    """The corrections' texts rendered as the body is (inline Markdown, sanitized), newest
    first, each problem at its correction's line. One written as the article's own day is
    dated no earlier than the article (its notice, JSON-LD and feeds never precede it)."""
    found: list[Correction] = []
    options = body_options(config, language)
    for entry in written:
        text = render_inline(entry.text, entry.line, options)
        name = f"correction {entry.number}"
        for line, message, severity in text.problems:
            kind_of = ContentError if severity == "error" else ContentWarning
            # The body's stages speak of "the body"; here it is the correction's text.
            message = message.replace("from the body", f"from {name}")
            problems.append(kind_of(path, line or entry.line, message))
        if not text.excerpt:
            message = (
                f"{name} has no text a reader would see once what cannot be published is"
                " removed: say in words what was wrong and what is right"
            )
            problems.append(ContentError(path, entry.line, message))
            continue
        when = max(entry.date, published) if entry.day_only else entry.date
        found.append(Correction(when, text.html, text.excerpt))
    return tuple(found)


def _folders(src: SourceFile, config: SiteConfig) -> tuple[str, ...]:
    """The folders between articles/ and the article (or its bundle folder), after its
    language folder (`articles/ja/`), which is neither a section nor a category."""
    return _inside_language(
        (src.bundle.parent if src.bundle is not None else src.rel.parent).parts[1:], config
    )


def _url_folders(src: SourceFile, config: SiteConfig) -> tuple[str, ...]:
    """The folders `{path}` shows: each made a slug by the site's rule, as the file's name
    is (Hugo lowercases `Toolkit/`; white space becomes '-'), without Jekyll's `_posts` and
    `_drafts`, which no URL shows."""
    return tuple(
        name_slug(folder, config.slugify)
        for folder in _folders(src, config)
        if folder not in ("_posts", "_drafts")
    )


def _inside_language(folders: tuple[str, ...], config: SiteConfig) -> tuple[str, ...]:
    codes = [lang.code for lang in config.languages]
    return folders[1:] if folders and matching_code(folders[0], codes) else folders


def _path_categories(src: SourceFile, config: SiteConfig) -> tuple[str, ...]:
    """Jekyll's categories from the path: the folders before `_posts/` (`release/_posts/`)."""
    folders = _folders(src, config)
    return folders[: folders.index("_posts")] if "_posts" in folders else ()


def is_section_folder(name: str) -> bool:
    """Whether a folder under articles/ names a section: not a date (`2024`, `05`,
    `2024-05`) and not Jekyll's `_posts` or `_drafts`."""
    return name not in ("_posts", "_drafts") and not _DATE_FOLDER.match(name)


_DATE_FOLDER = re.compile(r"^\d+(?:-\d+)*$")


def _section(src: SourceFile, f: Fields, config: SiteConfig) -> Section | None:
    """The section an article's own file gives it (see SiteConfig.section_from)."""
    mode = config.section_from
    if mode == "none":
        return None
    name = f.section
    if name is None and mode == "auto":
        name = f.category  # Pelican's Category: header wins over the folder, as in Pelican
    if name is None and mode in ("auto", "folders"):
        folder = next((part for part in _folders(src, config) if is_section_folder(part)), None)
        if folder is not None:
            return Section(slugify(folder), section_name(folder))
    if name is None and mode == "auto" and f.categories:
        name = f.categories[0]
    return Section(slugify(name), name) if name else None


def _page(
    src: SourceFile, f: Fields, slug: str, body: Body, summary: str, config: SiteConfig
) -> Page:
    """A page at its folders' path under pages/ (its language folder left out: the
    language's prefix stands for it), or at its `url`."""
    url = f.url if f.url is not None else "/".join((*_folders(src, config), slug)) + "/"
    return Page(
        source=src.rel,
        title=f.title or "",
        slug=slug,
        url=url,
        body_html=body.html,
        summary=summary,
        menu=f.menu,
        weight=f.weight,
        draft=f.draft,
        updated=f.updated,
        image=f.image,
        image_alt=f.image_alt,
        image_caption=f.image_caption,
        extra=FrozenMap(f.extra),
        redirects=f.redirects,
        bundle=src.bundle,
        assets=src.assets,
        pending_refs=body.pending_refs,
    )


def read_source(src: SourceFile) -> bytes | ContentError:
    """A source file's bytes, or a warning when it cannot be read (it is then not published)."""
    try:
        return src.path.read_bytes()
    except OSError as e:
        return ContentWarning(src.rel, None, f"cannot be read ({e.strerror}); not published")


def parse_section_file(
    data: bytes, src: SourceFile, config: SiteConfig, library: TagLibrary = EMPTY_LIBRARY
) -> tuple[Section | None, list[ContentError]]:
    """An `_index` file (Hugo's and Zola's section file, articles/FOLDER/_index.md): the
    name, description, weight and introduction of FOLDER's section. Pure."""
    path = src.rel
    folders = _inside_language(src.rel.parent.parts[1:], config)
    if not folders:
        message = "describes a language's front page, which newsgen makes itself; not used"
        return None, [ContentWarning(path, None, message)]
    own = next((part for part in folders if is_section_folder(part)), None)
    if own is None or folders[-1] != own:
        where = "/".join(folders[: folders.index(own) + 1]) if own else ""
        message = (
            f"describes a folder inside the section folder {where}/; newsgen has one level of"
            " sections, so it is not used"
            if own
            else "describes a folder that is not a section (a date or _posts folder); not used"
        )
        return None, [ContentWarning(path, None, message)]
    if config.section_from in ("none", "front-matter"):
        message = (
            f"describes a section, but section_from: {config.section_from} makes none from"
            " folders; not used"
        )
        return None, [ContentWarning(path, None, message)]
    # `permalink` is the pattern of the section's articles here, as in newsgen.yaml, not
    # the file's own URL (an article's `permalink`, which is `url` here).
    read = _read_index(data, path, config, aside="permalink")
    if isinstance(read, ContentError):
        return None, [read]
    fm, f, problems = read
    pattern = fm.meta.get("permalink")
    body = _render_body(path.suffix.lower(), fm.body, fm.body_line, config, fm.meta, library)
    for line, message, severity in body.problems:
        kind_of = ContentError if severity == "error" else ContentWarning
        problems.append(kind_of(path, line or None, message))
    intro = body.html if fm.body.strip() else None
    section = Section(
        slugify(own),
        f.title or section_name(own),
        f.summary or "",
        f.weight,
        intro,
        given_url=_section_url(f.url, fm, path, config, problems),
        aliases=f.redirects,
        permalink=_section_permalink(pattern, fm, path, problems),
        source=path,
        draft=f.draft,
    )
    unused = [key for key in fm.meta if key not in _SECTION_KEYS]
    if unused:
        names = ", ".join(repr(key) for key in unused)
        message = f"newsgen does not use {names} in a section's _index file; ignored"
        problems.append(ContentWarning(path, fm.lines.get(unused[0]), message))
    return section, problems


def _read_index(
    data: bytes, path: PurePosixPath, config: SiteConfig, aside: str = ""
) -> tuple[FrontMatter, Fields, list[ContentError]] | ContentError:
    """An `_index` file's front matter and fields (none without front matter), with the
    problems found; the error that stops it from being read. The key ASIDE means
    something else here than in an article, so it is not read as a field."""
    try:
        text, problems = clean_text(decode_utf8(data, path), path)
        fm = split_front_matter(text, path)
    except NoFrontMatter:
        fm = FrontMatter({}, {}, text, 1, "yaml")
    except ContentError as e:
        return e
    fm, dropped = clean_values(fm, path)
    problems.extend(dropped)
    read = replace(fm, meta={k: v for k, v in fm.meta.items() if k != aside}) if aside else fm
    f = read_fields(path, read, config.tz)
    problems.extend([*f.errors, *f.warnings])
    return fm, f, problems


TAXONOMIES = ("tags", "categories", "authors")
"""Hugo's default taxonomies: `articles/tags/NAME/_index.md` is the term NAME's page."""


def is_term_file(src: SourceFile, config: SiteConfig) -> bool:
    """Whether an `_index` file is a Hugo term page (`articles/[LANG/]tags/NAME/_index.md`,
    `categories/NAME/`, `authors/NAME/`) rather than a section's."""
    folders = _inside_language(src.rel.parent.parts[1:], config)
    return len(folders) >= 2 and folders[0] in TAXONOMIES


def parse_term_file(
    data: bytes, src: SourceFile, config: SiteConfig
) -> tuple[TermNote | None, list[ContentError]]:
    """A Hugo term page: the title and description of the tag (or author) NAME. Pure."""
    path = src.rel
    taxonomy, name, *deeper = _inside_language(path.parent.parts[1:], config)
    if deeper:
        message = (
            f"is in a folder inside the term folder {taxonomy}/{name}/; a term's page is"
            f" {taxonomy}/{name}/_index.md, so it is not used"
        )
        return None, [ContentWarning(path, None, message)]
    read = _read_index(data, path, config)
    if isinstance(read, ContentError):
        return None, [read]
    fm, f, problems = read
    if fm.body.strip():
        message = (
            f"is the page of the term {taxonomy}/{name}/: its title and description are shown on"
            " that page, its text is not"
        )
        problems.append(ContentWarning(path, fm.body_line, message))
    return TermNote(taxonomy, name, f.title or "", f.summary or ""), problems


_SECTION_KEYS = frozenset(
    {
        "permalink",
        *(
            key
            for name in ("title", "summary", "weight", "url", "redirects", "draft")
            for key in ALIASES[name]
        ),
    }
)
"""The keys an `_index` file is read for; any other is named in a warning."""


_FILE_SUFFIXES = (".html", ".htm", ".xml", ".json", ".txt")
"""Names of files, not folders: a section whose front page were /feed.xml/ would need a
folder where the site's feed is."""


def _section_url(
    url: str | None,
    fm: FrontMatter,
    path: PurePosixPath,
    config: SiteConfig,
    problems: list[ContentError],
) -> str:
    """The front page an `_index` file's `url:` gives its section (relative to its
    language's home, as every section page is), or '' when it gives none it can have."""
    if url is None:
        return ""
    key = next((k for k in ALIASES["url"] if k in fm.meta), "url")
    codes = [lang.code for lang in config.languages]
    code = language_suffix(path.name, codes) or language_folder(path, codes)
    own = next((lang.prefix for lang in config.languages if lang.code == code), "")
    if own and url.startswith(own):  # written with its language's prefix: the same place
        url = url[len(own) :]
    first = url.split("/", 1)[0]
    prefixes = {lang.prefix.strip("/") for lang in config.languages if lang.prefix}
    last = url.rstrip("/").rpartition("/")[2]
    if not url.endswith("/") or last.lower().endswith(_FILE_SUFFIXES):
        problem = "a section's front page is a folder (its pages and feeds are in it)"
    elif first in RESERVED_SECTION_KEYS or first.isdigit() or first in prefixes:
        problem = f"newsgen's own pages are under /{first}/"
    elif first == "page":
        problem = "/page/2/ and on are the pages of the front page's list"
    else:
        return url
    message = f"'{key}' cannot be /{url}: {problem}; the section stays at its own URL"
    problems.append(ContentError(path, fm.lines.get(key), message))
    return ""


def _section_permalink(
    pattern: Any, fm: FrontMatter, path: PurePosixPath, problems: list[ContentError]
) -> str:
    """The URL pattern of a section's articles its `_index` file gives, or ''."""
    if pattern is None or pattern == "":
        return ""
    problem = check_permalink(pattern) if isinstance(pattern, str) else "permalink must be text"
    if problem is None:
        return str(pattern)
    message = f"{problem} (here, the pattern of the section's articles' URLs)"
    problems.append(ContentError(path, fm.lines.get("permalink"), message))
    return ""


def section_permalinks(
    config: SiteConfig, files: Sequence[tuple[PurePosixPath, Section]]
) -> tuple[dict[str, str], list[ContentError]]:
    """The URL pattern of each section's articles: newsgen.yaml's `permalinks`, then the
    `permalink` of the `_index` files (FILES) of sections newsgen.yaml does not describe.
    A section's key is the same in every language, and so is its pattern: a second file
    giving another is named in a warning."""
    found = dict(config.permalinks)
    given: dict[str, PurePosixPath] = {}
    problems: list[ContentError] = []
    described = {section.key for section in config.sections}
    for path, section in files:
        key, pattern = section.key, section.permalink
        if not pattern or key in described:
            continue  # a file newsgen.yaml's `sections` describes is not used (site.assemble)
        if key in found and found[key] != pattern:
            where = str(given.get(key, "newsgen.yaml's permalinks"))
            message = (
                f"gives the articles of the section {key}/ the permalink {pattern!r}, but"
                f" {where} gives them {found[key]!r}, which is used (a section has one"
                " pattern in every language)"
            )
            problems.append(ContentWarning(path, None, message))
            continue
        found[key], given[key] = pattern, path
    return found, problems
