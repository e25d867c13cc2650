"""Time the work on hostile texts at growing sizes and print the figures (asserts nothing).

Each line: the input, its size, the seconds. Near-linear work shows as
seconds that grow about as fast as the size; the texts are the ones an
adversarial test found quadratic: a paragraph of brackets for
python-markdown, two long unrelated texts for the word diff, and nested
YAML aliases.

    python bench/adversarial.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from songphasa.content.text import MAX_TEXT_CHARS  # noqa: E402
from songphasa.content.yaml import load_yaml  # noqa: E402
from songphasa.diff import word_diff  # noqa: E402
from songphasa.errors import SongphasaError  # noqa: E402
from songphasa.render import inline_markdown  # noqa: E402


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main() -> None:
    print(f"one text may have at most {MAX_TEXT_CHARS:,} characters")
    for size in (2_500, 5_000, 10_000):
        for piece in ("[", "[a](", "*[", "<a"):
            text = piece * (size // len(piece))
            print(f"markdown {piece!r:8} {size:>7,} chars  {timed(inline_markdown, text):6.3f} s")
    rng = random.Random(1)
    vocabulary = ["the", "ministry", "shall", "a", "of", "and", "ODSC", "service"]
    for count in (500, 1_000, 2_000):
        before = " ".join(rng.choice(vocabulary) for _ in range(count))
        after = " ".join(rng.choice(vocabulary) for _ in range(count))
        print(f"word diff, unrelated {count:>7,} words  {timed(word_diff, before, after, 'en'):6.3f} s")
    lao = "ກະຊວງພາຍໃນ ຈະຈັດກອງປະຊຸມ ສູນບໍລິການຜ່ານປະຕູດຽວ "
    word_diff(lao, lao[::-1], "lo")  # import laonlp before timing
    for times in (40, 80, 160):
        print(f"word diff, Lao       {len(lao) * times:>7,} chars  "
              f"{timed(word_diff, lao * times, lao[::-1] * times, 'lo'):6.3f} s")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "content").mkdir()
        for depth in (10, 20, 40):
            lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
            lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, depth)]
            path = root / "content" / "bomb.yaml"
            path.write_text("\n".join(lines), encoding="utf-8")

            def load(path: Path = path) -> None:
                try:
                    load_yaml(path, root)
                except SongphasaError:
                    pass
            print(f"YAML alias bomb, {depth:>3} levels ({path.stat().st_size:,} bytes)  {timed(load):6.3f} s")
        for count in (5_000, 10_000, 20_000):
            path = root / "content" / "texts.yaml"
            path.write_text(f'a: &a "{"x" * 9_000}"\nb: [' + ", ".join(["*a"] * count) + "]\n", encoding="utf-8")

            def load(path: Path = path) -> None:
                try:
                    load_yaml(path, root)
                except SongphasaError:
                    pass
            print(f"YAML aliases of a text, {count:>6,} ({path.stat().st_size:,} bytes)  {timed(load):6.3f} s")


if __name__ == "__main__":
    main()
