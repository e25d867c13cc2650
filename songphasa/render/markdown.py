"""Inline Markdown of a content string → sanitized HTML: content cannot put script into the pages.

python-markdown renders emphasis, links and escapes; nh3 (ammonia) keeps only
the tags and attributes below, and links only to http, https and mailto.
"""

from __future__ import annotations

import re

import markdown
import nh3

from ..links import URL_SCHEMES, allowed_link

#: Inline HTML a content string may produce after Markdown; everything else is
#: removed by the sanitizer, so content cannot put script into the pages.
ALLOWED_TAGS = {"strong", "em", "a", "br", "code", "span", "del", "ins"}
#: No class from content: a class could hide text or fake the needs-translation mark.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"lang"}}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if allowed_link(value) else None
    return value


#: A {placeholder} in a content string.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")



#: A whole Markdown link, [text](address), without brackets inside: found in one linear pass.
#: (An address may hold one level of parentheses, as Markdown allows: Wikipedia's do.)
_LINK = re.compile(r"\[[^\[\]\n]{0,2000}\]\((?:[^()\s]|\([^()\s]{0,200}\)){0,2000}\)")
#: A backslash escape (kept as it is) or a bracket.
_BRACKET = re.compile(r"(\\.)|([\[\]])", re.S)


#: Stand-ins for stray brackets while Markdown runs: noncharacters, which text never holds.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"


def hide_stray_brackets(source: str) -> str:
    """Hide every bracket that is not part of a whole link from python-markdown.

    python-markdown tries each '[' against the rest of the text, so a
    paragraph of brackets takes time that grows with the square of its
    length (8,000 of them: 40 s). Only whole links need to reach it; the
    others are put back after it (``show_brackets``).
    """
    if "[" not in source and "]" not in source:
        return source

    def stray(piece: str) -> str:
        return _BRACKET.sub(lambda m: m.group(1) or (_OPEN if m.group(2) == "[" else _CLOSE), piece)
    out, at = [], 0
    for match in _LINK.finditer(source):
        out.append(stray(source[at:match.start()]))
        out.append(match.group())
        at = match.end()
    out.append(stray(source[at:]))
    return "".join(out)


def show_brackets(html: str) -> str:
    return html.replace(_OPEN, "[").replace(_CLOSE, "]")


#: Control characters, which no HTML or XML text may hold. python-markdown leaves
#: its own (the STX/ETX around a stashed code span) in its output for some
#: emphasis around code, e.g. *0**0*`c`; the page parser would keep them and
#: every later write of that text fail.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: What Markdown could act on in a string: its inline syntax (escapes, code, emphasis, links, HTML,
#: entities), line breaks, controls and the bracket stand-ins; and, at the start, a list, quote or heading.
_MARKUP = re.compile(r"[\\`*_\[\]<>&\n\r\t\x00-\x1f\u00a0\ufdd0\ufdd1]|  ")
_BLOCK_START = re.compile(r"\d+[.)]\s|[-+*>#=]")


def plain(source: str) -> bool:
    """Tell a string Markdown would return as it is, in one paragraph (most sentences of an event)."""
    return bool(source) and source == source.strip() and not _MARKUP.search(source) \
        and not _BLOCK_START.match(source)


class InlineMarkdown:
    """Render strings of inline Markdown to sanitized HTML (no block tags), with one converter for all of them.

    Making a python-markdown converter builds all its parsers, which costs
    more than converting one short string; ``reset()`` between strings gives
    the output of a new one.
    """

    def __init__(self) -> None:
        self._converter: markdown.Markdown | None = None

    def __call__(self, source: str) -> str:
        if plain(source):
            html = source  # what Markdown makes of it, without its ~1 ms a string
        else:
            html = show_brackets(self.convert(hide_stray_brackets(source)))
            html = re.sub(r"^<p>(.*)</p>$", r"\1", _CONTROL.sub("", html).strip(), flags=re.S)
        return sanitized(html)

    def convert(self, source: str) -> str:
        """python-markdown's HTML of a string (the one place it is called)."""
        if self._converter is None:
            self._converter = markdown.Markdown(output_format="html")
        return self._converter.reset().convert(source)


def sanitized(html: str) -> str:
    """Keep only the tags, attributes and links content may have."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True, attribute_filter=_filter_attribute)


def inline_markdown(source: str) -> str:
    """Render one string of inline Markdown to sanitized HTML (a converter made for it alone)."""
    return InlineMarkdown()(source)
