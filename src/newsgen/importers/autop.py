"""WordPress post bodies → HTML: captions become figures, then paragraphs as wpautop makes them.

WordPress stores a classic-editor post with blank lines for paragraphs and bare newlines
for line breaks; its `wpautop` filter adds the <p> and <br> on every page view. This is
a port of that filter's rules (WordPress 6.x, wp-includes/formatting.php), so an imported
post shows the paragraphs its readers saw.
"""

from __future__ import annotations

import re
from html import escape

# Elements wpautop never wraps in <p>: a paragraph break is forced around each one.
_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_OPEN_BLOCK = re.compile(rf"(<{_BLOCKS}[\s/>])")
_CLOSE_BLOCK = re.compile(rf"(</{_BLOCKS}>)")
_ANY_BLOCK_TAG = rf"</?{_BLOCKS}[^>]*>"
# Tags and comments, where a newline is part of the markup and must not become a <br>.
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^<>]*>", re.S)
_NEWLINE_MARK = " <!-- wpnl --> "
_PRESERVE_MARK = "<WPPreserveNewline />"


def _mark_newlines_in_tags(text: str) -> str:
    return _TAG_OR_COMMENT.sub(lambda m: m.group(0).replace("\n", _NEWLINE_MARK), text)


def _hide_pre(text: str) -> tuple[str, dict[str, str]]:
    """Replace each <pre>…</pre> by a placeholder: nothing inside it is touched."""
    if "<pre" not in text:
        return text, {}
    *parts, last = text.split("</pre>")
    hidden: dict[str, str] = {}
    out = []
    for part in parts:
        start = part.find("<pre")
        if start < 0:  # a stray </pre>: keep it as it was
            out.append(part + "</pre>")
            continue
        name = f"<pre wp-pre-tag-{len(hidden)}></pre>"
        hidden[name] = part[start:] + "</pre>"
        out.append(part[:start] + name)
    return "".join(out) + last, hidden


def wpautop(text: str) -> str:
    """Paragraphs from blank lines, <br /> from single newlines, block elements left bare."""
    if not text.strip():
        return ""
    text, hidden = _hide_pre(text + "\n")
    sub = re.sub
    text = sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = _OPEN_BLOCK.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK.sub(r"\1\n\n", text)
    text = sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _mark_newlines_in_tags(text)
    if "<option" in text:
        text = sub(r"\s*<option", "<option", text)
        text = sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = sub(r"\s*</object>", "</object>", text)
        text = sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = sub(r"</figcaption>\s*", "</figcaption>", text)
    text = sub(r"\n\n+", "\n\n", text)

    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)

    text = sub(r"<p>\s*</p>", "", text)
    text = sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = sub(rf"<p>\s*({_ANY_BLOCK_TAG})\s*</p>", r"\1", text)
    text = sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = sub(rf"<p>\s*({_ANY_BLOCK_TAG})", r"\1", text)
    text = sub(rf"({_ANY_BLOCK_TAG})\s*</p>", r"\1", text)

    # Line breaks, except inside elements whose newlines mean something.
    text = sub(
        r"<(script|style|svg|math).*?</\1>",
        lambda m: m.group(0).replace("\n", _PRESERVE_MARK),
        text,
        flags=re.S,
    )
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = text.replace(_PRESERVE_MARK, "\n")

    text = sub(rf"({_ANY_BLOCK_TAG})\s*<br />", r"\1", text)
    text = sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = sub(r"\n</p>$", "</p>", text)
    for name, original in hidden.items():
        text = text.replace(name, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(_NEWLINE_MARK, "\n").replace("<!-- wpnl -->", "\n")
    return text


# --- shortcodes ---------------------------------------------------------------------------

_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
_CAPTION = re.compile(r"\[(wp_caption|caption)(\s[^\]]*)?\](.*?)\[/\1\]", re.S)
# The image (with its link, if any) leads a caption's content; the rest is the caption.
_CAPTIONED = re.compile(r"^\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)$", re.S | re.I)
_CLASS_VALUE = re.compile(r"[^\w-]")


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(v for v in m.groups()[1:] if v is not None)
        for m in _ATTR.finditer(text or "")
    }


def _figure(match: re.Match[str]) -> str:
    attrs = _attrs(match.group(2))
    content = match.group(3)
    caption = attrs.get("caption", "").strip()
    if not caption:
        found = _CAPTIONED.match(content)
        if found:
            content, caption = found.group(1), found.group(2).strip()
    if not caption:  # WordPress shows a caption shortcode without caption as its content
        return content
    align = _CLASS_VALUE.sub("", attrs.get("align", ""))
    classes = "wp-caption" + (f" {align}" if align else "")
    ident = _CLASS_VALUE.sub("", attrs.get("id", ""))
    id_attr = f' id="{escape(ident)}"' if ident else ""
    return (
        f'<figure class="{classes}"{id_attr}>{content.strip()}'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def captions_to_figures(text: str) -> str:
    """[caption …]<img …> Text[/caption] (or caption="Text") → <figure> with a <figcaption>."""
    return _CAPTION.sub(_figure, text)


# Shortcodes WordPress itself registers, reported even when written bare as [gallery].
CORE_SHORTCODES = frozenset({"audio", "video", "gallery", "playlist", "embed"})
_SHORTCODE = re.compile(r"(?<!\[)\[([a-z][a-z0-9_-]*)(?=[\s\]/])([^\[\]]*)\](?!\])")


def find_shortcodes(text: str) -> list[tuple[str, int]]:
    """Each distinct shortcode left in TEXT, with the offset of its first use.

    A news archive is full of brackets that are not shortcodes ("[sic]", "[laughter]"),
    so an unknown name counts only with attributes, a URL, or a closing [/name].
    """
    found: dict[str, int] = {}
    for match in _SHORTCODE.finditer(text):
        name, rest = match.group(1), match.group(2)
        if name in found:
            continue
        if (
            name in CORE_SHORTCODES
            or "=" in rest
            or "://" in rest
            or rest.strip() == "/"
            or f"[/{name}]" in text
        ):
            found[name] = match.start()
    return sorted(found.items(), key=lambda pair: pair[1])
