"""A project folder is input, its cache too: nothing in it runs, nothing planted in it is published.

Every entry is sealed with a key of the user's own (outside the project); an
entry that is not ours is made again. Compiled templates never live in the
project.
"""

from __future__ import annotations

import datetime as dt
import pickle
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import build, copy_project, require_renderer
from .output.test_pdf import write_agenda


class _Plant:
    """A pickle that, when loaded, leaves a marker file: proof that code ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "code from the cache ran"))


def planted_bytecode(marker: Path) -> bytes:
    from jinja2.bccache import bc_magic
    return bc_magic + pickle.dumps(_Plant(marker), 2)


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "songphasa"


def test_compiled_templates_are_never_in_the_project(tmp_path: Path, user_cache: Path) -> None:
    root = copy_project(tmp_path / "event")
    build(root)
    assert not (root / ".songphasa-cache" / "jinja").exists()
    assert list((user_cache / "jinja").glob("*.cache"))


def test_planted_bytecode_does_not_run(tmp_path: Path, user_cache: Path) -> None:
    root = copy_project(tmp_path / "event")
    build(root)
    marker = tmp_path / "ran"
    planted = planted_bytecode(marker)
    for entry in (user_cache / "jinja").glob("*.cache"):
        entry.write_bytes(planted)  # someone with access to the folder, or a damaged file
        (root / ".songphasa-cache" / "jinja").mkdir(parents=True, exist_ok=True)
        (root / ".songphasa-cache" / "jinja" / f"__jinja2_{entry.stem}.cache").write_bytes(planted)
    build(root)
    assert not marker.exists()
    assert "Opening remarks" in (root / "output" / "en" / "agenda.html").read_text(encoding="utf-8")


def test_a_planted_docx_in_the_project_cache_is_not_published(tmp_path: Path, user_cache: Path) -> None:
    root = copy_project(tmp_path / "event")
    build(root)
    entries = list((root / ".songphasa-cache" / "docx").glob("*.docx"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"PK\x03\x04 planted")
    build(root)
    for path in (root / "output").rglob("*.docx"):
        assert zipfile.is_zipfile(path), f"{path.name} is the planted file"


def test_the_pdf_cache_is_keyed_by_the_renderer_and_refuses_planted_files(tmp_path: Path, user_cache: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from songphasa.output import pdf
    root = copy_project(tmp_path / "event")
    folder = root / ".songphasa-cache" / "pdf"
    moment = dt.datetime(2021, 11, 23, tzinfo=dt.timezone.utc)
    converted: list[str] = []

    def fake_pdfs(docx, moment, progress=None, scratch=None):
        converted.extend(docx)
        return {name[:-5] + ".pdf": b"%PDF-1.7 made from " + name.encode() for name in docx}

    monkeypatch.setattr(pdf, "make_pdfs", fake_pdfs)
    files = {"en/agenda.docx": b"agenda", "lo/agenda.docx": b"ajenda"}
    renderer = "LibreOffice 7.4, no Lao font"
    monkeypatch.setattr(pdf, "renderer_identity", lambda: renderer)

    first = pdf.pdf_files(files, moment, folder)
    assert sorted(converted) == sorted(files) and first["en/agenda.pdf"] == b"%PDF-1.7 made from en/agenda.docx"
    converted.clear()
    assert pdf.pdf_files(files, moment, folder) == first and converted == []

    renderer = "LibreOffice 7.4, Phetsarath OT installed"
    pdf.pdf_files(files, moment, folder)
    assert sorted(converted) == sorted(files)

    converted.clear()
    for entry in (root / ".songphasa-cache" / "pdf").glob("*.pdf"):
        entry.write_bytes(b"%PDF-1.7 planted")
    again = pdf.pdf_files(files, moment, folder)
    assert sorted(converted) == sorted(files)
    assert b"planted" not in b"".join(again.values())


@pytest.mark.renderer
def test_pdf_bytes_do_not_depend_on_the_builders_time_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_renderer("soffice", "pdffonts", "pdftotext")
    from songphasa.output.pdf import make_pdfs
    docx = write_agenda(tmp_path, "en", "Opening remarks").read_bytes()
    moment = dt.datetime(2021, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
    made = {}
    for zone in ("Asia/Vientiane", "UTC", "America/New_York"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        made[zone] = make_pdfs({"agenda.docx": docx}, moment)["agenda.pdf"]
    monkeypatch.delenv("TZ")
    time.tzset()
    assert made["Asia/Vientiane"] == made["UTC"] == made["America/New_York"]


@pytest.mark.parametrize("linked", ["docx", "pdf"])
def test_a_linked_cache_folder_in_a_received_project_is_never_written_or_deleted_through(
        tmp_path: Path, user_cache: Path, linked: str) -> None:
    """A received project's .songphasa-cache/docx (or pdf) linked to the user's documents: a build deletes nothing there."""
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "report.docx").write_bytes(b"the user's report")
    (documents / "report.pdf").write_bytes(b"the user's report")
    root = copy_project(tmp_path / "event")
    (root / ".songphasa-cache").mkdir()
    (root / ".songphasa-cache" / linked).symlink_to(documents, target_is_directory=True)
    formats = ("html", "docx", "pdf") if linked == "pdf" else ("html", "docx")
    if linked == "pdf":
        require_renderer("soffice")
    build(root, formats=formats)
    assert sorted(p.name for p in documents.iterdir()) == ["report.docx", "report.pdf"]
    assert (documents / f"report.{linked}").read_bytes() == b"the user's report"
    assert (root / "output" / "lo" / f"agenda.{linked}").is_file()
    build(root, formats=formats)  # a rebuild prunes its cache: still nothing of the user's goes
    assert sorted(p.name for p in documents.iterdir()) == ["report.docx", "report.pdf"]


def test_an_edited_page_with_its_hash_updated_in_the_record_is_built_again(tmp_path: Path, user_cache: Path) -> None:
    """A planted output/ (a page edited, the record's hash made to match) passed as 'nothing changed'."""
    import hashlib
    import json

    from songphasa.output.record import RECORD, up_to_date

    root = copy_project(tmp_path / "event")
    build(root)
    assert up_to_date(root) is not None
    page = root / "output" / "en" / "agenda.html"
    planted = page.read_bytes().replace(b"Agenda", b"Planted agenda", 1)
    page.write_bytes(planted)
    record = json.loads((root / "output" / RECORD).read_text(encoding="utf-8"))
    record["files"]["en/agenda.html"] = hashlib.sha256(planted).hexdigest()
    (root / "output" / RECORD).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert up_to_date(root) is None
    build(root)
    assert b"Planted agenda" not in page.read_bytes()
    assert up_to_date(root) is not None


@pytest.mark.parametrize("linked", [".songphasa-cache", ".songphasa-cache/lock"])
def test_a_linked_cache_or_lock_in_a_received_project_is_replaced_not_followed(tmp_path: Path, user_cache: Path,
                                                                             linked: str) -> None:
    """The lock was opened through a link: a file made in (or a lock held on) someone else's folder."""
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("the user's", encoding="utf-8")
    root = copy_project(tmp_path / "event")
    (root / ".songphasa-cache").mkdir(exist_ok=True)
    target = elsewhere if linked == ".songphasa-cache" else elsewhere / "lock"
    if linked == ".songphasa-cache":
        (root / ".songphasa-cache").rmdir()
    (root / linked).symlink_to(target)
    build(root)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["notes.txt"]
    assert not (root / linked).is_symlink() and (root / ".songphasa-cache" / "lock").is_file()


@pytest.mark.parametrize("planted", ["locales/lo/LC_MESSAGES/messages.mo", "output/.songphasa-build.json",
                                     "output/distribution/manifest.json"])
def test_a_file_the_build_makes_planted_as_a_link_to_a_pipe_or_device_is_never_read(tmp_path: Path,
                                                                                  planted: str) -> None:
    """messages.mo linked to /dev/zero was read until the memory ran out; a pipe hangs the build the same way."""
    import os
    import subprocess
    import sys

    from .conftest import REPO
    root = copy_project(tmp_path / "event")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    (root / planted).parent.mkdir(parents=True, exist_ok=True)
    (root / planted).unlink(missing_ok=True)
    (root / planted).symlink_to(pipe)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(root)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and (root / "output" / "lo" / "agenda.html").is_file()
