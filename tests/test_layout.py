"""Every page checked the way a reader and a reviewer meet it.

Headless Chromium opens each built HTML page at a desktop width (1280 px) and
a phone width (390 px): nothing may stick out sideways, and the interpreters'
pack's columns get the widths they are meant to have. The Nu Html Checker
(vnu.jar, Java) must find no error in any page, and axe-core, run inside that
Chromium, no accessibility violation, best-practice rules included. Every
DOCX passes an OOXML schema validator.

The Node packages come from the npm registry (.ci/run installs them into
.ci/node/; SONGPHASA_NODE_MODULES names another folder). Like every renderer
test these skip without their tools, except in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .chromium import Browser
from .conftest import REPO, build, copy_example, copy_project, require_renderer, unavailable
from .test_events import copy_event

pytestmark = pytest.mark.renderer

WIDTHS = (1280, 390)


def node_module(*parts: str) -> Path:
    """Find a file of an npm package installed by .ci/run; skip (fail in CI) without it."""
    folder = Path(os.environ.get("SONGPHASA_NODE_MODULES", REPO / ".ci" / "node" / "node_modules"))
    path = folder.joinpath(*parts)
    if not path.is_file():
        unavailable(f"{'/'.join(parts)} is not installed (npm install --prefix .ci/node vnu-jar axe-core)")
    return path


# --- the events, built once --------------------------------------------------------------

@pytest.fixture(scope="session")
def events(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both example events built (HTML and DOCX), the sample also with Lao digits and another Lao font."""
    roots = {
        "sample": copy_project(tmp_path_factory.mktemp("layout") / "event"),
        "lao-digits": copy_project(tmp_path_factory.mktemp("layout-digits") / "event",
                                   lao_digits="true", lao_font="Noto Sans Lao"),
        "technical-workshop": copy_example(tmp_path_factory.mktemp("layout-example") / "technical-workshop"),
        # The test events of issue 11: Thai beside Lao (Thai partly translated), and a Lao-source event.
        **{name: copy_event(name, tmp_path_factory.mktemp(f"layout-{name}")) for name in ("three-languages", "lao-source")},
    }
    for root in roots.values():
        build(root)
    return roots


def pages(root: Path) -> list[Path]:
    return sorted((root / "output").rglob("*.html"))


#: The documents each event makes (the technical workshop has no recommendations).
#: The documents of people (with content/participants.yaml, which both events have).
PEOPLE = ("participants", "sign-in", "name-plates", "badges", "certificates")
DOCUMENTS = {"sample": ("concept-note", "agenda", "recommendations", "outcome", *PEOPLE),
             "technical-workshop": ("concept-note", "agenda", "outcome", *PEOPLE)}
DOCUMENTS["lao-digits"] = DOCUMENTS["sample"]
DOCUMENTS["three-languages"] = DOCUMENTS["lao-source"] = ("concept-note", "agenda", "outcome")  # no participants
EVENTS = tuple(DOCUMENTS)
#: Each event's languages, and its interpreters' packs (one per booth pair).
LANGUAGES = {event: ("en", "lo") for event in EVENTS} | {"three-languages": ("en", "lo", "th")}
PACKS = {event: ("pack",) for event in EVENTS} | {"three-languages": ("pack", "pack-th")}


def page_names(event: str) -> list[str]:
    return ["index.html", *(f"{lang}/{doc}.html" for lang in LANGUAGES[event] for doc in DOCUMENTS[event]),
            *(f"interpreters/{pack}.html" for pack in PACKS[event])]


#: Every page of every event, as test parameters.
PAGES = [pytest.param(event, name, id=f"{event}-{name}") for event in EVENTS for name in page_names(event)]


