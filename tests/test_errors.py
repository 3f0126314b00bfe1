"""Bad input: every problem is reported as PATH[:LINE]: message, all in one run, no traceback.

Content, config and template errors, warnings and --strict, and the error classes themselves.
Usage errors of the command line are in test_cli.py."""

from __future__ import annotations

import json
import os
import pickle
import re
from pathlib import Path, PurePosixPath

import pytest
from conftest import (
    MakeSite,
    Reported,
    Result,
    SiteDir,
    article,
    diagnostics,
    picture_bytes,
    run_newsgen,
    warnings_of,
)
from helpers import SMALL_CONFIG, errors_of

from newsgen.errors import (
    BuildFailed,
    ConfigError,
    ContentError,
    PublishError,
    TemplateError,
)


def parse_errors(result: Result) -> list[Reported]:
    """The errors of a failed build; each stderr line is an error, a warning or the summary."""
    assert result.code == 1, f"exit {result.code}\n{result.stderr}"
    assert "build failed:" in result.stderr
    errors, _ = diagnostics(result.stderr)
    return errors


def only_error(site: SiteDir) -> Reported:
    errors = parse_errors(site.build())
    assert len(errors) == 1, errors
    return errors[0]


@pytest.mark.fast
def test_three_broken_files_are_all_reported_in_one_run(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/good.md": article("Fine"),
            "articles/no-title.md": "---\ndate: 2024-05-01\n---\nBody\n",
            "articles/bad-date.md": article(date="2025-13-45"),
            "articles/bad-slug.md": article(slug='"a/b"'),
        }
    )
    errors = parse_errors(site.build())
    lines = {e.path: e.line for e in errors}
    assert len(errors) == 3
    assert lines.keys() == {"articles/no-title.md", "articles/bad-date.md", "articles/bad-slug.md"}
    assert (lines["articles/bad-date.md"], lines["articles/bad-slug.md"]) == (3, 4)


@pytest.mark.fast
def test_article_and_template_errors_are_reported_together(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/good.md": article("Fine"),
            "articles/bad.md": article(date="2025-13-45"),
            "templates/article.html": "<p>{{ article.title }}</p>\n{{ article.nope.attr }}\n",
        }
    )
    errors = parse_errors(site.build())
    assert [(e.path, e.line) for e in errors] == [
        ("articles/bad.md", 3),
        ("templates/article.html", 2),
    ]


@pytest.mark.fast
def test_paths_are_relative_to_the_site_from_any_working_directory(
    make_site: MakeSite, tmp_path: Path
) -> None:
    make_site({"articles/deep/bad.md": article(date="2025-13-45")})
    errors = parse_errors(run_newsgen("build", "site", cwd=tmp_path))
    assert [(e.path, e.line) for e in errors] == [("articles/deep/bad.md", 3)]


@pytest.mark.fast
def test_malformed_yaml_is_reported_at_the_line_of_the_yaml_error(make_site: MakeSite) -> None:
    site = make_site({"articles/bad.md": article(tags="[a, b")})  # line 4
    error = only_error(site)
    assert (error.path, error.line) == ("articles/bad.md", 4)
    assert "YAML" in error.message


@pytest.mark.fast
def test_missing_title_is_an_error(make_site: MakeSite) -> None:
    site = make_site({"articles/bad.md": "---\ndate: 2024-05-01\n---\nBody\n"})
    error = only_error(site)
    assert error.path == "articles/bad.md"
    assert "title" in error.message


@pytest.mark.parametrize("title", ["[a]", "{a: b}", "true", '""'])
def test_title_that_is_not_a_string_is_reported_at_its_line(
    make_site: MakeSite, title: str
) -> None:
    site = make_site({"articles/bad.md": article(title=title)})
    error = only_error(site)
    assert (error.path, error.line) == ("articles/bad.md", 2)
    assert "title" in error.message


@pytest.mark.fast
@pytest.mark.parametrize("value", ["2025-13-45", "2025-02-30 10:00", "yesterday"])
def test_invalid_date_is_reported_at_the_line_of_the_date_key(
    make_site: MakeSite, value: str
) -> None:
    text = f"---\ntitle: Fine\ntags: [x]\ndate: {value}\n---\nBody\n"  # date on line 4
    site = make_site({"articles/bad.md": text})
    error = only_error(site)
    assert (error.path, error.line) == ("articles/bad.md", 4)
    assert "date" in error.message


@pytest.mark.fast
def test_a_bad_embargo_is_an_error_at_its_line(make_site: MakeSite) -> None:
    site = make_site(
        {"articles/bad.md": "---\ntitle: B\ndate: 2025-03-01\npublish_at: tomorrow\n---\nx\n"}
    )
    errors = errors_of(site.build())
    assert [(e.path, e.line, e.message) for e in errors] == [
        (
            "articles/bad.md",
            4,
            "'publish_at' is not a valid date: 'tomorrow' (use e.g. 2025-09-03 10:00)",
        ),
    ]
    assert not site.out.exists()


