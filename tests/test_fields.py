"""newsgen.fields on values made by hand: date parsing, file-name dates, and front matter of
every dialect coerced into Fields (no files, no site, no build)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from newsgen.errors import ContentWarning
from newsgen.fields import Fields, date_in_url, name_date, parse_datetime, read_fields
from newsgen.sources import FrontMatter

pytestmark = pytest.mark.fast

BERLIN = ZoneInfo("Europe/Berlin")
PATH = PurePosixPath("articles/a.md")


def fields(dialect: str = "yaml", **meta: Any) -> Fields:
    """read_fields on META, each key on its own line (the first key on line 2)."""
    lines = {key: n for n, key in enumerate(meta, start=2)}
    return read_fields(PATH, FrontMatter(meta, lines, "", len(meta) + 3, dialect), BERLIN)


def messages(found: Fields) -> list[tuple[int | None, str]]:
    return [(e.line, e.message) for e in found.errors]


# --- parse_datetime ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-05-03", datetime(2019, 5, 3, tzinfo=BERLIN)),
        ("2019-5-3", datetime(2019, 5, 3, tzinfo=BERLIN)),
        ("2019/05/03", datetime(2019, 5, 3, tzinfo=BERLIN)),
        ("  2019-05-03  ", datetime(2019, 5, 3, tzinfo=BERLIN)),
        ("2019-05-03 10:00", datetime(2019, 5, 3, 10, tzinfo=BERLIN)),
        ("2019-05-03T10:00:30", datetime(2019, 5, 3, 10, 0, 30, tzinfo=BERLIN)),
        ("2019-05-03t9:05", datetime(2019, 5, 3, 9, 5, tzinfo=BERLIN)),
        ("2019-05-03 10:00:00.5", datetime(2019, 5, 3, 10, 0, 0, 500000, tzinfo=BERLIN)),
        ("2019-05-03 10:00:00,123456789", datetime(2019, 5, 3, 10, 0, 0, 123456, tzinfo=BERLIN)),
        ("2019-05-03T10:00:00Z", datetime(2019, 5, 3, 10, tzinfo=UTC)),
        ("2019-05-03 10:00 UTC", datetime(2019, 5, 3, 10, tzinfo=UTC)),
        ("2019-05-03 10:00 GMT", datetime(2019, 5, 3, 10, tzinfo=UTC)),
        (
            "2019-05-03 10:00:00 +0200",
            datetime(2019, 5, 3, 10, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2019-05-03T10:00-04:00", datetime(2019, 5, 3, 10, tzinfo=timezone(timedelta(hours=-4)))),
        (
            "2019-05-03T10:00+05:30",
            datetime(2019, 5, 3, 10, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("2019-05-03T10:00+05", datetime(2019, 5, 3, 10, tzinfo=timezone(timedelta(hours=5)))),
        ("Fri, 03 May 2019 10:00:00 +0000", datetime(2019, 5, 3, 10, tzinfo=UTC)),
        (
            "Fri, 03 May 2019 10:00:00 -0700",
            datetime(2019, 5, 3, 10, tzinfo=timezone(timedelta(hours=-7))),
        ),
    ],
)
def test_parse_datetime_reads_the_usual_date_strings(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text, BERLIN)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "value",
    [
        "2025-13-45",
        "2025-02-30 10:00",
        "2025-01-01 25:00",
        "2025-01-01 10:00 +2400",
        "2025-01-01 10:00 +9959",
        "yesterday",
        "",
        "   ",
        "2025-01-01 10:00 nonsense",
        5,
        1.5,
        None,
        ["2025-01-01"],
    ],
)
def test_parse_datetime_is_none_for_what_is_no_date(value: object) -> None:
    assert parse_datetime(value, BERLIN) is None


def test_parse_datetime_reads_naive_values_in_the_site_zone_and_keeps_offsets() -> None:
    assert parse_datetime(date(2019, 1, 2), BERLIN) == datetime(2019, 1, 2, tzinfo=BERLIN)
    naive = parse_datetime(datetime(2019, 7, 4, 10, 0), BERLIN)
    assert naive is not None and naive.utcoffset() == timedelta(hours=2)  # summer time
    winter = parse_datetime("2019-01-04 10:00", BERLIN)
    assert winter is not None and winter.utcoffset() == timedelta(hours=1)
    aware = datetime(2019, 7, 4, 10, 0, tzinfo=UTC)
    assert parse_datetime(aware, BERLIN) is aware


# --- dates in names and URLs ---------------------------------------------------------------


def test_name_date_reads_the_prefix_of_a_file_or_bundle_name() -> None:
    assert name_date("2016-07-26-harbour", BERLIN) == datetime(2016, 7, 26, tzinfo=BERLIN)
    assert name_date("2016-7-6-harbour.md", BERLIN) == datetime(2016, 7, 6, tzinfo=BERLIN)


@pytest.mark.parametrize("name", ["harbour.md", "2016-07-26harbour", "16-07-26-x", "2016-07-x"])
def test_name_date_is_false_without_a_prefix(name: str) -> None:
    assert name_date(name, BERLIN) is False


@pytest.mark.parametrize("name", ["2016-13-01-x", "2016-02-30-x", "0000-01-01-x"])
def test_name_date_is_none_when_the_prefix_is_no_date(name: str) -> None:
    assert name_date(name, BERLIN) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/2011/05/03/old-story/", date(2011, 5, 3)),
        ("https://example.org/news/2011/5/3/x.html", date(2011, 5, 3)),
        ("/archive/2011/13/03/x/", None),
        ("/12011/05/03/x/", None),
        ("/2011/05/033/x/", None),
        ("/2011-05-03/x/", None),
        ("/about/", None),
    ],
)
def test_date_in_url(url: str, expected: date | None) -> None:
    assert date_in_url(url) == expected


# --- read_fields: title and dates ----------------------------------------------------------


def test_title_is_text_with_its_spaces_collapsed() -> None:
    assert fields(title="  Harbour \n  wall   works ").title == "Harbour wall works"
    assert fields(title=2024).title == "2024"
    assert fields(title="   ").title is None
    assert fields().title is None


@pytest.mark.parametrize("title", [["a"], {"a": "b"}, True])
def test_a_title_that_is_no_text_is_an_error_at_its_line(title: object) -> None:
    found = fields(draft=False, title=title)
    assert found.title is None
    assert messages(found) == [(3, "'title' must be text (put it in quotes)")]


def test_date_keys_in_order_of_precedence() -> None:
    found = fields(published="2020-01-01", pubdate="2021-01-01", date="2022-01-01")
    assert found.date == datetime(2022, 1, 1, tzinfo=BERLIN)
    assert found.date_given
    assert fields(published="2020-01-01").date == datetime(2020, 1, 1, tzinfo=BERLIN)
    assert fields(publishdate="2020-02-02").date == datetime(2020, 2, 2, tzinfo=BERLIN)
    found = fields(lastmod="2020-03-03", last_modified_at="2021-01-01")
    assert found.updated == datetime(2020, 3, 3, tzinfo=BERLIN)
    assert (found.date, found.date_given) == (None, False)


def test_an_embargo_and_a_takedown_in_every_generator_s_spelling() -> None:
    found = fields(date="2020-01-01", publish_at="2020-01-02 09:00", expires="2020-02-01")
    assert found.date == datetime(2020, 1, 1, tzinfo=BERLIN)
    assert found.publish_at == datetime(2020, 1, 2, 9, tzinfo=BERLIN)
    assert found.expires == datetime(2020, 2, 1, tzinfo=BERLIN)
    # Hugo: publishDate is the embargo, and the date too when there is no `date`.
    found = fields(date="2020-01-01", publishdate="2020-01-05", expirydate="2020-03-01T10:00Z")
    assert (found.date.day, found.publish_at.day) == (1, 5)
    assert found.expires == datetime(2020, 3, 1, 10, tzinfo=UTC)
    found = fields(publishdate="2020-01-05", unpublishdate="2020-03-01")
    assert found.date == found.publish_at == datetime(2020, 1, 5, tzinfo=BERLIN)
    assert found.expires == datetime(2020, 3, 1, tzinfo=BERLIN)
    assert fields(publish_at="2020-01-05").date == datetime(2020, 1, 5, tzinfo=BERLIN)
    found = fields(date="2020-01-01", publish_at="soon", expires=True)
    assert messages(found) == [
        (3, "'publish_at' is not a valid date: 'soon' (use e.g. 2025-09-03 10:00)"),
        (4, "'expires' must be a date and time, such as 2027-01-01 09:00"),
    ]


def test_published_false_is_a_draft_flag_not_a_date() -> None:
    found = fields(published=False)
    assert (found.draft, found.date, found.date_given, found.errors) == (True, None, False, [])
    found = fields(published="yes", date="2020-01-01")
    assert (found.draft, found.date) == (False, datetime(2020, 1, 1, tzinfo=BERLIN))


@pytest.mark.parametrize("value", ["2025-13-45", "soon", 12])
def test_an_unusable_date_is_an_error_at_its_line_and_counts_as_given(value: object) -> None:
    found = fields(title="A", date=value)
    assert found.date is None and found.date_given
    [(line, message)] = messages(found)
    assert line == 3
    assert message.startswith("'date' is not a valid date: ")
    assert message.endswith("(use e.g. 2025-09-03 10:00)")


def test_an_empty_date_is_not_given() -> None:
    assert fields(date="").date_given is False
    assert fields(date=None).date_given is False


def test_a_date_with_trailing_text_is_read_with_a_warning() -> None:
    found = fields(date="2023-01-29 18:30:22 2023 -0800")
    assert found.date == datetime(2023, 1, 29, 18, 30, 22, tzinfo=BERLIN)
    assert found.errors == []
    [warning] = found.warnings
    assert isinstance(warning, ContentWarning)
    assert (warning.line, warning.message) == (
        2,
        "'date' read as 2023-01-29 18:30:22; the rest ('2023 -0800') is ignored",
    )


def test_a_date_out_of_range_is_an_error_shown_as_written() -> None:
    assert messages(fields(date="9999-12-31 23:59:59 -1200")) == [
        (2, "'date' is out of range: '9999-12-31 23:59:59 -1200'")
    ]
    far = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-12)))
    found = fields(updated=far)
    assert found.updated is None
    assert messages(found) == [(2, "'updated' is out of range: 9999-12-31 23:00:00-12:00")]


def test_a_long_bad_value_is_cut_in_the_message() -> None:
    [(_, message)] = messages(fields(date="x" * 100))
    assert "'" + "x" * 60 + "…'" in message


# --- read_fields: names --------------------------------------------------------------------


def test_tags_as_a_list_or_a_comma_separated_string() -> None:
    assert fields(tags=["Harbour", " Town  Hall "]).tags == ("Harbour", "Town Hall")
    assert fields(tags="Harbour, Town Hall,,").tags == ("Harbour", "Town Hall")
    assert fields(tags="Town Hall").tags == ("Town Hall",)
    assert fields(tags=[2024, 1.5]).tags == ("2024", "1.5")
    assert fields(tags=7).tags == ("7",)


def test_categories_follow_tags_and_split_on_spaces_only_in_yaml() -> None:
    found = fields(tags=["Harbour"], categories="news update")
    assert (found.tags, found.categories) == (("Harbour", "news", "update"), ("news", "update"))
    assert fields(categories="news, town hall").categories == ("news", "town hall")
    assert fields("toml", categories="news update").categories == ("news update",)
    assert fields(category="Town").categories == ("Town",)


def test_jekylls_tags_split_on_spaces_in_its_own_folders() -> None:
    """Jekyll reads `tags: paas phoenix` as two tags; a post in `_posts/` or `_drafts/` is
    read so, and anywhere else a YAML string without commas stays one tag (`Town Hall`), as
    newsgen always read it (its tag's URL stays)."""

    def tags(path: str, value: str) -> tuple[str, ...]:
        meta = {"title": "T", "tags": value}
        matter = FrontMatter(meta, {"title": 2, "tags": 3}, "", 5, "yaml")
        return read_fields(PurePosixPath(path), matter, BERLIN).tags

    assert tags("articles/_posts/2020-09-24-heroku.md", "paas  phoenix") == ("paas", "phoenix")
    assert tags("articles/blog/_drafts/next.md", "paas phoenix") == ("paas", "phoenix")
    assert tags("articles/_posts/2020-09-24-heroku.md", "New York, Boston") == (
        "New York",
        "Boston",
    )
    assert tags("articles/2020/town.md", "Town Hall") == ("Town Hall",)
    singular = FrontMatter(
        {"title": "T", "tag": "paas phoenix"}, {"title": 2, "tag": 3}, "", 5, "yaml"
    )
    assert read_fields(PurePosixPath("articles/_posts/p.md"), singular, BERLIN).tags == (
        "paas",
        "phoenix",
    )  # Jekyll reads a singular `tag` as `tags`


def test_pelicans_hidden_status_is_a_draft_said_at_its_line() -> None:
    """Pelican publishes a hidden article at its URL; newsgen cannot leave a story out of
    its listings, so it holds it back, and says so where the status is written."""
    found = fields("headers", title="T", status="hidden")
    assert found.draft
    (warning,) = found.warnings
    assert warning.line == 3 and "Status: published" in warning.message


def test_zola_taxonomies_feed_tags_and_the_rest_stay_in_extra() -> None:
    taxonomies = {"tags": ["Harbour"], "categories": ["Town"], "series": ["Walls"]}
    found = fields("toml", taxonomies=taxonomies)
    assert (found.tags, found.categories) == (("Harbour", "Town"), ("Town",))
    assert found.extra == {"taxonomies": {"series": ["Walls"]}}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": 1}, "'tags' must be a list or a comma-separated string"),
        (True, "'tags' must be a list or a comma-separated string"),
        ([["nested"]], "'tags' entries must be plain names, not lists or mappings"),
        ([True], "'tags' entries must be plain names, not lists or mappings"),
    ],
)
def test_tags_that_are_no_names_are_an_error_at_their_line(value: object, message: str) -> None:
    found = fields(title="A", tags=value)
    assert found.tags == ()
    assert messages(found) == [(3, message)]


