"""The DOCX writer: what a person opening the file in Word would check."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from songphasa.project import BUILTIN_TEMPLATES
from songphasa.errors import SongphasaError
from songphasa.reference import STYLES, make_reference
from songphasa.write_docx import (
    RPR_ORDER,
    DocxSettings,
    docx_bytes,
    split_by_script,
    write_docx,
)

REFERENCE = BUILTIN_TEMPLATES / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
ODSC = "ສູນບໍລິການຜ່ານປະຕູດຽວ (ODSC) ກະຊວງພາຍໃນ"
CREATED = datetime.datetime(2025, 3, 4, 8, 30)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def lao_settings(**changes: object) -> DocxSettings:
    return DocxSettings(language="lo", title="ກອງປະຊຸມ", author="MoHA", created=CREATED, **changes)


def en_settings(**changes: object) -> DocxSettings:
    return DocxSettings(language="en", title="Workshop", author="MoHA", created=CREATED, **changes)


def write(tmp_path: Path, body: str, settings: DocxSettings, name: str = "doc.docx") -> Path:
    lang = settings.language
    article = lxml.html.fromstring(f'<article lang="{lang}">{body}</article>')
    path = tmp_path / name
    write_docx(article, path, reference=REFERENCE, settings=settings)
    return path


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def body(path: Path) -> etree._Element:
    return part(path, "word/document.xml").find(w("body"))


def style_names(path: Path) -> dict[str, str]:
    styles = part(path, "word/styles.xml")
    return {
        style.get(w("styleId")): style.find(w("name")).get(w("val"))
        for style in styles.iter(w("style"))
    }


def paragraph_styles(path: Path) -> list[str]:
    names = style_names(path)
    found = []
    for paragraph in body(path).iter(w("p")):
        ids = paragraph.xpath("./w:pPr/w:pStyle/@w:val", namespaces=NS)
        found.append(names[ids[0]] if ids else "Normal")
    return found


def run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(w("t")))


def runs(path: Path) -> list[etree._Element]:
    return [r for r in body(path).iter(w("r")) if run_text(r)]


def has_lao(text: str) -> bool:
    return any("\u0e80" <= char <= "\u0eff" for char in text)


def paragraph_texts(path: Path) -> list[str]:
    return ["".join(run_text(r) for r in p.iter(w("r"))) for p in body(path).iter(w("p"))]


# --- structure -----------------------------------------------------------------


def test_elements_map_to_the_reference_styles(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        <h1 class="title">Workshop</h1>
        <p class="subtitle">Concept note</p>
        <h1>I. Background</h1><h2>Aims</h2><h3>Detail</h3>
        <p>Body text.</p>
        <ol><li>first<ol><li>nested</li></ol></li></ol>
        <ul><li>point<ul><li>sub-point</li></ul></li></ul>
        <table><tr><td>cell</td></tr></table>
        """,
        en_settings(),
    )
    assert paragraph_styles(path) == [
        "Title", "Subtitle", "heading 1", "heading 2", "heading 3", "Normal",
        "List Number", "List Number 2", "List Bullet", "List Bullet 2", "Normal",
    ]  # fmt: skip
    names = style_names(path)
    table_style = body(path).find(f"{w('tbl')}/{w('tblPr')}/{w('tblStyle')}").get(w("val"))
    assert names[table_style] == "Songphasa Table"


def test_whitespace_collapses_as_in_a_browser(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "<p>\n    Opening\n      <strong> remarks </strong>\n    by the\tchair\n  </p>",
        en_settings(),
    )
    assert paragraph_texts(path) == ["Opening remarks by the chair"]


def test_screen_only_and_hidden_elements_are_left_out(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '<p>kept <span class="screen-only">(print me)</span>here</p>'
        '<nav class="screen-only"><p>menu</p></nav><p hidden>secret</p>',
        en_settings(),
    )
    assert paragraph_texts(path) == ["kept here"]


def test_alignment_and_page_break_classes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '<p class="center">c</p><p class="right">r</p>'
        '<section class="page-break-before"><h1>Annex</h1></section>',
        en_settings(),
    )
    paragraphs = list(body(path).iter(w("p")))
    assert paragraphs[0].xpath("./w:pPr/w:jc/@w:val", namespaces=NS) == ["center"]
    assert paragraphs[1].xpath("./w:pPr/w:jc/@w:val", namespaces=NS) == ["right"]
    assert paragraphs[2].find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None


