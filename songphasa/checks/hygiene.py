"""Check a translation's invisible Unicode: standard form, split vowels, marks after spaces, zero-width characters, spaces.

These look right on screen but break line breaking, search and spell
checking: wrong character order, ``ຳ`` typed as two marks, zero-width spaces.
The scripts' marks and split vowels come from the language table.
"""

from __future__ import annotations

import re
import unicodedata

from songphasa import languages

from .entry import Entry, Finding
from .text import BIDI_CONTROLS, ZERO_WIDTH, around, quote, quote_all

# Vowel signs and tone marks that sit on a consonant (of every script in the
# language table); after a space they show on a dotted circle.
_SPACE_BEFORE_MARK = re.compile(rf"\s+[{languages.all_marks()}]")
# A vowel typed in two parts (Lao ຳ as niggahita + aa, with or without a tone mark between; Thai ำ likewise).
_SPLIT_VOWEL = re.compile("|".join(pattern for script in languages.SCRIPTS for pattern, _ in script.compositions))
_DOUBLE_SPACE = re.compile(r"[ \u00a0]{2,}")


def _leading(text: str) -> str:
    return text[: len(text) - len(text.lstrip())].replace("\n", "")


def _trailing(text: str) -> str:
    return text[len(text.rstrip()) :].replace("\n", "")


def _describe_space(ws: str) -> str:
    if not ws:
        return "no space"
    return "a space" if len(ws) == 1 else f"{len(ws)} spaces"


def check_hygiene(entry: Entry) -> list[Finding]:
    """Check that the translation is in standard Unicode form, with no stray marks, invisible characters or spaces."""
    source, translation = entry.source, entry.translation
    findings = []
    nfc = unicodedata.normalize("NFC", translation)
    if nfc != translation:
        at = next((i for i, (a, b) in enumerate(zip(translation, nfc, strict=False)) if a != b), 0)
        findings.append(Finding(
            "hygiene", "error",
            "the translation has marks typed in a non-standard order near "
            f"{quote(around(translation, at, at + 1))}; it looks right but search and spell checking miss it",
            f"replace the text with its standard (NFC) form: {quote(nfc, 200)}"))
    split = list(_SPLIT_VOWEL.finditer(translation))
    if split:
        fixed = languages.compose(nfc)
        spots = quote_all(around(translation, m.start(), m.end(), 3) for m in split)
        whole = languages.compose(split[0].group())[-1]
        parts = f"{split[0].group()[0]} + {split[0].group()[-1]}"
        findings.append(Finding(
            "hygiene", "error",
            f"{whole} is typed as two marks ({parts}) in {spots}; it looks the same but search, "
            "sorting and spell checking fail",
            f"type the single vowel {whole} instead: {quote(fixed, 200)}"))
    spaced = list(_SPACE_BEFORE_MARK.finditer(translation))
    if spaced:
        spots = quote_all(around(translation, m.start(), m.end(), 4) for m in spaced)
        findings.append(Finding(
            "hygiene", "error",
            f"a space comes before a vowel or tone mark in {spots}; the mark will show on a dotted circle (◌)",
            "delete the space so the mark sits on its consonant"))
    if not entry.allow_zwsp:
        for char, what in ZERO_WIDTH.items():
            at = translation.find(char)
            if at < 0:
                continue
            before = translation[max(0, at - 8) : at].replace(char, "").strip()
            where = f" after {quote(before)}" if before else " at the start"
            findings.append(Finding(
                "hygiene", "error", f"the translation contains an invisible {what}{where}",
                f"delete it: browsers and Word break {entry.target_name} lines with their own dictionary, "
                "and invisible characters break search and spell checking"))
    controls = [(translation.find(char), what) for char, what in BIDI_CONTROLS.items() if char in translation]
    if controls:
        at, _ = min(controls)
        before = "".join(c for c in translation[max(0, at - 8) : at] if c not in BIDI_CONTROLS).strip()
        where = f" after {quote(before)}" if before else " at the start"
        findings.append(Finding(
            "hygiene", "error",
            f"the translation contains invisible direction controls ({', '.join(what for _, what in sorted(controls))})"
            f"{where}; they change the order in which the text is shown (an override around '18' shows '81')",
            "delete them: the documents set the direction of every run themselves"))
    inner = translation.strip()
    double = _DOUBLE_SPACE.search(inner)
    if double and not _DOUBLE_SPACE.search(source.strip()):
        findings.append(Finding(
            "hygiene", "warning",
            f"the translation has two spaces in a row near {quote(around(inner, double.start(), double.end()))}",
            "use a single space"))
    for end, get in (("starts", _leading), ("ends", _trailing)):
        want, have = get(source), get(translation)
        if want != have:
            findings.append(Finding(
                "hygiene", "warning",
                f"the {entry.source_name} text {end} with {_describe_space(want)} "
                f"but the translation {end} with {_describe_space(have)}",
                f"match the spaces of the {entry.source_name} text at the start and end; "
                "the documents add their own spacing"))
    return findings


def check_script(entry: Entry) -> list[Finding]:
    """Check that a translation is written in its language's script (Lao in Lao letters, not in Thai ones)."""
    own = languages.get(entry.target_lang).script
    foreign = languages.scripts_in(entry.translation) - languages.scripts_in(entry.source) - {own}
    if not foreign:
        return []
    names = " and ".join(sorted(script.name for script in foreign))
    at = min(i for i, char in enumerate(entry.translation) if languages.script_of(char) in foreign)
    return [Finding(
        "script", "error",
        f"the translation has {names} letters, which {entry.target_name} is not written in, "
        f"near {quote(around(entry.translation, at, at + 1))}",
        f"write it in {own.name} letters: scripts that look alike are other letters to readers, search and "
        "the spelling check")]


__all__ = ["check_hygiene", "check_script"]
