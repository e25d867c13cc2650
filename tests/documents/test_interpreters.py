"""The interpreters' pack: both tracks side by side from the catalog, speakers, run of show."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from songphasa.documents.interpreters import count_words

from ..conftest import build
from ..i18n.helpers import edit
from ..omegat import omegat_project, translate
from ..test_layout import browser  # noqa: F401 — the fixture: headless Chromium, once for this module

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pack(root: Path) -> lxml_html.HtmlElement:
    return lxml_html.parse(str(root / "output" / "interpreters" / "pack.html")).getroot()


def cell_text(element) -> str:
    return " ".join(element.text_content().split())


def blocks(root: Path, lang: str, document: str) -> list[str]:
    """The text of every block of a document that holds text of its own, in order."""
    from songphasa.documents.pages import TEXT_BLOCKS
    article = lxml_html.parse(str(root / "output" / lang / f"{document}.html")).find(".//article")
    return [cell_text(e) for e in article.iter(*TEXT_BLOCKS)
            if not any(d.tag in (*TEXT_BLOCKS, "ul", "ol", "table") for d in e.iterdescendants())]


def side_by_side(root: Path, heading: str) -> list[tuple[str, str]]:
    """The rows of one document's side-by-side table in the pack: (English, Lao)."""
    h2 = next(h for h in pack(root).xpath("//section[@id='side-by-side']/h2") if cell_text(h).startswith(heading))
    table = h2.getnext()
    while table is not None and table.tag != "table":
        if table.tag == "h2":
            return []
        table = table.getnext()
    return [(cell_text(tr[1]), cell_text(tr[2])) for tr in table.xpath("tbody/tr")] if table is not None else []


def test_each_document_is_read_whole_in_order_its_labels_in_place(built: Path) -> None:
    concept = side_by_side(built, "Concept Note and Agenda")
    assert concept[0][0].startswith("Inter-ministerial Policy Workshop on Implementing")
    # Every topic keeps its labels: the fourth as the first (they used to be shown once, for topic 1 only).
    confirmed = [i for i, (en, _) in enumerate(concept) if en.startswith("Confirmed recommendation (after discussion")]
    assert len(confirmed) == 4
    assert concept[confirmed[3] - 1][0].startswith("Recommendation 4.3:")
    assert concept[confirmed[3] + 1] == ("(to be completed after the discussion)", "(ຈະປະກອບພາຍຫຼັງການປຶກສາຫາລື)")
    # Both tracks in document order: the English as the concept note has it.
    english = [text for text in blocks(built, "en", "concept-note") if text]
    assert [en for en, _ in concept if " · " not in en] == [t for t in english if t in {en for en, _ in concept}]
    for lao in pack(built).xpath("//table[@class='side-by-side']/tbody/tr/td[3]"):
        assert lao.get("lang") == "lo"
    # Each document is headed by its own title in both languages.
    assert [cell_text(h) for h in pack(built).xpath("//section[@id='side-by-side']/h2")] == [
        "Concept Note and Agenda / ບົດແນວຄວາມຄິດ ແລະ ວາລະກອງປະຊຸມ", "Agenda / ວາລະກອງປະຊຸມ", "Recommendations / ຂໍ້ສະເໜີແນະ"]


def test_a_document_another_holds_is_not_a_table_of_one_row_but_says_where_its_text_is(built: Path) -> None:
    assert side_by_side(built, "Agenda /") == []
    h2 = next(h for h in pack(built).xpath("//section[@id='side-by-side']/h2") if cell_text(h).startswith("Agenda /"))
    note, lao = h2.getnext(), h2.getnext().getnext()
    assert cell_text(note) == "Its text is that of Concept Note and Agenda above, rows 47–118."
    assert lao.get("lang") == "lo" and cell_text(lao) == (
        "ເນື້ອໃນຂອງເອກະສານນີ້ ແມ່ນຢູ່ໃນ ບົດແນວຄວາມຄິດ ແລະ ວາລະກອງປະຊຸມ ຂ້າງເທິງ, ແຖວທີ 47–118.")
    concept = side_by_side(built, "Concept Note and Agenda")
    assert concept[46][0].startswith("(By invitation)")  # row 47: the agenda's heading (the cover gives its title)
    assert concept[117][0].startswith("H. E. Mr. Thongchanh Manixay")  # row 118: its last speaker


