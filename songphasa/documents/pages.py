"""Render one document in one language: its template → the page's semantic HTML tree.

The one function every builder calls (the documents of a build, the
interpreters' pack, the letters of `distribute`): the template receives the
content, the language's Localizer and Formats, the helpers, and what the
builder adds; the page it renders is parsed, its digits and other-script
runs marked, and kept with the strings it used and the content it read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lxml import html as lxml_html
from markupsafe import Markup

from .. import languages, write_html
from ..content.event import EventContent
from ..content.models import Recommendation
from ..diff import word_diff
from ..errors import Problem, TemplateError
from ..formats import Formats
from ..project import Project
from ..render.environment import Environment
from ..render.helpers import Helpers, event_values
from ..render.localizer import Localizer, Segment
from ..render.markdown import InlineMarkdown
from ..render.template import render_template
from .kinds import DocumentKind, page_size
from .participants import Roster

#: A compiled catalog: (msgctxt, msgid) → translation, per language.
Lookups = Mapping[str, Mapping[tuple[str | None, str], str]]

#: The blocks that hold text of their own (a cell or item that only holds paragraphs is not one).
TEXT_BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "th", "td")


@dataclass(eq=False)
class Page:
    """One document in one language: its page tree, the strings it used, what it read of the content."""

    document: str
    lang: str
    tree: lxml_html.HtmlElement
    segments: list[Segment]
    reads: frozenset[str] = frozenset()  # the names of the content the template read (c.agenda, c.concept_note…)
    target: str | None = None  # a bilingual page's second language

    @cached_property
    def html(self) -> bytes:
        """The page's HTML file (made once: a page kept between `watch` rounds is not serialized again)."""
        return write_html.page_bytes(self.tree)

    @property
    def article(self) -> lxml_html.HtmlElement:
        return write_html.article_of(self.tree)

    @cached_property
    def title(self) -> str:
        return " ".join(self.tree.findtext(".//title", default=self.document).split())

    @property
    def missing(self) -> list[Segment]:
        """Strings shown in the source language because they have no translation."""
        return [s for s in self.segments if s.translation is None]

    @cached_property
    def units(self) -> list[Unit]:
        """The article's text as the booth reads it, in order: each block, a table row of plain cells as one."""
        article = self.tree.find(".//article")
        return units([element for element in article.iter(*TEXT_BLOCKS)
                      if not any(child.tag in TEXT_BLOCKS + ("ul", "ol", "table") for child in element.iterdescendants())])


@dataclass(frozen=True)
class Unit:
    """A piece of a page the booth reads as one: a text block, or a table row of plain cells (their texts joined)."""

    text: str
    html: Markup
    kind: str = "text"  # "heading" (a title or heading), "columns" (a table's heading row), "row" or "text"
    cover: bool = False  # on the document's cover (title, organizers, date), which the documents share


#: Between the cells of a table row read as one line.
CELL_SEPARATOR = Markup(" · ")


def units(blocks: list[lxml_html.HtmlElement]) -> list[Unit]:
    """Read blocks as the booth does: the plain cells of one table row together, a heading row as one."""
    found: list[Unit] = []
    row: list[lxml_html.HtmlElement] = []

    def flush() -> None:
        cells = [(" ".join(c.text_content().split()), inner_html(c)) for c in row]
        cells = [(t, h) for t, h in cells if t]
        if cells:
            kind = "columns" if all(c.tag == "th" for c in row) else "row"
            html = CELL_SEPARATOR.join(h for _, h in cells)
            found.append(Unit(" · ".join(t for t, _ in cells), Markup("<strong>{}</strong>").format(html)
                              if kind == "columns" else html, kind))
        row.clear()
    for block in blocks:
        if block.tag in ("td", "th"):
            if row and row[-1].getparent() is not block.getparent():
                flush()
            row.append(block)
            continue
        flush()
        heading = block.tag in ("h1", "h2", "h3", "h4") or {"title", "subtitle"} & set(block.classes)
        cover = any(a.tag == "header" and "cover" in a.classes for a in block.iterancestors())
        found.append(Unit(" ".join(block.text_content().split()), inner_html(block), "heading" if heading else "text",
                          cover))
    flush()
    return found


def inner_html(element: lxml_html.HtmlElement) -> Markup:
    """What a block holds, as HTML on one line (the block's own tag taken off)."""
    whole = lxml_html.tostring(element, encoding="unicode", with_tail=False)
    end = f"</{element.tag}>"
    if not whole.endswith(end):  # an empty <li> or <p> is written without its end tag
        return Markup("")
    shell = element.makeelement(element.tag, element.attrib)
    shell.text = "."  # the start tag's length, as this element's attributes write it
    start = len(lxml_html.tostring(shell, encoding="unicode")) - len(end) - 1
    return Markup(" ".join(whole[start:-len(end)].split()))


