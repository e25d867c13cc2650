"""Keep what each language's Hunspell dictionary says about words, sealed in the user's cache between runs.

The spelling check asks a dictionary four things: Hunspell's answer for a
word, whether a word is in the dictionary file, whether it is two or three of
its words written together, and whether it is one letter or mark away from a
long word of it; and it cuts texts into words with the language's segmenter.
What it then found in a text, with a given word list, is kept too.
Reading the dictionary file, indexing its words, importing the segmenter
(laonlp takes a third of a second) and asking Hunspell made `check` take
three times as long as a build, every run, for the same answers. The answers
change only with the dictionary and the code, so each ``Dictionary`` keeps
them in the user's cache folder, sealed like the compiled templates
(``cache.write_sealed``): an entry this user did not seal, or one made with
another dictionary file, another Hunspell or another version of the code, is
not read but made again. Only words not asked before need the dictionary,
its index, the segmenter or Hunspell.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from songphasa import cache, languages
from songphasa.errors import Problem, ToolMissing

from .store import Store
from .text import clean

#: Where Debian's dictionaries are (hunspell-lo, hunspell-th), searched in this order.
DICTIONARY_FOLDERS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")
#: The shortest word (in characters, marks included) a slip is looked for in: shorter
#: words have too many neighbours one mark away to tell a slip from another word.
NEAR_MIN = 6
#: Raise when the stored tables or the meaning of an answer change.
STORE_FORMAT = 4
#: The answers a store keeps from earlier runs; past this, only the words this run asked about are kept.
STORE_LIMIT = 50_000
_TABLES = ("segments", "answers", "words", "splits", "near", "found")


def deletions(word: str) -> set[str]:
    """Return the word and every string it gives with one character taken out."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def one_edit(a: str, b: str) -> bool:
    """Tell whether two words differ by one letter or mark: dropped, added, changed, or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    rest_a, rest_b = a[start:len(a) - end], b[start:len(b) - end]
    if len(rest_a) <= 1 and len(rest_b) <= 1:
        return True
    return len(rest_a) == len(rest_b) == 2 and rest_a == rest_b[::-1]


def deletion_index(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Index words by their deletions, so that the words one edit from another are found without a scan."""
    index: dict[str, list[str]] = {}
    for word in words:
        for key in deletions(word):
            index.setdefault(key, []).append(word)
    return {key: tuple(found) for key, found in index.items()}


def near_in(index: dict[str, tuple[str, ...]], word: str) -> str | None:
    """Return an indexed word one edit away from a word (not the word itself), if any."""
    for key in deletions(word):
        for candidate in index.get(key, ()):
            if candidate != word and one_edit(word, candidate):
                return candidate
    return None


def dictionary_file(name: str) -> Path | None:
    """Find a Hunspell dictionary's word file (``lo_LA.dic``) where Debian puts it, or None."""
    for folder in DICTIONARY_FOLDERS:
        path = Path(folder) / f"{name}.dic"
        if name and path.is_file():
            return path
    return None


