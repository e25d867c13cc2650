"""The foundation: one source, twelve matching documents, checked as a reader would."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from songphasa import parity
from songphasa.errors import ParityError
from songphasa.project import BUILTIN_TEMPLATES

from .conftest import REPO, build, copy_project, require_renderer, soffice_runs

DOCUMENTS = ("concept-note", "agenda", "recommendations", "outcome")
LANGS = ("en", "lo")
LAO = re.compile(r"[\u0e80-\u0eff]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def article(root: Path, lang: str, document: str) -> lxml_html.HtmlElement:
    tree = lxml_html.parse(str(root / "output" / lang / f"{document}.html"))
    return tree.find(".//article")


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def normalise(text: str) -> str:
    """Compare texts as a reader would: quotes, dashes and spaces don't matter."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"([/-]) ", r"\1", text)
    return text.strip().lower()


# --- what is made ----------------------------------------------------------------

def test_builds_twelve_documents_and_an_index(built: Path) -> None:
    out = built / "output"
    for lang in LANGS:
        for document in DOCUMENTS:
            assert (out / lang / f"{document}.html").stat().st_size > 1000
            assert zipfile.is_zipfile(out / lang / f"{document}.docx")
    index = lxml_html.parse(str(out / "index.html"))
    links = {a.get("href") for a in index.iter("a")}
    assert {f"{lang}/{doc}.{ext}" for lang in LANGS for doc in DOCUMENTS for ext in ("html", "docx")} <= links


def test_rebuild_is_byte_identical(project: Path) -> None:
    def digest() -> dict[str, str]:
        return {p.relative_to(project).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted((project / "output").rglob("*")) if p.is_file()}
    build(project)
    first = digest()
    build(project)
    assert digest() == first
    # 16 documents, 20 of people, index.html, the interpreters' pack (HTML, DOCX, the glossary as CSV, Lao CSV and
    # TBX), the calendar invitation and the build record
    assert len(first) == 44 and "output/.songphasa-build.json" in first and "output/invitation.ics" in first


@pytest.mark.renderer
def test_builds_in_other_folders_zones_locales_and_umasks_are_byte_identical(tmp_path: Path) -> None:
    """Two organizers building the same project on their machines get the same files: every name and byte.

    PDFs and the distribution packs included (zips, .eml drafts, manifests, the
    interpreters' pack), and the build record. One double build, as it costs
    four LibreOffice runs.
    """
    import os

    require_renderer("soffice", "pdffonts", "pdftotext")

    def run(root: Path, zone: str, locale: str, umask: int) -> dict[str, str]:
        env = {**os.environ, "TZ": zone, "LC_ALL": locale, "LANG": locale}
        for command in (["--release", "--pdf"], ["--release", "distribute"]):
            result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(root), *command],
                                    env=env, cwd=root.parent, capture_output=True, text=True,
                                    preexec_fn=lambda: os.umask(umask), timeout=900)
            assert result.returncode == 0, result.stderr
        out = root / "output"
        return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(out.rglob("*")) if p.is_file()}

    def project(where: Path) -> Path:
        root = copy_project(where)
        (root / "templates").mkdir()  # a project's own template, as an organizer would restyle it
        (root / "templates" / "style.css").write_bytes((BUILTIN_TEMPLATES / "style.css").read_bytes() + b"\n")
        return root

    first = run(project(tmp_path / "a" / "event"), "Asia/Vientiane", "C.UTF-8", 0o022)
    # UTC on one side: LibreOffice writes its dates as "Z" there and "+07'00'" in Vientiane, of another width.
    second = run(project(tmp_path / "b" / "somewhere else" / "event"), "UTC", "C", 0o077)
    names = set(first)
    assert {n for n in names if n.endswith(".pdf") and not n.startswith("distribution/")} >= {
        "en/agenda.pdf", "lo/agenda.pdf", "interpreters/pack.pdf"}, sorted(names)
    assert any(n.startswith("distribution/") and n.endswith(".zip") for n in names)
    assert any(n.startswith("distribution/") and n.endswith(".pdf") for n in names)
    assert sorted(first) == sorted(second)
    assert [n for n in sorted(first) if first[n] != second[n]] == []


# --- the English text is the seed's, complete ------------------------------------------

#: The reviewer's corrections of the seed: the agenda has five sessions; the ministry's 2021 name;
#: one spelling of each glossary term.
CORRECTIONS = (("four parts", "five parts"),
               ("Ministry of Post, Telecommunication and Communication", "Ministry of Technology and Communications"),
               ("One Door Service Centers", "One-Door-Service Centers"),
               ("One-Stop-Shops", "One-Stop Shops"))


