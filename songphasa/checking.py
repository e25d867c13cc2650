"""`python build.py check`: is the event ready? Coverage, then every finding.

Coverage is counted per language and per document, fuzzy as not translated
(Sphinx counts fuzzy as done; a translator reading our figures must not be
misled). The per-language figures are the same numbers `msgfmt --statistics`
prints for the file.
"""

from __future__ import annotations

from pathlib import Path

from . import catalogs
from . import languages
from .checks import catalog_problems, is_template_string, proper_names, source_problems
from .errors import Problem, SongphasaError, relative
from .pipeline import load, render_all
from .project import Project


def _counts(cov: catalogs.Coverage) -> str:
    return (f"{cov.translated} translated ({cov.percent(cov.translated):.1f}%), "
            f"{cov.fuzzy} fuzzy ({cov.percent(cov.fuzzy):.1f}%), "
            f"{cov.untranslated} untranslated ({cov.percent(cov.untranslated):.1f}%) of {cov.total}")


def check(root: Path) -> tuple[list[str], list[Problem]]:
    """Return the report lines and every problem found in the event project."""
    project = Project.at(root)
    lines: list[str] = []
    content, translations = load(project)  # content and catalog errors stop here, all at once
    lines.append(f"Content: {len(content.people)} people, {len(content.schedule)} agenda items, "
                 f"{sum(len(t.recommendations) for t in content.recommendations.topics)} recommendations, "
                 f"{len(content.concept_note)} prose sections — valid.")
    problems = list(source_problems(content))
    try:
        rendered = render_all(project, content, translations)
    except SongphasaError as exc:
        problems.extend(exc.problems)
        rendered = {}

    for lang, catalog in translations.catalogs.items():
        cov = catalogs.coverage(catalog)
        po = relative(project.po_path(lang), project.root)
        lines.append(f"[{lang}] {po}: {_counts(cov)}; fuzzy counts as not translated.")
        if lang == languages.TEMPLATE_LANGUAGE:
            # The templates' labels are written in this language already: only the content needs translating.
            own = catalogs.coverage([m for m in catalog if m.id and not is_template_string(m)])
            lines.append(f"    the templates' labels are in {languages.get(lang).name} already; "
                         f"the content: {own.translated}/{own.total} translated")
        for (document, doc_lang), item in rendered.items():
            if doc_lang != lang:
                continue
            used = {}
            for segment in item.segments:
                key = (segment.context, segment.source[0] if isinstance(segment.source, tuple) else segment.source)
                used[key] = segment
            fuzzy = untranslated = translated = 0
            for (context, msgid), segment in used.items():
                message = catalog.get(msgid, context)
                if segment.translation is not None:
                    translated += 1
                elif message is not None and message.string and "fuzzy" in message.flags:
                    fuzzy += 1
                else:
                    untranslated += 1
            counts = catalogs.Coverage(translated, fuzzy, untranslated)
            lines.append(f"    {document}: {translated}/{counts.total} translated "
                         f"({counts.percent(translated):.1f}%), {fuzzy} fuzzy, {untranslated} untranslated")
        problems.extend(catalog_problems(project, content, lang, catalog))
        for message in catalog:
            if message.id and message.string and "fuzzy" in message.flags:
                problems.append(Problem(relative(project.po_path(lang), project.root), message.lineno,
                                        f"[{lang}] fuzzy: the English changed since this was translated",
                                        "review the translation against the new English and clear the fuzzy flag",
                                        "warning"))
        problems.extend(spelling_problems(project, content, lang, catalog))
    return lines, problems


def spelling_problems(project: Project, content, lang: str, catalog) -> list[Problem]:
    """Report words the language's Hunspell dictionary and the project word list do not know.

    Languages whose script writes no spaces between words and which have a
    Debian dictionary in the language table are checked (Lao, Thai).
    """
    from . import languages, qa
    language = languages.get(lang)
    if not (language.hunspell and language.segmenter):
        return []
    if not qa.hunspell_available(lang):
        return [Problem("songphasa", None, f"spelling not checked: the {language.name} Hunspell dictionary is not installed",
                        f"install it with `apt-get install hunspell {language.hunspell_package}`", "warning")]
    wordlist = set(load_wordlist(project)) | {g.term(lang) for g in content.glossary if g.term(lang)}
    for name in proper_names(content):
        wordlist.add(name)
    # People's names as the translator wrote them in Lao script are names, not words.
    wordlist.update(m.string for m in catalog if m.context and m.context.endswith(".name")
                    and m.context.startswith("people.") and m.string)
    entries = [m for m in catalog if m.id and m.string and "no-spelling-check" not in m.flags]
    texts = [m.string[0] if isinstance(m.string, (tuple, list)) else m.string for m in entries]
    po = relative(project.po_path(lang), project.root)
    problems = []
    for message, unknown in zip(entries, qa.spell_check(texts, wordlist=wordlist, lang=lang)):
        if unknown:
            problems.append(Problem(po, message.lineno, f"[{lang}] words not in the {language.name} dictionary: {', '.join(unknown)}",
                                    "check their spelling, or add them to content/wordlist.txt", "warning"))
    return problems


def load_wordlist(project: Project) -> list[str]:
    """Read the project's word list (names and terms the dictionary lacks), one per line."""
    path = project.content / "wordlist.txt"
    if not path.exists():
        return []
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]


__all__ = ["check"]
