"""Pagination a typesetter would accept, measured on the PDFs LibreOffice makes.

For every PDF of both example events, of a build and of a distribution
(documents, the pack, the letters), in both languages: no page but the last is less than half full;
no page ends with a heading; a contact block is on one page; the agenda's
table starts on the page of its heading. Each failure names the file and page.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from .pages import Line, Page, pages
from .test_layout import browser  # noqa: F401 — the fixture: headless Chromium, once for this module

pytestmark = pytest.mark.renderer

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdfs(root: Path) -> list[Path]:
    out = root / "output"
    chosen = [*sorted(out.glob("*/*.pdf"))]
    for rid in ("moha", "moh"):  # the host's letter and another ministry's
        chosen += sorted((out / "distribution" / rid).glob("letter-*.pdf"))
    return chosen


def name(root: Path, pdf: Path) -> str:
    return pdf.relative_to(root / "output").as_posix()


def headings(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    found = []
    for paragraph in body.iter(f"{{{W}}}p"):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        if style is not None and re.match(r"(Heading\d|Title)$", style.get(f"{{{W}}}val")):
            found.append(squeeze("".join(paragraph.itertext())))
    return [text for text in found if text]


def test_the_published_sample_has_every_kind_of_pdf(published: Path) -> None:
    names = {name(published, pdf) for pdf in pdfs(published)}
    assert {"en/agenda.pdf", "lo/concept-note.pdf", "interpreters/pack.pdf", "distribution/moha/letter-lo.pdf"} <= names
    assert len(names) == 23  # 4 documents and 5 of people, in 2 languages; the pack; 4 letters (2 recipients)


def test_the_published_example_has_every_kind_of_pdf(published_example: Path) -> None:
    names = {name(published_example, pdf) for pdf in pdfs(published_example)}
    documents = ("concept-note", "agenda", "outcome", "participants", "sign-in", "name-plates", "badges", "certificates")
    assert names == {f"{lang}/{doc}.pdf" for lang in ("en", "lo") for doc in documents} | {"interpreters/pack.pdf"}


_MEASURED: dict[Path, dict[str, list[Page]]] = {}


def measured(published: Path) -> dict[str, list[Page]]:
    """The lines of every page of every PDF of a published event (read once per event)."""
    if published not in _MEASURED:
        _MEASURED[published] = {name(published, pdf): pages(pdf, pdf.with_suffix(".docx")) for pdf in pdfs(published)}
    return _MEASURED[published]


@pytest.fixture
def layout(published_event: Path) -> dict[str, list[Page]]:
    return measured(published_event)


def test_no_page_but_the_last_is_less_than_half_full(layout: dict[str, list[Page]]) -> None:
    thin = [f"{pdf} page {page.number}: {page.fill:.0%} full"
            for pdf, found in layout.items() for page in found[:-1] if page.fill < 0.5]
    assert thin == []


#: LibreOffice 7.4 left the English outcome's first contact heading ("UN DESA/DPIDG") at the foot of page 1
#: although the DOCX keeps it with the next paragraph; Word moves it. Since the outcome lists the
#: participants, that heading no longer falls at a page's foot, so the sample does not show it: the
#: cause is not found, and a heading LibreOffice strands again is reported like any other.
LIBREOFFICE_STRANDS: set[str] = set()


def stranded_headings(published: Path, layout: dict[str, list[Page]]) -> set[str]:
    stranded = set()
    for pdf, found in layout.items():
        titles = headings(published / "output" / (pdf[: -len(".pdf")] + ".docx"))
        for page in found[:-1]:
            # The page's last line, with what sits beside it (a table row's cells in fonts of other baselines).
            bottom = page.lines[-1] if page.lines else None
            row = sorted((line for line in page.lines if bottom and line.top < bottom.bottom and line.bottom > bottom.top),
                         key=lambda line: line.left)
            last = squeeze(" ".join(line.text for line in row))
            if last and any(title.startswith(last) for title in titles):
                stranded.add(f"{pdf} page {page.number} ends with the heading “{page.lines[-1].text}”")
    return stranded


def test_no_page_ends_with_a_heading(published_event: Path, layout: dict[str, list[Page]]) -> None:
    known = LIBREOFFICE_STRANDS if published_event.name == "event" else set()  # the sample's
    assert stranded_headings(published_event, layout) - known == set()


def test_every_contact_block_is_on_one_page(published_event: Path, layout: dict[str, list[Page]]) -> None:
    published = published_event
    split = []
    for pdf, found in layout.items():
        html = published / "output" / (pdf[: -len(".pdf")] + ".html")
        if not html.exists():
            continue
        for block in lxml_html.parse(str(html)).xpath("//p[@class='contact']"):
            person, email = squeeze(block.findtext("strong") or ""), squeeze(block.xpath("string(a)"))
            page = next((page for page in found if email and email in page.text), None)
            if page is None or person not in page.text.split(email)[0]:
                split.append(f"{pdf} page {page.number if page else '?'}: the contact block of "
                             f"“{block.findtext('strong')}” does not start on the page of its e-mail address")
    assert split == []


def test_the_agenda_table_starts_on_the_page_of_its_heading(published_event: Path,
                                                           layout: dict[str, list[Page]]) -> None:
    published = published_event
    late = []
    for pdf, found in layout.items():
        html = published / "output" / (pdf[: -len(".pdf")] + ".html")
        if not html.exists():
            continue
        tree = lxml_html.parse(str(html))
        heading = tree.xpath("//section[@id='agenda']/h1")
        if not heading:
            continue
        title = squeeze(heading[0].text_content())
        # The header cell's first word: a narrow column wraps the rest beside the next cell's text.
        first_cell = tree.xpath("//section[@id='agenda']//table//th")[0].text_content().split()[0]
        page = next(page for page in found if title in page.text)
        if first_cell not in page.text.split(title, 1)[1]:
            late.append(f"{pdf} page {page.number}: the agenda heading is here, its table starts on a later page")
    assert late == []


def plain(text: str) -> str:
    """Text without white space or marks: poppler gives Lao marks in another order than they were typed."""
    return "".join(char for char in squeeze(text) if unicodedata.category(char) != "Mn")


def agenda_columns(page: Page, header: str) -> tuple[Line, float] | None:
    """The agenda table's header row at the top of a page it continues onto, and where its second column starts."""
    top = [line for line in page.lines if page.lines[0].top - 1 <= line.top <= page.lines[0].top + 6]
    found = [line for line in top if plain(line.text).startswith(plain(header))]
    others = [line for line in top if line not in found]
    if not found or not others:
        return None
    return found[0], min(line.left for line in others)


