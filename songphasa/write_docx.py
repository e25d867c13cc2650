"""Write one rendered HTML article as a Word document.

The DOCX is made from the same HTML tree as the web page, so the two cannot
drift apart: headings, paragraphs, lists and tables map onto the named styles
of a reference document (``songphasa/templates/reference.docx``), which gives the look;
:class:`DocxSettings` gives the fonts, the page orientation and the metadata.

The WordprocessingML is written directly with lxml: the reference document is
read once per process (its styles, numbering, footer, relationships), and each
document is its parts with a new body. python-docx's object layer, which the
first version used, spent most of a build looking styles up and creating
proxy objects.

Lao, Thai and the other scripts of the language table need care that a word
processor's Latin font settings do not take: every stretch of such text
becomes a run of its own carrying the font slot, size and language its script
takes in Word (:func:`set_lao_run`: for Lao and Thai the complex-script
``w:cs``, ``w:szCs``, ``w:bCs``/``w:iCs`` and ``w:lang/@w:bidi``), and the
document defaults say the same for text an organizer types in later.

The bytes are reproducible: the same article and settings give the same file,
because no clock time reaches the metadata or the zip entries.
"""

from __future__ import annotations

import bisect
import copy
import datetime
import io
import os
import re
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

import lxml.html
from lxml import etree

from songphasa import languages
from songphasa.links import allowed_link
from songphasa.errors import SongphasaError

A4_SHORT, A4_LONG = 11906, 16838  # twips
DEFAULT_CREATED = datetime.datetime(2000, 1, 1)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
TABLE_STYLE = "Songphasa Table"
FALLBACK_TABLE_STYLE = "Table Grid"
HYPERLINK_STYLE = "Hyperlink"

# The complex-script language of a document whose event names none (the tool's default target).
LAO_BIDI_LANGUAGE = languages.word_region(languages.DEFAULT_TARGETS[0])

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
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


@lru_cache(maxsize=None)
def qn(tag: str) -> str:
    """Turn a prefixed name (``w:p``) into the Clark name lxml uses."""
    prefix, name = tag.split(":")
    return f"{{{NAMESPACES[prefix]}}}{name}"


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

# Word's built-in styles are stored under a lower-case name ("heading 1") and
# shown capitalised ("Heading 1"); the same table python-docx keeps (BabelFish).
_UI_NAMES = ("Caption", "Footer", "Header", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5",
             "Heading 6", "Heading 7", "Heading 8", "Heading 9")


def internal_style_name(name: str) -> str:
    """Name a style as styles.xml stores it (``Heading 1`` is ``heading 1``)."""
    return name.lower() if name in _UI_NAMES else name


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
FOOTER_XML = (
    '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>')

LINK_COLOR = "0563C1"

# Clark names used on every run and paragraph, computed once.
W_P, W_PPR, W_R, W_RPR, W_T = qn("w:p"), qn("w:pPr"), qn("w:r"), qn("w:rPr"), qn("w:t")
W_VAL = qn("w:val")
W_DEL_TEXT = qn("w:delText")
XML_SPACE = qn("xml:space")


@dataclass(frozen=True)
class DocxSettings:
    """How one document is dressed: its language, fonts, page and metadata."""

    language: str  # BCP-47 primary tag of the document's main language (a code of the language table)
    lao_font: str = ""  # the font of Lao runs where ``fonts`` names none ("" for the table's)
    latin_font: str = "Times New Roman"
    fonts: tuple[tuple[str, str], ...] = ()  # (language code, font) of every language of the event
    languages: tuple[str, ...] = ()  # the event's languages, the source first: which language each script is
    title: str = ""  # core property title
    subject: str = ""
    author: str = ""  # e.g. the organizer's name
    created: datetime.datetime | None = None  # from the event, never the clock
    landscape: bool = False
    paper: str = "A4"  # a key of documents.PAPERS
    reviser: str = ""  # the author of tracked changes (<ins>/<del>): the secretariat; else `author`

    def font_for(self, code: str) -> str:
        """The font of a language's runs: the event's, else the table's."""
        language = languages.get(code)
        named = dict(self.fonts).get(code)
        if language.script is languages.LATIN:
            return named or self.latin_font
        if language.script is languages.LAO and self.lao_font:
            return named or self.lao_font
        return named or language.word_font

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
    package = _Package(open_reference(reference), settings)
    set_page(package.sections, landscape=settings.landscape, paper=settings.paper)
    _Writer(package, settings, reference).write(article)
    return _zip(package.entries(), zip_date_time(settings.created))


# --- runs of other scripts (Lao, Thai, …) -----------------------------------


def is_lao(char: str) -> bool:
    """Tell whether a character belongs to a script Word draws with its own font slot (Lao, Thai, …)."""
    return languages.script_of(char) is not languages.LATIN


def _joins_lao(char: str) -> bool:
    # Spaces, punctuation and invisible word-break marks (U+200B) between two
    # Lao words are set in the Lao font so the line does not hop fonts.
    # Digits too ("ໃນ 18 ແຂວງ"): a number inside Lao or Thai text is set in that text's font and size.
    return char.isspace() or char.isdigit() or unicodedata.category(char)[0] in "PZ" or char in "\u200b\u200c\u200d"


def script_spans(text: str) -> list[tuple[int, int, languages.Script]]:
    """Return where the runs of other scripts are: (start, end, Script), in order; the rest is Latin.

    A maximal stretch of one script's characters is a run of it; so are the
    spaces, digits and punctuation between two stretches of the same script.
    """
    spans: list[tuple[int, int, languages.Script]] = []
    for match in _STRETCH.finditer(text):  # stretch by stretch: most text has none
        start, end = match.span()
        script = languages.SCRIPTS[match.lastindex - 1]
        if spans and spans[-1][2] is script and all(_joins_lao(char) for char in text[spans[-1][1]:start]):
            spans[-1] = (spans[-1][0], end, script)
        else:
            spans.append((start, end, script))
    return spans


# One group per script of the table, in its order: a match's group names its script.
_STRETCH = re.compile("|".join(f"([{script.char_class}]+)" for script in languages.SCRIPTS))


def split_by_script(text: str) -> list[tuple[str, bool]]:
    """Split text into (chunk, is_lao) pieces along script boundaries (is_lao: not Latin)."""
    spans = script_spans(text)
    return [(chunk, bool(script)) for chunk, script in _split_by_spans(text, 0, spans, [end for _, end, _ in spans])]


