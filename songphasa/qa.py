"""Check Lao translations the way a Lao reader and a Lao layout need them.

Generic checkers (pofilter, Weblate) assume a Latin-script target and flag
every Lao string for missing capitals and full stops. Lao has no letter case,
no sentence-final full stop convention like English, and no spaces between
words, so there are no capitalisation, full-stop, sentence-count or
end-punctuation checks here; Translate Toolkit's Thai rules drop the same
checks for the same reasons.

What is checked instead is what breaks a document or misleads a reader: lost
placeholders, markup, numbers and addresses; glossary terms; English left in
the Lao text; and invisible Unicode problems (wrong character order, ``ຳ``
typed as two marks, zero-width spaces) that look right on screen but break
line breaking, search and spell checking.

Every translation check can be silenced for one catalog entry with the PO
flag ``no-<check>-check``, e.g. ``#, no-glossary-check``.
"""

from __future__ import annotations

import contextvars
import functools
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from songphasa import languages
from songphasa.errors import Problem, ToolMissing
from songphasa.i18n.compile import percent_format_error  # the build's own test, in i18n/compile.py

DESCRIPTIONS: dict[str, str] = {
    "placeholders": "the translation has the same {name}, %(name)s and %s/%d placeholders "
    "as the English text, as often",
    "markup": "bold (**…**) and italic (*…*) parts are kept and every link keeps its "
    "address; only the link text is translated",
    "lines": "the translation has as many lines as the English text",
    "numbers": "every number, time and date of the English text is in the translation; "
    "Lao digits (໐–໙) count, and so do numbers written with or without grouping",
    "emails": "every email address of the English text is copied unchanged",
    "urls": "every web address outside a link is copied unchanged "
    "(link addresses are checked by markup)",
    "glossary": "a glossary term used in the English text is translated with its agreed "
    "Lao term, or its agreed abbreviation when the English uses the abbreviation",
    "dnt": "a do-not-translate glossary term (a product or organisation name) "
    "is copied unchanged",
    "leftover": "the translation is not a copy of the English text and has no English "
    "words left in it (names, acronyms and glossary terms may stay in Latin letters)",
    "hygiene": "the Lao text is in standard Unicode form (NFC, ຳ as one character), has "
    "no space before a vowel or tone mark, no zero-width characters, no doubled "
    "spaces and the same spaces at its ends as the English text",
    "acronyms": "(English text) every acronym is defined in the glossary; one that is a "
    "letter off from a defined acronym is reported as a misspelling",
    "variants": "(English text) a glossary term is written as the glossary writes it: a "
    "spelling that differs only in hyphens or spaces, -re/-er or a plural is an error",
}
"""What each check verifies, in the words the README uses."""

CHECKS: tuple[str, ...] = tuple(DESCRIPTIONS)
"""Every check name; ``no-<name>-check`` in an entry's flags silences it."""

GLOSSARY_FILE = "content/glossary.yaml"


@dataclass(frozen=True)
class GlossaryTerm:
    """One agreed term: its English and Lao forms and their abbreviations."""

    en: str
    lo: str
    abbr_en: str = ""
    abbr_lo: str = ""  # "" when Lao uses the English abbreviation
    note: str = ""
    dnt: bool = False  # do not translate: the term stays as it is
    variants: tuple[str, ...] = ()  # other English spellings that count as the term


@dataclass(frozen=True)
class Finding:
    """One problem in one translation, worded for the translator who fixes it."""

    check: str
    severity: str  # "error" or "warning"
    message: str
    hint: str = ""

    def problem(self, file: str, line: int | None) -> Problem:
        """Place this finding in a file so it prints in the compiler format."""
        return Problem(file, line, self.message, self.hint, self.severity)


# --- What text is made of -------------------------------------------------

# Brace placeholders are matched loosely so that a translated name ({ຊື່})
# is reported instead of silently ignored. Plain %-placeholders take no flags
# because "10% discount" would otherwise read as "% d".
_PLACEHOLDER = re.compile(
    r"%%"
    r"|\{[^{}\s]+\}"
    r"|%\([A-Za-z_][A-Za-z0-9_]*\)[-#0+ ]*\d*(?:\.\d+)?[sdifrxXeEgGc]"
    r"|%\d*(?:\.\d+)?[sdifr]"
)
_LINK = re.compile(
    r"!?\[((?:[^\[\]\\]|\\.)*)\]\(\s*<?([^\s<>()]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
# Only ASCII: Lao text often follows an address without a space.
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_STRONG = re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*", re.S)
_EM = re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.S)
# "10,000" is one number, "18, 44" and "1,2" are two each.
_NUMBER = re.compile(r"\d+(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:[.:]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:[-/'’][A-Za-z0-9]+)*")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")

# Native digits (໐–໙, ๐–๙, …) read as Western digits: numbers are compared that way.
_LAO_DIGITS = languages.TO_WESTERN
# Vowel signs and tone marks that sit on a consonant; after a space they show
# on a dotted circle.
_MARKS = languages.all_marks()  # of every script in the language table
_SPACE_BEFORE_MARK = re.compile(rf"\s+[{_MARKS}]")
# A vowel typed in two parts (Lao ຳ as niggahita + aa, with or without a tone mark between),
# (Thai ำ likewise; the patterns are the language table's.)
_SPLIT_AM = re.compile("|".join(pattern for script in languages.SCRIPTS for pattern, _ in script.compositions))
_ZERO_WIDTH = {
    "\u200b": "zero-width space (U+200B)",
    "\u200c": "zero-width non-joiner (U+200C)",
    "\u200d": "zero-width joiner (U+200D)",
    "\ufeff": "zero-width no-break space (U+FEFF)",
}
_ZERO_WIDTH_RE = re.compile("[" + "".join(_ZERO_WIDTH) + "]")
_DOUBLE_SPACE = re.compile(r"[ \u00a0]{2,}")
_SEPARATOR = r"[\s\-\u2010\u2011]+"


