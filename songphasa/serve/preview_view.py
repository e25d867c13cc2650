"""The Preview view: every document of the event in every language, as the files hold them now.

Its routes, added to the session's application: the page (``/preview``, the
organizer's and the translators' links open it), its fragment (the table of
documents with what is left untranslated in each) and each page
(``/preview/LANG/DOCUMENT``). The pages are rendered by the build's own code
(:class:`songphasa.serve.preview.Previews`); a string with no translation is
shown in the source language inside the build's one marker,
``<span class="needs-translation" lang="…">``. When any file a page is made from
changes — saved here, by an editor, by `git pull` — the hub tells a ``files``
event and the open page fetches its frames and counts again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..documents.pages import Page
from . import views
from .access import Role
from .hub import Hub
from .preview import Rendered
from .state import Refused

Guard = Callable[[Callable[[Request, Role], Awaitable[Response]]], Callable[[Request], Awaitable[Response]]]
#: Keeps a page's place when it is fetched again: it tells the Preview view how far it is scrolled, and scrolls
#: back there when its address says (``#y=…``). It runs in a sandboxed frame: it reaches nothing else.
KEEP_PLACE = ("<script>(() => { const at = /^#y=(\\d+)$/.exec(location.hash);"
              " if (at) addEventListener('load', () => scrollTo(0, +at[1]));"
              " let told = null; addEventListener('scroll', () => { clearTimeout(told);"
              " told = setTimeout(() => parent.postMessage({songphasaScroll: Math.round(scrollY)}, '*'), 100); });"
              " })();</script>")


@dataclass(frozen=True)
class Row:
    """One document: its title, and in each language how many strings it shows untranslated (None: the source)."""

    document: str
    title: str
    untranslated: dict[str, int | None]


def untranslated(page: Page) -> int:
    """How many different strings a page shows in the source language because they have no translation."""
    return len({(s.context, s.source if isinstance(s.source, str) else s.source[0]) for s in page.missing})


def rows(rendered: Rendered, source: str) -> list[Row]:
    """Every document made once per language, in the build's order, with its counts in each language."""
    found = []
    for kind in rendered.kinds:
        pages = {lang: rendered.pages[(kind.name, lang)] for lang in rendered.content.languages
                 if (kind.name, lang) in rendered.pages}
        if not pages:
            continue
        title = pages[source].title if source in pages else kind.name
        found.append(Row(kind.name, title, {lang: None if lang == source else untranslated(page)
                                            for lang, page in pages.items()}))
    return found


def routes(hub: Hub, reading: Guard, fonts: Markup) -> list[Route]:
    """The Preview view's routes over a session's hub (its previews and its files' version).

    ``reading``: the application's guard (a valid token, refusals as plain answers); ``fonts``: the pages' font rules.
    """
    previews = hub.previews

    def allowed(role: Role) -> None:
        if not (role.edits or role.catalog):
            raise Refused("The preview is for the organizer and the translators: open it from their links.", 403)

    def context(request: Request, role: Role) -> dict[str, Any]:
        source = hub.state.source_language
        rendered = previews.rendered()
        found = rows(rendered, source)
        names = [row.document for row in found]
        asked = request.query_params.get("document", "")
        document = asked if asked in names else (names[0] if names else "")
        ui = role.catalog or source
        return {"state": hub.state, "ui": ui, "token": role.token, "rows": found, "document": document,
                "languages": hub.state.languages, "source": source, "files": rendered.version,
                "back": f"/translate/{role.catalog}" if role.catalog else "/edit/event"}

    async def page(request: Request, role: Role) -> Response:
        allowed(role)
        said = await run_in_threadpool(context, request, role)
        html = views.render("preview.html", kind="preview", fragment="", seen=hub.latest.id, fonts=fonts, **said)
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    async def table(request: Request, role: Role) -> Response:
        allowed(role)
        said = await run_in_threadpool(context, request, role)
        return HTMLResponse(views.render("preview_table.html", **said), headers={"Cache-Control": "no-store"})

    async def document_page(request: Request, role: Role) -> Response:
        allowed(role)
        html = await run_in_threadpool(previews.page, request.path_params["document"], request.path_params["lang"])
        if html is None:
            return PlainTextResponse("There is no such page: the documents are listed on the preview's page.",
                                     status_code=404)
        return HTMLResponse(html.replace(b"</body>", KEEP_PLACE.encode() + b"</body>", 1),
                            headers={"Content-Security-Policy": "sandbox allow-scripts", "Cache-Control": "no-store",
                                     "Referrer-Policy": "no-referrer"})

    return [
        Route("/preview", reading(page)),
        Route("/fragments/preview", reading(table)),
        Route("/preview/{lang}/{document}", reading(document_page)),
    ]
