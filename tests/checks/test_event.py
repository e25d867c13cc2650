"""Tests for songphasa.checks.event: the checks run over an event's texts and catalogs, found at their lines.

`check` and `--release` run them the same way (the release keeps the errors);
each direction reads its own glossary column and names its own languages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from songphasa.checks.event import catalog_problems, event_problems, glossary_terms, source_problems
from songphasa.content.load import load_event
from songphasa.i18n import po as catalogs
from songphasa.pipeline import load
from songphasa.project import Project

from ..conftest import copy_example
from .helpers import copy_event, edit, give_an_address, po_of, run


def test_misspelt_acronym_fails_check_and_release_with_its_line(project: Path) -> None:
    md = project / "content" / "concept-note.md"
    line = next(i for i, l in enumerate(md.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("The inter-ministerial policy workshop will focus"))
    edit(md, "how to make ODSCs more effective", "how to make ODCSs more effective")
    for args in (["check"], ["--release"]):
        result = run(project, *args)
        assert result.returncode == 1
        assert f"content/concept-note.md:{line}: 'ODCSs' looks like a misspelling of 'ODSC'" in result.stderr


@pytest.mark.parametrize("start, damage, expected", [
    ("The inter-ministerial policy workshop will focus", ("ODSC", "ສູນ"), "'ODSC'"),  # glossary abbreviation dropped
    ("The Inter-ministerial Policy Workshop is a follow-up", ("44", "ສີ່ສິບສີ່"), "44"),  # number dropped
    ("The target audience", ("zhu@un.org", ""), "zhu@un.org"),                       # email dropped
])
def test_lao_translation_that_drops_a_term_number_or_email_fails(project: Path, start, damage, expected) -> None:
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    if damage[0] == "zhu@un.org":
        give_an_address(project, start)
    catalog = po_of(project)
    entry = next(m for m in catalog if m.id.startswith(start))
    context = entry.context
    assert damage[0] in entry.string
    entry.string = entry.string.replace(damage[0], damage[1])
    path.write_text(catalogs.po_text(catalog), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text == f'msgctxt "{context}"') + 1  # its msgid
    for args in (["check"], ["--release"]):
        result = run(project, *args)
        assert result.returncode == 1
        found = [l for l in result.stderr.splitlines() if l.startswith(f"locales/lo/LC_MESSAGES/messages.po:{line}: [lo]")]
        assert found and any(expected in l for l in found), result.stderr


def test_lao_number_or_email_dropped_from_the_english_is_reported_at_its_po_line(tmp_path: Path) -> None:
    root = copy_event("lao-source", tmp_path)
    po = root / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Local administration offices in 18 provinces serve 10,000 citizens a year."',
                        'msgstr "Local administration offices in 18 provinces serve many citizens a year."')
    text = text.replace('msgstr "Send questions to somphone@example.org."', 'msgstr "Send us your questions."')
    po.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    number_line = next(i for i, line in enumerate(lines, 1) if "serve many citizens" in line)
    email_line = next(i for i, line in enumerate(lines, 1) if "Send us your questions" in line)
    result = run(root, "--release")
    assert result.returncode == 1
    errors = result.stderr.splitlines()

    def at(line: int) -> list[str]:
        return [e for e in errors if e.startswith("locales/en/LC_MESSAGES/messages.po:")
                and int(e.split(":")[1]) in range(line - 3, line + 1)]

    assert any("number '10,000' from the Lao text is missing from the translation" in e for e in at(number_line)), errors
    assert any("email address" in e and "somphone@example.org" in e for e in at(email_line)), errors


def test_lao_copied_into_the_english_is_a_leftover(tmp_path: Path) -> None:
    root = copy_event("lao-source", tmp_path)
    po = root / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Discussion"', 'msgstr "Discussion ປຶກສາຫາລື"'),
                  encoding="utf-8")
    result = run(root, "check")
    assert "[en] Lao word(s) left in the English text: 'ປຶກສາຫາລື'" in result.stdout + result.stderr


def test_thai_glossary_is_checked_against_its_own_column(tmp_path: Path) -> None:
    root = copy_event("three-languages", tmp_path)
    result = run(root, "check")
    out = result.stdout + result.stderr
    assert "ກະຊວງພາຍໃນ" not in "".join(line for line in out.splitlines() if "[th]" in line)
    po = root / "locales" / "th" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "กระทรวงภายใน สปป.ลาว"', 'msgstr "กระทรวงภายใน"'),
                  encoding="utf-8")
    out = run(root, "check")
    assert "[th] the English text uses the glossary term 'Ministry of Home Affairs' but the translation does not " \
           "have 'กระทรวงภายใน สปป.ลาว'" in out.stdout + out.stderr


def test_each_direction_reads_its_own_glossary_column() -> None:
    content = load_event(Path(__file__).resolve().parent.parent / "events" / "three-languages")
    home = next(t for t in glossary_terms(content, "th") if t.source == "Ministry of Home Affairs")
    assert home.target == "กระทรวงภายใน สปป.ลาว"  # the Lao ministry; กระทรวงมหาดไทย is Thailand's
    province = next(t for t in glossary_terms(content, "th") if t.source == "province")
    assert province.target == "แขวง"  # a Lao province in Thai; จังหวัด is a Thai one
    lao = next(t for t in glossary_terms(content, "lo") if t.source == "Ministry of Home Affairs")
    assert lao.target == "ກະຊວງພາຍໃນ"
    own = next(t for t in glossary_terms(content) if t.source == "Ministry of Home Affairs")
    assert own.target == own.source  # the source texts' checks read one column


def test_the_release_gate_runs_the_checks_the_check_command_runs_and_keeps_their_errors(project: Path) -> None:
    catalog = po_of(project)
    entry = next(m for m in catalog if m.id.startswith("The Inter-ministerial Policy Workshop is a follow-up"))
    entry.string = entry.string.replace("44", "ສີ່ສິບສີ່")
    (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").write_text(catalogs.po_text(catalog), encoding="utf-8")
    content, translations = load(Project.at(project))
    problems = event_problems(Project.at(project), content, translations)
    released = event_problems(Project.at(project), content, translations, release=True)
    assert [p for p in problems if p.severity == "error"] == [p for p in released if p.severity == "error"]
    assert any("[lo] number '44' from the English text is missing" in p.message for p in released)
    assert not any("misspelt" in p.message for p in released)  # spelling is a warning: a release does not ask it
    assert source_problems(content) == [p for p in problems if p.file.startswith("content/")]
    assert catalog_problems(Project.at(project), content, "lo", translations.catalogs["lo"], release=True) == \
        [p for p in released if p.file.startswith("locales/")]


def test_an_imported_translation_carrying_its_footnote_text_is_reported(tmp_path: Path) -> None:
    # Pasted or imported with its footnote, the paragraph printed "…ແຕກຕ່າງກັນ.¹: ຈາກການສຳຫຼວດ…" and nothing said so.
    root = copy_example(tmp_path / "example")
    po = root / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    glued = "ແຕກຕ່າງກັນ.[^1] [^1]: ຈາກການສຳຫຼວດຫ້ອງການເມືອງ ປີ 2021 ຂອງກົມປົກຄອງທ້ອງຖິ່ນ. ມາດຕະຖານຮ່ວມກັນ"
    assert "ແຕກຕ່າງກັນ.[^1] ມາດຕະຖານຮ່ວມກັນ" in text
    po.write_text(text.replace("ແຕກຕ່າງກັນ.[^1] ມາດຕະຖານຮ່ວມກັນ", glued), encoding="utf-8")
    line = text[: text.index('msgid "Offices of local administration')].count("\n") + 1
    result = run(root, "check")
    assert f"locales/lo/LC_MESSAGES/messages.po:{line}: [lo] the translation has a footnote's text ('[^1]: …'), " \
           "which the English text does not" in result.stdout + result.stderr


def test_the_thai_count_has_only_the_labels_a_thai_page_shows(tmp_path: Path) -> None:
    # The three-language event has no recommendations and no breaks: no page shows a status or a break's name,
    # so they are not among the strings left to translate (they were 14 of the 47 counted; "(continued)" of a
    # long row is one of the 34).
    root = copy_event("three-languages", tmp_path)
    out = run(root, "check")
    said = out.stdout + out.stderr
    assert "[th] the documents use 34 strings: 10 translated, 0 fuzzy, 24 untranslated." in said, said
    listed = [line for line in said.splitlines() if "not translated:" in line and "” (in " in line]  # used, by whom
    assert listed and not [line for line in listed
                           if any(label in line for label in ("“Proposed”", "“Coffee break”", "“Panelist:”"))]
    assert any("“Chair:”" in line for line in listed)  # a label a page does show is still counted
