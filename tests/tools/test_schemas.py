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
    for key in schema.FILES:
        committed = (REPO / "schemas" / f"{key}.schema.json").read_text(encoding="utf-8")
        assert committed == schema.schema_text(key), f"schemas/{key}.schema.json is stale: run python tools/schemas.py"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == schema.readme_with_reference(readme), "the README's field reference is stale"
    assert "| `end_date` | date YYYY-MM-DD |" in readme and "| `parallel` | list of [Group](#group) |" in readme


@pytest.mark.parametrize("folder", ["content", "examples/technical-workshop/content"])
def test_every_content_file_names_its_schema_for_the_editor(folder: str) -> None:
    schema = schemas_tool()
    for key in schema.FILES:
        path = REPO / folder / f"{key}.yaml"
        if not path.exists():
            continue
        first = path.read_text(encoding="utf-8").split("\n")[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{folder}/{key}.yaml does not start with its schema line"
        assert (path.parent / match.group(1)).resolve() == (REPO / "schemas" / f"{key}.schema.json").resolve()


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
    for path in sorted((REPO / "schemas").glob("*.schema.json")):
        assert (tmp_path / "schemas" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == (REPO / "README.md").read_text(encoding="utf-8")
