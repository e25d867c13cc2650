"""Find typing slips in Lao: read a run of text as syllables, then as dictionary words, and name the whole word.

A typist's slips are few and known: a tone mark dropped, doubled or
swapped, a short vowel for a long one (ິ/ີ, ຸ/ູ, ະ/າ), a final consonant
left out, a look-alike or sound-alike consonant (ບ/ປ, ດ/ຕ, ສ/ຊ, ນ/ໜ). A run
of Lao (the letters between spaces and punctuation) is read in three steps:

1. laonlp's syllable rules cut it into syllables; what they cannot read as a
   syllable (ຕ້້ອງ, ເປັ, ກະນ) is kept as a piece of its own, known bad;
2. the syllables are joined into the fewest words of the vocabulary (the
   Hunspell dictionary's words, laonlp's word list and the project's own
   words); a piece no word covers is unknown;
3. the misspelt word is the unknown piece with the syllables around it that
   one slip away make a word: that word is its likely correction. A slip
   that leaves only known words (ບັນຕາ read as ບັນ|ຕາ, ສືສານ as ສື|ສານ) is
   found when two or three of them, joined, are one slip from a dictionary
   word and are not two longer words side by side.

Only the slips of the model count as "one slip" for step 3's hidden case:
two ordinary words side by side are often one arbitrary letter from some
other word, rarely one typing slip from it. ``bench/spelling.py`` measures
the check on slips the same model makes at random, in texts it was not
tuned on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache

from songphasa import languages

from .dictionary import deletion_index, near_in

#: The longest word, in syllables, the reader looks for.
MOST_SYLLABLES = 8
#: Pieces joined are checked for a hidden slip only from this many characters (marks included).
JOINED_MIN = 4
#: At most this many consonants and nothing else: an abbreviation (ສປປ, ພນ, ກຊ), not a word.
ABBREVIATION_MAX = 5


def _confusable(slips: languages.TypingSlips) -> dict[str, str]:
    found: dict[str, str] = {}
    for a, b in slips.confusable:
        found[a] = found.get(a, "") + b
        found[b] = found.get(b, "") + a
    return found


def corrections(word: str, slips: languages.TypingSlips) -> Iterable[str]:
    """Yield what a word may have been before one typing slip (the language's slips, undone)."""
    confusable = _confusable(slips)
    for index, char in enumerate(word):
        for other in confusable.get(char, ""):
            yield word[:index] + other + word[index + 1:]
        if char in slips.tone_marks:  # a tone mark doubled or put where none belongs
            yield word[:index] + word[index + 1:]
    for index in range(1, len(word) + 1):
        for char in slips.tone_marks + slips.finals:  # a tone mark or final consonant left out
            yield word[:index] + char + word[index:]


def syllables(run: str) -> tuple[list[str], set[int]]:
    """Cut a run into syllables, every character kept; return them and the places of those no rule reads."""
    from laonlp.tokenize import syllable_tokenize  # slow to import: only a Lao check needs it

    pieces: list[str] = []
    bad: set[int] = set()
    position = 0
    for syllable in syllable_tokenize(run):
        start = run.find(syllable, position)
        if start < 0:
            continue
        if start > position:
            bad.add(len(pieces))
            pieces.append(run[position:start])
        pieces.append(syllable)
        position = start + len(syllable)
    if position < len(run):
        bad.add(len(pieces))
        pieces.append(run[position:])
    return pieces, bad


@cache
def word_list() -> frozenset[str]:
    """laonlp's Lao word list (compounds the Hunspell dictionary lacks: ຂໍ້ມູນຂ່າວສານ, ມຸ່ງໝັ້ນ)."""
    from laonlp.corpus import lao_words

    return frozenset(lao_words())


@dataclass
class SlipReader:
    """Read Lao texts for typing slips against a vocabulary (see the module's description).

    ``dictionary``: the words a correction may be (the Hunspell dictionary's and the project's); ``vocabulary``:
    every word a text may hold (those, and laonlp's word list); ``project``: the project's own words (names,
    glossary terms, the word list), each run of Lao letters of them.
    """

    language: languages.Language
    dictionary: frozenset[str]
    vocabulary: frozenset[str]
    project: frozenset[str] = frozenset()
    _index: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        script = self.language.script
        # A run of the script's word characters; a modifier letter (ໆ, the repetition mark) ends one.
        self._run_pattern = re.compile(f"[{script.word_chars}]+")
        self._abbreviation = re.compile(f"[{script.letters}]{{1,{ABBREVIATION_MAX}}}")
        assert self.language.slips is not None
        self._slips = self.language.slips

    @classmethod
    def for_words(cls, language: languages.Language, dictionary_words: Collection[str],
                  own: Collection[str]) -> SlipReader:
        """Make a reader from the dictionary's words and the project's own (names and terms: each run of them)."""
        reader = cls(language, frozenset(), frozenset())
        own_runs = frozenset(run for word in own for run in reader.runs(word))
        dictionary = frozenset(dictionary_words) | own_runs
        return cls(language, dictionary, dictionary | word_list(), own_runs)

    def runs(self, text: str) -> list[str]:
        """Return the runs of a text the reader reads (the script's words, between spaces, digits and marks)."""
        text = "".join(" " if unicodedata.category(c) == "Lm" else c for c in text)
        return self._run_pattern.findall(text)

    def misspelt(self, text: str) -> list[tuple[str, str | None]]:
        """Return each misspelt word of a text, once, with its likely correction (None: none is one slip away)."""
        found: list[tuple[str, str | None]] = []
        for run in self.runs(text):
            if self._abbreviation.fullmatch(run) or run in self.dictionary:
                continue
            for word in self._run(run):
                if word[0] not in [f[0] for f in found]:
                    found.append(word)
        return found

    def likely(self, word: str) -> str | None:
        """Return the vocabulary word one modelled slip from a word, if any."""
        return next((c for c in corrections(word, self._slips) if c != word and c in self.vocabulary), None)

    def correction(self, word: str) -> str | None:
        """The likely correction, else a dictionary word one letter or mark away (any edit)."""
        if self._index is None:
            self._index = deletion_index(w for w in self.dictionary if len(w) >= 4)
        return self.likely(word) or near_in(self._index, word)

    def segment(self, pieces: list[str], bad: set[int]) -> list[tuple[int, int, bool]]:
        """Join syllables into the fewest vocabulary words: (start, end, known) spans, an unknown one per syllable."""
        count, unknown_cost, none = len(pieces), 100, 10**9
        best = [0] + [none] * count
        back: list[tuple[int, bool]] = [(0, True)] * (count + 1)
        for start in range(count):
            if best[start] == none:
                continue
            joined = ""
            for end in range(start + 1, min(count, start + MOST_SYLLABLES) + 1):
                if end - 1 in bad:
                    break
                joined += pieces[end - 1]
                if joined in self.vocabulary and best[start] + 1 < best[end]:
                    best[end], back[end] = best[start] + 1, (start, True)
            if best[start] + unknown_cost < best[start + 1]:
                best[start + 1], back[start + 1] = best[start] + unknown_cost, (start, False)
        spans = []
        end = count
        while end > 0:
            start, known = back[end]
            spans.append((start, end, known))
            end = start
        return spans[::-1]

    def _run(self, run: str) -> list[tuple[str, str | None]]:
        pieces, bad = syllables(run)
        spans = self.segment(pieces, bad)
        found = []
        index = 0
        while index < len(spans):  # each stretch of unknown syllables: the whole word around it
            if spans[index][2]:
                index += 1
                continue
            last = index
            while last + 1 < len(spans) and not spans[last + 1][2]:
                last += 1
            found.append(self._whole_word(pieces, spans[index][0], spans[last][1]))
            index = last + 1
        for start, end, known in spans:  # laonlp's list has misspellings too: not of the project's own words
            word = "".join(pieces[start:end])
            if known and word not in self.dictionary and self.project:
                correction = self.likely(word)
                if correction in self.project:
                    found.append((word, correction))
        for size in (2, 3):  # a slip that left only known words
            for index in range(len(spans) - size + 1):
                group = spans[index:index + size]
                if not all(known for _, _, known in group):
                    continue
                parts = pieces[group[0][0]:group[-1][1]]
                word = "".join(parts)
                if len(word) < JOINED_MIN or word in self.vocabulary:
                    continue
                correction = self.likely(word)
                # One slip from the project's own word (ວັດທະນາ|ຖາວອນ for ວັດທະນະຖາວອນ) is one, whatever the pieces.
                if correction is not None and (correction in self.project or (
                        correction in self.dictionary and not self._two_words(parts))):
                    found.append((word, correction))
        return found

    def _whole_word(self, pieces: list[str], start: int, end: int) -> tuple[str, str | None]:
        """Name the misspelt word around unknown syllables: the longest stretch one slip from a word."""
        best: tuple[str, str | None] = ("".join(pieces[start:end]), None)
        for before in range(4):
            for after in range(4):
                if start - before < 0 or end + after > len(pieces):
                    continue
                word = "".join(pieces[start - before:end + after])
                correction = self.correction(word)
                if correction is not None and (best[1] is None or len(word) > len(best[0])):
                    best = (word, correction)
        return best

    def _two_words(self, parts: list[str]) -> bool:
        """Tell whether syllables are two words of two syllables or more each: no slip hides between them."""
        return any("".join(parts[:k]) in self.vocabulary and "".join(parts[k:]) in self.vocabulary
                   for k in range(2, len(parts) - 1))


def reader_for(language: languages.Language, dictionary_words: Collection[str],
               own: Collection[str]) -> SlipReader | None:
    """Return a slip reader for a language whose table entry has typing slips and laonlp's syllables, else None."""
    if language.slips is None or language.segmenter != "laonlp":
        return None
    return SlipReader.for_words(language, dictionary_words, own)


__all__ = ["SlipReader", "corrections", "reader_for", "syllables", "word_list"]
