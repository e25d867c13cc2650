"""Write one rendered HTML article as a Word document.

The DOCX is made from the same HTML tree as the web page, so the two cannot
drift apart: headings, paragraphs, lists and tables map onto the named styles
of a reference document (``songphasa/templates/reference.docx``), which gives the look;
:class:`DocxSettings` gives the fonts, the page orientation and the metadata.

Lao needs care that python-docx does not take: ``Font.name`` fills only the
Latin font slots, so Word and LibreOffice would draw Lao with whatever
fallback font they find. Every stretch of Lao text therefore becomes a run of
its own carrying the complex-script font, size and language
(:func:`set_lao_run`), and the document defaults say the same for text an
organizer types in later.

The bytes are reproducible: the same article and settings give the same file,
because no clock time reaches the metadata or the zip entries.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

import lxml.html
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.oxml.table import CT_Tc
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Twips
from docx.styles import BabelFish
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from songphasa import languages
from songphasa.errors import SongphasaError

A4_SHORT, A4_LONG = 11906, 16838  # twips
DEFAULT_CREATED = datetime.datetime(2000, 1, 1)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
TABLE_STYLE = "Songphasa Table"
FALLBACK_TABLE_STYLE = "Table Grid"
HYPERLINK_STYLE = "Hyperlink"

# The complex-script language of a document whose event names none (the tool's default target).
LAO_BIDI_LANGUAGE = languages.word_region(languages.DEFAULT_TARGETS[0])

# The children of w:rPr in the order CT_RPr (ECMA-376 §17.3.2.28) requires;
# Word refuses a file whose run properties are out of order.
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
    "w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow",
    "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
    "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position",
    "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip

# Styles whose fonts write_docx states explicitly, so that Word's style
# dialog shows the event's fonts and not the theme's.
FONT_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3",
    "List Bullet", "List Bullet 2", "List Number", "List Number 2",
    TABLE_STYLE, FALLBACK_TABLE_STYLE,
)  # fmt: skip

HEADING_STYLES = {f"h{n}": f"Heading {n}" for n in range(1, 7)}
CLASS_STYLES = {"title": "Title", "subtitle": "Subtitle"}
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em i ins kbd mark q s samp "
    "small span strong sub sup time u var wbr".split()
)
SKIPPED_TAGS = frozenset(
    "script style template noscript img picture svg video audio canvas "
    "iframe object embed hr button input select textarea form".split()
)
HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
BREAK = "\n"  # a <br>; real newlines are collapsed to spaces before this is used
#: Marks a footnote reference among the pieces of a paragraph (a private-use character, never in text).
NOTE = "\ue000"
FOOTNOTES_XML = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    '</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>')

DEL_COLOR = "C00000"
INS_COLOR = "1F6F3F"
LINK_COLOR = "0563C1"


@dataclass(frozen=True)
class DocxSettings:
    """How one document is dressed: its language, fonts, page and metadata."""

    language: str  # BCP-47 primary tag of the document's main language (a code of the language table)
    lao_font: str = ""  # the font of Lao runs where ``fonts`` names none ("" for the table's)
    latin_font: str = "Times New Roman"
    fonts: tuple[tuple[str, str], ...] = ()  # (language code, font) of every language of the event
    languages: tuple[str, ...] = ()  # the event's languages, the source first: which language each script is

    def font_for(self, code: str) -> str:
        """The font of a language's runs: the event's, else the table's."""
        language = languages.get(code)
        if language.script is languages.LATIN:
            return dict(self.fonts).get(code) or self.latin_font
        if language.script is languages.LAO and self.lao_font:
            return dict(self.fonts).get(code) or self.lao_font
        return dict(self.fonts).get(code) or language.word_font

    def language_of(self, script: languages.Script) -> str:
        """The event's language written in a script."""
        return languages.language_for_script(script, self.languages or (self.language,))

    @property
    def complex_language(self) -> str:
        """The language of the document's complex-script (or East Asian) text: its own, else the event's first."""
        if languages.get(self.language).script is not languages.LATIN:
            return self.language
        others = [c for c in self.languages if languages.get(c).script is not languages.LATIN]
        return others[0] if others else languages.DEFAULT_TARGETS[0]
    title: str = ""  # core property title
    subject: str = ""
    author: str = ""  # e.g. the organizer's name
    created: datetime.datetime | None = None  # from the event, never the clock
    landscape: bool = False
    paper: str = "A4"  # a key of documents.PAPERS


def write_docx(
    article: lxml.html.HtmlElement,
    path: Path,
    *,
    reference: Path,
    settings: DocxSettings,
) -> None:
    """Write the article as a DOCX file, replacing any old file in one step."""
    data = docx_bytes(article, reference=reference, settings=settings)
    write_bytes_atomically(path, data)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old bytes or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Word may hold the old file open; a reader must never see a partial zip.
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes it private; a document is not
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def docx_bytes(
    article: lxml.html.HtmlElement,
    *,
    reference: Path,
    settings: DocxSettings,
) -> bytes:
    """Return the bytes of the DOCX for one article, the same on every run."""
    document = open_reference(reference)
    _clear_body(document)
    set_document_fonts(document, settings)
    set_page(document, landscape=settings.landscape, paper=settings.paper)
    add_page_number_footer(document)
    _Writer(document, settings, reference).write(article)
    set_core_properties(document, settings)
    return _zip(_package_entries(document), zip_date_time(settings.created))


