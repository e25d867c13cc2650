"""The languages and scripts Songphasa knows: one table, read by every stage.

A language is data: its script (and so the Unicode ranges its text is found
by), the fonts Word and browsers need for it, its digits, how its dates,
times and numbers are written, how its text is cut into words, which Hunspell
dictionary spells it and which checks apply to it. Nothing else in the
package names a language code or a script range: a new language is one entry
here (and a catalog), not a hunt through the modules.

Word treats Lao, Thai and Khmer as *complex scripts*: a run draws them with
the font of the ``w:cs`` slot, at ``w:szCs``, bold from ``w:bCs``, and the
language from ``w:lang/@w:bidi`` (a misleading name: it is the complex-script
language, right-to-left or not). Chinese takes the ``w:eastAsia`` slot and
``w:lang/@w:eastAsia``; Latin text the ``w:ascii``/``w:hAnsi`` slots and
``w:lang/@w:val``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Script:
    """A writing system: where its characters are and how Word and browsers draw them."""

    code: str  # ISO 15924: "Laoo", "Thai", "Latn"
    name: str
    ranges: tuple[tuple[int, int], ...]  # code points, inclusive; empty for Latin (the default script)
    word_slot: str = "ascii"  # "ascii" (with hAnsi), "cs" or "eastAsia": the w:rFonts slot Word reads
    letters: str = ""  # a regex class body of its letters (consonants): a word has one
    word_chars: str = ""  # a regex class body of what a word of it is made of (letters, vowels, marks)
    marks: str = ""  # a regex class body of the marks that sit on a letter (never after a space)
    digits: str = ""  # its own digits 0–9, where it has them
    compositions: tuple[tuple[str, str], ...] = ()  # (regex, replacement) into the standard (NFC-like) form
    spaces_between_words: bool = True
    web_font: tuple[str, str] | None = None  # bundled font files (regular, bold) under templates/fonts/
    web_font_family: str = ""
    html_fonts: tuple[str, ...] = ()  # the system fonts an HTML page may find, after the event's own
    generic: str = "serif"  # the CSS generic family at the end of the stack

    @property
    def complex(self) -> bool:
        """Tell whether Word draws it as a complex script (w:cs)."""
        return self.word_slot == "cs"

    @property
    def char_class(self) -> str:
        """A regex class body of the script's code points."""
        return "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in self.ranges)

    @property
    def unicode_range(self) -> str:
        """The CSS unicode-range of the script (with the zero-width marks and the dotted circle)."""
        return ", ".join(f"U+{lo:04X}-{hi:04X}" for lo, hi in self.ranges) + ", U+200B-200D, U+25CC"

    def has(self, char: str) -> bool:
        """Tell whether a character belongs to the script."""
        code = ord(char)
        return any(lo <= code <= hi for lo, hi in self.ranges)


@dataclass(frozen=True)
class TypingSlips:
    """The slips a typist of a language makes, which the spelling check undoes (checks/slips.py)."""

    tone_marks: str  # marks a typist drops, doubles or puts one for another
    finals: str  # final consonants a typist leaves out
    confusable: tuple[tuple[str, str], ...]  # pairs typed one for the other (vowel length, look-alike letters)


