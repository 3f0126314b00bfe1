"""Languages: a site in several languages, each with its own front page, listings and feeds
under a prefix, and translations that link to each other (issue 17)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import feedparser
import pytest
from conftest import MakeSite, SiteDir, article, run_newsgen, warnings_of

pytestmark = pytest.mark.fast

CONFIG = """\
title: "Test Site"
base_url: "https://example.org/"
search: false
language: en
languages: {en: {name: English}, ja: {name: 日本語}}
"""
NAV = "//header//nav[not(@class)]//a"  # its label is in the page's language
SWITCHER = "//nav[@class='languages']//a"


COUNTED = """{% extends "!theme/article.html" %}
{% block content %}{{ super() }}
<p class="counted">{{ t('{count} articles', count=article.word_count) }}</p>
{% endblock %}
"""
"""An article page that counts its words with the theme's plural words (readers are shown
no word count: a site's template may count anything)."""


def listed(site: SiteDir, rel: str) -> list[str]:
    return site.page(rel).texts("//main//*[@class='headline']/a")


def alternates(site: SiteDir, rel: str) -> dict[str, str]:
    links = site.page(rel).all("//link[@rel='alternate'][@hreflang]")
    return {link.get("hreflang"): link.get("href") for link in links}


def test_language_folders_build_together(make_site: MakeSite) -> None:
    """`en/news/_posts` and `ja/news/_posts` with the same file names: each language has
    its own front page, section, tag and author pages and feeds, and every link on a page
    stays in the page's language."""
    site = make_site(
        {
            "articles/en/news/_posts/2024-05-01-storm.md": article(
                "Storm hits coast", "2024-05-01 10:00", tags="[Weather]", author="Ann Lee"
            ),
            "articles/ja/news/_posts/2024-05-01-storm.md": article(
                "嵐が海岸を襲う", "2024-05-01 11:00", body="本文。", tags="[天気]", author="Ann Lee"
            ),
            "articles/en/news/_posts/2024-05-02-fair.md": article("Fair opens", "2024-05-02"),
        },
        config=CONFIG,
    )
    assert warnings_of(site.build()) == []
    assert listed(site, "") == ["Fair opens", "Storm hits coast"]
    assert listed(site, "ja/") == ["嵐が海岸を襲う"]
    assert listed(site, "news/") == ["Fair opens", "Storm hits coast"]
    assert listed(site, "ja/news/") == ["嵐が海岸を襲う"]
    assert listed(site, "ja/tags/天気/") == ["嵐が海岸を襲う"]
    assert listed(site, "ja/authors/ann-lee/") == ["嵐が海岸を襲う"]
    assert listed(site, "ja/2024/05/") == ["嵐が海岸を襲う"]
    assert not (site.out / "en").exists()  # the default language has no prefix
    # The language folder is not a section: "news" is, in both languages.
    story = site.page("ja/2024/05/01/storm/")
    assert story.tree.get("lang") == "ja"
    assert site.page("2024/05/01/storm/").tree.get("lang") == "en"
    assert story.attrs(NAV, "href") == [
        "/ja/",
        "/ja/news/",
        "/ja/tags/",
        "/ja/archive/",
        "/ja/authors/",
    ]
    assert story.attrs("//ul[@class='tags']//a", "href") == ["/ja/tags/%E5%A4%A9%E6%B0%97/"]
    assert story.attrs("//span[@class='authors']/a", "href") == ["/ja/authors/ann-lee/"]
    assert story.attrs("//nav[@class='breadcrumb']//a", "href") == ["/ja/", "/ja/news/"]
    assert story.attrs("//footer[@class='site-footer']//a", "href")[:3] == [
        "/ja/feed.xml",
        "/ja/atom.xml",
        "/ja/feed.json",
    ]
    (data,) = story.texts("//script[@type='application/ld+json']")
    assert json.loads(data)["inLanguage"] == "ja"
    # Listings show their kickers and links in their language too.
    home = site.page("ja/")
    assert home.attrs("//p[@class='kicker']/a", "href") == ["/ja/news/"]
    assert home.attrs("//main//*[@class='headline']/a", "href") == ["/ja/2024/05/01/storm/"]
    # Each language's feeds say their language and list its articles only.
    for rel, language, titles in (
        ("feed.xml", "en", ["Fair opens", "Storm hits coast"]),
        ("ja/feed.xml", "ja", ["嵐が海岸を襲う"]),
        ("ja/news/atom.xml", "ja", ["嵐が海岸を襲う"]),
    ):
        feed = feedparser.parse((site.out / rel).read_bytes())
        assert not feed.bozo, rel
        assert [e.title for e in feed.entries] == titles, rel
        if rel.endswith("feed.xml"):
            assert feed.feed.language == language, rel
    entries = json.loads((site.out / "ja/feed.json").read_text())
    assert entries["language"] == "ja"
    assert [e["title"] for e in entries["items"]] == ["嵐が海岸を襲う"]


