"""One way to count what is left to translate, for the build, `check` and `--release`.

Two things are counted, and each has one name:

- **strings the documents use**: every distinct (msgctxt, msgid) that a
  built document of that language shows. One that has no usable translation
  (untranslated, fuzzy, or refused by a check that would break the document)
  is shown in the source language, marked. The build says how many, `--release` refuses
  and lists exactly these, and `check` lists them with their PO line and the
  documents that use them.
- **entries of the catalog**: every entry of the PO file, as
  `msgfmt --statistics` counts them (fuzzy is not translated). A catalog can
  hold entries no document shows (a letter made only by `distribute`, a
  template string of a document that is not built), so this figure is the
  larger one.

The renderer's values are read by their shape (:class:`Segment`, :class:`Shown`): counting needs no renderer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from babel.messages.catalog import Catalog, Message

from .po import first, has_translation


class Segment(Protocol):
    """One string as a document used it (what the renderer records): its id, source text and translation."""

    @property
    def context(self) -> str | None: ...
    @property
    def source(self) -> str | tuple[str, str]: ...
    @property
    def translation(self) -> str | None: ...  # None: shown without a usable translation
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int | None: ...


S = TypeVar("S", bound=Segment)
S_co = TypeVar("S_co", bound=Segment, covariant=True)


class Shown(Protocol[S_co]):
    """One rendered document in one language, with the strings it used."""

    @property
    def document(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def segments(self) -> Sequence[S_co]: ...


@dataclass(frozen=True)
class Pending(Generic[S]):
    """One string a document uses without a usable translation."""

    segment: S
    state: str  # "untranslated", "fuzzy", "unusable" or "not in the catalog"
    line: int | None  # of its msgid in the PO file
    documents: tuple[str, ...]

    @property
    def msgid(self) -> str:
        return first(self.segment.source)


#: A string as documents use it: (msgctxt, msgid or (singular, plural)).
Key = tuple[str | None, str | tuple[str, str]]


def _key(segment: Segment) -> Key:
    return (segment.context, segment.source)


def missing_segments(items: Iterable[Shown[S]], lang: str) -> list[S]:
    """Return the distinct strings that documents in one language show untranslated, in first-use order."""
    seen: dict[Key, S] = {}
    for item in items:
        if item.lang == lang:
            for segment in item.segments:
                if segment.translation is None:
                    seen.setdefault(_key(segment), segment)
    return list(seen.values())


def entry(catalog: Catalog, segment: Segment) -> Message | None:
    """Return the catalog entry a segment was looked up in (None if the catalog lacks it)."""
    return catalog.get(first(segment.source), segment.context)


def state(message: Message | None) -> str:
    """Say why an entry gives no usable translation."""
    if message is None:
        return "not in the catalog"
    if not has_translation(message):
        return "untranslated"
    if "fuzzy" in message.flags:
        return "fuzzy"
    return "unusable"


def pending(items: Iterable[Shown[S]], lang: str, catalog: Catalog) -> list[Pending[S]]:
    """List every string the documents of one language use without a usable translation."""
    items = list(items)
    where: dict[Key, list[str]] = {}
    for item in items:
        if item.lang == lang:
            for segment in item.segments:
                if segment.translation is None and item.document not in where.setdefault(_key(segment), []):
                    where[_key(segment)].append(item.document)
    found = []
    for segment in missing_segments(items, lang):
        message = entry(catalog, segment)
        found.append(Pending(segment, state(message), message.lineno if message is not None else None,
                             tuple(where[_key(segment)])))
    return found


@dataclass(frozen=True)
class Used:
    """How many of the strings one document (or all documents) use are translated."""

    translated: int
    fuzzy: int
    untranslated: int  # untranslated, unusable or not in the catalog

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated


def used(items: Iterable[Shown[S]], lang: str, catalog: Catalog) -> Used:
    """Count the distinct strings the given documents of one language use."""
    seen: dict[Key, Segment] = {}
    for item in items:
        if item.lang == lang:
            for segment in item.segments:
                seen.setdefault(_key(segment), segment)
    translated = sum(1 for s in seen.values() if s.translation is not None)
    fuzzy = sum(1 for s in seen.values() if s.translation is None and state(entry(catalog, s)) == "fuzzy")
    return Used(translated, fuzzy, len(seen) - translated - fuzzy)


@dataclass(frozen=True)
class Coverage:
    """How much of a catalog is translated; fuzzy counts as not translated."""

    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    def percent(self, part: int) -> float:
        """Return a part of the entries as a percentage of all (100 for an empty catalog)."""
        return 100.0 * part / self.total if self.total else 100.0


def coverage(catalog: Iterable[Message]) -> Coverage:
    """Count translated, fuzzy and untranslated entries as msgfmt --statistics does."""
    translated = fuzzy = untranslated = 0
    for message in catalog:
        if not message.id:
            continue
        if not has_translation(message):
            untranslated += 1
        elif "fuzzy" in message.flags:
            fuzzy += 1
        else:
            translated += 1
    return Coverage(translated, fuzzy, untranslated)


#: How a list names each state, in the build's, `check`'s and `--release`'s messages alike.
LABELS = {
    "untranslated": "not translated",
    "fuzzy": "fuzzy (needs review)",
    "unusable": "translation not usable (see the error at this line)",
    "not in the catalog": "not in the catalog (run `python build.py update`)",
}
