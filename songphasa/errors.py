"""One error family for everything a person can fix in their input.

Every problem knows where it is (file and line) and what to do about it, and
prints in the compiler format editors understand::

    content/agenda.yaml:42: unknown person 'zhu_j' — did you mean 'zhu'?

Stages collect all the problems they find and raise them together, so an
organizer fixes a whole file in one go instead of one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input, with its place and a way to fix it."""

    file: str
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        label = "warning: " if self.severity == "warning" else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"{where}: {label}{self.message}{hint}"


class SongphasaError(Exception):
    """Base of every error that is the user's to fix; never shown as a traceback."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("songphasa", None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(SongphasaError):
    """The event's content (YAML, Markdown) is not valid."""


class CatalogError(SongphasaError):
    """A translation catalog cannot be read or does not pass its checks."""


class TemplateError(SongphasaError):
    """A Jinja template has a syntax error or uses an undefined name."""


class ParityError(SongphasaError):
    """The two languages of one document do not have the same structure."""


class ReleaseError(SongphasaError):
    """A release build was asked for while translations or checks are incomplete."""


class ToolMissing(SongphasaError):
    """An external program (LibreOffice, msgfmt) is needed and not installed."""


def relative(path: Path, root: Path) -> str:
    """Name a file the way the user sees it: relative to the event project."""
    import os
    # By the path as written first: a link in the project is named by where it is, not where it leads.
    for where, base in ((os.path.abspath(path), os.path.abspath(root)), (path.resolve(), root.resolve())):
        try:
            return Path(where).relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()
