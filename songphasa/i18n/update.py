"""Bring every language's catalog up to date with the template, without losing a translation; start a new one.

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

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog, Message

from ..errors import CatalogError, Problem, relative
from ..files import atomic_write, atomic_write_all
from ..project import Project
from .extract import CatalogSource, build_template
from .memory import Unit, apply, interface_units
from .po import HEADER, MessageId, entry_key, first, has_translation, new_catalog, po_text, read_catalog, settle_flags
from .similar import nearest

#: How alike (share of words in order) an edited paragraph must be to its old version.
PROSE_SIMILARITY = 0.6
#: How many of its most alike old paragraphs an edited one may take (when the best is taken by a closer pair).
CHOICES = 8


@dataclass
class UpdateReport:
    """What an update did to one language's catalog."""

    kept: int = 0
    fuzzy: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    new: int = 0
    obsolete: list[str] = field(default_factory=list)
    from_memory: int = 0


def _key(message: Message) -> tuple[str | None, MessageId]:
    return (message.context, message.id)


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
    plural_forms = dict(old.mime_headers).get("Plural-Forms")
    if plural_forms:  # keep the translator's Plural-Forms
        new.mime_headers = [("Plural-Forms", plural_forms)]
    old_active = {_key(m): m for m in old if m.id}
    old_all = dict(old_active)
    for m in old.obsolete.values():
        old_all.setdefault(_key(m), m)
    by_id: dict[str, list[Message]] = {}
    by_context: dict[str, Message] = {}
    for m in old_all.values():
        if has_translation(m):
            by_id.setdefault(first(m.id), []).append(m)
        if m.context and m.context not in by_context:
            by_context[m.context] = m
    used: set[tuple[str | None, MessageId]] = set()

    def carry(source: Message, target: Message, *, fuzzy: bool) -> None:
        plural = isinstance(target.id, (tuple, list))
        if plural == isinstance(source.id, (tuple, list)):
            target.string = source.string
        else:  # a singular's translation for both forms of a plural, or a plural's first form for a singular
            target.string = (first(source.string),) * 2 if plural else first(source.string)
        target.user_comments = list(source.user_comments)
        keep = {f for f in source.flags if f != "fuzzy"}
        target.flags = keep | ({"fuzzy"} if fuzzy else set())
        if fuzzy:
            target.previous_id = [source.id] if isinstance(source.id, str) else list(source.id)
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
            if has_translation(exact):
                report.kept += 1
            continue
        pending.append(message)

    for message in pending:  # the same English under another id: it moved
        candidates = [m for m in by_id.get(first(message.id), []) if "fuzzy" not in m.flags] \
            or by_id.get(first(message.id), [])
        if candidates:
            source = next((m for m in candidates if _key(m) not in used), candidates[0])
            carry(source, message, fuzzy=False)
            used.add(_key(source))
            report.moved.append(message.context or first(message.id))
    for message in pending:  # same id, new English: keep the translation, fuzzy
        if has_translation(message) or message.context is None:
            continue
        known = by_context.get(message.context)
        if known is not None and _key(known) not in used and has_translation(known):
            carry(known, message, fuzzy=True)
            used.add(_key(known))
            report.fuzzy.append(message.context)
    for message, known in align_prose([m for m in pending if not has_translation(m)],
                                      [m for key, m in old_all.items() if key not in used and has_translation(m)]):
        carry(known, message, fuzzy=True)  # an edited paragraph: its own translation, for review
        used.add(_key(known))
        report.fuzzy.append(message.context or first(message.id))
    report.new = sum(1 for m in pending if not has_translation(m))
    settle_flags(new)

    for key, m in old_all.items():
        if key in used or not m.id or (m.context is None and new.get(m.id) is not None):
            continue
        if has_translation(m):  # an untranslated entry that went away holds nothing to keep
            new.obsolete[entry_key(m.id, m.context)] = Message(
                m.id, m.string, context=m.context, flags=set(m.flags),
                user_comments=list(m.user_comments), previous_id=list(m.previous_id))
            if key in old_active:
                report.obsolete.append(m.context or first(m.id))
    return new, report


