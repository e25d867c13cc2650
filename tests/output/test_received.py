"""What a ministry receives, read without LibreOffice: the letter's facts, the PDF's text, the Lao a reviser signs.

The PDFs themselves (one page per letter, the fonts) are checked in test_distribution.py,
where the packs are made once with LibreOffice.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from lxml import html as lxml_html

from songphasa import write_html
from songphasa.content.load import load_event
from songphasa.diff import accepted
from songphasa.output.distribution import after_the_decision
from songphasa.output.plan import CHANGES_MARKED, print_docx, print_font
from songphasa.write_docx.writer import docx_bytes

from ..conftest import REPO, copy_example, copy_project
from ..i18n.helpers import run

RECIPIENTS = Path("content/recipients.yaml")
SAMPLE_PO = REPO / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
SHIPPED_PO = REPO / "songphasa" / "locales" / "lo.po"
EXAMPLE_PO = REPO / "examples" / "technical-workshop" / "locales" / "lo" / "LC_MESSAGES" / "messages.po"


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as docx:
        return docx.read("word/document.xml").decode("utf-8")


# --- check says what a letter lacks ---------------------------------------------------------------

def test_check_warns_what_the_sample_letter_lacks_for_a_reply(project: Path) -> None:
    result = run(project, "check")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    for said in ("warning: the letter's reference number is blank ('………/MOHA')",
                 "warning: the reply contact 'maharjan' is not of the organizer ('moha')",
                 "warning: the letter gives no telephone number to reply to",
                 "warning: the workshop is held via Zoom but the letter gives no link to join",
                 "warning: the citation 'ອີງຕາມ ລັດຖະດຳລັດຂອງປະທານປະເທດ ເລກທີ 02;' is incomplete: "
                 "it has no subject, no date and no issuer's code in its number '02'"):
        assert said in out, said
    assert re.search(r"content/recipients\.yaml:\d+: warning: the letter gives no telephone", out)


def test_a_letter_with_its_facts_gets_no_warning(project: Path) -> None:
    path = project / RECIPIENTS
    text = path.read_text(encoding="utf-8")
    text = text.replace('reference: "………/MOHA"', 'reference: "0421/MOHA"')
    text = text.replace("    person: maharjan\n    # telephone: \"+856 21 …\"",
                        "    person: manixay\n    telephone: \"+856 21 212 000\"")
    text = text.replace("  # meeting_link: https://…", "  meeting_link: https://zoom.example/j/1")
    cited = '        number: "02"\n        # subject: …           # the words after ວ່າດ້ວຍ\n' \
            "        # date: 20..-..-..     # the day it was signed\n"
    assert cited in text
    text = text.replace(cited, '        number: "02/ປປທ"\n        subject: ການບໍລິການ\n        date: 2021-01-01\n')
    path.write_text(text, encoding="utf-8")
    people = project / "content" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "- id: manixay\n", "- id: manixay\n  organization: moha\n  email: minister@moha.example\n", 1), encoding="utf-8")
    out = run(project, "check")
    warned = [line for line in (out.stdout + out.stderr).splitlines() if "recipients.yaml" in line and "warning" in line]
    assert warned == []


def test_check_names_a_letter_placeholder_it_cannot_fill(project: Path) -> None:
    path = project / RECIPIENTS
    path.write_text(path.read_text(encoding="utf-8").replace("{technical_date}", "{technical_day}"), encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert re.search(r"content/recipients\.yaml:\d+: unknown placeholder '\{technical_day\}' — use one of: .*"
                     r"\{technical_date\}", result.stderr)


def test_distribute_after_a_decision_warns_that_the_letter_sends_them_to_be_discussed(project: Path) -> None:
    assert after_the_decision(load_event(project), load_event(project).recipient_list()) == []
    path = project / "content" / "recommendations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: proposed", "status: accepted", 1),
                    encoding="utf-8")
    content = load_event(project)
    [warning] = after_the_decision(content, content.recipient_list())
    assert str(warning) == (
        "content/recommendations.yaml: warning: recommendation 1.1 already has a decision recorded: the packs "
        "enclose the recommendations as decided, with the letter of 2021-11-16 that sends them to be discussed — "
        "send the packs made before the decision; after it, send the outcome report instead")


# --- the PDF's text ---------------------------------------------------------------------------

ARTICLE = ('<article class="document" lang="en"><p>Resolved that a <del>policy/</del>steering committee '
           '<ins>at Deputy Minister level </ins>be formed.</p><ul><li>one</li></ul></article>')


def test_a_pdf_is_made_from_the_decided_text_and_the_docx_keeps_the_tracked_changes(project: Path) -> None:
    content = load_event(project)
    article = lxml_html.fragment_fromstring(ARTICLE)
    assert " ".join(accepted(article).find("p").text_content().split()) == \
        "Resolved that a steering committee at Deputy Minister level be formed."
    assert article.find(".//del") is not None  # the page itself is left as it is

    class Page:
        lang, title = "en", "Recommendations"
    Page.article = article  # type: ignore[attr-defined]
    made = print_docx(content, Page, "en/recommendations", docx_bytes, REPO / "songphasa/templates/reference.docx")
    assert set(made) == {"en/recommendations.docx", f"en/recommendations{CHANGES_MARKED}.docx"}
    clean = document_xml(made["en/recommendations.docx"])
    marked = document_xml(made[f"en/recommendations{CHANGES_MARKED}.docx"])
    assert "<w:del " not in clean and "<w:ins " not in clean and "policy/" not in clean
    assert "at Deputy Minister level" in clean
    assert "<w:del " in marked and "<w:delText" in marked and "<w:ins " in marked
    assert "<w:keepLines/>" in clean  # a list item is not cut between pages
    with zipfile.ZipFile(BytesIO(made["en/recommendations.docx"])) as docx:
        styles = docx.read("word/styles.xml").decode("utf-8")
    defaults = styles[styles.index("<w:pPrDefault>"):styles.index("</w:pPrDefault>")]
    assert "<w:widowControl/>" in defaults  # no lone first or last line of a paragraph on a page


def test_the_lao_pdfs_are_set_in_a_font_with_a_bold_of_its_own(project: Path) -> None:
    content = load_event(project)
    assert content.event.settings.font_for("lo") == "Phetsarath OT"  # the DOCX: the font Lao offices have
    assert print_font(content, "lo") == "Noto Sans Lao"  # the PDF: Debian's fonts-noto-core, Regular and Bold
    assert print_font(content, "en") == "Times New Roman"


# --- typography -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("ຂອງ ສປປ ລາວ ມີ", "ຂອງ ສປປ\u00a0ລາວ ມີ"),
    ("ຮຽນ ທ່ານ ນາງ ວິໄລທອນ", "ຮຽນ ທ່ານ\u00a0ນາງ\u00a0ວິໄລທອນ"),
    ("ວັນທີ 16 ພະຈິກ 2021 ເຊິ່ງ", "ວັນທີ\u00a016\u00a0ພະຈິກ\u00a02021 ເຊິ່ງ"),
    ("(60 ນາທີ) ຈາກ 18 ກະຊວງ", "(60\u00a0ນາທີ) ຈາກ\u00a018\u00a0ກະຊວງ"),
    ("ຊື່ທ່ານ ແລະ", "ຊື່ທ່ານ ແລະ"),  # ທ່ານ inside a word is no title
])
def test_lao_words_that_must_not_part_are_joined_by_no_break_spaces(text: str, expected: str) -> None:
    tree = write_html.finish_page(f'<html lang="lo"><body><p>{text}</p><p lang="en">Lao PDR 2021 ok</p></body></html>',
                                  "lo")
    first, english = tree.body.findall(".//p")
    assert first.text == expected
    assert english.text == "Lao PDR 2021 ok"


def test_the_lao_time_lines_name_the_zones_in_lao(built: Path) -> None:
    cover = lxml_html.parse(str(built / "output" / "lo" / "agenda.html")).getroot().text_content().replace("\u00a0", " ")
    assert "11:00–14:00 ເວລາເກົາຫຼີ" in cover and "ເວລາຝັ່ງຕາເວັນອອກ ສະຫະລັດອາເມລິກາ" in cover
    assert not re.search(r"\b(KST|EST)\b", cover)
    english = lxml_html.parse(str(built / "output" / "en" / "agenda.html")).getroot().text_content()
    assert "11:00–14:00 KST" in english


# --- the Lao a reviser signs (AI review, not native: see README "Native review") ---------------------------

def strings(path: Path) -> dict[tuple[str | None, str], str]:
    with path.open("rb") as handle:
        return {(m.context, m.id): m.string for m in read_po(handle) if m.id and isinstance(m.id, str)}


def test_the_lao_catalogs_say_the_ministry_and_the_status_as_a_ministry_would() -> None:
    sample, shipped, example = strings(SAMPLE_PO), strings(SHIPPED_PO), strings(EXAMPLE_PO)
    assert sample[("event.organizations.moha.abbreviation", "MOHA")] == "ພນ"
    lao = [text for (context, _), text in sample.items() if text and not (context or "").endswith(".abbreviation")]
    assert not [text for text in lao if "MOHA" in text]  # in prose ກະຊວງພາຍໃນ, and "ກະຊວງພາຍໃນ (ພນ)"
    for catalog in (sample, shipped, example):
        assert catalog[("status", "Proposed")] == "ລໍຖ້າພິຈາລະນາ"
        assert catalog[(None, "H.E. the %(title)s, %(body)s")] == "ທ່ານ %(title)s%(body)s"
    assert example[("status", "Accepted")] == shipped[("status", "Accepted")]
    assert not [text for text in lao if "ພວກເຮົາຊາບ" in text or "ຢູ່ ລາວ" in text or "ອອບລາຍ" in text]
    assert not [text for text in example.values() if text and ("ພະນະທ່ານ" in text or "ສາມການບໍລິການ" in text)]
    # The second example took the sample's fixes: its own abbreviations in Lao, ການຕົກລົງ, ຜູ້ຊ່ຽວຊານ, ເປັນພາສາ….
    assert [example[(f"event.organizations.{oid}.abbreviation", en)] for oid, en in
            (("moha", "MOHA"), ("dla", "DLA"), ("mof", "MOF"))] == ["ພນ", "ກປທ", "ກງ"]
    assert example[("people.berg.position", "Governance Specialist")] == "ຜູ້ຊ່ຽວຊານດ້ານການປົກຄອງ"
    assert example[(None, "%(document)s, in %(languages)s (PDF and Word)")] == \
        "%(document)s, ເປັນພາສາ%(languages)s (PDF ແລະ Word)"
    fixtures = [strings(REPO / "tests" / "events" / name / "locales" / "lo" / "LC_MESSAGES" / "messages.po")
                for name in ("three-languages", "lao-source")]
    for catalog in (example, *fixtures):  # the test events are copied too
        assert not [text for text in catalog.values() if text and ("ການຕັດສິນ" in text or "ພະນະທ່ານ" in text)]
        assert catalog[("status", "Proposed")] == "ລໍຖ້າພິຈາລະນາ"


@pytest.mark.parametrize("event", ["sample", "technical-workshop"])
def test_check_finds_no_english_abbreviation_in_the_lao_text(event: str, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "sample") if event == "sample" else copy_example(tmp_path)
    result = run(root, "check")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert re.findall(r"^.*abbreviation.*$", out, re.M) == []


def test_the_outcome_names_the_organizations_with_their_article(built: Path) -> None:
    page = lxml_html.parse(str(built / "output" / "en" / "outcome.html")).getroot()
    held = " ".join(page.get_element_by_id("held").text_content().split())
    assert held.startswith("The event The Ministry of Home Affairs (MOHA), in partnership with DPIDG/UN DESA, and in "
                           "collaboration with the Resident Coordinator Office in Lao PDR (RCO) and the United Nations "
                           "Development Programme (UNDP), organized the "), held
    assert "via Zoom and at the Ministry of Home Affairs (MOHA), Vientiane." in held
