"""Sections: where an article's section comes from, and the pages, feeds, navigation,
breadcrumbs and kickers a section gets (issue 17)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from conftest import MakeSite, SiteDir, article, diagnostics, run_newsgen, warnings_of

pytestmark = pytest.mark.fast

NAV = "//nav[@aria-label='Site']//a"


def nav(site: SiteDir, rel: str = "") -> list[str]:
    return site.page(rel).texts(NAV)


def listed(site: SiteDir, rel: str) -> list[str]:
    return site.page(rel).texts("//ol[@class='article-list']//h2/a")


def test_folders_under_articles_are_sections(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/world/storm.md": article("Storm hits coast", "2024-05-01 10:00"),
            "articles/world/ferry.md": article("Ferry sails again", "2024-05-03 10:00"),
            "articles/business-news/shares.md": article("Shares rise", "2024-05-02 10:00"),
        }
    )
    assert warnings_of(site.build()) == []
    assert nav(site)[:3] == ["Latest", "Business News", "World"]
    assert listed(site, "world/") == ["Ferry sails again", "Storm hits coast"]
    assert listed(site, "business-news/") == ["Shares rise"]
    world = site.page("world/")
    assert world.text("//h1") == "World"
    assert world.attrs(f"{NAV}[@aria-current='page']", "href") == ["/world/"]
    # The home page shows each story's section as a kicker, linked to its front page.
    home = site.page("")
    kickers = home.all("//main//article//p[@class='kicker']/a")
    assert [(k.text, k.get("href")) for k in kickers] == [
        ("World", "/world/"),
        ("Business News", "/business-news/"),
        ("World", "/world/"),
    ]
    # The section's own front page does not repeat it on every story.
    assert world.all("//ol[@class='article-list']//p[@class='kicker']") == []
    story = site.page("2024/05/01/storm/")
    crumbs = story.all("//nav[@aria-label='Breadcrumb']//a")
    assert [(c.text, c.get("href")) for c in crumbs] == [("Home", "/"), ("World", "/world/")]
    (data,) = story.texts("//script[@type='application/ld+json']")
    assert json.loads(data)["articleSection"] == "World"
    sitemap = (site.out / "sitemap.xml").read_text()
    assert "<loc>https://example.org/world/</loc>" in sitemap


def test_each_section_has_its_feeds(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/world/storm.md": article("Storm hits coast", "2024-05-01 10:00"),
            "articles/sport/match.md": article("Town wins the cup", "2024-05-02 10:00"),
        }
    )
    assert site.build().code == 0
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((site.out / "world" / name).read_bytes())
        assert not feed.bozo, name
        assert [e.title for e in feed.entries] == ["Storm hits coast"]
        assert feed.feed.title == "Test Site: World"
    entries = json.loads((site.out / "world/feed.json").read_text())["items"]
    assert [e["title"] for e in entries] == ["Storm hits coast"]
    assert site.page("world/").attrs("//p[@class='feed-links']/a", "href") == [
        "/world/feed.xml",
        "/world/atom.xml",
        "/world/feed.json",
    ]


def test_where_a_section_comes_from(make_site: MakeSite) -> None:
    site = make_site(
        {
            # Front matter wins over the folder.
            "articles/world/a.md": article("Front matter wins", section="Sport"),
            # Date folders and Jekyll's _posts are not sections; the first other folder is.
            "articles/2024/05/b.md": article("Dated folders only", "2024-05-02 10:00"),
            "articles/2024/culture/c.md": article("Under a year", "2024-05-03 10:00"),
            "articles/_posts/2024-05-04-d.md": article("In posts", "2024-05-04 10:00"),
            "articles/release/_posts/2024-05-05-e.md": article("Release", "2024-05-05 10:00"),
            # A bundle straight under articles/ is an article, not a section.
            "articles/my-bundle/index.md": article("A bundle", "2024-05-06 10:00"),
            "articles/desk/my-bundle/index.md": article("Bundled", "2024-05-07 10:00"),
            # With no folder, Jekyll's first category is the section.
            "articles/f.md": article("Categorised", "2024-05-08 10:00", categories="[Events, X]"),
        }
    )
    assert site.build().code == 0
    assert nav(site)[:6] == ["Latest", "Culture", "Desk", "Events", "Release", "Sport"]
    assert listed(site, "sport/") == ["Front matter wins"]
    assert listed(site, "culture/") == ["Under a year"]
    assert listed(site, "release/") == ["Release"]
    assert listed(site, "desk/") == ["Bundled"]
    assert listed(site, "events/") == ["Categorised"]
    assert not (site.out / "world").exists()
    assert not (site.out / "my-bundle" / "index.html").exists()
    # Tags stay as they were: categories are still topics too.
    assert site.page("2024/05/08/f/").texts("//a[@rel='tag']") == ["Events", "X"]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("none", []),
        ("front-matter", ["Sport"]),
        ("folders", ["Sport", "World"]),
        ("auto", ["Events", "Sport", "World"]),
    ],
)
def test_the_sections_setting(make_site: MakeSite, mode: str, expected: list[str]) -> None:
    config = f'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nsection_from: {mode}\n'
    site = make_site(
        {
            "articles/world/a.md": article("A"),
            "articles/b.md": article("B", "2024-05-02", section="Sport"),
            "articles/c.md": article("C", "2024-05-03", categories="[Events]"),
        },
        config,
    )
    assert site.build().code == 0
    assert nav(site) == ["Latest", *expected, "Topics", "Archive", "Authors"]


def test_index_files_name_order_and_introduce_sections(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/world/a.md": article("A"),
            "articles/sport/b.md": article("B", "2024-05-02"),
            "articles/arts/c.md": article("C", "2024-05-03"),
            "articles/sport/_index.md": '---\ntitle: "Sport & Leisure"\nweight: 1\n---\n',
            # Zola writes TOML; its body introduces the section.
            "articles/world/_index.md": (
                '+++\ntitle = "World"\ndescription = "News from abroad."\nweight = 2\n'
                "paginate_by = 10\n+++\nOur *foreign* desk.\n"
            ),
        }
    )
    # Zola's paginate_by is named, not dropped without a word (newsgen has per_page).
    assert [(w.path, w.line, w.message) for w in warnings_of(site.build())] == [
        (
            "articles/world/_index.md",
            5,
            "newsgen does not use 'paginate_by' in a section's _index file; ignored",
        )
    ]
    # Weighted sections first (lightest first), then the rest by name, as Hugo orders.
    assert nav(site)[:4] == ["Latest", "Sport & Leisure", "World", "Arts"]
    world = site.page("world/")
    assert world.text("//p[@class='standfirst']") == "News from abroad."
    assert world.text("//div[@class='section-intro']//em") == "foreign"
    assert world.attrs("//meta[@name='description']", "content") == ["News from abroad."]
    assert site.page("2024/05/02/b/").texts("//nav[@aria-label='Breadcrumb']//a")[1] == (
        "Sport & Leisure"
    )


def test_sections_described_in_the_settings(make_site: MakeSite) -> None:
    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
        "sections:\n  world:\n    title: Abroad\n    description: From our correspondents\n"
        "    weight: 2\n  sport: {weight: 1}\n  arts:\n"
    )
    site = make_site(
        {
            "articles/world/a.md": article("A"),
            "articles/sport/b.md": article("B", "2024-05-02"),
            "articles/world/_index.md": '---\ntitle: "World"\n---\n',
        },
        config,
    )
    warnings = warnings_of(site.build())
    assert [(w.path, w.message) for w in warnings] == [
        (
            "articles/world/_index.md",
            "describes the section world/ as newsgen.yaml does; only that one is used",
        ),
        (
            "newsgen.yaml",
            "describes the section arts/, which has no published articles; no page is made for it",
        ),
    ]
    assert nav(site)[:3] == ["Latest", "Sport", "Abroad"]
    assert site.page("world/").text("//p[@class='standfirst']") == "From our correspondents"


def test_bad_section_settings_are_named(make_site: MakeSite) -> None:
    config = 'title: "T"\nsearch: false\nsections:\n  world: {weight: heavy}\n'
    result = make_site({"articles/a.md": article("A")}, config).build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert [e.message for e in errors] == ["'sections.world.weight' must be a whole number"]


def test_index_files_that_describe_nothing_are_named(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/world/a.md": article("A"),
            "articles/empty/_index.md": '---\ntitle: "Empty"\n---\n',
            "articles/world/europe/_index.md": '---\ntitle: "Europe"\n---\n',
            "articles/2024/_index.md": '---\ntitle: "2024"\n---\n',
        }
    )
    warnings = {(w.path, w.message.split(";")[0]) for w in warnings_of(site.build())}
    assert warnings == {
        (
            "articles/empty/_index.md",
            "describes the section empty/, which has no published articles",
        ),
        (
            "articles/world/europe/_index.md",
            "describes a folder inside the section folder world/",
        ),
        (
            "articles/2024/_index.md",
            "describes a folder that is not a section (a date or _posts folder)",
        ),
    }
    assert nav(site)[:2] == ["Latest", "World"]


def test_permalinks_with_section_and_jekyll_categories(make_site: MakeSite) -> None:
    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
        'permalink: "/{categories}/{year}/{month}/{day}/{slug}/"\n'
    )
    site = make_site(
        {
            # Jekyll: the folders before _posts, then the front matter's, lowercased, once each.
            "articles/Release/_posts/2020-01-02-notes.md": article(
                "Notes", "2020-01-02 10:00", categories="[News, release, News]"
            ),
            "articles/2020-01-03-plain.md": article("Plain", "2020-01-03 10:00"),
        },
        config,
    )
    assert site.build().code == 0
    assert (site.out / "release/news/2020/01/02/notes/index.html").is_file()
    assert (site.out / "2020/01/03/plain/index.html").is_file()  # no empty segment

    other = make_site(
        {
            "articles/world/storm.md": article("Storm"),
            "articles/plain.md": article("Plain", "2024-05-02"),
        },
        config.replace("{categories}/{year}/{month}/{day}", "{section}"),
        name="other",
    )
    assert other.build().code == 0
    assert (other.out / "world/storm/index.html").is_file()
    assert (other.out / "plain/index.html").is_file()
    assert listed(other, "world/") == ["Storm"]


def test_a_page_at_a_sections_url_is_an_error_naming_both(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/world/a.md": article("A"),
            "pages/world.md": '---\ntitle: "World"\n---\nAbout our world desk.\n',
        }
    )
    result = site.build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert [(e.path, e.message) for e in errors] == [
        ("pages/world.md", "has the same URL /world/ as the front page of the section 'World'")
    ]


def test_an_extensionless_url_at_a_sections_url_is_an_error_naming_both(
    make_site: MakeSite,
) -> None:
    """/world as world.html beside the section's world/: hosts serve (or redirect to) the
    folder, so the article would never be seen."""
    site = make_site(
        {
            "articles/world/a.md": article("A"),
            "articles/b.md": article("B", permalink="/world"),
        }
    )
    result = site.build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert [(e.path, e.message) for e in errors] == [
        (
            "articles/b.md",
            "has the same URL /world as the front page of the section 'World', at /world/",
        )
    ]


def test_section_names_are_escaped(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("A", section='"<b>Bold</b> & Co"')})
    assert site.build().code == 0
    home = (site.out / "index.html").read_text()
    assert "<b>Bold</b>" not in home
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in home
    assert site.page("").texts(NAV)[1] == "<b>Bold</b> & Co"
    feed = feedparser.parse((site.out / "b-bold-b-co/feed.xml").read_bytes())
    assert feed.feed.title == "Test Site: <b>Bold</b> & Co"


def test_an_edited_index_file_rebuilds_as_a_clean_build(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(
        {
            "articles/world/a.md": article("A"),
            "articles/sport/b.md": article("B", "2024-05-02"),
            "articles/world/_index.md": '---\ntitle: "World"\n---\n',
        }
    )
    assert site.build().code == 0
    site.write("articles/world/_index.md", '---\ntitle: "Abroad"\nweight: 1\n---\nHello.\n')
    assert site.build().code == 0
    clean = tmp_path / "clean"
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("build", ".*"))
    assert run_newsgen("build", clean).code == 0
    assert site.snapshot() == SiteDir(clean).snapshot()
    assert nav(site)[:3] == ["Latest", "Abroad", "Sport"]


def test_a_section_named_like_newsgens_own_pages_moves_aside(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A", "2019-05-01", categories="[Archive]"),
            "articles/b.md": article("B", "2019-05-02", categories="[2019]"),
            "articles/c.md": article("C", "2019-05-03", section="Tags"),
        }
    )
    warnings = warnings_of(site.build())
    assert sorted((w.path, w.message) for w in warnings) == [
        (
            f"articles/{name}.md",
            f"the section {title!r} has its front page at /sections/{key}/: /{key}/ is"
            " newsgen's own page; give the section another name to have it there",
        )
        for name, title, key in (
            ("a", "Archive", "archive"),
            ("b", "2019", "2019"),
            ("c", "Tags", "tags"),
        )
    ]
    assert listed(site, "sections/archive/") == ["A"]
    assert listed(site, "sections/2019/") == ["B"]
    assert site.page("archive/").text("//h1") != "Archive" or listed(site, "archive/") == []
    assert site.page("2019/05/03/c/").attrs("//nav[@aria-label='Breadcrumb']//a", "href") == [
        "/",
        "/sections/tags/",
    ]


def test_different_names_that_share_a_url_name_are_named(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A", "2024-05-01", section='"C++"'),
            "articles/b.md": article("B", "2024-05-02", section='"C#"'),
            "articles/c.md": article("C", "2024-05-03", section='"c++"'),  # only case: same
        }
    )
    warnings = warnings_of(site.build())
    assert [(w.path, w.message.split(",")[0]) for w in warnings] == [
        (
            "articles/b.md",
            "its section has the same URL name (c) as the section 'C++' of articles/a.md",
        )
    ]


def test_pelicans_category_header_wins_over_the_folder(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/misc/hello.md": (
                "Title: Hello\nDate: 2024-01-01 10:00\nCategory: Python\n\nBody.\n"
            ),
            "articles/python/second.md": "Title: Second\nDate: 2024-01-02 10:00\n\nBody.\n",
        }
    )
    assert site.build().code == 0
    assert listed(site, "python/") == ["Second", "Hello"]
    assert not (site.out / "misc").exists()


def test_jekyll_categories_never_leave_the_site(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/_posts/2024-01-04-d.md": article(
                "D",
                "2024-01-04",
                permalink="/:categories/:year/:title/",
                categories='["..", "a/../b"]',
            )
        }
    )
    assert site.build().code == 0
    assert (site.out / "a/b/2024/d/index.html").is_file()


def test_an_introduction_links_to_articles_by_file_name(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/blog/p1.md": article("First post"),
            "articles/blog/_index.md": (
                '---\ntitle: "Blog"\n---\nStart with [the first post]({{< ref "blog/p1.md" >}}).\n'
            ),
        }
    )
    assert warnings_of(site.build()) == []
    blog = site.page("blog/")
    assert blog.attrs("//div[@class='section-intro']//a", "href") == ["/2024/05/01/p1/"]
    assert "newsgen-ref" not in (site.out / "blog/index.html").read_text()


def test_the_navigation_shows_nav_sections_of_them(make_site: MakeSite) -> None:
    files = {f"articles/s{n:02d}/a.md": article(f"A{n}", f"2024-05-{n + 1:02d}") for n in range(10)}
    site = make_site(files)
    assert site.build().code == 0
    assert nav(site)[1:9] == [f"S{n:02d}" for n in range(8)]
    assert nav(site)[9] == "Archive"  # no tags: no Topics
    assert listed(site, "s09/") == ["A9"]  # reached from its articles' kickers
    two = make_site(files, 'title: "T"\nsearch: false\nnav_sections: 2\n', name="two")
    assert two.build().code == 0
    assert nav(two)[:4] == ["Latest", "S00", "S01", "Archive"]


LANGS = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\nlanguages: [en, fr]\n'


def test_an_index_files_url_and_aliases_move_the_section_page(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/blog/a.md": article("A"),
            "articles/blog/_index.md": (
                '---\ntitle: "Blog"\nurl: /blogue/\naliases: [/old-blog/, /journal.html]\n'
                "layout: list\ncascade: {type: blog}\n---\n"
            ),
        }
    )
    warnings = warnings_of(site.build())
    assert [(w.path, w.line, w.message) for w in warnings] == [
        (
            "articles/blog/_index.md",
            5,
            "newsgen does not use 'layout', 'cascade' in a section's _index file; ignored",
        )
    ]
    assert not (site.out / "blog").exists()
    assert listed(site, "blogue/") == ["A"]
    assert (site.out / "blogue/feed.xml").is_file()
    assert site.page("").attrs(f"{NAV}[.='Blog']", "href") == ["/blogue/"]
    assert site.page("2024/05/01/a/").attrs("//nav[@aria-label='Breadcrumb']//a", "href") == [
        "/",
        "/blogue/",
    ]
    for old in ("old-blog/", "journal.html"):
        moved = site.page(old)
        assert moved.attrs("//link[@rel='canonical']", "href") == ["https://example.org/blogue/"]
        assert moved.attrs("//body//a", "href") == ["/blogue/"]


def test_an_index_files_url_is_under_its_languages_prefix(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/en/blog/a.md": article("A"),
            "articles/fr/blog/b.md": article("B"),
            "articles/fr/blog/_index.md": (
                '---\ntitle: "Blogue"\nurl: /blogue/\naliases: [/ancien-blogue/]\n---\n'
            ),
            "articles/news/_index.md": "---\nurl: /actualites/\naliases: [/old-news/]\n---\n",
            "articles/en/news/c.md": article("C"),
            "articles/fr/news/d.md": article("D"),
        },
        LANGS,
    )
    assert warnings_of(site.build()) == []
    assert listed(site, "blog/") == ["A"]
    assert listed(site, "fr/blogue/") == ["B"]
    assert not (site.out / "fr/blog").exists()
    assert site.page("fr/").attrs(f"{NAV}[.='Blogue']", "href") == ["/fr/blogue/"]
    # A file of no language moves the section in every language, each under its prefix.
    assert listed(site, "actualites/") == ["C"]
    assert listed(site, "fr/actualites/") == ["D"]
    assert site.page("old-news/").attrs("//body//a", "href") == ["/actualites/"]
    # A section's redirect page speaks its _index file's language.
    moved = site.page("ancien-blogue/")
    assert moved.attrs("//body//a", "href") == ["/fr/blogue/"]
    assert moved.attrs("//html", "lang") == ["fr"]


def test_an_index_files_url_that_cannot_be_is_an_error_naming_it(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/blog/a.md": article("A"),
            "articles/blog/_index.md": '---\ntitle: "Blog"\nurl: /tags/blog/\n---\n',
            "articles/news/b.md": article("B"),
            "articles/news/_index.md": '---\ntitle: "News"\nurl: /2024/\n---\n',
            "articles/arts/c.md": article("C"),
            "articles/arts/_index.md": '---\ntitle: "Arts"\nsave_as: arts.html\n---\n',
            "articles/feeds/d.md": article("D"),
            "articles/feeds/_index.md": '---\ntitle: "Feeds"\nurl: /feed.xml/\n---\n',
            "articles/more/e.md": article("E"),
            "articles/more/_index.md": '---\ntitle: "More"\nurl: /page/2/\n---\n',
        }
    )
    result = site.build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert sorted((e.path, e.line, e.message) for e in errors) == [
        (
            "articles/arts/_index.md",
            3,
            "'save_as' cannot be /arts.html: a section's front page is a folder (its pages and"
            " feeds are in it); the section stays at its own URL",
        ),
        (
            "articles/blog/_index.md",
            3,
            "'url' cannot be /tags/blog/: newsgen's own pages are under /tags/;"
            " the section stays at its own URL",
        ),
        (
            "articles/feeds/_index.md",
            3,
            "'url' cannot be /feed.xml/: a section's front page is a folder (its pages and"
            " feeds are in it); the section stays at its own URL",
        ),
        (
            "articles/more/_index.md",
            3,
            "'url' cannot be /page/2/: /page/2/ and on are the pages of the front page's"
            " list; the section stays at its own URL",
        ),
        (
            "articles/news/_index.md",
            3,
            "'url' cannot be /2024/: newsgen's own pages are under /2024/;"
            " the section stays at its own URL",
        ),
    ]


def test_a_section_url_claimed_twice_is_an_error_naming_the_file(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/sport/a.md": article("A", url="/scores/"),
            "articles/sport/_index.md": '---\ntitle: "Sport"\nurl: /scores/\n---\n',
            "articles/world/b.md": article("B"),
            "articles/arts/c.md": article("C"),
            "articles/arts/_index.md": '---\ntitle: "Arts"\npath: /world/\n---\n',
        }
    )
    result = site.build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert sorted((e.path, e.message) for e in errors) == [
        (
            "articles/arts/_index.md",
            "has the same URL /world/ as the front page of the section 'World'",
        ),
        (
            "articles/sport/a.md",
            "has the same URL /scores/ as the front page of the section 'Sport'"
            " (the url of articles/sport/_index.md)",
        ),
    ]


def test_a_permalink_for_one_section_leaves_the_others_at_their_paths(
    make_site: MakeSite,
) -> None:
    # A Hugo site: permalinks for `blog` only; every other page at its content path.
    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
        'permalink: "/{path}/"\n'
        'permalinks: {blog: "/{year}/{month}/{day}/{slug}/"}\n'
    )
    site = make_site(
        {
            "articles/blog/first-post.md": article("First", "2025-03-05 10:00"),
            "articles/toolkit/some-page.md": article("Some page", "2025-03-05 10:00"),
            "articles/toolkit/guides/Setup.md": article("Setup", "2025-03-06 10:00"),
            "articles/toolkit/bundle/index.md": article("Bundle", "2025-03-07 10:00"),
            "articles/loose.md": article("Loose", "2025-03-08 10:00"),
        },
        config,
    )
    assert warnings_of(site.build()) == []
    for url in (
        "2025/03/05/first-post/",
        "toolkit/some-page/",
        "toolkit/guides/Setup/",
        "toolkit/bundle/",
        "loose/",
    ):
        assert (site.out / url / "index.html").is_file(), url
    assert not (site.out / "2025/03/05/some-page").exists()
    assert listed(site, "toolkit/")[0] == "Bundle"
    assert site.page("toolkit/").attrs("//ol[@class='article-list']//h2/a", "href") == [
        "/toolkit/bundle/",
        "/toolkit/guides/Setup/",
        "/toolkit/some-page/",
    ]


def test_path_folders_are_slugs_as_the_file_name_is(make_site: MakeSite) -> None:
    """{path}'s folders follow the slug rule (Hugo lowercases them), white space becomes
    '-', and Jekyll's _posts never shows."""
    files = {
        "articles/Toolkit/Guides/Setup Guide.md": article("Setup", "2025-03-06 10:00"),
        "articles/blog/My Folder/a b.md": article("AB", "2025-03-07 10:00"),
        "articles/release/_posts/2024-01-01-x.md": article("X", "2024-01-01 10:00"),
    }
    config = 'title: "T"\nsearch: false\npermalink: "/{path}/"\n'
    hugo = make_site(files, config + "slugify: hugo\n", name="hugo")
    assert warnings_of(hugo.build()) == []
    assert (hugo.out / "toolkit/guides/setup-guide/index.html").is_file()
    plain = make_site(files, config, name="plain")
    assert warnings_of(plain.build()) == []
    for url in ("Toolkit/Guides/Setup-Guide/", "blog/My-Folder/a-b/", "release/x/"):
        assert (plain.out / url / "index.html").is_file(), url


