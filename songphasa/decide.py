"""Record the decision on one recommendation, touching nothing else.

`python build.py decide 1.2 --status modified --text "…" --text-lo "…"` writes
the status and the confirmed text into content/recommendations.yaml by
replacing only the lines of that recommendation (comments, order and the
wrapping of every other text stay byte for byte), then brings the catalogs
up to date and puts the Lao text into the Lao catalog. Each file is written
atomically, and only after the whole new state has been validated.
"""

from __future__ import annotations

import difflib
import io
import shutil
import textwrap
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from ruamel.yaml import YAML

from . import catalogs
from .errors import ContentError, Problem, relative
from .model import EventContent, load_event
from .project import Project, atomic_write_all, scratch_folder

RECOMMENDATIONS = "content/recommendations.yaml"


@dataclass(frozen=True)
class Decision:
    """What the session decided about one recommendation."""

    recommendation: str
    status: str
    text: str | None = None
    text_lo: str | None = None


def _scalar(key: str, value: str, indent: int) -> list[str]:
    """Write `key: value` as YAML lines at an indentation, folded when long."""
    pad = " " * indent
    if value == "":
        return [f'{pad}{key}: ""\n']
    if len(value) + indent + len(key) + 2 <= 88 and "\n" not in value:
        buffer = io.StringIO()
        yaml = YAML(typ="safe", pure=True)
        yaml.width = 4096
        yaml.default_flow_style = False
        yaml.dump({key: value}, buffer)
        return [pad + line + "\n" for line in buffer.getvalue().splitlines()]
    body = textwrap.wrap(" ".join(value.split()), width=max(40, 80 - indent - 2), break_long_words=False,
                         break_on_hyphens=False)
    return [f"{pad}{key}: >-\n"] + [f"{pad}  {line}\n" for line in body]


def _value_end(lines: list[str], key_line: int, indent: int) -> int:
    """Return the index after the last line of the value that starts at key_line."""
    end = key_line + 1
    while end < len(lines):
        text = lines[end]
        if text.strip() and (len(text) - len(text.lstrip(" "))) <= indent:
            break
        end += 1
    while end > key_line + 1 and not lines[end - 1].strip():
        end -= 1  # blank lines after the value belong to what follows
    return end


def _keep_comment(mapping, key: str, line: int, new: list[str]) -> list[str]:
    """Put the organizer's end-of-line comment on a replaced key back on its first line."""
    token = (mapping.ca.items.get(key) or [None] * 4)[2]
    if token is None or token.start_mark.line != line:
        return new
    comment = token.value.split("\n")[0].strip()
    if not comment.startswith("#"):
        return new
    return [new[0].rstrip("\n") + "  " + comment + "\n", *new[1:]]


