"""A second process that writes DOCX beside the build.

A build renders every page, then writes a DOCX of each and the interpreters'
pack. With two or more processors, a second Python process writes every
DOCX into the DOCX cache: each document's as soon as its pages are
rendered, while the build renders the next, and the pack's once the build
has made its page; the build then takes them from the cache.

The process is started fresh (not forked) as soon as a build knows it has
work to do, before it imports its libraries: it has loaded lxml and the DOCX
writer by the time the first pages are rendered, and it shares no memory
with the build (a forked copy would make both processes copy every page of
memory either one touches). `watch` keeps one for all its rounds.

Nothing depends on it: if it cannot start, dies or fails on a document, the
build makes what is missing, with the same bytes and the same errors. What
it is sent is what the cache key hashes (the article's XML and the languages
of its ancestors, the reference document, the settings), so what it makes
is what the build would make.
"""

from __future__ import annotations

import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

#: Run in the second process: this package's folder first on the path, as in the build.
_SERVE = "import sys; sys.path.insert(0, sys.argv[1]); from songphasa.workers import serve; serve(sys.argv[2] == '1')"
_HEADER = struct.Struct(">Q")
#: How long the build waits for the second process's answer: seconds, plus seconds per document.
PATIENCE = (60.0, 5.0)


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
        self._answered = 0  # the last message it said it has done
        self._warmed = False
        self._answers = b""  # read from its stdout, not yet taken
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None

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

    @property
    def cold(self) -> bool:
        """Tell whether it has not been warmed yet (warm() is once per process: a `watch` round finds it warm)."""
        return not self._warmed

    def warm(self, reference: Path, settings: list) -> None:
        """Have it read the reference document and make the styles of these settings now, while the pages render."""
        if self._warmed:
            return
        self._warmed = True
        article = b"<article><h1>.</h1><p>.</p></article>"
        self.give(Path(), [(article, [one.language], reference, one, None) for one in settings])

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
        if self._writer is None:
            self._writer = threading.Thread(target=self._send, name="songphasa-docx-worker", daemon=True)
            self._writer.start()
        self._outbox.put(_HEADER.pack(len(message)) + message)  # written meanwhile: a full pipe never holds the build

        # A second process that hangs must not hang the build: past this, it is ended and the build goes on alone.
        deadline = time.monotonic() + PATIENCE[0] + PATIENCE[1] * len(jobs)

        def wait() -> bool:
            while self._answered < number:  # the answers come in order: "done 3" answers 1 and 2 too
                words = self._line(deadline).split()
                if len(words) != 2 or words[0] != b"done" or not words[1].isdigit():
                    self.close()  # it ended, or says what it should not: the build goes on alone
                    return False
                self._answered = int(words[1])
            return True
        return wait

    def _send(self) -> None:
        """Write the messages to the second process, one after the other, until close()."""
        while (data := self._outbox.get()) is not None:
            try:
                self._process.stdin.write(data)
                self._process.stdin.flush()
            except (OSError, ValueError):
                return  # it has ended: wait() finds out

    def _line(self, deadline: float) -> bytes:
        """Read the next answer, or b"" if the process ended, broke the pipe or said nothing before the deadline."""
        stream = self._process.stdout
        try:
            if sys.platform == "win32":  # select() takes sockets only there
                return stream.readline()
            while b"\n" not in self._answers:
                ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    return b""
                chunk = os.read(stream.fileno(), 4096)
                if not chunk:
                    return b""
                self._answers += chunk
        except (OSError, ValueError):
            return b""
        line, _, self._answers = self._answers.partition(b"\n")
        return line + b"\n"

    def close(self) -> None:
        """End the second process (what it was making is made by the build, or by the next one)."""
        try:
            self._process.kill()
        except OSError:
            pass
        if self._writer is not None:
            self._outbox.put(None)
            self._writer.join(timeout=5)  # the pipe is broken now: a write under way ends
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

    from .cache import write_sealed
    from .write_docx.package import References
    from .write_docx.writer import docx_bytes

    references = References()  # the reference document, read once for all the DOCX this process makes

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
                data = docx_bytes(article, reference=reference, settings=settings, references=references)
            except Exception:  # noqa: BLE001 — made again by the build, which reports the error
                continue
            if key is not None:  # None: only to warm up (warm())
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
