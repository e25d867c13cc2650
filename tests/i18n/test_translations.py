"""The translations a build uses: every declared catalog read and compiled, and what it cannot use said."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from songphasa.i18n.po import po_text

from .helpers import PO, po_of, run


@pytest.mark.parametrize(("broken", "reason"), [
    ("{technical_date", "placeholder '{technical_date}' is missing from the translation"),
    ("{ວັນທີ}", "placeholder '{technical_date}' is missing from the translation; "
               "the translation has placeholder '{ວັນທີ}', which the English does not have"),
])
def test_a_draft_says_which_translation_it_cannot_use_and_shows_its_english(project: Path, broken: str,
                                                                           reason: str) -> None:
    """A translation that drops or breaks a placeholder would print '{technical_date' or lose the date."""
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    catalog = po_of(project)
    entry = catalog.get(next(m.id for m in catalog if m.context == "event.follows_up"), "event.follows_up")
    assert "{technical_date}" in entry.string
    entry.string = entry.string.replace("{technical_date}", broken)
    path.write_text(po_text(catalog), encoding="utf-8")
    line = po_of(project).get(entry.id, entry.context).lineno

    result = run(project)
    assert result.returncode == 0, result.stderr
    assert (f"locales/lo/LC_MESSAGES/messages.po:{line}: warning: [lo] this translation is not used: {reason} — "
            "correct the entry; until then the documents show the English, marked") in result.stderr.splitlines()
    shown = []
    for page in (project / "output" / "lo").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert broken not in text and "{technical_date" not in text, page.name
        tree = lxml_html.parse(str(page))
        shown += [" ".join(m.text_content().split()) for m in tree.getroot().find_class("needs-translation")
                  if "It followed up on the Inter-ministerial Technical Workshop" in m.text_content()]
    assert shown and all("{" not in text for text in shown)
    # The translator's text is still there, to be corrected.
    assert broken in path.read_text(encoding="utf-8")


def test_an_undeclared_catalog_is_a_warning_and_a_missing_one_an_error(project: Path) -> None:
    thai = project / "locales" / "th" / "LC_MESSAGES" / "messages.po"
    thai.parent.mkdir(parents=True)
    shutil.copy(project / PO, thai)
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert "locales/th/LC_MESSAGES/messages.po: warning: translations for 'th', a language the event does not " \
           "declare (not built) — add 'th' to settings.languages in content/event.yaml, or remove this folder" \
           in result.stderr.splitlines()
    (project / PO).unlink()
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["locales/lo/LC_MESSAGES/messages.po: no translation catalog for 'lo' — "
                                          "run `python build.py init lo` to start one"]
