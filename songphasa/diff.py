"""Mark the words a decision changed: deletions and insertions, in any language.

English splits into words at spaces; Lao and Thai write no spaces between
words, so their text is cut with the segmenter the language table names
(laonlp, pythainlp) before comparing.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re

from lxml import html as lxml_html
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


def word_diff(before: str, after: str, lang: str, *, missing: bool = False, source_lang: str = "",
              when: dt.datetime | None = None) -> Markup:
    """Return `after` as HTML with words removed from `before` in <del> and added in <ins>.

    ``missing`` marks the whole text as shown in the source language (``source_lang``).
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
        return Markup('<span class="needs-translation" lang="{}">{}</span>').format(source_lang or lang, html)
    return html


def accepted(article: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """Return a copy of a page's article with every marked change accepted: the text as decided, no marks.

    A PDF is read, not edited: it shows what was decided, while the DOCX keeps Word's tracked changes.
    """
    if article.find(".//del") is None and article.find(".//ins") is None:
        return article
    final = copy.deepcopy(article)
    for deleted in final.findall(".//del"):
        deleted.drop_tree()  # its tail stays
    for inserted in final.findall(".//ins"):
        inserted.drop_tag()
    return final
