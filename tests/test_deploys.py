"""What a deploy reads: the output's manifest (`.newsgen-manifest.json`) and `build --changes`,
the files added, changed and removed since the previous build."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MakeSite, SiteDir, article

from newsgen import incremental
from newsgen.build import Builder

pytestmark = pytest.mark.fast

MANIFEST = ".newsgen-manifest.json"


def tree(out: Path) -> dict[str, bytes]:
    """Every file of an output, by its path from the top, with its bytes."""
    return {
        "/" + p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def expected_changes(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    found = [f"+ {p}" for p in after if p not in before]
    found += [f"~ {p}" for p in after if p in before and before[p] != after[p]]
    found += [f"- {p}" for p in before if p not in after]
    return sorted(found, key=lambda line: line[2:])


@pytest.fixture
def site(make_site: MakeSite) -> SiteDir:
    files = {
        f"articles/story-{n}.md": article(
            f"Story {n}", f"2024-05-0{n} 10:00", "Alpha text.", tags="[Harbour]"
        )
        for n in range(1, 5)
    }
    return make_site({**files, "static/logo.txt": "logo"})


def test_the_manifest_lists_every_file_with_its_digest_and_size(site: SiteDir) -> None:
    assert site.build().code == 0
    files = tree(site.out)
    manifest = json.loads(files.pop("/" + MANIFEST))
    assert manifest["files"] == {
        path: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for path, data in files.items()
    }
    assert list(manifest["files"]) == sorted(files)


def test_changes_lists_what_differs_between_two_builds(site: SiteDir, tmp_path: Path) -> None:
    listed = tmp_path / "changes.txt"
    first = site.build("--changes", str(listed))
    assert first.code == 0, first.stderr
    assert "Built " in first.stdout
    before = tree(site.out)
    assert listed.read_text().splitlines() == [f"+ {p}" for p in before]  # all added

    site.write("articles/story-2.md", article("Story 2", "2024-05-02 10:00", "A new body."))
    site.write("articles/story-9.md", article("Story 9", "2024-05-09 10:00"))
    (site.root / "articles/story-3.md").unlink()
    (site.root / "static/logo.txt").unlink()
    second = site.build("--changes")
    assert second.code == 0, second.stderr
    after = tree(site.out)
    lines = second.stdout.splitlines()
    assert lines == expected_changes(before, after)  # the summary went to stderr
    assert {"- /logo.txt", "+ /2024/05/09/story-9/index.html", f"~ /{MANIFEST}"} <= set(lines)
    assert "Built " in second.stderr


def test_a_build_with_nothing_to_do_lists_no_changes(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert site.build().code == 0
    listed = tmp_path / "changes.txt"
    listed.write_text("+ /left/from/before.html\n")
    monkeypatch.setattr(incremental, "RACY_SECONDS", 0.0)

    def not_built(*args: object) -> None:
        raise AssertionError("the build did not stop early")

    monkeypatch.setattr(Builder, "_build", not_built)
    result = site.build("--changes", str(listed))
    assert result.code == 0, result.stderr
    assert listed.read_text() == ""


def test_a_failed_build_leaves_the_list_empty(site: SiteDir, tmp_path: Path) -> None:
    listed = tmp_path / "changes.txt"
    assert site.build("--changes", str(listed)).code == 0
    site.write("articles/broken.md", "---\ntitle: [unclosed\n---\nBody.\n")
    assert site.build("--changes", str(listed)).code == 1
    assert listed.read_text() == ""


def test_the_list_may_not_go_into_the_output(site: SiteDir) -> None:
    assert site.build().code == 0
    before = tree(site.out)
    result = site.build("--changes", str(site.out / "changes.txt"))
    assert result.code == 2
    assert "inside the output" in result.stderr
    assert tree(site.out) == before


def test_a_page_back_to_its_bytes_of_two_builds_ago_is_newer_than_the_live_copy(
    site: SiteDir,
) -> None:
    """Inputs A, then B, then A again: the standby tree still holds the page made from A
    (two builds old) and keeps it, but the live copy it replaces (B, same size) is newer.
    `aws s3 sync` uploads a file of equal size only when it is newer, rsync by mtime trusts
    times: a file whose bytes differ from the live one's must be newer than it."""
    page = site.out / "2024/05/02/story-2/index.html"
    assert site.build().code == 0
    for body in ("Bravo text.", "Alpha text.", "Bravo text."):
        live = page.stat()
        site.write(
            "articles/story-2.md", article("Story 2", "2024-05-02 10:00", body, tags="[Harbour]")
        )
        assert site.build().code == 0
        now = page.stat()
        assert page.read_bytes() != b"" and now.st_size == live.st_size
        assert now.st_mtime_ns > live.st_mtime_ns, body
        assert now.st_ino != live.st_ino
    manifest = json.loads((site.out / MANIFEST).read_bytes())
    for path, data in tree(site.out).items():
        if path != "/" + MANIFEST:
            assert manifest["files"][path]["sha256"] == hashlib.sha256(data).hexdigest()


