"""The files of a build, by path inside output/: every page as HTML and DOCX, the bilingual pages, the index.

Every path comes from the document-kind table (``DocumentKind.path``); the
DOCX are made from the very page trees the HTML is written from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from .. import languages
from ..diff import accepted
from ..documents.bilingual import bilingual_pages
from ..documents.calendar import invitations
from ..documents.glossary import glossary_files
from ..documents.index import index_page
from ..documents.kinds import DocumentKind, bilingual, made_by, per_language
from ..documents.pages import Assets, Lookups, Page
from ..content.event import EventContent
from ..render.environment import Environment
from ..write_docx.settings import DocxSettings

#: Makes one DOCX: write_docx.docx_bytes, or a cache in front of it.
MakeDocx = Callable[..., bytes]


def docx_settings(content: EventContent, lang: str, title: str, kind: DocumentKind | None = None, *,
                  printed: bool = False) -> DocxSettings:
    """Describe a DOCX's fonts, page and properties from the event, never the clock.

    ``printed``: the DOCX a PDF is made from, in each language's print font (see print_font).
    """
    settings = content.event.settings
    organizer = content.organizations[content.event.organizer]
    created = dt.datetime.combine(content.event.date, dt.time(0, 0), tzinfo=ZoneInfo(content.event.timezone))
    fonts = {code: print_font(content, code) if printed else settings.font_for(code) for code in content.languages}
    latin = languages.language_for_script(languages.LATIN, content.languages)
    # The organizer is the secretariat: the author of the documents and of their tracked changes.
    return DocxSettings(language=lang, latin_font=settings.font_for(latin),
                        fonts=tuple(sorted(fonts.items())), languages=content.languages,
                        title=title, subject=content.event.short_title.source, author=organizer.name.source,
                        reviser=organizer.name.source,
                        created=created.astimezone(dt.timezone.utc).replace(tzinfo=None),
                        landscape=kind.landscape if kind else False, paper=kind.paper if kind else "A4",
                        compact=kind.compact if kind else False)


def print_font(content: EventContent, code: str) -> str:
    """The font a language's PDFs are set in: the language table's print font where the event uses its Word font."""
    named, language = content.event.settings.font_for(code), languages.get(code)
    return language.print_font if language.print_font and named == language.word_font else named


#: Beside the PDF of a document with marked changes: the same document with the changes marked, for reviewers.
CHANGES_MARKED = "-changes"


def print_docx(content: EventContent, page: Page, path: str, make_docx: MakeDocx, reference: Path,
               kind: DocumentKind | None = None, *, marked: bool = True) -> dict[str, bytes]:
    """Make the DOCX a page's PDF is made from, by name: the decided text in the print fonts.

    Readers of a PDF get the text as decided; the DOCX keeps Word's tracked changes for editing. A page
    with changes also gets ``<path>-changes`` (``marked``), its changes shown as Word shows them.
    """
    settings = docx_settings(content, page.lang, page.title, kind, printed=True)
    final = accepted(page.article)
    made = {f"{path}.docx": make_docx(final, reference=reference, settings=settings)}
    if marked and final is not page.article:
        made[f"{path}{CHANGES_MARKED}.docx"] = make_docx(page.article, reference=reference, settings=settings)
    return made


def pack_documents(content: EventContent, pages: Mapping[tuple[str, str], Page]) -> tuple[str, ...]:
    """The documents whose text the interpreters' pack holds: the table's choice, among those rendered."""
    made = {name for name, _ in pages}
    return tuple(k.name for k in per_language(content) if k.interpreters and k.name in made)


def build_files(env: Environment, content: EventContent, lookups: Lookups, pages: Mapping[tuple[str, str], Page],
                formats: tuple[str, ...], *, assets: Assets, reference: Path, make_docx: MakeDocx,
                distributed: set[str], printed: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Make the bytes of every output file of a build, keyed by path inside output/.

    ``distributed``: the files of output/distribution/ an earlier `distribute` made (the index links them).
    ``printed``: with "pdf" in formats, receives the DOCX each PDF is made from (print_docx), by the PDF's name.
    """
    kinds = {kind.name: kind for kind in per_language(content)}
    files: dict[str, bytes] = {}
    printed = printed if printed is not None else {}

    def add(path: str, tree: lxml_html.HtmlElement, page: Page, kind: DocumentKind) -> None:
        if "html" in formats:
            files[f"{path}.html"] = page.html
        if "docx" in formats:
            files[f"{path}.docx"] = make_docx(page.article, reference=reference,
                                              settings=docx_settings(content, page.lang, page.title, kind))
        if "pdf" in formats:  # the interpreters' pack needs no second copy with the changes marked
            printed.update(print_docx(content, page, path, make_docx, reference, kind, marked=not kind.bilingual))

    for (document, lang), page in pages.items():
        add(kinds[document].path(lang=lang), page.tree, page, kinds[document])
    for kind in bilingual(content):
        made = bilingual_pages(env, content, lookups, kind, pages, pack_documents(content, pages), assets)
        for index, page in enumerate(made):
            add(kind.path(suffix="" if index == 0 else f"-{page.target}"), page.tree, page, kind)
        if kind.glossary:
            files |= {f"{kind.folder}{name}": data for name, data in glossary_files(content).items()}
    for kind in made_by(content, "calendar"):
        files.update(invitations(content, lookups, kind.path()))
    present = set(files) | distributed
    if "pdf" in formats:
        present |= {name[: -len(".docx")] + ".pdf" for name in printed}
    files["index.html"] = index_page(env, content, pages, present, lookups, assets)
    return files
