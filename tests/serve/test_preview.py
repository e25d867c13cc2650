"""The Preview view: every document in every language, made again as the files change, untranslated text marked.

Its routes under Starlette's TestClient (who may open it, the counts per
document, the build's marker around an untranslated string), then an
organizer's open preview in Chromium while an editor changes the concept note
on disk and a translator saves a translation through the API: both languages'
frames show each change without a reload.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path

import pytest
from lxml import html as lxml_html

from ..chromium import Browser
from ..test_layout import browser  # noqa: F401 — the fixture: headless Chromium, once for this module
from .helpers import Live, live
from .test_browser import axe, overflow, wait_for
from .test_server import Server
from .test_translate import TITLE, untranslate

#: A heading of the concept note, in English and in the sample's Lao.
HEADING_EN, HEADING_LO = "Event Description", "ລາຍລະອຽດຂອງກອງປະຊຸມ"


@pytest.fixture
def s(project: Path):
    untranslate(project, TITLE)
    made = live(project)
    with made.client:
        yield made


def counts(s: Live, role: str = "organizer") -> dict[str, list[str]]:
    """The preview's table: each document's cells as the page says them."""
    page = lxml_html.fromstring(s.client.get("/fragments/preview", headers=s.auth(role)).text)
    return {row.findtext("th/a"): [" ".join(td.text_content().split()) for td in row.findall("td")]
            for row in page.iter("tr") if row.find("th/a") is not None}


def test_the_preview_lists_every_document_and_says_what_each_leaves_untranslated(s: Live) -> None:
    table = counts(s)
    assert list(table)[:4] == ["concept-note", "agenda", "recommendations", "outcome"]
    assert table["concept-note"] == ["Open source", "Open 1 untranslated"]
    assert table["agenda"] == ["Open source", "Open all translated"]
    assert counts(s, "translator lo")["concept-note"][1] == "ເປີດ ຍັງບໍ່ໄດ້ແປ 1"  # the translator's page speaks Lao
    page = s.client.get("/preview?document=agenda", headers=s.auth("organizer")).text
    assert 'src="/preview/lo/agenda?token=' in page and 'src="/preview/en/agenda?token=' in page


def test_an_untranslated_string_is_shown_in_the_source_language_marked(s: Live) -> None:
    lao = s.client.get("/preview/lo/concept-note", headers=s.auth("organizer"))
    assert lao.status_code == 200 and lao.headers["content-security-policy"] == "sandbox allow-scripts"
    marked = lxml_html.fromstring(lao.content).xpath("//article//*[contains(@class, 'needs-translation')]")
    assert [(m.get("lang"), m.text_content()) for m in marked] == [("en", HEADING_EN)]
    english = lxml_html.fromstring(s.client.get("/preview/en/concept-note", headers=s.auth("organizer")).content)
    assert not english.xpath("//article//*[contains(@class, 'needs-translation')]")


def test_the_preview_is_the_organizers_and_the_translators(s: Live) -> None:
    for role in ("organizer", "translator lo"):
        assert s.client.get("/preview", headers=s.auth(role)).status_code == 200
    for role in ("secretariat", "projector", "booth lo"):
        refused = s.client.get("/preview/lo/agenda", headers=s.auth(role))
        assert refused.status_code == 403 and "organizer and the translators" in refused.text
    assert s.client.get("/preview").status_code == 403
    assert s.client.get("/preview/lo/no-such-document", headers=s.auth("organizer")).status_code == 404
    assert s.client.get("/preview/xx/agenda", headers=s.auth("organizer")).status_code == 404


def frame_text(browser: Browser, session: str, lang: str) -> str:
    """The HTML of the article in one language's frame of the preview, read inside the frame.

    A sandboxed frame is another origin, drawn by its own process: it is a target of its own to attach to.
    """
    targets = browser.send("Target.getTargets")["targetInfos"]
    frame = next((t for t in targets if t["type"] == "iframe" and f"/preview/{lang}/" in t["url"]), None)
    if frame is None:
        return ""
    try:
        inside = browser.send("Target.attachToTarget", {"targetId": frame["targetId"], "flatten": True})["sessionId"]
        return browser.evaluate(inside, "document.querySelector('article')?.innerHTML || ''") or ""
    except RuntimeError:  # the frame went (it is loading its page again)
        return ""


def frames_show(browser: Browser, session: str, wanted: dict[str, str], within: float = 15) -> bool:
    """Wait until each language's frame holds its wanted HTML."""
    until = time.monotonic() + within
    while time.monotonic() < until:
        if all(text in frame_text(browser, session, lang) for lang, text in wanted.items()):
            return True
        time.sleep(0.05)
    return False


