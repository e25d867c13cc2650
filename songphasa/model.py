"""The validated event: frozen models checked field by field, then as a whole.

pydantic checks each file's shape (types, required and unknown fields); this
module turns its findings into sentences with file and line, then checks what
spans files: ids that must exist, times that must run forwards, languages the
event declares. All problems of all files are collected before anything stops.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .content import MdSection, Text, YamlDoc, load_markdown, load_yaml
from .errors import ContentError, Problem


def _to_text(value: Any) -> Text:
    if isinstance(value, Text):
        return value
    raise PydanticCustomError("text_type", "should be text")


def _unwrap(value: Any) -> Any:
    return value.source if isinstance(value, Text) else value


def _to_time(value: Any) -> dt.time:
    value = _unwrap(value)
    if isinstance(value, str) and re.fullmatch(r"\d\d:\d\d", value.strip()):
        hours, minutes = map(int, value.strip().split(":"))
        if hours < 24 and minutes < 60:
            return dt.time(hours, minutes)
    shown = value if isinstance(value, str) else repr(value)
    raise PydanticCustomError("time_format", "time '{value}' is not in HH:MM form", {"value": shown})


def _to_zone(value: Any) -> str:
    value = _unwrap(value)
    if not isinstance(value, str):
        raise PydanticCustomError("zone_type", "should be a time zone name such as Asia/Vientiane")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError("zone_unknown", "unknown time zone '{value}'", {"value": value}) from None
    return value


#: Dates an event can have; outside them, computing times in other zones overflows.
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))


def _to_date(value: Any) -> dt.date:
    date = _parse_date(_unwrap(value))
    if not DATE_RANGE[0] <= date <= DATE_RANGE[1]:
        raise PydanticCustomError("date_range", "date '{value}' is not between 1900 and 2199", {"value": str(date)})
    return date


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date_format", "date '{value}' is not in YYYY-MM-DD form", {"value": value})


T = Annotated[Text, PlainValidator(_to_text)]
S = Annotated[str, BeforeValidator(_unwrap)]
Time = Annotated[dt.time, PlainValidator(_to_time)]
Zone = Annotated[str, PlainValidator(_to_zone)]
Date = Annotated[dt.date, PlainValidator(_to_date)]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True, strict=False)


class Organization(Model):
    id: S
    name: T
    abbreviation: T | None = None
    country: T | None = None
    parent: S | None = None


class Settings(Model):
    source_language: S = "en"
    languages: list[S] = Field(default_factory=lambda: ["lo"])
    lao_font: S = "Phetsarath OT"
    latin_font: S = "Times New Roman"
    lao_digits: bool = False
    allow_zero_width_space: bool = False


class Project_(Model):
    code: T
    title: T


class Venue(Model):
    online: S | None = None
    place: S | None = None
    city: T | None = None


class Event(Model):
    title: T
    short_title: T
    document_kind: T
    organizer: S
    partner: S | None = None
    through: list[S] = Field(default_factory=list)
    collaboration: list[S] = Field(default_factory=list)
    supporting_project: Project_ | None = None
    date: Date
    start: Time
    end: Time
    timezone: Zone
    timezone_label: T | None = None
    also_in: list[Zone] = Field(default_factory=list)
    venue: Venue
    admission: T | None = None
    audience: T | None = None
    interpretation: T | None = None
    objective: T | None = None
    technical_workshop_date: Date | None = None
    ministries_attending_technical_workshop: int | None = None
    settings: Settings = Field(default_factory=Settings)
    organizations: list[Organization] = Field(default_factory=list)


class Person(Model):
    id: S
    honorific: T
    name: T
    position: T
    organization: S | None = None
    email: S | None = None

    @model_validator(mode="after")
    def _share_honorific(self) -> "Person":
        # "Mr." is translated once for everybody, not once per person.
        object.__setattr__(self, "honorific", replace(self.honorific, context="honorific"))
        return self


class Speaker(Model):
    person: S
    language: S
    minutes: int | None = None


class Item(Model):
    id: S
    start: Time
    title: T | None = None
    speakers: list[Speaker] = Field(default_factory=list)
    topics: list[S] = Field(default_factory=list)
    photo_session: bool = False
    speech: S | None = None


class Session(Model):
    id: S
    title: T
    moderator: S | None = None
    items: list[Item] = Field(min_length=1)


class Agenda(Model):
    chair: S | None = None
    sessions: list[Session] = Field(min_length=1)


class Recommendation(Model):
    id: S
    proposed: T
    status: Annotated[Literal["proposed", "accepted", "modified", "rejected"], BeforeValidator(_unwrap)] = "proposed"
    confirmed: T | None = None


class Topic(Model):
    id: S
    title: T
    recommendations: list[Recommendation] = Field(min_length=1)


class Recommendations(Model):
    topics: list[Topic] = Field(min_length=1)


class ContactGroup(Model):
    organization: S
    people: list[S] = Field(min_length=1)


class GlossaryEntry(Model):
    en: S
    lo: S
    variants: list[S] = Field(default_factory=list)
    abbr_en: S = ""
    abbr_lo: S = ""
    note: S = ""
    dnt: bool = False


# --- the whole event ---------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    """An agenda item placed in time: local start and end, and its session."""

    item: Item
    session: Session
    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class EventContent:
    """Everything the documents are made from, validated."""

    root: Path
    event: Event
    people: dict[str, Person]
    organizations: dict[str, Organization]
    agenda: Agenda
    recommendations: Recommendations
    contacts: tuple[ContactGroup, ...]
    glossary: tuple[GlossaryEntry, ...]
    concept_note: tuple[MdSection, ...]

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the documents are made in, the source first."""
        return (self.event.settings.source_language, *self.event.settings.languages)

    def local(self, time: dt.time) -> dt.datetime:
        """Place a local time of the event's day in the event's time zone."""
        return dt.datetime.combine(self.event.date, time, tzinfo=ZoneInfo(self.event.timezone))

    @property
    def starts(self) -> dt.datetime:
        return self.local(self.event.start)

    @property
    def ends(self) -> dt.datetime:
        return self.local(self.event.end)

    @cached_property
    def schedule(self) -> tuple[Slot, ...]:
        """Return every agenda item with its computed end (the next item's start).

        Computed once: the templates and the interpreters' pack ask for it per
        session and per item, which made a long agenda quadratic.
        """
        flat = [(item, session) for session in self.agenda.sessions for item in session.items]
        slots = []
        for index, (item, session) in enumerate(flat):
            end = flat[index + 1][0].start if index + 1 < len(flat) else self.event.end
            slots.append(Slot(item, session, self.local(item.start), self.local(end)))
        return tuple(slots)

    def session_slots(self, session: Session) -> tuple[Slot, ...]:
        """Return the slots of one session of this agenda, in time order."""
        return self._slots_by_session.get(id(session), ())

    @cached_property
    def _slots_by_session(self) -> dict[int, tuple[Slot, ...]]:
        grouped: dict[int, list[Slot]] = {}
        for slot in self.schedule:
            grouped.setdefault(id(slot.session), []).append(slot)
        return {key: tuple(slots) for key, slots in grouped.items()}

    def recommendation(self, rec_id: str) -> Recommendation:
        for topic in self.recommendations.topics:
            for rec in topic.recommendations:
                if rec.id == rec_id:
                    return rec
        raise KeyError(rec_id)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.recommendations.topics if t.id == topic_id)


