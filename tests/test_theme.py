"""Templates and static files: the built-in theme's, and a site's own that override them."""

from __future__ import annotations

import pytest
from conftest import MakeSite, article
from newssite import built

from newsgen.theme import builtin_theme_dir

pytestmark = pytest.mark.fast


def test_theme_static_files_are_copied(make_site: MakeSite) -> None:
    site = built(make_site({"articles/a.md": article()}))
    theme_css = builtin_theme_dir() / "static" / "style.css"
    assert (site.out / "static/style.css").read_bytes() == theme_css.read_bytes()


def test_site_static_files_are_copied_and_override_the_theme(make_site: MakeSite) -> None:
    png = bytes(range(256))
    site = built(
        make_site(
            {
                "articles/a.md": article(),
                "static/style.css": "body { color: rebeccapurple; }\n",
                "static/img/deep/logo.png": png,
            }
        )
    )
    assert (site.out / "static/style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (site.out / "static/img/deep/logo.png").read_bytes() == png


def test_site_template_overrides_the_theme_by_name(make_site: MakeSite) -> None:
    site = built(
        make_site(
            {
                "articles/a.md": article("A", "2024-01-01"),
                "templates/404.html": """\
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8"><title>Lost</title></head>
                    <body><h1>Our own 404</h1></body></html>
                    """,
            }
        )
    )
    assert site.page("404.html").text("//h1") == "Our own 404"
    assert site.page("2024/01/01/a/").text("//h1") == "A"  # other templates still the theme's


def test_override_extends_the_theme_and_sees_unknown_front_matter(make_site: MakeSite) -> None:
    site = built(
        make_site(
            {
                "articles/a.md": article(
                    "With subtitle", "2024-01-01", subtitle='"Extra: kept & shown"'
                ),
                "templates/article.html": """\
                    {% extends "!theme/article.html" %}
                    {% block head %}
                    {{ super() }}
                    <meta name="subtitle" content="{{ article.extra.subtitle }}">
                    {% endblock %}
                    """,
            }
        )
    )
    page = site.page("2024/01/01/a/")
    assert page.attrs("//head/meta[@name='subtitle']", "content") == ["Extra: kept & shown"]
    # super() kept the theme's head, and the theme's body is untouched.
    assert page.attrs("//head/meta[@property='og:title']", "content") == ["With subtitle"]
    assert page.text("//h1") == "With subtitle"