class Dictionary:
    """One language's Hunspell dictionary, and what it said about every word asked so far."""

    def __init__(self, language: languages.Language, store: Path | None = None) -> None:
        """Open the language's dictionary; ``store`` is the folder its answers are kept in (None: kept in memory)."""
        self.language = language
        self.install = f"install it with: apt-get install hunspell {language.hunspell_package}"
        self.file = dictionary_file(language.hunspell)
        # Without the dictionary's file there is nothing to key the answers by: they are kept in memory only.
        path = store / f"{language.code}.json" if store is not None and self.file is not None else None
        key = self._identity(self.file) if path is not None and self.file is not None else ""
        self._store = Store(path, key, _TABLES, limit=STORE_LIMIT)
        self._words: frozenset[str] | None = None
        self._index: dict[str, tuple[str, ...]] | None = None

    # --- Hunspell -------------------------------------------------------------------------

    def available(self) -> bool:
        """Tell whether Hunspell and this dictionary are installed.

        A store read back was made with this very Hunspell program and
        dictionary file (its key holds them): they are, and need not be asked.
        """
        exe = shutil.which("hunspell")
        if exe is None or not self.language.hunspell:
            return False
        if self._store.read_back:
            return True
        try:
            done = subprocess.run([exe, "-d", self.language.hunspell, "-l"], input="", capture_output=True,
                                  text=True, encoding="utf-8", timeout=60)
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0

    def missing(self) -> Problem:
        """Say that words of this language are not spell-checked, and how to install what it takes."""
        return Problem("songphasa", None, f"spelling not checked: the {self.language.name} Hunspell dictionary "
                       "is not installed", f"install it with `apt-get install hunspell {self.language.hunspell_package}`",
                       "warning")

    def require(self) -> None:
        """Raise ToolMissing unless Hunspell and this dictionary's file are installed."""
        if shutil.which("hunspell") is None:
            raise ToolMissing(Problem("hunspell", None, "Hunspell is not installed", self.install))
        if self.file is None:
            raise ToolMissing(Problem("hunspell", None, f"the {self.language.name} Hunspell dictionary "
                                      f"{self.language.hunspell} is not installed", self.install))

    def answers(self, words: Sequence[str]) -> dict[str, list[str]]:
        """Return Hunspell's answer lines for each word; the words not asked before go to one Hunspell process.

        Raises ToolMissing when Hunspell or the dictionary is not installed.
        """
        exe = shutil.which("hunspell")
        if exe is None:
            raise ToolMissing(Problem("hunspell", None, "Hunspell is not installed", self.install))
        table = self._store.table("answers", words)
        new = [word for word in dict.fromkeys(words) if word not in table]
        if new:
            table.update(zip(new, self._ask(exe, new), strict=True))
            self._store.changed()
        return {word: table[word] for word in words}

    def _ask(self, exe: str, words: Sequence[str]) -> list[list[str]]:
        """Ask one Hunspell process about the words: its answer lines, one list per word."""
        # Pipe mode answers each input line with one block ending in an empty
        # line, so answers map back to words even if Hunspell splits one. "^"
        # keeps a line from being read as a command.
        done = subprocess.run([exe, "-d", self.language.hunspell, "-i", "UTF-8", "-a"],
                              input="".join(f"^{word}\n" for word in words), capture_output=True, text=True,
                              encoding="utf-8")
        lines = done.stdout.splitlines()
        if done.returncode != 0 or not lines or not lines[0].startswith("@(#)"):
            raise ToolMissing(Problem(
                "hunspell", None, f"Hunspell cannot use the {self.language.name} dictionary {self.language.hunspell} "
                f"({done.stderr.strip() or 'no answer'})", self.install))
        blocks: list[list[str]] = []
        current: list[str] = []
        for line in lines[1:]:
            if line:
                current.append(line)
            else:
                blocks.append(current)
                current = []
        if len(blocks) != len(words):
            raise RuntimeError(f"hunspell answered {len(blocks)} lines for {len(words)} words")
        return blocks

    # --- What the spelling check found -----------------------------------------------------

    def recalled(self, wordlist: str, text: str) -> list[str] | None:
        """Return the words found misspelt in a text with a word list (its digest) in an earlier run, if any."""
        found = self._store.table("found", (f"{wordlist}\n{text}",)).get(f"{wordlist}\n{text}")
        return list(found) if found is not None else None

    def remember(self, wordlist: str, text: str, words: Sequence[str]) -> None:
        """Keep the words found misspelt in a text with a word list (its digest), for the next run."""
        self._store.table("found", (f"{wordlist}\n{text}",))[f"{wordlist}\n{text}"] = list(words)
        self._store.changed()

    # --- The segmenter --------------------------------------------------------------------

    def segments(self, text: str) -> list[str]:
        """Cut a text into words with the language's segmenter (Lao and Thai write no spaces between words)."""
        table = self._store.table("segments", (text,))
        if text not in table:
            table[text] = languages.segment(text, self.language.code)
            self._store.changed()
        return list(table[text])

    # --- The dictionary file --------------------------------------------------------------

    def is_word(self, word: str) -> bool:
        """Tell whether a word is in the dictionary file."""
        return self._fact("words", word, lambda: word in self._file_words())

    def splits(self, word: str, most: int = 3) -> bool:
        """Tell whether a word is two or three dictionary words written together (ທີ່|ໄດ້|ມາ)."""
        def count() -> bool:
            words = self._file_words()
            pieces = {len(word): 0}  # the fewest dictionary words the rest of the word from a place is made of
            for start in range(len(word) - 1, -1, -1):
                pieces[start] = min([most + 1, *(1 + pieces[end] for end in range(start + 2, len(word) + 1)
                                                 if word[start:end] in words)])
            return pieces[0] <= most
        return self._fact("splits", word, count)

    def near(self, word: str) -> bool:
        """Tell whether a dictionary word of at least NEAR_MIN characters is one letter or mark away."""
        return self._fact("near", word, lambda: near_in(self._near_index(), word) is not None)

    def words(self) -> frozenset[str]:
        """Return the words of the dictionary file (none if it cannot be found)."""
        return self._file_words()

    def _file_words(self) -> frozenset[str]:
        if self._words is None:
            words: frozenset[str] = frozenset()
            if self.file is not None:
                try:
                    lines = self.file.read_text(encoding="utf-8", errors="replace").split("\n")
                except OSError:
                    lines = []
                if lines and lines[0].strip().isdigit():  # the word count a .dic file starts with (lo_LA's has none)
                    lines = lines[1:]
                words = frozenset(clean(line.split("/", 1)[0].strip()) for line in lines if line.strip())
            self._words = words
        return self._words

    def _near_index(self) -> dict[str, tuple[str, ...]]:
        if self._index is None:
            self._index = deletion_index(word for word in self._file_words() if len(word) >= NEAR_MIN)
        return self._index

    # --- The store ------------------------------------------------------------------------

    def save(self) -> None:
        """Store what was learned since the store was read."""
        self._store.save()

    def _identity(self, file: Path) -> str:
        """Hash what the answers are made of: the dictionary's files, the Hunspell program and Songphasa's code."""
        digest = hashlib.sha256(f"spelling {STORE_FORMAT} {self.language.code} {cache.code_hash()}".encode())
        for path in (file, file.with_suffix(".aff")):
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"absent")
        exe = shutil.which("hunspell")
        try:
            stat = os.stat(exe) if exe else None
        except OSError:
            stat = None
        digest.update(f"{exe} {stat.st_size if stat else 0} {stat.st_mtime_ns if stat else 0}".encode())
        return digest.hexdigest()

    def _fact(self, name: str, word: str, find: Callable[[], bool]) -> bool:
        table = self._store.table(name, (word,))
        if word not in table:
            table[word] = bool(find())
            self._store.changed()
        return bool(table[word])


class SpellingIndex:
    """The dictionaries one process has opened, by language: made by the caller, kept by a long-lived session."""

    def __init__(self, store: Path | None = None, *, stored: bool = True) -> None:
        """Keep answers under ``store`` (the user's cache folder by default), or in memory only when not ``stored``."""
        self.store = (store or cache.user_cache_dir() / "spelling") if stored else None
        self._dictionaries: dict[str, Dictionary] = {}

    def dictionary(self, language: str | languages.Language) -> Dictionary:
        """Return a language's dictionary (a code, or a Language of the table), opened once."""
        language = languages.get(language) if isinstance(language, str) else language
        key = f"{language.code} {language.hunspell}"
        if key not in self._dictionaries:
            self._dictionaries[key] = Dictionary(language, self.store)
        return self._dictionaries[key]


__all__ = ["DICTIONARY_FOLDERS", "NEAR_MIN", "Dictionary", "SpellingIndex", "deletion_index", "deletions",
           "dictionary_file", "near_in", "one_edit"]
