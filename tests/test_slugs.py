"""newsgen.slugs on values made by hand: slugs as Pelican, Hugo, Jekyll, Zola and newsgen make
them from a title, a file name or a written `slug:`.

Each expected slug was worked out by hand from the generator's own rule (named in each
section), not taken from another project's tests.
"""

from __future__ import annotations

import unicodedata

import pytest

from newsgen.slugs import RULES, given_slug, name_slug, title_slug
from newsgen.urls import slugify

pytestmark = pytest.mark.fast

APOSTROPHE = "Doesn't it? Python 2.10 released"
ACCENTS = "Café Müller: Ærø"
CYRILLIC = "Новости 2024"
CJK = "東京 news"

# (title, rule, slug), one rule at a time, each worked out from that generator's rule.
TITLES = [
    # Pelican: NFKC, Unidecode, then SLUG_REGEX_SUBSTITUTIONS: [^\w\s-] removed, whitespace
    # trimmed, runs of '-' and whitespace one '-'; lowercased.
    (APOSTROPHE, "pelican", "doesnt-it-python-210-released"),
    (ACCENTS, "pelican", "cafe-muller-aero"),  # Unidecode: Æ → AE, ø → o
    (CYRILLIC, "pelican", "novosti-2024"),
    (CJK, "pelican", "dong-jing-news"),  # Unidecode: 東 → "Dong ", 京 → "Jing "
    ("<em>Tags</em> &amp; entities", "pelican", "tags-entities"),  # striptags, then & removed
    ("\uff26\uff55\uff4c\uff4c \u2460", "pelican", "full-1"),  # NFKC first: full width, ①
    # Hugo: paths.Sanitize keeps letters, marks, digits and . / \ _ # + ~ - @ and drops the
    # rest; a run of spaces is one '-'; lowercased unless disablePathToLower.
    (APOSTROPHE, "hugo", "doesnt-it-python-2.10-released"),
    (APOSTROPHE, "hugo-keep-case", "Doesnt-it-Python-2.10-released"),
    (ACCENTS, "hugo", "café-müller-ærø"),
    (CYRILLIC, "hugo", "новости-2024"),
    (CJK, "hugo", "東京-news"),
    ("AC/DC live", "hugo", "ac/dc-live"),  # '/' kept: Hugo nests the URL
    ("C# and C++", "hugo", "c#-and-c++"),
    ("a - b", "hugo", "a-b"),  # a written hyphen takes the place of the spaces' hyphen
    ("İSTANBUL", "hugo", "istanbul"),  # Go lowers one rune to one: İ → i
    # Jekyll (Utils.slugify, default mode): every run of characters that are not letters,
    # marks or decimal digits becomes one '-', one at each end removed; lowercased.
    (APOSTROPHE, "jekyll", "doesn-t-it-python-2-10-released"),
    (ACCENTS, "jekyll", "café-müller-ærø"),
    (CYRILLIC, "jekyll", "новости-2024"),
    (CJK, "jekyll", "東京-news"),
    ("ΟΔΟΣ", "jekyll", "οδοσ"),  # Ruby's downcase has no final sigma
    # Zola (slug crate): ASCII letters and digits kept and lowercased, anything else one '-';
    # other characters spelled in ASCII first (deunicode).
    (APOSTROPHE, "zola", "doesn-t-it-python-2-10-released"),
    (ACCENTS, "zola", "cafe-muller-aero"),
    (CYRILLIC, "zola", "novosti-2024"),
    (CJK, "zola", "dong-jing-news"),
    ("__init__ -- setup", "zola", "init-setup"),
    # newsgen: lowercase, hyphenated, Latin accents folded, other scripts kept.
    (APOSTROPHE, "newsgen", "doesn-t-it-python-2-10-released"),
    (CYRILLIC, "newsgen", "новости-2024"),
    (CJK, None, "東京-news"),
]


@pytest.mark.parametrize(("title", "rule", "slug"), TITLES)
def test_title_slugs_follow_each_generator(title: str, rule: str | None, slug: str) -> None:
    assert title_slug(title, rule) == slug


def test_without_a_rule_a_title_gets_newsgens_slug() -> None:
    for title, _, _ in TITLES:
        assert title_slug(title, None) == title_slug(title, "newsgen") == slugify(title)


NAMES = [
    # No rule: kept as written; white space, which no URL can hold, is one hyphen.
    ("name1.18", None, "name1.18"),
    ("CVE-2024-1", None, "CVE-2024-1"),
    ("First_Story, Part 1", None, "First_Story,-Part-1"),
    ("a - b", None, "a-b"),
    ("ガス料金", None, "ガス料金"),
    (unicodedata.normalize("NFD", "Café"), None, "Café"),  # composed, as links write it
    # newsgen: the rule file names had before (keeps an older build's URLs).
    ("name1.18", "newsgen", "name1-18"),
    ("CVE-2024-1", "newsgen", "cve-2024-1"),
    # Pelican with SLUGIFY_SOURCE = "basename": the same slugify as titles.
    ("name1.18", "pelican", "name118"),
    # Hugo: the path is sanitized and lowercased.
    ("CVE-2024-1", "hugo", "cve-2024-1"),
    ("CVE-2024-1", "hugo-keep-case", "CVE-2024-1"),
    ("name1.18", "hugo", "name1.18"),
    ("My Post", "hugo", "my-post"),
    # Jekyll's :title: trailing dots dropped, pretty mode (._~!$&'()+,;=@ kept), case kept.
    ("name1.18.", "jekyll", "name1.18"),
    ("CVE-2024-1", "jekyll", "CVE-2024-1"),
    ("Release 2.0 (final)", "jekyll", "Release-2.0-(final)"),
    ("What's up? Yes", "jekyll", "What's-up-Yes"),
    # Zola: the slug crate on the file name.
    ("name1.18", "zola", "name1-18"),
    ("CVE-2024-1", "zola", "cve-2024-1"),
]


@pytest.mark.parametrize(("name", "rule", "slug"), NAMES)
def test_file_name_slugs(name: str, rule: str | None, slug: str) -> None:
    assert name_slug(name, rule) == slug


@pytest.mark.parametrize(
    ("rule", "slug"),
    [
        (None, "My Slug.v2"),
        ("newsgen", "My Slug.v2"),
        ("pelican", "My Slug.v2"),  # Pelican keeps a written Slug: as it is
        ("hugo", "my-slug.v2"),  # Hugo sanitizes the whole path
        ("jekyll", "My-Slug.v2"),  # :title is the written slug in pretty mode
        ("zola", "my-slug-v2"),  # Zola slugifies a written slug too
    ],
)
def test_written_slugs(rule: str | None, slug: str) -> None:
    assert given_slug("My Slug.v2", rule) == slug


@pytest.mark.parametrize("rule", [*RULES, None])
@pytest.mark.parametrize("text", ["!!!", "..", "../../etc", "a\\b", "\u2603", " "])
def test_every_slug_is_a_usable_path(rule: str | None, text: str) -> None:
    for slug in (title_slug(text, rule), name_slug(text, rule), given_slug(text, rule)):
        assert slug, (text, rule)
        assert "\\" not in slug and not any(ord(c) < 32 for c in slug)
        assert all(part not in ("", ".", "..") for part in slug.split("/")), slug
