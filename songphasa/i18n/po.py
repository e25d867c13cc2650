"""PO files: read one as untrusted input, with line numbers; write one that every gettext tool accepts.

A catalog is read as UTF-8 whatever its header says; what is wrong with it
(another charset, the same entry twice, a quote left open, a byte that is
not UTF-8, a control character Word cannot hold) is an error at its line,
before anything could be rewritten. Written, a catalog has no wrapped
lines, keeps every previous msgid whole and carries no clock time, so that
the same messages give the same bytes and ``msgfmt --check`` passes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, write_po
from babel.messages.pofile import escape as po_escape
from babel.messages.pofile import unescape as po_unescape

from ..content.text import MAX_TEXT_CHARS, unholdable_character
from ..errors import CatalogError, ContentError, Problem, relative
from ..files import read_input
from ..reproducible import fixed_moment

#: A msgid or msgstr as Babel holds it: a string, or (singular, plural, …) for an entry with plural forms.
MessageId = str | tuple[str, ...] | list[str]

HEADER = """\
# Translations of {title}.
# Made by Songphasa from content/ and templates/: do not edit the .pot by hand;
# translate the .po files with Poedit, Weblate or any gettext editor.
#"""

#: The date in catalog headers without SOURCE_DATE_EPOCH: a constant, so that a catalog changes only with its messages.
CATALOG_DATE = dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)


#: The longest a translation may be: twice the longest source text (content/text.py).
MAX_TRANSLATION_CHARS = 2 * MAX_TEXT_CHARS
#: The largest catalog file (PO, or XLIFF for a CAT tool): parsed whole, one takes about 20 times its size in memory.
MAX_CATALOG_BYTES = 8 * 2**20

def fixed_date() -> dt.datetime:
    """Return the date catalog headers carry: SOURCE_DATE_EPOCH, or a constant (no churn)."""
    return fixed_moment(CATALOG_DATE)


def new_catalog(title: str, locale: str | None) -> Catalog:
    """Make an empty catalog of an event (the template when ``locale`` is None), its header naming the event."""
    return Catalog(locale=locale, project=title, version="1", copyright_holder=None,
                   header_comment=HEADER.format(title=title), msgid_bugs_address="", charset="utf-8",
                   creation_date=fixed_date(), revision_date=fixed_date(), fuzzy=False)


# --- one entry ------------------------------------------------------------------------------------

def first(value: MessageId | None) -> str:
    """Return the singular of a msgid or msgstr ("" for none)."""
    if isinstance(value, (tuple, list)):
        return value[0] if value else ""
    return value or ""


def has_translation(message: Message) -> bool:
    """Tell whether an entry has a translation (fuzzy or not): one of its strings is not empty."""
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return any(s for s in strings)


def is_template_string(message: Message) -> bool:
    """Tell whether an entry comes from a template (Jinja formats those with %, content it does not)."""
    return any(str(file).endswith(".html") for file, _ in message.locations)


def entry_key(msgid: MessageId, context: str | None) -> str | tuple[str, str]:
    """Return the key Babel files an entry under: its (singular) msgid, with its msgctxt when it has one."""
    return first(msgid) if context is None else (first(msgid), context)


def settle_flags(catalog: Iterable[Message]) -> None:
    """Keep python-format only on template strings.

    Babel flags any text with a % sign followed by a letter as python-format
    ("100% of districts"), and msgfmt --check then demands the same % codes
    in the translation; content is never %-formatted, so it is no format string.
    """
    for message in catalog:
        if message.id and message.locations and not is_template_string(message):
            message.flags.discard("python-format")


# --- reading ----------------------------------------------------------------------------------------

def read_po_bytes(path: Path, root: Path) -> bytes:
    """Read a PO file's bytes: a regular file (no pipe, no device), inside the project when it lies in it.

    A file named from elsewhere (a memory given to `tm import`) is checked
    against its own folder.
    """
    inside = os.path.abspath(path).startswith(os.path.join(os.path.abspath(root), ""))
    try:
        return read_input(path, root if inside else Path(os.path.abspath(path)).parent, limit=MAX_CATALOG_BYTES)
    except ContentError as exc:
        raise CatalogError(exc.problems) from None


