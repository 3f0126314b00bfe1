"""The pipeline: config → load → site → render and feeds → publish; nothing else knows the order."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsgen.config import CONFIG_NAME, default_out_dir, read_config
from newsgen.discover import static_files
from newsgen.errors import BuildFailed, ContentError, TemplateError, UsageError
from newsgen.feeds import render_feeds, render_redirects, render_robots, render_sitemap
from newsgen.loader import ARTICLES_DIR, PAGES_DIR, load_all
from newsgen.models import Article, Page, Site, SiteConfig
from newsgen.publisher import Publisher, check_output_dir
from newsgen.renderer import make_environment, render_route
from newsgen.site import assemble, routes
from newsgen.theme import builtin_theme_dir
from newsgen.urls import REDIRECTS_URL, ROBOTS_URL, SITEMAP_URL, output_path

STATIC_DIR = "static"
TEMPLATES_DIR = "templates"


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

    def summary(self) -> str:
        warned = len(self.warnings)
        return (
            f"Built {_count(self.articles, 'article')}, {_count(self.pages, 'page')}, "
            f"{_count(self.tags, 'tag')} in {self.seconds:.2f} s into {self.out_dir}"
            + (f" ({_count(warned, 'warning')})" if warned else "")
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report_once(errors: list[ContentError]) -> list[ContentError]:
    """A broken template fails every page it renders: report each problem once, with a count."""
    pages: dict[tuple[str, int, str], list[str]] = {}
    merged: list[ContentError] = []
    for error in errors:
        if not isinstance(error, TemplateError) or not error.page:
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


def build(
    site_root: Path, out_dir: Path | None = None, *, drafts: bool = False, strict: bool = False
) -> BuildReport:
    """Build SITE into OUT (default SITE/build); on errors raise BuildFailed, OUT untouched.

    Warnings are reported in the BuildReport; STRICT makes them fail the build like errors.
    """
    started = time.perf_counter()
    site_root = Path(site_root)
    if not site_root.is_dir():
        raise UsageError(f"site directory {site_root} does not exist")
    if not (site_root / CONFIG_NAME).is_file() and not (site_root / ARTICLES_DIR).is_dir():
        raise UsageError(
            f"{site_root} is not a newsgen site (it has neither {CONFIG_NAME} nor {ARTICLES_DIR}/);"
            " create one with: newsgen init DIR"
        )
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(site_root)
    problem = check_output_dir(
        out_dir,
        site_root,
        [site_root / d for d in (ARTICLES_DIR, PAGES_DIR, TEMPLATES_DIR, STATIC_DIR)],
    )
    if problem:
        raise UsageError(problem)

    config, problems = read_config(site_root)
    loaded = load_all(site_root, config)
    problems.extend(loaded.problems)
    theme_static, _ = static_files(builtin_theme_dir() / STATIC_DIR, builtin_theme_dir(), "theme")
    site_static, static_problems = static_files(site_root / STATIC_DIR, site_root, STATIC_DIR)
    problems.extend(static_problems)

    # Even when some articles failed, render the rest: template errors are reported in the same run.
    site, site_problems = assemble(config, loaded.articles, loaded.pages, drafts=drafts)
    problems.extend(site_problems)
    pages, collisions = routes(site)
    problems.extend(collisions)
    env = make_environment(site_root, config, site.menu)
    outputs: dict[PurePosixPath, bytes] = {}
    render_errors: list[ContentError] = []
    for route in pages:
        try:
            outputs[route.path] = render_route(env, route).encode("utf-8")
        except ContentError as e:
            render_errors.append(e)
    problems.extend(_report_once(render_errors))
    _fail_on(problems, strict)

    for name, data in render_feeds(site).items():
        outputs[PurePosixPath(name)] = data
    lastmod = {a.url: a.updated or a.date for a in site.articles}
    outputs[PurePosixPath(SITEMAP_URL)] = render_sitemap(
        config.base_url, ((r.url, lastmod.get(r.url)) for r in pages if r.in_sitemap)
    )
    outputs[PurePosixPath(ROBOTS_URL)] = render_robots(config.base_url)
    if site.redirects:
        outputs[PurePosixPath(REDIRECTS_URL)] = render_redirects(config.base_path, site.redirects)

    publisher = Publisher(out_dir)
    try:
        owners = {route.path: route.owner for route in pages}
        for rel, data in outputs.items():
            publisher.write(rel, data, owners.get(rel, "newsgen"))
        _publish_assets(publisher, site_root, site)
        static = PurePosixPath(STATIC_DIR)
        publisher.copy_files(theme_static, static, "newsgen theme: static", replaceable=True)
        publisher.copy_files(site_static, static, STATIC_DIR)
        publisher.commit()
    except ContentError as e:
        publisher.abort()
        raise BuildFailed([e, *(p for p in problems if p.severity == "warning")]) from None
    except BuildFailed:
        publisher.abort()
        raise
    except BaseException:
        publisher.abort()
        raise
    return BuildReport(
        articles=len(site.articles),
        pages=len(pages),
        tags=len(site.tags),
        seconds=time.perf_counter() - started,
        out_dir=out_dir,
        config=config,
        warnings=tuple(sorted(problems, key=ContentError.sort_key)),
    )


def _fail_on(problems: list[ContentError], strict: bool) -> None:
    """Raise BuildFailed with every problem if any is an error (or, STRICT, a warning)."""
    if any(p.severity == "error" or strict for p in problems):
        raise BuildFailed(problems)


def _publish_assets(publisher: Publisher, site_root: Path, site: Site) -> None:
    """A page bundle's files go next to its page, so relative links such as chart.png work."""
    items: list[Article | Page] = [*site.articles, *site.pages]
    for item in items:
        if item.bundle is None:
            continue
        folder = output_path(item.url).parent
        for asset in item.assets:
            rel = folder / asset if folder != PurePosixPath(".") else asset
            publisher.copy_file(site_root / item.bundle / asset, rel, str(item.bundle / asset))