def test_authors_in_every_shape() -> None:
    assert fields().authors is None
    assert fields(authors=[]).authors == ()
    assert fields(author="Ann Lee").authors == ("Ann Lee",)
    # one author is one person, commas and all (Hugo, Jekyll, Pelican's `Author:`)
    assert fields(author="Ann Lee, Senior Designer").authors == ("Ann Lee, Senior Designer",)
    assert fields("headers", author="Roe, Jane").authors == ("Roe, Jane",)
    assert fields("toml", author="Ann, CDS").authors == ("Ann, CDS",)
    assert fields(authors="Ann Lee, Bo Park").authors == ("Ann Lee", "Bo Park")
    assert fields(author={"name": "Ann Lee", "email": "a@x"}).authors == ("Ann Lee",)
    assert fields(authors=[{"name": "Ann"}, "Bo"]).authors == ("Ann", "Bo")
    # authors and author together, in order, each person once
    assert fields(authors=["Ann", "Bo"], author="Bo").authors == ("Ann", "Bo")


def test_authors_written_as_markdown_links_are_their_names() -> None:
    docsy = "[Ann Lee](https://github.com/ann) (Org), [Bo Park](https://x.org/bo)"
    assert fields(author=docsy).authors == ("Ann Lee", "Bo Park")
    assert fields(authors=[docsy, "Cy"]).authors == ("Ann Lee", "Bo Park", "Cy")
    assert fields(author="[]() and Ann").authors == ("[]() and Ann",)


