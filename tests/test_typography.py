"""Lao typography checked the way readers meet it: fonts, PDF, a browser without Lao fonts, DOCX runs.

The sample event is built once into a temporary copy; the renderers (fontconfig,
LibreOffice, poppler, Chromium) are the real programs. Each renderer test
skips when its program is missing, unless SONGPHASA_REQUIRE_RENDERERS=1 (CI),
where a missing program fails the test.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from lxml import html as lxml_html

from songphasa import write_html
from songphasa.content.load import load_event
from songphasa.output.pdf import convert_to_pdf
from songphasa.project import Project

from .chromium import Browser
from .conftest import build, copy_project, require_renderer, unavailable

DOCUMENTS = ("concept-note", "agenda", "recommendations", "outcome")  # the sample's documents

REPO = Path(__file__).resolve().parent.parent
LAO_CHAR = re.compile(r"[\u0e80-\u0eff]")
LAO_RUN = re.compile(r"[\u0e80-\u0eff]+")
LATIN_LETTER = re.compile(r"[A-Za-z]")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


# --- renderers: found, or skipped (failed in CI) ----------------------------------


def font_file(family: str) -> Path:
    """Find an installed font by family with fontconfig; skip (or fail in CI) when it is missing."""
    require_renderer("fc-match")
    answer = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", family],
                            capture_output=True, text=True, check=True).stdout.split("\n")
    if family not in answer[0].split(","):
        unavailable(f"the font '{family}' is not installed (fontconfig offers {answer[0]!r} instead)")
    return Path(answer[1])


def cmap(path: Path) -> set[int]:
    with TTFont(path, lazy=True) as font:
        return set(font.getBestCmap())


# --- the sample, built once ------------------------------------------------------------




@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample event built as it is (Phetsarath OT): its project root."""
    root = copy_project(tmp_path_factory.mktemp("typography") / "event")
    build(root)
    return root


@pytest.fixture(scope="session")
def noto_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample event built with settings.lao_font set to Noto Sans Lao."""
    root = copy_project(tmp_path_factory.mktemp("typography-noto") / "event", lao_font="Noto Sans Lao")
    build(root)
    return root


def lao_font(root: Path) -> str:
    return load_event(root).event.settings.font_for("lo")


def page(root: Path, lang: str, document: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((root / "output" / lang / f"{document}.html").read_bytes())


def docx_parts(path: Path) -> dict[str, str]:
    """Return the XML parts of a DOCX that hold text: body, headers, footers, notes, properties."""
    with zipfile.ZipFile(path) as docx:
        return {name: docx.read(name).decode("utf-8") for name in sorted(docx.namelist())
                if name.endswith(".xml") and name.startswith(("word/", "docProps/"))}


def outputs(root: Path, *langs: str) -> list[Path]:
    return sorted(p for lang in langs for p in (root / "output" / lang).iterdir() if p.suffix in (".html", ".docx"))


def output_text(path: Path) -> str:
    if path.suffix == ".docx":
        return "\n".join(docx_parts(path).values())
    return path.read_text(encoding="utf-8")


# --- a. every Lao character has a glyph in the configured fonts ------------------------


def lao_characters(root: Path) -> set[str]:
    chars = set()
    for path in outputs(root, "lo"):
        chars |= set(LAO_CHAR.findall(output_text(path)))
    return chars


def test_lao_output_is_covered_by_the_bundled_web_font(sample: Path) -> None:
    chars = lao_characters(sample)
    assert len(chars) >= 20, "the Lao track has too little Lao to check (dates alone give more)"
    fonts = Project.at(sample).find_template_file("fonts")
    for name in ("NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf"):
        covered = cmap(fonts / name)
        assert sorted(c for c in chars if ord(c) not in covered) == [], name


@pytest.mark.renderer
def test_lao_output_is_covered_by_the_configured_lao_font(sample: Path) -> None:
    covered = cmap(font_file(lao_font(sample)))
    chars = lao_characters(sample)
    assert chars and sorted(c for c in chars if ord(c) not in covered) == []


def test_no_replacement_characters_or_zero_width_spaces(sample: Path) -> None:
    for path in outputs(sample, "en", "lo"):
        text = output_text(path)
        assert "\ufffd" not in text, path.name
        assert "\u200b" not in text, path.name


# --- b. LibreOffice: the Lao PDF embeds the Lao font and holds the Lao text ---------------


@pytest.fixture(scope="session")
def pdfs(sample: Path, noto_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Lao DOCX files of both builds as PDFs, all made in one LibreOffice run."""
    require_renderer("soffice", "pdffonts", "pdftotext")
    folder = tmp_path_factory.mktemp("pdf")
    copies = {}
    for key, root, document in [*(("phetsarath-" + d, sample, d) for d in DOCUMENTS),
                                ("noto-agenda", noto_sample, "agenda")]:
        copies[key] = folder / f"{key}.docx"
        shutil.copyfile(root / "output" / "lo" / f"{document}.docx", copies[key])
    made = convert_to_pdf(list(copies.values()))
    return dict(zip(copies, made))


