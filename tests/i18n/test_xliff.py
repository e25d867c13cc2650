"""XLIFF round trip for CAT tools: export, translate some units in the file, import, build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from songphasa.i18n.po import po_text

from ..conftest import REPO
from .helpers import PO, po_of, run

NS = {"x": "urn:oasis:names:tc:xliff:document:1.1"}


def entries(text: str) -> dict[str, str]:
    """The PO file's entries by their msgctxt/msgid lines, each as written."""
    found = {}
    for block in text.split("\n\n"):
        key = "\n".join(l for l in block.split("\n") if l.startswith(("msgctxt", "msgid")))
        found[key] = block
    return found


def test_xliff_round_trip_changes_only_the_units_translated_in_the_file(project: Path, tmp_path: Path) -> None:
    po = project / PO
    catalog = po_of(project)
    position = catalog.get("Director", "people.zhu.position")
    paragraph = next(m for m in catalog if m.id.startswith("The target audience"))
    paragraph.flags.add("fuzzy")  # one entry the translator still has to review
    po.write_text(po_text(catalog), encoding="utf-8")
    before = po.read_text(encoding="utf-8")

    xlf = tmp_path / "lo.xlf"
    result = run(project, "xliff", "export", str(xlf))
    assert result.returncode == 0, result.stderr
    tree = etree.parse(str(xlf))
    units = tree.findall(".//x:trans-unit", NS)
    assert len(units) == sum(1 for m in catalog if m.id)
    unit = tree.find(".//x:trans-unit[@resname='people.zhu.position']", NS)
    assert unit.findtext("x:source", namespaces=NS) == "Director"
    assert unit.find("x:note[@from='developer']", NS).text.startswith("A person's position")
    assert unit.find(".//x:context[@context-type='sourcefile']", NS).text == "content/people.yaml"
    review = tree.find(f".//x:trans-unit[@resname='{paragraph.context}']", NS)
    assert review.find("x:target", NS).get("state").startswith("needs-")

    # What a CAT tool does: a new translation for one unit, the review of another.
    unit.find("x:target", NS).text = "ຜູ້ອຳນວຍການໃຫຍ່"
    review.find("x:target", NS).set("state", "translated")
    review.set("approved", "yes")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")

    result = run(project, "xliff", "import", str(xlf))
    assert result.returncode == 0, result.stderr
    assert "[lo] 2 translations taken into locales/lo/LC_MESSAGES/messages.po" in result.stdout
    after = po.read_text(encoding="utf-8")
    old, new = entries(before), entries(after)
    changed = {key for key in old if old[key] != new.get(key)}
    assert changed == {f'msgctxt "{position.context}"\nmsgid "Director"',
                       f'msgctxt "{paragraph.context}"\nmsgid "{paragraph.id}"'}
    imported = po_of(project)
    assert imported.get("Director", "people.zhu.position").string == "ຜູ້ອຳນວຍການໃຫຍ່"
    assert "fuzzy" not in imported.get(paragraph.id, paragraph.context).flags

    assert run(project).returncode == 0
    page = lxml_html.parse(str(project / "output" / "lo" / "agenda.html")).getroot()
    assert "ຜູ້ອຳນວຍການໃຫຍ່" in page.text_content()

    # Importing the same file again changes nothing.
    assert run(project, "xliff", "import", str(xlf)).returncode == 0
    assert po.read_text(encoding="utf-8") == after


def test_a_unit_whose_english_changed_since_the_export_is_named_and_left_out(project: Path, tmp_path: Path) -> None:
    xlf = tmp_path / "lo.xlf"
    assert run(project, "xliff", "export", str(xlf)).returncode == 0
    text = xlf.read_text(encoding="utf-8").replace("<source>Director</source>", "<source>Directrice</source>")
    xlf.write_text(text, encoding="utf-8")
    before = (project / PO).read_bytes()
    result = run(project, "xliff", "import", str(xlf))
    assert result.returncode == 0
    assert "warning: the unit 'people.zhu.position' is not in the catalog with this English" in result.stderr
    assert (project / PO).read_bytes() == before


def test_a_broken_xliff_is_a_plain_error(project: Path, tmp_path: Path) -> None:
    xlf = tmp_path / "lo.xlf"
    xlf.write_text("<xliff><file>", encoding="utf-8")
    result = run(project, "xliff", "import", str(xlf))
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert "the XLIFF file cannot be read" in result.stderr


def test_an_xliff_translated_into_another_language_is_refused_whole(project: Path, tmp_path: Path) -> None:
    """A Thai file imported into the Lao catalog replaced confirmed Lao translations, and --release published them."""
    xlf = tmp_path / "lo.xlf"
    assert run(project, "xliff", "export", str(xlf)).returncode == 0
    tree = etree.parse(str(xlf))
    for file in tree.findall(".//x:file", NS):
        file.set("target-language", "th")
    unit = tree.find(".//x:trans-unit[@resname='people.zhu.position']", NS)
    unit.find("x:target", NS).text = "ผู้อำนวยการ"
    unit.find("x:target", NS).set("state", "translated")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = (project / PO).read_bytes()
    result = run(project, "xliff", "import", str(xlf))
    assert result.returncode == 1
    assert (f"{xlf}: this XLIFF file is translated into 'th', not into 'lo' (Lao): nothing was taken — import it "
            "into the catalog of 'th' (--lang), or export the Lao catalog for your CAT tool") in result.stderr
    assert (project / PO).read_bytes() == before


def _not_a_file(kind: str, where: Path) -> Path:
    """What a user may give by mistake as the file: a pipe, a folder, a device (through a link)."""
    path = where / "lo.xlf"
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(os.devnull)
    return path


@pytest.mark.parametrize("kind, what", [("pipe", "is not a regular file (a pipe or a device)"),
                                        ("device", "is not a regular file (a pipe or a device)"),
                                        ("folder", "is a folder, not a file")])
def test_xliff_import_of_a_pipe_a_device_or_a_folder_is_one_plain_line(project: Path, tmp_path: Path,
                                                                        kind: str, what: str) -> None:
    xlf = _not_a_file(kind, tmp_path)
    before = (project / PO).read_bytes()
    # A timeout, so that reading a pipe that never ends fails the test instead of hanging it.
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "xliff", "import",
                             str(xlf)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{xlf}: {what} — give the path of the .xlf file your CAT tool wrote"]
    assert (project / PO).read_bytes() == before
