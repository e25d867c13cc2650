"""`python build.py watch`: a change rebuilds, a mistake is reported and the watch goes on."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from songphasa.pipeline import build
from songphasa.project import BUILTIN_TEMPLATES
from songphasa.session import Session
from songphasa.watch import InputFilter

from .conftest import REPO

WAIT = 30  # seconds any one expected line may take


class Watch:
    """The watch command running in a subprocess, its output lines collected as they come."""

    def __init__(self, root: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--project", str(root), "watch"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, pattern: str) -> str:
        """Wait (bounded) for a line matching the pattern; return it."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        pytest.fail(f"no line matching {pattern!r} within {WAIT} s; saw:\n" + "\n".join(self.seen))

    def stop(self) -> int:
        """Press Ctrl-C and return the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.reader.join(timeout=WAIT)
            assert self.process.stdout is not None
            self.process.stdout.close()


def test_a_change_is_rebuilt_a_mistake_reported_and_ctrl_c_ends_cleanly(project: Path) -> None:
    agenda = project / "content" / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    assert "title: Opening remarks" in text, "the sample changed: update this test"
    watch = Watch(project)
    try:
        watch.expect(r"^Built \d+ documents")
        watch.expect(r"^Watching content/, locales/ for changes")

        agenda.write_text(text.replace("title: Opening remarks", "title: Opening zebra remarks", 1), encoding="utf-8")
        watch.expect(r"^content/agenda\.yaml changed — rebuilt in \d+\.\d s$")
        assert "Opening zebra remarks" in (project / "output" / "en" / "agenda.html").read_text(encoding="utf-8")

        agenda.write_text(text + "\nsessions: [oops\n", encoding="utf-8")
        watch.expect(r"^content/agenda\.yaml:\d+: ")  # the same line the build command prints
        watch.expect(r"^content/agenda\.yaml changed — build failed in .*output/ is unchanged")
        assert "Opening zebra remarks" in (project / "output" / "en" / "agenda.html").read_text(encoding="utf-8")

        agenda.write_text(text, encoding="utf-8")
        watch.expect(r"^content/agenda\.yaml changed — rebuilt in ")
        assert "Opening zebra remarks" not in (project / "output" / "en" / "agenda.html").read_text(encoding="utf-8")
    finally:
        status = watch.stop()
    watch.expect(r"^Stopped watching\.$")
    assert status == 0
    assert not any("Traceback" in line for line in watch.seen), "\n".join(watch.seen)


@pytest.mark.parametrize("name, watched", [
    ("content/agenda.yaml", True),
    ("locales/lo/LC_MESSAGES/messages.po", True),
    ("locales/lo/LC_MESSAGES/messages.mo", False),  # the build writes it
    ("locales/lo/LC_MESSAGES/.messages.po.x1y2.tmp", False),  # atomic_write before its rename
    ("content/.agenda.yaml.swp", False),
    ("content/agenda.yaml~", False),
    ("templates/__pycache__/x.pyc", False),
])
def test_only_inputs_trigger_a_rebuild(tmp_path: Path, name: str, watched: bool) -> None:
    from watchfiles import Change
    assert InputFilter()(Change.modified, str(tmp_path / name)) is watched


def test_a_file_made_and_removed_meanwhile_is_not_named(tmp_path: Path) -> None:
    from watchfiles import Change

    from songphasa.watch import _changed
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "agenda.yaml").write_text("x", encoding="utf-8")
    changes = {(Change.added, str(tmp_path / "content" / "sedAb12")), (Change.deleted, str(tmp_path / "content" / "sedAb12")),
               (Change.modified, str(tmp_path / "content" / "agenda.yaml")),
               (Change.deleted, str(tmp_path / "content" / "old.md"))}
    assert _changed(changes, tmp_path) == ["content/agenda.yaml", "content/old.md"]


def _translation_edited(project: Path, context: str, extra: str) -> None:
    """Append text to the Lao translation of the first entry whose context starts so, as Poedit would save it."""
    po = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f'msgctxt "{context}'))
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
    while lines[at + 1].startswith('"'):
        at += 1
    assert lines[at].endswith('"')
    lines[at] = lines[at][:-1] + extra + '"'
    po.write_text("\n".join(lines), encoding="utf-8")


def rendered_again(session: Session, before: dict) -> set[tuple[str, str]]:
    """The pages the last build rendered anew (a kept page is the very object the build before made)."""
    return {key for key, page in session.pages.items() if page is not before.get(key)}


def _output_files(project: Path) -> dict[Path, bytes]:
    return {p.relative_to(project / "output"): p.read_bytes()
            for p in sorted((project / "output").rglob("*")) if p.is_file()}


def test_a_translation_edit_renders_only_the_pages_that_use_it_and_builds_the_same_files(project: Path) -> None:
    session = Session(project)
    build(session)
    before = dict(session.pages)
    _translation_edited(project, "concept-note.description.", " ທົດລອງ")
    session.note_changes(["locales/lo/LC_MESSAGES/messages.po"])
    build(session)
    assert rendered_again(session, before) == {("concept-note", "lo")}
    page = (project / "output" / "lo" / "concept-note.html").read_text(encoding="utf-8")
    assert "ທົດລອງ" in page
    incremental = _output_files(project)
    build(Session(project))  # a whole build of the same inputs
    assert incremental == _output_files(project)


def test_a_content_edit_after_a_translation_edit_builds_everything(project: Path) -> None:
    session = Session(project)
    build(session)
    before = dict(session.pages)
    _translation_edited(project, "concept-note.description.", " ທົດລອງ")
    agenda = project / "content" / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8") + "\n# an organizer's note\n", encoding="utf-8")
    event = project / "content" / "event.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("\nvenue:", "\n\nvenue:", 1), encoding="utf-8")
    session.note_changes(["locales/lo/LC_MESSAGES/messages.po", "content/agenda.yaml", "content/event.yaml"])
    build(session)
    assert rendered_again(session, before) == set(before)


def test_a_concept_note_edit_renders_only_the_pages_that_read_it_and_builds_the_same_files(project: Path) -> None:
    session = Session(project)
    build(session)
    before = dict(session.pages)
    prose = project / "content" / "concept-note.md"
    text = prose.read_text(encoding="utf-8")
    sentence = re.search(r"(?m)^([A-Z][^\n]{40,})\.$", text)
    assert sentence is not None
    prose.write_text(text[: sentence.end(1)] + " Edited in watch" + text[sentence.end(1):], encoding="utf-8")
    session.note_changes(["content/concept-note.md"])
    build(session)
    assert rendered_again(session, before) == {("concept-note", "en"), ("concept-note", "lo")}
    for lang in ("en", "lo"):
        assert "Edited in watch" in (project / "output" / lang / "concept-note.html").read_text(encoding="utf-8")
    assert "Edited in watch" in (project / "output" / "interpreters" / "pack.html").read_text(encoding="utf-8")
    incremental = _output_files(project)
    shutil.rmtree(project / ".songphasa-cache")  # no DOCX from the cache either
    build(Session(project))  # a whole build of the same inputs
    assert incremental == _output_files(project)


def test_a_template_edit_renders_every_page_again(project: Path) -> None:
    templates = project / "templates"
    templates.mkdir()
    shutil.copy2(BUILTIN_TEMPLATES / "base.html", templates / "base.html")
    session = Session(project)
    build(session)
    before = dict(session.pages)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    session.note_changes(["templates/base.html"])
    build(session)
    assert rendered_again(session, before) == set(before)


def test_in_watch_an_edit_reaches_the_word_files_and_they_are_those_of_a_whole_build(project: Path) -> None:
    import zipfile

    session = Session(project)
    build(session)
    prose = project / "content" / "concept-note.md"
    text = prose.read_text(encoding="utf-8")
    sentence = re.search(r"(?m)^([A-Z][^\n]{40,})\.$", text)
    prose.write_text(text[: sentence.end(1)] + " Edited in watch" + text[sentence.end(1):], encoding="utf-8")
    session.note_changes(["content/concept-note.md"])
    build(session)
    incremental = _output_files(project)
    for name in ("en/concept-note.docx", "interpreters/pack.docx"):
        with zipfile.ZipFile(project / "output" / name) as docx:
            assert "Edited in watch" in docx.read("word/document.xml").decode("utf-8")
    shutil.rmtree(project / ".songphasa-cache")  # no DOCX from the cache either: every document written anew
    build(Session(project))
    assert incremental == _output_files(project)


def test_a_concept_note_edit_that_renumbers_the_footnotes_builds_everything(project: Path) -> None:
    prose = project / "content" / "concept-note.md"
    text = prose.read_text(encoding="utf-8")
    sentence = re.search(r"(?m)^([A-Z][^\n]{40,})\.$", text)
    assert sentence is not None

    def cited(first: str, second: str) -> str:  # both footnotes cited, in this order
        return (text[: sentence.end(1)] + f" [^{first}] [^{second}]" + text[sentence.end(1):].rstrip("\n")
                + "\n\n[^one]: The first note.\n\n[^two]: The second note.\n")

    prose.write_text(cited("one", "two"), encoding="utf-8")
    session = Session(project)
    build(session)
    before = dict(session.pages)
    prose.write_text(cited("two", "one"), encoding="utf-8")  # every document's citations change numbers
    session.note_changes(["content/concept-note.md"])
    build(session)
    assert rendered_again(session, before) == set(before)



def test_a_lao_title_edit_reaches_every_lao_pages_title_and_word_file_properties(project: Path) -> None:
    """The recommendations' page showed the short title only in <title> and kept the old one after the edit."""
    import zipfile
    session = Session(project)
    build(session)
    _translation_edited(project, "event.short_title", " ທົດລອງ")
    session.note_changes(["locales/lo/LC_MESSAGES/messages.po"])
    build(session)
    for page in sorted((project / "output" / "lo").glob("*.html")):
        title = re.search("<title>(.*?)</title>", page.read_text(encoding="utf-8")).group(1)
        assert title.endswith("ທົດລອງ"), (page.name, title)
    for docx in sorted((project / "output" / "lo").glob("*.docx")):
        assert "ທົດລອງ</dc:title>" in zipfile.ZipFile(docx).read("docProps/core.xml").decode(), docx.name


