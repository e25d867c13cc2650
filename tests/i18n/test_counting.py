"""The build, `check` and `--release` count what is left to translate the same way, and `check` lists it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import html as lxml_html

from songphasa.i18n.po import po_text

from .helpers import PO, po_of, run


def test_build_check_and_release_agree_and_check_lists_every_entry(project: Path) -> None:
    catalog = po_of(project)
    emptied = [m for m in catalog if m.id == "Moderator:" or m.context == "people.zhu.position"]
    assert len(emptied) == 2
    fuzzy = next(m for m in catalog if m.context == "recommendations.topics.2.recommendations.2.1.proposed")
    # A letter's string: no document of the build shows it (the recipients' names are on the list of participants).
    unused = next(m for m in catalog if m.context and m.context.startswith("letter.body") and m.string)
    for message in [*emptied, unused]:
        message.string = ""
    fuzzy.flags.add("fuzzy")
    (project / PO).write_text(po_text(catalog), encoding="utf-8")
    lines = {m.id: m.lineno for m in po_of(project) if m.id}

    built = run(project)
    assert built.returncode == 0, built.stderr
    count = int(re.search(r"\[lo\] (\d+) string\(s\) are shown in the source language", built.stdout).group(1))

    check = run(project, "check", "--list")
    summary = re.search(r"\[lo\] the documents use (\d+) strings: (\d+) translated, (\d+) fuzzy, (\d+) untranslated",
                        check.stdout)
    assert summary, check.stdout
    assert int(summary.group(3)) + int(summary.group(4)) == count == len(emptied) + 1
    listed = [l for l in check.stdout.splitlines() if l.startswith("  locales/lo/LC_MESSAGES/messages.po:")]
    for message in emptied:
        assert any(l.startswith(f"  locales/lo/LC_MESSAGES/messages.po:{lines[message.id]}: not translated: "
                                f"“{message.id}” (in ") for l in listed), check.stdout
    assert any(f":{lines[fuzzy.id]}: fuzzy (needs review): “Resolved that guidance" in l for l in listed)
    assert any(f":{lines[unused.id]}: not translated: “{unused.id[:30]}" in l for l in listed)  # no document shows it
    assert len(listed) == count + 1

    release = run(project, "--release")
    assert release.returncode == 1
    refused = [l for l in release.stderr.splitlines() if re.match(r"locales/lo/LC_MESSAGES/messages\.po:\d+: \[lo\] "
                                                                   r"(not translated|fuzzy \(needs review\)):", l)]
    assert len(refused) == count


def test_draft_marks_untranslated_english_and_release_refuses(project: Path) -> None:
    path = project / "locales" / "lo" / "LC_MESSAGES" / "messages.po"
    catalog = po_of(project)
    entry = next(m for m in catalog if m.context == "recommendations.topics.2.recommendations.2.1.proposed")
    entry.string = ""
    path.write_text(po_text(catalog), encoding="utf-8")

    result = run(project)
    assert result.returncode == 0, result.stderr
    assert "[lo] 1 string(s) are shown in the source language, marked" in result.stdout
    page = lxml_html.parse(str(project / "output" / "lo" / "recommendations.html"))
    marked = page.getroot().find_class("needs-translation")
    assert [" ".join(m.text_content().split()) for m in marked] == [entry.id]
    assert marked[0].get("lang") == "en"
    assert ".needs-translation" in page.findtext(".//style")
    with zipfile.ZipFile(project / "output" / "lo" / "recommendations.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    highlighted = re.findall(r'<w:r>(?:(?!</w:r>).)*?<w:highlight w:val="yellow"/>(?:(?!</w:r>).)*?<w:t[^>]*>([^<]*)</w:t>', xml)
    assert "".join(highlighted).strip().startswith("Resolved that guidance will be issued")

    before = sorted(p.read_bytes() for p in (project / "output").rglob("*.html"))
    result = run(project, "--release")
    assert result.returncode == 1
    assert "[lo] not translated: “Resolved that guidance will be issued" in result.stderr
    assert "(from content/recommendations.yaml:" in result.stderr
    assert sorted(p.read_bytes() for p in (project / "output").rglob("*.html")) == before
