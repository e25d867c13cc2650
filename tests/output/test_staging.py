"""Output is never half-written: output/ is all old or all new, catalogs whole.

The build writes into a staging folder and swaps it with output/; catalogs and
content are written to a temporary file and renamed. These tests fail a
build, kill it at random moments, and break a write midway, then look at the
files a person would open.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from songphasa.content.load import load_event
from songphasa.files import atomic_write
from songphasa.i18n.sources import catalog_source
from songphasa.i18n.update import update
from songphasa.project import Project

from ..conftest import copy_project

REPO = Path(__file__).resolve().parent.parent.parent
TRIALS = 8




def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_command(project: Path) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--project", str(project)]


def build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(project), capture_output=True, text=True, encoding="utf-8", timeout=120)


def edit(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the sample's {file} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The sample built once (shared: a build takes seconds), and how long the build took."""
    project = copy_project(tmp_path_factory.mktemp("built") / "event")
    started = time.perf_counter()
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project, time.perf_counter() - started


@pytest.fixture
def project(built: tuple[Path, float], tmp_path: Path) -> Path:
    """A copy of the built sample, output/ included."""
    return Path(shutil.copytree(built[0], tmp_path / "event", symlinks=True))


def test_failed_build_leaves_output_byte_identical(project: Path) -> None:
    before = hashes(project / "output")

    edit(project, "content/agenda.yaml", 'start: "10:10"', 'start: "09:40"')
    result = build(project)

    assert result.returncode == 1
    assert "before the item above it" in result.stderr
    assert hashes(project / "output") == before


def test_killed_build_leaves_output_all_old_or_all_new(project: Path, built: tuple[Path, float],
                                                       tmp_path: Path) -> None:
    duration = built[1]
    old = hashes(project / "output")
    saved = tmp_path / "old-output"
    shutil.copytree(project / "output", saved)
    # The new build differs from the old one in every document that names the city.
    edit(project, "content/event.yaml", "city: Vientiane", "city: Luang Prabang")

    rng = random.Random(20211123)
    seen = []
    for trial in range(TRIALS):
        shutil.rmtree(project / "output")
        shutil.copytree(saved, project / "output")
        # One moment in each slice of the build's duration, so start, middle and swap are all hit.
        delay = duration * (trial + rng.random()) / TRIALS
        process = subprocess.Popen(build_command(project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        seen.append((delay, hashes(project / "output")))

    # The next build succeeds despite what the killed ones left, and removes it.
    result = build(project)
    assert result.returncode == 0, result.stderr
    new = hashes(project / "output")
    assert new != old
    assert not list(project.glob(".output-*")), "staging folders of killed builds were left behind"
    for delay, now in seen:
        assert now in (old, new), f"output/ is a mix of old and new after a kill at {delay:.2f} s"
    assert any(now == old for _, now in seen), "no kill landed before the swap: the trials tested nothing"


def test_stale_staging_folders_are_removed_whatever_process_id_they_name(tmp_path: Path) -> None:
    """Builds queue on the project lock, so a staging folder met by a build is a dead one's."""
    from songphasa.pipeline import write_tree

    stale = tmp_path / f".output-new-{os.getppid()}-abc"  # a live process id: in a container it could be anyone's
    legacy = tmp_path / ".output-new-k2j4h5"
    for folder in (stale, legacy):
        (folder / "en").mkdir(parents=True)
        (folder / "en" / "agenda.html").write_text("half", encoding="utf-8")

    write_tree(tmp_path / "output", {"index.html": b"<p>new</p>"})

    assert (tmp_path / "output" / "index.html").read_bytes() == b"<p>new</p>"
    assert not stale.exists() and not legacy.exists()


HOLDER = """
import sys, time
from pathlib import Path
from songphasa.files import ProjectLock
root = Path(sys.argv[1])
with ProjectLock(root)():
    staging = root / ".output-new-999999-other"  # another container's build, its pid unknown here
    (staging / "en").mkdir(parents=True)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    print("intact" if staging.is_dir() else "deleted", flush=True)
    import shutil; shutil.rmtree(staging)
"""


def test_a_second_writing_command_waits_for_the_first(project: Path) -> None:
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(project), "3"], stdout=subprocess.PIPE, text=True,
                          cwd=REPO) as holder:
        assert holder.stdout.readline().strip() == "held"
        second = subprocess.run(build_command(project), capture_output=True, text=True, cwd=REPO)
        assert holder.poll() is not None, "the second build finished while the first held the lock"
        assert holder.stdout.read().strip() == "intact"
    assert second.returncode == 0, second.stderr
    assert "Another songphasa command is writing in event/" in second.stderr
    assert (project / "output" / "index.html").is_file()


def test_update_that_fails_midway_leaves_the_catalog_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.at(copy_project(tmp_path / "event"))
    po = project.po_path("lo")
    before = po.read_bytes()
    edit(project.root, "content/people.yaml", "position: Director\n", "position: Director of the Division\n")
    content = load_event(project.root)

    real_replace = os.replace

    def disk_full(src: str | os.PathLike, dst: str | os.PathLike) -> None:
        if Path(dst).name == "messages.po":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        update(catalog_source(content), project)

    assert po.read_bytes() == before
    assert not [p for p in po.parent.iterdir() if p.name.endswith(".tmp")], "a temporary file was left beside the catalog"


