"""`newsgen import wordpress|feed`: an old archive becomes source files, and the site builds.

The exports in fixtures/import/ are small and written by hand. wordpress.xml holds
published posts, a draft, a pending and a private post, an untitled draft, a percent-encoded
non-ASCII slug, captions, shortcodes, pages, attachments, menu items, a custom post type,
comments, a trashed post and an auto-draft, with GMT and local-only dates.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import REPO, MakeSite, Page, Result, SiteDir, run_newsgen

from newsgen.importers.autop import captions_to_figures, find_shortcodes, wpautop

pytestmark = pytest.mark.fast

FIXTURES = REPO / "tests" / "fixtures" / "import"
WXR = FIXTURES / "wordpress.xml"
ATOM = FIXTURES / "atom.xml"
RSS = FIXTURES / "rss.xml"
CONFIG = 'title: "Gazette"\nbase_url: "https://example.org/"\ntimezone: "Europe/Berlin"\n'
WARNING = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: warning: (?P<message>.+)$")
CEST, CET = timezone(timedelta(hours=2)), timezone(timedelta(hours=1))

WXR_FILES = {
    "articles/2011/2011-05-03-harbour-wall-repairs-begin.html",
    "articles/2011/2011-06-01-ferry-timetable-draft.html",
    "articles/2011/2011-06-02-lifeboat-appeal.html",
    "articles/2011/2011-06-03-staff-notes.html",
    "articles/2011/2011-06-04-untitled-105.html",
    "articles/2011/2011-07-01-новости.html",
    "articles/2011/2011-08-20-regatta-in-pictures.html",
    "articles/2011/2011-09-10-festival-gallery.html",
    "articles/2011/2011-12-24-tide-tables.html",
    "pages/about.html",
    "pages/staff-list.html",
}
WXR_NOT_IMPORTED = (
    "skipped 1 auto-draft, 1 trashed item; "
    "not imported: 2 attachments, 3 menu items, 1 'product' item, 3 comments"
)
QUERY_NOTE = (
    "1 old link had only a query (such as /?p=123) and got no alias:"
    " static pages cannot redirect a query."
)


def source_files(site: SiteDir) -> dict[str, tuple[bytes, int]]:
    """Every file an import may write, with its bytes and modification time."""
    return {
        p.relative_to(site.root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for folder in ("articles", "pages")
        for p in sorted((site.root / folder).rglob("*"))
        if p.is_file()
    }


def read_source(site: SiteDir, rel: str) -> tuple[dict[str, object], str]:
    """The front matter (parsed with YAML) and the body of a written source file."""
    text = (site.root / rel).read_text(encoding="utf-8")
    assert text.startswith("---\n"), text
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def body_tree(body: str) -> Page:
    return Page.parse(f"<!doctype html><body>{body}</body>".encode())


def warnings_of(result: Result) -> list[tuple[str, int | None, str]]:
    """stderr as (path, line, message); every line must be a warning."""
    found = []
    for text in result.stderr.splitlines():
        match = WARNING.match(text)
        assert match, f"stderr line is not PATH[:LINE]: warning: message: {text!r}"
        found.append(
            (match["path"], int(match["line"]) if match["line"] else None, match["message"])
        )
    return found


def import_into(site: SiteDir, kind: str, file: Path) -> Result:
    result = run_newsgen("import", kind, file, site.root)
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def gazette(make_site: MakeSite) -> SiteDir:
    return make_site(config=CONFIG)


@pytest.fixture
def imported(gazette: SiteDir) -> tuple[SiteDir, Result]:
    return gazette, import_into(gazette, "wordpress", WXR)


# --- WordPress: what is written ------------------------------------------------------------


def test_wordpress_writes_one_file_per_post_and_page(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    assert set(source_files(site)) == WXR_FILES


def test_wordpress_summary_counts_everything(imported: tuple[SiteDir, Result]) -> None:
    site, result = imported
    assert result.stdout.splitlines() == [
        f"Imported 9 articles (4 drafts) and 2 pages (1 draft) into {site.root}; "
        f"{WXR_NOT_IMPORTED}; 0 already there.",
        QUERY_NOTE,
    ]


def test_published_post_front_matter(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    meta, _ = read_source(site, "articles/2011/2011-05-03-harbour-wall-repairs-begin.html")
    assert meta == {
        "title": "Harbour wall repairs begin",
        # post_date_gmt 08:00 UTC, written in the site's zone with its offset
        "date": datetime(2011, 5, 3, 10, 0, tzinfo=CEST),
        "author": "Ruth Penhallow",  # the display name of the login 'ruth'
        "tags": ["Harbour", "Council"],
        "categories": ["News"],  # without WordPress's default 'Uncategorized'
        "summary": "Contractors moved onto the quay.",  # the excerpt as plain text
        "slug": "harbour-wall-repairs-begin",
        "aliases": ["/2011/05/harbour-wall-repairs-begin/"],
        "wordpress_id": 101,
    }
    assert meta["date"].utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("rel", "title", "date"),
    [
        # draft: no GMT date ('0000-00-00 00:00:00'), post_date read in Europe/Berlin
        ("2011-06-01-ferry-timetable-draft", "Ferry timetable (draft)", datetime(2011, 6, 1, 9)),
        ("2011-06-02-lifeboat-appeal", "Lifeboat appeal", datetime(2011, 6, 2, 9)),  # pending
        ("2011-06-03-staff-notes", "Staff notes", datetime(2011, 6, 3, 9)),  # private
        ("2011-06-04-untitled-105", "Untitled", datetime(2011, 6, 4, 9)),  # no title, no slug
    ],
)
def test_unpublished_posts_are_drafts(
    imported: tuple[SiteDir, Result], rel: str, title: str, date: datetime
) -> None:
    site, _ = imported
    meta, _ = read_source(site, f"articles/2011/{rel}.html")
    assert meta["title"] == title
    assert meta["draft"] is True
    assert meta["date"] == date.replace(tzinfo=CEST)
    assert meta["slug"] == rel.removeprefix(rel[:11])


def test_untitled_draft_and_unknown_login(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    meta, body = read_source(site, "articles/2011/2011-06-04-untitled-105.html")
    assert meta == {
        "title": "Untitled",
        "date": datetime(2011, 6, 4, 9, tzinfo=CEST),
        "author": "ghost",  # no <wp:author> entry for this login: the login itself
        "slug": "untitled-105",
        "draft": True,
        "wordpress_id": 105,
    }
    assert body == "<p>An idea for later.</p>\n"


def test_percent_encoded_slug_is_decoded(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    meta, _ = read_source(site, "articles/2011/2011-07-01-новости.html")
    assert meta["title"] == "Новости гавани"
    assert meta["slug"] == "новости"
    assert meta["aliases"] == ["/2011/07/новости/"]
    assert meta["categories"] == ["World & Europe"]  # WordPress stores names HTML-escaped


def test_local_date_without_gmt_is_read_in_the_site_timezone(
    imported: tuple[SiteDir, Result],
) -> None:
    site, _ = imported
    meta, _ = read_source(site, "articles/2011/2011-12-24-tide-tables.html")
    assert meta["date"] == datetime(2011, 12, 24, 18, tzinfo=CET)
    assert meta["date"].utcoffset() == timedelta(hours=1)  # winter time
    assert "aliases" not in meta  # its link was https://gazette.example/?p=111


def test_pages_go_to_pages_folder(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    about, body = read_source(site, "pages/about.html")
    assert about == {
        "title": "About us",
        "date": datetime(2010, 1, 1, 12, tzinfo=CET),
        "author": "Ruth Penhallow",
        "slug": "about",  # its old link /about/ is its new URL too: no alias to itself
        "wordpress_id": 201,
    }
    assert body_tree(body).texts("//body/p") == [
        "The Gazette has covered the harbour since 1898.",
        "Write to us at the quay office.",
    ]
    staff, _ = read_source(site, "pages/staff-list.html")
    assert staff["draft"] is True
    assert "aliases" not in staff


def test_body_gets_paragraphs_and_line_breaks_like_wordpress(
    imported: tuple[SiteDir, Result],
) -> None:
    site, _ = imported
    _, body = read_source(site, "articles/2011/2011-05-03-harbour-wall-repairs-begin.html")
    tree = body_tree(body)
    assert [e.tag for e in tree.all("//body/*")] == ["p", "p", "ul", "p"]
    first = tree.all("//body/p")[0]
    assert [e.tag for e in first] == ["strong", "br"]
    assert tree.texts("//body/p") == [
        "Contractors moved onto the north quay on Monday. The work will take six weeks.",
        "The council's harbour committee approved the fund in March.",
        'A spokesman said: "We are on schedule."',
    ]
    assert tree.texts("//ul/li") == ["North quay: six weeks", "South quay: next year"]


def test_captions_become_figures_and_pre_is_untouched(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    _, body = read_source(site, "articles/2011/2011-08-20-regatta-in-pictures.html")
    tree = body_tree(body)
    assert [e.tag for e in tree.all("//body/*")] == ["p", "figure", "figure", "pre", "p"]
    assert tree.texts("//figure/figcaption") == [
        "The fleet rounds the outer buoy",  # the content form
        "Winners on the quay",  # the caption="..." attribute form
    ]
    assert tree.attrs("//figure//img", "alt") == ["The fleet", "Winners"]
    assert tree.all("//figure/a/img")  # the link around the first image is kept
    assert tree.all("//figcaption/em")
    assert "[caption" not in body
    (pre,) = tree.all("//pre")
    assert pre.text == "Results:\n\n1. Kestrel\n2. Osprey"
    assert len(pre) == 0  # no <p> or <br> inside


def test_unknown_shortcodes_are_kept_and_reported_at_their_line(
    imported: tuple[SiteDir, Result],
) -> None:
    site, result = imported
    rel = "articles/2011/2011-09-10-festival-gallery.html"
    lines = (site.root / rel).read_text(encoding="utf-8").splitlines()
    reported = [w for w in warnings_of(result) if "shortcode" in w[2]]
    assert [(path, message.split("]")[0]) for path, _, message in reported] == [
        (str(site.root / rel), "WordPress shortcode [gallery"),  # reported once, not twice
        (str(site.root / rel), "WordPress shortcode [embed"),
    ]
    for _, line, message in reported:
        name = message.split("[")[1].split("]")[0]
        assert line is not None
        assert lines[line - 1].startswith(f"<p>[{name}")
    assert "[sic]" in lines[-4]  # an editor's bracket is no shortcode, and is not reported


def test_control_characters_are_dropped_with_a_warning(imported: tuple[SiteDir, Result]) -> None:
    site, result = imported
    rel = "articles/2011/2011-12-24-tide-tables.html"
    meta, body = read_source(site, rel)
    assert meta["title"] == "Harbour masters tide tables"  # U+0092 from a cp1252 mix-up
    assert body == "<p>High water at 06:12  and at 18:40.</p>\n"  # U+0096
    assert (str(site.root / rel), None, "dropped control characters U+0092, U+0096") in [
        (path, line, message.split(" that")[0]) for path, line, message in warnings_of(result)
    ]


def test_every_string_is_quoted(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    for rel in WXR_FILES:
        front = (site.root / rel).read_text(encoding="utf-8").split("\n---\n")[0]
        for line in front.splitlines()[1:]:
            key, value = line.split(": ", 1)
            if key in ("date", "draft", "wordpress_id"):
                continue
            assert value.startswith(('"', '["')), line


def wxr(*items: str, blog_url: str = "https://old.example") -> str:
    """A minimal export around ITEMS, each a string of <item> children."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
        f"<channel>\n<wp:base_blog_url>{blog_url}</wp:base_blog_url>\n"
    )
    body = "".join(f"<item>\n{item}\n</item>\n" for item in items)
    return head + body + "</channel>\n</rss>\n"


