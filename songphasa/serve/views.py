"""The session's pages and the fragments that refresh them, rendered on the server (Jinja, autoescaped).

Content is untrusted: every text reaches a page through Jinja's escaping or
through :func:`songphasa.diff.word_diff`, which escapes each word. The
pages hold no business logic; a few lines of script (static/live.js) fetch
the fragment again when the server says something changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import segno
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import languages
from ..diff import word_diff
from ..write_html import css_string, language_css
from .state import Recommendation, State

#: Labels of the statuses, as the pages say them.
STATUS_NAMES = {"proposed": "Proposed", "accepted": "Accepted", "modified": "Modified", "rejected": "Rejected"}


@cache
def environment() -> Environment:
    """The pages' Jinja environment: the package's own templates, autoescaped, strict."""
    env = Environment(loader=PackageLoader("songphasa.serve", "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(status_names=STATUS_NAMES, language_name=lambda code: languages.get(code).name,
                       diff=diff, shown_text=shown_text, diffs_of=diffs_of)
    return env


def render(template: str, **context: Any) -> str:
    """Render one page or fragment."""
    return environment().get_template(template).render(**context)


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


def projector(state: State, current: str | None, lang: str | None) -> str:
    """The projector's fragment: the recommendation under discussion, in both languages or one."""
    rec = state.find(current) if current else None
    shown = (lang,) if lang in state.languages else state.languages
    return render("projector_view.html", state=state, rec=rec, columns=[texts(rec, code) for code in shown] if rec else [])


def booth(state: State, current: str | None, lang: str, before: State | None) -> str:
    """A booth's fragment: the floor's texts and the booth's, what changed since it last looked marked."""
    rec = state.find(current) if current else None
    old = before.find(rec.id) if before is not None and rec is not None else None
    order = (*[code for code in state.languages if code != lang], lang)
    return render("booth_view.html", state=state, rec=rec, lang=lang,
                  columns=[texts(rec, code, old) for code in order] if rec else [])


def secretariat(state: State, current: str | None) -> str:
    """The secretariat's fragment: every recommendation in agenda order, each a form."""
    topics: dict[str, list[Recommendation]] = {}
    for rec in state.recommendations:
        topics.setdefault(rec.topic_id, []).append(rec)
    return render("secretariat_view.html", state=state, topics=topics, current=current)


def diffs_of(rec: Recommendation, given: dict[str, str] | None = None) -> Markup:
    """The secretariat's live diff of one form: proposed → the text typed (by default, the text on record)."""
    if given is None:
        given = {lang: rec.confirmed[lang] or rec.proposed[lang] for lang in rec.proposed}
    rows = [(lang, diff(rec.proposed[lang], " ".join(given.get(lang, "").split()), lang)) for lang in rec.proposed]
    return Markup(render("diffs.html", rows=rows))  # rendered with autoescape
