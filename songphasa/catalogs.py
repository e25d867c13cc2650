"""Translation catalogs: extract, update, init, read, compile, count (Babel).

Content strings carry a stable id as msgctxt (``people.zhu.position``,
``concept-note.objectives.2``); template strings are plain gettext calls.

``update`` is ours, not Babel's: Babel matches a changed string by how similar
its English is, so a long paragraph with a real edit loses its translation to
the obsolete section. Here a string whose msgctxt is unchanged keeps its
translation, marked fuzzy with the previous English recorded, however large
the edit; a string that moved (same English, new id) keeps its translation as
it is; and whatever is left goes to the obsolete section with its
translation. Nothing a translator wrote is dropped.
"""

from __future__ import annotations

import datetime as dt
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
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.messages.pofile import escape as po_escape
from babel.messages.pofile import unescape as po_unescape
from pydantic import BaseModel

from .content import MdSection, Text, unholdable_character
from .errors import CatalogError, Problem, relative
from .project import BUILTIN_TEMPLATES, Project, atomic_write

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
    from .recipients import recipient_texts  # the distribution pack's addressees and letter
    parts = [content.event, content.people, content.agenda, content.recommendations, content.concept_note,
             *recipient_texts(content)]
    return [t for part in parts for t in walk_texts(part)]