def embedded_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """List (name, embedded) for every font of a PDF, as pdffonts reports them."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    # name type encoding emb sub uni object ID: "emb" is the fifth column from the end
    return [(line.split()[0], line.split()[-5] == "yes") for line in lines[2:]]


def pdf_text(pdf: Path) -> str:
    # -raw keeps content order: Lao marks above the line are not cut onto lines of their own.
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def docx_words(path: Path) -> list[str]:
    """Return the text of each paragraph of a DOCX body."""
    body = etree.fromstring(docx_parts(path)["word/document.xml"].encode("utf-8"))
    return ["".join(p.itertext()) for p in body.iter(f"{{{W}}}p")]


@pytest.mark.renderer
@pytest.mark.parametrize("document", DOCUMENTS)
def test_lao_pdf_embeds_the_lao_font_and_holds_the_lao_text(sample: Path, pdfs: dict[str, Path],
                                                            document: str) -> None:
    pdf = pdfs[f"phetsarath-{document}"]
    fonts = embedded_fonts(pdf)
    assert any("Phetsarath" in name and embedded for name, embedded in fonts), fonts
    assert all(embedded for _, embedded in fonts), fonts
    text = pdf_text(pdf)
    runs = [run for paragraph in docx_words(sample / "output" / "lo" / f"{document}.docx")
            for run in LAO_RUN.findall(re.sub(r"\s+", "", paragraph))]
    assert runs, "the Lao DOCX has no Lao text"
    assert [run for run in runs if not appears(run, text)] == []


def appears(run: str, text: str, gap: int = 600) -> bool:
    """Tell whether a run is in the text, whole or cut once by a page break (footer, repeated table head)."""
    if run in text:
        return True
    for cut in range(1, len(run)):
        start = text.find(run[:cut])
        while start >= 0:
            if text.find(run[cut:], start + cut, start + cut + gap + len(run)) >= 0:
                return True
            start = text.find(run[:cut], start + 1)
    return False


@pytest.mark.renderer
def test_lao_font_setting_reaches_the_pdf(pdfs: dict[str, Path]) -> None:
    fonts = embedded_fonts(pdfs["noto-agenda"])
    assert any("NotoSansLao" in name and embedded for name, embedded in fonts), fonts
    assert not any("Phetsarath" in name for name, _ in fonts), fonts


# --- c. Chromium without any Lao system font draws Lao with the web font ------------------


def latin_only_font() -> Path:
    """Find an installed font with Latin letters and no Lao glyph (DejaVu Sans has Lao; DejaVu Serif has not)."""
    require_renderer("fc-list")
    listed = subprocess.run(["fc-list", ":lang=en", "-f", "%{file}\n"], capture_output=True, text=True,
                            check=True).stdout.split()
    preferred = sorted(listed, key=lambda f: (Path(f).name != "DejaVuSerif.ttf", f))
    for name in preferred:
        if name.endswith((".ttf", ".otf")):
            glyphs = cmap(Path(name))
            if ord("A") in glyphs and not any(0x0E80 <= c <= 0x0EFF for c in glyphs):
                return Path(name)
    unavailable("no installed font has Latin letters without Lao glyphs")
    raise AssertionError  # unreachable


@pytest.fixture(scope="module")
def no_lao_fonts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose fontconfig sees one Latin font and no Lao font at all."""
    require_renderer("fc-list")
    folder = tmp_path_factory.mktemp("fontconfig")
    (folder / "fonts").mkdir()
    shutil.copy2(latin_only_font(), folder / "fonts")
    (folder / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{folder / 'fonts'}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf"), "HOME": str(folder)}
    every = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True).stdout
    lao = subprocess.run(["fc-list", ":lang=lo"], env=env, capture_output=True, text=True, check=True).stdout
    assert len(every.splitlines()) == 1, every
    assert lao.strip() == "", f"a Lao font is visible: {lao}"
    return env


