"""Mark the words a decision changed: deletions and insertions, in any language.

English splits into words at spaces; Lao writes no spaces between words, so
Lao text is split with a Lao word segmenter (laonlp) before comparing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from markupsafe import Markup, escape

_WORDS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_LAO = re.compile(r"[\u0e80-\u0eff]")
_RUNS = re.compile(r"[\u0e80-\u0eff]+|[^\u0e80-\u0eff]+")


def words(text: str, lang: str) -> list[str]:
    """Split a text into words, spaces and punctuation, keeping every character."""
    if lang == "lo" or _LAO.search(text):
        from laonlp.tokenize import word_tokenize  # slow to import; only Lao needs it
        tokens: list[str] = []
        # Lao vowel and tone marks are not \w to Python: cut at script boundaries first.
        for piece in _RUNS.findall(text):
            tokens.extend(word_tokenize(piece) if _LAO.search(piece) else _WORDS.findall(piece))
        return tokens
    return _WORDS.findall(text)


def word_diff(before: str, after: str, lang: str, *, missing: bool = False,
              when: dt.datetime | None = None) -> Markup:
    """Return `after` as HTML with words removed from `before` in <del> and added in <ins>.

    With `when` (an aware time) each change carries it as its datetime, which
    the DOCX writer makes the date of the Word revision.
    """
    a, b = words(before, lang), words(after, lang)
    stamp = Markup(' datetime="{}"').format(when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")) \
        if when is not None else Markup("")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(Markup("<del{}>{}</del>").format(stamp, "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Markup("<ins{}>{}</ins>").format(stamp, "".join(b[j1:j2])))
    html = Markup("").join(out)
    if missing:
        return Markup('<span class="needs-translation" lang="en">{}</span>').format(html)
    return html
