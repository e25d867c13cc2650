"""The bad content inputs of tests/fixtures/content/, and what an organizer reads about each.

A fixture named ``<file>-<what>.<ext>`` (``agenda-items-overlap.yaml``) is
the sample's content file of that name (content/agenda.yaml) with one
mistake; a folder ``<what>/`` holds several files at their places in the
project (``content/…``), for mistakes in several files said in one run.
Beside each, ``<name>.expected`` holds the lines the build says, in order.
Adding a case is adding its two files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from songphasa.content.files import CONTENT_FILES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"


@dataclass(frozen=True)
class BadInput:
    """One bad input: the files it puts into a project, and the lines said about it."""

    name: str
    files: dict[str, bytes]  # project-relative path → bytes
    expected: list[str]

    def put(self, project: Path) -> None:
        """Write the fixture's files into a copy of the sample project."""
        for path, data in self.files.items():
            (project / path).parent.mkdir(parents=True, exist_ok=True)
            (project / path).write_bytes(data)


def _replaced(name: str) -> str:
    """Name the content file a one-file fixture replaces, from the start of its name."""
    found = [file.path for file in CONTENT_FILES if name.startswith(Path(file.path).stem + "-")]
    assert len(found) == 1, f"{name}: the name must start with one content file's name and '-'"
    return found[0]


def bad_inputs() -> list[BadInput]:
    """Return every fixture of tests/fixtures/content/, by name."""
    found = []
    for expected in sorted(FIXTURES.glob("*.expected")):
        folder = FIXTURES / expected.stem
        if folder.is_dir():
            files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
        else:
            [source] = [p for p in FIXTURES.glob(f"{expected.stem}.*") if p.suffix != ".expected"]
            files = {_replaced(expected.stem): source.read_bytes()}
        found.append(BadInput(expected.stem, files, expected.read_text(encoding="utf-8").splitlines()))
    assert len(found) > 50, "the fixtures were not found"
    return found
