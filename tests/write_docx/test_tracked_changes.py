"""A modified recommendation is a real tracked change: Word's and LibreOffice's "Accept all" give the confirmed text.

The UN's rule for revised texts is that every change is visible; organizers
accept or reject changes in Word. The DOCX carries the proposed → confirmed
difference as w:del/w:ins revisions by the secretariat (the organizer), dated
when the decision-making session started; the HTML keeps <del>/<ins> with the
same datetime. LibreOffice, driven by a macro, accepts (or rejects) all
changes, and the text that remains is compared with the decision.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from ..conftest import build, copy_project, require_renderer
from ..content.test_decide import MODIFIED_EN, MODIFIED_LO, decide_sample
from ..libreoffice import resolved_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
#: The decision-making session of the sample starts at 10:30 in Vientiane (UTC+7).
DECIDED = "2021-11-23T03:30:00Z"
SECRETARIAT = "Ministry of Home Affairs"
CONFIRMED = {"en": MODIFIED_EN, "lo": MODIFIED_LO}


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with 1.2 modified, 2.1 accepted and 4.3 rejected, built."""
    root = copy_project(tmp_path_factory.mktemp("decided") / "event")
    decide_sample(root)
    build(root)
    return root


def flat(text: str) -> str:
    return " ".join(text.split())


def proposed(root: Path, lang: str) -> str:
    """The proposed text of recommendation 1.2 as the HTML document shows it."""
    page = lxml_html.parse(str(root / "output" / lang / "recommendations.html"))
    return flat(page.find(".//tr[@id='rec-1.2']").findall("td")[1].text_content())


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_the_change_is_a_word_revision_by_the_secretariat_dated_at_the_decision(decided: Path, lang: str) -> None:
    with zipfile.ZipFile(decided / "output" / lang / "recommendations.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    deletions, insertions = body.findall(".//w:del", NS), body.findall(".//w:ins", NS)
    assert deletions and insertions
    for change in deletions + insertions:
        assert change.get(f"{{{W}}}author") == SECRETARIAT
        assert change.get(f"{{{W}}}date") == DECIDED
    ids = [change.get(f"{{{W}}}id") for change in deletions + insertions]
    assert len(set(ids)) == len(ids)
    assert all(change.find("w:r/w:delText", NS) is not None for change in deletions)
    assert all(change.find("w:r/w:t", NS) is not None for change in insertions)
    page = lxml_html.parse(str(decided / "output" / lang / "recommendations.html"))
    marks = page.findall(".//tr[@id='rec-1.2']//del") + page.findall(".//tr[@id='rec-1.2']//ins")
    assert marks and {mark.get("datetime") for mark in marks} == {DECIDED}


@pytest.mark.renderer
@pytest.mark.parametrize("lang", ["en", "lo"])
def test_libreoffice_accept_all_gives_the_confirmed_text_and_reject_all_the_proposed(decided: Path,
                                                                                      lang: str) -> None:
    soffice = require_renderer("soffice")["soffice"]
    docx = decided / "output" / lang / "recommendations.docx"
    accepted = [flat(line) for line in resolved_text(soffice, docx, "Accept").splitlines()]
    rejected = [flat(line) for line in resolved_text(soffice, docx, "Reject").splitlines()]
    before = proposed(decided, lang)
    assert CONFIRMED[lang] in accepted  # the confirmed cell holds exactly the decision
    assert accepted.count(before) == 1  # the proposed column only
    assert rejected.count(before) == 2  # the proposed column, and the confirmed one with every change undone
    assert CONFIRMED[lang] not in rejected