def post(post_id: int, title: str, *, status: str = "publish", extra: str = "") -> str:
    return (
        f"<title>{title}</title><wp:post_id>{post_id}</wp:post_id>"
        "<wp:post_date>2012-03-04 05:06:07</wp:post_date>"
        f"<wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>{extra}"
    )


def test_wordpress_edge_cases(gazette: SiteDir, tmp_path: Path) -> None:
    export = tmp_path / "edge.xml"
    export.write_text(
        wxr(
            post(1, "Members only", extra="<wp:post_password>s3cret</wp:post_password>"),
            post(2, "Archived", status="archived"),
            post(
                3,
                "Blocks",
                extra="<content:encoded><![CDATA[<!-- wp:paragraph -->\n<p>One</p>\n"
                "<!-- /wp:paragraph -->]]></content:encoded>"
                "<link>https://old.example/blog/2012/blocks/</link>",
            ),
            post(4, "Same day", extra="<wp:post_name>same</wp:post_name>"),
            post(5, "Same day", extra="<wp:post_name>same</wp:post_name>"),
            "<title>Lost</title><wp:post_id>6</wp:post_id><wp:status>publish</wp:status>"
            "<wp:post_type>post</wp:post_type>",
            blog_url="https://old.example/blog",
        ),
        encoding="utf-8",
    )
    result = import_into(gazette, "wordpress", export)
    folder = "articles/2012/2012-03-04-"
    assert set(source_files(gazette)) == {
        f"{folder}{name}.html" for name in ("members-only", "archived", "blocks", "same", "same-5")
    }
    assert read_source(gazette, f"{folder}members-only.html")[0]["draft"] is True
    assert read_source(gazette, f"{folder}archived.html")[0]["draft"] is True
    meta, body = read_source(gazette, f"{folder}blocks.html")
    assert body.startswith("<!-- wp:paragraph -->\n<p>One</p>\n")  # no wpautop for blocks
    assert meta["aliases"] == ["/2012/blocks/"]  # relative to the blog's own path
    assert read_source(gazette, f"{folder}same-5.html")[0]["wordpress_id"] == 5
    assert result.stdout.startswith(
        f"Imported 5 articles (2 drafts) into {gazette.root}; skipped 1 item without a date;"
    )
    assert [(line, message) for _, line, message in warnings_of(result)] == [
        (5, "post 1 is password-protected: imported as a draft"),
        (8, "unknown status 'archived': imported as a draft"),
        (None, "2012-03-04-same.html is another post's file; this one is written as"
               " 2012-03-04-same-5.html"),
        (22, "post 6 has no date: not imported"),
    ]  # fmt: skip