def test_a_tables_heading_row_is_one_row_of_headings_and_each_row_its_cells(built: Path) -> None:
    rows = side_by_side(built, "Recommendations")
    assert ("No.", "ລ/ດ") not in rows and not [en for en, _ in rows if en == "Status"]
    heading = "No. · Proposed recommendation · Status · Confirmed recommendation"
    assert [en for en, _ in rows].count(heading) == 4  # one per topic's table
    assert ("ລ/ດ · ຮ່າງຂໍ້ສະເໜີແນະ · ສະຖານະ · ຂໍ້ສະເໜີແນະທີ່ໄດ້ຮັບຮອງ") in [lo for _, lo in rows]
    columns = pack(built).xpath("//table[@class='side-by-side']/tbody/tr[@class='columns']")
    assert columns and all(tr[1].find("strong") is not None for tr in columns)
    assert next(en for en, _ in rows if en.startswith("1.1 · ")).endswith(" · Proposed · (to be completed after the discussion)")


def test_speaker_list_names_everyone_on_the_agenda_and_nobody_else(built: Path) -> None:
    rows = pack(built).xpath("//table[@class='speakers']/tbody/tr")
    listed = {row.get("id").removeprefix("speaker-") for row in rows}
    assert listed == {"manixay", "sekkenes", "zhu", "alberti", "alam", "niyavong", "shim", "vilaythone"}
    assert "rabinovitch" not in listed and "maharjan" not in listed  # contacts only, not on the agenda
    alam = next(row for row in rows if row.get("id") == "speaker-alam")
    assert "Moderator: Experience-sharing session" in cell_text(alam)
    manixay = next(row for row in rows if row.get("id") == "speaker-manixay")
    assert "Programme Chair" in cell_text(manixay) and "(Lao)" in cell_text(manixay)
    lao_name = manixay.findall("td")[1]
    assert lao_name.get("lang") == "lo"


def test_run_of_show_gives_clock_elapsed_and_interpretation_direction(built: Path) -> None:
    # Item and speaker cells say both languages: the English first, then the Lao.
    rows = [[cell_text(td.find("p")) if td.find("p") is not None else cell_text(td) for td in row.findall("td")]
            for row in pack(built).xpath("//table[@class='run-of-show']/tbody/tr")]
    first = pack(built).xpath("//table[@class='run-of-show']/tbody/tr")[0].findall("td")
    assert cell_text(first[3].findall("p")[1]) == "ຄຳກ່າວເປີດກອງປະຊຸມ" and first[3].findall("p")[1].get("lang") == "lo"
    assert cell_text(first[4].findall("p")[1]) == "ທອງຈັນ ມະນີໄຊ"
    assert rows[0][:2] == ["09:00", "+0"] and rows[0][5] == "Lao: Lao → English"
    closing = [row for row in rows if row[3] == "Closing remarks"]
    assert [row[0] for row in closing] == ["11:40", "11:45", "11:50"]
    assert [row[1] for row in closing] == ["+160", "+165", "+170"]
    assert closing[0][4] == "Sara Sekkenes" and closing[0][5] == "English: English → Lao"


def test_speech_that_does_not_fit_its_slot_is_flagged(project: Path) -> None:
    speeches = project / "content" / "speeches"
    speeches.mkdir()
    (speeches / "roadmap.md").write_text("word " * 1500, encoding="utf-8")  # 15 minutes at 100 wpm
    (speeches / "shim.md").write_text("word " * 500, encoding="utf-8")  # 5 minutes
    edit(project / "content" / "agenda.yaml", "      - id: roadmap\n", "      - id: roadmap\n        speech: content/speeches/roadmap.md\n")
    edit(project / "content" / "agenda.yaml", "      - id: desa-support\n", "      - id: desa-support\n        speech: content/speeches/shim.md\n")
    build(project)
    rows = {row.findall("td")[0].text: row for row in pack(project).xpath("//table[@class='timing']/tbody/tr")}
    assert rows["roadmap"].get("class") == "too-long"
    assert "15.0 min does not fit" in cell_text(rows["roadmap"]) and "10 min" in cell_text(rows["roadmap"])
    assert rows["desa-support"].get("class") == "fits"


def test_lao_speech_words_are_counted_by_segmentation() -> None:
    assert count_words("ກະຊວງພາຍໃນ ຈະຈັດກອງປະຊຸມ") >= 4
    assert count_words("Opening *remarks* by the Minister.") == 5