def _split_by_spans(piece: str, offset: int, spans: list, ends: list[int]) -> list[tuple[str, object]]:
    """Cut a piece of a paragraph's text (starting at ``offset`` in it) where its script changes: (chunk, Script or False).

    ``spans`` are the paragraph's script_spans; ``ends`` their ends, to find the first one reaching the piece.
    """
    if not piece:
        return []
    if not spans:  # most pieces of an English document
        return [(piece, False)]
    stop = offset + len(piece)
    chunks: list[tuple[str, object]] = []
    position = offset
    for start, end, script in spans[bisect.bisect_right(ends, offset):]:
        if start >= stop:
            break
        if start > position:
            chunks.append((piece[position - offset:start - offset], False))
            position = start
        until = min(end, stop)
        chunks.append((piece[position - offset:until - offset], script))
        position = until
    if position < stop:
        chunks.append((piece[position - offset:], False))
    return chunks


# Each w:rPr child's Clark name and those that must follow it: computed once,
# as rpr_child runs several times for every run of text.
_RPR_SUCCESSORS = {tag: tuple(qn(later) for later in RPR_ORDER[index + 1 :]) for index, tag in enumerate(RPR_ORDER)}


def rpr_child(rpr: etree._Element, tag: str) -> etree._Element:
    """Return the child of a w:rPr with this tag, adding it in schema order."""
    first: dict[object, etree._Element] = {}
    for present in rpr:  # one pass, instead of a search per possible successor
        first.setdefault(present.tag, present)
    existing = first.get(qn(tag))
    if existing is not None:
        return existing
    if tag not in _RPR_SUCCESSORS:
        raise ValueError(f"{tag} is not a child of w:rPr")
    child = etree.SubElement(rpr, qn(tag))
    # Before the first successor in schema order, as insert_element_before does.
    successor = next((first[name] for name in _RPR_SUCCESSORS[tag] if name in first), None)
    if successor is not None:
        successor.addprevious(child)
    return child


def run_properties(run: etree._Element) -> etree._Element:
    """Return a w:r's (or a style's) w:rPr, adding it as the first child."""
    rpr = run.find(W_RPR)
    if rpr is None:
        rpr = run.makeelement(W_RPR)
        run.insert(0, rpr)
    return rpr


def _set_fonts(rpr: etree._Element, **slots: str) -> None:
    fonts = rpr_child(rpr, "w:rFonts")
    # A theme attribute wins over the named font, so it has to go.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot, font in slots.items():
        fonts.set(qn(f"w:{slot}"), font)


