"""Bad input gets a message a person can act on, and output/ stays as it was.

Each case copies the sample event (content/ and locales/; the templates are
the built-in ones), makes one small edit (for content: puts in the files of a
fixture of tests/fixtures/content/), runs ``python build.py --project`` as an
organizer would, and checks the exact lines on stderr: the compiler format
``file:line: message — hint``, exit status 1, no traceback, and the project's
existing output/ untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from songphasa.content.text import MAX_FILE_BYTES
from songphasa.project import BUILTIN_TEMPLATES

from .conftest import copy_project
from .content.bad_inputs import BadInput, bad_inputs

REPO = Path(__file__).resolve().parent.parent
LIMIT_KIB = MAX_FILE_BYTES // 1024

#: An edit changes the project and returns the file and 1-based line it changed
#: (the line the message must point at), or None.
Edit = Callable[[Path], "tuple[str, int] | None"]


# --- edits: each one small change to a copy of the sample project -----------------

def replace_bytes(file: str, old: bytes, new: bytes) -> Edit:
    """Replace the first `old` in a project file; fail loudly when the sample changed."""
    def edit(project: Path) -> tuple[str, int]:
        path = project / file
        raw = path.read_bytes()
        assert old in raw, f"the sample's {file} no longer contains {old!r}: update this case"
        at = raw.index(old)
        path.write_bytes(raw.replace(old, new, 1))
        same = len(os.path.commonprefix([old, new]))  # the edit's line is where old and new first differ
        return file, raw.count(b"\n", 0, at + same) + 1
    return edit


def replace(file: str, old: str, new: str) -> Edit:
    return replace_bytes(file, old.encode("utf-8"), new.encode("utf-8"))


def append(file: str, text: str) -> Edit:
    def edit(project: Path) -> tuple[str, int]:
        path = project / file
        raw = path.read_bytes()
        path.write_bytes(raw + text.encode("utf-8"))
        return file, raw.count(b"\n") + 1
    return edit


def own_template(name: str, old: str, new: str) -> Edit:
    """Give the project its own copy of a built-in template, with one change."""
    def edit(project: Path) -> tuple[str, int]:
        (project / "templates").mkdir(exist_ok=True)
        shutil.copy(BUILTIN_TEMPLATES / name, project / "templates" / name)
        return replace(f"templates/{name}", old, new)(project)
    return edit


def put(bad: BadInput) -> Edit:
    """Put a bad content input's files into the project (their messages name their own lines)."""
    return lambda project: bad.put(project)


def delete(file: str) -> Edit:
    return lambda project: (project / file).unlink()


def copy_tree(source: str, target: str) -> Edit:
    return lambda project: shutil.copytree(project / source, project / target) and None


def write_bytes(file: str, data: bytes) -> Edit:
    def edit(project: Path) -> None:
        (project / file).parent.mkdir(exist_ok=True)
        (project / file).write_bytes(data)
    return edit


def link(file: str, target: str) -> Edit:
    """Replace a project file by a link; a relative target is taken from the project's parent folder."""
    def edit(project: Path) -> None:
        path = project / file
        destination = Path(target) if target.startswith("/") else project.parent / target
        if not target.startswith("/") and not destination.exists():
            # The same text, but outside the project.
            source = path if path.exists() else BUILTIN_TEMPLATES / path.name
            destination.write_bytes(source.read_bytes())
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(destination)
    return edit


def fifo(file: str) -> Edit:
    def edit(project: Path) -> None:
        (project / file).unlink()
        os.mkfifo(project / file)
    return edit


def expand(expected: str, project: Path, edited: dict[str, int]) -> str:
    """Fill in the lines of an expected message, as the sample is today.

    ``{line}`` is the line the case's edit changed in the message's file;
    ``{line of 'text'}`` is the first line of that file containing the text.
    Spelling them out keeps the cases true when someone edits the sample.
    """
    file = expected.split(":", 1)[0]

    def line_of(match: re.Match) -> str:
        if match.group(1) is None:
            return str(edited[file])
        lines = (project / file).read_text(encoding="utf-8", errors="replace").split("\n")
        return str(next(n for n, text in enumerate(lines, start=1) if match.group(1) in text))
    return re.sub(r"\{line(?: of '(.+?)')?\}", line_of, expected)


# --- the cases: edits and the exact lines the organizer reads ------------------------

#: Bad content as files (tests/fixtures/content/): each replaces files of the sample.
CONTENT_CASES = [pytest.param([put(bad)], bad.expected, id=bad.name) for bad in bad_inputs()]

