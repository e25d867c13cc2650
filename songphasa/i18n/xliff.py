"""XLIFF for CAT tools (Trados, memoQ, OmegaT, Phrase), written and read with Translate Toolkit.

The PO file stays the source of truth: `xliff export` writes a language's
catalog as XLIFF 1.2, one trans-unit per entry, with the msgctxt as the
unit's ``resname``, the English, the translation, its state (fuzzy is
``needs-review-translation``, a confirmed translation ``translated`` and
approved), the translator's comments and the extractor's notes, and the
places in the content. `xliff import` takes back only the translations:
each unit is found again by its msgctxt and English; a unit whose English
changed since the export is left out and named; an entry the file does not
mention, or whose translation and state are unchanged, is not touched.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from babel.messages.catalog import Catalog, Message

from .. import languages
from ..errors import CatalogError, Problem
from .po import first


@dataclass
class ImportReport:
    """What an XLIFF import changed in a catalog, and what it left out."""

    changed: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def _unit_id(message: Message) -> str:
    """A stable XML id for a unit (msgctxt may hold characters an XML id cannot)."""
    key = f"{message.context or ''}\x04{first(message.id)}"
    return "u" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _confirmed(unit: Any) -> bool:
    """Tell whether a CAT tool marked a unit's translation as done (approved, or translated and later)."""
    node = unit.getlanguageNode(lang=None, index=1)
    state = (node.get("state") if node is not None else None) or ""
    if state.startswith("needs-"):
        return False
    return unit.isapproved() or state in ("translated", "final", "signed-off")


def export_xliff(catalog: Catalog, source_lang: str, lang: str, original: str) -> bytes:
    """Write every entry of a catalog as an XLIFF 1.2 file."""
    from translate.storage.xliff import xlifffile

    store: Any = xlifffile(sourcelanguage=source_lang, targetlanguage=lang)
    for message in catalog:
        if not message.id:
            continue
        unit = store.addsourceunit(first(message.id), filename=original, createifmissing=True)
        unit.setid(_unit_id(message))
        if message.context:
            unit.xmlelement.set("resname", message.context)
        target = first(message.string)
        if target:
            unit.settarget(target, lang)
            unit.markfuzzy("fuzzy" in message.flags)
            if "fuzzy" not in message.flags:
                unit.markapproved(True)
        for note in message.auto_comments:
            unit.addnote(note, origin="developer")
        for note in message.user_comments:
            unit.addnote(note, origin="translator")
        for file, line in message.locations:
            contexts = [("sourcefile", file)] + ([("linenumber", str(line))] if line else [])
            unit.createcontextgroup("po-reference", contexts, purpose="location")
    return bytes(store)


def import_xliff(catalog: Catalog, data: bytes, name: str, source_lang: str, target_lang: str) -> ImportReport:
    """Take the translations of an XLIFF file back into a catalog (see the module's description).

    ``source_lang``: the language of the units' source text, named in what is said of a unit left out.
    ``target_lang``: the catalog's language; a file translated into another language is refused whole.
    """
    from translate.storage.xliff import xlifffile

    try:
        store = xlifffile.parsestring(data)
    except Exception as exc:  # noqa: BLE001 — lxml or Translate Toolkit refusing the file: the file's fault
        raise CatalogError(Problem(name, None, f"the XLIFF file cannot be read ({type(exc).__name__})",
                                   "export it again from your CAT tool as XLIFF 1.2")) from None
    said = store.gettargetlanguage() or ""
    if said and said.replace("_", "-").split("-")[0].lower() != target_lang.split("-")[0].lower():
        raise CatalogError(Problem(
            name, None, f"this XLIFF file is translated into '{said}', not into '{target_lang}' "
            f"({languages.get(target_lang).name}): nothing was taken",
            f"import it into the catalog of '{said}' (--lang), or export the {languages.get(target_lang).name} "
            "catalog for your CAT tool"))
    report = ImportReport()
    for unit in store.getunits():
        if unit.isheader():
            continue
        source, target = str(unit.source or ""), str(unit.target or "")
        context = unit.xmlelement.get("resname") or None
        message = catalog.get(source, context)
        if message is None:
            what = f"'{context}'" if context else f"“{source[:60]}”"
            report.skipped.append(Problem(name, unit.xmlelement.sourceline, f"the unit {what} is not in the catalog "
                                          f"with this {languages.get(source_lang).name} (it changed since the export?)",
                                          "run `python build.py update`, export again and carry this translation "
                                          "over by hand", "warning"))
            continue
        if not target:
            continue  # an empty target never erases a translation
        fuzzy = not _confirmed(unit)
        if target == first(message.string) and fuzzy == ("fuzzy" in message.flags):
            continue
        message.string = (target,) * len(message.id) if isinstance(message.id, (tuple, list)) else target
        if fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            message.previous_id = []
        report.changed.append(context or source)
    return report
