"""Render one document in one language: a Jinja template → semantic HTML.

The same template serves both formats: its HTML is the page, and the DOCX is
made from the same tree. Every string reaches the page through the
:class:`Localizer`: template strings through gettext (``_``, ``ngettext``),
content strings through :meth:`Localizer.text`. A string with no translation is
never silently shown in English: it is wrapped in
``<span class="needs-translation" lang="…">`` (the source language) and counted.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError
import markdown
import nh3
from markupsafe import Markup, escape

from .content.markdown import FOOTNOTE_REF
from .content.text import Text, unholdable_character
from .links import URL_SCHEMES, allowed_link  # noqa: F401  (the renderer keeps them under its name)
from .errors import ContentError, Problem, TemplateError
from . import languages
from .formats import Formats, roman
from .content.event import EventContent
from .content.models import Person

#: Inline HTML a content string may produce after Markdown; everything else is
#: removed by the sanitizer, so content cannot put script into the pages.
ALLOWED_TAGS = {"strong", "em", "a", "br", "code", "span", "del", "ins"}
#: No class from content: a class could hide text or fake the needs-translation mark.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"lang"}}
def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if allowed_link(value) else None
    return value

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")



#: A whole Markdown link, [text](address), without brackets inside: found in one linear pass.
#: (An address may hold one level of parentheses, as Markdown allows: Wikipedia's do.)
_LINK = re.compile(r"\[[^\[\]\n]{0,2000}\]\((?:[^()\s]|\([^()\s]{0,200}\)){0,2000}\)")
#: A backslash escape (kept as it is) or a bracket.
_BRACKET = re.compile(r"(\\.)|([\[\]])", re.S)


#: Stand-ins for stray brackets while Markdown runs: noncharacters, which text never holds.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"


def _hide_stray_brackets(source: str) -> str:
    """Hide every bracket that is not part of a whole link from python-markdown.

    python-markdown tries each '[' against the rest of the text, so a
    paragraph of brackets takes time that grows with the square of its
    length (8,000 of them: 40 s). Only whole links need to reach it; the
    others are put back after it (``_show_brackets``).
    """
    if "[" not in source and "]" not in source:
        return source

    def stray(piece: str) -> str:
        return _BRACKET.sub(lambda m: m.group(1) or (_OPEN if m.group(2) == "[" else _CLOSE), piece)
    out, at = [], 0
    for match in _LINK.finditer(source):
        out.append(stray(source[at:match.start()]))
        out.append(match.group())
        at = match.end()
    out.append(stray(source[at:]))
    return "".join(out)


def _show_brackets(html: str) -> str:
    return html.replace(_OPEN, "[").replace(_CLOSE, "]")


#: Control characters, which no HTML or XML text may hold. python-markdown leaves
#: its own (the STX/ETX around a stashed code span) in its output for some
#: emphasis around code, e.g. *0**0*`c`; the page parser would keep them and
#: every later write of that text fail.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_MARKDOWN: list[markdown.Markdown] = []


def _markdown(source: str) -> str:
    """markdown.markdown(source), through one converter reset between strings.

    Making a converter builds all its parsers, which cost more than
    converting one short string; reset() gives the same output as a new one.
    """
    if not _MARKDOWN:
        _MARKDOWN.append(markdown.Markdown(output_format="html"))
    return _MARKDOWN[0].reset().convert(source)


#: What Markdown could act on in a string: its inline syntax (escapes, code, emphasis, links, HTML,
#: entities), line breaks, controls and the bracket stand-ins; and, at the start, a list, quote or heading.
_MARKUP = re.compile(r"[\\`*_\[\]<>&\n\r\t\x00-\x1f\u00a0\ufdd0\ufdd1]|  ")
_BLOCK_START = re.compile(r"\d+[.)]\s|[-+*>#=]")


def _plain(source: str) -> bool:
    """Tell a string Markdown would return as it is, in one paragraph (most sentences of an event)."""
    return bool(source) and source == source.strip() and not _MARKUP.search(source) \
        and not _BLOCK_START.match(source)


@lru_cache(maxsize=4096)
def inline_markdown(source: str) -> str:
    """Render one string of inline Markdown to sanitized HTML (no block tags)."""
    if _plain(source):
        html = source  # what Markdown makes of it, without its ~1 ms a string
    else:
        html = _show_brackets(_markdown(_hide_stray_brackets(source)))
        html = re.sub(r"^<p>(.*)</p>$", r"\1", _CONTROL.sub("", html).strip(), flags=re.S)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True, attribute_filter=_filter_attribute)


@dataclass(frozen=True)
class Segment:
    """One translated string as a document used it."""

    context: str | None
    source: str | tuple[str, str]
    translation: str | None  # None: no usable translation (untranslated or fuzzy)
    file: str
    line: int | None


@dataclass
class Localizer:
    """Translate strings for one language and remember which ones were used."""

    lang: str
    source_lang: str
    lookup: dict[tuple[str | None, str], str] = field(default_factory=dict)
    used: list[Segment] = field(default_factory=list)
    notes: dict[str, int] = field(default_factory=dict)  # footnote names and their numbers

    @property
    def is_source(self) -> bool:
        return self.lang == self.source_lang

    @property
    def is_template_language(self) -> bool:
        """Tell whether the templates' own strings are already in this language."""
        return self.lang == languages.TEMPLATE_LANGUAGE

    def _find(self, context: str | None, msgid: str, file: str, line: int | None, *, template: bool = False,
              as_is: bool = False) -> str | None:
        as_is = as_is or (self.is_template_language if template else self.is_source)
        found = None if as_is else self.lookup.get((context, msgid))
        # Text shown as written (the source's own, or a template string in its language) is there, not missing.
        self.used.append(Segment(context, msgid, msgid if as_is else found, file, line))
        return found

    def _missing(self, html: str, template: bool = False) -> Markup:
        shown = languages.TEMPLATE_LANGUAGE if template else self.source_lang
        return Markup('<span class="needs-translation" lang="{}">{}</span>').format(shown, Markup(html))

    # Template strings (gettext); installed into Jinja by make_environment().
    def gettext(self, msgid: str) -> Markup:
        found = self._find(None, msgid, "templates", None, template=True)
        if found is None:
            return escape(msgid) if self.is_template_language else self._missing(escape(msgid), True)
        return escape(found)

    def pgettext(self, context: str, msgid: str) -> Markup:
        found = self._find(context, msgid, "templates", None, template=True)
        if found is None:
            return escape(msgid) if self.is_template_language else self._missing(escape(msgid), True)
        return escape(found)

    def ngettext(self, singular: str, plural: str, n: int) -> Markup:
        # Lao has one plural form; the catalog stores it under the singular id.
        source = singular if n == 1 else plural
        found = None if self.is_template_language else self.lookup.get((None, singular))
        shown = singular if self.is_template_language else found
        self.used.append(Segment(None, (singular, plural), shown, "templates", None))
        if found is None:
            return escape(source) if self.is_template_language else self._missing(escape(source), True)
        return escape(found)

    # Content strings.
    def text(self, text: Text | None, values: dict[str, Any] | None = None) -> Markup:
        """Return a content string in this language as safe inline HTML."""
        if text is None or not text:
            return Markup("")
        # A string with no word ("14" in a table) is shown as written: the catalogs do not hold it.
        as_is = not text.translatable
        found = self._find(text.context, text.source, text.file, text.line, as_is=as_is)
        html = inline_markdown(found if found is not None else text.source)
        html = self._fill(html, text, values or {})
        if found is None and not self.is_source and not as_is:
            return self._missing(html)
        return Markup(html)

    def plain(self, text: Text | None) -> str:
        """Return a content string in this language as plain text (titles, file properties)."""
        if text is None or not text:
            return ""
        found = None if self.is_source or not text.translatable else self.lookup.get((text.context, text.source))
        # Unescape every entity, not only &amp;: "Costs < 5" must not become "Costs &lt; 5".
        return html.unescape(re.sub(r"<[^>]+>", "", inline_markdown(found if found is not None else text.source)))

    def _fill(self, html: str, text: Text, values: dict[str, Any]) -> str:
        def put(match: re.Match) -> str:
            name = match.group(1)
            if name not in values:
                raise ContentError(Problem(text.file, text.line, f"unknown placeholder '{{{name}}}'",
                                           f"use one of: {', '.join('{' + v + '}' for v in sorted(values)) or 'none here'}"))
            value = values[name]
            return str(escape(value() if callable(value) else value))

        def note(match: re.Match) -> str:
            number = self.notes.get(match.group(1))
            if number is None:
                raise ContentError(Problem(text.file, text.line, f"footnote [^{match.group(1)}] is not defined",
                                           "use the name of a footnote of the concept note, or remove the reference"))
            return f'<sup class="footnote-ref"><a href="#fn-{match.group(1)}">{number}</a></sup>'
        return FOOTNOTE_REF.sub(note, PLACEHOLDER.sub(put, html))


