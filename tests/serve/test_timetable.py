"""The organizer's timetable, lists and concept note: what each save does to the files, and what it refuses."""

from __future__ import annotations

from pathlib import Path

from ..chromium import Browser
from ..test_layout import browser  # noqa: F401 — the fixture: headless Chromium, once for this module
from .helpers import Live
from .test_browser import axe, overflow, reload_until, wait_for
from .test_edit import changed_lines, s  # noqa: F401 — s: the fixture, a live server on a copy of the sample
from .test_server import Server

AGENDA = Path("content/agenda.yaml")
EVENT = Path("content/event.yaml")
PEOPLE = Path("content/people.yaml")
NOTE = Path("content/concept-note.md")


def version(s: Live, file: str) -> str:
    return s.client.get(f"/api/content/{file}", headers=s.auth("organizer")).json()["version"]


def send(s: Live, file: str, body: dict, role: str = "organizer"):
    return s.client.put(f"/api/content/{file}", headers=s.auth(role), json={**body, "version": version(s, file)})


def text(s: Live, path: Path) -> str:
    return (s.root / path).read_text(encoding="utf-8")


def test_a_coffee_break_is_put_in_time_order_as_its_own_lines(s: Live) -> None:
    before = text(s, AGENDA)
    sessions = s.client.get("/api/content/agenda", headers=s.auth()).json()["data"]["sessions"]
    at = next(n for n, x in enumerate(sessions) if x["id"] == "experience-sharing")
    response = send(s, "agenda", {"path": ["sessions", at, "items"],
                                  "insert": {"id": "coffee", "start": "10:25", "kind": "coffee"}})
    assert response.status_code == 200, response.text
    after = text(s, AGENDA)
    assert changed_lines(before, after) == ['+      - id: coffee', '+        start: "10:25"', "+        kind: coffee"]
    # after the last item of its session, before the blank line that ends the session
    assert '{person: shim, language: en}\n      - id: coffee\n        start: "10:25"\n        kind: coffee\n\n' in after
    items = s.client.get("/api/content/agenda", headers=s.auth()).json()["data"]["sessions"][at]["items"]
    assert [i["id"] for i in items][-2:] == ["desa-support", "coffee"]
    lo = s.client.get("/preview/lo/agenda", headers=s.auth("organizer")).text
    assert "ພັກດື່ມກາເຟ" in lo and "10:25" in lo


def test_a_new_item_before_others_goes_where_its_time_says(s: Live) -> None:
    sessions = s.client.get("/api/content/agenda", headers=s.auth()).json()["data"]["sessions"]
    at = next(n for n, x in enumerate(sessions) if x["id"] == "experience-sharing")
    response = send(s, "agenda", {"path": ["sessions", at, "items"],
                                  "insert": {"id": "film", "start": "09:40", "title": "A short film",
                                             "speakers": [{"person": "alam", "language": "en"}]}})
    assert response.status_code == 200, response.text
    items = s.client.get("/api/content/agenda", headers=s.auth()).json()["data"]["sessions"][at]["items"]
    assert [i["id"] for i in items][:3] == ["lao-experience", "film", "international-experience"]
    assert "        speakers:\n          - {person: alam, language: en}\n      - id: international-experience" \
        in text(s, AGENDA)  # a speaker written in the file's own style


def test_an_overlapping_item_is_refused_with_the_builds_sentence_and_nothing_is_written(s: Live) -> None:
    before = text(s, AGENDA)
    sessions = s.client.get("/api/content/agenda", headers=s.auth()).json()["data"]["sessions"]
    at = next(n for n, x in enumerate(sessions) if x["id"] == "experience-sharing")
    response = send(s, "agenda", {"path": ["sessions", at, "items", 3, "start"], "value": "10:35"})
    assert response.status_code == 400
    assert "content/agenda.yaml:" in response.text
    assert "item 'decisions' starts at 10:30, before the item above it ('desa-support', 10:35)" in response.text
    assert text(s, AGENDA) == before


