"""The pipeline: one flat list of named steps, from the config to the published output.

    read config → discover → load → assemble → routes → images → templates → output paths
      → pages → feeds → render → extras → files → search → publish

`newsgen check` runs the same steps up to the output (PLAN), and `build` all of them (PLAN,
then OUTPUT), so the two cannot disagree about what a site is. Each step is a small function
of the `Run` it fills in; what each one may skip is the incremental layer's call
(incremental.py), and where the work runs (workers, a detached refresh) is processes.py's.

The heavy modules (Markdown, Jinja, feeds) are imported only when there is work for them, so
a rebuild with nothing to do costs little more than looking at the files.

A `Builder` keeps what it learned between builds; `newsgen serve` holds one for its life.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar
from urllib.parse import unquote, urljoin, urlsplit

from newsgen.config import CONFIG_NAME, default_out_dir, read_config
from newsgen.discover import SourceFile, discover, static_files
from newsgen.errors import (
    BuildFailed,
    ContentError,
    ContentWarning,
    OutputError,
    PublishError,
    TemplateError,
    UsageError,
)
from newsgen.fsutil import ARTICLES_DIR, PAGES_DIR, SOURCE_DIRS, STATIC_DIR
from newsgen.incremental import (
    Assembled,
    Incremental,
    Parsed,
    ParseJob,
    Stamp,
    file_fingerprint,
    held_from_record,
    route_fingerprints,
    stash,
)
from newsgen.models import (
    Article,
    Bodies,
    Catalogue,
    FrozenMap,
    Held,
    HeldBodies,
    Page,
    Route,
    SearchPart,
    Section,
    Site,
    SiteConfig,
    TermNote,
)
from newsgen.moves import has_pending, write_planned
from newsgen.publisher import OutputLock, Placed, Placer, Publisher, check_output_dir
from newsgen.records import problems_from_record
from newsgen.theme import builtin_theme_dir

Progress = Callable[[str, int, int], None]
StaticFiles = list[tuple[Path, PurePosixPath]]
Job = TypeVar("Job")
Result = TypeVar("Result")


@dataclass(frozen=True, slots=True)
class Inspection:
    """A site as loaded and assembled, not rendered (Builder.inspect)."""

    config: SiteConfig
    articles: tuple[Article, ...]
    """Every article as parsed, drafts too, with the tag spellings it was written with."""
    site: Site
    routes: tuple[Route, ...]
    static: set[str]
    """Output paths of the static files (theme's and site's) and of the processed pictures,
    relative to the output."""
    problems: list[ContentError]
    bodies: Bodies
    """Where the bodies the items do not hold are read."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a successful build produced, for the one-line summary."""

    articles: int
    pages: int
    tags: int
    seconds: float
    out_dir: Path
    config: SiteConfig
    """The settings the build ran with (serve follows base_url changes through it)."""
    warnings: tuple[ContentError, ...] = ()
    """What the build left out or changed, each with its file and line."""
    written: int = 0
    """Output files written anew."""
    unchanged: int = 0
    """Output files kept as they were (same bytes, mtime and inode)."""
    removed: int = 0
    """Output files of the previous build that are gone."""
    images: int = 0
    """Images processed anew (the others were in the cache)."""
    moves: tuple[str, ...] = ()
    """Old URLs kept as aliases in their source files (`build --record-moves`), one line each."""
    held: tuple[Held, ...] = ()
    """The articles this build's *now* held back (scheduled, expired)."""
    next_change: datetime | None = None
    """When what the site shows changes next (a publication, an expiry, a new day), in UTC:
    a build at or after it does the work again; serve rebuilds then on its own."""

    def schedule_lines(self) -> list[str]:
        """'Scheduled: 2 articles not published yet (next: articles/x.md at …)'."""
        from newsgen.schedule import summary_lines

        return summary_lines(self.held, self.config.tz)

    changes: tuple[tuple[str, str], ...] = ()
    """(mark, path) of each output file added, changed or removed (manifests.changes)."""

    def summary(self) -> str:
        warned = len(self.warnings)
        return (
            f"Built {_count(self.articles, 'article')}, {_count(self.pages, 'page')}, "
            f"{_count(self.tags, 'tag')} in {self.seconds:.2f} s into {self.out_dir}: "
            f"{_count(self.written, 'file')} written, {self.unchanged} unchanged, "
            f"{self.removed} removed"
            + (f", {_count(self.images, 'image')} processed" if self.images else "")
            + (f" ({_count(warned, 'warning')})" if warned else "")
        )


