"""`python build.py check`: is the event ready? Coverage, what is left to translate, then every finding.

Coverage is counted the one way counting.py describes, fuzzy as not
translated (Sphinx counts fuzzy as done; a translator reading our figures
must not be misled): the catalog's entries (the numbers `msgfmt
--statistics` prints for the file), and the strings the documents use, per
document. Then every entry left to translate is listed with its PO line and
the documents that show it.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import languages
from .content.text import read_text
from .checks_old import catalog_problems, proper_names, source_problems
from .errors import Problem, SongphasaError, relative
from .documents.pages import page_assets
from .i18n import counting
from .i18n.po import is_template_string
from .pipeline import load, render
from .project import Project
from .session import Session


def _counts(cov: counting.Coverage) -> str:
    return (f"{cov.translated} translated ({cov.percent(cov.translated):.1f}%), "
            f"{cov.fuzzy} fuzzy ({cov.percent(cov.fuzzy):.1f}%), "
            f"{cov.untranslated} untranslated ({cov.percent(cov.untranslated):.1f}%) of {cov.total}")


def check(root: Path) -> tuple[list[str], list[Problem]]:
    """Return the report lines and every problem found in the event project."""
    session = Session(root)
    project = session.project
    lines: list[str] = []
    content, translations = load(project)  # content and catalog errors stop here, all at once
    lines.append(f"Content: {len(content.people)} people, {len(content.schedule)} agenda items, "
                 f"{sum(len(t.recommendations) for t in content.recommendations.topics)} recommendations, "
                 f"{len(content.concept_note)} prose sections — valid.")
    problems = [*content.warnings, *source_problems(content)]
    try:
        rendered = render(session, content, translations, page_assets(project, content))
    except SongphasaError as exc:
        problems.extend(exc.problems)
        rendered = {}

    for lang, catalog in translations.catalogs.items():
        cov = counting.coverage(catalog)
        po = relative(project.po_path(lang), project.root)
        items = [item for (_, doc_lang), item in rendered.items() if doc_lang == lang]
        lines.append(f"[{lang}] {po}: {_counts(cov)} catalog entries, as msgfmt --statistics counts them; "
                     "fuzzy counts as not translated.")
        everything = counting.used(items, lang, catalog)
        lines.append(f"[{lang}] the documents use {everything.total} strings: {everything.translated} translated, "
                     f"{everything.fuzzy} fuzzy, {everything.untranslated} untranslated.")
        for item in items:
            counts = counting.used([item], lang, catalog)
            share = 100.0 * counts.translated / counts.total if counts.total else 100.0
            lines.append(f"    {item.document}: {counts.translated}/{counts.total} translated "
                         f"({share:.1f}%), {counts.fuzzy} fuzzy, {counts.untranslated} untranslated")
        lines.extend(_listing(po, lang, catalog, counting.pending(items, lang, catalog)))
        if lang == languages.TEMPLATE_LANGUAGE:
            # The templates' labels are written in this language already: only the content needs translating.
            own = counting.coverage([m for m in catalog if m.id and not is_template_string(m)])
            lines.append(f"    the templates' labels are in {languages.get(lang).name} already; "
                         f"the content: {own.translated}/{own.total} translated")
        problems.extend(catalog_problems(project, content, lang, catalog))
        problems.extend(spelling_problems(project, content, lang, catalog))
    return lines, problems


def _listing(po: str, lang: str, catalog, pending: list[counting.Pending]) -> list[str]:
    """List every entry left to translate: those the documents use, then the rest of the catalog."""
    lines = []
    if pending:
        lines.append(f"[{lang}] used by the documents and shown in English, marked:")
    for item in pending:
        where = f"{po}:{item.line}" if item.line else po
        source = f"; from {item.segment.file}:{item.segment.line}" if item.segment.line else ""
        lines.append(f"  {where}: {counting.LABELS[item.state]}: “{_short(item.msgid)}” "
                     f"(in {', '.join(item.documents)}{source})")
    listed = {(item.segment.context, item.msgid) for item in pending}
    rest = [m for m in catalog if m.id and counting.state(m) in ("untranslated", "fuzzy")
            and (m.context, m.id[0] if isinstance(m.id, (tuple, list)) else m.id) not in listed]
    if rest:
        lines.append(f"[{lang}] in the catalog but in no document built here (letters of `distribute`, …):")
    for message in rest:
        msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        source = f" (from {message.locations[0][0]}:{message.locations[0][1]})" if message.locations else ""
        lines.append(f"  {po}:{message.lineno}: {counting.LABELS[counting.state(message)]}: “{_short(msgid)}”{source}")
    return lines


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    wordlist = spelling_wordlist(project, content, catalog, lang)
    from .i18n.memory import as_shipped, shipped_translations
    shipped = shipped_translations(lang)
    entries = [m for m in catalog if m.id and m.string and "no-spelling-check" not in m.flags
               and not as_shipped(m, shipped)]
    texts = [m.string[0] if isinstance(m.string, (tuple, list)) else m.string for m in entries]
    po = relative(project.po_path(lang), project.root)
    problems = []
    for message, unknown in zip(entries, qa.spell_check(texts, wordlist=wordlist, lang=lang)):
        if unknown:
            problems.append(Problem(po, message.lineno, f"[{lang}] words that may be misspelt (not in the {language.name} "
                                    f"dictionary, or one mark from a known word): {', '.join(unknown)}",
                                    "check their spelling, or add them to content/wordlist.txt", "warning"))
    return problems


def spelling_wordlist(project: Project, content, catalog, lang: str | None = None) -> set[str]:
    """Return the words the spelling check accepts beyond the dictionary: the word list, terms and names."""
    lang = lang or catalog.locale_identifier or ""
    wordlist = set(load_wordlist(project)) | {g.term(lang) for g in content.glossary if g.term(lang)}
    wordlist.update(proper_names(content))
    # People's names as the translator wrote them in Lao script are names, not words.
    wordlist.update(m.string for m in catalog if m.context and m.context.endswith(".name")
                    and m.context.startswith("people.") and m.string)
    return wordlist


def load_wordlist(project: Project) -> list[str]:
    """Read the project's word list (names and terms the dictionary lacks), one per line."""
    path = project.content / "wordlist.txt"
    if not os.path.lexists(path):
        return []
    text = read_text(path, project.root)  # a regular UTF-8 file inside the project, or a plain error
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


__all__ = ["check"]
