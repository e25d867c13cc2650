"""Documents as data: an event chooses its documents, a new kind is one template and one entry."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import html as lxml_html

from ..conftest import build


def edit(project: Path, file: str, old: str, new: str) -> int:
    """Replace text in a project file once; return the line where the new text starts."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


PRESS_RELEASE = """{% extends "base.html" %}
{% block title %}{{ _("Press release") }} — {{ plain(event.short_title) }}{% endblock %}
{% block body %}
<article class="document press-release" lang="{{ lang }}">
<h1 class="title">{{ t(event.title) }}</h1>
<p>{{ h.dates() }}</p>
</article>
{% endblock %}
"""


def test_a_new_document_kind_is_one_template_and_one_registry_entry(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "press-release.html").write_text(PRESS_RELEASE, encoding="utf-8")
    edit(project, "content/event.yaml", "\nsettings:\n",
         "\ndocuments: [concept-note, agenda, recommendations, outcome, interpreters, {name: press-release}]\n\nsettings:\n")
    build(project)
    out = project / "output"
    for lang, date in (("en", "Tuesday, 23 November 2021"), ("lo", "ວັນອັງຄານ ທີ 23 ພະຈິກ 2021")):
        page = lxml_html.parse(str(out / lang / "press-release.html")).find(".//article")
        assert date in " ".join(page.text_content().split())  # a no-break space joins the Lao date
        assert (out / lang / "press-release.docx").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="lo/press-release.docx"' in index and 'href="en/agenda.html"' in index


def test_an_event_chooses_its_documents(project: Path) -> None:
    edit(project, "content/event.yaml", "\nsettings:\n", "\ndocuments: [agenda]\n\nsettings:\n")
    build(project)
    made = sorted(p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*.html"))
    assert made == ["en/agenda.html", "index.html", "lo/agenda.html"]


def test_a_landscape_document_gets_a_landscape_page(project: Path) -> None:
    edit(project, "content/event.yaml", "\nsettings:\n",
         "\ndocuments: [{name: agenda, landscape: true, paper: Letter}]\n\nsettings:\n")
    build(project)
    with zipfile.ZipFile(project / "output" / "en" / "agenda.docx") as archive:
        body = archive.read("word/document.xml").decode()
    assert re.search(r'<w:pgSz w:w="15840" w:h="12240" w:orient="landscape"/>', body)
    page = (project / "output" / "lo" / "agenda.html").read_text(encoding="utf-8")
    assert "@page { size: Letter landscape; }" in page  # printed from the browser, the same page


SIDE_BY_SIDE = """{% extends "base.html" %}
{% block title %}{{ label(_("Recommendations")) }} — {{ plain(event.short_title) }}{% endblock %}
{% block body %}
<article class="document side-by-side" lang="{{ lang }}">
<h1 class="title">{{ both(event.short_title)[0] }}</h1>
<p class="title" lang="{{ target }}">{{ both(event.short_title)[1] }}</p>
<table>
<thead><tr><th>{{ native[source_lang] }}</th><th lang="{{ target }}">{{ native[target] }}</th></tr></thead>
<tbody>
{% for row in rows %}<tr><td>{{ row.source }}</td><td lang="{{ target }}">{{ row.translation }}</td></tr>
{% endfor %}</tbody>
</table>
</article>
{% endblock %}
"""


def test_a_projects_own_kind_can_be_bilingual_with_one_template_and_one_entry(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "side-by-side.html").write_text(SIDE_BY_SIDE, encoding="utf-8")
    edit(project, "content/event.yaml", "\nsettings:\n",
         "\ndocuments: [concept-note, agenda, recommendations, {name: side-by-side, bilingual: true}]\n\nsettings:\n")
    build(project)
    out = project / "output"
    assert not (out / "en" / "side-by-side.html").exists() and not (out / "lo" / "side-by-side.html").exists()
    page = lxml_html.parse(str(out / "side-by-side.html"))
    assert page.getroot().get("lang") == "en"
    assert page.find(".//p[@lang='lo']").text_content() == "ກອງປະຊຸມປຶກສາຫາລືດ້ານນະໂຍບາຍລະຫວ່າງກະຊວງ ກ່ຽວກັບສູນບໍລິການຜ່ານປະຕູດຽວ"
    # The recommendations' first text, in English and in the Lao the Lao page shows, on one row.
    english, lao = (lxml_html.parse(str(out / lang / "recommendations.html")).find(".//tbody/tr/td[2]").text_content()
                    for lang in ("en", "lo"))
    row = next(tr for tr in page.iterfind(".//tbody/tr") if english in tr[0].text_content())
    assert row[1].get("lang") == "lo" and lao in row[1].text_content()
    with zipfile.ZipFile(out / "side-by-side.docx") as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    paragraphs = ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", body)]
    # The table row is one line of its cells ("1.1 · Recognized … · Proposed …"), in Word as in the page.
    assert any(lao in p and p.startswith("1.1 · ") for p in paragraphs)
    assert any(english in p and p.startswith("1.1 · ") for p in paragraphs)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="side-by-side.html"' in index
