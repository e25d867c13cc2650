"""The checks across files: what no single file's shape can say.

Ids are unique and every id named exists; the event's languages, documents
and venue make sense; the agenda's days and times run forwards; the
recipients' letter names people and languages the event has. Each check is a
function of the validated content and of what is known of the files (their
lines, and which could be read); ``cross_check`` runs them all, in the order
an organizer reads the files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .. import languages as languages_table
from ..documents.kinds import BUILT_IN, PAPERS
from ..errors import ContentError, Problem
from .event import EventContent
from .explain import suggest
from .files import content_file
from .models import Agenda, Item, Person, Session, Speaker
from .participants import ParticipantList
from .recipients import Citation, RecipientList, letter_date, reply_date
from .text import read_text
from .yaml import YamlDoc, load_yaml

#: A recipient's id names a folder and a zip: short enough for every file system.
_RECIPIENT_ID = re.compile(r"[a-z][a-z0-9-]{0,39}")


@dataclass(frozen=True)
class Known:
    """What the checks know of the files besides their validated content."""

    docs: Mapping[str, YamlDoc]  # each YAML file, for its lines (an empty one for a file left out)
    people: Sequence[Person]  # as people.yaml lists them, a duplicate included
    valid: frozenset[str]  # the files whose shape is right
    #: Those, and the files read whose shape is wrong: a reference into one of them is checked against
    #: the ids as written there; a reference into a file that could not be read at all is left out
    #: (its ids are unknown, not wrong).
    readable: frozenset[str]
    languages_known: bool  # False: settings were wrong and left out, so the defaults are not the event's


def cross_check(c: EventContent, known: Known) -> list[Problem]:
    """Check what no single file can: references, uniqueness, languages, documents, time order."""
    problems = [*duplicate_ids(c, known), *references(c, known), *check_documents(c, known.docs["event"]),
                *check_languages(c, known), *glossary_columns(c, known), *agenda_entries(c, known)]
    event = c.event
    # Times and days need a valid agenda and the event's dates.
    if "agenda" in known.valid and None not in (event.date, event.start, event.end, event.timezone):
        problems += days_in_order(c, known.docs["event"], known.docs["agenda"])
        problems += times_in_order(c, known.docs["event"], known.docs["agenda"])
        if not problems:  # the items' lengths mean something only once their times are right
            problems += speakers_minutes(c, known.docs["agenda"])
    problems += decisions(c, known.docs["recommendations"])
    if "recipients" in known.valid and c.recipients is not None:
        problems += recipients_letter(c, c.recipients, known)
    if "participants" in known.valid and c.participants is not None:
        problems += participants_entries(c, c.participants, known)
    return problems


def raw_ids(doc: YamlDoc, *path: str) -> set[str]:
    """Return the ids written in a file's list at path, whatever else is wrong with its entries."""
    data = doc.data
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return {str(entry["id"]) for entry in data or [] if isinstance(entry, dict) and entry.get("id") is not None}


def session_paths(agenda: Agenda) -> list[tuple[tuple, Session]]:
    """Return each session with its path in agenda.yaml."""
    if agenda.days:
        return [(("days", di, "sessions", si), session)
                for di, day in enumerate(agenda.days) for si, session in enumerate(day.sessions)]
    return [(("sessions", si), session) for si, session in enumerate(agenda.sessions)]


def item_paths(agenda: Agenda) -> list[tuple[tuple, Item, Session]]:
    """Return each agenda item with its path in agenda.yaml and its session."""
    return [(path + ("items", ii), item, session)
            for path, session in session_paths(agenda) for ii, item in enumerate(session.items)]


# --- ids ---------------------------------------------------------------------------------------

