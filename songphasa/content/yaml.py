"""Read a YAML content file, keeping the line of every value.

ruamel's round-trip reader knows where each key and value stands, so every
later error can name its line. Every string becomes a :class:`Text` whose id
is built from the ids on its path (``people.manixay.position``): a
translation stays attached to its string when the list around it is
reordered. Anchors and aliases, tags and the like are refused at their line.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLFutureWarning, YAMLWarning
from ruamel.yaml.reader import ReaderError

from ..errors import ContentError, Problem, relative
from .text import FORBIDDEN, MAX_TEXT_CHARS, Text, read_text, too_long

_SURROGATE = re.compile("[\ud800-\udfff]")
#: A YAML tag: "!name" or "!!name" where a value starts.
_TAG = re.compile(r"(?:^|[\s\[{,:-])(!!?[^\s,\[\]{}]*)", re.MULTILINE)
_DATE = re.compile(r"\b(\d{4})-(\d\d?)-(\d\d?)(?:[Tt ]+(\d\d?):(\d\d):(\d\d))?")


@dataclass(frozen=True)
class YamlDoc:
    """One YAML file: its data (strings as Text) and the line of every path. Nothing changes it once read."""

    file: str
    data: Any
    lines: Mapping[tuple, int] = field(default_factory=dict)
    source: tuple[str, ...] = ()

    def line_of(self, path: tuple) -> int | None:
        """Return the line of a path, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def typed(self, path: tuple) -> str | None:
        """Return a field's value as written in the file (YAML reads 9.30 as the number 9.3)."""
        path = tuple(path)
        line = self.lines.get(path)
        if not path or not isinstance(path[-1], str) or line is None or not 0 < line <= len(self.source):
            return None
        found = re.search(rf"(?:^|[\s{{,]){re.escape(path[-1])}\s*:\s*([^\s,#}}\]]+)", self.source[line - 1])
        return found.group(1) if found else None


def load_yaml(path: Path, root: Path, prefix: str | None = None) -> YamlDoc:
    """Load one YAML content file; its strings' ids start with ``prefix`` (default: the file's stem)."""
    return parse_yaml(relative(path, root), read_text(path, root), path.stem if prefix is None else prefix)


def parse_yaml(name: str, text: str, prefix: str) -> YamlDoc:
    """Read the text of the YAML file ``name``; strings become Text whose ids start with ``prefix`` ("": none)."""
    walk = _Walk(name, prefix, room=len(text))
    try:
        data = walk.value(_tree(name, text), (), [], 1)
    except RecursionError:
        raise ContentError(_too_deep(name)) from None
    if walk.problems:
        raise ContentError(walk.problems)
    return YamlDoc(name, data, walk.lines, tuple(text.split("\n")))


def _too_deep(name: str) -> Problem:
    return Problem(name, None, "the file is nested too deeply to read", "check the brackets and indentation")


def _tree(name: str, text: str) -> Any:
    """Read YAML with ruamel's round-trip reader, which places every error; return its tree (CommentedMap, …)."""
    yaml = YAML(typ="rt")
    try:
        with warnings.catch_warnings():
            # ruamel warns (on stderr) about a reused anchor and the like: here they are errors at their line.
            warnings.simplefilter("error", YAMLWarning)
            warnings.simplefilter("error", YAMLFutureWarning)
            return yaml.load(text)
    except (YAMLWarning, YAMLFutureWarning) as exc:
        # The warning's text names the place(s): "…, line 3, column 1:"; the last is where it went wrong.
        places = re.findall(r"line (\d+), column", str(exc))
        line = int(places[-1]) if places else None
        what = next((t.strip() for t in str(exc).splitlines() if t.strip()), "") or "a YAML construct not used here"
        raise ContentError(Problem(name, line, f"YAML: {what}",
                                   "write the values out; anchors (&name) and aliases (*name) are not used")) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (exc.problem or "the YAML cannot be read").strip()
        raise ContentError(Problem(
            name, line, f"YAML syntax error: {what}",
            "check the indentation and that text containing ': ' or starting with a quote is quoted")) from None
    except ReaderError as exc:
        # A character YAML refuses (C1 controls such as U+0091, from Windows "smart quotes").
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise ContentError(Problem(name, text.count("\n", 0, exc.position) + 1,
                                   f"invisible control character U+{code:04X} that YAML files cannot hold",
                                   "delete it (or retype the quote or dash it stands for)")) from None
    except YAMLError as exc:
        raise ContentError(Problem(name, None, f"YAML syntax error: {' '.join(str(exc).split())}",
                                   "check the file's syntax")) from None
    except (ValueError, OverflowError) as exc:
        # ruamel builds dates and numbers as it reads: 2021-02-30 or a 5000-digit number fails there.
        line = _impossible_date_line(text)
        if line is not None:
            raise ContentError(Problem(name, line, f"this date or time does not exist ({exc})",
                                       "write dates as YYYY-MM-DD with a day that exists, times as HH:MM")) from None
        raise ContentError(Problem(name, None, "a value cannot be read (a number with thousands of digits?)",
                                   "put long numbers that are meant as text in quotes")) from None
    except RecursionError:
        raise ContentError(_too_deep(name)) from None
    except (AttributeError, KeyError, IndexError):
        # ruamel's constructors fail like this on a tag put on the wrong kind of value ("!!omap text").
        tag = _TAG.search(text)
        line = text.count("\n", 0, tag.start()) + 1 if tag else None
        what = f"the tag {tag.group(1)}" if tag else "a tag"
        raise ContentError(Problem(name, line, f"YAML: {what} cannot be read here",
                                   "write plain values (text, numbers, dates, lists and mappings) without tags")) from None
    except TypeError:
        # A list or mapping used as a key ("? - a", "[a, b]: c") cannot be a key in Python.
        line = next((n for n, row in enumerate(text.split("\n"), start=1) if row.lstrip().startswith(("?", "[", "{"))),
                    None)
        raise ContentError(Problem(name, line, "a key is a list or a mapping",
                                   "write each key as a plain word followed by ':'")) from None