def test_every_page_an_agenda_row_reaches_shows_its_time_or_that_it_continues(
        published_event: Path, layout: dict[str, list[Page]]) -> None:
    bare, seen = [], 0
    for pdf, found in layout.items():
        html = published_event / "output" / (pdf[: -len(".pdf")] + ".html")
        if not html.exists():
            continue
        tree = lxml_html.parse(str(html))
        header = tree.xpath("//table[contains(@class, 'agenda')]//th")
        cells = tree.xpath("//table[contains(@class, 'agenda')]//td")
        continued = {plain(cell.get("data-continued")) for cell in cells if cell.get("data-continued")}
        spanning = [plain(cell.text_content()) for cell in cells if cell.get("colspan")]  # a day's, a session's
        if not header:
            continue
        for page in found[1:]:
            columns = agenda_columns(page, header[0].text_content())
            if columns is None:
                continue  # the table does not continue onto this page
            seen += 1
            head, second = columns
            body = [line for line in page.lines if line.top > head.bottom]
            if not body:
                continue
            first = [line for line in body if line.top < body[0].top + 6]
            # The first line of the page's first row: in the time column, a time or the label in this language.
            time = [line for line in first if line.left < second - 2]
            if not time or not (re.match(r"\d{1,2}:\d{2}", time[0].text) or plain(time[0].text) in continued
                                or any(row.startswith(plain(time[0].text)) for row in spanning)):
                bare.append(f"{pdf} page {page.number} starts with “{first[0].text}” and nothing in the time column")
    assert bare == []
    if published_event.name == "event":
        assert seen >= 5  # the agenda and the concept note run onto later pages in both languages


