"""newsgen.yaml → SiteConfig. Unknown keys and wrong types are errors with their line."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsgen import slugs
from newsgen.errors import BuildFailed, ConfigError, ContentError
from newsgen.models import FrozenMap, ImageSettings, Language, Section, SiteConfig
from newsgen.urls import check_permalink, section_name, slugify
from newsgen.yamlio import decode_utf8, parse_mapping

CONFIG_NAME = "newsgen.yaml"
OUTPUT_NAME = "build"


def default_out_dir(site_root: Path) -> Path:
    """Where a site is built when no -o is given (serve reads it from there too)."""
    return site_root / OUTPUT_NAME


def _string(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string, not {_kind(value)}")
    return value


def _base_url(key: str, value: Any) -> str:
    url = _string(key, value).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{key}' must be an absolute http(s) URL, e.g. https://example.org/")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValueError(f"'{key}' must not contain a query or fragment")
    # "//news/" would make every internal link protocol-relative, pointing at a host "news".
    if "//" in parts.path or any(seg in (".", "..") for seg in parts.path.split("/")):
        raise ValueError(f"'{key}' has an empty, '.' or '..' segment in its path")
    return url if url.endswith("/") else url + "/"


def _timezone(key: str, value: Any) -> str:
    name = _string(key, value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{key}' is not a known IANA time zone: {name!r}") from None
    return name


def _per_page(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"'{key}' must be a whole number of at least 1")
    return value


def _permalink(key: str, value: Any) -> str:
    pattern = _string(key, value)
    problem = check_permalink(pattern)
    if problem:
        raise ValueError(problem)
    return pattern


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list"}
    return names.get(type(value), "a mapping" if isinstance(value, dict) else type(value).__name__)


def _slug_from(key: str, value: Any) -> str:
    if value not in ("filename", "title"):
        raise ValueError(f"'{key}' must be filename or title")
    return str(value)


def _section_from(key: str, value: Any) -> str:
    if value is False:
        return "none"
    if value not in ("auto", "folders", "front-matter", "none"):
        raise ValueError(f"'{key}' must be one of auto, folders, front-matter, none")
    return str(value)


def _sections(key: str, value: Any) -> tuple[Section, ...]:
    """`sections: {world: {title: World, description: …, weight: 1}}`: what an `_index` file
    says of a section, for sections that have none."""
    example = "e.g. sections: {world: {title: World, weight: 1}}"
    if not isinstance(value, dict):
        raise ValueError(f"'{key}' must name sections with their settings, {example}")
    found: list[Section] = []
    for name, settings in value.items():
        settings = {} if settings is None else settings
        if not isinstance(settings, dict) or set(settings) - {"title", "description", "weight"}:
            raise ValueError(f"'{key}.{name}' may have title, description and weight, {example}")
        title, description = settings.get("title"), settings.get("description", "")
        weight = settings.get("weight", 0)
        if title is not None and not isinstance(title, str):
            raise ValueError(f"'{key}.{name}.title' must be text (put it in quotes)")
        if not isinstance(description, str):
            raise ValueError(f"'{key}.{name}.description' must be text (put it in quotes)")
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise ValueError(f"'{key}.{name}.weight' must be a whole number")
        shown = title or section_name(str(name))
        found.append(Section(slugify(str(name)), shown, description, weight))
    return tuple(found)


def _permalinks(key: str, value: Any) -> FrozenMap:
    """`permalinks: {blog: "/{year}/{month}/{day}/{slug}/"}`: the URL pattern of one
    section's articles, in place of `permalink` (Hugo's `[permalinks]`), by the section's
    URL name."""
    example = 'e.g. permalinks: {blog: "/{year}/{slug}/"}'
    if not isinstance(value, dict):
        raise ValueError(f"'{key}' must name sections with their URL patterns, {example}")
    found: dict[str, str] = {}
    for name, pattern in value.items():
        where = f"{key}.{name}"
        try:
            found[slugify(str(name))] = _permalink(where, pattern)
        except ValueError as e:
            message = str(e)  # a wrong type names the key already
            raise ValueError(
                message if message.startswith(f"'{where}'") else f"'{where}': {message}"
            ) from None
    return FrozenMap(found)


_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_UNSET = "\0"
"""A language's prefix before the site's default language is known (finish_languages)."""


_WORDS = ("title", "description")
"""What a language may say in its own words instead of the site's settings of those names."""