def test_glossary_exported_as_csv(built: Path) -> None:
    data = (built / "output" / "interpreters" / "glossary.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    odsc = next(r for r in rows if r["abbr_en"] == "ODSC")
    assert odsc["lo"] == "ສູນບໍລິການຜ່ານປະຕູດຽວ" and odsc["en"] == "One-Door-Service Center"
    assert next(r for r in rows if r["en"] == "Zoom")["do_not_translate_lo"] == "yes"


def test_glossary_tbx_is_the_martif_form_translate_toolkit_reads(built: Path) -> None:
    """TBX-Basic v3 (<tbx>) made Translate Toolkit's reader (Weblate's) assert, and OmegaT's schema refused it."""
    from translate.storage.tbx import tbxfile

    data = (built / "output" / "interpreters" / "glossary.tbx").read_bytes()
    root = etree.fromstring(data)
    assert root.tag == "martif" and root.get("type") == "TBX"
    store = tbxfile.parsestring(data)
    terms = {str(unit.source): unit for unit in store.getunits()}
    odsc = terms["One-Door-Service Center"]
    assert odsc.target == "ສູນບໍລິການຜ່ານປະຕູດຽວ" and "never ODCS" in odsc.getnotes()
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    sections = {s.get(lang): [(t.findtext("term"), t.findtext("termNote")) for t in s.iterfind("tig")]
                for s in odsc.xmlelement.iterfind("langSet")}
    assert sections["en"] == [("One-Door-Service Center", "fullForm"), ("ODSC", "abbreviation")]
    assert sections["lo"] == [("ສູນບໍລິການຜ່ານປະຕູດຽວ", "fullForm")]


def test_glossary_csv_for_one_language_pair_has_the_header_weblate_reads(built: Path) -> None:
    """glossary.csv's language-named columns were read by position: source = abbr_en, target = note_en."""
    from translate.storage.csvl10n import csvfile

    store = csvfile.parsefile(str(built / "output" / "interpreters" / "glossary-lo.csv"))
    units = {unit.source: unit for unit in store.getunits()}
    assert units["One-Door-Service Center"].target == "ສູນບໍລິການຜ່ານປະຕູດຽວ"
    assert units["ODSC"].target == "ສູນບໍລິການຜ່ານປະຕູດຽວ"
    assert "never ODCS" in units["ODSC"].getnotes()
    zoom = units["Zoom"]
    assert zoom.target == "Zoom" and "Do not translate." in zoom.getnotes()


GLOSSARY_SCRIPT = """import org.omegat.gui.glossary.GlossaryReaderTBX
def file = new File(org.omegat.core.Core.getProject().getProjectProperties().getGlossaryRoot(), "glossary.tbx")
GlossaryReaderTBX.read(file, false).each { println("TERM\t" + it.getSrcText() + "\t" + it.getLocText()) }
"""


@pytest.mark.renderer
def test_omegat_reads_the_glossary_tbx(built: Path, tmp_path: Path) -> None:
    project = omegat_project(tmp_path / "omegat")
    shutil.copy(built / "output" / "interpreters" / "glossary.tbx", project / "glossary")
    script = tmp_path / "glossary.groovy"
    script.write_text(GLOSSARY_SCRIPT, encoding="utf-8")
    result = translate(project, tmp_path / "config", script)
    terms = [line.split("\t")[1:] for line in result.stdout.splitlines() if line.startswith("TERM\t")]
    assert ["One-Door-Service Center", "ສູນບໍລິການຜ່ານປະຕູດຽວ"] in terms, result.stdout + result.stderr
    assert ["ODSC", "ສູນບໍລິການຜ່ານປະຕູດຽວ"] in terms


def test_pack_docx_is_landscape_and_has_the_lao_text(built: Path) -> None:
    with zipfile.ZipFile(built / "output" / "interpreters" / "pack.docx") as docx:
        document = etree.fromstring(docx.read("word/document.xml"))
    size = document.find(f".//{W}sectPr/{W}pgSz")
    assert size.get(f"{W}orient") == "landscape"
    assert int(size.get(f"{W}w")) > int(size.get(f"{W}h"))
    text = "".join(t.text or "" for t in document.iter(f"{W}t"))
    assert "ສູນບໍລິການຜ່ານປະຕູດຽວ" in text


def test_glossary_csv_cells_never_start_a_formula(project: Path) -> None:
    from songphasa.content.load import load_event
    from songphasa.documents.glossary import glossary_csv
    path = project / "content" / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    notes = ['=HYPERLINK("https://evil.example/","ok")', "+1+1", "-2+3", "@SUM(A1)"]
    extra = "".join(f"\n- en: Term {n}\n  lo: ຄຳ {n}\n  note: '{note}'\n" for n, note in enumerate(notes))
    path.write_text(text + extra, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(glossary_csv(load_event(project)).decode("utf-8-sig"))))
    for column in ("note_en", "note_lo"):  # a note for all languages is in each language's column
        written = [r[column] for r in rows if r["en"].startswith("Term ")]
        assert written == ["'" + note for note in notes]  # shown as typed, never run


