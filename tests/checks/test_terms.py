"""Tests for songphasa.checks.terms: glossary and dnt terms, leftovers, acronyms and variant spellings."""

from __future__ import annotations

import pytest

from songphasa.checks.entry import Entry, GlossaryTerm, Terms
from songphasa.checks.terms import check_acronyms, check_leftover, check_variants

from .helpers import GLOSSARY, cases, translated


@pytest.mark.parametrize(("check", "case"), cases("glossary", "abbreviations", "dnt", "leftover"))
def test_check_reports_problem(check: str, case: dict) -> None:
    findings = [f for f in translated(case["source"], case["translation"]) if f.check == check]
    assert findings, f"no {check} finding"
    assert any(f.message == case["message"] and f.severity == case["severity"] for f in findings), findings
    assert all(f.hint for f in findings)


def test_an_abbreviation_the_glossary_gives_no_lao_form_may_stay_in_latin() -> None:
    # The glossary gives MOHA no Lao abbreviation here: ກະຊວງພາຍໃນ (MOHA) is the translator's choice.
    assert translated("Ministry of Home Affairs (MOHA)", "ກະຊວງພາຍໃນ (MOHA)", names=()) == []
    # With one (ພນ), the English one is reported, and the Lao one passes.
    glossary = (GlossaryTerm("Ministry of Home Affairs", "ກະຊວງພາຍໃນ", "MOHA", "ພນ"),)
    found = translated("Head of Cabinet, MOHA", "ຫົວໜ້າຫ້ອງການ ກະຊວງພາຍໃນ/MOHA", glossary=glossary, names=())
    assert [(f.check, f.severity) for f in found] == [("abbreviations", "warning")]
    # Without the Lao term or abbreviation, the glossary check's error says it once.
    found = translated("Head of Cabinet, MOHA", "ຫົວໜ້າຫ້ອງການກະຊວງ, MOHA", glossary=glossary, names=())
    assert [f.check for f in found] == ["glossary"]
    assert translated("Head of Cabinet, MOHA", "ຫົວໜ້າຫ້ອງການກະຊວງ, ພນ", glossary=glossary, names=()) == []


def test_latin_leftover_lists_every_word_once() -> None:
    findings = translated("Bring your laptop", "ເອົາ laptop ແລະ charger, laptop ມາ", glossary=(), names=())
    assert [f.message for f in findings] == [
        "English word(s) left in the Lao text: 'laptop', 'charger'"
    ]


def test_longer_glossary_term_wins_over_shorter_inside_it() -> None:
    glossary = (*GLOSSARY, GlossaryTerm(source="Service Centre", target="ສູນບໍລິການທົ່ວໄປ"))
    source = "The One Door Service Centre opens"
    assert translated(source, "ສູນບໍລິການຜ່ານປະຕູດຽວເປີດ", glossary=glossary, names=()) == []


def test_dnt_term_matches_case_as_written() -> None:
    # "zoom in" is a verb, not the product.
    assert translated("Please zoom in on the map", "ຂະຫຍາຍແຜນທີ່", names=()) == []


def test_a_lao_source_copied_into_the_english_keeps_lao_words() -> None:
    entry = Entry("ການປຶກສາຫາລື", "Discussion ປຶກສາຫາລື", source_lang="lo", target_lang="en")
    (finding,) = check_leftover(entry)
    assert (finding.severity, finding.message) == ("warning", "Lao word(s) left in the English text: 'ປຶກສາຫາລື'")


# --- acronyms ------------------------------------------------------------------------------


@pytest.mark.parametrize(("check", "case"), cases("acronyms"))
def test_check_source_reports_acronym(check: str, case: dict) -> None:
    (finding,) = check_acronyms(Entry(case["source"], terms=Terms(GLOSSARY)))
    assert finding.check == check
    assert finding.severity == case["severity"]
    assert (finding.message, finding.hint) == (case["message"], case["hint"])
    if case["severity"] == "error":
        assert "'ODSC' (One Door Service Centre)" in finding.message
    else:
        assert "content/glossary.yaml" in finding.hint


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("All ODSCs and the ODSC", id="plural-and-singular"),
        pytest.param("Session VII, part IV, item I", id="roman-numerals"),
        pytest.param("UN DESA and MOHA with UNDP", id="defined"),
        pytest.param("A talk on Zoom at https://example.org/XYZ or {ABC}", id="urls-placeholders"),
        pytest.param("Plan B", id="single-letter"),
        pytest.param("Led by ODSC/MOHA staff", id="slash-joined"),
    ],
)
def test_check_source_accepts(source: str) -> None:
    assert check_acronyms(Entry(source, terms=Terms(GLOSSARY))) == []


