"""Compiling a catalog: the .mo, the lookup the documents use, and the translations they cannot use."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

from songphasa.i18n.compile import brace_placeholder_error, compile_catalog, percent_format_error, unusable_translations

from .helpers import PO, edit, line_of, run


def test_a_stray_percent_sign_in_a_template_translation_is_reported_at_its_line(project: Path) -> None:
    path = project / PO
    edit(path, 'msgstr "ຜູ້ດຳເນີນກອງປະຊຸມ:"', 'msgstr "ຜູ້ດຳເນີນກອງປະຊຸມ 100%:"')
    edit(path, 'msgstr "ລວມ: %(duration)s"', 'msgstr "ລວມ: %(durations)s"')
    moderator, total = line_of(path, 'msgid "Moderator:"'), line_of(path, 'msgid "Total: %(duration)s"')
    result = run(project)  # a draft builds, the entry shown in English and marked
    assert result.returncode == 0, result.stderr
    assert "string(s) are shown in the source language, marked" in result.stdout
    for command in (["check"], ["--release"]):
        result = run(project, *command)
        assert result.returncode == 1 and "internal error" not in result.stderr
        assert f"messages.po:{moderator}: [lo] the translation has a % sign that is not a placeholder" in result.stderr
        assert f"messages.po:{total}: [lo] the translation has placeholder '%(durations)s'" in result.stderr


def test_a_placeholder_error_names_the_source_language_from_the_table() -> None:
    assert brace_placeholder_error("On {date} in {city}", "ວັນທີ {date}", "en") == \
        "placeholder '{city}' is missing from the translation"
    assert brace_placeholder_error("ວັນທີ {date}", "On {date} {date} {ວັນ}", "lo") == \
        "placeholder '{date}' appears 1 time(s) in the Lao but 2 in the translation; " \
        "the translation has placeholder '{ວັນ}', which the Lao does not have"
    assert brace_placeholder_error("On {date}", "ວັນທີ {date}", "en") is None


def test_a_template_strings_percent_signs_must_format_as_the_templates_english_does() -> None:
    assert percent_format_error("Total: %(duration)s", "ລວມ: %(duration)s") is None
    assert percent_format_error("Total: %(duration)s", "ລວມ: %(durations)s") == \
        "the translation has the placeholder %(durations)s, which the English text does not have"
    assert percent_format_error("Total: %(duration)s", "ລວມ: %(durations)s", names=False) is None
    assert percent_format_error("Moderator:", "100%:") == "the translation has a % sign that is not a placeholder"


def test_the_lookup_leaves_out_fuzzy_untranslated_and_unusable_entries(tmp_path: Path) -> None:
    catalog = Catalog(locale="lo")
    catalog.add("Director", "ຜູ້ອຳນວຍການ", context="people.zhu.position", locations=[("content/people.yaml", 3)])
    catalog.add("Head", "ຫົວໜ້າ", context="people.a.position", flags=["fuzzy"], locations=[("content/people.yaml", 9)])
    catalog.add("On {date}", "ວັນທີ", context="event.when", locations=[("content/event.yaml", 4)])
    catalog.add(("One day", "%(num)s days"), ("", ""), locations=[("songphasa/templates/agenda.html", 2)])
    catalog.add("Moderator:", "ຜູ້ດຳເນີນກອງປະຊຸມ:", locations=[("songphasa/templates/_agenda.html", 7)])
    unusable = unusable_translations(catalog, "en")
    assert [(m.context, reason) for m, reason in unusable] == \
        [("event.when", "placeholder '{date}' is missing from the translation")]
    mo = tmp_path / "lo" / "messages.mo"
    lookup = compile_catalog(catalog, mo, unusable)
    assert lookup == {("people.zhu.position", "Director"): "ຜູ້ອຳນວຍການ", (None, "Moderator:"): "ຜູ້ດຳເນີນກອງປະຊຸມ:"}
    written = mo.read_bytes()
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_mo(io.BytesIO(written)) if m.id}
    assert {"Director", "Moderator:"} <= ids and "Head" not in ids  # fuzzy left out, as msgfmt leaves it out
    compile_catalog(catalog, mo, unusable)
    assert mo.read_bytes() == written  # the same catalog, the same file