def template_messages(template_dirs: list[Path], root: Path) -> list[tuple[Any, str | None, list, list]]:
    """Extract gettext calls from the templates: (msgid, context, locations, comments)."""
    found = []
    seen: set[str] = set()
    for directory in template_dirs:
        for path in sorted(directory.glob("*.html")):
            if path.name in seen:  # a project's own template replaces the built-in one
                continue
            seen.add(path.name)
            for lineno, message, comments, context in extract_from_file(
                    "jinja2", str(path), keywords=TEMPLATE_KEYWORDS, comment_tags=("Translators:",),
                    options={"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "true"}):
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

def read_catalog(path: Path, root: Path, locale: str | None = None) -> Catalog:
    """Read a PO file; a syntax error becomes a plain message with its line."""
    name = relative(path, root)
    try:
        unclosed = _unclosed_quotes(path.read_bytes().decode("utf-8"))
        if unclosed:
            raise CatalogError([Problem(name, line, "the translation file cannot be read: a quoted string is not closed",
                                        'end the text with " on the same line (write a quote inside the text as \\")')
                                for line in unclosed])
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, abort_invalid=True)
        text = path.read_text(encoding="utf-8")
        _attach_previous(catalog, text)
        unholdable = _unholdable_translations(catalog, text)
        if unholdable:
            raise CatalogError([Problem(name, line, f"a translation holds the invisible control character {character}, "
                                        "which Word documents cannot hold", "delete it")
                                for line, character in unholdable])
        return catalog
    except PoFileError as exc:
        # Babel counts lines from 0 and appends " on <line>" to its message.
        line = exc.lineno + 1 if isinstance(getattr(exc, "lineno", None), int) else None
        message = str(exc).rsplit(" on ", 1)[0].strip()
        raise CatalogError(Problem(name, line, f"the translation file cannot be read: {message}",
                                   "open it in Poedit or a text editor and repair this line (quotes must be closed, "
                                   "every msgid needs a msgstr)")) from None
    except UnicodeDecodeError:
        raise CatalogError(Problem(name, None, "the translation file is not UTF-8",
                                   "save it as UTF-8 (Poedit does this by default)")) from None


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


_PO_STRING_LINE = re.compile(r'(?:#[~|]\s*)?(?:(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"')
_PO_STRING_START = re.compile(r'(?:#[~|]\s*)?(?:msgctxt|msgid|msgstr|")')


def _unclosed_quotes(text: str) -> list[int]:
    """Return the lines whose quoted string is not closed (Babel would silently cut its last letter)."""
    return [number for number, line in enumerate(text.split("\n"), start=1)  # not splitlines(): U+000B is no line end
            if _PO_STRING_START.match(line.strip()) and not _PO_STRING_LINE.fullmatch(line.strip())]


def _attach_previous(catalog: Catalog, text: str) -> None:
    """Read the "#| msgid" lines back into previous_id (Babel's reader drops them).

    Without this, the previous English a fuzzy entry records would vanish the
    next time the catalog is read and written.
    """
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
    new = Catalog(locale=old.locale, domain=old.domain, header_comment=old.header_comment,
                  project=old.project, version=old.version, copyright_holder=old.copyright_holder,
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
    report.new = sum(1 for m in pending if not _has_translation(m))

    for key, m in old_all.items():
        if key in used or not m.id:
            continue
        if key in new._messages or (m.context is None and new.get(m.id) is not None):
            continue
        if _has_translation(m) or key in old_active:
            new.obsolete[new._key_for(m.id, m.context)] = Message(
                m.id, m.string, context=m.context, flags=set(m.flags),
                user_comments=list(m.user_comments), previous_id=list(m.previous_id))
            if key in old_active:
                report.obsolete.append(m.context or _first_id(m.id))
    return new, report


def update(content: Any, project: Project) -> dict[str, UpdateReport]:
    """Write the .pot and merge it into every language's catalog (atomically)."""
    template = build_template(content, project)
    atomic_write(project.pot_path, po_text(template, template=True))
    reports = {}
    for lang in content.event.settings.catalog_languages:
        path = project.po_path(lang)
        if not path.exists():
            reports[lang] = init(content, project, lang, template=template)
            continue
        old = read_catalog(path, project.root, locale=lang)
        merged, reports[lang] = merge(old, template)
        atomic_write(path, po_text(merged))
    return reports


def init(content: Any, project: Project, lang: str, *, template: Catalog | None = None) -> UpdateReport:
    """Start the catalog of a new target language from the template."""
    path = project.po_path(lang)
    if path.exists():
        raise CatalogError(Problem(relative(path, project.root), None, f"a catalog for '{lang}' already exists",
                                   "use `python build.py update` to bring it up to date"))
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        raise CatalogError(Problem("songphasa", None, f"'{lang}' is not a language code Babel knows",
                                   "use a code such as lo, th, km, vi or fr")) from None
    template = template or build_template(content, project)
    catalog = _new_catalog(content, locale=lang)
    catalog.language_team = f"{Locale.parse(lang).english_name} <>"
    merged, report = merge(catalog, template)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, po_text(merged))
    report.new = sum(1 for m in merged if m.id)
    return report


# --- compile and count -----------------------------------------------------------------

def compile_catalog(catalog: Catalog, mo_path: Path) -> dict[tuple[str | None, str], str]:
    """Compile a catalog to .mo (fuzzy entries left out, as msgfmt does) and load it back."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    if not mo_path.exists() or mo_path.read_bytes() != data:
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(mo_path, data)
    compiled = read_mo(io.BytesIO(data))
    # write_mo fills an untranslated plural with the English: it is not a translation.
    untranslated_plurals = {(m.context, m.id[0]) for m in catalog
                            if isinstance(m.id, (tuple, list)) and not _has_translation(m)}
    lookup: dict[tuple[str | None, str], str] = {}
    for message in compiled:
        if not message.id:
            continue
        if isinstance(message.context, bytes):  # Babel's read_mo leaves msgctxt undecoded
            message.context = message.context.decode("utf-8")
        if isinstance(message.id, (tuple, list)):
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            if strings and strings[0] and (message.context, message.id[0]) not in untranslated_plurals:
                lookup[(message.context, message.id[0])] = strings[0]
        elif message.string:
            lookup[(message.context, message.id)] = message.string
    return lookup


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
    from .model import load_event

    path = Path(getattr(fileobj, "name", "")).resolve()
    root = path.parent.parent  # content/<file> inside the event project
    # One code path with `build.py extract`: load the whole event, keep this file's strings.
    name = relative(path, root)
    texts = [t for t in content_texts(load_event(root)) if t.file == name]
    for text in texts:
        comment = comment_for(text.context)
        yield text.line, "pgettext", (text.context, text.source), [comment] if comment else []
