"""Tables: cells laid on a grid as a browser lays them, column widths, and which rows may split across pages.

Header rows repeat on every page. A row stays on one page unless its text
is estimated to take more than a third of one: then keeping it whole would
leave most of a page empty before it. Such a row, when its cells say how
(a cell with ``data-continued``, another in ``<div class="piece">`` blocks),
is cut into one row per piece instead, each kept whole, and the later rows
show the ``data-continued`` text in that cell: LibreOffice and Word repeat
nothing of a row split across pages, so a time cell would be empty there.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace

import lxml.html
from lxml import etree

from songphasa.errors import SongphasaError

from .blocks import CellBody, Container, Context, Paragraphs
from .markup import classes, skipped
from .oxml import W_P, W_VAL, paragraph_properties, ppr_child, qn
from .runs import script_spans
from .styles import FALLBACK_TABLE_STYLE, TABLE_STYLE, StyleSheet

#: A printed sheet's table lines (data-borders): top, left, bottom, right, inside horizontal, inside vertical.
#: "cut": dashed lines to cut badges apart along; "fold": only the line a plate is folded on.
SHEET_BORDERS = {"cut": ("dashed",) * 6, "fold": ("nil", "nil", "nil", "nil", "dashed", "nil")}
#: Twips in a millimetre.
TWIPS_PER_MM = 1440 / 25.4

#: (row, column, rowspan, colspan, cell) of one HTML cell on the table's grid.
Placement = tuple[int, int, int, int, lxml.html.HtmlElement]
#: Writes the blocks of an HTML element into a container: what a cell holds.
WriteBlocks = Callable[[lxml.html.HtmlElement, Container, Context], None]

#: Rough measures of set text, in points per point of font size: a character's
#: average advance and a line's height. Text mostly in a script with runs of
#: its own (Lao, Thai) needs room above and below for its marks.
CHAR_WIDTH = {"latin": 0.5, "complex": 0.55}
LINE_HEIGHT = {"latin": 1.2, "complex": 1.75}
WIDEST = max(CHAR_WIDTH, key=CHAR_WIDTH.__getitem__)
CELL_MARGINS = 2 * 108  # twips: Word's default left and right cell margins
PARAGRAPH_GAP = 4 * 20  # twips


class Tables:
    """Write the tables of one document."""

    def __init__(self, styles: StyleSheet, paragraphs: Paragraphs, text_height: int, write_blocks: WriteBlocks):
        self.styles = styles
        self.paragraphs = paragraphs  # for captions
        self.text_height = text_height  # twips between the page's top and bottom margins
        self.write_blocks = write_blocks  # what writes a cell's content

    def table(self, element: lxml.html.HtmlElement, container: Container, context: Context) -> None:
        """Write a table: header rows repeat on each page, rows never split."""
        for caption in element.findall("caption"):
            if not skipped(caption):
                self.paragraphs.paragraph([caption], container, context, "Caption")
        rows = list(table_rows(element))
        placements, columns = place_cells(rows)
        if not rows or not columns:
            return
        style_name = TABLE_STYLE if self.styles.has_style(TABLE_STYLE) else FALLBACK_TABLE_STYLE
        style_id = self.styles.style_id(style_name)
        widths = column_widths(element, columns, container.width)
        header_rows = 0
        for _, is_header in rows:
            if not is_header:
                break
            header_rows += 1
        grid_widths = widths or [container.width // columns] * columns
        size = self.styles.style_size("Normal", style_name)
        # The twips a row may take and still be kept whole: a piece of a cut row (two-thirds of a page) is a unit
        # a reader wants whole, and the page it leaves is still more than a third full.
        limits = [self.text_height // 3] * len(rows)
        if all(rowspan == 1 for _, _, rowspan, _, _ in placements):  # rows of their own, that can be cut
            rows, limits = self.cut_rows(rows, header_rows, grid_widths, size)
            placements, columns = place_cells(rows)

        tbl = container.add_table()
        tbl_pr = etree.SubElement(tbl, qn("w:tblPr"))
        if style_id is not None:
            etree.SubElement(tbl_pr, qn("w:tblStyle")).set(W_VAL, style_id)
        tbl_w = etree.SubElement(tbl_pr, qn("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa" if widths else "auto")
        tbl_w.set(qn("w:w"), str(sum(widths)) if widths else "0")
        borders = element.get("data-borders")
        if borders in SHEET_BORDERS:
            edges = etree.SubElement(tbl_pr, qn("w:tblBorders"))
            for edge, kind in zip(("top", "left", "bottom", "right", "insideH", "insideV"), SHEET_BORDERS[borders]):
                line = etree.SubElement(edges, qn(f"w:{edge}"))
                line.set(W_VAL, kind)
                if kind != "nil":
                    line.set(qn("w:sz"), "4")
                    line.set(qn("w:space"), "0")
                    line.set(qn("w:color"), "808080")
        if widths:
            etree.SubElement(tbl_pr, qn("w:tblLayout")).set(qn("w:type"), "fixed")
        set_table_look(etree.SubElement(tbl_pr, qn("w:tblLook")), first_row=header_rows > 0)
        grid = etree.SubElement(tbl, qn("w:tblGrid"))
        for width in grid_widths:
            etree.SubElement(grid, qn("w:gridCol")).set(qn("w:w"), str(width))

        # Who owns each grid position; where HTML spans overlap, the first cell wins.
        owner: dict[tuple[int, int], int] = {}
        for index, (row, column, rowspan, colspan, _) in enumerate(placements):
            for dr in range(rowspan):
                for dc in range(colspan):
                    owner.setdefault((row + dr, column + dc), index)
        cell_context = Context(fmt=context.fmt, table_style=style_name)
        by_row: dict[int, list[Placement]] = {}
        for placement in placements:
            by_row.setdefault(placement[0], []).append(placement)
        for row_index, (tr, _) in enumerate(rows):
            # A heading row (a day's, a session's) stays whole and on the page of the row after it.
            keep_next = "keep-with-next" in classes(tr)
            whole = keep_next or row_index < header_rows or all(
                sets_within(cell_element, sum(grid_widths[column:column + colspan]), size, limits[row_index])
                for _, column, _, colspan, cell_element in by_row.get(row_index, []))
            self.row(tbl, row_index, columns, grid_widths, owner, placements, cell_context,
                     header=row_index < header_rows, keep_next=keep_next, whole=whole,
                     height=row_height(tr.get("data-height")), least=row_height(tr.get("data-min-height")))

    def cut_rows(self, rows: list[tuple[lxml.html.HtmlElement, bool]], header_rows: int, widths: list[int],
                 size: int) -> tuple[list[tuple[lxml.html.HtmlElement, bool]], list[int]]:
        """Cut each row too long to keep whole into its pieces; return the rows and the height each may keep whole.

        A row is cut when it would not stay whole (more than a third of a page),
        or when it is the table's first row below its headings and longer than
        a sixth of a page: a table kept with its heading must be able to start
        in the last part of a page, not leave it for the next.
        """
        third, sixth, most = self.text_height // 3, self.text_height // 6, self.text_height * 2 // 3
        cut: list[tuple[lxml.html.HtmlElement, bool]] = []
        limits: list[int] = []
        first_body = next((index for index, (tr, _) in enumerate(rows)
                           if index >= header_rows and "keep-with-next" not in classes(tr)), None)
        for index, (tr, is_header) in enumerate(rows):
            limit = sixth if index == first_body else third
            cells = [cell for cell in tr if not skipped(cell) and cell.tag in ("td", "th")]
            pieces = row_pieces(cells, widths)
            if is_header or pieces is None or all(
                    sets_within(cell, width, size, limit) for cell, width in zip(cells, widths)):
                cut.append((tr, is_header))
                limits.append(third)
                continue
            for number, piece_row in enumerate(pieces):
                if number < len(pieces) - 1 and "keep-with-next" in classes(piece_row):
                    # An item kept with the next row: its last piece is; the others may end a page.
                    piece_row.set("class", " ".join(sorted(classes(piece_row) - {"keep-with-next"})))
                cut.append((piece_row, False))
                limits.append(most)
        return cut, limits

    def row(self, tbl: etree._Element, row_index: int, columns: int, grid_widths: list[int],
            owner: dict[tuple[int, int], int], placements: list[Placement], cell_context: Context, *, header: bool,
            whole: bool, keep_next: bool = False, height: int = 0, least: int = 0) -> None:
        """Write one w:tr of a table; ``whole``: it must not split across pages; ``keep_next``: nor leave the next."""
        w_tr = etree.SubElement(tbl, qn("w:tr"))
        tr_pr = etree.SubElement(w_tr, qn("w:trPr"))
        if whole:
            etree.SubElement(tr_pr, qn("w:cantSplit"))
        if height:
            # A printed sheet's row (a plate's half, a badge): exactly this tall, its text centred in it.
            tr_height = etree.SubElement(tr_pr, qn("w:trHeight"))
            tr_height.set(W_VAL, str(height))
            tr_height.set(qn("w:hRule"), "exact")
        elif least:  # a sign-in row: room to sign, and more when a name takes two lines
            tr_height = etree.SubElement(tr_pr, qn("w:trHeight"))
            tr_height.set(W_VAL, str(least))
            tr_height.set(qn("w:hRule"), "atLeast")
        if header:
            etree.SubElement(tr_pr, qn("w:tblHeader"))
        column = 0
        while column < columns:
            index = owner.get((row_index, column))
            span = 1
            while index is not None and column + span < columns and \
                    owner.get((row_index, column + span)) == index:
                span += 1
            width = sum(grid_widths[column:column + span])
            tc = add_cell(w_tr, width, span)
            if index is not None:
                row, first_column, _, _, cell_element = placements[index]
                below = owner.get((row_index + 1, column)) == index
                if row == row_index and first_column == column:
                    if below:
                        etree.SubElement(tc[0], qn("w:vMerge")).set(W_VAL, "restart")
                    inner = cell_context
                    if cell_element.tag == "th":
                        inner = replace(inner, fmt=replace(inner.fmt, bold=True))
                    if cell_element.get("lang") is not None:
                        inner = replace(inner, fmt=replace(inner.fmt, lang=cell_element.get("lang")))
                    self.write_blocks(cell_element, CellBody(tc, width), inner)
                elif row < row_index and first_column == column:
                    etree.SubElement(tc[0], qn("w:vMerge"))  # continues the cell above
            column += span
        if height:
            for tc_pr in w_tr.iter(qn("w:tcPr")):
                etree.SubElement(tc_pr, qn("w:vAlign")).set(W_VAL, "center")
        if keep_next:
            # Word and LibreOffice keep a row with the next when its paragraphs keep with the next.
            for w_p in w_tr.iter(W_P):
                ppr_child(paragraph_properties(w_p), "w:keepNext")


def row_pieces(cells: list[lxml.html.HtmlElement], widths: list[int]) -> list[lxml.html.HtmlElement] | None:
    """Return the rows a table row is cut into, one per piece of its pieced cell (None when it cannot be cut).

    The row needs one cell with ``data-continued`` (what its later rows show
    there) and one whose blocks are two or more ``<div class="piece">``.
    """
    if len(cells) != len(widths):
        return None
    marked = [cell for cell in cells if cell.get("data-continued")]
    pieced = [(cell, pieces) for cell in cells
              if len(pieces := [child for child in cell if isinstance(child.tag, str) and child.tag == "div"
                                and "piece" in classes(child) and child.text_content().strip()]) > 1]
    if len(marked) != 1 or len(pieced) != 1:
        return None
    cell_with_pieces, pieces = pieced[0]
    tr = cells[0].getparent()
    made = []
    for number, piece in enumerate(pieces):
        row = lxml.html.Element("tr", {key: value for key, value in tr.attrib.items() if key == "class"})
        for cell in cells:
            copied = lxml.html.Element(cell.tag, {key: value for key, value in cell.attrib.items()
                                                  if key in ("lang", "class")})
            if cell is cell_with_pieces:
                copied.append(copy.deepcopy(piece))
                copied[-1].tail = None
            elif number == 0:
                copied = copy.deepcopy(cell)
                copied.tail = None
            elif cell in marked:
                label = lxml.html.Element("p")
                etree.SubElement(label, "em").text = cell.get("data-continued")
                copied.append(label)
            row.append(copied)
        made.append(row)
    return made


def table_rows(table: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, bool]]:
    """Yield each row of a table, and whether it is a header row (in <thead>, or all <th>)."""
    for child in table:
        if skipped(child):
            continue
        if child.tag == "tr":
            yield child, _all_th(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if not skipped(tr) and tr.tag == "tr":
                    yield tr, child.tag == "thead" or _all_th(tr)


def _all_th(tr: lxml.html.HtmlElement) -> bool:
    cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
    return bool(cells) and all(c.tag == "th" for c in cells)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def place_cells(rows: list[tuple[lxml.html.HtmlElement, bool]]) -> tuple[list[Placement], int]:
    """Lay the cells on a grid as a browser does, honouring colspan and rowspan; return them and the columns."""
    occupied: set[tuple[int, int]] = set()
    placements: list[Placement] = []
    for row, (tr, _) in enumerate(rows):
        column = 0
        for cell in tr:
            if skipped(cell) or cell.tag not in ("td", "th"):
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


def column_widths(table: lxml.html.HtmlElement, columns: int, available: int) -> list[int]:
    """Return the twips of each column its data-widths asks for ([] when it asks none)."""
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


def set_table_look(look: etree._Element, *, first_row: bool) -> None:
    """Fill a w:tblLook: the first row shaded as a header only when it is one, no banding."""
    # The table style shades its first row only when the look says the first
    # row is a header; a table without <th> must not get a grey first row.
    flags = {"firstRow": first_row, "lastRow": False, "firstColumn": False,
             "lastColumn": False, "noHBand": True, "noVBand": True}  # fmt: skip
    bits = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80,
            "lastColumn": 0x100, "noHBand": 0x200, "noVBand": 0x400}  # fmt: skip
    look.set(W_VAL, f"{sum(bits[k] for k, on in flags.items() if on):04X}")
    for name, on in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")


def add_cell(tr: etree._Element, width: int, span: int) -> etree._Element:
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


# --- how tall a cell's text sets ------------------------------------------------


def sets_within(cell: lxml.html.HtmlElement, width: int, size_half_points: int, limit: int) -> bool:
    """Tell whether a table cell's text sets within ``limit`` twips, estimated from its length and the column's width.

    Most cells are short: when even the widest characters and the tallest
    lines of the measures would fit, the script of each paragraph is not looked for.
    """
    texts = leaf_texts(cell)
    return estimated_height(texts, width, size_half_points / 2, bound=True) <= limit or \
        estimated_height(texts, width, size_half_points / 2) <= limit


def leaf_texts(cell: lxml.html.HtmlElement) -> list[str]:
    """Return the text of each paragraph of a cell (the cell's own when it has none), white space collapsed."""
    leaves = [e for e in cell.iter("p", "li", "h1", "h2", "h3", "h4")
              if not any(d.tag in ("p", "li", "ul", "ol") for d in e.iterdescendants())] or [cell]
    return [" ".join(leaf.text_content().split()) for leaf in leaves]


def estimated_height(texts: list[str], width: int, points: float, *, bound: bool = False) -> int:
    """Estimate in twips how tall paragraphs set in a column's width.

    ``bound``: at least as tall, found without looking at the text's script:
    each paragraph as if in the widest and tallest measures, every character advancing.
    """
    height = 0
    for text in texts:
        if bound:
            measure, tallest, advancing = WIDEST, max(LINE_HEIGHT.values()), len(text)
        else:
            # Set mostly in a script with runs of its own (Lao, Thai), or mostly Latin.
            spanned = sum(end - start for start, end, _ in script_spans(text))
            measure = "complex" if spanned * 2 > len(text) else "latin"
            tallest = LINE_HEIGHT[measure]
            # Marks that sit above or below take no advance: counted by the distinct
            # characters, as a cell's text repeats most of them.
            advancing = len(text) if text.isascii() else len(text) - sum(
                text.count(char) for char in set(text) if unicodedata.category(char) == "Mn")
        per_line = max(1, int((width - CELL_MARGINS) / (points * CHAR_WIDTH[measure] * 20)))
        lines = max(1, -(-advancing // per_line))
        height += int(lines * points * tallest * 20) + PARAGRAPH_GAP
    return height


def row_height(value: str | None) -> int:
    """Read a printed sheet's row height in millimetres (``data-height="84"``) as twips; 0 for none (1–400 mm)."""
    try:
        mm = float(value) if value is not None else 0.0
    except ValueError:
        return 0
    return round(mm * TWIPS_PER_MM) if 1 <= mm <= 400 else 0