def corrected(seed: str) -> str:
    for wrong, right in CORRECTIONS:
        seed = re.sub(r"\s+".join(map(re.escape, wrong.split())), right, seed)
    return seed


def seed_prose() -> list[str]:
    """Return the sentences of sections I–VI of the real concept note."""
    seed = (REPO / "tests" / "fixtures" / "seed-concept-note.txt").read_text(encoding="utf-8")
    body = seed[seed.index("I. Event Description"):seed.index("VII.  Agenda")]
    body = re.sub(r"-\s*\n\s*", "-", body)  # words hyphenated across lines
    body = body.replace("ODCSs", "ODSCs").replace("ODCS", "ODSC")  # the seed's own typo
    body = corrected(body)
    lines = [line.strip() for line in body.splitlines()]
    keep = [line for line in lines if line and not re.fullmatch(r"[IVX]+\.\s+.*", line)]
    # A numbered building block ends where its line ends: mark it as a sentence of its own.
    text = " ".join(re.sub(r"^\d\.\s+(.*)$", r"\1.", re.sub(r"^-\s+", "", line)) for line in keep)
    sentences = [s.rstrip(".") if len(s) < 90 else s for s in re.split(r"(?<=[.;:])\s+(?=[A-Z(])", text)]
    return [s for s in (normalise(s) for s in sentences) if len(s) > 12]


def test_english_concept_note_has_every_sentence_of_the_seed(built: Path) -> None:
    text = normalise(text_of(article(built, "en", "concept-note")))
    missing = [s for s in seed_prose() if s not in text]
    assert len(seed_prose()) > 45
    assert missing == []


