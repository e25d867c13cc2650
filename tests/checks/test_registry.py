"""Tests for songphasa.checks.registry: one list of checks, each run where it applies and silenced by its flag."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from songphasa.checks import registry
from songphasa.checks.entry import Entry, Terms
from songphasa.checks.registry import Check, findings, names
from songphasa.checks.terms import check_acronyms

from ..conftest import require_renderer
from ..i18n.helpers import PO, run
from .helpers import GLOSSARY, NAMES, REPO, cases, translated

TRANSLATION_CHECKS = [check.name for check in registry.CHECKS if check.scope == "translation"]


def test_every_check_is_described() -> None:
    assert all(check.description for check in registry.CHECKS)
    assert {"placeholders", "markup", "lines", "numbers", "emails", "urls", "glossary", "abbreviations", "dnt",
            "leftover", "hygiene", "script", "acronyms", "variants", "spelling"} == set(names())
    for forbidden in ("capital", "punctuation", "fullstop", "sentence"):
        assert not any(forbidden in name for name in names())


def test_the_readme_lists_every_check_and_no_other() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The checks", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^- `([a-z]+)`", section, re.M) == list(names())


def test_a_name_registered_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="checks registered twice: lines"):
        registry.registered(registry.get("lines"), registry.get("lines"))


def test_a_release_runs_only_the_checks_that_can_stop_it() -> None:
    assert registry.get("spelling").severity == "warning"
    assert registry.get("spelling").runs_for("en", "lo")
    assert not registry.get("spelling").runs_for("en", "lo", release=True)
    assert all(check.runs_for("en", "lo", release=True) for check in registry.CHECKS if check.severity == "error")


def test_each_check_declares_the_languages_it_applies_to() -> None:
    spelling, leftover = registry.get("spelling"), registry.get("leftover")
    assert spelling.runs_for("en", "lo") and spelling.runs_for("en", "th") and not spelling.runs_for("lo", "en")
    assert leftover.runs_for("en", "lo") and leftover.runs_for("lo", "en") and not leftover.runs_for("lo", "lo")
    assert registry.reads_dictionary("en", "lo") and not registry.reads_dictionary("en", "lo", release=True)
    assert not registry.reads_dictionary("lo", "en")


@pytest.mark.parametrize(("check", "case"), cases(*TRANSLATION_CHECKS))
def test_flag_silences_check(check: str, case: dict) -> None:
    found = translated(case["source"], case["translation"], flags=frozenset({f"no-{check}-check"}))
    assert not [f for f in found if f.check == check]


def test_the_source_checks_are_silenced_by_their_flags_too() -> None:
    entry = Entry("Talk by XYZ", flags=frozenset({"no-acronyms-check"}), terms=Terms(GLOSSARY), target_lang="en")
    assert check_acronyms(entry) and findings(entry, "source") == []


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
    assert translated(source, translation) == []


def test_empty_translation_is_untranslated_not_wrong() -> None:
    assert translated("Welcome to {project}", "", glossary=(), names=()) == []


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0E80, max_codepoint=0x0EFF),
        st.sampled_from(list("{}%()[]*_ \n\t,.:@/-sdODSC0123456789\u200b")),
        st.characters(),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(source=_TEXT, translation=_TEXT, flags=st.sets(st.sampled_from([f"no-{c}-check" for c in names()])))
def test_check_translation_never_raises(source: str, translation: str, flags: set[str]) -> None:
    for finding in translated(source, translation, flags=frozenset(flags)):
        assert finding.check in names()
        assert finding.severity in ("error", "warning")
        assert finding.severity == "warning" or registry.get(finding.check).severity == "error"
    for finding in check_acronyms(Entry(source, terms=Terms(GLOSSARY, NAMES))):
        assert finding.check == "acronyms"


def test_a_check_is_a_plain_function_of_one_entry() -> None:
    assert all(isinstance(check, Check) and callable(check.function) for check in registry.CHECKS)
    assert registry.get("lines").function(Entry("a\nb", "ກ")) == translated("a\nb", "ກ", glossary=(), names=())


def test_a_translator_comment_silences_a_check_as_the_flag_does() -> None:
    flags = registry.exemptions({"fuzzy"}, ["Checked with the ministry", "songphasa: no-glossary-check, no-dnt-check"])
    assert flags == {"fuzzy", "no-glossary-check", "no-dnt-check"}


@pytest.mark.renderer
@pytest.mark.parametrize("tool", ["msgcat", "msgmerge"])
def test_an_exemption_survives_gettext_tools_and_the_release_still_passes(project: Path, tool: str) -> None:
    """Poedit, msgcat and msgmerge dropped `#, no-glossary-check`: the sample's letter.reference then blocked --release."""
    require_renderer(tool)
    po = project / PO
    if tool == "msgcat":
        command = ["msgcat", "--no-wrap", "-o", str(po), str(po)]
    else:
        command = ["msgmerge", "--no-wrap", "--update", "--backup=off", str(po), str(project / "locales" / "messages.pot")]
    subprocess.run(command, check=True, capture_output=True)
    text = po.read_text(encoding="utf-8")
    assert '# songphasa: no-glossary-check\n#: content/recipients.yaml:105\nmsgctxt "letter.reference"' in text
    result = run(project, "--release")
    assert result.returncode == 0, result.stderr
    assert "glossary term" not in result.stderr


def _pofilter_command() -> list[str]:
    """The pofilter command the README gives translators of Lao."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = next(line.strip() for line in readme.splitlines() if line.strip().startswith("pofilter --language=lo"))
    return line.split()


@pytest.mark.renderer
def test_pofilter_with_the_readmes_options_flags_real_slips_not_lao_itself(project: Path, tmp_path: Path) -> None:
    """Translate Toolkit's defaults raised 376 flags on 224 of 252 Lao entries, none true (startcaps, simplecaps…)."""
    require_renderer("pofilter")
    po = project / PO
    command = _pofilter_command()
    command[command.index("-i") + 1] = str(po)
    command[command.index("-o") + 1] = str(tmp_path / "flagged.po")

    def flags() -> list[str]:
        (tmp_path / "flagged.po").unlink(missing_ok=True)
        subprocess.run(command, check=True, capture_output=True)
        flagged = tmp_path / "flagged.po"
        text = flagged.read_text(encoding="utf-8") if flagged.exists() else ""
        return re.findall(r"^# \(pofilter\) (\w+)", text, re.M)

    assert len(flags()) <= 3
    text = po.read_text(encoding="utf-8")
    slip = text.replace('msgstr[0] "ລວມ: %(num)s ຊົ່ວໂມງ"', 'msgstr[0] "ລວມ: ຊົ່ວໂມງ"')  # a placeholder dropped
    assert slip != text
    po.write_text(slip, encoding="utf-8")
    assert "printf" in flags()
