"""libyaml reads the content files as ruamel's Python reader does, or leaves them to it.

A build reads YAML with libyaml (ten times as fast) and falls back to the
Python reader, which places every error, for anything beyond plain data.
These tests hold the two to the same result: the same values, the same
line for every field, the same problems; and whatever the Python reader
refuses, libyaml's path never accepts.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from songphasa import content
from songphasa.content import YamlDoc, _fast_tree, _locate, _round_trip_tree
from songphasa.errors import ContentError

REPO = Path(__file__).resolve().parent.parent
#: Every YAML file of the repository an organizer could have written: the sample, the examples, the test events, the starter.
FILES = sorted(p for folder in ("content", "examples", "tests/events", "songphasa/starter")
               for p in (REPO / folder).rglob("*.yaml"))


def located(tree, places, text: str) -> tuple:
    doc = YamlDoc("x.yaml", None, room=len(text))
    data = _locate(tree, doc, "x", (), [], 1, places)
    return data, doc.lines, [(p.line, p.message) for p in doc.problems]


def both(text: str) -> tuple[tuple | None, tuple | None]:
    """What each reader makes of a text: (data, lines, problems), or None for an error (the Python reader) or a refusal."""
    tree, places = _fast_tree(text)
    fast = located(tree, places, text) if tree is not None else None
    try:
        slow = located(_round_trip_tree("x.yaml", text), None, text)
    except (ContentError, RecursionError):
        slow = None
    return fast, slow


def test_libyaml_is_there() -> None:
    # Without it every build reads with the Python reader: right, but ten times as slow.
    assert content._CLoader is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_content_file_of_the_repository_reads_alike_by_the_fast_path(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast, slow = both(text)
    assert fast is not None, "libyaml's path refused a plain content file: builds would be slow"
    assert fast == slow


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
@given(documents, st.booleans(), st.sampled_from([20, 80, 4096]))
def test_plain_data_in_block_style_takes_the_fast_path_and_reads_alike(data, flow: bool, width: int) -> None:
    text = dumped(data, flow, width)
    fast, slow = both(text)
    # In flow style ([a, b]) libyaml follows YAML 1.1 where the two differ (":x" in brackets): the Python reader reads it.
    assert fast is not None or flow, text
    assert fast == slow or fast is None


#: What an edit can put into a file: anchors and aliases, merges, tags, complex keys,
#: tabs, YAML 1.1 line ends, directives, quotes, bad indentation.
FRAGMENTS = ["&a ", "*a", "<<: *a\n", "!!omap ", "!!set ", "!foo ", "!!binary ", "? ", "? [x]\n: y\n", "\t", "\u2028",
             "\x85", "%YAML 1.1\n---\n", "---\n", "...\n", '"', "'", "  ", "\n  ", "- ", ": ", "{", "}", "[", "]",
             "#", "|\n", ">-\n", "2021-02-30", "0o17", "09:00", "yes", "~", "\\u00e9", "\ufeff", "\x00", "\x01"]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.booleans(), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(FRAGMENTS)),
                                          min_size=1, max_size=4))
def test_an_edited_file_reads_alike_or_goes_to_the_python_reader(data, flow: bool, edits) -> None:
    text = dumped(data, flow, 80)
    for position, fragment in edits:
        at = position % (len(text) + 1)
        text = text[:at] + fragment + text[at:]
    fast, slow = both(text)
    event("fast path" if fast is not None else "Python reader")
    if slow is None:
        assert fast is None, f"libyaml accepted what the Python reader refuses: {text!r}"
    elif fast is not None:
        assert fast == slow, text


def test_the_edits_do_reach_both_paths() -> None:
    # The property above is worth something only if some edited files take each path.
    accepted = refused = 0
    for fragment in FRAGMENTS:
        for text in (f"a: 1\nb: {fragment}x\n", f"a:\n- {fragment}\n- y\n"):
            fast, _ = both(text)
            accepted += fast is not None
            refused += fast is None
    assert accepted >= 10 and refused >= 10, (accepted, refused)


def test_an_alias_of_a_list_goes_to_the_python_reader_and_is_refused_at_its_line() -> None:
    text = "a: &x [1, 2]\nb: *x\n"
    assert _fast_tree(text) == (None, None)
    _, slow = both(text)
    assert slow[2] == [(2, "a YAML alias (*name) repeats a mapping or list")]
