"""Runs: text is cut where its script changes, and each script's run carries its font slot, size and language."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from songphasa import languages
from songphasa.write_docx.markup import Format
from songphasa.write_docx.runs import RunWriter, script_spans, set_script_run, split_by_spans

from . import ODSC, assert_xml, element, en_settings, has_lao, lao_settings, run_text, runs, w, write


def assert_lao_run(run: etree._Element, font: str) -> None:
    rpr = run.find(w("rPr"))
    fonts = rpr.find(w("rFonts"))
    assert (fonts.get(w("ascii")), fonts.get(w("hAnsi")), fonts.get(w("cs"))) == (font,) * 3
    assert rpr.find(w("cs")) is not None
    size, size_cs = rpr.find(w("sz")), rpr.find(w("szCs"))
    assert size is not None and size.get(w("val")) == size_cs.get(w("val"))
    assert rpr.find(w("lang")).get(w("bidi")) == "lo-LA"
    if rpr.find(w("b")) is not None:
        assert rpr.find(w("bCs")) is not None
    if rpr.find(w("i")) is not None:
        assert rpr.find(w("iCs")) is not None


def split_by_script(text: str) -> list[tuple[str, bool]]:
    """Cut a whole paragraph's text where its script changes: (chunk, written in a script other than Latin)."""
    spans = script_spans(text)
    return [(chunk, script is not None) for chunk, script in split_by_spans(text, 0, spans, [e for _, e, _ in spans])]


# --- the complex-script run, element by element -------------------------------------


def test_a_complex_script_run_takes_its_font_size_weight_and_language_in_the_complex_slots() -> None:
    run = element("<w:r><w:t>ສຳຄັນ</w:t></w:r>")
    set_script_run(run, "Phetsarath OT", 22, language="lo", bold=True, italic=True)
    assert_xml(run, """
        <w:r><w:rPr>
          <w:rFonts w:ascii="Phetsarath OT" w:hAnsi="Phetsarath OT" w:cs="Phetsarath OT"/>
          <w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val="22"/><w:szCs w:val="22"/><w:cs/><w:lang w:bidi="lo-LA"/>
        </w:rPr><w:t>ສຳຄັນ</w:t></w:r>""")


def test_a_script_whose_fonts_look_small_is_set_larger() -> None:
    run = element("<w:r/>")
    set_script_run(run, "TH Sarabun New", 20, language="th")
    assert_xml(run, """
        <w:r><w:rPr>
          <w:rFonts w:ascii="TH Sarabun New" w:hAnsi="TH Sarabun New" w:cs="TH Sarabun New"/>
          <w:sz w:val="28"/><w:szCs w:val="28"/><w:cs/><w:lang w:bidi="th-TH"/>
        </w:rPr></w:r>""")


def test_an_east_asian_run_takes_the_east_asian_slot_and_no_complex_marks() -> None:
    run = element("<w:r/>")
    set_script_run(run, "SimSun", 22, language="zh", bold=True)
    assert_xml(run, """
        <w:r><w:rPr>
          <w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="SimSun"/>
          <w:b/><w:sz w:val="22"/><w:lang w:eastAsia="zh-CN"/>
        </w:rPr></w:r>""")


def test_a_theme_font_gives_way_to_the_named_one() -> None:
    run = element('<w:r><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:cstheme="minorBidi"/></w:rPr></w:r>')
    set_script_run(run, "Phetsarath OT", 22, language="lo")
    assert run.find(f"{w('rPr')}/{w('rFonts')}").get(w("cstheme")) is None


def test_equal_formats_share_one_set_of_run_properties_and_latin_text_names_only_a_new_language() -> None:
    writer = RunWriter(en_settings(languages=("en", "lo")), link_style_id=None)
    paragraph = element("<w:p/>")
    writer.run(paragraph, " the ", Format(bold=True, lang="fr"), None, 22)
    writer.run(paragraph, "chair", Format(bold=True, lang="fr"), None, 22)
    writer.run(paragraph, "site", Format(href="https://example.org", lang="en-GB"), None, 22)
    assert_xml(paragraph, """
        <w:p>
          <w:r><w:rPr><w:b/><w:lang w:val="fr"/></w:rPr><w:t xml:space="preserve"> the </w:t></w:r>
          <w:r><w:rPr><w:b/><w:lang w:val="fr"/></w:rPr><w:t>chair</w:t></w:r>
          <w:r><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr><w:t>site</w:t></w:r>
        </w:p>""")
    assert len(writer.made) == 2


