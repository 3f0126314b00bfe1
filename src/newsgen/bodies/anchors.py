"""Heading ids as the generator an archive came from made them (`markdown.anchors`).

Links from other sites and a body's own `#links` name headings by the ids the old
generator wrote, and every generator spells them its own way. Each style here follows
that generator's own code, duplicates included:

- github: github.com and github-slugger 2;
- jekyll: kramdown-parser-gfm (Jekyll 4's default `GFM` input): repeats numbered without
  checking for collisions, as Jekyll does;
- hugo: Goldmark's `autoIDType: github` (Hugo's default), typographer first;
- zola: the `slug` crate with `anchors = "on"`; letters without a Latin decomposition are
  read with a small table instead of the `deunicode` crate, so Cyrillic, CJK and emoji
  headings get ids Zola would not make (docs/bodies.md says so);
- pelican: Python-Markdown's `toc` extension with its default `slugify` (Pelican writes
  no ids unless `toc` is enabled; archives that enabled it used this);
- eleventy: markdown-it-anchor's default slugify (Eleventy writes no ids itself; the sites
  that have them added that plugin), punctuation kept and percent-encoded.

Input is a heading's plain text as rendered (code spans as their text), before newsgen's
typographic quotes. Pure functions of text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence, Set
from urllib.parse import quote

# Circled and squared Latin letters: Alphabetic, although their category is So.
_ALPHA_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))


def _word_char(ch: str) -> bool:
    """Alphabetic, marks, decimal digits and connector punctuation (Onigmo's \\p{Word},
    and github-slugger's keep-set)."""
    cat = unicodedata.category(ch)
    if cat[0] in "LM" or cat in ("Nd", "Nl", "Pc"):
        return True
    code = ord(ch)
    return any(a <= code <= b for a, b in _ALPHA_SYMBOLS)


def _typographer(text: str) -> str:
    """kramdown's and Goldmark's typographer on dashes, ellipses and guillemets (their
    quotes are removed with the other punctuation either way)."""
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    return text.replace("<<", "\u00ab").replace(">>", "\u00bb")


_NOT_GITHUB_ASCII = re.compile(r"[^a-z0-9_ -]")
"""What github-slugger drops from lowercase ASCII: all but letters, digits, `_`, space, `-`."""


def slug_github(text: str) -> str:
    if text.isascii():  # the same as below, without a Unicode lookup per character
        return _NOT_GITHUB_ASCII.sub("", text.lower()).replace(" ", "-")
    return "".join("-" if ch == " " else ch for ch in text.lower() if ch in " -" or _word_char(ch))


def slug_jekyll(text: str) -> str:
    text = "".join(ch.lower() for ch in text)  # Ruby: no final sigma
    return "".join("-" if ch in " \t" else ch for ch in text if ch in " \t-" or _word_char(ch))


def _go_lower(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else "i"  # only U+0130 lowers to two characters


def slug_hugo(text: str) -> str:
    out = []
    for ch in text.strip(" \t\n\v\f\r\x85\xa0\u2028\u2029"):
        cat = unicodedata.category(ch)
        if ch in "- ":
            out.append("-")
        elif ch == "_" or cat[0] == "L" or cat == "Nd":
            out.append(_go_lower(ch))
    return "".join(out)


_LATIN_EXTRA = {
    "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "ß": "ss", "Œ": "OE", "œ": "oe", "Ð": "D",
    "ð": "d", "Þ": "Th", "þ": "th", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i",
    "Ħ": "H", "ħ": "h", "Ŋ": "NG", "ŋ": "NG", "ĸ": "k", "Ŧ": "T", "ŧ": "t", "ƒ": "f",
}  # fmt: skip


def _transliterate(ch: str) -> str:
    if ch in _LATIN_EXTRA:
        return _LATIN_EXTRA[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    ascii_part = "".join(c for c in decomposed if ord(c) < 0x80)
    if ascii_part:
        return ascii_part
    return "" if unicodedata.category(ch)[0] == "M" else "-"


def slug_zola(text: str) -> str:
    out: list[str] = []
    dash = True  # no leading '-'
    for ch in text:
        for c in ch if ord(ch) < 0x80 else _transliterate(ch):
            if c.isascii() and c.isalnum():
                out.append(c.lower())
                dash = False
            elif not dash:
                out.append("-")
                dash = True
    slug = "".join(out)
    return slug[:-1] if slug.endswith("-") else slug


def slug_pelican(text: str) -> str:
    text = " ".join(text.split())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def slug_eleventy(text: str) -> str:
    """markdown-it-anchor's default: JavaScript's `encodeURIComponent` of the lowercased
    text with runs of white space as one hyphen; punctuation stays, percent-encoded."""
    return quote("-".join(text.strip().lower().split()), safe="-_.!~*'()", errors="replace")


def _numbered_github(slugs: Sequence[str], taken: set[str]) -> list[str]:
    seen: dict[str, int] = dict.fromkeys(taken, 0)
    out = []
    for slug in slugs:
        result = slug
        while result in seen:
            seen[slug] = seen.get(slug, 0) + 1
            result = f"{slug}-{seen[slug]}"
        seen[result] = 0
        out.append(result)
    return out


def _numbered_jekyll(slugs: Sequence[str], taken: set[str]) -> list[str]:
    counter: dict[str, int] = {}
    out = []
    for slug in slugs:
        counter[slug] = counter.get(slug, -1) + 1
        out.append(slug + (f"-{counter[slug]}" if counter[slug] else ""))
    return out


def _numbered_free(slugs: Sequence[str], taken: set[str], empty: str = "") -> list[str]:
    """Hugo and Zola: the first free NAME-n."""
    used = set(taken)
    tried: dict[str, int] = {}
    """Where the search for a free NAME-n stopped last (names are never freed)."""
    out = []
    for slug in slugs:
        slug = slug or empty
        if slug in used:
            n = tried.get(slug, 1)
            while f"{slug}-{n}" in used:
                n += 1
            tried[slug] = n
            slug = f"{slug}-{n}"
        used.add(slug)
        out.append(slug)
    return out


_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


def _numbered_pelican(slugs: Sequence[str], taken: set[str]) -> list[str]:
    used = set(taken)
    out = []
    for slug in slugs:
        while slug in used or not slug:
            match = _COUNTED.match(slug)
            slug = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{slug}_1"
        used.add(slug)
        out.append(slug)
    return out


Numbering = Callable[[Sequence[str], set[str]], list[str]]
_STYLES: dict[str, tuple[Callable[[str], str], Numbering, bool]] = {
    "github": (slug_github, _numbered_github, False),
    "jekyll": (slug_jekyll, _numbered_jekyll, True),
    "hugo": (slug_hugo, lambda slugs, taken: _numbered_free(slugs, taken, "heading"), True),
    "zola": (slug_zola, _numbered_free, False),
    "pelican": (slug_pelican, _numbered_pelican, False),
    "eleventy": (slug_eleventy, _numbered_free, False),
}

Heading = str | Sequence[tuple[str, bool]]
"""A heading's text, or its pieces as (text, is code): typographers leave code alone."""


def heading_ids(
    style: str, headings: Sequence[Heading], taken: Set[str] = frozenset()
) -> list[str]:
    """One document's heading ids, in order, as STYLE's generator makes them. TAKEN are ids
    the page already uses (footnotes, ids written by hand), which a heading may not repeat
    where the generator itself avoids repeats."""
    slug, numbered, typography = _STYLES[style]
    texts = []
    for heading in headings:
        pieces = [(heading, False)] if isinstance(heading, str) else heading
        texts.append(
            "".join(t if code or not typography else _typographer(t) for t, code in pieces)
        )
    return numbered([slug(text) for text in texts], set(taken))


def _skeleton(text: str) -> str:
    """Letters and digits only, lowercase, Latin accents dropped: what every slug keeps."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def linked_ids(headings: Sequence[tuple[str, str]], fragments: Mapping[str, int]) -> dict[int, str]:
    """Heading index → the id the body's own `#links` use for it, where that is not ours.

    An archive's in-page links follow its old generator even where the setting does not
    (a site moved twice). A link whose letters and digits are a heading's (or start with
    them, when the old scheme spelled emoji out) gets that heading's id. Where spellings
    compete for one heading, the one more links use wins.
    """
    ids = {heading_id for heading_id, _ in headings}
    changes: dict[int, str] = {}
    others = fragments.keys() - ids
    if not others:  # the usual body: its links (if any) use the ids it has
        return changes
    skeletons = [_skeleton(text) for _, text in headings]
    for fragment in sorted(others, key=lambda f: (-fragments[f], f)):
        wanted = _skeleton(fragment)
        if not wanted:
            continue
        exact = [i for i, s in enumerate(skeletons) if s == wanted]
        prefix = sorted(
            (i for i, s in enumerate(skeletons) if len(s) >= 3 and wanted.startswith(s)),
            key=lambda i: -len(skeletons[i]),
        )
        for index in exact or prefix[:1]:
            if headings[index][0] not in fragments and index not in changes:
                changes[index] = fragment
                break
    return changes
