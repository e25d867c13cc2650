"""The XML layer: run and paragraph properties are kept in the order the schema requires."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from songphasa.write_docx.oxml import RPR_ORDER, ppr_child, rpr_child, run_properties

from . import ODSC, assert_xml, body, element, lao_settings, w, write


def test_rpr_child_puts_each_child_in_schema_order_and_returns_the_one_there() -> None:
    run = element("<w:r><w:t>x</w:t></w:r>")
    rpr = run_properties(run)
    rpr_child(rpr, "w:lang").set(w("val"), "en-US")
    rpr_child(rpr, "w:b")
    rpr_child(rpr, "w:sz").set(w("val"), "22")
    assert rpr_child(rpr, "w:b") is rpr[0]
    assert_xml(run, '<w:r><w:rPr><w:b/><w:sz w:val="22"/><w:lang w:val="en-US"/></w:rPr><w:t>x</w:t></w:r>')


def test_rpr_child_refuses_what_is_no_child_of_run_properties() -> None:
    with pytest.raises(ValueError, match="w:jc"):
        rpr_child(element("<w:rPr/>"), "w:jc")


def test_ppr_child_puts_each_child_in_schema_order() -> None:
    ppr = element('<w:pPr><w:pStyle w:val="Title"/><w:jc w:val="center"/></w:pPr>')
    ppr_child(ppr, "w:keepNext")
    assert ppr_child(ppr, "w:jc") is ppr[-1]
    assert_xml(ppr, '<w:pPr><w:pStyle w:val="Title"/><w:keepNext/><w:jc w:val="center"/></w:pPr>')


def test_run_properties_follow_the_schema_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f'<p><a href="https://example.org"><strong><em>{ODSC}</em></strong></a>'
        f' <span class="needs-translation"><del>ເກົ່າ</del></span></p>',
        lao_settings(),
    )
    for rpr in body(path).iter(w("rPr")):
        tags = [f"w:{etree.QName(child).localname}" for child in rpr]
        positions = [RPR_ORDER.index(tag) for tag in tags]
        assert positions == sorted(positions), tags
