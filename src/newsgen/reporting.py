"""How problems are shown to a person: every error, and each kind of warning said once.

An archive of thousands of articles may carry the same warning hundreds of times (a lead
image without alt text, a shortcode left as written); printed one a line, they hide the one
warning that matters. So a kind met more than `SHOWN` times is printed once, with its count
and its first places, and `--verbose` (or `check --format json`) lists every one. A kind is
a message with what varies in it (paths, URLs, numbers, quoted names) left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from newsgen.discover import is_article_name
from newsgen.errors import ContentError

SHOWN = 3
"""How many places a kind of warning shows; a kind met this often or less is listed whole."""

_QUOTED = re.compile(
    "(?<!\\w)'[^']*'(?!\\w)|\"[^\"]*\"|`[^`]*`|\u2018[^\u2019]*\u2019|\u201c[^\u201d]*\u201d"
)
"""Quoted names in a message; an apostrophe inside a word ("site's") does not open one."""
_VARYING = re.compile(r"[^\s'\"()\[\],;]*(?:[0-9/\\#+]|\w\.\w)[^\s'\"()\[\],;]*")
_RUNS = re.compile(r"…(?:(?:, | and | or | )…)+")
_PARTS = re.compile(f"({_QUOTED.pattern}|{_VARYING.pattern})")


def _varying(match: re.Match[str]) -> str:
    text = match.group(0)
    kept = len(text) - len(text.rstrip(":."))
    return "…" + text[len(text) - kept :] if kept else "…"


def warning_kind(message: str) -> str:
    """MESSAGE with what changes from one place to the next left out, as '…':
    "image /x.png is missing (/x.png is not built)" → "image … is missing (… is not built)"."""
    kind = _QUOTED.sub("'…'", message)
    kind = _VARYING.sub(_varying, kind)
    return _RUNS.sub("…", kind)


def _what(paths: Sequence[str]) -> str:
    for folder, noun in (("articles/", "article"), ("pages/", "page")):
        if all(p.startswith(folder) and is_article_name(p) for p in paths):
            return noun
    return "file"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def grouped(problems: Iterable[ContentError]) -> list[tuple[str, list[ContentError]]]:
    """Warnings by kind, in the order each kind is first met."""
    kinds: dict[str, list[ContentError]] = {}
    for problem in problems:
        kinds.setdefault(warning_kind(problem.message), []).append(problem)
    return list(kinds.items())


def _shared(messages: Sequence[str], kind: str) -> str:
    """What MESSAGES (of one KIND) say alike: each part that varies somewhere ('…' in KIND)
    kept where all say the same, so a fix they share (a quoted command) is still read."""
    split = [_PARTS.split(message) for message in messages]
    if len({len(parts) for parts in split}) != 1:
        return kind
    shown = []
    for index, parts in enumerate(zip(*split, strict=True)):
        same = len(set(parts)) == 1
        if index % 2 == 0 and not same:
            return kind  # the words around the names differ: KIND says it best
        # what varies as KIND shows it: a quoted name as '…', a path's ':' or '.' kept
        shown.append(parts[0] if same else warning_kind(parts[0]))
    return _RUNS.sub("…", "".join(shown))


def _examples(found: Sequence[ContentError]) -> list[ContentError]:
    """The first SHOWN places, each in a file of its own where there are enough files."""
    chosen: list[ContentError] = []
    for problem in found:
        if all(problem.path != c.path for c in chosen):
            chosen.append(problem)
    for problem in found:
        if len(chosen) >= SHOWN:
            break
        if problem not in chosen:
            chosen.append(problem)
    return chosen[:SHOWN]


def summary_line(kind: str, found: Sequence[ContentError], prefix: str = "warning: ") -> str:
    """'warning: the lead image has no alt text: 266 articles, e.g. a.md:9, b.md:4, c.md:2, …
    (--verbose lists every one)'."""
    messages = list(dict.fromkeys(p.message for p in found))
    label = messages[0] if len(messages) == 1 else _shared(messages, kind)
    paths = [str(p.path) for p in found]
    files = len(set(paths))
    noun = _what(paths)
    if files == len(found):
        how_many = _count(files, noun)
    else:
        how_many = f"{_count(len(found), 'place')} in {_count(files, noun)}"
    places = ", ".join(p.location for p in _examples(found))
    return f"{prefix}{label}: {how_many}, e.g. {places}, … (--verbose lists every one)"


def problem_lines(
    problems: Iterable[ContentError],
    *,
    verbose: bool = False,
    line: Callable[[ContentError], str] = str,
) -> list[str]:
    """The lines a person reads: every error (each as LINE shows it, PATH[:LINE]: message by
    default), in order; warnings one a line when VERBOSE or when their kind is rare, else one
    line per kind, after the errors."""
    lines: list[str] = []
    warnings: list[ContentError] = []
    for problem in problems:
        if problem.severity == "error" or verbose:
            lines.append(line(problem))
        else:
            warnings.append(problem)
    for kind, found in grouped(warnings):
        if len(found) <= SHOWN:
            lines += [line(p) for p in found]
        else:
            lines.append(summary_line(kind, found))
    return lines