def test_the_list_of_pages_is_every_page_the_build_makes(events: dict[str, Path]) -> None:
    for event, root in events.items():
        assert [p.relative_to(root / "output").as_posix() for p in pages(root)] == sorted(page_names(event))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    program = require_renderer("chromium")["chromium"]
    with tempfile.TemporaryDirectory(prefix="songphasa-layout-") as profile:
        chromium = Browser(program, {**os.environ, "HOME": profile}, Path(profile))
        try:
            yield chromium
        finally:
            chromium.close()


# --- no sideways scrolling -------------------------------------------------------------

#: What sticks out: the page's width, and every element that passes the viewport or the page's column.
OVERFLOW = """(() => {
  const width = document.documentElement.clientWidth;
  const page = document.querySelector('main').getBoundingClientRect();
  const out = [];
  for (const element of document.querySelectorAll('main *')) {
    const box = element.getBoundingClientRect();
    if (box.width && (box.right > Math.min(width, page.right) + 0.5 || box.left < page.left - 0.5))
      out.push(`${element.tagName.toLowerCase()}${element.className ? '.' + element.className : ''}`
               + ` ends at ${Math.round(box.right)} px`);
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
})()"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("event", "name"), PAGES)
def test_no_page_scrolls_sideways(events: dict[str, Path], browser: Browser, event: str, name: str,
                                  width: int) -> None:
    session = browser.open(events[event] / "output" / name, width=width, height=900)
    found = browser.evaluate(session, OVERFLOW)
    assert found["scroll"] <= found["width"], f"{name} at {width} px is {found['scroll']} px wide: {found['out']}"
    assert found["out"] == []


#: The share of its table's width that each column of a table takes.
COLUMNS = """(selector => [...document.querySelectorAll(selector)].map(table => {
  const row = table.querySelector('tbody tr') || table.querySelector('tr');
  return [...row.children].map(cell => cell.getBoundingClientRect().width / table.getBoundingClientRect().width);
}))"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("event", "documents"), [("sample", 2), ("technical-workshop", 1)])
def test_the_side_by_side_text_gets_two_equal_columns_and_a_narrow_number(events: dict[str, Path],
                                                                          browser: Browser, width: int,
                                                                          event: str, documents: int) -> None:
    session = browser.open(events[event] / "output" / "interpreters" / "pack.html", width=width, height=900)
    tables = browser.evaluate(session, COLUMNS + "('table.side-by-side')")
    assert len(tables) == documents  # one per document the pack holds (the agenda: in the concept note)
    for number, english, lao in tables:
        assert number * width <= 60, f"the number column takes {number:.0%}"
        assert abs(english - lao) <= 0.02, (english, lao)


@pytest.mark.parametrize("event", ["sample", "technical-workshop"])
def test_names_in_the_pack_are_never_broken_inside_a_word(events: dict[str, Path], browser: Browser,
                                                          event: str) -> None:
    session = browser.open(events[event] / "output" / "interpreters" / "pack.html", width=1280, height=900)
    # A word broken across lines has a line box narrower than the word: compare each name's widest
    # word with its cell's content width.
    broken = browser.evaluate(session, """(() => {
      const out = [];
      const probe = document.createElement('span');
      probe.style.whiteSpace = 'nowrap';
      for (const cell of document.querySelectorAll('table.speakers td:nth-child(-n+2), table.run-of-show td:nth-child(5)')) {
        const style = getComputedStyle(cell);
        const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const lines = cell.querySelector('p') ? [...cell.querySelectorAll('p')].map(p => p.textContent) : [cell.textContent];
        for (const word of lines.join(' ').split(/\\s+/).filter(Boolean)) {
          probe.textContent = word;
          probe.lang = cell.closest('[lang]').lang;
          cell.appendChild(probe);
          if (probe.getBoundingClientRect().width > inner + 0.5) out.push(word);
          probe.remove();
        }
      }
      return out;
    })()""")
    assert broken == []


# --- the Nu Html Checker ---------------------------------------------------------------

