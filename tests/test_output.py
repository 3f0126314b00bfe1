"""What `newsgen build` writes: the CLI, the site layout, config, articles and every page.

Most tests read one small news site (`news`) built once per module: five published articles
and a draft, in Markdown and wire copy, at several depths, with non-ASCII names and tags, under
a base_url with a path. Tests that need a different config build their own site.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import html5lib
import pytest
from conftest import MakeSite, Page, SiteDir, article, run_newsgen
from lxml import etree

from newsgen.theme import builtin_theme_dir

BASE_URL = "https://example.org/news/"
BASE_PATH = "/news/"
NEWS_CONFIG = """\
title: "Harbour & Hill News"
description: "Local news: harbour, hill and town."
base_url: "https://example.org/news/"
language: "en-GB"
timezone: "Europe/Berlin"
per_page: 2
author: "Newsroom"
"""

# Wire copy with curly quotes, an em dash, a pound sign, markup-like text, consecutive lines and
# an opening quote never closed on the last line, which has no newline after it.
WIRE_LINES = [
    "Harbour ferry “Morning Star” returns — fares rise to £4.50.",
    "The skipper said: \u2018It\u2019s been a long winter\u2019 & the crew agreed.",
    "<b>Not bold</b>, *not emphasis*, [not a link](x.html) and 3 < 4 stay as typed.",
    "# Not a heading",
    "- not a list item",
    "A passenger on the quay added: “We\u2019ll believe it when we see",
]
WIRE_BODY = "\n".join([WIRE_LINES[0], "", WIRE_LINES[1], WIRE_LINES[2], "   ", "", *WIRE_LINES[3:]])

LONG_PARAGRAPH = " ".join(
    f"The council met again on day {n} to discuss the harbour wall and its repairs."
    for n in range(1, 8)
)

NEWS_FILES: dict[str, str | bytes] = {
    # Oldest: an ISO date, no author (the config's default), the first spelling "Defence".
    "articles/2019/2019-03-01-First_Story, Part 1.md": article(
        "First story",
        "2019-03-01",
        LONG_PARAGRAPH + "\n\nSecond paragraph.",
        tags="[Defence, Harbour]",
    ),
    # Deeply nested; the offset form of docs/articles.md; tags as a string; a given summary.
    "articles/2019/05/deep/nested/2019-05-13-second-report.md": article(
        "Second report",
        "2019-05-13 10:00:00 +0200",
        "Turnout was ~~low~~ high this year.\n\n"
        "| Ward | Votes |\n|------|------:|\n| Harbour | 612 |\n| Hill | 498 |\n\n"
        "# Reaction\n\nCandidates spoke.",
        tags='"defence, Zürich"',
        author='"Jane Doe"',
        summary='"Given summary: short & sweet."',
    ),
    # No date: the file name's prefix gives it. Non-ASCII name, several authors.
    "articles/2019-06-02-café-müller.md": article(
        "Café Müller reopens",
        "x",
        "The café is open.",
        tags="[DEFENCE, Москва]",
        authors='["Ann One", "Bob Two"]',
    ).replace("date: x\n", ""),
    # Wire copy with a Cyrillic file name and a naive datetime (read in the site timezone).
    "articles/2019-07-04-новости.txt": (
        '---\ntitle: "Wire: ferry returns"\ndate: 2019-07-04 10:00\ntags: Москва\n---\n' + WIRE_BODY
    ).encode("utf-8"),
    # Newest: an offset other than the site's, a given slug, `updated`, an unknown key.
    "articles/z.md": article(
        '"Fifth: colon & ampersand"',
        "2019-08-01T03:00:00-04:00",
        "Fifth body.",
        slug="custom-slug",
        updated="2019-08-02 12:00",
        tags="[Harbour]",
        subtitle='"A subtitle for templates"',
    ),
    # A draft, newer than everything else: only with --drafts.
    "articles/draft.md": article(
        "Unpublished draft", "2019-09-01", "Secret.", draft="true", tags="[Drafty]"
    ),
}

# Published articles, newest first: (url relative to base_url, title).
NEWS_ARTICLES = [
    ("2019/08/01/custom-slug/", "Fifth: colon & ampersand"),
    ("2019/07/04/новости/", "Wire: ferry returns"),
    ("2019/06/02/cafe-muller/", "Café Müller reopens"),
    ("2019/05/13/second-report/", "Second report"),
    ("2019/03/01/first-story-part-1/", "First story"),
]
NEWS_TITLES = [title for _, title in NEWS_ARTICLES]
URL = dict((title, url) for url, title in NEWS_ARTICLES)


def new_site(root: Path, files: dict[str, str | bytes], config: str | None) -> SiteDir:
    """The same site make_site writes, for module-scoped fixtures."""
    site = SiteDir(root)
    (root / "articles").mkdir(parents=True, exist_ok=True)
    if config is not None:
        site.write("newsgen.yaml", config)
    for rel, content in files.items():
        site.write(rel, content)
    return site


def built(site: SiteDir, *extra: str) -> SiteDir:
    result = site.build(*extra)
    assert result.code == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    return built(new_site(tmp_path_factory.mktemp("news") / "site", NEWS_FILES, NEWS_CONFIG))


@pytest.fixture(scope="module")
def news_with_drafts(news: SiteDir, tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    """The same site built with --drafts into another folder (its build/ is the output)."""
    other = SiteDir(tmp_path_factory.mktemp("drafts"))
    result = run_newsgen("build", news.root, "-o", other.out, "--drafts")
    assert result.code == 0, result.stderr
    return other


# --- helpers -------------------------------------------------------------------------------


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def url_of(out: Path, file: Path, base_url: str) -> str:
    """The absolute URL that serves a built file."""
    rel = file.relative_to(out).as_posix().removesuffix("index.html")
    return base_url + quote(rel)


def file_for(out: Path, base_path: str, url_path: str) -> Path | None:
    """The built file a URL path (percent-encoded) is served from, or None outside base_path."""
    path = unquote(url_path)
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path) :]
    target = out / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def broken_links(out: Path, base_url: str) -> tuple[int, list[str]]:
    """Follow every href and src of every page; return (links checked, problems)."""
    base = urlsplit(base_url)
    checked, problems = 0, []
    for file in html_files(out):
        here = url_of(out, file, base_url)
        page = Page.parse(file.read_bytes())
        for link in page.attrs("//*[@href]", "href") + page.attrs("//*[@src]", "src"):
            parts = urlsplit(link)
            if not parts.path:  # "#main": a fragment of this page
                continue
            if not parts.scheme and not parts.netloc and not link.startswith(base.path):
                problems.append(f"{file.relative_to(out)}: {link} is not under {base.path}")
            target = urlsplit(urljoin(here, link))
            if target.netloc != base.netloc:
                continue  # another site
            checked += 1
            served = file_for(out, base.path, target.path)
            if served is None or not served.is_file():
                problems.append(f"{file.relative_to(out)}: {link} does not resolve")
    return checked, problems


def listing(page: Page) -> list[dict[str, str]]:
    """The articles a listing page shows: title, link, date and summary."""
    items = []
    for item in page.all("//main//article"):
        link = item.xpath(".//h2/a")[0]
        summary = item.xpath(".//p[@class='summary']")
        items.append(
            {
                "title": "".join(link.itertext()),
                "href": link.get("href"),
                "datetime": item.xpath(".//time/@datetime")[0],
                "summary": "".join(summary[0].itertext()) if summary else "",
            }
        )
    return items


def rel_link(page: Page, rel: str) -> str | None:
    """The href of the page's only link with this rel, or None."""
    found = page.attrs(f"//main//a[@rel='{rel}']", "href")
    assert len(found) <= 1, f"{len(found)} links with rel={rel}"
    return found[0] if found else None


