"""Slugs as the generator an archive came from made them (the `slugify` setting).

An archive's URLs were made by its old generator, and each spells a slug its own way. Each
rule here follows that generator's own code, for the three places a slug comes from:

| rule | a title (`slug_from: title`) | a file or folder name | a `slug:` in front matter |
|---|---|---|---|
| (none) | newsgen's `urls.slugify` | kept as written | kept as written |
| newsgen | `urls.slugify` | `urls.slugify` (newsgen's rule before it kept names) | kept |
| pelican | `utils.slugify`, default `SLUG_REGEX_SUBSTITUTIONS` | the same (as `basename`) | kept |
| hugo | `urlize`: `paths.Sanitize`, then lowercase | the same | the same |
| hugo-keep-case | as hugo, with `disablePathToLower = true` | the same | the same |
| jekyll | `Utils.slugify`, default mode | `:title`: pretty mode, cased | the same as a name |
| zola | the `slug` crate (`slugify.paths = "on"`) | the same | the same |

A tag's or an author's page takes the rule's slug of a title (`term_slug`).

Then, whatever the rule, what no URL path can hold is dealt with (`_usable`). Pure
functions of text.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from collections.abc import Callable

from markupsafe import Markup

from newsgen.urls import slugify

RULES = ("pelican", "hugo", "hugo-keep-case", "jekyll", "zola", "newsgen")
TRANSLITERATING = ("pelican", "zola")
"""Rules that spell every letter in ASCII, as their generator does with Unidecode (Pelican)
or deunicode (Zola): they need the Unidecode package."""


def missing_package(rule: str) -> str | None:
    """What RULE needs that is not installed, as an instruction; None when nothing is."""
    if rule in TRANSLITERATING and importlib.util.find_spec("unidecode") is None:
        return (
            f"slugify: {rule} spells every letter in ASCII as {rule.title()} does, with the"
            " Unidecode package; install it with: pip install 'newsgen[slugs]'"
        )
    return None


def _unidecode(text: str) -> str:
    from unidecode import unidecode  # GPL: an optional extra, see missing_package

    return str(unidecode(text))


# --- Pelican: pelican/utils.py slugify, settings.py SLUG_REGEX_SUBSTITUTIONS ---------------

_PELICAN_SUBSTITUTIONS = (
    (r"[^\w\s-]", ""),  # remove non-alphabetical/whitespace/'-' characters
    (r"(?u)\A\s*", ""),  # strip leading whitespace
    (r"(?u)\s*\Z", ""),  # strip trailing whitespace
    (r"[-\s]+", "-"),  # reduce runs of whitespace or '-' to one '-'
)


def slug_pelican(text: str) -> str:
    value = unicodedata.normalize("NFKC", Markup(text).striptags())
    value = _unidecode(value)
    for pattern, replacement in _PELICAN_SUBSTITUTIONS:
        value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
    return value.lower().strip()


# --- Hugo: common/paths/path.go Sanitize, helpers/path.go MakePathSanitized ----------------

_HUGO_KEPT = frozenset("./\\_#+~-@")
_HEX = frozenset("0123456789abcdefABCDEF")
_GO_LATIN1_SPACE = frozenset("\t\n\v\f\r \x85\xa0")


def _go_is_space(ch: str) -> bool:
    """Go's unicode.IsSpace: Latin-1 spaces, else the White_Space property."""
    if ord(ch) <= 0xFF:
        return ch in _GO_LATIN1_SPACE
    return ch.isspace()


def _hugo_allowed(text: str, i: int, ch: str) -> bool:
    if ch == " ":
        return False
    category = unicodedata.category(ch)
    if category[0] in "LM" or category == "Nd" or ch in _HUGO_KEPT:
        return True
    # A '%' that starts an escape (%2F) stays; Go indexes bytes, an ASCII tail reads the same.
    return ch == "%" and i + 2 < len(text) and text[i + 1] in _HEX and text[i + 2] in _HEX


def _go_lower(ch: str) -> str:
    return ch.lower()[0]  # Go maps one rune to one: İ → i (Python gives i and a dot)


def slug_hugo(text: str, lowercase: bool = True) -> str:
    out: list[str] = []
    prepend = was_hyphen = False
    for i, ch in enumerate(text):
        if _hugo_allowed(text, i, ch):
            was_hyphen = ch == "-"
            if prepend:
                if not was_hyphen:
                    out.append("-")
                prepend = False
            out.append(ch)
        elif out and not was_hyphen and _go_is_space(ch):
            prepend = True
    slug = "".join(out)
    return "".join(_go_lower(c) for c in slug) if lowercase else slug