def test_translations_link_to_each_other(make_site: MakeSite) -> None:
    """A file suffix (Hugo, Zola), a bundle's `index.ja.md`, a language folder and a shared
    translation_key make translations: each names the others in hreflang alternates and
    in a language switcher."""
    site = make_site(
        {
            "articles/storm.md": article("Storm hits coast", "2024-05-01 10:00"),
            "articles/storm.ja.md": article("嵐が海岸を襲う", "2024-05-01 10:00"),
            "articles/fair/index.md": article("Fair opens", "2024-05-02 10:00"),
            "articles/fair/index.ja.md": article("祭りが始まる", "2024-05-02 10:00"),
            "articles/fair/photo.txt": "a bundle's own file",
            "articles/vote.md": article("Vote count", "2024-05-03", translation_key="vote"),
            "articles/senkyo.md": article("開票", "2024-05-03", lang="ja", translationKey="vote"),
            "articles/alone.md": article("Only in English", "2024-05-04"),
        },
        config=CONFIG,
    )
    assert warnings_of(site.build()) == []
    for en, ja in (
        ("2024/05/01/storm/", "ja/2024/05/01/storm/"),
        ("2024/05/02/fair/", "ja/2024/05/02/fair/"),
        ("2024/05/03/vote/", "ja/2024/05/03/senkyo/"),
    ):
        both = {"en": f"https://example.org/{en}", "ja": f"https://example.org/{ja}"}
        assert alternates(site, en) == both
        assert alternates(site, ja) == both
        english, japanese = site.page(en), site.page(ja)
        assert english.texts(SWITCHER) == ["日本語"]
        assert english.attrs(SWITCHER, "href") == [f"/{ja}"]
        assert english.attrs(SWITCHER, "hreflang") == ["ja"]
        assert japanese.texts(SWITCHER) == ["English"]
        assert japanese.attrs(SWITCHER, "href") == [f"/{en}"]
    assert (site.out / "ja/2024/05/02/fair/photo.txt").is_file()
    alone = site.page("2024/05/04/alone/")
    assert alone.all(SWITCHER) == []
    assert alternates(site, "2024/05/04/alone/") == {}
    # The front pages are each other's translations.
    assert alternates(site, "ja/") == {
        "en": "https://example.org/",
        "ja": "https://example.org/ja/",
    }


def test_a_translation_file_without_languages_is_named_not_read(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/storm.md": article("Storm", "2024-05-01"),
            "articles/storm.ja.md": article("嵐", "2024-05-01"),
        }
    )
    (warning,) = warnings_of(site.build())
    assert warning.path == "articles/storm.ja.md"
    assert "'languages'" in warning.message
    assert not (site.out / "ja").exists()


def test_a_language_not_configured_is_named(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/storm.md": article("Storm", "2024-05-01", lang="fr"),
            "articles/storm.de.md": article("Sturm", "2024-05-01"),
        },
        config=CONFIG,
    )
    warnings = warnings_of(site.build())
    assert [(w.path, w.line) for w in warnings] == [
        ("articles/storm.de.md", None),
        ("articles/storm.md", 4),
    ]
    assert site.page("2024/05/01/storm/").tree.get("lang") == "en"


def test_the_default_language_may_have_a_prefix(make_site: MakeSite) -> None:
    config = CONFIG.replace("en: {name: English}", "en: {name: English, prefix: en}")
    site = make_site(
        {
            "articles/en/storm.md": article("Storm", "2024-05-01", tags="[Weather]"),
            "articles/ja/storm.md": article("嵐", "2024-05-01"),
        },
        config=config,
    )
    assert warnings_of(site.build()) == []
    assert listed(site, "en/") == ["Storm"]
    assert listed(site, "ja/") == ["嵐"]
    root = site.page("")
    assert root.attrs("//meta[@http-equiv='refresh']", "content") == ["0; url=/en/"]
    # Pages of no language (the 404 page) lead to the default language's listings.
    missing = site.page("404.html")
    assert missing.attrs(NAV, "href")[:2] == ["/en/", "/en/tags/"]


