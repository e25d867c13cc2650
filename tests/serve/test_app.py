"""Tests for songphasa.serve.app: the API's answers, each status code, and what a decision writes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from songphasa.content.decide import Decision, decide
from songphasa.serve import state as state_module
from songphasa.serve.access import Access, make_roles
from songphasa.serve.app import create_app
from songphasa.serve.hub import Hub

from ..conftest import copy_project, require_renderer
from .helpers import MODIFIED_EN, MODIFIED_LO, Live, decision_files, live


@pytest.fixture
def s(project: Path):
    made = live(project)
    with made.client:
        yield made


def test_the_state_has_every_recommendation_in_agenda_order_with_its_texts(s: Live) -> None:
    state = s.state()
    assert state["source_language"] == "en" and state["languages"] == ["en", "lo"]
    assert state["title"]["en"].startswith("Inter-ministerial Policy Workshop")
    assert [r["id"] for r in state["recommendations"]][:4] == ["1.1", "1.2", "1.3", "2.1"]
    rec = state["recommendations"][1]
    assert rec["status"] == "proposed" and rec["provisional"] is False
    assert rec["proposed"]["en"].startswith("Resolved that an inter-ministerial")
    assert any("\u0e80" <= c <= "\u0eff" for c in rec["proposed"]["lo"])
    assert rec["confirmed"] == {"en": None, "lo": None}
    assert isinstance(state["version"], str) and isinstance(rec["version"], str)


def test_a_modified_decision_in_both_languages_is_recorded(s: Live) -> None:
    version = s.rec("1.2")["version"]
    response = s.post("1.2", {"status": "modified", "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO}, "version": version})
    assert response.status_code == 200, response.text
    rec = next(r for r in response.json()["recommendations"] if r["id"] == "1.2")
    assert rec["status"] == "modified"
    assert rec["confirmed"] == {"en": MODIFIED_EN, "lo": MODIFIED_LO}
    assert rec["provisional"] is False
    assert response.json()["current"] == "1.2"
    assert "status: modified" in (s.root / "content" / "recommendations.yaml").read_text(encoding="utf-8")


def test_a_decision_without_its_lao_text_is_provisional(s: Live) -> None:
    response = s.post("1.2", {"status": "modified", "text": {"en": MODIFIED_EN}, "version": s.rec("1.2")["version"]})
    assert response.status_code == 200, response.text
    rec = s.rec("1.2")
    assert rec["provisional"] is True and rec["provisional_languages"] == ["lo"]
    assert rec["confirmed"]["en"] == MODIFIED_EN


def test_the_files_after_a_post_are_those_decide_writes(s: Live, tmp_path: Path) -> None:
    other = copy_project(tmp_path / "by-decide")
    decide(other, Decision("1.2", "modified", MODIFIED_EN, (("lo", MODIFIED_LO),)))
    decide(other, Decision("2.1", "accepted"))
    decide(other, Decision("4.2", "rejected"))
    for rec_id, body in (("1.2", {"status": "modified", "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO}}),
                         ("2.1", {"status": "accepted", "text": {}}),
                         ("4.2", {"status": "rejected", "text": {"en": "ignored", "lo": "ignored"}})):
        response = s.post(rec_id, {**body, "version": s.rec(rec_id)["version"]})
        assert response.status_code == 200, response.text
    assert decision_files(s.root) == decision_files(other)


def test_a_stale_version_is_a_conflict_with_both_texts_and_writes_nothing(s: Live) -> None:
    seen = s.rec("1.2")["version"]
    first = s.post("1.2", {"status": "modified", "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO}, "version": seen})
    assert first.status_code == 200
    before = decision_files(s.root)
    second = s.post("1.2", {"status": "modified", "text": {"en": "Another wording.", "lo": "ອີກ"}, "version": seen})
    assert second.status_code == 409
    conflict = second.json()
    assert "changed meanwhile" in conflict["error"]
    assert conflict["theirs"]["text"] == {"en": MODIFIED_EN, "lo": MODIFIED_LO}
    assert conflict["yours"]["text"] == {"en": "Another wording.", "lo": "ອີກ"}
    assert decision_files(s.root) == before


def test_the_state_version_of_a_recommendation_decided_elsewhere_is_stale_too(s: Live) -> None:
    version = s.state()["version"]
    assert s.post("2.1", {"status": "accepted", "text": {}, "version": version}).status_code == 200
    assert s.post("1.2", {"status": "rejected", "version": version}).status_code == 409
    assert s.post("1.2", {"status": "rejected", "version": s.rec("1.2")["version"]}).status_code == 200


BAD = [
    ("9.9", {"status": "accepted"}, "no recommendation '9.9'"),
    ("1.2", {"status": "approved"}, "Unknown status 'approved'"),
    ("1.2", {"status": "modified", "text": {"fr": "Texte"}}, "'fr' is not a language of this event"),
    ("1.2", {"status": "modified", "text": {"en": "   ", "lo": ""}}, "is empty"),
    ("1.2", {"status": "modified", "text": {"en": "Resolved\x07 that"}}, "control character(s) U+0007"),
    ("1.2", {"status": "modified", "text": {"en": "Resolved \u202e that"}}, "bidi control character(s) U+202E"),
    ("1.2", {"status": "modified", "text": {"en": "x" * 10_001}}, "may have 10000"),
    ("1.2", {"status": "modified", "text": "Resolved"}, "text must be an object"),
    ("1.2", {"status": "modified", "text": {"en": "A"}, "colour": "red"}, "Unknown field 'colour'"),
    ("1.2", ["modified"], "Send a JSON object"),
]


@pytest.mark.parametrize(("rec_id", "body", "said"), BAD, ids=[said for _, _, said in BAD])
def test_bad_input_is_a_plain_400_and_changes_nothing(s: Live, rec_id: str, body: object, said: str) -> None:
    before = decision_files(s.root)
    if isinstance(body, dict):
        body = {"version": s.rec("1.2")["version"], **body}
    response = s.post(rec_id, body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert said in response.text
    assert "Traceback" not in response.text
    assert decision_files(s.root) == before


def test_a_body_that_is_not_json_is_a_plain_400(s: Live) -> None:
    response = s.client.post("/api/decisions/1.2", content=b"status=modified",
                             headers={**s.auth(), "Content-Type": "application/json"})
    assert response.status_code == 400 and "not JSON" in response.text


def test_a_body_over_64_kib_is_refused_with_413(s: Live) -> None:
    before = decision_files(s.root)
    body = json.dumps({"status": "modified", "text": {"en": "x" * (10 * 1024 * 1024)}, "version": ""})
    response = s.client.post("/api/decisions/1.2", content=body.encode(),
                             headers={**s.auth(), "Content-Type": "application/json"})
    assert response.status_code == 413
    assert "too large" in response.text
    assert decision_files(s.root) == before


@pytest.mark.parametrize("role", [None, "projector", "booth lo", "wrong"])
def test_only_the_secretariat_token_writes(s: Live, role: str | None) -> None:
    before = decision_files(s.root)
    headers = {} if role is None else {"Authorization": "Bearer not-a-token"} if role == "wrong" else s.auth(role)
    response = s.client.post("/api/decisions/1.2", json={"status": "rejected", "version": s.rec("1.2")["version"]},
                             headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/plain")
    assert decision_files(s.root) == before


def test_reading_needs_a_token_too(s: Live) -> None:
    assert s.client.get("/api/state").status_code == 403
    assert s.client.get("/projector").status_code == 403
    assert s.client.get(f"/api/state?token={s.tokens['booth en']}").status_code == 200


def test_a_write_from_another_site_is_refused(s: Live) -> None:
    version = s.rec("1.2")["version"]
    for origin in ("http://evil.example", "http://127.0.0.1:9999", "null"):
        response = s.post("1.2", {"status": "rejected", "version": version}, Origin=origin)
        assert response.status_code == 403, origin
    assert s.post("1.2", {"status": "rejected", "version": version}, Origin="http://127.0.0.1:8765").status_code == 200


def test_a_request_naming_another_host_is_refused(s: Live) -> None:
    response = s.client.get("/api/state", headers={**s.auth(), "Host": "attacker.example"})
    assert response.status_code == 400
    assert "addresses it printed" in response.text


def test_a_failed_write_is_a_plain_error_and_nothing_is_told(s: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(root, decision, **_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(state_module, "decide", full_disk)
    before = s.client.get("/api/events?catch_up=1", headers=s.auth()).text
    response = s.post("1.2", {"status": "rejected", "version": s.rec("1.2")["version"]})
    assert response.status_code == 500
    assert "No space left on device" in response.text and "nothing was changed" in response.text
    assert s.client.get("/api/events?catch_up=1", headers=s.auth()).text == before


def events_of(text: str) -> list[dict]:
    """The events of a Server-Sent Events stream: id, event and data (JSON) of each."""
    found = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "data" in fields:
            found.append({"id": fields.get("id"), "event": fields.get("event"), "data": json.loads(fields["data"])})
    return found


def test_events_have_ids_and_a_viewer_catches_up_with_last_event_id(s: Live) -> None:
    first = events_of(s.client.get("/api/events?catch_up=1", headers=s.auth("booth lo")).text)
    assert len(first) == 1 and first[0]["event"] == "state" and first[0]["id"]
    seen = first[0]["id"]
    s.post("1.2", {"status": "modified", "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO}, "version": s.rec("1.2")["version"]})
    s.post("2.1", {"status": "accepted", "version": s.rec("2.1")["version"]})
    missed = events_of(s.client.get("/api/events?catch_up=1", headers={**s.auth("booth lo"), "Last-Event-ID": seen}).text)
    # Each decision is a state, then a change of the files the previews are made from (its version).
    assert [e["event"] for e in missed] == ["state", "files", "state", "files"]
    states = [e for e in missed if e["event"] == "state"]
    assert [e["data"]["changed"] for e in states] == [["1.2"], ["2.1"]]
    assert len({e["id"] for e in missed} | {seen}) == 5
    assert len({e["data"]["files"] for e in missed if e["event"] == "files"}) == 2
    assert next(r for r in states[-1]["data"]["recommendations"] if r["id"] == "1.2")["confirmed"]["lo"] == MODIFIED_LO
    # Nothing missed: nothing sent; an id the server does not know (it restarted): the latest state, and the
    # latest version of the files when it came after.
    assert events_of(s.client.get("/api/events?catch_up=1",
                                  headers={**s.auth(), "Last-Event-ID": missed[-1]["id"]}).text) == []
    latest = events_of(s.client.get("/api/events?catch_up=1", headers={**s.auth(), "Last-Event-ID": "gone-7"}).text)
    assert [e["id"] for e in latest] == [states[-1]["id"], missed[-1]["id"]]


def test_pages_escape_content_and_mark_lao(s: Live) -> None:
    text = {"en": "Resolved <script>alert(1)</script> that", "lo": MODIFIED_LO}
    assert s.post("1.2", {"status": "modified", "text": text, "version": s.rec("1.2")["version"]}).status_code == 200
    for path, role in (("/secretariat", "secretariat"), ("/projector", "projector"), ("/booth/lo", "booth lo"),
                       ("/projector?lang=lo", "projector")):
        page = s.client.get(path, headers=s.auth(role))
        assert page.status_code == 200, path
        assert "<script>alert" not in page.text
        assert 'lang="lo"' in page.text
    assert "&lt;script&gt;" in s.client.get("/projector", headers=s.auth("projector")).text


def test_the_secretariat_page_needs_the_secretariat_token(s: Live) -> None:
    assert s.client.get("/secretariat", headers=s.auth("projector")).status_code == 403


def test_the_live_diff_marks_the_words_typed(s: Live) -> None:
    response = s.client.post("/fragments/diff/1.3", headers=s.auth(),
                             data={"status": "modified", "text-en": "Resolved that a coordination mechanism be formed.",
                                   "text-lo": ""})
    assert response.status_code == 200
    assert "<del>" in response.text and "<ins>" in response.text


def test_unknown_pages_and_files_are_plain_404s(s: Live) -> None:
    for path in ("/nowhere", "/static/../../pyproject.toml", "/static/fonts/OFL.txt", "/booth/fr"):
        response = s.client.get(path, headers=s.auth())
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/plain")


def test_undo_puts_back_the_files_of_before_the_last_save(s: Live) -> None:
    assert s.client.post("/api/undo", headers=s.auth()).status_code == 400  # nothing saved yet
    before = decision_files(s.root)
    version = s.rec("1.2")["version"]
    assert s.post("1.2", {"status": "modified", "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO},
                          "version": version}).status_code == 200
    assert s.client.post("/api/undo", headers=s.auth("projector")).status_code == 403
    response = s.client.post("/api/undo", headers=s.auth())
    assert response.status_code == 200, response.text
    assert decision_files(s.root) == before
    assert s.rec("1.2")["status"] == "proposed"
    assert s.client.post("/api/undo", headers=s.auth()).status_code == 400  # once


def test_undo_never_overwrites_a_change_made_after_the_save(s: Live) -> None:
    s.post("2.1", {"status": "accepted", "version": s.rec("2.1")["version"]})
    decide(s.root, Decision("4.2", "rejected"))  # on the command line, after the save
    response = s.client.post("/api/undo", headers=s.auth())
    assert response.status_code == 409 and "nothing was changed" in response.text


def test_one_action_makes_the_documents_from_what_was_recorded(s: Live) -> None:
    s.post("1.2", {"status": "modified", "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO}, "version": s.rec("1.2")["version"]})
    assert s.client.post("/api/summary", headers=s.auth("projector")).status_code == 403
    response = s.client.post("/api/summary", headers=s.auth())
    assert response.status_code == 200, response.text
    made = response.json()
    assert {"en/recommendations.html", "lo/recommendations.docx", "en/outcome.html", "lo/outcome.docx"} <= set(made["files"])
    for lang in ("en", "lo"):
        page = (s.root / "output" / lang / "recommendations.html").read_text(encoding="utf-8")
        assert 'class="status-modified"' in page and "<ins" in page


def test_the_secretariat_page_shows_each_reading_link_with_its_qr_code(s: Live) -> None:
    page = s.client.get("/secretariat", headers=s.auth()).text
    room = page[page.index('id="room"'):]
    assert f"http://127.0.0.1:8765/projector?token={s.tokens['projector']}" in room
    assert f"/booth/lo?token={s.tokens['booth lo']}" in room
    assert room.count("<svg") == 3  # projector and the two booths
    assert s.tokens["secretariat"] not in room


def test_the_summary_with_pdfs_has_the_decision_in_every_languages_pdf(s: Live) -> None:
    require_renderer("soffice", "pdftotext")
    s.post("1.2", {"status": "modified", "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO}, "version": s.rec("1.2")["version"]})
    response = s.client.post("/api/summary?pdf=1", headers=s.auth())
    assert response.status_code == 200, response.text
    made = set(response.json()["files"])
    assert {"en/recommendations.pdf", "lo/recommendations.pdf", "en/outcome.pdf", "lo/outcome.pdf"} <= made
    text = subprocess.run(["pdftotext", "-layout", str(s.root / "output" / "en" / "recommendations.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Deputy Minister level" in " ".join(text.split())


def test_the_summary_writes_through_a_linked_output_only_when_the_secretariat_said_so(project: Path,
                                                                                       tmp_path: Path) -> None:
    web = tmp_path / "web-server-folder"
    web.mkdir()
    (project / "output").symlink_to(web, target_is_directory=True)
    refused = live(project)
    with refused.client:
        response = refused.client.post("/api/summary", headers=refused.auth())
    assert response.status_code == 400 and "--output-link" in response.text, response.text
    assert list(web.iterdir()) == []
    roles = make_roles(("en", "lo"))
    app = create_app(project, Access(roles, frozenset({"127.0.0.1"}), 8765), watch=False,
                     hub=Hub(project, output_link=True))
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        response = client.post("/api/summary", headers={"Authorization": f"Bearer {roles[0].token}"})
    assert response.status_code == 200, response.text
    assert (web / "lo" / "recommendations.html").is_file()
