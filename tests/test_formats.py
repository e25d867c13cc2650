"""Dates, times and numbers as each language's documents write them, and the Lao-digit switch."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from lxml import html as lxml_html

from songphasa.formats import Formats, lao_digits

from .conftest import build, copy_project

DOCUMENTS = ("concept-note", "agenda", "recommendations", "outcome")  # the sample's documents

REPO = Path(__file__).resolve().parent.parent
DAY = dt.date(2021, 11, 23)  # a Tuesday
WESTERN = re.compile(r"[0-9]")
LAO_DIGIT = re.compile(r"[\u0ed0-\u0ed9]")


# --- the rules, one value at a time ---------------------------------------------


def test_lao_date_reads_as_government_documents_write_it() -> None:
    assert Formats("lo").date(DAY) == "ວັນທີ 23 ພະຈິກ 2021"
    assert Formats("lo").date(DAY, weekday=True) == "ວັນອັງຄານ ທີ 23 ພະຈິກ 2021"
    assert Formats("lo").day_month(DAY) == "ວັນທີ 23 ພະຈິກ"


@pytest.mark.parametrize(
    ("day", "weekday"),
    [(dt.date(2021, 11, 21 + offset), name) for offset, name in enumerate(
        ["ວັນອາທິດ", "ວັນຈັນ", "ວັນອັງຄານ", "ວັນພຸດ", "ວັນພະຫັດ", "ວັນສຸກ", "ວັນເສົາ"])],
)
def test_every_lao_weekday_is_followed_by_ti(day: dt.date, weekday: str) -> None:
    assert Formats("lo").date(day, weekday=True) == f"{weekday} ທີ {day.day} ພະຈິກ 2021"


def test_english_date() -> None:
    assert Formats("en").date(DAY, weekday=True) == "Tuesday, 23 November 2021"
    assert Formats("en").date(DAY) == "23 November 2021"


def test_times_are_24_hour_in_lao_and_the_agenda() -> None:
    evening = dt.time(21, 5)
    assert Formats("lo").time(dt.time(9, 0)) == "09:00"
    assert Formats("lo").clock(evening) == "21:05"
    assert Formats("en").time(evening) == "21:05"
    assert Formats("en").clock(evening) == "21:05"  # one style throughout: 24-hour unless the event asks
    assert Formats("en", twelve_hour=True).clock(evening) == "9:05 PM"
    assert Formats("lo", twelve_hour=True).clock(evening) == "21:05"  # Lao documents are always 24-hour


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_numbers_group_thousands_with_commas(lang: str) -> None:
    assert format_decimal(10000, locale="lo") != "10,000"  # what CLDR would have said
    assert Formats(lang).number(10000) == "10,000"
    assert Formats(lang).number(1234.5) == "1,234.5"
    assert Formats(lang).number(30) == "30"


def test_lao_digit_switch_writes_dates_times_and_numbers_in_lao_digits() -> None:
    lao = Formats("lo", native_digits=True)
    assert lao.date(DAY) == "ວັນທີ ໒໓ ພະຈິກ ໒໐໒໑"
    assert lao.date(DAY, weekday=True) == "ວັນອັງຄານ ທີ ໒໓ ພະຈິກ ໒໐໒໑"
    assert lao.day_month(DAY) == "ວັນທີ ໒໓ ພະຈິກ"
    assert lao.time(dt.time(9, 0)) == "໐໙:໐໐"
    assert lao.clock(dt.time(21, 5)) == "໒໑:໐໕"
    assert lao.number(10000) == "໑໐,໐໐໐"
    assert lao_digits("0123456789") == "໐໑໒໓໔໕໖໗໘໙"


def test_lao_digit_switch_leaves_english_untouched() -> None:
    plain, switched = Formats("en"), Formats("en", native_digits=True)
    moment = dt.datetime(2021, 11, 23, 21, 5)
    for call in (lambda f: f.date(DAY, weekday=True), lambda f: f.day_month(DAY), lambda f: f.time(moment),
                 lambda f: f.clock(moment), lambda f: f.number(10000)):
        assert call(switched) == call(plain)
        assert not LAO_DIGIT.search(call(switched))


# --- the switch end to end: lao_digits in event.yaml --------------------------------




@pytest.fixture(scope="module")
def digit_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """The sample built twice: Western digits (the default) and Lao digits."""
    builds = {}
    for setting in (False, True):
        root = copy_project(tmp_path_factory.mktemp(f"lao-digits-{str(setting).lower()}"), lao_digits=str(setting).lower())
        build(root)
        builds[setting] = root / "output"
    return builds


def article(output: Path, lang: str, document: str) -> lxml_html.HtmlElement:
    tree = lxml_html.fromstring((output / lang / f"{document}.html").read_bytes())
    return tree.find(".//article")


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def computed_places(page: lxml_html.HtmlElement) -> list[str]:
    """Say every date, time, duration and total the tool computed on a page.

    The cover's date and clock lines, the agenda heading's date, time and total,
    and the time column of the agenda: none of these comes from a translator.
    """
    places = [text(p) for p in page.xpath(".//header[contains(@class, 'cover')]/p[contains(@class, 'center')]")
              if re.search(r"[0-9\u0ed0-\u0ed9]", text(p))]
    agenda = page.xpath(".//section[@id='agenda']")
    if agenda:
        places += [text(p) for p in agenda[0].xpath("./p[contains(@class, 'center')]")
                   if re.search(r"[0-9\u0ed0-\u0ed9]", text(p))]
        places += [text(row.xpath("./td")[0]) for row in agenda[0].xpath(".//tr[starts-with(@id, 'item-')]")]
    return places


@pytest.mark.parametrize("document", ["concept-note", "agenda"])
def test_lao_digits_switch_every_computed_date_time_and_number(digit_builds: dict[bool, Path],
                                                                document: str) -> None:
    western = computed_places(article(digit_builds[False], "lo", document))
    lao = computed_places(article(digit_builds[True], "lo", document))
    assert len(lao) == len(western) >= 4  # cover date and clock lines at least
    assert all(WESTERN.search(place) for place in western)
    assert [place for place in lao if WESTERN.search(place)] == []
    assert lao == [lao_digits(place) for place in western]
    joined = " ".join(lao)
    assert "ວັນອັງຄານ ທີ ໒໓ ພະຈິກ ໒໐໒໑" in joined
    assert "໐໙:໐໐–໑໒:໐໐" in joined  # Lao time, and the other zones after it
    if document == "agenda":
        assert "໐໙:໐໐–໐໙:໓໐" in joined and "(໓໐ " in joined  # the first item and its duration
        total = text(article(digit_builds[True], "lo", document).xpath(".//section[@id='agenda']/p")[-1])
        assert re.search(r"(^|\D)໓(\D|$)", total), total  # "Total: 3 hours"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_lao_digits_change_only_digits_of_the_lao_pages(digit_builds: dict[bool, Path], document: str) -> None:
    western = text(article(digit_builds[False], "lo", document))
    lao = text(article(digit_builds[True], "lo", document))
    assert len(lao) == len(western)
    changed = {(a, b) for a, b in zip(western, lao) if a != b}
    assert changed and all(b == lao_digits(a) for a, b in changed)
    # Every number of the Lao track switches, ids and numbers in translated text
    # included; only a number that is part of a Latin-letter code keeps its digits.
    kept = set(re.findall(r"\S*[0-9]\S*", lao))
    assert kept <= {"1819G"}, kept


def test_lao_docx_carries_the_lao_digits_too(digit_builds: dict[bool, Path]) -> None:
    with zipfile.ZipFile(digit_builds[True] / "lo" / "agenda.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    words = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body))
    assert "໐໙:໐໐–໐໙:໓໐" in words
    assert "09:00" not in words


def test_lao_digits_leave_the_english_output_byte_identical(digit_builds: dict[bool, Path]) -> None:
    english = sorted(p.relative_to(digit_builds[False]) for p in (digit_builds[False] / "en").iterdir())
    assert {p.suffix for p in english} == {".html", ".docx"}
    for name in english:
        assert (digit_builds[True] / name).read_bytes() == (digit_builds[False] / name).read_bytes(), name
        if name.suffix == ".html":
            assert not LAO_DIGIT.search((digit_builds[True] / name).read_text(encoding="utf-8")), name


def test_lao_digits_reach_numbers_in_translated_text_but_not_codes_or_addresses() -> None:
    from lxml import html as lxml_html

    from songphasa.write_html import native_digits
    body = lxml_html.fromstring(
        '<body lang="lo"><p>ພະນັກງານຈາກ 18 ກະຊວງ, ວາລະທີ 1: ຂໍ້ 1.1, 10,000 ຄົນ, ໂຄງການ 1819G, '
        'zhu2@un.org, https://un.org/2021 <span lang="en">Recommendation 2.1</span> ປີ 2021</p></body>')
    native_digits(body, "lo")
    assert " ".join(body.text_content().split()) == (
        "ພະນັກງານຈາກ ໑໘ ກະຊວງ, ວາລະທີ ໑: ຂໍ້ ໑.໑, ໑໐,໐໐໐ ຄົນ, ໂຄງການ 1819G, "
        "zhu2@un.org, https://un.org/2021 Recommendation 2.1 ປີ ໒໐໒໑")
