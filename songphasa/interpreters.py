"""The interpreters' preparation pack: both tracks side by side, and what a booth needs.

AIIC asks organizers for the agenda, the speaker list, the texts that will be
read and a glossary, in advance. The side-by-side text is made from the very
catalog entries the two documents used while they were rendered, in document
order, so the booth reads what the delegates read.
"""

from __future__ import annotations

import csv
import html
import datetime as dt
import io
import re
from dataclasses import dataclass

from babel import Locale
from markupsafe import Markup, escape

from .content import Text, read_text
from .model import EventContent
from .project import Project
from .formats import Formats
from .render import Helpers, Localizer, make_environment, render_template

#: Reading speed used for the timing check (words a minute, read aloud at a
#: measured pace that simultaneous interpreters can follow).
WORDS_PER_MINUTE = 100
DIRECTION = {("lo", "en"): "Lao → English", ("en", "lo"): "English → Lao"}


@dataclass(frozen=True)
class Row:
    """One block of the two tracks, as the delegates read it: both languages' HTML."""

    document: str
    source: Markup
    translation: Markup


def pack_documents(content: EventContent, rendered: dict) -> tuple[str, ...]:
    """The documents whose text the pack holds: the registry's choice, among those rendered."""
    from .documents import per_language
    made = {name for name, _ in rendered}
    return tuple(k.name for k in per_language(content) if k.interpreters and k.name in made)


def document_label(tree) -> str:
    """Name a rendered document by its page title, without the event's name after the dash."""
    return " ".join(tree.findtext(".//title", default="").split()).split(" — ")[0]


#: The blocks that hold text of their own (a cell or item that only holds paragraphs is not one).
TEXT_BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "th", "td")


def side_by_side(rendered: dict, source: str = "en", target: str = "lo", documents: tuple[str, ...] = ()) -> list[Row]:
    """Return every text block of the pack's documents in both languages, once each, in document order.

    The two languages of a document have the same blocks (the parity check
    makes sure), so the n-th block of one is the n-th of the other. The text
    is what the pages show, every value filled in and every run language-marked.
    """
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for document in documents:
        if (document, source) not in rendered or (document, target) not in rendered:
            continue
        pairs = zip(_text_blocks(rendered[(document, source)].tree), _text_blocks(rendered[(document, target)].tree))
        for english, lao in pairs:
            key = (" ".join(english.text_content().split()), " ".join(lao.text_content().split()))
            if not any(key) or key in seen:
                continue
            seen.add(key)
            rows.append(Row(document, _inner_html(english), _inner_html(lao)))
    return rows


def _text_blocks(tree) -> list:
    article = tree.find(".//article")
    return [element for element in article.iter(*TEXT_BLOCKS)
            if not any(child.tag in TEXT_BLOCKS + ("ul", "ol", "table") for child in element.iterdescendants())]


def _inner_html(element) -> Markup:
    from lxml import html as lxml_html
    inner = escape(element.text or "") + Markup("").join(
        Markup(lxml_html.tostring(child, encoding="unicode", with_tail=False)) + escape(child.tail or "")
        for child in element)
    return Markup(" ".join(inner.split()))


@dataclass(frozen=True)
class Appearance:
    """A person's part in one agenda item."""

    role: str
    item: str
    start: str
    language: str | None


def speakers(content: EventContent) -> dict[str, list[Appearance]]:
    """Return everyone on the agenda with every part they have, in order of appearance."""
    found: dict[str, list[Appearance]] = {}
    several = len(content.days) > 1
    at = (lambda slot: _clock(slot.start, several))
    if content.agenda.chair and content.schedule:
        first = content.schedule[0]
        found.setdefault(content.agenda.chair, []).append(Appearance("Programme Chair", "", at(first), None))
    for session in content.sessions:
        slots = content.session_slots(session)
        title = session.title.source if session.title else ""
        for role, pid in (("Chair", session.chair), ("Moderator", session.moderator)):
            if pid:
                found.setdefault(pid, []).append(Appearance(role, title, at(slots[0]), None))
        for slot in slots:
            if slot.item.is_break:
                continue
            item_title = (slot.item.title or session.title).source
            parts = [(sp, item_title) for sp in slot.item.speakers]
            parts += [(sp, f"{item_title}: {g.title.source}") for g in slot.item.parallel for sp in g.speakers]
            for sp, where in parts:
                if sp.person is None:  # to be confirmed: nobody to brief yet
                    continue
                found.setdefault(sp.person, []).append(Appearance(sp.role.capitalize(), where, at(slot), sp.language))
    return found


