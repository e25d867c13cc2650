"""A build shares its DOCX with a second process, and its files are those of a build in one.

The second process writes the documents' DOCX into the cache while the
build makes the interpreters' pack. Whatever it does, or fails to do, the
output is byte for byte that of a build in one process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from songphasa import workers
from songphasa.cli import main
from songphasa.pipeline import build
from songphasa.workers import DocxWorker, processors
from songphasa.write_docx import writer as write_docx

from .conftest import REPO, copy_example, copy_project

two_processors = pytest.mark.skipif(processors() < 2, reason="the second process starts only with two processors")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root / "output").as_posix(): p.read_bytes()
            for p in sorted((root / "output").rglob("*")) if p.is_file()}


def _clean_build(root: Path, worker: DocxWorker | None = None) -> dict[str, bytes]:
    for folder in ("output", ".songphasa-cache"):
        if (root / folder).exists():
            shutil.rmtree(root / folder)
    build(root, worker=worker)
    return _files(root)


def _counting(monkeypatch) -> list[str]:
    """Count the DOCX this process makes (the second process has its own, unpatched writer)."""
    made: list[str] = []
    real = write_docx.docx_bytes

    def counted(article, **kwargs):
        made.append(kwargs["settings"].title)
        return real(article, **kwargs)
    monkeypatch.setattr(write_docx, "docx_bytes", counted)
    return made


@two_processors
@pytest.mark.parametrize("event", ["sample", "technical-workshop"])
def test_the_second_process_makes_the_documents_docx_and_the_files_are_the_same(
        event: str, tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path / "p") if event == "sample" else copy_example(tmp_path / "p")
    monkeypatch.setenv("SONGPHASA_PROCESSES", "1")
    assert DocxWorker.start() is None  # one process, as asked
    made = _counting(monkeypatch)
    alone = _clean_build(project)
    documents = sum(1 for name in alone if name.endswith(".docx"))
    assert len(made) == documents
    made.clear()
    monkeypatch.delenv("SONGPHASA_PROCESSES")
    with DocxWorker.start() as worker:
        shared = _clean_build(project, worker)
    # This process made none: every DOCX, the interpreters' pack's too, came from the second one.
    assert made == []
    assert shared == alone


def _stand_in(body: str) -> list[str]:
    """A second process that runs `body` (with `serve` and `os` at hand) instead of the real one."""
    return [sys.executable, "-c", f"import os, sys\nsys.path.insert(0, {str(REPO)!r})\n"
            "from songphasa.workers import serve\n" + body]


@pytest.mark.parametrize("body", [
    "sys.stdin.buffer.read(8)\nos._exit(3)",
    "import songphasa.cache as cache\nreal = cache.write_sealed\n"
    "def once(*args):\n    real(*args)\n    os._exit(3)\ncache.write_sealed = once\nserve(False)",
    "sys.stdin.buffer.read(8)\nsys.stdout.write('something else\\n')\nsys.stdout.flush()",
], ids=["dies-at-once", "dies-after-one", "answers-something-else"])
def test_a_second_process_that_fails_loses_nothing(body: str, tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path / "p")
    monkeypatch.setenv("SONGPHASA_PROCESSES", "1")
    alone = _clean_build(project)
    made = _counting(monkeypatch)
    with DocxWorker.start(command=_stand_in(body)) as worker:
        assert _clean_build(project, worker) == alone
    assert len(made) > 1  # this process made what the other did not, not only the pack


def test_a_second_process_that_hangs_does_not_hang_the_build(tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path / "p")
    monkeypatch.setenv("SONGPHASA_PROCESSES", "1")
    alone = _clean_build(project)
    monkeypatch.setattr(workers, "PATIENCE", (1.0, 0.0))
    with DocxWorker.start(command=_stand_in("import time\ntime.sleep(600)")) as worker:
        assert _clean_build(project, worker) == alone
        assert worker._process.poll() is not None  # ended, not left running


def test_a_second_process_that_answers_without_making_anything_is_not_believed(tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path / "p")
    monkeypatch.setenv("SONGPHASA_PROCESSES", "1")
    alone = _clean_build(project)
    made = _counting(monkeypatch)
    body = ("import pickle, struct\nwhile header := sys.stdin.buffer.read(8):\n"
            "    number = pickle.loads(sys.stdin.buffer.read(struct.unpack('>Q', header)[0]))[0]\n"
            "    sys.stdout.write(f'done {number}\\n')\n    sys.stdout.flush()")
    with DocxWorker.start(command=_stand_in(body)) as worker:
        assert _clean_build(project, worker) == alone
    assert len(made) == sum(1 for name in alone if name.endswith(".docx"))


@two_processors
def test_the_second_process_loads_the_docx_writer_only(tmp_path: Path) -> None:
    """It is started before the build imports its libraries, to be ready when the pages are: it needs none of them."""
    project = copy_project(tmp_path / "p")
    listed = tmp_path / "modules.json"
    body = f"serve(False)\nopen({str(listed)!r}, 'w').write(__import__('json').dumps(sorted(sys.modules)))"
    worker = DocxWorker.start(command=_stand_in(body))
    _clean_build(project, worker)
    worker._process.stdin.close()  # the end of the build's messages: it lists its modules and leaves
    assert worker._process.wait(timeout=30) == 0
    worker.close()
    modules = {name.split(".")[0] for name in json.loads(listed.read_text())}
    assert {"lxml", "songphasa"} <= modules
    assert not modules & {"pydantic", "jinja2", "babel", "markdown", "ruamel", "docx", "rich"}


@two_processors
def test_the_command_line_shares_the_docx(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    shared = _files(project)
    assert main(["--project", str(project)]) == 0  # up to date: the record matches what the two processes wrote
    env_one = {"SONGPHASA_PROCESSES": "1"}
    for folder in ("output", ".songphasa-cache"):
        shutil.rmtree(project / folder)
    subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project)], check=True,
                   capture_output=True, env={**os.environ, **env_one}, timeout=300)
    assert _files(project) == shared