def test_every_speaker_has_minutes_and_a_clock_time_of_their_own(built: Path) -> None:
    rows = [[cell_text(td.find("p")) if td.find("p") is not None else cell_text(td) for td in row.findall("td")]
            for row in pack(built).xpath("//table[@class='run-of-show']/tbody/tr")]
    opening = [row[:3] for row in rows if row[3] == "Opening remarks"]
    assert opening == [["09:00", "+0", "≈10"], ["09:10", "+10", "≈10"], ["09:20", "+20", "≈10"]]
    assert all(row[2] for row in rows)


def test_the_pack_says_date_and_time_as_each_language_writes_them_and_labels_both(built: Path) -> None:
    lines = [cell_text(p) for p in pack(built).xpath("//article/p[@class='center']")]
    assert "Tuesday, 23 November 2021, 09:00–12:00 (Lao time)" in lines
    assert "ວັນອັງຄານ ທີ 23 ພະຈິກ 2021, ເວລາ 09:00–12:00 (ເວລາລາວ)" in lines
    headings = [cell_text(h) for h in pack(built).xpath("//section/h1")]
    assert headings[0] == "Run of show / ລຳດັບລາຍການ"
    assert all(" / " in heading for heading in headings), headings
    for span in pack(built).xpath("//section/h1/span"):
        assert span.get("lang") == "lo"


# --- the pack's paper: the document registry's, in Word and in print ---------------------------------

def page_sizes(pdf: Path) -> set[tuple[int, int]]:
    """The size of every page of a PDF, in whole points (width, height)."""
    import subprocess
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return {(round(float(w)), round(float(h))) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)}


def pack_page(root: Path) -> tuple[str, str, str | None]:
    """The pack's page in Word: w:pgSz's width, height and orientation."""
    with zipfile.ZipFile(root / "output" / "interpreters" / "pack.docx") as docx:
        size = etree.fromstring(docx.read("word/document.xml")).find(f".//{W}sectPr/{W}pgSz")
    return size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")


