"""`newsgen init` and `newsgen new`: what they write, what they refuse, and that it builds."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import Page
from servehelpers import parse_html, text_of, write_site

import newsgen.config as config_module
from newsgen.cli import main
from newsgen.config import load_config
from newsgen.models import SiteConfig

# Every key newsgen.yaml knows, sections and their keys too, read from the config module.
CONFIG_KEYS = [*config_module._FIELDS, *config_module._SECTIONS]
CONFIG_KEYS += [key for section in config_module._SECTIONS.values() for key in section]


def headlines(build: Path) -> set[str]:
    """Every article headline in a build."""
    found: set[str] = set()
    for page in build.rglob("index.html"):
        found.update(text_of(parse_html(page.read_bytes()), "//article[@class='story']//h1"))
    return found


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.fast
def test_init_then_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "harbour-news"
    assert main(["init", str(site)]) == 0
    assert str(site) in capsys.readouterr().out
    assert sorted(p.name for p in (site / "templates").iterdir()) == ["README.md"]
    assert "replace" in (site / "templates" / "README.md").read_text()
    assert sorted(p.name for p in (site / "static").iterdir()) == [".gitkeep"]
    assert "templates/" in (site / "README.md").read_text()
    assert main(["build", str(site)]) == 0
    assert headlines(site / "build") == {"Welcome to your news site"}
    assert not list((site / "build").rglob(".gitkeep"))
    ignored = (site / ".gitignore").read_text().split()
    assert ignored == ["/build/", "/.build.*", "/.newsgen-cache/"]
    home = Page.parse((site / "build/index.html").read_bytes())
    assert home.attrs("//nav[@aria-label='Site']//a[text()='About Harbour News']", "href") == [
        "/about/"
    ]
    about = Page.parse((site / "build/about/index.html").read_bytes())
    assert about.text("//h1") == "About Harbour News"
    # The welcome story shows its picture, on the front page and on its own page.
    alt = "A drawing of a newspaper's front page held up over the sea"
    assert home.attrs("//main//article[@class='front-lead']/picture/img", "alt") == [alt]
    (story,) = (site / "build").glob("*/*/*/welcome/index.html")
    [img] = Page.parse(story.read_bytes()).all("//article//figure/picture/img")
    assert img.get("alt") == alt
    # Processed: its size, and smaller versions published under /_img/.
    assert img.get("width") and img.get("height") and img.get("srcset").startswith("/_img/")
    assert (site / "build" / img.get("srcset").split(" ")[0].lstrip("/")).is_file()
    assert (story.parent / "welcome.png").read_bytes().startswith(b"\x89PNG")
    # A new site has nothing for check to report: its publisher has a logo (the theme's).
    capsys.readouterr()
    assert main(["check", str(site)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(": 0 errors, 0 warnings")


@pytest.mark.fast
def test_init_config_mentions_every_key_and_loads(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    text = (site / "newsgen.yaml").read_text()
    for key in CONFIG_KEYS:
        assert re.search(rf"^(# )?\s*{key}:", text, re.M), key
    set_keys = yaml.safe_load(text)
    assert sorted(set_keys) == ["base_url", "description", "publisher", "title"]
    config = load_config(site)
    assert config.title == "Site"
    # Uncommenting every key gives the defaults back: the comments are true.
    uncommented = re.sub(r"^# (\s*\w+:(?: |$))", r"\1", text, flags=re.M)
    (site / "newsgen.yaml").write_text(uncommented)
    everything = load_config(site)
    examples = {"title", "description", "base_url", "author", "publisher_name", "publisher_logo"}
    examples |= {"params", "sections", "languages", "slugify", "default_image"}
    defaults = SiteConfig()
    for name in (f.name for f in dataclasses.fields(SiteConfig)):
        if name not in examples:
            assert getattr(everything, name) == getattr(defaults, name), name


@pytest.mark.fast
def test_init_into_empty_dir(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "newsgen.yaml").is_file()


@pytest.mark.fast
@pytest.mark.parametrize("existing", ["notes.txt", ".git/HEAD"])
def test_init_refuses_non_empty_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("keep me")
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "not empty" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "newsgen.yaml").exists()
    assert (tmp_path / existing).read_text() == "keep me"


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert main(["init", str(tmp_path / "file")]) == 1


@pytest.mark.parametrize(
    "order",
    [
        ["--tags", "harbour, council", "{site}"],  # as docs/commands.md writes it
        ["{site}", "--tags", "harbour, council"],
    ],
)
def test_new_then_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], order: list[str]
) -> None:
    site = write_site(tmp_path / "site", {})
    (site / "newsgen.yaml").write_text('title: "T"\ntimezone: "Asia/Tokyo"\n')
    before = datetime.now().astimezone()
    rest = [str(site) if word == "{site}" else word for word in order]
    assert main(["new", "Harbour Wall: Repairs Begin", *rest]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.is_file()
    meta = front_matter(printed)
    date = meta["date"]
    assert isinstance(date, datetime)
    assert date.utcoffset() == timedelta(hours=9)  # now, in the site's time zone
    assert before - timedelta(seconds=2) <= date <= datetime.now().astimezone()
    assert printed == site / f"articles/{date:%Y}/{date:%Y-%m-%d}-harbour-wall-repairs-begin.md"
    assert meta == {
        "title": "Harbour Wall: Repairs Begin",
        "date": date,
        "tags": ["harbour", "council"],
        "draft": True,
    }

    assert main(["build", str(site)]) == 0
    assert headlines(site / "build") == set()  # a draft is not published
    assert main(["build", str(site), "--drafts"]) == 0
    assert headlines(site / "build") == {"Harbour Wall: Repairs Begin"}


@pytest.mark.parametrize(
    "title",
    ['Breaking: "Quotes" & #hashes', "yes", "Café — Ünïcode 2024", "- leading dash", "{braces}"],
)
def test_new_quotes_any_title(tmp_path: Path, title: str) -> None:
    site = write_site(tmp_path / "site", {})
    assert main(["new", title, str(site), "--tags", "no,2024"]) == 0
    (path,) = (site / "articles").rglob("*.md")
    assert front_matter(path)["title"] == title
    assert front_matter(path)["tags"] == ["no", "2024"]
    assert main(["build", str(site), "--drafts"]) == 0
    assert headlines(site / "build") == {title}


@pytest.mark.fast
def test_new_txt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", {})
    assert main(["new", "Ferry strike", str(site), "--txt"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.suffix == ".txt"
    assert front_matter(path)["tags"] == []
    assert main(["build", str(site), "--drafts"]) == 0
    assert headlines(site / "build") == {"Ferry strike"}


@pytest.mark.fast
def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", {})
    assert main(["new", "Same title", str(site)]) == 0
    path = Path(capsys.readouterr().out.strip())
    path.write_text(path.read_text() + "Edited.\n")
    assert main(["new", "Same title", str(site)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text().endswith("Edited.\n")


def test_new_needs_a_site(tmp_path: Path) -> None:
    assert main(["new", "Title", str(tmp_path / "missing")]) == 2
