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
    assert (site.out / "theme/style.css").read_bytes() == theme_css.read_bytes()
    assert not (site.out / "static").exists()


def test_site_static_files_are_copied_and_override_the_theme(make_site: MakeSite) -> None:
    png = bytes(range(256))
    site = built(
        make_site(
            {
                "articles/a.md": article(),
                "static/theme/style.css": "body { color: rebeccapurple; }\n",
                "static/img/deep/logo.png": png,
            }
        )
    )
    # static/ is published at the root; the theme's files are under /theme/, where a
    # site's file of the same name replaces the theme's.
    assert (site.out / "theme/style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (site.out / "img/deep/logo.png").read_bytes() == png
    stylesheets = site.page("404.html").attrs("//head/link[@rel='stylesheet']", "href")
    assert stylesheets == ["/theme/style.css"]


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


BODY_READERS = """\
<!DOCTYPE html><html lang="en"><title>{{ article.title }}</title>
<div id="dot">{{ article.body_html }}</div>
<div id="item">{{ article['body_html'] }}</div>
<div id="map">{{ [article] | map(attribute='body_html') | first }}</div>
<div id="select">{{ [article] | selectattr('body_html') | list | length }}</div>
</html>
"""


def test_a_template_reads_the_body_every_way_jinja_allows(make_site: MakeSite) -> None:
    """Bodies are kept apart from the articles the cache recalls: every way a template
    reaches one still gets the body, on the first build and on a rebuild."""
    site = make_site(
        {
            "articles/a.md": article("A", "2024-01-01", body="Hello **bold**."),
            "articles/b.md": article("B", "2024-01-02"),
            "templates/article.html": BODY_READERS,
        }
    )
    for _ in range(2):
        built(site)
        (site.root / "articles/b.md").write_text(article("B", "2024-01-02", body="Again."))
        page = site.page("2024/01/01/a/")
        for holder in ("dot", "item", "map"):
            assert page.text(f"//div[@id='{holder}']/p") == "Hello bold.", holder
        assert page.text("//div[@id='select']") == "1"


def test_templates_no_page_uses_are_not_compiled_for_pages(make_site: MakeSite) -> None:
    """A name computed at render time makes a page depend on every template, but a site's
    shortcode templates (with their own filters) and stray files are not page templates."""
    site = make_site(
        {
            "articles/a.md": article("A", "2024-01-01", body="Hi {{< note >}}*inner*{{< /note >}}"),
            "templates/shortcodes/note.html": "<aside>{{ inner | markdownify }}</aside>",
            "templates/old-backup.html": "{% if %}\n",
            "templates/title.html": "Made",
            "templates/article.html": (
                '{% extends "!theme/article.html" %}'
                '{% block title %}{% include "ti" ~ "tle.html" %}{% endblock %}'
            ),
        }
    )
    page = built(site).page("2024/01/01/a/")
    assert page.text("//title") == "Made"
    assert page.text("//aside/p/em") == "inner"
