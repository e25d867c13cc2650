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
from markupsafe import Markup

from . import languages
from .content.text import Text, read_text
from .content.event import EventContent
from .project import Project
from .formats import Formats
from .render import Helpers, Localizer, make_environment, render_template

#: Reading speed used for the timing check (words a minute, read aloud at a
#: measured pace that simultaneous interpreters can follow).
WORDS_PER_MINUTE = 100


def direction(floor: str, into: str) -> str:
    """Name a booth direction from the language table: "Lao → English"."""
    return f"{languages.get(floor).name} → {languages.get(into).name}"


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


def side_by_side(rendered: dict, source: str = languages.DEFAULT_SOURCE, target: str = languages.DEFAULT_TARGETS[0],
                 documents: tuple[str, ...] = ()) -> list[Row]:
    """Return every text block of the pack's documents in both languages, once each, in document order.

    The two languages of a document have the same blocks (the parity check
    makes sure), so the n-th block of one is the n-th of the other. The text
    is what the pages show, every value filled in and every run language-marked.
    """
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    kept: dict[int, tuple] = {}
    for document in documents:
        if (document, source) not in rendered or (document, target) not in rendered:
            continue
        pages = (_page_blocks(rendered[(document, lang)], kept) for lang in (source, target))
        for (source_text, source_html), (target_text, target_html) in zip(*pages):
            text = (source_text, target_text)
            if not any(text) or text in seen:
                continue
            seen.add(text)
            rows.append(Row(document, source_html, target_html))
    _BLOCKS.clear()
    _BLOCKS.update(kept)
    return rows


#: The text blocks of the pages side_by_side read last, by the page (the very object: `watch` hands the same
#: page again for a document it did not render again, so only the pages rendered anew are read).
_BLOCKS: dict[int, tuple] = {}


def _page_blocks(page, kept: dict[int, tuple]) -> list[tuple[str, Markup]]:
    """Each text block of a rendered page: its text, white space collapsed, and its inner HTML."""
    known = kept.get(id(page)) or _BLOCKS.get(id(page))
    if known is None or known[0] is not page:
        known = (page, [(" ".join(block.text_content().split()), _inner_html(block)) for block in _text_blocks(page.tree)])
    kept[id(page)] = known
    return known[1]


def _text_blocks(tree) -> list:
    article = tree.find(".//article")
    return [element for element in article.iter(*TEXT_BLOCKS)
            if not any(child.tag in TEXT_BLOCKS + ("ul", "ol", "table") for child in element.iterdescendants())]


def _inner_html(element) -> Markup:
    """What a block holds, as HTML on one line (the block's own tag taken off)."""
    from lxml import html as lxml_html
    whole = lxml_html.tostring(element, encoding="unicode", with_tail=False)
    end = f"</{element.tag}>"
    if not whole.endswith(end):  # an empty <li> or <p> is written without its end tag
        return Markup("")
    shell = element.makeelement(element.tag, element.attrib)
    shell.text = "."  # the start tag's length, as this element's attributes write it
    start = len(lxml_html.tostring(shell, encoding="unicode")) - len(end) - 1
    return Markup(" ".join(whole[start:-len(end)].split()))


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
                            direction(sp.language, other)))
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
    """Count the words of a text (Lao and Thai segmented into words, since they write no spaces)."""
    text = re.sub(r"[#*_>`\[\]()]", " ", text)
    count = 0
    for piece in text.split():
        unspaced = [s for s in languages.scripts_in(piece) if not s.spaces_between_words]
        if unspaced:
            script = unspaced[0]
            letters = languages.script_chars(script)
            code = languages.language_for_script(script, ())
            count += sum(1 for w in languages.segment(piece, code) if letters.search(w))
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
    """Export the glossary as CSV for terminology tools (UTF-8 with BOM, as Excel expects).

    Four columns per language of the event, the source first: the term, its
    abbreviation, the note for that language and whether it stays as written.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    codes = content.languages
    writer.writerow([name for code in codes for name in (code, f"abbr_{code}", f"note_{code}", f"do_not_translate_{code}")])
    for entry in content.glossary:
        writer.writerow([value for code in codes for value in
                         (_cell(entry.term(code)), _cell(entry.abbr(code)), _cell(entry.note_for(code)),
                          "yes" if entry.dnt_for(code) else "")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


#: What a spreadsheet reads as the start of a formula (OWASP's list: = + - @, tab and carriage return).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Keep a cell text, never a formula: Excel runs =HYPERLINK(…) or =cmd|… from a CSV it opens."""
    return "'" + text if text.startswith(_FORMULA_START) else text


TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"


