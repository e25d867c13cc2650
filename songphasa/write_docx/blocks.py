"""Paragraphs: their styles and properties, list numbering, and what runs of text sit in (links, revisions, notes).

An <ins>/<del> becomes a Word revision (tracked change) by the reviser, an
external link a w:hyperlink, a footnote reference a real Word footnote
numbered in the order of first citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import lxml.html
from lxml import etree

from .markup import BREAK, NOTE, Format, Pieces, classes, collapse, collect_inline, external, inherited_lang
from .oxml import W_P, W_PPR, W_R, W_VAL, paragraph_properties, ppr_child, qn, rpr_child, run_properties
from .package import Package
from .runs import RunWriter, script_spans, split_by_spans
from .settings import DocxSettings
from .styles import StyleSheet


@dataclass
class ListItem:
    """The list paragraph an <li> opens; later paragraphs of it continue the item."""

    style: str
    num_id: str | None
    level: int
    started: bool = False


@dataclass(frozen=True)
class Context:
    """What a block inherits from the blocks around it."""

    fmt: Format
    level: int = 0  # depth of list nesting
    item: ListItem | None = None
    table_style: str | None = None


class Body:
    """Where blocks go at the top level of the document (the section properties are put back last)."""

    def __init__(self, body: etree._Element, width: int):
        self.body = body
        self.width = width  # twips available for a table

    def add_paragraph(self) -> etree._Element:
        """Add a w:p at the end of the body."""
        return etree.SubElement(self.body, W_P)

    def add_table(self) -> etree._Element:
        """Add a w:tbl at the end of the body."""
        return etree.SubElement(self.body, qn("w:tbl"))


class CellBody:
    """Where blocks go inside a table cell: the first reuses the cell's empty paragraph."""

    def __init__(self, cell: etree._Element, width: int):
        self.cell = cell
        self.width = width
        self.fresh = True

    def add_paragraph(self) -> etree._Element:
        """Add a w:p to the cell (the empty one it was made with, the first time)."""
        if self.fresh:
            self.fresh = False
            return self.cell[-1]  # the empty w:p every cell is made with
        return etree.SubElement(self.cell, W_P)

    def add_table(self) -> etree._Element:
        """Add a w:tbl to the cell, and the paragraph Word wants after it."""
        if self.fresh:
            # Word wants a paragraph last in a cell, not first: drop the
            # placeholder; a closing paragraph follows the table.
            self.fresh = False
            self.cell.remove(self.cell[-1])
        table = etree.SubElement(self.cell, qn("w:tbl"))
        etree.SubElement(self.cell, W_P)
        return table


Container = Body | CellBody


