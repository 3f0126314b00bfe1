"""Static files where the old site had them, and links under a base path (issue 18).

static/ is published at the site's root (as Hugo, Zola and Jekyll publish theirs), the
theme's own files under /theme/; links and pictures written from the host's root are put
under base_url's path everywhere a reader meets them (pages, feeds, metadata), and `check`
resolves every internal URL as the deployed site will."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import MakeSite, Page, SiteDir, article, broken_links, picture_bytes, run_newsgen

from newsgen.errors import BuildFailed

pytestmark = pytest.mark.fast

PNG = picture_bytes()
PAPER = 'title: "T"\nbase_url: "https://example.org/paper/"\nsearch: false\n'


def same_picture(path: Path, data: bytes) -> bool:
    """Whether the file at PATH shows the picture DATA does: a picture the build processes
    is published stripped of its metadata, so its bytes are its own."""
    from PIL import Image

    with Image.open(path) as published, Image.open(io.BytesIO(data)) as original:
        return published.size == original.size and published.tobytes() == original.tobytes()


def check(site: SiteDir) -> list[tuple[str, int | None, str]]:
    """check's findings, but for the publisher logo these sites do not set (test_check's)."""
    result = run_newsgen("check", site.root, "--format", "json")
    assert "Traceback" not in result.stderr
    found = json.loads(result.stdout)["problems"]
    return [
        (p["path"], p["line"], p["message"])
        for p in found
        if not p["message"].startswith("publisher.logo is not set")
    ]


def test_a_jekyll_archive_keeps_its_pictures_at_the_root(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article(
                "A",
                image="/assets/images/lead.png",
                image_alt="Lead",
                body="![Map](/images/map.png)",
            ),
            "static/assets/images/lead.png": PNG,
            "static/images/map.png": PNG,
        }
    )
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.attrs("//div[@class='body']//img", "src") == ["/images/map.png"]
    assert page.attrs("//img[contains(@class, 'lead-image')]", "src") == ["/assets/images/lead.png"]
    assert same_picture(site.out / "images/map.png", PNG)
    assert not (site.out / "static").exists()
    assert page.attrs("//head/link[@rel='stylesheet']", "href") == ["/theme/style.css"]
    assert broken_links(site.out) == []


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    """A GitHub Pages project site: everything is under /paper/."""
    site = SiteDir(tmp_path_factory.mktemp("paper"))
    site.write("newsgen.yaml", PAPER + "check:\n  external_paths: [/shop/]\n")
    site.write(
        "articles/a.md",
        article(
            "A",
            image="/assets/x.png",
            image_alt="X",
            body=(
                "See [B](/2024/05/02/b/), [the shop](/shop/) and [home](/paper/).\n\n"
                "![Chart](/assets/x.png)\n\n"
                '<img src="/assets/x.png" srcset="/assets/x.png 2x" alt="Raw">\n'
            ),
        ),
    )
    site.write(
        "articles/b.md", article("B", "2024-05-02 10:00", image="assets/x.png", image_alt="X")
    )
    site.write("static/assets/x.png", PNG)
    assert site.build_here() == []
    return site


def test_links_and_pictures_from_the_root_are_put_under_the_base_path(paper: SiteDir) -> None:
    page = paper.page("2024/05/01/a/")
    body = "//div[@class='body']"
    assert page.attrs(f"{body}//a", "href") == ["/paper/2024/05/02/b/", "/shop/", "/paper/"]
    assert page.attrs(f"{body}//img", "src") == ["/paper/assets/x.png", "/paper/assets/x.png"]
    # The picture's processed versions, and the writer's own srcset, kept: under /paper/.
    versions, own = page.attrs(f"{body}//img", "srcset")
    assert versions.startswith("/paper/_img/") and own == "/paper/assets/x.png 2x"
    assert page.attrs("//img[contains(@class, 'lead-image')]", "src") == ["/paper/assets/x.png"]
    (full,) = page.attrs("//meta[@property='og:image']", "content")
    assert full == "https://example.org" + versions.split(" ")[0]  # a processed version
    (ld,) = page.texts("//script[@type='application/ld+json']")
    assert json.loads(ld)["image"] == [full]
    assert page.attrs("//head/link[@rel='stylesheet']", "href") == ["/paper/theme/style.css"]
    assert broken_links(paper.out, "/paper/") == ["2024/05/01/a/index.html: /shop/"]


def test_a_lead_image_without_a_slash_is_found_at_the_root(paper: SiteDir) -> None:
    page = paper.page("2024/05/02/b/")
    assert page.attrs("//img[contains(@class, 'lead-image')]", "src") == ["/paper/assets/x.png"]
    home = paper.page("")
    assert "/paper/assets/x.png" in home.attrs("//img", "src")


def test_feeds_link_pictures_under_the_base_path(paper: SiteDir) -> None:
    full = "https://example.org/paper/assets/x.png"
    feed = json.loads((paper.out / "feed.json").read_text(encoding="utf-8"))
    items = {item["title"]: item for item in feed["items"]}
    # A lead image is carried as its processed version (images.feed_width), under /paper/.
    assert items["A"]["image"].startswith("https://example.org/paper/_img/")
    assert items["B"]["image"] == items["A"]["image"]
    content = Page.parse(items["A"]["content_html"].encode())
    assert content.attrs("//a", "href") == [
        "https://example.org/paper/2024/05/02/b/",
        "https://example.org/shop/",
        "https://example.org/paper/",
    ]
    assert content.attrs("//img", "src") == [full, full]
    rss = ET.parse(paper.out / "feed.xml").getroot()
    html = next(
        i.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
        for i in rss.iter("item")
        if i.findtext("title") == "A"
    )
    assert Page.parse((html or "").encode()).attrs("//img", "src") == [full, full]


def test_check_resolves_urls_under_the_base_path(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article(
                "A",
                image="/static/lead.png",
                image_alt="Lead",
                body=(
                    "[Gone](/2099/01/01/nothing/)\n\n![Old](/static/body.png)\n\n"
                    '<img src="/body.png" srcset="/body.png 1x, /big.png 2x" alt="Two">\n\n'
                    '<a href="../../../../../elsewhere/">Out</a>\n'
                ),
            ),
            "static/lead.png": PNG,
            "static/body.png": PNG,
        },
        PAPER + "publisher:\n  logo: static/lead.png\n",
    )
    hint = (
        ": static/ is published at the site's root now, so write /paper/{} (or set"
        " static_url: /static/ to keep the old layout)"
    )
    assert sorted(check(site), key=lambda p: (p[0], p[1] or 0, p[2])) == [
        (
            "articles/a.md",
            4,
            "lead image /paper/static/lead.png is missing (/static/lead.png is not built)"
            + hint.format("lead.png"),
        ),
        (
            "articles/a.md",
            8,
            "link to /paper/2099/01/01/nothing/ leads nowhere in the site"
            " (/2099/01/01/nothing/ is not built)",
        ),
        (
            "articles/a.md",
            10,
            "image /paper/static/body.png is missing (/static/body.png is not built)"
            + hint.format("body.png")
            + "; an archive whose bodies keep images long gone can set images.missing:"
            " warning in newsgen.yaml to publish them as written",
        ),
        ("articles/a.md", 12, "image /paper/big.png is missing (/big.png is not built)"),
        (
            "articles/a.md",
            14,
            "link to ../../../../../elsewhere/ leads nowhere: /elsewhere/ is outside the site,"
            " which is under /paper/ (list paths the host serves besides the archive in"
            " check.external_paths)",
        ),
        (
            "newsgen.yaml",
            5,
            "publisher.logo static/lead.png is missing (/static/lead.png is not built)"
            + hint.format("lead.png"),
        ),
    ]


def test_a_lead_image_is_looked_for_next_to_the_article_first(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/story/index.md": article("Story", image="pic.png", image_alt="P"),
            "articles/story/pic.png": picture_bytes(40, 30),  # the bundle's
            "static/pic.png": picture_bytes(50, 20),  # the root's
        }
    )
    assert site.build_here() == []
    page = site.page("2024/05/01/story/")
    [lead] = page.all("//img[contains(@class, 'lead-image')]")
    assert (lead.get("src"), lead.get("width")) == ("/2024/05/01/story/pic.png", "40")
    # One found in neither place is the images step's error, naming both places.
    site.write("articles/lost.md", article("Lost", image="gone/pic.png", image_alt="P"))
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    assert [(str(e.path), e.line, e.message) for e in failed.value.errors] == [
        (
            "articles/lost.md",
            4,
            "lead image gone/pic.png is missing: neither next to it"
            " (/2024/05/01/lost/gone/pic.png) nor in static/ (static/gone/pic.png); put the"
            " picture in one of them",
        )
    ]


def test_an_alias_naming_a_picture_is_no_redirect_folder(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A", aliases="[/images/map.png, /old-a/]")})
    warnings = site.build_here()
    assert [(w.path, w.message) for w in warnings] == [
        (
            "articles/a.md",
            "alias '/images/map.png' names a file, not a page: a redirect there would be a folder"
            " holding a page, never the file; no redirect made. Put the file in static/"
            " (static/images/map.png is published at /images/map.png) and drop the alias",
        )
    ]
    assert not (site.out / "images").exists()
    assert (site.out / "old-a/index.html").is_file()


def test_a_site_made_by_an_earlier_newsgen_is_told_where_its_style_sheet_goes(
    make_site: MakeSite,
) -> None:
    site = make_site(
        {
            "articles/a.md": article("A"),
            "static/style.css": "body { color: red }",
            "static/logo.png": PNG,
            "templates/_head.html": (
                "<link rel=stylesheet href=\"{{ url('static/style.css') }}\">\n"
                '<img src="{{ url(\'static/logo.png\') }}" alt="">\n'
            ),
        }
    )
    warnings = site.build_here()
    assert [(w.path, w.line, w.message) for w in warnings] == [
        (
            "static/style.css",
            None,
            "is published at /style.css and no longer replaces the theme's style.css, which is at"
            " /theme/style.css now: move it to static/theme/style.css to replace it (or set"
            " static_url: /static/ to keep the old layout)",
        ),
        (
            "templates/_head.html",
            1,
            "url('static/style.css') links /static/style.css, which is not built: static/ is"
            " published at the site's root now, so write theme_url('style.css') (or set"
            " static_url: /static/ to keep the old layout)",
        ),
        (
            "templates/_head.html",
            2,
            "url('static/logo.png') links /static/logo.png, which is not built: static/ is"
            " published at the site's root now, so write url('logo.png') (or set static_url:"
            " /static/ to keep the old layout)",
        ),
    ]


def theme_static_copy() -> dict[str, str | bytes]:
    """The theme's static files as a site's static/ holding a copy of them (the demo)."""
    from newsgen.theme import builtin_theme_dir

    theme = builtin_theme_dir() / "static"
    return {
        f"static/{p.relative_to(theme).as_posix()}": p.read_bytes()
        for p in sorted(theme.rglob("*"))
        if p.is_file()
    }


def test_the_demo_built_by_an_installed_newsgen_is_not_told_to_move_its_theme(
    make_site: MakeSite,
) -> None:
    """The demo site (the repository root) holds the theme's static/ as the theme's checkout.
    A newsgen installed from a wheel (`pip install .`, the README's quick start) has its own
    copy of the theme inside the package, so the demo's static/ is a copy of it: no warning
    to move it, and nothing published twice at the root. One file of another's bytes is the
    site's own again."""
    files = theme_static_copy()
    site = make_site({"articles/a.md": article("A"), **files})
    assert site.build_here() == []
    assert not (site.out / "style.css").exists() and (site.out / "theme/style.css").is_file()
    site.write("static/style.css", "body { color: red }")
    assert len(site.build_here()) == len(files)
    assert (site.out / "style.css").read_text() == "body { color: red }"


def test_serve_publishes_a_copy_of_the_theme_s_static_once_it_is_edited(
    make_site: MakeSite,
) -> None:
    """serve's builder keeps what discovery found while only files changed: a static/ taken
    for the theme's copy is looked at again, so its first edit is published, as a clean
    build publishes it."""
    from newsgen.build import Builder

    files = theme_static_copy()
    site = make_site({"articles/a.md": article("A"), **files})
    kept = Builder(site.root, keep=True, workers=1)
    try:
        kept.build()
        assert not (site.out / "style.css").exists()
        site.write("static/style.css", "body { color: red }")
        kept.build()
    finally:
        kept.close()
    assert (site.out / "style.css").read_text() == "body { color: red }"


def test_static_url_keeps_the_old_layout(make_site: MakeSite) -> None:
    config = PAPER + "static_url: /static/\n"
    site = make_site(
        {
            "articles/a.md": article("A", body="![Old](/paper/static/x.png)"),
            "static/x.png": PNG,
            "static/style.css": "body { color: red }",
        },
        config,
    )
    assert site.build_here() == []
    assert same_picture(site.out / "static/x.png", PNG)
    assert (site.out / "static/style.css").read_text() == "body { color: red }"
    assert (site.out / "static/favicon.svg").is_file() and not (site.out / "theme").exists()
    page = site.page("2024/05/01/a/")
    assert page.attrs("//head/link[@rel='stylesheet']", "href") == ["/paper/static/style.css"]
    assert broken_links(site.out, "/paper/") == []


def test_static_files_on_newsgen_s_own_paths_are_named_all_at_once(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A"),
            "static/index.html": "<p>ours</p>",
            "static/robots.txt": "User-agent: *\n",
        }
    )
    result = site.build()
    assert result.code == 1 and not site.out.exists()
    assert result.stderr.splitlines()[:2] == [
        "static/index.html: is published at /index.html, where the home page is; rename or move it",
        "static/robots.txt: is published at /robots.txt, where newsgen's own robots.txt is;"
        " rename or move it",
    ]


