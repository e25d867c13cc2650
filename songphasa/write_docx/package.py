"""The package of one document: the reference's parts, relationships, content types, metadata, page and zip.

Every document is the reference document (``songphasa/templates/reference.docx``
or the project's own) with a new body: the reference is read once, its body
emptied and a page-number footer added when it has none; then each document
puts in its body, its fonts, its numbering, footnotes and links, and its
metadata. The bytes depend on the inputs only: no clock time reaches the
metadata or the zip entries.
"""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from songphasa import languages
from songphasa.documents.kinds import PAPERS
from songphasa.errors import Problem, SongphasaError, TemplateError
from songphasa.reproducible import source_date, zip_bytes, zip_date_time

from .oxml import NAMESPACES, W_P, W_R, W_T, W_VAL, paragraph_properties, parser, ppr_child, qn, serialize, to_int
from .settings import DocxSettings
from .styles import REFERENCE_TOOL, StyleTable, set_document_fonts, set_paragraph_defaults, word_language

A4_SHORT, A4_LONG = 11906, 16838  # twips
DEFAULT_CREATED = datetime.datetime(2000, 1, 1)  # the metadata's time when the settings give none

PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_OFFICE_DOCUMENT = f"{RELATIONSHIP}/officeDocument"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
RT_STYLES = f"{RELATIONSHIP}/styles"
RT_NUMBERING = f"{RELATIONSHIP}/numbering"
RT_FOOTER = f"{RELATIONSHIP}/footer"
RT_FOOTNOTES = f"{RELATIONSHIP}/footnotes"
RT_HYPERLINK = f"{RELATIONSHIP}/hyperlink"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_NAME = "word/footnotes.xml"

FOOTNOTES_XML = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    '</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>')
FOOTER_XML = (
    '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>')


# --- the reference document -------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """What every document takes from the reference: its parts, normalised once.

    The body is emptied and a page-number footer added when the reference has
    none, so that a document only puts its own body and settings in.
    """

    entries: list[tuple[str, bytes]]  # zip order; the main document part's body is empty
    document_name: str  # "word/document.xml"
    styles_name: str | None
    numbering_name: str | None
    styles: bytes
    style_table: StyleTable

    def styles_for(self, settings: DocxSettings) -> bytes:
        """Return styles.xml with the event's fonts."""
        root = etree.fromstring(self.styles, parser())
        set_document_fonts(root, settings)
        set_paragraph_defaults(root, compact=settings.compact)
        return serialize(root)


#: A reference document's bounds: its file, and what its parts unpack to (the built-in one: 0.04 MiB).
MAX_REFERENCE_BYTES = 20 * 2**20
MAX_REFERENCE_INFLATED = 100 * 2**20


def read_reference(reference: Path) -> Reference:
    """Read the reference document that gives the styles and the page; say plainly when it cannot be read."""
    if not reference.is_file():
        raise SongphasaError(
            f"{reference.as_posix()}: reference document not found — "
            f"regenerate it with `{REFERENCE_TOOL} songphasa/templates/reference.docx`"
        )
    name = f"templates/{reference.name}"
    if reference.stat().st_size > MAX_REFERENCE_BYTES:
        raise TemplateError(Problem(name, None, f"is larger than the {MAX_REFERENCE_BYTES // 2**20} MiB a reference "
                                    "document may be", "keep only the styles, page and footer in it"))
    try:
        data = reference.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        if inflated > MAX_REFERENCE_INFLATED:  # checked before anything is inflated: a zip bomb stops here
            raise TemplateError(Problem(name, None, f"unpacks to {inflated / 2**20:,.0f} MiB, more than the "
                                        f"{MAX_REFERENCE_INFLATED // 2**20} MiB a reference document may",
                                        "save it again from Word or LibreOffice with only the styles in it, "
                                        "or delete it to use the built-in one"))
        return load_reference(data)
    except (ValueError, KeyError, IndexError, StopIteration, EOFError, zlib.error, zipfile.BadZipFile,
            etree.XMLSyntaxError):
        # Empty, truncated or not a DOCX at all.
        raise TemplateError(Problem(
            f"templates/{reference.name}", None, "is not a Word document that can be read (empty or damaged)",
            "save it again from Word or LibreOffice as .docx, or delete it to use the built-in one")) from None


