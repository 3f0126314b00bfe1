"""Corrections (`corrections:` in front matter): the notices on an article, its last change
in JSON-LD, feeds and the sitemap, and the corrections page of each language with its feeds."""

from __future__ import annotations

import json

import feedparser
import pytest
from conftest import MakeSite, Page, SiteDir, article, broken_links, picture_bytes, run_newsgen
from lxml import etree

pytestmark = pytest.mark.fast

BASE = "https://example.org/"
CONFIG = f'title: "Harbour News"\nbase_url: "{BASE}"\nper_page: 2\nsearch: false\n'
BRIDGE = """\
---
title: Bridge opens
date: 2025-03-01 09:00
updated: 2025-03-03 12:00
corrections:
  - date: 2025-03-02
    text: "An earlier version said the bridge cost *£2m*; it cost £3m.<script>alert(1)</script>"
  - date: 2025-03-04 10:30
    text: The mayor is [Ann Lee](https://example.org/ann), not Anne Lee.
---
The bridge opened.
"""
FERRY = """\
---
title: Ferry late
date: 2025-03-05 08:00
corrections:
  - date: 2025-03-09 08:00
    text: The ferry was an hour late, not two.
---
The ferry was late.
"""
QUAY = """\
---
title: Quay repaired
date: 2025-03-05 07:00
updated: 2025-03-10 09:00
corrections:
  - date: 2025-03-06
    text: The quay is on the east side.
---
Repairs.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteDir:
    site = SiteDir(tmp_path_factory.mktemp("corrections"))
    site.write("newsgen.yaml", CONFIG)
    site.write("articles/bridge.md", BRIDGE)
    site.write("articles/ferry.md", FERRY)
    site.write("articles/quay.md", QUAY)
    site.write("articles/weather.md", article("Weather", "2025-03-08 06:00", "Rain."))
    site.build_here()
    return site


def json_ld(page: Page) -> dict:
    (block,) = page.all("//script[@type='application/ld+json']")
    return json.loads(block.text)


def test_an_article_shows_its_corrections_newest_first_with_their_dates(site: SiteDir) -> None:
    page = site.page("2025/03/01/bridge/")
    (region,) = page.all("//section[@aria-label='Corrections']")
    notices = [
        " ".join("".join(n.itertext()).split()) for n in region.findall(".//*[@class='correction']")
    ]
    assert notices == [
        "Correction, 4 March 2025: The mayor is Ann Lee, not Anne Lee.",
        "Correction, 2 March 2025: An earlier version said the bridge cost £2m; it cost £3m.",
    ]
    times = [t.get("datetime") for t in region.iter("time")]
    assert times == ["2025-03-04T10:30:00+00:00", "2025-03-02T00:00:00+00:00"]
    assert region.find(".//em").text == "£2m"  # inline Markdown, sanitized (no script)
    assert page.all("//section[@aria-label='Corrections']//script") == []
    assert [a.get("href") for a in region.iter("a")] == ["https://example.org/ann", "/corrections/"]
    assert site.page("2025/03/08/weather/").all("//*[@class='corrections']") == []


def test_the_last_change_is_the_same_in_json_ld_feeds_and_sitemap(site: SiteDir) -> None:
    # bridge: a correction after `updated`; quay: `updated` after its correction; weather: none.
    expected = {
        "2025/03/01/bridge/": "2025-03-04T10:30:00+00:00",
        "2025/03/05/quay/": "2025-03-10T09:00:00+00:00",
        "2025/03/08/weather/": "2025-03-08T06:00:00+00:00",
    }
    atom = {e.link: e.updated for e in feedparser.parse(site.out / "atom.xml").entries}
    items = json.loads((site.out / "feed.json").read_text())["items"]
    modified = {item["url"]: item["date_modified"] for item in items}
    root = etree.parse(str(site.out / "sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in root.findall("s:url", ns)
    }
    for url, when in expected.items():
        data = json_ld(site.page(url))
        assert data["dateModified"] == when, url
        assert atom[BASE + url] == when, url
        assert modified[BASE + url] == when, url
        assert lastmod[BASE + url] == when, url
    assert json_ld(site.page("2025/03/01/bridge/"))["correction"] == [
        {
            "@type": "CorrectionComment",
            "datePublished": "2025-03-04T10:30:00+00:00",
            "text": "The mayor is Ann Lee, not Anne Lee.",
        },
        {
            "@type": "CorrectionComment",
            "datePublished": "2025-03-02T00:00:00+00:00",
            "text": "An earlier version said the bridge cost £2m; it cost £3m.",
        },
    ]
    assert "correction" not in json_ld(site.page("2025/03/08/weather/"))


def test_the_corrections_page_lists_corrected_articles_newest_correction_first(
    site: SiteDir,
) -> None:
    first, second = site.page("corrections/"), site.page("corrections/page/2/")
    headlines = [*first.texts("//main//h2"), *second.texts("//main//h2")]
    assert headlines == ["Ferry late", "Quay repaired", "Bridge opens"]
    assert first.text("//h1") == "Corrections"
    assert "The ferry was an hour late, not two." in "".join(first.texts("//main//*"))
    feeds = first.attrs("//head/link[@rel='alternate']", "href")
    assert feeds[:3] == ["/corrections/feed.xml", "/corrections/atom.xml", "/corrections/feed.json"]
    # An entry is marked as a correction, sums up the newest one and carries the article's
    # corrections labelled as on its page, not its body: no reader takes it for the story.
    titles = ["Correction: Ferry late", "Correction: Quay repaired", "Correction: Bridge opens"]
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((site.out / "corrections" / name).read_bytes())
        assert not feed.bozo, name
        assert feed.feed.title == "Harbour News: Corrections"
        assert [e.title for e in feed.entries] == titles
        assert feed.entries[0].summary == "The ferry was an hour late, not two."
        notices = Page(etree.fromstring(f"<div>{feed.entries[0].content[0].value}</div>"))
        assert notices.texts("//p") == [
            "Correction, 9 March 2025: The ferry was an hour late, not two."
        ]
        assert "The bridge opened." not in feed.entries[2].content[0].value
    document = json.loads((site.out / "corrections/feed.json").read_text())
    assert document["title"] == "Harbour News: Corrections"
    assert [item["title"] for item in document["items"]] == titles
    assert document["items"][1]["summary"] == "The quay is on the east side."
    assert (
        '<strong>Correction, <time datetime="2025-03-06T00:00:00+00:00">6 March 2025</time>:'
        "</strong> The quay is on the east side."
    ) in document["items"][1]["content_html"]


def test_each_language_has_its_own_corrections_page(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/pont.fr.md": article(
                "Le pont",
                "2025-03-01 09:00",
                corrections="[{date: 2025-03-04, text: Le maire est Ann Lee.}]",
            ),
            "articles/bridge.md": article("Bridge", "2025-03-01 09:00"),
        },
        CONFIG + "languages: [en, fr]\n",
    )
    site.build_here()
    assert not (site.out / "corrections").exists()  # no English article has a correction
    page = site.page("fr/corrections/")
    assert page.text("//h1") == "Rectificatifs"
    notice = site.page("fr/2025/03/01/pont/").all("//section[@class='corrections']")[0]
    assert notice.get("aria-label") == "Rectificatifs"
    assert "Rectificatif du 4 mars 2025" in "".join(notice.itertext())
    assert "/fr/corrections/" in [a.get("href") for a in notice.iter("a")]
    feed = feedparser.parse((site.out / "fr/corrections/atom.xml").read_bytes())
    assert feed.feed.title == "Harbour News: Rectificatifs"
    (entry,) = feed.entries
    assert entry.title == "Rectificatif : Le pont"
    assert "Rectificatif du <time" in entry.content[0].value
    assert "4 mars 2025</time> :" in entry.content[0].value


def test_a_correction_dated_the_day_the_article_appeared_is_kept(make_site: MakeSite) -> None:
    """`date: 2025-03-01` on a story published that morning is a correction made that day,
    not one made before the story: it is shown, dated no earlier than the story."""
    site = make_site(
        {
            "articles/bridge.md": article(
                "Bridge",
                "2025-03-01 09:00",
                corrections="[{date: 2025-03-01, text: The mayor is Ann Lee.}]",
            ),
        },
        CONFIG,
    )
    site.build_here()
    page = site.page("2025/03/01/bridge/")
    notice = page.text("//*[@class='correction']")
    assert "Correction, 1 March 2025:" in " ".join(notice.split())
    assert json_ld(page)["correction"][0]["datePublished"] >= json_ld(page)["datePublished"]


def test_a_correction_dated_a_day_before_the_article_is_an_error(make_site: MakeSite) -> None:
    from newsgen.errors import BuildFailed

    site = make_site(
        {
            "articles/bridge.md": article(
                "Bridge",
                "2025-03-01 09:00",
                corrections="[{date: 2025-02-28, text: The mayor is Ann Lee.}]",
            ),
        },
        CONFIG,
    )
    with pytest.raises(BuildFailed) as failed:
        site.build_here()
    [error] = failed.value.errors
    assert "dated 2025-02-28, before the article itself" in error.message


def test_a_new_correction_is_a_new_entry_in_the_corrections_feeds(make_site: MakeSite) -> None:
    """Feed readers show an entry once, by its id, and sort by its date: an entry of the
    corrections feeds is dated by its newest correction (an old story corrected today is
    today's news there) and has an id of its own, new with each correction, which is not
    the story's id in the other feeds."""
    once = "[{date: 2025-05-02 10:00, text: The cost was £3m.}]"
    twice = "[{date: 2025-05-02 10:00, text: The cost was £3m.}, {date: 2025-06-07, text: Ann.}]"
    site = make_site({"articles/bridge.md": article("Bridge", "2025-03-01 09:00")}, CONFIG)
    ids = []
    for fixed, newest in (
        (once, "2025-05-02T10:00:00+00:00"),
        (twice, "2025-06-07T00:00:00+00:00"),
    ):
        site.write("articles/bridge.md", article("Bridge", "2025-03-01 09:00", corrections=fixed))
        site.build_here()
        (story,) = feedparser.parse((site.out / "atom.xml").read_bytes()).entries
        (atom,) = feedparser.parse((site.out / "corrections/atom.xml").read_bytes()).entries
        (rss,) = feedparser.parse((site.out / "corrections/feed.xml").read_bytes()).entries
        (item,) = json.loads((site.out / "corrections/feed.json").read_text())["items"]
        assert atom.published == item["date_published"] == newest
        assert rss.published_parsed == atom.published_parsed
        assert atom.link == rss.link == item["url"] == BASE + "2025/03/01/bridge/"
        assert atom.id == rss.id == item["id"] != story.id
        assert rss.guidislink is False
        ids.append(atom.id)
    assert ids[0] != ids[1]


def test_a_correction_links_to_articles_by_name_and_to_its_bundle_from_every_page(
    make_site: MakeSite,
) -> None:
    """A correction pointing at the follow-up story by its file name (as a body does) links
    to it; a link to a file of the article's bundle works on the corrections page and in
    its feeds as on the article; a name nobody has is a warning at the correction."""
    corrected = article(
        "Bridge",
        "2025-03-01 09:00",
        corrections=(
            '[{date: 2025-03-04, text: "See [the follow-up](@/ferry.md)'
            ' and [the plan](plan.png)."},'
            ' {date: 2025-03-05, text: "Not [this one]({{< ref \\"gone.md\\" >}})."}]'
        ),
    )
    site = make_site(
        {
            "articles/bridge/index.md": corrected,
            "articles/bridge/plan.png": picture_bytes(),
            "articles/ferry.md": article("Ferry", "2025-03-02 09:00"),
        },
        CONFIG.replace('"https://example.org/"', '"https://example.org/news/"'),
    )
    warnings = site.build_here()
    assert broken_links(site.out, "/news/") == []
    for page in (site.page("2025/03/01/bridge/"), site.page("corrections/")):
        links = {a.text: a.get("href") for a in page.all("//*[@class='correction']//a")}
        assert links == {
            "the follow-up": "/news/2025/03/02/ferry/",
            "the plan": "/news/2025/03/01/bridge/plan.png",
            "this one": "#",
        }
    (entry,) = feedparser.parse((site.out / "corrections/atom.xml").read_bytes()).entries
    assert 'href="https://example.org/news/2025/03/02/ferry/"' in entry.content[0].value
    [warning] = [w for w in warnings if "gone.md" in w.message]
    assert (warning.path, warning.line) == ("articles/bridge/index.md", 4)


def test_a_full_text_feed_shows_the_corrections_above_the_story(site: SiteDir) -> None:
    """A reader who reads stories in a feed reader app never opens the page: the notice is
    in the entry's text too, as on the page, above the story."""
    entries = feedparser.parse((site.out / "atom.xml").read_bytes()).entries
    (bridge,) = [e for e in entries if e.title == "Bridge opens"]
    content = bridge.content[0].value
    assert content.index("The mayor is") < content.index("The bridge opened.")
    (item,) = [
        i
        for i in json.loads((site.out / "feed.json").read_text())["items"]
        if i["title"] == "Bridge opens"
    ]
    assert "The mayor is" in item["content_html"]
    (weather,) = [e for e in entries if e.title == "Weather"]
    assert "correction" not in weather.content[0].value


def test_a_correction_dated_after_now_waits_for_its_time(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A correction dated after the build's *now* is not made yet: until a build at or after
    its time (with no source changed since), no notice, JSON-LD, feed, sitemap or corrections
    page shows it, nor its date as the story's last change; `--future` shows it."""
    import newsgen.incremental

    # Trust files written a moment ago by their stat, so that a build with no source
    # changed may take the short cut of one with nothing to do (unless its time says not).
    monkeypatch.setattr(newsgen.incremental, "RACY_SECONDS", 0)
    fixed = (
        "[{date: 2025-03-02, text: Made in March.}, {date: 2025-06-01 10:00, text: Made in June.}]"
    )
    site = make_site(
        {
            "articles/bridge.md": article("Bridge", "2025-03-01 09:00", corrections=fixed),
            "articles/ferry.md": article(
                "Ferry", "2025-03-05 08:00", corrections="[{date: 2025-07-01, text: Later.}]"
            ),
        },
        CONFIG,
    )

    def last_changes() -> set[str]:
        data = json_ld(site.page("2025/03/01/bridge/"))
        (atom,) = [
            e for e in feedparser.parse(site.out / "atom.xml").entries if e.title == "Bridge"
        ]
        root = etree.parse(str(site.out / "sitemap.xml")).getroot()
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        (lastmod,) = [
            u.findtext("s:lastmod", namespaces=ns)
            for u in root.findall("s:url", ns)
            if u.findtext("s:loc", namespaces=ns) == BASE + "2025/03/01/bridge/"
        ]
        return {data["dateModified"], atom.updated, lastmod}

    site.build_here(now="2025-06-01T09:59Z")
    everything = "".join(
        p.read_text() for p in sorted(site.out.rglob("*")) if p.suffix in {".html", ".xml", ".json"}
    )
    assert "Made in March." in everything
    assert "Made in June." not in everything and "2025-06-01" not in everything
    assert "Later." not in everything and "Ferry" not in site.page("corrections/").text("//main")
    assert last_changes() == {"2025-03-02T00:00:00+00:00"}
    assert [c["text"] for c in json_ld(site.page("2025/03/01/bridge/"))["correction"]] == [
        "Made in March."
    ]

    site.build_here(now="2025-06-01T10:00Z")  # nothing edited: its time alone is news
    assert "Made in June." in site.page("2025/03/01/bridge/").text("//main")
    assert last_changes() == {"2025-06-01T10:00:00+00:00"}
    (entry,) = feedparser.parse(site.out / "corrections/atom.xml").entries
    assert entry.id.endswith("#correction-20250601T100000Z")
    assert "Made in June." in entry.content[0].value

    site.build_here(now="2025-06-01T10:00Z", future=True)
    assert "Later." in site.page("corrections/").text("//main")


def test_the_corrections_of_a_held_back_story_are_not_published(make_site: MakeSite) -> None:
    """A scheduled or taken-down story's corrections are on no corrections page or feed."""
    fixed = "[{date: 2025-03-02, text: Fixed it.}]"
    site = make_site(
        {
            "articles/soon.md": article(
                "Soon", "2025-03-01 09:00", publish_at="2025-05-01", corrections=fixed
            ),
            "articles/gone.md": article(
                "Gone", "2025-03-01 09:00", expires="2025-04-01", corrections=fixed
            ),
            "articles/plain.md": article("Plain", "2025-03-03 09:00"),
        },
        CONFIG,
    )
    site.build_here(now="2025-04-15T00:00Z")
    assert not (site.out / "corrections").exists()
    assert "Fixed it." not in "".join(p.read_text() for p in site.out.rglob("*.xml"))


def test_every_page_links_to_the_corrections_page_once_there_is_one(make_site: MakeSite) -> None:
    """The public record is one link from any page (the footer), in each language that has
    corrections; before the first correction no page links to a page that is not there, and
    the build that adds it rewrites every page as a clean build makes it."""
    fixed = "[{date: 2025-03-04, text: Le maire est Ann Lee.}]"
    site = make_site(
        {
            "articles/pont.fr.md": article("Le pont", "2025-03-01 09:00"),
            "articles/bridge.md": article("Bridge", "2025-03-01 09:00"),
            "articles/ferry.md": article("Ferry", "2025-03-02 09:00"),
        },
        CONFIG + "languages: [en, fr]\n",
    )

    def footers(rel: str) -> list[str]:
        return site.page(rel).attrs("//footer//a", "href")

    site.build_here()
    assert not [href for href in footers("") + footers("fr/") if "corrections" in href]
    site.write("articles/pont.fr.md", article("Le pont", "2025-03-01 09:00", corrections=fixed))
    site.build_here()
    for rel in ("fr/", "fr/2025/03/01/pont/", "fr/tags/", "fr/corrections/"):
        assert "/fr/corrections/" in footers(rel), rel
        assert site.page(rel).text("//footer//a[@href='/fr/corrections/']") == "Rectificatifs"
    for rel in ("", "2025/03/02/ferry/", "tags/"):  # no English correction: no English page
        assert not [href for href in footers(rel) if "corrections" in href], rel
    clean = make_site(
        {p.relative_to(site.root).as_posix(): p.read_text() for p in site.root.rglob("*.md")},
        CONFIG + "languages: [en, fr]\n",
        name="clean",
    )
    clean.build_here()
    assert site.snapshot() == clean.snapshot()


def test_a_drafts_correction_comes_due_in_a_build_with_drafts(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--drafts` shows a draft, whose correction dated later waits for its time as any
    other's does: that time is a next change (a build at it with nothing edited is no short
    cut), and the build says the correction waits."""
    import newsgen.incremental

    monkeypatch.setattr(newsgen.incremental, "RACY_SECONDS", 0)
    fixed = "[{date: 2025-06-01 10:00, text: Made in June.}]"
    site = make_site(
        {
            "articles/bridge.md": article(
                "Bridge", "2025-03-01 09:00", draft="true", corrections=fixed
            ),
            "articles/ferry.md": article("Ferry", "2025-03-05 08:00"),
        },
        CONFIG,
    )
    said = run_newsgen("build", site.root, "--drafts", "--now", "2025-06-01T09:00Z")
    assert said.code == 0, said.stderr
    assert (
        "Corrections: 1 correction dated later, not shown yet"
        " (next: articles/bridge.md, dated 2025-06-01 10:00 UTC)"
    ) in said.stdout.splitlines()
    assert "Made in June." not in site.page("2025/03/01/bridge/").text("//main")
    site.build_here(drafts=True, now="2025-06-01T10:30Z")  # nothing edited: its time is news
    assert "Made in June." in site.page("2025/03/01/bridge/").text("//main")
    assert "Made in June." in site.page("corrections/").text("//main")
