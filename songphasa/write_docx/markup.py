"""What the writer reads of the HTML: which elements count, and inline content as pieces of formatted text.

A paragraph's inline content (text, <strong>, <a>, <br>, footnote
references…) is gathered as (text, Format) pieces, its white space collapsed
the way a browser lays out one block, before it becomes Word runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import lxml.html

from songphasa.links import allowed_link

HEADING_STYLES = {f"h{n}": f"Heading {n}" for n in range(1, 7)}
CLASS_STYLES = {"title": "Title", "subtitle": "Subtitle"}
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em i ins kbd mark q s samp "
    "small span strong sub sup time u var wbr".split()
)
SKIPPED_TAGS = frozenset(
    "script style template noscript img picture svg video audio canvas "
    "iframe object embed hr button input select textarea form".split()
)
HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
BREAK = "\n"  # a <br>; real newlines are collapsed to spaces before this is used
#: Marks a footnote reference among the pieces of a paragraph (a private-use character, never in text).
NOTE = "\ue000"


@dataclass(frozen=True)
class Format:
    """Character formatting inherited down the HTML tree."""

    bold: bool = False
    italic: bool = False
    highlight: bool = False
    deleted: bool = False
    inserted: bool = False
    struck: bool = False
    underlined: bool = False
    changed: str | None = None  # the datetime of an <ins>/<del>: when the change was decided
    href: str | None = None
    lang: str | None = None
    size: int | None = None  # half-points, where a printed sheet's paragraph sets its own (data-size)


Pieces = list[tuple[str, Format]]


def classes(element: lxml.html.HtmlElement) -> set[str]:
    """Return the classes of an element."""
    return set((element.get("class") or "").split())


def skipped(element: lxml.html.HtmlElement) -> bool:
    """Tell whether an element stays out of the document (hidden, screen-only, or not text)."""
    return (
        not isinstance(element.tag, str)
        or element.tag in SKIPPED_TAGS
        or element.get("hidden") is not None
        or "screen-only" in classes(element)
    )


def inherited_lang(element: lxml.html.HtmlElement) -> str | None:
    """Return the language an element's text is in: its own lang, else its nearest ancestor's."""
    for node in (element, *element.iterancestors()):
        lang = node.get("lang")
        if lang is not None:
            return lang
    return None


def footnotes(article: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    """Return the <li> of each footnote of an article by its name (``fn-law`` is ``law``)."""
    return {li.get("id", "").removeprefix("fn-"): li
            for li in article.xpath('.//section[contains(concat(" ", @class, " "), " footnotes ")]//li[@id]')}


def external(href: str | None) -> bool:
    """Tell whether a link becomes a hyperlink in Word."""
    # Only http, https and mailto become hyperlinks in Word (a \\host\share link would make
    # Word send the user's credentials). Links within the page (#item-3) have no bookmark
    # to land on in Word; their text is kept, the link is not.
    return bool(href) and allowed_link(href or "")


def collect_inline(element: lxml.html.HtmlElement, fmt: Format, pieces: Pieces) -> None:
    """Gather the text inside an element (not its tail) with its formatting."""
    fmt = inline_format(element, fmt)
    if element.tag == "br":
        pieces.append((BREAK, fmt))
        return
    if "footnote-ref" in classes(element):
        # A real Word footnote takes the place of the page's superscript link.
        target = element.find(".//a")
        name = (target.get("href") or "") if target is not None else ""
        pieces.append((NOTE + name.removeprefix("#fn-"), replace(fmt, href=None)))
        return
    if element.text:
        pieces.append((element.text, fmt))
    for child in element:
        if not skipped(child):
            collect_inline(child, fmt, pieces)
        if child.tail:
            pieces.append((child.tail, fmt))


def inline_format(element: lxml.html.HtmlElement, fmt: Format) -> Format:
    """Return the formatting of an element's text: what it inherits, changed by its tag, class and lang."""
    tag = element.tag
    changes: dict[str, Any] = {}
    if tag in ("strong", "b", "th"):
        changes["bold"] = True
    if tag in ("em", "i", "cite", "dfn", "var"):
        changes["italic"] = True
    if tag == "del":
        changes["deleted"] = True
    if tag == "ins":
        changes["inserted"] = True
    if tag == "s":
        changes["struck"] = True
    if tag == "u":
        changes["underlined"] = True
    if tag in ("ins", "del") and element.get("datetime"):
        changes["changed"] = element.get("datetime")
    if tag == "mark" or "needs-translation" in classes(element):
        changes["highlight"] = True
    if tag == "a" and element.get("href"):
        changes["href"] = element.get("href")
    if element.get("lang") is not None:
        changes["lang"] = element.get("lang")
    return replace(fmt, **changes) if changes else fmt


def collapse(pieces: Iterable[tuple[str, Format]]) -> Pieces:
    """Collapse white space the way a browser lays out one block of text."""
    out: Pieces = []
    after_space = True  # strips the block's leading space
    for text, fmt in pieces:
        if text == BREAK:
            _strip_trailing(out)
            out.append((BREAK, fmt))
            after_space = True
            continue
        text = HTML_WHITESPACE.sub(" ", text)
        if after_space:
            text = text.lstrip(" ")
        if text:
            out.append((text, fmt))
            after_space = text.endswith(" ")
    _strip_trailing(out)
    while out and out[-1][0] == BREAK:  # a final <br> adds no line in a browser
        out.pop()
        _strip_trailing(out)
    return out


def _strip_trailing(out: Pieces) -> None:
    while out and out[-1][0] != BREAK:
        text, fmt = out[-1]
        text = text.rstrip(" ")
        if text:
            out[-1] = (text, fmt)
            return
        out.pop()
