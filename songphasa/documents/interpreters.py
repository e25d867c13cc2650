"""What a booth needs besides the texts: who speaks when and in which language, and whether a speech fits its slot.

AIIC asks organizers for the agenda, the speaker list, the texts that will be
read and a glossary, in advance. This module computes the speaker list, the
run of show and the timing check from the content alone; the pack's page
(bilingual.py) shows them beside both tracks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import languages
from ..content.event import EventContent, Slot
from ..content.models import Group, Speaker
from ..content.text import Text, read_text

#: Reading speed used for the timing check (words a minute, read aloud at a
#: measured pace that simultaneous interpreters can follow).
WORDS_PER_MINUTE = 100


def direction(floor: str, into: str) -> str:
    """Name a booth direction from the language table: "Lao → English"."""
    return f"{languages.get(floor).name} → {languages.get(into).name}"


@dataclass(frozen=True)
class Appearance:
    """A person's part in one agenda item."""

    role: str
    item: str
    start: str  # the clock time ("09:30"), on its day
    language: str | None
    day: int = 1  # the programme's day (1, 2 …): a page of several days says which


def speakers(content: EventContent) -> dict[str, list[Appearance]]:
    """Return everyone on the agenda with every part they have, in order of appearance."""
    found: dict[str, list[Appearance]] = {}

    def at(slot: Slot, role: str, item: str, language: str | None) -> Appearance:
        return Appearance(role, item, f"{slot.start:%H:%M}", language, _day(slot))
    if content.agenda.chair and content.schedule:
        found.setdefault(content.agenda.chair, []).append(at(content.schedule[0], "Programme Chair", "", None))
    for session in content.sessions:
        slots = content.session_slots(session)
        title = session.title.source if session.title else ""
        for role, pid in (("Chair", session.chair), ("Moderator", session.moderator)):
            if pid:
                found.setdefault(pid, []).append(at(slots[0], role, title, None))
        for slot in slots:
            if slot.item.is_break:
                continue
            item_title = slot.item.title.source if slot.item.title else title
            parts = [(sp, item_title) for sp in slot.item.speakers]
            parts += [(sp, f"{item_title}: {g.title.source}") for g in slot.item.parallel for sp in g.speakers]
            for sp, where in parts:
                if sp.person is None:  # to be confirmed: nobody to brief yet
                    continue
                found.setdefault(sp.person, []).append(at(slot, sp.role.capitalize(), where, sp.language))
    return found


@dataclass(frozen=True)
class Cue:
    """One line of the run of show."""

    clock: str  # the time on its day ("13:30"); the days are headed by the page
    elapsed: int
    minutes: int
    estimated: bool  # the agenda gives no minutes for this speaker: a share of the item's time
    item: Text | None
    person: str | None
    language: str | None
    direction: str
    pause: str | None = None  # a break without a title of its own: its kind ("coffee"), named by the template
    day: int = 1  # the programme's day the cue is on
    group: Group | None = None  # one of the item's parallel groups: at the same time as the others, in its room
    to_confirm: Speaker | None = None  # a part still to be confirmed, who speaks the floor language given


def run_of_show(content: EventContent) -> list[Cue]:
    """Return the clock time, elapsed minutes (since the day began), speaker and direction of every turn.

    Parallel groups run at the same time, each in its room: each group has its
    own lines, all at the item's start. A part still to be confirmed keeps its
    floor language: the booth prepares that direction all the same.
    """
    cues = []
    for slot in content.schedule:
        if not slot.item.parallel or any(sp.language for sp in slot.item.speakers):
            cues += _turns(content, slot, slot.item.speakers)
        for group in slot.item.parallel:
            cues += _turns(content, slot, group.speakers, group)
    return cues


def _turns(content: EventContent, slot: Slot, parts: list[Speaker], group: Group | None = None) -> list[Cue]:
    """The turns of one floor (an item's, or one of its groups'): its speakers one after another."""
    source = content.event.settings.source_language
    title = slot.item.title or slot.session.title
    floor = [sp for sp in parts if sp.language]
    if not floor:
        pause = slot.item.kind if slot.item.is_break and not slot.item.title else None
        lead = parts[0] if group and parts else None  # a group's facilitator: whom the room has
        return [Cue(f"{slot.start:%H:%M}", _elapsed(content, slot.start), slot.minutes, False, title,
                    lead.person if lead else None, None, "—", pause, _day(slot), group,
                    lead if lead and not lead.person else None)]
    made, at = [], slot.start
    for sp, minutes in zip(floor, _shares(slot.minutes, [sp.minutes for sp in floor])):
        other = next((l for l in content.languages if l != sp.language), source)
        made.append(Cue(f"{at:%H:%M}", _elapsed(content, at), minutes, not sp.minutes and len(floor) > 1,
                        title, sp.person, sp.language, direction(sp.language or source, other), None,
                        _day(slot), group, None if sp.person else sp))
        at = at + dt.timedelta(minutes=minutes)
    return made


def _shares(total: int, given: list[int | None]) -> list[int]:
    """Give every speaker minutes: theirs where the agenda says, else an equal share of what is left."""
    left = max(total - sum(m or 0 for m in given), 0)
    open_ = [i for i, m in enumerate(given) if not m]
    shares = [m or 0 for m in given]
    for n, i in enumerate(open_):
        shares[i] = left // len(open_) + (1 if n < left % len(open_) else 0)
    return shares


def _elapsed(content: EventContent, at: dt.datetime) -> int:
    """Minutes since the start of the day the moment is on."""
    day = next((d for d in content.days if d.date == at.date()), content.days[0])
    return int((at - day.start).total_seconds() // 60)


@dataclass(frozen=True)
class Timing:
    """A speech text's reading time against its slot."""

    item: str
    file: str
    words: int
    reading_minutes: float
    slot_minutes: int

    @property
    def fits(self) -> bool:
        return self.reading_minutes <= self.slot_minutes


def count_words(text: str) -> int:
    """Count the words of a text (Lao and Thai segmented into words, since they write no spaces)."""
    text = re.sub(r"[#*_>`\[\]()]", " ", text)
    count = 0
    for piece in text.split():
        unspaced = [s for s in languages.scripts_in(piece) if not s.spaces_between_words]
        if unspaced:
            script = unspaced[0]
            letters = languages.script_chars(script)
            code = languages.language_for_script(script, ())
            count += sum(1 for w in languages.segment(piece, code) if letters.search(w))
        elif re.search(r"\w", piece):
            count += 1
    return count


def timings(content: EventContent) -> list[Timing]:
    """Check every attached speech text against the time its item has."""
    found = []
    for slot in content.schedule:
        if not slot.item.speech:
            continue
        words = count_words(read_text(content.root / slot.item.speech, content.root))
        speaker_minutes = sum(sp.minutes or 0 for sp in slot.item.speakers)
        found.append(Timing(slot.item.id, slot.item.speech, words, round(words / WORDS_PER_MINUTE, 1),
                            speaker_minutes or slot.minutes))
    return found


def _day(slot: Slot) -> int:
    """The number of the programme's day a slot is on (the schedule always says; a slot made alone is on day 1)."""
    return slot.day.index if slot.day else 1
