"""Tests for the Lao translation checks in songphasa.qa."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from songphasa import qa
from songphasa.errors import ToolMissing
from songphasa.qa import (
    CHECKS,
    DESCRIPTIONS,
    Finding,
    GlossaryTerm,
    check_source,
    check_term_spelling,
    check_translation,
    hunspell_available,
    spell_check,
)

ODSC = GlossaryTerm(
    en="One Door Service Centre",
    lo="ສູນບໍລິການຜ່ານປະຕູດຽວ",
    abbr_en="ODSC",
    abbr_lo="ສບປດ",
    variants=("One-Door-Service Center", "One Door Service Center"),
)
GLOSSARY = (
    ODSC,
    GlossaryTerm(en="Ministry of Home Affairs", lo="ກະຊວງພາຍໃນ", abbr_en="MOHA"),
    GlossaryTerm(en="Zoom", lo="Zoom", dnt=True),
    GlossaryTerm(en="UN DESA", lo="UN DESA", dnt=True),
    GlossaryTerm(en="UNDP", lo="ອົງການພັດທະນາສະຫະປະຊາຊາດ"),
)
NAMES = ("Juwang Zhu", "Zhu")

# source, translation, check, severity, text the message must quote
FAILING = [
    pytest.param("Welcome to {project}", "ຍິນດີຕ້ອນຮັບ", "placeholders", "error", "'{project}'",
                 id="placeholder-dropped"),
    pytest.param("Hello %(name)s", "ສະບາຍດີ %(ຊື່)s", "placeholders", "error", "'%(name)s'",
                 id="placeholder-translated"),
    pytest.param("This is **important**", "ອັນນີ້ສຳຄັນ", "markup", "error", "'**important**'",
                 id="emphasis-lost"),
    pytest.param("This is **important**", "ອັນນີ້ ** ສຳຄັນ**", "markup", "error",
                 "'**important**'", id="emphasis-broken-by-spaces"),
    pytest.param("See [the agenda](https://example.org/agenda)",
                 "ເບິ່ງ [ວາລະ](https://example.org/wara)", "markup", "error",
                 "'https://example.org/agenda'", id="link-target-changed"),
    pytest.param("Day one\nDay two", "ມື້ທີໜຶ່ງ ມື້ທີສອງ", "lines", "error", "2 line(s)",
                 id="line-break-lost"),
    pytest.param("18 speakers and 44 participants", "ຜູ້ເວົ້າ 18 ທ່ານ ແລະ ຜູ້ເຂົ້າຮ່ວມ",
                 "numbers", "error", "'44'", id="number-missing"),
    pytest.param("Starts at 09:30", "ເລີ່ມເວລາ 9 ໂມງ", "numbers", "error", "'09:30'",
                 id="time-missing"),
    pytest.param("Write to info@example.org", "ຂຽນຫາພວກເຮົາ", "emails", "error",
                 "'info@example.org'", id="email-missing"),
    pytest.param("Details: https://example.org/event.", "ລາຍລະອຽດ: https://example.com/event",
                 "urls", "error", "'https://example.org/event'", id="url-changed"),
    pytest.param("Visit the One-Door-Service Centers", "ໄປຢ້ຽມຢາມສູນບໍລິການ", "glossary",
                 "error", "'ສູນບໍລິການຜ່ານປະຕູດຽວ'", id="glossary-term-missing"),
    pytest.param("ODSC staff", "ພະນັກງານ ODSC", "glossary", "error", "'ສບປດ'",
                 id="glossary-abbreviation-missing"),
    pytest.param("Join on Zoom", "ເຂົ້າຮ່ວມຜ່ານ ຊູມ", "dnt", "error", "'Zoom'",
                 id="dnt-changed"),
    pytest.param("Opening session", "Opening session", "leftover", "error",
                 "'Opening session'", id="identical"),
    pytest.param("Welcome by the e-Government team", "ກ່າວຕ້ອນຮັບໂດຍທີມ e-Government",
                 "leftover", "warning", "'e-Government'", id="latin-word-left"),
    pytest.param("Water", "ນ\u0ecd\u0ec9\u0eb2", "hygiene", "error", "'ນ\u0ecd\u0ec9\u0eb2'",
                 id="am-typed-as-two-marks"),
    pytest.param("Water", "ນ\u0ecd\u0eb2", "hygiene", "error", "'ນ\u0ecd\u0eb2'",
                 id="am-typed-as-two-marks-no-tone"),
    pytest.param("Every", "ທ\u0ec8\u0eb8ກ", "hygiene", "error", "'ທ\u0ec8\u0eb8ກ'",
                 id="tone-before-vowel-not-nfc"),
    pytest.param("Speech", "ກ່າວ ່ຄຳປາໄສ", "hygiene", "error", "ກ່າວ ່ຄຳ",
                 id="space-before-tone-mark"),
    pytest.param("Meeting", "ກອງ\u200bປະຊຸມ", "hygiene", "error", "after 'ກອງ'",
                 id="zero-width-space"),
    pytest.param("Meeting room", "ຫ້ອງ  ປະຊຸມ", "hygiene", "warning", "'ຫ້ອງ  ປະຊຸມ'",
                 id="double-space"),
    pytest.param("Meeting room", "ຫ້ອງປະຊຸມ ", "hygiene", "warning", "ends with a space",
                 id="trailing-space"),
]


def _of(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


@pytest.mark.parametrize(("source", "translation", "check", "severity", "quoted"), FAILING)
def test_check_reports_problem(
    source: str, translation: str, check: str, severity: str, quoted: str
) -> None:
    findings = _of(
        check_translation(source, translation, glossary=GLOSSARY, names=NAMES), check
    )
    assert findings, f"no {check} finding"
    assert any(quoted in f.message and f.severity == severity for f in findings), findings
    assert all(f.hint for f in findings)


@pytest.mark.parametrize(("source", "translation", "check", "severity", "quoted"), FAILING)
def test_flag_silences_check(
    source: str, translation: str, check: str, severity: str, quoted: str
) -> None:
    findings = check_translation(
        source, translation, glossary=GLOSSARY, names=NAMES, flags={f"no-{check}-check"}
    )
    assert not _of(findings, check)


PASSING = [
    pytest.param("Welcome to {project} by %s", "%s ຍິນດີຕ້ອນຮັບສູ່ {project}", id="placeholders"),
    pytest.param("A 10% discount", "ຫຼຸດລາຄາ 10%", id="percent-is-not-a-placeholder"),
    pytest.param("This is **important** and *new*", "ອັນນີ້**ສຳຄັນ**ແລະ*ໃໝ່*",
                 id="emphasis-inside-lao-words"),
    pytest.param("See [the agenda](https://example.org/agenda)",
                 "ເບິ່ງ [ວາລະກອງປະຊຸມ](https://example.org/agenda)", id="link-text-translated"),
    pytest.param("Budget: 10,000 dollars", "ງົບປະມານ: 10000 ໂດລາ", id="grouping-dropped"),
    pytest.param("Budget: 10000 dollars", "ງົບປະມານ: 10,000 ໂດລາ", id="grouping-added"),
    pytest.param("Budget: 10,000 dollars", "ງົບປະມານ: 10.000 ໂດລາ", id="grouping-cldr-lao"),
    pytest.param("In 2021", "ໃນປີ ໒໐໒໑", id="lao-digits"),
    pytest.param("From 09:30, room 02, item 1.1", "ແຕ່ ໐໙:໓໐, ຫ້ອງ 02, ຂໍ້ 1.1",
                 id="times-and-codes"),
    pytest.param("Write to info@example.org", "ຂຽນຫາ info@example.org", id="email-kept"),
    pytest.param("Visit the One-Door-Service Centers", "ໄປຢ້ຽມຢາມ ສູນບໍລິການຜ່ານປະຕູດຽວ",
                 id="glossary-satisfied"),
    pytest.param("ODSC staff", "ພະນັກງານ ສບປດ", id="glossary-abbreviation"),
    pytest.param("ODSC staff", "ພະນັກງານສູນບໍລິການຜ່ານປະຕູດຽວ", id="abbreviation-spelt-out"),
    pytest.param("Join on Zoom with UN DESA", "ເຂົ້າຮ່ວມຜ່ານ Zoom ກັບ UN DESA", id="dnt-kept"),
    pytest.param("UN DESA", "UN DESA", id="identical-dnt"),
    pytest.param("Juwang Zhu", "Juwang Zhu", id="identical-name"),
    pytest.param("09:30", "09:30", id="identical-number"),
    pytest.param("Remarks by Juwang Zhu, UNDP and DPIDG",
                 "ຄຳເຫັນໂດຍ Juwang Zhu, ອົງການພັດທະນາສະຫະປະຊາຊາດ (UNDP) ແລະ DPIDG",
                 id="names-and-acronyms"),
    pytest.param("Call 1819G", "ໂທ 1819G", id="acronym-with-digits"),
    pytest.param("Meeting", "ກອງປະຊຸມ", id="plain"),
    pytest.param("Day one\nDay two", "ມື້ທີໜຶ່ງ\nມື້ທີສອງ", id="lines-kept"),
]


@pytest.mark.parametrize(("source", "translation"), PASSING)
def test_check_accepts_good_translation(source: str, translation: str) -> None:
    assert check_translation(source, translation, glossary=GLOSSARY, names=NAMES) == []


def test_empty_translation_is_untranslated_not_wrong() -> None:
    assert check_translation("Welcome to {project}", "") == []


def test_latin_leftover_lists_every_word_once() -> None:
    findings = check_translation("Bring your laptop", "ເອົາ laptop ແລະ charger, laptop ມາ")
    assert [f.message for f in findings] == [
        "English word(s) left in the Lao text: 'laptop', 'charger'"
    ]


def test_zero_width_space_allowed_when_project_wants_it() -> None:
    assert check_translation("Meeting", "ກອງ\u200bປະຊຸມ", allow_zwsp=True) == []


def test_nfc_hint_gives_the_normalised_text() -> None:
    (finding,) = check_translation("Every", "ທ\u0ec8\u0eb8ກ")
    assert "'ທ\u0eb8\u0ec8ກ'" in finding.hint


def test_am_hint_gives_the_single_vowel() -> None:
    (finding,) = check_translation("Water", "ນ\u0ecd\u0ec9\u0eb2")
    assert "'ນ\u0ec9\u0eb3'" in finding.hint


def test_longer_glossary_term_wins_over_shorter_inside_it() -> None:
    glossary = (*GLOSSARY, GlossaryTerm(en="Service Centre", lo="ສູນບໍລິການທົ່ວໄປ"))
    source = "The One Door Service Centre opens"
    assert check_translation(source, "ສູນບໍລິການຜ່ານປະຕູດຽວເປີດ", glossary=glossary) == []


def test_dnt_term_matches_case_as_written() -> None:
    # "zoom in" is a verb, not the product.
    assert check_translation("Please zoom in on the map", "ຂະຫຍາຍແຜນທີ່", glossary=GLOSSARY) == []


def test_finding_becomes_a_problem_in_compiler_format() -> None:
    finding = Finding("numbers", "warning", "number '44' is missing", "copy it")
    problem = finding.problem("locales/lo/LC_MESSAGES/messages.po", 12)
    assert str(problem) == (
        "locales/lo/LC_MESSAGES/messages.po:12: warning: number '44' is missing — copy it"
    )


def test_every_check_is_described() -> None:
    assert set(CHECKS) == set(DESCRIPTIONS)
    assert {"placeholders", "markup", "lines", "numbers", "emails", "urls", "glossary", "dnt",
            "leftover", "hygiene", "acronyms", "variants"} == set(CHECKS)
    for forbidden in ("capital", "punctuation", "fullstop", "sentence"):
        assert not any(forbidden in name for name in CHECKS)


# --- check_source --------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "severity", "quoted"),
    [
        pytest.param("Visit the ODCS", "error", "'ODCS'", id="swapped-letters"),
        pytest.param("All ODCSs open", "error", "'ODCSs'", id="swapped-letters-plural"),
        pytest.param("The ODS opens", "error", "'ODS'", id="letter-dropped"),
        pytest.param("The ODSX opens", "error", "'ODSX'", id="letter-changed"),
        pytest.param("Talk by XYZ", "warning", "'XYZ'", id="undefined"),
    ],
)
def test_check_source_reports_acronym(source: str, severity: str, quoted: str) -> None:
    (finding,) = check_source(source, glossary=GLOSSARY)
    assert finding.check == "acronyms"
    assert finding.severity == severity
    assert quoted in finding.message
    if severity == "error":
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
    assert check_source(source, glossary=GLOSSARY) == []


def test_check_source_flag_silences_acronyms() -> None:
    assert check_source("Talk by XYZ", glossary=GLOSSARY, flags={"no-acronyms-check"}) == []


# --- spell_check ---------------------------------------------------------------


def _need_hunspell() -> None:
    if hunspell_available():
        return
    if os.environ.get("SONGPHASA_REQUIRE_RENDERERS") == "1":
        pytest.fail("hunspell with the Lao dictionary lo_LA is required but not installed")
    pytest.skip("hunspell with the Lao dictionary lo_LA is not installed")


@pytest.mark.renderer
def test_spell_check_reports_non_word_only() -> None:
    _need_hunspell()
    texts = [
        "ກະຊວງພາຍໃນ ຈະຈັດກອງປະຊຸມ ກ່ຽວກັບ ສູນບໍລິການຜ່ານປະຕູດຽວ",
        "ກອງປະຊຸມ ຂກຂກຂກ",
        "ຂກຂກຂກ ແລະ ປະຊຸມ",
    ]
    assert spell_check(texts) == [[], ["ຂກຂກຂກ"], ["ຂກຂກຂກ"]]


@pytest.mark.renderer
def test_spell_check_skips_wordlist() -> None:
    _need_hunspell()
    assert spell_check(["ກອງປະຊຸມ ຂກຂກຂກ"], wordlist={"ຂກຂກຂກ"}) == [[]]


@pytest.mark.renderer
def test_spell_check_skips_multiword_wordlist_entry_only_as_a_whole() -> None:
    _need_hunspell()
    # A made-up two-word name is skipped as a whole, but the one-word entry
    # "ລັດ" must not be cut out of ລັດຖະມົນຕີ, leaving the non-word ຖະມົນຕີ.
    texts = ["ທ່ານ ຂກຂກຂກ ກ່າວເປີດ", "ລັດຖະມົນຕີ ລັດ"]
    assert spell_check(texts, wordlist={"ທ່ານ ຂກຂກຂກ", "ລັດ"}) == [[], []]


@pytest.mark.renderer
def test_spell_check_accepts_words_the_tokenizer_keeps_together() -> None:
    _need_hunspell()
    # The tokenizer keeps ການ + verb as one token; the dictionary lists the verb.
    assert spell_check(["ການບໍລິຫານ ແລະ ຂໍ້ມູນຂ່າວສານ"]) == [[]]


def test_spell_check_without_hunspell_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(qa.shutil, "which", lambda name: None)
    assert not hunspell_available()
    with pytest.raises(ToolMissing, match="apt-get install hunspell hunspell-lo"):
        spell_check(["ກອງປະຊຸມ"])


def test_spell_check_without_lao_dictionary_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if qa.shutil.which("hunspell") is None:
        pytest.skip("hunspell is not installed")
    import dataclasses
    monkeypatch.setattr(qa, "_DEFAULT_SPELLING", dataclasses.replace(qa._DEFAULT_SPELLING, hunspell="xx_XX"))
    assert not hunspell_available()
    with pytest.raises(ToolMissing, match="hunspell-lo"):
        spell_check(["ກອງປະຊຸມ"])


# --- robustness ----------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0E80, max_codepoint=0x0EFF),
        st.sampled_from(list("{}%()[]*_ \n\t,.:@/-sdODSC0123456789\u200b")),
        st.characters(),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(source=_TEXT, translation=_TEXT, flags=st.sets(st.sampled_from(
    [f"no-{c}-check" for c in CHECKS])))
def test_check_translation_never_raises(source: str, translation: str, flags: set[str]) -> None:
    for finding in check_translation(
        source, translation, glossary=GLOSSARY, names=NAMES, flags=flags
    ):
        assert finding.check in CHECKS
        assert finding.severity in ("error", "warning")
    for finding in check_source(source, glossary=GLOSSARY):
        assert finding.check == "acronyms"


@pytest.mark.renderer
def test_spell_check_flags_slips_that_split_into_dictionary_words() -> None:
    _need_hunspell()
    texts = [
        "ສັນຕິພາບ ເອກະລາດ ປະຊາທິປະໄຕ ເອກະພາບ ວັດທະນາຖາວອນ",  # the motto with າ for ະ
        "ກ່ຽວກັບສູນບໍລິການຜ່ານປະຕູດຽ ຢູ່ ສປປ ລາວ",              # a term cut short
        "ລັດທະບານ ແລະ ອົງການປົກຄອງທ້ອງຖິ່ນ",                 # ທ for ຖ: ລັດທະ|ບານ are words
    ]
    found = spell_check(texts, wordlist={"ວັດທະນະຖາວອນ", "ສູນບໍລິການຜ່ານປະຕູດຽວ", "ສປປ"})
    assert found[0] == ["ວັດທະນາຖາວອນ"]
    assert found[1] and all("ປະຕູດຽ" in w or w.endswith("ຽ") for w in found[1])
    assert found[2] == ["ລັດທະບານ"]
    assert spell_check(["ສັນຕິພາບ ເອກະລາດ ປະຊາທິປະໄຕ ເອກະພາບ ວັດທະນະຖາວອນ ລັດຖະບານ"],
                       wordlist={"ວັດທະນະຖາວອນ"}) == [[]]


@pytest.mark.renderer
def test_spelling_flags_most_planted_slips_and_few_right_words() -> None:
    _need_hunspell()
    import importlib.util
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("bench_spelling", root / "bench" / "spelling.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_spelling"] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    figures = bench.measure(root)
    assert figures.planted >= 20
    assert figures.detection >= 0.80, figures.missed
    assert figures.false_warnings <= 0.02, figures.warned


# --- check_term_spelling ---------------------------------------------------------


ODSC_TERM = GlossaryTerm(en="One-Door-Service Center", lo="ສູນບໍລິການຜ່ານປະຕູດຽວ", abbr_en="ODSC")


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
    findings = check_term_spelling(source, glossary=[ODSC_TERM])
    assert [f.message.split(" is spelt")[0] for f in findings] == found
    assert all(f.check == "variants" and f.severity == "error" for f in findings)
    if findings:
        assert "'One-Door-Service Center" in findings[0].hint


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
    findings = check_term_spelling(source, glossary=[GlossaryTerm(en=term, lo="ການບໍລິການ")])
    assert [f.message.split(" is spelt")[0] for f in findings] == found
    if hint:
        assert findings[0].hint == hint


@pytest.mark.parametrize(("source", "found"), [
    pytest.param("Setting Service Standards for One-Stop Shops", [], id="a-title"),
    pytest.param("Service standards are set by each ministry.", [], id="a-sentence-start"),
    pytest.param("the service-standards of each office", ["'service-standards'"], id="a-hyphen"),
])
def test_a_common_noun_term_may_be_capitalized_in_a_title_or_a_sentence(source: str, found: list[str]) -> None:
    term = GlossaryTerm(en="service standard", lo="ມາດຕະຖານການບໍລິການ")
    assert [f.message.split(" is spelt")[0] for f in check_term_spelling(source, glossary=[term])] == found