def test_line_break_becomes_a_word_break(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>first line <br>\n second line</p>", en_settings())
    paragraph = body(path).find(w("p"))
    assert len(paragraph.findall(f".//{w('br')}")) == 1
    assert [run_text(r) for r in runs(path)] == ["first line", "second line"]


def test_each_ordered_list_starts_again_at_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "<ol><li>a</li><li>b</li></ol><p>between</p><ol><li>c</li></ol>",
        en_settings(),
    )
    num_ids = body(path).xpath(".//w:numPr/w:numId/@w:val", namespaces=NS)
    assert len(num_ids) == 3
    assert num_ids[0] == num_ids[1] != num_ids[2]
    numbering = part(path, "word/numbering.xml")
    abstract_ids = set()
    for num_id in {num_ids[0], num_ids[2]}:
        (num,) = numbering.xpath(f'./w:num[@w:numId="{num_id}"]', namespaces=NS)
        start = num.xpath("./w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val", namespaces=NS)
        assert start == ["1"]
        abstract_ids.add(num.find(w("abstractNumId")).get(w("val")))
    assert len(abstract_ids) == 1  # both follow the List Number style's definition


def test_table_header_rows_repeat_and_rows_do_not_split(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """<table data-widths="20,80">
        <thead><tr><th>Time</th><th>Agenda</th></tr></thead>
        <tbody><tr><td>09:00</td><td>Opening</td></tr></tbody></table>""",
        en_settings(),
    )
    rows = body(path).findall(f"{w('tbl')}/{w('tr')}")
    assert [r.find(f"{w('trPr')}/{w('tblHeader')}") is not None for r in rows] == [True, False]
    assert all(r.find(f"{w('trPr')}/{w('cantSplit')}") is not None for r in rows)
    header_runs = rows[0].findall(f".//{w('r')}")
    assert all(r.find(f"{w('rPr')}/{w('b')}") is not None for r in header_runs)
    widths = [int(x) for x in body(path).xpath(".//w:gridCol/@w:w", namespaces=NS)]
    assert widths[1] == pytest.approx(4 * widths[0], abs=2)


def test_colspan_merges_cells_and_blocks_fill_the_cell(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """<table><tr><th>Time</th><th>Agenda</th></tr>
        <tr><td colspan="2"><p><strong>Session 1</strong></p><p>Moderator: Ms A</p></td></tr>
        <tr><td>09:00</td><td><ul><li>Opening</li><li>Welcome</li></ul></td></tr></table>""",
        en_settings(),
    )
    rows = body(path).findall(f"{w('tbl')}/{w('tr')}")
    merged = rows[1].findall(w("tc"))
    assert len(merged) == 1
    assert merged[0].xpath("./w:tcPr/w:gridSpan/@w:val", namespaces=NS) == ["2"]
    cell_texts = ["".join(run_text(r) for r in p.iter(w("r"))) for p in merged[0].iter(w("p"))]
    assert cell_texts == ["Session 1", "Moderator: Ms A"]  # no empty paragraph first
    list_cell = rows[2].findall(w("tc"))[1]
    styles = list_cell.xpath("./w:p/w:pPr/w:pStyle/@w:val", namespaces=NS)
    assert styles == ["ListBullet", "ListBullet"]


def test_rowspan_merges_cells_downwards(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '<table><tr><td rowspan="2">Morning</td><td>a</td></tr><tr><td>b</td></tr></table>',
        en_settings(),
    )
    rows = body(path).findall(f"{w('tbl')}/{w('tr')}")
    first, second = (r.find(w("tc")) for r in rows)
    assert first.xpath("./w:tcPr/w:vMerge/@w:val", namespaces=NS) == ["restart"]
    assert second.find(f"{w('tcPr')}/{w('vMerge')}") is not None
    assert [run_text(r) for r in runs(path)] == ["Morning", "a", "b"]


def test_hyperlink_points_at_its_address(tmp_path: Path) -> None:
    path = write(
        tmp_path, '<p>See <a href="https://moha.gov.la/odsc">the ODSC page</a>.</p>', en_settings()
    )
    (link,) = body(path).iter(w("hyperlink"))
    assert run_text(link) == "the ODSC page"
    r_id = link.get("{%s}id" % NS["r"])
    rels = part(path, "word/_rels/document.xml.rels")
    (rel,) = rels.xpath(f'./rel:Relationship[@Id="{r_id}"]', namespaces=NS)
    assert rel.get("Target") == "https://moha.gov.la/odsc"
    assert rel.get("TargetMode") == "External"
    assert link.xpath(".//w:rStyle/@w:val", namespaces=NS) == ["Hyperlink"]


