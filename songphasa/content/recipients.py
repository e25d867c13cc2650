"""The recipients of the workshop pack and their cover letter (content/recipients.yaml).

The file lists the bodies of government the pack goes to, as of a stated
date, and the letter's own texts. Every string is a :class:`Text` whose
msgctxt is ``recipients.<id>.<field>`` or ``letter.<field>`` (the file's
strings have no prefix of their own), so the recipients' names and the
letter are translated in the same catalog as the documents. load_event
validates the file with the others; crosscheck.py checks what it names.
"""

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import Field

from .fields import Date, Email, Model, S, T
from .text import Text

if TYPE_CHECKING:
    from .event import EventContent

LETTER_DAYS_BEFORE = 7  # the letter's date when none is given
REPLY_DAYS_BEFORE = 4  # the answer date when none is given


class Recipient(Model):
    id: S
    name: T
    #: Its abbreviations by language code ({en: MOF, lo: ກງ}); empty where not confirmed, never guessed.
    abbreviation: dict[S, S] = Field(default_factory=dict)
    addressee: T | None = None
    language: S | None = None  # the language its letter is sent in; the event's first target when not given
    email: Email | None = None
    request: T | None = None  # this recipient's own request paragraph (the host ministry's, say)


class ReplyTo(Model):
    """Whom the recipients answer: a person of people.yaml (name, position, e-mail) and a telephone."""

    person: S
    telephone: S | None = None


class Citation(Model):
    """A legal act a letter rests on, cited in full: what it is, what it is about, its number and its date.

    A Lao ministry letter cites each act in an ອີງຕາມ line with all of them; the
    language table says how (``languages.Language.citation_form``), and `check`
    warns of a part left out.
    """

    act: S
    """The kind of act and its issuer, as the language names it (ລັດຖະດຳລັດຂອງປະທານປະເທດ)."""
    subject: S | None = None
    """What it is about: the words after ວ່າດ້ວຍ."""
    number: S | None = None
    """Its number with the issuer's code (02/ປປທ)."""
    date: Date | None = None
    """The day it was signed (ລົງວັນທີ …)."""


class Letter(Model):
    #: The lines that head the letter, centred above the issuer, as the
    #: sender's official form has them (a state's name and motto, say).
    heading: list[T] = Field(default_factory=list)
    date: Date | None = None
    reply_by: Date | None = None
    reference: T
    place: T
    signatory: S
    addressee: T
    subject: T
    #: Paragraphs a letter in one language opens with where that language's
    #: form requires them (a ministry letter's grounds), written in
    #: that language: they have no counterpart in the others, and say so.
    #: A line is written as it prints, or is an act to cite (act, subject, number, date), which the
    #: language's citation form prints and `check` reads part by part.
    grounds: dict[str, list[S | Citation]] = Field(default_factory=dict)
    body: list[T] = Field(min_length=1)
    request: T | None = None  # the paragraph asking for a participant; a recipient may have its own
    reply_to: ReplyTo | None = None
    meeting_link: S | None = None
    closing: T


class RecipientList(Model):
    as_of: Date
    recipients: list[Recipient] = Field(min_length=1)
    letter: Letter

    def addressee(self, recipient: Recipient) -> Text:
        """Return the title a recipient's letter is addressed to."""
        return recipient.addressee or self.letter.addressee

    def request(self, recipient: Recipient) -> Text | None:
        """Return the paragraph that asks this recipient for a participant."""
        return recipient.request or self.letter.request


def letter_date(recipients: RecipientList, content: "EventContent") -> dt.date:
    """Return the letter's date: as given, or a week before the event."""
    return recipients.letter.date or content.event.date - dt.timedelta(days=LETTER_DAYS_BEFORE)


def reply_date(recipients: RecipientList, content: "EventContent") -> dt.date:
    """Return the date the letter asks for an answer by."""
    return recipients.letter.reply_by or content.event.date - dt.timedelta(days=REPLY_DAYS_BEFORE)
