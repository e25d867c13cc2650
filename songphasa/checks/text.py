"""Find what a text is made of (placeholders, links, addresses, numbers, Latin words) and quote it in findings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from songphasa import languages

# Brace placeholders are matched loosely so that a translated name ({ຊື່})
# is reported instead of silently ignored. Plain %-placeholders take no flags
# because "10% discount" would otherwise read as "% d".
PLACEHOLDER = re.compile(
    r"%%"
    r"|\{[^{}\s]+\}"
    r"|%\([A-Za-z_][A-Za-z0-9_]*\)[-#0+ ]*\d*(?:\.\d+)?[sdifrxXeEgGc]"
    r"|%\d*(?:\.\d+)?[sdifr]"
)
LINK = re.compile(
    r"!?\[((?:[^\[\]\\]|\\.)*)\]\(\s*<?([^\s<>()]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
# Only ASCII: text in a script without spaces often follows an address without one.
URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+")
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
LATIN_WORD = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:[-/'’][A-Za-z0-9]+)*")
TOKEN = re.compile(r"[A-Za-z0-9]+")
ZERO_WIDTH = {
    "\u200b": "zero-width space (U+200B)",
    "\u200c": "zero-width non-joiner (U+200C)",
    "\u200d": "zero-width joiner (U+200D)",
    "\ufeff": "zero-width no-break space (U+FEFF)",
}
#: Bidirectional controls: invisible, and they reorder what is shown (an override around "18" shows "81").
BIDI_CONTROLS = {
    "\u061c": "Arabic letter mark (U+061C)",
    "\u200e": "left-to-right mark (U+200E)",
    "\u200f": "right-to-left mark (U+200F)",
    "\u202a": "left-to-right embedding (U+202A)",
    "\u202b": "right-to-left embedding (U+202B)",
    "\u202c": "pop directional formatting (U+202C)",
    "\u202d": "left-to-right override (U+202D)",
    "\u202e": "right-to-left override (U+202E)",
    "\u2066": "left-to-right isolate (U+2066)",
    "\u2067": "right-to-left isolate (U+2067)",
    "\u2068": "first strong isolate (U+2068)",
    "\u2069": "pop directional isolate (U+2069)",
}
_ZERO_WIDTH_RE = re.compile("[" + "".join(ZERO_WIDTH) + "]")
_SEPARATOR = r"[\s\-\u2010\u2011]+"


def quote(text: str, limit: int = 60) -> str:
    """Quote text for a message, shortened so one finding stays one line."""
    text = text.replace("\n", " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def quote_all(items: Iterable[str]) -> str:
    """Quote each item, comma-separated."""
    return ", ".join(quote(i) for i in items)


def around(text: str, start: int, end: int, width: int = 8) -> str:
    """Return the text around a spot so the translator can find it."""
    return text[max(0, start - width) : end + width].strip()


def mask(text: str, *patterns: re.Pattern[str]) -> str:
    """Blank out matches so later checks do not look inside them."""
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


def link_targets(text: str) -> list[str]:
    """Return the addresses of a Markdown text's links, in order."""
    return [m.group(2) for m in LINK.finditer(text)]


def without_link_targets(text: str) -> str:
    """Drop the link addresses of a Markdown text, keeping the link text: it is prose and is checked like any other."""
    return LINK.sub(lambda m: f" {m.group(1)} ", text)


def prose(text: str) -> str:
    """Return the prose of a text: no link addresses, web or email addresses, or placeholders."""
    return mask(without_link_targets(text), URL, EMAIL, PLACEHOLDER)


def clean(text: str) -> str:
    """Return text as checks should compare it: NFC, composed vowels (ຳ) whole, no zero-width characters.

    The hygiene check reports these problems once; other checks should not
    report the same typing slip again as a missing term.
    """
    text = _ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFC", text))
    return languages.compose(text)


def phrase(words: str, plural: str, ignore_case: bool) -> re.Pattern[str]:
    """Match a Latin-script phrase as whole words, spaces and hyphens alike, with an optional plural ending.

    ``\\b`` is not used because Python counts the letters of other scripts as
    word characters, and a Latin term often touches such text with no space.
    """
    parts = [w for w in re.split(_SEPARATOR, words.strip()) if w]
    body = _SEPARATOR.join(re.escape(w) for w in parts)
    return re.compile(
        rf"(?<![A-Za-z0-9])(?:{body}){plural}(?![A-Za-z0-9])",
        re.IGNORECASE if ignore_case else 0,
    )


def first_word(words: str) -> str:
    """Return the first word of a phrase as ``phrase`` reads it: a match of a case-sensitive phrase contains it."""
    return next((w for w in re.split(_SEPARATOR, words.strip()) if w), "")


def is_acronym_like(word: str) -> bool:
    """Tell whether a Latin word is written in capitals (UN, A4B2, SDGs, UN/DESA)."""
    core = word[:-1] if word.endswith("s") and len(word) > 2 else word
    return len(core) >= 2 and not any(c.islower() for c in core)


__all__ = ["EMAIL", "LATIN_WORD", "LINK", "PLACEHOLDER", "TOKEN", "URL", "ZERO_WIDTH", "around", "clean", "first_word",
           "is_acronym_like", "link_targets", "mask", "phrase", "prose", "quote", "quote_all", "without_link_targets"]