def duplicate_ids(c: EventContent, known: Known) -> list[Problem]:
    """Check that each person, organization, session, item, topic and recommendation has its own id."""
    problems: list[Problem] = []

    def dupes(items: Iterable[tuple[Any, str]], doc: YamlDoc, prefix: Callable[[Any], tuple], what: str) -> None:
        """Say each id met a second time, with the line of the first."""
        seen: dict[str, Any] = {}
        for index, ident in items:
            if ident in seen:
                first = doc.line_of(prefix(seen[ident]) + ("id",))
                problems.append(Problem(doc.file, doc.line_of(prefix(index) + ("id",)),
                                        f"duplicate {what} id '{ident}' (already used on line {first})",
                                        f"each {what} needs its own id"))
            else:
                seen[ident] = index

    docs = known.docs
    ag, rc = docs["agenda"], docs["recommendations"]
    dupes(enumerate(p.id for p in known.people), docs["people"], lambda i: (i,), "person")
    dupes(enumerate(o.id for o in c.event.organizations), docs["event"], lambda i: ("organizations", i),
          "organization")
    dupes(((path, s.id) for path, s in session_paths(c.agenda)), ag, lambda path: path, "session")
    dupes(((path, item.id) for path, item, _ in item_paths(c.agenda)), ag, lambda path: path, "agenda item")
    dupes(((i, t.id) for i, t in enumerate(c.recommendations.topics)), rc, lambda i: ("topics", i), "topic")
    dupes((((ti, ri), r.id) for ti, t in enumerate(c.recommendations.topics) for ri, r in enumerate(t.recommendations)),
          rc, lambda k: ("topics", k[0], "recommendations", k[1]), "recommendation")
    return problems


# --- references: people and organizations by id ---------------------------------------------------

#: What organizers write for a person not known yet: to be confirmed, announced, decided; "N/A", "?".
_NOT_KNOWN_YET = re.compile(r"(?i)t\.?b\.?[acd]\.?|to be (confirmed|announced|decided)|n/?a|\?+|-+|none|null|unknown")


class _Ids:
    """Say where an id names a person or an organization that does not exist."""

    def __init__(self, c: EventContent, known: Known) -> None:
        self.people = set(c.people) | raw_ids(known.docs["people"])
        self.organizations = set(c.organizations) | raw_ids(known.docs["event"], "organizations")
        self.people_readable = "people" in known.readable
        self.problems: list[Problem] = []

    def person(self, pid: str | None, doc: YamlDoc, path: tuple, *, to_confirm: str = "") -> None:
        """Say a person's id that people.yaml does not have (when it could be read).

        ``to_confirm``: how this place says a part whose person is not known yet ("TBC" is no one's id).
        """
        if pid is not None and self.people_readable and pid not in self.people:
            hint = suggest(pid, self.people)
            if _NOT_KNOWN_YET.fullmatch(pid.strip()) and not hint.startswith("did you mean"):
                hint = to_confirm or f"leave '{path[-1]}' out until the person is known"
            self.problems.append(Problem(doc.file, doc.line_of(path), f"unknown person '{pid}'", hint))

    def organization(self, oid: str | None, doc: YamlDoc, path: tuple, *, free_text: str = "") -> None:
        """Say an organization's id that event.yaml does not list.

        ``free_text``: the field that takes a name as written, where there is one (a venue's 'name').
        """
        if oid is not None and oid not in self.organizations:
            hint = suggest(oid, self.organizations)
            if free_text and not hint.startswith("did you mean"):
                hint = (f"'{path[-1]}' takes the id of an organization of event.yaml; for a place that is not one "
                        f"(a hotel, a conference centre), write '{free_text}: {oid}' instead; ids: "
                        + ", ".join(sorted(self.organizations)))
            self.problems.append(Problem(doc.file, doc.line_of(path), f"unknown organization '{oid}'", hint))


def references(c: EventContent, known: Known) -> list[Problem]:
    """Check that the organizations and people the event, people and contacts name exist, and the venue."""
    ids, ev, event = _Ids(c, known), known.docs["event"], c.event
    ids.organization(event.organizer, ev, ("organizer",))
    ids.organization(event.partner, ev, ("partner",))
    for i, oid in enumerate(event.through):
        ids.organization(oid, ev, ("through", i))
    for i, oid in enumerate(event.collaboration):
        ids.organization(oid, ev, ("collaboration", i))
    if event.venue is not None:  # None: wrong in event.yaml, and said so
        ids.organization(event.venue.place, ev, ("venue", "place"), free_text="name")
        ids.problems += venue(c, ev)
    for i, o in enumerate(event.organizations):
        ids.organization(o.parent, ev, ("organizations", i, "parent"))
    for i, p in enumerate(known.people):
        ids.organization(p.organization, known.docs["people"], (i, "organization"))
    contacts = known.docs["contacts"]
    for i, group in enumerate(c.contacts):
        ids.organization(group.organization, contacts, (i, "organization"))
        for k, pid in enumerate(group.people):
            ids.person(pid, contacts, (i, "people", k))
    return ids.problems


