"""What each template tag becomes: newsgen's own renderings, or a template the site wrote.

newsgen renders the tags every archive has (`figure`, `youtube`, `vimeo`, `param`,
`post_url`, `link`, `ref`, `relref`, `{{ site.baseurl }}`, `relative_url`, Eleventy's `url`,
Jekyll's `include`), and a site teaches it any other tag with a template of its own:
`templates/shortcodes/NAME.html` renders `NAME` in whichever syntax called it, and Jekyll's
`{% include NAME %}` reads `templates/includes/NAME`. Those templates run in Jinja's sandbox
and what they write is cleaned like the body around them. A tag nobody can render is shown
as written, with a warning that names the template that would render it.

Structural tags (`highlight`, `raw`, `comment`, excerpt markers, paired tags) are found by
the Markdown rules and the HTML reader, which hand their parts here.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from jinja2 import BaseLoader, Environment, TemplateError, TemplateNotFound, Undefined, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from newsgen.bodies.syntax import Call, shorten_tag

SHORTCODES_DIR = "templates/shortcodes"
INCLUDES_DIR = "templates/includes"
REF_SCHEME = "newsgen-ref:"
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{4,30}$")
REFERENCES = {("hugo", "ref"), ("hugo", "relref"), ("liquid", "post_url"), ("liquid", "link")}
REFERENCES |= {("hugo%", "ref"), ("hugo%", "relref")}
STRUCTURAL = frozenset({"highlight", "raw", "comment", "more"})
"""Tags the rules handle by their shape, never looked up as templates."""
_SYNTAX_NAMES = {
    "hugo": "Hugo shortcode",
    "hugo%": "Hugo shortcode",
    "liquid": "Liquid tag",
    "zola": "Zola shortcode",
    "go": "Go template call",
    "expression": "template expression",
}


@dataclass(frozen=True, slots=True)
class TagLibrary:
    """A site's own templates for other generators' tags, and its data files (values only)."""

    shortcodes: Mapping[str, str] = field(default_factory=dict)
    """Tag name (lowercase) → the template's source (templates/shortcodes/NAME.html)."""
    includes: Mapping[str, str] = field(default_factory=dict)
    """Include name as written ('note.html') → its source (templates/includes/NAME)."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """data/ as nested mappings: data/people/ann.yaml is data.people.ann."""
    digest: str = ""
    """Identity of all of the above (part of every body's cache key)."""


EMPTY_LIBRARY = TagLibrary()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a tag becomes."""

    kind: str
    """'text' (a value, escaped where it goes), 'ref' (a link to another article, by
    name), 'html' (markup, cleaned with the body), 'code' (a code block), 'nothing' (a
    comment), 'literal' (shown as written, with a warning) or 'error' (a template failed)."""
    value: str = ""
    language: str = ""
    """For 'code': the language named by the tag."""
    message: str = ""
    """For 'literal' and 'error': what the warning or error says."""


NOTHING = Outcome("nothing")


@dataclass(slots=True)
class TagContext:
    """What a body's tags may use: the site's settings, the file's front matter, the library."""

    base_url: str
    base_path: str
    params: Mapping[str, Any]
    library: TagLibrary = EMPTY_LIBRARY
    markdownify: Callable[[str], str] = lambda text: str(escape(text))
    """Renders Markdown to HTML with the body's own engine (Hugo's `{{% %}}`, `markdownify`)."""
    site_title: str = ""
    language: str = "en"
    site_params: Mapping[str, Any] = field(default_factory=dict)
    """newsgen.yaml's `params`: `{{ site.KEY }}`, `{{ site.params.KEY }}`, Hugo's `param`."""
    made_refs: set[str] = field(default_factory=set)
    """The `newsgen-ref:` URLs this body's tags wrote into its HTML (only those resolve)."""

    @property
    def origin(self) -> str:
        """'https://example.org' for base_url 'https://example.org/news/'."""
        return self.base_url[: len(self.base_url) - len(self.base_path) + 1].rstrip("/")

    def relative(self, path: str) -> str:
        if "://" in path or path.startswith("//"):
            return path
        return self.base_path + path.lstrip("/")


def ref_url(line: int, target: str) -> str:
    """A link to another article by name, resolved by `site.assemble` once URLs are known
    (`post.md#part`: Hugo's ref names a heading too)."""
    path, _, fragment = target.strip().partition("#")
    url = f"{REF_SCHEME}{line}:{quote(path, safe='', errors='replace')}"
    return url + "#" + quote(fragment, safe="", errors="replace") if fragment else url


def bare_refs(text: str, ctx: TagContext) -> str:
    """TEXT with `{{ site.baseurl }}` (and `{{ site.url }}`) dropped before a reference:
    Jekyll's `{{ site.baseurl }}{% post_url x %}` is the post's URL under the base path,
    which the reference resolves to on its own (it would name nothing behind a prefix)."""
    if REF_SCHEME not in text:
        return text
    prefix = ctx.base_path.rstrip("/")
    for lead in (ctx.origin + prefix, prefix):
        if lead:
            text = text.replace(lead + REF_SCHEME, REF_SCHEME)
    return text


def literal(call: Call, hint: str = "") -> Outcome:
    what = _SYNTAX_NAMES.get(call.syntax, "template tag")
    if call.kind == "filter":
        what = "template filter"
    if call.closing:
        what = "closing " + what
    message = f"{what} {shorten_tag(call.text)} is not supported; shown as written"
    return Outcome("literal", call.text, message=message + (f" ({hint})" if hint else ""))


_LIQUID_LOGIC = frozenset(
    {"for", "endfor", "if", "elsif", "else", "endif", "unless", "endunless", "case", "when"}
    | {"endcase", "assign", "capture", "endcapture", "increment", "decrement", "cycle"}
    | {"break", "continue", "tablerow", "endtablerow", "liquid", "echo"}
)
"""Liquid's own logic: a template cannot stand in for it."""


def template_hint(call: Call) -> str:
    """Where a template that renders CALL would go, for the warning."""
    if call.syntax == "liquid" and call.key in _LIQUID_LOGIC:
        return "newsgen does not run Liquid logic: write its result into the article"
    if call.syntax == "liquid" and call.key == "include" and call.positional:
        return f"write {INCLUDES_DIR}/{call.positional[0]} to render it"
    if call.kind == "filter" or (call.kind == "call" and not call.closing):
        return f"write {SHORTCODES_DIR}/{call.key}.html to render it"
    return ""


def render_call(
    call: Call,
    ctx: TagContext,
    line: int,
    *,
    inner: str | None = None,
    body: str | None = None,
) -> Outcome:
    """What CALL becomes. INNER is a paired tag's text as written, BODY that text rendered."""
    if call.kind == "comment":
        return NOTHING
    if call.kind == "escaped":
        return Outcome("text", call.shown)
    if call.kind == "variable":
        return _variable(call, ctx)
    if call.kind == "filter":
        return _filter(call, ctx, line)
    if call.kind != "call" or call.closing:
        return literal(call)
    key = call.key
    if (call.syntax, key) in REFERENCES:
        target = call.named.get("path") or (call.positional[0] if call.positional else "")
        if isinstance(target, str) and target.strip():
            return Outcome("ref", ref_url(line, target))
        return literal(call)
    if call.syntax == "liquid" and key == "include":
        return _include(call, ctx, line)
    if key in ctx.library.shortcodes and key not in STRUCTURAL:
        return _template(f"shortcodes/{key}.html", call, ctx, line, inner, body)
    builtin = _BUILTINS.get(key)
    if builtin is not None:
        done = builtin(call, ctx, line)
        if done is not None:
            return done
    return literal(call, template_hint(call))


def _variable(call: Call, ctx: TagContext) -> Outcome:
    """`{{ site.baseurl }}`, `{{ site.url }}`, `{{ site.title }}`, `{{ page.KEY }}` (the front
    matter), `{{ site.data.X }}` (data files) and `{{ site.KEY }}` (newsgen.yaml's `params`);
    anything else is shown as written."""
    value = _lookup(call.name, ctx)
    if value is None:
        name = call.name.removeprefix("site.").removeprefix("params.")
        if call.name.startswith("site.") and not name.startswith("data."):
            return literal(call, f"add {name} under params: in newsgen.yaml to give it a value")
        return literal(call)
    return Outcome("text", value)


def _lookup(path: str, ctx: TagContext) -> str | None:
    if path == "site.baseurl":
        return ctx.base_path.rstrip("/")
    if path == "site.url":
        return ctx.origin
    if path == "site.title":
        return ctx.site_title
    parts = re.findall(r"[^.\[\]]+", path)
    root: Any
    if parts[:2] == ["site", "data"]:
        root, parts = ctx.library.data, parts[2:]
    elif parts[:2] == ["site", "params"]:
        root, parts = ctx.site_params, parts[2:]
    elif parts[:1] == ["page"]:
        root, parts = ctx.params, parts[1:]
    elif parts[:1] == ["site"] and len(parts) > 1:  # Jekyll: any key of _config.yml
        root, parts = ctx.site_params, parts[1:]
    else:
        return None
    value: Any = root
    for part in parts:
        if isinstance(value, Mapping):
            value = value.get(part, value.get(part.lower()))
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value)