class References:
    """The reference document last read, and its styles in each set of fonts: for whoever writes many documents.

    Reading the reference and dressing its styles in the event's fonts takes
    twice the time of writing a short document: a build or a `watch` session
    that keeps one of these reads the reference once per file version
    (measured: a `watch` round that rewrites three documents takes half
    again as long without it).
    """

    def __init__(self) -> None:
        self.key: tuple[str, int, int] | None = None
        self.reference: Reference | None = None
        self.styles: dict[tuple[object, ...], bytes] = {}

    def read(self, reference: Path) -> Reference:
        """Return the reference document, read again only when the file changed."""
        stat = reference.stat() if reference.is_file() else None
        key = (str(reference.resolve()), stat.st_mtime_ns, stat.st_size) if stat else None
        if key is None or key != self.key or self.reference is None:
            loaded = read_reference(reference)
            # One reference at a time: a build has one, and memory stays flat in `watch`.
            self.key, self.reference, self.styles = key, loaded, {}
        return self.reference

    def styles_for(self, reference: Reference, settings: DocxSettings) -> bytes:
        """Return the reference's styles.xml with the event's fonts, dressed once per set of fonts."""
        if reference is not self.reference:  # not read here: nothing to keep it with
            return reference.styles_for(settings)
        key = (settings.latin_font, settings.fonts, settings.language_of(languages.LATIN), settings.complex_language)
        if key not in self.styles:
            self.styles[key] = reference.styles_for(settings)
        return self.styles[key]


def rels_name(part: str) -> str:
    """Name the relationships part of a part: word/document.xml has word/_rels/document.xml.rels."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def resolve_target(part: str, target: str) -> str:
    """Resolve a relationship target relative to its source part."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = list(PurePosixPath(part).parent.parts)
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def relative_target(source: str, name: str) -> str:
    """Name a part as a relationship of the source part points at it."""
    folder = str(PurePosixPath(source).parent)
    return name[len(folder) + 1:] if folder not in (".", "") and name.startswith(folder + "/") else "/" + name


