"""The decision log, for the minutes: every decision recorded, with its time, in content/decision-log.yaml.

`decide` — on the command line or from the session's page — appends one
entry to the log in the same all-or-nothing write as the decision itself,
so the log never names a decision the files do not hold. An undo appends an
entry too (the minutes say a decision was taken back; nothing is erased).
Entries are appended as text: the comments and hand corrections of the
entries before stay as they are, and a log that a hand edit broke still
takes new entries (reading it then says where it is broken).

Each entry: the time in the event's time zone (ISO 8601 with its offset),
the recommendation, the status, the confirmed text in every language given,
and who recorded it (``session`` or ``command line``). The log is never read
by a build: the documents come from recommendations.yaml and the catalogs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import ContentError, Problem
from .text import Text
from .yaml import parse_yaml

LOG = "content/decision-log.yaml"
HEADER = ("# The decisions recorded in the session, for the minutes: one entry per decision, in the order\n"
          "# they were recorded (written by `decide` and `songphasa serve`; the documents do not read it).\n")


@dataclass(frozen=True)
class Entry:
    """One line of the minutes: a decision recorded, or one taken back."""

    time: str  # ISO 8601 in the event's zone, to the second
    recommendation: str
    status: str  # proposed, accepted, modified, rejected; "undone" for an undo
    by: str  # "session" or "command line"
    text: dict[str, str] = field(default_factory=dict)  # the confirmed text given, by language


def now(zone: str) -> str:
    """The time now in the event's zone, as the log writes it."""
    try:
        tz = ZoneInfo(zone)
    except (KeyError, ValueError, OSError):  # a zone the validated event should not have: say it in UTC
        tz = ZoneInfo("UTC")
    return datetime.now(tz).replace(microsecond=0).isoformat()


def entry_yaml(entry: Entry) -> str:
    """An entry as the YAML block appended to the log (each string JSON-quoted: YAML reads it back exactly)."""
    lines = [f"- time: {json.dumps(entry.time)}", f"  recommendation: {json.dumps(entry.recommendation)}",
             f"  status: {entry.status}", f"  by: {json.dumps(entry.by)}"]
    if entry.text:
        lines.append("  text:")
        lines += [f"    {lang}: {json.dumps(said, ensure_ascii=False)}" for lang, said in entry.text.items()]
    return "\n".join(lines) + "\n"


def appended(root: Path, entry: Entry) -> str:
    """The log's new text with ``entry`` at its end (the file itself is written by the caller, with the decision)."""
    path = root / LOG
    try:
        old = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    except (OSError, UnicodeDecodeError):
        raise ContentError(Problem(LOG, None, "the decision log cannot be read as UTF-8 text",
                                   "move it aside (the minutes start a new one), then record the decision again")) from None
    if old and not old.endswith("\n"):
        old += "\n"
    return old + entry_yaml(entry)


def read_log(root: Path) -> tuple[list[Entry], list[Problem]]:
    """The entries of the log, oldest first, and what makes any of it unreadable (a hand edit)."""
    path = root / LOG
    if not path.is_file():
        return [], []
    try:
        doc = parse_yaml(LOG, path.read_text(encoding="utf-8"), "")
    except ContentError as exc:
        return [], list(exc.problems)
    except (OSError, UnicodeDecodeError):
        return [], [Problem(LOG, None, "the decision log cannot be read as UTF-8 text", "")]
    if doc.data is None:
        return [], []
    if not isinstance(doc.data, list):
        return [], [Problem(LOG, 1, "the decision log is not a list of entries", "")]
    entries, problems = [], []
    for index, item in enumerate(doc.data):
        values = {key: _plain(value) for key, value in item.items()} if isinstance(item, dict) else {}
        said = [values.get(key) for key in ("time", "recommendation", "status", "by")]
        text = values.get("text")
        strings = [value for value in said if isinstance(value, str)]
        if len(strings) < len(said) or not (text is None or isinstance(text, dict)):
            problems.append(Problem(LOG, doc.line_of((index,)), "this entry lacks its time, recommendation, status "
                                    "or by", ""))
            continue
        time, rec, status, by = strings
        entries.append(Entry(time, rec, status, by, {str(k): str(v) for k, v in (text or {}).items()}))
    return entries, problems


def _plain(value: object) -> object:
    """A parsed value with its strings as plain str (the content reader gives Text)."""
    if isinstance(value, Text):
        return value.source
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, str) else str(value)