def venue(c: EventContent, ev: YamlDoc) -> list[Problem]:
    """Check that the venue is a place or a name (not both), online, or both; and a link has its platform."""
    where, problems = c.event.venue, []
    if where.place and where.name:
        problems.append(Problem(ev.file, ev.line_of(("venue", "name")), "the venue has both 'place' and 'name'",
                                "give 'place' (an organization's id) or 'name' (free text such as a hotel), not both"))
    if not (where.place or where.name or where.online):
        problems.append(Problem(ev.file, ev.line_of(("venue",)), "the venue says neither where nor how to join",
                                "add 'name:' (or 'place:', an organization's id) for a place, 'online:' for a "
                                "platform, or both"))
    if where.link and not where.online:
        problems.append(Problem(ev.file, ev.line_of(("venue", "link")), "the venue has a 'link' but no 'online' "
                                "platform", "add 'online:' with the platform's name (e.g. Zoom)"))
    return problems


# --- the event's documents and languages -----------------------------------------------------------

#: What a document's name may be: it becomes the name of its files in output/.
DOCUMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def check_documents(c: EventContent, doc: YamlDoc) -> list[Problem]:
    """Check that each document the event chooses is a built-in kind or a project's template, once, on a known paper."""
    problems: list[Problem] = []
    if c.event.documents is None:
        return problems
    kinds = [kind.name for kind in BUILT_IN]
    builtin = resources.files("songphasa") / "templates"
    seen: set[str] = set()
    for index, entry in enumerate(c.event.documents):
        line = doc.line_of(("documents", index))
        if not DOCUMENT_NAME.fullmatch(entry.name):  # it names output files: never a path
            problems.append(Problem(doc.file, line, f"the document name '{entry.name}' is not a plain name",
                                    "use letters, digits, '-' and '_' only, starting with a letter or digit "
                                    "(it names the document's files)"))
            continue
        if entry.name in seen:
            problems.append(Problem(doc.file, line, f"the document '{entry.name}' is listed twice",
                                    "list each document once"))
        seen.add(entry.name)
        template = entry.template or f"{entry.name}.html"
        if not (entry.name in kinds and not entry.template) and not (
                (c.root / "templates" / template).is_file() or (builtin / template).is_file()):
            close = difflib.get_close_matches(entry.name, kinds, n=1, cutoff=0.75)
            hint = (f"did you mean '{close[0]}'?" if close else
                    f"add the template templates/{template} to the project, or use one of: {', '.join(kinds)}")
            problems.append(Problem(doc.file, line, f"unknown document '{entry.name}' (no template {template})", hint))
        if entry.paper and entry.paper not in PAPERS:
            problems.append(Problem(doc.file, doc.line_of(("documents", index, "paper")),
                                    f"unknown paper size '{entry.paper}'", f"use one of: {', '.join(PAPERS)}"))
    return problems


def check_languages(c: EventContent, known: Known) -> list[Problem]:
    """Check that the targets are languages other than the source, each listed once (else a column shows twice)."""
    if not known.languages_known:
        return []
    settings, ev = c.event.settings, known.docs["event"]
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, lang in enumerate(settings.languages):
        line = ev.line_of(("settings", "languages", index))
        if lang == settings.source_language and "languages" not in settings.model_fields_set:
            problems.append(Problem(ev.file, ev.line_of(("settings", "source_language")),
                                    f"settings.languages is left out, and its default lists '{lang}', the source "
                                    "language", "add 'languages:' with the languages the content is translated into"))
        elif lang == settings.source_language:
            problems.append(Problem(ev.file, line, f"settings.languages lists '{lang}', the source language",
                                    "list only the languages the content is translated into"))
        elif lang in seen:
            problems.append(Problem(ev.file, line, f"settings.languages lists '{lang}' twice",
                                    "list each language once"))
        seen.add(lang)
    return problems