def body_of(page: Page) -> etree._Element:
    found = page.all("//main//article//div[@class='body']")
    assert len(found) == 1
    return found[0]


# --- the command line ----------------------------------------------------------------------

SUMMARY_RE = re.compile(r"^Built (\d+) articles?, (\d+) pages?, (\d+) tags? in (\d+(?:\.\d+)?) s\b")


def test_build_defaults_to_current_directory_and_prints_one_summary_line(
    make_site: MakeSite,
) -> None:
    site = make_site(
        {
            "articles/a.md": article("A", "2024-01-01", tags="[One, Two]"),
            "articles/b.md": article("B", "2024-01-02", tags="[two]"),
            "articles/c.txt": article("C", "2024-01-03"),
        }
    )
    result = run_newsgen("build", cwd=site.root)  # python -m newsgen, no SITE, no -o
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    match = SUMMARY_RE.match(lines[0])
    assert match, lines[0]
    articles, pages, tags, seconds = match.groups()
    built_pages = html_files(site.out)
    assert (int(articles), int(pages), int(tags)) == (3, len(built_pages), 2)
    assert float(seconds) >= 0  # a number of seconds (how many is not the test's business)
    assert (site.out / "index.html").is_file()
    assert site.page("2024/01/03/c/").text("//h1") == "C"


