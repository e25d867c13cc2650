"""The document kinds: one table, read by the build, the index, the interpreters' pack and the distribution.

A kind is a template and a few facts about it: whether it is one page per
language or one page holding both languages, its page, whether its text goes
into the interpreters' pack and whether it is sent to the recipients. An event
chooses its documents in ``documents:`` of content/event.yaml; an entry that
names a kind not built in adds one (its template is ``templates/<name>.html``
of the project unless it says otherwise). Adding a kind of document is a
template and one entry, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .content.event import EventContent

#: Page sizes a document may have, in twentieths of a point (short side, long side).
PAPERS = {"A4": (11906, 16838), "A5": (8391, 11906), "Letter": (12240, 15840)}


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document and how every stage treats it."""

    name: str
    template: str
    bilingual: bool = False  # one page with both languages (else one page per language)
    paper: str = "A4"
    landscape: bool = False
    interpreters: bool = False  # its text goes side by side into the interpreters' pack
    distribution: bool = False  # it is sent to every recipient
    needs: str | None = None  # "recommendations", "contacts" or "two languages": left out without them
    output: str | None = None  # where a bilingual page goes in output/ (without extension)


BUILT_IN: tuple[DocumentKind, ...] = (
    DocumentKind("concept-note", "concept-note.html", interpreters=True, distribution=True),
    DocumentKind("agenda", "agenda.html", interpreters=True, distribution=True),
    DocumentKind("recommendations", "recommendations.html", interpreters=True, distribution=True,
                 needs="recommendations"),
    DocumentKind("outcome", "outcome.html"),
    DocumentKind("interpreters", "interpreters.html", bilingual=True, landscape=True, needs="two languages",
                 output="interpreters/pack"),
)
_BY_NAME = {kind.name: kind for kind in BUILT_IN}


def _has(content: EventContent, need: str | None) -> bool:
    if need == "recommendations":
        return content.has_recommendations
    if need == "contacts":
        return bool(content.contacts)
    if need == "two languages":
        return len(content.languages) >= 2
    return True


def kinds(content: EventContent) -> tuple[DocumentKind, ...]:
    """Return the event's documents: those it chose, or every built-in kind it has the content for."""
    chosen = content.event.documents
    if chosen is None:
        return tuple(k for k in BUILT_IN if _has(content, k.needs))
    found = []
    for entry in chosen:
        base = _BY_NAME.get(entry.name)
        kind = DocumentKind(
            name=entry.name,
            template=entry.template or (base.template if base else f"{entry.name}.html"),
            bilingual=base.bilingual if base else False,
            paper=entry.paper or (base.paper if base else "A4"),
            landscape=entry.landscape if entry.landscape is not None else (base.landscape if base else False),
            interpreters=entry.interpreters if entry.interpreters is not None else (base.interpreters if base else False),
            distribution=entry.distribution if entry.distribution is not None else (base.distribution if base else False),
            needs=base.needs if base else None,
            output=base.output if base else None)
        if _has(content, kind.needs):
            found.append(kind)
    return tuple(found)


def per_language(content: EventContent) -> tuple[DocumentKind, ...]:
    """The documents made once per language."""
    return tuple(k for k in kinds(content) if not k.bilingual)


def bilingual(content: EventContent) -> tuple[DocumentKind, ...]:
    """The documents made once, holding both languages."""
    return tuple(k for k in kinds(content) if k.bilingual)


def page_size(kind: DocumentKind) -> str:
    """Say a kind's page for the print stylesheet ("Letter landscape"); empty for the stylesheet's A4 upright."""
    if kind.paper == "A4" and not kind.landscape:
        return ""
    return f"{kind.paper} landscape" if kind.landscape else kind.paper


def names(selected: tuple[DocumentKind, ...]) -> tuple[str, ...]:
    return tuple(k.name for k in selected)
