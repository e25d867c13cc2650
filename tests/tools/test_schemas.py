"""tools/schemas.py: the JSON Schemas of the content files and the README's field reference stay current."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from ..conftest import REPO


@cache
def schemas_tool() -> ModuleType:
    """Import tools/schemas.py (a script, not a package module: another package installs a `tools`)."""
    spec = importlib.util.spec_from_file_location("songphasa_tools_schemas", REPO / "tools" / "schemas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_schemas_and_field_reference_are_current() -> None:
    schema = schemas_tool()
    for folder in (schema.SCHEMA_DIR, schema.STARTER_SCHEMA_DIR):
        for key in schema.FILES:
            committed = (REPO / folder / f"{key}.schema.json").read_text(encoding="utf-8")
            assert committed == schema.schema_text(key), f"{folder}/{key}.schema.json is stale: run python tools/schemas.py"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == schema.readme_with_reference(readme), "the README's field reference is stale"
    assert "| `end_date` | date YYYY-MM-DD |" in readme and "| `parallel` | list of [Group](#group) |" in readme


@pytest.mark.parametrize("folder", ["content", "examples/technical-workshop/content", "songphasa/starter/content"])
def test_every_content_file_names_its_schema_for_the_editor(folder: str) -> None:
    schema = schemas_tool()
    for key in schema.FILES:
        path = REPO / folder / f"{key}.yaml"
        if not path.exists():
            continue
        first = path.read_text(encoding="utf-8").split("\n")[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{folder}/{key}.yaml does not start with its schema line"
        schemas = "songphasa/starter/schemas" if folder.startswith("songphasa/") else "schemas"
        assert (path.parent / match.group(1)).resolve() == (REPO / schemas / f"{key}.schema.json").resolve()


def test_the_schema_knows_the_fields_an_editor_completes() -> None:
    schema = schemas_tool()
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


def test_the_tool_rewrites_both_from_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text((REPO / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "tools" / "schemas.py"), str(tmp_path)],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "songphasa").exists()  # the starter's copy is the checkout's own
    for path in sorted((REPO / "schemas").glob("*.schema.json")):
        assert (tmp_path / "schemas" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == (REPO / "README.md").read_text(encoding="utf-8")


def _check_jsonschema(schema: Path, *documents: Path) -> subprocess.CompletedProcess:
    """Run check-jsonschema (python-jsonschema's command line, what CI and pre-commit hooks run)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema),
                           *map(str, documents)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("folder", ["content", "examples/technical-workshop/content"])
def test_the_committed_content_files_pass_their_schemas_in_check_jsonschema(folder: str) -> None:
    """The glossaries failed their own schema: `dnt: true` matched the pattern of language columns (strings)."""
    checked = 0
    for key in schemas_tool().FILES:
        path = REPO / folder / f"{key}.yaml"
        if path.exists():
            result = _check_jsonschema(REPO / "schemas" / f"{key}.schema.json", path)
            assert result.returncode == 0, result.stdout + result.stderr
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("key, old, new, said", [
    ("agenda", 'start: "09:00"', 'start: "25:00"', "does not match"),
    ("event", "timezone: Asia/Vientiane", "timezone: Asia/Vientianne", "is not one of"),
    ("recipients", "    addressee: Minister and Head\n", "    addressee: Minister and Head\n    email: not an address\n",
     "is not a 'email'"),
])
def test_an_editor_is_told_of_an_impossible_time_an_unknown_zone_and_a_bad_address(
        tmp_path: Path, key: str, old: str, new: str, said: str) -> None:
    """The build caught these and the schemas did not: an editor showed nothing as they were typed."""
    text = (REPO / "content" / f"{key}.yaml").read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in content/{key}.yaml"
    path = tmp_path / f"{key}.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = _check_jsonschema(REPO / "schemas" / f"{key}.schema.json", path)
    assert result.returncode == 1 and said in result.stdout, result.stdout + result.stderr


def test_the_schema_writer_runs_on_a_folder_without_a_readme(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(REPO / "tools" / "schemas.py"), str(tmp_path)],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "schemas" / "recipients.schema.json").is_file() and not (tmp_path / "README.md").exists()


def test_a_new_project_has_its_schemas_and_its_files_pass_them(tmp_path: Path) -> None:
    """`songphasa new` wrote no $schema line and no schemas (the wheel had none)."""
    from songphasa.new import new_project

    root = tmp_path / "my-event"
    new_project(root)
    checked = 0
    for key in schemas_tool().FILES:
        path = root / "content" / f"{key}.yaml"
        if not path.exists():
            continue
        assert path.read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema=../schemas/{key}.schema.json\n")
        result = _check_jsonschema(root / "schemas" / f"{key}.schema.json", path)
        assert result.returncode == 0, result.stdout + result.stderr
        checked += 1
    assert checked >= 6
