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
def test_no_output_file_holds_a_raw_placeholder_or_an_instruction(published: Path) -> None:
    files = readable(published)
    assert {p.suffix for p in files} >= {".html", ".docx", ".pdf", ".csv", ".eml", ".zip"}
    found = {}
    for path in files:
        hits = sorted({m.group() for m in RAW.finditer(text_of(path))})
        if hits:
            found[path.relative_to(published / "output").as_posix()] = hits
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
