"""XLIFF 1.2 for CAT tools (Trados, memoQ, OmegaT, Phrase): the PO catalog out, its translations back.

The PO file stays the source of truth. `xliff export` writes a language's
catalog as XLIFF 1.2 (the OASIS namespace, valid against its strict schema):

- one ``trans-unit`` per entry, its msgctxt as the unit's ``resname``; an
  entry with plural forms is a ``<group restype="x-gettext-plurals">`` with
  one unit per form of the target language;
- placeholders (``{city}``, ``%(num)s``, ``%s``) as ``<ph>`` elements holding
  the code, so that a CAT tool shows them as tags the translator cannot
  mistype;
- the state: a confirmed translation is ``translated`` (never ``approved``:
  nothing says it was reviewed), a fuzzy one ``needs-review-translation``;
  an untranslated entry has no target. With ``source_as_target`` every
  target is the source, copied, in the ``needs-translation`` state: OmegaT
  translates a unit's target text and does not see a unit without one; the
  translations go to it beside the file, as TMX (`tm export`);
- the translator's comments and the extractor's notes, and the places in
  the content;
- the entry's fingerprint: what its translation and state were at the export.

`xliff import` takes back only the translations. A unit is found again by its
msgctxt and source text; one whose source changed since the export is left
out and named. An entry whose fingerprint says it changed in the PO since
the export (a reviewer's correction) is a conflict, listed by its PO line,
and never overwritten. A target still in a ``needs-translation`` state is not
a translation while it is the source; a tool that changed its text without
saying it is done gives a fuzzy one, unless it is the PO's translation already. A plural entry is taken only with every form of the language.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from babel.messages.catalog import Catalog, Message
from lxml import etree

from .. import languages
from ..checks.text import PLACEHOLDER
from ..errors import CatalogError, Problem
from .po import first

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
#: The namespaces a file may use: 1.2, and 1.1 (what Songphasa and Translate Toolkit wrote before).
READ_NAMESPACES = (NAMESPACE, "urn:oasis:names:tc:xliff:document:1.1")
#: The context that carries an entry's fingerprint at the export (a core XLIFF element: CAT tools keep it).
FINGERPRINT = "x-songphasa-fingerprint"
PLURALS = "x-gettext-plurals"
#: States that say a target is not (yet) a translation.
UNTRANSLATED_STATES = ("new", "needs-translation")


@dataclass
class ImportReport:
    """What an XLIFF import changed in a catalog, and what it left out or refused."""

    changed: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)


def fingerprint(message: Message) -> str:
    """Return what an entry's translation and state are, as a short digest (the same entry, the same digest)."""
    strings = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string or ""]
    data = json.dumps([strings, "fuzzy" in message.flags], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def _unit_id(message: Message) -> str:
    """A stable XML id for a unit (msgctxt may hold characters an XML id cannot)."""
    key = f"{message.context or ''}\x04{first(message.id)}"
    return "u" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


# --- writing ---------------------------------------------------------------------------------------

def _inline(parent: Any, text: str) -> None:
    """Write a text into an element, each placeholder as a ``<ph>`` holding its code."""
    last: Any = None
    position, number = 0, 0
    for match in PLACEHOLDER.finditer(text):
        if match.group() == "%%":
            continue  # a literal percent sign, not a placeholder
        _append_text(parent, last, text[position:match.start()])
        number += 1
        last = etree.SubElement(parent, _q("ph"), id=str(number), ctype=_ctype(match.group()))
        last.text = match.group()
        position = match.end()
    _append_text(parent, last, text[position:])


def _ctype(code: str) -> str:
    return "x-python-brace-format" if code.startswith("{") else "x-python-format"


def _append_text(parent: Any, last: Any, text: str) -> None:
    if not text:
        return
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _unit(parent: Any, unit_id: str, source: str, target: str, state: str | None) -> Any:
    unit = etree.SubElement(parent, _q("trans-unit"), id=unit_id)
    unit.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    _inline(etree.SubElement(unit, _q("source")), source)
    if state is not None:
        element = etree.SubElement(unit, _q("target"), state=state)
        _inline(element, target)
    return unit


def _state(message: Message, text: str, source: str, source_as_target: bool) -> tuple[str | None, str]:
    if source_as_target:  # OmegaT translates the target's text: it must be the English (the Lao comes by TMX)
        return "needs-translation", source
    if text:
        return ("needs-review-translation" if "fuzzy" in message.flags else "translated"), text
    return None, ""


def _describe(unit: Any, message: Message, plural_note: str | None = None) -> None:
    """Add an entry's places, fingerprint and notes to its unit or plural group (a group wants them in this order)."""
    for file, line in message.locations:
        group = etree.SubElement(unit, _q("context-group"), purpose="location")
        etree.SubElement(group, _q("context"), {"context-type": "sourcefile"}).text = str(file)
        if line:
            etree.SubElement(group, _q("context"), {"context-type": "linenumber"}).text = str(line)
    group = etree.SubElement(unit, _q("context-group"), purpose="information")  # no name: names are unique per file
    etree.SubElement(group, _q("context"), {"context-type": FINGERPRINT}).text = fingerprint(message)
    for note in message.auto_comments:
        etree.SubElement(unit, _q("note"), {"from": "developer"}).text = note
    for note in message.user_comments:
        etree.SubElement(unit, _q("note"), {"from": "translator"}).text = note
    if plural_note:
        etree.SubElement(unit, _q("note"), {"from": "developer"}).text = plural_note


def export_xliff(catalog: Catalog, source_lang: str, lang: str, original: str, *,
                 source_as_target: bool = False) -> bytes:
    """Write every entry of a catalog as an XLIFF 1.2 file (see the module's description)."""
    root = etree.Element(_q("xliff"), nsmap={None: NAMESPACE}, version="1.2")
    file = etree.SubElement(root, _q("file"), {"original": original, "source-language": source_lang,
                                               "target-language": lang, "datatype": "po"})
    header = etree.SubElement(file, _q("header"))
    etree.SubElement(header, _q("tool"), {"tool-id": "songphasa", "tool-name": "Songphasa"})
    body = etree.SubElement(file, _q("body"))
    forms = catalog.num_plurals
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (tuple, list)):
            _plural_group(body, message, forms, source_as_target)
            continue
        state, target = _state(message, first(message.string), message.id, source_as_target)
        unit = _unit(body, _unit_id(message), message.id, target, state)
        if message.context:
            unit.set("resname", message.context)
        _describe(unit, message)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _plural_group(body: Any, message: Message, forms: int, source_as_target: bool) -> None:
    """Write a plural entry as a group of one unit per form of the target language."""
    group = etree.SubElement(body, _q("group"), id=_unit_id(message), restype=PLURALS)
    if message.context:
        group.set("resname", message.context)
    strings = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string or ""]
    singular, plural = message.id[0], message.id[1] if len(message.id) > 1 else message.id[0]
    _describe(group, message, f"Plural forms: {forms}; singular “{singular}”, plural “{plural}”")  # before the units
    for index in range(forms):
        source = singular if index == 0 and forms > 1 else plural
        text = strings[index] if index < len(strings) else ""
        state, target = _state(message, text, source, source_as_target)
        _unit(group, f"{_unit_id(message)}-{index}", source, target, state)


