"""What the translation tests share: run a command on a project as a user does, read and edit its files."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path
from unittest import mock

from babel.messages.catalog import Catalog

from songphasa.cli import main
from songphasa.i18n.po import read_catalog

from ..conftest import REPO

#: A project's catalog of its (first) target language, relative to the project.
PO = Path("locales") / "lo" / "LC_MESSAGES" / "messages.po"


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a command on a project, in this process (what `python build.py --project PROJECT …` does).

    Its exit status and what it printed come back as a finished process's would, the program named as
    build.py names it in hints: a second process would only add its start-up time.
    """
    out, err = io.StringIO(), io.StringIO()
    argv = [str(REPO / "build.py"), "--project", str(project), *args]
    with mock.patch.object(sys, "argv", argv), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv[1:])
        except SystemExit as exc:  # argparse refusing the command line, or --help
            status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())


def po_of(project: Path, lang: str = "lo") -> Catalog:
    """Read a project's catalog of one language."""
    return read_catalog(project / "locales" / lang / "LC_MESSAGES" / "messages.po", project, locale=lang)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of a text in a file (which must hold it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """Return the number of the first line of a file that starts with a text."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if line.startswith(text))
