"""What of an event is translated: the content's texts with their places, and the extractor pybabel calls."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from songphasa.content.load import load_event
from songphasa.i18n.extract import build_template
from songphasa.i18n.po import read_catalog
from songphasa.i18n.sources import catalog_source, content_texts
from songphasa.project import BUILTIN_TEMPLATES, Project

from ..conftest import REPO
from .helpers import edit, run


def checkout_extractors(folder: Path) -> dict[str, str]:
    """Declare this checkout's `babel.extractors` entry points, as an installed wheel of it would.

    The environment's own installation may be of another checkout: pybabel, run with PYTHONPATH set to
    this folder first, finds these.
    """
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extractors = declared["project"]["entry-points"]["babel.extractors"]
    info = folder / "songphasa-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: songphasa\nVersion: 0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[babel.extractors]\n" + "".join(f"{name} = {target}\n" for name, target in extractors.items()),
        encoding="utf-8")
    return extractors


def test_pybabel_extract_gives_the_same_entries(project: Path, tmp_path: Path) -> None:
    shutil.copytree(BUILTIN_TEMPLATES, project / "templates")
    shutil.copy(REPO / "babel.cfg", project / "babel.cfg")
    assert checkout_extractors(tmp_path / "installed") == {"songphasa": "songphasa.i18n.sources:babel_extract"}
    out = project / "pybabel.pot"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "installed"), str(REPO)])}
    result = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                             "-o", str(out), "."], cwd=project, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    ours = {(m.context, m.id) for m in build_template(catalog_source(load_event(project)), Project(project)) if m.id}
    theirs = {(m.context, m.id) for m in read_catalog(out, project) if m.id}
    assert theirs == ours


def test_every_text_of_the_content_and_the_letter_comes_with_its_place() -> None:
    texts = content_texts(load_event(REPO))
    assert texts and all(text.translatable and text.file.startswith("content/") and text.line for text in texts)
    assert {"content/people.yaml", "content/concept-note.md", "content/recipients.yaml"} <= {t.file for t in texts}


def test_misspelt_acronym_fails_check_and_release_with_its_line(project: Path) -> None:
    """A finding on the content names the text's own line (the checks themselves: tests/checks)."""
    md = project / "content" / "concept-note.md"
    line = next(i for i, l in enumerate(md.read_text(encoding="utf-8").splitlines(), 1)
                if l.startswith("The inter-ministerial policy workshop will focus"))
    edit(md, "how to make ODSCs more effective", "how to make ODCSs more effective")
    for args in (["check"], ["--release"]):
        result = run(project, *args)
        assert result.returncode == 1
        assert f"content/concept-note.md:{line}: 'ODCSs' looks like a misspelling of 'ODSC'" in result.stderr
