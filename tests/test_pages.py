"""Pages from pages/ (About, Contact): undated, in the menu, outside listings and feeds."""

from __future__ import annotations

import pytest
from conftest import HEADLINES, MakeSite, article, warnings_of

pytestmark = pytest.mark.fast


def test_pages_are_undated_outside_listings_and_feeds(make_site: MakeSite) -> None:
    site = make_site(
        {
            "articles/a.md": article("A"),
            "pages/about.md": "---\ntitle: About us\nmenu: true\nweight: 2\n---\nWho we are.\n",
            "pages/contact.md": "---\ntitle: Contact\nmenu: true\nweight: 1\n---\nWrite to us.\n",
            "pages/policies/corrections.md": "---\ntitle: Corrections policy\n---\nWe fix.\n",
            "pages/hidden.md": "---\ntitle: Hidden\ndraft: true\n---\nNot yet.\n",
        }
    )
    assert warnings_of(site.build()) == []
    home = site.page("")
    nav = home.texts("//nav[@aria-label='Site']//a")
    assert [n for n in nav if n in ("Contact", "About us")] == ["Contact", "About us"]  # weight
    assert site.page("about/").text("//h1") == "About us"
    assert site.page("policies/corrections/").text("//h1") == "Corrections policy"
    assert not (site.out / "hidden").exists()
    assert home.texts(HEADLINES) == ["A"]
    assert b"About us" not in (site.out / "feed.xml").read_bytes()
    sitemap = (site.out / "sitemap.xml").read_text()
    assert "https://example.org/about/" in sitemap
    assert "https://example.org/policies/corrections/" in sitemap
