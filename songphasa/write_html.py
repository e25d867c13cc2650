"""Write the HTML pages: the rendered tree, language-marked, with its font.

Every run of another script gets its own ``lang`` (Latin words in a Lao page
carry the event's Latin-script language, Lao in an English page the Lao
code; the language table says which script is which), so browsers, screen
readers and spell checkers treat each run right. A page in a script whose
fonts a machine may lack (Lao, Thai) embeds the bundled web font, so it shows
on machines without one. No zero-width spaces are inserted: browsers break
Lao and Thai lines by dictionary.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from lxml import html as lxml_html

from . import languages

LATIN = languages.run_pattern(languages.LATIN)


@lru_cache(maxsize=8)
def font_face(regular: bytes | None, bold: bytes | None, family: str, unicode_range: str) -> str:
    """Return @font-face rules embedding a bundled web font (its files' bytes) as data URIs, limited to its script."""
    # Keyed by the fonts' bytes, not their paths: `watch` must embed a font file replaced meanwhile.
    rules = []
    for font, weight in ((regular, "normal"), (bold, "bold")):
        if font is None:
            continue
        data = base64.b64encode(font).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-display: swap; '
                     f'src: url(data:font/ttf;base64,{data}) format("truetype"); '
                     f'unicode-range: {unicode_range}; }}')
    return "\n".join(rules)


def web_fonts(fonts: Path, codes: tuple[str, ...], read: Callable[[Path], bytes | None] | None = None) -> str:
    """Return the @font-face rules of the web fonts the languages' scripts need (from the table).

    ``read`` reads a font file (None when it is absent): the project's own
    only as a regular file inside the project; by default, the file as it is.
    """
    if read is None:
        def read(path: Path) -> bytes | None:
            return path.read_bytes() if path.exists() else None
    rules, done = [], set()
    for code in codes:
        script = languages.get(code).script
        if script.web_font is None or script in done:
            continue
        done.add(script)
        regular, bold = script.web_font
        rules.append(font_face(read(fonts / regular), read(fonts / bold), script.web_font_family, script.unicode_range))
    return "\n".join(r for r in rules if r)


def css_variables(fonts: dict[str, str]) -> str:
    """Return the CSS custom properties that put the configured fonts first: ``--font-<script>``.

    ``fonts`` maps a script's ISO 15924 code ("Latn", "Laoo") to the event's font for it;
    the stylesheet's stacks read ``var(--font-laoo, …)``.
    """
    return ":root { " + " ".join(f"--font-{code.lower()}: {css_string(font)};" for code, font in fonts.items()) + " }"


def language_css(fonts: dict[str, str]) -> str:
    """Return a font stack for every language of the event: its font, the web font, system fonts.

    ``fonts`` maps each language code to the event's font for it. Latin-script
    languages take the stylesheet's Latin stack; the others a ``:lang()`` rule,
    written after the stylesheet so it has the last word.
    """
    rules = []
    for code, font in fonts.items():
        script = languages.get(code).script
        if script is languages.LATIN:
            continue
        stack = [font, *([script.web_font_family] if script.web_font else []), *script.html_fonts]
        family = ", ".join(css_string(f) for f in dict.fromkeys(stack)) + f", {script.generic}"
        rules.append(f":lang({code}) {{ font-family: {family}; line-height: 1.8; }}")
    return "\n".join(rules)