def test_an_index_files_permalink_is_its_articles_pattern_in_every_language(
    make_site: MakeSite,
) -> None:
    site = make_site(
        {
            "articles/en/blog/a.md": article("A", "2025-03-05 10:00"),
            "articles/fr/blog/b.md": article("B", "2025-03-05 10:00"),
            "articles/en/blog/_index.md": (
                '---\ntitle: Blog\npermalink: "/{section}/{slug}/"\n---\n'
            ),
            "articles/en/news/c.md": article("C", "2025-03-05 10:00"),
        },
        LANGS + 'permalinks: {News: "/n/{year}/{slug}/"}\n',
    )
    assert warnings_of(site.build()) == []
    for url in ("blog/a/", "fr/blog/b/", "n/2025/c/"):
        assert (site.out / url / "index.html").is_file(), url


def test_bad_section_permalinks_are_named(make_site: MakeSite) -> None:
    config = 'title: "T"\nsearch: false\npermalinks: {blog: "/{year}/"}\n'
    result = make_site({"articles/a.md": article("A")}, config).build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert [e.message for e in errors] == [
        "'permalinks.blog': permalink must contain {slug} (or {path}, which ends in it)"
    ]
    site = make_site(
        {
            "articles/blog/a.md": article("A"),
            "articles/blog/_index.md": "---\ntitle: Blog\npermalink: /blog/\n---\n",
        },
        name="index",
    )
    result = site.build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert [(e.path, e.line, e.message) for e in errors] == [
        (
            "articles/blog/_index.md",
            3,
            "permalink must contain {slug} (or {path}, which ends in it) (here, the pattern of"
            " the section's articles' URLs)",
        )
    ]


