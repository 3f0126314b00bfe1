"""Other generators' template tags, read as calls: which tag, with which arguments, where.

Archives carry the template syntax of the generator that made them, and every generator
spells a call its own way:

    {{< figure src="a.jpg" >}}   {{% notice %}}…{{% /notice %}}      Hugo
    {% include note.html x=1 %}  {% highlight ruby %}…{% endhighlight %}   Jekyll (Liquid)
    {{ youtube(id="x") }}        {% quote(author="A") %}…{% end %}   Zola (Tera)
    {{ "/about/" | url }}        {% image "a.png", "Alt" %}          Eleventy
    {{image "x.png"}}                                                 Go templates

`read_tag` reads one of them at a position and says what it calls; `find_closer` finds
where a paired one ends. Nothing here renders: `shortcodes` decides what a call becomes.
Pure text → values.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

MAX_TAG = 4000
"""Characters one tag may span: a brace left open never swallows the rest of a body."""

_NAME = re.compile(r"[A-Za-z_][\w.-]*(?:/[\w.-]+)*")
_ARG = re.compile(
    r"""\s*,?\s*(?:([A-Za-z_][\w-]*)\s*=\s*)?"""
    r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|[^\s"'`,()=]+)""",
    re.S,
)
_VARIABLE = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*")
_GO_CALL = re.compile(r"([A-Za-z_]\w*)\s+(?=[\"'`\w./-])")
_TERA_CALL = re.compile(r"([A-Za-z_]\w*)\s*\(")


@dataclass(frozen=True, slots=True)
class Call:
    """One template tag as written in a body."""

    syntax: str
    """'hugo' ({{< >}}), 'hugo%' ({{% %}}), 'liquid' ({% %}), 'zola' (name(…) calls),
    'expression' ({{ … }}: variables and filters) or 'go' ({{name "arg"}})."""
    kind: str
    """'call' (a named tag), 'variable' ({{ site.baseurl }}), 'filter' ({{ "x" | url }}),
    'comment' (shown to nobody), 'escaped' (Hugo's {{</* x */>}}: shown as {{< x >}}) or
    'unknown' (an expression newsgen cannot read)."""
    name: str
    """The tag's name as written ('figure', 'post_url', 'endhighlight'), the variable's
    dotted path, or the last filter's name."""
    start: int
    end: int
    """Where the tag sits in the text it was read from (end exclusive)."""
    text: str
    """The tag exactly as written."""
    positional: tuple[Any, ...] = ()
    named: dict[str, Any] = field(default_factory=dict)
    closing: bool = False
    """A closing tag: {{< /note >}}, {% endnote %}, Tera's {% end %}."""
    self_closing: bool = False
    """Hugo's {{< note />}}: no inner text follows."""
    subject: Any = None
    """For a filter: the value it filters (a string literal, or a variable's path)."""
    subject_is_variable: bool = False
    shown: str = ""
    """For 'escaped': the tag as it is shown to readers."""

    @property
    def key(self) -> str:
        """The name the tag is looked up by: lowercase, without a closing tag's 'end'."""
        return self.name.lower()


def _value(raw: str) -> Any:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'`":
        inner = raw[1:-1]
        if raw[0] != "`":
            inner = re.sub(r"\\(.)", r"\1", inner)
        return inner
    if raw in ("true", "false"):
        return raw == "true"
    return raw