def read_catalog(path: Path, root: Path, locale: str | None = None) -> Catalog:
    """Read a PO file as UTF-8; whatever is wrong with it becomes a plain message with its line.

    A catalog is untrusted input: a header naming another charset, the same
    entry twice, a byte that is not UTF-8 or a line Babel cannot parse stop
    here, before anything could be rewritten.
    """
    name = relative(path, root)
    raw = read_po_bytes(path, root)
    # A BOM (Notepad's "UTF-8 with BOM") says nothing but UTF-8: read past it.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(Problem(name, raw.count(b"\n", 0, exc.start) + 1, "the translation file is not UTF-8 here",
                                   "save it as UTF-8 (Poedit does this by default)")) from None
    problems = [Problem(name, line, "the translation file cannot be read: a quoted string is not closed",
                        'end the text with " on the same line (write a quote inside the text as \\")')
                for line in _unclosed_quotes(text)]
    problems += _foreign_charset(name, text)
    if problems:
        raise CatalogError(problems)
    catalog = _RecordingCatalog(locale=locale, charset="utf-8")
    lines = _Lines(text)
    try:
        PoFileParser(catalog, ignore_obsolete=False, abort_invalid=True).parse(lines)
    except PoFileError as exc:
        # Babel counts lines from 0 and appends " on <line>" to its message.
        line = exc.lineno + 1 if isinstance(getattr(exc, "lineno", None), int) else lines.number
        message = str(exc).rsplit(" on ", 1)[0].strip()
        raise CatalogError(Problem(name, line, f"the translation file cannot be read: {message}",
                                   "open it in Poedit or a text editor and repair this line (quotes must be closed, "
                                   "every msgid needs a msgstr)")) from None
    except Exception as exc:  # noqa: BLE001 — any input Babel's parser trips over is the file's fault, not ours
        raise CatalogError(Problem(name, lines.number or None,
                                   f"the translation file cannot be read ({type(exc).__name__}: {exc})"[:300],
                                   "open it in Poedit or a text editor and repair this entry")) from None
    if catalog.duplicates:
        raise CatalogError([Problem(name, later, f"this entry has the same msgctxt and msgid as the entry at line {earlier}",
                                    f"keep one of the two (lines {earlier} and {later}) with the right translation and "
                                    "delete the other")
                            for earlier, later in catalog.duplicates])
    settle_flags(catalog)
    for message in [*catalog, *catalog.obsolete.values()]:
        message.user_comments = _without_previous(message.user_comments)
    _attach_previous(catalog, text)
    long = too_long(catalog, name)
    if long:  # bounded as the content's texts are: one 90 KB translation made a build take minutes
        raise CatalogError(long)
    unholdable = _unholdable_translations(catalog, text)
    if unholdable:
        raise CatalogError([Problem(name, line, f"a translation holds the invisible control character {character}, "
                                    "which Word documents cannot hold", "delete it")
                            for line, character in unholdable])
    return catalog


def too_long(catalog: Catalog, name: str, *, taken_from: str = "") -> list[Problem]:
    """Say where a translation is longer than MAX_TRANSLATION_CHARS (``taken_from``: the file an import read it from)."""
    found = []
    for message in catalog:
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        length = max((len(s) for s in strings if s), default=0)
        if message.id and length > MAX_TRANSLATION_CHARS:
            where = f" (from {taken_from})" if taken_from else ""
            found.append(Problem(name, message.lineno, f"this translation{where} has {length:,} characters, more than "
                                 f"the {MAX_TRANSLATION_CHARS:,} one may have (twice what a source text may)",
                                 "check that the entry holds one text's translation, not several"))
    return found


class _Lines:
    """The lines of a PO text, remembering how far the parser has read (for a message's line)."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")  # not splitlines(): U+000B is no line end
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        for number, line in enumerate(self.lines, start=1):
            self.number = number
            yield line


class _RecordingCatalog(Catalog):
    """A catalog that notes an entry read twice (Babel would keep one of the two without a word)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[tuple[int, int]] = []

    def __setitem__(self, id: MessageId, message: Message) -> None:
        existing = self.get(id, message.context)
        if id and existing is not None and existing.lineno and message.lineno:
            self.duplicates.append((existing.lineno, message.lineno))
        super().__setitem__(id, message)


_CHARSET = re.compile(r'^"Content-Type:[^"]*?charset=([^"\\;\s]*)', re.I)


def _foreign_charset(name: str, text: str) -> list[Problem]:
    """Refuse a header that names another charset: the file is read, and written, as UTF-8."""
    in_header_string = False
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if line.startswith("msgstr"):
            in_header_string = True
        elif in_header_string and not line.startswith('"'):
            break  # the header entry is the first one: past its msgstr, no header follows
        match = _CHARSET.match(line.removeprefix("msgstr").strip())
        if match and match.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
            return [Problem(name, number, f"the header says the file is in '{match.group(1)}', but translation files "
                                          "are read and written as UTF-8 only",
                            "if the text is UTF-8, write charset=UTF-8 in this line; otherwise convert the file "
                            "with `msgconv --to-code=UTF-8` first")]
    return []


def _open_quote(text: str) -> bool:
    """Tell whether a text leaves a double quote open (escaped quotes do not count)."""
    return len(re.findall(r'(?<!\\)(?:\\\\)*"', text)) % 2 == 1


def _without_previous(comments: list[str]) -> list[str]:
    """Drop the "#| msgid" lines Babel reads as translator comments (python-babel/babel#206).

    Written back they became "# | msgid …" comments, wrapped in two, one more
    copy per update; such copies left by earlier versions go too.
    """
    kept: list[str] = []
    open_quote = False
    for comment in comments:
        if open_quote:  # the second half of a wrapped "# | msgid" line
            open_quote = not _open_quote(comment)
            continue
        if comment.startswith("|"):
            open_quote = _open_quote(comment)
            continue
        kept.append(comment)
    return kept


