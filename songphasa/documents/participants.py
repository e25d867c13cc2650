"""The participants as the documents of people show them: named in every language, grouped in protocol order.

The templates of the list of participants, the sign-in sheet, the name
plates, the badges and the certificates (and the outcome report) are given a
:class:`Roster` as ``people``. A participant's name is said in each language
of the event: a person of people.yaml through the catalog (as every document
names them), a participant written in participants.yaml by the name given for
that language. Telephones and e-mails are given only to a kind that shows
contacts (``DocumentKind.contacts``): the others never receive them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from .. import languages
from ..content.event import EventContent
from ..content.participants import Attendee
from ..content.text import Text
from ..render.localizer import Localizer

#: A compiled catalog: (msgctxt, msgid) → translation, per language.
Lookups = Mapping[str, Mapping[tuple[str | None, str], str]]

#: Advance widths, in ems, that no glyph of the fonts we ship or name exceeds on average in a name set in bold:
#: wide enough that a name sized by them never wraps (Latin capitals and Lao consonants are the widest).
EM_LATIN, EM_OTHER = 0.62, 0.78


@dataclass(frozen=True)
class Row:
    """One participant on a page: their name in every language and what the page may show of them."""

    number: int
    key: str
    role: str
    attendance: str
    name: Markup  # in the page's language, with the honorific
    names: tuple[tuple[str, Markup], ...]  # (language, name) for every language, the page's first
    position: Markup
    organization: Markup  # the organization's name in the page's language ("" for none)
    organization_id: str | None
    email: str | None  # None unless the page shows contacts
    telephone: str | None
    certificate: bool
    to_confirm: bool

    @property
    def other_names(self) -> tuple[tuple[str, Markup], ...]:
        """The name in each other language that writes it differently (the Lao name on an English plate)."""
        # Compared as text: an untranslated name (its source, marked) is the same name, so every language's
        # page holds the same lines (the languages are compared block by block).
        return tuple((lang, name) for lang, name in self.names[1:] if name.striptags() != self.name.striptags())


class Roster:
    """The event's participants for one page in one language."""

    def __init__(self, content: EventContent, lookups: Lookups, loc: Localizer, *, contacts: bool = False):
        self.content = content
        self.lookups = lookups
        self.loc = loc
        self.contacts = contacts
        self.others: dict[str, Localizer] = {}

    def _say(self, text: Text | None, lang: str) -> Markup:
        """A content text in one language: in the page's, as every document says it (an untranslated one
        marked); in another, as plain text (its translation, else its source)."""
        if text is None:
            return Markup("")
        if lang == self.loc.lang:
            return self.loc.text(text)
        if lang not in self.others:
            source = self.content.event.settings.source_language
            self.others[lang] = Localizer(lang, source, dict(self.lookups.get(lang, {})))
        return Markup.escape(self.others[lang].plain(text))

    def _name(self, attendee: Attendee, lang: str) -> Markup:
        entry = attendee.entry
        source = self.content.event.settings.source_language
        if attendee.person is not None and attendee.person in self.content.people:
            person = self.content.people[attendee.person]
            honorific, name = person.honorific, self._say(person.name, lang)
        else:
            assert entry is not None  # a participant without a person is written in participants.yaml
            honorific, name = entry.honorific, Markup.escape(entry.name.get(lang) or entry.name.get(source, ""))
        honorific = honorific or (entry.honorific if entry else None)
        if not honorific:
            return Markup(name)
        return Markup("{} {}").format(self._say(honorific, lang), name)

    def _position(self, attendee: Attendee, lang: str) -> Markup:
        entry = attendee.entry
        if entry is not None and entry.position:
            source = self.content.event.settings.source_language
            return Markup.escape(entry.position.get(lang) or entry.position.get(source, ""))
        if attendee.person is not None and attendee.person in self.content.people:
            return self._say(self.content.people[attendee.person].position, lang)
        return Markup("")

    def organization_name(self, oid: str | None, lang: str | None = None) -> Markup:
        """An organization's name in a language (the page's by default): of event.yaml, else of recipients.yaml."""
        lang = lang or self.loc.lang
        if oid is None:
            return Markup("")
        if oid in self.content.organizations:
            return self._say(self.content.organizations[oid].name, lang)
        recipients = self.content.recipients.recipients if self.content.recipients else []
        found = next((r for r in recipients if r.id == oid), None)
        return self._say(found.name, lang) if found else Markup.escape(oid)

    @cached_property
    def protocol(self) -> tuple[str, ...]:
        """The organizations in protocol order: the list's own, else the recipients', then the event's."""
        listed = self.content.participants.protocol if self.content.participants else []
        recipients = [r.id for r in self.content.recipients.recipients] if self.content.recipients else []
        return tuple(dict.fromkeys([*listed, *recipients, *self.content.organizations]))

    @cached_property
    def rows(self) -> tuple[Row, ...]:
        """Every participant, grouped by organization in protocol order (those of none last), numbered."""
        order = {oid: index for index, oid in enumerate(self.protocol)}
        attendees = sorted(self.content.attendees,
                           key=lambda a: order.get(a.organization or "", len(order)))  # stable: the list's order
        lang = self.loc.lang
        codes = (lang, *(code for code in self.content.languages if code != lang))
        return tuple(
            Row(number, a.key, a.role, a.attendance, self._name(a, lang),
                tuple((code, self._name(a, code)) for code in codes), self._position(a, lang),
                self.organization_name(a.organization), a.organization,
                a.email if self.contacts else None, a.telephone if self.contacts else None,
                a.certificate, a.to_confirm)
            for number, a in enumerate(attendees, start=1))

    def groups(self) -> list[tuple[Markup, list[Row]]]:
        """The rows by organization, in protocol order: (the organization's name, its participants)."""
        found: dict[str | None, list[Row]] = {}
        for row in self.rows:
            found.setdefault(row.organization_id, []).append(row)
        return [(rows[0].organization, rows) for rows in found.values()]

    def certified(self) -> list[Row]:
        """The participants who receive a certificate: their role's, unless their entry says not."""
        listed = self.content.participants
        if listed is None or listed.certificates is None:
            return []
        roles = set(listed.certificates.roles)
        return [row for row in self.rows if row.certificate and row.role in roles and not row.to_confirm]

    def signatory(self) -> tuple[Markup, Markup]:
        """The certificates' signatory: name and position in the page's language."""
        listed = self.content.participants
        if listed is None or listed.certificates is None:
            return Markup(""), Markup("")
        person = self.content.people[listed.certificates.signatory]
        name = self._say(person.name, self.loc.lang)
        if person.honorific:
            name = Markup("{} {}").format(self._say(person.honorific, self.loc.lang), name)
        return name, self._say(person.position, self.loc.lang)

    def translated(self, message: str, lang: str) -> str:
        """A template's string in another language of the event (a certificate's title in both languages)."""
        if lang == self.content.event.settings.source_language:
            return message
        return self.lookups.get(lang, {}).get((None, message)) or message

    def fit(self, text: str, width_mm: float, largest: float, lang: str | None = None) -> float:
        """The largest size in points, up to ``largest``, at which ``text`` set in bold fits ``width_mm`` on one line.

        Widths are estimated from the characters (combining marks take none,
        the script's size ratio in Word applied), generously, so a long name
        shrinks rather than wraps into the fold of a plate.
        """
        ratio = languages.get(lang or self.loc.lang).word_size_ratio
        text = html.unescape(re.sub(r"<[^>]+>", "", str(text)))  # what is set, not its markup
        ems = 0.0
        for char in text:
            if unicodedata.category(char) in ("Mn", "Me", "Cf"):
                continue
            ems += EM_LATIN if ord(char) < 0x0370 else EM_OTHER * ratio
        if ems == 0:
            return largest
        points = width_mm / 25.4 * 72 / ems
        return round(min(largest, points), 1)