@pytest.fixture(scope="module")
def browser(no_lao_fonts: dict[str, str]) -> Iterator[Browser]:
    """Chromium on a fresh profile that sees no Lao font."""
    program = require_renderer("chromium")["chromium"]
    with tempfile.TemporaryDirectory(prefix="songphasa-chromium-") as profile:
        chromium = Browser(program, {**no_lao_fonts, "HOME": profile}, Path(profile))
        try:
            yield chromium
        finally:
            chromium.close()


def different_pixels(a: tuple[int, int, bytes], b: tuple[int, int, bytes]) -> float:
    """Return the share of pixels that differ clearly between two same-sized images."""
    width, height = min(a[0], b[0]), min(a[1], b[1])
    differing = 0
    for y in range(height):
        for x in range(width):
            i, j = (y * a[0] + x) * 4, (y * b[0] + x) * 4
            if sum(abs(p - q) for p, q in zip(a[2][i:i + 3], b[2][j:j + 3])) > 96:
                differing += 1
    return differing / (width * height)


#: Wrap each run of Lao letters in a span of its own, so that the fonts the
#: browser used for exactly those letters can be asked for. A span inherits
#: font and language, so this changes which text is asked about, not how it is drawn.
PROBE_LAO = r"""(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode())
    if (/[\u0e80-\u0eff]/.test(node.data)) nodes.push(node);
  for (const node of nodes) {
    const pieces = document.createDocumentFragment();
    for (const piece of node.data.split(/([\u0e80-\u0eff]+)/)) {
      if (!piece) continue;
      if (/[\u0e80-\u0eff]/.test(piece)) {
        const span = document.createElement('span');
        span.className = 'lao-probe';
        span.textContent = piece;
        pieces.appendChild(span);
      } else pieces.appendChild(document.createTextNode(piece));
    }
    node.parentNode.replaceChild(pieces, node);
  }
  for (const span of document.querySelectorAll('.lao-probe'))
    if (!span.getClientRects().length) span.className = 'lao-hidden';
  return document.querySelectorAll('.lao-probe').length;
})()"""

#: Give the first visible element with Lao text of its own an id, and return its text.
MARK_FIRST_LAO = r"""(() => {
  for (const element of document.querySelectorAll('article *'))
    for (const node of element.childNodes)
      if (node.nodeType === Node.TEXT_NODE && /[\u0e80-\u0eff]/.test(node.data) && element.getClientRects().length) {
        element.id = 'first-lao';
        return element.textContent.trim();
      }
  return null;
})()"""

WEB_FONT_NAME = "Noto Sans Lao"  # the family inside the bundled font file, as the browser reports it


@pytest.mark.renderer
@pytest.mark.parametrize("document", DOCUMENTS)
def test_chromium_without_lao_fonts_draws_every_lao_run_with_the_web_font(sample: Path, browser: Browser,
                                                                         document: str) -> None:
    session = browser.open(sample / "output" / "lo" / f"{document}.html")
    assert browser.evaluate(session, "[...document.fonts].filter(f => f.status === 'loaded')"
                                     ".map(f => f.family).join()").count("Songphasa Lao") >= 1
    probes = browser.evaluate(session, PROBE_LAO)
    assert probes >= 2, "no visible Lao on the page"
    used = browser.fonts_of(session, ".lao-probe")
    assert len(used) == probes
    wrong = [fonts for fonts in used
             if not fonts or any(not f["isCustomFont"] or f["familyName"] != WEB_FONT_NAME for f in fonts)]
    assert wrong == []
    assert all(sum(f["glyphCount"] for f in fonts) > 0 for fonts in used)


def tiny_page(folder: Path, name: str, fontface: str) -> Path:
    path = folder / f"{name}.html"
    path.write_text(
        f'<!DOCTYPE html><html lang="lo"><head><meta charset="utf-8"><style>{fontface}\n'
        'body { margin: 0; background: #fff; color: #000; font: 48px "Songphasa Lao", serif; }\n'
        'p { display: inline-block; margin: 8px; padding: 4px; }</style></head>'
        '<body><p id="word">ສູນບໍລິການຜ່ານປະຕູດຽວ</p></body></html>', encoding="utf-8")
    return path


