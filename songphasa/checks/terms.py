"""Check the event's terms: glossary and do-not-translate terms, leftovers, acronyms and variant spellings.

The glossary and dnt checks read a translation; leftover reads what is left
of the source language in it; acronyms and variants read the event's own
source texts (README: "English content").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from songphasa import languages

from .entry import GLOSSARY_FILE, Entry, Finding, GlossaryTerm, Terms
from .text import LATIN_WORD, TOKEN, clean, first_word, is_acronym_like, prose, quote, quote_all

_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_ASCII_LETTER = re.compile("[A-Za-z]")  # every LATIN_WORD has one


@dataclass(frozen=True)
class _Use:
    """Where the source text uses a glossary term, and in which form."""

    text: str
    term: GlossaryTerm
    abbreviation: bool


# A compiled phrase, and the word a text must have for it to match (None: it ignores case, so no quick test).
_Phrase = tuple[re.Pattern[str], str | None]


def _phrase(terms: Terms, written: str, plural: str, ignore_case: bool) -> _Phrase:
    return terms.phrase(written, plural, ignore_case), None if ignore_case else first_word(written)


def _term_phrases(terms: Terms) -> list[tuple[_Phrase, GlossaryTerm, bool]]:
    """Every form of every glossary term as the source may write it: (phrase, term, is the abbreviation)."""
    found = []
    for term in terms.glossary:
        for written in (term.source, *term.variants):
            if written.strip():
                # A dnt name is matched as written: "Zoom" the product, not "zoom in".
                found.append((_phrase(terms, written, "" if term.dnt else "(?:e?s)?", not term.dnt), term, False))
        if term.source_abbr.strip() and not term.dnt:
            found.append((_phrase(terms, term.source_abbr, "s?", False), term, True))
    return found


def _glossary_uses(source: str, terms: Terms) -> list[_Use]:
    """Find the glossary terms a source uses, longest match first.

    "District Service Centre" must not also count as a use of a shorter
    term "Service Centre" inside it.
    """
    found: list[tuple[int, int, _Use]] = []
    for (pattern, needs), term, abbreviation in terms.once("term phrases", lambda: _term_phrases(terms)):
        if needs is None or needs in source:
            for m in pattern.finditer(source):
                found.append((m.start(), m.end(), _Use(m.group(), term, abbreviation)))
    found.sort(key=lambda f: (f[0], f[0] - f[1]))
    uses: list[_Use] = []
    taken_until = -1
    for start, end, use in found:
        if start >= taken_until:
            uses.append(use)
            taken_until = end
    return uses


def _uses(entry: Entry, dnt: bool) -> list[_Use]:
    """The glossary terms the entry's source uses (dnt terms or the others), each form once."""
    # A term inside an address or a placeholder name is not prose to translate.
    # The glossary and dnt checks read the same uses of the same source.
    found = entry.terms.once(("uses", entry.source), lambda: _glossary_uses(prose(entry.source), entry.terms))
    uses: dict[tuple[str, GlossaryTerm], _Use] = {}
    for use in found:
        if use.term.dnt == dnt:
            uses.setdefault((use.text, use.term), use)
    return list(uses.values())


def glossary_uses(entry: Entry) -> list[GlossaryTerm]:
    """The glossary terms an entry's source uses (the translate view shows them beside the entry)."""
    return [use.term for use in _uses(entry, dnt=False) + _uses(entry, dnt=True)]


def check_glossary(entry: Entry) -> list[Finding]:
    """Check that each glossary term of the source is translated with its agreed term (or abbreviation)."""
    text = clean(entry.translation)
    findings = []
    for use in _uses(entry, dnt=False):
        term = use.term
        if not term.target.strip():
            continue
        agreed = clean(term.target)
        if use.abbreviation:
            expected = clean(term.target_abbr) if term.target_abbr.strip() else term.source_abbr
            # Spelling the abbreviation out in full is also right.
            if expected in text or agreed in text:
                continue
            findings.append(Finding(
                "glossary", "error",
                f"the {entry.source_name} text uses the abbreviation {quote(use.text)} ({term.source}) "
                f"but the translation does not have {quote(expected)}",
                f"use {quote(expected)} or the full term {quote(term.target)} as agreed in {GLOSSARY_FILE}"))
        elif agreed not in text:
            findings.append(Finding(
                "glossary", "error",
                f"the {entry.source_name} text uses the glossary term {quote(use.text)} "
                f"but the translation does not have {quote(term.target)}",
                f"use the agreed {entry.target_name} term from {GLOSSARY_FILE}; if this entry needs other "
                "wording, add the translator comment '# songphasa: no-glossary-check' above it"))
    return findings


