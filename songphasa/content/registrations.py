"""Take a registration export (CSV or XLSX) into content/participants.yaml.

A Google Forms, KoboToolbox or Excel export is a table with a header row:
each column is matched to a participant's field by its heading (a known one,
or as ``--map FIELD=HEADING`` says), each row becomes a participant, and a
row that cannot be one (no name in the source language, an organization the
event does not know, an e-mail that is not one) is reported with its row
number as the spreadsheet shows it. The good rows are added to the file,
which is validated whole before it is written; a participant already listed
(the same name) is not added twice.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import ContentError, Problem
from ..files import atomic_write, read_named
from ..project import Project
from .event import EventContent
from .fields import to_email
from .files import content_file
from .load import load_event
from .participants import ROLES

PARTICIPANTS = content_file("participants").path

#: Headings a registration form commonly gives each field, lower case, without punctuation.
#: ``{lang}`` fields are named with a language code: name.en, position.lo.
KNOWN_HEADINGS: dict[str, tuple[str, ...]] = {
    "honorific": ("honorific", "title", "salutation", "mr ms", "ຄຳນຳໜ້າ"),
    "name.en": ("name in english", "name english", "english name", "full name in english", "full name", "name"),
    "name.lo": ("name in lao", "name lao", "lao name", "ຊື່ ແລະ ນາມສະກຸນ", "ຊື່ ນາມສະກຸນ", "ຊື່"),
    "position.en": ("position in english", "position english", "position", "job title", "title of position"),
    "position.lo": ("position in lao", "position lao", "ຕຳແໜ່ງ"),
    "organization": ("organization", "organisation", "ministry", "institution", "agency", "ກະຊວງ", "ອົງການ"),
    "role": ("role", "participant type", "category"),
    "attendance": ("attendance", "attending", "how will you attend", "mode", "participation"),
    "email": ("email", "e mail", "email address", "e mail address", "ອີເມວ"),
    "telephone": ("telephone", "phone", "phone number", "mobile", "whatsapp", "ເບີໂທ", "ເບີໂທລະສັບ"),
}
#: How registrations write attendance.
ATTENDANCE = {"in person": "in-person", "in-person": "in-person", "onsite": "in-person", "on site": "in-person",
              "physical": "in-person", "online": "online", "virtual": "online", "zoom": "online", "remote": "online",
              "ເຂົ້າຮ່ວມໂດຍກົງ": "in-person", "ທາງອອນລາຍ": "online", "ອອນລາຍ": "online"}
HONORIFICS = {"mr": "Mr.", "mr.": "Mr.", "ms": "Ms.", "ms.": "Ms.", "mrs": "Ms.", "mrs.": "Ms.", "miss": "Ms.",
              "h.e. mr.": "H. E. Mr.", "h. e. mr.": "H. E. Mr.", "h.e. mr": "H. E. Mr."}
MAX_ROWS = 5000


@dataclass
class Imported:
    """What an import did: the participants added, those already listed, the rows left out and why."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _heading(text: Any) -> str:
    """A heading as compared: lower case, punctuation and brackets as spaces."""
    folded = unicodedata.normalize("NFC", str(text or "")).lower()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def read_table(path: Path, name: str, sheet: str | None = None) -> list[list[str]]:
    """Read the rows of a CSV or XLSX file (the first row the headings), every cell as text."""
    data = read_named(path, name, "give the path of the CSV or XLSX file your registration form exported")
    if data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data, name, sheet)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError([Problem(name, None, "is neither an XLSX workbook nor a CSV file in UTF-8",
                                    "export it again as CSV UTF-8 (Excel: Save As › CSV UTF-8) or as .xlsx")]) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(data: bytes, name: str, sheet: str | None) -> list[list[str]]:
    from openpyxl import load_workbook  # only an import of a workbook needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ContentError([Problem(name, None, f"cannot be read as an XLSX workbook ({type(exc).__name__})",
                                    "open it in Excel or LibreOffice and save it again as .xlsx, or export CSV")]) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise ContentError([Problem(name, None, f"has no sheet '{sheet}'",
                                    "use one of: " + ", ".join(book.sheetnames))])
    rows = []
    for row in book[sheet] if sheet else book.worksheets[0]:
        cells = ["" if cell.value is None else str(cell.value).strip() for cell in row]
        rows.append(cells)
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return rows


