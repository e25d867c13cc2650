"""The translations a build uses: every declared language's catalog, read and compiled.

A long-lived process (`watch`) keeps what it read in a :data:`Known` it owns
and hands it in again: a catalog whose bytes did not change is not read and
compiled a second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog

from .. import languages
from ..errors import CatalogError, Problem, relative
from ..project import Project
from .compile import Lookup, compile_catalog, unusable_translations
from .po import read_catalog, read_po_bytes

if TYPE_CHECKING:  # the settings it reads; the models never import this module
    from ..content.event import EventContent


@dataclass
class Translations:
    """The catalogs of an event: parsed PO files and compiled lookups."""

    catalogs: dict[str, Catalog]
    lookups: dict[str, Lookup]
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Compiled:
    """One catalog as it was read and compiled: the PO file's bytes, the catalog, its lookup, its warnings."""

    data: bytes
    catalog: Catalog
    lookup: Lookup
    warnings: tuple[Problem, ...]


#: The catalogs a process has read, by PO file and language; its owner keeps it from one build to the next.
Known = dict[tuple[Path, str], Compiled]


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


def load_translations(project: Project, content: EventContent, known: Known | None = None) -> Translations:
    """Read the catalog of every declared language and compile it (.mo, fuzzy left out).

    A catalog folder for a language the event does not declare is a warning; so is, on every build,
    a translation the documents cannot use. ``known``: the catalogs read before, used again while their
    bytes are the same, and given those read now.
    """
    declared = content.event.settings.catalog_languages
    source_lang = content.event.settings.source_language
    warnings = check_languages(project, declared)
    problems: list[Problem] = []
    loaded: dict[str, Catalog] = {}
    lookups: dict[str, Lookup] = {}
    for lang in declared:
        path = project.po_path(lang)
        if not path.exists():
            problems.append(Problem(relative(path, project.root), None, f"no translation catalog for '{lang}'",
                                    f"run `python build.py init {lang}` to start one"))
            continue
        try:
            data: bytes | None = read_po_bytes(path, project.root)  # never a pipe or a link out
        except (OSError, CatalogError):
            data = None  # read_catalog says what is wrong
        before = known.get((path, lang)) if known is not None else None
        if before is not None and before.data == data and project.mo_path(lang).is_file():
            loaded[lang], lookups[lang] = before.catalog, before.lookup  # `watch`: this catalog did not change
            warnings.extend(before.warnings)
            continue
        try:
            loaded[lang] = read_catalog(path, project.root, locale=lang)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        unusable = unusable_translations(loaded[lang], source_lang)
        lookups[lang] = compile_catalog(loaded[lang], project.mo_path(lang), unusable)
        # Said on every build, drafts too: a reviewer must not take the marked source text for a missing translation.
        po = relative(path, project.root)
        shown = languages.get(source_lang).name
        unused = tuple(Problem(po, message.lineno, f"[{lang}] this translation is not used: {reason}",
                               f"correct the entry; until then the documents show the {shown}, marked", "warning")
                       for message, reason in unusable)
        warnings.extend(unused)
        if known is not None and data is not None:
            known[(path, lang)] = Compiled(data, loaded[lang], lookups[lang], unused)
    if problems:
        raise CatalogError(problems)
    return Translations(loaded, lookups, warnings)
