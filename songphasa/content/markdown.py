"""Read the concept note's Markdown: sections of prose blocks, each text with its line and a stable id.

A level-1 heading starts a section; under it, paragraphs, lists (one level),
tables and footnotes. Each paragraph, list item and table cell is one
translation unit. Its id is ``{#id}`` when the author wrote one, else made
of its content (``prose_id``), so inserting a paragraph moves no translation
to a neighbour.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem, relative
from .text import MAX_TEXT_CHARS, Text, read_text, too_long


@dataclass(frozen=True)
class MdBlock:
    """One block of prose: a paragraph, a list with its items, a table, or a footnote's text."""

    kind: str  # "paragraph", "bullets", "numbers", "table" or "footnote"
    items: tuple[Text, ...]
    columns: int = 0  # a table's: its cells are in ``items`` row by row, the header row first
    name: str = ""  # a footnote's: the name its references use, [^name]

    @property
    def rows(self) -> list[tuple[Text, ...]]:
        """A table's rows, the header row first."""
        return [self.items[i:i + self.columns] for i in range(0, len(self.items), self.columns)] if self.columns else []


@dataclass(frozen=True)
class MdSection:
    """A level-1 heading and the blocks under it."""

    id: str
    title: Text
    blocks: tuple[MdBlock, ...]


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{#([A-Za-z0-9_-]+)\})?\s*$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_NUMBER = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FOOTNOTE_DEF = re.compile(r"^\[\^([A-Za-z0-9_-]+)\]:\s*(.*)$")
#: A footnote reference in prose: [^name].
FOOTNOTE_REF = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def _cells(line: str) -> list[str]:
    """Split a Markdown table row into its cells (a backslash keeps a '|' in a cell)."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", body)]


def slugify(text: str) -> str:
    """Make a section id from its heading."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def load_markdown(path: Path, root: Path) -> list[MdSection]:
    """Split a Markdown file into sections of translatable blocks, with lines."""
    return parse_markdown(relative(path, root), read_text(path, root), path.stem)


def parse_markdown(name: str, text: str, stem: str) -> list[MdSection]:
    """Split the text of the Markdown file ``name`` into sections; the ids of its texts start with ``stem``."""
    # Blank out comments but keep their newlines, so line numbers stay true.
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    problems: list[Problem] = []
    sections: list[dict] = []
    block: dict | None = None

    def close() -> None:
        """End the block being read and put it in its section."""
        nonlocal block
        if block is not None and sections:
            sections[-1]["blocks"].append(block)
        block = None

    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            close()
            continue
        heading = _HEADING.match(stripped)
        if heading:
            close()
            level, title, ident = len(heading.group(1)), heading.group(2), heading.group(3)
            if level != 1:
                problems.append(Problem(name, lineno, f"heading level {level} ('{'#' * level}') is not used in the concept note",
                                        "start each section with a single '#'; write sub-points as paragraphs or lists"))
                continue
            sid = ident or slugify(title)
            if any(s["id"] == sid for s in sections):
                problems.append(Problem(name, lineno, f"two sections have the id '{sid}'", "give this heading its own {#id}"))
            sections.append({"id": sid, "title": Text(title, name, lineno, f"{stem}.{sid}.title"), "blocks": [], "line": lineno})
            continue
        if not sections:
            problems.append(Problem(name, lineno, "text before the first heading", "start the file with a '# Heading' line"))
            continue
        if line.startswith(("    ", "\t")) and block is None:
            problems.append(Problem(name, lineno, "indented block (code or nested list) is not supported",
                                    "remove the indentation; lists have one level"))
            continue
        bullet, number = _BULLET.match(stripped), _NUMBER.match(stripped)
        listed = bullet or number
        marker = "bullets" if bullet else "numbers" if number else None
        if listed and marker and not line.startswith((" ", "\t")):
            if block is None or block["kind"] != marker:
                close()
                block = {"kind": marker, "items": []}
            block["items"].append([listed.group(1), lineno])
            continue
        footnote = _FOOTNOTE_DEF.match(stripped)
        if footnote and not line.startswith((" ", "\t")):
            close()
            if any(b.get("name") == footnote.group(1) for sec in sections for b in sec["blocks"]):
                problems.append(Problem(name, lineno, f"footnote [^{footnote.group(1)}] is defined twice",
                                        "give each footnote its own name"))
            block = {"kind": "footnote", "name": footnote.group(1), "items": [[footnote.group(2), lineno]]}
            continue
        if stripped.startswith("|"):
            if block is not None and block["kind"] != "table":
                close()
            if block is None:
                block = {"kind": "table", "items": [], "rows": [], "line": lineno}
            if _TABLE_RULE.match(stripped):
                if len(block["rows"]) != 1 or block.get("ruled"):
                    problems.append(Problem(name, lineno, "a table's '---' line must come right after its header row",
                                            "write the header row, then the '| --- | --- |' line, then the rows"))
                block["ruled"] = True
                continue
            cells = _cells(stripped)
            if block["rows"] and len(cells) != len(block["rows"][0]):
                problems.append(Problem(name, lineno, f"this table row has {len(cells)} cells, the header has {len(block['rows'][0])}",
                                        "give every row as many cells as the header ('|' separates cells)"))
            elif len(block["rows"]) == 1 and not block.get("ruled"):
                problems.append(Problem(name, lineno, "a table without its '---' line under the header",
                                        "add a line such as '| --- | --- |' after the header row"))
            block["rows"].append([(cell, lineno) for cell in cells])
            continue
        if stripped.startswith(("```", "~~~", ">")):
            problems.append(Problem(name, lineno, f"'{stripped[:3]}' (code or quote) is not supported in prose",
                                    "write it as paragraphs or a list"))
            continue
        if block is not None and block["kind"] == "table":
            close()
        if block is None:
            block = {"kind": "paragraph", "items": [[stripped, lineno]]}
        else:
            # A continuation line joins the paragraph or the list item above it.
            block["items"][-1][0] += " " + stripped
    close()
    for sec in sections:
        for blk in sec["blocks"]:
            for text, lineno in blk["items"]:
                if len(text) > MAX_TEXT_CHARS:
                    problems.append(too_long(name, lineno, len(text)))
    if problems:
        raise ContentError(problems)

    defined = {b["name"] for sec in sections for b in sec["blocks"] if b["kind"] == "footnote"}
    for sec in sections:
        for blk in sec["blocks"]:
            cells = [c for row in blk.get("rows", []) for c in row]
            for text, ln in [*blk["items"], *cells]:
                for ref in FOOTNOTE_REF.finditer(text):
                    if ref.group(1) not in defined:
                        problems.append(Problem(name, ln, f"footnote [^{ref.group(1)}] is not defined",
                                                f"add a line '[^{ref.group(1)}]: the note's text' after the paragraph"))
        for blk in sec["blocks"]:
            if blk["kind"] == "table" and len(blk["rows"]) < 2:
                problems.append(Problem(name, blk["line"], "a table with a header and no rows",
                                        "add the rows below the '---' line, or remove the table"))
    if problems:
        raise ContentError(problems)

    result = []
    for sec in sections:
        ids = ProseIds(name, f"{stem}.{sec['id']}")
        blocks = []
        for blk in sec["blocks"]:
            if blk["kind"] == "footnote":
                # A footnote is named by its label ([^name]), which the author chose.
                blocks.append(MdBlock("footnote", (Text(blk["items"][0][0], name, blk["items"][0][1],
                                                        f"{stem}.footnote.{blk['name']}"),), name=blk["name"]))
                continue
            if blk["kind"] == "table":
                # A table's cells are a grid: each is named by the table's place, its row and its column.
                columns = len(blk["rows"][0])
                items = tuple(ids.text(cell, ln) for row in blk["rows"] for cell, ln in row)
                blocks.append(MdBlock("table", items, columns=columns))
                continue
            blocks.append(MdBlock(blk["kind"], tuple(ids.text(t, ln) for t, ln in blk["items"])))
        problems.extend(ids.problems)
        result.append(MdSection(sec["id"], sec["title"], tuple(blocks)))
    if problems:
        raise ContentError(problems)
    return result


# --- identities of prose ----------------------------------------------------

_EXPLICIT_ID = re.compile(r"\s*\{#([A-Za-z0-9_-]+)\}\s*$")


def prose_id(text: str) -> str:
    """Name a paragraph or list item by its content: its first words and a hash of the whole.

    A position would move when a paragraph is inserted or deleted above it and
    hand its translation to a neighbour; a name made of the text itself stays
    with the text. An edit gives a new name: `update` then finds the old entry
    by content (catalogs.align_prose) and keeps its translation, fuzzy.
    """
    normal = " ".join(text.split())
    words = re.findall(r"[a-z0-9]+", normal.lower())[:4]
    digest = hashlib.sha1(normal.encode("utf-8")).hexdigest()[:8]
    return "-".join([*words, digest])


class ProseIds:
    """Give each paragraph and list item of one section its msgctxt: `{#id}` if written, else its content."""

    def __init__(self, file: str, prefix: str) -> None:
        self.file, self.prefix = file, prefix
        self.seen: dict[str, int] = {}
        self.problems: list[Problem] = []

    def text(self, source: str, line: int) -> Text:
        """Make one paragraph's or item's Text, with its id."""
        explicit = _EXPLICIT_ID.search(source)
        if explicit:
            source = source[:explicit.start()]
            ident = explicit.group(1)
            if ident in self.seen:
                self.problems.append(Problem(self.file, line, f"two paragraphs of this section have the id '{{#{ident}}}'",
                                             "give each paragraph its own {#id}, or none"))
            self.seen[ident] = 1
        else:
            base = prose_id(source)
            # The same text twice in one section: number the later copies.
            self.seen[base] = self.seen.get(base, 0) + 1
            ident = base if self.seen[base] == 1 else f"{base}-{self.seen[base]}"
        return Text(source, self.file, line, f"{self.prefix}.{ident}")
