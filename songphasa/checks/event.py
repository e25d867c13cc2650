"""Run the registry's checks over an event: its source texts, and every entry of each catalog.

This lends the checks what the event knows (the glossary of each direction,
the names that may stay in Latin letters, the word list, each entry's flags)
and places their findings at the file and line a translator opens.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog, Message

from songphasa import languages
from songphasa.content.event import EventContent
from songphasa.content.text import read_text
from songphasa.errors import Problem, relative
from songphasa.i18n.memory import as_shipped, shipped_translations
from songphasa.i18n.po import is_template_string
from songphasa.i18n.sources import content_texts
from songphasa.project import Project

from . import registry
from .dictionary import SpellingIndex
from .entry import Entry, Finding, GlossaryTerm, Terms
from .findings import KnownFindings, Placed, digest
from .spelling import Speller
from .terms import glossary_uses

if TYPE_CHECKING:
    from songphasa.pipeline import Translations

WORDLIST = "wordlist.txt"  # in content/


def glossary_terms(content: EventContent, target: str | None = None, *,
                   source: str | None = None) -> list[GlossaryTerm]:
    """Return the event's glossary for one direction: the source column → the target's own column.

    Without a target (the source texts' checks), every column's abbreviation counts as defined.
    """
    source = source or content.event.settings.source_language
    terms = []
    for g in content.glossary:
        to = target or source
        variants = tuple(g.variants)
        if target is None:
            variants += tuple(a for lang in g.languages for a in (g.abbr(lang),) if a and lang != source)
        terms.append(GlossaryTerm(source=g.term(source), target=g.term(to), source_abbr=g.abbr(source),
                                  target_abbr=g.abbr(to), note=g.note_for(to), dnt=g.dnt_for(to), variants=variants))
    return terms


def proper_names(content: EventContent) -> set[str]:
    """Return the Latin-script words a translation may keep: names, abbreviations, emails."""
    names: set[str] = set()
    for person in content.people.values():
        names.update(person.name.source.split())
        if person.email:
            names.add(person.email)
    for org in content.organizations.values():
        if org.abbreviation:
            names.update(org.abbreviation.source.split())
    if content.event.venue.online:
        names.add(content.event.venue.online)
    return names


def load_wordlist(project: Project) -> list[str]:
    """Read the project's word list (names and terms the dictionary lacks), one per line."""
    path = project.content / WORDLIST
    if not os.path.lexists(path):
        return []
    text = read_text(path, project.root)  # a regular UTF-8 file inside the project, or a plain error
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


def spelling_wordlist(project: Project, content: EventContent, catalog: Catalog, lang: str | None = None) -> set[str]:
    """Return the words the spelling check accepts beyond the dictionary: the word list, terms and names."""
    lang = lang or catalog.locale_identifier or ""
    wordlist = set(load_wordlist(project)) | {g.term(lang) for g in content.glossary if g.term(lang)}
    wordlist.update(proper_names(content))
    # People's names as the translator wrote them in the target's script are names, not words.
    wordlist.update(m.string for m in catalog if m.context and m.context.endswith(".name")
                    and m.context.startswith("people.") and m.string and isinstance(m.string, str))
    return wordlist


def source_problems(content: EventContent, *, release: bool = False,
                    findings: KnownFindings | None = None) -> list[Problem]:
    """Check the event's source texts: acronyms defined and spelt right, glossary terms spelt one way."""
    source = content.event.settings.source_language
    terms = Terms(glossary_terms(content))
    placed = [(text.file, text.line, Entry(text.source, source_lang=source, target_lang=source, terms=terms))
              for text in content_texts(content)]
    return _checked("source", placed, release=release, findings=findings)


def _checked(scope: registry.Scope, placed: Sequence[Placed], *, release: bool, findings: KnownFindings | None,
             prefix: str = "") -> list[Problem]:
    """Run a scope's checks on a batch of entries, unless the same batch was checked before."""
    findings = findings or KnownFindings()
    batch = digest(scope, release, prefix, placed)
    problems = findings.recall(batch)
    if problems is None:
        problems = [f.problem(file, line, prefix) for file, line, entry in placed
                    for f in registry.findings(entry, scope, release=release)]
        findings.keep(batch, problems)
    return problems


class CatalogChecker:
    """What the checks of one catalog's entries need from the event (its glossary, names, settings), made once.

    ``check`` runs them on each translated entry; the translate view runs them on one entry as it is typed.
    """

    def __init__(self, content: EventContent, lang: str) -> None:
        self.lang = lang
        self.source_lang = content.event.settings.source_language
        self.allow_zwsp = content.event.settings.allow_zero_width_space
        names = proper_names(content)
        self.terms = Terms(glossary_terms(content, lang), names)
        # Template strings are written in the templates' language, whatever the event's source.
        self.template_terms = self.terms if self.source_lang == languages.TEMPLATE_LANGUAGE else \
            Terms(glossary_terms(content, lang, source=languages.TEMPLATE_LANGUAGE), names)

    def entries(self, message: Message, strings: Sequence[str] | None = None) -> list[Entry]:
        """The checks' entries of a catalog message: one per translation (each plural form), empty ones left out.

        ``strings``: the translations to check instead of the message's own (what a translator is typing).
        """
        from_template = is_template_string(message)
        source = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        said: Sequence[str | None] = strings if strings is not None else \
            message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        return [Entry(source, translation, frozenset(message.flags),
                      source_lang=languages.TEMPLATE_LANGUAGE if from_template else self.source_lang,
                      target_lang=self.lang, terms=self.template_terms if from_template else self.terms,
                      allow_zwsp=self.allow_zwsp, percent_format=from_template)
                for translation in said if translation]

    def findings(self, message: Message, strings: Sequence[str] | None = None) -> list[Finding]:
        """What the checks find in a message's translations (no spelling: that needs the dictionary's process)."""
        return [finding for entry in self.entries(message, strings)
                for scope in ("translation", "wording") for finding in registry.findings(entry, scope)]

    def glossary_of(self, message: Message) -> list[GlossaryTerm]:
        """The glossary terms the message's source uses, each once, in the order it uses them."""
        entries = self.entries(message, ["-"])
        return list(dict.fromkeys(glossary_uses(entries[0]))) if entries else []


def catalog_problems(project: Project, content: EventContent, lang: str, catalog: Catalog, *,
                     release: bool = False, spelling: SpellingIndex | None = None,
                     findings: KnownFindings | None = None) -> list[Problem]:
    """Check every translated entry of one catalog: against its source first, then its own words.

    An entry as Songphasa ships it is the tool's, not the translator's: it is
    left out. ``spelling`` keeps the dictionaries' answers and ``findings``
    the findings of unchanged catalogs (read from the user's cache folder
    when not given).
    """
    source_lang = content.event.settings.source_language
    checker = CatalogChecker(content, lang)
    shipped = shipped_translations(lang)
    entries: list[tuple[int | None, Entry]] = [(message.lineno, entry) for message in catalog
                                               if message.id and message.string and not as_shipped(message, shipped)
                                               for entry in checker.entries(message)]

    missing = None
    if any(registry.reads_dictionary(direction, lang, release=release)
           for direction in {source_lang, languages.TEMPLATE_LANGUAGE}):
        dictionary = (spelling or SpellingIndex()).dictionary(lang)
        if dictionary.available():
            speller = Speller(dictionary, spelling_wordlist(project, content, catalog, lang))
            entries = [(line, dataclasses.replace(entry, speller=speller)) for line, entry in entries]
            speller.prepare([entry.translation for _, entry in entries])  # one Hunspell process for the catalog
        else:
            missing = dictionary.missing()

    po = relative(project.po_path(lang), project.root)
    problems = _checked("translation", [(po, line, entry) for line, entry in entries], release=release,
                        findings=findings, prefix=f"[{lang}] ")
    if missing is not None:
        problems.append(missing)
    problems += [f.problem(po, line, f"[{lang}] ") for line, entry in entries
                 for f in registry.findings(entry, "wording", release=release)]
    return problems


def event_problems(project: Project, content: EventContent, translations: Translations,
                   languages_: Collection[str] | None = None, *, release: bool = False,
                   spelling: SpellingIndex | None = None, findings: KnownFindings | None = None) -> list[Problem]:
    """Run every check on the source texts and on each language's catalog (or those of the languages named)."""
    findings = findings or KnownFindings()
    problems = source_problems(content, release=release, findings=findings)
    for lang, catalog in translations.catalogs.items():
        if languages_ is None or lang in languages_:
            problems += catalog_problems(project, content, lang, catalog, release=release, spelling=spelling,
                                         findings=findings)
    return problems


__all__ = ["WORDLIST", "catalog_problems", "event_problems", "glossary_terms", "load_wordlist", "proper_names",
           "source_problems", "spelling_wordlist"]