def test_watch_follows_a_content_folder_put_in_place_of_another_and_templates_made_after_the_start(
        project: Path, tmp_path: Path) -> None:
    """A `git checkout` or an editor's rename replaces content/: the watch went blind; a new templates/ was not seen."""
    agenda = "content/agenda.yaml"
    text = (project / agenda).read_text(encoding="utf-8")
    assert "title: Opening remarks" in text, "the sample changed: update this test"
    watch = Watch(project)
    try:
        watch.expect(r"^Built \d+ documents")
        watch.expect(r"^Watching ")
        replacement = tmp_path / "checkout"
        shutil.copytree(project / "content", replacement)
        (replacement / "agenda.yaml").write_text(text.replace("title: Opening remarks", "title: Opening zebra", 1),
                                                 encoding="utf-8")
        os.rename(project / "content", tmp_path / "content-before")
        os.rename(replacement, project / "content")
        watch.expect(r"changed — rebuilt in ")
        assert "Opening zebra" in (project / "output" / "en" / "agenda.html").read_text(encoding="utf-8")

        (project / agenda).write_text(text.replace("title: Opening remarks", "title: Opening yak", 1), encoding="utf-8")
        watch.expect(r"^content/agenda\.yaml changed — rebuilt in ")
        assert "Opening yak" in (project / "output" / "en" / "agenda.html").read_text(encoding="utf-8")

        templates = tmp_path / "templates"
        templates.mkdir()
        base = (BUILTIN_TEMPLATES / "base.html").read_text(encoding="utf-8")
        assert "<body" in base, "the built-in base.html changed: update this test"
        (templates / "base.html").write_text(base.replace("<body", "<!-- made after the start --><body", 1),
                                             encoding="utf-8")
        os.rename(templates, project / "templates")
        watch.expect(r"^templates(/base\.html)? changed — rebuilt in ")
        assert "made after the start" in (project / "output" / "en" / "agenda.html").read_text(encoding="utf-8")
    finally:
        status = watch.stop()
    assert status == 0
    assert not any("Traceback" in line for line in watch.seen), "\n".join(watch.seen)


@pytest.mark.parametrize("name, watched", [
    ("output/en/agenda.html", False),  # the build's own writing
    (".songphasa-cache/docx/x.docx", False),
    (".output-new-12-abc/en/agenda.html", False),
    (".output-old-12/en/agenda.html", False),
    ("speeches/opening.md", True),  # a speech text may lie anywhere in the project
    ("templates/agenda.html", True),
])
def test_the_project_is_watched_but_not_what_the_build_writes(tmp_path: Path, name: str, watched: bool) -> None:
    from watchfiles import Change
    assert InputFilter(tmp_path)(Change.modified, str(tmp_path / name)) is watched