@dataclass
class Assets:
    """What every page of a build embeds: the stylesheet (the event's fonts first) and the web fonts by script."""

    css: str
    faces: dict[languages.Script, str] = field(default_factory=dict)

    def fontface(self, codes: tuple[str, ...]) -> str:
        """The @font-face rules of the web fonts the languages' scripts need, each script once."""
        scripts = dict.fromkeys(languages.get(code).script for code in codes)
        return "\n".join(rule for rule in (self.faces.get(script, "") for script in scripts) if rule)


def page_assets(project: Project, content: EventContent) -> Assets:
    """Read the stylesheet and the web fonts the event's languages need (a project's own in place of ours)."""
    settings = content.event.settings
    langs = content.languages

    def font_of(script: languages.Script) -> str:
        return settings.font_for(languages.language_for_script(script, langs))

    scripts = dict.fromkeys([languages.LATIN, *(languages.get(code).script for code in langs)])
    css = write_html.css_variables({script.code: font_of(script) for script in scripts}) + "\n" + \
        project.find_template_file("style.css").read_text(encoding="utf-8") + "\n" + \
        write_html.language_css({lang: settings.font_for(lang) for lang in langs})
    fonts = project.find_template_file("fonts")
    faces = {}
    for script in dict.fromkeys(languages.get(code).script for code in langs):
        if script.web_font is not None:
            regular, bold = script.web_font
            faces[script] = write_html.font_face(project.read_template_file(fonts / regular),
                                                 project.read_template_file(fonts / bold),
                                                 script.web_font_family, script.unicode_range)
    return Assets(css, faces)


def localizer(content: EventContent, lookups: Lookups, lang: str, markdown: InlineMarkdown | None = None) -> Localizer:
    """The Localizer of one language of the event (its catalog's lookup; the footnotes' numbers)."""
    loc = Localizer(lang, content.event.settings.source_language, dict(lookups.get(lang, {})),
                    notes=content.footnote_numbers)
    if markdown is not None:
        loc.markdown = markdown
    return loc


def formats(content: EventContent, lang: str) -> Formats:
    """How one language of the event writes dates, times and numbers."""
    settings = content.event.settings
    return Formats(lang, native_digits=settings.digits_for(lang), twelve_hour=settings.clock == "12-hour")


def render_page(env: Environment, content: EventContent, lookups: Lookups, kind: DocumentKind, lang: str, *,
                assets: Assets, extra: Mapping[str, Any] | None = None, loc: Localizer | None = None,
                event_languages: tuple[str, ...] | None = None, markdown: InlineMarkdown | None = None) -> Page:
    """Render one document in one language.

    ``extra``: what the builder adds to the template's context (a letter's
    recipient, the pack's rows). ``loc``: the Localizer, when the builder
    needs it first (the pack's labels). ``event_languages``: the languages
    whose runs the page marks (every language of the event by default).
    """
    settings = content.event.settings
    loc = loc or localizer(content, lookups, lang, markdown)
    fmt = formats(content, lang)
    values = event_values(content, loc, fmt)
    env.translate_with(loc)
    context = {
        "c": content, "event": content.event, "lang": loc.lang, "source_lang": loc.source_lang,
        "t": lambda text, **kw: loc.text(text, {**values, **kw}), "h": Helpers(content, loc, fmt), "doc": kind.name,
        "plain": loc.plain, "css": assets.css, "fontface": assets.fontface((lang,)), "diff": differ(loc, content),
        "page_size": page_size(kind), "people": Roster(content, lookups, loc, contacts=kind.contacts),
        **(extra or {}),
    }
    with env.noting_reads(content) as reads:
        page = render_template(env, kind.template, context)
    tree = write_html.finish_page(page, lang, native=settings.digits_for(lang),
                                  event_languages=event_languages or content.languages)
    if tree.find(".//article") is None:  # both formats are made from it
        raise TemplateError(Problem(f"templates/{kind.template}", None, "the template makes no <article>",
                                    "keep {% extends \"base.html\" %} or put the document in <article>…</article>"))
    return Page(kind.name, lang, tree, loc.used, frozenset(reads))


def differ(loc: Localizer, content: EventContent) -> Callable[[Recommendation], Markup]:
    """The templates' ``diff(rec)``: a modified recommendation's confirmed text with its changes marked."""
    def diff(rec: Recommendation) -> Markup:
        confirmed = rec.confirmed
        assert confirmed is not None  # a modified recommendation has one (validated)
        return word_diff(loc.plain(rec.proposed), loc.plain(confirmed), loc.lang, when=decided_at(content, rec.id),
                         missing=(loc.lookup.get((confirmed.context, confirmed.source)) is None
                                  and not loc.is_source), source_lang=loc.source_lang)
    return diff


def decided_at(content: EventContent, rec_id: str) -> dt.datetime:
    """When a recommendation was decided: the start of the agenda item that discusses its topic."""
    topic = next(t.id for t in content.recommendations.topics if any(r.id == rec_id for r in t.recommendations))
    slot = next((s for s in content.schedule if topic in s.item.topics), None)
    return (slot.start if slot is not None else content.starts).astimezone(dt.timezone.utc)
