"""An item put into, or taken out of, a list of a YAML file as a form asks: the other lines stay byte for byte.

ruamel's round trip keeps comments and blank lines, but hangs each on the
node before it: an item appended to a list would come after the blank line
that ends the list, and an item removed would take the comment of the next
one with it. So a list's items are changed in the text itself: the new item
is written by the file's own loader (its layout, and the style of the item
beside it: a speaker written ``{person: …, language: …}`` in the file is
written so), then put in at its line; an item removed takes its own lines
only. The new text is read back and must hold exactly the list as asked.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from .state import Refused

#: The most nodes (mappings, lists and values) one new item may have, and how deep it may nest.
MAX_NODES, MAX_DEPTH = 400, 6


def new_node(value: Any, like: Any = None, depth: int = 0, budget: list[int] | None = None) -> Any:
    """A value sent by a form as ruamel nodes, each mapping in the flow style of the one beside it in the file."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise Refused(f"A new item may have at most {MAX_NODES} values, nested {MAX_DEPTH} deep.")
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Refused("A new item's fields are named by text.")
        node = CommentedMap()
        for key, inner in value.items():
            if inner is not None:
                node[key] = new_node(inner, like.get(key) if isinstance(like, dict) else None, depth + 1, budget)
        if isinstance(like, CommentedMap) and like.fa.flow_style():
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        model = like[0] if isinstance(like, list) and like else None
        seq = CommentedSeq(new_node(v, model, depth + 1, budget) for v in value)
        if isinstance(like, CommentedSeq) and like.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and isinstance(like, datetime.date):
        try:  # a date beside dates stays a YAML date, not a quoted text
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, str) and isinstance(like, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        return type(like)(value)  # "09:30" quoted as its neighbours are
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise Refused("A form sends texts, numbers, true or false, lists and objects of them.")


def insert(yaml: YAML, text: str, items: Any, index: int, value: Any) -> str:
    """The text with ``value`` put into the list ``items`` (read from ``text``) at ``index``."""
    lines = text.splitlines(keepends=True)
    like = items[min(index, len(items) - 1)] if items else None
    node = new_node(value, like)
    if not items:
        raise Refused("The list is empty: add its first item in a text editor, then use the form.")
    dash = _dash(lines, items, 0)
    written = _written(yaml, node, dash)
    spaced = len(items) > 1 and _blank_before(lines, items, 1)
    if index < len(items):
        at = _first_line(lines, items, index)
        block = written + (["\n"] if spaced else [])
    else:
        at = _end_line(lines, items, len(items) - 1, dash)
        block = (["\n"] if spaced else []) + written
    if at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    return "".join(lines[:at] + block + lines[at:])


def remove(text: str, items: Any, index: int) -> str:
    """The text without the list's item at ``index`` (its lines, and the blank line that set it apart)."""
    lines = text.splitlines(keepends=True)
    dash = _dash(lines, items, index)
    start, end = _first_line(lines, items, index), _end_line(lines, items, index, dash)
    if end < len(lines) and not lines[end].strip() and (start == 0 or not lines[start - 1].strip()):
        end += 1  # the blank line after it, when one was before it too
    elif index == len(items) - 1 and start > 0 and not lines[start - 1].strip():
        start -= 1
    return "".join(lines[:start] + lines[end:])


def _dash(lines: list[str], items: CommentedSeq, index: int) -> int:
    line, col = items.lc.item(index)
    before = lines[line][:col].rstrip()
    if not before.endswith("-"):
        raise Refused("This list is written in one line ([a, b]): edit it in a text editor.")
    return len(before) - 1


def _first_line(lines: list[str], items: CommentedSeq, index: int) -> int:
    return int(items.lc.item(index)[0])


def _blank_before(lines: list[str], items: CommentedSeq, index: int) -> bool:
    line = _first_line(lines, items, index)
    return line > 0 and not lines[line - 1].strip()


def _end_line(lines: list[str], items: CommentedSeq, index: int, dash: int) -> int:
    """The line after the item's last line of its own (its trailing blank lines and comments stay outside)."""
    if index + 1 < len(items):
        end = _first_line(lines, items, index + 1)
    else:
        end = _first_line(lines, items, index) + 1
        while end < len(lines):
            line = lines[end]
            if line.strip() and not line.lstrip().startswith("#") and len(line) - len(line.lstrip()) <= dash:
                break
            end += 1
    start = _first_line(lines, items, index)
    while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _written(yaml: YAML, node: Any, dash: int) -> list[str]:
    """The new item as the file's loader writes a list item, its dash at column ``dash``."""
    out = io.StringIO()
    yaml.dump(CommentedSeq([node]), out)
    written = out.getvalue().splitlines(keepends=True)
    shift = dash - (len(written[0]) - len(written[0].lstrip()))
    if shift >= 0:
        return [(" " * shift + line) if line.strip() else line for line in written]
    return [line[-shift:] if line[:-shift].strip() == "" else line for line in written]


def add_key(yaml: YAML, text: str, mapping: Any, key: str, node: Any) -> str | None:
    """The text with a new key written as the mapping's last, before the blank lines and comments after it.

    None where the mapping is written in one line ({a: 1}) or empty: the caller writes the file another way.
    """
    if not isinstance(mapping, CommentedMap) or not mapping or mapping.fa.flow_style():
        return None
    lines = text.splitlines(keepends=True)
    line, col = mapping.lc.key(list(mapping)[-1])
    end = line + 1
    while end < len(lines):
        here = lines[end]
        if here.strip() and not here.lstrip().startswith("#") and len(here) - len(here.lstrip()) <= col:
            break
        end += 1
    while end - 1 > line and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    out = io.StringIO()
    yaml.dump(CommentedMap([(key, node)]), out)
    written = [(" " * col + part) if part.strip() else part for part in out.getvalue().splitlines(keepends=True)]
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join(lines[:end] + written + lines[end:])
