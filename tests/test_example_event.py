"""The second example event (examples/technical-workshop): two days, breaks, parallel
groups in rooms, a speaker to be confirmed, a table and a footnote, no recommendations.

Checked as its organizer and its Lao reader would: what the agenda says, in both
languages, in the HTML and in the Word files.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from .conftest import REPO, build

EXAMPLE = REPO / "examples" / "technical-workshop"
LANGS = ("en", "lo")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LAO = re.compile(r"[\u0e80-\u0eff]")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example copied as a fresh clone has it (content and catalogs) and built once."""
    root = tmp_path_factory.mktemp("example") / "technical-workshop"
    shutil.copytree(EXAMPLE / "content", root / "content")
    shutil.copytree(EXAMPLE / "locales", root / "locales", ignore=shutil.ignore_patterns("*.mo"))
    build(root)
    return root


def article(root: Path, lang: str, document: str) -> lxml_html.HtmlElement:
    return lxml_html.parse(str(root / "output" / lang / f"{document}.html")).find(".//article")


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def rows(root: Path, lang: str) -> list[lxml_html.HtmlElement]:
    return article(root, lang, "agenda").findall(".//table[@class='agenda']/tbody/tr")


def docx_xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(part))


def test_makes_the_documents_it_has_content_for(example: Path) -> None:
    made = sorted(p.relative_to(example / "output").as_posix() for p in (example / "output").rglob("*.html"))
    people = ("badges", "certificates", "name-plates", "participants", "sign-in")
    assert made == sorted(["en/agenda.html", "en/concept-note.html", "en/outcome.html", "index.html",
                           "interpreters/pack.html", "lo/agenda.html", "lo/concept-note.html", "lo/outcome.html",
                           *(f"{lang}/{doc}.html" for lang in ("en", "lo") for doc in people)])
    assert (example / "output" / "invitation.ics").is_file()
    outcome = text_of(article(example, "en", "outcome"))
    assert "Decisions on the recommendations" not in outcome  # no recommendations, no such section


@pytest.mark.parametrize(("lang", "day1", "day2", "total"), [
    ("en", "Day 1: Tuesday, 15 March 2022", "Day 2: Wednesday, 16 March 2022", "Total: 12 hours"),
    ("lo", "ມື້ທີ 1: ວັນອັງຄານ ທີ 15 ມີນາ 2022", "ມື້ທີ 2: ວັນພຸດ ທີ 16 ມີນາ 2022", "ລວມ: 12 ຊົ່ວໂມງ"),
])
def test_agenda_is_grouped_by_day_with_totals(example: Path, lang: str, day1: str, day2: str, total: str) -> None:
    days = [row for row in rows(example, lang) if "day" in row.get("class", "").split()]
    assert [text_of(day.find(".//strong")) for day in days] == [day1, day2]
    # One line a day (a day without a title of its own): its date, its hours and their total.
    per_day = [text_of(day.findall(".//p")[-1]) for day in days]
    if lang == "en":
        assert per_day == [f"{day1} · 08:30–17:00 · Total: 8 h 30 min", f"{day2} · 08:30–12:00 · Total: 3 h 30 min"]
    else:
        assert per_day == [f"{day1} · 08:30–17:00 · ລວມ: 8 ຊົ່ວໂມງ 30 ນາທີ", f"{day2} · 08:30–12:00 · ລວມ: 3 ຊົ່ວໂມງ 30 ນາທີ"]
    assert any(text_of(p).endswith(total) for p in article(example, lang, "agenda").iter("p"))


@pytest.mark.parametrize(("lang", "names"), [
    ("en", ["Registration", "Coffee break", "Lunch break", "Coffee break", "Coffee break"]),
    ("lo", ["ລົງທະບຽນ", "ພັກດື່ມກາເຟ", "ພັກຮັບປະທານອາຫານທ່ຽງ", "ພັກດື່ມກາເຟ", "ພັກດື່ມກາເຟ"]),
])
def test_breaks_are_shown_as_breaks_with_their_times(example: Path, lang: str, names: list[str]) -> None:
    breaks = [row for row in rows(example, lang) if row.get("class") == "break"]
    assert [text_of(row.findall("td")[1]) for row in breaks] == names
    times = [" ".join(text_of(p) for p in row.find("td").iter("p")) for row in breaks]
    minutes = "min" if lang == "en" else "ນາທີ"
    assert times[:3] == [f"08:30–09:00 (30 {minutes})", f"10:15–10:30 (15 {minutes})", f"12:00–13:30 (90 {minutes})"]
    assert all(row.find(".//li") is None for row in breaks)  # nobody speaks in a break


