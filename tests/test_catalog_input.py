"""A catalog is untrusted input: read as UTF-8, refused in plain words, and updates that settle."""

from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from songphasa import catalogs
from songphasa.errors import CatalogError

from .conftest import require_renderer
from .test_catalogs import edit, po_of, run

PO = Path("locales") / "lo" / "LC_MESSAGES" / "messages.po"


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if line.startswith(text))


# --- idempotent updates --------------------------------------------------------------------------

def test_three_updates_in_a_row_give_byte_identical_catalogs(project: Path) -> None:
    edit(project / "content" / "recommendations.yaml", "Resolved that an appropriate coordination",
         "Resolved, after a long discussion, that a suitable coordination")
    copies = []
    for _ in range(3):
        assert run(project, "update").returncode == 0
        copies.append((project / PO).read_bytes())
    assert copies[0] == copies[1] == copies[2]
    text = copies[0].decode("utf-8")
    assert "# | msgid" not in text and text.count('#| msgid "Resolved that an appropriate coordination') == 1


def test_update_removes_the_copies_of_previous_msgids_older_versions_left(project: Path) -> None:
    path = project / PO
    text = path.read_text(encoding="utf-8")
    context = 'msgctxt "recommendations.topics.1.recommendations.1.3.proposed"'
    junk = '# | msgid "Resolved that an appropriate coordination mechanism be formed at\n# each province/district."\n'
    # The junk goes at the head of that entry's comments, wherever the entry's line is.
    head = "#. Proposed recommendation read out by the moderator in the decision-making\n#. session.\n"
    at = text.rindex(head, 0, text.index(context))
    path.write_text(text[:at] + junk * 2 + "# a real note\n" + text[at:], encoding="utf-8")
    assert context in text and path.read_text(encoding="utf-8").count("# | msgid") == 2
    assert run(project, "update").returncode == 0
    after = path.read_text(encoding="utf-8")
    assert "# | msgid" not in after and "# each province" not in after and "# a real note" in after


entries = st.lists(st.tuples(st.text("abc xyz%", min_size=1, max_size=20).map(str.strip).filter(bool),
                             st.text("ກຂຄ ງ", max_size=10), st.booleans(), st.booleans()), max_size=12,
                   unique_by=lambda e: e[0])


@settings(max_examples=100, deadline=None)
@given(entries=entries)
def test_repeated_updates_do_not_change_the_catalog(entries) -> None:
    template = Catalog(locale=None)
    old = Catalog(locale="lo")
    for number, (msgid, msgstr, fuzzy, comment) in enumerate(entries):
        context = f"s.{number}"
        template.add(msgid, context=context, locations=[("content/x.yaml", number + 1)])
        old.add(msgid + (" old" if fuzzy else ""), msgstr, context=context, locations=[("content/x.yaml", 1)],
                user_comments=["translator's note"] if comment else [])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messages.po"
        path.write_text(catalogs.po_text(old), encoding="utf-8")
        texts = []
        for _ in range(3):
            merged, _ = catalogs.merge(catalogs.read_catalog(path, Path(folder), locale="lo"), template)
            path.write_text(catalogs.po_text(merged), encoding="utf-8")
            texts.append(path.read_text(encoding="utf-8"))
    assert texts[1] == texts[2] and texts[0] == texts[1]


# --- reading a catalog ------------------------------------------------------------------------------------

def test_a_header_naming_another_charset_is_an_error_at_its_line_and_nothing_is_rewritten(project: Path) -> None:
    path = project / PO
    text = path.read_text(encoding="utf-8")
    assert "charset=utf-8" in text
    path.write_text(text.replace("charset=utf-8", "charset=ISO-8859-1"), encoding="utf-8")
    before = path.read_bytes()
    line = line_of(path, '"Content-Type:')
    for command in (["update"], ["check"], []):
        result = run(project, *command)
        assert result.returncode == 1
        assert f"locales/lo/LC_MESSAGES/messages.po:{line}: the header says the file is in 'ISO-8859-1'" in result.stderr
        assert "internal error" not in result.stderr
    assert path.read_bytes() == before


