"""The documents of people: who is on them, in what order, what each may show (HTML; the PDFs in test_people_print)."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html

from songphasa.content.load import load_event
from songphasa.documents.participants import Roster
from songphasa.pipeline import load
from songphasa.project import Project
from songphasa.render.localizer import Localizer
from tests.conftest import REPO, build, copy_example


def _text(root: Path, name: str) -> str:
    """The article's text as a reader sees it, a space between cells and paragraphs."""
    article = html.fromstring((root / "output" / name).read_bytes()).find(".//article")
    return " ".join(" ".join(article.itertext()).split())


def test_a_speaker_of_the_agenda_is_a_participant_without_an_entry() -> None:
    content = load_event(REPO)
    listed = {entry.key for entry in content.participants.participants}
    assert "niyavong" not in listed and "niyavong" in content.agenda_people
    [niyavong] = [a for a in content.attendees if a.key == "niyavong"]
    assert (niyavong.role, niyavong.organization) == ("speaker", "moha")
    # An entry naming a person adds to what the agenda says, and the person is listed once.
    assert [a.key for a in content.attendees].count("manixay") == 1
    assert [a.attendance for a in content.attendees if a.key == "zhu"] == ["online"]


def test_the_list_goes_by_organization_in_the_order_of_the_recipients_then_the_event(built: Path) -> None:
    page = html.fromstring((built / "output/en/participants.html").read_bytes())
    groups = [" ".join(row.text_content().split()) for row in page.xpath("//tr[contains(@class, 'organization')]")]
    assert groups[:4] == ["Prime Minister's Office", "Ministry of Home Affairs", "Ministry of Foreign Affairs",
                          "Ministry of Justice"]
    assert groups.index("Ministry of Natural Resources and Environment") < groups.index(
        "United Nations Department of Economic and Social Affairs")
    text = _text(built, "en/participants.html")
    # Mr. Niyavong is typed once, on the agenda, and is on the list under his ministry.
    assert re.search(r"Ministry of Home Affairs .*Mr\. Bounchan Niyavong .*Ministry of Foreign Affairs", text)


def test_every_participant_is_on_the_list_the_sign_in_sheet_and_a_plate_in_both_scripts(built: Path) -> None:
    content, translations = load(Project.at(built))
    for lang in ("en", "lo"):
        texts = {kind: _text(built, f"{lang}/{kind}.html") for kind in ("participants", "sign-in", "name-plates")}
        roster = Roster(content, translations.lookups, Localizer(lang, "en", dict(translations.lookups.get(lang, {}))))
        for row in roster.rows:
            for kind, text in texts.items():
                assert row.name.striptags() in text, (lang, kind, row.key)
    lao = _text(built, "lo/participants.html")
    assert "ທ່ານ ສົມພອນ ແກ້ວມະນີວົງ" in lao  # written in participants.yaml
    assert "ທ່ານ ບຸນຈັນ ນິຍາວົງ" in lao  # from people.yaml, through the catalog
    plates = _text(built, "en/name-plates.html")
    assert "Mr. Somphone Keomanivong ທ່ານ ສົມພອນ ແກ້ວມະນີວົງ" in plates


def test_telephones_and_e_mails_are_only_on_the_sign_in_sheet(built: Path) -> None:
    content = load_event(built)
    phones = [a.telephone for a in content.attendees if a.telephone]
    emails = [a.email for a in content.attendees if a.email and a.entry is not None and a.entry.email]
    assert phones and emails
    sign_in = _text(built, "en/sign-in.html")
    assert all(value in sign_in for value in phones + emails)
    for lang in ("en", "lo"):
        for kind in ("participants", "outcome", "name-plates", "badges", "certificates"):
            text = _text(built, f"{lang}/{kind}.html")
            assert not [value for value in phones + emails if value in text], (lang, kind)


def test_the_outcome_report_lists_the_participants_by_organization(built: Path) -> None:
    text = _text(built, "en/outcome.html")
    assert "List of participants" in text and "Mr. Phetsamone Inthavong" in text


def test_a_participant_still_to_be_confirmed_is_shown_so_and_gets_no_certificate(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    build(root)
    assert "Mr. Phouvong Luangkhot (To be confirmed)" in _text(root, "en/participants.html")
    assert "Phouvong Luangkhot" not in _text(root, "en/certificates.html")
    assert "Mr. Somsack Saysana" in _text(root, "en/certificates.html")


def test_a_long_name_is_set_smaller_so_that_it_stays_on_one_line() -> None:
    roster = Roster(load_event(REPO), {}, Localizer("en", "en", {}))
    short, long = "Mr. Bounchan Niyavong", "H. E. Mr. " + "Sounthonexaymongkhonh Phommavongsa" + " Keo" * 5
    assert len(long) >= 60
    assert roster.fit("Mr. Bounmy", 230, 54) == 54
    assert roster.fit(short, 230, 54) > 45
    size = roster.fit(long, 230, 54)
    assert size < 30
    assert len(long) * 0.62 * size / 72 * 25.4 <= 230  # its widest estimate fits the plate