@pytest.fixture(scope="module")
def letter_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with its pack on US Letter, as its documents: entry says (landscape, the pack's own)."""
    from ..conftest import copy_project
    root = copy_project(tmp_path_factory.mktemp("letter-pack") / "event")
    edit(root / "content" / "event.yaml", "\nsettings:\n",
         "\ndocuments: [concept-note, agenda, recommendations, {name: interpreters, paper: Letter}]\n\nsettings:\n")
    build(root)
    return root


def test_the_pack_is_on_the_paper_its_document_entry_names_in_word(letter_pack: Path, built: Path) -> None:
    assert pack_page(letter_pack) == ("15840", "12240", "landscape")
    assert pack_page(built) == ("16838", "11906", "landscape")  # the registry's default: A4 landscape


@pytest.mark.renderer
def test_the_printed_pack_is_on_the_paper_its_document_entry_names(letter_pack: Path, built: Path, browser,
                                                                   tmp_path: Path) -> None:
    """Chromium prints the page as Ctrl-P does: on the paper of the page's @page rule."""
    from ..conftest import require_renderer
    require_renderer("pdfinfo")
    for root, size in ((letter_pack, (792, 612)), (built, (842, 595))):
        pdf = tmp_path / f"{root.parent.name}.pdf"
        pdf.write_bytes(browser.print_to_pdf(browser.open(root / "output" / "interpreters" / "pack.html")))
        assert page_sizes(pdf) == {size}, root


# --- a two-day run of show with parallel groups (the second example) ---------------------------------

@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-day example, its groups' facilitators speaking Lao and its panel's minutes given; built once."""
    from ..conftest import copy_example
    root = copy_example(tmp_path_factory.mktemp("workshop") / "event")
    agenda = root / "content" / "agenda.yaml"
    for person in ("vanh", "bounmy"):
        edit(agenda, f"{{person: {person}, role: facilitator}}", f"{{person: {person}, role: facilitator, language: lo}}")
    edit(agenda, "{person: berg, role: panelist, language: en}", "{person: berg, role: panelist, language: en, minutes: 45}")
    edit(agenda, "position: Deputy Director General, language: lo}", "position: Deputy Director General, language: lo, "
                                                                   "minutes: 45}")
    build(root)
    return root


def run_of_show(root: Path) -> list[list[str]]:
    """Each row of the run of show, each cell's paragraphs joined by " / "."""
    return [[" / ".join(cell_text(p) for p in td.findall("p")) or cell_text(td) for td in row.findall("td")]
            for row in pack(root).xpath("//table[@class='run-of-show']/tbody/tr")]


def test_a_two_day_run_of_show_is_grouped_by_day_with_times_alone(workshop: Path) -> None:
    rows = run_of_show(workshop)
    assert rows[0] == ["Day 1: Tuesday, 15 March 2022 / ມື້ທີ 1: ວັນອັງຄານ ທີ 15 ມີນາ 2022"]
    assert rows[1][:3] == ["08:30", "+0", "30"]
    day_two = rows.index(["Day 2: Wednesday, 16 March 2022 / ມື້ທີ 2: ວັນພຸດ ທີ 16 ມີນາ 2022"])
    assert rows[day_two + 1][:2] == ["08:30", "+0"] and rows[day_two + 1][3].startswith("The groups' draft standards")
    assert "2022-03" not in cell_text(pack(workshop).get_element_by_id("run-of-show"))
    speaker_list = cell_text(pack(workshop).get_element_by_id("speakers"))
    assert "16 March, 08:30 Chair: Plenary" in speaker_list and "2022-03" not in speaker_list


def test_parallel_groups_are_side_by_side_in_time_with_their_names_and_rooms(workshop: Path) -> None:
    groups = [row for row in run_of_show(workshop) if len(row) > 3 and row[3].startswith("Drafting the standards")]
    assert [row[:3] for row in groups] == [["13:30", "+300", "120"]] * 3  # together, each for the whole slot
    assert [row[3].split(" / ")[2:] for row in groups] == [
        ["Group 1: Civil registration", "ກຸ່ມທີ 1: ການຈົດທະບຽນພົນລະເມືອງ", "Room: Room A", "ຫ້ອງ: ຫ້ອງ A"],
        ["Group 2: Land services", "ກຸ່ມທີ 2: ການບໍລິການດ້ານທີ່ດິນ", "Room: Room B", "ຫ້ອງ: ຫ້ອງ B"],
        ["Group 3: Business services", "ກຸ່ມທີ 3: ການບໍລິການດ້ານທຸລະກິດ", "Room: Room C", "ຫ້ອງ: ຫ້ອງ C"]]
    assert [row[4].split(" / ")[0] for row in groups] == ["Vanh Inthavong", "To be confirmed", "Bounmy Sisavath"]
    assert [row[5] for row in groups] == ["Lao: Lao → English", "—", "Lao: Lao → English"]


def test_a_part_to_be_confirmed_keeps_its_floor_language(workshop: Path) -> None:
    panel = [row for row in run_of_show(workshop) if len(row) > 3 and row[3].startswith("Panel: financing")]
    assert [row[:3] for row in panel] == [["10:30", "+120", "45"], ["11:15", "+165", "45"]]
    assert panel[1][4] == ("To be confirmed / ຈະແຈ້ງໃຫ້ຊາບພາຍຫຼັງ / Deputy Director General / ຮອງຫົວໜ້າກົມ / "
                           "Ministry of Finance / ກະຊວງການເງິນ")
    assert panel[1][5] == "Lao: Lao → English"


def test_the_approximate_sign_is_explained_only_when_a_time_is_approximate(workshop: Path, built: Path) -> None:
    legend = "≈: the agenda gives no minutes for this speaker"
    assert not [row for row in run_of_show(workshop) if len(row) > 2 and "≈" in row[2]]
    assert legend not in cell_text(pack(workshop).get_element_by_id("run-of-show"))
    assert legend in cell_text(pack(built).get_element_by_id("run-of-show"))  # the sample's opening remarks share 30 min
