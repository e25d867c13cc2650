"""The models of the event's content files: what each field holds and means.

Each field's docstring says what it means; tools/schemas.py turns them into
the JSON Schemas editors read and the README's field reference.
"""

import re
from dataclasses import replace
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from .. import languages as languages_table
from .fields import Count, Date, Email, Fact, LanguageId, Model, OrgId, PersonId, S, T, Time, Zone, unwrap
from .text import Text


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
    clock: Annotated[Literal["24-hour", "12-hour"], BeforeValidator(unwrap)] = "24-hour"
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
        """Return the font the event names for a language, else the language table's."""
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

    place: OrgId | None = None
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
    """A built-in kind (concept-note, agenda, recommendations, outcome, interpreters, letter) or a new one."""
    template: S | None = None
    """Its template in templates/ (default: <name>.html)."""
    paper: S | None = None
    """A4, A5 or Letter."""
    landscape: bool | None = None
    """Print it landscape."""
    bilingual: bool | None = None
    """One page holding the source and a target side by side, as the interpreters' pack (default: one page per language)."""
    interpreters: bool | None = None
    """Put its text side by side in the interpreters' pack."""
    distribution: bool | None = None
    """Send it to every recipient."""


Document = Annotated[DocumentEntry, BeforeValidator(_entry)]
DocumentOrName = Annotated[Document, WithJsonSchema({"anyOf": [{"type": "string"}, DocumentEntry.model_json_schema()]})]


class Event(Model):
    title: T
    """The event's full title."""
    short_title: T
    """A short title for headers and letters."""
    document_kind: T
    """What the concept note is called on its cover."""
    organizer: OrgId
    """The organizing organization's id."""
    partner: OrgId | None = None
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
    documents: Annotated[list[DocumentOrName], Field(min_length=1)] | None = None
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
    organization: OrgId | None = None
    """Their organization's id."""
    email: Email | None = None
    """Their e-mail address (may be left out)."""

    @model_validator(mode="after")
    def _share_honorific(self) -> "Person":
        # "Mr." is translated once for everybody, not once per person.
        if self.honorific is not None:
            object.__setattr__(self, "honorific", replace(self.honorific, context="honorific"))
        return self


Role = Literal["speaker", "panelist", "chair", "moderator", "facilitator", "rapporteur"]
ItemKind = Literal["presentation", "panel", "discussion", "remarks", "registration", "coffee", "lunch", "photo", "break"]
ROLES: tuple[str, ...] = get_args(Role)
ITEM_KINDS: tuple[str, ...] = get_args(ItemKind)
#: Kinds that are pauses in the programme: shown as breaks, never speeches, never interpreted.
BREAK_KINDS = frozenset({"registration", "coffee", "lunch", "photo", "break"})


class Speaker(Model):
    """A part on the agenda: a person by id, or one to be confirmed (by organization or position)."""

    person: PersonId | None = None
    """The person's id; leave it out for a part still to be confirmed."""
    role: Annotated[Role, BeforeValidator(unwrap)] = "speaker"
    """speaker, panelist, chair, moderator, facilitator or rapporteur."""
    language: LanguageId | None = None
    """The floor language they speak (tells the interpreters the direction)."""
    minutes: Count | None = None
    """Their minutes, where known."""
    organization: OrgId | None = None
    """For a part to be confirmed: the organization expected to send someone."""
    position: T | None = None
    """For a part to be confirmed: the position expected."""

    @property
    def confirmed(self) -> bool:
        """Tell whether the part has its person (else it is still to be confirmed)."""
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
    kind: Annotated[ItemKind, BeforeValidator(unwrap)] | None = None
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
        """Tell whether the item is a pause in the programme (registration, coffee, lunch, photo, break)."""
        return self.kind in BREAK_KINDS


class Session(Model):
    id: S
    """A short name for the session."""
    title: T | None = None
    """Its title."""
    moderator: PersonId | None = None
    """Its moderator's id."""
    chair: PersonId | None = None
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
    chair: PersonId | None = None
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
    status: Annotated[Literal["proposed", "accepted", "modified", "rejected"], BeforeValidator(unwrap)] = "proposed"
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
    organization: OrgId
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
                                  # "dnt" itself is three letters: the pattern of language columns must not claim it.
                                  "patternProperties": {"^(?!dnt$)(abbr_|note_)?[a-z]{2,3}$": {"type": "string"},
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
            key = unwrap(key)
            if key in ("variants", "note", "dnt"):
                out[key] = value
                continue
            match = _GLOSSARY_COLUMN.fullmatch(str(key))
            if not match:
                raise PydanticCustomError("glossary_column", "unknown glossary field '{key}' — use a language code "
                                          "(en, lo, th), abbr_<code>, note_<code>, dnt_<code>, variants, note or dnt",
                                          {"key": key})
            value = unwrap(value)
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
        """Return the term in one language ("" where the glossary has none)."""
        return self._column("", lang) or ""

    def abbr(self, lang: str) -> str:
        """Return the abbreviation in one language ("" where it has none)."""
        return self._column("abbr", lang) or ""

    def note_for(self, lang: str) -> str:
        """Return the note for one language's column, else the note for all."""
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