def test_header_dialect_names_split_on_semicolons() -> None:
    found = fields("headers", authors="Roe, Jane; Doe, J", tags="a; b")
    assert (found.authors, found.tags) == (("Roe, Jane", "Doe, J"), ("a", "b"))
    assert fields("headers", authors="Roe, Doe").authors == ("Roe", "Doe")
    assert fields("yaml", authors="Roe, Jane; Doe").authors == ("Roe", "Jane; Doe")


def test_redirects_from_aliases_and_redirect_from_each_once() -> None:
    found = fields(aliases=["/old/", "/older/"], redirect_from="/old/, /oldest/")
    assert found.redirects == ("/old/", "/older/", "/oldest/")


# --- read_fields: flags, text, URL, image, menu ---------------------------------------------


@pytest.mark.parametrize(
    ("meta", "draft"),
    [
        ({"draft": True}, True),
        ({"draft": "yes"}, True),
        ({"draft": " On "}, True),
        ({"draft": "0"}, False),
        ({"published": "false"}, True),
        ({"published": True}, False),
        ({"status": "draft"}, True),
        ({"status": "Private"}, True),
        ({"status": "publish"}, False),
        ({"draft": False, "published": False}, True),
        ({"draft": True, "status": "published"}, True),
    ],
)
def test_every_way_of_saying_draft(meta: dict[str, object], draft: bool) -> None:
    found = fields(**meta)
    assert (found.draft, found.errors) == (draft, [])


