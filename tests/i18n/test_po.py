"""PO files are untrusted input: read as UTF-8, refused in plain words at their line, written for every tool."""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from songphasa.errors import CatalogError
from songphasa.i18n.po import po_text, read_catalog

from ..checks.helpers import give_an_address
from ..conftest import REPO, require_renderer
from .helpers import PO, edit, line_of, po_of, run

#: Bad catalogs, one a file (``<case>.po.txt``: no gettext tool should take them for real ones), each with
#: the problems it must be refused with beside it (``<case>.expected``), as read from a file named messages.po.
BAD = sorted((REPO / "tests" / "fixtures" / "i18n").glob("*.po.txt"))


def expected(case: Path) -> list[str]:
    return case.with_name(case.name.removesuffix(".po.txt") + ".expected").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", BAD, ids=lambda case: case.name.removesuffix(".po.txt"))
def test_a_bad_catalog_is_refused_with_every_problem_at_its_line(case: Path, tmp_path: Path) -> None:
    path = tmp_path / "messages.po"
    shutil.copy(case, path)
    with pytest.raises(CatalogError) as refused:
        read_catalog(path, tmp_path, locale="lo")
    assert [str(problem) for problem in refused.value.problems] == expected(case)


@pytest.mark.parametrize("case", BAD, ids=lambda case: case.name.removesuffix(".po.txt"))
def test_a_bad_catalog_stops_update_check_and_build_in_the_same_words_and_nothing_is_rewritten(
        case: Path, project: Path) -> None:
    shutil.copy(case, project / PO)
    before = (project / PO).read_bytes()
    said = [line.replace("messages.po:", f"{PO.as_posix()}:", 1) for line in expected(case)]
    for command in (["update"], ["check"], []):
        result = run(project, *command)
        assert result.returncode == 1, command
        assert all(line in result.stderr.splitlines() for line in said), (command, result.stderr)
        assert "internal error" not in result.stderr
    assert (project / PO).read_bytes() == before


# --- reading the sample's catalog, damaged ------------------------------------------------------

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


# --- writing ------------------------------------------------------------------------------------------

def test_a_catalog_header_carries_source_date_epoch_and_a_bad_one_is_a_plain_error(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1637625600")
    assert run(project, "extract").returncode == 0
    assert '"POT-Creation-Date: 2021-11-23 00:00+0000\\n"' in (project / "locales" / "messages.pot").read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    for command in (["extract"], ["update"]):
        result = run(project, *command)
        assert result.returncode == 1
        assert result.stderr.startswith("SOURCE_DATE_EPOCH: is 'abc', not a whole number of seconds")



def test_committed_catalogs_pass_msgfmt_check() -> None:
    require_renderer("msgfmt")
    for path in [REPO / "locales" / "messages.pot", *sorted(REPO.glob("locales/*/LC_MESSAGES/messages.po"))]:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


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
    (project / PO).write_text(po_text(catalog), encoding="utf-8")
    for path in (project / "locales" / "messages.pot", project / PO):
        assert "python-format" not in "".join(l for l in path.read_text(encoding="utf-8").split("\n\n")
                                              if "100% of the ministries" in l)
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("start, damage, expected_finding", [
    ("The inter-ministerial policy workshop will focus", ("ODSC", "ສູນ"), "'ODSC'"),  # glossary abbreviation dropped
    ("The Inter-ministerial Policy Workshop is a follow-up", ("44", "ສີ່ສິບສີ່"), "44"),  # number dropped
    ("The target audience", ("zhu@un.org", ""), "zhu@un.org"),                       # email dropped
])
def test_lao_translation_that_drops_a_term_number_or_email_fails(project: Path, start, damage,
                                                                 expected_finding) -> None:
    """A finding names the entry's line in the catalog as written (the checks themselves: tests/checks)."""
    path = project / PO
    if damage[0] == "zhu@un.org":
        give_an_address(project, start)
    catalog = po_of(project)
    entry = next(m for m in catalog if m.id.startswith(start))
    context = entry.context
    assert damage[0] in entry.string
    entry.string = entry.string.replace(damage[0], damage[1])
    path.write_text(po_text(catalog), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text == f'msgctxt "{context}"') + 1  # its msgid
    for args in (["check"], ["--release"]):
        result = run(project, *args)
        assert result.returncode == 1
        found = [l for l in result.stderr.splitlines() if l.startswith(f"locales/lo/LC_MESSAGES/messages.po:{line}: [lo]")]
        assert found and any(expected_finding in l for l in found), result.stderr


# --- random input -----------------------------------------------------------------------------------------

def _read(data: bytes) -> Catalog | CatalogError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messages.po"
        path.write_bytes(data)
        try:
            return read_catalog(path, Path(folder), locale="lo")
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
    sample = (REPO / PO).read_bytes()
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


def test_an_xliff_translation_longer_than_a_catalog_may_hold_is_refused_and_nothing_written(
        project: Path, tmp_path: Path) -> None:
    """Written, the catalog would have been refused by every command after the import."""
    from lxml import etree

    from songphasa.i18n.po import MAX_TRANSLATION_CHARS
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    xlf = tmp_path / "lo.xlf"
    assert run(project, "xliff", "export", str(xlf)).returncode == 0
    tree = etree.parse(str(xlf))
    tree.find(".//x:trans-unit[@resname='people.zhu.position']/x:target", ns).text = "ກ" * (MAX_TRANSLATION_CHARS + 1)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = (project / PO).read_bytes()
    result = run(project, "xliff", "import", str(xlf))
    assert result.returncode == 1
    line = line_of(project / PO, 'msgctxt "people.zhu.position"') + 1  # the msgid's line, as Babel counts
    assert result.stderr.splitlines() == [
        f"{PO.as_posix()}:{line}: this translation (from {xlf}) has {MAX_TRANSLATION_CHARS + 1:,} characters, more "
        f"than the {MAX_TRANSLATION_CHARS:,} one may have (twice what a source text may) — check that the entry "
        "holds one text's translation, not several"]
    assert (project / PO).read_bytes() == before