# --- Lao runs ---------------------------------------------------------------


def is_lao(char: str) -> bool:
    """Tell whether a character belongs to a script Word draws with its own font slot (Lao, Thai, …)."""
    return languages.script_of(char) is not languages.LATIN


def _joins_lao(char: str) -> bool:
    # Spaces, punctuation and invisible word-break marks (U+200B) between two
    # Lao words are set in the Lao font so the line does not hop fonts.
    # Digits too ("ໃນ 18 ແຂວງ"): a number inside Lao or Thai text is set in that text's font and size.
    return char.isspace() or char.isdigit() or unicodedata.category(char)[0] in "PZ" or char in "\u200b\u200c\u200d"


def lao_mask(text: str) -> list:
    """Mark each character with the script of its run: a non-Latin Script, or False for Latin.

    A maximal stretch of one script's characters is a run of it; so are the
    spaces and punctuation between two such stretches. Everything else is Latin.
    """
    mask: list = [script if (script := languages.script_of(char)) is not languages.LATIN else False for char in text]
    last_lao: int | None = None
    for index, lao in enumerate(mask):
        if not lao:
            continue
        if last_lao is not None and index - last_lao > 1 and mask[last_lao] == lao:
            gap = range(last_lao + 1, index)
            if all(_joins_lao(text[i]) for i in gap):
                for i in gap:
                    mask[i] = lao
        last_lao = index
    return mask


def split_by_script(text: str) -> list[tuple[str, bool]]:
    """Split text into (chunk, is_lao) pieces along script boundaries (is_lao: not Latin)."""
    return [(chunk, bool(script)) for chunk, script in _split_by_mask(text, lao_mask(text))]


