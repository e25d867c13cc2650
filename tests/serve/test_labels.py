"""Tests for the session's pages in each screen's language (songphasa/serve/locales/<lang>.po)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from songphasa.i18n.po import first, read_catalog
from songphasa.serve import views
from songphasa.serve.labels import LOCALES, catalog, shipped
from songphasa.serve.state import Recommendation, State
from tools.session_catalog import page_strings

from .helpers import Live, live

PLACEHOLDER = re.compile(r"%\(\w+\)s")


@pytest.fixture
def s(project: Path):
    made = live(project)
    with made.client:
        yield made


@pytest.mark.parametrize("lang", [code for code in shipped() if code != "en"])
def test_every_string_of_the_pages_is_translated_with_its_placeholders(lang: str) -> None:
    used = {m.id for m in page_strings() if m.id}
    path = Path(str(LOCALES / f"{lang}.po"))
    catalog = read_catalog(path, path.parent, locale=lang)
    entries = {m.id: m for m in catalog if m.id}
    assert set(entries) == used, "run python -m tools.session_catalog, then translate"
    for msgid, message in entries.items():
        said = first(message.string)
        assert said and not message.fuzzy, msgid
        assert sorted(PLACEHOLDER.findall(said)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def state_in(langs: tuple[str, ...]) -> State:
    said = {lang: f"text in {lang}" for lang in langs}
    rec = Recommendation("1.1", "1", said, "accepted", said, dict(said), ())
    return State(said, langs[0], langs, (rec,), "v1")


def test_a_thai_booth_says_its_own_words_in_thai_and_each_column_in_its_language() -> None:
    page = views.booth(state_in(("en", "lo", "th")), "1.1", "th", None)
    assert '<span class="status">รับรองแล้ว</span>' in page  # the booth's language: Accepted
    assert '<h3 lang="th">ร่างข้อเสนอแนะ</h3>' in page and '<h3 lang="lo">ຮ່າງຂໍ້ສະເໜີແນະ</h3>' in page
    assert '<h3 lang="en">Proposed recommendation</h3>' in page


def test_the_session_says_the_statuses_as_the_documents_do() -> None:
    # One set of Lao status names: the booths' and the secretariat's are the documents' (ລໍຖ້າພິຈາລະນາ, not ຮ່າງສະເໜີ).
    with (Path(__file__).resolve().parents[2] / "songphasa" / "locales" / "lo.po").open("rb") as handle:
        documents = {m.id: m.string for m in read_po(handle) if m.context == "status"}
    assert documents["Proposed"] == "ລໍຖ້າພິຈາລະນາ"
    for status in ("proposed", "accepted", "modified", "rejected"):
        assert str(views.say("lo", views.STATUS_NAMES[status])) == documents[status.capitalize()]
    assert not [text for text in catalog("lo").values() if "ຮ່າງສະເໜີ" in text]


def test_a_language_songphasa_has_no_words_for_shows_english_and_says_so() -> None:
    page = views.booth(state_in(("en", "fr")), "1.1", "fr", None)
    assert '<span class="status">Accepted</span>' in page
    assert '<h2 id="booth-fr" lang="en">French</h2>' in page  # the French column's label, in English, marked so
    assert '<p class="confirmed" lang="fr">' in page  # the text itself stays French


def test_the_lao_booth_page_is_lao_and_the_english_one_english(s: Live) -> None:
    lao = s.client.get("/booth/lo", headers=s.auth("booth lo")).text
    assert '<html lang="lo">' in lao
    assert "<h1>ຫ້ອງແປພາສາ: ແປເປັນພາສາລາວ</h1>" in lao
    assert "ກຳລັງເຊື່ອມຕໍ່…" in lao
    english = s.client.get("/booth/en", headers=s.auth("booth en")).text
    assert '<html lang="en">' in english and "<h1>Booth: into English</h1>" in english


def test_the_secretariat_chooses_its_pages_language(s: Live) -> None:
    english = s.client.get("/secretariat", headers=s.auth()).text
    assert "Secretariat: record the decisions" in english and 'hreflang="lo"' in english
    lao = s.client.get("/secretariat?ui=lo", headers=s.auth()).text
    assert '<html lang="lo">' in lao and "ກອງເລຂາ: ບັນທຶກການຕົກລົງ" in lao
    assert "ຂໍ້ຄວາມທີ່ຮັບຮອງ ເປັນພາສາອັງກິດ" in lao  # "Confirmed text in English", the language named in Lao
    assert s.client.get("/secretariat?ui=xx", headers=s.auth()).text.count('<html lang="en">') == 1
