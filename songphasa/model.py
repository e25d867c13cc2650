"""The validated event: frozen models checked field by field, then as a whole.

pydantic checks each file's shape (types, required and unknown fields); this
module turns its findings into sentences with file and line, then checks what
spans files: ids that must exist, times that must run forwards, languages the
event declares. All problems of all files are collected before anything stops.
"""


import datetime as dt
import difflib
import re
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, TypeAdapter, ValidationError,
                      WithJsonSchema, create_model, model_validator)
from pydantic_core import PydanticCustomError

from . import languages as languages_table
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


# Each kind of value says what it looks like in a JSON Schema (for editors; see schema.py).
T = Annotated[Text, PlainValidator(_to_text), WithJsonSchema({"type": "string"})]
S = Annotated[str, BeforeValidator(_unwrap)]
Time = Annotated[dt.time, PlainValidator(_to_time),
                 WithJsonSchema({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "examples": ["09:30"]})]
Zone = Annotated[str, PlainValidator(_to_zone), WithJsonSchema({"type": "string", "examples": ["Asia/Vientiane"]})]
Date = Annotated[dt.date, PlainValidator(_to_date), WithJsonSchema({"type": "string", "format": "date"})]
#: A length or a number of something: a whole number from 1 (0 or less would mean nothing, or be shown as such).
Count = Annotated[int, Field(ge=1)]


class Model(BaseModel):
    # A field's docstring says what it means (the README's field reference and the JSON
    # Schemas); schema.py reads them. pydantic's use_attribute_docstrings would read this
    # file's source for every model at every start-up, a fifth of a build's start.
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True, strict=False)


class Organization(Model):
    id: S
    """A short name the other files use for it (e.g. moha)."""
    name: T
    """Its full name."""
    abbreviation: T | None = None
    """Its abbreviation (MOHA)."""
    country: T | None = None
    """Its country, said after its name on the cover."""
    parent: S | None = None
    """The id of the organization it belongs to (a department's ministry)."""
    relation: T | None = None
    """How it stands to the organization before it in 'through' on the cover, e.g. 'its secretariat'."""


class Settings(Model):
    source_language: S = languages_table.DEFAULT_SOURCE
    """The language the content is written in (a code of the language table, e.g. en or lo)."""
    languages: list[S] = Field(default_factory=lambda: list(languages_table.DEFAULT_TARGETS))
    """The languages it is translated into (each has a catalog in locales/)."""
    fonts: dict[S, S] = Field(default_factory=dict)
    """A language's font, by code ({th: TH Sarabun New}); the language table's where not given."""
    lao_font: S | None = None
    """The Lao font of the Word files and pages (older name of fonts: {lo: …})."""
    latin_font: S | None = None
    """The Latin font (older name of fonts: {en: …})."""
    native_digits: list[S] = Field(default_factory=list)
    """Languages whose documents write numbers in their own digits (lo: ໐–໙, th: ๐–๙)."""
    lao_digits: bool = False
    """Write the Lao documents in Lao digits (older name of native_digits: [lo])."""
    clock: Annotated[Literal["24-hour", "12-hour"], BeforeValidator(_unwrap)] = "24-hour"
    """How the English documents write times: 24-hour (09:00) or 12-hour (9:00 AM); Lao is always 24-hour."""
    allow_zero_width_space: bool = False
    """Allow zero-width spaces in Lao translations (line-break hints)."""

    @property
    def catalog_languages(self) -> tuple[str, ...]:
        """The languages that have a catalog: every target, and a source the templates are not written in."""
        targets = tuple(l for l in self.languages if l != self.source_language)
        if self.source_language != languages_table.TEMPLATE_LANGUAGE:
            return (self.source_language, *targets)
        return targets

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The source language, then the targets."""
        return (self.source_language, *[l for l in self.languages if l != self.source_language])

    def font_for(self, lang: str) -> str:
        """The font the event names for a language, else the table's."""
        language = languages_table.get(lang)
        if lang in self.fonts:
            return self.fonts[lang]
        older = getattr(self, language.font_setting, None) if language.font_setting else None
        return older or language.word_font

    def digits_for(self, lang: str) -> bool:
        """Tell whether a language's documents write numbers in its own digits."""
        language = languages_table.get(lang)
        older = bool(getattr(self, language.digits_setting, False)) if language.digits_setting else False
        return bool(language.script.digits) and (lang in self.native_digits or older)


class Project_(Model):
    code: T
    """The supporting project's code, {project_code} in texts."""
    title: T
    """Its title, {project_title} in texts."""


class Venue(Model):
    """Where the event is: a place (an organization's id or a free-text name), online, or both."""

    place: S | None = None
    """Where, as an organization's id (e.g. the ministry); or give 'name'."""
    name: T | None = None
    """Where, as free text (a hotel, a conference centre)."""
    city: T | None = None
    """The city."""
    room: T | None = None
    """The room or hall."""
    online: S | None = None
    """The online platform (Zoom, Teams); with a place the event is hybrid."""
    link: S | None = None
    """The link to join online."""

    @property
    def mode(self) -> str:
        """Say how people attend: "in-person", "online" or "hybrid"."""
        here = bool(self.place or self.name)
        if here and self.online:
            return "hybrid"
        return "online" if self.online else "in-person"


def _to_fact(value: Any) -> Any:
    if isinstance(value, (Text, dt.date, int, float)) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("fact_type", "should be a text, a date (YYYY-MM-DD) or a number")


