"""The translation workflow: no translation is ever lost, nothing is silently English."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from songphasa.project import BUILTIN_TEMPLATES
from songphasa import catalogs
from songphasa.model import load_event
from songphasa.project import Project

from .conftest import REPO, require_renderer


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), *args],
                          capture_output=True, text=True)


def po_of(project: Path, lang: str = "lo") -> Catalog:
    return catalogs.read_catalog(project / "locales" / lang / "LC_MESSAGES" / "messages.po", project, locale=lang)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def translate_all(project: Path) -> None:
    """Give every entry a Lao string (for tests that need a complete catalog)."""
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    catalog = po_of(project)
    for message in catalog:
        if message.id and not message.string:
            source = message.id[0] if isinstance(message.id, tuple) else message.id
            message.string = ("ລາວ " + source,) if isinstance(message.id, tuple) else "ລາວ " + source
        message.flags.discard("fuzzy")
    path.write_text(catalogs.po_text(catalog), encoding="utf-8")


# --- extract ----------------------------------------------------------------------------------

def test_extract_is_stable_and_has_references_and_comments(project: Path) -> None:
    assert run(project, "extract").returncode == 0
    pot = (project / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert run(project, "extract").returncode == 0
    assert (project / "locales" / "messages.pot").read_text(encoding="utf-8") == pot
    assert "#: content/people.yaml:" in pot and "#: songphasa/templates/_agenda.html:" in pot
    assert '#. Name of a person: write it in Lao script' in pot
    assert 'msgctxt "recommendations.topics.1.recommendations.1.2.proposed"' in pot
    assert "POT-Creation-Date: 2021-01-01 00:00+0000" in pot  # no clock time, no churn


def test_committed_template_is_up_to_date() -> None:
    content = load_event(REPO)
    expected = catalogs.po_text(catalogs.build_template(content, Project(REPO)), template=True)
    assert (REPO / "locales" / "messages.pot").read_text(encoding="utf-8") == expected


def test_pybabel_extract_gives_the_same_entries(project: Path) -> None:
    shutil.copytree(BUILTIN_TEMPLATES, project / "templates")
    shutil.copy(REPO / "babel.cfg", project / "babel.cfg")
    out = project / "pybabel.pot"
    result = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                             "-o", str(out), "."], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    ours = {(m.context, m.id) for m in catalogs.build_template(load_event(project), Project(project)) if m.id}
    theirs = {(m.context, m.id) for m in catalogs.read_catalog(out, project) if m.id}
    assert theirs == ours


def test_a_number_in_a_table_is_no_entry_and_every_language_shows_it(tmp_path: Path) -> None:
    from .conftest import copy_example
    project = copy_example(tmp_path / "event")
    assert run(project, "extract").returncode == 0
    pot = (project / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert 'msgid "Ministry of Finance"' in pot and 'msgid "4"' not in pot and 'msgid "36"' not in pot

    def cells(lang: str) -> list[str]:
        page = lxml_html.parse(str(project / "output" / lang / "concept-note.html"))
        rows = page.xpath("//section[@id='participants']//tbody/tr")
        assert rows and not page.xpath("//section[@id='participants']//td//*[@class='needs-translation']")
        return [row.xpath("string(td[2])").strip() for row in rows]

    assert run(project, "build").returncode == 0
    assert cells("en") == cells("lo") == ["36", "54", "4"]
    edit(project / "content" / "event.yaml", "  languages: [lo]\n", "  languages: [lo]\n  native_digits: [lo]\n")
    assert run(project, "build").returncode == 0
    assert cells("lo") == ["໓໖", "໕໔", "໔"] and cells("en") == ["36", "54", "4"]


# --- update keeps every translation -----------------------------------------------------------------

def test_changed_english_keeps_its_translation_fuzzy_with_the_previous_text(project: Path) -> None:
    context = "recommendations.topics.1.recommendations.1.3.proposed"
    before = next(m for m in po_of(project) if m.context == context)
    assert before.string
    edit(project / "content" / "recommendations.yaml", "Resolved that an appropriate coordination",
         "Resolved, after a long and substantial discussion among all the deputy ministers present, that a suitable coordination")
    result = run(project, "update")
    assert result.returncode == 0, result.stderr
    assert f"fuzzy: {context}" in result.stdout
    after = next(m for m in po_of(project) if m.context == context)
    assert after.string == before.string
    assert "fuzzy" in after.flags
    assert after.previous_id == [before.id]
    po_text = (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert f'#| msgid "{before.id}"' in po_text
    # The record survives later updates until the translator clears the fuzzy flag.
    assert run(project, "update").returncode == 0
    po_text = (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert f'#| msgid "{before.id}"' in po_text


def test_deleted_paragraph_keeps_its_translation_as_obsolete(project: Path) -> None:
    before = po_of(project)
    deleted = next(m for m in before if m.id.startswith("Citizen-centric services cannot be created"))
    below = next(m for m in before if m.id.startswith("Experts and citizens agree"))
    source = (project / "content" / "concept-note.md").read_text(encoding="utf-8")
    source = source.replace(deleted.id + "\n\n", "")
    (project / "content" / "concept-note.md").write_text(source, encoding="utf-8")
    assert run(project, "update").returncode == 0
    catalog = po_of(project)
    assert any(m.string == deleted.string for m in catalog.obsolete.values())
    # The paragraph after it moved up one place and kept its id and translation, not fuzzy.
    moved = next(m for m in catalog if m.context == below.context)
    assert moved.string == below.string and "fuzzy" not in moved.flags


def test_update_output_passes_msgfmt_check(project: Path) -> None:
    require_renderer("msgfmt")
    edit(project / "content" / "people.yaml", "Head of Cabinet", "Head of the Minister's Cabinet")
    assert run(project, "update").returncode == 0
    for path in [project / "locales" / "messages.pot", project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"]:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_committed_catalogs_pass_msgfmt_check() -> None:
    require_renderer("msgfmt")
    for path in [REPO / "locales" / "messages.pot", *sorted(REPO.glob("locales/*/LC_MESSAGES/messages.po"))]:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def _catalog(entries: list[tuple[str, str, str]], fuzzy: set[str] = frozenset()) -> Catalog:
    catalog = Catalog(locale="lo")
    for context, msgid, msgstr in entries:
        catalog.add(msgid, msgstr, context=context, flags={"fuzzy"} if context in fuzzy else ())
    return catalog


words = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).map(lambda s: s.strip() or "x")


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(words, min_size=1, max_size=8, unique=True),
    edits=st.lists(st.tuples(st.sampled_from(["edit", "insert", "delete"]), st.integers(0, 10), words), max_size=6),
)
def test_no_translation_is_ever_lost(paragraphs: list[str], edits: list) -> None:
    # Paragraph ids are positional within a section, as for Markdown prose.
    old = _catalog([(f"s.{i}", text, f"ລາວ-{i}-{text}") for i, text in enumerate(paragraphs)])
    current = list(paragraphs)
    for action, at, text in edits:
        at = at % (len(current) + 1)
        if action == "insert":
            current.insert(at, text)
        elif action == "delete" and current and at < len(current):
            del current[at]
        elif current and at < len(current):
            current[at] = current[at] + " " + text
    template = _catalog([(f"s.{i}", text, "") for i, text in enumerate(current)])
    merged, _ = catalogs.merge(old, template)
    kept = {m.string for m in merged if m.id} | {m.string for m in merged.obsolete.values()}
    lost = {m.string for m in old if m.id} - kept
    assert lost == set()
    for message in merged:  # an unchanged paragraph keeps its own translation, not fuzzy
        if message.id in paragraphs and message.id in current:
            assert message.string.endswith("-" + message.id)
            assert "fuzzy" not in message.flags


def test_update_names_the_event_in_the_header_as_content_does_now(project: Path) -> None:
    edit(project / "content" / "event.yaml", "short_title: Inter-ministerial Policy Workshop on One-Door-Service Centers",
         "short_title: Regional Consultation on Digital Services")
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    translated = {(m.context, m.id): m.string for m in po_of(project) if m.id and m.string}
    assert run(project, "update").returncode == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Translations of Regional Consultation on Digital Services.\n")
    assert '"Project-Id-Version: Regional Consultation on Digital Services 1\\n"' in text
    kept = {(m.context, m.id): m.string for m in po_of(project) if m.id and m.string}
    assert {key: value for key, value in translated.items() if key[0] != "event.short_title"}.items() <= kept.items()


def test_update_keeps_a_header_comment_the_translator_wrote(project: Path) -> None:
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    mine = "# Lao translation of the workshop, by the MOHA translation unit.\n#\n"
    path.write_text(mine + text[text.index('msgid ""'):], encoding="utf-8")
    assert run(project, "update").returncode == 0
    assert path.read_text(encoding="utf-8").startswith("# Lao translation of the workshop, by the MOHA translation unit.")


# --- check and release ------------------------------------------------------------------------------------

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
    path.write_text(catalogs.po_text(catalog), encoding="utf-8")
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


def test_draft_marks_untranslated_english_and_release_refuses(project: Path) -> None:
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    catalog = po_of(project)
    entry = next(m for m in catalog if m.context == "recommendations.topics.2.recommendations.2.1.proposed")
    entry.string = ""
    path.write_text(catalogs.po_text(catalog), encoding="utf-8")

    result = run(project)
    assert result.returncode == 0, result.stderr
    assert "[lo] 1 string(s) are shown in the source language, marked" in result.stdout
    page = lxml_html.parse(str(project / "output" / "lo" / "recommendations.html"))
    marked = page.getroot().find_class("needs-translation")
    assert [" ".join(m.text_content().split()) for m in marked] == [entry.id]
    assert marked[0].get("lang") == "en"
    assert ".needs-translation" in page.findtext(".//style")
    with zipfile.ZipFile(project / "output" / "lo" / "recommendations.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    highlighted = re.findall(r'<w:r>(?:(?!</w:r>).)*?<w:highlight w:val="yellow"/>(?:(?!</w:r>).)*?<w:t[^>]*>([^<]*)</w:t>', xml)
    assert "".join(highlighted).strip().startswith("Resolved that guidance will be issued")

    before = sorted(p.read_bytes() for p in (project / "output").rglob("*.html"))
    result = run(project, "--release")
    assert result.returncode == 1
    assert "[lo] not translated: “Resolved that guidance will be issued" in result.stderr
    assert "(from content/recommendations.yaml:" in result.stderr
    assert sorted(p.read_bytes() for p in (project / "output").rglob("*.html")) == before


def test_init_starts_a_catalog_for_another_language(project: Path) -> None:
    result = run(project, "init", "th")
    assert result.returncode == 0, result.stderr
    assert "Started locales/th/LC_MESSAGES/messages.po" in result.stdout
    catalog = po_of(project, "th")
    assert catalog.locale_identifier == "th"
    assert not any(catalogs._has_translation(m) for m in catalog if m.id)
    assert run(project, "init", "th").returncode == 1


def test_update_refuses_a_broken_template_instead_of_making_its_strings_obsolete(project: Path) -> None:
    from songphasa.project import BUILTIN_TEMPLATES
    (project / "templates").mkdir()
    source = (BUILTIN_TEMPLATES / "agenda.html").read_text(encoding="utf-8")
    broken = source.replace("{% endblock %}", "{% endblock", 1)
    assert broken != source, "the built-in agenda template no longer has an endblock: update this test"
    (project / "templates" / "agenda.html").write_text(broken, encoding="utf-8")
    po = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    before = po.read_bytes()
    result = run(project, "update")
    assert result.returncode == 1
    assert result.stderr.startswith("templates/agenda.html:") and "template syntax error" in result.stderr
    assert "internal error" not in result.stderr
    assert po.read_bytes() == before
