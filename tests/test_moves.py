"""Articles whose URL changed: the warning, `build --record-moves` (the alias written into the
file in its own dialect, every other byte kept) and the redirect it makes in the same build."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

import pytest
from conftest import MakeSite, SiteDir

from newsgen.build import Builder, BuildReport
from newsgen.cli import main
from newsgen.errors import BuildFailed
from newsgen.moves import Unsafe, add_alias

pytestmark = pytest.mark.fast

OLD = "/2024/05/01/old-slug/"


def build(site: SiteDir, *, record: bool = False) -> BuildReport:
    builder = Builder(site.root, record_moves=record)
    try:
        return builder.build()
    finally:
        builder.close()


def moved_warnings(report: BuildReport) -> list[str]:
    return [f"{w.path}: {w.message}" for w in report.warnings if "old address" in w.message]


def redirect_target(site: SiteDir, url: str) -> str:
    page = site.page(url.lstrip("/"))
    return page.attrs("//meta[@http-equiv='refresh']", "content")[0].split("url=", 1)[1]


def edit(text: str, alias: str = OLD, path: str = "articles/a.md") -> str:
    return add_alias(text.encode(), PurePosixPath(path), alias).decode()


# -- The edit, dialect by dialect: the alias added, every other byte kept ----------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # no aliases yet: newsgen's key, before the closing fence
            "---\ntitle: A\nslug: new # why\n---\nBody\n",
            '---\ntitle: A\nslug: new # why\naliases: ["/2024/05/01/old-slug/"]\n---\nBody\n',
        ),
        (  # a one-line list, in the spelling the file uses, its comment kept
            "---\ntitle: A\nredirect_from: [/x/]  # old\n---\nBody\n",
            '---\ntitle: A\nredirect_from: [/x/, "/2024/05/01/old-slug/"]  # old\n---\nBody\n',
        ),
        (  # a block list: one more item in its indentation
            "---\ntitle: A\naliases:\n    -  '/x/'\n    -  /y/\nslug: n\n---\nBody\n",
            "---\ntitle: A\naliases:\n    -  '/x/'\n    -  /y/\n"
            '    -  "/2024/05/01/old-slug/"\nslug: n\n---\nBody\n',
        ),
        (  # comments and a blank line inside a block list (Jekyll's habit) stay where they are
            "---\ntitle: A\nredirect_from:\n  # from the old CMS\n  - /x/\n\n  - /y/  # z\n"
            "# end\nslug: n\n---\nBody\n",
            "---\ntitle: A\nredirect_from:\n  # from the old CMS\n  - /x/\n\n  - /y/  # z\n"
            '  - "/2024/05/01/old-slug/"\n# end\nslug: n\n---\nBody\n',
        ),
        (  # `aliases:` said to be empty in YAML's words
            "---\ntitle: A\naliases: ~  # none yet\n---\nBody\n",
            '---\ntitle: A\naliases: ["/2024/05/01/old-slug/"]  # none yet\n---\nBody\n',
        ),
        (
            "---\ntitle: A\naliases: null\n---\nBody\n",
            '---\ntitle: A\naliases: ["/2024/05/01/old-slug/"]\n---\nBody\n',
        ),
        (  # one alias written as a string becomes a list of two
            "---\ntitle: A\nredirect_from: /x/\n---\nBody\n",
            '---\ntitle: A\nredirect_from: [/x/, "/2024/05/01/old-slug/"]\n---\nBody\n',
        ),
        (  # TOML: above the first table, so the key stays at the top level
            '+++\ntitle = "A"\n[extra]\nx = 1\n+++\nBody\n',
            '+++\ntitle = "A"\naliases = ["/2024/05/01/old-slug/"]\n[extra]\nx = 1\n+++\nBody\n',
        ),
        (
            '+++\ntitle = "A"\naliases = [ "/x/" ]\n+++\nBody\n',
            '+++\ntitle = "A"\naliases = [ "/x/", "/2024/05/01/old-slug/" ]\n+++\nBody\n',
        ),
        (  # JSON (Hugo)
            '{\n  "title": "A",\n  "date": "2024-05-01"\n}\nBody\n',
            '{\n  "aliases": ["/2024/05/01/old-slug/"],\n  "title": "A",\n'
            '  "date": "2024-05-01"\n}\nBody\n',
        ),
        (
            '{\n  "title": "A",\n  "aliases": ["/x/"]\n}\nBody\n',
            '{\n  "title": "A",\n  "aliases": ["/x/", "/2024/05/01/old-slug/"]\n}\nBody\n',
        ),
        (  # Pelican header lines
            "Title: A\nDate: 2024-05-01\n\nBody\n",
            "Title: A\nDate: 2024-05-01\nAliases: /2024/05/01/old-slug/\n\nBody\n",
        ),
        (
            "Title: A\nAliases: /x/\n\nBody\n",
            "Title: A\nAliases: /x/, /2024/05/01/old-slug/\n\nBody\n",
        ),
    ],
)
def test_the_alias_is_added_in_the_files_own_dialect(before: str, after: str) -> None:
    assert edit(before) == after


def test_line_endings_and_bom_are_kept() -> None:
    raw = b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nBody\r\n"
    new = add_alias(raw, PurePosixPath("articles/a.md"), OLD)
    assert (
        new
        == b'\xef\xbb\xbf---\r\ntitle: A\r\naliases: ["/2024/05/01/old-slug/"]\r\n---\r\nBody\r\n'
    )


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: A\naliases: {old: /x/}\n---\nBody\n",  # not a list
        "---\ntitle: A\naliases: &a [/x/]\n---\nBody\n",  # an anchor other keys may use
        '+++\ntitle = "A"\naliases = "/x/"\n+++\nBody\n',  # Hugo reads only a list
        '{"title": "A"}\nBody\n',  # the whole object on one line
        "---\nTitle: Key: value\n---\nBody\n",  # Pelican lines between '---'
    ],
)
def test_a_shape_newsgen_does_not_edit_is_refused(text: str) -> None:
    with pytest.raises(Unsafe):
        edit(text)


def test_an_edit_that_does_not_read_back_is_not_blamed_on_the_file() -> None:
    # The file reads well; it is newsgen's line that would not: the journalist must not be
    # told the front matter "cannot be read".
    with pytest.raises(Unsafe, match=r"^adding a line would change how"):
        edit("{\n}\nBody\n")


# -- Builds ------------------------------------------------------------------------------------


def story(slug: str, extra: str = "") -> str:
    return (
        "---\n# kept as written\ntitle: 'Council votes'\ndate: 2024-05-01 10:00\n"
        f"slug: {slug}\n{extra}---\n\nThe council voted on Tuesday.\n"
    )


def test_record_moves_keeps_an_old_url_after_a_slug_change(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("new-slug"), encoding="utf-8")
    path.chmod(0o640)
    before = path.read_bytes()

    assert main(["build", str(site.root), "--record-moves"]) == 0

    printed = capsys.readouterr().out
    assert f"articles/a.md: kept {OLD} as an alias of /2024/05/01/new-slug/" in printed
    assert redirect_target(site, OLD) == "/2024/05/01/new-slug/"
    after = path.read_bytes()
    added = b'aliases: ["/2024/05/01/old-slug/"]\n'
    assert after == before.replace(b"---\n\nThe", added + b"---\n\nThe")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.md"]  # no temp file left

    again = build(site, record=True)  # the file changed: read again, nothing left to keep
    assert again.moves == () and moved_warnings(again) == []
    assert path.read_bytes() == after
    assert redirect_target(site, OLD) == "/2024/05/01/new-slug/"


def test_record_moves_follows_a_file_renamed_for_a_new_date(make_site: MakeSite) -> None:
    text = "---\ntitle: Flood warning\n---\n\nThe river rose overnight.\n"
    site = make_site({"articles/2024-05-01-flood.md": text})
    build(site)
    (site.root / "articles/2024-05-01-flood.md").rename(site.root / "articles/2024-05-02-flood.md")

    [warning] = moved_warnings(build(site))
    assert warning.startswith(
        "articles/2024-05-02-flood.md: its old address /2024/05/01/flood/ no longer works (the"
        " story, once articles/2024-05-01-flood.md, is at /2024/05/02/flood/ now)"
    )
    report = build(site, record=True)

    assert report.moves == (
        "articles/2024-05-02-flood.md: kept /2024/05/01/flood/ as an alias of /2024/05/02/flood/",
    )
    assert redirect_target(site, "/2024/05/01/flood/") == "/2024/05/02/flood/"
    assert (site.root / "articles/2024-05-02-flood.md").read_text() == text.replace(
        "---\n\n", 'aliases: ["/2024/05/01/flood/"]\n---\n\n'
    )


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        (
            "a.md",
            "+++\ntitle = 'A'\ndate = 2024-05-01\nslug = 'old-slug'\n+++\nBody text.\n",
            "+++\ntitle = 'A'\ndate = 2024-05-01\nslug = 'new-slug'\n+++\nBody text.\n",
        ),
        (
            "a.md",
            '{\n  "title": "A",\n  "date": "2024-05-01",\n  "slug": "old-slug"\n}\nBody text.\n',
            '{\n  "title": "A",\n  "date": "2024-05-01",\n  "slug": "new-slug"\n}\nBody text.\n',
        ),
        (
            "a.md",
            "Title: A\nDate: 2024-05-01\nSlug: old-slug\n\nBody text.\n",
            "Title: A\nDate: 2024-05-01\nSlug: new-slug\n\nBody text.\n",
        ),
        (  # wire copy: plain text under YAML front matter
            "a.txt",
            "---\ntitle: A\ndate: 2024-05-01\nslug: old-slug\n---\nBODY TEXT.\n",
            "---\ntitle: A\ndate: 2024-05-01\nslug: new-slug\n---\nBODY TEXT.\n",
        ),
    ],
    ids=["toml", "json", "headers", "wire-copy"],
)
def test_each_dialect_keeps_its_old_url_through_a_build(
    make_site: MakeSite, name: str, old: str, new: str
) -> None:
    site = make_site({f"articles/{name}": old})
    build(site)
    (site.root / "articles" / name).write_text(new, encoding="utf-8")

    assert len(build(site, record=True).moves) == 1

    assert redirect_target(site, OLD) == "/2024/05/01/new-slug/"
    again = build(site)  # newsgen reads the alias back from the file
    assert moved_warnings(again) == []
    assert redirect_target(site, OLD) == "/2024/05/01/new-slug/"


def test_without_the_flag_each_build_warns_until_the_move_is_kept(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    (site.root / "articles/a.md").write_text(story("new-slug"), encoding="utf-8")
    before = (site.root / "articles/a.md").read_bytes()

    first = build(site)
    second = build(site)  # nothing changed: the warning stands

    expected = [
        f"articles/a.md: its old address {OLD} no longer works (the story is at"
        " /2024/05/01/new-slug/ now), so links and bookmarks to it break; `newsgen build"
        " --record-moves` keeps the old address as an alias that sends readers on"
    ]
    assert moved_warnings(first) == expected
    assert moved_warnings(second) == expected
    assert (site.root / "articles/a.md").read_bytes() == before
    assert not (site.out / OLD.strip("/")).exists()

    kept = build(site, record=True)  # still known after plain builds
    assert len(kept.moves) == 1
    assert redirect_target(site, OLD) == "/2024/05/01/new-slug/"


def test_an_old_url_another_story_now_has_is_said_instead(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    (site.root / "articles/a.md").write_text(story("new-slug"), encoding="utf-8")
    (site.root / "articles/b.md").write_text(story("old-slug").replace("Council", "Mayor"))

    report = build(site, record=True)

    assert report.moves == ()
    assert moved_warnings(report) == [
        f"articles/a.md: its old address {OLD} now leads to articles/b.md, so old links to"
        " this story land there (this story is at /2024/05/01/new-slug/ now)"
    ]
    assert "aliases" not in (site.root / "articles/a.md").read_text()


def test_a_failed_build_writes_no_source(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    output = site.snapshot()
    (site.root / "articles/a.md").write_text(story("new-slug"), encoding="utf-8")
    (site.root / "articles/broken.md").write_text("---\ntitle: [\n---\nx\n")
    before = (site.root / "articles/a.md").read_bytes()

    with pytest.raises(BuildFailed):
        build(site, record=True)

    assert (site.root / "articles/a.md").read_bytes() == before
    assert site.snapshot() == output
    (site.root / "articles/broken.md").unlink()
    assert len(build(site, record=True).moves) == 1  # the move is still known


def test_a_file_that_cannot_be_edited_gets_the_line_to_add_by_hand(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": story("old-slug", "aliases: &old [/x/]\n")})
    build(site)
    path: Path = site.root / "articles/a.md"
    path.write_text(story("new-slug", "aliases: &old [/x/]\n"), encoding="utf-8")
    before = path.read_bytes()

    report = build(site, record=True)

    assert report.moves == () and path.read_bytes() == before
    [warning] = moved_warnings(report)
    assert "(its 'aliases' value has a shape newsgen does not edit)" in warning
    assert "add \"/2024/05/01/old-slug/\" to its 'aliases' list (line 6) by hand" in warning


def test_a_file_that_cannot_be_written_is_said_and_warned_about_again(
    make_site: MakeSite,
) -> None:
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("new-slug"), encoding="utf-8")
    os.link(path, site.root / "a-copy.md")  # a hard link: replacing the file would split them
    before = path.read_bytes()

    report = build(site, record=True)

    assert report.moves == () and path.read_bytes() == before
    assert moved_warnings(report) == [
        f"articles/a.md: its old address {OLD} redirects to /2024/05/01/new-slug/ in this"
        " build only: the file was not changed (it is a link to another file); add the line"
        f' `aliases: ["{OLD}"]` to its front matter by hand'
    ]
    assert len(moved_warnings(build(site))) == 1  # still lost, so still said


def test_a_story_moved_twice_keeps_both_old_urls_in_one_write(make_site: MakeSite) -> None:
    # Two builds without the flag, then one with it: both old URLs are lost and both are kept.
    # Each alias used to be planned against the file as it was, so writing the first made the
    # second look "changed while the build ran", and its by-hand line was a second `aliases:`.
    site = make_site({"articles/a.md": story("first")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("second"), encoding="utf-8")
    build(site)
    path.write_text(story("third"), encoding="utf-8")

    report = build(site, record=True)

    assert moved_warnings(report) == []
    assert report.moves == (
        "articles/a.md: kept /2024/05/01/second/ as an alias of /2024/05/01/third/",
        "articles/a.md: kept /2024/05/01/first/ as an alias of /2024/05/01/third/",
    )
    assert path.read_text() == story(
        "third", 'aliases: ["/2024/05/01/second/", "/2024/05/01/first/"]\n'
    )
    for old in ("/2024/05/01/first/", "/2024/05/01/second/"):
        assert redirect_target(site, old) == "/2024/05/01/third/"
    assert moved_warnings(build(site)) == []


def test_a_story_moved_twice_that_cannot_be_written_gets_one_line_to_add(
    make_site: MakeSite,
) -> None:
    site = make_site({"articles/a.md": story("first")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("second"), encoding="utf-8")
    build(site)
    path.write_text(story("third"), encoding="utf-8")
    os.link(path, site.root / "a-copy.md")

    report = build(site, record=True)

    assert moved_warnings(report) == [
        "articles/a.md: its old addresses /2024/05/01/second/ and /2024/05/01/first/ redirect"
        " to /2024/05/01/third/ in this build only: the file was not changed (it is a link to"
        ' another file); add the line `aliases: ["/2024/05/01/second/", "/2024/05/01/first/"]`'
        " to its front matter by hand"
    ]


def test_a_read_only_file_is_left_alone(make_site: MakeSite) -> None:
    # Replacing a file through its folder ignores the file's own mode: a file made read-only
    # (a story under legal hold, say) must not be rewritten behind the journalist's back.
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("new-slug"), encoding="utf-8")
    path.chmod(0o444)
    before = path.read_bytes()

    report = build(site, record=True)

    assert report.moves == () and path.read_bytes() == before
    assert moved_warnings(report) == [
        f"articles/a.md: its old address {OLD} no longer works (the story is at"
        " /2024/05/01/new-slug/ now), and newsgen cannot add it to this file safely (it is"
        f' read-only): add the line `aliases: ["{OLD}"]` to its front matter by hand'
    ]


def test_a_story_pulled_as_a_draft_keeps_its_published_url_for_when_it_returns(
    make_site: MakeSite,
) -> None:
    # Published, pulled back (draft: true, for a legal read), its slug changed, published
    # again: its old URL was public, and used to be forgotten while it was a draft.
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("new-slug", "draft: true\n"), encoding="utf-8")
    assert moved_warnings(build(site)) == []  # a draft is not followed
    path.write_text(story("new-slug"), encoding="utf-8")

    report = build(site, record=True)

    assert report.moves == (f"articles/a.md: kept {OLD} as an alias of /2024/05/01/new-slug/",)
    assert redirect_target(site, OLD) == "/2024/05/01/new-slug/"


@pytest.mark.parametrize("out_of_view", ["draft: true\n", "expires: 2024-06-01\n"])
def test_a_story_out_of_view_is_not_taken_for_a_new_one_with_its_body(
    make_site: MakeSite, out_of_view: str
) -> None:
    # A story pulled back (a draft, or taken down) is still in its file: a new story with
    # the same text is another story, not the old one renamed, and gets none of its URLs.
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    (site.root / "articles/a.md").write_text(story("old-slug", out_of_view), encoding="utf-8")
    site.write("articles/b.md", story("another"))

    report = build(site, record=True)

    assert moved_warnings(report) == [] and report.moves == ()
    assert (site.root / "articles/b.md").read_text(encoding="utf-8") == story("another")


def test_a_file_saved_while_the_build_ran_keeps_the_journalists_bytes(
    make_site: MakeSite,
) -> None:
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("new-slug"), encoding="utf-8")
    saved = story("new-slug").replace("Tuesday", "Wednesday")

    def editor_saves(stage: str, done: int, total: int) -> None:
        if stage == "Rendering":  # after the alias was planned, before it is written
            path.write_text(saved, encoding="utf-8")

    builder = Builder(site.root, record_moves=True, progress=editor_saves)
    try:
        report = builder.build()
    finally:
        builder.close()

    assert path.read_text() == saved and report.moves == ()
    [warning] = moved_warnings(report)
    assert "the file was not changed (it was changed while the build ran)" in warning
    assert len(build(site, record=True).moves) == 1  # kept at the next build
    assert 'aliases: ["/2024/05/01/old-slug/"]' in path.read_text()
    assert "Wednesday" in path.read_text()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_file_keeps_its_owner_when_the_build_runs_as_root(make_site: MakeSite) -> None:
    # A build in a container or CI job runs as root over the journalist's checkout: the file
    # replaced through a new one used to become root's, and its owner could not save it again.
    site = make_site({"articles/a.md": story("old-slug")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("new-slug"), encoding="utf-8")
    os.chown(path, 4321, 8765)

    assert len(build(site, record=True).moves) == 1

    info = os.stat(path)
    assert (info.st_uid, info.st_gid) == (4321, 8765)
    assert 'aliases: ["/2024/05/01/old-slug/"]' in path.read_text()


def test_a_renamed_file_whose_old_name_holds_a_new_story_keeps_the_old_url_itself(
    make_site: MakeSite,
) -> None:
    # A newsroom's `breaking.md`: the story is filed under its own name (and slug), and the
    # next one is written in `breaking.md`. The old URL belongs to the story that moved, not
    # to the newcomer at its old path, which used to get the alias and the old readers.
    site = make_site({"articles/breaking.md": story("flood")})
    build(site)
    root = site.root / "articles"
    (root / "breaking.md").rename(root / "flood.md")
    (root / "flood.md").write_text(story("flood-2024"), encoding="utf-8")
    fire = story("fire").replace("The council voted on Tuesday.", "A fire broke out at dawn.")
    (root / "breaking.md").write_text(fire, encoding="utf-8")

    report = build(site, record=True)

    assert report.moves == (
        "articles/flood.md: kept /2024/05/01/flood/ as an alias of /2024/05/01/flood-2024/",
    )
    assert (root / "breaking.md").read_text() == fire
    assert redirect_target(site, "/2024/05/01/flood/") == "/2024/05/01/flood-2024/"


@pytest.mark.parametrize("record", [False, True])
def test_an_old_url_a_listing_serves_now_is_said_to_lead_there(
    make_site: MakeSite, record: bool
) -> None:
    # Only the routes know the archives and tags' pages: the old URL used to be called lost,
    # and the alias --record-moves kept for it clashed with the archive and failed the build.
    site = make_site({"articles/a.md": story("a", "url: /2024/06/\n")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("a", "url: /june/\n"), encoding="utf-8")
    site.write("articles/c.md", "---\ntitle: June\ndate: 2024-06-02\n---\nJune text.\n")
    before = path.read_bytes()

    report = build(site, record=record)

    assert report.moves == () and path.read_bytes() == before
    assert moved_warnings(report) == [
        "articles/a.md: its old address /2024/06/ now leads to the archive of 2024-06, so old"
        " links to this story land there (this story is at /june/ now)"
    ]
    assert not site.page("2024/06/").all("//meta[@http-equiv='refresh']")  # still the archive
    assert moved_warnings(build(site)) == []  # not lost: nothing to say again


def test_a_story_moved_twice_keeps_the_old_url_no_listing_serves(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": story("a", "url: /2024/06/\n")})
    build(site)
    path = site.root / "articles/a.md"
    path.write_text(story("a", "url: /first/\n"), encoding="utf-8")
    build(site)
    path.write_text(story("a", "url: /second/\n"), encoding="utf-8")
    site.write("articles/c.md", "---\ntitle: June\ndate: 2024-06-02\n---\nJune text.\n")

    report = build(site, record=True)

    assert report.moves == ("articles/a.md: kept /first/ as an alias of /second/",)
    assert 'aliases: ["/first/"]' in path.read_text()
    assert redirect_target(site, "/first/") == "/second/"
    assert not site.page("2024/06/").all("//meta[@http-equiv='refresh']")
