"""Tests for songphasa.checks.text: what a text is made of, and how findings quote it."""

from __future__ import annotations

from songphasa.checks.text import clean, phrase, prose, quote


def test_clean_composes_a_split_vowel_and_drops_zero_width_characters() -> None:
    assert clean("ນ\u0ecd\u0ec9\u0eb2 ກອງ\u200bປະຊຸມ") == "ນ\u0ec9\u0eb3 ກອງປະຊຸມ"


def test_a_phrase_is_found_where_it_touches_text_of_another_script() -> None:
    pattern = phrase("One-Door Service Centre", "(?:e?s)?", True)
    assert pattern.search("ກ່ຽວກັບone door service centresຢູ່")
    assert not pattern.search("One Door Service Centrexyz")


def test_prose_leaves_out_addresses_and_placeholders_but_keeps_link_text() -> None:
    text = prose("See [the agenda](https://example.org/a) at {time}, or write to info@example.org")
    assert "the agenda" in text
    assert not any(part in text for part in ("example.org", "{time}", "info@"))


def test_a_quote_stays_on_one_line_and_short() -> None:
    assert quote("a\nb") == "'a b'"
    assert quote("x" * 100, 10) == "'xxxxxxxxx…'"