def test_untranslated_text_is_highlighted_and_differences_are_tracked_changes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '<p>ກອງປະຊຸມ <span class="needs-translation" lang="en">Opening remarks</span>'
        " <del>old</del> <ins>new</ins></p>",
        lao_settings(),
    )
    by_text = {run_text(r): r for r in runs(path)}
    assert by_text["Opening remarks"].xpath("./w:rPr/w:highlight/@w:val", namespaces=NS) == [
        "yellow"
    ]
    # <del>/<ins> are tracked changes, not formatting: "Accept all" leaves plain text.
    (deleted,) = body(path).iter(w("del"))
    assert deleted.xpath("./w:r/w:delText/text()", namespaces=NS) == ["old"]
    assert deleted.find(f"{w('r')}/{w('rPr')}/{w('strike')}") is None
    assert by_text["new"].getparent().tag == w("ins")
    assert by_text["new"].find(f"{w('rPr')}/{w('u')}") is None


# --- Lao typography -----------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ສູນ ບໍລິການ, ກະຊວງ", [("ສູນ ບໍລິການ, ກະຊວງ", True)]),
        ("ODSC ກະຊວງ", [("ODSC ", False), ("ກະຊວງ", True)]),
        ("ກະຊວງ 2025", [("ກະຊວງ", True), (" 2025", False)]),
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


@pytest.mark.parametrize("font", ["Noto Sans Lao", "Saysettha OT", "Noto Serif Lao"])
def test_the_lao_font_is_configurable(tmp_path: Path, font: str) -> None:
    path = write(tmp_path, f"<p>{ODSC}</p>", lao_settings(lao_font=font))
    for run in runs(path):
        if has_lao(run_text(run)):
            assert_lao_run(run, font)
    defaults = part(path, "word/styles.xml").find(f".//{w('rPrDefault')}/{w('rPr')}")
    assert defaults.find(w("rFonts")).get(w("cs")) == font
    assert "Phetsarath OT" not in etree.tostring(part(path, "word/styles.xml")).decode()


def test_run_properties_follow_the_schema_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f'<p><a href="https://example.org"><strong><em>{ODSC}</em></strong></a>'
        f' <span class="needs-translation"><del>ເກົ່າ</del></span></p>',
        lao_settings(),
    )
    for rpr in body(path).iter(w("rPr")):
        tags = [f"w:{etree.QName(child).localname}" for child in rpr]
        positions = [RPR_ORDER.index(tag) for tag in tags]
        assert positions == sorted(positions), tags


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


# --- page and metadata ------------------------------------------------------------


@pytest.mark.parametrize(
    ("landscape", "size"),
    [(False, ("11906", "16838", None)), (True, ("16838", "11906", "landscape"))],
)
def test_page_is_a4(tmp_path: Path, landscape: bool, size: tuple[str, str, str | None]) -> None:
    path = write(tmp_path, "<p>x</p>", en_settings(landscape=landscape))
    page = body(path).find(f"{w('sectPr')}/{w('pgSz')}")
    assert (page.get(w("w")), page.get(w("h")), page.get(w("orient"))) == size


