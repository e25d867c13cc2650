"""Compare the two languages of one document block by block.

Both languages come from one template, so they can only differ where content
or a template condition differs by language (an empty translation, a missing
person). A build fails on the first difference, naming it. A block marked
``data-only-in`` (a language code) is declared to exist in that language alone (the
opening lines a Lao ministry letter requires) and is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html as lxml_html

from .errors import ParityError, Problem

BLOCKS = ("h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "table", "tr", "th", "td")


@dataclass(frozen=True)
class Block:
    """One block of a rendered document: its tag, nesting and (read when a message needs them) opening words."""

    tag: str
    path: str
    element: lxml_html.HtmlElement = field(compare=False, repr=False)

    @property
    def text(self) -> str:
        return " ".join(self.element.text_content().split())[:60]


def structure(article: lxml_html.HtmlElement) -> list[Block]:
    """List the blocks of a document in order: headings, paragraphs, lists, tables, rows, cells."""
    if any(node.get("data-only-in") for node in article.iterancestors()):
        return []
    blocks = []
    paths: dict = {}  # each block's path, for its descendants' (one walk from the top)
    skipped = set()  # the elements under a data-only-in
    for element in article.iter():
        parent = element.getparent()
        if parent in skipped or (isinstance(element.tag, str) and element.get("data-only-in")):
            skipped.add(element)  # declared as a block of one language only (a form that language requires)
            continue
        above = paths.get(parent, "") if element is not article else _outer_path(article)
        if element.tag not in BLOCKS:
            paths[element] = above
            continue
        path = f"{above}/{element.tag}" if above else element.tag
        paths[element] = path
        if element.get("class") and "screen-only" in element.get("class").split():
            continue
        blocks.append(Block(element.tag, path, element))
    return blocks


def _outer_path(article: lxml_html.HtmlElement) -> str:
    """The path of the blocks around the article itself (none, as a rule)."""
    return "/".join(a.tag for a in reversed(list(article.iterancestors(*BLOCKS))))


def compare(document: str, trees: dict[str, lxml_html.HtmlElement]) -> None:
    """Fail naming the first block where the languages' structures differ."""
    langs = list(trees)
    reference = structure(trees[langs[0]])
    for lang in langs[1:]:
        other = structure(trees[lang])
        for index in range(max(len(reference), len(other))):
            a = reference[index] if index < len(reference) else None
            b = other[index] if index < len(other) else None
            if a is None or b is None or a.path != b.path:
                said_a = f"<{a.path}> “{a.text}”" if a else "nothing"
                said_b = f"<{b.path}> “{b.text}”" if b else "nothing"
                raise ParityError(Problem(
                    f"{document} ({langs[0]}/{lang})", None,
                    f"the two languages differ at block {index + 1}: {langs[0]} has {said_a}, {lang} has {said_b}",
                    "the same content must render in both languages; check the translation of this block"))
