"""The theme's words in each language: `i18n/LANG.yaml` of the built-in theme, then the
site's own `i18n/LANG.yaml`, key by key. Reads those files only."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from newsgen.errors import ContentError, ContentWarning
from newsgen.fsutil import I18N_DIR, is_ignored
from newsgen.models import Catalogue
from newsgen.theme import builtin_theme_dir
from newsgen.yamlio import decode_utf8, parse_mapping

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories: a word's forms in a language ({one: …, other: …})."""

Table = dict[str, str | Mapping[str, str]]


def read_catalogue(root: Path) -> tuple[Catalogue, list[ContentError]]:
    """The theme's catalogues with the site's (in ROOT/i18n/) over them, and the problems
    found in the site's (a file that is not YAML is an error; a value that is not text, a
    warning). The theme's English catalogue names every word the theme shows."""
    problems: list[ContentError] = []
    theme_root = builtin_theme_dir()
    digest = hashlib.sha256()
    theme, _ = _tables(theme_root, digest, problems)
    site: dict[str, Table] = {}
    places: list[tuple[PurePosixPath, int, str]] = []
    if root.resolve() != theme_root.resolve():  # the demo site is the theme's own folder
        site, places = _tables(root, digest, problems)
    words = {
        code: {**theme.get(code, {}), **site.get(code, {})} for code in sorted({*theme, *site})
    }
    return Catalogue(words, tuple(places), digest.hexdigest()[:32]), problems


def _tables(
    root: Path, digest: Any, problems: list[ContentError]
) -> tuple[dict[str, Table], list[tuple[PurePosixPath, int, str]]]:
    """Each `i18n/*.yaml` under ROOT: language code → its table, and where each key is."""
    folder = root / I18N_DIR
    tables: dict[str, Table] = {}
    places: list[tuple[PurePosixPath, int, str]] = []
    if not folder.is_dir():
        return tables, places
    for path in sorted(folder.iterdir()):
        if is_ignored(path.name) or path.suffix.lower() not in (".yaml", ".yml"):
            continue
        rel = PurePosixPath(I18N_DIR, path.name)
        if not path.is_file():  # a folder, a pipe (reading it would wait for ever), a device
            message = "is not a file that can be read; not used"
            problems.append(ContentWarning(rel, None, message))
            continue
        try:
            raw = path.read_bytes()
            digest.update(f"{rel}\n".encode())
            digest.update(raw)
            data, lines = parse_mapping(decode_utf8(raw, rel), rel, 1, "a word catalogue")
        except OSError as e:
            problems.append(ContentError(rel, None, f"cannot be read ({e.strerror or e})"))
            continue
        except ContentError as e:
            problems.append(e)
            continue
        code = path.stem.lower().replace("_", "-")  # zh_Hant.yaml: zh-hant
        if code in tables:
            message = f"gives the words of '{code}' again, after another file; not used"
            problems.append(ContentWarning(rel, None, message))
            continue
        table: Table = {}
        for key, value in data.items():
            if not isinstance(key, str) or key not in lines:
                # YAML reads `no:`, `on:` or `~:` as false, true or null, not as the words.
                message = (
                    f"a key YAML read as {key}, not as words: put the key in quotes"
                    ' ("No": …); left out'
                )
                problems.append(ContentWarning(rel, None, message))
                continue
            line = lines.get(key, 1)
            text = _text(value)
            if text is None:
                forms = ", ".join(PLURAL_FORMS)
                message = (
                    f"'{key}' is left out: its value must be text, or a table of plural "
                    f"forms ({forms}) holding text"
                )
                problems.append(ContentWarning(rel, line, message))
                continue
            text, dropped = _carried(text)
            if dropped:
                message = f"'{key}' holds control characters pages cannot carry; they are dropped"
                problems.append(ContentWarning(rel, line, message))
            wrong = _placeholders_differ(key, text)
            if wrong:
                message = (
                    f"'{key}' must name the same {{placeholders}} as its key ({wrong}):"
                    " without them a page would show the name, or lose what it stands for;"
                    " the theme's words are used"
                )
                problems.append(ContentWarning(rel, line, message))
                continue
            table[key] = text
            places.append((rel, line, key))
        tables[code] = table
    return tables, places


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _carried(text: str | Mapping[str, str]) -> tuple[str | Mapping[str, str], bool]:
    """TEXT without the control characters HTML cannot carry, and whether any were there."""
    if isinstance(text, str):
        clean = _CONTROL.sub("", text)
        return clean, clean != text
    forms = {form: _CONTROL.sub("", value) for form, value in text.items()}
    return forms, forms != dict(text)


def _placeholders_differ(key: str, text: str | Mapping[str, str]) -> str:
    """What differs between KEY's `{names}` and each of TEXT's forms, or ''. A plural form
    may leave out `{count}` ("one hour" for "{count} hours")."""
    wanted = set(_PLACEHOLDER.findall(key))
    for value in [text] if isinstance(text, str) else list(text.values()):
        given = set(_PLACEHOLDER.findall(value))
        missing = wanted - given - ({"count"} if not isinstance(text, str) else set())
        extra = given - wanted
        if missing or extra:
            parts = [f"{{{n}}} missing" for n in sorted(missing)]
            parts += [f"{{{n}}} unknown" for n in sorted(extra)]
            return ", ".join(parts)
    return ""


def _text(value: Any) -> str | Mapping[str, str] | None:
    if isinstance(value, str):
        return value
    if (
        isinstance(value, dict)
        and "other" in value
        and all(k in PLURAL_FORMS and isinstance(v, str) for k, v in value.items())
    ):
        return {str(k): v for k, v in value.items()}
    return None


def unknown_keys(catalogue: Catalogue, asked: Iterable[str]) -> list[ContentError]:
    """A warning at each key of the site's catalogues that no template asks for (ASKED: the
    keys the templates name), with the nearest key that one does."""
    known = set(asked)
    problems: list[ContentError] = []
    for rel, line, key in catalogue.places:
        if key in known:
            continue
        near = difflib.get_close_matches(key, sorted(known), n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        message = f"'{key}' names no word the templates show, so it is not used{hint}"
        problems.append(ContentWarning(rel, line, message))
    return problems
