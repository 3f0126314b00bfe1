"""Hugo's term pages (`articles/tags/NAME/_index.md`) matched to the tags and authors they
describe. Pure.

Hugo names a term's folder by the term's slug (`tags/sécurité/` for the tag Sécurité), so a
folder matches a tag (or author) by that slug, by newsgen's, by the site's rule's, or by the
name itself, whatever the case.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath

from newsgen.errors import ContentError, ContentWarning
from newsgen.models import Author, Site, SiteConfig, Tag, TermNote
from newsgen.slugs import term_slug
from newsgen.urls import slugify, source_language

_KIND = {"tags": "tag", "categories": "tag", "authors": "author"}


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _exact(term: Tag | Author) -> tuple[str, ...]:
    """What a term's folder is called when it names this term and no other: its URL slug,
    or its name as written (whatever the case)."""
    return (term.slug, term.name)


def _loose(term: Tag | Author) -> tuple[str, ...]:
    """What else it may be called, as Hugo's or newsgen's rule slugs its name: several
    terms may share these (C, C++ and C# are all 'c')."""
    return (term_slug(term.name, "hugo"), slugify(term.name), term.key)


def _matched(
    notes: Mapping[tuple[str, str], tuple[PurePosixPath, TermNote]],
    kind: str,
    terms: Sequence[Tag | Author],
    used: set[PurePosixPath],
    problems: list[ContentError],
) -> list[TermNote | None]:
    """The note of each of TERMS in NOTES: first by its exact names, then, for a file no
    term named exactly, by a looser name that only one term has (a file describes one
    term: one that several could be is named in a warning, and used for none). Each file
    used is added to USED."""
    found: list[TermNote | None] = [None] * len(terms)
    taken: set[tuple[str, str]] = set()
    for index, term in enumerate(terms):
        for name in _exact(term):
            key = (kind, _fold(name))
            if key in notes and key not in taken:
                found[index] = notes[key][1]
                taken.add(key)
                break
    claims: dict[tuple[str, str], list[int]] = {}
    for index, term in enumerate(terms):
        if found[index] is not None:
            continue
        for name in dict.fromkeys(_fold(n) for n in _loose(term)):
            key = (kind, name)
            if key in notes and key not in taken:
                claims.setdefault(key, []).append(index)
                break
    for key, indexes in claims.items():
        path, note = notes[key]
        if len(indexes) == 1:
            found[indexes[0]] = note
            taken.add(key)
            continue
        if path in used:
            continue  # named already, for another language's tags
        names = ", ".join(f"'{terms[i].name}'" for i in indexes)
        message = (
            f"could be the page of the {kind}s {names}; it is used for none (name its folder"
            " as one of them is spelled)"
        )
        problems.append(ContentWarning(path, None, message))
        used.add(path)  # named here: not also as describing nothing
    used.update(notes[key][0] for key in taken)
    return found


def _rank(term: tuple[PurePosixPath, TermNote], codes: Sequence[str]) -> tuple[bool, bool, str]:
    path, note = term
    return source_language(path, codes) is not None, note.taxonomy == "tags", str(path)


def with_notes(
    editions: Sequence[Site],
    terms: Sequence[tuple[PurePosixPath, TermNote]],
    config: SiteConfig,
    problems: list[ContentError],
) -> tuple[Site, ...]:
    """EDITIONS (one site, or one per language) with each tag's and author's note: the
    term file in the edition's language, else one in no language. A file that describes
    no tag or author of its language is named in a warning."""
    if not terms:
        return tuple(editions)
    codes = [language.code for language in config.languages]
    used: set[PurePosixPath] = set()
    result = []
    for edition in editions:
        code = edition.language.code if edition.language is not None else None
        mine: dict[tuple[str, str], tuple[PurePosixPath, TermNote]] = {}
        # A later file replaces an earlier one: the language's own over one in no language,
        # a tags/ file over a categories/ one.
        for path, note in sorted(terms, key=lambda t: _rank(t, codes)):
            if source_language(path, codes) in (None, code):
                mine[(_KIND[note.taxonomy], _fold(note.name))] = (path, note)

        tag_notes = _matched(mine, "tag", [e.tag for e in edition.tags], used, problems)
        tags = tuple(
            dataclasses.replace(e, note=note)
            for e, note in zip(edition.tags, tag_notes, strict=True)
        )
        people = [e.author for e in edition.authors]
        author_notes = _matched(mine, "author", people, used, problems)
        authors = tuple(
            dataclasses.replace(e, note=note)
            for e, note in zip(edition.authors, author_notes, strict=True)
        )
        result.append(dataclasses.replace(edition, tags=tags, authors=authors))
    for path, note in terms:
        if path not in used:
            kind = _KIND[note.taxonomy]
            message = (
                f"is the page of the {kind} '{note.name}' (Hugo's {note.taxonomy}/{note.name}/),"
                f" but no published article has that {kind}; not used"
            )
            problems.append(ContentWarning(path, None, message))
    return tuple(result)
