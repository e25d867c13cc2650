"""Recording the decision session: the content file, the catalogs and the documents."""

from __future__ import annotations

import difflib
from pathlib import Path

from lxml import html as lxml_html

from songphasa import parity
from songphasa.content.load import load_event
from songphasa.i18n.counting import coverage

from ..conftest import build
from ..i18n.helpers import po_of, run

MODIFIED_EN = ("Resolved that an inter-ministerial steering committee at Deputy Minister level be formed "
               "with a secretariat at the MOHA to promote integrated planning and monitoring of the ODSC initiative.")
MODIFIED_LO = ("ຕົກລົງວ່າ ໃຫ້ສ້າງຕັ້ງຄະນະກຳມະການຊີ້ນຳລະຫວ່າງກະຊວງ ຂັ້ນຮອງລັດຖະມົນຕີ ພ້ອມດ້ວຍກອງເລຂາຢູ່ MOHA "
               "ເພື່ອສົ່ງເສີມການວາງແຜນ ແລະ ການຕິດຕາມແບບເຊື່ອມສານ ຂອງ ODSC.")


def page(root: Path, lang: str, document: str) -> lxml_html.HtmlElement:
    return lxml_html.parse(str(root / "output" / lang / f"{document}.html")).find(".//article")


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def without_deletions(element) -> str:
    copy = lxml_html.fromstring(lxml_html.tostring(element))
    for deleted in copy.xpath(".//del"):
        deleted.drop_tree()
    return " ".join(copy.text_content().split())


def decide_sample(project: Path) -> None:
    for args in (["decide", "1.2", "--status", "modified", "--text", f"en={MODIFIED_EN}", "--text", f"lo={MODIFIED_LO}"],
                 ["decide", "2.1", "--status", "accepted"],
                 ["decide", "4.3", "--status", "rejected"]):
        result = run(project, *args)
        assert result.returncode == 0, result.stderr


def test_decide_changes_only_the_decided_recommendation(project: Path) -> None:
    path = project / "content" / "recommendations.yaml"
    before = path.read_text(encoding="utf-8")
    result = run(project, "decide", "1.2", "--status", "modified", "--text", f"en={MODIFIED_EN}", "--text", f"lo={MODIFIED_LO}")
    assert result.returncode == 0, result.stderr
    assert "recommendation 1.2 is now modified" in result.stdout
    after = path.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert changed[:2] == ['-        status: proposed', '-        confirmed: ""']
    assert changed[2] == "+        status: modified"
    assert changed[3] == "+        confirmed: >-"
    assert all(line.startswith("+          ") for line in changed[4:])
    assert "# Record a decision with:" in after  # comments kept
    content = load_event(project)  # still parses and validates
    rec = content.recommendation("1.2")
    assert rec.status == "modified" and rec.confirmed.source == MODIFIED_EN
    entry = po_of(project).get(MODIFIED_EN, "recommendations.topics.1.recommendations.1.2.confirmed")
    assert entry.string == MODIFIED_LO and "fuzzy" not in entry.flags


def test_decide_refuses_what_cannot_be_recorded(project: Path) -> None:
    path = project / "content" / "recommendations.yaml"
    before = path.read_bytes()
    for args, message in [
        (["decide", "9.9", "--status", "accepted"], "content/recommendations.yaml: unknown recommendation '9.9'"),
        (["decide", "1.2", "--status", "modified"], "recommendation 1.2 is 'modified' but no confirmed text was given"),
        (["decide", "1.2", "--status", "rejected", "--text", "x"], "a 'rejected' recommendation has no confirmed text"),
        (["decide", "1.2", "--status", "modified", "--text", "en=x", "--text", "xx=y"],
         "content/recommendations.yaml: --text xx=…: 'xx' is not a language of this event — use one of: en, lo"),
        (["decide", "1.2", "--status", "accepted", "--text", "lo=ຂໍ້ຄວາມ"],
         "--text lo=… was given without the en text"),
        # An empty text would erase the recorded Lao text, and used to say it was recorded.
        (["decide", "1.2", "--status", "modified", "--text", "en=A new text.", "--text", "lo="],
         "content/recommendations.yaml: --text lo= gives an empty text — give the confirmed text, "
         "or leave --text out for that language"),
        (["decide", "1.2", "--status", "modified", "--text", "  "], "--text en= gives an empty text"),
    ]:
        result = run(project, *args)
        assert result.returncode == 1
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert run(project, "decide", "1.2", "--status", "postponed").returncode == 2  # not a status: usage error
    assert path.read_bytes() == before