def test_footer_numbers_the_pages(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>x</p>", en_settings())
    (reference,) = body(path).xpath("./w:sectPr/w:footerReference", namespaces=NS)
    rels = part(path, "word/_rels/document.xml.rels")
    target = rels.xpath(
        f'./rel:Relationship[@Id="{reference.get("{%s}id" % NS["r"])}"]/@Target', namespaces=NS
    )[0]
    footer = part(path, f"word/{target}")
    assert footer.xpath(".//w:fldSimple/@w:instr", namespaces=NS) == [" PAGE "]
    assert footer.xpath(".//w:jc/@w:val", namespaces=NS) == ["center"]


def test_core_properties_come_from_the_settings(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>x</p>", lao_settings(subject="Concept note"))
    core = part(path, "docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS) == "ກອງປະຊຸມ"
    assert core.findtext("dc:subject", namespaces=NS) == "Concept note"
    assert core.findtext("dc:creator", namespaces=NS) == "MoHA"
    assert core.findtext("cp:lastModifiedBy", namespaces=NS) == "MoHA"
    assert core.findtext("dc:language", namespaces=NS) == "lo-LA"
    assert core.findtext("dcterms:created", namespaces=NS) == "2025-03-04T08:30:00Z"
    assert core.findtext("dcterms:modified", namespaces=NS) == "2025-03-04T08:30:00Z"
    assert core.findtext("cp:revision", namespaces=NS) == "1"


def test_without_a_date_the_metadata_uses_a_fixed_one(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>x</p>", DocxSettings(language="en"))
    core = part(path, "docProps/core.xml")
    assert core.findtext("dcterms:created", namespaces=NS) == "2000-01-01T00:00:00Z"
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- reproducible bytes -----------------------------------------------------------


def test_the_same_input_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    html = (
        f'<h1>ກອງປະຊຸມ</h1><p>{ODSC} <a href="https://example.org">link</a></p>'
        "<ol><li>a</li></ol>"
    )
    first = write(tmp_path, html, lao_settings(), "first.docx")
    second = write(tmp_path, html, lao_settings(), "second.docx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2025, 3, 4, 8, 30, 0)}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_source_date_epoch_sets_the_zip_timestamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = write(tmp_path, "<p>x</p>", en_settings(), "plain.docx")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    stamped = write(tmp_path, "<p>x</p>", en_settings(), "stamped.docx")
    assert plain.read_bytes() != stamped.read_bytes()
    with zipfile.ZipFile(stamped) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_docx_bytes_matches_the_written_file(tmp_path: Path) -> None:
    article = lxml.html.fromstring('<article lang="en"><p>x</p></article>')
    path = tmp_path / "out" / "doc.docx"
    write_docx(article, path, reference=REFERENCE, settings=en_settings())
    assert path.read_bytes() == docx_bytes(article, reference=REFERENCE, settings=en_settings())
    assert [p.name for p in path.parent.iterdir()] == ["doc.docx"]  # no temp file left


def test_a_missing_reference_is_reported_with_a_fix(tmp_path: Path) -> None:
    article = lxml.html.fromstring("<article><p>x</p></article>")
    with pytest.raises(SongphasaError, match="python -m songphasa.reference"):
        docx_bytes(article, reference=tmp_path / "nope.docx", settings=en_settings())


def test_data_widths_must_match_the_columns(tmp_path: Path) -> None:
    with pytest.raises(SongphasaError, match="data-widths"):
        html = '<table data-widths="100"><tr><td>a</td><td>b</td></tr></table>'
        write(tmp_path, html, en_settings())


# --- the reference document ---------------------------------------------------------


def test_the_committed_reference_has_the_styles_and_page_make_reference_sets(tmp_path: Path) -> None:
    """Compare what Songphasa decides (styles, page), not bytes python-docx happens to produce."""
    rebuilt = tmp_path / "reference.docx"
    make_reference(rebuilt)

    def parts(path: Path) -> tuple[dict[str, bytes], bytes]:
        with zipfile.ZipFile(path) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"))
            document = etree.fromstring(archive.read("word/document.xml"))
        ours = {s.get(w("styleId")): etree.tostring(s, method="c14n") for s in styles.iter(w("style"))
                if s.get(w("styleId")) in STYLES}
        (section,) = document.iter(w("sectPr"))
        page = b"".join(etree.tostring(section.find(w(tag)), method="c14n") for tag in ("pgSz", "pgMar"))
        return ours, page

    new_styles, new_page = parts(rebuilt)
    committed_styles, committed_page = parts(REFERENCE)
    assert set(committed_styles) == set(STYLES)
    for style_id in STYLES:
        assert committed_styles[style_id] == new_styles[style_id], (
            f"style {style_id} differs: run `python -m songphasa.reference songphasa/templates/reference.docx`")
    assert committed_page == new_page


def test_a_kept_paragraph_that_cites_a_footnote_again_takes_the_number_it_has_now() -> None:
    """In `watch`, a paragraph citing a note cited before is written anew: a new note above renumbers it."""
    from songphasa import write_docx as module

    def ref(name: str) -> str:
        return f'<sup class="footnote-ref"><a href="#fn-{name}">1</a></sup>'

    notes = '<section class="footnotes"><ol><li id="fn-x">Note x.</li><li id="fn-y">Note y.</li></ol></section>'
    before = f"<p>First{ref('x')}</p><p>Again{ref('x')}</p>{notes}"
    after = f"<p>New{ref('y')}</p><p>First{ref('x')}</p><p>Again{ref('x')}</p>{notes}"

    def made(body: str) -> bytes:
        return docx_bytes(lxml.html.fromstring(f'<article lang="en">{body}</article>'), reference=REFERENCE,
                          settings=en_settings())
    fresh = made(after)
    module.remember_blocks()
    try:
        made(before)
        remembered = made(after)
    finally:
        module.remember_blocks(False)
    assert remembered == fresh
    with zipfile.ZipFile(io.BytesIO(remembered)) as archive:
        ids = [r.get(w("id")) for r in etree.fromstring(archive.read("word/document.xml")).iter(w("footnoteReference"))]
    assert ids == ["1", "2", "2"]
