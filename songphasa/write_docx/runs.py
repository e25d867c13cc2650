"""Runs: where text changes script, and the run properties (w:rPr) of each stretch.

Lao, Thai and the other scripts of the language table need care that a word
processor's Latin font settings do not take: every stretch of such text
becomes a run of its own carrying the font slot, size and language its script
takes in Word (:func:`set_script_run`). python-docx's ``Font.name`` writes
only the Latin slots, so this is written through the XML layer.
"""

from __future__ import annotations

import bisect
import copy
import re
import unicodedata

from lxml import etree

from songphasa import languages

from .markup import Format, external
from .oxml import NAMESPACES, W_DEL_TEXT, W_P, W_R, W_RPR, W_T, W_VAL, XML_SPACE, qn, rpr_child, run_properties
from .settings import DocxSettings

LINK_COLOR = "0563C1"  # a link's colour where the reference has no Hyperlink style

#: A stretch of one script, as (start, end, script) in a paragraph's text.
Span = tuple[int, int, languages.Script]

# One group per script of the table, in its order: a match's group names its script.
_STRETCH = re.compile("|".join(f"([{script.char_class}]+)" for script in languages.SCRIPTS))


def joins_script_run(char: str) -> bool:
    """Tell whether a character between two stretches of one script belongs to their run."""
    # Spaces, punctuation and invisible word-break marks (U+200B) between two
    # words of a script are set in its font so the line does not hop fonts.
    # Digits too ("ໃນ 18 ແຂວງ"): a number inside such text is set in that text's font and size.
    return char.isspace() or char.isdigit() or unicodedata.category(char)[0] in "PZ" or char in "\u200b\u200c\u200d"


def script_spans(text: str) -> list[Span]:
    """Return where the runs of other scripts are: (start, end, Script), in order; the rest is Latin.

    A maximal stretch of one script's characters is a run of it; so are the
    spaces, digits and punctuation between two stretches of the same script.
    """
    spans: list[Span] = []
    for match in _STRETCH.finditer(text):  # stretch by stretch: most text has none
        start, end = match.span()
        script = languages.SCRIPTS[(match.lastindex or 1) - 1]
        if spans and spans[-1][2] is script and all(joins_script_run(char) for char in text[spans[-1][1]:start]):
            spans[-1] = (spans[-1][0], end, script)
        else:
            spans.append((start, end, script))
    return [_with_numbers(text, span, spans[index - 1][1] if index else 0,
                          spans[index + 1][0] if index + 1 < len(spans) else len(text))
            for index, span in enumerate(spans)]


def _with_numbers(text: str, span: Span, after: int, before: int) -> Span:
    """Take into a run the numbers just before and after it ("ພະຈິກ 2021"): a date is set in one face and size."""
    start, end, script = span
    reach = end
    while reach < before and joins_script_run(text[reach]):
        reach += 1
    ahead = text[end:reach]
    if any(char.isdigit() for char in ahead):
        end += max(index for index, char in enumerate(ahead) if char.isdigit()) + 1
    reach = start
    while reach > after and joins_script_run(text[reach - 1]):
        reach -= 1
    behind = text[reach:start]
    if any(char.isdigit() for char in behind):
        start = reach + min(index for index, char in enumerate(behind) if char.isdigit())
    return start, end, script


def split_by_spans(piece: str, offset: int, spans: list[Span],
                   ends: list[int]) -> list[tuple[str, languages.Script | None]]:
    """Cut a piece of a paragraph's text (starting at ``offset`` in it) where its script changes.

    Returns (chunk, Script), the Script None for Latin text. ``spans`` are the
    paragraph's script_spans; ``ends`` their ends, to find the first one reaching the piece.
    """
    if not piece:
        return []
    if not spans:  # most pieces of a Latin-script document
        return [(piece, None)]
    stop = offset + len(piece)
    chunks: list[tuple[str, languages.Script | None]] = []
    position = offset
    for start, end, script in spans[bisect.bisect_right(ends, offset):]:
        if start >= stop:
            break
        if start > position:
            chunks.append((piece[position - offset:start - offset], None))
            position = start
        until = min(end, stop)
        chunks.append((piece[position - offset:until - offset], script))
        position = until
    if position < stop:
        chunks.append((piece[position - offset:], None))
    return chunks


def set_fonts(rpr: etree._Element, **slots: str) -> None:
    """Name the font of each slot (ascii, hAnsi, eastAsia, cs) in a w:rPr's w:rFonts."""
    fonts = rpr_child(rpr, "w:rFonts")
    # A theme attribute wins over the named font, so it has to go.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot, font in slots.items():
        fonts.set(qn(f"w:{slot}"), font)