def nu_errors(paths: list[Path], root: Path) -> list[str]:
    """Run the Nu Html Checker (HTML and CSS) on pages in one Java run; return each error as `page:line: message`.

    ``root`` is the folder the pages are named from (every page must be inside it).
    """
    java = require_renderer("java")["java"]
    vnu = node_module("vnu-jar", "build", "dist", "vnu.jar")
    run = subprocess.run([java, "-jar", str(vnu), "--format", "json", "--also-check-css", *map(str, paths)],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m['url'].removeprefix('file:')).relative_to(root).as_posix()}:{m.get('lastLine')}: {m['message']}"
            for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]


BAD_PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title>'
            '<style>p { position: running(header); }</style></head><body><p>x</p><img src="a.png"></body></html>')


def test_the_nu_checker_reports_what_it_should(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    errors = nu_errors([tmp_path / "bad.html"], tmp_path)
    assert len(errors) == 2 and "running(header)" in errors[0] and "alt" in errors[1], errors


@pytest.fixture(scope="module")
def nu_found(events: dict[str, Path]) -> list[str]:
    """The Nu Html Checker's errors on every page of every event: one Java run for all (it starts slowly)."""
    root = Path(os.path.commonpath([str(r) for r in events.values()]))
    return nu_errors([page for r in events.values() for page in pages(r)], root)


@pytest.mark.parametrize("event", EVENTS)
def test_every_page_passes_the_nu_html_checker(events: dict[str, Path], nu_found: list[str], event: str) -> None:
    folder = events[event].relative_to(Path(os.path.commonpath([str(r) for r in events.values()]))).as_posix()
    assert [error for error in nu_found if error.startswith(folder + "/")] == []


# --- axe-core ---------------------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(browser: Browser, path: Path) -> list[str]:
    """Run axe-core (WCAG 2.2 AA and best practice) on a page; return each violation with where it is."""
    axe = node_module("axe-core", "axe.min.js").read_text(encoding="utf-8")
    session = browser.open(path, width=1280, height=900)
    browser.evaluate(session, axe + "; 1")
    tags = json.dumps(AXE_TAGS)
    return browser.evaluate(session, f"axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}}})"
                                     ".then(r => r.violations.map(v => v.id + ': ' + v.help + ' — '"
                                     " + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))")


def test_axe_reports_what_it_should(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    found = {v.split(":")[0] for v in axe_violations(browser, tmp_path / "bad.html")}
    assert {"image-alt", "landmark-one-main", "region"} <= found, found


@pytest.mark.parametrize(("event", "name"), PAGES)
def test_axe_core_finds_no_violation(events: dict[str, Path], browser: Browser, event: str, name: str) -> None:
    assert axe_violations(browser, events[event] / "output" / name) == []


# --- every DOCX against the OOXML schemas ----------------------------------------------

def ooxml_errors(path: Path) -> list[str]:
    """Validate a DOCX against the ECMA-376 schemas and semantic rules (openxml-audit)."""
    validator = pytest.importorskip("openxml_audit").OpenXmlValidator()
    return [str(error) for error in validator.validate(str(path)).errors]


def test_the_ooxml_validator_reports_a_broken_document(events: dict[str, Path], tmp_path: Path) -> None:
    source = events["sample"] / "output" / "en" / "agenda.docx"
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(broken, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b'<w:body><w:p><w:pPr><w:jc w:val="middle"/></w:pPr></w:p>', 1)
            new.writestr(item, data)
    errors = ooxml_errors(broken)
    assert len(errors) == 1 and "'middle'" in errors[0], errors


@pytest.mark.parametrize("event", EVENTS)
def test_every_docx_passes_the_ooxml_validator(events: dict[str, Path], event: str) -> None:
    found = sorted((events[event] / "output").rglob("*.docx"))
    # every document in every language, and the packs
    assert len(found) == len(LANGUAGES[event]) * len(DOCUMENTS[event]) + len(PACKS[event])
    names = {path.relative_to(events[event] / "output").as_posix(): path for path in found}
    assert {name: ooxml_errors(path) for name, path in names.items()} == {name: [] for name in names}