def test_an_item_taken_out_takes_its_own_lines_only(s: Live) -> None:
    before = text(s, AGENDA)
    sessions = s.client.get("/api/content/agenda", headers=s.auth()).json()["data"]["sessions"]
    at = next(n for n, x in enumerate(sessions) if x["id"] == "experience-sharing")
    response = send(s, "agenda", {"path": ["sessions", at, "items", 2], "value": None})
    assert response.status_code == 200, response.text
    removed = changed_lines(before, text(s, AGENDA))
    assert removed[0] == "-      - id: roadmap" and all(line.startswith("-") for line in removed)
    assert len(removed) == 5  # its id, start, title, speakers and the one speaker


def test_a_second_day_moves_the_sessions_under_the_first_and_sets_the_events_last_day(s: Live) -> None:
    before, event_before = text(s, AGENDA), text(s, EVENT)
    response = s.client.post("/api/content/agenda/days", headers=s.auth("organizer"),
                             json={"date": "2021-11-24", "start": "09:00", "end": "11:00", "session": "Field visit",
                                   "item": "Visit to the Vientiane Capital ODSC", "version": version(s, "agenda")})
    assert response.status_code == 200, response.text
    assert changed_lines(event_before, text(s, EVENT)) == ["+end_date: 2021-11-24"]
    after = text(s, AGENDA)
    # Whitespace aside, only lines were added: the day's, and the first day's heading; the comments are kept.
    squeeze = [line.strip() for line in changed_lines(before, after)]
    added = [line[1:].strip() for line in squeeze if line.startswith("+")]
    removed = [line[1:].strip() for line in squeeze if line.startswith("-")]
    for line in removed:
        added.remove(line)
    assert added == ["days:", "- date: 2021-11-23", "- date: 2021-11-24", 'start: "09:00"', 'end: "11:00"',
                     "sessions:", "- id: field-visit", "title: Field visit", "items:",
                     "- id: visit-to-the-vientiane-capital", 'start: "09:00"',
                     "title: Visit to the Vientiane Capital ODSC"]
    assert [line for line in before.splitlines() if line.startswith("#")] == \
        [line for line in after.splitlines() if line.startswith("#")]
    english = s.client.get("/preview/en/agenda", headers=s.auth("organizer")).text
    lao = s.client.get("/preview/lo/agenda", headers=s.auth("organizer")).text
    assert "Visit to the Vientiane Capital ODSC" in english and "24 November 2021" in english
    assert "24 ພະຈິກ 2021" in lao.replace("\xa0", " ")


def test_a_day_outside_the_week_or_badly_written_is_refused_and_nothing_changes(s: Live) -> None:
    before, event_before = text(s, AGENDA), text(s, EVENT)
    day = {"date": "24/11/2021", "start": "09:00", "end": "11:00", "session": "S", "item": "I"}
    bad = s.client.post("/api/content/agenda/days", headers=s.auth("organizer"),
                        json={**day, "version": version(s, "agenda")})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
    late = s.client.post("/api/content/agenda/days", headers=s.auth("organizer"),
                         json={**day, "date": "2021-11-24", "start": "13:00", "end": "12:00",
                               "version": version(s, "agenda")})
    assert late.status_code == 400 and "ends (12:00) before it starts (13:00)" in late.text
    assert s.client.post("/api/content/agenda/days", headers=s.auth("translator lo"),
                         json={**day, "version": version(s, "agenda")}).status_code == 403
    assert (text(s, AGENDA), text(s, EVENT)) == (before, event_before)


def test_a_person_added_through_the_list_keeps_the_files_blank_lines(s: Live) -> None:
    before = text(s, PEOPLE)
    response = send(s, "people", {"path": [], "insert": {"id": "keo", "honorific": "Ms.", "name": "Keo Phommachanh",
                                                         "position": "Director of Planning", "organization": "moha"}})
    assert response.status_code == 200, response.text
    assert changed_lines(before, text(s, PEOPLE)) == [
        "+", "+- id: keo", "+  honorific: Ms.", "+  name: Keo Phommachanh", "+  position: Director of Planning",
        "+  organization: moha"]
    unknown = send(s, "people", {"path": [], "insert": {"id": "x", "name": "X", "position": "Y", "organization": "mof"}})
    assert unknown.status_code == 400 and "unknown organization 'mof'" in unknown.text


