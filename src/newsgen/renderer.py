"""Routes → HTML strings through Jinja. Never writes."""

from __future__ import annotations

import functools
import json
import re
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time, get_month_names
from babel.numbers import format_decimal
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    meta,
    nodes,
    pass_context,
    select_autoescape,
)
from jinja2 import (
    TemplateError as JinjaError,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from newsgen.errors import NewsgenError, TemplateError
from newsgen.models import (
    FEED_WORDS,
    Article,
    Bodies,
    Catalogue,
    HeldBodies,
    Page,
    Picture,
    PictureFile,
    Route,
    Section,
    SiteConfig,
)
from newsgen.theme import builtin_theme_dir
from newsgen.urls import (
    ARCHIVE_URL,
    AUTHORS_URL,
    FEED_FILES,
    SEARCH_URL,
    SITEMAP_URL,
    TAGS_URL,
    absolute,
    author_url,
    href,
    tag_url,
)

FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}

ENGLISH_DATE = "d MMMM y"
"""The theme's English date ('1 June 2024'), in every English; other languages get CLDR's
long date ('1 juin 2024', '2024年6月1日')."""


class SiteEnvironment(Environment):
    """A Jinja environment that reads the bodies kept apart from their items from the store
    it was given, so a template reads `article.body_html` (or `article['body_html']`, or
    through a filter that looks it up by name) whether the item holds its body or not."""

    def __init__(self, bodies: Bodies, **options: Any) -> None:
        super().__init__(**options)
        self.bodies = bodies

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Every attribute a template reads comes this way: the common case stays one call.
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)
        if value is None and attribute == "body_html" and type(obj) in _ITEMS:
            return self.bodies.html(obj)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        """`article['body_html']`, and the filters that look attributes up by name
        (`map(attribute=…)`, `selectattr`, `sort(attribute=…)`), come this way."""
        if argument == "body_html" and type(obj) in _ITEMS and obj.body_html is None:
            return self.bodies.html(obj)
        return super().getitem(obj, argument)


_ITEMS = (Article, Page)


