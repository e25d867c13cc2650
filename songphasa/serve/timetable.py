"""The agenda as an organizer sees it: days, sessions, items and breaks, parallel groups, people by role.

The rows are made from the file as it is (every value with its path in the
file, so that a cell saves through the same field save as every form), the
choices of the pickers from the event's own people, organizations and
languages, and the kinds and roles from the agenda's JSON Schema (a kind
added to the model appears in the picker without code here). A new day is
the one change that is more than one field: a one-day agenda's sessions move
under their day (``days:``), and the event's ``end_date`` follows.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import languages as languages_table
from ..content.load import Parses
from ..project import Project
from . import content_edit, yaml_lists
from .state import Refused


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class Part:
    """One person's part in an item or a group (a person by id, or one to be confirmed)."""

    path: tuple
    person: str
    role: str
    language: str
    minutes: Any
    organization: str
    position: str

    @property
    def confirmed(self) -> bool:
        return bool(self.person)


@dataclass
class Row:
    """One item of the programme, or one of its parallel groups."""

    path: tuple
    start: str
    end: str
    kind: str
    title: str
    room: str
    parts: list[Part]
    groups: list[Row] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    @property
    def is_break(self) -> bool:
        return self.kind in BREAKS


@dataclass
class Block:
    """A session: its title, moderator and chair, and its items."""

    path: tuple
    title: str
    moderator: str
    chair: str
    rows: list[Row]


@dataclass
class DayView:
    path: tuple | None  # None: the event's one day (the agenda has no days:)
    date: str
    start: str
    end: str
    title: str
    sessions: list[Block]


#: Kinds shown as breaks (no speakers); the same set as the model's.
BREAKS = frozenset({"registration", "coffee", "lunch", "photo", "break"})


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _parts(data: Any, path: tuple) -> list[Part]:
    return [Part((*path, n), _text(p.get("person")), _text(p.get("role")) or "speaker", _text(p.get("language")),
                 p.get("minutes"), _text(p.get("organization")), _text(p.get("position")))
            for n, p in enumerate(data or []) if isinstance(p, dict)]


def _row(item: Any, path: tuple) -> Row:
    groups = [Row((*path, "parallel", g), "", "", "", _text(group.get("title")), _text(group.get("room")),
                  _parts(group.get("speakers"), (*path, "parallel", g, "speakers")))
              for g, group in enumerate(item.get("parallel") or []) if isinstance(group, dict)]
    return Row(path, _text(item.get("start")), _text(item.get("end")), _text(item.get("kind")), _text(item.get("title")),
               _text(item.get("room")), _parts(item.get("speakers"), (*path, "speakers")), groups,
               [str(t) for t in item.get("topics") or []])


def _sessions(data: Any, path: tuple) -> list[Block]:
    blocks = []
    for s, session in enumerate(data or []):
        if isinstance(session, dict):
            here = (*path, s)
            rows = [_row(item, (*here, "items", i)) for i, item in enumerate(session.get("items") or [])
                    if isinstance(item, dict)]
            blocks.append(Block(here, _text(session.get("title")), _text(session.get("moderator")),
                                _text(session.get("chair")), rows))
    return blocks


def days(agenda: Any, event: Any) -> list[DayView]:
    """The programme's days as the agenda file holds them (a one-day agenda: the event's day)."""
    agenda = agenda if isinstance(agenda, dict) else {}
    event = event if isinstance(event, dict) else {}
    if agenda.get("days"):
        return [DayView(("days", d), _text(day.get("date")), _text(day.get("start")), _text(day.get("end")),
                        _text(day.get("title")), _sessions(day.get("sessions"), ("days", d, "sessions")))
                for d, day in enumerate(agenda["days"]) if isinstance(day, dict)]
    return [DayView(None, _text(event.get("date")), _text(event.get("start")), _text(event.get("end")), "",
                    _sessions(agenda.get("sessions"), ("sessions",)))]


def enum_of(schema: dict, name: str) -> list[str]:
    """The values a field of the agenda's schema may take (the item kinds, the roles)."""
    for spec in schema.get("$defs", {}).values():
        node = spec.get("properties", {}).get(name, {})
        for option in [node, *node.get("anyOf", [])]:
            if "enum" in option:
                return [str(v) for v in option["enum"]]
    return []


def choices(project: Project) -> dict[str, list[Choice]]:
    """The pickers' choices: the event's people, organizations and languages, and the agenda's kinds and roles."""
    people = _data(project, "people")
    event = _data(project, "event")
    recipients = _data(project, "recipients")
    listed = (recipients.get("recipients") if isinstance(recipients, dict) else None) or []
    schema = content_edit.editable("agenda").adapter.json_schema()  # type: ignore[union-attr]
    settings = (event.get("settings") if isinstance(event, dict) else None) or {}
    settings = settings if isinstance(settings, dict) else {}
    languages = [settings.get("source_language") or languages_table.DEFAULT_SOURCE,
                 *(settings.get("languages") or languages_table.DEFAULT_TARGETS)]
    return {
        "people": [Choice(str(p["id"]), f"{_text(p.get('honorific'))} {_text(p.get('name'))} — "
                                        f"{_text(p.get('position'))}".strip())
                   for p in people or [] if isinstance(p, dict) and p.get("id")],
        "organizations": [Choice(str(o["id"]), _text(o.get("name")) or str(o["id"]))  # the event's, then the
                          for o in [*((event.get("organizations") if isinstance(event, dict) else None) or []),
                                    *listed]  # ministries the letters go to
                          if isinstance(o, dict) and o.get("id")],
        "languages": [Choice(str(code), str(code)) for code in languages],
        "kinds": [Choice(k, k) for k in enum_of(schema, "kind")],
        "roles": [Choice(r, r) for r in enum_of(schema, "role")],
    }