#: Bad input that is not a content file's text: templates, catalogs, links and pipes, and content
#: generated at sizes a fixture file would only weigh down the repository with.
CASES = [
    *CONTENT_CASES,
    pytest.param(
        [replace("locales/lo/LC_MESSAGES/messages.po", 'msgid "Concept Note and Agenda"\n',
                 'msgid "Concept Note and Agenda\n')],
        ["locales/lo/LC_MESSAGES/messages.po:{line}: the translation file cannot be read: a quoted string is not closed "
         '— end the text with " on the same line (write a quote inside the text as \\")'],
        id="po-unclosed-quote"),
    pytest.param(
        [replace("locales/lo/LC_MESSAGES/messages.po", 'msgid "Concept Note and Agenda"\nmsgstr "',
                 'msgid "Concept Note and Agenda"\nmsgstr "\x01')],
        ["locales/lo/LC_MESSAGES/messages.po:{line}: a translation holds the invisible control character U+0001, "
         "which Word documents cannot hold — delete it"],
        id="po-control-character"),
    pytest.param(
        [replace("locales/lo/LC_MESSAGES/messages.po", 'msgid "Concept Note and Agenda"\nmsgstr "',
                 'msgid "Concept Note and Agenda"\nmsgstr "&#x1;')],
        ["locales/lo/LC_MESSAGES/messages.po:{line}: a translation holds the invisible control character U+0001 "
         "(written '&#x1;'), which Word documents cannot hold — delete it"],
        id="po-control-character-reference"),
    pytest.param(
        [own_template("agenda.html", "{{ agenda.heading_block() }}", "{{ agenda.heading_block() }")],
        ["templates/agenda.html:{line}: template syntax error: unexpected '}' — fix the template tag on this line"],
        id="template-syntax-error"),
    pytest.param(
        [own_template("agenda.html", "{{ agenda.heading_block() }}", "{{ agenda.heading_block() }} {{ speaker }}")],
        ["templates/agenda.html:{line}: template uses an undefined name: 'speaker' is undefined — check the spelling "
         "against the names the templates receive (see README)"],
        id="template-undefined-name"),
    pytest.param(
        [own_template("_agenda.html", "{{ t(event.short_title) }}", "{{ t(event.short_titel) }}")],
        ["templates/_agenda.html:{line}: template uses an undefined name: 'songphasa.content.models.Event object' "
         "has no attribute 'short_titel' — check the spelling against the names the templates receive (see README)"],
        id="template-undefined-attribute-in-macro"),
    pytest.param(
        [own_template("index.html", "{{ titles[source_lang] }}", "{{ titles[source_lang] }")],
        ["templates/index.html:{line}: template syntax error: unexpected '}' — fix the template tag on this line"],
        id="template-syntax-error-in-index"),
    pytest.param(
        [own_template("agenda.html", "<section id=\"agenda\">", "<section id=\"agenda\">\x0b")],
        ["templates/agenda.html:{line}: invisible control character U+000B that Word documents cannot hold "
         "— delete it from the template"],
        id="template-control-character"),
    pytest.param(
        [own_template("agenda.html", "<section id=\"agenda\">", "<section id=\"agenda\">{{ ''.__class__.__mro__ }}")],
        ["templates/agenda.html:{line}: template reaches beyond the values it is given (access to attribute "
         "'__class__' of 'str' object is unsafe.) — use only the names the templates receive (see README)"],
        id="template-sandbox"),
    pytest.param(
        [own_template("agenda.html", "<section id=\"agenda\">", "<section id=\"agenda\">{{ 1 // 0 }}")],
        ["templates/agenda.html:{line}: template error: ZeroDivisionError: integer division or modulo by zero "
         "— fix the expression on this line of the template"],
        id="template-runtime-error"),
    pytest.param(
        [lambda project: (project / "templates").mkdir() or (project / "templates" / "outcome.html").write_text(
            "<p>no article</p>\n", encoding="utf-8") and None],
        ["templates/outcome.html: the template makes no <article> — keep {% extends \"base.html\" %} or put the "
         "document in <article>…</article>"],
        id="template-without-article"),
    pytest.param(
        # Deeper than libyaml's reader can go without crashing the process: the Python reader says so.
        # (9,000: twice 20,000 brackets is more than the Markdown marks all content may hold, said first.)
        [write_bytes("content/contacts.yaml", ("people: " + "[" * 9_000 + "]" * 9_000 + "\n").encode())],
        ["content/contacts.yaml: the file is nested too deeply to read — check the brackets and indentation"],
        id="yaml-nested-9000-deep"),
    pytest.param(
        [write_bytes("content/contacts.yaml", ("- " * 200_000 + "x\n").encode())],
        ["content/contacts.yaml: the file is nested too deeply to read — check the brackets and indentation"],
        id="yaml-list-in-list-200000-deep"),
    pytest.param(
        # (12,000: more brackets than the Markdown marks all content may hold are said first, before parsing.)
        [append("content/concept-note.md", "\nBrackets " + "[" * 12_000 + "\n")],
        ["content/concept-note.md:{line of 'Brackets [[['}: this text has 12,009 characters, more than the 10,000 one "
         "paragraph or value may have — split it into several paragraphs or list items"],
        id="paragraph-of-12-kb-of-brackets"),
    pytest.param(
        [write_bytes("templates/reference.docx", b"")],
        ["templates/reference.docx: is not a Word document that can be read (empty or damaged) — save it again "
         "from Word or LibreOffice as .docx, or delete it to use the built-in one"],
        id="reference-docx-empty"),
    pytest.param(
        [write_bytes("templates/reference.docx", (BUILTIN_TEMPLATES / "reference.docx").read_bytes()[:4000])],
        ["templates/reference.docx: is not a Word document that can be read (empty or damaged) — save it again "
         "from Word or LibreOffice as .docx, or delete it to use the built-in one"],
        id="reference-docx-truncated"),
    pytest.param(
        [link("content/concept-note.md", "elsewhere.md")],
        ["content/concept-note.md: is a link to a file outside the project — copy the file into the project "
         "instead of linking to it"],
        id="content-link-out-of-the-project"),
    pytest.param(
        [link("content/people.yaml", "/dev/zero")],
        ["content/people.yaml: is a link to a file outside the project — copy the file into the project "
         "instead of linking to it"],
        id="content-link-to-a-device"),
    pytest.param(
        [fifo("content/people.yaml")],
        ["content/people.yaml: is not a regular file (a folder, a pipe or a device) — replace it with a regular file"],
        id="content-fifo"),
    pytest.param(
        [link("templates/agenda.html", "elsewhere.html")],
        ["templates/agenda.html: is a link to a file outside the project — copy the file into the project "
         "instead of linking to it"],
        id="template-link-out-of-the-project"),
    pytest.param(
        [link("locales/lo/LC_MESSAGES/messages.po", "elsewhere.po")],
        ["locales/lo/LC_MESSAGES/messages.po: is a link to a file outside the project — copy the file into the "
         "project instead of linking to it"],
        id="po-link-out-of-the-project"),
    pytest.param(
        [link("locales/lo/LC_MESSAGES/messages.po", "/dev/zero")],
        ["locales/lo/LC_MESSAGES/messages.po: is a link to a file outside the project — copy the file into the "
         "project instead of linking to it"],
        id="po-link-to-a-device"),
    pytest.param(
        [fifo("locales/lo/LC_MESSAGES/messages.po")],
        ["locales/lo/LC_MESSAGES/messages.po: is not a regular file (a folder, a pipe or a device) — replace it "
         "with a regular file"],
        id="po-fifo"),
    pytest.param(
        [delete("content/people.yaml")],
        ["content/people.yaml: file not found — create it (see the sample project's content/people.yaml)"],
        id="missing-content-file"),
    pytest.param(
        [write_bytes("content/concept-note.md", b"# Big\n\n" + b"a" * (MAX_FILE_BYTES + 1 - 7))],
        [f"content/concept-note.md: file is {LIMIT_KIB + 1} KiB, more than the {LIMIT_KIB} KiB a content file "
         "may have — check that the right file is in content/ and split very long prose into several files"],
        id="file-too-large"),
]


