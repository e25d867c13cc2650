"""Content hashes decide: a build with nothing to do is skipped, any change is rebuilt."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from songphasa import cache
from songphasa.cli import main
from songphasa.output import record as build_record
from songphasa.project import BUILTIN_TEMPLATES

from .conftest import REPO, copy_project

UP_TO_DATE = "Nothing changed since the last build (output/ is up to date)."
HEAVY = ("jinja2", "docx", "babel", "lxml", "markdown", "ruamel", "pydantic", "watchfiles")


def run(root: Path, *argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["--project", str(root), *argv])
    assert status == 0, out.getvalue()
    return out.getvalue()


def state(root: Path) -> dict[str, tuple[str, int]]:
    """Each output file's hash and modification time (which shows whether it was rewritten)."""
    return {p.relative_to(root / "output").as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted((root / "output").rglob("*")) if p.is_file()}


def hashes(root: Path) -> dict[str, str]:
    return {name: digest for name, (digest, _) in state(root).items()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built(project: Path) -> Path:
    """A private copy of the sample, built once through the command line."""
    assert UP_TO_DATE not in run(project)
    return project


# --- nothing changed ---------------------------------------------------------------------

def test_nothing_changed_says_so_and_touches_nothing(built: Path) -> None:
    before = state(built)
    out = run(built)
    assert out.splitlines()[0] == UP_TO_DATE
    assert state(built) == before


def test_nothing_changed_imports_none_of_the_heavy_libraries(built: Path) -> None:
    script = ("import sys; from songphasa.cli import main; status = main(['--project', sys.argv[1]]); "
              f"print(sorted(m for m in {HEAVY!r} if m in sys.modules)); raise SystemExit(status)")
    done = subprocess.run([sys.executable, "-c", script, str(built)], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [UP_TO_DATE, *done.stdout.splitlines()[1:-1], "[]"]


def test_the_record_lists_every_file_the_build_wrote(built: Path) -> None:
    record = json.loads((built / "output" / build_record.RECORD).read_text(encoding="utf-8"))
    written = {name for name in hashes(built) if name != build_record.RECORD}
    assert set(record["files"]) == written
    assert all(record["files"][name] == digest for name, digest in hashes(built).items() if name in written)


# --- every change is rebuilt -------------------------------------------------------------

def test_an_edited_content_string_reaches_the_output(built: Path) -> None:
    edit(built / "content" / "agenda.yaml", "title: Opening remarks", "title: Opening remarks and a zebra")
    out = run(built)
    assert out.startswith("Built ")
    assert "Opening remarks and a zebra" in (built / "output" / "en" / "agenda.html").read_text(encoding="utf-8")
    assert b"Opening remarks and a zebra" in _docx_text(built / "output" / "en" / "agenda.docx")


def _same_size_edit_keeping_the_time(path: Path) -> None:
    info = path.stat()
    edit(path, "title: Opening remarks", "title: Opening remarkZ")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns


def test_an_edit_that_keeps_the_size_and_the_time_is_rebuilt(built: Path) -> None:
    _same_size_edit_keeping_the_time(built / "content" / "agenda.yaml")
    assert run(built).startswith("Built ")
    assert "Opening remarkZ" in (built / "output" / "en" / "agenda.html").read_text(encoding="utf-8")


def test_an_edited_lao_string_rewrites_only_the_docx_whose_html_changed(built: Path) -> None:
    before = hashes(built)
    # Each DOCX made goes into the cache under a new name (whichever process of the build made it).
    cached = set((built / ".songphasa-cache" / "docx").iterdir())
    edit(built / "locales" / "lo" / "LC_MESSAGES" / "messages.po", 'msgstr "ຄຳກ່າວເປີດກອງປະຊຸມ"',
         'msgstr "ຄຳກ່າວເປີດກອງປະຊຸມ ທົດລອງ"')
    run(built)
    after = hashes(built)
    made = set((built / ".songphasa-cache" / "docx").iterdir()) - cached
    changed_html = {name[:-5] for name in after if name.endswith(".html") and after[name] != before.get(name)}
    changed_docx = {name[:-5] for name in after if name.endswith(".docx") and after[name] != before.get(name)}
    assert "lo/agenda" in changed_html
    assert changed_docx <= changed_html
    assert 0 < len(made) == len(changed_docx) < sum(1 for name in after if name.endswith(".docx"))
    assert not any(name.startswith("en/") for name in changed_docx)


@pytest.mark.parametrize("name", ["opening.md", "opening remarks.md"])
def test_an_edited_speech_text_outside_content_is_rebuilt(project: Path, name: str) -> None:
    (project / "speeches").mkdir()
    speech = project / "speeches" / name
    speech.write_text("Excellencies, colleagues.\n", encoding="utf-8")
    edit(project / "content" / "agenda.yaml", "title: Opening remarks\n",
         f"title: Opening remarks\n        speech: speeches/{name}\n")
    run(project)
    assert build_record.up_to_date(project) is not None
    speech.write_text("Excellencies, colleagues, friends. " * 200, encoding="utf-8")
    assert build_record.up_to_date(project) is None
    assert run(project).startswith("Built ")


def test_a_changed_template_is_rebuilt(built: Path) -> None:
    own = built / "templates"
    own.mkdir()
    shutil.copy(BUILTIN_TEMPLATES / "style.css", own / "style.css")
    (own / "style.css").write_text((own / "style.css").read_text(encoding="utf-8") + "\n/* zebra */\n",
                                   encoding="utf-8")
    assert run(built).startswith("Built ")
    assert "/* zebra */" in (built / "output" / "en" / "agenda.html").read_text(encoding="utf-8")


def _installed_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    """Install a distribution's metadata (another version) in a folder at the front of the path."""
    site = tmp_path / "site-packages"
    (site / folder).mkdir(parents=True)
    name, version = folder.removesuffix(".dist-info").split("-")
    (site / folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                                            encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))


def test_the_versions_are_those_importlib_metadata_finds() -> None:
    from importlib import metadata
    assert cache.installed_versions(cache.LIBRARIES) == {name: metadata.version(name) for name in cache.LIBRARIES}
    assert cache.installed_versions(["no-such-distribution"]) == {"no-such-distribution": "absent"}


def test_another_version_of_a_library_is_rebuilt(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata
    _installed_first(tmp_path, monkeypatch, "python_docx-99.0.dist-info")
    assert metadata.version("python-docx") == "99.0"  # what importlib.metadata finds too
    cache.code_hash.cache_clear()
    try:
        assert build_record.up_to_date(built) is None
    finally:
        monkeypatch.undo()
        cache.code_hash.cache_clear()
    assert build_record.up_to_date(built) is not None


def test_edited_songphasa_code_is_rebuilt(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "songphasa"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache.code_hash.cache_clear()
    try:
        assert build_record.up_to_date(built) is not None  # the same code, copied
        with (package / "write_docx" / "writer.py").open("a", encoding="utf-8") as handle:
            handle.write("\n# a change\n")
        cache.code_hash.cache_clear()
        assert build_record.up_to_date(built) is None
    finally:
        monkeypatch.undo()
        cache.code_hash.cache_clear()


def test_a_release_build_is_not_taken_for_a_draft(built: Path) -> None:
    assert build_record.up_to_date(built, release=False) is not None
    assert build_record.up_to_date(built, release=True) is None
    assert build_record.up_to_date(built, formats=("html",)) is None


@pytest.mark.parametrize("damage", ["delete", "modify", "record"])
def test_a_damaged_output_is_rebuilt_to_the_same_bytes(built: Path, damage: str) -> None:
    before = hashes(built)
    target = built / "output" / "lo" / "agenda.docx"
    if damage == "delete":
        target.unlink()
    elif damage == "modify":
        target.write_bytes(target.read_bytes() + b"\0")
    else:
        (built / "output" / build_record.RECORD).write_text("{not json", encoding="utf-8")
    assert run(built).startswith("Built ")
    assert hashes(built) == before


def test_a_build_after_edits_is_byte_identical_to_a_clean_build(built: Path, tmp_path: Path) -> None:
    edit(built / "content" / "agenda.yaml", "title: Opening remarks", "title: Opening words")
    run(built)
    edit(built / "content" / "agenda.yaml", "title: Opening words", "title: Opening remarks")
    assert run(built).startswith("Built ")  # back to the first text: the DOCX come from the cache
    clean = copy_project(tmp_path / "clean")
    shutil.rmtree(clean / "content")
    shutil.copytree(built / "content", clean / "content")
    run(clean)
    assert hashes(clean) == hashes(built)


def _docx_text(path: Path) -> bytes:
    import zipfile
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")


@pytest.mark.parametrize("library", ["laonlp", "tzdata"])
def test_the_code_hash_follows_the_word_segmenter_and_the_zone_rules(library: str, tmp_path: Path,
                                                                     monkeypatch) -> None:
    """New zone rules or a new Lao segmenter change documents: the record must not call them up to date."""
    from songphasa import cache
    before = cache.code_hash.__wrapped__()
    _installed_first(tmp_path, monkeypatch, f"{library}-0.0.1.dist-info")
    assert cache.code_hash.__wrapped__() != before


def test_a_font_replaced_while_the_process_lives_is_embedded_anew(project: Path) -> None:
    """`watch` builds in one process: a project's web font replaced meanwhile must reach the pages."""
    import base64

    from .conftest import build
    fonts = project / "templates" / "fonts"
    fonts.mkdir(parents=True)
    for name in ("NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf"):
        shutil.copy(BUILTIN_TEMPLATES / "fonts" / name, fonts / name)
    build(project)
    page = project / "output" / "lo" / "agenda.html"
    regular = (fonts / "NotoSansLao-Regular.ttf").read_bytes()
    assert base64.b64encode(regular).decode() in page.read_text(encoding="utf-8")
    shutil.copy(fonts / "NotoSansLao-Bold.ttf", fonts / "NotoSansLao-Regular.ttf")  # another font, same name
    build(project)
    html = page.read_text(encoding="utf-8")
    assert base64.b64encode(regular).decode() not in html
    assert html.count(base64.b64encode((fonts / "NotoSansLao-Bold.ttf").read_bytes()).decode()) == 2


def test_a_project_font_that_is_a_link_to_a_device_is_an_error_at_the_file(project: Path) -> None:
    from songphasa.errors import ContentError

    from .conftest import build
    fonts = project / "templates" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "NotoSansLao-Regular.ttf").symlink_to("/dev/zero")
    with pytest.raises(ContentError) as caught:
        build(project)
    assert [str(p) for p in caught.value.problems] == [
        "templates/fonts/NotoSansLao-Regular.ttf: is a link to a file outside the project — copy the file into the "
        "project instead of linking to it"]
