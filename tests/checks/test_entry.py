"""Tests for songphasa.checks.entry: what a check reads and what it reports."""

from __future__ import annotations

from songphasa.checks.entry import Entry, Finding


def test_finding_becomes_a_problem_in_compiler_format() -> None:
    finding = Finding("numbers", "warning", "number '44' is missing", "copy it")
    problem = finding.problem("locales/lo/LC_MESSAGES/messages.po", 12)
    assert str(problem) == (
        "locales/lo/LC_MESSAGES/messages.po:12: warning: number '44' is missing — copy it"
    )


def test_a_finding_placed_in_a_catalog_says_its_language_first() -> None:
    problem = Finding("lines", "error", "the English text has 2 line(s) but the translation has 1", "keep them").problem(
        "locales/th/LC_MESSAGES/messages.po", 7, "[th] ")
    assert str(problem) == ("locales/th/LC_MESSAGES/messages.po:7: [th] the English text has 2 line(s) but the "
                            "translation has 1 — keep them")


def test_an_entry_names_its_languages_from_the_language_table() -> None:
    assert (Entry("x").source_name, Entry("x").target_name) == ("English", "Lao")
    entry = Entry("ກອງປະຊຸມ", "Meeting", source_lang="lo", target_lang="en")
    assert (entry.source_name, entry.target_name) == ("Lao", "English")
    assert Entry("x", target_lang="th").target_name == "Thai"