class CompiledTemplates(BytecodeCache):
    """Templates as Jinja compiled them, kept in memory by a builder that builds again
    (serve): an environment made for the next build loads them instead of compiling
    (about 10 ms a template). Jinja keys them by name and checks the source's checksum, so
    an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def make_environment(
    site_root: Path,
    config: SiteConfig,
    menu: Sequence[Page] = (),
    search: bool | None = None,
    bodies: Bodies | None = None,
    sections: Sequence[Section] = (),
    catalogue: Catalogue | None = None,
    compiled: CompiledTemplates | None = None,
    pictures: Mapping[str, Picture] | None = None,
    corrected: bool = False,
    tagged: bool = True,
) -> Environment:
    """Site templates first, then the built-in theme, which stays reachable as `!theme/…`.

    MENU is the pages in the header navigation, after the SECTIONS: every page shows them.
    Bodies that their items do not hold are read from BODIES. Words (`t`) and dates are in
    each page's language (its context's `language`, else the site's), the words from
    CATALOGUE. COMPILED keeps compiled templates for the next environment. PICTURES are
    the processed lead images by their item's source, the default image under ''.
    CORRECTED: the site has a corrections page (the footer links to it); TAGGED: it has
    topics (the navigation links to their index).
    """
    builtin = FileSystemLoader(builtin_theme_dir() / "templates")
    env = SiteEnvironment(
        bodies or HeldBodies(),
        loader=ChoiceLoader(
            [FileSystemLoader(site_root / "templates"), builtin, PrefixLoader({"!theme": builtin})]
        ),
        autoescape=select_autoescape(("html", "xml"), default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one build never sees a template change; serve makes a new one
        bytecode_cache=compiled,
    )
    tz, base_path, base_url = config.tz, config.base_path, config.base_url

    words = catalogue or Catalogue()

    def code(context: Context) -> str:
        language = context.get("language")
        return str(getattr(language, "code", None) or config.language)

    @pass_context
    def longdate(context: Context, value: datetime) -> str:
        return _longdate(value.astimezone(tz), code(context))

    @pass_context
    def datetime_long(context: Context, value: datetime) -> str:
        """'14 March 2025, 09:30 GMT'; the day alone at midnight, as a date without a time
        of day is read (a story really published at 00:00 loses nothing but '00:00')."""
        local = value.astimezone(tz)
        lang = code(context)
        if not (local.hour or local.minute or local.second):
            return _longdate(local, lang)
        locale = _locale(lang)
        when = f"{format_time(local, 'HH:mm', locale=locale)} {local.tzname()}"
        pattern = str(locale.datetime_formats["long"]).replace("'", "")
        return pattern.replace("{1}", _longdate(local, lang)).replace("{0}", when)

    @pass_context
    def timeofday(context: Context, value: datetime) -> str:
        """'09:30' in the site's time zone; '' at midnight (a date without a time of day)."""
        local = value.astimezone(tz)
        if not (local.hour or local.minute or local.second):
            return ""
        return str(format_time(local, "HH:mm", locale=_locale(code(context))))

    @pass_context
    def shortdate(context: Context, value: datetime, year: bool = False) -> str:
        """'14 Mar' ('14 mars', '3月14日'), for a list of dates near each other; with YEAR,
        '14 Mar 2024' ('14 mars 2024', '2024年3月14日')."""
        return _short_day(value.astimezone(tz).date(), code(context), year)

    def same_day(value: datetime, other: datetime | None) -> bool:
        """Whether two times fall on one day in the site's time zone (`is same_day(x)`)."""
        return other is not None and value.astimezone(tz).date() == other.astimezone(tz).date()

    @pass_context
    def monthname(context: Context, month: int) -> str:
        return str(get_month_names("wide", "stand-alone", _locale(code(context)))[month])

    @pass_context
    def localmonth(context: Context, value: datetime | Any) -> str:
        """'June 2024' of a date, or of anything with a `year` and a `month` (a period)."""
        when: date = (
            value.astimezone(tz)
            if isinstance(value, datetime)
            else date(value.year, value.month, 1)
        )
        return str(format_skeleton("yMMMM", when, locale=_locale(code(context))))

    @pass_context
    def translate(context: Context, key: str, **values: object) -> Markup:
        """KEY's words in the page's language, each {name} in them replaced by VALUES' name
        (escaped unless it is markup); a table of plural forms is chosen by `count`."""
        lang = code(context)
        text, spoken = words.found(lang, key)
        if not isinstance(text, str):
            count = values.get("count")
            form = _locale(spoken).plural_form(count) if isinstance(count, int) else "other"
            text = text.get(form, text["other"])
        return Markup(
            _PLACEHOLDER.sub(
                lambda m: str(escape(_shown(values[m[1]], lang))) if m[1] in values else m[0],
                str(escape(text)),
            )
        )

    @pass_context
    def words_for_script(context: Context, key: str) -> str | Mapping[str, str]:
        """KEY's words in the page's language for a script to show: text, or its plural
        forms by CLDR category (the script chooses with Intl.PluralRules), unescaped (the
        `tojson` filter escapes them for the page). Forms say the language whose plural
        rules choose among them (`lang`: English words count as English does)."""
        text, spoken = words.found(code(context), key)
        return text if isinstance(text, str) else {**text, "lang": spoken}

    def image_src(item: Article | Page) -> str:
        """A lead image as a link from any page: as site.assemble placed it (under base_url's
        path, or a full URL); one it found nowhere is relative to its own page."""
        image = item.image or ""
        if "://" in image or image.startswith("/"):
            return image
        return urljoin(href(base_path, item.url), image)  # 'pic.png' beside 'blog/name1.18'

    shown = pictures or {}

    def picture_of(item: Article | Page) -> Picture | None:
        """ITEM's lead image as processed (its sizes and versions); None for an image on
        another host, one that could not be read, or none."""
        return shown.get(str(item.source)) if item.image else None

    def srcset(files: Sequence[PictureFile]) -> str:
        """'URL 480w, URL 960w' of FILES."""
        return ", ".join(f"{href(base_path, f.url)} {f.width}w" for f in files)

    def social_image(item: Article | Page | None = None) -> PictureFile | None:
        """The picture a link to a page is shown with (og:image, twitter:image, JSON-LD):
        ITEM's lead image at the size feed readers and social cards use, else the site's
        default_image; its url is absolute."""
        found = picture_of(item) if item is not None else None
        if found is None and item is not None and item.image:
            written = urljoin(absolute(base_url, item.url), item.image)  # another host's
            return PictureFile(written, 0, 0, "")
        found = found or shown.get("")
        if found is None:
            if config.default_image:
                return PictureFile(urljoin(base_url, config.default_image), 0, 0, "")
            return None
        large = found.large or found.src
        return replace(large, url=absolute(base_url, large.url))

    # A page of a language's edition carries its language, home_url, sections, tags_url,
    # authors_url, archive_url and feeds in its context (site.routes), which shadow these;
    # the links to a tag, author or section are made under the page's own home_url.
    default = config.default_language
    home = default.prefix

    def under(context: Context, url: str) -> str:
        return str(context.get("home_url", home)) + url

    env.globals.update(
        site=config,
        t=translate,
        t_script=words_for_script,
        url=lambda rel="": href(base_path, rel),
        theme_url=lambda name: href(base_path, config.theme_prefix + name),
        abs_url=lambda rel="": absolute(base_url, rel),
        tag_url=pass_context(lambda context, slug: under(context, tag_url(slug))),
        author_url=pass_context(lambda context, slug: under(context, author_url(slug))),
        section_url=pass_context(lambda context, section: under(context, section.url)),
        language=default,
        languages=config.languages,
        home_url=home,
        translations=(),
        feeds={kind: home + name for kind, name in FEED_FILES.items()},
        feed_types=dict(FEED_TYPES),
        resolve=urljoin,
        image_src=image_src,
        picture_of=picture_of,
        srcset=srcset,
        social_image=social_image,
        news_article=lambda article, image: news_article(article, image, config),
        tags_url=home + TAGS_URL,
        authors_url=home + AUTHORS_URL if config.author_pages else None,
        archive_url=home + ARCHIVE_URL if config.archive else None,
        search_url=SEARCH_URL if (config.search if search is None else search) else None,
        sitemap_url=SITEMAP_URL,
        corrections_page_url=home + config.corrections_url if corrected else None,
        has_topics=tagged,
        menu=tuple(menu),
        sections=tuple(sections),
    )
    env.filters.update(
        isodate=lambda d: d.astimezone(tz).isoformat(),
        longdate=longdate,
        datetime_long=datetime_long,
        timeofday=timeofday,
        shortdate=shortdate,
        monthname=monthname,
        localyear=lambda d: d.astimezone(tz).year,
        localmonth=localmonth,
        json_ld=json_ld,
        pagefind_value=pagefind_value,
    )
    env.tests["same_day"] = same_day

    class Words:
        """The theme's words and long dates in a language, for the feeds (which carry the
        notices of corrections but are not made from templates): feeds.FeedWords."""

        def word(self, lang: str, key: str) -> str:
            text = words.found(lang or config.language, key)[0]
            return text if isinstance(text, str) else text["other"]

        def day(self, lang: str, when: datetime) -> str:
            return _longdate(when.astimezone(tz), lang or config.language)

    env.extend(newsgen_site_root=site_root)  # for error messages: paths relative to the site
    env.extend(newsgen_feed_words=Words())  # feeds.render_feed's WORDS
    return env


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    """CLDR's data for language CODE ('fr', 'pt-BR'), else for its language alone ('fr' for
    'fr-XX'); English for a language CLDR does not know."""
    for tried in (code, code.split("-")[0]):  # fr-XX: French dates, as its words are
        try:
            return Locale.parse(tried.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            continue
    return Locale("en")


def _shown(value: object, code: str) -> object:
    """A value as a page in language CODE shows it: a whole number grouped as the language
    groups digits (12,345; 12 345; 12.345)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
        return _grouped(value, code)
    return value


@functools.lru_cache(maxsize=4096)
def _grouped(value: int, code: str) -> str:
    return str(format_decimal(value, locale=_locale(code)))


def _longdate(local: datetime, code: str) -> str:
    return _long_day(local.date(), code)


@functools.lru_cache(maxsize=65536)
def _long_day(day: date, code: str) -> str:
    """One day's long form in language CODE: made once a build (Babel takes some 4 µs, and
    an article's date is shown on its page and on every listing that lists it)."""
    locale = _locale(code)
    form = ENGLISH_DATE if locale.language == "en" else "long"
    return str(format_date(day, form, locale=locale))


@functools.lru_cache(maxsize=4096)
def _short_day(day: date, code: str, year: bool) -> str:
    locale = _locale(code)
    if locale.language == "en":  # the theme's English dates: day first, every English
        return str(format_date(day, "d MMM y" if year else "d MMM", locale=locale))
    return str(format_skeleton("yMMMd" if year else "MMMd", day, locale=locale))


def words_asked(env: Environment) -> set[str]:
    """The keys every template reachable from ENV asks for by name (`t('Latest')`), and
    those the feeds ask for."""
    asked: set[str] = set(FEED_WORDS)
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml"))):
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            tree = env.parse(source)
        except (TemplateNotFound, TemplateSyntaxError, UnicodeDecodeError, OSError):
            continue  # compiling reports it
        for call in tree.find_all(nodes.Call):
            if (
                isinstance(call.node, nodes.Name)
                and call.node.name in ("t", "t_script")
                and call.args
                and isinstance(call.args[0], nodes.Const)
                and isinstance(call.args[0].value, str)
            ):
                asked.add(call.args[0].value)
    return asked


def pagefind_value(value: str) -> str:
    """A search filter's value for `data-pagefind-filter="name:VALUE"`. Pagefind decodes
    entities once more than HTML does, so the value is escaped twice here (and once more by
    the template); the search page decodes the stored value once and shows it as text."""
    return str(escape(str(escape(value))))


def news_article(article: Article, image: str | None, config: SiteConfig) -> dict[str, object]:
    """schema.org NewsArticle for search engines (rendered by the json_ld filter): a pure
    function of the article and the settings, so its fields are tested on their own."""
    tz, base_url = config.tz, config.base_url
    page = absolute(base_url, article.url)
    home = next((lang.prefix for lang in config.languages if lang.code == article.language), "")
    people: list[dict[str, object]] = []
    for person in article.bylines:
        entry: dict[str, object] = {"@type": "Person", "name": person.name}
        if config.author_pages:
            entry["url"] = absolute(base_url, home + author_url(person.slug))
        people.append(entry)
    publisher: dict[str, object] = {
        "@type": "Organization",
        "name": config.publisher_name or config.title,
        "url": base_url,
    }
    if config.publisher_logo:
        written = config.publisher_logo
        inside = unquote(written).startswith(unquote(config.base_path))  # however encoded
        if written.startswith("/") and not written.startswith("//") and not inside:
            written = written[1:]  # from the host's root, as bodies' paths: under base_url
        logo = urljoin(base_url, written)
        publisher["logo"] = {"@type": "ImageObject", "url": logo}
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.astimezone(tz).isoformat(),
        "dateModified": article.modified.astimezone(tz).isoformat(),
        "author": people,
        "publisher": publisher,
        "mainEntityOfPage": {"@type": "WebPage", "@id": page},
        "url": page,
        "inLanguage": article.language or config.language,
        "wordCount": article.word_count,
    }
    if article.summary:
        data["description"] = article.summary
    if article.tags:
        data["keywords"] = [tag.name for tag in article.tags]
    if article.section is not None:
        data["articleSection"] = article.section.name
    if image:
        data["image"] = [image]
    if article.corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.date.astimezone(tz).isoformat(),
            }
            for correction in article.corrections
        ]
    return data


