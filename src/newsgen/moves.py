"""Articles whose URL changed since the last build, and the one writer of source files.

A story's URL changes with its slug, its date or its file name, and every link to the old
address breaks. Each good build leaves a trail (`trail`): every published file's URL, a
digest of its body, and the old URLs it lost that nothing serves yet. The next build
compares (`find_moves`): the same source at another URL, or a body that left its file (the
file vanished, or holds another story now) and one that appeared with the same body in the
same language (a Jekyll post whose date prefix changed is a new path), matched only when
that body is one of a kind on both sides.

`build --record-moves` keeps each lost URL: `add_alias` adds it to the file's aliases in the
file's own dialect, changing nothing else (every other byte, comments, order, quoting, line
endings, BOM), and checks the result reads back as the same front matter plus the alias;
`write_source` replaces the file atomically, only if it still holds the bytes the edit was
made from. Nothing else in newsgen rewrites a source file.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from newsgen.errors import ContentError, ContentWarning
from newsgen.fields import ALIASES
from newsgen.models import Article, Page, Route, Site, SiteConfig
from newsgen.sources import FrontMatter, split_front_matter
from newsgen.urls import alias_url, href, page_file, redirect_output, site_path

Item = TypeVar("Item", Article, Page)

TRAIL_VERSION = 1
ALIAS_KEYS = ALIASES["redirects"]
"""The keys newsgen reads aliases from, newsgen's own (`aliases`) first."""


@dataclass(frozen=True, slots=True)
class Move:
    """SOURCE was at OLD in an earlier build and is at NEW now (URLs relative to base_url)."""

    source: PurePosixPath
    old: str
    new: str
    holder: PurePosixPath | None = None
    """The file whose page or alias is at OLD now (None: nothing serves OLD)."""
    renamed_from: PurePosixPath | None = None
    """The file it was, when the file itself was renamed."""


@dataclass(frozen=True, slots=True)
class Planned:
    """The moves of one file kept as aliases: its bytes BEFORE, and AFTER with every one of
    ALIASES added (one edit and one write a file, however many URLs it lost)."""

    moves: tuple[Move, ...]
    aliases: tuple[str, ...]
    before: bytes
    after: bytes

    @property
    def source(self) -> PurePosixPath:
        return self.moves[0].source


class Unsafe(Exception):
    """A file newsgen will not edit; the message says why, in a journalist's words."""


@dataclass(slots=True)
class Review:
    """What a build makes of the moves since the last good build."""

    warnings: list[ContentError]
    planned: list[Planned]
    """The aliases to add (build --record-moves), written after the output is published."""
    trail: dict[str, Any]
    """What this build publishes, for the next build (its lost URLs kept, to warn again)."""
    lost: list[tuple[Move, ContentError]] = field(default_factory=list)
    """Each old URL said to be lost, with its warning (see `served_now`)."""


# -- The trail a build leaves, and what changed since -------------------------------------------


def _signature(item: Article | Page) -> str:
    """What tells a renamed file for the same story: its rendered body, when it has words,
    and its language (a copy moved into another language's folder is another edition's)."""
    if not isinstance(item, Article) or item.word_count == 0:
        return ""
    body = item.body_key or hashlib.sha256(str(item.body_html).encode()).hexdigest()
    return f"{item.language}:{body}"