Fact = Annotated[Any, PlainValidator(_to_fact),
                 WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]})]


class Wording(Model):
    """The event's own names for parts of its documents (the templates have generic ones)."""

    agenda: T | None = None
    """The agenda's heading (default: Programme)."""
    recommendations: T | None = None
    """The recommendations document's name (default: Recommendations)."""
    topic: T | None = None
    """How a topic is labelled, with {number} (default: Topic {number}:)."""


def _entry(value: Any) -> Any:
    return {"name": value} if isinstance(value, (Text, str)) else value


class DocumentEntry(Model):
    """One document the event makes: a built-in kind by name, or a kind of its own with its template."""

    name: S
    """A built-in kind (concept-note, agenda, recommendations, outcome, interpreters) or a new one."""
    template: S | None = None
    """Its template in templates/ (default: <name>.html)."""
    paper: S | None = None
    """A4, A5 or Letter."""
    landscape: bool | None = None
    """Print it landscape."""
    interpreters: bool | None = None
    """Put its text side by side in the interpreters' pack."""
    distribution: bool | None = None
    """Send it to every recipient."""
    bilingual: bool | None = None
    """One page holding the source and a target language side by side, as the interpreters' pack."""


Document = Annotated[DocumentEntry, BeforeValidator(_entry)]
DocumentOrName = Annotated[Document, WithJsonSchema({"anyOf": [{"type": "string"}, DocumentEntry.model_json_schema()]})]


class Event(Model):
    title: T
    """The event's full title."""
    short_title: T
    """A short title for headers and letters."""
    document_kind: T
    """What the concept note is called on its cover."""
    organizer: S
    """The organizing organization's id."""
    partner: S | None = None
    """The partner organization's id."""
    through: list[S] = Field(default_factory=list)
    """Ids of the partner's offices that carry the work, in order."""
    collaboration: list[S] = Field(default_factory=list)
    """Ids of the organizations it works with."""
    supporting_project: Project_ | None = None
    """The project that supports the event."""
    date: Date
    """The (first) day, YYYY-MM-DD."""
    end_date: Date | None = None
    """The last day of an event of several days."""
    start: Time
    """The daily start time, HH:MM, in the event's zone."""
    end: Time
    """The daily end time (a day of the agenda may say its own)."""
    timezone: Zone
    """The IANA time zone, e.g. Asia/Vientiane."""
    timezone_label: T | None = None
    """How the documents name that zone (Lao time)."""
    also_in: list[Zone] = Field(default_factory=list)
    """Other zones whose times the cover shows."""
    venue: Venue
    """Where and how people attend."""
    admission: T | None = None
    """Who may attend (for example: Open to the public)."""
    audience: T | None = None
    """Who the event is for."""
    interpretation: T | None = None
    """The interpretation note; printed at the end of the concept note's first section unless a text says {interpretation}."""
    objective: T | None = None
    """What the event was for, as the outcome report says it."""
    follows_up: T | None = None
    """What it followed up on, as the outcome report says it."""
    facts: dict[str, Fact] = Field(default_factory=dict)
    """Facts the texts may name as {name}: a date (YYYY-MM-DD), a number or a text."""
    wording: Wording = Field(default_factory=lambda: Wording())
    """The event's own names for parts of its documents."""
    documents: list[DocumentOrName] | None = None
    """The documents the event makes, in order (default: every built-in kind it has the content for)."""
    settings: Settings = Field(default_factory=Settings)
    """Languages, fonts and styles."""
    organizations: list[Organization] = Field(default_factory=list)
    """Every organization the other files name by id."""


class Person(Model):
    id: S
    """A short name the other files use."""
    honorific: T | None = None
    """Mr., Ms., H. E. Mr. (may be left out)."""
    name: T
    """The person's name."""
    position: T
    """Their position."""
    organization: S | None = None
    """Their organization's id."""
    email: S | None = None
    """Their e-mail address (may be left out)."""

    @model_validator(mode="after")
    def _share_honorific(self) -> "Person":
        # "Mr." is translated once for everybody, not once per person.
        if self.honorific is not None:
            object.__setattr__(self, "honorific", replace(self.honorific, context="honorific"))
        return self


ROLES = ("speaker", "panelist", "chair", "moderator", "facilitator", "rapporteur")
ITEM_KINDS = ("presentation", "panel", "discussion", "remarks", "registration", "coffee", "lunch", "photo", "break")
#: Kinds that are pauses in the programme: shown as breaks, never speeches, never interpreted.
BREAK_KINDS = frozenset({"registration", "coffee", "lunch", "photo", "break"})


def _literal(*values: str) -> Any:
    return Annotated[Literal[values], BeforeValidator(_unwrap)]  # type: ignore[valid-type]


class Speaker(Model):
    """A part on the agenda: a person by id, or one to be confirmed (by organization or position)."""

    person: S | None = None
    """The person's id; leave it out for a part still to be confirmed."""
    role: _literal(*ROLES) = "speaker"
    """speaker, panelist, chair, moderator, facilitator or rapporteur."""
    language: S | None = None
    """The floor language they speak (tells the interpreters the direction)."""
    minutes: Count | None = None
    """Their minutes, where known."""
    organization: S | None = None
    """For a part to be confirmed: the organization expected to send someone."""
    position: T | None = None
    """For a part to be confirmed: the position expected."""

    @property
    def confirmed(self) -> bool:
        return self.person is not None


