"""The language table: languages are data, and no other module names one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from songphasa import languages
from songphasa.formats import Formats

PACKAGE = Path(__file__).resolve().parent.parent / "songphasa"

#: A quoted language code of the table, or a \u escape into a script block of the table.
CODE = re.compile(r"""(?<![\w-])["'](?:lo|en|th|km|zh|fr|vi)["']""")
RANGE = re.compile(r"\\u0e[0-9a-f]{2}|\\u17[0-9a-f]{2}|U\+0E[0-9A-F]{2}", re.IGNORECASE)


def _hits(pattern: re.Pattern) -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "languages.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = pattern.search(line)
            if match and match.group()[1:-1] == "th" and re.search(r"\btag\b|[\"']t[dr][\"']", line):
                continue  # the HTML table-header tag, not Thai
            if match:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    return found


def test_no_module_but_the_table_names_a_language_code() -> None:
    assert _hits(CODE) == []


def test_no_module_but_the_table_names_a_script_range() -> None:
    assert _hits(RANGE) == []


def test_the_grep_finds_what_it_looks_for() -> None:
    assert CODE.search('if lang == "lo":') and CODE.search("OTHER = {'en': 1}")
    assert not CODE.search('"lo-LA"') and not CODE.search('tag in ("td", "th2")')
    assert RANGE.search(r're.compile(r"[\u0e80-\u0eff]")')


def test_every_entry_of_the_table_is_complete() -> None:
    for code in languages.known():
        language = languages.get(code)
        assert language.code == code and language.name and language.word_region.startswith(code)
        assert language.word_font
        if language.script is not languages.LATIN:
            assert language.script.ranges and language.script.word_slot in ("cs", "eastAsia")
        if language.script.digits:
            assert len(language.script.digits) == 10


@pytest.mark.parametrize(("code", "script", "slot", "attribute", "region"), [
    ("lo", "Lao", "cs", "bidi", "lo-LA"),
    ("th", "Thai", "cs", "bidi", "th-TH"),
    ("en", "Latin", "ascii", "val", "en-US"),
    ("zh", "Chinese", "eastAsia", "eastAsia", "zh-CN"),
])
def test_word_slots_come_from_the_table(code: str, script: str, slot: str, attribute: str, region: str) -> None:
    language = languages.get(code)
    assert (language.script.name, language.script.word_slot, language.word_lang_attribute, language.word_region) == \
        (script, slot, attribute, region)


def test_a_region_tag_finds_its_language_and_an_unknown_code_is_latin() -> None:
    assert languages.get("lo-LA").code == "lo" and languages.get("th_TH").code == "th"
    assert languages.get("de").script is languages.LATIN


def test_scripts_of_characters() -> None:
    assert languages.script_of("ກ").name == "Lao"
    assert languages.script_of("ก").name == "Thai"
    assert languages.script_of("a") is languages.LATIN


def test_native_digits() -> None:
    assert languages.native_digits("2021", "lo") == "໒໐໒໑"
    assert languages.native_digits("2021", "th") == "๒๐๒๑"
    assert languages.native_digits("2021", "en") == "2021"
    assert "໒໐๒๑".translate(languages.TO_WESTERN) == "2021"


def test_thai_is_cut_into_words_with_pythainlp() -> None:
    words = languages.segment("การประชุมเชิงปฏิบัติการ", "th")
    assert len(words) >= 2 and "".join(words) == "การประชุมเชิงปฏิบัติการ"


def test_thai_and_other_languages_format_from_cldr_and_lao_keeps_its_style() -> None:
    import datetime as dt
    day = dt.date(2021, 11, 23)
    assert Formats("lo").date(day) == "ວັນທີ 23 ພະຈິກ 2021"
    assert Formats("th").date(day) == "23 พฤศจิกายน 2021"
    assert Formats("th", native_digits=True).date(day) == "๒๓ พฤศจิกายน ๒๐๒๑"
    # settings.clock: 12-hour is for languages that write AM/PM; Thai and Lao stay 24-hour.
    assert Formats("th", twelve_hour=True).clock(dt.time(17, 0)) == "17:00"
    assert Formats("en", twelve_hour=True).clock(dt.time(17, 0)) == "5:00\u202fPM" or \
        Formats("en", twelve_hour=True).clock(dt.time(17, 0)) == "5:00 PM"


def test_a_lao_letter_cites_an_act_in_full_and_leaves_out_only_what_is_not_given() -> None:
    lao = languages.get("lo")
    signed = Formats("lo").date(dt.date(2021, 1, 12))
    assert lao.cite(act="ລັດຖະດຳລັດຂອງປະທານປະເທດ", subject="ການບໍລິການຜ່ານປະຕູດຽວ", number="02/ປປທ", date=signed) == \
        "ອີງຕາມ ລັດຖະດຳລັດຂອງປະທານປະເທດ ວ່າດ້ວຍ ການບໍລິການຜ່ານປະຕູດຽວ ເລກທີ 02/ປປທ, ລົງວັນທີ 12 ມັງກອນ 2021;"
    # As the sample has it until the decree's subject and date are known (and check warns): what it knows, no gaps.
    assert lao.cite(act="ລັດຖະດຳລັດຂອງປະທານປະເທດ", number="02") == "ອີງຕາມ ລັດຖະດຳລັດຂອງປະທານປະເທດ ເລກທີ 02;"
    assert languages.get("en").cite(act="Presidential Decree", subject="{x}", number="02/P") == \
        "Presidential Decree, {x}, No. 02/P;"
