"""The cover letters: one page per recipient and language, naming the enclosed documents by their own titles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel import Locale
from babel.lists import format_list

from .. import parity
from ..content.event import EventContent
from ..content.recipients import RecipientList, letter_date, reply_date
from ..formats import Formats
from ..progress import Progress, Silent
from ..render.environment import Environment
from ..render.helpers import Helpers, event_values
from ..render.localizer import Localizer
from .bilingual import document_label
from .kinds import DocumentKind
from .pages import Assets, Lookups, Page, formats, localizer, render_page


def render_letters(env: Environment, content: EventContent, lookups: Lookups, kind: DocumentKind,
                   recipients: RecipientList, enclosed: Mapping[tuple[str, str], Page], assets: Assets, *,
                   progress: Progress | None = None,
                   languages: tuple[str, ...] | None = None) -> dict[tuple[str, str], Page]:
    """Render every recipient's letter in every language (or those named), and check the languages' parity.

    ``enclosed``: the pages of the documents the letter encloses, which name them;
    ``languages``: those the pack carries, the source first (a release of some).
    """
    languages = languages or content.languages
    progress = progress or Silent()
    documents = tuple(dict.fromkeys(name for name, _ in enclosed))
    dated = letter_date(recipients, content)
    letters: dict[tuple[str, str], Page] = {}
    for recipient in recipients.recipients:
        for lang in languages:
            loc = localizer(content, lookups, lang)
            extra = {
                "recipient": recipient, "recipients": recipients, "letter_date": dated,
                "values": placeholders(content, recipients, loc, formats(content, lang)),
                "enclosures": documents, "languages_said": languages_said(languages, lang),
                "enclosure_names": {name: document_label(enclosed[(name, lang)]) for name in documents},
            }
            letters[(recipient.id, lang)] = render_page(env, content, lookups, kind, lang, assets=assets, extra=extra,
                                                        loc=loc)
        parity.compare(f"{kind.name} to {recipient.id}",
                       {lang: letters[(recipient.id, lang)].article for lang in languages})
        progress.advance()
    return letters


def placeholders(content: EventContent, recipients: RecipientList, loc: Localizer, fmt: Formats) -> dict[str, Any]:
    """The facts the letter's texts may name in {braces}, said in the letter's language."""
    event = content.event
    helpers = Helpers(content, loc, fmt)
    values: dict[str, Any] = {
        "workshop": loc.text(event.short_title),
        "date": helpers.dates(),  # the day, or the first and the last of several
        "time": helpers.zone_lines()[0][1],  # each day's hours where they differ
        "reply_by": fmt.date(reply_date(recipients, content)),
    }
    return {**event_values(content, loc, fmt), **values}


def languages_said(languages: tuple[str, ...], lang: str) -> str:
    """Name the pack's languages in one language, its own first: "ລາວ ແລະ ອັງກິດ"."""
    ordered = sorted(languages, key=lambda code: code != lang)
    return format_list([Locale.parse(code).get_display_name(lang) or code for code in ordered], locale=lang)