def test_content_write_that_fails_midway_leaves_the_file_intact(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "event")
    path = project / "content" / "recommendations.yaml"
    before = path.read_bytes()

    def interrupted(src: str | os.PathLike, dst: str | os.PathLike) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, before.decode("utf-8").replace('status: proposed', 'status: accepted'))

    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def _pack(project: Path) -> tuple[Path, bytes]:
    """Put a pack in output/distribution/ with its manifest, as `distribute` writes them; return the manifest."""
    import json
    pack = project / "output" / "distribution" / "pmo"
    pack.mkdir(parents=True)
    (pack / "concept-note-lo.pdf").write_bytes(b"%PDF-1.7 the pack as sent")
    rows = [{"path": "pmo/concept-note-lo.pdf", "bytes": 25,
             "sha256": hashlib.sha256(b"%PDF-1.7 the pack as sent").hexdigest()}]
    manifest = (json.dumps({"files": rows}, indent=2) + "\n").encode("utf-8")
    (pack.parent / "manifest.json").write_bytes(manifest)
    return pack, manifest


def test_a_plain_build_keeps_the_packs_pdfs(project: Path) -> None:
    """A build after `--release distribute` must not empty the packs the manifest lists."""
    from songphasa.output.record import vouch

    from ..conftest import build
    build(project)
    pack, manifest = _pack(project)
    vouch(project, manifest, "distribution")  # what `distribute` does once it has written the packs
    edit(project, "content/agenda.yaml", "Opening session", "Opening Session")
    result = build(project)
    assert (pack / "concept-note-lo.pdf").read_bytes() == b"%PDF-1.7 the pack as sent"
    assert (pack.parent / "manifest.json").is_file()
    assert result.warnings == [w for w in result.warnings if "removed" not in w.message]


def test_files_planted_in_a_received_projects_output_go_with_the_next_build_which_names_them(project: Path) -> None:
    """Planted under interpreters/ and distribution/, they survived every rebuild; the index linked a planted zip."""
    from ..conftest import build
    build(project)
    _pack(project)  # a manifest no `distribute` of this user's wrote
    (project / "output" / "distribution" / "pmo.zip").write_bytes(b"PK planted")
    (project / "output" / "interpreters" / "notes.html").write_text("<p>planted</p>", encoding="utf-8")
    edit(project, "content/agenda.yaml", "Opening session", "Opening Session")
    result = build(project)
    assert not (project / "output" / "distribution").exists()
    assert not (project / "output" / "interpreters" / "notes.html").exists()
    assert "pmo.zip" not in (project / "output" / "index.html").read_text(encoding="utf-8")
    said = sorted(str(w) for w in result.warnings if "removed" in w.message)
    assert said == [f"output/{name}: warning: removed: no build or distribute of yours made it — output/ holds only "
                    "what Songphasa makes; keep your own files elsewhere"
                    for name in ("distribution/manifest.json", "distribution/pmo.zip",
                                 "distribution/pmo/concept-note-lo.pdf", "interpreters/notes.html")]


def test_a_linked_output_folder_is_filled_only_when_the_user_says_so(project: Path, tmp_path: Path) -> None:
    """output/ linked to a web server's folder: refused as it came (it may have come inside a received
    project), filled with --output-link, the link kept."""
    site = tmp_path / "site" / "event"
    site.parent.mkdir()
    shutil.move(project / "output", site)
    (project / "output").symlink_to(site, target_is_directory=True)
    (site / "kept.txt").write_text("the site's own file", encoding="utf-8")
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    for command in (["--release", "distribute"], []):
        if not command:  # a build with work to do
            edit(project, "content/agenda.yaml", "Opening session", "Opening Session")
        refused = subprocess.run([*build_command(project), *command], capture_output=True, text=True)
        assert refused.returncode == 1
        assert ("output: output/ is a link to another folder (" in refused.stderr
                and "— remove the link, or run with --output-link to fill the folder it points to on purpose"
                in refused.stderr), refused.stderr
        assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    result = subprocess.run([*build_command(project), "--output-link"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (project / "output").is_symlink() and (project / "output").resolve() == site.resolve()
    assert "Opening Session" in (site / "en" / "agenda.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in site.parent.iterdir()) == ["event"]  # no staging folder left beside it


def test_nothing_that_fails_after_the_swap_makes_a_true_build_read_as_failed(project: Path, monkeypatch,
                                                                            capsys) -> None:
    """Once output/ is swapped, tidying the cache may fail (a file it cannot remove): the build has happened."""
    from songphasa import cli
    stale = project / ".songphasa-cache" / "docx" / "0123456789abcdef.docx"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"a DOCX no build uses any more")
    edit(project, "content/event.yaml", "city: Vientiane", "city: Luang Prabang")  # so that the build has work
    real_unlink = Path.unlink

    def refuse(self: Path, missing_ok: bool = False) -> None:
        if self.parent == stale.parent:
            raise PermissionError(13, "Permission denied", str(self))
        real_unlink(self, missing_ok=missing_ok)
    monkeypatch.setattr(Path, "unlink", refuse)
    assert cli.main(["--project", str(project)]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("Built ") and out.err == ""
    assert (project / "output" / "en" / "agenda.docx").is_file()
