"""Where an event project's files are, and how files are written safely.

An event project is a folder with content/ and locales/ (and optionally its
own templates/, which take precedence over the built-in ones). The
repository's root is the sample event project.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import ContentError, Problem
from .files import check_input, read_input

#: The templates that come with Songphasa, shipped inside the package (a wheel has them too).
BUILTIN_TEMPLATES = Path(str(resources.files("songphasa") / "templates"))


@dataclass(frozen=True)
class Project:
    """The folders and files of one event project."""

    root: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        """Open the event project in a folder, or say why it is not one."""
        root = root.resolve()
        if not (root / "content").is_dir():
            raise ContentError(Problem(str(root.name or root), None, "this folder is not an event project: it has no content/ folder",
                                       "run the command in the project folder or pass --project DIR"))
        return cls(root)

    @staticmethod
    def looks_like(root: Path) -> bool:
        """Tell whether a folder is an event project (without saying why not)."""
        return (root / "content").is_dir()

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def cache(self) -> Path:
        """Where builds keep what they can reuse (compiled templates, DOCX); safe to delete."""
        return self.root / ".songphasa-cache"

    @property
    def pot_path(self) -> Path:
        return self.locales / "messages.pot"

    def po_path(self, lang: str) -> Path:
        return self.locales / lang / "LC_MESSAGES" / "messages.po"

    def mo_path(self, lang: str) -> Path:
        return self.locales / lang / "LC_MESSAGES" / "messages.mo"

    @property
    def template_dirs(self) -> list[Path]:
        own = self.root / "templates"
        dirs = [own] if own.is_dir() else []
        if BUILTIN_TEMPLATES.resolve() != own.resolve():
            dirs.append(BUILTIN_TEMPLATES)
        return dirs

    def find_template_file(self, name: str) -> Path:
        """Return a non-Jinja file of the templates (stylesheet, reference.docx, fonts).

        A project's own file must be a regular file inside its templates/ folder.
        """
        for directory in self.template_dirs:
            if os.path.lexists(directory / name):
                if directory.resolve() != BUILTIN_TEMPLATES.resolve():
                    check_input(directory / name, self.root, folder=(directory / name).is_dir())
                return directory / name
        raise ContentError(Problem(f"templates/{name}", None, "file not found", "restore it from the Songphasa repository"))

    def read_template_file(self, path: Path) -> bytes | None:
        """Read a file of the templates (None when absent); a project's own only if it is a regular file in it."""
        if not os.path.lexists(path):
            return None
        if any(Path(os.path.abspath(path)).is_relative_to(builtin) for builtin in (BUILTIN_TEMPLATES, BUILTIN_TEMPLATES.resolve())):
            return path.read_bytes()
        return read_input(path, self.root)
