"""Content cannot put active markup into the documents.

Content strings are Markdown with inline HTML, sanitized to a few inline tags;
everything else reaches the page through Jinja with autoescaping on. Hostile
input goes into a Markdown paragraph and into YAML strings; the built HTML
(both languages) and DOCX must hold none of it active, and keep its text.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html

from songphasa.content.load import load_event
from songphasa.errors import ContentError

from .conftest import build, copy_project

REPO = Path(__file__).resolve().parent.parent

HOSTILE = ('Before <script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) '
           '<a href="javascript:alert(2)">link</a> <a href="JaVaScRiPt:alert(5)">upper</a> '
           '<span onclick="alert(3)">span</span> <iframe src="https://evil.example/"></iframe> '
           '<object data="x.swf"></object><form action="https://evil.example/"><input name=x></form> '
           '[safe](https://example.org/) [mail](mailto:someone@example.org) '
           r'<a href="\\fileserver\share\x.docx">unc</a> [hostrel](//fileserver/x) [absolute](/etc/passwd) '
           '[upward](../x) <span class="needs-translation">faked</span> <span class="hidden">hidden</span> after')
#: Link targets that must not reach a page or a Word hyperlink.
UNSAFE_TARGETS = ("fileserver", "/etc/passwd", "../x")
#: Documents that show no position (where HOSTILE is put in people.yaml) nor prose: they keep none of its words.
NO_POSITIONS = ("name-plates", "sign-in")
#: Text of HOSTILE a reader should still see.
KEPT = ("Before", "click", "link", "upper", "span", "safe", "mail", "unc", "hostrel", "absolute", "upward", "faked",
        "hidden", "after")
ACTIVE_TAGS = {"script", "iframe", "img", "object", "embed", "form", "input", "frame", "frameset", "base",
               "link", "meta", "svg", "math", "video", "audio", "source"}
#: Tags the page itself has outside the article (head).
PAGE_TAGS = {"meta", "link"}




def edit(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the sample's {file} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def yaml_string(text: str) -> str:
    """Quote text for YAML (JSON strings are YAML double-quoted strings)."""
    return json.dumps(text, ensure_ascii=False)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sample with hostile text in prose and in YAML strings."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "event")
    with (project / "content" / "concept-note.md").open("a", encoding="utf-8") as handle:
        handle.write(f"\n{HOSTILE}\n")
    edit(project, "content/people.yaml", "  position: Director\n", f"  position: {yaml_string(HOSTILE)}\n")
    edit(project, "content/recommendations.yaml", '        status: proposed\n        confirmed: ""\n',
         f"        status: modified\n        confirmed: {yaml_string(HOSTILE)}\n")
    edit(project, "content/event.yaml", "short_title: ", "short_title: <b>Bold</b> <script>alert(4)</script> R&D < 5 — ")
    edit(project, "content/event.yaml", "online: Zoom", f"online: {yaml_string('Zoom <b>now</b> <script>x()</script>')}")
    build(project)
    return project / "output"


def pages(output: Path) -> list[Path]:
    found = sorted(output.glob("*/*.html"))
    assert {p.parent.name for p in found} >= {"en", "lo"}
    return found


def documents(output: Path) -> list[Path]:
    return [p for p in pages(output) if p.parent.name in ("en", "lo")]


def test_html_has_no_active_content(output: Path) -> None:
    for path in [*pages(output), output / "index.html"]:
        tree = lxml_html.fromstring(path.read_bytes())
        article = tree.find(".//body" if path.name == "index.html" else ".//article")
        assert article is not None, path
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            where = f"{path.relative_to(output)}: <{element.tag}>"
            inside = element is article or article in element.iterancestors()
            assert element.tag not in ACTIVE_TAGS - (set() if inside else PAGE_TAGS), where
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), f"{where} has {name}"
                assert name.lower() not in ("style", "srcdoc", "formaction", "src"), f"{where} has {name}"
                if name.lower() in ("href", "action", "xlink:href"):
                    scheme = urlsplit(value.strip()).scheme.lower()
                    assert scheme in ("http", "https", "mailto", ""), f"{where} links to {value!r}"
                    if path.name != "index.html" and inside:
                        assert scheme or value.startswith("#"), f"{where} links to {value!r}"


def test_hostile_text_is_kept_as_words(output: Path) -> None:
    for path in documents(output):
        tree = lxml_html.fromstring(path.read_bytes())
        text = " ".join(tree.find(".//article").itertext())
        for word in KEPT if path.stem not in NO_POSITIONS else ():
            assert word in text, f"{path.relative_to(output)} lost '{word}'"
        assert "alert(" not in text, f"{path.relative_to(output)} shows script source as text"


def test_links_that_are_safe_survive(output: Path) -> None:
    tree = lxml_html.fromstring((output / "en" / "concept-note.html").read_bytes())
    hrefs = {a.get("href") for a in tree.iter("a")}
    assert {"https://example.org/", "mailto:someone@example.org"} <= hrefs


def test_plain_values_are_escaped_by_jinja(output: Path) -> None:
    """A value that is not Markdown (the online venue) shows its angle brackets as text."""
    for lang in ("en", "lo"):
        tree = lxml_html.fromstring((output / lang / "concept-note.html").read_bytes())
        article = tree.find(".//article")
        assert "Zoom <b>now</b> <script>x()</script>" in "".join(article.itertext())
        assert article.find(".//b") is None and article.find(".//script") is None


def test_markup_in_a_title_is_never_markup(output: Path) -> None:
    for path in documents(output):
        tree = lxml_html.fromstring(path.read_bytes())
        assert tree.find(".//b") is None and tree.find(".//script") is None, path
        title = tree.findtext(".//title")
        assert "Bold R&D < 5 —" in " ".join(title.split()), (path, title)  # text, entities read as characters
        assert "<b>" not in title and "&lt;" not in title and "alert" not in title, (path, title)
        style = tree.findtext(".//style")  # the printed page's running header is a CSS string
        assert "@top-right { content: \"Bold R&D \\3c  5 —" in style, path
        assert "<b>" not in style and "</" not in style, path


def test_docx_has_no_active_content(output: Path) -> None:
    docx = sorted(output.glob("*/*.docx"))
    assert {p.parent.name for p in docx} >= {"en", "lo"}
    for path in docx:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            assert not [n for n in names if n.endswith((".bin", ".js")) or "vbaProject" in n or "activeX" in n], path
            body = archive.read("word/document.xml")
            for tag in (b"w:altChunk", b"w:object", b"w:pict", b"w:drawing", b"w:fldSimple", b"w:instrText"):
                assert tag not in body, f"{path.relative_to(output)} contains {tag.decode()}"
            text = "".join(etree.fromstring(body).itertext())
            assert "alert(" not in text, path
            for word in ("Before", "click", "after") if path.stem not in NO_POSITIONS else ():
                assert word in text, f"{path.relative_to(output)} lost '{word}'"
            rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
            for rel in rels:
                target = rel.get("Target", "")
                if rel.get("TargetMode") == "External":
                    assert urlsplit(target).scheme.lower() in ("http", "https", "mailto"), (path, target)
                else:
                    assert not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target), (path, target)


@pytest.mark.parametrize("speech", ["../outside.txt", "/etc/hostname", "content/../../outside.txt", "link.txt"])
def test_a_file_named_in_content_must_lie_inside_the_project(tmp_path: Path, speech: str) -> None:
    """An agenda item's speech text is read from disk: never from outside the event project."""
    project = copy_project(tmp_path / "event")
    (tmp_path / "outside.txt").write_text("a secret\n", encoding="utf-8")
    (project / "link.txt").symlink_to(tmp_path / "outside.txt")
    edit(project, "content/agenda.yaml", "        photo_session: true\n",
         f"        photo_session: true\n        speech: {yaml_string(speech)}\n")

    with pytest.raises(ContentError) as caught:
        load_event(project)

    assert [p.message for p in caught.value.problems] == [f"the speech text '{speech}' is outside the event project"]
    assert caught.value.problems[0].file == "content/agenda.yaml"