def _is_prose(message: Message) -> bool:
    return any(file.endswith(".md") for file, _ in message.locations)


def _document(message: Message) -> str:
    """Name the document a content string belongs to: the first part of its msgctxt."""
    return (message.context or "").split(".", 1)[0]


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
    mine: dict[str, list[int]] = {}
    for i, message in enumerate(new):
        mine.setdefault(_document(message), []).append(i)
    theirs: dict[str, list[Message]] = {}
    for candidate in old:
        if candidate.context and _document(candidate) in mine and isinstance(candidate.id, str):
            theirs.setdefault(_document(candidate), []).append(candidate)
    old, start = [], {}
    for document in sorted(theirs):  # one list, each document's candidates from start[document] on
        start[document] = len(old)
        old += theirs[document]
    pairs = []
    for document, numbers in sorted(mine.items()):
        candidates = theirs.get(document, [])
        found = nearest([first(new[i].id) for i in numbers], [first(m.id) for m in candidates],
                        cutoff=PROSE_SIMILARITY, by_words=True, limit=CHOICES)
        pairs += [(-ratio, i, start[document] + j) for i, near in zip(numbers, found) for ratio, j in near]
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


def update(source: CatalogSource, project: Project) -> dict[str, UpdateReport]:
    """Write the .pot and merge it into every language's catalog, all files or none."""
    template, merged, reports = plan_update(source, project)
    files: dict[Path, str] = {project.pot_path: po_text(template, template=True)}
    files.update({project.po_path(lang): po_text(catalog) for lang, catalog in merged.items()})
    atomic_write_all(files, root=project.root)
    return reports


def plan_update(source: CatalogSource, project: Project,
                memo: dict | None = None) -> tuple[Catalog, dict[str, Catalog], dict[str, UpdateReport]]:
    """Return the template and every language's merged catalog as `update` would write them."""
    template = build_template(source, project, memo)
    merged: dict[str, Catalog] = {}
    reports = {}
    for lang in source.languages:
        path = project.po_path(lang)
        if path.exists():
            old = read_catalog(path, project.root, locale=lang)
        else:
            old = start_catalog(source, lang)
        merged[lang], reports[lang] = merge(old, template)
        if not path.exists():  # a new language's catalog starts as `init` starts it
            reports[lang].from_memory = len(apply(merged[lang], interface_units(lang), close=False).translated)
            reports[lang].new = sum(1 for m in merged[lang] if m.id and not has_translation(m))
    return template, merged, reports


def start_catalog(source: CatalogSource, lang: str) -> Catalog:
    """Return an empty catalog for a target language, or say the code is not one."""
    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        raise CatalogError(Problem("songphasa", None, f"'{lang}' is not a language code Babel knows",
                                   "use a code such as lo, th, km, vi or fr")) from None
    catalog = new_catalog(source.title, locale=lang)
    catalog.language_team = f"{locale.english_name} <>"
    return catalog


def init(source: CatalogSource, project: Project, lang: str, *, template: Catalog | None = None,
         memory: Sequence[Unit] = ()) -> UpdateReport:
    """Start the catalog of a new target language from the template; the tool's own strings come translated.

    ``memory``: more translations taken where the msgctxt and the source are the same (the starter's fixed lines).
    """
    path = project.po_path(lang)
    if path.exists():
        raise CatalogError(Problem(relative(path, project.root), None, f"a catalog for '{lang}' already exists",
                                   "use `python build.py update` to bring it up to date"))
    catalog = start_catalog(source, lang)
    template = template or build_template(source, project)
    merged, report = merge(catalog, template)
    report.from_memory = len(apply(merged, [*interface_units(lang), *memory], close=False).translated)
    atomic_write(path, po_text(merged), root=project.root)
    report.new = sum(1 for m in merged if m.id and not has_translation(m))
    return report
