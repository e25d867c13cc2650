"""Describe what a check reads and what it reports: an entry, a glossary term, a finding.

Every check is a plain function of one ``Entry``: the text (and its
translation, for a catalog entry), the direction, and what the event lends it
(glossary, names, settings). The direction decides the words of a finding:
the languages are named from the language table, never by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from songphasa import languages
from songphasa.errors import Problem

from .text import Memo

if TYPE_CHECKING:
    from .spelling import Speller

Severity = Literal["error", "warning"]

GLOSSARY_FILE = "content/glossary.yaml"


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
    silences one check); ``names`` are proper nouns that may stay in Latin
    letters; ``percent_format`` says the translation is %-formatted (template
    strings); ``speller`` is the target language's spelling checker, when it
    has one; ``memo`` keeps what the checks work out from the glossary and
    the names, once for all the entries that share it.
    """

    source: str
    translation: str = ""
    flags: frozenset[str] = frozenset()
    source_lang: str = languages.DEFAULT_SOURCE
    target_lang: str = languages.DEFAULT_TARGETS[0]
    glossary: tuple[GlossaryTerm, ...] = ()
    names: frozenset[str] = frozenset()
    allow_zwsp: bool = False
    percent_format: bool = False
    speller: Speller | None = None
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)

    @property
    def source_name(self) -> str:
        """The source language's name, as findings say it ("English")."""
        return languages.get(self.source_lang).name

    @property
    def target_name(self) -> str:
        """The target language's name, as findings say it ("Lao")."""
        return languages.get(self.target_lang).name


__all__ = ["GLOSSARY_FILE", "Entry", "Finding", "GlossaryTerm", "Severity"]