def shown_output(out_dir: Path) -> str:
    """The output folder as messages name it: relative to the working folder when inside it."""
    try:
        return Path(os.path.abspath(out_dir)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(out_dir)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report_once(errors: list[ContentError]) -> list[ContentError]:
    """A broken template fails every page it renders: report each problem once, with a count."""
    pages: dict[tuple[str, int, str], list[str]] = {}
    merged: list[ContentError] = []
    seen_plain: set[tuple[str, str, int, str]] = set()
    for error in errors:
        if not isinstance(error, TemplateError) or not error.page:
            # A syntax error in base.html is met by every template extending it: say it once.
            plain = (type(error).__name__, str(error.path), error.line or 0, error.message)
            if plain not in seen_plain:
                seen_plain.add(plain)
                merged.append(error)
            continue
        key = (str(error.path), error.line or 0, error.message)
        if key not in pages:
            pages[key] = []
            merged.append(error)
        pages[key].append(error.page)
    result = []
    for error in merged:
        if isinstance(error, TemplateError) and error.page:
            seen = pages[(str(error.path), error.line or 0, error.message)]
            more = f" and {len(seen) - 1} more page{'s' if len(seen) > 2 else ''}"
            page = seen[0] + (more if len(seen) > 1 else "")
            error = TemplateError(error.path, error.line, error.message, page)
        result.append(error)
    return result


def _fail_on(problems: list[ContentError], strict: bool) -> None:
    """Raise BuildFailed with every problem if any is an error (or, STRICT, a warning)."""
    if any(p.severity == "error" or strict for p in problems):
        raise BuildFailed(problems)


# -- One run of the pipeline ------------------------------------------------------------------


@dataclass
class Run:
    """What the steps of one build (or check) know so far; each step fills in its part."""

    root: Path
    drafts: bool
    workers: int
    progress: Progress
    incremental: Incremental
    problems: list[ContentError] = field(default_factory=list)
    moment: datetime | None = None
    """The build's *now* as given (`--now` may have no offset) or read from the clock."""
    future: bool = False
    """Publish scheduled articles all the same (`--future`)."""
    now: datetime | None = None
    """The build's *now*, aware (an offset-less `--now` read in the site's zone)."""
    config: SiteConfig = field(init=False)
    library: Any = None
    """The site's tag templates and data (library.TagLibrary)."""
    catalogue: Catalogue = field(default_factory=Catalogue)
    """The theme's words in each language, the site's over them (catalogue.read_catalogue)."""
    sources: list[tuple[SourceFile, str]] = field(default_factory=list)
    section_files: list[SourceFile] = field(default_factory=list)
    """`_index` files describing sections (discover.Discovery.sections)."""
    sections: list[tuple[PurePosixPath, Section]] = field(default_factory=list)
    """What each `_index` file says of its section."""
    terms: list[tuple[PurePosixPath, TermNote]] = field(default_factory=list)
    filed_permalinks: set[str] = field(default_factory=set)
    """Sections whose pattern an `_index` file gave, not newsgen.yaml's `permalinks`."""
    """What each Hugo term page (`articles/tags/NAME/_index.md`) says of its tag or author."""
    theme_static: StaticFiles = field(default_factory=list)
    site_static: StaticFiles = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    bodies: Bodies = field(default_factory=HeldBodies)
    site: Site = field(init=False)
    routes: list[Route] = field(default_factory=list)
    env: Any = None
    """The Jinja environment (renderer.SiteEnvironment)."""
    bytecode: Any = None
    """Compiled templates kept between builds (renderer.CompiledTemplates), or None."""
    template_sources: Callable[[str], list[tuple[str, str]]] = field(init=False)
    """A template's source and its parents' (renderer.template_sources), read once a build."""
    rendering: bool = False
    """This run goes on to render (build), not only to look (check)."""
    compiled: set[str] = field(default_factory=set)
    broken: set[str] = field(default_factory=set)
    """Templates that do not compile: their pages are not rendered (the error is reported)."""
    template_errors: set[tuple[str, int, str]] = field(default_factory=set)
    """The problems compiling found (path, line, message): rendering does not repeat them."""
    conflicts: bool = False
    assembled: Assembled | None = None
    """What this run assembled, kept for the next build when the builder builds again."""
    patched: bool = False
    """The site and routes are the last build's with edited articles swapped in."""
    # The output steps only:
    publisher: Publisher = field(init=False)
    prints: list[str] = field(default_factory=list)
    """Each route's fingerprint, in the order of `routes`."""
    todo: list[tuple[Route, str]] = field(default_factory=list)
    """Pages and feeds to render, with their fingerprints."""
    indexed: dict[str, str] = field(default_factory=dict)
    """The article pages, by their source: what the search index is made of."""
    search_parts: list[SearchPart] = field(default_factory=list)
    """The search index's parts and their articles (site.search_shards)."""
    stale_search: bool = False
    pictures: dict[str, Any] = field(default_factory=dict)
    """Each item's lead image as processed (models.Picture), by the item's source; and the
    default image under '' (default_image)."""
    image_files: dict[str, tuple[Path, str, str]] = field(default_factory=dict)
    """Processed files to publish: output path → (the file in the cache, fingerprint, owner)."""
    stripped: dict[Path, tuple[Path, str]] = field(default_factory=dict)
    """Originals published stripped of their metadata: source → (the cache's copy, fingerprint)."""
    body_pictures: dict[str, list[tuple[Any, str, Path]]] = field(default_factory=dict)
    """The bodies' processed images by their item's source (stored, key, source file):
    published by step_images for the items assembly kept, so that a picture of a draft or of
    a story held back is not out before the story."""
    images_made: int = 0
    """Images processed anew this run (the rest were recalled from the cache)."""
    image_store: Any = None
    """The image cache (imagestore.ImageStore), opened by the first step that needs it."""
    record_moves: bool = False
    """Keep each old URL of an article that moved as an alias in its file (build only)."""
    moves: list[Any] = field(default_factory=list)
    """The aliases to write into sources once the output is published (moves.Planned)."""
    trail: dict[str, Any] = field(default_factory=dict)
    """What this build publishes, for the next one to compare URLs with (moves.trail)."""
    review: Any = None
    """The moves step's findings (moves.Review), settled once the routes are known."""


def step_read_config(run: Run) -> None:
    from newsgen.catalogue import read_catalogue
    from newsgen.library import read_library

    run.config, problems = read_config(run.root)
    run.problems.extend(problems)
    if run.moment is not None:
        from newsgen.schedule import in_zone

        run.now = in_zone(run.moment, run.config.tz)
    written = run.config.default_image.strip()
    if written.startswith("/") and run.config.base_path != "/":
        # Written from the host's root, as a lead image may be: placed under base_url's
        # path the same way (site._lead_images), where the deployed site serves it.
        from newsgen.bodies.weburl import path_matcher, under_base

        outside = path_matcher(run.config.check_external_paths)
        placed = under_base(written, run.config.base_path, outside)
        run.config = replace(run.config, default_image=placed)
    run.library, problems = read_library(run.root)
    run.problems.extend(problems)
    run.catalogue, problems = read_catalogue(run.root)
    run.problems.extend(problems)


@dataclass(frozen=True, slots=True)
class Discovered:
    """What step_discover finds (kept by a builder that builds again)."""

    sources: tuple[tuple[SourceFile, str], ...]
    sections: tuple[SourceFile, ...]
    theme_static: StaticFiles
    site_static: StaticFiles
    problems: tuple[ContentError, ...]


def step_discover(run: Run) -> None:
    codes = [lang.code for lang in run.config.languages]
    key = f"{run.config.language}\x1f{codes}"
    found = run.incremental.discovered(key)
    if found is None:
        found = _discover(run.root, run.config.language, codes)
        run.incremental.keep_discovered(key, found, (src for src, _ in found.sources))
    run.sources.extend(found.sources)
    run.section_files.extend(found.sections)
    run.theme_static, run.site_static = found.theme_static, found.site_static
    if _theme_copy(run.site_static, run.theme_static):
        # Its bytes decide, which a kept discovery (serve) does not look at again.
        run.site_static = []  # the demo site's static/, copied from the theme's (a wheel's)
    run.problems.extend(found.problems)
    run.problems.extend(_old_overrides(run.config, run.theme_static, run.site_static))


def static_outputs(
    config: SiteConfig, theme_static: StaticFiles, site_static: StaticFiles
) -> list[tuple[str, Path, str]]:
    """(output path, source, owner) of every static file: the site's static/ under
    `static_url`, the theme's own files under `theme_prefix`, a site's file at the same
    output path in place of the theme's."""
    ours = {
        config.static_prefix + inside.as_posix(): (source, inside.as_posix())
        for source, inside in site_static
    }
    found = [
        (config.theme_prefix + inside.as_posix(), source, f"newsgen theme: static/{inside}")
        for source, inside in theme_static
        if config.theme_prefix + inside.as_posix() not in ours
    ]
    found += [(rel, source, f"{STATIC_DIR}/{inside}") for rel, (source, inside) in ours.items()]
    return found


def _old_overrides(
    config: SiteConfig, theme_static: StaticFiles, site_static: StaticFiles
) -> list[ContentError]:
    """A site's file that replaced a theme file in the old layout (static/style.css), which
    now sits beside it at the root: named, with the place that replaces the theme's."""
    if config.static_prefix:
        return []
    theme = {inside.as_posix() for _, inside in theme_static}
    return [
        ContentWarning(
            PurePosixPath(STATIC_DIR, inside),
            None,
            f"is published at /{inside} and no longer replaces the theme's {inside}, which is at"
            f" /{config.theme_prefix}{inside} now: move it to static/{config.theme_prefix}{inside}"
            " to replace it (or set static_url: /static/ to keep the old layout)",
        )
        for inside in sorted(inside.as_posix() for _, inside in site_static)
        if inside in theme
    ]


def _discover(root: Path, language: str, codes: list[str]) -> Discovered:
    sources: list[tuple[SourceFile, str]] = []
    sections: list[SourceFile] = []
    problems: list[ContentError] = []
    for folder, kind in ((ARTICLES_DIR, "article"), (PAGES_DIR, "page")):
        found = discover(root, folder, language, codes)
        problems.extend(found.problems)
        sources.extend((src, kind) for src in found.sources)
        sections.extend(found.sections)
    theme_dir = builtin_theme_dir()
    theme_static, _ = static_files(theme_dir / STATIC_DIR, theme_dir, "theme")
    site_static, found_problems = static_files(root / STATIC_DIR, root, STATIC_DIR)
    if (root / STATIC_DIR).resolve() == (theme_dir / STATIC_DIR).resolve():
        site_static = []  # the demo site is the theme's checkout: its static/ is the theme's
    problems.extend(found_problems)
    return Discovered(tuple(sources), tuple(sections), theme_static, site_static, tuple(problems))


def _theme_copy(site_static: StaticFiles, theme_static: StaticFiles) -> bool:
    """SITE_STATIC is the theme's files, each with its bytes: the demo site (the theme's
    checkout) built by a newsgen installed from a wheel, whose theme is a copy inside the
    package. Its static/ replaces nothing and is not published a second time at the root."""
    theme = {inside: source for source, inside in theme_static}
    if not site_static or {inside for _, inside in site_static} != theme.keys():
        return False
    try:
        return all(
            source.read_bytes() == theme[inside].read_bytes() for source, inside in site_static
        )
    except OSError:
        return False


def step_load(run: Run) -> None:
    """Every article and page: recalled where the cache is still right, parsed otherwise."""
    from newsgen.fingerprints import code_fingerprint, fingerprint
    from newsgen.loader import read_source

    incremental = run.incremental
    _load_sections(run)  # their permalinks shape their articles' URLs
    parse_fp = fingerprint(code_fingerprint(), run.config.parse_settings(), run.library.digest)
    found = incremental.recall(run.sources, parse_fp, read_source, run.problems)
    parse = partial(parse_source, run.config, run.library)
    results = _in_order(parse, found.todo, run.workers)
    for done, (job, parsed) in enumerate(zip(found.todo, results, strict=True), 1):
        run.progress("Reading", done, len(found.todo))
        if isinstance(parsed, ContentError):
            run.problems.append(parsed)
        else:
            incremental.parsed(found, job, parsed)
    _draw_body_images(run, found, parse_fp)
    for known in incremental.settle(found):
        run.problems.extend(known.problems)
        if isinstance(known.item, Article):
            run.articles.append(known.item)
        elif isinstance(known.item, Page):
            run.pages.append(known.item)
    run.bodies = incremental.bodies()
    run.sources = []  # 10,000 paths are megabytes: let them go before the site is assembled


def step_moves(run: Run) -> None:
    """Articles whose URL changed since the last good build: each old URL nothing serves now
    is a warning, or (build --record-moves) an alias added to the article in this build and
    written into its file once the output is published (a failed build writes no source)."""
    from newsgen import moves

    # Drafts never count, even when previewed (--drafts): their URLs were never public. A
    # story pulled back as a draft keeps the URL it was published at, for when it returns.
    # A story this build's *now* holds back (scheduled, taken down) is out of view the same
    # way: a scheduled one's URL was never public, a taken-down one keeps its last.
    items: list[Article | Page] = [*run.articles, *run.pages]
    out_of_view = {a.source for a in _held_back_now(run)}
    published = [i for i in items if not i.draft and i.source not in out_of_view]
    held = [i.source for i in items if i.draft or i.source in out_of_view]
    found = moves.review(
        run.incremental.trail(),
        published,
        run.config,
        run.root,
        record=run.record_moves,
        held=held,
    )
    run.problems.extend(found.warnings)
    run.moves, run.trail, run.review = found.planned, found.trail, found
    if found.planned:  # the aliases redirect in this build already
        run.articles = moves.with_aliases(run.articles, found.planned)
        run.pages = moves.with_aliases(run.pages, found.planned)


def _held_back_now(run: Run) -> list[Article]:
    """The articles (not drafts) this build does not publish at its *now*."""
    if run.now is None:
        return []
    from newsgen.schedule import EXPIRED, state

    return [
        a
        for a in run.articles
        if not a.draft and (found := state(a, run.now)) and (found == EXPIRED or not run.future)
    ]


def step_moves_served(run: Run) -> None:
    """Old URLs that a page of the site's own (an archive, a tag's page) serves now are not
    lost: only the routes know those pages, so the moves step's findings are settled here."""
    if run.review is None:
        return
    from newsgen import moves

    run.problems, run.site = moves.served_now(
        run.review, run.routes, run.problems, run.site, run.config
    )
    run.moves = run.review.planned


def _foreign_suffix(name: str, config: SiteConfig) -> str:
    """The language code of an `_index.fr.md` whose language the site does not have, or ''
    (the suffix of `_index` is a language's: there is no other name it could be part of)."""
    from newsgen.discover import ISO_639_1
    from newsgen.urls import language_suffix

    parts = name.split(".")
    if len(parts) != 3:
        return ""
    code = parts[1]
    codes = [lang.code for lang in config.languages] or [config.language]
    if language_suffix(name, codes) or code.split("-")[0].split("_")[0].lower() not in ISO_639_1:
        return ""
    return code


def _load_sections(run: Run) -> None:
    """What the `_index` files say of their sections: a few small files, read every build
    (the stamp sees them change; no cache needed)."""
    from newsgen.loader import (
        is_term_file,
        parse_section_file,
        parse_term_file,
        read_source,
        section_permalinks,
    )

    for src in run.section_files:
        foreign = _foreign_suffix(src.rel.name, run.config)
        if foreign:
            message = (
                f"describes its section in {foreign}, which is not one of the site's languages;"
                f" not used (add {foreign} to 'languages' in newsgen.yaml to use it)"
            )
            run.problems.append(ContentWarning(src.rel, None, message))
            continue
        data = read_source(src)
        if isinstance(data, ContentError):
            run.problems.append(data)
            continue
        if is_term_file(src, run.config):
            note, problems = parse_term_file(data, src, run.config)
            run.problems.extend(problems)
            if note is not None:
                run.terms.append((src.rel, note))
            continue
        section, problems = parse_section_file(data, src, run.config, run.library)
        run.problems.extend(problems)
        if section is not None:
            run.sections.append((src.rel, section))
    patterns, problems = section_permalinks(run.config, run.sections)
    run.problems.extend(problems)
    run.filed_permalinks = set(patterns) - set(run.config.permalinks)
    if patterns != run.config.permalinks:
        run.config = replace(run.config, permalinks=FrozenMap(patterns))


def parse_source(config: SiteConfig, library: Any, job: ParseJob) -> Parsed | ContentError:
    """Read (unless already read) and parse one source; in a worker when there are many."""
    return parse_drawn(config, library, (job, {}, ""))


def parse_drawn(
    config: SiteConfig, library: Any, job: tuple[ParseJob, dict[str, Any], str]
) -> Parsed | ContentError:
    """parse_source, the body's own images drawn with the processed images given (by src)
    and their digest."""
    from newsgen.loader import parse_file, read_source

    source, images, images_key = job
    data = read_source(source.src) if source.data is None else source.data
    if isinstance(data, ContentError):
        return data
    loaded = parse_file(data, source.src, config, source.kind, library, images, images_key)
    return stash(source, data, loaded)


def _draw_body_images(run: Run, found: Any, parse_fp: str) -> None:
    """Bodies' own images: each local one processed (or recalled), and each body whose
    images changed since it was drawn (`images_key`) parsed again with their sizes and
    versions; the result is saved as the source's record, so an unchanged body is not
    drawn again. An unreadable image is a warning at its line; a missing one is an error at
    its line, or a warning with `images.missing: warning` (archives holding dead images)."""
    drawn = [
        (rel, known.item)
        for rel, known in sorted(found.known.items())
        if known.item is not None and known.item.body_images
    ]
    if not drawn:
        return
    from newsgen.bodies.weburl import path_matcher
    from newsgen.fingerprints import fingerprint
    from newsgen.images import UNPROCESSED_SUFFIXES
    from newsgen.pictures import Stored, picture, source_of

    config = run.config
    outside = path_matcher(config.check_external_paths)
    store = _image_store(run)
    items = [known.item for known in found.known.values() if known.item is not None]
    files = _published_sources(run, items)
    uses: list[tuple[str, Article | Page, list[tuple[str, str, Path]]]] = []
    wanted: list[tuple[str, Path, str]] = []
    for rel, item in drawn:
        used: list[tuple[str, str, Path]] = []
        for src in item.body_images:
            located = source_of(src, item.url, config.base_url, files)
            if located is None:
                continue
            out, published_as = located
            if published_as is None and outside(config.base_path + out):
                continue  # served by the host beside the archive (check.external_paths)
            line = _text_line(run.root, item.source, src)
            if line is None and src.startswith(config.base_path):
                # Written from the host's root, put under base_url's path by the body's
                # making: the writer's text is the path without it.
                line = _text_line(run.root, item.source, "/" + src[len(config.base_path) :])
            if published_as is None:
                message = _missing_image(config, files, "image", src, out)
                if config.missing_images == "warning":
                    message += "; it is drawn as written"
                    run.problems.append(ContentWarning(item.source, line, message))
                else:
                    message += (
                        "; an archive whose bodies keep images long gone can set"
                        " images.missing: warning in newsgen.yaml to publish them as written"
                    )
                    run.problems.append(ContentError(item.source, line, message))
                continue
            if out.lower().endswith(UNPROCESSED_SUFFIXES):
                continue
            try:
                key = store.key(published_as[0], config.images, out.rsplit("/", 1)[-1])
            except OSError as e:
                message = f"image {src} cannot be read ({e.strerror})"
                run.problems.append(ContentError(item.source, line, message))
                continue
            used.append((src, key, published_as[0]))
            wanted.append((key, published_as[0], out.rsplit("/", 1)[-1]))
        uses.append((rel, item, used))
    results = _processed(run, store, wanted)
    jobs: list[tuple[ParseJob, dict[str, Any], str]] = []
    sources = {str(src.rel): (src, kind) for src, kind in run.sources}
    for rel, item, used in uses:
        table: dict[str, Any] = {}
        drawn_for = run.body_pictures.setdefault(str(item.source), [])
        for src, key, path in used:
            stored = results[key]
            if not isinstance(stored, Stored) or stored.problem:
                problem = stored.problem if isinstance(stored, Stored) else stored
                message = f"image {src} {problem}; it is shown as it is, at its full size"
                line = _text_line(run.root, item.source, src)
                run.problems.append(ContentWarning(item.source, line, message))
                if isinstance(stored, Stored):  # its original, without its metadata
                    drawn_for.append((stored, key, path))
                continue
            shown = picture(stored, key, src, config.images.feed_width)
            table[src] = _body_image(shown, config.base_path)
            drawn_for.append((stored, key, path))
        images_key = fingerprint(sorted((src, key) for src, key, _ in used)) if table else ""
        if images_key != item.images_key and rel in sources:
            src_file, kind = sources[rel]
            stat = found.stats.get(os.fspath(src_file.path))
            known_stat = found.known[rel].cached.stat
            job = ParseJob(src_file, None, kind, parse_fp, known_stat)
            if stat is not None:
                from newsgen.cache import stat_key

                job = ParseJob(src_file, None, kind, parse_fp, stat_key(stat))
            jobs.append((job, table, images_key))
    parse = partial(parse_drawn, run.config, run.library)
    for (job, _, _), parsed in zip(jobs, _in_order(parse, jobs, run.workers), strict=True):
        if isinstance(parsed, ContentError):
            run.problems.append(parsed)
        else:
            run.incremental.parsed(found, job, parsed)


def _body_image(shown: Any, base_path: str) -> Any:
    """What a processed image adds to a body's <img> (bodies.BodyImage), its versions'
    URLs from the site's root."""
    from newsgen.bodies import BodyImage
    from newsgen.urls import href

    def srcset(files: Sequence[Any]) -> str:
        return ", ".join(f"{href(base_path, f.url)} {f.width}w" for f in files)

    return BodyImage(shown.src.width, shown.src.height, srcset(shown.fallback), srcset(shown.webp))


def _text_line(root: Path, source: PurePosixPath, needle: str) -> int | None:
    """The first line of SOURCE that holds NEEDLE, looked up only to name a problem."""
    try:
        text = (root / source).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return next((n for n, line in enumerate(text.splitlines(), 1) if needle in line), None)


def step_assemble(run: Run) -> None:
    """The site: drafts dropped, the archive ordered, tags indexed, links between articles
    resolved. Even when some articles failed, the rest go on, so template errors show too.

    A builder that builds again keeps the site it assembled, and when only articles' bodies
    changed since, swaps the edited articles into it (and its routes) instead."""
    from newsgen.fingerprints import fingerprint
    from newsgen.site import assemble

    sections = [
        *((PurePosixPath(CONFIG_NAME), section) for section in run.config.sections),
        *run.sections,
    ]
    incremental = run.incremental
    static = {
        rel: PurePosixPath(owner)
        for rel, _, owner in static_outputs(run.config, [], run.site_static)
    }
    inputs = ""
    if incremental.keep:
        digests = (run.library.digest, run.catalogue.digest)
        timing = _timing(run)
        inputs = fingerprint(
            run.config, sections, run.terms, run.drafts, sorted(static), *digests, timing
        )
        found = incremental.assembled(inputs, run.articles, run.pages)
        # An article shown held back (--drafts) is marked by assembling: never swapped in.
        patchable = not (run.drafts and timing[1])
        if found is not None and patchable and _patch(run, *found):
            _unused_permalinks(run)
            _unused_front_sections(run)
            return
    run.site, problems = assemble(
        run.config,
        run.articles,
        run.pages,
        drafts=run.drafts,
        bodies=run.bodies,
        sections=sections,
        terms=run.terms,
        static=static,
        now=run.now,
        future=run.future,
    )
    run.problems.extend(problems)
    if incremental.keep:
        run.assembled = Assembled(
            inputs, list(run.articles), list(run.pages), run.site, [], [], list(problems)
        )
    _unused_permalinks(run)
    _unused_front_sections(run)


def _timing(run: Run) -> tuple[Any, ...]:
    """What the assembled site takes from the build's *now*: the articles it holds back, the
    corrections not made yet, the day the front page counts as today, and the `updated`
    dates still to come, which assembling warns of (a kept site is used again only while
    they are the same)."""
    if run.now is None:
        return (None, [], [], run.future, [])
    from newsgen.schedule import corrections_waiting, held_back, start_of_day

    now = run.now
    held = [(str(h.source), h.state) for h in held_back(run.articles, now)]
    # Corrections dated after now wait for it (site._on_time).
    waiting = [(str(h.source), h.when) for h in corrections_waiting(run.articles, now, drafts=True)]
    updated = [str(a.source) for a in run.articles if a.updated is not None and a.updated > now]
    return (start_of_day(now, run.config.tz), held, waiting, run.future, updated)


def _unused_front_sections(run: Run) -> None:
    """A section named in newsgen.yaml's front.sections that no article is in has no block
    on the front page: a typo, or a section named otherwise."""
    used = {a.section.key for a in run.articles if a.section is not None}
    for key in [key for key in run.config.front_sections if key not in used]:
        known = ", ".join(sorted(used)) or "none"
        message = (
            f"'front.sections' names the section {key}, which no article is in; it has no block"
            f" on the front page (the sections, by URL name: {known})"
        )
        run.problems.append(ContentWarning(PurePosixPath(CONFIG_NAME), None, message))


def _unused_permalinks(run: Run) -> None:
    """A pattern in newsgen.yaml's permalinks for a section no article is in is a typo, or a
    section named otherwise (its URL name: 'release-notes' for 'Release Notes')."""
    used = {a.section.key for a in run.articles if a.section is not None}
    for key in sorted(set(run.config.permalinks) - used - run.filed_permalinks):
        known = ", ".join(sorted(used)) or "none"
        message = (
            f"'permalinks' gives a pattern to the section {key}, which no article is in; not"
            f" used (the sections, by URL name: {known})"
        )
        run.problems.append(ContentWarning(PurePosixPath(CONFIG_NAME), None, message))


def _patch(run: Run, kept: Assembled, edited: list[tuple[Article, Article]]) -> bool:
    """The kept site and routes with the EDITED articles swapped in (step_assemble); False
    when they hold a value the swap does not know (the site is assembled anew)."""
    from newsgen.edits import Placement, Unswappable, patch

    try:
        placement = kept.placement or Placement(kept.routes)
        patched = patch(kept.site, kept.routes, kept.parts, edited, placement)
    except Unswappable:
        return False
    prints = None
    if kept.prints is not None:
        prints = list(kept.prints)
        for position in patched.touched:
            prints[position] = None
    run.site, run.routes, run.search_parts = patched.site, patched.routes, patched.parts
    run.problems.extend(kept.problems)  # what assembling found (step_routes adds the rest)
    run.patched = True
    run.assembled = Assembled(
        kept.inputs,
        list(run.articles),
        list(run.pages),
        run.site,
        run.routes,
        run.search_parts,
        kept.problems,
        prints,
        kept.templates,
        placement,
        collisions=kept.collisions,
        paths=kept.paths,
        sitemap=kept.sitemap,
    )
    run.incremental.keep_assembled(run.assembled)
    return True


def step_routes(run: Run) -> None:
    from newsgen.site import routes, search_shards, searchable

    if run.patched:
        run.problems.extend(run.assembled.collisions if run.assembled is not None else ())
        return
    # The search index's parts are listed on the search page and indexed by step_search:
    # found once (a look at every article's local date).
    run.search_parts = search_shards(run.site) if searchable(run.site) else []
    run.routes, collisions = routes(run.site, run.search_parts, run.catalogue)
    run.problems.extend(collisions)
    if run.assembled is not None:
        run.assembled.routes, run.assembled.parts = run.routes, run.search_parts
        run.assembled.collisions = list(collisions)
        run.incremental.keep_assembled(run.assembled)


def step_images(run: Run) -> None:
    """Every local lead image (and the default image) processed with Pillow, or recalled
    from the cache when its bytes and the settings are the same. A missing image is an error
    at its line; one that cannot be read is a warning, and is shown as it is."""
    config = run.config
    settings = config.images
    items: list[Article | Page] = [*run.site.articles, *run.site.pages]
    if run.body_pictures:
        store = _image_store(run)
        for item in items:  # the items published: not a draft's, nor a held-back story's
            for stored, key, source in run.body_pictures.get(str(item.source), ()):
                _publish_processed(run, store, stored, key, source, str(item.source))
    # (owner path, its page URL, the URL written, the key the picture goes under)
    uses = [(item.source, item.url, item.image, str(item.source)) for item in items if item.image]
    if config.default_image:
        uses.append((PurePosixPath(CONFIG_NAME), "", config.default_image, ""))
    if not uses and run.image_store is None:
        _cut_metadata(run, items)
        return  # Pillow is not even imported
    from newsgen.bodies.weburl import path_matcher
    from newsgen.images import UNPROCESSED_SUFFIXES
    from newsgen.pictures import Stored, picture, source_of

    store = _image_store(run)
    files = _published_sources(run, items)
    outside = path_matcher(config.check_external_paths)
    found: list[tuple[PurePosixPath, str, str, str, Path, str]] = []
    wanted: list[tuple[str, Path, str]] = []
    for owner, page_url, written, name in uses:
        located = source_of(written, page_url, config.base_url, files)
        if located is None:
            continue  # on another host: shown as it is
        rel, published_as = located
        if published_as is None and outside(config.base_path + rel):
            continue  # served by the host beside the archive (check.external_paths)
        what = "default image" if name == "" else "lead image"
        if published_as is None:
            message = _missing_image(config, files, what, written, rel)
            line = _image_line(run.root, owner)
            if name and config.missing_images == "warning":
                message += "; it is shown as written"
                run.problems.append(ContentWarning(owner, line, message))
            elif name and message.endswith(_PUT_IT):
                # Not written for an old layout or beside the article: lost, as archives'
                # pictures are.
                message += (
                    "; an archive whose pictures are long gone can set images.missing:"
                    " warning in newsgen.yaml to publish them as written"
                )
                run.problems.append(ContentError(owner, line, message))
            else:
                run.problems.append(ContentError(owner, line, message))
            continue
        if rel.lower().endswith(UNPROCESSED_SUFFIXES):
            continue
        try:
            key = store.key(published_as[0], settings, rel.rsplit("/", 1)[-1])
        except OSError as e:
            message = f"{what} {written} cannot be read ({e.strerror})"
            run.problems.append(ContentError(owner, _image_line(run.root, owner), message))
            continue
        found.append((owner, written, name, key, published_as[0], rel))
        wanted.append((key, published_as[0], rel.rsplit("/", 1)[-1]))
    results = _processed(run, store, wanted)
    store.close()
    for owner, written, name, key, source, rel in found:
        stored = results[key]
        if not isinstance(stored, Stored) or stored.problem:
            what = "default image" if name == "" else "lead image"
            problem = stored.problem if isinstance(stored, Stored) else stored
            message = f"{what} {written} {problem}; it is shown as it is, at its full size"
            run.problems.append(ContentWarning(owner, _image_line(run.root, owner), message))
            if isinstance(stored, Stored):  # its original, without its metadata
                _publish_processed(run, store, stored, key, source, str(owner))
            continue
        run.pictures[name] = picture(stored, key, rel, settings.feed_width)
        _publish_processed(run, store, stored, key, source, str(owner))
    _cut_metadata(run, items)


def _cut_metadata(run: Run, items: Sequence[Article | Page]) -> None:
    """The images published as they are (a file of static/ or of a published bundle that
    no page shows as a picture) without their camera and GPS metadata, cut out once and
    kept in the image cache: a photo's location could expose a source, used or not."""
    from newsgen.images import STRIPPED_SUFFIXES

    if run.config.images.keep_metadata:
        return
    theme = {source for source, _ in run.theme_static}
    rest = sorted(
        {
            source
            for out, (source, _) in _published_sources(run, items).items()
            if out.lower().endswith(STRIPPED_SUFFIXES)
            and source not in run.stripped
            and source not in theme
        }
    )
    if not rest:
        return
    from newsgen.imagestore import AS_IT_IS, ORIGINAL
    from newsgen.pictures import Stored

    store = _image_store(run)
    wanted: list[tuple[str, Path, str]] = []
    for source in rest:
        name = AS_IT_IS + source.name
        with contextlib.suppress(OSError):  # publishing it says it cannot be read
            wanted.append((store.key(source, run.config.images, name), source, name))
    results = _processed(run, store, wanted)
    store.close()
    for key, source, _ in wanted:
        stored = results[key]
        if isinstance(stored, Stored) and any(role == "src" for role, *_ in stored.files):
            run.stripped[source] = (store.file(key, ORIGINAL), f"stripped {key}")


_PUT_IT = " (put it in the article's own folder, beside index.md, or in static/)"


def _missing_image(
    config: SiteConfig, files: Mapping[str, Any], what: str, written: str, rel: str
) -> str:
    """Why image WRITTEN (published at REL, where nothing is) is missing, and where to put it:
    one written without a leading slash is looked for next to its page and at the root
    (site._lead_images); one written where an earlier newsgen published static/ is told
    where that is now."""
    from newsgen.urls import moved_static

    if what == "lead image" and not written.startswith("/") and "://" not in written:
        root = unquote(urlsplit(urljoin(config.base_path, written)).path)
        at_root = (
            f"at the site's root ({root})"
            if config.static_prefix
            else f"in static/ ({STATIC_DIR}/{unquote(urlsplit(written).path)})"
        )
        return (
            f"lead image {written} is missing: neither next to it ({config.base_path}{rel})"
            f" nor {at_root}; put the picture in one of them"
        )
    moved = moved_static(rel, files, config.static_prefix, config.static_url, config.base_path)
    if moved:
        return f"{what} {written} is missing (/{rel} is not built){moved}"
    return f"{what} {written} is missing: no file of the site is published at /{rel}" + _PUT_IT


def _image_store(run: Run) -> Any:
    """The run's image cache (imagestore.ImageStore), opened once."""
    from newsgen.imagestore import ImageStore

    if run.image_store is None:
        run.image_store = ImageStore(run.root)
    return run.image_store


def _processed(run: Run, store: Any, wanted: list[tuple[str, Path, str]]) -> dict[str, Any]:
    """Each image WANTED (its cache key, source and file name) as the cache holds it, the
    ones it does not processed now in the workers: key → pictures.Stored, or a message."""
    from newsgen.imagestore import make

    results: dict[str, Any] = {}
    jobs: dict[str, tuple[str, Path, str]] = {}
    for key, source, name in wanted:
        if key in results or key in jobs:
            continue
        stored = store.recall(key)
        if stored is not None:
            results[key] = stored
        else:
            jobs[key] = (key, source, name)
    made = _in_order(
        partial(make, store.folder, run.config.images), list(jobs.values()), run.workers, heavy=True
    )
    results.update(zip(jobs, made, strict=True))
    run.images_made += len(jobs)
    return results


def _publish_processed(
    run: Run, store: Any, stored: Any, key: str, source: Path, owner: str
) -> None:
    """Plan the files processing made for step_files: its versions under _img/, and its
    original stripped of its metadata at its own place."""
    from newsgen.imagestore import ORIGINAL
    from newsgen.pictures import published

    for out, file_name in published(stored, key):
        run.image_files.setdefault(out, (store.file(key, file_name), key, owner))
    if any(role == "src" for role, *_ in stored.files):
        run.stripped[source] = (store.file(key, ORIGINAL), f"stripped {key}")


def _published_sources(run: Run, items: Sequence[Article | Page]) -> dict[str, tuple[Path, str]]:
    """Every file the site publishes as it is (bundle files, static/), by output path:
    the files an image URL may point to."""
    files: dict[str, tuple[Path, str]] = {}
    for out, source, owner in static_outputs(run.config, run.theme_static, run.site_static):
        files[out] = (source, owner)
    for rel, source, owner in _item_files(items, run.root):
        files[rel.as_posix()] = (source, owner)
    return files


_IMAGE_KEY = re.compile(r"""^\s*["']?(image|cover|featured_image|images)["']?\s*[:=]""")


def _image_line(root: Path, source: PurePosixPath) -> int | None:
    """The line of SOURCE's lead image key, looked up only when there is a problem to name."""
    try:
        text = (root / source).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if source == PurePosixPath(CONFIG_NAME):
            if line.startswith("default_image"):
                return number
        elif _IMAGE_KEY.match(line):
            return number
    return None


def step_templates(run: Run) -> None:
    """The Jinja environment. `check` compiles every template a page uses here; `build`
    compiles those of the pages it renders (render), which are all of those whose template
    changed: either way a syntax error is reported once, at its file, in the same words."""
    from newsgen.catalogue import unknown_keys
    from newsgen.renderer import make_environment, template_sources, words_asked
    from newsgen.site import has_corrections, searchable

    site = run.site
    sections = _nav_sections(site)
    run.env = make_environment(
        run.root,
        run.config,
        site.menu,
        searchable(site),
        run.bodies,
        sections,
        run.catalogue,
        run.bytecode,
        run.pictures,
        has_corrections(site),
        bool(site.tags),
    )
    run.template_sources = functools.cache(partial(template_sources, run.env))
    run.problems.extend(_old_static_calls(run))
    if run.catalogue.places:
        run.problems.extend(unknown_keys(run.catalogue, words_asked(run.env)))
    if not run.rendering:
        _compile(run, {route.template for route in run.routes if not route.feed})


def _old_static_calls(run: Run) -> list[ContentError]:
    """A site template's url('static/style.css'), written when static/ was published under
    /static/: a link to nothing now, named with what to write instead."""
    from newsgen.renderer import static_calls

    if run.config.static_prefix:
        return []
    published = {out for out, _, _ in static_outputs(run.config, [], run.site_static)}
    theme = {inside.as_posix() for _, inside in run.theme_static}
    problems: list[ContentError] = []
    for template, line, call, name in static_calls(run.root):
        if f"{STATIC_DIR}/{name}" in published:
            continue  # a file of static/static/: there it is
        if call == "abs_url":
            instead = (
                f"abs_url('{run.config.theme_prefix}{name}')"
                if name in theme
                else f"abs_url('{name}')"
            )
        else:
            instead = f"theme_url('{name}')" if name in theme else f"url('{name}')"
        message = (
            f"{call}('static/{name}') links /static/{name}, which is not built: static/ is"
            f" published at the site's root now, so write {instead} (or set static_url:"
            " /static/ to keep the old layout)"
        )
        problems.append(ContentWarning(template, line, message))
    return problems


def _nav_sections(site: Site) -> tuple[Section, ...]:
    """The sections every page's navigation shows (nav_sections of them, in nav order)."""
    return tuple(part.section for part in site.sections[: site.config.nav_sections])


def _compile(run: Run, names: set[str]) -> None:
    """Compile templates NAMES (once a run each; a compile costs about 10 ms a template)."""
    from newsgen.renderer import compile_templates

    todo = names - run.compiled
    run.compiled |= todo
    broken, errors = compile_templates(run.env, todo, run.template_sources)
    run.broken |= broken
    run.template_errors |= {e.sort_key() for e in errors}
    run.problems.extend(errors)


def step_output_paths(run: Run) -> None:
    """Output paths that cannot all exist (a file where a folder must be, a name too long),
    every one named now, before the disk refuses the first (or, when the site was patched
    and the static files are the same, as the last build found them)."""
    statics = (run.theme_static, run.site_static)
    kept = run.assembled.paths if run.patched and run.assembled is not None else None
    if kept is not None and kept[0] == statics:
        found = list(kept[1])
    else:
        found = _conflicts(run.site, run.routes, run.theme_static, run.site_static)
        found += _in_the_index(run)
    if run.assembled is not None:
        run.assembled.paths = (statics, list(found))
    run.problems.extend(found)
    run.conflicts = bool(found)


def _in_the_index(run: Run) -> list[ContentError]:
    """Files whose place is the search index's folder, which the index step empties and fills
    anew: each would vanish from the site without a word."""
    from newsgen.search import INDEX_DIR
    from newsgen.site import searchable

    if not searchable(run.site):
        return []
    inside = INDEX_DIR + "/"
    planned = [(route.path, route.owner) for route in run.routes]
    planned += [(rel.as_posix(), owner) for rel, _, owner in _bundle_files(run.site, Path())]
    planned += [(rel, owner) for rel, _, owner in static_outputs(run.config, [], run.site_static)]
    message = (
        "its output /{path} is inside /{index}/, where the search index goes; give it another"
        " URL, or switch search off (search: false)"
    )
    return [
        ContentError(PurePosixPath(owner), None, message.format(path=path, index=INDEX_DIR))
        for path, owner in sorted(set(planned))
        if path.startswith(inside)
    ]


def step_pages(run: Run) -> None:
    """Which HTML pages must be made again: those whose fingerprint changed."""
    from newsgen.site import has_corrections, searchable

    site = run.site
    pictures = sorted(run.pictures.items())
    everything = (
        site.menu,
        searchable(site),
        has_corrections(site),
        bool(site.tags),
        _nav_sections(site),
        run.catalogue.digest,
        pictures,
    )
    known = run.incremental.fingerprints([*site.articles, *site.pages])
    route_fp = route_fingerprints(run.template_sources, run.config, everything, known)
    run.prints = run.incremental.route_prints(run.routes, route_fp)
    _plan_routes(run, [(r, fp) for r, fp in zip(run.routes, run.prints, strict=True) if not r.feed])


def step_feeds(run: Run) -> None:
    """Which feeds must be made again."""
    _plan_routes(run, [(r, fp) for r, fp in zip(run.routes, run.prints, strict=True) if r.feed])


def step_render(run: Run) -> None:
    """The pages and feeds planned, rendered and written by the workers (one pool for both:
    a feed needs the same bodies a page does); each error reported once."""
    publisher = run.publisher
    _compile(run, {route.template for route, _ in run.todo if not route.feed})
    todo = [(route, fp) for route, fp in run.todo if route.template not in run.broken]
    render = partial(render_one, run.env, run.config, run.bodies, publisher.placer, run.pictures)
    errors: list[ContentError] = []
    results = _in_order(render, [route for route, _ in todo], run.workers)
    for done, ((route, fp), result) in enumerate(zip(todo, results, strict=True), 1):
        run.progress("Rendering", done, len(todo))
        if isinstance(result, ContentError) and not isinstance(result, PublishError):
            if result.sort_key() not in run.template_errors:  # a parent that failed to compile
                errors.append(result)
        else:
            publisher.record(route.path, fp, result)
    run.problems.extend(_report_once(errors))
    run.todo = []


def step_extras(run: Run) -> None:
    """Sitemaps, robots.txt and _redirects: each made only when what it shows changed."""
    from newsgen.fingerprints import code_fingerprint, fingerprint
    from newsgen.redirects import render_redirects
    from newsgen.robots import render_robots
    from newsgen.sitemaps import (
        news_articles,
        render_news_sitemap,
        render_sitemaps,
        sitemap_names,
    )
    from newsgen.urls import NEWS_SITEMAP_URL, REDIRECTS_URL, ROBOTS_URL, SITEMAP_URL

    publisher, site = run.publisher, run.site
    config = site.config
    code = code_fingerprint()
    kept = run.assembled
    entries: list[tuple[str, Any]] | None = None
    if run.patched and kept is not None and kept.sitemap is not None:
        # Swapping bodies in changes no URL and no date: the sitemap is as it was.
        sitemap_fp, count = kept.sitemap
    else:
        entries = _sitemap_entries(run)
        # The sitemap's lines as one string: the general fingerprint would take 40 ms.
        shown = "\n".join(f"{url} {when.isoformat() if when else ''}" for url, when in entries)
        sitemap_fp = fingerprint(code, "sitemap", config.base_url, config.sitemap_limit, shown)
        count = len(entries)
    if kept is not None:
        kept.sitemap = (sitemap_fp, count)
    sitemaps: dict[str, bytes] | None = None
    for name in sitemap_names(count, config.sitemap_limit):
        if not publisher.offer(name, sitemap_fp):
            entries = entries if entries is not None else _sitemap_entries(run)
            sitemaps = sitemaps or render_sitemaps(config.base_url, entries, config.sitemap_limit)
            publisher.write(name, sitemap_fp, sitemaps[name])
    listed = [SITEMAP_URL]
    if config.news_sitemap:
        # The last two days counted back from now (without one, from the newest article).
        now = run.now or (site.articles[0].date if site.articles else None)
        recent = news_articles(site.articles, now)
        news_fp = fingerprint(code, "news", config, recent)
        if not publisher.offer(NEWS_SITEMAP_URL, news_fp):
            publisher.write(NEWS_SITEMAP_URL, news_fp, render_news_sitemap(config, recent))
        listed.append(NEWS_SITEMAP_URL)
    robots_fp = fingerprint(code, "robots", config.base_url, listed)
    if not publisher.offer(ROBOTS_URL, robots_fp):
        publisher.write(ROBOTS_URL, robots_fp, render_robots(config.base_url, listed))
    if site.redirects:
        redirects_fp = fingerprint(code, "redirects", config.base_path, site.redirects)
        if not publisher.offer(REDIRECTS_URL, redirects_fp):
            data = render_redirects(config.base_path, site.redirects)
            publisher.write(REDIRECTS_URL, redirects_fp, data)


def _sitemap_entries(run: Run) -> list[tuple[str, Any]]:
    """Every page the sitemap lists, with its article's last change (None for the rest)."""
    lastmod = {a.url: a.modified for a in run.site.articles}
    return [(r.url, lastmod.get(r.url)) for r in run.routes if r.in_sitemap]


def step_files(run: Run) -> None:
    """Bundle files next to their pages; static/ (the site's files win over the theme's)."""
    publisher = run.publisher
    copy = partial(_copy, publisher, run.stripped)
    for rel, source, owner in _bundle_files(run.site, run.root):
        copy(rel, source, owner)
    for out, source, owner in static_outputs(run.config, run.theme_static, run.site_static):
        copy(PurePosixPath(out), source, owner)
    for out, (cached, key, owner) in sorted(run.image_files.items()):
        publisher.copy(out, f"image {key}", cached, owner)


def _copy(
    publisher: Publisher,
    stripped: dict[Path, tuple[Path, str]],
    rel: PurePosixPath,
    source: Path,
    owner: str,
) -> None:
    """Publish one file as it is, or an image as processing stripped it of its metadata."""
    cached = stripped.get(source)
    if cached is not None:
        publisher.copy(rel, cached[1], cached[0], owner)
    else:
        publisher.copy(rel, file_fingerprint(source), source, owner)


def step_search(run: Run) -> None:
    """The search index (Pagefind), a part per year or month: a part is made again only when
    one of its article pages changed, and all parts are made after the pages are written.

    Pagefind writes a whole bundle anew each time (and not byte for byte the same), so a
    part whose articles did not change is kept as it is. `serve` keeps the index it has
    while the editor works (stale_search): a save is shown at once, not after indexing.
    """
    from newsgen import searchtool
    from newsgen.search import INDEX_DIR, index_parts, part_of
    from newsgen.site import searchable

    if not searchable(run.site) or any(p.severity == "error" for p in run.problems):
        return
    publisher, config = run.publisher, run.config
    live: dict[str, list[str]] = {}
    for rel in sorted(publisher.current):
        folder, _, name = rel.partition("/")
        if folder == INDEX_DIR and "/" in name:
            live.setdefault(part_of(name), []).append(rel)
    if run.stale_search and live:
        for rel in (rel for files in live.values() for rel in files):
            publisher.offer(rel, publisher.current[rel].fp)
        return
    sources = run.template_sources("article.html")
    todo: list[tuple[str, str, list[str]]] = []
    prints: dict[str, str] = {}
    for search_part in run.search_parts:
        part, articles = search_part.name, search_part.articles
        pages = [run.indexed[str(a.source)] for a in articles if str(a.source) in run.indexed]
        indexer = f"{searchtool.pagefind_version()} {search_part.language}"
        fp = run.incremental.search_fingerprint(config, part, sources, articles, indexer)
        prints[part] = fp
        files = live.get(part, [])
        if files and all(publisher.has(rel, fp) for rel in files):
            for rel in files:
                publisher.offer(rel, fp)
        else:
            publisher.clear(f"{INDEX_DIR}/{part}")
            todo.append((part, search_part.language, pages))
    if not todo:
        return
    unspaced = sorted(
        {
            searchtool.UNSPACED[p.language.split("-")[0].lower()]
            for p in run.search_parts
            if p.language.split("-")[0].lower() in searchtool.UNSPACED
        }
    )
    if unspaced and not searchtool.splits_unspaced():
        message = (
            f"search finds {' and '.join(unspaced)} words only where a space or a punctuation"
            " mark comes before them: install Pagefind's extended build, which splits such"
            " text into words (pip install 'newsgen[cjk]')"
        )
        run.problems.append(ContentWarning(PurePosixPath(INDEX_DIR), None, message))
    failed = index_parts(publisher.root, todo, run.workers)
    root = len(publisher.root)
    for part, _, _ in todo:
        folder = f"{INDEX_DIR}/{part}"
        if part in failed:
            # The part there was stays, whole: search still finds what it found before.
            publisher.clear(folder)
            for rel in live.get(part, []):
                publisher.offer(rel, publisher.current[rel].fp)
            shown = "is not updated" if part in live else "is not available"
            message = (
                f"the search index of {part} could not be built ({failed[part]});"
                f" search there {shown}"
            )
            run.problems.append(ContentWarning(PurePosixPath(folder), None, message))
            continue
        for where, _, names in os.walk(publisher.root + folder):
            for name in sorted(names):
                rel = os.path.join(where, name)[root:].replace(os.sep, "/")
                publisher.adopt(rel, prints[part], "the search index")


Step = tuple[str, Callable[[Run], None]]

PLAN: tuple[Step, ...] = (
    ("read config", step_read_config),
    ("discover", step_discover),
    ("load", step_load),
    ("moves", step_moves),
    ("assemble", step_assemble),
    ("routes", step_routes),
    ("moves served", step_moves_served),
    ("images", step_images),
    ("templates", step_templates),
    ("output paths", step_output_paths),
)
"""What a site is: everything `check` looks at. No page is rendered, the output untouched."""
OUTPUT: tuple[Step, ...] = (
    ("pages", step_pages),
    ("feeds", step_feeds),
    ("render", step_render),
    ("extras", step_extras),
    ("files", step_files),
    ("search", step_search),
)
"""What `build` does besides: into a standby tree, published (or thrown away) as a whole."""
WARM = PLAN[:3]
"""Enough to know every source (serve, before the editor's first save)."""


def _plan_routes(run: Run, routes: Sequence[tuple[Route, str]]) -> None:
    """Keep each route whose file is as its fingerprint says; queue the rest to render."""
    publisher = run.publisher
    for route, fp in routes:
        if route.template == "article.html":
            run.indexed[route.owner] = route.path  # what the search index is made of
        try:
            if not publisher.offer(route.path, fp, route.owner):
                run.todo.append((route, fp))
        except ContentError as e:
            run.problems.append(e)


def render_one(
    env: Any,
    config: SiteConfig,
    bodies: Bodies,
    placer: Placer,
    pictures: dict[str, Any],
    route: Route,
) -> Placed | ContentError:
    """Render one page or feed and put it into the standby tree (workers place what they
    render, so only a stat and a digest travel back)."""
    try:
        if route.feed:
            from newsgen.feeds import render_feed
            from newsgen.urls import absolute

            self_url = absolute(config.base_url, route.url)
            feed, words = route.context["feed"], env.newsgen_feed_words
            data = render_feed(feed, self_url, config, bodies, pictures, words)
        else:
            from newsgen.renderer import render_route

            data = render_route(env, route).encode("utf-8")
    except ContentError as e:
        return e
    return placer.put(route.path, data, route.owner)


# -- The builder ------------------------------------------------------------------------------


@functools.cache
def _compiled_templates() -> Any:
    """The templates this process compiled, by name and source checksum, shared by every
    builder: compiling the theme takes about 0.15 s a build, which a second build in the
    same process (serve, tests, a program building several sites) need not pay again."""
    from newsgen.renderer import CompiledTemplates

    return CompiledTemplates()


class Builder:
    """Builds one site into one output, again and again, doing only the work that changed."""

    def __init__(
        self,
        site_root: Path,
        out_dir: Path | None = None,
        *,
        drafts: bool = False,
        strict: bool = False,
        progress: Progress | None = None,
        workers: int | None = None,
        on_wait: Callable[[str], None] | None = None,
        background: bool = False,
        keep: bool = False,
        record_moves: bool = False,
        clock: Callable[[], datetime] | None = None,
        future: bool = False,
    ) -> None:
        from newsgen.schedule import wall_clock

        self.site_root = Path(site_root)
        self.clock = clock or wall_clock
        """The build's *now*, asked once a build: `--now` (an offset-less value is read in
        the site's zone), else the wall clock (schedule.wall_clock, its only reader)."""
        self.future = future
        """Publish scheduled articles all the same (`--future`, for previews)."""
        self.out_dir = Path(out_dir) if out_dir is not None else default_out_dir(self.site_root)
        self.drafts, self.strict = drafts, strict
        self.progress = progress or (lambda stage, done, total: None)
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.on_wait = on_wait
        self.background = background
        """Let a detached process refresh the standby tree after the build (one-shot builds)."""
        self.record_moves = record_moves
        """Write the old URLs of articles that moved into their files as aliases (moves)."""
        self.stale_search = False
        """Keep the search index there is instead of indexing again (serve, after its first
        build)."""
        self.incremental = Incremental(
            self.site_root, self.out_dir, drafts=drafts, keep=keep, future=future
        )
        self.bytecode: Any = _compiled_templates()
        """Compiled templates, kept for the next build in this process (serve, a program
        that builds several sites)."""
        if keep:
            # serve forks its workers while its HTTP and watcher threads run. A child that
            # imports a module another thread was importing at the fork would wait for ever
            # on the copied import lock, so everything the workers use is imported now.
            import newsgen.feeds
            import newsgen.loader
            import newsgen.renderer  # noqa: F401

    def _run(
        self,
        steps: Sequence[Step],
        problems: list[ContentError] | None = None,
        *,
        rendering: bool = False,
        moment: datetime | None = None,
    ) -> Run:
        run = Run(self.site_root, self.drafts, self.workers, self.progress, self.incremental)
        if moment is None and len(steps) > len(WARM):
            moment = self.clock()  # `check`: what is published is decided at assembly
        run.moment = moment
        run.future = self.future
        run.problems = problems if problems is not None else []
        run.rendering = rendering
        run.stale_search = self.stale_search
        run.bytecode = self.bytecode
        run.record_moves = self.record_moves and rendering
        self.incremental.open(run.problems)
        for _, step in steps:
            step(run)
        return run

    def warm(self) -> None:
        """Read what the cache knows now, so the first rebuild (a save in serve) is quick."""
        if not self.incremental.keep:
            return
        with _no_cyclic_gc():
            if not self.incremental.warm:
                self._run(WARM)
            self.incremental.place()

    def close(self) -> None:
        """Write the cache out whole (a process that builds once calls this at the end)."""
        self.incremental.close()

    def _check(self) -> None:
        root = self.site_root
        if not root.is_dir():
            raise UsageError(f"site directory {root} does not exist")
        if not (root / CONFIG_NAME).is_file() and not (root / ARTICLES_DIR).is_dir():
            raise UsageError(
                f"{root} is not a newsgen site (it has neither {CONFIG_NAME} nor {ARTICLES_DIR}/);"
                " create one with: newsgen init DIR"
            )
        problem = check_output_dir(self.out_dir, root, [root / d for d in SOURCE_DIRS])
        if problem:
            raise UsageError(problem)

    def inspect(self) -> Inspection:
        """Everything a build knows before it renders (PLAN): for `newsgen check`, which must
        be fast. No page is rendered and the output is not touched."""
        self._check()
        run = self._run(PLAN)
        static = {
            rel for rel, _, _ in static_outputs(run.config, run.theme_static, run.site_static)
        }
        static |= set(run.image_files)  # the processed pictures' versions under _img/
        articles = tuple(run.articles)
        return Inspection(
            run.config,
            articles,
            run.site,
            tuple(run.routes),
            static,
            run.problems,
            run.bodies,
        )

    def build(self) -> BuildReport:
        """Build once; on errors raise BuildFailed and leave the output as it was."""
        started = time.perf_counter()
        self._check()
        with _no_cyclic_gc():
            problems: list[ContentError] = []
            self.incremental.open(problems)
            moment = self.clock()  # once a build: every step publishes for the same now
            stamp = self.incremental.stamp()
            # Nothing changed: only reading, so no lock (a standby refresh may be holding it).
            last = self.incremental.unchanged(stamp, moment) if not problems else None
            if last is not None and self.record_moves and has_pending(self.incremental.trail()):
                last = None  # moves the last build only warned about: keep them now
            if last is not None:
                return self._as_before(last, started)
            with OutputLock(self.out_dir, self.on_wait) as lock:
                report = self._build(started, stamp, problems, moment)
                if report.written > report.unchanged:
                    self.incremental.refresh_standby(lock, self.background)
                return report

    def _as_before(self, last: dict[str, Any], started: float) -> BuildReport:
        """The last build's report, for a build that found nothing to do."""
        warnings = problems_from_record(last["warnings"])
        _fail_on(warnings, self.strict)
        config, _ = read_config(self.site_root)
        held, until = held_from_record(last)
        return BuildReport(
            held=held,
            next_change=until,
            articles=last["articles"],
            pages=last["pages"],
            tags=last["tags"],
            seconds=time.perf_counter() - started,
            out_dir=self.out_dir,
            config=config,
            warnings=tuple(warnings),
            unchanged=last["files"],
        )

    def _build(
        self, started: float, stamp: Stamp, problems: list[ContentError], moment: datetime
    ) -> BuildReport:
        run = self._run(PLAN, problems, rendering=True, moment=moment)
        if run.conflicts:
            _fail_on(run.problems, self.strict)
        publisher = Publisher(self.out_dir)
        publisher.open(*self.incremental.manifests())
        run.publisher = publisher
        try:
            for _, step in OUTPUT:
                step(run)
            _fail_on(run.problems, self.strict)
            result = publisher.commit()
        except ContentError as e:
            publisher.abort()
            if isinstance(e, OutputError):
                message = f"cannot write {e.path}: {e.message}; the output is left as it was"
                e = OutputError(shown_output(self.out_dir), None, message)
            raise BuildFailed(sorted([e, *run.problems], key=ContentError.sort_key)) from None
        except BaseException:
            publisher.abort()
            raise
        # The aliases --record-moves kept, written once the output that redirects them is
        # published: a build that fails writes no source.
        moved, unwritten = write_planned(run.root, run.moves, run.config, run.trail)
        run.problems.extend(unwritten)
        warnings = sorted(run.problems, key=ContentError.sort_key)
        site = run.site
        counts = {
            "articles": len(site.articles),
            "pages": _html_pages(run.routes),
            "tags": len(site.tags),
        }
        until = _next_change(run)
        self.incremental.record(
            stamp, result, warnings, counts, (run.now, until, site.held, run.config.timezone)
        )
        self.incremental.keep_trail(run.trail)
        return BuildReport(
            **counts,
            held=site.held,
            next_change=until,
            seconds=time.perf_counter() - started,
            out_dir=self.out_dir,
            config=run.config,
            warnings=tuple(warnings),
            written=result.written,
            unchanged=result.unchanged,
            removed=result.removed,
            images=run.images_made,
            moves=tuple(moved),
            changes=tuple(result.changes),
        )


def _next_change(run: Run) -> datetime | None:
    """When what RUN's site shows changes next: an article published or taken down, a
    correction's time, one leaving the news sitemap's window, or (when the front page lists
    times of day) the next day in the site's zone."""
    if run.now is None:
        return None
    from newsgen.schedule import next_change

    config = run.config
    return next_change(
        run.articles,
        run.now,
        config.tz,
        news=config.news_sitemap,
        day=config.front_latest > 1,
        drafts=run.drafts,
    )


class _no_cyclic_gc:
    """A build makes millions of small objects and almost no cycles: the cyclic garbage
    collector would spend a third of the time walking them for nothing."""

    def __enter__(self) -> None:
        self.collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.collecting:
            gc.enable()


def _in_order(
    func: Callable[[Job], Result], jobs: list[Job], workers: int, *, heavy: bool = False
) -> Iterator[Result]:
    """processes.run_in_order, not even imported for the usual rebuild's one or two jobs."""
    if len(jobs) < 2:
        return (func(job) for job in jobs)
    from newsgen.processes import run_in_order

    return run_in_order(func, jobs, workers, heavy=heavy)


def _html_pages(page_routes: list[Route]) -> int:
    return sum(1 for route in page_routes if not route.feed)


def _bundle_files(site: Site, site_root: Path) -> list[tuple[PurePosixPath, Path, str]]:
    """Every bundle file: (its output path, its source, its owner as messages name it)."""
    return _item_files([*site.articles, *site.pages], site_root)


def _item_files(
    items: Sequence[Article | Page], site_root: Path
) -> list[tuple[PurePosixPath, Path, str]]:
    """The bundle files of ITEMS, as _bundle_files gives them."""
    from newsgen.urls import output_path

    found: list[tuple[PurePosixPath, Path, str]] = []
    for item in items:
        if item.bundle is None:
            continue
        folder = output_path(item.url).parent
        for asset in item.assets:
            rel = folder / asset if folder != PurePosixPath(".") else asset
            found.append((rel, site_root / item.bundle / asset, str(item.bundle / asset)))
    return found


def _conflicts(
    site: Site, page_routes: list[Route], theme_static: StaticFiles, site_static: StaticFiles
) -> list[ContentError]:
    """Output paths that cannot all exist (a file where a folder must be, a name too long)."""
    from newsgen.publisher import file_and_folder
    from newsgen.urls import (
        NEWS_SITEMAP_URL,
        REDIRECTS_URL,
        ROBOTS_URL,
        SITEMAP_URL,
        output_file,
        page_file,
        path_conflicts,
    )

    planned = {route.path: route.owner for route in page_routes}
    found: list[ContentError] = []
    for rel, _, owner in _bundle_files(site, Path()):
        path = rel.as_posix()
        other = planned.setdefault(path, owner)
        if other != owner and not other.startswith("the "):
            # Two bundles' files at one path (pages beside each other in one folder, as
            # extensionless URLs put them): the publisher would refuse the second.
            message = f"writes /{path}, which {other} also writes"
            found.append(ContentError(PurePosixPath(owner), None, message))
    written = [ROBOTS_URL, SITEMAP_URL]
    written += [NEWS_SITEMAP_URL] if site.config.news_sitemap else []
    written += [REDIRECTS_URL] if site.redirects else []
    for extra in written:
        planned.setdefault(extra, "newsgen")
    for out, _, owner in static_outputs(site.config, theme_static, site_static):
        other = planned.setdefault(out, owner)
        if other != owner and owner.startswith(f"{STATIC_DIR}/"):
            # static/ is published at the root: static/index.html is the front page's place.
            who = f"newsgen's own {out}" if other == "newsgen" else other
            message = f"is published at /{out}, where {who} is; rename or move it"
            found.append(ContentError(PurePosixPath(owner), None, message))
    for extra in (ROBOTS_URL, SITEMAP_URL, NEWS_SITEMAP_URL, REDIRECTS_URL):
        planned.setdefault(extra, "newsgen")
    # An extensionless page (x.html) is served at x only when there is no file x, which hosts
    # serve first, and no folder x/, which they serve there too (or redirect to x/).
    extensionless = [
        route
        for route in page_routes
        if not route.feed and route.path == page_file(route.url) != output_file(route.url)
    ]
    folders: dict[str, str] = {}
    if extensionless:
        for path in sorted(planned):
            cut = path.find("/")
            while cut != -1:
                folders.setdefault(path[:cut], planned[path])
                cut = path.find("/", cut + 1)
    for route in extensionless:
        bare = output_file(route.url)
        if bare in planned:
            message = f"has the same URL /{bare} as {planned[bare]}"
        elif bare in folders:
            owner = planned.get(f"{bare}/index.html", folders[bare])  # the folder's own page
            message = f"has the same URL /{bare} as {owner}, at /{bare}/"
        else:
            continue
        found.append(ContentError(PurePosixPath(route.owner), None, message))
    told: set[tuple[str, str]] = set()
    for path, owner, folder_owner in path_conflicts(planned):
        if folder_owner:
            problem = file_and_folder(path, owner, folder_owner)
            # static/tags clashes with each feed under tags/: one word, not one per feed.
            if (str(problem.path), problem.message) not in told:
                told.add((str(problem.path), problem.message))
                found.append(problem)
        else:
            message = f"its output {path[:60]}… has a name longer than file systems allow"
            found.append(ContentError(PurePosixPath(owner), None, message))
    return found


def build(
    site_root: Path,
    out_dir: Path | None = None,
    *,
    drafts: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
    future: bool = False,
) -> BuildReport:
    """Build SITE into OUT (default SITE/build); on errors raise BuildFailed, OUT untouched.

    Warnings are reported in the BuildReport; STRICT makes them fail the build like errors.
    NOW (default: the clock) decides what is published; FUTURE publishes scheduled articles.
    """
    clock = None if now is None else (lambda: now)
    builder = Builder(
        site_root,
        out_dir,
        drafts=drafts,
        strict=strict,
        progress=progress,
        clock=clock,
        future=future,
    )
    try:
        return builder.build()
    finally:
        builder.close()


def stderr_progress() -> Progress | None:
    """A one-line progress display on an interactive terminal; nothing otherwise.

    A carriage-return line is all it takes, so no progress library is needed.
    """
    if not sys.stderr.isatty():
        return None
    shown = {"at": 0.0}

    def show(stage: str, done: int, total: int) -> None:
        if total < 500:
            return
        now = time.monotonic()
        if done != total and now - shown["at"] < 0.1:
            return
        shown["at"] = now
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r{stage} {done:,}/{total:,}{end}")
        sys.stderr.flush()

    return show
