"""The glossary for terminology tools: CSV for spreadsheets, TBX for Weblate and CAT tools."""

from __future__ import annotations

import csv
import io

from lxml import etree

from ..content.event import EventContent


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


TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"


def glossary_tbx(content: EventContent) -> bytes:
    """Export the glossary as TBX (ISO 30042:2019, TBX-Basic dialect) for Weblate and CAT tools.

    One conceptEntry per term; one langSec per language with a term; the
    abbreviation as a second termSec marked as such; the note and "do not
    translate" as notes of the language's section.
    """
    xml = "{http://www.w3.org/XML/1998/namespace}lang"
    root = etree.Element(f"{{{TBX_NAMESPACE}}}tbx", nsmap={None: TBX_NAMESPACE},
                         attrib={"type": "TBX-Basic", "style": "dca", xml: content.event.settings.source_language})
    header = etree.SubElement(etree.SubElement(etree.SubElement(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    etree.SubElement(header, "p").text = f"Glossary of {content.event.short_title.source}"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, entry in enumerate(content.glossary, start=1):
        concept = etree.SubElement(body, "conceptEntry", id=f"term-{number}")
        for code in content.languages:
            term, abbr = entry.term(code), entry.abbr(code)
            if not (term or abbr):
                continue
            section = etree.SubElement(concept, "langSec", attrib={xml: code})
            for text, kind in ((term, "fullForm"), (abbr, "abbreviation")):
                if text:
                    term_sec = etree.SubElement(section, "termSec")
                    etree.SubElement(term_sec, "term").text = text
                    etree.SubElement(term_sec, "termNote", type="termType").text = kind
            notes = [entry.note_for(code)] + (["do not translate"] if entry.dnt_for(code) else [])
            for note in filter(None, notes):
                section.insert(0, etree.Element("note"))
                section[0].text = note
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
