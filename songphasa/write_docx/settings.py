"""How one document is dressed: its language, the fonts of each language, its page and its metadata."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from songphasa import languages
from songphasa.languages import Script


@dataclass(frozen=True)
class DocxSettings:
    """How one document is dressed: its language, fonts, page and metadata."""

    language: str  # BCP-47 primary tag of the document's main language (a code of the language table)
    latin_font: str = "Times New Roman"  # the font of Latin-script text where ``fonts`` names none
    fonts: tuple[tuple[str, str], ...] = ()  # (language code, font) of every language of the event
    languages: tuple[str, ...] = ()  # the event's languages, the source first: which language each script is
    title: str = ""  # core property title
    subject: str = ""
    author: str = ""  # e.g. the organizer's name
    created: datetime.datetime | None = None  # from the event, never the clock
    landscape: bool = False
    paper: str = "A4"  # a key of documents.PAPERS
    reviser: str = ""  # the author of tracked changes (<ins>/<del>): the secretariat; else `author`
    compact: bool = False  # single line spacing and less space after paragraphs (a letter that fits one page)

    def font_for(self, code: str) -> str:
        """Return the font of a language's runs: the event's, else the language table's."""
        language = languages.get(code)
        named = dict(self.fonts).get(code)
        return named or (self.latin_font if language.script is languages.LATIN else language.word_font)

    def language_of(self, script: Script) -> str:
        """Return the event's language written in a script."""
        return languages.language_for_script(script, self.languages or (self.language,))

    @property
    def complex_language(self) -> str:
        """The language of the document's complex-script (or East Asian) text: its own, else the event's first."""
        if languages.get(self.language).script is not languages.LATIN:
            return self.language
        others = [c for c in self.languages if languages.get(c).script is not languages.LATIN]
        return others[0] if others else languages.DEFAULT_TARGETS[0]
