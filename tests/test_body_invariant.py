"""The sanitizer is the last step of every body: what is published is what it returned.

For any body (generated Markdown and HTML, and every body payload of `payloads`), the
published HTML is a fixed point of the sanitizer (cleaning it again changes nothing) and
holds no event handler, no `style`, and no URL a browser would read as anything but a web
link. References resolved later (`resolve_refs`) and feed bodies (links made absolute)
are held to the same rule.
"""

from __future__ import annotations

import payloads as P
import pytest
from conftest import Page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgen.bodies import BodyOptions, render_html, render_markdown, resolve_refs
from newsgen.bodies.sanitize import sanitize
from newsgen.bodies.weburl import read_url
from newsgen.feeds import _feed_body

HOSTS = P.IFRAME_HOSTS
OPTIONS = BodyOptions(iframe_hosts=HOSTS, smart_quotes=True)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "cite", "data", "srcset")

PIECES = [
    "<", ">", '"', "'", "=", "&", "#", ";", "\n", "\n\n", " ", "`", "```", "    ", "*", "[", "]",
    "(", ")", "{", "}", "{{<", ">}}", "{%", "%}", "{{", "}}", "<!--", "-->", "<![CDATA[", "]]>",
    "javascript:", "jav&#1;ascript:", "java\tscript:", "&#x6a;avascript:", "data:text/html,",
    "<a href=", "<img src=x ", "onerror=alert(1)", " onfocus=alert(1) autofocus", "<svg>",
    "<math>", "<style>", "</style>", "<script>", "</script>", "<iframe src=", "<base href=",
    "<noscript>", "</noscript>", "<textarea>", "<title>", "<select>", "<template>", "style=",
    "srcset=", "\ue000", "\ue001", "\ufdd0", "\x01", "&#0;", "&#x80;", "newsgen-ref:1:x",
    "## ", "{#id onclick=x}", "{: #a .b}", "[^1]", "[^1]: n", "![i](", "[l](", "<!--more-->",
    '{{< figure src="', '{% post_url x %}', '{{< ref "x" >}}', "{% highlight %}",
    "{% endhighlight %}", "{% raw %}", "{% endraw %}", "@/x.md", "https://evil.example\\@www.youtube.com/",
    "//www.youtube.com/embed/x", "| a |\n|---|\n| b |",
]  # fmt: skip

bodies = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=40).map("".join)


def assert_published(html: str) -> None:
    assert sanitize(html, HOSTS) == html, "cleaning the published body again changed it"
    page = Page.parse(f"<!doctype html><title>t</title><body>{html}</body>")
    for element in page.all("//*"):
        for name, value in element.attrib.items():
            name = name.lower()
            assert not name.startswith("on"), (name, html)
            assert name != "style", html
            if name in URL_ATTRIBUTES:
                urls = (
                    [c.split()[0] for c in value.split(",") if c.split()]
                    if name == "srcset"
                    else [value]
                )
                for url in urls:
                    read = read_url(url)
                    assert read is not None and read.scheme in (
                        "",
                        "http",
                        "https",
                        "mailto",
                        "tel",
                    ), (
                        url,
                        html,
                    )


def published(body_html: str) -> list[str]:
    """The body as pages show it (references resolved) and as feeds carry it."""
    page, _ = resolve_refs(body_html, lambda target: "/x/" if target == "x" else None, OPTIONS)
    feed = resolve_feed(str(page))
    return [str(page), feed]


def resolve_feed(html: str) -> str:
    hosts = tuple(sorted(OPTIONS.iframe_hosts))
    return _feed_body(html, "https://example.org/a/", OPTIONS.raw_html, hosts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies)
def test_any_markdown_body_is_published_clean(text: str) -> None:
    for html in published(str(render_markdown(text, 1, OPTIONS).html)):
        assert_published(html)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies)
def test_any_html_body_is_published_clean(text: str) -> None:
    for html in published(str(render_html(text, 1, OPTIONS).html)):
        assert_published(html)


@pytest.mark.parametrize(
    "payload", [p for p in P.CORPUS if p.forms & set(P.BODY_FORMS)], ids=lambda p: p.name
)
def test_every_body_payload_is_published_clean(payload: P.Payload) -> None:
    text = payload.text.replace("PID", "100001")
    for render in (render_markdown, render_html):
        body = render(text, 1, OPTIONS, payload.front_matter)
        for html in published(str(body.html)):
            assert_published(html)