# --- helpers the templates call ------------------------------------------------

@dataclass
class Helpers:
    """Functions the templates use to say names, times and places."""

    content: EventContent
    loc: Localizer
    fmt: Formats

    def name(self, person: Person | str) -> Markup:
        person = self.content.people[person] if isinstance(person, str) else person
        if not person.honorific:
            return self.loc.text(person.name)
        return Markup("{} {}").format(self.loc.text(person.honorific), self.loc.text(person.name))

    def org_chain(self, org_id: str | None, upward: bool = True) -> list:
        chain = []
        while org_id:
            org = self.content.organizations[org_id]
            chain.append(org)
            org_id = org.parent
        return chain if upward else list(reversed(chain))

    def short_org(self, org_id: str | None, upward: bool = True) -> Markup:
        """Say an organization by its abbreviations: "DPIDG/UN DESA"."""
        parts = [self.loc.text(o.abbreviation) if o.abbreviation else self.loc.text(o.name)
                 for o in self.org_chain(org_id, upward)]
        return Markup("/").join(parts)

    def long_org(self, org) -> Markup:
        org = self.content.organizations[org] if isinstance(org, str) else org
        if org.abbreviation:
            return Markup("{} ({})").format(self.loc.text(org.name), self.loc.text(org.abbreviation))
        return self.loc.text(org.name)

    def affiliation(self, person: Person | str) -> Markup:
        person = self.content.people[person] if isinstance(person, str) else person
        if person.organization:
            return Markup("{}, {}").format(self.loc.text(person.position), self.short_org(person.organization))
        return self.loc.text(person.position)

    def joined(self, org_ids: list[str], conjunction: Markup) -> Markup:
        """Say several organizations: "A, B and C" (the template gives the translated "and")."""
        names = [self.long_org(o) for o in org_ids]
        if len(names) < 2:
            return Markup("").join(names)
        return Markup("{} {} {}").format(Markup(", ").join(names[:-1]), conjunction, names[-1])

    def agenda_people(self) -> list[str]:
        """Return everyone on the agenda (chair, moderators, speakers), in order of appearance."""
        from .interpreters import speakers  # the interpreters' speaker list says who that is
        return list(speakers(self.content))

    def date(self, day: dt.date, weekday: bool = False) -> str:
        return self.fmt.date(day, weekday=weekday)

    def time(self, moment: dt.time | dt.datetime) -> str:
        return self.fmt.time(moment)

    def span(self, start: dt.datetime, end: dt.datetime) -> str:
        return f"{self.fmt.time(start)}–{self.fmt.time(end)}"

    def number(self, value: int | float) -> str:
        return self.fmt.number(value)

    def zone_lines(self) -> list[tuple[str, Markup]]:
        """Say the event's time in every listed zone, with the date where it differs."""
        c = self.content
        lines = []
        zones = [c.event.timezone, *c.event.also_in]
        for zone in zones:
            start = c.starts.astimezone(ZoneInfo(zone))
            end = c.ends.astimezone(ZoneInfo(zone))
            first = self.fmt.clock(start)
            if start.date() != c.event.date:
                first = f"{first} ({self.fmt.day_month(start.date())})"
            last = self.fmt.clock(end)
            if end.date() != start.date() and end.date() != c.event.date:
                last = f"{last} ({self.fmt.day_month(end.date())})"
            if zone == c.event.timezone and c.event.timezone_label:
                label = self.loc.text(c.event.timezone_label)
            else:
                label = Markup(escape(start.tzname() or zone))
            lines.append((zone, Markup("{}–{} {}").format(first, last, label)))
        return lines

    def total_minutes(self) -> int:
        return self.content.total_minutes

    def place(self) -> Markup:
        """Say where the event is held: the organization or the free-text name, with the room."""
        venue = self.content.event.venue
        where = self.long_org(venue.place) if venue.place else self.loc.text(venue.name)
        if venue.room:
            where = Markup("{}, {}").format(self.loc.text(venue.room), where)
        return where

    def dates(self, weekday: bool = True) -> str:
        """Say the event's date, or its first and last dates."""
        c = self.content
        if c.last_date == c.event.date:
            return self.fmt.date(c.event.date, weekday=weekday)
        return f"{self.fmt.date(c.event.date, weekday=weekday)} – {self.fmt.date(c.last_date, weekday=weekday)}"

    def roman(self, n: int) -> str:
        return roman(n)


