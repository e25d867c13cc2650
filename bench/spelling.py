"""Measure the Lao spelling check on typing slips it was not tuned on: detection and false warnings, with intervals.

Run from the repository's root::

    python bench/spelling.py            # the held-out figures (what the README reports)
    python bench/spelling.py --tuning   # the half of the places the check's rules were tuned on

A typing model makes the slips (songphasa/checks/slips.py undoes the same
kinds): a tone mark dropped, doubled or swapped; a short vowel for a long
one or the reverse; a final consonant left out; a look-alike or
sound-alike consonant. Each slip is drawn at random (a fixed seed) and
planted, one at a time, into a word of a Lao text; a slip that gives
another dictionary word cannot be told from a right word without reading
the sentence and is left out (its count is printed). The places are split
in two by a hash of where they are: the check's rules and bounds were
tuned on one half (``--tuning``), and the figures below are the other's.

- detection, per text set: the share of planted slips whose text gets a new
  warning naming the whole misspelt word; "with its correction": the
  warning's likely correction is the right word;
- false warnings: the share of the untouched texts' words (as laonlp cuts
  them) that get a warning;
- the dictionary: slips of words drawn from the whole Hunspell lo_LA
  dictionary (the held-out half, by the same hash), each checked alone.

Each share comes with its 95 % Wilson interval. It prints the figures and
never fails on them (tests/checks/test_spelling.py holds the goals: at least
80 % detected, at most 2 % of right words warned).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

#: The text sets: the sample, and the second example (its own glossary and word list).
PROJECTS = (".", "examples/technical-workshop")
#: Slips planted per text set, and drawn from the dictionary.
PER_SET = 400
SEED = 20261204


@dataclass
class Share:
    """A count out of a total, with its 95 % Wilson interval."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def interval(self) -> tuple[float, float]:
        if not self.total:
            return (0.0, 0.0)
        z, n, p = 1.96, self.total, self.value
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return (max(0.0, centre - half), min(1.0, centre + half))

    def __str__(self) -> str:
        low, high = self.interval()
        return f"{self.hits} of {self.total} ({100 * self.value:.1f} %, 95 % CI {100 * low:.1f}–{100 * high:.1f} %)"


@dataclass
class Figures:
    """What one run measured: per text set, and for the dictionary's words alone."""

    detected: Share = field(default_factory=Share)
    corrected: Share = field(default_factory=Share)
    warned: Share = field(default_factory=Share)
    dictionary: Share = field(default_factory=Share)
    real_words: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    per_set: dict[str, tuple[Share, Share]] = field(default_factory=dict)

    # What tests/checks/test_spelling.py reads.
    @property
    def planted(self) -> int:
        return self.detected.total

    @property
    def detection(self) -> float:
        return self.detected.value

    @property
    def false_warnings(self) -> float:
        return self.warned.value


def slips(word: str) -> list[tuple[str, str]]:
    """Every slip the typing model can make in a word: (kind, what is typed)."""
    from songphasa import languages
    from songphasa.checks.slips import syllables

    slips = languages.get("lo").slips
    assert slips is not None
    pairs, tone_marks = slips.confusable, slips.tone_marks
    vowels = {a for a, _ in pairs[:5]} | {b for _, b in pairs[:5]}
    made = []
    for index, char in enumerate(word):
        if char in tone_marks:
            made.append(("tone mark dropped", word[:index] + word[index + 1:]))
            made.append(("tone mark doubled", word[:index + 1] + char + word[index + 1:]))
        for a, b in pairs:
            if char in (a, b):
                kind = ("tone mark swapped" if char in tone_marks else
                        "short/long vowel" if char in vowels else "look-alike consonant")
                made.append((kind, word[:index] + (b if char == a else a) + word[index + 1:]))
    pieces, _ = syllables(word)
    end = 0
    for piece in pieces:
        end += len(piece)
        if len(piece) > 1 and piece[-1] in slips.finals:
            made.append(("final consonant dropped", word[:end - 1] + word[end:]))
    return made


def _tuning_half(key: str) -> bool:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 2 == 0


