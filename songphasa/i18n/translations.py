"""The translations a build uses: every declared language's catalog, read and compiled.

Read anew on every build, `watch`'s rounds too: keeping the catalogs of an
earlier round saved under 10 % of a round (bench/devices.py measured it
before it went).
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
from .po import read_catalog

if TYPE_CHECKING:  # the settings it reads; the models never import this module
    from ..content.event import EventContent


@dataclass
class Translations:
    """The catalogs of an event: parsed PO files and compiled lookups."""

    catalogs: dict[str, Catalog]
    lookups: dict[str, Lookup]
    warnings: list[Problem] = field(default_factory=list)


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


def load_translations(project: Project, content: EventContent) -> Translations:
    """Read the catalog of every declared language and compile it (.mo, fuzzy left out).

    A catalog folder for a language the event does not declare is a warning; so is, on every build,
    a translation the documents cannot use.
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
            loaded[lang] = read_catalog(path, project.root, locale=lang)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        unusable = unusable_translations(loaded[lang], source_lang)
        lookups[lang] = compile_catalog(loaded[lang], project.mo_path(lang), unusable)
        # Said on every build, drafts too: a reviewer must not take the marked source text for a missing translation.
        po = relative(path, project.root)
        shown = languages.get(source_lang).name
        warnings.extend(Problem(po, message.lineno, f"[{lang}] this translation is not used: {reason}",
                               f"correct the entry; until then the documents show the {shown}, marked", "warning")
                        for message, reason in unusable)
    if problems:
        raise CatalogError(problems)
    return Translations(loaded, lookups, warnings)