def _impossible_date_line(text: str) -> int | None:
    """Return the first line with a date or time that does not exist (2021-02-30, 25:00:00)."""
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _DATE.finditer(line):
            year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
            try:
                dt.datetime(year, month, day, hour, minute, second)
            except ValueError:
                return number
    return None


class _Walk:
    """Turn ruamel's tree into plain data, strings into Text, recording the line of every path."""

    def __init__(self, file: str, prefix: str, room: int) -> None:
        self.file, self.prefix = file, prefix
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []
        #: The mappings and lists already read: one met again is a YAML alias (*name) of it.
        self.containers: set[int] = set()
        #: The characters the file's texts may still have: without aliases they never hold more than the file.
        self.room = room

    def context(self, ids: list[str]) -> str:
        """Make the msgctxt of a string from the ids on its path."""
        return ".".join([self.prefix, *ids] if self.prefix else ids)

    def value(self, node: Any, path: tuple, ids: list[str], line: int) -> Any:
        """Turn one node of the tree into plain data, noting its line and refusing aliases of containers."""
        self.lines.setdefault(path, line)
        if isinstance(node, (dict, list)):
            # An alias of a mapping or list repeats it: nested ones make a 3 KB file expand
            # to billions of values. Content has no need of them, so each is refused.
            if id(node) in self.containers:
                if not any(p.message.startswith("a YAML alias") for p in self.problems):  # once a file is enough
                    self.problems.append(Problem(self.file, line, "a YAML alias (*name) repeats a mapping or list",
                                                 "write the values out where they are needed; anchors and aliases "
                                                 "are not used"))
                return {} if isinstance(node, dict) else []
            self.containers.add(id(node))
        where = (node.lc.data or {}) if isinstance(node, (CommentedMap, CommentedSeq)) else {}
        if isinstance(node, dict):
            out = {}
            for key in node:
                # Keys merged in with '<<: *anchor' have no place of their own: use the mapping's.
                place = where.get(key)
                kline = place[0] + 1 if place else line
                vline = place[2] + 1 if place and len(place) > 2 else kline
                self.lines[path + (str(key),)] = kline
                value = node[key]
                out[str(key)] = self.value(value, path + (str(key),), ids + [str(key)],
                                           vline if not isinstance(value, (dict, list)) else kline)
            return out
        if isinstance(node, list):
            out_list = []
            for index, value in enumerate(node):
                place = where.get(index)
                iline = place[0] + 1 if place else line
                ident = value.get("id") if isinstance(value, dict) else None
                if ident is None and isinstance(value, dict) and isinstance(value.get("date"), dt.date):
                    ident = value["date"].isoformat()  # a day of the agenda is known by its date
                step = str(ident) if isinstance(ident, (str, int)) and str(ident) else str(index)
                out_list.append(self.value(value, path + (index,), ids + [step], iline))
            return out_list
        if isinstance(node, str):
            return self.text(node, ids, line)
        return node

    def text(self, node: str, ids: list[str], line: int) -> Text:
        """Turn one string into a Text, refusing what a document cannot hold."""
        # An alias of a text repeats it at no cost in the file: 20,000 aliases of a long text
        # in 90 KB would be 180 million characters to check and print. Refused once the texts
        # hold more than the file itself.
        self.room -= len(node)
        if self.room < 0:
            if not any(p.message.startswith("this text is repeated") for p in self.problems):
                # ruamel places an alias where its anchor is: the line is the repeated text's.
                self.problems.append(Problem(self.file, line, "this text is repeated by YAML aliases (*name) more "
                                             "often than the file could hold it", "write the values out where "
                                             "they are needed; anchors and aliases are not used"))
            return Text("", self.file, line, self.context(ids))
        # Folded YAML strings (>-) keep their text; normalise line ends only.
        source = " ".join(str(node).split())
        if _SURROGATE.search(source):
            # ruamel decodes the JSON-style pair "\ud83d\ude00" as two halves; join them into one character.
            try:
                source = source.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                self.problems.append(Problem(self.file, line, "an escape such as \\ud83d that is only half of a "
                                             "character", "write the character itself (or its full escape, such "
                                             "as \\U0001F600)"))
                source = _SURROGATE.sub("\ufffd", source)
        bad = FORBIDDEN.search(source)
        if bad:  # written as an escape ("\x01") it got past read_text
            self.problems.append(Problem(self.file, line, f"invisible control character U+{ord(bad.group()):04X} "
                                         "that Word documents cannot hold", "delete it (or its escape, such as \\x01)"))
        if len(source) > MAX_TEXT_CHARS:
            self.problems.append(too_long(self.file, line, len(source)))
        return Text(source, self.file, line, self.context(ids))
