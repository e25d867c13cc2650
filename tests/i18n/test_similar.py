"""The searches by similarity (`tm import`'s fuzzy matches, `update`'s edited paragraphs) weigh few pairs.

Weighing every pair took 16 minutes for 5,600 entries against a 5,700-unit memory and
114 s for 4,000 edited paragraphs; each text now weighs a bounded number of candidates.
What is counted here is the pairs weighed (by difflib before, by rapidfuzz now), not time.
"""

from __future__ import annotations

import difflib
import random

import pytest
from babel.messages.catalog import Catalog, Message
from rapidfuzz import fuzz

from songphasa.i18n import similar
from songphasa.i18n.memory import Unit, apply
from songphasa.i18n.update import align_prose

WORDS = ("ministry service district province office one door citizen permit licence registration fee "
         "application review staff training budget report province capital village land title record "
         "tax court police health school road water power network data form stamp seal signature").split()


def sentences(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + f" number {i}" for i in range(count)]


def one_word_edited(text: str) -> str:
    words = text.split()
    words[len(words) // 2] = "amended"
    return " ".join(words)


@pytest.fixture
def weighed(monkeypatch) -> list[int]:
    """Count the pairs of texts weighed, whichever library weighs them."""
    count = [0]

    class Counting(difflib.SequenceMatcher):
        def set_seq1(self, a) -> None:  # difflib's get_close_matches and the old update: once per pair
            count[0] += 1
            super().set_seq1(a)

    ratio = fuzz.ratio

    def counting_ratio(*args, **kwargs):
        count[0] += 1
        return ratio(*args, **kwargs)

    monkeypatch.setattr(difflib, "SequenceMatcher", Counting)
    monkeypatch.setattr(fuzz, "ratio", counting_ratio)
    return count


def test_tm_import_weighs_a_bounded_number_of_pairs_and_finds_the_close_ones(weighed: list[int]) -> None:
    texts = sentences(400, seed=1)
    units = [Unit(None, text, f"translation {i}", "memory.tmx") for i, text in enumerate(texts)]
    catalog = Catalog(locale="lo")
    for i, text in enumerate(texts[:200]):  # 200 close to a unit, 200 like none
        catalog.add(one_word_edited(text), context=f"c.{i}")
    for i, text in enumerate(sentences(200, seed=2)):
        catalog.add("unrelated " + text, context=f"d.{i}")
    report = apply(catalog, units)
    assert weighed[0] <= similar.WEIGHED * 400  # every pair would be 160,000
    assert sorted(report.fuzzy) == sorted(f"c.{i}" for i in range(200))
    for i in range(200):
        message = catalog.get(one_word_edited(texts[i]), f"c.{i}")
        assert message.string == f"translation {i}" and message.previous_id == [texts[i]]


def test_update_pairs_each_edited_paragraph_with_its_own_weighing_a_bounded_number_of_pairs(
        weighed: list[int]) -> None:
    texts = sentences(400, seed=3)
    old = [Message(text, f"translation {i}", context=f"note.{i:x}", locations=[("content/note.md", i)])
           for i, text in enumerate(texts)]
    new = [Message(one_word_edited(text), "", context=f"note.e{i:x}", locations=[("content/note.md", i)])
           for i, text in enumerate(texts)]
    pairs = align_prose(new, old)
    assert weighed[0] <= similar.WEIGHED * 400  # every pair would be 160,000
    assert len(pairs) == 400
    assert all(message.context == f"note.e{known.context[5:]}" for message, known in pairs)


def test_a_pair_is_found_among_many_texts_that_share_common_words() -> None:
    common = "the of and to in a for on with by"
    candidates = [f"{common} {i}" for i in range(5_000)] + ["the district office registers land titles"]
    found = similar.nearest(["the district office registers land title"], candidates, cutoff=0.85, by_words=False)
    assert found == [[(pytest.approx(found[0][0][0]), 5_000)]] and found[0][0][0] >= 0.85
