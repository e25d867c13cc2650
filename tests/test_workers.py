"""A clean build shares its DOCX with a second process, and its files are those of a build in one.

The second process writes the documents' DOCX into the cache while the
build makes the interpreters' pack. Whatever it does, or fails to do, the
output is byte for byte that of a build in one process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from songphasa import cache, workers, write_docx
from songphasa.pipeline import build

from .conftest import copy_project


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root / "output").as_posix(): p.read_bytes()
            for p in sorted((root / "output").rglob("*")) if p.is_file()}


def _clean_build(root: Path) -> dict[str, bytes]:
    for folder in ("output", ".songphasa-cache"):
        if (root / folder).exists():
            import shutil
            shutil.rmtree(root / folder)
    build(root)
    return _files(root)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


@pytest.mark.skipif(not workers.can_fork(), reason="needs Linux, two processors and one thread")
def test_a_second_process_makes_the_documents_docx_and_the_files_are_the_same(project: Path, monkeypatch) -> None:
    started, finished, made_here = [], [], []
    real = workers.in_background
    real_docx = write_docx.docx_bytes

    def spy(work):
        wait = real(work)
        started.append(wait is not None)
        return (lambda: finished.append(wait()) or finished[-1]) if wait is not None else None

    def counted(article, **kwargs):
        made_here.append(os.getpid())  # the second process's calls are counted in its own copy of the list
        return real_docx(article, **kwargs)
    monkeypatch.setattr(workers, "in_background", spy)
    monkeypatch.setattr(write_docx, "docx_bytes", counted)
    shared = _clean_build(project)
    assert started == [True] and finished == [True]
    # This process made only the interpreters' pack; the other eight DOCX came from the second one.
    assert len(made_here) == 1
    made_here.clear()
    monkeypatch.setenv("SONGPHASA_PROCESSES", "1")
    assert not workers.can_fork()
    assert _clean_build(project) == shared
    assert started == [True, False]  # asked, and refused: one process made everything
    assert len(made_here) == 9


@pytest.mark.skipif(not workers.can_fork(), reason="needs Linux, two processors and one thread")
def test_a_second_process_that_dies_halfway_loses_nothing(project: Path, monkeypatch) -> None:
    serial = _clean_build(project)
    first = os.getpid()
    real = cache.write_sealed
    written = []

    def dies_after_one(path: Path, key: str, data: bytes) -> None:
        if os.getpid() != first and written:
            os._exit(3)  # the second process, killed after its first DOCX
        written.append(path)
        real(path, key, data)
    monkeypatch.setattr(cache, "write_sealed", dies_after_one)
    assert _clean_build(project) == serial


def test_no_second_process_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not workers.can_fork()
        assert workers.in_background(lambda: None) is None
    finally:
        stop.set()
        thread.join()