def _languages(key: str, value: Any) -> tuple[Language, ...]:
    """`languages: {en: {name: English}, ja: {name: 日本語, prefix: ja}}`, or a list of codes."""
    example = "e.g. languages: {en: {name: English}, ja: {name: 日本語}}, or [en, ja]"
    if isinstance(value, list):
        if not all(isinstance(code, str) for code in value):
            raise ValueError(f"'{key}' must list language codes, {example}")
        value = dict.fromkeys(value)
    if not isinstance(value, dict) or not value:
        raise ValueError(f"'{key}' must name the site's languages, {example}")
    found: list[Language] = []
    for code, settings in value.items():
        if not isinstance(code, str) or not _LANGUAGE_CODE.match(code):
            raise ValueError(f"'{key}': {code!r} is not a language code such as en, ja, pt-BR")
        settings = {} if settings is None else settings
        if not isinstance(settings, dict) or set(settings) - {"name", "prefix", "host", *_WORDS}:
            raise ValueError(
                f"'{key}.{code}' may have name, prefix, title, description and host, {example}"
            )
        host = settings.get("host", "")
        parts = urlsplit(host) if isinstance(host, str) else None
        if host and (parts is None or parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValueError(
                f"'{key}.{code}.host' must be the address the language had before, such as"
                " https://numerique.example/"
            )
        words = {field: settings.get(field, "") for field in _WORDS}
        for field, text in words.items():
            if not isinstance(text, str):
                raise ValueError(f"'{key}.{code}.{field}' must be text (put it in quotes)")
        name, prefix = settings.get("name", code), settings.get("prefix", _UNSET)
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"'{key}.{code}.name' must be text (put it in quotes)")
        if prefix is None:
            prefix = ""
        if not isinstance(prefix, str) or any(
            part in (".", "..") or "\\" in part for part in prefix.split("/")
        ):
            raise ValueError(f"'{key}.{code}.prefix' must be a path such as {code.lower()}/")
        if prefix != _UNSET:
            prefix = "/".join(p for p in prefix.split("/") if p)
            prefix = prefix + "/" if prefix else ""
        if any(known.code.lower() == code.lower() for known in found):
            raise ValueError(f"'{key}' names {code} twice")
        found.append(
            Language(
                code,
                name.strip(),
                prefix,
                **{f: t.strip() for f, t in words.items()},
                host=host.rstrip("/") + "/" if host else "",
            )
        )
    return tuple(found)


def finish_languages(languages: tuple[Language, ...], default: str) -> tuple[Language, ...]:
    """The languages with the default one first and each prefix set: none for the default
    language, its code for the others, unless configured."""
    if not languages:
        return ()
    if not any(lang.code.lower() == default.lower() for lang in languages):
        languages = (Language(default, default), *languages)
    first = [lang for lang in languages if lang.code.lower() == default.lower()]
    ordered = [*first, *(lang for lang in languages if lang not in first)]
    done = []
    for lang in ordered:
        if lang.prefix == _UNSET:
            prefix = "" if lang is ordered[0] else lang.code.lower() + "/"
            lang = dataclasses.replace(lang, prefix=prefix)
        done.append(lang)
    return tuple(done)


def _slugify(key: str, value: Any) -> str:
    if value not in slugs.RULES:
        raise ValueError(f"'{key}' must be one of {', '.join(slugs.RULES)}")
    missing = slugs.missing_package(str(value))
    if missing:
        raise ValueError(missing)
    return str(value)


def _raw_html(key: str, value: Any) -> str:
    modes = {True: "keep", False: "escape", "sanitize": "sanitize"}
    if isinstance(value, bool) or value == "sanitize":
        return modes[value]
    raise ValueError(f"'{key}' must be sanitize (the default), true or false")


def _anchors(key: str, value: Any) -> str:
    styles = ("github", "jekyll", "hugo", "zola", "pelican", "eleventy")
    if value not in styles:
        raise ValueError(f"'{key}' must be one of {', '.join(styles)}")
    return str(value)


def _hosts(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(h, str) and h.strip() for h in value):
        raise ValueError(f"'{key}' must be a list of host names, e.g. [www.youtube.com]")
    return tuple(h.strip().lower() for h in value)


