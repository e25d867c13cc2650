"""The agenda as a reader checks it: who chairs, where each session's moderator stands, each day's own hours."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from ..conftest import build, copy_example


def rows(root: Path, lang: str, document: str = "agenda") -> list[str]:
    """The agenda table's rows as a reader reads them, cell after cell."""
    page = lxml_html.parse(str(root / "output" / lang / f"{document}.html")).getroot()
    table = page.find_class("agenda")[0]
    return [said(tr) for tr in table.iter("tr")]


def said(element) -> str:
    """An element's text, a space between its paragraphs and items (as a reader or a screen reader takes them)."""
    blocks = [e for e in element.iter("p", "li", "h1", "h2", "th", "td")
              if not any(d.tag in ("p", "li", "h1", "h2", "ul") for d in e.iterdescendants())]
    return " ".join(" ".join(" ".join(b.text_content().split()) for b in blocks).split())


def text(root: Path, lang: str, document: str) -> str:
    page = lxml_html.parse(str(root / "output" / lang / f"{document}.html")).getroot()
    return said(page.find(".//article"))


def test_the_programme_chair_is_named_when_registration_opens_the_programme(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "event")
    agenda = root / "content" / "agenda.yaml"
    agenda.write_text("chair: khamla\n" + agenda.read_text(encoding="utf-8"), encoding="utf-8")
    build(root)
    english, lao = rows(root, "en"), rows(root, "lo")
    assert english[1] == "Programme Chair: Ms. Khamla Phommachanh, Director General, DLA/MOHA"  # before day 1
    assert lao[1].startswith("ປະທານກອງປະຊຸມ: ທ່ານ ນາງ ຄຳຫຼ້າ ພົມມະຈັນ")
    assert english[4].startswith("08:30–09:00 (30 min) Registration")  # the registration it used to hide behind


def test_a_one_item_session_has_its_own_row_with_its_moderator_before_the_speakers(built: Path) -> None:
    english = rows(built, "en")
    opening = english.index("Opening session Moderator: Ms. Adriana Alberti, Chief, Programme Management and "
                            "Capacity Development Unit, DPIDG/UN DESA")
    assert english[opening + 1].startswith("09:00–09:30 (30 min) Opening remarks H. E. Mr. Thongchanh Manixay")
    assert "Moderator" not in english[opening + 1]
    decision = next(i for i, row in enumerate(english) if row.startswith("Decision-making session"))
    assert english[decision].endswith("Moderator: Ms. Vilaythone Sounthonexaymongkhonh, Head of Cabinet, MOHA")
    assert english[decision + 1].startswith("10:30–11:30 (60 min) Ms. Vilaythone")


def test_each_day_of_a_two_day_event_has_its_own_hours(tmp_path: Path) -> None:
    """Day 1 is 08:30–17:00, day 2 08:30–12:00: the cover and the outcome say both, not day 1's twice."""
    root = copy_example(tmp_path / "event")
    build(root)
    both_days = "15 March, 08:30–17:00 and 16 March, 08:30–12:00 Vientiane time"
    assert both_days in text(root, "en", "concept-note")
    assert both_days in text(root, "en", "outcome")
    assert "ວັນທີ 15 ມີນາ, 08:30–17:00 ແລະ ວັນທີ 16 ມີນາ, 08:30–12:00 ເວລາວຽງຈັນ" in text(root, "lo", "concept-note")


def test_the_letter_gives_both_dates_and_each_days_hours(tmp_path: Path) -> None:
    from songphasa.content.load import load_event
    from songphasa.documents.letters import placeholders
    from songphasa.documents.pages import formats, localizer

    root = copy_example(tmp_path / "event")
    (root / "content" / "recipients.yaml").write_text(
        "as_of: 2022-03-01\nrecipients:\n  - {id: mof, name: Ministry of Finance}\nletter:\n  reference: '1'\n"
        "  place: Vientiane\n  signatory: khamla\n  addressee: Minister\n  subject: Invitation\n"
        "  body: [\"The workshop is on {date}, {time}.\"]\n  closing: Thank you.\n", encoding="utf-8")
    content = load_event(root)
    said = placeholders(content, content.recipient_list(), localizer(content, {}, "en"), formats(content, "en"))
    assert said["date"] == "Tuesday, 15 March 2022 – Wednesday, 16 March 2022"
    assert str(said["time"]) == "15 March, 08:30–17:00 and 16 March, 08:30–12:00 Vientiane time"