# --- WordPress: never overwrite -------------------------------------------------------------


def test_second_import_changes_nothing(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    before = source_files(site)
    again = import_into(site, "wordpress", WXR)
    assert source_files(site) == before  # same files, same bytes, same modification times
    assert again.stdout.splitlines()[0] == (
        f"Imported 0 articles into {site.root}; {WXR_NOT_IMPORTED}; 11 already there."
    )
    assert again.stderr == ""  # warnings were for the files the first run wrote


def test_an_edited_file_is_never_overwritten(gazette: SiteDir) -> None:
    """An imported file edited since (its wordpress_id kept) is the same post: left alone."""
    import_into(gazette, "wordpress", WXR)
    rel = "articles/2011/2011-05-03-harbour-wall-repairs-begin.html"
    edited = (gazette.root / rel).read_text().replace("Harbour wall", "Harbour wall (edited)")
    gazette.write(rel, edited)
    result = import_into(gazette, "wordpress", WXR)
    assert (gazette.root / rel).read_text() == edited
    assert result.stdout.splitlines()[0].endswith("; 11 already there.")
    assert result.stdout.startswith("Imported 0 articles into")


def test_a_file_name_taken_by_another_post_gets_the_next_free_name(gazette: SiteDir) -> None:
    """A hand-written file where an imported post would go keeps its place; the post is
    written beside it under the next free name and counted as imported, and a second run
    tells the two apart and writes nothing."""
    rel = "articles/2011/2011-05-03-harbour-wall-repairs-begin.html"
    mine = "---\ntitle: Written by hand\ndate: 2011-05-03\n---\nMine.\n"
    gazette.write(rel, mine)
    result = import_into(gazette, "wordpress", WXR)
    assert (gazette.root / rel).read_text() == mine
    assert "Imported 9 articles (4 drafts) and 2 pages (1 draft)" in result.stdout
    assert result.stdout.splitlines()[0].endswith("; 0 already there.")
    moved = "articles/2011/2011-05-03-harbour-wall-repairs-begin-101.html"
    assert read_source(gazette, moved)[0]["title"] == "Harbour wall repairs begin"
    assert (
        str(gazette.root / moved),
        None,
        "2011-05-03-harbour-wall-repairs-begin.html is another post's file; this one is"
        " written as 2011-05-03-harbour-wall-repairs-begin-101.html",
    ) in warnings_of(result)
    before = source_files(gazette)
    again = import_into(gazette, "wordpress", WXR)
    assert source_files(gazette) == before
    assert again.stdout.startswith("Imported 0 articles")
    assert again.stdout.splitlines()[0].endswith("; 11 already there.")
    assert gazette.build().code == 0


def test_old_links_newsgen_cannot_keep_are_dropped_and_the_site_builds(
    gazette: SiteDir, tmp_path: Path
) -> None:
    """Old links that land on newsgen's own pages, leave the site or are too long for a file
    name are not kept as aliases (a warning names each); a page whose slug is one of newsgen's
    own pages is written under another name; the next build succeeds."""
    long_name = "x" * 300
    links = {
        1: "https://old.example/tags/harbour/",
        2: "https://old.example/2011/",
        3: "https://old.example/search/",
        4: "https://old.example/a/%2e%2e/%2e%2e/etc/",
        5: f"https://old.example/{long_name}/",
        6: "https://old.example/pagefind/x.html",
        7: "https://old.example/feed.xml",
    }
    items = [post(n, f"Post {n}", extra=f"<link>{link}</link><wp:post_name>post-{n}</wp:post_name>")
             for n, link in links.items()]  # fmt: skip
    items.append(
        "<title>Search</title><wp:post_id>8</wp:post_id><wp:post_name>search</wp:post_name>"
        "<wp:post_date>2012-03-04 05:06:07</wp:post_date><wp:status>publish</wp:status>"
        "<wp:post_type>page</wp:post_type><link>https://old.example/search/</link>"
    )
    export = tmp_path / "links.xml"
    export.write_text(wxr(*items), encoding="utf-8")
    result = import_into(gazette, "wordpress", export)
    found = {(Path(path).name, message) for path, _, message in warnings_of(result)}
    shown = {"harbour": "/tags/harbour/", "2011": "/2011/", "search": "/search/"}
    assert {
        ("2012-03-04-post-1.html", f"the old link {shown['harbour']} of 'Post 1' is not kept as"
         " an alias: newsgen publishes the tag pages there"),
        ("2012-03-04-post-2.html", f"the old link {shown['2011']} of 'Post 2' is not kept as an"
         " alias: newsgen publishes a date archive page there"),
        ("2012-03-04-post-3.html", f"the old link {shown['search']} of 'Post 3' is not kept as"
         " an alias: newsgen publishes the search page there"),
        ("2012-03-04-post-6.html", "the old link /pagefind/x.html of 'Post 6' is not kept as an"
         " alias: newsgen publishes the search index there"),
        ("2012-03-04-post-7.html", "the old link /feed.xml of 'Post 7' is not kept as an"
         " alias: newsgen publishes the site's feed there"),
        ("search-page.html", "its URL /search/ is where newsgen publishes the search page: it"
         " is written as search-page.html, at /search-page/"),
    } <= found  # fmt: skip
    messages = "\n".join(message for _, message in found)
    assert "of 'Post 4' is not kept as an alias: it does not lead to a page inside the site" in (
        messages
    )
    assert f"/{long_name}/ of 'Post 5' is not kept as an alias: a part of it is longer than" in (
        messages
    )
    for n in range(1, 8):
        assert "aliases" not in read_source(gazette, f"articles/2012/2012-03-04-post-{n}.html")[0]
    built = gazette.build()
    assert built.code == 0, built.stderr
    assert gazette.page("search-page/").texts("//h1") == ["Search"]


def test_import_and_new_refuse_to_write_through_a_symlink_out_of_the_site(
    gazette: SiteDir, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (gazette.root / "articles").rmdir()
    (gazette.root / "articles").symlink_to(outside)
    result = run_newsgen("import", "feed", ATOM, gazette.root)
    assert result.code == 1
    assert result.stderr.strip() == (
        f"newsgen: error: {gazette.root / 'articles'} is a symlink that leads outside the site;"
        " newsgen import does not write through it (replace it by a folder, or import into the"
        " folder it leads to)"
    )
    result = run_newsgen("new", "Harbour news", gazette.root)
    assert result.code == 1
    assert "is a symlink that leads outside the site; newsgen new does not write" in result.stderr
    assert list(outside.rglob("*")) == []


# --- WordPress: errors ------------------------------------------------------------------------


def failed(result: Result, code: int) -> list[str]:
    assert result.code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return result.stderr.splitlines()


def test_missing_export_is_a_usage_error(gazette: SiteDir, tmp_path: Path) -> None:
    missing = tmp_path / "nope.xml"
    lines = failed(run_newsgen("import", "wordpress", missing, gazette.root), 2)
    assert lines == [f"newsgen: error: {missing} does not exist"]
    assert source_files(gazette) == {}


def test_missing_site_is_a_usage_error(tmp_path: Path) -> None:
    lines = failed(run_newsgen("import", "wordpress", WXR, tmp_path / "nosite"), 2)
    assert lines == [f"newsgen: error: site directory {tmp_path / 'nosite'} does not exist"]


def test_a_folder_that_is_not_a_site_is_refused(tmp_path: Path) -> None:
    lines = failed(run_newsgen("import", "feed", RSS, tmp_path), 2)
    assert "is not a newsgen site" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_malformed_export_is_reported_at_its_line(gazette: SiteDir, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text(
        '<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        "<item><title>One</title>\n</channel>\n</rss>\n"
    )
    lines = failed(run_newsgen("import", "wordpress", broken, gazette.root), 1)
    assert lines[0] == f"{broken}:5: not a valid WordPress export: mismatched tag"
    assert source_files(gazette) == {}


@pytest.mark.parametrize(
    ("file", "found"),
    [
        (RSS, "found an RSS feed with 3 items but no wp: elements"),
        (ATOM, "found an Atom feed"),
    ],
)
def test_a_feed_is_not_a_wordpress_export(gazette: SiteDir, file: Path, found: str) -> None:
    lines = failed(run_newsgen("import", "wordpress", file, gazette.root), 1)
    match = re.match(r"^(.+):(\d+): not a WordPress export: (.+)$", lines[0])
    assert match, lines
    assert match[1] == str(file)
    assert match[2] == "3"  # the root element's line, after the declaration and a comment
    assert match[3].startswith(found)
    assert f"newsgen import feed {file}" in match[3]
    assert source_files(gazette) == {}


def test_other_xml_is_not_a_wordpress_export(gazette: SiteDir, tmp_path: Path) -> None:
    other = tmp_path / "sitemap.xml"
    other.write_text('<?xml version="1.0"?>\n<urlset><url><loc>x</loc></url></urlset>\n')
    lines = failed(run_newsgen("import", "wordpress", other, gazette.root), 1)
    assert lines[0] == (
        f"{other}:2: not a WordPress export: found an XML document whose root element is"
        " <urlset>, where an export (WXR) is RSS with wp: elements"
    )


# --- Feeds ----------------------------------------------------------------------------------


def test_atom_entries_become_articles(gazette: SiteDir) -> None:
    result = import_into(gazette, "feed", ATOM)
    files = set(source_files(gazette))
    untitled = next(f for f in files if "untitled-" in f)
    assert files == {
        "articles/2020/2020-01-10-ferry-fares.html",
        untitled,
        "articles/2020/2020-03-01-notices.html",
    }
    assert re.fullmatch(r"articles/2020/2020-02-01-untitled-[0-9a-f]{8}\.html", untitled)
    assert result.stdout == f"Imported 3 articles into {gazette.root}; 0 already there.\n"

    meta, body = read_source(gazette, "articles/2020/2020-01-10-ferry-fares.html")
    assert meta == {
        "title": "Ferry fares rise & timetable changes",  # type="html", decoded once
        "date": datetime(2020, 1, 10, 9, 30, tzinfo=CET),
        "updated": datetime(2020, 1, 12, 18, tzinfo=CET),
        "authors": ["Ann Trevail", "Bob Polglase"],
        "tags": ["Ferry", "Prices"],
        "summary": "Fares go up by 50p.",  # a summary besides the full content
        "slug": "ferry-fares",  # the link's last segment, without .html
        "aliases": ["/news/2020/ferry-fares.html"],
    }
    assert body_tree(body).texts("//body/p") == [
        "The ferry company said fares go up by 50p.",
        "The new timetable starts in March.",
    ]

    meta, body = read_source(gazette, untitled)
    assert meta["title"] == "Untitled"
    assert meta["slug"] == untitled.split("-", 3)[3].removesuffix(".html")
    assert "aliases" not in meta  # an Atom id is no link
    assert "summary" not in meta  # feedparser's copy of the content is no summary
    assert body_tree(body).texts("//body/p") == ["A photo of the quay at dawn."]

    # No date of its own: the feed's <updated>, with a warning naming the entry.
    meta, body = read_source(gazette, "articles/2020/2020-03-01-notices.html")
    assert meta["date"] == datetime(2020, 3, 1, 13, tzinfo=CET)
    assert body_tree(body).texts("//body/p") == [
        "Berth 4 is closed.",
        "Berth 5 opens on Monday & stays open.",  # type="text": escaped, never markup
    ]
    assert warnings_of(result) == [
        (str(ATOM), 31, "entry 'Harbour notices' has no date: dated with the feed's date")
    ]


def test_rss_items_become_articles(gazette: SiteDir) -> None:
    result = import_into(gazette, "feed", RSS)
    assert set(source_files(gazette)) == {
        "articles/2019/2019-05-13-lighthouse-keeper-retires.html",
        "articles/2019/2019-06-07-fish-market-moves.html",
    }
    assert result.stdout.splitlines() == [
        f"Imported 2 articles into {gazette.root}; skipped 1 entry without a date;"
        " 0 already there.",
        QUERY_NOTE,
    ]
    assert warnings_of(result) == [
        (str(RSS), 29, "entry 'Undated notice' has no date, nor has the feed: not imported")
    ]
    meta, body = read_source(gazette, "articles/2019/2019-05-13-lighthouse-keeper-retires.html")
    assert meta == {
        "title": "Lighthouse keeper retires",
        "date": datetime(2019, 5, 13, 10, tzinfo=CEST),
        "author": "Jane Doe",  # from <author>desk@quay.example (Jane Doe)</author>
        "tags": ["People", "Lighthouse"],
        "slug": "lighthouse-keeper-retires",
        "aliases": ["/2019/05/lighthouse-keeper-retires/"],
    }
    assert body == "<p>After 30 years, the keeper hands over the keys.</p>\n"  # the description

    meta, body = read_source(gazette, "articles/2019/2019-06-07-fish-market-moves.html")
    assert meta == {
        "title": "Fish market moves",
        "date": datetime(2019, 6, 7, 9, 15, tzinfo=CEST),
        "author": "Sam Kitto",
        "summary": "The market moves to the old ice house.",
        "slug": "fish-market-moves",  # story.php?id=42 names no page: from the title
    }
    assert body_tree(body).texts("//body/p")[0].startswith("The fish market moves")


def test_second_feed_import_changes_nothing(gazette: SiteDir) -> None:
    import_into(gazette, "feed", ATOM)
    before = source_files(gazette)
    again = import_into(gazette, "feed", ATOM)
    assert source_files(gazette) == before
    assert again.stdout == f"Imported 0 articles into {gazette.root}; 3 already there.\n"


def test_a_broken_feed_with_entries_is_imported_with_a_warning(
    gazette: SiteDir, tmp_path: Path
) -> None:
    feed = tmp_path / "broken.xml"
    feed.write_text(
        '<rss version="2.0"><channel><title>Broken</title>\n'
        "<item><title>Fish & chips</title><link>https://x.example/a/fish/</link>"
        "<pubDate>Mon, 13 May 2019 10:00:00 GMT</pubDate><description>Hot.</description></item>\n"
        "</channel></rss>\n"
    )
    result = import_into(gazette, "feed", feed)
    ((path, line, message),) = warnings_of(result)
    assert (path, line) == (str(feed), 2)
    assert message.startswith("the feed is not well-formed")
    meta, _ = read_source(gazette, "articles/2019/2019-05-13-fish.html")
    assert meta["title"] == "Fish & chips"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('<rss version="2.0"><channel><title>Empty</title></channel></rss>\n', "no entries"),
        ("<html><body><p>Not a feed</p></body></html>\n", "not an RSS or Atom feed"),
        ("<rss><channel><title>x</title>\n<link>y</lnk>\n</channel></rss>\n", ":2: not a valid"),
    ],
    ids=["empty", "html", "malformed"],
)
def test_a_feed_without_entries_is_an_error(
    gazette: SiteDir, tmp_path: Path, text: str, message: str
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(text)
    lines = failed(run_newsgen("import", "feed", feed, gazette.root), 1)
    assert lines[0].startswith(f"{feed}")
    assert message in lines[0]
    assert source_files(gazette) == {}


# --- wpautop, case by case ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>\n"),
        ("Line\nbreak.", "<p>Line<br />\nbreak.</p>\n"),
        ("A\n\n\n\nB", "<p>A</p>\n<p>B</p>\n"),
        ("<div>Inside</div>", "<div>Inside</div>\n"),
        ("<div>\n\nOne\n\nTwo\n\n</div>", "<div>\n<p>One</p>\n<p>Two</p>\n</div>\n"),
        ("Text<br><br>More", "<p>Text</p>\n<p>More</p>\n"),
        ("<blockquote>Quote</blockquote>", "<blockquote><p>Quote</p></blockquote>\n"),
        ("<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>\n"),
        ('<a href="x"\ntitle="y">z</a>', '<p><a href="x"\ntitle="y">z</a></p>\n'),
        ("<table><tr><td>1</td></tr></table>", "<table>\n<tr>\n<td>1</td>\n</tr>\n</table>\n"),
        ("<hr>\nAfter", "<hr>\n<p>After</p>\n"),
        ("<style>a {}\nb {}</style>", "<style>a {}\nb {}</style>\n"),
        ("  \n", ""),
    ],
)
def test_wpautop(text: str, html: str) -> None:
    assert wpautop(text) == html


