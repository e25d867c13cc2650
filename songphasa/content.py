"""Read the event's content files, keeping the line of every value.

YAML is read with ruamel.yaml, which knows where each key and value stands, so
every later error can name its line. Every string becomes a :class:`Text`
value carrying its file, line and a stable id built from the ids on its path
(``people.manixay.position``); that id becomes the gettext msgctxt, so a
translation stays attached to its string when the list around it is reordered.

Markdown prose is split into blocks (headings, paragraphs, list items), each one
translation unit with its own line and id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLFutureWarning, YAMLWarning
from ruamel.yaml.reader import ReaderError

from .errors import ContentError, Problem, relative
from .files import check_input, read_input

#: No content file of a workshop comes near this; a bigger one is a mistake
#: (a pasted export, a binary file) and would only slow everything down.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: The most characters one text (a value, a paragraph, a list item) may have: ten times the
#: sample's longest paragraph. Markdown's work on one text grows faster than its length.
MAX_TEXT_CHARS = 10_000


def _too_long(file: str, line: int | None, length: int) -> Problem:
    return Problem(file, line, f"this text has {length:,} characters, more than the {MAX_TEXT_CHARS:,} one "
                   "paragraph or value may have", "split it into several paragraphs or list items")

# Characters XML 1.0 (and so DOCX) cannot hold at all.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Text:
    """One translatable string of content: its English, stable id and place.

    ``context`` is the gettext msgctxt; ``source`` is Markdown inline text.
    """

    source: str
    file: str
    line: int
    context: str
    comment: str = ""

    def __bool__(self) -> bool:
        return bool(self.source.strip())

    @property
    def translatable(self) -> bool:
        """Tell whether the string has a word to translate: "14", "9.5 %" or "—" in a table cell has none.

        Such a string is no entry of the catalogs; every language shows it as written, in its own digits
        where the event asks for them.
        """
        return any(ch.isalpha() for ch in self.source)

    def __str__(self) -> str:
        return self.source


@dataclass
class YamlDoc:
    """One YAML file: its data (strings as Text) and the line of every path."""

    file: str
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    source: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The mappings and lists already read: one met again is a YAML alias (*name) of it.
    containers: set[int] = field(default_factory=set, repr=False, compare=False)
    #: The characters the file's texts may still have: without aliases they never hold more than the file.
    room: int | None = field(default=None, repr=False, compare=False)

    def line_of(self, path: tuple) -> int | None:
        """Return the line of a path, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def typed(self, path: tuple) -> str | None:
        """Return a field's value as written in the file (YAML reads 9.30 as the number 9.3)."""
        path = tuple(path)
        line = self.lines.get(path)
        if not path or not isinstance(path[-1], str) or line is None or not 0 < line <= len(self.source):
            return None
        found = re.search(rf"(?:^|[\s{{,]){re.escape(path[-1])}\s*:\s*([^\s,#}}\]]+)", self.source[line - 1])
        return found.group(1) if found else None


# An HTML character reference (Markdown passes them through): &#x1; is U+0001.
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _forbidden_reference(line: str) -> tuple[str, int] | None:
    """Return a character reference in the line that stands for a forbidden character."""
    for match in _REFERENCE.finditer(line):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        # HTML turns &#0; and numbers beyond Unicode into U+FFFD, which is harmless.
        if 0 < code <= 0x10FFFF and _FORBIDDEN.fullmatch(chr(code)):
            return match.group(), code
    return None


def unholdable_character(text: str) -> str | None:
    """Name the first character of a text that Word documents cannot hold, raw or as &#…; (None if none)."""
    bad = _FORBIDDEN.search(text)
    if bad:
        return f"U+{ord(bad.group()):04X}"
    reference = _forbidden_reference(text)
    return f"U+{reference[1]:04X} (written '{reference[0]}')" if reference else None


