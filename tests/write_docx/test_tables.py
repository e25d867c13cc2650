"""Tables: header rows, merged cells, column widths, and which rows may split across pages."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from songphasa.errors import SongphasaError
from songphasa.write_docx.tables import add_cell, estimated_height, leaf_texts, place_cells, set_table_look, table_rows

from . import NS, assert_xml, body, element, en_settings, lao_settings, run_text, runs, w, write


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


def test_data_widths_must_match_the_columns(tmp_path: Path) -> None:
    with pytest.raises(SongphasaError, match="data-widths"):
        html = '<table data-widths="100"><tr><td>a</td><td>b</td></tr></table>'
        write(tmp_path, html, en_settings())


def test_a_row_kept_with_the_next_keeps_each_of_its_paragraphs_with_the_next(tmp_path: Path) -> None:
    path = write(tmp_path, '<table><tr class="keep-with-next"><td>Day 1</td></tr><tr><td>a</td></tr></table>',
                 en_settings())
    first, second = body(path).findall(f"{w('tbl')}/{w('tr')}")
    assert first.xpath(".//w:p/w:pPr/w:keepNext", namespaces=NS) != []
    assert second.xpath(".//w:keepNext", namespaces=NS) == []


def test_a_row_taller_than_a_third_of_the_page_may_split(tmp_path: Path) -> None:
    long = " ".join(["ກອງປະຊຸມ ປຶກສາຫາລື ກ່ຽວກັບ ການບໍລິການ"] * 120)
    path = write(tmp_path, f"<table><tr><td>short</td></tr><tr><td>{long}</td></tr></table>", lao_settings())
    short, tall = body(path).findall(f"{w('tbl')}/{w('tr')}")
    assert short.find(f"{w('trPr')}/{w('cantSplit')}") is not None
    assert tall.find(f"{w('trPr')}/{w('cantSplit')}") is None


PIECE = "<div class='piece'><p>{}</p></div>"


def cut_table(pieces: list[str], *, first: str = "<tr><td>08:00</td><td>Opening</td></tr>", keep: str = "") -> str:
    """An agenda table whose second item is in pieces, its time cell saying what its later rows show."""
    return (f"<table data-widths='20,80'><thead><tr><th>Time</th><th>Agenda</th></tr></thead><tbody>{first}"
            f"<tr{keep}><td data-continued='(continued)'><p>10:30–11:30</p><p>(60 min)</p></td>"
            f"<td>{''.join(PIECE.format(piece) for piece in pieces)}</td></tr>"
            "<tr><td>11:30</td><td>Closing</td></tr></tbody></table>")


def row_texts(path: Path) -> list[list[str]]:
    return [["".join(tc.itertext()) for tc in tr.findall(w("tc"))] for tr in body(path).findall(f"{w('tbl')}/{w('tr')}")]


def test_a_long_row_in_pieces_is_cut_into_rows_that_each_show_its_time_or_that_it_continues(tmp_path: Path) -> None:
    topic = " ".join(["Recommendation: resolved that measures will be taken to raise awareness."] * 12)
    path = write(tmp_path, cut_table(["Decision-making session", f"Topic 1 {topic}", f"Topic 2 {topic}"]),
                 en_settings())
    assert row_texts(path)[2:5] == [["10:30–11:30(60 min)", "Decision-making session"],
                                    ["(continued)", f"Topic 1 {topic}"], ["(continued)", f"Topic 2 {topic}"]]
    rows = body(path).findall(f"{w('tbl')}/{w('tr')}")
    assert all(row.find(f"{w('trPr')}/{w('cantSplit')}") is not None for row in rows)  # each piece stays whole
    label = rows[3].find(f"{w('tc')}/{w('p')}/{w('r')}")
    assert label.find(f"{w('rPr')}/{w('i')}") is not None  # the label is set in italics


def test_a_row_in_pieces_that_fits_is_one_row(tmp_path: Path) -> None:
    path = write(tmp_path, cut_table(["Decision-making session", "Topic 1", "Topic 2"]), en_settings())
    assert row_texts(path)[2] == ["10:30–11:30(60 min)", "Decision-making sessionTopic 1Topic 2"]
    assert len(row_texts(path)) == 4


def test_the_first_row_under_the_header_is_cut_sooner_so_the_table_can_start_low_on_a_page(tmp_path: Path) -> None:
    # Longer than a sixth of a page, shorter than a third: first, it is cut; later in the table, it is not.
    speakers = "".join(f"<li>Speaker {n}, Director of the Department of Public Administration</li>" for n in range(9))
    pieced = cut_table(["Opening session", f"<ul>{speakers}</ul>"]).replace("<p><ul>", "<ul>").replace("</ul></p>", "</ul>")
    first = write(tmp_path, pieced.replace("<tr><td>08:00</td><td>Opening</td></tr>", ""), en_settings())
    assert [cells[0] for cells in row_texts(first)[1:3]] == ["10:30–11:30(60 min)", "(continued)"]
    later = write(tmp_path, pieced, en_settings())
    assert len(row_texts(later)) == 4


def test_a_cut_item_kept_with_the_next_row_keeps_only_its_last_piece_with_it(tmp_path: Path) -> None:
    topic = " ".join(["Recommendation: resolved that measures will be taken to raise awareness."] * 12)
    path = write(tmp_path, cut_table(["Session", f"Topic 1 {topic}", f"Topic 2 {topic}"], keep=' class="keep-with-next"'),
                 en_settings())
    rows = body(path).findall(f"{w('tbl')}/{w('tr')}")[2:5]
    assert [row.xpath(".//w:keepNext", namespaces=NS) != [] for row in rows] == [False, False, True]


# --- one element at a time --------------------------------------------------------------


def test_cells_are_laid_on_the_grid_as_a_browser_lays_them() -> None:
    table = lxml.html.fromstring(
        '<table><tr><td rowspan="2">a</td><td colspan="2">b</td></tr><tr><td>c</td><td>d</td></tr></table>')
    placements, columns = place_cells(list(table_rows(table)))
    assert [(row, column, rowspan, colspan, cell.text) for row, column, rowspan, colspan, cell in placements] == [
        (0, 0, 2, 1, "a"), (0, 1, 1, 2, "b"), (1, 1, 1, 1, "c"), (1, 2, 1, 1, "d")]
    assert columns == 3


def test_a_cell_holds_its_width_span_and_the_paragraph_word_needs() -> None:
    row = element("<w:tr/>")
    add_cell(row, 2400, 2)
    assert_xml(row, """
        <w:tr><w:tc>
          <w:tcPr><w:tcW w:type="dxa" w:w="2400"/><w:gridSpan w:val="2"/></w:tcPr><w:p/>
        </w:tc></w:tr>""")


@pytest.mark.parametrize(("first_row", "value"), [(True, "0620"), (False, "0600")])
def test_the_table_look_shades_the_first_row_only_when_it_is_a_header(first_row: bool, value: str) -> None:
    look = element("<w:tblLook/>")
    set_table_look(look, first_row=first_row)
    assert_xml(look, f"""
        <w:tblLook w:val="{value}" w:firstRow="{int(first_row)}" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"
                   w:noHBand="1" w:noVBand="1"/>""")


def test_text_mostly_in_a_complex_script_is_estimated_taller_than_latin_text_of_its_length() -> None:
    cell = lxml.html.fromstring("<td><p>ກອງປະຊຸມ ປຶກສາຫາລື</p><ul><li>first</li></ul></td>")
    texts = leaf_texts(cell)
    assert texts == ["ກອງປະຊຸມ ປຶກສາຫາລື", "first"]
    lao, latin = "ກ" * 400, "a" * 400
    assert estimated_height([lao], 4000, 11) > estimated_height([latin], 4000, 11)
    assert estimated_height([lao], 4000, 11, bound=True) >= estimated_height([lao], 4000, 11)