def glossary_columns(c: EventContent, known: Known) -> list[Problem]:
    """Check that every glossary term has the source language's column."""
    if "glossary" not in known.valid:
        return []
    source, doc = c.event.settings.source_language, known.docs["glossary"]
    return [Problem(doc.file, doc.line_of((i,)), f"this glossary term has no '{source}' column, the source language",
                    f"add '{source}:' with the term as the {languages_table.get(source).name} text writes it")
            for i, entry in enumerate(c.glossary) if not (entry.term(source) or entry.abbr(source))]


# --- the agenda's entries ---------------------------------------------------------------------------

def agenda_entries(c: EventContent, known: Known) -> list[Problem]:
    """Check the agenda's people, parts, breaks, titles, topics and speech texts."""
    ids, ag = _Ids(c, known), known.docs["agenda"]
    languages = set(c.languages)
    topic_ids = {t.id for t in c.recommendations.topics} | raw_ids(known.docs["recommendations"], "topics")

    def part(sp: Speaker, path: tuple) -> None:
        """Check one part: its person or organization, and its floor language."""
        ids.person(sp.person, ag, path + ("person",),
                   to_confirm="leave 'person' out for a part still to be confirmed, and give the 'organization' "
                              "expected to send someone or the 'position' (the agenda prints it as to be confirmed)")
        ids.organization(sp.organization, ag, path + ("organization",))
        if sp.person is None and not (sp.organization or sp.position):
            ids.problems.append(Problem(ag.file, ag.line_of(path), "a part with no 'person'",
                                        "name the person by id, or for one to be confirmed give 'organization:' or "
                                        "'position:'"))
        if sp.language is not None and known.languages_known and sp.language not in languages:
            ids.problems.append(Problem(ag.file, ag.line_of(path + ("language",)),
                                        f"floor language '{sp.language}' is not one of the event's languages",
                                        f"use one of: {', '.join(sorted(languages))}"))
        if sp.language is None and sp.person is not None and sp.role in ("speaker", "panelist"):
            ids.problems.append(Problem(ag.file, ag.line_of(path), f"the {sp.role} '{sp.person}' has no floor language",
                                        f"add 'language:' ({' or '.join(sorted(languages))}): the interpreters need it"))

    ids.person(c.agenda.chair, ag, ("chair",))
    if c.agenda.days and c.agenda.sessions:
        ids.problems.append(Problem(ag.file, ag.line_of(("sessions",)), "the agenda has both 'days' and 'sessions'",
                                    "put the sessions under their day in 'days:'"))
    if not c.agenda.days and not c.agenda.sessions and "agenda" in known.valid:
        ids.problems.append(Problem(ag.file, 1, "the agenda has no sessions", "add 'sessions:' (one day) or 'days:'"))
    for path, session in session_paths(c.agenda):
        ids.person(session.moderator, ag, path + ("moderator",))
        ids.person(session.chair, ag, path + ("chair",))
        for ii, item in enumerate(session.items):
            base = path + ("items", ii)
            for k, sp in enumerate(item.speakers):
                part(sp, base + ("speakers", k))
            for g, group in enumerate(item.parallel):
                for k, sp in enumerate(group.speakers):
                    part(sp, base + ("parallel", g, "speakers", k))
            if item.is_break and (item.speakers or item.parallel or item.topics):
                ids.problems.append(Problem(ag.file, ag.line_of(base + ("kind",)),
                                            f"the break '{item.id}' has speakers or topics",
                                            "a break has no speakers: give the item another kind, or remove them"))
            if not item.is_break and not (item.title or session.title):
                ids.problems.append(Problem(ag.file, ag.line_of(base), f"item '{item.id}' has no title, nor has its "
                                            "session", "add 'title:' to the item"))
            for k, tid in enumerate(item.topics):
                if tid not in topic_ids and "recommendations" in known.readable:
                    ids.problems.append(Problem(ag.file, ag.line_of(base + ("topics", k)),
                                                f"unknown recommendation topic '{tid}'", suggest(tid, topic_ids)))
            if item.speech is not None:
                ids.problems += file_inside(c.root, item.speech, ag, base + ("speech",), "speech text")
    return ids.problems


