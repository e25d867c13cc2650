"""Describe what a check reads and what it reports: an entry, the terms it lends, a finding.

Every check is a plain function of one ``Entry``: the text (and its
translation, for a catalog entry), the direction, and what the event lends it
(glossary, names, settings). The direction decides the words of a finding:
the languages are named from the language table, never by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from songphasa import languages
from songphasa.errors import Problem

from .text import phrase

if TYPE_CHECKING:
    from .spelling import Speller

Severity = Literal["error", "warning"]

GLOSSARY_FILE = "content/glossary.yaml"
T = TypeVar("T")


@dataclass(frozen=True)
class GlossaryTerm:
    """One agreed term of one direction: its source and target forms and their abbreviations."""

    source: str
    target: str
    source_abbr: str = ""
    target_abbr: str = ""  # "" when the target language uses the source's abbreviation
    note: str = ""
    dnt: bool = False  # do not translate: the term stays as it is
    variants: tuple[str, ...] = ()  # other source spellings that count as the term


class Terms:
    """One direction's glossary and the names that may stay as written, and what the checks work out from them.

    The entries of a catalog share one (the templates' strings another, when
    the event's source is not the templates' language): the checks compile
    the same phrase patterns and derive the same rules from the glossary for
    every entry, so the first entry's work is kept here for the others.
    """

    def __init__(self, glossary: Iterable[GlossaryTerm] = (), names: Iterable[str] = ()) -> None:
        """Lend the checks a glossary (one direction's columns) and the names that may stay in Latin letters."""
        self.glossary = tuple(glossary)
        self.names = frozenset(names)
        self._made: dict[Hashable, Any] = {}

    def phrase(self, words: str, plural: str, ignore_case: bool) -> re.Pattern[str]:
        """Return ``text.phrase(words, plural, ignore_case)``, compiled the first time it is asked for."""
        return self.once(("phrase", words, plural, ignore_case), lambda: phrase(words, plural, ignore_case))

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return what ``make`` gives for these terms, made the first time ``key`` is asked for."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]


@dataclass(frozen=True)
class Finding:
    """One problem in one text, worded for the translator who fixes it."""

    check: str
    severity: Severity
    message: str
    hint: str = ""

    def problem(self, file: str, line: int | None, prefix: str = "") -> Problem:
        """Place this finding in a file so it prints in the compiler format (``prefix`` opens the message)."""
        return Problem(file, line, prefix + self.message, self.hint, self.severity)


@dataclass(frozen=True)
class Entry:
    """One text to check: a source text, or a translation beside its source, with what the event lends the checks.

    For a source text, ``translation`` is empty and the target language is the
    source language. ``flags`` are the entry's PO flags (``no-<check>-check``
    silences one check); ``terms`` are the direction's glossary and the names
    that may stay in Latin letters, shared by the entries of a batch;
    ``percent_format`` says the translation is %-formatted (template strings);
    ``speller`` is the target language's spelling checker, when it has one.
    """

    source: str
    translation: str = ""
    flags: frozenset[str] = frozenset()
    source_lang: str = languages.DEFAULT_SOURCE
    target_lang: str = languages.DEFAULT_TARGETS[0]
    terms: Terms = field(default_factory=Terms)
    allow_zwsp: bool = False
    percent_format: bool = False
    speller: Speller | None = None

    @property
    def source_name(self) -> str:
        """The source language's name, as findings say it ("English")."""
        return languages.get(self.source_lang).name

    @property
    def target_name(self) -> str:
        """The target language's name, as findings say it ("Lao")."""
        return languages.get(self.target_lang).name


__all__ = ["GLOSSARY_FILE", "Entry", "Finding", "GlossaryTerm", "Severity", "Terms"]