def test_two_organizers_on_one_field_the_second_gets_the_conflict(s: Live) -> None:
    seen = version(s, "event")
    first = s.client.put("/api/content/event", headers=s.auth("organizer"),
                         json={"path": ["venue", "city"], "value": "Pakse", "version": seen})
    second = s.client.put("/api/content/event", headers=s.auth("organizer"),
                          json={"path": ["venue", "city"], "value": "Luang Prabang", "version": seen})
    assert first.status_code == 200 and second.status_code == 409 and "changed meanwhile" in second.text
    assert "venue.city now says: 'Pakse'; yours: 'Luang Prabang'" in second.text
    # The form sends what the field said when it was shown: a field nobody else changed is saved.
    other = s.client.put("/api/content/event", headers=s.auth("organizer"),
                         json={"path": ["venue", "online"], "value": "Teams", "version": seen, "was": "Zoom"})
    assert other.status_code == 200, other.text
    assert "city: Pakse" in text(s, EVENT) and "online: Teams" in text(s, EVENT)
    again = s.client.put("/api/content/event", headers=s.auth("organizer"),
                         json={"path": ["venue", "city"], "value": "Luang Prabang", "version": seen, "was": "Vientiane"})
    assert again.status_code == 409 and "now says: 'Pakse'" in again.text
    assert "city: Pakse" in text(s, EVENT)


def test_the_forms_offer_the_events_people_organizations_and_kinds(s: Live) -> None:
    agenda = s.client.get("/edit/agenda", headers=s.auth("organizer")).text
    assert '<option value="manixay" selected>H. E. Mr. Thongchanh Manixay — Minister of Home Affairs</option>' in agenda
    assert '<option value="coffee">coffee</option>' in agenda
    assert "Add a day" in agenda and "Add an item or a break to this session" in agenda
    people = s.client.get("/edit/people", headers=s.auth("organizer")).text
    assert '<legend>manixay</legend>' in people and '<option value="moha">Ministry of Home Affairs</option>' in people
    event = s.client.get("/edit/event", headers=s.auth("organizer")).text
    assert 'id="field-venue-place" data-path=\'["venue", "place"]\'' in event


def test_the_concept_note_is_previewed_as_typed_and_saved_only_when_the_build_reads_it(s: Live) -> None:
    before = text(s, NOTE)
    typed = before.replace("# Objectives {#objectives}", "# Draft objectives {#objectives}", 1)
    preview = s.client.post("/fragments/edit/concept-note/en", headers=s.auth("organizer"), json={"text": typed})
    assert preview.status_code == 200 and "Draft objectives" in preview.text
    assert text(s, NOTE) == before  # a preview writes nothing
    saved = send(s, "concept_note", {"text": typed})
    assert saved.status_code == 200, saved.text
    assert changed_lines(before, text(s, NOTE)) == ["-# Objectives {#objectives}", "+# Draft objectives {#objectives}"]
    stale = s.client.put("/api/content/concept_note", headers=s.auth("organizer"),
                         json={"text": before, "version": "0" * 16})
    assert stale.status_code == 409 and text(s, NOTE) == typed
    assert send(s, "concept_note", {"text": before}, role="translator lo").status_code == 403


# --- in the browser: an organizer's afternoon -------------------------------------------------------------------

FILL = """(() => {{ const box = document.querySelector({box}); {sets}
  box.querySelector('button').click(); return 1; }})()"""


def fill(box: str, **values: str) -> str:
    sets = " ".join(f"box.querySelector('[data-name={name}]').value = {value!r};" for name, value in values.items())
    return FILL.format(box=repr(box), sets=sets)


def frame_text(browser: Browser, page: str, language: str) -> str:
    """The text of the preview beside the form (the frame is sandboxed: its page is opened as the frame has it)."""
    src = browser.evaluate(page, f"document.querySelector('iframe[data-language={language}]').src")
    tab = browser.open_url(src, width=1000, height=800)
    try:
        return str(browser.evaluate(tab, "document.body.innerText"))
    finally:
        browser.evaluate(tab, "location.href = 'about:blank', 1")