def rewrite(source: str, decision: Decision) -> str:
    """Return the YAML text with one recommendation's status and confirmed text replaced."""
    tree = YAML(typ="rt").load(source)
    found = None
    for topic in tree.get("topics", []):
        for rec in topic.get("recommendations", []):
            if str(rec.get("id")) == decision.recommendation:
                found = rec
    if found is None:
        known = [str(r.get("id")) for t in tree.get("topics", []) for r in t.get("recommendations", [])]
        close = difflib.get_close_matches(decision.recommendation, known, n=1)
        raise ContentError(Problem(RECOMMENDATIONS, None, f"unknown recommendation '{decision.recommendation}'",
                                   f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(known)}"))
    if found.fa.flow_style():
        raise ContentError(Problem(RECOMMENDATIONS, found.lc.line + 1,
                                   f"recommendation {decision.recommendation} is written on one line in braces {{…}}, "
                                   "which decide cannot change without rewriting it",
                                   "write it one key a line (id:, proposed:, status:, confirmed:) and run decide again"))
    lines = source.splitlines(keepends=True)
    indent = found.lc.col
    confirmed = decision.text if decision.text is not None else ""
    replacements = {"status": _scalar("status", decision.status, indent),
                    "confirmed": _scalar("confirmed", confirmed, indent)}
    edits = []  # (start, end, new lines)
    for key, new in replacements.items():
        if key in found:
            start = found.lc.key(key)[0]
            edits.append((start, _value_end(lines, start, indent), _keep_comment(found, key, start, new)))
    missing = [k for k in replacements if k not in found]
    if missing:
        last_key = list(found.keys())[-1]
        start = found.lc.key(last_key)[0]
        end = _value_end(lines, start, indent)
        edits.append((end, end, [line for k in missing for line in replacements[k]]))
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = new
    return "".join(lines)


def decide(root: Path, decision: Decision) -> list[str]:
    """Record a decision in the content and the catalogs, all files or none; return what changed."""
    project = Project.at(root)
    path = project.root / RECOMMENDATIONS
    decision = _checked(decision)
    old = path.read_text(encoding="utf-8")
    new = rewrite(old, decision)

    content = _validate(project, new)  # the whole event, as it will be, before anything is written
    template, merged, reports = catalogs.plan_update(content, project)
    done = [f"{relative(path, project.root)}: recommendation {decision.recommendation} is now {decision.status}"]
    if decision.text_lo and "lo" in merged:
        rec = content.recommendation(decision.recommendation)
        message = merged["lo"].get(rec.confirmed.source, rec.confirmed.context)
        message.string = decision.text_lo
        message.flags.discard("fuzzy")
        message.previous_id = []
        done.append(f"{relative(project.po_path('lo'), project.root)}: Lao confirmed text recorded")
    elif decision.text and "lo" in reports:
        done.append("the Lao confirmed text is still to be translated (give --text-lo, or translate it in the PO file)")
    files: dict[Path, str] = {path: new, project.pot_path: catalogs.po_text(template, template=True)}
    files.update({project.po_path(lang): catalogs.po_text(catalog) for lang, catalog in merged.items()})
    atomic_write_all(files)
    return done


def _checked(decision: Decision) -> Decision:
    """Refuse a decision that cannot be recorded as given; return it with its spaces tidied."""
    if decision.status == "modified" and not (decision.text or "").strip():
        raise ContentError(Problem(RECOMMENDATIONS, None, f"recommendation {decision.recommendation} is 'modified' "
                                   "but no confirmed text was given", 'add --text "the agreed wording"'))
    if decision.status in ("proposed", "rejected") and decision.text:
        raise ContentError(Problem(RECOMMENDATIONS, None, f"a '{decision.status}' recommendation has no confirmed text",
                                   "leave out --text, or use --status accepted or modified"))
    if decision.text_lo and not decision.text:
        raise ContentError(Problem(RECOMMENDATIONS, None, "--text-lo was given without --text",
                                   "give the English confirmed text with --text as well"))
    for option, text in (("--text", decision.text), ("--text-lo", decision.text_lo)):
        bad = sorted({f"U+{ord(c):04X}" for c in text or "" if unicodedata.category(c) == "Cc" and c not in "\t\n"})
        if bad:
            raise ContentError(Problem(RECOMMENDATIONS, None, f"{option} contains the control character(s) {', '.join(bad)}",
                                       "type the text again without them (they are invisible; copy-paste can bring them)"))
    tidy = (lambda t: " ".join(t.split()) if t is not None else None)
    return replace(decision, text=tidy(decision.text), text_lo=tidy(decision.text_lo))


def _validate(project: Project, recommendations: str) -> EventContent:
    """Load a copy of the event's content with the new recommendations file; raise its problems.

    The copy is made in the project's scratch folder, which the next command sweeps should
    `decide` be killed, and never where content/ or its neighbours are read.
    """
    with scratch_folder("songphasa-decide-") as copy:
        shutil.copytree(project.content, copy / "content", symlinks=True)
        (copy / RECOMMENDATIONS).write_text(recommendations, encoding="utf-8")
        content = load_event(copy)  # problems name files relative to the project, so they read as the real ones
    return replace(content, root=project.root)


__all__ = ["Decision", "decide", "rewrite"]
