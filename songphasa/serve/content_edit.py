"""A content file edited one field at a time, as an organizer's form saves it: that field's lines only.

The file is read with ruamel's round-trip loader and written back with the
indentation that gives back its own bytes (tried among the usual layouts; a
file none of them gives back is not edited by form, and says so), so the
comments, the order and every other line stay as they are. The event as it
will be is validated before anything is written, with the file's new text
in place of the file (as `decide` does): a value the build would refuse is
refused with the build's own sentence, and nothing is written. A save made
on another version of the file (someone saved meanwhile) is a conflict.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from ..content.files import CONTENT_FILES, ContentFile
from ..content.load import load_event
from ..errors import ContentError, SongphasaError
from ..files import atomic_write
from ..project import Project
from .state import Refused

#: Layouts tried, (mapping, sequence, offset): the one that gives back the file's own bytes is used.
LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (2, 2, 2), (4, 6, 4), (4, 4, 0))
#: The most a value sent by a form may have.
MAX_VALUE_CHARS = 10_000


def editable(key: str) -> ContentFile:
    """The content file of a form (``event``, ``people``…): a YAML file of the table."""
    found = next((f for f in CONTENT_FILES if f.key == key and not f.is_prose), None)
    if found is None:
        names = ", ".join(f.key for f in CONTENT_FILES if not f.is_prose)
        raise Refused(f"There is no content file '{key[:40]}' to edit by form: the files are {names}.", 404)
    return found


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _yaml(layout: tuple[int, int, int]) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    return yaml


def round_trip(text: str, name: str) -> tuple[YAML, Any]:
    """The loader whose dump gives back this text, and the text's data; refuse a file none gives back."""
    for layout in LAYOUTS:
        yaml = _yaml(layout)
        data = yaml.load(text)
        out = io.StringIO()
        yaml.dump(data, out)
        if out.getvalue() == text:
            return yaml, data
    raise Refused(f"{name} is laid out in a way a form cannot keep (its indentation is mixed): edit it in a text "
                  "editor, or re-indent it with 2 spaces.", 409)


def read(project: Project, key: str) -> tuple[str, str]:
    """A content file's text and its version."""
    file = editable(key)
    path = project.root / file.path
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return text, version_of(text)