@pytest.mark.renderer
def test_a_lao_word_without_the_web_font_is_boxes_and_with_it_is_letters(sample: Path, browser: Browser,
                                                                         tmp_path: Path) -> None:
    fonts = Project.at(sample).find_template_file("fonts")
    face = write_html.web_fonts(fonts, ("lo",))
    with_font = browser.open(tiny_page(tmp_path, "with", face))
    without_font = browser.open(tiny_page(tmp_path, "without", ""))
    assert [f["familyName"] for f in browser.fonts_of(with_font, "#word")[0]] == [WEB_FONT_NAME]
    fallback = browser.fonts_of(without_font, "#word")[0]
    assert all(not f["isCustomFont"] and f["familyName"] != WEB_FONT_NAME for f in fallback), fallback
    letters, boxes = browser.screenshot(with_font, "#word"), browser.screenshot(without_font, "#word")
    assert different_pixels(letters, boxes) > 0.05


@pytest.mark.renderer
def test_the_lao_page_without_its_font_face_shows_something_else(sample: Path, browser: Browser,
                                                                 tmp_path: Path) -> None:
    built = sample / "output" / "lo" / "concept-note.html"
    stripped = tmp_path / "no-font-face.html"
    html_text, removed = re.subn(r"@font-face \{[^}]*\}", "", built.read_text(encoding="utf-8"))
    assert removed == 2
    stripped.write_text(html_text, encoding="utf-8")
    shots = []
    for path in (built, stripped):
        session = browser.open(path)
        assert len(LAO_CHAR.findall(browser.evaluate(session, MARK_FIRST_LAO) or "")) >= 4
        shots.append(browser.screenshot(session, "#first-lao"))
    assert different_pixels(*shots) > 0.05


@pytest.mark.renderer
def test_chromium_prints_the_lao_concept_note_on_a4_with_the_agenda_heading_above_its_table(
        sample: Path, browser: Browser, tmp_path: Path) -> None:
    require_renderer("pdfinfo", "pdftotext", "pdffonts")
    session = browser.open(sample / "output" / "lo" / "concept-note.html")
    heading, first_cell = (re.sub(r"\s+", "", text) for text in browser.evaluate(
        session, "[document.querySelector('section#agenda h1').textContent,"
                 " document.querySelector('section#agenda table thead th').textContent]"))
    printed = tmp_path / "concept-note.pdf"
    printed.write_bytes(base64.b64decode(
        browser.send("Page.printToPDF", {"preferCSSPageSize": True}, session, timeout=60)["data"]))
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:.*\(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    texts = [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-raw", "-enc", "UTF-8",
                                                str(printed), "-"], capture_output=True, text=True,
                                               check=True).stdout) for n in range(1, pages + 1)]
    starts = [n for n, text in enumerate(texts) if heading in text]
    assert starts and starts[0] > 0, "the agenda heading is not in the printed PDF, or is on page 1"
    assert first_cell in texts[starts[0]].split(heading, 1)[1], "the agenda's table does not start on its heading's page"
    assert any(name.endswith("NotoSansLao-Regular") and embedded for name, embedded in embedded_fonts(printed))


# --- d. the HTML: language marks, no invisible spaces, the print stylesheet ---------------


def own_texts(element: lxml_html.HtmlElement, page_lang: str) -> Iterator[tuple[str, str]]:
    """Yield (language, text) for every piece of text in an element, each in the language it sits in."""
    def language(node) -> str:
        for ancestor in [node, *node.iterancestors()]:
            if ancestor.get("lang"):
                return ancestor.get("lang").split("-")[0]
        return page_lang
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in ("style", "script"):
            continue
        if node.text:
            yield language(node), node.text
        for child in node:
            if child.tail:
                yield language(node), child.tail


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("lang", ["lo", "en"])
def test_every_run_of_the_other_script_carries_its_own_lang(sample: Path, lang: str, document: str) -> None:
    tree = page(sample, lang, document)
    assert tree.get("lang") == lang
    assert tree.find(".//article").get("lang") == lang
    texts = list(own_texts(tree.find("body"), lang))
    # Latin letters only in English runs, Lao letters only in Lao runs, on both pages:
    # an untranslated string holding a Lao date gets its Lao marked too.
    assert [t for language, t in texts if language == "lo" and LATIN_LETTER.search(t)] == []
    assert [t for language, t in texts if language == "en" and LAO_CHAR.search(t)] == []
    if lang == "lo":
        assert tree.xpath("//body//*[@lang='en']"), "no Latin run was marked"


