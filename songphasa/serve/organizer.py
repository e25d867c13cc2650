"""The organizer's views: the event's files as forms, the agenda as a timetable, the concept note as Markdown.

Routes added to the session's application: ``/edit/FILE`` (the form of a
content file; the agenda's is a timetable, the concept note's a text with
its pages previewed as it is typed), ``GET``/``PUT /api/content/FILE`` (a
field set, an item put into a list or taken out; the concept note's whole
text), ``POST /api/content/agenda/days`` (a new day) and the concept note's
live preview. Every save goes through :mod:`.content_edit`: the file's own
layout kept, the event checked as the build reads it, a stale version a
conflict. Anyone with a link reads; only the organizer's link writes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from lxml import html as lxml_html
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .. import parity, write_html
from ..content.files import CONTENT_FILES, ContentFile
from ..content.load import load_event
from ..documents.kinds import per_language
from ..documents.pages import page_assets, render_page
from ..errors import ContentError, SongphasaError
from ..i18n.translations import load_translations
from . import content_edit, timetable, views
from .access import Role
from .hub import Hub
from .preview import SHOW_MARK
from .state import Refused

Guard = Callable[[Callable[[Request, Role], Awaitable[Response]]], Callable[[Request], Awaitable[Response]]]
#: The document an organizer sees beside a file's form first (they may pick another).
SHOWN_WITH = {"agenda": "agenda", "people": "agenda", "recommendations": "recommendations",
              "participants": "participants"}
#: The most a concept note sent by the form may have.
MAX_PROSE_CHARS = 400_000


def prose_file() -> ContentFile:
    return next(f for f in CONTENT_FILES if f.is_prose)


def routes(hub: Hub, reading: Guard, written: Callable[[Request, str], Awaitable[Any]], fonts: Markup) -> list[Route]:
    """The organizer's routes, reading with any role's link and writing with the organizer's."""
    project = hub.session.project

    def may_write(role: Role) -> None:
        if not role.edits:
            raise Refused("This link cannot change the content: use the organizer's link.", 403)

    async def edit_page(request: Request, role: Role) -> Response:
        key = request.path_params["file"]
        files = [f.key for f in CONTENT_FILES]
        state = hub.state
        kinds = await run_in_threadpool(_documents, hub)
        base: dict[str, Any] = dict(state=state, kind="edit", ui=state.source_language, token=role.token,
                                    fragment="", seen=hub.latest.id, fonts=fonts, writes=role.edits, files=files,
                                    previews=list(state.languages), documents=kinds)
        if key == prose_file().key:
            file = prose_file()
            path = project.root / file.path
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            html = views.render("edit_prose.html", file=file, version=content_edit.version_of(text), text=text,
                                source=state.source_language, preview_document="concept-note", **base)
        else:
            file = content_edit.editable(key)
            text, version = await run_in_threadpool(content_edit.read, project, key)
            _, data = content_edit.round_trip(text, file.path)
            choices = await run_in_threadpool(timetable.choices, project)
            shown = SHOWN_WITH.get(key, "concept-note")
            shown = shown if shown in kinds or not kinds else kinds[0]
            if key == "agenda":
                event_text, _ = await run_in_threadpool(content_edit.read, project, "event")
                event = content_edit.plain(content_edit.round_trip(event_text, "event")[1])
                plain = content_edit.plain(data)
                html = views.render("edit_agenda.html", file=file, version=version, choices=choices,
                                    days=timetable.days(plain, event), preview_document=shown,
                                    chair=str((plain or {}).get("chair") or ""),
                                    event_hours=[str((event or {}).get(k) or "") for k in ("start", "end")], **base)
            else:
                html = views.render("edit.html", file=file, version=version, choices=choices,
                                    fields=content_edit.form_fields(key, data), preview_document=shown, **base)
        return HTMLResponse(html, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    async def api_content(request: Request, role: Role) -> Response:
        key = request.path_params["file"]
        if key == prose_file().key:
            path = project.root / prose_file().path
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            return JSONResponse({"file": prose_file().path, "text": text, "version": content_edit.version_of(text)})
        file = content_edit.editable(key)
        text, version = await run_in_threadpool(content_edit.read, project, key)
        _, data = content_edit.round_trip(text, file.path)
        return JSONResponse({"file": file.path, "data": content_edit.plain(data), "version": version})

    async def locked(work: Callable[[], Any]) -> Any:
        def run() -> Any:
            with hub.lock():
                try:
                    return work()
                except OSError as exc:
                    raise Refused(f"The file could not be written ({exc.strerror or type(exc).__name__}): nothing "
                                  "was changed.", 500) from None
        done = await run_in_threadpool(run)
        await run_in_threadpool(hub.refresh)
        return done

    async def api_content_save(request: Request, role: Role) -> Response:
        may_write(role)
        key = request.path_params["file"]
        if key == prose_file().key:
            body = await written(request, '{"text": "…", "version": "…"}')
            version = await locked(lambda: save_prose(hub, body))
            return JSONResponse({"version": version, "changed": [prose_file().path]})
        body = await written(request, '{"path": […], "value": …, "version": …}')
        version, changed = await locked(lambda: content_edit.set_field(project, key, body, hub.session.parses))
        return JSONResponse({"version": version, "changed": changed})

    async def api_add_day(request: Request, role: Role) -> Response:
        may_write(role)
        body = await written(request, '{"date": "…", "start": "…", "end": "…", "session": "…", "item": "…", '
                                      '"version": "…"}')
        version, changed = await locked(lambda: timetable.add_day(project, body, hub.session.parses))
        return JSONResponse({"version": version, "changed": changed})

    async def prose_preview(request: Request, role: Role) -> Response:
        body = await written(request, '{"text": "…"}')
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or len(text) > MAX_PROSE_CHARS:
            raise Refused(f"Send the concept note's text (at most {MAX_PROSE_CHARS:,} characters).")
        lang = request.path_params["lang"]
        near = body.get("near") if isinstance(body.get("near"), str) else ""
        html = await run_in_threadpool(render_prose, hub, text, lang, near)
        return HTMLResponse(html, headers={"Content-Security-Policy": "sandbox allow-scripts"})

    return [
        Route("/edit/{file}", reading(edit_page)),
        Route("/api/content/agenda/days", reading(api_add_day), methods=["POST"]),
        Route("/api/content/{file}", reading(api_content)),
        Route("/api/content/{file}", reading(api_content_save), methods=["PUT"]),
        Route("/fragments/edit/concept-note/{lang}", reading(prose_preview), methods=["POST"]),
    ]


def _documents(hub: Hub) -> list[str]:
    """The per-language documents the event makes as its files are now (none while they have an error)."""
    try:
        with hub.lock():  # the session's parses are changed under the lock only
            return [kind.name for kind in per_language(load_event(hub.session.project.root, memo=hub.session.parses))]
    except SongphasaError:
        return []


def _overridden(hub: Hub, text: str) -> dict[str, str]:
    return {prose_file().path: text.replace("\r\n", "\n")}


def save_prose(hub: Hub, body: Any) -> str:
    """Write the concept note's new text if the build can read it (the caller holds the lock); its new version."""
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not isinstance(body.get("version"), str):
        raise Refused('Send a JSON object: {"text": "…", "version": "…"}.')
    if len(body["text"]) > MAX_PROSE_CHARS:
        raise Refused(f"The concept note may have at most {MAX_PROSE_CHARS:,} characters here.")
    file = prose_file()
    path = hub.session.project.root / file.path
    now = path.read_text(encoding="utf-8") if path.is_file() else ""
    if content_edit.version_of(now) != body["version"]:
        raise Refused(f"{file.path} was changed meanwhile (by someone else, or in an editor): nothing was written. "
                      "Copy your text, reload, and make your change again.", 409)
    texts = _overridden(hub, body["text"])
    content_edit.write_checked(hub.session.project, texts, hub.session.parses)  # as every form's save
    return content_edit.version_of(texts[file.path])


def render_prose(hub: Hub, text: str, lang: str, near: str = "") -> bytes:
    """The concept note's page in a language with this text in place of the file's (the build's own code).

    ``near``: words of the paragraph being typed; its block is marked and scrolled to — in another
    language's page the same block, since the languages are compared block by block.
    """
    session = hub.session
    try:
        content = load_event(session.project.root, overrides=_overridden(hub, text))
    except ContentError as exc:
        raise Refused("The preview cannot be made: " + " ".join(str(p) for p in exc.problems)) from None
    if lang not in content.languages:
        raise Refused(f"The event has no language '{lang[:20]}'.", 404)
    kind = next((k for k in per_language(content) if k.name == "concept-note"), None)
    if kind is None:
        raise Refused("The event makes no concept note.", 404)
    translations = load_translations(session.project, content)

    def page(code: str) -> lxml_html.HtmlElement:
        return render_page(session.environment(), content, translations.lookups, kind, code,
                           assets=page_assets(session.project, content), markdown=session.markdown).tree
    tree = page(lang)
    words = " ".join(near.split())[:200]
    if len(words) >= 8:
        source = tree if lang == content.languages[0] else page(content.languages[0])
        found = [n for n, block in enumerate(parity.structure(write_html.article_of(source)))
                 if words in " ".join(block.element.text_content().split())]
        blocks = parity.structure(write_html.article_of(tree))
        if found and found[-1] < len(blocks):  # the innermost block holding the words
            element = blocks[found[-1]].element
            element.set("id", "entry")
            element.set("class", (element.get("class", "") + " songphasa-entry").strip())
    return write_html.page_bytes(tree).replace(b"</body>", PROSE_MARK + SHOW_MARK.encode() + b"</body>", 1)


PROSE_MARK = b"<style>.songphasa-entry { outline: 3px solid #c77700; background: #fff4dc; }</style>"