CONTENT_FILES = {
    "event": "content/event.yaml",
    "people": "content/people.yaml",
    "agenda": "content/agenda.yaml",
    "recommendations": "content/recommendations.yaml",
    "contacts": "content/contacts.yaml",
    "glossary": "content/glossary.yaml",
}
PROSE_FILE = "content/concept-note.md"

_SHAPES: dict[str, Any] = {
    "event": TypeAdapter(Event),
    "people": TypeAdapter(list[Person]),
    "agenda": TypeAdapter(Agenda),
    "recommendations": TypeAdapter(Recommendations),
    "contacts": TypeAdapter(list[ContactGroup]),
    "glossary": TypeAdapter(list[GlossaryEntry]),
}


def load_event(root: Path) -> EventContent:
    """Load and validate an event project's content; raise every problem at once."""
    problems: list[Problem] = []
    docs: dict[str, YamlDoc] = {}
    values: dict[str, Any] = {}
    for key, rel in CONTENT_FILES.items():
        try:
            docs[key] = load_yaml(root / rel, root)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        try:
            values[key] = _SHAPES[key].validate_python(docs[key].data)
        except ValidationError as exc:
            problems.extend(_explain(exc, docs[key], key))
    sections: tuple[MdSection, ...] = ()
    try:
        sections = tuple(load_markdown(root / PROSE_FILE, root))
    except ContentError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    event: Event = values["event"]
    content = EventContent(
        root=root,
        event=event,
        people={p.id: p for p in values["people"]},
        organizations={o.id: o for o in event.organizations},
        agenda=values["agenda"],
        recommendations=values["recommendations"],
        contacts=tuple(values["contacts"]),
        glossary=tuple(values["glossary"]),
        concept_note=sections,
    )
    problems = _cross_check(content, docs, values)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(problems)
    return content