def _paths(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise ValueError(f"'{key}' must be a list of paths on the site's host, e.g. [/shop/]")
    return tuple(p.strip() for p in value)


def _static_url(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'{key}' must be a path such as / or /static/")
    path = value.strip()
    parts = [part for part in path.strip("/").split("/") if part]
    if (
        not path.startswith("/")
        or "//" in path
        or any(part in (".", "..") or "\\" in part or "?" in part or "#" in part for part in parts)
    ):
        raise ValueError(f"'{key}' must be a path from base_url's path, such as / or /static/")
    return "/" + "".join(part + "/" for part in parts)


def _page_url(key: str, value: Any) -> str:
    """A folder URL of one of newsgen's own pages, from base_url ('/corrections/' or
    'corrections' → 'corrections/'): its later pages and feeds go inside it."""
    example = f"'{key}' must be a folder path from base_url, such as /corrections/"
    if not isinstance(value, str):
        raise ValueError(example)
    parts = [part for part in value.strip().strip("/").split("/") if part]
    if (
        not parts
        or "//" in value.strip().strip("/")
        or any(part in (".", "..") or any(c in part for c in "\\?#%") for part in parts)
        or any(char.isspace() for char in value.strip())
    ):
        raise ValueError(example)
    return "".join(part + "/" for part in parts)


def _flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"'{key}' must be true or false")
    return value


RELATED_WINDOW_MAX = 100
"""Candidates are the window on each side in each tag: beyond about 100, finding related
stories grows with the square of a big tag's size (hours for a tag of 50,000 stories)."""


def _count(low: int, high: int | None = None) -> Callable[[str, Any], int]:
    def coerce(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"'{key}' must be a whole number of at least {low}")
        if high is not None and value > high:
            raise ValueError(f"'{key}' must be a whole number from {low} to {high}")
        return value

    return coerce


def _feed_content(key: str, value: Any) -> str:
    if value not in ("full", "summary"):
        raise ValueError(f"'{key}' must be full or summary")
    return str(value)


def _missing(key: str, value: Any) -> str:
    if value not in ("error", "warning"):
        raise ValueError(f"'{key}' must be error or warning")
    return str(value)


def _section_keys(key: str, value: Any) -> tuple[str, ...]:
    """`front: {sections: [world, business]}`: sections by name or URL segment, in order."""
    if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
        raise ValueError(f"'{key}' must be a list of section names, e.g. [news, sport]")
    return tuple(dict.fromkeys(slugify(name.strip()) for name in value))


def _params(key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"'{key}' must be a mapping of names to values (repository: https://…)")
    return FrozenMap(value)


def _widths(key: str, value: Any) -> tuple[int, ...]:
    if (
        not isinstance(value, list)
        or not value
        or not all(
            isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8000 for w in value
        )
    ):
        raise ValueError(f"'{key}' must be a list of widths in pixels, e.g. [480, 960, 1600]")
    return tuple(sorted(set(value)))


def _quality(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise ValueError(f"'{key}' must be a whole number from 1 to 100")
    return value


def _box(key: str, value: Any) -> tuple[int, int]:
    found = (
        re.fullmatch(r"\s*(\d{2,4})\s*x\s*(\d{2,4})\s*", value) if isinstance(value, str) else None
    )
    if not found:
        raise ValueError(f"'{key}' must be a width and height in pixels, e.g. 400x300")
    return int(found[1]), int(found[2])


def _pixels(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 16 <= value <= 8000:
        raise ValueError(f"'{key}' must be a width in pixels, e.g. 1200")
    return value


Coerce = Callable[[str, Any], Any]
_FIELDS: dict[str, tuple[str, Coerce]] = {
    "title": ("title", _string),
    "description": ("description", _string),
    "base_url": ("base_url", _base_url),
    "language": ("language", _string),
    "languages": ("languages", _languages),
    "timezone": ("timezone", _timezone),
    "per_page": ("per_page", _per_page),
    "author": ("author", _string),
    "permalink": ("permalink", _permalink),
    "permalinks": ("permalinks", _permalinks),
    "slug_from": ("slug_from", _slug_from),
    "slugify": ("slugify", _slugify),
    "section_from": ("section_from", _section_from),
    "sections": ("sections", _sections),
    "nav_sections": ("nav_sections", _count(0)),
    "smart_quotes": ("smart_quotes", _flag),
    "archive": ("archive", _flag),
    "author_pages": ("author_pages", _flag),
    "related": ("related", _count(0)),
    "related_window": ("related_window", _count(1, RELATED_WINDOW_MAX)),
    "search": ("search", _flag),
    "news_sitemap": ("news_sitemap", _flag),
    "sitemap_limit": ("sitemap_limit", _count(1)),
    "params": ("params", _params),
    "default_image": ("default_image", _string),
    "static_url": ("static_url", _static_url),
}
_SECTIONS: dict[str, dict[str, tuple[str, Coerce]]] = {
    "markdown": {
        "html": ("raw_html", _raw_html),
        "iframe_hosts": ("iframe_hosts", _hosts),
        "anchors": ("anchors", _anchors),
    },
    "feeds": {
        "length": ("feed_length", _count(1)),
        "content": ("feed_content", _feed_content),
        "tags": ("tag_feeds", _flag),
        "authors": ("author_feeds", _flag),
        "sections": ("section_feeds", _flag),
    },
    "publisher": {
        "name": ("publisher_name", _string),
        "logo": ("publisher_logo", _string),
    },
    "images": {
        "widths": ("images.widths", _widths),
        "quality": ("images.quality", _quality),
        "keep_metadata": ("images.keep_metadata", _flag),
        "thumbnail": ("images.thumbnail", _box),
        "feed_width": ("images.feed_width", _pixels),
        "missing": ("missing_images", _missing),
    },
    "front": {
        "grid": ("front_grid", _count(0)),
        "sections": ("front_sections", _section_keys),
        "blocks": ("front_blocks", _count(0)),
        "block_stories": ("front_block_stories", _count(1)),
        "latest": ("front_latest", _count(0)),
    },
    "corrections": {
        "url": ("corrections_url", _page_url),
    },
    "check": {
        "summaries": ("check_summaries", _flag),
        "alt_text": ("check_alt_text", _flag),
        "external_paths": ("check_external_paths", _paths),
    },
}


def parse_config(text: str, path: PurePosixPath) -> tuple[SiteConfig, list[ContentError]]:
    """Coerce the text of newsgen.yaml; a bad value falls back to its default and is reported."""
    try:
        data, lines = parse_mapping(text, path, 1, "newsgen.yaml")
    except ContentError as e:
        return SiteConfig(), [e]
    values: dict[str, Any] = {}
    errors: list[ContentError] = []
    for key, value in data.items():
        line = lines.get(key)
        if key in _SECTIONS:
            fields = _SECTIONS[key]
            if not isinstance(value, dict):
                example = next(iter(fields))
                message = f"'{key}' must be a mapping ({example}: ...)"
                errors.append(ConfigError(path, line, message))
                continue
            for sub, subvalue in value.items():
                if sub not in fields:
                    known = ", ".join(sorted(fields))
                    message = f"unknown key '{key}.{sub}' (known keys: {known})"
                    errors.append(ConfigError(path, line, message))
                    continue
                attr, coerce = fields[sub]
                try:
                    values[attr] = coerce(f"{key}.{sub}", subvalue)
                except ValueError as e:
                    errors.append(ConfigError(path, line, str(e)))
            continue
        if key not in _FIELDS:
            known = ", ".join(sorted([*_FIELDS, *_SECTIONS]))
            errors.append(ConfigError(path, line, f"unknown key '{key}' (known keys: {known})"))
            continue
        attr, coerce = _FIELDS[key]
        try:
            values[attr] = coerce(key, value)
        except ValueError as e:
            errors.append(ConfigError(path, line, str(e)))
    images = {k.split(".", 1)[1]: values.pop(k) for k in list(values) if k.startswith("images.")}
    if images:
        values["images"] = ImageSettings(**images)
    if "languages" in values:
        languages = finish_languages(values["languages"], values.get("language", "en"))
        prefixes = [lang.prefix for lang in languages]
        if len(set(prefixes)) < len(prefixes):
            message = "'languages': two languages have the same prefix; give each its own"
            errors.append(ConfigError(path, lines.get("languages"), message))
            languages = ()
        values["languages"] = languages
    return SiteConfig(**values), errors


def read_config(site_root: Path) -> tuple[SiteConfig, list[ContentError]]:
    """Read SITE/newsgen.yaml (missing means every default) → the config and its problems.

    The build goes on with defaults in place of bad values, so one run reports
    the config's problems together with the articles'.
    """
    file = site_root / CONFIG_NAME
    rel = PurePosixPath(CONFIG_NAME)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return SiteConfig(), []
    except IsADirectoryError:
        return SiteConfig(), [ConfigError(rel, None, "is a folder, not a file")]
    except OSError as e:
        return SiteConfig(), [ConfigError(rel, None, f"cannot be read ({e.strerror})")]
    try:
        text = decode_utf8(raw, rel)
    except ContentError as e:
        return SiteConfig(), [ConfigError(e.path, e.line, e.message)]
    return parse_config(text, rel)


def load_config(site_root: Path) -> SiteConfig:
    """The site's config; raise BuildFailed if newsgen.yaml has any problem."""
    config, errors = read_config(site_root)
    if errors:
        raise BuildFailed(errors)
    return config