def test_recommendations_show_status_and_marked_changes_in_both_languages(project: Path) -> None:
    decide_sample(project)
    build(project)
    for lang in ("en", "lo"):
        row = page(project, lang, "recommendations").find(".//tr[@id='rec-1.2']")
        confirmed = row.findall("td")[3]
        assert confirmed.find(".//del") is not None and confirmed.find(".//ins") is not None
        assert row.get("class") == "status-modified"
        rejected = page(project, lang, "recommendations").find(".//tr[@id='rec-4.3']")
        assert rejected.get("class") == "status-rejected"
    en = page(project, "en", "recommendations").find(".//tr[@id='rec-1.2']").findall("td")
    assert text_of(en[2]) == "Modified"
    assert "membership of which will be" in "".join(d.text_content() for d in en[3].iter("del"))
    assert without_deletions(en[3]) == MODIFIED_EN  # the confirmed text reads whole once deletions are skipped
    lo = page(project, "lo", "recommendations").find(".//tr[@id='rec-1.2']").findall("td")
    assert text_of(lo[2]) == "ດັດແກ້ແລ້ວ"
    inserted = [i.text_content() for i in lo[3].iter("ins")]
    assert inserted and all(part in MODIFIED_LO for part in inserted)
    assert without_deletions(lo[3]) == " ".join(MODIFIED_LO.split())
    assert lo[3].find_class("needs-translation") == []
    for document in ("recommendations", "outcome", "agenda"):
        parity.compare(document, {lang: page(project, lang, document) for lang in ("en", "lo")})


def test_outcome_report_before_any_decision_says_none_is_recorded(built: Path) -> None:
    en = text_of(page(built, "en", "outcome"))
    assert "No decision has been recorded yet" in en
    assert "accepted," not in en
    lo = page(built, "lo", "outcome")
    assert lo.find(".//p[@class='note']") is not None
    assert "Accepted" not in text_of(lo)


def test_outcome_report_lists_the_decisions_in_both_languages(project: Path) -> None:
    decide_sample(project)
    build(project)
    en = page(project, "en", "outcome")
    text = text_of(en)
    assert "1 accepted, 1 modified and 1 rejected of 9 recommendations." in text
    topic1 = en.xpath(".//section[@id='decisions']/h2")[0]
    assert text_of(topic1).startswith("Agenda 1:")
    modified = [li for li in en.iter("li") if text_of(li).startswith("Recommendation 1.2:")][0]
    assert modified.find(".//ins") is not None
    assert any(text_of(li).startswith("Recommendation 2.1: Resolved that guidance") for li in en.iter("li"))
    assert any(text_of(li).startswith("Recommendation 4.3: Resolved that a taskforce") for li in en.iter("li"))
    assert "No decision has been recorded for this topic yet." in text  # topic 3 was not decided
    lo = page(project, "lo", "outcome")
    lo_text = text_of(lo)
    for status in ("ຮັບຮອງ", "ດັດແກ້", "ບໍ່ຮັບຮອງ"):
        assert status in lo_text
    assert lo.find_class("needs-translation") == []
    catalog = po_of(project)
    accepted_lo = catalog.get(load_event(project).recommendation("2.1").proposed.source,
                              "recommendations.topics.2.recommendations.2.1.proposed").string
    assert " ".join(accepted_lo.split()) in lo_text
    assert coverage(catalog).untranslated == 0


def user_files(project: Path) -> dict[Path, bytes]:
    """The project's files as its people see them (the cache folder left out: it holds the lock)."""
    return {p: p.read_bytes() for p in sorted(project.rglob("*"))
            if p.is_file() and ".songphasa-cache" not in p.parts}


def test_decide_refuses_control_characters_and_changes_nothing(project: Path) -> None:
    before = user_files(project)
    result = run(project, "decide", "1.2", "--status", "modified", "--text", "Agreed\x07 text", "--text", "lo=ຕົກລົງ")
    assert result.returncode == 1
    assert "content/recommendations.yaml: --text contains the control character(s) U+0007 — type the text again" \
        in result.stderr
    assert user_files(project) == before


def test_decide_leaves_no_copy_of_the_content_in_the_project(project: Path) -> None:
    assert run(project, "decide", "2.1", "--status", "accepted").returncode == 0
    assert [p.name for p in project.iterdir() if p.name.startswith(".decide")] == []


def test_decide_validates_the_new_text_in_place_of_the_file_and_copies_nothing(project: Path, monkeypatch) -> None:
    """The event as it will be is loaded from the project, the new recommendations given as the file's text.

    (It was a copy of content/ in the project's scratch folder: killed midway, decide left that copy behind.)
    """
    import songphasa.content.decide as decide_module
    from songphasa.cli import main
    loads: list[tuple[Path, dict]] = []
    real = decide_module.load_event

    def recording(root: Path, **options):
        loads.append((Path(root), options))
        return real(root, **options)
    monkeypatch.setattr(decide_module, "load_event", recording)
    assert main(["--project", str(project), "decide", "2.1", "--status", "accepted"]) == 0
    [(root, options)] = loads
    assert root == project.resolve()
    written = (project / "content" / "recommendations.yaml").read_text(encoding="utf-8")
    assert options["overrides"] == {"content/recommendations.yaml": written}
    scratch = project / ".songphasa-cache" / "tmp"
    assert not scratch.exists() or not any(scratch.iterdir())