def trail(items: Sequence[Article | Page], pending: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """What the next build compares with: each published file's URL, body signature and the
    old URLs it lost that nothing serves (PENDING: they are warned about until kept)."""
    return {
        "version": TRAIL_VERSION,
        "items": {
            str(i.source): [i.url, _signature(i), list(pending.get(str(i.source), ()))]
            for i in items
        },
    }


def keep_pending(record: dict[str, Any], move: Move) -> None:
    """RECORD (a trail) with MOVE's old URL still lost (its alias could not be written)."""
    entry = record["items"].get(str(move.source))
    if entry is not None and move.old not in entry[2]:
        entry[2].append(move.old)


def _entries(previous: Mapping[str, Any] | None) -> dict[str, tuple[str, str, list[str]]]:
    if not previous or previous.get("version") != TRAIL_VERSION:
        return {}
    found: dict[str, tuple[str, str, list[str]]] = {}
    for source, entry in previous.get("items", {}).items():
        try:
            url, sig, lost = entry
            found[source] = (str(url), str(sig), [str(u) for u in lost])
        except (TypeError, ValueError):
            continue
    return found


def has_pending(previous: Mapping[str, Any] | None) -> bool:
    """Whether the last build left old URLs that nothing serves (a move not kept yet)."""
    return any(lost for _, _, lost in _entries(previous).values())


def find_moves(
    previous: Mapping[str, Any] | None,
    items: Sequence[Article | Page],
    base_url: str,
    held: Sequence[PurePosixPath] = (),
) -> list[Move]:
    """Each old URL of ITEMS (the files published now) that the PREVIOUS trail knew and that
    is not their URL any more, with what serves it now, if anything. HELD: files there but
    not published now (drafts, stories held back): their bodies did not leave them."""
    before = _entries(previous)
    if not before:
        return []
    current = {str(i.source): i for i in items}
    signatures = {source: _signature(item) for source, item in current.items()}
    matched: dict[str, str] = {s: s for s in current if s in before}
    # A body that left its file: the file is gone, or holds another body now (a newsroom's
    # `breaking.md` filed under a name of its own, and the next story written in it).
    vanished: dict[str, list[str]] = {}
    still_there = set(map(str, held))
    for source, (_, sig, _) in before.items():
        if sig and signatures.get(source) != sig and source not in still_there:
            vanished.setdefault(sig, []).append(source)
    arrived: dict[str, list[str]] = {}
    for source, sig in signatures.items():
        if source not in before and sig:
            arrived.setdefault(sig, []).append(source)
    for sig, sources in arrived.items():
        gone = vanished.get(sig, [])
        if len(sources) == 1 and len(gone) == 1:  # one of a kind on both sides, or no match
            matched[sources[0]] = gone[0]
            matched.pop(gone[0], None)  # the story moved out; what is in its old file is new
    pages_at = {page_file(i.url): i.source for i in items}
    aliases_at: dict[str, PurePosixPath] = {}
    for item in items:
        for alias in item.redirects:
            url = alias_url(alias, base_url)
            if url is not None:
                aliases_at.setdefault(redirect_output(url), item.source)
    moves: list[Move] = []
    for source, was in sorted(matched.items()):
        item = current[source]
        url, _, lost = before[was]
        renamed = PurePosixPath(was) if was != source else None
        for old in dict.fromkeys([url, *lost]):
            if page_file(old) == page_file(item.url):
                continue
            holder = pages_at.get(page_file(old)) or aliases_at.get(redirect_output(old))
            if holder == item.source:
                continue  # already kept (an alias of this article)
            moves.append(Move(item.source, old, item.url, holder, renamed))
    return moves


def review(
    previous: Mapping[str, Any] | None,
    items: Sequence[Article | Page],
    config: SiteConfig,
    root: Path,
    *,
    record: bool,
    held: Sequence[PurePosixPath] = (),
) -> Review:
    """The moves of ITEMS (the files published now) since the PREVIOUS trail: a warning for
    each old URL nothing serves, or (RECORD) the aliases that keep them, read from the file
    (all of one file's old URLs at once: a story renamed twice lost two). HELD: files there
    but not published now (drafts), whose published URLs the trail keeps for their return."""
    warnings: list[ContentError] = []
    planned: list[Planned] = []
    lost: dict[str, list[str]] = {}
    said: list[tuple[Move, ContentError]] = []
    kept: dict[PurePosixPath, list[Move]] = {}
    for move in find_moves(previous, items, config.base_url, held):
        old, new = href(config.base_path, move.old), href(config.base_path, move.new)
        was = f", once {move.renamed_from}," if move.renamed_from else ""
        if move.holder is not None:
            message = (
                f"its old address {old} now leads to {move.holder}, so old links to this story"
                f" land there (this story{was} is at {new} now)"
            )
            warnings.append(ContentWarning(move.source, None, message))
        elif record:
            kept.setdefault(move.source, []).append(move)
        else:
            message = (
                f"its old address {old} no longer works (the story{was} is at {new} now), so links"
                " and bookmarks to it break; `newsgen build --record-moves` keeps the old"
                " address as an alias that sends readers on"
            )
            warnings.append(ContentWarning(move.source, None, message))
            said.append((move, warnings[-1]))
            lost.setdefault(str(move.source), []).append(move.old)
    for source, moves in kept.items():
        try:
            planned.append(plan(root, moves, config.base_url))
            continue
        except (Unsafe, OSError) as e:
            reason = e.strerror if isinstance(e, OSError) else str(e)
        first = moves[0]
        was = f", once {first.renamed_from}," if first.renamed_from else ""
        olds = [href(config.base_path, m.old) for m in moves]
        todo = by_hand(_bytes(root / source), source, [_written(m.old, config) for m in moves])
        message = (
            f"its old {_addresses(olds)} no longer {'work' if len(olds) > 1 else 'works'} (the"
            f" story{was} is at {href(config.base_path, first.new)} now), and newsgen cannot"
            f" add {'them' if len(olds) > 1 else 'it'} to this file safely ({reason}): {todo}"
            " by hand"
        )
        warnings.append(ContentWarning(source, None, message))
        lost.setdefault(str(source), []).extend(m.old for m in moves)
    record_ = trail(items, lost)
    before = _entries(previous)
    for name in map(str, held):
        if name in before and name not in record_["items"]:
            url, sig, pending = before[name]
            record_["items"][name] = [url, sig, pending]
    return Review(warnings, planned, record_, said)


def _leads(move: Move, owner: str, config: SiteConfig) -> ContentError:
    old, new = href(config.base_path, move.old), href(config.base_path, move.new)
    was = f", once {move.renamed_from}," if move.renamed_from else ""
    message = (
        f"its old address {old} now leads to {owner}, so old links to this story land there"
        f" (this story{was} is at {new} now)"
    )
    return ContentWarning(move.source, None, message)


def served_now(
    found: Review,
    routes: Sequence[Route],
    problems: Sequence[ContentError],
    site: Site,
    config: SiteConfig,
) -> tuple[list[ContentError], Site]:
    """PROBLEMS and SITE once ROUTES are known: an old URL that a page of the site's own
    serves now (an archive, a tag's page: only the routes know them) is not lost. Its
    warning says where it leads instead, and an alias planned for it is dropped from FOUND
    (planned and trail, updated in place), from SITE's redirects, and its clash with that
    page from PROBLEMS, so that the build goes on."""
    pages = {r.path: r.owner for r in routes if r.template != "redirect.html"}

    def owner(url: str) -> str | None:
        return pages.get(page_file(url)) or pages.get(redirect_output(url))

    replaced: dict[int, ContentError] = {}
    for move, warning in found.lost:
        serving = owner(move.old)
        if serving is not None:
            replaced[id(warning)] = _leads(move, serving, config)
            pending = found.trail["items"].get(str(move.source), [None, None, []])[2]
            if move.old in pending:
                pending.remove(move.old)
    out = [replaced.get(id(p), p) for p in problems]
    dropped: set[tuple[PurePosixPath, str]] = set()
    planned: list[Planned] = []
    for one in found.planned:
        stay = [(m, a) for m, a in zip(one.moves, one.aliases, strict=True) if not owner(m.old)]
        for move in one.moves:
            serving = owner(move.old)
            if serving is not None:
                dropped.add((one.source, move.old))
                out.append(_leads(move, serving, config))
        if len(stay) == len(one.moves):
            planned.append(one)
        elif stay:
            after = one.before
            for _, alias in stay:
                after = add_alias(after, one.source, alias)
            moves, aliases = zip(*stay, strict=True)
            planned.append(Planned(tuple(moves), tuple(aliases), one.before, after))
    found.planned[:] = planned
    if not dropped:
        return out, site
    out = [
        p
        for p in out
        if not any(
            p.path == source and p.message.startswith(f"alias /{url} would replace ")
            for source, url in dropped
        )
    ]
    redirects = tuple(r for r in site.redirects if (r.source, r.url) not in dropped)
    return out, replace(site, redirects=redirects)


def _addresses(urls: Sequence[str]) -> str:
    """'address /a/', 'addresses /a/ and /b/', 'addresses /a/, /b/ and /c/'."""
    if len(urls) == 1:
        return f"address {urls[0]}"
    return f"addresses {', '.join(urls[:-1])} and {urls[-1]}"


def _written(url: str, config: SiteConfig) -> str:
    """URL as an alias is written, or as near as it gets when it cannot be one."""
    try:
        return alias_for(url, config.base_url)
    except Unsafe:
        return "/" + url


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def with_aliases(items: Sequence[Item], planned: Sequence[Planned]) -> list[Item]:
    """ITEMS with the aliases PLANNED added, so they redirect in this build already."""
    kept: dict[PurePosixPath, list[str]] = {}
    for one in planned:
        kept.setdefault(one.source, []).extend(one.aliases)
    return [_with_aliases(one, kept) for one in items]


def _with_aliases(item: Item, kept: Mapping[PurePosixPath, list[str]]) -> Item:
    added: list[str] = kept.get(item.source, [])
    return replace(item, redirects=(*item.redirects, *added)) if added else item


# -- Adding an alias to a file, in its own dialect ----------------------------------------------

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_YAML_LINE = re.compile(
    r"^(?P<head>\s*(?:\"[^\"]*\"|'[^']*'|[^\s#:'\"][^:#]*?)\s*:)(?P<gap>[ \t]*)"
    r"(?P<value>.*?)(?P<tail>(?:[ \t]+#.*)?[ \t]*)$"
)
_TOML_LINE = re.compile(
    r"^(?P<head>\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=)(?P<gap>[ \t]*)"
    r"(?P<value>.*?)(?P<tail>(?:[ \t]+#.*)?[ \t]*)$"
)
_JSON_LINE = re.compile(
    r'^(?P<head>\s*"(?:[^"\\]|\\.)*"\s*:)(?P<gap>\s*)(?P<value>\[.*\])(?P<tail>\s*,?\s*)$'
)
_YAML_NULLS = ("~", "null", "Null", "NULL")
_ITEM = re.compile(r"^(?P<indent>[ ]*)-(?P<sep>[ ]+)\S")
_TABLE = re.compile(r"^\s*\[")


def alias_for(url: str, base_url: str) -> str:
    """URL (relative to base_url) as an alias is written: from the site's root, with what
    would end a path ('%', '#', '?', spaces) or split a list of them (',') encoded.
    Raises Unsafe if it would not read back as URL."""
    alias = "/" + url
    for char, code in (("%", "%25"), ("#", "%23"), ("?", "%3F"), (",", "%2C"), (" ", "%20")):
        alias = alias.replace(char, code)
    if alias_url(alias, base_url) != url or site_path(alias) != url:
        raise Unsafe(f"the old address /{url} cannot be written as an alias")
    return alias


def by_hand(raw: bytes | None, path: PurePosixPath, aliases: Sequence[str]) -> str:
    """What to do by hand to keep ALIASES in a file newsgen would not edit (RAW: its bytes):
    one instruction for them all, so following it never gives a file two alias lines."""
    quoted = ", ".join(json.dumps(alias, ensure_ascii=False) for alias in aliases)
    try:
        fm = _front_matter(_text(raw)[1], path) if raw is not None else None
    except Unsafe:
        fm = None
    key = next((k for k in ALIAS_KEYS if fm is not None and k in fm.meta), None)
    if fm is not None and key is not None:
        return f"add {quoted} to its '{key}' list (line {fm.lines.get(key, 1)})"
    line = {
        "toml": f"aliases = [{quoted}]",
        "json": f'"aliases": [{quoted}],',
        "headers": f"Aliases: {', '.join(aliases)}",
    }.get(fm.dialect if fm is not None else "yaml", f"aliases: [{quoted}]")
    return f"add the line `{line}` to its front matter"


def _text(raw: bytes) -> tuple[bool, str]:
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        return bom, raw[len(codecs.BOM_UTF8) :].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unsafe("it is not valid UTF-8") from None


def _front_matter(text: str, path: PurePosixPath) -> FrontMatter:
    try:
        return split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"), path)
    except ContentError as e:
        raise Unsafe(f"its front matter cannot be read ({e.message})") from None


def add_alias(raw: bytes, path: PurePosixPath, alias: str) -> bytes:
    """RAW (a source file) with ALIAS added to its aliases: appended to the list the file
    already has (`aliases` or `redirect_from`, as spelled there), else newsgen's `aliases`
    added. Every other byte stays. Raises Unsafe when the file's shape leaves doubt."""
    bom, text = _text(raw)
    fm = _front_matter(text, path)
    lines = _LINES.findall(text)
    key = next((k for k in ALIAS_KEYS if k in fm.meta), None)
    edit = {"yaml": _yaml, "toml": _toml, "json": _json, "headers": _headers}[fm.dialect]
    new_lines = edit(lines, fm, key, alias)
    new_text = "".join(new_lines)
    try:
        again = _front_matter(new_text, path)
    except Unsafe:  # the file read well: it is the edit that does not
        raise Unsafe(_CHANGES) from None
    _check(fm, again, key or "aliases", alias)
    return (codecs.BOM_UTF8 if bom else b"") + new_text.encode("utf-8")


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def _newline(lines: Sequence[str], at: int) -> str:
    """The line ending the file uses near line AT."""
    for line in (*lines[at:], *reversed(lines[:at])):
        ending = line[len(_content(line)) :]
        if ending:
            return ending
    return "\n"


def _fences(lines: Sequence[str], fence: str) -> tuple[int, int]:
    """The indexes of the opening and closing fence lines."""
    opening = next(i for i, line in enumerate(lines) if _content(line).strip())
    closers = (fence, "...") if fence == "---" else (fence,)
    for index in range(opening + 1, len(lines)):
        if _content(lines[index]).rstrip() in closers:
            return opening, index
    raise Unsafe("its front matter is never closed")


def _in_flow(value: str, item: str) -> str | None:
    """A one-line list `[a, b]` with ITEM added; None if VALUE is not one."""
    if not (value.startswith("[") and value.endswith("]")):
        return None
    inner = value[1:-1]
    body = inner.rstrip()
    if not body.strip():
        return f"[{item}]"
    joiner = " " if body.endswith(",") else ", "
    return f"[{body}{joiner}{item}{inner[len(body) :]}]"


def _replace(lines: list[str], index: int, content: str) -> list[str]:
    line = lines[index]
    return [*lines[:index], content + line[len(_content(line)) :], *lines[index + 1 :]]


def _insert(lines: list[str], index: int, content: str) -> list[str]:
    return [*lines[:index], content + _newline(lines, index), *lines[index:]]


def _key_line(
    lines: list[str], fm: FrontMatter, key: str, pattern: re.Pattern[str]
) -> tuple[int, str, str, str, str]:
    """The index of KEY's line and its parts (head, gap, value, tail), as PATTERN reads
    them; Unsafe when the line has a shape newsgen does not edit."""
    at = fm.lines[key] - 1
    match = pattern.match(_content(lines[at]))
    if match is None:
        raise Unsafe(f"its '{key}' line has a shape newsgen does not edit")
    head, gap, value, tail = match.group("head", "gap", "value", "tail")
    return at, head, gap, value, tail


def _yaml(lines: list[str], fm: FrontMatter, key: str | None, alias: str) -> list[str]:
    if fm.dialect != "yaml":
        raise Unsafe("its front matter is neither YAML nor header lines")
    item = json.dumps(alias, ensure_ascii=False)
    _, closing = _fences(lines, "---")
    if key is None:
        return _insert(lines, closing, f"aliases: [{item}]")
    at, head, gap, value, tail = _key_line(lines, fm, key, _YAML_LINE)
    if (flow := _in_flow(value, item)) is not None:
        return _replace(lines, at, head + gap + flow + tail)
    if value in _YAML_NULLS:
        return _replace(lines, at, f"{head} [{item}]{tail}")
    if value:
        if value[0] in "[{|>&*!-":
            raise Unsafe(f"its '{key}' value has a shape newsgen does not edit")
        return _replace(lines, at, f"{head}{gap}[{value}, {item}]{tail}")
    key_indent = len(lines[at]) - len(lines[at].lstrip(" "))
    # The list's lines, past comments and blank lines (YAML allows both between its items).
    listing = [i for i in range(at + 1, closing) if _content(lines[i]).strip()[:1] not in ("", "#")]
    first = _ITEM.match(_content(lines[listing[0]])) if listing else None
    if first is None or len(first.group("indent")) < key_indent:
        return _replace(lines, at, f"{head} [{item}]{tail}")  # `aliases:` with no value
    indent, sep = first.group("indent", "sep")
    last = listing[0]
    for index in listing[1:]:
        content = _content(lines[index])
        listed = _ITEM.match(content)
        if listed and listed.group("indent") == indent:
            last = index
        elif len(content) - len(content.lstrip(" ")) > len(indent):
            last = index  # an item written over several lines
        else:
            break
    return _insert(lines, last + 1, f"{indent}-{sep}{item}")


def _toml(lines: list[str], fm: FrontMatter, key: str | None, alias: str) -> list[str]:
    item = json.dumps(alias, ensure_ascii=False)
    opening, closing = _fences(lines, "+++")
    if key is None:
        table = next(
            (i for i in range(opening + 1, closing) if _TABLE.match(_content(lines[i]))), closing
        )
        return _insert(lines, table, f"aliases = [{item}]")
    at, head, gap, value, tail = _key_line(lines, fm, key, _TOML_LINE)
    if (flow := _in_flow(value, item)) is not None:
        return _replace(lines, at, head + gap + flow + tail)
    if value != "[":
        raise Unsafe(f"its '{key}' value is not a list")
    end = next((i for i in range(at + 1, closing) if _content(lines[i]).strip() == "]"), None)
    listed = [i for i in range(at + 1, end or at) if _content(lines[i]).strip()]
    if end is None or not listed or not _content(lines[listed[-1]]).rstrip().endswith(","):
        raise Unsafe(f"its '{key}' list has a shape newsgen does not edit")
    last = _content(lines[listed[-1]])
    return _insert(lines, end, last[: len(last) - len(last.lstrip())] + item + ",")


def _json(lines: list[str], fm: FrontMatter, key: str | None, alias: str) -> list[str]:
    item = json.dumps(alias, ensure_ascii=False)
    if key is None:
        opening = next(i for i, line in enumerate(lines) if _content(line).strip())
        after = opening + 1
        if _content(lines[opening]).strip() != "{" or after >= len(lines):
            raise Unsafe("its JSON front matter is not one key a line")
        nxt = _content(lines[after])
        return _insert(lines, after, nxt[: len(nxt) - len(nxt.lstrip())] + f'"aliases": [{item}],')
    at = fm.lines[key] - 1
    match = _JSON_LINE.match(_content(lines[at]))
    flow = _in_flow(match.group("value"), item) if match else None
    if match is None or flow is None:
        raise Unsafe(f"its '{key}' list is not on one line")
    return _replace(lines, at, match.group("head") + match.group("gap") + flow + match["tail"])


def _headers(lines: list[str], fm: FrontMatter, key: str | None, alias: str) -> list[str]:
    if _content(lines[0]).strip() in ("---", "+++"):
        raise Unsafe("its front matter between '---' lines is not YAML")
    item = alias
    if key is None:
        blank = fm.body_line - 2
        if blank >= len(lines) or _content(lines[blank]).strip():
            raise Unsafe("its header lines are not followed by a blank line")
        name = "Aliases" if _content(lines[0])[:1].isupper() else "aliases"
        return _insert(lines, blank, f"{name}: {item}")
    at = fm.lines[key] - 1
    if at + 1 < len(lines) and _content(lines[at + 1])[:1] in (" ", "\t"):
        raise Unsafe(f"its '{key}' header goes on over several lines")
    content = _content(lines[at]).rstrip()
    joiner = " " if content.endswith(":") else ", "
    return _replace(lines, at, content + joiner + item)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):  # as fields reads a string of aliases: comma-separated
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