def _quote(text: str, limit: int = 60) -> str:
    """Quote text for a message, shortened so one finding stays one line."""
    text = text.replace("\n", " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def _quote_all(items: Iterable[str]) -> str:
    return ", ".join(_quote(i) for i in items)


def _around(text: str, start: int, end: int, width: int = 8) -> str:
    """Return the text around a spot so the translator can find it."""
    return text[max(0, start - width) : end + width].strip()


def _mask(text: str, *patterns: re.Pattern[str]) -> str:
    """Blank out matches so later checks do not look inside them."""
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


def _link_targets(text: str) -> list[str]:
    return [m.group(2) for m in _LINK.finditer(text)]


def _without_link_targets(text: str) -> str:
    # Keep the link text: it is prose and is checked like any other.
    return _LINK.sub(lambda m: f" {m.group(1)} ", text)


def _clean_lao(text: str) -> str:
    """Return text as checks should compare it: NFC, ຳ whole, no zero-width chars.

    The hygiene check reports these problems once; other checks should not
    report the same typing slip again as a missing term.
    """
    text = _ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFC", text))
    return languages.compose(text)


@functools.lru_cache(maxsize=4096)
def _phrase(phrase: str, plural: str, ignore_case: bool) -> re.Pattern[str]:
    """Match an English phrase as whole words, spaces and hyphens alike.

    ``\\b`` is not used because Python counts Lao letters as word characters,
    and a Latin term often touches Lao text with no space.
    """
    words = [w for w in re.split(_SEPARATOR, phrase.strip()) if w]
    body = _SEPARATOR.join(re.escape(w) for w in words)
    return re.compile(
        rf"(?<![A-Za-z0-9])(?:{body}){plural}(?![A-Za-z0-9])",
        re.IGNORECASE if ignore_case else 0,
    )


@dataclass(frozen=True)
class _Use:
    """Where the English text uses a glossary term, and in which form."""

    text: str
    term: GlossaryTerm
    abbreviation: bool


def _glossary_uses(source: str, glossary: Sequence[GlossaryTerm]) -> list[_Use]:
    """Find the glossary terms a source uses, longest match first.

    "District Service Centre" must not also count as a use of a shorter
    term "Service Centre" inside it.
    """
    found: list[tuple[int, int, _Use]] = []
    for term in glossary:
        for phrase in (term.en, *term.variants):
            if not phrase.strip():
                continue
            # A dnt name is matched as written: "Zoom" the product, not "zoom in".
            pattern = _phrase(phrase, "" if term.dnt else "(?:e?s)?", not term.dnt)
            for m in pattern.finditer(source):
                found.append((m.start(), m.end(), _Use(m.group(), term, False)))
        if term.abbr_en.strip() and not term.dnt:
            for m in _phrase(term.abbr_en, "s?", False).finditer(source):
                found.append((m.start(), m.end(), _Use(m.group(), term, True)))
    found.sort(key=lambda f: (f[0], f[0] - f[1]))
    uses: list[_Use] = []
    taken_until = -1
    for start, end, use in found:
        if start >= taken_until:
            uses.append(use)
            taken_until = end
    return uses


def _is_acronym_like(word: str) -> bool:
    """Tell whether a Latin word is written in capitals (UN, A4B2, SDGs, UN/DESA)."""
    core = word[:-1] if word.endswith("s") and len(word) > 2 else word
    return len(core) >= 2 and not any(c.islower() for c in core)


def _latin_leftovers(
    text: str,
    glossary: Sequence[GlossaryTerm],
    names: Collection[str],
    *,
    allow_terms: bool,
) -> list[str]:
    """List the Latin-letter words of a text that are not allowed to stay English."""
    text = _mask(_without_link_targets(text), _URL, _EMAIL, _PLACEHOLDER)
    allowed: list[tuple[str, str, bool]] = []  # phrase, plural ending, ignore case
    for term in glossary:
        if term.dnt:
            allowed += [(phrase, "", False) for phrase in (term.en, *term.variants)]
        elif allow_terms:
            phrases = (term.en, *term.variants, term.lo, term.abbr_lo)
            allowed += [(phrase, "(?:e?s)?", True) for phrase in phrases]
        allowed.append((term.abbr_en, "s?", False))
    allowed += [(name, "", False) for name in names]
    # Longest first, so a name is not cut up by a shorter one inside it; an
    # empty phrase would match everywhere.
    for phrase, plural, ignore_case in sorted(allowed, key=lambda a: -len(a[0])):
        if phrase.strip():
            text = _phrase(phrase, plural, ignore_case).sub(" ", text)
    words: list[str] = []
    for m in _LATIN_WORD.finditer(text):
        word = m.group()
        letters = sum(c.isalpha() for c in word)
        # A lone letter is a label ("Room B", "Plan A"), not English prose.
        if letters < 2 or _is_acronym_like(word) or word in names:
            continue
        if word not in words:
            words.append(word)
    return words


# --- The translation checks -----------------------------------------------


def _check_placeholders(source: str, translation: str) -> list[Finding]:
    def found(text: str) -> Counter[str]:
        return Counter(m.group() for m in _PLACEHOLDER.finditer(text) if m.group() != "%%")

    want, have = found(source), found(translation)
    findings = []
    for ph in want:
        if have[ph] == 0:
            findings.append(
                Finding(
                    "placeholders",
                    "error",
                    f"placeholder {_quote(ph)} is missing from the translation",
                    f"copy {_quote(ph)} exactly as in the English text; "
                    "it is filled in when the documents are built",
                )
            )
        elif have[ph] != want[ph]:
            findings.append(
                Finding(
                    "placeholders",
                    "error",
                    f"placeholder {_quote(ph)} appears {want[ph]} time(s) in the English "
                    f"text but {have[ph]} time(s) in the translation",
                    "use each placeholder as often as the English text does",
                )
            )
    for ph in have:
        if ph not in want:
            findings.append(
                Finding(
                    "placeholders",
                    "error",
                    f"the translation has placeholder {_quote(ph)}, "
                    "which the English text does not have",
                    "remove it, or spell it exactly as in the English text (do not translate "
                    "the name inside the braces)",
                )
            )
    return findings


def _emphasis(text: str) -> tuple[list[str], list[str]]:
    """Return the bold and the italic parts of a Markdown text, as written."""
    text = text.replace("\\*", "")
    strong = [m.group() for m in _STRONG.finditer(text)]
    em = [m.group() for m in _EM.finditer(_STRONG.sub(lambda m: f"\x00{m.group(1)}\x00", text))]
    return strong, em


def _check_markup(source: str, translation: str) -> list[Finding]:
    findings = []
    src_strong, src_em = _emphasis(source)
    tr_strong, tr_em = _emphasis(translation)
    for kind, marker, want, have in (
        ("bold", "**", src_strong, tr_strong),
        ("italic", "*", src_em, tr_em),
    ):
        if len(want) != len(have):
            listed = f" ({_quote_all(want)})" if want else ""
            findings.append(
                Finding(
                    "markup",
                    "error",
                    f"the English text has {len(want)} {kind} part(s){listed} "
                    f"but the translation has {len(have)}",
                    f"put {marker} right around the matching Lao words, with no space just "
                    f"inside the markers: {marker}ຄຳສຳຄັນ{marker}",
                )
            )
    want_links, have_links = Counter(_link_targets(source)), Counter(_link_targets(translation))
    for target in want_links:
        if have_links[target] < want_links[target]:
            findings.append(
                Finding(
                    "markup",
                    "error",
                    f"the link to {_quote(target)} is missing from the translation "
                    "or its address was changed",
                    f"keep the link as [Lao link text]({target}): translate only the text "
                    "in square brackets",
                )
            )
    for target in have_links:
        if target not in want_links:
            findings.append(
                Finding(
                    "markup",
                    "error",
                    f"the translation links to {_quote(target)}, "
                    "which the English text does not",
                    "copy the link address from the English text unchanged",
                )
            )
    return findings


def _check_lines(source: str, translation: str) -> list[Finding]:
    want, have = source.count("\n") + 1, translation.count("\n") + 1
    if want == have:
        return []
    return [
        Finding(
            "lines",
            "error",
            f"the English text has {want} line(s) but the translation has {have}",
            "keep the same line breaks: each line of a list or an address stays on its own line",
        )
    ]


def _number_forms(number: str) -> list[str]:
    """Return the ways a translator may write a number of the English text.

    Lao in CLDR groups thousands with "." and writes decimals with ",";
    translators also use the English style, or no grouping at all.
    """
    if ":" in number or number.count(".") > 1:  # a time (09:30) or a section (1.2.3)
        return [number]
    whole, _, fraction = number.replace(",", "").partition(".")
    groups = []
    head = whole
    while len(head) > 3:
        groups.insert(0, head[-3:])
        head = head[:-3]
    groups.insert(0, head)
    forms = {number, whole + ("." + fraction if fraction else "")}
    for sep in (",", ".", " ", "\u00a0", "\u202f", ""):
        for dec in (".", ","):
            if sep == dec or (len(groups) == 1 and sep):
                continue
            forms.add(sep.join(groups) + (dec + fraction if fraction else ""))
    return sorted(forms, key=lambda f: (f != number, f))


def _check_numbers(source: str, translation: str, target: str | None = None) -> list[Finding]:
    hide = (_URL, _EMAIL, _PLACEHOLDER)
    src = _mask(_without_link_targets(source), *hide).translate(_LAO_DIGITS)
    tr = _mask(_without_link_targets(translation), *hide).translate(_LAO_DIGITS)
    findings = []
    seen = set()
    for m in _NUMBER.finditer(src):
        number = m.group()
        if number in seen:
            continue
        seen.add(number)
        if not any(
            re.search(rf"(?<!\d)(?<!\d[.,:]){re.escape(form)}(?![.,:]?\d)", tr)
            for form in _number_forms(number)
        ):
            findings.append(
                Finding(
                    "numbers",
                    "error",
                    f"number {_quote(number)} from the English text is missing "
                    "from the translation",
                    f"copy the number; Lao digits ({languages.native_digits(number, target)}) "
                    "count too" if target and languages.get(target).script.digits else "copy the number",
                )
            )
    return findings


def _check_emails(source: str, translation: str) -> list[Finding]:
    findings = []
    for email in dict.fromkeys(m.group().rstrip(".") for m in _EMAIL.finditer(source)):
        if email not in translation:
            findings.append(
                Finding(
                    "emails",
                    "error",
                    f"email address {_quote(email)} is missing or changed in the translation",
                    "copy the email address exactly as in the English text",
                )
            )
    return findings


def _check_urls(source: str, translation: str) -> list[Finding]:
    findings = []
    # Link addresses belong to the markup check; report each problem once.
    bare = _LINK.sub(" ", source)
    for url in dict.fromkeys(m.group().rstrip(".,;:!?'") for m in _URL.finditer(bare)):
        if url not in translation:
            findings.append(
                Finding(
                    "urls",
                    "error",
                    f"web address {_quote(url)} is missing or changed in the translation",
                    "copy the address exactly as in the English text",
                )
            )
    return findings


def _check_glossary(
    source: str, translation: str, glossary: Sequence[GlossaryTerm], flags: Collection[str]
) -> list[Finding]:
    findings = []
    text = _clean_lao(translation)
    reported = set()
    # A term inside an address or a placeholder name is not prose to translate.
    prose = _mask(_without_link_targets(source), _URL, _EMAIL, _PLACEHOLDER)
    for use in _glossary_uses(prose, glossary):
        term = use.term
        if (use.text, term) in reported:
            continue
        reported.add((use.text, term))
        if term.dnt:
            if "no-dnt-check" in flags or use.text in text or term.en in text:
                continue
            findings.append(
                Finding(
                    "dnt",
                    "error",
                    f"{_quote(use.text)} must stay as it is in the translation, "
                    "but it is missing or changed",
                    f"copy {_quote(use.text)} unchanged, in Latin letters; it is a name "
                    "that is not translated",
                )
            )
            continue
        if "no-glossary-check" in flags or not term.lo.strip():
            continue
        lo = _clean_lao(term.lo)
        if use.abbreviation:
            expected = _clean_lao(term.abbr_lo) if term.abbr_lo.strip() else term.abbr_en
            # Spelling the abbreviation out in full is also right.
            if expected in text or lo in text:
                continue
            findings.append(
                Finding(
                    "glossary",
                    "error",
                    f"the English text uses the abbreviation {_quote(use.text)} "
                    f"({term.en}) but the translation does not have {_quote(expected)}",
                    f"use {_quote(expected)} or the full term {_quote(term.lo)} "
                    f"as agreed in {GLOSSARY_FILE}",
                )
            )
        elif lo not in text:
            findings.append(
                Finding(
                    "glossary",
                    "error",
                    f"the English text uses the glossary term {_quote(use.text)} "
                    f"but the translation does not have {_quote(term.lo)}",
                    f"use the agreed Lao term from {GLOSSARY_FILE}; if this entry needs other "
                    "wording, add the flag no-glossary-check",
                )
            )
    return findings


def _check_leftover(
    source: str,
    translation: str,
    glossary: Sequence[GlossaryTerm],
    names: Collection[str],
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> list[Finding]:
    script = languages.get(source_lang).script if source_lang else languages.LATIN
    if target_lang and languages.get(target_lang).script == script and script is not languages.LATIN:
        return []  # both in the same non-Latin script: its words are not leftovers
    if script is not languages.LATIN:
        return _source_script_leftovers(source, translation, glossary, script)
    if _clean_lao(translation).strip() == _clean_lao(source).strip():
        # Names, acronyms, numbers and do-not-translate terms may be copied whole.
        if _latin_leftovers(source, glossary, names, allow_terms=False):
            return [
                Finding(
                    "leftover",
                    "error",
                    f"the translation is the same as the English text {_quote(source.strip())}",
                    "translate it, or leave the translation empty until it is done",
                )
            ]
        return []
    words = _latin_leftovers(translation, glossary, names, allow_terms=True)
    if not words:
        return []
    return [
        Finding(
            "leftover",
            "warning",
            f"English word(s) left in the Lao text: {_quote_all(words)}",
            "translate them; a name that stays in Latin letters belongs in the "
            f"project's names or in {GLOSSARY_FILE} (dnt: true)",
        )
    ]


def _source_script_leftovers(source: str, translation: str, glossary: Sequence[GlossaryTerm],
                             script: languages.Script) -> list[Finding]:
    """Report a translation from a non-Latin source that copies it, or keeps words of its script."""
    letters = re.compile(f"[{script.letters}]")
    if _clean_lao(translation).strip() == _clean_lao(source).strip() and letters.search(source):
        return [Finding("leftover", "error", f"the translation is the same as the English text {_quote(source.strip())}",
                        "translate it, or leave the translation empty until it is done")]
    text = _clean_lao(translation)
    for term in glossary:  # a do-not-translate term may stay as written
        if term.dnt and term.en.strip():
            text = text.replace(_clean_lao(term.en), " ")
    words = list(dict.fromkeys(m.group() for m in re.finditer(f"[{script.char_class}]+", text) if letters.search(m.group())))
    if not words:
        return []
    return [Finding("leftover", "warning", f"English word(s) left in the Lao text: {_quote_all(words)}",
                    f"translate them; a name that stays as written belongs in {GLOSSARY_FILE} (dnt: true)")]


def _leading(text: str) -> str:
    return text[: len(text) - len(text.lstrip())].replace("\n", "")


def _trailing(text: str) -> str:
    return text[len(text.rstrip()) :].replace("\n", "")


def _describe_space(ws: str) -> str:
    if not ws:
        return "no space"
    return "a space" if len(ws) == 1 else f"{len(ws)} spaces"


def _check_hygiene(source: str, translation: str, allow_zwsp: bool) -> list[Finding]:
    findings = []
    nfc = unicodedata.normalize("NFC", translation)
    if nfc != translation:
        at = next((i for i, (a, b) in enumerate(zip(translation, nfc)) if a != b), 0)
        findings.append(
            Finding(
                "hygiene",
                "error",
                "the translation has marks typed in a non-standard order near "
                f"{_quote(_around(translation, at, at + 1))}; it looks right but search "
                "and spell checking miss it",
                f"replace the text with its standard (NFC) form: {_quote(nfc, 200)}",
            )
        )
    split_am = [m for m in _SPLIT_AM.finditer(translation)]
    if split_am:
        fixed = languages.compose(nfc)
        spots = _quote_all(_around(translation, m.start(), m.end(), 3) for m in split_am)
        whole = languages.compose(split_am[0].group())[-1]
        parts = f"{split_am[0].group()[0]} + {split_am[0].group()[-1]}"
        findings.append(
            Finding(
                "hygiene",
                "error",
                f"{whole} is typed as two marks ({parts}) in {spots}; it looks the same but search, "
                "sorting and spell checking fail",
                f"type the single vowel {whole} instead: {_quote(fixed, 200)}",
            )
        )
    spaced = list(_SPACE_BEFORE_MARK.finditer(translation))
    if spaced:
        spots = _quote_all(_around(translation, m.start(), m.end(), 4) for m in spaced)
        findings.append(
            Finding(
                "hygiene",
                "error",
                f"a space comes before a vowel or tone mark in {spots}; the mark will show "
                "on a dotted circle (◌)",
                "delete the space so the mark sits on its consonant",
            )
        )
    if not allow_zwsp:
        for char, what in _ZERO_WIDTH.items():
            at = translation.find(char)
            if at < 0:
                continue
            before = translation[max(0, at - 8) : at].replace(char, "").strip()
            where = f" after {_quote(before)}" if before else " at the start"
            findings.append(
                Finding(
                    "hygiene",
                    "error",
                    f"the translation contains an invisible {what}{where}",
                    "delete it: browsers and Word break Lao lines with their own dictionary, "
                    "and invisible characters break search and spell checking",
                )
            )
    inner = translation.strip()
    double = _DOUBLE_SPACE.search(inner)
    if double and not _DOUBLE_SPACE.search(source.strip()):
        findings.append(
            Finding(
                "hygiene",
                "warning",
                "the translation has two spaces in a row near "
                f"{_quote(_around(inner, double.start(), double.end()))}",
                "use a single space",
            )
        )
    for end, get in (("starts", _leading), ("ends", _trailing)):
        want, have = get(source), get(translation)
        if want != have:
            findings.append(
                Finding(
                    "hygiene",
                    "warning",
                    f"the English text {end} with {_describe_space(want)} "
                    f"but the translation {end} with {_describe_space(have)}",
                    "match the spaces of the English text at the start and end; "
                    "the documents add their own spacing",
                )
            )
    return findings


def _check_percent_format(source: str, translation: str) -> list[Finding]:
    error = percent_format_error(source, translation, names=False)
    if error is None:
        return []
    return [Finding("placeholders", "error", error,
                    "write a percent sign as %%, and copy %(name)s placeholders exactly as in the English text")]


def check_translation(
    source: str,
    translation: str,
    *,
    glossary: Sequence[GlossaryTerm] = (),
    names: Collection[str] = (),
    flags: Collection[str] = (),
    allow_zwsp: bool = False,
    percent_format: bool = False,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> list[Finding]:
    """Check one translation against its source; return what is wrong.

    An empty translation is untranslated, not wrong, and gives no findings.
    ``names`` are proper nouns that may stay in Latin letters; ``flags`` are
    the entry's PO flags, where ``no-<check>-check`` silences one check;
    ``percent_format`` says the text is %-formatted (template strings).
    ``source_lang`` and ``target_lang`` name the direction (English into Lao
    when not given); the findings name the two languages.
    """
    if not translation:
        return []
    flags = set(flags)
    skipped = languages.get(target_lang).skip_checks if target_lang else frozenset()

    def on(check: str) -> bool:
        return f"no-{check}-check" not in flags and check not in skipped

    findings: list[Finding] = []
    if on("placeholders"):
        findings += _check_placeholders(source, translation)
        if percent_format:  # the translation is %-formatted when the documents are built
            findings += _check_percent_format(source, translation)
    if on("markup"):
        findings += _check_markup(source, translation)
    if on("lines"):
        findings += _check_lines(source, translation)
    if on("numbers"):
        findings += _check_numbers(source, translation, target_lang)
    if on("emails"):
        findings += _check_emails(source, translation)
    if on("urls"):
        findings += _check_urls(source, translation)
    if on("glossary") or on("dnt"):
        findings += _check_glossary(source, translation, glossary, flags)
    if on("leftover"):
        findings += _check_leftover(source, translation, glossary, names, source_lang, target_lang)
    if on("hygiene"):
        findings += _check_hygiene(source, translation, allow_zwsp)
    if source_lang or target_lang:
        findings = [_named(f, source_lang, target_lang) for f in findings]
    return findings


_NAMES = re.compile(r"\b(English|Lao)\b")


def _named(finding: Finding, source_lang: str | None, target_lang: str | None) -> Finding:
    """Word a finding for its pair: the messages say "English" for the source and "Lao" for the target."""
    names = {"English": languages.get(source_lang).name if source_lang else "English",
             "Lao": languages.get(target_lang).name if target_lang else "Lao"}

    def say(text: str) -> str:
        return _NAMES.sub(lambda m: names[m.group()], text)

    return Finding(finding.check, finding.severity, say(finding.message), say(finding.hint))


# --- The source check -----------------------------------------------------


def _defined_acronyms(glossary: Sequence[GlossaryTerm]) -> dict[str, GlossaryTerm]:
    """Map every acronym the glossary defines to the term that defines it."""
    defined: dict[str, GlossaryTerm] = {}
    for term in glossary:
        for form in (term.abbr_en, term.en, *term.variants):
            form = form.strip()
            if _TOKEN.fullmatch(form) and _is_acronym_like(form):
                defined.setdefault(form, term)
    return defined


def _near_miss(word: str, known: str) -> bool:
    """Tell whether two acronyms differ by order or by one letter (SGDs, SDGs)."""
    if word == known or min(len(word), len(known)) < 3:
        return False  # two-letter acronyms are too close to one another to guess
    if sorted(word) == sorted(known):
        return True
    if len(word) == len(known):
        return sum(a != b for a, b in zip(word, known)) == 1
    short, long = sorted((word, known), key=len)
    if len(long) - len(short) != 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def check_source(
    source: str,
    *,
    glossary: Sequence[GlossaryTerm] = (),
    flags: Collection[str] = (),
) -> list[Finding]:
    """Check one English source string; return its acronym problems.

    An acronym must be defined in the glossary, as a term's ``abbr_en``, as a
    term that is itself the acronym, or inside a do-not-translate term. A
    plural ("SDGs") counts as its singular.
    """
    if not source or "no-acronyms-check" in set(flags):
        return []
    defined = _defined_acronyms(glossary)
    text = _mask(_without_link_targets(source), _URL, _EMAIL, _PLACEHOLDER)
    # Whole glossary phrases ("UN DESA", "ASEAN Secretariat", "UN/DESA") are
    # defined as a unit.
    for term in glossary:
        for phrase in (term.en, *term.variants):
            if phrase.strip():
                text = _phrase(phrase, "" if term.dnt else "(?:e?s)?", not term.dnt).sub(
                    " ", text
                )
        if term.abbr_en.strip():
            text = _phrase(term.abbr_en, "s?", False).sub(" ", text)
    findings: list[Finding] = []
    seen = set()
    for m in _TOKEN.finditer(text):
        word = m.group()
        singular = word[:-1] if word.endswith("s") else word
        if sum(c.isupper() for c in singular) < 2 or any(c.islower() for c in singular):
            continue
        if _ROMAN.fullmatch(singular) or singular in defined or word in seen:
            continue
        seen.add(word)
        near = [known for known in sorted(defined) if _near_miss(singular, known)]
        if near:
            known = near[0]
            term = defined[known]
            named = f" ({term.en})" if term.en != known else ""
            right = known + word[len(singular) :]
            findings.append(
                Finding(
                    "acronyms",
                    "error",
                    f"{_quote(word)} looks like a misspelling of {_quote(known)}{named}",
                    f"write {_quote(right)}, or add {_quote(singular)} to {GLOSSARY_FILE} "
                    "if it is a different name",
                )
            )
        else:
            findings.append(
                Finding(
                    "acronyms",
                    "warning",
                    f"acronym {_quote(singular)} is not in the glossary",
                    f"add it to {GLOSSARY_FILE}",
                )
            )
    return findings


def _spelling_pattern(term: str) -> re.Pattern[str]:
    """Match a term however it is hyphenated or spaced, with -re or -er, singular or plural."""
    words = re.split(r"[\s-]+", term.strip())
    pieces = []
    for word in words:
        if len(word) > 3 and word.lower().endswith(("re", "er")):
            word_pattern = re.escape(word[:-2]) + "(?:re|er)"
        else:
            word_pattern = re.escape(word)
        pieces.append(word_pattern)
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(pieces) + r"(?P<ending>(?:e?s)?)(?![\w-])", re.IGNORECASE)


def check_term_spelling(
    source: str,
    *,
    glossary: Sequence[GlossaryTerm] = (),
    flags: Collection[str] = (),
) -> list[Finding]:
    """Check that an English source string writes each glossary term one way: the glossary's.

    "Help-Desk Centers" and "Help Desk Centre" must not both appear: every spelling of a term that differs only in hyphens or spaces,
    in -re/-er or in a plural is reported, with the glossary's own spelling.
    """
    if not source or "no-variants-check" in set(flags):
        return []
    text = _mask(_without_link_targets(source), _URL, _EMAIL, _PLACEHOLDER)
    findings: list[Finding] = []
    for term in glossary:
        if term.dnt or not re.search(r"[\s-]", term.en.strip()):
            continue  # one-word terms and names are the acronym check's and the translator's
        right = term.en.strip()
        words = re.split(r"[\s-]+", right)
        # A common noun ("data centre", or "Data centre" as a list would write it) may start a sentence,
        # stand in a title ("Data Centres") or run in a sentence in lower case;
        # a name ("Civil Service Academy", every word capitalized) keeps its capitals.
        common = not any(word[:1].isupper() for word in words[1:])
        base = right[:1].lower() + right[1:] if common and not words[0].isupper() else right  # "ICT service" keeps ICT
        forms = {base, base[:1].upper() + base[1:],
                 re.sub(r"(?<![\w])(\w)", lambda c: c.group(1).upper(), base)} if common else {right}
        allowed = {form + ending for form in forms for ending in ("", "s", "es")}
        for m in _spelling_pattern(right).finditer(text):
            if m.group() not in allowed:
                written = right
                if common:
                    written = base[:1].upper() + base[1:] if m.group()[:1].isupper() else base
                findings.append(Finding(
                    "variants", "error",
                    f"{_quote(m.group())} is spelt differently from the glossary's {_quote(right)}",
                    f"write {_quote(written + m.group('ending'))}, as {GLOSSARY_FILE} does"))
    return findings


# --- Spelling -------------------------------------------------------------

# The language spell-checked unless one is named: the tool's default target.
_DEFAULT_SPELLING = languages.get(languages.DEFAULT_TARGETS[0])


class _Speller:
    """What spelling needs of one language, from the language table: dictionary, word shape, segmenter."""

    def __init__(self, language: languages.Language) -> None:
        self.language = language
        self.dictionary = language.hunspell
        self.install = f"install it with: apt-get install hunspell {language.hunspell_package}"
        self.word = re.compile(f"[{language.script.word_chars}]+")
        self.letter = re.compile(f"[{language.script.letters}]")


_SPELLING: contextvars.ContextVar[_Speller | None] = contextvars.ContextVar("spelling", default=None)


def _speller() -> _Speller:
    """The language being spell-checked now (spell_check sets it; Lao otherwise)."""
    return _SPELLING.get() or _Speller(_DEFAULT_SPELLING)


class _LazyPattern:
    """A pattern of the language being spell-checked, read when used."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __getattr__(self, name: str):
        return getattr(getattr(_speller(), self.attribute), name)


# The words and letters of the language being checked (Lao unless spell_check names another).
_LAO_WORD = _LazyPattern("word")
_LAO_LETTER = _LazyPattern("letter")


def hunspell_available(lang: str | None = None) -> bool:
    """Tell whether Hunspell and the language's dictionary (Lao by default) are installed."""
    exe = shutil.which("hunspell")
    dictionary = languages.get(lang).hunspell if lang else _speller().dictionary
    if exe is None or not dictionary:
        return False
    try:
        done = subprocess.run(
            [exe, "-d", dictionary, "-l"],
            input="",
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _tokenize(text: str) -> list[str]:
    """Segment text into words with its language's segmenter (Lao and Thai write no spaces between words)."""
    return languages.segment(text, _speller().language.code)


def _lao_words(text: str, known: set[str], phrases: Sequence[str]) -> list[str]:
    """Split a Lao text into the words to spell-check, in order, once each."""
    text = _clean_lao(text)
    # Remove multi-word entries first: the tokenizer would cut a name or a
    # term into pieces the word list does not have.
    for phrase in phrases:
        text = text.replace(phrase, " ")
    words: list[str] = []
    for token in _tokenize(text):
        if (
            _LAO_WORD.fullmatch(token)
            and _LAO_LETTER.search(token)
            and token not in known
            and token not in words
        ):
            words.append(token)
    return words


def _lao_tokens(text: str) -> list[str]:
    return [t for t in _tokenize(text) if _LAO_LETTER.search(t)]


def lao_word_tokens(text: str) -> list[str]:
    """Return the Lao words of a text as the spelling check segments it (for counting)."""
    return _lao_tokens(_clean_lao(text))


def _hunspell_blocks(words: Sequence[str]) -> list[list[str]]:
    """Ask one Hunspell process about the words: its answer lines, one list per word."""
    exe = shutil.which("hunspell")
    if exe is None:
        raise ToolMissing(
            Problem("hunspell", None, "Hunspell is not installed", _speller().install)
        )
    if not words:
        return []
    # Pipe mode answers each input line with one block ending in an empty
    # line, so answers map back to words even if Hunspell splits one. "^"
    # keeps a line from being read as a command.
    done = subprocess.run(
        [exe, "-d", _speller().dictionary, "-i", "UTF-8", "-a"],
        input="".join(f"^{word}\n" for word in words),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0].startswith("@(#)"):
        raise ToolMissing(
            Problem(
                "hunspell",
                None,
                f"Hunspell cannot use the {_speller().language.name} dictionary {_speller().dictionary} "
                f"({done.stderr.strip() or 'no answer'})",
                _speller().install,
            )
        )
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines[1:]:
        if line:
            current.append(line)
        else:
            blocks.append(current)
            current = []
    if len(blocks) != len(words):
        raise RuntimeError(f"hunspell answered {len(blocks)} lines for {len(words)} words")
    return blocks


def _known(word: str, answer: list[str]) -> bool:
    """Read Hunspell's answer about one word.

    The tokenizer often keeps two dictionary words together (ຂໍ້ມູນຂ່າວສານ,
    ການບໍລິຫານ) where the dictionary lists them apart; Hunspell then
    suggests the same letters with a space, and the word is not misspelt.
    """
    for line in answer:
        if line[:1] in ("#", "?"):
            return False
        if line[:1] == "&":
            suggestions = line.partition(": ")[2].split(", ")
            if not any(" " in s and s.replace(" ", "") == word for s in suggestions):
                return False
    return True


def spell_check(texts: Sequence[str], *, wordlist: Collection[str] = (), lang: str | None = None) -> list[list[str]]:
    """Spell-check texts in a language of the table with a Hunspell dictionary (Lao by default); see _spell_check."""
    token = _SPELLING.set(_Speller(languages.get(lang) if lang else _DEFAULT_SPELLING))
    try:
        return _spell_check(texts, wordlist=wordlist)
    finally:
        _SPELLING.reset(token)


def _spell_check(texts: Sequence[str], *, wordlist: Collection[str] = ()) -> list[list[str]]:
    """Return the Lao words that look misspelt, per text, once each, in order.

    laonlp segments the text; a word is reported when

    - Hunspell does not know it and cannot split it into dictionary words;
    - Hunspell does not know it as one word and it is one letter or mark away
      from a word it knows, or from a project word (the word list, the
      glossary's Lao terms, names): ສະໜັບສະໜຸນ for ສະໜັບສະໜູນ,
      ວັດທະນາຖາວອນ for ວັດທະນະຖາວອນ — splitting it would hide the slip;
    - two or three pieces the segmenter cut it into, joined, are not a word
      but one letter or mark away from a long one: ລັດທະ|ບານ for ລັດຖະບານ,
      ທອງ|ຖິ່ນ for ທ້ອງຖິ່ນ (each piece alone is a word, so the slip hid);
    - a piece has no consonant (ຽ of ປະຕູດຽ): a word was cut short.

    Words in ``wordlist`` (the project's names and terms) are never reported.
    One Hunspell process checks the whole batch. Raises ToolMissing when
    Hunspell or its Lao dictionary is not installed.
    """
    known = {_clean_lao(w).strip() for w in wordlist}
    # Only entries the tokenizer would cut up are removed as a whole; removing
    # a one-word name everywhere would also cut it out of longer words.
    phrases = sorted(
        (w for w in known if _LAO_LETTER.search(w) and len(_lao_tokens(w)) > 1),
        key=len,
        reverse=True,
    )
    runs_per_text = [_lao_runs(text, phrases) for text in texts]
    singles = list(dict.fromkeys(t for runs in runs_per_text for run in runs for t in run
                                 if _LAO_LETTER.search(t) and t not in known))
    answers = _hunspell_answers(singles)
    near = _NearWords(known)
    found_per_text = []
    for runs in runs_per_text:
        found: list[str] = []

        def report(word: str) -> None:
            if word not in found and word not in known:
                found.append(word)

        for run in runs:
            for index, token in enumerate(run):
                if not _LAO_LETTER.search(token):
                    if token != "ໆ":  # a mark or vowel left over: the word before was cut short
                        report(run[index - 1] + token if index else token)
                    continue
                if token in known or token not in answers:
                    continue
                answer = answers[token]
                if not _whole_word(answer) and (not (_known(token, answer) or near.splits(token))
                                                or near.near_project(token)):
                    report(token)
            for size in (2, 3):
                for index in range(len(run) - size + 1):
                    pieces = run[index:index + size]
                    joined = "".join(pieces)
                    if any(p in known or not _LAO_LETTER.search(p) for p in pieces) or joined in known:
                        continue
                    if len(joined) >= _NEAR_JOINED and not near.is_word(joined) and near.near(joined):
                        report(joined)
        found_per_text.append(found)
    return found_per_text


def _lao_runs(text: str, phrases: Sequence[str]) -> list[list[str]]:
    """Segment a text into runs of Lao words (a run ends at a space, a digit or punctuation)."""
    text = _clean_lao(text)
    for phrase in phrases:
        text = text.replace(phrase, " ")
    runs: list[list[str]] = [[]]
    for token in _tokenize(text):
        if _LAO_WORD.fullmatch(token):
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _hunspell_answers(words: Sequence[str]) -> dict[str, list[str]]:
    """Return Hunspell's answer lines for each word (one process for all)."""
    return dict(zip(words, _hunspell_blocks(words)))


def _whole_word(answer: list[str]) -> bool:
    """Tell whether Hunspell knows the word as it stands (not only as a split)."""
    return all(line[:1] in ("*", "+", "-") for line in answer)


#: The shortest word (in characters, marks included) a slip is looked for in: shorter
#: words have too many neighbours one mark away to tell a slip from another word.
_NEAR_MIN = 6
#: Pieces the segmenter cut are joined only into words this long: two short
#: words side by side are often one mark away from another word (ຂັ້ນ|ສູງ, ຊັ້ນສູງ).
_NEAR_JOINED = 8


class _NearWords:
    """Words of the Lao dictionary and the project, found again one letter or mark away."""

    def __init__(self, project_words: Collection[str]) -> None:
        self.dictionary = _dictionary_words()
        self.index = _near_index(self.dictionary)
        self.project = {w for w in project_words if len(w) >= _NEAR_MIN and " " not in w}
        self.project_index: dict[str, set[str]] = {}
        for word in self.project:
            for key in _deletions(word):
                self.project_index.setdefault(key, set()).add(word)

    def is_word(self, word: str) -> bool:
        return word in self.dictionary or word in self.project

    def splits(self, word: str, most: int = 3) -> bool:
        """Tell whether a word is two or three dictionary words written together (ທີ່|ໄດ້|ມາ)."""
        @functools.lru_cache(maxsize=None)
        def pieces(start: int) -> int:
            if start == len(word):
                return 0
            best = most + 1
            for end in range(start + 2, len(word) + 1):
                if word[start:end] in self.dictionary:
                    best = min(best, 1 + pieces(end))
            return best
        return pieces(0) <= most

    def near_project(self, word: str) -> str | None:
        """Return a project word (word list, glossary, names) one edit away, if any."""
        return self.near(word, (self.project_index,))

    def near(self, word: str, indexes: tuple[dict, ...] = ()) -> str | None:
        """Return a known word one edit away (a letter or mark dropped, added, changed or swapped), if any."""
        for index in indexes or (self.project_index, self.index):
            for key in {word, *_deletions(word)}:
                for candidate in index.get(key, ()):
                    if candidate != word and _one_edit(word, candidate):
                        return candidate
        return None


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def _dictionary_words() -> frozenset[str]:
    """Read the words of the Hunspell dictionary being used (empty if the file cannot be found)."""
    return _words_of(_speller().dictionary)


@functools.lru_cache(maxsize=4)
def _words_of(dictionary: str) -> frozenset[str]:
    for folder in ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts"):
        path = f"{folder}/{dictionary}.dic"
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().split("\n")[1:]
        except OSError:
            continue
        return frozenset(_clean_lao(line.split("/", 1)[0].strip()) for line in lines if line.strip())
    return frozenset()


@functools.lru_cache(maxsize=1)
def _near_index(words: frozenset[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in words:
        if len(word) >= _NEAR_MIN:
            for key in _deletions(word):
                index.setdefault(key, []).append(word)
    return {key: tuple(found) for key, found in index.items()}


def _one_edit(a: str, b: str) -> bool:
    """Tell whether two words differ by one letter or mark: dropped, added, changed, or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    rest_a, rest_b = a[start:len(a) - end], b[start:len(b) - end]
    if len(rest_a) <= 1 and len(rest_b) <= 1:
        return True
    return len(rest_a) == len(rest_b) == 2 and rest_a == rest_b[::-1]
