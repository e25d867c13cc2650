"""Measure the Lao spelling check: how many planted misspellings it flags, how many right words it warns about.

Run from the repository's root::

    python bench/spelling.py

It prints two figures and never fails on them (tests/checks/test_spelling.py
holds the thresholds):

- detection: realistic misspellings (a dropped or swapped tone mark or vowel,
  a truncated word, a wrong consonant) planted one at a time into the
  sample's Lao translations; one counts as flagged when its entry gets a
  warning it did not have;
- false warnings: the words of the sample's own Lao text (as laonlp segments
  it) that the check reports, as a share of all its words.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

#: (right, misspelt): each right form occurs in the sample's Lao; each misspelt one is a mistake a typist makes.
PLANTED = [
    ("ວັດທະນະຖາວອນ", "ວັດທະນາຖາວອນ"),        # vowel: ະ for າ in the national motto
    ("ສູນບໍລິການຜ່ານປະຕູດຽວ", "ສູນບໍລິການຜ່ານປະຕູດຽ"),  # truncated term
    ("ປະຊາທິປະໄຕ", "ປະຊາທີປະໄຕ"),            # vowel: ີ for ິ
    ("ເອກະລາດ", "ເອກະລາຕ"),                  # wrong final consonant
    ("ສັນຕິພາບ", "ສັນຕິພາປ"),                  # wrong final consonant
    ("ລັດຖະບານ", "ລັດທະບານ"),                  # wrong consonant
    ("ປະສິດທິຜົນ", "ປະສິດທິຜນ"),              # dropped vowel
    ("ນະໂຍບາຍ", "ນະໂຍບາຍຍ"),                 # doubled letter
    ("ກອງປະຊຸມ", "ກອງປະຊູມ"),                # vowel: ູ for ຸ
    ("ຮອງລັດຖະມົນຕີ", "ຮອງລັດຖະມົນຕິ"),        # vowel: ິ for ີ
    ("ຂໍ້ສະເໜີແນະ", "ຂໍ່ສະເໜີແນະ"),             # tone mark swapped
    ("ເຂົ້າຮ່ວມ", "ເຂົ່າຮ່ວມ"),                  # tone mark swapped
    ("ຮ່ວມມື", "ຮ້ວມມື"),                      # tone mark swapped
    ("ທ້ອງຖິ່ນ", "ທອງຖິ່ນ"),                    # dropped tone mark
    ("ຜູ້ຕາງໜ້າ", "ຜູຕາງໜ້າ"),                  # dropped tone mark
    ("ປະຊາຊົນ", "ປະຊາຊນ"),                    # dropped vowel
    ("ສາທາລະນະລັດ", "ສາທາລະນະລັຕ"),            # wrong final consonant
    ("ເສດຖະກິດ", "ເສດຖະກີດ"),                  # vowel: ີ for ິ
    ("ກະຊວງ", "ກະຊວ"),                        # truncated
    ("ຄະນະກຳມະການ", "ຄະນະກຳມະກນ"),            # dropped vowel
    ("ການພັດທະນາ", "ການພັດທນາ"),              # dropped vowel
    ("ສະໜັບສະໜູນ", "ສະໜັບສະໜຸນ"),              # vowel: ຸ for ູ
    ("ຍຸດທະສາດ", "ຍຸດທະສາຕ"),                  # wrong final consonant
    ("ປະຕິບັດ", "ປະຕິບັຕ"),                    # wrong final consonant
    ("ຫ້ອງການ", "ຫອ້ງການ"),                    # tone mark and vowel swapped
]


@dataclass(frozen=True)
class Figures:
    planted: int
    flagged: list[str]
    missed: list[str]
    words: int
    warned: list[str]

    @property
    def detection(self) -> float:
        return len(self.flagged) / self.planted if self.planted else 0.0

    @property
    def false_warnings(self) -> float:
        return len(self.warned) / self.words if self.words else 0.0


def measure(root: Path) -> Figures:
    """Plant every misspelling into the sample's Lao and run the check once over all texts."""
    from songphasa.checks.dictionary import SpellingIndex
    from songphasa.checks.event import spelling_wordlist
    from songphasa.checks.spelling import Speller, word_tokens
    from songphasa.content.load import load_event
    from songphasa.i18n.po import read_catalog
    from songphasa.project import Project

    project = Project.at(root)
    catalog = read_catalog(project.po_path("lo"), project.root, locale="lo")
    wordlist = spelling_wordlist(project, load_event(project.root), catalog)
    texts = [m.string if isinstance(m.string, str) else m.string[0]
             for m in catalog if m.id and m.string and "no-spelling-check" not in m.flags]
    planted = []
    for right, wrong in PLANTED:
        index = next((i for i, t in enumerate(texts) if right in t), None)
        if index is None:
            raise SystemExit(f"bench/spelling.py: '{right}' is not in the sample's Lao any more: choose another word")
        planted.append((index, right, texts[index].replace(right, wrong, 1)))
    speller = Speller(SpellingIndex().dictionary("lo"), wordlist)
    answers = speller.check(texts + [text for _, _, text in planted])
    original, damaged = answers[:len(texts)], answers[len(texts):]
    flagged, missed = [], []
    for (index, _, _), found, (_, wrong) in zip(planted, damaged, PLANTED, strict=True):
        (flagged if set(found) - set(original[index]) else missed).append(wrong)
    words = sum(len(word_tokens(t, "lo")) for t in texts)
    warned = [w for found in original for w in found]
    return Figures(len(planted), flagged, missed, words, warned)


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    figures = measure(root)
    print(f"detection: {len(figures.flagged)} of {figures.planted} planted misspellings flagged "
          f"({100 * figures.detection:.0f} %); missed: {', '.join(figures.missed) or 'none'}")
    print(f"false warnings: {len(figures.warned)} of {figures.words} words of the sample's Lao "
          f"({100 * figures.false_warnings:.1f} %): {', '.join(figures.warned) or 'none'}")


if __name__ == "__main__":
    main()