def test_section_files_in_each_language(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/news/storm.md": article("Storm", "2024-05-01"),
            "articles/news/storm.ja.md": article("嵐", "2024-05-01"),
            "articles/news/_index.md": "---\ntitle: News\ndescription: The latest\n---\n",
            "articles/news/_index.ja.md": "---\ntitle: ニュース\n---\n",
        },
        config=CONFIG,
    )
    assert warnings_of(site.build()) == []
    assert site.page("news/").text("//h1") == "News"
    assert site.page("ja/news/").text("//h1") == "ニュース"
    assert site.page("ja/").texts(NAV)[:2] == ["最新", "ニュース"]
    assert alternates(site, "news/") == {
        "en": "https://example.org/news/",
        "ja": "https://example.org/ja/news/",
    }


def test_bad_languages_settings_are_errors(make_site: MakeSite) -> None:
    site = make_site(config=CONFIG.replace("ja: {name: 日本語}", "'j a': {name: x}"))
    result = site.build()
    assert result.code == 1
    assert "not a language code" in result.stderr


def test_moving_an_article_between_languages_rebuilds_as_a_clean_build(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(
        {
            "articles/en/news/storm.md": article("Storm", "2024-05-01", tags="[Weather]"),
            "articles/en/news/fair.md": article("Fair", "2024-05-02", tags="[Weather]"),
            "articles/ja/news/storm.md": article("嵐", "2024-05-01", tags="[Weather]"),
        },
        config=CONFIG,
    )
    assert site.build().code == 0
    (site.root / "articles/ja/news/fair.md").write_bytes(
        (site.root / "articles/en/news/fair.md").read_bytes()
    )
    (site.root / "articles/en/news/fair.md").unlink()
    assert warnings_of(site.build()) == []
    assert listed(site, "ja/news/") == ["Fair", "嵐"]
    assert listed(site, "news/") == ["Storm"]
    clean = tmp_path / "clean"
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("build", ".*"))
    assert run_newsgen("build", clean).code == 0
    assert site.snapshot() == SiteDir(clean).snapshot()


def test_each_language_places_and_caps_its_sections(make_site: MakeSite, tmp_path: Path) -> None:
    """A section named like one of newsgen's pages moves aside under each language's prefix,
    in routes, navigation, kickers and breadcrumbs; nav_sections caps each language's
    navigation; an `_index.ja.md` introduction's links by file name are resolved."""
    site = make_site(
        {
            "articles/ja/a.md": article(
                "甲", "2019-05-01", body="本文。", section="Archive", tags="[港]"
            ),
            "articles/en/b.md": article("B", "2019-05-02", section="Archive", tags="[Port]"),
            "articles/en/c.md": article("C", "2019-05-03", section="Sport"),
            "articles/archive/_index.ja.md": (
                '---\ntitle: 記録\n---\n[B]({{< ref "en/b.md" >}}) を読む。\n'
            ),
        },
        config=CONFIG + "nav_sections: 1\n",
    )
    assert [(w.path, w.message) for w in warnings_of(site.build())] == [
        (
            "articles/ja/a.md",
            "the section 'Archive' has its front page at /ja/sections/archive/:"
            " /ja/archive/ is newsgen's own page; give the section another name to have it"
            " there",
        )
    ]
    assert listed(site, "sections/archive/") == ["B"]
    assert listed(site, "ja/sections/archive/") == ["甲"]
    assert site.page("ja/sections/archive/").text("//h1") == "記録"
    intro = site.page("ja/sections/archive/").attrs("//div[@class='section-intro']//a", "href")
    assert intro == ["/2019/05/02/b/"]
    story = site.page("ja/2019/05/01/a/")
    assert story.attrs("//nav[@class='breadcrumb']//a", "href") == [
        "/ja/",
        "/ja/sections/archive/",
    ]
    assert site.page("ja/").attrs("//p[@class='kicker']/a", "href") == ["/ja/sections/archive/"]
    assert story.attrs(NAV, "href")[:3] == ["/ja/", "/ja/sections/archive/", "/ja/tags/"]
    assert site.page("").attrs(NAV, "href")[:3] == ["/", "/sections/archive/", "/tags/"]
    assert alternates(site, "sections/archive/") == {
        "en": "https://example.org/sections/archive/",
        "ja": "https://example.org/ja/sections/archive/",
    }
    # Another section first in the English navigation: an incremental build is a clean one.
    site.write("articles/en/c.md", article("C", "2019-05-03", section="Aardvark"))
    assert site.build().code == 0
    assert site.page("2019/05/02/b/").attrs(NAV, "href")[:3] == ["/", "/aardvark/", "/tags/"]
    clean = tmp_path / "clean"
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("build", ".*"))
    assert run_newsgen("build", clean).code == 0
    assert site.snapshot() == SiteDir(clean).snapshot()


