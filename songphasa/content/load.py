"""Load an event project's content: read each file of the table, validate it, check across files.

All problems of all files are collected before anything stops: a file whose
shape is wrong is said, then what is right in it still serves the checks
across files, so one run says everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ContentError, Problem
from .crosscheck import Known, cross_check
from .event import EventContent
from .explain import explain
from .files import CONTENT_FILES, ContentFile
from .markdown import parse_markdown
from .salvage import salvage
from .text import ContentBudget, decoded, read_text
from .yaml import YamlDoc, parse_yaml

#: What a caller may keep between loads: each file's parse (a YamlDoc, or the prose's sections) by (path, text).
Parses = dict[tuple[str, str], Any]


def load_event(root: Path, *, overrides: Mapping[str, str] | None = None, memo: Parses | None = None) -> EventContent:
    """Load and validate an event project's content; raise every problem at once.

    ``overrides`` gives texts to read instead of files, by project-relative
    path: ``{"content/recommendations.yaml": text}`` validates the event as it
    will be once that text is written. ``memo`` is a dict the caller keeps
    between loads (`watch`'s session): a file whose text did not change is
    not parsed again.
    """
    overrides = overrides or {}
    problems: list[Problem] = []
    docs: dict[str, YamlDoc] = {}
    values: dict[str, Any] = {}
    partial: set[str] = set()  # files whose shape is wrong, validated without what is wrong
    dropped: dict[str, set[tuple]] = {}  # and where, in each, what was left out
    budget = ContentBudget()
    for file in CONTENT_FILES:
        if not file.required and file.path not in overrides and not (root / file.path).exists():
            values[file.key] = _empty(file)
            if not file.is_prose:
                docs[file.key] = YamlDoc(file.path, file.empty)
            continue
        try:
            parsed = _parse(root, file, overrides, memo, budget)
        except ContentError as exc:
            problems.extend(exc.problems)
            if budget.over:
                raise ContentError(problems) from None
            continue
        if not isinstance(parsed, YamlDoc):
            values[file.key] = parsed
            continue
        docs[file.key] = parsed
        assert file.adapter is not None  # a YAML file has its shape
        try:
            values[file.key] = file.adapter.validate_python(parsed.data)
        except ValidationError as exc:
            problems.extend(explain(exc, parsed, file.shape))
            # What is right in the file still serves the cross-file checks, so that one run says everything.
            salvaged = salvage(file, parsed.data, exc, dropped.setdefault(file.key, set()))
            if salvaged is not None:
                values[file.key] = salvaged
                partial.add(file.key)
    if "event" not in values:
        raise ContentError(problems)
    valid = frozenset(values) - partial
    readable = frozenset(values)  # their ids are known, from what validated or as written
    for file in CONTENT_FILES:  # a file that cannot be read: what the event has without it, for the others' checks
        values.setdefault(file.key, _empty(file))
        if not file.is_prose:
            docs.setdefault(file.key, YamlDoc(file.path, file.empty))
    event = values["event"]
    content = EventContent(
        root=root,
        event=event,
        people={p.id: p for p in values["people"]},
        organizations={o.id: o for o in event.organizations},
        agenda=values["agenda"],
        recommendations=values["recommendations"],
        contacts=tuple(values["contacts"]),
        glossary=tuple(values["glossary"]),
        concept_note=tuple(values["concept_note"]),
        recipients=values["recipients"],
        participants=values["participants"],
    )
    # Settings left out are the defaults: the event's real languages are then unknown.
    languages_known = not any(loc[:1] == ("settings",) for loc in dropped.get("event", ()))
    problems.extend(cross_check(content, Known(docs, values["people"], valid, readable, languages_known)))
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    object.__setattr__(content, "warnings", tuple(problems))  # only warnings are left
    return content


def _empty(file: ContentFile) -> Any:
    """Return what the event has without a file."""
    if file.adapter is None or file.empty is None:
        return file.empty
    return file.adapter.validate_python(file.empty)


def _parse(root: Path, file: ContentFile, overrides: Mapping[str, str], memo: Parses | None,
           budget: ContentBudget) -> Any:
    """Read and parse one file (its text from ``overrides`` when given there); raise its problems."""
    if file.path in overrides:
        text = decoded(file.path, overrides[file.path].encode("utf-8"))
    else:
        text = read_text(root / file.path, root)
    budget.add(file.path, text)  # before the parse: reading YAML and Markdown takes time for each value
    key = (file.path, text)
    if memo is not None and key in memo:
        return memo[key]
    parsed: Any = tuple(parse_markdown(file.path, text, file.context)) if file.is_prose else \
        parse_yaml(file.path, text, file.context)
    if memo is not None:
        for old in [k for k in memo if k[0] == file.path]:  # the file's earlier texts are not read again
            del memo[old]
        memo[key] = parsed
    return parsed