def load_reference(data: bytes) -> Reference:
    """Read a reference document's bytes: its parts in zip order, with an empty body and a page-number footer."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist() if not info.is_dir()]
    files = dict(entries)
    xml = parser()
    package_rels = etree.fromstring(files["_rels/.rels"], xml)
    main = next(rel.get("Target") for rel in package_rels if rel.get("Type") == RT_OFFICE_DOCUMENT)
    document_name = resolve_target("", main or "")
    document_rels_name = rels_name(document_name)
    rels = etree.fromstring(files[document_rels_name], xml) if document_rels_name in files \
        else etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS})
    by_type: dict[str, str] = {}
    for rel in rels:
        if rel.get("TargetMode") != "External":
            by_type.setdefault(rel.get("Type", ""), resolve_target(document_name, rel.get("Target", "")))
    document = etree.fromstring(files[document_name], xml)
    body = document.find(qn("w:body"))
    if body is None:
        raise ValueError("the main document part has no body")
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sections = list(document.iter(qn("w:sectPr")))
    if not sections:
        sections = [etree.SubElement(body, qn("w:sectPr"))]
    content_types = etree.fromstring(files["[Content_Types].xml"], xml)
    changed: dict[str, bytes] = {}
    added: list[tuple[str, bytes]] = []
    for section in sections:
        footer = _page_number_footer(section, rels, files, document_name, content_types, added)
        if footer is not None:
            changed[footer[0]] = footer[1]
    changed[document_name] = serialize(document)
    changed[document_rels_name] = serialize(rels)
    changed["[Content_Types].xml"] = serialize(content_types)
    names = [name for name, _ in entries]
    if document_rels_name not in names:
        names.append(document_rels_name)
    out = [(name, changed.get(name, files.get(name, b""))) for name in names] + added
    styles_name = by_type.get(RT_STYLES)
    styles = files[styles_name] if styles_name in files else b""
    numbering_name = by_type.get(RT_NUMBERING)
    return Reference(out, document_name, styles_name if styles else None,
                     numbering_name if numbering_name in files else None,
                     styles, StyleTable.read(etree.fromstring(styles, xml) if styles else None))


def _page_number_footer(section: etree._Element, rels: etree._Element, files: dict[str, bytes], document_name: str,
                        content_types: etree._Element, added: list[tuple[str, bytes]]) -> tuple[str, bytes] | None:
    """Give a section a footer with the page number centred, unless its footer has one; return a changed part."""
    reference = next((r for r in section.iterchildren(qn("w:footerReference"))
                      if r.get(qn("w:type"), "default") == "default"), None)
    footer: etree._Element | None = None
    name = None
    if reference is not None:
        rel = next((r for r in rels if r.get("Id") == reference.get(qn("r:id"))), None)
        if rel is not None:
            name = resolve_target(document_name, rel.get("Target", ""))
            if name in files:
                footer = etree.fromstring(files[name], parser())
    if footer is None:
        number = 1
        taken = set(files) | {n for n, _ in added}
        while f"word/footer{number}.xml" in taken:
            number += 1
        name = f"word/footer{number}.xml"
        footer = etree.fromstring(FOOTER_XML, parser())
        r_id = add_relationship(rels, RT_FOOTER, f"footer{number}.xml")
        if reference is None:
            reference = section.makeelement(qn("w:footerReference"))
            section.insert(len([c for c in section if c.tag in (qn("w:headerReference"),
                                                                qn("w:footerReference"))]), reference)
            reference.set(qn("w:type"), "default")
        reference.set(qn("r:id"), r_id)
        override = etree.SubElement(content_types, f"{{{CONTENT_TYPES}}}Override")
        override.set("PartName", f"/{name}")
        override.set("ContentType", CT_FOOTER)
        added.append((name, b""))  # filled below
    instructions = [*footer.xpath(".//w:fldSimple/@w:instr", namespaces=NAMESPACES),
                    *(text.text or "" for text in footer.iter(qn("w:instrText")))]
    if any("PAGE" in str(instruction).split() for instruction in instructions):
        return None
    paragraph = footer.find(W_P)
    if paragraph is None:
        paragraph = etree.SubElement(footer, W_P)
    ppr_child(paragraph_properties(paragraph), "w:jc").set(W_VAL, "center")
    fld = etree.SubElement(paragraph, qn("w:fldSimple"))
    fld.set(qn("w:instr"), " PAGE ")
    etree.SubElement(etree.SubElement(fld, W_R), W_T).text = "1"  # shown until the application updates the field
    data = serialize(footer)
    for index, (added_name, _) in enumerate(added):
        if added_name == name:
            added[index] = (name, data)
            return None
    return (name, data) if name is not None else None


def add_relationship(rels: etree._Element, reltype: str, target: str, *, external: bool = False) -> str:
    """Relate a part or an address; reuse an equal relationship; return its id."""
    taken = set()
    for rel in rels:
        if rel.get("Type") == reltype and rel.get("Target") == target and \
                (rel.get("TargetMode") == "External") == external:
            return rel.get("Id", "")
        taken.add(rel.get("Id"))
    number = 1
    while f"rId{number}" in taken:
        number += 1
    rel = etree.SubElement(rels, f"{{{PKG_RELS}}}Relationship")
    rel.set("Id", f"rId{number}")
    rel.set("Type", reltype)
    rel.set("Target", target)
    if external:
        rel.set("TargetMode", "External")
    return f"rId{number}"


# --- page and metadata ----------------------------------------------------------


def set_page(sections: Iterable[etree._Element], *, landscape: bool = False, paper: str = "A4") -> None:
    """Make every w:sectPr the paper size (A4 by default), upright or on its side; margins stay the reference's."""
    short, long = PAPERS.get(paper, (A4_SHORT, A4_LONG))
    width, height = (long, short) if landscape else (short, long)
    for section in sections:
        size = section.find(qn("w:pgSz"))
        if size is None:
            size = section.makeelement(qn("w:pgSz"))
            # After the header and footer references, before everything else.
            references = [c for c in section if c.tag in (qn("w:headerReference"), qn("w:footerReference"))]
            if references:
                references[-1].addnext(size)
            else:
                section.insert(0, size)
        size.set(qn("w:w"), str(width))
        size.set(qn("w:h"), str(height))
        if landscape:
            size.set(qn("w:orient"), "landscape")
        else:
            size.attrib.pop(qn("w:orient"), None)


def text_width(section: etree._Element | None) -> int:
    """Return the twips between the margins of a section's page."""
    size = section.find(qn("w:pgSz")) if section is not None else None
    margins = section.find(qn("w:pgMar")) if section is not None else None
    width = to_int(size.get(qn("w:w"))) if size is not None else None
    left = to_int(margins.get(qn("w:left"))) if margins is not None else None
    right = to_int(margins.get(qn("w:right"))) if margins is not None else None
    return (width or A4_SHORT) - (left if left is not None else 1440) - (right if right is not None else 1440)


def text_height(section: etree._Element | None) -> int:
    """Return the twips between the top and bottom margins of a section's page."""
    size = section.find(qn("w:pgSz")) if section is not None else None
    margins = section.find(qn("w:pgMar")) if section is not None else None
    height = to_int(size.get(qn("w:h"))) if size is not None else None
    top = to_int(margins.get(qn("w:top"))) if margins is not None else None
    bottom = to_int(margins.get(qn("w:bottom"))) if margins is not None else None
    return (height or A4_LONG) - abs(top if top is not None else 1440) - abs(bottom if bottom is not None else 1440)


