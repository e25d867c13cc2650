"""Write one rendered HTML article as a Word document: the walk down the HTML tree.

The DOCX is made from the same HTML tree as the web page, so the two cannot
drift apart: headings, paragraphs, lists and tables map onto the named styles
of a reference document (``songphasa/templates/reference.docx``), which gives the look;
:class:`~songphasa.write_docx.settings.DocxSettings` gives the fonts, the page
orientation and the metadata.

The WordprocessingML is written directly with lxml, in layers as python-docx
and pandoc's DOCX writer have them: the package (:mod:`.package`), runs
(:mod:`.runs`), paragraphs (:mod:`.blocks`) and tables (:mod:`.tables`);
this module walks the tree and hands each block to them. python-docx's
object layer, which the first version used, spent most of a build looking
styles up and creating proxy objects.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import lxml.html
from lxml import etree

from .blocks import Body, Container, Context, ListItem, Paragraphs
from .markup import CLASS_STYLES, HEADING_STYLES, INLINE_TAGS, Format, classes, footnotes, inherited_lang, skipped
from .oxml import W_P, paragraph_properties, ppr_child, qn
from .package import Package, References, set_page, text_height, text_width
from .runs import RunWriter
from .settings import DocxSettings
from .styles import HYPERLINK_STYLE, StyleSheet
from .tables import Tables


def docx_bytes(
    article: lxml.html.HtmlElement,
    *,
    reference: Path,
    settings: DocxSettings,
    references: References | None = None,
    blocks: Blocks | None = None,
) -> bytes:
    """Return the bytes of the DOCX for one article, the same on every run.

    ``references``: the reference documents a caller writing many documents
    keeps between them (read once, not once per document). ``blocks``: the
    Word XML of blocks written before, which a long-lived caller (`watch`'s
    session) keeps between builds; the bytes are the same with or without it.
    """
    if references is None:
        references = References()
    read = references.read(reference)
    package = Package(read, settings, references.styles_for(read, settings) if read.styles_name else b"")
    set_page(package.sections, landscape=settings.landscape, paper=settings.paper)
    memo = blocks.for_document(read, settings) if blocks is not None else None
    Writer(package, settings, reference, memo).write(article)
    return package.zip()


class Blocks:
    """The Word XML of the top-level paragraphs and tables written before, by their HTML and surroundings.

    In `watch`, an edit changes a paragraph or two of a document: its other
    blocks, and the interpreters' pack's other tables, are copied from here
    instead of being written again. Kept for one reference document and
    settings at a time (other styles or fonts make other XML); a block that
    numbers a footnote, list or revision or makes a link is always written anew.
    """

    LIMIT = 20_000  # blocks; the sample's documents have about 2,000

    def __init__(self) -> None:
        self._made: dict[tuple, dict[tuple, list[etree._Element]]] = {}

    def for_document(self, reference: object, settings: DocxSettings) -> dict[tuple, list[etree._Element]]:
        """The blocks written for documents with this reference and these settings."""
        if sum(len(made) for made in self._made.values()) >= self.LIMIT:
            self._made.clear()
        return self._made.setdefault((id(reference), settings), {})


class Writer:
    """Walk the blocks of one article and hand each to the paragraphs, lists and tables of one document."""

    def __init__(self, package: Package, settings: DocxSettings, reference: Path,
                 memo: dict[tuple, list[etree._Element]] | None = None):
        self.package = package
        self.memo = memo
        self.settings = settings
        self.styles = StyleSheet(package.reference.style_table, reference)
        link_style = self.styles.style(HYPERLINK_STYLE).style_id if self.styles.has_style(HYPERLINK_STYLE) else None
        self.runs = RunWriter(settings, link_style)
        section = package.sections[-1] if package.sections else None
        self.text_width = text_width(section)
        self.paragraphs = Paragraphs(package, settings, self.styles, self.runs)
        self.tables = Tables(self.styles, self.paragraphs, text_height(section), self.blocks)

    def write(self, article: lxml.html.HtmlElement) -> None:
        """Write the article's blocks into the document's body."""
        self.paragraphs.notes = footnotes(article)  # written as Word footnotes where they are cited
        context = Context(fmt=Format(lang=inherited_lang(article)))
        body = self.package.body
        # The body's own section properties must stay its last child.
        last = body[-1] if len(body) and body[-1].tag == qn("w:sectPr") else None
        if last is not None:
            body.remove(last)
        self.blocks(article, Body(body, self.text_width), context)
        if last is not None:
            body.append(last)

    def blocks(self, parent: lxml.html.HtmlElement, container: Container, context: Context) -> None:
        """Write the children of a container element; loose text becomes a paragraph."""
        pending: list[lxml.html.HtmlElement | str] = []

        def flush() -> None:
            if pending:
                self.paragraphs.paragraph(list(pending), container, context)
                pending.clear()

        if parent.text:
            pending.append(parent.text)
        for child in parent:
            if skipped(child):
                pass
            elif child.tag in INLINE_TAGS and not classes(child) & CLASS_STYLES.keys():
                pending.append(child)
            else:
                flush()
                self.block(child, container, context)
            if child.tail:
                pending.append(child.tail)
        flush()

    def block(self, element: lxml.html.HtmlElement, container: Container, context: Context) -> None:
        """Write one block-level element."""
        if element.get("lang") is not None:
            context = replace(context, fmt=replace(context.fmt, lang=element.get("lang")))
        tag = element.tag
        named = classes(element)
        if "footnotes" in named:
            return  # its notes are Word footnotes, at their references
        if "page-break-before" in named:
            # On a <section> the break belongs to its first paragraph.
            self.paragraphs.break_next = True
        style = next((CLASS_STYLES[c] for c in sorted(named) if c in CLASS_STYLES), None)
        if tag in ("ul", "ol") and not style:
            self.list(element, container, context)
        elif style or tag in HEADING_STYLES or tag == "p":
            self.remembered(element, container, context,
                            lambda: self.paragraphs.paragraph([element], container, context, style or HEADING_STYLES.get(tag)))
        elif tag == "table":
            self.remembered(element, container, context, lambda: self.tables.table(element, container, context))
        else:
            self.blocks(element, container, context)

    def remembered(self, element: lxml.html.HtmlElement, container: Container, context: Context,
                   write: Callable[[], None]) -> None:
        """Call write() for a top-level block; or, with a memo, copy what it wrote for the same block before."""
        if self.memo is None or not isinstance(container, Body) or context.item is not None \
                or self.paragraphs.break_next:
            write()
            return
        key = (etree.tostring(element, with_tail=False), context, container.width)
        made = self.memo.get(key)
        body = container.body
        if made is not None:
            body.extend(copy.deepcopy(made_element) for made_element in made)
            return
        before, effects = len(body), self.effects()
        write()
        if self.effects() == effects and not self.paragraphs.break_next:
            self.memo[key] = [copy.deepcopy(made_element) for made_element in body[before:]]

    def effects(self) -> tuple[int, ...]:
        """What writing a block can change outside it: revisions, footnotes, links, list numbering."""
        return (self.paragraphs.revisions, len(self.paragraphs.note_ids), *self.package.additions())

    def list(self, element: lxml.html.HtmlElement, container: Container, context: Context) -> None:
        """Write a ul or ol, one list paragraph per li; an ol starts again at 1."""
        level = min(context.level + 1, 3)
        kind = "Number" if element.tag == "ol" else "Bullet"
        style = f"List {kind}" + ("" if level == 1 else f" {level}")
        num_id = self.paragraphs.restart_numbering(style) if element.tag == "ol" else None
        children = [child for child in element if not skipped(child)]
        for index, child in enumerate(children):
            inner = replace(context, level=level, item=ListItem(style, num_id, level))
            # Widows and orphans of a list in the body: its first item does not end a page alone, its last does
            # not open one alone. (In a table cell a paragraph kept with the next keeps its row with the next.)
            keep = isinstance(container, Body) and len(children) > 1 and index in (0, len(children) - 2)
            before = len(container.body) if isinstance(container, Body) else 0
            if child.tag == "li":
                self.blocks(child, container, inner)
            else:  # stray content in a list still reaches the reader
                self.block(child, container, inner)
            if keep and isinstance(container, Body):
                for w_p in container.body[before:]:
                    if w_p.tag == W_P:
                        ppr_child(paragraph_properties(w_p), "w:keepNext")