def test_links_only_by_scheme_and_no_class_from_content(output: Path) -> None:
    for path in documents(output):
        tree = lxml_html.fromstring(path.read_bytes())
        for a in tree.find(".//article").iter("a"):
            href = a.get("href") or ""
            assert not any(target in href for target in UNSAFE_TARGETS), f"{path.relative_to(output)}: {href!r}"
        for element in tree.xpath('//*[@class="hidden" or (contains(@class, "needs-translation") and .="faked")]'):
            raise AssertionError(f"{path.relative_to(output)}: content set a class on {element.text_content()!r}")
    for path in sorted(output.glob("*/*.docx")):
        with zipfile.ZipFile(path) as archive:
            rels = " ".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".rels"))
        assert not any(target in rels for target in UNSAFE_TARGETS), path


PLAIN_STRINGS = [
    "The Ministry of Home Affairs (MOHA), Lao PDR, is organizing a workshop.",
    "ກະຊວງພາຍໃນ ຈະຈັດກອງປະຊຸມ ກ່ຽວກັບສູນບໍລິການຜ່ານປະຕູດຽວ.",
    'He said "yes" and it\'s done: 50% of 2026, 3.5 hours, A/B, x = y, {project_code}, e.g. this.',
    "See http://example.org/a?b=c for more", "Item 2.", "a -- b — c – d … “quoted” ‘single’",
    "1.5 hours", "2026", "Q&A", "a * b", "snake_case", "a [b] c", "x < y", "- a list?", "1. a list?",
    "# a heading?", "> a quote?", "trailing space ", " leading space", "two  spaces", "line\nbreak",
    "tab\there", "no\u00a0break", "back\\slash", "`code`", "<b>bold</b>", "&amp;", "= sign first",
    "+ plus first", "10) ten", "Ends with two spaces  ",
]


