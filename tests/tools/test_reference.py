"""The reference document's maker: the committed file has the styles and page it sets."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from songphasa.project import BUILTIN_TEMPLATES
from tools.reference import STYLES, make_reference

REFERENCE = BUILTIN_TEMPLATES / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def test_the_committed_reference_has_the_styles_and_page_make_reference_sets(tmp_path: Path) -> None:
    """Compare what Songphasa decides (styles, page), not bytes python-docx happens to produce."""
    rebuilt = tmp_path / "reference.docx"
    make_reference(rebuilt)

    def parts(path: Path) -> tuple[dict[str, bytes], bytes]:
        with zipfile.ZipFile(path) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"))
            document = etree.fromstring(archive.read("word/document.xml"))
        ours = {s.get(w("styleId")): etree.tostring(s, method="c14n") for s in styles.iter(w("style"))
                if s.get(w("styleId")) in STYLES}
        (section,) = document.iter(w("sectPr"))
        page = b"".join(etree.tostring(section.find(w(tag)), method="c14n") for tag in ("pgSz", "pgMar"))
        return ours, page

    new_styles, new_page = parts(rebuilt)
    committed_styles, committed_page = parts(REFERENCE)
    assert set(committed_styles) == set(STYLES)
    for style_id in STYLES:
        assert committed_styles[style_id] == new_styles[style_id], (
            f"style {style_id} differs: run `python tools/reference.py songphasa/templates/reference.docx`")
    assert committed_page == new_page