def file_inside(root: Path, name: str, doc: YamlDoc, path: tuple, what: str) -> list[Problem]:
    """Check that a file named in content is inside the event project (never ../ or /etc), as text it can hold."""
    target = (root / name).resolve()
    line = doc.line_of(path)
    if not target.is_relative_to(root.resolve()):
        return [Problem(doc.file, line, f"the {what} '{name}' is outside the event project",
                        "put the file in the project's content/ folder and name it relative to the project")]
    if not target.is_file():
        return [Problem(doc.file, line, f"the {what} '{name}' does not exist",
                        "check the file name (it is relative to the event project's folder)")]
    try:
        read_text(root / name, root)  # read again where it is used: every command says the same of it
    except ContentError as exc:
        return list(exc.problems)
    return []


# --- days and times ---------------------------------------------------------------------------------

def days_in_order(c: EventContent, ev: YamlDoc, ag: YamlDoc) -> list[Problem]:
    """Check that the event ends after it starts and the agenda's days lie in its dates, in order."""
    event, problems = c.event, []
    if event.end_date is not None and event.end_date < event.date:
        problems.append(Problem(ev.file, ev.line_of(("end_date",)), f"the event ends ({event.end_date}) before it "
                                f"starts ({event.date})", "check 'date' and 'end_date'"))
    if event.end_date is not None and event.end_date > event.date and not c.agenda.days:
        problems.append(Problem(ag.file, ag.line_of(("sessions",)), "the event has several days but the agenda has one",
                                "group the sessions by day: 'days:', each with its 'date:' and 'sessions:'"))
    last: dt.date | None = None
    for di, day in enumerate(c.agenda.days):
        where = ag.line_of(("days", di, "date"))
        if not event.date <= day.date <= c.last_date:
            problems.append(Problem(ag.file, where, f"day {day.date} is outside the event's dates ({event.date} to "
                                    f"{c.last_date})", "change the day's date, or 'date'/'end_date' in "
                                    "content/event.yaml"))
        if last is not None and day.date <= last:
            problems.append(Problem(ag.file, where, f"day {day.date} does not come after the day above it ({last})",
                                    "put the days in date order, each once"))
        last = day.date
    return problems


def times_in_order(c: EventContent, ev: YamlDoc, ag: YamlDoc) -> list[Problem]:
    """Check that time runs forwards in each day: items start and end within it, in order, without overlap or gap."""
    event, problems = c.event, []
    if event.end <= event.start:
        problems.append(Problem(ev.file, ev.line_of(("end",)),
                                f"the event ends ({event.end:%H:%M}) before it starts ({event.start:%H:%M})",
                                "check 'start' and 'end'"))
    by_day: dict[int, list[tuple[tuple, Item]]] = {}
    for path, item, _ in item_paths(c.agenda):
        by_day.setdefault(path[1] if path[0] == "days" else 0, []).append((path, item))
    several = bool(c.agenda.days)
    for key, entries in by_day.items():
        day = c.days[key] if several else c.days[0]
        d_start, d_end = day.start.time(), day.end.time()
        fix = "the day's 'start'/'end' in content/agenda.yaml" if several else "the event's start in content/event.yaml"
        what = "day" if several else "event"
        if d_end <= d_start and several:
            problems.append(Problem(ag.file, ag.line_of(("days", key)), f"day {day.date} ends ({d_end:%H:%M}) before "
                                    f"it starts ({d_start:%H:%M})", "check the day's 'start' and 'end'"))
            continue
        previous: tuple[dt.time, str, dt.time | None] | None = None
        for path, item in entries:
            where = ag.line_of(path + ("start",))
            if item.start < d_start:
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, before the "
                                        f"{what} starts ({d_start:%H:%M})", f"change its start or {fix}"))
            if item.start >= d_end and d_end > d_start:  # else the event's own times are the problem
                problems.append(Problem(ag.file, where, f"item '{item.id}' starts at {item.start:%H:%M}, when the "
                                        f"{what} has ended ({d_end:%H:%M})",
                                        f"change its start or {fix.replace('start', 'end')}"))
            if item.end is not None and item.end <= item.start:
                problems.append(Problem(ag.file, ag.line_of(path + ("end",)), f"item '{item.id}' ends "
                                        f"({item.end:%H:%M}) before it starts ({item.start:%H:%M})",
                                        "check its 'start' and 'end'"))
            elif item.end is not None and item.end > d_end:
                problems.append(Problem(ag.file, ag.line_of(path + ("end",)), f"item '{item.id}' ends at "
                                        f"{item.end:%H:%M}, after the day ends ({d_end:%H:%M})", "change its end"))
            if previous is not None:
                problems += _after(previous, item, day.date, ag.file, where)
            previous = (item.start, item.id, item.end)
    return problems


