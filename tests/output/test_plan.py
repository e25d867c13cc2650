"""Every file a build and a distribution write reads as a finished document.

A reviewer scanning the files before they go to the ministries must find no
raw placeholder ("%(place)s", "{project_code}", "%s"), no template tag and
no instruction meant for the organizers, in any HTML, DOCX, PDF, CSV or e-mail.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from songphasa.write_html import LATIN

RAW = re.compile(r"%\(\w+\)[sdif]|%[sd]\b|\{[a-z_][a-z0-9_]*\}|\{\{|\}\}|\{%|%\}|content/\w+|\bspeech:")


def text_of(path: Path) -> str:
    """The text a reader meets in a file: HTML without its style, DOCX body and parts, PDF text."""
    if path.suffix == ".html":
        tree = lxml_html.fromstring(path.read_bytes())
        for style in tree.xpath("//style"):
            style.drop_tree()
        return tree.text_content()
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as docx:
            return "\n".join(re.sub(r"<[^>]+>", "", docx.read(name).decode("utf-8"))
                             for name in docx.namelist() if name.endswith(".xml"))
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.namelist())
    return path.read_text(encoding="utf-8-sig", errors="replace")


def readable(root: Path) -> list[Path]:
    return sorted(p for p in (root / "output").rglob("*") if p.is_file() and not p.name.startswith("."))


def test_the_scan_finds_what_it_looks_for() -> None:
    for raw in ("Via %(online)s and", "UN DESA's {project_code} on", "(%(n)s min)", "(add speech: content/speeches/…)",
                "{{ name }}"):
        assert RAW.search(raw), raw
    for clean in ("09:00–12:00 (Lao time)", "100% of {n-1}", "ODSC (2021)"):
        assert not RAW.search(clean), clean


@pytest.mark.renderer
def test_no_output_file_holds_a_raw_placeholder_or_an_instruction(published_event: Path) -> None:
    files = readable(published_event)
    kinds = {".html", ".docx", ".pdf", ".csv"}
    if (published_event / "output" / "distribution").is_dir():
        kinds |= {".eml", ".zip"}
    assert {p.suffix for p in files} >= kinds
    found = {}
    for path in files:
        hits = sorted({m.group() for m in RAW.finditer(text_of(path))})
        if hits:
            found[path.relative_to(published_event / "output").as_posix()] = hits
    assert found == {}


def test_every_latin_run_in_a_lao_cell_of_the_pack_is_marked_english(built: Path) -> None:
    tree = lxml_html.parse(str(built / "output" / "interpreters" / "pack.html"))
    unmarked = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("style", "script", "title"):
            continue
        lang = next((e.get("lang") for e in (element, *element.iterancestors()) if e.get("lang")), None)
        if lang != "lo":
            continue
        for text in (element.text, *(child.tail for child in element)):
            unmarked += LATIN.findall(text or "")
    assert unmarked == []


@pytest.mark.renderer
def test_the_index_links_every_file_made_with_full_titles_in_both_languages(published: Path) -> None:
    out = published / "output"
    index = lxml_html.parse(str(out / "index.html"))
    links = {a.get("href") for a in index.iter("a")}
    made = {p.relative_to(out).as_posix() for p in readable(published)}
    # Each recipient's folder is the unpacked copy of its zip, which is linked.
    expected = {name for name in made if name != "index.html" and name.count("/") < 2}
    assert expected - links == set() and links - made == set()
    assert {"interpreters/pack.pdf", "interpreters/glossary.csv", "distribution/moha.zip", "lo/agenda.pdf"} <= links
    headings = [" ".join(h.text_content().split()) for h in index.iter("h1")]
    assert headings[1].startswith("ກອງປະຊຸມ") and headings[1].endswith("(ສປປ ລາວ)"), headings  # not cut at "ODSC"
    assert headings[0].endswith("(Lao PDR)")


# --- the letters and the Lao a reviewer checks -------------------------------------------

def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    return " ".join(re.sub(r"<w:p[ >].*?</w:p>", lambda m: re.sub(r"<[^>]+>", "", m.group()) + "\n", body,
                           flags=re.S).split())


@pytest.mark.renderer
def test_the_letters_give_a_reply_contact_and_the_host_is_asked_as_the_host(published: Path) -> None:
    folder = published / "output" / "distribution"
    for letter in sorted(folder.glob("*/letter-en.docx")):
        text = docx_text(letter)
        assert "Contact for replies and questions: Mr. Prabin Maharjan" in text and "prabin.maharjan@un.org" in text
        if letter.parent.name == "moha":
            assert "take part in it yourself" in text and "designate a Deputy Minister" not in text
        else:
            assert "designate a Deputy Minister" in text


@pytest.mark.renderer
def test_the_lao_letters_are_in_the_form_of_a_lao_ministry_letter(published: Path) -> None:
    letters = sorted((published / "output" / "distribution").glob("*/letter-lo.docx"))
    assert len(letters) == 18
    for letter in letters:
        text = docx_text(letter)
        assert "ເລກທີ ………/ພນ" in text and "/MOHA" not in text
        assert text.count("ອີງຕາມ") == 2 and text.index("ອີງຕາມ") < text.index("ກະຊວງພາຍໃນ ໂດຍຮ່ວມມື")
        assert "ສະນັ້ນ, " in text and "ຈຶ່ງຮຽນມາຍັງທ່ານ ເພື່ອກະລຸນາ" in text
        assert "ເປັນພາສາລາວ ແລະ ອັງກິດ" in text and "ເປັນລາວ" not in text
        assert "ເວລາ 09:00–12:00 ເວລາ" not in text
        assert "ຮຽນ: ທ່ານ " in text and "ພະນະທ່ານ" not in text  # ministers are ທ່ານ


@pytest.mark.renderer
def test_the_lao_names_the_decree_and_the_resident_coordinator_rightly(published: Path) -> None:
    lao = [p for p in readable(published) if p.suffix in (".html", ".docx") and
           ("/lo/" in p.as_posix() or p.name.endswith("-lo.docx") or p.name == "pack.html")]
    decree = resident = 0
    for path in lao:
        text = text_of(path)
        assert not re.search(r"(?<!ລັດຖະ)ດຳລັດ", text), path  # a presidential decree is a ລັດຖະດຳລັດ
        decree += text.count("ລັດຖະດຳລັດຂອງປະທານປະເທດ")
        assert "ຜູ້ປະສານງານປະຈຳ" not in text, path  # "ປະຈຳ" once, before ສປປ ລາວ
        resident += text.count("ຜູ້ປະສານງານອົງການສະຫະປະຊາຊາດ ປະຈຳ ສປປ ລາວ")
    assert decree and resident


@pytest.mark.renderer
def test_every_letter_passes_the_ooxml_validator(published: Path) -> None:
    from ..test_layout import ooxml_errors
    letters = sorted((published / "output" / "distribution").glob("*/letter-*.docx"))
    assert len(letters) == 36
    for letter in letters[:4] + [p for p in letters if p.parent.name == "moha"]:
        assert ooxml_errors(letter) == [], letter.relative_to(published / "output")
