"""The decision session's web application (Starlette): the API, the pages, their fragments and files.

A list of routes and plain async functions, as Starlette's own examples
are. Every answer to a mistake is a plain sentence with its 4xx status,
never a traceback; a decision is written by `decide`'s code, under the
project's lock, in a worker thread, and told to every viewer only once it
is on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import watchfiles
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..content.load import load_event
from ..project import BUILTIN_TEMPLATES, Project
from ..watch import InputFilter
from . import labels, organizer, preview_view, views, workspace
from .access import Access, Role
from .hub import Hub
from .state import Refused, decision_shape

#: The most a request body may have: a decision is a few KiB at most.
MAX_BODY = 64 * 1024
#: A comment line every so often keeps an idle stream open through proxies and tells a dead viewer.
KEEP_ALIVE = 15.0
STATIC = resources.files("songphasa.serve") / "static"
STATIC_TYPES = {"htmx.min.js": "text/javascript", "live.js": "text/javascript", "translate.js": "text/javascript",
                "edit.js": "text/javascript", "preview.js": "text/javascript",
                "serve.css": "text/css",
                "htmx.LICENSE.txt": "text/plain"}

Handler = Callable[[Request], Awaitable[Response]]


class HostCheck:
    """Refuse a request whose Host header does not name this server (DNS rebinding), before any route."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.access.host_allowed(Request(scope)):
            response = PlainTextResponse("This server answers only to the addresses it printed; open one of its "
                                         "links as printed.", status_code=400)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(root: Path, access: Access, *, hub: Hub | None = None, watch: bool = True,
               links: Sequence[tuple[Role, str]] | None = None) -> Starlette:
    """Make the application over one event project; ``watch``: hear edits made on disk (`decide`, an editor).

    ``links``: the links the server printed, shown (with QR codes) on the secretariat's page; by default
    made from the address the secretariat's browser used.
    """
    project = Project.at(root)
    hub = hub or Hub(project.root)
    settings = load_event(project.root).event.settings
    fonts = views.fonts_css({lang: settings.font_for(lang) for lang in settings.all_languages})
    font_files = views.web_font_files(settings.all_languages)

    def reading(handler: Callable[[Request, Role], Awaitable[Response]]) -> Handler:
        async def checked(request: Request) -> Response:
            role = access.role(request)
            if role is None:
                return PlainTextResponse("This needs the token of one of the links the server printed "
                                         "(Authorization: Bearer TOKEN, or ?token=TOKEN).", status_code=403)
            try:
                return await handler(request, role)
            except Refused as exc:
                if exc.status == 409:
                    return JSONResponse({"error": str(exc), **exc.detail}, status_code=409)
                return PlainTextResponse(str(exc), status_code=exc.status)
        return checked

    def writing(handler: Callable[[Request, Role], Awaitable[Response]]) -> Handler:
        async def checked(request: Request, role: Role) -> Response:
            if not role.writes:
                return PlainTextResponse("This link can only read: record decisions with the secretariat's link.",
                                         status_code=403)
            if not access.origin_allowed(request):
                return PlainTextResponse("A write must come from this server's own pages (the Origin of the request "
                                         "is another site).", status_code=403)
            return await handler(request, role)
        return reading(checked)

    # --- the API ---

    async def api_state(request: Request, role: Role) -> Response:
        return JSONResponse({**hub.state.as_json(), "current": hub.current})

    async def api_decide(request: Request, role: Role) -> Response:
        body = await read_json(request, hub.state.languages)
        state = await run_in_threadpool(hub.decide, request.path_params["rec"], body)
        return JSONResponse({**state.as_json(), "current": hub.current})

    async def api_undo(request: Request, role: Role) -> Response:
        state = await run_in_threadpool(hub.undo)
        return JSONResponse({**state.as_json(), "current": hub.current})

    async def api_summary(request: Request, role: Role) -> Response:
        started = time.perf_counter()
        result = await run_in_threadpool(lambda: hub.summary(pdf=request.query_params.get("pdf") == "1"))
        files = [path.relative_to(result.output).as_posix() for path in result.files]
        return JSONResponse({"documents": result.documents, "files": files,
                             "seconds": round(time.perf_counter() - started, 1),
                             "warnings": [str(w) for w in result.warnings]})

    async def api_current(request: Request, role: Role) -> Response:
        hub.show(request.path_params["rec"])
        return JSONResponse({"current": hub.current})

    async def api_events(request: Request, role: Role) -> Response:
        last = request.headers.get("last-event-id") or request.query_params.get("since") or None
        once = request.query_params.get("catch_up") == "1"
        return StreamingResponse(events(hub, last, once=once), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    # --- the pages and their fragments ---

    def page(template: str, kind: str, fragment: str, role: Role, context: dict[str, Any]) -> Response:
        html = views.render(template, kind=kind, fragment=fragment, token=role.token, seen=hub.latest.id, fonts=fonts,
                            **context)
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    def page_language(request: Request) -> str:
        """The secretariat's page language (?ui=, one the pages speak), else the event's source language."""
        asked = request.query_params.get("ui", "")
        return asked if asked in labels.shipped() else hub.state.source_language

    async def secretariat(request: Request, role: Role) -> Response:
        if not role.writes:
            return PlainTextResponse("This link can only read: the secretariat's page needs its own link.",
                                     status_code=403)
        latest = hub.latest
        ui = page_language(request)
        base = str(request.base_url).rstrip("/")
        shown = links or [(r, f"{base}{r.path}?token={r.token}") for r in access.roles]
        room = [(r.name, link, views.qr_code(link, f"QR code of the {r.name} link")) for r, link in shown
                if not r.writes and r.catalog is None and not r.edits]
        spoken = [code for code in labels.shipped() if code in latest.state.languages] or [labels.WRITTEN_IN]
        page_links = [(code, f"/secretariat?{urlencode({'token': role.token, 'ui': code})}") for code in spoken]
        entries, problems = hub.log()
        return page("secretariat.html", "secretariat", f"/fragments/secretariat?ui={ui}", role,
                    {**views.secretariat_context(latest.state, latest.current, ui), "room": room,
                     "page_links": page_links, "log": views.log_rows(entries), "log_problems": problems})

    async def projector(request: Request, role: Role) -> Response:
        lang = request.query_params.get("lang")
        latest = hub.latest
        if lang is not None and lang not in latest.state.languages:
            return PlainTextResponse(f"lang must be one of {', '.join(latest.state.languages)}.", status_code=400)
        return page("projector.html", "projector", "/fragments/projector" + (f"?lang={lang}" if lang else ""), role,
                    views.projector_context(latest.state, latest.current, lang))

    async def booth(request: Request, role: Role) -> Response:
        lang = request.path_params["lang"]
        latest = hub.latest
        if lang not in latest.state.languages:
            return PlainTextResponse(f"There is no booth '{lang[:20]}': the booths are "
                                     f"{', '.join(latest.state.languages)}.", status_code=404)
        return page("booth.html", "booth", f"/fragments/booth/{lang}", role,
                    views.booth_context(latest.state, latest.current, lang, None))

    async def fragment_secretariat(request: Request, role: Role) -> Response:
        latest = hub.latest
        return HTMLResponse(views.secretariat(latest.state, latest.current, page_language(request)))

    async def fragment_log(request: Request, role: Role) -> Response:
        entries, problems = hub.log()
        return HTMLResponse(views.render("log_view.html", state=hub.state, ui=page_language(request), token=role.token,
                                         log=views.log_rows(entries), log_problems=problems))

    async def fragment_projector(request: Request, role: Role) -> Response:
        latest = hub.latest
        return HTMLResponse(views.projector(latest.state, latest.current, request.query_params.get("lang")))

    async def fragment_booth(request: Request, role: Role) -> Response:
        lang = request.path_params["lang"]
        latest = hub.latest
        if lang not in latest.state.languages:
            return PlainTextResponse(f"There is no booth '{lang[:20]}'.", status_code=404)
        before = hub.change(request.query_params.get("since"))
        return HTMLResponse(views.booth(latest.state, latest.current, lang, before.state if before else None))

    async def fragment_diff(request: Request, role: Role) -> Response:
        rec = hub.state.find(request.path_params["rec"])
        if rec is None:
            return PlainTextResponse("There is no such recommendation.", status_code=400)
        body = await read_body(request)
        form = {key: values[-1] for key, values in _form(body).items()}
        given = {lang: form.get(f"text-{lang}", "") for lang in hub.state.languages}
        return HTMLResponse(views.diffs_of(rec, given, ui=page_language(request)))

    # --- the decision log, for the minutes ---

    async def api_log(request: Request, role: Role) -> Response:
        entries, problems = hub.log()
        return JSONResponse({"entries": [asdict(e) for e in entries], "problems": problems})

    async def api_log_csv(request: Request, role: Role) -> Response:
        entries, _ = hub.log()
        return Response(views.log_csv(entries, hub.state.languages), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="decision-log.csv"'})

    # --- files ---

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_TYPES:
            return PlainTextResponse("No such file.", status_code=404)
        return Response((STATIC / name).read_bytes(), media_type=STATIC_TYPES[name],
                        headers={"Cache-Control": "no-cache"})

    async def font(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in font_files:
            return PlainTextResponse("No such font.", status_code=404)
        return Response((BUILTIN_TEMPLATES / "fonts" / name).read_bytes(), media_type="font/ttf",
                        headers={"Cache-Control": "max-age=86400"})

    async def home(request: Request) -> Response:
        return PlainTextResponse("Songphasa's decision session: open one of the links the server printed "
                                 "(secretariat, projector, booth …).")

    written = workspace.json_body(access.origin_allowed, read_body)
    routes = [
        *workspace.routes(hub, reading, written, fonts),
        *organizer.routes(hub, reading, written, fonts),
        *preview_view.routes(hub, reading, fonts),
        Route("/", home),
        Route("/api/state", reading(api_state)),
        Route("/api/decisions/{rec}", writing(api_decide), methods=["POST"]),
        Route("/api/current/{rec}", writing(api_current), methods=["POST"]),
        Route("/api/undo", writing(api_undo), methods=["POST"]),
        Route("/api/summary", writing(api_summary), methods=["POST"]),
        Route("/api/events", reading(api_events)),
        Route("/secretariat", reading(secretariat)),
        Route("/projector", reading(projector)),
        Route("/booth/{lang}", reading(booth)),
        Route("/api/log", reading(api_log)),
        Route("/api/log.csv", reading(api_log_csv)),
        Route("/fragments/secretariat", reading(fragment_secretariat)),
        Route("/fragments/log", reading(fragment_log)),
        Route("/fragments/projector", reading(fragment_projector)),
        Route("/fragments/booth/{lang}", reading(fragment_booth)),
        Route("/fragments/diff/{rec}", writing(fragment_diff), methods=["POST"]),
        Route("/static/fonts/{name}", font),
        Route("/static/{name}", static),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(hear_edits(hub, project, stop)) if watch else None
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: plain_error})
    app.add_middleware(HostCheck, access=access)
    return app


async def plain_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such page, wrong method) as a plain sentence."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    said = {404: "There is no such page: open one of the links the server printed.",
            405: "This address does not take this method."}.get(status, "The request cannot be answered.")
    return PlainTextResponse(said, status_code=status)


