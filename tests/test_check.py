"""`newsgen check`: every rule on a small site made to break it, through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MakeSite, SiteDir, article, picture_bytes, run_newsgen

pytestmark = pytest.mark.fast

CONFIG = (
    'title: "T"\nbase_url: "https://example.org/news/"\nsearch: false\n'
    "publisher: {logo: https://cdn.example.net/logo.png}\n"
)


def check(site: SiteDir, *args: str) -> tuple[int, list[tuple[str, int | None, str, str]]]:
    """Exit code and the findings as (path, line, level, message), from --format json."""
    result = run_newsgen("check", site.root, "--format", "json", *args)
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    found = [(p["path"], p["line"], p["level"], p["message"]) for p in data["problems"]]
    assert data["errors"] == sum(1 for f in found if f[2] == "error")
    assert data["warnings"] == sum(1 for f in found if f[2] == "warning")
    return result.code, found


def messages_for(found: list, path: str) -> list[tuple[int | None, str, str]]:
    return [(line, level, message) for p, line, level, message in found if p == path]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    site = SiteDir(tmp_path_factory.mktemp("check"))
    # An archive whose bodies keep an image long gone (lost.png): named, not fatal.
    site.write("newsgen.yaml", CONFIG + "images:\n  missing: warning\n")
    site.write(
        "articles/2024-05-01-links.md",
        article(
            "Links",
            "2024-05-01 10:00",
            "\n".join(
                [
                    "[fine](../../02/other/) and [fine too](/news/tags/ukraine/)",
                    "[static](/news/theme/style.css) [bundle](../../03/bundle/chart.png)",
                    "[gone](../../09/nothing/) and [no id](../../02/other/#missing)",
                    "[an id](../../02/other/#background) [outside](https://elsewhere.example/x)",
                    "[quoted](../../02/other/#:~:text=Text)"
                    " [here](../../02/other/#background:~:text=Text)"
                    " [not](../../02/other/#nope:~:text=Text)",
                    "![lost](/news/static/lost.png)",
                    "",
                ]
            ),
            tags="[Ukraine]",
        ),
    )
    site.write(
        "articles/2024-05-02-other.md",
        article("Other", "2024-05-02 10:00", "## Background\n\nText.\n", tags="[ukraine]"),
    )
    site.write(
        "articles/2024-05-03-bundle/index.md",
        article("Bundle", "2024-05-03 10:00", "![chart](chart.png)\n", tags="[Ukriane, Québec]"),
    )
    site.write("articles/2024-05-03-bundle/chart.png", picture_bytes())
    site.write("articles/2024-05-04-q.md", article("Quebec vote", tags="[Quebec]"))
    site.write("articles/2024-05-05-dup.md", article("Links", "2024-05-05 10:00"))
    site.write("articles/2099-01-01-future.md", article("Tomorrow's news", "2099-01-01 10:00"))
    site.write(
        "articles/2024-05-06-shortcode.md",
        article("Tweet", "2024-05-06 10:00", "Before.\n\n{{< tweet user=x id=1 >}}\n"),
    )
    return site


def test_each_rule_finds_what_it_should(site: SiteDir) -> None:
    code, found = check(site)
    assert code == 0  # warnings only
    links = messages_for(found, "articles/2024-05-01-links.md")
    assert links == [
        (9, "warning", "link to ../../02/other/#missing: /2024/05/02/other/ has no #missing"),
        (
            9,
            "warning",
            "link to ../../09/nothing/ leads nowhere in the site (/2024/05/09/nothing/ is not"
            " built)",
        ),
        (
            11,
            "warning",
            "link to ../../02/other/#nope:~:text=Text: /2024/05/02/other/ has no #nope",
        ),
        (
            12,
            "warning",
            "image /news/static/lost.png is missing: no file of the site is published at"
            " /static/lost.png (put it in the article's own folder, beside index.md, or in"
            " static/); it is drawn as written",
        ),
    ]
    tags = [f for f in found if "looks like" in f[3]]
    assert sorted((path, message.split(" (")[0]) for path, _, _, message in tags) == [
        ("articles/2024-05-02-other.md", "tag 'ukraine'"),
        ("articles/2024-05-03-bundle/index.md", "tag 'Québec'"),
        ("articles/2024-05-03-bundle/index.md", "tag 'Ukriane'"),
    ]
    assert messages_for(found, "articles/2024-05-05-dup.md") == [
        (None, "warning", "has the same title as articles/2024-05-01-links.md")
    ]
    # A story dated after now is scheduled: listed apart (check_lists_what_is_held_back),
    # neither an error nor a warning.
    assert messages_for(found, "articles/2099-01-01-future.md") == []
    [(line, level, message)] = messages_for(found, "articles/2024-05-06-shortcode.md")
    assert (line, level) == (8, "warning") and "tweet" in message
    assert not (site.root / "build").exists(), "check writes no output"


def test_text_output_exit_codes_and_strict(site: SiteDir) -> None:
    result = run_newsgen("check", site.root)
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("Checked 6 articles and 0 pages in ")
    assert lines[-1].endswith(": 0 errors, 9 warnings")
    assert "articles/2024-05-05-dup.md: warning: has the same title as" in result.stdout
    assert run_newsgen("check", site.root, "--strict").code == 1


def test_check_lists_what_is_held_back_and_strict_does_not_fail_on_it(
    make_site: MakeSite,
) -> None:
    site = make_site(
        {
            "articles/now.md": article("Out", "2027-01-01 08:00"),
            "articles/later.md": article("Later", "2027-01-02 09:30"),
            "articles/embargo.md": "---\ntitle: E\ndate: 2026-12-31 10:00\n"
            "publish_at: 2027-01-03 06:00\n---\nx\n",
            "articles/gone.md": "---\ntitle: G\ndate: 2026-12-01 10:00\n"
            "expires: 2026-12-31 12:00\n---\nx\n",
            "articles/fixed.md": "---\ntitle: F\ndate: 2026-12-01 10:00\ncorrections:\n"
            "  - {date: 2027-11-01 09:00, text: Typo in the year.}\n---\nx\n",
        },
        config=CONFIG + "timezone: Europe/Paris\n",
    )
    result = run_newsgen("check", site.root, "--now", "2027-01-01 12:00", "--strict")
    assert result.code == 0, result.stdout + result.stderr  # intended: not a warning
    listed = [
        line
        for line in result.stdout.splitlines()
        if ": scheduled: " in line or ": exp" in line or ": correction: " in line
    ]
    assert listed == [
        "articles/later.md:3: scheduled: published at 2027-01-02 09:30 CET",
        "articles/embargo.md:4: scheduled: published at 2027-01-03 06:00 CET",
        "articles/gone.md:4: expired: taken down at 2026-12-31 12:00 CET",
        "articles/fixed.md:4: correction: dated 2027-11-01 09:00 CET, shown then",
    ]
    assert "Checked 2 articles and 0 pages" in result.stdout
    data = json.loads(
        run_newsgen("check", site.root, "--now", "2027-01-01T11:00Z", "--format", "json").stdout
    )
    assert [(h["path"], h["state"]) for h in data["held"]] == [
        ("articles/later.md", "scheduled"),
        ("articles/embargo.md", "scheduled"),
        ("articles/gone.md", "expired"),
        ("articles/fixed.md", "correction"),
    ]
    future = run_newsgen("check", site.root, "--now", "2027-01-01 12:00", "--future")
    assert "scheduled" not in future.stdout and "expired: taken down" in future.stdout
    assert "Checked 4 articles" in future.stdout


def test_errors_are_what_the_build_would_reject(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": "---\ntitle: A\ndate: not a date\n---\nx\n",
        "articles/b.md": article("B"),
        "templates/base.html": "{% block content %}\n{{ oops\n",
    }
    site = make_site(files, CONFIG + "per_page: lots\n")
    code, found = check(site)
    assert code == 1
    errors = {(p, line) for p, line, level, _ in found if level == "error"}
    assert errors == {("articles/a.md", 3), ("newsgen.yaml", 5), ("templates/base.html", 2)}
    text = run_newsgen("check", site.root).stdout
    assert "articles/a.md:3: error: 'date' is not a valid date" in text


def test_summaries_and_alt_text_when_the_config_asks(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": article("A", body="![](/news/theme/favicon.svg)\n\nText.\n"),
        "articles/b.md": article("B", "2024-05-02", summary="Written.", body="No image.\n"),
    }
    site = make_site(files, CONFIG)
    assert check(site) == (0, [])
    site.write("newsgen.yaml", CONFIG + "check:\n  summaries: true\n  alt_text: true\n")
    code, found = check(site)
    assert code == 0
    assert found == [
        ("articles/a.md", None, "warning", "has no summary"),
        (
            "articles/a.md",
            6,
            "warning",
            "image /news/theme/favicon.svg has no alt text: screen readers cannot describe it",
        ),
    ]


# -- Old URLs (--old-urls) and paths outside the archive (--known-paths) ----------------------

OLD_SITEMAP = """\
<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://old.example.org/news/</loc></url>
  <url><loc>https://old.example.org/news/2019/03/04/kept/</loc></url>
  <url><loc>https://old.example.org/news/2019/03/04/kept</loc></url>
  <url><loc>https://old.example.org/news/2019/03/04/kept/index.html</loc></url>
  <url><loc>https://old.example.org/news/blog/Harbour.Fund.html</loc></url>
  <url><loc>https://old.example.org/news/old-path/</loc></url>
  <url><loc>https://old.example.org/news/council-votes-again/</loc></url>
  <url><loc>https://old.example.org/news/images/map.png</loc></url>
  <url><loc>https://old.example.org/news/static/images/map.png</loc></url>
  <url><loc>https://old.example.org/news/files/minutes.pdf</loc></url>
  <url><loc>https://old.example.org/news/?p=42</loc></url>
  <url><loc>https://old.example.org/elsewhere/</loc></url>
  <url><loc>https://old.example.org/news/shop/basket/</loc></url>
  <url><loc>https://old.example.org/news/unpublished/</loc></url>
  <url><loc>https://old.example.org/news/category/nothing-like-it/</loc></url>
