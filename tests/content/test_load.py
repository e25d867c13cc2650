"""load_event: every file of the table read, validated and checked across files; every problem in one run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from songphasa.content import load as load_module
from songphasa.content.load import load_event
from songphasa.errors import ContentError

from ..conftest import REPO, build
from .bad_inputs import BadInput, bad_inputs


def problems(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_event(project)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("bad", bad_inputs(), ids=lambda bad: bad.name)
def test_each_bad_input_is_said_at_its_line_with_every_other_problem_of_the_run(tmp_path: Path, bad: BadInput) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    bad.put(tmp_path)
    assert problems(tmp_path) == bad.expected


def test_without_recommendations_and_contacts_the_documents_leave_them_out(project: Path) -> None:
    (project / "content" / "recommendations.yaml").unlink()
    (project / "content" / "contacts.yaml").unlink()
    text = (project / "content" / "agenda.yaml").read_text(encoding="utf-8")
    (project / "content" / "agenda.yaml").write_text(text.replace('        topics: ["1", "2", "3", "4"]\n', ""),
                                                     encoding="utf-8")
    build(project)
    out = project / "output"
    assert not (out / "en" / "recommendations.html").exists()
    concept = lxml_html.parse(str(out / "en" / "concept-note.html")).find(".//article")
    assert concept.find(".//section[@id='contacts']") is None
    outcome = lxml_html.parse(str(out / "en" / "outcome.html")).find(".//article")
    assert outcome.find(".//section[@id='decisions']") is None


def test_an_event_without_recipients_has_none_and_says_so_when_asked_for_them(project: Path) -> None:
    (project / "content" / "recipients.yaml").unlink()
    (project / "content" / "participants.yaml").unlink()  # its delegates belong to the recipients' ministries
    content = load_event(project)
    assert content.recipients is None
    with pytest.raises(ContentError) as caught:
        content.recipient_list()
    assert [str(p) for p in caught.value.problems] == [
        "content/recipients.yaml: file not found — create it (see the sample project's content/recipients.yaml)"]


def test_every_command_refuses_a_broken_letter_in_the_same_words(project: Path) -> None:
    """Validation is the same for every command: once build said nothing of the letter, check and extract did."""
    bad = next(b for b in bad_inputs() if b.name == "recipients-unknown-signatory")
    bad.put(project)
    for command in ([], ["check"], ["extract"]):
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), *command],
                                capture_output=True, text=True, encoding="utf-8", timeout=120)
        assert result.returncode == 1, (command, result.stderr)
        assert result.stderr.splitlines() == bad.expected, command


def test_an_override_is_read_as_the_file_would_be_and_the_file_is_left_alone(project: Path) -> None:
    path = project / "content" / "recommendations.yaml"
    before = path.read_bytes()
    text = before.decode("utf-8")
    broken = text.replace('id: "1.2"', 'id: "1.1"', 1)
    line = text[:text.index('id: "1.2"')].count("\n") + 1
    first = text[:text.index('id: "1.1"')].count("\n") + 1
    assert problems_of(project, {"content/recommendations.yaml": broken}) == [
        f"content/recommendations.yaml:{line}: duplicate recommendation id '1.1' (already used on line {first}) "
        "— each recommendation needs its own id"]
    control = text.replace("status: proposed", "status: pro\x0bposed", 1)
    line = text[:text.index("status: proposed")].count("\n") + 1
    assert problems_of(project, {"content/recommendations.yaml": control}) == [
        f"content/recommendations.yaml:{line}: invisible control character U+000B that Word documents cannot hold "
        "— delete it (it often comes from copying out of a PDF)"]
    assert path.read_bytes() == before
    (project / "content" / "recommendations.yaml").unlink()  # an optional file given only as an override is read
    assert load_event(project, overrides={"content/recommendations.yaml": text}).has_recommendations


def problems_of(project: Path, overrides: dict[str, str]) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_event(project, overrides=overrides)
    return [str(p) for p in caught.value.problems]


def test_a_memo_kept_between_loads_parses_only_the_files_that_changed(project: Path, monkeypatch) -> None:
    parsed: list[str] = []
    real_yaml, real_markdown = load_module.parse_yaml, load_module.parse_markdown
    monkeypatch.setattr(load_module, "parse_yaml", lambda name, *a: parsed.append(name) or real_yaml(name, *a))
    monkeypatch.setattr(load_module, "parse_markdown", lambda name, *a: parsed.append(name) or real_markdown(name, *a))
    memo: load_module.Parses = {}
    first = load_event(project, memo=memo)
    assert len(parsed) == 9 and len(memo) == 9  # every file of the sample, once
    parsed.clear()
    assert load_event(project, memo=memo) == first
    assert parsed == []
    agenda = project / "content" / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace("Opening remarks", "Opening words"), encoding="utf-8")
    again = load_event(project, memo=memo)
    assert parsed == ["content/agenda.yaml"]
    assert len(memo) == 9  # the agenda's earlier text is forgotten
    assert again.people == first.people and again.agenda != first.agenda


@pytest.mark.parametrize("file, addition, said", [
    # A YAML list of one-letter items: ruamel took 9.5 s for 256 KiB of them.
    ("content/glossary.yaml", "# " + "," * 15_000 + "\n", "lines and commas, more than the 15,000"),
    # Paragraphs thick with Markdown: a concept note of them took a build over a minute.
    ("content/concept-note.md", "\n" + "*[" * 10_001 + "\n", "Markdown marks ([ ] * < & ` \\), more than the 20,000"),
    ("content/recipients.yaml", "# " + "x" * (2**20) + "\n", "KiB, more than the 1,024"),
])
def test_content_larger_than_an_event_may_be_is_refused_naming_the_file_that_crossed_the_bound(
        project: Path, file: str, addition: str, said: str) -> None:
    with (project / file).open("a", encoding="utf-8") as out:
        out.write(addition)
    with pytest.raises(ContentError) as raised:
        load_event(project)
    [problem] = raised.value.problems
    assert problem.file == file and said in problem.message and problem.message.startswith(
        "with this file the content holds ")
    assert problem.hint == "check that these are the right files; an event that large belongs in several projects"