@pytest.mark.fast
def test_an_embargo_or_a_takedown_on_a_page_is_named_not_ignored(make_site: MakeSite) -> None:
    """Pages (About, a special) are not scheduled: an embargo or a takedown written on one
    would be published at once, so the build says so at its line."""
    site = make_site(
        {
            "articles/a.md": article("A", "2026-12-01 10:00"),
            "pages/promo.md": "---\ntitle: Promo\npublish_at: 2027-06-01\n"
            "expiryDate: 2026-01-01\n---\nx\n",
        }
    )
    result = site.build("--now", "2026-12-31T23:00Z")
    assert result.code == 0, result.stderr
    assert [(w.path, w.line, w.message) for w in warnings_of(result)] == [
        (
            "pages/promo.md",
            3,
            "pages are not scheduled: 'publish_at' and 'expirydate' are not used, and the page"
            " is published at every build (a story with an embargo or a takedown goes in"
            " articles/)",
        )
    ]


@pytest.mark.fast
def test_a_takedown_before_publication_is_a_warning_and_the_story_never_comes_out(
    make_site: MakeSite,
) -> None:
    """Real archives hold such pages (a Hugo site's publishDate after its expiryDate; Hugo
    never publishes them): the archive builds as it is, and the story stays out, as one
    taken down does, even under --future."""
    site = make_site(
        {
            "articles/a.md": article("Out", "2019-11-01 10:00"),
            "articles/hugo.md": "---\ntitle: H\npublishDate: 2020-06-11\n"
            "expiryDate: 2020-01-01\n---\nx\n",
            "articles/early.md": "---\ntitle: E\ndate: 2019-11-01 10:00\n"
            "publish_at: 2019-12-02 08:00\nexpires: 2019-12-02 08:00\n---\nx\n",
        }
    )
    result = site.build("--now", "2019-12-01 09:00", "--future")
    assert result.code == 0, result.stderr
    assert [(w.path, w.line, w.message) for w in warnings_of(result)] == [
        (
            "articles/early.md",
            5,
            "'expires' (2019-12-02 08:00) is not after its 'publish_at' (2019-12-02 08:00): the"
            " story is taken down before it comes out, so it will never be published",
        ),
        (
            "articles/hugo.md",
            4,
            "'expirydate' (2020-01-01 00:00) is not after its 'publishdate' (2020-06-11 00:00):"
            " the story is taken down before it comes out, so it will never be published",
        ),
    ]
    assert sorted(p.parent.name for p in site.out.glob("20*/*/*/*/index.html")) == ["a"]
    assert "Expired: 2 articles taken down" in result.stdout


@pytest.mark.fast
def test_front_matter_never_closed_is_an_error(make_site: MakeSite) -> None:
    site = make_site({"articles/bad.md": "---\ntitle: Open\ndate: 2024-05-01\n\nBody text\n"})
    error = only_error(site)
    assert (error.path, error.line) == ("articles/bad.md", 1)
    assert "---" in error.message


@pytest.mark.fast
@pytest.mark.parametrize(
    ("placement", "line"),
    [("title", 2), ("body", 7)],
)
def test_invalid_utf8_is_reported_at_the_line_of_the_bad_byte(
    make_site: MakeSite, placement: str, line: int
) -> None:
    if placement == "title":
        text = article(title="Caf@")
    else:
        text = article(body="Before.\n@ here\nAfter.")  # body starts on line 6
    site = make_site({"articles/bad.md": text.encode("utf-8").replace(b"@", b"\xff")})
    error = only_error(site)
    assert (error.path, error.line) == ("articles/bad.md", line)
    assert "UTF-8" in error.message


@pytest.mark.parametrize("slug", ["../../etc", "a/b", "..", "a\\\\b", " "])
def test_bad_slug_is_reported_at_its_line(make_site: MakeSite, slug: str) -> None:
    site = make_site({"articles/bad.md": article(slug=f'"{slug}"')})  # line 4
    error = only_error(site)
    assert (error.path, error.line) == ("articles/bad.md", 4)
    assert "slug" in error.message


@pytest.mark.fast
def test_two_articles_with_the_same_url_name_both_files(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/first.md": article("One", slug="same"),
            "articles/second.md": article("Two", slug="same"),
        }
    )
    error = only_error(site)
    paths = {"articles/first.md", "articles/second.md"}
    assert error.path in paths
    (other,) = paths - {error.path}
    assert other in error.message


@pytest.mark.fast
def test_template_syntax_error_names_the_template_and_line(make_site: MakeSite) -> None:
    template = (
        '{% extends "!theme/article.html" %}\n'
        "{% block content %}\n"
        "<p>before</p>\n"
        "{% if %}yes{% endif %}\n"
        "{% endblock %}\n"
    )
    site = make_site({"articles/a.md": article(), "templates/article.html": template})
    error = only_error(site)
    assert (error.path, error.line) == ("templates/article.html", 4)