def test_english_concept_note_has_every_recommendation_building_block_and_contact(built: Path) -> None:
    seed = (REPO / "tests" / "fixtures" / "seed-concept-note.txt").read_text(encoding="utf-8")
    seed = corrected(re.sub(r"\s+", " ", seed))
    text = normalise(text_of(article(built, "en", "concept-note")))
    recommendations = re.findall(r"Recommendation (\d\.\d): (.*?)(?= Recommendation \d\.\d:| Confirmed)", seed)
    assert [number for number, _ in recommendations] == ["1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "4.1", "4.2", "4.3"]
    for number, sentence in recommendations:
        assert normalise(f"Recommendation {number}: {sentence}") in text
    for block in ["Political commitment", "Transformational leadership, human resources and changing mindsets",
                  "Coherence between national and local/regional level", "Digital Technology and Data",
                  "Monitoring, reporting and evaluation (including mechanisms for citizen feedback)"]:
        assert normalise(block) in text
    for email in ["zhu@un.org", "alberti@un.org", "rabinovitch@un.org", "bokyun.shim@un.org", "prabin.maharjan@un.org"]:
        assert email in text
    for item in ["Overview Presentation on Background, Successes and Challenges of One-Door-Service Centers in Lao PDR",
                 "The Way Forward for One Door Service in Lao PDR: ODSC Strategic Roadmap",
                 "Outcome and Implications of UN DESA's Support Activities on ODSCs in Lao PDR",
                 "Summary of Recommendations", "Photo session", "Programme Chair: H. E. Mr. Thongchanh Manixay"]:
        assert normalise(item) in text
    assert "odcs" not in text


# --- computed, never typed ---------------------------------------------------------------

def test_times_in_every_zone_with_the_date_where_it_differs(built: Path) -> None:
    cover = [text_of(p) for p in article(built, "en", "concept-note").find("header").iter("p")]
    assert "Tuesday, 23 November 2021" in cover
    # 24-hour times, as the agenda writes them: the seed's "14:00 pm" and "21:00 pm" cannot happen.
    assert "09:00–12:00 Lao time" in cover
    assert "11:00–14:00 KST" in cover
    assert "21:00 (22 November)–00:00 EST" in cover
    assert " AM" not in cover and " PM" not in cover
    lao_cover = [text_of(p) for p in article(built, "lo", "concept-note").find("header").iter("p")]
    assert "ວັນອັງຄານ ທີ 23 ພະຈິກ 2021" in lao_cover
    assert any(line.startswith("21:00 (ວັນທີ 22 ພະຈິກ)–00:00") for line in lao_cover)
    assert any(line.startswith("11:00–14:00") for line in lao_cover)


def test_durations_and_total_are_computed_from_start_times(built: Path) -> None:
    rows = article(built, "en", "agenda").findall(".//table[@class='agenda']/tbody/tr")
    times = [" ".join(text_of(p) for p in row.find("td").iter("p")) for row in rows if not {"session", "chair"} & set(row.get("class", "").split())]
    assert times == ["09:00–09:30 (30 min)", "09:30–09:50 (20 min)", "09:50–10:10 (20 min)",
                     "10:10–10:20 (10 min)", "10:20–10:30 (10 min)", "10:30–11:30 (60 min)",
                     "11:30–11:40 (10 min)", "11:40–12:00 (20 min)"]
    assert "Total: 3 hours" in text_of(article(built, "en", "agenda"))


# --- the two languages match ----------------------------------------------------------------

@pytest.mark.parametrize("document", DOCUMENTS)
def test_both_languages_have_the_same_structure(built: Path, document: str) -> None:
    en = [b.path for b in parity.structure(article(built, "en", document))]
    lo = [b.path for b in parity.structure(article(built, "lo", document))]
    assert en == lo
    assert {"h1", "p"} <= set(en)
    if document != "outcome":
        assert {"table/tr/th", "table/tr/td"} <= set(en)


def test_parity_failure_names_the_first_difference() -> None:
    en = lxml_html.fromstring("<article><h1>A</h1><p>one</p><p>two</p></article>")
    lo = lxml_html.fromstring("<article><h1>ກ</h1><p>ໜຶ່ງ</p><ul><li>ສອງ</li></ul></article>")
    with pytest.raises(ParityError) as caught:
        parity.compare("agenda", {"en": en, "lo": lo})
    assert str(caught.value) == ("agenda (en/lo): the two languages differ at block 3: en has <p> “two”, "
                                 "lo has <ul> “ສອງ” — the same content must render in both languages; "
                                 "check the translation of this block")


def test_build_stops_when_a_template_makes_the_languages_differ(project: Path) -> None:
    (project / "templates").mkdir()
    original = (BUILTIN_TEMPLATES / "agenda.html").read_text(encoding="utf-8")
    (project / "templates" / "agenda.html").write_text(
        original.replace("<section id=\"agenda\">", "<section id=\"agenda\">{% if lang == 'lo' %}<p>x</p>{% endif %}"),
        encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "agenda (en/lo): the two languages differ at block" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "output").exists()


# --- Lao documents are Lao -----------------------------------------------------------------------

ALLOWED_LATIN = re.compile(
    r"\b(?:[A-Z][A-Z0-9/]+s?|Zoom|[\w.]+@[\w.]+|H\. E\.|Mr\.|Ms\.|e-Government|UN DESA|Lao PDR|No\.)\b")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_lao_documents_carry_lao_in_every_block(built: Path, document: str) -> None:
    offenders = []
    for block in article(built, "lo", document).iter("h1", "h2", "p", "li", "th", "td"):
        if block.find(".//p") is not None or block.find(".//li") is not None:
            continue  # a cell holding paragraphs: its paragraphs are checked themselves
        text = text_of(block)
        rest = ALLOWED_LATIN.sub("", text)
        if re.search(r"[A-Za-z]{2,}", rest) and not LAO.search(text):
            offenders.append(text)
        elif re.search(r"\b[a-z]{3,}\b(?: [a-z]{3,}\b){2,}", rest):  # an English phrase left inside Lao
            offenders.append(text)
    assert offenders == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_lao_documents_have_nothing_marked_untranslated(built: Path, document: str) -> None:
    assert article(built, "lo", document).find_class("needs-translation") == []


def test_people_are_named_in_lao_script_and_emails_stay(built: Path) -> None:
    text = text_of(article(built, "lo", "concept-note"))
    assert "Thongchanh" not in text and "Adriana" not in text
    assert "zhu@un.org" in text
    assert "ສູນບໍລິການຜ່ານປະຕູດຽວ" in text and "ກະຊວງພາຍໃນ" in text


# --- DOCX ----------------------------------------------------------------------------------------

def docx_xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(part))


def styles_used(path: Path) -> set[str]:
    document, styles = docx_xml(path), docx_xml(path, "word/styles.xml")
    # Word's built-in styles are stored lower-case ("heading 1") and shown capitalised.
    names = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val").title().replace("Toc", "TOC")
             for s in styles.iter(f"{W}style")}
    used = {e.get(f"{W}val") for e in document.iter(f"{W}pStyle", f"{W}tblStyle")}
    return {names[u] for u in used}


@pytest.mark.parametrize("lang", LANGS)
def test_docx_uses_the_reference_styles(built: Path, lang: str) -> None:
    used = styles_used(built / "output" / lang / "concept-note.docx")
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "List Number", "List Bullet"} <= used
    assert used & {"Songphasa Table", "Table Grid"}


def test_docx_says_the_same_as_the_html(built: Path) -> None:
    for lang in LANGS:
        body = docx_xml(built / "output" / lang / "recommendations.docx")
        docx_text = normalise("".join(t.text or "" for t in body.iter(f"{W}t")))
        html_text = normalise(text_of(article(built, lang, "recommendations")))
        assert re.sub(r"\s", "", docx_text) == re.sub(r"\s", "", html_text)


