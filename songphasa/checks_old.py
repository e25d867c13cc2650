"""Quality checks over the whole event: content (the source language) and every catalog.

This glues the Lao-aware checks of qa.py to the event: it gives them the
glossary, the names, and each entry's flags, and turns their findings into
problems with the file and line a translator opens.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog

from . import languages, qa
from .errors import Problem, relative
from .i18n.memory import as_shipped, shipped_translations
from .i18n.po import is_template_string
from .i18n.sources import content_texts
from .content.event import EventContent
from .project import Project


def glossary_terms(content: EventContent, target: str | None = None, *,
                   source: str | None = None) -> list[qa.GlossaryTerm]:
    """Return the event's glossary for one direction: source column → the target's own column.

    The checks read the pair as (en, lo) = (source, target). Without a target
    (the source check), every column's abbreviation counts as defined.
    """
    source = source or content.event.settings.source_language
    terms = []
    for g in content.glossary:
        to = target or source
        variants = tuple(g.variants)
        if target is None:
            variants += tuple(a for lang in g.languages for a in (g.abbr(lang),) if a and lang != source)
        terms.append(qa.GlossaryTerm(en=g.term(source), lo=g.term(to), abbr_en=g.abbr(source), abbr_lo=g.abbr(to),
                                     note=g.note_for(to), dnt=g.dnt_for(to), variants=variants))
    return terms


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
    source_lang = content.event.settings.source_language
    glossary = glossary_terms(content, lang)
    # Template strings are written in the templates' language, whatever the event's source.
    template_glossary = glossary if source_lang == languages.TEMPLATE_LANGUAGE else \
        glossary_terms(content, lang, source=languages.TEMPLATE_LANGUAGE)
    names = proper_names(content)
    po = relative(project.po_path(lang), project.root)
    shipped = shipped_translations(lang)
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        if as_shipped(message, shipped):
            continue
        from_template = is_template_string(message)
        direction = languages.TEMPLATE_LANGUAGE if from_template else source_lang
        source = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        for translation in strings:
            if not translation:
                continue
            for finding in qa.check_translation(source, translation,
                                                glossary=template_glossary if from_template else glossary,
                                                names=names, flags=message.flags,
                                                allow_zwsp=content.event.settings.allow_zero_width_space,
                                                percent_format=from_template,
                                                source_lang=direction, target_lang=lang):
                problems.append(Problem(po, message.lineno, f"[{lang}] {finding.message}",
                                        finding.hint, finding.severity))
    return problems


def qa_problems(project: Project, content: EventContent, translations,
                languages: tuple[str, ...] | None = None) -> list[Problem]:
    """Run every check on the content and on each language's catalog (or those of the languages named)."""
    problems = source_problems(content)
    for lang, catalog in translations.catalogs.items():
        if languages is None or lang in languages:
            problems.extend(catalog_problems(project, content, lang, catalog))
    return problems
