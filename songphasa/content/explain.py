"""pydantic's findings as sentences an organizer can act on: the file, the line, what is wrong, what to do.

A misspelt field gets "did you mean"; a value of the wrong kind says how to
write the kind it needs; YAML's reading of 9.30 as a number is shown as typed.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Annotated, Any
from zoneinfo import available_timezones

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .fields import unwrap
from .yaml import YamlDoc


def close_match(name: str, known: Any) -> str | None:
    """Return the one known name a typo is close to ('titel' → 'title'), or None.

    Close means nearly the same letters and nearly the same length: 'end_date'
    is not a typo of 'date', nor 'kind' of 'id'.
    """
    for candidate in difflib.get_close_matches(name, list(known), n=3, cutoff=0.75):
        if abs(len(candidate) - len(name)) <= max(2, len(name) // 4):
            return candidate
    return None


def fields_of(model: type[BaseModel] | None) -> tuple[str, ...]:
    """Return a model's field names (none for no model)."""
    return tuple(model.model_fields) if model is not None else ()


def model_at(root_model: Any, loc: tuple) -> type[BaseModel] | None:
    """Find which model a location points into, to list its valid fields."""
    current: Any = root_model
    for step in loc:
        origin = typing.get_origin(current)
        if origin is list:
            current = typing.get_args(current)[0]
            if isinstance(step, int):
                continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(step))
            if field is None:
                return current
            current = field.annotation
            # Unwrap Optional[...] and Annotated[...].
            for _ in range(3):
                args = [a for a in typing.get_args(current) if a is not type(None)]
                if typing.get_origin(current) in (typing.Union, types.UnionType) and args:
                    current = args[0]
                elif typing.get_origin(current) is Annotated:
                    current = typing.get_args(current)[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_KIND = {
    "string_type": "text", "text_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false", "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')", "dict_type": "a set of 'field: value' lines",
    "model_type": "a set of 'field: value' lines", "model_attributes_type": "a set of 'field: value' lines",
}


def _describe(value: Any) -> str:
    value = unwrap(value)
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if value is None:
        return "empty"
    return "text"


def _form_hint(kind: str, value: Any) -> str:
    """Say how to write a value in the form a field needs."""
    if kind.startswith("int"):
        return "write it in digits, e.g. 18"
    if kind.startswith("bool"):
        return "write true or false"
    if kind == "list_type":
        return "write each entry on its own line starting with '- ', or as [first, second]"
    if kind.startswith(("dict", "model")):
        return "write its fields on the lines below it, indented, as 'field: value'"
    if isinstance(value, list):
        return "write it as one text; put it in quotes if it starts with '[' or '-'"
    if isinstance(value, dict):
        return "put it in quotes: text containing ': ' or starting with '{' must be quoted"
    if value is None:
        return "write the text after the colon"
    return "put the value in quotes if it is meant as text"


def clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's validator names from a location, keeping field names and indexes."""
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith(("function-", "list[", "union["))))


def explain(exc: ValidationError, doc: YamlDoc, shape: Any) -> list[Problem]:
    """Say each of pydantic's findings in a file whose data should be a ``shape`` as a sentence with its line."""
    problems = []
    errors = exc.errors()
    # A misspelt field ('titel') also leaves the real one ('title') missing;
    # saying "did you mean 'title'?" is enough, so the second problem is dropped.
    suggested = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = clean_loc(err["loc"])
            model = model_at(shape, loc[:-1])
            close = close_match(str(loc[-1]), fields_of(model))
            if close:
                suggested.add(loc[:-1] + (close,))
    for err in errors:
        loc = clean_loc(err["loc"])
        kind = err["type"]
        name = str(loc[-1]) if loc and isinstance(loc[-1], str) else (str(loc[-2]) if len(loc) > 1 else "this entry")
        line = doc.line_of(loc)
        if kind == "missing":
            if loc in suggested:
                continue
            parent_line = doc.line_of(loc[:-1])
            problems.append(Problem(doc.file, parent_line, f"missing required field '{name}'", f"add '{name}:' to this entry"))
        elif kind == "extra_forbidden":
            model = model_at(shape, loc[:-1])
            valid = fields_of(model)
            close = close_match(name, valid)
            hint = f"did you mean '{close}'?" if close else (
                f"remove it; the valid fields here are: {', '.join(valid)}" if valid else "remove it")
            problems.append(Problem(doc.file, line, f"unknown field '{name}'", hint))
        elif kind in ("time_format",):
            # YAML reads 9.30 as the number 9.3: show what the person typed.
            typed = err["ctx"]["value"] if isinstance(unwrap(err["input"]), str) else doc.typed(loc) or err["ctx"]["value"]
            if re.fullmatch(r"\d\d:\d\d", str(typed).strip()):  # the form is right, the time is not one
                problems.append(Problem(doc.file, line, f"'{name}': time '{typed}' is not a time of day",
                                        "hours go from 00 to 23 and minutes from 00 to 59, e.g. 09:30"))
            else:
                problems.append(Problem(doc.file, line, f"'{name}': time '{typed}' is not in HH:MM form",
                                        'write hours and minutes with two digits each, in quotes, e.g. "09:30"'))
        elif kind == "zone_unknown":
            zone = err["ctx"]["value"]
            nearest = difflib.get_close_matches(zone, sorted(available_timezones()), n=1, cutoff=0.6)
            hint = f"did you mean '{nearest[0]}'?" if nearest else "use an IANA name such as Asia/Vientiane"
            problems.append(Problem(doc.file, line, f"unknown time zone '{zone}'", hint))
        elif kind == "date_format":
            problems.append(Problem(doc.file, line, f"'{name}': {err['msg']}", "write the date as 2021-11-23"))
        elif kind == "literal_error":
            expected = err["ctx"]["expected"].replace("'", "")
            problems.append(Problem(doc.file, line, f"'{name}' is '{unwrap(err['input'])}', which is not allowed",
                                    f"use one of: {expected}"))
        elif kind == "greater_than_equal":
            least = err["ctx"]["ge"]
            model = model_at(shape, loc[:-1])
            field = model.model_fields.get(name) if model else None
            out = f", or leave '{name}' out when it is not known" if field is not None and not field.is_required() else ""
            problems.append(Problem(doc.file, line, f"'{name}' is {unwrap(err['input'])}, but it must be at least {least}",
                                    f"write a whole number from {least}{out}"))
        elif kind == "too_short":
            problems.append(Problem(doc.file, line, f"'{name}' is empty", "add at least one entry"))
        elif kind in _KIND:
            problems.append(Problem(doc.file, line, f"'{name}' should be {_KIND[kind]}, not {_describe(err['input'])}",
                                    _form_hint(kind, unwrap(err["input"]))))
        else:
            problems.append(Problem(doc.file, line, f"'{name}': {err['msg']}", "fix this value"))
    return problems


def suggest(name: str, known: Any) -> str:
    """Say what an unknown name could have been: the one close to it, else the few there are."""
    known = sorted(known)
    close = close_match(name, known)
    if close:
        return f"did you mean '{close}'?"
    if 0 < len(known) <= 12:
        return f"use one of: {', '.join(known)}"
    return "check the spelling or define it first"
