"""Tests for songphasa.checks.store: tables of answers in a sealed file, read back only under their key."""

from __future__ import annotations

from pathlib import Path

from songphasa import cache
from songphasa.checks.store import Store


def test_answers_are_read_back_under_the_key_they_were_written_under(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    store = Store(path, "key 1", ("words",))
    assert not store.read_back
    store.table("words", ["ກອງ"])["ກອງ"] = True
    store.changed()
    store.save()
    again = Store(path, "key 1", ("words",))
    assert again.read_back and again.table("words", ["ກອງ"]) == {"ກອງ": True}
    assert not Store(path, "key 2", ("words",)).read_back  # made of something else
    assert not Store(path, "key 1", ("words", "more")).read_back  # another layout


def test_a_file_this_user_did_not_seal_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(bytes(cache.SEAL_SIZE) + b'{"words": {"x": true}}')
    assert not Store(path, "key", ("words",)).read_back


def test_nothing_is_written_when_nothing_was_added_or_there_is_no_file(tmp_path: Path) -> None:
    Store(tmp_path / "answers.json", "key", ("words",)).save()
    assert not (tmp_path / "answers.json").exists()
    store = Store(None, "key", ("words",))
    store.table("words", ["x"])["x"] = 1
    store.changed()
    store.save()
    assert list(tmp_path.iterdir()) == []


def test_past_its_limit_a_store_keeps_only_what_this_run_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    store = Store(path, "key", ("words",), limit=2)
    store.table("words", ["a", "b", "c"]).update(a=1, b=2, c=3)
    store.changed()
    store.save()
    assert Store(path, "key", ("words",), limit=2).table("words", []) == {"a": 1, "b": 2, "c": 3}  # all asked for
    later = Store(path, "key", ("words",), limit=2)
    later.table("words", ["a"])
    later.table("words", ["d"])["d"] = 4
    later.changed()
    later.save()
    assert Store(path, "key", ("words",)).table("words", []) == {"a": 1, "d": 4}
