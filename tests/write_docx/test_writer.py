"""The walk down the HTML tree: each element onto the reference's style."""

from __future__ import annotations

from pathlib import Path

from . import NS, body, en_settings, paragraph_styles, paragraph_texts, style_names, w, write


def test_elements_map_to_the_reference_styles(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        <h1 class="title">Workshop</h1>
        <p class="subtitle">Concept note</p>
        <h1>I. Background</h1><h2>Aims</h2><h3>Detail</h3>
        <p>Body text.</p>
        <ol><li>first<ol><li>nested</li></ol></li></ol>
        <ul><li>point<ul><li>sub-point</li></ul></li></ul>
        <table><tr><td>cell</td></tr></table>
        """,
        en_settings(),
    )
    assert paragraph_styles(path) == [
        "Title", "Subtitle", "heading 1", "heading 2", "heading 3", "Normal",
        "List Number", "List Number 2", "List Bullet", "List Bullet 2", "Normal",
    ]  # fmt: skip
    names = style_names(path)
    table_style = body(path).find(f"{w('tbl')}/{w('tblPr')}/{w('tblStyle')}").get(w("val"))
    assert names[table_style] == "Songphasa Table"


def test_loose_text_and_inline_elements_between_blocks_become_paragraphs(tmp_path: Path) -> None:
    path = write(tmp_path, "<div>Before <em>this</em><p>a block</p>after</div>", en_settings())
    assert paragraph_texts(path) == ["Before this", "a block", "after"]


def test_the_section_properties_stay_the_bodys_last_child(tmp_path: Path) -> None:
    path = write(tmp_path, "<p>a</p><table><tr><td>b</td></tr></table>", en_settings())
    assert [child.tag for child in body(path)] == [w("p"), w("tbl"), w("sectPr")]


def test_a_list_keeps_its_first_two_and_its_last_two_items_together(tmp_path: Path) -> None:
    path = write(tmp_path, "<ul><li>one</li><li>two</li><li>three</li><li>four</li><li>five</li></ul>"
                           "<table><tr><td><ul><li>a</li><li>b</li><li>c</li></ul></td></tr></table>", en_settings())
    items = body(path).findall(w("p"))
    kept = {"".join(p.itertext()): p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in items}
    # The first item never ends a page alone, the last never opens one alone.
    assert kept == {"one": True, "two": False, "three": False, "four": True, "five": False}
    # In a cell, a paragraph kept with the next would keep its row with the next row: left alone.
    assert body(path).xpath(".//w:tc//w:keepNext", namespaces=NS) == []