_CHANGES = "adding a line would change how the rest of its front matter reads"


def _check(old: FrontMatter, new: FrontMatter, key: str, alias: str) -> None:
    """NEW must read as OLD with ALIAS added to KEY, the body as it was."""
    same = (
        new.dialect == old.dialect
        and new.body == old.body
        and set(new.meta) == set(old.meta) | {key}
        and all(new.meta[k] == v for k, v in old.meta.items() if k != key)
        and _as_list(new.meta[key]) == [*_as_list(old.meta.get(key)), alias]
    )
    if not same:
        raise Unsafe(_CHANGES)


# -- Writing ------------------------------------------------------------------------------------


def plan(root: Path, moves: Sequence[Move], base_url: str) -> Planned:
    """MOVES (all of one file's) kept: the file's bytes now and with every alias added, or
    none of them. Raises Unsafe or OSError."""
    path = root / moves[0].source
    if path.is_symlink():
        raise Unsafe("it is a symbolic link")
    _writable(path)
    aliases = tuple(alias_for(move.old, base_url) for move in moves)
    raw = after = path.read_bytes()
    for alias in aliases:
        after = add_alias(after, moves[0].source, alias)
    return Planned(tuple(moves), aliases, raw, after)


def _writable(path: Path) -> None:
    """Raise Unsafe for a file made read-only: replacing it through its folder would ignore
    that (and would for the superuser, whom os.access lets write anything)."""
    mode = os.stat(path).st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise Unsafe("it is read-only")