@pytest.mark.parametrize("value", ["static", "/a/../b/", "''", "[/static/]"])
def test_a_static_url_that_is_no_path_is_an_error_at_its_line(
    make_site: MakeSite, value: str
) -> None:
    site = make_site({"articles/a.md": article("A")}, PAPER + f"static_url: {value}\n")
    result = site.build()
    assert result.code == 1 and not site.out.exists()
    assert result.stderr.splitlines()[0].startswith("newsgen.yaml:4: 'static_url' must be a path")


def test_listing_a_path_outside_the_archive_makes_the_bodies_again(make_site: MakeSite) -> None:
    """check.external_paths decides what a body links to, so the parse cache knows it."""
    site = make_site({"articles/a.md": article("A", body="[Shop](/shop/)")}, PAPER)
    body = "//div[@class='body']//a"
    assert site.build_here() == []
    assert site.page("2024/05/01/a/").attrs(body, "href") == ["/paper/shop/"]
    site.write("newsgen.yaml", PAPER + "check:\n  external_paths: [/shop/]\n")
    assert site.build_here() == []
    assert site.page("2024/05/01/a/").attrs(body, "href") == ["/shop/"]


def test_a_link_to_the_base_path_without_its_slash_is_the_front_page(
    make_site: MakeSite,
) -> None:
    """The host answers /paper with /paper/: check finds the front page there."""
    site = make_site(
        {"articles/a.md": article("A", body="[Home](/paper) and [top](/paper#top)")}, PAPER
    )
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.attrs("//div[@class='body']//a", "href") == ["/paper", "/paper#top"]
    assert check(site) == []


