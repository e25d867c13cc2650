"""The recipients of the workshop pack and their cover letter (content/recipients.yaml).

The file lists the bodies of government the pack goes to, as of a stated
date, and the letter's own texts. Every string is a :class:`Text` whose
msgctxt is ``recipients.<id>.<field>`` or ``letter.<field>``, so the Lao names
and the letter are translated in the same catalog as the documents.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, TypeAdapter, ValidationError

from .content import Text, YamlDoc, load_yaml
from .errors import ContentError, Problem
from .model import S, Date, EventContent, Model, T, _explain, _suggest, _unwrap

RECIPIENTS_FILE = "content/recipients.yaml"
LETTER_DAYS_BEFORE = 7  # the letter's date when none is given
REPLY_DAYS_BEFORE = 4  # the answer date when none is given
_ID = re.compile(r"[a-z][a-z0-9-]{0,39}")  # it names a folder and a zip: short enough for every file system


class Abbreviation(Model):
    en: S = ""
    lo: S = ""  # empty: not confirmed; never guessed


class Recipient(Model):
    id: S
    name: T
    abbreviation: Abbreviation = Field(default_factory=Abbreviation)
    addressee: T | None = None
    language: Annotated[Literal["lo", "en"], BeforeValidator(_unwrap)] = "lo"
    email: S | None = None
    request: T | None = None  # this recipient's own request paragraph (the host ministry's, say)


class ReplyTo(Model):
    """Whom the recipients answer: a person of people.yaml (name, position, e-mail) and a telephone."""

    person: S
    telephone: S | None = None


class Letter(Model):
    date: Date | None = None
    reply_by: Date | None = None
    reference: T
    place: T
    signatory: S
    addressee: T
    subject: T
    #: Paragraphs a letter in one language opens with where that language's
    #: form requires them (a Lao ministry letter's ອີງຕາມ lines), written in
    #: that language: they have no counterpart in the others, and say so.
    grounds: dict[str, list[S]] = Field(default_factory=dict)
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


_SHAPE = TypeAdapter(RecipientList)


def letter_date(recipients: RecipientList, content: EventContent) -> dt.date:
    """Return the letter's date: as given, or a week before the event."""
    return recipients.letter.date or content.event.date - dt.timedelta(days=LETTER_DAYS_BEFORE)


def reply_date(recipients: RecipientList, content: EventContent) -> dt.date:
    """Return the date the letter asks for an answer by."""
    return recipients.letter.reply_by or content.event.date - dt.timedelta(days=REPLY_DAYS_BEFORE)


def load_recipients(content: EventContent) -> RecipientList:
    """Load and check content/recipients.yaml; raise every problem at once."""
    doc = load_yaml(content.root / RECIPIENTS_FILE, content.root)
    doc.data = _short_contexts(doc.data)
    try:
        recipients = _SHAPE.validate_python(doc.data)
    except ValidationError as exc:
        # _explain names the root model to list valid fields; ours is not one of model.py's.
        raise ContentError(_explain_here(exc, doc)) from None
    problems = _cross_check(recipients, content, doc)
    if problems:
        raise ContentError(problems)
    return recipients


def recipient_texts(content: EventContent) -> list[RecipientList]:
    """Return the recipients as a part for the catalog (none when the project has no list)."""
    if not (content.root / RECIPIENTS_FILE).exists():
        return []
    return [load_recipients(content)]


def _short_contexts(node):
    """Drop the file's stem from the ids: ``recipients.mof.name``, ``letter.subject``."""
    if isinstance(node, Text):
        return replace(node, context=node.context.removeprefix("recipients."))
    if isinstance(node, dict):
        return {key: _short_contexts(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_short_contexts(value) for value in node]
    return node


def _explain_here(exc: ValidationError, doc: YamlDoc) -> list[Problem]:
    from . import model
    model._ROOT_TYPES.setdefault("recipients", RecipientList)
    return _explain(exc, doc, "recipients")


def _cross_check(recipients: RecipientList, content: EventContent, doc: YamlDoc) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, recipient in enumerate(recipients.recipients):
        line = doc.line_of(("recipients", index, "id"))
        if not _ID.fullmatch(recipient.id):
            shown = recipient.id if len(recipient.id) <= 60 else recipient.id[:57] + "…"
            problems.append(Problem(doc.file, line, f"recipient id '{shown}' is not a short lower-case name",
                                    "use at most 40 letters, digits and '-', e.g. mof (it names the pack's folder)"))
        if recipient.id in seen:
            problems.append(Problem(doc.file, line, f"duplicate recipient id '{recipient.id}'",
                                    "each recipient needs its own id"))
        seen.add(recipient.id)
        if recipient.language not in content.languages:
            problems.append(Problem(doc.file, doc.line_of(("recipients", index, "language")),
                                    f"'{recipient.language}' is not one of the event's languages",
                                    f"use one of: {', '.join(content.languages)}"))
    signatory = recipients.letter.signatory
    if signatory not in content.people:
        problems.append(Problem(doc.file, doc.line_of(("letter", "signatory")), f"unknown person '{signatory}'",
                                _suggest(signatory, content.people)))
    reply_to = recipients.letter.reply_to
    if reply_to is not None and reply_to.person not in content.people:
        problems.append(Problem(doc.file, doc.line_of(("letter", "reply_to", "person")),
                                f"unknown person '{reply_to.person}'", _suggest(reply_to.person, content.people)))
    link = recipients.letter.meeting_link
    if link is not None and not re.match(r"https://\S+$", link):
        problems.append(Problem(doc.file, doc.line_of(("letter", "meeting_link")),
                                f"the meeting link '{link}' is not a web address", "write it as https://…"))
    for lang in recipients.letter.grounds:
        if lang not in content.languages:
            problems.append(Problem(doc.file, doc.line_of(("letter", "grounds", lang)),
                                    f"'{lang}' is not one of the event's languages",
                                    f"use one of: {', '.join(content.languages)}"))
    letter = letter_date(recipients, content)
    if letter > content.event.date:
        problems.append(Problem(doc.file, doc.line_of(("letter", "date")),
                                f"the letter is dated {letter}, after the workshop ({content.event.date})",
                                "date it before the workshop, or leave 'date' out for a week before"))
    if reply_date(recipients, content) > content.event.date:
        problems.append(Problem(doc.file, doc.line_of(("letter", "reply_by")),
                                "the answer is asked for after the workshop", "choose a day before the workshop"))
    return problems


__all__ = ["Recipient", "RecipientList", "Letter", "load_recipients", "recipient_texts", "letter_date",
           "reply_date", "RECIPIENTS_FILE"]
