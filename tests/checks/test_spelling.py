"""Tests for songphasa.checks.spelling: Lao and Thai words segmented, asked of Hunspell, slips found one mark away."""

from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import sys
from collections.abc import Callable, Collection
from pathlib import Path

import pytest

from songphasa import languages
from songphasa.checks.dictionary import Dictionary, SpellingIndex
from songphasa.checks.entry import Entry
from songphasa.checks.spelling import Speller, check_spelling
from songphasa.errors import ToolMissing

from ..conftest import unavailable
from .helpers import REPO, copy_event, run


def _need_hunspell(lang: str = "lo") -> None:
    if SpellingIndex(stored=False).dictionary(lang).available():
        return
    language = languages.get(lang)
    unavailable(f"hunspell with the {language.name} dictionary {language.hunspell} is not installed")


@pytest.fixture(scope="module")
def index() -> SpellingIndex:
    """The dictionaries of this module's tests, kept in memory: what one test asks, the next finds."""
    return SpellingIndex(stored=False)


@pytest.fixture
def spell_check(index: SpellingIndex) -> Callable[..., list[list[str]]]:
    def check(texts: list[str], wordlist: Collection[str] = (), lang: str = "lo") -> list[list[str]]:
        return Speller(index.dictionary(lang), wordlist).check(texts)
    return check


@pytest.mark.renderer
def test_spell_check_reports_non_word_only(spell_check) -> None:
    _need_hunspell()
    texts = [
        "ກະຊວງພາຍໃນ ຈະຈັດກອງປະຊຸມ ກ່ຽວກັບ ສູນບໍລິການຜ່ານປະຕູດຽວ",
        "ກອງປະຊຸມ ຂກຂກຂກ",
        "ຂກຂກຂກ ແລະ ປະຊຸມ",
    ]
    assert spell_check(texts) == [[], ["ຂກຂກຂກ"], ["ຂກຂກຂກ"]]


@pytest.mark.renderer
def test_spell_check_skips_wordlist(spell_check) -> None:
    _need_hunspell()
    assert spell_check(["ກອງປະຊຸມ ຂກຂກຂກ"], wordlist={"ຂກຂກຂກ"}) == [[]]


@pytest.mark.renderer
def test_spell_check_skips_multiword_wordlist_entry_only_as_a_whole(spell_check) -> None:
    _need_hunspell()
    # A made-up two-word name is skipped as a whole, but the one-word entry
    # "ລັດ" must not be cut out of ລັດຖະມົນຕີ, leaving the non-word ຖະມົນຕີ.
    texts = ["ທ່ານ ຂກຂກຂກ ກ່າວເປີດ", "ລັດຖະມົນຕີ ລັດ"]
    assert spell_check(texts, wordlist={"ທ່ານ ຂກຂກຂກ", "ລັດ"}) == [[], []]


@pytest.mark.renderer
def test_spell_check_accepts_words_the_tokenizer_keeps_together(spell_check) -> None:
    _need_hunspell()
    # The tokenizer keeps ການ + verb as one token; the dictionary lists the verb.
    assert spell_check(["ການບໍລິຫານ ແລະ ຂໍ້ມູນຂ່າວສານ"]) == [[]]


@pytest.mark.renderer
def test_a_repetition_mark_is_not_a_word_cut_short(spell_check) -> None:
    _need_hunspell()
    assert spell_check(["ຕ່າງໆ ແລະ ປະຊຸມ"]) == [[]]


def test_spell_check_without_hunspell_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    dictionary = SpellingIndex(stored=False).dictionary("lo")
    assert not dictionary.available()
    with pytest.raises(ToolMissing, match="apt-get install hunspell hunspell-lo"):
        Speller(dictionary).check(["ກອງປະຊຸມ"])


def test_spell_check_without_lao_dictionary_says_how_to_install(tmp_path: Path) -> None:
    if shutil.which("hunspell") is None:
        unavailable("hunspell is not installed")
    dictionary = Dictionary(dataclasses.replace(languages.get("lo"), hunspell="xx_XX"), tmp_path)
    assert not dictionary.available()
    with pytest.raises(ToolMissing, match="hunspell-lo"):
        Speller(dictionary).check(["ກອງປະຊຸມ"])
    assert list(tmp_path.iterdir()) == []  # nothing to key its answers by: none are kept


@pytest.mark.renderer
def test_spell_check_flags_slips_that_split_into_dictionary_words(spell_check) -> None:
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
def test_the_finding_names_the_dictionary_and_the_word_list(index: SpellingIndex) -> None:
    _need_hunspell()
    speller = Speller(index.dictionary("lo"))
    (finding,) = check_spelling(Entry("Meeting", "ກອງປະຊຸມ ຂກຂກຂກ", speller=speller))
    assert (finding.check, finding.severity) == ("spelling", "warning")
    assert finding.message == ("words that may be misspelt (not in the Lao dictionary, or one mark from a known word): "
                               "ຂກຂກຂກ")
    assert finding.hint == "check their spelling, or add them to content/wordlist.txt"
    assert check_spelling(Entry("Meeting", "ກອງປະຊຸມ ຂກຂກຂກ")) == []  # no speller: the language has no dictionary


@pytest.mark.renderer
def test_spelling_flags_most_planted_slips_and_few_right_words() -> None:
    _need_hunspell()
    spec = importlib.util.spec_from_file_location("bench_spelling", REPO / "bench" / "spelling.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_spelling"] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    figures = bench.measure(REPO)
    assert figures.planted >= 20
    assert figures.detection >= 0.80, figures.missed
    assert figures.false_warnings <= 0.02, figures.warned


@pytest.mark.renderer
def test_thai_spelling_uses_the_thai_dictionary(tmp_path: Path) -> None:
    _need_hunspell("th")
    root = copy_event("three-languages", tmp_path)
    po = root / "locales" / "th" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8").replace('msgstr "ความเป็นมา"', 'msgstr "ความเปนมา"')
    po.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l == 'msgstr "ความเปนมา"')
    result = run(root, "check")
    out = result.stdout + result.stderr
    found = [l for l in out.splitlines() if "[th] words that may be misspelt (not in the Thai dictionary" in l]
    assert found and all(l.startswith("locales/th/LC_MESSAGES/messages.po:") for l in found), out
    assert any(int(l.split(":")[1]) in range(line - 3, line + 1) for l in found), (found, line)
