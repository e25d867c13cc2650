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
import re
from dataclasses import dataclass
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from ..content.files import CONTENT_FILES, ContentFile
from ..content.load import Parses, load_event
from ..errors import ContentError, SongphasaError
from ..files import atomic_write
from ..project import Project
from . import yaml_lists
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


def set_field(project: Project, key: str, body: Any, parses: Parses | None = None) -> tuple[str, list[str]]:
    """Change one field of a content file as a form sent it, and write the file.

    ``{"path": […], "value": …, "version": …}`` sets a field (null leaves it
    out, or takes a list's item out); ``{"path": […list], "insert": {…},
    "version": …}`` puts a new item into a list: where ``at`` says, else in
    time order when its items have a ``start``, else last. The caller holds
    the project's lock. Returns the new version and what was changed. Raise
    :class:`Refused`: 409 for a stale version (someone saved meanwhile), 400
    for a path or a value the file cannot take, with the build's own
    sentence for a value the event cannot have.
    """
    file = editable(key)
    if not isinstance(body, dict) or not isinstance(body.get("path"), list) or not isinstance(body.get("version"), str):
        raise Refused('Send a JSON object: {"path": ["venue", "city"], "value": "…", "version": "…"}.')
    path = body["path"]
    if not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in path) or \
            (not path and "insert" not in body):
        raise Refused("path names the field: its keys (and list positions) from the top of the file.")
    _check_value(body.get("insert", body.get("value")))
    text, version = read(project, key)
    if body["version"] != version and not _unchanged(text, file.path, path, body):
        raise Refused(f"{file.path} was changed meanwhile (by someone else, or in an editor): nothing was written."
                      f"{_both(text, file.path, path, body)} Reload the form to see their change, then make yours "
                      "again.", 409)
    yaml, data = round_trip(text, file.path)
    if "insert" in body:
        value = body["insert"]
        item = _item_schema(file, path)
        if isinstance(value, dict) and "id" in item.get("properties", {}) and "id" not in value and \
                "person" not in value and (value.get("title") or value.get("name")):
            named = value.get("title") or value.get("name")
            named = next(iter(named.values()), "") if isinstance(named, dict) else named
            value = {"id": free_id(data, slug(str(named)) or "item"), **value}  # ids are for files, not forms
        new_text = _inserted(yaml, text, data, path, value, body.get("at"), file.path)
        what = f"{'.'.join(map(str, path)) or 'the list'}: an item added"
    else:
        new_text = _set(yaml, text, data, path, body.get("value"), file.path)
        what = ".".join(map(str, path))
        for other in _also(body):  # fields refused alone, saved with this one (venue: name in, place out)
            if body["version"] != version and not _unchanged(text, file.path, other["path"], other):
                raise Refused(f"{file.path} was changed meanwhile (by someone else, or in an editor): nothing was "
                              f"written.{_both(text, file.path, other['path'], other)}", 409)
            yaml, data = round_trip(new_text, file.path)
            new_text = _set(yaml, new_text, data, other["path"], other.get("value"), file.path)
            what += ", " + ".".join(map(str, other["path"]))
    write_checked(project, {file.path: new_text}, parses)
    return version_of(new_text), [f"{file.path}: {what}"]


def _item_schema(file: ContentFile, path: list) -> dict:
    """The JSON Schema of the items of the list at ``path`` ({} where the schema says nothing)."""
    assert file.adapter is not None
    root = file.adapter.json_schema()
    node = _resolve(root, root)
    for part in path:
        node = _resolve(root, node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {}))
    return _resolve(root, node.get("items", {}))


def _also(body: dict) -> list[dict]:
    """The other fields a save carries (``also``: fields of the same group the form could not save alone)."""
    also = body.get("also", [])
    if not isinstance(also, list) or len(also) > 20 or not all(
            isinstance(o, dict) and isinstance(o.get("path"), list) and o["path"] and
            all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in o["path"]) for o in also):
        raise Refused('"also" lists other fields to save with this one: [{"path": […], "value": …}] (at most 20).')
    for other in also:
        _check_value(other.get("value"))
    return also


