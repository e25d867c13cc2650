"""The package: the page, the footer, the metadata and the zip, the same bytes for the same input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
import pytest

from songphasa.errors import SongphasaError
from songphasa.write_docx.package import References, set_page
from songphasa.write_docx.settings import DocxSettings
from songphasa.write_docx.writer import docx_bytes

from . import NS, ODSC, REFERENCE, assert_xml, body, element, en_settings, lao_settings, part, r, w, write


@pytest.mark.parametrize(
    ("landscape", "size"),
    [(False, ("11906", "16838", None)), (True, ("16838", "11906", "landscape"))],
)
def test_page_is_a4(tmp_path: Path, landscape: bool, size: tuple[str, str, str | None]) -> None:
    path = write(tmp_path, "<p>x</p>", en_settings(landscape=landscape))
    page = body(path).find(f"{w('sectPr')}/{w('pgSz')}")
    assert (page.get(w("w")), page.get(w("h")), page.get(w("orient"))) == size


def test_the_page_size_goes_after_the_header_and_footer_references() -> None:
    section = element('<w:sectPr><w:footerReference w:type="default" r:id="rId9"/><w:pgMar w:top="1134"/></w:sectPr>')
    set_page([section], paper="A5", landscape=True)
    assert_xml(section, """
        <w:sectPr><w:footerReference w:type="default" r:id="rId9"/>
          <w:pgSz w:w="11906" w:h="8391" w:orient="landscape"/><w:pgMar w:top="1134"/></w:sectPr>""")


def test_footer_numbers_the_pages(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>x</p>", en_settings())
    (reference,) = body(path).xpath("./w:sectPr/w:footerReference", namespaces=NS)
    rels = part(path, "word/_rels/document.xml.rels")
    target = rels.xpath(
        f'./rel:Relationship[@Id="{reference.get(r("id"))}"]/@Target', namespaces=NS
    )[0]
    footer = part(path, f"word/{target}")
    assert footer.xpath(".//w:fldSimple/@w:instr", namespaces=NS) == [" PAGE "]
    assert footer.xpath(".//w:jc/@w:val", namespaces=NS) == ["center"]


def test_core_properties_come_from_the_settings(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>x</p>", lao_settings(subject="Concept note"))
    core = part(path, "docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS) == "ກອງປະຊຸມ"
    assert core.findtext("dc:subject", namespaces=NS) == "Concept note"
    assert core.findtext("dc:creator", namespaces=NS) == "MoHA"
    assert core.findtext("cp:lastModifiedBy", namespaces=NS) == "MoHA"
    assert core.findtext("dc:language", namespaces=NS) == "lo-LA"
    assert core.findtext("dcterms:created", namespaces=NS) == "2025-03-04T08:30:00Z"
    assert core.findtext("dcterms:modified", namespaces=NS) == "2025-03-04T08:30:00Z"
    assert core.findtext("cp:revision", namespaces=NS) == "1"


def test_without_a_date_the_metadata_uses_a_fixed_one(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>x</p>", DocxSettings(language="en"))
    core = part(path, "docProps/core.xml")
    assert core.findtext("dcterms:created", namespaces=NS) == "2000-01-01T00:00:00Z"
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- reproducible bytes -----------------------------------------------------------


def test_the_same_input_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    html = (
        f'<h1>ກອງປະຊຸມ</h1><p>{ODSC} <a href="https://example.org">link</a></p>'
        "<ol><li>a</li></ol>"
    )
    first = write(tmp_path, html, lao_settings(), "first.docx")
    second = write(tmp_path, html, lao_settings(), "second.docx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2025, 3, 4, 8, 30, 0)}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_source_date_epoch_sets_the_zip_timestamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = write(tmp_path, "<p>x</p>", en_settings(), "plain.docx")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    stamped = write(tmp_path, "<p>x</p>", en_settings(), "stamped.docx")
    assert plain.read_bytes() != stamped.read_bytes()
    with zipfile.ZipFile(stamped) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_a_bad_source_date_epoch_is_the_plain_error_of_every_command(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    with pytest.raises(SongphasaError, match="SOURCE_DATE_EPOCH: is 'abc', not a whole number of seconds"):
        write(tmp_path, "<p>x</p>", en_settings())


def test_documents_written_with_the_reference_kept_are_those_written_alone(tmp_path: Path) -> None:
    references = References()
    for settings in (en_settings(), lao_settings(), en_settings(latin_font="Arial")):
        page = lxml.html.fromstring(f'<article lang="{settings.language}"><p>{ODSC}</p></article>')
        assert docx_bytes(page, reference=REFERENCE, settings=settings, references=references) == \
            docx_bytes(page, reference=REFERENCE, settings=settings)
    assert references.read(REFERENCE) is references.read(REFERENCE)  # read once
    # The styles are dressed once per set of fonts: the English and Lao documents name the same ones.
    assert len(references.styles) == 2


def test_a_missing_reference_is_reported_with_a_fix(tmp_path: Path) -> None:
    page = lxml.html.fromstring("<article><p>x</p></article>")
    with pytest.raises(SongphasaError, match="python tools/reference.py"):
        docx_bytes(page, reference=tmp_path / "nope.docx", settings=en_settings())


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not a zip", b"<html/>"], ids=["empty", "truncated", "html"])
def test_a_damaged_reference_is_reported_with_a_fix(tmp_path: Path, data: bytes) -> None:
    damaged = tmp_path / "reference.docx"
    damaged.write_bytes(data)
    page = lxml.html.fromstring("<article><p>x</p></article>")
    with pytest.raises(SongphasaError, match="templates/reference.docx: is not a Word document that can be read"):
        docx_bytes(page, reference=damaged, settings=en_settings())


def test_a_reference_document_that_unpacks_to_a_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """A 1.5 MB reference.docx that inflated to 1.5 GB took 2.1 GB of memory and ended in a MemoryError."""
    import resource

    from songphasa.errors import TemplateError
    from songphasa.write_docx.package import read_reference

    bomb = tmp_path / "templates" / "reference.docx"
    bomb.parent.mkdir()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as part_file:
            for _ in range(120):
                part_file.write(b"\0" * 2**20)
    assert bomb.stat().st_size < 2**20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(TemplateError) as refused:
        read_reference(bomb)
    assert str(refused.value) == (
        "templates/reference.docx: unpacks to 120 MiB, more than the 100 MiB a reference document may — save it "
        "again from Word or LibreOffice with only the styles in it, or delete it to use the built-in one")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: nothing was inflated