def css_string(text: str) -> str:
    """Quote a font name as a CSS string that cannot end the string or the <style>."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>\n\r' else char for char in text)
    return f'"{escaped}"'


def mark_languages(article: lxml_html.HtmlElement, lang: str, event_languages: tuple[str, ...] = ()) -> None:
    """Wrap every run of another script in a span with its own lang.

    Each text is judged by the language it sits in, not the page's: Latin
    words in Lao text get the event's Latin-script language, and Lao inside
    an English run (a Lao date filled into a string not yet translated) gets
    the Lao code. ``event_languages`` say which language each script is.
    """
    codes = tuple(event_languages) or (lang,)
    for element, own in _with_languages(article, lang):
        if not isinstance(element.tag, str) or element.tag in ("style", "script"):
            continue
        runs = _runs_of_others(own, codes)
        if runs is None:
            continue
        pattern, others, ascii_has_none = runs
        if element.text and not (ascii_has_none and element.text.isascii()):
            element.text = _split_into(element, element.text, pattern, others, at_start=True)
        for child in list(element):
            if child.tail and not (ascii_has_none and child.tail.isascii()):
                child.tail = _split_into(child, child.tail, pattern, others, at_start=False)


@lru_cache(maxsize=64)
def _runs_of_others(lang: str, codes: tuple[str, ...]) -> tuple[re.Pattern, dict[str, str], bool] | None:
    """One pattern for the runs of every other script in text of a language, the language of each of its
    named groups, and whether ASCII text can hold none (text in a Latin-script language looks for other
    scripts only).

    The runs of different scripts never overlap (each starts and ends with a
    letter of its script and holds none of another's), so one pass finds
    what a pass per script would. The scripts' own patterns are not compiled
    on their own: a class of tens of thousands of characters (Chinese) takes
    milliseconds to compile each time it is written.
    """
    others = _other_scripts(lang, codes)
    if not others:
        return None
    # A match's group is its script's (outermost, so even a script's pattern with groups of its own gives it).
    pattern = re.compile("|".join(f"(?P<run{index}>{regex})" for index, (_, regex) in enumerate(others)))
    return (pattern, {f"run{index}": other for index, (other, _) in enumerate(others)},
            languages.get(lang).script is languages.LATIN)


#: A number in Lao text that Lao digits replace: not part of a Latin-letter
#: word (A4B2), an email address or a web address, which keep their digits.
_NUMBER = re.compile(r"(?<![A-Za-z0-9@/._%-])[0-9]+(?:[.,:][0-9]+)*(?![A-Za-z0-9@_%-])")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+")


def native_digits(body: lxml_html.HtmlElement, lang: str) -> None:
    """Write the numbers of every text in the language in its own digits (Lao: ໐–໙, Thai: ๐–๙).

    Runs on the page before mark_languages, while a word like "A4B2" is still
    one text. Text in another language (English shown for a missing
    translation) keeps its digits.
    """
    def lao_digits(text: str) -> str:
        return languages.native_digits(text, lang)

    def convert(text: str) -> str:
        pieces, last = [], 0
        for address in _ADDRESS.finditer(text):
            pieces.append(_NUMBER.sub(lambda m: lao_digits(m.group()), text[last:address.start()]))
            pieces.append(address.group())
            last = address.end()
        pieces.append(_NUMBER.sub(lambda m: lao_digits(m.group()), text[last:]))
        return "".join(pieces)

    languages_of = dict(_with_languages(body, lang))
    for element, own in languages_of.items():
        if not isinstance(element.tag, str) or element.tag in ("style", "script"):
            continue
        if element.text and own == lang:
            element.text = convert(element.text)
        parent = element.getparent()
        if element.tail and (parent is None or (languages_of[parent] if parent in languages_of
                                                else _language_of(parent, lang)) == lang):
            element.tail = convert(element.tail)


@lru_cache(maxsize=16)
def _no_break(lang: str) -> re.Pattern | None:
    rules = languages.get(lang).no_break
    return re.compile("|".join(f"(?:{rule})" for rule in rules)) if rules else None


def no_break_spaces(body: lxml_html.HtmlElement, lang: str) -> None:
    """Make the spaces a line must not break at no-break spaces, in the text of the language (its table's rules).

    A space at an element's edge ("ທ່ານ <b>ນາງ</b>") stays: the rules read one text at a time.
    """
    pattern = _no_break(lang)
    if pattern is None:
        return
    languages_of = dict(_with_languages(body, lang))
    for element, own in languages_of.items():
        if not isinstance(element.tag, str) or element.tag in ("style", "script"):
            continue
        if element.text and own == lang:
            element.text = pattern.sub("\u00a0", element.text)
        parent = element.getparent()
        if element.tail and (parent is None or languages_of.get(parent, _language_of(parent, lang)) == lang):
            element.tail = pattern.sub("\u00a0", element.tail)


@lru_cache(maxsize=64)
def _other_scripts(lang: str, codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """For text in a language, the (language, regex) of each other script's runs that get their own lang.

    Latin text is searched for every non-Latin script; text in another
    script for Latin runs (its own script is left as it is).
    """
    own = languages.get(lang).script
    others = []
    for script in (languages.LATIN, *languages.SCRIPTS):
        if script == own:
            continue
        if own is not languages.LATIN and script is not languages.LATIN:
            continue  # Lao inside Thai text, or the reverse, is not expected: leave it
        others.append((languages.language_for_script(script, codes), languages.run_regex(script)))
    return tuple(others)


def _with_languages(root: lxml_html.HtmlElement, page_lang: str) -> list[tuple[lxml_html.HtmlElement, str]]:
    """Every element under root (root too), in document order, with the language its text is in.

    One walk from the top: asking each element's ancestors was a fifth of rendering a page.
    """
    found: dict = {}
    pairs = []
    top = _language_of(root, page_lang)
    for element in root.iter():
        parent = element.getparent()
        lang = element.get("lang") if isinstance(element.tag, str) else None
        own = lang.split("-")[0].lower() if lang else found.get(parent, top) if element is not root else top
        found[element] = own
        pairs.append((element, own))
    return pairs


def _language_of(element: lxml_html.HtmlElement, page_lang: str) -> str:
    for node in [element, *element.iterancestors()]:
        if node.get("lang"):
            return node.get("lang").split("-")[0].lower()
    return page_lang


def _split_into(anchor, text: str, pattern: re.Pattern, langs: dict[str, str], *, at_start: bool) -> str:
    """Split text at runs of the pattern, inserting spans (the lang of the group that matched); return the leading text."""
    pieces = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append((text[last:match.start()], match.group(), langs[str(match.lastgroup)]))
        last = match.end()
    if not pieces:
        return text
    tail_after = text[last:]
    leading = pieces[0][0]
    spans = []
    for index, (_, run, lang) in enumerate(pieces):
        span = lxml_html.Element("span", lang=lang)
        span.text = run
        following = pieces[index + 1][0] if index + 1 < len(pieces) else tail_after
        span.tail = following
        spans.append(span)
    if at_start:
        for position, span in enumerate(spans):
            anchor.insert(position, span)
    else:
        parent = anchor.getparent()
        at = parent.index(anchor) + 1
        for offset, span in enumerate(spans):
            parent.insert(at + offset, span)
    return leading


def finish_page(page: str, lang: str, *, native: bool = False,
                event_languages: tuple[str, ...] = ()) -> lxml_html.HtmlElement:
    """Parse a rendered page and mark it up for its language: digits, then other-script runs."""
    tree = parse_page(page)
    if native and languages.get(lang).script.digits:
        native_digits(tree.body, lang)
    no_break_spaces(tree.body, lang)
    mark_languages(tree.body, lang, event_languages)
    return tree


def page_bytes(tree: lxml_html.HtmlElement) -> bytes:
    """Serialize a page deterministically as UTF-8 HTML5."""
    body = lxml_html.tostring(tree, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
    return (body.rstrip() + "\n").encode("utf-8")


def parse_page(text: str) -> lxml_html.HtmlElement:
    """Parse a rendered page into a tree (the one both writers use)."""
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_blank_text=False)
    return lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)


def article_of(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """Return the document's <article>, the part both formats share."""
    found = tree.find(".//article")
    if found is None:
        raise ValueError("template rendered no <article>")
    return found


__all__ = ["article_of", "css_string", "css_variables", "finish_page", "font_face", "language_css", "mark_languages",
           "page_bytes", "parse_page", "web_fonts"]