def _filter(call: Call, ctx: TagContext, line: int) -> Outcome:
    """Jekyll's relative_url and absolute_url, Eleventy's url; other filters by template."""
    subject: Any = call.subject
    if call.subject_is_variable:
        subject = _lookup(str(subject), ctx)
        if subject is None:
            return literal(call)
    key = call.key
    if key in ctx.library.shortcodes:
        shifted = Call(
            call.syntax,
            call.kind,
            call.name,
            call.start,
            call.end,
            call.text,
            (subject, *call.positional),
            call.named,
        )
        return _template(f"shortcodes/{key}.html", shifted, ctx, line, None, None)
    if key in ("relative_url", "url"):
        return Outcome("text", ctx.relative(str(subject)))
    if key == "absolute_url":
        return Outcome("text", ctx.origin + ctx.relative(str(subject)))
    return literal(call, template_hint(call))


def _include(call: Call, ctx: TagContext, line: int) -> Outcome:
    name = str(call.positional[0]) if call.positional else ""
    if name and name in ctx.library.includes:
        return _template(f"includes/{name}", call, ctx, line, None, None)
    return literal(call, template_hint(call))


_PARAGRAPH = re.compile(r"^\s*<p>(.*)</p>\s*$", re.S)
_MARKUP = re.compile(r"<[^>]*>")


