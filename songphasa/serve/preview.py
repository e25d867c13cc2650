"""The translate view's previews: every page of every language, and one page again with a translation as typed.

Rendered by the build's own code (:func:`songphasa.documents.pages.render_page`)
from the files as they are, once per change of the files, each page when it
is first asked for (an open preview asks for one document in each language;
the translate view's lists ask for all); which entry each page uses, and in what
order, is read from the strings each page used. A
translation as a translator types it is put into the language's lookup for
one render of one page, between two private-use characters that become a
``<mark>`` around it; its block in the other language's page — the same
block, since the languages are compared block by block — is marked too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from lxml import html as lxml_html

from .. import parity, write_html
from ..content.event import EventContent
from ..documents.kinds import DocumentKind, per_language
from ..documents.pages import Assets, Page, page_assets, render_page
from ..pipeline import load
from ..session import Session
from .state import files_version

#: Around the typed translation in the lookup; no text of a catalog may hold them (private use, never typed).
OPEN, CLOSE = "\ue000", "\ue001"
#: Makes the preview show the marked block (the preview runs in a sandboxed frame: it reaches nothing else).
SHOW_MARK = ("<script>addEventListener('load', () => { const mark = document.getElementById('entry');"
             " if (mark) scrollTo(0, mark.getBoundingClientRect().top + scrollY - innerHeight / 3); });</script>")


@dataclass(frozen=True)
class Rendered:
    """The pages of the event as the files hold them (those rendered so far), and which entries each uses."""

    version: str
    content: EventContent
    lookups: dict
    assets: Assets
    kinds: tuple[DocumentKind, ...]
    pages: dict[tuple[str, str], Page]  # filled as pages are asked for (under the Previews' mutex)

    def uses(self, lang: str) -> dict[str, list[tuple[str | None, str]]]:
        """Each document's entries in a language, in the order its page uses them first."""
        found: dict[str, list[tuple[str | None, str]]] = {}
        for kind in self.kinds:
            page = self.pages.get((kind.name, lang))
            if page is None:
                continue
            seen: dict[tuple[str | None, str], None] = {}
            for segment in page.segments:
                source = segment.source if isinstance(segment.source, str) else segment.source[0]
                seen.setdefault((segment.context, source), None)
            found[kind.name] = list(seen)
        return found


class Previews:
    """The pages of the event, rendered again when the files changed; one page with a typed translation."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._mutex = threading.Lock()
        self._rendered: Rendered | None = None

    def rendered(self) -> Rendered:
        """Every page as the files hold them now (rendered again only when they changed)."""
        rendered = self.current()
        with self._mutex:
            for kind in rendered.kinds:
                for lang in rendered.content.languages:
                    self._page(rendered, kind, lang)
            return rendered

    def page(self, document: str, lang: str) -> bytes | None:
        """A page's HTML as the files have it; None for a document or language the event does not make."""
        rendered = self.current()
        kind = next((k for k in rendered.kinds if k.name == document), None)
        if kind is None or lang not in rendered.content.languages:
            return None
        with self._mutex:
            return _with_script(self._page(rendered, kind, lang).tree)

    def current(self) -> Rendered:
        """The content and catalogs as the files hold them now, read again only when they changed.

        Reading them compiles the catalogs (.mo): a write, made under the project's lock as every write is
        (the session's own lock, shared with the hub: taken first, then the mutex, never the other way round).
        """
        project = self.session.project
        rendered = self._rendered
        if rendered is not None and rendered.version == files_version(project, every_content_file=True):
            return rendered
        with self.session.lock(), self._mutex:
            version = files_version(project, every_content_file=True)
            if self._rendered is None or self._rendered.version != version:
                content, translations = load(project, parses=self.session.parses)
                self._rendered = Rendered(version, content, dict(translations.lookups),
                                          page_assets(project, content), per_language(content), {})
            return self._rendered

    def _page(self, rendered: Rendered, kind: DocumentKind, lang: str) -> Page:
        """One page, rendered the first time it is asked for in this version of the files (mutex held)."""
        page = rendered.pages.get((kind.name, lang))
        if page is None:
            page = render_page(self.session.environment(), rendered.content, rendered.lookups, kind, lang,
                               assets=rendered.assets, markdown=self.session.markdown)
            rendered.pages[(kind.name, lang)] = page
        return page

    def pair(self, document: str, source: str, lang: str, entry: tuple[str | None, str],
             typed: str | None) -> tuple[bytes, bytes] | None:
        """A page in the source language and in ``lang``, the entry's block marked in both (one render).

        ``typed``: the entry's translation as a translator types it (None: as the files have it).
        """
        rendered = self.current()
        with self._mutex:  # one page renders at a time: the environment holds the language being rendered
            kind = next((k for k in rendered.kinds if k.name == document), None)
            if kind is None or not {source, lang} <= set(rendered.content.languages):
                return None
            tree = self._render(rendered, kind, lang, entry, typed).tree
            other = _copy(self._page(rendered, kind, source).tree)
        index = _marked_index(tree)
        if index is not None:
            _mark_block(tree, index)
            _mark_block(other, index)
        _replace_markers(tree)
        return _with_script(other), _with_script(tree)

    def _render(self, rendered: Rendered, kind: DocumentKind, lang: str, entry: tuple[str | None, str],
                typed: str | None) -> Page:
        lookups = dict(rendered.lookups)
        lookup = dict(lookups.get(lang, {}))
        said = typed if typed is not None else lookup.get(entry)
        if said:
            lookup[entry] = OPEN + said.replace(OPEN, "").replace(CLOSE, "") + CLOSE
        lookups[lang] = lookup
        return render_page(self.session.environment(), rendered.content, lookups, kind, lang, assets=rendered.assets,
                           markdown=self.session.markdown)


def _copy(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(write_html.page_bytes(tree))


def _marked_index(tree: lxml_html.HtmlElement) -> int | None:
    """The index of the innermost block holding the marked translation, among the blocks the languages share."""
    blocks = parity.structure(write_html.article_of(tree))
    found = None
    for index, block in enumerate(blocks):
        if OPEN in block.element.text_content():
            found = index  # the blocks come outermost first: the last one holding it is the innermost
    return found


def _mark_block(tree: lxml_html.HtmlElement, index: int) -> None:
    blocks = parity.structure(write_html.article_of(tree))
    if index < len(blocks):
        element = blocks[index].element
        element.set("class", (element.get("class", "") + " songphasa-entry").strip())
        element.set("id", "entry")


def _replace_markers(tree: lxml_html.HtmlElement) -> None:
    """Turn the private-use markers around the typed translation into a <mark> (or drop them)."""
    for element in tree.iter():
        for attribute in ("text", "tail"):
            value = getattr(element, attribute)
            if value and (OPEN in value or CLOSE in value):
                setattr(element, attribute, value.replace(OPEN, "").replace(CLOSE, ""))


def _with_script(tree: lxml_html.HtmlElement) -> bytes:
    style = b"<style>.songphasa-entry { outline: 3px solid #c77700; background: #fff4dc; }</style>"
    return write_html.page_bytes(tree).replace(b"</body>", style + SHOW_MARK.encode() + b"</body>", 1)
