"""Build the reference document that gives every DOCX its look.

``songphasa/templates/reference.docx`` holds the page (A4, margins, a footer with the
page number) and the styles the writer maps HTML onto. It is generated from
python-docx's own template rather than edited by hand, so the look is
reviewable in a diff of this file and the bytes are the same on every run::

    python tools/reference.py songphasa/templates/reference.docx

An organizer may still open the file in Word and adjust a style; the writer
only replaces the fonts, which each event project sets. A maintenance
script: the build reads the file it makes and never runs this.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips
from lxml import etree

if not __package__:  # run as a script from a checkout (`python tools/reference.py`): use its songphasa
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from songphasa import languages  # noqa: E402
from songphasa.files import atomic_write  # noqa: E402
from songphasa.reproducible import source_date, zip_bytes, zip_date_time  # noqa: E402
from songphasa.write_docx.oxml import serialize  # noqa: E402
from songphasa.write_docx.package import A4_LONG, A4_SHORT, DEFAULT_CREATED, set_core_properties  # noqa: E402
from songphasa.write_docx.settings import DocxSettings  # noqa: E402
from songphasa.write_docx.styles import HYPERLINK_STYLE, TABLE_STYLE, set_document_fonts  # noqa: E402

CORE_PART = "docProps/core.xml"
#: The complex-script language Word picks theme fonts by: the tool's default target's.
DEFAULT_COMPLEX_REGION = languages.word_region(languages.DEFAULT_TARGETS[0])

# Margins usual for Lao government papers: a wider binding edge on the left.
MARGINS = {"top": 1134, "bottom": 1134, "left": 1701, "right": 1134}  # twips (2 cm, 3 cm)
HEADER_FOOTER_DISTANCE = 709  # 1.25 cm
BODY_SIZE = 22  # half-points: 11 pt
INK = "1F3864"  # dark navy for headings: sober, and still prints well in grey
RULE = "7F7F7F"  # table borders
HEADER_FILL = "E7E6E6"

# Each style in full, so this file says the whole look. Sizes are in
# half-points, spacing in twips; fonts are added by set_document_fonts.
STYLES = {
    "Title": f"""
<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Title">
  <w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="10"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>
    <w:jc w:val="center"/></w:pPr>
  <w:rPr><w:b/><w:bCs/><w:color w:val="{INK}"/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr>
</w:style>""",
    "Subtitle": f"""
<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Subtitle">
  <w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="11"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:spacing w:before="0" w:after="240"/><w:jc w:val="center"/></w:pPr>
  <w:rPr><w:color w:val="404040"/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr>
</w:style>""",
    "Heading1": f"""
<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Heading1">
  <w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="9"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/>
    <w:outlineLvl w:val="0"/></w:pPr>
  <w:rPr><w:b/><w:bCs/><w:color w:val="{INK}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>
</w:style>""",
    "Heading2": f"""
<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Heading2">
  <w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>
  <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="80"/>
    <w:outlineLvl w:val="1"/></w:pPr>
  <w:rPr><w:b/><w:bCs/><w:color w:val="{INK}"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>
</w:style>""",
    "Heading3": f"""
<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Heading3">
  <w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>
  <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="60"/>
    <w:outlineLvl w:val="2"/></w:pPr>
  <w:rPr><w:b/><w:bCs/><w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/></w:rPr>
</w:style>""",
    "Caption": f"""
<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Caption">
  <w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="35"/><w:unhideWhenUsed/><w:qFormat/>
  <w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/></w:pPr>
  <w:rPr><w:b/><w:bCs/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>
</w:style>""",
    "Hyperlink": f"""
<w:style {nsdecls("w")} w:type="character" w:styleId="Hyperlink">
  <w:name w:val="{HYPERLINK_STYLE}"/><w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>
</w:style>""",
    # Table text sits tight in its cell: the table style's paragraph spacing
    # wins over the document defaults (Normal itself sets none on purpose).
    "SongphasaTable": f"""