def _unholdable_translations(catalog: Catalog, text: str) -> list[tuple[int, str]]:
    """Find translations with a control character (it would stop the DOCX writer): its line and name."""
    lines = text.split("\n")
    found = []
    for message in catalog:
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string or "",)
        character = unholdable_character("".join(strings)) if message.id and message.lineno else None
        if not character or not message.lineno:
            continue
        line = message.lineno  # the msgid's; move on to the msgstr line that holds the character
        for number in range(message.lineno, len(lines) + 1):
            if not lines[number - 1].strip():
                break
            if lines[number - 1].lstrip("#~ ").startswith(("msgstr", '"')) and unholdable_character(lines[number - 1]):
                line = number
                break
        found.append((line, character))
    return found


# The quoted string "unrolled" ([^"\\]* runs between escapes): an alternation tried at every character
# took a quarter of reading a catalog.
_PO_STRING_LINE = re.compile(r'(?:#[~|]\s*)?(?:(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?"[^"\\]*(?:\\.[^"\\]*)*"')
_PO_STRING_START = re.compile(r'(?:#[~|]\s*)?(?:msgctxt|msgid|msgstr|")')


def _unclosed_quotes(text: str) -> list[int]:
    """Return the lines whose quoted string is not closed (Babel would silently cut its last letter)."""
    return [number for number, line in enumerate(text.split("\n"), start=1)  # not splitlines(): U+000B is no line end
            if _PO_STRING_START.match(line.strip()) and not _PO_STRING_LINE.fullmatch(line.strip())]


_PREVIOUS_LINE = re.compile(r"#~?\s?\|")  # anywhere: a superset of the lines the loop below reads


def _attach_previous(catalog: Catalog, text: str) -> None:
    """Read the "#| msgid" lines back into previous_id (Babel's reader drops them).

    Without this, the previous English a fuzzy entry records would vanish the
    next time the catalog is read and written.
    """
    if not _PREVIOUS_LINE.search(text):  # no entry records a previous msgid (most catalogs, most of the time)
        return
    lines = text.splitlines()
    for message in [*catalog, *catalog.obsolete.values()]:
        if not message.id or not message.lineno or message.lineno > len(lines):
            continue
        above: list[str] = []
        index = message.lineno - 2
        while index >= 0 and re.match(r'^(#~\s*)?(msgctxt\s|")', lines[index]):
            index -= 1  # the entry's own msgctxt, above its msgid
        while index >= 0 and lines[index].startswith("#"):
            above.insert(0, lines[index])
            index -= 1
        parts: dict[str, list[str]] = {}
        key = None
        for line in above:
            match = re.match(r"^#~?\s?\|\s?(msgid_plural|msgid|msgctxt)?\s*(\".*\")\s*$", line)
            if not match:
                continue
            key = match.group(1) or key
            if key:
                parts.setdefault(key, []).append(match.group(2))
        if "msgid" in parts:
            previous = [po_unescape_lines(parts["msgid"])]
            if "msgid_plural" in parts:
                previous.append(po_unescape_lines(parts["msgid_plural"]))
            message.previous_id = previous


def po_unescape_lines(quoted: list[str]) -> str:
    """Join and unescape the quoted pieces of one PO string."""
    return "".join(po_unescape(piece) for piece in quoted)


# --- writing ------------------------------------------------------------------------------------------

def po_text(catalog: Catalog, *, template: bool = False) -> str:
    """Write a catalog as PO text: no wrapping, previous msgids kept, stable."""
    # Babel wraps "#| msgid" comments at 76 columns whatever the width, cutting
    # the quoted text in two, which msgfmt rejects: write those lines ourselves.
    previous: dict[str, list[str]] = {}
    messages = [*catalog, *catalog.obsolete.values()]
    for number, message in enumerate(messages):
        if message.previous_id:
            token = f"@@previous-{number}@@"
            previous[token] = list(message.previous_id)
            message.previous_id = [token]
    buffer = io.BytesIO()
    try:
        write_po(buffer, catalog, width=0, sort_output=False, sort_by_file=False, omit_header=False,
                 ignore_obsolete=False, include_previous=True, include_lineno=True)
    finally:
        for message in messages:
            if message.previous_id and message.previous_id[0] in previous:
                message.previous_id = previous[message.previous_id[0]]
    text = buffer.getvalue().decode("utf-8")

    def whole(match: re.Match[str]) -> str:
        ids = previous[match.group(2)]
        lines = [f'{match.group(1)}msgid {po_escape(ids[0])}']
        if len(ids) > 1:
            lines.append(f'{match.group(1)}msgid_plural {po_escape(ids[1])}')
        return "\n".join(lines)

    text = re.sub(r'^(#~? ?\| ?)msgid "(@@previous-\d+@@)"', whole, text, flags=re.M)
    # Name the tool, not the installed Babel: the files then change only with their messages.
    text = re.sub(r'^"Generated-By: [^"]*"$', lambda _: '"Generated-By: Songphasa\\n"', text, count=1, flags=re.M)
    if template:
        # Keep the header free of clock times so the .pot only changes with its messages.
        text = re.sub(r'"PO-Revision-Date: [^"]*"', lambda _: '"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"', text)
    return text
