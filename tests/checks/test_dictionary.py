"""Tests for songphasa.checks.dictionary: what Hunspell and the dictionary said, kept sealed between runs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from songphasa import cache, languages
from songphasa.checks import dictionary as dictionary_module
from songphasa.checks.dictionary import Dictionary, SpellingIndex, deletion_index, near_in, one_edit
from songphasa.checks.slips import SlipReader
from songphasa.checks.spelling import Speller

from ..conftest import unavailable
from .helpers import po_of

SAMPLE = Path(__file__).resolve().parent.parent.parent


def _need_lao_dictionary() -> None:
    if not SpellingIndex(stored=False).dictionary("lo").available():
        unavailable("hunspell with the Lao dictionary lo_LA is not installed")


def _no_hunspell_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"Hunspell was asked again: {args[0]}")
    monkeypatch.setattr(subprocess, "run", refuse)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    catalog = po_of(SAMPLE)
    return [m.string for m in catalog if m.id and isinstance(m.string, str) and m.string][:16]


@pytest.mark.parametrize(("a", "b", "one"), [
    ("ກອງປະຊຸມ", "ກອງປະຊູມ", True),    # a vowel changed
    ("ທ້ອງຖິ່ນ", "ທອງຖິ່ນ", True),      # a tone mark dropped
    ("ນະໂຍບາຍ", "ນະໂຍບາຍຍ", True),     # a letter doubled
    ("ຫ້ອງການ", "ຫອ້ງການ", True),       # two swapped
    ("ກອງປະຊຸມ", "ກອງປະຊຸມ", False),   # the same word
    ("ກອງປະຊຸມ", "ກອງປະຊ", False),     # two dropped
])
def test_one_edit_is_one_letter_or_mark_dropped_added_changed_or_swapped(a: str, b: str, one: bool) -> None:
    assert one_edit(a, b) is one and one_edit(b, a) is one


def test_the_deletion_index_finds_the_words_one_edit_away() -> None:
    index = deletion_index(["ວັດທະນະຖາວອນ", "ສະໜັບສະໜູນ"])
    assert near_in(index, "ວັດທະນາຖາວອນ") == "ວັດທະນະຖາວອນ"
    assert near_in(index, "ສະໜັບສະໜຸນ") == "ສະໜັບສະໜູນ"
    assert near_in(index, "ວັດທະນະຖາວອນ") is None  # itself is not a slip
    assert near_in(index, "ກອງປະຊຸມໃຫຍ່") is None


@pytest.mark.renderer
def test_answers_are_kept_sealed_and_read_again_without_hunspell(tmp_path: Path, texts: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _need_lao_dictionary()
    first = Speller(SpellingIndex(tmp_path).dictionary("lo")).check(texts)
    (stored,) = tmp_path.iterdir()
    assert stored.name == "lo.json"
    _no_hunspell_process(monkeypatch)
    again = SpellingIndex(tmp_path).dictionary("lo")
    assert again.available()  # made with this Hunspell and this dictionary: no need to ask
    monkeypatch.setattr(dictionary_module.languages, "segment", lambda *args: pytest.fail("segmented again"))
    assert Speller(again).check(texts) == first


@pytest.mark.renderer
def test_answers_made_in_memory_and_from_the_store_are_the_same(tmp_path: Path, texts: list[str]) -> None:
    _need_lao_dictionary()
    wordlist = {"ວັດທະນະຖາວອນ", "ສູນບໍລິການຜ່ານປະຕູດຽວ"}
    fresh = Speller(SpellingIndex(stored=False).dictionary("lo"), wordlist).check(texts)
    Speller(SpellingIndex(tmp_path).dictionary("lo"), wordlist).check(texts[:8])  # some asked and stored
    assert Speller(SpellingIndex(tmp_path).dictionary("lo"), wordlist).check(texts) == fresh


@pytest.mark.renderer
def test_a_store_not_sealed_by_this_user_is_made_again(tmp_path: Path, texts: list[str]) -> None:
    _need_lao_dictionary()
    right = Speller(SpellingIndex(tmp_path).dictionary("lo")).check(texts[:3])
    store = tmp_path / "lo.json"
    data = json.loads(store.read_bytes()[cache.SEAL_SIZE:])
    # Every word known, every text found with a word it does not have: a forger's answers, not the dictionary's.
    data["answers"] = {word: ["*"] for word in data["answers"]}
    data["found"] = {key: ["ຂກຂກຂກ"] for key in data["found"]}
    forged = json.dumps(data, ensure_ascii=False).encode("utf-8")
    store.write_bytes(bytes(cache.SEAL_SIZE) + forged)  # a seal this user did not make
    assert Speller(SpellingIndex(tmp_path).dictionary("lo")).check(texts[:3]) == right
    assert store.read_bytes()[cache.SEAL_SIZE:] != forged


@pytest.mark.renderer
def test_a_store_made_with_other_code_is_not_read(tmp_path: Path, texts: list[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _need_lao_dictionary()
    Speller(SpellingIndex(tmp_path).dictionary("lo")).check(texts[:3])
    monkeypatch.setattr(cache, "code_hash", lambda: "another version")
    read = []
    misspelt = SlipReader.misspelt
    monkeypatch.setattr(SlipReader, "misspelt", lambda self, text: read.append(text) or misspelt(self, text))
    Speller(SpellingIndex(tmp_path).dictionary("lo")).check(texts[:3])
    assert len(read) == 3  # each text read again, none recalled from the other code's store


def test_without_the_dictionarys_file_nothing_is_stored(tmp_path: Path) -> None:
    dictionary = Dictionary(languages.Language("xx", "Nowhere", languages.LAO, "xx", "", hunspell="xx_XX"), tmp_path)
    assert dictionary.file is None
    dictionary.segments("ກອງປະຊຸມ")
    dictionary.save()
    assert list(tmp_path.iterdir()) == []


def test_the_index_keeps_one_dictionary_per_language() -> None:
    index = SpellingIndex(stored=False)
    assert index.dictionary("lo") is index.dictionary("lo-LA")
    assert index.dictionary("lo") is not index.dictionary("th")
    assert index.store is None and SpellingIndex().store == cache.user_cache_dir() / "spelling"


@pytest.mark.renderer
def test_what_a_text_was_found_to_have_is_kept_for_its_word_list_only(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _need_lao_dictionary()
    text = ["ກອງປະຊຸມ ຂກຂກຂກ"]
    assert Speller(SpellingIndex(tmp_path).dictionary("lo")).check(text) == [["ຂກຂກຂກ"]]
    assert Speller(SpellingIndex(tmp_path).dictionary("lo"), {"ຂກຂກຂກ"}).check(text) == [[]]
    _no_hunspell_process(monkeypatch)  # both are known now, each with its own word list
    assert Speller(SpellingIndex(tmp_path).dictionary("lo")).check(text) == [["ຂກຂກຂກ"]]
    assert Speller(SpellingIndex(tmp_path).dictionary("lo"), {"ຂກຂກຂກ"}).check(text) == [[]]
