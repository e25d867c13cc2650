"""Prose keeps its translations: a paragraph's translation follows it or goes obsolete, never to a neighbour."""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from songphasa import catalogs
from songphasa.content.markdown import load_markdown

from .test_catalogs import po_of, run

# --- the scenario of issue 12 ------------------------------------------------------------------

THIRD = "There is no universal One-Stop Shop model for all circumstances."


def test_deleting_one_paragraph_and_editing_the_next_keeps_each_translation_on_its_own(project: Path) -> None:
    md = project / "content" / "concept-note.md"
    text = md.read_text(encoding="utf-8")
    before = po_of(project)
    second = next(m for m in before if m.id.startswith("The purpose of ODSCs"))
    third = next(m for m in before if m.id.startswith(THIRD))
    assert second.string and third.string
    edited = third.id.replace("universal One-Stop Shop", "universal One-Door-Service")
    md.write_text(text.replace(second.id + "\n\n", "").replace(third.id, edited), encoding="utf-8")

    result = run(project, "update")
    assert result.returncode == 0, result.stderr
    after = po_of(project)
    entry = next(m for m in after if m.id == edited)
    assert entry.string == third.string
    assert "fuzzy" in entry.flags and entry.previous_id == [third.id]
    assert any(m.string == second.string for m in after.obsolete.values())
    assert not any(m.string == second.string for m in after if m.id)
    po = (project / "locales" / "lo" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert f'#| msgid "{third.id}"' in po


def test_an_author_given_id_keeps_the_paragraph_through_any_rewrite(project: Path) -> None:
    md = project / "content" / "concept-note.md"
    text = md.read_text(encoding="utf-8")
    third = next(m for m in po_of(project) if m.id.startswith(THIRD))
    md.write_text(text.replace(third.id, third.id + " {#no-single-model}"), encoding="utf-8")
    assert run(project, "update").returncode == 0
    entry = next(m for m in po_of(project) if m.context == "concept-note.thematic-focus.no-single-model")
    assert entry.id == third.id and entry.string == third.string and "fuzzy" not in entry.flags
    md.write_text(text.replace(third.id, "Models differ from country to country. {#no-single-model}"), encoding="utf-8")
    assert run(project, "update").returncode == 0
    entry = next(m for m in po_of(project) if m.context == "concept-note.thematic-focus.no-single-model")
    assert entry.string == third.string and "fuzzy" in entry.flags


# Two paragraphs with the same author id: tests/fixtures/content/concept-note-same-author-id-twice.md.


# --- the property: random insertions, deletions, moves and edits ------------------------------------

CONTENT = ["ministry", "service", "centre", "citizen", "reform", "policy", "district", "province", "digital",
           "budget", "staff", "training", "licence", "registration", "feedback", "review", "law", "decree"]
FILLER = ["the", "of", "and", "in", "to", "for"]


def paragraph(serial: int, words: list[str], fillers: list[str]) -> list[str]:
    """Words of one paragraph: its own words (suffixed with its serial) and a few common ones."""
    own = [f"{w}{serial}" for w in words]
    for k, filler in enumerate(fillers):
        own.insert(min(2 * k + 1, len(own)), filler)
    return own


paragraphs = st.lists(st.tuples(st.lists(st.sampled_from(CONTENT), min_size=5, max_size=10),
                                st.lists(st.sampled_from(FILLER), max_size=4)), min_size=1, max_size=7)
operations = st.lists(st.tuples(st.sampled_from(["insert", "delete", "move", "edit-replace", "edit-insert",
                                                 "edit-delete"]),
                                st.integers(0, 20), st.integers(0, 20), st.sampled_from(CONTENT)), max_size=8)


def markdown(sections: dict[str, list[tuple[int, list[str]]]]) -> str:
    parts = []
    for sid, paras in sections.items():
        parts.append(f"# Section {sid} {{#{sid}}}")
        parts.extend(" ".join(words) for _, words in paras)
    return "\n\n".join(parts) + "\n"


def template_of(text: str) -> Catalog:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "content").mkdir()
        (root / "content" / "concept-note.md").write_text(text, encoding="utf-8")
        sections = load_markdown(root / "content" / "concept-note.md", root)
    catalog = Catalog(locale="lo")
    for section in sections:
        for block in section.blocks:
            for item in block.items:
                catalog.add(item.source, context=item.context, locations=[(item.file, item.line)])
    return catalog


@settings(max_examples=500, deadline=None)
@given(start=st.tuples(paragraphs, paragraphs), ops=operations)
def test_no_translation_is_ever_attached_to_another_paragraph(start, ops) -> None:
    serial = iter(range(1000))
    sections: dict[str, list[tuple[int, list[str]]]] = {"a": [], "b": []}
    for sid, paras in zip(("a", "b"), start):
        for words, fillers in paras:
            s = next(serial)
            sections[sid].append((s, paragraph(s, words, fillers)))
    original = {s: list(words) for paras in sections.values() for s, words in paras}
    old = template_of(markdown(sections))
    text_of = {" ".join(words): s for s, words in original.items()}
    for message in old:
        if message.id:
            message.string = f"ລາວ marker-{text_of[message.id]}"

    edits: dict[int, int] = {}
    for action, at, to, word in ops:
        sid = "ab"[at % 2]
        paras = sections[sid]
        if action == "insert":
            s = next(serial)
            paras.insert(at % (len(paras) + 1), (s, paragraph(s, [word] * 3 + CONTENT[:3], [])))
            continue
        if not paras:
            continue
        index = at % len(paras)
        s, words = paras[index]
        if action == "delete":
            del paras[index]
        elif action == "move":
            del paras[index]
            target = sections["ab"[to % 2]]
            target.insert(to % (len(target) + 1), (s, words))
        elif edits.get(s, 0) < 2 and len(words) > 5:  # an edit of a word or two, as an author makes
            edits[s] = edits.get(s, 0) + 1
            place = to % len(words)
            words = list(words)
            if action == "edit-replace":
                words[place] = f"edited{word}{s}"
            elif action == "edit-insert":
                words.insert(place, f"added{word}{s}")
            else:
                del words[place]
            paras[index] = (s, words)
    current = {s: " ".join(words) for paras in sections.values() for s, words in paras}
    if len(set(current.values())) < len(current):
        return  # an edit made two paragraphs identical: no one can tell them apart

    merged, _ = catalogs.merge(old, template_of(markdown(sections)))
    everywhere = [m.string for m in merged if m.id] + [m.string for m in merged.obsolete.values()]
    for s in original:  # nothing is lost
        assert sum(f"marker-{s}" == t.removeprefix("ລາວ ") for t in everywhere) >= 1, s
    for message in merged:
        if not message.id:
            continue
        owner = next(s for s, text in current.items() if text == message.id)
        if not message.string:  # only a new paragraph may be untranslated
            assert owner not in original, message.id
            continue
        assert message.string == f"ລາວ marker-{owner}", (message.id, message.string)  # never a neighbour's
        changed = " ".join(original[owner]) != message.id
        assert ("fuzzy" in message.flags) == changed
