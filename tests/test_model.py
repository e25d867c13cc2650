"""The content model of a real workshop and the document registry, as an organizer meets them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from songphasa.errors import ContentError
from songphasa.model import load_event
from .conftest import build

from .conftest import REPO, copy_project


def edit(project: Path, file: str, old: str, new: str) -> int:
    """Replace text in a project file once; return the line where the new text starts."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_event(project)
    return [str(p) for p in caught.value.problems]


# --- documents as data ----------------------------------------------------------------------

PRESS_RELEASE = """{% extends "base.html" %}
{% block title %}{{ _("Press release") }} — {{ plain(event.short_title) }}{% endblock %}
{% block body %}
<article class="document press-release" lang="{{ lang }}">
<h1 class="title">{{ t(event.title) }}</h1>
<p>{{ h.dates() }}</p>
</article>
{% endblock %}
"""


def test_a_new_document_kind_is_one_template_and_one_registry_entry(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "press-release.html").write_text(PRESS_RELEASE, encoding="utf-8")
    edit(project, "content/event.yaml", "\nsettings:\n",
         "\ndocuments: [concept-note, agenda, recommendations, outcome, interpreters, {name: press-release}]\n\nsettings:\n")
    build(project)
    out = project / "output"
    for lang, date in (("en", "Tuesday, 23 November 2021"), ("lo", "ວັນອັງຄານ ທີ 23 ພະຈິກ 2021")):
        page = lxml_html.parse(str(out / lang / "press-release.html")).find(".//article")
        assert date in page.text_content()
        assert (out / lang / "press-release.docx").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="lo/press-release.docx"' in index and 'href="en/agenda.html"' in index


