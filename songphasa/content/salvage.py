"""What is right in a file whose shape is wrong, for the checks across files.

One run says everything: a file with a mistake is validated again without
what its errors point at, so that the references into it and out of it are
still checked. Its own errors are already said; what is left out is noted.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError, create_model
from pydantic_core import ErrorDetails

from .explain import clean_loc, close_match, fields_of, model_at
from .files import ContentFile


def _lenient(file: ContentFile) -> TypeAdapter:
    """Return a file's shape with its top-level required fields optional (None when missing or wrong).

    Made anew each time: only a file with mistakes needs it, and it costs a few milliseconds.
    """
    root, adapter = file.shape, file.adapter
    assert adapter is not None, "Markdown prose has no shape to salvage"
    if not (isinstance(root, type) and issubclass(root, BaseModel)):
        return adapter
    optional: dict[str, Any] = {name: (_or_none(field.annotation), None)
                                for name, field in root.model_fields.items() if field.is_required()}
    return TypeAdapter(create_model(root.__name__, __base__=root, **optional)) if optional else adapter


def _or_none(annotation: Any) -> Any:
    return annotation | None


def _plain_copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain_copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain_copy(v) for v in data]
    return data


def salvage(file: ContentFile, data: Any, exc: ValidationError, dropped: set[tuple]) -> Any | None:
    """Validate a file without what its errors point at; None when too little is left.

    A misspelt field is read under the name it is close to ('titel' as
    'title'); any other wrong value is left out, and an entry left without a
    required field is left out whole. A top-level field left out is None, and
    the cross-file checks that need it do not run. The result only serves
    those checks: the file's own errors are already reported. What is left
    out is added to ``dropped``.
    """
    shape, data = _lenient(file), _plain_copy(data)
    for _ in range(8):
        try:
            return shape.validate_python(data)
        except ValidationError as again:
            exc = again
        if not _mend(file.shape, data, exc.errors(), dropped):
            return None
    return None


def _mend(root: Any, data: Any, errors: list[ErrorDetails], dropped: set[tuple]) -> bool:
    """Rename misspelt fields and drop what the errors point at; False when nothing could be done."""
    renames, drops = [], set()
    for err in errors:
        loc = clean_loc(err["loc"])
        if not loc:
            return False
        if err["type"] == "extra_forbidden":
            model = model_at(root, loc[:-1])
            close = close_match(str(loc[-1]), fields_of(model))
            if close:
                renames.append((loc, close))
    renamed = {loc for loc, _ in renames} | {loc[:-1] + (name,) for loc, name in renames}
    for err in errors:
        loc = clean_loc(err["loc"])
        if loc in renamed:
            continue  # the misspelt field, read under its right name
        drops.add(loc[:-1] if err["type"] == "missing" else loc)
    if () in drops:
        return False
    dropped.update(drops)
    changed = False
    for loc, name in renames:
        parent = _reach(data, loc[:-1])
        if isinstance(parent, dict) and loc[-1] in parent:
            value = parent.pop(loc[-1])
            parent.setdefault(name, value)  # both written: the right name wins
            changed = True
    for loc in sorted(drops, key=lambda path: [(0, p) if isinstance(p, int) else (1, str(p)) for p in path],
                      reverse=True):  # later list entries first, so the earlier indexes stay true
        parent = _reach(data, loc[:-1])
        if isinstance(parent, dict) and loc[-1] in parent:
            del parent[loc[-1]]
            changed = True
        elif isinstance(parent, list) and isinstance(loc[-1], int) and loc[-1] < len(parent):
            del parent[loc[-1]]
            changed = True
    return changed


def _reach(data: Any, loc: tuple) -> Any:
    """Follow a location into plain data, skipping the names pydantic gives union members."""
    for step in loc:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        elif isinstance(data, (dict, list)):
            continue  # a union member's tag, not a place in the file
        else:
            return None
    return data