def test_draft_values_that_say_nothing_are_errors() -> None:
    assert messages(fields(draft="maybe")) == [(2, "'draft' must be true or false")]
    assert messages(fields(status="archived")) == [
        (2, "'status' must be draft or published, not 'archived'")
    ]


def test_summary_and_slug_are_text() -> None:
    found = fields(description="  Two\nlines ", slug="my-slug")
    assert (found.summary, found.slug) == ("Two lines", "my-slug")
    assert fields(summary="S", description="D", excerpt="E").summary == "S"
    assert fields(slug=2024).slug == "2024"
    found = fields(summary=["a"], slug={"x": 1})
    assert (found.summary, found.slug) == (None, None)
    assert messages(found) == [
        (2, "'summary' must be text (put it in quotes)"),
        (3, "'slug' must be text (put it in quotes)"),
    ]


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("/2019/05/story/", "2019/05/story/"),
        ("2019/05/story", "2019/05/story/"),
        ("/old.html", "old.html"),
        ("/old.PHP", "old.PHP"),
        ("/my.story", "my.story"),  # Hugo writes a file there, served without a suffix
        ("/my.story/", "my.story/"),
        ("/section/index.html", "section/"),
        ("/index.htm", ""),
        ("https://example.org/a/b?x=1#top", "a/b/"),
        ("/caf%C3%A9/", "café/"),
    ],
)
def test_own_url_keys_are_paths_inside_the_site(value: str, url: str) -> None:
    found = fields(url=value)
    assert (found.url, found.errors) == (url, [])


