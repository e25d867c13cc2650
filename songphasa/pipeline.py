"""The build, top to bottom: load → validate → translate → render → compare → write.

Everything is gathered and checked before anything is written. The output is
written into a staging folder next to output/ and swapped in only when the
whole build succeeded, so a failed or interrupted build leaves the previous
output complete and unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.messages.catalog import Catalog
from lxml import html as lxml_html

from . import cache, catalogs, counting, documents as registry, languages, parity, write_html
from .errors import CatalogError, ContentError, Problem, ReleaseError, TemplateError, relative
from .formats import Formats
from .model import EventContent, load_event
from .project import Project
from .render import Localizer, Segment, make_environment, render_document, render_template
from .pdf import make_pdfs, renderer_identity
from .progress import Progress
from .session import Session
from .workers import DocxWorker
from .write_docx.settings import DocxSettings
from .write_docx.writer import docx_bytes


@dataclass
class Translations:
    """The catalogs of an event: parsed PO files and compiled lookups."""

    catalogs: dict[str, Catalog]
    lookups: dict[str, dict]
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Rendered:
    """One document in one language: its page tree and the strings it used."""

    document: str
    lang: str
    tree: lxml_html.HtmlElement
    segments: list[Segment]

    @functools.cached_property
    def page(self) -> bytes:
        """The page's HTML file (made once: `watch` hands the same item again for a document it did not render again)."""
        return write_html.page_bytes(self.tree)

    @property
    def missing(self) -> list[Segment]:
        """Strings shown in the source language because they have no translation."""
        return [s for s in self.segments if s.translation is None]


