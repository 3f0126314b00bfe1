"""A site's own templates for other generators' tags, and its data files, read from disk.

    templates/shortcodes/NAME.html   renders {{< NAME >}}, {% NAME %}, {{ NAME(…) }},
                                     {{ "x" | NAME }} and {{NAME "x"}} alike
    templates/includes/NAME          renders Jekyll's {% include NAME %}
    data/**/*.yaml|yml|json|toml     `data` in those templates (data/people.yaml: data.people)

Bodies render with the result (`bodies.TagLibrary`, values only); this module is the one
place that reads those files. A template that does not compile is an error at its line.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
import yaml

from newsgen.bodies.job import UNCARRIED
from newsgen.bodies.shortcodes import (
    INCLUDES_DIR,
    SHORTCODES_DIR,
    TagLibrary,
    environment,
    library_digest,
)
from newsgen.errors import ContentError, ContentWarning
from newsgen.fsutil import DATA_DIR

DATA_SUFFIXES = (".yaml", ".yml", ".json", ".toml")


def _texts(root: Path, folder: str, pattern: str) -> dict[str, tuple[PurePosixPath, str]]:
    base = root / folder
    if not base.is_dir():
        return {}
    found: dict[str, tuple[PurePosixPath, str]] = {}
    for path in sorted(base.glob(pattern)):
        if path.is_file() and not path.name.startswith("."):
            rel = PurePosixPath(path.relative_to(root).as_posix())
            name = path.relative_to(base).as_posix()
            found[name] = (rel, path.read_text(encoding="utf-8", errors="replace"))
    return found


def _data(path: PurePosixPath, text: str) -> Any:
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as e:
        raise ContentError(path, e.lineno, f"is not valid JSON: {e.msg}") from None
    except tomllib.TOMLDecodeError as e:
        raise ContentError(path, None, f"is not valid TOML: {e}") from None
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise ContentError(path, line, f"is not valid YAML: {e.problem}") from None
    except yaml.YAMLError as e:
        raise ContentError(path, None, f"is not valid YAML: {e}") from None


def _carried(value: Any, dropped: set[str]) -> Any:
    """VALUE without the characters pages and feeds cannot carry (a JSON `\\ud800`, a YAML
    `\\x07`), in keys and values at any depth; what was dropped goes into DROPPED."""
    if isinstance(value, str):
        found = UNCARRIED.findall(value)
        if found:
            dropped.update(found)
            return UNCARRIED.sub("", value)
        return value
    if isinstance(value, dict):
        return {_carried(k, dropped): _carried(v, dropped) for k, v in value.items()}
    if isinstance(value, list):
        return [_carried(v, dropped) for v in value]
    return value


def _put(tree: dict[str, Any], name: str, value: Any) -> None:
    *folders, leaf = PurePosixPath(name).with_suffix("").parts
    for folder in folders:
        node = tree.setdefault(folder, {})
        if not isinstance(node, dict):
            return
        tree = node
    tree[leaf] = value


def read_library(root: Path) -> tuple[TagLibrary, list[ContentError]]:
    """The site's tag templates and data, and the problems in them (each at its file)."""
    problems: list[ContentError] = []
    shortcodes = {
        name[: -len(".html")].lower(): found
        for name, found in _texts(root, SHORTCODES_DIR, "*.html").items()
    }
    includes = _texts(root, INCLUDES_DIR, "**/*")
    data_files = {
        name: found
        for name, found in _texts(root, DATA_DIR, "**/*").items()
        if PurePosixPath(name).suffix.lower() in DATA_SUFFIXES
    }
    data: dict[str, Any] = {}
    for name, (rel, text) in data_files.items():
        try:
            dropped: set[str] = set()
            _put(data, name, _carried(_data(rel, text), dropped))
        except ContentError as e:
            problems.append(e)
            continue
        if dropped:
            codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(dropped))
            message = f"dropped {codes}: characters pages and feeds cannot carry"
            problems.append(ContentWarning(rel, None, message))
    library = TagLibrary(
        shortcodes={name: text for name, (_, text) in shortcodes.items()},
        includes={name: text for name, (_, text) in includes.items()},
        data=data,
        digest=library_digest(
            {n: t for n, (_, t) in shortcodes.items()},
            {n: t for n, (_, t) in includes.items()},
            {n: t for n, (_, t) in data_files.items()},
        ),
    )
    env = environment(library)
    for prefix, items in (
        ("shortcodes/", {f"{n}.html": f for n, f in shortcodes.items()}),
        ("includes/", includes),
    ):
        for name, (rel, _) in items.items():
            try:
                env.get_template(prefix + name)
            except jinja2.TemplateSyntaxError as e:
                problems.append(ContentError(rel, e.lineno, f"template error: {e.message}"))
    return library, problems
