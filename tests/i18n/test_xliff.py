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
from ..omegat import omegat_project, translate
from .helpers import PO, line_of, po_of, run

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


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


class _LocalXmlSchema(etree.Resolver):
    """Resolve the schema's import of the W3C xml.xsd to the fixture's copy (no network)."""

    def resolve(self, url, pubid, context):  # type: ignore[override]
        if url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


SCHEMAS = REPO / "tests" / "fixtures" / "xliff"


def strict_schema() -> etree.XMLSchema:
    parser = etree.XMLParser()
    parser.resolvers.add(_LocalXmlSchema())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"), parser))


@pytest.mark.parametrize("source_as_target", [False, True], ids=["plain", "source-as-target"])
def test_the_export_is_xliff_1_2_valid_against_the_oasis_strict_schema(project: Path, tmp_path: Path,
                                                                        source_as_target: bool) -> None:
    """It was XLIFF 1.1 in namespace and version; with the 1.2 namespace the strict schema found 282 errors."""
    catalog = po_of(project)
    catalog.get("Director", "people.zhu.position").string = ""  # one entry left to translate
    (project / PO).write_text(po_text(catalog), encoding="utf-8")
    xlf = tmp_path / "lo.xlf"
    assert run(project, "xliff", "export", str(xlf), *(["--source-as-target"] if source_as_target else [])
               ).returncode == 0
    tree = etree.parse(str(xlf))
    schema = strict_schema()
    assert schema.validate(tree), "\n".join(str(error) for error in list(schema.error_log)[:10])
    root = tree.getroot()
    assert (root.tag, root.get("version")) == ("{urn:oasis:names:tc:xliff:document:1.2}xliff", "1.2")
    unit = tree.find(".//x:trans-unit[@resname='people.zhu.position']", NS)
    if source_as_target:  # what OmegaT translates: the target, marked as not yet a translation
        assert unit.find("x:target", NS).get("state") == "needs-translation"
        assert unit.findtext("x:target", namespaces=NS) == "Director"
    else:
        assert unit.find("x:target", NS) is None
    # Nothing is said to be reviewed: a confirmed translation is "translated", never approved.
    assert not tree.findall(".//x:trans-unit[@approved='yes']", NS)
    assert {t.get("state") for t in tree.findall(".//x:target", NS)} <= {
        "translated", "needs-review-translation", "needs-translation"}


def test_placeholders_are_inline_ph_elements_that_come_back_as_code(project: Path, tmp_path: Path) -> None:
    xlf = tmp_path / "lo.xlf"
    assert run(project, "xliff", "export", str(xlf)).returncode == 0
    tree = etree.parse(str(xlf))
    catalog = po_of(project)
    message = next(m for m in catalog if m.id and isinstance(m.id, str) and "{" in m.id and m.string)
    unit = tree.find(f".//x:trans-unit[@resname='{message.context}']", NS)
    codes = [ph.text for ph in unit.find("x:source", NS).findall("x:ph", NS)]
    assert codes and all(code in message.id for code in codes)
    assert "".join(unit.find("x:source", NS).itertext()) == message.id
    # A CAT tool moves the tags in the translation: the import writes their code back.
    target = unit.find("x:target", NS)
    phs = target.findall("x:ph", NS)
    assert [ph.text for ph in phs] == [ph for ph in codes if ph in message.string]
    for ph in phs:
        target.remove(ph)
    target.text, target.tail = "ແກ້ໄຂ ", target.tail
    for ph in phs:
        ph.tail = " "
        target.append(ph)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert run(project, "xliff", "import", str(xlf)).returncode == 0
    taken = po_of(project).get(message.id, message.context).string
    assert taken == "ແກ້ໄຂ " + "".join(f"{ph.text} " for ph in phs)


def test_translate_toolkit_reads_the_units_states_and_places(project: Path, tmp_path: Path) -> None:
    """Weblate reads XLIFF through Translate Toolkit; xliff2po is its converter back to PO."""
    from translate.storage.xliff import xlifffile

    catalog = po_of(project)
    paragraph = next(m for m in catalog if isinstance(m.id, str) and m.id.startswith("The target audience"))
    paragraph.flags.add("fuzzy")
    (project / PO).write_text(po_text(catalog), encoding="utf-8")
    xlf = tmp_path / "lo.xlf"
    assert run(project, "xliff", "export", str(xlf)).returncode == 0
    store = xlifffile.parsefile(str(xlf))
    assert store.gettargetlanguage() == "lo" and store.getsourcelanguage() == "en"
    units = {str(u.source): u for u in store.getunits()}
    director = units["Director"]
    assert director.target == catalog.get("Director", "people.zhu.position").string
    # The state says what is done: translated, or needing review (Translate Toolkit's own "fuzzy" reads only
    # approved="yes", which nothing here has: no one reviewed the translations).
    assert director.get_state_n() == director.S_UNREVIEWED and not director.isreview()
    assert units[paragraph.id].isreview()
    # datatype="po": Translate Toolkit reads the file by the OASIS representation guide for PO, a plural group
    # as one entry with its forms.
    plural = next(m for m in catalog if isinstance(m.id, (tuple, list)))
    group = next(u for u in store.getunits() if u.hasplural())
    assert group.source.strings[0] in plural.id and group.target.strings[0] == plural.string[0]

    po_file = tmp_path / "back.po"
    subprocess.run(["xliff2po", str(xlf), str(po_file)], check=True, capture_output=True)
    back = po_file.read_text(encoding="utf-8")
    # Each English text comes back with its translation (the msgctxt does not: xliff2po never writes one, so
    # the way back into the catalog is `xliff import`).
    assert 'msgid "Director"\nmsgstr "' + catalog.get("Director", "people.zhu.position").string + '"' in back


