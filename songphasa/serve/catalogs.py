"""A language's catalog as the translate view edits it: its entries with stable keys, one entry saved at a time.

The PO file stays the source of truth. Each entry is found by a key made
from its msgctxt and English (stable while the English stays), and carries a
version made from what a translator can change (the translation, fuzzy, the
previous English): a save made on an older version is refused with both
texts (409), never written over someone else's. A save rewrites the file
through the same code as `update` (:func:`songphasa.i18n.po.po_text`), which
gives back the file's own bytes for every entry not saved, so `git diff`
shows the one entry. A translation the checks find an error in (a broken
placeholder) is refused with the check's own message (400).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from babel.messages.catalog import Catalog, Message

from .. import languages
from ..checks.event import CatalogChecker
from ..content.event import EventContent
from ..files import atomic_write
from ..i18n.compile import unusable_translations
from ..i18n.po import MAX_TRANSLATION_CHARS, first, po_text, read_catalog
from ..project import Project
from .state import BIDI, Refused


def entry_key(message: Message) -> str:
    """A stable key of an entry: its msgctxt and English, hashed (an id in a URL and an HTML id)."""
    said = f"{message.context or ''}\x04{first(message.id)}"
    return "e" + hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]


def forms(message: Message) -> list[str]:
    """An entry's translations: one, or one per plural form."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return [s or "" for s in strings]


def entry_version(message: Message) -> str:
    """What a translator can change of an entry, hashed: a save made on another version is stale."""
    said = json.dumps([forms(message), message.fuzzy, [str(p) for p in message.previous_id]], ensure_ascii=False)
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CatalogEntry:
    """One entry as the translate view and the API show it."""

    key: str
    context: str | None
    msgid: str
    msgid_plural: str | None
    msgstr: list[str]
    fuzzy: bool
    flags: list[str]
    previous: str | None  # the English a fuzzy translation was made for (#| msgid)
    line: int | None
    version: str
    notes: list[str]  # the extractor's comments (what the text is) and the translator's
    places: list[str]  # where the English is: content/agenda.yaml:12, songphasa/templates/…

    @property
    def state(self) -> str:
        """untranslated, fuzzy or translated."""
        if not any(self.msgstr):
            return "untranslated"
        return "fuzzy" if self.fuzzy else "translated"

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "context": self.context, "msgid": self.msgid, "msgid_plural": self.msgid_plural,
                "msgstr": self.msgstr if self.msgid_plural else self.msgstr[0], "fuzzy": self.fuzzy,
                "flags": self.flags, "previous_msgid": self.previous, "line": self.line, "version": self.version,
                "state": self.state}


def catalog_entry(message: Message) -> CatalogEntry:
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    previous = first(message.previous_id) if message.previous_id else None
    return CatalogEntry(entry_key(message), message.context, ids[0], ids[1] if len(ids) > 1 else None, forms(message),
                        message.fuzzy, sorted(f for f in message.flags if f != "fuzzy"), previous or None,
                        message.lineno, entry_version(message), [*message.auto_comments, *message.user_comments],
                        [f"{file}:{line}" if line else file for file, line in message.locations])


def read_entries(project: Project, lang: str) -> tuple[Catalog, list[CatalogEntry]]:
    """A language's catalog and its entries, in the file's order (the header left out)."""
    path = project.po_path(lang)
    if not path.is_file():
        raise Refused(f"There is no catalog for '{lang[:20]}' (locales/{lang[:20]}/LC_MESSAGES/messages.po).", 404)
    catalog = read_catalog(path, project.root, locale=lang)
    return catalog, [catalog_entry(m) for m in catalog if m.id]


def find(catalog: Catalog, key: str) -> Message | None:
    return next((m for m in catalog if m.id and entry_key(m) == key), None)


