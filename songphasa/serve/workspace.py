"""The translate view: one language's catalog beside the pages it lands on, saved entry by entry.

Its routes, added to the session's application: the page (a translator's
link), its fragments (the entry editor; the checks' findings and both
previews as the translator types), the API (``GET /api/catalogs/LANG``,
``PUT /api/catalogs/LANG/entries/KEY``) and the previews' pages.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..checks.event import CatalogChecker
from ..diff import word_diff
from ..errors import SongphasaError
from . import views
from .access import Role
from .catalogs import CatalogEntry, find, read_entries, save_entry
from .hub import Hub
from .preview import Previews
from .state import Refused

Guard = Callable[[Callable[[Request, Role], Awaitable[Response]]], Callable[[Request], Awaitable[Response]]]
#: Entries that are on no page (the letters' strings, the interpreters' pack, a string no template uses).
NO_PAGE = ""
#: How many entries of a document the list shows at first, and then each time the reader scrolls to its end: a
#: catalog of thousands of entries opens at once (bench/serve.py).
SHOWN = 100


@dataclass(frozen=True)
class Group:
    """One document's entries in a language, in the order its page uses them, with their counts."""

    document: str
    entries: list[CatalogEntry]

    def count(self, state: str) -> int:
        return sum(1 for e in self.entries if e.state == state)


def groups(previews: Previews, entries: list[CatalogEntry], lang: str, *, todo_first: bool = False) -> list[Group]:
    """The entries grouped by document in page order (the first document to use an entry has it), the rest last."""
    by_id = {(e.context, e.msgid): e for e in entries}
    placed: set[str] = set()
    found = []
    for document, used in previews.rendered().uses(lang).items():
        mine = [by_id[key] for key in used if key in by_id and by_id[key].key not in placed]
        placed.update(e.key for e in mine)
        if mine:
            found.append(Group(document, mine))
    rest = [e for e in entries if e.key not in placed]
    if rest:
        found.append(Group(NO_PAGE, rest))
    if todo_first:
        rank = {"untranslated": 0, "fuzzy": 1, "translated": 2}
        found = [Group(g.document, sorted(g.entries, key=lambda e: rank[e.state])) for g in found]
    return found


def document_of(previews: Previews, entry: CatalogEntry, lang: str) -> str | None:
    """The first document whose page in a language uses an entry."""
    return next((doc for doc, used in previews.rendered().uses(lang).items() if (entry.context, entry.msgid) in used),
                None)


def suggestions(entries: list[CatalogEntry], entry: CatalogEntry, limit: int = 3) -> list[tuple[int, CatalogEntry]]:
    """Translated entries whose English is close to this one's (the catalog as its own memory), closest first."""
    done = [e for e in entries if e.state == "translated" and e.key != entry.key]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(entry.msgid)
    found = []
    for other in done:
        matcher.set_seq1(other.msgid)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            ratio = matcher.ratio()
            if ratio >= 0.6:
                found.append((round(100 * ratio), other))
    return sorted(found, key=lambda f: -f[0])[:limit]


def json_body(origin_ok: Callable[[Request], bool],
              read_body: Callable[[Request], Awaitable[bytes]]) -> Callable[[Request, str], Awaitable[Any]]:
    """How a write's JSON body is read, from this server's own pages only."""
    async def written(request: Request, shape: str) -> Any:
        """A write's JSON body; ``shape`` says what to send, in a refusal."""
        if not origin_ok(request):
            raise Refused("A write must come from this server's own pages (the Origin of the request is another "
                          "site).", 403)
        data = await read_body(request)
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise Refused(f"The body is not JSON: send {shape}.") from None
    return written


