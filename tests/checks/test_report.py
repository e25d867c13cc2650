"""Tests for songphasa.checks.report: what `check` says of coverage, what is left, and every finding."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from songphasa.checks.dictionary import SpellingIndex
from songphasa.checks.report import check

from ..conftest import require_renderer
from .helpers import REPO, copy_event, edit, run


def test_check_reports_coverage_that_agrees_with_msgfmt(project: Path) -> None:
    require_renderer("msgfmt")
    edit(project / "content" / "people.yaml", "Head of Cabinet", "Head of the Minister's Cabinet")
    assert run(project, "update").returncode == 0
    result = run(project, "check")
    po = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True).stderr
    numbers = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", stats)}
    line = next(l for l in result.stdout.splitlines() if l.startswith("[lo] locales/lo/LC_MESSAGES/messages.po"))
    assert f"{numbers.get('translated', 0)} translated" in line
    assert f"{numbers.get('fuzzy', 0)} fuzzy" in line
    assert f"{numbers.get('untranslated', 0)} untranslated" in line
    assert numbers["fuzzy"] == 1
    assert re.search(r"^    concept-note: \d+/\d+ translated", result.stdout, re.M)


def test_check_says_the_english_target_of_a_lao_event_has_its_labels_already(tmp_path: Path) -> None:
    result = run(copy_event("lao-source", tmp_path), "check")
    assert "    the templates' labels are in English already; the content: 19/19 translated" in result.stdout


def test_check_reads_the_spelling_index_it_is_given(project: Path, tmp_path: Path) -> None:
    index = SpellingIndex(tmp_path)
    lines, problems = check(project, index)
    assert lines[0].startswith("Content: ") and lines[0].endswith("— valid.")
    if index.dictionary("lo").available():
        assert (tmp_path / "lo.json").is_file()  # what the dictionary said is kept for the next check
        assert check(project, SpellingIndex(tmp_path)) == (lines, problems)


def test_check_lists_what_is_left_in_the_words_the_build_uses(project: Path) -> None:
    edit(project / "content" / "people.yaml", "Head of Cabinet", "Head of the Minister's Cabinet")
    assert run(project, "update").returncode == 0
    built, checked = run(project), run(project, "check")
    assert "[lo] 1 string(s) are shown in the source language, marked" in built.stdout
    assert "[lo] used by the documents and shown in the source language, marked:" in checked.stdout
    assert "Head of the Minister's Cabinet" in checked.stdout


def test_check_names_the_command_as_the_user_runs_it(project: Path) -> None:
    edit(project / "content" / "people.yaml", "Head of Cabinet", "Head of the Minister's Cabinet")
    installed = "import sys; from songphasa.cli import run; sys.argv[0] = 'songphasa'; run()"  # as the script does
    result = subprocess.run([sys.executable, "-c", installed, "--project", str(project), "check"],
                            capture_output=True, text=True, cwd=REPO)
    assert "not in the catalog (run `songphasa update`)" in result.stdout
    assert "python build.py" not in result.stdout + result.stderr
