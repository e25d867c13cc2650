"""The build, top to bottom: load → validate → translate → render → compare → write.

Everything is gathered and checked before anything is written. The output is
written into a staging folder next to output/ and swapped in only when the
whole build succeeded, so a failed or interrupted build leaves the previous
output complete and unchanged. A Session keeps what a build loaded and
rendered; the next build in the same process renders only what an edit
made stale (Session.stale) and gives the bytes a whole build would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from . import parity, reproducible
from .content.event import EventContent
from .content.load import Parses, load_event
from .documents.kinds import bilingual, per_language
from .documents.pages import Assets, Page, page_assets, render_page
from .errors import CatalogError, ContentError, Problem, ReleaseError
from .files import own_folder
from .i18n import counting
from .i18n.po import read_catalog
from .i18n.translations import Translations, language_files, load_translations
from .output.pdf import pdf_files
from .output.plan import build_files
from .output.record import DEFAULT_FORMATS, RECORD, distributed, fingerprint, record, vouch
from .output.staging import write_tree
from .progress import Progress
from .project import Project
from .render.localizer import Segment
from .session import Session


@dataclass
class BuildResult:
    """What a build made and what it noticed."""

    output: Path
    files: list[Path] = field(default_factory=list)
    documents: int = 0  # files of the documents made per language
    extras: list[str] = field(default_factory=list)  # what else it made: the bilingual pages' names
    missing: dict[str, list[Segment]] = field(default_factory=dict)  # shown in the source language, by language
    warnings: list[Problem] = field(default_factory=list)


def load(project: Project, *, parses: Parses | None = None) -> tuple[EventContent, Translations]:
    """Load and validate the content, then read and compile the catalogs; report the problems of both in one go.

    When the content has errors the catalogs are still read, so a broken PO
    file shows up in the same report rather than in the next run.
    """
    try:
        content = load_event(project.root, memo=parses)
    except ContentError as exc:
        problems = list(exc.problems)
        for path in language_files(project).values():
            try:
                read_catalog(path, project.root)
            except CatalogError as bad:
                problems.extend(bad.problems)
        raise ContentError(problems) from None
    return content, load_translations(project, content)


def render(session: Session, content: EventContent, translations: Translations, assets: Assets,
           documents: tuple[str, ...] | None = None) -> dict[tuple[str, str], Page]:
    """Render every per-language document (or those named) in every language; compare the languages.

    A page the session kept from the last build is used again when no edit
    since could have changed it.
    """
    stale = session.stale(content, translations) if documents is None else None
    env = session.environment()
    pages: dict[tuple[str, str], Page] = {}
    for kind in per_language(content):
        if documents is not None and kind.name not in documents:
            continue
        keys = [(kind.name, lang) for lang in content.languages]
        renew = [key for key in keys if stale is None or key in stale or key not in session.pages]
        for key in keys:
            pages[key] = render_page(env, content, translations.lookups, kind, key[1], assets=assets,
                                     markdown=session.markdown) if key in renew else session.pages[key]
        if renew:
            parity.compare(kind.name, {lang: pages[(kind.name, lang)].article for lang in content.languages})
    return pages


def build(session: Session, *, release: bool | tuple[str, ...] = False, formats: tuple[str, ...] = DEFAULT_FORMATS,
          progress: Progress | None = None, inputs: str | None = None) -> BuildResult:
    """Build every document of the session's project into output/ (with "pdf" in formats, PDFs too).

    ``release`` refuses while anything is untranslated or wrong: True for every
    language, or a tuple of the languages to release (the others may be in progress).
    ``inputs``: the fingerprint of the inputs, taken by the caller before it read any.
    """
    with session.lock():
        try:
            return _build(session, release, formats, progress, inputs)
        except BaseException:
            session.forget()  # what was kept may not be what is on disk: the next build makes everything
            raise


def _build(session: Session, release: bool | tuple[str, ...], formats: tuple[str, ...], progress: Progress | None,
           inputs: str | None) -> BuildResult:
    project = session.project
    inputs = inputs or fingerprint(project.root, release=release, formats=formats)  # before any input is read
    if session.only_catalogs_changed and session.content is not None:
        content = session.content
        translations = load_translations(project, content)
    else:
        content, translations = load(project, parses=session.parses)
    assets = page_assets(project, content)
    pages = render(session, content, translations, assets)

    result = BuildResult(project.output, warnings=[*content.warnings, *translations.warnings])
    for lang in content.event.settings.catalog_languages:
        result.missing[lang] = counting.missing_segments(pages.values(), lang)
    if release:
        refuse_release(project, content, translations, result.missing, release)

    packs = distributed(project.root)  # what the user's last `distribute` made, untouched since
    printed: dict[str, bytes] = {}  # the DOCX each PDF is made from: the text as decided, in the print fonts
    files = build_files(session.environment(), content, translations.lookups, pages, formats, assets=assets,
                        reference=project.find_template_file("reference.docx"), make_docx=session.docx.docx_bytes,
                        distributed=packs, printed=printed)
    if "pdf" in formats:  # before anything is written: without LibreOffice, output/ stays as it was
        files.update(pdf_files(printed, event_moment(content), own_folder(project.root, project.cache.name, "pdf"), progress=progress,
                               scratch=project.root))
    result.files = [project.output / name for name in sorted(files)]
    page_files = {f"{kind.path(lang=lang)}.{ext}" for kind in per_language(content) for lang in content.languages
                  for ext in ("html", "docx", "pdf")}
    result.documents = len(page_files & set(files))
    result.extras = [kind.title or kind.name for kind in bilingual(content)
                     if {f"{kind.path()}.html", f"{kind.path()}.docx"} & set(files)]
    files[RECORD] = record(inputs, files, {lang: len(m) for lang, m in result.missing.items()})
    dropped = write_tree(project.output, files, through_link=session.output_link, kept=packs)
    vouch(project.root, files[RECORD])
    result.warnings.extend(Problem(f"output/{name}", None, "removed: no build or distribute of yours made it",
                                   "output/ holds only what Songphasa makes; keep your own files elsewhere",
                                   "warning") for name in dropped)
    session.docx.prune()
    session.keep(content, translations, pages)
    return result


def refuse_release(project: Project, content: EventContent, translations: Translations,
                   missing: dict[str, list[Segment]], release: bool | tuple[str, ...]) -> None:
    """Raise every reason the languages released (all, or those named) cannot be published."""
    chosen = released_languages(content, release)
    from .checks.release import release_problems  # the checks: imported by a release build only

    problems = release_problems(project, content, translations,
                                {lang: m for lang, m in missing.items() if lang in chosen}, chosen)
    if problems:
        raise ReleaseError(problems)


def released_languages(content: EventContent, release: bool | tuple[str, ...]) -> tuple[str, ...]:
    """Return the catalogs a release publishes: those named (``--release lo``), else every one; refuse a stranger."""
    declared = content.event.settings.catalog_languages
    chosen = release if isinstance(release, tuple) else declared
    unknown = [lang for lang in chosen if lang not in declared]
    if unknown:
        raise ReleaseError([Problem("content/event.yaml", None, f"--release {unknown[0]}: '{unknown[0]}' is not a "
                                    "language of this event", "use one of: " + ", ".join(declared))])
    return tuple(chosen)


def event_moment(content: EventContent) -> dt.datetime:
    """The one time every file carries: SOURCE_DATE_EPOCH if set, else the event day's midnight."""
    midnight = dt.datetime.combine(content.event.date, dt.time(0, 0), tzinfo=ZoneInfo(content.event.timezone))
    return reproducible.fixed_moment(midnight)