# --- reading ---------------------------------------------------------------------------------------

def _parse(data: bytes, name: str) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CatalogError(Problem(name, exc.lineno or None, f"the XLIFF file cannot be read ({exc.msg})",
                                   "export it again from your CAT tool as XLIFF 1.2")) from None
    if etree.QName(root).localname != "xliff" or etree.QName(root).namespace not in READ_NAMESPACES:
        raise CatalogError(Problem(name, root.sourceline, "this is not an XLIFF 1.2 file (its root is not "
                                   f"<xliff> in the namespace {NAMESPACE})",
                                   "export it from your CAT tool as XLIFF 1.2 (not XLIFF 2 or the tool's own format)"))
    return root


def _children(element: Any, localname: str) -> list[Any]:
    return [child for child in element if isinstance(child.tag, str) and etree.QName(child).localname == localname]


def _text(element: Any | None) -> str:
    """The text of a source or target, each inline element (``<ph>``, ``<g>``, ``<mrk>``) giving back its code."""
    return "" if element is None else "".join(element.itertext())


def target_language(data: bytes, name: str) -> str:
    """Return the target language an XLIFF file names ("" if its first file names none)."""
    root = _parse(data, name)
    files = _children(root, "file")
    return (files[0].get("target-language") or "") if files else ""


@dataclass(frozen=True)
class _Read:
    """One entry as a file gives it back: its id, the translation of each form, whether it is done, where."""

    context: str | None
    id: str
    sources: tuple[str, ...]
    targets: tuple[str | None, ...]  # None: no translation in the file for this form
    fuzzy: bool | None  # None: the file does not say (a needs-translation target whose text a tool changed)
    fingerprint: str | None
    line: int | None


def _read_unit(unit: Any) -> tuple[str, str | None, bool | None]:
    """Return a unit's source, its translation (None: none) and whether it is unconfirmed (None: unknown)."""
    source = _text(next(iter(_children(unit, "source")), None))
    targets = _children(unit, "target")
    if not targets:
        return source, None, None
    target, state = _text(targets[0]), targets[0].get("state") or ""
    if not target:
        return source, None, None
    if state in UNTRANSLATED_STATES:
        # The copy of the source an OmegaT export carries, or a tool that changed the text but not the state.
        return (source, None, None) if target == source else (source, target, None)
    done = unit.get("approved") == "yes" or state in ("translated", "final", "signed-off") or not state
    return source, target, not done


def _any_fuzzy(states: list[bool | None]) -> bool | None:
    """Whether a plural group is unconfirmed: one form is; or None when the file says nothing of any form."""
    if any(states):
        return True
    return None if all(state is None for state in states) else False