def test_an_organizer_adds_a_break_a_day_and_a_person_and_moves_the_venue(browser: Browser, project: Path) -> None:
    files = {p: (project / p).read_text(encoding="utf-8") for p in (AGENDA, EVENT, PEOPLE)}
    server = Server(project)
    try:
        page = browser.open_url(server.url("organizer", "/edit/agenda"), width=1280, height=1000)
        assert wait_for(browser, page, "document.querySelectorAll('fieldset.new-item').length > 1", 15_000)
        assert axe(browser, page) == []
        for width in (390, 1280):  # a phone reads it stacked; nothing wider than the screen
            assert overflow(browser, page, width) <= 0, width
        # A coffee break at the end of the experience-sharing session (the second one).
        assert reload_until(browser, page, fill("#session-sessions-1 fieldset.new-item", start="10:25", kind="coffee"),
                            "[...document.querySelectorAll('input')].some(i => i.value === '10:25')", 20_000)
        # A second day.
        assert reload_until(browser, page, fill("#new-day", date="2021-11-24", start="09:00", end="11:00",
                                                session="Field visit", item="Visit to the Vientiane Capital ODSC"),
                            "document.querySelectorAll('section.day').length === 2", 20_000)
        # The previews beside the form show the new agenda in both languages.
        lao = frame_text(browser, page, "lo")
        assert "ພັກດື່ມກາເຟ" in lao and "10:25" in lao, lao[:400]
        assert "24 ພະຈິກ 2021" in lao.replace("\xa0", " ")
        english = frame_text(browser, page, "en")
        assert "Coffee break" in english and "Visit to the Vientiane Capital ODSC" in english
        # An item moved to overlap the next one: the build's sentence at its row, nothing written.
        agenda_now = (project / AGENDA).read_text(encoding="utf-8")
        browser.evaluate(page, """(() => { const f = document.getElementById('f-days-0-sessions-1-items-1-start');
          f.value = '09:20'; f.dispatchEvent(new Event('change', {bubbles: true})); return 1; })()""")
        message = "document.getElementById('item-days-0-sessions-1-items-1').querySelector('.message').textContent"
        assert wait_for(browser, page, f"{message}.includes('before the item above it')", 15_000), \
            browser.evaluate(page, message)
        assert "content/agenda.yaml:" in browser.evaluate(page, message)
        assert (project / AGENDA).read_text(encoding="utf-8") == agenda_now
        # A person, in the people's form.
        people = browser.open_url(server.url("organizer", "/edit/people"), width=1280, height=1000)
        assert reload_until(browser, people, fill("fieldset.new-record", id="keo", honorific="Ms.",
                                                  name="Keo Phommachanh", position="Director of Planning",
                                                  organization="moha"),
                            "[...document.querySelectorAll('input')].some(i => i.value === 'Keo Phommachanh')", 20_000)
        # The venue, in the event's form.
        event = browser.open_url(server.url("organizer", "/edit/event"), width=1280, height=1000)
        browser.evaluate(event, """(() => { const f = document.getElementById('field-venue-city');
          f.value = 'Luang Prabang'; f.dispatchEvent(new Event('change', {bubbles: true})); return 1; })()""")
        assert wait_for(browser, event, "document.getElementById('field-venue-city-message').textContent"
                                        " === document.body.dataset.said ? false : "
                                        "JSON.parse(document.body.dataset.said).saved === "
                                        "document.getElementById('field-venue-city-message').textContent", 15_000)
        for other in (people, event):
            assert axe(browser, other) == []
        for width in (1280, 390):
            assert overflow(browser, event, width) <= 0, width
    finally:
        server.stop()
    # What the files say: only those lines changed, the comments kept.
    assert changed_lines(files[PEOPLE], (project / PEOPLE).read_text(encoding="utf-8")) == [
        "+", "+- id: keo", "+  honorific: Ms.", "+  name: Keo Phommachanh", "+  position: Director of Planning",
        "+  organization: moha"]
    assert changed_lines(files[EVENT], (project / EVENT).read_text(encoding="utf-8")) == [
        "+end_date: 2021-11-24", "-  city: Vientiane", "+  city: Luang Prabang"]
    agenda = (project / AGENDA).read_text(encoding="utf-8")
    assert '          - id: coffee\n            start: "10:25"\n            kind: coffee\n' in agenda  # under its day
    assert [line for line in files[AGENDA].splitlines() if line.startswith("#")] == \
        [line for line in agenda.splitlines() if line.startswith("#")]