@pytest.mark.fast
def test_a_broken_parent_template_is_reported_once_and_alike_by_build_and_check(
    make_site: MakeSite,
) -> None:
    """build and check run the same steps up to the output, so they name the same problem."""
    site = make_site(
        {
            "articles/a.md": article(),
            "templates/base.html": "<!DOCTYPE html>\n<title>t</title>\n{% if %}\n",
        }
    )
    built = only_error(site)
    assert (built.path, built.line) == ("templates/base.html", 3)
    checked = run_newsgen("check", site.root, "--format", "json")
    assert checked.code == 1
    found = json.loads(checked.stdout)["problems"]
    assert [(p["path"], p["line"], p["message"]) for p in found if p["level"] == "error"] == [
        (built.path, built.line, built.message)
    ]


@pytest.mark.fast
def test_template_runtime_error_names_the_template_and_line(make_site: MakeSite) -> None:
    template = (
        '{% extends "!theme/article.html" %}\n'
        "{% block content %}\n"
        "<h1>{{ article.title }}</h1>\n"
        "<p>{{ article.nonexistent.attr }}</p>\n"
        "{% endblock %}\n"
    )
    site = make_site({"articles/a.md": article(), "templates/article.html": template})
    error = only_error(site)
    assert (error.path, error.line) == ("templates/article.html", 4)
    assert "nonexistent" in error.message


CONFIG = 'title: "Test Site"\nbase_url: "https://example.org/"\n'


@pytest.mark.parametrize(
    ("extra", "word"),
    [
        ("per_pag: 10\n", "unknown key"),
        ('per_page: "ten"\n', "per_page"),
        ("per_page: 0\n", "per_page"),
        ("timezone: Mars/Olympus\n", "timezone"),
        ("markdown:\n  html: yes please\n", "markdown.html"),
        ("language: [en\n", "YAML"),
        ("slugify: wordpress\n", "'slugify' must be one of pelican, hugo"),
        ("related_window: 5000\n", "'related_window' must be a whole number from 1 to 100"),
    ],
    ids=[
        "unknown-key",
        "string-for-int",
        "zero-per-page",
        "bad-timezone",
        "bad-bool",
        "yaml",
        "bad-slugify",
        "related-window-too-wide",
    ],
)
def test_config_error_is_reported_at_its_line_in_newsgen_yaml(
    make_site: MakeSite, extra: str, word: str
) -> None:
    site = make_site({"articles/a.md": article()}, config=CONFIG + extra)  # the key is on line 3
    error = only_error(site)
    assert (error.path, error.line) == ("newsgen.yaml", 3)
    assert word in error.message


@pytest.mark.fast
def test_every_config_error_is_reported_in_one_run(make_site: MakeSite) -> None:
    site = make_site(config=CONFIG + "colour: red\nper_page: many\n")
    errors = parse_errors(site.build())
    assert [(e.path, e.line) for e in errors] == [("newsgen.yaml", 3), ("newsgen.yaml", 4)]


def test_unreadable_static_file_is_reported_with_its_path(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article()})
    (site.root / "static").mkdir()
    try:
        os.symlink(site.root / "static/missing-target.css", site.root / "static/broken.css")
    except OSError:
        pytest.skip("symlinks are not available here")
    error = only_error(site)
    assert error.path == "static/broken.css"


ERRORS = [
    ContentError(PurePosixPath("articles/a.md"), 3, "'date' is not a valid date"),
    ContentError("articles/b.md", None, "has the same URL /x/ as articles/c.md"),
    ConfigError(PurePosixPath("newsgen.yaml"), 2, "unknown key 'x'"),
    TemplateError(PurePosixPath("templates/article.html"), 4, "boom"),
    PublishError(PurePosixPath("static/x.css"), None, "escapes the output"),
]


@pytest.mark.fast
@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_content_errors_survive_pickling(error: ContentError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.path, copy.line, copy.message) == (error.path, error.line, error.message)
    assert str(copy) == str(error)


@pytest.mark.fast
def test_content_error_prints_as_path_line_message() -> None:
    assert [str(e) for e in ERRORS[:2]] == [
        "articles/a.md:3: 'date' is not a valid date",
        "articles/b.md: has the same URL /x/ as articles/c.md",
    ]


@pytest.mark.fast
def test_build_failed_survives_pickling_with_its_errors_in_order() -> None:
    failed = BuildFailed(list(reversed(ERRORS)))
    copy = pickle.loads(pickle.dumps(failed))
    assert type(copy) is BuildFailed
    assert [str(e) for e in copy.errors] == [str(e) for e in failed.errors]
    assert [str(e) for e in copy.errors] == sorted(str(e) for e in ERRORS)
    assert str(copy) == str(failed)


