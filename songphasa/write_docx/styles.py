"""The reference document's styles: looking them up by name, their sizes, and the event's fonts in them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from songphasa import languages
from songphasa.errors import SongphasaError

from .oxml import W_PPR, W_RPR, W_VAL, ppr_child, qn, rpr_child, run_properties, to_int
from .runs import set_fonts
from .settings import DocxSettings

TABLE_STYLE = "Songphasa Table"
FALLBACK_TABLE_STYLE = "Table Grid"
HYPERLINK_STYLE = "Hyperlink"

# Styles whose fonts the writer states explicitly, so that Word's style
# dialog shows the event's fonts and not the theme's.
FONT_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3",
    "List Bullet", "List Bullet 2", "List Number", "List Number 2",
    TABLE_STYLE, FALLBACK_TABLE_STYLE,
)  # fmt: skip

# Word's built-in styles are stored under a lower-case name ("heading 1") and
# shown capitalised ("Heading 1"); the same table python-docx keeps (BabelFish).
UI_NAMES = ("Caption", "Footer", "Header", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5",
            "Heading 6", "Heading 7", "Heading 8", "Heading 9")

#: The command that makes the built-in reference document again (from a checkout of Songphasa).
REFERENCE_TOOL = "python tools/reference.py"


def internal_style_name(name: str) -> str:
    """Name a style as styles.xml stores it (``Heading 1`` is ``heading 1``)."""
    return name.lower() if name in UI_NAMES else name


def word_language(language: str) -> str:
    """Name a BCP-47 language the way Word's w:lang and core properties expect."""
    return languages.word_region(language)


@dataclass(frozen=True)
class Style:
    """What the writer needs to know of one style of the reference."""

    style_id: str
    kind: str  # paragraph, character, table, numbering
    default: bool
    based_on: str | None
    size: int | None  # w:rPr/w:sz of the style itself, half-points
    num_id: str | None  # w:pPr/w:numPr/w:numId of the style itself


@dataclass(frozen=True)
class StyleTable:
    """The styles of a w:styles by name and by id, and the size of text in none."""

    by_name: dict[str, Style]
    by_id: dict[str, Style]
    default_size: int  # half-points

    @classmethod
    def read(cls, styles: etree._Element | None) -> StyleTable:
        """Read the styles of a w:styles (none for a reference without styles.xml)."""
        by_name: dict[str, Style] = {}
        by_id: dict[str, Style] = {}
        if styles is None:
            return cls(by_name, by_id, 20)
        for element in styles.iterchildren(qn("w:style")):
            name = element.find(qn("w:name"))
            based = element.find(qn("w:basedOn"))
            size = element.find(f"{W_RPR}/{qn('w:sz')}")
            num = element.find(f"{W_PPR}/{qn('w:numPr')}/{qn('w:numId')}")
            style = Style(element.get(qn("w:styleId"), ""), element.get(qn("w:type"), "paragraph"),
                          element.get(qn("w:default")) in ("1", "true", "on"),
                          based.get(W_VAL) if based is not None else None,
                          to_int(size.get(W_VAL)) if size is not None else None,
                          num.get(W_VAL) if num is not None else None)
            by_id.setdefault(style.style_id, style)
            if name is not None:
                by_name.setdefault(name.get(W_VAL, ""), style)
        size = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{W_RPR}/{qn('w:sz')}")
        default = to_int(size.get(W_VAL)) if size is not None else None
        return cls(by_name, by_id, default or 20)  # Word's own default: 10 pt


class StyleSheet:
    """The styles one document is written with: found by name, their sizes, or a plain error naming the file."""

    def __init__(self, table: StyleTable, reference: Path):
        self.table = table
        self.reference = reference  # the file, to name it when a style is missing
        self.sizes: dict[str, int] = {}

    def has_style(self, name: str) -> bool:
        """Tell whether the reference document defines a style of this name."""
        return internal_style_name(name) in self.table.by_name

    def style(self, name: str) -> Style:
        """Return the reference document's style, or say which one is missing."""
        found = self.table.by_name.get(internal_style_name(name))
        if found is None:
            raise SongphasaError(
                f"{self.reference.as_posix()}: the reference document has no style "
                f"'{name}' — regenerate it with `{REFERENCE_TOOL}` "
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
            self.sizes[key] = size if size is not None else self.table.default_size
        return self.sizes[key]

    def _chain_size(self, style: Style | None) -> int | None:
        seen: set[str] = set()
        while style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            if style.size is not None:
                return style.size
            style = self.table.by_id.get(style.based_on or "")
        return None


def set_document_fonts(styles: etree._Element, settings: DocxSettings) -> None:
    """State the event's fonts in the document defaults and the main styles of a w:styles.

    Text typed later in Word then comes out in the same fonts: Latin in the
    Latin font, complex scripts (Lao, Thai) in the document's font for them
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
            by_name.setdefault(name.get(W_VAL, ""), style)
    for name in FONT_STYLES:
        found = by_name.get(internal_style_name(name))
        if found is not None:
            _set_language_fonts(_style_rpr(found), settings)


#: A compact document's paragraphs (a letter): single lines, 6 pt after each, in twentieths of a point.
COMPACT_SPACING = {"w:after": "120", "w:line": "240", "w:lineRule": "auto"}


def set_paragraph_defaults(styles: etree._Element, *, compact: bool = False) -> None:
    """Keep every paragraph's first and last two lines together (no lone line at a page's foot or head).

    ``compact``: single line spacing and little space after a paragraph, for a document that must fit a page.
    """
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = styles.makeelement(qn("w:docDefaults"))
        styles.insert(0, defaults)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = etree.SubElement(defaults, qn("w:pPrDefault"))
    ppr = ppr_default.find(W_PPR)
    if ppr is None:
        ppr = etree.SubElement(ppr_default, W_PPR)
    ppr_child(ppr, "w:widowControl")
    if compact:
        spacing = ppr_child(ppr, "w:spacing")
        for name, value in COMPACT_SPACING.items():
            spacing.set(qn(name), value)


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
    set_fonts(
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
