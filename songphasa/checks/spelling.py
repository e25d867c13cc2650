"""Spell-check translations in languages written without spaces: segment, ask Hunspell, find slips one mark away.

Lao is read by slips.py (syllables, then the fewest dictionary words, then
the whole misspelt word and its likely correction); Thai, and a language
slips.py has no reader for, as below.

The language's segmenter (laonlp, pythainlp) cuts a text into words; a word
is reported when

- Hunspell does not know it and cannot split it into dictionary words;
- Hunspell does not know it as one word and it is one letter or mark away
  from a word it knows, or from a project word (the word list, the
  glossary's terms, names): ສະໜັບສະໜຸນ for ສະໜັບສະໜູນ, ວັດທະນາຖາວອນ for
  ວັດທະນະຖາວອນ — splitting it would hide the slip;
- two or three pieces the segmenter cut it into, joined, are not a word but
  one letter or mark away from a long one: ລັດທະ|ບານ for ລັດຖະບານ, ທອງ|ຖິ່ນ
  for ທ້ອງຖິ່ນ (each piece alone is a word, so the slip hid);
- a piece has no consonant (ຽ of ປະຕູດຽ): a word was cut short.

Words of the project's word list are never reported. What the dictionary
says is asked of a ``Dictionary`` (dictionary.py), which keeps the answers.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Sequence

from songphasa import languages

from .dictionary import NEAR_MIN, Dictionary, deletion_index, near_in
from .entry import Entry, Finding
from .slips import SlipReader, reader_for
from .text import clean

#: Pieces the segmenter cut are joined only into words this long: two short
#: words side by side are often one mark away from another word (ຂັ້ນ|ສູງ, ຊັ້ນສູງ).
NEAR_JOINED = 8


def _whole_word(answer: list[str]) -> bool:
    """Tell whether Hunspell knows the word as it stands (not only as a split)."""
    return all(line[:1] in ("*", "+", "-") for line in answer)


def _known(word: str, answer: list[str]) -> bool:
    """Read Hunspell's answer about one word.

    The segmenter often keeps two dictionary words together (ຂໍ້ມູນຂ່າວສານ,
    ການບໍລິຫານ) where the dictionary lists them apart; Hunspell then
    suggests the same letters with a space, and the word is not misspelt.
    """
    for line in answer:
        if line[:1] in ("#", "?"):
            return False
        if line[:1] == "&":
            suggestions = line.partition(": ")[2].split(", ")
            if not any(" " in s and s.replace(" ", "") == word for s in suggestions):
                return False
    return True


def _repeats(token: str) -> bool:
    """Tell whether a token is a mark that repeats the word before it (ໆ, ๆ: Unicode's modifier letters)."""
    return len(token) == 1 and unicodedata.category(token) == "Lm"


class Speller:
    """Spell-check texts of one language against its dictionary and the project's own words."""

    def __init__(self, dictionary: Dictionary, wordlist: Collection[str] = ()) -> None:
        """Check with a dictionary; the words of ``wordlist`` (the project's names and terms) are never reported."""
        script = dictionary.language.script
        self.dictionary = dictionary
        self._word = re.compile(f"[{script.word_chars}]+")
        self._letter = re.compile(f"[{script.letters}]")
        self.known = {clean(w).strip() for w in wordlist}
        # Only entries the segmenter would cut up are removed as a whole; removing
        # a one-word name everywhere would also cut it out of longer words.
        self._phrases = sorted((w for w in self.known if self._letter.search(w) and len(self._tokens(w)) > 1),
                               key=len, reverse=True)
        self._project = {w for w in self.known if len(w) >= NEAR_MIN and " " not in w}
        self._project_index = deletion_index(self._project)
        # What a text was found to have depends on the word list too: its digest keys what is kept.
        self._wordlist = hashlib.sha256("\n".join(sorted(self.known)).encode("utf-8")).hexdigest()
        self._found: dict[str, list[str]] = {}
        self._reader: SlipReader | None = None

    def reader(self) -> SlipReader | None:
        """Return the slip reader of the language (made at first use), or None where slips.py has none."""
        language = self.dictionary.language
        if self._reader is None and language.slips is not None:
            self._reader = reader_for(language, self.dictionary.words(), self.known)
        return self._reader

    def correction(self, word: str) -> str | None:
        """Return the likely correction of a misspelt word (None: none is one slip away, or no reader)."""
        reader = self.reader()
        return reader.correction(word) if reader is not None else None

    def check(self, texts: Sequence[str]) -> list[list[str]]:
        """Return the words that look misspelt, per text, once each, in order."""
        self.prepare(texts)
        return [self.misspelt(text) for text in texts]

    def prepare(self, texts: Sequence[str]) -> None:
        """Check a batch of texts at once: the words they share go to one Hunspell process, then to the store.

        Raises ToolMissing when Hunspell or the language's dictionary is not installed.
        """
        for text in texts:  # found by an earlier run with the same word list
            earlier = self.dictionary.recalled(self._wordlist, text) if text not in self._found else None
            if earlier is not None:
                self._found[text] = earlier
        if self.dictionary.language.slips is not None and any(text not in self._found for text in texts):
            self.dictionary.require()
        reader = self.reader()
        if reader is not None:
            for text in texts:
                if text not in self._found:
                    self._found[text] = [word for word, _ in reader.misspelt(clean(text)) if word not in self.known]
                    self.dictionary.remember(self._wordlist, text, self._found[text])
            self.dictionary.save()
            return
        runs = {text: self._runs(text) for text in texts if text not in self._found}
        singles = list(dict.fromkeys(t for text_runs in runs.values() for run in text_runs for t in run
                                     if self._letter.search(t) and t not in self.known))
        answers = self.dictionary.answers(singles)  # Hunspell is asked for none when all were found before
        for text, text_runs in runs.items():
            self._found[text] = self._misspelt(text_runs, answers)
            self.dictionary.remember(self._wordlist, text, self._found[text])
        self.dictionary.save()

    def misspelt(self, text: str) -> list[str]:
        """Return the words of one text that look misspelt (checked alone unless a batch had it)."""
        if text not in self._found:
            self.prepare([text])
        return list(self._found[text])

    def _tokens(self, text: str) -> list[str]:
        return [t for t in self.dictionary.segments(text) if self._letter.search(t)]

    def _runs(self, text: str) -> list[list[str]]:
        """Segment a text into runs of words (a run ends at a space, a digit or punctuation)."""
        text = clean(text)
        for phrase in self._phrases:
            text = text.replace(phrase, " ")
        runs: list[list[str]] = [[]]
        for token in self.dictionary.segments(text):
            if self._word.fullmatch(token):
                runs[-1].append(token)
            elif runs[-1]:
                runs.append([])
        return [run for run in runs if run]

    def _misspelt(self, runs: list[list[str]], answers: dict[str, list[str]]) -> list[str]:
        found: list[str] = []
        known, letter, dictionary = self.known, self._letter, self.dictionary

        def report(word: str) -> None:
            if word not in found and word not in known:
                found.append(word)

        for run in runs:
            for index, token in enumerate(run):
                if not letter.search(token):
                    if not _repeats(token):  # a mark or vowel left over: the word before was cut short
                        report(run[index - 1] + token if index else token)
                    continue
                if token in known or token not in answers:
                    continue
                answer = answers[token]
                if not _whole_word(answer) and (not (_known(token, answer) or dictionary.splits(token))
                                                or near_in(self._project_index, token)):
                    report(token)
            for size in (2, 3):
                for index in range(len(run) - size + 1):
                    pieces = run[index:index + size]
                    joined = "".join(pieces)
                    if any(p in known or not letter.search(p) for p in pieces) or joined in known:
                        continue
                    if len(joined) >= NEAR_JOINED and joined not in self._project and not dictionary.is_word(joined) \
                            and (near_in(self._project_index, joined) or dictionary.near(joined)):
                        report(joined)
        return found


def check_spelling(entry: Entry) -> list[Finding]:
    """Report the words of a translation its language's dictionary and the project's word list do not know."""
    if entry.speller is None or not entry.translation:
        return []
    unknown = entry.speller.misspelt(entry.translation)
    if not unknown:
        return []
    said = []
    for word in unknown:
        correction = entry.speller.correction(word)
        said.append(f"{word} ({correction}?)" if correction else word)
    return [Finding("spelling", "warning", f"words that may be misspelt (not in the {entry.target_name} dictionary, "
                    f"or one mark from a known word): {', '.join(said)}",
                    "check their spelling, or add them to content/wordlist.txt")]


def word_tokens(text: str, lang: str) -> list[str]:
    """Return the words of a text as the spelling check segments them (for counting)."""
    letter = re.compile(f"[{languages.get(lang).script.letters}]")
    return [t for t in languages.segment(clean(text), lang) if letter.search(t)]


__all__ = ["NEAR_JOINED", "Speller", "check_spelling", "word_tokens"]