@pytest.mark.parametrize("key", ["date:", "date: null", 'date: ""'])
def test_empty_date_without_a_file_name_date_is_an_error_at_its_line(
    make_site: MakeSite, key: str
) -> None:
    site = make_site({"articles/undated.md": f"---\ntitle: A\n{key}\n---\nBody\n"})
    error = only_error(site)
    assert (error.path, error.line) == ("articles/undated.md", 3)
    assert "date" in error.message


def test_empty_date_falls_back_to_the_file_name(make_site: MakeSite) -> None:
    site = make_site({"articles/2024-05-01-a.md": "---\ntitle: A\ndate:\nslug:\n---\nBody\n"})
    assert site.build().code == 0
    assert site.page("2024/05/01/a/").text("//h1") == "A"


@pytest.mark.fast
def test_date_out_of_range_is_an_error_at_its_line(make_site: MakeSite) -> None:
    site = make_site({"articles/far.md": article("Far", date="9999-12-31 23:59:59 -1200")})
    error = only_error(site)
    assert (error.path, error.line) == ("articles/far.md", 3)
    assert "out of range" in error.message


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\x0c", "\x02", "\x85"])
def test_characters_feeds_cannot_carry_are_dropped_with_a_warning_at_their_line(
    make_site: MakeSite, char: str
) -> None:
    site = make_site({"articles/odd.md": article("Odd", body=f"line one\n\nline{char}two")})
    (warning,) = warnings_of(site.build())
    assert (warning.path, warning.line) == ("articles/odd.md", 8)
    assert f"U+{ord(char):04X}" in warning.message
    assert site.page("2024/05/01/odd/").texts("//div[@class='body']/p") == ["line one", "linetwo"]


@pytest.mark.parametrize(
    ("template", "line", "kind"),
    [
        (
            '{% extends "base.html" %}\n{% block content %}\n{{ 1 / 0 }}\n{% endblock %}\n',
            3,
            "ZeroDivisionError",
        ),
        ('{% include "404.html" %}\n', 1, "RecursionError"),
    ],
)
def test_any_exception_in_a_template_names_the_template_and_line(
    make_site: MakeSite, template: str, line: int, kind: str
) -> None:
    site = make_site({"articles/a.md": article("A"), "templates/404.html": template})
    error = only_error(site)
    assert (error.path, error.line) == ("templates/404.html", line)
    assert kind in error.message


def test_template_that_is_not_utf8_is_named(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A"), "templates/article.html": b"x\xff\n"})
    error = only_error(site)
    assert (error.path, error.line) == ("templates/article.html", None)
    assert "UTF-8" in error.message


@pytest.mark.parametrize(
    "url",
    ["https://example.org//news/", "https:///news/", "https://example.org/a/../b/", "ftp://x/"],
)
def test_unusable_base_url_is_a_config_error(make_site: MakeSite, url: str) -> None:
    site = make_site({"articles/a.md": article("A")}, config=f'base_url: "{url}"\n')
    error = only_error(site)
    assert (error.path, error.line) == ("newsgen.yaml", 1)
    assert "base_url" in error.message


@pytest.mark.fast
def test_a_template_error_on_every_page_is_reported_once(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A", tags="[x, y]"),
            "articles/b.md": article("B", date="2024-05-02"),
            "templates/base.html": "<!DOCTYPE html>\n<title>t</title>\n{{ site.nope.deeper }}\n",
        }
    )
    error = only_error(site)
    assert (error.path, error.line) == ("templates/base.html", 3)
    # Nine pages fail the same way: home, tag index, two tag pages, 404, two articles...
    assert re.search(r"\(rendering /\S* and \d+ more pages\)$", error.message), error.message


@pytest.mark.fast
def test_strict_fails_on_warnings_and_keeps_the_previous_build(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")})
    assert site.build().code == 0
    before = site.snapshot()
    site.write("articles/stray.pdf", b"%PDF")
    result = site.build("--strict")
    assert result.code == 1
    errors, warnings = diagnostics(result.stderr)
    assert (errors, [w.path for w in warnings]) == ([], ["articles/stray.pdf"])
    assert result.stderr.splitlines()[-1] == "build failed: 1 warning"
    assert site.snapshot() == before
    plain = site.build()
    assert plain.code == 0
    assert "(1 warning)" in plain.stdout


@pytest.mark.fast
@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "title: First\ndate: 2024-05-01\ntitle: Second\n",
            "'title' is given twice, on lines 2 and 4: the one on line 4 is used;"
            " delete the line you do not want",
        ),
        (
            "Title: First\ndate: 2024-05-01\ntitle: Second\n",
            "'Title' on line 2 and 'title' on line 4 are the same key (keys ignore case):"
            " the one on line 4 is used; delete the line you do not want",
        ),
    ],
    ids=["same-key", "same-key-other-case"],
)
def test_a_key_given_twice_uses_the_later_value_with_a_warning(
    make_site: MakeSite, front: str, message: str
) -> None:
    """Jekyll (Ruby's YAML) published such a file with the later value; so does newsgen,
    aloud, and --strict refuses it."""
    site = make_site({"articles/a.md": f"---\n{front}---\nBody.\n"})
    result = site.build()
    assert result.code == 0, result.stderr
    _, warnings = diagnostics(result.stderr)
    assert [(w.path, w.line, w.message) for w in warnings] == [("articles/a.md", 4, message)]
    assert site.page("2024/05/01/a/").text("//h1") == "Second"
    assert site.build("--strict").code == 1


