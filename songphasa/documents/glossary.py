"""The glossary for terminology tools: CSV for spreadsheets and Weblate, TBX for Weblate and CAT tools.

- ``glossary.csv``: every language in four columns, for a spreadsheet or an
  interpreter's own list;
- ``glossary-<lang>.csv``: one per target language, with the header
  Translate Toolkit reads by name (``source``, ``target``,
  ``developer_comments``): Weblate's glossary upload and its CSV format
  take it as it is;
- ``glossary.tbx``: TBX-Basic in the ``martif`` form (ISO 30042:2008),
  written by Translate Toolkit, which Weblate (through Translate Toolkit)
  and OmegaT read; the ISO 30042:2019 form (``tbx``) went: no tool tested
  here read it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from lxml import etree

from ..content.event import EventContent
from ..content.models import GlossaryEntry


def glossary_names(content: EventContent) -> list[str]:
    """Return the names of the glossary's files, in the order the index lists them."""
    source = content.event.settings.source_language
    return ["glossary.csv", *(f"glossary-{lang}.csv" for lang in content.languages if lang != source), "glossary.tbx"]


def glossary_files(content: EventContent) -> dict[str, bytes]:
    """Return the glossary's files by name (see the module's description)."""
    source = content.event.settings.source_language
    files = {"glossary.csv": glossary_csv(content), "glossary.tbx": glossary_tbx(content)}
    files |= {f"glossary-{lang}.csv": glossary_pair_csv(content, lang) for lang in content.languages if lang != source}
    return {name: files[name] for name in glossary_names(content)}


def glossary_csv(content: EventContent) -> bytes:
    """Export the glossary as CSV for terminology tools (UTF-8 with BOM, as Excel expects).

    Four columns per language of the event, the source first: the term, its
    abbreviation, the note for that language and whether it stays as written.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    codes = content.languages
    writer.writerow([name for code in codes for name in (code, f"abbr_{code}", f"note_{code}", f"do_not_translate_{code}")])
    for entry in content.glossary:
        writer.writerow([value for code in codes for value in
                         (_cell(entry.term(code)), _cell(entry.abbr(code)), _cell(entry.note_for(code)),
                          "yes" if entry.dnt_for(code) else "")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


#: What a spreadsheet reads as the start of a formula (OWASP's list: = + - @, tab and carriage return).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Keep a cell text, never a formula: Excel runs =HYPERLINK(…) or =cmd|… from a CSV it opens."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def glossary_pair_csv(content: EventContent, lang: str) -> bytes:
    """Export the glossary from the source language into one language, as Weblate's glossary upload reads it.

    One row per term the two languages have: the source term and its translation (a source abbreviation as its
    own row), and the notes as ``developer_comments`` ("Do not translate." for a term that stays as written).
    """
    source = content.event.settings.source_language
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["source", "target", "developer_comments"])
    for entry in content.glossary:
        notes = " ".join(filter(None, [entry.note_for(lang), "Do not translate." if entry.dnt_for(lang) else ""]))
        # An abbreviation the language has none for is translated by the full term (as the glossary check wants).
        for term, target in ((entry.term(source), entry.term(lang)),
                             (entry.abbr(source), entry.abbr(lang) or entry.term(lang))):
            if term and (target or entry.dnt_for(lang)):
                writer.writerow([_cell(term), _cell(target or term), _cell(notes)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def glossary_tbx(content: EventContent) -> bytes:
    """Export the glossary as TBX-Basic in the martif form (Translate Toolkit), for Weblate and CAT tools.

    One termEntry per term, one langSet per language that has it: the term, and its abbreviation as a second
    tig whose termType says so. The note for every language is the termEntry's; a language's own note and
    "do not translate" are notes of its langSet.
    """
    from translate.storage.tbx import tbxfile

    codes = content.languages
    store: Any = tbxfile(sourcelanguage=codes[0], targetlanguage=codes[1] if len(codes) > 1 else codes[0])
    description = store.document.getroot().find(f".//{store.namespaced('sourceDesc')}/{store.namespaced('p')}")
    description.text = f"Glossary of {content.event.short_title.source}"
    for number, entry in enumerate(content.glossary, start=1):
        unit = store.addsourceunit(entry.term(codes[0]) or entry.abbr(codes[0]))
        unit.setid(f"term-{number}")
        element = unit.xmlelement
        for section in list(element):
            element.remove(section)  # written below, a langSet per language, in the DTD's order
        if entry.note:  # the note for every language, once (before the langSets, as the DTD orders)
            etree.SubElement(element, unit.namespaced("note")).text = entry.note
        for code in codes:
            _lang_set(unit, element, entry, code)
    return bytes(store)


def _lang_set(unit: Any, element: Any, entry: GlossaryEntry, code: str) -> None:
    term, abbr = entry.term(code), entry.abbr(code)
    if not (term or abbr):
        return
    lang_set = etree.SubElement(element, unit.namespaced("langSet"))
    lang_set.set("{http://www.w3.org/XML/1998/namespace}lang", code)
    own = entry.note_for(code) if entry.note_for(code) != entry.note else ""
    for note in filter(None, [own, "do not translate" if entry.dnt_for(code) else ""]):
        etree.SubElement(lang_set, unit.namespaced("note")).text = note
    for text, kind in ((term, "fullForm"), (abbr, "abbreviation")):
        if text:
            tig = etree.SubElement(lang_set, unit.namespaced("tig"))
            etree.SubElement(tig, unit.namespaced("term")).text = text
            etree.SubElement(tig, unit.namespaced("termNote"), type="termType").text = kind
