"""List every check once: its name, its function, its severity, what it reads and the languages it applies to.

As Babel's checkers are, a check is a plain function of one signature,
``(Entry) -> list[Finding]``, in one list. `check`, the build's ``--release``
gate and `distribute` run the checks through this list and nothing else:
a new check is one entry here. A translator comment
``# songphasa: no-<name>-check`` silences a check for one entry (gettext's
msgcat and msgmerge, Poedit and Weblate keep translator comments, but drop
the flags gettext does not know), as does the PO flag ``#, no-<name>-check``
where a tool has kept it, and a language's ``skip_checks`` for a whole
language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from songphasa import languages

from .entry import Entry, Finding, Severity
from .hygiene import check_hygiene, check_script
from .spelling import check_spelling
from .terms import check_abbreviations, check_acronyms, check_dnt, check_glossary, check_leftover, check_variants
from .translation import check_emails, check_lines, check_markup, check_numbers, check_placeholders, check_urls

#: What a check reads: the event's source texts; a translation beside its source; a translation's own words.
Scope = Literal["source", "translation", "wording"]


def _any_pair(source: languages.Language, target: languages.Language) -> bool:
    return True


def _other_script(source: languages.Language, target: languages.Language) -> bool:
    """A translation into a language of the source's own non-Latin script keeps its words rightly."""
    return not (source.script == target.script and source.script is not languages.LATIN)


def _spellable(source: languages.Language, target: languages.Language) -> bool:
    """The target's script writes no spaces between words and Debian has a dictionary for it (Lao, Thai)."""
    return bool(target.hunspell and target.segmenter)


@dataclass(frozen=True)
class Check:
    """One check: what it is called, what runs it, how bad its findings are, what it reads and where it applies."""

    name: str  # as ``no-<name>-check`` and the README write it
    function: Callable[[Entry], list[Finding]]
    severity: Severity  # the worst it reports: an "error" check can stop a release
    scope: Scope
    description: str  # in the words the README uses ("English" the source, "Lao" the target)
    applies: Callable[[languages.Language, languages.Language], bool] = _any_pair  # (source, target)
    reads_dictionary: bool = False  # needs the target language's Speller on the entry

    def runs_for(self, source_lang: str, target_lang: str, *, release: bool = False) -> bool:
        """Tell whether this check runs for a direction (a release runs only the checks that can stop it)."""
        target = languages.get(target_lang)
        return (not (release and self.severity != "error")
                and self.name not in target.skip_checks
                and self.applies(languages.get(source_lang), target))

    def runs_on(self, entry: Entry, *, release: bool = False) -> bool:
        """Tell whether this check runs on an entry: for its direction, and not silenced by its flags."""
        return f"no-{self.name}-check" not in entry.flags and \
            self.runs_for(entry.source_lang, entry.target_lang, release=release)


def registered(*checks: Check) -> tuple[Check, ...]:
    """Return the checks as listed, refusing a name listed twice (its flag and README line would mean two checks)."""
    names = [check.name for check in checks]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"checks registered twice: {', '.join(twice)}")
    return checks


