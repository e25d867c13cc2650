"""The participants of the event (content/participants.yaml), and everyone the agenda already names.

A participant is either a person of people.yaml (``person: id``: name,
position and organization come from there, translated in the catalog like
every name of the documents) or written here with the name and position in
each language, as a registration form gives them (``name: {en: …, lo: …}``):
a person's own name in their own script is theirs, not a translator's.
Everyone confirmed on the agenda is a participant without an entry here;
an entry naming them adds what the agenda does not say (attendance, a
telephone). load_event validates the file; crosscheck.py checks its ids.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator, Field, model_validator

from .fields import Email, LanguageId, Model, OrgId, PersonId, S, T, unwrap

ParticipantRole = Literal["delegate", "observer", "speaker", "organizer", "interpreter"]
Attendance = Literal["in-person", "online"]
ROLES: tuple[str, ...] = get_args(ParticipantRole)
#: The roles that receive a certificate unless the list says otherwise.
CERTIFIED: tuple[ParticipantRole, ...] = ("delegate", "observer", "speaker")


class Participant(Model):
    """One participant: a person of people.yaml by id, or a name and position in each language."""

    person: PersonId | None = Field(None, description="A person of people.yaml, by id (name, position and organization "
                                               "come from there); or give id and name.")
    id: S | None = Field(None, description="A short name for a participant written here (not in people.yaml).")
    honorific: T | None = Field(None, description="Mr., Ms., H. E. Mr. (translated once for everybody).")
    name: dict[LanguageId, S] = Field(default_factory=dict, description="The name in each language, by code: "
                                                               "{en: Khamphone Phommachanh, lo: ຄຳພອນ ພົມມະຈັນ}.")
    position: dict[LanguageId, S] = Field(default_factory=dict, description="The position in each language, by code.")
    organization: OrgId | None = Field(None, description="The organization's id: of event.yaml's organizations or "
                                                     "of recipients.yaml.")
    role: Annotated[ParticipantRole, BeforeValidator(unwrap)] | None = Field(
        None, description="delegate, observer, speaker, organizer or interpreter (default: speaker for a person "
                          "on the agenda, else delegate).")
    attendance: Annotated[Attendance, BeforeValidator(unwrap)] = Field(
        "in-person", description="in-person or online.")
    email: Email | None = Field(None, description="E-mail (only on the sign-in sheet, never sent to others).")
    telephone: S | None = Field(None, description="Telephone (only on the sign-in sheet, never sent to others).")
    certificate: bool = Field(True, description="Make a certificate of participation for them.")
    to_confirm: bool = Field(False, description="Not confirmed yet: the lists mark them so.")

    @model_validator(mode="after")
    def _share_honorific(self) -> Participant:
        # "Mr." is translated once for everybody, as in people.yaml.
        if self.honorific is not None:
            object.__setattr__(self, "honorific", replace(self.honorific, context="honorific"))
        return self

    @property
    def key(self) -> str:
        """The id the participant is known by: its person's, or its own."""
        return self.person or self.id or ""


class Certificates(Model):
    """Who signs the certificates of participation."""

    signatory: PersonId = Field(description="The signatory: a person of people.yaml, by id.")
    roles: list[Annotated[ParticipantRole, BeforeValidator(unwrap)]] = Field(
        default_factory=lambda: list(CERTIFIED),
        description="The roles that receive a certificate.")


class ParticipantList(Model):
    """content/participants.yaml: who takes part, in what order their organizations come."""

    protocol: list[S] = Field(default_factory=list, description="Organization ids in protocol order (default: "
                                                                "recipients.yaml's order, then event.yaml's).")
    certificates: Certificates | None = Field(None, description="Who signs the certificates (none: no certificates).")
    participants: list[Participant] = Field(default_factory=list, description="The participants; everyone "
                                                                               "confirmed on the agenda is one already.")


@dataclass(frozen=True)
class Attendee:
    """A participant as the documents list them: from participants.yaml, from the agenda, or both."""

    key: str
    role: str
    attendance: str
    organization: str | None
    entry: Participant | None  # its entry in participants.yaml (None: only on the agenda)
    person: str | None  # its person of people.yaml
    email: str | None
    telephone: str | None
    certificate: bool
    to_confirm: bool
