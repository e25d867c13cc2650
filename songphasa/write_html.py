"""Write the HTML pages: the rendered tree, language-marked, with its font.

Every run of the other script gets its own ``lang`` (Latin words in a Lao
page are ``lang="en"``, Lao in an English page ``lang="lo"``), so browsers,
screen readers and spell checkers treat each run right. Lao pages embed a Lao
web font, so they show Lao on machines without a Lao font. No zero-width
spaces are inserted: browsers break Lao lines by dictionary.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from lxml import html as lxml_html

LAO = re.compile(r"[\u0e80-\u0eff][\u0e80-\u0eff\s\d.,;:!?()\"'“”‘’\-–—/]*[\u0e80-\u0eff]|[\u0e80-\u0eff]")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.,'’&/\- ]*[A-Za-z0-9.]|[A-Za-z]")

WEB_FONT_FAMILY = "Songphasa Lao"


def font_face(regular: bytes | Path | None, bold: bytes | Path | None) -> str:
    """Return @font-face rules embedding the Lao web font (its files, or their bytes) as data URIs."""
    def read(font: bytes | Path | None) -> bytes | None:
        return font.read_bytes() if isinstance(font, Path) and font.exists() else (
            font if isinstance(font, bytes) else None)
    return _font_face(read(regular), read(bold))


@lru_cache(maxsize=4)
def _font_face(regular: bytes | None, bold: bytes | None) -> str:
    # Keyed by the fonts' bytes, not their paths: `watch` must embed a font file replaced meanwhile.
    rules = []
    for font, weight in ((regular, "normal"), (bold, "bold")):
        if font is None:
            continue
        data = base64.b64encode(font).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{WEB_FONT_FAMILY}"; font-weight: {weight}; font-display: swap; '
                     f'src: url(data:font/ttf;base64,{data}) format("truetype"); '
                     f'unicode-range: U+0E80-0EFF, U+200B-200D, U+25CC; }}')
    return "\n".join(rules)


def css_variables(lao_font: str, latin_font: str) -> str:
    """Return the CSS custom properties that put the configured fonts first."""
    return f":root {{ --lao-font: {css_string(lao_font)}; --latin-font: {css_string(latin_font)}; }}"


def css_string(text: str) -> str:
    """Quote a font name as a CSS string that cannot end the string or the <style>."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>\n\r' else char for char in text)
    return f'"{escaped}"'


def mark_languages(article: lxml_html.HtmlElement, lang: str) -> None:
    """Wrap every run of the other script in a span with its own lang.

    Each text is judged by the language it sits in, not the page's: Latin
    words in Lao text become ``lang="en"``, and Lao inside an English run
    (a Lao date filled into a string not yet translated) becomes ``lang="lo"``.
    """
    for element in list(article.iter()):
        if not isinstance(element.tag, str) or element.tag in ("style", "script"):
            continue
        own = _language_of(element, lang)
        if own not in OTHER_SCRIPT:
            continue
        other, pattern = OTHER_SCRIPT[own]
        if element.text:
            element.text = _split_into(element, element.text, pattern, other, at_start=True)
        for child in list(element):
            if child.tail:
                child.tail = _split_into(child, child.tail, pattern, other, at_start=False)


#: A number in Lao text that Lao digits replace: not part of a Latin-letter
#: word (A4B2), an email address or a web address, which keep their digits.
_NUMBER = re.compile(r"(?<![A-Za-z0-9@/._%-])[0-9]+(?:[.,:][0-9]+)*(?![A-Za-z0-9@_%-])")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+")


def native_digits(body: lxml_html.HtmlElement, lang: str = "lo") -> None:
    """Write the numbers of every text in the language in its own digits (Lao: ໐–໙).

    Runs on the page before mark_languages, while a word like "A4B2" is still
    one text. Text in another language (English shown for a missing
    translation) keeps its digits.
    """
    from .formats import lao_digits

    def convert(text: str) -> str:
        pieces, last = [], 0
        for address in _ADDRESS.finditer(text):
            pieces.append(_NUMBER.sub(lambda m: lao_digits(m.group()), text[last:address.start()]))
            pieces.append(address.group())
            last = address.end()
        pieces.append(_NUMBER.sub(lambda m: lao_digits(m.group()), text[last:]))
        return "".join(pieces)

    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.tag in ("style", "script"):
            continue
        if element.text and _language_of(element, lang) == lang:
            element.text = convert(element.text)
        if element.tail and (element.getparent() is None or _language_of(element.getparent(), lang) == lang):
            element.tail = convert(element.tail)


#: For a language, the language and pattern of the other script's runs in it.
OTHER_SCRIPT = {"lo": ("en", LATIN), "en": ("lo", LAO)}


def _language_of(element: lxml_html.HtmlElement, page_lang: str) -> str:
    for node in [element, *element.iterancestors()]:
        if node.get("lang"):
            return node.get("lang").split("-")[0].lower()
    return page_lang


def _split_into(anchor, text: str, pattern: re.Pattern, lang: str, *, at_start: bool) -> str:
    """Split text at runs of the pattern, inserting spans; return the leading text."""
    pieces = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append((text[last:match.start()], match.group()))
        last = match.end()
    if not pieces:
        return text
    tail_after = text[last:]
    leading = pieces[0][0]
    spans = []
    for index, (_, run) in enumerate(pieces):
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


def finish_page(page: str, lang: str, *, lao_digits: bool = False) -> lxml_html.HtmlElement:
    """Parse a rendered page and mark it up for its language: digits, then other-script runs."""
    tree = parse_page(page)
    if lang == "lo" and lao_digits:
        native_digits(tree.body, lang)
    mark_languages(tree.body, lang)
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


__all__ = ["article_of", "css_string", "css_variables", "finish_page", "font_face", "mark_languages", "page_bytes", "parse_page"]