def check_abbreviations(entry: Entry) -> list[Finding]:
    """Check that the translation writes the glossary's own abbreviation, not the source's, where it gives one.

    "ກະຊວງພາຍໃນ (MOHA)" passes the glossary check (the full term is there),
    but a Latin abbreviation inside Lao prose reads as a foreign one where the
    ministry has its own (ພນ). Where the glossary gives the target language no
    abbreviation, the source's may stay (UN DESA, UNDP).
    """
    text = prose(clean(entry.translation))
    findings = []
    for term in entry.terms.glossary:
        ours, theirs = term.source_abbr.strip(), clean(term.target_abbr).strip()
        if term.dnt or not ours or not theirs or ours == theirs or ours not in text:
            continue
        written = re.compile(rf"(?<![A-Za-z0-9]){re.escape(ours)}s?(?![A-Za-z0-9])")
        if written.search(entry.source) and theirs not in text and clean(term.target) not in text:
            continue  # the glossary check reports it (an error), in the same words
        if written.search(text):
            findings.append(Finding(
                "abbreviations", "warning",
                f"the {entry.source_name} abbreviation {quote(ours)} ({term.source}) is in the {entry.target_name} "
                f"text, where {GLOSSARY_FILE} gives {quote(theirs)}",
                f"write {quote(theirs)}, or the full term {quote(term.target)} in prose"))
    return findings


def check_dnt(entry: Entry) -> list[Finding]:
    """Check that a do-not-translate term (a product or organisation name) is copied unchanged."""
    text = clean(entry.translation)
    return [Finding("dnt", "error", f"{quote(use.text)} must stay as it is in the translation, but it is missing or changed",
                    f"copy {quote(use.text)} unchanged, in Latin letters; it is a name that is not translated")
            for use in _uses(entry, dnt=True) if use.text not in text and use.term.source not in text]


def _allowed_latin(entry: Entry, allow_terms: bool) -> list[_Phrase]:
    """The phrases a text may keep in Latin letters (terms, abbreviations, names), longest first."""
    allowed: list[tuple[str, str, bool]] = []  # phrase, plural ending, ignore case
    for term in entry.terms.glossary:
        if term.dnt:
            allowed += [(written, "", False) for written in (term.source, *term.variants)]
        elif allow_terms:
            forms = (term.source, *term.variants, term.target, term.target_abbr)
            allowed += [(written, "(?:e?s)?", True) for written in forms]
        allowed.append((term.source_abbr, "s?", False))
    allowed += [(name, "", False) for name in entry.terms.names]
    # Longest first, so a name is not cut up by a shorter one inside it; an
    # empty phrase would match everywhere.
    return [_phrase(entry.terms, written, plural, ignore_case)
            for written, plural, ignore_case in sorted(allowed, key=lambda a: -len(a[0])) if written.strip()]


def _latin_leftovers(text: str, entry: Entry, *, allow_terms: bool) -> list[str]:
    """List the Latin-letter words of a text that are not allowed to stay in the source language."""
    text = prose(text)
    if not _ASCII_LETTER.search(text):
        return []  # nothing a Latin word could be made of (most translations): no phrase to take out first
    for pattern, needs in entry.terms.once(("latin", allow_terms), lambda: _allowed_latin(entry, allow_terms)):
        if needs is None or needs in text:
            text = pattern.sub(" ", text)
    words: list[str] = []
    for m in LATIN_WORD.finditer(text):
        word = m.group()
        letters = sum(c.isalpha() for c in word)
        # A lone letter is a label ("Room B", "Plan A"), not prose.
        if letters < 2 or is_acronym_like(word) or word in entry.terms.names:
            continue
        if word not in words:
            words.append(word)
    return words


def _same_as_source(entry: Entry) -> Finding:
    return Finding("leftover", "error",
                   f"the translation is the same as the {entry.source_name} text {quote(entry.source.strip())}",
                   "translate it, or leave the translation empty until it is done")


