"""The word-by-word marks of a modified recommendation: exact for short texts, bounded for long ones."""

from __future__ import annotations

import random

from lxml import html as lxml_html

from songphasa.diff import MAX_PAIRS, word_diff, words
from songphasa.render import inline_markdown


def both_sides(marked: str) -> tuple[str, str]:
    """Return the text before (without <ins>) and after (without <del>) a diff."""
    sides = []
    for drop in ("ins", "del"):
        tree = lxml_html.fragment_fromstring(f"<div>{marked}</div>")
        for element in tree.xpath(f".//{drop}"):
            element.drop_tree()
        sides.append(tree.text_content())
    return sides[0], sides[1]


def test_a_small_change_is_marked_word_by_word() -> None:
    marked = str(word_diff("The committee will meet monthly.", "The committee will meet every quarter.", "en"))
    assert marked == "The committee will meet <del>monthly</del><ins>every quarter</ins>."


def test_long_texts_that_differ_everywhere_keep_both_sides_and_are_marked_coarsely() -> None:
    """Past MAX_PAIRS the changed middle is one deletion and one insertion, still true to both texts."""
    rng = random.Random(7)
    vocabulary = ["the", "ministry", "shall", "a", "of", "and", "ODSC", "ສູນ", "ບໍລິການ"]
    before = "Agreed: " + " ".join(rng.choice(vocabulary) for _ in range(3000)) + " — end."
    after = "Agreed: " + " ".join(rng.choice(vocabulary) for _ in range(3000)) + " — end."
    assert len(words(before, "en")) * len(words(after, "en")) > MAX_PAIRS
    marked = str(word_diff(before, after, "en"))
    assert both_sides(marked) == (before, after)
    assert marked.count("<del>") == 1 and marked.count("<ins>") == 1
    assert marked.startswith("Agreed") and marked.endswith("end.")


def test_brackets_that_are_no_link_stay_brackets_and_links_stay_links() -> None:
    html = inline_markdown("see [the note](https://un.org/x) [1] and ]" + "[" * 5000 + " \\[kept\\]")
    tree = lxml_html.fragment_fromstring(f"<div>{html}</div>")
    assert [a.get("href") for a in tree.iter("a")] == ["https://un.org/x"]
    assert tree.text_content() == "see the note [1] and ]" + "[" * 5000 + " [kept]"
