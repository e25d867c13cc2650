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


#: The most word pairs the fine comparison may weigh (difflib's work grows with their
#: product); past it, the changed middle is shown as one deletion and one insertion.
MAX_PAIRS = 250_000


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Return difflib's opcodes for two word lists, in time near-linear in their length.

    The common beginning and end are cut off first (one pass); only a changed
    middle small enough goes through SequenceMatcher, whose worst case is quadratic.
    """
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    ops: list[tuple[str, int, int, int, int]] = []
    if start:
        ops.append(("equal", 0, start, 0, start))
    a_mid, b_mid = a[start:len(a) - end], b[start:len(b) - end]
    if a_mid or b_mid:
        if len(a_mid) * len(b_mid) <= MAX_PAIRS:
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False).get_opcodes():
                ops.append((op, i1 + start, i2 + start, j1 + start, j2 + start))
        else:
            op = "replace" if a_mid and b_mid else ("delete" if a_mid else "insert")
            ops.append((op, start, len(a) - end, start, len(b) - end))
    if end:
        ops.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return ops


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
    for op, i1, i2, j1, j2 in _opcodes(a, b):
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