@dataclass
class BuildResult:
    """What a build made and what it noticed."""

    output: Path
    files: list[Path] = field(default_factory=list)
    missing: dict[str, list[Segment]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def load(project: Project) -> tuple[EventContent, Translations]:
    """Load the content and the catalogs; report the problems of both in one go.

    When the content has errors the catalogs are still read, so a broken PO
    file shows up in the same report rather than in the next run.
    """
    try:
        content = load_event(project.root)
    except ContentError as exc:
        problems = list(exc.problems)
        for path in catalogs.language_files(project).values():
            try:
                catalogs.read_catalog(path, project.root)
            except CatalogError as bad:
                problems.extend(bad.problems)
        raise ContentError(problems) from None
    return content, load_translations(project, content)


#: The catalogs this process has read and compiled, by file and language: the PO's bytes, the catalog, the lookup.
_CATALOGS: dict[tuple[Path, str], tuple[bytes, Catalog, dict, list[Problem]]] = {}


def load_translations(project: Project, content: EventContent) -> Translations:
    """Read every declared language's catalog and compile it (.mo, fuzzy left out).

    A catalog folder for a language the event does not declare is a warning.
    """
    declared = content.event.settings.catalog_languages
    warnings = catalogs.check_languages(project, declared)
    problems: list[Problem] = []
    loaded: dict[str, Catalog] = {}
    lookups: dict[str, dict] = {}
    for lang in declared:
        path = project.po_path(lang)
        if not path.exists():
            problems.append(Problem(relative(path, project.root), None, f"no translation catalog for '{lang}'",
                                    f"run `python build.py init {lang}` to start one"))
            continue
        try:
            data: bytes | None = catalogs.read_po_bytes(path, project.root)  # never a pipe or a link out
        except (OSError, CatalogError):
            data = None  # read_catalog says what is wrong
        known = _CATALOGS.get((path, lang))
        if known is not None and data is not None and known[0] == data and project.mo_path(lang).is_file():
            loaded[lang], lookups[lang] = known[1], known[2]  # `watch`: this catalog did not change
            warnings.extend(known[3])
            continue
        try:
            loaded[lang] = catalogs.read_catalog(path, project.root, locale=lang)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        unusable = catalogs.unusable_translations(loaded[lang])
        lookups[lang] = catalogs.compile_catalog(loaded[lang], project.mo_path(lang), unusable)
        # Said on every build, drafts too: a reviewer must not take the marked English for a missing translation.
        po = relative(path, project.root)
        unused = [Problem(po, message.lineno, f"[{lang}] this translation is not used: {reason}",
                        "correct the entry; until then the documents show the English, marked", "warning")
                for message, reason in unusable]
        warnings.extend(unused)
        if len(_CATALOGS) >= 16:
            _CATALOGS.pop(next(iter(_CATALOGS)))
        _CATALOGS[(path, lang)] = (data, loaded[lang], lookups[lang], unused)
    if problems:
        raise CatalogError(problems)
    return Translations(loaded, lookups, warnings)


def page_assets(project: Project, content: EventContent, codes: tuple[str, ...] | None = None) -> tuple[str, str]:
    """Return the stylesheet (with the event's fonts first) and the web font rules a page needs.

    The web fonts are those of the languages named (every language of the
    event by default): a Lao page embeds the Lao one, a Thai page the Thai one.
    """
    settings = content.event.settings
    langs = content.languages

    def font_of(script: languages.Script) -> str:
        return settings.font_for(languages.language_for_script(script, langs))

    css = write_html.css_variables(font_of(languages.LAO), font_of(languages.LATIN)) + "\n" + \
        project.find_template_file("style.css").read_text(encoding="utf-8") + "\n" + \
        write_html.language_css({lang: settings.font_for(lang) for lang in langs})
    fonts = project.find_template_file("fonts")
    return css, write_html.web_fonts(fonts, langs if codes is None else codes, project.read_template_file)


def render_all(project: Project, content: EventContent, translations: Translations,
               documents: tuple[str, ...] | None = None,
               keep: dict[tuple[str, str], Rendered] | None = None,
               done: Callable[[dict[tuple[str, str], Rendered]], None] | None = None) -> dict[tuple[str, str], Rendered]:
    """Render every per-language document of the registry (or those named) in every language; check parity.

    ``keep`` (from `watch`): pages known to be the same as they would be rendered now, used as they are.
    ``done`` is called with each document's pages once they are rendered and compared.
    """
    env = make_environment(project.template_dirs)
    settings = content.event.settings
    css, _ = page_assets(project, content, ())
    faces = {lang: page_assets(project, content, (lang,))[1] for lang in content.languages}
    rendered: dict[tuple[str, str], Rendered] = {}
    kinds = {k.name: k for k in registry.per_language(content)}
    for document in documents if documents is not None else tuple(kinds):
        if document not in kinds:
            continue  # the event does not make it (e.g. recommendations without any)
        for lang in content.languages:
            if keep and (document, lang) in keep:
                rendered[(document, lang)] = keep[(document, lang)]
                continue
            loc = Localizer(lang, settings.source_language, translations.lookups.get(lang, {}))
            fmt = Formats(lang, native_digits=settings.digits_for(lang), twelve_hour=settings.clock == "12-hour")
            extra = {"css": css, "fontface": faces[lang], "diff": _differ(loc, lang, content),
                     "page_size": registry.page_size(kinds[document])}
            page = render_document(env, document, content, loc, fmt, extra, template=kinds[document].template)
            tree = write_html.finish_page(page, lang, native=settings.digits_for(lang), event_languages=content.languages)
            if tree.find(".//article") is None:  # both formats are made from it
                raise TemplateError(Problem(f"templates/{kinds[document].template}", None, "the template makes no <article>",
                                            "keep {% extends \"base.html\" %} or put the document in <article>…</article>"))
            rendered[(document, lang)] = Rendered(document, lang, tree, loc.used)
        parity.compare(document, {lang: write_html.article_of(rendered[(document, lang)].tree)
                                  for lang in content.languages})
        if done is not None:
            done({(document, lang): rendered[(document, lang)] for lang in content.languages})
    return rendered


def _differ(loc: Localizer, lang: str, content: EventContent) -> Callable:
    from .diff import word_diff  # imported here: only modified recommendations need it

    def diff(rec) -> object:
        return word_diff(loc.plain(rec.proposed), loc.plain(rec.confirmed), lang, when=decided_at(content, rec.id),
                         missing=(loc.lookup.get((rec.confirmed.context, rec.confirmed.source)) is None
                                  and not loc.is_source), source_lang=loc.source_lang)
    return diff


def decided_at(content: EventContent, rec_id: str) -> dt.datetime:
    """When a recommendation was decided: the start of the agenda item that discusses its topic."""
    topic = next(t.id for t in content.recommendations.topics if any(r.id == rec_id for r in t.recommendations))
    slot = next((s for s in content.schedule if topic in s.item.topics), None)
    return (slot.start if slot is not None else content.starts).astimezone(dt.timezone.utc)


def docx_settings(content: EventContent, lang: str, title: str, *, landscape: bool = False,
                  paper: str = "A4") -> DocxSettings:
    """Describe a DOCX's fonts and properties from the event, never the clock."""
    settings = content.event.settings
    organizer = content.organizations[content.event.organizer]
    created = dt.datetime.combine(content.event.date, dt.time(0, 0), tzinfo=ZoneInfo(content.event.timezone))
    fonts = {code: settings.font_for(code) for code in content.languages}
    latin = languages.language_for_script(languages.LATIN, content.languages)
    # The organizer is the secretariat: the author of the documents and of their tracked changes.
    return DocxSettings(language=lang, latin_font=settings.font_for(latin),
                        fonts=tuple(sorted(fonts.items())), languages=content.languages,
                        title=title, subject=content.event.short_title.source, author=organizer.name.source,
                        reviser=organizer.name.source,
                        created=created.astimezone(dt.timezone.utc).replace(tzinfo=None), landscape=landscape,
                        paper=paper)


def fixed_moment(content: EventContent) -> dt.datetime:
    """The one time every file carries: SOURCE_DATE_EPOCH if set, else the event day's midnight."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.combine(content.event.date, dt.time(0, 0), tzinfo=ZoneInfo(content.event.timezone))


def pdf_files(project: Project, content: EventContent, files: dict[str, bytes],
              progress: Progress | None = None) -> dict[str, bytes]:
    """Make a PDF of every DOCX among the files, in one LibreOffice run for those not cached.

    A PDF is kept in .songphasa-cache/pdf/ under the hash of its DOCX, so a
    rebuild converts only the documents that changed.
    """
    folder = project.cache / "pdf"
    docx = {name: data for name, data in files.items() if name.endswith(".docx")}
    moment = fixed_moment(content)
    renderer = renderer_identity()  # LibreOffice's version and the fonts it can use shape every PDF
    keys = {name: hashlib.sha256(renderer.encode() + b"\0" + moment.isoformat().encode() + b"\0" + data).hexdigest()
            for name, data in docx.items()}
    pdfs = {name: cache.read_sealed(folder / f"{keys[name]}.pdf", keys[name]) for name in docx}
    missing = {name: docx[name] for name, pdf in pdfs.items() if pdf is None}
    if missing:
        made = make_pdfs(missing, moment, progress=progress, scratch=project.root)
        for pdf_name, data in made.items():  # make_pdfs names each PDF after its DOCX
            name = pdf_name[: -len(".pdf")] + ".docx"
            pdfs[name] = data
            cache.write_sealed(folder / f"{keys[name]}.pdf", keys[name], data)
    used = {f"{key}.pdf" for key in keys.values()}
    for stale in folder.glob("*.pdf"):
        if stale.name not in used:
            stale.unlink(missing_ok=True)
    return {name[: -len(".docx")] + ".pdf": pdfs[name] for name in docx}


@dataclass
class Memo:
    """What `watch` keeps from one build for the next: the content, the catalogs' lookups, the pages.

    When only catalogs changed since, the next build renders again only the
    documents that used a string whose translation changed (their segments
    say which), in both languages for the parity check; the others are the
    same pages. Anything else that changed (content, templates, settings)
    makes a whole build.
    """

    content: EventContent | None = None
    lookups: dict[str, dict] = field(default_factory=dict)
    rendered: dict[tuple[str, str], Rendered] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # project-relative paths changed since
    rerendered: tuple[str, ...] = ()  # what the last build rendered again (all documents: a whole build)
    # Which document kinds' templates read the concept note, found once after each whole build (a template
    # edit makes a whole build, which empties it): reading and parsing the templates was a sixth of a round.
    template_readers: dict[tuple[str, str], bool] = field(default_factory=dict)

    def only_catalogs_changed(self) -> bool:
        """Tell whether everything changed since the last build is a PO file."""
        return self.content is not None and bool(self.changed) and all(
            name.startswith("locales/") and name.endswith(".po") for name in self.changed)

    def only_prose_and_catalogs_changed(self) -> bool:
        """Tell whether everything changed since the last build is the concept note's Markdown or a PO file."""
        from .model import PROSE_FILE
        return self.content is not None and PROSE_FILE in self.changed and all(
            name == PROSE_FILE or (name.startswith("locales/") and name.endswith(".po")) for name in self.changed)

    def affected_by_prose(self, project: Project, content: EventContent) -> tuple[str, ...] | None:
        """Name the documents that may read the concept note's sections (None: cannot tell, render all).

        Only when the new content equals the last one in everything else, and
        numbers the footnotes alike (every document's texts may cite them).
        Readers are the documents whose templates (with what they extend,
        include or import) name the sections (concept_note, prose_uses,
        footnotes), and those whose strings came from the file. The Python
        side of rendering (render.py, interpreters.py) reads only the footnote
        numbers, checked above: code that read the sections for a document
        would have to make it a reader here.
        """
        import dataclasses
        from .model import PROSE_FILE
        old = self.content
        if old is None or any(f.name != "concept_note" and getattr(old, f.name) != getattr(content, f.name)
                              for f in dataclasses.fields(old)):
            return None
        if old.footnote_numbers != content.footnote_numbers:
            return None
        kinds = registry.per_language(content)
        readers = set()
        for kind in kinds:
            key = (kind.name, kind.template)
            if key not in self.template_readers:
                names = _template_closure(project, kind.template)
                self.template_readers[key] = names is None or any(_reads_prose(project, name) for name in names)
            if self.template_readers[key]:
                readers.add(kind.name)
        readers.update(document for (document, _), item in self.rendered.items()
                       if any(s.file == PROSE_FILE for s in item.segments))
        return tuple(sorted(readers))

    def affected(self, translations: Translations) -> tuple[str, ...] | None:
        """Name the documents that used a string whose translation changed (None: cannot tell)."""
        if set(translations.lookups) != set(self.lookups):
            return None
        changed: set[tuple] = set()
        for lang, lookup in translations.lookups.items():
            old = self.lookups[lang]
            changed.update(key for key in old.keys() | lookup.keys() if old.get(key) != lookup.get(key))
        return tuple(sorted({document for (document, _), item in self.rendered.items()
                             if any((s.context, s.source[0] if isinstance(s.source, tuple) else s.source) in changed
                                    for s in item.segments)}))


#: Words by which a template reads the concept note's sections (EventContent.concept_note and what is made of it).
_PROSE_NAMES = re.compile(r"concept_note|prose_uses|footnote")


#: The templates a template's source names (parsed once per process).
_REFERENCED: dict[str, list[str | None]] = {}


def _template_closure(project: Project, name: str) -> set[str] | None:
    """Name a template and every template it extends, includes or imports (None: a name made at render time)."""
    from jinja2 import meta
    env = make_environment(project.template_dirs)
    found: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        try:
            source = env.loader.get_source(env, current)[0]
            if source not in _REFERENCED:
                if len(_REFERENCED) >= 64:
                    _REFERENCED.pop(next(iter(_REFERENCED)))
                _REFERENCED[source] = list(meta.find_referenced_templates(env.parse(source)))
            referenced = _REFERENCED[source]
        except Exception:  # noqa: BLE001 — a template that cannot be read: the whole build reports it
            return None
        if None in referenced:
            return None
        todo.extend(referenced)
    return found


def _reads_prose(project: Project, name: str) -> bool:
    env = make_environment(project.template_dirs)
    try:
        return bool(_PROSE_NAMES.search(env.loader.get_source(env, name)[0]))
    except Exception:  # noqa: BLE001 — as above
        return True


def build(root: Path, *, release: bool | tuple[str, ...] = False, formats: tuple[str, ...] = ("html", "docx"),
          progress: Progress | None = None, memo: Memo | None = None, fingerprint: str | None = None,
          worker: DocxWorker | None = None, session: Session | None = None) -> BuildResult:
    """Build every document of an event project into output/ (with "pdf" in formats, PDFs too).

    ``release`` refuses while anything is untranslated or wrong: True for every
    language, or a tuple of the languages to release (the others may be in progress).
    ``memo`` (from `watch`) carries the last build's pages so that a change
    to a catalog renders only the documents that use the changed strings.
    ``fingerprint``: cache.fingerprint of the inputs, taken by the caller before it read any.
    ``worker``: a second process (workers.DocxWorker) that makes the DOCX meanwhile.
    """
    session = session or Session(root)
    with session.lock():
        return _build(root, release=release, formats=formats, progress=progress, memo=memo, fingerprint=fingerprint,
                      worker=worker)


def _build(root: Path, *, release: bool | tuple[str, ...], formats: tuple[str, ...], progress: Progress | None,
           memo: Memo | None, fingerprint: str | None = None, worker: DocxWorker | None = None) -> BuildResult:
    project = Project.at(root)
    if fingerprint is None:
        fingerprint = cache.fingerprint(project.root, release=release, formats=formats)  # before any input is read
    affected = None
    loaded = False
    if memo is not None and memo.only_catalogs_changed():
        content = memo.content
        translations = load_translations(project, content)
        affected = memo.affected(translations)
    elif memo is not None and memo.only_prose_and_catalogs_changed():
        content, translations = load(project)
        loaded = True
        by_prose, by_catalogs = memo.affected_by_prose(project, content), memo.affected(translations)
        if by_prose is not None and by_catalogs is not None:
            affected = tuple(sorted({*by_prose, *by_catalogs}))
    if affected is None and not loaded:  # a whole build
        content, translations = load(project)
    if worker is not None and worker.cold and "docx" in formats:  # it reads the reference while the pages render
        worker.warm(project.find_template_file("reference.docx"),
                    [docx_settings(content, lang, "") for lang in content.languages])
    docx_cache = cache.DocxCache(project.root)
    share = (lambda jobs: docx_cache.share(jobs, worker)) if worker is not None and "docx" in formats else None
    # The second process makes each document's DOCX while this one renders the next.
    done = (lambda pages: share(list(docx_jobs(project, content, pages).values()))) if share is not None else None
    if affected is not None:
        # After a catalog edit only, a page in the source language is the same: it is kept for the parity check.
        source = content.event.settings.source_language
        keep = {key: item for key, item in memo.rendered.items() if key[1] == source} if not loaded else None
        rendered = {**memo.rendered, **render_all(project, content, translations, affected, keep=keep, done=done)}
    else:
        rendered = render_all(project, content, translations, done=done)
    if memo is not None:
        if affected is None:  # a whole build: the templates may have changed since their readers were found
            memo.template_readers = {}
        memo.content, memo.rendered, memo.changed = content, rendered, []
        memo.lookups = dict(translations.lookups)
        memo.rerendered = affected if affected is not None else tuple(sorted({d for d, _ in rendered}))

    result = BuildResult(project.output, warnings=[*content.warnings, *translations.warnings])
    for lang in content.event.settings.catalog_languages:
        result.missing[lang] = counting.missing_segments(rendered.values(), lang)
    if release:
        chosen = release if isinstance(release, tuple) else content.event.settings.catalog_languages
        unknown = [lang for lang in chosen if lang not in content.event.settings.catalog_languages]
        if unknown:
            raise ReleaseError([Problem("content/event.yaml", None, f"--release {unknown[0]}: '{unknown[0]}' is not a "
                                        "language of this event", "use one of: "
                                        + ", ".join(content.event.settings.catalog_languages))])
        problems = release_problems(project, content, translations,
                                    {lang: m for lang, m in result.missing.items() if lang in chosen}, chosen)
        if problems:
            raise ReleaseError(problems)

    files = plan_output(project, content, rendered, formats, docx=docx_cache.docx_bytes, lookups=translations.lookups,
                        share=share)
    if "pdf" in formats:  # before anything is written: without LibreOffice, output/ stays as it was
        files.update(pdf_files(project, content, files, progress))
    result.files = [project.output / name for name in sorted(files)]
    files[cache.RECORD] = cache.record(fingerprint, files, {lang: len(m) for lang, m in result.missing.items()})
    write_tree(project.output, files)
    docx_cache.prune()
    return result


def release_problems(project: Project, content: EventContent, translations: Translations,
                     missing: dict[str, list[Segment]], languages_: tuple[str, ...] | None = None) -> list[Problem]:
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
            problems.append(Problem(po, line, f"[{lang}] {state}: “{_short(msgid)}”{where_from}",
                                    "translate it (and clear the fuzzy flag) before a release"))
    from .checks import qa_problems
    problems.extend(p for p in qa_problems(project, content, translations, languages_) if p.severity == "error")
    return problems


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plan_output(project: Project, content: EventContent, rendered: dict[tuple[str, str], Rendered],
                formats: tuple[str, ...], *, docx: Callable[..., bytes] = docx_bytes,
                lookups: dict[str, dict] | None = None,
                share: Callable[[list[tuple]], Callable[[], bool] | None] | None = None) -> dict[str, bytes]:
    """Make the bytes of every output file, keyed by path inside output/.

    ``docx`` makes one DOCX (write_docx.docx_bytes, or a cache in front of it);
    ``lookups`` are the compiled catalogs (the interpreters' pack labels both languages);
    ``share`` (cache.DocxCache.share with a workers.DocxWorker) may have a second process make the
    DOCX into the cache while this one makes the pack's page: ``docx`` then finds them there.
    """
    files: dict[str, bytes] = {}
    for (document, lang), item in rendered.items():  # the files keep this order; their bytes are made below
        files.update({f"{lang}/{document}.{ext}": b"" for ext in ("html", "docx") if ext in formats})
    documents = docx_jobs(project, content, rendered) if "docx" in formats else {}

    def make(jobs: dict[str, tuple]) -> None:
        files.update({name: docx(article, reference=ref, settings=settings) for name, (article, ref, settings) in jobs.items()})
    # Given to the second process (as each document was rendered, or now), the documents' DOCX are made
    # there while this process makes the pack's page; then it makes the pack's DOCX too: it is warm, and
    # this process would open the reference document for it first.
    wait = share(list(documents.values())) if share is not None and documents else None
    if wait is None:
        make(documents)
        documents = {}
    pack: dict[str, tuple] = {}
    files.update(interpreters_pack(project, content, rendered, formats, docx=docx, lookups=lookups, jobs=pack))
    wait = (share(list(pack.values())) if share is not None and pack else None) or wait
    # What this process does meanwhile is off the build's time:
    if "html" in formats:
        files.update({f"{lang}/{document}.html": item.page for (document, lang), item in rendered.items()})
    files["index.html"] = index_page(project, content, rendered, _present(project, files, formats), lookups)
    if wait is not None:
        wait()  # then all is taken from the cache; what the second process did not make (it failed) is made here
    make(documents)
    make(pack)
    return files


def docx_jobs(project: Project, content: EventContent,
              rendered: dict[tuple[str, str], Rendered]) -> dict[str, tuple]:
    """Name the DOCX of these pages (``lang/document.docx``) with what makes each: (article, reference, settings)."""
    reference = project.find_template_file("reference.docx")
    kinds = {k.name: k for k in registry.per_language(content)}
    jobs = {}
    for (document, lang), item in rendered.items():
        kind = kinds[document]
        title = " ".join(item.tree.findtext(".//title", default=document).split())
        jobs[f"{lang}/{document}.docx"] = (write_html.article_of(item.tree), reference,
                                           docx_settings(content, lang, title, landscape=kind.landscape, paper=kind.paper))
    return jobs


def bilingual_page(project: Project, content: EventContent, kind: registry.DocumentKind,
                   rendered: dict[tuple[str, str], Rendered], formats: tuple[str, ...], *,
                   docx: Callable[..., bytes] = docx_bytes, lookups: dict[str, dict] | None = None,
                   jobs: dict[str, tuple] | None = None) -> dict[str, bytes]:
    """Make the pages holding two languages (the interpreters' pack): HTML, DOCX, and the glossary as CSV and TBX.

    One pack per booth pair: the source with each target language; the first
    target's is ``pack``, the others ``pack-<target>``. ``lookups`` are the
    compiled catalogs: the pack's labels are in both languages of its pair.
    ``jobs``: given, each DOCX is not made but put there, by file name, as
    (article, reference, settings), and its file is left empty for the caller.
    """
    from . import interpreters
    settings = content.event.settings
    out = kind.output or kind.name
    folder = f"{out.rsplit('/', 1)[0]}/" if "/" in out else ""
    files = {f"{folder}glossary.csv": interpreters.glossary_csv(content),
             f"{folder}glossary.tbx": interpreters.glossary_tbx(content)}
    source = settings.source_language
    targets = [lang for lang in settings.languages if lang != source]
    for index, target in enumerate(targets):
        css, fontface = page_assets(project, content, (source, target))
        page = interpreters.render_pack(project, content, rendered, css, fontface, template=kind.template,
                                        target=target, lookups=lookups, page_size=registry.page_size(kind))
        tree = write_html.finish_page(page, source, native=settings.digits_for(source), event_languages=(source, target))
        if settings.digits_for(target):
            write_html.native_digits(tree.body, target)
        name = out if index == 0 else f"{out}-{target}"
        if "html" in formats:
            files[f"{name}.html"] = write_html.page_bytes(tree)
        if "docx" in formats:
            title = " ".join(tree.findtext(".//title", default=kind.name).split())
            job = (write_html.article_of(tree), project.find_template_file("reference.docx"),
                   docx_settings(content, source, title, landscape=kind.landscape, paper=kind.paper))
            if jobs is None:
                files[f"{name}.docx"] = docx(job[0], reference=job[1], settings=job[2])
            else:
                files[f"{name}.docx"] = b""  # made by the caller; the files keep this order
                jobs[f"{name}.docx"] = job
    return files


def _present(project: Project, files: dict[str, bytes], formats: tuple[str, ...]) -> set[str]:
    """The files output/ will hold: these, their PDFs when made, and a distribution made earlier (kept)."""
    names = set(files)
    if "pdf" in formats:
        names |= {name[: -len(".docx")] + ".pdf" for name in files if name.endswith(".docx")}
    distribution = project.output / "distribution"
    if distribution.is_dir():
        names |= {p.relative_to(project.output).as_posix() for p in distribution.rglob("*") if p.is_file()}
    return names


def interpreters_pack(project: Project, content: EventContent, rendered: dict[tuple[str, str], Rendered],
                      formats: tuple[str, ...], *, docx: Callable[..., bytes] = docx_bytes,
                      lookups: dict[str, dict] | None = None, jobs: dict[str, tuple] | None = None) -> dict[str, bytes]:
    """Make the event's bilingual pages (output/interpreters/ for the built-in pack); ``jobs`` as in bilingual_page."""
    files: dict[str, bytes] = {}
    for kind in registry.bilingual(content):
        files.update(bilingual_page(project, content, kind, rendered, formats, docx=docx, lookups=lookups, jobs=jobs))
    return files


def index_page(project: Project, content: EventContent, rendered: dict[tuple[str, str], Rendered],
               present: set[str], lookups: dict[str, dict] | None = None) -> bytes:
    """Make output/index.html: a link to every file of output/ (``present``), with full titles in both languages.

    Documents in every language and format, the interpreters' pack and its
    glossary, and the distribution's packs when they have been made.
    """
    env = make_environment(project.template_dirs)
    source = content.event.settings.source_language
    # A source the templates are not written in (Lao) takes their labels from its catalog.
    loc = Localizer(source, source, (lookups or {}).get(source, {}))
    env.install_gettext_callables(loc.gettext, loc.ngettext, newstyle=True, pgettext=loc.pgettext)

    def links(*names: str) -> list[dict]:
        return [{"href": name, "label": name.rsplit(".", 1)[1].upper()} for name in names if name in present]

    documents = []
    made = registry.names(registry.per_language(content))
    for document in made:
        titles, files = {}, {}
        for lang in content.languages:
            titles[lang] = " ".join(rendered[(document, lang)].tree.findtext(".//title", default=document).split())
            files[lang] = links(*(f"{lang}/{document}.{ext}" for ext in ("html", "docx", "pdf")))
        documents.append({"titles": titles, "files": files})
    names = {lang: Locale.parse(lang).get_display_name(lang) for lang in content.languages}
    titles = {lang: " ".join(rendered[(made[0], lang)].tree.find(".//h1").text_content().split())
              for lang in content.languages}
    def both(msgid: str) -> dict[str, str]:  # a template string the pack's page uses, in every language
        return {lang: (lookups or {}).get(lang, {}).get((None, msgid)) or msgid for lang in content.languages}

    others = []
    targets = [lang for lang in content.event.settings.languages if lang != source]
    for kind in registry.bilingual(content):
        out = kind.output or kind.name
        folder = f"{out.rsplit('/', 1)[0]}/" if "/" in out else ""
        titles_ = both("Interpreters' preparation pack") if kind.name == "interpreters" else \
            {lang: kind.name for lang in content.languages}
        packs = [out] + [f"{out}-{target}" for target in targets[1:]]  # one per booth pair, as bilingual_page makes
        files = [f"{pack}.{ext}" for pack in packs for ext in ("html", "docx", "pdf")]
        others.append({"titles": titles_, "files": links(*files, f"{folder}glossary.csv", f"{folder}glossary.tbx")})
    recipients = []
    if any(name.startswith("distribution/") for name in present):
        from .recipients import load_recipients
        lao = {lang: Localizer(lang, source, (lookups or {}).get(lang, {})) for lang in content.languages}
        for recipient in load_recipients(content).recipients:
            recipients.append({"names": {lang: lao[lang].plain(recipient.name) for lang in content.languages},
                               "files": links(f"distribution/{recipient.id}.zip", f"distribution/{recipient.id}.eml")})
        recipients.append({"names": {source: "manifest"},
                           "files": links("distribution/manifest.csv", "distribution/manifest.json")})
    css, fontface = page_assets(project, content)
    page = render_template(env, "index.html", dict(
        source_lang=source, lang=source, languages=content.languages, documents=documents, language_names=names,
        titles=titles, others=[o for o in others if o["files"]], recipients=recipients, notes=[], css=css,
        fontface=fontface, event=content.event, plain=loc.plain))
    return write_html.page_bytes(write_html.finish_page(page, source, event_languages=content.languages))


# --- writing output all at once --------------------------------------------------------

def write_tree(output: Path, files: dict[str, bytes]) -> None:
    """Replace output/ with exactly these files, all at once.

    The files go into a staging folder beside output/; only when all are
    written is it swapped with output/ (an atomic exchange on Linux), so
    output/ is at every moment either all old or all new.
    """
    if output.is_symlink() and output.is_dir():
        # output/ linked elsewhere (a web server's folder, a shared drive): replace what it
        # points to, and keep the link.
        output = output.resolve()
    parent = output.parent
    _remove_stale_staging(parent, output.name)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-{os.getpid()}-", dir=parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; output/ is for everyone to read
    try:
        for name in sorted(files):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
        _keep_unmanaged(output, staging, files)
        _swap(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_stale_staging(parent: Path, name: str = "output") -> None:
    """Remove staging folders of builds that were killed midway.

    Builds of one project hold its lock (project_lock), so a staging folder
    found here is never another build's work in progress, whatever process id
    its name carries (process ids mean nothing across containers).
    """
    for path in sorted([*parent.glob(f".{name}-new-*"), *parent.glob(f".{name}-old-*")]):
        shutil.rmtree(path, ignore_errors=True)


def _keep_unmanaged(output: Path, staging: Path, files: dict[str, bytes]) -> None:
    """Carry over what other commands made in output/ (PDFs, packs) that this build does not replace."""
    if not output.is_dir():
        return
    for path in sorted(output.rglob("*")):
        name = path.relative_to(output).as_posix()
        if path.is_dir() or name in files:
            continue
        target = staging / name
        if target.exists():
            continue
        top = name.split("/")[0]
        if top == "distribution":
            # The packs are a release as sent, PDFs included, and their manifest lists every file:
            # only the next `distribute` replaces them.
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            continue
        if path.suffix == ".pdf":
            # A PDF is stale once its DOCX changed; keep it only if the DOCX is byte-identical.
            docx = name[:-4] + ".docx"
            if docx in files and (output / docx).exists() and (output / docx).read_bytes() == files[docx]:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
            continue
        if top == "interpreters":
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def _swap(new: Path, output: Path) -> None:
    if not output.exists():
        os.replace(new, output)
        return
    if _exchange(new, output):
        return
    old = output.with_name(f".{output.name}-old-{os.getpid()}")
    os.replace(output, old)
    os.replace(new, output)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


__all__ = ["build", "Memo", "load_translations", "render_all", "write_tree", "BuildResult", "load", "pdf_files"]
