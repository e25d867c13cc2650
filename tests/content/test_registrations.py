"""`participants import`: a registration export in, the good rows added, each bad one named with its row."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from songphasa.content.load import load_event
from tests.conftest import REPO

HEADINGS = ["Timestamp", "Title", "Full name", "Name (Lao)", "Position", "Ministry", "How will you attend?",
            "Email address", "Phone number"]
GOOD = ["2021-11-10 09:12", "Mr.", "Somsanouk Phanthalangsy", "ສົມສະໜຸກ ພັນທະລັງສີ", "Director General",
        "Ministry of Finance", "Online", "s.phanthalangsy@mof.example", "+856 20 5550 0999"]
IN_LAO = ["2021-11-10 10:40", "Ms.", "Khanthaly Vongkhamsao", "ຂັນທະລີ ວົງຄຳເສົາ", "Deputy Director General",
          "ກະຊວງສາທາລະນະສຸກ", "In person", "", ""]  # the ministry named in Lao, as the Lao form gives it
BAD = ["2021-11-11 08:03", "Mr.", "", "ບຸນທັນ", "Officer", "Ministry of Sports", "In person", "bounthan@", ""]


def _import(project: Path, file: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "participants",
                           "import", str(file), *extra], capture_output=True, text=True, encoding="utf-8", timeout=120)


def _check(project: Path, result: subprocess.CompletedProcess, file: Path) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == ["2 participant(s) added to content/participants.yaml; 1 row(s) left out:"]
    assert result.stderr.splitlines() == [
        f"{file}: row 3 left out: no name in en; unknown organization 'Ministry of Sports'; 'bounthan@' is not one "
        "e-mail address — correct the row and import the file again (rows already taken are not added twice)"]
    content = load_event(project)  # the file is valid as written
    added = {a.entry.name["en"]: a for a in content.attendees if a.entry is not None and a.entry.id}
    assert added["Somsanouk Phanthalangsy"].organization == "mof"
    assert added["Somsanouk Phanthalangsy"].attendance == "online"
    assert added["Somsanouk Phanthalangsy"].telephone == "+856 20 5550 0999"
    assert added["Somsanouk Phanthalangsy"].entry.name["lo"] == "ສົມສະໜຸກ ພັນທະລັງສີ"
    assert added["Khanthaly Vongkhamsao"].organization == "moh"
    # The file keeps its comments and what was in it.
    text = (project / "content" / "participants.yaml").read_text(encoding="utf-8")
    assert "# FICTITIOUS" in text and "name: {en: Somphone Keomanivong, lo: ສົມພອນ ແກ້ວມະນີວົງ}" in text
    assert 'telephone: "+856 20 5550 0999"' in text


def test_a_csv_export_with_a_bad_row(project: Path, tmp_path: Path) -> None:
    file = tmp_path / "registrations.csv"
    rows = [HEADINGS, GOOD, BAD, IN_LAO]
    file.write_text("\n".join(",".join(f'"{cell}"' for cell in row) for row in rows) + "\n", encoding="utf-8-sig")
    _check(project, _import(project, file), file)
    again = _import(project, file)  # the same export again: nobody twice
    assert again.stdout.splitlines() == [
        "0 participant(s) added to content/participants.yaml; 2 already listed; 1 row(s) left out:"]


def test_an_xlsx_export_with_a_bad_row(project: Path, tmp_path: Path) -> None:
    file = tmp_path / "registrations.xlsx"
    book = Workbook()
    for row in (HEADINGS, GOOD, BAD, IN_LAO):
        book.active.append(row)
    book.save(file)
    _check(project, _import(project, file), file)


def test_a_column_the_form_names_its_own_way_is_mapped(project: Path, tmp_path: Path) -> None:
    file = tmp_path / "kobo.csv"
    file.write_text("nom;ຊື່ລາວ;org\nVanh Keola;ວັນ ແກ້ວລາ;mof\n", encoding="utf-8")
    result = _import(project, file, "--map", "name.en=nom", "--map", "name.lo=ຊື່ລາວ", "--map", "organization=org")
    assert result.returncode == 0, result.stderr
    wrong = _import(project, file, "--map", "name.en=Name")
    assert wrong.returncode == 1
    assert wrong.stderr.splitlines() == [f"{file}:1: --map name.en=Name: no column is headed 'Name' — the headings "
                                         "are: nom, ຊື່ລາວ, org"]
