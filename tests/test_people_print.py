"""The documents of people as a print shop gets them: the PDFs LibreOffice makes and the DOCX they come from."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from songphasa.content.load import load_event
from songphasa.documents.participants import Roster
from songphasa.pipeline import load
from songphasa.project import Project
from songphasa.render.localizer import Localizer
from tests.conftest import build, copy_project, require_renderer

pytestmark = pytest.mark.renderer

A4_UPRIGHT, A4_SIDEWAYS = (595.3, 841.9), (841.9, 595.3)
PAPER = {"participants": A4_UPRIGHT, "sign-in": A4_SIDEWAYS, "name-plates": A4_SIDEWAYS, "badges": A4_UPRIGHT,
         "certificates": A4_SIDEWAYS}


def _pdftotext(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _page_sizes(pdf: Path) -> set[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return {(round(float(w), 1), round(float(h), 1)) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+)", info)}


def _rows(root: Path, lang: str) -> list:
    content, translations = load(Project.at(root))
    loc = Localizer(lang, "en", dict(translations.lookups.get(lang, {})))
    return list(Roster(content, translations.lookups, loc).rows)


@pytest.mark.parametrize("kind", sorted(PAPER))
def test_every_page_is_exactly_a4_the_right_way_up(published: Path, kind: str) -> None:
    require_renderer("pdfinfo")
    for lang in ("en", "lo"):
        assert _page_sizes(published / "output" / lang / f"{kind}.pdf") == {PAPER[kind]}, (kind, lang)


def test_every_participant_is_on_the_list_the_sign_in_sheet_and_a_plate(published: Path) -> None:
    require_renderer("pdftotext")
    rows = _rows(published, "en")
    plates = _pdftotext(published / "output/en/name-plates.pdf")
    assert plates.count("\f") == len(rows)  # a sheet each
    for kind in ("participants", "sign-in", "name-plates"):
        text = " ".join(_pdftotext(published / "output" / "en" / f"{kind}.pdf").split())
        assert [row.key for row in rows if row.name.striptags() not in text] == [], kind
    assert len(_pdftotext(published / "output/en/badges.pdf").split("\f")) - 1 == -(-len(rows) // 8)


def test_the_lao_names_are_set_in_the_lao_font(published: Path) -> None:
    require_renderer("pdffonts")
    for kind in ("participants", "sign-in", "name-plates", "badges", "certificates"):
        fonts = subprocess.run(["pdffonts", str(published / "output" / "lo" / f"{kind}.pdf")], capture_output=True,
                               text=True, check=True).stdout
        assert re.search(r"NotoSansLao\S*\s.*\syes\s", fonts), kind  # the PDFs' Lao face (README: Lao typography)
    # In the DOCX, each Lao name is a run in the complex-script slot of the event's Lao font.
    # Read through the no-break spaces the Lao names carry (ທ່ານ ນາງ …: README, Lao typography).
    lao = {" ".join(row.name.striptags().split()) for row in _rows(published, "lo")}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    runs = list(Document(str(published / "output/lo/name-plates.docx")).element.body.iter(f"{w}r"))
    found = set()
    for run in runs:
        text = " ".join("".join(t.text or "" for t in run.iter(f"{w}t")).split())
        fonts = run.find(f"{w}rPr/{w}rFonts")
        if text in lao:
            assert fonts is not None and fonts.get(f"{w}cs") == "Phetsarath OT", text
            assert run.find(f"{w}rPr/{w}cs") is not None
            found.add(text)
    assert found == lao


def test_a_name_of_sixty_characters_fits_its_plate_on_one_line_below_the_fold(tmp_path: Path) -> None:
    require_renderer("soffice", "pdftotext")
    root = copy_project(tmp_path / "event")
    long_name = "Phoutthasinh Sounthonexaymongkhonh Vongphachanh Keobounphanh"
    assert len(long_name) == 60
    listed = root / "content" / "participants.yaml"
    listed.write_text(listed.read_text(encoding="utf-8") + f"""
  - id: long
    honorific: Mr.
    name: {{en: {long_name}, lo: ພຸດທະສິນ ສູນທອນໄຊມົງຄົນ ວົງພະຈັນ ແກ້ວບຸນພັນ}}
    position: {{en: Deputy Director General, lo: ຮອງຫົວໜ້າກົມ}}
    organization: mofa
""", encoding="utf-8")
    event = root / "content" / "event.yaml"
    event.write_text(event.read_text(encoding="utf-8") + "\ndocuments: [name-plates]\n", encoding="utf-8")
    build(root, formats=("html", "docx", "pdf"))
    pdf = root / "output/en/name-plates.pdf"
    pages = _pdftotext(pdf, "-bbox").split("<page ")[1:]
    [page] = [p for p in pages if "Phoutthasinh" in p]
    width, height = map(float, re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
    words = {m[4]: (float(m[0]), float(m[1]), float(m[2]), float(m[3])) for m in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)}
    name = [words[part] for part in ["Mr.", *long_name.split()]]
    assert len({round(y_min) for _, y_min, _, _ in name}) == 1  # one line
    assert min(y_min for _, y_min, _, _ in name) > height / 2  # below the fold, on the front
    assert min(x for x, _, _, _ in name) > 0 and max(x for _, _, x, _ in name) < width
    assert _page_sizes(pdf) == {A4_SIDEWAYS}


def _texts_of(archive: zipfile.ZipFile, tmp_path: Path) -> dict[str, str]:
    found = {}
    for info in archive.infolist():
        data = archive.read(info)
        if info.filename.endswith(".docx"):
            with zipfile.ZipFile(tmp_path / "x.docx", "w") as _:
                pass
            (tmp_path / "x.docx").write_bytes(data)
            with zipfile.ZipFile(tmp_path / "x.docx") as docx:
                found[info.filename] = " ".join(docx.read(n).decode("utf-8") for n in docx.namelist()
                                                if n.endswith(".xml"))
        elif info.filename.endswith(".pdf"):
            (tmp_path / "x.pdf").write_bytes(data)
            found[info.filename] = _pdftotext(tmp_path / "x.pdf")
        else:
            found[info.filename] = data.decode("utf-8", "replace")
    return found


def test_no_telephone_or_e_mail_of_a_participant_leaves_in_a_pack_or_the_outcome_report(published: Path,
                                                                                      tmp_path: Path) -> None:
    require_renderer("pdftotext")
    content = load_event(published)
    private = [a.telephone for a in content.attendees if a.telephone] + \
              [a.entry.email for a in content.attendees if a.entry is not None and a.entry.email]
    assert len(private) >= 5
    packs = sorted((published / "output" / "distribution").glob("*.zip"))
    assert len(packs) == 18
    for pack in packs:
        with zipfile.ZipFile(pack) as archive:
            texts = _texts_of(archive, tmp_path)
        assert any("participants" in name for name in texts), pack.name  # the list goes out, without contacts
        leaked = [(name, value) for name, text in texts.items() for value in private if value in text]
        assert leaked == [], pack.name
    for lang in ("en", "lo"):
        outcome = _pdftotext(published / "output" / lang / "outcome.pdf")
        assert [value for value in private if value in outcome] == []
    sign_in = " ".join(_pdftotext(published / "output/en/sign-in.pdf").split())
    assert "+856 20 5550 0101" in sign_in  # where the organizers need them