def measure(root: Path, *, tuning: bool = False) -> Figures:
    """Plant the held-out slips (or, with ``tuning``, the tuned-on ones) and count what the check says."""
    from songphasa.checks.dictionary import SpellingIndex
    from songphasa.checks.event import spelling_wordlist
    from songphasa.checks.slips import syllables
    from songphasa.checks.spelling import Speller
    from songphasa.content.load import load_event
    from songphasa.i18n.po import read_catalog
    from songphasa.project import Project

    rng = random.Random(SEED + int(tuning))
    figures = Figures()
    dictionary = SpellingIndex(stored=False).dictionary("lo")
    for folder in PROJECTS:
        project = Project.at(root / folder)
        catalog = read_catalog(project.po_path("lo"), project.root, locale="lo")
        speller = Speller(dictionary, spelling_wordlist(project, load_event(project.root), catalog))
        reader = speller.reader()
        assert reader is not None
        texts = [m.string if isinstance(m.string, str) else m.string[0] for m in catalog if m.id and m.string]
        found = speller.check(texts)
        warned, detected = Share(), Share()
        places = []
        for number, (text, said) in enumerate(zip(texts, found, strict=True)):
            for match in re.finditer(f"[{reader.language.script.word_chars}]+", text.replace("\u0ec6", " ")):
                pieces, bad = syllables(match.group())
                words = [("".join(pieces[start:end]), known) for start, end, known in reader.segment(pieces, bad)]
                position = match.start()
                for word, known in words:
                    warned.add(any(word in w or w in word for w in said))
                    if any(word in w or w in word for w in said):
                        figures.false.append(word)
                    if known and _tuning_half(f"{folder}:{number}:{position}") == tuning:
                        places.append((number, position, word))
                    position += len(word)
        rng.shuffle(places)
        corrected = Share()
        for number, position, word in places:
            options = [(kind, typed) for kind, typed in slips(word) if typed != word]
            if not options:
                continue
            kind, typed = rng.choice(options)
            if typed in reader.vocabulary:
                figures.real_words += 1
                continue
            text = texts[number]
            damaged = text[:position] + typed + text[position + len(word):]
            before = set(found[number])
            new = [w for w in speller.misspelt(damaged) if w not in before]
            hit = any(typed in w for w in new)
            detected.add(hit)
            corrected.add(hit and any(typed in w and word in (speller.correction(w) or "") for w in new))
            if not hit:
                figures.missed.append(f"{typed} ({word}, {kind})")
            if detected.total >= PER_SET:
                break
        figures.per_set[folder] = (detected, warned)
        for mine, theirs in ((figures.detected, detected), (figures.corrected, corrected), (figures.warned, warned)):
            mine.hits += theirs.hits
            mine.total += theirs.total
    _dictionary_words(figures, dictionary.words(), rng, tuning)
    return figures


def _dictionary_words(figures: Figures, words: frozenset[str], rng: random.Random, tuning: bool) -> None:
    """Slips of words drawn from the whole dictionary, each checked alone."""
    from songphasa import languages
    from songphasa.checks.slips import SlipReader

    reader = SlipReader.for_words(languages.get("lo"), words, ())
    pool = sorted(w for w in words if _tuning_half(f"dictionary:{w}") == tuning)
    rng.shuffle(pool)
    for word in pool:
        options = [(kind, typed) for kind, typed in slips(word) if typed != word]
        if not options:
            continue
        _, typed = rng.choice(options)
        if typed in reader.vocabulary:
            continue
        figures.dictionary.add(any(typed in w for w, _ in reader.misspelt(typed)))
        if figures.dictionary.total >= PER_SET:
            break


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    tuning = "--tuning" in sys.argv[1:]
    figures = measure(root, tuning=tuning)
    print(f"Lao typing slips, {'the tuned-on half' if tuning else 'held out (not tuned on)'}, seed {SEED}:")
    for folder, (detected, warned) in figures.per_set.items():
        name = "the sample" if folder == "." else folder
        print(f"  {name}: detected {detected}; right words warned {warned}")
    print(f"  both: detected {figures.detected}; with the right correction {figures.corrected}")
    print(f"  both: right words warned {figures.warned}")
    print(f"  dictionary words alone (Hunspell lo_LA): detected {figures.dictionary}")
    print(f"  left out: {figures.real_words} slips that gave another word of the vocabulary")
    print(f"  missed, first 15: {', '.join(figures.missed[:15]) or 'none'}")
    print(f"  warned right words: {', '.join(sorted(set(figures.false))) or 'none'}")


if __name__ == "__main__":
    main()