def _same(a: Any, b: Any) -> bool:
    def norm(value: Any) -> str | None:
        return None if value is None or value == "" else str(value)
    return norm(a) == norm(b)


def _unchanged(text: str, name: str, path: list, body: dict) -> bool:
    """Tell whether a field set on an older version still says what the form showed (``was``): then the
    change made meanwhile was elsewhere in the file, and both land."""
    if "insert" in body or "was" not in body or (body.get("value") is None and path and isinstance(path[-1], int)):
        return False
    try:
        node = _node(round_trip(text, name)[1], path, name)
    except Refused:  # a field not written yet
        node = None
    except (YAMLError, ValueError):
        return False
    return not isinstance(node, (dict, list)) and _same(node, body["was"])


def _both(text: str, name: str, path: list, body: dict) -> str:
    """Theirs and yours, for a field both changed (nothing for a new item, or a field no longer there)."""
    if "insert" in body:
        return ""
    try:
        node = _node(round_trip(text, name)[1], path, name)
    except (Refused, YAMLError, ValueError):
        return ""
    if isinstance(node, (dict, list)):
        return ""
    theirs, yours = ("(left out)" if v is None else str(v)[:200] for v in (node, body.get("value")))
    return f" The field {'.'.join(map(str, path))} now says: {theirs!r}; yours: {yours!r}."


def write_checked(project: Project, texts: dict[str, str], parses: Parses | None = None) -> None:
    """Write content files' new texts if the event they make has no problem the files now have not; else refuse."""
    before = _problems(project, {}, parses)
    after = _problems(project, texts, parses)
    added = [p for p in after if p not in before]
    if added:
        raise Refused("Not saved: " + " ".join(added))
    for path, text in texts.items():
        atomic_write(project.root / path, text)


