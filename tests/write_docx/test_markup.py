"""What is read of the HTML: which elements count, and white space as a browser collapses it."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from songphasa.write_docx.markup import BREAK, NOTE, Format, collapse, collect_inline

from . import en_settings, paragraph_texts, write


def test_whitespace_collapses_as_in_a_browser(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "<p>\n    Opening\n      <strong> remarks </strong>\n    by the\tchair\n  </p>",
        en_settings(),
    )
    assert paragraph_texts(path) == ["Opening remarks by the chair"]


def test_screen_only_and_hidden_elements_are_left_out(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '<p>kept <span class="screen-only">(print me)</span>here</p>'
        '<nav class="screen-only"><p>menu</p></nav><p hidden>secret</p>',
        en_settings(),
    )
    assert paragraph_texts(path) == ["kept here"]


def test_inline_content_is_pieces_of_formatted_text_with_breaks_and_note_marks() -> None:
    paragraph = lxml.html.fromstring(
        '<p> Read <a href="https://example.org"><strong>this</strong></a> <br> '
        '<sup class="footnote-ref"><a href="#fn-law">1</a></sup><br></p>')
    pieces: list[tuple[str, Format]] = []
    collect_inline(paragraph, Format(), pieces)
    # The space before the <br> goes, as does the last <br>; the note's number is its name, not a link.
    assert collapse(pieces) == [
        ("Read ", Format()), ("this", Format(bold=True, href="https://example.org")), (BREAK, Format()),
        (NOTE + "law", Format()),
    ]