def test_permalinks_for_a_section_no_article_is_in_are_named(make_site: MakeSite) -> None:
    config = 'title: "T"\nsearch: false\npermalinks: {Blog: "/b/{slug}/", news: "/n/{slug}/"}\n'
    site = make_site({"articles/news/a.md": article("A")}, config)
    [warning] = warnings_of(site.build())
    assert warning.path == "newsgen.yaml"
    assert "the section blog, which no article is in" in warning.message
    assert "(the sections, by URL name: news)" in warning.message
    assert (site.out / "n/a/index.html").is_file()


def test_an_index_files_url_may_repeat_its_languages_prefix(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/en/blog/a.md": article("A"),
            "articles/fr/blog/b.md": article("B"),
            "articles/fr/blog/_index.md": '---\ntitle: "Blogue"\nurl: /fr/blogue/\n---\n',
        },
        LANGS,
    )
    assert warnings_of(site.build()) == []
    assert listed(site, "fr/blogue/") == ["B"]


def test_a_section_file_with_text_and_no_articles_is_a_page(make_site: MakeSite) -> None:
    """Hugo publishes such a section's page with its text (a Jobs landing page): so does
    newsgen, with its aliases; one with nothing to show is named, as before."""
    site = make_site(
        {
            "articles/news/a.md": article("A"),
            "articles/jobs/_index.md": (
                '---\ntitle: "Jobs"\ndescription: "Work with us"\naliases: [/careers/]\n---\n'
                'We are hiring. See [the story]({{< ref "a.md" >}}).\n'
            ),
            "articles/empty/_index.md": '---\ntitle: "Empty"\n---\n',
        }
    )
    warnings = warnings_of(site.build())
    assert [(w.path, "no published articles" in w.message) for w in warnings] == [
        ("articles/empty/_index.md", True)
    ]
    jobs = site.page("jobs/")
    assert jobs.text("//h1") == "Jobs"
    assert "We are hiring." in jobs.text("//main")
    assert jobs.attrs("//main//a[.='the story']", "href") == ["/2024/05/01/a/"]
    assert site.page("careers/").attrs("//body//a", "href") == ["/jobs/"]
    assert not (site.out / "empty").exists()