def test_a_month_page_links_to_its_own_languages_year(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/en/a.md": article("A", "2024-05-01"),
            "articles/ja/j.md": article("J", "2023-03-01"),
        },
        CONFIG,
    )
    assert site.build().code == 0
    crumbs = site.page("ja/2023/03/").attrs("//nav[@class='breadcrumb']//a", "href")
    assert crumbs[-1] == "/ja/2023/"
    assert (site.out / "ja/2023/index.html").is_file()


def test_a_second_version_in_one_language_is_named_and_not_linked(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A", "2024-03-01", translation_key="k"),
            "articles/b.md": article("B", "2024-03-02", translation_key="k"),
            "articles/j.md": article("J", "2024-03-03", translation_key="k", lang="ja"),
        },
        CONFIG,
    )
    warnings = warnings_of(site.build())
    assert [(w.path, w.message.split(":")[0]) for w in warnings] == [
        ("articles/a.md", "is a second version in en of the article articles/b.md (the same"
         " translation key)")
    ]  # fmt: skip
    # Every link between versions goes both ways.
    assert alternates(site, "ja/2024/03/03/j/")["en"] == "https://example.org/2024/03/02/b/"
    assert alternates(site, "2024/03/02/b/")["ja"] == "https://example.org/ja/2024/03/03/j/"
    assert "ja" not in alternates(site, "2024/03/01/a/")


def test_a_section_named_like_a_language_moves_aside(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/en/a.md": article("A", section="ja"),
            "articles/ja/j.md": article("J", "2024-05-02"),
        },
        CONFIG,
    )
    warnings = warnings_of(site.build())
    assert [w.message.split(":")[0] for w in warnings] == [
        "the section 'ja' has its front page at /sections/ja/"
    ]
    assert listed(site, "sections/ja/") == ["A"]
    assert listed(site, "ja/") == ["J"]


FR_CONFIG = """\
title: "Test Site"
base_url: "https://example.org/"
search: false
timezone: "Europe/Paris"
language: en
languages: {en: {name: English}, fr: {name: Français}, ja: {name: 日本語}}
"""


def fr_site(make_site: MakeSite, *extra: tuple[str, str]) -> SiteDir:
    return make_site(
        {
            "articles/story.md": article("Storm", "2024-06-01 09:30", author="Ann Lee"),
            "articles/story.fr.md": article(
                "Tempête", "2024-06-01 09:30", author="Ann Lee", tags="[Météo]"
            ),
            "articles/story.ja.md": article("嵐", "2024-06-01", body="本文。"),
            **dict(extra),
        },
        FR_CONFIG,
    )


def test_dates_and_words_are_in_the_pages_language(make_site: MakeSite) -> None:
    """The theme's words come from its catalogue in the page's language, and dates are
    CLDR's for that language; the default language's pages keep their English."""
    site = fr_site(make_site)
    assert warnings_of(site.build()) == []
    story = site.page("fr/2024/06/01/story/")
    assert story.texts("//span[@class='published']") == ["Publié le 1 juin 2024, 09:30 CEST"]
    assert story.texts("//span[@class='authors']") == ["Par Ann Lee"]
    assert story.texts(NAV)[0] == "À la une"
    home = site.page("fr/")
    assert home.texts("//main//article//p[@class='byline']/time") == ["1 juin 2024, 09:30 CEST"]
    assert site.page("fr/2024/06/").texts("//h1") == ["Archives juin 2024"]
    japanese = site.page("ja/2024/06/01/story/")
    assert japanese.texts("//span[@class='published']") == ["公開 2024年6月1日"]
    english = site.page("2024/06/01/story/")
    assert english.texts("//span[@class='published']") == ["Published 1 June 2024, 09:30 CEST"]
    assert english.texts(NAV)[0] == "Latest"


def test_counts_are_spelled_and_grouped_as_the_pages_language_does(make_site: MakeSite) -> None:
    long_body = " ".join(["word"] * 1500)
    site = fr_site(
        make_site,
        ("articles/one.md", article("One", "2024-05-01", body="Hello")),
        ("articles/one.fr.md", article("Un", "2024-05-01", body="Bonjour")),
        ("articles/long.md", article("Long", "2024-04-01", body=long_body)),
        ("articles/long.fr.md", article("Long", "2024-04-01", body=long_body)),
        ("templates/article.html", COUNTED),
    )
    assert warnings_of(site.build()) == []

    def reading(rel: str) -> str:
        return site.page(rel).text("//p[@class='counted']")

    assert reading("2024/05/01/one/") == "1 article"
    assert reading("fr/2024/05/01/one/") == "1 article"
    assert reading("2024/04/01/long/") == "1,500 articles"
    assert reading("fr/2024/04/01/long/") == "1 500 articles"
    raw = (site.out / "fr/2024/04/01/long/index.html").read_text(encoding="utf-8")
    assert "1\u202f500 articles" in raw  # French groups digits with a narrow no-break space


