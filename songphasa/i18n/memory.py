"""Translation memory: reuse translations across events, and exchange them as TMX.

Three sources of earlier work fill a catalog's untranslated entries:

- the tool's own interface strings (the built-in templates), shipped
  translated inside the package (``songphasa/locales/<lang>.po``); `init`
  fills them in, as translated, where the msgctxt and English are the same
  (a label one word off is rarely the same meaning: "Discussion of the
  recommendations" is not "Decisions on the recommendations", and a
  translator who only clears the fuzzy flag would print the wrong one);
- the catalogs of other event projects, or a PO file (`tm import DIR|FILE`);
- a TMX file from a CAT tool (`tm import FILE.tmx`), read with Translate Toolkit.

An exact match (the same msgctxt and the same English) is taken as
translated. The same English under another id, or English that is close
(most characters the same), comes in *fuzzy*, with the memory's English as
the previous msgid (`#| msgid`) and its origin in a translator comment: the
translator reviews it, and `--release` refuses until they have. Nothing a
translator already wrote is replaced: only empty entries are filled.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

from .. import languages
from ..errors import CatalogError, ContentError, Problem, relative
from ..files import check_named, read_named
from .po import MAX_CATALOG_BYTES, MAX_TRANSLATION_CHARS, first, has_translation, is_template_string, read_catalog
from .similar import nearest

#: How alike (share of the letters in order, see similar.py) a memory's string must be to be offered, fuzzy.
CLOSE = 0.85
#: The most translations one `tm import` takes from its memories together (bench/adversarial.py times it).
MAX_MEMORY_UNITS = 25_000
#: The largest memory file (PO or TMX) `tm import` reads: parsed whole, a file takes several times its size.
MAX_MEMORY_BYTES = MAX_CATALOG_BYTES


@dataclass(frozen=True)
class Unit:
    """One translation in a memory: its id (if known), source text, translation and where it comes from."""

    context: str | None
    source: str
    target: str
    origin: str
    forms: tuple[str, ...] = ()  # every plural form's translation, for an entry with plural forms


@dataclass
class MemoryReport:
    """What a memory gave one catalog."""

    translated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)


# --- the shipped interface translations -----------------------------------------------------

def interface_path(lang: str) -> Path | None:
    """Return the shipped translations of the built-in templates for a language (None if there are none)."""
    path = Path(str(resources.files("songphasa") / "locales" / f"{lang}.po"))
    return path if path.is_file() else None


def interface_units(lang: str) -> list[Unit]:
    """Read the shipped interface translations of a language."""
    path = interface_path(lang)
    if path is None:
        return []
    catalog = read_catalog(path, path.parent, locale=lang)
    return [Unit(m.context, first(m.id), first(m.string), "Songphasa's interface translations")
            for m in catalog if m.id and first(m.string) and "fuzzy" not in m.flags]


def shipped_translations(lang: str) -> frozenset[tuple[str | None, str, str]]:
    """Return the shipped interface translations of a language as (context, msgid, msgstr)."""
    return frozenset((unit.context, unit.source, unit.target) for unit in interface_units(lang))


def as_shipped(message: Message, shipped: frozenset[tuple[str | None, str, str]]) -> bool:
    """Tell whether an entry is a built-in template string as Songphasa ships it: the tool's own, not the translator's.

    `check` leaves its findings out (a word the dictionary lacks, "Word" left in Latin letters): they would bury
    the translator's own. An entry the translator has changed is checked like any other.
    """
    return is_template_string(message) and (message.context, first(message.id), first(message.string)) in shipped


# --- reading a memory ------------------------------------------------------------------------

def read_memories(sources: list[Path], lang: str, root: Path) -> list[Unit]:
    """Read the translations of every memory given, refusing more than MAX_MEMORY_UNITS in all."""
    units: list[Unit] = []
    for source in sources:
        units += read_memory(source, lang, root)
        if len(units) > MAX_MEMORY_UNITS:
            with_this = " with this one" if len(sources) > 1 else ""
            raise CatalogError(Problem(relative(source, root), None,
                                       f"the memory holds {len(units):,} translations{with_this}, more than the "
                                       f"{MAX_MEMORY_UNITS:,} one `tm import` takes",
                                       "import it in parts (each import fills only what is still empty), or export "
                                       "from your CAT tool only this subject's translations"))
    return units


def read_memory(source: Path, lang: str, root: Path) -> list[Unit]:
    """Read the translations of a memory: an event project's folder, a PO file or a TMX file.

    The units' origin, which goes into the shared catalog's comments, is the memory's own name:
    never a path of the translator's machine.
    """
    name = relative(source, root)
    origin = source.resolve().name
    hint = "give an event project's folder, a .po or a .tmx file"
    if source.is_dir():
        path = source / "locales" / lang / "LC_MESSAGES" / "messages.po"
        if not os.path.lexists(path):  # one that is there but no regular file is read_catalog's to refuse
            raise CatalogError(Problem(name, None, f"this folder has no catalog for '{lang}' "
                                       f"(locales/{lang}/LC_MESSAGES/messages.po)",
                                       "give the folder of an event project, a .po or a .tmx file"))
        return _po_units(path, root, lang, origin)
    if not os.path.lexists(source):
        raise CatalogError(Problem(name, None, "no such file or folder", hint))
    try:  # a pipe would hang the command, a device fill the memory
        check_named(source, name, hint)
    except ContentError as exc:
        raise CatalogError(exc.problems) from None
    if source.suffix.lower() == ".tmx":
        return _tmx_units(source, lang, name, origin)
    if source.suffix.lower() in (".po", ".pot"):
        return _po_units(source, root, lang, origin)
    raise CatalogError(Problem(name, None, "a translation memory must be a .po or .tmx file or an event's folder",
                               "export the memory from your CAT tool as TMX"))


def _po_units(path: Path, root: Path, lang: str, origin: str) -> list[Unit]:
    catalog = read_catalog(path, root, locale=lang)
    written_in = catalog.locale_identifier  # from its Language header, where it has one
    if written_in and languages.get(written_in).code != languages.get(lang).code:
        return []  # a Lao memory holds nothing for the English or Thai catalog of the same event
    return [Unit(m.context, first(m.id), first(m.string), origin, _forms(m))
            for m in catalog if m.id and first(m.string) and "fuzzy" not in m.flags]


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else ()


#: The TMX property that marks one plural form of a gettext entry: "index/count" (TMX has no plurals of its own).
PLURAL_FORM = "x-gettext-plural-form"


def _tmx_units(path: Path, lang: str, name: str, origin: str) -> list[Unit]:
    from translate.storage.tmx import tmxfile

    try:
        data = read_named(path, name, "give an event project's folder, a .po or a .tmx file", limit=MAX_MEMORY_BYTES)
    except ContentError as exc:
        raise CatalogError(exc.problems) from None
    try:
        store = tmxfile.parsestring(data)
    except Exception as exc:  # noqa: BLE001 — lxml or Translate Toolkit refusing the file: the file's fault
        raise CatalogError(Problem(name, None, f"the TMX file cannot be read ({type(exc).__name__})",
                                   "export it again from your CAT tool (TMX 1.4)")) from None
    units = []
    plurals: dict[tuple[str | None, int], dict[int, tuple[str, str]]] = {}
    for tu in store.getunits():
        source, target = tu.source, tu.gettarget(lang)
        if not (source and target):
            continue
        form = _plural_form(tu)
        if form is None:
            units.append(Unit(tu.getcontext() or None, str(source), str(target), origin))
        else:  # one form of a plural entry: gathered below, used only whole
            plurals.setdefault((tu.getcontext() or None, form[1]), {})[form[0]] = (str(source), str(target))
    for (context, count), forms in plurals.items():
        if sorted(forms) == list(range(count)):
            texts = tuple(forms[index][1] for index in range(count))
            units.append(Unit(context, forms[0][0], texts[0], origin, texts))
    return units


def _plural_form(tu: Any) -> tuple[int, int] | None:
    """Return (index, count) of a TMX unit that holds one plural form (None for an ordinary unit)."""
    for prop in tu.xmlelement.iter("{*}prop", "prop"):
        if prop.get("type") == PLURAL_FORM:
            index, _, count = (prop.text or "").partition("/")
            if index.isdigit() and count.isdigit() and int(index) < int(count):
                return int(index), int(count)
    return None


def write_tmx(catalog: Catalog, source_lang: str, lang: str) -> bytes:
    """Write a catalog's confirmed translations as TMX 1.4, each with its msgctxt (Translate Toolkit).

    An entry with plural forms is one unit per form of the language, each marked ``x-gettext-plural-form``
    (index/count): the singular's text beside the first form, the plural's beside the others.
    """
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage=source_lang, targetlanguage=lang)
    for message in catalog:
        if not message.id or "fuzzy" in message.flags or not first(message.string):
            continue
        comment = " ".join(message.auto_comments) or None
        forms = _forms(message)
        if not forms:
            store.addtranslation(first(message.id), source_lang, first(message.string), lang,
                                 comment=comment, context=message.context)
            continue
        if not all(forms):
            continue  # a plural entry without every form is not a confirmed translation
        for index, text in enumerate(forms):
            source = message.id[0] if index == 0 else message.id[-1]
            store.addtranslation(source, source_lang, text, lang, comment=comment, context=message.context)
            tu = store.units[-1].xmlelement
            prop = tu.makeelement("prop", {"type": PLURAL_FORM})
            prop.text = f"{index}/{len(forms)}"
            tu.find("tuv").addprevious(prop)  # TMX wants note, prop, then tuv
    buffer = io.BytesIO()
    store.serialize(buffer)
    return buffer.getvalue()


# --- applying a memory ----------------------------------------------------------------------------

def apply(catalog: Catalog, units: list[Unit], *, close: bool = True) -> MemoryReport:
    """Fill a catalog's untranslated entries from a memory (see the module's description).

    ``close=False`` takes exact matches only: no fuzzy suggestion (the shipped labels').
    """
    report = MemoryReport()
    exact: dict[tuple[str | None, str], Unit] = {}
    by_source: dict[str, Unit] = {}
    for unit in units:
        if len(unit.target) > MAX_TRANSLATION_CHARS:
            continue  # what the catalog could not hold: the PO would be refused at its next reading
        exact.setdefault((unit.context, unit.source), unit)
        by_source.setdefault(unit.source, unit)
    sources = sorted(by_source)
    near: list[tuple[Message, str]] = []
    for message in catalog:
        if not message.id or has_translation(message):
            continue
        text = first(message.id)
        same = exact.get((message.context, text))
        if same is not None:
            _fill(message, same)
            message.flags.discard("fuzzy")
            report.translated.append(message.context or text)
        else:
            near.append((message, text))
    if not close:
        return report
    unmatched = [(message, text) for message, text in near if text not in by_source]
    found = dict(zip((id(message) for message, _ in unmatched),
                     nearest([text for _, text in unmatched], sources, cutoff=CLOSE, by_words=False)))
    for message, text in near:
        best = [text] if text in by_source else [sources[j] for _, j in found[id(message)]]
        if not best:
            continue
        unit = by_source[best[0]]
        _fill(message, unit)
        message.flags.add("fuzzy")
        if unit.source != text:
            message.previous_id = [unit.source]
        where = f" ({unit.context})" if unit.context else ""
        message.user_comments = [*message.user_comments, f"From the translation memory: {unit.origin}{where}"]
        report.fuzzy.append(message.context or text)
    return report


def _fill(message: Message, unit: Unit) -> None:
    """Give an entry a memory's translation: every plural form from a plural unit, never one form short."""
    if not isinstance(message.id, (tuple, list)):
        message.string = unit.target
        return
    count = len(message.string) if isinstance(message.string, (tuple, list)) else len(message.id)
    message.string = unit.forms if len(unit.forms) == count else (unit.target,) * count
