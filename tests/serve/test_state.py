"""Tests for songphasa.serve.state: the state read from the files, provisional texts, a decision checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from songphasa.content.decide import Decision, decide
from songphasa.serve.state import Refused, parse_decision, read_state

from .helpers import MODIFIED_EN, MODIFIED_LO


def test_the_version_changes_with_the_files_and_only_with_them(project: Path) -> None:
    first, again = read_state(project), read_state(project)
    assert first.version == again.version
    decide(project, Decision("2.1", "accepted"))
    assert read_state(project).version != first.version


def test_a_fuzzy_translation_is_provisional(project: Path) -> None:
    decide(project, Decision("1.2", "modified", MODIFIED_EN, (("lo", MODIFIED_LO),)))
    assert read_state(project).find("1.2").unconfirmed == ()
    po = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    at = text.index(f'msgstr "{MODIFIED_LO}"')
    entry = text.rindex("\n\n", 0, at) + 2
    po.write_text(text[:entry] + "#, fuzzy\n" + text[entry:], encoding="utf-8")
    rec = read_state(project).find("1.2")
    assert rec.unconfirmed == ("lo",)
    assert rec.confirmed["lo"] == MODIFIED_LO  # shown, marked provisional


def test_an_accepted_recommendation_is_confirmed_as_proposed(project: Path) -> None:
    decide(project, Decision("2.1", "accepted"))
    rec = read_state(project).find("2.1")
    assert rec.confirmed == rec.proposed and not rec.provisional


def test_a_decision_is_made_as_decide_takes_it(project: Path) -> None:
    state = read_state(project)
    made = parse_decision(state, "1.2", {"status": "modified", "version": "v",
                                         "text": {"en": f"  {MODIFIED_EN}\n", "lo": MODIFIED_LO}})
    assert made == Decision("1.2", "modified", MODIFIED_EN, (("lo", MODIFIED_LO),))
    assert parse_decision(state, "1.2", {"status": "rejected", "version": "v", "text": {"en": "x"}}) == \
        Decision("1.2", "rejected")
    assert parse_decision(state, "1.2", {"status": "accepted", "version": "v", "text": {"en": "", "lo": ""}}) == \
        Decision("1.2", "accepted")


def test_a_translation_without_its_source_text_is_refused(project: Path) -> None:
    with pytest.raises(Refused, match="confirmed text in English"):
        parse_decision(read_state(project), "1.2", {"status": "accepted", "version": "v", "text": {"lo": "ຕົກລົງ"}})
