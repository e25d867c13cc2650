"""Child processes die with the command, and what a killed command leaves is swept by the next one.

SIGKILL runs no clean-up: LibreOffice (two processes, the launcher and
soffice.bin) would go on converting for nobody and its folder would stay.
The guard at the head of LibreOffice's process group kills the group when
the command is gone; the next command that takes the project's lock removes
the scratch and staging folders and half-written files.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from songphasa.files import ProjectLock, scratch_folder, sweep_leftovers

from ..conftest import REPO, copy_project, require_renderer


def processes_mentioning(text: str) -> list[tuple[int, str]]:
    """Return (pid, command line) of every live process whose command line contains text."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if text.encode() in cmdline and state != "Z":  # a zombie has ended, only not reaped yet
                found.append((int(entry.name), cmdline.replace(b"\0", b" ").decode(errors="replace")))
    return found


def gone(text: str, seconds: float = 15) -> list[tuple[int, str]]:
    """Wait until no process mentions text; return those still there after seconds."""
    deadline = time.monotonic() + seconds
    while (left := processes_mentioning(text)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def leftovers(root: Path) -> list[str]:
    """Name what a killed command can leave in a project: scratch and staging folders, half-written files."""
    found = [p.relative_to(root).as_posix() for p in (root / ".songphasa-cache" / "tmp").glob("*")]
    for path in root.rglob("*"):
        name = path.name
        if name.startswith(".") and (name.endswith(".tmp") or "-new-" in name or "-old-" in name):
            found.append(path.relative_to(root).as_posix())
    return sorted(found)


def test_the_guard_kills_its_command_and_the_commands_children_when_the_parent_is_killed() -> None:
    """No LibreOffice needed: a shell that starts a child of its own, like LibreOffice's launcher."""
    duration = f"299.{os.getpid()}"  # names this test's sleep among every process of the machine
    parent = textwrap.dedent(f"""
        import subprocess, sys, time
        from songphasa.output.pdf import guarded
        subprocess.Popen(guarded(["sh", "-c", "sleep {duration} & wait"]), start_new_session=True)
        time.sleep(300)
    """)
    with subprocess.Popen([sys.executable, "-c", parent]) as process:
        deadline = time.monotonic() + 30
        while not any(cmd.startswith("sleep ") for _, cmd in processes_mentioning(duration)):
            assert time.monotonic() < deadline, "the guarded command never started"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    assert gone(duration) == [], "the command or its child outlived the killed parent"


def test_the_guard_passes_the_commands_exit_status_and_output_through() -> None:
    from songphasa.output.pdf import guarded
    done = subprocess.run(guarded(["sh", "-c", "echo made; echo said >&2; exit 3"]), capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (3, "made\n", "said\n")


def test_the_next_command_sweeps_what_a_killed_one_left_and_follows_no_link(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "event")
    scratch = root / ".songphasa-cache" / "tmp"
    (scratch / "songphasa-pdf-abc" / "profile").mkdir(parents=True)
    (scratch / "songphasa-pdf-abc" / "profile" / "registrymodifications.xcu").write_text("x")
    (root / ".output-new-1234-k2j4h5" / "en").mkdir(parents=True)
    (root / "output" / ".distribution-new-99-zz" / "a").mkdir(parents=True)
    half = [root / "content" / ".event.yaml.k2j4h5ab.tmp", root / "locales" / "lo" / "LC_MESSAGES" / ".messages.po.a1b2c3d4.tmp",
            root / ".songphasa-cache" / "docx" / ".0123.docx.qwerty12.tmp"]
    for path in half:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half")
    keep = [root / "content" / "notes.tmp", root / "content" / ".hidden"]
    for path in keep:
        path.write_text("the organizer's")

    with ProjectLock(root)():
        pass

    assert leftovers(root) == []
    assert all(path.read_text() == "the organizer's" for path in keep)

    # A project from someone else may bring a link where the scratch folder goes: it is removed, not followed.
    outside = tmp_path / "someone-elses"
    outside.mkdir()
    (outside / "precious").write_text("keep me")
    scratch.rmdir()
    scratch.symlink_to(outside)
    sweep_leftovers(root)
    assert (outside / "precious").read_text() == "keep me"
    with ProjectLock(root)(), scratch_folder("songphasa-test-", root) as folder:
        assert not folder.resolve().is_relative_to(outside.resolve())  # the system's temporary folder instead
    assert (outside / "precious").read_text() == "keep me"


def test_scratch_folders_are_in_the_project_while_its_lock_is_held(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "event")
    with ProjectLock(root)(), scratch_folder("songphasa-test-", root) as folder:
        assert folder.parent == root.resolve() / ".songphasa-cache" / "tmp"
    assert not folder.exists()


@dataclass(frozen=True)
class Converting:
    """A copy of the sample for a command that runs LibreOffice, with a system temporary folder of its own."""

    root: Path
    system_tmp: Path

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "TMPDIR": str(self.system_tmp)}

    @property
    def scratch(self) -> Path:
        """Where the command keeps its temporary folders (LibreOffice's too) while it holds the lock."""
        return self.root / ".songphasa-cache" / "tmp"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(REPO / "build.py"), "--project", str(self.root), *args]