def check_leftover(entry: Entry) -> list[Finding]:
    """Check that the translation is not a copy of its source and keeps no words of the source language."""
    script = languages.get(entry.source_lang).script
    if script is not languages.LATIN:
        return _source_script_leftovers(entry, script)
    if clean(entry.translation).strip() == clean(entry.source).strip():
        # Names, acronyms, numbers and do-not-translate terms may be copied whole.
        if _latin_leftovers(entry.source, entry, allow_terms=False):
            return [_same_as_source(entry)]
        return []
    words = _latin_leftovers(entry.translation, entry, allow_terms=True)
    if not words:
        return []
    return [Finding("leftover", "warning",
                    f"{entry.source_name} word(s) left in the {entry.target_name} text: {quote_all(words)}",
                    "translate them; a name that stays in Latin letters belongs in the "
                    f"project's names or in {GLOSSARY_FILE} (dnt: true)")]


def _source_script_leftovers(entry: Entry, script: languages.Script) -> list[Finding]:
    """Report a translation from a non-Latin source that copies it, or keeps words of its script."""
    letters = re.compile(f"[{script.letters}]")
    text = clean(entry.translation)
    if text.strip() == clean(entry.source).strip() and letters.search(entry.source):
        return [_same_as_source(entry)]
    for term in entry.terms.glossary:  # a do-not-translate term may stay as written
        if term.dnt and term.source.strip():
            text = text.replace(clean(term.source), " ")
    words = list(dict.fromkeys(m.group() for m in re.finditer(f"[{script.char_class}]+", text)
                               if letters.search(m.group())))
    if not words:
        return []
    return [Finding("leftover", "warning",
                    f"{entry.source_name} word(s) left in the {entry.target_name} text: {quote_all(words)}",
                    f"translate them; a name that stays as written belongs in {GLOSSARY_FILE} (dnt: true)")]


# --- The source texts --------------------------------------------------------------------


def _defined_acronyms(glossary: Sequence[GlossaryTerm]) -> dict[str, GlossaryTerm]:
    """Map every acronym the glossary defines to the term that defines it."""
    defined: dict[str, GlossaryTerm] = {}
    for term in glossary:
        for form in (term.source_abbr, term.source, *term.variants):
            form = form.strip()
            if TOKEN.fullmatch(form) and is_acronym_like(form):
                defined.setdefault(form, term)
    return defined


def _near_miss(word: str, known: str) -> bool:
    """Tell whether two acronyms differ by order or by one letter (SGDs, SDGs)."""
    if word == known or min(len(word), len(known)) < 3:
        return False  # two-letter acronyms are too close to one another to guess
    if sorted(word) == sorted(known):
        return True
    if len(word) == len(known):
        return sum(a != b for a, b in zip(word, known, strict=True)) == 1
    short, long = sorted((word, known), key=len)
    if len(long) - len(short) != 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _glossary_phrases(entry: Entry) -> list[_Phrase]:
    """The glossary's source phrases and abbreviations, in the glossary's order."""
    phrases = []
    for term in entry.terms.glossary:
        for written in (term.source, *term.variants):
            if written.strip():
                phrases.append(_phrase(entry.terms, written, "" if term.dnt else "(?:e?s)?", not term.dnt))
        if term.source_abbr.strip():
            phrases.append(_phrase(entry.terms, term.source_abbr, "s?", False))
    return phrases


def check_acronyms(entry: Entry) -> list[Finding]:
    """Check that every acronym of a source text is defined in the glossary, and none is a letter off.

    An acronym is defined as a term's abbreviation, as a term that is itself
    the acronym, or inside a do-not-translate term. A plural ("SDGs") counts
    as its singular.
    """
    if not entry.source:
        return []
    defined = entry.terms.once("acronyms", lambda: _defined_acronyms(entry.terms.glossary))
    text = prose(entry.source)
    # Whole glossary phrases ("UN DESA", "ASEAN Secretariat", "UN/DESA") are defined as a unit.
    for pattern, needs in entry.terms.once("acronym phrases", lambda: _glossary_phrases(entry)):
        if needs is None or needs in text:
            text = pattern.sub(" ", text)
    findings: list[Finding] = []
    seen = set()
    for m in TOKEN.finditer(text):
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
            named = f" ({term.source})" if term.source != known else ""
            right = known + word[len(singular) :]
            findings.append(Finding(
                "acronyms", "error", f"{quote(word)} looks like a misspelling of {quote(known)}{named}",
                f"write {quote(right)}, or add {quote(singular)} to {GLOSSARY_FILE} if it is a different name"))
        else:
            findings.append(Finding("acronyms", "warning", f"acronym {quote(singular)} is not in the glossary",
                                    f"add it to {GLOSSARY_FILE}"))
    return findings