class Group(Model):
    """One of several parallel groups of an item, each in its own room with its own people."""

    id: S
    """A short name for the group."""
    title: T
    """Its title."""
    room: T | None = None
    """Its room."""
    speakers: list[Speaker] = Field(default_factory=list)
    """Its facilitator, moderator, rapporteur or speakers."""


class Item(Model):
    id: S
    """A short name for the item."""
    start: Time
    """When it starts, HH:MM."""
    end: Time | None = None
    """When it ends (default: when the next item starts, or the day ends)."""
    kind: _literal(*ITEM_KINDS) | None = None
    """presentation, panel, discussion or remarks; or a break: registration, coffee, lunch, photo, break."""
    title: T | None = None
    """Its title (a break without one is named by its kind)."""
    room: T | None = None
    """Its room."""
    speakers: list[Speaker] = Field(default_factory=list)
    """Who takes part, each with a role."""
    parallel: list[Group] = Field(default_factory=list)
    """Groups that meet at the same time in their own rooms."""
    topics: list[S] = Field(default_factory=list)
    """Recommendation topics discussed (ids from recommendations.yaml)."""
    photo_session: bool = False
    """A photo is taken at the end."""
    speech: S | None = None
    """A text file of the speech, for the interpreters' timing check."""

    @property
    def is_break(self) -> bool:
        return self.kind in BREAK_KINDS


class Session(Model):
    id: S
    """A short name for the session."""
    title: T | None = None
    """Its title."""
    moderator: S | None = None
    """Its moderator's id."""
    chair: S | None = None
    """Its chair's id."""
    items: list[Item] = Field(min_length=1)
    """Its items, in time order."""


class Day(Model):
    """One day of a programme of several days."""

    date: Date
    """The day, YYYY-MM-DD, within the event's dates."""
    start: Time | None = None
    """Its start (default: the event's start)."""
    end: Time | None = None
    """Its end (default: the event's end)."""
    title: T | None = None
    """A title for the day."""
    sessions: list[Session] = Field(min_length=1)
    """Its sessions."""


class Agenda(Model):
    chair: S | None = None
    """The programme's chair (a person's id)."""
    sessions: list[Session] = Field(default_factory=list)
    """The sessions of a one-day event."""
    days: list[Day] = Field(default_factory=list)
    """The days of an event of several days, each with its sessions."""


class Recommendation(Model):
    id: S
    """Its number (1.1)."""
    proposed: T
    """The proposed text."""
    status: Annotated[Literal["proposed", "accepted", "modified", "rejected"], BeforeValidator(_unwrap)] = "proposed"
    """proposed, accepted, modified or rejected."""
    confirmed: T | None = None
    """The text as agreed."""


class Topic(Model):
    id: S
    """Its number."""
    title: T
    """Its title."""
    recommendations: list[Recommendation] = Field(min_length=1)
    """Its recommendations."""


class Recommendations(Model):
    topics: list[Topic] = Field(default_factory=list)
    """The topics (none: the event has no recommendations)."""


class ContactGroup(Model):
    organization: S
    """The office's organization id."""
    people: list[S] = Field(min_length=1)
    """Ids of the people to contact there."""


_GLOSSARY_COLUMN = re.compile(r"(?:(abbr|note|dnt)_)?([a-z]{2,3})")