def save_entry(project: Project, content: EventContent, lang: str, key: str, body: Any) -> CatalogEntry:
    """Save one entry's translation as a client sent it (``{"msgstr", "fuzzy", "version"}``); return it saved.

    The caller holds the project's lock. Raise :class:`Refused`: 404 for an unknown entry, 409 for a stale
    version (with both texts), 400 for a wrong body or a translation a check finds an error in.
    """
    catalog, _ = read_entries(project, lang)
    message = find(catalog, key)
    if message is None:
        raise Refused("There is no such entry in this catalog (its English may have changed since the page was "
                      "loaded): reload the page.", 404)
    if not isinstance(body, dict) or not isinstance(body.get("version"), str):
        raise Refused('Send a JSON object: {"msgstr": "…", "fuzzy": false, "version": "…"} (the version the '
                      "translation was made on, from GET /api/catalogs/LANG).")
    unknown = sorted(set(body) - {"msgstr", "fuzzy", "version"})
    if unknown:
        raise Refused(f"Unknown field '{unknown[0][:40]}': an entry has msgstr, fuzzy and version.")
    strings = _strings(message, body.get("msgstr"))
    fuzzy = body.get("fuzzy", False)
    if not isinstance(fuzzy, bool):
        raise Refused("fuzzy must be true or false.")
    entry = catalog_entry(message)
    if body["version"] != entry.version:
        raise Refused("This entry was changed meanwhile (by another translator, or in the PO file): nothing was "
                      "written. Compare the two translations, then save again.", 409,
                      {"theirs": entry.as_json(), "yours": {"msgstr": body.get("msgstr"), "fuzzy": fuzzy}})
    source_lang = content.event.settings.source_language
    for said in strings:
        _check_text(said, lang)
    checker = CatalogChecker(content, lang)
    errors = [f for f in checker.findings(message, strings) if f.severity == "error"]
    trial = Message(message.id, strings if message.pluralizable else strings[0], context=message.context,
                    flags=message.flags)
    unusable = [why for _, why in unusable_translations(_alone(catalog, trial), source_lang)]
    if errors or unusable:
        said = errors[0].message + (f" — {errors[0].hint}" if errors[0].hint else "") if errors else unusable[0]
        raise Refused(f"Not saved: {said}")
    message.string = tuple(strings) if message.pluralizable else strings[0]
    if fuzzy and any(strings):
        message.flags.add("fuzzy")
    else:
        message.flags.discard("fuzzy")
        message.previous_id = []
    atomic_write(project.po_path(lang), po_text(catalog))
    return catalog_entry(message)


def _alone(catalog: Catalog, message: Message) -> Catalog:
    """A catalog holding one message, with the catalog's plural rule (to ask whether it can be used)."""
    alone = Catalog(locale=catalog.locale, fuzzy=False)
    alone[message.id] = message
    return alone


def _strings(message: Message, msgstr: Any) -> list[str]:
    """The translations a client sent, as many as the entry has forms."""
    count = len(forms(message))
    if message.pluralizable:
        if not isinstance(msgstr, list) or len(msgstr) != count or not all(isinstance(s, str) for s in msgstr):
            raise Refused(f"This entry has {count} plural forms: send msgstr as a list of {count} texts.")
        return list(msgstr)  # as typed, like a singular entry's
    if not isinstance(msgstr, str):
        raise Refused("msgstr must be a text.")
    return [msgstr]


def _check_text(value: str, lang: str) -> None:
    name = languages.get(lang).name
    if len(value) > MAX_TRANSLATION_CHARS:
        raise Refused(f"The {name} translation has {len(value):,} characters; one may have {MAX_TRANSLATION_CHARS:,}.")
    bad = sorted({c for c in value if (unicodedata.category(c) == "Cc" and c not in "\n\t") or c in BIDI})
    if bad:
        said = ", ".join(f"U+{ord(c):04X}" for c in bad)
        raise Refused(f"The {name} translation contains the invisible character(s) {said}: type it again without "
                      "them (copy-paste can bring them).")