def test_a_session_added_gets_ids_for_itself_and_its_item_and_goes_where_its_time_says(s: Live) -> None:
    before = text(s, AGENDA)
    response = send(s, "agenda", {"path": ["sessions"], "insert": {"title": "Press conference",
                                                                   "items": [{"start": "11:35", "title": "Questions"}]}})
    assert response.status_code == 200, response.text
    sessions = s.client.get("/api/content/agenda", headers=s.auth()).json()["data"]["sessions"]
    assert [x["id"] for x in sessions][-3:] == ["summary", "press-conference", "closing"]
    assert sessions[-2]["items"] == [{"id": "questions", "start": "11:35", "title": "Questions"}]
    assert all(line.startswith("+") for line in changed_lines(before, text(s, AGENDA)))


def test_the_concept_notes_preview_marks_the_paragraph_being_typed_in_both_languages(s: Live) -> None:
    typed = text(s, NOTE)
    near = "The overarching objective of the workshop"
    english = s.client.post("/fragments/edit/concept-note/en", headers=s.auth("organizer"),
                            json={"text": typed, "near": near}).text
    lao = s.client.post("/fragments/edit/concept-note/lo", headers=s.auth("organizer"),
                        json={"text": typed, "near": near}).text
    assert 'id="entry"' in english and 'id="entry"' in lao
    marked = english.split('id="entry"')[1].split("</p>")[0]
    assert near in marked
    lao_marked = lao.split('id="entry"')[1].split("</p>")[0]
    assert lao_marked.split(">", 1)[1].startswith("ຈຸດປະສົງລວມຂອງກອງປະຊຸມ"), lao_marked[:300]


def test_a_venue_moved_from_a_ministry_to_a_hall_is_saved_as_one_change(s: Live) -> None:
    before = text(s, EVENT)
    alone = send(s, "event", {"path": ["venue", "name"], "value": "Luang Prabang Provincial Hall", "was": None})
    assert alone.status_code == 400 and "both 'place' and 'name'" in alone.text
    both = send(s, "event", {"path": ["venue", "place"], "value": None, "was": "moha",
                             "also": [{"path": ["venue", "name"], "value": "Luang Prabang Provincial Hall"}]})
    assert both.status_code == 200, both.text
    # The new key is written under its group, before the blank line that ends it.
    assert changed_lines(before, text(s, EVENT)) == ["-  place: moha", "+  name: Luang Prabang Provincial Hall"]
    assert "  name: Luang Prabang Provincial Hall\n\nadmission:" in text(s, EVENT)


def test_an_empty_list_takes_its_first_item_from_the_form(s: Live) -> None:
    path = s.root / "content" / "participants.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("participants:")[0] + "participants: []\n", encoding="utf-8")
    response = send(s, "participants", {"path": ["participants"],
                                        "insert": {"name": {"en": "Vanida Souvannavong", "lo": "ວັນນິດາ ສຸວັນນະວົງ"},
                                                   "position": {"en": "Director", "lo": "ຫົວໜ້າກົມ"},
                                                   "organization": "moha"}})
    assert response.status_code == 200, response.text
    assert "participants:\n  - id: vanida-souvannavong\n    name:\n      en: Vanida Souvannavong\n" in \
        text(s, Path("content/participants.yaml"))  # a block list, and an id made from the name
    form = s.client.get("/edit/participants", headers=s.auth("organizer")).text
    assert 'data-path=\'["participants", 0, "name", "lo"]\' lang="lo" value="ວັນນິດາ ສຸວັນນະວົງ"' in form
    assert 'data-name="name.lo" lang="lo"' in form  # and a new participant's name in each language


def test_a_day_sent_with_objects_for_titles_is_refused(s: Live) -> None:
    before = text(s, AGENDA)
    response = s.client.post("/api/content/agenda/days", headers=s.auth("organizer"),
                             json={"date": "2021-11-24", "start": "09:00", "end": "11:00",
                                   "session": {"title": "Field visit"}, "item": "Visit",
                                   "version": version(s, "agenda")})
    assert response.status_code == 400 and "are texts" in response.text
    assert text(s, AGENDA) == before