# --- Jekyll: lib/jekyll/utils.rb slugify, drops/url_drop.rb title --------------------------

_JEKYLL_PRETTY = frozenset("._~!$&'()+,;=@")


def _jekyll(text: str, pretty: bool, cased: bool) -> str:
    out: list[str] = []
    gap = False  # a run of anything else becomes one hyphen
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] in "LM" or category == "Nd" or (pretty and ch in _JEKYLL_PRETTY):
            if gap:
                out.append("-")
                gap = False
            out.append(ch)
        else:
            gap = True
    if gap:
        out.append("-")
    slug = "".join(out).removeprefix("-").removesuffix("-")
    return slug if cased else "".join(c.lower() for c in slug)  # Ruby: no final sigma


def slug_jekyll_title(text: str) -> str:
    """`Utils.slugify(title)`: default mode, lowercased (Jekyll's `:slug`, `slugify` filter)."""
    return _jekyll(text, pretty=False, cased=False)


def slug_jekyll_name(name: str) -> str:
    """Jekyll's `:title`: the name without trailing dots, pretty mode, case kept."""
    return _jekyll(name.rstrip("."), pretty=True, cased=True)


# --- Zola: the slug crate (slug-rs) over deunicode ------------------------------------------


def slug_zola(text: str) -> str:
    out: list[str] = []
    dash = True  # no leading '-'
    for ch in text:
        for c in ch if ch.isascii() else (_unidecode(ch) or "-"):
            if c.isascii() and c.isalnum():
                out.append(c.lower())
                dash = False
            elif not dash:
                out.append("-")
                dash = True
    slug = "".join(out)
    return slug.removesuffix("-")


# --- What no URL path can hold -------------------------------------------------------------

_SPACES = re.compile(r"[\s-]*\s[\s-]*")


def as_written(name: str) -> str:
    """A file or folder name kept as its slug: case, dots and underscores as written.

    Only white space (which no URL may hold) becomes one hyphen, together with the
    hyphens around it ('a - b' is 'a-b'), as every generator makes it. The name is read
    in its composed (NFC) form, so a file saved on macOS gets the URL that a link typed
    anywhere else gets.
    """
    return _SPACES.sub("-", unicodedata.normalize("NFC", name).strip())


def _usable(slug: str, text: str) -> str:
    """SLUG with what no URL path can hold dealt with: control characters dropped, a
    backslash (which browsers read as '/') made '-', and '.', '..' and empty segments
    dropped. Nothing left: newsgen's own slug of TEXT, which always has one."""
    slug = "".join("-" if c == "\\" else c for c in slug if ord(c) >= 32 and c != "\x7f")
    slug = "/".join(p for p in slug.split("/") if p not in ("", ".", ".."))
    return slug or slugify(text)


_Rule = Callable[[str], str]
_BY_TITLE: dict[str | None, _Rule] = {
    None: slugify,
    "newsgen": slugify,
    "pelican": slug_pelican,
    "hugo": slug_hugo,
    "hugo-keep-case": functools.partial(slug_hugo, lowercase=False),
    "jekyll": slug_jekyll_title,
    "zola": slug_zola,
}
_BY_NAME: dict[str | None, _Rule] = {
    **_BY_TITLE,
    None: as_written,
    "jekyll": slug_jekyll_name,
}
_GIVEN: dict[str | None, _Rule] = {
    **_BY_NAME,
    None: str,
    "newsgen": str,
    "pelican": str,
}


@functools.lru_cache(maxsize=65536)
def title_slug(title: str, rule: str | None) -> str:
    """The slug RULE's generator makes from an article's title."""
    return _usable(_BY_TITLE[rule](title), title)


@functools.lru_cache(maxsize=65536)
def name_slug(name: str, rule: str | None) -> str:
    """The slug RULE's generator makes from a file or bundle folder name (no date prefix)."""
    return _usable(_BY_NAME[rule](name), name)


def term_slug(name: str, rule: str | None) -> str:
    """The slug RULE's generator gives a tag or an author's page: the rule it makes titles'
    slugs with (Hugo's `urlize` of a term, Pelican's `TAG_REGEX_SUBSTITUTIONS`, Zola's
    `slugify.taxonomies`, jekyll-archives' default mode); newsgen's `urls.slugify` unset."""
    return title_slug(name, rule)


def given_slug(slug: str, rule: str | None) -> str:
    """A `slug:` from front matter: kept as written, except where RULE's generator passes it
    through its rule too (Hugo, Jekyll's `:title` and Zola do)."""
    return _usable(_GIVEN[rule](slug), slug)