def set_core_properties(core: etree._Element, settings: DocxSettings) -> None:
    """Fill a cp:coreProperties from the settings, with no clock time in it."""
    created = settings.created or DEFAULT_CREATED
    if created.tzinfo is not None:
        created = created.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    values = {
        "dc:title": settings.title, "dc:subject": settings.subject, "dc:creator": settings.author,
        "cp:keywords": "", "dc:description": "", "cp:lastModifiedBy": settings.author, "cp:revision": "1",
        "dcterms:created": stamp, "dcterms:modified": stamp, "cp:category": "",
        "dc:language": word_language(settings.language),
    }  # fmt: skip
    for tag, value in values.items():
        element = core.find(qn(tag))
        if element is None:
            element = etree.SubElement(core, qn(tag))
        element.text = value
        if tag.startswith("dcterms:"):
            element.set(qn("xsi:type"), "dcterms:W3CDTF")


# --- one document's parts -----------------------------------------------------


class Package:
    """The parts of one document being written: the reference's, with a new body."""

    def __init__(self, reference: Reference, settings: DocxSettings, styles: bytes):
        self.reference = reference
        self.settings = settings
        self.styles = styles  # styles.xml in the event's fonts
        self.parts = dict(reference.entries)
        self.document = etree.fromstring(self.parts[reference.document_name], parser())
        body = self.document.find(qn("w:body"))
        assert body is not None  # load_reference refuses a document without one
        self.body = body
        self.sections = list(self.document.iter(qn("w:sectPr")))
        self.rels_name = rels_name(reference.document_name)
        self._rels: etree._Element | None = None
        self._numbering: etree._Element | None = None
        self.footnotes: etree._Element | None = None

    @property
    def rels(self) -> etree._Element:
        """The main document part's relationships, read when a document first adds one."""
        if self._rels is None:
            self._rels = etree.fromstring(self.parts[self.rels_name], parser())
        return self._rels

    @property
    def numbering(self) -> etree._Element | None:
        """The numbering part, read when a document first numbers a list (None when the reference has none)."""
        if self._numbering is None and self.reference.numbering_name:
            self._numbering = etree.fromstring(self.parts[self.reference.numbering_name], parser())
        return self._numbering

    def additions(self) -> tuple[int, int]:
        """How many relationships and numbering entries the document has (0: not read yet, none added)."""
        return (len(self._rels) if self._rels is not None else 0,
                len(self._numbering) if self._numbering is not None else 0)

    def relate_external(self, address: str) -> str:
        """Return the id of a hyperlink relationship to an address."""
        return add_relationship(self.rels, RT_HYPERLINK, address, external=True)

    def footnotes_part(self) -> etree._Element:
        """Return the w:footnotes of the document, adding the part the first time."""
        if self.footnotes is None:
            self.footnotes = etree.fromstring(FOOTNOTES_XML, parser())
        return self.footnotes

    def entries(self) -> list[tuple[str, bytes]]:
        """Return the files of the package in zip order."""
        changed: dict[str, bytes] = {self.reference.document_name: serialize(self.document)}
        if self.reference.styles_name:
            changed[self.reference.styles_name] = self.styles
        if self._numbering is not None and self.reference.numbering_name:
            changed[self.reference.numbering_name] = serialize(self._numbering)
        added: list[tuple[str, bytes]] = []
        if self.footnotes is not None:
            add_relationship(self.rels, RT_FOOTNOTES, relative_target(self.reference.document_name, FOOTNOTES_NAME))
            types = etree.fromstring(self.parts["[Content_Types].xml"], parser())
            override = etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override")
            override.set("PartName", f"/{FOOTNOTES_NAME}")
            override.set("ContentType", CT_FOOTNOTES)
            changed["[Content_Types].xml"] = serialize(types)
            added.append((FOOTNOTES_NAME, serialize(self.footnotes)))
        if self._rels is not None:
            changed[self.rels_name] = serialize(self._rels)
        core = self._core_name()
        if core is not None:
            root = etree.fromstring(self.parts[core], parser())
            set_core_properties(root, self.settings)
            changed[core] = serialize(root)
        return [(name, changed.get(name, data)) for name, data in self.reference.entries] + added

    def zip(self) -> bytes:
        """Return the bytes of the DOCX: its parts zipped, every entry at the event's time or SOURCE_DATE_EPOCH's."""
        return zip_bytes(self.entries(), zip_date_time(source_date() or self.settings.created))

    def _core_name(self) -> str | None:
        rels = etree.fromstring(self.parts["_rels/.rels"], parser())
        target = next((rel.get("Target") for rel in rels if rel.get("Type") == RT_CORE), None)
        name = resolve_target("", target) if target else None
        return name if name in self.parts else None
