"""Translation catalogs: extract, update, init, read, compile, count (Babel).

Content strings carry a stable id as msgctxt (``people.zhu.position``,
``concept-note.objectives.the-overarching-objective-of-2f0c…``, named by its
content or by the author's ``{#id}``); template strings are plain gettext calls.

``update`` is ours, not Babel's: Babel matches a changed string by how similar
its English is, so a long paragraph with a real edit loses its translation to
the obsolete section. Here a string whose msgctxt is unchanged keeps its
translation, marked fuzzy with the previous English recorded, however large
the edit; a string that moved (same English, new id) keeps its translation as
it is; an edited paragraph (whose content-made id changed with it) finds its
old entry by content, never by position, and keeps its translation fuzzy;
whatever is left goes to the obsolete section with its translation. Nothing a
translator wrote is dropped or put on another paragraph.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import PoFileError, PoFileParser, write_po
from babel.messages.pofile import escape as po_escape
from babel.messages.pofile import unescape as po_unescape
import jinja2
from pydantic import BaseModel

from .content.markdown import MdSection
from .content.text import Text, unholdable_character
from .errors import CatalogError, ContentError, Problem, TemplateError, relative
from .project import BUILTIN_TEMPLATES, Project
from .files import atomic_write, atomic_write_all, read_input

#: Comments translators see in Poedit next to each kind of string.
_COMMENTS = [
    (re.compile(r"^people\.[^.]+\.name$"), "Name of a person: write it in Lao script as the person writes it."),
    (re.compile(r"^honorific$"), "Honorific before a person's name."),
    (re.compile(r"^people\.[^.]+\.position$"), "A person's position, as printed after their name."),
    (re.compile(r"\.abbreviation$"), "Abbreviation of an organization; keep the English one if Lao documents use it."),
    (re.compile(r"^recommendations\..*\.proposed$"), "Proposed recommendation read out by the moderator in the decision-making session."),
    (re.compile(r"^recommendations\..*\.confirmed$"), "Recommendation as confirmed after discussion."),
    (re.compile(r"\.title$"), "A title or heading."),
    (re.compile(r"^concept-note\."), "Concept note prose (Markdown: keep *emphasis*, [links](…) and {placeholders})."),
]

TEMPLATE_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def comment_for(context: str) -> str:
    """Return the translator comment for a content string's id."""
    for pattern, comment in _COMMENTS:
        if pattern.search(context):
            return comment
    return ""


# --- extraction -----------------------------------------------------------------