class GlossaryEntry(Model):
    """One agreed term, a column per language: ``en:``, ``abbr_en:``, ``lo:``, ``abbr_lo:``, ``note_th:``, ``dnt_th:``.

    ``note`` and ``dnt`` without a language apply to every language;
    ``variants`` are other spellings of the source-language term.
    """

    model_config = ConfigDict(frozen=True, extra="allow", arbitrary_types_allowed=True, strict=False,
                              json_schema_extra={
                                  "patternProperties": {"^(abbr_|note_)?[a-z]{2,3}$": {"type": "string"},
                                                        "^dnt_[a-z]{2,3}$": {"type": "boolean"}},
                                  "additionalProperties": False})

    variants: list[S] = Field(default_factory=list)
    """Other forms of the source-language term."""
    note: S = ""
    """A note for translators and interpreters."""
    dnt: bool = False
    """Do not translate (a name)."""

    @model_validator(mode="before")
    @classmethod
    def _columns(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = {}
        for key, value in data.items():
            key = _unwrap(key)
            if key in ("variants", "note", "dnt"):
                out[key] = value
                continue
            match = _GLOSSARY_COLUMN.fullmatch(str(key))
            if not match:
                raise PydanticCustomError("glossary_column", "unknown glossary field '{key}' — use a language code "
                                          "(en, lo, th), abbr_<code>, note_<code>, dnt_<code>, variants, note or dnt",
                                          {"key": key})
            value = _unwrap(value)
            if match.group(1) == "dnt":
                if not isinstance(value, bool):
                    raise PydanticCustomError("glossary_dnt", "'{key}' should be true or false", {"key": key})
            elif not isinstance(value, str):
                value = "" if value is None else str(value)
            out[key] = value
        return out

    def _column(self, field: str, lang: str) -> Any:
        return (self.model_extra or {}).get(f"{field}_{lang}" if field else lang)

    def term(self, lang: str) -> str:
        """The term in one language ("" where the glossary has none)."""
        return self._column("", lang) or ""

    def abbr(self, lang: str) -> str:
        """The abbreviation in one language ("" where it has none)."""
        return self._column("abbr", lang) or ""

    def note_for(self, lang: str) -> str:
        """The note for one language's column, else the note for all."""
        return self._column("note", lang) or self.note

    def dnt_for(self, lang: str) -> bool:
        """Tell whether the term stays as written in one language."""
        own = self._column("dnt", lang)
        return self.dnt if own is None else bool(own)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the entry has a term or an abbreviation for, in the order the file gives them."""
        found = []
        for key in self.model_extra or {}:
            match = _GLOSSARY_COLUMN.fullmatch(key)
            if match and match.group(1) in (None, "abbr") and match.group(2) not in found:
                found.append(match.group(2))
        return tuple(found)


# --- the whole event ---------------------------------------------------------

@dataclass(frozen=True)
class ProgrammeDay:
    """One day of the programme, with its local start and end."""

    index: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    title: Text | None
    sessions: tuple[Session, ...]

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Slot:
    """An agenda item placed in time: local start and end, its session and day."""

    item: Item
    session: Session
    start: dt.datetime
    end: dt.datetime
    day: ProgrammeDay | None = None

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
    #: What is valid but likely a slip (a gap in the agenda): said by build and check, stops nothing.
    warnings: tuple[Problem, ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the documents are made in, the source first."""
        return (self.event.settings.source_language, *self.event.settings.languages)

    def local(self, time: dt.time, day: dt.date | None = None) -> dt.datetime:
        """Place a local time of one of the event's days (the first by default) in its time zone."""
        return dt.datetime.combine(day or self.event.date, time, tzinfo=ZoneInfo(self.event.timezone))

    @property
    def last_date(self) -> dt.date:
        return self.event.end_date or self.event.date

    @property
    def starts(self) -> dt.datetime:
        return self.local(self.event.start)

    @property
    def ends(self) -> dt.datetime:
        """The end of the event's first day at its daily hours (the times the cover gives)."""
        return self.local(self.event.end)

    @property
    def has_recommendations(self) -> bool:
        return bool(self.recommendations.topics)

    @cached_property
    def days(self) -> tuple[ProgrammeDay, ...]:
        """Return the programme's days: those of the agenda, or the event's one day."""
        ev = self.event
        if not self.agenda.days:
            return (ProgrammeDay(1, ev.date, self.local(ev.start), self.local(ev.end), None,
                                 tuple(self.agenda.sessions)),)
        return tuple(ProgrammeDay(n, d.date, self.local(d.start or ev.start, d.date), self.local(d.end or ev.end, d.date),
                                  d.title, tuple(d.sessions)) for n, d in enumerate(self.agenda.days, start=1))

    @cached_property
    def sessions(self) -> tuple[Session, ...]:
        """Every session of every day, in order."""
        return tuple(s for day in self.days for s in day.sessions)

    @cached_property
    def schedule(self) -> tuple[Slot, ...]:
        """Return every agenda item with its end: its own, else the next item's start, else the day's end.

        Computed once: the templates and the interpreters' pack ask for it per
        session and per item, which made a long agenda quadratic.
        """
        slots = []
        for day in self.days:
            flat = [(item, session) for session in day.sessions for item in session.items]
            for index, (item, session) in enumerate(flat):
                end = item.end or (flat[index + 1][0].start if index + 1 < len(flat) else day.end.time())
                slots.append(Slot(item, session, self.local(item.start, day.date), self.local(end, day.date), day))
        return tuple(slots)

    def day_slots(self, day: ProgrammeDay) -> tuple[Slot, ...]:
        return tuple(s for s in self.schedule if s.day is day)

    def break_minutes(self, day: ProgrammeDay) -> int:
        """Minutes of breaks (registration, coffee, lunch, photo) in one day."""
        return sum(s.minutes for s in self.day_slots(day) if s.item.is_break)

    @property
    def total_minutes(self) -> int:
        """The programme's length: every day from its start to its end."""
        return sum(day.minutes for day in self.days)

    @cached_property
    def footnotes(self) -> tuple[tuple[str, Text], ...]:
        """The concept note's footnotes, numbered in the order the English first refers to them."""
        from .content import FOOTNOTE_REF
        texts = {b.name: b.items[0] for s in self.concept_note for b in s.blocks if b.kind == "footnote"}
        order: dict[str, None] = {}
        for section in self.concept_note:
            for block in section.blocks:
                if block.kind != "footnote":
                    for text in block.items:
                        order.update((m.group(1), None) for m in FOOTNOTE_REF.finditer(text.source))
        return tuple((name, texts[name]) for name in order if name in texts)

    @property
    def footnote_numbers(self) -> dict[str, int]:
        return {name: n for n, (name, _) in enumerate(self.footnotes, start=1)}

    def prose_uses(self, name: str) -> bool:
        """Tell whether the concept note names a placeholder itself (then nothing adds it again)."""
        mark = "{" + name + "}"
        return any(mark in t.source for s in self.concept_note for b in s.blocks for t in b.items) or \
            any(mark in s.title.source for s in self.concept_note)

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

    def agenda_parts(self) -> list[tuple[Speaker, Slot, Group | None]]:
        """Return every part on the agenda (item and parallel-group people), in order."""
        parts = []
        for slot in self.schedule:
            parts.extend((sp, slot, None) for sp in slot.item.speakers)
            for group in slot.item.parallel:
                parts.extend((sp, slot, group) for sp in group.speakers)
        return parts


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


#: Content files an event may leave out, and what it has then.
OPTIONAL_FILES = {"recommendations": {"topics": []}, "contacts": [], "glossary": []}


def load_event(root: Path) -> EventContent:
    """Load and validate an event project's content; raise every problem at once.

    Shape problems and cross-file problems come in the same run: a file whose
    shape is wrong is left out of the cross-checks that need it, the others
    still run.
    """
    problems: list[Problem] = []
    docs: dict[str, YamlDoc] = {}
    values: dict[str, Any] = {}
    partial: set[str] = set()  # files whose shape is wrong, validated without what is wrong
    dropped: dict[str, set[tuple]] = {}  # and where, in each, what was left out
    for key, rel in CONTENT_FILES.items():
        if key in OPTIONAL_FILES and not (root / rel).exists():
            docs[key] = YamlDoc(rel, OPTIONAL_FILES[key])
            values[key] = _SHAPES[key].validate_python(OPTIONAL_FILES[key])
            continue
        try:
            docs[key] = load_yaml(root / rel, root)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        try:
            values[key] = _SHAPES[key].validate_python(docs[key].data)
        except ValidationError as exc:
            problems.extend(_explain(exc, docs[key], key))
            # What is right in the file still serves the cross-file checks, so that one run says everything.
            salvaged = _salvage(key, docs[key].data, exc, dropped.setdefault(key, set()))
            if salvaged is not None:
                values[key] = salvaged
                partial.add(key)
    sections: tuple[MdSection, ...] = ()
    try:
        sections = tuple(load_markdown(root / PROSE_FILE, root))
    except ContentError as exc:
        problems.extend(exc.problems)
    if "event" not in values:
        raise ContentError(problems)
    valid = set(values) - partial
    readable = set(values)  # their ids are known, from what validated or as written
    for key, empty in {"people": [], "agenda": {"sessions": []}, **OPTIONAL_FILES}.items():
        values.setdefault(key, _SHAPES[key].validate_python(empty))
        docs.setdefault(key, YamlDoc(CONTENT_FILES[key], empty))
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
    # Settings left out are the defaults: the event's real languages are then unknown.
    languages_known = not any(loc[:1] == ("settings",) for loc in dropped.get("event", ()))
    problems.extend(_cross_check(content, docs, values, valid, readable, languages_known=languages_known))
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    object.__setattr__(content, "warnings", tuple(problems))  # only warnings are left
    return content


# --- what is right in a file whose shape is wrong ------------------------------------

@cache
def _lenient(key: str) -> Any:
    """Return a file's shape with its top-level required fields optional (None when missing or wrong)."""
    root = _ROOT_TYPES[key]
    if not (isinstance(root, type) and issubclass(root, BaseModel)):
        return _SHAPES[key]
    import typing
    optional = {name: (typing.Optional[field.annotation], None)
                for name, field in root.model_fields.items() if field.is_required()}
    return TypeAdapter(create_model(root.__name__, __base__=root, **optional)) if optional else _SHAPES[key]


def _plain_copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain_copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain_copy(v) for v in data]
    return data