def test_a_sites_catalogue_changes_one_word(make_site: MakeSite) -> None:
    """i18n/fr.yaml of the site overrides the theme's French for its keys only; a key that
    no template asks for is a warning at its line."""
    site = fr_site(make_site, ("i18n/fr.yaml", '"Latest": "Actualités"\n"Lates": "Typo"\n'))
    warnings = warnings_of(site.build())
    assert [(w.path, w.line) for w in warnings] == [("i18n/fr.yaml", 2)]
    assert "did you mean 'Latest'?" in warnings[0].message
    assert site.page("fr/").texts(NAV)[:2] == ["Actualités", "Sujets"]
    assert site.page("").texts(NAV)[0] == "Latest"


def test_a_rebuild_after_editing_the_catalogue_equals_a_clean_build(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = fr_site(make_site, ("i18n/fr.yaml", '"Latest": "Actualités"\n'))
    assert site.build().code == 0
    site.write("i18n/fr.yaml", '"Latest": "Nouvelles"\n"Related": "Voir aussi"\n')
    assert site.build().code == 0
    assert site.page("fr/").texts(NAV)[0] == "Nouvelles"
    clean = tmp_path / "clean"
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("build", ".newsgen*"))
    fresh = SiteDir(clean)
    assert fresh.build().code == 0
    assert site.snapshot() == fresh.snapshot()


def test_the_themes_catalogues_name_every_word_its_templates_show() -> None:
    """Every `t('…')` of the built-in templates is a key of i18n/en.yaml, and the French and
    Japanese catalogues translate exactly those keys."""
    from newsgen.catalogue import read_catalogue
    from newsgen.models import SiteConfig
    from newsgen.renderer import make_environment, words_asked
    from newsgen.theme import builtin_theme_dir

    catalogue, problems = read_catalogue(builtin_theme_dir())
    assert problems == []
    env = make_environment(Path("no-site"), SiteConfig(title="T", base_url="https://e.org/"))
    asked = words_asked(env)
    for code in ("en", "fr", "ja"):
        assert set(catalogue.words[code]) == asked, code


def test_a_catalogue_value_with_other_placeholders_is_named_and_not_used(
    make_site: MakeSite,
) -> None:
    site = fr_site(
        make_site,
        (
            "i18n/fr.yaml",
            '"Published {date}": "Publié"\n"Latest": "Dernières {foo}"\n"Topics": "Su\\x07jets"\n',
        ),
    )
    warnings = warnings_of(site.build())
    same = "must name the same {placeholders} as its key"
    assert [(w.path, w.line, w.message.split(":")[0]) for w in warnings] == [
        ("i18n/fr.yaml", 1, f"'Published {{date}}' {same} ({{date}} missing)"),
        ("i18n/fr.yaml", 2, f"'Latest' {same} ({{foo}} unknown)"),
        (
            "i18n/fr.yaml",
            3,
            "'Topics' holds control characters pages cannot carry; they are dropped",
        ),
    ]
    page = (site.out / "fr/index.html").read_text()
    assert "{foo}" not in page and "\x07" not in page
    assert site.page("fr/").texts(NAV)[:2] == ["À la une", "Sujets"]  # the theme's French


def test_a_language_with_an_unknown_region_gets_its_languages_dates(make_site: MakeSite) -> None:
    config = FR_CONFIG.replace("fr:", "fr-XX:")
    site = make_site(
        {
            "articles/story.md": article("Storm", "2024-06-01 09:30"),
            "articles/story.fr-XX.md": article("Tempête", "2024-06-01 09:30"),
        },
        config,
    )
    assert site.build().code == 0
    assert "juin 2024" in (site.out / "fr-xx/2024/06/01/story/index.html").read_text()


def test_a_pipe_in_the_catalogue_folder_is_named_not_read(make_site: MakeSite) -> None:
    site = fr_site(make_site)
    (site.root / "i18n").mkdir()
    os.mkfifo(site.root / "i18n" / "fr.yaml")
    warnings = warnings_of(site.build())
    assert [(w.path, w.message) for w in warnings] == [
        ("i18n/fr.yaml", "is not a file that can be read; not used")
    ]