def routes(hub: Hub, reading: Guard, written: Callable[[Request, str], Awaitable[Any]], fonts: Markup) -> list[Route]:
    """The translate view's routes over a session's hub (its lock and project).

    ``reading``: the application's guard (a valid token, refusals as plain answers); ``origin_ok``: whether a
    write comes from the server's own pages; ``read_body``: the bounded body reader; ``fonts``: the pages' font rules.
    """
    previews = hub.previews

    def translator(lang: str, role: Role) -> None:
        if role.catalog != lang:
            raise Refused(f"This link cannot write the '{lang[:20]}' catalog: use the translator's link of that "
                          "language.", 403)

    def target(request: Request) -> str:
        lang = request.path_params["lang"]
        if lang not in hub.state.languages[1:]:
            raise Refused(f"'{lang[:20]}' is not a language this event translates into: "
                          f"{', '.join(hub.state.languages[1:])}.", 404)
        return lang

    def editor_context(lang: str, key: str) -> dict[str, Any]:
        catalog, entries = read_entries(hub.session.project, lang)
        entry = next((e for e in entries if e.key == key), None)
        message = find(catalog, key)
        if entry is None or message is None:
            raise Refused("There is no such entry (its English may have changed): reload the page.", 404)
        content = previews.current().content
        checker = CatalogChecker(content, lang)
        source = hub.state.source_language
        return {"entry": entry, "lang": lang, "source": source, "ui": lang,
                "glossary": checker.glossary_of(message), "findings": checker.findings(message),
                "suggestions": suggestions(entries, entry),
                "previous": word_diff(entry.previous, entry.msgid, source) if entry.previous else None,
                "document": document_of(previews, entry, lang), "state": hub.state}

    async def page(request: Request, role: Role) -> Response:
        lang = target(request)
        todo_first = request.query_params.get("todo") == "1"
        _, entries = await run_in_threadpool(read_entries, hub.session.project, lang)
        grouped = await run_in_threadpool(groups, previews, entries, lang, todo_first=todo_first)
        html = views.render("translate.html", state=hub.state, kind="translate", ui=lang, lang=lang, token=role.token,
                            fragment=f"/fragments/translate/{lang}/list" + ("?todo=1" if todo_first else ""),
                            seen=hub.latest.id, fonts=fonts, groups=grouped, todo_first=todo_first,
                            writes=role.catalog == lang, shown=SHOWN)
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    async def entry_list(request: Request, role: Role) -> Response:
        lang = target(request)
        todo_first = request.query_params.get("todo") == "1"
        _, entries = await run_in_threadpool(read_entries, hub.session.project, lang)
        grouped = await run_in_threadpool(groups, previews, entries, lang, todo_first=todo_first)
        return HTMLResponse(views.render("translate_list.html", state=hub.state, ui=lang, lang=lang, groups=grouped,
                                         shown=SHOWN, todo_first=todo_first))

    async def more_entries(request: Request, role: Role) -> Response:
        """A document's entries after the first ones listed (``?document=…&from=N``), as the reader scrolls."""
        lang = target(request)
        todo_first = request.query_params.get("todo") == "1"
        document = request.query_params.get("document", NO_PAGE)
        try:
            start = max(0, int(request.query_params.get("from", "0")))
        except ValueError:
            raise Refused("from is the number of entries listed already.") from None
        _, entries = await run_in_threadpool(read_entries, hub.session.project, lang)
        grouped = await run_in_threadpool(groups, previews, entries, lang, todo_first=todo_first)
        group = next((g for g in grouped if g.document == document), None)
        if group is None:
            raise Refused("There is no such document in this catalog's list: reload the page.", 404)
        end = start + SHOWN
        return HTMLResponse(views.render("translate_items.html", state=hub.state, ui=lang, lang=lang,
                                         items=group.entries[start:end], document=document, todo_first=todo_first,
                                         more=end if len(group.entries) > end else None))

    async def editor(request: Request, role: Role) -> Response:
        lang = target(request)
        context = await run_in_threadpool(editor_context, lang, request.path_params["key"])
        return HTMLResponse(views.render("translate_entry.html", **context, writes=role.catalog == lang))

    async def live(request: Request, role: Role) -> Response:
        """The checks' findings and both previews of the translation as typed (not saved)."""
        lang = target(request)
        form = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
        typed = [value for name, values in sorted(form.items()) if name.startswith("msgstr") for value in values]
        key = request.path_params["key"]

        def work() -> str:
            catalog, entries = read_entries(hub.session.project, lang)
            message = find(catalog, key)
            if message is None:
                raise Refused("There is no such entry (its English may have changed): reload the page.", 404)
            findings = CatalogChecker(previews.current().content, lang).findings(message, typed)
            entry = next(e for e in entries if e.key == key)
            document = document_of(previews, entry, lang)
            frames = {}
            # A translation the checks refuse (a broken placeholder) is not put into a page: the saved one is shown.
            shown = typed[0] if typed and not any(f.severity == "error" for f in findings) else None
            if document is not None:
                said = (entry.context, entry.msgid)
                source = hub.state.source_language
                try:
                    pair = previews.pair(document, source, lang, said, shown)
                except SongphasaError:  # the page cannot be made with it: the findings say why
                    pair = None
                frames = dict(zip((source, lang), pair)) if pair else {}
            return views.render("translate_live.html", state=hub.state, ui=lang, lang=lang, findings=findings,
                                frames={code: Markup.escape(html.decode("utf-8")) for code, html in frames.items()
                                        if html is not None}, document=document)
        return HTMLResponse(await run_in_threadpool(work))

    async def api_catalog(request: Request, role: Role) -> Response:
        lang = target(request)
        _, entries = await run_in_threadpool(read_entries, hub.session.project, lang)
        grouped = await run_in_threadpool(groups, previews, entries, lang)
        return JSONResponse({"language": lang, "entries": [e.as_json() for e in entries],
                             "documents": [{"document": g.document or None, "keys": [e.key for e in g.entries]}
                                           for g in grouped]})

    async def api_save(request: Request, role: Role) -> Response:
        lang = target(request)
        translator(lang, role)
        body = await written(request, '{"msgstr": "…", "fuzzy": false, "version": "…"}')

        def work() -> CatalogEntry:
            with hub.lock():
                content = previews.current().content
                try:
                    return save_entry(hub.session.project, content, lang, request.path_params["key"], body)
                except OSError as exc:
                    raise Refused(f"The translation could not be written ({exc.strerror or type(exc).__name__}): "
                                  "nothing was changed. Check that the disk has space and the folder is "
                                  "writable.", 500) from None
                except SongphasaError as exc:
                    raise Refused(" ".join(str(p) for p in exc.problems)) from None
        saved = await run_in_threadpool(work)
        await run_in_threadpool(hub.refresh)  # the decision views show a translation confirmed here at once
        return JSONResponse(saved.as_json())

    return [
        Route("/translate/{lang}", reading(page)),
        Route("/fragments/translate/{lang}/list", reading(entry_list)),
        Route("/fragments/translate/{lang}/entries", reading(more_entries)),
        Route("/fragments/translate/{lang}/entry/{key}", reading(editor)),
        Route("/fragments/translate/{lang}/live/{key}", reading(live), methods=["POST"]),
        Route("/api/catalogs/{lang}", reading(api_catalog)),
        Route("/api/catalogs/{lang}/entries/{key}", reading(api_save), methods=["PUT"]),
    ]

