"""Check that a translation keeps what its source must keep: placeholders, markup, lines, numbers, addresses.

Generic checkers (pofilter, Weblate) assume a Latin-script target and flag
every Lao string for missing capitals and full stops. Lao has no letter case,
no sentence-final full stop convention like English, and no spaces between
words, so there are no capitalisation, full-stop, sentence-count or
end-punctuation checks here; Translate Toolkit's Thai rules drop the same
checks for the same reasons. What is checked is what breaks a document or
misleads a reader.
"""

from __future__ import annotations

import re
from collections import Counter

from songphasa import languages
from songphasa.i18n.compile import percent_format_error  # the build's own test of a %-formatted string

from .entry import Entry, Finding
from .text import EMAIL, LINK, PLACEHOLDER, URL, link_targets, mask, quote, quote_all, without_link_targets

_STRONG = re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*", re.S)
_EM = re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.S)
#: A footnote mark in prose ([^1], [^decree]) and a footnote's definition opening a line ([^1]: its text).
_FOOTNOTE_MARK = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")
_FOOTNOTE_DEFINITION = re.compile(r"(?m)^\s*\[\^([A-Za-z0-9_-]+)\]:|\[\^([A-Za-z0-9_-]+)\]:\s")
# "10,000" is one number, "18, 44" and "1,2" are two each.
_NUMBER = re.compile(r"\d+(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:[.:]\d+)*")


def check_placeholders(entry: Entry) -> list[Finding]:
    """Check that the translation has the source's placeholders, as often, and no others."""
    source, translation, said = entry.source, entry.translation, entry.source_name

    def found(text: str) -> Counter[str]:
        return Counter(m.group() for m in PLACEHOLDER.finditer(text) if m.group() != "%%")

    want, have = found(source), found(translation)
    findings = []
    for ph in want:
        if have[ph] == 0:
            findings.append(Finding(
                "placeholders", "error", f"placeholder {quote(ph)} is missing from the translation",
                f"copy {quote(ph)} exactly as in the {said} text; it is filled in when the documents are built"))
        elif have[ph] != want[ph]:
            findings.append(Finding(
                "placeholders", "error",
                f"placeholder {quote(ph)} appears {want[ph]} time(s) in the {said} text "
                f"but {have[ph]} time(s) in the translation",
                f"use each placeholder as often as the {said} text does"))
    for ph in have:
        if ph not in want:
            findings.append(Finding(
                "placeholders", "error", f"the translation has placeholder {quote(ph)}, which the {said} text does not have",
                f"remove it, or spell it exactly as in the {said} text (do not translate the name inside the braces)"))
    if entry.percent_format:  # the translation is %-formatted when the documents are built
        error = percent_format_error(source, translation, names=False)
        if error is not None:
            findings.append(Finding(
                "placeholders", "error", error,
                f"write a percent sign as %%, and copy %(name)s placeholders exactly as in the {said} text"))
    return findings


def _emphasis(text: str) -> tuple[list[str], list[str]]:
    """Return the bold and the italic parts of a Markdown text, as written."""
    text = text.replace("\\*", "")
    strong = [m.group() for m in _STRONG.finditer(text)]
    em = [m.group() for m in _EM.finditer(_STRONG.sub(lambda m: f"\x00{m.group(1)}\x00", text))]
    return strong, em


def check_markup(entry: Entry) -> list[Finding]:
    """Check that bold and italic parts are kept and every link keeps its address."""
    source, translation = entry.source, entry.translation
    said, into = entry.source_name, entry.target_name
    findings = []
    src_strong, src_em = _emphasis(source)
    tr_strong, tr_em = _emphasis(translation)
    for kind, marker, want, have in (("bold", "**", src_strong, tr_strong), ("italic", "*", src_em, tr_em)):
        if len(want) != len(have):
            listed = f" ({quote_all(want)})" if want else ""
            findings.append(Finding(
                "markup", "error",
                f"the {said} text has {len(want)} {kind} part(s){listed} but the translation has {len(have)}",
                f"put {marker} right around the matching {into} words, with no space just "
                f"inside the markers: {marker}ຄຳສຳຄັນ{marker}"))
    want_links, have_links = Counter(link_targets(source)), Counter(link_targets(translation))
    for target in want_links:
        if have_links[target] < want_links[target]:
            findings.append(Finding(
                "markup", "error", f"the link to {quote(target)} is missing from the translation or its address was changed",
                f"keep the link as [{into} link text]({target}): translate only the text in square brackets"))
    for target in have_links:
        if target not in want_links:
            findings.append(Finding(
                "markup", "error", f"the translation links to {quote(target)}, which the {said} text does not",
                f"copy the link address from the {said} text unchanged"))
    return findings + _footnote_findings(entry)