# --- turning pydantic's findings into sentences --------------------------------

@cache
def _fields_of(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_fields)


def _model_at(root_model: Any, loc: tuple) -> type[BaseModel] | None:
    """Find which model a location points into, to list its valid fields."""
    import typing
    current: Any = root_model
    for step in loc:
        origin = typing.get_origin(current)
        if origin is list:
            current = typing.get_args(current)[0]
            if isinstance(step, int):
                continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(step))
            if field is None:
                return current
            current = field.annotation
            # Unwrap Optional[...] and Annotated[...].
            for _ in range(3):
                args = [a for a in typing.get_args(current) if a is not type(None)]
                if typing.get_origin(current) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and args:
                    current = args[0]
                elif typing.get_origin(current) is Annotated:
                    current = typing.get_args(current)[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_ROOT_TYPES: dict[str, Any] = {
    "event": Event, "people": list[Person], "agenda": Agenda,
    "recommendations": Recommendations, "contacts": list[ContactGroup], "glossary": list[GlossaryEntry],
}

_KIND = {
    "string_type": "text", "text_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false", "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')", "dict_type": "a set of 'field: value' lines",
    "model_type": "a set of 'field: value' lines", "model_attributes_type": "a set of 'field: value' lines",
}


def _describe(value: Any) -> str:
    value = _unwrap(value)
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if value is None:
        return "empty"
    return "text"


def _form_hint(kind: str, value: Any) -> str:
    """Say how to write a value in the form a field needs."""
    if kind.startswith("int"):
        return "write it in digits, e.g. 18"
    if kind.startswith("bool"):
        return "write true or false"
    if kind == "list_type":
        return "write each entry on its own line starting with '- ', or as [first, second]"
    if kind.startswith(("dict", "model")):
        return "write its fields on the lines below it, indented, as 'field: value'"
    if isinstance(value, list):
        return "write it as one text; put it in quotes if it starts with '[' or '-'"
    if isinstance(value, dict):
        return "put it in quotes: text containing ': ' or starting with '{' must be quoted"
    if value is None:
        return "write the text after the colon"
    return "put the value in quotes if it is meant as text"


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's validator names from a location, keeping field names and indexes."""
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith(("function-", "list[", "union["))))