def walk_texts(node: Any) -> Iterator[Text]:
    """Yield every non-empty Text in a model, in document order."""
    if isinstance(node, Text):
        if node:
            yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk_texts(getattr(node, name))
    elif isinstance(node, MdSection):
        yield node.title
        for block in node.blocks:
            yield from (t for t in block.items if t)
    elif isinstance(node, dict):
        for value in node.values():
            yield from walk_texts(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from walk_texts(value)


def content_texts(content: Any) -> list[Text]:
    """Return every translatable content string of the event, in document order."""
    # Last, the distribution pack's addressees and letter (None: the event has no recipients).
    parts = [content.event, content.people, content.agenda, content.recommendations, content.concept_note,
             content.recipients]
    return [t for part in parts for t in walk_texts(part) if t.translatable]


def template_messages(template_dirs: list[Path], root: Path) -> list[tuple[Any, str | None, list, list]]:
    """Extract gettext calls from the templates: (msgid, context, locations, comments)."""
    found = []
    seen: set[str] = set()
    for directory in template_dirs:
        for path in sorted(directory.glob("*.html")):
            if path.name in seen:  # a project's own template replaces the built-in one
                continue
            seen.add(path.name)
            from babel.messages.extract import extract_from_file  # here: a build reads no template strings
            try:
                # silent "false": Jinja's extractor would otherwise return nothing for a template it cannot
                # parse, and update would send all of its strings, translations and all, to the obsolete section.
                messages = list(extract_from_file(
                    "jinja2", str(path), keywords=TEMPLATE_KEYWORDS, comment_tags=("Translators:",),
                    options={"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "true",
                             "silent": "false"}))
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(Problem(_template_reference(path, root), exc.lineno,
                                            f"template syntax error: {exc.message}",
                                            "fix the template tag on this line")) from None
            for lineno, message, comments, context in messages:
                found.append((message, context, [(_template_reference(path, root), lineno)], comments))
    return found


def _template_reference(path: Path, root: Path) -> str:
    """Name a template in a source reference: project-relative, or songphasa/templates/ for built-in ones.

    A built-in template is named the same wherever the package is installed.
    """
    if path.resolve().is_relative_to(BUILTIN_TEMPLATES.resolve()):
        return f"songphasa/templates/{path.resolve().relative_to(BUILTIN_TEMPLATES.resolve()).as_posix()}"
    return relative(path, root)


def build_template(content: Any, project: Project) -> Catalog:
    """Make the message template (.pot) from the content and the templates."""
    catalog = _new_catalog(content, locale=None)
    for text in content_texts(content):
        catalog.add(text.source, context=text.context, locations=[(text.file, text.line)],
                    auto_comments=[c for c in [comment_for(text.context)] if c])
    for message, context, locations, comments in template_messages(project.template_dirs, project.root):
        existing = catalog.get(message, context)
        if existing is not None:
            existing.locations.extend(locations)
        else:
            catalog.add(message, context=context, locations=locations, auto_comments=comments)
    _settle_flags(catalog)
    return catalog


HEADER = """\
# Translations of {title}.
# Made by Songphasa from content/ and templates/: do not edit the .pot by hand;
# translate the .po files with Poedit, Weblate or any gettext editor.
#"""


def _new_catalog(content: Any, locale: str | None) -> Catalog:
    title = content.event.short_title.source
    return Catalog(locale=locale, project=title, version="1", copyright_holder=None,
                   header_comment=HEADER.format(title=title), msgid_bugs_address="", charset="utf-8",
                   creation_date=_fixed_date(), revision_date=_fixed_date(), fuzzy=False)


def _fixed_date() -> dt.datetime:
    """A date for catalog headers that does not churn: SOURCE_DATE_EPOCH or a constant."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)


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

    def whole(match: re.Match) -> str:
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


def extract(content: Any, project: Project) -> Path:
    """Write locales/messages.pot; untouched when nothing changed."""
    catalog = build_template(content, project)
    atomic_write(project.pot_path, po_text(catalog, template=True))
    return project.pot_path


# --- reading ---------------------------------------------------------------------

def read_po_bytes(path: Path, root: Path) -> bytes:
    """Read a PO file's bytes: a regular file (no pipe, no device), inside the project when it lies in it.

    A file named from elsewhere (a memory given to `tm import`) is checked
    against its own folder.
    """
    inside = os.path.abspath(path).startswith(os.path.join(os.path.abspath(root), ""))
    try:
        return read_input(path, root if inside else Path(os.path.abspath(path)).parent)
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
        raise CatalogError([Problem(name, later, f"this entry has the same msgctxt and msgid as the entry at line {first}",
                                    f"keep one of the two (lines {first} and {later}) with the right translation and "
                                    "delete the other")
                            for first, later in catalog.duplicates])
    _settle_flags(catalog)
    for message in [*catalog, *catalog.obsolete.values()]:
        message.user_comments = _without_previous(message.user_comments)
    _attach_previous(catalog, text)
    unholdable = _unholdable_translations(catalog, text)
    if unholdable:
        raise CatalogError([Problem(name, line, f"a translation holds the invisible control character {character}, "
                                    "which Word documents cannot hold", "delete it")
                            for line, character in unholdable])
    return catalog


class _Lines:
    """The lines of a PO text, remembering how far the parser has read (for a message's line)."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")  # not splitlines(): U+000B is no line end
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        for self.number, line in enumerate(self.lines, start=1):
            yield line


class _RecordingCatalog(Catalog):
    """A catalog that notes an entry read twice (Babel would keep one of the two without a word)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[tuple[int, int]] = []

    def __setitem__(self, id: Any, message: Message) -> None:
        key = self._key_for(id, message.context)
        existing = self._messages.get(key)
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


def is_template_string(message: Message) -> bool:
    """Tell whether an entry comes from a template (Jinja formats those with %, content it does not)."""
    return any(str(file).endswith(".html") for file, _ in message.locations)


def _settle_flags(catalog: Catalog) -> None:
    """Keep python-format only on template strings.

    Babel flags any text with a % sign followed by a letter as python-format
    ("100% of districts"), and msgfmt --check then demands the same % codes
    in the translation; content is never %-formatted, so it is no format string.
    """
    for message in catalog:
        if message.id and message.locations and not is_template_string(message):
            message.flags.discard("python-format")


def _unholdable_translations(catalog: Catalog, text: str) -> list[tuple[int, str]]:
    """Find translations with a control character (it would stop the DOCX writer): its line and name."""
    lines = text.split("\n")
    found = []
    for message in catalog:
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string or "",)
        character = message.id and message.lineno and unholdable_character("".join(strings))
        if not character:
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
        above = []
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


def language_files(project: Project) -> dict[str, Path]:
    """Return the PO file of every language found under locales/."""
    return {p.parent.parent.name: p for p in sorted(project.locales.glob("*/LC_MESSAGES/messages.po"))}


def check_languages(project: Project, declared: Iterable[str]) -> list[Problem]:
    """Report PO files for languages the event does not declare."""
    declared = set(declared)
    problems = []
    for lang, path in language_files(project).items():
        if lang not in declared:
            problems.append(Problem(relative(path, project.root), None,
                                    f"translations for '{lang}', a language the event does not declare (not built)",
                                    f"add '{lang}' to settings.languages in content/event.yaml, or remove this folder",
                                    "warning"))
    return problems


# --- update --------------------------------------------------------------------------

@dataclass
class UpdateReport:
    """What an update did to one language's catalog."""

    kept: int = 0
    fuzzy: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    new: int = 0
    obsolete: list[str] = field(default_factory=list)
    from_memory: int = 0


def _key(message: Message) -> tuple[str | None, Any]:
    return (message.context, message.id)


def _first_id(msgid: Any) -> str:
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def _has_translation(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return any(s for s in strings)


def merge(old: Catalog, template: Catalog) -> tuple[Catalog, UpdateReport]:
    """Merge a template into a language's catalog without losing any translation."""
    report = UpdateReport()
    # The header names the event as content/ does now ("Your Workshop" of a new project gives way to its title);
    # a header comment a translator wrote is theirs and stays.
    ours = old.header_comment.strip() == HEADER.format(title=old.project).strip()
    new = Catalog(locale=old.locale, domain=old.domain,
                  header_comment=template.header_comment if ours else old.header_comment,
                  project=template.project or old.project, version=old.version, copyright_holder=old.copyright_holder,
                  msgid_bugs_address=old.msgid_bugs_address, creation_date=old.creation_date,
                  revision_date=old.revision_date, last_translator=old.last_translator,
                  language_team=old.language_team, charset="utf-8", fuzzy=False)
    new._num_plurals, new._plural_expr = old._num_plurals, old._plural_expr  # keep the translator's Plural-Forms
    old_active = {_key(m): m for m in old if m.id}
    old_all = dict(old_active)
    for m in old.obsolete.values():
        old_all.setdefault(_key(m), m)
    by_id: dict[str, list[Message]] = {}
    by_context: dict[str, Message] = {}
    for m in old_all.values():
        if _has_translation(m):
            by_id.setdefault(_first_id(m.id), []).append(m)
        if m.context and m.context not in by_context:
            by_context[m.context] = m
    used: set[tuple] = set()

    def carry(source: Message, target: Message, *, fuzzy: bool) -> None:
        target.string = source.string if isinstance(target.id, (tuple, list)) == isinstance(source.id, (tuple, list)) \
            else (_first_id(source.string) if not isinstance(target.id, (tuple, list)) else (source.string,) * 2)
        target.user_comments = list(source.user_comments)
        keep = {f for f in source.flags if f != "fuzzy"}
        target.flags = keep | ({"fuzzy"} if fuzzy else set())
        if fuzzy:
            target.previous_id = [source.id] if not isinstance(source.id, (tuple, list)) else list(source.id)
        elif "fuzzy" in source.flags:
            target.flags.add("fuzzy")
            target.previous_id = list(source.previous_id)

    pending = []
    for tmpl in template:
        if not tmpl.id:
            continue
        message = Message(tmpl.id, "", locations=list(tmpl.locations), flags=set(tmpl.flags) - {"fuzzy"},
                          auto_comments=list(tmpl.auto_comments), context=tmpl.context)
        new[tmpl.id] = message
        exact = old_all.get(_key(tmpl))
        if exact is not None:
            carry(exact, message, fuzzy=False)
            used.add(_key(exact))
            if _has_translation(exact):
                report.kept += 1
            continue
        pending.append(message)

    for message in pending:  # the same English under another id: it moved
        candidates = [m for m in by_id.get(_first_id(message.id), []) if "fuzzy" not in m.flags] \
            or by_id.get(_first_id(message.id), [])
        if candidates:
            source = next((m for m in candidates if _key(m) not in used), candidates[0])
            carry(source, message, fuzzy=False)
            used.add(_key(source))
            report.moved.append(message.context or _first_id(message.id))
    for message in pending:  # same id, new English: keep the translation, fuzzy
        if _has_translation(message) or message.context is None:
            continue
        source = by_context.get(message.context)
        if source is not None and _key(source) not in used and _has_translation(source):
            carry(source, message, fuzzy=True)
            used.add(_key(source))
            report.fuzzy.append(message.context)
    for message, source in align_prose([m for m in pending if not _has_translation(m)],
                                       [m for key, m in old_all.items() if key not in used and _has_translation(m)]):
        carry(source, message, fuzzy=True)  # an edited paragraph: its own translation, for review
        used.add(_key(source))
        report.fuzzy.append(message.context or _first_id(message.id))
    report.new = sum(1 for m in pending if not _has_translation(m))
    _settle_flags(new)

    for key, m in old_all.items():
        if key in used or not m.id:
            continue
        if key in new._messages or (m.context is None and new.get(m.id) is not None):
            continue
        if _has_translation(m):  # an untranslated entry that went away holds nothing to keep
            new.obsolete[new._key_for(m.id, m.context)] = Message(
                m.id, m.string, context=m.context, flags=set(m.flags),
                user_comments=list(m.user_comments), previous_id=list(m.previous_id))
            if key in old_active:
                report.obsolete.append(m.context or _first_id(m.id))
    return new, report


#: How alike (share of words in order) an edited paragraph must be to its old version.
PROSE_SIMILARITY = 0.6


def _is_prose(message: Message) -> bool:
    return any(file.endswith(".md") for file, _ in message.locations)


def align_prose(new: list[Message], old: list[Message]) -> list[tuple[Message, Message]]:
    """Pair edited prose with its old version by content: the most alike pairs first.

    A paragraph's id is made of its text, so an edited paragraph has a new id:
    its old entry is the one whose English it resembles most, in the same
    document, and only when most of the words are the same. A paragraph that
    resembles none stays untranslated and the old one goes to the obsolete
    section; a translation never goes to a neighbour because it happens to sit
    where the paragraph was.
    """
    new = [m for m in new if _is_prose(m) and m.context]
    documents = {m.context.split(".", 1)[0] for m in new}
    old = [m for m in old if m.context and m.context.split(".", 1)[0] in documents
           and not isinstance(m.id, (tuple, list))]
    pairs = []
    for i, message in enumerate(new):
        words = message.id.split()
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)
        for j, candidate in enumerate(old):
            if candidate.context.split(".", 1)[0] != message.context.split(".", 1)[0]:
                continue
            matcher.set_seq1(candidate.id.split())
            if matcher.real_quick_ratio() < PROSE_SIMILARITY or matcher.quick_ratio() < PROSE_SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= PROSE_SIMILARITY:
                pairs.append((-ratio, i, j))
    taken_new: set[int] = set()
    taken_old: set[int] = set()
    result = []
    for _, i, j in sorted(pairs):
        if i in taken_new or j in taken_old:
            continue
        taken_new.add(i)
        taken_old.add(j)
        result.append((new[i], old[j]))
    return result


def update(content: Any, project: Project) -> dict[str, UpdateReport]:
    """Write the .pot and merge it into every language's catalog, all files or none."""
    template, merged, reports = plan_update(content, project)
    files: dict[Path, str] = {project.pot_path: po_text(template, template=True)}
    files.update({project.po_path(lang): po_text(catalog) for lang, catalog in merged.items()})
    atomic_write_all(files)
    return reports


def plan_update(content: Any, project: Project) -> tuple[Catalog, dict[str, Catalog], dict[str, UpdateReport]]:
    """Return the template and every language's merged catalog as `update` would write them."""
    template = build_template(content, project)
    merged: dict[str, Catalog] = {}
    reports = {}
    for lang in content.event.settings.catalog_languages:
        path = project.po_path(lang)
        if path.exists():
            old = read_catalog(path, project.root, locale=lang)
        else:
            old = _start_catalog(content, lang)
        merged[lang], reports[lang] = merge(old, template)
        if not path.exists():  # a new language's catalog starts as `init` starts it
            from .memory import apply, interface_units
            reports[lang].from_memory = len(apply(merged[lang], interface_units(lang)).translated)
            reports[lang].new = sum(1 for m in merged[lang] if m.id and not _has_translation(m))
    return template, merged, reports


def _start_catalog(content: Any, lang: str) -> Catalog:
    """Return an empty catalog for a target language, or say the code is not one."""
    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        raise CatalogError(Problem("songphasa", None, f"'{lang}' is not a language code Babel knows",
                                   "use a code such as lo, th, km, vi or fr")) from None
    catalog = _new_catalog(content, locale=lang)
    catalog.language_team = f"{locale.english_name} <>"
    return catalog


def init(content: Any, project: Project, lang: str, *, template: Catalog | None = None) -> UpdateReport:
    """Start the catalog of a new target language from the template."""
    path = project.po_path(lang)
    if path.exists():
        raise CatalogError(Problem(relative(path, project.root), None, f"a catalog for '{lang}' already exists",
                                   "use `python build.py update` to bring it up to date"))
    catalog = _start_catalog(content, lang)
    template = template or build_template(content, project)
    merged, report = merge(catalog, template)
    from .memory import apply, interface_units  # the tool's own strings come translated where it ships them
    filled = apply(merged, interface_units(lang))
    report.from_memory = len(filled.translated)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, po_text(merged))
    report.new = sum(1 for m in merged if m.id and not _has_translation(m))
    return report


# --- compile and count -----------------------------------------------------------------

#: A content string's placeholder, matched loosely: a translated name ({ຊື່}) is one too (as in qa.py).
_BRACES = re.compile(r"\{[^{}\s]+\}")


def brace_placeholder_error(source: str, translation: str) -> str | None:
    """Say why a content string's translation cannot be filled in like its English (None if it can).

    Every {name} of the English must be there as often; a name the English lacks (a translated or broken
    one) would stop the build or print as it is written.
    """
    want, have = _BRACES.findall(source), _BRACES.findall(translation)
    said = []
    for name in dict.fromkeys(want):
        if have.count(name) == 0:
            said.append(f"placeholder '{name}' is missing from the translation")
        elif have.count(name) != want.count(name):
            said.append(f"placeholder '{name}' appears {want.count(name)} time(s) in the English "
                        f"but {have.count(name)} in the translation")
    for name in dict.fromkeys(have):
        if name not in want:
            said.append(f"the translation has placeholder '{name}', which the English does not have")
    return "; ".join(said) or None


def unusable_translations(catalog: Catalog) -> list[tuple[Message, str]]:
    """The translated entries the documents cannot use as written, and why.

    A template string whose translation cannot be %-formatted would stop the build; a content string
    missing one of its {placeholders} would drop a date or a name from the page, or print a broken one.
    The documents show their English, marked, and the build names each entry's line.
    """
    found = []
    for m in catalog:
        if not m.id or not _has_translation(m):
            continue
        if is_template_string(m):
            strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
            ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
            reason = next((e for e in (percent_format_error(" ".join(ids), s) for s in strings if s) if e), None)
        elif "{" in _first_id(m.id) or "{" in _first_id(m.string):
            reason = brace_placeholder_error(_first_id(m.id), _first_id(m.string))
        else:
            continue
        if reason:
            found.append((m, reason))
    return found


def compile_catalog(catalog: Catalog, mo_path: Path,
                    unusable: list[tuple[Message, str]] | None = None) -> dict[tuple[str | None, str], str]:
    """Compile a catalog to .mo (fuzzy entries left out, as msgfmt does) and load it back.

    The entries of ``unusable`` (by default: ``unusable_translations(catalog)``) are left out of the lookup.
    """
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    if not mo_path.exists() or mo_path.read_bytes() != data:
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(mo_path, data)
    compiled = read_mo(io.BytesIO(data))
    # write_mo fills an untranslated plural with the English: it is not a translation.
    not_usable = {(m.context, m.id[0]) for m in catalog
                            if isinstance(m.id, (tuple, list)) and not _has_translation(m)}
    # A translation that cannot be filled in: the documents show its English, marked.
    unusable = unusable_translations(catalog) if unusable is None else unusable
    not_usable |= {(m.context, _first_id(m.id)) for m, _ in unusable}
    lookup: dict[tuple[str | None, str], str] = {}
    for message in compiled:
        if not message.id:
            continue
        if isinstance(message.context, bytes):  # Babel's read_mo leaves msgctxt undecoded
            message.context = message.context.decode("utf-8")
        if isinstance(message.id, (tuple, list)):
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            if strings and strings[0] and (message.context, message.id[0]) not in not_usable:
                lookup[(message.context, message.id[0])] = strings[0]
        elif message.string and (message.context, message.id) not in not_usable:
            lookup[(message.context, message.id)] = message.string
    return lookup


def percent_format_error(source: str, translation: str, *, names: bool = True) -> str | None:
    """Say why a template string's translation cannot be %-formatted like its English (None if it can).

    Jinja formats every template string with %, placeholders or not: a lone
    "100%" or a misspelt %(name)s would stop the build. With ``names=False`` a
    misspelt name is left to the placeholders check, which names it already.
    """
    known = set(re.findall(r"%\(([^)]*)\)", source))
    try:
        translation % {name: 0 for name in known}
    except KeyError as exc:
        if not names:
            return None
        return f"the translation has the placeholder %({exc.args[0]})s, which the English text does not have"
    except (ValueError, TypeError):
        return "the translation has a % sign that is not a placeholder"
    return None


@dataclass(frozen=True)
class Coverage:
    """How much of a catalog is translated; fuzzy counts as not translated."""

    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    def percent(self, part: int) -> float:
        return 100.0 * part / self.total if self.total else 100.0


def coverage(catalog: Catalog) -> Coverage:
    """Count translated, fuzzy and untranslated entries as msgfmt --statistics does."""
    translated = fuzzy = untranslated = 0
    for message in catalog:
        if not message.id:
            continue
        if not _has_translation(message):
            untranslated += 1
        elif "fuzzy" in message.flags:
            fuzzy += 1
        else:
            translated += 1
    return Coverage(translated, fuzzy, untranslated)


# --- the content extractor for pybabel ------------------------------------------------------

def babel_extract(fileobj: Any, keywords: Any, comment_tags: Any, options: dict) -> Iterator[tuple]:
    """Extract content strings for `pybabel extract` (entry point `babel.extractors`: songphasa).

    Yields what Babel expects: (line, "pgettext", (msgctxt, msgid), comments), so
    `pybabel extract -F babel.cfg` gives the same entries as `python build.py extract`.
    """
    from .content.load import load_event

    path = Path(getattr(fileobj, "name", "")).resolve()
    root = path.parent.parent  # content/<file> inside the event project
    # One code path with `build.py extract`: load the whole event, keep this file's strings.
    name = relative(path, root)
    texts = [t for t in content_texts(load_event(root)) if t.file == name]
    for text in texts:
        comment = comment_for(text.context)
        yield text.line, "pgettext", (text.context, text.source), [comment] if comment else []