@dataclass(frozen=True)
class Language:
    """One language as its documents write it."""

    code: str  # BCP-47 primary tag, as in settings.languages and locales/<code>/
    name: str  # its English name, for labels and messages
    script: Script
    word_region: str  # the tag Word wants in w:lang ("lo-LA")
    word_font: str  # the Word font when the event names none
    #: The font its PDFs are set in where the documents use ``word_font``, when that font has no bold
    #: of its own and the converter would smear one (Phetsarath OT); "" for the Word font itself.
    print_font: str = ""
    word_size_ratio: float = 1.0  # its runs' size to the Latin text's (TH Sarabun is set at 16 pt beside 11 pt Latin)
    font_setting: str = ""  # the older settings key that names its font ("lao_font")
    digits_setting: str = ""  # the older settings key that turns its native digits on
    date_style: str = "cldr"  # "cldr", or "lao-government" ("ວັນທີ 23 ພະຈິກ 2021")
    number_locale: str = ""  # whose CLDR grouping numbers follow ("" for its own)
    twelve_hour: bool = False  # whether settings.clock: 12-hour applies (documents in it use AM/PM)
    segmenter: str = ""  # "laonlp", "pythainlp", or "" where spaces separate words
    hunspell: str = ""  # the Hunspell dictionary ("lo_LA"), where Debian has one
    hunspell_package: str = ""
    skip_checks: frozenset[str] = field(default_factory=frozenset)  # translation checks that do not apply to it
    #: Where a line must not break: regexes of the spaces that become no-break spaces in its documents
    #: (a name that is one name in two words, a title before a name, a number and what it counts).
    no_break: tuple[str, ...] = ()
    #: How a letter in it cites a legal act in full: the word before its number, and the words a full
    #: citation also has (Lao: ເລກທີ, with ວ່າດ້ວຍ for its subject and ລົງວັນທີ for its date).
    citation_words: tuple[str, tuple[str, ...]] = ("", ())
    #: How a letter in it prints an act it rests on (a Citation): {act}, {subject}, {number} and {date} (the
    #: language's date, "ວັນທີ 12 ກຸມພາ 2021"); a part in [brackets] is left out with its value.
    citation_form: str = "{act}[, {subject}][, No. {number}][, of {date}];"
    slips: TypingSlips | None = None  # its typing slips, where the spelling check reads them (with laonlp's syllables)

    def cite(self, *, act: str, subject: str | None = None, number: str | None = None, date: str | None = None) -> str:
        """Print an act a letter rests on in this language's citation form, leaving out the parts not given."""
        given = {"act": act, "subject": subject, "number": number, "date": date}

        def optional(part: re.Match[str]) -> str:
            return part.group(1) if all(given.get(name) for name in re.findall(r"\{(\w+)\}", part.group(1))) else ""

        return re.sub(r"\[([^\]]*)\]", optional, self.citation_form).format_map(
            {name: value or "" for name, value in given.items()})

    @property
    def word_lang_attribute(self) -> str:
        """The w:lang attribute that names it: val, bidi (complex scripts) or eastAsia."""
        return {"cs": "bidi", "eastAsia": "eastAsia"}.get(self.script.word_slot, "val")


#: Lao typing slips: a tone mark (່ ້ ໊ ໋) dropped, doubled or swapped; a final consonant left out; a short vowel for
#: a long one (ິ/ີ, ຶ/ື, ຸ/ູ, ະ/າ, ັ/າ) and look-alike or sound-alike consonants.
LAO_SLIPS = TypingSlips(
    tone_marks="\u0ec8\u0ec9\u0eca\u0ecb",
    finals="ກງດນບມຍວ",
    confusable=(("\u0eb4", "\u0eb5"), ("\u0eb6", "\u0eb7"), ("\u0eb8", "\u0eb9"), ("\u0eb0", "\u0eb2"),
                ("\u0eb1", "\u0eb2"), ("ບ", "ປ"), ("ດ", "ຕ"), ("ຂ", "ຄ"), ("ສ", "ຊ"), ("ຜ", "ພ"), ("ຝ", "ຟ"),
                ("ທ", "ຖ"), ("ນ", "ໜ"), ("ມ", "ໝ"), ("ຍ", "ຢ"), ("ຄ", "ຕ"), ("ຮ", "ຣ"),
                ("\u0ec8", "\u0ec9"), ("\u0ec8", "\u0eca"), ("\u0ec9", "\u0ecb")),
)
LATIN = Script("Latn", "Latin", (), generic="serif", html_fonts=("Times New Roman", "Liberation Serif"))
LAO = Script(
    "Laoo", "Lao", ((0x0E80, 0x0EFF),), word_slot="cs",
    letters="\u0e81-\u0eae\u0edc-\u0edf",
    word_chars="\u0e81-\u0eae\u0eb0-\u0ebd\u0ec0-\u0ec6\u0ec8-\u0ecd\u0edc-\u0edf",
    marks="\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd",
    digits="\u0ed0\u0ed1\u0ed2\u0ed3\u0ed4\u0ed5\u0ed6\u0ed7\u0ed8\u0ed9",
    # ຳ (U+0EB3) typed as niggahita + aa, with or without a tone mark between.
    compositions=(("\u0ecd([\u0ec8-\u0ecb]?)\u0eb2", "\\1\u0eb3"),),
    spaces_between_words=False,
    web_font=("NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf"), web_font_family="Songphasa Lao",
    html_fonts=("Noto Sans Lao", "Phetsarath OT", "Saysettha OT"), generic="sans-serif",
)
THAI = Script(
    "Thai", "Thai", ((0x0E00, 0x0E7F),), word_slot="cs",
    letters="\u0e01-\u0e2e",
    word_chars="\u0e01-\u0e3a\u0e40-\u0e4e",
    marks="\u0e31\u0e34-\u0e3a\u0e47-\u0e4e",
    digits="\u0e50\u0e51\u0e52\u0e53\u0e54\u0e55\u0e56\u0e57\u0e58\u0e59",
    # ำ (U+0E33) typed as nikhahit + aa, with or without a tone mark between.
    compositions=(("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33"),),
    spaces_between_words=False,
    web_font=("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"), web_font_family="Songphasa Thai",
    html_fonts=("Noto Sans Thai", "TH Sarabun New", "Laksaman", "Garuda", "Loma"), generic="sans-serif",
)
KHMER = Script(
    "Khmr", "Khmer", ((0x1780, 0x17FF), (0x19E0, 0x19FF)), word_slot="cs",
    letters="\u1780-\u17a2", word_chars="\u1780-\u17d3\u17dd", marks="\u17b6-\u17d3\u17dd",
    digits="\u17e0\u17e1\u17e2\u17e3\u17e4\u17e5\u17e6\u17e7\u17e8\u17e9",
    spaces_between_words=False, html_fonts=("Noto Sans Khmer", "Khmer OS"), generic="sans-serif",
)
HAN = Script(
    "Hans", "Chinese", ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)),
    word_slot="eastAsia", spaces_between_words=False,
    html_fonts=("Noto Sans CJK SC", "Noto Serif CJK SC", "SimSun"), generic="sans-serif",
)