@dataclass(frozen=True)
class Cue:
    """One line of the run of show."""

    clock: str
    elapsed: int
    minutes: int
    estimated: bool  # the agenda gives no minutes for this speaker: a share of the item's time
    item: Text
    person: str | None
    language: str | None
    direction: str
    pause: str | None = None  # a break without a title of its own: its kind ("coffee"), named by the template


def _clock(at: dt.datetime, with_date: bool) -> str:
    """Say a moment for the booth: the time, and the date when the event has several days."""
    return f"{at:%Y-%m-%d %H:%M}" if with_date else f"{at:%H:%M}"


def run_of_show(content: EventContent) -> list[Cue]:
    """Return the clock time, elapsed minutes (since the day began), speaker and direction of every turn."""
    several = len(content.days) > 1
    cues = []
    source = content.event.settings.source_language
    for slot in content.schedule:
        title = slot.item.title or slot.session.title
        at = slot.start
        speakers_ = [sp for sp in slot.item.speakers if sp.person and sp.language] + \
            [sp for g in slot.item.parallel for sp in g.speakers if sp.person and sp.language]
        if not speakers_:
            pause = slot.item.kind if slot.item.is_break and not slot.item.title else None
            cues.append(Cue(_clock(at, several), _elapsed(content, at), slot.minutes, False, title, None, None, "—",
                            pause))
        shares = _shares(slot.minutes, [sp.minutes for sp in speakers_])
        for sp, minutes in zip(speakers_, shares):
            other = next((l for l in content.languages if l != sp.language), source)
            cues.append(Cue(_clock(at, several), _elapsed(content, at), minutes, not sp.minutes and len(speakers_) > 1,
                            title, sp.person, sp.language,
                            DIRECTION.get((sp.language, other), f"{sp.language} → {other}")))
            at = at + dt.timedelta(minutes=minutes)
    return cues


def _shares(total: int, given: list[int | None]) -> list[int]:
    """Give every speaker minutes: theirs where the agenda says, else an equal share of what is left."""
    left = max(total - sum(m or 0 for m in given), 0)
    open_ = [i for i, m in enumerate(given) if not m]
    shares = [m or 0 for m in given]
    for n, i in enumerate(open_):
        shares[i] = left // len(open_) + (1 if n < left % len(open_) else 0)
    return shares