def table_labels(html: Path) -> list[str]:
    """The labels in an HTML page's table cells: paragraphs that end with a colon, their text follows them."""
    return [plain(p.text_content()) for p in lxml_html.parse(str(html)).xpath("//td//p")
            if p.text_content().strip().endswith((":", "："))]


def test_no_page_ends_with_a_label_in_a_table_cell(published_event: Path, layout: dict[str, list[Page]]) -> None:
    stranded = []
    for pdf, found in layout.items():
        html = published_event / "output" / (pdf[: -len(".pdf")] + ".html")
        if not html.exists():
            continue
        labels = [label for label in table_labels(html) if len(label) > 3]
        for page in found[:-1]:
            bottom = page.lines[-1] if page.lines else None
            row = [line for line in page.lines if bottom and line.top > bottom.top - 4]
            for line in row:
                text = plain(line.text)
                if len(text) > 1 and any(label.endswith(text) for label in labels):
                    stranded.append(f"{pdf} page {page.number} ends with the label “{line.text}”")
    assert stranded == []


def test_the_agenda_heading_leaves_no_page_half_empty_before_it(published_event: Path,
                                                                 layout: dict[str, list[Page]]) -> None:
    """The heading and its table go to a new page only when the page before is full (the Lao agenda's 55 % was not)."""
    early = []
    for pdf, found in layout.items():
        html = published_event / "output" / (pdf[: -len(".pdf")] + ".html")
        if not html.exists():
            continue
        heading = lxml_html.parse(str(html)).xpath("//section[@id='agenda']/h1")
        if not heading:
            continue
        title = squeeze(heading[0].text_content())
        page = next(page for page in found if title in page.text)
        if page.number > 1 and found[page.number - 2].fill < 0.8:
            early.append(f"{pdf} page {page.number}: the agenda starts here, page {page.number - 1} is "
                         f"{found[page.number - 2].fill:.0%} full")
    assert early == []


def test_no_page_opens_with_the_last_item_of_a_list_alone(published_event: Path,
                                                         layout: dict[str, list[Page]]) -> None:
    alone = []
    for pdf, found in layout.items():
        html = published_event / "output" / (pdf[: -len(".pdf")] + ".html")
        if not html.exists():
            continue
        for items in lxml_html.parse(str(html)).xpath("//ul[not(ancestor::table)] | //ol[not(ancestor::table)]"):
            texts = [plain(li.text_content())[:15] for li in items.findall("li")]
            if len(texts) < 2 or len(texts[-1]) < 8 or texts[-2] == texts[-1]:
                continue
            for page in found[1:]:
                first = next((line.text for line in page.lines if len(plain(line.text)) > 3), "")  # not a bullet
                if plain(first).startswith(texts[-1][:8]) and texts[-2] not in plain(page.text):
                    alone.append(f"{pdf} page {page.number} opens with “{first}”, a list's last item, alone")
    assert alone == []


def opening_rows(html: Path) -> list[tuple[str, str]]:
    """The agenda's items that open parallel groups: the item's title and its first group's, without white space."""
    pairs = []
    for group in lxml_html.parse(str(html)).xpath("//tr[@class='parallel']"):
        before = group.getprevious()
        if before is not None and "parallel" not in (before.get("class") or "").split():
            titles = [squeeze(row.xpath("string((td[2]//p)[1])")) for row in (before, group)]
            pairs.append((titles[0], titles[1]))
    return pairs


