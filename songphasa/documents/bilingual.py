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
    """One piece of the two tracks, as the delegates read it: both languages' HTML."""

    document: str
    source: Markup
    translation: Markup
    kind: str = "text"  # as pages.Unit: "columns" for a table's heading row


@dataclass(frozen=True)
class Covered:
    """A document whose text another one, earlier in the pack, already holds (the agenda in the concept note)."""

    within: str
    first: int  # the rows of that document's table, counted from 1
    last: int


#: How much of a document another must hold for the pack to point there instead of repeating it.
COVERED_SHARE = 0.9


def document_label(page: Page) -> str:
    """Name a rendered document by its page title, without the event's name after the dash."""
    return page.title.split(" — ")[0]


def side_by_side(pages: Mapping[tuple[str, str], Page], source: str, target: str,
                 documents: tuple[str, ...]) -> tuple[list[Row], dict[str, Covered]]:
    """Return every piece of text of the documents in both languages, in document order, and the documents covered.

    The two languages of a document have the same blocks (the parity check
    makes sure), so the n-th of one is the n-th of the other. The text is what
    the pages show, every value filled in and every run language-marked. A
    document keeps every piece in its place, repeated labels included (each
    topic's "Confirmed recommendation"); a document nearly all of which an
    earlier one holds is not repeated: the pack says where its text is.
    """
    rows: list[Row] = []
    covered: dict[str, Covered] = {}
    earlier: dict[str, list[tuple[str, str]]] = {}
    for document in documents:
        if (document, source) not in pages or (document, target) not in pages:
            continue
        pairs = [(s, t) for s, t in zip(pages[(document, source)].units, pages[(document, target)].units)
                 if s.text or t.text]
        texts = [(s.text, t.text) for s, t in pairs]
        for other, held in earlier.items():
            found = [i for i, text in enumerate(held, start=1)
                     if text in set(texts) or any(_titled(a, b, {text}) for a, b in texts)]
            if texts and found and sum(text in set(held) for text in texts) >= COVERED_SHARE * len(texts):
                covered[document] = Covered(other, *_longest_run(found))
                break
        shown = {text for held in earlier.values() for text in held}
        earlier[document] = texts
        if document in covered:  # what the other lacks is only its own title (alone, or first in a line)
            pairs = [(s, t) for s, t in pairs if (s.text, t.text) not in shown and s.kind != "heading"
                     and not _titled(s.text, t.text, shown)]
        else:  # every document keeps its text whole, but the cover the documents share is read once
            pairs = [(s, t) for s, t in pairs if not (s.cover and (s.text, t.text) in shown)]
        rows.extend(Row(document, s.html, t.html, s.kind) for s, t in pairs)
    return rows, covered


def _titled(source: str, target: str, shown: set[tuple[str, str]]) -> bool:
    """Tell whether a line is one the pack shows already, with the document's title put before it."""
    return any(len(a) >= 20 and source.endswith(a) and target.endswith(b) for a, b in shown)


def _longest_run(numbers: list[int], gap: int = 3) -> tuple[int, int]:
    """The first and last of the longest stretch of sorted numbers with no more than ``gap`` between neighbours."""
    best = start = numbers[0]
    best_end = previous = numbers[0]
    for n in numbers[1:]:
        if n - previous > gap:
            start = n
        previous = n
        if previous - start > best_end - best:
            best, best_end = start, previous
    return best, best_end


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

    def in_target(shown: Markup) -> Markup | str:
        """A label the template shows in the source language (its _("…")), in the target language."""
        text = html.unescape(str(shown))
        msgid = text if first.is_template_language else msgids.get(text, text)
        return (msgid if second.is_template_language else lookup.get((None, msgid))) or shown

    def label(shown: Markup, sep: str = " / ") -> Markup:
        """A label in both languages: the template's _("…") in the source language, then in the target's, marked."""
        translation = in_target(shown)
        if translation == shown or translation == html.unescape(str(shown)):
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

    def day_heading(lang: str, number: int) -> str:
        """A day of the run of show, as the agenda heads it: "Day 1: Tuesday, 15 March 2022"."""
        h, loc = helpers[lang], first if lang == source else second
        return loc.gettext("Day %(number)s: %(date)s") % {
            "number": h.number(number), "date": h.date(content.days[number - 1].date, weekday=True)}

    def on_day(number: int) -> str:
        """A day in the speaker list, short: "15 March"."""
        return helpers[source].fmt.day_month(content.days[number - 1].date)

    def covered_values(lang: str, where: Covered) -> dict[str, str]:
        """The other document's title and the rows of its table, as one language says them."""
        return {"document": document_label(pages[(where.within, lang)]), "first": helpers[lang].number(where.first),
                "last": helpers[lang].number(where.last)}

    def covered_note(lang: str, where: Covered) -> str:
        """Say where a document's text is in one language (the template's sentence, from that language's catalog)."""
        loc = first if lang == source else second
        return loc.gettext("Its text is that of %(document)s above, rows %(first)s–%(last)s.") % covered_values(
            lang, where)

    def titled(name: str) -> Markup:
        """A document's heading in the pack: its page title in both languages."""
        source_title, target_title = document_label(pages[(name, source)]), document_label(pages[(name, target)])
        if not target_title or target_title == source_title:
            return Markup("{}").format(source_title)
        return Markup('{} / <span lang="{}">{}</span>').format(source_title, target, target_title)

    rows, covered = side_by_side(pages, source, target, chosen)
    # Language names from CLDR: in the source language for the labels, each in its own for the headings.
    names = {lang: Locale.parse(lang).get_display_name(source) for lang in content.languages}
    native = {lang: Locale.parse(lang).get_display_name(lang) for lang in content.languages}
    extra = {
        "target": target, "rows": rows, "covered": covered, "both": both, "label": label, "in_target": in_target,
        "when": when, "h": helpers, "speakers": speakers(content), "cues": run_of_show(content),
        "timings": timings(content), "wpm": WORDS_PER_MINUTE, "fontface": assets.fontface((source, target)),
        "documents": {name: titled(name) for name in chosen}, "languages": names, "native": native,
        "plain": first.plain, "several_days": len(content.days) > 1, "day_heading": day_heading, "on_day": on_day,
        "covered_note": covered_note, "covered_values": covered_values,
    }
    page = render_page(env, content, lookups, kind, source, assets=assets, extra=extra, loc=first,
                       event_languages=(source, target))
    page.target = target
    return page


def _values(content: EventContent, loc: Localizer) -> dict:
    return event_values(content, loc, Formats(loc.lang))