def _translate_in_cat_tool(xlf: Path, resname: str, text: str) -> None:
    tree = etree.parse(str(xlf))
    target = tree.find(f".//x:trans-unit[@resname='{resname}']/x:target", NS)
    target.text = text
    target.set("state", "translated")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")


def test_an_entry_changed_in_the_po_since_the_export_is_a_conflict_named_by_its_line(project: Path,
                                                                                        tmp_path: Path) -> None:
    """An XLIFF exported before a reviewer corrected the PO silently reverted the correction on import."""
    xlf = tmp_path / "lo.xlf"
    assert run(project, "xliff", "export", str(xlf)).returncode == 0
    catalog = po_of(project)
    corrected = catalog.get("Director", "people.zhu.position")
    corrected.string = "ຜູ້ອຳນວຍການ (ກວດແລ້ວ)"  # the reviewer's correction, in the PO after the export
    (project / PO).write_text(po_text(catalog), encoding="utf-8")
    other = next(m for m in catalog if m.context and m.context.startswith("people.") and m.string
                 and m.context != "people.zhu.position")
    _translate_in_cat_tool(xlf, "people.zhu.position", "ຜູ້ອຳນວຍການໃຫຍ່")
    _translate_in_cat_tool(xlf, other.context, "ແປໃໝ່")
    before = (project / PO).read_text(encoding="utf-8")
    line = line_of(project / PO, 'msgctxt "people.zhu.position"') + 1  # the msgid's line: Babel's lineno

    result = run(project, "xliff", "import", str(xlf))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{PO.as_posix()}:{line}: this entry changed in the PO since {xlf} was exported (“ຜູ້ອຳນວຍການ (ກວດແລ້ວ)”); "
        "the file's translation (“ຜູ້ອຳນວຍການໃຫຍ່”) was not taken — compare the two, keep the right one in the PO, "
        "then export again for the CAT tool")
    assert "nothing was taken" in result.stderr
    assert (project / PO).read_text(encoding="utf-8") == before

    result = run(project, "xliff", "import", str(xlf), "--skip-conflicts")
    assert result.returncode == 0, result.stderr
    assert "1 translations taken" in result.stdout
    after = po_of(project)
    assert after.get("Director", "people.zhu.position").string == "ຜູ້ອຳນວຍການ (ກວດແລ້ວ)"
    assert after.get(other.id, other.context).string == "ແປໃໝ່"


def test_the_import_takes_the_catalog_of_the_language_the_file_names(project: Path, tmp_path: Path) -> None:
    assert run(project, "init", "th").returncode == 0
    xlf = tmp_path / "th.xlf"
    assert run(project, "xliff", "export", str(xlf), "--lang", "th").returncode == 0
    text = xlf.read_text(encoding="utf-8")
    assert 'target-language="th"' in text
    tree = etree.parse(str(xlf))
    unit = tree.find(".//x:trans-unit[@resname='people.zhu.position']", NS)
    target = etree.Element(f"{{{NS['x']}}}target", state="translated")
    target.text = "ผู้อำนวยการ"
    unit.find("x:source", NS).addnext(target)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    lao = (project / PO).read_bytes()
    result = run(project, "xliff", "import", str(xlf))  # no --lang: the file says Thai
    assert result.returncode == 0, result.stderr
    assert "[th] 1 translations taken into locales/th/LC_MESSAGES/messages.po" in result.stdout
    assert po_of(project, "th").get("Director", "people.zhu.position").string == "ผู้อำนวยการ"
    assert (project / PO).read_bytes() == lao