def _elapsed(content: EventContent, at: dt.datetime) -> int:
    """Minutes since the start of the day the moment is on."""
    day = next((d for d in content.days if d.date == at.date()), content.days[0])
    return int((at - day.start).total_seconds() // 60)


@dataclass(frozen=True)
class Timing:
    """A speech text's reading time against its slot."""

    item: str
    file: str
    words: int
    reading_minutes: float
    slot_minutes: int

    @property
    def fits(self) -> bool:
        return self.reading_minutes <= self.slot_minutes


def count_words(text: str) -> int:
    """Count the words of a text (Lao segmented into words, since it has no spaces)."""
    text = re.sub(r"[#*_>`\[\]()]", " ", text)
    count = 0
    for piece in text.split():
        if re.search(r"[\u0e80-\u0eff]", piece):
            from laonlp.tokenize import word_tokenize
            count += sum(1 for w in word_tokenize(piece) if re.search(r"[\u0e80-\u0eff]", w))
        elif re.search(r"\w", piece):
            count += 1
    return count


def timings(content: EventContent) -> list[Timing]:
    """Check every attached speech text against the time its item has."""
    found = []
    for slot in content.schedule:
        if not slot.item.speech:
            continue
        words = count_words(read_text(content.root / slot.item.speech, content.root))
        speaker_minutes = sum(sp.minutes or 0 for sp in slot.item.speakers)
        found.append(Timing(slot.item.id, slot.item.speech, words, round(words / WORDS_PER_MINUTE, 1),
                            speaker_minutes or slot.minutes))
    return found


def glossary_csv(content: EventContent) -> bytes:
    """Export the glossary as CSV for terminology tools (UTF-8 with BOM, as Excel expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["en", "abbr_en", "lo", "abbr_lo", "note", "do_not_translate"])
    for entry in content.glossary:
        writer.writerow([_cell(entry.en), _cell(entry.abbr_en), _cell(entry.lo), _cell(entry.abbr_lo),
                         _cell(entry.note), "yes" if entry.dnt else ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


#: What a spreadsheet reads as the start of a formula (OWASP's list: = + - @, tab and carriage return).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Keep a cell text, never a formula: Excel runs =HYPERLINK(…) or =cmd|… from a CSV it opens."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_pack(project: Project, content: EventContent, rendered: dict, css: str, fontface: str,
                template: str = "interpreters.html", lookup: dict | None = None) -> str:
    """Render the pack's HTML page: labels in both languages, both tracks in full.

    ``lookup`` is the target language's catalog (the labels' translations);
    without it, the translations the documents used.
    """
    settings = content.event.settings
    target = settings.languages[0]
    source = settings.source_language
    if lookup is None:
        lookup = {(s.context, s.source): s.translation for (_, lang), item in rendered.items() if lang == target
                  for s in item.segments if s.translation is not None and not isinstance(s.source, tuple)}
    english = Localizer(source, source, {}, notes=content.footnote_numbers)
    lao = Localizer(target, source, lookup, notes=content.footnote_numbers)
    env = make_environment(project.template_dirs)
    env.install_gettext_callables(english.gettext, english.ngettext, newstyle=True, pgettext=english.pgettext)
    twelve = settings.clock == "12-hour"
    helpers = {source: Helpers(content, english, Formats(source, twelve_hour=twelve)),
               target: Helpers(content, lao, Formats(target, native_digits=settings.lao_digits, twelve_hour=twelve))}

    def both(text) -> tuple[Markup, Markup]:
        return english.text(text, _values(content, english)), lao.text(text, _values(content, lao))

    def label(english: Markup, sep: str = " / ") -> Markup:
        """A label in both languages: the template's _("…") in English, then its translation marked as Lao."""
        msgid = html.unescape(str(english))
        translation = lookup.get((None, msgid))
        if not translation or translation == msgid:
            return english
        return Markup('{}{}<span lang="{}">{}</span>').format(english, Markup(sep), target, translation)

    def when(lang: str) -> Markup:
        """The event's dates and times as each language writes them (the agenda's line)."""
        h, loc = helpers[lang], english if lang == source else lao
        ev = content.event
        zone = loc.text(ev.timezone_label) if ev.timezone_label else ev.timezone
        if len(content.days) == 1:
            day = content.days[0]
            return loc.gettext("%(date)s, %(start)s–%(end)s (%(zone)s)") % {
                "date": h.date(ev.date, weekday=True), "start": h.time(day.start), "end": h.time(day.end), "zone": zone}
        return loc.gettext("%(dates)s (%(zone)s)") % {"dates": h.dates(), "zone": zone}

    def titled(name: str) -> Markup:
        """A document's heading in the pack: its page title in both languages."""
        english_title = document_label(rendered[(name, source)].tree)
        lao_title = document_label(rendered[(name, target)].tree)
        if not lao_title or lao_title == english_title:
            return Markup("{}").format(english_title)
        return Markup('{} / <span lang="{}">{}</span>').format(english_title, target, lao_title)

    chosen = pack_documents(content, rendered)
    languages = {lang: Locale.parse(lang).get_display_name(source) for lang in content.languages}
    native = {lang: Locale.parse(lang).get_display_name(lang) for lang in content.languages}
    context = {
        "c": content, "event": content.event, "source_lang": source, "target": target,
        "rows": side_by_side(rendered, source, target, chosen), "both": both, "label": label, "when": when,
        "h": helpers, "speakers": speakers(content), "cues": run_of_show(content), "timings": timings(content),
        "wpm": WORDS_PER_MINUTE, "css": css, "fontface": fontface,
        "documents": {name: titled(name) for name in chosen},
        "languages": languages, "native": native, "plain": english.plain, "lang": source,
    }
    return render_template(env, template, context)


def _values(content: EventContent, loc: Localizer) -> dict:
    from .formats import Formats
    from .render import event_values
    return event_values(content, loc, Formats(loc.lang))


__all__ = ["side_by_side", "speakers", "run_of_show", "timings", "glossary_csv", "render_pack"]