</urlset>
"""


@pytest.fixture
def moved(make_site: MakeSite) -> SiteDir:
    """A site at /news/ whose articles kept some of their old URLs and lost others."""
    return make_site(
        {
            "articles/2019/2019-03-04-kept.md": article("Kept", "2019-03-04 10:00"),
            "articles/2019/2019-03-05-Harbour.Fund.md": article("Harbour", "2019-03-05 10:00"),
            "articles/2019/2019-03-06-council.md": article(
                "Council votes again",
                "2019-03-06 10:00",
                "See the [shop](/news/shop/basket/) and the [gone](/news/nowhere/).\n",
                aliases='["/somewhere/"]',
            ),
            "articles/2019/2019-03-07-unpublished.md": article(
                "Later", "2019-03-07 10:00", draft="true"
            ),
            "articles/2019/2019-03-08-with-path.md": article(
                "Path", "2019-03-08 10:00", aliases='["/old-path/"]'
            ),
            "static/images/map.png": b"\x89PNG\r\n\x1a\n",
        },
        config=CONFIG,
    )


def test_old_urls_the_new_build_does_not_serve_are_grouped_with_the_alias_to_add(
    moved: SiteDir,
) -> None:
    """Each old URL is resolved as the deployed site will be: under /news/, a folder's
    index.html, a name without a slash redirected to its folder; only what is missing is
    listed, under its reason, with the exact front-matter line for a moved article."""
    (moved.root.parent / "sitemap.xml").write_text(OLD_SITEMAP, encoding="utf-8")
    result = run_newsgen(
        "check", moved.root, "--old-urls", moved.root.parent / "sitemap.xml",
        "--known-paths", _known(moved, "/news/shop/\n"),
    )  # fmt: skip
    assert result.code == 1, result.stdout
    lines = result.stdout.splitlines()
    head = next(line for line in lines if line.startswith("Old URLs:"))
    assert head.endswith(
        "15 in " + str(moved.root.parent / "sitemap.xml") + ", 6 served by the new build,"
        " 1 outside the archive (known paths), 8 missing:"
    )
    text = result.stdout
    # Moved: named by file (capitals and dots as written) and by title, each with its line.
    assert "https://old.example.org/news/blog/Harbour.Fund.html (now at /2019/03/05/" in text
    assert (
        "articles/2019/2019-03-05-Harbour.Fund.md: add the line"
        ' `aliases: ["/blog/Harbour.Fund.html"]` to its front matter'
    ) in text
    assert (
        'articles/2019/2019-03-06-council.md:4: add "/council-votes-again/" to its aliases list'
    ) in text
    assert "news/unpublished/ (articles/2019/2019-03-07-unpublished.md is a draft)" in text
    # static/ is published at the root, where a Jekyll or Hugo archive had it: the old
    # /news/images/map.png is served; a site made by an earlier newsgen had it under /static/.
    assert "news/images/map.png" not in text.replace("/static/images/map.png", "")
    assert (
        "news/static/images/map.png (the new build has it at /images/map.png"
        " (static_url: /static/ keeps it at /static/images/map.png))"
    ) in text
    assert "https://old.example.org/elsewhere/ (the base path is /news/)" in text
    for url in ("files/minutes.pdf", "?p=42", "category/nothing-like-it/"):
        assert f"https://old.example.org/news/{url}" in text
    assert lines[-1].endswith("8 old URLs missing")
    # The known path is no broken link either; the other one is.
    assert "/news/shop/basket/" not in text.split("Old URLs:")[0]
    assert "link to /news/nowhere/ leads nowhere" in text


def _known(site: SiteDir, text: str) -> Path:
    path = site.root.parent / "known.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_old_urls_complete_after_the_suggested_aliases_exit_0(moved: SiteDir) -> None:
    """A plain list (URLs, paths from the host's root, paths relative to the site, comments)
    and a sitemap index whose sitemaps are saved beside it; adding what the check says makes
    it pass, and the build then serves every old URL."""
    old = moved.root.parent / "old"
    old.mkdir()
    (old / "index.xml").write_text(
        '<?xml version="1.0"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "\n<sitemap><loc>https://old.example.org/news/sitemap-posts.xml</loc></sitemap>"
        "\n</sitemapindex>\n",
        encoding="utf-8",
    )
    (old / "sitemap-posts.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "<url><loc>https://example.org/news/blog/Harbour.Fund.html</loc></url>\n</urlset>\n",
        encoding="utf-8",
    )
    (old / "list.txt").write_text(
        "# the old site's pages\n/news/2019/03/04/kept/\n\ncouncil-votes-again/\n", encoding="utf-8"
    )
    code, _ = check(moved, "--old-urls", old / "index.xml")
    assert code == 1
    result = run_newsgen("check", moved.root, "--old-urls", old / "list.txt", "--format", "json")
    report = json.loads(result.stdout)["old_urls"]
    assert (report["read"], report["served"], report["external"]) == (2, 1, 0)
    [missing] = report["missing"]
    assert missing["where"] == f"{old / 'list.txt'}:4"
    assert (missing["path"], missing["reason"]) == ("/news/council-votes-again/", "moved")
    assert missing["suggestion"] == {
        "path": "articles/2019/2019-03-06-council.md",
        "line": 4,
        "add": 'add "/council-votes-again/" to its aliases list',
    }
    council = moved.root / "articles/2019/2019-03-06-council.md"
    council.write_text(
        council.read_text().replace('"/somewhere/"', '"/somewhere/", "/council-votes-again/"')
    )
    harbour = moved.root / "articles/2019/2019-03-05-Harbour.Fund.md"
    harbour.write_text(
        harbour.read_text().replace("---\n\n", 'aliases: ["/blog/Harbour.Fund.html"]\n---\n\n')
    )
    for source in ("list.txt", "index.xml"):
        code, _ = check(moved, "--old-urls", old / source)
        assert code == 0, source
    assert moved.build().code == 0
    assert (moved.out / "blog/Harbour.Fund.html").is_file()
    assert (moved.out / "council-votes-again/index.html").is_file()


def test_an_old_output_folder_is_read_as_deployed_at_the_base_url(moved: SiteDir) -> None:
    old = moved.root.parent / "old-build"
    for rel in ("index.html", "2019/03/04/kept/index.html", "feed.xml", "CNAME", ".nojekyll"):
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel).write_text("x")
    result = run_newsgen("check", moved.root, "--old-urls", old, "--format", "json")
    report = json.loads(result.stdout)["old_urls"]
    assert result.code == 1
    assert (report["read"], report["served"]) == (4, 3)
    assert [(m["url"], m["reason"]) for m in report["missing"]] == [("/CNAME", "no-match")]


def test_external_paths_in_the_config_silence_links_and_old_urls(make_site: MakeSite) -> None:
    site = make_site(
        {"articles/a.md": article("A", body="[basket](https://example.org/news/shop/basket)\n")},
        config=CONFIG + "check:\n  external_paths: [/news/shop/, /news/about.php]\n",
    )
    code, found = check(site)
    assert (code, found) == (0, [])
    (site.root.parent / "list.txt").write_text("/news/about.php\n/news/shop/x\n/news/about\n")
    code, found = check(site, "--old-urls", site.root.parent / "list.txt")
    assert code == 1


def test_old_urls_file_that_is_not_a_list_is_a_usage_error(moved: SiteDir) -> None:
    bad = moved.root.parent / "feed.xml"
    bad.write_text("<rss><channel/></rss>")
    result = run_newsgen("check", moved.root, "--old-urls", bad)
    assert result.code == 2
    assert "is XML whose root is <rss>, not a sitemap" in result.stderr
    result = run_newsgen("check", moved.root, "--old-urls", moved.root.parent / "none.txt")
    assert (result.code, result.stderr.strip()) == (
        2,
        f"newsgen: error: {moved.root.parent / 'none.txt'} does not exist",
    )


def test_an_old_url_with_a_hash_or_percent_gets_an_alias_that_works(
    make_site: MakeSite, tmp_path: Path
) -> None:
    old = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
    name = "articles/2024-05-03-Big Match #1 100% ok?.md"
    site = make_site({name: article("Big match", "2024-05-03")}, old)
    assert site.build().code == 0
    shutil.copytree(site.out, tmp_path / "oldout")
    site.write("newsgen.yaml", old + "slugify: newsgen\n")
    result = run_newsgen("check", site.root, "--old-urls", tmp_path / "oldout")
    assert result.code == 1
    line = next(x for x in result.stdout.splitlines() if "add the line" in x)
    alias = line.split('["', 1)[1].split('"]', 1)[0]
    assert alias == "/2024/05/03/Big-Match-%231-100%25-ok%3F/"
    text = (site.root / name).read_text().replace("---\n\n", f'aliases: ["{alias}"]\n---\n\n', 1)
    (site.root / name).write_text(text)
    again = run_newsgen("check", site.root, "--old-urls", tmp_path / "oldout")
    assert again.code == 0, again.stdout


def test_an_old_url_is_matched_to_the_version_in_its_language(
    make_site: MakeSite, tmp_path: Path
) -> None:
    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nlanguage: en\n'
        "languages: {en: {name: English}, ja: {name: 日本語}}\n"
    )
    files = {
        "articles/en/storm.md": article("Storm", "2024-05-01"),
        "articles/ja/storm.md": article("嵐", "2024-05-01"),
    }
    site = make_site(files, config)
    assert site.build().code == 0
    shutil.copytree(site.out, tmp_path / "oldout")
    site.write(
        "newsgen.yaml", config.replace("en: {name: English}", "en: {name: English, prefix: en}")
    )
    result = run_newsgen("check", site.root, "--old-urls", tmp_path / "oldout")
    assert "articles/en/storm.md: add the line" in result.stdout, result.stdout


def test_tags_are_compared_within_one_language(make_site: MakeSite) -> None:
    """'Sécurité' (fr) is not a misspelling of 'Security' (en); 'Securité' beside
    'Sécurité' in French still is."""
    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nlanguage: en\n'
        "languages: {en: {name: English}, fr: {name: Français}}\n"
    )
    files = {
        "articles/en/a.md": article("Patch", "2024-05-01", tags="[Security]"),
        "articles/en/b.md": article("Audit", "2024-05-02", tags="[Security]"),
        "articles/fr/a.md": article("Correctif", "2024-05-01", tags="[Sécurité]"),
        "articles/fr/b.md": article("Audit", "2024-05-02", tags="[Sécurité]"),
        "articles/fr/c.md": article("Faille", "2024-05-03", tags="[Securité]"),
    }
    code, found = check(make_site(files, config))
    assert code == 0
    assert [(p, m) for p, _, _, m in found if "looks like" in m] == [
        (
            "articles/fr/c.md",
            "tag 'Securité' (1 article) looks like 'Sécurité' (2): one spelling makes one"
            " topic page",
        )
    ]


def test_check_finds_two_bundles_writing_one_file(make_site: MakeSite) -> None:
    """Extensionless URLs put bundles' files side by side in one folder: build refuses the
    second photo.jpg, so check must name it too."""
    site = make_site(
        {
            "articles/2017-11-09-first/index.md": article("First", permalink="/blog/name1.18"),
            "articles/2017-11-09-first/photo.jpg": b"\xff\xd8\xff",
            "articles/2017-11-10-other/index.md": article("Other", permalink="/blog/other"),
            "articles/2017-11-10-other/photo.jpg": b"\xff\xd8\xff",
        }
    )
    result = run_newsgen("check", site.root)
    assert result.code == 1
    assert (
        "articles/2017-11-09-first/photo.jpg: error: writes /blog/photo.jpg, which"
        " articles/2017-11-10-other/photo.jpg also writes"
    ) in result.stdout


def test_a_language_served_on_a_host_of_its_own_is_checked_under_its_prefix(
    make_site: MakeSite,
) -> None:
    """The old site served French on its own host, at the same paths: the check says the
    misses are all the French prefix, and --old-urls-under reads them there."""
    site = make_site(
        {
            "articles/storm.md": article("Storm", "2024-05-01 10:00"),
            "articles/storm.fr.md": article("Tempête", "2024-05-01 10:00"),
            "articles/port.fr.md": article("Le port", "2024-05-02 10:00"),
        },
        config='title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
        "languages: {en: {name: English}, fr: {name: Français}}\n",
    )
    old = site.root.parent / "fr-urls.txt"
    old.write_text(
        "https://numerique.example/\nhttps://numerique.example/2024/05/01/storm/\n"
        "https://numerique.example/2024/05/02/port/\n",
        encoding="utf-8",
    )
    result = run_newsgen("check", site.root, "--old-urls", old, "--format", "json")
    report = json.loads(result.stdout)["old_urls"]
    assert result.code == 1
    assert report["under_prefix"] == {"fr/": 1}  # the port story; the storm matches English
    text = run_newsgen("check", site.root, "--old-urls", old).stdout
    assert "check again with --old-urls-under fr/" in text
    result = run_newsgen("check", site.root, "--old-urls", old, "--old-urls-under", "fr/")
    assert result.code == 0, result.stdout
    assert "3 served by the new build" in result.stdout


@pytest.mark.fast
def test_the_publisher_logo_is_asked_for_and_must_exist(make_site: MakeSite) -> None:
    """NewsArticle's publisher needs a logo: none set, or one not built, is named."""
    plain = 'title: "T"\nbase_url: "https://example.org/news/"\nsearch: false\n'
    site = make_site({"articles/a.md": article("A")}, plain)
    code, found = check(site)
    assert code == 0
    assert [(p, line, kind) for p, line, kind, m in found if "publisher.logo" in m] == [
        ("newsgen.yaml", None, "warning")
    ]
    site.write("newsgen.yaml", plain + "publisher:\n  logo: static/logo.png\n")
    _, found = check(site)
    assert [(p, line) for p, line, _, m in found if "static/logo.png is missing" in m] == [
        ("newsgen.yaml", 5)
    ]
    # static/logo.png is published at the root: the old layout's path is told what to write.
    site.write("static/logo.png", b"png")
    _, found = check(site)
    assert [m for _, _, _, m in found if "publisher.logo" in m] == [
        "publisher.logo static/logo.png is missing (/static/logo.png is not built): static/ is"
        " published at the site's root now, so write /news/logo.png (or set static_url:"
        " /static/ to keep the old layout)"
    ]
    site.write("newsgen.yaml", plain + "publisher:\n  logo: logo.png\n")
    _, found = check(site)
    assert [m for _, _, _, m in found if "publisher.logo" in m] == []


def test_a_correction_links_are_checked_as_a_body_s(make_site: MakeSite) -> None:
    """A correction is published text too: its link to a page the site does not build is
    named at the correction's line, as a body's is."""
    text = """\
---
title: Bridge
date: 2025-03-01 09:00
corrections:
  - date: 2025-03-04
    text: The mayor is [Ann Lee](/people/ann-lee/), not Anne Lee.
---
See [the town hall](/town-hall/).
"""
    site = make_site({"articles/bridge.md": text})
    _, found = check(site)
    broken = [(line, m) for line, _, m in messages_for(found, "articles/bridge.md") if "leads" in m]
    assert broken == [
        (6, "link to /people/ann-lee/ leads nowhere in the site (/people/ann-lee/ is not built)"),
        (8, "link to /town-hall/ leads nowhere in the site (/town-hall/ is not built)"),
    ]