def test_catalogue_keys_yaml_reads_as_other_things_and_a_second_file_are_named(
    make_site: MakeSite,
) -> None:
    site = fr_site(
        make_site,
        ("i18n/fr.yaml", '"Latest": "Actualités"\nno: "Non"\n'),
        ("i18n/fr.yml", '"Latest": "Nouvelles"\n'),
    )
    warnings = warnings_of(site.build())
    assert [(w.path, w.message.split(":")[0]) for w in warnings] == [
        ("i18n/fr.yaml", "a key YAML read as False, not as words"),
        ("i18n/fr.yml", "gives the words of 'fr' again, after another file; not used"),
    ]
    assert site.page("fr/").texts(NAV)[0] == "Actualités"


def test_a_language_folder_may_spell_its_code_with_an_underscore(make_site: MakeSite) -> None:
    """ruby-lang.org keeps zh-CN posts in `zh_cn/` with `lang: zh_cn`: one language."""
    config = CONFIG.replace(
        "ja: {name: 日本語}}", "ja: {name: 日本語}, zh-CN: {name: 简体中文, prefix: zh_cn}}"
    )
    site = make_site(
        {
            "articles/en/news/_posts/2024-05-01-storm.md": article("Storm", "2024-05-01"),
            "articles/zh_cn/news/_posts/2024-05-01-storm.md": article(
                '"风暴"', "2024-05-01", lang="zh_cn"
            ),
        },
        config + 'permalink: "/{categories}/{year}/{month}/{day}/{slug}/"\n',
    )
    assert warnings_of(site.build()) == []
    page = site.page("zh_cn/news/2024/05/01/storm/")
    assert page.attrs("/html", "lang") == ["zh-CN"]
    assert alternates(site, "news/2024/05/01/storm/")["zh-CN"] == (
        "https://example.org/zh_cn/news/2024/05/01/storm/"
    )


def test_an_aliases_redirect_page_speaks_its_articles_language(make_site: MakeSite) -> None:
    site = fr_site(make_site)
    story = site.root / "articles/story.fr.md"
    story.write_text(story.read_text().replace("---\n\n", "aliases: [/vieux/tempete/]\n---\n\n", 1))
    assert warnings_of(site.build()) == []
    moved = site.page("vieux/tempete/")
    assert moved.attrs("/html", "lang") == ["fr"]
    assert "Tempête" in moved.text("//title")
    assert moved.text("//title") != "Moved: Tempête"


def test_a_catalogue_for_a_script_serves_its_regions(make_site: MakeSite) -> None:
    config = FR_CONFIG.replace("ja: {name: 日本語}", "zh-Hant-TW: {name: 中文}")
    site = make_site(
        {
            "articles/story.md": article("Storm", "2024-06-01 09:30"),
            "articles/story.zh-Hant-TW.md": article("風暴", "2024-06-01 09:30"),
            "i18n/zh_Hant.yaml": '"Latest": "最新"\n',
            "i18n/zh.yaml": '"Latest": "最新消息"\n',
        },
        config,
    )
    assert warnings_of(site.build()) == []
    assert site.page("zh-hant-tw/").texts(NAV)[0] == "最新"


def page_file(title: str, **meta: str) -> str:
    lines = ["---", f"title: {title}", *(f"{k}: {v}" for k, v in meta.items()), "---", "", "Text."]
    return "\n".join(lines) + "\n"


def test_pages_have_a_language_and_translations(make_site: MakeSite) -> None:
    """A page of a language's folder, suffix or `lang` speaks that language, sits under its
    prefix, shows that language's menu and links to its other versions."""
    site = fr_site(
        make_site,
        ("pages/en/about.md", page_file("About", menu="true", translation_key="about")),
        ("pages/fr/a-propos.md", page_file("À propos", menu="true", translation_key="about")),
        ("pages/contact.md", page_file("Contact", menu="true")),
        ("pages/contact.fr.md", page_file("Nous écrire", menu="true")),
        ("pages/legal.md", page_file("Mentions", lang="fr")),
    )
    assert warnings_of(site.build()) == []
    about, propos = site.page("about/"), site.page("fr/a-propos/")
    assert about.attrs("//html", "lang") == ["en"] and propos.attrs("//html", "lang") == ["fr"]
    assert propos.texts(NAV)[0] == "À la une"
    assert propos.attrs(SWITCHER, "href") == ["/about/"]
    assert about.attrs(SWITCHER, "href") == ["/fr/a-propos/"]
    assert alternates(site, "fr/a-propos/") == {
        "en": "https://example.org/about/",
        "fr": "https://example.org/fr/a-propos/",
    }
    # Each language's navigation lists its own pages.
    titles = {"About", "Contact", "À propos", "Nous écrire"}
    assert set(site.page("").texts(NAV)) & titles == {"About", "Contact"}
    assert set(site.page("fr/").texts(NAV)) & titles == {"À propos", "Nous écrire"}
    assert site.page("fr/contact/").attrs(SWITCHER, "href") == ["/contact/"]
    assert site.page("fr/legal/").attrs("//html", "lang") == ["fr"]
    assert not (site.out / "en").exists()  # the default language's folder is not in URLs