#: Lao words a line must not part: the state's name (ສປປ ລາວ), a title and the name it goes with
#: (ທ່ານ ນາງ …), and a number and the word beside it (ວັນທີ 16 ພະຈິກ 2021, 60 ນາທີ, 18 ກະຊວງ).
LAO_NO_BREAK = (
    r"(?<=ສປປ) (?=ລາວ)",
    r"(?<=(?<![\u0e80-\u0eff])ທ່ານ) ", r"(?<=(?<![\u0e80-\u0eff])ນາງ) ", r"(?<=(?<![\u0e80-\u0eff])ທ້າວ) ",
    r"(?<=[\u0e80-\u0eff]) (?=[0-9\u0ed0-\u0ed9])",  # ທີ 23, ພະຈິກ 2021, ເລກທີ 02
    r"(?<=[0-9\u0ed0-\u0ed9]) (?=(?:ມັງກອນ|ກຸມພາ|ມີນາ|ເມສາ|ພຶດສະພາ|ມິຖຸນາ|ກໍລະກົດ|ສິງຫາ|ກັນຍາ|ຕຸລາ|ພະຈິກ|ທັນວາ"
    r"|ນາທີ|ຊົ່ວໂມງ|ໂມງ|ມື້|ວັນ|ອາທິດ|ເດືອນ|ປີ|ຄົນ|ກະຊວງ|ແຂວງ|ເມືອງ|ຂໍ້|ເວລາ))",  # 23 ພະຈິກ, 60 ນາທີ, 18 ກະຊວງ
)

#: The scripts other than Latin, in the order text is searched for them.
SCRIPTS: tuple[Script, ...] = (LAO, THAI, KHMER, HAN)

_TABLE: dict[str, Language] = {lang.code: lang for lang in (
    Language("en", "English", LATIN, "en-US", "Times New Roman", font_setting="latin_font", twelve_hour=True),
    Language("fr", "French", LATIN, "fr-FR", "Times New Roman", font_setting="latin_font"),
    Language("vi", "Vietnamese", LATIN, "vi-VN", "Times New Roman", font_setting="latin_font"),
    Language("lo", "Lao", LAO, "lo-LA", "Phetsarath OT", print_font="Noto Sans Lao", font_setting="lao_font", digits_setting="lao_digits",
             date_style="lao-government", number_locale="en", segmenter="laonlp", hunspell="lo_LA",
             hunspell_package="hunspell-lo", no_break=LAO_NO_BREAK,
             citation_words=("ເລກທີ", ("ວ່າດ້ວຍ", "ລົງວັນທີ")),
             citation_form="ອີງຕາມ {act}[ ວ່າດ້ວຍ {subject}][ ເລກທີ {number}][, ລົງ{date}];", slips=LAO_SLIPS),
    Language("th", "Thai", THAI, "th-TH", "TH Sarabun New", word_size_ratio=1.4, segmenter="pythainlp", hunspell="th_TH",
             hunspell_package="hunspell-th"),
    Language("km", "Khmer", KHMER, "km-KH", "Khmer OS"),
    Language("zh", "Chinese", HAN, "zh-CN", "SimSun"),
)}


#: The language the built-in templates' strings (gettext msgids) are written in. A document in
#: another language, the source language included, takes them from its catalog.
TEMPLATE_LANGUAGE = "en"