@pytest.mark.fast
def test_an_unreadable_date_gives_way_to_the_file_names_date(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/2017-11-09-x.md": article("Dated by name", date="11-9-2017"),
            "articles/undated-name.md": article("No date in the name", date="11-9-2017"),
        }
    )
    result = site.build()
    errors, warnings = diagnostics(result.stderr)
    assert [(e.path, e.line) for e in errors] == [("articles/undated-name.md", 3)]
    assert [(w.path, w.line, w.message) for w in warnings] == [
        (
            "articles/2017-11-09-x.md",
            3,
            "'date' cannot be read as a date ('11-9-2017'); the date in the file name,"
            " 2017-11-09, is used instead (write it year first, such as 2017-11-09 or"
            " 2017-11-09 10:00, to remove this warning)",
        )
    ]
    site.write("articles/undated-name.md", article("Fine", date="2017-11-10"))
    assert site.build().code == 0
    assert site.page("2017/11/09/x/").text("//h1") == "Dated by name"
    assert site.build("--strict").code == 1


def test_control_characters_in_front_matter_are_dropped_with_a_warning(
    make_site: MakeSite,
) -> None:
    text = article("Bell\x07 rings", body="Form\x0cfeed", tags="[tag\x02]")
    site = make_site({"articles/a.md": text})
    warnings = warnings_of(site.build())
    assert [(w.path, w.line) for w in warnings] == [
        ("articles/a.md", 2),
        ("articles/a.md", 4),
        ("articles/a.md", 7),
    ]
    assert "U+0007" in warnings[0].message
    page = site.page("2024/05/01/a/")
    assert page.text("//h1") == "Bell rings"
    assert page.texts("//a[@rel='tag']") == ["tag"]
    assert b"\x07" not in (site.out / "feed.xml").read_bytes()


def test_paths_are_whole_when_the_site_is_the_current_folder(make_site: MakeSite) -> None:
    site = make_site({"articles/2024/a.md": article("A"), "articles/2024/notes.pdf": b"%PDF"})
    result = run_newsgen("build", cwd=site.root)
    (warning,) = warnings_of(result)
    assert warning.path == "articles/2024/notes.pdf"
    assert (site.out / "2024/05/01/a/index.html").is_file()


@pytest.mark.parametrize("pattern", ["/{year:d}/{slug}/", "/{year:\\0>5}/{slug}/", "/{slug!r}/"])
def test_a_permalink_field_with_a_format_is_a_config_error(
    make_site: MakeSite, pattern: str
) -> None:
    site = make_site({"articles/a.md": article("A")}, SMALL_CONFIG + f'permalink: "{pattern}"\n')
    [error] = errors_of(site.build())
    assert (error.path, error.line) == ("newsgen.yaml", 4)
    assert "cannot have a format" in error.message
    assert "\0" not in error.message


def test_a_very_long_path_is_shortened_in_messages(make_site: MakeSite) -> None:
    deep = "/".join(["d" * 50] * 60)  # 3,000 characters
    site = make_site({f"articles/{deep}/a.md": "---\ntitle: A\ndate: nope\n---\n"}, SMALL_CONFIG)
    result = site.build()
    [error] = errors_of(result)
    assert len(error.path) <= 160 and "…" in error.path
    assert error.path.startswith("articles/ddd") and error.path.endswith("/a.md")
    assert max(len(line) for line in result.stderr.splitlines()) < 300


def test_a_syntax_error_in_the_base_template_is_reported_once(make_site: MakeSite) -> None:
    files = {"articles/a.md": article("A", tags="[x]"), "templates/base.html": "{{ oops\n"}
    [error] = errors_of(make_site(files, SMALL_CONFIG).build())
    assert error.path == "templates/base.html"


@pytest.mark.fast
def test_a_template_that_cannot_be_read_is_named_in_words(tmp_path: Path) -> None:
    """As root nothing is unreadable, so the error Jinja's loader raises is made by hand."""
    from newsgen.models import Route
    from newsgen.renderer import _template_error

    site = tmp_path / "site"
    denied = PermissionError(13, "Permission denied", str(site / "templates" / "base.html"))
    error = _template_error(denied, Route("", "index.html", "index.html", {}), site)
    assert str(error) == "templates/base.html: cannot be read (Permission denied)"


