"""Typographic quotes and dashes, with the quote marks of the language.

Straight quotes typed in an editor read like wire copy's curly ones: "news" becomes “news”
in English, „News“ in German, « nouvelles » in French. Apostrophes become ’ in every
language. `--` and `---` become – and —, `...` becomes …. This module turns text; the
Markdown rule in `rules` decides which text (never code, a URL, an attribute or a tag
shown as written). Pure.
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

SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math", "textarea"})
"""Elements whose text is never touched (raw HTML inside a Markdown body)."""
_TOUCH = re.compile(r"[\"']|--|\.\.\.")
_QUOTE = re.compile("[\"']")
_OPENERS = " \t\n\u00a0([{<“‘«‹„‚-–—/"


def quotes_for(language: str) -> tuple[str, str, str, str]:
    """The four quote marks for a BCP 47 language tag (English for unknown languages)."""
    marks = QUOTES.get(language.split("-")[0].lower(), QUOTES["en"])
    if len(marks) == 4:
        return marks[0], marks[1], marks[2], marks[3]
    # French: each mark with its space, written as two characters.
    return marks[0:2], marks[2:4], marks[4:6], marks[6:8]


class Typographer:
    """Turns the straight marks of one text at a time, remembering what came before.

    A quote's direction depends on the character before it, which may be in the text
    before (`"<em>x</em>"`): call `text` for each piece of a paragraph in reading order,
    `skip` for what is shown as written (code), and `block` where a paragraph ends.
    """

    __slots__ = ("close1", "close2", "open1", "open2", "previous", "singles")

    def __init__(self, language: str) -> None:
        self.open2, self.close2, self.open1, self.close1 = quotes_for(language)
        self.previous = " "
        self.singles = 0

    def block(self) -> None:
        """A new paragraph, heading, list item or cell: quotes opened before are closed."""
        self.previous, self.singles = " ", 0

    def skip(self, text: str) -> None:
        """Text shown as written: no mark in it changes, but it comes before what follows."""
        if text:
            self.previous = text[-1]

    def text(self, text: str) -> str:
        """TEXT with its quotes, apostrophes, dashes and ellipses made typographic."""
        if not text:
            return text
        if not _TOUCH.search(text):  # most text has nothing to change
            self.previous = text[-1]
            return text
        text = text.replace("---", "—").replace("--", "–").replace("...", "…")
        if '"' not in text and "'" not in text:
            self.previous = text[-1]
            return text
        out = []
        last = 0
        for match in _QUOTE.finditer(text):  # only the quotes: the rest is copied whole
            position = match.start()
            before = text[position - 1] if position else self.previous
            after = text[position + 1] if position + 1 < len(text) else " "
            out.append(text[last:position])
            last = position + 1
            if match.group() == '"':
                out.append(self.open2 if before in _OPENERS else self.close2)
            elif before.isalnum() and after.isalnum():
                out.append("’")  # an apostrophe: it’s, O’Brien
            elif before in _OPENERS and not after.isdigit() and not after.isspace():
                out.append(self.open1)
                self.singles += 1
            elif self.singles and not before.isspace():
                out.append(self.close1)
                self.singles -= 1
            else:
                out.append("’")  # '90s, the boys' toys
        out.append(text[last:])
        self.previous = text[-1]
        return "".join(out)


def smarten(text: str, language: str) -> str:
    """One piece of plain text made typographic on its own (a written summary)."""
    return Typographer(language).text(text)