def _data(project: Project, key: str) -> Any:
    text, _ = content_edit.read(project, key)
    try:
        return content_edit.plain(content_edit.round_trip(text, key)[1])
    except Refused:
        return None


_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_TIME = re.compile(r"\d\d:\d\d")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def add_day(project: Project, body: Any, parses: Parses | None = None) -> tuple[str, list[str]]:
    """Add a day to the programme (``{"date", "start", "end", "session", "item", "version"}``); the caller holds the lock.

    A one-day agenda's sessions become its first day's, on the event's date. The event's ``end_date``
    follows the last day. Both files are checked together as the build reads them, then written.
    """
    if not isinstance(body, dict) or not isinstance(body.get("version"), str):
        raise Refused('Send a JSON object: {"date": "2021-11-24", "start": "09:00", "end": "12:00", '
                      '"session": "…", "item": "…", "version": "…"}.')
    if not all(isinstance(body.get(k, ""), str) for k in ("date", "start", "end", "session", "item")):
        raise Refused("date, start, end, session and item are texts: the date YYYY-MM-DD, the times HH:MM, the "
                      "first session's title and its first item's title.")
    date, start, end = (str(body.get(k) or "").strip() for k in ("date", "start", "end"))
    session, item = (str(body.get(k) or "").strip() for k in ("session", "item"))
    if not _DATE.fullmatch(date):
        raise Refused("The new day's date is written YYYY-MM-DD (the form's date field).")
    if not (_TIME.fullmatch(start) and _TIME.fullmatch(end)):
        raise Refused("The new day's start and end are written HH:MM.")
    if not session or not item or len(session) > 500 or len(item) > 500:
        raise Refused("Give the new day's first session a title, and its first item a title: a day has at least one.")
    agenda_file = content_edit.editable("agenda").path
    text, version = content_edit.read(project, "agenda")
    if body["version"] != version:
        raise Refused(f"{agenda_file} was changed meanwhile (by someone else, or in an editor): nothing was written. "
                      "Reload the form to see their change, then make yours again.", 409)
    yaml, data = content_edit.round_trip(text, agenda_file)
    if not isinstance(data, CommentedMap):
        raise Refused(f"{agenda_file} holds no agenda to add a day to: give it 'sessions:' first.")
    event_file = content_edit.editable("event").path
    event_text, _ = content_edit.read(project, "event")
    event_yaml, event = content_edit.round_trip(event_text, event_file)
    if not isinstance(event, CommentedMap) or not isinstance(event.get("date"), datetime.date):
        raise Refused(f"{event_file} has no 'date' (YYYY-MM-DD) for the first day: give it one first.")
    if "days" not in data:
        first = CommentedMap([("date", event["date"]), ("sessions", data.get("sessions") or CommentedSeq())])
        at = list(data).index("sessions") if "sessions" in data else len(data)
        if "sessions" in data:
            del data["sessions"]
        data.insert(at, "days", CommentedSeq([first]))
    day_id = content_edit.free_id(data, content_edit.slug(session) or "day")
    new = {"date": date, "start": yaml_lists.DoubleQuotedScalarString(start),
           "end": yaml_lists.DoubleQuotedScalarString(end),
           "sessions": [{"id": day_id, "title": session,
                         "items": [{"id": content_edit.free_id(data, content_edit.slug(item) or "item", day_id),
                                    "start": yaml_lists.DoubleQuotedScalarString(start), "title": item}]}]}
    like = data["days"][0] if data["days"] else None
    day = yaml_lists.new_node(new, like)
    day["date"] = datetime.date.fromisoformat(date)
    index = next((n for n, d in enumerate(data["days"]) if isinstance(d, dict) and str(d.get("date")) > date),
                 len(data["days"]))
    data["days"].insert(index, day)
    out = io.StringIO()
    yaml.dump(data, out)
    texts = {agenda_file: out.getvalue()}
    last = max(datetime.date.fromisoformat(date), event.get("end_date") or event["date"])
    if last != (event.get("end_date") or event["date"]):
        if "end_date" in event:
            event["end_date"] = last
        else:
            event.insert(list(event).index("date") + 1, "end_date", last)
        out = io.StringIO()
        event_yaml.dump(event, out)
        texts[event_file] = out.getvalue()
    content_edit.write_checked(project, texts, parses)
    return content_edit.version_of(texts[agenda_file]), [f"{path}: a day added ({date})" for path in texts]