# --- running a build as a person would -----------------------------------------------



@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample event with an earlier build's output/ (here: marker files)."""
    root = tmp_path / "event"
    root.mkdir()
    copy_project(root)
    (root / "output" / "en").mkdir(parents=True)
    (root / "output" / "marker.txt").write_text("the previous build's output\n", encoding="utf-8")
    (root / "output" / "en" / "agenda.html").write_text("<p>old agenda</p>\n", encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project)],
                          cwd=project.parent, capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.mark.parametrize(("edits", "expected"), CASES)
def test_bad_input_is_reported_and_output_untouched(project: Path, edits: list[Edit], expected: list[str]) -> None:
    edited = dict(filter(None, (edit(project) for edit in edits)))
    expected = [expand(line, project, edited) for line in expected]
    before = snapshot(project / "output")

    result = run_build(project)

    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1, result.stdout + result.stderr
    # The report ends with a count when there is more than one error.
    count = [f"{len(expected)} errors."] if len(expected) > 1 else []
    assert result.stderr.splitlines() == expected + count
    assert snapshot(project / "output") == before
    assert not list(project.glob(".output-*")), "a staging folder was left behind"


def test_debug_shows_the_traceback(project: Path) -> None:
    _, line = replace("content/agenda.yaml", "{person: zhu, language: en}", "{person: zhu_j, language: en}")(project)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "--debug"],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().endswith(f"content/agenda.yaml:{line}: unknown person 'zhu_j' — did you mean 'zhu'?")


