"""newsgen.urls on values made by hand: slugs, permalinks, output files, aliases, links and
output conflicts (no files, no site, no build)."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime
from pathlib import PurePosixPath

import pytest

from newsgen.bodies.weburl import path_matcher, under_base
from newsgen.models import FrozenMap, PublishedFiles
from newsgen.urls import (
    MAX_SLUG_BYTES,
    absolute,
    alias_url,
    author_url,
    check_permalink,
    expand_permalink,
    href,
    is_file_url,
    is_valid_slug,
    local_file,
    month_url,
    output_file,
    output_path,
    page_file,
    page_url,
    path_conflicts,
    redirect_output,
    served_files,
    slugify,
    strip_date_prefix,
    tag_key,
    tag_url,
    unique_slugs,
    year_url,
)

pytestmark = pytest.mark.fast

# --- slugs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("  Harbour   wall -- works  ", "harbour-wall-works"),
        ("First_Story, Part 1", "first-story-part-1"),
        ("C++", "c"),
        ("2024 budget", "2024-budget"),
        ("Café Müller", "cafe-muller"),
        ("Zürich \u2013 Œuvre", "zurich-œuvre"),
        ("ガス料金", "ガス料金"),
        ("йогурт", "йогурт"),
        ("Москва News", "москва-news"),
        ("Привет, мир", "привет-мир"),
        ("新聞 速報", "新聞-速報"),
        ("hindi नमस्ते", "hindi-नमस्ते"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert is_valid_slug(slug)


def test_slugify_folds_only_latin_accents() -> None:
    # й is not и, ガ is not カ: a combining mark on another script is a different letter.
    assert slugify("й") != slugify("и")
    assert slugify("ガス") != slugify("カス")
    assert slugify("é") == slugify("e")
    # The same text composed or decomposed is the same slug.
    assert slugify(unicodedata.normalize("NFD", "йогурт")) == "йогурт"
    assert slugify(unicodedata.normalize("NFD", "Café")) == "cafe"


@pytest.mark.parametrize("text", ["!!!", "", "—…", "___"])
def test_text_without_letters_gets_a_stable_hash_slug(text: str) -> None:
    slug = slugify(text)
    assert slug.startswith("x-") and len(slug) == 10
    assert slug == "x-" + hashlib.sha1(text.lower().encode("utf-8")).hexdigest()[:8]
    assert is_valid_slug(slug)
    assert slugify("???") != slugify("!!!")


@pytest.mark.parametrize("word", ["harbour", "新聞", "é"])
def test_long_slugs_are_cut_at_a_hyphen_within_the_byte_limit(word: str) -> None:
    text = " ".join([word] * 200)
    slug = slugify(text)
    assert len(slug.encode("utf-8")) <= MAX_SLUG_BYTES
    assert len(slug.encode("utf-8")) > MAX_SLUG_BYTES - 20
    assert slug.split("-") == [slugify(word)] * len(slug.split("-"))  # whole words only
    assert is_valid_slug(slug)


def test_one_long_word_is_cut_on_a_character_boundary() -> None:
    slug = slugify("新" * 100)  # 300 bytes, no hyphen to cut at
    assert slug == "新" * 50
    assert slugify("a" * 400) == "a" * MAX_SLUG_BYTES


def test_tag_key_is_the_name_case_folded_with_spaces_collapsed() -> None:
    assert tag_key("  Defence \n Policy ") == "defence policy"
    assert tag_key("DEFENCE") == tag_key("defence") == "defence"
    assert tag_key("Straße") == "strasse"
    assert tag_key(unicodedata.normalize("NFD", "Zürich")) == tag_key("zürich")
    assert tag_key("C++") != tag_key("C#")


def test_unique_slugs_give_the_first_key_the_plain_slug_and_hash_the_rest() -> None:
    keys = {"c++": "c", "c#": "c", "c": "c", "go": "go"}
    slugs = unique_slugs(keys)
    assert slugs["c"] == "c"  # the first key in sorted order
    assert slugs["go"] == "go"
    for key in ("c#", "c++"):
        assert slugs[key] == "c-" + hashlib.sha1(key.encode()).hexdigest()[:6]
    assert len(set(slugs.values())) == 4
    assert unique_slugs(dict(reversed(keys.items()))) == slugs  # order of the dict is no matter


@pytest.mark.parametrize(
    ("slug", "valid"),
    [
        ("a-b", True),
        ("2024", True),
        ("ガス料金", True),
        ("नमस्ते", True),
        ("", False),
        ("A", False),
        ("a--b", False),
        ("-a", False),
        ("a-", False),
        ("a/b", False),
        ("a_b", False),
        ("..", False),
        ("a b", False),
        ("a" * MAX_SLUG_BYTES, True),
        ("a" * (MAX_SLUG_BYTES + 1), False),
    ],
)
def test_is_valid_slug(slug: str, valid: bool) -> None:
    assert is_valid_slug(slug) is valid


@pytest.mark.parametrize(
    ("stem", "rest"),
    [
        ("2019-03-01-First", "First"),
        ("2019-03-01-2019-03-02-x", "2019-03-02-x"),
        ("2019-3-1-x", "2019-3-1-x"),
        ("2019-03-01", "2019-03-01"),
        ("story", "story"),
    ],
)
def test_strip_date_prefix(stem: str, rest: str) -> None:
    assert strip_date_prefix(stem) == rest


# --- permalinks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        "/{year}/{month}/{day}/{slug}/",
        "/{slug}/",
        "/news/{year}/{slug}.html",
        "/{{x}}/{slug}/",
        "/{path}/",
    ],
)
def test_usable_permalinks(pattern: str) -> None:
    assert check_permalink(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{year}/{slug}/", "permalink must start with '/'"),
        ("/{year}/{slug}", "permalink must end with '/' or '.html'"),
        ("/{year}/", "permalink must contain {slug}"),
        ("/{year/{slug}/", "permalink is not a valid pattern: "),
        ("/{}/{slug}/", "permalink uses unknown field {} (allowed: "),
        (
            "/{author}/{slug}/",
            "permalink uses unknown field {author} (allowed: {categories}, {day}, {month},"
            " {path}, {section}, {slug}, {year})",
        ),
        ("/{year:d}/{slug}/", "permalink field {year:d} cannot have a format; write {year}"),
        ("/{slug!r}/", "permalink field {slug!r} cannot have a format; write {slug}"),
        ("/{year:\0>5}/{slug}/", "permalink field {year:\\x00>5} cannot have a format"),
        ("/../{slug}/", "permalink must not contain '.' or '..' segments"),
        ("/./{slug}/", "permalink must not contain '.' or '..' segments"),
    ],
)
def test_unusable_permalinks_say_why(pattern: str, problem: str) -> None:
    found = check_permalink(pattern)
    assert found is not None and found.startswith(problem), found


def test_expand_permalink_pads_the_date_and_is_relative() -> None:
    when = datetime(824, 3, 5, tzinfo=UTC)
    assert expand_permalink("/{year}/{month}/{day}/{slug}/", when, "x") == "0824/03/05/x/"
    assert expand_permalink("/news/{slug}.html", when, "ガス") == "news/ガス.html"
    assert expand_permalink("/{slug}/{{literal}}/", when, "x") == "x/{literal}/"


def test_expand_permalink_path_is_the_folders_and_the_slug_as_written() -> None:
    when = datetime(2025, 3, 5, tzinfo=UTC)
    folders = ("toolkit", "Guides")
    assert expand_permalink("/{path}/", when, "Setup", folders=folders) == "toolkit/Guides/Setup/"
    assert expand_permalink("/{path}/", when, "loose") == "loose/"
    assert expand_permalink("/{year}/{path}.html", when, "x", folders=("a",)) == "2025/a/x.html"


# --- output files and redirects -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("", "index.html"),
        ("2024/05/01/a/", "2024/05/01/a/index.html"),
        ("news/a.html", "news/a.html"),
        ("feed.xml", "feed.xml"),
        ("404.html", "404.html"),
    ],
)
def test_output_file_and_path(url: str, file: str) -> None:
    assert output_file(url) == file
    assert output_path(url) == PurePosixPath(file)


@pytest.mark.parametrize(
    ("url", "file", "served"),
    [
        ("2019/05/story/", "2019/05/story/index.html", ("2019/05/story/index.html",)),
        ("old.html", "old.html", ("old.html", "old.html.html", "old.html/index.html")),
        ("blog/name1.18", "blog/name1.18.html", ("blog/name1.18", "blog/name1.18.html")),
    ],
)
def test_page_files_and_what_hosts_serve(url: str, file: str, served: tuple[str, ...]) -> None:
    assert page_file(url) == file
    assert file in served_files(url)
    assert served_files(url)[: len(served)] == served


@pytest.mark.parametrize(
    ("url", "page"),
    [
        ("old.html", True),
        ("a/OLD.PHP", True),
        ("a/b.shtml", True),
        ("my.story", False),
        ("old.html/", False),
        ("feed.xml", False),
        ("a/", False),
    ],
)
def test_is_file_url(url: str, page: bool) -> None:
    assert is_file_url(url) is page


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("old.html", "old.html"),
        ("old/path", "old/path/index.html"),
        ("old/path/", "old/path/index.html"),
        ("my.story", "my.story/index.html"),
    ],
)
def test_redirect_output(url: str, file: str) -> None:
    assert redirect_output(url) == file


BASE = "https://example.org/news/"


@pytest.mark.parametrize(
    ("alias", "url"),
    [
        ("/2011/05/old/", "2011/05/old/"),
        ("2011/05/old/", "2011/05/old/"),
        ("  /old.html  ", "old.html"),
        ("/old/path", "old/path"),
        ("/old/?page=2#top", "old/"),
        ("/caf%C3%A9/", "café/"),
        ("https://example.org/2011/old/", "2011/old/"),
        ("//example.org/2011/old/", "2011/old/"),
    ],
)
def test_alias_url_is_a_path_inside_the_site(alias: str, url: str) -> None:
    assert alias_url(alias, BASE) == url


@pytest.mark.parametrize(
    "alias",
    [
        "/",
        "",
        "../etc/passwd",
        "/a/../../b/",
        "/a/./b/",
        "/a//b/",
        "/%2e%2e/x/",
        "/a\\..\\b",
        "/a\nb/",
        "https://evil.example/old/",
        "http://[::1",
    ],
)
def test_alias_url_outside_the_site_is_none(alias: str) -> None:
    assert alias_url(alias, BASE) is None


# --- links ---------------------------------------------------------------------------------


def test_href_and_absolute_percent_encode_all_but_slashes() -> None:
    assert href("/news/", "2024/05/01/новости/") == (
        "/news/2024/05/01/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/"
    )
    assert href("/", "a b/#c?d") == "/a%20b/%23c%3Fd"
    assert href("/news/", "") == "/news/"
    assert absolute(BASE, "tags/café/") == "https://example.org/news/tags/caf%C3%A9/"
    assert absolute(BASE, "") == BASE
    assert absolute("https://example.org/", "feed.xml") == "https://example.org/feed.xml"


def test_listing_urls() -> None:
    assert tag_url("harbour") == "tags/harbour/"
    assert author_url("ann-lee") == "authors/ann-lee/"
    assert year_url(824) == "0824/"
    assert month_url(2024, 5) == "2024/05/"
    assert page_url("", 1) == ""
    assert page_url("", 2) == "page/2/"
    assert page_url("tags/x/", 1) == "tags/x/"
    assert page_url("tags/x/", 12) == "tags/x/page/12/"


# --- path_conflicts ------------------------------------------------------------------------


def test_no_conflicts_in_a_tree_that_can_exist() -> None:
    planned = {
        "index.html": "the home page",
        "news.html": "a.md",
        "news/b/index.html": "b.md",
        "tags/x/index.html": "the tag x",
        "tags/x/feed.xml": "the feeds of the tag x",
    }
    assert path_conflicts(planned) == []


def test_a_file_where_another_needs_a_folder_names_both_owners() -> None:
    planned = {
        "news.html": "articles/a.md",
        "news.html/b/index.html": "articles/b.md",
        "feed.xml": "the feeds",
        "feed.xml/old/index.html": "the alias",
        "ok/index.html": "articles/c.md",
    }
    assert path_conflicts(planned) == [
        ("feed.xml", "the feeds", "the alias"),
        ("news.html", "articles/a.md", "articles/b.md"),
    ]


def test_the_outermost_file_on_the_way_is_the_conflict() -> None:
    planned = {"a": "one", "a/b": "two", "a/b/c/index.html": "three"}
    assert path_conflicts(planned) == [("a", "one", "two"), ("a", "one", "three")]


def test_names_longer_than_file_systems_allow_are_conflicts() -> None:
    long, wide = "x" * 256, "新" * 86  # 256 bytes and 258 bytes
    planned = {
        f"{long}/index.html": "articles/a.md",
        f"tags/{wide}/index.html": "the tag",
        f"{'y' * 255}/index.html": "articles/b.md",  # 255 bytes: allowed
        "tags/\udcff/index.html": "articles/c.md",  # a name that was not UTF-8
    }
    assert path_conflicts(planned) == [
        (f"tags/{wide}/index.html", "the tag", ""),
        (f"{long}/index.html", "articles/a.md", ""),
    ]


def test_a_link_written_for_a_languages_own_host_is_read_under_its_prefix() -> None:
    from newsgen.urls import under_language

    host = "https://numerique.example/"
    for link in (
        "/x/",
        "x/",
        "/fr/x/",
        "https://numerique.example/x/",
        "https://Numerique.example/x/",
        "http://numerique.example/x/",
        "https://numerique.example:443/x/",
    ):
        assert under_language(link, "fr/", host) == "/fr/x/", link
    # Anything else is left for the build to judge as it judges any alias.
    for link in ("//evil.example/y/", "https://other.example/x/", "/?p=12", "", "/"):
        assert under_language(link, "fr/", host) == link, link
    assert under_language("https://numerique.example:8443/x/", "fr/", host).startswith("https:")


FILES = PublishedFiles(
    FrozenMap(
        {
            "assets/my map.png": PurePosixPath("static/assets/my map.png"),
            "2024/05/01/story/pic.png": PurePosixPath("articles/story/pic.png"),
        }
    )
)


@pytest.mark.parametrize(
    ("page", "url", "source"),
    [
        ("2024/05/01/story/", "pic.png", "articles/story/pic.png"),
        ("2024/05/01/story/", "/paper/2024/05/01/story/pic.png", "articles/story/pic.png"),
        ("", "assets/my%20map.png", "static/assets/my map.png"),
        ("2024/05/01/other/", "../../../../assets/my map.png", "static/assets/my map.png"),
        ("", "https://example.org/paper/assets/my%20map.png", "static/assets/my map.png"),
        ("", "http://example.org/paper/assets/my%20map.png", "static/assets/my map.png"),
        ("", "mailto:desk@example.org", None),
        ("", "/assets/my%20map.png", None),  # outside the base path: not this site's
        ("", "https://elsewhere.example/paper/assets/my%20map.png", None),
        ("2024/05/01/story/", "", None),  # the page itself: no file
    ],
)
def test_local_file_names_the_source_a_url_shows(page: str, url: str, source: str | None) -> None:
    found = local_file(FILES, "https://example.org/paper/", page, url)
    assert found == (PurePosixPath(source) if source else None)


@pytest.mark.parametrize(
    ("url", "placed"),
    [
        ("/2024/x/", "/paper/2024/x/"),
        ("/", "/paper/"),
        ("/paper/2024/x/", "/paper/2024/x/"),
        ("/paper", "/paper"),
        ("/paperclip/", "/paper/paperclip/"),
        ("/shop/basket/", "/shop/basket/"),
        ("//cdn.example/x.png", "//cdn.example/x.png"),
        ("/\\evil.example/", "/\\evil.example/"),
        ("pic.png", "pic.png"),
        ("#top", "#top"),
    ],
)
def test_under_base_puts_root_paths_under_the_base_path(url: str, placed: str) -> None:
    assert under_base(url, "/paper/", path_matcher(["/shop/"])) == placed


@pytest.mark.parametrize(
    ("url", "placed"),
    [
        ("/journal-%C3%A9/2024/x/", "/journal-%C3%A9/2024/x/"),
        ("/journal-é/2024/x/", "/journal-é/2024/x/"),
        ("/journal-%C3%A9", "/journal-%C3%A9"),
        ("/2024/x/", "/journal-é/2024/x/"),
    ],
)
def test_under_base_knows_a_path_already_under_it_however_it_is_encoded(
    url: str, placed: str
) -> None:
    """Markdown writes a link's non-ASCII letters percent-encoded: it is under the path."""
    assert under_base(url, "/journal-é/", path_matcher([])) == placed
