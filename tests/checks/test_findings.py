"""Tests for songphasa.checks.findings: the findings of an unchanged batch are read back, any change checks again."""

from __future__ import annotations

from pathlib import Path

import pytest

from songphasa import cache
from songphasa.checks import registry
from songphasa.checks.entry import Entry, GlossaryTerm, Terms
from songphasa.checks.event import catalog_problems, source_problems
from songphasa.checks.findings import KnownFindings, digest
from songphasa.errors import Problem
from songphasa.pipeline import load
from songphasa.project import Project

from .helpers import GLOSSARY, NAMES, po_of

TERMS = Terms(GLOSSARY, NAMES)
PLACED = [("po", 3, Entry("Meeting at 09:30", "ກອງປະຊຸມ", terms=TERMS)), ("po", 9, Entry("Zoom", "Zoom", terms=TERMS))]


@pytest.mark.parametrize("changed", [
    pytest.param([("po", 3, Entry("Meeting at 09:30", "ກອງປະຊຸມ 09:30", terms=TERMS)), PLACED[1]], id="a-translation"),
    pytest.param([("po", 4, PLACED[0][2]), PLACED[1]], id="a-line"),
    pytest.param([PLACED[0], ("po", 9, Entry("Zoom", "Zoom", frozenset({"no-dnt-check"}), terms=TERMS))], id="flags"),
    pytest.param([PLACED[0], ("po", 9, Entry("Zoom", "Zoom", target_lang="th", terms=TERMS))], id="a-language"),
    pytest.param([(f, n, Entry(e.source, e.translation, terms=Terms(GLOSSARY[1:], NAMES))) for f, n, e in PLACED],
                 id="the-glossary"),
    pytest.param([(f, n, Entry(e.source, e.translation, terms=Terms(GLOSSARY, ("Zhu",)))) for f, n, e in PLACED],
                 id="the-names"),
    pytest.param([(f, n, Entry(e.source, e.translation, terms=Terms(
        (*GLOSSARY[:2], GlossaryTerm(source="Zoom", target="ຊູມ"), *GLOSSARY[3:]), NAMES))) for f, n, e in PLACED],
                 id="a-term-no-longer-dnt"),
])
def test_the_digest_covers_everything_the_checks_read(changed: list) -> None:
    same = [(f, n, Entry(e.source, e.translation, terms=Terms(GLOSSARY, NAMES))) for f, n, e in PLACED]
    assert digest("translation", False, "[lo] ", same) == digest("translation", False, "[lo] ", PLACED)
    assert digest("translation", False, "[lo] ", changed) != digest("translation", False, "[lo] ", PLACED)
    assert digest("translation", True, "[lo] ", PLACED) != digest("translation", False, "[lo] ", PLACED)
    assert digest("translation", False, "[th] ", PLACED) != digest("translation", False, "[lo] ", PLACED)


def test_findings_are_kept_sealed_under_the_code_that_found_them(tmp_path: Path, monkeypatch) -> None:
    problems = [Problem("po", 3, "[lo] number '09:30' …", "copy the number", "error")]
    KnownFindings(tmp_path).keep("batch", problems)
    assert KnownFindings(tmp_path).recall("batch") == problems
    assert KnownFindings(tmp_path).recall("another batch") is None
    assert KnownFindings(stored=False).recall("batch") is None
    monkeypatch.setattr(cache, "code_hash", lambda: "another version")
    assert KnownFindings(tmp_path).recall("batch") is None


def test_an_unchanged_catalog_is_not_checked_again_and_a_changed_one_is(project: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    content, translations = load(Project.at(project))
    catalog = translations.catalogs["lo"]
    first = catalog_problems(Project.at(project), content, "lo", catalog, release=True, findings=KnownFindings(tmp_path))
    source = source_problems(content, findings=KnownFindings(tmp_path))
    run = registry.findings
    def refuse(entry: Entry, scope: str, **kwargs: bool) -> list:
        return run(entry, scope, **kwargs) if scope == "wording" else pytest.fail(f"{scope} checked again")
    monkeypatch.setattr(registry, "findings", refuse)  # spelling keeps its own answers (test_dictionary.py)
    again = catalog_problems(Project.at(project), content, "lo", catalog, release=True, findings=KnownFindings(tmp_path))
    assert again == first
    assert source_problems(content, findings=KnownFindings(tmp_path)) == source
    monkeypatch.setattr(registry, "findings", run)
    damaged = po_of(project)
    entry = next(m for m in damaged if m.id.startswith("The Inter-ministerial Policy Workshop is a follow-up"))
    entry.string = entry.string.replace("44", "ສີ່ສິບສີ່")
    changed = catalog_problems(Project.at(project), content, "lo", damaged, release=True, findings=KnownFindings(tmp_path))
    assert any("number '44' from the English text is missing" in p.message for p in changed)
    assert changed != first