def _inline_markdown(ctx: TagContext, text: str) -> Markup:
    """TEXT as Markdown without its paragraph (a caption is a line, not a block)."""
    html = ctx.markdownify(text)
    match = _PARAGRAPH.match(html)
    return Markup(match.group(1) if match and "<p>" not in match.group(1) else html)


def _figure(call: Call, ctx: TagContext, line: int) -> Outcome | None:
    """Hugo's figure: the caption and the credit (`attr`, `attrlink`) are Markdown, and a
    picture without `alt` is described by its caption, as Hugo's own shortcode does."""
    named = {k: str(v) for k, v in call.named.items()}
    if not named.get("src"):
        return None
    caption = _inline_markdown(ctx, named["caption"]) if named.get("caption") else Markup("")
    alt = named.get("alt") or htmllib.unescape(_MARKUP.sub("", str(caption))).strip()
    img = Markup('<img src="{}" alt="{}"{}{}>').format(
        named["src"],
        alt,
        Markup(' width="{}"').format(named["width"]) if named.get("width") else "",
        Markup(' height="{}"').format(named["height"]) if named.get("height") else "",
    )
    if named.get("link"):
        img = Markup('<a href="{}">{}</a>').format(named["link"], img)
    parts: list[Markup] = []
    if named.get("title"):
        parts.append(Markup("<strong>{}</strong>").format(named["title"]))
    if caption:
        parts.append(caption)
    if named.get("attr"):
        credit = _inline_markdown(ctx, named["attr"])
        if named.get("attrlink"):
            credit = Markup('<a href="{}">{}</a>').format(named["attrlink"], credit)
        parts.append(credit)
    cap = Markup("<figcaption>{}</figcaption>").format(Markup(" ").join(parts)) if parts else ""
    css = Markup(' class="{}"').format(named["class"]) if named.get("class") else ""
    return Outcome("html", str(Markup("<figure{}>{}{}</figure>").format(css, img, cap)))


def _embed(url: str, title: str) -> Outcome:
    frame = Markup(
        '<div class="embed"><iframe src="{}" title="{}" loading="lazy" allowfullscreen>'
        "</iframe></div>"
    ).format(url, title)
    return Outcome("html", str(frame))


def _first(call: Call) -> str:
    value = call.named.get("id") or (call.positional[0] if call.positional else "")
    return str(value)


def _youtube(call: Call, ctx: TagContext, line: int) -> Outcome | None:
    video = _first(call)
    if not _VIDEO_ID.match(video):
        return None
    return _embed(f"https://www.youtube-nocookie.com/embed/{video}", "YouTube video")


