"""Write the JSON Schemas of the content files and the README's field reference, from the models.

Editors that use yaml-language-server (VS Code with its YAML extension, and
others) read the schema named on a content file's first line and check and
complete the file as it is typed. Run ``python tools/schemas.py`` after
changing a model: it rewrites schemas/ and the field reference in README.md;
a test checks both are current. The content-file table
(songphasa/content/files.py) says which files have a schema.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import json
import re
import sys
import types
import typing
from itertools import pairwise
from pathlib import Path
from typing import Any

# The checkout's package, not an installed one.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import BaseModel, TypeAdapter, WithJsonSchema  # noqa: E402

from songphasa.content import fields, models, participants, recipients  # noqa: E402
from songphasa.content.fields import to_zone  # noqa: E402
from songphasa.content.files import CONTENT_FILES, ContentFile  # noqa: E402
from songphasa.content.text import Text  # noqa: E402

#: The content files that have a schema, by its name.
FILES: dict[str, ContentFile] = {file.schema: file for file in CONTENT_FILES if file.schema}
SCHEMA_DIR = "schemas"
#: The copy `songphasa new` writes into a new project (package data: the wheel has no schemas/ folder).
STARTER_SCHEMA_DIR = "songphasa/starter/schemas"


def _field_docstrings() -> dict[str, dict[str, str]]:
    """Read the docstring under each model field in the models' source: {class name: {field: text}}."""
    found: dict[str, dict[str, str]] = {}
    source = "\n".join(inspect.getsource(module) for module in (models, recipients, participants))
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = found.setdefault(node.name, {})
        for before, after in pairwise(node.body):
            if (isinstance(before, ast.AnnAssign) and isinstance(before.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                fields[before.target.id] = inspect.cleandoc(after.value.value)
    return found


def _zone_names() -> list[str]:
    """Every time zone name tzdata (a dependency, locked) knows: an editor completes and checks them."""
    from importlib import resources

    return sorted(resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())


def _list_zones() -> None:
    """Give the time-zone fields' schema the names they may hold (the build checks them with zoneinfo)."""
    for meta in typing.get_args(fields.Zone)[1:]:
        if isinstance(meta, WithJsonSchema) and isinstance(meta.json_schema, dict):
            meta.json_schema["enum"] = _zone_names()


def _describe_fields() -> None:
    """Give every model field its docstring as description, then rebuild the models (used ones first)."""
    docstrings = _field_docstrings()
    seen: list[type[BaseModel]] = []
    for file in FILES.values():
        _models(file.shape, seen)
    for cls in seen:
        for name, field in cls.model_fields.items():
            text = next((docstrings[c.__name__][name] for c in cls.__mro__
                         if name in docstrings.get(c.__name__, {})), None)
            if field.description is None and text is not None:
                field.description = text
    for cls in reversed(seen):  # a model's schema holds those of the models it uses
        cls.model_rebuild(force=True)
    # models.py wrote DocumentEntry's schema into the one of `documents:` entries before its
    # fields had their meanings: write it again, then rebuild what holds it.
    for meta in typing.get_args(models.DocumentOrName)[1:]:
        if isinstance(meta, WithJsonSchema) and isinstance(meta.json_schema, dict):
            meta.json_schema["anyOf"][1] = models.DocumentEntry.model_json_schema()
    for cls in reversed(seen):
        cls.model_rebuild(force=True)


BEGIN, END = "<!-- field reference: begin (python tools/schemas.py) -->", "<!-- field reference: end -->"


def schema_of(key: str) -> dict[str, Any]:
    """Return the JSON Schema of one content file."""
    file = FILES[key]
    schema = TypeAdapter(file.shape).json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": file.title}


def schema_text(key: str) -> str:
    """Return the text of one content file's JSON Schema, as schemas/ holds it."""
    return json.dumps(schema_of(key), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _type_name(annotation: Any) -> str:
    """Say a field's type as an organizer reads it."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        base = typing.get_args(annotation)[0]
        names = {Text: "text", dt.time: "time HH:MM", dt.date: "date YYYY-MM-DD"}
        if base in names:
            return names[base]
        if any(getattr(m, "func", None) is to_zone for m in typing.get_args(annotation)[1:]):
            return "time zone"
        least = [g.ge for m in typing.get_args(annotation)[1:] for g in getattr(m, "metadata", ()) if hasattr(g, "ge")]
        if least:
            return f"{_type_name(base)} from {least[0]}"
        return _type_name(base)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return "set of name: value"
    if origin is typing.Literal:
        return " / ".join(str(a) for a in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__.rstrip('_')}](#{annotation.__name__.rstrip('_').lower()})"
    names = {str: "text", int: "whole number", bool: "true/false", typing.Any: "a date, number or text",
             Text: "text", dt.time: "time HH:MM", dt.date: "date YYYY-MM-DD"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _field_type(field: Any) -> str:
    if any(getattr(m, "func", None) is to_zone for m in field.metadata):
        return "time zone"
    return _type_name(field.annotation)


def _models(root: Any, seen: list[type[BaseModel]]) -> None:
    """Collect the models a type refers to, depth first, each once."""
    if isinstance(root, type) and issubclass(root, BaseModel):
        if root not in seen:
            seen.append(root)
            for field in root.model_fields.values():
                _models(field.annotation, seen)
        return
    for arg in typing.get_args(root):
        if not isinstance(arg, (str, int, dict)) and arg is not type(None):
            _models(arg, seen)


_list_zones()
_describe_fields()


def field_reference() -> str:
    """Return the README's field reference: every content file's fields, with type, default and meaning."""
    lines = []
    seen: list[type[BaseModel]] = []
    for file in FILES.values():
        root = file.shape
        before = len(seen)
        _models(root, seen)
        lines.append(f"#### {file.title}")
        lines.append("")
        if typing.get_origin(root) is list:
            lines.append(f"A list of entries, each a [{typing.get_args(root)[0].__name__}]"
                         f"(#{typing.get_args(root)[0].__name__.lower()}).")
            lines.append("")
        for cls in seen[before:]:
            name = cls.__name__.rstrip("_")
            lines += [f"##### {name}", "", "| field | type | | meaning |", "|---|---|---|---|"]
            for field_name, field in cls.model_fields.items():
                required = "required" if field.is_required() else f"default {_default(field)}"
                lines.append(f"| `{field_name}` | {_field_type(field)} | {required} | "
                             f"{(field.description or '').replace('|', '/')} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _default(field: Any) -> str:
    if field.default_factory is not None:
        value = field.default_factory()
        return "empty" if not value or isinstance(value, BaseModel) else f"`{json.dumps(value)}`"
    if field.default is None:
        return "none"
    return f"`{field.default}`" if not isinstance(field.default, bool) else f"`{str(field.default).lower()}`"


def readme_with_reference(readme: str) -> str:
    """Put the current field reference between the README's markers."""
    block = f"{BEGIN}\n\n{field_reference()}\n{END}"
    return re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, readme, flags=re.S)


def write(root: Path) -> list[Path]:
    """Write schemas/ (and the starter's copy, in a checkout) and the README's field reference under a root."""
    written = []
    folders = [root / SCHEMA_DIR] + ([root / STARTER_SCHEMA_DIR] if (root / "songphasa" / "starter").is_dir() else [])
    for folder in folders:
        folder.mkdir(exist_ok=True)
        for key in FILES:
            path = folder / f"{key}.schema.json"
            path.write_text(schema_text(key), encoding="utf-8")
            written.append(path)
    readme = root / "README.md"
    if readme.is_file():  # the schemas alone for any other folder
        readme.write_text(readme_with_reference(readme.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(readme)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(path)
