"""Messages in an editor's words: characters by name, YAML's complaints as what to fix.

PyYAML says "mapping values are not allowed here" or "expected <block end>, but found
'<scalar>'"; a journalist needs "a colon inside a value: put the value in quotes". Pure
functions of text, imported by the modules that raise the messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_CONTROL_NAMES = {
    0x00: "null",
    0x07: "bell",
    0x08: "backspace",
    0x09: "tab",
    0x0A: "line feed",
    0x0B: "vertical tab",
    0x0C: "form feed, a page break",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
    0xA0: "no-break space",
}


def char_name(char: str) -> str:
    """'U+000C (form feed (page break))', 'U+FFFE (a noncharacter)', 'U+200B (zero width space)'."""
    code = ord(char)
    if code in _CONTROL_NAMES:
        name = _CONTROL_NAMES[code]
    elif code < 0x20 or 0x80 <= code < 0xA0:
        name = "an invisible control character"
    elif 0xD800 <= code <= 0xDFFF:
        name = "half of a broken character (a lone surrogate)"
    elif 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        name = "a noncharacter"
    else:
        name = unicodedata.name(char, "an unnamed character").lower()
    return f"U+{code:04X} ({name})"


def char_names(chars: Iterable[str]) -> str:
    """Each distinct character of CHARS by char_name, joined with commas."""
    return ", ".join(char_name(c) for c in dict.fromkeys(chars))


_YAML = (
    (
        r"mapping values are not allowed",
        "a colon followed by a space inside a value: put the whole value in quotes",
    ),
    (
        r"found character '\\t' that cannot start any token|found a tab character",
        "a tab character: front matter is indented with spaces only; replace the tab by spaces",
    ),
    (
        r"found character .*that cannot start any token",
        "a value starts with a character YAML keeps for itself (such as @, ` or %): put the"
        " whole value in quotes",
    ),
    (
        r"could not find expected ':'",
        "a line that is not 'key: value' (a missing colon, or a value going on to the next"
        " line): add the colon, or put the whole value in quotes on one line",
    ),
    (
        r"found unexpected end of stream",
        "a quote is opened and never closed: close it at the end of the value",
    ),
    (
        r"found unknown escape character",
        "a backslash inside double quotes: write it twice (\\\\) or use single quotes",
    ),
    (
        r"found undefined (alias|tag handle)|expected alphabetic or numeric character",
        "a value starts with * & or !, which YAML reads as a reference: put it in quotes",
    ),
    (
        r"expected ',' or '\]'",
        "a list in [ ] is not closed, or an item in it has a comma or colon: put each item in"
        " quotes and close the list with ]",
    ),
    (
        r"expected ',' or '\}'",
        "a { } group is not closed, or a value in it has a comma: quote the values and close"
        " it with }",
    ),
    (
        r"expected <block end>, but found",
        "a line is indented differently from the lines around it, or text follows a quoted"
        " value: line up the keys, and quote the whole value",
    ),
    (
        r"expected <document start>|expected a single document",
        "a second '---' inside the front matter: remove it, or put the text in quotes",
    ),
)
_PARSER_WORDS = (
    ("<scalar>", "a value"),
    ("<block mapping start>", "a new key"),
    ("<block sequence start>", "a '- ' list"),
    ("<block end>", "the end of the block"),
    ("block mapping", "'key: value' lines"),
    ("flow mapping", "{ } group"),
    ("block sequence", "'- ' list"),
    ("flow sequence", "[ ] list"),
    ("plain scalar", "value"),
    ("quoted scalar", "quoted value"),
    ("simple key", "key"),
    ("scalar", "value"),
    ("mapping", "'key: value' lines"),
    ("end of stream", "end of the front matter"),
)


def yaml_problem(problem: str) -> str:
    """PyYAML's PROBLEM as what is wrong and what to do, with no parser words left in it."""
    for pattern, plain in _YAML:
        match = re.search(pattern, problem)
        if match:
            return plain.format(*(repr(g) for g in match.groups()))
    text = problem
    for word, plain in _PARSER_WORDS:
        text = text.replace(word, plain)
    return f"{text}: check the quotes, colons and indentation on this line"
