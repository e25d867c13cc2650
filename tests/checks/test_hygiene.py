"""Tests for songphasa.checks.hygiene: standard Unicode, marks on their consonants, no invisible characters."""

from __future__ import annotations

import pytest

from songphasa.checks.entry import Entry
from songphasa.checks.hygiene import check_hygiene

from .helpers import cases, translated


@pytest.mark.parametrize(("check", "case"), [*cases("hygiene"), *cases("script")])
def test_check_reports_problem(check: str, case: dict) -> None:
    findings = [f for f in translated(case["source"], case["translation"]) if f.check == check]
    assert findings, f"no {check} finding"
    assert any(f.message == case["message"] and f.severity == case["severity"] for f in findings), findings
    assert all(f.hint for f in findings)


def test_zero_width_space_allowed_when_project_wants_it() -> None:
    assert translated("Meeting", "ກອງ\u200bປະຊຸມ", glossary=(), names=(), allow_zwsp=True) == []


def test_nfc_hint_gives_the_normalised_text() -> None:
    (finding,) = translated("Every", "ທ\u0ec8\u0eb8ກ", glossary=(), names=())
    assert "'ທ\u0eb8\u0ec8ກ'" in finding.hint


def test_am_hint_gives_the_single_vowel() -> None:
    (finding,) = translated("Water", "ນ\u0ecd\u0ec9\u0eb2", glossary=(), names=())
    assert "'ນ\u0ec9\u0eb3'" in finding.hint


def test_the_thai_vowel_typed_in_two_parts_is_found_too() -> None:
    (finding,) = check_hygiene(Entry("Water", "น\u0e4d\u0e49\u0e32", target_lang="th"))
    assert finding.message.startswith("ำ is typed as two marks")
    assert "'น\u0e49\u0e33'" in finding.hint


def test_the_zero_width_hint_names_the_target_language() -> None:
    (finding,) = check_hygiene(Entry("Meeting", "การ\u200bประชุม", target_lang="th"))
    assert "browsers and Word break Thai lines" in finding.hint