@pytest.mark.parametrize("source", PLAIN_STRINGS)
def test_a_string_left_out_of_markdown_comes_out_as_markdown_makes_it(source: str) -> None:
    """inline_markdown skips Markdown for plain strings: the HTML must be what Markdown would have made."""
    import markdown as markdown_library

    from songphasa.render import markdown
    made = markdown_library.markdown(markdown.hide_stray_brackets(source), output_format="html")
    made = re.sub(r"^<p>(.*)</p>$", r"\1", markdown.show_brackets(made).strip(), flags=re.S)
    assert markdown.inline_markdown(source) == markdown.sanitized(made)


# --- a received project's templates reach only the values they are given ----------------------

#: What a hostile template of a received project tried (each line reached a file outside the project).
ESCAPES = {
    "read": '{{ c.root.parent.joinpath("secret.txt").read_text() }}',
    "write": '{{ c.root.parent.joinpath("planted.txt").write_text("planted") }}',
    "list": '{% for p in c.root.parent.iterdir() %}{{ p }}{% endfor %}',
    "delete": '{{ c.root.parent.joinpath("secret.txt").unlink() }}',
    "by item": '{{ c["root"].parent.joinpath("secret.txt").read_text() }}',
    "by filter": '{{ (c|attr("root")).parent.joinpath("secret.txt").read_text() }}',
    "through a helper": '{{ h.content.root.parent.joinpath("secret.txt").read_text() }}',
}