def test_a_permalinks_value_of_the_wrong_kind_names_its_key_once(make_site: MakeSite) -> None:
    result = make_site({}, 'title: "T"\nsearch: false\npermalinks: {blog: 3}\n').build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert [e.message for e in errors] == ["'permalinks.blog' must be a string, not a number"]


def test_a_section_file_in_a_language_the_site_lacks_is_named_not_used(
    make_site: MakeSite,
) -> None:
    site = make_site(
        {
            "articles/news/a.md": article("A", tags="[Foo]"),
            "articles/news/_index.fr.md": '---\ntitle: "Actualités"\n---\n',
            "articles/tags/foo/_index.fr.md": '---\ntitle: "Foo en français"\n---\n',
        }
    )
    warnings = warnings_of(site.build())
    assert sorted(w.path for w in warnings) == [
        "articles/news/_index.fr.md",
        "articles/tags/foo/_index.fr.md",
    ]
    assert all("in fr, which is not one of the site's languages" in w.message for w in warnings)
    assert site.page("news/").text("//h1") == "News"
    assert not site.page("tags/foo/").text("//h1").endswith("Foo en français")


def test_a_draft_landing_page_waits_and_section_aliases_are_one_redirect_each(
    make_site: MakeSite,
) -> None:
    files = {
        "articles/news/a.md": article("A"),
        "articles/jobs/_index.md": (
            "---\ntitle: Jobs\ndraft: true\naliases: [/careers/]\n---\nHi.\n"
        ),
        "articles/news/_index.md": "---\ntitle: News\naliases: [/old/, /old/index.html]\n---\n",
        "newsgen.yaml": 'title: "T"\nsearch: false\npermalinks: {jobs: "/j/{slug}/"}\n',
    }
    site = make_site(files, config=None)
    warnings = warnings_of(site.build())
    assert [w.path for w in warnings] == ["newsgen.yaml"]  # jobs has no article
    assert not (site.out / "jobs").exists() and not (site.out / "careers").exists()
    assert site.page("old/").attrs("//body//a", "href") == ["/news/"]
    assert site.build("--drafts").code == 0
    assert site.page("jobs/").text("//h1") == "Jobs"