def test_build_writes_to_the_output_option_only(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"articles/a.md": article("A", "2024-01-01")})
    out = tmp_path / "elsewhere" / "public"
    result = run_newsgen("build", site.root, "-o", out)
    assert result.code == 0, result.stderr
    assert (out / "2024/01/01/a/index.html").is_file()
    assert not site.out.exists()


def test_console_script_is_installed(make_site: MakeSite) -> None:
    """`newsgen` (the [project.scripts] entry point) runs the same command line."""
    script = Path(sys.executable).with_name("newsgen")
    assert script.is_file(), "the newsgen script is not installed beside python"
    site = make_site({"articles/a.md": article("A", "2024-01-01")})
    proc = subprocess.run(
        [str(script), "build", str(site.root)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert SUMMARY_RE.match(proc.stdout)
    assert (site.out / "2024/01/01/a/index.html").is_file()


# --- site layout: depth, static files, templates ------------------------------------------


def test_articles_at_any_depth_are_built(news: SiteDir) -> None:
    # NEWS_FILES has articles at depth 0, 1 and 4 below articles/.
    for url, title in NEWS_ARTICLES:
        assert news.page(url).text("//h1") == title


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


# --- configuration -------------------------------------------------------------------------


def test_config_title_description_and_language_reach_every_page(news: SiteDir) -> None:
    for file in html_files(news.out):
        page = Page.parse(file.read_bytes())
        assert page.attrs("/html", "lang") == ["en-GB"], file
    home = news.page("")
    assert home.text("//title") == "Harbour & Hill News"
    assert home.attrs("//meta[@name='description']", "content") == [
        "Local news: harbour, hill and town."
    ]


def test_naive_dates_are_in_the_site_timezone(news: SiteDir) -> None:
    # 2019-07-04 10:00 in Europe/Berlin is summer time.
    page = news.page(URL["Wire: ferry returns"])
    assert page.attrs("//main//span[@class='published']/time", "datetime") == [
        "2019-07-04T10:00:00+02:00"
    ]


def test_date_forms(news: SiteDir) -> None:
    byline = "//main//span[@class='published']/time"
    expected = {
        "First story": "2019-03-01T00:00:00+01:00",  # ISO date, winter time
        "Second report": "2019-05-13T10:00:00+02:00",  # "2019-05-13 10:00:00 +0200"
        "Café Müller reopens": "2019-06-02T00:00:00+02:00",  # from the file name
    }
    for title, when in expected.items():
        assert news.page(URL[title]).attrs(byline, "datetime") == [when], title
    # An offset other than the site's: the same instant, shown in the site's timezone.
    shown = news.page(URL["Fifth: colon & ampersand"]).attrs(byline, "datetime")[0]
    assert datetime.fromisoformat(shown) == datetime(2019, 8, 1, 7, 0, tzinfo=UTC)
    assert shown == "2019-08-01T09:00:00+02:00"


def test_default_author_is_shown_when_an_article_names_none(news: SiteDir) -> None:
    authors = "//main//p[@class='byline']//*[@class='authors']"
    assert news.page(URL["First story"]).text(authors) == "By Newsroom"
    assert news.page(URL["Second report"]).text(authors) == "By Jane Doe"
    assert news.page(URL["Café Müller reopens"]).text(authors) == "By Ann One and Bob Two"


def test_per_page_defaults_to_20(make_site: MakeSite) -> None:
    files = {
        f"articles/{n:02d}.md": article(f"Story {n:02d}", f"2024-01-{n:02d}") for n in range(1, 22)
    }
    site = built(make_site(files))
    first = [item["title"] for item in listing(site.page(""))]
    assert first == [f"Story {n:02d}" for n in range(21, 1, -1)]
    assert [item["title"] for item in listing(site.page("page/2/"))] == ["Story 01"]
    assert not (site.out / "page/3").exists()


@pytest.mark.parametrize(
    ("pattern", "url", "file"),
    [
        ("/news/{year}/{slug}.html", "/news/2024/hello.html", "news/2024/hello.html"),
        ("/{year}/{month}/{slug}/", "/2024/05/hello/", "2024/05/hello/index.html"),
    ],
)
def test_permalink_pattern_places_articles(
    make_site: MakeSite, pattern: str, url: str, file: str
) -> None:
    config = f'title: "T"\nbase_url: "https://example.org/"\npermalink: "{pattern}"\n'
    site = built(
        make_site({"articles/2024-05-01-hello.md": article("Hello", "2024-05-01")}, config)
    )
    assert Page.parse((site.out / file).read_bytes()).text("//h1") == "Hello"
    assert site.page("").attrs("//main//article//h2/a", "href") == [url]
    assert sitemap_locs(site.out) >= {"https://example.org" + url}
    assert not (site.out / "2024/05/01").exists()


def test_markdown_html_option(make_site: MakeSite) -> None:
    body = 'Before.\n\n<aside class="raw">Raw block</aside>\n\nAfter.'
    files = {"articles/a.md": article("A", "2024-01-01", body)}
    on = built(
        make_site(files, 'base_url: "https://example.org/"\nmarkdown:\n  html: true\n', "on")
    )
    off = built(
        make_site(files, 'base_url: "https://example.org/"\nmarkdown:\n  html: false\n', "off")
    )
    default = built(make_site(files, 'base_url: "https://example.org/"\n', "default"))
    assert on.page("2024/01/01/a/").texts("//main//aside[@class='raw']") == ["Raw block"]
    assert off.page("2024/01/01/a/").all("//main//aside") == []
    # sanitize, the default, keeps harmless markup.
    assert default.page("2024/01/01/a/").texts("//main//aside[@class='raw']") == ["Raw block"]


# --- article files -------------------------------------------------------------------------


def test_tags_as_list_or_comma_separated_string(news: SiteDir) -> None:
    second = news.page(URL["Second report"])  # tags: "defence, Zürich"
    assert second.texts("//main//a[@rel='tag']") == ["Defence", "Zürich"]
    first = news.page(URL["First story"])  # tags: [Defence, Harbour]
    assert first.texts("//main//a[@rel='tag']") == ["Defence", "Harbour"]


def test_summary_defaults_to_first_paragraph_cut_at_a_word_boundary(news: SiteDir) -> None:
    items = {item["title"]: item for item in listing(news.page("page/3/"))}
    summary = items["First story"]["summary"]
    assert summary.endswith("…")
    kept = summary.removesuffix("…")
    assert len(summary) < len(LONG_PARAGRAPH)
    assert LONG_PARAGRAPH.startswith(kept)
    assert LONG_PARAGRAPH[len(kept)] == " ", "cut inside a word"
    assert len(kept) > 50


def test_given_summary_is_used(news: SiteDir) -> None:
    items = {item["title"]: item for item in listing(news.page("page/2/"))}
    assert items["Second report"]["summary"] == "Given summary: short & sweet."
    assert items["Café Müller reopens"]["summary"] == "The café is open."


def test_given_slug_sets_the_url(news: SiteDir) -> None:
    assert (news.out / "2019/08/01/custom-slug/index.html").is_file()
    assert not (news.out / "2019/08/01/z").exists()


def test_drafts_are_left_out_unless_asked_for(news: SiteDir, news_with_drafts: SiteDir) -> None:
    assert not (news.out / "2019/09/01").exists()
    assert not (news.out / "tags/drafty").exists()
    assert "Unpublished draft" not in [i["title"] for i in listing(news.page(""))]
    assert "Unpublished draft" not in feed_titles(news.out)

    page = news_with_drafts.page("2019/09/01/draft/")
    assert page.text("//h1") == "Unpublished draft"
    assert listing(news_with_drafts.page(""))[0]["title"] == "Unpublished draft"
    assert (news_with_drafts.out / "tags/drafty/index.html").is_file()


def test_updated_date_is_shown(news: SiteDir) -> None:
    page = news.page(URL["Fifth: colon & ampersand"])
    assert page.attrs("//main//span[@class='updated']/time", "datetime") == [
        "2019-08-02T12:00:00+02:00"
    ]
    assert page.text("//main//span[@class='updated']") == "Updated 2 August 2019, 12:00 CEST"
    assert news.page(URL["First story"]).all("//main//span[@class='updated']") == []


def test_markdown_tables_and_strikethrough(news: SiteDir) -> None:
    body = body_of(news.page(URL["Second report"]))
    assert [" ".join(th.itertext()).strip() for th in body.xpath(".//table//th")] == [
        "Ward",
        "Votes",
    ]
    assert [" ".join(td.itertext()).strip() for td in body.xpath(".//table//td")] == [
        "Harbour",
        "612",
        "Hill",
        "498",
    ]
    struck = body.xpath(".//s | .//del")
    assert ["".join(e.itertext()) for e in struck] == ["low"]
    # The title is the page's only <h1>: body headings start at <h2>.
    assert [h.text for h in body.xpath(".//h1 | .//h2")] == ["Reaction"]
    assert body.xpath(".//h2/text()") == ["Reaction"]


def test_wire_copy_lines_are_paragraphs_exactly_as_written(news: SiteDir) -> None:
    body = body_of(news.page(URL["Wire: ferry returns"]))
    assert ["".join(p.itertext()) for p in body] == WIRE_LINES
    assert [p.tag for p in body] == ["p"] * len(WIRE_LINES)
    assert all(len(p) == 0 for p in body), "wire copy produced markup"


# --- slugs and tags ------------------------------------------------------------------------


def test_non_ascii_file_names_and_tags_give_working_urls(news: SiteDir) -> None:
    links = {item["title"]: item["href"] for item in listing(news.page("page/2/"))}
    links |= {item["title"]: item["href"] for item in listing(news.page(""))}
    assert unquote(links["Café Müller reopens"]) == "/news/2019/06/02/cafe-muller/"
    wire = unquote(links["Wire: ferry returns"])
    assert wire == "/news/2019/07/04/новости/"
    tag_links = dict(
        zip(
            news.page("tags/").texts("//main//li/a"),
            news.page("tags/").attrs("//main//li/a", "href"),
            strict=True,
        )
    )
    for href in [
        *links.values(),
        tag_links["Zürich"],
        tag_links["Москва"],
    ]:
        served = file_for(news.out, BASE_PATH, href)
        assert served is not None and served.is_file(), href
    moscow = Page.parse(file_for(news.out, BASE_PATH, tag_links["Москва"]).read_bytes())
    assert [i["title"] for i in listing(moscow)] == [
        "Wire: ferry returns",
        "Café Müller reopens",
    ]


def test_file_name_is_slugified_without_its_date_prefix(news: SiteDir) -> None:
    # "2019-03-01-First_Story, Part 1.md"
    assert news.page("2019/03/01/first-story-part-1/").text("//h1") == "First story"


def test_tags_are_case_insensitive_with_the_oldest_spelling(news: SiteDir) -> None:
    # "Defence" (oldest), "defence" (the first file found on disk), "DEFENCE": one tag.
    assert sorted(p.name for p in (news.out / "tags").iterdir() if p.is_dir()) == sorted(
        ["defence", "harbour", "zurich", "москва"]
    )
    page = news.page("tags/defence/")
    assert page.text("//h1").endswith("Defence")
    cafe = news.page(URL["Café Müller reopens"])
    assert cafe.texts("//main//a[@rel='tag']")[0] == "Defence"


# --- pages ---------------------------------------------------------------------------------


def test_article_page(news: SiteDir) -> None:
    page = news.page(URL["Second report"])
    assert page.texts("//h1") == ["Second report"]
    assert page.attrs("//main//span[@class='published']/time", "datetime") == [
        "2019-05-13T10:00:00+02:00"
    ]
    assert "Turnout was" in page.text("//main//article//div[@class='body']/p[1]")
    # Tags link to their tag pages, which list this article.
    for href in page.attrs("//main//a[@rel='tag']", "href"):
        tag_page = Page.parse(file_for(news.out, BASE_PATH, href).read_bytes())
        assert "Second report" in [i["title"] for i in listing(tag_page)]


def test_previous_and_next_articles_are_the_neighbours(news: SiteDir) -> None:
    # Newest first: index i's older neighbour is i + 1, its newer one i - 1.
    for i, (url, title) in enumerate(NEWS_ARTICLES):
        page = news.page(url)
        older = NEWS_ARTICLES[i + 1][0] if i + 1 < len(NEWS_ARTICLES) else None
        newer = NEWS_ARTICLES[i - 1][0] if i > 0 else None
        prev, nxt = rel_link(page, "prev"), rel_link(page, "next")
        assert (prev and unquote(prev)) == (older and BASE_PATH + older), title
        assert (nxt and unquote(nxt)) == (newer and BASE_PATH + newer), title


def test_home_lists_newest_first_with_pagination(news: SiteDir) -> None:
    pages = ["", "page/2/", "page/3/"]
    seen = []
    for number, rel in enumerate(pages):
        page = news.page(rel)
        items = listing(page)
        assert len(items) == (2 if number < 2 else 1)
        seen += [item["title"] for item in items]
        for item in items:
            assert item["datetime"] and item["summary"]
        prev, nxt = rel_link(page, "prev"), rel_link(page, "next")
        assert prev == (BASE_PATH + pages[number - 1] if number > 0 else None)
        assert nxt == (BASE_PATH + pages[number + 1] if number < 2 else None)
    assert seen == NEWS_TITLES
    assert not (news.out / "page/4").exists()
    assert not (news.out / "page/1").exists()
    dates = [i["datetime"] for rel in pages for i in listing(news.page(rel))]
    assert dates == sorted(dates, key=datetime.fromisoformat, reverse=True)


def test_tag_index_lists_every_tag_with_its_count(news: SiteDir) -> None:
    counts = {}
    for li in news.page("tags/").all("//main//li[a]"):
        name = "".join(li.xpath("./a")[0].itertext())
        rest = "".join(li.itertext()).replace(name, "", 1)
        counts[name] = int(re.search(r"\d+", rest).group())
    assert counts == {
        "Defence": 3,
        "Harbour": 2,
        "Zürich": 1,
        "Москва": 2,
    }


def test_tag_pages_list_newest_first_with_pagination(news: SiteDir) -> None:
    first, second = news.page("tags/defence/"), news.page("tags/defence/page/2/")
    assert [i["title"] for i in listing(first) + listing(second)] == [
        "Café Müller reopens",
        "Second report",
        "First story",
    ]
    assert rel_link(first, "prev") is None
    assert rel_link(first, "next") == "/news/tags/defence/page/2/"
    assert rel_link(second, "prev") == "/news/tags/defence/"
    assert rel_link(second, "next") is None
    assert not (news.out / "tags/defence/page/3").exists()
    harbour = news.page("tags/harbour/")
    assert [i["title"] for i in listing(harbour)] == ["Fifth: colon & ampersand", "First story"]
    assert rel_link(harbour, "next") is None


def test_every_internal_link_is_under_the_base_path_and_resolves(news: SiteDir) -> None:
    checked, problems = broken_links(news.out, BASE_URL)
    assert problems == []
    assert checked > 100


def test_every_page_is_valid_html5(news: SiteDir) -> None:
    files = html_files(news.out)
    assert len(files) >= 14
    for file in files:
        data = file.read_bytes()
        name = file.relative_to(news.out).as_posix()
        assert re.match(rb"\s*<!doctype html>", data, re.IGNORECASE), name
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
        page = Page.parse(data)
        assert page.attrs("/html", "lang") == ["en-GB"], name
        assert [c.lower() for c in page.attrs("//head/meta[@charset]", "charset")] == ["utf-8"]
        viewport = page.attrs("//head/meta[@name='viewport']", "content")
        assert len(viewport) == 1 and "width=device-width" in viewport[0], name
        assert page.text("//head/title").strip(), name
        assert len(page.all("//h1")) == 1, name


# --- crawler files -------------------------------------------------------------------------

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locs(out: Path) -> set[str]:
    tree = etree.parse(str(out / "sitemap.xml"))
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    assert len(locs) == len(set(locs)), "duplicate URLs in the sitemap"
    return set(locs)


def feed_titles(out: Path) -> list[str]:
    tree = etree.parse(str(out / "feed.xml"))
    return tree.xpath("//item/title/text()")


def test_sitemap_lists_every_page_but_the_404_and_search(news: SiteDir) -> None:
    pages = {
        url_of(news.out, f, BASE_URL)
        for f in html_files(news.out)
        if not f.relative_to(news.out).as_posix().startswith("pagefind/")
    }
    assert sitemap_locs(news.out) == pages - {BASE_URL + "404.html", BASE_URL + "search/"}
    assert news.page("search/").attrs("//meta[@name='robots']", "content") == ["noindex"]


def test_404_page_and_robots_txt(news: SiteDir) -> None:
    assert news.page("404.html").text("//title")
    robots = (news.out / "robots.txt").read_text(encoding="utf-8").splitlines()
    sitemaps = [line.split(":", 1)[1].strip() for line in robots if line.startswith("Sitemap:")]
    assert sitemaps == [BASE_URL + "sitemap.xml", BASE_URL + "news-sitemap.xml"]
    assert "User-agent: *" in robots


# --- determinism ---------------------------------------------------------------------------


def test_builds_are_byte_identical_and_free_of_the_wall_clock(
    news: SiteDir, tmp_path: Path
) -> None:
    first = news.snapshot()
    time.sleep(1.1)
    again = SiteDir(tmp_path / "again")
    result = run_newsgen("build", news.root, "-o", again.out)
    assert result.code == 0, result.stderr
    second = again.snapshot()
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    # The articles are from 2019: today's date must appear nowhere.
    months = "January February March April May June July August September October November December"
    for today in {date.today(), datetime.now(UTC).date()}:
        stamps = [
            today.isoformat(),
            f"{today.day} {months.split()[today.month - 1]} {today.year}",
            f"{today.day:02d} {months.split()[today.month - 1][:3]} {today.year}",
        ]
        for name, data in first.items():
            text = data.decode("utf-8", "replace")
            assert not [s for s in stamps if s in text], name


def test_build_does_not_depend_on_file_discovery_order(make_site: MakeSite) -> None:
    """Equal dates: the order is still total, so renaming the files changes nothing."""
    files = {
        f"articles/{n}.md": article(f"Same {n}", "2024-01-01 10:00", slug=f"s{n}") for n in "ab"
    }
    one = built(make_site(files, name="one"))
    two = built(make_site({k.replace("a.md", "c.md"): v for k, v in files.items()}, name="two"))
    assert one.snapshot() == two.snapshot()


def tag_pages(site: SiteDir) -> dict[str, list[str]]:
    """Each tag's name on /tags/ → the titles its own page lists."""
    index = site.page("tags/")
    result = {}
    for link in index.all("//main//li/a"):
        page = site.page(unquote(link.get("href")).lstrip("/"))
        result["".join(link.itertext())] = page.texts("//main//h2")
    return result


def test_tags_that_differ_by_more_than_case_stay_apart(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("On C", date="2024-01-01", tags='["C"]'),
            "articles/b.md": article("On C++", date="2024-01-02", tags='["C++"]'),
            "articles/c.md": article("On C#", date="2024-01-03", tags='["C#"]'),
            "articles/d.md": article("Gas", date="2024-01-04", tags='["ガス"]'),
            "articles/e.md": article("Dregs", date="2024-01-05", tags='["カス"]'),
            "articles/f.md": article("Also C", date="2024-01-06", tags='["c"]'),
        }
    )
    assert site.build().code == 0
    assert tag_pages(site) == {
        "C": ["Also C", "On C"],
        "C#": ["On C#"],
        "C++": ["On C++"],
        "カス": ["Dregs"],
        "ガス": ["Gas"],
    }


def test_slugs_keep_the_letters_of_every_script(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/2024-01-01-ガス料金.md": article("Gas"),
            "articles/2024-01-02-йогурт.md": article("Yoghurt"),
            "articles/explicit.md": article("Explicit", slug="café-привет"),
        }
    )
    result = site.build()
    assert result.code == 0, result.stderr
    hrefs = {unquote(a.get("href")) for a in site.page("").all("//main//h2/a")}
    assert hrefs == {
        "/2024/05/01/ガス料金/",
        "/2024/05/01/йогурт/",
        "/2024/05/01/café-привет/",
    }