def write_planned(
    root: Path, planned: Sequence[Planned], config: SiteConfig, record: dict[str, Any]
) -> tuple[list[str], list[ContentError]]:
    """Each PLANNED file written with its aliases: what was kept, one line an alias, and a
    warning for each file that could not be written (its moves stay lost in RECORD, the
    trail, so the next build warns again)."""
    done: list[str] = []
    warnings: list[ContentError] = []
    for one in planned:
        new = href(config.base_path, one.moves[0].new)
        olds = [href(config.base_path, move.old) for move in one.moves]
        try:
            write_source(root, one)
        except (Unsafe, OSError) as e:
            reason = e.strerror if isinstance(e, OSError) else str(e)
            message = (
                f"its old {_addresses(olds)} {'redirect' if len(olds) > 1 else 'redirects'} to"
                f" {new} in this build only: the file was not changed ({reason});"
                f" {by_hand(one.before, one.source, one.aliases)} by hand"
            )
            warnings.append(ContentWarning(one.source, None, message))
            for move in one.moves:
                keep_pending(record, move)
            continue
        done.extend(f"{one.source}: kept {old} as an alias of {new}" for old in olds)
    return done, warnings


def write_source(root: Path, planned: Planned) -> None:
    """Replace the file with PLANNED.after, atomically, with its mode and owner, if it still holds
    PLANNED.before (an editor may have saved it while the build ran)."""
    path = root / planned.source
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or info.st_nlink > 1:
        raise Unsafe("it is a link to another file")
    _writable(path)
    if path.read_bytes() != planned.before:
        raise Unsafe("it was changed while the build ran")
    fd, temp = tempfile.mkstemp(prefix=".newsgen-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(planned.after)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        _same_owner(temp, info)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _same_owner(temp: str, info: os.stat_result) -> None:
    """Give TEMP the owner and group of the file it replaces (a build run as root must not
    leave the journalist a file they cannot save); raise Unsafe if that is not allowed."""
    made = os.stat(temp)
    if (made.st_uid, made.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        os.chown(temp, info.st_uid, info.st_gid)
    except PermissionError:
        raise Unsafe("it belongs to another user") from None