def _fingerprint_of(element: Any) -> str | None:
    for context in element.iter(f"{{{NAMESPACE}}}context", f"{{{READ_NAMESPACES[1]}}}context"):
        if context.get("context-type") == FINGERPRINT:
            return (context.text or "").strip() or None
    return None


def _entries(root: Any) -> list[_Read]:
    """Read every entry of a file: each unit outside a plural group, and each plural group."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        kind = etree.QName(element).localname
        parent = element.getparent()
        in_plurals = parent is not None and parent.get("restype") == PLURALS
        if kind == "trans-unit" and not in_plurals:
            source, target, fuzzy = _read_unit(element)
            found.append(_Read(element.get("resname") or None, element.get("id") or "", (source,), (target,), fuzzy,
                               _fingerprint_of(element), element.sourceline))
        elif kind == "group" and element.get("restype") == PLURALS:
            units = [_read_unit(unit) for unit in _children(element, "trans-unit")]
            found.append(_Read(element.get("resname") or None, element.get("id") or "", tuple(u[0] for u in units),
                               tuple(u[1] for u in units), _any_fuzzy([u[2] for u in units]),
                               _fingerprint_of(element), element.sourceline))
    return found


def import_xliff(catalog: Catalog, data: bytes, name: str, source_lang: str, target_lang: str, po_name: str, *,
                 skip_conflicts: bool = False) -> ImportReport:
    """Take the translations of an XLIFF file back into a catalog (see the module's description).

    ``source_lang``: the language of the units' source text, named in what is said of a unit left out.
    ``target_lang``: the catalog's language; a file translated into another language is refused whole.
    ``po_name``: the catalog's file, whose lines a conflict names. With conflicts, nothing is taken unless
    ``skip_conflicts``: then the other entries are, and the conflicting ones keep what the PO has.
    """
    root = _parse(data, name)
    said = target_language(data, name)
    if said and said.replace("_", "-").split("-")[0].lower() != target_lang.split("-")[0].lower():
        raise CatalogError(Problem(
            name, None, f"this XLIFF file is translated into '{said}', not into '{target_lang}' "
            f"({languages.get(target_lang).name}): nothing was taken",
            f"import it into the catalog of '{said}' (--lang), or export the {languages.get(target_lang).name} "
            "catalog for your CAT tool"))
    report = ImportReport()
    plurals = {_unit_id(m): m for m in catalog if isinstance(m.id, (tuple, list))}
    taken: list[tuple[Message, tuple[str, ...], bool]] = []
    for read in _entries(root):
        message = plurals.get(read.id) or catalog.get(read.sources[0], read.context)
        if message is None or not _same_source(message, read):
            what = f"'{read.context}'" if read.context else f"“{read.sources[0][:60]}”"
            report.skipped.append(Problem(name, read.line, f"the unit {what} is not in the catalog with this "
                                          f"{languages.get(source_lang).name} (it changed since the export?)",
                                          "run `python build.py update`, export again and carry this translation "
                                          "over by hand", "warning"))
            continue
        if all(target is None for target in read.targets):
            continue  # an empty target never erases a translation
        strings = _strings(message, read, catalog.num_plurals)
        if strings is None:
            report.skipped.append(Problem(name, read.line, f"the plural entry '{read.context or read.sources[0][:60]}'"
                                          f" needs all {catalog.num_plurals} forms of "
                                          f"{languages.get(target_lang).name}; the file lacks some: not taken",
                                          "translate every form of the group in your CAT tool", "warning"))
            continue
        current = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string or "",)
        if strings == current and read.fuzzy in (None, "fuzzy" in message.flags):
            continue
        if read.fingerprint != fingerprint(message) and any(current):
            report.conflicts.append(Problem(
                po_name, message.lineno, f"this entry changed in the PO since {name} was exported "
                f"(“{first(current)[:40]}”); the file's translation (“{strings[0][:40]}”) was not taken",
                "compare the two, keep the right one in the PO, then export again for the CAT tool",
                "warning" if skip_conflicts else "error"))
            continue
        taken.append((message, strings, read.fuzzy is not False))  # unsaid: to be reviewed
    if report.conflicts and not skip_conflicts:
        return report  # nothing taken: the user decides first
    for message, strings, fuzzy in taken:
        message.string = strings if isinstance(message.id, (tuple, list)) else strings[0]
        if fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            message.previous_id = []
        report.changed.append(message.context or first(message.id))
    return report


def _same_source(message: Message, read: _Read) -> bool:
    """Tell whether the file's source texts are the entry's (a plural's forms name the singular or the plural)."""
    if not isinstance(message.id, (tuple, list)):
        return read.sources == (message.id,)
    return all(source in tuple(message.id) for source in read.sources)


def _strings(message: Message, read: _Read, forms: int) -> tuple[str, ...] | None:
    """The translation the file gives an entry: every form (None: a plural entry the file leaves incomplete)."""
    if not isinstance(message.id, (tuple, list)):
        return (read.targets[0] or "",)
    if len(read.targets) != forms or any(target is None for target in read.targets):
        return None
    return tuple(target or "" for target in read.targets)
