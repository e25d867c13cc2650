"""What the decision session shows, read from the files, and a decision recorded through `decide`.

The files stay the source of truth: content/recommendations.yaml holds each
recommendation's status and its confirmed text in the source language, the
PO files its confirmed text in every target language. The state is read from
them anew after every change, and its version is a hash of their bytes, so a
`decide` on the command line, an editor's save and a restarted server all
show the same thing.

A decision whose text in a target language is not confirmed is
*provisional*: its catalog has no usable translation of the confirmed text
(none, or only a fuzzy one, which the documents do not use either).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from .. import languages
from ..content.decide import Decision, decide
from ..content.files import content_file
from ..content.load import Parses, load_event
from ..content.text import MAX_TEXT_CHARS, Text
from ..errors import SongphasaError
from ..i18n.compile import unusable_translations
from ..i18n.po import first, read_catalog
from ..project import Project

RECOMMENDATIONS = content_file("recommendations").path
EVENT = content_file("event").path
STATUSES = ("proposed", "accepted", "modified", "rejected")
#: Decisions with a confirmed text (the others have none).
DECIDED = ("accepted", "modified")
#: Characters that reorder text invisibly (bidi embeddings, overrides, isolates and marks): never in a decision.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class Refused(Exception):
    """A request the session cannot take as it is; ``str()`` says why in one plain sentence."""

    def __init__(self, message: str, status: int = 400, detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail or {}


@dataclass(frozen=True)
class Recommendation:
    """One recommendation as every view shows it, each text by language."""

    id: str
    topic_id: str
    topic: dict[str, str]
    status: str
    proposed: dict[str, str]
    confirmed: dict[str, str | None]
    unconfirmed: tuple[str, ...]  # the target languages whose confirmed text is not confirmed yet

    @property
    def provisional(self) -> bool:
        return bool(self.unconfirmed)

    @property
    def version(self) -> str:
        """A hash of what was decided about this recommendation (a stale form is told by it)."""
        said = json.dumps([self.status, self.proposed, self.confirmed, self.unconfirmed], sort_keys=True)
        return hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "topic": {"id": self.topic_id, "title": self.topic}, "status": self.status,
                "proposed": self.proposed, "confirmed": self.confirmed, "provisional": self.provisional,
                "provisional_languages": list(self.unconfirmed), "version": self.version}


@dataclass(frozen=True)
class State:
    """The whole session as the files hold it."""

    title: dict[str, str]
    source_language: str
    languages: tuple[str, ...]  # the source first
    recommendations: tuple[Recommendation, ...]
    version: str
    problems: tuple[str, ...] = field(default=())

    def find(self, rec_id: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.id == rec_id), None)

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "source_language": self.source_language, "languages": list(self.languages),
                "language_names": {code: languages.get(code).name for code in self.languages},
                "recommendations": [r.as_json() for r in self.recommendations], "version": self.version,
                "problems": list(self.problems)}


def files_version(project: Project, *, every_content_file: bool = False) -> str:
    """Hash the files a decision is kept in (the content's recommendations and event, every catalog).

    ``every_content_file``: also every other file of content/ and the project's own templates (what a page
    is made from: the previews).
    """
    digest = hashlib.sha256()
    paths = [project.root / RECOMMENDATIONS, project.root / EVENT, *sorted(project.locales.glob("*/LC_MESSAGES/*.po"))]
    if every_content_file:
        paths += sorted(p for folder in (project.content, project.root / "templates") if folder.is_dir()
                        for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in paths:
        digest.update(path.relative_to(project.root).as_posix().encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1missing")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def usable(catalog: Catalog, source_lang: str) -> dict[tuple[str | None, str], str]:
    """The translations the documents use: translated, not fuzzy, and usable as written."""
    bad = {(m.context, first(m.id)) for m, _ in unusable_translations(catalog, source_lang)}
    return {(m.context, first(m.id)): first(m.string) for m in catalog
            if m.id and first(m.string) and not m.fuzzy and (m.context, first(m.id)) not in bad}


def any_translation(catalog: Catalog, text: Text) -> str | None:
    """The translation a catalog holds of a text, fuzzy or not (None: none)."""
    message = catalog.get(text.source, text.context)
    return first(message.string) or None if message is not None else None


def read_state(root: Path, memo: Parses | None = None) -> State:
    """Read the session's state from the files (the version is taken first: a change meanwhile shows as one more).

    The texts are as the files hold them (what `decide` writes back), not rendered: a view escapes them.
    ``memo``: the parses a long-lived process keeps (its session's), so that unchanged files are not parsed again.
    """
    project = Project.at(root)
    version = files_version(project)
    content = load_event(project.root, memo=memo)
    settings = content.event.settings
    source = settings.source_language
    catalogs = {lang: read_catalog(project.po_path(lang), project.root, locale=lang)
                for lang in settings.all_languages if lang != source and project.po_path(lang).is_file()}
    lookups = {lang: usable(catalog, source) for lang, catalog in catalogs.items()}
    texts = Said(source, settings.all_languages, lookups)
    recs = tuple(_recommendation(texts, catalogs, topic, rec)
                 for topic in content.recommendations.topics for rec in topic.recommendations)
    return State(texts.every(content.event.title), source, settings.all_languages, recs, version)


@dataclass(frozen=True)
class Said:
    """A content text as each language says it: the source as written, a target from its catalog."""

    source: str
    languages: tuple[str, ...]
    lookups: dict[str, dict[tuple[str | None, str], str]]

    def confirmed(self, text: Text, lang: str) -> str | None:
        """The text in a language, None where its catalog has no usable translation."""
        if lang == self.source or not text.translatable:
            return text.source
        return self.lookups.get(lang, {}).get((text.context, text.source))

    def shown(self, text: Text, lang: str) -> str:
        """The text in a language, its source text where it is not translated (as the documents show it)."""
        return self.confirmed(text, lang) or text.source

    def every(self, text: Text) -> dict[str, str]:
        return {lang: self.shown(text, lang) for lang in self.languages}


def _recommendation(said: Said, catalogs: dict[str, Catalog], topic: Any, rec: Any) -> Recommendation:
    confirmed: dict[str, str | None] = {}
    unconfirmed = []
    # An accepted recommendation without its own text is confirmed as proposed (as the documents show it).
    text = rec.confirmed if rec.confirmed else rec.proposed
    for lang in said.languages:
        if rec.status not in DECIDED:
            confirmed[lang] = None
            continue
        confirmed[lang] = said.confirmed(text, lang)
        if confirmed[lang] is None:
            unconfirmed.append(lang)
            confirmed[lang] = any_translation(catalogs[lang], text) if lang in catalogs else None
    return Recommendation(rec.id, topic.id, said.every(topic.title), rec.status, said.every(rec.proposed), confirmed,
                          tuple(unconfirmed))


# --- a decision --------------------------------------------------------------------------------

def parse_decision(state: State, rec_id: str, body: Any) -> Decision:
    """Check a decision as a client sent it (``{"status", "text": {lang: …}, "version"}``) and make it one.

    Raise :class:`Refused` with a plain sentence for anything wrong: an
    unknown recommendation, status or language, an empty or overlong text, a
    control or bidi character. ``text`` is not read for proposed and rejected
    (they have no confirmed text).
    """
    rec = state.find(rec_id)
    if rec is None:
        known = ", ".join(r.id for r in state.recommendations)
        raise Refused(f"There is no recommendation '{_shown(rec_id)}'; the recommendations are {known}.")
    if not isinstance(body, dict):
        raise Refused(f"Send a JSON object: {decision_shape(state.languages)}.")
    unknown = sorted(set(body) - {"status", "text", "version"})
    if unknown:
        raise Refused(f"Unknown field '{_shown(unknown[0])}': a decision has status, text and version.")
    status = body.get("status")
    if status not in STATUSES:
        raise Refused(f"Unknown status '{_shown(status)}': use one of {', '.join(STATUSES)}.")
    if not isinstance(body.get("version"), str):
        raise Refused("Send the version the decision was made on (the recommendation's or the state's version from "
                      "/api/state), so that a change made meanwhile is not overwritten.")
    texts = body.get("text", {})
    if texts is None:
        texts = {}
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        raise Refused("text must be an object of strings by language, e.g. "
                      f"{{{', '.join(f'{json.dumps(lang)}: …' for lang in state.languages)}}}.")
    for lang, value in texts.items():
        if lang not in state.languages:
            raise Refused(f"'{_shown(lang)}' is not a language of this event: use {', '.join(state.languages)}.")
        _check_text(lang, value)
    if status not in DECIDED:
        return Decision(rec_id, status)
    given = {lang: " ".join(value.split()) for lang, value in texts.items()}
    source = given.get(state.source_language, "")
    if not source:
        if status == "modified" or any(given.values()):
            name = languages.get(state.source_language).name
            raise Refused(f"The confirmed text in {name} ({state.source_language}) is empty: give the agreed "
                          f"wording in {name} (a modified recommendation needs it, and so does every translation).")
        return Decision(rec_id, status)
    return Decision(rec_id, status, source, tuple((lang, given[lang]) for lang in state.languages
                                                  if lang != state.source_language and given.get(lang)))


def decision_shape(langs: tuple[str, ...]) -> str:
    """What a decision's JSON looks like for an event's languages, to say in a message."""
    texts = ", ".join(f"{json.dumps(lang)}: …" for lang in langs)
    return f'{{"status": …, "text": {{{texts}}}, "version": …}}'


def _check_text(lang: str, value: str) -> None:
    name = languages.get(lang).name
    if len(value) > MAX_TEXT_CHARS:
        raise Refused(f"The {name} text has {len(value)} characters; a recommendation may have {MAX_TEXT_CHARS}.")
    control = sorted({c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n\r"})
    bidi = sorted({c for c in value if c in BIDI})
    if control or bidi:
        said = ", ".join(f"U+{ord(c):04X}" for c in control + bidi)
        what = "control" if control else "bidi control"
        raise Refused(f"The {name} text contains the invisible {what} character(s) {said}: type it again without them "
                      "(copy-paste can bring them).")


def _shown(value: Any) -> str:
    """A client's value, short and on one line, to say back in a message."""
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:40] + "…"


def record(root: Path, state: State, rec_id: str, body: Any, *, by: str = "session",
           memo: Parses | None = None) -> list[str]:
    """Record a client's decision through `decide` when it was made on the current state; return what changed.

    The caller holds the project's lock and read ``state`` under it. A stale
    version is refused (409) with the text on record and the text sent.
    """
    decision = parse_decision(state, rec_id, body)
    rec = state.find(rec_id)
    assert rec is not None  # parse_decision refused an unknown id
    if body["version"] not in (rec.version, state.version):
        raise Refused(f"Recommendation {rec_id} was changed meanwhile (in another tab or on the command line): "
                      "nothing was written. Compare the two texts, then save again.", 409,
                      {"theirs": {"status": rec.status, "text": rec.confirmed, "version": rec.version},
                       "yours": {"status": body.get("status"), "text": body.get("text")}})
    try:
        return decide(root, decision, by=by, memo=memo)
    except SongphasaError as exc:
        raise Refused(" ".join(p.message + (f" — {p.hint}" if p.hint else "") for p in exc.problems)) from None