def set_lao_run(
    run: etree._Element,
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
    rpr = run_properties(run)
    _set_fonts(rpr, ascii=font, hAnsi=font, **({slot: font} if slot != "ascii" else {}))
    complex_ = spec.script.complex
    if bold:
        rpr_child(rpr, "w:b")
        if complex_:
            rpr_child(rpr, "w:bCs")
    if italic:
        rpr_child(rpr, "w:i")
        if complex_:
            rpr_child(rpr, "w:iCs")
    rpr_child(rpr, "w:sz").set(W_VAL, str(size_half_points))
    if complex_:
        rpr_child(rpr, "w:szCs").set(W_VAL, str(size_half_points))
        rpr_child(rpr, "w:cs")
    rpr_child(rpr, "w:lang").set(qn(f"w:{spec.word_lang_attribute}"), spec.word_region)


# --- document-wide settings -------------------------------------------------


def word_language(language: str) -> str:
    """Name a BCP-47 language the way Word's w:lang and core properties expect."""
    return languages.word_region(language)


def set_document_fonts(styles: etree._Element, settings: DocxSettings) -> None:
    """State the event's fonts in the document defaults and the main styles of a w:styles.

    Text typed later in Word then comes out in the same fonts: Latin in the
    Latin font, Lao or Thai (complex scripts) in the document's font for them
    with their language.
    """
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = styles.makeelement(qn("w:docDefaults"))
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = defaults.makeelement(qn("w:rPrDefault"))
        defaults.insert(0, rpr_default)
    _set_language_fonts(run_properties(rpr_default), settings)
    # Styles inherited from python-docx's template point at theme fonts
    # (Calibri, Cambria) that would override the defaults above.
    for fonts in styles.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    by_name: dict[str, etree._Element] = {}
    for style in styles.iterchildren(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            by_name.setdefault(name.get(W_VAL), style)
    for name in FONT_STYLES:
        style = by_name.get(internal_style_name(name))
        if style is not None:
            _set_language_fonts(_style_rpr(style), settings)


def _style_rpr(style: etree._Element) -> etree._Element:
    # In a w:style, w:rPr comes after w:pPr (and before w:tblPr and the rest).
    rpr = style.find(W_RPR)
    if rpr is not None:
        return rpr
    rpr = style.makeelement(W_RPR)
    later = [child for child in style if child.tag in (qn("w:tblPr"), qn("w:trPr"), qn("w:tcPr"),
                                                        qn("w:tblStylePr"))]
    if later:
        later[0].addprevious(rpr)
    else:
        style.append(rpr)
    return rpr


def _set_language_fonts(rpr: etree._Element, settings: DocxSettings) -> None:
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


def set_page(sections: Iterable[etree._Element], *, landscape: bool = False, paper: str = "A4") -> None:
    """Make every w:sectPr the paper size (A4 by default), upright or on its side; margins stay the reference's."""
    from .documents.kinds import PAPERS
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


# --- the reference document -------------------------------------------------


@dataclass(frozen=True)
class _Style:
    style_id: str
    kind: str  # paragraph, character, table, numbering
    default: bool
    based_on: str | None
    size: int | None  # w:rPr/w:sz of the style itself, half-points
    num_id: str | None  # w:pPr/w:numPr/w:numId of the style itself


@dataclass
class _Reference:
    """What every document takes from the reference: its parts, normalised once.

    The body is emptied and a page-number footer added when the reference has
    none, so that a document only puts its own body and settings in.
    """

    entries: list[tuple[str, bytes]]  # zip order; the main document part's body is empty
    document_name: str  # "word/document.xml"
    styles_name: str | None
    numbering_name: str | None
    styles: bytes
    by_name: dict[str, _Style]
    by_id: dict[str, _Style]
    default_size: int
    fonts: dict[tuple, bytes] = field(default_factory=dict)  # styles.xml per set of fonts and languages

    def styles_for(self, settings: DocxSettings) -> bytes:
        """Return styles.xml with the event's fonts (made once per set of fonts and document language)."""
        key = (settings.lao_font, settings.latin_font, settings.fonts,
               settings.language_of(languages.LATIN), settings.complex_language)
        if key not in self.fonts:
            root = etree.fromstring(self.styles, _parser())
            set_document_fonts(root, settings)
            self.fonts[key] = _serialize(root)
        return self.fonts[key]


_REFERENCES: dict[tuple[str, int, int], _Reference] = {}


def open_reference(reference: Path) -> _Reference:
    """Read the reference document that gives the styles and the page (once per process and file version)."""
    if not reference.is_file():
        raise SongphasaError(
            f"{reference.as_posix()}: reference document not found — "
            "regenerate it with `python -m songphasa.reference songphasa/templates/reference.docx`"
        )
    stat = reference.stat()
    key = (str(reference.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _REFERENCES:
        try:
            loaded = _load_reference(reference.read_bytes())
        except (ValueError, KeyError, IndexError, StopIteration, EOFError, zlib.error, zipfile.BadZipFile,
                etree.XMLSyntaxError):
            # Empty, truncated or not a DOCX at all.
            from .errors import Problem, TemplateError
            raise TemplateError(Problem(
                f"templates/{reference.name}", None, "is not a Word document that can be read (empty or damaged)",
                "save it again from Word or LibreOffice as .docx, or delete it to use the built-in one")) from None
        _REFERENCES.clear()  # one reference per build: keep memory flat in `watch`
        _REFERENCES[key] = loaded
    return _REFERENCES[key]


@lru_cache(maxsize=1)
def _parser() -> etree.XMLParser:
    # resolve_entities=False: a reference is a file from the project, untrusted.
    return etree.XMLParser(resolve_entities=False, remove_blank_text=False, huge_tree=True)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_name(part: str) -> str:
    """Name the relationships part of a part: word/document.xml has word/_rels/document.xml.rels."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _target(part: str, target: str) -> str:
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


def _load_reference(data: bytes) -> _Reference:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist() if not info.is_dir()]
    files = dict(entries)
    parser = _parser()
    package_rels = etree.fromstring(files["_rels/.rels"], parser)
    main = next(rel.get("Target") for rel in package_rels if rel.get("Type") == RT_OFFICE_DOCUMENT)
    document_name = _target("", main)
    document_rels_name = _rels_name(document_name)
    rels = etree.fromstring(files[document_rels_name], parser) if document_rels_name in files \
        else etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS})
    by_type: dict[str, str] = {}
    for rel in rels:
        if rel.get("TargetMode") != "External":
            by_type.setdefault(rel.get("Type"), _target(document_name, rel.get("Target")))
    document = etree.fromstring(files[document_name], parser)
    body = document.find(qn("w:body"))
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sections = list(document.iter(qn("w:sectPr")))
    if not sections:
        sections = [etree.SubElement(body, qn("w:sectPr"))]
    content_types = etree.fromstring(files["[Content_Types].xml"], parser)
    changed: dict[str, bytes] = {}
    added: list[tuple[str, bytes]] = []
    for section in sections:
        footer = _page_number_footer(section, rels, files, document_name, content_types, added)
        if footer is not None:
            changed[footer[0]] = footer[1]
    changed[document_name] = _serialize(document)
    changed[document_rels_name] = _serialize(rels)
    changed["[Content_Types].xml"] = _serialize(content_types)
    names = [name for name, _ in entries]
    if document_rels_name not in names:
        names.append(document_rels_name)
    out = [(name, changed.get(name, files.get(name, b""))) for name in names] + added
    styles_name = by_type.get(RT_STYLES)
    styles = files[styles_name] if styles_name in files else b""
    by_name, by_id, default_size = _style_table(etree.fromstring(styles, parser)) if styles else ({}, {}, 20)
    return _Reference(out, document_name, styles_name if styles else None,
                      by_type.get(RT_NUMBERING) if by_type.get(RT_NUMBERING) in files else None,
                      styles, by_name, by_id, default_size)


def _page_number_footer(section: etree._Element, rels: etree._Element, files: dict[str, bytes], document_name: str,
                        content_types: etree._Element, added: list[tuple[str, bytes]]) -> tuple[str, bytes] | None:
    """Give a section a footer with the page number centred, unless its footer has one; return a changed part."""
    parser = _parser()
    reference = next((r for r in section.iterchildren(qn("w:footerReference"))
                      if r.get(qn("w:type"), "default") == "default"), None)
    footer: etree._Element | None = None
    name = None
    if reference is not None:
        rel = next((r for r in rels if r.get("Id") == reference.get(qn("r:id"))), None)
        if rel is not None:
            name = _target(document_name, rel.get("Target"))
            if name in files:
                footer = etree.fromstring(files[name], parser)
    if footer is None:
        number = 1
        taken = set(files) | {n for n, _ in added}
        while f"word/footer{number}.xml" in taken:
            number += 1
        name = f"word/footer{number}.xml"
        footer = etree.fromstring(FOOTER_XML, parser)
        r_id = _add_relationship(rels, RT_FOOTER, f"footer{number}.xml")
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
    if any("PAGE" in instruction.split() for instruction in instructions):
        return None
    paragraph = footer.find(W_P)
    if paragraph is None:
        paragraph = etree.SubElement(footer, W_P)
    ppr = paragraph.find(W_PPR)
    if ppr is None:
        ppr = paragraph.makeelement(W_PPR)
        paragraph.insert(0, ppr)
    jc = ppr.find(qn("w:jc"))
    if jc is None:
        jc = _ppr_child(ppr, "w:jc")
    jc.set(W_VAL, "center")
    fld = etree.SubElement(paragraph, qn("w:fldSimple"))
    fld.set(qn("w:instr"), " PAGE ")
    etree.SubElement(etree.SubElement(fld, W_R), W_T).text = "1"  # shown until the application updates the field
    data = _serialize(footer)
    for index, (added_name, _) in enumerate(added):
        if added_name == name:
            added[index] = (name, data)
            return None
    return name, data


def _add_relationship(rels: etree._Element, reltype: str, target: str, *, external: bool = False) -> str:
    """Relate a part or an address; reuse an equal relationship; return its id."""
    taken = set()
    for rel in rels:
        if rel.get("Type") == reltype and rel.get("Target") == target and \
                (rel.get("TargetMode") == "External") == external:
            return rel.get("Id")
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


def _style_table(styles: etree._Element) -> tuple[dict[str, _Style], dict[str, _Style], int]:
    by_name: dict[str, _Style] = {}
    by_id: dict[str, _Style] = {}
    for element in styles.iterchildren(qn("w:style")):
        name = element.find(qn("w:name"))
        based = element.find(qn("w:basedOn"))
        size = element.find(f"{W_RPR}/{qn('w:sz')}")
        num = element.find(f"{W_PPR}/{qn('w:numPr')}/{qn('w:numId')}")
        style = _Style(element.get(qn("w:styleId"), ""), element.get(qn("w:type"), "paragraph"),
                       element.get(qn("w:default")) in ("1", "true", "on"),
                       based.get(W_VAL) if based is not None else None,
                       _int(size.get(W_VAL)) if size is not None else None,
                       num.get(W_VAL) if num is not None else None)
        by_id.setdefault(style.style_id, style)
        if name is not None:
            by_name.setdefault(name.get(W_VAL), style)
    size = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{W_RPR}/{qn('w:sz')}")
    default = _int(size.get(W_VAL)) if size is not None else None
    return by_name, by_id, default or 20  # Word's own default: 10 pt


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


# The children of w:pPr the writer sets, in the order CT_PPr requires.
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
             "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
             "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
             "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
             "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
             "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_PPR_INDEX = {qn(tag): index for index, tag in enumerate(PPR_ORDER)}


def _ppr_child(ppr: etree._Element, tag: str) -> etree._Element:
    """Return the child of a w:pPr with this tag, adding it in schema order."""
    name = qn(tag)
    existing = ppr.find(name)
    if existing is not None:
        return existing
    child = etree.SubElement(ppr, name)
    index = _PPR_INDEX[name]
    successor = next((c for c in ppr if _PPR_INDEX.get(c.tag, -1) > index), None)
    if successor is not None:
        successor.addprevious(child)
    return child


# --- one document's parts -----------------------------------------------------


class _Package:
    """The parts of one document being written: the reference's, with a new body."""

    def __init__(self, reference: _Reference, settings: DocxSettings):
        self.reference = reference
        self.settings = settings
        parts = dict(reference.entries)
        parser = _parser()
        self.document = etree.fromstring(parts[reference.document_name], parser)
        self.body = self.document.find(qn("w:body"))
        self.sections = list(self.document.iter(qn("w:sectPr")))
        self.rels_name = _rels_name(reference.document_name)
        self._parts = parts
        self._rels: etree._Element | None = None
        self._numbering: etree._Element | None = None
        self.footnotes: etree._Element | None = None

    @property
    def rels(self) -> etree._Element:
        if self._rels is None:
            self._rels = etree.fromstring(self._parts[self.rels_name], _parser())
        return self._rels

    @property
    def numbering(self) -> etree._Element | None:
        if self._numbering is None and self.reference.numbering_name:
            self._numbering = etree.fromstring(self._parts[self.reference.numbering_name], _parser())
        return self._numbering

    def relate_external(self, address: str) -> str:
        """Return the id of a hyperlink relationship to an address."""
        return _add_relationship(self.rels, RT_HYPERLINK, address, external=True)

    def footnotes_part(self) -> etree._Element:
        """Return the w:footnotes of the document, adding the part the first time."""
        if self.footnotes is None:
            self.footnotes = etree.fromstring(FOOTNOTES_XML, _parser())
        return self.footnotes

    def entries(self) -> list[tuple[str, bytes]]:
        """Return the files of the package in zip order."""
        changed: dict[str, bytes] = {self.reference.document_name: _serialize(self.document)}
        if self.reference.styles_name:
            changed[self.reference.styles_name] = self.reference.styles_for(self.settings)
        if self._numbering is not None and self.reference.numbering_name:
            changed[self.reference.numbering_name] = _serialize(self._numbering)
        added: list[tuple[str, bytes]] = []
        if self.footnotes is not None:
            name = "word/footnotes.xml"
            _add_relationship(self.rels, RT_FOOTNOTES, _relative_target(self.reference.document_name, name))
            types = etree.fromstring(self._parts["[Content_Types].xml"], _parser())
            override = etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override")
            override.set("PartName", f"/{name}")
            override.set("ContentType", CT_FOOTNOTES)
            changed["[Content_Types].xml"] = _serialize(types)
            added.append((name, _serialize(self.footnotes)))
        if self._rels is not None:
            changed[self.rels_name] = _serialize(self._rels)
        core = self._core_name()
        if core is not None:
            root = etree.fromstring(self._parts[core], _parser())
            set_core_properties(root, self.settings)
            changed[core] = _serialize(root)
        return [(name, changed.get(name, data)) for name, data in self.reference.entries] + added

    def _core_name(self) -> str | None:
        rels = etree.fromstring(self._parts["_rels/.rels"], _parser())
        target = next((rel.get("Target") for rel in rels if rel.get("Type") == RT_CORE), None)
        name = _target("", target) if target else None
        return name if name in self._parts else None


def _relative_target(source: str, name: str) -> str:
    folder = str(PurePosixPath(source).parent)
    return name[len(folder) + 1:] if folder not in (".", "") and name.startswith(folder + "/") else "/" + name


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


# Compressed parts by their bytes: the styles, theme and settings of every
# document of a build are the same, and deflating styles.xml at level 9 took
# a tenth of the time of a document. Level 6 (zlib's own, and what the zip's
# flags say: normal compression) takes half of level 9's time for 2 % more bytes.
_DEFLATED: dict[bytes, tuple[bytes, int]] = {}
_DEFLATED_LIMIT = 64


def _deflate(blob: bytes) -> tuple[bytes, int]:
    found = _DEFLATED.get(blob)
    if found is None:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        found = (compressor.compress(blob) + compressor.flush(), zlib.crc32(blob))
        if len(blob) > 4096:  # small parts are quick to compress and rarely repeat
            if len(_DEFLATED) >= _DEFLATED_LIMIT:
                _DEFLATED.pop(next(iter(_DEFLATED)))
            _DEFLATED[blob] = found
    return found


def _zip(entries: Iterable[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """Write a zip of deflated entries with fixed times and Unix mode 0644, as zipfile would."""
    year, month, day, hour, minute, second = date_time
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    out = io.BytesIO()
    central = []
    for name, blob in entries:
        raw_name = name.encode("utf-8")
        flags = 0x800 if not raw_name.isascii() else 0
        data, crc = _deflate(blob)
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, zipfile.ZIP_DEFLATED, dos_time, dos_date,
                              crc, len(data), len(blob), len(raw_name), 0))
        out.write(raw_name)
        out.write(data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", (3 << 8) | 20, 20, flags, zipfile.ZIP_DEFLATED,
                                   dos_time, dos_date, crc, len(data), len(blob), len(raw_name), 0, 0, 0, 0,
                                   0o100644 << 16, offset) + raw_name)
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


# --- what `watch` wrote before ------------------------------------------------


class _Blocks:
    """The Word XML of paragraphs, lists and table rows written before, by their HTML and surroundings.

    In `watch`, an edit changes a paragraph or two: the document's other
    blocks, and the interpreters' pack's other rows, are copied from here
    instead of being written again.
    """

    LIMIT = 20_000  # blocks; the sample's documents have about 2,000

    def __init__(self) -> None:
        self.reference: object | None = None
        self.made: dict[tuple, list[etree._Element]] = {}
        self.copied = 0  # blocks copied instead of written, since the start

    def blocks_for(self, reference: object) -> _Blocks:
        if reference is not self.reference:  # another reference document: other styles, so other XML
            self.reference, self.made = reference, {}
        return self

    def get(self, key: tuple) -> list[etree._Element] | None:
        made = self.made.get(key)
        self.copied += made is not None
        return made

    def keep(self, key: tuple, made: list[etree._Element]) -> None:
        if len(self.made) >= self.LIMIT:
            self.made.clear()
        self.made[key] = made


_REMEMBERED: _Blocks | None = None


def remember_blocks(on: bool = True) -> None:
    """Keep the Word XML of every block written, to copy when the same block comes again (for `watch`)."""
    global _REMEMBERED
    _REMEMBERED = _Blocks() if on else None


# --- HTML to Word -------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    """Character formatting inherited down the HTML tree."""

    bold: bool = False
    italic: bool = False
    highlight: bool = False
    deleted: bool = False
    inserted: bool = False
    struck: bool = False
    underlined: bool = False
    changed: str | None = None  # the datetime of an <ins>/<del>: when the change was decided
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
    """Where blocks go at the top level of the document (the section properties are put back last)."""

    def __init__(self, body: etree._Element, width: int):
        self.body = body
        self.width = width  # twips available for a table

    def add_paragraph(self) -> etree._Element:
        return etree.SubElement(self.body, W_P)

    def add_table(self) -> etree._Element:
        return etree.SubElement(self.body, qn("w:tbl"))


class _CellBody:
    """Where blocks go inside a table cell: the first reuses the cell's empty paragraph."""

    def __init__(self, cell: etree._Element, width: int):
        self.cell = cell
        self.width = width
        self.fresh = True

    def add_paragraph(self) -> etree._Element:
        if self.fresh:
            self.fresh = False
            return self.cell[-1]  # the empty w:p every cell is made with
        return etree.SubElement(self.cell, W_P)

    def add_table(self) -> etree._Element:
        if self.fresh:
            # Word wants a paragraph last in a cell, not first: drop the
            # placeholder; a closing paragraph follows the table.
            self.fresh = False
            self.cell.remove(self.cell[-1])
        table = etree.SubElement(self.cell, qn("w:tbl"))
        etree.SubElement(self.cell, W_P)
        return table


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
    if tag == "del":
        changes["deleted"] = True
    if tag == "ins":
        changes["inserted"] = True
    if tag == "s":
        changes["struck"] = True
    if tag == "u":
        changes["underlined"] = True
    if tag in ("ins", "del") and element.get("datetime"):
        changes["changed"] = element.get("datetime")
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

    def __init__(self, package: _Package, settings: DocxSettings, reference: Path):
        self.package = package
        self.ref = package.reference
        self.settings = settings
        self.reference = reference
        self.sizes: dict[str, int] = {}
        self.break_next = False
        self.has_link_style = self.has_style(HYPERLINK_STYLE)
        self.link_style_id = self.style(HYPERLINK_STYLE).style_id if self.has_link_style else None
        section = package.sections[-1] if package.sections else None
        self.text_width = _text_width(section)
        self.text_height = _text_height(section)
        self.revisions = 0  # w:id of the last tracked change
        self.run_properties: dict[tuple[_Format, object, int], etree._Element | None] = {}
        # The languages the document defaults already name: a run in one of them needs no w:lang of its own.
        self.said = {*settings.languages, settings.language, settings.language_of(languages.LATIN),
                     settings.complex_language}
        # Where run properties are made before they are copied into the body.
        self.scratch = etree.Element(W_P, nsmap={"w": NAMESPACES["w"]})
        # What a block made depends on these, its HTML and where it goes; and on nothing else
        # unless it numbered a footnote, list or revision or made a link (counted in effects).
        self.identity = (settings, self.text_width, self.text_height)
        self.effects = 0
        self.memo = _REMEMBERED.blocks_for(package.reference) if _REMEMBERED is not None else None

    def write(self, article: lxml.html.HtmlElement) -> None:
        self.notes = {li.get("id").removeprefix("fn-"): li
                      for li in article.xpath('.//section[contains(concat(" ", @class, " "), " footnotes ")]//li[@id]')}
        self.note_ids: dict[str, int] = {}
        lang = _inherited_lang(article)
        context = _Context(fmt=_Format(lang=lang))
        body = self.package.body
        # The body's own section properties must stay its last child.
        last = body[-1] if len(body) and body[-1].tag == qn("w:sectPr") else None
        if last is not None:
            body.remove(last)
        self.blocks(article, _Body(body, self.text_width), context)
        if last is not None:
            body.append(last)

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
        if style or tag in HEADING_STYLES or tag in ("p", "ul", "ol"):
            def write() -> None:
                if tag in ("ul", "ol") and not style:
                    self.list(element, container, context)
                else:
                    self.paragraph([element], container, context, style or HEADING_STYLES.get(tag))
            if isinstance(container, _Body) and context.item is None:
                self.remembered(("block", self.identity, context, container.width, style, element), container.body,
                                write)
            else:
                write()
        elif tag == "table":
            if isinstance(container, _Body) and context.item is None:  # whole, when no row of it changed
                self.remembered(("table", self.identity, context, container.width, element), container.body,
                                lambda: self.table(element, container, context))
            else:
                self.table(element, container, context)
        else:
            self.blocks(element, container, context)

    def remembered(self, key: tuple, parent: etree._Element, write: Callable[[], None]) -> None:
        """Call write(), which appends to parent; or, in `watch`, append what it appended for the same key before.

        The key's last item is an HTML element, taken by its markup.
        """
        if self.memo is None or self.break_next:
            write()
            return
        key = (*key[:-1], etree.tostring(key[-1], with_tail=False))
        made = self.memo.get(key)
        if made is not None:
            parent.extend(copy.deepcopy(element) for element in made)
            return
        before, effects = len(parent), self.effects
        write()
        if self.effects == effects and not self.break_next:
            self.memo.keep(key, [copy.deepcopy(element) for element in parent[before:]])

    def paragraph(
        self,
        nodes: list[lxml.html.HtmlElement | str],
        container: _Container,
        context: _Context,
        style: str | None = None,
    ) -> etree._Element | None:
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
        num_id: str | None = None
        item = context.item
        if style is None and item is not None:
            if item.started:
                style = "List Continue" + ("" if item.level == 1 else f" {item.level}")
            else:
                style, num_id, item.started = item.style, item.num_id, True
        style = style or "Normal"
        style_id = self.style_id(style)
        p = container.add_paragraph()
        element = next((n for n in nodes if not isinstance(n, str)), None)
        classes = _classes(element) if element is not None and len(nodes) == 1 else set()
        align = "center" if "center" in classes else "right" if "right" in classes else None
        keep_next = "keep-with-next" in classes
        keep_lines = "contact" in classes  # a name, position and address stay together on one page
        if style_id is not None or num_id is not None or align or self.break_next or keep_next or keep_lines:
            # The children in the order CT_PPr requires.
            ppr = etree.SubElement(p, W_PPR)
            if style_id is not None:
                etree.SubElement(ppr, qn("w:pStyle")).set(W_VAL, style_id)
            if keep_next:
                etree.SubElement(ppr, qn("w:keepNext"))
            if keep_lines:
                etree.SubElement(ppr, qn("w:keepLines"))
            if self.break_next:
                etree.SubElement(ppr, qn("w:pageBreakBefore"))
                self.break_next = False
            if num_id is not None:
                num_pr = etree.SubElement(ppr, qn("w:numPr"))
                etree.SubElement(num_pr, qn("w:ilvl")).set(W_VAL, "0")
                etree.SubElement(num_pr, qn("w:numId")).set(W_VAL, num_id)
            if align:
                etree.SubElement(ppr, qn("w:jc")).set(W_VAL, align)
        self.runs(p, pieces, self.style_size(style, context.table_style))
        return p

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

    def restart_numbering(self, style: str) -> str | None:
        """Return a new numbering instance for the style's list, counting from 1.

        All paragraphs of a List Number style share one w:num, so Word would
        number a second list 4, 5, 6; a w:num of its own with a start
        override restarts it.
        """
        num_id = self.style(style).num_id
        numbering = self.package.numbering
        if num_id is None or numbering is None:
            return None
        nums = {num.get(qn("w:numId")): num for num in numbering.iterchildren(qn("w:num"))}
        template = nums.get(num_id)
        abstract = template.find(qn("w:abstractNumId")) if template is not None else None
        if abstract is None:
            return None
        new_id = next(str(n) for n in range(1, len(nums) + 2) if str(n) not in nums)
        self.effects += 1
        num = numbering.makeelement(qn("w:num"))
        cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            numbering.append(num)
        num.set(qn("w:numId"), new_id)
        etree.SubElement(num, qn("w:abstractNumId")).set(W_VAL, abstract.get(W_VAL))
        override = etree.SubElement(num, qn("w:lvlOverride"))
        override.set(qn("w:ilvl"), "0")
        etree.SubElement(override, qn("w:startOverride")).set(W_VAL, "1")
        return new_id

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
        style_name = TABLE_STYLE if self.has_style(TABLE_STYLE) else FALLBACK_TABLE_STYLE
        style_id = self.style_id(style_name)
        widths = _column_widths(element, columns, container.width)
        header_rows = 0
        for tr, is_header in rows:
            if not is_header:
                break
            header_rows += 1
        column_widths = widths or [container.width // columns] * columns

        tbl = container.add_table()
        tbl_pr = etree.SubElement(tbl, qn("w:tblPr"))
        if style_id is not None:
            etree.SubElement(tbl_pr, qn("w:tblStyle")).set(W_VAL, style_id)
        tbl_w = etree.SubElement(tbl_pr, qn("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa" if widths else "auto")
        tbl_w.set(qn("w:w"), str(sum(widths)) if widths else "0")
        if widths:
            etree.SubElement(tbl_pr, qn("w:tblLayout")).set(qn("w:type"), "fixed")
        _set_table_look(etree.SubElement(tbl_pr, qn("w:tblLook")), first_row=header_rows > 0)
        grid = etree.SubElement(tbl, qn("w:tblGrid"))
        for width in column_widths:
            etree.SubElement(grid, qn("w:gridCol")).set(qn("w:w"), str(width))

        # Who owns each grid position; where HTML spans overlap, the first cell wins.
        owner: dict[tuple[int, int], int] = {}
        for index, (row, column, rowspan, colspan, _) in enumerate(placements):
            for dr in range(rowspan):
                for dc in range(colspan):
                    owner.setdefault((row + dr, column + dc), index)
        cell_context = _Context(fmt=context.fmt, table_style=style_name)
        # A row stays on one page, unless it is longer than a third of one: then
        # keeping it whole would leave most of a page empty before it.
        size = self.style_size("Normal", style_name)
        by_row: dict[int, list] = {}
        for placement in placements:
            by_row.setdefault(placement[0], []).append(placement)
        # A row whose cells all start and end in it makes the same XML whenever its HTML is the same.
        alone = set(range(len(rows)))
        for row, _, rowspan, _, _ in placements:
            if rowspan > 1:
                alone.difference_update(range(row, row + rowspan))
        for row_index, (tr, _) in enumerate(rows):
            def write(row_index: int = row_index, keep_next: bool = "keep-with-next" in _classes(tr)) -> None:
                # A heading row (a day's, a session's) stays whole and on the page of the row after it.
                whole = keep_next or row_index < header_rows or all(
                    _sets_within(cell_element, sum(column_widths[column:column + colspan]), size, self.text_height // 3)
                    for _, column, _, colspan, cell_element in by_row.get(row_index, []))
                self._row(tbl, row_index, columns, column_widths, owner, placements, cell_context,
                          header=row_index < header_rows, keep_next=keep_next, whole=whole)
            if row_index in alone:
                self.remembered(("row", self.identity, cell_context, tuple(column_widths), row_index < header_rows, tr),
                                tbl, write)
            else:
                write()

    def _row(self, tbl: etree._Element, row_index: int, columns: int, column_widths: list[int],
             owner: dict[tuple[int, int], int], placements: list, cell_context: _Context, *, header: bool,
             whole: bool, keep_next: bool = False) -> None:
        """Write one w:tr of a table; ``whole``: it must not split across pages; ``keep_next``: nor leave the next."""
        w_tr = etree.SubElement(tbl, qn("w:tr"))
        tr_pr = etree.SubElement(w_tr, qn("w:trPr"))
        if whole:
            etree.SubElement(tr_pr, qn("w:cantSplit"))
        if header:
            etree.SubElement(tr_pr, qn("w:tblHeader"))
        column = 0
        while column < columns:
            index = owner.get((row_index, column))
            span = 1
            while index is not None and column + span < columns and \
                    owner.get((row_index, column + span)) == index:
                span += 1
            width = sum(column_widths[column:column + span])
            tc = _cell(w_tr, width, span)
            if index is not None:
                row, first_column, rowspan, _, cell_element = placements[index]
                below = owner.get((row_index + 1, column)) == index
                if row == row_index and first_column == column:
                    if below:
                        etree.SubElement(tc[0], qn("w:vMerge")).set(W_VAL, "restart")
                    inner = cell_context
                    if cell_element.tag == "th":
                        inner = replace(inner, fmt=replace(inner.fmt, bold=True))
                    if cell_element.get("lang") is not None:
                        inner = replace(inner, fmt=replace(inner.fmt, lang=cell_element.get("lang")))
                    self.blocks(cell_element, _CellBody(tc, width), inner)
                elif row < row_index and first_column == column:
                    etree.SubElement(tc[0], qn("w:vMerge"))  # continues the cell above
            column += span
        if keep_next:
            # Word and LibreOffice keep a row with the next when its paragraphs keep with the next.
            for w_p in w_tr.iter(W_P):
                ppr = w_p.find(W_PPR)
                if ppr is None:
                    ppr = etree.Element(W_PPR)
                    w_p.insert(0, ppr)
                _ppr_child(ppr, "w:keepNext")

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

    def runs(self, paragraph: etree._Element, pieces: list[tuple[str, _Format]], size: int) -> None:
        """Append the runs of one paragraph, split by formatting and by script."""
        text = "".join(piece for piece, _ in pieces)
        spans = script_spans(text)
        ends = [end for _, end, _ in spans]
        position = 0
        link_href: str | None = None
        link: etree._Element | None = None
        for piece, fmt in pieces:
            if fmt.href != link_href:
                link_href = fmt.href
                link = self._hyperlink(paragraph, fmt.href) if _external(fmt.href) else None
            parent = link if link is not None else paragraph
            if piece.startswith(NOTE):
                self.footnote_reference(parent, piece[len(NOTE):], size)
            elif piece == BREAK:
                etree.SubElement(etree.SubElement(parent, W_R), qn("w:br"))
            else:
                target = self.revision(parent, fmt)
                for chunk, script in _split_by_spans(piece, position, spans, ends):
                    self.run(target, chunk, fmt, script, size)
            position += len(piece)

    def revision(self, parent: etree._Element, fmt: _Format) -> etree._Element:
        """Where the runs of a piece go: a Word revision (w:ins, w:del) by the reviser, dated, for an <ins>/<del>.

        Word and LibreOffice show it struck through or underlined in the
        reviser's colour, and "Accept all" leaves the confirmed text with no
        formatting of its own.
        """
        if not (fmt.deleted or fmt.inserted):
            return parent
        self.revisions += 1
        self.effects += 1
        change = etree.SubElement(parent, qn("w:del" if fmt.deleted else "w:ins"))
        change.set(qn("w:id"), str(self.revisions))
        change.set(qn("w:author"), self.settings.reviser or self.settings.author or "Songphasa")
        if fmt.changed:
            change.set(qn("w:date"), fmt.changed)
        return change

    def footnote_reference(self, parent: etree._Element, name: str, size: int) -> etree._Element:
        """Add the run that refers to a footnote, writing the footnote itself the first time."""
        self.effects += 1  # its number depends on the references before it
        if name not in self.note_ids:
            self.note_ids[name] = len(self.note_ids) + 1
            self._write_footnote(self.note_ids[name], self.notes.get(name), size)
        run = etree.SubElement(parent, W_R)
        rpr_child(run_properties(run), "w:vertAlign").set(W_VAL, "superscript")
        etree.SubElement(run, qn("w:footnoteReference")).set(qn("w:id"), str(self.note_ids[name]))
        return run

    def _write_footnote(self, number: int, item: lxml.html.HtmlElement | None, size: int) -> None:
        note = etree.SubElement(self.package.footnotes_part(), qn("w:footnote"))
        note.set(qn("w:id"), str(number))
        p = etree.SubElement(note, W_P)
        mark = etree.SubElement(p, W_R)
        rpr_child(run_properties(mark), "w:vertAlign").set(W_VAL, "superscript")
        etree.SubElement(mark, qn("w:footnoteRef"))
        pieces: list[tuple[str, _Format]] = []
        if item is not None:
            _collect_inline(item, _Format(lang=_inherited_lang(item)), pieces)
        pieces = [(" ", _Format())] + [(text, replace(fmt, href=None)) for text, fmt in _collapse(pieces)
                                        if text != BREAK and not text.startswith(NOTE)]
        text = "".join(t for t, _ in pieces)
        spans = script_spans(text)
        ends = [end for _, end, _ in spans]
        position = 0
        for piece, fmt in pieces:
            for chunk, script in _split_by_spans(piece, position, spans, ends):
                self.run(p, chunk, fmt, script, size)
            position += len(piece)

    def _hyperlink(self, paragraph: etree._Element, href: str) -> etree._Element:
        self.effects += 1
        link = etree.SubElement(paragraph, qn("w:hyperlink"))
        link.set(qn("r:id"), self.package.relate_external(href))
        link.set(qn("w:history"), "1")
        return link

    def run(self, parent: etree._Element, text: str, fmt: _Format, lao, size: int) -> etree._Element:
        """Add one w:r with its text and formatting to a paragraph (or a link in it).

        ``lao`` is the run's non-Latin script (a languages.Script), or False.
        """
        run = etree.SubElement(parent, W_R)
        key = (fmt, lao, size)
        if key not in self.run_properties:
            # Most runs of a document share a few formats: each w:rPr is made once, then copied.
            self.run_properties[key] = self.properties(fmt, lao, size)
        rpr = self.run_properties[key]
        if rpr is not None:
            run.append(copy.copy(rpr))
        t = etree.SubElement(run, W_DEL_TEXT if fmt.deleted else W_T)
        t.text = text
        if text != text.strip():
            t.set(XML_SPACE, "preserve")
        return run

    def properties(self, fmt: _Format, lao, size: int) -> etree._Element | None:
        """Make the w:rPr of a run of this format (None when it needs none)."""
        run = etree.SubElement(self.scratch, W_R)
        rpr = etree.SubElement(run, W_RPR)
        if _external(fmt.href) and self.has_link_style:
            rpr_child(rpr, "w:rStyle").set(W_VAL, self.link_style_id)
        if lao:
            code = self.settings.language_of(lao)
            set_lao_run(run, self.settings.font_for(code), size, bold=fmt.bold, italic=fmt.italic, language=code)
        else:
            if fmt.bold:
                rpr_child(rpr, "w:b")
            if fmt.italic:
                rpr_child(rpr, "w:i")
            primary = (fmt.lang or "").split("-")[0].lower()
            if primary and primary not in self.said:
                rpr_child(rpr, "w:lang").set(W_VAL, fmt.lang or "")
        # An <ins>/<del> is a tracked change (see revision()), not formatting.
        if fmt.struck:
            rpr_child(rpr, "w:strike")
        if _external(fmt.href) and not self.has_link_style:
            rpr_child(rpr, "w:color").set(W_VAL, LINK_COLOR)
        if fmt.highlight:
            rpr_child(rpr, "w:highlight").set(W_VAL, "yellow")
        if fmt.underlined or (_external(fmt.href) and not self.has_link_style):
            rpr_child(rpr, "w:u").set(W_VAL, "single")
        return rpr if len(rpr) else None

    # styles

    def has_style(self, name: str) -> bool:
        """Tell whether the reference document defines a style of this name."""
        return internal_style_name(name) in self.ref.by_name

    def style(self, name: str) -> _Style:
        """Return the reference document's style, or say which one is missing."""
        found = self.ref.by_name.get(internal_style_name(name))
        if found is None:
            raise SongphasaError(
                f"{self.reference.as_posix()}: the reference document has no style "
                f"'{name}' — regenerate it with `python -m songphasa.reference` "
                "or add the style in Word"
            )
        return found

    def style_id(self, name: str) -> str | None:
        """Return the id to write for a style (None for the default style of its kind)."""
        style = self.style(name)
        return None if style.default else style.style_id

    def style_size(self, style: str, table_style: str | None = None) -> int:
        """Return the font size in half-points text in this style comes out at."""
        key = f"{style}|{table_style}"
        if key not in self.sizes:
            size = self._chain_size(self.style(style))
            if size is None and table_style:
                size = self._chain_size(self.style(table_style))
            self.sizes[key] = size if size is not None else self.ref.default_size
        return self.sizes[key]

    def _chain_size(self, style: _Style | None) -> int | None:
        seen: set[str] = set()
        while style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            if style.size is not None:
                return style.size
            style = self.ref.by_id.get(style.based_on or "")
        return None


def _text_width(section: etree._Element | None) -> int:
    """Return the twips between the margins of a section's page."""
    size = section.find(qn("w:pgSz")) if section is not None else None
    margins = section.find(qn("w:pgMar")) if section is not None else None
    width = _int(size.get(qn("w:w"))) if size is not None else None
    left = _int(margins.get(qn("w:left"))) if margins is not None else None
    right = _int(margins.get(qn("w:right"))) if margins is not None else None
    return (width or A4_SHORT) - (left if left is not None else 1440) - (right if right is not None else 1440)


def _text_height(section: etree._Element | None) -> int:
    """Return the twips between the top and bottom margins of a section's page."""
    size = section.find(qn("w:pgSz")) if section is not None else None
    margins = section.find(qn("w:pgMar")) if section is not None else None
    height = _int(size.get(qn("w:h"))) if size is not None else None
    top = _int(margins.get(qn("w:top"))) if margins is not None else None
    bottom = _int(margins.get(qn("w:bottom"))) if margins is not None else None
    return (height or A4_LONG) - abs(top if top is not None else 1440) - abs(bottom if bottom is not None else 1440)


#: Rough measures of set text, in points per point of font size: a character's
#: average advance and a line's height (Lao needs room above and below).
_CHAR_WIDTH = {"latin": 0.5, "lao": 0.55}
_LINE_HEIGHT = {"latin": 1.2, "lao": 1.75}
_WIDEST = max(_CHAR_WIDTH, key=_CHAR_WIDTH.__getitem__)
_CELL_MARGINS = 2 * 108  # twips: Word's default left and right cell margins
_PARAGRAPH_GAP = 4 * 20  # twips


def _sets_within(cell: lxml.html.HtmlElement, width: int, size_half_points: int, limit: int) -> bool:
    """Tell whether a table cell's text sets within ``limit`` twips, estimated from its length and the column's width.

    Most cells are short: when even the widest characters and the tallest
    lines of the measures would fit, the script of each paragraph is not looked for.
    """
    texts = _leaf_texts(cell)
    return _height(texts, width, size_half_points / 2, bound=True) <= limit or \
        _height(texts, width, size_half_points / 2) <= limit


def _leaf_texts(cell: lxml.html.HtmlElement) -> list[str]:
    """The text of each paragraph of a cell (the cell's own when it has none), white space collapsed."""
    leaves = [e for e in cell.iter("p", "li", "h1", "h2", "h3", "h4")
              if not any(d.tag in ("p", "li", "ul", "ol") for d in e.iterdescendants())] or [cell]
    return [" ".join(leaf.text_content().split()) for leaf in leaves]


def _height(texts: list[str], width: int, points: float, *, bound: bool = False) -> int:
    """Estimate in twips how tall paragraphs set in a column's width.

    ``bound``: at least as tall, found without looking at the text's script:
    each paragraph as if in the widest and tallest measures, every character advancing.
    """
    height = 0
    for text in texts:
        if bound:
            measure, tallest, advancing = _WIDEST, max(_LINE_HEIGHT.values()), len(text)
        else:
            # Set mostly in a script with runs of its own (Lao, Thai), or mostly Latin.
            measure = "lao" if sum(end - start for start, end, _ in script_spans(text)) * 2 > len(text) else "latin"
            tallest = _LINE_HEIGHT[measure]
            # Lao marks sit above or below: counted by the distinct characters, as a cell's text repeats most of them.
            advancing = len(text) if text.isascii() else len(text) - sum(
                text.count(char) for char in set(text) if unicodedata.category(char) == "Mn")
        per_line = max(1, int((width - _CELL_MARGINS) / (points * _CHAR_WIDTH[measure] * 20)))
        lines = max(1, -(-advancing // per_line))
        height += int(lines * points * tallest * 20) + _PARAGRAPH_GAP
    return height


def _cell(tr: etree._Element, width: int, span: int) -> etree._Element:
    """Add a w:tc of a width, spanning grid columns, holding the one empty paragraph a cell needs."""
    tc = etree.SubElement(tr, qn("w:tc"))
    tc_pr = etree.SubElement(tc, qn("w:tcPr"))
    tc_w = etree.SubElement(tc_pr, qn("w:tcW"))
    tc_w.set(qn("w:type"), "dxa")
    tc_w.set(qn("w:w"), str(width))
    if span > 1:
        etree.SubElement(tc_pr, qn("w:gridSpan")).set(W_VAL, str(span))
    etree.SubElement(tc, W_P)
    return tc


def _external(href: str | None) -> bool:
    # Only http, https and mailto become hyperlinks in Word (a \\host\share link would make
    # Word send the user's credentials). Links within the page (#item-3) have no bookmark
    # to land on in Word; their text is kept, the link is not.
    return bool(href) and allowed_link(href or "")


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


def _set_table_look(look: etree._Element, *, first_row: bool) -> None:
    # The table style shades its first row only when the look says the first
    # row is a header; a table without <th> must not get a grey first row.
    flags = {"firstRow": first_row, "lastRow": False, "firstColumn": False,
             "lastColumn": False, "noHBand": True, "noVBand": True}  # fmt: skip
    bits = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80,
            "lastColumn": 0x100, "noHBand": 0x200, "noVBand": 0x400}  # fmt: skip
    look.set(W_VAL, f"{sum(bits[k] for k, on in flags.items() if on):04X}")
    for name, on in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")


__all__ = [
    "DocxSettings",
    "remember_blocks",
    "docx_bytes",
    "write_docx",
    "write_bytes_atomically",
    "set_lao_run",
    "split_by_script",
    "reproducible_zip",
    "zip_date_time",
]