def test_symlinked_static_folders_inside_the_site_are_published(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A")})
    shared = site.root / "shared-assets"
    (shared / "logos").mkdir(parents=True)
    (shared / "logos" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (site.root / "static").mkdir()
    (site.root / "static" / "brand").symlink_to(shared, target_is_directory=True)
    (shared / "logos" / "loop").symlink_to(site.root / "static", target_is_directory=True)
    result = site.build()
    assert result.code == 0, result.stderr
    assert (site.out / "static/brand/logos/logo.svg").read_text() == "<svg/>"
    # The link back up the tree is named, not followed for ever.
    assert "static/brand/logos/loop: warning: symlink loops" in result.stderr


def test_symlinks_leading_outside_the_site_are_refused(make_site: MakeSite, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("password", encoding="utf-8")
    site = make_site({"articles/a.md": article("A")})
    (site.root / "static").mkdir()
    (site.root / "static" / "passwd").symlink_to(tmp_path / "secret.txt")
    (site.root / "articles" / "elsewhere.md").symlink_to(tmp_path / "secret.txt")
    result = site.build()
    assert result.code == 1
    assert "static/passwd: symlink leads outside the site" in result.stderr
    assert "articles/elsewhere.md: symlink leads outside the site" in result.stderr
    assert not site.out.exists()


def test_editor_backup_folders_and_files_are_not_articles(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/live.md": article("Live"),
            "articles/old~/stale.md": article("Stale folder"),
            "articles/live.md~": article("Backup"),
            "articles/.hidden.md": article("Hidden"),
            "articles/#autosave.md#": article("Autosave"),
        }
    )
    assert site.build().code == 0
    assert site.page("").texts("//main//h2") == ["Live"]
