"""How a document is dressed: which font each language's text takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from songphasa.write_docx.settings import DocxSettings

from . import ODSC, has_lao, lao_settings, part, run_text, runs, w, write
from .test_runs import assert_lao_run


def test_each_language_takes_the_events_font_else_the_language_tables() -> None:
    settings = DocxSettings(language="lo", latin_font="Arial", fonts=(("lo", "Noto Sans Lao"),), languages=("en", "lo"))
    assert [settings.font_for(code) for code in ("lo", "en", "th")] == ["Noto Sans Lao", "Arial", "TH Sarabun New"]


def test_the_complex_language_of_a_latin_document_is_the_events_first_other() -> None:
    assert DocxSettings(language="en", languages=("en", "th", "lo")).complex_language == "th"
    assert DocxSettings(language="lo", languages=("en", "lo")).complex_language == "lo"
    assert DocxSettings(language="en").complex_language == "lo"  # the tool's default target


@pytest.mark.parametrize("font", ["Noto Sans Lao", "Saysettha OT", "Noto Serif Lao"])
def test_the_lao_font_is_configurable(tmp_path: Path, font: str) -> None:
    path = write(tmp_path, f"<p>{ODSC}</p>", lao_settings(fonts=(("lo", font),)))
    for run in runs(path):
        if has_lao(run_text(run)):
            assert_lao_run(run, font)
    defaults = part(path, "word/styles.xml").find(f".//{w('rPrDefault')}/{w('rPr')}")
    assert defaults.find(w("rFonts")).get(w("cs")) == font
    assert "Phetsarath OT" not in etree.tostring(part(path, "word/styles.xml")).decode()