def _after(previous: tuple[dt.time, str, dt.time | None], item: Item, date: dt.date, file: str,
           where: int | None) -> list[Problem]:
    """Say how an item stands to the one above it: before it, at the same time, overlapping, or after a gap."""
    start, name, end = previous
    if item.start < start:
        return [Problem(file, where, f"item '{item.id}' starts at {item.start:%H:%M}, before the item above it "
                        f"('{name}', {start:%H:%M})", "put the items in time order")]
    if item.start == start:
        return [Problem(file, where, f"item '{item.id}' starts at the same time as '{name}' ({item.start:%H:%M}), "
                        "so they overlap", "give each item its own start time, or make them groups of one item "
                        "with 'parallel:'")]
    if end is not None and item.start < end:
        return [Problem(file, where, f"item '{item.id}' starts at {item.start:%H:%M}, before '{name}' ends "
                        f"({end:%H:%M}), so they overlap", "move its start, or make them groups of one item with "
                        "'parallel:'")]
    if end is not None and item.start > end:
        gap = (dt.datetime.combine(date, item.start) - dt.datetime.combine(date, end)).seconds // 60
        return [Problem(file, where, f"nothing is planned for {gap} minutes between '{name}', which ends at "
                        f"{end:%H:%M}, and '{item.id}', which starts at {item.start:%H:%M}; the agenda shows the "
                        "time as empty", "add an item for it (a break, say), or change the end or the start",
                        "warning")]
    return []


def speakers_minutes(c: EventContent, ag: YamlDoc) -> list[Problem]:
    """Check that the speakers of an item have no more minutes than the item."""
    paths = {id(item): path for path, item, _ in item_paths(c.agenda)}
    problems = []
    for slot in c.schedule:
        planned = sum(sp.minutes or 0 for sp in slot.item.speakers)
        if planned > slot.minutes:
            problems.append(Problem(ag.file, ag.line_of(paths[id(slot.item)] + ("speakers",)),
                                    f"the speakers of '{slot.item.id}' have {planned} minutes but the item has "
                                    f"{slot.minutes}", "shorten the speakers' minutes or move the next item's start"))
    return problems


# --- the decisions ------------------------------------------------------------------------------------

def decisions(c: EventContent, rc: YamlDoc) -> list[Problem]:
    """Check that a modified recommendation has its confirmed text."""
    return [Problem(rc.file, rc.line_of(("topics", ti, "recommendations", ri, "status")),
                    f"recommendation {rec.id} is 'modified' but has no confirmed text",
                    "write the agreed wording in 'confirmed:' (or use python build.py decide)")
            for ti, topic in enumerate(c.recommendations.topics) for ri, rec in enumerate(topic.recommendations)
            if rec.status == "modified" and not rec.confirmed]


# --- the recipients and their letter -----------------------------------------------------------------

