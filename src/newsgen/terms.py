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


def _find(
    notes: Mapping[tuple[str, str], tuple[PurePosixPath, TermNote]],
    kind: str,
    term: Tag | Author,
    used: set[PurePosixPath],
) -> TermNote | None:
    """The note of TERM (a tag or author) in NOTES, by what its folder may be called; its
    file is added to USED."""
    for name in (term.slug, term_slug(term.name, "hugo"), slugify(term.name), term.key):
        found = notes.get((kind, _fold(name)))
        if found is not None:
            used.add(found[0])
            return found[1]
    return None


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

        tags = tuple(
            dataclasses.replace(e, note=_find(mine, "tag", e.tag, used)) for e in edition.tags
        )
        authors = tuple(
            dataclasses.replace(e, note=_find(mine, "author", e.author, used))
            for e in edition.authors
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