@pytest.fixture
def converting(tmp_path: Path) -> Converting:
    require_renderer("soffice", "pdffonts", "pdftotext")
    (tmp_path / "tmp").mkdir()
    return Converting(copy_project(tmp_path / "event"), tmp_path / "tmp")


def _wait_for_libreoffice(process: subprocess.Popen, scratch: Path) -> None:
    deadline = time.monotonic() + 240
    while not any("soffice" in cmd or "oosplash" in cmd for _, cmd in processes_mentioning(str(scratch))):
        assert process.poll() is None, "the command ended before LibreOffice started"
        assert time.monotonic() < deadline, "LibreOffice never started"
        time.sleep(0.05)


@pytest.mark.renderer
@pytest.mark.parametrize("command", [["--pdf"], ["--release", "distribute"]], ids=["pdf", "distribute"])
def test_sigkill_during_libreoffice_leaves_no_process_and_the_next_command_leaves_nothing(
        converting: Converting, command: list[str]) -> None:
    root, scratch = converting.root, converting.scratch
    with subprocess.Popen(converting.command(*command), env=converting.env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        _wait_for_libreoffice(process, scratch)
        process.send_signal(signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL

    assert gone(str(scratch)) == [], "LibreOffice outlived the killed command"
    # Stopped with the command, not left to finish the batch for nobody (as it did before the guard).
    given, made = list(scratch.glob("songphasa-pdf-*/in/*.docx")), list(scratch.glob("songphasa-pdf-*/out/*.pdf"))
    assert given and len(made) < len(given), f"LibreOffice went on converting: {len(made)} of {len(given)} made"
    assert leftovers(root), "the killed command left nothing: the sweep below would test nothing"

    after = subprocess.run(converting.command(), env=converting.env, capture_output=True, text=True, timeout=600)
    assert after.returncode == 0, after.stderr
    assert leftovers(root) == []
    assert list(converting.system_tmp.iterdir()) == []
    assert (root / "output" / "en" / "agenda.docx").is_file()


@pytest.mark.renderer
def test_sigterm_during_pdf_stops_libreoffice_and_removes_its_folder(converting: Converting) -> None:
    with subprocess.Popen(converting.command("--pdf"), env=converting.env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as process:
        _wait_for_libreoffice(process, converting.scratch)
        process.send_signal(signal.SIGTERM)
        stderr = process.communicate(timeout=60)[1]
    assert process.returncode == 130
    assert "Interrupted" in stderr and "internal error" not in stderr
    assert gone(str(converting.scratch)) == []
    assert leftovers(converting.root) == []  # removed by the command itself, not only by the next one
    assert list(converting.system_tmp.iterdir()) == []
