"""The session's pages in each screen's language: their own words from the catalogs Songphasa ships.

The pages' templates write their strings in English, as the documents'
templates do, through two functions: ``_("…")`` says a string in the
language of the screen (the booth's, the one the projector or the
secretariat chose) and ``said(lang, "…")`` in one column's language (the
projector's Lao column says "Proposed" in Lao). Their translations are
catalogs in ``songphasa/serve/locales/<lang>.po``, read with Babel like every
catalog. A language without one is shown in English, and its elements' lang
attribute names the template language (:func:`page_language`), so that
nothing is read aloud or set in the wrong language's rules. Language names are CLDR's, in the language
that names them (Babel): "ອັງກິດ" on a Lao page, "English" on an English one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape

from .. import languages
from ..i18n.po import first, read_catalog

#: The language the pages' strings are written in.
WRITTEN_IN = languages.TEMPLATE_LANGUAGE
LOCALES = resources.files("songphasa.serve") / "locales"


@cache
def catalog(lang: str) -> dict[str, str]:
    """The shipped translations of the pages' strings into a language ({} when Songphasa ships none)."""
    path = Path(str(LOCALES / f"{lang}.po"))
    if lang == WRITTEN_IN or not path.is_file():
        return {}
    read = read_catalog(path, path.parent, locale=lang)
    return {first(m.id): first(m.string) for m in read if m.id and first(m.string) and not m.fuzzy}


def shipped() -> tuple[str, ...]:
    """The languages the pages can speak: the one they are written in and each with a shipped catalog."""
    return (WRITTEN_IN, *sorted(Path(str(entry.name)).stem for entry in LOCALES.iterdir()
                                if entry.name.endswith(".po")))


def N_(msgid: str) -> str:
    """Mark a string of the code as one of the pages' strings (extracted for their catalogs); it stays as written."""
    return msgid


def page_language(lang: str) -> str:
    """The language a page asked to speak ``lang`` is shown in: that one where Songphasa has its words, else English."""
    return lang if lang == WRITTEN_IN or catalog(lang) else WRITTEN_IN


def say(lang: str, msgid: str, **values: object) -> Markup:
    """A page's string in a language (English where it has no translation), its values put in and escaped."""
    text = catalog(page_language(lang)).get(msgid, msgid)
    return escape(text) % {key: value for key, value in values.items()} if values else escape(text)


def language_name(code: str, in_lang: str) -> str:
    """A language's name as a page in ``in_lang`` says it (CLDR through Babel; the table's English name otherwise)."""
    shown = page_language(in_lang)
    if shown == WRITTEN_IN:
        return languages.get(code).name
    try:
        return Locale.parse(shown).languages.get(code) or languages.get(code).name
    except (UnknownLocaleError, ValueError):
        return languages.get(code).name


def plain(markup: Markup) -> str:
    """A said string for a place that takes text, not markup (a data attribute Jinja escapes again)."""
    return str(markup.unescape())
