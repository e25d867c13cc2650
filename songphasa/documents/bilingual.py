"""A page holding two languages: the source and one target side by side (the interpreters' pack).

One page per booth pair: a booth works one pair, and a third column of full
text would leave each too narrow to read in the booth. The side-by-side text
is made from the very pages the delegates read, block by block, so the booth
reads what the delegates read; labels are in both languages of the pair.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale
from markupsafe import Markup

from .. import write_html
from ..content.event import EventContent
from ..formats import Formats
from ..render.environment import Environment
from ..render.helpers import Helpers, event_values
from ..render.localizer import Localizer
from .interpreters import WORDS_PER_MINUTE, run_of_show, speakers, timings
from .kinds import DocumentKind
from .pages import Assets, Lookups, Page, formats, render_page


@dataclass(frozen=True)
class Row:
    """One block of the two tracks, as the delegates read it: both languages' HTML."""

    document: str
    source: Markup
    translation: Markup


def document_label(page: Page) -> str:
    """Name a rendered document by its page title, without the event's name after the dash."""
    return page.title.split(" — ")[0]


def side_by_side(pages: Mapping[tuple[str, str], Page], source: str, target: str,
                 documents: tuple[str, ...]) -> list[Row]:
    """Return every text block of the documents in both languages, once each, in document order.

    The two languages of a document have the same blocks (the parity check
    makes sure), so the n-th block of one is the n-th of the other. The text
    is what the pages show, every value filled in and every run language-marked.
    """
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for document in documents:
        if (document, source) not in pages or (document, target) not in pages:
            continue
        for (source_text, source_html), (target_text, target_html) in zip(pages[(document, source)].blocks,
                                                                          pages[(document, target)].blocks):
            text = (source_text, target_text)
            if not any(text) or text in seen:
                continue
            seen.add(text)
            rows.append(Row(document, source_html, target_html))
    return rows


def bilingual_pages(env: Environment, content: EventContent, lookups: Lookups, kind: DocumentKind,
                    pages: Mapping[tuple[str, str], Page], chosen: tuple[str, ...], assets: Assets) -> list[Page]:
    """Render a bilingual kind once per booth pair: the source with each target language.

    ``chosen``: the documents whose text the page holds side by side (those of the pack).
    """
    settings = content.event.settings
    source = settings.source_language
    made = []
    for target in (lang for lang in settings.languages if lang != source):
        page = _render_pair(env, content, lookups, kind, pages, chosen, assets, source, target)
        if settings.digits_for(target):
            write_html.native_digits(page.tree.body, target)
        made.append(page)
    return made


def _render_pair(env: Environment, content: EventContent, lookups: Lookups, kind: DocumentKind,
                 pages: Mapping[tuple[str, str], Page], chosen: tuple[str, ...], assets: Assets,
                 source: str, target: str) -> Page:
    def used(code: str) -> dict:  # without a catalog: the translations the documents used
        return {(s.context, s.source): s.translation for (_, lang), item in pages.items() if lang == code
                for s in item.segments if s.translation is not None and not isinstance(s.source, tuple)}
    lookup = dict(lookups[target]) if target in lookups else used(target)
    source_lookup = dict(lookups[source]) if source in lookups else used(source)
    first = Localizer(source, source, source_lookup, notes=content.footnote_numbers)
    # A label shown in a source the templates are not written in (Lao) leads back to its msgid.
    msgids = {shown: msgid for (context, msgid), shown in source_lookup.items() if context is None and shown}
    second = Localizer(target, source, lookup, notes=content.footnote_numbers)
    helpers = {lang: Helpers(content, loc, formats(content, lang)) for lang, loc in ((source, first), (target, second))}

    def both(text: Any) -> tuple[Markup, Markup]:
        return first.text(text, _values(content, first)), second.text(text, _values(content, second))

    def label(shown: Markup, sep: str = " / ") -> Markup:
        """A label in both languages: the template's _("…") in the source language, then in the target's, marked."""
        text = html.unescape(str(shown))
        msgid = text if first.is_template_language else msgids.get(text, text)
        translation = msgid if second.is_template_language else lookup.get((None, msgid))
        if not translation or translation == text:
            return shown
        return Markup('{}{}<span lang="{}">{}</span>').format(shown, Markup(sep), target, translation)

    def when(lang: str) -> Markup:
        """The event's dates and times as each language writes them (the agenda's line)."""
        h, loc = helpers[lang], first if lang == source else second
        ev = content.event
        zone = loc.text(ev.timezone_label) if ev.timezone_label else ev.timezone
        if len(content.days) == 1:
            day = content.days[0]
            return loc.gettext("%(date)s, %(start)s–%(end)s (%(zone)s)") % {
                "date": h.date(ev.date, weekday=True), "start": h.time(day.start), "end": h.time(day.end), "zone": zone}
        return loc.gettext("%(dates)s (%(zone)s)") % {"dates": h.dates(), "zone": zone}

    def titled(name: str) -> Markup:
        """A document's heading in the pack: its page title in both languages."""
        source_title, target_title = document_label(pages[(name, source)]), document_label(pages[(name, target)])
        if not target_title or target_title == source_title:
            return Markup("{}").format(source_title)
        return Markup('{} / <span lang="{}">{}</span>').format(source_title, target, target_title)

    # Language names from CLDR: in the source language for the labels, each in its own for the headings.
    names = {lang: Locale.parse(lang).get_display_name(source) for lang in content.languages}
    native = {lang: Locale.parse(lang).get_display_name(lang) for lang in content.languages}
    extra = {
        "target": target, "rows": side_by_side(pages, source, target, chosen), "both": both, "label": label,
        "when": when, "h": helpers, "speakers": speakers(content), "cues": run_of_show(content),
        "timings": timings(content), "wpm": WORDS_PER_MINUTE, "fontface": assets.fontface((source, target)),
        "documents": {name: titled(name) for name in chosen}, "languages": names, "native": native,
        "plain": first.plain,
    }
    page = render_page(env, content, lookups, kind, source, assets=assets, extra=extra, loc=first,
                       event_languages=(source, target))
    page.target = target
    return page


def _values(content: EventContent, loc: Localizer) -> dict:
    return event_values(content, loc, Formats(loc.lang))
