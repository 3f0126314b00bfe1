"""Archives moved in whole from Pelican, Zola, Hugo and Jekyll build unchanged, nothing lost.

Each fixture under fixtures/archives/ is a small archive written for these tests in the
shape its generator keeps: front-matter dialects, bundles, section files, shortcodes,
aliases. Every post is counted, every warning is expected, every link resolves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import (
    MakeSite,
    Page,
    Reported,
    SiteDir,
    broken_links,
    picture_bytes,
    run_newsgen,
    warnings_of,
)

FIXTURES = Path(__file__).parent / "fixtures" / "archives"


def copy_archive(name: str, tmp_path: Path) -> SiteDir:
    shutil.copytree(FIXTURES / name, tmp_path / name)
    return SiteDir(tmp_path / name)


def article_pages(site: SiteDir) -> dict[str, Page]:
    """URL path → parsed page, for every article page in the build."""
    found = {}
    for file in sorted(site.out.rglob("*.html")):
        page = Page.parse(file.read_bytes())
        if page.all("//article[@class='story']"):
            found["/" + file.relative_to(site.out).as_posix().removesuffix("index.html")] = page
    return found


def visible_markup(page: Page) -> list[str]:
    """Text a reader would see that looks like markup or template syntax left unrendered."""
    text = " ".join(page.texts("//div[@class='body']//text()[not(ancestor::pre)]/.."))
    return [s for s in ("</", "<!--", "<table", "<details", "{{", "{%", "&lt;") if s in text]


def redirect_target(site: SiteDir, rel: str) -> str:
    page = Page.parse((site.out / rel).read_bytes())
    (refresh,) = page.attrs("//meta[@http-equiv='refresh']", "content")
    assert page.attrs("//meta[@name='robots']", "content") == ["noindex"]
    return refresh.split("url=", 1)[1]


def short(warnings: list[Reported]) -> set[tuple[str, int | None]]:
    return {(w.path, w.line) for w in warnings}


def test_pelican_archive(tmp_path: Path) -> None:
    site = copy_archive("pelican", tmp_path)
    warnings = warnings_of(site.build())
    # The image folder Pelican served through STATIC_PATHS is named, not silently dropped.
    assert short(warnings) == {("articles/images/logo.png", None)}
    pages = article_pages(site)
    # Three published posts of four (one has Status: draft); slugs from titles (slug_from).
    assert sorted(pages) == [
        "/2019/this-week-in-harbour-tech-1.html",
        "/2019/this-week-in-harbour-tech-2.html",
        "/digest/issue-3.html",  # Save_as wins over the permalink
    ]
    first = pages["/2019/this-week-in-harbour-tech-1.html"]
    assert first.texts("//a[@rel='tag']") == ["harbour", "software", "Weekly"]
    assert first.texts("//span[@class='authors']") == ["By Digest Team"]
    # Raw HTML is rendered, the contributors' comment is not shown, headings start at h2.
    assert first.texts("//div[@class='body']//table//td") == ["Morning Star", "3"]
    assert "Contributors" not in first.text("//div[@class='body']")
    assert [h.tag for h in first.all("//div[@class='body']/*[starts-with(name(), 'h')]")] == [
        "h2",
        "h3",
    ]
    second = pages["/2019/this-week-in-harbour-tech-2.html"]
    assert second.texts("//span[@class='authors']") == ["By Ruth Penhallow and Ade Okafor"]
    assert second.texts("//div[@class='body']//details/summary") == ["Full changelog"]
    assert second.texts("//span[@class='updated']") == ["Updated 13 January 2019, 08:30 UTC"]
    assert second.attrs("//meta[@name='description']", "content") == [
        "A summary that runs onto a second header line."
    ]
    third = pages["/digest/issue-3.html"]
    assert third.attrs("//time", "datetime")[0] == "2020-03-07T09:05:00+00:00"
    for page in pages.values():
        assert visible_markup(page) == []
    # Pages: the About page, in the menu.
    home = site.page("")
    assert "About the digest" in home.texts("//nav[@aria-label='Site']//a")
    assert site.page("about-the-digest/").text("//h1") == "About the digest"
    assert broken_links(site.out) == []


def test_zola_archive(tmp_path: Path) -> None:
    site = copy_archive("zola", tmp_path)
    warnings = warnings_of(site.build())
    # The root's _index describes the home page, which newsgen makes itself; blog/_index.md
    # describes the blog section, and its paginate_by is named (newsgen has per_page).
    assert short(warnings) == {("articles/_index.md", None), ("articles/blog/_index.md", 3)}
    messages = {w.path: w.message for w in warnings}
    assert "section file" in messages["articles/_index.md"]
    assert messages["articles/blog/_index.md"] == (
        "newsgen does not use 'paginate_by' in a section's _index file; ignored"
    )
    blog = site.page("blog/")
    assert blog.text("//h1") == "Blog"
    assert "Blog" in blog.texts("//nav[@aria-label='Site']//a")
    assert len(blog.all("//ol[@class='article-list']/li")) >= 1
    pages = article_pages(site)
    assert sorted(pages) == [
        "/2020/03/01/first-post/",
        "/2021/01/15/bundle-post/",
        "/2021/05/07/Undated-Story/",  # the path key, kept as written; the date read from it
        "/2021/06/09/loose-date/",  # date = "2021-6-9"
    ]
    first = pages["/2020/03/01/first-post/"]
    assert first.texts("//a[@rel='tag']") == ["meta", "Rust", "Site news"]
    assert first.attrs("//meta[@name='description']", "content") == ["Why the archive moved."]
    # `# Why we moved` is the body's top level: it becomes h2, its child h3, both with ids.
    headings = first.all("//div[@class='body']/*[self::h2 or self::h3]")
    assert [(h.tag, h.get("id")) for h in headings] == [
        ("h2", "why-we-moved"),
        ("h3", "the-details"),
    ]
    undated = pages["/2021/05/07/Undated-Story/"]
    assert undated.attrs("//article//time", "datetime")[0].startswith("2021-05-07")
    # Aliases redirect, as pages and in _redirects; base_url's path is kept.
    assert redirect_target(site, "old-blog/first.html") == "/notes/2020/03/01/first-post/"
    assert redirect_target(site, "2020/03/first/index.html") == "/notes/2020/03/01/first-post/"
    assert (site.out / "_redirects").read_text().splitlines() == [
        "/notes/2020/03/first/ /notes/2020/03/01/first-post/ 301",
        "/notes/old-blog/first.html /notes/2020/03/01/first-post/ 301",
    ]
    # The bundle's files sit next to its page, so its relative links work.
    bundle = pages["/2021/01/15/bundle-post/"]
    assert bundle.attrs("//div[@class='body']//img", "src") == ["chart.png"]
    assert (site.out / "2021/01/15/bundle-post/data.txt").read_text().startswith("month,")
    assert broken_links(site.out, "/notes/") == []


@pytest.mark.fast
def test_hugo_archive(tmp_path: Path) -> None:
    site = copy_archive("hugo", tmp_path)
    warnings = warnings_of(site.build())
    assert short(warnings) == {
        ("articles/posts/toml-post.md", 17),  # {{< tweet >}}: not supported, named at its line
    }
    assert site.page("posts/").text("//h1") == "Posts"  # posts/_index.md: the section's name
    pages = article_pages(site)
    assert sorted(pages) == [
        "/2018/06/02/toml-post/",
        "/2019/02/03/json-post/",
        "/2019/05/01/harbour-photos/",
        "/Archive/2018/Council.Notes/",  # url: kept exactly as written
    ]
    yaml_post = pages["/Archive/2018/Council.Notes/"]
    assert yaml_post.texts("//a[@rel='tag']") == ["budget", "Harbour", "Council"]
    assert yaml_post.attrs("//span[@class='updated']/time", "datetime") == [
        "2018-01-12T00:00:00+00:00"
    ]
    assert redirect_target(site, "2018/01/council-notes/index.html") == (
        "/Archive/2018/Council.Notes/"
    )
    toml_post = pages["/2018/06/02/toml-post/"]
    body = "//div[@class='body']"
    assert toml_post.texts(f"{body}//figure/figcaption") == ["The start of the race"]
    assert toml_post.attrs(f"{body}//figure//img", "alt") == ["Boats at the start"]
    (frame,) = toml_post.attrs(f"{body}//iframe", "src")
    assert frame == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    anchors = f"{body}//p/a"
    links = dict(zip(toml_post.texts(anchors), toml_post.attrs(anchors, "href"), strict=True))
    assert links == {
        "council notes": "/Archive/2018/Council.Notes/",
        "the photo story": "/2019/05/01/harbour-photos/",
    }
    # A shortcode inside a code block is code, shown as written without a warning.
    assert toml_post.texts(f"{body}//pre") == [
        '{{< figure src="not-a-shortcode-inside-code.png" >}}'
    ]
    json_post = pages["/2019/02/03/json-post/"]
    assert json_post.attrs("//meta[@name='description']", "content") == ["Hugo reads JSON too."]
    photos = pages["/2019/05/01/harbour-photos/"]
    assert photos.attrs(f"{body}//img", "src") == ["dawn.png", "extra/lighthouse.png"]
    # Authors written as Markdown links are the people named, each with an author page.
    assert photos.texts("//p[@class='byline']//a[@rel='author']") == ["Ann Lee", "Bo Park"]
    assert (site.out / "authors/ann-lee/index.html").is_file()
    assert broken_links(site.out) == []


def test_jekyll_archive(tmp_path: Path) -> None:
    site = copy_archive("jekyll", tmp_path)
    warnings = warnings_of(site.build())
    assert short(warnings) == {("articles/2016-07-26-welcome.markdown", 20)}  # {% include %}
    pages = article_pages(site)
    assert sorted(pages) == [
        "/2016/07/26/welcome/",  # .markdown is an article
        "/2016/08/05/unpadded/",  # 2016-8-5- prefix
        "/harbour/2016/second/",  # permalink: /:categories/:year/:title/
    ]
    welcome = pages["/2016/07/26/welcome/"]
    body = "//div[@class='body']"
    assert welcome.texts("//a[@rel='tag']") == ["news", "update"]  # categories: news update
    assert welcome.attrs(f"{body}//pre/code", "class") == ["language-ruby"]
    assert "def tide(hour)" in welcome.text(f"{body}//pre")
    assert welcome.attrs(f"{body}//a", "href") == ["/news/harbour/2016/second/"]  # post_url
    assert welcome.attrs(f"{body}//img", "src") == ["/news/assets/map.png"]  # baseurl
    second = pages["/harbour/2016/second/"]
    assert (
        second.texts(f"{body}/p")[0] == "Liquid such as {{ page.title }} is shown as written here."
    )
    assert second.attrs(f"{body}//a", "href") == ["/news/2016/07/26/welcome/"]  # link tag
    assert redirect_target(site, "old-welcome/index.html") == "/news/2016/07/26/welcome/"
    assert redirect_target(site, "2016/08/second.html") == "/news/harbour/2016/second/"
    assert redirect_target(site, "blog/second/index.html") == "/news/harbour/2016/second/"
    assert broken_links(site.out, "/news/") == []


@pytest.mark.parametrize("name", ["pelican", "zola", "hugo", "jekyll"])
def test_archives_build_without_warnings_left_unexplained_under_strict(
    tmp_path: Path, name: str
) -> None:
    site = copy_archive(name, tmp_path)
    result = site.build("--strict")
    assert result.code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("build failed: ") and last.endswith(("warning", "warnings")), last
    assert not site.out.exists()


def test_a_jekyll_site_with_categories_and_two_language_folders(tmp_path: Path) -> None:
    """en/ and ja/ folders of `_posts` build together, every URL as Jekyll made it
    (`/:categories/...`: the language folder is the prefix, the folders before `_posts`
    and the front matter's categories follow), and the old sitemap is served whole."""
    site = copy_archive("jekyll-bilingual", tmp_path)
    warnings = warnings_of(site.build())
    assert sorted((w.path, w.line, w.message.split(",")[0]) for w in warnings) == [
        ("articles/en/release/_posts/2024-06-02-Tide.Tables-2.10.md", 3,
         "'title' is given twice"),
        ("articles/en/release/_posts/2024-06-02-Tide.Tables-2.10.md", 4,
         "'date' cannot be read as a date ('2-6-2024'); the date in the file name"),
    ]  # fmt: skip
    pages = article_pages(site)
    assert sorted(pages) == [
        "/en/news/weather/2024/05/01/storm-closes-quay/",
        "/en/release/2024/06/02/Tide.Tables-2.10/",  # capitals and dots kept
        "/ja/news/weather/2024/05/01/storm-closes-quay/",
    ]
    storm = pages["/en/news/weather/2024/05/01/storm-closes-quay/"]
    assert storm.attrs("/html", "lang") == ["en"]
    alternates = dict(
        zip(
            storm.attrs("//link[@hreflang]", "hreflang"),
            storm.attrs("//link[@hreflang]", "href"),
            strict=True,
        )
    )
    assert alternates["ja"] == "https://example.org/ja/news/weather/2024/05/01/storm-closes-quay/"
    assert pages["/en/release/2024/06/02/Tide.Tables-2.10/"].text("//h1") == (
        "Tide Tables 2.10 released"  # the later of the two title lines
    )
    assert site.page("ja/news/").text("//h1") == "News"
    assert site.page("en/release/").text("//h1") == "Release"
    sitemap = site.root / "old-sitemap.xml"
    result = run_newsgen("check", site.root, "--old-urls", sitemap)
    assert result.code == 0, result.stdout
    assert "3 served by the new build, 0 missing" in result.stdout


def test_a_hugo_site_with_sections_and_translations(tmp_path: Path) -> None:
    """Hugo's `index.fr.md` and `name.fr.md` translations, `_index.fr.md` for a section in
    French, `/{section}/{slug}/` URLs and Hugo's lowercased slugs (`slugify: hugo`)."""
    site = copy_archive("hugo-bilingual", tmp_path)
    assert warnings_of(site.build()) == []
    pages = article_pages(site)
    assert sorted(pages) == [
        "/fr/notes/budget.notes/",
        "/fr/posts/harbour-fair/",
        "/notes/budget.notes/",
        "/posts/harbour-fair/",
    ]
    fair = pages["/fr/posts/harbour-fair/"]
    assert fair.attrs("/html", "lang") == ["fr"]
    assert fair.attrs("//link[@hreflang='en']", "href") == [
        "https://example.org/posts/harbour-fair/"
    ]
    assert pages["/posts/harbour-fair/"].attrs("//link[@hreflang='fr']", "href") == [
        "https://example.org/fr/posts/harbour-fair/"
    ]
    french = site.page("fr/posts/")
    assert french.text("//h1") == "Articles"
    assert french.text("//p[@class='standfirst']") == "Nouvelles du port"
    assert site.page("posts/").text("//h1") == "Posts"
    assert site.page("").texts("//nav[@aria-label='Site']//a")[:3] == ["Latest", "Posts", "Notes"]
    assert broken_links(site.out) == []


def test_pelicans_filename_static_and_attach_links(make_site: MakeSite) -> None:
    """Pelican's link markers resolve as Pelican resolves them: `{filename}x.md` to that
    article's URL, `{static}/images/x.png` to the file at that path from the content root
    (newsgen's static/), `{static}images/x.png` from the article's own folder, and a file
    beside a bundle's index.md as it lies there; its older `|filename|` too."""
    files = {
        "articles/news/2016-07-13-release.md": (
            "Title: Release\nDate: 2016-07-13 10:00\n\n"
            "![Themes]({static}/news/images/themes.png)\n\n"
            "![Filters]({filename}images/filters.png)\n\n"
            "See [the interview]({filename}2017-03-01-interview.md#part-2),"
            " [the old one](|filename|/news/2015-01-01-old.md) and"
            " [the map]({attach}../files/map.pdf).\n"
        ),
        "articles/news/2017-03-01-interview.md": (
            "Title: Interview\nDate: 2017-03-01 10:00\n\nQ.\n\n## Part 2\n\nA.\n"
        ),
        "articles/news/2015-01-01-old.md": "Title: Old\nDate: 2015-01-01 10:00\n\nOld.\n",
        "articles/news/2018-05-01-bundle/index.md": (
            "Title: Bundle\nDate: 2018-05-01 10:00\n\n![Beside]({filename}beside.png)\n"
        ),
        "articles/news/2018-05-01-bundle/beside.png": picture_bytes(),
        "static/news/images/themes.png": picture_bytes(),
        "static/news/images/filters.png": picture_bytes(),
        "static/files/map.pdf": "%PDF-1.4",
    }
    site = make_site(files)
    assert warnings_of(site.build()) == []
    body = "//div[@class='body']"
    page = site.page("2016/07/13/release/")
    assert page.attrs(f"{body}//img", "src") == [
        "/news/images/themes.png",
        "/news/images/filters.png",
    ]
    assert page.attrs(f"{body}//a", "href") == [
        "/2017/03/01/interview/#part-2",
        "/2015/01/01/old/",
        "/files/map.pdf",
    ]
    assert site.page("2018/05/01/bundle/").attrs(f"{body}//img", "src") == ["beside.png"]
    assert broken_links(site.out) == []


def test_pelicans_links_keep_percent_encoded_characters_and_stay_on_the_site(
    make_site: MakeSite,
) -> None:
    """A marker's path is percent-decoded only to name an article: `C%23.png` is the file
    `C#.png` (not `C` and a fragment), `%3F` a '?' in a name; `{static}//x` is from the
    content root, never another host."""
    files = {
        "articles/news/2016-07-13-release.md": (
            "Title: Release\nDate: 2016-07-13 10:00\n\n"
            "![Sharp]({static}/images/C%23.png)\n\n"
            "![Asked]({static}images/why%3F.png)\n\n"
            "![Rooted]({static}//images/root.png)\n"
        ),
        "static/images/C#.png": picture_bytes(),
        "static/news/images/why?.png": picture_bytes(),
        "static/images/root.png": picture_bytes(),
    }
    site = make_site(files)
    assert warnings_of(site.build()) == []
    assert site.page("2016/07/13/release/").attrs("//div[@class='body']//img", "src") == [
        "/images/C%23.png",
        "/news/images/why%3F.png",
        "/images/root.png",
    ]
    assert broken_links(site.out) == []


def test_pelicans_filename_links_are_read_from_the_articles_folder(make_site: MakeSite) -> None:
    """`{filename}` is read from the article's folder, a bundle's too, as Pelican reads it:
    `../2016-07-13 GIMP 2.9.4 Released/index.md` names that bundle, though every bundle's
    file is index.md; a page's folder is pages/ (its `{static}x.jpg` is static/pages/x.jpg)."""
    files = {
        "articles/news/2016-07-13 GIMP 2.9.4 Released/index.md": (
            "Title: GIMP 2.9.4 Released\nDate: 2016-07-13 10:00\n\nOut.\n"
        ),
        "articles/news/2017-01-01 GIMP 2.9.6 Released/index.md": (
            "Title: GIMP 2.9.6 Released\nDate: 2017-01-01 10:00\n\n"
            "After [2.9.4](<{filename}../2016-07-13 GIMP 2.9.4 Released/index.md>).\n"
        ),
        "articles/news/2017-02-01-notes.md": (
            "Title: Notes\nDate: 2017-02-01 10:00\n\n"
            "See [2.9.6](<{filename}2017-01-01 GIMP 2.9.6 Released/index.md>)"
            " and [us]({filename}../pages/about.md).\n"
        ),
        "pages/about.md": "Title: About\n\n![Us]({static}us.png)\n",
        "static/pages/us.png": picture_bytes(),
    }
    site = make_site(files)
    assert warnings_of(site.build()) == []
    body = "//div[@class='body']"
    assert site.page("2017/01/01/2017-01-01-GIMP-2.9.6-Released/").attrs(f"{body}//a", "href") == [
        "/2016/07/13/2016-07-13-GIMP-2.9.4-Released/"
    ]
    assert site.page("2017/02/01/notes/").attrs(f"{body}//a", "href") == [
        "/2017/01/01/2017-01-01-GIMP-2.9.6-Released/",
        "/about/",
    ]
    assert site.page("about/").attrs(f"{body}//img", "src") == ["/pages/us.png"]
    assert broken_links(site.out) == []


def test_a_pelican_marker_with_no_file_is_said(make_site: MakeSite) -> None:
    """`{static}` with nothing after it names no file, and `{filename}https://…` is a web
    address: each is a warning at its line, not a link to the article's folder."""
    site = make_site(
        {
            "articles/news/a.md": (
                "Title: A\nDate: 2016-07-13 10:00\n\n[slides]({static})\n\n"
                "[site]({filename}https://example.com/x)\n"
            )
        }
    )
    found = [(w.line, w.message) for w in warnings_of(site.build())]
    assert found == [
        (
            4,
            "{static} names no file (Pelican reads the path after it from the content folder);"
            " it links nowhere (#)",
        ),
        (
            6,
            "{filename}https://example.com/x is a web address, not a file of the site: linked"
            " as https://example.com/x; write it without {filename}",
        ),
    ]
    links = site.page("2016/07/13/a/").attrs("//div[@class='body']//a", "href")
    assert links == ["#", "https://example.com/x"]


def test_pelicans_summary_header_is_read_as_markdown(make_site: MakeSite) -> None:
    """Pelican renders `Summary:` as Markdown: its words show, not its marks; elsewhere a
    written summary stays exactly as written."""
    site = make_site(
        {
            "articles/gap.md": (
                "Title: GAP\nDate: 2016-07-13 10:00\nSummary: *GAP 2.6.0* is a"
                " [stable](https://example.org/gap) release & `free`.\n\nBody.\n"
            ),
            "articles/yaml.md": (
                '---\ntitle: Y\ndate: 2016-07-14\nsummary: "*as written*"\n---\nB.\n'
            ),
        }
    )
    assert warnings_of(site.build()) == []
    page = site.page("2016/07/13/gap/")
    words = "GAP 2.6.0 is a stable release & free."
    assert page.text("//p[@class='standfirst']") == words
    assert page.attrs("//meta[@name='description']", "content") == [words]
    assert site.page("2016/07/14/yaml/").text("//p[@class='standfirst']") == "*as written*"
