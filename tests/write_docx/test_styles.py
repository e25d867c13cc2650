"""The reference's styles: found by name, their sizes, and the event's fonts stated in them."""

from __future__ import annotations

from pathlib import Path

import pytest

from songphasa.errors import SongphasaError
from songphasa.write_docx.settings import DocxSettings
from songphasa.write_docx.styles import StyleSheet, StyleTable, internal_style_name, set_document_fonts

from . import NS, assert_xml, element, en_settings, lao_settings, part, w, write


@pytest.mark.parametrize("settings", [lao_settings(), en_settings()], ids=["lo", "en"])
def test_defaults_and_styles_say_lao_for_text_typed_later(
    tmp_path: Path, settings: DocxSettings
) -> None:
    path = write(tmp_path, "<p>x</p>", settings)
    latin = "Times New Roman"
    styles = part(path, "word/styles.xml")
    defaults = styles.find(f".//{w('rPrDefault')}/{w('rPr')}")
    fonts = defaults.find(w("rFonts"))
    assert (fonts.get(w("ascii")), fonts.get(w("hAnsi")), fonts.get(w("cs"))) == (
        latin,
        latin,
        "Phetsarath OT",
    )
    assert defaults.find(w("lang")).get(w("val")) == "en-US"
    assert defaults.find(w("lang")).get(w("bidi")) == "lo-LA"
    names = {s.find(w("name")).get(w("val")): s for s in styles.iter(w("style"))}
    for name in ("Normal", "Title", "Subtitle", "heading 1", "heading 2", "heading 3",
                 "List Bullet", "List Number", "Songphasa Table"):  # fmt: skip
        style_fonts = names[name].find(f"{w('rPr')}/{w('rFonts')}")
        assert style_fonts.get(w("cs")) == "Phetsarath OT", name
        assert style_fonts.get(w("cstheme")) is None, name
    assert styles.xpath("//@w:asciiTheme | //@w:cstheme", namespaces=NS) == []


def test_the_document_defaults_name_the_fonts_and_languages_of_a_thai_event() -> None:
    styles = element('<w:styles><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
                     '<w:tblPr/></w:style></w:styles>')
    set_document_fonts(styles, DocxSettings(language="th", languages=("en", "th"), latin_font="Arial"))
    assert_xml(styles, """
        <w:styles>
          <w:docDefaults><w:rPrDefault><w:rPr>
            <w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="TH Sarabun New"/>
            <w:lang w:val="en-US" w:bidi="th-TH"/>
          </w:rPr></w:rPrDefault></w:docDefaults>
          <w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>
            <w:rPr>
              <w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="TH Sarabun New"/>
              <w:lang w:val="en-US" w:bidi="th-TH"/>
            </w:rPr>
            <w:tblPr/>
          </w:style>
        </w:styles>""")


def test_a_style_is_found_by_the_name_word_shows_and_its_size_by_what_it_is_based_on() -> None:
    table = StyleTable.read(element("""
        <w:styles>
          <w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>
          <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
          <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
            <w:rPr><w:sz w:val="28"/></w:rPr></w:style>
          <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/>
          </w:style>
        </w:styles>"""))
    sheet = StyleSheet(table, Path("templates/reference.docx"))
    assert internal_style_name("Heading 2") == "heading 2"
    assert (sheet.style_id("Heading 2"), sheet.style_id("Normal")) == ("Heading2", None)  # Normal is the default
    assert (sheet.style_size("Heading 2"), sheet.style_size("Normal")) == (28, 22)
    with pytest.raises(SongphasaError, match="templates/reference.docx: the reference document has no style "
                                             "'Caption' — regenerate it with `python tools/reference.py`"):
        sheet.style("Caption")