class _CheckedLoader(jinja2.FileSystemLoader):
    """Load templates, refusing a character that Word documents cannot hold."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        from jinja2.loaders import split_template_path

        from .project import BUILTIN_TEMPLATES

        from .files import check_input
        for folder in self.searchpath:
            candidate = Path(folder, *split_template_path(template))
            if os.path.lexists(candidate):
                if Path(folder).resolve() != BUILTIN_TEMPLATES.resolve():
                    check_input(candidate, Path(folder).parent)  # a project's own: a regular file in the project
                break
        source, filename, uptodate = super().get_source(environment, template)
        for number, line in enumerate(source.split("\n"), start=1):  # splitlines() would cut at \x0b
            bad = unholdable_character(line)
            if bad:
                raise TemplateError(Problem(_template_name(filename, template), number,
                                            f"invisible control character {bad} that Word documents cannot hold",
                                            "delete it from the template"))
        return source, filename, uptodate


class _SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in the user's own cache folder, each entry sealed (cache.seal).

    Jinja's bytecode is pickle and marshal data, which runs code when read:
    it is never read from a project folder, and a user-folder entry that is
    not sealed by this user is ignored and compiled again.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from .cache import read_sealed
        data = read_sealed(self._path(bucket), bucket.key)
        if data is not None:
            bucket.load_bytecode(io.BytesIO(data))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from .cache import write_sealed
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        write_sealed(self._path(bucket), bucket.key, buffer.getvalue())


#: Environments of this process by template folders (and what is in them) and the user's cache folder.
_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}


def make_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """Return the Jinja environment for these template folders (see _new_environment).

    One per process for the same folders, so that a template is compiled
    once for every document of a build and stays compiled between the
    rounds of `watch` (Jinja compiles a template again when its file
    changes; a file added to a folder makes a new environment).
    """
    from .cache import user_cache_dir
    listing = tuple(tuple(sorted(os.listdir(d))) if os.path.isdir(d) else () for d in template_dirs)
    key = (tuple(str(d) for d in template_dirs), str(user_cache_dir()), listing)
    env = _ENVIRONMENTS.get(key)
    if env is None:
        if len(_ENVIRONMENTS) >= 8:
            _ENVIRONMENTS.pop(next(iter(_ENVIRONMENTS)))
        env = _ENVIRONMENTS[key] = _new_environment(template_dirs)
    return env


def _new_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """Make the Jinja environment: autoescaping on, undefined names are errors.

    Compiled templates are kept in the user's cache folder (keyed by their
    source's checksum, so an edited template is compiled again): a project
    folder never holds compiled code.
    """
    from .cache import user_cache_dir
    bytecode = _SealedBytecodeCache(user_cache_dir() / "jinja")
    # Sandboxed: a project folder may come from someone else, and its templates are
    # code; the sandbox refuses what reaches beyond the values a template is given.
    env = SandboxedEnvironment(
        loader=_CheckedLoader([str(d) for d in template_dirs]),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.filters["css_string"] = _css_string
    return env


def event_values(content: EventContent, loc: Localizer, fmt: Formats) -> dict[str, Any]:
    """Return every fact of event.yaml as a named placeholder, said in the localizer's language.

    The README lists them (PLACEHOLDERS); ``facts:`` adds the event's own.
    """
    ev = content.event
    h = Helpers(content, loc, fmt)
    values: dict[str, Any] = {
        "title": lambda: loc.text(ev.title), "short_title": lambda: loc.text(ev.short_title),
        "document_kind": lambda: loc.text(ev.document_kind),
        "organizer": lambda: h.long_org(ev.organizer),
        "organizer_short": lambda: h.short_org(ev.organizer),
        "date": lambda: fmt.date(ev.date, weekday=True), "dates": lambda: h.dates(),
        "end_date": lambda: fmt.date(content.last_date, weekday=True),
        "start": lambda: fmt.clock(ev.start), "end": lambda: fmt.clock(ev.end),
        "timezone": lambda: loc.text(ev.timezone_label) if ev.timezone_label else ev.timezone,
        "days": lambda: fmt.number(len(content.days)),
    }
    if ev.partner:
        values["partner"] = lambda: h.long_org(ev.partner)
        values["partner_short"] = lambda: h.short_org(ev.partner)
    if ev.venue.place or ev.venue.name:
        values["venue"] = h.place
    if ev.venue.city:
        values["city"] = lambda: loc.text(ev.venue.city)
    if ev.venue.online:
        values["platform"] = lambda: ev.venue.online
    if ev.venue.link:
        values["link"] = lambda: ev.venue.link
    for name in ("admission", "audience", "interpretation"):
        if getattr(ev, name):
            values[name] = (lambda n: lambda: loc.text(getattr(ev, n)))(name)
    if ev.supporting_project:
        values["project_code"] = lambda: loc.text(ev.supporting_project.code)
        values["project_title"] = lambda: loc.text(ev.supporting_project.title)
    for name, fact in ev.facts.items():
        values[name] = (lambda f: lambda: fmt.date(f) if isinstance(f, dt.date) else
                        fmt.number(f) if isinstance(f, (int, float)) else loc.text(f))(fact)
    return values


#: The placeholders every event has, for the README's list (facts: adds more).
PLACEHOLDERS = {
    "title": "the event's title", "short_title": "its short title", "document_kind": "what the concept note is called",
    "organizer": "the organizer's name and abbreviation", "organizer_short": "its abbreviation",
    "partner": "the partner's name and abbreviation", "partner_short": "its abbreviations",
    "date": "the (first) date, with the weekday", "dates": "the date, or first and last dates",
    "end_date": "the last date", "start": "the daily start time", "end": "the daily end time",
    "timezone": "the time zone's label", "days": "how many days",
    "venue": "the place (organization or name, with the room)", "city": "the city",
    "platform": "the online platform", "link": "the online link",
    "admission": "admission", "audience": "the audience", "interpretation": "the interpretation note",
    "project_code": "the supporting project's code", "project_title": "its title",
}
def _css_string(text: str) -> Markup:
    from .write_html import css_string
    return Markup(css_string(" ".join(str(text).split())))


def render_document(env: jinja2.Environment, name: str, content: EventContent, loc: Localizer,
                    fmt: Formats, extra: dict[str, Any] | None = None, template: str | None = None) -> str:
    """Render one document (e.g. "concept-note") in the localizer's language."""
    env.install_gettext_callables(loc.gettext, loc.ngettext, newstyle=True, pgettext=loc.pgettext)
    helpers = Helpers(content, loc, fmt)
    values = event_values(content, loc, fmt)
    loc.notes = content.footnote_numbers
    context = {
        "c": content, "event": content.event, "lang": loc.lang, "source_lang": loc.source_lang,
        "t": lambda text, **kw: loc.text(text, {**values, **kw}), "h": helpers, "doc": name,
        "plain": loc.plain,
        **(extra or {}),
    }
    return render_template(env, template or f"{name}.html", context)


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; a mistake in it becomes a TemplateError naming its file and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(Problem(_template_name(exc.filename, exc.name), exc.lineno,
                                    f"template syntax error: {exc.message}", "fix the template tag on this line")) from None
    except jinja2.UndefinedError as exc:
        line = _template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1],
                                    f"template uses an undefined name: {exc.message}",
                                    "check the spelling against the names the templates receive (see README)")) from None
    except jinja2.TemplateNotFound as exc:
        line = _template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1], f"template '{exc.name}' not found",
                                    "check the name in the include, import or extends tag")) from None
    except SecurityError as exc:
        line = _template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1],
                                    f"template reaches beyond the values it is given ({exc})",
                                    "use only the names the templates receive (see README)")) from None
    except Exception as exc:
        # An error raised by the template's own code (1/0, a wrong filter argument) is the
        # template's; one raised deeper, in Songphasa's helpers, is ours and stays a bug.
        if not _raised_in_template(exc):
            raise
        line = _template_line(exc)
        raise TemplateError(Problem(line[0] or f"templates/{name}", line[1],
                                    f"template error: {type(exc).__name__}: {exc}",
                                    "fix the expression on this line of the template")) from None


def _raised_in_template(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    filename = tb.tb_frame.f_code.co_filename
    return filename.endswith(".html") or f"{os.sep}jinja2{os.sep}" in filename


def _template_name(filename: str | None, name: str | None) -> str:
    if filename:
        path = Path(filename)
        return f"{path.parent.name}/{path.name}"
    return f"templates/{name}"


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """Find the template file and line in a traceback of rendered template code."""
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            found = (_template_name(filename, None), tb.tb_lineno)
        tb = tb.tb_next
    return found
