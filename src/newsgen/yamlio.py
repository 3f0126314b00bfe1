"""YAML mappings with file line numbers, for newsgen.yaml and front matter alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

import yaml

from newsgen.errors import ContentError, shown_path
from newsgen.wording import yaml_problem

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """SafeLoader whose impossible timestamps stay strings.

    PyYAML raises a bare ValueError (no line) for `2025-13-45`; keeping the
    string lets the field coercion report it at the key's line.
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> date | datetime | str:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):  # `!!timestamp x` is not even date-shaped
        return str(node.value)


def _marked(kind: str, construct: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """PyYAML's CONSTRUCT, its bare errors (`!!int x`, `!!bool maybe`, a 5,000-digit number)
    given the node's line. Plain scalars never fail; explicit tags and huge numbers can."""

    def marked(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, KeyError, AttributeError, TypeError):
            value = str(node.value)
            if kind == "number" and len(value) > 1000:
                problem = f"a number with {len(value):,} digits"
            else:
                shown = value if len(value) <= 40 else value[:40] + "…"
                problem = f"{shown!r} is not a {kind}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    return marked


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
for _tag, _kind, _construct in (
    ("int", "number", yaml.SafeLoader.construct_yaml_int),
    ("float", "number", yaml.SafeLoader.construct_yaml_float),
    ("bool", "boolean (true or false)", yaml.SafeLoader.construct_yaml_bool),
):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _marked(_kind, _construct))


def decode_utf8(raw: bytes, path: PurePosixPath) -> str:
    """UTF-8 (a BOM is allowed), or a ContentError at the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ContentError(path, line, f"is not valid UTF-8 (byte 0x{raw[e.start]:02x})") from None


def parse_mapping(
    text: str,
    path: PurePosixPath,
    first_line: int,
    what: str,
    repeats: list[tuple[str, int, int]] | None = None,
) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse a YAML mapping; return it with each top-level key's line in the file.

    `first_line` is the file line of the YAML text's first line. An empty
    document is an empty mapping. A key given twice is an error, unless REPEATS is a list:
    then the last value wins (as Ruby's YAML reads it, and so Jekyll), its line is the
    key's line, and (key, first line, repeated line) is added to REPEATS.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            message = f"{what} must be 'key: value' lines, such as title: \"A headline\""
            raise ContentError(path, node.start_mark.line + first_line, message)
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + first_line
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise ContentError(path, line, f"{what} keys must be plain names")
            if key in lines:
                if repeats is None:
                    message = f"duplicate key '{shown_path(key)}' (first on line {lines[key]})"
                    raise ContentError(path, line, message)
                repeats.append((key, lines[key], line))
            lines[key] = line
            _entry_lines(key, value_node, first_line, lines)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as e:
        # Point at where the broken construct starts (an unclosed '[' or quote), which is
        # where the fix goes; the place PyYAML gave up is often a later line.
        mark = e.context_mark or e.problem_mark
        line = mark.line + first_line if mark else first_line
        message = f"{what} is not valid YAML: {yaml_problem(e.problem or '')}"
        if e.context and e.problem_mark and e.problem_mark.line != getattr(mark, "line", None):
            message += f" (noticed on line {e.problem_mark.line + first_line})"
        raise ContentError(path, line, message) from None
    except yaml.YAMLError as e:
        raise ContentError(path, first_line, f"invalid YAML in {what}: {e}") from None
    finally:
        loader.dispose()
    return {str(k): v for k, v in data.items()}, lines


def _entry_lines(key: str, node: yaml.Node, first_line: int, lines: dict[str, int]) -> None:
    """The lines of a list's mappings under KEY ('corrections.0') and of their keys
    ('corrections.0.date'), so a problem in one entry of a list is named at its line."""
    if not isinstance(node, yaml.SequenceNode):
        return
    if not any(isinstance(item, yaml.MappingNode) for item in node.value):
        return  # a list of names (tags, authors): its key's line says where
    for index, item in enumerate(node.value):
        lines.setdefault(f"{key}.{index}", item.start_mark.line + first_line)
        if isinstance(item, yaml.MappingNode):
            for sub, _ in item.value:
                if isinstance(sub, yaml.ScalarNode):
                    name = f"{key}.{index}.{sub.value}"
                    lines.setdefault(name, sub.start_mark.line + first_line)
