"""Report whether an event is ready (`python build.py check`): coverage, what is left to translate, every finding.

Coverage is counted the one way counting.py describes, fuzzy as not
translated (Sphinx counts fuzzy as done; a translator reading our figures
must not be misled): the catalog's entries (the numbers `msgfmt
--statistics` prints for the file), and the strings the documents use, per
document. Then every entry left to translate is listed with its PO line and
the documents that show it. The findings are the registry's checks, run by
event.py as the build's ``--release`` runs them, with spelling as well.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from songphasa import languages
from songphasa.content.crosscheck import letter_warnings
from songphasa.documents.kinds import made_by, per_language
from songphasa.documents.letters import render_letters
from songphasa.documents.pages import page_assets
from songphasa.errors import Problem, SongphasaError, relative
from songphasa.i18n import counting
from songphasa.i18n.po import is_template_string
from songphasa.pipeline import load, render
from songphasa.session import Session

from .dictionary import SpellingIndex
from .event import catalog_problems, source_problems
from .findings import KnownFindings


def _counts(cov: counting.Coverage) -> str:
    return (f"{cov.translated} translated ({cov.percent(cov.translated):.1f}%), "
            f"{cov.fuzzy} fuzzy ({cov.percent(cov.fuzzy):.1f}%), "
            f"{cov.untranslated} untranslated ({cov.percent(cov.untranslated):.1f}%) of {cov.total}")


def check(root: Path, spelling: SpellingIndex | None = None,
          findings: KnownFindings | None = None) -> tuple[list[str], list[Problem]]:
    """Return the report lines and every problem found in the event project.

    ``spelling`` keeps what the dictionaries said and ``findings`` what the
    checks found in unchanged catalogs (a session's, or new ones reading the
    user's cache folder).
    """
    spelling = spelling or SpellingIndex()
    findings = findings or KnownFindings()
    session = Session(root)
    project = session.project
    lines: list[str] = []
    content, translations = load(project)  # content and catalog errors stop here, all at once
    lines.append(f"Content: {len(content.people)} people, {len(content.schedule)} agenda items, "
                 f"{sum(len(t.recommendations) for t in content.recommendations.topics)} recommendations, "
                 f"{len(content.concept_note)} prose sections — valid.")
    problems = [*content.warnings, *letter_warnings(content), *source_problems(content, findings=findings)]
    assets = page_assets(project, content)
    kinds = {kind.name: kind for kind in per_language(content)}
    try:
        rendered = render(session, content, translations, assets)
    except SongphasaError as exc:
        problems.extend(exc.problems)
        rendered = {}
    if rendered and made_by(content, "letters"):
        try:  # the letters as `distribute` renders them: a placeholder they cannot fill is said now, not then
            enclosed = {key: page for key, page in rendered.items() if kinds[key[0]].distribution}
            recipients = content.recipient_list()
            # The letters differ only in addressee and request: the first and each one with a request of its own.
            differing = [r for index, r in enumerate(recipients.recipients) if index == 0 or r.request is not None]
            render_letters(session.environment(), content, translations.lookups, made_by(content, "letters")[0],
                           recipients.model_copy(update={"recipients": differing}), enclosed, assets)
        except SongphasaError as exc:
            problems.extend(exc.problems)

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
        problems.extend(catalog_problems(project, content, lang, catalog, spelling=spelling, findings=findings))
    return lines, problems


def _listing(po: str, lang: str, catalog: Catalog, pending: list[counting.Pending]) -> list[str]:
    """List every entry left to translate: those the documents use, then the rest of the catalog."""
    lines = []
    if pending:
        lines.append(f"[{lang}] used by the documents and shown in the source language, marked:")
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


__all__ = ["check"]