def test_a_config_that_is_a_folder_is_an_error_in_words(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")}, None)
    (site.root / "newsgen.yaml").mkdir()
    [error] = errors_of(site.build())
    assert (error.path, error.message) == ("newsgen.yaml", "is a folder, not a file")


# -- Warnings a person can read: each kind once, with its count and first places ---------------


def _no_alt(number: int) -> dict[str, str]:
    return {
        f"articles/2024-05-0{n}-pic.md": article(
            f"Picture {n}", f"2024-05-0{n} 10:00", image="/pic.png"
        )
        for n in range(1, number + 1)
    }


def test_a_warning_met_many_times_is_printed_once_with_its_count(make_site: MakeSite) -> None:
    """Five articles without alt text make one line naming the first three; a kind met
    three times or less is listed whole; --verbose lists every warning."""
    site = make_site(
        {
            **_no_alt(5),
            "static/pic.png": picture_bytes(),
            "articles/notes.odt": b"x",
            "articles/more.odt": b"x",
        }
    )
    result = run_newsgen("build", site.root)
    assert result.code == 0, result.stderr
    no_alt = "the lead image has no alt text (image_alt): screen readers cannot describe it"
    lines = result.stderr.splitlines()
    assert [line for line in lines if "alt text" in line] == [
        f"warning: {no_alt}: 5 articles, e.g. articles/2024-05-01-pic.md:4,"
        " articles/2024-05-02-pic.md:4, articles/2024-05-03-pic.md:4, … (--verbose lists every one)"
    ]
    assert len([line for line in lines if ".odt" in line]) == 2
    assert result.stdout.rstrip().endswith("(7 warnings)")
    verbose = run_newsgen("build", site.root, "--verbose")
    assert [line for line in verbose.stderr.splitlines() if "alt text" in line] == [
        f"articles/2024-05-0{n}-pic.md:4: warning: {no_alt}" for n in range(1, 6)
    ]


def test_errors_are_all_listed_and_warnings_grouped_beside_them(make_site: MakeSite) -> None:
    files = {**_no_alt(4), "static/pic.png": picture_bytes()}
    files |= {f"articles/bad-{n}.md": "---\ntitle: [\n---\nx\n" for n in range(5)}
    site = make_site(files)
    result = run_newsgen("build", site.root)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert sorted(line.split(":")[0] for line in lines[:5]) == [
        f"articles/bad-{n}.md" for n in range(5)
    ]
    assert lines[5].startswith("warning: the lead image has no alt text")
    assert lines[5].endswith(
        ": 4 articles, e.g. articles/2024-05-01-pic.md:4, articles/2024-05-02-pic.md:4,"
        " articles/2024-05-03-pic.md:4, … (--verbose lists every one)"
    )
    assert lines[6:] == ["build failed: 5 errors, 4 warnings"]


def test_check_groups_its_text_and_lists_every_warning_in_json(make_site: MakeSite) -> None:
    site = make_site({**_no_alt(4), "static/pic.png": picture_bytes()})
    text = run_newsgen("check", site.root)
    assert [line for line in text.stdout.splitlines() if "alt text" in line] == [
        "warning: the lead image has no alt text (image_alt): screen readers cannot describe"
        " it: 4 articles, e.g. articles/2024-05-01-pic.md:4, articles/2024-05-02-pic.md:4,"
        " articles/2024-05-03-pic.md:4, … (--verbose lists every one)"
    ]
    every = run_newsgen("check", site.root, "-v").stdout
    assert len([line for line in every.splitlines() if "alt text" in line]) == 4
    data = json.loads(run_newsgen("check", site.root, "--format", "json").stdout)
    assert [p["path"] for p in data["problems"] if "alt text" in p["message"]] == [
        f"articles/2024-05-0{n}-pic.md" for n in range(1, 5)
    ]


@pytest.mark.parametrize(
    ("front", "line", "said"),
    [
        ('title: "Hello\ndate: 2024-05-01', 2, "a quote is opened and never closed"),
        ("title: Hello\n\tdate: 2024-05-01", 2, "a tab character"),
        ("title: Hello\ntags: [a, b\ndate: 2024-05-01", 3, "a list in [ ] is not closed"),
        ("title: Hello\n  date: 2024-05-01\nx: y", 3, "a colon followed by a space inside"),
        ("title: @Hello\ndate: 2024-05-01", 2, "a value starts with a character YAML keeps"),
        ("- a\n- b", 2, "front matter must be 'key: value' lines"),
    ],
)
def test_front_matter_errors_say_what_to_fix_in_plain_words(
    make_site: MakeSite, front: str, line: int, said: str
) -> None:
    site = make_site({"articles/a.md": f"---\n{front}\n---\nBody.\n"})
    error = only_error(site)
    assert (error.path, error.line) == ("articles/a.md", line)
    assert said in error.message
    for word in ("scalar", "mapping", "token", "stream", "<block"):
        assert word not in error.message


def test_a_dropped_character_is_named() -> None:
    from newsgen.wording import char_names

    assert char_names("\x0c\x0c\u200b\ufffe") == (
        "U+000C (form feed, a page break), U+200B (zero width space), U+FFFE (a noncharacter)"
    )


def test_an_apostrophe_in_a_word_does_not_change_how_warnings_are_grouped() -> None:
    from newsgen.reporting import _QUOTED

    message = "'de' is not one of the site's languages (en, ja): add it to 'languages'"
    assert _QUOTED.sub("'…'", message) == (
        "'…' is not one of the site's languages (en, ja): add it to '…'"
    )


def test_a_grouped_warning_keeps_what_its_places_share_and_shows_several_files() -> None:
    """A kind of warning said once for many places keeps the words they all share (the
    command that fixes them), puts '…' only where they differ, and gives its examples from
    different files before a second place in one file."""
    from newsgen.errors import ContentWarning
    from newsgen.reporting import problem_lines

    fix = "'newsgen build --record-moves' keeps the old address as an alias"
    moved = [
        ContentWarning(
            PurePosixPath(f"articles/p{n}.md"),
            2,
            f"its old address /{n}/ no longer works (the story is at /news/{n}/ now); {fix}",
        )
        for n in range(5)
    ]
    (line,) = problem_lines(moved)
    assert line == (
        f"warning: its old address … no longer works (the story is at … now); {fix}:"
        " 5 articles, e.g. articles/p0.md:2, articles/p1.md:2, articles/p2.md:2, …"
        " (--verbose lists every one)"
    )
    links = [
        ContentWarning(
            PurePosixPath(f"articles/{name}.md"), line, f"link to /{n}.html leads nowhere"
        )
        for n, (name, line) in enumerate([("a", 14), ("a", 14), ("a", 14), ("b", 3), ("c", 9)])
    ]
    (line,) = problem_lines(links)
    assert "e.g. articles/a.md:14, articles/b.md:3, articles/c.md:9, …" in line
    unused = [
        ContentWarning(PurePosixPath(f"articles/images/{n}.png"), None, "is not an article")
        for n in range(4)
    ]
    (line,) = problem_lines(unused)
    assert ": 4 files, e.g. articles/images/0.png" in line  # pictures are not articles


def test_what_a_grouped_warning_leaves_out_is_marked_as_its_kind_marks_it() -> None:
    """Where the places differ, the line reads as the kind does: a quoted name stays in
    its quotes ('…'), and the ':' or '.' after a path or a number is kept, not swallowed
    with it ('at line …: the date' rather than 'at line … the date')."""
    from newsgen.errors import ContentWarning
    from newsgen.reporting import problem_lines

    def line_of(messages: list[str]) -> str:
        (line,) = problem_lines(
            ContentWarning(PurePosixPath(f"articles/p{n}.md"), 1, message)
            for n, message in enumerate(messages)
        )
        return line.split(": 5 articles")[0]

    tags = line_of([f"the tag '{name}' is used once" for name in "abcde"])
    assert tags == "warning: the tag '…' is used once"
    lines = line_of([f"in the table at line {n}: a cell is empty" for n in range(5)])
    assert lines == "warning: in the table at line …: a cell is empty"
    ends = line_of([f"the picture is at /img/{n}.png." for n in range(5)])
    assert ends == "warning: the picture is at …."


CORRECTED = article(
    "Bridge", "2025-03-01 09:00", corrections="[{date: 2025-03-04, text: The cost was £3m.}]"
)


def test_each_wrong_correction_is_an_error_at_its_line(make_site: MakeSite) -> None:
    text = """\
---
title: Bridge
date: 2025-03-05 09:00
corrections:
  - date: 2025-03-06
  - text: no date
  - date: 2025-02-30
    text: an impossible day
  - date: 2025-03-01
    text: before the article
  - just words
  - date: 2025-03-07
    text: fine
    by: the editor
---
Body.
"""
    site = make_site({"articles/a.md": text, "articles/b.md": article(corrections='"Fixed."')})
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    found = [(str(e.path), e.line, e.severity, e.message) for e in failed.value.errors]
    assert [(path, line, severity) for path, line, severity, _ in found] == [
        ("articles/a.md", 5, "error"),
        ("articles/a.md", 6, "error"),
        ("articles/a.md", 7, "error"),
        ("articles/a.md", 9, "error"),
        ("articles/a.md", 11, "error"),
        ("articles/a.md", 14, "warning"),
        ("articles/b.md", 4, "error"),
    ]
    messages = [message for *_, message in found]
    assert "correction 1 has no text" in messages[0]
    assert "correction 2 has no date" in messages[1]
    assert "correction 3's date is not a valid date: '2025-02-30'" in messages[2]
    assert "correction 4 is dated 2025-03-01, before the article itself" in messages[3]
    assert "correction 5 must have a date and a text" in messages[4]
    assert "'by' is not used" in messages[5]
    assert "'corrections' must be a list of corrections" in messages[6]


def test_the_corrections_page_never_replaces_a_page_at_its_url(make_site: MakeSite) -> None:
    """A site's own page at /corrections/ stays until a correction needs that URL; then the
    build fails naming the setting that moves the corrections page, and build/ is kept."""
    policy = "---\ntitle: Our corrections policy\n---\nWe correct.\n"
    site = make_site({"pages/corrections.md": policy, "articles/a.md": article("Bridge")})
    site.build_here()
    assert site.page("corrections/").text("//h1") == "Our corrections policy"
    before = site.snapshot()
    site.write("articles/a.md", CORRECTED)
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    [error] = [e for e in failed.value.errors if e.severity == "error"]
    assert str(error.path) == "newsgen.yaml"
    assert "corrections.url" in error.message and "pages/corrections.md" in error.message
    assert site.snapshot() == before
    site.write("newsgen.yaml", SMALL_CONFIG + "corrections:\n  url: /fixes/\n")
    site.build_here()
    assert site.page("corrections/").text("//h1") == "Our corrections policy"
    assert site.page("fixes/").text("//h1") == "Corrections"


def test_a_toml_correction_is_named_at_its_entry(make_site: MakeSite) -> None:
    text = (
        '+++\ntitle = "Bridge"\ndate = 2025-03-05T09:00:00Z\n\n[[corrections]]\n'
        'date = 2025-03-06\ntext = "Fine."\n\n[[corrections]]\ntext = "No date."\n+++\nBody.\n'
    )
    site = make_site({"articles/a.md": text})
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    [error] = failed.value.errors
    assert (str(error.path), error.line) == ("articles/a.md", 9)
    assert "correction 2 has no date" in error.message


def test_a_correction_the_sanitizer_empties_is_an_error_named_as_a_correction(
    make_site: MakeSite,
) -> None:
    """A correction is the archive's word that something was wrong: one left blank once its
    script is removed would publish an empty notice. What is removed is named as the
    correction's, not the body's (where a journalist would look in vain)."""
    text = """\
---
title: Bridge
date: 2025-03-05 09:00
corrections:
  - date: 2025-03-06
    text: "<script>alert(1)</script>"
  - date: 2025-03-07
    text: "The cost was £3m.<script>alert(2)</script>"
---
Body.
"""
    site = make_site({"articles/a.md": text})
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    found = sorted((e.line, e.severity, e.message) for e in failed.value.errors)
    assert [(line, severity) for line, severity, _ in found] == [
        (5, "error"),
        (5, "warning"),
        (7, "warning"),
    ]
    assert "correction 1 has no text a reader would see" in found[0][2]
    assert all("body" not in message for *_, message in found)
    assert "removed <script> from correction 2" in found[2][2]


def test_an_alias_at_the_corrections_page_names_the_setting_that_moves_it(
    make_site: MakeSite,
) -> None:
    """An old URL kept as an alias at /corrections/ blocks the first correction: the error
    says what to change (the alias, or corrections.url), as a page there does."""
    old = article("Old policy", "2025-02-01 09:00", aliases="[/corrections/]")
    site = make_site({"articles/old.md": old, "articles/a.md": CORRECTED})
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    [error] = failed.value.errors
    assert str(error.path) == "articles/old.md"
    assert "alias /corrections/" in error.message
    assert "corrections.url in newsgen.yaml" in error.message


def test_a_wrong_corrections_value_is_explained_in_the_file_s_own_dialect(
    make_site: MakeSite,
) -> None:
    """The example in the message is one the journalist can copy into that file: TOML in a
    TOML file, JSON in a JSON one; metadata lines (Pelican's) cannot hold a list at all."""
    toml = '+++\ntitle = "Bridge"\ndate = 2025-03-05T09:00:00Z\ncorrections = "Fixed."\n+++\nB.\n'
    headers = "Title: Bridge\nDate: 2025-03-05 09:00\nCorrections: 2025-03-06 fixed\n\nB.\n"
    json_fm = '{"title": "Bridge", "date": "2025-03-05", "corrections": "Fixed."}\n\nB.\n'
    site = make_site({"articles/t.md": toml, "articles/h.md": headers, "articles/j.md": json_fm})
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    found = {str(e.path): e.message for e in failed.value.errors}
    assert 'corrections = [{date = 2027-03-04, text = "' in found["articles/t.md"]
    assert '"corrections": [{"date": "2027-03-04", "text": "' in found["articles/j.md"]
    assert (
        "metadata line: corrections need front matter between --- lines" in found["articles/h.md"]
    )