def recipients_letter(c: EventContent, recipients: RecipientList, known: Known) -> list[Problem]:
    """Check the recipients' ids and languages, and that the letter names known people and comes in time."""
    ids, doc = _Ids(c, known), known.docs["recipients"]
    problems = ids.problems
    seen: set[str] = set()
    languages = ", ".join(c.languages)
    for index, recipient in enumerate(recipients.recipients):
        line = doc.line_of(("recipients", index, "id"))
        if not _RECIPIENT_ID.fullmatch(recipient.id):
            shown = recipient.id if len(recipient.id) <= 60 else recipient.id[:57] + "…"
            problems.append(Problem(doc.file, line, f"recipient id '{shown}' is not a short lower-case name",
                                    "use at most 40 letters, digits and '-', e.g. mof (it names the pack's folder)"))
        if recipient.id in seen:
            problems.append(Problem(doc.file, line, f"duplicate recipient id '{recipient.id}'",
                                    "each recipient needs its own id"))
        seen.add(recipient.id)
        if recipient.language is not None and known.languages_known and recipient.language not in c.languages:
            problems.append(Problem(doc.file, doc.line_of(("recipients", index, "language")),
                                    f"'{recipient.language}' is not one of the event's languages",
                                    f"use one of: {languages}"))
    letter = recipients.letter
    ids.person(letter.signatory, doc, ("letter", "signatory"))
    if letter.reply_to is not None:
        ids.person(letter.reply_to.person, doc, ("letter", "reply_to", "person"))
    if letter.meeting_link is not None and not re.match(r"https://\S+$", letter.meeting_link):
        problems.append(Problem(doc.file, doc.line_of(("letter", "meeting_link")),
                                f"the meeting link '{letter.meeting_link}' is not a web address",
                                "write it as https://…"))
    for lang in letter.grounds:
        if known.languages_known and lang not in c.languages:
            problems.append(Problem(doc.file, doc.line_of(("letter", "grounds", lang)),
                                    f"'{lang}' is not one of the event's languages", f"use one of: {languages}"))
    dated = letter_date(recipients, c)
    if dated > c.event.date:
        problems.append(Problem(doc.file, doc.line_of(("letter", "date")),
                                f"the letter is dated {dated}, after the workshop ({c.event.date})",
                                "date it before the workshop, or leave 'date' out for a week before"))
    if reply_date(recipients, c) > c.event.date:
        problems.append(Problem(doc.file, doc.line_of(("letter", "reply_by")),
                                "the answer is asked for after the workshop", "choose a day before the workshop"))
    return problems


#: A reference number still to be written: dots or an ellipsis where the registry's number goes.
_BLANK_NUMBER = re.compile(r"^[\s.…_]*(?:/|$)")


def letter_warnings(c: EventContent) -> list[Problem]:
    """Warn where the letter lacks what a recipient needs to answer (`check` and `distribute` say it; the build,
    which makes no letter, does not)."""
    if c.recipients is None:
        return []
    file = content_file("recipients")
    try:
        doc = load_yaml(c.root / file.path, c.root)
    except (ContentError, OSError):
        doc = YamlDoc(file.path, {})  # read before, so nothing new to say: warn without lines
    return reply_facts(c, c.recipients, doc)


def reply_facts(c: EventContent, recipients: RecipientList, doc: YamlDoc) -> list[Problem]:
    """Warn where the letter lacks what a recipient needs to answer: number, contact, telephone, link, citation."""
    letter, problems = recipients.letter, []

    def warn(path: tuple, message: str, hint: str) -> None:
        problems.append(Problem(doc.file, doc.line_of(path), message, hint, "warning"))

    if _BLANK_NUMBER.match(letter.reference.source):
        warn(("letter", "reference"), f"the letter's reference number is blank ('{letter.reference.source}'): "
             "the e-mailed PDF and DOCX carry it so",
             "write the registry's number in letter.reference before sending, or number the printed letters by hand")
    reply_to = letter.reply_to
    if reply_to is None:
        warn(("letter",), "the letter names nobody to reply to",
             "add letter.reply_to with the host ministry's focal point (person) and a telephone")
    else:
        person = c.people.get(reply_to.person)
        if person is not None and person.organization != c.event.organizer:
            warn(("letter", "reply_to", "person"),
                 f"the reply contact '{reply_to.person}' is not of the organizer ('{c.event.organizer}'): "
                 "recipients answer the host ministry", "name the organizer's focal point in letter.reply_to.person")
        if person is not None and not person.email:
            warn(("letter", "reply_to", "person"), f"the reply contact '{reply_to.person}' has no e-mail address: "
                 "the letter gives none and the e-mails have no From:", "add email: to the person in people.yaml")
        if not reply_to.telephone:
            warn(("letter", "reply_to"), "the letter gives no telephone number to reply to",
                 "add letter.reply_to.telephone (\"+856 21 …\")")
    if c.event.venue.online and not (letter.meeting_link or c.event.venue.link):
        warn(("letter",), f"the workshop is held via {c.event.venue.online} but the letter gives no link to join",
             "add letter.meeting_link (https://…) once the meeting is set up")
    for lang, lines in letter.grounds.items():
        # A citation with the number and without the others is incomplete (a Lao ministry letter gives all three).
        number_word, full = languages_table.get(lang).citation_words
        for index, line in enumerate(lines):
            if isinstance(line, Citation):
                _citation_facts(line, lang, warn, ("letter", "grounds", lang, index))
                continue
            lacking = [word for word in full if word not in line]
            if (number_word and number_word in line and lacking) or "…" in line:
                warn(("letter", "grounds", lang, index), f"the citation '{line}' is incomplete"
                     + (f": it has no {' or '.join(lacking)}" if lacking else ""),
                     "cite the act in full: its subject (ວ່າດ້ວຍ …), its number with the issuer's code and its date "
                     "(ລົງວັນທີ …)")
    return problems


