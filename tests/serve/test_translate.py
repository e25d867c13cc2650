"""The translate view: its API (each status code, the PO diff of one saved entry) and a translator in Chromium."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

from songphasa.serve.workspace import SHOWN

from ..chromium import Browser
from ..test_layout import browser  # noqa: F401 — the fixture: headless Chromium, once for this module
from .helpers import Live, live
from .test_browser import axe, overflow, reload_until, wait_for
from .test_server import Server

PO = Path("locales/lo/LC_MESSAGES/messages.po")
TITLE = "concept-note.description.title"  # "Event Description", a heading of the concept note


@pytest.fixture
def s(project: Path):
    made = live(project)
    with made.client:
        yield made


def entry(s: Live, context: str) -> dict:
    catalog = s.client.get("/api/catalogs/lo", headers=s.auth("projector")).json()
    return next(e for e in catalog["entries"] if e["context"] == context)


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def untranslate(root: Path, context: str) -> None:
    po = root / PO
    text = po.read_text(encoding="utf-8")
    po.write_text(re.sub(rf'(msgctxt "{re.escape(context)}"\nmsgid "[^"]*"\n)msgstr "[^"]*"', r'\1msgstr ""', text),
                  encoding="utf-8")


def test_the_catalog_lists_every_entry_with_its_key_line_and_version_grouped_by_page(s: Live) -> None:
    catalog = s.client.get("/api/catalogs/lo", headers=s.auth("booth en")).json()
    title = next(e for e in catalog["entries"] if e["context"] == TITLE)
    assert title["msgid"] == "Event Description" and title["state"] == "translated"
    assert (s.root / PO).read_text(encoding="utf-8").splitlines()[title["line"] - 1].startswith(("msgctxt", "msgid"))
    documents = [d["document"] for d in catalog["documents"]]
    assert documents[0] == "concept-note" and title["key"] in catalog["documents"][0]["keys"]
    assert s.client.get("/api/catalogs/xx", headers=s.auth()).status_code == 404


def test_a_saved_translation_changes_exactly_its_lines_of_the_po_file(s: Live) -> None:
    before = (s.root / PO).read_text(encoding="utf-8")
    title = entry(s, TITLE)
    response = s.client.put(f"/api/catalogs/lo/entries/{title['key']}", headers=s.auth("translator lo"),
                            json={"msgstr": "ຄຳອະທິບາຍກອງປະຊຸມ", "fuzzy": False, "version": title["version"]})
    assert response.status_code == 200, response.text
    assert changed_lines(before, (s.root / PO).read_text(encoding="utf-8")) == [
        '-msgstr "ລາຍລະອຽດຂອງກອງປະຊຸມ"', '+msgstr "ຄຳອະທິບາຍກອງປະຊຸມ"']


def test_two_translators_on_one_entry_get_a_conflict_and_on_two_entries_both_land(s: Live) -> None:
    first, second = entry(s, TITLE), entry(s, "event.venue.city")
    put = lambda e, text: s.client.put(f"/api/catalogs/lo/entries/{e['key']}", headers=s.auth("translator lo"),  # noqa: E731
                                       json={"msgstr": text, "fuzzy": False, "version": e["version"]})
    assert put(first, "ຄຳອະທິບາຍ").status_code == 200
    assert put(second, "ວຽງຈັນ").status_code == 200  # another entry, loaded before the first save: it lands
    conflict = put(first, "ລາຍລະອຽດ")  # the same entry, on the version before the first save
    assert conflict.status_code == 409
    assert conflict.json()["theirs"]["msgstr"] == "ຄຳອະທິບາຍ" and conflict.json()["yours"]["msgstr"] == "ລາຍລະອຽດ"
    text = (s.root / PO).read_text(encoding="utf-8")
    assert 'msgstr "ຄຳອະທິບາຍ"' in text and 'msgstr "ວຽງຈັນ"' in text


def test_a_broken_placeholder_a_viewer_token_and_a_bad_body_change_nothing(s: Live) -> None:
    before = (s.root / PO).read_text(encoding="utf-8")
    subject = entry(s, "letter.subject")
    url = f"/api/catalogs/lo/entries/{subject['key']}"
    broken = s.client.put(url, headers=s.auth("translator lo"),
                          json={"msgstr": "ຂໍເຊີນ{workshop} ໃນ{date} {bad}", "fuzzy": False, "version": subject["version"]})
    assert broken.status_code == 400 and "placeholder '{bad}'" in broken.text
    assert s.client.put(url, headers=s.auth("booth lo"), json={"msgstr": "x", "version": subject["version"]}).status_code == 403
    assert s.client.put(url, headers=s.auth("secretariat"), json={"msgstr": "x", "version": subject["version"]}).status_code == 403
    assert s.client.put(url, headers=s.auth("translator lo"), content=b"{").status_code == 400
    assert s.client.put(url, headers=s.auth("translator lo"),
                        json={"msgstr": "x\u202e", "version": subject["version"]}).status_code == 400
    assert s.client.put("/api/catalogs/lo/entries/e0000", headers=s.auth("translator lo"),
                        json={"msgstr": "x", "version": "v"}).status_code == 404
    assert (s.root / PO).read_text(encoding="utf-8") == before


def test_a_translator_translates_an_entry_sees_the_page_change_and_saves_with_the_keyboard(
        browser: Browser, project: Path) -> None:
    untranslate(project, TITLE)
    po = project / PO
    text = po.read_text(encoding="utf-8")  # a fuzzy entry: its English changed since it was translated
    po.write_text(text.replace('msgctxt "event.venue.city"\n', '#, fuzzy\n#| msgid "Vientiane Capital"\nmsgctxt "event.venue.city"\n'),
                  encoding="utf-8")
    before = po.read_text(encoding="utf-8")
    server = Server(project)
    try:
        catalog = server.get("translator lo", "/api/catalogs/lo")
        key = {e["context"]: e["key"] for e in catalog["entries"]}
        page = browser.open_url(server.url("translator lo", "/translate/lo") + f"#{key[TITLE]}", width=1280, height=1000)
        form = f"document.querySelector('#entry-form[data-key=\"{key[TITLE]}\"]')"
        assert wait_for(browser, page, f"{form} !== null", 10_000)
        typed = "ຄຳອະທິບາຍກອງປະຊຸມ"
        browser.evaluate(page, "document.getElementById('msgstr-0').focus(), 1")
        browser.send("Input.insertText", {"text": typed}, page)
        # The Lao preview shows the typed heading, marked, before anything is saved.
        lao_preview = "[...document.querySelectorAll('#entry-live iframe')].at(-1)"
        assert wait_for(browser, page, f"({lao_preview}?.srcdoc || '').includes('id=\"entry\"') && "
                                       f"{lao_preview}.srcdoc.includes({json.dumps(typed)})", 15_000)
        assert po.read_text(encoding="utf-8") == before
        for name, modifiers in (("keyDown", 2), ("keyUp", 2)):
            browser.send("Input.dispatchKeyEvent", {"type": name, "modifiers": modifiers, "key": "Enter",
                                                    "code": "Enter", "windowsVirtualKeyCode": 13}, page)
        assert wait_for(browser, page, f"{form} === null", 15_000)  # saved, and the next entry is open
        assert changed_lines(before, po.read_text(encoding="utf-8")) == ['-msgstr ""', f'+msgstr "{typed}"']

        # A fuzzy entry shows the English it was translated from, the changes marked.
        fuzzy = "document.querySelector('#entry-form .previous')"
        assert reload_until(browser, page, f"location.hash = '{key['event.venue.city']}'; location.reload()",
                            f"{fuzzy} !== null && {fuzzy}.querySelector('del') !== null", 15_000)

        # A broken placeholder is refused with the check's own message.
        subject = f"document.querySelector('#entry-form[data-key=\"{key['letter.subject']}\"] #msgstr-0')"
        assert reload_until(browser, page, f"location.hash = '{key['letter.subject']}'; location.reload()",
                            f"{subject} !== null", 15_000)
        browser.evaluate(page, "(() => { const a = document.getElementById('msgstr-0'); a.value += ' {bad}';"
                               " a.dispatchEvent(new Event('input', {bubbles: true})); return 1; })()")
        browser.evaluate(page, "document.querySelector('#entry-form button[type=submit]').click(), 1")
        said = "document.querySelector('#entry-form .message').textContent"
        assert wait_for(browser, page, f"{said}.includes(\"placeholder '{{bad}}'\")", 15_000), browser.evaluate(page, said)

        assert axe(browser, page) == []
        for width in (1280, 390):
            assert overflow(browser, page, width) <= 0, width
    finally:
        server.stop()


def test_a_long_list_loads_as_it_is_scrolled_and_the_keyboard_moves_past_what_is_loaded(
        browser: Browser, project: Path) -> None:
    server = Server(project)
    try:
        catalog = server.get("translator lo", "/api/catalogs/lo")
        keys = next(d["keys"] for d in catalog["documents"] if d["document"] == "concept-note")
        assert len(keys) > SHOWN + 1  # the sample's concept note: more entries than the list shows at first
        page = browser.open_url(server.url("translator lo", "/translate/lo") + f"#{keys[SHOWN - 1]}",
                                width=1280, height=1000)
        form = "document.getElementById('entry-form')?.dataset.key"
        assert wait_for(browser, page, f"{form} === {json.dumps(keys[SHOWN - 1])}", 15_000)
        listed = "document.querySelectorAll('#entries a[data-key]').length"
        shown_at_first = browser.evaluate(page, listed)
        assert browser.evaluate(page, f"document.querySelector('#entries a[data-key=\"{keys[SHOWN]}\"]') === null")
        # The counts are of the whole document, loaded or not.
        assert browser.evaluate(page, "document.querySelector('.counts').textContent") == \
            f"ແປແລ້ວ {len(keys)} ໃນ {len(keys)}"  # "{len(keys)} of {len(keys)} translated", the page in Lao
        for name in ("keyDown", "keyUp"):
            browser.send("Input.dispatchKeyEvent", {"type": name, "modifiers": 1, "key": "ArrowDown",
                                                    "code": "ArrowDown", "windowsVirtualKeyCode": 40}, page)
        assert wait_for(browser, page, f"{form} === {json.dumps(keys[SHOWN])}", 15_000)
        assert browser.evaluate(page, listed) > shown_at_first
        # Scrolled to its end, the list loads the rest of the document.
        browser.evaluate(page, "(() => { const list = document.querySelector('.entries');"
                               " list.scrollTop = list.scrollHeight; return 1; })()")
        assert wait_for(browser, page, f"document.querySelector('#entries a[data-key=\"{keys[-1]}\"]') !== null",
                        15_000)
    finally:
        server.stop()
