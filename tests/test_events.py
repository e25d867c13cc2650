"""The test events of tests/events/: a Lao-source event and a three-language one (Thai partly translated).

They are read as the organizer, the translator and the Thai or Lao reader
would: what each track says, what a release refuses, what a check reports
at which PO line, and what Word, LibreOffice and Chromium get for Thai.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from songphasa import write_html
from songphasa.project import Project

from .conftest import build, require_renderer
from .test_typography import (  # noqa: F401  (fixtures and helpers of the Lao renderer tests)
    Browser,
    browser,
    cmap,
    embedded_fonts,
    no_lao_fonts,
    pdf_text,
)

EVENTS = Path(__file__).parent / "events"
REPO = Path(__file__).parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THAI = re.compile(r"[\u0e01-\u0e5b]+")


def matched_font(name: str) -> tuple[str, Path]:
    """The family and file fontconfig draws a font name with (Debian's fonts-thai-tlwg: Laksaman for TH Sarabun New).

    The Word documents name the font Thai documents are written in; LibreOffice
    draws it with what fontconfig offers, which must have every Thai letter.
    """
    require_renderer("fc-match")
    out = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", name], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    family, file = out[0].split(",")[0], Path(out[1])
    if not THAI.search("".join(chr(c) for c in cmap(file))):
        from .test_typography import unavailable
        unavailable(f"no Thai font answers for {name!r} (install fonts-thai-tlwg)")
    return family, file


def copy_event(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(EVENTS / name, root, ignore=shutil.ignore_patterns("output", ".songphasa-cache", "*.mo"))
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(root), *args],
                          capture_output=True, text=True, encoding="utf-8")


def page(root: Path, lang: str, document: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((root / "output" / lang / f"{document}.html").read_bytes())


@pytest.fixture(scope="module")
def lao_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_event("lao-source", tmp_path_factory.mktemp("events"))
    build(root, release=True)
    return root


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_event("three-languages", tmp_path_factory.mktemp("events"))
    build(root)
    return root


# --- Lao first, English translated -----------------------------------------------------

def test_lao_source_event_builds_both_tracks_each_in_its_own_language(lao_source: Path) -> None:
    lao = page(lao_source, "lo", "concept-note")
    english = page(lao_source, "en", "concept-note")
    assert lao.get("lang") == "lo" and english.get("lang") == "en"
    lao_text, english_text = " ".join(lao.text_content().split()), english.text_content()  # Lao: no-break spaces
    assert "ຫ້ອງການປົກຄອງທ້ອງຖິ່ນໃນ 18 ແຂວງ" in lao_text
    assert "Local administration offices in 18 provinces serve 10,000 citizens a year." in english_text
    # The templates' own labels are Lao in the Lao track (from its catalog), English in the English one.
    assert "ກຳນົດການ" in page(lao_source, "lo", "agenda").text_content()
    assert not lao.xpath("//*[contains(@class, 'needs-translation')]")
    assert not english.xpath("//*[contains(@class, 'needs-translation')]")


# --- English source, Lao and Thai targets -------------------------------------------------

def test_three_languages_draft_marks_missing_thai_visibly(three: Path) -> None:
    thai = page(three, "th", "agenda")
    missing = thai.xpath("//*[contains(@class, 'needs-translation')]")
    assert missing and all(m.get("lang") == "en" for m in missing)
    assert "การประชุมเชิงปฏิบัติการระดับภูมิภาค" in thai.text_content()
    assert not page(three, "lo", "agenda").xpath("//*[contains(@class, 'needs-translation')]")


def test_the_index_names_each_booth_pairs_pack_and_labels_in_every_language(three: Path) -> None:
    index = lxml_html.fromstring((three / "output" / "index.html").read_bytes())
    rows = {" ".join(" ".join(row[0].itertext()).split()): [a.get("href") for a in row.iter("a")]
            for row in index.xpath("//table[@class='index']/tbody/tr")}
    lao = "Interpreters' preparation pack (English – Lao) ຊຸດເອກະສານກະກຽມສຳລັບນາຍແປພາສາ (ອັງກິດ – ລາວ)"
    thai = next(label for label in rows if label.startswith("Interpreters' preparation pack (English – Thai)"))
    assert thai.endswith("(อังกฤษ – ไทย)")  # the pack's title in Thai is still to translate; the pair is not
    assert rows[lao][:2] == ["interpreters/pack.html", "interpreters/pack.docx"]
    assert "interpreters/glossary-lo.csv" in rows[lao] and "interpreters/glossary-th.csv" not in rows[lao]
    assert rows[thai][:2] == ["interpreters/pack-th.html", "interpreters/pack-th.docx"]
    assert "interpreters/glossary-th.csv" in rows[thai]
    heading = index.xpath("//table[@class='index']/thead/tr/th")[0]
    assert " ".join(heading.text_content().split()) == "Document / ເອກະສານ"  # Thai: not translated yet, not repeated
    assert heading.xpath("span[@lang='lo']")


def test_release_of_lao_alone_succeeds_while_thai_is_in_progress(tmp_path: Path) -> None:
    root = copy_event("three-languages", tmp_path)
    result = run(root, "--release", "lo")
    assert result.returncode == 0, result.stderr
    assert (root / "output" / "lo" / "agenda.docx").is_file()


def test_release_of_all_refuses_naming_the_thai_strings(tmp_path: Path) -> None:
    root = copy_event("three-languages", tmp_path)
    result = run(root, "--release")
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert any(e.startswith("locales/th/LC_MESSAGES/messages.po:") and "[th] not translated: “Discussion”" in e
               for e in errors), errors
    assert not any("[lo]" in e for e in errors), errors


def test_release_of_a_language_the_event_lacks_is_refused_plainly(tmp_path: Path) -> None:
    root = copy_event("three-languages", tmp_path)
    result = run(root, "--release", "km")
    assert result.returncode == 1
    assert "content/event.yaml: --release km: 'km' is not a language of this event — use one of: lo, th" \
        in result.stderr


def test_a_catalog_folder_the_event_does_not_declare_is_a_warning(tmp_path: Path) -> None:
    root = copy_event("three-languages", tmp_path)
    extra = root / "locales" / "km" / "LC_MESSAGES"
    extra.mkdir(parents=True)
    shutil.copy2(root / "locales" / "th" / "LC_MESSAGES" / "messages.po", extra / "messages.po")
    result = run(root)
    assert result.returncode == 0, result.stderr
    assert "locales/km/LC_MESSAGES/messages.po: warning: translations for 'km', a language the event does not " \
           "declare (not built)" in result.stderr
    assert not (root / "output" / "km").exists()


def test_every_thai_docx_run_carries_its_complex_script_settings(three: Path) -> None:
    for document in ("concept-note", "agenda", "outcome"):
        with zipfile.ZipFile(three / "output" / "th" / f"{document}.docx") as docx:
            body = etree.fromstring(docx.read("word/document.xml"))
            styles = etree.fromstring(docx.read("word/styles.xml"))
        thai_runs = [r for r in body.iter(f"{W}r") if THAI.search("".join(t.text or "" for t in r.iter(f"{W}t")))]
        assert thai_runs
        for run_ in thai_runs:
            rpr = run_.find(f"{W}rPr")
            fonts = rpr.find(f"{W}rFonts")
            size, size_cs = rpr.find(f"{W}sz"), rpr.find(f"{W}szCs")
            assert fonts.get(f"{W}cs") == "TH Sarabun New", etree.tostring(run_)
            assert rpr.find(f"{W}cs") is not None and size_cs.get(f"{W}val") == size.get(f"{W}val")
            assert int(size.get(f"{W}val")) >= 30  # TH Sarabun New at 16 pt or more beside 11 pt Latin text
            assert rpr.find(f"{W}lang").get(f"{W}bidi") == "th-TH"
            if rpr.find(f"{W}b") is not None:
                assert rpr.find(f"{W}bCs") is not None
        defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        assert defaults.find(f"{W}rFonts").get(f"{W}cs") == "TH Sarabun New"
        assert defaults.find(f"{W}lang").get(f"{W}bidi") == "th-TH"


def test_thai_page_has_a_thai_font_stack_and_embeds_the_thai_web_font(three: Path) -> None:
    html = (three / "output" / "th" / "agenda.html").read_text(encoding="utf-8")
    assert re.search(r':lang\(th\) \{ font-family: "TH Sarabun New", "Songphasa Thai", "Noto Sans Thai"', html)
    assert '@font-face { font-family: "Songphasa Thai"' in html and "unicode-range: U+0E00-0E7F" in html
    assert '"Songphasa Lao"; font-weight' not in html  # the Lao web font is for Lao pages


def test_thai_cover_time_is_24_hour_even_where_the_event_asks_for_12_hour(tmp_path: Path) -> None:
    root = copy_event("three-languages", tmp_path)
    event = root / "content" / "event.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("  languages: [lo, th]",
                                                               "  languages: [lo, th]\n  clock: 12-hour"),
                     encoding="utf-8")
    build(root)
    thai = page(root, "th", "concept-note").find(".//article").text_content()
    english = page(root, "en", "concept-note").find(".//article").text_content()
    assert "09:00" in thai and "AM" not in thai and "PM" not in thai
    assert "9:00" in english and "AM" in english


def test_each_booth_pair_has_its_pack_with_its_directions(three: Path) -> None:
    lao = lxml_html.fromstring((three / "output" / "interpreters" / "pack.html").read_bytes())
    thai = lxml_html.fromstring((three / "output" / "interpreters" / "pack-th.html").read_bytes())
    assert lao.xpath("//td[@lang='lo']") and not lao.xpath("//td[@lang='th']")
    assert thai.xpath("//td[@lang='th']") and not thai.xpath("//td[@lang='lo']")
    # The opening speaker speaks Thai: the booth direction comes from the event's languages.
    assert "Thai → English" in thai.text_content()
    assert (three / "output" / "interpreters" / "pack-th.docx").is_file()
    header = (three / "output" / "interpreters" / "glossary.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("en,abbr_en,note_en,do_not_translate_en,lo,abbr_lo,") and ",th,abbr_th," in header


# --- Thai against real renderers ------------------------------------------------------------

@pytest.mark.renderer
def test_thai_pdf_embeds_a_thai_font_and_holds_the_thai_text(three: Path, tmp_path: Path) -> None:
    require_renderer("soffice", "pdffonts", "pdftotext")
    from songphasa.content.load import load_event
    from songphasa.output.pdf import make_pdfs
    from songphasa.pipeline import event_moment
    source = three / "output" / "th" / "concept-note.docx"
    made = make_pdfs({"th/concept-note.docx": source.read_bytes()}, event_moment(load_event(three)))
    pdf = tmp_path / "concept-note.pdf"
    pdf.write_bytes(made["th/concept-note.pdf"])
    fonts = embedded_fonts(pdf)
    assert all(embedded for _, embedded in fonts), fonts
    family, _ = matched_font("TH Sarabun New")
    assert any(family.replace(" ", "") in name for name, _ in fonts), (fonts, family)
    assert "ความเป็นมา" in pdf_text(pdf)


@pytest.mark.renderer
def test_every_thai_character_of_the_output_is_in_the_thai_fonts(three: Path) -> None:
    require_renderer("fc-match")
    chars = {ord(c) for lang in ("th",) for path in (three / "output" / lang).glob("*.html")
             for c in "".join(THAI.findall(lxml_html.fromstring(path.read_bytes()).text_content()))}
    fonts = Project.at(three).find_template_file("fonts")
    assert chars and chars <= cmap(fonts / "NotoSansThai-Regular.ttf")
    assert chars <= cmap(matched_font("TH Sarabun New")[1])


@pytest.mark.renderer
def test_chromium_without_thai_fonts_draws_thai_with_the_web_font(three: Path, browser: Browser,
                                                                   no_lao_fonts: dict[str, str]) -> None:
    thai = subprocess.run(["fc-list", ":lang=th"], env=no_lao_fonts, capture_output=True, text=True).stdout
    assert thai.strip() == "", f"a Thai font is visible: {thai}"
    session = browser.open(three / "output" / "th" / "concept-note.html")
    used = browser.fonts_of(session, "h1.title")
    assert used and all(any(f["familyName"] == "Noto Sans Thai" and f["isCustomFont"] for f in fonts)
                        for fonts in used), used


def test_web_fonts_come_from_the_table() -> None:
    fonts = REPO / "songphasa" / "templates" / "fonts"
    assert "Songphasa Thai" in write_html.web_fonts(fonts, ("th",))
    assert write_html.web_fonts(fonts, ("en",)) == ""


def test_the_lao_source_pack_labels_lao_first_then_english(lao_source: Path) -> None:
    pack = lxml_html.fromstring((lao_source / "output" / "interpreters" / "pack.html").read_bytes())
    headings = [" ".join(h.text_content().split()) for h in pack.xpath("//section/h1")]
    assert "ລຳດັບລາຍການ / Run of show" in headings and "ລາຍການຄຳສັບ / Glossary" in headings, headings
    assert not pack.xpath("//*[contains(@class, 'needs-translation')]")
    index = lxml_html.fromstring((lao_source / "output" / "index.html").read_bytes())
    assert not index.xpath("//*[contains(@class, 'needs-translation')]")