def _split_by_mask(text: str, mask: list[bool]) -> list[tuple[str, bool]]:
    chunks: list[tuple[str, bool]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or mask[index] != mask[start]:
            chunks.append((text[start:index], mask[start]))
            start = index
    return chunks


# Each w:rPr child's Clark name and those that must follow it: computed once,
# as rpr_child runs several times for every run of text.
_RPR_SUCCESSORS = {tag: tuple(qn(later) for later in RPR_ORDER[index + 1 :]) for index, tag in enumerate(RPR_ORDER)}


def rpr_child(rpr: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """Return the child of a w:rPr with this tag, adding it in schema order."""
    first: dict[object, BaseOxmlElement] = {}
    for present in rpr:  # one pass, instead of a search per possible successor
        first.setdefault(present.tag, present)
    existing = first.get(qn(tag))
    if existing is not None:
        return existing
    if tag not in _RPR_SUCCESSORS:
        raise ValueError(f"{tag} is not a child of w:rPr")
    child = OxmlElement(tag)
    # Before the first successor in schema order, as insert_element_before does.
    successor = next((first[name] for name in _RPR_SUCCESSORS[tag] if name in first), None)
    if successor is not None:
        successor.addprevious(child)
    else:
        rpr.append(child)
    return child


def _set_fonts(rpr: BaseOxmlElement, **slots: str) -> None:
    fonts = rpr_child(rpr, "w:rFonts")
    # A theme attribute wins over the named font, so it has to go.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot, font in slots.items():
        fonts.set(qn(f"w:{slot}"), font)


def set_lao_run(
    run: BaseOxmlElement,
    font: str,
    size_half_points: int,
    *,
    bold: bool = False,
    italic: bool = False,
    language: str = "",
) -> None:
    """Make a w:r draw its text in a language's script in the given font, in every application.

    The language table says which slot the script takes. Word and LibreOffice
    treat Lao and Thai as complex scripts: they take the font from the w:cs
    slot, the size from w:szCs, bold and italic from w:bCs and w:iCs, and the
    language from w:lang/@w:bidi. Chinese takes w:eastAsia and
    w:lang/@w:eastAsia. The Latin slots get the same font so that no path
    through either program falls back to another face. Without a language
    the run is Lao (the tool's default target).
    """
    spec = languages.get(language or languages.DEFAULT_TARGETS[0])
    size_half_points = round(size_half_points * spec.word_size_ratio)  # the script's fonts look small at the Latin size
    slot = spec.script.word_slot
    rpr = run.get_or_add_rPr()
    _set_fonts(rpr, ascii=font, hAnsi=font, **{slot: font} if slot != "ascii" else {})
    complex_ = spec.script.complex
    if bold:
        rpr_child(rpr, "w:b")
        if complex_:
            rpr_child(rpr, "w:bCs")
    if italic:
        rpr_child(rpr, "w:i")
        if complex_:
            rpr_child(rpr, "w:iCs")
    rpr_child(rpr, "w:sz").set(qn("w:val"), str(size_half_points))
    if complex_:
        rpr_child(rpr, "w:szCs").set(qn("w:val"), str(size_half_points))
        rpr_child(rpr, "w:cs")
    rpr_child(rpr, "w:lang").set(qn(f"w:{spec.word_lang_attribute}"), spec.word_region)


# --- document-wide settings -------------------------------------------------


def word_language(language: str) -> str:
    """Name a BCP-47 language the way Word's w:lang and core properties expect."""
    return languages.word_region(language)


def open_reference(reference: Path) -> DocumentObject:
    """Open the reference document that gives the styles and the page."""
    if not reference.is_file():
        raise SongphasaError(
            f"{reference.as_posix()}: reference document not found — "
            "regenerate it with `python -m songphasa.reference songphasa/templates/reference.docx`"
        )
    try:
        return Document(str(reference))
    except (ValueError, KeyError, zipfile.BadZipFile) as error:
        raise SongphasaError(
            f"{reference.as_posix()}: not a Word document ({error})"
        ) from error


def _clear_body(document: DocumentObject) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def set_document_fonts(document: DocumentObject, settings: DocxSettings) -> None:
    """State the event's fonts in the document defaults and the main styles.

    Text typed later in Word then comes out in the same fonts: Latin in the
    Latin font, Lao (a complex script) in the Lao font with the Lao language.
    """
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_language_fonts(rpr, settings)
    # Styles inherited from python-docx's template point at theme fonts
    # (Calibri, Cambria) that would override the defaults above.
    for fonts in styles.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    # One pass over the styles: `name in document.styles` and
    # `document.styles[name]` each walk all of them, twice per style named here.
    by_name: dict[str, BaseOxmlElement] = {}
    for style in styles.style_lst:
        by_name.setdefault(style.name_val, style)
    for name in FONT_STYLES:
        style = by_name.get(BabelFish.ui2internal(name))
        if style is not None:
            _set_language_fonts(style.get_or_add_rPr(), settings)


def _set_language_fonts(rpr: BaseOxmlElement, settings: DocxSettings) -> None:
    latin = settings.language_of(languages.LATIN)
    other = languages.get(settings.complex_language)
    other_font = settings.font_for(other.code)
    _set_fonts(
        rpr,
        ascii=settings.font_for(latin),
        hAnsi=settings.font_for(latin),
        eastAsia=other_font if other.script.word_slot == "eastAsia" else settings.font_for(latin),
        cs=other_font if other.script.complex else settings.font_for(latin),
    )
    lang = rpr_child(rpr, "w:lang")
    lang.attrib.pop(qn("w:eastAsia"), None)
    # Latin text in every document is the event's Latin-script language (names,
    # acronyms, fallbacks); the complex-script language is the document's own,
    # or in a Latin-script document the event's first other-script language.
    lang.set(qn("w:val"), word_language(latin))
    lang.set(qn(f"w:{other.word_lang_attribute}" if other.word_lang_attribute != "val" else "w:bidi"),
             other.word_region)


def set_page(document: DocumentObject, *, landscape: bool = False, paper: str = "A4") -> None:
    """Make every section the paper size (A4 by default), upright or on its side; margins stay the reference's."""
    from .documents import PAPERS
    short, long = PAPERS.get(paper, (A4_SHORT, A4_LONG))
    for section in document.sections:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Twips(long), Twips(short)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Twips(short), Twips(long)


def add_page_number_footer(document: DocumentObject) -> None:
    """Give every section a footer with the page number centred, unless it has one."""
    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        element = footer._element
        instructions = [
            *element.xpath(".//w:fldSimple/@w:instr"),
            *(text.text or "" for text in element.iter(qn("w:instrText"))),
        ]
        if any("PAGE" in instruction.split() for instruction in instructions):
            continue
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"  # shown until the application updates the field
        run.append(text)
        field.append(run)
        paragraph._p.append(field)


def set_core_properties(document: DocumentObject, settings: DocxSettings) -> None:
    """Fill the file's metadata from the settings, with no clock time in it."""
    created = settings.created or DEFAULT_CREATED
    if created.tzinfo is not None:
        created = created.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    properties = document.core_properties
    properties.title = settings.title
    properties.subject = settings.subject
    properties.author = settings.author
    properties.last_modified_by = settings.author
    properties.language = word_language(settings.language)
    properties.created = created
    properties.modified = created
    properties.revision = 1
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""


# --- reproducible zip -------------------------------------------------------


def zip_date_time(created: datetime.datetime | None) -> tuple[int, int, int, int, int, int]:
    """Choose the time stamped on every zip entry.

    SOURCE_DATE_EPOCH (the reproducible-builds convention) wins, then the
    event's creation time, then the earliest time a zip can hold.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment: datetime.datetime | None
    if epoch:
        try:
            seconds = int(epoch)
        except ValueError:
            raise SongphasaError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}"
            ) from None
        moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    else:
        moment = created
    if moment is None:
        return ZIP_EPOCH
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return max(stamp, ZIP_EPOCH)


def reproducible_zip(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """Rewrite a zip so that its bytes depend on its contents only.

    Entries keep their order; times, permissions and compression are fixed.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return _zip(((info.filename, source.read(info)) for info in source.infolist()), date_time)


def _zip(entries: Iterable[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, blob in entries:
            entry = zipfile.ZipInfo(name, date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so external_attr means file mode
            entry.external_attr = 0o100644 << 16
            target.writestr(entry, blob, compresslevel=9)
    return out.getvalue()


class _Entries:
    """Take what python-docx would write into its zip, in its order (a PhysPkgWriter stand-in)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.items.append((pack_uri.membername, blob))


def _package_entries(document: DocumentObject) -> list[tuple[str, bytes]]:
    """Return the files of the document's package as Document.save would zip them.

    Saving compresses every part only for reproducible_zip to unpack and
    compress it again; this does what OpcPackage.save does, minus the zip.
    """
    writer = PackageWriter
    if not all(hasattr(writer, name) for name in ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")):
        buffer = io.BytesIO()  # another python-docx: take the long way
        document.save(buffer)
        with zipfile.ZipFile(buffer) as source:
            return [(info.filename, source.read(info)) for info in source.infolist()]
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    entries = _Entries()
    writer._write_content_types_stream(entries, package.parts)
    writer._write_pkg_rels(entries, package.rels)
    writer._write_parts(entries, package.parts)
    return entries.items


# --- HTML to Word -------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    """Character formatting inherited down the HTML tree."""

    bold: bool = False
    italic: bool = False
    highlight: bool = False
    deleted: bool = False
    inserted: bool = False
    href: str | None = None
    lang: str | None = None


@dataclass
class _ListItem:
    """The list paragraph an <li> opens; later paragraphs of it continue the item."""

    style: str
    num_id: int | None
    level: int
    started: bool = False


@dataclass(frozen=True)
class _Context:
    fmt: _Format
    level: int = 0  # depth of list nesting
    item: _ListItem | None = None
    table_style: str | None = None


class _Body:
    """Where blocks go at the top level of the document."""

    def __init__(self, document: DocumentObject, width: int):
        self.document = document
        self.width = width  # twips available for a table
        # Document.add_table looks up the last section (an XPath over the
        # whole body) on every call; the page does not change while writing.
        self.block_width = document._block_width
        self.body = document._body

    def add_paragraph(self) -> Paragraph:
        return self.body.add_paragraph()

    def add_table(self, rows: int, cols: int) -> Table:
        return self.body.add_table(rows, cols, self.block_width)


class _CellBody:
    """Where blocks go inside a table cell: the first reuses the cell's empty paragraph."""

    def __init__(self, cell: _Cell, width: int):
        self.cell = cell
        self.width = width
        self.fresh = True

    def add_paragraph(self) -> Paragraph:
        if self.fresh:
            self.fresh = False
            return self.cell.paragraphs[0]
        return self.cell.add_paragraph()

    def add_table(self, rows: int, cols: int) -> Table:
        if self.fresh:
            # Word wants a paragraph last in a cell, not first: drop the
            # placeholder, add_table appends a closing paragraph itself.
            self.fresh = False
            placeholder = self.cell.paragraphs[0]._p
            placeholder.getparent().remove(placeholder)
        return self.cell.add_table(rows, cols)


_Container = _Body | _CellBody


def _classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _skipped(element: lxml.html.HtmlElement) -> bool:
    return (
        not isinstance(element.tag, str)
        or element.tag in SKIPPED_TAGS
        or element.get("hidden") is not None
        or "screen-only" in _classes(element)
    )


def _inherited_lang(element: lxml.html.HtmlElement) -> str | None:
    for node in (element, *element.iterancestors()):
        lang = node.get("lang")
        if lang is not None:
            return lang
    return None


def _collect_inline(
    element: lxml.html.HtmlElement, fmt: _Format, pieces: list[tuple[str, _Format]]
) -> None:
    """Gather the text inside an element (not its tail) with its formatting."""
    fmt = _inline_format(element, fmt)
    if element.tag == "br":
        pieces.append((BREAK, fmt))
        return
    if "footnote-ref" in _classes(element):
        # A real Word footnote takes the place of the page's superscript link.
        target = element.find(".//a")
        name = (target.get("href") or "") if target is not None else ""
        pieces.append((NOTE + name.removeprefix("#fn-"), replace(fmt, href=None)))
        return
    if element.text:
        pieces.append((element.text, fmt))
    for child in element:
        if not _skipped(child):
            _collect_inline(child, fmt, pieces)
        if child.tail:
            pieces.append((child.tail, fmt))


def _inline_format(element: lxml.html.HtmlElement, fmt: _Format) -> _Format:
    tag = element.tag
    changes: dict[str, object] = {}
    if tag in ("strong", "b", "th"):
        changes["bold"] = True
    if tag in ("em", "i", "cite", "dfn", "var"):
        changes["italic"] = True
    if tag == "del" or tag == "s":
        changes["deleted"] = True
    if tag in ("ins", "u"):
        changes["inserted"] = True
    if tag == "mark" or "needs-translation" in _classes(element):
        changes["highlight"] = True
    if tag == "a" and element.get("href"):
        changes["href"] = element.get("href")
    if element.get("lang") is not None:
        changes["lang"] = element.get("lang")
    return replace(fmt, **changes) if changes else fmt


def _collapse(pieces: Iterable[tuple[str, _Format]]) -> list[tuple[str, _Format]]:
    """Collapse white space the way a browser lays out one block of text."""
    out: list[tuple[str, _Format]] = []
    after_space = True  # strips the block's leading space
    for text, fmt in pieces:
        if text == BREAK:
            _strip_trailing(out)
            out.append((BREAK, fmt))
            after_space = True
            continue
        text = HTML_WHITESPACE.sub(" ", text)
        if after_space:
            text = text.lstrip(" ")
        if text:
            out.append((text, fmt))
            after_space = text.endswith(" ")
    _strip_trailing(out)
    while out and out[-1][0] == BREAK:  # a final <br> adds no line in a browser
        out.pop()
        _strip_trailing(out)
    return out


def _strip_trailing(out: list[tuple[str, _Format]]) -> None:
    while out and out[-1][0] != BREAK:
        text, fmt = out[-1]
        text = text.rstrip(" ")
        if text:
            out[-1] = (text, fmt)
            return
        out.pop()


class _Writer:
    """Turn the blocks of one article into paragraphs and tables of one document."""

    def __init__(self, document: DocumentObject, settings: DocxSettings, reference: Path):
        self.document = document
        self.settings = settings
        self.reference = reference
        self.sizes: dict[str, int] = {}
        self.break_next = False
        # python-docx finds a style by walking every style of the styles part,
        # and a style's id (to set it on a paragraph) by a second such walk
        # for the default style: ~1 ms each, on every paragraph. Looked up
        # once per name here, since the writer never adds or renames styles.
        self.styles = document.styles
        self.known: dict[str, bool] = {}
        self.found: dict[str, BaseStyle] = {}
        self.style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self.has_link_style = self.has_style(HYPERLINK_STYLE)
        section = document.sections[-1]
        self.text_width = Length(
            section.page_width - section.left_margin - section.right_margin
        ).twips

    def write(self, article: lxml.html.HtmlElement) -> None:
        self.notes = {li.get("id").removeprefix("fn-"): li
                      for li in article.xpath('.//section[contains(concat(" ", @class, " "), " footnotes ")]//li[@id]')}
        self.note_ids: dict[str, int] = {}
        self.footnotes_part = None
        lang = _inherited_lang(article)
        context = _Context(fmt=_Format(lang=lang))
        self.blocks(article, _Body(self.document, self.text_width), context)

    # blocks

    def blocks(
        self, parent: lxml.html.HtmlElement, container: _Container, context: _Context
    ) -> None:
        """Write the children of a container element; loose text becomes a paragraph."""
        pending: list[lxml.html.HtmlElement | str] = []

        def flush() -> None:
            if pending:
                self.paragraph(list(pending), container, context)
                pending.clear()

        if parent.text:
            pending.append(parent.text)
        for child in parent:
            if _skipped(child):
                pass
            elif child.tag in INLINE_TAGS and not _classes(child) & CLASS_STYLES.keys():
                pending.append(child)
            else:
                flush()
                self.block(child, container, context)
            if child.tail:
                pending.append(child.tail)
        flush()

    def block(
        self, element: lxml.html.HtmlElement, container: _Container, context: _Context
    ) -> None:
        """Write one block-level element."""
        if element.get("lang") is not None:
            context = replace(context, fmt=replace(context.fmt, lang=element.get("lang")))
        tag = element.tag
        classes = _classes(element)
        if "footnotes" in classes:
            return  # its notes are Word footnotes, at their references
        if "page-break-before" in classes:
            # On a <section> the break belongs to its first paragraph.
            self.break_next = True
        style = next((CLASS_STYLES[c] for c in sorted(classes) if c in CLASS_STYLES), None)
        if style or tag in HEADING_STYLES:
            self.paragraph([element], container, context, style or HEADING_STYLES[tag])
        elif tag == "p":
            self.paragraph([element], container, context)
        elif tag in ("ul", "ol"):
            self.list(element, container, context)
        elif tag == "table":
            self.table(element, container, context)
        else:
            self.blocks(element, container, context)

    def paragraph(
        self,
        nodes: list[lxml.html.HtmlElement | str],
        container: _Container,
        context: _Context,
        style: str | None = None,
    ) -> Paragraph | None:
        """Write inline content as one paragraph; nothing if it is only white space."""
        pieces: list[tuple[str, _Format]] = []
        for node in nodes:
            if isinstance(node, str):
                pieces.append((node, context.fmt))
            else:
                _collect_inline(node, context.fmt, pieces)
        pieces = _collapse(pieces)
        if not pieces:
            return None
        num_id: int | None = None
        item = context.item
        if style is None and item is not None:
            if item.started:
                style = "List Continue" + ("" if item.level == 1 else f" {item.level}")
            else:
                style, num_id, item.started = item.style, item.num_id, True
        style = style or "Normal"
        paragraph = container.add_paragraph()
        # What `paragraph.style = name` does, with the id looked up once.
        paragraph._p.style = self.style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        p_pr = paragraph._p.pPr
        if p_pr is not None and len(p_pr) == 0:  # left by setting the default style
            paragraph._p.remove(p_pr)
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        element = next((n for n in nodes if not isinstance(n, str)), None)
        if element is not None and len(nodes) == 1:
            self._paragraph_classes(paragraph, _classes(element))
        if self.break_next:
            paragraph.paragraph_format.page_break_before = True
            self.break_next = False
        self.runs(paragraph, pieces, self.style_size(style, context.table_style))
        return paragraph

    @staticmethod
    def _paragraph_classes(paragraph: Paragraph, classes: set[str]) -> None:
        if "center" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif "right" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def list(
        self, element: lxml.html.HtmlElement, container: _Container, context: _Context
    ) -> None:
        """Write a ul or ol, one list paragraph per li; an ol starts again at 1."""
        level = min(context.level + 1, 3)
        kind = "Number" if element.tag == "ol" else "Bullet"
        style = f"List {kind}" + ("" if level == 1 else f" {level}")
        num_id = self.restart_numbering(style) if element.tag == "ol" else None
        for child in element:
            if _skipped(child):
                continue
            item = _ListItem(style, num_id, level)
            inner = replace(context, level=level, item=item)
            if child.tag == "li":
                self.blocks(child, container, inner)
            else:  # stray content in a list still reaches the reader
                self.block(child, container, inner)

    def restart_numbering(self, style: str) -> int | None:
        """Return a new numbering instance for the style's list, counting from 1.

        All paragraphs of a List Number style share one w:num, so Word would
        number a second list 4, 5, 6; a w:num of its own with a start
        override restarts it.
        """
        style_element = self.style(style).element
        num_ids = style_element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        if not num_ids:
            return None
        numbering = self.document.part.numbering_part.element
        abstract = numbering.xpath(f'./w:num[@w:numId="{num_ids[0]}"]/w:abstractNumId/@w:val')
        if not abstract:
            return None
        num = numbering.add_num(int(abstract[0]))
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    # tables

    def table(
        self, element: lxml.html.HtmlElement, container: _Container, context: _Context
    ) -> None:
        """Write a table: header rows repeat on each page, rows never split."""
        for caption in element.findall("caption"):
            if not _skipped(caption):
                self.paragraph([caption], container, context, "Caption")
        rows = list(self._rows(element))
        placements, columns = _place_cells(rows)
        if not rows or not columns:
            return
        table = container.add_table(len(rows), columns)
        style_name = TABLE_STYLE if self.has_style(TABLE_STYLE) else FALLBACK_TABLE_STYLE
        table._tbl.tblStyle_val = self.style_id(style_name, WD_STYLE_TYPE.TABLE)
        widths = _column_widths(element, columns, container.width)
        header_rows = 0
        for tr, is_header in rows:
            if not is_header:
                break
            header_rows += 1
        # Table.cell() and Table.rows[i] rebuild the whole grid on every
        # call, which made a table quadratic in its size: take the rows and
        # cells of the fresh (not yet merged) table once.
        trs = table._tbl.tr_lst
        grid = [tr.tc_lst for tr in trs]
        for index, (tr, is_header) in enumerate(rows):
            tr_pr = trs[index].get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if index < header_rows:
                tr_pr.append(OxmlElement("w:tblHeader"))
        _set_table_look(table, first_row=header_rows > 0)
        if widths:
            _set_widths(table, widths)
        cell_context = _Context(fmt=context.fmt, table_style=style_name)
        for row, column, rowspan, colspan, cell_element in placements:
            cell = _grid_cell(table, grid, row, column)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(_grid_cell(table, grid, row + rowspan - 1, column + colspan - 1))
            if widths:
                width = sum(widths[column : column + colspan])
                cell.width = Twips(width)
            else:
                width = container.width * colspan // columns
            inner = cell_context
            if cell_element.tag == "th":
                inner = replace(inner, fmt=replace(inner.fmt, bold=True))
            if cell_element.get("lang") is not None:
                inner = replace(inner, fmt=replace(inner.fmt, lang=cell_element.get("lang")))
            self.blocks(cell_element, _CellBody(cell, width), inner)

    @staticmethod
    def _rows(
        table: lxml.html.HtmlElement,
    ) -> Iterator[tuple[lxml.html.HtmlElement, bool]]:
        for child in table:
            if _skipped(child):
                continue
            if child.tag == "tr":
                yield child, _all_th(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                for tr in child:
                    if not _skipped(tr) and tr.tag == "tr":
                        yield tr, child.tag == "thead" or _all_th(tr)

    # runs

    def runs(self, paragraph: Paragraph, pieces: list[tuple[str, _Format]], size: int) -> None:
        """Append the runs of one paragraph, split by formatting and by script."""
        text = "".join(piece for piece, _ in pieces)
        mask = lao_mask(text)
        position = 0
        link_href: str | None = None
        link: BaseOxmlElement | None = None
        for piece, fmt in pieces:
            if fmt.href != link_href:
                link_href = fmt.href
                link = self._hyperlink(paragraph, fmt.href) if _external(fmt.href) else None
            parent = link if link is not None else paragraph._p
            if piece.startswith(NOTE):
                parent.append(self.footnote_reference(piece[len(NOTE):], size))
            elif piece == BREAK:
                run = OxmlElement("w:r")
                run.append(OxmlElement("w:br"))
                parent.append(run)
            else:
                chunk_mask = mask[position : position + len(piece)]
                for chunk, script in _split_by_mask(piece, chunk_mask):
                    parent.append(self.run(chunk, fmt, script, size))
            position += len(piece)

    def footnote_reference(self, name: str, size: int) -> BaseOxmlElement:
        """Make the run that refers to a footnote, writing the footnote itself the first time."""
        if name not in self.note_ids:
            self.note_ids[name] = len(self.note_ids) + 1
            self._write_footnote(self.note_ids[name], self.notes.get(name), size)
        run = OxmlElement("w:r")
        rpr_child(run.get_or_add_rPr(), "w:vertAlign").set(qn("w:val"), "superscript")
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(self.note_ids[name]))
        run.append(ref)
        return run

    def _write_footnote(self, number: int, item: lxml.html.HtmlElement | None, size: int) -> None:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml.parser import parse_xml
        if self.footnotes_part is None:
            self.footnotes_part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                                          parse_xml(FOOTNOTES_XML), self.document.part.package)
            self.document.part.relate_to(self.footnotes_part, RT.FOOTNOTES)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        p = OxmlElement("w:p")
        note.append(p)
        mark = OxmlElement("w:r")
        rpr_child(mark.get_or_add_rPr(), "w:vertAlign").set(qn("w:val"), "superscript")
        mark.append(OxmlElement("w:footnoteRef"))
        p.append(mark)
        pieces: list[tuple[str, _Format]] = []
        if item is not None:
            _collect_inline(item, _Format(lang=_inherited_lang(item)), pieces)
        pieces = [(" ", _Format())] + [(text, replace(fmt, href=None)) for text, fmt in _collapse(pieces)
                                        if text != BREAK and not text.startswith(NOTE)]
        text = "".join(t for t, _ in pieces)
        mask = lao_mask(text)
        position = 0
        for piece, fmt in pieces:
            for chunk, script in _split_by_mask(piece, mask[position:position + len(piece)]):
                p.append(self.run(chunk, fmt, script, size))
            position += len(piece)
        self.footnotes_part.element.append(note)

    def _hyperlink(self, paragraph: Paragraph, href: str) -> BaseOxmlElement:
        link = OxmlElement("w:hyperlink")
        r_id = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
        link.set(qn("r:id"), r_id)
        link.set(qn("w:history"), "1")
        paragraph._p.append(link)
        return link

    def run(self, text: str, fmt: _Format, lao, size: int) -> BaseOxmlElement:
        """Make one w:r with its text and formatting; ``lao`` is the run's non-Latin script, or False."""
        run = OxmlElement("w:r")
        rpr = run.get_or_add_rPr()
        if _external(fmt.href) and self.has_link_style:
            style_id = self.style(HYPERLINK_STYLE).style_id
            rpr_child(rpr, "w:rStyle").set(qn("w:val"), style_id)
        if lao:
            code = self.settings.language_of(lao)
            set_lao_run(run, self.settings.font_for(code), size, bold=fmt.bold, italic=fmt.italic, language=code)
        else:
            if fmt.bold:
                rpr_child(rpr, "w:b")
            if fmt.italic:
                rpr_child(rpr, "w:i")
            primary = (fmt.lang or "").split("-")[0].lower()
            said = (*self.settings.languages, self.settings.language, self.settings.language_of(languages.LATIN),
                    self.settings.complex_language)  # what the document defaults already say
            if primary and primary not in said:
                rpr_child(rpr, "w:lang").set(qn("w:val"), fmt.lang or "")
        if fmt.deleted:
            rpr_child(rpr, "w:strike")
            rpr_child(rpr, "w:color").set(qn("w:val"), DEL_COLOR)
        elif fmt.inserted:
            rpr_child(rpr, "w:color").set(qn("w:val"), INS_COLOR)
        elif _external(fmt.href) and not self.has_link_style:
            rpr_child(rpr, "w:color").set(qn("w:val"), LINK_COLOR)
        if fmt.highlight:
            rpr_child(rpr, "w:highlight").set(qn("w:val"), "yellow")
        if fmt.inserted or (_external(fmt.href) and not self.has_link_style):
            rpr_child(rpr, "w:u").set(qn("w:val"), "single")
        if len(rpr) == 0:
            run.remove(rpr)
        t = OxmlElement("w:t")
        t.text = text
        if text != text.strip():
            t.set(qn("xml:space"), "preserve")
        run.append(t)
        return run

    # styles

    def has_style(self, name: str) -> bool:
        """Tell whether the reference document defines a style of this name."""
        if name not in self.known:
            self.known[name] = name in self.styles
        return self.known[name]

    def style(self, name: str) -> BaseStyle:
        """Return the reference document's style, or say which one is missing."""
        if name not in self.found:
            if not self.has_style(name):
                raise SongphasaError(
                    f"{self.reference.as_posix()}: the reference document has no style "
                    f"'{name}' — regenerate it with `python -m songphasa.reference` "
                    "or add the style in Word"
                )
            self.found[name] = self.styles[name]
        return self.found[name]

    def style_id(self, name: str, kind: WD_STYLE_TYPE) -> str | None:
        """Return the id to write for a style (None for the default style of its kind)."""
        key = (name, kind)
        if key not in self.style_ids:
            self.style_ids[key] = self.document.part.get_style_id(self.style(name), kind)
        return self.style_ids[key]

    def style_size(self, style: str, table_style: str | None = None) -> int:
        """Return the font size in half-points text in this style comes out at."""
        key = f"{style}|{table_style}"
        if key not in self.sizes:
            size = _chain_size(self.style(style))
            if size is None and table_style:
                size = _chain_size(self.style(table_style))
            if size is None:
                size = _default_size(self.document)
            self.sizes[key] = size
        return self.sizes[key]


def _grid_cell(table: Table, grid: list[list[CT_Tc]], row: int, column: int) -> _Cell:
    """Return the cell at a grid position of a table being filled.

    ``grid`` holds the w:tc of every position as the table was created. A
    merge swallows the w:tc it covers (or marks it as a vertical
    continuation); a position like that, reached only when HTML spans
    overlap, is looked up the slow way so it resolves as python-docx would.
    """
    tc = grid[row][column]
    if tc.getparent() is None or tc.vMerge == ST_Merge.CONTINUE:
        return table.cell(row, column)
    return _Cell(tc, table)


def _chain_size(style: BaseStyle | None) -> int | None:
    seen: set[str] = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        size = style.element.xpath("./w:rPr/w:sz/@w:val")
        if size:
            return int(size[0])
        style = style.base_style
    return None


def _default_size(document: DocumentObject) -> int:
    size = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val")
    return int(size[0]) if size else 20  # Word's own default: 10 pt


def _external(href: str | None) -> bool:
    # Links within the page (#item-3) have no bookmark to land on in Word;
    # their text is kept, the link is not.
    return bool(href) and not (href or "").startswith("#")


def _all_th(tr: lxml.html.HtmlElement) -> bool:
    cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
    return bool(cells) and all(c.tag == "th" for c in cells)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _place_cells(
    rows: list[tuple[lxml.html.HtmlElement, bool]],
) -> tuple[list[tuple[int, int, int, int, lxml.html.HtmlElement]], int]:
    """Lay the cells on a grid as a browser does, honouring colspan and rowspan."""
    occupied: set[tuple[int, int]] = set()
    placements = []
    for row, (tr, _) in enumerate(rows):
        column = 0
        for cell in tr:
            if _skipped(cell) or cell.tag not in ("td", "th"):
                continue
            while (row, column) in occupied:
                column += 1
            colspan = _span(cell.get("colspan"))
            rowspan = min(_span(cell.get("rowspan")), len(rows) - row)
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((row + dr, column + dc))
            placements.append((row, column, rowspan, colspan, cell))
            column += colspan
    columns = max((c for _, c in occupied), default=-1) + 1
    return placements, columns


def _column_widths(table: lxml.html.HtmlElement, columns: int, available: int) -> list[int]:
    spec = table.get("data-widths")
    if not spec:
        return []
    try:
        shares = [float(part) for part in spec.split(",")]
    except ValueError:
        shares = []
    if len(shares) != columns or any(share <= 0 for share in shares):
        raise SongphasaError(
            f"a table's data-widths {spec!r} must give {columns} positive percentages, "
            "one per column"
        )
    total = sum(shares)
    return [round(available * share / total) for share in shares]


def _set_widths(table: Table, widths: list[int]) -> None:
    table.autofit = False
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        grid_col.w = Twips(width)
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(widths)))


def _set_table_look(table: Table, *, first_row: bool) -> None:
    # The table style shades its first row only when the look says the first
    # row is a header; a table without <th> must not get a grey first row.
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    flags = {"firstRow": first_row, "lastRow": False, "firstColumn": False,
             "lastColumn": False, "noHBand": True, "noVBand": True}  # fmt: skip
    bits = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80,
            "lastColumn": 0x100, "noHBand": 0x200, "noVBand": 0x400}  # fmt: skip
    look.set(qn("w:val"), f"{sum(bits[k] for k, on in flags.items() if on):04X}")
    for name, on in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")


__all__ = [
    "DocxSettings",
    "docx_bytes",
    "write_docx",
    "write_bytes_atomically",
    "set_lao_run",
    "split_by_script",
    "reproducible_zip",
    "zip_date_time",
]