def _explain(exc: ValidationError, doc: YamlDoc, key: str) -> list[Problem]:
    """Say each pydantic error as a sentence with the file and line."""
    problems = []
    errors = exc.errors()
    # A misspelt field ('titel') also leaves the real one ('title') missing;
    # saying "did you mean 'title'?" is enough, so the second problem is dropped.
    suggested = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _clean_loc(err["loc"])
            model = _model_at(_ROOT_TYPES[key], loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), _fields_of(model) if model else (), n=1, cutoff=0.6)
            if close:
                suggested.add(loc[:-1] + (close[0],))
    for err in errors:
        loc = _clean_loc(err["loc"])
        kind = err["type"]
        name = str(loc[-1]) if loc and isinstance(loc[-1], str) else (str(loc[-2]) if len(loc) > 1 else "this entry")
        line = doc.line_of(loc)
        if kind == "missing":
            if loc in suggested:
                continue
            parent_line = doc.line_of(loc[:-1])
            problems.append(Problem(doc.file, parent_line, f"missing required field '{name}'", f"add '{name}:' to this entry"))
        elif kind == "extra_forbidden":
            model = _model_at(_ROOT_TYPES[key], loc[:-1])
            valid = _fields_of(model) if model else ()
            close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else (
                f"remove it; the valid fields here are: {', '.join(valid)}" if valid else "remove it")
            problems.append(Problem(doc.file, line, f"unknown field '{name}'", hint))
        elif kind in ("time_format",):
            # YAML reads 9.30 as the number 9.3: show what the person typed.
            typed = err["ctx"]["value"] if isinstance(_unwrap(err["input"]), str) else doc.typed(loc) or err["ctx"]["value"]
            problems.append(Problem(doc.file, line, f"'{name}': time '{typed}' is not in HH:MM form",
                                    'write hours and minutes with two digits each, in quotes, e.g. "09:30"'))
        elif kind == "zone_unknown":
            zone = err["ctx"]["value"]
            close = difflib.get_close_matches(zone, sorted(available_timezones()), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "use an IANA name such as Asia/Vientiane"
            problems.append(Problem(doc.file, line, f"unknown time zone '{zone}'", hint))
        elif kind == "date_format":
            problems.append(Problem(doc.file, line, f"'{name}': {err['msg']}", "write the date as 2021-11-23"))
        elif kind == "literal_error":
            expected = err["ctx"]["expected"].replace("'", "")
            problems.append(Problem(doc.file, line, f"'{name}' is '{_unwrap(err['input'])}', which is not allowed",
                                    f"use one of: {expected}"))
        elif kind == "too_short":
            problems.append(Problem(doc.file, line, f"'{name}' is empty", "add at least one entry"))
        elif kind in _KIND:
            problems.append(Problem(doc.file, line, f"'{name}' should be {_KIND[kind]}, not {_describe(err['input'])}",
                                    _form_hint(kind, _unwrap(err["input"]))))
        else:
            problems.append(Problem(doc.file, line, f"'{name}': {err['msg']}", "fix this value"))
    return problems


# --- checks across files -----------------------------------------------------

def _check_inside(root: Path, name: str, doc: YamlDoc, path: tuple, what: str) -> list[Problem]:
    """A file named in content must exist inside the event project (never ../ or /etc)."""
    target = (root / name).resolve()
    line = doc.line_of(path)
    if not target.is_relative_to(root.resolve()):
        return [Problem(doc.file, line, f"the {what} '{name}' is outside the event project",
                        "put the file in the project's content/ folder and name it relative to the project")]
    if not target.is_file():
        return [Problem(doc.file, line, f"the {what} '{name}' does not exist",
                        "check the file name (it is relative to the event project's folder)")]
    return []


def _suggest(name: str, known: Any) -> str:
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    if 0 < len(known) <= 12:
        return f"use one of: {', '.join(known)}"
    return "check the spelling or define it first"


def _cross_check(c: EventContent, docs: dict[str, YamlDoc], values: dict[str, Any]) -> list[Problem]:
    """Check what no single file can: references, uniqueness, time order."""
    problems: list[Problem] = []
    ev, ag, rc = docs["event"], docs["agenda"], docs["recommendations"]

    def dupes(items: list, doc: YamlDoc, prefix: tuple, what: str) -> None:
        seen: dict[str, Any] = {}
        for index, ident in items:
            if ident in seen:
                first = doc.line_of(prefix(seen[ident]) + ("id",))
                problems.append(Problem(doc.file, doc.line_of(prefix(index) + ("id",)),
                                        f"duplicate {what} id '{ident}' (already used on line {first})",
                                        f"each {what} needs its own id"))
            else:
                seen[ident] = index

    dupes(list(enumerate(p.id for p in values["people"])), docs["people"], lambda i: (i,), "person")
    dupes(list(enumerate(o.id for o in c.event.organizations)), ev, lambda i: ("organizations", i), "organization")
    dupes([(i, s.id) for i, s in enumerate(c.agenda.sessions)], ag, lambda i: ("sessions", i), "session")
    item_ids = [((si, ii), item.id) for si, s in enumerate(c.agenda.sessions) for ii, item in enumerate(s.items)]
    dupes(item_ids, ag, lambda k: ("sessions", k[0], "items", k[1]), "agenda item")
    dupes([(i, t.id) for i, t in enumerate(c.recommendations.topics)], rc, lambda i: ("topics", i), "topic")
    rec_ids = [((ti, ri), r.id) for ti, t in enumerate(c.recommendations.topics) for ri, r in enumerate(t.recommendations)]
    dupes(rec_ids, rc, lambda k: ("topics", k[0], "recommendations", k[1]), "recommendation")

    def person(pid: str | None, doc: YamlDoc, path: tuple) -> None:
        if pid is not None and pid not in c.people:
            problems.append(Problem(doc.file, doc.line_of(path), f"unknown person '{pid}'", _suggest(pid, c.people)))

    def org(oid: str | None, doc: YamlDoc, path: tuple) -> None:
        if oid is not None and oid not in c.organizations:
            problems.append(Problem(doc.file, doc.line_of(path), f"unknown organization '{oid}'", _suggest(oid, c.organizations)))

    org(c.event.organizer, ev, ("organizer",))
    org(c.event.partner, ev, ("partner",))
    for i, oid in enumerate(c.event.through):
        org(oid, ev, ("through", i))
    for i, oid in enumerate(c.event.collaboration):
        org(oid, ev, ("collaboration", i))
    org(c.event.venue.place, ev, ("venue", "place"))
    for i, o in enumerate(c.event.organizations):
        org(o.parent, ev, ("organizations", i, "parent"))
    for i, p in enumerate(values["people"]):
        org(p.organization, docs["people"], (i, "organization"))
    for i, group in enumerate(c.contacts):
        org(group.organization, docs["contacts"], (i, "organization"))
        for k, pid in enumerate(group.people):
            person(pid, docs["contacts"], (i, "people", k))

    languages = set(c.languages)
    person(c.agenda.chair, ag, ("chair",))
    topic_ids = {t.id for t in c.recommendations.topics}
    for si, session in enumerate(c.agenda.sessions):
        person(session.moderator, ag, ("sessions", si, "moderator"))
        for ii, item in enumerate(session.items):
            base = ("sessions", si, "items", ii)
            for k, sp in enumerate(item.speakers):
                person(sp.person, ag, base + ("speakers", k, "person"))
                if sp.language not in languages:
                    problems.append(Problem(ag.file, ag.line_of(base + ("speakers", k, "language")),
                                            f"floor language '{sp.language}' is not one of the event's languages",
                                            f"use one of: {', '.join(sorted(languages))}"))
            for k, tid in enumerate(item.topics):
                if tid not in topic_ids:
                    problems.append(Problem(ag.file, ag.line_of(base + ("topics", k)),
                                            f"unknown recommendation topic '{tid}'", _suggest(tid, topic_ids)))
            if item.speech is not None:
                problems.extend(_check_inside(c.root, item.speech, ag, base + ("speech",), "speech text"))

    # Time must run forwards, inside the event.
    event = c.event
    if event.end <= event.start:
        problems.append(Problem(ev.file, ev.line_of(("end",)),
                                f"the event ends ({event.end:%H:%M}) before it starts ({event.start:%H:%M})",
                                "check 'start' and 'end'"))
    previous: tuple[dt.time, str] | None = None
    for si, session in enumerate(c.agenda.sessions):
        for ii, item in enumerate(session.items):
            where = ag.line_of(("sessions", si, "items", ii, "start"))
            if item.start < event.start:
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, before the event starts ({event.start:%H:%M})",
                                        "change its start or the event's start in content/event.yaml"))
            if item.start >= event.end and event.end > event.start:  # else the event's own times are the problem
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, when the event has ended ({event.end:%H:%M})",
                                        "change its start or the event's end in content/event.yaml"))
            if previous and item.start < previous[0]:
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, before the item above it ('{previous[1]}', {previous[0]:%H:%M})",
                                        "put the items in time order"))
            elif previous and item.start == previous[0]:
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at the same time as '{previous[1]}' ({item.start:%H:%M}), so they overlap",
                                        "give each item its own start time"))
            previous = (item.start, item.id)
    if not problems:
        for slot in c.schedule:
            planned = sum(sp.minutes or 0 for sp in slot.item.speakers)
            if planned > slot.minutes:
                si = c.agenda.sessions.index(slot.session)
                ii = slot.session.items.index(slot.item)
                problems.append(Problem(ag.file, ag.line_of(("sessions", si, "items", ii, "speakers")),
                                        f"the speakers of '{slot.item.id}' have {planned} minutes but the item has {slot.minutes}",
                                        "shorten the speakers' minutes or move the next item's start"))

    for ti, topic in enumerate(c.recommendations.topics):
        for ri, rec in enumerate(topic.recommendations):
            if rec.status == "modified" and not rec.confirmed:
                problems.append(Problem(rc.file, rc.line_of(("topics", ti, "recommendations", ri, "status")),
                                        f"recommendation {rec.id} is 'modified' but has no confirmed text",
                                        "write the agreed wording in 'confirmed:' (or use python build.py decide)"))
    return problems