def test_mark_languages_marks_lao_inside_an_english_run_of_a_lao_page() -> None:
    article = lxml_html.fragment_fromstring(
        '<article lang="lo"><p>ສູນບໍລິການ ODSC ຂອງ MOHA <span class="needs-translation" lang="en">'
        "Held on ວັນທີ 23 ພະຈິກ 2021 in Vientiane</span></p></article>")
    write_html.mark_languages(article, "lo")
    assert [(e.get("lang"), e.text) for e in article.iter("span") if not e.get("class")] == [
        ("en", "ODSC"), ("en", "MOHA"), ("lo", "ວັນທີ 23 ພະຈິກ")]
    assert lxml_html.tostring(article, encoding="unicode", method="text") == \
        "ສູນບໍລິການ ODSC ຂອງ MOHA Held on ວັນທີ 23 ພະຈິກ 2021 in Vientiane"


def print_rules(tree: lxml_html.HtmlElement) -> str:
    css = "\n".join(style.text or "" for style in tree.iter("style"))
    start = css.index("@media print")
    depth, end = 0, start
    for end in range(css.index("{", start), len(css)):
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        if depth == 0:
            break
    return css[start:end + 1]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_lao_page_styles_are_css_not_escaped_text(sample: Path, document: str) -> None:
    tree = page(sample, "lo", document)
    css = "\n".join(style.text or "" for style in tree.iter("style"))
    assert "&#34;" not in css and "&quot;" not in css and "&amp;" not in css
    assert len(re.findall(r'@font-face \{ font-family: "Songphasa Lao";', css)) == 2
    assert f'--font-laoo: "{lao_font(sample)}"' in css
    assert "<" not in tree.findtext(".//title")


@pytest.mark.parametrize("document", ["concept-note", "agenda"])
def test_print_stylesheet_sets_a4_keeps_rows_whole_and_the_agenda_heading_with_its_table(sample: Path,
                                                                                         document: str) -> None:
    tree = page(sample, "lo", document)
    rules = print_rules(tree)
    assert re.search(r"@page\s*\{[^}]*size:\s*A4\s*;", rules)
    assert re.search(r"(^|[\s,}])tr\b[^{}]*\{[^}]*break-inside:\s*avoid", rules)
    assert re.search(r"section#agenda > :not\(table\)[^{}]*\{[^}]*break-after:\s*avoid", rules)
    assert not re.search(r"section#agenda[^{}]*\{[^}]*break-before:\s*page", rules)  # no near-empty page before it
    assert tree.xpath("//section[@id='agenda']//table//tr"), "the selectors match nothing on the page"


# --- e. DOCX runs: Lao runs dressed as Lao, English runs left alone -----------------------


def runs(path: Path) -> Iterator[tuple[str, etree._Element | None]]:
    """Yield (text, w:rPr) for every text run of a DOCX's body, headers and footers."""
    for name, xml in docx_parts(path).items():
        if not name.startswith("word/") or name.startswith(("word/styles", "word/settings", "word/fontTable")):
            continue
        for run in etree.fromstring(xml.encode("utf-8")).iter(f"{{{W}}}r"):
            text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
            if text:
                yield text, run.find("w:rPr", NS)


def run_dress(rpr: etree._Element | None) -> dict[str, str | None]:
    def attr(tag: str, name: str) -> str | None:
        found = rpr.find(f"w:{tag}", NS) if rpr is not None else None
        return found.get(f"{{{W}}}{name}") if found is not None else None
    return {
        "ascii": attr("rFonts", "ascii"), "hAnsi": attr("rFonts", "hAnsi"), "cs": attr("rFonts", "cs"),
        "cs-flag": "yes" if rpr is not None and rpr.find("w:cs", NS) is not None else None,
        "sz": attr("sz", "val"), "szCs": attr("szCs", "val"), "bidi": attr("lang", "bidi"),
    }