def column_map(headings: Sequence[str], mapping: Mapping[str, str], languages: Sequence[str], name: str
               ) -> dict[str, int]:
    """Match each field to its column: as ``mapping`` says (field → heading), else by a known heading."""
    found: dict[str, int] = {}
    folded = [_heading(h) for h in headings]
    fields = {f for f in KNOWN_HEADINGS if "." not in f} | {f"{f}.{lang}" for f in ("name", "position")
                                                           for lang in languages}
    for wanted, heading in mapping.items():
        if wanted not in fields:
            raise ContentError([Problem(name, None, f"--map {wanted}=…: '{wanted}' is not a field of a participant",
                                        "use one of: " + ", ".join(sorted(fields)))])
        if _heading(heading) not in folded:
            raise ContentError([Problem(name, 1, f"--map {wanted}={heading}: no column is headed '{heading}'",
                                        "the headings are: " + ", ".join(h for h in headings if h))])
        found[wanted] = folded.index(_heading(heading))
    taken = set(found.values())
    for wanted in sorted(fields, key=lambda f: list(KNOWN_HEADINGS).index(f) if f in KNOWN_HEADINGS else 0):
        if wanted in found:
            continue
        for known in KNOWN_HEADINGS.get(wanted, ()):  # the most specific headings first
            if known in folded and folded.index(known) not in taken:
                found[wanted] = folded.index(known)
                taken.add(found[wanted])
                break
    return found


def _organizations(content: EventContent, lookups: Mapping[str, Mapping[tuple[str | None, str], str]]
                   ) -> dict[str, str]:
    """Every way a registration may name an organization (id, name, abbreviation, in any language) → its id."""
    names: dict[str, str] = {}
    entries: list[tuple[str, list[Any]]] = [(o.id, [o.name, o.abbreviation]) for o in content.organizations.values()]
    if content.recipients:
        entries += [(r.id, [r.name, *r.abbreviation.values()]) for r in content.recipients.recipients]
    for oid, said in entries:
        names.setdefault(_heading(oid), oid)
        for text in said:
            if not text:
                continue
            source = getattr(text, "source", text)
            names.setdefault(_heading(source), oid)
            for lookup in lookups.values():
                translated = lookup.get((getattr(text, "context", None), source))
                if translated:
                    names.setdefault(_heading(translated), oid)
    return names


def participants_from(rows: list[list[str]], columns: Mapping[str, int], content: EventContent,
                      organizations: Mapping[str, str], name: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Turn the data rows into participants' entries; say each row left out with its row number."""
    source = content.event.settings.source_language
    entries: list[dict[str, Any]] = []
    problems: list[Problem] = []

    def cell(row: list[str], wanted: str) -> str:
        index = columns.get(wanted)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:MAX_ROWS + 1], start=2):  # row 1 holds the headings
        if not any(c.strip() for c in row):
            continue
        why = []
        entry: dict[str, Any] = {}
        names = {lang: cell(row, f"name.{lang}") for lang in content.languages if cell(row, f"name.{lang}")}
        if source not in names:
            why.append(f"no name in {source}" + ("" if f"name.{source}" in columns else
                                                   f" (no column for it: --map name.{source}=HEADING)"))
        honorific = cell(row, "honorific")
        if honorific:
            entry["honorific"] = HONORIFICS.get(honorific.lower(), honorific)
        entry["name"] = names
        positions = {lang: cell(row, f"position.{lang}") for lang in content.languages if cell(row, f"position.{lang}")}
        if positions:
            entry["position"] = positions
        organization = cell(row, "organization")
        if organization:
            oid = organizations.get(_heading(organization))
            if oid is None:
                why.append(f"unknown organization '{organization[:60]}'")
            else:
                entry["organization"] = oid
        role = cell(row, "role").lower()
        if role:
            if role not in ROLES:
                why.append(f"unknown role '{role[:30]}' (one of: {', '.join(ROLES)})")
            else:
                entry["role"] = role
        attendance = cell(row, "attendance")
        if attendance:
            if attendance.lower() not in ATTENDANCE and attendance not in ATTENDANCE:
                why.append(f"attendance '{attendance[:30]}' is neither in person nor online")
            else:
                entry["attendance"] = ATTENDANCE.get(attendance.lower(), ATTENDANCE.get(attendance))
        email = cell(row, "email")
        if email:
            try:
                entry["email"] = to_email(email)
            except PydanticCustomError:
                why.append(f"'{email[:60]}' is not one e-mail address")
        telephone = cell(row, "telephone")
        if telephone:
            entry["telephone"] = DoubleQuotedScalarString(telephone)  # a number, as written: never read as one
        if why:
            problems.append(Problem(name, None, f"row {number} left out: " + "; ".join(why),
                                    "correct the row and import the file again (rows already taken are not "
                                    "added twice)"))
        else:
            entries.append(entry)
    return entries, problems


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return (words[-1] if words else "participant")[:30]


