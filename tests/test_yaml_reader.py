"""One reader, ruamel's round-trip one, reads every content file: values, the line of each, or a plain error.

The fast path through libyaml is gone (it saved under 6 % of a clean build);
these properties hold the one reader to what organizers write and to what an
edit can break: plain data reads back as written, with a line for every
field, and whatever is broken is a ContentError, never another exception.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from songphasa.content import Text, YamlDoc, _locate, _round_trip_tree
from songphasa.errors import ContentError

REPO = Path(__file__).resolve().parent.parent
#: Every YAML file of the repository an organizer could have written: the sample, the examples, the test events, the starter.
FILES = sorted(p for folder in ("content", "examples", "tests/events", "songphasa/starter")
               for p in (REPO / folder).rglob("*.yaml"))


def read(text: str) -> tuple | None:
    """What the reader makes of a text: (data, lines, problems), or None for an error."""
    doc = YamlDoc("x.yaml", None, room=len(text))
    try:
        data = _locate(_round_trip_tree("x.yaml", text), doc, "x", (), [], 1)
    except (ContentError, RecursionError):
        return None
    return data, doc.lines, [(p.line, p.message) for p in doc.problems]


def plain(node: object) -> object:
    """The data as the organizer meant it: each text as the reader gives it (its spaces joined)."""
    if isinstance(node, Text):
        return node.source
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    return node


def joined(node: object) -> object:
    if isinstance(node, str):
        return " ".join(node.split())
    if isinstance(node, dict):
        return {str(key): joined(value) for key, value in node.items()}
    if isinstance(node, list):
        return [joined(value) for value in node]
    return node


def paths(node: object, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        found += [p for key, value in node.items() for p in paths(value, path + (str(key),))]
    elif isinstance(node, list):
        found += [p for index, value in enumerate(node) for p in paths(value, path + (index,))]
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_content_file_of_the_repository_reads_without_a_problem(path: Path) -> None:
    found = read(path.read_text(encoding="utf-8"))
    assert found is not None and found[2] == []


# Plain data as organizers write it: Lao and English text, numbers, dates, lists of mappings.
LAO = "ກຂຄງຈຊຍດຕຖທນບປຜຝພຟມຢຣລວສຫອຮະັາິີຶືຸູເແໂໃໄ່້໊໋ໍ"
words = st.text(alphabet=st.sampled_from(LAO + "abcXYZ019 .,:;-'\"#&*!?()[]{}%@`|>\n\t\u200b"), max_size=40)
scalars = st.one_of(words, st.integers(-10**6, 10**6), st.booleans(), st.none(),
                    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), st.integers(-10**6, 10**6).map(lambda n: n / 100))
keys = st.text(alphabet=st.sampled_from("abcdefghij_-"), min_size=1, max_size=8)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(keys, inner, max_size=4)), max_leaves=25)
documents = st.dictionaries(keys, values, min_size=1, max_size=6)


def dumped(data, flow: bool, width: int) -> str:
    yaml = YAML(typ="rt")
    yaml.default_flow_style = flow
    yaml.width = width
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from([20, 80, 4096]))
def test_plain_data_reads_back_as_written_with_a_line_for_every_field(data, width: int) -> None:
    # Block style, as organizers write: ruamel's own flow-style dump of "?0" is not YAML that reads back as "?0".
    text = dumped(data, False, width)
    found = read(text)
    assert found is not None, text
    read_data, lines, problems = found
    assert problems == []
    assert plain(read_data) == joined(data), text
    assert set(paths(read_data)) <= set(lines)
    assert all(1 <= line <= text.count("\n") + 1 for line in lines.values())


#: What an edit can put into a file: anchors and aliases, merges, tags, complex keys,
#: tabs, YAML 1.1 line ends, directives, quotes, bad indentation.
FRAGMENTS = ["&a ", "*a", "<<: *a\n", "!!omap ", "!!set ", "!foo ", "!!binary ", "? ", "? [x]\n: y\n", "\t", "\u2028",
             "\x85", "%YAML 1.1\n---\n", "---\n", "...\n", '"', "'", "  ", "\n  ", "- ", ": ", "{", "}", "[", "]",
             "#", "|\n", ">-\n", "2021-02-30", "0o17", "09:00", "yes", "~", "\\u00e9", "\ufeff", "\x00", "\x01"]


def outcome(text: str) -> str:
    """Read a text: "read" (data), "problems" (read, with problems at their lines) or "refused" (a ContentError)."""
    found = read(text)
    if found is None:
        return "refused"
    return "problems" if found[2] else "read"


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.booleans(), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(FRAGMENTS)),
                                          min_size=1, max_size=4))
def test_an_edited_file_reads_or_is_refused_never_crashes(data, flow: bool, edits) -> None:
    text = dumped(data, flow, 80)
    for position, fragment in edits:
        at = position % (len(text) + 1)
        text = text[:at] + fragment + text[at:]
    event(outcome(text))  # any exception but ContentError fails the test


def test_the_edits_are_both_read_and_refused() -> None:
    # The property above is worth something only if some edited files are read and some refused.
    seen = [outcome(text) for fragment in FRAGMENTS for text in (f"a: 1\nb: {fragment}x\n", f"a:\n- {fragment}\n- y\n")]
    assert seen.count("read") >= 10 and seen.count("refused") >= 10, seen


def test_an_alias_of_a_list_is_refused_at_its_line() -> None:
    found = read("a: &x [1, 2]\nb: *x\n")
    assert found is not None and found[2] == [(2, "a YAML alias (*name) repeats a mapping or list")]