@pytest.mark.parametrize(
    ("key", "value", "url"),
    [
        # Jekyll writes permalink: /blog/name1.18 as blog/name1.18.html, served without .html.
        ("permalink", "/blog/name1.18", "blog/name1.18"),
        ("permalink", "/about", "about"),
        ("permalink", "/about/", "about/"),
        ("save_as", "blog/name1.18", "blog/name1.18"),  # Pelican writes exactly that file
        ("url", "/about", "about/"),  # Hugo: no dot, a folder
        ("path", "blog/name1.18", "blog/name1.18/"),  # Zola adds the slash
        ("path", "old.html", "old.html"),
    ],
)
def test_a_url_without_a_slash_stays_so_where_its_generator_kept_it(
    key: str, value: str, url: str
) -> None:
    found = fields(**{key: value})
    assert (found.url, found.errors) == (url, [])


@pytest.mark.parametrize(
    "value",
    [
        "/",
        "",
        "../etc/",
        "/a/../b/",
        "/a//b/",
        "ftp://x.org/a/",
        "/a\\b/",
        "/a\tb/",
        "http://[::1",
        5,
    ],
)
def test_own_url_outside_the_site_is_an_error(value: object) -> None:
    found = fields(permalink=value)
    if value == "":
        assert (found.url, found.errors) == (None, [])  # empty is absent
        return
    assert found.url is None
    [(line, message)] = messages(found)
    assert line == 2
    assert message.startswith("'permalink' must be a path inside the site, such as /2019/05/story/")


