"""`_redirects`, the file Netlify and Cloudflare Pages read as real HTTP redirects."""

from __future__ import annotations

from collections.abc import Iterable

from newsgen.models import Redirect
from newsgen.urls import href


def render_redirects(base_path: str, redirects: Iterable[Redirect]) -> bytes:
    """`_redirects` for Netlify and Cloudflare Pages: one `OLD NEW 301` line per alias."""
    lines = [f"{href(base_path, r.url)} {href(base_path, r.target)} 301" for r in redirects]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