def test_an_event_chooses_its_documents(project: Path) -> None:
    edit(project, "content/event.yaml", "\nsettings:\n", "\ndocuments: [agenda]\n\nsettings:\n")
    build(project)
    made = sorted(p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*.html"))
    assert made == ["en/agenda.html", "index.html", "lo/agenda.html"]


def test_a_landscape_document_gets_a_landscape_page(project: Path) -> None:
    import zipfile
    edit(project, "content/event.yaml", "\nsettings:\n",
         "\ndocuments: [{name: agenda, landscape: true, paper: Letter}]\n\nsettings:\n")
    build(project)
    with zipfile.ZipFile(project / "output" / "en" / "agenda.docx") as archive:
        body = archive.read("word/document.xml").decode()
    assert re.search(r'<w:pgSz w:w="15840" w:h="12240" w:orient="landscape"/>', body)
    page = (project / "output" / "lo" / "agenda.html").read_text(encoding="utf-8")
    assert "@page { size: Letter landscape; }" in page  # printed from the browser, the same page


def test_an_unknown_document_says_what_exists(project: Path) -> None:
    line = edit(project, "content/event.yaml", "\nsettings:\n", "\ndocuments: [agneda, minutes]\n\nsettings:\n") + 1
    assert problems(project) == [
        f"content/event.yaml:{line}: unknown document 'agneda' (no template agneda.html) — did you mean 'agenda'?",
        f"content/event.yaml:{line}: unknown document 'minutes' (no template minutes.html) — add the template "
        "templates/minutes.html to the project, or use one of: concept-note, agenda, recommendations, outcome, interpreters, "
        "letter",
    ]


# --- optional parts -------------------------------------------------------------------------

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


# --- the model's checks, each with its line ----------------------------------------------------

def test_a_speaker_to_be_confirmed_needs_an_organization_or_a_position(project: Path) -> None:
    line = edit(project, "content/agenda.yaml", "{person: alberti, language: en}", "{language: en}")
    assert problems(project) == [
        f"content/agenda.yaml:{line}: a part with no 'person' — name the person by id, "
        "or for one to be confirmed give 'organization:' or 'position:'"]


def test_an_explicit_end_overlapping_the_next_item_is_an_error(project: Path) -> None:
    edit(project, "content/agenda.yaml", '        start: "09:30"\n', '        start: "09:30"\n        end: "10:00"\n')
    line = (project / "content" / "agenda.yaml").read_text(encoding="utf-8").split("\n").index('        start: "09:50"') + 1
    assert problems(project) == [
        f"content/agenda.yaml:{line}: item 'international-experience' starts at 09:50, before 'lao-experience' "
        "ends (10:00), so they overlap — move its start, or make them groups of one item with 'parallel:'"]


def test_a_break_has_no_speakers(project: Path) -> None:
    line = edit(project, "content/agenda.yaml", "        title: Opening remarks\n",
                "        kind: coffee\n        title: Opening remarks\n")
    assert problems(project) == [f"content/agenda.yaml:{line}: the break 'opening-remarks' has speakers or topics — "
                                 "a break has no speakers: give the item another kind, or remove them"]


def test_several_days_need_the_agenda_grouped_by_day(project: Path) -> None:
    edit(project, "content/event.yaml", "date: 2021-11-23\n", "date: 2021-11-23\nend_date: 2021-11-24\n")
    line = (project / "content" / "agenda.yaml").read_text(encoding="utf-8").split("\n").index("sessions:") + 1
    assert problems(project) == [f"content/agenda.yaml:{line}: the event has several days but the agenda has one — "
                                 "group the sessions by day: 'days:', each with its 'date:' and 'sessions:'"]


def test_a_free_text_venue_and_an_organization_are_not_both_given(project: Path) -> None:
    line = edit(project, "content/event.yaml", "  place: moha\n", "  place: moha\n  name: Lao Plaza Hotel\n") + 1
    assert problems(project) == [f"content/event.yaml:{line}: the venue has both 'place' and 'name' — give 'place' "
                                 "(an organization's id) or 'name' (free text such as a hotel), not both"]


def test_an_online_only_venue_never_says_none(project: Path) -> None:
    edit(project, "content/event.yaml", "  place: moha\n  city: Vientiane\n", "")
    build(project)
    cover = lxml_html.parse(str(project / "output" / "en" / "agenda.html")).find(".//header")
    text = " ".join(cover.text_content().split())
    assert "Online, via Zoom" in text and "None" not in text


# --- one run, every problem; suggestions only when close ----------------------------------------

def test_shape_and_cross_file_errors_come_in_the_same_run(project: Path) -> None:
    shape = edit(project, "content/people.yaml", "  position: Director\n", "  position: [Director, Chief]\n")
    cross = edit(project, "content/event.yaml", "  place: moha\n", "  place: mohaa\n")
    assert problems(project) == [
        f"content/people.yaml:{shape}: 'position' should be text, not a list — write it as one text; "
        "put it in quotes if it starts with '[' or '-'",
        f"content/event.yaml:{cross}: unknown organization 'mohaa' — did you mean 'moha'?"]


def test_an_unknown_field_in_event_yaml_does_not_hide_the_other_files_problems(project: Path) -> None:
    """The organizer's first try: a typo in event.yaml, and mistakes elsewhere that only other files reveal."""
    typo = edit(project, "content/event.yaml", "\ntitle: >-", "\ntitel: >-") + 1
    stray = edit(project, "content/event.yaml", "date: 2021-11-23\n", "date: 2021-11-23\nlength: 3\n") + 1
    speaker = edit(project, "content/agenda.yaml", "{person: zhu, language: en}", "{person: zhu_j, language: en}")
    place = edit(project, "content/people.yaml", "  position: Director\n  organization: dpidg\n",
                 "  position: Director\n  organization: dpidgg\n") + 1
    assert problems(project) == [
        f"content/event.yaml:{typo}: unknown field 'titel' — did you mean 'title'?",
        f"content/event.yaml:{stray}: unknown field 'length' — remove it; the valid fields here are: "
        + ", ".join(load_event.__globals__["Event"].model_fields),
        f"content/people.yaml:{place}: unknown organization 'dpidgg' — did you mean 'dpidg'?",
        f"content/agenda.yaml:{speaker}: unknown person 'zhu_j' — did you mean 'zhu'?"]


def test_a_wrong_value_in_event_yaml_leaves_out_only_the_checks_that_need_it(project: Path) -> None:
    """A time zone misspelt: the times cannot be checked, the references still are."""
    zone = edit(project, "content/event.yaml", "timezone: Asia/Vientiane", "timezone: Asia/Vientaine")
    venue = edit(project, "content/event.yaml", "  place: moha\n", "  place: mohaa\n")
    speaker = edit(project, "content/agenda.yaml", "{person: zhu, language: en}", "{person: zhu_j, language: en}")
    broken = edit(project, "content/people.yaml", "  position: Director\n", "  position: [Director, Chief]\n")
    assert problems(project) == [
        f"content/event.yaml:{zone}: unknown time zone 'Asia/Vientaine' — did you mean 'Asia/Vientiane'?",
        f"content/people.yaml:{broken}: 'position' should be text, not a list — write it as one text; "
        "put it in quotes if it starts with '[' or '-'",
        f"content/event.yaml:{venue}: unknown organization 'mohaa' — did you mean 'moha'?",
        f"content/agenda.yaml:{speaker}: unknown person 'zhu_j' — did you mean 'zhu'?"]


def test_a_misspelt_field_of_a_person_does_not_make_the_references_to_them_unknown(project: Path) -> None:
    typo = edit(project, "content/people.yaml", "- id: zhu\n", "- idd: zhu\n")
    speaker = edit(project, "content/agenda.yaml", "{person: sekkenes, language: en, minutes: 5}",
                   "{person: sekenes, language: en, minutes: 5}")
    assert problems(project) == [f"content/people.yaml:{typo}: unknown field 'idd' — did you mean 'id'?",
                                 f"content/agenda.yaml:{speaker}: unknown person 'sekenes' — did you mean 'sekkenes'?"]


def test_settings_that_are_wrong_leave_the_languages_unknown_not_the_defaults(project: Path) -> None:
    """Read without its wrong settings, the event would seem to be in Lao only: a Thai speaker is not wrong for it."""
    wrong = edit(project, "content/event.yaml", "  languages: [lo]\n", "  languages: th\n")
    edit(project, "content/agenda.yaml", "{person: zhu, language: en}", "{person: zhu, language: th}")
    assert problems(project) == [
        f"content/event.yaml:{wrong}: 'languages' should be a list (lines starting with '- '), not text — write "
        "each entry on its own line starting with '- ', or as [first, second]"]


def test_did_you_mean_only_for_close_names(project: Path) -> None:
    close = edit(project, "content/agenda.yaml", "        title: Opening remarks\n",
                 "        title: Opening remarks\n        knd: remarks\n") + 1
    found = problems(project)
    assert found == [f"content/agenda.yaml:{close}: unknown field 'knd' — did you mean 'kind'?"]
    project2 = copy_project(project.parent / "second")
    far = edit(project2, "content/event.yaml", "start: \"09:00\"\n", "start: \"09:00\"\nend_dat: 2021-11-24\nlength: 3\n") + 1
    found = problems(project2)
    assert found[0] == f"content/event.yaml:{far}: unknown field 'end_dat' — did you mean 'end_date'?"
    assert found[1].startswith(f"content/event.yaml:{far + 1}: unknown field 'length' — remove it; the valid fields here are: ")
    assert "did you mean" not in found[1]


# --- nothing of one event in the code ------------------------------------------------------------

def _facts_of_the_example_events() -> set[str]:
    """Every name and phrase the two example events write in their YAML: titles, people, positions,
    organizations, glossary terms, places. The settings (fonts, languages) are choices, not facts."""
    from ruamel.yaml import YAML

    def strings(node: object) -> list[str]:
        if isinstance(node, dict):
            return [s for key, value in node.items() if key != "settings" for s in strings(value)]
        if isinstance(node, list):
            return [s for value in node for s in strings(value)]
        return [" ".join(node.split())] if isinstance(node, str) else []

    facts = set()
    for folder in ("content", "examples/technical-workshop/content"):
        for path in sorted((REPO / folder).glob("*.yaml")):
            for text in strings(YAML(typ="safe").load(path.read_text(encoding="utf-8"))):
                if 10 <= len(text) <= 80 and " " in text and not re.search(r"[\u0E80-\u0EFF]", text):
                    facts.add(text)
    assert len(facts) > 60, "the example events' facts were not read"
    return facts


def test_no_fact_of_either_example_event_is_in_code_or_templates() -> None:
    anywhere = ["Manixay", "1819G", "One-Door", "One Door", "ODSC", "technical_workshop", "Decision-making Session",
                "Riverside", "Khamla", "Local Administration", "Prime Minister", *_facts_of_the_example_events()]
    # Templates also name no year, city or ministry (code may use them in an example of a format).
    in_templates = [*anywhere, "2021", "2022", "Vientiane", "Home Affairs", "Ministry", "ministries"]
    found = []
    for path in sorted((REPO / "songphasa").rglob("*")):
        if path.suffix in (".py", ".html", ".css"):
            text = " ".join(path.read_text(encoding="utf-8").split())
            facts = in_templates if path.suffix != ".py" else anywhere
            found += [f"{path.relative_to(REPO)}: {fact}" for fact in facts if fact in text]
    assert found == []


# --- fields a person can find -----------------------------------------------------------------

def test_committed_schemas_and_field_reference_are_current() -> None:
    from songphasa import schema
    for key in schema.FILES:
        committed = (REPO / "schemas" / f"{key}.schema.json").read_text(encoding="utf-8")
        assert committed == schema.schema_text(key), f"schemas/{key}.schema.json is stale: run python -m songphasa.schema"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == schema.readme_with_reference(readme), "the README's field reference is stale"
    assert "| `end_date` | date YYYY-MM-DD |" in readme and "| `parallel` | list of [Group](#group) |" in readme


@pytest.mark.parametrize("folder", ["content", "examples/technical-workshop/content"])
def test_every_content_file_names_its_schema_for_the_editor(folder: str) -> None:
    from songphasa import schema
    for key in schema.FILES:
        path = REPO / folder / f"{key}.yaml"
        if not path.exists():
            continue
        first = path.read_text(encoding="utf-8").split("\n")[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{folder}/{key}.yaml does not start with its schema line"
        assert (path.parent / match.group(1)).resolve() == (REPO / "schemas" / f"{key}.schema.json").resolve()


def test_the_schema_knows_the_fields_an_editor_completes() -> None:
    from songphasa import schema
    agenda = schema.schema_of("agenda")
    item = agenda["$defs"]["Item"]
    assert item["additionalProperties"] is False  # an unknown field is flagged as it is typed
    assert set(item["properties"]) >= {"start", "end", "kind", "room", "speakers", "parallel"}
    assert "lunch" in str(item["properties"]["kind"])
    event = schema.schema_of("event")
    assert event["properties"]["date"]["format"] == "date"
    assert "required" in event and "title" in event["required"]
    # An editor flags a speaker's 0 or negative minutes as they are typed, as the build does.
    minutes = agenda["$defs"]["Speaker"]["properties"]["minutes"]
    assert {"type": "integer", "minimum": 1} in minutes["anyOf"]


# --- prose: tables and footnotes, or an error naming the line ------------------------------------

@pytest.mark.parametrize(("added", "offset", "expected"), [
    ("A claim.[^9]\n", 0, "footnote [^9] is not defined — add a line '[^9]: the note's text' after the paragraph"),
    ("| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n", 2, "this table row has 3 cells, the header has 2 — give every row "
                                                    "as many cells as the header ('|' separates cells)"),
    ("| a | b |\n| 1 | 2 |\n", 1, "a table without its '---' line under the header — add a line such as "
                                  "'| --- | --- |' after the header row"),
    ("```\ncode\n```\n", 0, "'```' (code or quote) is not supported in prose — write it as paragraphs or a list"),
])
def test_unsupported_or_broken_prose_is_an_error_on_its_line(project: Path, added: str, offset: int,
                                                             expected: str) -> None:
    path = project / "content" / "concept-note.md"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + added, encoding="utf-8")
    line = text.count("\n") + 1 + offset
    assert f"content/concept-note.md:{line}: {expected}" in problems(project)