def _vimeo(call: Call, ctx: TagContext, line: int) -> Outcome | None:
    video = _first(call)
    if not video.isdigit():
        return None
    return _embed(f"https://player.vimeo.com/video/{video}", "Vimeo video")


def _param(call: Call, ctx: TagContext, line: int) -> Outcome | None:
    if call.syntax not in ("hugo", "hugo%") or not call.positional:
        return None
    # Hugo's param: the page's value, else the site's.
    name = str(call.positional[0])
    value = _lookup("page." + name, ctx)
    if value is None:
        value = _lookup("site.params." + name, ctx)
    return None if value is None else Outcome("text", value)


_BUILTINS: dict[str, Callable[[Call, TagContext, int], Outcome | None]] = {
    "figure": _figure,
    "youtube": _youtube,
    "vimeo": _vimeo,
    "param": _param,
}


# -- the site's own templates -------------------------------------------------------------


class _Sources(BaseLoader):
    """Templates from the library's values, named by their file (for error lines)."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = sources

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        if template not in self.sources:
            raise TemplateNotFound(template)
        return self.sources[template], f"templates/{template}", lambda: True


@pass_context
def _markdownify(context: Context, text: Any) -> Markup:
    return Markup(context["_tags"].markdownify(str(text)))


@pass_context
def _relative_url(context: Context, path: Any) -> str:
    return str(context["_tags"].relative(str(path)))


@pass_context
def _absolute_url(context: Context, path: Any) -> str:
    tags = context["_tags"]
    return str(tags.origin + tags.relative(str(path)))


_ENVIRONMENTS: dict[str, SandboxedEnvironment] = {}


def environment(library: TagLibrary) -> SandboxedEnvironment:
    """The sandboxed Jinja environment of a library's templates (one per library)."""
    env = _ENVIRONMENTS.get(library.digest)
    if env is None:
        sources = {f"shortcodes/{name}.html": text for name, text in library.shortcodes.items()}
        sources |= {f"includes/{name}": text for name, text in library.includes.items()}
        env = SandboxedEnvironment(
            loader=_Sources(sources),
            autoescape=True,
            undefined=Undefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(
            markdownify=_markdownify,
            relative_url=_relative_url,
            absolute_url=_absolute_url,
            url=_relative_url,
        )
        _ENVIRONMENTS.clear()  # one site at a time; a changed library replaces the old
        _ENVIRONMENTS[library.digest] = env
    return env


def library_digest(
    shortcodes: Mapping[str, str], includes: Mapping[str, str], data_sources: Mapping[str, str]
) -> str:
    digest = hashlib.sha256()
    for group in (shortcodes, includes, data_sources):
        for name in sorted(group):
            digest.update(f"{name}\x1f{group[name]}\x1e".encode("utf-8", "surrogatepass"))
        digest.update(b"\x1d")
    return digest.hexdigest()[:32]


def _template(
    name: str, call: Call, ctx: TagContext, line: int, inner: str | None, body: str | None
) -> Outcome:
    env = environment(ctx.library)
    positional = list(call.positional)
    named = dict(call.named)

    def get(key: int | str, default: Any = "") -> Any:
        """Hugo's .Get: a position or a name."""
        if isinstance(key, int):
            return positional[key] if 0 <= key < len(positional) else default
        return named.get(str(key).lower(), default)

    values = {
        "name": call.key,
        "syntax": call.syntax,
        "args": positional,
        "named": named,
        "include": named,
        "get": get,
        "inner": inner,
        "body": Markup(body) if body is not None else None,
        "page": ctx.params,
        "data": ctx.library.data,
        "site": {
            "title": ctx.site_title,
            "base_url": ctx.base_url,
            "base_path": ctx.base_path,
            "url": ctx.origin,
            "language": ctx.language,
            "data": ctx.library.data,
            "params": ctx.site_params,
        },
        "_tags": ctx,
    }
    try:
        html = env.get_template(name).render(values)
    except TemplateError as e:
        return Outcome("error", message=_failure(name, call, e))
    except Exception as e:  # a template's own mistake: the author must see it, not a traceback
        return Outcome("error", message=_failure(name, call, e))
    if call.syntax == "hugo%":  # {{% %}}: what the template writes is Markdown
        html = ctx.markdownify(html)
    return Outcome("html", html.strip())


def _failure(name: str, call: Call, error: Exception) -> str:
    where = f"templates/{name}"
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == f"templates/{name}":
            where = f"templates/{name}:{frame.lineno}"
            break
    detail = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{where} could not render {shorten_tag(call.text)}: {detail}"
