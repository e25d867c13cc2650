"""Quality checks over the whole event: content (English) and every catalog.

This glues the Lao-aware checks of qa.py to the event: it gives them the
glossary, the names, and each entry's flags, and turns their findings into
problems with the file and line a translator opens.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog

from . import qa
from .catalogs import content_texts, is_template_string
from .errors import Problem, relative
from .model import EventContent
from .project import Project


def glossary_terms(content: EventContent) -> list[qa.GlossaryTerm]:
    """Return the event's glossary in the form the checks use."""
    return [qa.GlossaryTerm(en=g.en, lo=g.lo, abbr_en=g.abbr_en, abbr_lo=g.abbr_lo, note=g.note, dnt=g.dnt,
                            variants=tuple(g.variants)) for g in content.glossary]


def proper_names(content: EventContent) -> set[str]:
    """Return the Latin-script words a Lao text may keep: names, abbreviations, emails."""
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


def source_problems(content: EventContent) -> list[Problem]:
    """Check the English content: acronyms defined, no misspelt acronyms, glossary terms spelt one way."""
    glossary = glossary_terms(content)
    problems = []
    for text in content_texts(content):
        for finding in [*qa.check_source(text.source, glossary=glossary),
                        *qa.check_term_spelling(text.source, glossary=glossary)]:
            problems.append(Problem(text.file, text.line, finding.message, finding.hint, finding.severity))
    return problems


def catalog_problems(project: Project, content: EventContent, lang: str, catalog: Catalog) -> list[Problem]:
    """Check every translated entry of one catalog."""
    glossary = glossary_terms(content)
    names = proper_names(content)
    po = relative(project.po_path(lang), project.root)
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        source = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        for translation in strings:
            if not translation:
                continue
            for finding in qa.check_translation(source, translation, glossary=glossary, names=names,
                                                flags=message.flags,
                                                allow_zwsp=content.event.settings.allow_zero_width_space,
                                                percent_format=is_template_string(message)):
                problems.append(Problem(po, message.lineno, f"[{lang}] {finding.message}",
                                        finding.hint, finding.severity))
    return problems


def qa_problems(project: Project, content: EventContent, translations) -> list[Problem]:
    """Run every check on the content and on each language's catalog."""
    problems = source_problems(content)
    for lang, catalog in translations.catalogs.items():
        problems.extend(catalog_problems(project, content, lang, catalog))
    return problems
