"""What stops a release: strings the documents show untranslated, and every check that fails with an error."""

from __future__ import annotations

from collections.abc import Mapping

from ..content.event import EventContent
from ..errors import Problem, relative
from ..i18n import counting
from ..i18n.translations import Translations
from ..project import Project
from ..render.localizer import Segment
from .event import event_problems


def release_problems(project: Project, content: EventContent, translations: Translations,
                     missing: Mapping[str, list[Segment]], languages: tuple[str, ...] | None = None) -> list[Problem]:
    """List everything that stops a release of the languages (all by default): untranslated or fuzzy strings, QA errors."""
    problems = []
    for lang, segments in missing.items():
        po = relative(project.po_path(lang), project.root)
        catalog = translations.catalogs[lang]
        for segment in segments:
            msgid = segment.source[0] if isinstance(segment.source, tuple) else segment.source
            message = counting.entry(catalog, segment)
            state = counting.LABELS[counting.state(message)]
            line = message.lineno if message is not None else None
            where_from = f" (from {segment.file}:{segment.line})" if segment.line else ""
            problems.append(Problem(po, line, f"[{lang}] {state}: “{short(msgid)}”{where_from}",
                                    "translate it (and clear the fuzzy flag) before a release"))
    problems.extend(p for p in event_problems(project, content, translations, languages, release=True)
                    if p.severity == "error")
    return problems


def short(text: str, limit: int = 70) -> str:
    """A text on one line, cut with an ellipsis past the limit."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