# --- variants ------------------------------------------------------------------------------


ODSC_TERM = GlossaryTerm(source="One-Door-Service Center", target="ສູນບໍລິການຜ່ານປະຕູດຽວ", source_abbr="ODSC")


def variants(source: str, term: GlossaryTerm) -> list:
    return check_variants(Entry(source, terms=Terms([term])))


@pytest.mark.parametrize(("source", "found"), [
    pytest.param("the One-Door-Service Centers of Laos", [], id="the-glossary-spelling-plural"),
    pytest.param("a One-Door-Service Center", [], id="the-glossary-spelling"),
    pytest.param("One Door Service Centers open", ["'One Door Service Centers'"], id="spaces"),
    pytest.param("the One-Door Service Centre", ["'One-Door Service Centre'"], id="hyphen-and-re"),
    pytest.param("One-Door-Service Centres", ["'One-Door-Service Centres'"], id="re-plural"),
    pytest.param("a one-door-service center", ["'one-door-service center'"], id="case"),
    pytest.param("One Door Service in Laos", [], id="not-the-term"),
])
def test_a_glossary_term_in_a_variant_spelling_is_an_error(source: str, found: list[str]) -> None:
    findings = variants(source, ODSC_TERM)
    assert [f.message.split(" is spelt")[0] for f in findings] == found
    assert all(f.check == "variants" and f.severity == "error" for f in findings)
    if findings:
        assert "'One-Door-Service Center" in findings[0].hint


def test_a_variant_the_glossary_lists_is_said_to_be_found_not_written() -> None:
    # A newcomer read 'variants:' as the forms to write, and was asked to change their own spelling in 6 places.
    term = GlossaryTerm(source="One-Door-Service Center", target="ສູນບໍລິການຜ່ານປະຕູດຽວ",
                        variants=("One Door Service Centre",))
    (finding,) = variants("Each One Door Service Centre opens at eight.", term)
    assert finding.message == ("'One Door Service Centre' is spelt differently from the glossary's preferred form "
                               "'One-Door-Service Center' (its 'en:'; 'One Door Service Centre' is one of its "
                               "'variants:', the spellings it finds, not the one to write)")
    assert finding.hint == ("write 'One-Door-Service Center', as content/glossary.yaml does; if 'One Door Service "
                            "Centre' is the form your organization writes, make it the term's 'en:' and list "
                            "'One-Door-Service Center' under 'variants:'")
    (unlisted,) = variants("Each One Door Service Center opens at eight.", term)
    assert unlisted.message.endswith("preferred form 'One-Door-Service Center' (its 'en:')")


@pytest.mark.parametrize(("term", "source", "found", "hint"), [
    pytest.param("Digital public services", "Regional Consultation on Digital Public Services", [], None, id="a-title"),
    pytest.param("Digital public services", "how digital public services reach provinces", [], None,
                 id="in-a-sentence"),
    pytest.param("Digital public services", "Digital public services are", [], None, id="as-written"),
    pytest.param("Digital public services", "the digital-public services of a province", ["'digital-public services'"],
                 "write 'digital public services', as content/glossary.yaml does", id="a-hyphen"),
    pytest.param("ICT service center", "three ICT Service Centers", [], None, id="an-acronym-first-in-a-title"),
    pytest.param("ICT service center", "three ICT service centres", ["'ICT service centres'"],
                 "write 'ICT service centers', as content/glossary.yaml does", id="an-acronym-first-plural"),
])
def test_a_glossary_term_written_in_sentence_case_is_a_common_noun(
        term: str, source: str, found: list[str], hint: str | None) -> None:
    findings = variants(source, GlossaryTerm(source=term, target="ການບໍລິການ"))
    assert [f.message.split(" is spelt")[0] for f in findings] == found
    if hint:
        assert findings[0].hint.startswith(hint + "; ")


@pytest.mark.parametrize(("source", "found"), [
    pytest.param("Setting Service Standards for One-Stop Shops", [], id="a-title"),
    pytest.param("Service standards are set by each ministry.", [], id="a-sentence-start"),
    pytest.param("the service-standards of each office", ["'service-standards'"], id="a-hyphen"),
])
def test_a_common_noun_term_may_be_capitalized_in_a_title_or_a_sentence(source: str, found: list[str]) -> None:
    term = GlossaryTerm(source="service standard", target="ມາດຕະຖານການບໍລິການ")
    assert [f.message.split(" is spelt")[0] for f in variants(source, term)] == found
