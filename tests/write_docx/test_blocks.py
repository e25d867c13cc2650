"""Paragraphs: styles and properties, list numbering, links, tracked changes and footnotes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from songphasa.write_docx.writer import docx_bytes

from . import (
    NS,
    REFERENCE,
    article,
    body,
    en_settings,
    lao_settings,
    part,
    r,
    run_text,
    runs,
    w,
    write,
)


def test_alignment_and_page_break_classes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '<p class="center">c</p><p class="right">r</p>'
        '<section class="page-break-before"><h1>Annex</h1></section>',
        en_settings(),
    )
    paragraphs = list(body(path).iter(w("p")))
    assert paragraphs[0].xpath("./w:pPr/w:jc/@w:val", namespaces=NS) == ["center"]
    assert paragraphs[1].xpath("./w:pPr/w:jc/@w:val", namespaces=NS) == ["right"]
    assert paragraphs[2].find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None


def test_line_break_becomes_a_word_break(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>first line <br>\n second line</p>", en_settings())
    paragraph = body(path).find(w("p"))
    assert len(paragraph.findall(f".//{w('br')}")) == 1
    assert [run_text(r) for r in runs(path)] == ["first line", "second line"]


def test_each_ordered_list_starts_again_at_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "<ol><li>a</li><li>b</li></ol><p>between</p><ol><li>c</li></ol>",
        en_settings(),
    )
    num_ids = body(path).xpath(".//w:numPr/w:numId/@w:val", namespaces=NS)
    assert len(num_ids) == 3
    assert num_ids[0] == num_ids[1] != num_ids[2]
    numbering = part(path, "word/numbering.xml")
    abstract_ids = set()
    for num_id in {num_ids[0], num_ids[2]}:
        (num,) = numbering.xpath(f'./w:num[@w:numId="{num_id}"]', namespaces=NS)
        start = num.xpath("./w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val", namespaces=NS)
        assert start == ["1"]
        abstract_ids.add(num.find(w("abstractNumId")).get(w("val")))
    assert len(abstract_ids) == 1  # both follow the List Number style's definition


def test_a_second_paragraph_of_a_list_item_continues_it_unnumbered(tmp_path: Path) -> None:
    path = write(tmp_path, "<ol><li><p>first</p><p>more of it</p></li></ol>", en_settings())
    first, more = body(path).iter(w("p"))
    assert first.xpath("./w:pPr/w:pStyle/@w:val | ./w:pPr/w:numPr/w:ilvl/@w:val", namespaces=NS) == \
        ["ListNumber", "0"]
    assert more.xpath("./w:pPr/w:pStyle/@w:val", namespaces=NS) == ["ListContinue"]
    assert more.find(f"{w('pPr')}/{w('numPr')}") is None


def test_hyperlink_points_at_its_address(tmp_path: Path) -> None:
    path = write(
        tmp_path, '<p>See <a href="https://moha.gov.la/odsc">the ODSC page</a>.</p>', en_settings()
    )
    (link,) = body(path).iter(w("hyperlink"))
    assert run_text(link) == "the ODSC page"
    r_id = link.get(r("id"))
    rels = part(path, "word/_rels/document.xml.rels")
    (rel,) = rels.xpath(f'./rel:Relationship[@Id="{r_id}"]', namespaces=NS)
    assert rel.get("Target") == "https://moha.gov.la/odsc"
    assert rel.get("TargetMode") == "External"
    assert link.xpath(".//w:rStyle/@w:val", namespaces=NS) == ["Hyperlink"]


def test_a_link_within_the_page_keeps_its_text_and_no_link(tmp_path: Path) -> None:
    path = write(tmp_path, '<p>See <a href="#item-3">item 3</a>.</p>', en_settings())
    assert list(body(path).iter(w("hyperlink"))) == []
    assert [run_text(r) for r in runs(path)] == ["See ", "item 3", "."]


def test_untranslated_text_is_highlighted_and_differences_are_tracked_changes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '<p>ກອງປະຊຸມ <span class="needs-translation" lang="en">Opening remarks</span>'
        " <del>old</del> <ins>new</ins></p>",
        lao_settings(),
    )
    by_text = {run_text(r): r for r in runs(path)}
    assert by_text["Opening remarks"].xpath("./w:rPr/w:highlight/@w:val", namespaces=NS) == [
        "yellow"
    ]
    # <del>/<ins> are tracked changes, not formatting: "Accept all" leaves plain text.
    (deleted,) = body(path).iter(w("del"))
    assert deleted.xpath("./w:r/w:delText/text()", namespaces=NS) == ["old"]
    assert deleted.find(f"{w('r')}/{w('rPr')}/{w('strike')}") is None
    assert by_text["new"].getparent().tag == w("ins")
    assert by_text["new"].find(f"{w('rPr')}/{w('u')}") is None


def test_a_revision_names_the_reviser_and_the_moment_of_the_decision(tmp_path: Path) -> None:
    path = write(tmp_path, '<p><del datetime="2021-11-23T03:30:00Z">old</del><ins>new</ins></p>',
                 en_settings(reviser="Secretariat"))
    deleted, inserted = body(path).find(w("p"))
    assert (deleted.tag, deleted.get(w("id")), deleted.get(w("author")), deleted.get(w("date"))) == \
        (w("del"), "1", "Secretariat", "2021-11-23T03:30:00Z")
    assert (inserted.tag, inserted.get(w("id")), inserted.get(w("author")), inserted.get(w("date"))) == \
        (w("ins"), "2", "Secretariat", None)


def test_footnotes_are_numbered_by_first_citation_and_cited_again_by_the_same_number() -> None:
    def ref(name: str) -> str:
        return f'<sup class="footnote-ref"><a href="#fn-{name}">1</a></sup>'

    notes = '<section class="footnotes"><ol><li id="fn-x">Note x.</li><li id="fn-y">Note y.</li></ol></section>'
    made = docx_bytes(article(f"<p>New{ref('y')}</p><p>First{ref('x')}</p><p>Again{ref('x')}</p>{notes}"),
                      reference=REFERENCE, settings=en_settings())
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        footnotes = etree.fromstring(archive.read("word/footnotes.xml"))
    ids = [r.get(w("id")) for r in document.iter(w("footnoteReference"))]
    assert ids == ["1", "2", "2"]
    texts = {note.get(w("id")): "".join(note.itertext()) for note in footnotes.iter(w("footnote"))}
    assert (texts["1"], texts["2"]) == (" Note y.", " Note x.")
    assert "Note" not in "".join(document.itertext())  # the notes' list is not in the body
