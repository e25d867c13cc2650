"""The validated event as a whole, and what is computed from it: its days, its schedule, its footnotes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import ContentError, Problem
from .files import content_file
from .markdown import FOOTNOTE_REF, MdSection
from .models import (
    Agenda,
    ContactGroup,
    Event,
    GlossaryEntry,
    Group,
    Item,
    Organization,
    Person,
    Recommendation,
    Recommendations,
    Session,
    Speaker,
    Topic,
)
from .participants import Attendee, ParticipantList
from .recipients import RecipientList
from .text import Text, not_found


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
        """The day's length in minutes."""
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
        """The item's length in minutes."""
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
    #: The recipients of the pack and their letter (content/recipients.yaml; None: the event has none).
    recipients: RecipientList | None = None
    #: Who takes part (content/participants.yaml; None: the event has no list, and makes no documents of people).
    participants: ParticipantList | None = None
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
        """The event's last day (its only one unless it has an end date)."""
        return self.event.end_date or self.event.date

    @property
    def starts(self) -> dt.datetime:
        """The start of the event's first day, in its zone."""
        return self.local(self.event.start)

    @property
    def ends(self) -> dt.datetime:
        """The end of the event's first day at its daily hours (the times the cover gives)."""
        return self.local(self.event.end)

    @property
    def has_recommendations(self) -> bool:
        """Tell whether the event has recommendations to decide on."""
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
        """Return the slots of one day of the programme, in time order."""
        return tuple(s for s in self.schedule if s.day is day)

    @property
    def total_minutes(self) -> int:
        """The programme's length: every day from its start to its end."""
        return sum(day.minutes for day in self.days)

    @cached_property
    def footnotes(self) -> tuple[tuple[str, Text], ...]:
        """The concept note's footnotes, numbered in the order the source text first refers to them."""
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
        """The number of each footnote, by its name."""
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

    @cached_property
    def agenda_people(self) -> tuple[str, ...]:
        """Everyone confirmed on the agenda (chair, session chairs and moderators, speakers), in order."""
        found: dict[str, None] = {}
        if self.agenda.chair:
            found[self.agenda.chair] = None
        for session in self.sessions:
            found.update((pid, None) for pid in (session.chair, session.moderator) if pid)
            for item in session.items:
                for sp in (*item.speakers, *(sp for g in item.parallel for sp in g.speakers)):
                    if sp.person:
                        found[sp.person] = None
        return tuple(found)

    @cached_property
    def attendees(self) -> tuple[Attendee, ...]:
        """Every participant: the list's entries in its order, then those only the agenda names.

        A person on the agenda is a speaker unless the list says otherwise; an
        entry naming a person of people.yaml takes its organization from there
        unless it gives one.
        """
        listed = self.participants.participants if self.participants else []
        on_agenda = set(self.agenda_people)
        found: list[Attendee] = []
        for entry in listed:
            person = self.people.get(entry.person) if entry.person else None
            role = entry.role or ("speaker" if entry.person in on_agenda else "delegate")
            found.append(Attendee(entry.key, role, entry.attendance,
                                  entry.organization or (person.organization if person else None), entry,
                                  entry.person, entry.email or (person.email if person else None), entry.telephone,
                                  entry.certificate, entry.to_confirm))
        keys = {a.key for a in found}
        for pid in self.agenda_people:
            if pid not in keys and pid in self.people:
                person = self.people[pid]
                found.append(Attendee(pid, "speaker", "in-person", person.organization, None, pid, person.email,
                                      None, True, False))
        return tuple(found)

    def recipient_list(self) -> RecipientList:
        """Return the recipients of the pack; the event must have them."""
        if self.recipients is None:
            raise ContentError(not_found(content_file("recipients").path))
        return self.recipients

    def recommendation(self, rec_id: str) -> Recommendation:
        """Return a recommendation by its id."""
        for topic in self.recommendations.topics:
            for rec in topic.recommendations:
                if rec.id == rec_id:
                    return rec
        raise KeyError(rec_id)

    def topic(self, topic_id: str) -> Topic:
        """Return a recommendation topic by its id."""
        return next(t for t in self.recommendations.topics if t.id == topic_id)

    def agenda_parts(self) -> list[tuple[Speaker, Slot, Group | None]]:
        """Return every part on the agenda (item and parallel-group people), in order."""
        parts: list[tuple[Speaker, Slot, Group | None]] = []
        for slot in self.schedule:
            parts.extend((sp, slot, None) for sp in slot.item.speakers)
            for group in slot.item.parallel:
                parts.extend((sp, slot, group) for sp in group.speakers)
        return parts
