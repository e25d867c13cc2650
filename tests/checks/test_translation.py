"""Tests for songphasa.checks.translation: placeholders, markup, lines, numbers, emails and addresses kept."""

from __future__ import annotations

import pytest

from songphasa.checks.entry import Entry
from songphasa.checks.translation import check_numbers, check_placeholders

from .helpers import cases, translated

CHECKS = ("placeholders", "markup", "lines", "numbers", "emails", "urls")


@pytest.mark.parametrize(("check", "case"), cases(*CHECKS))
def test_check_reports_problem(check: str, case: dict) -> None:
    findings = [f for f in translated(case["source"], case["translation"]) if f.check == check]
    assert findings, f"no {check} finding"
    assert any(f.message == case["message"] and f.severity == case["severity"] for f in findings), findings
    assert all(f.hint for f in findings)


def test_a_finding_names_the_languages_of_its_direction() -> None:
    entry = Entry("ຫ້ອງການໃນ 18 ແຂວງ", "Offices in the provinces", source_lang="lo", target_lang="en")
    (finding,) = check_numbers(entry)
    assert finding.message == "number '18' from the Lao text is missing from the translation"
    assert finding.hint == "copy the number"


def test_the_number_hint_writes_the_number_in_the_targets_own_digits() -> None:
    (finding,) = check_numbers(Entry("In 2021", "ในปี", target_lang="th"))
    assert finding.hint == "copy the number; Thai digits (๒๐๒๑) count too"
    (finding,) = check_numbers(Entry("In 2021", "ໃນປີ"))
    assert finding.hint == "copy the number; Lao digits (໒໐໒໑) count too"


def test_a_template_string_that_cannot_be_percent_formatted_is_a_placeholder_error() -> None:
    (finding,) = check_placeholders(Entry("100% done", "ແລ້ວ 100%", percent_format=True))
    assert finding.message == "the translation has a % sign that is not a placeholder"
    assert check_placeholders(Entry("100%% done", "ແລ້ວ 100%%", percent_format=True)) == []
