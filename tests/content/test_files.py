"""The table of content files: one entry per file, read by load_event, the schema writer, `watch` and `new`."""

from __future__ import annotations

import dataclasses
from importlib import resources

from songphasa.content.event import EventContent
from songphasa.content.files import CONTENT_FILES, content_file, content_file_at

from ..conftest import REPO


def test_each_file_is_one_field_of_the_event_and_each_field_of_content_one_file() -> None:
    fields = [field.name for field in dataclasses.fields(EventContent)
              if field.name not in ("root", "organizations", "warnings")]
    assert [file.key for file in CONTENT_FILES] == fields  # in the same order


def test_only_the_prose_is_read_as_markdown_and_only_optional_files_may_be_left_out() -> None:
    assert [file.key for file in CONTENT_FILES if file.is_prose] == ["concept_note"]
    assert all(file.adapter is not None for file in CONTENT_FILES if not file.is_prose)
    assert [file.key for file in CONTENT_FILES if not file.required] == ["recommendations", "contacts", "glossary",
                                                                         "recipients", "participants"]


def test_every_schema_the_table_names_is_in_schemas() -> None:
    named = sorted(f"{file.schema}.schema.json" for file in CONTENT_FILES if file.schema)
    assert named == sorted(path.name for path in (REPO / "schemas").glob("*.schema.json"))


def test_new_starts_a_project_with_every_file_of_the_table() -> None:
    starter = resources.files("songphasa") / "starter"
    for file in CONTENT_FILES:
        assert (starter / file.path).is_file(), f"songphasa new would start a project without {file.path}"


def test_a_file_is_found_by_its_key_or_its_place() -> None:
    assert content_file("concept_note").path == "content/concept-note.md"
    assert content_file_at("content/agenda.yaml") is content_file("agenda")
    assert content_file_at("content/wordlist.txt") is None
