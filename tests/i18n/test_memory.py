"""Translations reused across events: the shipped interface strings, other events' catalogs, TMX."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from songphasa.content.load import load_event
from songphasa.i18n.extract import build_template
from songphasa.i18n.memory import interface_path
from songphasa.i18n.po import is_template_string, po_text, read_catalog
from songphasa.i18n.sources import catalog_source
from songphasa.project import Project
from tools.interface_catalog import write_interface_catalogs

from ..conftest import REPO
from .helpers import PO, edit, po_of, run


def new_event(tmp_path: Path) -> Path:
    """Another event of the series: the sample's content, a section renamed and a position reworded."""
    root = tmp_path / "next-event"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    edit(root / "content" / "concept-note.md", "{#thematic-focus}", "{#focus}")
    edit(root / "content" / "people.yaml", "Head of Cabinet", "Head of the Cabinet")
    return root


def test_every_string_of_the_built_in_templates_ships_translated_for_lao() -> None:
    shipped = read_catalog(interface_path("lo"), REPO, locale="lo")
    translated = {(m.context, m.id) for m in shipped if m.id and m.string and "fuzzy" not in m.flags}
    template = build_template(catalog_source(load_event(REPO)), Project(REPO))
    wanted = {(m.context, m.id) for m in template if m.id and is_template_string(m)}
    assert wanted and wanted <= translated, sorted(wanted - translated)[:5]


def test_the_shipped_interface_catalog_is_what_the_tool_makes_from_the_samples(tmp_path: Path) -> None:
    """songphasa/locales/ is made by `python -m tools.interface_catalog`, never edited by hand."""
    written = write_interface_catalogs(REPO, tmp_path)
    assert list(written) == [tmp_path / "lo.po"] and written[tmp_path / "lo.po"] > 100
    assert (tmp_path / "lo.po").read_bytes() == interface_path("lo").read_bytes()
    assert (tmp_path / "lo.po").read_text(encoding="utf-8").startswith(
        "# Lao translations of the strings of Songphasa's built-in templates.\n")


def test_init_starts_a_new_event_with_the_interface_translated(tmp_path: Path) -> None:
    root = new_event(tmp_path)
    result = run(root, "init", "lo")
    assert result.returncode == 0, result.stderr
    catalog = po_of(root)
    moderator = catalog.get("Moderator:")
    assert moderator.string == "ຜູ້ດຳເນີນກອງປະຊຸມ:" and "fuzzy" not in moderator.flags
    assert catalog.get("Contact for replies and questions:").string
    interface = [m for m in catalog if m.id and is_template_string(m)]
    assert all(m.string for m in interface)
    assert not any(m.string for m in catalog if m.context and m.context.startswith("people."))


def test_another_events_catalog_as_memory_fills_content_fuzzy_with_its_origin(tmp_path: Path) -> None:
    root = new_event(tmp_path)
    assert run(root, "init", "lo").returncode == 0
    sample = po_of(REPO)
    result = run(root, "tm", "import", str(REPO))
    assert result.returncode == 0, result.stderr
    catalog = po_of(root)
    # The same id and English: taken as translated.
    zhu = catalog.get("Director", "people.zhu.position")
    assert zhu.string == sample.get("Director", "people.zhu.position").string and "fuzzy" not in zhu.flags
    # Close English: fuzzy, the memory's English as the previous msgid, the origin in a comment.
    position = catalog.get("Head of the Cabinet", "people.vilaythone.position")
    assert position.string == sample.get("Head of Cabinet", "people.vilaythone.position").string
    assert "fuzzy" in position.flags and position.previous_id == ["Head of Cabinet"]
    # Its origin is the memory's own name: no path of the translator's machine goes into the shared catalog.
    assert [c for c in position.user_comments if c.startswith("From the translation memory")] == [
        f"From the translation memory: {REPO.resolve().name} (people.vilaythone.position)"]
    assert str(REPO.parent) not in (root / PO).read_text(encoding="utf-8")
    # The same English under another id (the renamed section): fuzzy too.
    moved = [m for m in catalog if m.context and m.context.startswith("concept-note.focus.") and m.string]
    assert moved and all("fuzzy" in m.flags for m in moved)
    result = run(root, "--release")
    assert result.returncode == 1
    assert "fuzzy (needs review): “Head of the Cabinet”" in result.stderr


