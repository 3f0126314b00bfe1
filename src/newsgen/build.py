"""The pipeline: config → load → site → render and feeds → publish; nothing else knows the order."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsgen.config import CONFIG_NAME, default_out_dir, read_config
from newsgen.errors import BuildFailed, ContentError, TemplateError, UsageError
from newsgen.feeds import render_feeds, render_robots, render_sitemap
from newsgen.loader import ARTICLES_DIR, load_articles
from newsgen.models import SiteConfig
from newsgen.publisher import Publisher, check_output_dir
from newsgen.renderer import make_environment, render_route
from newsgen.site import assemble, routes
from newsgen.theme import builtin_theme_dir
from newsgen.urls import ROBOTS_URL, SITEMAP_URL

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

    def summary(self) -> str:
        return (
            f"Built {self.articles} article{'s' if self.articles != 1 else ''}, "
            f"{self.pages} page{'s' if self.pages != 1 else ''}, "
            f"{self.tags} tag{'s' if self.tags != 1 else ''} in {self.seconds:.2f} s "
            f"into {self.out_dir}"
        )


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


def build(site_root: Path, out_dir: Path | None = None, *, drafts: bool = False) -> BuildReport:
    """Build SITE into OUT (default SITE/build); on errors raise BuildFailed, OUT untouched."""
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
        out_dir, site_root, [site_root / d for d in (ARTICLES_DIR, TEMPLATES_DIR, STATIC_DIR)]
    )
    if problem:
        raise UsageError(problem)

    config, errors = read_config(site_root)
    articles, article_errors = load_articles(site_root, config)
    errors.extend(article_errors)

    # Even when some articles failed, render the rest: template errors are reported in the same run.
    site = assemble(config, articles, drafts=drafts)
    pages, collisions = routes(site)
    errors.extend(collisions)
    env = make_environment(site_root, config)
    outputs: dict[PurePosixPath, bytes] = {}
    render_errors: list[ContentError] = []
    for route in pages:
        try:
            outputs[route.path] = render_route(env, route).encode("utf-8")
        except ContentError as e:
            render_errors.append(e)
    errors.extend(_report_once(render_errors))
    if errors:
        raise BuildFailed(errors)

    for name, data in render_feeds(site).items():
        outputs[PurePosixPath(name)] = data
    lastmod = {a.url: a.updated or a.date for a in site.articles}
    outputs[PurePosixPath(SITEMAP_URL)] = render_sitemap(
        config.base_url, ((r.url, lastmod.get(r.url)) for r in pages if r.in_sitemap)
    )
    outputs[PurePosixPath(ROBOTS_URL)] = render_robots(config.base_url)

    publisher = Publisher(out_dir)
    try:
        owners = {route.path: route.owner for route in pages}
        for rel, data in outputs.items():
            publisher.write(rel, data, owners.get(rel, "newsgen"))
        static = PurePosixPath(STATIC_DIR)
        publisher.copy_tree(builtin_theme_dir() / STATIC_DIR, static, replaceable=True)
        publisher.copy_tree(site_root / STATIC_DIR, static)
        publisher.commit()
    except ContentError as e:
        publisher.abort()
        raise BuildFailed([e]) from None
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
    )