def read_text(path: Path, root: Path) -> str:
    """Read a content file as UTF-8 text, refusing what a document cannot hold."""
    name = relative(path, root)
    if not os.path.lexists(path):
        raise ContentError(Problem(name, None, "file not found", f"create it (see the sample project's {path.parent.name}/{path.name})"))
    real = check_input(path, root)
    size = real.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(Problem(
            name, None,
            # Rounded up, so a file just over the limit never reads as "2048 KiB, more than 2048 KiB".
            f"file is {-(-size // 1024)} KiB, more than the {MAX_FILE_BYTES // 1024} KiB a content file may have",
            "check that the right file is in content/ and split very long prose into several files"))
    raw = read_input(path, root, limit=MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ContentError(Problem(
            name, line, "the file is not UTF-8 text",
            "save it as UTF-8 (in most editors: Save As → Encoding: UTF-8)")) from None
    text = text.removeprefix("\ufeff")
    problems = []
    # split("\n"), not splitlines(): that would treat U+000B, U+000C and U+001C–U+001E
    # as line ends and so never find them.
    for lineno, line in enumerate(text.split("\n"), start=1):
        bad = _FORBIDDEN.search(line)
        if bad:
            problems.append(Problem(
                name, lineno, f"invisible control character U+{ord(bad.group()):04X} that Word documents cannot hold",
                "delete it (it often comes from copying out of a PDF)"))
        elif reference := _forbidden_reference(line):
            problems.append(Problem(
                name, lineno, f"'{reference[0]}' stands for the control character U+{reference[1]:04X}, "
                "which Word documents cannot hold", "delete it"))
    if problems:
        raise ContentError(problems)
    return text


def load_yaml(path: Path, root: Path, stem: str | None = None) -> YamlDoc:
    """Load one YAML content file; strings become Text values with stable ids."""
    name = relative(path, root)
    text = read_text(path, root)
    tree = _round_trip_tree(name, text)
    doc = YamlDoc(name, None, source=text.split("\n"), room=len(text))
    try:
        doc.data = _locate(tree, doc, stem or path.stem, (), [], 1)
    except RecursionError:
        raise ContentError(Problem(name, None, "the file is nested too deeply to read",
                                   "check the brackets and indentation")) from None
    if doc.problems:
        raise ContentError(doc.problems)
    return doc


def _round_trip_tree(name: str, text: str) -> Any:
    """Read YAML with ruamel's Python reader, which places every error; return its tree (CommentedMap, …)."""
    yaml = YAML(typ="rt")
    try:
        with warnings.catch_warnings():
            # ruamel warns (on stderr) about a reused anchor and the like: here they are errors at their line.
            warnings.simplefilter("error", YAMLWarning)
            warnings.simplefilter("error", YAMLFutureWarning)
            tree = yaml.load(text)
    except (YAMLWarning, YAMLFutureWarning) as exc:
        # The warning's text names the place(s): "…, line 3, column 1:"; the last is where it went wrong.
        places = re.findall(r"line (\d+), column", str(exc))
        line = int(places[-1]) if places else None
        what = next((t.strip() for t in str(exc).splitlines() if t.strip()), "") or "a YAML construct not used here"
        raise ContentError(Problem(name, line, f"YAML: {what}",
                                   "write the values out; anchors (&name) and aliases (*name) are not used")) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (exc.problem or "the YAML cannot be read").strip()
        raise ContentError(Problem(
            name, line, f"YAML syntax error: {what}",
            "check the indentation and that text containing ': ' or starting with a quote is quoted")) from None
    except ReaderError as exc:
        # A character YAML refuses (C1 controls such as U+0091, from Windows "smart quotes").
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise ContentError(Problem(name, text.count("\n", 0, exc.position) + 1,
                                   f"invisible control character U+{code:04X} that YAML files cannot hold",
                                   "delete it (or retype the quote or dash it stands for)")) from None
    except YAMLError as exc:
        raise ContentError(Problem(name, None, f"YAML syntax error: {' '.join(str(exc).split())}",
                                   "check the file's syntax")) from None
    except (ValueError, OverflowError) as exc:
        # ruamel builds dates and numbers as it reads: 2021-02-30 or a 5000-digit number fails there.
        line = _impossible_date_line(text)
        if line is not None:
            raise ContentError(Problem(name, line, f"this date or time does not exist ({exc})",
                                       "write dates as YYYY-MM-DD with a day that exists, times as HH:MM")) from None
        raise ContentError(Problem(name, None, "a value cannot be read (a number with thousands of digits?)",
                                   "put long numbers that are meant as text in quotes")) from None
    except RecursionError:
        raise ContentError(Problem(name, None, "the file is nested too deeply to read",
                                   "check the brackets and indentation")) from None
    except (AttributeError, KeyError, IndexError):
        # ruamel's constructors fail like this on a tag put on the wrong kind of value ("!!omap text").
        tag = _TAG.search(text)
        line = text.count("\n", 0, tag.start()) + 1 if tag else None
        what = f"the tag {tag.group(1)}" if tag else "a tag"
        raise ContentError(Problem(name, line, f"YAML: {what} cannot be read here",
                                   "write plain values (text, numbers, dates, lists and mappings) without tags")) from None
    except TypeError:
        # A list or mapping used as a key ("? - a", "[a, b]: c") cannot be a key in Python.
        line = next((n for n, text in enumerate(text.split("\n"), start=1) if text.lstrip().startswith(("?", "[", "{"))),
                    None)
        raise ContentError(Problem(name, line, "a key is a list or a mapping",
                                   "write each key as a plain word followed by ':'")) from None
    return tree


#: A YAML tag: "!name" or "!!name" where a value starts.
_TAG = re.compile(r"(?:^|[\s\[{,:-])(!!?[^\s,\[\]{}]*)", re.MULTILINE)

_DATE = re.compile(r"\b(\d{4})-(\d\d?)-(\d\d?)(?:[Tt ]+(\d\d?):(\d\d):(\d\d))?")


def _impossible_date_line(text: str) -> int | None:
    """Return the first line with a date or time that does not exist (2021-02-30, 25:00:00)."""
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _DATE.finditer(line):
            year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
            try:
                dt.datetime(year, month, day, hour, minute, second)
            except ValueError:
                return number
    return None


def _locate(node: Any, doc: YamlDoc, stem: str, path: tuple, ids: list[str], line: int) -> Any:
    """Turn ruamel's round-trip tree (each mapping and list knows its places) into plain data, strings into Text."""
    doc.lines.setdefault(path, line)
    if isinstance(node, (dict, list)):
        # An alias of a mapping or list repeats it: nested ones make a 3 KB file expand
        # to billions of values. Content has no need of them, so each is refused.
        if id(node) in doc.containers:
            if not any(p.message.startswith("a YAML alias") for p in doc.problems):  # once a file is enough
                doc.problems.append(Problem(doc.file, line, "a YAML alias (*name) repeats a mapping or list",
                                            "write the values out where they are needed; anchors and aliases are not used"))
            return {} if isinstance(node, dict) else []
        doc.containers.add(id(node))
    where = (node.lc.data or {}) if isinstance(node, (CommentedMap, CommentedSeq)) else {}
    if isinstance(node, dict):
        out = {}
        for key in node:
            # Keys merged in with '<<: *anchor' have no place of their own: use the mapping's.
            place = where.get(key)
            kline = place[0] + 1 if place else line
            vline = place[2] + 1 if place and len(place) > 2 else kline
            doc.lines[path + (str(key),)] = kline
            value = node[key]
            out[str(key)] = _locate(value, doc, stem, path + (str(key),), ids + [str(key)],
                                    vline if not isinstance(value, (dict, list)) else kline)
        return out
    if isinstance(node, list):
        out_list = []
        for index, value in enumerate(node):
            place = where.get(index)
            iline = place[0] + 1 if place else line
            ident = value.get("id") if isinstance(value, dict) else None
            if ident is None and isinstance(value, dict) and isinstance(value.get("date"), dt.date):
                ident = value["date"].isoformat()  # a day of the agenda is known by its date
            step = str(ident) if isinstance(ident, (str, int)) and str(ident) else str(index)
            out_list.append(_locate(value, doc, stem, path + (index,), ids + [step], iline))
        return out_list
    if isinstance(node, str):
        if doc.room is not None:
            # An alias of a text repeats it at no cost in the file: 20,000 aliases of a long text
            # in 90 KB would be 180 million characters to check and print. Refused once the texts
            # hold more than the file itself.
            doc.room -= len(node)
            if doc.room < 0:
                if not any(p.message.startswith("this text is repeated") for p in doc.problems):
                    # ruamel places an alias where its anchor is: the line is the repeated text's.
                    doc.problems.append(Problem(doc.file, line, "this text is repeated by YAML aliases (*name) more "
                                                "often than the file could hold it", "write the values out where "
                                                "they are needed; anchors and aliases are not used"))
                return Text("", doc.file, line, ".".join([stem] + ids))
        # Folded YAML strings (>-) keep their text; normalise line ends only.
        source = " ".join(str(node).split())
        if _SURROGATE.search(source):
            # ruamel decodes the JSON-style pair "\ud83d\ude00" as two halves; join them into one character.
            try:
                source = source.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                doc.problems.append(Problem(doc.file, line, "an escape such as \\ud83d that is only half of a character",
                                            "write the character itself (or its full escape, such as \\U0001F600)"))
                source = _SURROGATE.sub("\ufffd", source)
        bad = _FORBIDDEN.search(source)
        if bad:  # written as an escape ("\x01") it got past read_text
            doc.problems.append(Problem(doc.file, line, f"invisible control character U+{ord(bad.group()):04X} "
                                        "that Word documents cannot hold", "delete it (or its escape, such as \\x01)"))
        if len(source) > MAX_TEXT_CHARS:
            doc.problems.append(_too_long(doc.file, line, len(source)))
        return Text(source, doc.file, line, ".".join([stem] + ids))
    return node


# --- Markdown ---------------------------------------------------------------

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
    name = relative(path, root)
    text = read_text(path, root)
    # Blank out comments but keep their newlines, so line numbers stay true.
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    stem = path.stem
    problems: list[Problem] = []
    sections: list[dict] = []
    block: dict | None = None

    def close() -> None:
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
        marker = "bullets" if bullet else "numbers" if number else None
        if marker and not line.startswith((" ", "\t")):
            if block is None or block["kind"] != marker:
                close()
                block = {"kind": marker, "items": []}
            block["items"].append([(bullet or number).group(1), lineno])
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
                    problems.append(_too_long(name, lineno, len(text)))
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