def json_ld(value: object) -> Markup:
    """VALUE as JSON for a <script type="application/ld+json"> block, safe in HTML.

    Escaping '<', '>' and '&' as JSON escapes means no '</script>' or '<!--' in a title
    can end the block early; U+2028/U+2029 are escaped for old JavaScript parsers.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


_STATIC_CALL = re.compile(r"""(?<![\w.])((?:abs_)?url)\(\s*(['"])static/([^'"]+)\2""")


def static_calls(site_root: Path) -> list[tuple[PurePosixPath, int, str, str]]:
    """Where the site's own templates link a file by `url('static/NAME')` or
    `abs_url('static/NAME')`, as templates written for the old layout do: (template, line,
    the function, NAME), in file order."""
    folder = site_root / "templates"
    found: list[tuple[PurePosixPath, int, str, str]] = []
    if not folder.is_dir():
        return found
    for file in sorted(folder.rglob("*.html")):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # compiling reports it
        rel = PurePosixPath(file.relative_to(site_root).as_posix())
        for match in _STATIC_CALL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((rel, line, match.group(1), match.group(3)))
    return found


def template_sources(env: Environment, name: str) -> list[tuple[str, str]]:
    """NAME and every template it extends, includes or imports, with their sources.

    A page depends on exactly these; a name computed at render time (not a literal) makes
    it depend on every template, as nothing narrower can be known.
    """
    seen: dict[str, str] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        try:
            source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        except (TemplateNotFound, UnicodeDecodeError, OSError):
            seen[current] = ""  # rendering reports it, naming the file
            continue
        seen[current] = source
        found = list(_references(env, source))
        if None in found:
            found = list(env.list_templates())
        todo.extend(n for n in found if n)
    return sorted(seen.items())


def _references(env: Environment, source: str) -> tuple[str | None, ...]:
    """The templates SOURCE names (None for a name computed at render time); a template that
    does not parse names none (rendering reports it, at its line). Parsed once a process for
    each text (environments with the same syntax parse it alike)."""
    key = (env.lexer, tuple(sorted(env.extensions)), source)
    found = _REFERENCES.get(key)
    if found is None:
        try:
            found = tuple(meta.find_referenced_templates(env.parse(source)))
        except TemplateSyntaxError:
            found = ()
        if len(_REFERENCES) >= 256:
            _REFERENCES.clear()
        _REFERENCES[key] = found
    return found


_REFERENCES: dict[tuple[Any, tuple[str, ...], str], tuple[str | None, ...]] = {}


def _display_path(filename: str | None, site_root: Path) -> PurePosixPath:
    """A template's path as the user knows it: relative to the site, or inside the theme."""
    if not filename:
        return PurePosixPath("templates")
    path = Path(filename).resolve()
    for base, prefix in ((site_root.resolve(), ""), (builtin_theme_dir(), "newsgen theme: ")):
        if path.is_relative_to(base):
            return PurePosixPath(prefix + path.relative_to(base).as_posix())
    return PurePosixPath(filename)


def _template_error(exc: Exception, route: Route, site_root: Path) -> TemplateError:
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(_display_path(exc.filename, site_root), exc.lineno, exc.message or "")
    if isinstance(exc, TemplateNotFound):
        return TemplateError(PurePosixPath("templates"), None, f"template not found: {exc.name}")
    frames = [
        (frame.f_code.co_filename, line)
        for frame, line in traceback.walk_tb(exc.__traceback__)
        if frame.f_code.co_filename.endswith((".html", ".xml"))
    ]
    filename, line = frames[-1] if frames else (None, None)
    if isinstance(exc, OSError) and not isinstance(exc, UnicodeError):
        # Jinja's loader met a file or folder it may not read: say so in words, at the path
        # as the user knows it (never the absolute path, never an errno tuple).
        where = (
            _display_path(exc.filename, site_root) if exc.filename else PurePosixPath("templates")
        )
        return TemplateError(where, None, f"cannot be read ({exc.strerror or exc})")
    if isinstance(exc, UnicodeDecodeError):  # raised while Jinja's loader read the file
        read = [f.f_locals.get("filename") for f, _ in traceback.walk_tb(exc.__traceback__)]
        filename = next((str(n) for n in reversed(read) if n), filename)
        return TemplateError(_display_path(filename, site_root), None, "is not valid UTF-8")
    message = str(exc) if isinstance(exc, JinjaError) else f"{type(exc).__name__}: {exc}"
    return TemplateError(_display_path(filename, site_root), line, message, f"/{route.url}")


def compile_templates(
    env: Environment, names: Iterable[str], sources: Callable[[str], list[tuple[str, str]]]
) -> tuple[set[str], list[TemplateError]]:
    """Compile templates NAMES, and those they name literally (extends, include, import),
    before any page is rendered: which of NAMES cannot be used, and the problems found
    (syntax errors, missing templates, bytes that are not UTF-8), each once at its file. An
    undefined variable shows when a page is rendered. SOURCES is `template_sources`
    (memoised by the caller: fingerprints read the same). Compiled here, the templates are
    inherited by the render workers."""
    site_root = env.newsgen_site_root  # type: ignore[attr-defined]
    wanted = set(names)
    broken: set[str] = set()
    errors: list[TemplateError] = []
    failed: set[str] = set()
    for name in sorted(wanted):
        for found in _named(env, name, sources):
            if found in failed:
                broken.add(name)
                continue
            try:
                env.get_template(found)
            except Exception as exc:  # a template's problem, reported at its file
                failed.add(found)
                broken.add(name)
                error = _template_error(exc, Route(found, found, found, {}), site_root)
                errors.append(TemplateError(error.path, error.line, error.message))
    return broken, errors


def _named(
    env: Environment, name: str, sources: Callable[[str], list[tuple[str, str]]]
) -> list[str]:
    """NAME and the templates it names literally, as far as they can be read: a name computed
    at render time makes a page depend on every template (template_sources), but only the
    ones it names can be compiled for it."""
    known = dict(sources(name))
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        text = known.get(current)
        if text:
            todo.extend(n for n in _references(env, text) if n and n in known)
    return seen


def render_route(env: Environment, route: Route) -> str:
    """One page as a string; Jinja errors become TemplateError at the template's file and line."""
    try:
        return env.get_template(route.template).render(route.context)
    except NewsgenError:
        raise
    except Exception as exc:  # a template can raise anything: {{ 1/0 }}, recursion, ...
        raise _template_error(exc, route, env.newsgen_site_root) from None  # type: ignore[attr-defined]
