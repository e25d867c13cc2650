"""The DOCX writer, module by module: what a person opening the file in Word would check.

Helpers shared by its tests: write an article's DOCX, read its parts, and
compare one element's XML with the expected XML (as python-docx's tests do).
"""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import lxml.html
from lxml import etree

from songphasa.project import BUILTIN_TEMPLATES
from songphasa.write_docx.settings import DocxSettings
from songphasa.write_docx.writer import docx_bytes

REFERENCE = BUILTIN_TEMPLATES / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
ODSC = "ສູນບໍລິການຜ່ານປະຕູດຽວ (ODSC) ກະຊວງພາຍໃນ"
CREATED = datetime.datetime(2025, 3, 4, 8, 30)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def r(name: str) -> str:
    return f"{{{NS['r']}}}{name}"


def lao_settings(**changes: object) -> DocxSettings:
    return DocxSettings(language="lo", title="ກອງປະຊຸມ", author="MoHA", created=CREATED, **changes)


def en_settings(**changes: object) -> DocxSettings:
    return DocxSettings(language="en", title="Workshop", author="MoHA", created=CREATED, **changes)


def article(body: str, lang: str = "en") -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f'<article lang="{lang}">{body}</article>')


def write(tmp_path: Path, body: str, settings: DocxSettings, name: str = "doc.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(docx_bytes(article(body, settings.language), reference=REFERENCE, settings=settings))
    return path


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def body(path: Path) -> etree._Element:
    return part(path, "word/document.xml").find(w("body"))


def style_names(path: Path) -> dict[str, str]:
    styles = part(path, "word/styles.xml")
    return {
        style.get(w("styleId")): style.find(w("name")).get(w("val"))
        for style in styles.iter(w("style"))
    }


def paragraph_styles(path: Path) -> list[str]:
    names = style_names(path)
    found = []
    for paragraph in body(path).iter(w("p")):
        ids = paragraph.xpath("./w:pPr/w:pStyle/@w:val", namespaces=NS)
        found.append(names[ids[0]] if ids else "Normal")
    return found


def run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(w("t")))


def runs(path: Path) -> list[etree._Element]:
    return [r for r in body(path).iter(w("r")) if run_text(r)]


def has_lao(text: str) -> bool:
    return any("\u0e80" <= char <= "\u0eff" for char in text)


def paragraph_texts(path: Path) -> list[str]:
    return ["".join(run_text(r) for r in p.iter(w("r"))) for p in body(path).iter(w("p"))]


# --- one element's XML -------------------------------------------------------------

PREFIXES = {uri: prefix for prefix, uri in NS.items()} | {"http://www.w3.org/XML/1998/namespace": "xml"}
DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())


def element(xml: str) -> etree._Element:
    """Parse expected XML written with the w:, r:… prefixes, which need no declaration."""
    xml = xml.strip()
    tag_end = next(i for i, c in enumerate(xml) if c in " />")
    return etree.fromstring(f"{xml[:tag_end]} {DECLARATIONS}{xml[tag_end:]}",
                            etree.XMLParser(remove_blank_text=True))


def _name(clark: str) -> str:
    qname = etree.QName(clark)
    return f"{PREFIXES[qname.namespace]}:{qname.localname}" if qname.namespace else qname.localname


def xml_of(node: etree._Element) -> str:
    """Write an element's XML with the usual prefixes and sorted attributes, whatever prefixes lxml gave it."""
    attributes = "".join(f' {name}="{value}"' for name, value in sorted((_name(k), v) for k, v in node.attrib.items()))
    inner = (node.text or "") + "".join(xml_of(child) + (child.tail or "") for child in node)
    tag = _name(node.tag)
    return f"<{tag}{attributes}>{inner}</{tag}>" if inner else f"<{tag}{attributes}/>"


def assert_xml(actual: etree._Element, expected: str) -> None:
    """Compare one element's XML with the expected XML."""
    assert xml_of(actual) == xml_of(element(expected))