def test_caption_without_a_caption_is_its_content() -> None:
    assert captions_to_figures('[caption width="1"]<img src="a.jpg">[/caption]') == (
        '<img src="a.jpg">'
    )


def test_shortcodes_and_editors_brackets() -> None:
    text = "[sic] [laughter] [1] [[gallery]] [gallery] [youtube https://y.example/x] [x a=1]"
    assert [name for name, _ in find_shortcodes(text)] == ["gallery", "youtube", "x"]


# --- End to end: the imported site builds -----------------------------------------------------


def headlines(site: SiteDir) -> set[str]:
    """The <h1> of every built page."""
    return {
        text for p in site.out.rglob("*.html") for text in Page.parse(p.read_bytes()).texts("//h1")
    }


def redirect_target(site: SiteDir, alias: str) -> str:
    """The path a redirect page at ALIAS sends the reader to."""
    page = site.page(unquote(alias).lstrip("/"))
    (refresh,) = page.attrs("//meta[@http-equiv='refresh']", "content")
    url = re.split(r";\s*url=", refresh, flags=re.I)[1].strip("'\"")
    return unquote(urlsplit(url).path)


def test_imported_wordpress_site_builds(imported: tuple[SiteDir, Result]) -> None:
    site, _ = imported
    result = site.build()
    assert result.code == 0, result.stderr

    page = site.page("2011/05/03/harbour-wall-repairs-begin/")
    assert page.text("//article//h1") == "Harbour wall repairs begin"
    paragraphs = page.texts("//article//p")
    assert "The council's harbour committee approved the fund in March." in paragraphs
    assert not any("<p>" in p or "<br" in p for p in paragraphs)  # HTML, not escaped markup
    items = page.texts("//article//div[@class='body']//li")
    assert items == ["North quay: six weeks", "South quay: next year"]

    page = site.page("2011/08/20/regatta-in-pictures/")
    assert page.texts("//article//figure/figcaption") == [
        "The fleet rounds the outer buoy",
        "Winners on the quay",
    ]
    assert len(page.all("//article//figure//img")) == 2

    titles = headlines(site)
    assert {"Harbour wall repairs begin", "Новости гавани", "About us"} <= titles
    drafts = {"Ferry timetable (draft)", "Lifeboat appeal", "Staff notes", "Untitled"}
    assert not titles & (drafts | {"Staff list"})

    assert site.page("about/").texts("//h1") == ["About us"]
    assert not (site.out / "staff-list").exists()

    for alias, target in [
        ("/2011/05/harbour-wall-repairs-begin/", "/2011/05/03/harbour-wall-repairs-begin/"),
        ("/2011/07/новости/", "/2011/07/01/новости/"),
        ("/2011/08/regatta-in-pictures/", "/2011/08/20/regatta-in-pictures/"),
        ("/2011/09/festival-gallery/", "/2011/09/10/festival-gallery/"),
    ]:
        assert redirect_target(site, alias) == target


