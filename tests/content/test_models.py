"""The models of the content files, as the documents show what they hold."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from ..conftest import build
from ..documents.test_kinds import edit


def test_an_online_only_venue_never_says_none(project: Path) -> None:
    edit(project, "content/event.yaml", "  place: moha\n  city: Vientiane\n", "")
    build(project)
    cover = lxml_html.parse(str(project / "output" / "en" / "agenda.html")).find(".//header")
    text = " ".join(cover.text_content().split())
    assert "Online, via Zoom" in text and "None" not in text