def lao_run_problems(path: Path, font: str) -> tuple[int, list]:
    lao = [(text, run_dress(rpr)) for text, rpr in runs(path) if LAO_CHAR.search(text)]
    wrong = [(text, dress) for text, dress in lao
             if (dress["ascii"], dress["hAnsi"], dress["cs"]) != (font, font, font) or dress["cs-flag"] != "yes"
             or dress["sz"] is None or dress["szCs"] != dress["sz"] or dress["bidi"] != "lo-LA"]
    return len(lao), wrong


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_lao_docx_run_carries_the_lao_font_size_and_language(sample: Path, document: str) -> None:
    count, wrong = lao_run_problems(sample / "output" / "lo" / f"{document}.docx", lao_font(sample))
    assert count >= 1 and wrong == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_english_docx_runs_carry_nothing_of_lao(sample: Path, document: str) -> None:
    font = lao_font(sample)
    english = list(runs(sample / "output" / "en" / f"{document}.docx"))
    assert len(english) > 10
    wrong = []
    for text, rpr in english:
        dress = run_dress(rpr)
        if LAO_CHAR.search(text) or dress["cs-flag"] or dress["bidi"] or font in (dress["ascii"], dress["hAnsi"],
                                                                                   dress["cs"]):
            wrong.append((text, dress))
    assert wrong == []


def test_the_lao_font_setting_changes_the_font_of_the_lao_runs(sample: Path, noto_sample: Path) -> None:
    assert lao_font(sample) != "Noto Sans Lao" == lao_font(noto_sample)
    for document in DOCUMENTS:
        count, wrong = lao_run_problems(noto_sample / "output" / "lo" / f"{document}.docx", "Noto Sans Lao")
        assert count >= 1 and wrong == [], document
        assert lao_font(sample) not in output_text(noto_sample / "output" / "lo" / f"{document}.docx")
    css = "\n".join(s.text or "" for s in page(noto_sample, "lo", "agenda").iter("style"))
    assert '--font-laoo: "Noto Sans Lao"' in css


# --- d. Bold Lao is a bold face, never a regular one made thicker ---------------------------------


@pytest.fixture(scope="module")
def system_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium with the machine's own fonts, among them Phetsarath OT in its Regular only (Debian's fonts-lao)."""
    program = require_renderer("chromium", "fc-list")["chromium"]
    styles = subprocess.run(["fc-list", ":family=Phetsarath OT", "style"], capture_output=True, text=True).stdout
    if "Regular" not in styles or "Bold" in styles:
        unavailable("this check needs Phetsarath OT installed in its Regular only (Debian's fonts-lao)")
    with tempfile.TemporaryDirectory(prefix="songphasa-chromium-") as profile:
        chromium = Browser(program, {**os.environ, "HOME": profile}, Path(profile))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.renderer
@pytest.mark.parametrize("document", ["agenda", "outcome"])
def test_bold_lao_in_a_browser_with_phetsarath_is_drawn_with_a_real_bold_face(sample: Path, system_browser: Browser,
                                                                              document: str) -> None:
    session = system_browser.open(sample / "output" / "lo" / f"{document}.html")
    assert system_browser.evaluate(session, PROBE_LAO) >= 2
    regular = system_browser.fonts_of(session, "article p:not(.center) > .lao-probe")
    assert any(f["familyName"] == "Phetsarath OT" for fonts in regular for f in fonts)  # the event's font, as asked
    bold = system_browser.fonts_of(session, ":is(h1, h2, strong, th) .lao-probe")
    assert len(bold) >= 3
    # A face of its own for bold: the bundled font's Bold (Chromium would thicken Phetsarath's Regular).
    synthesised = [fonts for fonts in bold if any(f["familyName"] == "Phetsarath OT" or not f["isCustomFont"]
                                                  or "Bold" not in f.get("postScriptName", "Bold") for f in fonts)]
    assert synthesised == []
    weights = system_browser.evaluate(
        session, "[...document.querySelectorAll(':is(h1, strong) .lao-probe')].map(e => getComputedStyle(e)"
                 ".fontSynthesisWeight || getComputedStyle(e).fontSynthesis)")
    assert weights and all(value in ("none", "style") for value in weights)