def refused_outcome_template(project: Path, expression: str) -> BaseException:
    """Give the project an outcome template with the expression on its line 2; return the build's refusal."""
    from songphasa.errors import TemplateError

    (project / "templates").mkdir()
    (project / "templates" / "outcome.html").write_text(
        '{% extends "base.html" %}{% block body %}<article lang="{{ lang }}">\n<p>' + expression +
        '</p>\n</article>{% endblock %}\n', encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        build(project)
    return raised.value


@pytest.mark.parametrize("expression", ESCAPES.values(), ids=list(ESCAPES))
def test_a_project_template_cannot_reach_files_through_a_path(tmp_path: Path, expression: str) -> None:
    project = copy_project(tmp_path / "event")
    secret = tmp_path / "secret.txt"
    secret.write_text("the user's own file", encoding="utf-8")
    raised = refused_outcome_template(project, expression)
    said = str(raised)
    assert "templates/outcome.html:2: template reaches beyond the values it is given" in said, said
    assert secret.read_text(encoding="utf-8") == "the user's own file"
    assert not (tmp_path / "planted.txt").exists()
    assert not (project / "output").exists()


@pytest.mark.parametrize("expression, said", [
    ('{{ h.name("nobody") }}', "no person has the id 'nobody' (content/people.yaml)"),
    ('{{ h.short_org("nowhere") }}', "no organization has the id 'nowhere'"),
])
def test_a_template_naming_an_unknown_id_gets_an_error_at_its_line(tmp_path: Path, expression: str, said: str) -> None:
    """It was an internal error (KeyError) of the helpers."""
    project = copy_project(tmp_path / "event")
    raised = refused_outcome_template(project, expression)
    assert f"templates/outcome.html:2: template uses an undefined name: {said}" in str(raised)


@pytest.mark.parametrize("command, written", [(["init", "th"], "locales/th/LC_MESSAGES/messages.po"),
                                              (["extract"], "locales/messages.pot")])
def test_a_locales_folder_linked_outside_the_project_is_never_written_through(tmp_path: Path, command: list[str],
                                                                              written: str) -> None:
    """A received project's locales/ linked to another folder: init and extract wrote there."""
    from .i18n.helpers import run
    project = copy_project(tmp_path / "event")
    outside = tmp_path / "elsewhere"
    (project / "locales").rename(outside)
    (project / "locales").symlink_to(outside)
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    result = run(project, *command)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{written}: lies in a folder that is a link to outside the project: "
                                          "nothing was written — replace the link with the folder itself"]
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("expression, said", [
    ('{{ "x" * 400000000 }}', "a repetition would make 400,000,000 items, more than the 1,000,000 a template may make"),
    ('{{ [1, 2] * 900000 }}', "a repetition would make 1,800,000 items"),
    ('{{ 9 ** 9999999 }}', "a power would have more than 100,000 bits"),
    ('{{ "%0999999999d" % 1 }}', "a format would pad to more than a million characters"),
])
def test_a_project_template_cannot_make_a_value_larger_than_any_page_needs(tmp_path: Path, expression: str,
                                                                          said: str) -> None:
    """"x" * 400000000 took 2 GB of memory, 9 ** 9999999 minutes."""
    raised = refused_outcome_template(copy_project(tmp_path / "event"), expression)
    assert f"templates/outcome.html:2: template reaches beyond the values it is given ({said}" in str(raised)


def test_lipsum_is_no_name_a_template_has(tmp_path: Path) -> None:
    """lipsum(10000000) ran for minutes."""
    raised = refused_outcome_template(copy_project(tmp_path / "event"), "{{ lipsum(10000000) }}")
    assert "templates/outcome.html:2: template uses an undefined name: 'lipsum' is undefined" in str(raised)


def test_a_page_that_renders_without_end_is_stopped_at_its_template(tmp_path: Path, monkeypatch) -> None:
    """Two loops of range(100000), one in the other, ran on without end."""
    from songphasa.render import template
    monkeypatch.setattr(template, "RENDER_SECONDS", 1)
    raised = refused_outcome_template(copy_project(tmp_path / "event"), "{% for i in range(100000) %}"
                                      "{% for j in range(100000) %}{% endfor %}{% endfor %}")
    assert str(raised).startswith("templates/outcome.html:2: the page took more than 1 s to render")
