"""The word-by-word marks of a modified recommendation: exact for short texts, bounded for long ones."""

from __future__ import annotations

import random

from lxml import html as lxml_html

from songphasa.diff import MAX_PAIRS, word_diff, words
from songphasa.render.markdown import inline_markdown


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


# --- small inputs, huge work: bounds a test can see, without a clock ---------------------------

def test_python_markdown_never_sees_a_bracket_that_is_not_part_of_a_whole_link(monkeypatch) -> None:
    """python-markdown tries every '[' against the rest of the text (quadratic): only whole links reach it."""
    from songphasa.render.markdown import InlineMarkdown
    seen: list[str] = []
    real = InlineMarkdown.convert  # the one place python-markdown is called

    def recording(self: InlineMarkdown, text: str) -> str:
        seen.append(text)
        return real(self, text)
    monkeypatch.setattr(InlineMarkdown, "convert", recording)
    source = "a [link](https://un.org/a) " + "[" * 3000 + " ]] [x] " + "[b](" * 500 + " [two](mailto:x@un.org)"
    html = inline_markdown(source)
    assert len(seen) == 1
    assert seen[0].count("[") == 2 and seen[0].count("]") == 2  # the two links, nothing else
    tree = lxml_html.fragment_fromstring(f"<div>{html}</div>")
    assert [a.get("href") for a in tree.iter("a")] == ["https://un.org/a", "mailto:x@un.org"]
    assert tree.text_content() == "a link " + "[" * 3000 + " ]] [x] " + "[b](" * 500 + " two"


def test_the_word_diff_never_gives_difflib_more_than_max_pairs(monkeypatch) -> None:
    """A long recommendation modified all through: the fine comparison is bounded, both texts kept."""
    import songphasa.diff as diff
    sizes: list[int] = []

    class Counting(diff.difflib.SequenceMatcher):
        def __init__(self, isjunk, a, b, **options):
            sizes.append(len(a) * len(b))
            super().__init__(isjunk, a, b, **options)
    monkeypatch.setattr(diff.difflib, "SequenceMatcher", Counting)
    rng = random.Random(11)
    vocabulary = ["the", "ministry", "shall", "a", "of", "and", "ODSC", "service", "report", "quarterly"]
    before_words = [rng.choice(vocabulary) for _ in range(1500)]
    after_words = [rng.choice(vocabulary) if rng.random() < 0.1 else w for w in before_words]
    before, after = " ".join(before_words), " ".join(after_words)
    assert len(before) <= 10_000  # a text the content may hold (content.MAX_TEXT_CHARS)
    marked = str(word_diff(before, after, "en"))
    assert both_sides(marked) == (before, after)
    assert sizes == [] or max(sizes) <= MAX_PAIRS
    small = str(word_diff("Meet monthly at the ministry.", "Meet every quarter at the ministry.", "en"))
    assert sizes and max(sizes) <= MAX_PAIRS  # the fine comparison still runs where it is cheap
    assert small == "Meet <del>monthly</del><ins>every quarter</ins> at the ministry."