def test_a_lead_image_put_in_static_later_is_found_there_by_the_next_build(
    make_site: MakeSite,
) -> None:
    """Where a lead image without a slash is depends on static/, not on the article's
    text: the pages showing it are made again (byte-identical to a clean build)."""
    site = make_site(
        {
            "articles/a/index.md": article("A", image="pics/a.png", image_alt="P"),
            "articles/a/pics/a.png": PNG,
        }
    )
    lead = "//img[contains(@class, 'lead-image')]"
    assert site.build_here() == []
    assert site.page("2024/05/01/a/").attrs(lead, "src") == ["/2024/05/01/a/pics/a.png"]
    (site.root / "articles/a/pics/a.png").unlink()
    site.write("static/pics/a.png", PNG)
    assert site.build_here() == []
    assert site.page("2024/05/01/a/").attrs(lead, "src") == ["/pics/a.png"]
    assert "/pics/a.png" in site.page("").attrs("//img", "src")


def test_a_link_under_a_non_ascii_base_path_is_not_put_under_it_twice(
    make_site: MakeSite,
) -> None:
    config = 'title: "T"\nbase_url: "https://example.org/journal-é/"\nsearch: false\n'
    site = make_site(
        {"articles/a.md": article("A", body="[Self](/journal-é/2024/05/01/a/) [Up](/2024/)")},
        config,
    )
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.attrs("//div[@class='body']//a", "href") == [
        "/journal-%C3%A9/2024/05/01/a/",
        "/journal-é/2024/",
    ]
    assert check(site) == []