#: An event that says nothing: English source, Lao target (where the tool comes from).
DEFAULT_SOURCE = "en"
DEFAULT_TARGETS = ("lo",)


def known() -> tuple[str, ...]:
    """The codes of the languages in the table, sorted."""
    return tuple(sorted(_TABLE))


@cache
def get(code: str) -> Language:
    """Return a language by its code; one the table lacks is taken as Latin-script, CLDR-formatted.

    A region or script subtag ("lo-LA", "zh-Hans") finds its language.
    """
    primary = code.replace("_", "-").split("-")[0].lower()
    if primary in _TABLE:
        return _TABLE[primary]
    return Language(primary, primary, LATIN, primary, "Times New Roman", font_setting="latin_font")


def script_of(char: str) -> Script:
    """Return the script of one character (Latin for everything outside the table's scripts)."""
    for script in SCRIPTS:
        if script.has(char):
            return script
    return LATIN


def scripts_in(text: str) -> set[Script]:
    """Return the non-Latin scripts a text has characters of."""
    return {script for script in SCRIPTS if any(script.has(c) for c in text)}


def same_script(a: str, b: str) -> bool:
    """Tell whether two languages are written in the same script."""
    return get(a).script == get(b).script


@cache
def run_pattern(script: Script) -> re.Pattern:
    """A regex for a run of text in a script: its characters with the spaces and punctuation between them."""
    return re.compile(run_regex(script))


def run_regex(script: Script) -> str:
    """The source of run_pattern."""
    if script is LATIN:
        return r"[A-Za-z][A-Za-z0-9.,'’&/\- ]*[A-Za-z0-9.]|[A-Za-z]"
    chars = script.char_class
    return f"[{chars}][{chars}\\s\\d.,;:!?()\"'“”‘’\\-–—/]*[{chars}]|[{chars}]"


@cache
def script_chars(script: Script) -> re.Pattern:
    """A regex for one character of the script."""
    return re.compile(f"[{script.char_class}]")


def language_for_script(script: Script, languages: tuple[str, ...]) -> str:
    """Name the language a run of a script in the event is in: the event's language of that script.

    Latin runs in a text of another script are names, acronyms and fallbacks:
    the event's Latin-script language (its source or target), else English.
    """
    for code in languages:
        if get(code).script == script:
            return code
    if script is LATIN:
        return "en"
    return next((lang.code for lang in _TABLE.values() if lang.script == script), script.code.lower())


def native_digits(text: str, code: str) -> str:
    """Write the Western digits of a text in the language's own digits (unchanged where it has none)."""
    digits = get(code).script.digits
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


#: Every native digit the table knows, to Western digits (numbers are compared that way).
TO_WESTERN = str.maketrans("".join(s.digits for s in SCRIPTS if s.digits),
                           "0123456789" * sum(1 for s in SCRIPTS if s.digits))


def compose(text: str) -> str:
    """Replace the decomposed spellings the table knows (ຳ, ำ typed in two parts) with the standard form."""
    for script in SCRIPTS:
        for pattern, replacement in script.compositions:
            text = re.sub(pattern, replacement, text)
    return text


def all_marks() -> str:
    """A regex class body of every mark that sits on a letter in the table's scripts."""
    return "".join(s.marks for s in SCRIPTS)


def segment(text: str, code: str | None = None) -> list[str]:
    """Cut a text into words with the segmenter of its script (Lao: laonlp; Thai: pythainlp).

    Text of a script that writes spaces is split at spaces and punctuation,
    every character kept. Where no segmenter is named, the text is one piece.
    """
    segmenter = get(code).segmenter if code else ""
    if not segmenter:
        found = scripts_in(text)
        segmenter = next((lang.segmenter for lang in _TABLE.values() if lang.script in found and lang.segmenter), "")
    if segmenter == "laonlp":
        from laonlp.tokenize import word_tokenize  # slow to import; only Lao text needs it
        return list(word_tokenize(text))
    if segmenter == "pythainlp":
        from pythainlp.tokenize import word_tokenize as thai_tokenize  # a dependency of laonlp
        return list(thai_tokenize(text, engine="newmm", keep_whitespace=True))
    return [text]


def word_region(code: str) -> str:
    """Name a language the way Word's w:lang and the core properties expect ("lo-LA")."""
    return get(code).word_region


__all__ = ["Language", "Script", "LATIN", "SCRIPTS", "get", "known", "script_of", "scripts_in", "run_pattern", "run_regex",
           "language_for_script", "native_digits", "compose", "segment", "word_region", "same_script"]
