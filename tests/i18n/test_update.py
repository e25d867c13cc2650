"""`update` and `init`: no translation is ever lost or put on another paragraph, and a second update changes nothing."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from songphasa.content.markdown import load_markdown
from songphasa.i18n.po import has_translation, po_text, read_catalog
from songphasa.i18n.update import merge

from ..conftest import require_renderer
from .helpers import PO, edit, po_of, run

# --- update keeps every translation -----------------------------------------------------------------

def test_changed_english_keeps_its_translation_fuzzy_with_the_previous_text(project: Path) -> None:
    context = "recommendations.topics.1.recommendations.1.3.proposed"
    before = next(m for m in po_of(project) if m.context == context)
    assert before.string
    edit(project / "content" / "recommendations.yaml", "Resolved that an appropriate coordination",
         "Resolved, after a long and substantial discussion among all the deputy ministers present, that a suitable coordination")
    result = run(project, "update")
    assert result.returncode == 0, result.stderr
    assert f"fuzzy: {context}" in result.stdout
    after = next(m for m in po_of(project) if m.context == context)
    assert after.string == before.string
    assert "fuzzy" in after.flags
    assert after.previous_id == [before.id]
    written = (project / PO).read_text(encoding="utf-8")
    assert f'#| msgid "{before.id}"' in written
    # The record survives later updates until the translator clears the fuzzy flag.
    assert run(project, "update").returncode == 0
    written = (project / PO).read_text(encoding="utf-8")
    assert f'#| msgid "{before.id}"' in written


def test_deleted_paragraph_keeps_its_translation_as_obsolete(project: Path) -> None:
    before = po_of(project)
    deleted = next(m for m in before if m.id.startswith("Citizen-centric services cannot be created"))
    below = next(m for m in before if m.id.startswith("Experts and citizens agree"))
    source = (project / "content" / "concept-note.md").read_text(encoding="utf-8")
    source = source.replace(deleted.id + "\n\n", "")
    (project / "content" / "concept-note.md").write_text(source, encoding="utf-8")
    assert run(project, "update").returncode == 0
    catalog = po_of(project)
    assert any(m.string == deleted.string for m in catalog.obsolete.values())
    # The paragraph after it moved up one place and kept its id and translation, not fuzzy.
    moved = next(m for m in catalog if m.context == below.context)
    assert moved.string == below.string and "fuzzy" not in moved.flags


def test_update_output_passes_msgfmt_check(project: Path) -> None:
    require_renderer("msgfmt")
    edit(project / "content" / "people.yaml", "Head of Cabinet", "Head of the Minister's Cabinet")
    assert run(project, "update").returncode == 0
    for path in [project / "locales" / "messages.pot", project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"]:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def _catalog(entries: list[tuple[str, str, str]], fuzzy: set[str] = frozenset()) -> Catalog:
    catalog = Catalog(locale="lo")
    for context, msgid, msgstr in entries:
        catalog.add(msgid, msgstr, context=context, flags={"fuzzy"} if context in fuzzy else ())
    return catalog


words = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).map(lambda s: s.strip() or "x")


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(words, min_size=1, max_size=8, unique=True),
    edits=st.lists(st.tuples(st.sampled_from(["edit", "insert", "delete"]), st.integers(0, 10), words), max_size=6),
)
def test_no_translation_is_ever_lost(paragraphs: list[str], edits: list) -> None:
    # Paragraph ids are positional within a section, as for Markdown prose.
    old = _catalog([(f"s.{i}", text, f"ລາວ-{i}-{text}") for i, text in enumerate(paragraphs)])
    current = list(paragraphs)
    for action, at, text in edits:
        at = at % (len(current) + 1)
        if action == "insert":
            current.insert(at, text)
        elif action == "delete" and current and at < len(current):
            del current[at]
        elif current and at < len(current):
            current[at] = current[at] + " " + text
    template = _catalog([(f"s.{i}", text, "") for i, text in enumerate(current)])
    merged, _ = merge(old, template)
    kept = {m.string for m in merged if m.id} | {m.string for m in merged.obsolete.values()}
    lost = {m.string for m in old if m.id} - kept
    assert lost == set()
    for message in merged:  # an unchanged paragraph keeps its own translation, not fuzzy
        if message.id in paragraphs and message.id in current:
            assert message.string.endswith("-" + message.id)
            assert "fuzzy" not in message.flags


def test_update_names_the_event_in_the_header_as_content_does_now(project: Path) -> None:
    edit(project / "content" / "event.yaml", "short_title: Inter-ministerial Policy Workshop on One-Door-Service Centers",
         "short_title: Regional Consultation on Digital Services")
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    translated = {(m.context, m.id): m.string for m in po_of(project) if m.id and m.string}
    assert run(project, "update").returncode == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Translations of Regional Consultation on Digital Services.\n")
    assert '"Project-Id-Version: Regional Consultation on Digital Services 1\\n"' in text
    kept = {(m.context, m.id): m.string for m in po_of(project) if m.id and m.string}
    assert {key: value for key, value in translated.items() if key[0] != "event.short_title"}.items() <= kept.items()


@pytest.mark.parametrize("plural_forms", ["nplurals=1; plural=0;", "nplurals=2; plural=(n > 1);"])
def test_update_keeps_the_translators_plural_forms(plural_forms: str) -> None:
    old = Catalog(locale="lo")
    old.mime_headers = [("Plural-Forms", plural_forms)]
    old.add(("One day", "%(num)s days"), ("ໜຶ່ງວັນ",), context="days")
    template = Catalog(locale=None)
    template.add(("One day", "%(num)s days"), context="days")
    merged, _ = merge(old, template)
    assert merged.plural_forms == plural_forms
    assert f'"Plural-Forms: {plural_forms}\\n"' in po_text(merged)
    assert merged.get("One day", "days").string == ("ໜຶ່ງວັນ",)


def test_update_keeps_a_header_comment_the_translator_wrote(project: Path) -> None:
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    mine = "# Lao translation of the workshop, by the MOHA translation unit.\n#\n"
    path.write_text(mine + text[text.index('msgid ""'):], encoding="utf-8")
    assert run(project, "update").returncode == 0
    assert path.read_text(encoding="utf-8").startswith("# Lao translation of the workshop, by the MOHA translation unit.")



# --- idempotent updates --------------------------------------------------------------------------

def test_three_updates_in_a_row_give_byte_identical_catalogs(project: Path) -> None:
    edit(project / "content" / "recommendations.yaml", "Resolved that an appropriate coordination",
         "Resolved, after a long discussion, that a suitable coordination")
    copies = []
    for _ in range(3):
        assert run(project, "update").returncode == 0
        copies.append((project / PO).read_bytes())
    assert copies[0] == copies[1] == copies[2]
    text = copies[0].decode("utf-8")
    assert "# | msgid" not in text and text.count('#| msgid "Resolved that an appropriate coordination') == 1


entries = st.lists(st.tuples(st.text("abc xyz%", min_size=1, max_size=20).map(str.strip).filter(bool),
                             st.text("ກຂຄ ງ", max_size=10), st.booleans(), st.booleans()), max_size=12,
                   unique_by=lambda e: e[0])


@settings(max_examples=100, deadline=None)
@given(entries=entries)
def test_repeated_updates_do_not_change_the_catalog(entries) -> None:
    template = Catalog(locale=None)
    old = Catalog(locale="lo")
    for number, (msgid, msgstr, fuzzy, comment) in enumerate(entries):
        context = f"s.{number}"
        template.add(msgid, context=context, locations=[("content/x.yaml", number + 1)])
        old.add(msgid + (" old" if fuzzy else ""), msgstr, context=context, locations=[("content/x.yaml", 1)],
                user_comments=["translator's note"] if comment else [])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messages.po"
        path.write_text(po_text(old), encoding="utf-8")
        texts = []
        for _ in range(3):
            merged, _ = merge(read_catalog(path, Path(folder), locale="lo"), template)
            path.write_text(po_text(merged), encoding="utf-8")
            texts.append(path.read_text(encoding="utf-8"))
    assert texts[1] == texts[2] and texts[0] == texts[1]


# --- init -----------------------------------------------------------------------------------------------

def test_init_starts_a_catalog_for_another_language(project: Path) -> None:
    result = run(project, "init", "th")
    assert result.returncode == 0, result.stderr
    assert "Started locales/th/LC_MESSAGES/messages.po" in result.stdout
    catalog = po_of(project, "th")
    assert catalog.locale_identifier == "th"
    assert not any(has_translation(m) for m in catalog if m.id)
    assert run(project, "init", "th").returncode == 1


# --- prose: a paragraph's translation follows it or goes obsolete, never to a neighbour (issue 12) ---------

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


def test_two_paragraphs_with_the_same_author_id_are_an_error_with_the_line(project: Path) -> None:
    md = project / "content" / "concept-note.md"
    lines = md.read_text(encoding="utf-8").split("\n")
    first = next(i for i, l in enumerate(lines) if l.startswith("The purpose of ODSCs"))
    second = next(i for i, l in enumerate(lines) if l.startswith(THIRD))
    lines[first] += " {#same}"
    lines[second] += " {#same}"
    md.write_text("\n".join(lines), encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert f"content/concept-note.md:{second + 1}: two paragraphs of this section have the id '{{#same}}'" in result.stderr


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
    for sid, paras in zip(("a", "b"), start, strict=True):
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

    merged, _ = merge(old, template_of(markdown(sections)))
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