def test_the_open_preview_follows_an_editor_and_a_saved_translation_in_both_languages(
        browser: Browser, project: Path) -> None:
    untranslate(project, TITLE)
    server = Server(project)
    try:
        page = browser.open_url(server.url("organizer", "/preview?document=concept-note"), width=1280, height=1000)
        assert wait_for(browser, page, "document.getElementById('connection').dataset.state === 'live'", 10_000)
        marked = f'<span class="needs-translation" lang="en">{HEADING_EN}</span>'
        assert frames_show(browser, page, {"en": HEADING_EN, "lo": marked})
        browser.evaluate(page, "window.notReloaded = true, 1")

        # An editor saves the concept note with a new heading: the English page shows it, the Lao page shows it
        # in English, marked (its translation was of the old heading).
        note = project / "content" / "concept-note.md"
        text = note.read_text(encoding="utf-8")
        assert f"# {HEADING_EN}" in text
        note.write_text(text.replace(f"# {HEADING_EN}", "# About the Event"), encoding="utf-8")
        assert frames_show(browser, page, {"en": "About the Event",
                                           "lo": '<span class="needs-translation" lang="en">About the Event</span>'})
        cell = "document.querySelector('#documents tr.shown td:last-child .count').textContent"
        assert wait_for(browser, page, f"{cell}.includes('1 untranslated')", 10_000), browser.evaluate(page, cell)

        # A translator saves its translation through the API: the Lao page shows it, the count goes to none.
        note.write_text(text, encoding="utf-8")
        assert frames_show(browser, page, {"lo": marked})
        catalog = server.get("translator lo", "/api/catalogs/lo")
        title = next(e for e in catalog["entries"] if e["context"] == TITLE)
        request = urllib.request.Request(server.url("translator lo", f"/api/catalogs/lo/entries/{title['key']}"),
                                         data=json.dumps({"msgstr": HEADING_LO, "fuzzy": False,
                                                          "version": title["version"]}).encode(),
                                         headers={"Content-Type": "application/json"}, method="PUT")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        assert frames_show(browser, page, {"en": HEADING_EN, "lo": HEADING_LO})
        assert "needs-translation" not in frame_text(browser, page, "lo")
        assert wait_for(browser, page, f"{cell}.includes('all translated')", 10_000), browser.evaluate(page, cell)
        assert browser.evaluate(page, "window.notReloaded === true")

        assert axe(browser, page) == []
        for width in (1280, 390):
            assert overflow(browser, page, width) <= 0, width
        # At 390 px each language's page takes the screen's width, in a readable size.
        widths = browser.evaluate(page, "[...document.querySelectorAll('#frames iframe')]"
                                        ".map(f => f.getBoundingClientRect().width)")
        assert len(widths) == 2 and all(w >= 340 for w in widths), widths
        sizes = browser.evaluate(page, "[...document.querySelectorAll('#documents td, #documents th, .keys')]"
                                       ".map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(sizes) >= 14, sizes
    finally:
        server.stop()


def test_the_translate_view_reads_at_390_px(browser: Browser, project: Path) -> None:
    server = Server(project)
    try:
        page = browser.open_url(server.url("translator lo", "/translate/lo"), width=390, height=844)
        assert wait_for(browser, page, "document.querySelector('#entries a[data-key]') !== null", 10_000)
        browser.evaluate(page, "document.querySelector('#entries a[data-key]').click(), 1")
        assert wait_for(browser, page, "document.getElementById('entry-form') !== null", 15_000)
        assert overflow(browser, page, 390) <= 0
        sizes = browser.evaluate(page, "[...document.querySelectorAll('.entry-list a, #entry-form .source, textarea')]"
                                       ".map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(sizes) >= 14, sizes
        assert re.search(r"\d+ ໃນ \d+", browser.evaluate(page, "document.querySelector('.counts').textContent"))
        assert axe(browser, page) == []
    finally:
        server.stop()