class Paragraphs:
    """Write the paragraphs of one document, with the numbering, footnotes, revisions and links they need."""

    def __init__(self, package: Package, settings: DocxSettings, styles: StyleSheet, runs: RunWriter):
        self.package = package
        self.settings = settings
        self.styles = styles
        self.runs = runs
        self.notes: dict[str, lxml.html.HtmlElement] = {}  # the article's footnotes' <li> by name
        self.note_ids: dict[str, int] = {}  # Word's footnote numbers, in the order of first citation
        self.revisions = 0  # w:id of the last tracked change
        self.break_next = False  # the next paragraph starts a page

    def paragraph(
        self,
        nodes: list[lxml.html.HtmlElement | str],
        container: Container,
        context: Context,
        style: str | None = None,
    ) -> etree._Element | None:
        """Write inline content as one paragraph; nothing if it is only white space."""
        pieces: Pieces = []
        for node in nodes:
            if isinstance(node, str):
                pieces.append((node, context.fmt))
            else:
                collect_inline(node, context.fmt, pieces)
        pieces = collapse(pieces)
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
        style_id = self.styles.style_id(style)
        p = container.add_paragraph()
        element = next((n for n in nodes if not isinstance(n, str)), None)
        named = classes(element) if element is not None and len(nodes) == 1 else set()
        align = "center" if "center" in named else "right" if "right" in named else None
        keep_next = "keep-with-next" in named
        # A name, position and address stay together on one page; so does a list item (a recommendation is
        # not cut mid-sentence between pages).
        keep_lines = "contact" in named or item is not None
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
        size = self.styles.style_size(style, context.table_style)
        if element is not None and len(nodes) == 1:
            size = self.print_sheet(p, element, size)
            if size != self.styles.style_size(style, context.table_style):
                pieces = [(text, replace(fmt, size=size)) for text, fmt in pieces]
        self.inline(p, pieces, size)
        return p

    def print_sheet(self, p: etree._Element, element: lxml.html.HtmlElement, size: int) -> int:
        """Apply what a printed sheet's paragraph asks for (a plate's name): its size, its shading; return the size.

        ``data-size`` is in points; ``data-shade`` a colour as RRGGBB (a badge's role band).
        """
        wanted = points(element.get("data-size"))
        shade = element.get("data-shade")
        if shade is not None and re.fullmatch(r"[0-9A-Fa-f]{6}", shade):
            shd = ppr_child(paragraph_properties(p), "w:shd")
            shd.set(W_VAL, "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), shade.upper())
        return round(wanted * 2) if wanted else size

    def inline(self, paragraph: etree._Element, pieces: Pieces, size: int) -> None:
        """Append the runs of one paragraph, split by formatting and by script, in links and revisions."""
        text = "".join(piece for piece, _ in pieces)
        spans = script_spans(text)
        ends = [end for _, end, _ in spans]
        position = 0
        link_href: str | None = None
        link: etree._Element | None = None
        for piece, fmt in pieces:
            if fmt.href != link_href:
                link_href = fmt.href
                link = self.hyperlink(paragraph, fmt.href or "") if external(fmt.href) else None
            parent = link if link is not None else paragraph
            if piece.startswith(NOTE):
                self.footnote_reference(parent, piece[len(NOTE):], size)
            elif piece == BREAK:
                etree.SubElement(etree.SubElement(parent, W_R), qn("w:br"))
            else:
                target = self.revision(parent, fmt)
                for chunk, script in split_by_spans(piece, position, spans, ends):
                    self.runs.run(target, chunk, fmt, script, size)
            position += len(piece)

    def revision(self, parent: etree._Element, fmt: Format) -> etree._Element:
        """Where the runs of a piece go: a Word revision (w:ins, w:del) by the reviser, dated, for an <ins>/<del>.

        Word and LibreOffice show it struck through or underlined in the
        reviser's colour, and "Accept all" leaves the confirmed text with no
        formatting of its own.
        """
        if not (fmt.deleted or fmt.inserted):
            return parent
        self.revisions += 1
        change = etree.SubElement(parent, qn("w:del" if fmt.deleted else "w:ins"))
        change.set(qn("w:id"), str(self.revisions))
        change.set(qn("w:author"), self.settings.reviser or self.settings.author or "Songphasa")
        if fmt.changed:
            change.set(qn("w:date"), fmt.changed)
        return change

    def hyperlink(self, paragraph: etree._Element, href: str) -> etree._Element:
        """Add a w:hyperlink to an address, for the runs of its text."""
        link = etree.SubElement(paragraph, qn("w:hyperlink"))
        link.set(qn("r:id"), self.package.relate_external(href))
        link.set(qn("w:history"), "1")
        return link

    def footnote_reference(self, parent: etree._Element, name: str, size: int) -> etree._Element:
        """Add the run that refers to a footnote, writing the footnote itself the first time."""
        if name not in self.note_ids:
            self.note_ids[name] = len(self.note_ids) + 1
            self.footnote(self.note_ids[name], self.notes.get(name), size)
        run = etree.SubElement(parent, W_R)
        rpr_child(run_properties(run), "w:vertAlign").set(W_VAL, "superscript")
        etree.SubElement(run, qn("w:footnoteReference")).set(qn("w:id"), str(self.note_ids[name]))
        return run

    def footnote(self, number: int, item: lxml.html.HtmlElement | None, size: int) -> None:
        """Write a footnote's text (its <li>, with no links or breaks) into the footnotes part."""
        note = etree.SubElement(self.package.footnotes_part(), qn("w:footnote"))
        note.set(qn("w:id"), str(number))
        p = etree.SubElement(note, W_P)
        mark = etree.SubElement(p, W_R)
        rpr_child(run_properties(mark), "w:vertAlign").set(W_VAL, "superscript")
        etree.SubElement(mark, qn("w:footnoteRef"))
        pieces: Pieces = []
        if item is not None:
            collect_inline(item, Format(lang=inherited_lang(item)), pieces)
        pieces = [(" ", Format())] + [(text, replace(fmt, href=None)) for text, fmt in collapse(pieces)
                                       if text != BREAK and not text.startswith(NOTE)]
        text = "".join(t for t, _ in pieces)
        spans = script_spans(text)
        ends = [end for _, end, _ in spans]
        position = 0
        for piece, fmt in pieces:
            for chunk, script in split_by_spans(piece, position, spans, ends):
                self.runs.run(p, chunk, fmt, script, size)
            position += len(piece)

    def restart_numbering(self, style: str) -> str | None:
        """Return a new numbering instance for the style's list, counting from 1.

        All paragraphs of a List Number style share one w:num, so Word would
        number a second list 4, 5, 6; a w:num of its own with a start
        override restarts it.
        """
        num_id = self.styles.style(style).num_id
        numbering = self.package.numbering
        if num_id is None or numbering is None:
            return None
        nums = {num.get(qn("w:numId")): num for num in numbering.iterchildren(qn("w:num"))}
        template = nums.get(num_id)
        abstract = template.find(qn("w:abstractNumId")) if template is not None else None
        if abstract is None:
            return None
        new_id = next(str(n) for n in range(1, len(nums) + 2) if str(n) not in nums)
        num = numbering.makeelement(qn("w:num"))
        cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            numbering.append(num)
        num.set(qn("w:numId"), new_id)
        etree.SubElement(num, qn("w:abstractNumId")).set(W_VAL, abstract.get(W_VAL, ""))
        override = etree.SubElement(num, qn("w:lvlOverride"))
        override.set(qn("w:ilvl"), "0")
        etree.SubElement(override, qn("w:startOverride")).set(W_VAL, "1")
        return new_id


def points(value: str | None) -> float | None:
    """Read a size in points a template gives (``data-size="36"``); None for none or nonsense (1–400 pt)."""
    try:
        size = float(value) if value is not None else None
    except ValueError:
        return None
    return size if size is not None and 1 <= size <= 400 else None