def _salvage(key: str, data: Any, exc: ValidationError, dropped: set[tuple]) -> Any | None:
    """Validate a file without what its errors point at; None when too little is left.

    A misspelt field is read under the name it is close to ('titel' as
    'title'); any other wrong value is left out, and an entry left without a
    required field is left out whole. A top-level field left out is None, and
    the cross-file checks that need it do not run. The result only serves
    those checks: the file's own errors are already reported. What is left
    out is added to ``dropped``.
    """
    shape, data = _lenient(key), _plain_copy(data)
    for _ in range(8):
        try:
            return shape.validate_python(data)
        except ValidationError as again:
            exc = again
        if not _mend(key, data, exc.errors(), dropped):
            return None
    return None


def _mend(key: str, data: Any, errors: list[dict], dropped: set[tuple]) -> bool:
    """Rename misspelt fields and drop what the errors point at; False when nothing could be done."""
    renames, drops = [], set()
    for err in errors:
        loc = _clean_loc(err["loc"])
        if not loc:
            return False
        if err["type"] == "extra_forbidden":
            model = _model_at(_ROOT_TYPES[key], loc[:-1])
            close = close_match(str(loc[-1]), _fields_of(model) if model else ())
            if close:
                renames.append((loc, close))
    renamed = {loc for loc, _ in renames} | {loc[:-1] + (name,) for loc, name in renames}
    for err in errors:
        loc = _clean_loc(err["loc"])
        if loc in renamed:
            continue  # the misspelt field, read under its right name
        drops.add(loc[:-1] if err["type"] == "missing" else loc)
    if () in drops:
        return False
    dropped.update(drops)
    changed = False
    for loc, name in renames:
        parent = _reach(data, loc[:-1])
        if isinstance(parent, dict) and loc[-1] in parent:
            value = parent.pop(loc[-1])
            parent.setdefault(name, value)  # both written: the right name wins
            changed = True
    for loc in sorted(drops, key=lambda path: [(0, p) if isinstance(p, int) else (1, str(p)) for p in path],
                      reverse=True):  # later list entries first, so the earlier indexes stay true
        parent = _reach(data, loc[:-1])
        if isinstance(parent, dict) and loc[-1] in parent:
            del parent[loc[-1]]
            changed = True
        elif isinstance(parent, list) and isinstance(loc[-1], int) and loc[-1] < len(parent):
            del parent[loc[-1]]
            changed = True
    return changed


