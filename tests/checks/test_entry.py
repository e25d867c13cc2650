"""Tests for songphasa.checks.entry: what a check reads and what it reports."""

from __future__ import annotations

from songphasa.checks.entry import Entry, Finding, GlossaryTerm, Terms
from songphasa.checks.text import phrase


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


def test_terms_compile_each_pattern_once_and_make_each_rule_once() -> None:
    terms = Terms([GlossaryTerm(source="UN DESA", target="UN DESA", dnt=True)], ["Zhu", "Zhu"])
    assert terms.glossary[0].source == "UN DESA" and terms.names == frozenset({"Zhu"})
    assert terms.phrase("UN DESA", "", False) is terms.phrase("UN DESA", "", False)
    assert terms.phrase("UN DESA", "", False).pattern == phrase("UN DESA", "", False).pattern
    made: list[int] = []
    assert terms.once("key", lambda: made.append(1) or len(made)) == terms.once("key", lambda: made.append(1) or 9) == 1
    assert Entry("x").terms is not Entry("x").terms  # an entry alone shares nothing