def _citation_facts(act: Citation, lang: str, warn: Callable[[tuple, str, str], None], at: tuple) -> None:
    """Warn of the parts a cited act lacks: its subject, its date, its number with the issuer's code."""
    lacking = [name for name in ("subject", "number", "date") if not getattr(act, name)]
    if act.number and "/" not in act.number:
        lacking.append(f"issuer's code in its number '{act.number}'")
    if not lacking:
        return
    shown = languages_table.get(lang).cite(act=act.act, subject=act.subject, number=act.number,
                                           date=act.date.isoformat() if act.date else None)
    said = ", ".join(f"no {part}" for part in lacking[:-1]) + (" and " if len(lacking) > 1 else "") + f"no {lacking[-1]}"
    warn(at, f"the citation '{shown}' is incomplete: it has {said}",
         "give the act's subject: (what it is about), number: with the issuer's code (02/ປປທ) and date: "
         "(YYYY-MM-DD, the day it was signed), as the act itself has them")


# --- the participants ----------------------------------------------------------------------------

def participants_entries(c: EventContent, listed: ParticipantList, known: Known) -> list[Problem]:
    """Check that each participant is a known person or has a name in the source language, once, at a known body."""
    ids, doc = _Ids(c, known), known.docs["participants"]
    # A recipient is an organization a participant may belong to (its ids as written, if its file is wrong;
    # if it could not be read at all, its ids are unknown, not wrong).
    recipients_known = "recipients" in known.readable
    ids.organizations |= raw_ids(known.docs["recipients"], "recipients")
    ids.organizations |= {r.id for r in c.recipients.recipients} if c.recipients else set()
    problems = ids.problems
    source = c.event.settings.source_language
    seen: dict[str, int | None] = {}
    for index, entry in enumerate(listed.participants):
        at = ("participants", index)
        ids.person(entry.person, doc, (*at, "person"))
        if recipients_known:
            ids.organization(entry.organization, doc, (*at, "organization"))
        if entry.person is None and (entry.id is None or source not in entry.name):
            problems.append(Problem(doc.file, doc.line_of(at), "a participant needs 'person' (an id of "
                                    f"people.yaml), or an 'id' and a name in {source}",
                                    f"write person: <id>, or id: and name: {{{source}: …}}"))
        elif entry.person is not None and (entry.id is not None or entry.name):
            problems.append(Problem(doc.file, doc.line_of(at), f"participant '{entry.person}' is a person of "
                                    "people.yaml and has an id or a name here too",
                                    "keep 'person' (the name comes from people.yaml), or write the participant here"))
        for lang in (*entry.name, *entry.position):
            if known.languages_known and lang not in c.languages:
                problems.append(Problem(doc.file, doc.line_of(at), f"'{lang}' is not one of the event's languages",
                                        "use one of: " + ", ".join(c.languages)))
        if entry.key in seen:
            problems.append(Problem(doc.file, doc.line_of(at), f"participant '{entry.key}' is listed twice "
                                    f"(first on line {seen[entry.key]})", "keep one entry"))
        seen.setdefault(entry.key, doc.line_of(at))
    for index, oid in enumerate(listed.protocol if recipients_known else ()):
        ids.organization(oid, doc, ("protocol", index))
    if listed.certificates is not None:
        ids.person(listed.certificates.signatory, doc, ("certificates", "signatory"))
    return problems
