"""robots.txt: every crawler allowed, and where the sitemaps are."""

from __future__ import annotations

from collections.abc import Sequence

from newsgen.urls import SITEMAP_URL, absolute


def render_robots(base_url: str, sitemaps: Sequence[str] = (SITEMAP_URL,)) -> bytes:
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {absolute(base_url, name)}" for name in sitemaps]
    return ("\n".join(lines) + "\n").encode()
