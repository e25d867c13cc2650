"""The message template: every string of the content and the templates, with its place and a comment."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from songphasa.content.load import load_event
from songphasa.i18n.extract import build_template
from songphasa.i18n.po import po_text
from songphasa.i18n.sources import catalog_source
from songphasa.project import BUILTIN_TEMPLATES, Project

from ..conftest import REPO, copy_example
from .helpers import PO, edit, run


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
    expected = po_text(build_template(catalog_source(content), Project(REPO)), template=True)
    assert (REPO / "locales" / "messages.pot").read_text(encoding="utf-8") == expected


def test_a_number_in_a_table_is_no_entry_and_every_language_shows_it(tmp_path: Path) -> None:
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


def test_update_refuses_a_broken_template_instead_of_making_its_strings_obsolete(project: Path) -> None:
    (project / "templates").mkdir()
    source = (BUILTIN_TEMPLATES / "agenda.html").read_text(encoding="utf-8")
    broken = source.replace("{% endblock %}", "{% endblock", 1)
    assert broken != source, "the built-in agenda template no longer has an endblock: update this test"
    (project / "templates" / "agenda.html").write_text(broken, encoding="utf-8")
    po = project / PO
    before = po.read_bytes()
    result = run(project, "update")
    assert result.returncode == 1
    assert result.stderr.startswith("templates/agenda.html:") and "template syntax error" in result.stderr
    assert "internal error" not in result.stderr
    assert po.read_bytes() == before


def test_a_projects_own_template_replaces_the_built_in_ones_strings(project: Path) -> None:
    """A template of the project's own, of a built-in's name, is the one extracted (named as the project's)."""
    (project / "templates").mkdir()
    source = (BUILTIN_TEMPLATES / "agenda.html").read_text(encoding="utf-8")
    (project / "templates" / "agenda.html").write_text(
        source.replace("{% endblock %}", "{{ _('Our own label') }}{% endblock %}", 1), encoding="utf-8")
    template = build_template(catalog_source(load_event(project)), Project(project))
    own = template.get("Our own label")
    assert own is not None and [file for file, _ in own.locations] == ["templates/agenda.html"]
    assert not any(file == "songphasa/templates/agenda.html" for m in template for file, _ in m.locations)