def set_script_run(
    run: etree._Element,
    font: str,
    size_half_points: int,
    *,
    language: str,
    bold: bool = False,
    italic: bool = False,
) -> None:
    """Make a w:r draw its text in a language's script in the given font, in every application.

    The language table says which slot the script takes. Word and LibreOffice
    treat Lao and Thai as complex scripts: they take the font from the w:cs
    slot, the size from w:szCs, bold and italic from w:bCs and w:iCs, and the
    language from w:lang/@w:bidi, and the run says ``<w:cs/>``. Chinese takes
    w:eastAsia and w:lang/@w:eastAsia. The Latin slots get the same font so
    that no path through either program falls back to another face.
    """
    spec = languages.get(language)
    size_half_points = round(size_half_points * spec.word_size_ratio)  # the script's fonts look small at the Latin size
    slot = spec.script.word_slot
    rpr = run_properties(run)
    set_fonts(rpr, ascii=font, hAnsi=font, **({slot: font} if slot != "ascii" else {}))
    complex_ = spec.script.complex
    if bold:
        rpr_child(rpr, "w:b")
        if complex_:
            rpr_child(rpr, "w:bCs")
    if italic:
        rpr_child(rpr, "w:i")
        if complex_:
            rpr_child(rpr, "w:iCs")
    rpr_child(rpr, "w:sz").set(W_VAL, str(size_half_points))
    if complex_:
        rpr_child(rpr, "w:szCs").set(W_VAL, str(size_half_points))
        rpr_child(rpr, "w:cs")
    rpr_child(rpr, "w:lang").set(qn(f"w:{spec.word_lang_attribute}"), spec.word_region)


class RunWriter:
    """Write the w:r of one document's text: its formatting, its script's font, its language."""

    def __init__(self, settings: DocxSettings, link_style_id: str | None):
        self.settings = settings
        self.link_style_id = link_style_id  # the reference's Hyperlink style; None: links are coloured by hand
        # Most runs of a document share a few formats: each w:rPr is made once, then copied.
        self.made: dict[tuple[Format, languages.Script | None, int], etree._Element | None] = {}
        # The languages the document defaults already name: a run in one of them needs no w:lang of its own.
        self.said = {*settings.languages, settings.language, settings.language_of(languages.LATIN),
                     settings.complex_language}
        # Where run properties are made before they are copied into the body.
        self.scratch = etree.Element(W_P, nsmap={"w": NAMESPACES["w"]})

    def run(self, parent: etree._Element, text: str, fmt: Format, script: languages.Script | None,
            size: int) -> etree._Element:
        """Add one w:r with its text and formatting to a paragraph (or a link or revision in it).

        ``script`` is the run's script other than Latin, None for Latin text.
        """
        run = etree.SubElement(parent, W_R)
        key = (fmt, script, size)
        if key not in self.made:
            self.made[key] = self.properties(fmt, script, size)
        rpr = self.made[key]
        if rpr is not None:
            run.append(copy.copy(rpr))
        t = etree.SubElement(run, W_DEL_TEXT if fmt.deleted else W_T)
        t.text = text
        if text != text.strip():
            t.set(XML_SPACE, "preserve")
        return run

    def properties(self, fmt: Format, script: languages.Script | None, size: int) -> etree._Element | None:
        """Make the w:rPr of a run of this format (None when it needs none)."""
        run = etree.SubElement(self.scratch, W_R)
        rpr = etree.SubElement(run, W_RPR)
        link = external(fmt.href)
        if link and self.link_style_id is not None:
            rpr_child(rpr, "w:rStyle").set(W_VAL, self.link_style_id)
        if script:
            code = self.settings.language_of(script)
            set_script_run(run, self.settings.font_for(code), size, bold=fmt.bold, italic=fmt.italic, language=code)
        else:
            if fmt.bold:
                rpr_child(rpr, "w:b")
            if fmt.italic:
                rpr_child(rpr, "w:i")
            if fmt.size:
                rpr_child(rpr, "w:sz").set(W_VAL, str(fmt.size))
                rpr_child(rpr, "w:szCs").set(W_VAL, str(fmt.size))
            primary = (fmt.lang or "").split("-")[0].lower()
            if primary and primary not in self.said:
                rpr_child(rpr, "w:lang").set(W_VAL, fmt.lang or "")
        # An <ins>/<del> is a tracked change (see Paragraphs.revision), not formatting.
        if fmt.struck:
            rpr_child(rpr, "w:strike")
        if link and self.link_style_id is None:
            rpr_child(rpr, "w:color").set(W_VAL, LINK_COLOR)
        if fmt.highlight:
            rpr_child(rpr, "w:highlight").set(W_VAL, "yellow")
        if fmt.underlined or (link and self.link_style_id is None):
            rpr_child(rpr, "w:u").set(W_VAL, "single")
        return rpr if len(rpr) else None