def test_breaks_and_unconfirmed_parts_are_not_in_the_interpreters_speaker_list(example: Path) -> None:
    pack = lxml_html.parse(str(example / "output" / "interpreters" / "pack.html"))
    speakers = [row.get("id") for row in pack.findall(".//table[@class='speakers']/tbody/tr")]
    assert speakers == ["speaker-khamla", "speaker-berg", "speaker-bounmy", "speaker-vanh"]
    cues = [[text_of(td) for td in row.iter("td")] for row in pack.findall(".//table[@class='run-of-show']/tbody/tr")]
    lunch = next(cue for cue in cues if cue[0] == "2022-03-15 12:00")  # two days: the booth sees the date
    assert (lunch[4], lunch[5]) == ("", "—")  # a break: no speaker, nothing to interpret
    outcome = [text_of(li) for li in article(example, "en", "outcome").find(".//section[@id='participants']").iter("li")]
    assert not any("confirmed" in line for line in outcome)  # a TBC part is not a participant


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", [("13:30–15:30 Room A", "Group 1: Civil registration Facilitator: Vanh Inthavong, Technical Officer, DLA/MOHA"),
            ("13:30–15:30 Room B", "Group 2: Land services Facilitator: To be confirmed (Department of Local Administration (DLA))"),
            ("13:30–15:30 Room C", "Group 3: Business services Facilitator: Mr. Bounmy Sisavath, Deputy Director General, DLA/MOHA")]),
    ("lo", [("13:30–15:30 ຫ້ອງ A", "ກຸ່ມທີ 1: ການຈົດທະບຽນພົນລະເມືອງ ຜູ້ອຳນວຍຄວາມສະດວກ: ວັນ ອິນທະວົງ, ພະນັກງານວິຊາການ, DLA/MOHA"),
            ("13:30–15:30 ຫ້ອງ B", "ກຸ່ມທີ 2: ການບໍລິການດ້ານທີ່ດິນ ຜູ້ອຳນວຍຄວາມສະດວກ: ຈະແຈ້ງໃຫ້ຊາບພາຍຫຼັງ (ກົມປົກຄອງທ້ອງຖິ່ນ (DLA))"),
            ("13:30–15:30 ຫ້ອງ C", "ກຸ່ມທີ 3: ການບໍລິການດ້ານທຸລະກິດ ຜູ້ອຳນວຍຄວາມສະດວກ: ທ່ານ ບຸນມີ ສີສະຫວັດ, ຮອງຫົວໜ້າກົມ, DLA/MOHA")]),
])
def test_parallel_groups_are_rows_with_their_rooms(example: Path, lang: str, expected: list) -> None:
    parallel = [row for row in rows(example, lang) if row.get("class") == "parallel"]
    cells = [[" ".join(text_of(block) for block in td.iter("p", "li")) for td in row.findall("td")] for row in parallel]
    assert [tuple(c) for c in cells] == expected


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "Panelist: To be confirmed (Deputy Director General, Ministry of Finance (MOF))"),
    ("lo", "ຜູ້ຮ່ວມອະພິປາຍ: ຈະແຈ້ງໃຫ້ຊາບພາຍຫຼັງ (ຮອງຫົວໜ້າກົມ, ກະຊວງການເງິນ (MOF))"),
])
def test_speaker_to_be_confirmed_in_both_languages(example: Path, lang: str, line: str) -> None:
    panel = article(example, lang, "agenda").get_element_by_id("item-financing-panel")
    assert line in [text_of(li) for li in panel.iter("li")]