def doc_block(starting: str) -> str:
    """The shell block of docs/deploying.md that starts with STARTING."""
    text = (Path(__file__).parents[1] / "docs/deploying.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return next(block for block in blocks if block.startswith(starting))


def test_the_documented_deploy_lines_work_on_odd_names(make_site: MakeSite, tmp_path: Path) -> None:
    """The rsync and purge lines of docs/deploying.md, run as written under `set -e` (curl
    replaced by one that notes its URL; the server is a folder): a removed article's folder,
    names with a space and non-ASCII letters. Skipped without rsync and jq, except in CI
    (NEWSGEN_REQUIRE_DEPLOY_TOOLS=1, which .ci/run sets after installing them)."""
    missing = [tool for tool in ("rsync", "jq", "bash") if not shutil.which(tool)]
    if missing:
        if os.environ.get("NEWSGEN_REQUIRE_DEPLOY_TOOLS") == "1":
            pytest.fail(f"CI must run the deploy lines, and {', '.join(missing)} is missing")
        pytest.skip(f"needs {', '.join(missing)}")
    site = make_site(
        {
            "articles/café.md": article("Café", "2024-05-01 10:00"),
            "articles/keep.md": article("Keep", "2024-05-02 10:00"),
            "static/my docs/plan.txt": "plan",
        }
    )
    assert site.build().code == 0
    server = tmp_path / "server"
    shutil.copytree(site.out, server)
    shutil.copy(site.out / MANIFEST, site.root / "deployed.json")
    site.write("articles/keep.md", article("Keep", "2024-05-02 10:00", "Edited."))
    assert site.build().code == 0  # not deployed: --since lists its changes too
    (site.root / "articles/café.md").unlink()
    site.write("static/new dir/é f.txt", "new")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    purged = tmp_path / "purged"
    curl = stubs / "curl"
    curl.write_text(
        f'#!/bin/sh\nfor a; do last="$a"; done\necho "$last" >> {shlex.quote(str(purged))}\n'
    )
    curl.chmod(0o755)
    newsgen = f"{shlex.quote(sys.executable)} -m newsgen"
    upload = doc_block("set -e\nnewsgen build --changes changes.txt --since deployed.json\n")
    upload = upload.replace("user@host:/var/www/news/", shlex.quote(f"{server}/"))
    script = "\n".join(
        [
            "set -e",
            f"cd {shlex.quote(str(site.root))}",
            upload.replace("newsgen build", f"{newsgen} build", 1),
        ]
    )
    script += doc_block("sed -e ")
    env = {**os.environ, "PATH": f"{stubs}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert tree(server) == tree(site.out)
    assert (site.root / "deployed.json").read_bytes() == (site.out / MANIFEST).read_bytes()
    urls = purged.read_text().splitlines()
    assert "https://example.org/new%20dir/%C3%A9%20f.txt" in urls
    assert "https://example.org/2024/05/01/caf%C3%A9/" in urls
    assert "https://example.org/2024/05/01/caf%C3%A9/index.html" in urls


def test_a_file_edited_by_hand_in_the_output_is_listed_when_the_build_puts_it_back(
    site: SiteDir,
) -> None:
    """The live tree is what was deployed: a file changed there by hand (in place, or
    replaced) differs from what the build leaves, so the list names it; the manifest
    describes the bytes there are."""
    assert site.build().code == 0
    (site.out / "logo.txt").write_text("edited in place")
    page = site.out / "index.html"
    replaced = page.read_bytes().replace(b"Story 1", b"Story X")
    page.unlink()
    page.write_bytes(replaced)
    extra = site.out / "extra.html"
    extra.write_text("added by hand")
    result = site.build("--changes")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert {"~ /logo.txt", "~ /index.html", "- /extra.html"} <= set(lines), lines
    assert b"Story X" not in page.read_bytes()
    files = tree(site.out)
    manifest = json.loads(files.pop("/" + MANIFEST))["files"]
    assert manifest == {
        path: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for path, data in files.items()
    }


def test_since_lists_what_changed_after_the_manifest_a_deploy_uploaded(
    site: SiteDir, tmp_path: Path
) -> None:
    """Builds that nobody deployed (serve's rebuilds, a plain build, a deploy that failed)
    are builds too: `--since` compares with the output a kept manifest describes."""
    deployed = tmp_path / "deployed.json"
    first = site.build("--changes", "--since", str(deployed))  # no deploy yet: all added
    assert first.code == 0, first.stderr
    assert first.stdout.splitlines() == [f"+ {p}" for p in tree(site.out)]
    shutil.copy(site.out / MANIFEST, deployed)
    uploaded = tree(site.out)

    site.write("articles/story-2.md", article("Story 2", "2024-05-02 10:00", "Edited."))
    assert site.build().code == 0  # as serve rebuilds the output while an editor works
    assert site.build("--changes").stdout == ""
    since = site.build("--changes", "--since", str(deployed))
    assert since.code == 0, since.stderr
    assert since.stdout.splitlines() == expected_changes(uploaded, tree(site.out))
    assert "~ /2024/05/02/story-2/index.html" in since.stdout.splitlines()

    deployed.write_text("not a manifest")
    assert site.build("--changes", "--since", str(deployed)).code == 2
    assert site.build("--since", str(deployed)).code == 2


@pytest.mark.parametrize("doc", ["README.md", "docs/deploying.md"])
def test_the_documented_timers_are_well_formed(doc: str) -> None:
    """The cron line and the GitHub Actions workflow that publish scheduled stories: each
    crontab line has five time fields before a command that builds, the workflow is YAML
    with a schedule, and it installs newsgen from a file the site keeps (newsgen is not on
    PyPI, so `pip install newsgen` would fail on the first run)."""
    import yaml

    text = (Path(__file__).parents[1] / doc).read_text(encoding="utf-8")
    crontabs = re.findall(r"```crontab\n(.*?)```", text, re.S)
    workflows = re.findall(r"```yaml\n(# \.github/workflows/.*?)```", text, re.S)
    assert crontabs and workflows
    for line in "".join(crontabs).splitlines():
        fields = line.split(None, 5)
        assert len(fields) == 6 and all(re.fullmatch(r"[\d*/,-]+", f) for f in fields[:5])
        assert "newsgen build" in fields[5]
    for block in workflows:
        flow = yaml.safe_load(block)
        cron = flow[True]["schedule"][0]["cron"]  # YAML 1.1 reads the key `on` as True
        assert len(cron.split()) == 5
        runs = [
            step["run"] for job in flow["jobs"].values() for step in job["steps"] if "run" in step
        ]
        install = next(run for run in runs if "pip install" in run)
        assert re.search(r"pip install (-r \S+|\S+\.whl|git\+)", install), install
        assert "newsgen build" in install