def test_url_keys_in_order_of_precedence() -> None:
    assert fields(save_as="c.html", path="/b/", url="/a/").url == "a/"
    assert fields(save_as="c.html", path="/b/").url == "b/"


def test_the_lead_image_in_every_shape() -> None:
    assert fields(image=" pic.jpg ").image == "pic.jpg"
    assert fields(images=["first.jpg", "second.jpg"]).image == "first.jpg"
    found = fields(cover={"image": "c.jpg", "alt": " A  cat ", "caption": "By us"})
    assert (found.image, found.image_alt, found.image_caption) == ("c.jpg", "A cat", "By us")
    assert fields(featured_image={"src": "s.jpg"}).image == "s.jpg"
    found = fields(cover={"url": "u.jpg", "alt": "old"}, image_alt="new")
    assert (found.image, found.image_alt) == ("u.jpg", "new")


@pytest.mark.parametrize("value", ["javascript:alert(1)", "java\tscript:x", " DATA:image/png,x"])
def test_an_image_in_another_scheme_is_dropped_with_a_warning(value: str) -> None:
    found = fields(image=value)
    assert (found.image, found.errors) == (None, [])
    [warning] = found.warnings
    assert warning.line == 2
    assert warning.message.endswith("; the article has no lead picture")


def test_an_image_that_is_no_path_is_an_error() -> None:
    assert messages(fields(image=5)) == [(2, "'image' must be an image URL or path")]
    assert fields(image="https://x.org/a.jpg").image == "https://x.org/a.jpg"


def test_menu_and_weight() -> None:
    assert (fields().menu, fields().weight) == (False, 0)
    assert fields(menu="yes").menu is True
    assert fields(menu="off").menu is False
    assert fields(menu={"main": {}}).menu is True  # Hugo's menu tables: in a menu
    assert fields(weight=" 3 ").weight == 3
    assert fields(weight=True).weight == 0
    found = fields(weight="heavy")
    assert (found.weight, messages(found)) == (0, [(2, "'weight' must be a whole number")])


def test_keys_no_field_claims_stay_in_extra() -> None:
    found = fields(title="A", subtitle="S", layout="post", tags=["x"], lastmod="2020-01-01")
    assert found.extra == {"subtitle": "S", "layout": "post"}


def test_every_problem_is_collected_each_at_its_line() -> None:
    found = fields(title=["x"], date="never", tags={"a": 1}, draft="maybe", weight="w")
    assert [line for line, _ in messages(found)] == [2, 3, 4, 5, 6]


def test_a_nested_key_is_reported_at_its_table_line() -> None:
    fm = FrontMatter({"taxonomies": {"tags": {"a": 1}}}, {"taxonomies": 7}, "", 9, "toml")
    [error] = read_fields(PATH, fm, BERLIN).errors
    assert (error.path, error.line) == (PATH, 7)
    assert error.message == "'taxonomies.tags' must be a list or a comma-separated string"