def test_an_undated_article_is_pointed_to_pages(make_site: MakeSite) -> None:
    site = make_site({"articles/about.md": page_file("About")})
    result = site.build()
    assert result.code == 1
    assert "goes in pages/" in result.stderr


def test_a_folder_or_suffix_of_a_language_stands_for_its_only_regional_code(
    make_site: MakeSite,
) -> None:
    """Hugo keeps `fr` in folder and file names for a language whose code is fr-CA."""
    config = CONFIG.replace(
        "{en: {name: English}, ja: {name: 日本語}}",
        "{en: {name: English}, fr-CA: {name: Français, prefix: fr}}",
    )
    site = make_site(
        {
            "articles/en/storm.md": article("Storm", "2024-05-01 10:00"),
            "articles/fr/storm.md": article("Tempête", "2024-05-01 10:00"),
            "articles/fair.md": article("Fair", "2024-05-02 10:00"),
            "articles/fair.fr.md": article("Foire", "2024-05-02 10:00"),
            "articles/note.md": article("Note", "2024-05-03 10:00", lang="fr"),
        },
        config=config,
    )
    assert warnings_of(site.build()) == []
    assert listed(site, "fr/") == ["Note", "Foire", "Tempête"]
    storm = site.page("fr/2024/05/01/storm/")
    assert storm.attrs("//html", "lang") == ["fr-CA"]
    assert site.page("fr/2024/05/02/fair/").attrs(SWITCHER, "href") == ["/2024/05/02/fair/"]
    assert (
        alternates(site, "2024/05/01/storm/")["fr-CA"] == "https://example.org/fr/2024/05/01/storm/"
    )


def test_a_language_gives_the_sites_title_and_description_in_its_words(
    make_site: MakeSite,
) -> None:
    import feedparser

    config = (
        FR_CONFIG.replace(
            "fr: {name: Français}",
            'fr: {name: Français, title: "Le Port", description: "Les nouvelles du port"}',
        )
        + 'description: "News from the harbour"\n'
    )
    site = fr_site(make_site)
    site.write("newsgen.yaml", config)
    assert warnings_of(site.build()) == []
    french = site.page("fr/")
    assert french.text("//header//p[@class='site-title']") == "Le Port"
    assert french.text("//header//p[@class='tagline']") == "Les nouvelles du port"
    assert site.page("fr/2024/06/01/story/").text("//title") == "Tempête · Le Port"
    assert site.page("").text("//header//p[@class='site-title']") == "Test Site"
    feed = feedparser.parse((site.out / "fr/feed.xml").read_bytes())
    assert (feed.feed.title, feed.feed.subtitle) == ("Le Port", "Les nouvelles du port")
    english = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert (english.feed.title, english.feed.subtitle) == ("Test Site", "News from the harbour")


def test_english_words_count_as_english_on_a_page_of_a_language_without_words(
    make_site: MakeSite,
) -> None:
    """A language with no catalogue shows English words, chosen by English plural rules
    (Russian would pick 'one' for 21)."""
    config = CONFIG.replace("ja: {name: 日本語}", "ru: {name: Русский}")
    body = " ".join(["слово"] * 21)
    files = {"articles/a.ru.md": article("Новости", "2024-05-01", body=body)}
    site = make_site(files | {"templates/article.html": COUNTED}, config)
    assert warnings_of(site.build()) == []
    assert site.page("ru/2024/05/01/a/").text("//p[@class='counted']") == "21 articles"


def test_the_404_page_is_the_default_languages(make_site: MakeSite) -> None:
    config = (
        'title: "T"\nbase_url: "https://example.org/"\n'
        "languages: {en: {name: English, prefix: en}, fr: {name: Français}}\n"
    )
    site = make_site(
        {
            "articles/storm.md": article("Storm", "2024-05-01"),
            "articles/storm.fr.md": article("Tempête", "2024-05-01"),
            "pages/about.md": "---\ntitle: About\nmenu: true\n---\nText.\n",
            "pages/about.fr.md": "---\ntitle: À propos\nmenu: true\n---\nTexte.\n",
        },
        config,
    )
    assert warnings_of(site.build()) == []
    lost = site.page("404.html")
    assert lost.attrs("//header//form[@role='search']", "action") == ["/en/search/"]
    assert (site.out / "en/search/index.html").is_file()
    assert "About" in lost.texts(NAV) and "À propos" not in lost.texts(NAV)
    assert site.page("en/about/").attrs("//html", "lang") == ["en"]