@pytest.mark.parametrize(("lang", "header", "first"), [
    ("en", ["Office", "Participants"], ["Provincial offices of home affairs", "36"]),
    ("lo", ["ຫ້ອງການ", "ຜູ້ເຂົ້າຮ່ວມ"], ["ພະແນກພາຍໃນແຂວງ", "36"]),
])
def test_concept_note_table_in_html_and_word(example: Path, lang: str, header: list, first: list) -> None:
    table = article(example, lang, "concept-note").find(".//table[@class='prose']")
    assert [text_of(th) for th in table.iter("th")] == header
    assert [text_of(td) for td in table.find("tbody/tr").iter("td")] == first
    body = docx_xml(example / "output" / lang / "concept-note.docx")
    word_tables = [["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tbl.iter(f"{W}tc")]
                   for tbl in body.iter(f"{W}tbl")]
    assert [*header, *first] == next(cells[:4] for cells in word_tables if cells[:2] == header)


@pytest.mark.parametrize(("lang", "note"), [
    ("en", "From the 2021 survey of district offices by the Department of Local Administration."),
    ("lo", "ຈາກການສຳຫຼວດຫ້ອງການເມືອງ ປີ 2021 ຂອງກົມປົກຄອງທ້ອງຖິ່ນ."),
])
def test_concept_note_footnote_in_html_and_as_a_word_footnote(example: Path, lang: str, note: str) -> None:
    page = article(example, lang, "concept-note")
    ref = page.find(".//sup[@class='footnote-ref']/a")
    assert (ref.get("href"), ref.text) == ("#fn-1", "1")
    assert text_of(page.get_element_by_id("fn-1")) == note
    assert "[^" not in text_of(page)
    docx = example / "output" / lang / "concept-note.docx"
    refs = [r.get(f"{W}id") for r in docx_xml(docx).iter(f"{W}footnoteReference")]
    assert refs == ["1"]
    notes = {n.get(f"{W}id"): "".join(t.text or "" for t in n.iter(f"{W}t"))
             for n in docx_xml(docx, "word/footnotes.xml").iter(f"{W}footnote")}
    assert " ".join(notes["1"].split()) == note  # (in Lao "ປີ 2021" holds a no-break space: no line parts them)
    assert "[^" not in "".join(t.text or "" for t in docx_xml(docx).iter(f"{W}t"))
    if lang == "lo":  # the Lao note is set in the Lao font, as the body is
        fonts = {f.get(f"{W}cs") for f in docx_xml(docx, "word/footnotes.xml").iter(f"{W}rFonts")}
        assert "Phetsarath OT" in fonts


@pytest.mark.parametrize("document", ["concept-note", "agenda", "outcome"])
def test_lao_documents_are_complete(example: Path, document: str) -> None:
    page = article(example, "lo", document)
    assert page.find_class("needs-translation") == []
    for block in page.iter("p", "li", "h1", "td"):
        text = text_of(block)
        if text and not re.fullmatch(r"[\d:–()·. A-Z/,@a-z-]*", text):
            assert LAO.search(text), f"no Lao in {document}: {text!r}"


def test_the_interpretation_note_is_said_once(example: Path) -> None:
    page = text_of(article(example, "en", "concept-note"))
    assert page.count("Simultaneous interpretation between Lao and English") == 1


@pytest.mark.renderer
def test_word_footnote_and_table_survive_libreoffice(example: Path) -> None:
    """LibreOffice lays out the Lao concept note with its table and its footnote at the foot of the page."""
    import datetime as dt
    import subprocess

    from songphasa.output.pdf import make_pdfs

    from .conftest import require_renderer
    require_renderer("soffice", "pdftotext")
    docx = (example / "output" / "lo" / "concept-note.docx").read_bytes()
    pdf = make_pdfs({"concept-note.docx": docx}, dt.datetime(2022, 3, 15, tzinfo=dt.timezone.utc))["concept-note.pdf"]
    path = example / "concept-note.pdf"
    path.write_bytes(pdf)
    first_page = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-f", "1", "-l", "1", str(path), "-"],
                                capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", first_page)
    assert "ພະແນກພາຍໃນແຂວງ36" in flat  # a table row, its cells side by side
    # The note is the last text of the page, before the page number: at the foot of the page that refers to it.
    assert flat.endswith("1ຈາກການສຳຫຼວດຫ້ອງການເມືອງປີ2021ຂອງກົມປົກຄອງທ້ອງຖິ່ນ.1")


def test_the_pack_names_each_break_in_its_run_of_show_in_both_languages(example: Path) -> None:
    pack = lxml_html.parse(str(example / "output" / "interpreters" / "pack.html"))
    items = [text_of(row.findall("td")[3]) for row in pack.xpath("//table[@class='run-of-show']/tbody/tr")]
    assert items[0] == "Registration / ລົງທະບຽນ"  # not the session it falls in
    assert "Coffee break / ພັກດື່ມກາເຟ" in items and "Lunch break / ພັກຮັບປະທານອາຫານທ່ຽງ" in items



@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("document", ["agenda", "concept-note"])
def test_a_days_heading_row_keeps_with_the_first_row_of_its_day_in_word(example: Path, lang: str,
                                                                          document: str) -> None:
    """Word keeps a table row with the next when its paragraphs keep with the next, and whole with cantSplit."""
    squeeze = lambda text: re.sub(r"\s+", "", text)  # noqa: E731
    html = article(example, lang, document).findall(".//table[@class='agenda']/tbody/tr")
    kinds = {squeeze(tr.text_content()): set(tr.get("class", "").split()) for tr in html}
    body = docx_xml(example / "output" / lang / f"{document}.docx")
    word = {squeeze("".join(t.text or "" for t in tr.iter(f"{W}t"))): tr for tr in body.iter(f"{W}tr")}
    days = [text for text, classes in kinds.items() if "day" in classes]
    sessions = [text for text, classes in kinds.items() if "session" in classes]
    assert len(days) == 2 and len(sessions) == 3  # the two days; the opening session, the working groups, the plenary
    for text in days + sessions:
        tr = word[text]
        assert tr.find(f"{W}trPr/{W}cantSplit") is not None, text
        paragraphs = list(tr.iter(f"{W}p"))
        assert paragraphs and all(p.find(f"{W}pPr/{W}keepNext") is not None for p in paragraphs), text
    # An item's row does not: the page may end after it.
    item = word[next(text for text, classes in kinds.items() if not classes & {"day", "session"})]
    assert all(p.find(f"{W}pPr/{W}keepNext") is None for p in item.iter(f"{W}p"))
