"""Say every string of a page in its language, and remember which strings the page used.

Template strings reach the page through gettext (``_``, ``ngettext``),
content strings through :meth:`Localizer.text`. A string with no translation
is never silently shown in the source language: it is wrapped in
``<span class="needs-translation" lang="…">`` and counted.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from .. import languages
from ..content.markdown import FOOTNOTE_REF
from ..content.text import Text
from ..errors import ContentError, Problem
from .markdown import PLACEHOLDER, InlineMarkdown


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
    markdown: InlineMarkdown = field(default_factory=InlineMarkdown, repr=False, compare=False)

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
        html = self.markdown(found if found is not None else text.source)
        html = self._fill(html, text, values or {})
        if found is None and not self.is_source and not as_is:
            return self._missing(html)
        return Markup(html)

    def plain(self, text: Text | None) -> str:
        """Return a content string in this language as plain text (titles, file properties).

        Noted as used like any other: a page whose <title> alone shows a string is rendered again when its
        translation changes (`watch` left the old title in place), and counted when it is missing.
        """
        if text is None or not text:
            return ""
        found = self._find(text.context, text.source, text.file, text.line, as_is=not text.translatable)
        # Unescape every entity, not only &amp;: "Costs < 5" must not become "Costs &lt; 5".
        return html.unescape(re.sub(r"<[^>]+>", "", self.markdown(found if found is not None else text.source)))

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