def _spelling_pattern(term: str) -> re.Pattern[str]:
    """Match a term however it is hyphenated or spaced, with -re or -er, singular or plural."""
    pieces = []
    for word in re.split(r"[\s-]+", term.strip()):
        if len(word) > 3 and word.lower().endswith(("re", "er")):
            pieces.append(re.escape(word[:-2]) + "(?:re|er)")
        else:
            pieces.append(re.escape(word))
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(pieces) + r"(?P<ending>(?:e?s)?)(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class _Spelling:
    """How a multi-word glossary term may be written, and how it is found however it is written."""

    right: str  # as the glossary writes it
    base: str  # as a sentence writes it
    common: bool  # a common noun, not a name
    allowed: frozenset[str]
    pattern: re.Pattern[str]
    listed: frozenset[str] = frozenset()  # the glossary's own variants, lower case: spellings to find, not to write


def _spellings(glossary: Sequence[GlossaryTerm]) -> list[_Spelling]:
    spellings = []
    for term in glossary:
        if term.dnt or not re.search(r"[\s-]", term.source.strip()):
            continue  # one-word terms and names are the acronym check's and the translator's
        right = term.source.strip()
        words = re.split(r"[\s-]+", right)
        # A common noun ("data centre", or "Data centre" as a list would write it) may start a sentence,
        # stand in a title ("Data Centres") or run in a sentence in lower case;
        # a name ("Civil Service Academy", every word capitalized) keeps its capitals.
        common = not any(word[:1].isupper() for word in words[1:])
        base = right[:1].lower() + right[1:] if common and not words[0].isupper() else right  # "ICT service" keeps ICT
        forms = {base, base[:1].upper() + base[1:],
                 re.sub(r"(?<![\w])(\w)", lambda c: c.group(1).upper(), base)} if common else {right}
        allowed = frozenset(form + ending for form in forms for ending in ("", "s", "es"))
        listed = frozenset(variant.strip().lower() for variant in term.variants)
        spellings.append(_Spelling(right, base, common, allowed, _spelling_pattern(right), listed))
    return spellings


def check_variants(entry: Entry) -> list[Finding]:
    """Check that a source text writes each glossary term one way: the glossary's.

    "Help-Desk Centers" and "Help Desk Centre" must not both appear: every
    spelling of a term that differs only in hyphens or spaces, in -re/-er or
    in a plural is reported, with the glossary's own spelling.
    """
    if not entry.source:
        return []
    text = prose(entry.source)
    findings: list[Finding] = []
    for spelling in entry.terms.once("variants", lambda: _spellings(entry.terms.glossary)):
        right, base = spelling.right, spelling.base
        for m in spelling.pattern.finditer(text):
            if m.group() not in spelling.allowed:
                written = right
                if spelling.common:
                    written = base[:1].upper() + base[1:] if m.group()[:1].isupper() else base
                found = m.group()[: len(m.group()) - len(m.group("ending"))]
                # A newcomer may read 'variants:' as the forms to write: say which form is preferred, and how to swap.
                listed = (f"; {quote(found)} is one of its 'variants:', the spellings it finds, not the one to write"
                          if found.lower() in spelling.listed else "")
                findings.append(Finding(
                    "variants", "error",
                    f"{quote(m.group())} is spelt differently from the glossary's preferred form {quote(right)} "
                    f"(its '{entry.source_lang}:'{listed})",
                    f"write {quote(written + m.group('ending'))}, as {GLOSSARY_FILE} does; if {quote(found)} is the "
                    f"form your organization writes, make it the term's '{entry.source_lang}:' and list {quote(right)} "
                    "under 'variants:'"))
    return findings


__all__ = ["check_abbreviations", "check_acronyms", "check_dnt", "check_glossary", "check_leftover", "check_variants"]