def test_the_sample_itself_builds(project: Path) -> None:
    """The baseline every case edits: unchanged, it builds and replaces output/."""
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "output" / "en" / "agenda.html").read_text(encoding="utf-8") != "<p>old agenda</p>\n"
    assert not (project / "output" / "marker.txt").exists()


def test_a_link_to_the_root_in_content_is_not_walked_and_a_linked_word_list_is_named(project: Path) -> None:
    (project / "content" / "root").symlink_to("/")
    link("content/wordlist.txt", "/etc/hostname")(project)
    built = run_build(project)
    assert built.returncode == 0, built.stderr
    checked = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "check"],
                             capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert ("content/wordlist.txt: is a link to a file outside the project — copy the file into the project "
            "instead of linking to it") in checked.stderr
    assert "internal error" not in checked.stderr + checked.stdout


def test_a_word_list_that_is_not_utf8_is_named_at_its_line(project: Path) -> None:
    (project / "content" / "wordlist.txt").write_bytes("# names\nManixay\nSára\n".encode("latin-1"))
    checked = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), "check"],
                             capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert ("content/wordlist.txt:3: the file is not UTF-8 text — save it as UTF-8 "
            "(in most editors: Save As → Encoding: UTF-8)") in checked.stderr.splitlines()
    assert checked.returncode == 1
    assert "internal error" not in checked.stderr + checked.stdout


@pytest.mark.parametrize(("edits", "expected"), CASES)
def test_no_command_says_internal_error_for_any_fixture(project: Path, edits: list[Edit], expected: list[str],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Every failure these fixtures cause is the user's to fix, so none may read as a bug of ours."""
    from songphasa.cli import main
    for edit in edits:
        edit(project)
    for command in (["check"], ["update"], ["build"]):
        status = main(["--project", str(project), *command])
        out = capsys.readouterr()
        assert "internal error" not in out.out + out.err, (command, out.err)
        assert "Traceback" not in out.out + out.err
        assert status in (0, 1), (command, out.err)


def test_a_gap_in_the_agenda_is_said_by_build_and_check_and_stops_nothing(tmp_path: Path) -> None:
    """An item that ends before the next starts leaves empty time in the agenda: valid, but likely a slip."""
    project = copy_project(tmp_path / "event")
    agenda = project / "content" / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    old = '      - id: opening-remarks\n        start: "09:00"\n'
    assert old in text
    agenda.write_text(text.replace(old, old + '        end: "09:20"\n'), encoding="utf-8")
    line = agenda.read_text(encoding="utf-8").splitlines().index('        start: "09:30"') + 1
    said = (f"content/agenda.yaml:{line}: warning: nothing is planned for 10 minutes between 'opening-remarks', "
            "which ends at 09:20, and 'lao-experience', which starts at 09:30; the agenda shows the time as empty "
            "— add an item for it (a break, say), or change the end or the start")
    for command in ([], ["check"]):
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), *command],
                                capture_output=True, text=True)
        assert said in result.stderr.splitlines(), result.stderr
        assert "Traceback" not in result.stderr
    assert (project / "output" / "en" / "agenda.html").is_file()


def test_a_full_standard_output_loses_the_messages_not_the_work_and_says_so(project: Path) -> None:
    """The build replaced output/, then said its files were replaced only when all could be written."""
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project)], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "songphasa: standard output could not be written (No space left on device): what the command had to say "
        "is lost, not its work — every file it wrote is whole")
    assert (project / "output" / "en" / "agenda.html").is_file()


def test_a_reader_that_stops_early_ends_the_command_quietly(project: Path) -> None:
    """`songphasa check --list | head -1`: a broken pipe is no error of the user's."""
    with subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project", str(project), "check", "--list"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        process.stdout.close()  # what `head -1` does after its line, here before the first one: no race
        stderr = process.stderr.read()
        assert process.wait(timeout=300) == 0
    assert "Traceback" not in stderr and "Broken pipe" not in stderr and "standard output" not in stderr
