"""A translatable string of content, and reading a content file as text a document can hold.

Every string of content becomes a :class:`Text` carrying its file, line and a
stable id; that id becomes the gettext msgctxt, so a translation stays
attached to its string when the list around it is reordered.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem, relative
from ..files import check_input, read_input

#: No content file of a workshop comes near this; a bigger one is a mistake
#: (a pasted export, a binary file) and would only slow everything down.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: The most characters one text (a value, a paragraph, a list item) may have: ten times the
#: sample's longest paragraph. Markdown's work on one text grows faster than its length.
MAX_TEXT_CHARS = 10_000

#: What all content files of an event may hold together. A build's time grows with each (bench/adversarial.py
#: times one at each bound); an event grown 100 times from the sample (bench/grow.py) has 458 KiB, 14,600
#: lines and commas and 230 Markdown marks. ruamel's reader takes ~35 µs a value (a 256 KiB list of
#: one-letter items: 9.5 s), python-markdown 10–30 µs a character of text thick with marks.
MAX_CONTENT_BYTES = 2**20
MAX_CONTENT_ITEMS = 15_000  # lines and commas: about as many values, paragraphs or list items
MAX_CONTENT_MARKS = 20_000  # characters Markdown acts on: [ ] * < & ` \
_MARK = re.compile(r"[\[\]*<&`\\]")

#: Characters XML 1.0 (and so DOCX) cannot hold at all.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# An HTML character reference (Markdown passes them through): &#x1; is U+0001.
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


@dataclass(frozen=True)
class Text:
    """One translatable string of content: its source-language text, stable id and place.

    ``context`` is the gettext msgctxt; ``source`` is Markdown inline text.
    """

    source: str
    file: str
    line: int
    context: str
    comment: str = ""

    def __bool__(self) -> bool:
        return bool(self.source.strip())

    @property
    def translatable(self) -> bool:
        """Tell whether the string has a word to translate: "14", "9.5 %" or "—" in a table cell has none.

        Such a string is no entry of the catalogs; every language shows it as written, in its own digits
        where the event asks for them.
        """
        return any(ch.isalpha() for ch in self.source)

    def __str__(self) -> str:
        return self.source


class ContentBudget:
    """Add up what the content files of one event hold; refuse, naming the file, what crosses a bound."""

    def __init__(self) -> None:
        self.size = self.items = self.marks = 0
        self.over = False  # a bound was crossed: the files after are not worth reading

    def add(self, name: str, text: str) -> None:
        """Count one file's text (before it is parsed); raise when the content so far is more than it may be."""
        self.size += len(text.encode("utf-8"))
        self.items += text.count("\n") + text.count(",")
        self.marks += len(_MARK.findall(text))
        hint = "check that these are the right files; an event that large belongs in several projects"
        for what, count, bound in (("KiB", -(-self.size // 1024), MAX_CONTENT_BYTES // 1024),
                                   ("lines and commas", self.items, MAX_CONTENT_ITEMS),
                                   ("Markdown marks ([ ] * < & ` \\)", self.marks, MAX_CONTENT_MARKS)):
            if count > bound:
                self.over = True
                raise ContentError(Problem(name, None, f"with this file the content holds {count:,} {what}, more "
                                           f"than the {bound:,} an event's content may have", hint))


def too_long(file: str, line: int | None, length: int) -> Problem:
    """Say that one text is longer than a text may be."""
    return Problem(file, line, f"this text has {length:,} characters, more than the {MAX_TEXT_CHARS:,} one "
                   "paragraph or value may have", "split it into several paragraphs or list items")


def not_found(name: str, sample: str | None = None) -> Problem:
    """Say that a content file the event needs is not there (``sample``: the sample project's file to see)."""
    return Problem(name, None, "file not found", f"create it (see the sample project's {sample or name})")


def _forbidden_reference(line: str) -> tuple[str, int] | None:
    """Return a character reference in the line that stands for a forbidden character."""
    for match in _REFERENCE.finditer(line):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        # HTML turns &#0; and numbers beyond Unicode into U+FFFD, which is harmless.
        if 0 < code <= 0x10FFFF and FORBIDDEN.fullmatch(chr(code)):
            return match.group(), code
    return None


def unholdable_character(text: str) -> str | None:
    """Name the first character of a text that Word documents cannot hold, raw or as &#…; (None if none)."""
    bad = FORBIDDEN.search(text)
    if bad:
        return f"U+{ord(bad.group()):04X}"
    reference = _forbidden_reference(text)
    return f"U+{reference[1]:04X} (written '{reference[0]}')" if reference else None


def _too_big(name: str, size: int) -> Problem:
    return Problem(
        name, None,
        # Rounded up, so a file just over the limit never reads as "2048 KiB, more than 2048 KiB".
        f"file is {-(-size // 1024)} KiB, more than the {MAX_FILE_BYTES // 1024} KiB a content file may have",
        "check that the right file is in content/ and split very long prose into several files")


def read_text(path: Path, root: Path) -> str:
    """Read a content file as UTF-8 text, refusing what a document cannot hold."""
    name = relative(path, root)
    if not os.path.lexists(path):
        raise ContentError(not_found(name, f"{path.parent.name}/{path.name}"))
    real = check_input(path, root)
    size = real.stat().st_size
    if size > MAX_FILE_BYTES:  # said before reading it
        raise ContentError(_too_big(name, size))
    return decoded(name, read_input(path, root, limit=MAX_FILE_BYTES))


def decoded(name: str, raw: bytes) -> str:
    """Return a content file's bytes as text, refusing what a document cannot hold (the file is named ``name``)."""
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(_too_big(name, len(raw)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(Problem(
            name, raw.count(b"\n", 0, exc.start) + 1, "the file is not UTF-8 text",
            "save it as UTF-8 (in most editors: Save As → Encoding: UTF-8)")) from None
    text = text.removeprefix("\ufeff")
    problems = []
    # split("\n"), not splitlines(): that would treat U+000B, U+000C and U+001C–U+001E
    # as line ends and so never find them.
    for lineno, line in enumerate(text.split("\n"), start=1):
        bad = FORBIDDEN.search(line)
        if bad:
            problems.append(Problem(
                name, lineno, f"invisible control character U+{ord(bad.group()):04X} that Word documents cannot hold",
                "delete it (it often comes from copying out of a PDF)"))
        elif reference := _forbidden_reference(line):
            problems.append(Problem(
                name, lineno, f"'{reference[0]}' stands for the control character U+{reference[1]:04X}, "
                "which Word documents cannot hold", "delete it"))
    if problems:
        raise ContentError(problems)
    return text