def test_an_item_that_opens_parallel_groups_is_on_the_page_of_the_first_group(
        published_event: Path, layout: dict[str, list[Page]]) -> None:
    apart, seen = [], 0
    for pdf, found in layout.items():
        html = published_event / "output" / (pdf[: -len(".pdf")] + ".html")
        if not html.exists():
            continue
        for item, group in opening_rows(html):
            seen += 1
            # The first ten characters: a cell's wrapped lines sit beside the time column's.
            page = next(page for page in found if item[:10] in page.text)
            if group[:10] not in page.text.split(item[:10], 1)[1]:
                apart.append(f"{pdf} page {page.number}: the item “{item}” is here, its first group "
                             f"“{group}” on a later page")
    assert apart == []
    if published_event.name == "technical-workshop":
        assert seen == 4  # both languages' agenda and concept note have one item with groups


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_the_long_decision_row_is_cut_into_rows_that_stay_whole(published: Path, lang: str) -> None:
    with zipfile.ZipFile(published / "output" / lang / "agenda.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    rows = body.findall(".//w:tbl/w:tr", NS)
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
    times = [squeeze("".join(row.find("w:tc", NS).itertext())) for row in rows]
    decision = times.index("10:30–11:30" + ("(60min)" if lang == "en" else "(60ນາທີ)"))
    # The decision session (longer than a page): what opens it, then its four topics, each row of its own.
    assert times[decision + 1:decision + 5] == ["(continued)" if lang == "en" else "(ຕໍ່)"] * 4


# --- a day's heading row stays with the day's first item -------------------------------------------

#: Days of one to three items: their heading rows fall at every height of a page. Without the heading row
#: kept with the next, both LibreOffice and Chromium ended a page with one of them (Day 5 and Day 6).
DAY_SIZES = (1, 2, 3) * 5 + (2, 1, 3)


@pytest.fixture(scope="module")
def many_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second example with eighteen short days, built with PDFs; do not modify it."""
    import datetime as dt

    from .conftest import build, copy_example, require_renderer
    require_renderer("soffice", "pdftotext")
    root = copy_example(tmp_path_factory.mktemp("many-days") / "event")
    first = dt.date(2022, 3, 15)
    event = root / "content" / "event.yaml"
    text = event.read_text(encoding="utf-8")
    assert "\nend_date: 2022-03-16\n" in text
    event.write_text(text.replace("\nend_date: 2022-03-16\n",
                                  f"\nend_date: {first + dt.timedelta(days=len(DAY_SIZES) - 1)}\n"), encoding="utf-8")
    lines = ["days:"]
    for day, size in enumerate(DAY_SIZES):
        lines += [f"  - date: {first + dt.timedelta(days=day)}", '    start: "08:30"', '    end: "17:00"',
                  "    sessions:", f"      - id: day-{day}", "        items:"]
        for item in range(size):
            lines += [f"          - id: item-{day}-{item}", f'            start: "{8 + item:02d}:30"',
                      "            kind: presentation", f"            title: Item {item + 1} of day {day + 1}",
                      "            speakers:", "              - {person: bounmy, language: lo}"]
    (root / "content" / "agenda.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build(root, formats=("html", "docx", "pdf"))
    return root


def day_rows(html: Path) -> list[str]:
    """The text of each day's heading row of an agenda page, without white space."""
    return [squeeze(tr.text_content()) for tr in lxml_html.parse(str(html)).xpath("//tr[contains(@class, 'day')]")]


def ending_with_a_day(found: list[Page], days: list[str]) -> list[str]:
    return [f"page {page.number} ends with “{page.lines[-1].text}”" for page in found[:-1]
            if page.lines and any(squeeze(page.lines[-1].text) in day for day in days)]


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_libreoffice_never_ends_a_page_with_a_days_heading_row(many_days: Path, lang: str) -> None:
    pdf = many_days / "output" / lang / "agenda.pdf"
    found = pages(pdf, pdf.with_suffix(".docx"))
    assert len(found) >= 3
    days = day_rows(pdf.with_suffix(".html"))
    assert len(days) == len(DAY_SIZES)
    assert ending_with_a_day(found, days) == []


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_a_printed_html_agenda_never_ends_a_page_with_a_days_heading_row(many_days: Path, browser, lang: str,
                                                                         tmp_path: Path) -> None:
    html = many_days / "output" / lang / "agenda.html"
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(browser.print_to_pdf(browser.open(html)))
    found = pages(pdf)
    assert len(found) >= 3
    assert ending_with_a_day(found, day_rows(html)) == []