def test_check_reads_a_srcset_as_browsers_do(make_site: MakeSite) -> None:
    """A comma inside a candidate's URL belongs to it ('x.png?w=1,2 2x'), as the body's
    making reads it: no picture '2' is named missing."""
    site = make_site(
        {
            "articles/a.md": article(
                "A", body='<img src="/x.png" srcset="/x.png?w=1,2 2x,/y.png 3x" alt="X">'
            ),
            "static/x.png": PNG,
        },
        PAPER,
    )
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.attrs("//div[@class='body']//img", "srcset") == [
        "/paper/x.png?w=1,2 2x, /paper/y.png 3x"
    ]
    assert check(site) == [
        ("articles/a.md", 6, "image /paper/y.png is missing (/y.png is not built)")
    ]


def test_old_urls_name_where_the_theme_s_files_are_now(make_site: MakeSite) -> None:
    """An earlier newsgen's /static/style.css is the theme's, at /theme/style.css now: not
    a file to put in static/ (where it would no longer replace the theme's)."""
    site = make_site({"articles/a.md": article("A")}, PAPER)
    old = site.root.parent / "old.txt"
    old.write_text("/paper/static/style.css\n", encoding="utf-8")
    result = run_newsgen("check", site.root, "--old-urls", old, "--format", "json")
    [missing] = json.loads(result.stdout)["old_urls"]["missing"]
    assert (missing["path"], missing["reason"]) == ("/paper/static/style.css", "static")
    assert missing["note"] == (
        "the new build has it at /theme/style.css (static_url: /static/ keeps it at"
        " /static/style.css)"
    )