def _footnote_findings(entry: Entry) -> list[Finding]:
    """Say a footnote mark the translation lost or added, and a footnote's definition carried into a paragraph.

    A translation imported with its footnote ("… [^1]: The decree of …") prints the mark as ¹ and the rest
    as text ("¹: The decree of …"): the footnote's text is an entry of its own.
    """
    source, translation = entry.source, entry.translation
    said, findings = entry.source_name, []
    defined = [m.group(1) or m.group(2) for m in _FOOTNOTE_DEFINITION.finditer(translation)]
    for name in dict.fromkeys(defined):
        if f"[^{name}]:" not in source:
            findings.append(Finding(
                "markup", "error",
                f"the translation has a footnote's text ('[^{name}]: …'), which the {said} text does not: "
                "it prints in the paragraph as a footnote number followed by ': …'",
                f"remove '[^{name}]: …' from this entry and keep only the mark [^{name}] where the {said} text has "
                "it; the footnote's text is its own entry (translate it there)"))
    want = Counter(_FOOTNOTE_MARK.findall(source))
    have = Counter(_FOOTNOTE_MARK.findall(translation))
    for name in sorted(set(want) | set(have)):
        if want[name] > have[name]:
            findings.append(Finding("markup", "error", f"the footnote mark [^{name}] is missing from the translation",
                                    f"put [^{name}] after the {entry.target_name} words it annotates"))
        elif have[name] > want[name] and name not in defined:
            findings.append(Finding("markup", "error",
                                    f"the translation has the footnote mark [^{name}], which the {said} text does "
                                    "not have (or has fewer times)", f"keep the marks the {said} text has, no others"))
    return findings


def check_lines(entry: Entry) -> list[Finding]:
    """Check that the translation has as many lines as its source."""
    want, have = entry.source.count("\n") + 1, entry.translation.count("\n") + 1
    if want == have:
        return []
    return [Finding("lines", "error", f"the {entry.source_name} text has {want} line(s) but the translation has {have}",
                    "keep the same line breaks: each line of a list or an address stays on its own line")]


def _number_forms(number: str) -> list[str]:
    """Return the ways a translator may write a number of the source text.

    Lao in CLDR groups thousands with "." and writes decimals with ",";
    translators also use the English style, or no grouping at all.
    """
    if ":" in number or number.count(".") > 1:  # a time (09:30) or a section (1.2.3)
        return [number]
    whole, _, fraction = number.replace(",", "").partition(".")
    groups: list[str] = []
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


def check_numbers(entry: Entry) -> list[Finding]:
    """Check that every number, time and date of the source is in the translation, in any digits or grouping."""
    hide = (URL, EMAIL, PLACEHOLDER)
    # Native digits (໐–໙, ๐–๙, …) read as Western digits: numbers are compared that way.
    src = mask(without_link_targets(entry.source), *hide).translate(languages.TO_WESTERN)
    tr = mask(without_link_targets(entry.translation), *hide).translate(languages.TO_WESTERN)
    own_digits = bool(languages.get(entry.target_lang).script.digits)
    findings = []
    seen = set()
    for m in _NUMBER.finditer(src):
        number = m.group()
        if number in seen:
            continue
        seen.add(number)
        if not any(re.search(rf"(?<!\d)(?<!\d[.,:]){re.escape(form)}(?![.,:]?\d)", tr) for form in _number_forms(number)):
            hint = (f"copy the number; {entry.target_name} digits ({languages.native_digits(number, entry.target_lang)}) "
                    "count too" if own_digits else "copy the number")
            findings.append(Finding(
                "numbers", "error", f"number {quote(number)} from the {entry.source_name} text is missing from the translation",
                hint))
    return findings


def check_emails(entry: Entry) -> list[Finding]:
    """Check that every email address of the source is copied unchanged."""
    return [Finding("emails", "error", f"email address {quote(email)} is missing or changed in the translation",
                    f"copy the email address exactly as in the {entry.source_name} text")
            for email in dict.fromkeys(m.group().rstrip(".") for m in EMAIL.finditer(entry.source))
            if email not in entry.translation]


def check_urls(entry: Entry) -> list[Finding]:
    """Check that every web address outside a link is copied unchanged."""
    # Link addresses belong to the markup check; report each problem once.
    bare = LINK.sub(" ", entry.source)
    return [Finding("urls", "error", f"web address {quote(url)} is missing or changed in the translation",
                    f"copy the address exactly as in the {entry.source_name} text")
            for url in dict.fromkeys(m.group().rstrip(".,;:!?'") for m in URL.finditer(bare))
            if url not in entry.translation]


__all__ = ["check_emails", "check_lines", "check_markup", "check_numbers", "check_placeholders", "check_urls"]
