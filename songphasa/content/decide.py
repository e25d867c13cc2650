"""Record the decision on one recommendation, touching nothing else.

`python build.py decide 1.2 --status modified --text en="…" --text lo="…"` writes
the status and the confirmed text into content/recommendations.yaml by
replacing only the lines of that recommendation (comments, order and the
wrapping of every other text stay byte for byte), then brings the catalogs
up to date and puts each target language's text into its catalog. Each file is written
atomically, and only after the whole new state has been validated.
"""

from __future__ import annotations

import difflib
import io
import re
import textwrap
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from .. import languages
from ..errors import ContentError, Problem, relative
from ..files import atomic_write_all
from ..i18n.po import po_text
from ..i18n.sources import catalog_source
from ..i18n.update import plan_update
from ..project import Project
from . import minutes
from .files import content_file
from .load import Parses, load_event

RECOMMENDATIONS = content_file("recommendations").path


@dataclass(frozen=True)
class Decision:
    """What the session decided about one recommendation."""

    recommendation: str
    status: str
    text: str | None = None  # in the source language
    translations: tuple[tuple[str, str], ...] = ()  # (target language, its confirmed text)


_LANG_TEXT = re.compile(r"([a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)=(.*)", re.S)


def parse_texts(values: list[str], source: str, languages: tuple[str, ...]) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """Read repeated ``--text LANG=…`` (or a plain ``--text "…"`` in the source language).

    Refuse a language the event does not have, a language given twice, and an empty text
    (it would erase a recorded text without a word).
    """
    text: str | None = None
    translations: dict[str, str] = {}
    for value in values:
        match = _LANG_TEXT.fullmatch(value)
        lang, said = (match.group(1), match.group(2)) if match else (source, value)
        if not said.strip():
            raise ContentError(Problem(RECOMMENDATIONS, None, f"--text {lang}= gives an empty text",
                                       "give the confirmed text, or leave --text out for that language"))
        if lang not in languages:
            raise ContentError(Problem(RECOMMENDATIONS, None, f"--text {lang}=…: '{lang}' is not a language of this event",
                                       f"use one of: {', '.join(languages)} (settings.languages in content/event.yaml)"))
        if lang == source:
            if text is not None:
                raise ContentError(Problem(RECOMMENDATIONS, None, f"--text gives the {lang} text twice", "give it once"))
            text = said
        elif lang in translations:
            raise ContentError(Problem(RECOMMENDATIONS, None, f"--text gives the {lang} text twice", "give it once"))
        else:
            translations[lang] = said
    return text, tuple(translations.items())


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


def _keep_comment(mapping: Any, key: str, line: int, new: list[str]) -> list[str]:
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


def decide(root: Path, decision: Decision, *, by: str = "command line", memo: Parses | None = None) -> list[str]:
    """Record a decision in the content, the catalogs and the decision log, all files or none; return what changed.

    ``by``: who recorded it, for the log (``command line``, ``session``). ``memo``: the parses a long-lived
    process keeps (the decision session's), so that the content files a decision does not touch are not
    parsed again.
    """
    project = Project.at(root)
    path = project.root / RECOMMENDATIONS
    decision = _checked(decision)
    if decision.translations and not decision.text:
        source = load_event(project.root).event.settings.source_language
        raise ContentError(Problem(RECOMMENDATIONS, None,
                                   f"--text {decision.translations[0][0]}=… was given without the {source} text",
                                   f'give the confirmed text in the source language as well: --text {source}="…"'))
    if not path.is_file():
        raise ContentError(Problem(RECOMMENDATIONS, None, "the event has no recommendations to decide on",
                                   "write them in content/recommendations.yaml first (topics: … recommendations: …)"))
    old = path.read_text(encoding="utf-8")
    new = rewrite(old, decision)

    # The whole event as it will be, validated before anything is written.
    content = load_event(project.root, overrides={RECOMMENDATIONS: new}, memo=memo)
    template, merged, reports = plan_update(catalog_source(content), project, memo)
    done = [f"{relative(path, project.root)}: recommendation {decision.recommendation} is now {decision.status}"]
    given = dict(decision.translations)
    rec = content.recommendation(decision.recommendation)
    for lang in content.event.settings.languages:
        name = languages.get(lang).name
        if lang in given and lang in merged:
            assert rec.confirmed is not None  # a translation comes with the source text (_checked)
            message = merged[lang].get(rec.confirmed.source, rec.confirmed.context)
            assert message is not None  # plan_update made the entry from the new content
            message.string = given[lang]
            message.flags.discard("fuzzy")
            message.previous_id = []
            done.append(f"{relative(project.po_path(lang), project.root)}: {name} confirmed text recorded")
        elif decision.text and lang in reports:
            done.append(f"the {name} confirmed text is still to be translated "
                        f'(give --text {lang}="…", or translate it in the PO file)')
    files: dict[Path, str] = {path: new, project.pot_path: po_text(template, template=True)}
    files.update({project.po_path(lang): po_text(catalog) for lang, catalog in merged.items()})
    text = {content.event.settings.source_language: decision.text, **given} if decision.text else {}
    entry = minutes.Entry(minutes.now(content.event.timezone), decision.recommendation, decision.status, by, text)
    files[project.root / minutes.LOG] = minutes.appended(project.root, entry)
    done.append(f"{minutes.LOG}: logged at {entry.time[11:19]}, for the minutes")
    atomic_write_all(files)
    return done


def _checked(decision: Decision) -> Decision:
    """Refuse a decision that cannot be recorded as given; return it with its spaces tidied."""
    if decision.status == "modified" and not (decision.text or "").strip():
        raise ContentError(Problem(RECOMMENDATIONS, None, f"recommendation {decision.recommendation} is 'modified' "
                                   "but no confirmed text was given", 'add --text "the agreed wording"'))
    if decision.status in ("proposed", "rejected") and (decision.text or decision.translations):
        raise ContentError(Problem(RECOMMENDATIONS, None, f"a '{decision.status}' recommendation has no confirmed text",
                                   "leave out --text, or use --status accepted or modified"))
    for lang, text in (("", decision.text), *decision.translations):
        bad = sorted({f"U+{ord(c):04X}" for c in text or "" if unicodedata.category(c) == "Cc" and c not in "\t\n"})
        if bad:
            option = f"--text {lang}=…" if lang else "--text"
            raise ContentError(Problem(RECOMMENDATIONS, None, f"{option} contains the control character(s) {', '.join(bad)}",
                                       "type the text again without them (they are invisible; copy-paste can bring them)"))
    return replace(decision, text=" ".join(decision.text.split()) if decision.text is not None else None,
                   translations=tuple((lang, " ".join(text.split())) for lang, text in decision.translations))


__all__ = ["Decision", "decide", "rewrite"]