def _check_value(value: Any, depth: int = 0) -> None:
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Refused("A new item's fields are named by text.")
        for inner in value.values():
            _check_value(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            _check_value(inner, depth + 1)
    elif not (value is None or isinstance(value, (str, int, float, bool))):
        raise Refused("A form sets one value (a text, a number, true or false, or null to leave it out), or a new "
                      "item as an object of such values.")
    elif isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        raise Refused(f"A value has more than {MAX_VALUE_CHARS:,} characters, the most a field may have.")
    if depth > yaml_lists.MAX_DEPTH:
        raise Refused(f"A value may nest at most {yaml_lists.MAX_DEPTH} deep.")


def _set(yaml: YAML, text: str, data: Any, path: list, value: Any, name: str) -> str:
    parent = _parent(data, path, name)
    last = path[-1]
    if value is None and isinstance(parent, list) and _has(parent, last):
        return yaml_lists.remove(text, parent, last)
    old = parent[last] if _has(parent, last) else None
    candidate = None
    if value is None:
        if isinstance(parent, dict) and last in parent:
            del parent[last]
    elif isinstance(parent, dict) or (isinstance(parent, list) and isinstance(last, int) and 0 <= last <= len(parent)):
        like = old if old or not isinstance(old, list) else None  # an empty [] is written as a block
        new = yaml_lists.new_node(value, like) if isinstance(value, (dict, list)) else _styled(old, value)
        if isinstance(parent, dict) and last not in parent:  # a new key: its own lines, after the map's last
            candidate = yaml_lists.add_key(yaml, text, parent, str(last), new)
        if isinstance(parent, list) and last == len(parent):
            parent.append(new)
        else:
            parent[last] = new
    else:
        raise Refused(f"{'.'.join(map(str, path))} is not a field of {name}.")
    if candidate is not None:
        try:
            if plain(round_trip(candidate, name)[1]) == plain(data):
                return candidate
        except (Refused, YAMLError, ValueError):
            pass
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _inserted(yaml: YAML, text: str, data: Any, path: list, value: Any, at: Any, name: str) -> str:
    items = _node(data, path, name) if path else data
    if not isinstance(items, list):
        raise Refused(f"{'.'.join(map(str, path))} is not a list of {name}: nothing can be added to it.")
    if not isinstance(value, dict):
        raise Refused("A new item is an object of its fields.")
    if not items:  # the list's first item: the list is written anew (an empty [] becomes a block)
        if path:
            return _set(yaml, text, data, path, [value], name)
        data.append(yaml_lists.new_node(value))
        out = io.StringIO()
        yaml.dump(data, out)
        return out.getvalue()
    if isinstance(at, int) and not isinstance(at, bool) and 0 <= at <= len(items):
        index = at
    elif at is not None:
        raise Refused(f"'at' is a position in the list, from 0 to {len(items)}.")
    elif _start_of(value) and all(_start_of(i) for i in items):
        index = next((n for n, i in enumerate(items) if _start_of(i) > _start_of(value)), len(items))
    else:
        index = len(items)
    value = with_ids(value, items[0] if items else None, data)
    new_text = yaml_lists.insert(yaml, text, items, index, value)
    expected = [*plain(items)[:index], plain(yaml_lists.new_node(value)), *plain(items)[index:]]
    try:
        _, again = round_trip(new_text, name)
        held = plain(_node(again, path, name))
    except (Refused, ValueError, YAMLError):
        held = None
    if held != expected:
        raise Refused(f"The new item could not be put into {name} without changing its other lines: add it in a "
                      "text editor.", 409)
    return new_text


def _start_of(item: Any) -> str:
    """When an item starts (HH:MM), or a session (its first item); "" for what has no time."""
    if not isinstance(item, dict):
        return ""
    if item.get("start") is not None:
        return str(item["start"])
    inner = item.get("items")
    return _start_of(inner[0]) if isinstance(inner, list) and inner else ""


def with_ids(value: Any, like: Any, data: Any, taken: set[str] | None = None) -> Any:
    """A new item with an id made from its title (or name, or kind) wherever the item beside it has one.

    Ids are for the files, not for the forms: an organizer adding a coffee break or a session names none.
    """
    taken = taken if taken is not None else set()
    if isinstance(value, list):
        model = like[0] if isinstance(like, list) and like else None
        return [with_ids(v, model, data, taken) for v in value]
    if not isinstance(value, dict):
        return value
    made = {k: with_ids(v, like.get(k) if isinstance(like, dict) else None, data, taken) for k, v in value.items()}
    if "id" not in made and isinstance(like, dict) and "id" in like:
        named = made.get("title") or made.get("name") or made.get("kind") or "item"
        made = {"id": free_id(data, slug(str(named)) or "item", *taken), **made}
    if isinstance(made.get("id"), str):
        taken.add(made["id"])
    return made


def _node(data: Any, path: list, name: str) -> Any:
    node = data
    for index, part in enumerate(path):
        if not _has(node, part):
            raise Refused(f"{'.'.join(map(str, path[:index + 1]))} is not a field of {name}.")
        node = node[part]
    return node


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


def _problems(project: Project, overrides: dict[str, str], parses: Parses | None = None) -> list[str]:
    try:
        load_event(project.root, overrides=overrides, memo=parses)  # the session's parses: unchanged files once
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
    kind: str  # "text", "long", "date", "number", "check", "pick", "languages", "group", "records", "list"
    value: Any
    required: bool = False
    refers: str | None = None  # a "pick" of the event's: people, organizations, languages
    options: tuple[str, ...] = ()  # a "pick" among the schema's own values (an item's kind)
    records: tuple[tuple[Field, ...], ...] = ()  # "records": each item's fields
    blank: tuple[Field, ...] = ()  # "records": the fields of a new item

    @property
    def id(self) -> str:
        return "field-" + "-".join(str(p) for p in self.path)

    @property
    def path_json(self) -> Markup:
        return htmlsafe_json_dumps(list(self.path))

    @property
    def depth(self) -> int:
        return len(self.path)


def form_fields(key: str, data: Any) -> list[Field]:
    """The fields of a content file's form, in the schema's order: its values, groups of fields, lists of records."""
    file = editable(key)
    assert file.adapter is not None
    schema = file.adapter.json_schema()
    if schema.get("type") == "array":
        return [_records(schema, schema, data, (), file.about)]
    return _fields(schema, schema, data if data is not None else {}, ())


def _resolve(root: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return root.get("$defs", {}).get(ref.split("/")[-1], {})
    choices = [c for c in node.get("anyOf", []) if c.get("type") != "null"]
    return _resolve(root, choices[0]) if len(choices) == 1 else node


def _records(root: dict, spec: dict, value: Any, here: tuple[str | int, ...], label: str,
             required: bool = False) -> Field:
    """A list of records: each item's own fields, and a new item's."""
    item = _resolve(root, spec.get("items", {}))
    items = value if isinstance(value, list) else []
    records = tuple(tuple(_fields(root, item, record, (*here, n))) for n, record in enumerate(items)
                    if isinstance(record, dict))
    blank = tuple(f for f in _fields(root, item, {}, (*here, len(items))) if f.kind not in ("group", "list", "records"))
    return Field(here, label, "records", None, required, records=records, blank=blank)


def _fields(root: dict, schema: dict, data: Any, path: tuple[str | int, ...]) -> list[Field]:
    found = []
    required = set(schema.get("required", []))
    for name, node in schema.get("properties", {}).items():
        spec = _resolve(root, node)
        value = data.get(name) if isinstance(data, dict) else None
        label = node.get("title") or name.replace("_", " ").capitalize()
        kind = spec.get("type")
        here = (*path, name)
        needed = name in required
        if kind == "object" and spec.get("propertyNames", {}).get("x-refers") == "languages":
            found.append(Field(here, label, "languages", plain(value) if isinstance(value, dict) else {}, needed))
        elif kind == "object" and "properties" not in spec and isinstance(value, dict) and \
                all(not isinstance(v, (dict, list)) for v in value.values()):
            found.append(Field(here, label, "group", None, needed))  # named values (facts): each one's field
            found += [Field((*here, str(k)), str(k), "text", "" if v is None else str(v)) for k, v in value.items()]
        elif kind == "object" and "properties" in spec:
            found.append(Field(here, label, "group", None, needed))
            found += _fields(root, spec, value or {}, here)
        elif kind == "array" and "properties" in _resolve(root, spec.get("items", {})):
            found.append(_records(root, spec, value, here, label, needed))
        elif kind == "array" or kind == "object":
            found.append(Field(here, label, "list", plain(value), needed))
        elif kind == "boolean":
            found.append(Field(here, label, "check", bool(value), needed))
        elif kind in ("integer", "number"):
            found.append(Field(here, label, "number", value, needed))
        elif spec.get("x-refers") or spec.get("enum"):
            found.append(Field(here, label, "pick", "" if value is None else str(value), needed,
                               refers=spec.get("x-refers"), options=tuple(str(v) for v in spec.get("enum", ()))))
        else:
            shown = "" if value is None else str(value)
            form = "date" if spec.get("format") == "date" else "long" if len(shown) > 80 or "\n" in shown else "text"
            found.append(Field(here, label, form, shown, needed))
    return found


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:30].strip("-")


def free_id(data: Any, base: str, *taken: str) -> str:
    """An id no session or item of the agenda has yet."""
    used = set(taken) | _ids(data)
    found, n = base, 2
    while found in used:
        found, n = f"{base}-{n}", n + 1
    return found


def _ids(node: Any) -> set[str]:
    if isinstance(node, dict):
        return ({str(node["id"])} if "id" in node else set()).union(*(_ids(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_ids(v) for v in node))
    return set()
