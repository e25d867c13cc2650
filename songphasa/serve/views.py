"""The session's pages and the fragments that refresh them, rendered on the server (Jinja, autoescaped).

Content is untrusted: every text reaches a page through Jinja's escaping or
through :func:`songphasa.diff.word_diff`, which escapes each word. The
pages hold no business logic; a few lines of script (static/live.js) fetch
the fragment again when the server says something changed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from typing import Any

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from .. import languages
from ..content import minutes
from ..diff import word_diff
from ..write_html import css_string, language_css
from .labels import N_, language_name, page_language, plain, say
from .state import STATUSES, Recommendation, State

#: The statuses as the pages say them (translated in the pages' catalogs).
STATUS_NAMES = {"proposed": N_("Proposed"), "accepted": N_("Accepted"), "modified": N_("Modified"), "rejected": N_("Rejected")}
#: An entry's state in the translate view.
STATE_NAMES = {"untranslated": N_("Untranslated"), "fuzzy": N_("Fuzzy"), "translated": N_("Translated")}
#: What the pages' script says, in the screen's language (handed to it in the page's data-said).
SCRIPT_STRINGS = {
    "live": N_("Live: changes appear here as they are recorded."),
    "lost": N_("Connection lost: reconnecting…"),
    "saving": N_("Saving…"),
    "saved": N_("Saved."),
    "unreachable": N_("Not saved: the server cannot be reached. Nothing was changed; save again."),
    "not_saved": N_("Not saved:"),
    "on_record": N_("On record now:"),
    "save_again": N_("Your text is still in the form: save again to replace it."),
    "undone": N_("The last save was undone."),
    "not_undone": N_("Not undone:"),
    "making": N_("Making the documents in every language…"),
    "made": N_("Made %(documents)s documents in output/ in %(seconds)s s."),
    "not_made": N_("Not made:"),
}


@pass_context
def _said_here(context: Context, msgid: str, **values: Any) -> Markup:
    """``_("…")`` in a page: the string in the screen's language (the context's ``ui``)."""
    return say(context["ui"], msgid, **values)


@pass_context
def _name_here(context: Context, code: str) -> str:
    """``name_of(code)``: a language's name in the screen's language."""
    return language_name(code, context["ui"])


@pass_context
def _status_here(context: Context, status: str) -> Markup:
    return say(context["ui"], STATUS_NAMES[status])


@pass_context
def _state_here(context: Context, state: str) -> Markup:
    return say(context["ui"], STATE_NAMES[state])


@pass_context
def _script_strings(context: Context) -> dict[str, str]:
    return {key: plain(say(context["ui"], msgid)) for key, msgid in SCRIPT_STRINGS.items()}


@cache
def environment() -> Environment:
    """The pages' Jinja environment: the package's own templates, autoescaped, strict."""
    env = Environment(loader=PackageLoader("songphasa.serve", "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(_=_said_here, status_names=STATUS_NAMES, said=say, name_of=_name_here, name_in=language_name, page_language=page_language,
                       status_name=_status_here, state_name=_state_here, statuses=STATUSES, script_strings=_script_strings,
                       diff=diff, shown_text=shown_text, diffs_of=diffs_of)
    return env


def render(template: str, **context: Any) -> str:
    """Render one page or fragment; ``ui`` (the screen's language) and ``title_lang`` default to the event's source."""
    state = context.get("state")
    if state is not None:
        context.setdefault("ui", state.source_language)
        context.setdefault("title_lang", _title_language(state, context["ui"]))
    return environment().get_template(template).render(**context)


def _title_language(state: State, ui: str) -> str:
    """The language of the event's title and topics on a page: the screen's, where the event has it."""
    return ui if ui in state.languages else state.source_language


def diff(before: str | None, after: str | None, lang: str) -> Markup:
    """A text with the words changed from ``before`` marked (<del>, <ins>); escaped."""
    return word_diff(before or "", after or "", lang)


def shown_text(rec: Recommendation, lang: str) -> str:
    """The text a view shows for a recommendation in one language: confirmed when decided, else proposed."""
    if rec.status == "rejected":
        return ""
    return rec.confirmed.get(lang) or rec.proposed[lang]


def fonts_css(fonts: dict[str, str]) -> Markup:
    """The font rules of the pages: the bundled web fonts (served from /static/fonts/) and each language's stack.

    ``fonts`` maps each language of the event to its configured font.
    """
    rules = []
    done = set()
    for code in fonts:
        script = languages.get(code).script
        if script.web_font is None or script in done:
            continue
        done.add(script)
        for name, weight in zip(script.web_font, ("normal", "bold")):
            rules.append(f"@font-face {{ font-family: {css_string(script.web_font_family)}; font-weight: {weight}; "
                         f'font-display: swap; src: url("/static/fonts/{name}") format("truetype"); '
                         f"unicode-range: {script.unicode_range}; }}")
    rules.append(language_css(fonts))
    return Markup("\n".join(rules))  # the table's names and css_string's quoted fonts


def qr_code(link: str, title: str) -> Markup:
    """A link as a QR code, inline SVG (segno), for a phone or a laptop's camera in the room."""
    svg = segno.make(link, error="m").svg_inline(scale=3, title=title, omitsize=False)
    return Markup(svg)  # segno's own markup of our link; the title is escaped by segno


def web_font_files(codes: tuple[str, ...]) -> frozenset[str]:
    """The bundled font files the pages of these languages may ask for."""
    return frozenset(name for code in codes for name in (languages.get(code).script.web_font or ()))


@dataclass(frozen=True)
class Texts:
    """One language's texts of a recommendation on a view, with what to mark."""

    lang: str
    proposed: str
    shown: Markup  # the confirmed text with its changes from the proposed marked, or the proposed one
    fresh: bool  # changed since the viewer last looked
    provisional: bool


def texts(rec: Recommendation, lang: str, before: Recommendation | None = None) -> Texts:
    """What a projector or booth shows of one language: proposed, confirmed with changes, what is new."""
    now = shown_text(rec, lang)
    if before is not None and shown_text(before, lang) != now:
        shown, fresh = diff(shown_text(before, lang), now, lang), True
    elif rec.status == "modified":
        shown, fresh = diff(rec.proposed[lang], now, lang), False
    else:
        shown, fresh = diff(now, now, lang), False
    return Texts(lang, rec.proposed[lang], shown, fresh, lang in rec.unconfirmed)


def projector_context(state: State, current: str | None, lang: str | None) -> dict[str, Any]:
    """What the projector shows: the recommendation under discussion, in every language or the one in the link.

    Its own words are in the language shown (each column's in its own); with every language, the event's
    title and the topic are in the source language.
    """
    rec = state.find(current) if current else None
    shown = (lang,) if lang in state.languages else state.languages
    return {"state": state, "rec": rec, "shown": shown, "ui": shown[0] if lang in state.languages else state.source_language,
            "columns": [texts(rec, code) for code in shown] if rec else []}


def projector(state: State, current: str | None, lang: str | None) -> str:
    """The projector's fragment."""
    return render("projector_view.html", **projector_context(state, current, lang))


def booth_context(state: State, current: str | None, lang: str, before: State | None) -> dict[str, Any]:
    """What a booth shows, in the booth's language: the floor's texts and the booth's, what changed since it looked."""
    rec = state.find(current) if current else None
    old = before.find(rec.id) if before is not None and rec is not None else None
    order = (*[code for code in state.languages if code != lang], lang)
    return {"state": state, "rec": rec, "lang": lang, "ui": lang,
            "columns": [texts(rec, code, old) for code in order] if rec else []}


def booth(state: State, current: str | None, lang: str, before: State | None) -> str:
    """A booth's fragment."""
    return render("booth_view.html", **booth_context(state, current, lang, before))


def secretariat_context(state: State, current: str | None, ui: str) -> dict[str, Any]:
    """The secretariat's forms: every recommendation in agenda order, the page in the language chosen."""
    topics: dict[str, list[Recommendation]] = {}
    for rec in state.recommendations:
        topics.setdefault(rec.topic_id, []).append(rec)
    return {"state": state, "topics": topics, "current": current, "ui": ui}


def secretariat(state: State, current: str | None, ui: str) -> str:
    """The secretariat's fragment."""
    return render("secretariat_view.html", **secretariat_context(state, current, ui))


def diffs_of(rec: Recommendation, given: dict[str, str] | None = None, *, ui: str) -> Markup:
    """The secretariat's live diff of one form: proposed → the text typed (by default, the text on record)."""
    if given is None:
        given = {lang: rec.confirmed[lang] or rec.proposed[lang] for lang in rec.proposed}
    rows = [(lang, diff(rec.proposed[lang], " ".join(given.get(lang, "").split()), lang)) for lang in rec.proposed]
    return Markup(render("diffs.html", rows=rows, ui=ui))  # rendered with autoescape


@dataclass(frozen=True)
class LogRow:
    """One entry of the decision log as the secretariat's page lists it."""

    time: str  # as the log has it (ISO 8601, the event's zone)
    clock: str  # the date and time to read: "2021-11-23 10:42:05"
    recommendation: str
    status: str  # a status of STATUS_NAMES, or "undone"
    by: str
    text: tuple[tuple[str, str], ...]


def log_rows(entries: list[minutes.Entry]) -> list[LogRow]:
    """The log's entries, newest first, for the page."""
    return [LogRow(e.time, e.time[:19].replace("T", " "), e.recommendation, e.status, e.by, tuple(e.text.items()))
            for e in reversed(entries)]


def log_csv(entries: list[minutes.Entry], langs: tuple[str, ...]) -> str:
    """The log as CSV for the minute-taker's spreadsheet: one row per entry, a text column per language.

    A cell that a spreadsheet would take for a formula (=, +, -, @ first) is written with a quote before it.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "recommendation", "status", "by", *[f"text ({lang})" for lang in langs]])
    for e in entries:
        writer.writerow([_cell(v) for v in (e.time, e.recommendation, e.status, e.by,
                                            *[e.text.get(lang, "") for lang in langs])])
    return "\ufeff" + out.getvalue()  # the BOM: Excel then reads the Lao as UTF-8


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