def import_registrations(project: Project, file: Path, *, mapping: Mapping[str, str] | None = None,
                         sheet: str | None = None, lookups: Mapping[str, Mapping[tuple[str | None, str], str]] | None
                         = None) -> Imported:
    """Add the usable rows of a registration export to content/participants.yaml; report the others by row."""
    content = load_event(project.root)
    name = str(file)
    rows = read_table(file, name, sheet)
    if not rows:
        raise ContentError([Problem(name, None, "is empty", "export the registrations with their header row")])
    columns = column_map(rows[0], mapping or {}, content.languages, name)
    entries, problems = participants_from(rows, columns, content, _organizations(content, lookups or {}), name)
    result = Imported(problems=problems)

    path = project.root / PARTICIPANTS
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # as the files Songphasa makes are written
    existing = path.read_text(encoding="utf-8") if path.exists() else (
        "# yaml-language-server: $schema=../schemas/participants.schema.json\n"
        "# Who takes part; everyone confirmed on the agenda is a participant already.\n")
    tree = yaml.load(existing) or CommentedMap()
    listed = tree.setdefault("participants", CommentedSeq())
    if listed is None:
        listed = tree["participants"] = CommentedSeq()
    source = content.event.settings.source_language
    known_names = {_heading((e.get("name") or {}).get(source, "")) for e in listed if isinstance(e, Mapping)}
    known_names |= {_heading(p.name.source) for p in content.people.values()}
    ids = {str(e.get("id") or e.get("person")) for e in listed if isinstance(e, Mapping)} | set(content.people)
    for entry in entries:
        said = entry["name"][source]
        if _heading(said) in known_names:
            result.already.append(said)
            continue
        ident, n = _slug(said), 2
        while ident in ids:
            ident, n = f"{_slug(said)}-{n}", n + 1
        ids.add(ident)
        known_names.add(_heading(said))
        item = CommentedMap(id=ident)
        for key, value in entry.items():
            if isinstance(value, dict):
                value = CommentedMap(value)
                value.fa.set_flow_style()
            item[key] = value
        listed.append(item)
        result.added.append(said)
    if result.added:
        out = io.StringIO()
        yaml.dump(tree, out)
        text = out.getvalue()
        load_event(project.root, overrides={PARTICIPANTS: text})  # the whole event, valid, before it is written
        atomic_write(path, text)
    return result


def mapping_of(values: Iterable[str], name: str = "--map") -> dict[str, str]:
    """Read repeated ``--map FIELD=HEADING``."""
    found = {}
    for value in values:
        wanted, equals, heading = value.partition("=")
        if not equals or not wanted.strip() or not heading.strip():
            raise ContentError([Problem(name, None, f"'{value}' is not FIELD=HEADING",
                                        'write e.g. --map name.lo="ຊື່ ແລະ ນາມສະກຸນ"')])
        found[wanted.strip()] = heading.strip()
    return found