def _reach(data: Any, loc: tuple) -> Any:
    """Follow a location into plain data, skipping the names pydantic gives union members."""
    for step in loc:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        elif isinstance(data, (dict, list)):
            continue  # a union member's tag, not a place in the file
        else:
            return None
    return data


def _raw_ids(doc: YamlDoc, *path: str) -> set[str]:
    """Return the ids written in a file's list at path, whatever else is wrong with its entries."""
    data = doc.data
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return {str(entry["id"]) for entry in data or [] if isinstance(entry, dict) and entry.get("id") is not None}


# --- turning pydantic's findings into sentences --------------------------------

def close_match(name: str, known: Any) -> str | None:
    """Return the one known name a typo is close to ('titel' → 'title'), or None.

    Close means nearly the same letters and nearly the same length: 'end_date'
    is not a typo of 'date', nor 'kind' of 'id'.
    """
    for candidate in difflib.get_close_matches(name, list(known), n=3, cutoff=0.75):
        if abs(len(candidate) - len(name)) <= max(2, len(name) // 4):
            return candidate
    return None


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
            close = close_match(str(loc[-1]), _fields_of(model) if model else ())
            if close:
                suggested.add(loc[:-1] + (close,))
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
            close = close_match(name, valid)
            hint = f"did you mean '{close}'?" if close else (
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
        elif kind == "greater_than_equal":
            least = err["ctx"]["ge"]
            model = _model_at(_ROOT_TYPES[key], loc[:-1])
            field = model.model_fields.get(name) if model else None
            out = f", or leave '{name}' out when it is not known" if field is not None and not field.is_required() else ""
            problems.append(Problem(doc.file, line, f"'{name}' is {_unwrap(err['input'])}, but it must be at least {least}",
                                    f"write a whole number from {least}{out}"))
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
    close = close_match(name, known)
    if close:
        return f"did you mean '{close}'?"
    if 0 < len(known) <= 12:
        return f"use one of: {', '.join(known)}"
    return "check the spelling or define it first"


def _session_paths(agenda: Agenda) -> list[tuple[tuple, Session, dt.date | None]]:
    """Return each session with its path in agenda.yaml and its day's date."""
    if agenda.days:
        return [(("days", di, "sessions", si), session, day.date)
                for di, day in enumerate(agenda.days) for si, session in enumerate(day.sessions)]
    return [(("sessions", si), session, None) for si, session in enumerate(agenda.sessions)]


def _cross_check(c: EventContent, docs: dict[str, YamlDoc], values: dict[str, Any],
                 valid: set[str] | None = None, readable: set[str] | None = None, *,
                 languages_known: bool = True) -> list[Problem]:
    """Check what no single file can: references, uniqueness, time order.

    ``valid`` names the files whose shape was right. ``readable`` adds those
    whose shape is wrong but whose YAML was read: a reference into one of them
    is checked against the ids as written there; a reference into a file that
    could not be read at all is left out (its ids are unknown, not wrong).
    Checks of times and days need a valid agenda and the event's dates.
    """
    valid = set(values) if valid is None else valid
    readable = valid if readable is None else readable
    problems: list[Problem] = []
    ev, ag, rc = docs["event"], docs["agenda"], docs["recommendations"]
    people_ids = set(c.people) | _raw_ids(docs["people"])
    org_ids = set(c.organizations) | _raw_ids(ev, "organizations")

    def dupes(items: list, doc: YamlDoc, prefix: Any, what: str) -> None:
        seen: dict[str, Any] = {}
        for index, ident in items:
            if ident in seen:
                first = doc.line_of(prefix(seen[ident]) + ("id",))
                problems.append(Problem(doc.file, doc.line_of(prefix(index) + ("id",)),
                                        f"duplicate {what} id '{ident}' (already used on line {first})",
                                        f"each {what} needs its own id"))
            else:
                seen[ident] = index

    sessions = _session_paths(c.agenda)
    dupes(list(enumerate(p.id for p in values["people"])), docs["people"], lambda i: (i,), "person")
    dupes(list(enumerate(o.id for o in c.event.organizations)), ev, lambda i: ("organizations", i), "organization")
    dupes([(path, s.id) for path, s, _ in sessions], ag, lambda path: path, "session")
    item_ids = [(path + ("items", ii), item.id) for path, s, _ in sessions for ii, item in enumerate(s.items)]
    dupes(item_ids, ag, lambda path: path, "agenda item")
    dupes([(i, t.id) for i, t in enumerate(c.recommendations.topics)], rc, lambda i: ("topics", i), "topic")
    rec_ids = [((ti, ri), r.id) for ti, t in enumerate(c.recommendations.topics) for ri, r in enumerate(t.recommendations)]
    dupes(rec_ids, rc, lambda k: ("topics", k[0], "recommendations", k[1]), "recommendation")

    def person(pid: str | None, doc: YamlDoc, path: tuple) -> None:
        if pid is not None and "people" in readable and pid not in people_ids:
            problems.append(Problem(doc.file, doc.line_of(path), f"unknown person '{pid}'", _suggest(pid, people_ids)))

    def org(oid: str | None, doc: YamlDoc, path: tuple) -> None:
        if oid is not None and oid not in org_ids:
            problems.append(Problem(doc.file, doc.line_of(path), f"unknown organization '{oid}'", _suggest(oid, org_ids)))

    org(c.event.organizer, ev, ("organizer",))
    org(c.event.partner, ev, ("partner",))
    for i, oid in enumerate(c.event.through):
        org(oid, ev, ("through", i))
    for i, oid in enumerate(c.event.collaboration):
        org(oid, ev, ("collaboration", i))
    venue = c.event.venue
    if venue is not None:  # None: wrong in event.yaml, and said so
        org(venue.place, ev, ("venue", "place"))
        if venue.place and venue.name:
            problems.append(Problem(ev.file, ev.line_of(("venue", "name")), "the venue has both 'place' and 'name'",
                                    "give 'place' (an organization's id) or 'name' (free text such as a hotel), not both"))
        if not (venue.place or venue.name or venue.online):
            problems.append(Problem(ev.file, ev.line_of(("venue",)), "the venue says neither where nor how to join",
                                    "add 'name:' (or 'place:', an organization's id) for a place, 'online:' for a platform, or both"))
        if venue.link and not venue.online:
            problems.append(Problem(ev.file, ev.line_of(("venue", "link")), "the venue has a 'link' but no 'online' platform",
                                    "add 'online:' with the platform's name (e.g. Zoom)"))
    for i, o in enumerate(c.event.organizations):
        org(o.parent, ev, ("organizations", i, "parent"))
    for i, p in enumerate(values["people"]):
        org(p.organization, docs["people"], (i, "organization"))
    for i, group in enumerate(c.contacts):
        org(group.organization, docs["contacts"], (i, "organization"))
        for k, pid in enumerate(group.people):
            person(pid, docs["contacts"], (i, "people", k))
    from .documents.kinds import check_documents  # the registry knows which documents exist
    problems.extend(check_documents(c, ev))

    languages = set(c.languages)
    source = c.event.settings.source_language
    if "glossary" in valid:
        for i, entry in enumerate(c.glossary):
            if not (entry.term(source) or entry.abbr(source)):
                problems.append(Problem(docs["glossary"].file, docs["glossary"].line_of((i,)),
                                        f"this glossary term has no '{source}' column, the source language",
                                        f"add '{source}:' with the term as the {languages_table.get(source).name} text writes it"))
    topic_ids = {t.id for t in c.recommendations.topics} | _raw_ids(rc, "topics")

    def part(sp: Speaker, path: tuple) -> None:
        person(sp.person, ag, path + ("person",))
        org(sp.organization, ag, path + ("organization",))
        if sp.person is None and not (sp.organization or sp.position):
            problems.append(Problem(ag.file, ag.line_of(path), "a part with no 'person'",
                                    "name the person by id, or for one to be confirmed give 'organization:' or 'position:'"))
        if sp.language is not None and languages_known and sp.language not in languages:
            problems.append(Problem(ag.file, ag.line_of(path + ("language",)),
                                    f"floor language '{sp.language}' is not one of the event's languages",
                                    f"use one of: {', '.join(sorted(languages))}"))
        if sp.language is None and sp.person is not None and sp.role in ("speaker", "panelist"):
            problems.append(Problem(ag.file, ag.line_of(path), f"the {sp.role} '{sp.person}' has no floor language",
                                    f"add 'language:' ({' or '.join(sorted(languages))}): the interpreters need it"))

    person(c.agenda.chair, ag, ("chair",))
    if c.agenda.days and c.agenda.sessions:
        problems.append(Problem(ag.file, ag.line_of(("sessions",)), "the agenda has both 'days' and 'sessions'",
                                "put the sessions under their day in 'days:'"))
    if not c.agenda.days and not c.agenda.sessions and "agenda" in valid:
        problems.append(Problem(ag.file, 1, "the agenda has no sessions", "add 'sessions:' (one day) or 'days:'"))
    for path, session, _ in sessions:
        person(session.moderator, ag, path + ("moderator",))
        person(session.chair, ag, path + ("chair",))
        for ii, item in enumerate(session.items):
            base = path + ("items", ii)
            for k, sp in enumerate(item.speakers):
                part(sp, base + ("speakers", k))
            for g, group in enumerate(item.parallel):
                for k, sp in enumerate(group.speakers):
                    part(sp, base + ("parallel", g, "speakers", k))
            if item.is_break and (item.speakers or item.parallel or item.topics):
                problems.append(Problem(ag.file, ag.line_of(base + ("kind",)), f"the break '{item.id}' has speakers or topics",
                                        "a break has no speakers: give the item another kind, or remove them"))
            if not item.is_break and not (item.title or session.title):
                problems.append(Problem(ag.file, ag.line_of(base), f"item '{item.id}' has no title, nor has its session",
                                        "add 'title:' to the item"))
            for k, tid in enumerate(item.topics):
                if tid not in topic_ids and "recommendations" in readable:
                    problems.append(Problem(ag.file, ag.line_of(base + ("topics", k)),
                                            f"unknown recommendation topic '{tid}'", _suggest(tid, topic_ids)))
            if item.speech is not None:
                problems.extend(_check_inside(c.root, item.speech, ag, base + ("speech",), "speech text"))
    event = c.event
    if "agenda" not in valid or None in (event.date, event.start, event.end, event.timezone):
        return problems

    # Dates: the days lie in the event's date range, in order.
    if event.end_date is not None and event.end_date < event.date:
        problems.append(Problem(ev.file, ev.line_of(("end_date",)), f"the event ends ({event.end_date}) before it starts ({event.date})",
                                "check 'date' and 'end_date'"))
    if event.end_date is not None and event.end_date > event.date and not c.agenda.days:
        problems.append(Problem(ag.file, ag.line_of(("sessions",)), "the event has several days but the agenda has one",
                                "group the sessions by day: 'days:', each with its 'date:' and 'sessions:'"))
    last: dt.date | None = None
    for di, day in enumerate(c.agenda.days):
        where = ag.line_of(("days", di, "date"))
        if not event.date <= day.date <= c.last_date:
            problems.append(Problem(ag.file, where, f"day {day.date} is outside the event's dates ({event.date} to {c.last_date})",
                                    "change the day's date, or 'date'/'end_date' in content/event.yaml"))
        if last is not None and day.date <= last:
            problems.append(Problem(ag.file, where, f"day {day.date} does not come after the day above it ({last})",
                                    "put the days in date order, each once"))
        last = day.date

    # Time must run forwards, inside each day.
    if event.end <= event.start:
        problems.append(Problem(ev.file, ev.line_of(("end",)),
                                f"the event ends ({event.end:%H:%M}) before it starts ({event.start:%H:%M})",
                                "check 'start' and 'end'"))
    by_day: dict[int, list] = {}
    for path, session, _ in sessions:
        for ii, item in enumerate(session.items):
            by_day.setdefault(path[1] if path[0] == "days" else 0, []).append((path + ("items", ii), item))
    for key, entries in by_day.items():
        day = c.days[key] if c.agenda.days else c.days[0]
        d_start, d_end = day.start.time(), day.end.time()
        fix = "the day's 'start'/'end' in content/agenda.yaml" if c.agenda.days else "the event's start in content/event.yaml"
        if d_end <= d_start and c.agenda.days:
            problems.append(Problem(ag.file, ag.line_of(("days", key)), f"day {day.date} ends ({d_end:%H:%M}) before it starts ({d_start:%H:%M})",
                                    "check the day's 'start' and 'end'"))
            continue
        previous: tuple[dt.time, str, dt.time | None] | None = None
        for path, item in entries:
            where = ag.line_of(path + ("start",))
            if item.start < d_start:
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, before the {'day' if c.agenda.days else 'event'} starts ({d_start:%H:%M})",
                                        f"change its start or {fix}"))
            if item.start >= d_end and d_end > d_start:  # else the event's own times are the problem
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, when the {'day' if c.agenda.days else 'event'} has ended ({d_end:%H:%M})",
                                        f"change its start or {fix.replace('start', 'end')}"))
            if item.end is not None and item.end <= item.start:
                problems.append(Problem(ag.file, ag.line_of(path + ("end",)), f"item '{item.id}' ends ({item.end:%H:%M}) before it starts ({item.start:%H:%M})",
                                        "check its 'start' and 'end'"))
            elif item.end is not None and item.end > d_end:
                problems.append(Problem(ag.file, ag.line_of(path + ("end",)), f"item '{item.id}' ends at {item.end:%H:%M}, after the day ends ({d_end:%H:%M})",
                                        "change its end"))
            if previous and item.start < previous[0]:
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, before the item above it ('{previous[1]}', {previous[0]:%H:%M})",
                                        "put the items in time order"))
            elif previous and item.start == previous[0]:
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at the same time as '{previous[1]}' ({item.start:%H:%M}), so they overlap",
                                        "give each item its own start time, or make them groups of one item with 'parallel:'"))
            elif previous and previous[2] is not None and item.start < previous[2]:
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, before '{previous[1]}' ends ({previous[2]:%H:%M}), so they overlap",
                                        "move its start, or make them groups of one item with 'parallel:'"))
            elif previous and previous[2] is not None and item.start > previous[2]:
                gap = (dt.datetime.combine(day.date, item.start) - dt.datetime.combine(day.date, previous[2])).seconds // 60
                problems.append(Problem(ag.file, where, f"nothing is planned for {gap} minutes between '{previous[1]}', "
                                        f"which ends at {previous[2]:%H:%M}, and '{item.id}', which starts at "
                                        f"{item.start:%H:%M}; the agenda shows the time as empty",
                                        "add an item for it (a break, say), or change the end or the start",
                                        "warning"))
            previous = (item.start, item.id, item.end)
    if not problems:
        paths = {id(item): path for path, s, _ in sessions for path, item in
                 [(path + ("items", ii), it) for ii, it in enumerate(s.items)]}
        for slot in c.schedule:
            planned = sum(sp.minutes or 0 for sp in slot.item.speakers)
            if planned > slot.minutes:
                problems.append(Problem(ag.file, ag.line_of(paths[id(slot.item)] + ("speakers",)),
                                        f"the speakers of '{slot.item.id}' have {planned} minutes but the item has {slot.minutes}",
                                        "shorten the speakers' minutes or move the next item's start"))

    for ti, topic in enumerate(c.recommendations.topics):
        for ri, rec in enumerate(topic.recommendations):
            if rec.status == "modified" and not rec.confirmed:
                problems.append(Problem(rc.file, rc.line_of(("topics", ti, "recommendations", ri, "status")),
                                        f"recommendation {rec.id} is 'modified' but has no confirmed text",
                                        "write the agreed wording in 'confirmed:' (or use python build.py decide)"))
    return problems