CHECKS: tuple[Check, ...] = registered(
    Check("placeholders", check_placeholders, "error", "translation",
          "the translation has the same {name}, %(name)s and %s/%d placeholders as the English text, as often"),
    Check("markup", check_markup, "error", "translation",
          "bold (**…**) and italic (*…*) parts are kept and every link keeps its address; "
          "only the link text is translated; every footnote mark [^1] is kept, and no footnote's text "
          "([^1]: …) is carried into a paragraph, where it would print as ¹: …"),
    Check("lines", check_lines, "error", "translation", "the translation has as many lines as the source text"),
    Check("numbers", check_numbers, "error", "translation",
          "every number, time and date of the source text is in the translation; "
          "Lao digits (໐–໙) count, and so do numbers written with or without grouping"),
    Check("emails", check_emails, "error", "translation", "every email address of the source text is copied unchanged"),
    Check("urls", check_urls, "error", "translation",
          "every web address outside a link is copied unchanged (link addresses are checked by markup)"),
    Check("glossary", check_glossary, "error", "translation",
          "a glossary term used in the English text is translated with its agreed Lao term, "
          "or its agreed abbreviation when the English uses the abbreviation"),
    Check("abbreviations", check_abbreviations, "warning", "translation",
          "an English abbreviation is not left in the Lao text where the glossary gives a Lao one "
          "(\"ກະຊວງພາຍໃນ (MOHA)\" where it agrees ພນ)"),
    Check("dnt", check_dnt, "error", "translation",
          "a do-not-translate glossary term (a product or organisation name) is copied unchanged"),
    Check("leftover", check_leftover, "error", "translation",
          "the translation is not a copy of the English text and has no English words left in it "
          "(names, acronyms and glossary terms may stay in Latin letters)", applies=_other_script),
    Check("hygiene", check_hygiene, "error", "translation",
          "the translation is in standard Unicode form (NFC, ຳ as one character), has no space before a vowel "
          "or tone mark, no zero-width characters or direction controls, no doubled spaces and the same spaces "
          "at its ends as the source text"),
    Check("script", check_script, "error", "translation",
          "the translation is written in its language's script: no letters of another script of the language "
          "table that the source text does not have (Lao in Thai letters passes the eye, not search)"),
    Check("acronyms", check_acronyms, "error", "source",
          "(English text) every acronym is defined in the glossary; one that is a letter off from a defined "
          "acronym is reported as a misspelling"),
    Check("variants", check_variants, "error", "source",
          "(English text) a glossary term is written as the glossary writes it: a spelling that differs only "
          "in hyphens or spaces, -re/-er or a plural is an error"),
    Check("spelling", check_spelling, "warning", "wording",
          "Lao text read as syllables, then as words of Debian's Lao Hunspell dictionary, laonlp's word list and "
          "the project's own: a word none has, or one typing slip from one, is named whole with its likely correction",
          applies=_spellable, reads_dictionary=True),
)
"""Every check, in the order its findings are reported for one entry."""


def get(name: str) -> Check:
    """Return the check of a name (KeyError for a name no check has)."""
    for check in CHECKS:
        if check.name == name:
            return check
    raise KeyError(name)


def names() -> tuple[str, ...]:
    """Every check's name; ``# songphasa: no-<name>-check`` (or the flag) on an entry silences it."""
    return tuple(check.name for check in CHECKS)


#: A translator comment that silences checks: "songphasa: no-glossary-check" (several may follow, by spaces or commas).
_EXEMPTION = re.compile(r"^\s*songphasa:\s*(.+)$")


def exemptions(flags: Iterable[str], comments: Iterable[str]) -> frozenset[str]:
    """Return an entry's flags with the checks its translator comments silence (``songphasa: no-<name>-check``).

    The comment is where an exemption survives the translators' tools: msgcat, msgmerge and Poedit keep a
    translator comment whole but drop a ``#, no-<name>-check`` flag, which gettext does not know.
    """
    found = set(flags)
    for comment in comments:
        match = _EXEMPTION.match(comment)
        if match:
            found.update(word for word in re.split(r"[\s,]+", match.group(1)) if word)
    return frozenset(found)


def findings(entry: Entry, scope: Scope, *, release: bool = False) -> list[Finding]:
    """Run every check of a scope that runs on the entry; return what they found.

    An empty translation is untranslated, not wrong, and gives no findings.
    """
    if scope != "source" and not entry.translation:
        return []
    found: list[Finding] = []
    for check in CHECKS:
        if check.scope == scope and check.runs_on(entry, release=release):
            found += check.function(entry)
    return found


def reads_dictionary(source_lang: str, target_lang: str, *, release: bool = False) -> bool:
    """Tell whether a check that runs for a direction needs the target language's dictionary."""
    return any(check.reads_dictionary and check.runs_for(source_lang, target_lang, release=release)
               for check in CHECKS)


__all__ = ["CHECKS", "Check", "Scope", "exemptions", "findings", "get", "names", "reads_dictionary", "registered"]
