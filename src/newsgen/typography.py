"""Typographic quotes and dashes in rendered Markdown, with the quote marks of the language.

Straight quotes typed in an editor read like wire copy's curly ones: "news" becomes “news”
in English, „News“ in German, « nouvelles » in French. Apostrophes become ’ in every
language. `--` and `---` become – and —, `...` becomes …. Only text is touched: never a
tag, an attribute, or anything inside code, pre, kbd, samp, script or style. Pure.
"""

from __future__ import annotations

import re

QUOTES = {
    "en": "“”‘’",
    "de": "„“‚‘",
    "cs": "„“‚‘",
    "sk": "„“‚‘",
    "sl": "„“‚‘",
    "lt": "„“‚‘",
    "bg": "„“‚‘",
    "is": "„“‚‘",
    "pl": "„”‚’",
    "ro": "„”«»",
    "hu": "„”»«",
    "nl": "“”‘’",
    "fr": "«\u202f\u202f»‹\u202f\u202f›",
    "es": "«»“”",
    "ca": "«»“”",
    "it": "«»“”",
    "pt": "«»“”",
    "ru": "«»„“",
    "uk": "«»„“",
    "be": "«»„“",
    "el": "«»“”",
    "nb": "«»‘’",
    "no": "«»‘’",
    "nn": "«»‘’",
    "sv": "””’’",
    "fi": "””’’",
    "da": "»«›‹",
    "ja": "「」『』",
    "zh": "“”‘’",
    "ko": "“”‘’",
}
"""Opening and closing double, then single quote marks, by primary language subtag
(French puts a narrow no-break space inside its guillemets)."""

_SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math", "textarea"})
_PIECE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TOUCH = re.compile(r"[\"']|&quot;|&#39;|&#x27;|--|\.\.\.")
_QUOTE = re.compile("[\"']")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
_OPENERS = " \t\n\u00a0([{<“‘«‹„‚-–—/"
_BLOCKS = frozenset(
    {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "br", "blockquote"}
)


def quotes_for(language: str) -> tuple[str, str, str, str]:
    """The four quote marks for a BCP 47 language tag (English for unknown languages)."""
    marks = QUOTES.get(language.split("-")[0].lower(), QUOTES["en"])
    if len(marks) == 4:
        return marks[0], marks[1], marks[2], marks[3]
    # French: each mark with its space, written as two characters.
    return marks[0:2], marks[2:4], marks[4:6], marks[6:8]


def smarten(html: str, language: str) -> str:
    """HTML with its text's straight quotes, apostrophes, dashes and ellipses made typographic."""
    if not any(c in html for c in ("&quot;", "'", "--", "...", '"')):
        return html
    open2, close2, open1, close1 = quotes_for(language)
    pieces = _PIECE.split(html)
    skipping: list[str] = []
    previous = " "  # the character before this text, across tags, for opening/closing
    singles = 0  # single quotes opened and not yet closed in this block
    for index, piece in enumerate(pieces):
        if index % 2 == 1:  # a tag or comment
            match = _TAG_NAME.match(piece)
            if match:
                name = match.group(2).lower()
                if name in _SKIP and not piece.endswith("/>"):
                    if match.group(1):
                        if skipping and skipping[-1] == name:
                            skipping.pop()
                    else:
                        skipping.append(name)
                if name in _BLOCKS:
                    previous, singles = " ", 0
            continue
        if skipping or not piece:
            if piece:
                previous = piece[-1]
            continue
        if not _TOUCH.search(piece):  # most text has nothing to change
            previous = piece[-1]
            continue
        text = piece.replace("&quot;", '"').replace("&#39;", "'").replace("&#x27;", "'")
        text = text.replace("---", "—").replace("--", "–").replace("...", "…")
        if '"' not in text and "'" not in text:
            pieces[index] = text
            previous = text[-1]
            continue
        out = []
        last = 0
        for match in _QUOTE.finditer(text):  # only the quotes: the rest is copied whole
            position = match.start()
            before = text[position - 1] if position else previous
            after = text[position + 1] if position + 1 < len(text) else " "
            out.append(text[last:position])
            last = position + 1
            if match.group() == '"':
                out.append(open2 if before in _OPENERS else close2)
            elif before.isalnum() and after.isalnum():
                out.append("’")  # an apostrophe: it’s, O’Brien
            elif before in _OPENERS and not after.isdigit() and not after.isspace():
                out.append(open1)
                singles += 1
            elif singles and not before.isspace():
                out.append(close1)
                singles -= 1
            else:
                out.append("’")  # '90s, the boys' toys
        out.append(text[last:])
        pieces[index] = "".join(out)
        previous = text[-1]
    return "".join(pieces)