def test_imported_feed_site_builds(gazette: SiteDir) -> None:
    import_into(gazette, "feed", ATOM)
    import_into(gazette, "feed", RSS)
    result = gazette.build()
    assert result.code == 0, result.stderr
    page = gazette.page("2020/01/10/ferry-fares/")
    assert page.text("//article//h1") == "Ferry fares rise & timetable changes"
    assert "The new timetable starts in March." in page.texts("//article//p")
    assert redirect_target(gazette, "/news/2020/ferry-fares.html") == "/2020/01/10/ferry-fares/"
    assert "Lighthouse keeper retires" in headlines(gazette)


def test_importing_into_a_new_site_keeps_init_about_page_and_builds(tmp_path: Path) -> None:
    """`newsgen init` writes pages/about.md; the export's About page must not break the build."""
    site = tmp_path / "fresh"
    assert run_newsgen("init", site).code == 0
    imported = run_newsgen("import", "wordpress", WXR, site)
    assert imported.code == 0, imported.stderr
    assert "pages/about-imported.html: warning: pages/about.md already has the URL /about/" in (
        imported.stderr
    )
    built = run_newsgen("build", site)
    assert built.code == 0, built.stderr
    assert (site / "build/about/index.html").is_file()
    assert (site / "build/about-imported/index.html").is_file()
    # Run again: the same files are found, nothing is written twice.
    again = run_newsgen("import", "wordpress", WXR, site)
    assert "0 articles" in again.stdout and "about-imported" not in again.stderr


def test_an_old_link_is_kept_when_the_new_url_depends_on_the_folder(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """With `permalink: /{path}/` the importer cannot know where a post will be: its old
    link is kept as an alias (the build drops one that is its own URL), never guessed away."""
    site = make_site(config=CONFIG + 'permalink: "/{path}/"\n')
    export = tmp_path / "wp.xml"
    export.write_text(
        wxr(
            post(
                7,
                "Hello",
                extra="<wp:post_name>hello</wp:post_name><link>https://old.example/hello/</link>",
            ),
        ),
        encoding="utf-8",
    )
    import_into(site, "wordpress", export)
    result = site.build()
    assert result.code == 0, result.stderr
    moved = site.page("hello/")
    [target] = moved.attrs("//body//a", "href")
    assert target != "/hello/" and (site.out / target.strip("/") / "index.html").is_file()
