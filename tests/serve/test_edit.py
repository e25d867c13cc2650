"""The organizer's forms: a content file edited field by field, its YAML diff that field's lines only."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from ..chromium import Browser
from ..test_layout import browser  # noqa: F401 — the fixture: headless Chromium, once for this module
from .helpers import Live, live
from .test_browser import axe, overflow, wait_for
from .test_server import Server

EVENT = Path("content/event.yaml")


@pytest.fixture
def s(project: Path):
    made = live(project)
    with made.client:
        yield made


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def put(s: Live, file: str, path: list, value: object, role: str = "organizer"):
    version = s.client.get(f"/api/content/{file}", headers=s.auth(role)).json()["version"]
    return s.client.put(f"/api/content/{file}", headers=s.auth(role), json={"path": path, "value": value, "version": version})


def test_changing_the_venue_changes_its_line_only_and_keeps_the_comments(s: Live) -> None:
    before = (s.root / EVENT).read_text(encoding="utf-8")
    response = put(s, "event", ["venue", "city"], "Luang Prabang")
    assert response.status_code == 200, response.text
    assert changed_lines(before, (s.root / EVENT).read_text(encoding="utf-8")) == [
        "-  city: Vientiane", "+  city: Luang Prabang"]
    assert s.client.get("/api/content/event", headers=s.auth()).json()["data"]["venue"]["city"] == "Luang Prabang"


def test_a_person_added_is_the_new_lines_at_the_end_of_people(s: Live) -> None:
    people = s.root / "content" / "people.yaml"
    before = people.read_text(encoding="utf-8")
    count = len(s.client.get("/api/content/people", headers=s.auth()).json()["data"])
    response = put(s, "people", [count], {"id": "phommachanh", "name": "Souk Phommachanh", "position": "Deputy Director"})
    assert response.status_code == 200, response.text
    assert changed_lines(before, people.read_text(encoding="utf-8")) == [
        "+- id: phommachanh", "+  name: Souk Phommachanh", "+  position: Deputy Director"]


def test_a_value_the_build_refuses_is_refused_with_its_sentence_and_nothing_is_written(s: Live) -> None:
    before = (s.root / EVENT).read_text(encoding="utf-8")
    response = put(s, "event", ["start"], "25:00")
    assert response.status_code == 400
    assert "content/event.yaml:" in response.text and "time '25:00' is not a time of day — hours go from 00 to 23" in response.text
    assert put(s, "event", ["start"], "10:00", role="translator lo").status_code == 403
    stale = s.client.put("/api/content/event", headers=s.auth("organizer"),
                         json={"path": ["start"], "value": "10:00", "version": "0" * 16})
    assert stale.status_code == 409 and "changed meanwhile" in stale.text
    assert s.client.get("/api/content/nothing", headers=s.auth()).status_code == 404
    assert (s.root / EVENT).read_text(encoding="utf-8") == before


def test_an_organizer_changes_the_venue_in_the_form_and_sees_a_refusal_at_its_field(browser: Browser,
                                                                                       project: Path) -> None:
    before = (project / EVENT).read_text(encoding="utf-8")
    server = Server(project)
    try:
        page = browser.open_url(server.url("organizer", "/edit/event"), width=1280, height=1000)
        change = ("(() => {{ const f = document.getElementById('{id}'); f.value = {value};"
                  " f.dispatchEvent(new Event('change', {{bubbles: true}})); return 1; }})()")
        browser.evaluate(page, change.format(id="field-venue-city", value="'Luang Prabang'"))
        said = "document.getElementById('{id}-message').textContent"
        assert wait_for(browser, page, f"{said.format(id='field-venue-city')} !== '' && "
                                       f"!{said.format(id='field-venue-city')}.endsWith('…')", 15_000)
        assert changed_lines(before, (project / EVENT).read_text(encoding="utf-8")) == [
            "-  city: Vientiane", "+  city: Luang Prabang"]
        browser.evaluate(page, change.format(id="field-start", value="'25:00'"))
        assert wait_for(browser, page, f"{said.format(id='field-start')}.includes('not a time of day')", 15_000), \
            browser.evaluate(page, said.format(id='field-start'))
        assert browser.evaluate(page, "document.getElementById('field-start').getAttribute('aria-invalid')") == "true"
        assert axe(browser, page) == []
        for width in (1280, 390):
            assert overflow(browser, page, width) <= 0, width
    finally:
        server.stop()