# --- where the script changes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ສູນ ບໍລິການ, ກະຊວງ", [("ສູນ ບໍລິການ, ກະຊວງ", True)]),
        ("ODSC ກະຊວງ", [("ODSC ", False), ("ກະຊວງ", True)]),
        # A number after (or before) the text is set in its face and size: a date does not change font.
        ("ກະຊວງ 2025", [("ກະຊວງ 2025", True)]),
        ("ວັນທີ 16 ພະຈິກ 2021 (Asia/Vientiane)", [("ວັນທີ 16 ພະຈິກ 2021", True), (" (Asia/Vientiane)", False)]),
        ("วันอังคาร, 12 กันยายน 2023", [("วันอังคาร, 12 กันยายน 2023", True)]),
        ("18 ແຂວງ", [("18 ແຂວງ", True)]),
        ("UN DESA, ກະຊວງ", [("UN DESA, ", False), ("ກະຊວງ", True)]),
        ("ໃນ 18 ແຂວງ", [("ໃນ 18 ແຂວງ", True)]),
        ("ใน 18 จังหวัด", [("ใน 18 จังหวัด", True)]),
        ("ກະຊວງ\u200bພາຍໃນ", [("ກະຊວງ\u200bພາຍໃນ", True)]),
        ("Opening", [("Opening", False)]),
    ],
)
def test_split_by_script_keeps_punctuation_between_lao_words_lao(
    text: str, expected: list[tuple[str, bool]]
) -> None:
    assert split_by_script(text) == expected


def test_a_piece_of_a_paragraph_is_cut_by_the_paragraphs_spans() -> None:
    text = "ກະຊວງ ODSC ແຂວງ"
    spans = script_spans(text)
    assert spans == [(0, 5, languages.LAO), (11, 15, languages.LAO)]
    # The piece " ODSC ແຂ" starts at 5: its Lao end is the start of the paragraph's second span.
    assert split_by_spans(" ODSC ແຂ", 5, spans, [end for _, end, _ in spans]) == [
        (" ODSC ", None), ("ແຂ", languages.LAO)]


# --- the runs of a document ---------------------------------------------------------


def test_every_lao_run_carries_the_lao_font_size_and_language(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""<h1 class="title">ກອງປະຊຸມ</h1><h2>ພາກທີ 1</h2>
        <p>{ODSC} <strong>ສຳຄັນ</strong> <em>ເນັ້ນ</em></p>
        <ul><li>ຂໍ້ໜຶ່ງ</li></ul>
        <table><tr><th>ເວລາ</th></tr><tr><td>ພິທີເປີດ</td></tr></table>""",
        lao_settings(),
    )
    lao_runs = [r for r in runs(path) if has_lao(run_text(r))]
    assert len(lao_runs) >= 8
    for run in lao_runs:
        assert_lao_run(run, "Phetsarath OT")
    by_text = {run_text(r): r for r in lao_runs}
    assert by_text["ສຳຄັນ"].find(f"{w('rPr')}/{w('bCs')}") is not None
    assert by_text["ເນັ້ນ"].find(f"{w('rPr')}/{w('iCs')}") is not None
    assert by_text["ເວລາ"].find(f"{w('rPr')}/{w('bCs')}") is not None  # header cell
    # The size is the style's: a title is bigger than body text.
    sizes = {t: int(r.find(f"{w('rPr')}/{w('sz')}").get(w("val"))) for t, r in by_text.items()}
    assert sizes["ກອງປະຊຸມ"] > sizes["ສຳຄັນ"]


def test_a_mixed_sentence_splits_into_lao_latin_lao_runs(tmp_path: Path) -> None:
    path = write(tmp_path, f"<p>{ODSC}</p>", lao_settings())
    texts = [run_text(r) for r in runs(path)]
    assert texts == ["ສູນບໍລິການຜ່ານປະຕູດຽວ", " (ODSC) ", "ກະຊວງພາຍໃນ"]
    lao_first, latin, lao_last = runs(path)
    assert_lao_run(lao_first, "Phetsarath OT")
    assert_lao_run(lao_last, "Phetsarath OT")
    assert latin.find(f"{w('rPr')}/{w('cs')}") is None


def test_latin_runs_in_an_english_document_have_no_complex_script_marks(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "<h1>Background</h1><p>The <strong>one-door</strong> service centre.</p>",
        en_settings(),
    )
    for run in runs(path):
        rpr = run.find(w("rPr"))
        if rpr is None:
            continue
        assert rpr.find(w("cs")) is None
        assert rpr.find(w("szCs")) is None
        assert rpr.find(w("bCs")) is None
        lang = rpr.find(w("lang"))
        assert lang is None or lang.get(w("bidi")) is None
        fonts = rpr.find(w("rFonts"))
        assert fonts is None or fonts.get(w("cs")) is None
