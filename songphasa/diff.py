"""Mark the words a decision changed: deletions and insertions, in any language.

English splits into words at spaces; Lao and Thai write no spaces between
words, so their text is cut with the segmenter the language table names
(laonlp, pythainlp) before comparing.
"""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

from . import languages

_WORDS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def words(text: str, lang: str) -> list[str]:
    """Split a text into words, spaces and punctuation, keeping every character."""
    unspaced = [s for s in languages.SCRIPTS if not s.spaces_between_words]
    if not any(s.has(c) for c in text for s in unspaced):
        return _WORDS.findall(text)
    tokens: list[str] = []
    # Vowel and tone marks are not \w to Python: cut at script boundaries first.
    pieces = re.findall("|".join(f"[{s.char_class}]+" for s in unspaced) + "|[^" +
                        "".join(s.char_class for s in unspaced) + "]+", text)
    for piece in pieces:
        script = languages.script_of(piece[0])
        if script in unspaced:
            code = lang if languages.get(lang).script == script else languages.language_for_script(script, ())
            tokens.extend(t for t in languages.segment(piece, code) if t)
        else:
            tokens.extend(_WORDS.findall(piece))
    return tokens


def word_diff(before: str, after: str, lang: str, *, missing: bool = False, source_lang: str = "") -> Markup:
    """Return `after` as HTML with words removed from `before` in <del> and added in <ins>.

    ``missing`` marks the whole text as shown in the source language (``source_lang``).
    """
    a, b = words(before, lang), words(after, lang)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(Markup("<del>{}</del>").format("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Markup("<ins>{}</ins>").format("".join(b[j1:j2])))
    html = Markup("").join(out)
    if missing:
        return Markup('<span class="needs-translation" lang="{}">{}</span>').format(source_lang or lang, html)
    return html
