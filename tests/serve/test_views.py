"""Tests for songphasa.serve.views: what the projector and the booths show, escaped, with changes marked."""

from __future__ import annotations

from songphasa.serve.state import Recommendation
from songphasa.serve.views import diffs_of, fonts_css, texts

PROPOSED = {"en": "Resolved that a committee be formed.", "lo": "ຕົກລົງວ່າ ໃຫ້ສ້າງຕັ້ງຄະນະກຳມະການ."}


def rec(status: str, confirmed: dict[str, str | None], unconfirmed: tuple[str, ...] = ()) -> Recommendation:
    return Recommendation("1.2", "1", {"en": "Topic", "lo": "ຫົວຂໍ້"}, status, PROPOSED, confirmed, unconfirmed)


def test_a_modified_text_is_shown_with_its_changes_marked_in_each_language() -> None:
    modified = rec("modified", {"en": "Resolved that a steering committee be formed.",
                                "lo": "ຕົກລົງວ່າ ໃຫ້ສ້າງຕັ້ງຄະນະຊີ້ນຳ."})
    en, lo = texts(modified, "en"), texts(modified, "lo")
    assert "<ins>steering </ins>" in en.shown
    assert "<del>" in lo.shown and "<ins>" in lo.shown
    assert not en.fresh and not lo.provisional


def test_what_changed_since_a_booth_last_looked_is_fresh() -> None:
    before = rec("modified", {"en": "Resolved that a steering committee be formed.", "lo": None}, ("lo",))
    after = rec("modified", {"en": "Resolved that a steering committee be formed soon.", "lo": None}, ("lo",))
    en = texts(after, "en", before)
    assert en.fresh and "<ins>" in en.shown and "soon" in en.shown
    lo = texts(after, "lo", before)
    assert not lo.fresh and lo.provisional


def test_content_is_escaped() -> None:
    hostile = rec("modified", {"en": "Resolved <script>alert(1)</script>", "lo": "<b>ຕົກລົງ</b>"})
    assert "<script>" not in texts(hostile, "en").shown and "&lt;script&gt;" in texts(hostile, "en").shown
    assert "<b>" not in diffs_of(hostile, ui="en")


def test_the_lao_web_font_is_served_by_the_session_and_named_in_the_lao_stack() -> None:
    css = fonts_css({"en": "Times New Roman", "lo": "Phetsarath OT"})
    assert 'url("/static/fonts/NotoSansLao-Regular.ttf")' in css
    assert ':lang(lo) { font-family: "Phetsarath OT", "Songphasa Lao"' in css
