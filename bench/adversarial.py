"""Time every size bound with hostile input at the bound and at ten times it; print time and peak memory.

Each line: the bound, the input, then for 1x and 10x the seconds and the
peak memory (resident set) of a fresh process that made the input and did
the work, and whether the work was refused. At the bound the work must be
done; at ten times it may be refused, and the refusal must be as quick. The
goal: nothing over 10 s or 500 MiB. The inputs are the ones an adversarial
test found slow or greedy: a paragraph of brackets for python-markdown, two
long unrelated texts for the word diff, nested YAML aliases, a 90 KB
translation, a zip bomb as reference.docx, a quadratic memory import, a
thousand edited paragraphs for `update`, and the largest catalogs.

    python bench/adversarial.py            # every case
    python bench/adversarial.py tm update  # the cases named so

Asserts nothing; run it on a machine at rest (it prints the load average).
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from songphasa.content.text import (  # noqa: E402
    MAX_CONTENT_BYTES,
    MAX_CONTENT_ITEMS,
    MAX_CONTENT_MARKS,
    MAX_TEXT_CHARS,
)
from songphasa.errors import SongphasaError  # noqa: E402
from songphasa.i18n.memory import MAX_MEMORY_UNITS  # noqa: E402
from songphasa.i18n.po import MAX_CATALOG_BYTES, MAX_TRANSLATION_CHARS  # noqa: E402
from songphasa.write_docx.package import MAX_REFERENCE_INFLATED  # noqa: E402

LIMIT_SECONDS, LIMIT_MIB = 10.0, 500
WORDS = ("the ministry shall open a service centre in every district of the province and train its staff to "
         "register land titles permits licences and complaints within one day at one door").split()


def sentence(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def sample_project(folder: Path) -> Path:
    """A copy of the sample event (content and catalogs) to build."""
    root = folder / "event"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "locales", root / "locales", ignore=shutil.ignore_patterns("*.mo"))
    return root


def po_entry(context: str, msgid: str, msgstr: str, location: str = "content/x.yaml:1") -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"#: {location}\nmsgctxt {quoted(context)}\nmsgid {quoted(msgid)}\nmsgstr {quoted(msgstr)}\n\n"


PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: lo\\n"\n\n'


# --- the cases: each makes its input in the folder given, for a factor of the bound, and returns the work -----

def case_text(folder: Path, times: int) -> Callable[[], object]:
    """One YAML text of MAX_TEXT_CHARS characters of brackets (refused above)."""
    from songphasa.content.yaml import load_yaml
    (folder / "content").mkdir()
    path = folder / "content" / "texts.yaml"
    path.write_text('title: "' + "[a](" * (MAX_TEXT_CHARS * times // 4) + '"\n', encoding="utf-8")
    return lambda: load_yaml(path, folder)


def concept_note_build(folder: Path, times: int, paragraph: Callable[[int], str],
                       full: Callable[[int, int, int], bool]) -> Callable[[], object]:
    """A build of the sample whose concept note gets paragraphs until the content is full (``full(bytes, items, marks)``)."""
    from songphasa.content.text import ContentBudget
    from songphasa.pipeline import build
    from songphasa.session import Session
    root = sample_project(folder)
    budget = ContentBudget()
    for path in sorted((root / "content").iterdir()):
        budget.add(path.name, path.read_text(encoding="utf-8"))
    size, items, marks = budget.size, budget.items, budget.marks
    note = root / "content" / "concept-note.md"
    with note.open("a", encoding="utf-8") as out:
        number = 0
        while True:
            text = "\n" + paragraph(number) + "\n"
            more = ContentBudget()
            more.add("x", text)
            if full(size + more.size, items + more.items, marks + more.marks):
                break
            out.write(text)
            size, items, marks, number = size + more.size, items + more.items, marks + more.marks, number + 1
    print(f"  ({number:,} paragraphs added: {size // 1024:,} KiB, {items:,} lines and commas, {marks:,} marks)",
          file=sys.stderr)
    return lambda: build(Session(root))


def case_marks(folder: Path, times: int) -> Callable[[], object]:
    """Paragraphs of Markdown marks ([, *[, <a, &a) up to MAX_CONTENT_MARKS in all content (a build)."""
    pieces = ("[", "[a](", "*[", "<a", "&a", "_[")
    return concept_note_build(folder, times, lambda n: f"{n} " + pieces[n % len(pieces)] * (2_000 // len(pieces[n % 6])),
                              lambda size, items, marks: marks > MAX_CONTENT_MARKS * times)


def case_items(folder: Path, times: int) -> Callable[[], object]:
    """One-word paragraphs up to MAX_CONTENT_ITEMS lines in all content (a build: the most texts)."""
    rng = random.Random(6)
    return concept_note_build(folder, times, lambda n: f"{rng.choice(WORDS).title()} {n}",
                              lambda size, items, marks: items > MAX_CONTENT_ITEMS * times)


def case_grown(folder: Path, times: int) -> Callable[[], object]:
    """The sample grown (bench/grow.py) to about MAX_CONTENT_ITEMS lines: agenda items and recommendations (a build)."""
    sys.path.insert(0, str(REPO / "bench"))
    from grow import grow_event

    from songphasa.pipeline import build
    from songphasa.session import Session
    root = folder / "event"
    grow_event(REPO, root, 100)
    if times > 1:  # ten times the lines, as a comment the reader must still scan
        with (root / "content" / "glossary.yaml").open("a", encoding="utf-8") as out:
            out.write("# " + "," * (MAX_CONTENT_ITEMS * (times - 1)) + "\n")
    return lambda: build(Session(root))


def case_bytes(folder: Path, times: int) -> Callable[[], object]:
    """Plain paragraphs of MAX_TEXT_CHARS up to MAX_CONTENT_BYTES in all content (a build: the most text)."""
    rng = random.Random(7)
    return concept_note_build(folder, times, lambda n: f"{n} " + sentence(rng, 1_800)[:MAX_TEXT_CHARS - 10],
                              lambda size, items, marks: size > MAX_CONTENT_BYTES * times)


def case_alias_bomb(folder: Path, times: int) -> Callable[[], object]:
    """Nested YAML aliases (a billion laughs), 10 levels and 100: refused, whatever the depth."""
    from songphasa.content.yaml import load_yaml
    (folder / "content").mkdir()
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10 * times)]
    path = folder / "content" / "agenda.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return lambda: load_yaml(path, folder)


def case_translation(folder: Path, times: int) -> Callable[[], object]:
    """A build of the sample with one Lao translation of MAX_TRANSLATION_CHARS (refused above)."""
    from songphasa.pipeline import build
    from songphasa.session import Session
    root = sample_project(folder)
    po = root / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    marker = 'msgctxt "people.zhu.position"\nmsgid "Director"\nmsgstr "'
    assert marker in text, "the sample changed: update bench/adversarial.py"
    lao = "ກະຊວງພາຍໃນ ຈະຈັດກອງປະຊຸມ ສູນບໍລິການຜ່ານປະຕູດຽວ "
    long = (lao * (MAX_TRANSLATION_CHARS * times // len(lao) + 1))[:MAX_TRANSLATION_CHARS * times]
    start = text.index(marker) + len(marker)
    po.write_text(text[:start] + long + text[text.index('"\n', start):], encoding="utf-8")
    return lambda: build(Session(root))


def case_reference(folder: Path, times: int) -> Callable[[], object]:
    """A build with a reference.docx whose parts unpack to MAX_REFERENCE_INFLATED (refused above, before inflating)."""
    from songphasa.pipeline import build
    from songphasa.session import Session
    root = sample_project(folder)
    (root / "templates").mkdir()
    built_in = REPO / "songphasa" / "templates" / "reference.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(built_in) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        used = 0
        for info in source.infolist():
            data = source.read(info)
            used += len(data)
            target.writestr(info, data)
        # The bomb: a part of zeros, as large as the bound leaves room for.
        target.writestr("word/media/padding.bin", bytes(MAX_REFERENCE_INFLATED * times - used - 4096))
    (root / "templates" / "reference.docx").write_bytes(buffer.getvalue())
    return lambda: build(Session(root))


def case_tm(folder: Path, times: int) -> Callable[[], object]:
    """`tm import` of a PO memory of MAX_MEMORY_UNITS units into a catalog of 5,600 untranslated entries."""
    from babel.messages.catalog import Catalog

    from songphasa.i18n.memory import apply, read_memories
    rng = random.Random(2)
    units = [f"{sentence(rng, rng.randint(3, 25))} {i}" for i in range(MAX_MEMORY_UNITS * times)]
    path = folder / "memory.po"
    with path.open("w", encoding="utf-8") as out:
        out.write(PO_HEADER)
        for i, source in enumerate(units):
            out.write(po_entry(f"m.{i}", source, f"ການແປ {i}"))
    catalog = Catalog(locale="lo")
    for i in range(5_600):  # half a word changed from a unit, half like none
        catalog.add(units[i].replace(" the ", " a ", 1) if i % 2 else f"{sentence(rng, 12)} new {i}", context=f"c.{i}")
    return lambda: apply(catalog, read_memories([path], "lo", folder))


def case_update(folder: Path, times: int) -> Callable[[], object]:
    """`update`'s search for edited paragraphs: a concept note as full as content may be, every paragraph edited.

    Short paragraphs, so that there are as many as the content bound allows (the most pairs to weigh).
    """
    from babel.messages.catalog import Catalog, Message

    from songphasa.content.markdown import parse_markdown
    from songphasa.content.text import ContentBudget
    from songphasa.i18n.update import merge
    rng = random.Random(3)
    paragraphs, items = [], 0
    while items < MAX_CONTENT_ITEMS * times - 2:
        paragraphs.append(f"{sentence(rng, rng.randint(6, 14))} {len(paragraphs)}")
        items += 2
    old, template = Catalog(locale="lo"), Catalog()
    for i, text in enumerate(paragraphs):
        old[text] = Message(text, f"ການແປ {i}", context=f"concept-note.p{i:x}",
                            locations=[("content/concept-note.md", i)])
    edited = [text.replace(" the ", " a ", 1) if " the " in text else text + " too" for text in paragraphs]
    note = "# Note {#note}\n\n" + "\n\n".join(edited) + "\n"
    print(f"  ({len(paragraphs):,} paragraphs)", file=sys.stderr)

    def work() -> None:
        ContentBudget().add("content/concept-note.md", note)  # what load_event does first
        parse_markdown("content/concept-note.md", note, "concept-note")
        for i, text in enumerate(edited):
            template[text] = Message(text, "", context=f"concept-note.e{i:x}",
                                     locations=[("content/concept-note.md", i)])
        merge(old, template)
    return work


def case_word_diff(folder: Path, times: int) -> Callable[[], object]:
    """The live word diff of two unrelated texts of MAX_TEXT_CHARS (a recommendation's bound)."""
    from songphasa.diff import word_diff
    rng = random.Random(4)
    before = sentence(rng, MAX_TEXT_CHARS * times // 6)[:MAX_TEXT_CHARS * times]
    after = sentence(rng, MAX_TEXT_CHARS * times // 6)[:MAX_TEXT_CHARS * times]
    lao = ("ກະຊວງພາຍໃນ ຈະຈັດກອງປະຊຸມ ສູນບໍລິການຜ່ານປະຕູດຽວ " * (MAX_TEXT_CHARS * times // 45))[:MAX_TEXT_CHARS * times]
    return lambda: (word_diff(before, after, "en"), word_diff(lao, lao[::-1], "lo"))


def case_po(folder: Path, times: int) -> Callable[[], object]:
    """Reading a PO catalog of MAX_CATALOG_BYTES (refused above, before it is read)."""
    from songphasa.i18n.po import read_catalog
    path = folder / "messages.po"
    write_catalog(path, MAX_CATALOG_BYTES * times)
    return lambda: read_catalog(path, folder, locale="lo")


def write_catalog(path: Path, size: int) -> int:
    rng = random.Random(5)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(PO_HEADER)
        written = len(PO_HEADER)
        while written < size - 300:
            entry = po_entry(f"c.{count}", f"{sentence(rng, 8)} {count}", f"ການແປ {count}")
            out.write(entry)
            written += len(entry.encode())
            count += 1
    return count


def case_xliff(folder: Path, times: int) -> Callable[[], object]:
    """`xliff import` of an XLIFF file of MAX_CATALOG_BYTES into its catalog (refused above, before it is read)."""
    from xml.sax.saxutils import escape

    from songphasa.files import read_named
    from songphasa.i18n.po import read_catalog
    from songphasa.i18n.xliff import import_xliff
    path, po = folder / "lo.xlf", folder / "messages.po"
    count = write_catalog(po, MAX_CATALOG_BYTES // 4)
    rng = random.Random(5)  # the same English as the catalog's
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<xliff version="1.2" '
                  'xmlns="urn:oasis:names:tc:xliff:document:1.1"><file original="messages.po" source-language="en" '
                  'target-language="lo" datatype="po"><body>\n')
        number = 0
        while out.tell() < MAX_CATALOG_BYTES * times - 400:
            source = f"{sentence(rng, 8)} {number}" if number < count else f"another text {number}"
            out.write(f'<trans-unit id="u{number}" resname="c.{number}"><source>{escape(source)}</source>'
                      f'<target state="translated">ການແປໃໝ່ {number}</target></trans-unit>\n')
            number += 1
        out.write("</body></file></xliff>\n")

    def work() -> None:
        catalog = read_catalog(po, folder, locale="lo")
        import_xliff(catalog, read_named(path, "lo.xlf", "give the .xlf file", limit=MAX_CATALOG_BYTES),
                     "lo.xlf", "en", "lo")
    return work


CASES: dict[str, tuple[str, Callable[[Path, int], Callable[[], object]]]] = {
    "text": (f"one content text: {MAX_TEXT_CHARS:,} characters", case_text),
    "marks": (f"content: {MAX_CONTENT_MARKS:,} Markdown marks in paragraphs of them (a build)", case_marks),
    "items": (f"content: {MAX_CONTENT_ITEMS:,} lines, one-word paragraphs (a build)", case_items),
    "grown": ("content: the sample grown 100 times, 14,600 lines (a build)", case_grown),
    "bytes": (f"content: {MAX_CONTENT_BYTES // 2**20} MiB, plain paragraphs of {MAX_TEXT_CHARS:,} (a build)",
              case_bytes),
    "alias": ("YAML alias bomb: 10 levels (anchors are refused)", case_alias_bomb),
    "translation": (f"one translation: {MAX_TRANSLATION_CHARS:,} characters (a whole build)", case_translation),
    "reference": (f"reference.docx: {MAX_REFERENCE_INFLATED // 2**20} MiB unpacked (a whole build)", case_reference),
    "tm": (f"tm import: {MAX_MEMORY_UNITS:,} units against 5,600 entries", case_tm),
    "update": (f"update: {MAX_CONTENT_ITEMS // 2:,} paragraphs, every one edited", case_update),
    "diff": (f"word diff: two unrelated texts of {MAX_TEXT_CHARS:,} characters", case_word_diff),
    "po": (f"PO catalog: {MAX_CATALOG_BYTES // 2**20} MiB", case_po),
    "xliff": (f"XLIFF import: {MAX_CATALOG_BYTES // 2**20} MiB", case_xliff),
}


def child(name: str, times: int) -> None:
    """Make one case's input, do its work, print the seconds and whether it was refused."""
    with tempfile.TemporaryDirectory() as folder:
        work = CASES[name][1](Path(folder), times)
        started = time.perf_counter()
        try:
            work()
            said = "done"
        except SongphasaError as exc:
            said = "refused: " + str(exc.problems[0].message)[:70]
        print(f"{time.perf_counter() - started:.3f}\t{said}")


def measure(name: str, times: int) -> tuple[float, float, str]:
    """Run one case in a fresh process; return its seconds, its peak memory (MiB) and what it said."""
    process = subprocess.Popen([sys.executable, __file__, "--child", name, str(times)], stdout=subprocess.PIPE,
                               text=True, cwd=REPO)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or "\t" not in out:
        return float("nan"), usage.ru_maxrss / 1024, f"failed (exit status {process.returncode})"
    seconds, said = out.strip().split("\t", 1)
    return float(seconds), usage.ru_maxrss / 1024, said


def main(names: list[str]) -> None:
    print(f"load average {os.getloadavg()[0]:.2f}; goal: each under {LIMIT_SECONDS:.0f} s and {LIMIT_MIB} MiB "
          "(peak resident memory of the whole process, Python and its libraries included)\n")
    print(f"{'bound':<62} {'1x':>20}   {'10x':>20}   10x said")
    over = []
    for name in names or list(CASES):
        label = CASES[name][0]
        figures = []
        for times in (1, 10):
            seconds, mib, said = measure(name, times)
            figures.append((seconds, mib, said))
            if not seconds <= LIMIT_SECONDS or mib > LIMIT_MIB:
                over.append(f"{name} {times}x")
        (s1, m1, said1), (s10, m10, said10) = figures
        first = "" if said1 == "done" else f"  (1x {said1})"
        print(f"{label:<62} {s1:7.2f} s {m1:6.0f} MiB   {s10:7.2f} s {m10:6.0f} MiB   {said10}{first}", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.2f}; over the goal: {', '.join(over) or 'none'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main(sys.argv[1:])
