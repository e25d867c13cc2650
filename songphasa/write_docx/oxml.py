"""The WordprocessingML layer: namespaces, element names, and children kept in schema order.

Word refuses a file whose properties are out of the order the schema
(ECMA-376) gives, so every w:rPr and w:pPr child is added through
:func:`rpr_child` and :func:`ppr_child`, which put it in its place.
"""

from __future__ import annotations

from lxml import etree

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def qn(tag: str) -> str:
    """Turn a prefixed name (``w:p``) into the Clark name lxml uses."""
    prefix, name = tag.split(":")
    return f"{{{NAMESPACES[prefix]}}}{name}"


# Clark names used on every run and paragraph, computed once.
W_P, W_PPR, W_R, W_RPR, W_T = qn("w:p"), qn("w:pPr"), qn("w:r"), qn("w:rPr"), qn("w:t")
W_VAL = qn("w:val")
W_DEL_TEXT = qn("w:delText")
XML_SPACE = qn("xml:space")

# The children of w:rPr in the order CT_RPr (ECMA-376 §17.3.2.28) requires;
# Word refuses a file whose run properties are out of order.
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
    "w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow",
    "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
    "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position",
    "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip

# Each w:rPr child's Clark name and those that must follow it: computed once,
# as rpr_child runs several times for every run of text.
RPR_SUCCESSORS = {tag: tuple(qn(later) for later in RPR_ORDER[index + 1 :]) for index, tag in enumerate(RPR_ORDER)}

# The children of w:pPr the writer sets, in the order CT_PPr requires.
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
             "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
             "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
             "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
             "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
             "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
PPR_INDEX = {qn(tag): index for index, tag in enumerate(PPR_ORDER)}


def rpr_child(rpr: etree._Element, tag: str) -> etree._Element:
    """Return the child of a w:rPr with this tag, adding it in schema order."""
    first: dict[object, etree._Element] = {}
    for present in rpr:  # one pass, instead of a search per possible successor
        first.setdefault(present.tag, present)
    existing = first.get(qn(tag))
    if existing is not None:
        return existing
    if tag not in RPR_SUCCESSORS:
        raise ValueError(f"{tag} is not a child of w:rPr")
    child = etree.SubElement(rpr, qn(tag))
    # Before the first successor in schema order, as python-docx's insert_element_before does.
    successor = next((first[name] for name in RPR_SUCCESSORS[tag] if name in first), None)
    if successor is not None:
        successor.addprevious(child)
    return child


def run_properties(run: etree._Element) -> etree._Element:
    """Return a w:r's (or a style's) w:rPr, adding it as the first child."""
    rpr = run.find(W_RPR)
    if rpr is None:
        rpr = run.makeelement(W_RPR)
        run.insert(0, rpr)
    return rpr


def ppr_child(ppr: etree._Element, tag: str) -> etree._Element:
    """Return the child of a w:pPr with this tag, adding it in schema order."""
    name = qn(tag)
    existing = ppr.find(name)
    if existing is not None:
        return existing
    child = etree.SubElement(ppr, name)
    index = PPR_INDEX[name]
    successor = next((c for c in ppr if PPR_INDEX.get(c.tag, -1) > index), None)
    if successor is not None:
        successor.addprevious(child)
    return child


def paragraph_properties(paragraph: etree._Element) -> etree._Element:
    """Return a w:p's w:pPr, adding it as the first child."""
    ppr = paragraph.find(W_PPR)
    if ppr is None:
        ppr = paragraph.makeelement(W_PPR)
        paragraph.insert(0, ppr)
    return ppr


def parser() -> etree.XMLParser:
    """Make the parser every part is read with.

    resolve_entities=False: a reference document is a file from the project, untrusted.
    """
    return etree.XMLParser(resolve_entities=False, remove_blank_text=False, huge_tree=True)


def serialize(root: etree._Element) -> bytes:
    """Write a part's XML as Word writes it: UTF-8 with a standalone declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def to_int(value: str | None) -> int | None:
    """Read an attribute's whole number; None when it is absent or not one."""
    try:
        return int(value or "")
    except ValueError:
        return None