def test_a_static_file_where_a_folder_of_pages_goes_is_named_once_each(
    make_site: MakeSite,
) -> None:
    """static/tags is published at /tags, where the tag pages and their three feeds go."""
    site = make_site(
        {"articles/a.md": article("A", tags="[t]"), "static/tags": "x", "static/archive": "y"}
    )
    result = site.build()
    assert result.code == 1 and not site.out.exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("static/")]
    assert len(errors) == len(set(errors)) == 4
    assert (
        errors[0] == "static/archive: writes a file at /archive, where the archive needs a folder"
    )


def test_a_template_s_abs_url_to_the_old_static_folder_is_named_too(make_site: MakeSite) -> None:
    """abs_url('static/logo.png') (a link preview's picture) links nothing now, as url() does."""
    site = make_site(
        {
            "articles/a.md": article("A"),
            "static/logo.png": PNG,
            "templates/_meta.html": (
                '<meta property="og:logo" content="{{ abs_url(\'static/logo.png\') }}">\n'
            ),
        }
    )
    warnings = site.build_here()
    assert [(w.path, w.line, w.message) for w in warnings] == [
        (
            "templates/_meta.html",
            1,
            "abs_url('static/logo.png') links /static/logo.png, which is not built: static/ is"
            " published at the site's root now, so write abs_url('logo.png') (or set static_url:"
            " /static/ to keep the old layout)",
        ),
    ]


def test_a_quotation_s_source_is_put_under_the_base_path_too(make_site: MakeSite) -> None:
    """cite is a URL as href is: under the base path in pages and feeds alike."""
    site = make_site(
        {
            "articles/a.md": article(
                "A", body='<blockquote cite="/2024/05/01/a/"><p>Quoted.</p></blockquote>'
            )
        },
        PAPER,
    )
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.attrs("//div[@class='body']//blockquote", "cite") == ["/paper/2024/05/01/a/"]
    feed = json.loads((site.out / "feed.json").read_text(encoding="utf-8"))
    content = Page.parse(feed["items"][0]["content_html"].encode())
    assert content.attrs("//blockquote", "cite") == ["https://example.org/paper/2024/05/01/a/"]


def test_jekyll_s_baseurl_before_post_url_links_the_post(make_site: MakeSite) -> None:
    """`{{ site.baseurl }}{% post_url x %}` is how a Jekyll project site links a post."""
    body = (
        "[Md]({{ site.baseurl }}{% post_url 2024-05-02-b %})\n\n"
        '<a href="{{ site.baseurl }}{% link articles/2024-05-02-b.md %}">Html</a>\n'
    )
    site = make_site(
        {
            "articles/2024-05-01-a.md": article("A", body=body),
            "articles/2024-05-02-b.md": article("B", "2024-05-02 10:00"),
        },
        PAPER,
    )
    assert site.build_here() == []
    page = site.page("2024/05/01/a/")
    assert page.attrs("//div[@class='body']//a", "href") == ["/paper/2024/05/02/b/"] * 2


def test_a_publisher_logo_under_a_non_ascii_base_path_is_not_put_under_it_twice(
    make_site: MakeSite,
) -> None:
    config = (
        'title: "T"\nbase_url: "https://example.org/journal-é/"\nsearch: false\n'
        "publisher:\n  logo: /journal-%C3%A9/logo.png\n"
    )
    site = make_site({"articles/a.md": article("A"), "static/logo.png": PNG}, config)
    assert site.build_here() == []
    (ld,) = site.page("2024/05/01/a/").texts("//script[@type='application/ld+json']")
    logo = json.loads(ld)["publisher"]["logo"]["url"]
    assert logo == "https://example.org/journal-%C3%A9/logo.png"
    assert check(site) == []