def test_a_language_that_had_a_host_of_its_own(make_site: MakeSite) -> None:
    """Hugo's multihost: French was https://numerique.example/ at the same paths. Its url
    and aliases were written for that host's root: they are read under /fr/, and its old
    URLs are checked there."""
    from conftest import run_newsgen

    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
        "languages: {en: {name: English},"
        " fr: {name: Français, host: 'https://numerique.example'}}\n"
    )
    site = make_site(
        {
            "articles/port.fr.md": article("Le port", "2024-05-02", aliases="[/vieux-port/]"),
            "articles/blog/a.md": article("A"),
            "articles/blog/a.fr.md": article("A fr"),
            "articles/blog/_index.fr.md": '---\ntitle: "Blogue"\naliases: [/blog/]\n---\n',
            "pages/privacy.md": "---\ntitle: Privacy\naliases: [/confidentialite/]\n---\nT.\n",
            "pages/privacy.fr.md": (
                "---\ntitle: Confidentialité\nurl: /confidentialite/\n"
                "aliases: ['https://numerique.example/privacy/']\n---\nT.\n"
            ),
        },
        config,
    )
    result = site.build()
    assert result.code == 0, result.stderr
    assert site.page("fr/confidentialite/").text("//h1") == "Confidentialité"
    assert site.page("fr/vieux-port/").attrs("//body//a", "href") == ["/fr/2024/05/02/port/"]
    assert site.page("fr/privacy/").attrs("//body//a", "href") == ["/fr/confidentialite/"]
    assert site.page("fr/blog/").attrs("//html", "lang") == ["fr"]  # the section's own page
    assert site.page("confidentialite/").attrs("//body//a", "href") == ["/privacy/"]
    old = site.root.parent / "old.txt"
    old.write_text(
        "https://numerique.example/\nhttps://numerique.example/confidentialite/\n"
        "https://numerique.example/2024/05/02/port/\nhttps://example.org/privacy/\n",
        encoding="utf-8",
    )
    checked = run_newsgen("check", site.root, "--old-urls", old)
    assert checked.code == 0, checked.stdout
    assert "4 served by the new build" in checked.stdout


def test_the_same_path_on_a_languages_own_host_is_another_old_url(make_site: MakeSite) -> None:
    from conftest import run_newsgen

    config = (
        'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
        "languages: {en: {name: English},"
        " fr: {name: Français, host: 'https://numerique.example/'}}\n"
    )
    site = make_site({"articles/e.md": article("E", "2024-05-03")}, config)
    assert site.build().code == 0
    old = site.root.parent / "old.txt"
    old.write_text(
        "https://example.org/2024/05/03/e/\nhttps://NUMERIQUE.example:443/2024/05/03/e/\n",
        encoding="utf-8",
    )
    result = run_newsgen("check", site.root, "--old-urls", old, "--format", "json")
    report = json.loads(result.stdout)["old_urls"]
    assert (report["read"], report["served"]) == (2, 1)
    [missing] = report["missing"]
    assert missing["url"] == "https://NUMERIQUE.example:443/2024/05/03/e/"


def test_related_stories_come_from_the_articles_own_language(make_site: MakeSite) -> None:
    """A tag given in both languages relates each story to its own language's only, earlier
    and later: a reader is never sent to a page in a language the page is not in."""
    site = make_site(
        {
            "articles/en/a.md": article("Harbour opens", "2024-05-01", tags="[Harbour]"),
            "articles/ja/b.md": article("港が開く", "2024-05-02", body="本文", tags="[Harbour]"),
            "articles/en/c.md": article("Harbour closes", "2024-05-03", tags="[Harbour]"),
            "articles/ja/d.md": article("港が閉まる", "2024-05-04", body="本文", tags="[Harbour]"),
        },
        config=CONFIG + "related: 5\n",
    )
    assert site.build().code == 0
    related = "//section[@class='related']//li/a"
    assert site.page("2024/05/01/a/").texts(related) == ["Harbour closes"]
    assert site.page("2024/05/03/c/").texts(related) == ["Harbour opens"]
    assert site.page("ja/2024/05/02/b/").texts(related) == ["港が閉まる"]
    assert site.page("ja/2024/05/04/d/").texts(related) == ["港が開く"]
