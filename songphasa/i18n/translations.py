"""Every declared language's catalog, read and compiled: what a build translates with."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from .. import catalogs
from ..errors import CatalogError, Problem, relative
from ..content.event import EventContent
from ..project import Project


@dataclass
class Translations:
    """The catalogs of an event: parsed PO files and compiled lookups."""

    catalogs: dict[str, Catalog]
    lookups: dict[str, dict]
    warnings: list[Problem] = field(default_factory=list)


#: Catalogs read and compiled before, by file and language: the PO's bytes, the catalog, the lookup, its warnings.
Known = dict[tuple[Path, str], tuple[bytes, Catalog, dict, list[Problem]]]


def load_translations(project: Project, content: EventContent, known: Known | None = None) -> Translations:
    """Read every declared language's catalog and compile it (.mo, fuzzy left out).

    A catalog folder for a language the event does not declare is a warning.
    ``known``: catalogs read before (a session keeps them): one whose file has
    the same bytes is not read again.
    """
    known = {} if known is None else known
    declared = content.event.settings.catalog_languages
    warnings = catalogs.check_languages(project, declared)
    problems: list[Problem] = []
    loaded: dict[str, Catalog] = {}
    lookups: dict[str, dict] = {}
    for lang in declared:
        path = project.po_path(lang)
        if not path.exists():
            problems.append(Problem(relative(path, project.root), None, f"no translation catalog for '{lang}'",
                                    f"run `python build.py init {lang}` to start one"))
            continue
        try:
            data: bytes | None = catalogs.read_po_bytes(path, project.root)  # never a pipe or a link out
        except (OSError, CatalogError):
            data = None  # read_catalog says what is wrong
        seen = known.get((path, lang))
        if seen is not None and data is not None and seen[0] == data and project.mo_path(lang).is_file():
            loaded[lang], lookups[lang] = seen[1], seen[2]  # `watch`: this catalog did not change
            warnings.extend(seen[3])
            continue
        try:
            loaded[lang] = catalogs.read_catalog(path, project.root, locale=lang)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        unusable = catalogs.unusable_translations(loaded[lang])
        lookups[lang] = catalogs.compile_catalog(loaded[lang], project.mo_path(lang), unusable)
        # Said on every build, drafts too: a reviewer must not take the marked English for a missing translation.
        po = relative(path, project.root)
        unused = [Problem(po, message.lineno, f"[{lang}] this translation is not used: {reason}",
                        "correct the entry; until then the documents show the English, marked", "warning")
                for message, reason in unusable]
        warnings.extend(unused)
        if data is not None:
            known[(path, lang)] = (data, loaded[lang], lookups[lang], unused)
    if problems:
        raise CatalogError(problems)
    return Translations(loaded, lookups, warnings)
