"""The document kinds: one table, read by the build, the index, the interpreters' pack and the distribution.

A kind is a template and a few facts about it: whether it is one page per
language or one page holding both languages, its page, whether its text goes
into the interpreters' pack and whether it is sent to the recipients. An event
chooses its documents in ``documents:`` of content/event.yaml; an entry that
names a kind not built in adds one (its template is ``templates/<name>.html``
of the project unless it says otherwise). Adding a kind of document is a
template and one entry, nothing else; no stage tests a kind by its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..content.event import EventContent

#: Page sizes a document may have, in twentieths of a point (short side, long side).
PAPERS = {"A4": (11906, 16838), "A5": (8391, 11906), "Letter": (12240, 15840)}


#: How a kind is made: one page per language; one page per booth pair holding the source and a target
#: side by side; one page per recipient and language (made by `distribute` only); or the calendar
#: invitation (an .ics file per language pair, in the build and in every recipient's pack).
BUILDERS = ("pages", "bilingual", "letters", "calendar")


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document and how every stage treats it."""

    name: str
    template: str
    builder: str = "pages"  # one of BUILDERS
    paper: str = "A4"
    landscape: bool = False
    interpreters: bool = False  # its text goes side by side into the interpreters' pack
    distribution: bool = False  # it is sent to every recipient
    #: "recommendations", "recipients", "participants" or "two languages": left out without them.
    needs: str | None = None
    #: Where its files go in output/, without the extension: {name}, {lang}, {recipient} are filled in.
    #: A bilingual kind's first booth pair has this path, the others add "-<target>".
    output: str = "{lang}/{name}"
    #: A template string that names it where no page of its own gives the title (the index).
    title: str | None = None
    glossary: bool = False  # the glossary goes beside it, as CSV and TBX (for terminology tools)
    compact: bool = False  # set tight (single lines, little space after paragraphs): a letter fits one page
    #: It shows the participants' telephones and e-mails: for the organizers only, never sent to the recipients.
    contacts: bool = False

    def __post_init__(self) -> None:
        if self.contacts and self.distribution:
            raise ValueError(f"document kind '{self.name}' shows contacts: it cannot go to the recipients")

    @property
    def bilingual(self) -> bool:
        return self.builder == "bilingual"

    def path(self, *, lang: str = "", suffix: str = "", recipient: str = "") -> str:
        """Name one of its files in output/, without the extension: "en/agenda", "interpreters/pack-th".

        ``suffix``: a bilingual kind's booth pair after the first ("-th").
        """
        return self.output.format(name=self.name, lang=lang, recipient=recipient) + suffix

    @property
    def folder(self) -> str:
        """The folder of its files in output/ ("interpreters/"; "" for output/ itself), where its glossary goes."""
        head, _, _ = self.path().rpartition("/")
        return f"{head}/" if head else ""


BUILT_IN: tuple[DocumentKind, ...] = (
    DocumentKind("concept-note", "concept-note.html", interpreters=True, distribution=True),
    DocumentKind("agenda", "agenda.html", interpreters=True, distribution=True),
    DocumentKind("recommendations", "recommendations.html", interpreters=True, distribution=True,
                 needs="recommendations"),
    DocumentKind("outcome", "outcome.html"),
    DocumentKind("interpreters", "interpreters.html", builder="bilingual", landscape=True, needs="two languages",
                 output="interpreters/pack", title="Interpreters' preparation pack", glossary=True),
    DocumentKind("letter", "letter.html", builder="letters", needs="recipients", compact=True,
                 output="distribution/{recipient}/{name}-{lang}"),
    # The documents of people (content/participants.yaml).
    DocumentKind("participants", "participants.html", distribution=True, needs="participants"),
    DocumentKind("sign-in", "sign-in.html", landscape=True, needs="participants", contacts=True),
    DocumentKind("name-plates", "name-plates.html", landscape=True, needs="participants"),
    DocumentKind("badges", "badges.html", needs="participants"),
    DocumentKind("certificates", "certificates.html", landscape=True, needs="participants"),
    DocumentKind("invitation", "", builder="calendar", needs="participants", output="invitation",
                 title="Calendar invitation", distribution=True),
)
BY_NAME = {kind.name: kind for kind in BUILT_IN}


def _has(content: EventContent, need: str | None) -> bool:
    if need == "recommendations":
        return content.has_recommendations
    if need == "recipients":
        return content.recipients is not None
    if need == "participants":
        return content.participants is not None
    if need == "two languages":
        return len(content.languages) >= 2
    return True


def kinds(content: EventContent) -> tuple[DocumentKind, ...]:
    """Return the event's documents: those it chose, or every built-in kind it has the content for.

    A chosen entry overrides its built-in kind's facts; one that names no
    built-in kind is a kind of the project's own (its template in the
    project's templates/), made per language unless it says ``bilingual: true``.
    The letter is made by `distribute` whether or not the event lists it.
    """
    chosen = content.event.documents
    if chosen is None:
        return tuple(k for k in BUILT_IN if _has(content, k.needs))
    found = []
    for entry in chosen:
        base = BY_NAME.get(entry.name)
        bilingual = entry.bilingual if entry.bilingual is not None else bool(base and base.bilingual)
        builder = base.builder if base and entry.bilingual is None else ("bilingual" if bilingual else "pages")
        kind = DocumentKind(
            name=entry.name,
            template=entry.template or (base.template if base else f"{entry.name}.html"),
            builder=builder,
            paper=entry.paper or (base.paper if base else "A4"),
            landscape=_chosen(entry.landscape, base.landscape if base else bilingual),
            interpreters=_chosen(entry.interpreters, base.interpreters if base else False),
            # A kind showing telephones and e-mails is never sent, whatever the entry says.
            distribution=_chosen(entry.distribution, base.distribution if base else False) and not (
                base is not None and base.contacts),
            needs=base.needs if base else ("two languages" if bilingual else None),
            output=base.output if base and base.builder == builder else ("{name}" if bilingual else "{lang}/{name}"),
            title=base.title if base else None,
            glossary=base.glossary if base else False,
            contacts=base.contacts if base else False)
        if _has(content, kind.needs):
            found.append(kind)
    # The letter and the calendar come with the distribution whether or not the event lists them.
    extra = [k for k in BUILT_IN if k.builder in ("letters", "calendar") and k.name not in {f.name for f in found}]
    return (*found, *(k for k in extra if _has(content, k.needs)))


def _chosen(value: bool | None, default: bool) -> bool:
    return default if value is None else value


def made_by(content: EventContent, builder: str) -> tuple[DocumentKind, ...]:
    """The event's documents that one builder makes."""
    return tuple(k for k in kinds(content) if k.builder == builder)


def per_language(content: EventContent) -> tuple[DocumentKind, ...]:
    """The documents made once per language."""
    return made_by(content, "pages")


def bilingual(content: EventContent) -> tuple[DocumentKind, ...]:
    """The documents made once per booth pair, holding two languages."""
    return made_by(content, "bilingual")


def page_size(kind: DocumentKind) -> str:
    """Say a kind's page for the print stylesheet ("Letter landscape"); empty for the stylesheet's A4 upright."""
    if kind.paper == "A4" and not kind.landscape:
        return ""
    return f"{kind.paper} landscape" if kind.landscape else kind.paper
