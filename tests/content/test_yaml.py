"""One YAML reader, ruamel's round-trip one, reads every content file: values, the line of each, or a plain error.

The fast path through libyaml is gone (it saved under 6 % of a clean build);
these properties hold the one reader to what organizers write and to what an
edit can break: plain data reads back as written, with a line for every
field, and whatever is broken is a ContentError, never another exception.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from songphasa.content.text import Text
from songphasa.content.yaml import load_yaml, parse_yaml
from songphasa.errors import ContentError, SongphasaError

REPO = Path(__file__).resolve().parent.parent.parent
#: Every YAML file of the repository an organizer could have written: the sample, the examples, the test events, the starter.
#: Examples of random bytes per run; SONGPHASA_FUZZ_EXAMPLES=1000 for a long hunt (as tests/test_fuzz.py).
FUZZ_EXAMPLES = int(os.environ.get("SONGPHASA_FUZZ_EXAMPLES", "40"))
FILES = sorted(p for folder in ("content", "examples", "tests/events", "songphasa/starter")
               for p in (REPO / folder).rglob("*.yaml"))


def read(text: str) -> tuple:
    """What the reader makes of a text: ("read", data, lines), or ("refused", [(line, message), …])."""
    try:
        doc = parse_yaml("x.yaml", text, "x")
    except ContentError as exc:
        return "refused", [(p.line, p.message) for p in exc.problems]
    return "read", doc.data, doc.lines


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
    assert found[0] == "read", found


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
    assert found[0] == "read", (text, found)
    _, read_data, lines = found
    assert plain(read_data) == joined(data), text
    assert set(paths(read_data)) <= set(lines)
    assert all(1 <= line <= text.count("\n") + 1 for line in lines.values())


#: What an edit can put into a file: anchors and aliases, merges, tags, complex keys,
#: tabs, YAML 1.1 line ends, directives, quotes, bad indentation.
FRAGMENTS = ["&a ", "*a", "<<: *a\n", "!!omap ", "!!set ", "!foo ", "!!binary ", "? ", "? [x]\n: y\n", "\t", "\u2028",
             "\x85", "%YAML 1.1\n---\n", "---\n", "...\n", '"', "'", "  ", "\n  ", "- ", ": ", "{", "}", "[", "]",
             "#", "|\n", ">-\n", "2021-02-30", "0o17", "09:00", "yes", "~", "\\u00e9", "\ufeff", "\x00", "\x01"]


def outcome(text: str) -> str:
    """Read a text: "read" (data) or "refused" (a ContentError with its problems)."""
    return read(text)[0]


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
    assert read("a: &x [1, 2]\nb: *x\n") == ("refused", [(2, "a YAML alias (*name) repeats a mapping or list")])


def test_the_ids_of_a_file_start_with_its_prefix_or_with_its_own_ids() -> None:
    data = parse_yaml("content/recipients.yaml", "letter:\n  subject: Invitation\n", "").data
    assert data["letter"]["subject"].context == "letter.subject"
    data = parse_yaml("content/people.yaml", "- id: zhu\n  name: Juwang Zhu\n", "people").data
    assert (data[0]["name"].context, data[0]["name"].line) == ("people.zhu.name", 2)


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=2000),
                      st.lists(st.sampled_from([b"a: ", b"- ", b"&x ", b"*x ", b"[", b"]", b"{", b"}", b": ", b"\n",
                                                b"  ", b"'", b'"', b"!!python/object:os.system ", b"<<: *x", b"#",
                                                b"\xef\xbb\xbf", b"\xff", b"\x00", b"2021-02-30", b"9" * 400,
                                                b"%YAML 1.1\n", b"---\n", b"...\n", b"? ", b"|\n", b">-\n"]),
                               max_size=60).map(b"".join)))
def test_the_yaml_reader_takes_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    """Random bytes as a content file: a plain error or data, never a crash, a hang or code run."""
    folder = tmp_path_factory.mktemp("yaml", numbered=True)
    (folder / "content").mkdir()
    path = folder / "content" / "contacts.yaml"
    path.write_bytes(data)
    try:
        load_yaml(path, folder)
    except SongphasaError as exc:
        assert exc.problems and all(str(problem).startswith("content/contacts.yaml") for problem in exc.problems)