def parse_args(text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Arguments in any of the spellings: `a "b c" key=d key="e f"`, `"a", "b"`,
    `key="a", n=3`. Quoted values are strings; bare true and false are booleans."""
    positional: list[Any] = []
    named: dict[str, Any] = {}
    pos = 0
    while pos < len(text):
        match = _ARG.match(text, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        if match.group(1):
            named[match.group(1).lower()] = _value(match.group(2))
        else:
            positional.append(_value(match.group(2)))
    return tuple(positional), named


@functools.cache
def _until(closer: str) -> re.Pattern[str]:
    """What a tag may hold before CLOSER: quoted strings whole, no blank line."""
    first, rest = re.escape(closer[0]), re.escape(closer[1:])
    return re.compile(
        rf"""(?:[^"'`\n{first}]+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`"""
        rf"""|\n(?![ \t]*\n)|{first}(?!{rest}))*""",
        re.S,
    )


def _find_end(text: str, pos: int, closer: str) -> int:
    """Index of CLOSER after POS, outside quoted strings; -1 if none within MAX_TAG or
    before a blank line (a tag never spans paragraphs). One regular expression, so that
    a body of ten thousand unclosed `{{` costs little."""
    limit = min(len(text), pos + MAX_TAG)
    if text.find(closer, pos, limit + len(closer)) < 0:
        return -1
    end = _until(closer).match(text, pos, limit).end()  # type: ignore[union-attr]
    return end if text.startswith(closer, end) and end < limit else -1


def read_tag(text: str, pos: int) -> Call | None:
    """The template tag that starts at POS (where TEXT has '{'), or None if there is none."""
    if not text.startswith("{", pos):
        return None
    if text.startswith(("{{<", "{{%"), pos):
        return _hugo(text, pos)
    if text.startswith("{%", pos):
        return _liquid(text, pos)
    if text.startswith("{{", pos):
        return _expression(text, pos)
    return None


def _hugo(text: str, pos: int) -> Call | None:
    mark = text[pos + 2]
    closer = (">" if mark == "<" else "%") + "}}"
    i = pos + 3
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if text.startswith("/*", i):  # {{</* figure */>}}: Hugo's way to show a tag as text
        end = text.find("*/", i + 2, i + MAX_TAG)
        if end < 0:
            return None
        stop = end + 2
        while stop < len(text) and text[stop] in " \t\n":
            stop += 1
        if not text.startswith(closer, stop):
            return None
        inner = text[i + 2 : end].strip()
        whole = text[pos : stop + 3]
        shown = "{{" + mark + " " + inner + " " + closer
        return Call("hugo", "escaped", "", pos, stop + 3, whole, shown=shown)
    closing = text.startswith("/", i)
    if closing:
        i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
    name = _NAME.match(text, i)
    if name is None:
        return None
    end = _find_end(text, name.end(), closer)
    if end < 0:
        return None
    args = text[name.end() : end].strip()
    self_closing = args.endswith("/")
    if self_closing:
        args = args[:-1]
    positional, named = parse_args(args)
    syntax = "hugo" if mark == "<" else "hugo%"
    return Call(
        syntax,
        "call",
        name.group(0),
        pos,
        end + 3,
        text[pos : end + 3],
        positional,
        named,
        closing=closing,
        self_closing=self_closing,
    )


def _liquid(text: str, pos: int) -> Call | None:
    i = pos + 2
    if text.startswith("-", i):
        i += 1
    while i < len(text) and text[i] in " \t\n":
        i += 1
    name = re.compile(r"[A-Za-z_]\w*").match(text, i)
    if name is None:
        return None
    end = _find_end(text, name.end(), "%}")
    if end < 0:
        return None
    whole = text[pos : end + 2]
    inner = text[name.end() : end].rstrip()
    if inner.endswith("-"):
        inner = inner[:-1]
    word = name.group(0)
    tera = re.match(r"\s*\(", inner)
    if tera:  # Zola: {% quote(author="A") %}…{% end %}
        close = inner.rfind(")")
        positional, named = parse_args(inner[tera.end() : close if close >= 0 else None])
        return Call("zola", "call", word, pos, end + 2, whole, positional, named)
    lowered = word.lower()
    closing = lowered == "end" or (lowered.startswith("end") and len(word) > 3)
    positional, named = parse_args(inner)
    return Call("liquid", "call", word, pos, end + 2, whole, positional, named, closing=closing)


def _expression(text: str, pos: int) -> Call | None:
    i = pos + 2
    if text.startswith("-", i):
        i += 1
    end = _find_end(text, i, "}}")
    if end < 0:
        return None
    whole = text[pos : end + 2]
    inner = text[i:end].strip()
    if inner.endswith("-"):
        inner = inner[:-1].rstrip()
    stop = end + 2
    if inner.startswith("/*") and inner.endswith("*/"):  # a Go template comment
        return Call("expression", "comment", "", pos, stop, whole)
    if not inner:
        return Call("expression", "unknown", "", pos, stop, whole)
    tera = _TERA_CALL.match(inner)
    if tera and inner.endswith(")"):  # Zola: {{ youtube(id="x") }}
        positional, named = parse_args(inner[tera.end() : -1])
        return Call("zola", "call", tera.group(1), pos, stop, whole, positional, named)
    if "|" in inner:
        return _filtered(inner, pos, stop, whole)
    variable = _VARIABLE.fullmatch(inner)
    if variable:
        return Call("expression", "variable", inner, pos, stop, whole)
    go = _GO_CALL.match(inner)
    if go:  # Go templates: {{image "x.png"}}, {{code "x.go" `/START/` `/END/`}}
        positional, named = parse_args(inner[go.end() :])
        return Call("go", "call", go.group(1), pos, stop, whole, positional, named)
    return Call("expression", "unknown", inner, pos, stop, whole)


def _filtered(inner: str, pos: int, stop: int, whole: str) -> Call:
    """`"x" | relative_url`, `site.baseurl | append: "/x"`, `"/a/" | url`: the subject and
    the last filter with its arguments (earlier filters are not applied)."""
    parts = _split_pipes(inner)
    subject_text = parts[0].strip()
    subject: Any
    is_variable = False
    if len(subject_text) >= 2 and subject_text[0] == subject_text[-1] and subject_text[0] in "\"'":
        subject = _value(subject_text)
    elif _VARIABLE.fullmatch(subject_text):
        subject, is_variable = subject_text, True
    else:
        return Call("expression", "unknown", inner, pos, stop, whole)
    if len(parts) != 2:
        return Call("expression", "unknown", inner, pos, stop, whole)
    filter_text = parts[1].strip()
    name, _, args = filter_text.partition(":")
    name = name.strip()
    if not re.fullmatch(r"[A-Za-z_]\w*", name):
        return Call("expression", "unknown", inner, pos, stop, whole)
    positional, named = parse_args(args)
    return Call(
        "expression",
        "filter",
        name,
        pos,
        stop,
        whole,
        positional,
        named,
        subject=subject,
        subject_is_variable=is_variable,
    )


def _split_pipes(text: str) -> list[str]:
    parts: list[str] = []
    quote = ""
    last = 0
    for i, c in enumerate(text):
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "|":
            parts.append(text[last:i])
            last = i + 1
    parts.append(text[last:])
    return parts


def closes(opener: Call, call: Call) -> bool:
    """Whether CALL is the closing tag of OPENER."""
    if not call.closing:
        return False
    if opener.syntax in ("hugo", "hugo%"):
        return call.syntax in ("hugo", "hugo%") and call.key == opener.key
    if opener.syntax == "zola":
        return call.syntax == "liquid" and call.key == "end"
    return call.syntax == "liquid" and call.key == "end" + opener.key


def opens(opener: Call, call: Call) -> bool:
    """Whether CALL opens another block like OPENER (so the next closer is not OPENER's)."""
    if call.closing or call.kind != "call":
        return False
    return call.key == opener.key and call.syntax == opener.syntax


@functools.lru_cache(maxsize=16)
def _calls(text: str) -> tuple[list[Call], dict[int, int]]:
    """Every tag of TEXT, and the index of each by its start (one pass per text)."""
    calls = scan(text)
    return calls, {call.start: index for index, call in enumerate(calls)}


@functools.lru_cache(maxsize=64)
def _pairs(text: str, syntax: str, key: str) -> dict[int, Call]:
    """Opener start → its closer, for the tags like (SYNTAX, KEY) in TEXT: one pass with a
    stack, so a thousand unclosed `{% raw %}` cost no more than reading them."""
    calls, _ = _calls(text)
    stack: list[Call] = []
    found: dict[int, Call] = {}
    for call in calls:
        if stack and closes(stack[-1], call):
            found[stack.pop().start] = call
        elif call.kind == "call" and not call.closing and (call.syntax, call.key) == (syntax, key):
            stack.append(call)
    return found


def find_closer(text: str, opener: Call, limit: int | None = None) -> Call | None:
    """The tag that closes OPENER in TEXT after it (nested pairs of the same name counted)."""
    if opener.start in _calls(text)[1]:
        closer = _pairs(text, opener.syntax, opener.key).get(opener.start)
        return closer if closer is not None and (limit is None or closer.start < limit) else None
    depth = 0
    pos = opener.end
    stop = len(text) if limit is None else limit
    while True:
        pos = text.find("{", pos, stop)
        if pos < 0:
            return None
        call = read_tag(text, pos)
        if call is None:
            pos += 1
            continue
        if closes(opener, call):
            if depth == 0:
                return call
            depth -= 1
        elif opens(opener, call):
            depth += 1
        pos = call.end


def scan(text: str, start: int = 0, stop: int | None = None) -> list[Call]:
    """Every tag in TEXT[START:STOP], left to right, none inside another."""
    calls: list[Call] = []
    end = len(text) if stop is None else stop
    pos = start
    while True:
        pos = text.find("{", pos, end)
        if pos < 0:
            return calls
        call = read_tag(text, pos)
        if call is None or call.end > end:
            pos += 1
            continue
        calls.append(call)
        pos = call.end


def shorten_tag(tag: str) -> str:
    """A tag as messages quote it: on one line, at most about 60 characters."""
    text = " ".join(tag.split())
    return text if len(text) <= 60 else text[:57] + "…" + text[-2:]
