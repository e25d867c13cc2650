"""PDFs through LibreOffice: one run for a batch, Lao set in the Lao font."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

import songphasa.output.pdf
from songphasa.errors import SongphasaError, ToolMissing
from songphasa.output.pdf import convert_to_pdf
from songphasa.project import BUILTIN_TEMPLATES
from songphasa.write_docx.settings import DocxSettings
from songphasa.write_docx.writer import docx_bytes

from ..conftest import require_renderer, soffice_runs

REFERENCE = BUILTIN_TEMPLATES / "reference.docx"
ODSC = "ສູນບໍລິການຜ່ານປະຕູດຽວ (ODSC) ກະຊວງພາຍໃນ"
ENGLISH = "One-Door Service Centre (ODSC), Ministry of Home Affairs"
CREATED = datetime.datetime(2025, 3, 4, 8, 30)


def write_agenda(folder: Path, language: str, sentence: str) -> Path:
    article = lxml.html.fromstring(
        f'<article lang="{language}"><h1>Agenda</h1><p>{sentence}</p></article>'
    )
    path = folder / language / "agenda.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(docx_bytes(
        article,
        reference=REFERENCE,
        settings=DocxSettings(language=language, title="Agenda", created=CREATED),
    ))
    return path


def pdf_text(path: Path) -> str:
    # -raw keeps text in content order; Lao vowel and tone marks sit above
    # the line and would otherwise be cut onto lines of their own.
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return re.sub(r"\s+", "", text)


def embedded_fonts(path: Path) -> list[str]:
    table = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    # name type encoding emb sub uni object ID: "emb" is the fourth column from the end
    return [line.split()[0] for line in table if line.split()[-5] == "yes"]


@pytest.mark.renderer
def test_one_libreoffice_run_converts_same_named_files(tmp_path: Path) -> None:
    require_renderer("soffice", "pdffonts", "pdftotext")
    lao = write_agenda(tmp_path, "lo", ODSC)
    english = write_agenda(tmp_path, "en", ENGLISH)
    messages: list[str] = []

    with soffice_runs() as runs:
        pdfs = convert_to_pdf([lao, english], progress=messages.append)

    assert len(runs) == 1
    assert pdfs == [tmp_path / "lo" / "agenda.pdf", tmp_path / "en" / "agenda.pdf"]
    assert all(pdf.is_file() for pdf in pdfs)
    assert any("Phetsarath" in name for name in embedded_fonts(pdfs[0]))
    assert re.sub(r"\s+", "", ODSC) in pdf_text(pdfs[0])
    assert re.sub(r"\s+", "", ENGLISH) in pdf_text(pdfs[1])
    # One start, then each PDF as LibreOffice makes it and as it is put in place.
    assert messages[0] == "converting 2 DOCX file(s) to PDF with LibreOffice"
    assert sorted(m for m in messages if m.startswith("converted ")) == sorted(
        f"converted {path.as_posix()}" for path in (lao, english))
    assert len([m for m in messages if m.startswith("wrote ")]) == 2


def test_missing_libreoffice_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    docx = tmp_path / "agenda.docx"
    docx.write_bytes(b"")
    with pytest.raises(ToolMissing, match="apt-get install libreoffice-writer-nogui"):
        convert_to_pdf([docx])


def test_a_pdf_libreoffice_did_not_make_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # LibreOffice exits 0 even when it cannot read a file; only the missing
    # PDF tells, and the user must learn which document it was.
    monkeypatch.setattr(songphasa.output.pdf, "find_soffice", lambda: "soffice")
    said = "Error: source file could not be loaded"
    monkeypatch.setattr(
        songphasa.output.pdf, "_run_watching", lambda command, *rest: subprocess.CompletedProcess(command, 0, "", said)
    )
    docx = tmp_path / "lo" / "agenda.docx"
    docx.parent.mkdir()
    docx.write_bytes(b"not a zip")
    expected = r"lo/agenda\.docx: LibreOffice made no PDF"
    with pytest.raises(SongphasaError, match=expected) as caught:
        convert_to_pdf([docx])
    assert "could not be loaded" in str(caught.value)


def test_nothing_to_convert_starts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert convert_to_pdf([]) == []
