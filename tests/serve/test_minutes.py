"""Tests for the decision log (content/decision-log.yaml): what the minutes get from `decide` and the session."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pytest

from songphasa.content.decide import Decision, decide
from songphasa.content.minutes import LOG, read_log

from ..i18n.helpers import run
from .helpers import MODIFIED_EN, MODIFIED_LO, Live, live


@pytest.fixture
def s(project: Path):
    made = live(project)
    with made.client:
        yield made


def test_decide_on_the_command_line_logs_the_decision_with_its_time_in_the_events_zone(project: Path) -> None:
    before = datetime.now().astimezone()
    result = run(project, "decide", "1.2", "--status", "modified", "--text", f"en={MODIFIED_EN}",
                 "--text", f"lo={MODIFIED_LO}")
    assert result.returncode == 0, result.stderr
    text = (project / LOG).read_text(encoding="utf-8")
    assert text.startswith("# The decisions recorded in the session, for the minutes")
    [entry], problems = read_log(project)
    assert problems == []
    assert (entry.recommendation, entry.status, entry.by) == ("1.2", "modified", "command line")
    assert entry.text == {"en": MODIFIED_EN, "lo": MODIFIED_LO}
    assert entry.time.endswith("+07:00")  # the sample's zone is Asia/Vientiane
    assert abs((datetime.fromisoformat(entry.time) - before).total_seconds()) < 60


def test_each_save_and_undo_on_the_page_is_one_more_entry_and_a_hand_comment_stays(s: Live) -> None:
    decide(s.root, Decision("2.1", "accepted"))
    log = s.root / LOG
    log.write_text(log.read_text(encoding="utf-8") + "# 10:40 the chair asked for a short break\n", encoding="utf-8")
    response = s.post("1.2", {"status": "modified", "text": {"en": MODIFIED_EN, "lo": MODIFIED_LO},
                              "version": s.rec("1.2")["version"]})
    assert response.status_code == 200, response.text
    assert s.client.post("/api/undo", headers=s.auth()).status_code == 200
    text = log.read_text(encoding="utf-8")
    assert "# 10:40 the chair asked for a short break\n" in text
    entries = s.client.get("/api/log", headers=s.auth("booth lo")).json()["entries"]
    assert [(e["recommendation"], e["status"], e["by"]) for e in entries] == [
        ("2.1", "accepted", "command line"), ("1.2", "modified", "session"), ("1.2", "undone", "session")]
    assert entries[1]["text"] == {"en": MODIFIED_EN, "lo": MODIFIED_LO}
    # The undo put the decision's files back, not the log: the minutes say it was taken back.
    assert "status: modified" not in (s.root / "content" / "recommendations.yaml").read_text(encoding="utf-8")


def test_the_secretariat_page_lists_the_log_newest_first_and_gives_it_as_csv(s: Live) -> None:
    s.post("1.2", {"status": "modified", "text": {"en": "=HYPERLINK(\"x\") was agreed", "lo": MODIFIED_LO},
                   "version": s.rec("1.2")["version"]})
    s.post("1.3", {"status": "rejected", "version": s.rec("1.3")["version"]})
    page = s.client.get("/secretariat", headers=s.auth()).text
    log = page[page.index('id="log"'):page.index('id="room"')]
    rows = re.findall(r"<tr><td><time datetime=\"([^\"]+)\">[^<]+</time></td><td>([^<]+)</td>", log)
    assert [rec for _, rec in rows] == ["1.3", "1.2"]
    assert "Rejected" in log and "Modified" in log and MODIFIED_LO in log
    response = s.client.get("/api/log.csv", headers=s.auth())
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["time", "recommendation", "status", "by", "text (en)", "text (lo)"]
    assert table[1][1:4] == ["1.2", "modified", "session"]
    assert table[1][4] == "'=HYPERLINK(\"x\") was agreed"  # a spreadsheet does not run it as a formula
    assert table[1][5] == MODIFIED_LO


def test_a_log_broken_by_a_hand_edit_still_takes_decisions_and_says_where_it_is_broken(s: Live) -> None:
    (s.root / LOG).write_text("- time: [unclosed\n", encoding="utf-8")
    response = s.post("1.3", {"status": "rejected", "version": s.rec("1.3")["version"]})
    assert response.status_code == 200, response.text
    answer = s.client.get("/api/log", headers=s.auth()).json()
    assert answer["entries"] == [] and "content/decision-log.yaml" in answer["problems"][0]
    assert "- time: [unclosed" in (s.root / LOG).read_text(encoding="utf-8")  # nothing of it was dropped
