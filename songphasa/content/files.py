"""The content files of an event project: one table, read by load_event, tools/schemas.py, `watch` and `new`.

Each entry says where the file is, what it holds (the type its data
validates as, or Markdown prose), the name of its JSON Schema, whether an
event may leave it out and what the event has then. A new content file is
one entry here and one field of EventContent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from .models import Agenda, ContactGroup, Event, GlossaryEntry, Person, Recommendations
from .participants import ParticipantList
from .recipients import RecipientList


@dataclass(frozen=True)
class ContentFile:
    """One content file and how the event reads it."""

    key: str  # its field of EventContent
    path: str  # where it is in the project
    shape: Any  # the type its data validates as; None: Markdown prose
    about: str  # what it holds, said in its JSON Schema's title and the README's field reference
    context: str  # how the ids (msgctxt) of its strings start ("": with the ids inside the file)
    required: bool = True
    #: What the event has without it: an optional file left out, or a required one that cannot be read (then
    #: only for the checks of the other files). None: nothing (the event has no recipients).
    empty: Any = None
    schema: str | None = None  # its JSON Schema in schemas/ (editors read it), e.g. "event"
    adapter: TypeAdapter | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.shape is not None:  # made once: pydantic builds its validator here
            object.__setattr__(self, "adapter", TypeAdapter(self.shape))

    @property
    def is_prose(self) -> bool:
        """Tell whether the file is Markdown prose (else YAML)."""
        return self.shape is None

    @property
    def title(self) -> str:
        """Name the file and what it holds: "content/agenda.yaml: the programme"."""
        return f"{self.path}: {self.about}"


#: In the order the files are read and their problems said.
CONTENT_FILES: tuple[ContentFile, ...] = (
    ContentFile("event", "content/event.yaml", Event, "the facts of the event", "event", schema="event"),
    ContentFile("people", "content/people.yaml", list[Person], "everyone named, once", "people",
                empty=[], schema="people"),
    ContentFile("agenda", "content/agenda.yaml", Agenda, "the programme", "agenda",
                empty={"sessions": []}, schema="agenda"),
    ContentFile("recommendations", "content/recommendations.yaml", Recommendations,
                "topics and recommendations", "recommendations", required=False, empty={"topics": []},
                schema="recommendations"),
    ContentFile("contacts", "content/contacts.yaml", list[ContactGroup], "whom to contact", "contacts",
                required=False, empty=[], schema="contacts"),
    ContentFile("glossary", "content/glossary.yaml", list[GlossaryEntry], "agreed terms", "glossary",
                required=False, empty=[], schema="glossary"),
    ContentFile("concept_note", "content/concept-note.md", None, "the concept note's prose", "concept-note",
                empty=()),
    ContentFile("recipients", "content/recipients.yaml", RecipientList, "who receives the pack, and the letter",
                "", required=False, schema="recipients"),
    ContentFile("participants", "content/participants.yaml", ParticipantList, "who takes part", "participants",
                required=False, schema="participants"),
)


def content_file(key: str) -> ContentFile:
    """Return the table's entry for one file, by its key ("agenda")."""
    return next(file for file in CONTENT_FILES if file.key == key)


def content_file_at(path: str) -> ContentFile | None:
    """Return the table's entry for a project-relative path ("content/agenda.yaml"), None for another file."""
    return next((file for file in CONTENT_FILES if file.path == path), None)