def plain(value: Any) -> Any:
    """A round-trip value as JSON (mappings, lists, strings, numbers, booleans, null; dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return str(value) if isinstance(value, str) else value
    return str(value)


def set_field(project: Project, key: str, body: Any) -> tuple[str, list[str]]:
    """Set one field of a content file as a form sent it (``{"path": […], "value": …, "version": …}``).

    The caller holds the project's lock. Returns the new version and what was changed. Raise
    :class:`Refused`: 409 for a stale version (someone saved meanwhile), 400 for a path or a value the
    file cannot take, with the build's own sentence for a value the event cannot have.
    """
    file = editable(key)
    if not isinstance(body, dict) or not isinstance(body.get("path"), list) or not isinstance(body.get("version"), str):
        raise Refused('Send a JSON object: {"path": ["venue", "city"], "value": "…", "version": "…"}.')
    path, value = body["path"], body.get("value")
    if not path or not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in path):
        raise Refused("path names the field: its keys (and list positions) from the top of the file.")
    scalars = [value] if not isinstance(value, dict) else list(value.values())
    if not all(v is None or isinstance(v, (str, int, float, bool)) for v in scalars) or \
            (isinstance(value, dict) and not all(isinstance(k, str) for k in value)):
        raise Refused("A form sets one value (a text, a number, true or false, or null to leave it out), or a new "
                      "item as an object of such values.")
    if any(isinstance(v, str) and len(v) > MAX_VALUE_CHARS for v in scalars):
        raise Refused(f"A value has more than {MAX_VALUE_CHARS:,} characters, the most a field may have.")
    text, version = read(project, key)
    if body["version"] != version:
        raise Refused(f"{file.path} was changed meanwhile (by someone else, or in an editor): nothing was written. "
                      "Reload the form to see their change, then make yours again.", 409)
    yaml, data = round_trip(text, file.path)
    parent = _parent(data, path, file.path)
    last = path[-1]
    old = parent[last] if _has(parent, last) else None
    if value is None:
        if isinstance(parent, dict) and last in parent:
            del parent[last]
    elif isinstance(parent, dict) or (isinstance(parent, list) and isinstance(last, int) and 0 <= last <= len(parent)):
        new = CommentedMap((k, _styled(None, v)) for k, v in value.items()) if isinstance(value, dict) else \
            _styled(old, value)
        if isinstance(parent, list) and last == len(parent):
            parent.append(new)
        else:
            parent[last] = new
    else:
        raise Refused(f"{'.'.join(map(str, path))} is not a field of {file.path}.")
    out = io.StringIO()
    yaml.dump(data, out)
    new_text = out.getvalue()
    before = _problems(project, {})
    after = _problems(project, {file.path: new_text})
    added = [p for p in after if p not in before]
    if added:
        raise Refused("Not saved: " + " ".join(added))
    atomic_write(project.root / file.path, new_text)
    return version_of(new_text), [f"{file.path}: {'.'.join(map(str, path))}"]


def _has(parent: Any, key: str | int) -> bool:
    return (isinstance(parent, dict) and key in parent) or \
        (isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent))


def _parent(data: Any, path: list[str | int], name: str) -> Any:
    node = data
    for index, part in enumerate(path[:-1]):
        if not _has(node, part):
            if isinstance(node, dict) and isinstance(part, str):  # a group of fields not written yet
                node[part] = CommentedSeq() if isinstance(path[index + 1], int) else CommentedMap()
            elif isinstance(node, list) and part == len(node):  # a new item at the end of a list
                node.append(CommentedMap())
            else:
                raise Refused(f"{'.'.join(map(str, path[:index + 1]))} is not a field of {name}.")
        node = node[part]
        if not isinstance(node, (dict, list)):
            raise Refused(f"{'.'.join(map(str, path[:index + 1]))} holds a value, not fields, in {name}.")
    return node


def _styled(old: Any, value: Any) -> Any:
    """A new value written as the old one was (a folded or literal block stays one)."""
    if isinstance(value, str) and isinstance(old, datetime.date):
        try:  # a date stays a YAML date, not a quoted text
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
        if isinstance(old, LiteralScalarString) or "\n" in value:
            return LiteralScalarString(value)
        if isinstance(old, FoldedScalarString):
            return FoldedScalarString(value)
    return value


def _problems(project: Project, overrides: dict[str, str]) -> list[str]:
    try:
        load_event(project.root, overrides=overrides)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    except SongphasaError as exc:
        return [str(p) for p in exc.problems]
    return []


@dataclass(frozen=True)
class Field:
    """One field of a form, made from the content file's JSON Schema (a new field needs no code here)."""

    path: tuple[str | int, ...]
    label: str
    kind: str  # "text", "long", "date", "number", "check", "group", "list"
    value: Any
    required: bool = False

    @property
    def id(self) -> str:
        return "field-" + "-".join(str(p) for p in self.path)

    @property
    def path_json(self) -> str:
        return json.dumps(list(self.path))

    @property
    def depth(self) -> int:
        return len(self.path)


def form_fields(key: str, data: Any) -> list[Field]:
    """The fields of a content file's form, in the schema's order: its values, groups of fields, lists."""
    file = editable(key)
    assert file.adapter is not None
    schema = file.adapter.json_schema()
    return _fields(schema, schema, data if data is not None else {}, ())


def _resolve(root: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return root.get("$defs", {}).get(ref.split("/")[-1], {})
    choices = [c for c in node.get("anyOf", []) if c.get("type") != "null"]
    return _resolve(root, choices[0]) if len(choices) == 1 else node


def _fields(root: dict, schema: dict, data: Any, path: tuple[str | int, ...]) -> list[Field]:
    found = []
    required = set(schema.get("required", []))
    for name, node in schema.get("properties", {}).items():
        spec = _resolve(root, node)
        value = data.get(name) if isinstance(data, dict) else None
        label = node.get("title") or spec.get("title") or name
        kind = spec.get("type")
        here = (*path, name)
        if kind == "object" and "properties" in spec:
            found.append(Field(here, label, "group", None, name in required))
            found += _fields(root, spec, value or {}, here)
        elif kind == "array" or kind == "object":
            found.append(Field(here, label, "list", plain(value), name in required))
        elif kind == "boolean":
            found.append(Field(here, label, "check", bool(value), name in required))
        elif kind in ("integer", "number"):
            found.append(Field(here, label, "number", value, name in required))
        else:
            shown = "" if value is None else str(value)
            form = "date" if spec.get("format") == "date" else "long" if len(shown) > 80 or "\n" in shown else "text"
            found.append(Field(here, label, form, shown, name in required))
    return found