async def read_body(request: Request) -> bytes:
    """Read a request's body, refusing one over :data:`MAX_BODY` (413) before reading it all."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise Refused(f"The request is too large: a decision may have {MAX_BODY // 1024} KiB.", 413)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise Refused(f"The request is too large: a decision may have {MAX_BODY // 1024} KiB.", 413)
    return bytes(data)


async def read_json(request: Request, languages: tuple[str, ...]) -> Any:
    """Read a request's body as JSON, or say plainly why it is not (a decision's shape in the event's languages)."""
    data = await read_body(request)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused(f"The body is not JSON: send {decision_shape(languages)}.") from None


def _form(body: bytes) -> dict[str, list[str]]:
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}


async def events(hub: Hub, last: str | None, *, once: bool = False) -> AsyncIterator[bytes]:
    """The Server-Sent Events of one viewer: what it missed since ``last``, then every change as it comes."""
    listener = hub.listen()  # before the catch-up: nothing published in between is lost
    try:
        yield b"retry: 1000\n\n"
        caught_up = hub.since(last)
        for change in caught_up:
            yield change.message
        if once:
            return
        queue = listener[1]
        done = max((c.number for c in caught_up), default=0)
        while True:
            try:
                change = await asyncio.wait_for(queue.get(), KEEP_ALIVE)
            except TimeoutError:
                yield b": still here\n\n"
                continue
            if change.number > done:  # what the catch-up sent already may have been heard meanwhile too
                yield change.message
    finally:
        hub.unlisten(listener)


async def hear_edits(hub: Hub, project: Project, stop: asyncio.Event) -> None:
    """Read the files again whenever content/ or locales/ change on disk, and tell the viewers (watchfiles)."""
    # The project's own templates too: the previews are made from them.
    folders = [folder for folder in (project.content, project.locales, project.root / "templates") if folder.is_dir()]
    async for _ in watchfiles.awatch(*folders, watch_filter=InputFilter(), stop_event=stop, step=20,
                                     rust_timeout=500):
        await run_in_threadpool(hub.refresh)