def test_docx_core_properties_come_from_the_event(built: Path) -> None:
    core = docx_xml(built / "output" / "lo" / "agenda.docx", "docProps/core.xml")
    values = {e.tag.split("}")[1]: e.text for e in core}
    assert values["language"] == "lo-LA"
    assert values["created"].startswith("2021-11-2")
    assert "ODSC" in values["subject"] or "One-Door" in values["subject"]


# --- command line --------------------------------------------------------------------------------

def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, cwd=cwd)


def test_cli_builds_another_project(project: Path) -> None:
    result = run("--project", str(project))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 36 documents, index.html and the interpreters' preparation pack")
    assert (project / "output" / "lo" / "concept-note.docx").exists()


def test_cli_usage_error_exits_2() -> None:
    result = run("--no-such-option")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_cli_folder_that_is_not_a_project(tmp_path: Path) -> None:
    result = run("--project", str(tmp_path))
    assert result.returncode == 1
    assert "this folder is not an event project: it has no content/ folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_full_disk_is_a_plain_message(project: Path, monkeypatch, capsys) -> None:
    from songphasa import cli, pipeline

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(project / "output"))
    monkeypatch.setattr(pipeline, "write_tree", full)
    assert cli.main(["--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{project / 'output'}: No space left on device — check that there is free space")
    assert "Traceback" not in err and not (project / "output").exists()


def test_content_and_catalog_errors_come_in_one_report(project: Path) -> None:
    edit_text = (project / "content" / "event.yaml").read_text(encoding="utf-8")
    (project / "content" / "event.yaml").write_text(edit_text.replace("date: 2021-11-23", "date: 2021-11-32"),
                                                    encoding="utf-8")
    po = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith('msgstr "ກອງ'))
    lines[broken] = lines[broken][:-1]  # the closing quote lost
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("--project", str(project))
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        f"content/event.yaml:{edit_text.splitlines().index('date: 2021-11-23') + 1}: this date or time does not exist "
        "(day is out of range for month) — write dates as YYYY-MM-DD with a day that exists, times as HH:MM",
        f"locales/lo/LC_MESSAGES/messages.po:{broken + 1}: the translation file cannot be read: a quoted string "
        'is not closed — end the text with " on the same line (write a quote inside the text as \\")',
    ]


@pytest.mark.renderer
def test_pdf_build_converts_every_docx_in_one_libreoffice_run(project: Path) -> None:
    require_renderer("soffice", "pdffonts")
    with soffice_runs() as runs:
        result = build(project, formats=("html", "docx", "pdf"))
    assert len(runs) == 1
    out = project / "output"
    docx = sorted(p.relative_to(out).with_suffix("") for p in out.rglob("*.docx"))
    assert docx == sorted(p.relative_to(out).with_suffix("") for p in out.rglob("*.pdf"))
    assert len(docx) == 19 and out / "lo" / "concept-note.pdf" in result.files
    fonts = subprocess.run(["pdffonts", str(out / "lo" / "concept-note.pdf")], capture_output=True, text=True).stdout
    # The DOCX names Phetsarath OT; its PDF is set in Noto Sans Lao, whose bold is drawn (README "Lao typography").
    assert re.search(r"NotoSansLao-Regular\s.*\syes\s", fonts) and re.search(r"NotoSansLao-Bold\s.*\syes\s", fonts)
    links = {a.get("href") for a in lxml_html.parse(str(out / "index.html")).iter("a")}
    assert {"lo/agenda.pdf", "en/agenda.pdf"} <= links
    # Only what changed is converted again, and a rebuild gives the same bytes.
    before = (out / "en" / "agenda.pdf").read_bytes()
    with soffice_runs() as runs:
        build(project, formats=("html", "docx", "pdf"))
    assert runs == []
    assert (out / "en" / "agenda.pdf").read_bytes() == before


def test_pdf_without_libreoffice_says_how_to_install_it_and_changes_nothing(project: Path, monkeypatch) -> None:
    import songphasa.output.pdf
    build(project)
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    monkeypatch.setattr(songphasa.output.pdf, "find_soffice", lambda: None)
    edit_path = project / "content" / "people.yaml"
    edit_path.write_text(edit_path.read_text(encoding="utf-8").replace("Head of Cabinet", "Head of the Cabinet"),
                         encoding="utf-8")
    from songphasa.errors import ToolMissing
    with pytest.raises(ToolMissing, match="install it with `apt-get install libreoffice-writer-nogui`"):
        build(project, formats=("html", "docx", "pdf"))
    assert {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()} == before
