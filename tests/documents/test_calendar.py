"""The calendar invitation: RFC 5545, read back by icalendar and by a second reader (vobject)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import vobject

from tests.conftest import build, copy_example

UTC = dt.timezone.utc


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_the_sample_is_09_00_to_12_00_in_vientiane_which_is_02_00_to_05_00_utc(built: Path) -> None:
    data = (built / "output" / "invitation.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    [event] = _events(data)
    assert event.decoded("dtstart").astimezone(UTC) == dt.datetime(2021, 11, 23, 2, 0, tzinfo=UTC)
    assert event.decoded("dtend").astimezone(UTC) == dt.datetime(2021, 11, 23, 5, 0, tzinfo=UTC)
    assert event["dtstart"].params["TZID"] == "Asia/Vientiane"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Vientiane"]
    assert b"DTSTART;TZID=Asia/Vientiane:20211123T090000" in data
    # The summary in the pair of languages; the organizer with an address to answer.
    assert str(event["summary"]) == ("Inter-ministerial Policy Workshop on One-Door-Service Centers / "
                                     "ກອງປະຊຸມປຶກສາຫາລືດ້ານນະໂຍບາຍລະຫວ່າງກະຊວງ ກ່ຽວກັບສູນບໍລິການຜ່ານປະຕູດຽວ")
    assert str(event["organizer"]) == "mailto:prabin.maharjan@un.org"
    assert event["organizer"].params["CN"] == "Prabin Maharjan"


def test_a_second_reader_gets_the_same_instants(built: Path) -> None:
    parsed = vobject.readOne((built / "output" / "invitation.ics").read_text(encoding="utf-8"))
    [event] = parsed.vevent_list
    assert event.dtstart.value.astimezone(UTC) == dt.datetime(2021, 11, 23, 2, 0, tzinfo=UTC)
    assert event.dtend.value.astimezone(UTC) == dt.datetime(2021, 11, 23, 5, 0, tzinfo=UTC)
    assert "ກອງປະຊຸມ" in event.summary.value


def test_two_days_are_two_events_each_at_its_own_hours(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    build(root)
    data = (root / "output" / "invitation.ics").read_bytes()
    events = _events(data)
    assert [e.decoded("dtstart").astimezone(UTC) for e in events] == [
        dt.datetime(2022, 3, 15, 1, 30, tzinfo=UTC), dt.datetime(2022, 3, 16, 1, 30, tzinfo=UTC)]
    assert len({str(e["uid"]) for e in events}) == 2
    assert str(events[1]["summary"]).endswith("(2/2)")
    assert len(vobject.readOne(data.decode("utf-8")).vevent_list) == 2


@pytest.mark.parametrize("epoch", ["1637625600", None])
def test_the_file_depends_on_the_content_only(built: Path, tmp_path: Path, monkeypatch, epoch) -> None:
    from songphasa.content.load import load_event
    from songphasa.documents.calendar import invitation
    if epoch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    content = load_event(built)
    assert invitation(content, {}, ("en",)) == invitation(content, {}, ("en",))
    assert b"DTSTAMP:" in invitation(content, {}, ("en",))