def test_decide_keeps_end_of_line_comments(project: Path) -> None:
    path = project / "content" / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("status: proposed", text.index('id: "2.1"'))
    path.write_text(text[:first] + "status: proposed  # to be settled on the day" + text[first + 16:], encoding="utf-8")
    assert run(project, "decide", "2.1", "--status", "accepted").returncode == 0
    assert "status: accepted  # to be settled on the day" in path.read_text(encoding="utf-8")


def test_decide_on_a_flow_style_recommendation_names_its_line(project: Path) -> None:
    path = project / "content" / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index('      - id: "4.3"')
    end = text.index("\n", text.index("confirmed:", start))
    line = text[:start].count("\n") + 1
    path.write_text(text[:start] + '      - {id: "4.3", proposed: Keep it short., status: proposed, confirmed: ""}'
                    + text[end:], encoding="utf-8")
    before = path.read_bytes()
    result = run(project, "decide", "4.3", "--status", "rejected")
    assert result.returncode == 1
    assert f"content/recommendations.yaml:{line}: recommendation 4.3 is written on one line in braces" in result.stderr
    assert path.read_bytes() == before


def test_decide_that_cannot_write_the_catalog_changes_no_file(project: Path, monkeypatch) -> None:
    """A full disk while writing the Lao catalog: the content file must not change either."""
    import errno
    import os as os_module

    from songphasa import project as project_module
    from songphasa.content import decide as decide_module
    before = user_files(project)
    real_fdopen = os_module.fdopen

    class Full:
        def __init__(self, handle, name):
            self.handle, self.name = handle, name

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            if self.name.startswith(".messages.po."):
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.handle.write(data)

        def __getattr__(self, name):
            return getattr(self.handle, name)

    def fdopen(fd, mode="r", *args):
        handle = real_fdopen(fd, mode, *args)
        return Full(handle, Path(os_module.readlink(f"/proc/self/fd/{fd}")).name)

    monkeypatch.setattr(project_module.os, "fdopen", fdopen)
    try:
        decide_module.decide(project, decide_module.Decision("1.2", "modified", MODIFIED_EN, (("lo", MODIFIED_LO),)))
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    else:
        raise AssertionError("the write did not fail")
    monkeypatch.undo()
    assert user_files(project) == before


LAO_RECOMMENDATIONS = """topics:
  - id: "1"
    title: ການບໍລິການຢູ່ທ້ອງຖິ່ນ
    recommendations:
      - id: "1.1"
        proposed: ໃຫ້ປັບປຸງການບໍລິການຂອງລັດຢູ່ທ້ອງຖິ່ນ.
        status: proposed
        confirmed: ""
"""


def test_decide_in_a_lao_source_event_writes_the_lao_text_and_puts_the_english_in_its_catalog(tmp_path: Path) -> None:
    from ..test_events import copy_event
    root = copy_event("lao-source", tmp_path)
    assert run(root, "decide", "1.1", "--status", "accepted").stderr.startswith(
        "content/recommendations.yaml: the event has no recommendations to decide on — write them")
    (root / "content" / "recommendations.yaml").write_text(LAO_RECOMMENDATIONS, encoding="utf-8")
    assert run(root, "update").returncode == 0
    result = run(root, "decide", "1.1", "--status", "modified", "--text", "en=Improve local public services.",
                 "--text", "lo=ໃຫ້ປັບປຸງການບໍລິການຂອງລັດຢູ່ທ້ອງຖິ່ນ ໃນທຸກແຂວງ.")
    assert result.returncode == 0, result.stderr
    assert "locales/en/LC_MESSAGES/messages.po: English confirmed text recorded" in result.stdout
    assert "confirmed: ໃຫ້ປັບປຸງການບໍລິການຂອງລັດຢູ່ທ້ອງຖິ່ນ ໃນທຸກແຂວງ." in \
        (root / "content" / "recommendations.yaml").read_text(encoding="utf-8")
    entry = po_of(root, "en").get("ໃຫ້ປັບປຸງການບໍລິການຂອງລັດຢູ່ທ້ອງຖິ່ນ ໃນທຸກແຂວງ.",
                                  "recommendations.topics.1.recommendations.1.1.confirmed")
    assert entry is not None and entry.string == "Improve local public services." and "fuzzy" not in entry.flags