<w:style {nsdecls("w")} w:type="table" w:styleId="SongphasaTable">
  <w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableGrid"/><w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:tblPr>
    <w:tblInd w:w="0" w:type="dxa"/>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr>
  </w:tblStylePr>
</w:style>""",
}


def make_reference(path: Path) -> None:
    """Build the reference document from python-docx's template and write it."""
    atomic_write(path, reference_bytes())


def reference_bytes() -> bytes:
    """Return the bytes of the reference document, the same on every run."""
    document = Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _set_page(document)
    _set_defaults(document)
    _set_styles(document)
    settings = DocxSettings(language=languages.DEFAULT_SOURCE, title="Songphasa reference document")
    set_document_fonts(document.styles.element, settings)
    add_page_number_footer(document)
    _drop_leftovers(document)
    document.core_properties.created = DEFAULT_CREATED  # makes python-docx write the metadata part
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        entries = [(info.filename, saved.read(info)) for info in saved.infolist()]
    # The metadata as every document's is filled, with no clock time (python-docx stamps "now").
    entries = [(name, _core_properties(data, settings) if name == CORE_PART else data) for name, data in entries]
    # Level 9: the file is made once and read by every build; the committed file was made so.
    return zip_bytes(entries, zip_date_time(source_date()), level=9)


def add_page_number_footer(document: DocumentObject) -> None:
    """Give every section a footer with the page number centred."""
    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # A PAGE field showing "1" until the application updates it: the paragraph's run, wrapped in the field.
        run = paragraph.add_run("1").element
        field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "/>')
        run.addprevious(field)
        field.append(run)


def _core_properties(data: bytes, settings: DocxSettings) -> bytes:
    core = etree.fromstring(data)
    set_core_properties(core, settings)
    return serialize(core)


def _set_page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Twips(A4_SHORT), Twips(A4_LONG)
    section.top_margin = Twips(MARGINS["top"])
    section.bottom_margin = Twips(MARGINS["bottom"])
    section.left_margin = Twips(MARGINS["left"])
    section.right_margin = Twips(MARGINS["right"])
    section.header_distance = Twips(HEADER_FOOTER_DISTANCE)
    section.footer_distance = Twips(HEADER_FOOTER_DISTANCE)


def _set_defaults(document: DocumentObject) -> None:
    styles = document.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(BODY_SIZE))
    spacing = styles.find(
        f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}"
    )
    # 1.15 lines leaves room for Lao vowels and tone marks stacked above.
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "276")
    spacing.set(qn("w:lineRule"), "auto")
    # Word picks theme fonts for new text by these languages.
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.attrib.clear()
        theme_lang.set(qn("w:val"), languages.word_region(languages.DEFAULT_SOURCE))
        theme_lang.set(qn("w:bidi"), DEFAULT_COMPLEX_REGION)
    # The preview picture would show python-docx's sample page.
    for preview in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(preview)


def _set_styles(document: DocumentObject) -> None:
    styles = document.styles.element
    for style_id, xml in STYLES.items():
        new = parse_xml(xml)
        old = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        if old is not None:
            old.addprevious(new)
            styles.remove(old)
        else:
            styles.append(new)
    # Footer tab stops in the template are for US Letter; the page number is
    # centred by alignment instead, so they only confuse.
    footer = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Footer']")
    if footer is not None:
        for tabs in footer.iter(qn("w:tabs")):
            tabs.getparent().remove(tabs)


def _drop_leftovers(document: DocumentObject) -> None:
    # python-docx's template carries a thumbnail of its sample page and a
    # Word 2010 copy of all styles (stylesWithEffects) that would disagree
    # with the styles set here.
    package = document.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
    for r_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[r_id]


def main(argv: list[str]) -> int:
    """Write the reference document to the path given on the command line."""
    if len(argv) != 1:
        print("usage: python tools/reference.py songphasa/templates/reference.docx", file=sys.stderr)
        return 2
    make_reference(Path(argv[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
