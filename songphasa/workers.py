"""A second process that writes DOCX beside the build.

A build renders every page, then writes a DOCX of each and the interpreters'
pack. With two or more processors, a second Python process writes the
documents' DOCX (into the DOCX cache) while the build makes the pack and
the index; the build then takes the DOCX from the cache.

The process is started fresh (not forked) as soon as a build knows it has
work to do, before it imports its libraries: it has loaded lxml and the DOCX
writer by the time the first pages are rendered, and it shares no memory
with the build (a forked copy would make both processes copy every page of
memory either one touches). `watch` keeps one for all its rounds, with the
Word XML of the paragraphs it made (write_docx.remember_blocks).

Nothing depends on it: if it cannot start, dies or fails on a document, the
build makes what is missing, with the same bytes and the same errors. What
it is sent is what the cache key hashes (the article's XML and the languages
of its ancestors, the reference document, the settings), so what it makes
is what the build would make.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

#: Run in the second process: this package's folder first on the path, as in the build.
_SERVE = "import sys; sys.path.insert(0, sys.argv[1]); from songphasa.workers import serve; serve(sys.argv[2] == '1')"
_HEADER = struct.Struct(">Q")


def processors() -> int:
    """Count the processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class DocxWorker:
    """The build's side of the second process: send it documents, wait for them."""

    def __init__(self, process: subprocess.Popen):
        self._process = process
        self._sent = 0

    @classmethod
    def start(cls, *, remember: bool = False, command: list[str] | None = None) -> DocxWorker | None:
        """Start the second process; None with one processor, with SONGPHASA_PROCESSES=1, or when it cannot start.

        ``remember``: keep the Word XML of unchanged blocks between documents (for `watch`).
        ``command``: another program that speaks the same protocol (for tests).
        """
        if command is None and (processors() < 2 or os.environ.get("SONGPHASA_PROCESSES") == "1"):
            return None
        package_parent = str(Path(__file__).resolve().parent.parent)
        try:
            process = subprocess.Popen(command or [sys.executable, "-c", _SERVE, package_parent, "1" if remember else "0"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                       close_fds=True)
        except (OSError, ValueError):
            return None
        return cls(process)

    def give(self, folder: Path, jobs: list[tuple]) -> Callable[[], bool] | None:
        """Send jobs (article XML, ancestors' languages, reference, settings, key) to be made into folder.

        Returns the function that waits until the second process has done
        them (True: it went through all of them), or None if it could not
        take them (it has ended): the build then makes them itself.
        """
        if self._process.poll() is not None:
            return None
        self._sent += 1
        number = self._sent
        message = pickle.dumps((number, str(folder), jobs), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._process.stdin.write(_HEADER.pack(len(message)) + message)
            self._process.stdin.flush()
        except (OSError, ValueError):
            self.close()
            return None

        def wait() -> bool:
            while True:  # the answers come in order; one left unread by a round that failed is skipped
                try:
                    line = self._process.stdout.readline()
                except (OSError, ValueError):
                    line = b""
                if not line:
                    self.close()
                    return False
                if line.strip() == f"done {number}".encode():
                    return True
        return wait

    def close(self) -> None:
        """End the second process (what it was making is made by the build, or by the next one)."""
        try:
            self._process.kill()
        except OSError:
            pass
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def __enter__(self) -> DocxWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve(remember: bool) -> None:
    """The second process: make the DOCX of every message on stdin into the cache, answer "done N" for each."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle; it ends this process
    import gc
    gc.set_threshold(100_000, 20, 20)  # as in the build (cli.run)
    parent = os.getppid()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer

    import lxml.html
    from lxml import etree

    from . import write_docx
    from .cache import write_sealed

    if remember:
        write_docx.remember_blocks()
    parser = lxml.html.XHTMLParser(huge_tree=True)
    while True:
        header = stdin.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return  # the build closed the pipe: it has ended
        (size,) = _HEADER.unpack(header)
        message = stdin.read(size)
        if len(message) < size:
            return
        number, folder, jobs = pickle.loads(message)
        for article_xml, langs, reference, settings, key in jobs:
            if os.getppid() != parent:
                return  # the build died: nobody will read what this makes
            try:
                article = _article(article_xml, langs, parser, etree)
                data = write_docx.docx_bytes(article, reference=reference, settings=settings)
            except Exception:  # noqa: BLE001 — made again by the build, which reports the error
                continue
            write_sealed(Path(folder) / f"{key}.docx", key, data)
        stdout.write(f"done {number}\n".encode())
        stdout.flush()


def _article(article_xml: bytes, langs: list[str | None], parser, etree):
    """Rebuild an article as the build has it: its elements, under ancestors with the same languages."""
    article = etree.fromstring(article_xml, parser)
    node = article
    for lang in langs:  # nearest first, as iterancestors() gives them
        parent = parser.makeelement("div", {} if lang is None else {"lang": lang})
        parent.append(node)
        node = parent
    return article


__all__ = ["DocxWorker", "processors", "serve"]