def test_tm_never_replaces_a_translation(project: Path) -> None:
    before = (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").read_bytes()
    other = project.parent / "other.po"
    catalog = po_of(project)
    for message in catalog:
        if message.id:
            message.string = ("ອື່ນ",) * len(message.id) if isinstance(message.id, tuple) else "ອື່ນ"
    other.write_text(po_text(catalog), encoding="utf-8")
    assert run(project, "tm", "import", str(other)).returncode == 0
    assert (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").read_bytes() == before


def test_tmx_export_opens_in_translate_toolkit_and_serves_as_a_memory(project: Path, tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile

    tmx = tmp_path / "sample.tmx"
    result = run(project, "tm", "export", str(tmx), "--lang", "lo")
    assert result.returncode == 0, result.stderr
    store = tmxfile.parsefile(str(tmx))
    units = {(u.getcontext(), u.source): u.gettarget("lo") for u in store.getunits()}
    sample = po_of(project)
    assert len(units) == sum(1 for m in sample if m.id and m.string and "fuzzy" not in m.flags)
    assert units[("people.zhu.position", "Director")] == sample.get("Director", "people.zhu.position").string

    root = new_event(tmp_path)
    assert run(root, "init", "lo").returncode == 0
    assert run(root, "tm", "import", str(tmx)).returncode == 0
    zhu = po_of(root).get("Director", "people.zhu.position")
    assert zhu.string and "fuzzy" not in zhu.flags


def test_a_memory_that_is_not_one_is_a_plain_error(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "memory.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    result = run(project, "tm", "import", str(bad))
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert "the TMX file cannot be read" in result.stderr
    result = run(project, "tm", "import", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "no such file or folder" in result.stderr


def test_a_po_memory_fills_only_the_catalog_of_its_own_language(tmp_path: Path) -> None:
    from ..test_events import copy_event
    root = copy_event("three-languages", tmp_path)
    thai = root / "locales" / "th" / "LC_MESSAGES" / "messages.po"
    before = thai.read_bytes()
    result = run(root, "tm", "import", str(interface_path("lo")))
    assert result.returncode == 0, result.stderr
    assert "[th] from the memory: 0 taken as translated" in result.stdout
    assert thai.read_bytes() == before  # no Lao put into the Thai catalog


def test_a_lao_source_events_lao_catalog_takes_the_shipped_labels(tmp_path: Path) -> None:
    from ..test_events import copy_event
    root = copy_event("lao-source", tmp_path)
    po = root / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(po, root, locale="lo")
    entry = catalog.get("Moderator:")
    entry.string = ""
    po.write_text(po_text(catalog), encoding="utf-8")
    result = run(root, "tm", "import", str(interface_path("lo")))
    assert result.returncode == 0, result.stderr
    assert "[lo] from the memory: 1 taken as translated" in result.stdout
    assert po_of(root, "lo").get("Moderator:").string == "ຜູ້ດຳເນີນກອງປະຊຸມ:"


@pytest.mark.parametrize("name, make", [("memory.tmx", os.mkfifo), ("memory.po", os.mkfifo),
                                        ("memory.tmx", lambda path: Path(path).symlink_to(os.devnull))])
def test_tm_import_of_a_pipe_or_a_device_says_so_in_one_line(project: Path, tmp_path: Path, name: str, make) -> None:
    memory = tmp_path / name
    make(memory)
    before = (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").read_bytes()
    # A timeout, so that reading a pipe that never ends fails the test instead of hanging it.
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "tm", "import",
                             str(memory)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{name}: is not a regular file (a pipe or a device) — give an event "
                                          "project's folder, a .po or a .tmx file"]
    assert (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").read_bytes() == before


def test_a_memory_larger_than_tm_import_takes_is_refused_naming_it_and_the_limit(project: Path, tmp_path: Path,
                                                                                 monkeypatch) -> None:
    from songphasa.i18n import memory
    monkeypatch.setattr(memory, "MAX_MEMORY_UNITS", 100)
    po = project / PO
    before = po.read_bytes()
    copy = tmp_path / "memory.po"
    shutil.copyfile(REPO / PO, copy)
    result = run(project, "tm", "import", str(copy))
    assert result.returncode == 1
    units = sum(1 for m in po_of(REPO) if m.id and m.string and "fuzzy" not in m.flags)
    assert result.stderr.splitlines() == [
        f"{copy}: the memory holds {units:,} translations, more than the 100 one `tm import` takes — import it in "
        "parts (each import fills only what is still empty), or export from your CAT tool only this subject's "
        "translations"]
    assert po.read_bytes() == before


@pytest.mark.parametrize("name", ["memory.tmx", "memory.po"])
def test_a_memory_file_over_the_size_bound_is_refused_before_it_is_parsed(project: Path, tmp_path: Path,
                                                                          name: str) -> None:
    from songphasa.i18n.memory import MAX_MEMORY_BYTES
    big = tmp_path / name
    big.write_bytes(b"#" * (MAX_MEMORY_BYTES + 1))
    result = run(project, "tm", "import", str(big))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.endswith(f"{name}: file is more than {MAX_MEMORY_BYTES // 2**20} MiB — ", 0, line.index("— ") + 2)


def test_a_memory_translation_longer_than_a_catalog_may_hold_is_not_taken(project: Path, tmp_path: Path) -> None:
    from songphasa.i18n.po import MAX_TRANSLATION_CHARS
    catalog = po_of(project)
    zhu = catalog.get("Director", "people.zhu.position")
    zhu.string = ""
    (project / PO).write_text(po_text(catalog), encoding="utf-8")
    memory = tmp_path / "memory.tmx"
    memory.write_text('<?xml version="1.0" encoding="utf-8"?><tmx version="1.4"><header srclang="en" '
                      'datatype="plaintext" segtype="sentence" adminlang="en" creationtool="x" creationtoolversion="1" '
                      'o-tmf="x"/><body><tu><prop type="x-context">people.zhu.position</prop>'
                      '<tuv xml:lang="en"><seg>Director</seg></tuv>'
                      f'<tuv xml:lang="lo"><seg>{"ກ" * (MAX_TRANSLATION_CHARS + 1)}</seg></tuv></tu></body></tmx>',
                      encoding="utf-8")
    result = run(project, "tm", "import", str(memory))
    assert result.returncode == 0, result.stderr
    assert "[lo] from the memory: 0 taken as translated" in result.stdout
    assert po_of(project).get("Director", "people.zhu.position").string == ""  # the catalog still reads


def test_plural_forms_travel_through_tmx_whole(tmp_path: Path) -> None:
    """Only the singular was exported; import copied one text into two forms and left French msgstr[2] empty."""
    from babel.messages.catalog import Catalog
    from translate.storage.tmx import tmxfile

    from songphasa.i18n import memory

    done = Catalog(locale="fr")
    done.add(("%(num)s hour", "%(num)s hours"), ("%(num)s heure", "%(num)s heures", "%(num)s d'heures"),
             context="total")
    assert done.num_plurals == 3
    tmx = tmp_path / "fr.tmx"
    tmx.write_bytes(memory.write_tmx(done, "en", "fr"))
    store = tmxfile.parsefile(str(tmx))  # what CAT tools read: one unit per form
    assert [(str(u.source), u.gettarget("fr")) for u in store.getunits()] == [
        ("%(num)s hour", "%(num)s heure"), ("%(num)s hours", "%(num)s heures"), ("%(num)s hours", "%(num)s d'heures")]

    empty = Catalog(locale="fr")
    empty.add(("%(num)s hour", "%(num)s hours"), ("", "", ""), context="total")
    report = memory.apply(empty, memory.read_memory(tmx, "fr", tmp_path))
    assert report.translated == ["total"]
    assert empty.get("%(num)s hour", "total").string == ("%(num)s heure", "%(num)s heures", "%(num)s d'heures")
