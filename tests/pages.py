"""What a typesetter measures on a PDF: the lines of each page, where they sit, how full the page is.

poppler's ``pdftotext -bbox-layout`` gives every line of text with its box;
the page's body is the area between the top and bottom margins of the DOCX
the PDF was made from (the footer's page number sits below it).
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

TWIPS_PER_POINT = 20
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    text: str
    top: float
    bottom: float
    left: float


@dataclass(frozen=True)
class Page:
    number: int
    lines: list[Line]  # inside the body, top to bottom
    body_top: float
    body_bottom: float

    @property
    def fill(self) -> float:
        """How much of the body's height is used, from its top to the bottom of the last line."""
        if not self.lines:
            return 0.0
        return (max(line.bottom for line in self.lines) - self.body_top) / (self.body_bottom - self.body_top)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", "", "".join(line.text for line in self.lines))


def margins(docx: Path) -> tuple[float, float, float]:
    """Return the page height and the top and bottom margins of a DOCX, in points."""
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    height = int(re.search(r'<w:pgSz [^>]*w:h="(\d+)"', xml).group(1)) / TWIPS_PER_POINT
    mar = re.search(r"<w:pgMar [^>]*>", xml).group()
    top = int(re.search(r'w:top="(\d+)"', mar).group(1)) / TWIPS_PER_POINT
    bottom = int(re.search(r'w:bottom="(\d+)"', mar).group(1)) / TWIPS_PER_POINT
    return height, top, bottom


def pages(pdf: Path, docx: Path | None = None) -> list[Page]:
    """Read the lines of every page of a PDF, keeping those inside the body of the page.

    Without the DOCX it was made from (a page Chromium printed, with no footer), the body is the whole page.
    """
    height, top, bottom = margins(docx) if docx is not None else (float("inf"), 0.0, 0.0)
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         check=True).stdout
    tree = etree.fromstring(xml, etree.XMLParser(recover=True, huge_tree=True))
    found = []
    for number, page in enumerate(tree.iter(f"{XHTML}page"), start=1):
        body_bottom = (height if docx is not None else float(page.get("height"))) - bottom
        lines = []
        for line in page.iter(f"{XHTML}line"):
            words = [w.text or "" for w in line.iter(f"{XHTML}word")]
            box = Line(" ".join(words), float(line.get("yMin")), float(line.get("yMax")), float(line.get("xMin")))
            if box.top < body_bottom - 1:  # the footer starts below the body
                lines.append(box)
        lines.sort(key=lambda l: (round(l.top), l.left))
        found.append(Page(number, lines, top, body_bottom))
    return found