def test_the_same_entry_twice_is_an_error_naming_both_lines(project: Path) -> None:
    path = project / PO
    text = path.read_text(encoding="utf-8")
    entry = 'msgctxt "honorific"\nmsgid "Mr."\n'
    start = text.index(entry)
    block = text[start:text.index("\n\n", start) + 2]
    path.write_text(text + "\n" + block, encoding="utf-8")
    lines = [i for i, l in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if l == 'msgid "Mr."']
    assert len(lines) == 2
    for command in (["update"], ["check"]):
        result = run(project, *command)
        assert result.returncode == 1
        assert (f"locales/lo/LC_MESSAGES/messages.po:{lines[1]}: this entry has the same msgctxt and msgid as the "
                f"entry at line {lines[0]}") in result.stderr


def test_a_catalog_saved_with_a_bom_is_read(project: Path) -> None:
    path = project / PO
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run(project, "check")
    assert "internal error" not in result.stderr and "cannot be read" not in result.stderr
    assert result.stdout.count("[lo] locales/lo/LC_MESSAGES/messages.po:") == 1


def test_a_stray_percent_sign_in_a_template_translation_is_reported_at_its_line(project: Path) -> None:
    path = project / PO
    edit(path, 'msgstr "ຜູ້ດຳເນີນກອງປະຊຸມ:"', 'msgstr "ຜູ້ດຳເນີນກອງປະຊຸມ 100%:"')
    edit(path, 'msgstr "ລວມ: %(duration)s"', 'msgstr "ລວມ: %(durations)s"')
    moderator, total = line_of(path, 'msgid "Moderator:"'), line_of(path, 'msgid "Total: %(duration)s"')
    result = run(project)  # a draft builds, the entry shown in English and marked
    assert result.returncode == 0, result.stderr
    assert "string(s) are shown in the source language, marked" in result.stdout
    for command in (["check"], ["--release"]):
        result = run(project, *command)
        assert result.returncode == 1 and "internal error" not in result.stderr
        assert f"messages.po:{moderator}: [lo] the translation has a % sign that is not a placeholder" in result.stderr
        assert f"messages.po:{total}: [lo] the translation has placeholder '%(durations)s'" in result.stderr


def test_prose_with_a_percent_sign_is_no_format_string_and_passes_msgfmt(project: Path) -> None:
    require_renderer("msgfmt")
    edit(project / "content" / "concept-note.md", "will participate in the event.",
         "will participate in the event, 100% of the ministries invited.")
    assert run(project, "update").returncode == 0
    catalog = po_of(project)
    entry = next(m for m in catalog if "100% of the ministries" in m.id)
    assert "python-format" not in entry.flags
    entry.string = entry.string + " 100% ຂອງກະຊວງ"
    entry.flags.discard("fuzzy")
    (project / PO).write_text(catalogs.po_text(catalog), encoding="utf-8")
    for path in (project / "locales" / "messages.pot", project / PO):
        assert "python-format" not in "".join(l for l in path.read_text(encoding="utf-8").split("\n\n")
                                              if "100% of the ministries" in l)
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


# --- random input -----------------------------------------------------------------------------------------

def _read(data: bytes) -> Catalog | CatalogError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messages.po"
        path.write_bytes(data)
        try:
            return catalogs.read_catalog(path, Path(folder), locale="lo")
        except CatalogError as exc:
            assert all(str(p) and "\n" not in str(p) for p in exc.problems)
            return exc


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_are_read_or_refused_in_plain_words(data: bytes) -> None:
    _read(data)


def test_most_slightly_damaged_catalogs_still_load() -> None:
    """Refusing everything would pass the test above: most valid and lightly damaged files must load."""
    rng = random.Random(12)
    sample = (Path(__file__).resolve().parent.parent / PO).read_bytes()
    loaded = 0
    for _ in range(60):
        data = bytearray(sample)
        for _ in range(rng.randint(0, 2)):  # a byte or two changed, as a careless edit does
            place = rng.randrange(len(data))
            while data[place] >= 0x80:  # a character, not a byte of one, as an editor changes it
                place = rng.randrange(len(data))
            data[place:place + 1] = bytes([rng.choice(b"abc \n\"\\#%")])
        loaded += isinstance(_read(bytes(data)), Catalog)
    assert loaded >= 30, loaded