def glossary_tbx(content: EventContent) -> bytes:
    """Export the glossary as TBX (ISO 30042:2019, TBX-Basic dialect) for Weblate and CAT tools.

    One conceptEntry per term; one langSec per language with a term; the
    abbreviation as a second termSec marked as such; the note and "do not
    translate" as notes of the language's section.
    """
    from lxml import etree

    xml = "{http://www.w3.org/XML/1998/namespace}lang"
    root = etree.Element(f"{{{TBX_NAMESPACE}}}tbx", nsmap={None: TBX_NAMESPACE},
                         attrib={"type": "TBX-Basic", "style": "dca", xml: content.event.settings.source_language})
    header = etree.SubElement(etree.SubElement(etree.SubElement(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    etree.SubElement(header, "p").text = f"Glossary of {content.event.short_title.source}"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, entry in enumerate(content.glossary, start=1):
        concept = etree.SubElement(body, "conceptEntry", id=f"term-{number}")
        for code in content.languages:
            term, abbr = entry.term(code), entry.abbr(code)
            if not (term or abbr):
                continue
            section = etree.SubElement(concept, "langSec", attrib={xml: code})
            for text, kind in ((term, "fullForm"), (abbr, "abbreviation")):
                if text:
                    term_sec = etree.SubElement(section, "termSec")
                    etree.SubElement(term_sec, "term").text = text
                    etree.SubElement(term_sec, "termNote", type="termType").text = kind
            notes = [entry.note_for(code)] + (["do not translate"] if entry.dnt_for(code) else [])
            for note in filter(None, notes):
                section.insert(0, etree.Element("note"))
                section[0].text = note
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def render_pack(project: Project, content: EventContent, rendered: dict, css: str, fontface: str,
                template: str = "interpreters.html", target: str | None = None,
                lookups: dict[str, dict] | None = None, page_size: str = "") -> str:
    """Render one booth pair's pack: the source and one target side by side, labels in both languages.

    With several targets each booth gets its own pack: a booth works one pair,
    and a third column of full text would leave each too narrow to read in the booth.
    ``lookups`` are the compiled catalogs by language (the labels' translations:
    the target's, and the source's where the templates are not written in it);
    without them, the translations the documents used. ``page_size`` is the
    kind's page for the print stylesheet (documents.page_size), as its DOCX has it.
    """
    settings = content.event.settings
    target = target or settings.languages[0]
    source = settings.source_language

    def used(code: str) -> dict:
        return {(s.context, s.source): s.translation for (_, lang), item in rendered.items() if lang == code
                for s in item.segments if s.translation is not None and not isinstance(s.source, tuple)}
    lookup = lookups[target] if lookups and target in lookups else used(target)
    source_lookup = lookups[source] if lookups and source in lookups else used(source)
    english = Localizer(source, source, source_lookup, notes=content.footnote_numbers)
    # A label shown in a source the templates are not written in (Lao) leads back to its msgid.
    msgids = {shown: msgid for (context, msgid), shown in source_lookup.items() if context is None and shown}
    lao = Localizer(target, source, lookup, notes=content.footnote_numbers)
    env = make_environment(project.template_dirs)
    env.install_gettext_callables(english.gettext, english.ngettext, newstyle=True, pgettext=english.pgettext)
    twelve = settings.clock == "12-hour"
    helpers = {lang: Helpers(content, loc, Formats(lang, native_digits=settings.digits_for(lang), twelve_hour=twelve))
               for lang, loc in ((source, english), (target, lao))}

    def both(text) -> tuple[Markup, Markup]:
        return english.text(text, _values(content, english)), lao.text(text, _values(content, lao))

    def label(shown: Markup, sep: str = " / ") -> Markup:
        """A label in both languages: the template's _("…") in the source language, then in the target's, marked."""
        text = html.unescape(str(shown))
        msgid = text if english.is_template_language else msgids.get(text, text)
        translation = msgid if lao.is_template_language else lookup.get((None, msgid))
        if not translation or translation == text:
            return shown
        return Markup('{}{}<span lang="{}">{}</span>').format(shown, Markup(sep), target, translation)

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
    # Language names from CLDR: in the source language for the labels, each in its own for the headings.
    names = {lang: Locale.parse(lang).get_display_name(source) for lang in content.languages}
    native = {lang: Locale.parse(lang).get_display_name(lang) for lang in content.languages}
    context = {
        "c": content, "event": content.event, "source_lang": source, "target": target,
        "rows": side_by_side(rendered, source, target, chosen), "both": both, "label": label, "when": when,
        "h": helpers, "speakers": speakers(content), "cues": run_of_show(content), "timings": timings(content),
        "wpm": WORDS_PER_MINUTE, "css": css, "fontface": fontface, "page_size": page_size,
        "documents": {name: titled(name) for name in chosen},
        "languages": names, "native": native, "plain": english.plain, "lang": source,
    }
    return render_template(env, template, context)


def _values(content: EventContent, loc: Localizer) -> dict:
    from .formats import Formats
    from .render import event_values
    return event_values(content, loc, Formats(loc.lang))


__all__ = ["side_by_side", "speakers", "run_of_show", "timings", "glossary_csv", "glossary_tbx", "render_pack"]
