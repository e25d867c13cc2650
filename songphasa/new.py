"""Start a new event project: ``songphasa new DIR``.

The starting files ship inside the package (``songphasa/starter/``), every one
commented so an organizer can see what to replace, with the JSON Schemas
their first lines name (an editor checks and completes the files as they
are typed). The new project is valid
as it is: it builds at once, with the Lao text shown marked as untranslated
until the translator fills in its catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import ContentError, Problem
from .files import atomic_write
from .i18n.memory import Unit
from .i18n.po import first, read_catalog
from .project import Project

STARTER = resources.files("songphasa") / "starter"


@dataclass(frozen=True)
class NewProject:
    """What ``new`` made: the project and the catalogs it started."""

    project: Project
    files: tuple[Path, ...]
    catalogs: dict[str, int]


def _starter_files() -> list[tuple[str, bytes]]:
    files = [(f"{folder}/{entry.name}", entry.read_bytes())
             for folder in ("content", "schemas") for entry in (STARTER / folder).iterdir() if entry.is_file()]
    # A dot file is left out of some package formats, so it ships without its dot.
    files.append((".gitignore", (STARTER / "gitignore").read_bytes()))
    return sorted(files)


def _starter_units(lang: str) -> list[Unit]:
    """The starter's own fixed lines in a language (a Lao letter's state name and motto), for its new catalog."""
    path = Path(str(STARTER / f"{lang}.po"))
    if not path.is_file():
        return []
    return [Unit(m.context, first(m.id), first(m.string), "the starter") for m in read_catalog(path, path.parent, locale=lang)
            if m.id and first(m.string)]


def new_project(root: Path) -> NewProject:
    """Make a commented, valid event project in a new or empty folder."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ContentError(Problem(str(root), None, "this folder already exists and is not empty",
                                   "give the name of a new folder, e.g. `songphasa new my-event`"))
    written = []
    for rel, data in _starter_files():
        atomic_write(root / rel, data)
        written.append(root / rel)
    from .content.load import load_event
    from .i18n.extract import build_template
    from .i18n.po import po_text
    from .i18n.sources import catalog_source
    from .i18n.update import init
    project = Project.at(root)
    content = load_event(project.root)
    source = catalog_source(content)
    template = build_template(source, project)
    atomic_write(project.pot_path, po_text(template, template=True))
    started = {lang: init(source, project, lang, template=template, memory=_starter_units(lang)).new
               for lang in content.event.settings.languages}
    return NewProject(project, tuple(written), started)


__all__ = ["NewProject", "new_project"]
