"""The functions templates call to say names, times and places, and the facts texts name as {placeholders}.

What a template receives is listed in the README ("Templates"); everything
here is said in the language of the page's Localizer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel.lists import format_list
from markupsafe import Markup, escape

from .. import languages
from ..content.event import EventContent
from ..content.models import Organization, Person
from ..content.recipients import Citation
from ..documents.interpreters import speakers
from ..formats import Formats, roman
from .localizer import Localizer


@dataclass
class Helpers:
    """Functions the templates use to say names, times and places."""

    content: EventContent
    loc: Localizer
    fmt: Formats

    def person(self, pid: str) -> Person:
        """The person with this id; a template naming an unknown one gets an error at its line."""
        if pid not in self.content.people:
            raise jinja2.UndefinedError(f"no person has the id '{pid}' (content/people.yaml)")
        return self.content.people[pid]

    def organization(self, oid: str) -> Organization:
        """The organization with this id; a template naming an unknown one gets an error at its line."""
        if oid not in self.content.organizations:
            raise jinja2.UndefinedError(f"no organization has the id '{oid}' (content/event.yaml)")
        return self.content.organizations[oid]

    def name(self, person: Person | str) -> Markup:
        person = self.person(person) if isinstance(person, str) else person
        if not person.honorific:
            return self.loc.text(person.name)
        return Markup("{} {}").format(self.loc.text(person.honorific), self.loc.text(person.name))

    def org_chain(self, org_id: str | None, upward: bool = True) -> list:
        chain = []
        while org_id:
            org = self.organization(org_id)
            chain.append(org)
            org_id = org.parent
        return chain if upward else list(reversed(chain))

    def short_org(self, org_id: str | None, upward: bool = True) -> Markup:
        """Say an organization by its abbreviations: "DPIDG/UN DESA"."""
        parts = [self.loc.text(o.abbreviation) if o.abbreviation else self.loc.text(o.name)
                 for o in self.org_chain(org_id, upward)]
        return Markup("/").join(parts)

    def long_org(self, org) -> Markup:
        org = self.organization(org) if isinstance(org, str) else org
        if org.abbreviation:
            return Markup("{} ({})").format(self.loc.text(org.name), self.loc.text(org.abbreviation))
        return self.loc.text(org.name)

    def affiliation(self, person: Person | str) -> Markup:
        person = self.person(person) if isinstance(person, str) else person
        if person.organization:
            return Markup("{}, {}").format(self.loc.text(person.position), self.short_org(person.organization))
        return self.loc.text(person.position)

    def joined(self, org_ids: list[str], conjunction: Markup) -> Markup:
        """Say several organizations: "A, B and C" (the template gives the translated "and")."""
        names = [self.long_org(o) for o in org_ids]
        if len(names) < 2:
            return Markup("").join(names)
        return Markup("{} {} {}").format(Markup(", ").join(names[:-1]), conjunction, names[-1])

    def agenda_people(self) -> list[str]:
        """Return everyone on the agenda (chair, moderators, speakers), in order of appearance."""
        return list(speakers(self.content))  # the interpreters' speaker list says who that is

    def date(self, day: dt.date, weekday: bool = False) -> str:
        return self.fmt.date(day, weekday=weekday)

    def time(self, moment: dt.time | dt.datetime) -> str:
        return self.fmt.time(moment)

    def span(self, start: dt.datetime, end: dt.datetime) -> str:
        return f"{self.fmt.time(start)}–{self.fmt.time(end)}"

    def number(self, value: int | float) -> str:
        return self.fmt.number(value)

    def zone_lines(self) -> list[tuple[str, Markup]]:
        """Say the event's time in every listed zone, with the date where it differs.

        Days with hours of their own are each said with their date ("15 March,
        08:30–17:00 and 16 March, 08:30–12:00"); days that keep the same hours
        are said once.
        """
        c = self.content
        lines = []
        zones = [c.event.timezone, *c.event.also_in]
        for zone in zones:
            spans = [self._span_in(day.date, day.start, day.end, ZoneInfo(zone)) for day in c.days]
            if len(set(spans)) == 1:
                said = spans[0]
            else:
                said = format_list([f"{self.fmt.day_month(day.date)}, {span}" for day, span in zip(c.days, spans)],
                                   locale=self.loc.lang)
            start = c.starts.astimezone(ZoneInfo(zone))
            if zone == c.event.timezone and c.event.timezone_label:
                label = self.loc.text(c.event.timezone_label)
            else:
                label = Markup(escape(self.zone_name(start.tzname() or zone)))
            lines.append((zone, Markup("{} {}").format(said, label)))
        return lines

    def _span_in(self, date: dt.date, starts: dt.datetime, ends: dt.datetime, zone: ZoneInfo) -> str:
        """One day's hours in a zone: "21:00 (22 November)–00:00", the date where it is not the day's."""
        start, end = starts.astimezone(zone), ends.astimezone(zone)
        first = self.fmt.clock(start)
        if start.date() != date:
            first = f"{first} ({self.fmt.day_month(start.date())})"
        last = self.fmt.clock(end)
        if end.date() != start.date() and end.date() != date:
            last = f"{last} ({self.fmt.day_month(end.date())})"
        return f"{first}–{last}"

    def zone_name(self, abbreviation: str) -> str:
        """Name a time zone ("KST") as the glossary says it in the page's language ("ເວລາເກົາຫຼີ"), else as given."""
        lang, source = self.loc.lang, self.content.event.settings.source_language
        if lang != source:
            for entry in self.content.glossary:
                if abbreviation in (entry.abbr(source), entry.abbr(languages.TEMPLATE_LANGUAGE)):  # zones' own
                    return entry.abbr(lang) or entry.term(lang) or abbreviation
        return abbreviation

    def total_minutes(self) -> int:
        return self.content.total_minutes

    def place(self) -> Markup:
        """Say where the event is held: the organization or the free-text name, with the room."""
        venue = self.content.event.venue
        where = self.long_org(venue.place) if venue.place else self.loc.text(venue.name)
        if venue.room:
            where = Markup("{}, {}").format(self.loc.text(venue.room), where)
        return where

    def dates(self, weekday: bool = True) -> str:
        """Say the event's date, or its first and last dates."""
        c = self.content
        if c.last_date == c.event.date:
            return self.fmt.date(c.event.date, weekday=weekday)
        return f"{self.fmt.date(c.event.date, weekday=weekday)} – {self.fmt.date(c.last_date, weekday=weekday)}"

    def citation(self, act: Citation) -> str:
        """Print an act a letter rests on as the page's language cites it ("ອີງຕາມ … ວ່າດ້ວຍ … ເລກທີ …, ລົງວັນທີ …;")."""
        return languages.get(self.loc.lang).cite(act=act.act, subject=act.subject, number=act.number,
                                                 date=self.fmt.date(act.date) if act.date else None)

    def roman(self, n: int) -> str:
        return roman(n)


def event_values(content: EventContent, loc: Localizer, fmt: Formats) -> dict[str, Any]:
    """Return every fact of event.yaml as a named placeholder, said in the localizer's language.

    The README lists them (PLACEHOLDERS); ``facts:`` adds the event's own.
    """
    ev = content.event
    h = Helpers(content, loc, fmt)
    values: dict[str, Any] = {
        "title": lambda: loc.text(ev.title), "short_title": lambda: loc.text(ev.short_title),
        "document_kind": lambda: loc.text(ev.document_kind),
        "organizer": lambda: h.long_org(ev.organizer),
        "organizer_short": lambda: h.short_org(ev.organizer),
        "date": lambda: fmt.date(ev.date, weekday=True), "dates": lambda: h.dates(),
        "end_date": lambda: fmt.date(content.last_date, weekday=True),
        "start": lambda: fmt.clock(ev.start), "end": lambda: fmt.clock(ev.end),
        "timezone": lambda: loc.text(ev.timezone_label) if ev.timezone_label else ev.timezone,
        "days": lambda: fmt.number(len(content.days)),
    }
    if ev.partner:
        values["partner"] = lambda: h.long_org(ev.partner)
        values["partner_short"] = lambda: h.short_org(ev.partner)
    if ev.venue.place or ev.venue.name:
        values["venue"] = h.place
    if ev.venue.city:
        values["city"] = lambda: loc.text(ev.venue.city)
    if ev.venue.online:
        values["platform"] = lambda: ev.venue.online
    if ev.venue.link:
        values["link"] = lambda: ev.venue.link
    for name in ("admission", "audience", "interpretation"):
        if getattr(ev, name):
            values[name] = (lambda n: lambda: loc.text(getattr(ev, n)))(name)
    if ev.supporting_project:
        values["project_code"] = lambda: loc.text(ev.supporting_project.code)
        values["project_title"] = lambda: loc.text(ev.supporting_project.title)
    for name, fact in ev.facts.items():
        values[name] = (lambda f: lambda: fmt.date(f) if isinstance(f, dt.date) else
                        fmt.number(f) if isinstance(f, (int, float)) else loc.text(f))(fact)
    return values


#: The placeholders every event has, for the README's list (facts: adds more).
PLACEHOLDERS = {
    "title": "the event's title", "short_title": "its short title", "document_kind": "what the concept note is called",
    "organizer": "the organizer's name and abbreviation", "organizer_short": "its abbreviation",
    "partner": "the partner's name and abbreviation", "partner_short": "its abbreviations",
    "date": "the (first) date, with the weekday", "dates": "the date, or first and last dates",
    "end_date": "the last date", "start": "the daily start time", "end": "the daily end time",
    "timezone": "the time zone's label", "days": "how many days",
    "venue": "the place (organization or name, with the room)", "city": "the city",
    "platform": "the online platform", "link": "the online link",
    "admission": "admission", "audience": "the audience", "interpretation": "the interpretation note",
    "project_code": "the supporting project's code", "project_title": "its title",
}