def test_the_navigation_links_to_the_topics_only_once_there_are_some(make_site: MakeSite) -> None:
    """An archive without tags has no 'Topics' in its navigation (it led to 'No topics yet.');
    the first tag brings it back on every page, as a clean build makes them."""
    config = 'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
    site = make_site({"articles/a.md": article("A"), "articles/b.md": article("B", "2024-05-02")})
    site.write("newsgen.yaml", config)
    assert site.build().code == 0
    assert "Topics" not in nav(site) and "Topics" not in nav(site, "2024/05/02/b/")
    site.write("articles/b.md", article("B", "2024-05-02", tags="[Harbour]"))
    assert site.build().code == 0
    for rel in ("", "2024/05/01/a/", "archive/"):
        assert "Topics" in nav(site, rel), rel
    clean = make_site(
        {p.relative_to(site.root).as_posix(): p.read_text() for p in site.root.rglob("*.md")},
        config,
        name="clean",
    )
    assert clean.build().code == 0
    assert site.snapshot() == clean.snapshot()


def test_the_404_and_search_pages_send_no_one_to_topics_until_there_are_some(
    make_site: MakeSite,
) -> None:
    """Without tags, the 404 page and the search page's fallback do not offer the topics'
    index ('No topics yet.'); the first tag brings the link back, as a clean build makes it."""
    config = 'title: "T"\nbase_url: "https://example.org/"\n'
    site = make_site({"articles/a.md": article("A")}, config)
    assert site.build().code == 0
    for rel in ("404.html", "search/"):
        assert "/tags/" not in site.page(rel).attrs("//main//a", "href"), rel
    assert site.page("404.html").text("//main//p[a]") == "Go to the latest news."
    assert site.page("search/").text("//noscript/p") == (
        "Search needs JavaScript. Browse by date instead."
    )
    site.write("articles/a.md", article("A", tags="[Harbour]"))
    assert site.build().code == 0
    for rel in ("404.html", "search/"):
        assert "/tags/" in site.page(rel).attrs("//main//a", "href"), rel
    clean = make_site({"articles/a.md": article("A", tags="[Harbour]")}, config, name="clean")
    assert clean.build().code == 0
    assert site.snapshot() == clean.snapshot()
