"""The command line: what `newsgen build` prints and where it writes, the installed script,
usage errors (exit 2) and --version. What a build writes is tested by the other files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MakeSite, article, run_newsgen
from newssite import html_files

from newsgen import __version__

# --- newsgen build -------------------------------------------------------------------------


SUMMARY_RE = re.compile(r"^Built (\d+) articles?, (\d+) pages?, (\d+) tags? in (\d+(?:\.\d+)?) s\b")


@pytest.mark.fast
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


@pytest.mark.fast
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


# --- usage errors and --version ------------------------------------------------------------


@pytest.mark.fast
def test_build_says_what_it_held_back_and_unchanged_builds_say_it_again(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsgen.incremental

    # Files written a moment ago are not trusted by their stat: trust them, so that the
    # second build is the short cut of a build with nothing to do.
    monkeypatch.setattr(newsgen.incremental, "RACY_SECONDS", 0)
    site = make_site(
        {
            "articles/a.md": article("A", "2026-12-01 10:00"),
            "articles/x.md": article("X", "2027-01-01 00:01:00+00:00"),
            "articles/y.md": article("Y", "2026-12-02 10:00", publish_at="2027-03-01 08:00"),
            "articles/z.md": article("Z", "2026-11-01 10:00", expires="2026-12-24"),
            # a correction (and an update) dated a year ahead by mistake: said, not hidden
            "articles/c.md": article(
                "C",
                "2026-11-02 10:00",
                updated="2027-11-03 10:00",
                corrections="[{date: 2026-11-03, text: Made.}, {date: 2027-11-03, text: Typo.}]",
            ),
        }
    )
    expected = [
        "Scheduled: 2 articles not published yet (next: articles/x.md at 2027-01-01 00:01 UTC)",
        "Expired: 1 article taken down (latest: articles/z.md at 2026-12-24 00:00 UTC)",
        "Corrections: 1 correction dated later, not shown yet"
        " (next: articles/c.md, dated 2027-11-03 00:00 UTC)",
    ]
    for short_cut in (False, True):  # the second build has nothing to do, and says the same
        result = run_newsgen("build", site.root, "--now", "2026-12-31T23:00Z")
        assert result.code == 0, result.stderr
        assert result.stdout.splitlines()[:3] == expected
        summary = result.stdout.splitlines()[3]
        assert SUMMARY_RE.match(summary) and SUMMARY_RE.match(summary).group(1) == "2"
        assert (
            "articles/c.md: warning: its 'updated' date, 2027-11-03 10:00 UTC, is still to come:"
            " the page and the feeds say it was updated then"
        ) in result.stderr
        assert (": 0 files written" in summary) == short_cut


@pytest.mark.fast
def test_an_updated_date_come_is_no_longer_warned_of_by_a_build_with_nothing_to_do(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An 'updated' date still to come is a warning until it comes: a build after it with
    nothing edited says no more of it (nor fails under --strict), as a clean build does."""
    import newsgen.incremental

    monkeypatch.setattr(newsgen.incremental, "RACY_SECONDS", 0)
    site = make_site(
        {"articles/c.md": article("C", "2026-11-02 10:00", updated="2027-01-01 10:00")}
    )
    warned = "articles/c.md: warning: its 'updated' date, 2027-01-01 10:00 UTC, is still to come"
    early = run_newsgen("build", site.root, "--now", "2027-01-01T09:00Z")
    assert early.code == 0 and warned in early.stderr
    late = run_newsgen("build", site.root, "--now", "2027-01-01T11:00Z", "--strict")
    assert late.code == 0, late.stderr
    assert "warning" not in late.stderr


@pytest.mark.fast
@pytest.mark.parametrize("command", ["build", "serve", "check"])
def test_a_now_that_is_no_time_is_a_usage_error(make_site: MakeSite, command: str) -> None:
    site = make_site({"articles/a.md": article()})
    result = run_newsgen(command, site.root, "--now", "next tuesday")
    assert result.code == 2
    assert "'next tuesday' is not a date and time; write it as 2027-01-01T09:00" in result.stderr
    assert not site.out.exists()


@pytest.mark.fast
def test_unknown_option_is_a_usage_error(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article()})
    result = run_newsgen("build", site.root, "--no-such-option")
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert not site.out.exists()


@pytest.mark.fast
def test_missing_site_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = run_newsgen("build", tmp_path / "nowhere")
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.fast
def test_folder_that_is_not_a_site_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a site", encoding="utf-8")
    result = run_newsgen("build", cwd=tmp_path)
    assert result.code == 2
    assert "newsgen init" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.fast
def test_missing_command_is_a_usage_error(tmp_path: Path) -> None:
    result = run_newsgen(cwd=tmp_path)
    assert result.code == 2
    assert "Traceback" not in result.stderr


@pytest.mark.fast
def test_version_prints_the_version(tmp_path: Path) -> None:
    result = run_newsgen("--version", cwd=tmp_path)
    assert result.code == 0
    assert result.stdout.split() == ["newsgen", __version__]


@pytest.mark.fast
@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_impossible_port_is_a_usage_error(make_site: MakeSite, port: str) -> None:
    site = make_site({"articles/a.md": article("A")})
    result = run_newsgen("serve", site.root, "--port", port)
    assert result.code == 2
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr
