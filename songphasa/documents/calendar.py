"""The calendar invitation: an RFC 5545 file (invitation.ics) with one event per day, in a pair of languages.

Each day of the programme is one VEVENT at its local start and end, written
with the event's zone (``DTSTART;TZID=Asia/Vientiane``) and that zone's
VTIMEZONE, so every calendar shows it at the right hour in its own zone. The
summary and description say the event in the source language and one
target (a recipient's own language in its pack); the online link (the
venue's, else the letters' meeting link) and the
organizer (the reply contact of the letter, else the first contact with an
e-mail) come from the content. The icalendar library writes it; nothing in
it depends on the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from .. import reproducible
from ..content.event import EventContent
from ..content.text import Text

#: A compiled catalog: (msgctxt, msgid) → translation, per language.
Lookups = Mapping[str, Mapping[tuple[str | None, str], str]]

PRODUCT = "-//Songphasa//Workshop invitation//EN"


def _say(text: Text | None, lang: str, content: EventContent, lookups: Lookups) -> str:
    if text is None:
        return ""
    if lang == content.event.settings.source_language:
        return text.source
    return lookups.get(lang, {}).get((text.context, text.source)) or text.source


def organizer(content: EventContent) -> tuple[str, str] | None:
    """The invitation's organizer: (name, e-mail) of the letter's reply contact, else of the first contact with one."""
    people = content.people
    reply = content.recipients.letter.reply_to if content.recipients else None
    candidates = [reply.person] if reply else []
    candidates += [pid for group in content.contacts for pid in group.people]
    for pid in candidates:
        person = people.get(pid)
        if person is not None and person.email:
            return person.name.source, person.email
    return None


def invitation(content: EventContent, lookups: Lookups, languages: tuple[str, ...]) -> bytes:
    """Make invitation.ics for a pair of languages (the source and one target), one VEVENT per day."""
    event = content.event

    def both(text: Text | None) -> str:
        said = list(dict.fromkeys(_say(text, lang, content, lookups) for lang in languages))
        return " / ".join(s for s in said if s)

    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    stamp = reproducible.fixed_moment(dt.datetime.combine(event.date, dt.time(0, 0), tzinfo=ZoneInfo(event.timezone)))
    who = organizer(content)
    venue = event.venue
    letter = content.recipients.letter if content.recipients else None
    link = venue.link or (letter.meeting_link if letter else None)  # the link the letters give, else none
    where = []
    if venue.place and venue.place in content.organizations:
        where.append(both(content.organizations[venue.place].name))
    elif venue.name:
        where.append(both(venue.name))
    if venue.room:
        where.insert(0, both(venue.room))
    if venue.city:
        where.append(both(venue.city))
    if venue.online:
        where.append(venue.online)
    identity = hashlib.sha256(f"{event.title.source}\n{event.date}".encode()).hexdigest()[:16]
    several = len(content.days) > 1
    for day in content.days:
        vevent = Event()
        vevent.add("uid", f"{identity}-{day.date.isoformat()}@songphasa")
        vevent.add("dtstamp", stamp.astimezone(dt.timezone.utc))
        vevent.add("dtstart", day.start)
        vevent.add("dtend", day.end)
        summary = both(event.short_title)
        vevent.add("summary", f"{summary} ({day.index}/{len(content.days)})" if several else summary)
        lines = [both(event.title)]
        if link:
            lines.append(link)
        vevent.add("description", "\n".join(lines))
        if where:
            vevent.add("location", ", ".join(where))
        if link:
            vevent.add("url", link)
        if who is not None:
            address = vCalAddress(f"mailto:{who[1]}")
            address.params["cn"] = vText(who[0])
            vevent.add("organizer", address)
        vevent.add("status", "CONFIRMED")
        vevent.add("transp", "OPAQUE")
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


def invitations(content: EventContent, lookups: Lookups, path: str) -> dict[str, bytes]:
    """The build's invitations: one per booth pair (source and each target), the first at ``path``.ics."""
    source = content.event.settings.source_language
    targets = [lang for lang in content.event.settings.languages if lang != source]
    pairs: list[tuple[str, ...]] = [(source, target) for target in targets] or [(source,)]
    return {f"{path}{'' if index == 0 else '-' + pair[-1]}.ics": invitation(content, lookups, pair)
            for index, pair in enumerate(pairs)}