def test_plural_forms_travel_as_a_group_and_come_back_whole() -> None:
    """Only the singular was exported; import copied one text into every form and left French msgstr[2] empty."""
    from babel.messages.catalog import Catalog

    from songphasa.i18n import xliff

    catalog = Catalog(locale="fr")
    catalog.add(("%(num)s hour", "%(num)s hours"), ("", "", ""), context="total")
    forms = catalog.num_plurals
    assert forms == 3
    data = xliff.export_xliff(catalog, "en", "fr", "messages.po")
    tree = etree.fromstring(data)
    group = tree.find(".//x:group[@restype='x-gettext-plurals']", NS)
    units = group.findall("x:trans-unit", NS)
    assert len(units) == forms and group.get("resname") == "total"
    assert ["".join(u.find("x:source", NS).itertext()) for u in units] == [
        "%(num)s hour", "%(num)s hours", "%(num)s hours"]
    assert strict_schema().validate(etree.ElementTree(tree)), strict_schema().error_log

    for index, unit in enumerate(units[:2]):  # a CAT tool translated two forms of three
        target = etree.SubElement(unit, f"{{{NS['x']}}}target", state="translated")
        unit.find("x:source", NS).addnext(target)
        target.text = f"forme {index}"
    partial = etree.tostring(tree)
    report = xliff.import_xliff(catalog, partial, "fr.xlf", "en", "fr", "messages.po")
    assert not report.changed and "needs all 3 forms of French" in report.skipped[0].message
    assert catalog.get("%(num)s hour", "total").string == ("", "", "")

    target = etree.SubElement(units[2], f"{{{NS['x']}}}target", state="translated")
    units[2].find("x:source", NS).addnext(target)
    target.text = "forme 2"
    report = xliff.import_xliff(catalog, etree.tostring(tree), "fr.xlf", "en", "fr", "messages.po")
    assert report.changed == ["total"]
    assert catalog.get("%(num)s hour", "total").string == ("forme 0", "forme 1", "forme 2")


@pytest.mark.renderer
def test_omegat_translates_the_source_as_target_export_with_the_tmx_and_the_import_takes_it(
        project: Path, tmp_path: Path) -> None:
    """OmegaT 3.6 translates a unit's target text and did not see the units without one."""
    memory = tmp_path / "memory.tmx"
    assert run(project, "tm", "export", str(memory), "--lang", "lo").returncode == 0
    catalog = po_of(project)
    director = catalog.get("Director", "people.zhu.position")
    lao = director.string
    director.string = ""  # left to translate; the memory knows it
    (project / PO).write_text(po_text(catalog), encoding="utf-8")

    omt = omegat_project(tmp_path / "omegat")
    memory.rename(omt / "tm" / "auto" / "memory.tmx")
    assert run(project, "xliff", "export", str(omt / "source" / "lo.xlf"), "--source-as-target").returncode == 0
    translate(omt, tmp_path / "config")
    translated = omt / "target" / "lo.xlf"
    unit = etree.parse(str(translated)).find(".//x:trans-unit[@resname='people.zhu.position']", NS)
    assert unit.findtext("x:target", namespaces=NS) == lao

    before = po_of(project)
    result = run(project, "xliff", "import", str(translated))
    assert result.returncode == 0, result.stderr
    after = po_of(project)
    taken = after.get("Director", "people.zhu.position")
    assert taken.string == lao and "fuzzy" in taken.flags  # OmegaT leaves the state: the translator reviews it
    # What OmegaT wrote from the memory into the other units is the PO's own translation: nothing else moved,
    # except where OmegaT chose another entry's translation of the same English (then fuzzy, for review).
    moved = [m for m in after if m.id and m.context != "people.zhu.position"
             and m.string != before.get(m.id, m.context).string]
    assert all("fuzzy" in m.flags for m in moved) and len(moved) <= 2


def test_a_file_without_fingerprints_fills_empty_entries_only() -> None:
    """Without the export's fingerprint nothing tells a CAT tool's work from a reverted correction."""
    from babel.messages.catalog import Catalog

    from songphasa.i18n import xliff

    catalog = Catalog(locale="lo")
    catalog.add("Director", "ຜູ້ອຳນວຍການ", context="position")
    catalog.add("Chair", "", context="chair")
    tree = etree.fromstring(xliff.export_xliff(catalog, "en", "lo", "messages.po", source_as_target=True))
    for context in tree.iter(f"{{{NS['x']}}}context-group"):
        context.getparent().remove(context)
    for unit, text in zip(tree.iter(f"{{{NS['x']}}}trans-unit"), ["ຜູ້ອຳນວຍການໃຫຍ່", "ປະທານ"], strict=True):
        target = unit.find("x:target", NS)
        target.text, target.attrib["state"] = text, "translated"
    report = xliff.import_xliff(catalog, etree.tostring(tree), "lo.xlf", "en", "lo", "messages.po")
    assert [p.message.split(";")[0] for p in report.conflicts] == [
        "this entry changed in the PO since lo.xlf was exported (“ຜູ້ອຳນວຍການ”)"]
    assert not report.changed and catalog.get("Chair", "chair").string == ""
    report = xliff.import_xliff(catalog, etree.tostring(tree), "lo.xlf", "en", "lo", "messages.po",
                                skip_conflicts=True)
    assert report.changed == ["chair"] and catalog.get("Director", "position").string == "ຜູ້ອຳນວຍການ"
